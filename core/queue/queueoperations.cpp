#include "queue/queueoperations.h"

#include "queue/csvexport.h"
#include "queue/xlsxexport.h"
#include "store/jobstore.h"
#include "store/schedulestore.h"

#include <QDateTime>

namespace {

/// Runs one store call of the `std::optional<T> f(StoreError *)` shape as a QueueResult.
template<typename T, typename Call> QueueResult<T> result(Call call)
{
    QueueResult<T> out;
    out.value = call(&out.error);
    return out;
}

} // namespace

QueueOperations::QueueOperations(JobStore &store, QString actor, QueueEffects effects)
    : m_store(store)
    , m_actor(std::move(actor))
    , m_effects(std::move(effects))
{}

NewJob QueueOperations::stamped(const NewJob &job) const
{
    NewJob out = job;
    if (out.createdBy.isEmpty())
        out.createdBy = m_actor;
    return out;
}

QueueResult<QVector<Schedule>> QueueOperations::schedules()
{
    ScheduleStore store(m_store);
    return result<QVector<Schedule>>([&](StoreError *e) { return store.schedules(e); });
}

QueueResult<Schedule> QueueOperations::schedule(qint64 id)
{
    ScheduleStore store(m_store);
    return result<Schedule>([&](StoreError *e) { return store.schedule(id, e); });
}

QueueResult<Schedule> QueueOperations::scheduleNamed(const QString &name)
{
    ScheduleStore store(m_store);
    return result<Schedule>([&](StoreError *e) { return store.scheduleNamed(name, e); });
}

namespace {

/// validateSchedule() as a QueueResult's error.
bool checked(Schedule *schedule, const QStringList &allowedTypes, StoreError *error)
{
    FieldError invalid;
    if (validateSchedule(schedule, allowedTypes, &invalid))
        return true;
    *error = {StoreError::Kind::Invalid, invalid.message, invalid.field, 0};
    return false;
}

} // namespace

QueueResult<Schedule> QueueOperations::addSchedule(Schedule schedule,
                                                   const QStringList &allowedTypes)
{
    QueueResult<Schedule> out;
    schedule.createdBy = m_actor;
    if (!checked(&schedule, allowedTypes, &out.error))
        return out;
    ScheduleStore store(m_store);
    out.value = store.add(schedule, QDateTime::currentMSecsSinceEpoch(), &out.error);
    if (out.ok())
        changed();
    return out;
}

QueueResult<Schedule> QueueOperations::updateSchedule(Schedule schedule,
                                                      const QStringList &allowedTypes)
{
    QueueResult<Schedule> out;
    if (!checked(&schedule, allowedTypes, &out.error))
        return out;
    ScheduleStore store(m_store);
    out.value = store.update(schedule, QDateTime::currentMSecsSinceEpoch(), &out.error, m_actor);
    if (out.ok())
        changed();
    return out;
}

QueueResult<Schedule> QueueOperations::changeSchedule(qint64 id,
                                                      const std::function<bool(Schedule *)> &edit,
                                                      const QStringList &allowedTypes)
{
    QueueResult<Schedule> out;
    ScheduleStore store(m_store);
    out.value = store.change(
        id,
        [&](Schedule *schedule, StoreError *error) {
            if (!edit(schedule)) {
                *error = {StoreError::Kind::Invalid, QStringLiteral("the change was refused"),
                          QString(), 0};
                return false;
            }
            return checked(schedule, allowedTypes, error);
        },
        QDateTime::currentMSecsSinceEpoch(), &out.error, m_actor);
    if (out.ok())
        changed();
    return out;
}

QueueResult<Schedule> QueueOperations::setScheduleEnabled(qint64 id, bool enabled,
                                                          const QStringList &allowedTypes)
{
    return changeSchedule(
        id,
        [enabled](Schedule *schedule) {
            schedule->enabled = enabled;
            return true;
        },
        allowedTypes);
}

QueueResult<bool> QueueOperations::removeSchedule(qint64 id)
{
    QueueResult<bool> out;
    ScheduleStore store(m_store);
    if (store.remove(id, &out.error, m_actor)) {
        out.value = true;
        changed();
    }
    return out;
}

QueueResult<BulkOutcome> QueueOperations::runSchedule(qint64 id)
{
    QueueResult<BulkOutcome> out;
    ScheduleStore store(m_store);
    const std::optional<FireOutcome> fired =
        store.runNow(id, QDateTime::currentMSecsSinceEpoch(), &out.error, m_actor);
    if (fired) {
        out.value = fired->jobs;
        if (!fired->jobs.jobIds.isEmpty())
            changed();
    }
    return out;
}

void QueueOperations::changed()
{
    if (m_effects.changed)
        m_effects.changed();
}

QueueResult<AddOutcome> QueueOperations::add(const NewJob &job)
{
    auto out = result<AddOutcome>([&](StoreError *e) { return m_store.addJob(stamped(job), e); });
    if (out.ok() && !out.value->duplicate)
        changed();
    return out;
}

