#include "job/sourceprofile.h"
#include "queue/jobqueue.h"
#include "simprocess.h"
#include "source/dealerclient.h"
#include "source/profiledecoder.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <limits>
#include <memory>

#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTest>

using Values = QMap<QString, QString>;
Q_DECLARE_METATYPE(Values)

namespace {

const QString ClientId = QStringLiteral("dealerq-client");
const QString ClientSecret = QStringLiteral("cl1ent-S3CRET-77");
const QByteArray ApiKey = "key-SUPERSECRET-4242";
const QByteArray BasicPair = "ops:pa55-SECRET-99";
constexpr int Records = 35;
constexpr int PageSize = 10;

RetryPolicy fastPolicy()
{
    RetryPolicy policy;
    policy.maxRetries = 2;
    policy.initialBackoffMs = 10;
    policy.maxBackoffMs = 40;
    policy.maxRetryAfterS = 1;
    policy.timeoutMs = 1000;
    policy.pageSize = PageSize;
    return policy;
}

SourceProfile profileOf(const Values &values)
{
    QVector<FieldError> errors;
    const std::optional<SourceProfile> profile =
        parseSourceProfile(values, {"prospect", "sales", "service", "inventory"}, &errors);
    if (!profile) {
        qWarning("profile refused: %s", qPrintable(errors.value(0).message));
        return {};
    }
    return *profile;
}

/// One paging mode with the simulator's options and the profile keys that read it.
struct Mode
{
    const char *name;
    QStringList simArgs;
    Values profile;
    int pages;
};

QVector<Mode> modes()
{
    return {
        {"page",
         {"--paging", "page", "--time-format", "epoch_ms"},
         {{"paging", "page"}, {"time_format", "epoch_ms"}},
         4},
        {"offset",
         {"--paging", "offset", "--items-key", "results"},
         {{"paging", "offset"},
          {"query", "since={from}&until={to}&limit={page_size}"},
          {"items", "/results"}},
         4},
        {"cursor",
         {"--paging", "cursor", "--items-key", "data/records", "--numeric-ids", "--time-format",
          "epoch_s"},
         {{"paging", "cursor"},
          {"next_cursor", "/paging/next"},
          {"items", "/data/records"},
          {"time_format", "epoch_s"},
          {"path", "/dealers/{dealer_id}/{fetch_type}"},
          {"fetch_types", "prospect:leads"}},
         4},
        {"link",
         {"--paging", "link", "--time-format", "date"},
         {{"paging", "link"}, {"time_format", "date"}},
         4},
        {"none", {"--paging", "page", "--records-for", "SHORT=7"}, {{"paging", "none"}}, 1},
    };
}

/// One auth mode: the simulator's options, the profile keys, the source token.
struct AuthMode
{
    const char *name;
    QStringList simArgs;
    Values profile;
    QByteArray token;
};

QVector<AuthMode> authModes(const QUrl &tokenUrl)
{
    return {
        {"bearer", {"--token", QString::fromLatin1(ApiKey)}, {}, ApiKey},
        {"header",
         {"--auth", "header", "--auth-header", "X-Api-Key", "--token", QString::fromLatin1(ApiKey)},
         {{"auth", "header"}, {"auth_header", "X-Api-Key"}},
         ApiKey},
        {"basic",
         {"--auth", "basic", "--token", QString::fromLatin1(BasicPair)},
         {{"auth", "basic"}},
         BasicPair},
        {"oauth2",
         {"--auth", "oauth2", "--oauth2-client", ClientId + ':' + ClientSecret},
         {{"auth", "oauth2"},
          {"oauth2_token_url", tokenUrl.toString()},
          {"oauth2_client_id", ClientId},
          {"oauth2_client_secret", ClientSecret}},
         {}},
    };
}

Values merged(Values a, const Values &b)
{
    for (auto it = b.cbegin(); it != b.cend(); ++it)
        a.insert(it.key(), it.value());
    return a;
}

struct Outcome
{
    ErrorCategory error = ErrorCategory::None;
    QString errorString;
    int pages = 0;
    QStringList log;
    QVector<FetchedRecord> records;
    QString next;
    QUrl url;
};

} // namespace

