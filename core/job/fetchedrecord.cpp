#include "job/fetchedrecord.h"

#include <QStringDecoder>

FetchedRecord::FetchedRecord(const QString &id, const QString &updatedAt, const QByteArray &payload)
{
    *this = fromUtf8(id.toUtf8(), updatedAt.toUtf8(), payload);
}

FetchedRecord FetchedRecord::fromUtf8(QByteArrayView id, QByteArrayView updatedAt,
                                      QByteArrayView payload)
{
    FetchedRecord record;
    record.m_bytes.reserve(payload.size() + id.size() + updatedAt.size());
    record.m_bytes.append(payload).append(id).append(updatedAt);
    record.m_payload = {0, static_cast<qint32>(payload.size())};
    record.m_id = {record.m_payload.size, static_cast<qint32>(id.size())};
    record.m_updatedAt = {record.m_id.begin + record.m_id.size,
                          static_cast<qint32>(updatedAt.size())};
    return record;
}

QString FetchedRecord::text(QByteArrayView utf8)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless |
                                                     QStringDecoder::Flag::ConvertInitialBom);
    return decoder(utf8);
}
