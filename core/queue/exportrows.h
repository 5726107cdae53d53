#pragma once

#include "job/queuetypes.h"

#include <functional>
#include <optional>

class JobStore;

/// Hands the jobs an export writes to `write`, one at a time: every job in `store`, oldest
/// first, or with `filter` the finished jobs it matches, newest first, as the history lists them
/// (its limit and offset are not used). Reads in chunks, so that a large history never sits in
/// memory. `write` returns false with its reason in *why to stop; `progress` (optional) is told
/// the count every 1,000 jobs and at the end, and returns false to stop ("export cancelled").
/// Returns how many jobs were written, or -1 with the reason in *error.
qint64 writeExportedJobs(JobStore &store, const std::optional<HistoryFilter> &filter,
                         const std::function<bool(const Job &job, QString *why)> &write,
                         const std::function<bool(qint64)> &progress, QString *error);
