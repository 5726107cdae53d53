#pragma once

#include <functional>
#include <memory>

#include <QByteArray>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

class ApiMetrics;
class JobStore;

/// One HTTP request as the REST API sees it, whatever server received it.
struct ApiRequest
{
    QByteArray method; ///< "GET", "POST", ...
    QString path;      ///< decoded, e.g. "/jobs/queue/12/status"
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    /// The first header called `name` (case-insensitive); empty when absent.
    QByteArray header(const QByteArray &name) const;
};

/// The answer to one request: a status, a body (JSON unless said otherwise) and extra headers.
/// A large body comes as a device to stream instead (`stream`, with its size known).
struct ApiResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    std::unique_ptr<QIODevice> stream;
    QList<QPair<QByteArray, QByteArray>> headers;

    static ApiResponse json(int status, const QJsonObject &object);
    /// `{"error":{"code","message","field"[,"details"]}}` (SPEC §4).
    static ApiResponse error(int status, const QString &code, const QString &message,
                             const QString &field = {}, const QJsonArray &details = {});
};

/// The REST API of SPEC §4 as a routing table and its handlers: request in, status and JSON
/// out, on the JobStore of the calling thread. It knows nothing of sockets, so it is tested
/// directly; ApiServer carries it over HTTP. Every queue operation goes through the store and
/// prepareJobs(), the same rules as the window and the command line.
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

    ApiResponse health();
    ApiResponse metrics();
    ApiResponse queueOne(const QJsonObject &body, bool legacy);
    ApiResponse queueBulk(const QJsonObject &body, bool legacy);
    ApiResponse queueStatus(const ApiRequest &request);
    ApiResponse jobStatus(qint64 id);
    ApiResponse cancel(qint64 id);
    ApiResponse clearCompleted();
    ApiResponse retry(qint64 id);
    ApiResponse setPaused(bool paused);
    ApiResponse history(const ApiRequest &request);
    ApiResponse historyCsv(const ApiRequest &request);

    /// The store, reopened first if its connection was lost; null with *response set when the
    /// database cannot be reached.
    JobStore *store(ApiResponse *response);

    /// On SQLite, the last status read, reused while the database is unchanged: PRAGMA
    /// data_version tells another connection's commits, `m_writes` this one's.
    struct StatusCache;
    std::unique_ptr<StatusCache> m_statusCache;
    quint64 m_writes = 0;
    quint64 m_opens = 0;

    JobStore &m_store;
    Config m_config;
};
