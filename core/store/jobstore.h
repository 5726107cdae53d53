#pragma once

#include "job/audit.h"
#include "job/insight.h"
#include "job/job.h"
#include "job/queuetypes.h"
#include "store/database.h"
#include "store/recordidfilter.h"
#include "store/schema.h"

#include <QHash>
#include <QStringList>
#include <QVariant>
#include <QVector>

#include <functional>
#include <memory>
#include <optional>

class FetchedRecord;
class RecordSpool;

/// How a running job's attempt ended, as the runner reports it.
enum class FinishOutcome
{
    Done,             ///< the job now has the state asked for
    CancelledInstead, ///< a cancel arrived first: the job was marked cancelled, no records kept
    NotOurs           ///< the job is no longer running under this runner: nothing was written
};

/// What completeJob() and failJob() also do inside their transaction, for the runner: read the
/// job back as it now stands and, when `claimFor` is set and the queue is not paused, claim the
/// next queued job for that runner, so that one commit ends a job and starts the next.
struct FinishFollowUp
{
    QString claimFor;            ///< the runner to claim the next job for; empty: claim none
    std::optional<Job> finished; ///< the job after its end was recorded
    std::optional<Job> next;     ///< the job claimed, if any
};

/// The persistent queue, its history and the fetched records, on one database connection of
/// the calling thread. Every method is synchronous; open one JobStore per thread.
class JobStore final
{
public:
    /// The newest schema this build knows.
    static constexpr int SchemaVersion = NewestSchemaVersion;

    explicit JobStore(const DatabaseUrl &url);
    ~JobStore();
    Q_DISABLE_COPY_MOVE(JobStore)

    /// Opens the connection and brings the schema up to `targetVersion` (the newest by
    /// default), under a lock so that instances starting together migrate it once.
    bool open(StoreError *error, int targetVersion = SchemaVersion);
    /// Reconnects after a lost connection.
    bool reopen(StoreError *error);
    bool isOpen() const;
    /// On PostgreSQL: calls `onChange` (in this thread) whenever another connection commits a
    /// change to the queue (LISTEN/NOTIFY), also after a reconnect. False on SQLite, which
    /// has no such thing: there the callers' periodic re-read is all there is.
    bool subscribeToChanges(std::function<void()> onChange);
    Database &database() { return *m_db; }
    int schemaVersion(StoreError *error = nullptr);

    // Queue operations for the window, the API and the command line. Each change writes one
    // entry in the audit log (SPEC §8) inside its transaction: by `actor` (job/actor.h;
    // "unknown" when empty), or for the adds by the jobs' `createdBy`. A change that does
    // nothing (no job matched, already paused) writes none.
    std::optional<AddOutcome> addJob(const NewJob &job, StoreError *error);
    /// Queues one job per dealer, in order, in one transaction: all or nothing. IDs an
    /// identical queued job already covers are skipped and reported.
    std::optional<BulkOutcome> addJobs(const QStringList &dealerIds, const NewJob &common,
                                       StoreError *error);
    std::optional<CancelOutcome> cancelJob(qint64 id, StoreError *error, const QString &actor = {});
    std::optional<Job> retryJob(qint64 id, StoreError *error, const QString &actor = {});
    bool moveJob(qint64 id, MoveOp op, StoreError *error, const QString &actor = {});
    bool setPaused(bool paused, StoreError *error, const QString &actor = {});
    std::optional<bool> isPaused(StoreError *error);
    /// Removes completed, failed and cancelled jobs and their log lines; returns how many.
    std::optional<qint64> clearFinished(StoreError *error);
    /// The same for the finished jobs `filter` matches (its limit and offset are not used).
    std::optional<qint64> clearFinished(const HistoryFilter &filter, StoreError *error,
                                        const QString &actor = {});

