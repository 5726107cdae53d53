// Schedules (SPEC §6) on a real database: the store's fire guard, the scheduler's slots, catch-up,
// daylight saving and windows, with a clock the test moves instead of waiting. Runs on SQLite and,
// as tst_scheduler_pg, on PostgreSQL.
#include "job/actor.h"
#include "job/fetchedrecord.h"
#include "job/timeformat.h"
#include "queue/queueoperations.h"
#include "queue/scheduler.h"
#include "schedule/schedulejson.h"
#include "schedule/schedule.h"
#include "store/jobstore.h"
#include "store/schedulestore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>
#include <QTimeZone>

#include <memory>

namespace {

class ManualClock final : public SchedulerClock
{
public:
    qint64 now = 0;
    qint64 nowMs() const override { return now; }
};

qint64 at(const char *iso)
{
    const QDateTime t = QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate);
    Q_ASSERT(t.isValid());
    return t.toMSecsSinceEpoch();
}

const QStringList Types = {"prospect", "sales", "service", "inventory"};

} // namespace

class TestScheduler : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void validationNamesTheFieldAndStoresNothing();
    void firesItsSlotOnceInOrder();
    void secondInstanceFindsTheSlotFired();
    void catchUpOnceFiresTheLatestMissedSlot();
    void catchUpSkipFiresNone();
    void slotsWhileDisabledAreNotCaughtUp();
    void springForwardFiresAfterTheGap();
    void autumnRepeatFiresOnce();
    void clockJumpIsNoticedWithoutTheDatabase();
    void changeInAnotherInstanceRearms();
    void sinceLastSuccessPerDealerAndType();
    void runNowIsNotASlot();
    void removingKeepsTheJobs();
    void operationsCheckStampAndList();

private:
    Schedule nightly(const QString &name = QStringLiteral("nightly")) const;
    qint64 addSchedule(Schedule s);
    QVector<Job> queued() const;
    std::unique_ptr<JobStore> openStore() const;

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<ScheduleStore> m_schedules;
    ManualClock m_clock;
};

void TestScheduler::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = openStore();
    QVERIFY(m_store);
    m_schedules = std::make_unique<ScheduleStore>(*m_store);
    m_clock.now = at("2026-06-09T12:00:00+02:00");
}

void TestScheduler::cleanup()
{
    m_schedules.reset();
    m_store.reset();
    m_db.reset();
}

std::unique_ptr<JobStore> TestScheduler::openStore() const
{
    auto store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    if (!store->open(&error)) {
        qWarning("open failed: %s", qPrintable(error.message));
        return nullptr;
    }
    return store;
}

Schedule TestScheduler::nightly(const QString &name) const
{
    Schedule s;
    s.name = name;
    s.cron = QStringLiteral("0 2 * * *");
    s.timezone = QStringLiteral("Europe/Berlin");
    s.dealerIds = {"A1", "B2"};
    s.fetchTypes = {"sales", "service"};
    s.window = QStringLiteral("previous_day");
    s.createdBy = QStringLiteral("cli:test@host");
    return s;
}

qint64 TestScheduler::addSchedule(Schedule s)
{
    FieldError invalid;
    if (!validateSchedule(&s, Types, &invalid)) {
        qWarning("invalid: %s", qPrintable(invalid.message));
        return 0;
    }
    StoreError error;
    const std::optional<Schedule> added = m_schedules->add(s, m_clock.now, &error);
    if (!added)
        qWarning("add failed: %s", qPrintable(error.message));
    return added ? added->id : 0;
}

QVector<Job> TestScheduler::queued() const
{
    StoreError error;
    return m_store->queuedJobs(-1, &error).value_or(QVector<Job>());
}

