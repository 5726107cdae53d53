#pragma once

#include <QDate>
#include <QTime>
#include <QTimeZone>

// Wall-clock times in an IANA zone, read the way schedules read them (SPEC §6): a time the
// clocks skip means the first instant after the gap, a time that happens twice its first
// occurrence. Times are milliseconds since the epoch (UTC), as in job/job.h.

/// What the wall clock of `zone` shows at `msecsSinceEpoch`, written as milliseconds since
/// 1970-01-01 00:00 on that clock (read it back with QDateTime::fromMSecsSinceEpoch(…, Qt::UTC)).
qint64 wallClockMs(const QTimeZone &zone, qint64 msecsSinceEpoch);

/// The calendar date in `zone` at `msecsSinceEpoch`.
QDate dateInZone(const QTimeZone &zone, qint64 msecsSinceEpoch);

/// The instant at which the wall clock of `zone` shows `date` `time`: its first occurrence when
/// the hour repeats (autumn), the first instant after the gap when the clocks skip it (spring).
qint64 instantOfWallTime(const QTimeZone &zone, QDate date, QTime time);

/// The first instant of `date` in `zone` (its 00:00:00, or the end of a gap over midnight).
inline qint64 startOfDayInZone(const QTimeZone &zone, QDate date)
{
    return instantOfWallTime(zone, date, QTime(0, 0));
}
