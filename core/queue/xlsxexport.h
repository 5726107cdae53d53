#pragma once

#include "job/queuetypes.h"

#include <QString>
#include <QStringList>

#include <functional>

class JobStore;

/// The jobs as an Excel workbook (SPEC §3 `--export-xlsx`): one sheet whose row 1 holds the CSV's
/// header names (SPEC §5) in the CSV's order, the dealer ID as text (`00999` stays `00999`), times
/// as date-time cells in local time, the job number and counts as numbers, and every other value
/// as a plain string, never a formula.
namespace Xlsx {

/// The header names of row 1: exactly the CSV's.
QStringList header();

/// Writes every job in `store`, oldest first, to `path`, reading in chunks and writing in
/// libxlsxwriter's constant-memory mode, so that a large history never sits in memory. The
/// workbook is written next to `path` and replaces it only when complete. `progress` (optional)
/// is told the count so far and may return false to stop. Returns the number of jobs written,
/// or -1 with a reason (and no file left behind).
qint64 exportJobsToFile(JobStore &store, const QString &path, QString *error,
                        const std::function<bool(qint64)> &progress = {});
/// The same for the finished jobs `filter` matches, newest first, as the history lists them
/// (the filter's limit and offset are not used).
qint64 exportHistoryToFile(JobStore &store, const HistoryFilter &filter, const QString &path,
                           QString *error, const std::function<bool(qint64)> &progress = {});

} // namespace Xlsx
