#include "job/jobjson.h"
#include "queue/jobqueue.h"
#include "simprocess.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QJsonObject>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTest>

namespace {

NewJob job(const QString &dealer)
{
    NewJob j;
    j.dealerId = dealer;
    j.fetchType = QStringLiteral("prospect");
    j.fromMs = 1749686400000;
    j.toMs = 1749772799000;
    return j;
}

} // namespace

/// The runner against the real dealerq-sim over loopback, on a real database.
class TestQueueRunner final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void multiPageSuccess();
    void sameWindowTwiceAddsNothing();
    void faultEndsAsSpecSays_data();
    void faultEndsAsSpecSays();
    void nulPayloadIsStoredExactly();
    void cancelRunningJobKeepsNoRecords();
    void cancelFromAnotherProcess();
    void pauseStopsTakingJobs();
    void holdFinishesRunningJobOnly();
    void recoversJobLeftRunning();
    void stopRequeuesRunningJob();
    void failingCommitNeverPoisonsNextJob();
    void jobsNeverOverlap();
    void progressPhaseIsStored();

private:
    JobQueue::Config config(const SimProcess &sim) const;
    bool startSim(SimProcess &sim);
    /// Waits until `id` has finished (completed, failed or cancelled).
    Job waitFinished(qint64 id, int timeoutMs = 20000);
    qint64 add(const QString &dealer);
    qint64 recordsOf(const QString &dealer);

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
};

void TestQueueRunner::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
}

void TestQueueRunner::cleanup()
{
    m_store.reset();
    m_db.reset();
}

JobQueue::Config TestQueueRunner::config(const SimProcess &sim) const
{
    JobQueue::Config config;
    config.runner.database = m_db->url();
    config.runner.sourceUrl = sim.baseUrl();
    config.runner.retry.maxRetries = 2;
    config.runner.retry.initialBackoffMs = 10;
    config.runner.retry.maxBackoffMs = 40;
    config.runner.retry.maxRetryAfterS = 1;
    config.runner.retry.timeoutMs = 700;
    config.runner.retry.pageSize = 500;
    config.runner.pollIntervalMs = 100;
    config.runner.maxAttempts = 3;
    config.runner.instance = QStringLiteral("test pid %1").arg(QCoreApplication::applicationPid());
    config.fetchTypes = {"prospect", "sales", "service", "inventory"};
    return config;
}

bool TestQueueRunner::startSim(SimProcess &sim)
{
    QString error;
    if (!sim.start(&error)) {
        qWarning("simulator: %s", qPrintable(error));
        return false;
    }
    return true;
}

Job TestQueueRunner::waitFinished(qint64 id, int timeoutMs)
{
    StoreError error;
    Job job;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        job = m_store->job(id, &error).value_or(Job{});
        if (job.isFinished())
            return job;
        QTest::qWait(20);
    }
    qWarning("job %lld did not finish: %s", id, qPrintable(jobStatusName(job.status)));
    return job;
}

qint64 TestQueueRunner::add(const QString &dealer)
{
    StoreError error;
    const std::optional<AddOutcome> added = m_store->addJob(job(dealer), &error);
    return added ? added->job.id : 0;
}

qint64 TestQueueRunner::recordsOf(const QString &dealer)
{
    QSqlQuery q(m_store->database().db());
    q.prepare("SELECT COUNT(*) FROM records WHERE dealer_id = ?");
    q.addBindValue(dealer);
    return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
}

