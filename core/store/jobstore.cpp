#include "store/jobstore.h"

#include "job/timeformat.h"
#include "log/logging.h"
#include "store/auditlog.h"
#include "store/jobrows_p.h"
#include "store/recordspool.h"
#include "store/schema.h"

#include <algorithm>

#include <QDateTime>
#include <QSet>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace JobRows;

namespace {

QString moveName(MoveOp op)
{
    switch (op) {
    case MoveOp::Top:
        return QStringLiteral("to the top");
    case MoveOp::Up:
        return QStringLiteral("up");
    case MoveOp::Down:
        return QStringLiteral("down");
    case MoveOp::Bottom:
        return QStringLiteral("to the bottom");
    }
    return {};
}

} // namespace

JobStore::JobStore(const DatabaseUrl &url)
    : m_db(std::make_unique<Database>(url))
{}

JobStore::~JobStore() = default;

bool JobStore::isOpen() const
{
    return m_db->db().isOpen() && !m_connectionLost;
}

bool JobStore::fail(StoreError *error, const QSqlQuery &query, const QString &what)
{
    return fail(error, m_db->failureOf(query), what);
}

bool JobStore::fail(StoreError *error, const QSqlError &sqlError, const QString &what)
{
    // After a server restart isOpen() can stay true while every query fails: remember it. (On
    // a connection Qt has closed, every statement fails.)
    const bool lost = !m_db->db().isOpen() || isConnectionLost(sqlError, m_db->backend());
    m_connectionLost = m_connectionLost || lost;
    setQueryError(error, sqlError, m_db->backend(), what);
    if (error && lost)
        error->kind = StoreError::Kind::ConnectionLost;
    qCDebug(lcStore).noquote() << "database error while" << what << "-"
                               << sqlError.text().trimmed();
    return false;
}

bool JobStore::transactionFailed(const WriteTransaction &tx, StoreError *error,
                                 const QString &message)
{
    const bool lost = isConnectionLost(tx.lastError(), m_db->backend()) || !m_db->db().isOpen();
    m_connectionLost = m_connectionLost || lost;
    if (error)
        *error = {
            lost ? StoreError::Kind::ConnectionLost : StoreError::Kind::Database, message, {}, 0};
    qCDebug(lcStore).noquote() << message;
    return false;
}

bool JobStore::begin(ReadTransaction &read, StoreError *error)
{
    QSqlError why;
    return read.begin(&why) || fail(error, why, QStringLiteral("starting a read"));
}

bool JobStore::noteFailure(const StoreError *error)
{
    m_connectionLost =
        m_connectionLost || (error && error->kind == StoreError::Kind::ConnectionLost);
    return false;
}

bool JobStore::writeAudit(const AuditEntry &entry, StoreError *error, bool listJobsOnly)
{
    StoreError why;
    if (AuditLog::append(*m_db, entry, &why, listJobsOnly))
        return true;
    noteFailure(&why);
    qCDebug(lcStore).noquote() << "database error while writing the audit log -" << why.message;
    if (error)
        *error = why;
    return false;
}

std::optional<AuditPage> JobStore::audit(const AuditFilter &filter, StoreError *error)
{
    StoreError why;
    std::optional<AuditPage> page = AuditLog::read(*m_db, filter, &why);
    if (!page) {
        noteFailure(&why);
        if (error)
            *error = why;
    }
    return page;
}

std::optional<QVector<AuditEntry>> JobStore::jobAudit(qint64 id, int limit, StoreError *error)
{
    StoreError why;
    std::optional<QVector<AuditEntry>> entries = AuditLog::forJob(*m_db, id, limit, &why);
    if (!entries) {
        noteFailure(&why);
        if (error)
            *error = why;
    }
    return entries;
}

bool JobStore::exec(QSqlQuery &query, StoreError *error, const QString &what)
{
    if (query.exec())
        return true;
    return fail(error, query, what);
}

bool JobStore::open(StoreError *error, int targetVersion)
{
    if (m_connectionLost) {
        m_db->close();
        m_connectionLost = false;
    }
    m_staging.ready = false; // a TEMP table does not outlive its connection
    QString why;
    if (!m_db->open(&why)) {
        if (error)
            *error = {StoreError::Kind::ConnectionLost, why, {}, 0};
        return false;
    }
    if (!migrateSchema(*m_db, targetVersion, error)) {
        m_db->close();
        return false;
    }
    if (m_onChange)
        listen();
    return true;
}

