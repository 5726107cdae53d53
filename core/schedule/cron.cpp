#include "schedule/cron.h"

#include "job/validation.h"
#include "schedule/zonetime.h"

#include <algorithm>
#include <functional>
#include <initializer_list>

#include <QStringList>
#include <QTimeZone>

namespace {

struct FieldSpec
{
    const char *name;
    int min;
    int max;                  ///< the largest value written; for the day of week 7, read as 0
    int last;                 ///< the largest value `*` and `a/n` reach (day of week: 6)
    const char *const *names; ///< names for min, min+1, … (nullptr: numbers only)
    int nameCount;
    const char *nameKind;  ///< "month" or "day"
    const char *nameRange; ///< "jan-dec", "sun-sat"
};

const char *const MonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                  "jul", "aug", "sep", "oct", "nov", "dec"};
const char *const DayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

enum Field
{
    Minute,
    Hour,
    DayOfMonth,
    Month,
    DayOfWeek,
    FieldCount
};

const FieldSpec Fields[FieldCount] = {
    {"minute", 0, 59, 59, nullptr, 0, nullptr, nullptr},
    {"hour", 0, 23, 23, nullptr, 0, nullptr, nullptr},
    {"day-of-month", 1, 31, 31, nullptr, 0, nullptr, nullptr},
    {"month", 1, 12, 12, MonthNames, 12, "month", "jan-dec"},
    {"day-of-week", 0, 7, 6, DayNames, 7, "day", "sun-sat"},
};

bool isAsciiDigits(QStringView text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    }
    return true;
}

QString quoted(QStringView text)
{
    return QLatin1Char('"') + printableText(text.toString(), 20) + QLatin1Char('"');
}

/// Reads one field into a bit set; false with the reason (without the field's name) in *why.
class FieldParser
{
public:
    FieldParser(const FieldSpec &spec, QString *why)
        : m_spec(spec)
        , m_why(why)
    {}

    bool parse(QStringView text, quint64 *bits)
    {
        *bits = 0;
        for (const QStringView item : text.split(QLatin1Char(','))) {
            if (item.isEmpty())
                return fail(QStringLiteral("empty item in the list %1").arg(quoted(text)));
            if (!parseItem(item, bits))
                return false;
        }
        return true;
    }

private:
    bool fail(const QString &why)
    {
        *m_why = why;
        return false;
    }

    bool outOfRange(QStringView digits, int min, int max, const QString &what = QString())
    {
        QString shown = digits.toString();
        if (shown.size() > 6)
            shown = quoted(digits);
        return fail(
            QStringLiteral("%1%2 is out of range %3-%4").arg(what, shown).arg(min).arg(max));
    }

    /// A number or (month, day of week) a name; `rangeEnd` reads `sun` as 7, so that
    /// `fri-sun` means Friday to Sunday.
    bool parseValue(QStringView text, bool rangeEnd, int *value)
    {
        if (isAsciiDigits(text)) {
            const int number = text.size() <= 6 ? text.toInt() : -1;
            if (number < m_spec.min || number > m_spec.max)
                return outOfRange(text, m_spec.min, m_spec.max);
            *value = number;
            return true;
        }
        if (m_spec.names) {
            for (int i = 0; i < m_spec.nameCount; ++i) {
                if (text.compare(QLatin1String(m_spec.names[i]), Qt::CaseInsensitive) == 0) {
                    *value = m_spec.min + i;
                    if (rangeEnd && *value == 0 && m_spec.max == 7)
                        *value = 7;
                    return true;
                }
            }
            return fail(QStringLiteral("%1 is not a number %2-%3 or a %4 name (%5)")
                            .arg(quoted(text))
                            .arg(m_spec.min)
                            .arg(m_spec.max)
                            .arg(QLatin1String(m_spec.nameKind), QLatin1String(m_spec.nameRange)));
        }
        return fail(QStringLiteral("%1 is not a number").arg(quoted(text)));
    }