    /// Queues again, in one transaction, every failed or cancelled job `filter` matches (its
    /// statuses default to failed; sort, limit and offset are not used), in job ID order, as
    /// retryJob() does each: attempts and logs are kept. A job whose twin (same dealer, type
    /// and window) is queued, or was queued again before it here, is skipped and named.
    /// `confirmed`, when given, is how many matching jobs the operator was asked about: should
    /// more match now (skipped ones included), nothing changes and the answer is a Conflict
    /// that says how many. Fewer is no surprise (a job retried, or started, meanwhile): those
    /// that still match are taken, and the report says how many.
    std::optional<BulkRetryReport> retryMatching(const HistoryFilter &filter, StoreError *error,
                                                 const QString &actor = {},
                                                 std::optional<qint64> confirmed = std::nullopt);
    /// Cancels every queued job `filter` matches in one transaction; never a running one. A
    /// filter naming no field is refused (Invalid, field `all`) unless it says `all`.
    /// `confirmed` as for retryMatching().
    std::optional<BulkReport> cancelMatching(const QueuedFilter &filter, StoreError *error,
                                             const QString &actor = {},
                                             std::optional<qint64> confirmed = std::nullopt);
    /// Removes the finished jobs `filter` matches (sort, limit and offset are not used), oldest
    /// finished first, at most `maxJobs` of them (every one when negative), with their log lines
    /// and attempts (but those that ended today, which the day's counters count), in one
    /// transaction. Fetched records stay.
    std::optional<BulkReport> removeFinished(const HistoryFilter &filter, int maxJobs,
                                             StoreError *error, const QString &actor = {});

    // Reading.
    /// Begins `read`: the reads until it ends see one state of the database (ReadTransaction).
    /// A failure is reported as any read's, a lost connection noted.
    bool begin(ReadTransaction &read, StoreError *error);
    std::optional<Job> job(qint64 id, StoreError *error);
    /// The running job, the queue's length and first `limit` jobs, pause and runner, as of one
    /// moment.
    std::optional<QueueStatus> queueStatus(int limit, StoreError *error);
    std::optional<QVector<Job>> queuedJobs(int limit, StoreError *error);
    /// The first `limit` queued jobs `filter` matches (its `all` aside), in run order.
    std::optional<QVector<Job>> queuedJobs(int limit, const QueuedFilter &filter,
                                           StoreError *error);
    /// How many queued jobs `filter` matches (its `all` aside): every one for an empty filter.
    std::optional<qint64> queuedCount(const QueuedFilter &filter, StoreError *error);
    std::optional<QVector<Job>> history(const HistoryFilter &filter, StoreError *error);
    std::optional<qint64> historyCount(const HistoryFilter &filter, StoreError *error);
    /// history() and historyCount() in one read, as the window's refresh and the API's page take
    /// them: as of one moment, and a text's dealers are looked for once for both.
    std::optional<HistoryPage> historyPage(const HistoryFilter &filter, StoreError *error);
    /// The jobs by status and today's attempts, as of one moment.
    std::optional<JobCounts> counts(qint64 nowMs, StoreError *error);
    std::optional<QVector<LogLine>> jobLogs(qint64 id, StoreError *error);
    /// Every attempt of job `id`, oldest first (kept across Retry).
    std::optional<QVector<JobAttempt>> jobAttempts(qint64 id, StoreError *error);
    /// Calls `visit` for every job, oldest first, reading in chunks so that a large history
    /// never sits in memory at once. `visit` returns false to stop.
    bool forEachJob(const std::function<bool(const Job &)> &visit, StoreError *error);
    std::optional<qint64> recordCount(StoreError *error);
    /// True while a job is queued or running, in any process.
    std::optional<bool> hasPendingJobs(StoreError *error);
    /// The audit log (SPEC §8): the page `filter` names, newest first, with its total.
    std::optional<AuditPage> audit(const AuditFilter &filter, StoreError *error);
    /// The newest `limit` audit entries that took job `id`, newest first.
    std::optional<QVector<AuditEntry>> jobAudit(qint64 id, int limit, StoreError *error);