void TestQueueRunner::multiPageSuccess()
{
    SimProcess sim({"--records", "1234", "--page-size", "100"});
    QVERIFY(startSim(sim));
    const qint64 id = add("12284");
    JobQueue queue(config(sim));
    QSignalSpy progress(&queue, &JobQueue::jobProgress);
    queue.start();
    const Job done = waitFinished(id);
    QCOMPARE(done.status, JobStatus::Completed);
    QVERIFY(done.result);
    QCOMPARE(done.result->pages, 13);
    QCOMPARE(done.result->fetched, 1234);
    QCOMPARE(done.result->inserted, 1234);
    QCOMPARE(done.attempts, 1);
    QCOMPARE(recordsOf("12284"), 1234);
    // Each page but the last is reported as it comes in; the last one's news is the job's end.
    QTRY_COMPARE(progress.size(), 12);
    QCOMPARE(progress.last().at(0).toLongLong(), id);
    QCOMPARE(progress.last().at(1).toInt(), 12);
    QCOMPARE(progress.last().at(2).toLongLong(), 1200);
    StoreError error;
    const QVector<LogLine> log = *m_store->jobLogs(id, &error);
    QVERIFY(!log.isEmpty());
    QVERIFY(log.last().message.contains("1234 records"));
}

void TestQueueRunner::sameWindowTwiceAddsNothing()
{
    SimProcess sim({"--records", "40", "--page-size", "15"});
    QVERIFY(startSim(sim));
    JobQueue queue(config(sim));
    queue.start();
    const qint64 first = add("00999");
    queue.notifyChanged();
    QCOMPARE(waitFinished(first).result->inserted, 40);
    const qint64 second = add("00999");
    queue.notifyChanged();
    const Job again = waitFinished(second);
    QCOMPARE(again.status, JobStatus::Completed);
    QCOMPARE(again.result->fetched, 40);
    QCOMPARE(again.result->unchanged, 40);
    QCOMPARE(again.result->inserted, 0);
    QCOMPARE(again.result->updated, 0);
    QCOMPARE(recordsOf("00999"), 40);
}

void TestQueueRunner::faultEndsAsSpecSays_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QString>("category");
    QTest::newRow("500 always") << "500"
                                << "failed"
                                << "http";
    QTest::newRow("500 then fine") << "500x2"
                                   << "completed"
                                   << "";
    QTest::newRow("429 then fine") << "429x1"
                                   << "completed"
                                   << "";
    QTest::newRow("429 always") << "429"
                                << "failed"
                                << "http";
    QTest::newRow("401") << "401"
                         << "failed"
                         << "auth";
    QTest::newRow("403") << "403"
                         << "failed"
                         << "auth";
    QTest::newRow("404") << "404"
                         << "failed"
                         << "not_found";
    QTest::newRow("hang") << "hang"
                          << "failed"
                          << "network";
    QTest::newRow("drop always") << "drop"
                                 << "failed"
                                 << "network";
    QTest::newRow("drop then fine") << "dropx1"
                                    << "completed"
                                    << "";
    QTest::newRow("malformed") << "malformed"
                               << "failed"
                               << "bad_payload";
    QTest::newRow("truncated") << "truncated"
                               << "failed"
                               << "bad_payload";
    QTest::newRow("redirect") << "redirect"
                              << "failed"
                              << "http";
    QTest::newRow("page over 32 MiB") << "bigpage"
                                      << "failed"
                                      << "bad_payload";
    QTest::newRow("next_page stuck") << "stuck"
                                     << "failed"
                                     << "bad_payload";
    QTest::newRow("next_page not a number") << "badnext"
                                            << "failed"
                                            << "bad_payload";
}

void TestQueueRunner::faultEndsAsSpecSays()
{
    QFETCH(QString, fault);
    QFETCH(QString, status);
    QFETCH(QString, category);
    SimProcess sim({"--records", "30", "--page-size", "10", "--retry-after", "1", "--fault",
                    fault + ":FAULTY"});
    QVERIFY(startSim(sim));
    const qint64 faulty = add("FAULTY");
    const qint64 next = add("HEALTHY");
    JobQueue queue(config(sim));
    queue.start();
    const Job ended = waitFinished(faulty);
    QCOMPARE(jobStatusName(ended.status), status);
    QCOMPARE(errorCategoryName(ended.error.category), category);
    if (ended.status == JobStatus::Failed) {
        QVERIFY(!ended.error.message.isEmpty());
        QCOMPARE(recordsOf("FAULTY"), 0); // nothing partial
        QVERIFY(!ended.result);
    } else {
        QCOMPARE(recordsOf("FAULTY"), 30);
    }
    const Job after = waitFinished(next);
    QCOMPARE(after.status, JobStatus::Completed);
    QCOMPARE(recordsOf("HEALTHY"), 30);
}

