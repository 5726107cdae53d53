#pragma once

#include "job/insight.h"
#include "job/queuetypes.h"
#include "schedule/schedule.h"

#include <QStringList>
#include <QVector>

#include <functional>

class JobStore;

/// What a queue operation does beyond the store, once its change is committed. In the process
/// that runs jobs, JobQueue wakes its runner and refreshes the window (`changed`) and aborts the
/// running job (`abortRunning`); the REST API's thread passes both on to it. Either may be empty.
struct QueueEffects
{
    std::function<void()> changed;            ///< the queue changed: wake the runner, refresh
    std::function<void(qint64)> abortRunning; ///< this running job is to be cancelled: abort it
};

/// The named queue operations — add, add many, cancel, retry, move, pause and resume, clear the
/// history, the reads and the export — each one store step followed by its effects, written once
/// for every caller. Synchronous, on the JobStore of the calling thread: JobQueue runs them on
/// its store thread for the window, the REST API on its own connection, the command line in
/// main(). Changes are never refused for their caller: rules live in prepareJobs() and the store.
class QueueOperations final
{
public:
    /// How many of a job's audit entries details() reads.
    static constexpr int DetailsAuditLimit = 200;

    /// `actor` (SPEC §8, see job/actor.h) is who the changes are made by: the jobs it queues
    /// carry it in `created_by`, and each change's audit entry names it.
    QueueOperations(JobStore &store, QString actor, QueueEffects effects = {});
    Q_DISABLE_COPY_MOVE(QueueOperations)

    JobStore &store() { return m_store; }
    const QString &actor() const { return m_actor; }
    /// For callers whose actor changes from one call to the next (the API's token).
    void setActor(const QString &actor) { m_actor = actor; }

    /// Queues a validated job; an identical queued job is returned instead, marked duplicate.
    QueueResult<AddOutcome> add(const NewJob &job);
    /// Queues one job per dealer, in order, in one transaction, skipping covered dealers.
    QueueResult<BulkOutcome> addMany(const QStringList &dealerIds, const NewJob &common);
    /// Cancels each job: a queued one at once, a running one by aborting it where it runs.
    CancelReport cancel(const QVector<qint64> &ids);
    /// Queues failed or cancelled jobs again, in the order given.
    RetryReport retry(const QVector<qint64> &ids);
    /// Moves queued jobs in the run order, one after the other in the order given; returns one
    /// error per job that could not be moved.
    QVector<StoreError> move(const QVector<qint64> &ids, MoveOp op);
    /// Stops (or restarts) taking new jobs; the running one finishes. Returns the new state.
    QueueResult<bool> setPaused(bool paused);
    /// Removes the completed, failed and cancelled jobs `filter` matches (by default every one)
    /// and their logs; returns how many.
    QueueResult<qint64> clearFinished(const HistoryFilter &filter = {});
    /// Bulk retry by filter (SPEC §7): queues again every failed (or, as `filter` says,
    /// cancelled) job it matches, in one transaction; twins of queued jobs are skipped. The
    /// report names every job retried and skipped.
    /// With `confirmed` (the count the operator said yes to), more matching now changes nothing:
    /// a Conflict (JobStore::retryMatching()).
    QueueResult<BulkRetryReport> retryMatching(const HistoryFilter &filter,
                                               std::optional<qint64> confirmed = std::nullopt);
    /// Bulk cancel by filter (SPEC §7): cancels every queued job `filter` matches, in one
    /// transaction; never the running one. No field and no `all`: refused, naming `all`.
    /// `confirmed` as for retryMatching().
    QueueResult<BulkReport> cancelMatching(const QueuedFilter &filter,
                                           std::optional<qint64> confirmed = std::nullopt);
    /// Removes the finished jobs `filter` matches, with their logs, in one transaction — at most
    /// `maxJobs` of them, oldest finished first, when it is not negative (retention's batches).
    /// Fetched records stay.
    QueueResult<BulkReport> removeFinished(const HistoryFilter &filter, int maxJobs = -1);

