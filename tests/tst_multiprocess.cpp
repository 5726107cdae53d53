#include "queue/jobqueue.h"
#include "simprocess.h"
#include "schedule/schedule.h"
#include "store/jobstore.h"
#include "store/schedulestore.h"
#include "testsupport.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

#include <csignal>

/// Several dealerq processes on one database (SPEC §1: exactly one job runs at a time across
/// every process that shares it).
class TestMultiProcess final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void instancesStartingTogetherMigrateOnce();
    void threeProcessesDrainOneAtATime();
    void killedRunnerIsTakenOver();
    void jobAddedElsewhereShowsWithinASecond();
    void catchUpAfterEveryInstanceWasStopped();

private:
    std::unique_ptr<QProcess> startDealerq(const QStringList &args);
    void checkNoOverlap(const QVector<Job> &jobs);
    QVector<Job> allJobs();

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
};

void TestMultiProcess::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
}

void TestMultiProcess::cleanup()
{
    m_store.reset();
    m_db.reset();
}

std::unique_ptr<QProcess> TestMultiProcess::startDealerq(const QStringList &args)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(isolatedEnvironment(m_db->dir()));
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process->start(DEALERQ_PATH, QStringList{"--db", m_db->urlString()} + args);
    process->waitForStarted();
    return process;
}

QVector<Job> TestMultiProcess::allJobs()
{
    QVector<Job> jobs;
    StoreError error;
    m_store->forEachJob(
        [&](const Job &job) {
            jobs.push_back(job);
            return true;
        },
        &error);
    return jobs;
}

void TestMultiProcess::checkNoOverlap(const QVector<Job> &jobs)
{
    QVector<Job> sorted = jobs;
    std::sort(sorted.begin(), sorted.end(), [](const Job &a, const Job &b) {
        return std::tie(a.startedMs, a.id) < std::tie(b.startedMs, b.id);
    });
    for (int i = 1; i < sorted.size(); ++i)
        QVERIFY2(
            sorted[i - 1].finishedMs <= sorted[i].startedMs,
            qPrintable(
                QStringLiteral("jobs %1 and %2 overlap").arg(sorted[i - 1].id).arg(sorted[i].id)));
}

void TestMultiProcess::instancesStartingTogetherMigrateOnce()
{
    std::vector<std::unique_ptr<QProcess>> processes;
    for (int i = 0; i < 4; ++i)
        processes.push_back(startDealerq({"--enqueue", QStringLiteral("P%1").arg(i)}));
    for (auto &process : processes) {
        QVERIFY(process->waitForFinished(30000));
        QCOMPARE(process->exitCode(), 0);
    }
    StoreError error;
    QVERIFY(m_store->open(&error));
    QCOMPARE(m_store->schemaVersion(), JobStore::SchemaVersion);
    QCOMPARE(m_store->queuedJobs(-1, &error)->size(), 4);
}

