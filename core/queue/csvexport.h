#pragma once

#include "job/job.h"
#include "job/queuetypes.h"

#include <QByteArray>
#include <QString>

#include <functional>

class JobStore;
class QIODevice;

/// The CSV of SPEC §5: UTF-8 without a byte-order mark, RFC 4180 quoting, CRLF line ends,
/// times as ISO 8601 with an offset, and a leading `'` on any cell a spreadsheet would run as a
/// formula.
namespace Csv {

QByteArray header();
QByteArray row(const Job &job, qint64 nowMs);
/// One cell, quoted and protected as needed.
QString cell(const QString &value);

/// Streams every job in `store`, oldest first, to `out`, reading in chunks so that a large
/// history never sits in memory. `progress` (optional) is told the count so far and may return
/// false to stop. Returns false with a reason on a database or write error.
bool exportJobs(JobStore &store, QIODevice *out, QString *error,
                const std::function<bool(qint64)> &progress = {});
/// The same for the finished jobs `filter` matches, newest first, as the history lists them
/// (the filter's limit and offset are not used).
bool exportHistory(JobStore &store, const HistoryFilter &filter, QIODevice *out, QString *error,
                   const std::function<bool(qint64)> &progress = {});

/// Writes to `path` through a temporary file that replaces it only when complete, so a failed
/// export never leaves half a file. Returns the number of jobs written, or -1 with a reason.
qint64 exportJobsToFile(JobStore &store, const QString &path, QString *error,
                        const std::function<bool(qint64)> &progress = {});
/// exportHistory() to `path`, as exportJobsToFile() writes.
qint64 exportHistoryToFile(JobStore &store, const HistoryFilter &filter, const QString &path,
                           QString *error, const std::function<bool(qint64)> &progress = {});

} // namespace Csv
