#pragma once

#include "api/apirequest.h"

class ApiContext;

/// `GET /health` (the process answers; is the database reachable?) and `GET /metrics` (the
/// Prometheus text of the store's counts and ApiMetrics), on the context's store.
class MetricsController final
{
    Q_DISABLE_COPY_MOVE(MetricsController)

public:
    explicit MetricsController(ApiContext &context);

    ApiResponse health();
    ApiResponse metrics();

private:
    ApiContext &m_context;
};
