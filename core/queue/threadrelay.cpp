#include "queue/threadrelay.h"

#include <QTimer>

ThreadRelay::ThreadRelay(QObject *receiver, int intervalMs)
    : m_receiver(receiver)
    , m_intervalMs(intervalMs)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &ThreadRelay::flush);
}

void ThreadRelay::send(std::function<void()> call)
{
    m_pending.push_back(std::move(call));
    if (m_timer->isActive())
        return;
    const qint64 since = m_sinceFlush.isValid() ? m_sinceFlush.elapsed() : m_intervalMs;
    if (since >= m_intervalMs)
        flush();
    else
        m_timer->start(int(m_intervalMs - since));
}

void ThreadRelay::flush()
{
    m_timer->stop();
    if (m_pending.isEmpty())
        return;
    m_sinceFlush.start();
    QMetaObject::invokeMethod(
        m_receiver,
        [batch = std::exchange(m_pending, {})] {
            for (const std::function<void()> &call : batch)
                call();
        },
        Qt::QueuedConnection);
}
