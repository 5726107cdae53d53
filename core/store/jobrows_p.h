#pragma once

#include "job/job.h"
#include "job/queuetypes.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

// What JobStore's source files share: how a job's row is read, and which finished jobs a history
// filter matches. Internal to core/store.

namespace JobRows {

inline const QString JobColumns = QStringLiteral(
    "id, dealer_id, fetch_type, from_ms, to_ms, status, priority, position, created_ms, "
    "started_ms, finished_ms, attempts, pages, fetched, inserted, updated, unchanged, "
    "error_message, error_category, cancel_requested, runner_id, created_by, requeued_ms, "
    "progress_phase, progress_pages, "
    "progress_fetched");

inline const QString RunOrder = QStringLiteral("priority DESC, position ASC, id ASC");
inline const QString FinishedStatuses = QStringLiteral("('completed','failed','cancelled')");

inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

inline Job jobFromQuery(const QSqlQuery &q)
{
    Job job;
    job.id = q.value(0).toLongLong();
    job.dealerId = q.value(1).toString();
    job.fetchType = q.value(2).toString();
    job.fromMs = q.value(3).toLongLong();
    job.toMs = q.value(4).toLongLong();
    job.status = jobStatusFromString(q.value(5).toString()).value_or(JobStatus::Failed);
    job.priority = q.value(6).toInt();
    job.position = q.value(7).toLongLong();
    job.createdMs = q.value(8).toLongLong();
    job.startedMs = q.value(9).toLongLong();
    job.finishedMs = q.value(10).toLongLong();
    job.attempts = q.value(11).toInt();
    if (!q.value(12).isNull()) {
        JobResult result;
        result.pages = q.value(12).toInt();
        result.fetched = q.value(13).toLongLong();
        result.inserted = q.value(14).toLongLong();
        result.updated = q.value(15).toLongLong();
        result.unchanged = q.value(16).toLongLong();
        job.result = result;
    }
    job.error.message = q.value(17).toString();
    job.error.category =
        errorCategoryFromString(q.value(18).toString()).value_or(ErrorCategory::None);
    job.cancelRequested = q.value(19).toInt() != 0;
    job.runnerId = q.value(20).toString();
    job.createdBy = q.value(21).toString();
    job.requeuedMs = q.value(22).toLongLong();
    if (job.status == JobStatus::Running && !q.value(23).isNull()) {
        JobProgress progress;
        progress.phase = jobPhaseFromString(q.value(23).toString()).value_or(JobPhase::Waiting);
        progress.pages = q.value(24).toInt();
        progress.fetched = q.value(25).toLongLong();
        job.progress = progress;
    }
    return job;
}

/// "?, ?, ?" with `count` question marks.
/// How many rows (or IDs) one statement takes in bulk: addJobs()'s 8 parameters a row stay far
/// below SQLite's 32,766 and PostgreSQL's 65,535.
constexpr qsizetype BulkChunk = 500;

inline QString placeholders(qsizetype count)
{
    QString list;
    list.reserve(count * 3);
    for (qsizetype i = 0; i < count; ++i)
        list += i == 0 ? QStringLiteral("?") : QStringLiteral(", ?");
    return list;
}

/// The WHERE of the finished jobs `filter` matches, its values appended to *binds; each column
/// prefixed with `alias` and a dot when one is given. `statusPrefix` goes before the status
/// column: "+" keeps SQLite from reading by the status index (see JobStore::history()), and
/// `typePrefix` likewise before the type column. (jobstorehistory.cpp)
QString historyWhere(const HistoryFilter &filter, QVariantList *binds, const QString &alias = {},
                     const QString &statusPrefix = {}, const QString &typePrefix = {});

} // namespace JobRows
