#include "simprocess.h"
#include "source/dealerclient.h"

#include <memory>

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

namespace {

const QByteArray Token = "tok-SUPERSECRET-4242";

std::unique_ptr<SimProcess> startSim(const QStringList &args)
{
    auto sim = std::make_unique<SimProcess>(args);
    QString error;
    if (!sim->start(&error)) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    return sim;
}

/// Small times so that every retry path runs in well under a second.
RetryPolicy fastPolicy()
{
    RetryPolicy policy;
    policy.initialBackoffMs = 10;
    policy.maxBackoffMs = 40;
    policy.maxRetryAfterS = 1;
    policy.timeoutMs = 1000;
    policy.pageSize = 100;
    return policy;
}

FetchRequest request(const QUrl &source, const QString &dealer = QStringLiteral("12284"))
{
    FetchRequest request;
    request.sourceUrl = source;
    request.dealerId = dealer;
    request.fetchType = QStringLiteral("prospect");
    request.from = QStringLiteral("2025-06-12T00:00:00.000+02:00");
    request.to = QStringLiteral("2025-06-12T23:59:59.999+02:00");
    return request;
}

/// Everything a fetch said, collected until it finished.
struct Outcome
{
    ErrorCategory error = ErrorCategory::None;
    QString errorString;
    int pages = 0;
    int finishedCount = 0;
    QStringList log;
    QList<QPair<int, qint64>> progress;
    QVector<FetchedRecord> records;
};

} // namespace

class TestDealerClient final : public QObject
{
    Q_OBJECT

private slots:
    void buildsPageUrls_data();
    void buildsPageUrls();
    void fetchesEveryPage();
    void worksUnderPathPrefix();
    void sendsTokenOnlyWhenSet();
    void recoversFromTransientFaults_data();
    void recoversFromTransientFaults();
    void honoursRetryAfter();
    void persistent500FailsAsHttp();
    void persistent429FailsAsHttp();
    void persistentDropFailsAsNetwork();
    void hangTimesOutAsNetwork();
    void connectionRefusedIsNetwork();
    void failsAtOnce_data();
    void failsAtOnce();
    void rejectsBadPayloads_data();
    void rejectsBadPayloads();
    void bigPageIsCutShort_data();
    void bigPageIsCutShort();
    void stopsAfterMaxPages();
    void storesNulPayloadsExactly();
    void abortInFlightIsCancelled();
    void abortDuringBackoffIsCancelled();
    void finishedIsAlwaysQueued();
    void tokenNeverInMessages();
    void manySmallFetches();

private:
    Outcome run(const FetchRequest &request, const RetryPolicy &policy, int timeoutMs = 20000);

    QNetworkAccessManager m_nam;
};

Outcome TestDealerClient::run(const FetchRequest &request, const RetryPolicy &policy, int timeoutMs)
{
    Outcome outcome;
    DealerFetch fetch(&m_nam, request, policy);
    QSignalSpy finished(&fetch, &DealerFetch::finished);
    connect(&fetch, &DealerFetch::logLine, this, [&](const QString &line) { outcome.log << line; });
    connect(&fetch, &DealerFetch::progress, this, [&](int pages, qint64 records) {
        outcome.progress.append({pages, records});
    });
    fetch.start();
    [&] { QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, timeoutMs); }();
    QTest::qWait(20); // a second finished() would arrive now
    outcome.finishedCount = static_cast<int>(finished.count());
    outcome.error = fetch.error();
    outcome.errorString = fetch.errorString();
    outcome.pages = fetch.pages();
    outcome.records = fetch.takeRecords();
    return outcome;
}