    /// SPEC §10's stats: bucket i counts the jobs that finished in [edges[i], edges[i + 1])
    /// (statsBucketEdges()), with their fetched records and the nearest-rank p50 and p95 of its
    /// completed jobs' durations. From `source` (StatsSource): one aggregate query over the
    /// finished_ms index, or the hourly figures the triggers of schema 9 keep (the scan all the
    /// same when an edge is not a whole UTC hour).
    std::optional<QVector<StatsBucket>> stats(const QVector<qint64> &edges, StatsSource source,
                                              StoreError *error);
    /// SPEC §10's coverage: one row per dealer and type that has any job, as `filter` selects
    /// and pages them, with the total; read from `insight_coverage` (kept by schema 9's
    /// triggers) and `record_counts`, never from a scan of the jobs or the records.
    std::optional<CoveragePage> coverage(const CoverageFilter &filter, StoreError *error);

    // The runner's side.
    /// Claims the next queued job (priority, then first in first out) for `runnerId`:
    /// running, attempts + 1, started now. Nothing when the queue is empty.
    std::optional<Job> claimNext(const QString &runnerId, StoreError *error);
    std::optional<bool> isCancelRequested(qint64 id, StoreError *error);
    /// Stages a page of running job `job`'s records (RecordWriter::stage) on this connection, to
    /// go into `records` with the job's completion: what a job fetched waits in the staging
    /// table, not in memory. Takes no lock of the shared database's. The first page of an
    /// attempt starts the staging afresh; whatever an attempt that did not complete left is
    /// never merged.
    bool stageRecords(const Job &job, const QVector<FetchedRecord> &records, StoreError *error);
    /// How many records of `job`'s current attempt are staged.
    qint64 stagedRecords(const Job &job) const;
    /// Whether `job`'s current attempt keeps its records in a spool file (PostgreSQL: a first
    /// fetch of its dealer and type, up to spoolLimit() records) rather than the staging table.
    bool isSpooling(const Job &job) const;
    /// The most records a first fetch keeps in its spool file (PostgreSQL): past them they move
    /// into the staging table, where the job's later pages follow them. Bounds the file, and
    /// keeps it to the jobs whose RecordIdFilter can still tell that no record came twice (one
    /// that may have takes the merge, which then stages the file at the commit). 0: none.
    static constexpr qint64 DefaultSpoolLimit = 250000;
    qint64 spoolLimit() const { return m_spoolLimit; }
    void setSpoolLimit(qint64 records) { m_spoolLimit = records; }
    /// Where spool files are made (the system's temporary directory unless set).
    void setSpoolDirectory(const QString &directory) { m_spoolDirectory = directory; }
    /// Upserts every record staged for `job` and `records` and marks the job completed in one
    /// transaction; the staged rows are removed just after it.
    std::optional<FinishOutcome> completeJob(const Job &job, const QVector<FetchedRecord> &records,
                                             const QVector<LogLine> &log, JobResult *result,
                                             StoreError *error, FinishFollowUp *followUp = nullptr);
    std::optional<FinishOutcome> failJob(const Job &job, const JobError &jobError,
                                         const QVector<LogLine> &log, StoreError *error,
                                         FinishFollowUp *followUp = nullptr);
    /// A running job was cut off (shutdown, database fault): back to the queue with its attempt
    /// counted, or failed as `category` once it has had `maxAttempts`.
    std::optional<FinishOutcome> requeueInterrupted(const Job &job, int maxAttempts,
                                                    ErrorCategory category, const QString &why,
                                                    StoreError *error);
    /// Jobs left running by a dead process: each goes back to the queue, or fails as
    /// interrupted after `maxAttempts`. Call only while holding the runner lock.
    std::optional<int> recoverInterrupted(int maxAttempts, StoreError *error);
    bool appendLog(qint64 jobId, const QString &message, StoreError *error);
    /// Stores how far running job `jobId` of `runnerId` got (SPEC §1 `progress`).
    bool setProgress(qint64 jobId, const QString &runnerId, const JobProgress &progress,
                     StoreError *error);
    bool setRunnerHolder(const QString &holder, StoreError *error);
    /// The dealer API the jobs are fetched from, as operators see it (no secrets), by the
    /// instance that holds the runner lock; empty when none does.
    bool setRunnerSource(const QString &source, StoreError *error);

private:
    friend class ScheduleStore; // its statements share this connection's error bookkeeping
    friend class TokenStore;

