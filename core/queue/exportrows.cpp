#include "queue/exportrows.h"

#include "store/jobstore.h"

namespace {

/// Each history read of an export takes this many jobs.
constexpr int HistoryChunk = 2000;

/// Every job, or the filter's page after page; `visit` returns false to stop.
bool readJobs(JobStore &store, const std::optional<HistoryFilter> &filter,
              const std::function<bool(const Job &)> &visit, QString *why)
{
    StoreError storeError;
    if (!filter) {
        if (store.forEachJob(visit, &storeError))
            return true;
        *why = storeError.message;
        return false;
    }
    HistoryFilter page = *filter;
    page.limit = HistoryChunk;
    page.offset = 0;
    for (;;) {
        const std::optional<QVector<Job>> jobs = store.history(page, &storeError);
        if (!jobs) {
            *why = storeError.message;
            return false;
        }
        for (const Job &job : *jobs) {
            if (!visit(job))
                return true;
        }
        if (jobs->size() < HistoryChunk)
            return true;
        page.offset += HistoryChunk;
    }
}

} // namespace

qint64 writeExportedJobs(JobStore &store, const std::optional<HistoryFilter> &filter,
                         const std::function<bool(const Job &, QString *)> &write,
                         const std::function<bool(qint64)> &progress, QString *error)
{
    qint64 count = 0;
    bool stopped = false;
    QString why;
    const bool read = readJobs(
        store, filter,
        [&](const Job &job) {
            if (!write(job, &why))
                return false;
            ++count;
            if (progress && count % 1000 == 0 && !progress(count)) {
                stopped = true;
                return false;
            }
            return true;
        },
        &why);
    if (!read || !why.isEmpty() || stopped) {
        if (error)
            *error = stopped ? QStringLiteral("export cancelled") : why;
        return -1;
    }
    if (progress)
        progress(count);
    return count;
}