void TestScheduler::validationNamesTheFieldAndStoresNothing()
{
    struct Case
    {
        const char *field;
        std::function<void(Schedule &)> spoil;
        const char *says;
    };
    const QVector<Case> cases = {
        {"cron", [](Schedule &s) { s.cron = "0 24 * * *"; }, "hour: 24 is out of range"},
        {"cron", [](Schedule &s) { s.cron = "0 2 * *"; }, "expected 5 fields"},
        {"timezone", [](Schedule &s) { s.timezone = "Mars/Olympus"; }, "Mars/Olympus"},
        {"dealer_ids",
         [](Schedule &s) {
             s.dealerIds = {"A1", "bad id!"};
         },
         "bad id!"},
        {"dealer_ids", [](Schedule &s) { s.dealerIds.clear(); }, "at least one"},
        {"dealer_ids",
         [](Schedule &s) {
             s.dealerIds.clear();
             for (int i = 0; i <= MaxScheduleDealers; ++i)
                 s.dealerIds << QString::number(100000 + i);
         },
         "10001 dealer IDs"},
        {"fetch_types",
         [](Schedule &s) {
             s.fetchTypes = {"sales", "leads"};
         },
         "leads"},
        {"window", [](Schedule &s) { s.window = "last_hours:0"; }, "out of range"},
        {"window", [](Schedule &s) { s.window = "yesterday"; }, "yesterday"},
        {"fallback_days", [](Schedule &s) { s.fallbackDays = 0; }, "out of range"},
        {"fallback_days", [](Schedule &s) { s.fallbackDays = 367; }, "out of range"},
        {"priority", [](Schedule &s) { s.priority = 2000000000; }, "out of range"},
        {"name", [](Schedule &s) { s.name = QString(65, 'n'); }, "at most 64"},
        {"name", [](Schedule &s) { s.name = "  "; }, "needs a name"},
        {"name", [](Schedule &s) { s.name = "tab\there"; }, "printable"},
    };
    for (const Case &c : cases) {
        Schedule s = nightly();
        c.spoil(s);
        const Schedule before = s;
        FieldError error;
        QVERIFY2(!validateSchedule(&s, Types, &error), c.field);
        QCOMPARE(error.field, QString::fromLatin1(c.field));
        QVERIFY2(error.message.contains(QLatin1String(c.says)), qPrintable(error.message));
        QVERIFY2(error.message.startsWith(error.field + ':'), qPrintable(error.message));
        QCOMPARE(s.name, before.name); // the schedule is left as it was
        const QVector<FieldError> all = scheduleProblems(before, Types);
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().message, error.message);
    }
    // Any IANA name the system knows, also those Qt 6.4 does not list (Debian's default zone
    // Etc/UTC, links such as America/Montreal); no other file of the zone folder, no path. The
    // links are those tzdata keeps: the old ones like US/Eastern are in tzdata-legacy since
    // Debian 13, and a name the system does not hold is refused like Mars/Olympus below.
    for (const char *zone : {"Etc/UTC", "Etc/GMT+5", "America/Montreal", "UTC", "Europe/Berlin"}) {
        Schedule s = nightly();
        s.timezone = zone;
        FieldError error;
        QVERIFY2(validateSchedule(&s, Types, &error), qPrintable(error.message));
        QCOMPARE(s.timezone, QString::fromLatin1(zone));
    }
    for (const char *zone : {"localtime", "posixrules", "posix/Europe/Berlin", "right/UTC",
                             "../zoneinfo/UTC", "/usr/share/zoneinfo/UTC", "Europe/", "Etc//UTC",
                             "Europe/Berlin ", "Mars/Olympus", "zone.tab"}) {
        Schedule s = nightly();
        s.timezone = zone;
        FieldError error;
        QVERIFY2(!validateSchedule(&s, Types, &error), zone);
        QCOMPARE(error.field, QStringLiteral("timezone"));
    }
    Schedule local = nightly();
    local.timezone.clear();
    FieldError localError;
    QVERIFY2(validateSchedule(&local, Types, &localError), qPrintable(localError.message));
    QCOMPARE(local.timezone, QString::fromUtf8(QTimeZone::systemTimeZoneId()));
    // Every field at fault, in the order validateSchedule() checks them.
    Schedule spoilt = nightly();
    spoilt.window = "yesterday";
    spoilt.cron = "61 * * * *";
    spoilt.fetchTypes = {"leads"};
    spoilt.priority = -2000000;
    QStringList fields;
    for (const FieldError &problem : scheduleProblems(spoilt, Types))
        fields << problem.field;
    QCOMPARE(fields, (QStringList{"cron", "fetch_types", "window", "priority"}));
    QVERIFY(scheduleProblems(nightly(), Types).isEmpty());
    // A taken name is a conflict naming `name`; nothing else is stored.
    QVERIFY(addSchedule(nightly()) > 0);
    Schedule twin = nightly();
    FieldError invalid;
    QVERIFY(validateSchedule(&twin, Types, &invalid));
    StoreError error;
    QVERIFY(!m_schedules->add(twin, m_clock.now, &error));
    QCOMPARE(error.kind, StoreError::Kind::Conflict);
    QCOMPARE(error.field, QStringLiteral("name"));
    QCOMPARE(m_schedules->schedules(&error)->size(), 1);
    // The stored form: repeats dropped in order, the zone kept, the cron's spacing normalised.
    Schedule tidy = nightly("tidy");
    tidy.cron = "  0   2 * *   mon-fri ";
    tidy.dealerIds = {"B2", "A1", "B2"};
    QVERIFY(validateSchedule(&tidy, Types, &invalid));
    QCOMPARE(tidy.cron, QStringLiteral("0 2 * * mon-fri"));
    QCOMPARE(tidy.dealerIds, (QStringList{"B2", "A1"}));
}