    bool parseItem(QStringView item, quint64 *bits)
    {
        const qsizetype slash = item.indexOf(QLatin1Char('/'));
        const QStringView range = slash < 0 ? item : item.left(slash);
        int step = 1;
        if (slash >= 0) {
            const QStringView stepText = item.mid(slash + 1);
            if (stepText.contains(QLatin1Char('/')))
                return fail(QStringLiteral("%1 has more than one step").arg(quoted(item)));
            if (stepText.isEmpty())
                return fail(
                    QStringLiteral("the step after \"/\" is missing in %1").arg(quoted(item)));
            if (!isAsciiDigits(stepText))
                return fail(QStringLiteral("step %1 is not a number").arg(quoted(stepText)));
            step = stepText.size() <= 6 ? stepText.toInt() : -1;
            if (step < 1 || step > m_spec.max)
                return outOfRange(stepText, 1, m_spec.max, QStringLiteral("step "));
        }

        int low = 0;
        int high = 0;
        if (range.isEmpty()) {
            return fail(QStringLiteral("%1 has nothing before its step; write */n or a-b/n")
                            .arg(quoted(item)));
        } else if (range == QLatin1String("*")) {
            low = m_spec.min;
            high = m_spec.last;
        } else {
            const qsizetype dash = range.indexOf(QLatin1Char('-'));
            if (dash < 0) {
                if (!parseValue(range, false, &low))
                    return false;
                // `a/n`: from a to where `*` ends, in steps of n.
                high = slash < 0 ? low : std::max(low, m_spec.last);
            } else {
                const QStringView first = range.left(dash);
                const QStringView last = range.mid(dash + 1);
                if (first.isEmpty() || last.isEmpty() || last.contains(QLatin1Char('-')))
                    return fail(
                        QStringLiteral("%1 is not a range; write it as a-b").arg(quoted(range)));
                if (!parseValue(first, false, &low) || !parseValue(last, true, &high))
                    return false;
                if (low > high)
                    return fail(
                        QStringLiteral("range %1 is reversed; write the smaller bound first")
                            .arg(quoted(range)));
            }
        }
        for (int value = low; value <= high; value += step)
            *bits |= quint64(1) << (value > m_spec.last ? 0 : value); // day of week 7: Sunday
        return true;
    }

    const FieldSpec &m_spec;
    QString *m_why;
};

constexpr quint64 fullSet(int min, int max)
{
    quint64 bits = 0;
    for (int value = min; value <= max; ++value)
        bits |= quint64(1) << value;
    return bits;
}

constexpr quint64 AllDaysOfMonth = fullSet(1, 31);
constexpr quint64 AllDaysOfWeek = fullSet(0, 6);
constexpr quint64 AllMinutes = fullSet(0, 59);
constexpr quint64 AllHours = fullSet(0, 23);
constexpr quint64 AllMonths = fullSet(1, 12);

bool has(quint64 bits, int value)
{
    return (bits >> value) & 1;
}

QList<int> values(quint64 bits, int min, int max)
{
    QList<int> list;
    for (int value = min; value <= max; ++value) {
        if (has(bits, value))
            list << value;
    }
    return list;
}

constexpr qint64 MinuteMs = 60LL * 1000;
constexpr qint64 DayMs = 24LL * 3600 * 1000;

QString twoDigits(int value)
{
    return QStringLiteral("%1").arg(value, 2, 10, QLatin1Char('0'));
}

QString clockTime(int minuteOfDay)
{
    return twoDigits(minuteOfDay / 60) + QLatin1Char(':') + twoDigits(minuteOfDay % 60);
}

/// "a", "a and b", "a, b and c".
QString joinWords(const QStringList &items)
{
    if (items.size() < 2)
        return items.value(0);
    return CronExpression::tr("%1 and %2", "the last two items of a list")
        .arg(items.mid(0, items.size() - 1).join(CronExpression::tr(", ")), items.last());
}

/// n when the set is min, min+n, … and n divides the span (so it repeats evenly); 0 otherwise.
int evenStep(quint64 bits, int min, int max)
{
    const int span = max - min + 1;
    for (int step = 2; step < span; ++step) {
        if (span % step != 0)
            continue;
        quint64 stepped = 0;
        for (int value = min; value <= max; value += step)
            stepped |= quint64(1) << value;
        if (stepped == bits)
            return step;
    }
    return 0;
}