QueueResult<BulkOutcome> QueueOperations::addMany(const QStringList &dealerIds,
                                                  const NewJob &common)
{
    auto out = result<BulkOutcome>(
        [&](StoreError *e) { return m_store.addJobs(dealerIds, stamped(common), e); });
    if (out.ok() && !out.value->jobIds.isEmpty())
        changed();
    return out;
}

CancelReport QueueOperations::cancel(const QVector<qint64> &ids)
{
    CancelReport report;
    for (qint64 id : ids) {
        StoreError error;
        const std::optional<CancelOutcome> outcome = m_store.cancelJob(id, &error, m_actor);
        if (!outcome)
            report.errors.push_back(error);
        else if (*outcome == CancelOutcome::AbortRequested)
            report.aborting.push_back(id);
        else
            report.cancelled.push_back(id);
    }
    // The store has marked a running job cancel-requested: the process that runs it aborts it
    // (here at once; elsewhere when its runner next reads the flag).
    for (qint64 id : std::as_const(report.aborting)) {
        if (m_effects.abortRunning)
            m_effects.abortRunning(id);
    }
    if (!report.cancelled.isEmpty() || !report.aborting.isEmpty())
        changed();
    return report;
}

RetryReport QueueOperations::retry(const QVector<qint64> &ids)
{
    RetryReport report;
    for (qint64 id : ids) {
        StoreError error;
        if (std::optional<Job> job = m_store.retryJob(id, &error, m_actor))
            report.retried.push_back(std::move(*job));
        else
            report.errors.push_back(error);
    }
    if (!report.retried.isEmpty())
        changed();
    return report;
}

QVector<StoreError> QueueOperations::move(const QVector<qint64> &ids, MoveOp op)
{
    QVector<StoreError> errors;
    for (qint64 id : ids) {
        StoreError error;
        if (!m_store.moveJob(id, op, &error, m_actor))
            errors.push_back(error);
    }
    if (errors.size() < ids.size())
        changed();
    return errors;
}

QueueResult<bool> QueueOperations::setPaused(bool paused)
{
    QueueResult<bool> out;
    if (m_store.setPaused(paused, &out.error, m_actor)) {
        out.value = paused;
        changed();
    }
    return out;
}

QueueResult<qint64> QueueOperations::clearFinished(const HistoryFilter &filter)
{
    auto out =
        result<qint64>([&](StoreError *e) { return m_store.clearFinished(filter, e, m_actor); });
    if (out.ok())
        changed();
    return out;
}

QueueResult<BulkRetryReport> QueueOperations::retryMatching(const HistoryFilter &filter,
                                                            std::optional<qint64> confirmed)
{
    auto out = result<BulkRetryReport>(
        [&](StoreError *e) { return m_store.retryMatching(filter, e, m_actor, confirmed); });
    if (out.ok() && !out.value->jobIds.isEmpty())
        changed();
    return out;
}

QueueResult<BulkReport> QueueOperations::cancelMatching(const QueuedFilter &filter,
                                                        std::optional<qint64> confirmed)
{
    auto out = result<BulkReport>(
        [&](StoreError *e) { return m_store.cancelMatching(filter, e, m_actor, confirmed); });
    if (out.ok() && !out.value->jobIds.isEmpty())
        changed();
    return out;
}

QueueResult<BulkReport> QueueOperations::removeFinished(const HistoryFilter &filter, int maxJobs)
{
    auto out = result<BulkReport>(
        [&](StoreError *e) { return m_store.removeFinished(filter, maxJobs, e, m_actor); });
    if (out.ok() && !out.value->jobIds.isEmpty())
        changed();
    return out;
}

QueueResult<Job> QueueOperations::job(qint64 id)
{
    return result<Job>([&](StoreError *e) { return m_store.job(id, e); });
}

QueueResult<JobDetails> QueueOperations::details(qint64 id)
{
    QueueResult<JobDetails> out;
    std::optional<Job> job = m_store.job(id, &out.error);
    if (!job)
        return out;
    std::optional<QVector<LogLine>> log = m_store.jobLogs(id, &out.error);
    std::optional<QVector<JobAttempt>> attempts;
    if (log)
        attempts = m_store.jobAttempts(id, &out.error);
    std::optional<QVector<AuditEntry>> audit;
    if (attempts)
        audit = m_store.jobAudit(id, DetailsAuditLimit, &out.error);
    if (audit)
        out.value =
            JobDetails{std::move(*job), std::move(*log), std::move(*attempts), std::move(*audit)};
    return out;
}

QueueResult<QVector<StatsBucket>> QueueOperations::stats(StatsRange range, const QTimeZone &zone,
                                                         qint64 nowMs)
{
    const QVector<qint64> edges = statsBucketEdges(range, zone, nowMs);
    // The hourly range reads its jobs (about a day's: fast enough), and so its percentiles are
    // exact; the daily range reads the kept figures (README, "Insight").
    const StatsSource source =
        range == StatsRange::Days30 ? StatsSource::Figures : StatsSource::Scan;
    return result<QVector<StatsBucket>>(
        [&](StoreError *e) { return m_store.stats(edges, source, e); });
}

