#include "sim/dealersim.h"
#include "simprocess.h"
#include "source/pagedecoder.h"

#include <memory>

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

namespace {

const QString From = QStringLiteral("2025-06-12T00:00:00+02:00");
const QString To = QStringLiteral("2025-06-12T23:59:59Z");

struct Answer
{
    int status = 0; // 0: no HTTP answer
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QList<QNetworkReply::RawHeaderPair> headers;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &pair : headers) {
            if (pair.first.compare(name, Qt::CaseInsensitive) == 0)
                return pair.second;
        }
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

/// A page URL built by hand (not with the client's builder, which has tests of its own).
QUrl pageUrl(const QUrl &base, const QString &dealer, const QString &type, int page, int pageSize,
             const QString &from = From, const QString &to = To)
{
    QUrl url = base;
    url.setPath(QStringLiteral("/dealers/%1/%2").arg(dealer, type));
    url.setQuery(QStringLiteral("from=%1&to=%2&page=%3&page_size=%4")
                     .arg(QString::fromLatin1(QUrl::toPercentEncoding(from)),
                          QString::fromLatin1(QUrl::toPercentEncoding(to)), QString::number(page),
                          QString::number(pageSize)));
    return url;
}

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

} // namespace

class TestDealerSim final : public QObject
{
    Q_OBJECT

private slots:
    void servesPagesInOrder();
    void isDeterministicAcrossProcesses();
    void otherWindowSameContent();
    void capsPageSize();
    void zeroRecordsIsOneEmptyPage();
    void recordsForOneDealer();
    void prefixesByType_data();
    void prefixesByType();
    void acceptsPathPrefix();
    void rejectsBadParameters_data();
    void rejectsBadParameters();
    void unknownPathIs404();
    void requiresToken();
    void statusFaults_data();
    void statusFaults();
    void malformedFault();
    void truncatedFault();
    void redirectFault();
    void stuckAndBadNextFaults();
    void nulFault();
    void bigPageFaults_data();
    void bigPageFaults();
    void hangFault();
    void dropFault();
    void faultCountThenSuccess();
    void faultOnlyForListedDealers();
    void keepAliveAndPipelining();
    void connectionCloseIsHonoured();
    void latencyDelaysAnswers();
    void servesLargeCountsFast();
    void badArgumentsExitWith2_data();
    void badArgumentsExitWith2();
    void helpNamesTheProgram();
    void sigtermExitsWith0();
    void parsesFaultRules_data();
    void parsesFaultRules();
    void runsInProcess();
    void oauth2TokenEndpoint();

private:
    Answer get(const QUrl &url, const QByteArray &token = {}, int timeoutMs = 10000);

    QNetworkAccessManager m_nam;
};

Answer TestDealerSim::get(const QUrl &url, const QByteArray &token, int timeoutMs)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(timeoutMs);
    if (!token.isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token);
    std::unique_ptr<QNetworkReply> reply(m_nam.get(request));
    QSignalSpy done(reply.get(), &QNetworkReply::finished);
    if (!reply->isFinished())
        done.wait(timeoutMs + 5000);
    Answer answer;
    answer.error = reply->error();
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (reply->isOpen())
        answer.body = reply->readAll();
    answer.headers = reply->rawHeaderPairs();
    return answer;
}

void TestDealerSim::servesPagesInOrder()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("1234")});
    QVERIFY(sim);
    QStringList ids;
    int page = 1;
    int pages = 0;
    while (true) {
        const Answer answer = get(pageUrl(sim->baseUrl(), QStringLiteral("12284"),
                                          QStringLiteral("prospect"), page, 100));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.header("Content-Type"), QByteArray("application/json"));
        DecodedPage decoded;
        QString error;
        QVERIFY2(decodePage(answer.body, &decoded, &error), qPrintable(error));
        const QJsonObject root = answer.json();
        QCOMPARE(root.value(QLatin1String("dealer_id")).toString(), QStringLiteral("12284"));
        QCOMPARE(root.value(QLatin1String("fetch_type")).toString(), QStringLiteral("prospect"));
        QCOMPARE(decoded.page, page);
        QCOMPARE(decoded.pageSize, 100);
        QCOMPARE(decoded.total, 1234);
        ++pages;
        for (const FetchedRecord &record : std::as_const(decoded.items)) {
            ids.append(record.id());
            const QJsonObject item =
                QJsonDocument::fromJson(record.payload().toByteArray()).object();
            for (const char *key : {"name", "email", "phone", "vehicle", "note"})
                QVERIFY2(!item.value(QLatin1String(key)).toString().isEmpty(), key);
        }
        if (!decoded.nextPage) {
            QCOMPARE(decoded.items.size(), 34);
            break;
        }
        QCOMPARE(decoded.items.size(), 100);
        QCOMPARE(*decoded.nextPage, page + 1);
        page = *decoded.nextPage;
    }
    QCOMPARE(pages, 13);
    QCOMPARE(ids.size(), 1234);
    QCOMPARE(ids.first(), QStringLiteral("P-12284-000001"));
    QCOMPARE(ids.at(99), QStringLiteral("P-12284-000100"));
    QCOMPARE(ids.last(), QStringLiteral("P-12284-001234"));
    QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), 1234);

    // A page past the end is empty and last.
    const Answer past =
        get(pageUrl(sim->baseUrl(), QStringLiteral("12284"), QStringLiteral("prospect"), 99, 100));
    QCOMPARE(past.status, 200);
    QVERIFY(past.json().value(QLatin1String("items")).toArray().isEmpty());
    QVERIFY(past.json().value(QLatin1String("next_page")).isNull());
}

