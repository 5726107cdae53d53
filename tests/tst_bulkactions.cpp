#include "api/apihandler.h"
#include "job/actor.h"
#include "job/fetchedrecord.h"
#include "queue/queueoperations.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QTest>
#include <QUrlQuery>

namespace {

const QByteArray Token = "bulk-test-token-0123456789";
constexpr qint64 Day = 24 * 3600 * 1000;

QVector<FetchedRecord> records(const QString &dealer, int count)
{
    QVector<FetchedRecord> list;
    for (int i = 1; i <= count; ++i) {
        const QString id = QStringLiteral("%1-%2").arg(dealer).arg(i);
        list.push_back({id, QStringLiteral("2025-06-12T09:31:00Z"),
                        QStringLiteral(R"({"id":"%1","updated_at":"2025-06-12T09:31:00Z"})")
                            .arg(id)
                            .toUtf8()});
    }
    return list;
}

QVector<qint64> ids(const QJsonValue &array)
{
    QVector<qint64> out;
    for (const QJsonValue &v : array.toArray())
        out.push_back(v.toInteger());
    return out;
}

} // namespace

/// The bulk actions of SPEC §7 — retry and cancel by filter, removing old history — and the
/// history's search, through the REST API and the queue's named operations, on SQLite and
/// (as tst_bulkactions_pg) PostgreSQL: filters that match none, some and all, twins skipped,
/// the running job never touched, and a refused request changing nothing.
class TestBulkActions final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void retryByFilterNoneSomeAll();
    void retrySkipsTwins();
    void retryByFinishedTime();
    void retryKeepsAttempts();
    void cancelByFilterNoneSomeAll();
    void cancelNeedsAFieldOrAll();
    void removeOlderThanDays();
    void refusedRequestsChangeNothing_data();
    void refusedRequestsChangeNothing();
    void operationsCarryIdsAndEffects();
    void actsOnlyOnTheCountConfirmed();
    void apiActsOnlyOnTheCountExpected();
    void historySearch();
    void historySortsInTheDatabase();
    void historySortsEveryColumnInTheDatabase();
    void historyRefusesBadParameters_data();
    void historyRefusesBadParameters();

private:
    /// Queues a job for `dealer` and `type` and runs it to `status` (failed with `category`).
    qint64 finished(const QString &dealer, const QString &type, JobStatus status,
                    ErrorCategory category = ErrorCategory::Http, const QString &message = {},
                    qint64 fromMs = 1749686400000);
    qint64 queued(const QString &dealer, const QString &type, int priority = 0,
                  qint64 fromMs = 1749686400000);
    void setFinishedAt(qint64 id, qint64 ms);
    /// Every job as "id status finished position", in ID order: what a refusal must not change.
    QStringList table();
    ApiResponse call(const QByteArray &method, const QString &path, const QByteArray &body = {});
    static QJsonObject json(const ApiResponse &response)
    {
        return QJsonDocument::fromJson(response.body).object();
    }
    static QString field(const ApiResponse &response)
    {
        return json(response).value("error").toObject().value("field").toString();
    }
    /// The job IDs of GET /jobs/history with `query`, in the order given.
    QVector<qint64> historyIds(const QString &query, qint64 *total = nullptr);

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<ApiHandler> m_handler;
    int m_changes = 0;
    QList<qint64> m_cancels;
};

void TestBulkActions::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    ApiHandler::Config config;
    config.fetchTypes = QStringList{"prospect", "sales", "service", "inventory"};
    config.token = [] { return Token; };
    config.queueChanged = [this] { ++m_changes; };
    config.cancelRunning = [this](qint64 id) { m_cancels << id; };
    m_handler = std::make_unique<ApiHandler>(*m_store, config);
    m_changes = 0;
    m_cancels.clear();
}

void TestBulkActions::cleanup()
{
    m_handler.reset();
    m_store.reset();
    m_db.reset();
}

qint64 TestBulkActions::queued(const QString &dealer, const QString &type, int priority,
                               qint64 fromMs)
{
    NewJob job;
    job.dealerId = dealer;
    job.fetchType = type;
    job.fromMs = fromMs;
    job.toMs = fromMs + Day - 1000;
    job.priority = priority;
    job.createdBy = QStringLiteral("cli:test@host");
    StoreError error;
    const std::optional<AddOutcome> added = m_store->addJob(job, &error);
    if (!added || added->duplicate)
        qFatal("cannot queue %s: %s", qPrintable(dealer), qPrintable(error.message));
    return added->job.id;
}

qint64 TestBulkActions::finished(const QString &dealer, const QString &type, JobStatus status,
                                 ErrorCategory category, const QString &message, qint64 fromMs)
{
    const qint64 id = queued(dealer, type, 1000000, fromMs);
    StoreError error;
    if (status == JobStatus::Cancelled) {
        m_store->cancelJob(id, &error);
        return id;
    }
    const std::optional<Job> job = m_store->claimNext(QStringLiteral("runner-1"), &error);
    if (!job || job->id != id)
        qFatal("cannot claim job %lld: %s", id, qPrintable(error.message));
    if (status == JobStatus::Completed) {
        JobResult result;
        result.pages = 1;
        result.fetched = 2;
        m_store->completeJob(*job, records(dealer, 2), {{1, "done"}}, &result, &error);
    } else {
        m_store->failJob(
            *job,
            {message.isEmpty() ? QStringLiteral("HTTP 500 from the source") : message, category},
            {{1, "failed"}}, &error);
    }
    return id;
}

