#include "api/schedulecontroller.h"

#include "api/apicontext.h"
#include "api/apirequest_p.h"
#include "job/jobjson.h"
#include "queue/queueoperations.h"
#include "schedule/schedule.h"
#include "schedule/schedulejson.h"
#include "schedule/window.h"
#include "source/pagedecoder.h"

#include <QJsonArray>

namespace {

const QStringList &scheduleFields()
{
    static const QStringList fields{QStringLiteral("name"),          QStringLiteral("cron"),
                                    QStringLiteral("timezone"),      QStringLiteral("dealer_ids"),
                                    QStringLiteral("fetch_types"),   QStringLiteral("window"),
                                    QStringLiteral("fallback_days"), QStringLiteral("priority"),
                                    QStringLiteral("enabled"),       QStringLiteral("catch_up")};
    return fields;
}

/// What a schedule's JSON shows but only dealerq sets.
const QStringList &readOnlyFields()
{
    static const QStringList fields{
        QStringLiteral("schedule_id"),     QStringLiteral("next_fire_at"),
        QStringLiteral("next_fire_times"), QStringLiteral("last_fired_at"),
        QStringLiteral("created_by"),      QStringLiteral("created_at")};
    return fields;
}

bool given(const QJsonObject &object, const QString &key)
{
    const QJsonValue value = object.value(key);
    return !value.isUndefined() && !value.isNull();
}

/// Reads `key` as an array of strings into *out, noting its problems; false when it is not
/// given (absent or null), when it is required and so noted as missing.
bool readStrings(const QJsonObject &object, const QString &key, bool required, QStringList *out,
                 Problems *problems)
{
    const QJsonValue value = object.value(key);
    const bool dealers = key == QLatin1String("dealer_ids");
    if (value.isUndefined() || value.isNull()) {
        if (required)
            problems->add(QStringLiteral("missing_field"), key,
                          QStringLiteral("%1 is required: a list of %2")
                              .arg(key, dealers ? QStringLiteral("dealer IDs")
                                                : QStringLiteral("fetch types")));
        return false;
    }
    if (!value.isArray()) {
        problems->add(
            QStringLiteral("wrong_type"), key,
            QStringLiteral("%1 must be an array of strings, not %2").arg(key, jsonTypeName(value)));
        return true;
    }
    const QJsonArray array = value.toArray();
    // SPEC §6: more than 10,000 dealer IDs refuse the schedule naming the field (a 400; a bulk
    // call's 413 is for a request too large to take, this is a schedule too large to keep).
    if (dealers && array.size() > MaxScheduleDealers) {
        problems->add(QStringLiteral("too_many_ids"), key,
                      QStringLiteral("dealer_ids: %1 dealer IDs; a schedule takes at most %2")
                          .arg(array.size())
                          .arg(MaxScheduleDealers));
        return true;
    }
    for (int i = 0; i < array.size(); ++i) {
        const QJsonValue item = array.at(i);
        if (item.isString()) {
            *out << item.toString();
            continue;
        }
        problems->add(QStringLiteral("wrong_type"), key,
                      QStringLiteral("%1[%2] must be a string, not %3%4")
                          .arg(key)
                          .arg(i)
                          .arg(jsonTypeName(item),
                               dealers && item.isDouble()
                                   ? QStringLiteral(" (write IDs in quotes, so that leading "
                                                    "zeros are kept)")
                                   : QString()),
                      {{QStringLiteral("index"), i}});
    }
    return true;
}

/// Puts the fields `object` gives into *schedule, noting every problem of their JSON types and
/// every invalid dealer ID (each on its own, as the bulk call does). With `create`, the fields a
/// new schedule cannot do without are required.
void readFields(const QJsonObject &object, bool create, Schedule *schedule, Problems *problems)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (readOnlyFields().contains(it.key()))
            problems->add(QStringLiteral("read_only_field"), it.key(),
                          QStringLiteral("%1 is set by dealerq and cannot be given").arg(it.key()));
        else if (!scheduleFields().contains(it.key()))
            problems->add(
                QStringLiteral("unknown_field"), it.key(),
                QStringLiteral("unknown field \"%1\"; expected %2")
                    .arg(printableText(it.key()), scheduleFields().join(QStringLiteral(", "))));
    }
    FieldReader reader(object, problems);
    bool isGiven = false;
    const auto text = [&](const char *key, QString *field) {
        const QString value = reader.string(QString::fromLatin1(key), create, &isGiven);
        if (isGiven)
            *field = value;
    };
    text("name", &schedule->name);
    text("cron", &schedule->cron);
    const QString zone = reader.string(QStringLiteral("timezone"), false, &isGiven);
    if (isGiven)
        schedule->timezone = zone;
    text("window", &schedule->window);

    QStringList ids;
    if (readStrings(object, QStringLiteral("dealer_ids"), create, &ids, problems)) {
        schedule->dealerIds = ids;
        if (!problems->concerns(QStringLiteral("dealer_ids"))) {
            const DealerIdList checked = checkDealerIds(ids);
            for (const DealerIdList::Invalid &bad : checked.invalid)
                problems->add(QStringLiteral("invalid_dealer_id"), QStringLiteral("dealer_ids"),
                              QStringLiteral("dealer_ids: %1").arg(bad.reason),
                              {{QStringLiteral("dealer_id"), bad.id}});
        }
    }
    QStringList types;
    if (readStrings(object, QStringLiteral("fetch_types"), create, &types, problems))
        schedule->fetchTypes = types;

    if (given(object, QStringLiteral("fallback_days")))
        schedule->fallbackDays =
            reader.integer(QStringLiteral("fallback_days"), 1, MaxFallbackDays, 1);
    if (given(object, QStringLiteral("priority")))
        schedule->priority = reader.integer(QStringLiteral("priority"), -MaxSchedulePriority,
                                            MaxSchedulePriority, 0);
    if (given(object, QStringLiteral("enabled")))
        schedule->enabled = reader.boolean(QStringLiteral("enabled"));
    const QString catchUp = reader.string(QStringLiteral("catch_up"), false, &isGiven);
    if (isGiven) {
        if (const std::optional<CatchUp> value = catchUpFromString(catchUp))
            schedule->catchUp = *value;
        else
            problems->add(QStringLiteral("invalid_field"), QStringLiteral("catch_up"),
                          QStringLiteral("catch_up must be \"once\" or \"skip\", not \"%1\"")
                              .arg(printableText(catchUp)));
    }
}

