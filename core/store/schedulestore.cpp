#include "store/schedulestore.h"

#include "job/actor.h"
#include "job/timeformat.h"
#include "schedule/window.h"
#include "store/jobstore.h"

#include <QDateTime>
#include <QHash>
#include <QSqlQuery>
#include <QTimeZone>
#include <QVariant>

namespace {

const QString ScheduleColumns = QStringLiteral(
    "id, name, cron, timezone, dealer_ids, fetch_types, window_rule, fallback_days, priority, "
    "enabled, catch_up, created_ms, created_by, changed_ms, enabled_since_ms, last_fired_ms, "
    "last_slot_ms");

/// Rows per INSERT of a fire's jobs: 8 parameters a row stays far below both databases' limits.
constexpr qsizetype FireChunk = 500;

Schedule scheduleFromQuery(const QSqlQuery &q)
{
    Schedule s;
    s.id = q.value(0).toLongLong();
    s.name = q.value(1).toString();
    s.cron = q.value(2).toString();
    s.timezone = q.value(3).toString();
    s.dealerIds = q.value(4).toString().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    s.fetchTypes = q.value(5).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    s.window = q.value(6).toString();
    s.fallbackDays = q.value(7).toInt();
    s.priority = q.value(8).toInt();
    s.enabled = q.value(9).toInt() != 0;
    s.catchUp = catchUpFromString(q.value(10).toString()).value_or(CatchUp::Once);
    s.createdMs = q.value(11).toLongLong();
    s.createdBy = q.value(12).toString();
    s.changedMs = q.value(13).toLongLong();
    s.enabledSinceMs = q.value(14).toLongLong();
    if (!q.value(15).isNull())
        s.lastFiredMs = q.value(15).toLongLong();
    if (!q.value(16).isNull())
        s.lastSlotMs = q.value(16).toLongLong();
    return s;
}

QString placeholders(qsizetype count, const QString &one)
{
    QStringList all;
    all.reserve(count);
    for (qsizetype i = 0; i < count; ++i)
        all << one;
    return all.join(QLatin1Char(','));
}

/// "schedule NAME (id N)" for an audit entry's detail.
QString named(const QString &name, qint64 id)
{
    return QStringLiteral("schedule %1 (id %2)").arg(name).arg(id);
}

void notFound(StoreError *error, qint64 id)
{
    if (error)
        *error = {StoreError::Kind::NotFound, QStringLiteral("no schedule %1").arg(id),
                  QStringLiteral("schedule_id"), 0};
}

} // namespace

ScheduleStore::ScheduleStore(JobStore &store)
    : m_store(store)
{}

