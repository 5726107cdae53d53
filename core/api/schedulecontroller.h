#pragma once

#include "api/apirequest.h"

class ApiContext;

/// The schedules' calls of SPEC §6: list, create, read one (with its next five slots), change
/// any of its fields, delete, and "run now". A request's fields are read with their JSON types
/// checked and the schedule — for a change, the stored one with the given fields put in — is
/// checked as a whole by the schedule's own rules (scheduleProblems()), every problem named in
/// one 400. Each call is the queue's named operation (QueueOperations), whose effects wake the
/// runner, so that its scheduler re-arms at once.
class ScheduleController final
{
    Q_DISABLE_COPY_MOVE(ScheduleController)

public:
    explicit ScheduleController(ApiContext &context);

    ApiResponse list();
    ApiResponse create(const QJsonObject &body);
    ApiResponse get(qint64 id);
    ApiResponse change(qint64 id, const QJsonObject &body);
    ApiResponse remove(qint64 id);
    ApiResponse run(qint64 id);

private:
    ApiContext &m_context;
};
