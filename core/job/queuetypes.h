#pragma once

#include "job/audit.h"
#include "job/job.h"

#include <QString>
#include <QVector>

#include <optional>

// The values that the queue's operations take and return: shared by the store that carries them
// out, JobQueue that offers them, and the window, the REST API and the command line that call them.

/// Why a store operation was refused or failed.
struct StoreError
{
    enum class Kind
    {
        None,
        Invalid,
        NotFound,
        Conflict,
        Database,
        ConnectionLost
    };
    Kind kind = Kind::None;
    QString message;
    QString field;            ///< for Invalid: the field at fault, as the API names it
    qint64 existingJobId = 0; ///< for Conflict on a duplicate: the job that already covers it

    bool isSet() const { return kind != Kind::None; }
};

/// A validated job to queue.
struct NewJob
{
    QString dealerId;
    QString fetchType;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    int priority = 0;
    bool runNext = false; ///< put it at the front of the queue
    /// Who queues it (SPEC §8); QueueOperations fills in its own actor when this is empty.
    QString createdBy;
};

struct AddOutcome
{
    Job job;
    bool duplicate = false; ///< an identical job was already queued: `job` is that one
};

struct BulkOutcome
{
    struct Skipped
    {
        QString dealerId;
        QString reason;
        qint64 existingJobId = 0;
    };
    QVector<qint64> jobIds;
    QVector<Skipped> skipped;
};

enum class CancelOutcome
{
    Cancelled,
    AbortRequested
};
enum class MoveOp
{
    Top,
    Up,
    Down,
    Bottom
};

struct QueueStatus
{
    std::optional<Job> current;
    qint64 queueLength = 0;
    QVector<Job> queued; ///< the first `limit`, in run order
    bool paused = false;
    QString runnerHolder; ///< which instance (host, process) runs jobs, if any
    QString runnerSource; ///< the dealer API that instance fetches from, as shown to operators
};

/// The column a history read is sorted by (SPEC §7 `sort`, named after the job's fields of §4);
/// ties go by job ID, the same way.
enum class HistorySort
{
    FinishedAt,
    JobId,
    DealerId,
    Duration,
    Fetched,
    // Added to §7's five, so that every column of the window's history sorts in the database.
    FetchType,     ///< then finished, newest first for descending
    Window,        ///< from, then to
    Status,        ///< then finished
    ErrorCategory, ///< then finished; jobs without an error come first ascending, last descending
    Priority,
    CreatedAt,
    StartedAt, ///< a job cancelled before it started comes first ascending, last descending
    Attempts,
    Pages,
    Inserted,
    Updated
};

/// Which finished jobs a history read, a clear, a bulk retry or a removal takes (SPEC §7).
struct HistoryFilter
{
    QVector<JobStatus> statuses; ///< empty: every finished status
    QString dealerId;            ///< empty: any; otherwise an exact match
    QString fetchType;           ///< empty: any; otherwise an exact match
    std::optional<ErrorCategory> errorCategory;
    /// Case-insensitive substring of the dealer ID or the error message; empty: any.
    QString text;
    std::optional<qint64> finishedAfterMs;  ///< finished at or after this instant
    std::optional<qint64> finishedBeforeMs; ///< finished before this instant
    HistorySort sort = HistorySort::FinishedAt;
    bool ascending = false;
    int limit = 100;
    int offset = 0;

    /// True when no field but the statuses and the type narrows it: what the kept figures count.
    bool countedByFigures() const
    {
        return dealerId.isEmpty() && !errorCategory && text.isEmpty() && !finishedAfterMs &&
               !finishedBeforeMs;
    }
};

/// A page of the history and how many finished jobs its filter matches in all.
struct HistoryPage
{
    QVector<Job> jobs;
    qint64 total = 0;
};

/// Which queued jobs a bulk cancel takes (SPEC §7). Matching every queued job takes `all`.
struct QueuedFilter
{
    QString dealerId;  ///< empty: any
    QString fetchType; ///< empty: any
    std::optional<int> priority;
    bool all = false; ///< no field given: every queued job, when this says so

    bool hasField() const { return !dealerId.isEmpty() || !fetchType.isEmpty() || priority; }
};

