#include "api/queuecontroller.h"

#include "api/apicontext.h"
#include "api/apirequest_p.h"
#include "job/jobjson.h"
#include "job/jobrequest.h"
#include "job/validation.h"
#include "queue/queueoperations.h"
#include "source/pagedecoder.h"
#include "store/jobstore.h"

#include <limits>
#include <utility>

#include <QJsonDocument>
#include <QSqlQuery>

struct QueueController::StatusCache
{
    int limit = -1;
    QString version; ///< of the database when read; empty: not to be reused
    quint64 writes = 0;
    quint64 opens = 0;
    QueueStatus status;
    QByteArray queuedJson; ///< queued jobs' JSON does not depend on the time: no duration
};

QueueController::QueueController(ApiContext &context)
    : m_statusCache(std::make_unique<StatusCache>())
    , m_context(context)
{}

QueueController::~QueueController() = default;

ApiResponse QueueController::queueOne(const QJsonObject &object, bool legacy)
{
    ApiResponse failure;
    Problems problems;
    FieldReader reader(object, &problems);
    reader.refuseUnknown({QStringLiteral("dealer_id"), QStringLiteral("fetch_type"),
                          QStringLiteral("from_time"), QStringLiteral("to_time"),
                          QStringLiteral("priority"), QStringLiteral("run_next")});
    JobRequest jobRequest;
    bool dealerGiven = false;
    const QString dealerId = reader.string(QStringLiteral("dealer_id"), true, &dealerGiven);
    jobRequest.fetchType = reader.string(QStringLiteral("fetch_type"), true);
    jobRequest.from = reader.string(QStringLiteral("from_time"), false);
    jobRequest.to = reader.string(QStringLiteral("to_time"), false);
    jobRequest.priority = reader.integer(QStringLiteral("priority"), -1000000, 1000000, 0);
    jobRequest.runNext = reader.boolean(QStringLiteral("run_next")) || legacy;
    jobRequest.dealerIds = QStringList{dealerId};
    if (dealerGiven) {
        // The same rules as a list: surrounding blanks dropped, then checked.
        const DealerIdList checked = checkDealerIds(jobRequest.dealerIds);
        if (checked.valid.isEmpty())
            problems.add(QStringLiteral("invalid_field"), QStringLiteral("dealer_id"),
                         checked.invalid.isEmpty() ? QStringLiteral("dealer_id is blank")
                                                   : checked.invalid.first().reason);
    }
    QVector<FieldError> errors;
    const std::optional<PreparedJobs> prepared =
        prepareJobs(jobRequest, m_context.config.fetchTypes, nowMs(), &errors);
    if (!prepared) {
        // Type problems already named the field; add only what they did not cover.
        for (const FieldError &error : errors) {
            if (error.field == QLatin1String("dealer_id"))
                continue;
            if (error.field == QLatin1String("fetch_type") && jobRequest.fetchType.isEmpty())
                continue;
            problems.add(QStringLiteral("invalid_field"), error.field, error.message);
        }
        if (problems.isEmpty()) {
            for (const FieldError &error : errors)
                problems.add(QStringLiteral("invalid_field"), error.field, error.message);
        }
    }
    if (!problems.isEmpty())
        return problems.response();

    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    NewJob job = prepared->common;
    job.dealerId = prepared->dealerIds.value(0);
    const QueueResult<AddOutcome> added = queue->add(job);
    if (!added.ok())
        return storeFailure(added.error);
    const std::optional<AddOutcome> &outcome = added.value;
    QJsonObject body = jobToJson(outcome->job, nowMs());
    body.insert(QStringLiteral("duplicate"), outcome->duplicate);
    if (legacy)
        body.insert(QStringLiteral("deprecated"), true);
    ApiResponse response = ApiResponse::json(outcome->duplicate ? 200 : 201, body);
    if (legacy)
        response.headers.push_back({"Deprecation", "true"});
    return response;
}

