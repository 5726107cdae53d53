#include "alert/alertevents.h"

#include "job/jobjson.h"
#include "job/timeformat.h"

std::optional<QJsonObject> AlertEvents::jobFinished(const Job &job, qint64 nowMs)
{
    if (!job.isFinished())
        return std::nullopt;
    if (m_ran == 0 || (job.startedMs > 0 && job.startedMs < m_firstStartedMs))
        m_firstStartedMs = job.startedMs > 0 ? job.startedMs : nowMs;
    ++m_ran;
    m_lastFinishedMs = job.finishedMs > 0 ? job.finishedMs : nowMs;
    if (job.status == JobStatus::Completed)
        ++m_completed;
    if (job.status != JobStatus::Failed)
        return std::nullopt;
    ++m_failed;
    return QJsonObject{{QStringLiteral("event"), QStringLiteral("job_failed")},
                       {QStringLiteral("job"), jobToJson(job, nowMs)}};
}

std::optional<QJsonObject> AlertEvents::queueEmpty(qint64 nowMs)
{
    if (m_ran == 0)
        return std::nullopt;
    const QJsonObject event{
        {QStringLiteral("event"), QStringLiteral("queue_drained")},
        {QStringLiteral("completed"), m_completed},
        {QStringLiteral("failed"), m_failed},
        {QStringLiteral("started_at"), formatTimestamp(m_firstStartedMs)},
        {QStringLiteral("finished_at"),
         formatTimestamp(m_lastFinishedMs > 0 ? m_lastFinishedMs : nowMs)},
    };
    *this = AlertEvents();
    return event;
}

std::optional<AlertNotice> NoticeThrottle::jobFailed(qint64 nowMs)
{
    ++m_pending.failed;
    m_hasPending = true;
    return offer(nowMs);
}

std::optional<AlertNotice> NoticeThrottle::queueDrained(qint64 nowMs, int completed, int failed)
{
    m_pending.drained = true;
    m_pending.drainedCompleted = completed;
    m_pending.drainedFailed = failed;
    m_hasPending = true;
    return offer(nowMs);
}

qint64 NoticeThrottle::dueAtMs() const
{
    return m_hasPending ? m_lastShownMs + m_intervalMs : 0;
}

std::optional<AlertNotice> NoticeThrottle::takeDue(qint64 nowMs)
{
    if (!m_hasPending || nowMs < dueAtMs())
        return std::nullopt;
    return offer(nowMs);
}

std::optional<AlertNotice> NoticeThrottle::offer(qint64 nowMs)
{
    if (m_lastShownMs >= 0 && nowMs - m_lastShownMs < m_intervalMs)
        return std::nullopt;
    AlertNotice notice = m_pending;
    if (notice.failed > 0)
        notice.failed += m_unseenFailed;
    m_unseenFailed = notice.drained ? 0 : notice.failed;
    m_pending = AlertNotice{};
    m_hasPending = false;
    m_lastShownMs = nowMs;
    return notice;
}