/// What a bulk retry by filter did (SPEC §7), in job ID order.
struct BulkRetryReport
{
    struct Skipped
    {
        qint64 jobId = 0;
        QString reason;
        qint64 existingJobId = 0; ///< the queued twin that covers it
    };
    QVector<qint64> jobIds; ///< queued again
    QVector<Skipped> skipped;
};

/// What a bulk cancel or a removal by filter did: the jobs it took, in job ID order.
struct BulkReport
{
    QVector<qint64> jobIds;
    qint64 count() const { return jobIds.size(); }
};

struct JobCounts
{
    qint64 queued = 0;
    qint64 running = 0;
    qint64 completed = 0;
    qint64 failed = 0;
    qint64 cancelled = 0;
    qint64 completedToday = 0;
    qint64 failedToday = 0;

    /// The finished jobs of `statuses` (every finished status when empty).
    qint64 finishedOf(const QVector<JobStatus> &statuses) const
    {
        const auto wanted = [&statuses](JobStatus status) {
            return statuses.isEmpty() || statuses.contains(status);
        };
        return (wanted(JobStatus::Completed) ? completed : 0) +
               (wanted(JobStatus::Failed) ? failed : 0) +
               (wanted(JobStatus::Cancelled) ? cancelled : 0);
    }
};

struct LogLine
{
    qint64 atMs = 0;
    QString message;
};

/// The outcome of a queue operation that gives one value: the value, or why there is none.
template<typename T> struct QueueResult
{
    std::optional<T> value;
    StoreError error; ///< set when there is no value

    bool ok() const { return value.has_value(); }
};

/// What a cancel of several jobs did to each.
struct CancelReport
{
    QVector<qint64> cancelled;  ///< queued jobs, now cancelled
    QVector<qint64> aborting;   ///< running jobs: aborted where they run, then marked cancelled
    QVector<StoreError> errors; ///< one per job that could not be cancelled
};

/// What a retry of several jobs did, in the order they were asked for.
struct RetryReport
{
    QVector<Job> retried; ///< queued again, as they now stand
    QVector<StoreError> errors;
};

/// A job with its log lines, for its details.
/// One attempt of a job (a claim by a runner and how it ended), kept across Retry.
struct JobAttempt
{
    int attempt = 0;
    QString runnerId;
    qint64 startedMs = 0;
    qint64 finishedMs = 0; ///< 0 while it runs
    /// completed, failed, cancelled or interrupted (cut off and queued again); empty while it
    /// runs
    QString outcome;
    JobError error;
    std::optional<qint64> fetched;
};

struct JobDetails
{
    Job job;
    QVector<LogLine> log;
    QVector<JobAttempt> attempts; ///< oldest first
    QVector<AuditEntry> audit;    ///< the audit entries that took it, newest first (SPEC §8)
};

/// One read of everything the window shows, taken in one trip to the store.
struct QueueSnapshot
{
    qint64 takenMs = 0;
    int queueLimit = 0;                ///< how many queued jobs `status` was asked for
    std::optional<QueueStatus> status; ///< current job, queue length, the first queued jobs
    /// What `status->queued` was read with: with a field set, it holds only the queued jobs
    /// this matches (the queue length stays the whole queue's) and `queuedMatching` counts them.
    QueuedFilter queueFilter;
    std::optional<qint64> queuedMatching;
    std::optional<JobCounts> counts;   ///< by status, and finished today
    HistoryFilter historyFilter;       ///< what `history` was read with
    std::optional<QVector<Job>> history;
    std::optional<qint64> historyTotal;
    StoreError error; ///< set when any part failed
};

/// What an export writes: CSV (SPEC §5) or an Excel workbook with the same columns (SPEC §3).
enum class ExportFormat
{
    Csv,
    Xlsx
};

/// An export of jobs to a file.
struct ExportRequest
{
    QString path;
    /// Only the finished jobs this filter matches, newest first (its limit and offset are
    /// ignored); none: every job in the store, oldest first.
    std::optional<HistoryFilter> filter;
    ExportFormat format = ExportFormat::Csv;
};