void TestScheduler::firesItsSlotOnceInOrder()
{
    const qint64 id = addSchedule(nightly());
    QVERIFY(id);
    Scheduler scheduler(*m_store, m_clock);
    QSignalSpy fired(&scheduler, &Scheduler::fired);
    scheduler.setActive(true);
    const qint64 slot = at("2026-06-10T02:00:00+02:00");
    QCOMPARE(scheduler.nextWakeMs().value_or(0), slot);
    QVERIFY(queued().isEmpty());

    m_clock.now = slot + 300;
    scheduler.fireDue();
    const QVector<Job> jobs = queued();
    QCOMPARE(jobs.size(), 4);
    const QStringList order = {"A1 sales", "A1 service", "B2 sales", "B2 service"};
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(jobs[i].dealerId + ' ' + jobs[i].fetchType, order[i]);
        QCOMPARE(jobs[i].fromMs, at("2026-06-09T00:00:00+02:00"));
        QCOMPARE(jobs[i].toMs, at("2026-06-09T23:59:59+02:00"));
        QCOMPARE(jobs[i].createdBy, Actor::schedule("nightly"));
    }
    QCOMPARE(fired.size(), 1);
    QCOMPARE(fired[0][1].toLongLong(), slot);
    QCOMPARE(fired[0][2].toInt(), 4);
    StoreError error;
    const Schedule after = *m_schedules->schedule(id, &error);
    QCOMPARE(after.lastSlotMs.value_or(0), slot);
    QCOMPARE(after.lastFiredMs.value_or(0), slot + 300);
    QCOMPARE(scheduler.nextWakeMs().value_or(0), at("2026-06-11T02:00:00+02:00"));

    // Woken again within the same minute: nothing more.
    m_clock.now = slot + 2000;
    scheduler.fireDue();
    QCOMPARE(queued().size(), 4);
    QCOMPARE(fired.size(), 1);
}

