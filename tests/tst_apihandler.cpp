#include "api/apihandler.h"
#include "api/apimetrics.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QTest>

namespace {

const QByteArray Token = "handler-test-token-0123456789";

} // namespace

/// The REST API's logic without HTTP: the routing table, the token, every validation rule,
/// and that a refused call changes nothing.
class TestApiHandler final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void routing_data();
    void routing();
    void tokenIsRequiredAndCompared();
    void tokensMatchInConstantTimeShape();
    void refusedInputChangesNothing_data();
    void refusedInputChangesNothing();
    void bulkNamesEveryBadId();
    void bulkRefusesMoreThanTenThousand();
    void hooksFollowMutations();
    void metricsRenderIsWellFormed();

private:
    ApiRequest request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                       const QByteArray &contentType = "application/json");
    ApiResponse call(const QByteArray &method, const QString &path, const QByteArray &body = {});
    static QJsonObject json(const ApiResponse &response)
    {
        return QJsonDocument::fromJson(response.body).object();
    }
    static QString code(const ApiResponse &response)
    {
        return json(response).value("error").toObject().value("code").toString();
    }
    static QString field(const ApiResponse &response)
    {
        return json(response).value("error").toObject().value("field").toString();
    }
    qint64 jobCount();

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<ApiHandler> m_handler;
    ApiMetrics m_metrics;
    int m_changes = 0;
    QList<qint64> m_cancels;
};

void TestApiHandler::init()
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
    config.metrics = &m_metrics;
    m_handler = std::make_unique<ApiHandler>(*m_store, config);
    m_changes = 0;
    m_cancels.clear();
}

void TestApiHandler::cleanup()
{
    m_handler.reset();
    m_store.reset();
    m_db.reset();
}

ApiRequest TestApiHandler::request(const QByteArray &method, const QString &path,
                                   const QByteArray &body, const QByteArray &contentType)
{
    ApiRequest r;
    r.method = method;
    const QUrl url(path);
    r.path = url.path();
    r.query = QUrlQuery(url.query());
    r.headers = {{"Authorization", "Bearer " + Token}};
    if (!contentType.isEmpty())
        r.headers.push_back({"Content-Type", contentType});
    r.body = body;
    return r;
}

ApiResponse TestApiHandler::call(const QByteArray &method, const QString &path,
                                 const QByteArray &body)
{
    return m_handler->handle(request(method, path, body));
}

qint64 TestApiHandler::jobCount()
{
    StoreError error;
    const std::optional<JobCounts> counts = m_store->counts(0, &error);
    return counts ? counts->queued + counts->running + counts->completed + counts->failed +
                        counts->cancelled
                  : -1;
}

void TestApiHandler::routing_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("allow");

    QTest::newRow("unknown route") << QByteArray("GET") << "/jobs/nothing" << 404 << QByteArray();
    QTest::newRow("root") << QByteArray("GET") << "/" << 404 << QByteArray();
    QTest::newRow("trailing slash")
        << QByteArray("GET") << "/jobs/queue/status/" << 404 << QByteArray();
    QTest::newRow("id not a number")
        << QByteArray("GET") << "/jobs/queue/abc/status" << 404 << QByteArray();
    QTest::newRow("id zero") << QByteArray("GET") << "/jobs/queue/0/status" << 404 << QByteArray();
    QTest::newRow("GET on queue") << QByteArray("GET") << "/jobs/queue" << 405
                                  << QByteArray("POST");
    QTest::newRow("PUT on status")
        << QByteArray("PUT") << "/jobs/queue/status" << 405 << QByteArray("GET");
    QTest::newRow("GET completed is not an id")
        << QByteArray("GET") << "/jobs/queue/completed" << 405 << QByteArray("DELETE");
    QTest::newRow("DELETE pause") << QByteArray("DELETE") << "/jobs/queue/pause" << 405
                                  << QByteArray("POST");
    QTest::newRow("POST job status")
        << QByteArray("POST") << "/jobs/queue/7/status" << 405 << QByteArray("GET");
    QTest::newRow("GET job") << QByteArray("GET") << "/jobs/queue/7" << 405 << QByteArray("DELETE");
    QTest::newRow("POST history") << QByteArray("POST") << "/jobs/history" << 405
                                  << QByteArray("GET, DELETE");
    QTest::newRow("GET retry") << QByteArray("GET") << "/jobs/retry" << 405 << QByteArray("POST");
    QTest::newRow("DELETE cancel")
        << QByteArray("DELETE") << "/jobs/cancel" << 405 << QByteArray("POST");
    QTest::newRow("DELETE metrics")
        << QByteArray("DELETE") << "/metrics" << 405 << QByteArray("GET");
    QTest::newRow("GET run") << QByteArray("GET") << "/jobs/run" << 405 << QByteArray("POST");
    QTest::newRow("POST health") << QByteArray("POST") << "/health" << 405 << QByteArray("GET");
    QTest::newRow("clear completed")
        << QByteArray("DELETE") << "/jobs/queue/completed" << 200 << QByteArray();
    QTest::newRow("unknown job") << QByteArray("DELETE") << "/jobs/queue/99" << 404 << QByteArray();
}

