#pragma once

#include "schedule/schedule.h"
#include "store/schedulestore.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>

#include <optional>

class JobStore;
class QTimer;

/// The wall clock the scheduler reads (ms since the epoch). Tests move their own by hand.
class SchedulerClock
{
public:
    virtual ~SchedulerClock() = default;
    virtual qint64 nowMs() const = 0;
};

/// The system's clock. Defined here, so that code without the scheduler (the API's throttle,
/// the fuzz targets) can have one.
class SystemClock final : public SchedulerClock
{
public:
    qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }
};

/// Fires the schedules' slots (SPEC §6) in the instance that holds the runner lock: one
/// single-shot timer set to the next slot of any enabled schedule, no loop that wakes every
/// second. Each slot is fired through ScheduleStore::fireSlot(), whose guard makes a second
/// instance, or a retry after a crash, find it fired. Slots missed while no instance ran are
/// caught up once (the latest) or skipped, as each schedule says. Lives on the runner's thread
/// and uses its store.
///
/// The owner calls check() when schedules may have changed (PostgreSQL NOTIFY, the poll on
/// SQLite, a change made here) and on its poll: without touching the database, check() also
/// notices a wall clock that jumped or a machine that slept, and re-arms.
class Scheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Scheduler)

public:
    /// Slots older than this when the scheduler gets to them count as missed (SPEC §6).
    static constexpr qint64 MissedAfterMs = 5000;
    /// The longest the timer is set for: a wall clock moved meanwhile is noticed at the latest
    /// then even without check().
    static constexpr qint64 LongestWaitMs = 3600 * 1000;

    Scheduler(JobStore &store, const SchedulerClock &clock, QObject *parent = nullptr);
    ~Scheduler() override;

    /// Active while this instance holds the runner lock: fires what is due and arms the timer.
    /// Inactive: the timer stops.
    void setActive(bool active);
    bool isActive() const { return m_active; }
    /// Re-reads the schedules when they changed (and after a failure), re-arms when the wall
    /// clock moved against the monotonic one; fires what is due either way.
    void check(bool schedulesMayHaveChanged = true);
    /// The wall-clock instant the timer is armed for; nothing while inactive or with no slot
    /// ahead.
    std::optional<qint64> nextWakeMs() const { return m_nextWakeMs; }

public slots:
    /// The timer's work: fires every slot due now, then arms for the next. Public for tests,
    /// which move their clock instead of waiting.
    void fireDue();

signals:
    /// A slot (or a catch-up) of `name` queued jobs; the runner should look at the queue.
    void fired(const QString &name, qint64 slotMs, int added, int skipped);
    /// A fire or a read failed; it is tried again at the next check().
    void failed(const QString &message);

private:
    /// Fires what `schedule` has due at `nowMs`; false on a database failure.
    bool fireDueOf(const Schedule &schedule, qint64 nowMs);
    bool fireSlot(const Schedule &schedule, qint64 slotMs, qint64 nowMs);
    void arm(const QVector<Schedule> &schedules, qint64 nowMs);
    /// Wall clock minus monotonic clock: changes when the wall clock jumps or the machine
    /// sleeps.
    qint64 clockOffset() const;

    JobStore &m_store;
    ScheduleStore m_schedules;
    const SchedulerClock &m_clock;
    QTimer *m_timer;
    QElapsedTimer m_monotonic;
    bool m_active = false;
    bool m_retry = false;
    QString m_signature;
    qint64 m_armedOffset = 0;
    std::optional<qint64> m_nextWakeMs;
};