/// Source profiles (SPEC §11) against the real dealerq-sim serving other APIs' shapes over
/// loopback: each paging mode with each auth mode, through the runner onto a real database
/// (SQLite, and PostgreSQL as tst_profilefetch_pg), and each mode's failures.
class TestProfileFetch final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void buildsProfileUrls();
    void readsLinkHeaders();
    void decodesTheGeneralWay();
    void everyModeStoresEachRecordOnce_data();
    void everyModeStoresEachRecordOnce();
    void failures_data();
    void failures();
    void oauth2TokenIsCachedUntilItExpires();
    void oauth2ExpiredTokenIsFetchedAgainOnce();
    void oauth2SecondRefusalIsAuth();
    void oauth2TokenCacheTakesAnyLifetime();
    void tokenEndpointDownIsNetwork();
    void firstPageOnly();
    void unusableProfileFailsTheJobSayingSo();

private:
    Outcome fetch(const FetchRequest &request, bool firstPageOnly = false);
    qint64 recordsOf(const QString &dealer);
    Job waitFinished(qint64 id);

    QNetworkAccessManager m_nam;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
};

void TestProfileFetch::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
}

void TestProfileFetch::cleanup()
{
    m_store.reset();
    m_db.reset();
}

Outcome TestProfileFetch::fetch(const FetchRequest &request, bool firstPageOnly)
{
    Outcome outcome;
    DealerFetch fetch(&m_nam, request, fastPolicy());
    fetch.setFirstPageOnly(firstPageOnly);
    QSignalSpy finished(&fetch, &DealerFetch::finished);
    connect(&fetch, &DealerFetch::logLine, this, [&](const QString &line) { outcome.log << line; });
    fetch.start();
    [&] { QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 20000); }();
    outcome.error = fetch.error();
    outcome.errorString = fetch.errorString();
    outcome.pages = fetch.pages();
    outcome.records = fetch.takeRecords();
    outcome.next = fetch.nextDescription();
    outcome.url = fetch.lastUrl();
    return outcome;
}

qint64 TestProfileFetch::recordsOf(const QString &dealer)
{
    QSqlQuery q(m_store->database().db());
    q.prepare("SELECT COUNT(DISTINCT record_id) FROM records WHERE dealer_id = ?");
    q.addBindValue(dealer);
    return q.exec() && q.next() ? q.value(0).toLongLong() : -1;
}

Job TestProfileFetch::waitFinished(qint64 id)
{
    StoreError error;
    Job job;
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        job = m_store->job(id, &error).value_or(Job{});
        if (job.isFinished())
            return job;
        QTest::qWait(20);
    }
    return job;
}

void TestProfileFetch::buildsProfileUrls()
{
    FetchRequest request;
    request.sourceUrl = QUrl("https://api.example.com/v2/");
    request.dealerId = QStringLiteral("00 9/9");
    request.fetchType = QStringLiteral("prospect");
    request.from = QStringLiteral("2025-06-12T00:00:00.000+02:00");
    request.to = QStringLiteral("2025-06-12T23:59:59.999+02:00");
    request.profile = profileOf({{"path", "/dealers/{dealer_id}/{fetch_type}/list"},
                                 {"query", "since={from}&until={to}&limit={page_size}&x=1"},
                                 {"paging", "cursor"},
                                 {"next_cursor", "/next"},
                                 {"cursor_param", "after"},
                                 {"fetch_types", "prospect:leads"}});
    QCOMPARE(DealerFetch::profileUrl(request, 1, 0, {}, 50).toString(QUrl::FullyEncoded),
             QStringLiteral("https://api.example.com/v2/dealers/00%209%2F9/leads/list"
                            "?since=2025-06-12T00%3A00%3A00.000%2B02%3A00"
                            "&until=2025-06-12T23%3A59%3A59.999%2B02%3A00&limit=50&x=1"));
    QCOMPARE(DealerFetch::profileUrl(request, 2, 0, "a b&c=d", 50).query(QUrl::FullyEncoded),
             QStringLiteral("since=2025-06-12T00%3A00%3A00.000%2B02%3A00"
                            "&until=2025-06-12T23%3A59%3A59.999%2B02%3A00&limit=50&x=1"
                            "&after=a%20b%26c%3Dd"));
    request.profile = profileOf({{"time_format", "epoch_s"}, {"paging", "offset"}});
    QCOMPARE(DealerFetch::profileUrl(request, 3, 120, {}, 60).toString(QUrl::FullyEncoded),
             QStringLiteral("https://api.example.com/v2/dealers/00%209%2F9/prospect"
                            "?from=1749679200&to=1749765599&page_size=60&offset=120"));
    request.profile = profileOf({{"time_format", "epoch_ms"}, {"paging", "page"}});
    QCOMPARE(DealerFetch::profileUrl(request, 3, 0, {}, 60).query(QUrl::FullyEncoded),
             QStringLiteral("from=1749679200000&to=1749765599999&page_size=60&page=3"));
    request.profile = profileOf({{"time_format", "date"}, {"paging", "none"}});
    QCOMPARE(DealerFetch::profileUrl(request, 1, 0, {}, 60).query(QUrl::FullyEncoded),
             QStringLiteral("from=2025-06-12&to=2025-06-12&page_size=60"));
}