void TestDealerClient::buildsPageUrls_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("expected");
    const QString query = QStringLiteral("?from=2025-06-12T00%3A00%3A00.000%2B02%3A00"
                                         "&to=2025-06-12T23%3A59%3A59.999%2B02%3A00"
                                         "&page=3&page_size=250");
    QTest::newRow("root") << "http://h:8080"
                          << "http://h:8080/dealers/12284/prospect" + query;
    QTest::newRow("root slash") << "http://h:8080/"
                                << "http://h:8080/dealers/12284/prospect" + query;
    QTest::newRow("prefix") << "https://h/api/v1"
                            << "https://h/api/v1/dealers/12284/prospect" + query;
    QTest::newRow("prefix slash") << "https://h/api/v1/"
                                  << "https://h/api/v1/dealers/12284/prospect" + query;
    QTest::newRow("query dropped") << "http://h/?x=1#frag"
                                   << "http://h/dealers/12284/prospect" + query;
}

void TestDealerClient::buildsPageUrls()
{
    QFETCH(QString, source);
    QFETCH(QString, expected);
    FetchRequest req = request(QUrl(source));
    QCOMPARE(DealerFetch::pageUrl(req, 3, 250).toString(QUrl::FullyEncoded), expected);

    // Odd characters in the path are encoded, never taken as path or query syntax.
    req.dealerId = QStringLiteral("a/b?c");
    req.fetchType = QStringLiteral("x y");
    const QString odd = DealerFetch::pageUrl(req, 1, 1).toString(QUrl::FullyEncoded);
    QVERIFY2(odd.contains(QStringLiteral("/dealers/a%2Fb%3Fc/x%20y?from=")), qPrintable(odd));
}

void TestDealerClient::fetchesEveryPage()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("1234")});
    QVERIFY(sim);
    const Outcome outcome = run(request(sim->baseUrl()), fastPolicy());
    QVERIFY2(outcome.error == ErrorCategory::None, qPrintable(outcome.errorString));
    QVERIFY(outcome.errorString.isEmpty());
    QCOMPARE(outcome.finishedCount, 1);
    QCOMPARE(outcome.pages, 13);
    QCOMPARE(outcome.records.size(), 1234);
    QCOMPARE(outcome.progress.size(), 13);
    QCOMPARE(outcome.progress.first(), (QPair<int, qint64>(1, 100)));
    QCOMPARE(outcome.progress.last(), (QPair<int, qint64>(13, 1234)));
    QVERIFY(outcome.log.isEmpty());
    for (int i = 0; i < outcome.records.size(); ++i) {
        const FetchedRecord &record = outcome.records.at(i);
        QCOMPARE(record.id(), QStringLiteral("P-12284-%1").arg(i + 1, 6, 10, QLatin1Char('0')));
        QVERIFY(
            record.payload().toByteArray().startsWith("{\"id\":\"" + record.id().toUtf8() + "\""));
        QVERIFY(record.updatedAt().startsWith(QStringLiteral("2025-06-1")));
    }
}

void TestDealerClient::worksUnderPathPrefix()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("3")});
    QVERIFY(sim);
    for (const QString &path : {QStringLiteral("/api/v1"), QStringLiteral("/api/v1/")}) {
        QUrl source = sim->baseUrl();
        source.setPath(path);
        const Outcome outcome = run(request(source), fastPolicy());
        QVERIFY2(outcome.error == ErrorCategory::None, qPrintable(outcome.errorString));
        QCOMPARE(outcome.records.size(), 3);
    }
}

void TestDealerClient::sendsTokenOnlyWhenSet()
{
    auto sim = startSim({QStringLiteral("--token"), QString::fromLatin1(Token)});
    QVERIFY(sim);
    FetchRequest withToken = request(sim->baseUrl());
    withToken.token = Token;
    const Outcome good = run(withToken, fastPolicy());
    QVERIFY2(good.error == ErrorCategory::None, qPrintable(good.errorString));
    QCOMPARE(good.records.size(), 25);

    const Outcome none = run(request(sim->baseUrl()), fastPolicy());
    QCOMPARE(errorCategoryName(none.error), errorCategoryName(ErrorCategory::Auth));
    QVERIFY2(none.errorString.contains(QStringLiteral("401")), qPrintable(none.errorString));
    QVERIFY2(none.errorString.contains(QStringLiteral("no source token")),
             qPrintable(none.errorString));
    QVERIFY(none.records.isEmpty());
}

