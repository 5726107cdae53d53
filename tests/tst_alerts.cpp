// Alerts (SPEC §7): the events, the desktop notices' rate limit, and the webhook against a real
// HTTP receiver on loopback — signed, retried, never redirected — and from the real dealerq.
#include "alert/alertevents.h"
#include "alert/webhook.h"
#include "job/timeformat.h"
#include "simprocess.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

namespace {

/// One HTTP request as the receiver saw it.
struct Received
{
    QByteArray method;
    QByteArray path;
    QHash<QByteArray, QByteArray> headers; ///< names in lower case
    QByteArray body;
};

/// A minimal HTTP/1.1 server: answers each request with the next status of `statuses` (the
/// last one repeats) and keeps what it received. Connection: close after every answer.
class Receiver final : public QObject
{
public:
    explicit Receiver(QList<int> statuses = {200})
        : m_statuses(std::move(statuses))
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection())
                serve(socket);
        });
    }
    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url(const QString &pathAndQuery) const
    {
        return QUrl(
            QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(pathAndQuery));
    }
    const QList<Received> &received() const { return m_received; }
    /// Extra header lines for every answer (e.g. a Location).
    QByteArray extraHeaders;

private:
    void serve(QTcpSocket *socket)
    {
        auto *buffer = new QByteArray;
        QObject::connect(socket, &QTcpSocket::disconnected, socket, [socket, buffer] {
            delete buffer;
            socket->deleteLater();
        });
        QObject::connect(socket, &QTcpSocket::readyRead, this, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const int end = buffer->indexOf("\r\n\r\n");
            if (end < 0)
                return;
            Received request;
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            request.method = first.value(0);
            request.path = first.value(1);
            for (int i = 1; i < lines.size(); ++i) {
                const int colon = lines[i].indexOf(':');
                if (colon > 0)
                    request.headers.insert(lines[i].left(colon).trimmed().toLower(),
                                           lines[i].mid(colon + 1).trimmed());
            }
            const int length = request.headers.value("content-length").toInt();
            if (buffer->size() < end + 4 + length)
                return;
            request.body = buffer->mid(end + 4, length);
            m_received << request;
            const int status = m_statuses.value(m_received.size() - 1, m_statuses.last());
            socket->write("HTTP/1.1 " + QByteArray::number(status) +
                          " Whatever\r\nContent-Length: 0\r\nConnection: close\r\n" + extraHeaders +
                          "\r\n");
            socket->disconnectFromHost();
        });
    }

    QTcpServer m_server;
    QList<int> m_statuses;
    QList<Received> m_received;
};

Job finishedJob(qint64 id, JobStatus status)
{
    Job job;
    job.id = id;
    job.dealerId = QStringLiteral("D%1").arg(id);
    job.fetchType = QStringLiteral("sales");
    job.fromMs = 1749686400000;
    job.toMs = 1749772799000;
    job.status = status;
    job.createdMs = 1749800000000;
    job.startedMs = 1749800000000 + id * 1000;
    job.finishedMs = job.startedMs + 500;
    job.attempts = 1;
    if (status == JobStatus::Failed)
        job.error = JobError{QStringLiteral("HTTP 500 from the dealer API"), ErrorCategory::Http};
    return job;
}

QByteArray opensslHmac(const QByteArray &body, const QByteArray &key)
{
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {"dgst", "-sha256", "-hmac", QString::fromLatin1(key)});
    openssl.write(body);
    openssl.closeWriteChannel();
    if (!openssl.waitForFinished(10000) || openssl.exitCode() != 0)
        return {};
    // "SHA2-256(stdin)= <hex>" or "(stdin)= <hex>", by version.
    return openssl.readAllStandardOutput().trimmed().split(' ').last();
}

} // namespace

class TestAlerts : public QObject
{
    Q_OBJECT

private slots:
    void failedJobsAndDrainedQueueMakeEvents();
    void noticesAreRateLimited();
    void retriesWaitLonger();
    void webhookIsSigned();
    void webhookRetriesThenDelivers();
    void webhookGivesUpAndLogsNoSecret();
    void webhookNeverFollowsRedirects();
    void sendingHappensOffTheCallersThread();
    void dealerqPostsFailuresAndDrain();
};

