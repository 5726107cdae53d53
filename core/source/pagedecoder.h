#pragma once

#include <optional>

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QVector>

struct DecodedPage;

/// One item of a page: its `id`, its `updated_at` and the item's raw JSON bytes exactly as they
/// came over the wire (key order, number spelling and `\u0000` escapes untouched).
///
/// A decoded record does not copy its bytes: it shares its page's body (one allocation per page,
/// not three per record, which is what keeps a 200,000-record job light) and points into it.
/// Only an `id` or `updated_at` written with escapes is decoded into bytes of its own.
class FetchedRecord
{
public:
    FetchedRecord() = default;
    /// A record made of its own bytes (tests, tools).
    FetchedRecord(const QString &id, const QString &updatedAt, const QByteArray &payload);

    /// The `id`, UTF-8 and unescaped; never empty in a decoded record.
    QByteArrayView idUtf8() const { return view(m_id); }
    QByteArrayView updatedAtUtf8() const { return view(m_updatedAt); }
    QByteArrayView payload() const { return view(m_payload); }
    QString id() const { return QString::fromUtf8(idUtf8()); }
    QString updatedAt() const { return QString::fromUtf8(updatedAtUtf8()); }

private:
    friend class StrictPageReader; // decodePageQuickly()
    friend bool decodePageThoroughly(const QByteArray &body, DecodedPage *page, QString *error);

    /// Bytes [begin, begin + size) of m_bytes.
    struct Span
    {
        qint32 begin = 0;
        qint32 size = 0;
    };
    QByteArrayView view(Span span) const
    {
        return QByteArrayView(m_bytes.constData() + span.begin, span.size);
    }

    QByteArray m_bytes; ///< the page's body (shared), or the record's own bytes
    Span m_id;
    Span m_updatedAt;
    Span m_payload;
};
Q_DECLARE_TYPEINFO(FetchedRecord, Q_RELOCATABLE_TYPE); // a QByteArray and plain integers

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
