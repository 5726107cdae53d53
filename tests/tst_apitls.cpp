// The REST API over HTTPS (SPEC §8): certificates made by openssl for each run, a real TLS
// client on loopback, the connection guard's limits still in force, and the refusals at start
// (unreadable files, a key that is not the certificate's).
#include "api/apiservice.h"
#include "api/apitls.h"
#include "testsupport.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTest>

namespace {

const QByteArray Token = "tls-test-token-abcdefghijklmnopqrs";

/// The answer to one request over a fresh connection: the status (0: none) and the whole text.
struct RawReply
{
    int status = 0;
    QByteArray text;
    bool closed = false;
};

} // namespace

class TestApiTls final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void servesHttpsOnly();
    void guardHoldsOverTls();
    void stalledHandshakeIsClosed();
    void refusesUnusablePairs();

private:
    bool makePair(const QString &name, const QString &keyType);
    bool startApi(const ApiLimits &limits = {});
    RawReply exchange(const QByteArray &request, bool encrypted = true, int timeoutMs = 5000);
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<ApiService> m_api;
};

bool TestApiTls::makePair(const QString &name, const QString &keyType)
{
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {"req", "-x509", "-newkey", keyType, "-nodes", "-days", "2", "-subj",
                   "/CN=localhost", "-keyout", path(name + "-key.pem"), "-out",
                   path(name + "-cert.pem")});
    return openssl.waitForFinished(60000) && openssl.exitCode() == 0;
}

void TestApiTls::initTestCase()
{
    if (QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
        QSKIP("openssl is not installed (apt-get install openssl)");
    QVERIFY(QSslSocket::supportsSsl());
    QVERIFY(m_dir.isValid());
    QVERIFY(makePair(QStringLiteral("rsa"), QStringLiteral("rsa:2048")));
    QVERIFY(makePair(QStringLiteral("other"), QStringLiteral("rsa:2048")));
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
}

bool TestApiTls::startApi(const ApiLimits &limits)
{
    QString error;
    const std::optional<QSslConfiguration> tls =
        loadApiTls(path("rsa-cert.pem"), path("rsa-key.pem"), &error);
    if (!tls) {
        qWarning("%s", qPrintable(error));
        return false;
    }
    m_api = std::make_unique<ApiService>();
    ApiService::Options options;
    options.database = m_db->url();
    options.fetchTypes = QStringList{"prospect", "sales"};
    options.port = 0;
    options.token = Token;
    options.limits = limits;
    options.tls = tls;
    return m_api->start(options, &error);
}

RawReply TestApiTls::exchange(const QByteArray &request, bool encrypted, int timeoutMs)
{
    RawReply reply;
    QSslSocket socket;
    socket.setPeerVerifyMode(QSslSocket::VerifyNone); // a self-signed test certificate
    if (encrypted) {
        socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_api->port());
        if (!socket.waitForEncrypted(timeoutMs))
            return reply;
    } else {
        socket.connectToHost(QHostAddress::LocalHost, m_api->port());
        if (!socket.waitForConnected(timeoutMs))
            return reply;
    }
    socket.write(request);
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        if (!socket.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
            reply.closed = socket.state() != QAbstractSocket::ConnectedState;
            break;
        }
        reply.text += socket.readAll();
    }
    reply.text += socket.readAll();
    if (reply.text.startsWith("HTTP/1.1 "))
        reply.status = reply.text.mid(9, 3).toInt();
    return reply;
}

void TestApiTls::servesHttpsOnly()
{
    QVERIFY(startApi());
    QCOMPARE(m_api->baseUrl().scheme(), QStringLiteral("https"));
    const RawReply health =
        exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QCOMPARE(health.status, 200);
    QVERIFY(health.text.contains("\"status\":\"ok\""));
    const RawReply status = exchange("GET /jobs/queue/status HTTP/1.1\r\nHost: x\r\n"
                                     "Authorization: Bearer " +
                                     Token + "\r\nConnection: close\r\n\r\n");
    QCOMPARE(status.status, 200);
    const RawReply noToken =
        exchange("GET /jobs/queue/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    QCOMPARE(noToken.status, 401);
    // Plain HTTP on the HTTPS port gets no HTTP answer: the connection is dropped.
    const RawReply plain =
        exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false, 5000);
    QCOMPARE(plain.status, 0);
    QVERIFY(!plain.text.contains("\"status\""));
    m_api.reset();
}