void TestApiHandler::routing()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(int, status);
    QFETCH(QByteArray, allow);
    const ApiResponse response = call(method, path);
    QCOMPARE(response.status, status);
    if (status == 405) {
        QCOMPARE(code(response), QStringLiteral("method_not_allowed"));
        QByteArray header;
        for (const auto &[name, value] : response.headers) {
            if (name == "Allow")
                header = value;
        }
        QCOMPARE(header, allow);
    }
    if (status == 404)
        QVERIFY(code(response) == "not_found" || code(response) == "job_not_found");
}

void TestApiHandler::tokenIsRequiredAndCompared()
{
    ApiRequest r = request("GET", "/jobs/queue/status");
    r.headers = {};
    QCOMPARE(m_handler->handle(r).status, 401);
    QCOMPARE(code(m_handler->handle(r)), QStringLiteral("unauthorized"));
    r.headers = {{"Authorization", "Bearer " + Token + "x"}};
    QCOMPARE(m_handler->handle(r).status, 401);
    r.headers = {{"Authorization", "Basic " + Token}};
    QCOMPARE(m_handler->handle(r).status, 401);
    r.headers = {{"Authorization", "Bearer"}};
    QCOMPARE(m_handler->handle(r).status, 401);
    r.headers = {{"authorization", "bearer " + Token}};
    QCOMPARE(m_handler->handle(r).status, 200);
    // Unknown routes are not told apart without the token.
    r.path = "/no/such/route";
    r.headers = {};
    QCOMPARE(m_handler->handle(r).status, 401);
    // /health needs none.
    r.path = "/health";
    const ApiResponse health = m_handler->handle(r);
    QCOMPARE(health.status, 200);
    QCOMPARE(json(health), (QJsonObject{{"status", "ok"}, {"database", "ok"}}));

    // No token configured: nobody gets in.
    ApiHandler::Config closed;
    closed.token = [] { return QByteArray(); };
    ApiHandler locked(*m_store, closed);
    r = request("GET", "/jobs/queue/status");
    r.headers = {{"Authorization", "Bearer "}};
    QCOMPARE(locked.handle(r).status, 401);
}

void TestApiHandler::tokensMatchInConstantTimeShape()
{
    QVERIFY(ApiHandler::tokensMatch("abc", "abc"));
    QVERIFY(!ApiHandler::tokensMatch("abd", "abc"));
    QVERIFY(!ApiHandler::tokensMatch("ab", "abc"));
    QVERIFY(!ApiHandler::tokensMatch("abcd", "abc"));
    QVERIFY(!ApiHandler::tokensMatch("", ""));
    QVERIFY(!ApiHandler::tokensMatch("x", ""));
}