/// The chosen values of `order` in words: runs of three or more as "first to last", the rest
/// one by one; empty when that takes more than `maxItems` items.
QString valueList(quint64 bits, const QList<int> &order, const std::function<QString(int)> &name,
                  int maxItems)
{
    QStringList items;
    for (int i = 0; i < order.size();) {
        if (!has(bits, order.at(i))) {
            ++i;
            continue;
        }
        int end = i;
        while (end + 1 < order.size() && has(bits, order.at(end + 1)))
            ++end;
        if (end - i >= 2) {
            items << CronExpression::tr("%1 to %2", "a range of days or months")
                         .arg(name(order.at(i)), name(order.at(end)));
        } else {
            for (int k = i; k <= end; ++k)
                items << name(order.at(k));
        }
        i = end + 1;
    }
    if (items.size() > maxItems)
        return {};
    return joinWords(items);
}

QString dayName(int dayOfWeek)
{
    static const char *const names[] = {
        QT_TRANSLATE_NOOP("CronExpression", "Sunday"),
        QT_TRANSLATE_NOOP("CronExpression", "Monday"),
        QT_TRANSLATE_NOOP("CronExpression", "Tuesday"),
        QT_TRANSLATE_NOOP("CronExpression", "Wednesday"),
        QT_TRANSLATE_NOOP("CronExpression", "Thursday"),
        QT_TRANSLATE_NOOP("CronExpression", "Friday"),
        QT_TRANSLATE_NOOP("CronExpression", "Saturday"),
    };
    return CronExpression::tr(names[dayOfWeek]);
}

QString monthName(int month)
{
    static const char *const names[] = {
        QT_TRANSLATE_NOOP("CronExpression", "January"),
        QT_TRANSLATE_NOOP("CronExpression", "February"),
        QT_TRANSLATE_NOOP("CronExpression", "March"),
        QT_TRANSLATE_NOOP("CronExpression", "April"),
        QT_TRANSLATE_NOOP("CronExpression", "May"),
        QT_TRANSLATE_NOOP("CronExpression", "June"),
        QT_TRANSLATE_NOOP("CronExpression", "July"),
        QT_TRANSLATE_NOOP("CronExpression", "August"),
        QT_TRANSLATE_NOOP("CronExpression", "September"),
        QT_TRANSLATE_NOOP("CronExpression", "October"),
        QT_TRANSLATE_NOOP("CronExpression", "November"),
        QT_TRANSLATE_NOOP("CronExpression", "December"),
    };
    return CronExpression::tr(names[month - 1]);
}

QList<int> sequence(int first, int last)
{
    QList<int> list;
    for (int value = first; value <= last; ++value)
        list << value;
    return list;
}

} // namespace

std::optional<CronExpression> CronExpression::parse(const QString &text, QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<CronExpression> {
        if (error)
            *error = QStringLiteral("cron: ") + why;
        return std::nullopt;
    };
    if (text.size() > MaxCronLength)
        return fail(QStringLiteral("the expression is %1 characters long; at most %2 are allowed")
                        .arg(text.size())
                        .arg(MaxCronLength));
    QList<QStringView> parts;
    qsizetype start = -1;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        const bool space = i == text.size() || text.at(i).isSpace();
        if (!space && start < 0)
            start = i;
        if (space && start >= 0) {
            parts << QStringView(text).mid(start, i - start);
            start = -1;
        }
    }
    if (parts.size() != FieldCount)
        return fail(QStringLiteral("expected 5 fields, got %1 (minute hour day-of-month month "
                                   "day-of-week)")
                        .arg(parts.size()));

    quint64 bits[FieldCount] = {};
    for (int field = 0; field < FieldCount; ++field) {
        QString why;
        FieldParser parser(Fields[field], &why);
        if (!parser.parse(parts.at(field), &bits[field]))
            return fail(QLatin1String(Fields[field].name) + QStringLiteral(": ") + why);
    }

    CronExpression cron;
    cron.m_minutes = bits[Minute];
    cron.m_hours = quint32(bits[Hour]);
    cron.m_daysOfMonth = quint32(bits[DayOfMonth]);
    cron.m_months = quint16(bits[Month]);
    cron.m_daysOfWeek = quint8(bits[DayOfWeek]);
    QStringList fields;
    for (const QStringView part : parts)
        fields << part.toString();
    cron.m_text = fields.join(QLatin1Char(' '));
    return cron;
}