void TestDealerClient::recoversFromTransientFaults_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("logged");
    QTest::newRow("500 twice") << "500x2"
                               << "HTTP 500 Internal Server Error";
    QTest::newRow("500 four times") << "500x4"
                                    << "HTTP 500 Internal Server Error";
    QTest::newRow("429 twice") << "429x2"
                               << "HTTP 429 Too Many Requests";
    QTest::newRow("drop twice") << "dropx2"
                                << "connection closed";
    QTest::newRow("hang once") << "hangx1"
                               << "no data for";
}

void TestDealerClient::recoversFromTransientFaults()
{
    QFETCH(QString, fault);
    QFETCH(QString, logged);
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("250"),
                         QStringLiteral("--retry-after"), QStringLiteral("0"),
                         QStringLiteral("--fault"), fault + QStringLiteral(":12284")});
    QVERIFY(sim);
    RetryPolicy policy = fastPolicy();
    policy.timeoutMs = 300;
    const Outcome outcome = run(request(sim->baseUrl()), policy);
    QVERIFY2(outcome.error == ErrorCategory::None, qPrintable(outcome.errorString));
    QCOMPARE(outcome.pages, 3);
    QCOMPARE(outcome.records.size(), 250);
    QVERIFY(!outcome.log.isEmpty());
    QVERIFY(outcome.log.size() <= 4);
    QVERIFY2(outcome.log.first().startsWith(QStringLiteral("page 1: ") + logged),
             qPrintable(outcome.log.first()));
    QVERIFY2(outcome.log.first().contains(QStringLiteral(", retry 1 of 4 in ")),
             qPrintable(outcome.log.first()));
}

void TestDealerClient::honoursRetryAfter()
{
    // The server asks for 30 s; the policy caps it at 1 s.
    auto sim = startSim({QStringLiteral("--retry-after"), QStringLiteral("30"),
                         QStringLiteral("--fault"), QStringLiteral("429x1")});
    QVERIFY(sim);
    QElapsedTimer timer;
    timer.start();
    const Outcome outcome = run(request(sim->baseUrl()), fastPolicy());
    QVERIFY2(outcome.error == ErrorCategory::None, qPrintable(outcome.errorString));
    QVERIFY(timer.elapsed() >= 950);
    QCOMPARE(outcome.log.size(), 1);
    QCOMPARE(outcome.log.first(),
             QStringLiteral("page 1: HTTP 429 Too Many Requests, retry 1 of 4 in 1 s"));
}

void TestDealerClient::persistent500FailsAsHttp()
{
    auto sim = startSim({QStringLiteral("--fault"), QStringLiteral("500")});
    QVERIFY(sim);
    const Outcome outcome = run(request(sim->baseUrl()), fastPolicy());
    QCOMPARE(errorCategoryName(outcome.error), errorCategoryName(ErrorCategory::Http));
    QCOMPARE(outcome.finishedCount, 1);
    QCOMPARE(outcome.log.size(), 4);
    QCOMPARE(outcome.log.at(0),
             QStringLiteral("page 1: HTTP 500 Internal Server Error, retry 1 of 4 in 0.01 s"));
    QCOMPARE(outcome.log.at(1),
             QStringLiteral("page 1: HTTP 500 Internal Server Error, retry 2 of 4 in 0.02 s"));
    QCOMPARE(outcome.log.at(3),
             QStringLiteral("page 1: HTTP 500 Internal Server Error, retry 4 of 4 in 0.04 s"));
    QVERIFY2(outcome.errorString.contains(QStringLiteral("500 Internal Server Error")),
             qPrintable(outcome.errorString));
    QVERIFY2(outcome.errorString.contains(QStringLiteral("after 5 tries")),
             qPrintable(outcome.errorString));
    QVERIFY(outcome.records.isEmpty());
}

