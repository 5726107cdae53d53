#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

/// One entry of the audit log (SPEC §8): a change to the queue or its schedules, who made it and
/// when, written in the change's own transaction.
struct AuditEntry
{
    /// At most this many job IDs are listed in an entry (`job_ids`); `count` says how many.
    static constexpr int MaxListedJobs = 100;

    qint64 id = 0;
    qint64 atMs = 0;
    QString actor;          ///< job/actor.h: "window:USER@HOST", "api:NAME", "schedule:NAME", …
    QString action;         ///< one of AuditAction's names
    QVector<qint64> jobIds; ///< the jobs it took (read back: the first MaxListedJobs)
    qint64 count = 0;       ///< how many jobs (or schedules, tokens) it took
    QString detail;         ///< in words, for operators: the filter, the move, the schedule
};

/// The actions the audit log names, as `GET /audit?action=` takes them.
namespace AuditAction {
inline const QString JobsQueued = QStringLiteral("jobs_queued");
inline const QString JobsCancelled = QStringLiteral("jobs_cancelled");
inline const QString JobsRetried = QStringLiteral("jobs_retried");
inline const QString JobsMoved = QStringLiteral("jobs_moved");
inline const QString QueuePaused = QStringLiteral("queue_paused");
inline const QString QueueResumed = QStringLiteral("queue_resumed");
inline const QString JobsCleared = QStringLiteral("jobs_cleared");
inline const QString JobsRemoved = QStringLiteral("jobs_removed");
inline const QString ScheduleAdded = QStringLiteral("schedule_added");
inline const QString ScheduleChanged = QStringLiteral("schedule_changed");
inline const QString ScheduleRemoved = QStringLiteral("schedule_removed");
inline const QString ScheduleFired = QStringLiteral("schedule_fired");
inline const QString TokenAdded = QStringLiteral("token_added");
inline const QString TokenRevoked = QStringLiteral("token_revoked");

/// Every action, in the order above.
inline QStringList all()
{
    return {JobsQueued,      JobsCancelled, JobsRetried, JobsMoved,     QueuePaused,
            QueueResumed,    JobsCleared,   JobsRemoved, ScheduleAdded, ScheduleChanged,
            ScheduleRemoved, ScheduleFired, TokenAdded,  TokenRevoked};
}
} // namespace AuditAction

/// Which entries an audit read takes: newest first, `limit` from `offset`.
struct AuditFilter
{
    QString action; ///< empty: any; otherwise an exact match
    QString actor;  ///< empty: any; otherwise an exact match
    int limit = 100;
    int offset = 0;
};

/// A page of the audit log and how many entries the filter matches in all.
struct AuditPage
{
    QVector<AuditEntry> entries;
    qint64 total = 0;
};
