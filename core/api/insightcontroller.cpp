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
