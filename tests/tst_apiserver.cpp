#include "api/apiservice.h"
#include "apiclient.h"
#include "job/fetchedrecord.h"
#include "queue/csvexport.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <atomic>

#include <QBuffer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

namespace {

const QByteArray Token = "server-test-token-abcdefghijklmnop";

struct Route
{
    QByteArray method;
    QString path;
};

} // namespace

/// The REST API over real HTTP on loopback, in process: ApiService on its own thread with its
/// own store, every call with its successes and errors, the token, and the connection guard's
/// limits (413 unread, 431, 411, 400, 408, idle close).
class TestApiServer final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void healthNeedsNoToken();
    void everyCallNeedsTheToken_data();
    void everyCallNeedsTheToken();
    void unknownRoutesAndWrongMethods();
    void queueOne();
    void queueOneRefusesBadInput_data();
    void queueOneRefusesBadInput();
    void queueBulk();
    void queueStatus();
    void statusFollowsEveryChange();
    void jobStatus();
    void cancel();
    void clearCompleted();
    void retry();
    void pauseAndResume();
    void history();
    void historyCsvStreamsEveryJob();
    void historyXlsxIsAWorkbook();
    void legacyCallsGoThroughTheQueue();
    void bodyOverOneMebibyteIsRefusedUnread();
    void expectContinue();
    void headOverLimitIs431();
    void chunkedBodyIs411();
    void malformedRequests();
    void keepAliveAndConnectionClose();
    void pipelinedRequestsAnsweredInOrder();
    void pipelinedHeadWithItsBodyLater();
    void slowRequestTimesOut();
    void idleConnectionIsClosed();
    void tokenCanBeReplaced();

private:
    bool startApi(const ApiLimits &limits = {});
    Job makeJob(const QString &dealerId, JobStatus finalStatus);
    qint64 queuedCount();

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<ApiService> m_api;
    std::unique_ptr<ApiClient> m_client;
    std::atomic<int> m_changes{0};
    std::atomic<qint64> m_cancelled{0};
};

void TestApiServer::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    QVERIFY(startApi());
}

bool TestApiServer::startApi(const ApiLimits &limits)
{
    m_client.reset();
    m_api = std::make_unique<ApiService>();
    connect(
        m_api.get(), &ApiService::queueChanged, this, [this] { ++m_changes; },
        Qt::DirectConnection);
    connect(
        m_api.get(), &ApiService::cancelRunningRequested, this,
        [this](qint64 id) { m_cancelled = id; }, Qt::DirectConnection);
    ApiService::Options options;
    options.database = m_db->url();
    options.fetchTypes = QStringList{"prospect", "sales", "service", "inventory"};
    options.port = 0;
    options.token = Token;
    options.limits = limits;
    QString why;
    if (!m_api->start(options, &why)) {
        qWarning("%s", qPrintable(why));
        return false;
    }
    m_client = std::make_unique<ApiClient>(m_api->port(), Token);
    m_changes = 0;
    m_cancelled = 0;
    return true;
}

void TestApiServer::cleanup()
{
    m_client.reset();
    m_api.reset();
    m_store.reset();
    m_db.reset();
}

qint64 TestApiServer::queuedCount()
{
    StoreError error;
    const std::optional<JobCounts> counts = m_store->counts(0, &error);
    return counts ? counts->queued : -1;
}

// Queues a job for `dealerId` and takes it to `finalStatus` the way the runner would.
Job TestApiServer::makeJob(const QString &dealerId, JobStatus finalStatus)
{
    StoreError error;
    NewJob job{dealerId, "sales", 1749700000000, 1749786399000, 0, false, "test"};
    const std::optional<AddOutcome> added = m_store->addJob(job, &error);
    if (!added || finalStatus == JobStatus::Queued)
        return added ? added->job : Job{};
    const std::optional<Job> running = m_store->claimNext("test-runner", &error);
    if (!running || finalStatus == JobStatus::Running)
        return running.value_or(Job{});
    if (finalStatus == JobStatus::Completed) {
        JobResult result{1, 3, 3, 0, 0};
        m_store->completeJob(*running, {}, {}, &result, &error);
    } else {
        const ErrorCategory category =
            finalStatus == JobStatus::Cancelled ? ErrorCategory::Cancelled : ErrorCategory::Http;
        m_store->failJob(*running, {"it failed", category}, {}, &error);
    }
    return m_store->job(running->id, &error).value_or(Job{});
}

void TestApiServer::healthNeedsNoToken()
{
    const HttpReply reply = m_client->request("GET", "/health", {}, {}, false);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json(), (QJsonObject{{"status", "ok"}, {"database", "ok"}}));
    QCOMPARE(reply.header("Content-Type"), QByteArray("application/json"));
}

