#include "job/jobjson.h"

#include "job/timeformat.h"

#include <optional>

#include <QJsonValue>

namespace {

QJsonValue timeValue(qint64 ms)
{
    return ms == 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(formatTimestamp(ms));
}

} // namespace

QJsonObject jobResultToJson(const JobResult &result)
{
    return {{QStringLiteral("pages"), result.pages},
            {QStringLiteral("fetched"), result.fetched},
            {QStringLiteral("inserted"), result.inserted},
            {QStringLiteral("updated"), result.updated},
            {QStringLiteral("unchanged"), result.unchanged}};
}

QJsonObject jobErrorToJson(const JobError &error)
{
    return {{QStringLiteral("message"), error.message},
            {QStringLiteral("category"), errorCategoryName(error.category)}};
}

QJsonObject jobToJson(const Job &job, qint64 nowMs)
{
    const std::optional<double> duration = job.durationSeconds(nowMs);
    return {
        {QStringLiteral("job_id"), job.id},
        {QStringLiteral("dealer_id"), job.dealerId},
        {QStringLiteral("fetch_type"), job.fetchType},
        {QStringLiteral("from_time"), timeValue(job.fromMs)},
        {QStringLiteral("to_time"), timeValue(job.toMs)},
        {QStringLiteral("status"), jobStatusName(job.status)},
        {QStringLiteral("priority"), job.priority},
        {QStringLiteral("created_at"), timeValue(job.createdMs)},
        {QStringLiteral("started_at"), timeValue(job.startedMs)},
        {QStringLiteral("finished_at"), timeValue(job.finishedMs)},
        {QStringLiteral("duration_s"), duration ? QJsonValue(*duration) : QJsonValue()},
        {QStringLiteral("attempts"), job.attempts},
        {QStringLiteral("cancel_requested"), job.cancelRequested},
        {QStringLiteral("created_by"), job.createdBy},
        {QStringLiteral("progress"),
         job.status == JobStatus::Running && job.progress
             ? QJsonValue(QJsonObject{{QStringLiteral("pages"), job.progress->pages},
                                      {QStringLiteral("fetched"), job.progress->fetched},
                                      {QStringLiteral("phase"), jobPhaseName(job.progress->phase)}})
             : QJsonValue()},
        {QStringLiteral("result"),
         job.result ? QJsonValue(jobResultToJson(*job.result)) : QJsonValue()},
        {QStringLiteral("error"),
         job.error.isNull() ? QJsonValue() : QJsonValue(jobErrorToJson(job.error))},
    };
}

QJsonArray jobIdsToJson(const QVector<qint64> &ids)
{
    QJsonArray array;
    for (qint64 id : ids)
        array.push_back(id);
    return array;
}

QJsonArray skippedToJson(const QVector<BulkOutcome::Skipped> &skipped)
{
    QJsonArray array;
    for (const BulkOutcome::Skipped &skip : skipped)
        array.push_back(QJsonObject{{QStringLiteral("dealer_id"), skip.dealerId},
                                    {QStringLiteral("reason"), skip.reason},
                                    {QStringLiteral("existing_job_id"), skip.existingJobId}});
    return array;
}

QJsonArray skippedToJson(const QVector<BulkRetryReport::Skipped> &skipped)
{
    QJsonArray array;
    for (const BulkRetryReport::Skipped &skip : skipped)
        array.push_back(QJsonObject{{QStringLiteral("job_id"), skip.jobId},
                                    {QStringLiteral("reason"), skip.reason},
                                    {QStringLiteral("existing_job_id"), skip.existingJobId}});
    return array;
}
