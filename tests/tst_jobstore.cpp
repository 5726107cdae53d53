#include "job/fetchedrecord.h"
#include "job/jobjson.h"
#include "store/database.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <functional>

#include <sys/resource.h>

namespace {

NewJob newJob(const QString &dealer, int priority = 0, bool runNext = false)
{
    NewJob job;
    job.dealerId = dealer;
    job.fetchType = QStringLiteral("prospect");
    job.fromMs = 1749686400000; // 2025-06-12T00:00:00Z
    job.toMs = 1749772799000;
    job.priority = priority;
    job.runNext = runNext;
    return job;
}

/// The rows of the store's staging table (on its own connection, the only one that sees it).
qint64 stagedRows(JobStore &store)
{
    QSqlQuery q(store.database().db());
    if (!q.exec("SELECT COUNT(*) FROM staged_records") || !q.next())
        return -1;
    return q.value(0).toLongLong();
}

QVector<qint64> ids(const QVector<Job> &jobs)
{
    QVector<qint64> result;
    for (const Job &job : jobs)
        result.push_back(job.id);
    return result;
}

QVector<FetchedRecord> records(int count, const QString &tag = QStringLiteral("a"))
{
    QVector<FetchedRecord> list;
    for (int i = 1; i <= count; ++i) {
        const QString id = QStringLiteral("P-%1").arg(i, 6, 10, QLatin1Char('0'));
        list.push_back(
            {id, QStringLiteral("2025-06-12T09:31:00Z"),
             QStringLiteral(R"({"id":"%1","updated_at":"2025-06-12T09:31:00Z","v":"%2"})")
                 .arg(id, tag)
                 .toUtf8()});
    }
    return list;
}

} // namespace

class TestJobStore final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void freshSchema();
    void migratesFromVersion1();
    void refusesNewerSchema();
    void refusesForeignDatabase();
    void refusesNonDatabaseFile();
    void addOneKeepsFields();
    void identicalQueuedJobIsNotQueuedTwice();
    void bulkKeepsOrderAndSkipsQueued();
    void bulkIsAllOrNothing();
    void bulkInChunksWithRepeats();
    void claimOrder();
    void runNextAndMoves();
    void databaseRefusesTwoRunningJobs();
    void cancelRules();
    void retryRules();
    void pauseIsStored();
    void clearFinishedRemovesHistoryAndLogs();
    void clearFinishedByFilter();
    void historyFiltersAndPaging();
    void historyTextEitherWay();
    void historyOfFailedJobsFromTheirIndexes();
    void countsByStatus();
    void oneReadSeesOneMoment();
    void completeUpsertsRecords();
    void completeUpsertsManyRecordsAsOneByOne_data();
    void completeUpsertsManyRecordsAsOneByOne();
    void anUnfinishedAttemptLeavesNothingStaged();
    void stagedBytesComeBackExactly_data();
    void stagedBytesComeBackExactly();
    void stagingTakesNoLockOfTheDatabase();
    void stagedRowsLostWithTheConnectionFailTheMerge();
    void firstFetchGoesThroughASpoolFile();
    void spoolPastItsLimitMovesToTheStagingTable();
    void spooledRecordStoredMeanwhileTakesTheMerge();
    void spoolThatCannotBeWrittenMovesToTheStagingTable();
    void cancelRequestedBeforeCommitKeepsNothing();
    void finishByAnotherRunnerWritesNothing();
    void finishClaimsTheNextInTheSameCommit();
    void recoversInterruptedJobs();
    void interruptedTwinIsNotQueuedTwice();
    void forEachJobReadsInChunks();

private:
    Job claim(const QString &runner = QStringLiteral("runner-1"));

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
};

void TestJobStore::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
}

void TestJobStore::cleanup()
{
    m_store.reset();
    m_db.reset();
}

Job TestJobStore::claim(const QString &runner)
{
    StoreError error;
    const std::optional<Job> job = m_store->claimNext(runner, &error);
    if (!job)
        qWarning("claim failed: %s", qPrintable(error.message));
    return job.value_or(Job{});
}

void TestJobStore::freshSchema()
{
    QCOMPARE(m_store->schemaVersion(), JobStore::SchemaVersion);
    // Opening again is a no-op migration.
    JobStore again(m_db->url());
    StoreError error;
    QVERIFY2(again.open(&error), qPrintable(error.message));
    QCOMPARE(again.schemaVersion(), JobStore::SchemaVersion);
}

void TestJobStore::migratesFromVersion1()
{
    m_store.reset();
    TestDatabase db;
    {
        JobStore old(db.url());
        StoreError error;
        QVERIFY2(old.open(&error, 1), qPrintable(error.message));
        QCOMPARE(old.schemaVersion(), 1);
        QSqlQuery q(old.database().db());
        QVERIFY(q.exec("INSERT INTO jobs (dealer_id, fetch_type, from_ms, to_ms, status, priority, "
                       "position, created_ms, attempts) VALUES ('00999', 'sales', 1, 2, 'queued', "
                       "0, 1, 3, 0)"));
        QVERIFY(q.exec("INSERT INTO records (dealer_id, fetch_type, record_id, payload, job_id) "
                       "VALUES ('00999', 'sales', 'S-1', '{\"id\":\"S-1\"}', 1)"));
    }
    JobStore current(db.url());
    StoreError error;
    QVERIFY2(current.open(&error), qPrintable(error.message));
    QCOMPARE(current.schemaVersion(), JobStore::SchemaVersion);
    const std::optional<Job> job = current.job(1, &error);
    QVERIFY(job);
    QCOMPARE(job->dealerId, QStringLiteral("00999"));
    QCOMPARE(job->status, JobStatus::Queued);
    QVERIFY(!job->cancelRequested);
    QCOMPARE(job->createdBy, QStringLiteral("unknown")); // queued before jobs said by whom
    QCOMPARE(current.recordCount(&error).value_or(-1), 1);
    // The new parts work on the migrated file.
    QVERIFY(current.appendLog(1, "hello", &error));
    QCOMPARE(current.jobLogs(1, &error)->size(), 1);
    const Job claimed = current.claimNext("r", &error).value_or(Job{});
    QCOMPARE(claimed.id, 1);
}

void TestJobStore::refusesNewerSchema()
{
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("UPDATE meta SET value = '99' WHERE key = 'schema_version'"));
    m_store.reset();
    JobStore store(m_db->url());
    StoreError error;
    QVERIFY(!store.open(&error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
    QVERIFY2(error.message.contains("newer dealerq"), qPrintable(error.message));
}

void TestJobStore::refusesForeignDatabase()
{
    m_store.reset();
    m_db = std::make_unique<TestDatabase>();
    {
        Database raw(m_db->url());
        QString why;
        QVERIFY2(raw.open(&why), qPrintable(why));
        QVERIFY(raw.exec("CREATE TABLE customers (id INTEGER, name TEXT)"));
        QVERIFY(raw.exec("INSERT INTO customers VALUES (1, 'kept')"));
    }
    JobStore store(m_db->url());
    StoreError error;
    QVERIFY(!store.open(&error));
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
    QVERIFY2(error.message.contains("not a dealerq database"), qPrintable(error.message));
    // Nothing of ours was added to it.
    Database raw(m_db->url());
    QString why;
    QVERIFY(raw.open(&why));
    QSqlQuery q(raw.db());
    QVERIFY(q.exec("SELECT COUNT(*) FROM customers") && q.next());
    QCOMPARE(q.value(0).toInt(), 1);
    QVERIFY(!q.exec("SELECT 1 FROM jobs"));
}

void TestJobStore::refusesNonDatabaseFile()
{
    if (m_db->isPostgres())
        QSKIP("a file that is not a database only exists on SQLite");
    m_store.reset();
    const QString path = m_db->dir() + "/garbage.db";
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();
    JobStore store(*DatabaseUrl::parse("sqlite://" + path, nullptr));
    StoreError error;
    QVERIFY(!store.open(&error));
    QVERIFY2(error.message.contains(path), qPrintable(error.message));
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray(8192, 'x'));
}

void TestJobStore::addOneKeepsFields()
{
    StoreError error;
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const std::optional<AddOutcome> added = m_store->addJob(newJob("00999", 3), &error);
    QVERIFY2(added, qPrintable(error.message));
    QVERIFY(!added->duplicate);
    const Job job = *m_store->job(added->job.id, &error);
    QCOMPARE(job.dealerId, QStringLiteral("00999"));
    QCOMPARE(job.fetchType, QStringLiteral("prospect"));
    QCOMPARE(job.fromMs, newJob("x").fromMs);
    QCOMPARE(job.toMs, newJob("x").toMs);
    QCOMPARE(job.status, JobStatus::Queued);
    QCOMPARE(job.priority, 3);
    QCOMPARE(job.attempts, 0);
    QVERIFY(job.createdMs >= before);
    QCOMPARE(job.startedMs, 0);
    QVERIFY(!job.result);
    QVERIFY(job.error.isNull());
    QCOMPARE(jobToJson(job, 0).value("dealer_id").toString(), QStringLiteral("00999"));
}