void TestQueueRunner::nulPayloadIsStoredExactly()
{
    SimProcess sim({"--records", "3", "--fault", "nul:ZERO"});
    QVERIFY(startSim(sim));
    const qint64 id = add("ZERO");
    JobQueue queue(config(sim));
    queue.start();
    QCOMPARE(waitFinished(id).status, JobStatus::Completed);
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT payload FROM records WHERE dealer_id = 'ZERO'"));
    int withNul = 0;
    while (q.next())
        withNul += q.value(0).toString().contains(QStringLiteral("\\u0000")) ? 1 : 0;
    QCOMPARE(withNul, 3);
}

void TestQueueRunner::cancelRunningJobKeepsNoRecords()
{
    SimProcess sim({"--records", "400", "--page-size", "10", "--latency-ms", "100"});
    QVERIFY(startSim(sim));
    const qint64 slow = add("SLOW");
    const qint64 next = add("NEXT");
    JobQueue::Config cfg = config(sim);
    cfg.runner.retry.pageSize = 10;
    JobQueue queue(cfg);
    QSignalSpy progress(&queue, &JobQueue::jobProgress);
    queue.start();
    QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 2, 10000);
    StoreError error;
    QCOMPARE(*m_store->cancelJob(slow, &error), CancelOutcome::AbortRequested);
    queue.cancelRunning(slow);
    const Job cancelled = waitFinished(slow);
    QCOMPARE(cancelled.status, JobStatus::Cancelled);
    QCOMPARE(cancelled.error.category, ErrorCategory::Cancelled);
    QCOMPARE(recordsOf("SLOW"), 0);
    QCOMPARE(waitFinished(next, 60000).status, JobStatus::Completed);
}

void TestQueueRunner::cancelFromAnotherProcess()
{
    // Only the store is told, as when another instance cancels: the runner notices by polling.
    SimProcess sim({"--records", "400", "--page-size", "10", "--latency-ms", "100"});
    QVERIFY(startSim(sim));
    const qint64 slow = add("SLOW");
    JobQueue::Config cfg = config(sim);
    cfg.runner.retry.pageSize = 10;
    JobQueue queue(cfg);
    QSignalSpy progress(&queue, &JobQueue::jobProgress);
    queue.start();
    QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 1, 10000);
    StoreError error;
    QCOMPARE(*m_store->cancelJob(slow, &error), CancelOutcome::AbortRequested);
    QCOMPARE(waitFinished(slow).status, JobStatus::Cancelled);
    QCOMPARE(recordsOf("SLOW"), 0);
}

void TestQueueRunner::pauseStopsTakingJobs()
{
    SimProcess sim({"--records", "2"});
    QVERIFY(startSim(sim));
    StoreError error;
    QVERIFY(m_store->setPaused(true, &error));
    const qint64 id = add("WAITING");
    JobQueue queue(config(sim));
    QSignalSpy states(&queue, &JobQueue::runnerStateChanged);
    queue.start();
    QTRY_VERIFY(queue.runnerState() == RunnerState::Paused);
    QTest::qWait(300);
    QCOMPARE(m_store->job(id, &error)->status, JobStatus::Queued);
    QVERIFY(m_store->setPaused(false, &error));
    queue.notifyChanged();
    QCOMPARE(waitFinished(id).status, JobStatus::Completed);
}

