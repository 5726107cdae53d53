#include "api/apiservice.h"
#include "apiclient.h"
#include "job/apitoken.h"
#include "queue/scheduler.h"
#include "store/jobstore.h"
#include "store/tokenstore.h"
#include "testsupport.h"

#include <atomic>

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QMutex>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTest>

namespace {

const QByteArray DefaultToken = "tokens-test-default-abcdefghijklmnop";
const QList<QPair<QByteArray, QByteArray>> Json{{"Content-Type", "application/json"}};

/// A wall clock the test moves; read from the API thread.
class ManualClock final : public SchedulerClock
{
public:
    qint64 nowMs() const override { return m_now.load(); }
    void advance(qint64 ms) { m_now += ms; }

private:
    std::atomic<qint64> m_now{1765000000000};
};

/// Every line logged in this process, whichever thread logged it.
QMutex logMutex;
QStringList logLines;
QtMessageHandler previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&logMutex);
        logLines << QString::fromLatin1(context.category ? context.category : "") +
                        QLatin1Char(' ') + message;
    }
    if (previousHandler)
        previousHandler(type, context, message);
}

QString loggedText()
{
    QMutexLocker lock(&logMutex);
    return logLines.join(QLatin1Char('\n'));
}

} // namespace

/// Named API tokens with roles (SPEC §8) over real HTTP on loopback: the token store (salted
/// hashes, names, revocation), the route × role table, a revoked token refused at once by a
/// running instance, and the throttling of failed tokens on a clock the test moves.
class TestApiTokens final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void storedAsSaltedHashOnly();
    void badNamesChangeNothing_data();
    void badNamesChangeNothing();
    void duplicateAndReusedNames();
    void addAndRevokeAreAudited();
    void routeRoleTable_data();
    void routeRoleTable();
    void defaultTokenStillOperates();
    void actorIsTheTokensName();
    void revokedTokenFailsAtOnce();
    void lastUsedIsWrittenAtMostOnceAMinute();
    void throttlingAfterTwentyFailures();
    void failuresOutsideTheWindowDoNotCount();
    void tokensNeverLogged();

private:
    bool startApi();
    QByteArray addToken(const QString &name, TokenRole role);
    Job makeJob(const QString &dealerId, JobStatus finalStatus);
    HttpReply call(const QByteArray &method, const QString &path, const QByteArray &body,
                   const QByteArray &token);

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<ApiService> m_api;
    std::unique_ptr<ApiClient> m_client;
    ManualClock m_clock;
};

void TestApiTokens::initTestCase()
{
    QLoggingCategory::setFilterRules(QStringLiteral("dealerq.*=true"));
    previousHandler = qInstallMessageHandler(captureMessage);
}

void TestApiTokens::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    QVERIFY(startApi());
}

bool TestApiTokens::startApi()
{
    m_client.reset();
    m_api = std::make_unique<ApiService>();
    ApiService::Options options;
    options.database = m_db->url();
    options.fetchTypes = QStringList{"prospect", "sales", "service", "inventory"};
    options.port = 0;
    options.token = DefaultToken;
    options.clock = &m_clock;
    QString why;
    if (!m_api->start(options, &why)) {
        qWarning("%s", qPrintable(why));
        return false;
    }
    m_client = std::make_unique<ApiClient>(m_api->port());
    return true;
}

void TestApiTokens::cleanup()
{
    m_client.reset();
    m_api.reset();
    m_store.reset();
    m_db.reset();
}

QByteArray TestApiTokens::addToken(const QString &name, TokenRole role)
{
    StoreError error;
    const std::optional<QByteArray> token =
        TokenStore(*m_store).add(name, role, QStringLiteral("cli:test@host"), 1000, &error);
    if (!token)
        qWarning("%s", qPrintable(error.message));
    return token.value_or(QByteArray());
}

