#include "schedule/window.h"

#include "schedule/zonetime.h"

#include <algorithm>

#include <QTimeZone>

namespace {

constexpr qint64 SecondMs = 1000;
constexpr qint64 HourMs = 3600 * SecondMs;
constexpr qint64 DayMs = 24 * HourMs;

const QString RuleList =
    QStringLiteral("use previous_day, today, last_hours:N, last_days:N or since_last_success");

qint64 floorToSecond(qint64 msecsSinceEpoch)
{
    const qint64 rest = msecsSinceEpoch % SecondMs;
    return msecsSinceEpoch - (rest < 0 ? rest + SecondMs : rest);
}

} // namespace

std::optional<WindowRule> WindowRule::parse(const QString &text, QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<WindowRule> {
        if (error)
            *error = QStringLiteral("window: ") + why;
        return std::nullopt;
    };
    const QString rule = text.trimmed();
    if (rule.isEmpty())
        return fail(QStringLiteral("is empty; ") + RuleList);
    if (rule == QLatin1String("previous_day"))
        return WindowRule{Kind::PreviousDay, 0};
    if (rule == QLatin1String("today"))
        return WindowRule{Kind::Today, 0};
    if (rule == QLatin1String("since_last_success"))
        return WindowRule{Kind::SinceLastSuccess, 0};

    struct Counted
    {
        QLatin1String name;
        Kind kind;
        int max;
        const char *unit;
    };
    for (const Counted &counted :
         {Counted{QLatin1String("last_hours"), Kind::LastHours, MaxWindowHours, "hours"},
          Counted{QLatin1String("last_days"), Kind::LastDays, int(MaxWindowDays), "days"}}) {
        if (!rule.startsWith(counted.name))
            continue;
        const QStringView rest = QStringView(rule).mid(counted.name.size());
        if (!rest.isEmpty() && !rest.startsWith(QLatin1Char(':')))
            break;
        const QStringView digits = rest.mid(1);
        bool allDigits = !digits.isEmpty();
        for (const QChar c : digits)
            allDigits = allDigits && c >= QLatin1Char('0') && c <= QLatin1Char('9');
        if (!allDigits)
            return fail(QStringLiteral("\"%1\" needs a whole number of %2 1-%3, e.g. %4:24")
                            .arg(printableText(rule, 40), QLatin1String(counted.unit))
                            .arg(counted.max)
                            .arg(counted.name));
        const int count = digits.size() <= 5 ? digits.toInt() : -1;
        if (count < 1 || count > counted.max)
            return fail(QStringLiteral("%1 is out of range 1-%2")
                            .arg(printableText(rule, 40))
                            .arg(counted.max));
        return WindowRule{counted.kind, count};
    }
    return fail(QStringLiteral("\"%1\" is not a window; ").arg(printableText(rule, 40)) + RuleList);
}

QString WindowRule::toString() const
{
    switch (kind) {
    case Kind::PreviousDay:
        return QStringLiteral("previous_day");
    case Kind::Today:
        return QStringLiteral("today");
    case Kind::LastHours:
        return QStringLiteral("last_hours:%1").arg(count);
    case Kind::LastDays:
        return QStringLiteral("last_days:%1").arg(count);
    case Kind::SinceLastSuccess:
        return QStringLiteral("since_last_success");
    }
    return {};
}

TimeWindow computeWindow(const WindowRule &rule, const QDateTime &fire, const QTimeZone &zone,
                         std::optional<QDateTime> coveredTo, int fallbackDays)
{
    const QTimeZone calendar = zone.isValid() ? zone : QTimeZone::utc();
    const qint64 fireMs = floorToSecond(fire.toMSecsSinceEpoch());
    const QDate fireDay = dateInZone(calendar, fireMs);
    const qint64 fireDayStart = startOfDayInZone(calendar, fireDay);
    const auto daysBefore = [&](int days) {
        return TimeWindow{startOfDayInZone(calendar, fireDay.addDays(-days)),
                          fireDayStart - SecondMs};
    };

    TimeWindow window;
    switch (rule.kind) {
    case WindowRule::Kind::PreviousDay:
        window = daysBefore(1);
        break;
    case WindowRule::Kind::Today:
        window = {fireDayStart, fireMs - SecondMs};
        break;
    case WindowRule::Kind::LastHours:
        window = {fireMs - std::clamp(rule.count, 1, MaxWindowHours) * HourMs, fireMs - SecondMs};
        break;
    case WindowRule::Kind::LastDays:
        window = daysBefore(std::clamp(rule.count, 1, int(MaxWindowDays)));
        break;
    case WindowRule::Kind::SinceLastSuccess:
        if (coveredTo && coveredTo->isValid() &&
            fireMs - coveredTo->toMSecsSinceEpoch() <= MaxWindowDays * DayMs)
            window = {floorToSecond(coveredTo->toMSecsSinceEpoch()) + SecondMs, fireMs - SecondMs};
        else
            window = daysBefore(std::clamp(fallbackDays, 1, MaxFallbackDays));
        break;
    }
    // `to` is inclusive: a window covers to - from + 1 s.
    window.fromMs =
        std::clamp(window.fromMs, window.toMs - MaxWindowDays * DayMs + SecondMs, window.toMs);
    return window;
}
