// Answers of the dealer data API (SPEC §2): decodePage() on arbitrary bytes. Whatever it
// accepts must be what Qt's JSON parser sees in the same bytes: each item's raw payload lies in
// the body and parses, alone, as the object with the id and updated_at reported. Its quick way
// (one strict pass) and its thorough way (QJsonDocument) must give the same answer.
#include "fuzzcheck.h"
#include "source/pagedecoder.h"

#include <cstddef>
#include <cstdint>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

/// Whether a record's `id` or `updated_at` (UTF-8) is the string Qt's JSON parser read, `qt`. Qt
/// reads a string written without escapes through QString::fromUtf8(), which drops a leading
/// U+FEFF as if it were a byte-order mark; JSON keeps it, and so does the record. An escaped
/// lone surrogate has no UTF-8: Qt's toUtf8() writes '?' for it, and so does the record.
static bool sameString(QByteArrayView record, const QString &qt)
{
    const QByteArray expected = qt.toUtf8();
    return record == expected ||
           (record.startsWith("\xef\xbb\xbf") && record.sliced(3) == expected);
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    DecodedPage page;
    QString error;
    // The quick hint the fetch uses to ask for the next page early: never out of range.
    const std::optional<int> hint = peekNextPage(body);
    FUZZ_CHECK(!hint || *hint >= 1, QString::number(*hint));
    const bool ok = decodePage(body, &page, &error);
    DecodedPage thorough;
    QString thoroughError;
    const bool thoroughOk = decodePageThoroughly(body, &thorough, &thoroughError);
    FUZZ_CHECK(ok == thoroughOk && error == thoroughError,
               QStringLiteral("decodePage: %1, thoroughly: %2 (%3)")
                   .arg(ok ? QStringLiteral("accepted") : error,
                        thoroughOk ? QStringLiteral("accepted") : thoroughError,
                        QString::fromLatin1(body.left(200).toPercentEncoding())));
    if (ok) {
        FUZZ_CHECK(page.page == thorough.page && page.pageSize == thorough.pageSize &&
                       page.total == thorough.total && page.nextPage == thorough.nextPage &&
                       page.items.size() == thorough.items.size(),
                   QString::fromLatin1(body.left(200).toPercentEncoding()));
        for (qsizetype i = 0; i < page.items.size(); ++i) {
            const FetchedRecord &a = page.items.at(i);
            const FetchedRecord &b = thorough.items.at(i);
            FUZZ_CHECK(a.idUtf8() == b.idUtf8() && a.updatedAtUtf8() == b.updatedAtUtf8() &&
                           a.payload() == b.payload(),
                       QString::number(i));
        }
    }
    if (!ok) {
        FUZZ_CHECK(!error.isEmpty(), QString::fromUtf8(body.left(200)));
        return 0;
    }
    FUZZ_CHECK(error.isEmpty(), error);
    FUZZ_CHECK(page.page >= 1, QString::number(page.page));
    FUZZ_CHECK(page.pageSize >= 0, QString::number(page.pageSize));
    FUZZ_CHECK(page.total >= -1, QString::number(page.total));

    const QJsonDocument document = QJsonDocument::fromJson(body);
    FUZZ_CHECK(document.isObject(), QString::fromUtf8(body.left(200)));
    const QJsonArray items = document.object().value(QLatin1String("items")).toArray();
    FUZZ_CHECK(items.size() == page.items.size(), QStringLiteral("%1 items decoded, %2 in the JSON")
                                                      .arg(page.items.size())
                                                      .arg(items.size()));

    qsizetype from = 0;
    for (qsizetype i = 0; i < page.items.size(); ++i) {
        const FetchedRecord &record = page.items.at(i);
        FUZZ_CHECK(!record.id().isEmpty(), QString::number(i));
        // In the body, and after the previous item: the items in order, never overlapping.
        const qsizetype at = body.indexOf(record.payload().toByteArray(), from);
        FUZZ_CHECK(!record.payload().toByteArray().isEmpty() && at >= 0,
                   QString::fromUtf8(record.payload().toByteArray()));
        from = at + record.payload().toByteArray().size();

        QJsonParseError parseError;
        const QJsonDocument alone =
            QJsonDocument::fromJson(record.payload().toByteArray(), &parseError);
        FUZZ_CHECK(parseError.error == QJsonParseError::NoError && alone.isObject(),
                   QString::fromUtf8(record.payload().toByteArray().left(200)));
        const QJsonObject object = alone.object();
        FUZZ_CHECK(object == items.at(i).toObject(),
                   QString::fromUtf8(record.payload().toByteArray().left(200)));
        FUZZ_CHECK(sameString(record.idUtf8(), object.value(QLatin1String("id")).toString()),
                   QString::fromLatin1(record.idUtf8().toByteArray().toPercentEncoding()));
        // The id as text is its UTF-8, whole (a leading U+FEFF included).
        FUZZ_CHECK(record.id().toUtf8() == record.idUtf8(), record.id());
        FUZZ_CHECK(sameString(record.updatedAtUtf8(),
                              object.value(QLatin1String("updated_at")).toString()),
                   QString::fromLatin1(record.updatedAtUtf8().toByteArray().toPercentEncoding()));
    }
    return 0;
}