bool CronExpression::dayOfMonthRestricted() const
{
    return m_daysOfMonth != AllDaysOfMonth;
}

bool CronExpression::dayOfWeekRestricted() const
{
    return m_daysOfWeek != AllDaysOfWeek;
}

bool CronExpression::matchesDay(QDate date) const
{
    if (!date.isValid() || !has(m_months, date.month()))
        return false;
    const bool dayOfMonth = has(m_daysOfMonth, date.day());
    const bool dayOfWeek = has(m_daysOfWeek, date.dayOfWeek() % 7);
    if (dayOfMonthRestricted() && dayOfWeekRestricted())
        return dayOfMonth || dayOfWeek;
    return dayOfMonth && dayOfWeek;
}

bool CronExpression::matches(QDate date, int hour, int minute) const
{
    return hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && has(m_hours, hour) &&
           has(m_minutes, minute) && matchesDay(date);
}

QList<int> CronExpression::minutesOfDay() const
{
    QList<int> minutes;
    for (int hour = 0; hour < 24; ++hour) {
        if (!has(m_hours, hour))
            continue;
        for (int minute = 0; minute < 60; ++minute) {
            if (has(m_minutes, minute))
                minutes << hour * 60 + minute;
        }
    }
    return minutes;
}

QList<QDateTime> nextFireTimes(const CronExpression &cron, const QTimeZone &zone,
                               const QDateTime &after, int n)
{
    QList<QDateTime> times;
    const QList<int> minutes = cron.minutesOfDay();
    if (n <= 0 || minutes.isEmpty() || !zone.isValid() || !after.isValid())
        return times;
    // Walk the wall-clock slots from the minute `after` shows in the zone, day by matching day.
    // A slot's instant only grows with its wall time (a skipped slot moves to the gap's end, a
    // repeated one to its first occurrence), so no slot before that minute comes after `after`;
    // keeping only instants past the last one drops what a repeated hour would fire twice and
    // merges slots that share an instant.
    qint64 last = after.toMSecsSinceEpoch();
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(wallClockMs(zone, last), Qt::UTC);
    int fromMinute = start.time().msecsSinceStartOfDay() / int(MinuteMs);
    QDate giveUp = start.date().addYears(CronSearchYears);
    for (QDate day = start.date(); day.isValid() && day <= giveUp;
         day = day.addDays(1), fromMinute = 0) {
        if (!cron.matchesDay(day))
            continue;
        for (auto it = std::lower_bound(minutes.cbegin(), minutes.cend(), fromMinute);
             it != minutes.cend(); ++it) {
            const qint64 instant = instantOfWallTime(zone, day, QTime(*it / 60, *it % 60));
            if (instant <= last)
                continue;
            times << QDateTime::fromMSecsSinceEpoch(instant, Qt::UTC);
            if (times.size() == n)
                return times;
            last = instant;
            giveUp = day.addYears(CronSearchYears);
        }
    }
    return times;
}

QDateTime previousFireTime(const CronExpression &cron, const QTimeZone &zone,
                           const QDateTime &atOrBefore)
{
    const QList<int> minutes = cron.minutesOfDay();
    if (minutes.isEmpty() || !zone.isValid() || !atOrBefore.isValid())
        return {};
    // The same walk backwards. A slot whose wall time is later than the clock shows at the bound
    // can still come before it if the clocks went back in between: start later by as much as
    // the zone's offset shrinks near the bound.
    const qint64 bound = atOrBefore.toMSecsSinceEpoch();
    const qint64 offset = wallClockMs(zone, bound) - bound;
    qint64 margin = 0;
    for (const qint64 probe : {bound - DayMs, bound + DayMs})
        margin = std::max(margin, wallClockMs(zone, probe) - probe - offset);
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(bound + offset + margin, Qt::UTC);
    int toMinute = start.time().msecsSinceStartOfDay() / int(MinuteMs);
    const QDate giveUp = start.date().addYears(-CronSearchYears);
    for (QDate day = start.date(); day.isValid() && day >= giveUp;
         day = day.addDays(-1), toMinute = 24 * 60 - 1) {
        if (!cron.matchesDay(day))
            continue;
        for (auto it = std::upper_bound(minutes.cbegin(), minutes.cend(), toMinute);
             it != minutes.cbegin();) {
            --it;
            const qint64 instant = instantOfWallTime(zone, day, QTime(*it / 60, *it % 60));
            if (instant <= bound)
                return QDateTime::fromMSecsSinceEpoch(instant, Qt::UTC);
        }
    }
    return {};
}

