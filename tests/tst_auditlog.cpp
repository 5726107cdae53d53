#include "job/actor.h"
#include "queue/queueoperations.h"
#include "queue/retention.h"
#include "store/auditlog.h"
#include "store/jobstore.h"
#include "store/schedulestore.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

namespace {

const QString Operator = QStringLiteral("cli:tester@host");
const QStringList Types{QStringLiteral("prospect"), QStringLiteral("sales")};

class ManualClock final : public SchedulerClock
{
public:
    qint64 now = 0;
    qint64 nowMs() const override { return now; }
};

NewJob newJob(const QString &dealer = QStringLiteral("12284"))
{
    return {dealer, QStringLiteral("prospect"), 1749686400000, 1749772799000, 0, false, {}};
}

Schedule nightly(const QString &name = QStringLiteral("nightly"))
{
    Schedule s;
    s.name = name;
    s.cron = QStringLiteral("0 2 * * *");
    s.timezone = QStringLiteral("Europe/Berlin");
    s.dealerIds = {QStringLiteral("A1"), QStringLiteral("B2")};
    s.fetchTypes = {QStringLiteral("prospect")};
    return s;
}

} // namespace

/// The audit log of SPEC §8, on SQLite and (as tst_auditlog_pg) PostgreSQL: every change writes
/// exactly one entry with its actor in the change's own transaction, a refused or failed change
/// leaves none and an entry that cannot be written undoes its change; reads filter and page.
class TestAuditLog final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void queueingWritesOneEntry();
    void eachQueueChangeWritesOneEntry();
    void bulkActionsWriteOneEntryEach();
    void pausingTwiceWritesOneEntry();
    void scheduleChangesAndFires();
    void retentionRemovesAsItsActor();
    void refusedChangesWriteNothing();
    void failedEntryUndoesTheChange_data();
    void failedEntryUndoesTheChange();
    void failureAfterTheEntryLeavesNothing();
    void readsFilterAndPage();
    void jobEntriesAreExact();
    void manyJobsListAHundred();

private:
    /// Every entry, newest first.
    QVector<AuditEntry> entries(const AuditFilter &filter = {});
    /// The only entry written since `before` entries; fails the test unless there is one.
    AuditEntry onlyNewEntry(qint64 before);
    qint64 entryCount();
    qint64 jobCount();
    /// Makes inserting into `table` fail from now on (a trigger), as a full disk or a refused
    /// statement would.
    void refuseInserts(const QString &table);
    qint64 failedJob(const QString &dealer);

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<QueueOperations> m_ops;
};

void TestAuditLog::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    m_ops = std::make_unique<QueueOperations>(*m_store, Operator);
}

void TestAuditLog::cleanup()
{
    m_ops.reset();
    m_store.reset();
    m_db.reset();
}

QVector<AuditEntry> TestAuditLog::entries(const AuditFilter &filter)
{
    AuditFilter all = filter;
    all.limit = -1;
    StoreError error;
    const std::optional<AuditPage> page = m_store->audit(all, &error);
    if (!page)
        qFatal("cannot read the audit log: %s", qPrintable(error.message));
    return page->entries;
}