void TestProfileFetch::readsLinkHeaders()
{
    QCOMPARE(linkTargets("<https://a.example/x?page=2>; rel=\"next\""),
             QStringList{"https://a.example/x?page=2"});
    QCOMPARE(linkTargets("<https://a/1>; rel=\"first\", <https://a/3>; rel=\"prev next\""),
             QStringList{"https://a/3"});
    QCOMPARE(linkTargets("<https://a/x,y>; title=\"a, b\"; rel=next"),
             QStringList{"https://a/x,y"});
    QCOMPARE(linkTargets("<https://a/1>; rel=\"prev\""), QStringList());
    QCOMPARE(linkTargets("garbage"), QStringList());
}

void TestProfileFetch::decodesTheGeneralWay()
{
    SourceProfile profile = profileOf({{"items", "/data/records"},
                                       {"id", "/uuid"},
                                       {"updated_at", "/meta/modified"},
                                       {"paging", "cursor"},
                                       {"next_cursor", "/paging/next"}});
    const QByteArray body = R"({"data":{"records":[
        {"uuid":"a-1","meta":{"modified":"2025-06-12T09:31:00Z"},"x":"\u0000"},
        {"uuid":12345678901234567,"meta":{"modified":1749720660}},
        {"uuid":"esc\"aped","meta":{"modified":null}}]},
        "paging":{"next":42}})";
    ProfilePage page;
    QString why;
    QVERIFY2(decodeProfilePage(body, profile, &page, &why), qPrintable(why));
    QCOMPARE(page.items.size(), 3);
    QCOMPARE(page.items.at(0).id(), QStringLiteral("a-1"));
    QCOMPARE(page.items.at(0).updatedAt(), QStringLiteral("2025-06-12T09:31:00Z"));
    QCOMPARE(page.items.at(0).payload(),
             R"({"uuid":"a-1","meta":{"modified":"2025-06-12T09:31:00Z"},"x":"\u0000"})");
    QCOMPARE(page.items.at(1).id(), QStringLiteral("12345678901234567")); // digits as written
    QCOMPARE(page.items.at(1).updatedAt(), QStringLiteral("1749720660"));
    QCOMPARE(page.items.at(2).id(), QStringLiteral("esc\"aped"));
    QCOMPARE(page.items.at(2).updatedAt(), QString());
    QCOMPARE(page.nextCursor, QStringLiteral("42"));

    QVERIFY(!decodeProfilePage(R"({"data":{"records":{}}})", profile, &page, &why));
    QCOMPARE(why, QStringLiteral("items: /data/records is an object, not an array"));
    QVERIFY(!decodeProfilePage(R"({"data":{}})", profile, &page, &why));
    QCOMPARE(why, QStringLiteral("items: /data/records is missing, not an array"));
    QVERIFY(!decodeProfilePage(R"({"data":{"records":[{"id":"x"}]}})", profile, &page, &why));
    QCOMPARE(why, QStringLiteral("id: /uuid in item 1 is missing, not a string or a number"));
    QVERIFY(!decodeProfilePage(R"({"data":{"records":[]},"paging":{"next":[]}})", profile, &page,
                               &why));
    QVERIFY2(why.startsWith("next_cursor: /paging/next is an array"), qPrintable(why));
    QVERIFY(!decodeProfilePage("<html>", profile, &page, &why));
    QVERIFY2(why.startsWith("the answer is not JSON"), qPrintable(why));
    // The whole answer as the array.
    profile = profileOf({{"items", ""}, {"paging", "none"}});
    QVERIFY(
        decodeProfilePage(R"([{"id":"a","updated_at":"t"}, {"id":"b"}])", profile, &page, &why));
    QCOMPARE(page.items.size(), 2);
    QCOMPARE(page.items.at(1).payload(), R"({"id":"b"})");
    // A number past qint64's range (a fuzzed answer once reached an undefined cast with it).
    QVERIFY(decodeProfilePage(R"([{"id":5.556e119}, {"id":-1e300}, {"id":0.1}])", profile, &page,
                              &why));
    QCOMPARE(page.items.size(), 3);
    QCOMPARE(page.items.at(0).id(), QStringLiteral("5.556e+119"));
    QCOMPARE(page.items.at(1).id(), QStringLiteral("-1e+300"));
    QCOMPARE(page.items.at(2).id(), QStringLiteral("0.1"));
}