void TestJobStore::identicalQueuedJobIsNotQueuedTwice()
{
    StoreError error;
    const AddOutcome first = *m_store->addJob(newJob("12284"), &error);
    const std::optional<AddOutcome> second = m_store->addJob(newJob("12284"), &error);
    QVERIFY2(second, qPrintable(error.message));
    QVERIFY(second->duplicate);
    QCOMPARE(second->job.id, first.job.id);
    // Another window, type or dealer is a different job.
    NewJob other = newJob("12284");
    other.fetchType = "sales";
    QVERIFY(!m_store->addJob(other, &error)->duplicate);
    other = newJob("12284");
    other.toMs += 1000;
    QVERIFY(!m_store->addJob(other, &error)->duplicate);
    // Once the first is no longer queued, the same job can be queued again.
    QVERIFY(m_store->cancelJob(first.job.id, &error));
    QVERIFY(!m_store->addJob(newJob("12284"), &error)->duplicate);
}

void TestJobStore::bulkKeepsOrderAndSkipsQueued()
{
    StoreError error;
    const qint64 existing = m_store->addJob(newJob("B"), &error)->job.id;
    const std::optional<BulkOutcome> bulk =
        m_store->addJobs({"A", "B", "C", "00999"}, newJob(QString()), &error);
    QVERIFY2(bulk, qPrintable(error.message));
    QCOMPARE(bulk->jobIds.size(), 3);
    QCOMPARE(bulk->skipped.size(), 1);
    QCOMPARE(bulk->skipped.first().dealerId, QStringLiteral("B"));
    QCOMPARE(bulk->skipped.first().existingJobId, existing);
    QVERIFY(bulk->skipped.first().reason.contains(QString::number(existing)));
    const QVector<Job> queued = *m_store->queuedJobs(-1, &error);
    QStringList order;
    for (const Job &job : queued)
        order << job.dealerId;
    QCOMPARE(order, (QStringList{"B", "A", "C", "00999"}));
}

void TestJobStore::bulkIsAllOrNothing()
{
    // A statement that fails half-way through a bulk add leaves nothing of it behind.
    QSqlQuery q(m_store->database().db());
    if (m_db->isPostgres())
        QVERIFY(q.exec("ALTER TABLE jobs ADD CONSTRAINT no_boom CHECK (dealer_id <> 'BOOM')"));
    else
        QVERIFY(q.exec("CREATE TRIGGER no_boom BEFORE INSERT ON jobs WHEN NEW.dealer_id = 'BOOM' "
                       "BEGIN SELECT RAISE(ABORT, 'boom refused'); END"));
    StoreError error;
    QVERIFY(!m_store->addJobs({"A", "B", "BOOM", "C"}, newJob(QString()), &error));
    QCOMPARE(error.kind, StoreError::Kind::Database);
    QCOMPARE(m_store->queuedJobs(-1, &error)->size(), 0);
    // The connection is fine for the next call.
    QVERIFY(m_store->addJobs({"A", "B"}, newJob(QString()), &error));
    QCOMPARE(m_store->queuedJobs(-1, &error)->size(), 2);
}

void TestJobStore::bulkInChunksWithRepeats()
{
    // More IDs than one statement takes (500), repeated within a chunk and across chunks.
    StoreError error;
    const qint64 before = m_store->addJob(newJob("D0700"), &error)->job.id;
    QStringList ids;
    for (int i = 0; i < 1203; ++i)
        ids << QStringLiteral("D%1").arg(i, 4, 10, QLatin1Char('0'));
    ids.insert(10, QStringLiteral("D0003"));  // a repeat in the first chunk
    ids.insert(900, QStringLiteral("D0004")); // a repeat two chunks later
    const std::optional<BulkOutcome> bulk = m_store->addJobs(ids, newJob(QString()), &error);
    QVERIFY2(bulk, qPrintable(error.message));
    QCOMPARE(bulk->jobIds.size(), 1202);
    QCOMPARE(bulk->skipped.size(), 3);
    QCOMPARE(bulk->skipped.at(0).dealerId, QStringLiteral("D0003"));
    QCOMPARE(bulk->skipped.at(0).existingJobId, bulk->jobIds.at(3));
    QCOMPARE(bulk->skipped.at(1).dealerId, QStringLiteral("D0700"));
    QCOMPARE(bulk->skipped.at(1).existingJobId, before);
    QCOMPARE(bulk->skipped.at(2).dealerId, QStringLiteral("D0004"));
    QCOMPARE(bulk->skipped.at(2).existingJobId, bulk->jobIds.at(4));
    // Queued once each, in the order given, after the job that was there first.
    const QVector<Job> queued = *m_store->queuedJobs(-1, &error);
    QCOMPARE(queued.size(), 1203);
    QCOMPARE(queued.first().id, before);
    QStringList order;
    for (qsizetype i = 1; i < queued.size(); ++i) {
        order << queued.at(i).dealerId;
        QCOMPARE(queued.at(i).id, bulk->jobIds.at(i - 1));
    }
    QStringList expected;
    for (int i = 0; i < 1203; ++i) {
        if (i != 700)
            expected << QStringLiteral("D%1").arg(i, 4, 10, QLatin1Char('0'));
    }
    QCOMPARE(order, expected);
}

void TestJobStore::claimOrder()
{
    StoreError error;
    m_store->addJob(newJob("low1"), &error);
    m_store->addJob(newJob("high1", 5), &error);
    m_store->addJob(newJob("low2"), &error);
    m_store->addJob(newJob("high2", 5), &error);
    QStringList order;
    for (int i = 0; i < 4; ++i) {
        const Job job = claim();
        QCOMPARE(job.status, JobStatus::Running);
        QCOMPARE(job.attempts, 1);
        QVERIFY(job.startedMs > 0);
        QCOMPARE(job.runnerId, QStringLiteral("runner-1"));
        order << job.dealerId;
        QVERIFY(m_store->failJob(job, {"x", ErrorCategory::Http}, {}, &error));
    }
    QCOMPARE(order, (QStringList{"high1", "high2", "low1", "low2"}));
    QVERIFY(!m_store->claimNext("runner-1", &error));
    QVERIFY(!error.isSet());
}

void TestJobStore::runNextAndMoves()
{
    StoreError error;
    QVector<qint64> ids;
    for (const char *dealer : {"A", "B", "C", "D"})
        ids << m_store->addJob(newJob(dealer), &error)->job.id;
    const auto order = [&] {
        QStringList list;
        const QVector<Job> queued = m_store->queuedJobs(-1, &error).value_or(QVector<Job>{});
        for (const Job &job : queued)
            list << job.dealerId;
        return list.join("");
    };
    QCOMPARE(order(), QStringLiteral("ABCD"));
    QVERIFY(m_store->moveJob(ids[2], MoveOp::Top, &error));
    QCOMPARE(order(), QStringLiteral("CABD"));
    QVERIFY(m_store->moveJob(ids[3], MoveOp::Up, &error));
    QCOMPARE(order(), QStringLiteral("CADB"));
    QVERIFY(m_store->moveJob(ids[2], MoveOp::Down, &error));
    QCOMPARE(order(), QStringLiteral("ACDB"));
    QVERIFY(m_store->moveJob(ids[0], MoveOp::Bottom, &error));
    QCOMPARE(order(), QStringLiteral("CDBA"));
    QVERIFY(m_store->moveJob(ids[2], MoveOp::Up, &error)); // already first
    QCOMPARE(order(), QStringLiteral("CDBA"));
    // Run next jumps even a higher priority.
    m_store->addJob(newJob("P", 9), &error);
    QCOMPARE(order(), QStringLiteral("PCDBA"));
    m_store->addJobs({"X", "Y"}, newJob(QString(), 0, true), &error);
    QCOMPARE(order(), QStringLiteral("XYPCDBA"));
    const std::optional<AddOutcome> single = m_store->addJob(newJob("Z", 0, true), &error);
    QVERIFY(single);
    QCOMPARE(order(), QStringLiteral("ZXYPCDBA"));
    // Only queued jobs move.
    const Job running = claim();
    QVERIFY(!m_store->moveJob(running.id, MoveOp::Top, &error));
    QCOMPARE(error.kind, StoreError::Kind::Conflict);
}

void TestJobStore::databaseRefusesTwoRunningJobs()
{
    StoreError error;
    m_store->addJobs({"A", "B"}, newJob(QString()), &error);
    QCOMPARE(claim().dealerId, QStringLiteral("A"));
    // A second claim while one runs (a runner without the lock, say) is refused by the schema.
    JobStore other(m_db->url());
    QVERIFY(other.open(&error));
    QVERIFY(!other.claimNext("runner-2", &error));
    QCOMPARE(error.kind, StoreError::Kind::Database);
    QCOMPARE(m_store->queuedJobs(-1, &error)->size(), 1);
}