void TestScheduler::secondInstanceFindsTheSlotFired()
{
    const qint64 id = addSchedule(nightly());
    const qint64 slot = at("2026-06-10T02:00:00+02:00");
    m_clock.now = slot + 100;
    // Two instances, two connections: both try the slot; the guard lets one queue it.
    const std::unique_ptr<JobStore> otherStore = openStore();
    QVERIFY(otherStore);
    ScheduleStore other(*otherStore);
    StoreError error;
    const std::optional<FireOutcome> first = other.fireSlot(id, slot, m_clock.now, &error);
    QVERIFY2(first, qPrintable(error.message));
    QVERIFY(!first->alreadyFired);
    QCOMPARE(first->jobs.jobIds.size(), 4);
    const std::optional<FireOutcome> second = m_schedules->fireSlot(id, slot, m_clock.now, &error);
    QVERIFY2(second, qPrintable(error.message));
    QVERIFY(second->alreadyFired);
    QVERIFY(second->jobs.jobIds.isEmpty());
    QCOMPARE(queued().size(), 4);
    // Its scheduler, started later, sees the slot dealt with.
    Scheduler scheduler(*m_store, m_clock);
    QSignalSpy fired(&scheduler, &Scheduler::fired);
    scheduler.setActive(true);
    QCOMPARE(fired.size(), 0);
    QCOMPARE(queued().size(), 4);
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT COUNT(*), SUM(added) FROM schedule_fires"));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    QCOMPARE(q.value(1).toInt(), 4);
}

void TestScheduler::catchUpOnceFiresTheLatestMissedSlot()
{
    const qint64 id = addSchedule(nightly());
    // Nobody ran from the 9th to the 12th at 09:00: the slots of the 10th, 11th, 12th were missed.
    m_clock.now = at("2026-06-12T09:00:00+02:00");
    Scheduler scheduler(*m_store, m_clock);
    QSignalSpy fired(&scheduler, &Scheduler::fired);
    scheduler.setActive(true);
    QCOMPARE(fired.size(), 1);
    QCOMPARE(fired[0][1].toLongLong(), at("2026-06-12T02:00:00+02:00"));
    const QVector<Job> jobs = queued();
    QCOMPARE(jobs.size(), 4);
    // The slot's own instant decides the window, not the late fire.
    QCOMPARE(jobs[0].fromMs, at("2026-06-11T00:00:00+02:00"));
    QCOMPARE(jobs[0].toMs, at("2026-06-11T23:59:59+02:00"));
    StoreError error;
    QCOMPARE(m_schedules->schedule(id, &error)->lastSlotMs.value_or(0),
             at("2026-06-12T02:00:00+02:00"));
    QCOMPARE(scheduler.nextWakeMs().value_or(0), at("2026-06-13T02:00:00+02:00"));
    // Restarting again fires nothing more.
    Scheduler again(*m_store, m_clock);
    QSignalSpy firedAgain(&again, &Scheduler::fired);
    again.setActive(true);
    QCOMPARE(firedAgain.size(), 0);
    QCOMPARE(queued().size(), 4);
}

void TestScheduler::catchUpSkipFiresNone()
{
    Schedule s = nightly();
    s.catchUp = CatchUp::Skip;
    const qint64 id = addSchedule(s);
    m_clock.now = at("2026-06-12T09:00:00+02:00");
    Scheduler scheduler(*m_store, m_clock);
    QSignalSpy fired(&scheduler, &Scheduler::fired);
    scheduler.setActive(true);
    QCOMPARE(fired.size(), 0);
    QVERIFY(queued().isEmpty());
    StoreError error;
    QCOMPARE(m_schedules->schedule(id, &error)->lastSlotMs.value_or(0),
             at("2026-06-12T02:00:00+02:00"));
    // The next slot on time fires as usual.
    m_clock.now = at("2026-06-13T02:00:01+02:00");
    scheduler.fireDue();
    QCOMPARE(fired.size(), 1);
    QCOMPARE(queued().size(), 4);
    QCOMPARE(queued()[0].fromMs, at("2026-06-12T00:00:00+02:00"));
}