void TestBulkActions::setFinishedAt(qint64 id, qint64 ms)
{
    QSqlQuery q(m_store->database().db());
    q.prepare("UPDATE jobs SET finished_ms = ? WHERE id = ?");
    q.addBindValue(ms);
    q.addBindValue(id);
    QVERIFY(q.exec());
}

QStringList TestBulkActions::table()
{
    QStringList rows;
    QSqlQuery q(m_store->database().db());
    if (!q.exec("SELECT id, status, COALESCE(finished_ms, 0), position, "
                "COALESCE(error_category, '') FROM jobs ORDER BY id"))
        return {QStringLiteral("failed to read")};
    while (q.next())
        rows << QStringLiteral("%1 %2 %3 %4 %5")
                    .arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
                         q.value(3).toString(), q.value(4).toString());
    QSqlQuery logs(m_store->database().db());
    if (logs.exec("SELECT COUNT(*) FROM job_logs") && logs.next())
        rows << QStringLiteral("logs %1").arg(logs.value(0).toLongLong());
    return rows;
}

ApiResponse TestBulkActions::call(const QByteArray &method, const QString &path,
                                  const QByteArray &body)
{
    ApiRequest r;
    r.method = method;
    const QUrl url(path);
    r.path = url.path();
    r.query = QUrlQuery(url.query());
    r.headers = {{"Authorization", "Bearer " + Token}, {"Content-Type", "application/json"}};
    r.body = body;
    return m_handler->handle(r);
}

QVector<qint64> TestBulkActions::historyIds(const QString &query, qint64 *total)
{
    const ApiResponse response = call("GET", "/jobs/history?" + query);
    if (response.status != 200) {
        qWarning("history %s: %s", qPrintable(query), response.body.constData());
        return {-1};
    }
    const QJsonObject body = json(response);
    if (total)
        *total = body.value("total").toInteger();
    QVector<qint64> out;
    for (const QJsonValue &job : body.value("jobs").toArray())
        out.push_back(job.toObject().value("job_id").toInteger());
    return out;
}

void TestBulkActions::retryByFilterNoneSomeAll()
{
    const qint64 a = finished("A", "prospect", JobStatus::Failed, ErrorCategory::Http);
    const qint64 b = finished("B", "sales", JobStatus::Failed, ErrorCategory::Network);
    const qint64 c = finished("C", "sales", JobStatus::Failed, ErrorCategory::Http);
    const qint64 d = finished("D", "sales", JobStatus::Cancelled);
    const qint64 e = finished("E", "sales", JobStatus::Completed);
    const QStringList before = table();

    // None.
    ApiResponse r = call("POST", "/jobs/retry", R"({"fetch_type":"inventory"})");
    QCOMPARE(r.status, 200);
    QCOMPARE(json(r).value("retried").toInt(), 0);
    QVERIFY(json(r).value("job_ids").toArray().isEmpty());
    QCOMPARE(table(), before);
    QCOMPARE(m_changes, 0);

    // Some: the failed sales jobs whose error was HTTP.
    r = call("POST", "/jobs/retry", R"({"fetch_type":"sales","error_category":"http"})");
    QCOMPARE(r.status, 200);
    QCOMPARE(json(r).value("retried").toInt(), 1);
    QCOMPARE(ids(json(r).value("job_ids")), QVector<qint64>{c});
    QCOMPARE(m_changes, 1);
    StoreError error;
    QCOMPARE(m_store->job(c, &error)->status, JobStatus::Queued);
    QCOMPARE(m_store->job(b, &error)->status, JobStatus::Failed);

    // All failed ones (the default status); the cancelled and completed ones stay.
    r = call("POST", "/jobs/retry", "{}");
    QCOMPARE(r.status, 200);
    QCOMPARE(ids(json(r).value("job_ids")), (QVector<qint64>{a, b}));
    QCOMPARE(m_store->job(d, &error)->status, JobStatus::Cancelled);
    QCOMPARE(m_store->job(e, &error)->status, JobStatus::Completed);
    // Cancelled ones when asked for; queued again after the others, in job ID order.
    r = call("POST", "/jobs/retry", R"({"status":["cancelled","failed"],"dealer_id":"D"})");
    QCOMPARE(ids(json(r).value("job_ids")), QVector<qint64>{d});
    const QVector<Job> queue = *m_store->queuedJobs(-1, &error);
    QVector<qint64> order;
    for (const Job &job : queue)
        order << job.id;
    QCOMPARE(order, (QVector<qint64>{c, a, b, d}));
    QCOMPARE(m_changes, 3);
}

void TestBulkActions::retrySkipsTwins()
{
    // X failed; an identical job has been queued since: X is skipped, naming that job.
    const qint64 x = finished("X", "prospect", JobStatus::Failed);
    const qint64 y1 = finished("Y", "prospect", JobStatus::Failed);
    const qint64 y2 = finished("Y", "prospect", JobStatus::Failed); // y1's twin
    const qint64 z = finished("Z", "prospect", JobStatus::Failed);
    const qint64 twinOfX = queued("X", "prospect");

    const ApiResponse r = call("POST", "/jobs/retry", "{}");
    QCOMPARE(r.status, 200);
    QCOMPARE(ids(json(r).value("job_ids")), (QVector<qint64>{y1, z}));
    const QJsonArray skipped = json(r).value("skipped").toArray();
    QCOMPARE(skipped.size(), 2);
    QCOMPARE(skipped.at(0).toObject().value("job_id").toInteger(), x);
    QCOMPARE(skipped.at(0).toObject().value("existing_job_id").toInteger(), twinOfX);
    QVERIFY(skipped.at(0).toObject().value("reason").toString().contains(QString::number(twinOfX)));
    QCOMPARE(skipped.at(1).toObject().value("job_id").toInteger(), y2);
    QCOMPARE(skipped.at(1).toObject().value("existing_job_id").toInteger(), y1);
    StoreError error;
    QCOMPARE(m_store->job(x, &error)->status, JobStatus::Failed);
    QCOMPARE(m_store->job(y2, &error)->status, JobStatus::Failed);
    QCOMPARE(m_store->queueStatus(0, &error)->queueLength, 3);
}