void TestApiServer::everyCallNeedsTheToken_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    const QList<Route> routes{
        {"POST", "/jobs/queue"},
        {"POST", "/jobs/queue/bulk"},
        {"GET", "/jobs/queue/status"},
        {"GET", "/jobs/queue/1/status"},
        {"DELETE", "/jobs/queue/1"},
        {"DELETE", "/jobs/queue/completed"},
        {"POST", "/jobs/queue/1/retry"},
        {"POST", "/jobs/queue/pause"},
        {"POST", "/jobs/queue/resume"},
        {"GET", "/jobs/history"},
        {"GET", "/jobs/history.csv"},
        {"GET", "/jobs/history.xlsx"},
        {"POST", "/jobs/run"},
        {"POST", "/jobs/run-bulk"},
        {"GET", "/metrics"},
        {"GET", "/no/such/route"},
    };
    for (const Route &route : routes)
        QTest::newRow(qPrintable(route.method + ' ' + route.path)) << route.method << route.path;
}

void TestApiServer::everyCallNeedsTheToken()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    makeJob("A1", JobStatus::Failed);
    const QByteArray body = R"({"dealer_id":"1","dealer_ids":["1"],"fetch_type":"sales"})";
    const QList<QPair<QByteArray, QByteArray>> json{{"Content-Type", "application/json"}};
    const HttpReply none = m_client->request(method, path, body, json, false);
    QCOMPARE(none.status, 401);
    QCOMPARE(none.errorCode(), QStringLiteral("unauthorized"));
    QCOMPARE(none.header("WWW-Authenticate"), QByteArray("Bearer realm=\"dealerq\""));
    const HttpReply wrong = m_client->request(
        method, path, body, {{"Content-Type", "application/json"}, {"Authorization", "Bearer x"}},
        false);
    QCOMPARE(wrong.status, 401);
    const HttpReply near = m_client->request(
        method, path, body,
        {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + Token.chopped(1)}},
        false);
    QCOMPARE(near.status, 401);
    QCOMPARE(queuedCount(), 0);
    QCOMPARE(m_changes.load(), 0);
}

void TestApiServer::unknownRoutesAndWrongMethods()
{
    const HttpReply unknown = m_client->get("/jobs/queue/status/extra");
    QCOMPARE(unknown.status, 404);
    QCOMPARE(unknown.errorCode(), QStringLiteral("not_found"));
    const HttpReply wrong = m_client->request("PUT", "/jobs/queue/status");
    QCOMPARE(wrong.status, 405);
    QCOMPARE(wrong.header("Allow"), QByteArray("GET"));
    QCOMPARE(wrong.errorCode(), QStringLiteral("method_not_allowed"));
    QCOMPARE(m_client->get("/jobs/queue/completed").status, 405);
    QCOMPARE(m_client->get("/jobs/queue").status, 405);
    QCOMPARE(m_client->request("PATCH", "/jobs/queue/3").header("Allow"), QByteArray("DELETE"));
}

void TestApiServer::queueOne()
{
    const HttpReply added = m_client->post("/jobs/queue", {{"dealer_id", "00999"},
                                                           {"fetch_type", "prospect"},
                                                           {"from_time", "2025-06-12 00:00:00"},
                                                           {"to_time", "2025-06-12 23:59:59"},
                                                           {"priority", 3}});
    QCOMPARE(added.status, 201);
    const QJsonObject job = added.json();
    for (const char *key : {"job_id", "dealer_id", "fetch_type", "from_time", "to_time", "status",
                            "priority", "created_at", "created_by", "started_at", "finished_at",
                            "duration_s", "attempts", "result", "error"})
        QVERIFY2(job.contains(key), key);
    QCOMPARE(job.value("created_by").toString(), QStringLiteral("api:default"));
    QCOMPARE(job.value("dealer_id").toString(), QStringLiteral("00999"));
    QCOMPARE(job.value("status").toString(), QStringLiteral("queued"));
    QCOMPARE(job.value("priority").toInt(), 3);
    QCOMPARE(job.value("duplicate").toBool(), false);
    QVERIFY(job.value("from_time").toString().startsWith("2025-06-12T00:00:00.000"));
    QVERIFY(job.value("started_at").isNull());
    QCOMPARE(m_changes.load(), 1);

    const HttpReply twin = m_client->post("/jobs/queue", {{"dealer_id", "00999"},
                                                          {"fetch_type", "prospect"},
                                                          {"from_time", "2025-06-12"},
                                                          {"to_time", "2025-06-12"}});
    QCOMPARE(twin.status, 200);
    QCOMPARE(twin.json().value("duplicate").toBool(), true);
    QCOMPARE(twin.json().value("job_id"), job.value("job_id"));
    QCOMPARE(queuedCount(), 1);
    QCOMPARE(m_changes.load(), 1);
}

