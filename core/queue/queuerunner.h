#pragma once

#include "config/databaseurl.h"
#include "job/job.h"
#include "job/queuetypes.h"
#include "queue/retention.h"
#include "queue/scheduler.h"
#include "queue/threadrelay.h"
#include "source/dealerclient.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <QUrl>

#include <memory>
#include <optional>

class JobStore;
class QNetworkAccessManager;
class QTimer;
class RunnerLock;

/// What the runner needs to know; copied into its thread.
struct RunnerConfig
{
    DatabaseUrl database;
    QUrl sourceUrl;
    QByteArray sourceToken;
    SourceProfile profile; ///< SPEC §11; the default is SPEC §2's shape
    /// Set when the settings' profile cannot be used: every job fails saying so.
    QString profileProblem;
    RetryPolicy retry;
    int maxAttempts = 5;       ///< a job cut off this many times fails as interrupted
    int pollIntervalMs = 1000; ///< how often the store is re-read for other processes' changes
    /// `[retention] keep_finished_days`: finished jobs older than this are removed while this
    /// instance holds the runner lock (SPEC §7); 0 keeps them.
    int keepFinishedDays = 0;
    QString instance;          ///< who runs jobs, as shown to operators ("host pid 123")
    QString sourceDisplay;     ///< the source as shown to operators (no token); the URL if empty
};

enum class RunnerState
{
    Starting,
    Idle,         ///< holds the lock, nothing queued
    Running,      ///< a job is running here
    Paused,       ///< the queue is paused: the running job finished, no new one is taken
    Standby,      ///< another instance runs jobs on this database
    DatabaseDown, ///< the database is unreachable; reconnecting with backoff
    Stopped,
};
QString runnerStateName(RunnerState state);

/// Runs queued jobs strictly one at a time. Lives on its own thread (see RunnerThread) with its
/// own database connection and QNetworkAccessManager; talks to the rest only through queued
/// signals and slots. It never sleeps: it waits for wake(), its poll timer, or the fetch.
class QueueRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueueRunner)

public:
    explicit QueueRunner(RunnerConfig config, QObject *parent = nullptr);
    ~QueueRunner() override;

public slots:
    /// Opens the store and starts taking jobs. Call in the runner's thread.
    void start();
    /// Something was queued, resumed or changed: look at the queue now.
    void wake();
    /// Aborts `jobId` if it is the running job (the store already marked it cancel-requested).
    void cancelRunning(qint64 jobId);
    /// Stops: the running job is rolled back and goes back to the queue; the lock is released.
    void stop();
    /// The dealer API from the next job on (the running one keeps its source); `display` is how
    /// operators see it, written to the store while this instance runs jobs.
    void setSource(const QUrl &url, const QByteArray &token, const QString &display);
    /// While held, the running job finishes but no new one is taken by this instance (the
    /// shared queue is not paused: another instance may take over).
    void holdNewJobs(bool hold);
    /// `[retention] keep_finished_days` changed; 0 turns retention off.
    void setKeepFinishedDays(int days);

signals:
    void stateChanged(RunnerState state, const QString &detail);
    void jobStarted(const Job &job);
    void jobProgress(qint64 jobId, int pages, qint64 records);
    /// The running job's phase changed (waiting, downloading, retrying, committing).
    void jobPhase(qint64 jobId, const JobProgress &progress);
    void jobFinished(const Job &job);
    /// Nothing is queued and nothing runs, in any process on this database.
    void queueEmpty();
    /// A schedule's slot fired here (SPEC §6): `added` jobs queued, `skipped` already queued.
    void scheduleFired(const QString &name, qint64 slotMs, int added, int skipped);
    /// A schedule could not fire (a database failure); it is tried again.
    void scheduleFailed(const QString &message);
    /// Retention (SPEC §7) finished a pass here, having removed `removed` finished jobs.
    void historyTrimmed(qint64 removed);
    void stopped();

private:
    /// The source as operators see it.
    QString sourceDisplay() const;
    void scheduleNext();
    void tryNext();
    bool ensureDatabase();
    void databaseFault(const StoreError &error);
    /// Sends `job`'s first request, then tells of `finishedBefore` (if any) and of `job`: the
    /// window hears of them while the request is on its way, not before it leaves.
    void startJob(const Job &job, const std::optional<Job> &finishedBefore = std::nullopt);
    /// Stages the pages the running job has fetched since the last call (JobStore::stageRecords):
    /// run after each page, once the next page's request is on its way, so that the two overlap.
    /// A failure stops the job; its attempt is then rolled back.
    void stageFetched();
    void onFetchFinished();
    void onPoll();
    void checkEmpty();
    void setState(RunnerState state, const QString &detail = {});
    void log(const QString &message);
    /// The running job's progress changed: tells the owner, and stores it within a second.
    void noteProgress(bool phaseChanged);
    void storeProgress();

    RunnerConfig m_config;
    QString m_runnerId;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<RunnerLock> m_lock;
    SystemClock m_clock;
    /// Fires the schedules while this instance holds the runner lock.
    std::unique_ptr<Scheduler> m_scheduler;
    /// Removes old finished jobs while this instance holds the runner lock.
    std::unique_ptr<Retention> m_retention;
    bool m_changesPushed = false; ///< PostgreSQL NOTIFY tells of other instances' changes
    QNetworkAccessManager *m_nam = nullptr;
    QTimer *m_pollTimer = nullptr;
    QTimer *m_reconnectTimer = nullptr;
    int m_reconnectDelayMs = 250;
    DealerFetch *m_fetch = nullptr;
    OAuth2TokenCache m_tokens; ///< auth=oauth2: one token for every job until it expires
    std::optional<Job> m_current;
    QVector<LogLine> m_log;
    /// Why staging the running job's records failed; the job stops and is rolled back.
    std::optional<StoreError> m_stageFailure;
    JobProgress m_progress;            ///< of the running job
    QTimer *m_progressTimer = nullptr; ///< stores m_progress at most once a second
    bool m_progressStored = false;     ///< the running job's progress was stored (it ran ≥ 1 s)
    RunnerState m_state = RunnerState::Starting;
    QString m_stateDetail;
    bool m_nextScheduled = false;
    bool m_needRecovery = false;
    bool m_holdNew = false;
    bool m_stopping = false;
    bool m_databaseUp = false;
};

/// Owns the runner's thread: start() moves a QueueRunner there and starts it; stop() rolls
/// back the running job, ends the thread and waits for it.
class RunnerThread final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunnerThread)

public:
    /// How often, at most, a run of quick jobs wakes the thread of `newsReceiver` (the
    /// window's): once per this interval, not once per job.
    static constexpr int NewsIntervalMs = 20;

    /// `newsReceiver` gets what news() carries: it lives on another thread and outlives this.
    RunnerThread(RunnerConfig config, QObject *newsReceiver, QObject *parent = nullptr);
    ~RunnerThread() override;

    QueueRunner *runner() const { return m_runner; }
    /// On the runner's thread: carries the runner's news to the receiver's thread, in order,
    /// in batches; flushed when the runner stops.
    ThreadRelay *news() const { return m_news; }
    void start();
    void stop();
    void wake();
    void cancelRunning(qint64 jobId);
    void setSource(const QUrl &url, const QByteArray &token, const QString &display);
    void holdNewJobs(bool hold);

private:
    QThread m_thread;
    QueueRunner *m_runner = nullptr;
    ThreadRelay *m_news = nullptr;
};

Q_DECLARE_METATYPE(RunnerState)