Job TestApiTokens::makeJob(const QString &dealerId, JobStatus finalStatus)
{
    StoreError error;
    NewJob job{dealerId, "sales", 1749700000000, 1749786399000, 0, false, "test"};
    const std::optional<AddOutcome> added = m_store->addJob(job, &error);
    if (!added || finalStatus == JobStatus::Queued)
        return added ? added->job : Job{};
    const std::optional<Job> running = m_store->claimNext("test-runner", &error);
    if (!running)
        return Job{};
    m_store->failJob(*running, {"it failed", ErrorCategory::Http}, {}, &error);
    return m_store->job(running->id, &error).value_or(Job{});
}

HttpReply TestApiTokens::call(const QByteArray &method, const QString &path, const QByteArray &body,
                              const QByteArray &token)
{
    QList<QPair<QByteArray, QByteArray>> headers = Json;
    if (!token.isEmpty())
        headers.append({"Authorization", "Bearer " + token});
    return m_client->request(method, path, body, headers, false);
}

void TestApiTokens::storedAsSaltedHashOnly()
{
    const QByteArray first = addToken("ci-reader", TokenRole::Read);
    const QByteArray second = addToken("deploy", TokenRole::Operate);
    QVERIFY(first.startsWith("dqt_"));
    QCOMPARE(first.size(), 47);
    QVERIFY(first != second);

    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT * FROM api_tokens"));
    int rows = 0;
    QSet<QString> hashes;
    while (q.next()) {
        ++rows;
        for (int i = 0; i < q.record().count(); ++i) {
            const QString value = q.value(i).toString();
            QVERIFY2(!value.contains(QString::fromLatin1(first)) &&
                         !value.contains(QString::fromLatin1(first.mid(4))),
                     "the token is stored in clear");
            QVERIFY(!value.contains(QString::fromLatin1(second.mid(4))));
        }
        const QString hash = q.value(q.record().indexOf("hash")).toString();
        QCOMPARE(hash.size(), 64);
        QVERIFY(hash != QString::fromLatin1(first) && hash != QString::fromLatin1(second));
        hashes << hash;
        // Salted: not the plain SHA-256 of either token.
        QVERIFY(hash != QString::fromLatin1(ApiTokens::hash({}, first)));
        QVERIFY(hash != QString::fromLatin1(ApiTokens::hash({}, second)));
    }
    QCOMPARE(rows, 2);
    QCOMPARE(hashes.size(), 2);

    StoreError error;
    const std::optional<QVector<ApiTokenInfo>> all = TokenStore(*m_store).tokens(&error);
    QVERIFY(all);
    QCOMPARE(all->size(), 2);
    QCOMPARE(all->at(0).name, QStringLiteral("ci-reader"));
    QCOMPARE(all->at(0).role, TokenRole::Read);
    QCOMPARE(all->at(0).createdMs, 1000);
    QVERIFY(!all->at(0).lastUsedMs);
    QCOMPARE(all->at(1).role, TokenRole::Operate);

    const std::optional<ApiTokenInfo> found = TokenStore(*m_store).find(second, &error);
    QVERIFY(found);
    QCOMPARE(found->name, QStringLiteral("deploy"));
    QVERIFY(!TokenStore(*m_store).find(second.chopped(1), &error));
    QVERIFY(!error.isSet());
    QVERIFY(!TokenStore(*m_store).find(second + "x", &error));
    QVERIFY(!TokenStore(*m_store).find(QByteArray(), &error));
    QVERIFY(!error.isSet());
}

void TestApiTokens::badNamesChangeNothing_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("empty") << QString();
    QTest::newRow("newline") << QStringLiteral("ci\nreader");
    QTest::newRow("escape") << QStringLiteral("ci\x1b[31m");
    QTest::newRow("NUL") << QString(QChar(0)) + QStringLiteral("x");
    QTest::newRow("space") << QStringLiteral("ci reader");
    QTest::newRow("colon") << QStringLiteral("api:x");
    QTest::newRow("bidi override") << QStringLiteral("ci") + QChar(0x202e) + QStringLiteral("x");
    QTest::newRow("65 characters") << QString(65, QLatin1Char('a'));
    QTest::newRow("default") << QStringLiteral("default");
    QTest::newRow("SQL") << QStringLiteral("x'); DROP TABLE api_tokens; --");
}

