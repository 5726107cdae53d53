#include "checksource.h"

#include "appsetup.h"
#include "job/timeformat.h"
#include "job/validation.h"
#include "sim/dealersim.h"
#include "source/sourcecheck.h"

#include <cstdio>

#include <QDateTime>
#include <QEventLoop>

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

    SourceCheck check(request, config.retry);
    QEventLoop loop;
    QObject::connect(&check, &SourceCheck::finished, &loop, &QEventLoop::quit);
    check.start();
    loop.exec();
    const SourceCheckResult result = check.result();

    printLine(QStringLiteral("profile: %1")
                  .arg(config.profile.isDefault
                           ? QStringLiteral("default (SPEC §2)")
                           : QStringLiteral("[profile] of %1, paging %2, auth %3")
                                 .arg(setup.settings->filePath(), pagingName(config.profile.paging),
                                      authName(config.profile.auth))));
    for (const QString &line : result.lines())
        printLine(line);
    if (!result.ok) {
        printError(
            QStringLiteral("%1 [%2]").arg(result.errorString, errorCategoryName(result.error)));
        return ExitBadInput;
    }
    return ExitOk;
}
