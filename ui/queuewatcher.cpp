#include "queuewatcher.h"

#include "queue/jobqueue.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTimer>

QueueWatcher::QueueWatcher(JobQueue *queue, QObject *parent)
    : QObject(parent)
    , m_queue(queue)
    , m_intervalTimer(new QTimer(this))
    , m_soonTimer(new QTimer(this))
{
    m_intervalTimer->setInterval(5000);
    connect(m_intervalTimer, &QTimer::timeout, this, &QueueWatcher::refreshNow);
    m_intervalTimer->start();
    m_soonTimer->setSingleShot(true);
    m_soonTimer->setInterval(80);
    connect(m_soonTimer, &QTimer::timeout, this, &QueueWatcher::refreshNow);
    connect(m_queue, &JobQueue::changed, this, &QueueWatcher::refreshSoon);
}

QueueWatcher::~QueueWatcher() = default;

void QueueWatcher::setQueueLimitSource(std::function<int()> source)
{
    m_queueLimit = std::move(source);
}

void QueueWatcher::setHistoryFilterSource(std::function<HistoryFilter()> source)
{
    m_historyFilter = std::move(source);
}

void QueueWatcher::setQueueFilterSource(std::function<QueuedFilter()> source)
{
    m_queueFilter = std::move(source);
}

void QueueWatcher::setInterval(int seconds)
{
    m_intervalTimer->start(qMax(1, seconds) * 1000);
}

void QueueWatcher::refreshSoon()
{
    if (!m_soonTimer->isActive())
        m_soonTimer->start();
}

void QueueWatcher::refreshNow()
{
    m_soonTimer->stop();
    if (m_inFlight) {
        m_again = true;
        return;
    }
    m_inFlight = true;
    // The periodic read counts from the latest one.
    m_intervalTimer->start();
    const HistoryFilter filter = m_historyFilter ? m_historyFilter() : HistoryFilter{};
    const int queueLimit = m_queueLimit ? m_queueLimit() : 1000;
    const QueuedFilter queueFilter = m_queueFilter ? m_queueFilter() : QueuedFilter{};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_queue->readSnapshot(
        this, queueLimit, filter, now,
        [this](QueueSnapshot snapshot) {
            QElapsedTimer timer;
            timer.start();
            emit snapshotReady(snapshot);
            const qint64 ui = timer.nsecsElapsed();
            m_inFlight = false;
            emit refreshed(ui);
            if (m_again) {
                m_again = false;
                refreshNow();
            }
        },
        queueFilter);
}
