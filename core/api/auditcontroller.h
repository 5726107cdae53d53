#pragma once

#include "api/apirequest.h"

#include <QStringList>

class ApiContext;

/// `GET /audit` (SPEC §8): the audit log, newest first, filtered by `action` and `actor` and
/// paged by `limit` and `offset`, through the queue's named read.
class AuditController final
{
    Q_DISABLE_COPY_MOVE(AuditController)

public:
    /// The longest `actor` a filter takes.
    static constexpr int MaxActorLength = 200;

    explicit AuditController(ApiContext &context);

    /// The query parameters `GET /audit` takes.
    static const QStringList &parameters();

    ApiResponse audit(const ApiRequest &request);

private:
    ApiContext &m_context;
};
