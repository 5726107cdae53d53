#include "apiwiring.h"

#include "api/apiservice.h"
#include "api/apitls.h"
#include "appsetup.h"
#include "log/logging.h"
#include "queue/jobqueue.h"

#include <cstdio>

#include <QProcessEnvironment>

namespace {

// A token travels in a header: visible ASCII only.
bool isUsableToken(const QByteArray &token)
{
    if (token.isEmpty())
        return false;
    for (const char c : token) {
        if (c < 0x21 || c > 0x7e)
            return false;
    }
    return true;
}

} // namespace

QByteArray configuredApiToken(const AppSetup &setup, QString *origin)
{
    const GivenValue given = firstGiven(
        {{setup.cli.apiToken, QStringLiteral("--api-token")},
         {qEnvironmentVariable("DEALERQ_API_TOKEN"), QStringLiteral("DEALERQ_API_TOKEN")},
         {setup.settings->apiToken(), QStringLiteral("setting api/token")}});
    *origin = given.origin;
    return given.value.toUtf8();
}

std::unique_ptr<ApiService> startApi(const AppSetup &setup, JobQueue &queue, QString *error)
{
    error->clear();
    const CommandLine &cli = setup.cli;
    if (cli.noApi)
        return nullptr;

    const QString listen = cli.apiListen.isEmpty() ? setup.settings->apiListen() : cli.apiListen;
    QString host;
    quint16 port = 0;
    QString why;
    if (!checkListenAddress(listen, cli.apiAllowRemote, &host, &port, &why)) {
        *error = cli.apiListen.isEmpty() ? QStringLiteral("setting api/listen in %1: %2")
                                               .arg(setup.settings->filePath(), why)
                                         : why;
        return nullptr;
    }

    QString tokenSource;
    QByteArray token = configuredApiToken(setup, &tokenSource);
    bool generated = false;
    if (token.isEmpty()) {
        token = ApiService::generateToken();
        setup.settings->setValue(Settings::Key::ApiToken, QString::fromLatin1(token));
        generated = true;
    } else if (!isUsableToken(token)) {
        *error = QStringLiteral("the API token from %1 holds spaces or control characters; use "
                                "visible ASCII characters only")
                     .arg(tokenSource);
        return nullptr;
    }

    // HTTPS when a certificate is named: on the command line, or else in the settings.
    QString certFile = cli.apiTlsCert;
    QString keyFile = cli.apiTlsKey;
    QString tlsSource = QStringLiteral("--api-tls-cert/--api-tls-key");
    if (certFile.isEmpty() && keyFile.isEmpty()) {
        certFile = setup.settings->apiTlsCert();
        keyFile = setup.settings->apiTlsKey();
        tlsSource = QStringLiteral("settings api/tls_cert and api/tls_key in %1")
                        .arg(setup.settings->filePath());
    }
    std::optional<QSslConfiguration> tls;
    if (certFile.isEmpty() != keyFile.isEmpty()) {
        *error = QStringLiteral("%1: a TLS certificate needs its key and a key its certificate; "
                                "set both")
                     .arg(tlsSource);
        return nullptr;
    }
    if (!certFile.isEmpty()) {
        tls = loadApiTls(certFile, keyFile, &why);
        if (!tls) {
            *error = why;
            return nullptr;
        }
    }

    ApiService::Options options;
    options.database = setup.database;
    options.fetchTypes = setup.settings->fetchTypes();
    options.coverageStaleHours = setup.settings->coverageStaleHours();
    options.address = QHostAddress(host);
    options.port = port;
    options.token = token;
    options.tls = tls;
    auto api = std::make_unique<ApiService>();
    if (!api->start(options, &why)) {
        *error = QStringLiteral("cannot start the REST API on %1: %2").arg(listen, why);
        return nullptr;
    }

    QObject::connect(api.get(), &ApiService::queueChanged, &queue, &JobQueue::notifyChanged,
                     Qt::QueuedConnection);
    QObject::connect(api.get(), &ApiService::cancelRunningRequested, &queue,
                     &JobQueue::cancelRunning, Qt::QueuedConnection);
    QObject::connect(&queue, &JobQueue::jobFinished, api.get(), &ApiService::observeFinishedJob);
    Settings *settings = setup.settings.get();
    QObject::connect(api.get(), &ApiService::tokenChanged, settings,
                     [settings](const QByteArray &newToken) {
                         settings->setValue(Settings::Key::ApiToken, QString::fromLatin1(newToken));
                     });

    // The port is output (a script reads it); the rest is logged. Never the token itself.
    std::fprintf(stdout, "%u\n", unsigned(api->port()));
    std::fflush(stdout);
    qCInfo(lcApi).noquote() << "REST API listening on" << api->baseUrl().toString();
    if (generated)
        qCInfo(lcApi).noquote() << "REST API token generated and stored in"
                                << setup.settings->filePath() << "(api/token)";
    else
        qCDebug(lcApi).noquote() << "REST API token from" << tokenSource;
    if (api->isExposed() && !tls)
        qCWarning(lcApi) << "REST API is reachable from other machines (--api-allow-remote); "
                            "its token is the only protection and travels unencrypted (serve it "
                            "over HTTPS with --api-tls-cert and --api-tls-key)";
    if (token.size() < 16)
        qCWarning(lcApi) << "REST API token is shorter than 16 characters: easy to guess";
    return api;
}