void TestProfileFetch::everyModeStoresEachRecordOnce_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("auth");
    for (int m = 0; m < modes().size(); ++m) {
        for (int a = 0; a < 4; ++a)
            QTest::addRow("%s, %s", modes().at(m).name, authModes({}).at(a).name) << m << a;
    }
}

void TestProfileFetch::everyModeStoresEachRecordOnce()
{
    QFETCH(int, mode);
    QFETCH(int, auth);
    // The token endpoint is the simulator's own: its port is known once it runs.
    const Mode paging = modes().at(mode);
    SimProcess sim(QStringList{"--records", QString::number(Records), "--page-size",
                               QString::number(PageSize)} +
                   paging.simArgs + authModes({}).at(auth).simArgs);
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    const AuthMode how = authModes(sim.baseUrl().resolved(QUrl("oauth/token"))).at(auth);
    const QString dealer = paging.pages == 1 ? QStringLiteral("SHORT") : QStringLiteral("D-17");
    const int records = paging.pages == 1 ? 7 : Records;

    JobQueue::Config config;
    config.runner.database = m_db->url();
    config.runner.sourceUrl = sim.baseUrl();
    config.runner.sourceToken = how.token;
    config.runner.profile = profileOf(merged(paging.profile, how.profile));
    QVERIFY(!config.runner.profile.isDefault);
    config.runner.retry = fastPolicy();
    config.runner.pollIntervalMs = 100;
    config.runner.instance = QStringLiteral("test");
    config.fetchTypes = {"prospect", "sales", "service", "inventory"};
    JobQueue queue(config);
    queue.start();

    NewJob job;
    job.dealerId = dealer;
    job.fetchType = QStringLiteral("prospect");
    job.fromMs = 1749686400000;
    job.toMs = 1749772799000;
    StoreError error;
    const qint64 first = m_store->addJob(job, &error)->job.id;
    queue.notifyChanged();
    const Job done = waitFinished(first);
    QVERIFY2(done.status == JobStatus::Completed,
             qPrintable(done.error.message + jobStatusName(done.status)));
    QCOMPARE(done.result->pages, paging.pages);
    QCOMPARE(done.result->fetched, records);
    QCOMPARE(done.result->inserted, records);
    QCOMPARE(recordsOf(dealer), records);

    const qint64 second = m_store->addJob(job, &error)->job.id;
    queue.notifyChanged();
    const Job again = waitFinished(second);
    QCOMPARE(again.status, JobStatus::Completed);
    QCOMPARE(again.result->fetched, records);
    QCOMPARE(again.result->unchanged, records);
    QCOMPARE(again.result->inserted, 0);
    QCOMPARE(again.result->updated, 0);
    QCOMPARE(recordsOf(dealer), records);

    // No secret in the job's log.
    const QVector<LogLine> log = *m_store->jobLogs(second, &error);
    for (const LogLine &line : log) {
        QVERIFY(!line.message.contains(QLatin1String(ApiKey)));
        QVERIFY(!line.message.contains(ClientSecret));
        QVERIFY(!line.message.contains("pa55"));
    }
}

