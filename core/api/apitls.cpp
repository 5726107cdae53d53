#include "api/apitls.h"

#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTimer>

namespace {

QByteArray readPem(const QString &path, qint64 limit, QString *why)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *why = QStringLiteral("%1 cannot be read: %2")
                   .arg(QDir::toNativeSeparators(path), file.errorString());
        return {};
    }
    const QByteArray data = file.read(limit + 1);
    if (data.size() > limit) {
        *why = QStringLiteral("%1 is too large for a PEM file").arg(QDir::toNativeSeparators(path));
        return {};
    }
    if (data.isEmpty())
        *why = QStringLiteral("%1 is empty").arg(QDir::toNativeSeparators(path));
    return data;
}

// A handshake between a server with `config` and a client on loopback; empty when it works.
QString handshakeProblem(const QSslConfiguration &config)
{
    QSslServer server;
    server.setSslConfiguration(config);
    if (!server.listen(QHostAddress::LocalHost, 0))
        return QStringLiteral("cannot try the pair on loopback: %1").arg(server.errorString());
    QString serverError;
    QObject::connect(&server, &QSslServer::errorOccurred, &server,
                     [&serverError](QSslSocket *socket, QAbstractSocket::SocketError) {
                         if (serverError.isEmpty())
                             serverError = socket->errorString();
                     });
    QSslSocket client;
    client.setPeerVerifyMode(QSslSocket::VerifyNone); // the pair is tested, not the trust
    QEventLoop loop;
    bool encrypted = false;
    QObject::connect(&client, &QSslSocket::encrypted, &loop, [&] {
        encrypted = true;
        loop.quit();
    });
    QObject::connect(&client, &QSslSocket::errorOccurred, &loop, &QEventLoop::quit);
    QObject::connect(&client, &QSslSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&server, &QSslServer::errorOccurred, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort());
    loop.exec();
    if (encrypted)
        return {};
    if (!serverError.isEmpty())
        return serverError;
    return client.errorString().isEmpty() ? QStringLiteral("the TLS handshake did not complete")
                                          : client.errorString();
}

} // namespace

std::optional<QSslConfiguration> loadApiTls(const QString &certFile, const QString &keyFile,
                                            QString *error)
{
    const QString pair =
        QStringLiteral("TLS certificate %1 and key %2")
            .arg(QDir::toNativeSeparators(certFile), QDir::toNativeSeparators(keyFile));
    const auto fail = [&](const QString &why) {
        *error = QStringLiteral("%1: %2").arg(pair, why);
        return std::nullopt;
    };
    if (!QSslSocket::supportsSsl())
        return fail(QStringLiteral("this system has no TLS library for Qt (%1)")
                        .arg(QSslSocket::sslLibraryBuildVersionString()));
    QString why;
    const QByteArray certPem = readPem(certFile, 1 << 20, &why);
    if (certPem.isEmpty())
        return fail(why);
    const QByteArray keyPem = readPem(keyFile, 1 << 20, &why);
    if (keyPem.isEmpty())
        return fail(why);
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certPem, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull())
        return fail(
            QStringLiteral("%1 holds no PEM certificate").arg(QDir::toNativeSeparators(certFile)));
    if (keyPem.contains("ENCRYPTED"))
        return fail(QStringLiteral("%1 is protected by a passphrase; give an unencrypted key "
                                   "(readable by dealerq's user only)")
                        .arg(QDir::toNativeSeparators(keyFile)));
    QSslKey key;
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Rsa, QSsl::Ec, QSsl::Dsa}) {
        key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!key.isNull())
            break;
    }
    if (key.isNull())
        return fail(QStringLiteral("%1 holds no PEM private key (RSA or EC)")
                        .arg(QDir::toNativeSeparators(keyFile)));

    QSslConfiguration config = QSslConfiguration::defaultConfiguration();
    config.setLocalCertificate(chain.first());
    config.setLocalCertificateChain(chain);
    config.setPrivateKey(key);
    config.setPeerVerifyMode(QSslSocket::VerifyNone); // clients bring no certificate
    config.setProtocol(QSsl::TlsV1_2OrLater);
    const QString problem = handshakeProblem(config);
    if (!problem.isEmpty())
        return fail(QStringLiteral("they do not work together (does the key belong to the "
                                   "certificate?): %1")
                        .arg(problem));
    return config;
}