void TestApiTokens::badNamesChangeNothing()
{
    QFETCH(QString, name);
    StoreError error;
    const std::optional<QByteArray> token =
        TokenStore(*m_store).add(name, TokenRole::Operate, QStringLiteral("cli:t@h"), 1, &error);
    QVERIFY(!token);
    QCOMPARE(error.kind, StoreError::Kind::Invalid);
    QCOMPARE(error.field, QStringLiteral("name"));
    QVERIFY2(error.message.startsWith(QStringLiteral("name: ")), qPrintable(error.message));
    for (const QChar c : error.message)
        QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x202e, "a control character is echoed");
    const std::optional<QVector<ApiTokenInfo>> all = TokenStore(*m_store).tokens(&error);
    QVERIFY(all);
    QVERIFY(all->isEmpty());
    QVERIFY(!ApiTokens::nameProblem(QString(64, QLatin1Char('a'))).size());
}

void TestApiTokens::duplicateAndReusedNames()
{
    const QByteArray first = addToken("ci", TokenRole::Read);
    QVERIFY(!first.isEmpty());
    StoreError error;
    TokenStore tokens(*m_store);
    QVERIFY(!tokens.add("ci", TokenRole::Operate, "cli:t@h", 2, &error));
    QCOMPARE(error.kind, StoreError::Kind::Conflict);
    QCOMPARE(error.field, QStringLiteral("name"));
    QCOMPARE(tokens.tokens(&error)->size(), 1);
    QCOMPARE(tokens.tokens(&error)->at(0).role, TokenRole::Read);

    error = {};
    QVERIFY(!tokens.revoke("nobody", "cli:t@h", &error));
    QCOMPARE(error.kind, StoreError::Kind::NotFound);
    QCOMPARE(error.field, QStringLiteral("name"));

    QVERIFY(tokens.revoke("ci", "cli:t@h", &error));
    QVERIFY(tokens.tokens(&error)->isEmpty());
    // The name can be given again; the old token stays dead.
    const QByteArray again = addToken("ci", TokenRole::Operate);
    QVERIFY(!again.isEmpty());
    QVERIFY(!tokens.find(first, &error));
    QCOMPARE(tokens.find(again, &error)->role, TokenRole::Operate);
    QCOMPARE(call("GET", "/jobs/queue/status", {}, first).status, 401);
    QCOMPARE(call("POST", "/jobs/queue/pause", {}, again).status, 200);
}

void TestApiTokens::addAndRevokeAreAudited()
{
    StoreError error;
    TokenStore tokens(*m_store);
    QVERIFY(tokens.add("grafana", TokenRole::Read, "cli:ann@desk", 5000, &error));
    QVERIFY(!tokens.add("grafana", TokenRole::Read, "cli:ann@desk", 6000, &error));
    QVERIFY(!tokens.revoke("nobody", "window:bob@desk", &error));
    QVERIFY(tokens.revoke("grafana", "window:bob@desk", &error));

    // One entry per change that happened, with its actor; the refused ones wrote nothing.
    const std::optional<AuditPage> page = m_store->audit(AuditFilter{}, &error);
    QVERIFY2(page, qPrintable(error.message));
    QCOMPARE(page->total, qint64(2));
    QCOMPARE(page->entries.size(), qsizetype(2));
    const AuditEntry &revoked = page->entries.at(0);
    QCOMPARE(revoked.action, QStringLiteral("token_revoked"));
    QCOMPARE(revoked.actor, QStringLiteral("window:bob@desk"));
    QVERIFY2(revoked.detail.contains("grafana"), qPrintable(revoked.detail));
    const AuditEntry &added = page->entries.at(1);
    QCOMPARE(added.action, QStringLiteral("token_added"));
    QCOMPARE(added.actor, QStringLiteral("cli:ann@desk"));
    QCOMPARE(added.atMs, qint64(5000));
    QVERIFY2(added.detail.contains("grafana") && added.detail.contains("read"),
             qPrintable(added.detail));
}