QueueResult<CoveragePage> QueueOperations::coverage(const CoverageFilter &filter)
{
    return result<CoveragePage>([&](StoreError *e) { return m_store.coverage(filter, e); });
}

QueueResult<AuditPage> QueueOperations::audit(const AuditFilter &filter)
{
    return result<AuditPage>([&](StoreError *e) { return m_store.audit(filter, e); });
}

QueueResult<QueueStatus> QueueOperations::status(int limit)
{
    return result<QueueStatus>([&](StoreError *e) { return m_store.queueStatus(limit, e); });
}

QueueResult<QVector<Job>> QueueOperations::history(const HistoryFilter &filter)
{
    return result<QVector<Job>>([&](StoreError *e) { return m_store.history(filter, e); });
}

QueueResult<qint64> QueueOperations::historyCount(const HistoryFilter &filter)
{
    return result<qint64>([&](StoreError *e) { return m_store.historyCount(filter, e); });
}

QueueResult<HistoryPage> QueueOperations::historyPage(const HistoryFilter &filter)
{
    return result<HistoryPage>([&](StoreError *e) { return m_store.historyPage(filter, e); });
}

QueueResult<qint64> QueueOperations::queuedCount(const QueuedFilter &filter)
{
    return result<qint64>([&](StoreError *e) { return m_store.queuedCount(filter, e); });
}

QueueSnapshot QueueOperations::snapshot(int queueLimit, const HistoryFilter &filter, qint64 nowMs,
                                        const QueuedFilter &queueFilter)
{
    QueueSnapshot snapshot;
    snapshot.takenMs = nowMs;
    snapshot.historyFilter = filter;
    snapshot.queueFilter = queueFilter;
    snapshot.queueLimit = queueLimit;
    if (!m_store.isOpen()) {
        snapshot.error = {StoreError::Kind::ConnectionLost,
                          QStringLiteral("the database cannot be opened"),
                          {},
                          0};
        return snapshot;
    }
    StoreError &error = snapshot.error;
    // The queue, the counts and the history page as of one moment: a job that ends meanwhile is
    // shown running or in the history, never in both or in neither.
    ReadTransaction read(m_store.database());
    if (!m_store.begin(read, &error))
        return snapshot;
    snapshot.status = m_store.queueStatus(queueFilter.hasField() ? 0 : queueLimit, &error);
    if (snapshot.status && queueFilter.hasField()) {
        std::optional<QVector<Job>> queued = m_store.queuedJobs(queueLimit, queueFilter, &error);
        if (queued)
            snapshot.queuedMatching = m_store.queuedCount(queueFilter, &error);
        if (!snapshot.queuedMatching)
            snapshot.status.reset();
        else
            snapshot.status->queued = std::move(*queued);
    }
    if (snapshot.status)
        snapshot.counts = m_store.counts(nowMs, &error);
    if (!snapshot.counts)
        return snapshot;
    // Without a filter but the statuses (the window as it opens), the counts just read hold the
    // total: no second read of the figures.
    if (filter.countedByFigures() && filter.fetchType.isEmpty()) {
        snapshot.history = m_store.history(filter, &error);
        if (snapshot.history)
            snapshot.historyTotal = snapshot.counts->finishedOf(filter.statuses);
        return snapshot;
    }
    if (std::optional<HistoryPage> page = m_store.historyPage(filter, &error)) {
        snapshot.history = std::move(page->jobs);
        snapshot.historyTotal = page->total;
    }
    return snapshot;
}

QueueResult<qint64> QueueOperations::exportCsv(const ExportRequest &request,
                                               const std::function<bool(qint64, qint64)> &progress)
{
    QueueResult<qint64> out;
    StoreError error;
    qint64 total = 0;
    if (request.filter) {
        total = m_store.historyCount(*request.filter, &error).value_or(0);
    } else if (const std::optional<JobCounts> counts =
                   m_store.counts(QDateTime::currentMSecsSinceEpoch(), &error)) {
        total = counts->queued + counts->running + counts->completed + counts->failed +
                counts->cancelled;
    }
    const auto told = [&progress, total](qint64 done) {
        return progress ? progress(done, total) : true;
    };
    told(0);
    QString why;
    const bool xlsx = request.format == ExportFormat::Xlsx;
    qint64 count = -1;
    if (request.filter)
        count = xlsx ? Xlsx::exportHistoryToFile(m_store, *request.filter, request.path, &why, told)
                     : Csv::exportHistoryToFile(m_store, *request.filter, request.path, &why, told);
    else
        count = xlsx ? Xlsx::exportJobsToFile(m_store, request.path, &why, told)
                     : Csv::exportJobsToFile(m_store, request.path, &why, told);
    if (count < 0)
        out.error = {StoreError::Kind::Invalid, why, QStringLiteral("path"), 0};
    else
        out.value = count;
    return out;
}