void TestBulkActions::retryByFinishedTime()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 old = finished("OLD", "prospect", JobStatus::Failed);
    const qint64 mid = finished("MID", "prospect", JobStatus::Failed);
    const qint64 recent = finished("NEW", "prospect", JobStatus::Failed);
    setFinishedAt(old, now - 10 * Day);
    setFinishedAt(mid, now - 5 * Day);
    const QString after = QDateTime::fromMSecsSinceEpoch(now - 7 * Day).toString(Qt::ISODate);
    const QString before = QDateTime::fromMSecsSinceEpoch(now - 2 * Day).toString(Qt::ISODate);
    const ApiResponse r = call("POST", "/jobs/retry",
                               QStringLiteral(R"({"finished_after":"%1","finished_before":"%2"})")
                                   .arg(after, before)
                                   .toUtf8());
    QCOMPARE(r.status, 200);
    QCOMPARE(ids(json(r).value("job_ids")), QVector<qint64>{mid});
    StoreError error;
    QCOMPARE(m_store->job(old, &error)->status, JobStatus::Failed);
    QCOMPARE(m_store->job(recent, &error)->status, JobStatus::Failed);
}

void TestBulkActions::retryKeepsAttempts()
{
    const qint64 a = finished("A", "prospect", JobStatus::Failed);
    StoreError error;
    QCOMPARE(m_store->jobAttempts(a, &error)->size(), 1);
    QCOMPARE(call("POST", "/jobs/retry", "{}").status, 200);
    const Job job = *m_store->job(a, &error);
    QCOMPARE(job.status, JobStatus::Queued);
    QCOMPARE(job.attempts, 1);
    QVERIFY(job.error.isNull());
    QCOMPARE(job.finishedMs, 0);
    QVERIFY(job.requeuedMs > 0);
    QVERIFY(m_store->jobLogs(a, &error)->last().message.contains("retry"));
    // The failed attempt stays, and the next run is attempt 2.
    const Job again = *m_store->claimNext(QStringLiteral("runner-1"), &error);
    QCOMPARE(again.id, a);
    QCOMPARE(again.attempts, 2);
    const QVector<JobAttempt> attempts = *m_store->jobAttempts(a, &error);
    QCOMPARE(attempts.size(), 2);
    QCOMPARE(attempts.first().outcome, QStringLiteral("failed"));
}

void TestBulkActions::cancelByFilterNoneSomeAll()
{
    const qint64 done = finished("E", "sales", JobStatus::Failed);
    const qint64 running = queued("R", "sales");
    StoreError error;
    QCOMPARE(m_store->claimNext(QStringLiteral("runner-1"), &error)->id, running);
    const qint64 a = queued("A", "prospect");
    const qint64 b = queued("B", "sales", 5);
    const qint64 c = queued("C", "sales");
    const qint64 d = queued("D", "service", 5);
    QCOMPARE(m_store->queueStatus(0, &error)->current->id, running);

    ApiResponse r = call("POST", "/jobs/cancel", R"({"fetch_type":"inventory"})");
    QCOMPARE(r.status, 200);
    QCOMPARE(json(r).value("cancelled").toInt(), 0);
    QCOMPARE(m_changes, 0);

    // Some: every queued sales job; the running sales job is never touched.
    r = call("POST", "/jobs/cancel", R"({"fetch_type":"sales"})");
    QCOMPARE(r.status, 200);
    QCOMPARE(json(r).value("cancelled").toInt(), 2);
    QCOMPARE(ids(json(r).value("job_ids")), (QVector<qint64>{b, c}));
    QCOMPARE(m_store->job(b, &error)->status, JobStatus::Cancelled);
    QCOMPARE(m_store->job(b, &error)->error.category, ErrorCategory::Cancelled);
    Job stillRunning = *m_store->job(running, &error);
    QCOMPARE(stillRunning.status, JobStatus::Running);
    QVERIFY(!stillRunning.cancelRequested);
    QVERIFY(m_cancels.isEmpty());

    r = call("POST", "/jobs/cancel", R"({"priority":5})");
    QCOMPARE(ids(json(r).value("job_ids")), QVector<qint64>{d});

    // All.
    r = call("POST", "/jobs/cancel", R"({"all":true})");
    QCOMPARE(r.status, 200);
    QCOMPARE(ids(json(r).value("job_ids")), QVector<qint64>{a});
    QCOMPARE(m_store->queueStatus(0, &error)->queueLength, 0);
    stillRunning = *m_store->job(running, &error);
    QCOMPARE(stillRunning.status, JobStatus::Running);
    QVERIFY(!stillRunning.cancelRequested);
    QVERIFY(m_cancels.isEmpty());
    QCOMPARE(m_store->job(done, &error)->status, JobStatus::Failed);
    QCOMPARE(m_changes, 3);
}

