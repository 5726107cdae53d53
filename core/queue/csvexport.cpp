#include "queue/csvexport.h"

#include "job/timeformat.h"
#include "queue/exportrows.h"
#include "store/jobstore.h"

#include <QDateTime>
#include <QFileInfo>
#include <QSaveFile>

namespace Csv {

QByteArray header()
{
    return QByteArrayLiteral("job_id,dealer_id,fetch_type,from_time,to_time,status,created_at,"
                             "started_at,finished_at,duration_s,attempts,pages,fetched,inserted,"
                             "updated,error\r\n");
}

QString cell(const QString &value)
{
    QString text = value;
    if (!text.isEmpty()) {
        const QChar first = text.front();
        if (first == QLatin1Char('=') || first == QLatin1Char('+') || first == QLatin1Char('-') ||
            first == QLatin1Char('@') || first == QLatin1Char('\t') || first == QLatin1Char('\r'))
            text.prepend(QLatin1Char('\''));
    }
    if (text.contains(QLatin1Char(',')) || text.contains(QLatin1Char('"')) ||
        text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))) {
        text.replace(QLatin1Char('"'), QStringLiteral("\"\""));
        text = QLatin1Char('"') + text + QLatin1Char('"');
    }
    return text;
}

QByteArray row(const Job &job, qint64 nowMs)
{
    const std::optional<double> duration = job.durationSeconds(nowMs);
    const auto number = [&](qint64 value) {
        return job.result ? QString::number(value) : QString();
    };
    QStringList cells{
        QString::number(job.id),
        job.dealerId,
        job.fetchType,
        formatTimestamp(job.fromMs),
        formatTimestamp(job.toMs),
        jobStatusName(job.status),
        formatTimestamp(job.createdMs),
        formatTimestamp(job.startedMs),
        formatTimestamp(job.finishedMs),
        duration ? QString::number(*duration, 'f', 3) : QString(),
        QString::number(job.attempts),
        number(job.result ? job.result->pages : 0),
        number(job.result ? job.result->fetched : 0),
        number(job.result ? job.result->inserted : 0),
        number(job.result ? job.result->updated : 0),
        job.error.message,
    };
    for (QString &value : cells)
        value = cell(value);
    return cells.join(QLatin1Char(',')).toUtf8() + "\r\n";
}

namespace {

bool writeJobs(JobStore &store, const std::optional<HistoryFilter> &filter, QIODevice *out,
               QString *error, const std::function<bool(qint64)> &progress)
{
    if (out->write(header()) < 0) {
        if (error)
            *error = out->errorString();
        return false;
    }
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    return writeExportedJobs(
               store, filter,
               [out, now](const Job &job, QString *why) {
                   if (out->write(row(job, now)) >= 0)
                       return true;
                   *why = out->errorString();
                   return false;
               },
               progress, error) >= 0;
}

} // namespace

bool exportJobs(JobStore &store, QIODevice *out, QString *error,
                const std::function<bool(qint64)> &progress)
{
    return writeJobs(store, std::nullopt, out, error, progress);
}

bool exportHistory(JobStore &store, const HistoryFilter &filter, QIODevice *out, QString *error,
                   const std::function<bool(qint64)> &progress)
{
    return writeJobs(store, filter, out, error, progress);
}

namespace {

using Writer = std::function<bool(QIODevice *, QString *, const std::function<bool(qint64)> &)>;

qint64 writeToFile(const QString &path, const Writer &write, QString *error,
                   const std::function<bool(qint64)> &progress)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return -1;
    }
    qint64 count = 0;
    const auto counting = [&](qint64 n) {
        count = n;
        return progress ? progress(n) : true;
    };
    QString why;
    if (!write(&file, &why, counting)) {
        file.cancelWriting();
        if (error)
            *error = QStringLiteral("cannot export to %1: %2").arg(path, why);
        return -1;
    }
    if (!file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return -1;
    }
    return count;
}

} // namespace

qint64 exportJobsToFile(JobStore &store, const QString &path, QString *error,
                        const std::function<bool(qint64)> &progress)
{
    return writeToFile(
        path,
        [&store](QIODevice *out, QString *why, const std::function<bool(qint64)> &counting) {
            return exportJobs(store, out, why, counting);
        },
        error, progress);
}

qint64 exportHistoryToFile(JobStore &store, const HistoryFilter &filter, const QString &path,
                           QString *error, const std::function<bool(qint64)> &progress)
{
    return writeToFile(
        path,
        [&store, &filter](QIODevice *out, QString *why,
                          const std::function<bool(qint64)> &counting) {
            return exportHistory(store, filter, out, why, counting);
        },
        error, progress);
}

} // namespace Csv