void TestDealerClient::persistent429FailsAsHttp()
{
    auto sim = startSim({QStringLiteral("--retry-after"), QStringLiteral("0"),
                         QStringLiteral("--fault"), QStringLiteral("429")});
    QVERIFY(sim);
    RetryPolicy policy = fastPolicy();
    policy.maxRetries = 2;
    const Outcome outcome = run(request(sim->baseUrl()), policy);
    QCOMPARE(errorCategoryName(outcome.error), errorCategoryName(ErrorCategory::Http));
    QCOMPARE(outcome.log.size(), 2);
    QVERIFY2(outcome.errorString.contains(QStringLiteral("429 Too Many Requests")),
             qPrintable(outcome.errorString));
    QVERIFY2(outcome.errorString.contains(QStringLiteral("after 3 tries")),
             qPrintable(outcome.errorString));
}

void TestDealerClient::persistentDropFailsAsNetwork()
{
    auto sim = startSim({QStringLiteral("--fault"), QStringLiteral("drop")});
    QVERIFY(sim);
    const Outcome outcome = run(request(sim->baseUrl()), fastPolicy());
    QCOMPARE(errorCategoryName(outcome.error), errorCategoryName(ErrorCategory::Network));
    QCOMPARE(outcome.log.size(), 4);
    QVERIFY2(outcome.errorString.contains(QStringLiteral("connection closed")),
             qPrintable(outcome.errorString));
    QVERIFY2(outcome.errorString.contains(QStringLiteral("after 5 tries")),
             qPrintable(outcome.errorString));
}

void TestDealerClient::hangTimesOutAsNetwork()
{
    auto sim = startSim({QStringLiteral("--fault"), QStringLiteral("hang")});
    QVERIFY(sim);
    RetryPolicy policy = fastPolicy();
    policy.timeoutMs = 250;
    policy.maxRetries = 1;
    QElapsedTimer timer;
    timer.start();
    const Outcome outcome = run(request(sim->baseUrl()), policy);
    QCOMPARE(errorCategoryName(outcome.error), errorCategoryName(ErrorCategory::Network));
    QVERIFY(timer.elapsed() >= 480);
    QCOMPARE(outcome.log.size(), 1);
    QVERIFY2(outcome.errorString.contains(QStringLiteral("no data for 0.25 s")),
             qPrintable(outcome.errorString));
    QVERIFY2(outcome.errorString.contains(QStringLiteral("after 2 tries")),
             qPrintable(outcome.errorString));
}

void TestDealerClient::connectionRefusedIsNetwork()
{
    // A port that was free a moment ago: nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    const QUrl source(QStringLiteral("http://127.0.0.1:%1/").arg(port));
    const Outcome outcome = run(request(source), fastPolicy());
    QCOMPARE(errorCategoryName(outcome.error), errorCategoryName(ErrorCategory::Network));
    QCOMPARE(outcome.errorString,
             QStringLiteral("could not connect to http://127.0.0.1:%1/ (connection refused) after "
                            "5 tries — check the source URL in Settings and that the dealer API "
                            "is up")
                 .arg(port));
    QCOMPARE(outcome.log.size(), 4);
}

void TestDealerClient::failsAtOnce_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<ErrorCategory>("category");
    QTest::addColumn<QString>("message");
    QTest::newRow("401") << "401" << ErrorCategory::Auth
                         << "dealer API answered 401 Unauthorized for dealer 12284 — check the "
                            "source token in Settings";
    QTest::newRow("403") << "403" << ErrorCategory::Auth << "403 Forbidden for dealer 12284";
    QTest::newRow("404") << "404" << ErrorCategory::NotFound << "404 Not Found for dealer 12284";
    QTest::newRow("redirect") << "redirect" << ErrorCategory::Http
                              << "302 Found for dealer 12284, a redirect to "
                                 "http://127.0.0.2:1/elsewhere";
}

