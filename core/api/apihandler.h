#pragma once

#include "api/apirequest.h"

#include <functional>
#include <memory>

#include <QByteArray>
#include <QStringList>

class ApiContext;
class ApiMetrics;
class AuditController;
class HistoryController;
class JobStore;
class MetricsController;
class QueueController;
class ScheduleController;

/// The REST API of SPEC §4 (and §6's schedules) as a routing table: request in, status and JSON
/// out, on the JobStore of the calling thread. It checks the token, the route, the query's
/// parameters and the JSON body, then hands the call to the controller of its area (queue,
/// history, metrics, schedules). It knows nothing of sockets, so it is tested directly; ApiServer
/// carries it over HTTP. Every queue operation goes through the store and prepareJobs(), the same
/// rules as the window and the command line.
class ApiHandler final
{
    Q_DISABLE_COPY_MOVE(ApiHandler)

public:
    static constexpr qint64 MaxBodyBytes = 1024 * 1024;
    static constexpr int MaxDealerIds = 10000;
    static constexpr int MaxListLimit = 1000;

    struct Config
    {
        QStringList fetchTypes;
        /// The bearer token every call but /health must carry; read on every request, so a
        /// new token is in effect at once. An empty token lets nobody in.
        std::function<QByteArray()> token;
        /// After a call that changed the queue: wake the runner, refresh the window.
        std::function<void()> queueChanged;
        /// After a cancel of a running job: abort it where it runs.
        std::function<void(qint64)> cancelRunning;
        ApiMetrics *metrics = nullptr; ///< optional: counts answers, renders /metrics
    };

    ApiHandler(JobStore &store, Config config);
    ~ApiHandler();

    ApiResponse handle(const ApiRequest &request);

    /// True when `given` equals `expected`, in time that does not depend on where they differ
    /// or on either length.
    static bool tokensMatch(const QByteArray &given, const QByteArray &expected);

private:
    struct Route;
    static const QList<Route> &routes();
    ApiResponse dispatch(const ApiRequest &request);

    std::unique_ptr<ApiContext> m_context;
    std::unique_ptr<QueueController> m_queue;
    std::unique_ptr<HistoryController> m_history;
    std::unique_ptr<MetricsController> m_metrics;
    std::unique_ptr<ScheduleController> m_schedules;
    std::unique_ptr<AuditController> m_audit;
};