void TestApiServer::queueOneRefusesBadInput_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    const QByteArray json = "application/json";
    QTest::newRow("bad JSON") << QByteArray("{\"dealer_id\":\"1\",") << json << 400 << "";
    QTest::newRow("wrong type") << QByteArray(R"({"dealer_id":12284,"fetch_type":"sales"})") << json
                                << 400 << "dealer_id";
    QTest::newRow("unknown fetch type")
        << QByteArray(R"({"dealer_id":"1","fetch_type":"leads"})") << json << 400 << "fetch_type";
    QTest::newRow("reversed dates")
        << QByteArray(
               R"({"dealer_id":"1","fetch_type":"sales","from_time":"2025-06-12","to_time":"2025-06-11"})")
        << json << 400 << "to_time";
    QTest::newRow("bad date")
        << QByteArray(R"({"dealer_id":"1","fetch_type":"sales","from_time":"yesterday"})") << json
        << 400 << "from_time";
    QTest::newRow("invalid dealer") << QByteArray(R"({"dealer_id":"12;84","fetch_type":"sales"})")
                                    << json << 400 << "dealer_id";
    QTest::newRow("no content type") << QByteArray(R"({"dealer_id":"1","fetch_type":"sales"})")
                                     << QByteArray() << 415 << "Content-Type";
    QTest::newRow("form content type")
        << QByteArray("dealer_id=1&fetch_type=sales")
        << QByteArray("application/x-www-form-urlencoded") << 415 << "Content-Type";
}

void TestApiServer::queueOneRefusesBadInput()
{
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, field);
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!contentType.isEmpty())
        headers.push_back({"Content-Type", contentType});
    const HttpReply reply = m_client->request("POST", "/jobs/queue", body, headers);
    QVERIFY2(reply.status == status, reply.body.constData());
    QCOMPARE(reply.errorField(), field);
    const QJsonObject error = reply.json().value("error").toObject();
    QVERIFY(!error.value("code").toString().isEmpty());
    QVERIFY(!error.value("message").toString().isEmpty());
    QCOMPARE(queuedCount(), 0);
    QCOMPARE(m_changes.load(), 0);
}

void TestApiServer::queueBulk()
{
    const HttpReply added = m_client->post(
        "/jobs/queue/bulk",
        {{"dealer_ids", QJsonArray{"12284", "00999", " 12284 ", ""}}, {"fetch_type", "prospect"}});
    QCOMPARE(added.status, 201);
    QCOMPARE(added.json().value("added").toInt(), 2);
    const QJsonArray ids = added.json().value("job_ids").toArray();
    QCOMPARE(ids.size(), 2);
    QCOMPARE(added.json().value("skipped").toArray().size(), 0);
    QCOMPARE(m_changes.load(), 1);

    const HttpReply again =
        m_client->post("/jobs/queue/bulk", {{"dealer_ids", QJsonArray{"12284", "A7", "00999"}},
                                            {"fetch_type", "prospect"}});
    QCOMPARE(again.status, 201);
    QCOMPARE(again.json().value("added").toInt(), 1);
    const QJsonArray skipped = again.json().value("skipped").toArray();
    QCOMPARE(skipped.size(), 2);
    QCOMPARE(skipped.at(0).toObject().value("dealer_id").toString(), QStringLiteral("12284"));
    QCOMPARE(skipped.at(0).toObject().value("existing_job_id"), ids.at(0));
    QCOMPARE(skipped.at(1).toObject().value("dealer_id").toString(), QStringLiteral("00999"));

    const HttpReply nothing = m_client->post(
        "/jobs/queue/bulk", {{"dealer_ids", QJsonArray{"12284"}}, {"fetch_type", "prospect"}});
    QCOMPARE(nothing.status, 200);
    QCOMPARE(nothing.json().value("added").toInt(), 0);

    const HttpReply refused =
        m_client->post("/jobs/queue/bulk", {{"dealer_ids", QJsonArray{"B1", "no good", "B2", "#3"}},
                                            {"fetch_type", "sales"}});
    QCOMPARE(refused.status, 400);
    QCOMPARE(refused.errorField(), QStringLiteral("dealer_ids"));
    const QJsonArray details = refused.json().value("error").toObject().value("details").toArray();
    QCOMPARE(details.size(), 2);
    QCOMPARE(details.at(0).toObject().value("dealer_id").toString(), QStringLiteral("no good"));
    QCOMPARE(details.at(1).toObject().value("dealer_id").toString(), QStringLiteral("#3"));
    QCOMPARE(queuedCount(), 3);

    const HttpReply partial =
        m_client->post("/jobs/queue/bulk", {{"dealer_ids", QJsonArray{"B1", "no good", "B2"}},
                                            {"fetch_type", "sales"},
                                            {"partial", true}});
    QCOMPARE(partial.status, 201);
    QCOMPARE(partial.json().value("added").toInt(), 2);
    QCOMPARE(partial.json().value("skipped").toArray().at(0).toObject().value("dealer_id"),
             QJsonValue("no good"));
    QCOMPARE(queuedCount(), 5);
}

