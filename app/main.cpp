#include "alert/webhook.h"
#include "alertwiring.h"
#include "api/apiservice.h"
#include "apiwiring.h"
#include "appsetup.h"
#include "checksource.h"
#include "commandline.h"
#include "config/apppaths.h"
#include "job/actor.h"
#include "job/jobrequest.h"
#include "log/logging.h"
#include "log/messagehandler.h"
#include "queue/jobqueue.h"
#include "queue/queueoperations.h"
#include "runwindow.h"
#include "schedulecommands.h"
#include "tokencommands.h"
#include "signalwatcher.h"
#include "sim/dealersim.h"
#include "store/jobstore.h"

#include <cstdio>

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHostAddress>
#include <QHostInfo>

namespace {

// A one-shot command's progress and result: its output, not the log (a service's progress is
// logged, see runHeadless()).
void printProgress(const QString &line)
{
    std::fprintf(stderr, "%s%s\n", Logging::linePrefix(QtInfoMsg), qUtf8Printable(line));
    std::fflush(stderr);
}

// Resolves the database and the source from the command line, the environment and the
// settings; returns -1 when all is well, else the exit code.
int resolveSetup(AppSetup *setup)
{
    const CommandLine &cli = setup->cli;
    if (cli.settingsFile.isEmpty() && qEnvironmentVariableIsEmpty("DEALERQ_SETTINGS"))
        AppPaths::moveLegacySettings(); // logs what it moved or left
    setup->settings = std::make_unique<Settings>(cli.settingsFile);
    const QStringList problems = setup->settings->problems();
    for (const QString &problem : problems)
        printError(problem);
    // SPEC §3: bad configuration is exit code 2. Only the window goes on, on the defaults, and
    // names the problems where the operator can fix them (MainWindow, Settings).
    if (!problems.isEmpty() && (cli.headless || cli.isOneShot())) {
        printError(QStringLiteral("fix the settings file %1 (or name another with --settings)")
                       .arg(QDir::toNativeSeparators(setup->settings->filePath())));
        return ExitBadInput;
    }

    const GivenValue db =
        firstGiven({{cli.db, QStringLiteral("--db")},
                    {qEnvironmentVariable("DEALERQ_DB"), QStringLiteral("DEALERQ_DB")},
                    {setup->settings->databaseUrl(), QStringLiteral("settings")}});
    QString dbText = db.value;
    setup->databaseOrigin = db.origin;
    if (dbText.isEmpty()) {
        AppPaths::moveLegacyDatabase();
        dbText = QStringLiteral("sqlite://") + AppPaths::databaseFile();
    }
    QString why;
    const std::optional<DatabaseUrl> database = DatabaseUrl::parse(dbText, &why);
    if (!database) {
        printError(why);
        return ExitBadInput;
    }
    setup->database = *database;

    QString source = cli.source;
    setup->sourceOrigin = QStringLiteral("--demo");
    if (!cli.demo) {
        const GivenValue given = firstGiven(
            {{cli.source, QStringLiteral("--source")},
             {qEnvironmentVariable("DEALERQ_SOURCE_URL"), QStringLiteral("DEALERQ_SOURCE_URL")},
             {setup->settings->sourceUrl(), QStringLiteral("settings")}});
        source = given.value;
        setup->sourceOrigin = given.origin;
    }
    setup->demo = cli.demo || source.isEmpty();
    if (!setup->demo) {
        const QUrl url(source, QUrl::StrictMode);
        if (!url.isValid() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
            url.host().isEmpty()) {
            printError(
                QStringLiteral("source URL \"%1\" is not an http:// or https:// URL").arg(source));
            return ExitBadInput;
        }
        setup->sourceUrl = url;
        const GivenValue given = firstGiven(
            {{qEnvironmentVariable("DEALERQ_SOURCE_TOKEN"), QStringLiteral("DEALERQ_SOURCE_TOKEN")},
             {setup->settings->sourceToken(), QStringLiteral("settings")}});
        const QString &token = given.value;
        setup->sourceTokenOrigin = given.origin;
        setup->sourceToken = token.toUtf8();
        const std::optional<SourceProfile> profile = setup->settings->sourceProfile();
        if (profile && !profile->isDefault && profile->auth == SourceProfile::Auth::Basic &&
            !token.contains(QLatin1Char(':')) && (cli.headless || cli.isOneShot())) {
            printError(QStringLiteral("[source] token: auth=basic takes it as user:password "
                                      "(from DEALERQ_SOURCE_TOKEN or the settings), and it has "
                                      "no colon"));
            return ExitBadInput;
        }
    }
    return -1;
}

int openStore(JobStore &store)
{
    StoreError error;
    if (store.open(&error))
        return -1;
    printError(error.message);
    return error.kind == StoreError::Kind::Invalid ? ExitBadInput : ExitDatabaseUnreachable;
}

int queueFromCommandLine(AppSetup &setup, QueueOperations &queue)
{
    const CommandLine &cli = setup.cli;
    JobRequest request;
    QString why;
    const std::optional<QStringList> ids = commandLineDealerIds(cli, &why);
    if (!ids) {
        printError(why);
        return ExitBadInput;
    }
    request.dealerIds = *ids;
    request.fetchType = cli.fetchType.isEmpty() ? QStringLiteral("prospect") : cli.fetchType;
    request.from = cli.from;
    request.to = cli.to;
    request.priority = cli.priority;
    request.runNext = cli.runNext;
    request.partial = cli.partial;

    QVector<FieldError> errors;
    const std::optional<PreparedJobs> prepared = prepareJobs(
        request, setup.settings->fetchTypes(), QDateTime::currentMSecsSinceEpoch(), &errors);
    if (!prepared) {
        for (const FieldError &error : errors)
            printError(error.message);
        printError(QStringLiteral("nothing was queued"));
        return ExitBadInput;
    }
    for (const DealerIdList::Invalid &bad : prepared->invalid)
        printError(QStringLiteral("skipped: %1").arg(bad.reason));
    if (prepared->dealerIds.isEmpty()) {
        printError(QStringLiteral("no valid dealer ID: nothing was queued"));
        return ExitBadInput;
    }
    const QueueResult<BulkOutcome> added = queue.addMany(prepared->dealerIds, prepared->common);
    if (!added.ok()) {
        printError(added.error.message);
        return added.error.kind == StoreError::Kind::ConnectionLost ? ExitDatabaseUnreachable
                                                                    : ExitBadInput;
    }
    const std::optional<BulkOutcome> &outcome = added.value;
    for (const BulkOutcome::Skipped &skipped : outcome->skipped)
        printError(QStringLiteral("skipped %1: %2").arg(skipped.dealerId, skipped.reason));
    if (outcome->jobIds.isEmpty()) {
        printProgress(QStringLiteral("queued no new job"));
    } else if (outcome->jobIds.size() <= 10) {
        QStringList parts;
        for (int i = 0, j = 0; i < prepared->dealerIds.size(); ++i) {
            const QString &id = prepared->dealerIds.at(i);
            const bool skipped = std::any_of(outcome->skipped.begin(), outcome->skipped.end(),
                                             [&](const auto &s) { return s.dealerId == id; });
            if (!skipped)
                parts << QStringLiteral("%1 as job %2").arg(id).arg(outcome->jobIds.at(j++));
        }
        printProgress(QStringLiteral("queued %1 %2: %3")
                          .arg(outcome->jobIds.size())
                          .arg(outcome->jobIds.size() == 1 ? "job" : "jobs",
                               parts.join(QStringLiteral(", "))));
    } else {
        printProgress(QStringLiteral("queued %1 jobs (job %2 to %3)")
                          .arg(outcome->jobIds.size())
                          .arg(outcome->jobIds.first())
                          .arg(outcome->jobIds.last()));
    }
    return -1;
}

int exportJobs(const QString &path, ExportFormat format, QueueOperations &queue)
{
    const QueueResult<qint64> exported =
        queue.exportCsv({path, std::nullopt, format}, [](qint64 n, qint64) {
            if (n > 0 && n % 10000 == 0)
                printProgress(QStringLiteral("exported %1 jobs...").arg(n));
            return true;
        });
    if (!exported.ok()) {
        printError(exported.error.message);
        return ExitBadInput;
    }
    printProgress(QStringLiteral("exported %1 jobs to %2")
                      .arg(*exported.value)
                      .arg(QFileInfo(path).absoluteFilePath()));
    return -1;
}

int runHeadless(AppSetup &setup)
{
    std::unique_ptr<DealerSimServer> sim;
    if (setup.demo) {
        QString why;
        sim = startDemoSimulator(setup, &why);
        if (!sim) {
            printError(why);
            return ExitBadInput;
        }
        qCInfo(lcApp).noquote() << "demo mode: fetching from the built-in simulator at"
                                << setup.sourceUrl.toString();
    }

    JobQueue::Config config;
    config.runner = setup.runnerConfig();
    config.fetchTypes = setup.settings->fetchTypes();
    config.actor = Actor::commandLine();
    JobQueue queue(config);
    const std::unique_ptr<AlertService> alerts = startAlerts(setup, queue);

    int ran = 0;
    int failed = 0;
    int completed = 0;
    qint64 records = 0;
    // The runner logs each job, its state and the schedules' fires (dealerq.runner,
    // dealerq.schedule); here the jobs are only counted for the summary.
    QObject::connect(&queue, &JobQueue::jobFinished, [&](const Job &job) {
        if (job.status != JobStatus::Queued)
            ++ran;
        if (job.status == JobStatus::Failed)
            ++failed;
        if (job.status == JobStatus::Completed) {
            ++completed;
            records += job.result ? job.result->fetched : 0;
        }
    });

    int exitCode = ExitOk;
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminationRequested, [](int signal) {
        qCInfo(lcApp).noquote() << QStringLiteral("signal %1: stopping; a running job is rolled "
                                                  "back and re-queued")
                                       .arg(signal);
        QCoreApplication::quit();
    });
    if (setup.cli.drain) {
        QObject::connect(&queue, &JobQueue::queueEmpty, [&] {
            exitCode = failed > 0 ? ExitJobsFailed : ExitOk;
            QCoreApplication::quit();
        });
    }
    QElapsedTimer clock;
    clock.start();
    queue.start();
    QString apiError;
    const std::unique_ptr<ApiService> api = startApi(setup, queue, &apiError);
    if (!api && !apiError.isEmpty()) {
        printError(apiError);
        queue.stop();
        return ExitBadInput;
    }
    QCoreApplication::exec();
    queue.stop();
    if (alerts)
        alerts->finish(20000); // the last alerts of a --drain run are not lost at exit
    qCInfo(lcApp).noquote()
        << QStringLiteral("%1 ran here in %2 s: %3 completed, %4 failed; %5 records fetched")
               .arg(ran == 1 ? QStringLiteral("1 job") : QStringLiteral("%1 jobs").arg(ran))
               .arg(clock.elapsed() / 1000.0, 0, 'f', 2)
               .arg(completed)
               .arg(failed)
               .arg(records);
    return exitCode;
}