void TestJobStore::cancelRules()
{
    StoreError error;
    const qint64 queued = m_store->addJob(newJob("A"), &error)->job.id;
    const qint64 running = m_store->addJob(newJob("B"), &error)->job.id;
    QCOMPARE(*m_store->cancelJob(queued, &error), CancelOutcome::Cancelled);
    const Job cancelled = *m_store->job(queued, &error);
    QCOMPARE(cancelled.status, JobStatus::Cancelled);
    QCOMPARE(cancelled.error.category, ErrorCategory::Cancelled);
    QVERIFY(cancelled.finishedMs > 0);

    QCOMPARE(claim().id, running);
    QCOMPARE(*m_store->cancelJob(running, &error), CancelOutcome::AbortRequested);
    QVERIFY(*m_store->isCancelRequested(running, &error));
    QCOMPARE(m_store->job(running, &error)->status, JobStatus::Running);

    QVERIFY(!m_store->cancelJob(queued, &error));
    QCOMPARE(error.kind, StoreError::Kind::Conflict);
    QVERIFY(!m_store->cancelJob(4242, &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
}

void TestJobStore::retryRules()
{
    StoreError error;
    m_store->addJobs({"A", "B"}, newJob(QString()), &error);
    const Job a = claim();
    QVERIFY(m_store->failJob(a, {"HTTP 500", ErrorCategory::Http}, {}, &error));
    const Job b = claim();
    QVERIFY2(m_store->completeJob(b, records(1), {}, nullptr, &error), qPrintable(error.message));

    const std::optional<Job> retried = m_store->retryJob(a.id, &error);
    QVERIFY2(retried, qPrintable(error.message));
    QCOMPARE(retried->status, JobStatus::Queued);
    QCOMPARE(retried->attempts, 1);
    QVERIFY(retried->error.isNull());
    QCOMPARE(retried->finishedMs, 0);
    QVERIFY(m_store->jobLogs(a.id, &error)->last().message.contains("retry"));

    QVERIFY(retried->requeuedMs > 0);
    // The failed attempt is kept, and still counts as today's failure.
    const Job second = claim();
    QCOMPARE(second.id, a.id);
    JobResult fetched;
    fetched.pages = 1;
    fetched.fetched = 2;
    QVERIFY(m_store->completeJob(second, records(2), {}, &fetched, &error));
    const QVector<JobAttempt> attempts = *m_store->jobAttempts(a.id, &error);
    QCOMPARE(attempts.size(), 2);
    QCOMPARE(attempts[0].attempt, 1);
    QCOMPARE(attempts[0].outcome, QStringLiteral("failed"));
    QCOMPARE(attempts[0].error.message, QStringLiteral("HTTP 500"));
    QCOMPARE(attempts[0].error.category, ErrorCategory::Http);
    QVERIFY(attempts[0].finishedMs >= attempts[0].startedMs && attempts[0].startedMs > 0);
    QCOMPARE(attempts[1].attempt, 2);
    QCOMPARE(attempts[1].outcome, QStringLiteral("completed"));
    QCOMPARE(attempts[1].fetched.value_or(-1), 2);
    QVERIFY(attempts[1].error.isNull());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    JobCounts counts = *m_store->counts(now, &error);
    QCOMPARE(counts.failedToday, 1);    // a's first attempt
    QCOMPARE(counts.completedToday, 2); // b, and a's second attempt
    QCOMPARE(counts.failed, 0);
    // Clearing the history keeps the day's counters.
    QCOMPARE(*m_store->clearFinished(&error), 2);
    counts = *m_store->counts(now, &error);
    QCOMPARE(counts.failedToday, 1);
    QCOMPARE(counts.completedToday, 2);
    QCOMPARE(counts.completed, 0);

    const qint64 bId = b.id;
    QVERIFY(!m_store->retryJob(bId, &error)); // cleared
    m_store->addJobs({"A", "B"}, newJob(QString()), &error);
    const Job a2 = claim();
    QVERIFY(m_store->failJob(a2, {"HTTP 500", ErrorCategory::Http}, {}, &error));
    QVERIFY(m_store->retryJob(a2.id, &error));
    const Job b2 = claim();
    QVERIFY(m_store->completeJob(b2, records(1), {}, nullptr, &error));
    QVERIFY(!m_store->retryJob(b2.id, &error));
    QCOMPARE(error.kind, StoreError::Kind::Conflict);
    QVERIFY(!m_store->retryJob(a2.id, &error)); // queued now
    QCOMPARE(error.kind, StoreError::Kind::Conflict);

    // A cancelled job whose twin is queued again is not queued twice.
    const qint64 twin = m_store->addJob(newJob("C"), &error)->job.id;
    QVERIFY(m_store->cancelJob(twin, &error));
    const qint64 again = m_store->addJob(newJob("C"), &error)->job.id;
    QVERIFY(!m_store->retryJob(twin, &error));
    QCOMPARE(error.kind, StoreError::Kind::Conflict);
    QCOMPARE(error.existingJobId, again);
}

void TestJobStore::pauseIsStored()
{
    StoreError error;
    QCOMPARE(*m_store->isPaused(&error), false);
    QVERIFY(m_store->setPaused(true, &error));
    JobStore other(m_db->url());
    QVERIFY(other.open(&error));
    QCOMPARE(*other.isPaused(&error), true);
    QVERIFY(other.queueStatus(10, &error)->paused);
    QVERIFY(other.setPaused(false, &error));
    QCOMPARE(*m_store->isPaused(&error), false);
}

void TestJobStore::clearFinishedRemovesHistoryAndLogs()
{
    StoreError error;
    m_store->addJobs({"A", "B", "C", "D"}, newJob(QString()), &error);
    Job a = claim();
    m_store->completeJob(a, records(2), {{1, "done"}}, nullptr, &error);
    Job b = claim();
    m_store->failJob(b, {"nope", ErrorCategory::NotFound}, {{1, "failed"}}, &error);
    m_store->cancelJob(m_store->queuedJobs(1, &error)->first().id, &error);
    claim(); // D stays running
    QCOMPARE(*m_store->clearFinished(&error), 3);
    QCOMPARE(*m_store->historyCount({}, &error), 0);
    QCOMPARE(m_store->jobLogs(a.id, &error)->size(), 0);
    QVERIFY(m_store->queueStatus(10, &error)->current);
    QCOMPARE(m_store->recordCount(&error).value_or(-1), 2); // the data stays
}

void TestJobStore::clearFinishedByFilter()
{
    StoreError error;
    m_store->addJobs({"A", "B", "C", "D", "E"}, newJob(QString()), &error);
    Job a = claim();
    m_store->completeJob(a, records(1), {{1, "done"}}, nullptr, &error);
    Job b = claim();
    m_store->failJob(b, {"nope", ErrorCategory::NotFound}, {{1, "failed"}}, &error);
    Job c = claim();
    m_store->failJob(c, {"nope", ErrorCategory::NotFound}, {}, &error);
    claim(); // D stays running, E queued

    // A filter that matches none removes nothing.
    HistoryFilter none;
    none.dealerId = QStringLiteral("Z");
    QCOMPARE(m_store->clearFinished(none, &error).value_or(-1), 0);
    QCOMPARE(*m_store->historyCount({}, &error), 3);
    // Some: the failed jobs of dealer B only; its log goes with it.
    HistoryFilter some;
    some.statuses = {JobStatus::Failed};
    some.dealerId = QStringLiteral("B");
    QCOMPARE(m_store->clearFinished(some, &error).value_or(-1), 1);
    QVERIFY(!m_store->job(b.id, &error));
    QVERIFY(m_store->job(c.id, &error));
    QCOMPARE(m_store->jobLogs(b.id, &error)->size(), 0);
    // A filter naming a dealer whose job is running or queued never touches those.
    HistoryFilter running;
    running.dealerId = QStringLiteral("D");
    QCOMPARE(m_store->clearFinished(running, &error).value_or(-1), 0);
    HistoryFilter all;
    QCOMPARE(m_store->clearFinished(all, &error).value_or(-1), 2);
    QCOMPARE(*m_store->historyCount({}, &error), 0);
    QVERIFY(m_store->queueStatus(10, &error)->current);
    QCOMPARE(m_store->queueStatus(10, &error)->queueLength, 1);
}

void TestJobStore::historyFiltersAndPaging()
{
    StoreError error;
    m_store->addJobs({"A", "B", "A2", "C"}, newJob(QString()), &error);
    const Job a = claim();
    m_store->completeJob(a, records(1), {}, nullptr, &error);
    const Job b = claim();
    m_store->failJob(b, {"gone", ErrorCategory::NotFound}, {}, &error);
    const Job a2 = claim();
    m_store->completeJob(a2, records(1), {}, nullptr, &error);

    const QVector<Job> all = *m_store->history({}, &error);
    QCOMPARE(all.size(), 3);
    QCOMPARE(all.at(0).id, a2.id); // newest first
    QCOMPARE(all.at(2).id, a.id);
    HistoryFilter failed;
    failed.statuses = {JobStatus::Failed};
    QCOMPARE(m_store->history(failed, &error)->size(), 1);
    QCOMPARE(*m_store->historyCount(failed, &error), 1);
    HistoryFilter dealer;
    dealer.dealerId = "A";
    QCOMPARE(m_store->history(dealer, &error)->size(), 1);
    HistoryFilter page;
    page.limit = 1;
    page.offset = 1;
    const QVector<Job> second = *m_store->history(page, &error);
    QCOMPARE(second.size(), 1);
    QCOMPARE(second.first().id, b.id);

    // One type in the order of a column the window hides: the same jobs whichever way SQLite
    // reads them (a page of one walks the order's index past other jobs, a page of 1,000 reads
    // the type's jobs and sorts them).
    HistoryFilter ofType;
    ofType.fetchType = a.fetchType;
    ofType.sort = HistorySort::Attempts;
    ofType.limit = 1000;
    const QVector<Job> sorted = *m_store->history(ofType, &error);
    QCOMPARE(sorted.size(), 3);
    QCOMPARE(sorted.first().id, a2.id); // one attempt each: the newest job first
    ofType.limit = 1;
    for (int k = 0; k < sorted.size(); ++k) {
        ofType.offset = k;
        const QVector<Job> one = *m_store->history(ofType, &error);
        QCOMPARE(one.size(), 1);
        QCOMPARE(one.first().id, sorted.at(k).id);
    }
    // An order by what the filter holds to one value (the status for one status, the category
    // for one, the type for one) is the finished order, either way.
    for (const bool ascending : {false, true}) {
        HistoryFilter held;
        held.statuses = {JobStatus::Completed};
        held.ascending = ascending;
        const QVector<Job> byFinish = *m_store->history(held, &error);
        QCOMPARE(byFinish.size(), 2);
        QCOMPARE(byFinish.first().id, ascending ? a.id : a2.id);
        held.sort = HistorySort::Status;
        QCOMPARE(ids(*m_store->history(held, &error)), ids(byFinish));
        held.statuses.clear();
        held.fetchType = a.fetchType;
        held.sort = HistorySort::FinishedAt;
        const QVector<Job> ofTypeByFinish = *m_store->history(held, &error);
        QCOMPARE(ofTypeByFinish.size(), 3);
        held.sort = HistorySort::FetchType;
        QCOMPARE(ids(*m_store->history(held, &error)), ids(ofTypeByFinish));
        held.fetchType.clear();
        held.errorCategory = ErrorCategory::NotFound;
        held.sort = HistorySort::ErrorCategory;
        QCOMPARE(ids(*m_store->history(held, &error)), QVector<qint64>{b.id});
    }
    // A status that is not a finished one matches nothing, and is no error.
    ofType.statuses = {JobStatus::Queued};
    ofType.offset = 0;
    const std::optional<QVector<Job>> none = m_store->history(ofType, &error);
    QVERIFY2(none, qPrintable(error.message));
    QVERIFY(none->isEmpty());
}

void TestJobStore::historyTextEitherWay()
{
    // The text is a substring of the dealer ID or the message, in any case: found through what
    // can hold it (the messages' indexes, one of them for messages over 400 characters, and the
    // jobs of the dealers whose ID holds it) while those dealers' jobs are few, by reading the
    // history when they are 30,000 or more.
    StoreError error;
    QVERIFY(m_store->addJobs({"North-7", "south-17", "EAST"}, newJob(QString()), &error));
    const Job north = claim();
    QCOMPARE(m_store->completeJob(north, records(1), {}, nullptr, &error), FinishOutcome::Done);
    const Job south = claim();
    QCOMPARE(m_store->failJob(south, {"HTTP 503 from the NORTH gateway", ErrorCategory::Http}, {},
                              &error),
             FinishOutcome::Done);
    const Job east = claim();
    const QString longMessage = QString(420, QLatin1Char('x')) + QStringLiteral(" Needle!");
    QCOMPARE(m_store->failJob(east, {longMessage, ErrorCategory::Network}, {}, &error),
             FinishOutcome::Done);
    const auto found = [&](const QString &text, HistorySort sort = HistorySort::FinishedAt) {
        HistoryFilter filter;
        filter.text = text;
        filter.sort = sort;
        filter.limit = 1000;
        const std::optional<QVector<Job>> jobs = m_store->history(filter, &error);
        const std::optional<qint64> total = m_store->historyCount(filter, &error);
        if (!jobs || !total)
            return QVector<qint64>{-1};
        if (*total != jobs->size())
            return QVector<qint64>{-2, *total};
        // The page and total in one read (the window's and the API's), the text's dealers
        // looked for once: the same jobs and total.
        const std::optional<HistoryPage> page = m_store->historyPage(filter, &error);
        if (!page || ids(page->jobs) != ids(*jobs) || page->total != *total)
            return QVector<qint64>{-3};
        return ids(*jobs);
    };
    const auto check = [&] {
        QCOMPARE(found(QStringLiteral("north")), (QVector<qint64>{south.id, north.id}));
        QCOMPARE(found(QStringLiteral("NEEDLE")), QVector<qint64>{east.id});
        QCOMPARE(found(QStringLiteral("7")), (QVector<qint64>{south.id, north.id}));
        QCOMPARE(found(QStringLiteral("t")), (QVector<qint64>{east.id, south.id, north.id}));
        QCOMPARE(found(QStringLiteral("x%")), QVector<qint64>{});
        QCOMPARE(found(QStringLiteral("nowhere")), QVector<qint64>{});
        // In an order that goes with how jobs ended (records updated: none for a failed job),
        // where a walk of the order's index can pass every job of the other kind first.
        QCOMPARE(found(QStringLiteral("t"), HistorySort::Updated),
                 (QVector<qint64>{north.id, east.id, south.id}));
        QCOMPARE(found(QStringLiteral("7"), HistorySort::Updated),
                 (QVector<qint64>{north.id, south.id}));
        QCOMPARE(found(QStringLiteral("nowhere"), HistorySort::Updated), QVector<qint64>{});
        // The filter's other fields hold in each part of the matches: the message's, the long
        // message's and the dealer's (south's matches through both, and is read once).
        HistoryFilter narrowed;
        narrowed.text = QStringLiteral("t");
        narrowed.limit = 1000;
        narrowed.sort = HistorySort::Updated;
        narrowed.statuses = {JobStatus::Failed};
        QCOMPARE(ids(*m_store->history(narrowed, &error)), (QVector<qint64>{east.id, south.id}));
        QCOMPARE(*m_store->historyCount(narrowed, &error), 2);
        narrowed.errorCategory = ErrorCategory::Http;
        QCOMPARE(ids(*m_store->history(narrowed, &error)), QVector<qint64>{south.id});
        QCOMPARE(*m_store->historyCount(narrowed, &error), 1);
        narrowed.statuses = {JobStatus::Completed};
        narrowed.errorCategory.reset();
        QCOMPARE(ids(*m_store->history(narrowed, &error)), QVector<qint64>{north.id});
        narrowed.statuses.clear();
        narrowed.offset = 1;
        QCOMPARE(ids(*m_store->history(narrowed, &error)), (QVector<qint64>{east.id, south.id}));
    };
    check();
    // 30,000 queued jobs whose dealer holds "t": a search for "t" now reads the history, and
    // still finds only the finished jobs; the others are still found through their indexes.
    QStringList many;
    for (int k = 0; k < 30000; ++k)
        many << QStringLiteral("T%1").arg(k, 5, 10, QLatin1Char('0'));
    QVERIFY2(m_store->addJobs(many, newJob(QString()), &error), qPrintable(error.message));
    check();
}

void TestJobStore::historyOfFailedJobsFromTheirIndexes()
{
    // A filter that holds to failed and cancelled jobs (a status, an error category) reads them
    // from the message indexes: a message up to 400 characters, a longer one, and none at all
    // (which dealerq does not write, set here by hand) are each found once, with the filter's
    // other fields, in every order, page and total alike.
    StoreError error;
    QVERIFY(m_store->addJobs({"A", "B", "C", "D", "E"}, newJob(QString()), &error));
    const Job a = claim();
    QCOMPARE(m_store->completeJob(a, records(1), {}, nullptr, &error), FinishOutcome::Done);
    const Job b = claim();
    QCOMPARE(m_store->failJob(b, {"HTTP 500", ErrorCategory::Http}, {}, &error),
             FinishOutcome::Done);
    const Job c = claim();
    QCOMPARE(
        m_store->failJob(c, {QString(450, QLatin1Char('n')), ErrorCategory::Network}, {}, &error),
        FinishOutcome::Done);
    const Job e = claim();
    QCOMPARE(m_store->failJob(e, {"HTTP 502", ErrorCategory::Http}, {}, &error),
             FinishOutcome::Done);
    const qint64 d = m_store->queuedJobs(-1, &error)->first().id; // the last, cancelled queued
    QCOMPARE(*m_store->cancelJob(d, &error), CancelOutcome::Cancelled);
    {
        QSqlQuery q(m_store->database().db());
        QVERIFY(
            q.exec(QStringLiteral("UPDATE jobs SET error_message = NULL WHERE id = %1").arg(e.id)));
    }
    const auto found = [&](const std::function<void(HistoryFilter &)> &set, HistorySort sort) {
        HistoryFilter filter;
        filter.limit = 1000;
        filter.sort = sort;
        set(filter);
        const std::optional<QVector<Job>> jobs = m_store->history(filter, &error);
        const std::optional<qint64> total = m_store->historyCount(filter, &error);
        const std::optional<HistoryPage> page = m_store->historyPage(filter, &error);
        if (!jobs || !total || !page)
            return QVector<qint64>{-1};
        if (*total != jobs->size() + filter.offset || page->total != *total ||
            ids(page->jobs) != ids(*jobs))
            return QVector<qint64>{-2};
        return ids(*jobs);
    };
    const auto failed = [](HistoryFilter &f) { f.statuses = {JobStatus::Failed}; };
    const auto failedOrCancelled = [](HistoryFilter &f) {
        f.statuses = {JobStatus::Failed, JobStatus::Cancelled};
    };
    const auto http = [](HistoryFilter &f) { f.errorCategory = ErrorCategory::Http; };
    for (const HistorySort sort :
         {HistorySort::Updated, HistorySort::Status, HistorySort::ErrorCategory, HistorySort::JobId,
          HistorySort::FinishedAt}) {
        QCOMPARE(found(failed, sort).size(), 3);
        QCOMPARE(found(failedOrCancelled, sort).size(), 4);
        QCOMPARE(found(http, sort).size(), 2);
    }
    // Failed jobs have no records: by records updated, then by job ID, descending.
    QCOMPARE(found(failed, HistorySort::Updated), (QVector<qint64>{e.id, c.id, b.id}));
    QCOMPARE(found(failedOrCancelled, HistorySort::Updated),
             (QVector<qint64>{d, e.id, c.id, b.id}));
    QCOMPARE(found(http, HistorySort::Updated), (QVector<qint64>{e.id, b.id}));
    QCOMPARE(found(
                 [&](HistoryFilter &f) {
                     http(f);
                     f.dealerId = QStringLiteral("B");
                 },
                 HistorySort::Updated),
             QVector<qint64>{b.id});
    QCOMPARE(found(
                 [&](HistoryFilter &f) {
                     failed(f);
                     f.offset = 1;
                 },
                 HistorySort::Updated),
             (QVector<qint64>{c.id, b.id}));
    QCOMPARE(found([](HistoryFilter &f) { f.errorCategory = ErrorCategory::Auth; },
                   HistorySort::Updated),
             QVector<qint64>{});
}

void TestJobStore::countsByStatus()
{
    StoreError error;
    m_store->addJobs({"A", "B", "C", "D"}, newJob(QString()), &error);
    m_store->completeJob(claim(), records(1), {}, nullptr, &error);
    m_store->failJob(claim(), {"x", ErrorCategory::Http}, {}, &error);
    claim();
    const JobCounts counts = *m_store->counts(QDateTime::currentMSecsSinceEpoch(), &error);
    QCOMPARE(counts.queued, 1);
    QCOMPARE(counts.running, 1);
    QCOMPARE(counts.completed, 1);
    QCOMPARE(counts.failed, 1);
    QCOMPARE(counts.completedToday, 1);
    QCOMPARE(counts.failedToday, 1);
}

void TestJobStore::oneReadSeesOneMoment()
{
    // The window's refresh reads the queue, the counts and the history page in one read
    // (QueueOperations::snapshot()): what another connection commits meanwhile is not seen, so
    // a job that ends between two of them is in one place, never two or none.
    StoreError error;
    QVERIFY2(m_store->addJobs({"A", "B"}, newJob(QString()), &error), qPrintable(error.message));
    JobStore other(m_db->url());
    QVERIFY2(other.open(&error), qPrintable(error.message));
    {
        ReadTransaction read(m_store->database());
        QVERIFY2(m_store->begin(read, &error), qPrintable(error.message));
        const std::optional<QueueStatus> before = m_store->queueStatus(10, &error);
        QVERIFY2(before, qPrintable(error.message));
        QCOMPARE(before->queueLength, 2);
        QVERIFY(!before->current);
        // Meanwhile another connection claims A and finishes it, and queues C.
        const std::optional<Job> a = other.claimNext(QStringLiteral("runner-1"), &error);
        QVERIFY2(a, qPrintable(error.message));
        QVERIFY2(other.completeJob(*a, records(1), {}, nullptr, &error), qPrintable(error.message));
        QVERIFY2(other.addJob(newJob("C"), &error), qPrintable(error.message));
        const std::optional<JobCounts> counts = m_store->counts(0, &error);
        QVERIFY2(counts, qPrintable(error.message));
        QCOMPARE(counts->queued, 2);
        QCOMPARE(counts->completed, 0);
        const std::optional<QueueStatus> still = m_store->queueStatus(10, &error);
        QVERIFY2(still, qPrintable(error.message));
        QCOMPARE(ids(still->queued), ids(before->queued));
        const std::optional<QVector<Job>> history = m_store->history({}, &error);
        QVERIFY2(history, qPrintable(error.message));
        QVERIFY(history->isEmpty());
    }
    QVERIFY(!m_store->database().inTransaction());
    const std::optional<JobCounts> after = m_store->counts(0, &error);
    QVERIFY2(after, qPrintable(error.message));
    QCOMPARE(after->queued, 2);
    QCOMPARE(after->completed, 1);

    // Begun inside a write transaction, it is part of it and ends nothing.
    WriteTransaction write(m_store->database());
    QString why;
    QVERIFY2(write.begin(&why), qPrintable(why));
    {
        ReadTransaction read(m_store->database());
        QVERIFY2(m_store->begin(read, &error), qPrintable(error.message));
        QVERIFY(m_store->counts(0, &error));
    }
    QVERIFY(m_store->database().inTransaction());
    QVERIFY2(write.commit(&why), qPrintable(why));
    QVERIFY(!m_store->database().inTransaction());
}

void TestJobStore::completeUpsertsRecords()
{
    StoreError error;
    m_store->addJob(newJob("12284"), &error);
    JobResult result;
    result.pages = 2;
    result.fetched = 3;
    const Job first = claim();
    QCOMPARE(*m_store->completeJob(first, records(3), {{5, "fetched"}}, &result, &error),
             FinishOutcome::Done);
    QCOMPARE(result.inserted, 3);
    QCOMPARE(result.updated, 0);
    QCOMPARE(result.unchanged, 0);
    const Job stored = *m_store->job(first.id, &error);
    QCOMPARE(stored.status, JobStatus::Completed);
    QVERIFY(stored.result);
    QCOMPARE(stored.result->pages, 2);
    QCOMPARE(stored.result->inserted, 3);
    QCOMPARE(m_store->jobLogs(first.id, &error)->first().message, QStringLiteral("fetched"));

    // The same window again: nothing new. One changed record and one new: counted as such.
    m_store->addJob(newJob("12284"), &error);
    JobResult again;
    QVERIFY(m_store->completeJob(claim(), records(3), {}, &again, &error));
    QCOMPARE(again.unchanged, 3);
    QCOMPARE(again.inserted + again.updated, 0);
    m_store->addJob(newJob("12284"), &error);
    QVector<FetchedRecord> changed = records(4);
    changed[1] = FetchedRecord(changed[1].id(), changed[1].updatedAt(),
                               R"({"id":"P-000002","changed":true})");
    // An id repeated within a job is simply upserted again.
    changed.push_back(changed[1]);
    JobResult third;
    QVERIFY(m_store->completeJob(claim(), changed, {}, &third, &error));
    QCOMPARE(third.inserted, 1);
    QCOMPARE(third.updated, 1);
    QCOMPARE(third.unchanged, 3);
    QCOMPARE(*m_store->recordCount(&error), 4);
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT payload FROM records WHERE record_id = 'P-000002'") && q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral(R"({"id":"P-000002","changed":true})"));
}

void TestJobStore::completeUpsertsManyRecordsAsOneByOne_data()
{
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<bool>("repeats");
    QTest::addColumn<int>("storedBefore");
    QTest::addColumn<bool>("lastPageGiven");
    // PostgreSQL's merge takes a slower form when a record came more than once.
    QTest::newRow("given to the completion") << 0 << true << 1200 << false;
    QTest::newRow("staged in pages of 250") << 250 << true << 1200 << false;
    QTest::newRow("given, every record once") << 0 << false << 1200 << false;
    QTest::newRow("staged, every record once") << 250 << false << 1200 << false;
    // Staged records that are all new go in by one statement on both backends; when one is
    // stored already or comes twice, record by record (SQLite) or through the merge.
    QTest::newRow("a first fetch, staged") << 250 << false << 0 << false;
    QTest::newRow("a first fetch, staged, some twice") << 250 << true << 0 << false;
    QTest::newRow("a first fetch, staged, the last page given and repeating one")
        << 250 << false << 0 << true;
}

void TestJobStore::completeUpsertsManyRecordsAsOneByOne()
{
    QFETCH(int, pageSize);
    QFETCH(bool, repeats);
    QFETCH(int, storedBefore);
    QFETCH(bool, lastPageGiven);
    // More records than one statement takes (PostgreSQL writes them in batches), new, changed
    // and unchanged mixed, and (when `repeats`) ids repeated within the job, across a batch's
    // end and inside one: the counts and the rows must be those of upserting each record in
    // turn.
    StoreError error;
    m_store->addJob(newJob("12284"), &error);
    QVERIFY(m_store->completeJob(claim(), records(storedBefore), {}, nullptr, &error));

    QVector<FetchedRecord> fetched = records(1700); // those past storedBefore are new
    const QVector<FetchedRecord> changed = records(1700, "b");
    for (int i = 300; i < 900; i += 3)
        fetched[i] = changed[i];                 // 200 changed
    if (repeats) {
        fetched.insert(499, changed[10]);            // P-000011 changed, then...
        fetched.insert(501, records(11).last());     // ...back, across a batch's end
        fetched.insert(520, fetched[520]);           // the same record twice in a row
        fetched.insert(1260, changed[1250]);         // a new one, changed at once
        fetched.insert(60, changed[50]);             // P-000051 unchanged, changed,
        fetched.insert(61, records(51, "c").last()); // and changed again
        fetched.push_back(records(1).first());       // an unchanged one again
    }
    if (lastPageGiven)
        fetched.push_back(changed[5]); // in the last page only: P-000006 again, changed

    // The model: each record in turn against what is stored by then.
    QHash<QString, QByteArray> stored;
    for (const FetchedRecord &record : records(storedBefore))
        stored.insert(record.id(), record.payload().toByteArray());
    JobResult expected;
    for (const FetchedRecord &record : fetched) {
        const auto it = stored.find(record.id());
        if (it == stored.end())
            ++expected.inserted;
        else if (*it == record.payload())
            ++expected.unchanged;
        else
            ++expected.updated;
        stored.insert(record.id(), record.payload().toByteArray());
    }
    QVERIFY(expected.inserted > 0);
    QCOMPARE(expected.updated > 0, storedBefore > 0 || repeats || lastPageGiven);
    QCOMPARE(expected.unchanged > 0, storedBefore > 0 || repeats);
    // 1,700 ids, each once or some more than once
    QCOMPARE(fetched.size() > 1700, repeats || lastPageGiven);

    m_store->addJob(newJob("12284"), &error);
    JobResult result;
    const Job job = claim();
    if (pageSize > 0) {
        // As the runner does it: each page staged as it arrives, the completion given none
        // (or the last page, as the runner gives it).
        const qsizetype toStage =
            lastPageGiven ? (fetched.size() - 1) / pageSize * pageSize : fetched.size();
        for (qsizetype from = 0; from < toStage; from += pageSize)
            QVERIFY2(m_store->stageRecords(job, fetched.mid(from, qMin(pageSize, toStage - from)),
                                           &error),
                     qPrintable(error.message));
        QCOMPARE(m_store->stagedRecords(job), toStage);
        // nothing in before the completion
        QCOMPARE(*m_store->recordCount(&error), storedBefore);
        fetched.remove(0, toStage);
    }
    QVERIFY2(m_store->completeJob(job, fetched, {}, &result, &error), qPrintable(error.message));
    QCOMPARE(m_store->stagedRecords(job), 0);
    if (pageSize > 0)
        QCOMPARE(stagedRows(*m_store), 0);
    QCOMPARE(result.inserted, expected.inserted);
    QCOMPARE(result.updated, expected.updated);
    QCOMPARE(result.unchanged, expected.unchanged);
    QCOMPARE(*m_store->recordCount(&error), qint64(stored.size()));
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT record_id, payload FROM records"));
    qsizetype rows = 0;
    while (q.next()) {
        ++rows;
        QCOMPARE(q.value(1).toString().toUtf8(), stored.value(q.value(0).toString()));
    }
    QCOMPARE(rows, stored.size());
}

void TestJobStore::anUnfinishedAttemptLeavesNothingStaged()
{
    // An attempt cut off after two pages, the next attempt of the same job, and a job that
    // failed after a page: what the job completes with is only what its completing attempt
    // staged. (Through the staging table: firstFetchGoesThroughASpoolFile() has the spool's.)
    m_store->setSpoolLimit(0);
    StoreError error;
    m_store->addJob(newJob("A"), &error);
    const Job first = claim();
    QVERIFY(m_store->stageRecords(first, records(300, "old"), &error));
    QVERIFY(m_store->stageRecords(first, records(300, "old").mid(100), &error));
    QVERIFY(m_store->requeueInterrupted(first, 5, ErrorCategory::Interrupted, "cut off", &error));
    const Job second = claim();
    QCOMPARE(second.id, first.id);
    QCOMPARE(m_store->stagedRecords(second), 0);
    QVERIFY(m_store->stageRecords(second, records(40), &error));
    JobResult result;
    QVERIFY2(m_store->completeJob(second, {}, {}, &result, &error), qPrintable(error.message));
    QCOMPARE(result.inserted, 40);
    QCOMPARE(result.updated + result.unchanged, 0);

    m_store->addJob(newJob("B"), &error);
    m_store->addJob(newJob("C"), &error);
    const Job failing = claim();
    QVERIFY(m_store->stageRecords(failing, records(70, "b"), &error));
    QVERIFY(m_store->failJob(failing, {"the dealer API answered 500", ErrorCategory::Http}, {},
                             &error));
    QCOMPARE(stagedRows(*m_store), 70); // left until the next attempt's first page
    const Job next = claim();
    QVERIFY(m_store->stageRecords(next, records(5, "c"), &error));
    QCOMPARE(stagedRows(*m_store), 5);
    QVERIFY2(m_store->completeJob(next, {}, {}, &result, &error), qPrintable(error.message));
    QCOMPARE(result.inserted, 5);
    QCOMPARE(*m_store->recordCount(&error), 45);
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT dealer_id, COUNT(*) FROM records GROUP BY dealer_id ORDER BY 1"));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("A"));
    QCOMPARE(q.value(1).toInt(), 40);
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toString(), QStringLiteral("C"));
    QCOMPARE(q.value(1).toInt(), 5);
    QVERIFY(!q.next());
}

void TestJobStore::stagedBytesComeBackExactly_data()
{
    QTest::addColumn<int>("staged");
    QTest::newRow("two staged, one at the commit") << 2;
    // PostgreSQL: a job of one page passes its records to the merge as arrays.
    QTest::newRow("all at the commit") << 0;
}

void TestJobStore::stagedBytesComeBackExactly()
{
    // What the staging's own formats must carry through (PostgreSQL's COPY escapes a backslash,
    // tab, newline and carriage return; an array literal quotes and escapes `"` and `\`): JSON
    // whitespace of every kind, escapes, non-ASCII ids, an array's own punctuation.
    QFETCH(int, staged);
    const QVector<FetchedRecord> fetched{
        {QStringLiteral("P\\1"), QStringLiteral("2025-06-12T09:31:00Z"),
         QByteArray("{\"id\":\"P\\\\1\",\r\n\t\"note\":\"a\\tb\\nc \\u00e9\"}")},
        {QStringLiteral("Ü-2 \t"), QString(),
         QByteArray("{\"id\":\"\u00dc-2 \\t\",\n\"v\":[1,\t2]}")},
        {QStringLiteral("P3"), QStringLiteral("2025-06-12T09:31:00Z"),
         QByteArray("{\"id\":\"P3\"}")},
        {QStringLiteral("Q\"{a,b}\\ NULL"), QStringLiteral("NULL"),
         QByteArray("{\"id\":\"Q\\\"{a,b}\\\\ NULL\",\"v\":{}}")},
    };
    StoreError error;
    m_store->addJob(newJob("A"), &error);
    const Job job = claim();
    if (staged > 0)
        QVERIFY2(m_store->stageRecords(job, fetched.mid(0, staged), &error),
                 qPrintable(error.message));
    JobResult result;
    QVERIFY2(m_store->completeJob(job, fetched.mid(staged), {}, &result, &error),
             qPrintable(error.message));
    QCOMPARE(result.inserted, qint64(fetched.size()));
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT record_id, payload, updated_at FROM records ORDER BY record_id"));
    QHash<QString, QPair<QByteArray, QString>> stored;
    while (q.next())
        stored.insert(q.value(0).toString(),
                      {q.value(1).toString().toUtf8(), q.value(2).toString()});
    QCOMPARE(stored.size(), fetched.size());
    for (const FetchedRecord &record : fetched) {
        QVERIFY2(stored.contains(record.id()), qPrintable(record.id()));
        QCOMPARE(stored.value(record.id()).first, record.payload().toByteArray());
        QCOMPARE(stored.value(record.id()).second, record.updatedAt());
    }
}

void TestJobStore::stagingTakesNoLockOfTheDatabase()
{
    // SPEC §1: no write transaction on the shared database while a job waits on the network.
    // Pages are staged while another connection holds the write lock (PostgreSQL has no such
    // lock; there a TEMP table's rows are the session's own all the same).
    StoreError error;
    m_store->addJob(newJob("A"), &error);
    const Job job = claim();
    JobStore other(m_db->url());
    QVERIFY2(other.open(&error), qPrintable(error.message));
    WriteTransaction holding(other.database());
    QString why;
    QVERIFY2(holding.begin(&why), qPrintable(why));
    QSqlQuery write(other.database().db());
    QVERIFY(write.exec("UPDATE meta SET value = value WHERE key = 'schema_version'"));
    for (int page = 0; page < 3; ++page)
        QVERIFY2(m_store->stageRecords(job, records(500, QString::number(page)), &error),
                 qPrintable(error.message));
    QCOMPARE(m_store->stagedRecords(job), 1500);
    holding.rollback();
    JobResult result;
    QVERIFY2(m_store->completeJob(job, {}, {}, &result, &error), qPrintable(error.message));
    QCOMPARE(result.inserted, 500);
    QCOMPARE(result.updated, 1000);
}

void TestJobStore::stagedRowsLostWithTheConnectionFailTheMerge()
{
    // A TEMP table goes with its connection: a job whose connection was opened again while it
    // ran cannot complete with the pages staged since, and keeps nothing. (A first fetch on
    // PostgreSQL keeps its pages in a file instead, which outlives the connection: not here.)
    m_store->setSpoolLimit(0);
    StoreError error;
    m_store->addJob(newJob("A"), &error);
    const Job job = claim();
    QVERIFY(m_store->stageRecords(job, records(30), &error));
    QVERIFY2(m_store->reopen(&error), qPrintable(error.message));
    QVERIFY(m_store->stageRecords(job, records(60).mid(30), &error));
    JobResult result;
    QVERIFY(!m_store->completeJob(job, {}, {}, &result, &error));
    QVERIFY2(error.message.contains("30 of its 60 records were staged"), qPrintable(error.message));
    QCOMPARE(*m_store->recordCount(&error), 0);
    QCOMPARE(m_store->job(job.id, &error)->status, JobStatus::Running);
}

void TestJobStore::firstFetchGoesThroughASpoolFile()
{
    // PostgreSQL: a dealer's first fetch waits in a local file without a name (a killed
    // process leaves nothing behind), which outlives a new connection, and goes into `records`
    // as it is with the completion, counted in `record_counts`. A re-fetch stages in the
    // server. SQLite stages every job in its staging table.
    QTemporaryDir spoolDir;
    QVERIFY(spoolDir.isValid());
    m_store->setSpoolDirectory(spoolDir.path());
    const auto filesLeft = [&] {
        return QDir(spoolDir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System);
    };
    const bool postgres = !m_store->database().isSqlite();
    StoreError error;
    m_store->addJob(newJob("A"), &error);
    const Job job = claim();
    const QVector<FetchedRecord> fetched = records(1200);
    QVERIFY2(m_store->stageRecords(job, fetched.mid(0, 500), &error), qPrintable(error.message));
    QCOMPARE(m_store->isSpooling(job), postgres);
    QCOMPARE(filesLeft(), QStringList());
    QCOMPARE(stagedRows(*m_store), postgres ? 0 : 500);
    QVERIFY2(m_store->stageRecords(job, fetched.mid(500, 500), &error), qPrintable(error.message));
    if (postgres) {
        QVERIFY2(m_store->reopen(&error), qPrintable(error.message));
        QVERIFY(m_store->isSpooling(job));
    }
    JobResult result;
    QVERIFY2(m_store->completeJob(job, fetched.mid(1000), {}, &result, &error),
             qPrintable(error.message));
    QCOMPARE(result.inserted, 1200);
    QCOMPARE(result.updated + result.unchanged, 0);
    QVERIFY(!m_store->isSpooling(job));
    QCOMPARE(filesLeft(), QStringList());
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT COUNT(*), MIN(job_id), MAX(job_id), MIN(fetch_type) FROM records "
                   "WHERE dealer_id = 'A'") &&
            q.next());
    QCOMPARE(q.value(0).toInt(), 1200);
    QCOMPARE(q.value(1).toLongLong(), job.id);
    QCOMPARE(q.value(2).toLongLong(), job.id);
    QCOMPARE(q.value(3).toString(), QStringLiteral("prospect"));
    QVERIFY(q.exec("SELECT records FROM record_counts WHERE dealer_id = 'A'") && q.next());
    QCOMPARE(q.value(0).toInt(), 1200);

    // The same dealer and type again: records are stored, so PostgreSQL stages the pages in
    // the server, to be merged.
    m_store->addJob(newJob("A"), &error);
    const Job again = claim();
    QVERIFY2(m_store->stageRecords(again, records(600, "b").mid(0, 500), &error),
             qPrintable(error.message));
    QVERIFY(!m_store->isSpooling(again));
    QCOMPARE(stagedRows(*m_store), 500);
    QVERIFY2(m_store->completeJob(again, records(600, "b").mid(500), {}, &result, &error),
             qPrintable(error.message));
    QCOMPARE(result.inserted, 0);
    QCOMPARE(result.updated, 600);

    // An attempt cut off while spooling leaves nothing for the next one.
    m_store->addJob(newJob("B"), &error);
    const Job cut = claim();
    QVERIFY(m_store->stageRecords(cut, records(300, "old"), &error));
    QCOMPARE(m_store->isSpooling(cut), postgres);
    QVERIFY(m_store->requeueInterrupted(cut, 5, ErrorCategory::Interrupted, "cut off", &error));
    const Job retried = claim();
    QCOMPARE(retried.id, cut.id);
    QVERIFY(m_store->stageRecords(retried, records(40), &error));
    QCOMPARE(m_store->stagedRecords(retried), 40);
    QVERIFY2(m_store->completeJob(retried, {}, {}, &result, &error), qPrintable(error.message));
    QCOMPARE(result.inserted, 40);
    QVERIFY(
        q.exec("SELECT COUNT(*), MIN(CAST(payload AS TEXT)) FROM records WHERE dealer_id = 'B'") &&
        q.next());
    QCOMPARE(q.value(0).toInt(), 40);
    QVERIFY(!q.value(1).toString().contains("old"));
    QCOMPARE(filesLeft(), QStringList());

    // Where no spool file can be made, the staging table takes the job, and the log says why.
    m_store->setSpoolDirectory(spoolDir.filePath("missing"));
    m_store->addJob(newJob("C"), &error);
    const Job unspooled = claim();
    if (postgres)
        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression("job \\d+ stages its records in the database: "
                                                "cannot make a spool file in .*missing: "));
    QVERIFY(m_store->stageRecords(unspooled, records(30), &error));
    QVERIFY(!m_store->isSpooling(unspooled));
    QCOMPARE(stagedRows(*m_store), 30);
    QVERIFY2(m_store->completeJob(unspooled, records(31).mid(30), {}, &result, &error),
             qPrintable(error.message));
    QCOMPARE(result.inserted, 31);
}

