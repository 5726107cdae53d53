#include "api/metricscontroller.h"

#include "api/apicontext.h"
#include "api/apimetrics.h"
#include "api/apirequest_p.h"
#include "store/jobstore.h"

MetricsController::MetricsController(ApiContext &context)
    : m_context(context)
{}

ApiResponse MetricsController::health()
{
    ApiResponse failure;
    bool ok = false;
    if (JobStore *s = m_context.store(&failure)) {
        StoreError error;
        ok = s->isPaused(&error).has_value(); // one indexed read of a tiny table
    }
    return ApiResponse::json(
        200, {{QStringLiteral("status"), QStringLiteral("ok")},
              {QStringLiteral("database"), ok ? QStringLiteral("ok") : QStringLiteral("error")}});
}

ApiResponse MetricsController::metrics()
{
    std::optional<JobCounts> counts;
    std::optional<bool> paused;
    ApiResponse failure;
    if (JobStore *s = m_context.store(&failure)) {
        StoreError error;
        counts = s->counts(nowMs(), &error);
        paused = s->isPaused(&error);
    }
    ApiResponse response;
    response.contentType = "text/plain; version=0.0.4; charset=utf-8";
    response.body = m_context.config.metrics ? m_context.config.metrics->render(counts, paused)
                                             : ApiMetrics().render(counts, paused);
    return response;
}
