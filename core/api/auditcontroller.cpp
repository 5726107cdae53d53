#include "api/auditcontroller.h"

#include "api/apicontext.h"
#include "api/apirequest_p.h"
#include "job/audit.h"
#include "job/jobjson.h"
#include "job/timeformat.h"
#include "job/validation.h"
#include "queue/queueoperations.h"

#include <QJsonArray>

namespace {

QJsonObject entryToJson(const AuditEntry &entry)
{
    return {{QStringLiteral("at"), formatTimestamp(entry.atMs)},
            {QStringLiteral("actor"), entry.actor},
            {QStringLiteral("action"), entry.action},
            {QStringLiteral("job_ids"), jobIdsToJson(entry.jobIds)},
            {QStringLiteral("count"), entry.count},
            {QStringLiteral("detail"), entry.detail}};
}

} // namespace

AuditController::AuditController(ApiContext &context)
    : m_context(context)
{}

const QStringList &AuditController::parameters()
{
    static const QStringList names{QStringLiteral("limit"), QStringLiteral("offset"),
                                   QStringLiteral("action"), QStringLiteral("actor")};
    return names;
}

ApiResponse AuditController::audit(const ApiRequest &request)
{
    Problems problems;
    AuditFilter filter;
    const std::optional<int> limit = queryInt(request.query, QStringLiteral("limit"), 1,
                                              ApiHandler::MaxListLimit, 100, &problems);
    const std::optional<int> offset =
        queryInt(request.query, QStringLiteral("offset"), 0, 1000000000, 0, &problems);
    if (request.query.hasQueryItem(QStringLiteral("action"))) {
        filter.action = request.query.queryItemValue(QStringLiteral("action"), QUrl::FullyDecoded);
        if (!AuditAction::all().contains(filter.action))
            problems.add(QStringLiteral("invalid_parameter"), QStringLiteral("action"),
                         QStringLiteral("action=\"%1\" is not an audited action; use one of %2")
                             .arg(printableText(filter.action.left(100)),
                                  AuditAction::all().join(QStringLiteral(", "))));
    }
    if (request.query.hasQueryItem(QStringLiteral("actor"))) {
        filter.actor = request.query.queryItemValue(QStringLiteral("actor"), QUrl::FullyDecoded);
        if (filter.actor.isEmpty() || filter.actor.size() > MaxActorLength)
            problems.add(QStringLiteral("invalid_parameter"), QStringLiteral("actor"),
                         QStringLiteral("actor must be 1 to %1 characters, e.g. "
                                        "api:NAME or window:USER@HOST")
                             .arg(MaxActorLength));
    }
    if (!problems.isEmpty())
        return problems.response();
    filter.limit = *limit;
    filter.offset = *offset;
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<AuditPage> page = queue->audit(filter);
    if (!page.ok())
        return storeFailure(page.error);
    QJsonArray entries;
    for (const AuditEntry &entry : std::as_const(page.value->entries))
        entries.append(entryToJson(entry));
    return ApiResponse::json(200, {{QStringLiteral("entries"), entries},
                                   {QStringLiteral("total"), page.value->total},
                                   {QStringLiteral("limit"), filter.limit},
                                   {QStringLiteral("offset"), filter.offset}});
}