void TestBulkActions::cancelNeedsAFieldOrAll()
{
    queued("A", "prospect");
    const QStringList before = table();
    for (const QByteArray &body : {QByteArray("{}"), QByteArray(R"({"all":false})")}) {
        const ApiResponse r = call("POST", "/jobs/cancel", body);
        QCOMPARE(r.status, 400);
        QCOMPARE(field(r), QStringLiteral("all"));
    }
    QCOMPARE(table(), before);
    // The same rule for every caller: the named operation refuses it too.
    JobStore other(m_db->url());
    StoreError error;
    QVERIFY(other.open(&error));
    int changes = 0;
    QueueOperations operations(other, Actor::commandLine(), {[&changes] { ++changes; }, {}});
    const QueueResult<BulkReport> refused = operations.cancelMatching({});
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error.kind, StoreError::Kind::Invalid);
    QCOMPARE(refused.error.field, QStringLiteral("all"));
    QCOMPARE(changes, 0);
    QCOMPARE(table(), before);
}

void TestBulkActions::removeOlderThanDays()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 oldDone = finished("A", "prospect", JobStatus::Completed);
    const qint64 oldFailed = finished("B", "prospect", JobStatus::Failed);
    const qint64 oldCancelled = finished("C", "prospect", JobStatus::Cancelled);
    const qint64 recentDone = finished("D", "prospect", JobStatus::Completed);
    setFinishedAt(oldDone, now - 40 * Day);
    setFinishedAt(oldFailed, now - 35 * Day);
    setFinishedAt(oldCancelled, now - 31 * Day);
    setFinishedAt(recentDone, now - 29 * Day);
    const qint64 waiting = queued("Q", "prospect", 0, 1749686400000 - 3 * Day);
    StoreError error;
    const qint64 running = queued("R", "prospect", 10);
    QCOMPARE(m_store->claimNext(QStringLiteral("runner-1"), &error)->id, running);
    const qint64 recordsBefore = *m_store->recordCount(&error);
    QCOMPARE(recordsBefore, 4);

    // None: nothing is that old.
    ApiResponse r = call("DELETE", "/jobs/history?older_than_days=100");
    QCOMPARE(r.status, 200);
    QCOMPARE(json(r).value("removed").toInt(), 0);
    QCOMPARE(m_changes, 0);

    // Some: only failed ones older than 30 days.
    r = call("DELETE", "/jobs/history?older_than_days=30&status=failed");
    QCOMPARE(r.status, 200);
    QCOMPARE(json(r).value("removed").toInt(), 1);
    QVERIFY(!m_store->job(oldFailed, &error));
    QCOMPARE(m_store->jobLogs(oldFailed, &error)->size(), 0);
    QCOMPARE(m_store->jobAttempts(oldFailed, &error)->size(), 1); // ended today: counted today

    // Every status by default.
    r = call("DELETE", "/jobs/history?older_than_days=30");
    QCOMPARE(json(r).value("removed").toInt(), 2);
    QVERIFY(!m_store->job(oldDone, &error));
    QVERIFY(!m_store->job(oldCancelled, &error));
    QVERIFY(m_store->job(recentDone, &error));

    // 0: every finished job; queued and running ones stay, and so do the fetched records.
    r = call("DELETE", "/jobs/history?older_than_days=0");
    QCOMPARE(json(r).value("removed").toInt(), 1);
    QCOMPARE(*m_store->historyCount({}, &error), 0);
    QCOMPARE(m_store->job(waiting, &error)->status, JobStatus::Queued);
    QCOMPARE(m_store->job(running, &error)->status, JobStatus::Running);
    QCOMPARE(*m_store->recordCount(&error), recordsBefore);
    QCOMPARE(m_changes, 3);
}