void TestProfileFetch::failures_data()
{
    QTest::addColumn<QStringList>("simArgs");
    QTest::addColumn<Values>("profile");
    QTest::addColumn<int>("category");
    QTest::addColumn<QString>("words");

    QTest::newRow("cursor that repeats")
        << QStringList{"--paging", "cursor", "--fault", "repeatcursor"}
        << Values{{"paging", "cursor"}, {"next_cursor", "/paging/next"}}
        << int(ErrorCategory::BadPayload) << "names the cursor \"after_10\" again";
    QTest::newRow("Link to another host")
        << QStringList{"--paging", "link", "--fault", "foreignlink"} << Values{{"paging", "link"}}
        << int(ErrorCategory::BadPayload) << "links its next page to http://127.0.0.2:";
    QTest::newRow("items pointer at an object")
        << QStringList{"--paging", "page", "--items-key", "data", "--fault", "itemsobject"}
        << Values{{"paging", "page"}, {"items", "/data"}} << int(ErrorCategory::BadPayload)
        << "items: /data is an object, not an array";
    QTest::newRow("missing id") << QStringList{"--paging", "offset", "--fault", "noidx1"}
                                << Values{{"paging", "offset"}} << int(ErrorCategory::BadPayload)
                                << "id: /id in item 1 is missing";
    QTest::newRow("500 retried then fine")
        << QStringList{"--paging", "cursor", "--fault", "500x2"}
        << Values{{"paging", "cursor"}, {"next_cursor", "/paging/next"}} << int(ErrorCategory::None)
        << "";
    QTest::newRow("500 always") << QStringList{"--paging", "offset", "--fault", "500"}
                                << Values{{"paging", "offset"}} << int(ErrorCategory::Http)
                                << "after 3 tries";
    QTest::newRow("redirect") << QStringList{"--paging", "link", "--fault", "redirect"}
                              << Values{{"paging", "link"}} << int(ErrorCategory::Http)
                              << "redirects are not followed";
    QTest::newRow("wrong API key")
        << QStringList{"--paging", "page", "--auth", "header", "--token", "other"}
        << Values{{"paging", "page"}, {"auth", "header"}, {"auth_header", "X-Api-Key"}}
        << int(ErrorCategory::Auth) << "401";
}

void TestProfileFetch::failures()
{
    QFETCH(QStringList, simArgs);
    QFETCH(Values, profile);
    QFETCH(int, category);
    QFETCH(QString, words);
    SimProcess sim(QStringList{"--records", "35", "--page-size", "10"} + simArgs);
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    FetchRequest request;
    request.sourceUrl = sim.baseUrl();
    request.token = ApiKey;
    request.dealerId = QStringLiteral("D-17");
    request.fetchType = QStringLiteral("sales");
    request.from = QStringLiteral("2025-06-12T00:00:00.000+02:00");
    request.to = QStringLiteral("2025-06-12T23:59:59.999+02:00");
    request.profile = profileOf(profile);
    const Outcome outcome = fetch(request);
    QVERIFY2(int(outcome.error) == category, qPrintable(outcome.errorString));
    if (category == int(ErrorCategory::None)) {
        QCOMPARE(outcome.records.size(), 35);
        return;
    }
    QVERIFY2(outcome.errorString.contains(words), qPrintable(outcome.errorString));
    QVERIFY(outcome.records.isEmpty());
    QVERIFY(!outcome.errorString.contains(QLatin1String(ApiKey)));
}