void TestDealerSim::isDeterministicAcrossProcesses()
{
    auto a = startSim({QStringLiteral("--records"), QStringLiteral("40")});
    auto b = startSim({QStringLiteral("--records"), QStringLiteral("40")});
    QVERIFY(a && b);
    const QUrl first = pageUrl(a->baseUrl(), QStringLiteral("A7"), QStringLiteral("sales"), 2, 15);
    const Answer one = get(first);
    const Answer two = get(first);
    const Answer other =
        get(pageUrl(b->baseUrl(), QStringLiteral("A7"), QStringLiteral("sales"), 2, 15));
    QCOMPARE(one.status, 200);
    QCOMPARE(one.body, two.body);
    QCOMPARE(one.body, other.body);
    // Another dealer gets other data.
    const Answer dealer2 =
        get(pageUrl(a->baseUrl(), QStringLiteral("A8"), QStringLiteral("sales"), 2, 15));
    QCOMPARE(dealer2.status, 200);
    QVERIFY(dealer2.body != one.body);
}

void TestDealerSim::otherWindowSameContent()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("5")});
    QVERIFY(sim);
    const Answer june = get(pageUrl(sim->baseUrl(), QStringLiteral("9"), QStringLiteral("service"),
                                    1, 10, QStringLiteral("2025-06-01T00:00:00Z"),
                                    QStringLiteral("2025-06-30T23:59:59Z")));
    const Answer july = get(pageUrl(sim->baseUrl(), QStringLiteral("9"), QStringLiteral("service"),
                                    1, 10, QStringLiteral("2025-07-01T00:00:00.000+00:00"),
                                    QStringLiteral("2025-07-02T00:00:00.000+00:00")));
    QCOMPARE(june.status, 200);
    QCOMPARE(july.status, 200);
    const QJsonArray a = june.json().value(QLatin1String("items")).toArray();
    const QJsonArray b = july.json().value(QLatin1String("items")).toArray();
    QCOMPARE(a.size(), 5);
    QCOMPARE(b.size(), 5);
    for (int i = 0; i < 5; ++i) {
        QJsonObject x = a.at(i).toObject();
        QJsonObject y = b.at(i).toObject();
        const QDateTime xt =
            QDateTime::fromString(x.take(QLatin1String("updated_at")).toString(), Qt::ISODate);
        const QDateTime yt =
            QDateTime::fromString(y.take(QLatin1String("updated_at")).toString(), Qt::ISODate);
        QVERIFY(xt >= QDateTime(QDate(2025, 6, 1), QTime(0, 0), Qt::UTC));
        QVERIFY(xt <= QDateTime(QDate(2025, 6, 30), QTime(23, 59, 59), Qt::UTC));
        QVERIFY(yt >= QDateTime(QDate(2025, 7, 1), QTime(0, 0), Qt::UTC));
        QVERIFY(yt <= QDateTime(QDate(2025, 7, 2), QTime(0, 0), Qt::UTC));
        QCOMPARE(x, y);
        QCOMPARE(x.value(QLatin1String("id")).toString(), QStringLiteral("V-9-00000%1").arg(i + 1));
    }
}

