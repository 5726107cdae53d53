#pragma once

#include "job/job.h"

#include <QJsonObject>

#include <optional>

/// Turns the runner's news into the alert events of SPEC §7: `job_failed` for every job that
/// fails, `queue_drained` when the queue runs empty after a run of jobs, with the counts of the
/// jobs this instance ran since the queue was last empty. Plain logic: the webhook and the
/// window's notifications both feed it.
class AlertEvents
{
public:
    /// A job this instance's runner finished (a requeued one, status queued, counts as nothing).
    /// The `job_failed` event when it failed.
    std::optional<QJsonObject> jobFinished(const Job &job, qint64 nowMs);
    /// The runner found nothing runnable. The `queue_drained` event when jobs ran since the
    /// queue was last empty.
    std::optional<QJsonObject> queueEmpty(qint64 nowMs);

    int completedSinceEmpty() const { return m_completed; }
    int failedSinceEmpty() const { return m_failed; }

private:
    int m_completed = 0;
    int m_failed = 0;
    int m_ran = 0;
    qint64 m_firstStartedMs = 0;
    qint64 m_lastFinishedMs = 0;
};

/// What a desktop notification says: "3 jobs failed", or that the queue is empty.
struct AlertNotice
{
    /// Failed jobs the notice covers: every failure since the operator last saw a notice (it
    /// replaces the one on screen, so it counts that one's too); 0: a drained queue alone.
    int failed = 0;
    bool drained = false; ///< the queue ran empty in the period
    int drainedCompleted = 0;
    int drainedFailed = 0;
};

/// At most one desktop notification per `intervalMs` (SPEC §7: 10 s). The first news after a
/// quiet spell is shown at once; what arrives within the interval is gathered into one notice
/// due when the interval ends. Time is given by the caller, so tests move it. Each notice replaces
/// the one before on screen, so its count of failures runs on until the operator has seen one
/// (seen()) or a drained queue's notice has summed up the run.
class NoticeThrottle
{
public:
    explicit NoticeThrottle(qint64 intervalMs = 10000)
        : m_intervalMs(intervalMs)
    {}

    /// A job failed at `nowMs`: the notice to show now, if one may be shown.
    std::optional<AlertNotice> jobFailed(qint64 nowMs);
    /// The queue ran empty at `nowMs` after `completed` and `failed` jobs.
    std::optional<AlertNotice> queueDrained(qint64 nowMs, int completed, int failed);
    /// When the gathered notice is due (0: nothing waits).
    qint64 dueAtMs() const;
    /// The gathered notice, if it is due at `nowMs`.
    std::optional<AlertNotice> takeDue(qint64 nowMs);
    /// The operator clicked or closed the notice on screen: the next one counts afresh.
    void seen() { m_unseenFailed = 0; }

private:
    std::optional<AlertNotice> offer(qint64 nowMs);

    qint64 m_intervalMs;
    qint64 m_lastShownMs = -1;
    int m_unseenFailed = 0; ///< failures the notice on screen told of
    AlertNotice m_pending;
    bool m_hasPending = false;
};