void TestApiTokens::routeRoleTable_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("operateStatus");
    const QByteArray job = R"({"dealer_id":"N1","fetch_type":"sales"})";
    const QByteArray bulk = R"({"dealer_ids":["N1","N2"],"fetch_type":"sales"})";
    const QByteArray schedule =
        R"({"name":"made","cron":"0 2 * * *","timezone":"UTC","dealer_ids":["1"],)"
        R"("fetch_types":["sales"],"window":"previous_day"})";
    struct Row
    {
        const char *method;
        const char *path;
        QByteArray body;
        int operateStatus;
    };
    // {queued}, {failed} and {schedule} are the IDs made in routeRoleTable().
    const QList<Row> rows{
        {"GET", "/metrics", {}, 200},
        {"POST", "/jobs/queue", job, 201},
        {"POST", "/jobs/queue/bulk", bulk, 201},
        {"GET", "/jobs/queue/status", {}, 200},
        {"DELETE", "/jobs/queue/completed", {}, 200},
        {"POST", "/jobs/queue/pause", {}, 200},
        {"POST", "/jobs/queue/resume", {}, 200},
        {"DELETE", "/jobs/queue/{queued}", {}, 200},
        {"GET", "/jobs/queue/{queued}/status", {}, 200},
        {"POST", "/jobs/queue/{failed}/retry", {}, 200},
        {"POST", "/jobs/retry", R"({"status":["failed"]})", 200},
        {"POST", "/jobs/cancel", R"({"dealer_id":"Q1"})", 200},
        {"GET", "/jobs/history", {}, 200},
        {"DELETE", "/jobs/history?older_than_days=0", {}, 200},
        {"GET", "/jobs/history.csv", {}, 200},
        {"GET", "/jobs/history.xlsx", {}, 200},
        {"POST", "/jobs/run", job, 201},
        {"POST", "/jobs/run-bulk", bulk, 201},
        {"GET", "/schedules", {}, 200},
        {"POST", "/schedules", schedule, 201},
        {"GET", "/schedules/{schedule}", {}, 200},
        {"PATCH", "/schedules/{schedule}", R"({"enabled":false})", 200},
        {"DELETE", "/schedules/{schedule}", {}, 200},
        {"POST", "/schedules/{schedule}/run", {}, 201},
    };
    for (const Row &row : rows)
        QTest::newRow(qPrintable(QString::fromLatin1(row.method) + QLatin1Char(' ') +
                                 QString::fromLatin1(row.path)))
            << QByteArray(row.method) << QString::fromLatin1(row.path) << row.body
            << row.operateStatus;
}

void TestApiTokens::routeRoleTable()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, operateStatus);
    const Job failed = makeJob("F1", JobStatus::Failed);
    const Job queued = makeJob("Q1", JobStatus::Queued);
    QVERIFY(failed.id > 0 && queued.id > 0);
    const HttpReply made = call("POST", "/schedules",
                                R"({"name":"nightly","cron":"0 2 * * *","timezone":"UTC",)"
                                R"("dealer_ids":["1"],"fetch_types":["sales"],)"
                                R"("window":"previous_day"})",
                                DefaultToken);
    QCOMPARE(made.status, 201);
    path.replace("{queued}", QString::number(queued.id))
        .replace("{failed}", QString::number(failed.id))
        .replace("{schedule}", QString::number(made.json().value("schedule_id").toInteger()));
    const QByteArray reader = addToken("reader", TokenRole::Read);
    const QByteArray operator_ = addToken("operator", TokenRole::Operate);
    const bool changes = method != "GET";

    // No token, an unknown one, one that looks like a named token: 401.
    QCOMPARE(call(method, path, body, {}).status, 401);
    QCOMPARE(call(method, path, body, "dqt_" + QByteArray(43, 'A')).status, 401);
    QCOMPARE(call(method, path, body, reader.chopped(1)).status, 401);

    const auto queueState = [this] {
        QSqlQuery q(m_store->database().db());
        q.exec("SELECT COUNT(*), SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END), (SELECT "
               "COUNT(*) FROM schedules), "
               "(SELECT MIN(enabled) FROM schedules), (SELECT value FROM meta WHERE key = "
               "'paused') FROM jobs");
        q.next();
        return q.value(0).toString() + '/' + q.value(1).toString() + '/' + q.value(2).toString() +
               '/' + q.value(3).toString() + '/' + q.value(4).toString();
    };
    const QString before = queueState();
    const HttpReply read = call(method, path, body, reader);
    if (changes) {
        QCOMPARE(read.status, 403);
        QCOMPARE(read.errorCode(), QStringLiteral("forbidden"));
        QCOMPARE(read.header("Content-Type"), QByteArray("application/json"));
        QCOMPARE(queueState(), before);
    } else {
        QCOMPARE(read.status, operateStatus);
    }
    const HttpReply operate = call(method, path, body, operator_);
    QVERIFY2(operate.status == operateStatus,
             qPrintable(QStringLiteral("%1: %2")
                            .arg(operate.status)
                            .arg(QString::fromUtf8(operate.body.left(300)))));
}