void TestDealerSim::capsPageSize()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("120"),
                         QStringLiteral("--page-size"), QStringLiteral("50")});
    QVERIFY(sim);
    const Answer answer =
        get(pageUrl(sim->baseUrl(), QStringLiteral("1"), QStringLiteral("prospect"), 1, 500));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json().value(QLatin1String("page_size")).toInt(), 50);
    QCOMPARE(answer.json().value(QLatin1String("items")).toArray().size(), 50);
    QCOMPARE(answer.json().value(QLatin1String("next_page")).toInt(), 2);
    const Answer last =
        get(pageUrl(sim->baseUrl(), QStringLiteral("1"), QStringLiteral("prospect"), 3, 500));
    QCOMPARE(last.json().value(QLatin1String("items")).toArray().size(), 20);
    QVERIFY(last.json().value(QLatin1String("next_page")).isNull());
}

void TestDealerSim::zeroRecordsIsOneEmptyPage()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("0")});
    QVERIFY(sim);
    const Answer answer =
        get(pageUrl(sim->baseUrl(), QStringLiteral("1"), QStringLiteral("prospect"), 1, 500));
    QCOMPARE(answer.status, 200);
    DecodedPage page;
    QString error;
    QVERIFY2(decodePage(answer.body, &page, &error), qPrintable(error));
    QVERIFY(page.items.isEmpty());
    QCOMPARE(page.total, 0);
    QVERIFY(!page.nextPage);
}

void TestDealerSim::recordsForOneDealer()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("2"),
                         QStringLiteral("--records-for"), QStringLiteral("00999=7")});
    QVERIFY(sim);
    const Answer special =
        get(pageUrl(sim->baseUrl(), QStringLiteral("00999"), QStringLiteral("prospect"), 1, 500));
    const Answer normal =
        get(pageUrl(sim->baseUrl(), QStringLiteral("999"), QStringLiteral("prospect"), 1, 500));
    QCOMPARE(special.json().value(QLatin1String("total")).toInt(), 7);
    QCOMPARE(special.json().value(QLatin1String("dealer_id")).toString(), QStringLiteral("00999"));
    QCOMPARE(normal.json().value(QLatin1String("total")).toInt(), 2);
}

void TestDealerSim::prefixesByType_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("firstId");
    QTest::newRow("prospect") << "prospect"
                              << "P-D1-000001";
    QTest::newRow("sales") << "sales"
                           << "S-D1-000001";
    QTest::newRow("service") << "service"
                             << "V-D1-000001";
    QTest::newRow("inventory") << "inventory"
                               << "I-D1-000001";
    QTest::newRow("other") << "warranty"
                           << "W-D1-000001";
}

void TestDealerSim::prefixesByType()
{
    QFETCH(QString, type);
    QFETCH(QString, firstId);
    auto sim = startSim({});
    QVERIFY(sim);
    const Answer answer = get(pageUrl(sim->baseUrl(), QStringLiteral("D1"), type, 1, 5));
    QCOMPARE(answer.status, 200);
    const QJsonArray items = answer.json().value(QLatin1String("items")).toArray();
    QCOMPARE(items.size(), 5);
    QCOMPARE(items.at(0).toObject().value(QLatin1String("id")).toString(), firstId);
    QCOMPARE(answer.json().value(QLatin1String("total")).toInt(), 25);
}

void TestDealerSim::acceptsPathPrefix()
{
    auto sim = startSim({});
    QVERIFY(sim);
    QUrl url = pageUrl(sim->baseUrl(), QStringLiteral("12"), QStringLiteral("sales"), 1, 10);
    url.setPath(QStringLiteral("/api/v1") + url.path());
    QCOMPARE(get(url).status, 200);
}

void TestDealerSim::rejectsBadParameters_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("expected");
    QTest::newRow("no query") << ""
                              << "\"from\" is missing";
    QTest::newRow("no to") << "from=2025-06-12T00:00:00Z&page=1&page_size=5"
                           << "\"to\" is missing";
    QTest::newRow("bad from") << "from=yesterday&to=2025-06-12T00:00:00Z&page=1&page_size=5"
                              << "\"from\" is not an ISO 8601 time";
    QTest::newRow("raw plus") << "from=2025-06-12T00:00:00+02:00&to=2025-06-13T00:00:00Z"
                                 "&page=1&page_size=5"
                              << "\"from\" is not an ISO 8601 time";
    QTest::newRow("to before from") << "from=2025-06-13T00:00:00Z&to=2025-06-12T00:00:00Z"
                                       "&page=1&page_size=5"
                                    << "\"to\" is before";
    QTest::newRow("no page") << "from=2025-06-12T00:00:00Z&to=2025-06-12T01:00:00Z&page_size=5"
                             << "\"page\" is missing";
    QTest::newRow("page zero") << "from=2025-06-12T00:00:00Z&to=2025-06-12T01:00:00Z"
                                  "&page=0&page_size=5"
                               << "\"page\" must be";
    QTest::newRow("page_size text") << "from=2025-06-12T00:00:00Z&to=2025-06-12T01:00:00Z"
                                       "&page=1&page_size=lots"
                                    << "\"page_size\" must be";
    QTest::newRow("page twice") << "from=2025-06-12T00:00:00Z&to=2025-06-12T01:00:00Z"
                                   "&page=1&page=2&page_size=5"
                                << "\"page\" given twice";
}

