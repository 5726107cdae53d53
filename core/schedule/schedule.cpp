#include "schedule/schedule.h"

#include "schedule/cron.h"
#include "schedule/window.h"

#include <QDateTime>
#include <QTimeZone>

#include <algorithm>

QString catchUpName(CatchUp catchUp)
{
    return catchUp == CatchUp::Skip ? QStringLiteral("skip") : QStringLiteral("once");
}

std::optional<CatchUp> catchUpFromString(const QString &name)
{
    if (name == QLatin1String("once"))
        return CatchUp::Once;
    if (name == QLatin1String("skip"))
        return CatchUp::Skip;
    return std::nullopt;
}

QList<qint64> upcomingSlots(const Schedule &schedule, qint64 nowMs, int n)
{
    QList<qint64> upcoming;
    const std::optional<CronExpression> cron = CronExpression::parse(schedule.cron);
    const QTimeZone zone(schedule.timezone.toUtf8());
    if (!cron || !zone.isValid() || n <= 0)
        return upcoming;
    const qint64 after = std::max(
        {nowMs, schedule.lastSlotMs.value_or(0), schedule.enabled ? schedule.enabledSinceMs : 0});
    for (const QDateTime &slot :
         nextFireTimes(*cron, zone, QDateTime::fromMSecsSinceEpoch(after, Qt::UTC), n))
        upcoming << slot.toMSecsSinceEpoch();
    return upcoming;
}

std::optional<QStringList> scheduleDealerIds(const QStringList &ids, FieldError *error)
{
    const DealerIdList list = checkDealerIds(ids);
    const auto refuse = [&](const QString &message) -> std::optional<QStringList> {
        if (error)
            *error = {QStringLiteral("dealer_ids"), message};
        return std::nullopt;
    };
    if (!list.invalid.isEmpty())
        return refuse(QStringLiteral("dealer_ids: %1").arg(list.invalidSummary()));
    if (list.valid.isEmpty())
        return refuse(QStringLiteral("dealer_ids: a schedule needs at least one dealer ID"));
    if (list.valid.size() > MaxScheduleDealers)
        return refuse(QStringLiteral("dealer_ids: %1 dealer IDs; a schedule takes at most %2")
                          .arg(list.valid.size())
                          .arg(MaxScheduleDealers));
    return list.valid;
}

bool isScheduleZone(const QString &id)
{
    // Every IANA name begins with a capital, as do Qt's own "UTC+02:00"; the other files of the
    // zone folder do not (Qt 6.8 lists `localtime` and `posixrules` among its zones).
    if (id.isEmpty() || id.at(0) < QLatin1Char('A') || id.at(0) > QLatin1Char('Z'))
        return false;
    if (QTimeZone::isTimeZoneIdAvailable(id.toUtf8()))
        return true;
    if (id.size() > 64 || id.contains(QLatin1String("..")) || id.contains(QLatin1String("//")) ||
        id.endsWith(QLatin1Char('/')))
        return false;
    for (const QChar c : id) {
        if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('/') &&
            c != QLatin1Char('_') && c != QLatin1Char('-') && c != QLatin1Char('+'))
            return false;
    }
    const QTimeZone zone(id.toUtf8());
    return zone.isValid() && zone.id() == id.toUtf8();
}

namespace {

/// Checks every field of `s` and puts the valid ones in their stored form, noting each field at
/// fault in *problems in the order validateSchedule() documents; with `all` false it stops at the
/// first.
void checkSchedule(Schedule &s, const QStringList &allowedTypes, QVector<FieldError> *problems,
                   bool all)
{
    // True when the check is to stop here.
    const auto refuse = [&](const QString &field, const QString &message) {
        problems->push_back({field, message});
        return !all;
    };
    s.name = s.name.trimmed();
    if (s.name.isEmpty()) {
        if (refuse(QStringLiteral("name"), QStringLiteral("name: a schedule needs a name")))
            return;
    } else if (s.name.size() > MaxScheduleNameLength) {
        if (refuse(QStringLiteral("name"), QStringLiteral("name: %1 characters; at most %2")
                                               .arg(s.name.size())
                                               .arg(MaxScheduleNameLength)))
            return;
    } else {
        for (const QChar c : std::as_const(s.name)) {
            if (c.isPrint())
                continue;
            if (refuse(QStringLiteral("name"),
                       QStringLiteral("name: only printable characters (found U+%1)")
                           .arg(c.unicode(), 4, 16, QLatin1Char('0'))))
                return;
            break;
        }
    }
    QString why;
    const std::optional<CronExpression> cron = CronExpression::parse(s.cron, &why);
    if (!cron) {
        if (refuse(QStringLiteral("cron"), why))
            return;
    } else {
        s.cron = cron->toString();
    }
    if (s.timezone.isEmpty())
        s.timezone = QString::fromUtf8(QTimeZone::systemTimeZoneId());
    if (!isScheduleZone(s.timezone)) {
        if (refuse(QStringLiteral("timezone"),
                   QStringLiteral("timezone: \"%1\" is not a known IANA time zone "
                                  "(e.g. Europe/Berlin, America/New_York, UTC)")
                       .arg(printableText(s.timezone.left(64)))))
            return;
    }
    FieldError idError;
    const std::optional<QStringList> ids = scheduleDealerIds(s.dealerIds, &idError);
    if (!ids) {
        if (refuse(idError.field, idError.message))
            return;
    } else {
        s.dealerIds = *ids;
    }
    if (s.fetchTypes.isEmpty()) {
        if (refuse(QStringLiteral("fetch_types"),
                   QStringLiteral("fetch_types: a schedule needs at least one fetch type")))
            return;
    } else {
        QStringList types;
        bool typesOk = true;
        for (const QString &type : std::as_const(s.fetchTypes)) {
            QString reason;
            if (!validateFetchType(type, allowedTypes, &reason)) {
                typesOk = false;
                if (refuse(QStringLiteral("fetch_types"),
                           QStringLiteral("fetch_types: %1").arg(reason)))
                    return;
                break;
            }
            if (!types.contains(type))
                types << type;
        }
        if (typesOk)
            s.fetchTypes = types;
    }
    const std::optional<WindowRule> window = WindowRule::parse(s.window, &why);
    if (!window) {
        if (refuse(QStringLiteral("window"), why))
            return;
    } else {
        s.window = window->toString();
    }
    if (s.fallbackDays < 1 || s.fallbackDays > MaxFallbackDays) {
        if (refuse(QStringLiteral("fallback_days"),
                   QStringLiteral("fallback_days: %1 is out of range 1-%2")
                       .arg(s.fallbackDays)
                       .arg(MaxFallbackDays)))
            return;
    }
    if (s.priority < -MaxSchedulePriority || s.priority > MaxSchedulePriority)
        refuse(QStringLiteral("priority"), QStringLiteral("priority: %1 is out of range -%2-%2")
                                               .arg(s.priority)
                                               .arg(MaxSchedulePriority));
}

} // namespace

bool validateSchedule(Schedule *schedule, const QStringList &allowedTypes, FieldError *error)
{
    Schedule s = *schedule;
    QVector<FieldError> problems;
    checkSchedule(s, allowedTypes, &problems, false);
    if (!problems.isEmpty()) {
        if (error)
            *error = problems.first();
        return false;
    }
    *schedule = s;
    return true;
}

QVector<FieldError> scheduleProblems(const Schedule &schedule, const QStringList &allowedTypes)
{
    Schedule s = schedule;
    QVector<FieldError> problems;
    checkSchedule(s, allowedTypes, &problems, true);
    return problems;
}
