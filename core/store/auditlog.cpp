#include "store/auditlog.h"

#include "job/queuetypes.h"
#include "store/database.h"

#include <QDateTime>
#include <QSqlQuery>
#include <QVariant>

namespace {

/// Rows of `audit_jobs` per INSERT: two parameters a row, far below both databases' limits.
constexpr qsizetype JobChunk = 500;

const QString EntryColumns =
    QStringLiteral("a.id, a.at_ms, a.actor, a.action, a.job_ids, a.job_count, a.detail");

AuditEntry entryFromQuery(const QSqlQuery &q)
{
    AuditEntry entry;
    entry.id = q.value(0).toLongLong();
    entry.atMs = q.value(1).toLongLong();
    entry.actor = q.value(2).toString();
    entry.action = q.value(3).toString();
    const QString ids = q.value(4).toString();
    for (const QStringView id : QStringView(ids).split(QLatin1Char(','), Qt::SkipEmptyParts))
        entry.jobIds.push_back(id.toLongLong());
    entry.count = q.value(5).toLongLong();
    entry.detail = q.value(6).toString();
    return entry;
}

/// `text`, never null: a null QString is bound as NULL, which the NOT NULL columns refuse.
QString nonNull(const QString &text)
{
    return text.isNull() ? QStringLiteral("") : text;
}

bool run(Database &db, QSqlQuery &q, StoreError *error, const QString &what)
{
    if (q.exec())
        return true;
    setQueryError(error, q, db.backend(), what);
    return false;
}

/// The WHERE of `filter`, its values appended to *binds. Values are only ever bound.
QString whereOf(const AuditFilter &filter, QVariantList *binds)
{
    QStringList terms;
    if (!filter.action.isEmpty()) {
        terms << QStringLiteral("a.action = ?");
        binds->push_back(filter.action);
    }
    if (!filter.actor.isEmpty()) {
        terms << QStringLiteral("a.actor = ?");
        binds->push_back(filter.actor);
    }
    return terms.isEmpty() ? QString()
                           : QStringLiteral(" WHERE ") + terms.join(QStringLiteral(" AND "));
}

} // namespace

bool AuditLog::append(Database &db, const AuditEntry &entry, StoreError *error, bool listJobsOnly)
{
    const QString what = QStringLiteral("writing the audit log");
    QStringList listed;
    for (qsizetype i = 0; i < entry.jobIds.size() && i < AuditEntry::MaxListedJobs; ++i)
        listed << QString::number(entry.jobIds.at(i));
    QSqlQuery &q = db.prepared(
        QStringLiteral("INSERT INTO audit (at_ms, actor, action, job_ids, job_count, detail) "
                       "VALUES (?, ?, ?, ?, ?, ?) RETURNING id"));
    const FinishOnExit finishQ(q);
    q.addBindValue(entry.atMs != 0 ? entry.atMs : QDateTime::currentMSecsSinceEpoch());
    q.addBindValue(entry.actor.isEmpty() ? QStringLiteral("unknown") : entry.actor);
    q.addBindValue(nonNull(entry.action));
    q.addBindValue(nonNull(listed.join(QLatin1Char(','))));
    q.addBindValue(entry.count != 0 ? entry.count : qint64(entry.jobIds.size()));
    q.addBindValue(nonNull(entry.detail));
    if (!run(db, q, error, what))
        return false;
    if (!q.next()) {
        setDatabaseError(error, what + QStringLiteral(": the database returned no entry"));
        return false;
    }
    const qint64 auditId = q.value(0).toLongLong();
    q.finish();
    if (listJobsOnly)
        return true;
    for (qsizetype from = 0; from < entry.jobIds.size(); from += JobChunk) {
        const qsizetype count = qMin(JobChunk, entry.jobIds.size() - from);
        QStringList rows;
        rows.reserve(count);
        for (qsizetype i = 0; i < count; ++i)
            rows << QStringLiteral("(?, ?)");
        // The usual sizes are prepared once; a shorter last chunk for this call only.
        const QString sql = QStringLiteral("INSERT INTO audit_jobs (job_id, audit_id) VALUES %1")
                                .arg(rows.join(QLatin1Char(',')));
        QSqlQuery single(db.db());
        const bool usual = count == 1 || count == JobChunk;
        QSqlQuery &insert = usual ? db.prepared(sql) : single;
        if (!usual)
            insert.prepare(sql);
        const FinishOnExit finishInsert(insert);
        int at = 0;
        for (qsizetype i = from; i < from + count; ++i) {
            insert.bindValue(at++, entry.jobIds.at(i));
            insert.bindValue(at++, auditId);
        }
        if (!run(db, insert, error, what))
            return false;
    }
    return true;
}

std::optional<AuditPage> AuditLog::read(Database &db, const AuditFilter &filter, StoreError *error)
{
    QVariantList binds;
    const QString where = whereOf(filter, &binds);
    AuditPage page;
    QSqlQuery q(db.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM audit a%2 ORDER BY a.id DESC LIMIT ? OFFSET ?")
                  .arg(EntryColumns, where));
    for (const QVariant &bind : std::as_const(binds))
        q.addBindValue(bind);
    q.addBindValue(filter.limit < 0 ? std::numeric_limits<int>::max() : filter.limit);
    q.addBindValue(qMax(0, filter.offset));
    if (!run(db, q, error, QStringLiteral("reading the audit log")))
        return std::nullopt;
    while (q.next())
        page.entries.push_back(entryFromQuery(q));
    q.finish();
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM audit a%1").arg(where));
    for (const QVariant &bind : std::as_const(binds))
        q.addBindValue(bind);
    if (!run(db, q, error, QStringLiteral("counting the audit log")))
        return std::nullopt;
    if (!q.next()) {
        setDatabaseError(error, QStringLiteral("counting the audit log: no answer"));
        return std::nullopt;
    }
    page.total = q.value(0).toLongLong();
    return page;
}

std::optional<QVector<AuditEntry>> AuditLog::forJob(Database &db, qint64 jobId, int limit,
                                                    StoreError *error)
{
    QSqlQuery q(db.db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM audit_jobs j JOIN audit a ON a.id = j.audit_id "
                             "WHERE j.job_id = ? ORDER BY j.audit_id DESC LIMIT ?")
                  .arg(EntryColumns));
    q.addBindValue(jobId);
    q.addBindValue(limit < 0 ? std::numeric_limits<int>::max() : limit);
    if (!run(db, q, error, QStringLiteral("reading the audit log of job %1").arg(jobId)))
        return std::nullopt;
    QVector<AuditEntry> entries;
    while (q.next())
        entries.push_back(entryFromQuery(q));
    return entries;
}
