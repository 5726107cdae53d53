#pragma once

#include "job/validation.h"

#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

/// What a schedule does about slots that fell while no instance ran (SPEC §6 `catch_up`).
enum class CatchUp
{
    Once, ///< the latest missed slot fires once at start
    Skip  ///< missed slots never fire
};
QString catchUpName(CatchUp catchUp);
std::optional<CatchUp> catchUpFromString(const QString &name);

inline constexpr int MaxScheduleNameLength = 64;
inline constexpr int MaxScheduleDealers = 10000;
inline constexpr int MaxSchedulePriority = 1000000; ///< as a job's priority through the API

/// A recurring fetch (SPEC §6), as stored. Times in ms since the epoch.
struct Schedule
{
    qint64 id = 0;
    QString name;
    QString cron;     ///< five fields, as CronExpression reads them
    QString timezone; ///< IANA zone the cron is read in
    QStringList dealerIds;
    QStringList fetchTypes;
    QString window = QStringLiteral("previous_day"); ///< a WindowRule, as written
    int fallbackDays = 1;
    int priority = 0;
    bool enabled = true;
    CatchUp catchUp = CatchUp::Once;
    qint64 createdMs = 0;
    QString createdBy;
    qint64 changedMs = 0;
    /// When it was last enabled (or created): slots before this are never caught up.
    qint64 enabledSinceMs = 0;
    std::optional<qint64> lastFiredMs; ///< when it last fired (a slot or "run now")
    std::optional<qint64> lastSlotMs;  ///< the latest slot dealt with (fired or skipped)
};

/// The next `n` slots of `schedule` after `nowMs` (UTC ms, ascending): those it will fire,
/// after its latest slot dealt with and its (re-)enabling; listed whether or not it is enabled.
QList<qint64> upcomingSlots(const Schedule &schedule, qint64 nowMs, int n);

/// True for a zone a schedule can be read in: one Qt lists, or — since Qt 6.4 lists only the
/// zones of zone.tab, not `Etc/UTC` (Debian's default), `Etc/GMT+5` or links such as
/// `America/Montreal` — any other IANA name the system's database holds (Debian 13 holds
/// `US/Eastern` and the like only with tzdata-legacy). Not the files there that are no IANA name
/// (`localtime`, `posixrules`, `posix/…`, `right/…`, which Qt 6.8 partly lists) nor a path.
bool isScheduleZone(const QString &id);

/// Checks every field an operator or a script sets (name, cron, timezone, dealer IDs, fetch
/// types against `allowedTypes`, window, fallback days, priority) and puts them in their stored
/// form (dealer IDs trimmed, repeats dropped, in the order given; the cron's fields separated by
/// single spaces). On failure returns false with *error naming the field (SPEC §6), e.g.
/// {"cron", "cron: hour: 24 is out of range 0-23"}; `schedule` is then unchanged.
bool validateSchedule(Schedule *schedule, const QStringList &allowedTypes, FieldError *error);
/// Every problem validateSchedule() finds in `schedule`, one per field at fault, in the order it
/// checks them (the first is the one validateSchedule() names): for the API and the command line,
/// which report every problem of a request at once.
QVector<FieldError> scheduleProblems(const Schedule &schedule, const QStringList &allowedTypes);

/// The dealer IDs of a schedule from a pasted or file list (the paste box's and --bulk-file's
/// separators); nothing, with *error naming `dealer_ids`, when one is invalid or there are
/// none or more than MaxScheduleDealers.
std::optional<QStringList> scheduleDealerIds(const QStringList &ids, FieldError *error);