void TestApiServer::queueStatus()
{
    for (const char *id : {"S1", "S2", "S3", "S4", "S5"})
        makeJob(id, JobStatus::Queued);
    const HttpReply status = m_client->get("/jobs/queue/status?limit=2");
    QCOMPARE(status.status, 200);
    const QJsonObject body = status.json();
    QCOMPARE(body.value("queue_length").toInt(), 5);
    QCOMPARE(body.value("queued_jobs").toArray().size(), 2);
    QCOMPARE(body.value("queued_jobs").toArray().at(0).toObject().value("dealer_id"),
             QJsonValue("S1"));
    QVERIFY(body.value("current_job").isNull());
    QCOMPARE(body.value("is_processing").toBool(), false);
    QCOMPARE(body.value("is_paused").toBool(), false);
    QCOMPARE(m_client->get("/jobs/queue/status").json().value("queued_jobs").toArray().size(), 5);

    StoreError error;
    QVERIFY(m_store->claimNext("test-runner", &error));
    const QJsonObject busy = m_client->get("/jobs/queue/status?limit=0").json();
    QCOMPARE(busy.value("queue_length").toInt(), 4);
    QCOMPARE(busy.value("queued_jobs").toArray().size(), 0);
    QCOMPARE(busy.value("is_processing").toBool(), true);
    QCOMPARE(busy.value("current_job").toObject().value("dealer_id"), QJsonValue("S1"));
    QVERIFY(busy.value("current_job").toObject().value("duration_s").isDouble());

    const HttpReply bad = m_client->get("/jobs/queue/status?limit=-1");
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.errorField(), QStringLiteral("limit"));
}

void TestApiServer::statusFollowsEveryChange()
{
    // Every change another connection commits shows at once, however often status is asked.
    const auto status = [this] { return m_client->get("/jobs/queue/status").json(); };
    QCOMPARE(status().value("queue_length").toInt(), 0);
    const Job a = makeJob("V1", JobStatus::Queued);
    QCOMPARE(status().value("queue_length").toInt(), 1);
    QCOMPARE(status(), status());
    const Job b = makeJob("V2", JobStatus::Queued);
    QCOMPARE(status().value("queued_jobs").toArray().size(), 2);
    StoreError error;
    QVERIFY(m_store->cancelJob(b.id, &error));
    QCOMPARE(status().value("queue_length").toInt(), 1);
    QVERIFY(m_store->setPaused(true, &error));
    QCOMPARE(status().value("is_paused").toBool(), true);
    QVERIFY(m_store->setPaused(false, &error));
    QCOMPARE(status().value("is_paused").toBool(), false);
    QVERIFY(m_store->claimNext("test-runner", &error));
    const QJsonObject running = status();
    QCOMPARE(running.value("current_job").toObject().value("job_id").toInteger(), a.id);
    QCOMPARE(running.value("queue_length").toInt(), 0);
    // The running job's duration is of now, not of the last read.
    QTest::qWait(60);
    const double later = status().value("current_job").toObject().value("duration_s").toDouble();
    QVERIFY(later >= running.value("current_job").toObject().value("duration_s").toDouble() + 0.05);
    // And the API's own changes, with limits switching back and forth.
    QCOMPARE(m_client->post("/jobs/queue", {{"dealer_id", "V3"}, {"fetch_type", "sales"}}).status,
             201);
    QCOMPARE(m_client->get("/jobs/queue/status?limit=0").json().value("queue_length").toInt(), 1);
    QCOMPARE(status().value("queued_jobs").toArray().size(), 1);
    QCOMPARE(
        m_client->get("/jobs/queue/status?limit=0").json().value("queued_jobs").toArray().size(),
        0);
}

void TestApiServer::jobStatus()
{
    const Job job = makeJob("00999", JobStatus::Completed);
    const HttpReply reply = m_client->get(QStringLiteral("/jobs/queue/%1/status").arg(job.id));
    QCOMPARE(reply.status, 200);
    const QJsonObject body = reply.json();
    QCOMPARE(body.value("job_id").toInteger(), job.id);
    QCOMPARE(body.value("dealer_id").toString(), QStringLiteral("00999"));
    QCOMPARE(body.value("status").toString(), QStringLiteral("completed"));
    QCOMPARE(body.value("result").toObject().value("fetched").toInt(), 3);
    QVERIFY(body.value("finished_at").toString().contains('T'));
    const HttpReply missing = m_client->get("/jobs/queue/4242/status");
    QCOMPARE(missing.status, 404);
    QCOMPARE(missing.errorCode(), QStringLiteral("job_not_found"));
    QCOMPARE(missing.errorField(), QStringLiteral("job_id"));
}

void TestApiServer::cancel()
{
    const Job running = makeJob("R1", JobStatus::Running);
    const Job queued = makeJob("Q1", JobStatus::Queued);
    const Job other = makeJob("D1", JobStatus::Queued);
    StoreError error;
    const HttpReply cancelled = m_client->del(QStringLiteral("/jobs/queue/%1").arg(queued.id));
    QCOMPARE(cancelled.status, 200);
    QCOMPARE(cancelled.json().value("status").toString(), QStringLiteral("cancelled"));
    QCOMPARE(m_store->job(queued.id, &error)->status, JobStatus::Cancelled);

    const HttpReply aborting = m_client->del(QStringLiteral("/jobs/queue/%1").arg(running.id));
    QCOMPARE(aborting.status, 202);
    QCOMPARE(aborting.json().value("cancel_requested").toBool(), true);
    QCOMPARE(m_cancelled.load(), running.id);
    QVERIFY(*m_store->isCancelRequested(running.id, &error));

    const HttpReply finished = m_client->del(QStringLiteral("/jobs/queue/%1").arg(queued.id));
    QCOMPARE(finished.status, 409);
    QCOMPARE(finished.errorCode(), QStringLiteral("already_finished"));
    QCOMPARE(m_client->del("/jobs/queue/98765").status, 404);
    QCOMPARE(m_store->job(other.id, &error)->status, JobStatus::Queued); // only the one asked
    QCOMPARE(m_changes.load(), 2);
}