void TestAlerts::failedJobsAndDrainedQueueMakeEvents()
{
    AlertEvents events;
    QVERIFY(!events.queueEmpty(1000)); // nothing ran: no drained event
    QVERIFY(!events.jobFinished(finishedJob(1, JobStatus::Completed), 2000));
    Job requeued = finishedJob(2, JobStatus::Queued);
    QVERIFY(!events.jobFinished(requeued, 2500)); // put back after a fault: not finished
    const std::optional<QJsonObject> failed =
        events.jobFinished(finishedJob(3, JobStatus::Failed), 3000);
    QVERIFY(failed);
    QCOMPARE(failed->value("event").toString(), QStringLiteral("job_failed"));
    const QJsonObject job = failed->value("job").toObject();
    QCOMPARE(job.value("job_id").toInteger(), 3);
    QCOMPARE(job.value("dealer_id").toString(), QStringLiteral("D3"));
    QCOMPARE(job.value("status").toString(), QStringLiteral("failed"));
    QCOMPARE(job.value("error").toObject().value("category").toString(), QStringLiteral("http"));
    QVERIFY(!events.jobFinished(finishedJob(4, JobStatus::Cancelled), 4000));

    const std::optional<QJsonObject> drained = events.queueEmpty(9000);
    QVERIFY(drained);
    QCOMPARE(drained->value("event").toString(), QStringLiteral("queue_drained"));
    QCOMPARE(drained->value("completed").toInt(), 1);
    QCOMPARE(drained->value("failed").toInt(), 1);
    QCOMPARE(drained->value("started_at").toString(),
             formatTimestamp(finishedJob(1, JobStatus::Completed).startedMs));
    QCOMPARE(drained->value("finished_at").toString(),
             formatTimestamp(finishedJob(4, JobStatus::Cancelled).finishedMs));
    // The counts start again; an idle queue says nothing more.
    QVERIFY(!events.queueEmpty(10000));
    QVERIFY(!events.jobFinished(finishedJob(5, JobStatus::Completed), 11000));
    QCOMPARE(events.queueEmpty(12000)->value("completed").toInt(), 1);
}

void TestAlerts::noticesAreRateLimited()
{
    NoticeThrottle throttle(10000);
    qint64 now = 1000000;
    // The first failure after a quiet spell is shown at once.
    std::optional<AlertNotice> notice = throttle.jobFailed(now);
    QVERIFY(notice);
    QCOMPARE(notice->failed, 1);
    QCOMPARE(throttle.dueAtMs(), 0);
    // Two more within 10 s and the queue running empty: gathered, due 10 s after the first.
    now += 2000;
    QVERIFY(!throttle.jobFailed(now));
    now += 3000;
    QVERIFY(!throttle.jobFailed(now));
    QVERIFY(!throttle.queueDrained(now, 5, 3));
    QCOMPARE(throttle.dueAtMs(), 1010000);
    QVERIFY(!throttle.takeDue(1009999));
    notice = throttle.takeDue(1010000);
    QVERIFY(notice);
    // It replaces the first on screen, so it counts that one's failure too.
    QCOMPARE(notice->failed, 3);
    QVERIFY(notice->drained);
    QCOMPARE(notice->drainedCompleted, 5);
    QCOMPARE(notice->drainedFailed, 3);
    QCOMPARE(throttle.dueAtMs(), 0);
    QVERIFY(!throttle.takeDue(1030000));
    // After a quiet spell the next one is immediate again.
    notice = throttle.queueDrained(1030000, 1, 0);
    QVERIFY(notice);
    QCOMPARE(notice->failed, 0);
    QVERIFY(notice->drained);

    // Failures keep adding up until the operator has seen a notice; then they count afresh.
    QCOMPARE(throttle.jobFailed(1050000)->failed, 1);
    QVERIFY(!throttle.jobFailed(1051000));
    QCOMPARE(throttle.takeDue(1060000)->failed, 2);
    QCOMPARE(throttle.jobFailed(1070000)->failed, 3);
    throttle.seen();
    QVERIFY(!throttle.jobFailed(1071000));
    QCOMPARE(throttle.takeDue(1080000)->failed, 1);
}

void TestAlerts::retriesWaitLonger()
{
    const WebhookConfig config; // SPEC §7: again after 1, 2, 4 and 8 s
    QCOMPARE(config.maxAttempts, 5);
    QCOMPARE(webhookRetryDelayMs(config, 2), 1000);
    QCOMPARE(webhookRetryDelayMs(config, 3), 2000);
    QCOMPARE(webhookRetryDelayMs(config, 4), 4000);
    QCOMPARE(webhookRetryDelayMs(config, 5), 8000);
}

