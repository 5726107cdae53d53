#include "queue/retention.h"

#include "queue/queueoperations.h"
#include "store/jobstore.h"

#include <QElapsedTimer>
#include <QTimer>

#include <memory>

/// The passes, on Retention's own thread with its own connection.
class RetentionPasses final : public QObject
{
    Q_OBJECT

public:
    RetentionPasses(const DatabaseUrl &url, const QString &actor, std::atomic<bool> &stop,
                    std::atomic<int> &batchSize)
        : m_url(url)
        , m_actor(actor)
        , m_stop(stop)
        , m_batchSize(batchSize)
        , m_rest(new QTimer(this)) // a child: it moves to the passes' thread with them
    {
        m_rest->setSingleShot(true);
        m_rest->setInterval(Retention::RestMs);
        m_rest->setTimerType(Qt::PreciseTimer);
        connect(m_rest, &QTimer::timeout, this, &RetentionPasses::nextBatch);
    }

    /// Removes what finished before `cutoffMs`, in batches of at most `maxBatchSize`.
    void startPass(qint64 cutoffMs, int maxBatchSize)
    {
        m_cutoffMs = cutoffMs;
        m_maxBatchSize = maxBatchSize;
        m_batchSize = qMin(m_batchSize.load(), maxBatchSize);
        if (m_batchSize.load() < 1)
            m_batchSize = maxBatchSize;
        m_removed = 0;
        if (!m_store) {
            auto store = std::make_unique<JobStore>(m_url);
            StoreError error;
            if (!store->open(&error)) {
                emit failed(error.message);
                return;
            }
            // A batch removes the oldest jobs from every index of jobs (22), each at
            // pages of its own: SQLite's default 2 MB page cache would read most of them again
            // for every batch, and the batches would run longer. 32 MB, for this connection
            // only, freed when the pass closes it.
            if (store->database().isSqlite())
                store->database().exec(QStringLiteral("PRAGMA cache_size=-32768"));
            // On PostgreSQL a batch's commit does not wait for the server to flush its WAL
            // (this connection only, opened for one pass): the runner's durable commits flush
            // it. A server crash can undo the batches of its last moments, each whole with its
            // audit entry; the jobs are then still there, still past the cut-off, and the next
            // pass removes them.
            else if (QString why; !store->database().exec(
                         QStringLiteral("SET synchronous_commit TO off"), &why)) {
                emit failed(why);
                return;
            }
            m_store = std::move(store);
            m_operations = std::make_unique<QueueOperations>(*m_store, m_actor);
        }
        nextBatch();
    }

signals:
    void batchRemoved(const QVector<qint64> &jobIds);
    void finished(qint64 removed);
    void failed(const QString &message);
    void stopped();

private:
    void nextBatch()
    {
        if (m_stop.load()) {
            close();
            emit stopped();
            return;
        }
        HistoryFilter filter;
        filter.finishedBeforeMs = m_cutoffMs;
        const int asked = m_batchSize.load();
        QElapsedTimer took;
        took.start();
        const QueueResult<BulkReport> removed = m_operations->removeFinished(filter, asked);
        // The next batch is sized for the goal by the rate of the last one (at most doubling,
        // at least halving), so that a write waiting for one waits about BatchGoalMs.
        const double tookMs = qMax<double>(1.0, double(took.nsecsElapsed()) / 1e6);
        const double scale = qBound(0.5, double(Retention::BatchGoalMs) / tookMs, 2.0);
        m_batchSize = qBound(qMin(Retention::MinBatchSize, m_maxBatchSize), int(asked * scale),
                             m_maxBatchSize);
        if (!removed.ok()) {
            close(); // the next pass opens a new connection
            emit failed(removed.error.message);
            return;
        }
        m_removed += removed.value->count();
        if (!removed.value->jobIds.isEmpty())
            emit batchRemoved(removed.value->jobIds);
        // On SQLite the pages a batch wrote go back into the file here, on this thread, without
        // a lock that writers wait for. Otherwise the commit that crosses SQLite's checkpoint
        // threshold pays for them: often the runner's next small write, after a batch's large
        // one.
        if (m_store->database().isSqlite())
            m_store->database().exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
        if (removed.value->count() < asked) {
            close();
            emit finished(m_removed);
            return;
        }
        // On PostgreSQL nothing waits for a batch's lock, but every commit waits for the WAL
        // written before it: resting as long as the batch took halves the rate retention
        // writes at.
        m_rest->start(m_store->database().isSqlite() ? Retention::RestMs
                                                     : qMax(Retention::RestMs, int(tookMs)));
    }

    /// An hour goes by between passes: no connection is kept open for it.
    void close()
    {
        m_operations.reset();
        m_store.reset();
    }

    const DatabaseUrl m_url;
    const QString m_actor;
    std::atomic<bool> &m_stop;
    std::atomic<int> &m_batchSize;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<QueueOperations> m_operations;
    QTimer *m_rest;
    qint64 m_cutoffMs = 0;
    qint64 m_removed = 0;
    int m_maxBatchSize = Retention::DefaultBatchSize;
};

Retention::Retention(const DatabaseUrl &url, const SchedulerClock &clock, const QString &actor,
                     QObject *parent)
    : QObject(parent)
    , m_clock(clock)
    , m_passes(new RetentionPasses(url, actor, m_stop, m_batchSize))
    , m_timer(new QTimer(this))
{
    m_thread.setObjectName(QStringLiteral("retention"));
    m_passes->moveToThread(&m_thread);
    // Deleted on its own thread, where its connection was opened.
    connect(&m_thread, &QThread::finished, m_passes, &QObject::deleteLater);
    connect(m_passes, &RetentionPasses::batchRemoved, this, &Retention::batchRemoved);
    connect(m_passes, &RetentionPasses::finished, this, [this](qint64 removed) {
        passEnded();
        emit passFinished(removed);
    });
    connect(m_passes, &RetentionPasses::failed, this, [this](const QString &message) {
        passEnded();
        emit failed(message);
    });
    connect(m_passes, &RetentionPasses::stopped, this, &Retention::passEnded);
    m_thread.start();

    m_timer->setInterval(int(IntervalMs));
    connect(m_timer, &QTimer::timeout, this, &Retention::runNow);
}

Retention::~Retention()
{
    m_stop = true; // a pass under way ends after its current batch
    m_thread.quit();
    m_thread.wait();
}

void Retention::setKeepDays(int days)
{
    const bool turnedOn = m_keepDays == 0 && days > 0;
    m_keepDays = qMax(0, days);
    if (m_keepDays == 0) {
        m_stop = true;
        m_again = false;
    }
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
        m_timer->stop();
        m_stop = true;
        m_again = false;
    }
}

void Retention::runNow()
{
    if (!m_active || m_keepDays <= 0)
        return;
    if (m_running) {
        m_again = true; // after the pass under way, which may have been told to stop
        return;
    }
    m_running = true;
    m_stop = false;
    const qint64 cutoffMs = m_clock.nowMs() - qint64(m_keepDays) * 24 * 3600 * 1000;
    QMetaObject::invokeMethod(
        m_passes,
        [passes = m_passes, cutoffMs, size = m_maxBatchSize] { passes->startPass(cutoffMs, size); },
        Qt::QueuedConnection);
}

void Retention::passEnded()
{
    m_running = false;
    if (m_again) {
        m_again = false;
        runNow();
    }
}

#include "retention.moc"
