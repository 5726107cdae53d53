#include "job/job.h"

#include <array>
#include <utility>

namespace {

constexpr std::array<std::pair<JobStatus, const char *>, 5> StatusNames{{
    {JobStatus::Queued, "queued"},
    {JobStatus::Running, "running"},
    {JobStatus::Completed, "completed"},
    {JobStatus::Failed, "failed"},
    {JobStatus::Cancelled, "cancelled"},
}};

constexpr std::array<std::pair<ErrorCategory, const char *>, 9> CategoryNames{{
    {ErrorCategory::None, ""},
    {ErrorCategory::Network, "network"},
    {ErrorCategory::Http, "http"},
    {ErrorCategory::Auth, "auth"},
    {ErrorCategory::NotFound, "not_found"},
    {ErrorCategory::BadPayload, "bad_payload"},
    {ErrorCategory::Database, "database"},
    {ErrorCategory::Cancelled, "cancelled"},
    {ErrorCategory::Interrupted, "interrupted"},
}};

template<typename Enum, std::size_t N>
QString nameOf(const std::array<std::pair<Enum, const char *>, N> &names, Enum value)
{
    for (const auto &[v, name] : names) {
        if (v == value)
            return QString::fromLatin1(name);
    }
    return {};
}

template<typename Enum, std::size_t N>
std::optional<Enum> valueOf(const std::array<std::pair<Enum, const char *>, N> &names,
                            const QString &text)
{
    for (const auto &[v, name] : names) {
        if (text == QLatin1String(name))
            return v;
    }
    return std::nullopt;
}

} // namespace

QString jobPhaseName(JobPhase phase)
{
    switch (phase) {
    case JobPhase::Waiting:
        return QStringLiteral("waiting");
    case JobPhase::Downloading:
        return QStringLiteral("downloading");
    case JobPhase::Retrying:
        return QStringLiteral("retrying");
    case JobPhase::Committing:
        return QStringLiteral("committing");
    }
    return QStringLiteral("waiting");
}

std::optional<JobPhase> jobPhaseFromString(const QString &name)
{
    for (JobPhase phase :
         {JobPhase::Waiting, JobPhase::Downloading, JobPhase::Retrying, JobPhase::Committing}) {
        if (jobPhaseName(phase) == name)
            return phase;
    }
    return std::nullopt;
}

QString jobStatusName(JobStatus status)
{
    return nameOf(StatusNames, status);
}

std::optional<JobStatus> jobStatusFromString(const QString &text)
{
    return valueOf(StatusNames, text);
}

QString errorCategoryName(ErrorCategory category)
{
    return nameOf(CategoryNames, category);
}

std::optional<ErrorCategory> errorCategoryFromString(const QString &text)
{
    return valueOf(CategoryNames, text);
}

std::optional<double> Job::durationSeconds(qint64 nowMs) const
{
    if (startedMs == 0)
        return std::nullopt;
    const qint64 end = status == JobStatus::Running ? nowMs : finishedMs;
    if (end == 0 || end < startedMs)
        return std::nullopt;
    return double(end - startedMs) / 1000.0;
}
