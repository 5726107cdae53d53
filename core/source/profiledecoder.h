#pragma once

#include "job/fetchedrecord.h"
#include "job/sourceprofile.h"

#include <optional>

#include <QByteArray>
#include <QString>
#include <QVector>

/// One 200 answer read by a source profile (SPEC §11).
struct ProfilePage
{
    QVector<FetchedRecord> items; ///< raw item bytes; they share the body where they can
    /// paging=cursor: the next cursor (a number as its decimal text); empty when the answer
    /// ends the fetch (null, "" or absent).
    QString nextCursor;
};

/// Reads a body the general way (QJsonDocument for the checks and the messages, a scan of the
/// bytes for each item's raw JSON): the items at `profile.items`, each one's id and updated_at,
/// and the next cursor. False with *error naming the key and what is wrong ("items: /data is an
/// object, not an array"). Never crashes, whatever the bytes.
bool decodeProfilePage(const QByteArray &body, const SourceProfile &profile, ProfilePage *page,
                       QString *error);

/// The raw bytes [begin, end) of the value that `pointer` names inside the JSON text
/// `json` (which must be valid JSON); nothing when it names nothing. Duplicate keys: the last.
struct JsonSpan
{
    qsizetype begin = 0;
    qsizetype end = 0;
};
std::optional<JsonSpan> findJsonPointer(QByteArrayView json, JsonSpan within,
                                        const QStringList &tokens);
/// The spans of an array's elements (`array` must span a valid JSON array).
QVector<JsonSpan> jsonArrayElements(QByteArrayView json, JsonSpan array);

/// Every `rel="next"` target of a `Link` header (RFC 8288), in order; several headers joined
/// with commas as HTTP joins them.
QStringList linkTargets(const QByteArray &header, const QByteArray &rel = "next");