void TestMultiProcess::threeProcessesDrainOneAtATime()
{
    SimProcess sim({"--records", "30", "--page-size", "10", "--latency-ms", "2"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    StoreError error;
    QVERIFY(m_store->open(&error));
    QStringList ids;
    for (int i = 0; i < 200; ++i)
        ids << QStringLiteral("M%1").arg(i, 3, 10, QLatin1Char('0'));
    NewJob common;
    common.fetchType = "prospect";
    common.fromMs = 1749686400000;
    common.toMs = 1749772799000;
    QVERIFY(m_store->addJobs(ids, common, &error));

    std::vector<std::unique_ptr<QProcess>> processes;
    for (int i = 0; i < 3; ++i)
        processes.push_back(startDealerq(
            {"--headless", "--drain", "--no-api", "--source", sim.baseUrl().toString()}));
    for (auto &process : processes) {
        QVERIFY(process->waitForFinished(180000));
        QCOMPARE(process->exitStatus(), QProcess::NormalExit);
        QCOMPARE(process->exitCode(), 0);
    }
    const QVector<Job> jobs = allJobs();
    QCOMPARE(jobs.size(), 200);
    for (const Job &job : jobs) {
        QCOMPARE(job.status, JobStatus::Completed);
        QCOMPARE(job.attempts, 1); // each ran once
    }
    checkNoOverlap(jobs);
    QCOMPARE(*m_store->recordCount(&error), 200 * 30);
}

void TestMultiProcess::killedRunnerIsTakenOver()
{
    SimProcess sim({"--records", "50", "--page-size", "10", "--latency-ms", "60"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    StoreError error;
    QVERIFY(m_store->open(&error));
    QStringList ids;
    for (int i = 0; i < 12; ++i)
        ids << QStringLiteral("K%1").arg(i);
    NewJob common;
    common.fetchType = "prospect";
    common.fromMs = 1749686400000;
    common.toMs = 1749772799000;
    QVERIFY(m_store->addJobs(ids, common, &error));

    std::vector<std::unique_ptr<QProcess>> processes;
    for (int i = 0; i < 3; ++i)
        processes.push_back(startDealerq(
            {"--headless", "--drain", "--no-api", "--source", sim.baseUrl().toString()}));
    // Wait until the second job runs for a while, then kill whoever runs it.
    std::optional<Job> victim;
    QTRY_VERIFY_WITH_TIMEOUT((victim = m_store->queueStatus(0, &error)->current,
                              victim && victim->id >= 2 &&
                                  QDateTime::currentMSecsSinceEpoch() - victim->startedMs > 100),
                             30000);
    const QString holder = m_store->queueStatus(0, &error)->runnerHolder;
    const qint64 pid = holder.section(QLatin1Char(' '), -1).toLongLong();
    auto killed = std::find_if(processes.begin(), processes.end(),
                               [&](const auto &p) { return p->processId() == pid; });
    QVERIFY2(killed != processes.end(), qPrintable(holder));
    ::kill(pid_t(pid), SIGKILL);
    for (auto &process : processes) {
        QVERIFY(process->waitForFinished(120000));
        if (process != *killed)
            QCOMPARE(process->exitCode(), 0);
    }
    const QVector<Job> jobs = allJobs();
    QCOMPARE(jobs.size(), 12);
    for (const Job &job : jobs)
        QCOMPARE(job.status, JobStatus::Completed);
    const Job recovered = *m_store->job(victim->id, &error);
    QCOMPARE(recovered.attempts, 2);
    const QVector<LogLine> log = *m_store->jobLogs(victim->id, &error);
    QVERIFY(std::any_of(log.begin(), log.end(),
                        [](const LogLine &line) { return line.message.contains("cut off"); }));
    checkNoOverlap(jobs);
    QCOMPARE(*m_store->recordCount(&error), 12 * 50);
}

void TestMultiProcess::jobAddedElsewhereShowsWithinASecond()
{
    if (!m_db->isPostgres())
        QSKIP("SQLite has no notifications: windows re-read every few seconds instead");
    JobQueue::Config config;
    config.runner.database = m_db->url();
    config.runJobs = false;
    JobQueue queue(config);
    queue.start();
    QSignalSpy changed(&queue, &JobQueue::changed);
    QTest::qWait(500); // the listening connection is open
    changed.clear();
    auto process = startDealerq({"--enqueue", "ELSEWHERE"});
    QVERIFY(process->waitForFinished(30000));
    QCOMPARE(process->exitCode(), 0);
    QElapsedTimer clock;
    clock.start();
    QVERIFY2(changed.size() > 0 || changed.wait(1000), "no change notice within a second");
    qInfo("change seen %lld ms after the other process finished", clock.elapsed());
    bool seen = false;
    queue.readStatus(this, 10, [&](QueueResult<QueueStatus> read) {
        const std::optional<QueueStatus> &status = read.value;
        seen = status && status->queueLength == 1 &&
               status->queued.first().dealerId == QLatin1String("ELSEWHERE");
    });
    QTRY_VERIFY(seen);
}

void TestMultiProcess::catchUpAfterEveryInstanceWasStopped()
{
    StoreError error;
    QVERIFY(m_store->open(&error));
    ScheduleStore schedules(*m_store);
    // Two daily schedules whose minute fell two hours ago, and no instance ran for three days:
    // today's, yesterday's and the day before's slots were missed.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime slotUtc = now.addSecs(-2 * 3600);
    const QTime wall = slotUtc.time();
    const qint64 missedSince = now.addDays(-3).toMSecsSinceEpoch();
    QMap<QString, qint64> ids;
    for (const QString &catchUp : {QStringLiteral("once"), QStringLiteral("skip")}) {
        Schedule s;
        s.name = catchUp;
        s.cron = QStringLiteral("%1 %2 * * *").arg(wall.minute()).arg(wall.hour());
        s.timezone = QStringLiteral("UTC");
        s.dealerIds = {"C1", "C2"};
        s.fetchTypes = {"prospect"};
        s.window = QStringLiteral("previous_day");
        s.catchUp = *catchUpFromString(catchUp);
        FieldError invalid;
        QVERIFY2(validateSchedule(&s, {"prospect"}, &invalid), qPrintable(invalid.message));
        const std::optional<Schedule> added = schedules.add(s, missedSince, &error);
        QVERIFY2(added, qPrintable(error.message));
        ids.insert(catchUp, added->id);
    }
    const qint64 latestMissed =
        QDateTime(slotUtc.date(), QTime(wall.hour(), wall.minute()), Qt::UTC).toMSecsSinceEpoch();

    // An instance starts (paused: the jobs wait; a paused queue still fires), and another one.
    QVERIFY(m_store->setPaused(true, &error));
    auto first = startDealerq({"--headless", "--no-api"});
    QTRY_VERIFY_WITH_TIMEOUT(schedules.schedule(ids["skip"], &error)->lastSlotMs.has_value(),
                             20000);
    QTRY_VERIFY_WITH_TIMEOUT(schedules.schedule(ids["once"], &error)->lastSlotMs.has_value(),
                             20000);
    auto second = startDealerq({"--headless", "--no-api"});
    QTRY_VERIFY_WITH_TIMEOUT(
        m_store->queueStatus(0, &error)->runnerHolder.contains(QString::number(first->processId())),
        20000);
    // Both stop; the second one took over meanwhile and must not fire again either.
    first->terminate();
    QVERIFY(first->waitForFinished(30000));
    QTRY_VERIFY_WITH_TIMEOUT(m_store->queueStatus(0, &error)->runnerHolder.contains(
                                 QString::number(second->processId())),
                             20000);
    second->terminate();
    QVERIFY(second->waitForFinished(30000));
    // The last one out leaves no holder behind.
    QCOMPARE(m_store->queueStatus(0, &error)->runnerHolder, QString());

    QSqlQuery q(m_store->database().db());
    q.prepare("SELECT schedule_id, slot_ms, added FROM schedule_fires ORDER BY slot_ms");
    QVERIFY(q.exec());
    QVector<std::tuple<qint64, qint64, int>> fires;
    while (q.next())
        fires.push_back({q.value(0).toLongLong(), q.value(1).toLongLong(), q.value(2).toInt()});
    // `once`: exactly the latest missed slot, once, with its two jobs; `skip`: none.
    QCOMPARE(fires.size(), 1);
    QCOMPARE(std::get<0>(fires[0]), ids["once"]);
    QCOMPARE(std::get<1>(fires[0]), latestMissed);
    QCOMPARE(std::get<2>(fires[0]), 2);
    QCOMPARE(schedules.schedule(ids["skip"], &error)->lastSlotMs.value_or(0), latestMissed);
    const QVector<Job> jobs = allJobs();
    QCOMPARE(jobs.size(), 2);
    for (const Job &job : jobs) {
        QCOMPARE(job.createdBy, QStringLiteral("schedule:once"));
        // The window of the missed slot's day, not of the day it fired.
        QCOMPARE(job.toMs,
                 QDateTime(slotUtc.date(), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch() - 1000);
    }
}

QTEST_GUILESS_MAIN(TestMultiProcess)
#include "tst_multiprocess.moc"