void TestApiTokens::defaultTokenStillOperates()
{
    QCOMPARE(call("POST", "/jobs/queue/pause", {}, DefaultToken).status, 200);
    QCOMPARE(call("GET", "/jobs/queue/status", {}, DefaultToken).status, 200);
    // Its name is not a named token's.
    QVERIFY(!ApiTokens::nameProblem(ApiTokens::DefaultName).isEmpty());
}

void TestApiTokens::actorIsTheTokensName()
{
    const QByteArray token = addToken("deploy-bot", TokenRole::Operate);
    const HttpReply added =
        call("POST", "/jobs/queue", R"({"dealer_id":"A1","fetch_type":"sales"})", token);
    QCOMPARE(added.status, 201);
    QCOMPARE(added.json().value("created_by").toString(), QStringLiteral("api:deploy-bot"));
    const HttpReply byDefault =
        call("POST", "/jobs/queue", R"({"dealer_id":"A2","fetch_type":"sales"})", DefaultToken);
    QCOMPARE(byDefault.json().value("created_by").toString(), QStringLiteral("api:default"));
}

void TestApiTokens::revokedTokenFailsAtOnce()
{
    // The API runs on its own connection; m_store is another handle on the same database, as
    // another instance (or the command line) would be.
    const QByteArray token = addToken("ci", TokenRole::Operate);
    QCOMPARE(call("GET", "/jobs/queue/status", {}, token).status, 200);
    StoreError error;
    QVERIFY(TokenStore(*m_store).revoke("ci", "cli:t@h", &error));
    QCOMPARE(call("GET", "/jobs/queue/status", {}, token).status, 401);
    // And one added there works at once.
    const QByteArray added = addToken("ci2", TokenRole::Read);
    QCOMPARE(call("GET", "/jobs/queue/status", {}, added).status, 200);

    // A second running instance on the same database sees it too.
    ApiService other;
    ApiService::Options options;
    options.database = m_db->url();
    options.fetchTypes = QStringList{"sales"};
    options.port = 0;
    QString why;
    QVERIFY2(other.start(options, &why), qPrintable(why));
    ApiClient client(other.port(), added);
    QCOMPARE(client.get("/jobs/queue/status").status, 200);
    QVERIFY(TokenStore(*m_store).revoke("ci2", "cli:t@h", &error));
    QCOMPARE(client.get("/jobs/queue/status").status, 401);
    QCOMPARE(call("GET", "/jobs/queue/status", {}, added).status, 401);
}

void TestApiTokens::lastUsedIsWrittenAtMostOnceAMinute()
{
    const QByteArray token = addToken("ci", TokenRole::Read);
    StoreError error;
    const auto lastUsed = [&] { return TokenStore(*m_store).tokens(&error)->at(0).lastUsedMs; };
    QVERIFY(!lastUsed());
    const qint64 first = m_clock.nowMs();
    QCOMPARE(call("GET", "/jobs/queue/status", {}, token).status, 200);
    QCOMPARE(lastUsed(), std::optional<qint64>(first));
    m_clock.advance(30 * 1000);
    QCOMPARE(call("GET", "/jobs/queue/status", {}, token).status, 200);
    QCOMPARE(lastUsed(), std::optional<qint64>(first));
    m_clock.advance(30 * 1000);
    QCOMPARE(call("GET", "/jobs/queue/status", {}, token).status, 200);
    QCOMPARE(lastUsed(), std::optional<qint64>(first + 60 * 1000));
}