bool JobStore::subscribeToChanges(std::function<void()> onChange)
{
    if (m_db->isSqlite())
        return false;
    m_onChange = std::move(onChange);
    return !isOpen() || listen();
}

bool JobStore::listen()
{
    QSqlDriver *driver = m_db->db().driver();
    if (!driver)
        return false;
    QObject::disconnect(driver, &QSqlDriver::notification, nullptr, nullptr);
    QObject::connect(driver, &QSqlDriver::notification, driver,
                     [this](const QString &name, QSqlDriver::NotificationSource source) {
                         if (name == ChangeChannel && source == QSqlDriver::OtherSource &&
                             m_onChange)
                             m_onChange();
                     });
    return driver->subscribeToNotification(ChangeChannel);
}

bool JobStore::reopen(StoreError *error)
{
    m_db->close();
    return open(error);
}

int JobStore::schemaVersion(StoreError *error)
{
    const std::optional<QString> value = metaValue(QStringLiteral("schema_version"), error);
    return value ? value->toInt() : -1;
}

std::optional<QString> JobStore::metaValue(const QString &key, StoreError *error)
{
    QSqlQuery &q = m_db->prepared(QStringLiteral("SELECT value FROM meta WHERE key = ?"));
    const FinishOnExit finishQ(q);
    q.addBindValue(key);
    if (!exec(q, error, QStringLiteral("reading settings")))
        return std::nullopt;
    return q.next() ? q.value(0).toString() : QString();
}

bool JobStore::setMetaValue(const QString &key, const QString &value, StoreError *error)
{
    QSqlQuery &q =
        m_db->prepared(QStringLiteral("INSERT INTO meta (key, value) VALUES (?, ?) "
                                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    const FinishOnExit finishQ(q);
    q.addBindValue(key);
    // A null QString binds as NULL, which meta.value refuses: "no value" is stored as ''.
    q.addBindValue(value.isNull() ? QString(QLatin1String("")) : value);
    return exec(q, error, QStringLiteral("writing settings"));
}

std::optional<Job> JobStore::findQueuedDuplicate(const NewJob &job, StoreError *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT %1 FROM jobs WHERE status = 'queued' AND dealer_id = ? AND "
                             "fetch_type = ? AND from_ms = ? AND to_ms = ?")
                  .arg(JobColumns));
    q.addBindValue(job.dealerId);
    q.addBindValue(job.fetchType);
    q.addBindValue(job.fromMs);
    q.addBindValue(job.toMs);
    if (!exec(q, error, QStringLiteral("looking for a duplicate job")))
        return std::nullopt;
    if (q.next())
        return jobFromQuery(q);
    if (error)
        error->kind = StoreError::Kind::None;
    return std::nullopt;
}

std::optional<qint64> JobStore::queueEdge(bool front, StoreError *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(front ? QStringLiteral("SELECT MIN(position) FROM jobs WHERE status = 'queued'")
                    : QStringLiteral("SELECT MAX(position) FROM jobs"));
    if (!exec(q, error, QStringLiteral("reading the queue order")) || !q.next())
        return std::nullopt;
    return q.value(0).isNull() ? 0 : q.value(0).toLongLong();
}

bool JobStore::findQueued(const QStringList &dealerIds, const NewJob &common,
                          QHash<QString, qint64> *queued, StoreError *error)
{
    QSqlQuery q(m_db->db()); // its size varies: prepared for this call only
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT dealer_id, id FROM jobs WHERE status = 'queued' AND "
                             "fetch_type = ? AND from_ms = ? AND to_ms = ? AND dealer_id IN (%1)")
                  .arg(placeholders(dealerIds.size())));
    q.bindValue(0, common.fetchType);
    q.bindValue(1, common.fromMs);
    q.bindValue(2, common.toMs);
    for (qsizetype i = 0; i < dealerIds.size(); ++i)
        q.bindValue(int(3 + i), dealerIds.at(i));
    if (!exec(q, error, QStringLiteral("looking for duplicate jobs")))
        return false;
    while (q.next())
        queued->insert(q.value(0).toString(), q.value(1).toLongLong());
    return true;
}