void TestDealerClient::failsAtOnce()
{
    QFETCH(QString, fault);
    QFETCH(ErrorCategory, category);
    QFETCH(QString, message);
    auto sim = startSim({QStringLiteral("--fault"), fault + QStringLiteral("x1")});
    QVERIFY(sim);
    FetchRequest req = request(sim->baseUrl());
    req.token = Token;
    const Outcome outcome = run(req, fastPolicy());
    QCOMPARE(errorCategoryName(outcome.error), errorCategoryName(category));
    QVERIFY2(outcome.errorString.startsWith(message) || outcome.errorString.contains(message),
             qPrintable(outcome.errorString));
    QVERIFY(outcome.log.isEmpty()); // no retry: the fault was for one request only
    QCOMPARE(outcome.pages, 0);
    QCOMPARE(outcome.finishedCount, 1);
}

void TestDealerClient::rejectsBadPayloads_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<QString>("message");
    QTest::newRow("malformed") << "malformed"
                               << "is not a valid dealer API page: the answer is "
                                  "not valid JSON";
    QTest::newRow("truncated") << "truncated"
                               << "is not a valid dealer API page: the answer is "
                                  "not valid JSON";
    QTest::newRow("badnext") << "badnext"
                             << "\"next_page\" is a string";
    QTest::newRow("stuck") << "stuck"
                           << "names page 1 as the next one; it must come after page 1";
}

void TestDealerClient::rejectsBadPayloads()
{
    QFETCH(QString, fault);
    QFETCH(QString, message);
    auto sim = startSim(
        {QStringLiteral("--records"), QStringLiteral("300"), QStringLiteral("--fault"), fault});
    QVERIFY(sim);
    const Outcome outcome = run(request(sim->baseUrl()), fastPolicy());
    QCOMPARE(errorCategoryName(outcome.error), errorCategoryName(ErrorCategory::BadPayload));
    QVERIFY2(outcome.errorString.contains(message), qPrintable(outcome.errorString));
    QVERIFY2(outcome.errorString.contains(QStringLiteral("dealer 12284")),
             qPrintable(outcome.errorString));
    // An unreadable page says what to do next.
    if (message.contains(QStringLiteral("not valid JSON")))
        QVERIFY2(outcome.errorString.contains(QStringLiteral("check that the data source in "
                                                             "Settings is the dealer API")),
                 qPrintable(outcome.errorString));
    QVERIFY(outcome.log.isEmpty());
    QVERIFY(outcome.records.isEmpty());
}

void TestDealerClient::bigPageIsCutShort_data()
{
    QTest::addColumn<QString>("fault");
    QTest::newRow("with Content-Length") << "bigpage";
    QTest::newRow("chunked, counted") << "bigchunked";
}

void TestDealerClient::bigPageIsCutShort()
{
    QFETCH(QString, fault);
    auto sim = startSim({QStringLiteral("--fault"), fault});
    QVERIFY(sim);
    const Outcome outcome = run(request(sim->baseUrl()), fastPolicy());
    QCOMPARE(errorCategoryName(outcome.error), errorCategoryName(ErrorCategory::BadPayload));
    QVERIFY2(outcome.errorString.contains(QStringLiteral("larger than 32 MiB")),
             qPrintable(outcome.errorString));

    // A smaller limit proves the bytes are counted as they come, not after the fact.
    RetryPolicy small = fastPolicy();
    small.maxPageBytes = 3 * 1024 * 1024;
    const Outcome cut = run(request(sim->baseUrl()), small);
    QCOMPARE(errorCategoryName(cut.error), errorCategoryName(ErrorCategory::BadPayload));
    QVERIFY2(cut.errorString.contains(QStringLiteral("larger than 3 MiB")),
             qPrintable(cut.errorString));
}