void TestJobStore::spoolPastItsLimitMovesToTheStagingTable()
{
    // PostgreSQL: a first fetch bigger than the spool's limit moves into the staging table at
    // the page that crosses it, and the later pages follow; a record fetched on both sides of
    // the move is compared with its first copy, as one record after the other. (SQLite: the
    // same records through its staging table.)
    m_store->setSpoolLimit(600);
    const bool postgres = !m_store->database().isSqlite();
    StoreError error;
    m_store->addJob(newJob("A"), &error);
    const Job job = claim();
    QVector<FetchedRecord> fetched = records(1500);
    fetched[1300] = records(301, "b").last(); // P-000301 again, changed
    fetched[1301] = records(302).last();      // P-000302 again, the same
    for (int from = 0; from < 1500; from += 250) {
        QVERIFY2(m_store->stageRecords(job, fetched.mid(from, 250), &error),
                 qPrintable(error.message));
        QCOMPARE(m_store->isSpooling(job), postgres && from + 250 <= 600);
        QCOMPARE(stagedRows(*m_store), postgres && from + 250 <= 600 ? 0 : from + 250);
    }
    QCOMPARE(m_store->stagedRecords(job), 1500);
    JobResult result;
    QVERIFY2(m_store->completeJob(job, {}, {}, &result, &error), qPrintable(error.message));
    QCOMPARE(result.inserted, 1498);
    QCOMPARE(result.updated, 1);
    QCOMPARE(result.unchanged, 1);
    QCOMPARE(*m_store->recordCount(&error), 1498);
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT payload FROM records WHERE record_id = 'P-000301'") && q.next());
    QVERIFY(q.value(0).toString().contains(R"("v":"b")"));
}