void TestApiServer::clearCompleted()
{
    makeJob("C1", JobStatus::Completed);
    makeJob("C2", JobStatus::Failed);
    makeJob("C3", JobStatus::Cancelled);
    makeJob("C4", JobStatus::Queued);
    const HttpReply reply = m_client->del("/jobs/queue/completed");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.json(), (QJsonObject{{"removed", 3}}));
    QCOMPARE(queuedCount(), 1);
    QCOMPARE(m_client->del("/jobs/queue/completed").json(), (QJsonObject{{"removed", 0}}));
}

void TestApiServer::retry()
{
    // makeJob() claims the head of the queue: build the finished ones while it is empty.
    const Job failed = makeJob("F1", JobStatus::Failed);
    const Job cancelled = makeJob("T1", JobStatus::Cancelled);
    const Job twin = makeJob("T1", JobStatus::Queued);
    QVERIFY(twin.id != cancelled.id);
    const HttpReply retried =
        m_client->request("POST", QStringLiteral("/jobs/queue/%1/retry").arg(failed.id));
    QCOMPARE(retried.status, 200);
    QCOMPARE(retried.json().value("status").toString(), QStringLiteral("queued"));
    QCOMPARE(retried.json().value("job_id").toInteger(), failed.id);
    QCOMPARE(m_changes.load(), 1);
    const HttpReply again =
        m_client->request("POST", QStringLiteral("/jobs/queue/%1/retry").arg(failed.id));
    QCOMPARE(again.status, 409);
    QCOMPARE(again.errorCode(), QStringLiteral("not_retryable"));

    // A twin already queued: the retry would queue it twice.
    const HttpReply refused =
        m_client->request("POST", QStringLiteral("/jobs/queue/%1/retry").arg(cancelled.id));
    QCOMPARE(refused.status, 409);
    QCOMPARE(refused.json().value("error").toObject().value("existing_job_id").toInteger(),
             twin.id);
    QCOMPARE(m_client->request("POST", "/jobs/queue/5555/retry").status, 404);
    QCOMPARE(m_changes.load(), 1);
}

void TestApiServer::pauseAndResume()
{
    const HttpReply paused = m_client->request("POST", "/jobs/queue/pause");
    QCOMPARE(paused.status, 200);
    QCOMPARE(paused.json(), (QJsonObject{{"is_paused", true}}));
    StoreError error;
    QCOMPARE(*m_store->isPaused(&error), true);
    QCOMPARE(m_client->get("/jobs/queue/status").json().value("is_paused").toBool(), true);
    const HttpReply resumed = m_client->request("POST", "/jobs/queue/resume");
    QCOMPARE(resumed.json(), (QJsonObject{{"is_paused", false}}));
    QCOMPARE(*m_store->isPaused(&error), false);
    QCOMPARE(m_changes.load(), 2);
}

void TestApiServer::history()
{
    const Job a = makeJob("H1", JobStatus::Completed);
    const Job b = makeJob("H2", JobStatus::Failed);
    const Job c = makeJob("H1", JobStatus::Cancelled);
    makeJob("H3", JobStatus::Queued);
    QTest::qWait(5); // distinct finish times are not needed: ties break by id
    const QJsonObject all = m_client->get("/jobs/history").json();
    QCOMPARE(all.value("total").toInt(), 3);
    const QJsonArray jobs = all.value("jobs").toArray();
    QCOMPARE(jobs.size(), 3);
    QCOMPARE(jobs.at(0).toObject().value("job_id").toInteger(), c.id); // newest first
    QCOMPARE(jobs.at(2).toObject().value("job_id").toInteger(), a.id);

    const QJsonObject failed = m_client->get("/jobs/history?status=failed").json();
    QCOMPARE(failed.value("total").toInt(), 1);
    QCOMPARE(failed.value("jobs").toArray().at(0).toObject().value("job_id").toInteger(), b.id);
    const QJsonObject two = m_client->get("/jobs/history?status=completed,cancelled").json();
    QCOMPARE(two.value("total").toInt(), 2);
    const QJsonObject dealer = m_client->get("/jobs/history?dealer_id=H1").json();
    QCOMPARE(dealer.value("total").toInt(), 2);
    const QJsonObject page = m_client->get("/jobs/history?limit=1&offset=1").json();
    QCOMPARE(page.value("jobs").toArray().size(), 1);
    QCOMPARE(page.value("jobs").toArray().at(0).toObject().value("job_id").toInteger(), b.id);
    QCOMPARE(page.value("total").toInt(), 3);
    QCOMPARE(page.value("offset").toInt(), 1);

    const HttpReply bad = m_client->get("/jobs/history?status=done");
    QCOMPARE(bad.status, 400);
    QCOMPARE(bad.errorField(), QStringLiteral("status"));
    QCOMPARE(m_client->get("/jobs/history?limit=x").errorField(), QStringLiteral("limit"));
    QCOMPARE(m_client->get("/jobs/history?offset=-3").errorField(), QStringLiteral("offset"));
    QCOMPARE(m_client->get("/jobs/history?dealer_id=%3Dcmd").errorField(),
             QStringLiteral("dealer_id"));
}

