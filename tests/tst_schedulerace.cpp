// Slow proof (label `slow`, scripts/prove-schedules.sh; not part of CI): three dealerq instances
// share one database and an every-minute schedule for about four minutes, in real time; the one
// that runs jobs is SIGKILLed mid-run. Every slot from the first fire on must be queued exactly
// once: no slot missed, none doubled. Runs on SQLite and, as tst_schedulerace_pg, PostgreSQL.
#include "schedule/schedule.h"
#include "simprocess.h"
#include "store/jobstore.h"
#include "store/schedulestore.h"
#include "testsupport.h"

#include <QProcess>
#include <QSqlQuery>
#include <QTest>

#include <csignal>

class TestScheduleRace final : public QObject
{
    Q_OBJECT

private slots:
    void everySlotOnceWhileInstancesDie();

private:
    std::unique_ptr<QProcess> startDealerq(const TestDatabase &db, const QStringList &args);
};

std::unique_ptr<QProcess> TestScheduleRace::startDealerq(const TestDatabase &db,
                                                         const QStringList &args)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(isolatedEnvironment(db.dir()));
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process->start(DEALERQ_PATH, QStringList{"--db", db.urlString()} + args);
    process->waitForStarted();
    return process;
}

void TestScheduleRace::everySlotOnceWhileInstancesDie()
{
    TestDatabase db;
    QVERIFY2(db.isValid(), qPrintable(db.errorString()));
    SimProcess sim({"--records", "40", "--page-size", "10", "--latency-ms", "150"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    JobStore store(db.url());
    StoreError error;
    QVERIFY(store.open(&error));
    ScheduleStore schedules(store);
    Schedule s;
    s.name = QStringLiteral("race");
    s.cron = QStringLiteral("* * * * *");
    s.timezone = QStringLiteral("Europe/Berlin");
    for (int i = 0; i < 6; ++i)
        s.dealerIds << QStringLiteral("R%1").arg(i);
    s.fetchTypes = {"prospect"};
    s.window = QStringLiteral("last_hours:1");
    FieldError invalid;
    QVERIFY2(validateSchedule(&s, {"prospect"}, &invalid), qPrintable(invalid.message));
    const qint64 id = schedules.add(s, QDateTime::currentMSecsSinceEpoch(), &error)->id;

    std::vector<std::unique_ptr<QProcess>> processes;
    for (int i = 0; i < 3; ++i)
        processes.push_back(
            startDealerq(db, {"--headless", "--no-api", "--source", sim.baseUrl().toString()}));
    const auto fireCount = [&] {
        QSqlQuery q(store.database().db());
        q.prepare("SELECT COUNT(*) FROM schedule_fires");
        return q.exec() && q.next() ? q.value(0).toInt() : -1;
    };
    // The first slot fires within a minute; kill whoever runs its jobs while one runs.
    QTRY_VERIFY_WITH_TIMEOUT(fireCount() >= 1, 70000);
    std::optional<Job> running;
    QTRY_VERIFY_WITH_TIMEOUT((running = store.queueStatus(0, &error)->current).has_value(), 30000);
    const QString holder = store.queueStatus(0, &error)->runnerHolder;
    const qint64 pid = holder.section(QLatin1Char(' '), -1).toLongLong();
    auto killed = std::find_if(processes.begin(), processes.end(),
                               [&](const auto &p) { return p->processId() == pid; });
    QVERIFY2(killed != processes.end(), qPrintable(holder));
    ::kill(pid_t(pid), SIGKILL);
    qInfo("killed %s while job %lld ran", qPrintable(holder), running->id);
    // Three more slots with the two that are left.
    QTRY_VERIFY_WITH_TIMEOUT(fireCount() >= 4, 200000);
    // Let the last fire's jobs run, then stop the survivors.
    QTRY_VERIFY_WITH_TIMEOUT(!*store.hasPendingJobs(&error), 60000);
    for (auto &process : processes) {
        if (process != *killed)
            process->terminate();
        QVERIFY(process->state() == QProcess::NotRunning || process->waitForFinished(30000));
    }

    QSqlQuery q(store.database().db());
    q.prepare("SELECT slot_ms, added, skipped FROM schedule_fires WHERE schedule_id = ? "
              "ORDER BY slot_ms");
    q.bindValue(0, id);
    QVERIFY(q.exec());
    QVector<qint64> slots_;
    while (q.next()) {
        slots_ << q.value(0).toLongLong();
        QCOMPARE(q.value(1).toInt(), 6);
        QCOMPARE(q.value(2).toInt(), 0);
    }
    QVERIFY(slots_.size() >= 4);
    for (int i = 1; i < slots_.size(); ++i)
        QVERIFY2(slots_[i] - slots_[i - 1] == 60000,
                 qPrintable(QStringLiteral("slot %1 follows %2: one was missed")
                                .arg(slots_[i])
                                .arg(slots_[i - 1])));
    // Each slot's six jobs exist exactly once (their window is the hour before the slot), and
    // every one completed, the killed one after its retry.
    QVector<Job> jobs;
    store.forEachJob(
        [&](const Job &job) {
            jobs.push_back(job);
            return true;
        },
        &error);
    QCOMPARE(jobs.size(), slots_.size() * 6);
    for (qint64 slot : std::as_const(slots_)) {
        const auto n = std::count_if(jobs.begin(), jobs.end(), [&](const Job &job) {
            return job.fromMs == slot - 3600000 && job.toMs == slot - 1000;
        });
        QCOMPARE(int(n), 6);
    }
    for (const Job &job : std::as_const(jobs)) {
        QCOMPARE(job.status, JobStatus::Completed);
        QCOMPARE(job.createdBy, QStringLiteral("schedule:race"));
    }
}

QTEST_GUILESS_MAIN(TestScheduleRace)
#include "tst_schedulerace.moc"
