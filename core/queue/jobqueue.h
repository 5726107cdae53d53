#pragma once

#include "job/actor.h"
#include "job/apitoken.h"
#include "job/queuetypes.h"
#include "queue/queueoperations.h"
#include "queue/queuerunner.h"

#include <QObject>
#include <QPointer>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <type_traits>

class JobStore;

/// Owns a JobStore on a thread of its own, so that callers on the GUI thread never wait on
/// the database: work is posted there and its result comes back as a queued call.
class StoreThread final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreThread)

public:
    /// Starts the thread; `effects` are what operations() does beyond the store.
    StoreThread(DatabaseUrl url, QString actor, QueueEffects effects, QObject *parent = nullptr);
    ~StoreThread() override;

    /// The store, opened (or reopened after a lost connection) on first use. Store thread only.
    JobStore &store();
    /// The queue operations on store(), with the effects given. Store thread only.
    QueueOperations &operations();
    QObject *worker() const { return m_worker; }
    void stop();

signals:
    /// Another instance changed the queue (PostgreSQL LISTEN/NOTIFY); emitted from the store
    /// thread.
    void externalChange();

private:
    DatabaseUrl m_url;
    QString m_actor;
    QThread m_thread;
    QObject *m_worker = nullptr;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<QueueOperations> m_operations;
    QueueEffects m_effects;
};

/// The queue as the window and the headless process see it: asynchronous access to the store,
/// the runner on its thread, and the runner's signals relayed to the owner's thread.
class JobQueue final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobQueue)

public:
    struct Config
    {
        RunnerConfig runner;
        QStringList fetchTypes;
        bool runJobs = true; ///< false: watch and steer only, never run jobs here
        /// Who the changes made through this object are by (SPEC §8; job/actor.h).
        QString actor = Actor::window();
    };

    explicit JobQueue(Config config, QObject *parent = nullptr);
    ~JobQueue() override;

    /// Starts the store thread and, with runJobs, the runner thread.
    void start();
    /// Stops the runner (the running job is rolled back and re-queued) and the store thread.
    void stop();

    const Config &config() const { return m_config; }
    RunnerState runnerState() const { return m_runnerState; }
    /// What the state is about: the job running here ("job 7: 12284 prospect"), the instance
    /// holding the runner lock, the database error.
    QString runnerDetail() const;

    // The named queue operations (QueueOperations), run on the store thread: `done` is called
    // with the result on this object's thread, unless `context` is gone by then. `context` must
    // live in this object's thread. Each applies its effects itself (wakes the runner, aborts
    // the running job, emits changed()) before `done` is called.
    template<typename T> using Reply = std::function<void(T)>;

    void add(QObject *context, const NewJob &job, Reply<QueueResult<AddOutcome>> done);
    void addMany(QObject *context, const QStringList &dealerIds, const NewJob &common,
                 Reply<QueueResult<BulkOutcome>> done);
    void cancel(QObject *context, const QVector<qint64> &ids, Reply<CancelReport> done);
    void retry(QObject *context, const QVector<qint64> &ids, Reply<RetryReport> done);
    void move(QObject *context, const QVector<qint64> &ids, MoveOp op,
              Reply<QVector<StoreError>> done);
    void setPaused(QObject *context, bool paused, Reply<QueueResult<bool>> done);
    void clearFinished(QObject *context, const HistoryFilter &filter,
                       Reply<QueueResult<qint64>> done);
    void readDetails(QObject *context, qint64 id, Reply<QueueResult<JobDetails>> done);
    void readStatus(QObject *context, int limit, Reply<QueueResult<QueueStatus>> done);
    void readHistory(QObject *context, const HistoryFilter &filter,
                     Reply<QueueResult<QVector<Job>>> done);
    void countHistory(QObject *context, const HistoryFilter &filter,
                      Reply<QueueResult<qint64>> done);
    /// The audit log's page `filter` names, newest first (QueueOperations::audit).
    void readAudit(QObject *context, const AuditFilter &filter, Reply<QueueResult<AuditPage>> done);
    /// SPEC §10's stats of `range` at `nowMs` in the local zone (QueueOperations::stats).
    void readStats(QObject *context, StatsRange range, qint64 nowMs,
                   Reply<QueueResult<QVector<StatsBucket>>> done);
    /// SPEC §10's coverage page `filter` names (QueueOperations::coverage).
    void readCoverage(QObject *context, const CoverageFilter &filter,
                      Reply<QueueResult<CoveragePage>> done);
    void countQueued(QObject *context, const QueuedFilter &filter, Reply<QueueResult<qint64>> done);
    /// The window's view of the queue at `nowMs` (QueueOperations::snapshot).
    void readSnapshot(QObject *context, int queueLimit, const HistoryFilter &filter, qint64 nowMs,
                      Reply<QueueSnapshot> done, const QueuedFilter &queueFilter = {});
    // The bulk actions by filter (SPEC §7), each one transaction of QueueOperations; with
    // `confirmed`, the count the operator said yes to (more matching now changes nothing).
    void retryMatching(QObject *context, const HistoryFilter &filter,
                       std::optional<qint64> confirmed, Reply<QueueResult<BulkRetryReport>> done);
    void cancelMatching(QObject *context, const QueuedFilter &filter,
                        std::optional<qint64> confirmed, Reply<QueueResult<BulkReport>> done);
    void removeFinished(QObject *context, const HistoryFilter &filter,
                        Reply<QueueResult<BulkReport>> done);
    /// Writes the export of `request` (CSV or xlsx); `progress(done, total)` comes on this object's
    /// thread while `context` lives; setting `*cancel` stops the export.
    void exportCsv(QObject *context, const ExportRequest &request,
                   std::shared_ptr<std::atomic_bool> cancel,
                   std::function<void(qint64, qint64)> progress, Reply<QueueResult<qint64>> done);

    // Schedules (QueueOperations' schedule operations).
    void readSchedules(QObject *context, Reply<QueueResult<QVector<Schedule>>> done);
    void addSchedule(QObject *context, const Schedule &schedule, Reply<QueueResult<Schedule>> done);
    void updateSchedule(QObject *context, const Schedule &schedule,
                        Reply<QueueResult<Schedule>> done);
    void setScheduleEnabled(QObject *context, qint64 id, bool enabled,
                            Reply<QueueResult<Schedule>> done);
    void removeSchedule(QObject *context, qint64 id, Reply<QueueResult<bool>> done);
    void runSchedule(QObject *context, qint64 id, Reply<QueueResult<BulkOutcome>> done);

    // Named API tokens (TokenStore), made and revoked by this object's actor.
    void readApiTokens(QObject *context, Reply<QueueResult<QVector<ApiTokenInfo>>> done);
    /// The new token in clear, the one time it is seen.
    void addApiToken(QObject *context, const QString &name, TokenRole role,
                     Reply<QueueResult<QByteArray>> done);
    void revokeApiToken(QObject *context, const QString &name, Reply<QueueResult<bool>> done);

    /// Tells the runner and every observer that the queue changed (call after a mutation).
    void notifyChanged();
    /// Aborts `jobId` if this process runs it (the store has marked it cancel-requested).
    void cancelRunning(qint64 jobId);
    /// The dealer API for the next jobs on (the running one keeps its source).
    void setSource(const QUrl &url, const QByteArray &token, const QString &display = {});
    /// Lets the running job finish but takes no new one here (see QueueRunner::holdNewJobs).
    void holdNewJobs(bool hold);