void TestDealerSim::rejectsBadParameters()
{
    QFETCH(QString, query);
    QFETCH(QString, expected);
    auto sim = startSim({});
    QVERIFY(sim);
    QUrl url = sim->baseUrl();
    url.setPath(QStringLiteral("/dealers/12284/prospect"));
    url.setQuery(query, QUrl::StrictMode);
    const Answer answer = get(url);
    QCOMPARE(answer.status, 400);
    QCOMPARE(answer.header("Content-Type"), QByteArray("application/json"));
    const QString message = answer.json()
                                .value(QLatin1String("error"))
                                .toObject()
                                .value(QLatin1String("message"))
                                .toString();
    QVERIFY2(message.contains(expected), qPrintable(message));
}

void TestDealerSim::unknownPathIs404()
{
    auto sim = startSim({});
    QVERIFY(sim);
    for (const char *path : {"/", "/dealers", "/dealers/12284", "/dealer/12284/prospect",
                             "/dealers/bad%20id/prospect", "/dealers/12284/pro%2Fspect"}) {
        QUrl url = sim->baseUrl();
        url.setPath(QString::fromLatin1(path), QUrl::TolerantMode);
        url.setQuery(QStringLiteral("from=2025-06-12T00:00:00Z&to=2025-06-12T01:00:00Z"
                                    "&page=1&page_size=5"));
        const Answer answer = get(url);
        QVERIFY2(answer.status == 404, path);
        QVERIFY(answer.json().value(QLatin1String("error")).isObject());
    }
}

void TestDealerSim::requiresToken()
{
    auto sim = startSim({QStringLiteral("--token"), QStringLiteral("s3cret")});
    QVERIFY(sim);
    const QUrl url = pageUrl(sim->baseUrl(), QStringLiteral("1"), QStringLiteral("prospect"), 1, 5);
    const Answer none = get(url);
    QCOMPARE(none.status, 401);
    QCOMPARE(none.header("WWW-Authenticate"), QByteArray("Bearer"));
    QCOMPARE(get(url, "wrong").status, 401);
    QCOMPARE(get(url, "s3cret").status, 200);
}

void TestDealerSim::statusFaults_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<int>("status");
    QTest::newRow("500") << "500" << 500;
    QTest::newRow("429") << "429" << 429;
    QTest::newRow("401") << "401" << 401;
    QTest::newRow("403") << "403" << 403;
    QTest::newRow("404") << "404" << 404;
}

void TestDealerSim::statusFaults()
{
    QFETCH(QString, fault);
    QFETCH(int, status);
    auto sim = startSim(
        {QStringLiteral("--fault"), fault, QStringLiteral("--retry-after"), QStringLiteral("7")});
    QVERIFY(sim);
    const Answer answer =
        get(pageUrl(sim->baseUrl(), QStringLiteral("5"), QStringLiteral("prospect"), 1, 5));
    QCOMPARE(answer.status, status);
    QVERIFY(answer.json().value(QLatin1String("error")).isObject());
    if (status == 429)
        QCOMPARE(answer.header("Retry-After"), QByteArray("7"));
    // Without a count the fault stays.
    QCOMPARE(
        get(pageUrl(sim->baseUrl(), QStringLiteral("5"), QStringLiteral("prospect"), 1, 5)).status,
        status);
}

void TestDealerSim::malformedFault()
{
    auto sim = startSim({QStringLiteral("--fault"), QStringLiteral("malformed")});
    QVERIFY(sim);
    const Answer answer =
        get(pageUrl(sim->baseUrl(), QStringLiteral("5"), QStringLiteral("prospect"), 1, 5));
    QCOMPARE(answer.status, 200);
    QVERIFY(!answer.body.isEmpty());
    QJsonParseError error;
    QJsonDocument::fromJson(answer.body, &error);
    QVERIFY(error.error != QJsonParseError::NoError);
}