void TestApiServer::historyCsvStreamsEveryJob()
{
    const int count = 20000;
    QStringList ids;
    for (int i = 0; i < count / 2; ++i)
        ids << QStringLiteral("D%1").arg(i);
    StoreError error;
    QVERIFY(m_store->addJobs(
        ids, {QString(), "sales", 1749700000000, 1749786399000, 0, false, "test"}, &error));
    QVERIFY(m_store->addJobs(
        ids, {QString(), "service", 1749700000000, 1749786399000, 0, false, "test"}, &error));
    makeJob("=cmd", JobStatus::Failed); // not a valid ID via the API; still exported safely
    QBuffer expected;
    expected.open(QIODevice::WriteOnly);
    QString why;
    QVERIFY(Csv::exportJobs(*m_store, &expected, &why));

    const HttpReply reply = m_client->get("/jobs/history.csv");
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.error.isEmpty());
    QCOMPARE(reply.header("Content-Type"), QByteArray("text/csv; charset=utf-8"));
    QVERIFY(reply.header("Content-Disposition").contains("attachment"));
    QVERIFY(reply.body.startsWith(Csv::header()));
    QCOMPARE(reply.body.count('\n'), count + 2);
    QCOMPARE(reply.body, expected.data());
    QVERIFY(reply.body.contains(",'=cmd,"));
    // The connection is still good for the next call.
    QCOMPARE(m_client->get("/jobs/queue/status?limit=0").status, 200);
}