bool JobStore::insertJobs(const QStringList &dealerIds, const NewJob &common, int priority,
                          qint64 firstPosition, qint64 now, QVector<qint64> *ids, StoreError *error)
{
    ids->clear();
    if (dealerIds.isEmpty())
        return true;
    QStringList rows;
    rows.reserve(dealerIds.size());
    for (qsizetype i = 0; i < dealerIds.size(); ++i)
        rows << QStringLiteral("(?, ?, ?, ?, 'queued', ?, ?, ?, 0, ?)");
    const QString sql = QStringLiteral("INSERT INTO jobs (dealer_id, fetch_type, from_ms, to_ms, "
                                       "status, priority, position, created_ms, attempts, "
                                       "created_by) "
                                       "VALUES %1 ON CONFLICT (dealer_id, fetch_type, from_ms, "
                                       "to_ms) WHERE status = 'queued' DO NOTHING "
                                       "RETURNING id, position")
                            .arg(rows.join(QLatin1Char(',')));
    // The usual sizes (one job, a full chunk) are prepared once; a last, shorter chunk for this
    // call only, so that the cache does not grow with every length a list ever had.
    QSqlQuery single(m_db->db());
    const bool usual = dealerIds.size() == 1 || dealerIds.size() == BulkChunk;
    QSqlQuery &q = usual ? m_db->prepared(sql) : single;
    if (!usual) {
        q.setForwardOnly(true);
        q.prepare(sql);
    }
    const FinishOnExit finishQ(q);
    // QueueOperations names its actor; a caller of the store itself may not.
    const QString createdBy =
        common.createdBy.isEmpty() ? QStringLiteral("unknown") : common.createdBy;
    int at = 0;
    for (qsizetype i = 0; i < dealerIds.size(); ++i) {
        q.bindValue(at++, dealerIds.at(i));
        q.bindValue(at++, common.fetchType);
        q.bindValue(at++, common.fromMs);
        q.bindValue(at++, common.toMs);
        q.bindValue(at++, priority);
        q.bindValue(at++, firstPosition + i);
        q.bindValue(at++, now);
        q.bindValue(at++, createdBy);
    }
    if (!exec(q, error, QStringLiteral("queueing jobs")))
        return false;
    // Matched by position, which is unique within the call: RETURNING promises no order. A
    // dealer whose twin is queued already gets no row: its id stays 0.
    ids->fill(0, dealerIds.size());
    while (q.next()) {
        const qint64 index = q.value(1).toLongLong() - firstPosition;
        if (index < 0 || index >= dealerIds.size() || ids->at(index) != 0) {
            setDatabaseError(
                error, QStringLiteral("queueing jobs: the database returned an unexpected row"));
            return false;
        }
        (*ids)[index] = q.value(0).toLongLong();
    }
    return true;
}

std::optional<AddOutcome> JobStore::addJob(const NewJob &job, StoreError *error)
{
    std::optional<BulkOutcome> bulk = addJobs({job.dealerId}, job, error);
    if (!bulk)
        return std::nullopt;
    const qint64 id =
        bulk->jobIds.isEmpty() ? bulk->skipped.value(0).existingJobId : bulk->jobIds.first();
    std::optional<Job> stored = this->job(id, error);
    if (!stored)
        return std::nullopt;
    return AddOutcome{*stored, bulk->jobIds.isEmpty()};
}

