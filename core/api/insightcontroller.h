#pragma once

#include "api/apirequest.h"

#include <QStringList>

class ApiContext;

/// SPEC §10 ("Insight"): `GET /stats?range=24h|30d`, the finished jobs by hour or day in the
/// local zone, and `GET /dealers/coverage`, how far each dealer's data is fetched, through the
/// queue's named reads.
class InsightController final
{
    Q_DISABLE_COPY_MOVE(InsightController)

public:
    explicit InsightController(ApiContext &context);

    /// The query parameters `GET /stats` takes.
    static const QStringList &statsParameters();

    /// `range` defaults to `24h`; the buckets end with the current hour or day at `nowMs`.
    ApiResponse stats(const ApiRequest &request, qint64 nowMs);

    /// The query parameters `GET /dealers/coverage` takes.
    static const QStringList &coverageParameters();

    /// `GET /dealers/coverage?fetch_type=&state=&limit=&offset=`: a page of the dealers and
    /// types that have any job, ordered by dealer and type, with the total; `state=stale` by
    /// `[coverage] stale_hours` before `nowMs`.
    ApiResponse coverage(const ApiRequest &request, qint64 nowMs);

private:
    ApiContext &m_context;
};