void TestApiServer::historyXlsxIsAWorkbook()
{
    makeJob("00999", JobStatus::Completed);
    makeJob("A1", JobStatus::Failed);
    const HttpReply reply = m_client->get("/jobs/history.xlsx");
    QCOMPARE(reply.status, 200);
    QVERIFY(reply.error.isEmpty());
    QCOMPARE(reply.header("Content-Type"),
             QByteArray("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
    QCOMPARE(reply.header("Content-Disposition"),
             QByteArray("attachment; filename=\"dealerq-jobs.xlsx\""));
    QVERIFY(reply.body.startsWith("PK"));
    // Whole: a zip ends with its end-of-central-directory record.
    QVERIFY(reply.body.right(22).startsWith("PK\x05\x06"));
    QCOMPARE(m_client->get("/jobs/history.xlsx?x=1").status, 400);
    QCOMPARE(m_client->get("/jobs/queue/status?limit=0").status, 200);
}

void TestApiServer::legacyCallsGoThroughTheQueue()
{
    makeJob("L1", JobStatus::Queued);
    makeJob("L2", JobStatus::Queued);
    const HttpReply run =
        m_client->post("/jobs/run", {{"dealer_id", "12284"}, {"fetch_type", "prospect"}});
    QCOMPARE(run.status, 201);
    QCOMPARE(run.json().value("deprecated").toBool(), true);
    QCOMPARE(run.json().value("status").toString(), QStringLiteral("queued"));
    QCOMPARE(run.header("Deprecation"), QByteArray("true"));
    const HttpReply bulk =
        m_client->post("/jobs/run-bulk", {{"dealer_ids", QJsonArray{"12284", "00999", "A5"}},
                                          {"fetch_type", "sales"}});
    QCOMPARE(bulk.status, 201);
    QCOMPARE(bulk.json().value("deprecated").toBool(), true);
    QCOMPARE(bulk.json().value("added").toInt(), 3);
    // Run-next: the legacy jobs go before L1 and L2, the bulk ones in the order given.
    const QJsonArray order =
        m_client->get("/jobs/queue/status").json().value("queued_jobs").toArray();
    QStringList dealers;
    for (const QJsonValue &job : order)
        dealers << job.toObject().value("dealer_id").toString() + '/' +
                       job.toObject().value("fetch_type").toString();
    QCOMPARE(dealers, (QStringList{"12284/sales", "00999/sales", "A5/sales", "12284/prospect",
                                   "L1/sales", "L2/sales"}));
}

void TestApiServer::bodyOverOneMebibyteIsRefusedUnread()
{
    // Declare 2 MiB, send only the head and a little: the answer must come at once.
    QByteArray head = "POST /jobs/queue/bulk HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                      Token + "\r\nContent-Type: application/json\r\nContent-Length: " +
                      QByteArray::number(2 * 1024 * 1024) + "\r\n\r\n";
    QElapsedTimer clock;
    clock.start();
    const HttpReply reply = m_client->raw(head + QByteArray(64 * 1024, ' '), 5000);
    QCOMPARE(reply.status, 413);
    QCOMPARE(reply.errorCode(), QStringLiteral("payload_too_large"));
    QCOMPARE(reply.header("Connection"), QByteArray("close"));
    QVERIFY(clock.elapsed() < 3000);
    QCOMPARE(queuedCount(), 0);

    // Exactly 1 MiB is accepted (and is then bad JSON: a padded object is fine).
    QByteArray body = R"({"dealer_ids":["M1"],"fetch_type":"sales"})";
    body += QByteArray(1024 * 1024 - body.size(), ' ');
    const HttpReply fits =
        m_client->request("POST", "/jobs/queue/bulk", body, {{"Content-Type", "application/json"}});
    QCOMPARE(fits.status, 201);
    const HttpReply over = m_client->request("POST", "/jobs/queue/bulk", body + ' ',
                                             {{"Content-Type", "application/json"}});
    QCOMPARE(over.status, 413);
    QCOMPARE(queuedCount(), 1);
}

void TestApiServer::expectContinue()
{
    const QByteArray body = R"({"dealer_id":"E1","fetch_type":"sales"})";
    QByteArray head = "POST /jobs/queue HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Token +
                      "\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                      "Content-Length: " +
                      QByteArray::number(body.size()) + "\r\n\r\n";
    QVERIFY(m_client->connectNow());
    m_client->socket().write(head);
    QVERIFY(m_client->socket().waitForReadyRead(5000));
    QByteArray interim;
    while (!interim.contains("\r\n\r\n") && m_client->socket().waitForReadyRead(2000))
        interim += m_client->socket().readAll();
    interim += m_client->socket().readAll();
    QVERIFY2(interim.startsWith("HTTP/1.1 100 Continue\r\n\r\n"), interim.constData());
    const HttpReply reply = m_client->raw(body);
    QCOMPARE(reply.status, 201);

    ApiClient big(m_api->port(), Token);
    const HttpReply refused = big.raw("POST /jobs/queue HTTP/1.1\r\nHost: x\r\nAuthorization: "
                                      "Bearer " +
                                      Token +
                                      "\r\nContent-Type: application/json\r\nExpect: "
                                      "100-continue\r\nContent-Length: 5000000\r\n\r\n");
    QCOMPARE(refused.status, 413);
}

void TestApiServer::headOverLimitIs431()
{
    QByteArray head =
        "GET /jobs/queue/status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Token + "\r\n";
    for (int i = 0; head.size() < 70 * 1024; ++i)
        head += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(200, 'a') + "\r\n";
    const HttpReply reply = m_client->raw(head); // never ends: the guard must not wait for it
    QCOMPARE(reply.status, 431);
    QCOMPARE(reply.errorCode(), QStringLiteral("header_too_large"));
    // A large but allowed head is fine.
    QByteArray fine = "GET /jobs/queue/status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                      Token + "\r\nX-Big: " + QByteArray(60 * 1024, 'b') + "\r\n\r\n";
    QCOMPARE(m_client->raw(fine).status, 200);
}

void TestApiServer::chunkedBodyIs411()
{
    const HttpReply reply =
        m_client->raw("POST /jobs/queue HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Token +
                      "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                      "10\r\n{\"dealer_id\":\"1\"\r\n0\r\n\r\n");
    QCOMPARE(reply.status, 411);
    QCOMPARE(reply.errorCode(), QStringLiteral("length_required"));
    QCOMPARE(queuedCount(), 0);
}

void TestApiServer::malformedRequests()
{
    QCOMPARE(m_client->raw("HELLO\r\n\r\n").status, 400);
    QCOMPARE(m_client->raw("GET /health HTTP/1.1\r\nno colon here\r\n\r\n").status, 400);
    QCOMPARE(m_client->raw("GET /health HTTP/1.1\r\nContent-Length: 1x\r\n\r\n").status, 400);
    QCOMPARE(m_client
                 ->raw("GET /health HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: "
                       "2\r\n\r\nab")
                 .status,
             400);
    QCOMPARE(m_client->raw("BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n").status, 405);
    // The server is still fine.
    QCOMPARE(m_client->request("GET", "/health", {}, {}, false).status, 200);
}

void TestApiServer::keepAliveAndConnectionClose()
{
    QVERIFY(m_client->connectNow());
    const qintptr before = m_client->socket().socketDescriptor();
    for (int i = 0; i < 3; ++i)
        QCOMPARE(m_client->get("/jobs/queue/status").status, 200);
    QCOMPARE(m_client->socket().socketDescriptor(), before);
    QCOMPARE(m_client->socket().state(), QAbstractSocket::ConnectedState);
    const HttpReply closing = m_client->request("GET", "/health", {}, {{"Connection", "close"}});
    QCOMPARE(closing.status, 200);
    QCOMPARE(closing.header("Connection"), QByteArray("close"));
    QCOMPARE(m_client->socket().state(), QAbstractSocket::UnconnectedState);
}

void TestApiServer::pipelinedRequestsAnsweredInOrder()
{
    // Three requests in one write, a body among them: each answered once, in order, and the
    // connection closes after the third, which asks for it (and only then). Qt 6.4's server
    // reads all three at once, 6.8's one at a time; the guard must follow both.
    const QByteArray auth = "Authorization: Bearer " + Token + "\r\n";
    const QByteArray body = R"({"dealer_id":"P1","fetch_type":"sales"})";
    QVERIFY(m_client->connectNow());
    m_client->socket().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                             "POST /jobs/queue HTTP/1.1\r\nHost: x\r\n" +
                             auth + "Content-Type: application/json\r\nContent-Length: " +
                             QByteArray::number(body.size()) + "\r\n\r\n" + body +
                             "GET /jobs/queue/status HTTP/1.1\r\nHost: x\r\n" + auth +
                             "Connection: close\r\n\r\n");
    const HttpReply health = m_client->read(5000);
    QCOMPARE(health.status, 200);
    QCOMPARE(health.header("Connection"), QByteArray());
    const HttpReply queued = m_client->read(5000);
    QCOMPARE(queued.status, 201);
    QCOMPARE(queued.json().value("dealer_id").toString(), QStringLiteral("P1"));
    QCOMPARE(queued.header("Connection"), QByteArray());
    const HttpReply status = m_client->read(5000);
    QCOMPARE(status.status, 200);
    QCOMPARE(status.json().value("queue_length").toInt(), 1);
    QCOMPARE(status.header("Connection"), QByteArray("close"));
    QTcpSocket &socket = m_client->socket();
    QVERIFY(socket.state() == QAbstractSocket::UnconnectedState ||
            socket.waitForDisconnected(5000));
    QCOMPARE(queuedCount(), 1);
}

void TestApiServer::pipelinedHeadWithItsBodyLater()
{
    // A request and the head of the next in one write, that head's body only once the first
    // answer is in: the guard must not take the bytes it saw before for new ones when the
    // server reads them later (Qt 6.8 reads the second head only after answering the first).
    const QByteArray body = R"({"dealer_id":"L1","fetch_type":"sales"})";
    QVERIFY(m_client->connectNow());
    m_client->socket().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                             "POST /jobs/queue HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                             Token + "\r\nContent-Type: application/json\r\nContent-Length: " +
                             QByteArray::number(body.size()) + "\r\n\r\n");
    QCOMPARE(m_client->read(5000).status, 200);
    m_client->socket().write(body);
    const HttpReply queued = m_client->read(5000);
    QVERIFY2(queued.status == 201, queued.body.constData());
    QCOMPARE(queued.json().value("dealer_id").toString(), QStringLiteral("L1"));
    // And the connection goes on.
    QCOMPARE(m_client->get("/jobs/queue/status").status, 200);
    QCOMPARE(queuedCount(), 1);
}

void TestApiServer::slowRequestTimesOut()
{
    ApiLimits limits;
    limits.idleTimeoutMs = 400;
    QVERIFY(startApi(limits));
    QVERIFY(m_client->connectNow());
    QElapsedTimer clock;
    clock.start();
    // A head that trickles in and never completes (slowloris) gets a 408 and a close.
    m_client->socket().write("GET /jobs/queue/status HTTP/1.1\r\nHost: x\r\n");
    m_client->socket().waitForBytesWritten(1000);
    for (int i = 0; i < 3; ++i) {
        QTest::qWait(100);
        m_client->socket().write("X-Slow: 1\r\n");
        m_client->socket().waitForBytesWritten(1000);
    }
    const HttpReply reply = m_client->read(5000);
    QCOMPARE(reply.status, 408);
    QVERIFY2(clock.elapsed() < 3000, QByteArray::number(clock.elapsed()).constData());
}

void TestApiServer::idleConnectionIsClosed()
{
    ApiLimits limits;
    limits.idleTimeoutMs = 300;
    QVERIFY(startApi(limits));
    QCOMPARE(m_client->get("/jobs/queue/status").status, 200);
    QElapsedTimer clock;
    clock.start();
    QTcpSocket &socket = m_client->socket();
    QVERIFY(socket.state() == QAbstractSocket::UnconnectedState ||
            socket.waitForDisconnected(5000));
    QVERIFY(clock.elapsed() >= 200);
    QVERIFY(clock.elapsed() < 3000);
    // A fresh connection works.
    QCOMPARE(m_client->get("/jobs/queue/status").status, 200);
}

void TestApiServer::tokenCanBeReplaced()
{
    QSignalSpy changed(m_api.get(), &ApiService::tokenChanged);
    const QByteArray fresh = m_api->regenerateToken();
    QCOMPARE(fresh.size(), 43);
    QVERIFY(fresh != Token);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_client->get("/jobs/queue/status").status, 401);
    m_client->setToken(fresh);
    QCOMPARE(m_client->get("/jobs/queue/status").status, 200);
    QVERIFY(ApiService::generateToken() != ApiService::generateToken());
    QVERIFY(!m_api->isExposed());
    QCOMPARE(m_api->baseUrl().toString(), QStringLiteral("http://127.0.0.1:%1").arg(m_api->port()));
}

QTEST_GUILESS_MAIN(TestApiServer)
#include "tst_apiserver.moc"