void TestApiHandler::refusedInputChangesNothing_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("field");

    const QByteArray json = "application/json";
    QTest::newRow("bad JSON") << "/jobs/queue" << QByteArray("{\"dealer_id\": ") << json << 400
                              << "bad_json"
                              << "";
    QTest::newRow("empty body") << "/jobs/queue" << QByteArray() << json << 400 << "bad_json"
                                << "";
    QTest::newRow("array body") << "/jobs/queue" << QByteArray("[1]") << json << 400 << "bad_json"
                                << "";
    QTest::newRow("no content type")
        << "/jobs/queue" << QByteArray(R"({"dealer_id":"1","fetch_type":"sales"})") << QByteArray()
        << 415 << "unsupported_media_type"
        << "Content-Type";
    QTest::newRow("text/plain") << "/jobs/queue"
                                << QByteArray(R"({"dealer_id":"1","fetch_type":"sales"})")
                                << QByteArray("text/plain") << 415 << "unsupported_media_type"
                                << "Content-Type";
    QTest::newRow("latin1") << "/jobs/queue"
                            << QByteArray(R"({"dealer_id":"1","fetch_type":"sales"})")
                            << QByteArray("application/json; charset=latin1") << 415
                            << "unsupported_media_type"
                            << "Content-Type";
    QTest::newRow("dealer_id number")
        << "/jobs/queue" << QByteArray(R"({"dealer_id":999,"fetch_type":"sales"})") << json << 400
        << "wrong_type"
        << "dealer_id";
    QTest::newRow("dealer_id missing") << "/jobs/queue" << QByteArray(R"({"fetch_type":"sales"})")
                                       << json << 400 << "missing_field"
                                       << "dealer_id";
    QTest::newRow("dealer_id invalid")
        << "/jobs/queue" << QByteArray(R"({"dealer_id":"12 84","fetch_type":"sales"})") << json
        << 400 << "invalid_field"
        << "dealer_id";
    QTest::newRow("dealer_id too long")
        << "/jobs/queue"
        << QByteArray(R"({"dealer_id":"123456789012345678901234567890123","fetch_type":"sales"})")
        << json << 400 << "invalid_field"
        << "dealer_id";
    QTest::newRow("fetch_type unknown")
        << "/jobs/queue" << QByteArray(R"({"dealer_id":"1","fetch_type":"leads"})") << json << 400
        << "invalid_field"
        << "fetch_type";
    QTest::newRow("fetch_type missing")
        << "/jobs/queue" << QByteArray(R"({"dealer_id":"1"})") << json << 400 << "missing_field"
        << "fetch_type";
    QTest::newRow("fetch_type wrong type")
        << "/jobs/queue" << QByteArray(R"({"dealer_id":"1","fetch_type":["sales"]})") << json << 400
        << "wrong_type"
        << "fetch_type";
    QTest::newRow("bad date") << "/jobs/queue"
                              << QByteArray(R"({"dealer_id":"1","fetch_type":"sales",)"
                                            R"("from_time":"2025-13-45"})")
                              << json << 400 << "invalid_field"
                              << "from_time";
    QTest::newRow("reversed dates") << "/jobs/queue"
                                    << QByteArray(R"({"dealer_id":"1","fetch_type":"sales",)"
                                                  R"("from_time":"2025-06-12",)"
                                                  R"("to_time":"2025-06-01"})")
                                    << json << 400 << "invalid_field"
                                    << "to_time";
    QTest::newRow("window too long") << "/jobs/queue"
                                     << QByteArray(R"({"dealer_id":"1","fetch_type":"sales",)"
                                                   R"("from_time":"2023-01-01",)"
                                                   R"("to_time":"2025-01-01"})")
                                     << json << 400 << "invalid_field"
                                     << "to_time";
    QTest::newRow("date wrong type")
        << "/jobs/queue"
        << QByteArray(R"({"dealer_id":"1","fetch_type":"sales","to_time":20250612})") << json << 400
        << "wrong_type"
        << "to_time";
    QTest::newRow("empty date") << "/jobs/queue"
                                << QByteArray(R"({"dealer_id":"1","fetch_type":"sales",)"
                                              R"("from_time":""})")
                                << json << 400 << "invalid_field"
                                << "from_time";
    QTest::newRow("priority fraction")
        << "/jobs/queue" << QByteArray(R"({"dealer_id":"1","fetch_type":"sales","priority":1.5})")
        << json << 400 << "invalid_field"
        << "priority";
    QTest::newRow("priority string")
        << "/jobs/queue" << QByteArray(R"({"dealer_id":"1","fetch_type":"sales","priority":"1"})")
        << json << 400 << "wrong_type"
        << "priority";
    QTest::newRow("unknown field")
        << "/jobs/queue" << QByteArray(R"({"dealer_id":"1","fetch_type":"sales","dealer":"2"})")
        << json << 400 << "unknown_field"
        << "dealer";
    QTest::newRow("bulk ids not array")
        << "/jobs/queue/bulk" << QByteArray(R"({"dealer_ids":"1,2","fetch_type":"sales"})") << json
        << 400 << "wrong_type"
        << "dealer_ids";
    QTest::newRow("bulk id number")
        << "/jobs/queue/bulk" << QByteArray(R"({"dealer_ids":["1",2],"fetch_type":"sales"})")
        << json << 400 << "wrong_type"
        << "dealer_ids";
    QTest::newRow("bulk empty") << "/jobs/queue/bulk"
                                << QByteArray(R"({"dealer_ids":[],"fetch_type":"sales"})") << json
                                << 400 << "invalid_field"
                                << "dealer_ids";
    QTest::newRow("bulk blanks only")
        << "/jobs/queue/bulk" << QByteArray(R"({"dealer_ids":[" ",""],"fetch_type":"sales"})")
        << json << 400 << "invalid_field"
        << "dealer_ids";
    QTest::newRow("bulk missing ids")
        << "/jobs/queue/bulk" << QByteArray(R"({"fetch_type":"sales"})") << json << 400
        << "missing_field"
        << "dealer_ids";
    QTest::newRow("bulk partial not bool")
        << "/jobs/queue/bulk"
        << QByteArray(R"({"dealer_ids":["1"],"fetch_type":"sales","partial":"yes"})") << json << 400
        << "wrong_type"
        << "partial";
    QTest::newRow("bulk partial all invalid")
        << "/jobs/queue/bulk"
        << QByteArray(R"({"dealer_ids":["-1","a b"],"fetch_type":"sales","partial":true})") << json
        << 400 << "invalid_dealer_id"
        << "dealer_ids";
    QTest::newRow("run bad") << "/jobs/run" << QByteArray(R"({"dealer_id":"1"})") << json << 400
                             << "missing_field"
                             << "fetch_type";
    QTest::newRow("run-bulk bad") << "/jobs/run-bulk"
                                  << QByteArray(R"({"dealer_ids":["!"],"fetch_type":"sales"})")
                                  << json << 400 << "invalid_dealer_id"
                                  << "dealer_ids";
    QTest::newRow("status limit") << "/jobs/queue/status?limit=abc" << QByteArray() << json << 400
                                  << "invalid_parameter"
                                  << "limit";
    QTest::newRow("status limit big")
        << "/jobs/queue/status?limit=100000" << QByteArray() << json << 400 << "invalid_parameter"
        << "limit";
    QTest::newRow("status unknown param")
        << "/jobs/queue/status?limt=5" << QByteArray() << json << 400 << "unknown_parameter"
        << "limt";
    QTest::newRow("history status")
        << "/jobs/history?status=done" << QByteArray() << json << 400 << "invalid_parameter"
        << "status";
    QTest::newRow("history queued")
        << "/jobs/history?status=queued" << QByteArray() << json << 400 << "invalid_parameter"
        << "status";
    QTest::newRow("history dealer")
        << "/jobs/history?dealer_id=a%20b" << QByteArray() << json << 400 << "invalid_parameter"
        << "dealer_id";
    QTest::newRow("history offset")
        << "/jobs/history?offset=-1" << QByteArray() << json << 400 << "invalid_parameter"
        << "offset";
    QTest::newRow("history limit 0")
        << "/jobs/history?limit=0" << QByteArray() << json << 400 << "invalid_parameter"
        << "limit";
    QTest::newRow("csv param") << "/jobs/history.csv?x=1" << QByteArray() << json << 400
                               << "unknown_parameter"
                               << "x";
}