void TestBulkActions::refusedRequestsChangeNothing_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("field");

    QTest::newRow("retry status not a list")
        << QByteArray("POST") << "/jobs/retry" << QByteArray(R"({"status":"failed"})") << "status";
    QTest::newRow("retry completed") << QByteArray("POST") << "/jobs/retry"
                                     << QByteArray(R"({"status":["completed"]})") << "status";
    QTest::newRow("retry empty status list")
        << QByteArray("POST") << "/jobs/retry" << QByteArray(R"({"status":[]})") << "status";
    QTest::newRow("retry unknown category")
        << QByteArray("POST") << "/jobs/retry" << QByteArray(R"({"error_category":"boom"})")
        << "error_category";
    QTest::newRow("retry bad date")
        << QByteArray("POST") << "/jobs/retry" << QByteArray(R"({"finished_after":"2025-13-45"})")
        << "finished_after";
    QTest::newRow("retry date as number")
        << QByteArray("POST") << "/jobs/retry" << QByteArray(R"({"finished_before":20250101})")
        << "finished_before";
    QTest::newRow("retry bad dealer")
        << QByteArray("POST") << "/jobs/retry" << QByteArray(R"({"dealer_id":"A' OR 1=1 --"})")
        << "dealer_id";
    QTest::newRow("retry unknown type") << QByteArray("POST") << "/jobs/retry"
                                        << QByteArray(R"({"fetch_type":"all"})") << "fetch_type";
    QTest::newRow("retry unknown field") << QByteArray("POST") << "/jobs/retry"
                                         << QByteArray(R"({"stauts":["failed"]})") << "stauts";
    QTest::newRow("retry expected negative")
        << QByteArray("POST") << "/jobs/retry" << QByteArray(R"({"expected":-1})") << "expected";
    QTest::newRow("retry expected text")
        << QByteArray("POST") << "/jobs/retry" << QByteArray(R"({"expected":"2"})") << "expected";
    QTest::newRow("cancel expected fraction")
        << QByteArray("POST") << "/jobs/cancel" << QByteArray(R"({"all":true,"expected":1.5})")
        << "expected";
    QTest::newRow("cancel nothing named")
        << QByteArray("POST") << "/jobs/cancel" << QByteArray("{}") << "all";
    QTest::newRow("cancel all not a bool")
        << QByteArray("POST") << "/jobs/cancel" << QByteArray(R"({"all":"yes"})") << "all";
    QTest::newRow("cancel priority text") << QByteArray("POST") << "/jobs/cancel"
                                          << QByteArray(R"({"priority":"high"})") << "priority";
    QTest::newRow("cancel empty dealer")
        << QByteArray("POST") << "/jobs/cancel" << QByteArray(R"({"dealer_id":""})") << "dealer_id";
    QTest::newRow("cancel bad type with all")
        << QByteArray("POST") << "/jobs/cancel" << QByteArray(R"({"fetch_type":"x","all":true})")
        << "fetch_type";
    QTest::newRow("remove without days")
        << QByteArray("DELETE") << "/jobs/history" << QByteArray() << "older_than_days";
    QTest::newRow("remove negative days")
        << QByteArray("DELETE") << "/jobs/history?older_than_days=-1" << QByteArray()
        << "older_than_days";
    QTest::newRow("remove too many days")
        << QByteArray("DELETE") << "/jobs/history?older_than_days=36501" << QByteArray()
        << "older_than_days";
    QTest::newRow("remove huge days")
        << QByteArray("DELETE") << "/jobs/history?older_than_days=99999999999999999999"
        << QByteArray() << "older_than_days";
    QTest::newRow("remove days not a number")
        << QByteArray("DELETE") << "/jobs/history?older_than_days=7;DROP%20TABLE%20jobs"
        << QByteArray() << "older_than_days";
    QTest::newRow("remove queued")
        << QByteArray("DELETE") << "/jobs/history?older_than_days=0&status=queued" << QByteArray()
        << "status";
    QTest::newRow("remove unknown parameter")
        << QByteArray("DELETE") << "/jobs/history?older_than_days=0&dealer_id=A" << QByteArray()
        << "dealer_id";
}

void TestBulkActions::refusedRequestsChangeNothing()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QString, field);
    finished("A", "prospect", JobStatus::Failed);
    finished("B", "sales", JobStatus::Cancelled);
    const qint64 old = finished("C", "sales", JobStatus::Completed);
    setFinishedAt(old, 1000);
    queued("D", "sales");
    const QStringList before = table();
    const ApiResponse r = call(method, path, body);
    QCOMPARE(r.status, 400);
    QCOMPARE(this->field(r), field);
    QCOMPARE(table(), before);
    QCOMPARE(m_changes, 0);
}

void TestBulkActions::actsOnlyOnTheCountConfirmed()
{
    // The window asks "Retry 2 failed jobs?" and passes the 2 along: a job that failed while
    // the question was open must not be retried with them. Then nothing changes, and the
    // answer says how many match now.
    const qint64 a = finished("A", "prospect", JobStatus::Failed);
    const qint64 b = finished("B", "prospect", JobStatus::Failed);
    const qint64 twinOfB = queued("B", "prospect"); // b is skipped, and counted as matching
    int changes = 0;
    QueueOperations operations(*m_store, Actor::window(), {[&changes] { ++changes; }, {}});
    const qint64 c = finished("C", "prospect", JobStatus::Failed); // after the count of 2
    const QStringList before = table();
    const QueueResult<BulkRetryReport> refused = operations.retryMatching({}, 2);
    QVERIFY(!refused.ok());
    QCOMPARE(refused.error.kind, StoreError::Kind::Conflict);
    QCOMPARE(refused.error.field, QStringLiteral("confirmed"));
    QVERIFY2(refused.error.message.startsWith(
                 QStringLiteral("the matching jobs changed meanwhile (3 now, 2 expected)")),
             qPrintable(refused.error.message));
    QCOMPARE(table(), before);
    QCOMPARE(changes, 0);
    const QueueResult<BulkRetryReport> retried = operations.retryMatching({}, 3);
    QVERIFY2(retried.ok(), qPrintable(retried.error.message));
    QCOMPARE(retried.value->jobIds, (QVector<qint64>{a, c}));
    QCOMPARE(retried.value->skipped.size(), 1);
    QCOMPARE(retried.value->skipped.first().jobId, b);
    QCOMPARE(changes, 1);

    // "Cancel 3 queued jobs of type prospect?" while another is queued: none is cancelled.
    QueuedFilter prospect;
    prospect.fetchType = QStringLiteral("prospect");
    queued("D", "prospect");
    const QStringList queuedBefore = table();
    const QueueResult<BulkReport> notCancelled = operations.cancelMatching(prospect, 3);
    QVERIFY(!notCancelled.ok());
    QCOMPARE(notCancelled.error.kind, StoreError::Kind::Conflict);
    QVERIFY2(notCancelled.error.message.startsWith(
                 QStringLiteral("the matching jobs changed meanwhile (4 now, 3 expected)")),
             qPrintable(notCancelled.error.message));
    QCOMPARE(table(), queuedBefore);
    QCOMPARE(changes, 1);
    // Fewer than confirmed is no surprise (a job started, or was cancelled elsewhere,
    // meanwhile): those that still match are taken, and the report says how many.
    const QueueResult<BulkReport> cancelled = operations.cancelMatching(prospect, 5);
    QVERIFY2(cancelled.ok(), qPrintable(cancelled.error.message));
    QCOMPARE(cancelled.value->count(), 4);
    QVERIFY(cancelled.value->jobIds.contains(twinOfB));
    QCOMPARE(changes, 2);
    // Neither refusal left an audit entry; each action one.
    StoreError error;
    const std::optional<AuditPage> audit = m_store->audit(AuditFilter{}, &error);
    QVERIFY2(audit, qPrintable(error.message));
    int bulk = 0;
    for (const AuditEntry &entry : audit->entries)
        bulk +=
            entry.action == AuditAction::JobsRetried || entry.action == AuditAction::JobsCancelled;
    QCOMPARE(bulk, 2);
}

