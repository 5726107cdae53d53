#pragma once

#include <QString>

#include <optional>

/// Formats a time for everything that leaves the program (JSON, CSV): ISO 8601 in local time
/// with milliseconds and an explicit offset, e.g. `2025-06-12T09:31:00.123+00:00`. Returns a
/// null string for 0 (unset).
QString formatTimestamp(qint64 msecsSinceEpoch);

/// The same, for a window bound sent to the dealer API.
inline QString formatApiTime(qint64 msecsSinceEpoch)
{
    return formatTimestamp(msecsSinceEpoch);
}

enum class TimeBound
{
    Start,
    End
};

/// Parses a time as an operator or script may give it (SPEC §1): `YYYY-MM-DD HH:MM:SS`,
/// ISO 8601 with `T` and an optional offset or `Z`, or `YYYY-MM-DD` (the day's first second as
/// a Start bound, its last as an End bound). Without an offset the time is local. Returns
/// milliseconds since the epoch, or nothing with a reason in *error.
std::optional<qint64> parseTimeInput(const QString &text, TimeBound bound, QString *error);

/// Milliseconds since the epoch of local midnight starting (Start) or the last second of (End)
/// the local day that holds `msecsSinceEpoch`.
qint64 localDayBound(qint64 msecsSinceEpoch, TimeBound bound);
