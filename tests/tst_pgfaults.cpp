#include "queue/jobqueue.h"
#include "simprocess.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QSignalSpy>
#include <QTest>

/// PostgreSQL restarted, crashed or stopped while jobs run: every job still ends completed
/// exactly once, and the queue goes on. Each test runs its own server, as it stops it.
class TestPgFaults final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void restartWhileJobsRun_data();
    void restartWhileJobsRun();
    void serverStoppedForTenSeconds();
    void aChangeAfterARestartFindsTheConnectionLost();

private:
    void queueJobs(int count);
    void startQueue(JobQueue::Config *config);
    void waitAllCompleted(int count, int timeoutMs);

    std::unique_ptr<PgCluster> m_cluster;
    std::unique_ptr<SimProcess> m_sim;
    DatabaseUrl m_url;
};

void TestPgFaults::init()
{
    m_cluster = std::make_unique<PgCluster>();
    QString error;
    QVERIFY2(m_cluster->start(&error), qPrintable(error));
    m_url = *DatabaseUrl::parse(m_cluster->url(), &error);
    m_sim = std::make_unique<SimProcess>(
        QStringList{"--records", "40", "--page-size", "10", "--latency-ms", "40"});
    QVERIFY2(m_sim->start(&error), qPrintable(error));
}

void TestPgFaults::cleanup()
{
    m_sim.reset();
    m_cluster.reset();
}

void TestPgFaults::queueJobs(int count)
{
    JobStore store(m_url);
    StoreError error;
    QVERIFY2(store.open(&error), qPrintable(error.message));
    QStringList ids;
    for (int i = 0; i < count; ++i)
        ids << QStringLiteral("R%1").arg(i);
    NewJob common;
    common.fetchType = "prospect";
    common.fromMs = 1749686400000;
    common.toMs = 1749772799000;
    QVERIFY(store.addJobs(ids, common, &error));
}

void TestPgFaults::startQueue(JobQueue::Config *config)
{
    config->runner.database = m_url;
    config->runner.sourceUrl = m_sim->baseUrl();
    config->runner.retry.pageSize = 10;
    config->runner.retry.initialBackoffMs = 10;
    config->runner.pollIntervalMs = 200;
    config->runner.maxAttempts = 10;
    config->runner.instance = "pgfaults";
}

void TestPgFaults::waitAllCompleted(int count, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    qint64 completed = -1;
    while (!deadline.hasExpired()) {
        JobStore store(m_url);
        StoreError error;
        if (store.open(&error)) {
            const std::optional<JobCounts> counts = store.counts(0, &error);
            completed = counts ? counts->completed : -1;
            if (completed == count) {
                QCOMPARE(*store.recordCount(&error), qint64(count) * 40);
                QCOMPARE(counts->failed, 0);
                return;
            }
        }
        QTest::qWait(200);
    }
    QFAIL(qPrintable(QStringLiteral("only %1 of %2 jobs completed").arg(completed).arg(count)));
}

void TestPgFaults::restartWhileJobsRun_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("fast") << "fast";
    QTest::newRow("immediate (a crash)") << "immediate";
}

void TestPgFaults::restartWhileJobsRun()
{
    QFETCH(QString, mode);
    queueJobs(8);
    JobQueue::Config config;
    startQueue(&config);
    JobQueue queue(config);
    QSignalSpy states(&queue, &JobQueue::runnerStateChanged);
    QSignalSpy progress(&queue, &JobQueue::jobProgress);
    queue.start();
    QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 6, 20000); // mid-job
    QString error;
    QVERIFY2(m_cluster->restart(mode, &error), qPrintable(error));
    waitAllCompleted(8, 90000);
    const bool sawOutage = std::any_of(states.begin(), states.end(), [](const QList<QVariant> &s) {
        return s.first().value<RunnerState>() == RunnerState::DatabaseDown;
    });
    qInfo("runner reported the database down: %s", sawOutage ? "yes" : "no");
}

void TestPgFaults::serverStoppedForTenSeconds()
{
    queueJobs(6);
    JobQueue::Config config;
    startQueue(&config);
    JobQueue queue(config);
    QSignalSpy states(&queue, &JobQueue::runnerStateChanged);
    QSignalSpy progress(&queue, &JobQueue::jobProgress);
    queue.start();
    QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 6, 20000);
    QString error;
    QVERIFY2(m_cluster->halt(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(queue.runnerState() == RunnerState::DatabaseDown, 15000);
    QTest::qWait(10000);
    QVERIFY2(m_cluster->resume(&error), qPrintable(error));
    waitAllCompleted(6, 90000);
    JobStore store(m_url);
    StoreError storeError;
    QVERIFY(store.open(&storeError));
    HistoryFilter all;
    all.limit = -1;
    const QVector<Job> jobs = *store.history(all, &storeError);
    const bool retried =
        std::any_of(jobs.begin(), jobs.end(), [](const Job &job) { return job.attempts >= 2; });
    QVERIFY2(retried, "the job cut off by the outage should have run again");
}

void TestPgFaults::aChangeAfterARestartFindsTheConnectionLost()
{
    // A change meets a restarted server at its first statement, the transaction's BEGIN. That
    // is told as a lost connection (noted, so that whoever holds the store opens a new one even
    // where the connection still looks open), not as an error of the database; and so is a
    // change tried after it on the connection Qt has closed, which fails with no error at all.
    JobStore store(m_url);
    StoreError error;
    QVERIFY2(store.open(&error), qPrintable(error.message));
    NewJob job;
    job.dealerId = "A";
    job.fetchType = "prospect";
    job.fromMs = 1749686400000;
    job.toMs = 1749772799000;
    QVERIFY2(store.addJob(job, &error), qPrintable(error.message));
    QString why;
    QVERIFY2(m_cluster->restart("fast", &why), qPrintable(why));
    job.dealerId = "B";
    QVERIFY(!store.addJob(job, &error));
    QCOMPARE(error.kind, StoreError::Kind::ConnectionLost);
    QVERIFY(!store.isOpen());
    QVERIFY(!store.setPaused(true, &error));
    QCOMPARE(error.kind, StoreError::Kind::ConnectionLost);
    QVERIFY2(error.message.endsWith("the connection is closed"), qPrintable(error.message));
    QVERIFY(!store.counts(0, &error)); // a read on it likewise
    QCOMPARE(error.kind, StoreError::Kind::ConnectionLost);
    QVERIFY2(error.message.endsWith("the connection is closed"), qPrintable(error.message));
    QVERIFY2(store.reopen(&error), qPrintable(error.message));
    QVERIFY2(store.addJob(job, &error), qPrintable(error.message));
    const std::optional<JobCounts> counts = store.counts(0, &error);
    QVERIFY2(counts, qPrintable(error.message));
    QCOMPARE(counts->queued, 2);
}

QTEST_GUILESS_MAIN(TestPgFaults)
#include "tst_pgfaults.moc"