signals:
    void changed();
    void runnerStateChanged(RunnerState state, const QString &detail);
    void jobStarted(const Job &job);
    void jobProgress(qint64 jobId, int pages, qint64 records);
    void jobPhase(qint64 jobId, const JobProgress &progress);
    void jobFinished(const Job &job);
    void queueEmpty();
    /// This instance fired a schedule's slot (QueueRunner::scheduleFired).
    void scheduleFired(const QString &name, qint64 slotMs, int added, int skipped);
    void scheduleFailed(const QString &message);
    /// One of this queue's operations has waited `waitedMs` so far for job `jobId`'s commit of
    /// `records` records (CommitNotice; SQLite), told every half second while it waits.
    void waitingForCommit(qint64 jobId, qint64 records, qint64 waitedMs);

private:
    /// Runs `work(QueueOperations&)` on the store thread, then `done(result)` on this object's
    /// thread unless `context` is gone by then.
    template<typename Work, typename Done> void run(QObject *context, Work work, Done done)
    {
        using Result = std::invoke_result_t<Work, QueueOperations &>;
        QPointer<QObject> guard(context);
        StoreThread *storeThread = m_store.get();
        QMetaObject::invokeMethod(
            storeThread->worker(),
            [this, storeThread, guard, work = std::move(work), done = std::move(done)]() mutable {
                auto result = std::make_shared<Result>(work(storeThread->operations()));
                QMetaObject::invokeMethod(
                    this,
                    [guard, result, done = std::move(done)]() mutable {
                        if (guard)
                            done(std::move(*result));
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }

    Config m_config;
    std::unique_ptr<StoreThread> m_store;
    std::unique_ptr<RunnerThread> m_runner;
    RunnerState m_runnerState = RunnerState::Starting;
    QString m_runnerDetail;
    QString m_runningJob; ///< the job running here, described; empty between jobs
};