ApiResponse QueueController::queueBulk(const QJsonObject &object, bool legacy)
{
    ApiResponse failure;
    const QJsonValue idsValue = object.value(QStringLiteral("dealer_ids"));
    if (idsValue.isArray() && idsValue.toArray().size() > ApiHandler::MaxDealerIds)
        return ApiResponse::error(413, QStringLiteral("too_many_ids"),
                                  QStringLiteral("%1 dealer IDs in one call; at most %2 are "
                                                 "accepted: split the list")
                                      .arg(idsValue.toArray().size())
                                      .arg(ApiHandler::MaxDealerIds),
                                  QStringLiteral("dealer_ids"));
    Problems problems;
    FieldReader reader(object, &problems);
    reader.refuseUnknown({QStringLiteral("dealer_ids"), QStringLiteral("fetch_type"),
                          QStringLiteral("from_time"), QStringLiteral("to_time"),
                          QStringLiteral("priority"), QStringLiteral("partial"),
                          QStringLiteral("run_next")});
    JobRequest jobRequest;
    if (idsValue.isUndefined() || idsValue.isNull()) {
        problems.add(QStringLiteral("missing_field"), QStringLiteral("dealer_ids"),
                     QStringLiteral("dealer_ids is required: a list of dealer IDs"));
    } else if (!idsValue.isArray()) {
        problems.add(QStringLiteral("wrong_type"), QStringLiteral("dealer_ids"),
                     QStringLiteral("dealer_ids must be an array of strings, not %1")
                         .arg(jsonTypeName(idsValue)));
    } else {
        const QJsonArray ids = idsValue.toArray();
        for (int i = 0; i < ids.size(); ++i) {
            if (ids.at(i).isString()) {
                jobRequest.dealerIds << ids.at(i).toString();
                continue;
            }
            problems.add(QStringLiteral("wrong_type"), QStringLiteral("dealer_ids"),
                         QStringLiteral("dealer_ids[%1] must be a string, not %2%3")
                             .arg(i)
                             .arg(jsonTypeName(ids.at(i)),
                                  ids.at(i).isDouble()
                                      ? QStringLiteral(" (write IDs in quotes, so that "
                                                       "leading zeros are kept)")
                                      : QString()),
                         {{QStringLiteral("index"), i}});
        }
    }
    jobRequest.fetchType = reader.string(QStringLiteral("fetch_type"), true);
    jobRequest.from = reader.string(QStringLiteral("from_time"), false);
    jobRequest.to = reader.string(QStringLiteral("to_time"), false);
    jobRequest.priority = reader.integer(QStringLiteral("priority"), -1000000, 1000000, 0);
    jobRequest.partial = reader.boolean(QStringLiteral("partial"));
    jobRequest.runNext = reader.boolean(QStringLiteral("run_next")) || legacy;

    const DealerIdList checked = checkDealerIds(jobRequest.dealerIds);
    if (idsValue.isArray() && problems.isEmpty() && checked.valid.isEmpty() &&
        checked.invalid.isEmpty())
        problems.add(QStringLiteral("invalid_field"), QStringLiteral("dealer_ids"),
                     QStringLiteral("no dealer ID given"));
    if (!jobRequest.partial || checked.valid.isEmpty()) {
        for (const DealerIdList::Invalid &bad : checked.invalid)
            problems.add(QStringLiteral("invalid_dealer_id"), QStringLiteral("dealer_ids"),
                         bad.reason, {{QStringLiteral("dealer_id"), bad.id}});
    }
    QVector<FieldError> errors;
    const std::optional<PreparedJobs> prepared =
        prepareJobs(jobRequest, m_context.config.fetchTypes, nowMs(), &errors);
    if (!prepared) {
        for (const FieldError &error : errors) {
            if (error.field == QLatin1String("fetch_type") && jobRequest.fetchType.isEmpty())
                continue;
            if (error.field != QLatin1String("dealer_id"))
                problems.add(QStringLiteral("invalid_field"), error.field, error.message);
        }
        if (problems.isEmpty()) {
            for (const FieldError &error : errors)
                problems.add(QStringLiteral("invalid_field"), QStringLiteral("dealer_ids"),
                             error.message);
        }
    }
    if (!problems.isEmpty())
        return problems.response();

    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<BulkOutcome> added = queue->addMany(prepared->dealerIds, prepared->common);
    if (!added.ok())
        return storeFailure(added.error);
    const std::optional<BulkOutcome> &outcome = added.value;
    const QJsonArray ids = jobIdsToJson(outcome->jobIds);
    QJsonArray skipped = skippedToJson(outcome->skipped);
    for (const DealerIdList::Invalid &bad : prepared->invalid)
        skipped.push_back(QJsonObject{{QStringLiteral("dealer_id"), bad.id},
                                      {QStringLiteral("reason"), bad.reason}});
    QJsonObject body{{QStringLiteral("job_ids"), ids},
                     {QStringLiteral("added"), ids.size()},
                     {QStringLiteral("skipped"), skipped}};
    if (legacy)
        body.insert(QStringLiteral("deprecated"), true);
    ApiResponse response = ApiResponse::json(ids.isEmpty() ? 200 : 201, body);
    if (legacy)
        response.headers.push_back({"Deprecation", "true"});
    return response;
}