void TestDealerSim::truncatedFault()
{
    auto sim = startSim({QStringLiteral("--fault"), QStringLiteral("truncatedx1:T1")});
    QVERIFY(sim);
    const QUrl url =
        pageUrl(sim->baseUrl(), QStringLiteral("T1"), QStringLiteral("prospect"), 1, 10);
    const Answer cut = get(url);
    const Answer whole = get(url);
    QCOMPARE(cut.status, 200);
    QCOMPARE(whole.status, 200);
    QCOMPARE(cut.error, QNetworkReply::NoError);
    QVERIFY(whole.body.size() > 100);
    QCOMPARE(cut.body, whole.body.left(whole.body.size() / 2));
    QCOMPARE(cut.header("Content-Length"), QByteArray::number(cut.body.size()));
    QVERIFY(QJsonDocument::fromJson(cut.body).isNull());
}

void TestDealerSim::redirectFault()
{
    auto sim = startSim({QStringLiteral("--fault"), QStringLiteral("redirect")});
    QVERIFY(sim);
    const Answer answer =
        get(pageUrl(sim->baseUrl(), QStringLiteral("5"), QStringLiteral("prospect"), 1, 5));
    QCOMPARE(answer.status, 302);
    QCOMPARE(answer.header("Location"), QByteArray("http://127.0.0.2:1/elsewhere"));
}

void TestDealerSim::stuckAndBadNextFaults()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("30"),
                         QStringLiteral("--fault"), QStringLiteral("stuck:S1"),
                         QStringLiteral("--fault"), QStringLiteral("badnext:B1")});
    QVERIFY(sim);
    for (int page : {1, 2, 3}) {
        const Answer stuck =
            get(pageUrl(sim->baseUrl(), QStringLiteral("S1"), QStringLiteral("sales"), page, 10));
        QCOMPARE(stuck.status, 200);
        QCOMPARE(stuck.json().value(QLatin1String("next_page")).toInt(), page);
    }
    const Answer bad =
        get(pageUrl(sim->baseUrl(), QStringLiteral("B1"), QStringLiteral("sales"), 1, 10));
    QCOMPARE(bad.status, 200);
    QVERIFY(bad.json().value(QLatin1String("next_page")).isString());
    const Answer fine =
        get(pageUrl(sim->baseUrl(), QStringLiteral("F1"), QStringLiteral("sales"), 1, 10));
    QCOMPARE(fine.json().value(QLatin1String("next_page")).toInt(), 2);
}

void TestDealerSim::nulFault()
{
    auto sim = startSim({QStringLiteral("--fault"), QStringLiteral("nul")});
    QVERIFY(sim);
    const Answer answer =
        get(pageUrl(sim->baseUrl(), QStringLiteral("5"), QStringLiteral("prospect"), 1, 3));
    QCOMPARE(answer.status, 200);
    QVERIFY(answer.body.contains("\\u0000"));
    DecodedPage page;
    QString error;
    QVERIFY2(decodePage(answer.body, &page, &error), qPrintable(error));
    QCOMPARE(page.items.size(), 3);
    const QJsonObject item =
        QJsonDocument::fromJson(page.items.at(0).payload().toByteArray()).object();
    QVERIFY(item.value(QLatin1String("name")).toString().contains(QChar(0)));
}

void TestDealerSim::bigPageFaults_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<bool>("chunked");
    QTest::newRow("bigpage") << "bigpage" << false;
    QTest::newRow("bigchunked") << "bigchunked" << true;
}

void TestDealerSim::bigPageFaults()
{
    QFETCH(QString, fault);
    QFETCH(bool, chunked);
    auto sim = startSim({QStringLiteral("--fault"), fault});
    QVERIFY(sim);
    const Answer answer =
        get(pageUrl(sim->baseUrl(), QStringLiteral("5"), QStringLiteral("prospect"), 1, 3));
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.error, QNetworkReply::NoError);
    QVERIFY(answer.body.size() > 32LL * 1024 * 1024);
    if (chunked) {
        QVERIFY(answer.header("Content-Length").isEmpty());
    } else {
        QCOMPARE(answer.header("Content-Length"), QByteArray::number(answer.body.size()));
    }
    DecodedPage page;
    QString error;
    QVERIFY2(decodePage(answer.body, &page, &error), qPrintable(error));
    QVERIFY(page.items.size() > 0);
}

void TestDealerSim::hangFault()
{
    auto sim = startSim({QStringLiteral("--fault"), QStringLiteral("hang:H1")});
    QVERIFY(sim);
    QElapsedTimer timer;
    timer.start();
    const Answer hung = get(
        pageUrl(sim->baseUrl(), QStringLiteral("H1"), QStringLiteral("prospect"), 1, 3), {}, 400);
    QCOMPARE(hung.status, 0);
    QVERIFY(hung.error != QNetworkReply::NoError);
    QVERIFY(timer.elapsed() >= 350);
    // The server itself is not stuck.
    QCOMPARE(
        get(pageUrl(sim->baseUrl(), QStringLiteral("OK"), QStringLiteral("prospect"), 1, 3)).status,
        200);
}

