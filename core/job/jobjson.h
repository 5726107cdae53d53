#pragma once

#include "job/job.h"

#include <QJsonObject>

/// The flat JSON object of SPEC §4 for `job`, every field of SPEC §1; `nowMs` times a running
/// job's duration.
QJsonObject jobToJson(const Job &job, qint64 nowMs);
/// `{"pages","fetched","inserted","updated","unchanged"}`.
QJsonObject jobResultToJson(const JobResult &result);
/// `{"message","category"}`.
QJsonObject jobErrorToJson(const JobError &error);