    QueueResult<Job> job(qint64 id);
    /// The job with its log, its attempts and its newest DetailsAuditLimit audit entries.
    QueueResult<JobDetails> details(qint64 id);
    /// The audit log (SPEC §8): the page `filter` names, newest first, with its total.
    QueueResult<AuditPage> audit(const AuditFilter &filter);
    QueueResult<QueueStatus> status(int limit);
    /// SPEC §10's stats: the buckets of `range` at `nowMs`, in `zone`'s hours and days.
    QueueResult<QVector<StatsBucket>> stats(StatsRange range, const QTimeZone &zone, qint64 nowMs);
    /// SPEC §10's coverage: the dealers and types `filter` selects, a page of them and the total.
    QueueResult<CoveragePage> coverage(const CoverageFilter &filter);
    QueueResult<QVector<Job>> history(const HistoryFilter &filter);
    QueueResult<qint64> historyCount(const HistoryFilter &filter);
    /// history() and historyCount() in one read (JobStore::historyPage()).
    QueueResult<HistoryPage> historyPage(const HistoryFilter &filter);
    /// How many queued jobs `filter` matches (its `all` aside): what cancelMatching() would take.
    QueueResult<qint64> queuedCount(const QueuedFilter &filter);
    /// Everything the window shows, at `nowMs`: the status with the first `queueLimit` queued
    /// jobs (of those `queueFilter` matches, when it names a field), the counts, and the history
    /// page `filter` names with its total.
    QueueSnapshot snapshot(int queueLimit, const HistoryFilter &filter, qint64 nowMs,
                           const QueuedFilter &queueFilter = {});
    /// Writes the export of `request` in its format (the CSV of SPEC §5, or the workbook of
    /// `--export-xlsx`); `progress(done, total)` is told how far it got
    /// and returns false to stop. Returns how many jobs were written.
    QueueResult<qint64> exportCsv(const ExportRequest &request,
                                  const std::function<bool(qint64, qint64)> &progress = {});

    // Schedules (SPEC §6). Adding and changing check every field first (validateSchedule(), the
    // fetch types against `allowedTypes`): a bad one is an Invalid error naming it, and nothing
    // is stored. Each change wakes the runner, whose scheduler re-arms.
    QueueResult<QVector<Schedule>> schedules();
    QueueResult<Schedule> schedule(qint64 id);
    QueueResult<Schedule> scheduleNamed(const QString &name);
    /// Creates `schedule` as this actor's; its zone defaults to this machine's.
    QueueResult<Schedule> addSchedule(Schedule schedule, const QStringList &allowedTypes);
    /// Replaces schedule `schedule.id`'s fields with `schedule`'s.
    QueueResult<Schedule> updateSchedule(Schedule schedule, const QStringList &allowedTypes);
    /// Changes schedule `id` as `edit` says, from the schedule as stored when the change is
    /// written, in its transaction (ScheduleStore::change()): the API's PATCH, which sets some
    /// fields and must not put back the others as another change found them. `edit` returns
    /// false to refuse the change (its reasons are its own to keep); nothing is written then,
    /// and the result is an Invalid error.
    QueueResult<Schedule> changeSchedule(qint64 id, const std::function<bool(Schedule *)> &edit,
                                         const QStringList &allowedTypes);
    /// Enables or disables schedule `id`, leaving its other fields as stored (changeSchedule()).
    QueueResult<Schedule> setScheduleEnabled(qint64 id, bool enabled,
                                             const QStringList &allowedTypes);
    QueueResult<bool> removeSchedule(qint64 id);
    /// "Run now": queues the schedule's jobs with the windows of this instant (not a slot).
    QueueResult<BulkOutcome> runSchedule(qint64 id);

private:
    void changed();

    /// `job` with this actor as its creator, unless it names one already.
    NewJob stamped(const NewJob &job) const;

    JobStore &m_store;
    QString m_actor;
    QueueEffects m_effects;
};