void TestDealerSim::dropFault()
{
    auto sim = startSim({QStringLiteral("--fault"), QStringLiteral("drop:D1")});
    QVERIFY(sim);
    const Answer dropped =
        get(pageUrl(sim->baseUrl(), QStringLiteral("D1"), QStringLiteral("prospect"), 1, 3));
    QCOMPARE(dropped.status, 0);
    QCOMPARE(dropped.error, QNetworkReply::RemoteHostClosedError);
    QCOMPARE(
        get(pageUrl(sim->baseUrl(), QStringLiteral("D2"), QStringLiteral("prospect"), 1, 3)).status,
        200);
}

void TestDealerSim::faultCountThenSuccess()
{
    auto sim = startSim({QStringLiteral("--fault"), QStringLiteral("500x2:A"),
                         QStringLiteral("--fault"), QStringLiteral("429x1")});
    QVERIFY(sim);
    const QUrl a = pageUrl(sim->baseUrl(), QStringLiteral("A"), QStringLiteral("prospect"), 1, 3);
    QCOMPARE(get(a).status, 500);
    QCOMPARE(get(a).status, 500);
    // The 500 rule is spent for A; the 429 rule (every dealer, once each) comes next.
    QCOMPARE(get(a).status, 429);
    QCOMPARE(get(a).status, 200);
    QCOMPARE(get(a).status, 200);
    const QUrl b = pageUrl(sim->baseUrl(), QStringLiteral("B"), QStringLiteral("prospect"), 1, 3);
    QCOMPARE(get(b).status, 429);
    QCOMPARE(get(b).status, 200);
}

void TestDealerSim::faultOnlyForListedDealers()
{
    auto sim = startSim({QStringLiteral("--fault"), QStringLiteral("404:X1,X2")});
    QVERIFY(sim);
    for (const char *dealer : {"X1", "X2"})
        QCOMPARE(get(pageUrl(sim->baseUrl(), QLatin1String(dealer), QStringLiteral("sales"), 1, 3))
                     .status,
                 404);
    QCOMPARE(
        get(pageUrl(sim->baseUrl(), QStringLiteral("X3"), QStringLiteral("sales"), 1, 3)).status,
        200);
}

void TestDealerSim::keepAliveAndPipelining()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("3")});
    QVERIFY(sim);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, sim->port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray target =
        pageUrl(sim->baseUrl(), QStringLiteral("1"), QStringLiteral("prospect"), 1, 5)
            .toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
    const QByteArray request = "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n";
    // Three requests in one write: all three answered, in order, on the same connection.
    socket.write(request + request + request);
    QByteArray received;
    QElapsedTimer timer;
    timer.start();
    while (received.count("HTTP/1.1 200 OK") < 3 || !received.endsWith("\"next_page\":null}")) {
        QVERIFY2(timer.elapsed() < 5000, received.constData());
        socket.waitForReadyRead(200);
        received += socket.readAll();
    }
    QCOMPARE(received.count("Connection: keep-alive"), 3);
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    // And the connection still serves afterwards.
    socket.write(request);
    received.clear();
    while (!received.endsWith("\"next_page\":null}")) {
        QVERIFY2(timer.elapsed() < 10000, received.constData());
        socket.waitForReadyRead(200);
        received += socket.readAll();
    }
    QVERIFY(received.startsWith("HTTP/1.1 200 OK\r\n"));
}

void TestDealerSim::connectionCloseIsHonoured()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("1")});
    QVERIFY(sim);
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, sim->port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray target =
        pageUrl(sim->baseUrl(), QStringLiteral("1"), QStringLiteral("prospect"), 1, 5)
            .toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority);
    socket.write("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QElapsedTimer timer;
    timer.start();
    while (socket.state() == QAbstractSocket::ConnectedState && timer.elapsed() < 5000)
        socket.waitForDisconnected(200);
    QCOMPARE(socket.state(), QAbstractSocket::UnconnectedState);
    const QByteArray received = socket.readAll();
    QVERIFY(received.startsWith("HTTP/1.1 200 OK\r\n"));
    QVERIFY(received.contains("Connection: close"));
}