void TestApiTls::guardHoldsOverTls()
{
    ApiLimits limits;
    limits.idleTimeoutMs = 1500;
    QVERIFY(startApi(limits));
    // A declared body over 1 MiB: refused at once, unread.
    const RawReply big = exchange("POST /jobs/queue HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                  Token + "\r\nContent-Type: application/json\r\nContent-Length: " +
                                  QByteArray::number(2 * 1024 * 1024) + "\r\n\r\n{");
    QVERIFY2(big.status == 413,
             big.text.constData() + QByteArray(big.closed ? " [closed]" : " [open]"));
    // A head that never ends: 408 after the idle timeout.
    const RawReply slow = exchange("GET /health HTTP/1.1\r\nHost: x\r\n", true, 8000);
    QCOMPARE(slow.status, 408);
    // A chunked body: 411.
    const RawReply chunked =
        exchange("POST /jobs/queue HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Token +
                 "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
    QCOMPARE(chunked.status, 411);
    m_api.reset();
}

void TestApiTls::stalledHandshakeIsClosed()
{
    // A client that connects and never starts TLS is closed like any idle connection.
    ApiLimits limits;
    limits.idleTimeoutMs = 1000;
    QVERIFY(startApi(limits));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, m_api->port());
    QVERIFY(socket.waitForConnected(5000));
    QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::UnconnectedState, 8000);
    m_api.reset();
}

void TestApiTls::refusesUnusablePairs()
{
    QString error;
    // A key that belongs to another certificate: both files are named.
    QVERIFY(!loadApiTls(path("rsa-cert.pem"), path("other-key.pem"), &error));
    QVERIFY2(error.contains(QDir::toNativeSeparators(path("rsa-cert.pem"))) &&
                 error.contains(QDir::toNativeSeparators(path("other-key.pem"))) &&
                 error.contains(QStringLiteral("do not work together")),
             qPrintable(error));
    // A file that is not there.
    QVERIFY(!loadApiTls(path("missing.pem"), path("rsa-key.pem"), &error));
    QVERIFY2(error.contains(QStringLiteral("missing.pem cannot be read")), qPrintable(error));
    // The files swapped: no certificate in the first.
    QVERIFY(!loadApiTls(path("rsa-key.pem"), path("rsa-cert.pem"), &error));
    QVERIFY2(error.contains(QStringLiteral("holds no PEM certificate")), qPrintable(error));
    // A key protected by a passphrase.
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {"pkey", "-in", path("rsa-key.pem"), "-aes256", "-passout", "pass:secret", "-out",
                   path("locked-key.pem")});
    QVERIFY(openssl.waitForFinished(30000) && openssl.exitCode() == 0);
    QVERIFY(!loadApiTls(path("rsa-cert.pem"), path("locked-key.pem"), &error));
    QVERIFY2(error.contains(QStringLiteral("passphrase")), qPrintable(error));
    // And the right pair works, RSA and EC alike.
    QVERIFY2(loadApiTls(path("rsa-cert.pem"), path("rsa-key.pem"), &error), qPrintable(error));
    QProcess params;
    params.start(QStringLiteral("openssl"),
                 {"ecparam", "-name", "prime256v1", "-out", path("ec-params.pem")});
    QVERIFY(params.waitForFinished(30000) && params.exitCode() == 0);
    QVERIFY(makePair(QStringLiteral("ec"), QStringLiteral("ec:") + path("ec-params.pem")));
    QVERIFY2(loadApiTls(path("ec-cert.pem"), path("ec-key.pem"), &error), qPrintable(error));
}

QTEST_GUILESS_MAIN(TestApiTls)
#include "tst_apitls.moc"
