#include "job/fetchedrecord.h"
#include "queue/queuerunner.h"
#include "queue/retention.h"
#include "store/jobstore.h"
#include "store/runnerlock.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

namespace {

constexpr qint64 Day = 24 * 3600 * 1000;

class ManualClock final : public SchedulerClock
{
public:
    qint64 now = 0;
    qint64 nowMs() const override { return now; }
};

} // namespace

/// `[retention] keep_finished_days` (SPEC §7), on SQLite and (as tst_retention_pg) PostgreSQL:
/// old finished jobs go in batches that leave the event loop between them, queued, running and
/// recent ones stay, fetched records stay, and only the instance holding the runner lock does it.
class TestRetention final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void removesOldFinishedJobsInBatches();
    void movingTheClockRemovesMore();
    void offOrInactiveRemovesNothing();
    void aPassToldToStopIsFollowedByANewOne();
    void onlyTheRunnerLockHolderApplies();

private:
    /// Queues a job for `dealer` and ends it as `status`, finished `ageDays` before `nowMs`.
    qint64 finished(const QString &dealer, JobStatus status, qint64 nowMs, qint64 ageDays);
    qint64 queued(const QString &dealer, int priority = 0);
    /// The IDs of every job, in ID order.
    QVector<qint64> jobIds();

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
    ManualClock m_clock;
};

void TestRetention::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    m_clock.now = QDateTime::currentMSecsSinceEpoch();
}

void TestRetention::cleanup()
{
    m_store.reset();
    m_db.reset();
}

qint64 TestRetention::queued(const QString &dealer, int priority)
{
    NewJob job;
    job.dealerId = dealer;
    job.fetchType = QStringLiteral("prospect");
    job.fromMs = 1749686400000;
    job.toMs = 1749772799000;
    job.priority = priority;
    StoreError error;
    const std::optional<AddOutcome> added = m_store->addJob(job, &error);
    if (!added)
        qFatal("cannot queue: %s", qPrintable(error.message));
    return added->job.id;
}

qint64 TestRetention::finished(const QString &dealer, JobStatus status, qint64 nowMs,
                               qint64 ageDays)
{
    const qint64 id = queued(dealer, 1000000);
    StoreError error;
    if (status == JobStatus::Cancelled) {
        m_store->cancelJob(id, &error);
    } else {
        const Job job = *m_store->claimNext(QStringLiteral("runner-1"), &error);
        if (status == JobStatus::Completed) {
            const QString recordId = dealer + QStringLiteral("-1");
            m_store->completeJob(job,
                                 {{recordId, QStringLiteral("2025-06-12T09:31:00Z"),
                                   QStringLiteral(R"({"id":"%1"})").arg(recordId).toUtf8()}},
                                 {{1, "done"}}, nullptr, &error);
        } else {
            m_store->failJob(job, {QStringLiteral("HTTP 500"), ErrorCategory::Http},
                             {{1, "failed"}}, &error);
        }
    }
    QSqlQuery q(m_store->database().db());
    q.prepare("UPDATE jobs SET finished_ms = ? WHERE id = ?");
    q.addBindValue(nowMs - ageDays * Day);
    q.addBindValue(id);
    if (!q.exec())
        qFatal("cannot age job %lld", id);
    return id;
}

QVector<qint64> TestRetention::jobIds()
{
    QVector<qint64> ids;
    QSqlQuery q(m_store->database().db());
    if (!q.exec("SELECT id FROM jobs ORDER BY id"))
        return {-1};
    while (q.next())
        ids << q.value(0).toLongLong();
    return ids;
}