void TestDealerSim::latencyDelaysAnswers()
{
    auto sim = startSim({QStringLiteral("--latency-ms"), QStringLiteral("300")});
    QVERIFY(sim);
    QElapsedTimer timer;
    timer.start();
    QCOMPARE(
        get(pageUrl(sim->baseUrl(), QStringLiteral("1"), QStringLiteral("prospect"), 1, 5)).status,
        200);
    QVERIFY(timer.elapsed() >= 290);
}

void TestDealerSim::servesLargeCountsFast()
{
    auto sim = startSim({QStringLiteral("--records"), QStringLiteral("200000")});
    QVERIFY(sim);
    QElapsedTimer timer;
    timer.start();
    for (int page = 1; page <= 10; ++page) {
        const Answer answer = get(pageUrl(sim->baseUrl(), QStringLiteral("77"),
                                          QStringLiteral("inventory"), page * 37, 500));
        QCOMPARE(answer.status, 200);
        QCOMPARE(answer.json().value(QLatin1String("items")).toArray().size(), 500);
    }
    const qint64 elapsed = timer.elapsed();
    qInfo("10 pages of 500 of 200,000 records in %lld ms", elapsed);
    // "Well under a second" on an idle machine; generous here as tests run side by side.
    QVERIFY2(elapsed < 3000, qPrintable(QString::number(elapsed)));
}

void TestDealerSim::badArgumentsExitWith2_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--nope")};
    QTest::newRow("bad records") << QStringList{QStringLiteral("--records"), QStringLiteral("x")};
    QTest::newRow("bad page size")
        << QStringList{QStringLiteral("--page-size"), QStringLiteral("0")};
    QTest::newRow("bad fault") << QStringList{QStringLiteral("--fault"), QStringLiteral("boom")};
    QTest::newRow("bad fault count")
        << QStringList{QStringLiteral("--fault"), QStringLiteral("500xq")};
    QTest::newRow("bad fault id") << QStringList{QStringLiteral("--fault"),
                                                 QStringLiteral("500:bad id")};
    QTest::newRow("bad listen") << QStringList{QStringLiteral("--listen"),
                                               QStringLiteral("nowhere")};
    QTest::newRow("bad records-for")
        << QStringList{QStringLiteral("--records-for"), QStringLiteral("A")};
    QTest::newRow("bad paging") << QStringList{"--paging", "scroll"};
    QTest::newRow("bad time format") << QStringList{"--time-format", "rfc2822"};
    QTest::newRow("bad auth") << QStringList{"--auth", "digest"};
    QTest::newRow("basic without user:password")
        << QStringList{"--auth", "basic", "--token", "nocolon"};
    QTest::newRow("oauth2 without a client") << QStringList{"--auth", "oauth2"};
    QTest::newRow("empty items key") << QStringList{"--items-key", "data//x"};
}

void TestDealerSim::badArgumentsExitWith2()
{
    QFETCH(QStringList, args);
    QProcess process;
    process.start(QStringLiteral(DEALERQ_SIM_PATH), args);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 2);
    const QByteArray err = process.readAllStandardError();
    QCOMPARE(err.count('\n'), 1);
    QVERIFY(err.startsWith("dealerq-sim: "));
    QVERIFY(process.readAllStandardOutput().isEmpty());
}