    bool fail(StoreError *error, const QSqlQuery &query, const QString &what);
    bool fail(StoreError *error, const QSqlError &sqlError, const QString &what);
    /// Reports a failed begin or commit of `tx` as `message`: a lost connection as such, noted
    /// so that isOpen() turns false and the store's holder opens a new one; anything else as a
    /// database error. Returns false.
    bool transactionFailed(const WriteTransaction &tx, StoreError *error, const QString &message);
    /// AuditLog::append() inside the open transaction, noting a lost connection as fail() does.
    bool writeAudit(const AuditEntry &entry, StoreError *error, bool listJobsOnly = false);
    /// The jobs `sql` selects (JobColumns) with `binds`; `what` names the read in an error.
    std::optional<QVector<Job>> selectJobs(const QString &sql, const QVariantList &binds,
                                           const QString &what, StoreError *error);
    /// How history(`filter`) reads where the database cannot tell the best way: SQLite has no
    /// statistics of its own, PostgreSQL's know nothing of how a status goes with the columns.
    enum class HistoryPlan
    {
        SQLiteChooses,      ///< as the database plans it, through the index it picks
        WalkPastOtherTypes, ///< SQLite: the order's index, past the jobs of other types
        FilterIndex,        ///< the few jobs of the statuses (or error category) asked for, sorted
        MarkedJobs, ///< a text's matches, or failed and cancelled ones, from the message indexes
    };
    /// The dealers whose ID holds a history filter's text (SPEC §7 `q`) and how many jobs they
    /// have: with the messages, which their index holds, what can hold the text; read instead
    /// of the history while the dealers' jobs are few (each is a look-up).
    struct TextSearch
    {
        QStringList dealers;    ///< the dealer IDs that hold the text
        qint64 dealerJobs =
            -1; ///< their jobs, counted up to one more than asked; -1: not looked for
        /// Whether they are at most `most`, for a `most` no further than they were counted.
        bool few(int most) const { return dealerJobs >= 0 && dealerJobs <= most; }
    };
    /// The text's dealers and their jobs, counted up to `most` + 1 (counting that far costs no
    /// more than reading them would); not looked for without a text, with a dealer (whose index
    /// reads fewer) or with more than 10,000 dealers whose ID holds it.
    std::optional<TextSearch> textSearch(const HistoryFilter &filter, int most, StoreError *error);
    /// `given` when there is one, else the text's dealers looked for up to `most` jobs.
    std::optional<TextSearch> textSearch(const HistoryFilter &filter, const TextSearch *given,
                                         int most, StoreError *error);
    /// history() and historyCount(), given the text's dealers already looked for (`given`), or
    /// looking for them (null).
    std::optional<QVector<Job>> readHistory(const HistoryFilter &asked, const TextSearch *given,
                                            StoreError *error);
    std::optional<qint64> countHistory(const HistoryFilter &filter, const TextSearch *given,
                                       StoreError *error);
    /// The plan for `filter`, from the kept hourly figures: a type's jobs are walked past (on
    /// SQLite) when the type holds enough of the history for that to read fewer than the type's
    /// jobs; a status filter matching at most 100,000 jobs, and on PostgreSQL an error
    /// category, reads them and sorts them; a text whose dealers have few jobs (`given`, or
    /// looked for here when null) reads its matches, those dealers set in *textDealers.
    std::optional<HistoryPlan> historyPlan(const HistoryFilter &filter, const TextSearch *given,
                                           QStringList *textDealers, StoreError *error);
    /// How many rows `from` (a FROM clause, with its WHERE) holds, with `binds`.
    std::optional<qint64> countJobs(const QString &from, const QVariantList &binds,
                                    const QString &what, StoreError *error);
    /// Notes a lost connection from an error set elsewhere (AuditLog); returns false.
    bool noteFailure(const StoreError *error);
    bool exec(class QSqlQuery &query, StoreError *error, const QString &what);
    /// The finished jobs of `fetchType` (empty: any type) by status, as JobCounts' completed,
    /// failed and cancelled: from the hourly figures (schema 9) and the finished jobs without a
    /// finish time, which the figures leave out, never from a scan of the history.
    std::optional<JobCounts> finishedCounts(const QString &fetchType, StoreError *error);
    /// stats() from the kept hourly figures; every edge a whole UTC hour.
    std::optional<QVector<StatsBucket>> statsFromFigures(const QVector<qint64> &edges,
                                                         StoreError *error);
    bool insertLog(qint64 jobId, const QVector<LogLine> &log, StoreError *error);
    std::optional<Job> findQueuedDuplicate(const NewJob &job, StoreError *error);
    /// addJobs' steps for one chunk: queueing dealers at positions from `firstPosition` on
    /// (*ids in order; 0 where an identical job is queued already), and finding those jobs
    /// (added to *queued).
    bool findQueued(const QStringList &dealerIds, const NewJob &common,
                    QHash<QString, qint64> *queued, StoreError *error);
    bool insertJobs(const QStringList &dealerIds, const NewJob &common, int priority,
                    qint64 firstPosition, qint64 nowMs, QVector<qint64> *ids, StoreError *error);
    std::optional<qint64> queueEdge(bool front, StoreError *error);
    /// Runs `sql`, whose "%1" becomes one placeholder per ID, with `before` and then `ids` bound.
    bool execForIds(const QString &sql, const QVariantList &before, const QVector<qint64> &ids,
                    StoreError *error, const QString &what);
    std::optional<QString> metaValue(const QString &key, StoreError *error);
    bool setMetaValue(const QString &key, const QString &value, StoreError *error);
    std::optional<FinishOutcome> finishRunning(const Job &job, JobStatus status,
                                               const JobError &jobError, JobResult *result,
                                               const QVector<LogLine> &log,
                                               const QVector<FetchedRecord> *records,
                                               StoreError *error, FinishFollowUp *followUp);
    /// Marks the first queued job running for `runnerId`, inside an open write transaction.
    std::optional<Job> claimInTransaction(const QString &runnerId, StoreError *error);

    bool listen();

    /// What this connection's staging table holds (stageRecords()).
    struct Staging
    {
        qint64 jobId = 0; ///< the attempt being staged, 0 for none
        int attempt = 0;
        qint64 records = 0;      ///< staged for that attempt
        qint64 sinceEmptied = 0; ///< rows staged since the table was last emptied
        bool ready = false;      ///< the table exists on the open connection
        bool clean = false;      ///< and holds no rows
        RecordIdFilter ids;      ///< the attempt's staged ids: whether one came twice
        std::unique_ptr<RecordSpool> spool; ///< the attempt's records, when in a file instead
    };
    /// Whether `job` is a first fetch of its dealer and type: no record of theirs is stored.
    std::optional<bool> isFirstFetch(const Job &job, StoreError *error);
    /// Whether the staging is of `job`'s current attempt.
    bool isStaging(const Job &job) const;

    std::unique_ptr<Database> m_db;
    Staging m_staging;
    qint64 m_spoolLimit = DefaultSpoolLimit;
    QString m_spoolDirectory;
    bool m_connectionLost = false;
    std::function<void()> m_onChange;
};
