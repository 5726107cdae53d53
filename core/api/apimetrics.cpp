#include "api/apimetrics.h"

#include "store/jobstore.h"

#include <QMutexLocker>

namespace {

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 15);
}

void family(QByteArray *out, const char *name, const char *type, const char *help)
{
    *out += QByteArray("# HELP ") + name + ' ' + help + '\n';
    *out += QByteArray("# TYPE ") + name + ' ' + type + '\n';
}

} // namespace

void ApiMetrics::observeFinishedJob(const Job &job)
{
    if (!job.isFinished())
        return;
    const std::optional<double> duration = job.durationSeconds(job.finishedMs);
    QMutexLocker lock(&m_mutex);
    ++m_finished[jobStatusName(job.status)];
    if (job.status == JobStatus::Completed && job.result)
        m_recordsFetched += quint64(qMax<qint64>(0, job.result->fetched));
    if (!duration)
        return;
    ++m_durationCount;
    m_durationSum += *duration;
    for (std::size_t i = 0; i < DurationBuckets.size(); ++i) {
        if (*duration <= DurationBuckets[i])
            ++m_bucketCounts[i];
    }
}

void ApiMetrics::countResponse(int status)
{
    QMutexLocker lock(&m_mutex);
    ++m_responses[status];
}

QByteArray ApiMetrics::render(const std::optional<JobCounts> &counts,
                              const std::optional<bool> &paused) const
{
    QByteArray out;
    out.reserve(4096);
    family(&out, "dealerq_database_up", "gauge",
           "Whether the database answered this scrape (1) or not (0).");
    out += "dealerq_database_up " + QByteArray(counts && paused ? "1" : "0") + '\n';
    if (counts) {
        family(&out, "dealerq_jobs", "gauge", "Jobs in the store, by status.");
        const std::pair<const char *, qint64> byStatus[] = {
            {"queued", counts->queued},       {"running", counts->running},
            {"completed", counts->completed}, {"failed", counts->failed},
            {"cancelled", counts->cancelled},
        };
        for (const auto &[status, n] : byStatus)
            out += QByteArray("dealerq_jobs{status=\"") + status + "\"} " + QByteArray::number(n) +
                   '\n';
        family(&out, "dealerq_queue_length", "gauge", "Jobs waiting in the queue.");
        out += "dealerq_queue_length " + QByteArray::number(counts->queued) + '\n';
    }
    if (paused) {
        family(&out, "dealerq_queue_paused", "gauge",
               "Whether the queue is paused (1): no new job is started.");
        out += "dealerq_queue_paused " + QByteArray(*paused ? "1" : "0") + '\n';
    }

    QMutexLocker lock(&m_mutex);
    family(&out, "dealerq_job_duration_seconds", "histogram",
           "How long the jobs that finished in this process ran.");
    for (std::size_t i = 0; i < DurationBuckets.size(); ++i)
        out += "dealerq_job_duration_seconds_bucket{le=\"" + number(DurationBuckets[i]) + "\"} " +
               QByteArray::number(m_bucketCounts[i]) + '\n';
    out += "dealerq_job_duration_seconds_bucket{le=\"+Inf\"} " +
           QByteArray::number(m_durationCount) + '\n';
    out += "dealerq_job_duration_seconds_sum " + number(m_durationSum) + '\n';
    out += "dealerq_job_duration_seconds_count " + QByteArray::number(m_durationCount) + '\n';

    family(&out, "dealerq_jobs_finished_total", "counter",
           "Jobs that finished in this process, by status.");
    for (const char *status : {"completed", "failed", "cancelled"})
        out += QByteArray("dealerq_jobs_finished_total{status=\"") + status + "\"} " +
               QByteArray::number(m_finished.value(QString::fromLatin1(status))) + '\n';

    family(&out, "dealerq_records_fetched_total", "counter",
           "Records fetched by the jobs that completed in this process.");
    out += "dealerq_records_fetched_total " + QByteArray::number(m_recordsFetched) + '\n';

    family(&out, "dealerq_api_responses_total", "counter",
           "Answers of the REST API, by HTTP status code.");
    for (auto it = m_responses.cbegin(); it != m_responses.cend(); ++it)
        out += "dealerq_api_responses_total{code=\"" + QByteArray::number(it.key()) + "\"} " +
               QByteArray::number(it.value()) + '\n';
    return out;
}
