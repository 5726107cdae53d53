#pragma once

#include "api/apirequest.h"

#include <memory>

class ApiContext;

/// The queue's calls of SPEC §4: add one job or many (and the deprecated /jobs/run forms, when
/// `legacy`), the queue's and a job's status, cancel, retry, clear finished jobs, pause and
/// resume. Requests are checked by prepareJobs(), the same rules as the window's and the command
/// line's; each change is the queue's named operation (QueueOperations), which tells the Config's
/// queueChanged() and cancelRunning().
class QueueController final
{
    Q_DISABLE_COPY_MOVE(QueueController)

public:
    explicit QueueController(ApiContext &context);
    ~QueueController();

    ApiResponse queueOne(const QJsonObject &body, bool legacy);
    ApiResponse queueBulk(const QJsonObject &body, bool legacy);
    ApiResponse queueStatus(const ApiRequest &request);
    ApiResponse jobStatus(qint64 id);
    ApiResponse cancel(qint64 id);
    ApiResponse clearCompleted();
    ApiResponse retry(qint64 id);
    ApiResponse setPaused(bool paused);
    /// `POST /jobs/retry` and `POST /jobs/cancel` (SPEC §7): bulk retry and cancel by filter.
    ApiResponse retryMatching(const QJsonObject &body);
    ApiResponse cancelMatching(const QJsonObject &body);

private:
    /// On SQLite, the last status read, reused while the database is unchanged: PRAGMA
    /// SQLite's data_version or PostgreSQL's snapshot tells another connection's commits, the
    /// context's `writes` this one's.
    struct StatusCache;
    std::unique_ptr<StatusCache> m_statusCache;
    ApiContext &m_context;
};