void TestBulkActions::operationsCarryIdsAndEffects()
{
    // The window and the command line call the same named operations: their reports name
    // every job they took, and the effects follow only a change.
    const qint64 a = finished("A", "prospect", JobStatus::Failed);
    const qint64 b = finished("B", "prospect", JobStatus::Failed);
    int changes = 0;
    QueueOperations operations(*m_store, Actor::window(), {[&changes] { ++changes; }, {}});
    HistoryFilter none;
    none.dealerId = QStringLiteral("NOBODY");
    QCOMPARE(operations.retryMatching(none).value->jobIds.size(), 0);
    QCOMPARE(changes, 0);
    const QueueResult<BulkRetryReport> retried = operations.retryMatching({});
    QVERIFY(retried.ok());
    QCOMPARE(retried.value->jobIds, (QVector<qint64>{a, b}));
    QCOMPARE(changes, 1);
    QueuedFilter dealerA;
    dealerA.dealerId = QStringLiteral("A");
    const QueueResult<BulkReport> cancelled = operations.cancelMatching(dealerA);
    QCOMPARE(cancelled.value->jobIds, QVector<qint64>{a});
    QCOMPARE(changes, 2);
    QueuedFilter all;
    all.all = true;
    QCOMPARE(operations.cancelMatching(all).value->jobIds, QVector<qint64>{b});
    QCOMPARE(changes, 3);
    HistoryFilter everything;
    everything.finishedBeforeMs = QDateTime::currentMSecsSinceEpoch() + 1;
    everything.statuses = {JobStatus::Cancelled};
    const QueueResult<BulkReport> removed = operations.removeFinished(everything);
    QCOMPARE(removed.value->jobIds, (QVector<qint64>{a, b}));
    QCOMPARE(removed.value->count(), 2);
    QCOMPARE(changes, 4);
    everything.statuses.clear();
    // In batches: at most maxJobs, oldest finished first.
    const qint64 c = finished("C", "prospect", JobStatus::Completed);
    const qint64 d = finished("D", "prospect", JobStatus::Completed);
    setFinishedAt(c, 2000);
    setFinishedAt(d, 1000);
    everything.finishedBeforeMs = 5000;
    QCOMPARE(operations.removeFinished(everything, 1).value->jobIds, QVector<qint64>{d});
    QCOMPARE(operations.removeFinished(everything, 1).value->jobIds, QVector<qint64>{c});
    QCOMPARE(operations.removeFinished(everything, 1).value->count(), 0);
    QCOMPARE(changes, 6);
}

void TestBulkActions::apiActsOnlyOnTheCountExpected()
{
    // A script that showed "2 failed jobs" and got a yes passes `expected`: a third failing
    // meanwhile refuses the request (409 naming it), and nothing changes.
    const qint64 a = finished("A", "prospect", JobStatus::Failed);
    const qint64 b = finished("B", "prospect", JobStatus::Failed);
    finished("C", "prospect", JobStatus::Failed);
    const QStringList before = table();
    ApiResponse r = call("POST", "/jobs/retry", R"({"dealer_id":"A","expected":0})");
    QCOMPARE(r.status, 409);
    QCOMPARE(json(r).value("error").toObject().value("field").toString(),
             QStringLiteral("expected"));
    QVERIFY2(json(r).value("error").toObject().value("message").toString().startsWith(
                 QStringLiteral("the matching jobs changed meanwhile (1 now, 0 expected)")),
             r.body.constData());
    r = call("POST", "/jobs/retry", R"({"expected":2})");
    QCOMPARE(r.status, 409);
    QCOMPARE(table(), before);
    QCOMPARE(m_changes, 0);
    r = call("POST", "/jobs/retry",
             R"({"status":["failed"],"fetch_type":"prospect","expected":3})");
    QCOMPARE(r.status, 200);
    QCOMPARE(json(r).value("retried").toInt(), 3);
    QCOMPARE(m_changes, 1);

    // Cancel: more queued than expected refuses; as many or fewer goes through.
    r = call("POST", "/jobs/cancel", R"({"fetch_type":"prospect","expected":2})");
    QCOMPARE(r.status, 409);
    QCOMPARE(json(r).value("error").toObject().value("field").toString(),
             QStringLiteral("expected"));
    StoreError error;
    QCOMPARE(m_store->job(a, &error)->status, JobStatus::Queued);
    r = call("POST", "/jobs/cancel", R"({"dealer_id":"B","expected":5})");
    QCOMPARE(r.status, 200);
    QCOMPARE(ids(json(r).value("job_ids")), QVector<qint64>{b});
    QCOMPARE(m_changes, 2);
}

