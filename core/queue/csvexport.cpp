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

namespace {

/// Appends `utf8` as one cell. Every character the rules look at is ASCII, and no byte of a
/// multi-byte UTF-8 sequence is, so the rules can be applied to the encoded bytes.
void appendCell(QByteArray &out, QByteArrayView utf8)
{
    const bool formula = !utf8.isEmpty() && QByteArrayView("=+-@\t\r").contains(utf8.front());
    bool quoted = false;
    for (const char c : utf8) {
        if (c == ',' || c == '"' || c == '\n' || c == '\r') {
            quoted = true;
            break;
        }
    }
    if (quoted)
        out += '"';
    if (formula)
        out += '\'';
    if (quoted) {
        for (const char c : utf8) {
            if (c == '"')
                out += '"';
            out += c;
        }
        out += '"';
    } else {
        out += utf8;
    }
}

void appendCell(QByteArray &out, const QString &value)
{
    appendCell(out, QByteArrayView(value.toUtf8()));
}

} // namespace

QString cell(const QString &value)
{
    QByteArray out;
    appendCell(out, value);
    return QString::fromUtf8(out);
}

QByteArray row(const Job &job, qint64 nowMs)
{
    // Built straight into one buffer: an export writes a million of these.
    QByteArray out;
    out.reserve(256);
    const auto field = [&out](const QString &value) {
        appendCell(out, value);
        out += ',';
    };
    const auto number = [&out](qint64 value) {
        appendCell(out, QByteArrayView(QByteArray::number(value)));
        out += ',';
    };
    const auto resultNumber = [&](qint64 value) {
        if (job.result)
            number(value);
        else
            out += ',';
    };
    number(job.id);
    field(job.dealerId);
    field(job.fetchType);
    field(formatTimestamp(job.fromMs));
    field(formatTimestamp(job.toMs));
    field(jobStatusName(job.status));
    field(formatTimestamp(job.createdMs));
    field(formatTimestamp(job.startedMs));
    field(formatTimestamp(job.finishedMs));
    if (const std::optional<double> duration = job.durationSeconds(nowMs))
        appendCell(out, QByteArrayView(QByteArray::number(*duration, 'f', 3)));
    out += ',';
    number(job.attempts);
    resultNumber(job.result ? job.result->pages : 0);
    resultNumber(job.result ? job.result->fetched : 0);
    resultNumber(job.result ? job.result->inserted : 0);
    resultNumber(job.result ? job.result->updated : 0);
    appendCell(out, job.error.message);
    out += "\r\n";
    return out;
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
