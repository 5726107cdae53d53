#include "job/fetchedrecord.h"

FetchedRecord::FetchedRecord(const QString &id, const QString &updatedAt, const QByteArray &payload)
{
    const QByteArray idBytes = id.toUtf8();
    const QByteArray updatedBytes = updatedAt.toUtf8();
    m_bytes.reserve(payload.size() + idBytes.size() + updatedBytes.size());
    m_bytes.append(payload).append(idBytes).append(updatedBytes);
    m_payload = {0, static_cast<qint32>(payload.size())};
    m_id = {m_payload.size, static_cast<qint32>(idBytes.size())};
    m_updatedAt = {m_id.begin + m_id.size, static_cast<qint32>(updatedBytes.size())};
}
