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

bool validateSchedule(Schedule *schedule, const QStringList &allowedTypes, FieldError *error)
{
    const auto refuse = [&](const QString &field, const QString &message) {
        if (error)
            *error = {field, message};
        return false;
    };
    Schedule s = *schedule;
    s.name = s.name.trimmed();
    if (s.name.isEmpty())
        return refuse(QStringLiteral("name"), QStringLiteral("name: a schedule needs a name"));
    if (s.name.size() > MaxScheduleNameLength)
        return refuse(QStringLiteral("name"), QStringLiteral("name: %1 characters; at most %2")
                                                  .arg(s.name.size())
                                                  .arg(MaxScheduleNameLength));
    for (const QChar c : std::as_const(s.name)) {
        if (!c.isPrint())
            return refuse(QStringLiteral("name"),
                          QStringLiteral("name: only printable characters (found U+%1)")
                              .arg(c.unicode(), 4, 16, QLatin1Char('0')));
    }
    QString why;
    const std::optional<CronExpression> cron = CronExpression::parse(s.cron, &why);
    if (!cron)
        return refuse(QStringLiteral("cron"), why);
    s.cron = cron->toString();
    if (s.timezone.isEmpty())
        s.timezone = QString::fromUtf8(QTimeZone::systemTimeZoneId());
    if (!QTimeZone::isTimeZoneIdAvailable(s.timezone.toUtf8()))
        return refuse(QStringLiteral("timezone"),
                      QStringLiteral("timezone: \"%1\" is not a known IANA time zone "
                                     "(e.g. Europe/Berlin, America/New_York, UTC)")
                          .arg(printableText(s.timezone.left(64))));
    FieldError idError;
    const std::optional<QStringList> ids = scheduleDealerIds(s.dealerIds, &idError);
    if (!ids)
        return refuse(idError.field, idError.message);
    s.dealerIds = *ids;
    if (s.fetchTypes.isEmpty())
        return refuse(QStringLiteral("fetch_types"),
                      QStringLiteral("fetch_types: a schedule needs at least one fetch type"));
    QStringList types;
    for (const QString &type : std::as_const(s.fetchTypes)) {
        QString reason;
        if (!validateFetchType(type, allowedTypes, &reason))
            return refuse(QStringLiteral("fetch_types"),
                          QStringLiteral("fetch_types: %1").arg(reason));
        if (!types.contains(type))
            types << type;
    }
    s.fetchTypes = types;
    const std::optional<WindowRule> window = WindowRule::parse(s.window, &why);
    if (!window)
        return refuse(QStringLiteral("window"), why);
    s.window = window->toString();
    if (s.fallbackDays < 1 || s.fallbackDays > MaxFallbackDays)
        return refuse(QStringLiteral("fallback_days"),
                      QStringLiteral("fallback_days: %1 is out of range 1-%2")
                          .arg(s.fallbackDays)
                          .arg(MaxFallbackDays));
    if (s.priority < -MaxSchedulePriority || s.priority > MaxSchedulePriority)
        return refuse(QStringLiteral("priority"),
                      QStringLiteral("priority: %1 is out of range -%2-%2")
                          .arg(s.priority)
                          .arg(MaxSchedulePriority));
    *schedule = s;
    return true;
}