void TestJobStore::spooledRecordStoredMeanwhileTakesTheMerge()
{
    // Should a record of a spooled first fetch be stored by the time the job commits (written
    // by hand here: only the runner writes `records`), the copy into `records` is undone and
    // the merge compares the rows, counting them exactly.
    StoreError error;
    m_store->addJob(newJob("A"), &error);
    const Job job = claim();
    const QVector<FetchedRecord> fetched = records(900);
    QVERIFY2(m_store->stageRecords(job, fetched.mid(0, 450), &error), qPrintable(error.message));
    QVERIFY2(m_store->stageRecords(job, fetched.mid(450, 400), &error), qPrintable(error.message));
    QSqlQuery q(m_store->database().db());
    q.prepare("INSERT INTO records (dealer_id, fetch_type, record_id, payload, updated_at, "
              "job_id) VALUES ('A', 'prospect', ?, ?, NULL, NULL)");
    q.addBindValue(fetched[700].id());
    q.addBindValue(QString::fromUtf8(fetched[700].payload())); // the same
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    q.addBindValue(fetched[20].id());
    q.addBindValue(QStringLiteral(R"({"id":"P-000021","v":"stored"})")); // another
    QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    JobResult result;
    error = {};
    QVERIFY2(m_store->completeJob(job, fetched.mid(850), {}, &result, &error),
             qPrintable(error.message));
    QVERIFY2(!error.isSet(), qPrintable(error.message)); // the failed COPY is no error of its
    QCOMPARE(result.inserted, 898);
    QCOMPARE(result.updated, 1);
    QCOMPARE(result.unchanged, 1);
    QCOMPARE(*m_store->recordCount(&error), 900);
    QVERIFY(q.exec("SELECT COUNT(*) FROM records WHERE job_id = " + QString::number(job.id)) &&
            q.next());
    QCOMPARE(q.value(0).toInt(), 899); // the unchanged one is left as it was
}