void TestApiHandler::refusedInputChangesNothing()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(QString, field);
    const QByteArray method =
        path.startsWith("/jobs/queue/status") || path.startsWith("/jobs/history")
            ? QByteArray("GET")
            : QByteArray("POST");
    const ApiResponse response = m_handler->handle(request(method, path, body, contentType));
    QVERIFY2(response.status == status, response.body.constData());
    QCOMPARE(this->code(response), code);
    QCOMPARE(this->field(response), field);
    QVERIFY(!json(response).value("error").toObject().value("message").toString().isEmpty());
    QCOMPARE(jobCount(), 0);
    QCOMPARE(m_changes, 0);
}

void TestApiHandler::bulkNamesEveryBadId()
{
    const ApiResponse refused =
        call("POST", "/jobs/queue/bulk",
             R"({"dealer_ids":["12284","bad id","00999","-x","ok_1"],"fetch_type":"prospect"})");
    QCOMPARE(refused.status, 400);
    const QJsonObject error = json(refused).value("error").toObject();
    QCOMPARE(error.value("field").toString(), QStringLiteral("dealer_ids"));
    QVERIFY(error.value("message").toString().contains("bad id"));
    QVERIFY(error.value("message").toString().contains("-x"));
    const QJsonArray details = error.value("details").toArray();
    QCOMPARE(details.size(), 2);
    QCOMPARE(details.at(0).toObject().value("dealer_id").toString(), QStringLiteral("bad id"));
    QCOMPARE(details.at(1).toObject().value("dealer_id").toString(), QStringLiteral("-x"));
    QCOMPARE(jobCount(), 0);

    const ApiResponse partial = call(
        "POST", "/jobs/queue/bulk",
        R"({"dealer_ids":["12284","bad id","00999","12284"],"fetch_type":"prospect","partial":true})");
    QCOMPARE(partial.status, 201);
    const QJsonObject body = json(partial);
    QCOMPARE(body.value("added").toInt(), 2);
    QCOMPARE(body.value("job_ids").toArray().size(), 2);
    const QJsonArray skipped = body.value("skipped").toArray();
    QCOMPARE(skipped.size(), 1);
    QCOMPARE(skipped.at(0).toObject().value("dealer_id").toString(), QStringLiteral("bad id"));
    QVERIFY(!skipped.at(0).toObject().value("reason").toString().isEmpty());
    QCOMPARE(m_changes, 1);
}

