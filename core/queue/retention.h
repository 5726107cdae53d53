#pragma once

#include "config/databaseurl.h"
#include "queue/scheduler.h"

#include <QObject>
#include <QThread>

#include <atomic>

class QTimer;
class RetentionPasses;

/// Applies `[retention] keep_finished_days` (SPEC §7) in the instance that holds the runner
/// lock: at activation and every hour, removes the finished jobs that finished more than that
/// many days ago, with their logs (never fetched records), through the queue's named operation
/// QueueOperations::removeFinished().
///
/// The removal runs on a thread and a connection of its own, so the runner's thread is never
/// held by it. It works in batches, one short transaction each, with a short rest between
/// them: what waits for a batch is only a write of another connection on SQLite (the runner's,
/// the window's), at most one batch's transaction long, and the rest lets it in before the next
/// one. On PostgreSQL what waits is any durable commit, for the WAL written before it: there the
/// rest is as long as the batch, so that retention writes at half the rate. Each batch is sized by
/// the rate of the one before to take about BatchGoalMs (at most twice or half the last, never over
/// the batch size set). The connection is opened for a pass and closed after it, so a pass after a
/// lost connection starts on a new one.
///
/// This object lives on its owner's thread (the runner's), which reads the clock: the
/// scheduler's, so tests move it instead of waiting. Its signals come on that thread.
class Retention final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Retention)

public:
    static constexpr qint64 IntervalMs = 3600 * 1000;
    static constexpr int DefaultBatchSize = 200;
    static constexpr int BatchGoalMs = 15;
    static constexpr int MinBatchSize = 20;
    /// The pause after each batch, in which writes that waited for it go in; on PostgreSQL at
    /// least as long as the batch took.
    static constexpr int RestMs = 2;

    /// Removes from the database at `url`, as `actor` (SPEC §8).
    Retention(const DatabaseUrl &url, const SchedulerClock &clock, const QString &actor,
              QObject *parent = nullptr);
    ~Retention() override;

    /// Keep finished jobs this many days; 0 keeps them forever (nothing is removed, and a pass
    /// under way stops after its current batch).
    void setKeepDays(int days);
    int keepDays() const { return m_keepDays; }
    /// Active while this instance holds the runner lock: a pass at once, then every hour.
    /// Inactive, a pass under way stops after its current batch.
    void setActive(bool active);
    bool isActive() const { return m_active; }
    /// The most jobs one batch takes (DefaultBatchSize unless set), from the next pass on.
    void setBatchSize(int jobs) { m_maxBatchSize = qMax(1, jobs); }
    /// The size of the latest batch the pass asked for: fewer than the most while batches
    /// take longer than BatchGoalMs.
    int batchSize() const { return m_batchSize.load(); }
    bool isRunning() const { return m_running; }

public slots:
    /// Starts a pass now, unless retention is off or inactive. When one is under way, another
    /// starts after it. Public for tests, which move their clock instead of waiting an hour.
    void runNow();

signals:
    /// One batch removed `jobIds` (oldest finished first).
    void batchRemoved(const QVector<qint64> &jobIds);
    /// A pass ended: `removed` jobs in all, none left older than the cut-off (unless it failed).
    void passFinished(qint64 removed);
    /// A batch failed; the pass stops and is tried again at the next hour.
    void failed(const QString &message);

private:
    /// The worker's pass ended (finished, failed or stopped).
    void passEnded();

    const SchedulerClock &m_clock;
    std::atomic<bool> m_stop{false}; ///< read by the passes after each batch
    std::atomic<int> m_batchSize{DefaultBatchSize};
    QThread m_thread;
    RetentionPasses *m_passes; ///< lives on m_thread, deleted when it ends
    QTimer *m_timer;
    int m_keepDays = 0;
    int m_maxBatchSize = DefaultBatchSize;
    bool m_active = false;
    bool m_running = false;
    bool m_again = false; ///< runNow() came while a pass was under way
};