void TestBulkActions::historySearch()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 a = finished("Alpha1", "prospect", JobStatus::Failed, ErrorCategory::Http,
                              "HTTP 503 Service Unavailable");
    const qint64 b = finished("beta_2", "sales", JobStatus::Failed, ErrorCategory::Network,
                              "connection refused by 100% of hosts");
    const qint64 c = finished("Gamma", "sales", JobStatus::Completed);
    const qint64 d = finished("betax2", "service", JobStatus::Cancelled);
    setFinishedAt(a, now - 3 * Day);
    setFinishedAt(b, now - 2 * Day);
    setFinishedAt(c, now - 1 * Day);
    setFinishedAt(d, now);
    queued("beta_3", "sales");

    qint64 total = -1;
    QCOMPARE(historyIds("", &total), (QVector<qint64>{d, c, b, a}));
    QCOMPARE(total, 4);
    QCOMPARE(historyIds("fetch_type=sales", &total), (QVector<qint64>{c, b}));
    QCOMPARE(total, 2);
    QCOMPARE(historyIds("error_category=network"), QVector<qint64>{b});
    QCOMPARE(historyIds("error_category=cancelled"), QVector<qint64>{d});
    // q: a case-insensitive substring of the dealer ID or the error message, taken literally.
    QCOMPARE(historyIds("q=ALPHA"), QVector<qint64>{a});
    QCOMPARE(historyIds("q=service%20unavail"), QVector<qint64>{a});
    QCOMPARE(historyIds("q=beta"), (QVector<qint64>{d, b}));
    QCOMPARE(historyIds("q=a_2"), QVector<qint64>{b});    // "_" is not a wildcard
    QCOMPARE(historyIds("q=100%25"), QVector<qint64>{b}); // nor is "%"
    QCOMPARE(historyIds("q=%25"), QVector<qint64>{b});
    QCOMPARE(historyIds("q=x'%20OR%20'1'='1", &total), QVector<qint64>{});
    QCOMPARE(total, 0);
    QCOMPARE(historyIds("q=nothing-like-it", &total), QVector<qint64>{});
    const QString from =
        QDateTime::fromMSecsSinceEpoch(now - 2 * Day - 1000).toString(Qt::ISODateWithMs);
    const QString to = QDateTime::fromMSecsSinceEpoch(now - 1000).toString(Qt::ISODateWithMs);
    QCOMPARE(historyIds("finished_after=" + QUrl::toPercentEncoding(from) +
                            "&finished_before=" + QUrl::toPercentEncoding(to),
                        &total),
             (QVector<qint64>{c, b}));
    QCOMPARE(total, 2);
    // Combined with paging: total counts every match, the page holds `limit`.
    QCOMPARE(historyIds("q=e&limit=1&offset=1&sort=job_id&order=asc", &total), QVector<qint64>{b});
    QCOMPARE(total, 3); // a, b and d: "Gamma" holds no "e" and has no error message
}

void TestBulkActions::historySortsInTheDatabase()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 a = finished("M", "prospect", JobStatus::Completed);
    const qint64 b = finished("Z", "prospect", JobStatus::Failed);
    const qint64 c = finished("A", "prospect", JobStatus::Completed);
    const qint64 d = finished("K", "prospect", JobStatus::Cancelled); // never ran
    QSqlQuery q(m_store->database().db());
    // Durations 30 s, 10 s, 20 s; fetched 5, none, 7; b and c finished at the same instant.
    for (const auto &[id, started, finishedAt, fetched] :
         QVector<std::tuple<qint64, qint64, qint64, QVariant>>{
             {a, now - 50000, now - 20000, 5},
             {b, now - 20000, now - 10000, QVariant()},
             {c, now - 30000, now - 10000, 7}}) {
        q.prepare("UPDATE jobs SET started_ms = ?, finished_ms = ?, fetched = ? WHERE id = ?");
        q.addBindValue(started);
        q.addBindValue(finishedAt);
        q.addBindValue(fetched.isNull() ? QVariant(QMetaType(QMetaType::LongLong)) : fetched);
        q.addBindValue(id);
        QVERIFY(q.exec());
    }
    setFinishedAt(d, now - 40000);

    // Ties go by job ID, the same way, so that pages never overlap.
    QCOMPARE(historyIds(""), (QVector<qint64>{c, b, a, d}));
    QCOMPARE(historyIds("order=asc"), (QVector<qint64>{d, a, b, c}));
    QCOMPARE(historyIds("sort=job_id&order=asc"), (QVector<qint64>{a, b, c, d}));
    QCOMPARE(historyIds("sort=job_id"), (QVector<qint64>{d, c, b, a}));
    QCOMPARE(historyIds("sort=dealer_id&order=asc"), (QVector<qint64>{c, d, a, b}));
    QCOMPARE(historyIds("sort=duration_s"), (QVector<qint64>{a, c, b, d}));
    QCOMPARE(historyIds("sort=duration_s&order=asc"), (QVector<qint64>{d, b, c, a}));
    QCOMPARE(historyIds("sort=fetched"), (QVector<qint64>{c, a, d, b}));
    QCOMPARE(historyIds("sort=fetched&order=asc"), (QVector<qint64>{b, d, a, c}));
    // Paging over the sorted whole, not over one loaded page.
    QVector<qint64> paged;
    for (int offset = 0; offset < 4; ++offset)
        paged +=
            historyIds(QStringLiteral("sort=dealer_id&order=asc&limit=1&offset=%1").arg(offset));
    QCOMPARE(paged, (QVector<qint64>{c, d, a, b}));
}