void TestAlerts::webhookIsSigned()
{
    Receiver receiver;
    QVERIFY(receiver.listen());
    WebhookConfig config;
    config.url = receiver.url("/hook");
    config.secret = "s3cret-key";
    WebhookSender sender(config);
    QSignalSpy delivered(&sender, &WebhookSender::delivered);
    const QByteArray body = R"({"event":"job_failed","job":{"job_id":7}})";
    sender.send(body, QStringLiteral("job_failed"));
    QVERIFY(delivered.wait(10000));
    QCOMPARE(delivered.first().at(1).toInt(), 1);
    QCOMPARE(receiver.received().size(), 1);
    const Received &got = receiver.received().first();
    QCOMPARE(got.method, QByteArray("POST"));
    QCOMPARE(got.path, QByteArray("/hook"));
    QCOMPARE(got.body, body);
    QCOMPARE(got.headers.value("content-type"), QByteArray("application/json"));
    // The signature, checked by an independent implementation.
    if (QStandardPaths::findExecutable("openssl").isEmpty())
        QSKIP("openssl is not installed (apt-get install openssl)");
    const QByteArray expected = opensslHmac(body, config.secret);
    QVERIFY(!expected.isEmpty());
    QCOMPARE(got.headers.value("x-dealerq-signature"), "sha256=" + expected);

    // Without a secret there is no signature header.
    WebhookSender unsigned_(WebhookConfig{receiver.url("/hook"), {}});
    QSignalSpy delivered2(&unsigned_, &WebhookSender::delivered);
    unsigned_.send(body, QStringLiteral("job_failed"));
    QVERIFY(delivered2.wait(10000));
    QVERIFY(!receiver.received().last().headers.contains("x-dealerq-signature"));
}

void TestAlerts::webhookRetriesThenDelivers()
{
    Receiver receiver({500, 503, 204});
    QVERIFY(receiver.listen());
    WebhookConfig config;
    config.url = receiver.url("/hook");
    config.firstRetryMs = 20; // the delays' growth is checked in retriesWaitLonger
    WebhookSender sender(config);
    QSignalSpy delivered(&sender, &WebhookSender::delivered);
    QSignalSpy retries(&sender, &WebhookSender::retryScheduled);
    QSignalSpy gaveUp(&sender, &WebhookSender::gaveUp);
    sender.send("{}", QStringLiteral("queue_drained"));
    QVERIFY(delivered.wait(10000));
    QCOMPARE(delivered.first().at(1).toInt(), 3);
    QCOMPARE(retries.size(), 2);
    QCOMPARE(retries.at(0).at(2).toInt(), 20);
    QCOMPARE(retries.at(1).at(2).toInt(), 40);
    QCOMPARE(receiver.received().size(), 3);
    QVERIFY(gaveUp.isEmpty());
    QCOMPARE(sender.pending(), 0);
}

void TestAlerts::webhookGivesUpAndLogsNoSecret()
{
    Receiver receiver({500});
    QVERIFY(receiver.listen());
    WebhookConfig config;
    QUrl url = receiver.url("/hook?key=query-secret");
    url.setUserInfo(QStringLiteral("user:password-secret"));
    config.url = url;
    config.firstRetryMs = 10;
    WebhookSender sender(config);
    QSignalSpy gaveUp(&sender, &WebhookSender::gaveUp);
    QSignalSpy logged(&sender, &WebhookSender::logLine);
    QSignalSpy idle(&sender, &WebhookSender::idle);
    sender.send("{}", QStringLiteral("job_failed"));
    QVERIFY(gaveUp.wait(10000));
    QCOMPARE(receiver.received().size(), 5);
    QCOMPARE(gaveUp.first().at(1).toString(), QStringLiteral("HTTP 500"));
    QCOMPARE(idle.size(), 1);
    QCOMPARE(logged.size(), 1);
    const QString line = logged.first().first().toString();
    QVERIFY2(line.contains("job_failed") && line.contains("after 5 tries") &&
                 line.contains(QStringLiteral("127.0.0.1:%1/hook").arg(url.port())),
             qPrintable(line));
    QVERIFY2(!line.contains("secret"), qPrintable(line));

    // Nothing listening at all: the same five tries, then given up.
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    WebhookSender nowhere(
        WebhookConfig{QUrl(QStringLiteral("http://127.0.0.1:%1/hook").arg(port)), {}, 5, 10, 2000});
    QSignalSpy tried(&nowhere, &WebhookSender::tried);
    QSignalSpy gaveUp2(&nowhere, &WebhookSender::gaveUp);
    nowhere.send("{}", QStringLiteral("job_failed"));
    QVERIFY(gaveUp2.wait(20000));
    QCOMPARE(tried.size(), 5);
    QCOMPARE(tried.last().at(2).toInt(), 0);
}

void TestAlerts::webhookNeverFollowsRedirects()
{
    Receiver elsewhere;
    QVERIFY(elsewhere.listen());
    Receiver redirecting({302});
    QVERIFY(redirecting.listen());
    redirecting.extraHeaders = "Location: " + elsewhere.url("/stolen").toEncoded() + "\r\n";
    WebhookConfig config;
    config.url = redirecting.url("/hook");
    config.firstRetryMs = 10;
    config.maxAttempts = 2;
    WebhookSender sender(config);
    QSignalSpy gaveUp(&sender, &WebhookSender::gaveUp);
    sender.send(R"({"event":"job_failed"})", QStringLiteral("job_failed"));
    QVERIFY(gaveUp.wait(10000));
    QCOMPARE(gaveUp.first().at(1).toString(), QStringLiteral("HTTP 302"));
    QCOMPARE(redirecting.received().size(), 2);
    QVERIFY(elsewhere.received().isEmpty());
}

