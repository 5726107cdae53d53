#include "schedulecommands.h"

#include "appsetup.h"
#include "job/timeformat.h"
#include "log/messagehandler.h"
#include "queue/queueoperations.h"
#include "schedule/cron.h"
#include "schedule/schedule.h"
#include "schedule/schedulejson.h"

#include <cstdio>

#include <QDateTime>

namespace {

void tell(const QString &line)
{
    std::fprintf(stderr, "%s%s\n", Logging::linePrefix(QtInfoMsg), qUtf8Printable(line));
    std::fflush(stderr);
}

/// The option that sets a schedule's `field` on the command line.
QString optionOf(const QString &field, const CommandLine &cli)
{
    if (field == QLatin1String("dealer_ids")) {
        if (cli.bulkFile.isEmpty())
            return QStringLiteral("--enqueue");
        return cli.enqueue.isEmpty() ? QStringLiteral("--bulk-file")
                                     : QStringLiteral("--enqueue/--bulk-file");
    }
    static const QList<QPair<QString, QString>> options{
        {QStringLiteral("name"), QStringLiteral("--schedule-add")},
        {QStringLiteral("cron"), QStringLiteral("--cron")},
        {QStringLiteral("timezone"), QStringLiteral("--timezone")},
        {QStringLiteral("fetch_types"), QStringLiteral("--type")},
        {QStringLiteral("window"), QStringLiteral("--window")},
        {QStringLiteral("fallback_days"), QStringLiteral("--fallback-days")},
        {QStringLiteral("priority"), QStringLiteral("--priority")},
        {QStringLiteral("catch_up"), QStringLiteral("--catch-up")}};
    for (const auto &[name, option] : options) {
        if (name == field)
            return option;
    }
    return field;
}

/// A problem worded for the API (`cron: hour: 24 ...`) as the option's (`--cron: hour: 24 ...`).
QString asOption(const QString &field, const QString &message, const QString &option)
{
    const QString prefix = field + QStringLiteral(": ");
    return option + QStringLiteral(": ") +
           (message.startsWith(prefix) ? message.mid(prefix.size()) : message);
}

int failed(const StoreError &error, const QString &option)
{
    printError(asOption(error.field, error.message, option));
    return error.kind == StoreError::Kind::ConnectionLost ? ExitDatabaseUnreachable : ExitBadInput;
}

QString nextFire(const Schedule &schedule)
{
    const QJsonValue next = scheduleToJson(schedule, QDateTime::currentMSecsSinceEpoch(), false)
                                .value(QStringLiteral("next_fire_at"));
    return next.isString() ? next.toString() : QString();
}

int addSchedule(const AppSetup &setup, QueueOperations &queue)
{
    const CommandLine &cli = setup.cli;
    Schedule schedule;
    schedule.name = cli.scheduleAdd;
    schedule.cron = cli.cron;
    schedule.timezone = cli.timezone.trimmed();
    QString why;
    const std::optional<QStringList> ids = commandLineDealerIds(cli, &why);
    if (!ids) {
        printError(why);
        return ExitBadInput;
    }
    schedule.dealerIds = *ids;
    for (const QString &type : cli.fetchType.split(QLatin1Char(','), Qt::SkipEmptyParts))
        schedule.fetchTypes << type.trimmed();
    schedule.window = cli.window.trimmed();
    schedule.priority = cli.priority;
    schedule.fallbackDays = cli.fallbackDays;
    schedule.catchUp = catchUpFromString(cli.catchUp).value_or(CatchUp::Once);

    const QStringList types = setup.settings->fetchTypes();
    const QVector<FieldError> problems = scheduleProblems(schedule, types);
    if (!problems.isEmpty()) {
        for (const FieldError &problem : problems)
            printError(asOption(problem.field, problem.message, optionOf(problem.field, cli)));
        printError(QStringLiteral("the schedule was not added"));
        return ExitBadInput;
    }
    const QueueResult<Schedule> added = queue.addSchedule(schedule, types);
    if (!added.ok())
        return failed(added.error, optionOf(added.error.field, cli));
    const Schedule &s = *added.value;
    const std::optional<CronExpression> cron = CronExpression::parse(s.cron);
    tell(QStringLiteral("added schedule %1 \"%2\": %3 (%4), %5 × %6, window %7; next fire at %8")
             .arg(s.id)
             .arg(s.name, cron ? cron->describe() : s.cron, s.timezone,
                  s.dealerIds.size() == 1 ? QStringLiteral("1 dealer")
                                          : QStringLiteral("%1 dealers").arg(s.dealerIds.size()),
                  s.fetchTypes.join(QLatin1Char(',')), s.window, nextFire(s)));
    return -1;
}

int listSchedules(QueueOperations &queue)
{
    const QueueResult<QVector<Schedule>> all = queue.schedules();
    if (!all.ok())
        return failed(all.error, QStringLiteral("--schedule-list"));
    for (const Schedule &s : *all.value) {
        const QString line = QStringLiteral("%1\t%2\t%3\t%4\t%5\t%6\n")
                                 .arg(s.id)
                                 .arg(s.name, s.cron, s.window, nextFire(s),
                                      s.enabled ? QStringLiteral("true") : QStringLiteral("false"));
        std::fputs(qUtf8Printable(line), stdout);
    }
    std::fflush(stdout);
    return -1;
}

/// The schedule an operation names; nothing, the problem printed, when there is none.
std::optional<Schedule> named(QueueOperations &queue, const QString &name, const QString &option,
                              int *code)
{
    const QueueResult<Schedule> found = queue.scheduleNamed(name.trimmed());
    if (found.ok())
        return found.value;
    if (found.error.kind == StoreError::Kind::NotFound) {
        printError(QStringLiteral("%1: no schedule named \"%2\" (see --schedule-list)")
                       .arg(option, printableText(name.trimmed())));
        *code = ExitBadInput;
    } else {
        *code = failed(found.error, option);
    }
    return std::nullopt;
}

int runNow(QueueOperations &queue, const QString &name)
{
    int code = ExitBadInput;
    const std::optional<Schedule> s = named(queue, name, QStringLiteral("--schedule-run"), &code);
    if (!s)
        return code;
    const QueueResult<BulkOutcome> ran = queue.runSchedule(s->id);
    if (!ran.ok())
        return failed(ran.error, QStringLiteral("--schedule-run"));
    for (const BulkOutcome::Skipped &skipped : ran.value->skipped)
        tell(QStringLiteral("skipped %1: %2").arg(skipped.dealerId, skipped.reason));
    const QVector<qint64> &ids = ran.value->jobIds;
    if (ids.isEmpty())
        tell(QStringLiteral("schedule %1: queued no new job").arg(s->name));
    else
        tell(QStringLiteral("schedule %1: queued %2 (job %3 to %4)")
                 .arg(s->name, ids.size() == 1 ? QStringLiteral("1 job")
                                               : QStringLiteral("%1 jobs").arg(ids.size()))
                 .arg(ids.first())
                 .arg(ids.last()));
    return -1;
}

int setEnabled(const AppSetup &setup, QueueOperations &queue, const QString &name, bool enabled)
{
    const QString option =
        enabled ? QStringLiteral("--schedule-enable") : QStringLiteral("--schedule-disable");
    int code = ExitBadInput;
    std::optional<Schedule> s = named(queue, name, option, &code);
    if (!s)
        return code;
    const QueueResult<Schedule> changed =
        queue.setScheduleEnabled(s->id, enabled, setup.settings->fetchTypes());
    if (!changed.ok())
        return failed(changed.error, option);
    if (enabled)
        tell(QStringLiteral("schedule %1 enabled; next fire at %2")
                 .arg(changed.value->name, nextFire(*changed.value)));
    else
        tell(QStringLiteral("schedule %1 disabled").arg(changed.value->name));
    return -1;
}

int removeSchedule(QueueOperations &queue, const QString &name)
{
    int code = ExitBadInput;
    const std::optional<Schedule> s =
        named(queue, name, QStringLiteral("--schedule-remove"), &code);
    if (!s)
        return code;
    const QueueResult<bool> removed = queue.removeSchedule(s->id);
    if (!removed.ok())
        return failed(removed.error, QStringLiteral("--schedule-remove"));
    tell(QStringLiteral("removed schedule %1; the jobs it queued stay").arg(s->name));
    return -1;
}

} // namespace

int runScheduleCommand(const AppSetup &setup, QueueOperations &queue)
{
    const CommandLine &cli = setup.cli;
    if (!cli.scheduleAdd.isEmpty())
        return addSchedule(setup, queue);
    if (cli.scheduleList)
        return listSchedules(queue);
    if (!cli.scheduleRun.isEmpty())
        return runNow(queue, cli.scheduleRun);
    if (!cli.scheduleEnable.isEmpty())
        return setEnabled(setup, queue, cli.scheduleEnable, true);
    if (!cli.scheduleDisable.isEmpty())
        return setEnabled(setup, queue, cli.scheduleDisable, false);
    if (!cli.scheduleRemove.isEmpty())
        return removeSchedule(queue, cli.scheduleRemove);
    return -1;
}
