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
    // The next batch is sized for the goal by the rate of the last one (at most doubling, at
    // least halving), so that a batch takes about BatchGoalMs and its slow outliers, when a
    // reader or a checkpoint competes, stay well under the runner's 50 ms.
    const double tookMs = qMax<double>(1.0, double(took.nsecsElapsed()) / 1e6);
    const double scale = qBound(0.5, double(BatchGoalMs) / tookMs, 2.0);
    m_batchSize = qBound(qMin(MinBatchSize, m_maxBatchSize), int(m_batchSize * scale),
                         m_maxBatchSize);
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
