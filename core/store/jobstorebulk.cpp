// JobStore's bulk actions by filter (SPEC §7: retry, cancel and remove every job a filter
// matches) and Clear Completed, each one transaction with one audit entry.
#include "store/jobstore.h"

#include "job/timeformat.h"
#include "store/jobrows_p.h"

#include <algorithm>

#include <QSqlQuery>
#include <QVariant>

using namespace JobRows;

namespace {

/// `filter` in words for an audit entry's detail: "by filter: dealer_id=A, status=failed".
QString describeFilter(const HistoryFilter &filter)
{
    QStringList parts;
    QStringList statuses;
    for (JobStatus s : filter.statuses)
        statuses << jobStatusName(s);
    if (!statuses.isEmpty())
        parts << QStringLiteral("status=") + statuses.join(QLatin1Char(','));
    if (!filter.dealerId.isEmpty())
        parts << QStringLiteral("dealer_id=") + filter.dealerId;
    if (!filter.fetchType.isEmpty())
        parts << QStringLiteral("fetch_type=") + filter.fetchType;
    if (filter.errorCategory)
        parts << QStringLiteral("error_category=") + errorCategoryName(*filter.errorCategory);
    if (!filter.text.isEmpty())
        parts << QStringLiteral("q=") + filter.text;
    if (filter.finishedAfterMs)
        parts << QStringLiteral("finished_after=") + formatTimestamp(*filter.finishedAfterMs);
    if (filter.finishedBeforeMs)
        parts << QStringLiteral("finished_before=") + formatTimestamp(*filter.finishedBeforeMs);
    return parts.isEmpty() ? QStringLiteral("every finished job")
                           : QStringLiteral("by filter: ") + parts.join(QStringLiteral(", "));
}

QString describeFilter(const QueuedFilter &filter)
{
    QStringList parts;
    if (!filter.dealerId.isEmpty())
        parts << QStringLiteral("dealer_id=") + filter.dealerId;
    if (!filter.fetchType.isEmpty())
        parts << QStringLiteral("fetch_type=") + filter.fetchType;
    if (filter.priority)
        parts << QStringLiteral("priority=%1").arg(*filter.priority);
    return parts.isEmpty() ? QStringLiteral("every queued job")
                           : QStringLiteral("by filter: ") + parts.join(QStringLiteral(", "));
}

/// Refuses, as an Invalid error on `status`, a status outside `allowed`.
bool statusesAllowed(const QVector<JobStatus> &statuses, const QVector<JobStatus> &allowed,
                     const QString &allowedWords, StoreError *error)
{
    for (JobStatus status : statuses) {
        if (!allowed.contains(status)) {
            if (error)
                *error = {StoreError::Kind::Invalid,
                          QStringLiteral("status \"%1\" cannot be used here; use %2")
                              .arg(jobStatusName(status), allowedWords),
                          QStringLiteral("status"), 0};
            return false;
        }
    }
    return true;
}

/// The Conflict of a bulk action asked for on `confirmed` jobs when more, `matched`, match now
/// (jobs queued or failed since the count the operator was shown): nothing is `done`.
void notConfirmed(StoreError *error, qint64 matched, qint64 confirmed, const QString &done)
{
    if (error)
        *error = {StoreError::Kind::Conflict,
                  QStringLiteral("the matching jobs changed meanwhile (%1 now, %2 expected), "
                                 "so none was %3")
                      .arg(matched)
                      .arg(confirmed)
                      .arg(done),
                  QStringLiteral("confirmed"), 0};
}

/// `ids` in slices of BulkChunk, for the statements that name them in "id IN (…)".
QVector<QVector<qint64>> slices(const QVector<qint64> &ids)
{
    QVector<QVector<qint64>> out;
    for (qsizetype from = 0; from < ids.size(); from += BulkChunk)
        out.push_back(ids.mid(from, BulkChunk));
    return out;
}

} // namespace

bool JobStore::execForIds(const QString &sql, const QVariantList &before,
                          const QVector<qint64> &ids, StoreError *error, const QString &what)
{
    QSqlQuery q(m_db->db());
    q.prepare(sql.arg(placeholders(ids.size())));
    for (const QVariant &bind : before)
        q.addBindValue(bind);
    for (qint64 id : ids)
        q.addBindValue(id);
    return exec(q, error, what);
}