void TestDealerClient::stopsAfterMaxPages()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("50")});
    QVERIFY(sim);
    RetryPolicy policy = fastPolicy();
    policy.pageSize = 10;
    policy.maxPages = 5;
    const Outcome exact = run(request(sim->baseUrl()), policy);
    QVERIFY2(exact.error == ErrorCategory::None, qPrintable(exact.errorString));
    QCOMPARE(exact.pages, 5);
    policy.maxPages = 4;
    const Outcome over = run(request(sim->baseUrl()), policy);
    QCOMPARE(errorCategoryName(over.error), errorCategoryName(ErrorCategory::BadPayload));
    QVERIFY2(over.errorString.contains(QStringLiteral("more than 4 pages")),
             qPrintable(over.errorString));
}

void TestDealerClient::storesNulPayloadsExactly()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("7"),
                         QStringLiteral("--fault"), QStringLiteral("nul")});
    QVERIFY(sim);
    const FetchRequest req = request(sim->baseUrl());
    const Outcome outcome = run(req, fastPolicy());
    QVERIFY2(outcome.error == ErrorCategory::None, qPrintable(outcome.errorString));
    QCOMPARE(outcome.records.size(), 7);

    // The same page fetched by hand: the stored payloads are its bytes, exactly.
    std::unique_ptr<QNetworkReply> reply(
        m_nam.get(QNetworkRequest(DealerFetch::pageUrl(req, 1, 100))));
    QSignalSpy done(reply.get(), &QNetworkReply::finished);
    QVERIFY(done.wait(10000));
    const QByteArray body = reply->readAll();
    qsizetype from = 0;
    for (const FetchedRecord &record : std::as_const(outcome.records)) {
        QVERIFY(record.payload().toByteArray().contains("\\u0000"));
        const qsizetype at = body.indexOf(record.payload().toByteArray(), from);
        QVERIFY(at > from);
        QCOMPARE(body.at(at - 1) == '[' || body.at(at - 1) == ',', true);
        from = at + record.payload().toByteArray().size();
        QCOMPARE(body.at(from) == ']' || body.at(from) == ',', true);
        const QJsonObject item = QJsonDocument::fromJson(record.payload().toByteArray()).object();
        QVERIFY(item.value(QLatin1String("name")).toString().contains(QChar(0)));
    }
}

void TestDealerClient::abortInFlightIsCancelled()
{
    auto sim = startSim({QStringLiteral("--latency-ms"), QStringLiteral("5000")});
    QVERIFY(sim);
    DealerFetch fetch(&m_nam, request(sim->baseUrl()), fastPolicy());
    QSignalSpy finished(&fetch, &DealerFetch::finished);
    fetch.start();
    QTest::qWait(100);
    QVERIFY(!fetch.isFinished());
    QElapsedTimer timer;
    timer.start();
    fetch.abort();
    QVERIFY(fetch.isFinished());
    QCOMPARE(finished.count(), 0); // queued, never from inside abort()
    QVERIFY(finished.wait(2000));
    QVERIFY(timer.elapsed() < 1000);
    fetch.abort();
    QTest::qWait(20);
    QCOMPARE(finished.count(), 1);
    QCOMPARE(errorCategoryName(fetch.error()), errorCategoryName(ErrorCategory::Cancelled));
    QVERIFY(fetch.errorString().contains(QStringLiteral("cancelled")));
}

void TestDealerClient::abortDuringBackoffIsCancelled()
{
    auto sim = startSim({QStringLiteral("--fault"), QStringLiteral("500")});
    QVERIFY(sim);
    RetryPolicy policy = fastPolicy();
    policy.initialBackoffMs = 60000;
    policy.maxBackoffMs = 60000;
    DealerFetch fetch(&m_nam, request(sim->baseUrl()), policy);
    QSignalSpy finished(&fetch, &DealerFetch::finished);
    QSignalSpy log(&fetch, &DealerFetch::logLine);
    fetch.start();
    QVERIFY(log.wait(5000)); // the first 500 is in; a 60 s wait has begun
    fetch.abort();
    QVERIFY(finished.wait(2000));
    QCOMPARE(errorCategoryName(fetch.error()), errorCategoryName(ErrorCategory::Cancelled));
    QTest::qWait(20);
    QCOMPARE(finished.count(), 1);
}

