#pragma once

#include "schedule/schedule.h"

#include <QJsonObject>

/// A schedule as the REST API shows it (SPEC §6): every field, `next_fire_at` (null while
/// disabled or with no slot ahead) and, with `withNextFireTimes`, the cron's next five slots
/// (listed also while disabled) as `next_fire_times`. Times in SPEC §1's format.
QJsonObject scheduleToJson(const Schedule &schedule, qint64 nowMs, bool withNextFireTimes);