ApiResponse QueueController::queueStatus(const ApiRequest &request)
{
    Problems problems;
    const std::optional<int> limit = queryInt(request.query, QStringLiteral("limit"), 0,
                                              ApiHandler::MaxListLimit, 100, &problems);
    if (!limit)
        return problems.response();
    ApiResponse failure;
    JobStore *s = m_context.store(&failure);
    if (!s)
        return failure;
    // Scripts poll this: reuse the last read while nothing has been committed since, which one
    // cheap read tells. SQLite's data_version changes with every other connection's commit;
    // PostgreSQL's snapshot (its oldest running transaction, the next one's number and those
    // running between) changes with every transaction that starts writing or ends anywhere on
    // the server, and two reads under equal snapshots see the same rows.
    QString version;
    {
        QSqlQuery q(s->database().db());
        if (q.exec(s->database().isSqlite()
                       ? QStringLiteral("PRAGMA data_version")
                       : QStringLiteral("SELECT pg_current_snapshot()::text")) &&
            q.next())
            version = q.value(0).toString();
    }
    StatusCache &cache = *m_statusCache;
    if (version.isEmpty() || cache.version != version || cache.limit != *limit ||
        cache.writes != m_context.writes || cache.opens != m_context.opens) {
        StoreError error;
        std::optional<QueueStatus> status = s->queueStatus(*limit, &error);
        if (!status) {
            cache.version.clear();
            return storeFailure(error);
        }
        cache.status = std::move(*status);
        cache.queuedJson =
            QJsonDocument(jobArray(cache.status.queued, 0)).toJson(QJsonDocument::Compact);
        cache.limit = *limit;
        cache.version = version;
        cache.writes = m_context.writes;
        cache.opens = m_context.opens;
    }
    const QueueStatus &status = cache.status;
    const QJsonObject rest{
        {QStringLiteral("current_job"),
         status.current ? QJsonValue(jobToJson(*status.current, nowMs())) : QJsonValue()},
        {QStringLiteral("queue_length"), status.queueLength},
        {QStringLiteral("is_processing"), status.current.has_value()},
        {QStringLiteral("is_paused"), status.paused},
        {QStringLiteral("runner"),
         status.runnerHolder.isEmpty() ? QJsonValue() : QJsonValue(status.runnerHolder)}};
    ApiResponse response;
    response.body = QJsonDocument(rest).toJson(QJsonDocument::Compact);
    response.body.chop(1); // the closing brace: queued_jobs goes in as already serialized
    response.body += ",\"queued_jobs\":" + cache.queuedJson + '}';
    return response;
}

ApiResponse QueueController::jobStatus(qint64 id)
{
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<Job> job = queue->job(id);
    if (!job.ok())
        return storeFailure(job.error);
    return ApiResponse::json(200, jobToJson(*job.value, nowMs()));
}

ApiResponse QueueController::cancel(qint64 id)
{
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const CancelReport report = queue->cancel({id});
    if (!report.errors.isEmpty())
        return storeFailure(report.errors.first(), QStringLiteral("already_finished"));
    const QueueResult<Job> job = queue->job(id);
    if (!job.ok())
        return storeFailure(job.error);
    return ApiResponse::json(report.aborting.isEmpty() ? 200 : 202, jobToJson(*job.value, nowMs()));
}

ApiResponse QueueController::clearCompleted()
{
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<qint64> removed = queue->clearFinished();
    if (!removed.ok())
        return storeFailure(removed.error);
    return ApiResponse::json(200, {{QStringLiteral("removed"), *removed.value}});
}

ApiResponse QueueController::retry(qint64 id)
{
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const RetryReport report = queue->retry({id});
    if (!report.errors.isEmpty())
        return storeFailure(report.errors.first(), QStringLiteral("not_retryable"));
    return ApiResponse::json(200, jobToJson(report.retried.first(), nowMs()));
}

ApiResponse QueueController::setPaused(bool paused)
{
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<bool> done = queue->setPaused(paused);
    if (!done.ok())
        return storeFailure(done.error);
    return ApiResponse::json(200, {{QStringLiteral("is_paused"), paused}});
}

namespace {

/// A bulk action's optional `expected`: the count the caller was shown and means to act on. More
/// matching when it runs changes nothing (409, naming `expected`); fewer is let through.
std::optional<qint64> expectedCount(const QJsonObject &object, FieldReader *reader)
{
    const QJsonValue value = object.value(QStringLiteral("expected"));
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    return reader->integer(QStringLiteral("expected"), 0, std::numeric_limits<int>::max(), 0);
}

/// storeFailure(), with the store's refusal for more jobs than confirmed named as the
/// request's field.
ApiResponse bulkFailure(StoreError error)
{
    if (error.kind == StoreError::Kind::Conflict && error.field == QLatin1String("confirmed"))
        error.field = QStringLiteral("expected");
    return storeFailure(error);
}

} // namespace

