#pragma once

#include "job/fetchedrecord.h"

#include <optional>

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QVector>

/// One decoded 200 answer of the dealer data API (SPEC §2). `total` is -1 when the answer does
/// not carry it; `nextPage` is empty on the last page.
struct DecodedPage
{
    int page = 0;
    int pageSize = 0;
    qint64 total = -1;
    std::optional<int> nextPage;
    QVector<FetchedRecord> items; ///< they share the body they were decoded from
};

/// Decodes one 200 answer body (pages larger than 2 GiB are refused); returns false and sets *error
/// (a message an operator can act on) when it is not the JSON of SPEC §2. Never crashes, whatever
/// the bytes.
bool decodePage(const QByteArray &body, DecodedPage *page, QString *error);

/// decodePage()'s two ways, apart for tests and the fuzz target, which compare them.
/// Quickly: one strict pass over the bytes, no document built; nothing when it is not certain
/// the page is good (it then says nothing about why). Thoroughly: through QJsonDocument, with
/// the message an operator reads. decodePage() goes the thorough way only when the quick one
/// declines; a page the quick way accepts, the thorough way reads to the same page.
std::optional<DecodedPage> decodePageQuickly(const QByteArray &body);
bool decodePageThoroughly(const QByteArray &body, DecodedPage *page, QString *error);

/// The top-level "next_page" of a 200 answer as a plain positive integer, read by a quick scan
/// without decoding; nothing when it is null, missing, spelled otherwise, or the body is not a
/// JSON object. Only a hint (to ask for the next page early): decodePage() decides.
std::optional<int> peekNextPage(const QByteArray &body);

/// How a JSON value reads in a message: "a string", "an array", "null", "missing" (undefined).
QString jsonTypeName(const QJsonValue &value);
