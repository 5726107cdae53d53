#include "schedule/zonetime.h"

#include <QDateTime>

#include <algorithm>
#include <initializer_list>

namespace {

constexpr qint64 DayMs = 24LL * 3600 * 1000;
constexpr qint64 HourMs = 3600LL * 1000;
constexpr qint64 EpochJulianDay = 2440588; // QDate(1970, 1, 1).toJulianDay()

qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

qint64 offsetMsAt(const QTimeZone &zone, qint64 msecsSinceEpoch)
{
    return qint64(zone.offsetFromUtc(QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC))) *
           1000;
}

} // namespace

qint64 wallClockMs(const QTimeZone &zone, qint64 msecsSinceEpoch)
{
    return msecsSinceEpoch + offsetMsAt(zone, msecsSinceEpoch);
}

QDate dateInZone(const QTimeZone &zone, qint64 msecsSinceEpoch)
{
    return QDate::fromJulianDay(EpochJulianDay +
                                floorDiv(wallClockMs(zone, msecsSinceEpoch), DayMs));
}

qint64 instantOfWallTime(const QTimeZone &zone, QDate date, QTime time)
{
    // The wall time written as if it were UTC; each offset the zone has near it gives a
    // candidate instant, which is one if the zone has that offset there.
    const qint64 wallMs =
        (date.toJulianDay() - EpochJulianDay) * DayMs + time.msecsSinceStartOfDay();
    qint64 minOffset = 0;
    qint64 maxOffset = 0;
    bool any = false;
    bool found = false;
    qint64 first = 0;
    for (const qint64 probe :
         {wallMs - DayMs, wallMs - 3 * HourMs, wallMs, wallMs + 3 * HourMs, wallMs + DayMs}) {
        const qint64 offset = offsetMsAt(zone, probe);
        minOffset = any ? std::min(minOffset, offset) : offset;
        maxOffset = any ? std::max(maxOffset, offset) : offset;
        any = true;
        const qint64 instant = wallMs - offset;
        if (offsetMsAt(zone, instant) == offset && (!found || instant < first)) {
            first = instant;
            found = true;
        }
    }
    if (found)
        return first;

    // In a gap: the first instant whose wall time is at or past the one asked for. The wall
    // time of an instant, t + offset(t), only grows; search whole seconds (transitions are on
    // whole seconds) between the candidates of the larger and the smaller offset.
    qint64 lo = floorDiv(wallMs - maxOffset, 1000);
    qint64 hi = floorDiv(wallMs - minOffset + 999, 1000);
    while (lo < hi) {
        const qint64 mid = lo + (hi - lo) / 2;
        if (mid * 1000 + offsetMsAt(zone, mid * 1000) >= wallMs)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo * 1000;
}
