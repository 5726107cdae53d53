#pragma once

#include "job/job.h"
#include "job/queuetypes.h"

#include <QJsonArray>

#include <QJsonObject>

/// The flat JSON object of SPEC §4 for `job`, every field of SPEC §1; `nowMs` times a running
/// job's duration.
QJsonObject jobToJson(const Job &job, qint64 nowMs);
/// `{"pages","fetched","inserted","updated","unchanged"}`.
QJsonObject jobResultToJson(const JobResult &result);
/// `{"message","category"}`.
QJsonObject jobErrorToJson(const JobError &error);
/// A list of job IDs, as the bulk calls answer them (`job_ids`).
QJsonArray jobIdsToJson(const QVector<qint64> &ids);
/// The dealers a bulk add left out: `[{"dealer_id","reason","existing_job_id"}]`.
QJsonArray skippedToJson(const QVector<BulkOutcome::Skipped> &skipped);
/// The jobs a bulk retry left out: `[{"job_id","reason","existing_job_id"}]`.
QJsonArray skippedToJson(const QVector<BulkRetryReport::Skipped> &skipped);