void TestRetention::removesOldFinishedJobsInBatches()
{
    const qint64 now = m_clock.now;
    QVector<qint64> old;
    for (int i = 0; i < 7; ++i)
        old << finished(QStringLiteral("OLD%1").arg(i),
                        i % 3 == 0 ? JobStatus::Completed
                                   : (i % 3 == 1 ? JobStatus::Failed : JobStatus::Cancelled),
                        now, 31 + i);
    const qint64 recent = finished("RECENT", JobStatus::Completed, now, 29);
    const qint64 recentFailed = finished("RECENT2", JobStatus::Failed, now, 1);
    const qint64 waiting = queued("WAITING");
    const qint64 running = queued("RUNNING", 10);
    StoreError error;
    QCOMPARE(m_store->claimNext(QStringLiteral("runner-1"), &error)->id, running);
    const qint64 records = *m_store->recordCount(&error);
    QCOMPARE(records, 4); // OLD0, OLD3, OLD6, RECENT

    Retention retention(m_db->url(), m_clock, QStringLiteral("retention:test@host"));
    retention.setKeepDays(30);
    retention.setBatchSize(3);
    QSignalSpy passes(&retention, &Retention::passFinished);
    QSignalSpy batches(&retention, &Retention::batchRemoved);
    // The passes run on a thread and a connection of their own: this thread's connection (the
    // runner's) stays free to write while one is under way, and what it queues stays.
    qint64 queuedMeanwhile = 0;
    connect(&retention, &Retention::batchRemoved, this, [&] {
        if (batches.size() == 1)
            queuedMeanwhile = queued("MEANWHILE");
    });
    retention.setActive(true);
    QVERIFY(retention.isRunning());
    QVERIFY(passes.wait(10000));
    QCOMPARE(passes.first().first().toLongLong(), 7);
    QCOMPARE(batches.size(), 3);
    QVector<qint64> removed;
    for (const QList<QVariant> &batch : std::as_const(batches)) {
        const QVector<qint64> ids = batch.first().value<QVector<qint64>>();
        QVERIFY(ids.size() <= 3);
        removed += ids;
    }
    std::sort(removed.begin(), removed.end());
    QCOMPARE(removed, old);
    QVERIFY(queuedMeanwhile > 0);

    QCOMPARE(jobIds(), (QVector<qint64>{recent, recentFailed, waiting, running, queuedMeanwhile}));
    QCOMPARE(m_store->job(running, &error)->status, JobStatus::Running);
    QCOMPARE(m_store->job(waiting, &error)->status, JobStatus::Queued);
    QCOMPARE(*m_store->recordCount(&error), records); // fetched records stay
    QSqlQuery logs(m_store->database().db());
    QVERIFY(
        logs.exec(QStringLiteral("SELECT COUNT(*) FROM job_logs WHERE job_id < %1").arg(recent)));
    QVERIFY(logs.next());
    QCOMPARE(logs.value(0).toLongLong(), 0); // their logs went with them
}

void TestRetention::movingTheClockRemovesMore()
{
    const qint64 now = m_clock.now;
    const qint64 a = finished("A", JobStatus::Completed, now, 10);
    const qint64 b = finished("B", JobStatus::Failed, now, 20);
    const qint64 c = finished("C", JobStatus::Completed, now, 0);
    Retention retention(m_db->url(), m_clock, QStringLiteral("retention:test@host"));
    retention.setKeepDays(30);
    QSignalSpy passes(&retention, &Retention::passFinished);
    retention.setActive(true);
    QVERIFY(passes.wait(10000));
    QCOMPARE(passes.takeFirst().first().toLongLong(), 0);
    QCOMPARE(jobIds(), (QVector<qint64>{a, b, c}));

    // Fifteen days later (the hourly pass, run now): b is 35 days old.
    m_clock.now += 15 * Day;
    retention.runNow();
    QVERIFY(passes.wait(10000));
    QCOMPARE(passes.takeFirst().first().toLongLong(), 1);
    QCOMPARE(jobIds(), (QVector<qint64>{a, c}));
    m_clock.now += 30 * Day;
    retention.runNow();
    QVERIFY(passes.wait(10000));
    QCOMPARE(passes.takeFirst().first().toLongLong(), 2);
    QVERIFY(jobIds().isEmpty());
}