ApiResponse QueueController::retryMatching(const QJsonObject &object)
{
    Problems problems;
    FieldReader reader(object, &problems);
    const QStringList fields{QStringLiteral("dealer_id"), QStringLiteral("fetch_type"),
                             QStringLiteral("error_category"), QStringLiteral("finished_after"),
                             QStringLiteral("finished_before")};
    reader.refuseUnknown(QStringList{QStringLiteral("status"), QStringLiteral("expected")} +
                         fields);
    const std::optional<qint64> expected = expectedCount(object, &reader);
    HistoryFilter filter;
    const QJsonValue statusValue = object.value(QStringLiteral("status"));
    if (statusValue.isArray()) {
        const QJsonArray names = statusValue.toArray();
        for (int i = 0; i < names.size(); ++i) {
            const std::optional<JobStatus> status = jobStatusFromString(names.at(i).toString());
            if (!names.at(i).isString() ||
                (status != JobStatus::Failed && status != JobStatus::Cancelled)) {
                problems.add(
                    QStringLiteral("invalid_field"), QStringLiteral("status"),
                    QStringLiteral("status[%1] must be \"failed\" or \"cancelled\"").arg(i));
                break;
            }
            if (!filter.statuses.contains(*status))
                filter.statuses.push_back(*status);
        }
        if (names.isEmpty())
            problems.add(QStringLiteral("invalid_field"), QStringLiteral("status"),
                         QStringLiteral("status is an empty list; give failed, cancelled or "
                                        "both, or leave it out for failed"));
    } else if (!statusValue.isUndefined() && !statusValue.isNull()) {
        problems.add(QStringLiteral("wrong_type"), QStringLiteral("status"),
                     QStringLiteral("status must be a list such as [\"failed\", "
                                    "\"cancelled\"], not %1")
                         .arg(jsonTypeName(statusValue)));
    }
    const FilterValue value = [&reader](const QString &key) -> std::optional<QString> {
        bool given = false;
        const QString text = reader.string(key, false, &given);
        return given ? std::optional<QString>(text) : std::nullopt;
    };
    readHistoryFilter(value, fields, m_context.config.fetchTypes, &filter, &problems,
                      QStringLiteral("invalid_field"));
    if (!problems.isEmpty())
        return problems.response();
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<BulkRetryReport> done = queue->retryMatching(filter, expected);
    if (!done.ok())
        return bulkFailure(done.error);
    return ApiResponse::json(200,
                             {{QStringLiteral("retried"), done.value->jobIds.size()},
                              {QStringLiteral("job_ids"), jobIdsToJson(done.value->jobIds)},
                              {QStringLiteral("skipped"), skippedToJson(done.value->skipped)}});
}

ApiResponse QueueController::cancelMatching(const QJsonObject &object)
{
    Problems problems;
    FieldReader reader(object, &problems);
    reader.refuseUnknown({QStringLiteral("dealer_id"), QStringLiteral("fetch_type"),
                          QStringLiteral("priority"), QStringLiteral("all"),
                          QStringLiteral("expected")});
    const std::optional<qint64> expected = expectedCount(object, &reader);
    QueuedFilter filter;
    bool dealerGiven = false;
    filter.dealerId = reader.string(QStringLiteral("dealer_id"), false, &dealerGiven);
    QString reason;
    if (dealerGiven && !validateDealerId(filter.dealerId, &reason))
        problems.add(QStringLiteral("invalid_field"), QStringLiteral("dealer_id"), reason);
    bool typeGiven = false;
    filter.fetchType = reader.string(QStringLiteral("fetch_type"), false, &typeGiven);
    if (typeGiven && !validateFetchType(filter.fetchType, m_context.config.fetchTypes, &reason))
        problems.add(QStringLiteral("invalid_field"), QStringLiteral("fetch_type"), reason);
    const QJsonValue priority = object.value(QStringLiteral("priority"));
    if (!priority.isUndefined() && !priority.isNull())
        filter.priority = reader.integer(QStringLiteral("priority"), -1000000, 1000000, 0);
    filter.all = reader.boolean(QStringLiteral("all"));
    if (problems.isEmpty() && !filter.hasField() && !filter.all)
        problems.add(QStringLiteral("missing_field"), QStringLiteral("all"),
                     QStringLiteral("name dealer_id, fetch_type or priority, or give \"all\": "
                                    "true to cancel every queued job"));
    if (!problems.isEmpty())
        return problems.response();
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<BulkReport> done = queue->cancelMatching(filter, expected);
    if (!done.ok())
        return bulkFailure(done.error);
    return ApiResponse::json(200, {{QStringLiteral("cancelled"), done.value->jobIds.size()},
                                   {QStringLiteral("job_ids"), jobIdsToJson(done.value->jobIds)}});
}