void TestQueueRunner::holdFinishesRunningJobOnly()
{
    // "Wait for the job" when closing: this one finishes, the next is not taken here.
    SimProcess sim({"--records", "30", "--page-size", "10", "--latency-ms", "100"});
    QVERIFY(startSim(sim));
    const qint64 first = add("FIRST");
    const qint64 second = add("SECOND");
    JobQueue::Config cfg = config(sim);
    cfg.runner.retry.pageSize = 10;
    JobQueue queue(cfg);
    QSignalSpy started(&queue, &JobQueue::jobStarted);
    queue.start();
    QVERIFY(started.wait(10000));
    queue.holdNewJobs(true);
    QCOMPARE(waitFinished(first).status, JobStatus::Completed);
    QTest::qWait(500);
    StoreError error;
    QCOMPARE(m_store->job(second, &error)->status, JobStatus::Queued);
    queue.holdNewJobs(false);
    QCOMPARE(waitFinished(second).status, JobStatus::Completed);
}

void TestQueueRunner::recoversJobLeftRunning()
{
    SimProcess sim({"--records", "5"});
    QVERIFY(startSim(sim));
    const qint64 id = add("CRASHED");
    StoreError error;
    QVERIFY(m_store->claimNext("a process that died", &error)); // left running
    JobQueue queue(config(sim));
    queue.start();
    const Job done = waitFinished(id);
    QCOMPARE(done.status, JobStatus::Completed);
    QCOMPARE(done.attempts, 2);
    QCOMPARE(recordsOf("CRASHED"), 5);
    const QVector<LogLine> log = *m_store->jobLogs(id, &error);
    QVERIFY(std::any_of(log.begin(), log.end(),
                        [](const LogLine &l) { return l.message.contains("cut off"); }));
}

void TestQueueRunner::stopRequeuesRunningJob()
{
    SimProcess sim({"--records", "400", "--page-size", "10", "--latency-ms", "100"});
    QVERIFY(startSim(sim));
    const qint64 id = add("LONG");
    JobQueue::Config cfg = config(sim);
    cfg.runner.retry.pageSize = 10;
    {
        JobQueue queue(cfg);
        QSignalSpy progress(&queue, &JobQueue::jobProgress);
        queue.start();
        QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 2, 10000);
        queue.stop();
    }
    StoreError error;
    const Job after = *m_store->job(id, &error);
    QCOMPARE(after.status, JobStatus::Queued);
    QCOMPARE(after.attempts, 1);
    QCOMPARE(recordsOf("LONG"), 0);
    QVERIFY(m_store->jobLogs(id, &error)->last().message.contains("shutdown"));
}

void TestQueueRunner::failingCommitNeverPoisonsNextJob()
{
    // A record the database refuses fails that job's transaction; the next job on the same
    // connection succeeds ("current transaction is aborted" never happens).
    QSqlQuery q(m_store->database().db());
    if (m_db->isPostgres())
        QVERIFY(q.exec("ALTER TABLE records ADD CONSTRAINT no_boom CHECK (dealer_id <> 'BOOM')"));
    else
        QVERIFY(q.exec("CREATE TRIGGER no_boom BEFORE INSERT ON records WHEN NEW.dealer_id = "
                       "'BOOM' BEGIN SELECT RAISE(ABORT, 'constraint no_boom'); END"));
    SimProcess sim({"--records", "20", "--page-size", "5"});
    QVERIFY(startSim(sim));
    const qint64 boom = add("BOOM");
    const qint64 fine = add("FINE");
    JobQueue queue(config(sim));
    queue.start();
    const Job failed = waitFinished(boom);
    QCOMPARE(failed.status, JobStatus::Failed);
    QCOMPARE(failed.error.category, ErrorCategory::Database);
    QVERIFY2(failed.error.message.contains("no_boom"), qPrintable(failed.error.message));
    QCOMPARE(failed.attempts, 3); // re-queued until the attempts ran out
    QCOMPARE(recordsOf("BOOM"), 0);
    const Job next = waitFinished(fine);
    QCOMPARE(next.status, JobStatus::Completed);
    QCOMPARE(recordsOf("FINE"), 20);
}