bool hasDisplay()
{
    return !qEnvironmentVariableIsEmpty("DISPLAY") ||
           !qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") ||
           !qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM");
}

} // namespace

int main(int argc, char *argv[])
{
    // The log (time, level, category; the syslog priority instead under systemd) is apart from
    // the command's own output: --help, the one-line reasons of an exit 2, a one-shot's result.
    Logging::installMessageHandler();
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    AppSetup setup;
    QStringList errors;
    if (!parseCommandLine(arguments, &setup.cli, &errors)) {
        for (const QString &error : errors)
            printError(error);
        printError(QStringLiteral("see dealerq --help"));
        return ExitBadInput;
    }
    if (setup.cli.help) {
        std::fprintf(stdout, "%s", qUtf8Printable(setup.cli.helpText));
        return ExitOk;
    }
    if (setup.cli.version) {
        std::fprintf(stdout, "dealerq %s\n", DEALERQ_VERSION);
        return ExitOk;
    }

    const bool window = !setup.cli.headless && !setup.cli.isOneShot();
    if (window && !hasDisplay()) {
        printError(QStringLiteral("no display found: run with --headless (and --demo to try it), "
                                  "or set DISPLAY"));
        return ExitBadInput;
    }
    std::unique_ptr<QCoreApplication> app = window ? std::make_unique<QApplication>(argc, argv)
                                                   : std::make_unique<QCoreApplication>(argc, argv);
    if (window) // ties the window to the installed desktop entry (Wayland's app ID, say)
        QGuiApplication::setDesktopFileName(QStringLiteral(DEALERQ_APP_ID));
    // No organisation name: with both set, Qt's per-application folders were doubled
    // (~/.config/dealerq/dealerq/); AppPaths names every file dealerq keeps.
    QCoreApplication::setApplicationName(QStringLiteral("dealerq"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DEALERQ_VERSION));

    if (const int code = resolveSetup(&setup); code >= 0)
        return code;
    if (setup.cli.checkSource) // reads one page, stores nothing: no database needed
        return runCheckSource(setup);
    if (setup.database.readOnly &&
        (setup.cli.headless || setup.cli.queuesJobs() || setup.cli.changesSchedules() ||
         setup.cli.changesTokens() || window)) {
        printError(QStringLiteral("%1 is opened read-only: it can be exported (--export-csv, "
                                  "--export-xlsx) and its schedules listed, but not used to "
                                  "queue or run jobs or to change schedules or API tokens")
                       .arg(setup.database.displayString()));
        return ExitBadInput;
    }
    {
        JobStore store(setup.database);
        if (const int code = openStore(store); code >= 0) {
            if (!window || setup.database.backend == DbBackend::Sqlite)
                return code;
        } else {
            // One-shot work: no runner here to wake; other instances see the change through
            // the database (PostgreSQL NOTIFY, or their periodic read).
            if (setup.cli.hasTokenOperation())
                return runTokenCommand(setup, store);
            QueueOperations queue(store, Actor::commandLine());
            if (setup.cli.hasScheduleOperation()) {
                if (const int done = runScheduleCommand(setup, queue); done >= 0)
                    return done;
            }
            if (setup.cli.queuesJobs()) {
                if (const int queued = queueFromCommandLine(setup, queue); queued >= 0)
                    return queued;
            }
            if (!setup.cli.exportCsv.isEmpty()) {
                if (const int exported = exportJobs(setup.cli.exportCsv, ExportFormat::Csv, queue);
                    exported >= 0)
                    return exported;
            }
            if (!setup.cli.exportXlsx.isEmpty()) {
                if (const int exported =
                        exportJobs(setup.cli.exportXlsx, ExportFormat::Xlsx, queue);
                    exported >= 0)
                    return exported;
            }
        }
    }
    if (setup.cli.headless)
        return runHeadless(setup);
    if (setup.cli.isOneShot())
        return ExitOk;
    AppPaths::moveWindowState(setup.settings->filePath(), setup.settings->stateFilePath());
    return runWindow(setup);
}
