#include "scheduleformat.h"

#include "jobformat.h"
#include "schedule/cron.h"
#include "schedule/schedule.h"
#include "schedule/window.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QTimeZone>

namespace {

// The translation context of these words, "ScheduleFormat" (lupdate reads it from here).
class Words
{
    Q_DECLARE_TR_FUNCTIONS(ScheduleFormat)
};

} // namespace

namespace ScheduleFormat {

bool isLocalZone(const QString &timezone)
{
    if (timezone.isEmpty() || timezone.toUtf8() == QTimeZone::systemTimeZoneId())
        return true;
    const QTimeZone zone(timezone.toUtf8());
    if (!zone.isValid())
        return true;
    const QTimeZone local = QTimeZone::systemTimeZone();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime later = now.addDays(182);
    return zone.offsetFromUtc(now) == local.offsetFromUtc(now) &&
           zone.offsetFromUtc(later) == local.offsetFromUtc(later);
}

QString defaultZone()
{
    const QByteArray system = QTimeZone::systemTimeZoneId();
    if (QTimeZone::isTimeZoneIdAvailable(system))
        return QString::fromUtf8(system);
    // An alias the zone list lacks (Debian's Etc/UTC): UTC itself when it is that.
    const QTimeZone local = QTimeZone::systemTimeZone();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (local.offsetFromUtc(now) == 0 && local.offsetFromUtc(now.addDays(182)) == 0 &&
        QTimeZone::isTimeZoneIdAvailable("UTC"))
        return QStringLiteral("UTC");
    return QString::fromUtf8(system);
}

QString when(const Schedule &schedule)
{
    const std::optional<CronExpression> cron = CronExpression::parse(schedule.cron);
    const QString words = cron ? cron->describe() : schedule.cron;
    if (isLocalZone(schedule.timezone))
        return words;
    return Words::tr("%1 in %2", "every day at 02:00 in America/New_York")
        .arg(words, schedule.timezone);
}

QString window(const WindowRule &rule)
{
    switch (rule.kind) {
    case WindowRule::Kind::PreviousDay:
        return Words::tr("previous day");
    case WindowRule::Kind::Today:
        return Words::tr("today so far");
    case WindowRule::Kind::LastHours:
        return rule.count == 1 ? Words::tr("last hour")
                               : Words::tr("last %1 hours").arg(rule.count);
    case WindowRule::Kind::LastDays:
        return rule.count == 1 ? Words::tr("last day") : Words::tr("last %1 days").arg(rule.count);
    case WindowRule::Kind::SinceLastSuccess:
        return Words::tr("since last success");
    }
    return {};
}

QString window(const QString &rule)
{
    const std::optional<WindowRule> parsed = WindowRule::parse(rule);
    return parsed ? window(*parsed) : rule;
}

QString windowDetail(const Schedule &schedule)
{
    const std::optional<WindowRule> rule = WindowRule::parse(schedule.window);
    if (!rule)
        return schedule.window;
    switch (rule->kind) {
    case WindowRule::Kind::PreviousDay:
        return Words::tr("the whole calendar day before the fire day");
    case WindowRule::Kind::Today:
        return Words::tr("from 00:00:00 on the fire day to the fire");
    case WindowRule::Kind::LastHours:
        return rule->count == 1 ? Words::tr("the hour before the fire")
                                : Words::tr("the %1 hours before the fire").arg(rule->count);
    case WindowRule::Kind::LastDays:
        return rule->count == 1
                   ? Words::tr("the whole day before the fire day")
                   : Words::tr("the %1 whole days before the fire day").arg(rule->count);
    case WindowRule::Kind::SinceLastSuccess:
        return Words::tr("from each dealer and type's latest completed job to the fire");
    }
    return {};
}

QString fireTime(qint64 msecsSinceEpoch, const QString &timezone)
{
    const QString local = JobFormat::dateTime(msecsSinceEpoch);
    if (isLocalZone(timezone))
        return local;
    const QDateTime there =
        QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, QTimeZone(timezone.toUtf8()));
    return Words::tr("%1 (%2 %3)", "2026-12-04 08:00:00 (02:00 America/New_York)")
        .arg(local, there.toString(QStringLiteral("HH:mm")), timezone);
}

} // namespace ScheduleFormat