void TestScheduler::slotsWhileDisabledAreNotCaughtUp()
{
    const qint64 id = addSchedule(nightly());
    StoreError error;
    Schedule s = *m_schedules->schedule(id, &error);
    s.enabled = false;
    m_clock.now = at("2026-06-09T13:00:00+02:00");
    QVERIFY(m_schedules->update(s, m_clock.now, &error));
    m_clock.now = at("2026-06-12T09:00:00+02:00");
    Scheduler scheduler(*m_store, m_clock);
    scheduler.setActive(true);
    QVERIFY(!scheduler.nextWakeMs()); // nothing enabled
    s.enabled = true;
    QVERIFY(m_schedules->update(s, m_clock.now, &error));
    scheduler.check();
    QVERIFY(queued().isEmpty());
    QCOMPARE(scheduler.nextWakeMs().value_or(0), at("2026-06-13T02:00:00+02:00"));
}

void TestScheduler::springForwardFiresAfterTheGap()
{
    Schedule s = nightly();
    s.cron = "30 2 * * *"; // 2026-03-29 02:30 does not exist in Berlin
    m_clock.now = at("2026-03-28T12:00:00+01:00");
    addSchedule(s);
    Scheduler scheduler(*m_store, m_clock);
    scheduler.setActive(true);
    const qint64 gapEnd = at("2026-03-29T03:00:00+02:00");
    QCOMPARE(scheduler.nextWakeMs().value_or(0), gapEnd);
    m_clock.now = gapEnd + 1000;
    scheduler.fireDue();
    const QVector<Job> jobs = queued();
    QCOMPARE(jobs.size(), 4);
    QCOMPARE(jobs[0].fromMs, at("2026-03-28T00:00:00+01:00"));
    QCOMPARE(jobs[0].toMs, at("2026-03-28T23:59:59+01:00"));
    QCOMPARE(scheduler.nextWakeMs().value_or(0), at("2026-03-30T02:30:00+02:00"));
}

void TestScheduler::autumnRepeatFiresOnce()
{
    Schedule s = nightly();
    s.cron = "30 2 * * *"; // 2026-10-25 02:30 happens twice in Berlin
    m_clock.now = at("2026-10-24T12:00:00+02:00");
    addSchedule(s);
    Scheduler scheduler(*m_store, m_clock);
    QSignalSpy fired(&scheduler, &Scheduler::fired);
    scheduler.setActive(true);
    const qint64 first = at("2026-10-25T02:30:00+02:00");
    QCOMPARE(scheduler.nextWakeMs().value_or(0), first);
    m_clock.now = first + 500;
    scheduler.fireDue();
    QCOMPARE(fired.size(), 1);
    QCOMPARE(scheduler.nextWakeMs().value_or(0), at("2026-10-26T02:30:00+01:00"));
    // The repeat of 02:30 an hour later is no slot.
    m_clock.now = at("2026-10-25T02:30:30+01:00");
    scheduler.fireDue();
    QCOMPARE(fired.size(), 1);
    QCOMPARE(queued().size(), 4);
}

void TestScheduler::clockJumpIsNoticedWithoutTheDatabase()
{
    addSchedule(nightly());
    m_clock.now = at("2026-06-10T01:59:59+02:00");
    Scheduler scheduler(*m_store, m_clock);
    QSignalSpy fired(&scheduler, &Scheduler::fired);
    scheduler.setActive(true);
    // An unchanged clock and unchanged schedules: check() fires nothing.
    scheduler.check(false);
    QCOMPARE(fired.size(), 0);
    // The wall clock jumps 3 s ahead of the monotonic one (a sync, a wake from sleep): the
    // timer's wait is stale; check(), with no schedule change, notices and fires the slot.
    m_clock.now += 3000;
    scheduler.check(false);
    QCOMPARE(fired.size(), 1);
    QCOMPARE(queued().size(), 4);
}