void TestApiTokens::throttlingAfterTwentyFailures()
{
    const QByteArray token = addToken("ci", TokenRole::Operate);
    for (int i = 1; i <= 20; ++i) {
        const HttpReply wrong =
            call("GET", "/jobs/queue/status", {}, "wrong-" + QByteArray::number(i));
        QVERIFY2(wrong.status == 401,
                 qPrintable(QStringLiteral("failure %1: %2").arg(i).arg(wrong.status)));
        m_clock.advance(1000);
    }
    const HttpReply twentyFirst = call("GET", "/jobs/queue/status", {}, "wrong-21");
    QCOMPARE(twentyFirst.status, 429);
    QCOMPARE(twentyFirst.errorCode(), QStringLiteral("too_many_requests"));
    QCOMPARE(twentyFirst.header("Retry-After"), QByteArray("60"));
    QVERIFY(loggedText().contains(QStringLiteral("127.0.0.1: more than 20 wrong API tokens")));
    // Blocked: even the right token, for 60 s.
    QCOMPARE(call("GET", "/jobs/queue/status", {}, token).status, 429);
    QCOMPARE(call("GET", "/jobs/queue/status", {}, DefaultToken).status, 429);
    // /health needs no token and stays open.
    QCOMPARE(m_client->request("GET", "/health", {}, {}, false).status, 200);
    m_clock.advance(59 * 1000);
    const HttpReply stillBlocked = call("GET", "/jobs/queue/status", {}, token);
    QCOMPARE(stillBlocked.status, 429);
    QCOMPARE(stillBlocked.header("Retry-After"), QByteArray("1"));
    m_clock.advance(1000);
    QCOMPARE(call("GET", "/jobs/queue/status", {}, token).status, 200);
    // A fresh count after the block: one failure is a 401 again.
    QCOMPARE(call("GET", "/jobs/queue/status", {}, "wrong").status, 401);
    QCOMPARE(call("GET", "/jobs/queue/status", {}, token).status, 200);
}

void TestApiTokens::failuresOutsideTheWindowDoNotCount()
{
    for (int i = 0; i < 20; ++i)
        QCOMPARE(call("GET", "/metrics", {}, "wrong").status, 401);
    m_clock.advance(60 * 1000);
    // The twenty are older than 60 s now: twenty more before a block.
    for (int i = 0; i < 20; ++i)
        QCOMPARE(call("GET", "/metrics", {}, "wrong").status, 401);
    QCOMPARE(call("GET", "/metrics", {}, "wrong").status, 429);
}

void TestApiTokens::tokensNeverLogged()
{
    {
        QMutexLocker lock(&logMutex);
        logLines.clear();
    }
    const QByteArray token = addToken("ci", TokenRole::Read);
    QCOMPARE(call("GET", "/jobs/queue/status", {}, token).status, 200);
    QCOMPARE(call("POST", "/jobs/queue/pause", {}, token).status, 403);
    QCOMPARE(call("GET", "/jobs/queue/status", {}, token.chopped(2)).status, 401);
    for (int i = 0; i < 21; ++i)
        call("GET", "/jobs/queue/status", {}, token + "x");
    StoreError error;
    QVERIFY(TokenStore(*m_store).revoke("ci", "cli:t@h", &error));
    const QString logged = loggedText();
    QVERIFY2(logged.contains(QStringLiteral("refused (401)")), qPrintable(logged.left(2000)));
    QVERIFY(logged.contains(QStringLiteral("127.0.0.1")));
    QVERIFY(!logged.contains(QString::fromLatin1(token.mid(4, 20))));
    QVERIFY(!logged.contains(QString::fromLatin1(DefaultToken)));
}

QTEST_GUILESS_MAIN(TestApiTokens)
#include "tst_apitokens.moc"