void TestAlerts::sendingHappensOffTheCallersThread()
{
    Receiver receiver;
    QVERIFY(receiver.listen());
    WebhookConfig config;
    config.url = receiver.url("/hook");
    AlertService service(config);
    QVERIFY(service.sender()->thread() != QThread::currentThread());
    QVERIFY(service.sender()->thread()->isRunning());
    QSignalSpy settled(&service, &AlertService::settled);
    service.jobFinished(finishedJob(1, JobStatus::Failed));
    service.jobFinished(finishedJob(2, JobStatus::Completed));
    service.queueEmpty();
    QVERIFY(service.finish(10000));
    QCOMPARE(receiver.received().size(), 2);
    const QJsonObject first = QJsonDocument::fromJson(receiver.received().at(0).body).object();
    const QJsonObject second = QJsonDocument::fromJson(receiver.received().at(1).body).object();
    QStringList events{first.value("event").toString(), second.value("event").toString()};
    events.sort();
    QCOMPARE(events, QStringList({"job_failed", "queue_drained"}));
    QCOMPARE(settled.size(), 1);
}

void TestAlerts::dealerqPostsFailuresAndDrain()
{
    // The real dealerq, headless: one job completes, one fails (the dealer API answers 404);
    // the receiver gets job_failed and queue_drained, and never a token.
    const QByteArray sourceToken = "source-token-never-sent";
    const QByteArray apiToken = "api-token-never-sent";
    SimProcess sim({"--token", QString::fromLatin1(sourceToken), "--fault", "404:GONE"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    Receiver receiver;
    QVERIFY(receiver.listen());
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QByteArray settings = "[alerts]\nwebhook_url=" + receiver.url("/dealerq").toEncoded() +
                                "\nwebhook_secret=hmac-key\n[fetch]\nmax_retries=0\n";
    QProcessEnvironment env = isolatedEnvironment(dir.path(), settings);
    env.insert(QStringLiteral("DEALERQ_SOURCE_TOKEN"), QString::fromLatin1(sourceToken));
    env.insert(QStringLiteral("DEALERQ_API_TOKEN"), QString::fromLatin1(apiToken));
    QProcess dealerq;
    dealerq.setProcessEnvironment(env);
    dealerq.start(QStringLiteral(DEALERQ_PATH),
                  {"--headless", "--drain", "--db", sqliteUrlIn(dir.path()), "--source",
                   sim.baseUrl().toString(), "--api-listen", "127.0.0.1:0", "--enqueue",
                   "OK1,GONE"});
    // The receiver runs on this thread's event loop: spin it while dealerq works.
    QTRY_VERIFY_WITH_TIMEOUT(dealerq.state() == QProcess::NotRunning, 60000);
    const QByteArray log = dealerq.readAllStandardError();
    QCOMPARE(dealerq.exitCode(), 1);
    QCOMPARE(receiver.received().size(), 2);
    const QJsonObject failed = QJsonDocument::fromJson(receiver.received().at(0).body).object();
    QCOMPARE(failed.value("event").toString(), QStringLiteral("job_failed"));
    QCOMPARE(failed.value("job").toObject().value("dealer_id").toString(), QStringLiteral("GONE"));
    QCOMPARE(failed.value("job").toObject().value("error").toObject().value("category").toString(),
             QStringLiteral("not_found"));
    const QJsonObject drained = QJsonDocument::fromJson(receiver.received().at(1).body).object();
    QCOMPARE(drained.value("event").toString(), QStringLiteral("queue_drained"));
    QCOMPARE(drained.value("completed").toInt(), 1);
    QCOMPARE(drained.value("failed").toInt(), 1);
    for (const Received &request : receiver.received()) {
        const QByteArray signature = request.headers.value("x-dealerq-signature");
        QVERIFY(signature.startsWith("sha256="));
        QCOMPARE(signature, webhookSignature(request.body, "hmac-key"));
        QByteArray everything = request.path + request.body;
        for (auto it = request.headers.cbegin(); it != request.headers.cend(); ++it)
            everything += it.key() + it.value();
        QVERIFY(!everything.contains(sourceToken));
        QVERIFY(!everything.contains(apiToken));
    }
    QVERIFY2(!log.contains(sourceToken) && !log.contains(apiToken), log.constData());
}

QTEST_GUILESS_MAIN(TestAlerts)
#include "tst_alerts.moc"
