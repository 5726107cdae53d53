#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QVector>

/// One item of a page: its `id`, its `updated_at` and the item's raw JSON bytes exactly as they
/// came over the wire (key order, number spelling and `\u0000` escapes untouched).
struct FetchedRecord
{
    QString id;
    QString updatedAt;
    QByteArray payload;
};

/// One decoded 200 answer of the dealer data API (SPEC §2). `total` is -1 when the answer does
/// not carry it; `nextPage` is empty on the last page.
struct DecodedPage
{
    int page = 0;
    int pageSize = 0;
    qint64 total = -1;
    std::optional<int> nextPage;
    QVector<FetchedRecord> items;
};

/// Decodes one 200 answer body; returns false and sets *error (a message an operator can act
/// on) when it is not the JSON of SPEC §2. Never crashes, whatever the bytes.
bool decodePage(const QByteArray &body, DecodedPage *page, QString *error);

/// How a JSON value reads in a message: "a string", "an array", "null", "missing" (undefined).
QString jsonTypeName(const QJsonValue &value);