qint64 TestAuditLog::entryCount()
{
    QSqlQuery q(m_store->database().db());
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM audit")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

qint64 TestAuditLog::jobCount()
{
    QSqlQuery q(m_store->database().db());
    if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM jobs")) || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

AuditEntry TestAuditLog::onlyNewEntry(qint64 before)
{
    const QVector<AuditEntry> all = entries();
    if (all.size() != before + 1) {
        qWarning("expected one new audit entry, found %lld", qint64(all.size() - before));
        return {};
    }
    return all.first();
}

void TestAuditLog::refuseInserts(const QString &table)
{
    QSqlQuery q(m_store->database().db());
    if (m_db->isPostgres()) {
        QVERIFY(q.exec(
            QStringLiteral("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION "
                           "'refused by the test'; END $$ LANGUAGE plpgsql")));
        QVERIFY(q.exec(QStringLiteral("CREATE TRIGGER refuse AFTER INSERT ON %1 FOR EACH ROW "
                                      "EXECUTE FUNCTION refuse()")
                           .arg(table)));
    } else {
        QVERIFY(q.exec(QStringLiteral("CREATE TRIGGER refuse AFTER INSERT ON %1 BEGIN "
                                      "SELECT RAISE(ABORT, 'refused by the test'); END")
                           .arg(table)));
    }
}

qint64 TestAuditLog::failedJob(const QString &dealer)
{
    StoreError error;
    const std::optional<AddOutcome> added = m_store->addJob(newJob(dealer), &error);
    if (!added)
        qFatal("cannot queue: %s", qPrintable(error.message));
    const std::optional<Job> job = m_store->claimNext(QStringLiteral("runner-1"), &error);
    if (!job || job->id != added->job.id)
        qFatal("cannot claim job %lld", added->job.id);
    m_store->failJob(*job, {QStringLiteral("HTTP 500"), ErrorCategory::Http}, {}, &error);
    return job->id;
}

void TestAuditLog::queueingWritesOneEntry()
{
    QCOMPARE(entryCount(), 0);
    const QueueResult<AddOutcome> one = m_ops->add(newJob());
    QVERIFY(one.ok());
    AuditEntry entry = onlyNewEntry(0);
    QCOMPARE(entry.action, AuditAction::JobsQueued);
    QCOMPARE(entry.actor, Operator);
    QCOMPARE(entry.jobIds, QVector<qint64>{one.value->job.id});
    QCOMPARE(entry.count, 1);
    QVERIFY2(entry.detail.contains(QLatin1String("prospect")), qPrintable(entry.detail));
    QVERIFY(entry.atMs > 0);

    // A duplicate changes nothing: no entry.
    QVERIFY(m_ops->add(newJob()).value->duplicate);
    QCOMPARE(entryCount(), 1);

    // Many in one transaction: one entry, the skipped twin said in words.
    const QueueResult<BulkOutcome> many = m_ops->addMany(
        {QStringLiteral("A"), QStringLiteral("12284"), QStringLiteral("B")}, newJob(QString()));
    QVERIFY(many.ok());
    entry = onlyNewEntry(1);
    QCOMPARE(entry.action, AuditAction::JobsQueued);
    QCOMPARE(entry.actor, Operator);
    QCOMPARE(entry.jobIds, many.value->jobIds);
    QCOMPARE(entry.count, 2);
    QVERIFY2(entry.detail.contains(QLatin1String("1 skipped")), qPrintable(entry.detail));

    // A job that names its creator (a schedule's) is audited as that creator.
    NewJob stamped = newJob(QStringLiteral("C"));
    stamped.createdBy = Actor::schedule(QStringLiteral("weekly"));
    QVERIFY(m_ops->add(stamped).ok());
    QCOMPARE(onlyNewEntry(2).actor, QStringLiteral("schedule:weekly"));
}

void TestAuditLog::eachQueueChangeWritesOneEntry()
{
    StoreError error;
    const qint64 a = m_store->addJob(newJob(QStringLiteral("A")), &error)->job.id;
    const qint64 b = m_store->addJob(newJob(QStringLiteral("B")), &error)->job.id;
    qint64 before = entryCount();

    QVERIFY(m_ops->move({b}, MoveOp::Top).isEmpty());
    AuditEntry entry = onlyNewEntry(before++);
    QCOMPARE(entry.action, AuditAction::JobsMoved);
    QCOMPARE(entry.actor, Operator);
    QCOMPARE(entry.jobIds, QVector<qint64>{b});
    QCOMPARE(entry.detail, QStringLiteral("to the top"));

    // Already at the top: nothing moved, nothing written.
    QVERIFY(m_ops->move({b}, MoveOp::Up).isEmpty());
    QCOMPARE(entryCount(), before);

    QCOMPARE(m_ops->cancel({a}).cancelled, QVector<qint64>{a});
    entry = onlyNewEntry(before++);
    QCOMPARE(entry.action, AuditAction::JobsCancelled);
    QCOMPARE(entry.actor, Operator);
    QCOMPARE(entry.jobIds, QVector<qint64>{a});

    QCOMPARE(m_ops->retry({a}).retried.size(), 1);
    entry = onlyNewEntry(before++);
    QCOMPARE(entry.action, AuditAction::JobsRetried);
    QCOMPARE(entry.jobIds, QVector<qint64>{a});
    QCOMPARE(entry.detail, QStringLiteral("was cancelled"));

    // A running job: cancel requested, one entry.
    const std::optional<Job> running = m_store->claimNext(QStringLiteral("runner-1"), &error);
    QVERIFY(running);
    QCOMPARE(m_ops->cancel({running->id}).aborting, QVector<qint64>{running->id});
    entry = onlyNewEntry(before++);
    QCOMPARE(entry.action, AuditAction::JobsCancelled);
    QCOMPARE(entry.jobIds, QVector<qint64>{running->id});
    QVERIFY2(entry.detail.contains(QLatin1String("while it runs")), qPrintable(entry.detail));

    // Two jobs cancelled by one call: one transaction, one entry each.
    const qint64 c = m_store->addJob(newJob(QStringLiteral("C")), &error)->job.id;
    const qint64 d = m_store->addJob(newJob(QStringLiteral("D")), &error)->job.id;
    before = entryCount();
    QCOMPARE(m_ops->cancel({c, d}).cancelled.size(), 2);
    const QVector<AuditEntry> all = entries();
    QCOMPARE(all.size(), before + 2);
    QCOMPARE(all.at(0).jobIds, QVector<qint64>{d});
    QCOMPARE(all.at(1).jobIds, QVector<qint64>{c});

    // Clearing the history: one entry counting every job it removed.
    before = entryCount();
    const QueueResult<qint64> cleared = m_ops->clearFinished();
    QVERIFY(cleared.ok());
    QCOMPARE(*cleared.value, 2);
    entry = onlyNewEntry(before++);
    QCOMPARE(entry.action, AuditAction::JobsCleared);
    QCOMPARE(entry.actor, Operator);
    QCOMPARE(entry.count, 2);
    QCOMPARE(entry.jobIds, (QVector<qint64>{c, d}));
    // Nothing left to clear: nothing written.
    QVERIFY(m_ops->clearFinished().ok());
    QCOMPARE(entryCount(), before);
}

void TestAuditLog::bulkActionsWriteOneEntryEach()
{
    const qint64 f1 = failedJob(QStringLiteral("F1"));
    const qint64 f2 = failedJob(QStringLiteral("F2"));
    StoreError error;
    QVERIFY(m_store->addJob(newJob(QStringLiteral("Q1")), &error));
    QVERIFY(m_store->addJob(newJob(QStringLiteral("Q2")), &error));
    qint64 before = entryCount();

    const QueueResult<BulkRetryReport> retried = m_ops->retryMatching({});
    QVERIFY(retried.ok());
    QCOMPARE(retried.value->jobIds, (QVector<qint64>{f1, f2}));
    AuditEntry entry = onlyNewEntry(before++);
    QCOMPARE(entry.action, AuditAction::JobsRetried);
    QCOMPARE(entry.actor, Operator);
    QCOMPARE(entry.jobIds, (QVector<qint64>{f1, f2}));
    QVERIFY2(entry.detail.contains(QLatin1String("status=failed")), qPrintable(entry.detail));

    QueuedFilter dealer;
    dealer.dealerId = QStringLiteral("Q1");
    const QueueResult<BulkReport> cancelled = m_ops->cancelMatching(dealer);
    QCOMPARE(cancelled.value->count(), 1);
    entry = onlyNewEntry(before++);
    QCOMPARE(entry.action, AuditAction::JobsCancelled);
    QCOMPARE(entry.jobIds, cancelled.value->jobIds);
    QCOMPARE(entry.detail, QStringLiteral("by filter: dealer_id=Q1"));

    // Matching nothing changes nothing.
    QVERIFY(m_ops->cancelMatching(dealer).ok());
    QCOMPARE(entryCount(), before);

    QueuedFilter all;
    all.all = true;
    QCOMPARE(m_ops->cancelMatching(all).value->count(), 3);
    entry = onlyNewEntry(before++);
    QCOMPARE(entry.count, 3);
    QCOMPARE(entry.detail, QStringLiteral("every queued job"));

    const QueueResult<BulkReport> removed = m_ops->removeFinished({});
    QCOMPARE(removed.value->count(), 4);
    entry = onlyNewEntry(before++);
    QCOMPARE(entry.action, AuditAction::JobsRemoved);
    QCOMPARE(entry.actor, Operator);
    QCOMPARE(entry.count, 4);
    QCOMPARE(entry.jobIds, removed.value->jobIds);
}

void TestAuditLog::pausingTwiceWritesOneEntry()
{
    QVERIFY(m_ops->setPaused(true).ok());
    AuditEntry entry = onlyNewEntry(0);
    QCOMPARE(entry.action, AuditAction::QueuePaused);
    QCOMPARE(entry.actor, Operator);
    QCOMPARE(entry.count, 0);
    QVERIFY(entry.jobIds.isEmpty());
    StoreError error;
    QCOMPARE(m_store->isPaused(&error), std::optional<bool>(true));

    QVERIFY(m_ops->setPaused(true).ok()); // paused already: no change, no entry
    QCOMPARE(entryCount(), 1);

    m_ops->setActor(QStringLiteral("api:ci"));
    QVERIFY(m_ops->setPaused(false).ok());
    entry = onlyNewEntry(1);
    QCOMPARE(entry.action, AuditAction::QueueResumed);
    QCOMPARE(entry.actor, QStringLiteral("api:ci"));
    QCOMPARE(m_store->isPaused(&error), std::optional<bool>(false));
}

void TestAuditLog::scheduleChangesAndFires()
{
    const QueueResult<Schedule> added = m_ops->addSchedule(nightly(), Types);
    QVERIFY2(added.ok(), qPrintable(added.error.message));
    AuditEntry entry = onlyNewEntry(0);
    QCOMPARE(entry.action, AuditAction::ScheduleAdded);
    QCOMPARE(entry.actor, Operator);
    QVERIFY2(entry.detail.contains(QLatin1String("nightly")), qPrintable(entry.detail));

    Schedule changed = *added.value;
    changed.enabled = false;
    m_ops->setActor(QStringLiteral("window:other@host"));
    QVERIFY(m_ops->updateSchedule(changed, Types).ok());
    entry = onlyNewEntry(1);
    QCOMPARE(entry.action, AuditAction::ScheduleChanged);
    QCOMPARE(entry.actor, QStringLiteral("window:other@host"));
    QVERIFY2(entry.detail.contains(QLatin1String("disabled")), qPrintable(entry.detail));

    // Run now: fired by whoever asked, the jobs named.
    const QueueResult<BulkOutcome> ran = m_ops->runSchedule(added.value->id);
    QVERIFY(ran.ok());
    QCOMPARE(ran.value->jobIds.size(), 2);
    entry = onlyNewEntry(2);
    QCOMPARE(entry.action, AuditAction::ScheduleFired);
    QCOMPARE(entry.actor, QStringLiteral("window:other@host"));
    QCOMPARE(entry.jobIds, ran.value->jobIds);
    QVERIFY2(entry.detail.contains(QLatin1String("2 added, 0 skipped")), qPrintable(entry.detail));

    // A slot: fired by the schedule itself; the twins of the run-now jobs skipped and said.
    changed.enabled = true;
    QVERIFY(m_ops->updateSchedule(changed, Types).ok());
    ScheduleStore schedules(*m_store);
    StoreError error;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const std::optional<FireOutcome> fired = schedules.fireSlot(added.value->id, now, now, &error);
    QVERIFY2(fired, qPrintable(error.message));
    entry = onlyNewEntry(4);
    QCOMPARE(entry.action, AuditAction::ScheduleFired);
    QCOMPARE(entry.actor, QStringLiteral("schedule:nightly"));
    QCOMPARE(entry.jobIds, fired->jobs.jobIds);
    // The same slot again: nothing fired, nothing written.
    QVERIFY(schedules.fireSlot(added.value->id, now, now, &error)->alreadyFired);
    QCOMPARE(entryCount(), 5);

    QVERIFY(m_ops->removeSchedule(added.value->id).ok());
    entry = onlyNewEntry(5);
    QCOMPARE(entry.action, AuditAction::ScheduleRemoved);
    QCOMPARE(entry.actor, QStringLiteral("window:other@host"));
    QVERIFY2(entry.detail.contains(QLatin1String("nightly")), qPrintable(entry.detail));
}

void TestAuditLog::retentionRemovesAsItsActor()
{
    ManualClock clock;
    clock.now = QDateTime::currentMSecsSinceEpoch();
    const qint64 old = failedJob(QStringLiteral("OLD"));
    failedJob(QStringLiteral("NEW"));
    QSqlQuery q(m_store->database().db());
    q.prepare(QStringLiteral("UPDATE jobs SET finished_ms = ? WHERE id = ?"));
    q.addBindValue(clock.now - 10 * 24 * 3600 * 1000LL);
    q.addBindValue(old);
    QVERIFY(q.exec());
    const qint64 before = entryCount();

    Retention retention(m_store->database().url(), clock, QStringLiteral("retention:me@host"));
    QSignalSpy finished(&retention, &Retention::passFinished);
    retention.setKeepDays(7);
    retention.setActive(true);
    QVERIFY(finished.wait(5000));
    QCOMPARE(finished.first().first().toLongLong(), 1);
    const AuditEntry entry = onlyNewEntry(before);
    QCOMPARE(entry.action, AuditAction::JobsRemoved);
    QCOMPARE(entry.actor, QStringLiteral("retention:me@host"));
    QCOMPARE(entry.jobIds, QVector<qint64>{old});
    QVERIFY2(entry.detail.contains(QLatin1String("finished_before=")), qPrintable(entry.detail));
}

void TestAuditLog::refusedChangesWriteNothing()
{
    const qint64 failed = failedJob(QStringLiteral("F"));
    StoreError error;
    const qint64 queued = m_store->addJob(newJob(QStringLiteral("Q")), &error)->job.id;
    const qint64 before = entryCount();

    QCOMPARE(m_ops->cancel({failed}).errors.size(), 1); // finished: nothing to cancel
    QCOMPARE(m_ops->cancel({999999}).errors.size(), 1);
    QCOMPARE(m_ops->retry({queued}).errors.size(), 1); // queued: nothing to retry
    QCOMPARE(m_ops->move({failed}, MoveOp::Top).size(), 1);
    QVERIFY(!m_ops->cancelMatching({}).ok()); // no field and no `all`
    HistoryFilter queuedStatus;
    queuedStatus.statuses = {JobStatus::Queued};
    QVERIFY(!m_ops->removeFinished(queuedStatus).ok());
    QVERIFY(!m_ops->removeSchedule(4242).ok());
    Schedule bad = nightly();
    bad.cron = QStringLiteral("0 24 * * *");
    QVERIFY(!m_ops->addSchedule(bad, Types).ok());
    QVERIFY(m_ops->addSchedule(nightly(QStringLiteral("taken")), Types).ok());
    QCOMPARE(entryCount(), before + 1);
    QCOMPARE(m_ops->addSchedule(nightly(QStringLiteral("taken")), Types).error.kind,
             StoreError::Kind::Conflict);
    QCOMPARE(entryCount(), before + 1);
}

void TestAuditLog::failedEntryUndoesTheChange_data()
{
    QTest::addColumn<QString>("action");
    for (const QString &action :
         {AuditAction::JobsQueued, AuditAction::JobsCancelled, AuditAction::JobsRetried,
          AuditAction::JobsMoved, AuditAction::QueuePaused, AuditAction::JobsCleared,
          AuditAction::JobsRemoved, QStringLiteral("bulk_retry"), QStringLiteral("bulk_cancel"),
          AuditAction::ScheduleAdded, AuditAction::ScheduleChanged, AuditAction::ScheduleRemoved,
          AuditAction::ScheduleFired})
        QTest::newRow(qPrintable(action)) << action;
}

void TestAuditLog::failedEntryUndoesTheChange()
{
    // Whatever each change needs, made (and audited) before the audit table starts refusing.
    QFETCH(QString, action);
    const qint64 failed = failedJob(QStringLiteral("F"));
    StoreError error;
    const qint64 a = m_store->addJob(newJob(QStringLiteral("A")), &error)->job.id;
    const qint64 b = m_store->addJob(newJob(QStringLiteral("B")), &error)->job.id;
    const QueueResult<Schedule> schedule = m_ops->addSchedule(nightly(), Types);
    QVERIFY(schedule.ok());

    const auto state = [this] {
        QSqlQuery q(m_store->database().db());
        QString all;
        for (const char *sql :
             {"SELECT id, status, priority, position, COALESCE(finished_ms, 0) FROM jobs "
              "ORDER BY id",
              "SELECT key, value FROM meta WHERE key = 'paused'",
              "SELECT id, name, enabled FROM schedules ORDER BY id",
              "SELECT COUNT(*) FROM schedule_fires", "SELECT COUNT(*) FROM audit",
              "SELECT COUNT(*) FROM audit_jobs"}) {
            if (!q.exec(QLatin1String(sql)))
                return QStringLiteral("cannot read: %1").arg(QLatin1String(sql));
            while (q.next())
                for (int i = 0; i < q.record().count(); ++i)
                    all += q.value(i).toString() + QLatin1Char(' ');
            all += QLatin1Char('\n');
        }
        return all;
    };
    const QString before = state();
    refuseInserts(QStringLiteral("audit"));

    bool ok = true;
    if (action == AuditAction::JobsQueued) {
        ok = m_ops->add(newJob(QStringLiteral("NEW"))).ok();
        QVERIFY(!m_ops->addMany({QStringLiteral("X"), QStringLiteral("Y")}, newJob()).ok());
    } else if (action == AuditAction::JobsCancelled) {
        ok = m_ops->cancel({a}).errors.isEmpty();
    } else if (action == AuditAction::JobsRetried) {
        ok = m_ops->retry({failed}).errors.isEmpty();
    } else if (action == AuditAction::JobsMoved) {
        ok = m_ops->move({b}, MoveOp::Top).isEmpty();
    } else if (action == AuditAction::QueuePaused) {
        ok = m_ops->setPaused(true).ok();
    } else if (action == AuditAction::JobsCleared) {
        ok = m_ops->clearFinished().ok();
    } else if (action == AuditAction::JobsRemoved) {
        ok = m_ops->removeFinished({}).ok();
    } else if (action == QLatin1String("bulk_retry")) {
        ok = m_ops->retryMatching({}).ok();
    } else if (action == QLatin1String("bulk_cancel")) {
        QueuedFilter all;
        all.all = true;
        ok = m_ops->cancelMatching(all).ok();
    } else if (action == AuditAction::ScheduleAdded) {
        ok = m_ops->addSchedule(nightly(QStringLiteral("other")), Types).ok();
    } else if (action == AuditAction::ScheduleChanged) {
        Schedule changed = *schedule.value;
        changed.enabled = false;
        ok = m_ops->updateSchedule(changed, Types).ok();
    } else if (action == AuditAction::ScheduleRemoved) {
        ok = m_ops->removeSchedule(schedule.value->id).ok();
    } else if (action == AuditAction::ScheduleFired) {
        ok = m_ops->runSchedule(schedule.value->id).ok();
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(!ScheduleStore(*m_store).fireSlot(schedule.value->id, now, now, &error));
    }
    QVERIFY2(!ok, "the change went through although its audit entry could not be written");
    QCOMPARE(state(), before);
}

void TestAuditLog::failureAfterTheEntryLeavesNothing()
{
    // The entry is written, then its job list is refused: the whole change rolls back.
    refuseInserts(QStringLiteral("audit_jobs"));
    const QueueResult<BulkOutcome> added =
        m_ops->addMany({QStringLiteral("A"), QStringLiteral("B")}, newJob());
    QVERIFY(!added.ok());
    QVERIFY2(added.error.message.contains(QLatin1String("refused by the test")),
             qPrintable(added.error.message));
    QCOMPARE(entryCount(), 0);
    QCOMPARE(jobCount(), 0);
    // Pausing lists no jobs: it still goes through, with its entry.
    QVERIFY(m_ops->setPaused(true).ok());
    QCOMPARE(entryCount(), 1);
}

void TestAuditLog::readsFilterAndPage()
{
    StoreError error;
    m_ops->setActor(QStringLiteral("api:one"));
    for (int i = 0; i < 5; ++i)
        QVERIFY(m_ops->add(newJob(QStringLiteral("D%1").arg(i))).ok());
    m_ops->setActor(QStringLiteral("api:two"));
    QVERIFY(m_ops->setPaused(true).ok());
    QVERIFY(m_ops->setPaused(false).ok());
    QVERIFY(m_ops->add(newJob(QStringLiteral("E"))).ok());

    AuditFilter filter;
    filter.limit = 3;
    QueueResult<AuditPage> page = m_ops->audit(filter);
    QVERIFY(page.ok());
    QCOMPARE(page.value->total, 8);
    QCOMPARE(page.value->entries.size(), 3);
    QCOMPARE(page.value->entries.at(0).action, AuditAction::JobsQueued); // newest first
    QCOMPARE(page.value->entries.at(1).action, AuditAction::QueueResumed);
    QCOMPARE(page.value->entries.at(2).action, AuditAction::QueuePaused);
    filter.offset = 6;
    page = m_ops->audit(filter);
    QCOMPARE(page.value->entries.size(), 2);
    QCOMPARE(page.value->total, 8);
    QVERIFY(page.value->entries.at(0).id > page.value->entries.at(1).id);

    filter = {};
    filter.actor = QStringLiteral("api:one");
    page = m_ops->audit(filter);
    QCOMPARE(page.value->total, 5);
    for (const AuditEntry &entry : std::as_const(page.value->entries))
        QCOMPARE(entry.actor, QStringLiteral("api:one"));
    filter.action = AuditAction::QueuePaused;
    QCOMPARE(m_ops->audit(filter).value->total, 0);
    filter.actor = QStringLiteral("api:two");
    QCOMPARE(m_ops->audit(filter).value->total, 1);

    // Filters are data, never SQL.
    filter = {};
    filter.actor = QStringLiteral("x' OR '1'='1");
    page = m_ops->audit(filter);
    QVERIFY(page.ok());
    QCOMPARE(page.value->total, 0);
    filter.actor.clear();
    filter.action = QStringLiteral("jobs_queued'; DROP TABLE audit; --");
    QVERIFY(m_ops->audit(filter).ok());
    QCOMPARE(entryCount(), 8);
}

void TestAuditLog::jobEntriesAreExact()
{
    // Job 1's entries must not include those of jobs 10, 11, 21, … (a substring of the list).
    StoreError error;
    QVector<qint64> ids;
    for (int i = 0; i < 12; ++i)
        ids << m_ops->add(newJob(QStringLiteral("D%1").arg(i))).value->job.id;
    const qint64 first = ids.first();
    QVERIFY(m_ops->move({ids.at(10)}, MoveOp::Top).isEmpty());
    QVERIFY(m_ops->cancel({first}).errors.isEmpty());
    QVERIFY(m_ops->retry({first}).errors.isEmpty());
    QueuedFilter all;
    all.all = true;
    QVERIFY(m_ops->cancelMatching(all).ok());

    const QueueResult<JobDetails> details = m_ops->details(first);
    QVERIFY(details.ok());
    QStringList actions;
    for (const AuditEntry &entry : details.value->audit) {
        QVERIFY(entry.jobIds.contains(first));
        actions << entry.action;
    }
    QCOMPARE(actions, (QStringList{AuditAction::JobsCancelled, AuditAction::JobsRetried,
                                   AuditAction::JobsCancelled, AuditAction::JobsQueued}));
    const QVector<AuditEntry> tenth = *m_store->jobAudit(ids.at(10), -1, &error);
    QCOMPARE(tenth.size(), 3); // queued, moved, cancelled with the rest
    QCOMPARE(tenth.at(1).action, AuditAction::JobsMoved);
}

void TestAuditLog::manyJobsListAHundred()
{
    QStringList dealers;
    for (int i = 0; i < 1203; ++i)
        dealers << QStringLiteral("D%1").arg(i);
    const QueueResult<BulkOutcome> added = m_ops->addMany(dealers, newJob(QString()));
    QVERIFY(added.ok());
    const AuditEntry entry = onlyNewEntry(0);
    QCOMPARE(entry.count, 1203);
    QCOMPARE(entry.jobIds.size(), AuditEntry::MaxListedJobs);
    QCOMPARE(entry.jobIds, added.value->jobIds.mid(0, AuditEntry::MaxListedJobs));
    // Each job finds its entry, the last one too.
    StoreError error;
    const qint64 last = added.value->jobIds.last();
    QCOMPARE(m_store->jobAudit(last, -1, &error)->size(), 1);
    QCOMPARE(m_store->jobAudit(last, -1, &error)->first().id, entry.id);
}

QTEST_GUILESS_MAIN(TestAuditLog)
#include "tst_auditlog.moc"
