#pragma once

#include "api/apihandler.h"
#include "queue/queueoperations.h"

class JobStore;

/// What the router and its controllers share: the configuration, the store of the calling
/// thread and the counters the queue status cache watches.
class ApiContext final
{
    Q_DISABLE_COPY_MOVE(ApiContext)

public:
    ApiContext(JobStore &store, ApiHandler::Config config);

    /// The store, reopened first if its connection was lost; null with *response set when the
    /// database cannot be reached.
    JobStore *store(ApiResponse *response);
    /// The queue's operations on store(), whose effects are the Config's queueChanged() and
    /// cancelRunning(); null with *response set when the database cannot be reached.
    QueueOperations *queue(ApiResponse *response);
    /// Who the calls that follow are made by: `api:TOKEN_NAME`.
    void setActor(const QString &actor) { m_operations.setActor(actor); }

    const ApiHandler::Config config;
    quint64 writes = 0; ///< calls other than GET so far: a cached read is stale after each
    quint64 opens = 0;  ///< times the store was reopened

private:
    JobStore &m_store;
    QueueOperations m_operations;
};