/// Adds the problems of the schedule's own rules, but none for a field already at fault.
void checkWhole(const Schedule &schedule, const QStringList &allowedTypes, Problems *problems)
{
    for (const FieldError &problem : scheduleProblems(schedule, allowedTypes)) {
        if (!problems->concerns(problem.field))
            problems->add(QStringLiteral("invalid_field"), problem.field, problem.message);
    }
}

/// The answer to a schedule operation that failed: its 404 and 409 are the schedule's.
ApiResponse scheduleFailure(const StoreError &error)
{
    switch (error.kind) {
    case StoreError::Kind::NotFound:
        return ApiResponse::error(404, QStringLiteral("schedule_not_found"), error.message,
                                  QStringLiteral("schedule_id"));
    case StoreError::Kind::Conflict:
        return storeFailure(
            error, error.field == QLatin1String("name") ? QStringLiteral("name_taken") : QString());
    default:
        return storeFailure(error);
    }
}

/// A single schedule's answer: every field and its next five slots.
ApiResponse scheduleAnswer(int status, const Schedule &schedule)
{
    return ApiResponse::json(status, scheduleToJson(schedule, nowMs(), true));
}

} // namespace

ScheduleController::ScheduleController(ApiContext &context)
    : m_context(context)
{}

ApiResponse ScheduleController::list()
{
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<QVector<Schedule>> all = queue->schedules();
    if (!all.ok())
        return scheduleFailure(all.error);
    const qint64 now = nowMs();
    QJsonArray schedules;
    for (const Schedule &schedule : *all.value)
        schedules.push_back(scheduleToJson(schedule, now, false));
    return ApiResponse::json(200, {{QStringLiteral("schedules"), schedules}});
}

ApiResponse ScheduleController::create(const QJsonObject &body)
{
    Problems problems;
    Schedule schedule;
    schedule.window.clear(); // required here: no default rule is assumed
    readFields(body, true, &schedule, &problems);
    checkWhole(schedule, m_context.config.fetchTypes, &problems);
    if (!problems.isEmpty())
        return problems.response();
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<Schedule> added = queue->addSchedule(schedule, m_context.config.fetchTypes);
    if (!added.ok())
        return scheduleFailure(added.error);
    return scheduleAnswer(201, *added.value);
}

ApiResponse ScheduleController::get(qint64 id)
{
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<Schedule> found = queue->schedule(id);
    if (!found.ok())
        return scheduleFailure(found.error);
    return scheduleAnswer(200, *found.value);
}

ApiResponse ScheduleController::change(qint64 id, const QJsonObject &body)
{
    // The JSON types first: a malformed request is refused without a look at the store.
    Problems problems;
    Schedule scratch;
    readFields(body, false, &scratch, &problems);
    if (!problems.isEmpty())
        return problems.response();
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    // The fields given, set on the schedule as stored when the change is written: a change
    // another made meanwhile to the other fields stays.
    const QStringList &types = m_context.config.fetchTypes;
    const QueueResult<Schedule> changed = queue->changeSchedule(
        id,
        [&](Schedule *merged) {
            readFields(body, false, merged, &problems);
            checkWhole(*merged, types, &problems);
            return problems.isEmpty();
        },
        types);
    if (!problems.isEmpty())
        return problems.response();
    if (!changed.ok())
        return scheduleFailure(changed.error);
    return scheduleAnswer(200, *changed.value);
}

ApiResponse ScheduleController::remove(qint64 id)
{
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<bool> removed = queue->removeSchedule(id);
    if (!removed.ok())
        return scheduleFailure(removed.error);
    return ApiResponse::json(
        200, {{QStringLiteral("schedule_id"), id}, {QStringLiteral("removed"), true}});
}

ApiResponse ScheduleController::run(qint64 id)
{
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<BulkOutcome> ran = queue->runSchedule(id);
    if (!ran.ok())
        return scheduleFailure(ran.error);
    // The bulk call's answer: 201 when something was queued, 200 when every job was covered.
    const QVector<qint64> &ids = ran.value->jobIds;
    return ApiResponse::json(ids.isEmpty() ? 200 : 201,
                             {{QStringLiteral("job_ids"), jobIdsToJson(ids)},
                              {QStringLiteral("added"), ids.size()},
                              {QStringLiteral("skipped"), skippedToJson(ran.value->skipped)}});
}
