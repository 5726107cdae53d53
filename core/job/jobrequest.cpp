#include "job/jobrequest.h"

std::optional<PreparedJobs> prepareJobs(const JobRequest &request, const QStringList &fetchTypes,
                                        qint64 nowMs, QVector<FieldError> *errors)
{
    QVector<FieldError> found;
    PreparedJobs prepared;

    const DealerIdList ids = checkDealerIds(request.dealerIds);
    prepared.dealerIds = ids.valid;
    prepared.repeats = ids.duplicates;
    if (ids.valid.isEmpty() && ids.invalid.isEmpty())
        found.push_back({QStringLiteral("dealer_id"), QStringLiteral("no dealer ID given")});
    if (!ids.invalid.isEmpty()) {
        if (request.partial)
            prepared.invalid = ids.invalid;
        else
            for (const DealerIdList::Invalid &bad : ids.invalid)
                found.push_back({QStringLiteral("dealer_id"), bad.reason});
    }

    QString reason;
    if (!validateFetchType(request.fetchType, fetchTypes, &reason))
        found.push_back({QStringLiteral("fetch_type"), reason});

    FieldError windowError;
    const std::optional<TimeWindow> window =
        resolveTimeWindow(request.from, request.to, nowMs, &windowError);
    if (!window)
        found.push_back(windowError);

    if (!found.isEmpty()) {
        if (errors)
            *errors = found;
        return std::nullopt;
    }
    prepared.common.fetchType = request.fetchType;
    prepared.common.fromMs = window->fromMs;
    prepared.common.toMs = window->toMs;
    prepared.common.priority = request.priority;
    prepared.common.runNext = request.runNext;
    return prepared;
}