void TestScheduler::changeInAnotherInstanceRearms()
{
    Scheduler scheduler(*m_store, m_clock);
    scheduler.setActive(true);
    QVERIFY(!scheduler.nextWakeMs());
    // Added through another connection (another instance): the next check re-arms.
    const std::unique_ptr<JobStore> otherStore = openStore();
    ScheduleStore other(*otherStore);
    Schedule s = nightly();
    FieldError invalid;
    QVERIFY(validateSchedule(&s, Types, &invalid));
    StoreError error;
    const std::optional<Schedule> added = other.add(s, m_clock.now, &error);
    QVERIFY2(added, qPrintable(error.message));
    scheduler.check();
    QCOMPARE(scheduler.nextWakeMs().value_or(0), at("2026-06-10T02:00:00+02:00"));
    // Changed there to 03:15: re-armed here.
    Schedule changed = *added;
    changed.cron = "15 3 * * *";
    QVERIFY(other.update(changed, m_clock.now, &error));
    scheduler.check();
    QCOMPARE(scheduler.nextWakeMs().value_or(0), at("2026-06-10T03:15:00+02:00"));
    // Removed there: nothing armed here.
    QVERIFY(other.remove(added->id, &error));
    scheduler.check();
    QVERIFY(!scheduler.nextWakeMs());
    // Inactive (another instance took the runner lock): never armed.
    QVERIFY(other.add(s, m_clock.now, &error));
    scheduler.setActive(false);
    scheduler.check();
    QVERIFY(!scheduler.nextWakeMs());
}

void TestScheduler::sinceLastSuccessPerDealerAndType()
{
    StoreError error;
    // A1's sales were fetched up to the end of 8 June; nothing else was.
    NewJob done{"A1",  "sales", at("2026-06-01T00:00:00+02:00"), at("2026-06-08T23:59:59+02:00"), 0,
                false, "test"};
    QVERIFY(m_store->addJob(done, &error));
    // An older completed one, and a failed later one, do not count.
    NewJob failed{
        "A1",  "sales", at("2026-06-09T00:00:00+02:00"), at("2026-06-09T10:00:00+02:00"), 0,
        false, "test"};
    QVERIFY(m_store->addJob(failed, &error));
    const Job first = *m_store->claimNext("r", &error);
    QVERIFY(m_store->completeJob(first, {}, {}, nullptr, &error));
    const Job second = *m_store->claimNext("r", &error);
    QVERIFY(m_store->failJob(second, JobError{"down", ErrorCategory::Http}, {}, &error));

    Schedule s = nightly();
    s.window = "since_last_success";
    s.fallbackDays = 2;
    const qint64 id = addSchedule(s);
    const qint64 fire = at("2026-06-10T02:00:00+02:00");
    m_clock.now = fire + 100;
    QVERIFY(m_schedules->fireSlot(id, fire, m_clock.now, &error));
    const QVector<Job> jobs = queued();
    QCOMPARE(jobs.size(), 4);
    // A1 sales: from the second after what it has, to the second before the fire.
    QCOMPARE(jobs[0].dealerId + jobs[0].fetchType, QStringLiteral("A1sales"));
    QCOMPARE(jobs[0].fromMs, at("2026-06-09T00:00:00+02:00"));
    QCOMPARE(jobs[0].toMs, at("2026-06-10T01:59:59+02:00"));
    // A1 service, B2 both: nothing completed, so the 2 whole days before the fire day.
    for (int i = 1; i < 4; ++i) {
        QCOMPARE(jobs[i].fromMs, at("2026-06-08T00:00:00+02:00"));
        QCOMPARE(jobs[i].toMs, at("2026-06-09T23:59:59+02:00"));
    }
}