std::optional<BulkOutcome> JobStore::addJobs(const QStringList &dealerIds, const NewJob &common,
                                             StoreError *error)
{
    WriteTransaction tx(*m_db);
    QString why;
    if (!tx.begin(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot queue jobs: %1").arg(why));
        return std::nullopt;
    }
    // Run-next jobs go before the current front in the order given; others after the back.
    int priority = common.priority;
    qint64 position = 0;
    if (common.runNext) {
        QSqlQuery q(m_db->db());
        q.prepare(QStringLiteral("SELECT MAX(priority) FROM jobs WHERE status = 'queued'"));
        if (!exec(q, error, QStringLiteral("reading the queue order")) || !q.next())
            return std::nullopt;
        priority = qMax(priority, q.value(0).toInt());
        const std::optional<qint64> front = queueEdge(true, error);
        if (!front)
            return std::nullopt;
        position = *front - dealerIds.size();
    } else {
        const std::optional<qint64> back = queueEdge(false, error);
        if (!back)
            return std::nullopt;
        position = *back + 1;
    }

    // In chunks: one multi-row INSERT queues a chunk's dealers, skipping those an identical job
    // already has in the queue (the unique index jobs_queued_once); only those are then looked
    // up. On PostgreSQL each statement is a round trip: 10,000 IDs take about 20, not 20,000.
    // SQLite looks the chunk up first (in-process, cheap), because a row skipped by the index
    // still uses up a job number there, and job numbers are better without gaps.
    BulkOutcome outcome;
    const qint64 now = nowMs();
    QHash<QString, qint64> queued; // dealer -> its queued job, for the dealers seen so far
    for (qsizetype from = 0; from < dealerIds.size(); from += BulkChunk) {
        const QStringList chunk = dealerIds.mid(from, BulkChunk);
        if (m_db->isSqlite() && !findQueued(chunk, common, &queued, error))
            return std::nullopt;
        QStringList fresh; // not known to be queued, each once, in the order given
        QSet<QString> seen;
        for (const QString &dealerId : chunk) {
            if (!queued.contains(dealerId) && !seen.contains(dealerId)) {
                fresh << dealerId;
                seen.insert(dealerId);
            }
        }
        QVector<qint64> added; // 0: an identical job was queued already
        if (!insertJobs(fresh, common, priority, position, now, &added, error))
            return std::nullopt;
        position += fresh.size();
        QStringList twins;
        for (qsizetype i = 0; i < fresh.size(); ++i) {
            if (added.at(i) == 0)
                twins << fresh.at(i);
        }
        if (!twins.isEmpty() && !findQueued(twins, common, &queued, error))
            return std::nullopt;
        for (const QString &twin : std::as_const(twins)) {
            if (!queued.contains(twin)) {
                // Skipped as a twin, yet none is queued: it was queued and taken meanwhile.
                if (error)
                    *error = {StoreError::Kind::Conflict,
                              QStringLiteral("the queue changed while queueing dealer %1; try "
                                             "again")
                                  .arg(twin),
                              {},
                              0};
                return std::nullopt;
            }
        }
        // Each ID, in the order given: added here, or (queued before, or a repeat) skipped.
        qsizetype nextFresh = 0;
        for (const QString &dealerId : chunk) {
            if (nextFresh < fresh.size() && fresh.at(nextFresh) == dealerId) {
                const qint64 id = added.at(nextFresh++);
                if (id != 0) {
                    outcome.jobIds.push_back(id);
                    queued.insert(dealerId, id);
                    continue;
                }
            }
            const qint64 existing = queued.value(dealerId);
            outcome.skipped.push_back(
                {dealerId, QStringLiteral("already queued as job %1").arg(existing), existing});
        }
    }
    if (!outcome.jobIds.isEmpty()) {
        QString detail = QStringLiteral("%1 from %2 to %3")
                             .arg(common.fetchType, formatTimestamp(common.fromMs),
                                  formatTimestamp(common.toMs));
        if (!outcome.skipped.isEmpty())
            detail += QStringLiteral("; %1 skipped (already queued)").arg(outcome.skipped.size());
        if (!writeAudit(
                {0, now, common.createdBy, AuditAction::JobsQueued, outcome.jobIds, 0, detail},
                error))
            return std::nullopt;
    }
    if (!tx.commit(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot queue jobs: %1").arg(why));
        return std::nullopt;
    }
    return outcome;
}

std::optional<Job> JobStore::job(qint64 id, StoreError *error)
{
    QSqlQuery &q =
        m_db->prepared(QStringLiteral("SELECT %1 FROM jobs WHERE id = ?").arg(JobColumns));
    const FinishOnExit finishQ(q);
    q.addBindValue(id);
    if (!exec(q, error, QStringLiteral("reading job %1").arg(id)))
        return std::nullopt;
    if (!q.next()) {
        if (error)
            *error = {StoreError::Kind::NotFound, QStringLiteral("there is no job %1").arg(id),
                      QStringLiteral("job_id"), 0};
        return std::nullopt;
    }
    return jobFromQuery(q);
}

std::optional<CancelOutcome> JobStore::cancelJob(qint64 id, StoreError *error, const QString &actor)
{
    WriteTransaction tx(*m_db);
    QString why;
    if (!tx.begin(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot cancel: %1").arg(why));
        return std::nullopt;
    }
    const std::optional<Job> current = job(id, error);
    if (!current)
        return std::nullopt;
    QSqlQuery q(m_db->db());
    CancelOutcome outcome;
    if (current->status == JobStatus::Queued) {
        q.prepare(QStringLiteral("UPDATE jobs SET status = 'cancelled', finished_ms = ?, "
                                 "error_message = ?, error_category = 'cancelled' WHERE id = ?"));
        q.addBindValue(nowMs());
        q.addBindValue(QStringLiteral("cancelled before it ran"));
        q.addBindValue(id);
        outcome = CancelOutcome::Cancelled;
    } else if (current->status == JobStatus::Running) {
        q.prepare(QStringLiteral("UPDATE jobs SET cancel_requested = 1 WHERE id = ?"));
        q.addBindValue(id);
        outcome = CancelOutcome::AbortRequested;
    } else {
        if (error)
            *error = {StoreError::Kind::Conflict,
                      QStringLiteral("job %1 has already finished (%2); nothing to cancel")
                          .arg(id)
                          .arg(jobStatusName(current->status)),
                      QStringLiteral("job_id"), 0};
        return std::nullopt;
    }
    if (!exec(q, error, QStringLiteral("cancelling job %1").arg(id)))
        return std::nullopt;
    if (!writeAudit({0,
                     0,
                     actor,
                     AuditAction::JobsCancelled,
                     {id},
                     1,
                     outcome == CancelOutcome::Cancelled
                         ? QStringLiteral("cancelled before it ran")
                         : QStringLiteral("cancel requested while it runs")},
                    error))
        return std::nullopt;
    if (!tx.commit(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot cancel: %1").arg(why));
        return std::nullopt;
    }
    return outcome;
}

std::optional<Job> JobStore::retryJob(qint64 id, StoreError *error, const QString &actor)
{
    WriteTransaction tx(*m_db);
    QString why;
    if (!tx.begin(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot retry: %1").arg(why));
        return std::nullopt;
    }
    const std::optional<Job> current = job(id, error);
    if (!current)
        return std::nullopt;
    if (current->status != JobStatus::Failed && current->status != JobStatus::Cancelled) {
        if (error)
            *error = {StoreError::Kind::Conflict,
                      QStringLiteral("job %1 is %2; only failed or cancelled jobs can be retried")
                          .arg(id)
                          .arg(jobStatusName(current->status)),
                      QStringLiteral("job_id"), 0};
        return std::nullopt;
    }
    NewJob same{
        current->dealerId, current->fetchType, current->fromMs, current->toMs, 0, false, {}};
    StoreError lookupError;
    const std::optional<Job> existing = findQueuedDuplicate(same, &lookupError);
    if (lookupError.isSet()) {
        if (error)
            *error = lookupError;
        return std::nullopt;
    }
    if (existing) {
        if (error)
            *error = {StoreError::Kind::Conflict,
                      QStringLiteral("job %1 is already queued for the same dealer, type and "
                                     "window")
                          .arg(existing->id),
                      QStringLiteral("job_id"), existing->id};
        return std::nullopt;
    }
    const std::optional<qint64> back = queueEdge(false, error);
    if (!back)
        return std::nullopt;
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral(
        "UPDATE jobs SET status = 'queued', position = ?, finished_ms = NULL, "
        "cancel_requested = 0, runner_id = NULL, pages = NULL, fetched = NULL, inserted = NULL, "
        "updated = NULL, unchanged = NULL, error_message = NULL, error_category = NULL, "
        "requeued_ms = ? WHERE id = ?"));
    q.addBindValue(*back + 1);
    q.addBindValue(nowMs());
    q.addBindValue(id);
    if (!exec(q, error, QStringLiteral("retrying job %1").arg(id)))
        return std::nullopt;
    if (!insertLog(id, {{nowMs(), QStringLiteral("queued again by retry")}}, error))
        return std::nullopt;
    if (!writeAudit({0,
                     0,
                     actor,
                     AuditAction::JobsRetried,
                     {id},
                     1,
                     QStringLiteral("was %1").arg(jobStatusName(current->status))},
                    error))
        return std::nullopt;
    if (!tx.commit(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot retry: %1").arg(why));
        return std::nullopt;
    }
    return job(id, error);
}

bool JobStore::moveJob(qint64 id, MoveOp op, StoreError *error, const QString &actor)
{
    WriteTransaction tx(*m_db);
    QString why;
    if (!tx.begin(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot move: %1").arg(why));
        return false;
    }
    const std::optional<Job> current = job(id, error);
    if (!current)
        return false;
    if (current->status != JobStatus::Queued) {
        if (error)
            *error = {StoreError::Kind::Conflict,
                      QStringLiteral("job %1 is %2; only queued jobs can be moved")
                          .arg(id)
                          .arg(jobStatusName(current->status)),
                      QStringLiteral("job_id"), 0};
        return false;
    }
    QSqlQuery q(m_db->db());
    int priority = current->priority;
    qint64 position = current->position;
    if (op == MoveOp::Top || op == MoveOp::Bottom) {
        q.prepare(op == MoveOp::Top
                      ? QStringLiteral("SELECT MAX(priority), MIN(position) FROM jobs "
                                       "WHERE status = 'queued'")
                      : QStringLiteral("SELECT MIN(priority), MAX(position) FROM jobs "
                                       "WHERE status = 'queued'"));
        if (!exec(q, error, QStringLiteral("reading the queue order")) || !q.next())
            return false;
        priority = q.value(0).toInt();
        position = q.value(1).toLongLong() + (op == MoveOp::Top ? -1 : 1);
    } else {
        // Swap places with the neighbour in run order.
        const bool up = op == MoveOp::Up;
        q.prepare(QStringLiteral("SELECT id, priority, position FROM jobs WHERE status = 'queued' "
                                 "AND %1 ORDER BY %2 LIMIT 1")
                      .arg(up ? QStringLiteral("(priority > ? OR (priority = ? AND (position < ? "
                                               "OR (position = ? AND id < ?))))")
                              : QStringLiteral("(priority < ? OR (priority = ? AND (position > ? "
                                               "OR (position = ? AND id > ?))))"),
                           up ? QStringLiteral("priority ASC, position DESC, id DESC") : RunOrder));
        q.addBindValue(current->priority);
        q.addBindValue(current->priority);
        q.addBindValue(current->position);
        q.addBindValue(current->position);
        q.addBindValue(id);
        if (!exec(q, error, QStringLiteral("reading the queue order")))
            return false;
        if (!q.next())
            return true; // already at that end
        const qint64 otherId = q.value(0).toLongLong();
        priority = q.value(1).toInt();
        position = q.value(2).toLongLong();
        QSqlQuery swap(m_db->db());
        swap.prepare(QStringLiteral("UPDATE jobs SET priority = ?, position = ? WHERE id = ?"));
        swap.addBindValue(current->priority);
        swap.addBindValue(current->position);
        swap.addBindValue(otherId);
        if (!exec(swap, error, QStringLiteral("moving job %1").arg(id)))
            return false;
        if (position == current->position)
            position += up ? -1 : 1; // same slot: break the tie the right way
    }
    q.prepare(QStringLiteral("UPDATE jobs SET priority = ?, position = ? WHERE id = ?"));
    q.addBindValue(priority);
    q.addBindValue(position);
    q.addBindValue(id);
    if (!exec(q, error, QStringLiteral("moving job %1").arg(id)))
        return false;
    if (!writeAudit({0, 0, actor, AuditAction::JobsMoved, {id}, 1, moveName(op)}, error))
        return false;
    if (!tx.commit(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot move: %1").arg(why));
        return false;
    }
    return true;
}

bool JobStore::setPaused(bool paused, StoreError *error, const QString &actor)
{
    // The flag and its audit entry in one transaction; pausing a paused queue changes nothing.
    WriteTransaction tx(*m_db);
    QString why;
    if (!tx.begin(&why)) {
        transactionFailed(
            tx, error,
            QStringLiteral("cannot %1 the queue: %2")
                .arg(paused ? QStringLiteral("pause") : QStringLiteral("resume"), why));
        return false;
    }
    const std::optional<bool> was = isPaused(error);
    if (!was)
        return false;
    if (*was == paused)
        return true; // nothing changed: the transaction rolls back
    if (!setMetaValue(QStringLiteral("paused"), paused ? QStringLiteral("1") : QStringLiteral("0"),
                      error) ||
        !writeAudit(
            {0, 0, actor, paused ? AuditAction::QueuePaused : AuditAction::QueueResumed, {}, 0, {}},
            error))
        return false;
    if (!tx.commit(&why)) {
        transactionFailed(
            tx, error,
            QStringLiteral("cannot %1 the queue: %2")
                .arg(paused ? QStringLiteral("pause") : QStringLiteral("resume"), why));
        return false;
    }
    return true;
}

std::optional<bool> JobStore::isPaused(StoreError *error)
{
    const std::optional<QString> value = metaValue(QStringLiteral("paused"), error);
    if (!value)
        return std::nullopt;
    return *value == QLatin1String("1");
}

std::optional<QVector<Job>> JobStore::queuedJobs(int limit, StoreError *error)
{
    QSqlQuery &q = m_db->prepared(
        QStringLiteral("SELECT %1 FROM jobs WHERE status = 'queued' ORDER BY %2 LIMIT ?")
            .arg(JobColumns, RunOrder));
    const FinishOnExit finishQ(q);
    q.addBindValue(limit < 0 ? std::numeric_limits<int>::max() : limit);
    if (!exec(q, error, QStringLiteral("reading the queue")))
        return std::nullopt;
    QVector<Job> jobs;
    while (q.next())
        jobs.push_back(jobFromQuery(q));
    return jobs;
}

namespace {

/// The WHERE of the queued jobs `filter` matches (its `all` aside), its values appended to
/// *binds.
QString queuedWhere(const QueuedFilter &filter, QVariantList *binds)
{
    QString where = QStringLiteral("status = 'queued'");
    if (!filter.dealerId.isEmpty()) {
        where += QStringLiteral(" AND dealer_id = ?");
        binds->push_back(filter.dealerId);
    }
    if (!filter.fetchType.isEmpty()) {
        where += QStringLiteral(" AND fetch_type = ?");
        binds->push_back(filter.fetchType);
    }
    if (filter.priority) {
        where += QStringLiteral(" AND priority = ?");
        binds->push_back(*filter.priority);
    }
    return where;
}

} // namespace

std::optional<QVector<Job>> JobStore::queuedJobs(int limit, const QueuedFilter &filter,
                                                 StoreError *error)
{
    QVariantList binds;
    const QString where = queuedWhere(filter, &binds);
    binds << (limit < 0 ? std::numeric_limits<int>::max() : limit);
    return selectJobs(QStringLiteral("SELECT %1 FROM jobs WHERE %2 ORDER BY %3 LIMIT ?")
                          .arg(JobColumns, where, RunOrder),
                      binds, QStringLiteral("reading the queue"), error);
}

std::optional<qint64> JobStore::queuedCount(const QueuedFilter &filter, StoreError *error)
{
    QVariantList binds;
    const QString where = queuedWhere(filter, &binds);
    return countJobs(QStringLiteral("jobs WHERE ") + where, binds,
                     QStringLiteral("counting the queue"), error);
}

std::optional<QueueStatus> JobStore::queueStatus(int limit, StoreError *error)
{
    // One moment: the job that ends between two reads is then never both the running one and
    // gone from the queue's count, nor its successor in neither place.
    ReadTransaction read(*m_db);
    if (!begin(read, error))
        return std::nullopt;
    QueueStatus status;
    {
        QSqlQuery &q = m_db->prepared(
            QStringLiteral("SELECT %1 FROM jobs WHERE status = 'running' LIMIT 1").arg(JobColumns));
        const FinishOnExit finishQ(q);
        if (!exec(q, error, QStringLiteral("reading the running job")))
            return std::nullopt;
        if (q.next())
            status.current = jobFromQuery(q);
    }
    {
        QSqlQuery &q =
            m_db->prepared(QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status = 'queued'"));
        const FinishOnExit finishQ(q);
        if (!exec(q, error, QStringLiteral("counting the queue")) || !q.next())
            return std::nullopt;
        status.queueLength = q.value(0).toLongLong();
    }
    std::optional<QVector<Job>> queued = queuedJobs(limit, error);
    if (!queued)
        return std::nullopt;
    status.queued = std::move(*queued);
    const std::optional<bool> paused = isPaused(error);
    if (!paused)
        return std::nullopt;
    status.paused = *paused;
    // Who runs jobs and from where, in one read (scripts poll this; on PostgreSQL each
    // statement is a round trip).
    QSqlQuery &q = m_db->prepared(QStringLiteral(
        "SELECT key, value FROM meta WHERE key IN ('runner_holder', 'runner_source')"));
    const FinishOnExit finishQ(q);
    if (!exec(q, error, QStringLiteral("reading settings")))
        return std::nullopt;
    while (q.next()) {
        const QString key = q.value(0).toString();
        (key == QLatin1String("runner_holder") ? status.runnerHolder : status.runnerSource) =
            q.value(1).toString();
    }
    return status;
}

std::optional<QVector<Job>> JobStore::selectJobs(const QString &sql, const QVariantList &binds,
                                                 const QString &what, StoreError *error)
{
    QSqlQuery q(m_db->db());
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &bind : binds)
        q.addBindValue(bind);
    if (!exec(q, error, what))
        return std::nullopt;
    QVector<Job> jobs;
    while (q.next())
        jobs.push_back(jobFromQuery(q));
    return jobs;
}

std::optional<qint64> JobStore::countJobs(const QString &from, const QVariantList &binds,
                                          const QString &what, StoreError *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM %1").arg(from));
    for (const QVariant &bind : binds)
        q.addBindValue(bind);
    if (!exec(q, error, what) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

std::optional<JobCounts> JobStore::counts(qint64 now, StoreError *error)
{
    // One moment: a job that ends between two reads is counted once, as queued, running or
    // finished, never twice or not at all.
    ReadTransaction read(*m_db);
    if (!begin(read, error))
        return std::nullopt;
    std::optional<JobCounts> counts = finishedCounts({}, error);
    if (!counts)
        return std::nullopt;
    // The queued and running jobs, through the run-order index.
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT status, COUNT(*) FROM jobs WHERE status IN "
                             "('queued', 'running') GROUP BY status"));
    if (!exec(q, error, QStringLiteral("counting jobs")))
        return std::nullopt;
    while (q.next()) {
        if (q.value(0).toString() == QLatin1String("queued"))
            counts->queued = q.value(1).toLongLong();
        else
            counts->running = q.value(1).toLongLong();
    }
    // Today's: the attempts that ended today, so a failure stays counted when the job is
    // retried, and the counters stay when the history is cleared (index job_attempts_finished).
    q.prepare(QStringLiteral("SELECT outcome, COUNT(*) FROM job_attempts WHERE finished_ms >= ? "
                             "GROUP BY outcome"));
    q.addBindValue(localDayBound(now, TimeBound::Start));
    if (!exec(q, error, QStringLiteral("counting today's jobs")))
        return std::nullopt;
    while (q.next()) {
        if (q.value(0).toString() == QLatin1String("completed"))
            counts->completedToday = q.value(1).toLongLong();
        else if (q.value(0).toString() == QLatin1String("failed"))
            counts->failedToday = q.value(1).toLongLong();
    }
    return counts;
}

std::optional<QVector<JobAttempt>> JobStore::jobAttempts(qint64 id, StoreError *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT attempt, runner_id, started_ms, finished_ms, outcome, "
                             "error_category, error_message, fetched FROM job_attempts WHERE "
                             "job_id = ? ORDER BY attempt"));
    q.addBindValue(id);
    if (!exec(q, error, QStringLiteral("reading the attempts of job %1").arg(id)))
        return std::nullopt;
    QVector<JobAttempt> attempts;
    while (q.next()) {
        JobAttempt a;
        a.attempt = q.value(0).toInt();
        a.runnerId = q.value(1).toString();
        a.startedMs = q.value(2).toLongLong();
        a.finishedMs = q.value(3).toLongLong();
        a.outcome = q.value(4).toString();
        a.error.category =
            errorCategoryFromString(q.value(5).toString()).value_or(ErrorCategory::None);
        a.error.message = q.value(6).toString();
        if (!q.value(7).isNull())
            a.fetched = q.value(7).toLongLong();
        attempts.push_back(a);
    }
    return attempts;
}

std::optional<QVector<LogLine>> JobStore::jobLogs(qint64 id, StoreError *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT at_ms, message FROM job_logs WHERE job_id = ? ORDER BY id"));
    q.addBindValue(id);
    if (!exec(q, error, QStringLiteral("reading the log of job %1").arg(id)))
        return std::nullopt;
    QVector<LogLine> lines;
    while (q.next())
        lines.push_back({q.value(0).toLongLong(), q.value(1).toString()});
    return lines;
}

bool JobStore::forEachJob(const std::function<bool(const Job &)> &visit, StoreError *error)
{
    constexpr int Chunk = 2000;
    qint64 afterId = 0;
    for (;;) {
        QSqlQuery q(m_db->db());
        q.setForwardOnly(true);
        q.prepare(
            QStringLiteral("SELECT %1 FROM jobs WHERE id > ? ORDER BY id LIMIT ?").arg(JobColumns));
        q.addBindValue(afterId);
        q.addBindValue(Chunk);
        if (!exec(q, error, QStringLiteral("reading jobs")))
            return false;
        int seen = 0;
        while (q.next()) {
            const Job job = jobFromQuery(q);
            afterId = job.id;
            ++seen;
            if (!visit(job))
                return true;
        }
        if (seen < Chunk)
            return true;
    }
}

std::optional<qint64> JobStore::recordCount(StoreError *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM records"));
    if (!exec(q, error, QStringLiteral("counting records")) || !q.next())
        return std::nullopt;
    return q.value(0).toLongLong();
}

std::optional<bool> JobStore::hasPendingJobs(StoreError *error)
{
    QSqlQuery &q = m_db->prepared(
        QStringLiteral("SELECT 1 FROM jobs WHERE status IN ('queued', 'running') LIMIT 1"));
    const FinishOnExit finishQ(q);
    if (!exec(q, error, QStringLiteral("reading the queue")))
        return std::nullopt;
    return q.next();
}
