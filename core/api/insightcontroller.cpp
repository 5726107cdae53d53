#include "api/insightcontroller.h"

#include "api/apicontext.h"
#include "api/apirequest_p.h"
#include "job/insight.h"
#include "job/timeformat.h"
#include "job/validation.h"
#include "queue/queueoperations.h"

#include <QJsonArray>
#include <QTimeZone>

namespace {

QJsonValue seconds(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

} // namespace

InsightController::InsightController(ApiContext &context)
    : m_context(context)
{}

const QStringList &InsightController::statsParameters()
{
    static const QStringList names{QStringLiteral("range")};
    return names;
}

ApiResponse InsightController::stats(const ApiRequest &request, qint64 nowMs)
{
    StatsRange range = StatsRange::Hours24;
    if (request.query.hasQueryItem(QStringLiteral("range"))) {
        const QString text =
            request.query.queryItemValue(QStringLiteral("range"), QUrl::FullyDecoded);
        const std::optional<StatsRange> parsed = parseStatsRange(text);
        if (!parsed) {
            Problems problems;
            problems.add(QStringLiteral("invalid_parameter"), QStringLiteral("range"),
                         QStringLiteral("range=\"%1\" is not a range; use 24h (hourly) or 30d "
                                        "(daily)")
                             .arg(printableText(text.left(100))));
            return problems.response();
        }
        range = *parsed;
    }
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<QVector<StatsBucket>> buckets =
        queue->stats(range, QTimeZone::systemTimeZone(), nowMs);
    if (!buckets.ok())
        return storeFailure(buckets.error);
    QJsonArray list;
    for (const StatsBucket &b : std::as_const(*buckets.value))
        list.append(QJsonObject{{QStringLiteral("start"), formatTimestamp(b.startMs)},
                                {QStringLiteral("completed"), b.completed},
                                {QStringLiteral("failed"), b.failed},
                                {QStringLiteral("cancelled"), b.cancelled},
                                {QStringLiteral("fetched"), b.fetched},
                                {QStringLiteral("p50_s"), seconds(b.p50Seconds)},
                                {QStringLiteral("p95_s"), seconds(b.p95Seconds)}});
    return ApiResponse::json(200, {{QStringLiteral("buckets"), list}});
}

const QStringList &InsightController::coverageParameters()
{
    static const QStringList names{QStringLiteral("fetch_type"), QStringLiteral("state"),
                                   QStringLiteral("limit"), QStringLiteral("offset")};
    return names;
}

ApiResponse InsightController::coverage(const ApiRequest &request, qint64 nowMs)
{
    Problems problems;
    CoverageFilter filter;
    const std::optional<int> limit = queryInt(request.query, QStringLiteral("limit"), 1,
                                              ApiHandler::MaxListLimit, 100, &problems);
    const std::optional<int> offset =
        queryInt(request.query, QStringLiteral("offset"), 0, 1000000000, 0, &problems);
    const QStringList &types = m_context.config.fetchTypes;
    if (request.query.hasQueryItem(QStringLiteral("fetch_type"))) {
        filter.fetchType =
            request.query.queryItemValue(QStringLiteral("fetch_type"), QUrl::FullyDecoded);
        if (!types.contains(filter.fetchType))
            problems.add(QStringLiteral("invalid_parameter"), QStringLiteral("fetch_type"),
                         QStringLiteral("fetch_type=\"%1\" is not a configured fetch type; use "
                                        "one of %2")
                             .arg(printableText(filter.fetchType.left(100)),
                                  types.join(QStringLiteral(", "))));
    }
    if (request.query.hasQueryItem(QStringLiteral("state"))) {
        const QString text =
            request.query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded);
        const std::optional<CoverageState> state = parseCoverageState(text);
        if (!state)
            problems.add(QStringLiteral("invalid_parameter"), QStringLiteral("state"),
                         QStringLiteral("state=\"%1\" is not a state; use stale, failing or never")
                             .arg(printableText(text.left(100))));
        else
            filter.state = *state;
    }
    if (!problems.isEmpty())
        return problems.response();
    filter.limit = *limit;
    filter.offset = *offset;
    filter.staleBeforeMs = nowMs - qint64(m_context.config.coverageStaleHours) * 3600 * 1000;
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<CoveragePage> page = queue->coverage(filter);
    if (!page.ok())
        return storeFailure(page.error);
    const auto timestamp = [](const std::optional<qint64> &ms) {
        return ms ? QJsonValue(formatTimestamp(*ms)) : QJsonValue(QJsonValue::Null);
    };
    QJsonArray rows;
    for (const CoverageRow &row : std::as_const(page.value->rows))
        rows.append(QJsonObject{{QStringLiteral("dealer_id"), row.dealerId},
                                {QStringLiteral("fetch_type"), row.fetchType},
                                {QStringLiteral("last_success_at"), timestamp(row.lastSuccessMs)},
                                {QStringLiteral("covered_to"), timestamp(row.coveredToMs)},
                                {QStringLiteral("records"), row.records},
                                {QStringLiteral("last_status"), row.lastStatus},
                                {QStringLiteral("last_error"), row.lastError.isEmpty()
                                                                   ? QJsonValue(QJsonValue::Null)
                                                                   : QJsonValue(row.lastError)}});
    return ApiResponse::json(200, {{QStringLiteral("rows"), rows},
                                   {QStringLiteral("total"), page.value->total},
                                   {QStringLiteral("limit"), filter.limit},
                                   {QStringLiteral("offset"), filter.offset}});
}
