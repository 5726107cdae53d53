#pragma once

#include "job/queuetypes.h"
#include "schedule/schedule.h"

#include <QVector>

#include <functional>
#include <optional>

class JobStore;

/// What a fire queued (SPEC §6): the jobs as a bulk add reports them, one per dealer and type.
struct FireOutcome
{
    BulkOutcome jobs;
    bool alreadyFired =
        false; ///< another instance (or an earlier try) fired this slot: nothing done
};

/// The schedules (SPEC §6) on the JobStore's connection, for the calling thread. Every change
/// is one transaction; a fire's record and the jobs it queues commit together, guarded by the
/// primary key of `schedule_fires` (schedule, slot), so a slot is queued once however many
/// instances try and whatever crashes in between. Fields are checked by validateSchedule()
/// before they reach the store.
class ScheduleStore final
{
public:
    explicit ScheduleStore(JobStore &store);
    Q_DISABLE_COPY_MOVE(ScheduleStore)

    /// Every schedule, by name.
    std::optional<QVector<Schedule>> schedules(StoreError *error);
    /// NotFound when there is none.
    std::optional<Schedule> schedule(qint64 id, StoreError *error);
    std::optional<Schedule> scheduleNamed(const QString &name, StoreError *error);
    // Each change writes one audit entry (SPEC §8) in its transaction: an add by the schedule's
    // `createdBy`, the others by `actor` ("unknown" when empty), a slot's fire by
    // "schedule:NAME".

    /// Stores a new schedule created at `nowMs`; Conflict (field `name`) when the name is taken.
    std::optional<Schedule> add(const Schedule &schedule, qint64 nowMs, StoreError *error);
    /// Replaces the fields an operator sets; enabling it again restarts its catch-up from `nowMs`.
    std::optional<Schedule> update(const Schedule &schedule, qint64 nowMs, StoreError *error,
                                   const QString &actor = {});
    /// Changes the fields an operator sets of schedule `id` as `edit` says, given the schedule
    /// as stored when the change's transaction began (on PostgreSQL with its row locked until
    /// it ends), so that no change made meanwhile is undone by fields this one left alone (the
    /// API's PATCH). When `edit` returns false (having set *error) nothing is written.
    std::optional<Schedule> change(qint64 id,
                                   const std::function<bool(Schedule *, StoreError *)> &edit,
                                   qint64 nowMs, StoreError *error, const QString &actor = {});
    /// Removes it and its fire records; the jobs it queued stay.
    bool remove(qint64 id, StoreError *error, const QString &actor = {});

    /// Fires slot `slotMs` of schedule `id` at `nowMs`: queues its jobs (windows computed from the
    /// slot's instant) and records the slot, in one transaction. When the slot was fired already,
    /// does nothing and says so. A disabled or removed schedule: NotFound / Conflict.
    std::optional<FireOutcome> fireSlot(qint64 id, qint64 slotMs, qint64 nowMs, StoreError *error);
    /// "Run now": queues the jobs of a fire at `nowMs` (windows for that instant); not a slot.
    std::optional<FireOutcome> runNow(qint64 id, qint64 nowMs, StoreError *error,
                                      const QString &actor = {});
    /// Marks the slots up to `slotMs` dealt with, without firing them (catch_up skip).
    bool skipSlotsUpTo(qint64 id, qint64 slotMs, StoreError *error);
    /// Changes whenever a schedule is added, changed, removed or fires: a cheap way for the
    /// scheduler of another instance to notice (on SQLite, which has no NOTIFY).
    std::optional<QString> signature(StoreError *error);

private:
    std::optional<FireOutcome> fire(const Schedule &schedule, qint64 fireMs,
                                    std::optional<qint64> slotMs, qint64 nowMs, StoreError *error,
                                    const QString &actor);
    bool queueFire(const Schedule &schedule, qint64 fireMs, qint64 nowMs, BulkOutcome *outcome,
                   StoreError *error);
    /// False, with a Conflict naming `name`, when another schedule has `schedule`'s name.
    bool nameFree(const Schedule &schedule, StoreError *error);
    /// The schedule whose `where` column holds `value`; with `lock`, on PostgreSQL its row is
    /// locked for the rest of the transaction.
    std::optional<Schedule> readOne(const QString &where, const QVariant &value, StoreError *error,
                                    bool lock = false);

    JobStore &m_store;
};
