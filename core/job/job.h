#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

/// The life cycle of a job (SPEC §1): queued → running → completed / failed / cancelled;
/// queued → cancelled; failed/cancelled → queued again by retry.
enum class JobStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled
};

/// What a running job is doing (SPEC §1 `progress.phase`).
enum class JobPhase
{
    Waiting,     ///< a request is out, no answer yet
    Downloading, ///< a page is coming in
    Retrying,    ///< a request failed and is tried again after a pause
    Committing   ///< every page is in; the records are being written
};
QString jobPhaseName(JobPhase phase);
std::optional<JobPhase> jobPhaseFromString(const QString &name);

/// How far a running job got (SPEC §1 `progress`). `detail`, `sinceMs` and `untilMs` are for
/// people watching this process (the status line), not stored: "retry 3 of 4 after HTTP 500"
/// until the next try; a request waiting since, with its timeout at `untilMs`.
struct JobProgress
{
    int pages = 0;
    qint64 fetched = 0;
    JobPhase phase = JobPhase::Waiting;
    QString detail;
    qint64 sinceMs = 0;
    qint64 untilMs = 0;
};

/// Why a job failed (SPEC §1, `error.category`).
enum class ErrorCategory
{
    None,
    Network,
    Http,
    Auth,
    NotFound,
    BadPayload,
    Database,
    Cancelled,
    Interrupted
};

QString jobStatusName(JobStatus status);
/// Completed, failed or cancelled: a status of the history.
constexpr bool isFinishedStatus(JobStatus status)
{
    return status == JobStatus::Completed || status == JobStatus::Failed ||
           status == JobStatus::Cancelled;
}
std::optional<JobStatus> jobStatusFromString(const QString &text);
QString errorCategoryName(ErrorCategory category);
std::optional<ErrorCategory> errorCategoryFromString(const QString &text);

/// What a finished job did to the data.
struct JobResult
{
    int pages = 0;
    qint64 fetched = 0;
    qint64 inserted = 0;
    qint64 updated = 0;
    qint64 unchanged = 0;

    friend bool operator==(const JobResult &a, const JobResult &b)
    {
        return a.pages == b.pages && a.fetched == b.fetched && a.inserted == b.inserted &&
               a.updated == b.updated && a.unchanged == b.unchanged;
    }
};

/// An error an operator can act on: a readable message and its category.
struct JobError
{
    QString message;
    ErrorCategory category = ErrorCategory::None;

    bool isNull() const { return category == ErrorCategory::None && message.isEmpty(); }
};

/// One job as the store keeps it. Times are milliseconds since the epoch (UTC); 0 means unset.
struct Job
{
    qint64 id = 0;
    QString dealerId;
    QString fetchType;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    JobStatus status = JobStatus::Queued;
    int priority = 0;
    qint64 position = 0;
    qint64 createdMs = 0;
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    int attempts = 0;
    bool cancelRequested = false;
    QString runnerId;
    QString createdBy; ///< the actor that queued it (SPEC §8), e.g. "window:ana@desk"
    qint64 requeuedMs = 0; ///< when Retry queued it again (0: never)
    /// While running: its progress as last stored by the runner (at most a second old).
    std::optional<JobProgress> progress;
    std::optional<JobResult> result;
    JobError error;

    bool isFinished() const { return isFinishedStatus(status); }
    /// Seconds the latest attempt has taken: until `nowMs` while running; null when not started.
    std::optional<double> durationSeconds(qint64 nowMs) const;
};

Q_DECLARE_METATYPE(Job)
Q_DECLARE_METATYPE(JobProgress)
Q_DECLARE_METATYPE(JobResult)
Q_DECLARE_METATYPE(JobError)
