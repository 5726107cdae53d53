#pragma once

#include <QByteArray>
#include <QString>

/// One item of a page: its `id`, its `updated_at` and the item's raw JSON bytes exactly as they
/// came over the wire (key order, number spelling and `\u0000` escapes untouched).
///
/// A decoded record does not copy its bytes: it shares its page's body (one allocation per page,
/// not three per record, which is what keeps a 200,000-record job light) and points into it.
/// Only an `id` or `updated_at` written with escapes is decoded into bytes of its own.
class FetchedRecord
{
public:
    /// Bytes [begin, begin + size) of the bytes a record points into.
    struct Span
    {
        qint32 begin = 0;
        qint32 size = 0;
    };

    FetchedRecord() = default;
    /// A record made of its own bytes (tests, tools).
    FetchedRecord(const QString &id, const QString &updatedAt, const QByteArray &payload);
    /// A record made of its own bytes, its `id` and `updated_at` given as UTF-8.
    static FetchedRecord fromUtf8(QByteArrayView id, QByteArrayView updatedAt,
                                  QByteArrayView payload);
    /// A decoded record: shares `page` (no copy) and points into it, at the spans of its plain
    /// (unescaped) `id` and `updated_at` and of the item's raw JSON; all lie within the page.
    FetchedRecord(const QByteArray &page, Span id, Span updatedAt, Span payload)
        : m_bytes(page)
        , m_id(id)
        , m_updatedAt(updatedAt)
        , m_payload(payload)
    {}

    /// The `id`, UTF-8 and unescaped; never empty in a decoded record.
    QByteArrayView idUtf8() const { return view(m_id); }
    QByteArrayView updatedAtUtf8() const { return view(m_updatedAt); }
    QByteArrayView payload() const { return view(m_payload); }
    /// The `id` and `updated_at` as text. A leading U+FEFF is part of the text, as it is in
    /// JSON and in the UTF-8 that is stored (QString::fromUtf8() would take it for a byte-order
    /// mark and drop it).
    QString id() const { return text(idUtf8()); }
    QString updatedAt() const { return text(updatedAtUtf8()); }

private:
    static QString text(QByteArrayView utf8);

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
