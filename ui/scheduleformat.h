#pragma once

#include <QString>

struct Schedule;
struct WindowRule;

/// How schedules look in the window: the cron and the window in words, fire times in the
/// window's format (JobFormat::dateTime(), local time to the second).
namespace ScheduleFormat {

/// True when `timezone` reads the clock as this machine does: its own zone, a zone with the
/// same offsets now and half a year on, or no zone (empty or unknown).
bool isLocalZone(const QString &timezone);
/// The zone a new schedule starts in: this machine's, as a name the zone list holds (a machine
/// on Debian's `Etc/UTC`, which the list lacks, gets `UTC`).
QString defaultZone();

/// The cron in words ("every day at 02:00"), followed by the zone when it is not this
/// machine's ("every day at 02:00 in America/New_York"); the cron as written if it does not
/// parse.
QString when(const Schedule &schedule);
/// The window rule in a few words: "previous day", "today so far", "last 6 hours",
/// "last 7 days", "since last success".
QString window(const WindowRule &rule);
/// The same for a rule as stored; the text itself when it does not parse.
QString window(const QString &rule);
/// What a schedule's fires fetch, in a line ("the whole calendar day before the fire day").
QString windowDetail(const Schedule &schedule);
/// A fire time as the window shows times, and where the schedule's zone is not this machine's,
/// the time on the zone's clock after it: "2026-12-04 08:00:00 (02:00 America/New_York)".
QString fireTime(qint64 msecsSinceEpoch, const QString &timezone);

} // namespace ScheduleFormat
