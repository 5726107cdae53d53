#include "api/apihandler.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>

namespace {

const QByteArray Token = "audit-test-token-0123456789";

} // namespace

/// `GET /audit` (SPEC §8) through the API's handler, on SQLite and (as tst_auditapi_pg)
/// PostgreSQL: changes made through the API are audited as its token's actor, the log reads
/// newest first with its total, filters and pages, and bad parameters are a 400 naming them.
class TestAuditApi final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void changesThroughTheApiAreAudited();
    void filtersAndPages();
    void badParametersAreNamed_data();
    void badParametersAreNamed();

private:
    ApiResponse call(const QByteArray &method, const QString &path, const QByteArray &body = {});
    static QJsonObject json(const ApiResponse &response)
    {
        return QJsonDocument::fromJson(response.body).object();
    }

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<ApiHandler> m_handler;
};

void TestAuditApi::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    ApiHandler::Config config;
    config.fetchTypes = QStringList{"prospect", "sales"};
    config.token = [] { return Token; };
    m_handler = std::make_unique<ApiHandler>(*m_store, config);
}

void TestAuditApi::cleanup()
{
    m_handler.reset();
    m_store.reset();
    m_db.reset();
}

ApiResponse TestAuditApi::call(const QByteArray &method, const QString &path,
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

void TestAuditApi::changesThroughTheApiAreAudited()
{
    ApiResponse r = call("POST", "/jobs/queue/bulk",
                         R"({"dealer_ids":["A1","B2"],"fetch_type":"prospect",)"
                         R"("from_time":"2025-06-01","to_time":"2025-06-02"})");
    QVERIFY2(r.status == 200 || r.status == 201, r.body.constData());
    QCOMPARE(call("POST", "/jobs/queue/pause").status, 200);
    r = call("GET", "/audit");
    QCOMPARE(r.status, 200);
    const QJsonObject body = json(r);
    QCOMPARE(body.value("total").toInt(), 2);
    const QJsonArray entries = body.value("entries").toArray();
    QCOMPARE(entries.size(), 2);
    const QJsonObject paused = entries.at(0).toObject();
    QCOMPARE(paused.value("action").toString(), QStringLiteral("queue_paused"));
    QCOMPARE(paused.value("actor").toString(), QStringLiteral("api:default"));
    QCOMPARE(paused.value("job_ids").toArray().size(), 0);
    const QJsonObject queued = entries.at(1).toObject();
    QCOMPARE(queued.value("action").toString(), QStringLiteral("jobs_queued"));
    QCOMPARE(queued.value("count").toInt(), 2);
    QCOMPARE(queued.value("job_ids").toArray().size(), 2);
    QVERIFY(queued.value("detail").toString().contains(QLatin1String("prospect")));
    // Every key of SPEC §8, `at` as every timestamp the API gives (§1).
    for (const char *key : {"at", "actor", "action", "job_ids", "count", "detail"})
        QVERIFY2(queued.contains(QLatin1String(key)), key);
    static const QRegularExpression iso(
        QStringLiteral(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$)"));
    QVERIFY2(iso.match(queued.value("at").toString()).hasMatch(),
             qPrintable(queued.value("at").toString()));

    // A refused change leaves no entry.
    const qint64 id = queued.value("job_ids").toArray().at(0).toInteger();
    QCOMPARE(call("POST", QStringLiteral("/jobs/queue/%1/retry").arg(id)).status, 409);
    QCOMPARE(json(call("GET", "/audit")).value("total").toInt(), 2);
}

void TestAuditApi::filtersAndPages()
{
    for (int i = 0; i < 5; ++i) {
        const ApiResponse r =
            call("POST", "/jobs/queue",
                 QStringLiteral(R"({"dealer_id":"D%1","fetch_type":"sales",)"
                                R"("from_time":"2025-06-01","to_time":"2025-06-02"})")
                     .arg(i)
                     .toUtf8());
        QVERIFY2(r.status == 201 || r.status == 200, r.body.constData());
    }
    QCOMPARE(call("POST", "/jobs/queue/pause").status, 200);
    QCOMPARE(call("POST", "/jobs/queue/resume").status, 200);

    QJsonObject body = json(call("GET", "/audit?limit=2&offset=1"));
    QCOMPARE(body.value("total").toInt(), 7);
    QJsonArray entries = body.value("entries").toArray();
    QCOMPARE(entries.size(), 2);
    QCOMPARE(entries.at(0).toObject().value("action").toString(), QStringLiteral("queue_paused"));
    QCOMPARE(entries.at(1).toObject().value("action").toString(), QStringLiteral("jobs_queued"));

    body = json(call("GET", "/audit?action=jobs_queued&limit=10"));
    QCOMPARE(body.value("total").toInt(), 5);
    QCOMPARE(body.value("entries").toArray().size(), 5);
    body = json(call("GET", "/audit?actor=api:default&action=queue_resumed"));
    QCOMPARE(body.value("total").toInt(), 1);
    body = json(call("GET", "/audit?actor=window:someone@else"));
    QCOMPARE(body.value("total").toInt(), 0);
    QCOMPARE(body.value("entries").toArray().size(), 0);
    // A filter is data, never SQL.
    const ApiResponse sql = call("GET", "/audit?actor=x%27%20OR%20%271%27%3D%271");
    QCOMPARE(sql.status, 200);
    QCOMPARE(json(sql).value("total").toInt(), 0);
    // Past the end: an empty page, the total still told.
    body = json(call("GET", "/audit?offset=100"));
    QCOMPARE(body.value("entries").toArray().size(), 0);
    QCOMPARE(body.value("total").toInt(), 7);
}

void TestAuditApi::badParametersAreNamed_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("limit 0") << "limit=0"
                             << "limit";
    QTest::newRow("limit huge") << "limit=100000"
                                << "limit";
    QTest::newRow("limit text") << "limit=ten"
                                << "limit";
    QTest::newRow("offset negative") << "offset=-1"
                                     << "offset";
    QTest::newRow("action unknown") << "action=deleted"
                                    << "action";
    QTest::newRow("action sql") << "action=jobs_queued%27%3B%20DROP%20TABLE%20audit"
                                << "action";
    QTest::newRow("actor empty") << "actor="
                                 << "actor";
    QTest::newRow("actor long") << QStringLiteral("actor=%1").arg(QString(201, 'a')) << "actor";
    QTest::newRow("unknown parameter") << "since=yesterday"
                                       << "since";
}

void TestAuditApi::badParametersAreNamed()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    QCOMPARE(call("POST", "/jobs/queue/pause").status, 200);
    const ApiResponse r = call("GET", QStringLiteral("/audit?") + query);
    QCOMPARE(r.status, 400);
    const QJsonObject error = json(r).value("error").toObject();
    QVERIFY2(error.value("field").toString() == field, r.body.constData());
    // Nothing read changed anything: the table is still there with its entry.
    QCOMPARE(json(call("GET", "/audit")).value("total").toInt(), 1);
}

QTEST_GUILESS_MAIN(TestAuditApi)
#include "tst_auditapi.moc"