void TestScheduler::runNowIsNotASlot()
{
    const qint64 id = addSchedule(nightly());
    m_clock.now = at("2026-06-09T15:00:00+02:00");
    StoreError error;
    const std::optional<FireOutcome> run = m_schedules->runNow(id, m_clock.now, &error);
    QVERIFY2(run, qPrintable(error.message));
    QCOMPARE(run->jobs.jobIds.size(), 4);
    QCOMPARE(queued()[0].fromMs, at("2026-06-08T00:00:00+02:00"));
    const Schedule after = *m_schedules->schedule(id, &error);
    QVERIFY(!after.lastSlotMs);
    QCOMPARE(after.lastFiredMs.value_or(0), m_clock.now);
    // Again: every job is already queued, so each is skipped and named.
    const std::optional<FireOutcome> again = m_schedules->runNow(id, m_clock.now, &error);
    QVERIFY(again);
    QVERIFY(again->jobs.jobIds.isEmpty());
    QCOMPARE(again->jobs.skipped.size(), 4);
    QCOMPARE(again->jobs.skipped[0].existingJobId, run->jobs.jobIds[0]);
    QVERIFY2(again->jobs.skipped[0].reason.contains("sales already queued as job"),
             qPrintable(again->jobs.skipped[0].reason));
    // The night's slot still fires (its window differs from the run's: the same day here).
    Scheduler scheduler(*m_store, m_clock);
    scheduler.setActive(true);
    QCOMPARE(scheduler.nextWakeMs().value_or(0), at("2026-06-10T02:00:00+02:00"));
}

void TestScheduler::removingKeepsTheJobs()
{
    const qint64 id = addSchedule(nightly());
    StoreError error;
    QVERIFY(m_schedules->runNow(id, m_clock.now, &error));
    QVERIFY(m_schedules->fireSlot(id, at("2026-06-10T02:00:00+02:00"), m_clock.now, &error));
    QCOMPARE(queued().size(), 8);
    QVERIFY(m_schedules->remove(id, &error));
    QCOMPARE(queued().size(), 8);
    QVERIFY(!m_schedules->schedule(id, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    QVERIFY(!m_schedules->remove(id, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT COUNT(*) FROM schedule_fires"));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toInt(), 0);
}

void TestScheduler::operationsCheckStampAndList()
{
    QueueOperations ops(*m_store, QStringLiteral("window:ana@desk"));
    Schedule bad = nightly();
    bad.timezone = "Europe/Atlantis";
    const QueueResult<Schedule> refused = ops.addSchedule(bad, Types);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error.kind, StoreError::Kind::Invalid);
    QCOMPARE(refused.error.field, QStringLiteral("timezone"));
    QVERIFY(ops.schedules().value->isEmpty());

    Schedule s = nightly();
    s.createdBy = "someone else"; // the actor decides, not the caller's field
    const QueueResult<Schedule> added = ops.addSchedule(s, Types);
    QVERIFY2(added.ok(), qPrintable(added.error.message));
    QCOMPARE(added.value->createdBy, QStringLiteral("window:ana@desk"));
    // Its next slots, in its zone; listed while disabled too, where next_fire_at is null. (The
    // operations stamp the real time: "now" here is well after it.)
    const qint64 now = at("2040-06-09T12:00:00+02:00");
    QCOMPARE(upcomingSlots(*added.value, now, 2),
             (QList<qint64>{at("2040-06-10T02:00:00+02:00"), at("2040-06-11T02:00:00+02:00")}));
    Schedule off = *added.value;
    off.enabled = false;
    const QueueResult<Schedule> disabled = ops.updateSchedule(off, Types);
    QVERIFY(disabled.ok());
    const QJsonObject json = scheduleToJson(*disabled.value, now, true);
    QVERIFY(json.value("next_fire_at").isNull());
    QCOMPARE(json.value("next_fire_times").toArray().size(), 5);
    QCOMPARE(json.value("next_fire_times").toArray().first().toString(),
             formatTimestamp(at("2040-06-10T02:00:00+02:00")));
    QCOMPARE(json.value("created_by").toString(), QStringLiteral("window:ana@desk"));
    QCOMPARE(json.value("catch_up").toString(), QStringLiteral("once"));

    const QueueResult<BulkOutcome> ran = ops.runSchedule(added.value->id);
    QVERIFY(ran.ok());
    QCOMPARE(ran.value->jobIds.size(), 4);
    QVERIFY(ops.removeSchedule(added.value->id).ok());
    QCOMPARE(ops.removeSchedule(added.value->id).error.kind, StoreError::Kind::NotFound);
}

QTEST_GUILESS_MAIN(TestScheduler)
#include "tst_scheduler.moc"
