#include "api/apicontext.h"

#include "api/apirequest_p.h"
#include "job/actor.h"
#include "store/jobstore.h"

#include <utility>

ApiContext::ApiContext(JobStore &store, ApiHandler::Config config)
    : config(std::move(config))
    , m_store(store)
    , m_operations(store, Actor::apiToken(QStringLiteral("default")),
                   QueueEffects{this->config.queueChanged, this->config.cancelRunning})
{}

JobStore *ApiContext::store(ApiResponse *response)
{
    if (!m_store.isOpen()) {
        ++opens;
        StoreError error;
        if (!m_store.reopen(&error)) {
            *response = storeFailure(error);
            return nullptr;
        }
    }
    return &m_store;
}

QueueOperations *ApiContext::queue(ApiResponse *response)
{
    return store(response) ? &m_operations : nullptr;
}
