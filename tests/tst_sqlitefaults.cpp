#include "queue/jobqueue.h"
#include "simprocess.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QProcess>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

#include <sys/mount.h>

/// SQLite faults: a database locked by another process, opened read-only, or on a full
/// filesystem. Each ends as SPEC §1 says, and the next job succeeds.
class TestSqliteFaults final : public QObject
{
    Q_OBJECT

private slots:
    void newFileLockedWhileSwitchingToWalWaits();
    void lockShorterThanBusyTimeoutWaits();
    void lockLongerThanBusyTimeoutRequeues();
    void readOnlyDatabase();
    void fullFilesystem();

private:
    bool lockFor(const QString &path, int ms, QProcess *locker,
                 const QString &mode = QStringLiteral("exclusive"));
    JobQueue::Config config(const DatabaseUrl &url, const SimProcess &sim) const;
    static Job waitFinished(JobStore &store, qint64 id, int timeoutMs);
};

bool TestSqliteFaults::lockFor(const QString &path, int ms, QProcess *locker, const QString &mode)
{
    locker->start(DEALERQ_SQLITELOCKER, {path, QString::number(ms), mode});
    return locker->waitForReadyRead(10000) && locker->readLine().trimmed() == "locked";
}

JobQueue::Config TestSqliteFaults::config(const DatabaseUrl &url, const SimProcess &sim) const
{
    JobQueue::Config config;
    config.runner.database = url;
    config.runner.sourceUrl = sim.baseUrl();
    config.runner.retry.pageSize = 10;
    config.runner.pollIntervalMs = 100;
    config.runner.maxAttempts = 3;
    config.runner.instance = "sqlitefaults";
    return config;
}

Job TestSqliteFaults::waitFinished(JobStore &store, qint64 id, int timeoutMs)
{
    StoreError error;
    QDeadlineTimer deadline(timeoutMs);
    Job job;
    while (!deadline.hasExpired()) {
        if (const std::optional<Job> read = store.job(id, &error)) {
            job = *read;
            if (job.isFinished())
                break;
        }
        QTest::qWait(50);
    }
    return job;
}

void TestSqliteFaults::newFileLockedWhileSwitchingToWalWaits()
{
    // Instances started together on a new file: one holds the write lock (here, another
    // process's) while the next reads the empty file and switches it to write-ahead logging.
    // SQLite refuses that switch at once ("database is locked") without waiting out the busy
    // timeout, so opening waits for the lock itself, and gives up only after the timeout.
    QTemporaryDir dir;
    const QString path = dir.filePath("q.db");
    QProcess locker;
    QVERIFY(lockFor(path, 1000, &locker, QStringLiteral("immediate")));
    {
        JobStore store(*DatabaseUrl::parse("sqlite://" + path + "?busy_timeout_ms=15000", nullptr));
        StoreError error;
        QVERIFY2(store.open(&error), qPrintable(error.message));
        QCOMPARE(store.schemaVersion(), JobStore::SchemaVersion);
    }
    QVERIFY(locker.waitForFinished(10000));

    const QString other = dir.filePath("other.db");
    QVERIFY(lockFor(other, 5000, &locker, QStringLiteral("immediate")));
    JobStore store(*DatabaseUrl::parse("sqlite://" + other + "?busy_timeout_ms=200", nullptr));
    StoreError error;
    QVERIFY(!store.open(&error));
    QVERIFY2(error.message.contains(QLatin1String("database is locked")),
             qPrintable(error.message));
    locker.kill();
    locker.waitForFinished();
}

void TestSqliteFaults::lockShorterThanBusyTimeoutWaits()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("q.db");
    const DatabaseUrl url =
        *DatabaseUrl::parse("sqlite://" + path + "?busy_timeout_ms=5000", nullptr);
    SimProcess sim({"--records", "30", "--page-size", "10"});
    QVERIFY(sim.start());
    JobStore store(url);
    StoreError error;
    QVERIFY(store.open(&error));
    QProcess locker;
    QVERIFY(lockFor(path, 1500, &locker));
    // Queued while locked? No: adding waits too. Queue first, then lock, then run.
    locker.kill();
    locker.waitForFinished();
    const qint64 id = store.addJob({"LOCKED", "prospect", 1, 2, 0, false, "test"}, &error)->job.id;
    QVERIFY(lockFor(path, 1500, &locker));
    JobQueue queue(config(url, sim));
    queue.start();
    const Job job = waitFinished(store, id, 20000);
    QCOMPARE(job.status, JobStatus::Completed);
    QCOMPARE(job.attempts, 1);
    QCOMPARE(*store.recordCount(&error), 30);
    locker.waitForFinished();
}

void TestSqliteFaults::lockLongerThanBusyTimeoutRequeues()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("q.db");
    const DatabaseUrl url =
        *DatabaseUrl::parse("sqlite://" + path + "?busy_timeout_ms=200", nullptr);
    SimProcess sim({"--records", "30", "--page-size", "10", "--latency-ms", "100"});
    QVERIFY(sim.start());
    JobStore store(url);
    StoreError error;
    QVERIFY(store.open(&error));
    const qint64 first =
        store.addJob({"FIRST", "prospect", 1, 2, 0, false, "test"}, &error)->job.id;
    const qint64 second =
        store.addJob({"SECOND", "prospect", 1, 2, 0, false, "test"}, &error)->job.id;
    JobQueue queue(config(url, sim));
    QSignalSpy started(&queue, &JobQueue::jobStarted);
    queue.start();
    QVERIFY(started.wait(10000));
    // The fetch takes ~300 ms; the lock outlasts it and the busy timeout, so the commit fails.
    QProcess locker;
    QVERIFY(lockFor(path, 2500, &locker));
    QTRY_VERIFY_WITH_TIMEOUT(queue.runnerState() == RunnerState::DatabaseDown, 10000);
    QVERIFY(locker.waitForFinished(10000));
    const Job job = waitFinished(store, first, 30000);
    QCOMPARE(job.status, JobStatus::Completed);
    QCOMPARE(job.attempts, 2);
    QCOMPARE(waitFinished(store, second, 30000).status, JobStatus::Completed);
    QCOMPARE(*store.recordCount(&error), 60);
}

