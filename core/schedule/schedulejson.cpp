#include "schedule/schedulejson.h"

#include "job/timeformat.h"

#include <QJsonArray>

namespace {

QJsonValue timeOrNull(std::optional<qint64> ms)
{
    return ms ? QJsonValue(formatTimestamp(*ms)) : QJsonValue();
}

} // namespace

QJsonObject scheduleToJson(const Schedule &schedule, qint64 nowMs, bool withNextFireTimes)
{
    const QList<qint64> next = upcomingSlots(schedule, nowMs, withNextFireTimes ? 5 : 1);
    QJsonObject json{
        {QStringLiteral("schedule_id"), schedule.id},
        {QStringLiteral("name"), schedule.name},
        {QStringLiteral("cron"), schedule.cron},
        {QStringLiteral("timezone"), schedule.timezone},
        {QStringLiteral("dealer_ids"), QJsonArray::fromStringList(schedule.dealerIds)},
        {QStringLiteral("fetch_types"), QJsonArray::fromStringList(schedule.fetchTypes)},
        {QStringLiteral("window"), schedule.window},
        {QStringLiteral("fallback_days"), schedule.fallbackDays},
        {QStringLiteral("priority"), schedule.priority},
        {QStringLiteral("enabled"), schedule.enabled},
        {QStringLiteral("catch_up"), catchUpName(schedule.catchUp)},
        {QStringLiteral("next_fire_at"),
         schedule.enabled && !next.isEmpty() ? timeOrNull(next.first()) : QJsonValue()},
        {QStringLiteral("last_fired_at"), timeOrNull(schedule.lastFiredMs)},
        {QStringLiteral("created_by"), schedule.createdBy},
        {QStringLiteral("created_at"), formatTimestamp(schedule.createdMs)},
    };
    if (withNextFireTimes) {
        QJsonArray times;
        for (qint64 slot : next)
            times.append(formatTimestamp(slot));
        json.insert(QStringLiteral("next_fire_times"), times);
    }
    return json;
}
