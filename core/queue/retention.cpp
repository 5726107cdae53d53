#include "queue/retention.h"

#include "queue/queueoperations.h"

#include <QElapsedTimer>
#include <QTimer>

Retention::Retention(JobStore &store, const SchedulerClock &clock, const QString &actor,
                     QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_operations(std::make_unique<QueueOperations>(store, actor))
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(int(IntervalMs));
    connect(m_timer, &QTimer::timeout, this, &Retention::runNow);
}

Retention::~Retention() = default;

void Retention::setKeepDays(int days)
{
    const bool turnedOn = m_keepDays == 0 && days > 0;
    m_keepDays = qMax(0, days);
    if (turnedOn)
        runNow();
}

void Retention::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    if (active) {
        m_timer->start();
        runNow();
    } else {
        m_timer->stop(); // a pass under way stops after its current batch
    }
}

void Retention::runNow()
{
    if (m_running || !m_active || m_keepDays <= 0)
        return;
    m_running = true;
    m_removed = 0;
    m_cutoffMs = m_clock.nowMs() - qint64(m_keepDays) * 24 * 3600 * 1000;
    QMetaObject::invokeMethod(this, &Retention::nextBatch, Qt::QueuedConnection);
}

void Retention::nextBatch()
{
    if (!m_active || m_keepDays <= 0) {
        m_running = false;
        return;
    }
    HistoryFilter filter;
    filter.finishedBeforeMs = m_cutoffMs;
    const int asked = m_batchSize;
    QElapsedTimer took;
    took.start();
    const QueueResult<BulkReport> removed = m_operations->removeFinished(filter, asked);
    // Batches follow how long the last one took: halved over the goal, grown back well under.
    if (took.elapsed() > BatchGoalMs)
        m_batchSize = qMax(qMin(MinBatchSize, m_maxBatchSize), m_batchSize / 2);
    else if (took.elapsed() < BatchGoalMs / 3)
        m_batchSize = qMin(m_maxBatchSize, m_batchSize * 2);
    if (!removed.ok()) {
        m_running = false;
        emit failed(removed.error.message);
        return;
    }
    m_removed += removed.value->count();
    if (!removed.value->jobIds.isEmpty())
        emit batchRemoved(removed.value->jobIds);
    if (removed.value->count() < asked) {
        m_running = false;
        emit passFinished(m_removed);
        return;
    }
    // Back to the event loop first: the runner's and the window's work goes between batches.
    QMetaObject::invokeMethod(this, &Retention::nextBatch, Qt::QueuedConnection);
}