void TestJobStore::spoolThatCannotBeWrittenMovesToTheStagingTable()
{
    // A spool file that cannot take a page (its disk full: here the process's file size limit)
    // moves what it holds into the staging table, the page follows it there, and the job
    // completes with every record; the log says why. The same for the last page, which the
    // commit appends.
    if (m_store->database().isSqlite())
        QSKIP("a spool file is PostgreSQL's");
    // 500 records are about 50 KB of rows: a second page's write passes 64 KB.
    const auto withFileSizeLimit = [](const std::function<bool()> &run) {
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit old{};
        ::getrlimit(RLIMIT_FSIZE, &old);
        rlimit small = old;
        small.rlim_cur = 64 * 1024;
        const bool limited = ::setrlimit(RLIMIT_FSIZE, &small) == 0;
        const bool ran = run();
        ::setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);
        return limited && ran;
    };
    StoreError error;
    m_store->addJob(newJob("A"), &error);
    const Job job = claim();
    const QVector<FetchedRecord> fetched = records(1500);
    QVERIFY2(m_store->stageRecords(job, fetched.mid(0, 500), &error), qPrintable(error.message));
    QVERIFY(m_store->isSpooling(job));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression("job \\d+ stages its records in the database "
                                            "from now: cannot write the spool file: "));
    QVERIFY2(withFileSizeLimit(
                 [&] { return m_store->stageRecords(job, fetched.mid(500, 500), &error); }),
             qPrintable(error.message));
    QVERIFY(!m_store->isSpooling(job));
    QCOMPARE(stagedRows(*m_store), 1000);
    QVERIFY2(m_store->stageRecords(job, fetched.mid(1000, 400), &error), qPrintable(error.message));
    QCOMPARE(stagedRows(*m_store), 1400);
    JobResult result;
    QVERIFY2(m_store->completeJob(job, fetched.mid(1400), {}, &result, &error),
             qPrintable(error.message));
    QCOMPARE(result.inserted, 1500);

    m_store->addJob(newJob("B"), &error);
    const Job last = claim();
    QVERIFY2(m_store->stageRecords(last, fetched.mid(0, 500), &error), qPrintable(error.message));
    QVERIFY(m_store->isSpooling(last));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression("job \\d+ stages its records in the database: "
                                            "cannot write the spool file: "));
    QVERIFY2(withFileSizeLimit([&] {
                 return m_store->completeJob(last, fetched.mid(500, 500), {}, &result, &error)
                     .has_value();
             }),
             qPrintable(error.message));
    QCOMPARE(result.inserted, 1000);

    QCOMPARE(*m_store->recordCount(&error), 2500);
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT dealer_id, COUNT(DISTINCT record_id) FROM records GROUP BY dealer_id "
                   "ORDER BY dealer_id") &&
            q.next());
    QCOMPARE(q.value(1).toInt(), 1500);
    QVERIFY(q.next());
    QCOMPARE(q.value(1).toInt(), 1000);
}