void TestDealerSim::helpNamesTheProgram()
{
    // Started by its full path, as the man page's build and an operator's script start it.
    QProcess process;
    process.start(QStringLiteral(DEALERQ_SIM_PATH), {QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    const QByteArray out = process.readAllStandardOutput();
    QVERIFY2(out.startsWith("Usage: dealerq-sim [options]\n"), out.left(80).constData());
}

void TestDealerSim::sigtermExitsWith0()
{
    QProcess process;
    process.start(QStringLiteral(DEALERQ_SIM_PATH),
                  {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    QVERIFY(process.waitForStarted(5000));
    while (!process.canReadLine())
        QVERIFY(process.waitForReadyRead(5000));
    const QByteArray line = process.readLine();
    QVERIFY(line.endsWith('\n'));
    QVERIFY(line.trimmed().toUInt() > 0);
    process.terminate();
    QVERIFY(process.waitForFinished(5000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
}

void TestDealerSim::parsesFaultRules_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("count");
    QTest::addColumn<QStringList>("ids");
    using Mode = DealerSimServer::FaultMode;
    QTest::newRow("plain") << "500" << true << int(Mode::Http500) << -1 << QStringList();
    QTest::newRow("count") << "429x3" << true << int(Mode::Http429) << 3 << QStringList();
    QTest::newRow("ids") << "hang:A,00999" << true << int(Mode::Hang) << -1
                         << QStringList{QStringLiteral("A"), QStringLiteral("00999")};
    QTest::newRow("count and ids")
        << "dropx1:B" << true << int(Mode::Drop) << 1 << QStringList{QStringLiteral("B")};
    QTest::newRow("x in name") << "badnext" << true << int(Mode::BadNext) << -1 << QStringList();
    QTest::newRow("x in name, count")
        << "badnextx2:C" << true << int(Mode::BadNext) << 2 << QStringList{QStringLiteral("C")};
    QTest::newRow("every mode ok")
        << "bigchunked" << true << int(Mode::BigChunked) << -1 << QStringList();
    QTest::newRow("unknown") << "502" << false << 0 << 0 << QStringList();
    QTest::newRow("bad count") << "500xq" << false << 0 << 0 << QStringList();
    QTest::newRow("negative count") << "500x-1" << false << 0 << 0 << QStringList();
    QTest::newRow("empty ids") << "500:" << false << 0 << 0 << QStringList();
    QTest::newRow("bad id") << "500:a b" << false << 0 << 0 << QStringList();
}

void TestDealerSim::parsesFaultRules()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QString error;
    const auto rule = DealerSimServer::parseFaultRule(text, &error);
    QCOMPARE(rule.has_value(), valid);
    if (!valid) {
        QVERIFY2(error.contains(text), qPrintable(error));
        return;
    }
    QFETCH(int, mode);
    QFETCH(int, count);
    QFETCH(QStringList, ids);
    QCOMPARE(int(rule->mode), mode);
    QCOMPARE(rule->count, count);
    QCOMPARE(rule->dealerIds, ids);
}

void TestDealerSim::runsInProcess()
{
    // The application's --demo mode runs the simulator on its own event loop.
    DealerSimServer::Options options;
    options.records = 2;
    options.faults.append({DealerSimServer::FaultMode::Http500, 1, {QStringLiteral("Z")}});
    DealerSimServer server(options);
    QString error;
    QVERIFY2(server.listen(QHostAddress::LocalHost, 0, &error), qPrintable(error));
    QVERIFY(server.port() != 0);
    QCOMPARE(server.baseUrl(), QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(server.port())));
    QCOMPARE(server.requestCount(), 0);
    const QUrl url =
        pageUrl(server.baseUrl(), QStringLiteral("Z"), QStringLiteral("prospect"), 1, 9);
    QCOMPARE(get(url).status, 500);
    const Answer answer = get(url);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json().value(QLatin1String("total")).toInt(), 2);
    QCOMPARE(server.requestCount(), 2);

    DealerSimServer second(options);
    QVERIFY(!second.listen(QHostAddress::LocalHost, server.port(), &error));
    QVERIFY2(error.contains(QString::number(server.port())), qPrintable(error));
}

void TestDealerSim::oauth2TokenEndpoint()
{
    auto sim = startSim({"--paging", "page", "--auth", "oauth2", "--oauth2-client", "cid:sec ret",
                         "--oauth2-lifetime", "120", "--oauth2-uses", "1"});
    QVERIFY(sim);
    const auto post = [&](const QByteArray &form) {
        QNetworkRequest request(sim->baseUrl().resolved(QUrl("oauth/token")));
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
        QNetworkReply *reply = m_nam.post(request, form);
        QSignalSpy done(reply, &QNetworkReply::finished);
        done.wait(10000);
        Answer answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        reply->deleteLater();
        return answer;
    };
    QCOMPARE(post("grant_type=password&client_id=cid&client_secret=sec%20ret").status, 400);
    QCOMPARE(post("grant_type=client_credentials&client_id=cid&client_secret=wrong").status, 401);
    const Answer granted =
        post("grant_type=client_credentials&client_id=cid&client_secret=sec+ret");
    QCOMPARE(granted.status, 200);
    QCOMPARE(granted.json().value("expires_in").toInt(), 120);
    const QByteArray token = granted.json().value("access_token").toString().toUtf8();
    QVERIFY(!token.isEmpty());
    QUrl url = sim->baseUrl();
    url.setPath("/dealers/D1/prospect");
    url.setQuery("from=2025-06-12T00:00:00Z&to=2025-06-12T23:59:59Z&page_size=5");
    QCOMPARE(get(url).status, 401);
    QCOMPARE(get(url, token).status, 200); // good for one request (--oauth2-uses 1)
    QCOMPARE(get(url, token).status, 401);
}

QTEST_GUILESS_MAIN(TestDealerSim)
#include "tst_dealersim.moc"
