#pragma once

#include "job/job.h"

#include <array>
#include <optional>

#include <QByteArray>
#include <QMap>
#include <QMutex>

struct JobCounts;

/// The process-side figures behind `GET /metrics` (SPEC §4): durations and records of the jobs
/// that finished in this process, and the API's answers by status code. Thread-safe: the
/// queue's thread observes jobs while the API thread renders.
class ApiMetrics final
{
    Q_DISABLE_COPY_MOVE(ApiMetrics)

public:
    /// Upper bounds (seconds) of the job duration histogram's buckets, +Inf aside.
    static constexpr std::array<double, 12> DurationBuckets{0.1, 0.5, 1,   2.5, 5,    10,
                                                            30,  60,  120, 300, 1200, 3600};

    ApiMetrics() = default;

    /// Counts a job that finished here (completed, failed or cancelled); others are ignored.
    void observeFinishedJob(const Job &job);
    /// Counts one answer of the API.
    void countResponse(int status);

    /// The Prometheus text format 0.0.4: the store's figures when given (`counts`, `paused`;
    /// nothing when the database did not answer) and this process's counters.
    QByteArray render(const std::optional<JobCounts> &counts,
                      const std::optional<bool> &paused) const;

private:
    mutable QMutex m_mutex;
    std::array<quint64, DurationBuckets.size()> m_bucketCounts{};
    quint64 m_durationCount = 0;
    double m_durationSum = 0;
    quint64 m_recordsFetched = 0;
    QMap<QString, quint64> m_finished;
    QMap<int, quint64> m_responses;
};