void TestApiHandler::bulkRefusesMoreThanTenThousand()
{
    QJsonArray ids;
    for (int i = 0; i < ApiHandler::MaxDealerIds + 1; ++i)
        ids.push_back(QString::number(i));
    const QJsonObject body{{"dealer_ids", ids}, {"fetch_type", "sales"}};
    const ApiResponse response =
        call("POST", "/jobs/queue/bulk", QJsonDocument(body).toJson(QJsonDocument::Compact));
    QCOMPARE(response.status, 413);
    QCOMPARE(code(response), QStringLiteral("too_many_ids"));
    QCOMPARE(field(response), QStringLiteral("dealer_ids"));
    QCOMPARE(jobCount(), 0);
}

void TestApiHandler::hooksFollowMutations()
{
    const ApiResponse added =
        call("POST", "/jobs/queue", R"({"dealer_id":"00999","fetch_type":"sales"})");
    QCOMPARE(added.status, 201);
    QCOMPARE(json(added).value("dealer_id").toString(), QStringLiteral("00999"));
    QCOMPARE(m_changes, 1);
    const ApiResponse twin =
        call("POST", "/jobs/queue", R"({"dealer_id":"00999","fetch_type":"sales"})");
    QCOMPARE(twin.status, 200);
    QCOMPARE(json(twin).value("duplicate").toBool(), true);
    QCOMPARE(json(twin).value("job_id"), json(added).value("job_id"));
    QCOMPARE(m_changes, 1); // nothing changed

    StoreError error;
    const std::optional<Job> running = m_store->claimNext("handler-test", &error);
    QVERIFY(running);
    const ApiResponse abort = call("DELETE", QStringLiteral("/jobs/queue/%1").arg(running->id));
    QCOMPARE(abort.status, 202);
    QCOMPARE(m_cancels, QList<qint64>{running->id});
    QCOMPARE(m_changes, 2);
    QCOMPARE(call("POST", "/jobs/queue/pause").status, 200);
    QCOMPARE(call("POST", "/jobs/queue/resume").status, 200);
    QCOMPARE(call("DELETE", "/jobs/queue/completed").status, 200);
    QCOMPARE(m_changes, 5);
}

void TestApiHandler::metricsRenderIsWellFormed()
{
    Job job;
    job.status = JobStatus::Completed;
    job.startedMs = 1000;
    job.finishedMs = 4000;
    job.result = JobResult{2, 40, 40, 0, 0};
    m_metrics.observeFinishedJob(job);
    job.status = JobStatus::Queued; // an interrupted attempt: not a finish
    m_metrics.observeFinishedJob(job);
    const ApiResponse response = call("GET", "/metrics");
    QCOMPARE(response.status, 200);
    QVERIFY(response.contentType.startsWith("text/plain; version=0.0.4"));
    const QByteArray text = response.body;
    QVERIFY(text.contains("dealerq_jobs{status=\"queued\"} 0\n"));
    QVERIFY(text.contains("dealerq_queue_length 0\n"));
    QVERIFY(text.contains("dealerq_database_up 1\n"));
    QVERIFY(text.contains("dealerq_job_duration_seconds_bucket{le=\"2.5\"} 0\n"));
    QVERIFY(text.contains("dealerq_job_duration_seconds_bucket{le=\"5\"} 1\n"));
    QVERIFY(text.contains("dealerq_job_duration_seconds_bucket{le=\"+Inf\"} 1\n"));
    QVERIFY(text.contains("dealerq_job_duration_seconds_sum 3\n"));
    QVERIFY(text.contains("dealerq_records_fetched_total 40\n"));
    QVERIFY(text.contains("dealerq_jobs_finished_total{status=\"completed\"} 1\n"));
    // Every sample belongs to a family announced with HELP and TYPE.
    QSet<QByteArray> families;
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith("# TYPE "))
            families.insert(line.split(' ').at(2));
    }
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        QByteArray name = line.left(line.indexOf(line.contains('{') ? '{' : ' '));
        for (const char *suffix : {"_bucket", "_sum", "_count"}) {
            if (!families.contains(name) && name.endsWith(suffix))
                name.chop(qstrlen(suffix));
        }
        QVERIFY2(families.contains(name), line.constData());
    }
}

QTEST_GUILESS_MAIN(TestApiHandler)
#include "tst_apihandler.moc"