std::optional<QVector<Schedule>> ScheduleStore::schedules(StoreError *error)
{
    QSqlQuery q(m_store.database().db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM schedules ORDER BY name").arg(ScheduleColumns));
    if (!m_store.exec(q, error, QStringLiteral("reading the schedules")))
        return std::nullopt;
    QVector<Schedule> all;
    while (q.next())
        all.push_back(scheduleFromQuery(q));
    return all;
}

std::optional<Schedule> ScheduleStore::readOne(const QString &where, const QVariant &value,
                                               StoreError *error, bool lock)
{
    QSqlQuery q(m_store.database().db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM schedules WHERE %2 = ?%3")
                  .arg(ScheduleColumns, where,
                       lock && !m_store.database().isSqlite() ? QStringLiteral(" FOR UPDATE")
                                                              : QString()));
    q.bindValue(0, value);
    if (!m_store.exec(q, error, QStringLiteral("reading a schedule")))
        return std::nullopt;
    if (!q.next()) {
        if (error)
            *error = {StoreError::Kind::NotFound,
                      where == QLatin1String("id")
                          ? QStringLiteral("no schedule %1").arg(value.toLongLong())
                          : QStringLiteral("no schedule named \"%1\"")
                                .arg(printableText(value.toString())),
                      where == QLatin1String("id") ? QStringLiteral("schedule_id")
                                                   : QStringLiteral("name"),
                      0};
        return std::nullopt;
    }
    return scheduleFromQuery(q);
}

std::optional<Schedule> ScheduleStore::schedule(qint64 id, StoreError *error)
{
    return readOne(QStringLiteral("id"), id, error);
}

std::optional<Schedule> ScheduleStore::scheduleNamed(const QString &name, StoreError *error)
{
    return readOne(QStringLiteral("name"), name, error);
}

namespace {

/// Counts schedule changes in `meta`, in the caller's transaction (signature()).
bool bumpChangeCount(QSqlQuery &q)
{
    return q.exec(QStringLiteral(
        "INSERT INTO meta (key, value) VALUES ('schedules_changed', '1') ON CONFLICT (key) DO "
        "UPDATE SET value = CAST(CAST(meta.value AS BIGINT) + 1 AS TEXT)"));
}

/// The fields an operator sets, in the order of SettableColumns, bound from position 0.
const QString SettableColumns = QStringLiteral("name, cron, timezone, dealer_ids, fetch_types, "
                                               "window_rule, fallback_days, priority, enabled, "
                                               "catch_up");
int bindSettable(QSqlQuery &q, const Schedule &schedule)
{
    int at = 0;
    q.bindValue(at++, schedule.name);
    q.bindValue(at++, schedule.cron);
    q.bindValue(at++, schedule.timezone);
    q.bindValue(at++, schedule.dealerIds.join(QLatin1Char('\n')));
    q.bindValue(at++, schedule.fetchTypes.join(QLatin1Char(',')));
    q.bindValue(at++, schedule.window);
    q.bindValue(at++, schedule.fallbackDays);
    q.bindValue(at++, schedule.priority);
    q.bindValue(at++, schedule.enabled ? 1 : 0);
    q.bindValue(at++, catchUpName(schedule.catchUp));
    return at;
}

} // namespace

bool ScheduleStore::nameFree(const Schedule &schedule, StoreError *error)
{
    QSqlQuery q(m_store.database().db());
    q.prepare(QStringLiteral("SELECT id FROM schedules WHERE name = ? AND id <> ?"));
    q.bindValue(0, schedule.name);
    q.bindValue(1, schedule.id);
    if (!m_store.exec(q, error, QStringLiteral("looking for the schedule's name")))
        return false;
    if (!q.next())
        return true;
    if (error)
        *error = {StoreError::Kind::Conflict,
                  QStringLiteral("name: a schedule named \"%1\" exists already (schedule %2)")
                      .arg(printableText(schedule.name))
                      .arg(q.value(0).toLongLong()),
                  QStringLiteral("name"), 0};
    return false;
}

std::optional<Schedule> ScheduleStore::add(const Schedule &schedule, qint64 nowMs,
                                           StoreError *error)
{
    Database &db = m_store.database();
    WriteTransaction tx(db);
    QString why;
    if (!tx.begin(&why)) {
        m_store.transactionFailed(tx, error,
                                  QStringLiteral("cannot add the schedule: %1").arg(why));
        return std::nullopt;
    }
    Schedule fresh = schedule;
    fresh.id = 0;
    if (!nameFree(fresh, error))
        return std::nullopt;
    QSqlQuery q(db.db());
    q.prepare(QStringLiteral("INSERT INTO schedules (%1, created_ms, created_by, changed_ms, "
                             "enabled_since_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                             "RETURNING id")
                  .arg(SettableColumns));
    int at = bindSettable(q, schedule);
    q.bindValue(at++, nowMs);
    q.bindValue(at++, schedule.createdBy.isEmpty() ? QStringLiteral("unknown")
                                                   : schedule.createdBy);
    q.bindValue(at++, nowMs);
    q.bindValue(at++, nowMs);
    if (!m_store.exec(q, error, QStringLiteral("adding the schedule")) || !q.next())
        return std::nullopt;
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    if (!bumpChangeCount(q)) {
        m_store.fail(error, q, QStringLiteral("adding the schedule"));
        return std::nullopt;
    }
    if (!m_store.writeAudit({0,
                             nowMs,
                             schedule.createdBy,
                             AuditAction::ScheduleAdded,
                             {},
                             0,
                             named(schedule.name, id) + QStringLiteral(": %1").arg(schedule.cron)},
                            error))
        return std::nullopt;
    if (!tx.commit(&why)) {
        m_store.transactionFailed(tx, error,
                                  QStringLiteral("cannot add the schedule: %1").arg(why));
        return std::nullopt;
    }
    return this->schedule(id, error);
}

std::optional<Schedule> ScheduleStore::update(const Schedule &schedule, qint64 nowMs,
                                              StoreError *error, const QString &actor)
{
    return change(
        schedule.id,
        [&schedule](Schedule *stored, StoreError *) {
            *stored = schedule;
            return true;
        },
        nowMs, error, actor);
}

std::optional<Schedule>
ScheduleStore::change(qint64 id, const std::function<bool(Schedule *, StoreError *)> &edit,
                      qint64 nowMs, StoreError *error, const QString &actor)
{
    Database &db = m_store.database();
    WriteTransaction tx(db);
    QString why;
    if (!tx.begin(&why)) {
        m_store.transactionFailed(tx, error,
                                  QStringLiteral("cannot change the schedule: %1").arg(why));
        return std::nullopt;
    }
    // SQLite's write transaction holds the whole database from its start; PostgreSQL's holds
    // the row once read so.
    const std::optional<Schedule> before = readOne(QStringLiteral("id"), id, error, /*lock=*/true);
    if (!before)
        return std::nullopt;
    Schedule schedule = *before;
    if (!edit(&schedule, error))
        return std::nullopt;
    schedule.id = id;
    if (!nameFree(schedule, error))
        return std::nullopt;
    QSqlQuery q(db.db());
    // Enabled again: slots that fell while it was off are never caught up (SPEC §6).
    const qint64 enabledSince =
        schedule.enabled && !before->enabled ? nowMs : before->enabledSinceMs;
    q.prepare(QStringLiteral(
        "UPDATE schedules SET name = ?, cron = ?, timezone = ?, dealer_ids = ?, fetch_types = ?, "
        "window_rule = ?, fallback_days = ?, priority = ?, enabled = ?, catch_up = ?, "
        "changed_ms = ?, enabled_since_ms = ? WHERE id = ?"));
    int at = bindSettable(q, schedule);
    q.bindValue(at++, nowMs);
    q.bindValue(at++, enabledSince);
    q.bindValue(at++, schedule.id);
    if (!m_store.exec(q, error, QStringLiteral("changing the schedule")))
        return std::nullopt;
    if (!bumpChangeCount(q)) {
        m_store.fail(error, q, QStringLiteral("changing the schedule"));
        return std::nullopt;
    }
    QString detail = named(schedule.name, schedule.id);
    if (before->name != schedule.name)
        detail += QStringLiteral(", was %1").arg(before->name);
    if (before->enabled != schedule.enabled)
        detail += schedule.enabled ? QStringLiteral(": enabled") : QStringLiteral(": disabled");
    if (!m_store.writeAudit({0, nowMs, actor, AuditAction::ScheduleChanged, {}, 0, detail}, error))
        return std::nullopt;
    if (!tx.commit(&why)) {
        m_store.transactionFailed(tx, error,
                                  QStringLiteral("cannot change the schedule: %1").arg(why));
        return std::nullopt;
    }
    return this->schedule(schedule.id, error);
}

bool ScheduleStore::remove(qint64 id, StoreError *error, const QString &actor)
{
    Database &db = m_store.database();
    WriteTransaction tx(db);
    QString why;
    if (!tx.begin(&why)) {
        m_store.transactionFailed(tx, error,
                                  QStringLiteral("cannot remove the schedule: %1").arg(why));
        return false;
    }
    QSqlQuery q(db.db());
    q.prepare(QStringLiteral("SELECT name FROM schedules WHERE id = ?"));
    q.bindValue(0, id);
    if (!m_store.exec(q, error, QStringLiteral("removing the schedule")))
        return false;
    const QString name = q.next() ? q.value(0).toString() : QString();
    q.finish();
    // Its fire records go with it (the foreign key cascades only where it is enforced).
    q.prepare(QStringLiteral("DELETE FROM schedule_fires WHERE schedule_id = ?"));
    q.bindValue(0, id);
    if (!m_store.exec(q, error, QStringLiteral("removing the schedule")))
        return false;
    q.prepare(QStringLiteral("DELETE FROM schedules WHERE id = ?"));
    q.bindValue(0, id);
    if (!m_store.exec(q, error, QStringLiteral("removing the schedule")))
        return false;
    if (q.numRowsAffected() < 1) {
        notFound(error, id);
        return false;
    }
    if (!bumpChangeCount(q))
        return m_store.fail(error, q, QStringLiteral("removing the schedule"));
    if (!m_store.writeAudit({0, 0, actor, AuditAction::ScheduleRemoved, {}, 0, named(name, id)},
                            error))
        return false;
    if (!tx.commit(&why)) {
        m_store.transactionFailed(tx, error,
                                  QStringLiteral("cannot remove the schedule: %1").arg(why));
        return false;
    }
    return true;
}

std::optional<QString> ScheduleStore::signature(StoreError *error)
{
    QSqlQuery q(m_store.database().db());
    q.prepare(QStringLiteral("SELECT value FROM meta WHERE key = 'schedules_changed'"));
    if (!m_store.exec(q, error, QStringLiteral("reading the schedules' state")))
        return std::nullopt;
    return q.next() ? q.value(0).toString() : QStringLiteral("0");
}

bool ScheduleStore::queueFire(const Schedule &schedule, qint64 fireMs, qint64 nowMs,
                              BulkOutcome *outcome, StoreError *error)
{
    const std::optional<WindowRule> rule = WindowRule::parse(schedule.window);
    const QTimeZone zone(schedule.timezone.toUtf8());
    const QDateTime fire = QDateTime::fromMSecsSinceEpoch(fireMs, Qt::UTC);
    QSqlQuery q(m_store.database().db());
    q.setForwardOnly(true);

    // since_last_success: each dealer's and type's covered_to, the latest to_time among its
    // completed jobs (index jobs_covered), read in the fire's own transaction.
    QHash<QString, qint64> coveredTo; // type + '\n' + dealer -> to_ms
    const auto key = [](const QString &type, const QString &dealer) {
        return type + QLatin1Char('\n') + dealer;
    };
    if (rule && rule->kind == WindowRule::Kind::SinceLastSuccess) {
        for (const QString &type : schedule.fetchTypes) {
            for (qsizetype from = 0; from < schedule.dealerIds.size(); from += FireChunk) {
                const QStringList chunk = schedule.dealerIds.mid(from, FireChunk);
                q.prepare(QStringLiteral("SELECT dealer_id, MAX(to_ms) FROM jobs WHERE status = "
                                         "'completed' AND fetch_type = ? AND dealer_id IN (%1) "
                                         "GROUP BY dealer_id")
                              .arg(placeholders(chunk.size(), QStringLiteral("?"))));
                q.bindValue(0, type);
                for (qsizetype i = 0; i < chunk.size(); ++i)
                    q.bindValue(int(1 + i), chunk.at(i));
                if (!m_store.exec(q, error, QStringLiteral("reading what was fetched before")))
                    return false;
                while (q.next())
                    coveredTo.insert(key(type, q.value(0).toString()), q.value(1).toLongLong());
            }
        }
    }

    struct Row
    {
        QString dealerId;
        QString type;
        TimeWindow window;
    };
    QVector<Row> rows; // D1/type1, D1/type2, D2/type1, ... (SPEC §6)
    rows.reserve(schedule.dealerIds.size() * schedule.fetchTypes.size());
    for (const QString &dealer : schedule.dealerIds) {
        for (const QString &type : schedule.fetchTypes) {
            std::optional<QDateTime> covered;
            if (const auto it = coveredTo.constFind(key(type, dealer)); it != coveredTo.cend())
                covered = QDateTime::fromMSecsSinceEpoch(*it, Qt::UTC);
            rows.push_back({dealer, type,
                            computeWindow(rule.value_or(WindowRule{}), fire, zone, covered,
                                          schedule.fallbackDays)});
        }
    }

    const std::optional<qint64> back = m_store.queueEdge(false, error);
    if (!back)
        return false;
    const qint64 firstPosition = *back + 1;
    const QString createdBy = Actor::schedule(schedule.name);
    QVector<qint64> ids(rows.size(), 0);
    for (qsizetype from = 0; from < rows.size(); from += FireChunk) {
        const qsizetype count = qMin(FireChunk, rows.size() - from);
        q.prepare(
            QStringLiteral(
                "INSERT INTO jobs (dealer_id, fetch_type, from_ms, to_ms, status, priority, "
                "position, created_ms, attempts, created_by) VALUES %1 ON CONFLICT "
                "(dealer_id, fetch_type, from_ms, to_ms) WHERE status = 'queued' DO NOTHING "
                "RETURNING id, position")
                .arg(placeholders(count, QStringLiteral("(?, ?, ?, ?, 'queued', ?, ?, ?, 0, ?)"))));
        int at = 0;
        for (qsizetype i = from; i < from + count; ++i) {
            const Row &row = rows.at(i);
            q.bindValue(at++, row.dealerId);
            q.bindValue(at++, row.type);
            q.bindValue(at++, row.window.fromMs);
            q.bindValue(at++, row.window.toMs);
            q.bindValue(at++, schedule.priority);
            q.bindValue(at++, firstPosition + i);
            q.bindValue(at++, nowMs);
            q.bindValue(at++, createdBy);
        }
        if (!m_store.exec(q, error, QStringLiteral("queueing the schedule's jobs")))
            return false;
        while (q.next()) {
            const qint64 index = q.value(1).toLongLong() - firstPosition;
            if (index < from || index >= from + count) {
                setDatabaseError(error, QStringLiteral("queueing the schedule's jobs: the "
                                                       "database returned an unexpected row"));
                return false;
            }
            ids[index] = q.value(0).toLongLong();
        }
    }
    // The rows the unique index skipped: an identical job is queued already (SPEC §1).
    for (qsizetype i = 0; i < rows.size(); ++i) {
        if (ids.at(i) != 0) {
            outcome->jobIds.push_back(ids.at(i));
            continue;
        }
        const Row &row = rows.at(i);
        q.prepare(QStringLiteral("SELECT id FROM jobs WHERE status = 'queued' AND dealer_id = ? "
                                 "AND fetch_type = ? AND from_ms = ? AND to_ms = ?"));
        q.bindValue(0, row.dealerId);
        q.bindValue(1, row.type);
        q.bindValue(2, row.window.fromMs);
        q.bindValue(3, row.window.toMs);
        if (!m_store.exec(q, error, QStringLiteral("looking for duplicate jobs")))
            return false;
        const qint64 existing = q.next() ? q.value(0).toLongLong() : 0;
        outcome->skipped.push_back(
            {row.dealerId,
             QStringLiteral("%1 already queued as job %2").arg(row.type).arg(existing), existing});
    }
    return true;
}

std::optional<FireOutcome> ScheduleStore::fire(const Schedule &wanted, qint64 fireMs,
                                               std::optional<qint64> slotMs, qint64 nowMs,
                                               StoreError *error, const QString &actor)
{
    Database &db = m_store.database();
    WriteTransaction tx(db);
    QString why;
    if (!tx.begin(&why)) {
        m_store.transactionFailed(
            tx, error,
            QStringLiteral("cannot fire schedule %1: %2").arg(printableText(wanted.name), why));
        return std::nullopt;
    }
    QSqlQuery q(db.db());
    FireOutcome outcome;
    if (slotMs) {
        // The guard: a second instance (or this one after a crash) finds the slot taken. On
        // PostgreSQL a concurrent insert of the same slot waits here for the first to commit.
        q.prepare(QStringLiteral("INSERT INTO schedule_fires (schedule_id, slot_ms, fired_ms, "
                                 "added, skipped) VALUES (?, ?, ?, 0, 0) ON CONFLICT "
                                 "(schedule_id, slot_ms) DO NOTHING RETURNING slot_ms"));
        q.bindValue(0, wanted.id);
        q.bindValue(1, *slotMs);
        q.bindValue(2, nowMs);
        if (!m_store.exec(q, error, QStringLiteral("recording the schedule's slot")))
            return std::nullopt;
        if (!q.next()) {
            outcome.alreadyFired = true;
            return outcome; // rolled back: nothing of ours to keep
        }
        q.finish();
    }
    // As it stands in this transaction: changed, disabled or removed meanwhile counts.
    const std::optional<Schedule> schedule = this->schedule(wanted.id, error);
    if (!schedule)
        return std::nullopt;
    if (slotMs && !schedule->enabled) {
        if (error)
            *error = {StoreError::Kind::Conflict,
                      QStringLiteral("schedule %1 is disabled").arg(printableText(schedule->name)),
                      QStringLiteral("enabled"), 0};
        return std::nullopt;
    }
    if (!queueFire(*schedule, fireMs, nowMs, &outcome.jobs, error))
        return std::nullopt;
    if (slotMs) {
        q.prepare(QStringLiteral("UPDATE schedule_fires SET added = ?, skipped = ? WHERE "
                                 "schedule_id = ? AND slot_ms = ?"));
        q.bindValue(0, int(outcome.jobs.jobIds.size()));
        q.bindValue(1, int(outcome.jobs.skipped.size()));
        q.bindValue(2, schedule->id);
        q.bindValue(3, *slotMs);
        if (!m_store.exec(q, error, QStringLiteral("recording the schedule's slot")))
            return std::nullopt;
        q.prepare(QStringLiteral("UPDATE schedules SET last_fired_ms = ?, last_slot_ms = ? "
                                 "WHERE id = ? AND (last_slot_ms IS NULL OR last_slot_ms < ?)"));
        q.bindValue(0, nowMs);
        q.bindValue(1, *slotMs);
        q.bindValue(2, schedule->id);
        q.bindValue(3, *slotMs);
    } else {
        q.prepare(QStringLiteral("UPDATE schedules SET last_fired_ms = ? WHERE id = ?"));
        q.bindValue(0, nowMs);
        q.bindValue(1, schedule->id);
    }
    if (!m_store.exec(q, error, QStringLiteral("recording the schedule's fire")))
        return std::nullopt;
    // A slot is fired by the schedule itself; "run now" by whoever asked.
    QString detail = named(schedule->name, schedule->id) +
                     (slotMs ? QStringLiteral(", slot %1").arg(formatTimestamp(*slotMs))
                             : QStringLiteral(", run now")) +
                     QStringLiteral(": %1 added, %2 skipped (already queued)")
                         .arg(outcome.jobs.jobIds.size())
                         .arg(outcome.jobs.skipped.size());
    if (!m_store.writeAudit({0, nowMs, slotMs ? Actor::schedule(schedule->name) : actor,
                             AuditAction::ScheduleFired, outcome.jobs.jobIds,
                             outcome.jobs.jobIds.size(), detail},
                            error))
        return std::nullopt;
    if (!tx.commit(&why)) {
        m_store.transactionFailed(
            tx, error,
            QStringLiteral("cannot fire schedule %1: %2").arg(printableText(schedule->name), why));
        return std::nullopt;
    }
    return outcome;
}

std::optional<FireOutcome> ScheduleStore::fireSlot(qint64 id, qint64 slotMs, qint64 nowMs,
                                                   StoreError *error)
{
    Schedule schedule;
    schedule.id = id;
    return fire(schedule, slotMs, slotMs, nowMs, error, {});
}

std::optional<FireOutcome> ScheduleStore::runNow(qint64 id, qint64 nowMs, StoreError *error,
                                                 const QString &actor)
{
    Schedule schedule;
    schedule.id = id;
    return fire(schedule, nowMs, std::nullopt, nowMs, error, actor);
}

bool ScheduleStore::skipSlotsUpTo(qint64 id, qint64 slotMs, StoreError *error)
{
    QSqlQuery q(m_store.database().db());
    q.prepare(QStringLiteral("UPDATE schedules SET last_slot_ms = ? WHERE id = ? AND "
                             "(last_slot_ms IS NULL OR last_slot_ms < ?)"));
    q.bindValue(0, slotMs);
    q.bindValue(1, id);
    q.bindValue(2, slotMs);
    return m_store.exec(q, error, QStringLiteral("skipping the schedule's missed slots"));
}
