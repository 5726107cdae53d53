#include "appsetup.h"

#include "job/validation.h"
#include "log/messagehandler.h"
#include "sim/dealersim.h"

#include <cstdio>

#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <QHostInfo>

GivenValue firstGiven(std::initializer_list<std::pair<QString, QString>> candidates)
{
    for (const auto &[value, origin] : candidates) {
        if (!value.isEmpty())
            return {value, origin};
    }
    return {};
}

void printError(const QString &line)
{
    // One line per problem: a driver's multi-line message is joined. Under systemd the journal
    // records it as an error, as it does the log's criticals.
    std::fprintf(stderr, "%sdealerq: %s\n", Logging::linePrefix(QtCriticalMsg),
                 qUtf8Printable(line.simplified()));
    std::fflush(stderr);
}

QString AppSetup::sourceDisplay() const
{
    return demo ? QStringLiteral("built-in demo simulator")
                : sourceUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
}

RunnerConfig AppSetup::runnerConfig() const
{
    RunnerConfig config;
    config.database = database;
    config.sourceUrl = sourceUrl;
    config.sourceToken = sourceToken;
    if (!demo) { // the built-in simulator speaks SPEC §2
        QVector<FieldError> errors;
        if (const std::optional<SourceProfile> profile = settings->sourceProfile(&errors))
            config.profile = *profile;
        else
            config.profileProblem = errors.value(0).message;
    }
    config.retry.maxRetries = settings->maxRetries();
    config.retry.initialBackoffMs = settings->initialBackoffMs();
    config.retry.maxBackoffMs = settings->maxBackoffMs();
    config.retry.maxRetryAfterS = settings->maxRetryAfterS();
    config.retry.timeoutMs = settings->requestTimeoutMs();
    config.retry.pageSize = settings->pageSize();
    config.retry.maxPages = settings->maxPages();
    config.maxAttempts = settings->maxAttempts();
    config.keepFinishedDays = settings->keepFinishedDays();
    config.sourceDisplay = sourceDisplay();
    config.instance = QStringLiteral("%1 pid %2")
                          .arg(QHostInfo::localHostName())
                          .arg(QCoreApplication::applicationPid());
    return config;
}

std::unique_ptr<DealerSimServer> startDemoSimulator(AppSetup &setup, QString *error)
{
    DealerSimServer::Options options;
    options.records = 5; // every dealer succeeds with a few records, no latency
    auto sim = std::make_unique<DealerSimServer>(options);
    QString why;
    if (!sim->listen(QHostAddress::LocalHost, 0, &why)) {
        *error = QStringLiteral("cannot start the demo simulator: %1").arg(why);
        return nullptr;
    }
    setup.sourceUrl = sim->baseUrl();
    return sim;
}

std::optional<QStringList> commandLineDealerIds(const CommandLine &cli, QString *error)
{
    QStringList ids;
    if (!cli.enqueue.isEmpty())
        ids = cli.enqueue.split(QLatin1Char(','));
    if (!cli.bulkFile.isEmpty()) {
        QString why;
        const QStringList fromFile = readIdsFromFile(cli.bulkFile, &why);
        if (!why.isEmpty()) {
            *error = why;
            return std::nullopt;
        }
        ids += fromFile;
    }
    return ids;
}

QStringList readIdsFromFile(const QString &path, QString *error)
{
    constexpr qint64 MaxBytes = 64LL * 1024 * 1024;
    QFile file;
    const bool opened = path == QLatin1String("-")
                            ? file.open(stdin, QIODevice::ReadOnly)
                            : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened) {
        *error = QStringLiteral("cannot read --bulk-file %1: %2").arg(path, file.errorString());
        return {};
    }
    const QByteArray data = file.read(MaxBytes + 1);
    if (data.size() > MaxBytes) {
        *error = QStringLiteral("--bulk-file %1 is larger than 64 MiB").arg(path);
        return {};
    }
    return splitDealerIdText(QString::fromUtf8(data));
}
