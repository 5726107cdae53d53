#include "commandline.h"

#include "job/apitoken.h"
#include "job/validation.h"

#include <QCommandLineParser>
#include <QHostAddress>

bool checkListenAddress(const QString &text, bool allowRemote, QString *host, quint16 *port,
                        QString *error)
{
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const int number = colon > 0 ? text.mid(colon + 1).toInt(&ok) : -1;
    QString name = colon > 0 ? text.left(colon) : QString();
    if (name.startsWith(QLatin1Char('[')) && name.endsWith(QLatin1Char(']')))
        name = name.mid(1, name.size() - 2);
    if (!ok || number < 0 || number > 65535 || name.isEmpty()) {
        *error = QStringLiteral("--api-listen \"%1\" is not HOST:PORT (e.g. 127.0.0.1:8000; port "
                                "0 picks a free one)")
                     .arg(text);
        return false;
    }
    const QHostAddress address(name == QLatin1String("localhost") ? QStringLiteral("127.0.0.1")
                                                                  : name);
    if (address.isNull()) {
        *error = QStringLiteral("--api-listen \"%1\": \"%2\" is not an IP address").arg(text, name);
        return false;
    }
    if (!address.isLoopback() && !allowRemote) {
        *error = QStringLiteral("--api-listen %1 would expose the API beyond this machine; add "
                                "--api-allow-remote if that is really wanted")
                     .arg(text);
        return false;
    }
    *host = address.toString();
    *port = quint16(number);
    return true;
}