void TestJobStore::cancelRequestedBeforeCommitKeepsNothing()
{
    StoreError error;
    m_store->addJob(newJob("A"), &error);
    const Job job = claim();
    QCOMPARE(*m_store->cancelJob(job.id, &error), CancelOutcome::AbortRequested);
    JobResult result;
    QCOMPARE(*m_store->completeJob(job, records(5), {}, &result, &error),
             FinishOutcome::CancelledInstead);
    const Job stored = *m_store->job(job.id, &error);
    QCOMPARE(stored.status, JobStatus::Cancelled);
    QCOMPARE(stored.error.category, ErrorCategory::Cancelled);
    QVERIFY(!stored.result);
    QCOMPARE(*m_store->recordCount(&error), 0);
}

void TestJobStore::finishByAnotherRunnerWritesNothing()
{
    StoreError error;
    m_store->addJob(newJob("A"), &error);
    Job job = claim("runner-1");
    job.runnerId = "runner-2";
    QCOMPARE(*m_store->completeJob(job, records(2), {}, nullptr, &error), FinishOutcome::NotOurs);
    QCOMPARE(*m_store->recordCount(&error), 0);
    QCOMPARE(m_store->job(job.id, &error)->status, JobStatus::Running);
}

void TestJobStore::finishClaimsTheNextInTheSameCommit()
{
    StoreError error;
    m_store->addJobs({"A", "B", "C"}, newJob(QString()), &error);
    const Job a = claim();
    FinishFollowUp followUp;
    followUp.claimFor = QStringLiteral("runner-1");
    JobResult result;
    QCOMPARE(*m_store->completeJob(a, records(2), {}, &result, &error, &followUp),
             FinishOutcome::Done);
    QVERIFY(followUp.finished);
    QCOMPARE(followUp.finished->id, a.id);
    QCOMPARE(followUp.finished->status, JobStatus::Completed);
    QCOMPARE(followUp.finished->result->inserted, 2);
    QVERIFY(followUp.next);
    QCOMPARE(followUp.next->dealerId, QStringLiteral("B"));
    QCOMPARE(followUp.next->status, JobStatus::Running);
    QCOMPARE(followUp.next->attempts, 1);
    QCOMPARE(m_store->job(followUp.next->id, &error)->status, JobStatus::Running);

    // A failure claims the next too; a paused queue gives none, and leaves it queued.
    const Job b = *followUp.next;
    FinishFollowUp afterB;
    afterB.claimFor = QStringLiteral("runner-1");
    QVERIFY(m_store->setPaused(true, &error));
    QCOMPARE(
        *m_store->failJob(b, {QStringLiteral("boom"), ErrorCategory::Http}, {}, &error, &afterB),
        FinishOutcome::Done);
    QCOMPARE(afterB.finished->status, JobStatus::Failed);
    QVERIFY(!afterB.next);
    QCOMPARE(m_store->queuedJobs(-1, &error)->size(), 1);

    // Without claimFor nothing is claimed; a job that is not ours claims nothing either.
    QVERIFY(m_store->setPaused(false, &error));
    const Job c = claim();
    FinishFollowUp notOurs;
    notOurs.claimFor = QStringLiteral("runner-2");
    Job stolen = c;
    stolen.runnerId = QStringLiteral("runner-2");
    m_store->addJob(newJob("D"), &error);
    QCOMPARE(*m_store->completeJob(stolen, records(1), {}, &result, &error, &notOurs),
             FinishOutcome::NotOurs);
    QVERIFY(!notOurs.finished);
    QVERIFY(!notOurs.next);
    QCOMPARE(m_store->queuedJobs(-1, &error)->size(), 1);
    FinishFollowUp noClaim;
    QCOMPARE(*m_store->completeJob(c, records(1), {}, &result, &error, &noClaim),
             FinishOutcome::Done);
    QCOMPARE(noClaim.finished->status, JobStatus::Completed);
    QVERIFY(!noClaim.next);
    QCOMPARE(m_store->queuedJobs(-1, &error)->size(), 1);
}

