#include "queue/scheduler.h"

#include "job/timeformat.h"
#include "log/logging.h"
#include "schedule/cron.h"
#include "store/jobstore.h"

#include <QDateTime>
#include <QTimeZone>
#include <QTimer>

#include <algorithm>

Scheduler::Scheduler(JobStore &store, const SchedulerClock &clock, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_schedules(store)
    , m_clock(clock)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setTimerType(Qt::PreciseTimer); // a slot fires within a second, not within 5 %
    connect(m_timer, &QTimer::timeout, this, &Scheduler::fireDue);
    // While the database is down the schedules are read again every second: a warning for
    // each new problem, and again at most every 5 minutes; the repeats in between are debug.
    connect(
        this, &Scheduler::failed, this,
        [lastMessage = QString(), lastWarned = QElapsedTimer()](const QString &message) mutable {
            if (message == lastMessage && lastWarned.isValid() &&
                lastWarned.elapsed() < 5 * 60 * 1000) {
                qCDebug(lcSchedule).noquote() << message << "- trying again";
                return;
            }
            qCWarning(lcSchedule).noquote() << message << "- trying again";
            lastMessage = message;
            lastWarned.start();
        });
    m_monotonic.start();
}

Scheduler::~Scheduler() = default;

qint64 Scheduler::clockOffset() const
{
    return m_clock.nowMs() - m_monotonic.elapsed();
}

void Scheduler::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    if (active) {
        m_signature.clear();
        fireDue();
    } else {
        m_timer->stop();
        m_nextWakeMs.reset();
    }
}

void Scheduler::check(bool schedulesMayHaveChanged)
{
    if (!m_active)
        return;
    bool due = m_retry || qAbs(clockOffset() - m_armedOffset) > 1000;
    if (!due && schedulesMayHaveChanged) {
        StoreError error;
        const std::optional<QString> signature = m_schedules.signature(&error);
        if (!signature) {
            m_retry = true;
            emit failed(error.message);
            return;
        }
        due = *signature != m_signature;
    }
    if (due)
        fireDue();
}

void Scheduler::fireDue()
{
    if (!m_active || !m_store.isOpen())
        return;
    StoreError error;
    const std::optional<QString> signature = m_schedules.signature(&error);
    std::optional<QVector<Schedule>> schedules;
    if (signature)
        schedules = m_schedules.schedules(&error);
    if (!schedules) {
        m_retry = true;
        emit failed(error.message);
        return;
    }
    m_signature = *signature;
    m_retry = false;
    const qint64 now = m_clock.nowMs();
    bool looked = false;
    for (const Schedule &schedule : std::as_const(*schedules)) {
        if (!schedule.enabled)
            continue;
        looked = true;
        if (!fireDueOf(schedule, now)) {
            m_retry = true;
            break;
        }
    }
    // Read again: fires and skips moved last_slot_ms.
    if (looked && !m_retry) {
        if (std::optional<QVector<Schedule>> after = m_schedules.schedules(&error))
            schedules = std::move(after);
    }
    arm(*schedules, now);
}

bool Scheduler::fireSlot(const Schedule &schedule, qint64 slotMs, qint64 nowMs)
{
    StoreError error;
    const std::optional<FireOutcome> outcome =
        m_schedules.fireSlot(schedule.id, slotMs, nowMs, &error);
    if (!outcome) {
        // Removed or disabled meanwhile: nothing to fire, not a failure.
        if (error.kind == StoreError::Kind::NotFound || error.kind == StoreError::Kind::Conflict)
            return true;
        emit failed(QStringLiteral("schedule %1: %2").arg(schedule.name, error.message));
        return false;
    }
    if (!outcome->alreadyFired) {
        qCInfo(lcSchedule).noquote()
            << QStringLiteral("schedule %1 fired for %2: queued %3, %4 already queued")
                   .arg(schedule.name, formatTimestamp(slotMs))
                   .arg(outcome->jobs.jobIds.size())
                   .arg(outcome->jobs.skipped.size());
        emit fired(schedule.name, slotMs, int(outcome->jobs.jobIds.size()),
                   int(outcome->jobs.skipped.size()));
    } else {
        qCDebug(lcSchedule).noquote() << "schedule" << schedule.name << "slot"
                                      << formatTimestamp(slotMs) << "was fired already";
    }
    return true;
}

bool Scheduler::fireDueOf(const Schedule &schedule, qint64 nowMs)
{
    const std::optional<CronExpression> cron = CronExpression::parse(schedule.cron);
    const QTimeZone zone(schedule.timezone.toUtf8());
    if (!cron || !zone.isValid())
        return true; // refused when stored; nothing sensible to fire
    // Slots after this one are still to be dealt with: the latest fired or skipped, and none
    // from before the schedule was (re-)enabled.
    qint64 base = std::max(schedule.lastSlotMs.value_or(0), schedule.enabledSinceMs);
    const qint64 missedBefore = nowMs - MissedAfterMs;
    const QDateTime latestMissed =
        previousFireTime(*cron, zone, QDateTime::fromMSecsSinceEpoch(missedBefore - 1, Qt::UTC));
    if (latestMissed.isValid() && latestMissed.toMSecsSinceEpoch() > base) {
        const qint64 slot = latestMissed.toMSecsSinceEpoch();
        if (schedule.catchUp == CatchUp::Once) {
            if (!fireSlot(schedule, slot, nowMs))
                return false;
        } else {
            StoreError error;
            qCInfo(lcSchedule).noquote()
                << "schedule" << schedule.name << "missed its slot at" << formatTimestamp(slot)
                << "and does not catch up: skipped";
            if (!m_schedules.skipSlotsUpTo(schedule.id, slot, &error)) {
                emit failed(QStringLiteral("schedule %1: %2").arg(schedule.name, error.message));
                return false;
            }
        }
        base = slot;
    }
    const qint64 from = std::max(base, missedBefore - 1);
    const QList<QDateTime> next =
        nextFireTimes(*cron, zone, QDateTime::fromMSecsSinceEpoch(from, Qt::UTC), 8);
    for (const QDateTime &slot : next) {
        if (slot.toMSecsSinceEpoch() > nowMs)
            break;
        if (!fireSlot(schedule, slot.toMSecsSinceEpoch(), nowMs))
            return false;
    }
    return true;
}

void Scheduler::arm(const QVector<Schedule> &schedules, qint64 nowMs)
{
    std::optional<qint64> next;
    for (const Schedule &schedule : schedules) {
        if (!schedule.enabled)
            continue;
        const std::optional<CronExpression> cron = CronExpression::parse(schedule.cron);
        const QTimeZone zone(schedule.timezone.toUtf8());
        if (!cron || !zone.isValid())
            continue;
        const qint64 after =
            std::max({nowMs, schedule.lastSlotMs.value_or(0), schedule.enabledSinceMs});
        const QList<QDateTime> slot =
            nextFireTimes(*cron, zone, QDateTime::fromMSecsSinceEpoch(after, Qt::UTC), 1);
        if (!slot.isEmpty() && (!next || slot.first().toMSecsSinceEpoch() < *next))
            next = slot.first().toMSecsSinceEpoch();
    }
    m_nextWakeMs = next;
    m_armedOffset = clockOffset();
    if (m_retry) {
        m_timer->start(1000); // the database failed: try again soon
        return;
    }
    if (!next) {
        m_timer->stop();
        return;
    }
    qCDebug(lcSchedule).noquote() << "next slot at" << formatTimestamp(*next);
    m_timer->start(int(std::clamp<qint64>(*next - nowMs, 0, LongestWaitMs)));
}