std::optional<BulkRetryReport> JobStore::retryMatching(const HistoryFilter &given,
                                                       StoreError *error, const QString &actor,
                                                       std::optional<qint64> confirmed)
{
    HistoryFilter filter = given;
    if (filter.statuses.isEmpty())
        filter.statuses = {JobStatus::Failed};
    if (!statusesAllowed(filter.statuses, {JobStatus::Failed, JobStatus::Cancelled},
                         QStringLiteral("failed or cancelled"), error))
        return std::nullopt;
    WriteTransaction tx(*m_db);
    QString why;
    if (!tx.begin(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot retry: %1").arg(why));
        return std::nullopt;
    }
    // Every matching job with its queued twin, if any (found through jobs_queued_once).
    QVariantList binds;
    const QString where = historyWhere(filter, &binds, QStringLiteral("m"));
    QSqlQuery q(m_db->db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT m.id, m.dealer_id, m.fetch_type, m.from_ms, m.to_ms, t.id "
                             "FROM jobs m LEFT JOIN jobs t ON t.status = 'queued' AND "
                             "t.dealer_id = m.dealer_id AND t.fetch_type = m.fetch_type AND "
                             "t.from_ms = m.from_ms AND t.to_ms = m.to_ms "
                             "WHERE %1 ORDER BY m.id%2")
                  .arg(where, m_db->isSqlite() ? QString() : QStringLiteral(" FOR UPDATE OF m")));
    for (const QVariant &bind : std::as_const(binds))
        q.addBindValue(bind);
    if (!exec(q, error, QStringLiteral("finding the jobs to retry")))
        return std::nullopt;
    BulkRetryReport report;
    QHash<QString, qint64> retried; // dealer, type and window -> the job queued again here
    while (q.next()) {
        const qint64 id = q.value(0).toLongLong();
        const QString key = QStringLiteral("%1\n%2\n%3\n%4")
                                .arg(q.value(1).toString(), q.value(2).toString())
                                .arg(q.value(3).toLongLong())
                                .arg(q.value(4).toLongLong());
        qint64 twin = q.value(5).isNull() ? 0 : q.value(5).toLongLong();
        if (twin == 0)
            twin = retried.value(key);
        if (twin != 0) {
            report.skipped.push_back(
                {id,
                 QStringLiteral("job %1 is already queued for the same dealer, type and window")
                     .arg(twin),
                 twin});
            continue;
        }
        retried.insert(key, id);
        report.jobIds.push_back(id);
    }
    q.finish();
    const qint64 matched = report.jobIds.size() + report.skipped.size();
    if (confirmed && matched > *confirmed) {
        notConfirmed(error, matched, *confirmed, QStringLiteral("retried"));
        return std::nullopt;
    }
    if (report.jobIds.isEmpty())
        return report; // nothing changed: the transaction rolls back
    // After the back of the queue, in job ID order: positions grow with the ID.
    const std::optional<qint64> back = queueEdge(false, error);
    if (!back)
        return std::nullopt;
    const qint64 now = nowMs();
    const qint64 firstId = report.jobIds.first();
    const QString what = QStringLiteral("retrying jobs");
    for (const QVector<qint64> &slice : slices(report.jobIds)) {
        if (!execForIds(
                QStringLiteral("UPDATE jobs SET status = 'queued', position = ? + (id - ?), "
                               "finished_ms = NULL, cancel_requested = 0, runner_id = NULL, "
                               "pages = NULL, fetched = NULL, inserted = NULL, "
                               "updated = NULL, unchanged = NULL, error_message = NULL, "
                               "error_category = NULL, requeued_ms = ? WHERE id IN (%1)"),
                {*back + 1, firstId, now}, slice, error, what) ||
            !execForIds(QStringLiteral("INSERT INTO job_logs (job_id, at_ms, message) "
                                       "SELECT id, ?, ? FROM jobs WHERE id IN (%1)"),
                        {now, QStringLiteral("queued again by retry")}, slice, error, what))
            return std::nullopt;
    }
    QString detail = describeFilter(filter);
    if (!report.skipped.isEmpty())
        detail += QStringLiteral("; %1 skipped (already queued)").arg(report.skipped.size());
    if (!writeAudit({0, now, actor, AuditAction::JobsRetried, report.jobIds, 0, detail}, error))
        return std::nullopt;
    if (!tx.commit(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot retry: %1").arg(why));
        return std::nullopt;
    }
    return report;
}

std::optional<BulkReport> JobStore::cancelMatching(const QueuedFilter &filter, StoreError *error,
                                                   const QString &actor,
                                                   std::optional<qint64> confirmed)
{
    if (!filter.hasField() && !filter.all) {
        if (error)
            *error = {StoreError::Kind::Invalid,
                      QStringLiteral("name dealer_id, fetch_type or priority, or give \"all\": "
                                     "true to cancel every queued job"),
                      QStringLiteral("all"), 0};
        return std::nullopt;
    }
    WriteTransaction tx(*m_db);
    QString why;
    if (!tx.begin(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot cancel: %1").arg(why));
        return std::nullopt;
    }
    // Queued jobs only: the running job is never touched.
    QString where = QStringLiteral("status = 'queued'");
    QVariantList binds{nowMs(), QStringLiteral("cancelled before it ran")};
    if (!filter.dealerId.isEmpty()) {
        where += QStringLiteral(" AND dealer_id = ?");
        binds << filter.dealerId;
    }
    if (!filter.fetchType.isEmpty()) {
        where += QStringLiteral(" AND fetch_type = ?");
        binds << filter.fetchType;
    }
    if (filter.priority) {
        where += QStringLiteral(" AND priority = ?");
        binds << *filter.priority;
    }
    QSqlQuery q(m_db->db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("UPDATE jobs SET status = 'cancelled', finished_ms = ?, "
                             "error_message = ?, error_category = 'cancelled' WHERE %1 "
                             "RETURNING id")
                  .arg(where));
    for (const QVariant &bind : std::as_const(binds))
        q.addBindValue(bind);
    if (!exec(q, error, QStringLiteral("cancelling jobs")))
        return std::nullopt;
    BulkReport report;
    while (q.next())
        report.jobIds.push_back(q.value(0).toLongLong());
    q.finish();
    // Counted as changed, in the same statement: on PostgreSQL a job queued meanwhile by
    // another session is in this count or not changed at all. Not committed, the change is
    // rolled back with the transaction.
    if (confirmed && report.jobIds.size() > *confirmed) {
        notConfirmed(error, report.jobIds.size(), *confirmed, QStringLiteral("cancelled"));
        return std::nullopt;
    }
    std::sort(report.jobIds.begin(), report.jobIds.end());
    if (!report.jobIds.isEmpty() && !writeAudit({0, 0, actor, AuditAction::JobsCancelled,
                                                 report.jobIds, 0, describeFilter(filter)},
                                                error))
        return std::nullopt;
    if (!tx.commit(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot cancel: %1").arg(why));
        return std::nullopt;
    }
    return report;
}

std::optional<qint64> JobStore::clearFinished(StoreError *error)
{
    return clearFinished(HistoryFilter{}, error);
}

std::optional<qint64> JobStore::clearFinished(const HistoryFilter &filter, StoreError *error,
                                              const QString &actor)
{
    WriteTransaction tx(*m_db);
    QString why;
    if (!tx.begin(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot clear: %1").arg(why));
        return std::nullopt;
    }
    // Only finished jobs, whatever the filter names.
    QVariantList binds;
    const QString where =
        QStringLiteral("status IN %1 AND %2").arg(FinishedStatuses, historyWhere(filter, &binds));
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("DELETE FROM job_logs WHERE job_id IN (SELECT id FROM jobs WHERE %1)")
                  .arg(where));
    for (const QVariant &bind : std::as_const(binds))
        q.addBindValue(bind);
    if (!exec(q, error, QStringLiteral("clearing finished jobs")))
        return std::nullopt;
    // Their attempts go too, except those that ended today: the day's counters count them.
    q.prepare(QStringLiteral("DELETE FROM job_attempts WHERE (finished_ms IS NULL OR finished_ms "
                             "< ?) AND job_id IN (SELECT id FROM jobs WHERE %1)")
                  .arg(where));
    q.addBindValue(localDayBound(nowMs(), TimeBound::Start));
    for (const QVariant &bind : std::as_const(binds))
        q.addBindValue(bind);
    if (!exec(q, error, QStringLiteral("clearing finished jobs")))
        return std::nullopt;
    q.prepare(QStringLiteral("DELETE FROM jobs WHERE %1 RETURNING id").arg(where));
    for (const QVariant &bind : std::as_const(binds))
        q.addBindValue(bind);
    if (!exec(q, error, QStringLiteral("clearing finished jobs")))
        return std::nullopt;
    QVector<qint64> ids;
    while (q.next())
        ids.push_back(q.value(0).toLongLong());
    q.finish();
    std::sort(ids.begin(), ids.end());
    const qint64 removed = ids.size();
    if (removed > 0 &&
        !writeAudit({0, 0, actor, AuditAction::JobsCleared, ids, removed, describeFilter(filter)},
                    error, true))
        return std::nullopt;
    if (!tx.commit(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot clear: %1").arg(why));
        return std::nullopt;
    }
    return removed;
}

std::optional<BulkReport> JobStore::removeFinished(const HistoryFilter &filter, int maxJobs,
                                                   StoreError *error, const QString &actor)
{
    if (!statusesAllowed(filter.statuses,
                         {JobStatus::Completed, JobStatus::Failed, JobStatus::Cancelled},
                         QStringLiteral("completed, failed or cancelled"), error))
        return std::nullopt;
    WriteTransaction tx(*m_db);
    QString why;
    if (!tx.begin(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot remove jobs: %1").arg(why));
        return std::nullopt;
    }
    // Oldest first through the finished_ms index, not every finished job sorted (history()).
    QVariantList binds;
    const QString where =
        historyWhere(filter, &binds, {}, m_db->isSqlite() ? QStringLiteral("+") : QString());
    QSqlQuery q(m_db->db());
    q.setForwardOnly(true);
    // Locked on PostgreSQL, so that no retry takes one of them meanwhile (SQLite's write
    // transaction holds the whole database).
    q.prepare(QStringLiteral("SELECT id FROM jobs WHERE %1 ORDER BY finished_ms, id%2%3")
                  .arg(where, maxJobs < 0 ? QString() : QStringLiteral(" LIMIT ?"),
                       m_db->isSqlite() ? QString() : QStringLiteral(" FOR UPDATE")));
    for (const QVariant &bind : std::as_const(binds))
        q.addBindValue(bind);
    if (maxJobs >= 0)
        q.addBindValue(maxJobs);
    if (!exec(q, error, QStringLiteral("finding the jobs to remove")))
        return std::nullopt;
    BulkReport report;
    while (q.next())
        report.jobIds.push_back(q.value(0).toLongLong());
    q.finish();
    if (report.jobIds.isEmpty())
        return report;
    std::sort(report.jobIds.begin(), report.jobIds.end());
    // Their attempts go too, except those that ended today: the day's counters count them.
    const qint64 todayMs = localDayBound(nowMs(), TimeBound::Start);
    const QString what = QStringLiteral("removing finished jobs");
    for (const QVector<qint64> &slice : slices(report.jobIds)) {
        if (!execForIds(QStringLiteral("DELETE FROM job_logs WHERE job_id IN (%1)"), {}, slice,
                        error, what) ||
            !execForIds(QStringLiteral("DELETE FROM job_attempts WHERE (finished_ms IS NULL OR "
                                       "finished_ms < ?) AND job_id IN (%1)"),
                        {todayMs}, slice, error, what) ||
            !execForIds(QStringLiteral("DELETE FROM jobs WHERE id IN (%1)"), {}, slice, error,
                        what))
            return std::nullopt;
    }
    if (!writeAudit(
            {0, 0, actor, AuditAction::JobsRemoved, report.jobIds, 0, describeFilter(filter)},
            error, true))
        return std::nullopt;
    if (!tx.commit(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot remove jobs: %1").arg(why));
        return std::nullopt;
    }
    return report;
}
