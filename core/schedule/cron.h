#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

class QTimeZone;

inline constexpr int MaxCronLength = 100;

/// A schedule's cron expression (SPEC §6): five fields `minute hour day-of-month month
/// day-of-week`, each `*`, a number, a range `a-b`, a step `*/n`, `a-b/n` or `a/n` (a to where
/// `*` ends: `10/20` is 10,30,50, day-of-week `1/2` Monday, Wednesday, Friday), or a comma list
/// of these; names `jan`–`dec` and `sun`–`sat` in any case (`sun` ending a range is 7, so
/// `fri-sun` works); day-of-week 0–7, 0 and 7 both Sunday. When both day fields are restricted
/// — neither allows every day, however written (`*/2` restricts) — a day matching either one
/// matches (POSIX cron).
class CronExpression final
{
    Q_DECLARE_TR_FUNCTIONS(CronExpression)

public:
    /// Reads `text`; on failure returns nothing and sets *error to a message naming the field at
    /// fault, e.g. `cron: hour: 24 is out of range 0-23`.
    static std::optional<CronExpression> parse(const QString &text, QString *error = nullptr);

    /// An expression that matches nothing (nextFireTimes() finds no slot in it).
    CronExpression() = default;

    /// The expression as parsed, its fields separated by single spaces.
    QString toString() const { return m_text; }

    /// True when the wall-clock minute `date` `hour`:`minute` is a slot of this expression.
    bool matches(QDate date, int hour, int minute) const;
    /// True when some minute of `date` is a slot.
    bool matchesDay(QDate date) const;

    /// In words for the window, e.g. "every day at 02:00", "every 15 minutes", "at 06:30 on
    /// Monday to Friday"; the expression itself when it has no short description. Translatable.
    QString describe() const;

    friend bool operator==(const CronExpression &a, const CronExpression &b)
    {
        return a.m_minutes == b.m_minutes && a.m_hours == b.m_hours &&
               a.m_daysOfMonth == b.m_daysOfMonth && a.m_months == b.m_months &&
               a.m_daysOfWeek == b.m_daysOfWeek;
    }
    friend bool operator!=(const CronExpression &a, const CronExpression &b) { return !(a == b); }

private:
    friend QList<QDateTime> nextFireTimes(const CronExpression &, const QTimeZone &,
                                          const QDateTime &, int);
    friend QDateTime previousFireTime(const CronExpression &, const QTimeZone &, const QDateTime &);

    /// The minutes of a day (hour * 60 + minute) the hour and minute fields allow, ascending.
    QList<int> minutesOfDay() const;
    bool dayOfMonthRestricted() const;
    bool dayOfWeekRestricted() const;

    // One bit per allowed value: minute 0-59, hour 0-23, day of month 1-31, month 1-12,
    // day of week 0-6 (Sunday 0).
    quint64 m_minutes = 0;
    quint32 m_hours = 0;
    quint32 m_daysOfMonth = 0;
    quint16 m_months = 0;
    quint8 m_daysOfWeek = 0;
    QString m_text;
};

/// How far nextFireTimes() looks past `after` (or the slot before) for the next slot: an
/// expression with no slot in that span (`0 0 30 2 *`) has none.
inline constexpr int CronSearchYears = 8;

/// The first `n` fire instants (UTC) of `cron` in `zone` strictly after `after`, in order. A slot
/// is a wall-clock minute the expression matches in `zone`: one the clocks skip (spring) fires at
/// the first instant after the gap, one in a repeated hour (autumn) at its first occurrence only;
/// slots that fall on the same instant fire once. Stops early when no slot follows within
/// CronSearchYears. Empty for n <= 0, an invalid zone or an invalid `after`.
QList<QDateTime> nextFireTimes(const CronExpression &cron, const QTimeZone &zone,
                               const QDateTime &after, int n);

/// The latest fire instant (UTC) of `cron` in `zone` at or before `atOrBefore` (for catching up
/// a missed slot), by the same rules as nextFireTimes(); invalid if none within CronSearchYears.
QDateTime previousFireTime(const CronExpression &cron, const QTimeZone &zone,
                           const QDateTime &atOrBefore);