void TestQueueRunner::jobsNeverOverlap()
{
    SimProcess sim({"--records", "1"});
    QVERIFY(startSim(sim));
    QStringList ids;
    for (int i = 0; i < 1000; ++i)
        ids << QStringLiteral("D%1").arg(i, 4, 10, QLatin1Char('0'));
    StoreError error;
    QVERIFY(m_store->addJobs(ids, job(QString()), &error));
    JobQueue queue(config(sim));
    QSignalSpy empty(&queue, &JobQueue::queueEmpty);
    queue.start();
    QVERIFY(empty.wait(120000));
    HistoryFilter all;
    all.limit = -1;
    QVector<Job> history = *m_store->history(all, &error);
    QCOMPARE(history.size(), 1000);
    std::sort(history.begin(), history.end(), [](const Job &a, const Job &b) {
        return std::tie(a.startedMs, a.id) < std::tie(b.startedMs, b.id);
    });
    for (int i = 0; i < history.size(); ++i) {
        QCOMPARE(history[i].status, JobStatus::Completed);
        QVERIFY(history[i].startedMs <= history[i].finishedMs);
        if (i > 0)
            QVERIFY2(history[i - 1].finishedMs <= history[i].startedMs,
                     qPrintable(QStringLiteral("jobs %1 and %2 overlap")
                                    .arg(history[i - 1].id)
                                    .arg(history[i].id)));
    }
    // FIFO: they ran in the order queued.
    for (int i = 1; i < history.size(); ++i)
        QVERIFY(history[i - 1].id < history[i].id);
    QCOMPARE(*m_store->recordCount(&error), 1000);
}

void TestQueueRunner::progressPhaseIsStored()
{
    SimProcess sim({"--records", "20", "--page-size", "10", "--fault", "500x1:SLOW500"});
    QVERIFY(startSim(sim));
    JobQueue::Config cfg = config(sim);
    cfg.runner.retry.initialBackoffMs = 3000;
    cfg.runner.retry.maxBackoffMs = 3000;
    const qint64 id = add("SLOW500");
    JobQueue queue(cfg);
    QSignalSpy phases(&queue, &JobQueue::jobPhase);
    queue.start();
    // The runner says it retries, after what, and when the next try is...
    QTRY_VERIFY_WITH_TIMEOUT(std::any_of(phases.begin(), phases.end(),
                                         [](const QList<QVariant> &args) {
                                             return args[1].value<JobProgress>().phase ==
                                                    JobPhase::Retrying;
                                         }),
                             10000);
    const auto retrying = std::find_if(phases.begin(), phases.end(), [](const QList<QVariant> &a) {
        return a[1].value<JobProgress>().phase == JobPhase::Retrying;
    });
    const JobProgress told = (*retrying)[1].value<JobProgress>();
    QCOMPARE((*retrying)[0].toLongLong(), id);
    QCOMPARE(told.detail, QStringLiteral("retry 1 of 2 after HTTP 500 Internal Server Error"));
    QVERIFY(told.untilMs - told.sinceMs >= 2900 && told.untilMs - told.sinceMs <= 3100);
    // ... and stores it within a second: the job's JSON carries it as progress.phase.
    StoreError error;
    QTRY_VERIFY_WITH_TIMEOUT(m_store->job(id, &error)->progress.has_value(), 2500);
    const Job running = *m_store->job(id, &error);
    QCOMPARE(running.progress->phase, JobPhase::Retrying);
    const QJsonObject json = jobToJson(running, QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(json.value("progress").toObject().value("phase").toString(),
             QStringLiteral("retrying"));
    QCOMPARE(json.value("progress").toObject().value("pages").toInt(), 0);
    // Once it ends, there is no progress.
    const Job ended = waitFinished(id);
    QCOMPARE(ended.status, JobStatus::Completed);
    QVERIFY(!ended.progress);
    QVERIFY(jobToJson(ended, 0).value("progress").isNull());
}

QTEST_GUILESS_MAIN(TestQueueRunner)
#include "tst_queuerunner.moc"