void TestRetention::offOrInactiveRemovesNothing()
{
    const qint64 old = finished("A", JobStatus::Completed, m_clock.now, 400);
    Retention retention(m_db->url(), m_clock, QStringLiteral("retention:test@host"));
    QSignalSpy passes(&retention, &Retention::passFinished);
    // Off (0 days, the default): active, yet no pass starts.
    retention.setActive(true);
    QVERIFY(!retention.isRunning());
    retention.runNow();
    QVERIFY(!retention.isRunning());
    // On but inactive (another instance holds the runner lock): none either.
    retention.setActive(false);
    retention.setKeepDays(30);
    retention.runNow();
    QVERIFY(!retention.isRunning());
    QCoreApplication::sendPostedEvents();
    QCOMPARE(passes.size(), 0);
    QCOMPARE(jobIds(), QVector<qint64>{old});
    // Turned on while active: a pass at once.
    retention.setKeepDays(0);
    retention.setActive(true);
    retention.setKeepDays(30);
    QVERIFY(retention.isRunning());
    QVERIFY(passes.wait(10000));
    QVERIFY(jobIds().isEmpty());
}

void TestRetention::aPassToldToStopIsFollowedByANewOne()
{
    const qint64 keep = finished("KEEP", JobStatus::Completed, m_clock.now, 3);
    for (int i = 0; i < 7; ++i)
        finished(QStringLiteral("OLD%1").arg(i), JobStatus::Failed, m_clock.now, 40 + i);
    Retention retention(m_db->url(), m_clock, QStringLiteral("retention:test@host"));
    retention.setKeepDays(30);
    retention.setBatchSize(2);
    QSignalSpy passes(&retention, &Retention::passFinished);
    QSignalSpy batches(&retention, &Retention::batchRemoved);
    QSignalSpy failures(&retention, &Retention::failed);
    // The runner loses the database and gets it back while a pass is under way: the pass stops
    // after its batch, and the activation's pass follows it instead of being dropped.
    retention.setActive(true);
    retention.setActive(false);
    retention.setActive(true);
    QVERIFY(retention.isRunning());
    QTRY_COMPARE_WITH_TIMEOUT(jobIds(), QVector<qint64>{keep}, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!retention.isRunning(), 10000);
    // A stopped pass reports its batches but no end; the last pass ends as any other.
    QVERIFY(!passes.isEmpty());
    qint64 removed = 0;
    for (const QList<QVariant> &batch : std::as_const(batches))
        removed += batch.first().value<QVector<qint64>>().size();
    QCOMPARE(removed, 7);
    QCOMPARE(failures.size(), 0);
}

void TestRetention::onlyTheRunnerLockHolderApplies()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 old = finished("OLD", JobStatus::Failed, now, 40);
    const qint64 recent = finished("RECENT", JobStatus::Completed, now, 2);

    // Another instance holds the runner lock: this runner stands by and removes nothing.
    JobStore holderStore(m_db->url());
    StoreError error;
    QVERIFY(holderStore.open(&error));
    std::unique_ptr<RunnerLock> held = RunnerLock::create(holderStore.database());
    QString why;
    QVERIFY2(held->tryAcquire(&why), qPrintable(why));

    RunnerConfig config;
    config.database = m_db->url();
    config.sourceUrl = QUrl(QStringLiteral("http://127.0.0.1:9")); // nothing is queued
    config.pollIntervalMs = 50;
    config.keepFinishedDays = 30;
    config.instance = QStringLiteral("retention test");
    QObject news;
    RunnerThread thread(config, &news);
    QList<RunnerState> states;
    int trims = 0;
    qint64 trimmed = -1;
    connect(thread.runner(), &QueueRunner::stateChanged, this,
            [&states](RunnerState state) { states << state; });
    connect(thread.runner(), &QueueRunner::historyTrimmed, this, [&](qint64 removed) {
        ++trims;
        trimmed = removed;
    });
    thread.start();
    QTRY_VERIFY_WITH_TIMEOUT(states.contains(RunnerState::Standby), 10000);
    QCOMPARE(trims, 0);
    QCOMPARE(jobIds(), (QVector<qint64>{old, recent}));

    // The holder goes: this runner takes the lock and applies retention at once.
    held->release();
    thread.wake();
    QTRY_COMPARE_WITH_TIMEOUT(trims, 1, 10000);
    QCOMPARE(trimmed, 1);
    QCOMPARE(jobIds(), QVector<qint64>{recent});
    thread.stop();
}

QTEST_GUILESS_MAIN(TestRetention)
#include "tst_retention.moc"