void TestProfileFetch::oauth2TokenIsCachedUntilItExpires()
{
    SimProcess sim({"--records", "25", "--page-size", "10", "--paging", "page", "--auth", "oauth2",
                    "--oauth2-client", ClientId + ':' + ClientSecret, "--oauth2-lifetime", "600"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    qint64 now = 1'760'000'000'000;
    OAuth2TokenCache tokens([&now] { return now; });
    FetchRequest request;
    request.sourceUrl = sim.baseUrl();
    request.dealerId = QStringLiteral("D-1");
    request.fetchType = QStringLiteral("prospect");
    request.from = QStringLiteral("2025-06-12T00:00:00.000+02:00");
    request.to = QStringLiteral("2025-06-12T23:59:59.999+02:00");
    request.profile = profileOf({{"paging", "page"},
                                 {"auth", "oauth2"},
                                 {"oauth2_token_url", sim.baseUrl().toString() + "oauth/token"},
                                 {"oauth2_client_id", ClientId},
                                 {"oauth2_client_secret", ClientSecret}});
    request.tokens = &tokens;
    QCOMPARE(fetch(request).records.size(), 25);
    QCOMPARE(tokens.stored(), 1);
    now += 500'000; // within the 600 s
    QCOMPARE(fetch(request).records.size(), 25);
    QCOMPARE(tokens.stored(), 1);
    now += 100'000; // at the end of its life: a new one
    QCOMPARE(fetch(request).records.size(), 25);
    QCOMPARE(tokens.stored(), 2);
}

void TestProfileFetch::oauth2TokenCacheTakesAnyLifetime()
{
    // The endpoint's expires_in is whatever it says: a lifetime past a year is read as a year
    // (no overflow to a time already past), none or a negative one as "until refused".
    qint64 now = 1'760'000'000'000;
    OAuth2TokenCache tokens([&now] { return now; });
    tokens.store("long", std::numeric_limits<qint64>::max());
    QCOMPARE(tokens.token(), QByteArray("long"));
    now += 300LL * 24 * 3600 * 1000;
    QCOMPARE(tokens.token(), QByteArray("long"));
    now += 70LL * 24 * 3600 * 1000;
    QCOMPARE(tokens.token(), QByteArray());
    tokens.store("open", -5);
    now += 1000LL * 24 * 3600 * 1000;
    QCOMPARE(tokens.token(), QByteArray("open"));
}

void TestProfileFetch::oauth2ExpiredTokenIsFetchedAgainOnce()
{
    // Each token is good for two requests: the third page meets a 401, as with a token that
    // expired early; one new token and the fetch goes on.
    SimProcess sim({"--records", "35", "--page-size", "10", "--paging", "cursor", "--auth",
                    "oauth2", "--oauth2-client", ClientId + ':' + ClientSecret, "--oauth2-uses",
                    "2"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    OAuth2TokenCache tokens;
    FetchRequest request;
    request.sourceUrl = sim.baseUrl();
    request.dealerId = QStringLiteral("D-1");
    request.fetchType = QStringLiteral("prospect");
    request.from = QStringLiteral("2025-06-12T00:00:00.000+02:00");
    request.to = QStringLiteral("2025-06-12T23:59:59.999+02:00");
    request.profile = profileOf({{"paging", "cursor"},
                                 {"next_cursor", "/paging/next"},
                                 {"auth", "oauth2"},
                                 {"oauth2_token_url", sim.baseUrl().toString() + "oauth/token"},
                                 {"oauth2_client_id", ClientId},
                                 {"oauth2_client_secret", ClientSecret}});
    request.tokens = &tokens;
    const Outcome outcome = fetch(request);
    QVERIFY2(outcome.error == ErrorCategory::None, qPrintable(outcome.errorString));
    QCOMPARE(outcome.records.size(), 35);
    QCOMPARE(outcome.pages, 4);
    QCOMPARE(tokens.stored(), 2);
    QCOMPARE(outcome.log.filter("asking for a new OAuth2 token").size(), 1);
}

void TestProfileFetch::oauth2SecondRefusalIsAuth()
{
    SimProcess sim({"--paging", "page", "--auth", "oauth2", "--oauth2-client",
                    ClientId + ':' + ClientSecret, "--oauth2-uses", "0"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    OAuth2TokenCache tokens;
    FetchRequest request;
    request.sourceUrl = sim.baseUrl();
    request.dealerId = QStringLiteral("D-1");
    request.fetchType = QStringLiteral("prospect");
    request.from = QStringLiteral("2025-06-12T00:00:00.000+02:00");
    request.to = QStringLiteral("2025-06-12T23:59:59.999+02:00");
    request.profile = profileOf({{"paging", "page"},
                                 {"auth", "oauth2"},
                                 {"oauth2_token_url", sim.baseUrl().toString() + "oauth/token"},
                                 {"oauth2_client_id", ClientId},
                                 {"oauth2_client_secret", ClientSecret}});
    request.tokens = &tokens;
    Outcome outcome = fetch(request);
    QCOMPARE(outcome.error, ErrorCategory::Auth);
    QVERIFY2(outcome.errorString.contains("with a new OAuth2 token too"),
             qPrintable(outcome.errorString));
    QCOMPARE(tokens.stored(), 2); // the first, and one more: not a third
    QVERIFY(!outcome.errorString.contains(ClientSecret));

    // A wrong secret: the token endpoint refuses, at once, as auth.
    request.profile.oauth2ClientSecret = QStringLiteral("wrong-secret-123");
    tokens.clear();
    outcome = fetch(request);
    QCOMPARE(outcome.error, ErrorCategory::Auth);
    QVERIFY2(outcome.errorString.contains("401"), qPrintable(outcome.errorString));
    QVERIFY(!outcome.errorString.contains("wrong-secret-123"));
}

void TestProfileFetch::tokenEndpointDownIsNetwork()
{
    SimProcess sim(
        {"--paging", "page", "--auth", "oauth2", "--oauth2-client", ClientId + ':' + ClientSecret});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    // A port nothing listens on: bound, then closed.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    FetchRequest request;
    request.sourceUrl = sim.baseUrl();
    request.dealerId = QStringLiteral("D-1");
    request.fetchType = QStringLiteral("prospect");
    request.from = QStringLiteral("2025-06-12T00:00:00.000+02:00");
    request.to = QStringLiteral("2025-06-12T23:59:59.999+02:00");
    request.profile = profileOf(
        {{"paging", "page"},
         {"auth", "oauth2"},
         {"oauth2_token_url", QStringLiteral("http://127.0.0.1:%1/oauth/token").arg(port)},
         {"oauth2_client_id", ClientId},
         {"oauth2_client_secret", ClientSecret}});
    const Outcome outcome = fetch(request);
    QCOMPARE(outcome.error, ErrorCategory::Network);
    QVERIFY2(outcome.errorString.contains("could not get an OAuth2 token"),
             qPrintable(outcome.errorString));
    QCOMPARE(outcome.log.filter("token endpoint").size(), 2); // retried as SPEC §2 says
}

void TestProfileFetch::firstPageOnly()
{
    SimProcess sim({"--records", "35", "--page-size", "10", "--paging", "cursor"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    FetchRequest request;
    request.sourceUrl = sim.baseUrl();
    request.dealerId = QStringLiteral("D-1");
    request.fetchType = QStringLiteral("prospect");
    request.from = QStringLiteral("2025-06-12T00:00:00.000+02:00");
    request.to = QStringLiteral("2025-06-12T23:59:59.999+02:00");
    request.profile = profileOf({{"paging", "cursor"}, {"next_cursor", "/paging/next"}});
    const Outcome outcome = fetch(request, true);
    QCOMPARE(outcome.error, ErrorCategory::None);
    QCOMPARE(outcome.pages, 1);
    QCOMPARE(outcome.records.size(), 10);
    QCOMPARE(outcome.next, QStringLiteral("cursor after_10"));
}

void TestProfileFetch::unusableProfileFailsTheJobSayingSo()
{
    // The window runs on with a profile it cannot use (it names the problem in its message
    // bar); its jobs fail with the reason instead of fetching another shape.
    SimProcess sim({"--records", "5"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    QVector<FieldError> errors;
    QVERIFY(!parseSourceProfile({{"paging", "cursor"}}, {"prospect"}, &errors));
    JobQueue::Config config;
    config.runner.database = m_db->url();
    config.runner.sourceUrl = sim.baseUrl();
    config.runner.profileProblem = errors.first().message;
    config.runner.retry = fastPolicy();
    config.runner.pollIntervalMs = 100;
    config.runner.instance = QStringLiteral("test");
    config.fetchTypes = {"prospect"};
    JobQueue queue(config);
    queue.start();
    NewJob job;
    job.dealerId = QStringLiteral("D-1");
    job.fetchType = QStringLiteral("prospect");
    job.fromMs = 1749686400000;
    job.toMs = 1749772799000;
    StoreError error;
    const qint64 id = m_store->addJob(job, &error)->job.id;
    queue.notifyChanged();
    const Job done = waitFinished(id);
    QCOMPARE(done.status, JobStatus::Failed);
    QCOMPARE(done.error.category, ErrorCategory::Network);
    QVERIFY2(done.error.message.contains("the source profile in Settings cannot be used: "
                                         "[profile] next_cursor: missing"),
             qPrintable(done.error.message));
    QCOMPARE(recordsOf("D-1"), 0);
}

QTEST_GUILESS_MAIN(TestProfileFetch)
#include "tst_profilefetch.moc"