void TestJobStore::recoversInterruptedJobs()
{
    StoreError error;
    m_store->addJobs({"A", "B"}, newJob(QString()), &error);
    const Job a = claim(); // the process running it dies here
    QCOMPARE(*m_store->recoverInterrupted(5, &error), 1);
    Job recovered = *m_store->job(a.id, &error);
    QCOMPARE(recovered.status, JobStatus::Queued);
    QCOMPARE(recovered.attempts, 1);
    QVERIFY(m_store->jobLogs(a.id, &error)->last().message.contains("cut off"));
    QCOMPARE(m_store->queuedJobs(1, &error)->first().id, a.id); // runs next again

    // After the last allowed attempt it fails as interrupted instead.
    for (int attempt = 2; attempt <= 3; ++attempt) {
        const Job again = claim();
        QCOMPARE(again.id, a.id);
        QCOMPARE(again.attempts, attempt);
        QCOMPARE(*m_store->recoverInterrupted(3, &error), 1);
    }
    recovered = *m_store->job(a.id, &error);
    QCOMPARE(recovered.status, JobStatus::Failed);
    QCOMPARE(recovered.error.category, ErrorCategory::Interrupted);
    QVERIFY(recovered.error.message.contains("3 attempts"));
    // Each cut-off attempt is kept as interrupted; the last one failed.
    const QVector<JobAttempt> attempts = *m_store->jobAttempts(a.id, &error);
    QCOMPARE(attempts.size(), 3);
    QCOMPARE(attempts[0].outcome, QStringLiteral("interrupted"));
    QVERIFY2(attempts[0].error.message.contains("cut off"), qPrintable(attempts[0].error.message));
    QCOMPARE(attempts[0].error.category, ErrorCategory::Interrupted);
    QCOMPARE(attempts[1].outcome, QStringLiteral("interrupted"));
    QCOMPARE(attempts[2].outcome, QStringLiteral("failed"));
    QCOMPARE(claim().dealerId, QStringLiteral("B"));
}

void TestJobStore::interruptedTwinIsNotQueuedTwice()
{
    StoreError error;
    m_store->addJob(newJob("A"), &error);
    const Job running = claim();
    const qint64 twin = m_store->addJob(newJob("A"), &error)->job.id;
    QVERIFY(twin != running.id);
    QVERIFY(m_store->recoverInterrupted(5, &error));
    const Job after = *m_store->job(running.id, &error);
    QCOMPARE(after.status, JobStatus::Cancelled);
    QVERIFY(after.error.message.contains(QString::number(twin)));
    QCOMPARE(m_store->queuedJobs(-1, &error)->size(), 1);
}

void TestJobStore::forEachJobReadsInChunks()
{
    StoreError error;
    QStringList ids;
    for (int i = 0; i < 4500; ++i)
        ids << QStringLiteral("D%1").arg(i);
    QVERIFY(m_store->addJobs(ids, newJob(QString()), &error));
    qint64 last = 0;
    int seen = 0;
    QVERIFY(m_store->forEachJob(
        [&](const Job &job) {
            if (job.id <= last)
                return false;
            last = job.id;
            ++seen;
            return true;
        },
        &error));
    QCOMPARE(seen, 4500);
}

QTEST_GUILESS_MAIN(TestJobStore)
#include "tst_jobstore.moc"