bool parseCommandLine(const QStringList &arguments, CommandLine *out, QStringList *errors)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "dealerq: pulls dealer data into a SQL database, one job at a time, from a persistent "
        "queue.\nWith no arguments it opens the Job Queue window."));
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help and exit."));
    const QCommandLineOption version(QStringLiteral("version"),
                                     QStringLiteral("Show the version and exit."));
    const QCommandLineOption db(QStringLiteral("db"),
                                QStringLiteral("Database: sqlite:///abs/path/file.db or "
                                               "postgresql://user[:pass]@host[:port]/dbname "
                                               "(env DEALERQ_DB)."),
                                QStringLiteral("URL"));
    const QCommandLineOption source(QStringLiteral("source"),
                                    QStringLiteral("Dealer API base URL (env DEALERQ_SOURCE_URL; "
                                                   "token from env DEALERQ_SOURCE_TOKEN)."),
                                    QStringLiteral("URL"));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Fetch from the built-in simulator."));
    const QCommandLineOption headless(QStringLiteral("headless"),
                                      QStringLiteral("No window: run the queue until SIGINT or "
                                                     "SIGTERM."));
    const QCommandLineOption drain(QStringLiteral("drain"),
                                   QStringLiteral("With --headless: exit once the queue is empty "
                                                  "(1 if any job failed)."));
    const QCommandLineOption enqueue(QStringLiteral("enqueue"),
                                     QStringLiteral("Queue jobs for comma-separated dealer IDs "
                                                    "(with --schedule-add: the schedule's "
                                                    "dealers; nothing is queued)."),
                                     QStringLiteral("IDS"));
    const QCommandLineOption bulkFile(QStringLiteral("bulk-file"),
                                      QStringLiteral("Queue jobs for the dealer IDs in FILE "
                                                     "(- = stdin; with --schedule-add: the "
                                                     "schedule's dealers)."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption type(QStringLiteral("type"),
                                  QStringLiteral("Fetch type of queued jobs (default prospect); "
                                                 "with --schedule-add, the schedule's fetch "
                                                 "types, comma-separated."),
                                  QStringLiteral("TYPE"));
    const QCommandLineOption from(QStringLiteral("from"),
                                  QStringLiteral("Window start: YYYY-MM-DD[ HH:MM:SS] or ISO "
                                                 "8601 (default today)."),
                                  QStringLiteral("TIME"));
    const QCommandLineOption to(QStringLiteral("to"),
                                QStringLiteral("Window end (default end of today)."),
                                QStringLiteral("TIME"));
    const QCommandLineOption priority(QStringLiteral("priority"),
                                      QStringLiteral("Priority of queued jobs, or of a schedule's "
                                                     "(higher first)."),
                                      QStringLiteral("N"));
    const QCommandLineOption partial(QStringLiteral("partial"),
                                     QStringLiteral("Queue the valid IDs even if some are "
                                                    "invalid."));
    const QCommandLineOption runNext(QStringLiteral("run-next"),
                                     QStringLiteral("Put the queued jobs at the front."));
    const QCommandLineOption exportCsv(QStringLiteral("export-csv"),
                                       QStringLiteral("Write every job as CSV to FILE and exit."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption exportXlsx(QStringLiteral("export-xlsx"),
                                        QStringLiteral("Write every job as an Excel workbook to "
                                                       "FILE and exit."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption apiListen(QStringLiteral("api-listen"),
                                       QStringLiteral("REST API address (default "
                                                      "127.0.0.1:8000)."),
                                       QStringLiteral("HOST:PORT"));
    const QCommandLineOption apiAllowRemote(QStringLiteral("api-allow-remote"),
                                            QStringLiteral("Allow a non-loopback API address."));
    const QCommandLineOption apiToken(QStringLiteral("api-token"),
                                      QStringLiteral("REST API token (env DEALERQ_API_TOKEN)."),
                                      QStringLiteral("TOKEN"));
    const QCommandLineOption apiTlsCert(QStringLiteral("api-tls-cert"),
                                        QStringLiteral("Serve the REST API over HTTPS only, with "
                                                       "this PEM certificate (and --api-tls-key)."),
                                        QStringLiteral("FILE"));
    const QCommandLineOption apiTlsKey(QStringLiteral("api-tls-key"),
                                       QStringLiteral("The PEM private key of --api-tls-cert."),
                                       QStringLiteral("FILE"));
    const QCommandLineOption noApi(QStringLiteral("no-api"),
                                   QStringLiteral("Do not start the REST API."));
    const QCommandLineOption settings(QStringLiteral("settings"),
                                      QStringLiteral("Settings file (env DEALERQ_SETTINGS)."),
                                      QStringLiteral("FILE"));
    const QCommandLineOption scheduleAdd(
        QStringLiteral("schedule-add"),
        QStringLiteral("Add a schedule that queues jobs at the times --cron names: the dealers "
                       "of --enqueue or --bulk-file, for each --type, fetching --window; "
                       "optionally --timezone, --priority, --catch-up, --fallback-days."),
        QStringLiteral("NAME"));
    const QCommandLineOption cron(QStringLiteral("cron"),
                                  QStringLiteral("With --schedule-add: when it fires, as cron's "
                                                 "five fields \"minute hour day-of-month month "
                                                 "day-of-week\", e.g. '0 2 * * *'."),
                                  QStringLiteral("EXPR"));
    const QCommandLineOption window(QStringLiteral("window"),
                                    QStringLiteral("With --schedule-add: what each fire fetches: "
                                                   "previous_day, today, last_hours:N, "
                                                   "last_days:N or since_last_success."),
                                    QStringLiteral("RULE"));
    const QCommandLineOption timezone(QStringLiteral("timezone"),
                                      QStringLiteral("With --schedule-add: the IANA zone the cron "
                                                     "is read in (default this machine's)."),
                                      QStringLiteral("TZ"));
    const QCommandLineOption catchUp(QStringLiteral("catch-up"),
                                     QStringLiteral("With --schedule-add: once (default: the "
                                                    "latest slot missed while no instance ran "
                                                    "fires at start) or skip."),
                                     QStringLiteral("once|skip"));
    const QCommandLineOption fallbackDays(QStringLiteral("fallback-days"),
                                          QStringLiteral("With --schedule-add and --window "
                                                         "since_last_success: the days fetched "
                                                         "where nothing was before (1-366, "
                                                         "default 1)."),
                                          QStringLiteral("N"));
    const QCommandLineOption scheduleList(QStringLiteral("schedule-list"),
                                          QStringLiteral("List the schedules on stdout, one a "
                                                         "line: id, name, cron, window, next "
                                                         "fire, enabled (tab-separated)."));
    const QCommandLineOption scheduleRun(QStringLiteral("schedule-run"),
                                         QStringLiteral("Run schedule NAME now: queue its jobs "
                                                        "for this instant's window."),
                                         QStringLiteral("NAME"));
    const QCommandLineOption scheduleEnable(QStringLiteral("schedule-enable"),
                                            QStringLiteral("Enable schedule NAME."),
                                            QStringLiteral("NAME"));
    const QCommandLineOption scheduleDisable(QStringLiteral("schedule-disable"),
                                             QStringLiteral("Disable schedule NAME."),
                                             QStringLiteral("NAME"));
    const QCommandLineOption scheduleRemove(QStringLiteral("schedule-remove"),
                                            QStringLiteral("Remove schedule NAME (the jobs it "
                                                           "queued stay)."),
                                            QStringLiteral("NAME"));
    const QCommandLineOption tokenAdd(QStringLiteral("token-add"),
                                      QStringLiteral("Add the named REST API token NAME (with "
                                                     "--role) and print it, once, on stdout."),
                                      QStringLiteral("NAME"));
    const QCommandLineOption role(QStringLiteral("role"),
                                  QStringLiteral("With --token-add: read (GET calls only) or "
                                                 "operate (every call)."),
                                  QStringLiteral("ROLE"));
    const QCommandLineOption tokenList(QStringLiteral("token-list"),
                                       QStringLiteral("List the named API tokens on stdout, one a "
                                                      "line: name, role, created, last used "
                                                      "(tab-separated; never the token)."));
    const QCommandLineOption tokenRevoke(QStringLiteral("token-revoke"),
                                         QStringLiteral("Revoke the named API token NAME: it "
                                                        "stops working at once."),
                                         QStringLiteral("NAME"));
    const QCommandLineOption checkSource(
        QStringLiteral("check-source"),
        QStringLiteral("Fetch the first page of one dealer (--enqueue ID, default 12284) and "
                       "--type from the source as the settings' [profile] describes it, store "
                       "nothing, and print what it reads; exit 0 when it reads, 2 otherwise."));
    parser.addOptions({help,
                       version,
                       db,
                       source,
                       demo,
                       headless,
                       drain,
                       enqueue,
                       bulkFile,
                       type,
                       from,
                       to,
                       priority,
                       partial,
                       runNext,
                       exportCsv,
                       exportXlsx,
                       apiListen,
                       apiAllowRemote,
                       apiToken,
                       apiTlsCert,
                       apiTlsKey,
                       noApi,
                       settings,
                       scheduleAdd,
                       cron,
                       window,
                       timezone,
                       catchUp,
                       fallbackDays,
                       scheduleList,
                       scheduleRun,
                       scheduleEnable,
                       scheduleDisable,
                       scheduleRemove,
                       tokenAdd,
                       role,
                       tokenList,
                       tokenRevoke,
                       checkSource});

    CommandLine line;
    // Parsed before QCoreApplication exists (it decides which application to make), when Qt
    // cannot know the program's name and writes "<executable_name>" in its place.
    line.helpText =
        parser.helpText().replace(QStringLiteral("<executable_name>"), QStringLiteral("dealerq"));
    if (!parser.parse(arguments)) {
        *errors << parser.errorText();
        return false;
    }
    line.help = parser.isSet(help);
    line.version = parser.isSet(version);
    if (line.help || line.version) {
        *out = line;
        return true;
    }
    const std::initializer_list<const QCommandLineOption *> valued{&db,
                                                                   &source,
                                                                   &enqueue,
                                                                   &bulkFile,
                                                                   &type,
                                                                   &from,
                                                                   &to,
                                                                   &priority,
                                                                   &exportCsv,
                                                                   &exportXlsx,
                                                                   &apiListen,
                                                                   &apiToken,
                                                                   &settings,
                                                                   &scheduleAdd,
                                                                   &cron,
                                                                   &window,
                                                                   &timezone,
                                                                   &catchUp,
                                                                   &fallbackDays,
                                                                   &scheduleRun,
                                                                   &scheduleEnable,
                                                                   &scheduleDisable,
                                                                   &scheduleRemove,
                                                                   &apiTlsCert,
                                                                   &apiTlsKey,
                                                                   &tokenAdd,
                                                                   &role,
                                                                   &tokenRevoke};
    for (const QCommandLineOption *option : valued) {
        if (parser.values(*option).size() > 1)
            *errors << QStringLiteral("--%1 is given more than once").arg(option->names().last());
    }
    // An option given with an empty value is a mistake (an unset shell variable, say), never
    // "use the default".
    for (const QCommandLineOption *option : valued) {
        if (parser.isSet(*option) && parser.value(*option).trimmed().isEmpty())
            *errors << QStringLiteral("--%1 needs a value").arg(option->names().last());
    }
    if (!parser.positionalArguments().isEmpty())
        *errors << QStringLiteral("unexpected argument \"%1\" (dealer IDs go after --enqueue)")
                       .arg(parser.positionalArguments().first());

    line.db = parser.value(db);
    line.source = parser.value(source);
    line.demo = parser.isSet(demo);
    line.headless = parser.isSet(headless);
    line.drain = parser.isSet(drain);
    line.enqueue = parser.value(enqueue);
    line.bulkFile = parser.value(bulkFile);
    line.fetchType = parser.value(type);
    line.from = parser.value(from);
    line.to = parser.value(to);
    line.partial = parser.isSet(partial);
    line.runNext = parser.isSet(runNext);
    line.exportCsv = parser.value(exportCsv);
    line.exportXlsx = parser.value(exportXlsx);
    line.apiListen = parser.value(apiListen);
    line.apiAllowRemote = parser.isSet(apiAllowRemote);
    line.apiToken = parser.value(apiToken);
    line.apiTlsCert = parser.value(apiTlsCert);
    line.apiTlsKey = parser.value(apiTlsKey);
    line.noApi = parser.isSet(noApi);
    line.settingsFile = parser.value(settings);
    line.scheduleAdd = parser.value(scheduleAdd);
    line.cron = parser.value(cron);
    line.window = parser.value(window);
    line.timezone = parser.value(timezone);
    line.catchUp = parser.value(catchUp);
    line.scheduleList = parser.isSet(scheduleList);
    line.scheduleRun = parser.value(scheduleRun);
    line.scheduleEnable = parser.value(scheduleEnable);
    line.scheduleDisable = parser.value(scheduleDisable);
    line.scheduleRemove = parser.value(scheduleRemove);
    line.tokenAdd = parser.value(tokenAdd);
    line.role = parser.value(role);
    line.tokenList = parser.isSet(tokenList);
    line.tokenRevoke = parser.value(tokenRevoke);
    line.checkSource = parser.isSet(checkSource);

    if (parser.isSet(priority)) {
        bool ok = false;
        line.priority = parser.value(priority).toInt(&ok);
        if (!ok || line.priority < -1000000 || line.priority > 1000000)
            *errors << QStringLiteral("--priority \"%1\" is not a whole number from -1000000 to "
                                      "1000000")
                           .arg(parser.value(priority));
    }
    if (line.drain && !line.headless)
        *errors << QStringLiteral("--drain only works with --headless");
    if (line.checkSource) {
        for (const QCommandLineOption *option :
             {&priority, &partial, &runNext, &headless, &exportCsv, &exportXlsx, &scheduleAdd,
              &scheduleList, &scheduleRun, &scheduleEnable, &scheduleDisable, &scheduleRemove,
              &tokenAdd, &tokenList, &tokenRevoke}) {
            if (parser.isSet(*option))
                *errors << QStringLiteral("--%1 does not go with --check-source, which only "
                                          "reads the first page of one dealer")
                               .arg(option->names().last());
        }
        if (line.enqueue.contains(QLatin1Char(',')))
            *errors << QStringLiteral("--check-source reads one dealer: give one ID to --enqueue");
        if (line.fetchType.contains(QLatin1Char(',')))
            *errors << QStringLiteral("--check-source reads one fetch type: give one to --type");
        if (!line.bulkFile.isEmpty())
            *errors << QStringLiteral("--check-source reads one dealer: name it with --enqueue");
    } else if (!line.namesDealers() && !parser.isSet(scheduleAdd)) {
        for (const QCommandLineOption *option :
             {&type, &from, &to, &priority, &partial, &runNext}) {
            if (parser.isSet(*option))
                *errors << QStringLiteral("--%1 only applies with --enqueue or --bulk-file")
                               .arg(option->names().last());
        }
    }

    // Schedules: one operation per run; --schedule-add's own options only with it.
    QStringList operations;
    for (const QCommandLineOption *option : {&scheduleAdd, &scheduleList, &scheduleRun,
                                             &scheduleEnable, &scheduleDisable, &scheduleRemove}) {
        if (parser.isSet(*option))
            operations << QStringLiteral("--") + option->names().last();
    }
    if (operations.size() > 1)
        *errors << QStringLiteral("%1 contradict each other; give one schedule operation at a "
                                  "time")
                       .arg(operations.join(QStringLiteral(", ")));
    if (parser.isSet(scheduleAdd)) {
        if (!parser.isSet(cron))
            *errors << QStringLiteral("--schedule-add needs --cron EXPR, e.g. --cron '0 2 * * *'");
        if (!line.namesDealers())
            *errors << QStringLiteral("--schedule-add needs the dealers: --enqueue IDS or "
                                      "--bulk-file FILE");
        if (!parser.isSet(type))
            *errors << QStringLiteral("--schedule-add needs --type T[,T...], the fetch types "
                                      "each fire queues");
        if (!parser.isSet(window))
            *errors << QStringLiteral("--schedule-add needs --window RULE: previous_day, today, "
                                      "last_hours:N, last_days:N or since_last_success");
        for (const QCommandLineOption *option : {&from, &to, &partial, &runNext}) {
            if (parser.isSet(*option))
                *errors << QStringLiteral("--%1 does not apply to --schedule-add%2")
                               .arg(option->names().last(),
                                    option == &partial
                                        ? QStringLiteral(": an invalid dealer ID refuses the "
                                                         "schedule")
                                    : option == &runNext ? QString()
                                                         : QStringLiteral(": each fire's window is "
                                                                          "--window"));
        }
    } else {
        for (const QCommandLineOption *option :
             {&cron, &window, &timezone, &catchUp, &fallbackDays}) {
            if (parser.isSet(*option))
                *errors << QStringLiteral("--%1 only applies with --schedule-add")
                               .arg(option->names().last());
        }
    }
    if (parser.isSet(catchUp) && !line.catchUp.trimmed().isEmpty() &&
        line.catchUp != QLatin1String("once") && line.catchUp != QLatin1String("skip"))
        *errors << QStringLiteral("--catch-up \"%1\" is not once or skip")
                       .arg(printableText(line.catchUp));
    if (parser.isSet(fallbackDays) && !parser.value(fallbackDays).trimmed().isEmpty()) {
        bool ok = false;
        line.fallbackDays = parser.value(fallbackDays).trimmed().toInt(&ok);
        if (!ok)
            *errors << QStringLiteral("--fallback-days \"%1\" is not a whole number from 1 to "
                                      "366")
                           .arg(printableText(parser.value(fallbackDays)));
    }
    // Tokens: one operation per run, and nothing else with it.
    QStringList tokenOperations;
    for (const QCommandLineOption *option : {&tokenAdd, &tokenList, &tokenRevoke}) {
        if (parser.isSet(*option))
            tokenOperations << QStringLiteral("--") + option->names().last();
    }
    if (tokenOperations.size() > 1)
        *errors << QStringLiteral("%1 contradict each other; give one token operation at a time")
                       .arg(tokenOperations.join(QStringLiteral(", ")));
    if (!tokenOperations.isEmpty() &&
        (!operations.isEmpty() || line.namesDealers() || !line.exportCsv.isEmpty() ||
         !line.exportXlsx.isEmpty() || line.headless))
        *errors << QStringLiteral("%1 goes alone: not with jobs, schedules, exports or --headless")
                       .arg(tokenOperations.first());
    if (parser.isSet(tokenAdd)) {
        if (const QString problem = ApiTokens::nameProblem(line.tokenAdd); !problem.isEmpty())
            *errors << QStringLiteral("--token-add: ") + problem;
        if (!parser.isSet(role))
            *errors << QStringLiteral("--token-add needs --role read or --role operate");
        else if (!tokenRoleFromString(line.role) && !line.role.trimmed().isEmpty())
            *errors << QStringLiteral("--role: role: \"%1\" is not read or operate")
                           .arg(printableText(line.role));
    } else if (parser.isSet(role)) {
        *errors << QStringLiteral("--role only applies with --token-add");
    }
    if (line.demo && parser.isSet(source))
        *errors << QStringLiteral("--demo and --source contradict each other; give one");
    if (line.noApi && (parser.isSet(apiListen) || line.apiAllowRemote))
        *errors << QStringLiteral("--no-api contradicts --api-listen/--api-allow-remote");
    if (line.noApi && (parser.isSet(apiTlsCert) || parser.isSet(apiTlsKey)))
        *errors << QStringLiteral("--no-api contradicts --api-tls-cert/--api-tls-key");
    if (parser.isSet(apiTlsCert) != parser.isSet(apiTlsKey))
        *errors << QStringLiteral("--api-tls-cert and --api-tls-key go together; give both");
    if (!line.apiListen.isEmpty()) {
        QString host;
        quint16 port = 0;
        QString why;
        if (!checkListenAddress(line.apiListen, line.apiAllowRemote, &host, &port, &why))
            *errors << why;
    }
    *out = line;
    return errors->isEmpty();
}
