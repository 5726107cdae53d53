#pragma once

#include "api/apirequest.h"

#include <functional>
#include <memory>
#include <optional>

#include <QByteArray>
#include <QHash>
#include <QStringList>

class ApiContext;
class ApiMetrics;
class AuditController;
class InsightController;
class HistoryController;
class JobStore;
class MetricsController;
class QueueController;
class ScheduleController;
class SchedulerClock;
struct ApiTokenInfo;

/// The REST API of SPEC §4 (and §6's schedules) as a routing table: request in, status and JSON
/// out, on the JobStore of the calling thread. It checks the token, the route, the query's
/// parameters and the JSON body, then hands the call to the controller of its area (queue,
/// history, metrics, schedules). It knows nothing of sockets, so it is tested directly; ApiServer
/// carries it over HTTP. A caller is the single token (named `default`, role `operate`) or a
/// named token of the database (TokenStore), looked up on every request so that one added or
/// revoked elsewhere counts at once; a `read` token gets 403 on anything but GET. An address
/// with more than MaxFailedAuthentications wrong tokens within FailureWindowMs gets 429 for
/// BlockMs (SPEC §8). Every queue operation goes through the store and prepareJobs(), the same
/// rules as the window and the command line.
class ApiHandler final
{
    Q_DISABLE_COPY_MOVE(ApiHandler)

public:
    static constexpr qint64 MaxBodyBytes = 1024 * 1024;
    static constexpr int MaxDealerIds = 10000;
    static constexpr int MaxListLimit = 1000;
    static constexpr int MaxFailedAuthentications = 20;
    static constexpr qint64 FailureWindowMs = 60 * 1000;
    static constexpr qint64 BlockMs = 60 * 1000;
    /// A named token's `last used` is written at most this often (a GET would write each time).
    static constexpr qint64 LastUsedIntervalMs = 60 * 1000;

    struct Config
    {
        QStringList fetchTypes;
        /// `[coverage] stale_hours` (SPEC §10): what `state=stale` means.
        int coverageStaleHours = 26;
        /// The single token (`default`, role `operate`); read on every request, so a new token
        /// is in effect at once. Empty: only named tokens let anyone in.
        std::function<QByteArray()> token;
        /// The clock of the throttling and of `last used`; null: the system's.
        const SchedulerClock *clock = nullptr;
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
    /// Who sent `request`; nothing with *refused set (401, 429, or the database's failure).
    std::optional<ApiTokenInfo> authenticate(const ApiRequest &request, ApiResponse *refused);
    qint64 nowMs() const;
    /// A 429 while `peer` is blocked.
    std::optional<ApiResponse> throttled(const QString &peer, qint64 now);
    /// Counts a failed authentication of `peer`; true when that blocks it.
    bool countFailure(const QString &peer, qint64 now);
    void noteUse(const QString &tokenName, qint64 now);

    struct Failures
    {
        QList<qint64> at; ///< failures within the window, oldest first
        qint64 blockedUntil = 0;
    };

    std::unique_ptr<ApiContext> m_context;
    std::unique_ptr<QueueController> m_queue;
    std::unique_ptr<HistoryController> m_history;
    std::unique_ptr<MetricsController> m_metrics;
    std::unique_ptr<ScheduleController> m_schedules;
    std::unique_ptr<AuditController> m_audit;
    std::unique_ptr<InsightController> m_insight;
    QHash<QString, Failures> m_failures;      ///< by the client's address
    QHash<QString, qint64> m_lastUsedWritten; ///< by token name
};
