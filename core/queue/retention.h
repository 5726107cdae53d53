#pragma once

#include "queue/scheduler.h"

#include <QObject>

#include <memory>

class JobStore;
class QTimer;
class QueueOperations;

/// Applies `[retention] keep_finished_days` (SPEC §7) in the instance that holds the runner
/// lock: at activation and every hour, removes the finished jobs that finished more than that
/// many days ago, with their logs (never fetched records), through the queue's named operation
/// QueueOperations::removeFinished(). It works in batches of at most batchSize() jobs, one
/// short transaction each, going back to the event loop between batches, so that neither the
/// runner (whose thread it shares) nor the window (whose writes wait for it on SQLite) waits
/// long; each batch is sized by the rate of the one before to take about BatchGoalMs (at most
/// twice or half the last, never over the batch size set). Lives on the runner's thread and
/// uses its store; its clock is the scheduler's, so tests move it instead of waiting.
class Retention final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Retention)

public:
    static constexpr qint64 IntervalMs = 3600 * 1000;
    static constexpr int DefaultBatchSize = 200;
    static constexpr int BatchGoalMs = 15;
    static constexpr int MinBatchSize = 20;

    /// `actor` is who the removals are made by (SPEC §8).
    Retention(JobStore &store, const SchedulerClock &clock, const QString &actor,
              QObject *parent = nullptr);
    ~Retention() override;

    /// Keep finished jobs this many days; 0 keeps them forever (nothing is removed).
    void setKeepDays(int days);
    int keepDays() const { return m_keepDays; }
    /// Active while this instance holds the runner lock: a pass at once, then every hour.
    void setActive(bool active);
    bool isActive() const { return m_active; }
    /// The most jobs one batch takes (DefaultBatchSize unless set); fewer while batches take
    /// longer than BatchGoalMs.
    void setBatchSize(int jobs)
    {
        m_maxBatchSize = qMax(1, jobs);
        m_batchSize = m_maxBatchSize;
    }
    int batchSize() const { return m_batchSize; }
    bool isRunning() const { return m_running; }

public slots:
    /// Starts a pass now, unless one is under way, retention is off or inactive. Public for
    /// tests, which move their clock instead of waiting an hour.
    void runNow();

signals:
    /// One batch removed `jobIds` (oldest finished first).
    void batchRemoved(const QVector<qint64> &jobIds);
    /// A pass ended: `removed` jobs in all, none left older than the cut-off (unless it failed).
    void passFinished(qint64 removed);
    /// A batch failed; the pass stops and is tried again at the next hour.
    void failed(const QString &message);

private:
    void nextBatch();

    const SchedulerClock &m_clock;
    std::unique_ptr<QueueOperations> m_operations;
    QTimer *m_timer;
    int m_keepDays = 0;
    int m_batchSize = DefaultBatchSize;
    int m_maxBatchSize = DefaultBatchSize;
    bool m_active = false;
    bool m_running = false;
    qint64 m_cutoffMs = 0;
    qint64 m_removed = 0;
};