QString CronExpression::describe() const
{
    if (m_text.isEmpty())
        return {};
    const QString asWritten = m_text;

    // When it fires within a day: a frequency ("every 15 minutes") or a few times of day.
    const QList<int> minutes = values(m_minutes, 0, 59);
    const QList<int> hours = values(m_hours, 0, 23);
    const bool everyMinute = m_minutes == AllMinutes;
    const bool everyHour = m_hours == AllHours;
    const int minuteStep = evenStep(m_minutes, 0, 59);
    const int hourStep = evenStep(m_hours, 0, 23);
    const bool hoursInOneRun = hours.last() - hours.first() + 1 == hours.size();
    QString frequency;
    QString times;
    if (everyMinute && everyHour) {
        frequency = tr("every minute");
    } else if (minuteStep && everyHour) {
        frequency = tr("every %n minutes", nullptr, minuteStep);
    } else if (minutes.size() == 1 && (everyHour || hourStep)) {
        const int minute = minutes.first();
        if (everyHour)
            frequency = minute == 0 ? tr("every hour") : tr("every hour at minute %1").arg(minute);
        else
            frequency = minute == 0
                            ? tr("every %n hours", nullptr, hourStep)
                            : tr("every %n hours at minute %1", nullptr, hourStep).arg(minute);
    } else if ((everyMinute || minuteStep) && hoursInOneRun) {
        const QString from = clockTime(hours.first() * 60);
        const QString to = clockTime(hours.last() * 60 + minutes.last());
        frequency = everyMinute
                        ? tr("every minute from %1 to %2").arg(from, to)
                        : tr("every %n minutes from %1 to %2", nullptr, minuteStep).arg(from, to);
    } else if (minutes.size() * hours.size() <= 4) {
        QStringList clock;
        for (const int hour : hours) {
            for (const int minute : minutes)
                clock << clockTime(hour * 60 + minute);
        }
        times = joinWords(clock);
    } else if (minutes.size() == 1 && hoursInOneRun) {
        frequency = tr("every hour from %1 to %2")
                        .arg(clockTime(hours.first() * 60 + minutes.first()),
                             clockTime(hours.last() * 60 + minutes.first()));
    } else {
        return asWritten;
    }

    // On which days: either day field, or both ("on day 13 of the month or on Friday").
    QString days;
    const QString weekdays =
        valueList(m_daysOfWeek, {1, 2, 3, 4, 5, 6, 0}, dayName, 7); // Monday first
    const QString monthDays = valueList(
        m_daysOfMonth, sequence(1, 31), [](int day) { return QString::number(day); }, 5);
    const QString onWeekdays = tr("on %1", "on Monday to Friday").arg(weekdays);
    const QString onMonthDays = values(m_daysOfMonth, 1, 31).size() == 1
                                    ? tr("on day %1 of the month").arg(monthDays)
                                    : tr("on days %1 of the month").arg(monthDays);
    if (dayOfMonthRestricted() && monthDays.isEmpty())
        return asWritten;
    if (dayOfMonthRestricted() && dayOfWeekRestricted())
        days = tr("%1 or %2", "on day 13 of the month or on Friday").arg(onMonthDays, onWeekdays);
    else if (dayOfMonthRestricted())
        days = onMonthDays;
    else if (dayOfWeekRestricted())
        days = onWeekdays;

    QString text;
    if (!times.isEmpty())
        text = days.isEmpty() ? tr("every day at %1").arg(times)
                              : tr("at %1 %2", "at 06:30 on Monday to Friday").arg(times, days);
    else
        text = days.isEmpty()
                   ? frequency
                   : tr("%1 %2", "every 15 minutes on Monday to Friday").arg(frequency, days);

    if (m_months != AllMonths) {
        const QString months = valueList(m_months, sequence(1, 12), monthName, 4);
        if (months.isEmpty())
            return asWritten;
        text = tr("%1 in %2", "every day at 02:00 in January").arg(text, months);
    }
    return text;
}