void TestDealerClient::finishedIsAlwaysQueued()
{
    // Even a fetch that fails before any network I/O reports asynchronously.
    FetchRequest bad = request(QUrl(QStringLiteral("ftp://example.com/")));
    DealerFetch fetch(&m_nam, bad, fastPolicy());
    QSignalSpy finished(&fetch, &DealerFetch::finished);
    fetch.start();
    QCOMPARE(finished.count(), 0);
    QVERIFY(finished.wait(2000));
    QCOMPARE(errorCategoryName(fetch.error()), errorCategoryName(ErrorCategory::Network));
    QVERIFY(fetch.errorString().contains(QStringLiteral("not an http:// or https:// address")));

    // Aborting before start finishes too, once.
    DealerFetch never(&m_nam, request(QUrl(QStringLiteral("http://127.0.0.1:9/"))), fastPolicy());
    QSignalSpy neverFinished(&never, &DealerFetch::finished);
    never.abort();
    never.start();
    QVERIFY(neverFinished.wait(2000));
    QTest::qWait(20);
    QCOMPARE(neverFinished.count(), 1);
    QCOMPARE(errorCategoryName(never.error()), errorCategoryName(ErrorCategory::Cancelled));
}

void TestDealerClient::tokenNeverInMessages()
{
    auto sim = startSim({QStringLiteral("--token"), QStringLiteral("the-right-one"),
                         QStringLiteral("--fault"), QStringLiteral("500:E1"),
                         QStringLiteral("--fault"), QStringLiteral("redirect:R1"),
                         QStringLiteral("--fault"), QStringLiteral("malformed:M1")});
    QVERIFY(sim);
    for (const QString &dealer :
         {QStringLiteral("A1"), QStringLiteral("E1"), QStringLiteral("R1"), QStringLiteral("M1")}) {
        FetchRequest req = request(sim->baseUrl(), dealer);
        req.token = Token;
        // The wrong token for A1 (401); the right one elsewhere would hide the faults behind
        // 401 too, so the faulty dealers get the right token.
        if (dealer != QLatin1String("A1"))
            req.token = "the-right-one";
        const Outcome outcome = run(req, fastPolicy());
        QVERIFY(outcome.error != ErrorCategory::None);
        QVERIFY(!outcome.errorString.isEmpty());
        const QStringList texts = QStringList(outcome.log) << outcome.errorString;
        for (const QString &text : texts) {
            QVERIFY2(!text.contains(QString::fromLatin1(req.token)), qPrintable(text));
            QVERIFY2(!text.contains(QLatin1String("Bearer")), qPrintable(text));
        }
    }
}

void TestDealerClient::manySmallFetches()
{
    // Keep-alive matters: thousands of one-record jobs must not pay a connection each.
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("1")});
    QVERIFY(sim);
    constexpr int Count = 400;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < Count; ++i) {
        DealerFetch fetch(&m_nam, request(sim->baseUrl(), QStringLiteral("D%1").arg(i)),
                          fastPolicy());
        QSignalSpy finished(&fetch, &DealerFetch::finished);
        fetch.start();
        QVERIFY(finished.wait(5000));
        QVERIFY2(fetch.error() == ErrorCategory::None, qPrintable(fetch.errorString()));
        QCOMPARE(fetch.takeRecords().size(), 1);
    }
    const qint64 elapsed = timer.elapsed();
    qInfo("%d one-record fetches in %lld ms", Count, elapsed);
    QVERIFY2(elapsed < 10000, qPrintable(QString::number(elapsed)));
}

QTEST_GUILESS_MAIN(TestDealerClient)
#include "tst_dealerclient.moc"
