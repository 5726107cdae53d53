#pragma once

#include "api/apirequest.h"

#include <QStringList>

class ApiContext;

/// SPEC §10 ("Insight"): `GET /stats?range=24h|30d`, the finished jobs by hour or day in the
/// local zone, through the queue's named read.
class InsightController final
{
    Q_DISABLE_COPY_MOVE(InsightController)

public:
    explicit InsightController(ApiContext &context);

    /// The query parameters `GET /stats` takes.
    static const QStringList &statsParameters();

    /// `range` defaults to `24h`; the buckets end with the current hour or day at `nowMs`.
    ApiResponse stats(const ApiRequest &request, qint64 nowMs);

private:
    ApiContext &m_context;
};
