#include "checksource.h"

#include "appsetup.h"
#include "job/timeformat.h"
#include "job/validation.h"
#include "sim/dealersim.h"
#include "source/dealerclient.h"

#include <cstdio>

#include <QDateTime>
#include <QEventLoop>
#include <QNetworkAccessManager>

namespace {

void printLine(const QString &line)
{
    std::fprintf(stdout, "%s\n", qUtf8Printable(line));
    std::fflush(stdout);
}

} // namespace

int runCheckSource(AppSetup &setup)
{
    const CommandLine &cli = setup.cli;
    const QString dealer =
        cli.enqueue.trimmed().isEmpty() ? QStringLiteral("12284") : cli.enqueue.trimmed();
    QString why;
    if (!validateDealerId(dealer, &why)) {
        printError(QStringLiteral("--enqueue: %1").arg(why));
        return ExitBadInput;
    }
    const QString type = cli.fetchType.isEmpty() ? QStringLiteral("prospect") : cli.fetchType;
    if (!setup.settings->fetchTypes().contains(type)) {
        printError(QStringLiteral("--type: \"%1\" is not one of the configured fetch types (%2)")
                       .arg(printableText(type), setup.settings->fetchTypes().join(", ")));
        return ExitBadInput;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    std::optional<qint64> from = localDayBound(now, TimeBound::Start);
    std::optional<qint64> to = localDayBound(now, TimeBound::End);
    if (!cli.from.isEmpty())
        from = parseTimeInput(cli.from, TimeBound::Start, &why);
    if (from && !cli.to.isEmpty())
        to = parseTimeInput(cli.to, TimeBound::End, &why);
    if (!from || !to || *from > *to) {
        printError(QStringLiteral("--from/--to: %1")
                       .arg(why.isEmpty() ? QStringLiteral("from is after to") : why));
        return ExitBadInput;
    }

    std::unique_ptr<DealerSimServer> sim;
    if (setup.demo) {
        sim = startDemoSimulator(setup, &why);
        if (!sim) {
            printError(why);
            return ExitBadInput;
        }
    }
    const RunnerConfig config = setup.runnerConfig();
    FetchRequest request;
    request.sourceUrl = config.sourceUrl;
    request.token = config.sourceToken;
    request.dealerId = dealer;
    request.fetchType = type;
    request.from = formatApiTime(*from);
    request.to = formatApiTime(*to);
    request.profile = config.profile;
    request.profileProblem = config.profileProblem;

    QNetworkAccessManager nam;
    DealerFetch fetch(&nam, request, config.retry);
    fetch.setFirstPageOnly(true);
    QEventLoop loop;
    QObject::connect(&fetch, &DealerFetch::finished, &loop, &QEventLoop::quit);
    fetch.start();
    loop.exec();

    printLine(QStringLiteral("profile: %1")
                  .arg(config.profile.isDefault
                           ? QStringLiteral("default (SPEC §2)")
                           : QStringLiteral("[profile] of %1, paging %2, auth %3")
                                 .arg(setup.settings->filePath(), pagingName(config.profile.paging),
                                      authName(config.profile.auth))));
    if (fetch.lastUrl().isValid())
        printLine(QStringLiteral("request: GET %1")
                      .arg(fetch.lastUrl().toDisplayString(QUrl::RemoveUserInfo)));
    if (fetch.lastStatus() > 0)
        printLine(QStringLiteral("status: %1").arg(fetch.lastStatus()));
    if (fetch.error() != ErrorCategory::None) {
        printError(
            QStringLiteral("%1 [%2]").arg(fetch.errorString(), errorCategoryName(fetch.error())));
        return ExitBadInput;
    }
    const QVector<FetchedRecord> records = fetch.takeRecords();
    printLine(QStringLiteral("items: %1").arg(records.size()));
    if (!records.isEmpty()) {
        printLine(QStringLiteral("first id: %1").arg(printableText(records.first().id(), 200)));
        printLine(QStringLiteral("first updated_at: %1")
                      .arg(records.first().updatedAt().isEmpty()
                               ? QStringLiteral("(none)")
                               : printableText(records.first().updatedAt(), 200)));
    }
    printLine(QStringLiteral("next: %1").arg(fetch.nextDescription()));
    return ExitOk;
}
