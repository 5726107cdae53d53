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
    {
        const std::lock_guard<std::mutex> lock(m_mailbox->mutex);
        m_mailbox->calls.append(std::move(m_pending));
    }
    m_pending.clear();
    // One posted call per flush; the first to run takes every batch waiting (in order), the
    // others find the mailbox empty.
    QMetaObject::invokeMethod(
        m_receiver,
        [mailbox = m_mailbox] {
            QVector<std::function<void()>> calls;
            {
                const std::lock_guard<std::mutex> lock(mailbox->mutex);
                calls.swap(mailbox->calls);
            }
            for (const std::function<void()> &call : calls)
                call();
        },
        Qt::QueuedConnection);
}