void TestSqliteFaults::readOnlyDatabase()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("q.db");
    {
        JobStore store(*DatabaseUrl::parse("sqlite://" + path, nullptr));
        StoreError error;
        QVERIFY(store.open(&error));
        QVERIFY(store.addJob({"KEPT", "prospect", 1, 2, 0, false, "test"}, &error));
    }
    const QString ro = "sqlite://" + path + "?mode=ro";
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("DEALERQ_SETTINGS", dir.filePath("settings.ini"));
    const auto run = [&](const QStringList &args, QString *err) {
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(DEALERQ_PATH, QStringList{"--db", ro} + args);
        process.waitForFinished(30000);
        *err = QString::fromUtf8(process.readAllStandardError());
        return process.exitCode();
    };
    QString err;
    QCOMPARE(run({"--export-csv", dir.filePath("out.csv")}, &err), 0); // reading works
    QVERIFY(QFile(dir.filePath("out.csv")).size() > 0);
    QCOMPARE(run({"--enqueue", "NEW"}, &err), 2);
    QVERIFY2(err.contains("read-only"), qPrintable(err));
    QCOMPARE(run({"--headless", "--drain", "--demo", "--no-api"}, &err), 2);
    QVERIFY2(err.contains("read-only"), qPrintable(err));
    JobStore store(*DatabaseUrl::parse("sqlite://" + path, nullptr));
    StoreError error;
    QVERIFY(store.open(&error));
    const QVector<Job> queued = *store.queuedJobs(-1, &error);
    QCOMPARE(queued.size(), 1);
    QCOMPARE(queued.first().dealerId, QStringLiteral("KEPT"));
}

void TestSqliteFaults::fullFilesystem()
{
    QTemporaryDir dir;
    const QString mountPoint = dir.filePath("small");
    QVERIFY(QDir().mkpath(mountPoint));
    if (::mount("tmpfs", mountPoint.toLocal8Bit().constData(), "tmpfs", 0, "size=4m") != 0)
        QSKIP("cannot mount a small tmpfs here (needs root, as in CI)");
    const auto unmount =
        qScopeGuard([&] { ::umount2(mountPoint.toLocal8Bit().constData(), MNT_DETACH); });
    const QString path = mountPoint + "/q.db";
    const DatabaseUrl url = *DatabaseUrl::parse("sqlite://" + path, nullptr);
    SimProcess sim({"--records-for", "BIG=20000", "--records", "20", "--page-size", "500"});
    QVERIFY(sim.start());
    JobStore store(url);
    StoreError error;
    QVERIFY(store.open(&error));
    const qint64 big = store.addJob({"BIG", "prospect", 1, 2, 0, false, "test"}, &error)->job.id;
    const qint64 small =
        store.addJob({"SMALL", "prospect", 1, 2, 0, false, "test"}, &error)->job.id;
    // Fill the filesystem but for ~1 MiB: far less than BIG's ~6 MiB of records.
    QFile filler(mountPoint + "/filler");
    QVERIFY(filler.open(QIODevice::WriteOnly));
    const QByteArray chunk(64 * 1024, 'x');
    while (filler.write(chunk) == chunk.size() && filler.flush()) {
        if (filler.size() >= 3 * 1024 * 1024)
            break;
    }
    filler.close();
    JobQueue::Config cfg = config(url, sim);
    cfg.runner.retry.pageSize = 500;
    JobQueue queue(cfg);
    queue.start();
    QTRY_VERIFY_WITH_TIMEOUT(store.job(big, &error).value_or(Job{}).attempts >= 2 ||
                                 store.job(big, &error).value_or(Job{}).isFinished(),
                             60000);
    QVERIFY(QFile::remove(mountPoint + "/filler")); // the operator frees space
    const Job bigEnd = waitFinished(store, big, 60000);
    QCOMPARE(bigEnd.status, JobStatus::Failed);
    QCOMPARE(bigEnd.error.category, ErrorCategory::Database);
    QVERIFY2(bigEnd.error.message.contains("full"), qPrintable(bigEnd.error.message));
    QCOMPARE(waitFinished(store, small, 60000).status, JobStatus::Completed);
    queue.stop();
    QSqlQuery q(store.database().db());
    QVERIFY(q.exec("PRAGMA integrity_check") && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("ok"));
    QVERIFY(q.exec("SELECT COUNT(*) FROM records WHERE dealer_id = 'BIG'") && q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    QVERIFY(q.exec("SELECT COUNT(*) FROM records WHERE dealer_id = 'SMALL'") && q.next());
    QCOMPARE(q.value(0).toInt(), 20);
}

QTEST_GUILESS_MAIN(TestSqliteFaults)
#include "tst_sqlitefaults.moc"