void TestBulkActions::historySortsEveryColumnInTheDatabase()
{
    // Every column of the window's history, by its §4 field name: ties by the default order
    // (finished, then job ID) where the store says so, unset values smallest on both backends.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 a = finished("M", "prospect", JobStatus::Completed);
    const qint64 b = finished("Z", "sales", JobStatus::Failed);
    const qint64 c = finished("A", "prospect", JobStatus::Completed);
    const qint64 d = finished("K", "service", JobStatus::Cancelled); // never ran
    const QVariant none(QMetaType(QMetaType::LongLong));
    QSqlQuery q(m_store->database().db());
    for (const auto &[id, from, to, category, priority, created, started, attempts, pages, inserted,
                      updated, finishedAt] :
         QVector<std::tuple<qint64, int, int, QVariant, int, int, QVariant, int, QVariant, QVariant,
                            QVariant, qint64>>{
             {a, 300, 400, QVariant(QMetaType(QMetaType::QString)), 1, 30, now - 50000, 1, 3, 5, 1,
              now - 20000},
             {b, 100, 500, "http", 5, 10, now - 20000, 3, none, none, none, now - 10000},
             {c, 100, 200, QVariant(QMetaType(QMetaType::QString)), 0, 20, now - 30000, 1, 7, 2, 9,
              now - 10000},
             {d, 200, 300, "cancelled", 1, 40, none, 0, none, none, none, now - 40000}}) {
        q.prepare("UPDATE jobs SET from_ms = ?, to_ms = ?, error_category = ?, priority = ?, "
                  "created_ms = ?, started_ms = ?, attempts = ?, pages = ?, inserted = ?, "
                  "updated = ?, finished_ms = ? WHERE id = ?");
        for (const QVariant &value : {QVariant(from), QVariant(to), category, QVariant(priority),
                                      QVariant(created), started, QVariant(attempts), pages,
                                      inserted, updated, QVariant(finishedAt), QVariant(id)})
            q.addBindValue(value);
        QVERIFY2(q.exec(), qPrintable(q.lastError().text()));
    }
    const QList<std::tuple<QString, QVector<qint64>, QVector<qint64>>> expected{
        {"fetch_type", {d, b, c, a}, {a, c, b, d}}, {"from_time", {a, d, b, c}, {c, b, d, a}},
        {"status", {b, c, a, d}, {d, a, c, b}},     {"error_category", {b, d, c, a}, {a, c, d, b}},
        {"priority", {b, d, a, c}, {c, a, d, b}},   {"created_at", {d, a, c, b}, {b, c, a, d}},
        {"started_at", {b, c, a, d}, {d, a, c, b}}, {"attempts", {b, c, a, d}, {d, a, c, b}},
        {"pages", {c, a, d, b}, {b, d, a, c}},      {"inserted", {a, c, d, b}, {b, d, c, a}},
        {"updated", {c, a, d, b}, {b, d, a, c}},
    };
    for (const auto &[sort, descending, ascending] : expected) {
        QCOMPARE(historyIds("sort=" + sort), descending);
        QCOMPARE(historyIds("sort=" + sort + "&order=asc"), ascending);
        // Page by page over the sorted whole, the same order.
        QVector<qint64> paged;
        for (int offset = 0; offset < 4; ++offset)
            paged += historyIds(
                QStringLiteral("sort=%1&order=asc&limit=1&offset=%2").arg(sort).arg(offset));
        QCOMPARE(paged, ascending);
    }
}

void TestBulkActions::historyRefusesBadParameters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("sort unknown") << "sort=created_ms"
                                  << "sort";
    QTest::newRow("sort injection") << "sort=finished_ms;DROP%20TABLE%20jobs"
                                    << "sort";
    QTest::newRow("order") << "order=up"
                           << "order";
    QTest::newRow("category") << "error_category=timeout"
                              << "error_category";
    QTest::newRow("category empty") << "error_category="
                                    << "error_category";
    QTest::newRow("type") << "fetch_type=everything"
                          << "fetch_type";
    QTest::newRow("after") << "finished_after=yesterday"
                           << "finished_after";
    QTest::newRow("before") << "finished_before=2025-02-30"
                            << "finished_before";
    QTest::newRow("q too long") << "q=" + QString(201, QLatin1Char('x')) << "q";
    QTest::newRow("q with NUL") << "q=a%00b"
                                << "q";
    QTest::newRow("q with newline") << "q=a%0Ab"
                                    << "q";
    QTest::newRow("after with offset junk") << "finished_after=2025-06-12T00:00:00%2B99:00"
                                            << "finished_after";
    QTest::newRow("limit huge") << "limit=100000000000"
                                << "limit";
    QTest::newRow("unknown") << "search=x"
                             << "search";
}

void TestBulkActions::historyRefusesBadParameters()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    finished("A", "prospect", JobStatus::Failed);
    const ApiResponse r = call("GET", "/jobs/history?" + query);
    QCOMPARE(r.status, 400);
    QCOMPARE(this->field(r), field);
}

QTEST_GUILESS_MAIN(TestBulkActions)
#include "tst_bulkactions.moc"
