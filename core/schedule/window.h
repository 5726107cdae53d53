#pragma once

#include "job/validation.h"

#include <QDateTime>
#include <QString>

#include <optional>

class QTimeZone;

inline constexpr int MaxWindowHours = 8784;
inline constexpr int MaxFallbackDays = 366;

/// Which window a schedule's jobs fetch (SPEC §6 `window`), as stored: `previous_day`,
/// `today`, `last_hours:N` (1–8784), `last_days:N` (1–366) or `since_last_success`.
struct WindowRule
{
    enum class Kind
    {
        PreviousDay,
        Today,
        LastHours,
        LastDays,
        SinceLastSuccess
    };
    Kind kind = Kind::PreviousDay;
    int count = 0; ///< N of `last_hours:N` and `last_days:N`; 0 for the others

    /// Reads `text`; on failure returns nothing and sets *error to a message that names
    /// `window`, e.g. `window: last_hours:0 is out of range 1-8784`.
    static std::optional<WindowRule> parse(const QString &text, QString *error = nullptr);
    /// The rule as SPEC §6 writes it (what parse() reads back).
    QString toString() const;

    friend bool operator==(const WindowRule &a, const WindowRule &b)
    {
        return a.kind == b.kind && a.count == b.count;
    }
    friend bool operator!=(const WindowRule &a, const WindowRule &b) { return !(a == b); }
};

/// The window a fire at `fire` fetches, in `zone`'s calendar days (a daylight-saving day has 23
/// or 25 hours). As a job's (SPEC §1), `to` is inclusive with whole seconds: a whole day is
/// 00:00:00 to 23:59:59, and a window that ends at the fire time ends the second before it, so
/// that fire after fire the windows follow each other without gap or overlap:
/// - `previous_day`: the day before the fire day, 00:00:00 to 23:59:59;
/// - `today`: the fire day's 00:00:00 to the second before the fire;
/// - `last_hours:N`: N hours before the fire to the second before it;
/// - `last_days:N`: the N whole days before the fire day;
/// - `since_last_success`: the second after `coveredTo` (the latest `to_time` of the dealer's
///   and type's completed jobs, which was fetched) to the second before the fire; when there is
///   none, or it lies more than 366 × 24 hours before the fire, the `fallbackDays` (1–366) whole
///   days before the fire day.
/// A window that would end before it starts (`today` fired at midnight, a `coveredTo` at or
/// after the fire) is the second before the fire alone; none covers more than MaxWindowDays × 24
/// hours, the limit of a job (366 days that hold two autumn changes start an hour later).
/// An invalid zone reads as UTC.
TimeWindow computeWindow(const WindowRule &rule, const QDateTime &fire, const QTimeZone &zone,
                         std::optional<QDateTime> coveredTo = std::nullopt, int fallbackDays = 1);
