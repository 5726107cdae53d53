// JobStore's reads for SPEC §10 ("Insight"): the stats buckets.
#include "store/jobstore.h"

#include "job/insight.h"
#include "store/jobrows_p.h"

#include <QSqlDriver>
#include <QSqlQuery>
#include <QVariant>

#include <sqlite3.h>

#include <algorithm>
#include <vector>

namespace {

/// SQLite's `dq_percentile(value, percent)`: the nearest-rank percentile (the value at rank
/// ceil(percent / 100 * n) of the sorted non-null values), as PostgreSQL's percentile_disc
/// gives it; NULL for no values.
struct PercentileState
{
    std::vector<qint64> *values;
    int percent;
};

void percentileStep(sqlite3_context *context, int, sqlite3_value **argv)
{
    auto *state =
        static_cast<PercentileState *>(sqlite3_aggregate_context(context, sizeof(PercentileState)));
    if (!state)
        return sqlite3_result_error_nomem(context);
    if (!state->values)
        state->values = new std::vector<qint64>;
    state->percent = sqlite3_value_int(argv[1]);
    if (sqlite3_value_type(argv[0]) != SQLITE_NULL)
        state->values->push_back(sqlite3_value_int64(argv[0]));
}

void percentileFinal(sqlite3_context *context)
{
    auto *state = static_cast<PercentileState *>(sqlite3_aggregate_context(context, 0));
    if (!state || !state->values || state->values->empty()) {
        if (state)
            delete state->values;
        return sqlite3_result_null(context);
    }
    std::vector<qint64> &values = *state->values;
    const qint64 n = qint64(values.size());
    const qint64 rank = std::clamp<qint64>((qint64(state->percent) * n + 99) / 100, 1, n);
    std::nth_element(values.begin(), values.begin() + (rank - 1), values.end());
    sqlite3_result_int64(context, values[size_t(rank - 1)]);
    delete state->values;
}

/// Registers dq_percentile on the SQLite connection `db` (replacing it is cheap and harmless).
bool registerPercentile(const QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return false;
    sqlite3 *native = *static_cast<sqlite3 *const *>(handle.constData());
    return sqlite3_create_function_v2(native, "dq_percentile", 2,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, nullptr,
                                      percentileStep, percentileFinal, nullptr) == SQLITE_OK;
}

} // namespace

std::optional<QVector<StatsBucket>> JobStore::stats(const QVector<qint64> &edges,
                                                    StatsSource source, StoreError *error)
{
    const int n = int(edges.size()) - 1;
    if (n < 1)
        return QVector<StatsBucket>{};
    constexpr qint64 Hour = 3600 * 1000;
    if (source == StatsSource::Figures &&
        std::all_of(edges.begin(), edges.end(), [](qint64 edge) { return edge % Hour == 0; }))
        return statsFromFigures(edges, error);
    const bool sqlite = m_db->isSqlite();
    if (sqlite && !registerPercentile(m_db->db())) {
        setDatabaseError(error, QStringLiteral("cannot read the stats: no SQLite connection"));
        return std::nullopt;
    }
    // Only the finished statuses are counted; no condition on status, which would lead SQLite
    // (without statistics) to scan the run-order index by status instead of the range.
    // One statement, one aggregate per bucket over its range of the jobs_stats index (finished_ms,
    // status, started_ms, fetched), which holds all it reads: no table row is read, and no
    // GROUP BY sorts a million rows (measured on SQLite: a GROUP BY over a CASE of the edges took
    // four times as long at 1,000,000 jobs).
    const QString duration =
        QStringLiteral("CASE WHEN status = 'completed' THEN finished_ms - started_ms END");
    const auto percentile = [&](int percent) {
        return sqlite ? QStringLiteral("dq_percentile(%1, %2)").arg(duration).arg(percent)
                      : QStringLiteral("percentile_disc(%1) WITHIN GROUP (ORDER BY %2)")
                            .arg(percent / 100.0)
                            .arg(duration);
    };
    const QString bucket =
        QStringLiteral("SELECT %1, "
                       "SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END), "
                       "SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), "
                       "SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END), "
                       "SUM(CASE WHEN status = 'completed' THEN COALESCE(fetched, 0) ELSE 0 END), "
                       "%2, %3 FROM jobs WHERE finished_ms >= ? AND finished_ms < ?")
            .arg(QStringLiteral("%1"), percentile(50), percentile(95));
    QStringList parts;
    for (int i = 0; i < n; ++i)
        parts << bucket.arg(i);
    QSqlQuery &q = m_db->prepared(parts.join(QStringLiteral(" UNION ALL ")));
    const FinishOnExit finishQ(q);
    for (int i = 0; i < n; ++i) {
        q.addBindValue(edges.at(i));
        q.addBindValue(edges.at(i + 1));
    }
    if (!exec(q, error, QStringLiteral("reading the stats")))
        return std::nullopt;
    QVector<StatsBucket> buckets(n);
    for (int i = 0; i < n; ++i)
        buckets[i].startMs = edges.at(i);
    while (q.next()) {
        const int i = q.value(0).toInt();
        if (i < 0 || i >= n)
            continue;
        StatsBucket &b = buckets[i];
        b.completed = q.value(1).toLongLong();
        b.failed = q.value(2).toLongLong();
        b.cancelled = q.value(3).toLongLong();
        b.fetched = q.value(4).toLongLong();
        if (!q.value(5).isNull())
            b.p50Seconds = q.value(5).toLongLong() / 1000.0;
        if (!q.value(6).isNull())
            b.p95Seconds = q.value(6).toLongLong() / 1000.0;
    }
    return buckets;
}

std::optional<JobCounts> JobStore::finishedCounts(const QString &fetchType, StoreError *error)
{
    const QString ofType = fetchType.isEmpty() ? QString() : QStringLiteral(" AND fetch_type = ?");
    JobCounts counts;
    QSqlQuery q(m_db->db());
    // A few rows per hour of history (stats_hours' rows are never removed, only counted down).
    q.prepare(QStringLiteral("SELECT COALESCE(SUM(completed), 0), COALESCE(SUM(failed), 0), "
                             "COALESCE(SUM(cancelled), 0) FROM stats_hours WHERE true%1")
                  .arg(ofType));
    if (!fetchType.isEmpty())
        q.addBindValue(fetchType);
    if (!exec(q, error, QStringLiteral("counting the history")) || !q.next())
        return std::nullopt;
    counts.completed = q.value(0).toLongLong();
    counts.failed = q.value(1).toLongLong();
    counts.cancelled = q.value(2).toLongLong();
    // What the figures leave out: a finished job without a finish time (none that dealerq
    // writes; an operator's own SQL could), through the jobs_history_status index.
    q.prepare(QStringLiteral("SELECT status, COUNT(*) FROM jobs WHERE status IN %1 AND "
                             "finished_ms IS NULL%2 GROUP BY status")
                  .arg(JobRows::FinishedStatuses, ofType));
    if (!fetchType.isEmpty())
        q.addBindValue(fetchType);
    if (!exec(q, error, QStringLiteral("counting the history")))
        return std::nullopt;
    while (q.next()) {
        const qint64 n = q.value(1).toLongLong();
        switch (jobStatusFromString(q.value(0).toString()).value_or(JobStatus::Queued)) {
        case JobStatus::Completed:
            counts.completed += n;
            break;
        case JobStatus::Failed:
            counts.failed += n;
            break;
        case JobStatus::Cancelled:
            counts.cancelled += n;
            break;
        case JobStatus::Queued:
        case JobStatus::Running:
            break;
        }
    }
    return counts;
}

std::optional<QVector<StatsBucket>> JobStore::statsFromFigures(const QVector<qint64> &edges,
                                                               StoreError *error)
{
    // Two statements, one part per bucket each over its range of hours (the primary keys): the
    // counts summed over the types, and the completed jobs' durations by histogram bin, from
    // which the percentiles are read here. Every edge is a whole UTC hour, so a bucket holds
    // whole hours of stats_hours.
    const int n = int(edges.size()) - 1;
    QVector<StatsBucket> buckets(n);
    for (int i = 0; i < n; ++i)
        buckets[i].startMs = edges.at(i);
    const auto partsOf = [n](const QString &part) {
        QStringList parts;
        for (int i = 0; i < n; ++i)
            parts << part.arg(i);
        return parts.join(QStringLiteral(" UNION ALL "));
    };
    {
        QSqlQuery &q = m_db->prepared(partsOf(
            QStringLiteral("SELECT %1, SUM(completed), SUM(failed), SUM(cancelled), SUM(fetched) "
                           "FROM stats_hours WHERE hour_ms >= ? AND hour_ms < ?")));
        const FinishOnExit finishQ(q);
        for (int i = 0; i < n; ++i) {
            q.addBindValue(edges.at(i));
            q.addBindValue(edges.at(i + 1));
        }
        if (!exec(q, error, QStringLiteral("reading the stats")))
            return std::nullopt;
        while (q.next()) {
            const int i = q.value(0).toInt();
            if (i < 0 || i >= n)
                continue;
            StatsBucket &b = buckets[i];
            b.completed = q.value(1).toLongLong();
            b.failed = q.value(2).toLongLong();
            b.cancelled = q.value(3).toLongLong();
            b.fetched = q.value(4).toLongLong();
        }
    }
    QVector<QVector<std::pair<int, qint64>>> bins(n);
    {
        QSqlQuery &q = m_db->prepared(
            partsOf(QStringLiteral("SELECT %1, bin, SUM(completed) FROM stats_durations "
                                   "WHERE hour_ms >= ? AND hour_ms < ? GROUP BY bin")));
        const FinishOnExit finishQ(q);
        for (int i = 0; i < n; ++i) {
            q.addBindValue(edges.at(i));
            q.addBindValue(edges.at(i + 1));
        }
        if (!exec(q, error, QStringLiteral("reading the stats")))
            return std::nullopt;
        while (q.next()) {
            const int i = q.value(0).toInt();
            const qint64 count = q.value(2).toLongLong();
            if (i >= 0 && i < n && count > 0)
                bins[i].push_back({q.value(1).toInt(), count});
        }
    }
    for (int i = 0; i < n; ++i) {
        QVector<std::pair<int, qint64>> &histogram = bins[i];
        std::sort(histogram.begin(), histogram.end());
        qint64 total = 0;
        for (const auto &bin : std::as_const(histogram))
            total += bin.second;
        if (total == 0)
            continue;
        // Nearest rank, as dq_percentile and percentile_disc: the bin that holds the value at
        // rank ceil(percent / 100 * total) holds that value, and its value is reported.
        const auto percentile = [&](int percent) {
            const qint64 rank = std::clamp<qint64>((percent * total + 99) / 100, 1, total);
            qint64 seen = 0;
            for (const auto &bin : std::as_const(histogram)) {
                seen += bin.second;
                if (seen >= rank)
                    return statsDurationBinValueMs(bin.first) / 1000.0;
            }
            return statsDurationBinValueMs(histogram.last().first) / 1000.0;
        };
        buckets[i].p50Seconds = percentile(50);
        buckets[i].p95Seconds = percentile(95);
    }
    return buckets;
}

std::optional<CoveragePage> JobStore::coverage(const CoverageFilter &filter, StoreError *error)
{
    // The page is read from insight_coverage alone (its primary key's order, or a freshness
    // index), with the count of every row the filter matches; the records and, for a failed or
    // cancelled latest job, its error are looked up for the rows of the page only. The latest
    // job is the one with the greatest key finished_ms * 8 + its status's code (unfinished jobs
    // count as finished at 0).
    QStringList conditions;
    QVariantList binds;
    if (!filter.fetchType.isEmpty()) {
        conditions << QStringLiteral("fetch_type = ?");
        binds << filter.fetchType;
    }
    if (!filter.dealerSearch.isEmpty()) {
        QString pattern = filter.dealerSearch.toLower();
        pattern.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
            .replace(QLatin1Char('%'), QLatin1String("\\%"))
            .replace(QLatin1Char('_'), QLatin1String("\\_"));
        conditions << QStringLiteral("LOWER(dealer_id) LIKE ? ESCAPE '\\'");
        binds << QStringLiteral("%%1%").arg(pattern);
    }
    switch (filter.state) {
    case CoverageState::Stale:
        conditions << QStringLiteral("last_success_ms < ?");
        binds << filter.staleBeforeMs;
        break;
    case CoverageState::Failing:
        conditions << QStringLiteral("last_key % 8 = 4");
        break;
    case CoverageState::Never:
        conditions << QStringLiteral("last_success_ms IS NULL");
        break;
    case CoverageState::Fresh:
        conditions << QStringLiteral("last_success_ms >= ? AND last_key % 8 <> 4");
        binds << filter.staleBeforeMs;
        break;
    case CoverageState::Any:
        break;
    }
    const QString where =
        conditions.isEmpty() ? QString()
                             : QStringLiteral(" WHERE ") + conditions.join(QStringLiteral(" AND "));
    const QString sql =
        QStringLiteral(
            "SELECT a.dealer_id, a.fetch_type, a.last_success_ms, a.covered_to_ms, "
            "COALESCE(c.records, 0), a.last_key, "
            "CASE WHEN a.last_key % 8 IN (4, 5) THEN (SELECT j.error_message FROM jobs j "
            "WHERE j.dealer_id = a.dealer_id AND j.fetch_type = a.fetch_type AND "
            "j.finished_ms = a.last_key / 8 ORDER BY j.id DESC LIMIT 1) END, "
            "a.total FROM (SELECT dealer_id, fetch_type, last_success_ms, covered_to_ms, "
            "last_key, COUNT(*) OVER () AS total FROM insight_coverage%1 "
            "ORDER BY dealer_id, fetch_type LIMIT ? OFFSET ?) a "
            "LEFT JOIN record_counts c ON c.dealer_id = a.dealer_id AND c.fetch_type = "
            "a.fetch_type "
            "ORDER BY a.dealer_id, a.fetch_type")
            .arg(where);
    const auto read = [&](int limit, int offset) -> std::optional<CoveragePage> {
        QSqlQuery &q = m_db->prepared(sql);
        const FinishOnExit finishQ(q);
        for (const QVariant &bind : std::as_const(binds))
            q.addBindValue(bind);
        q.addBindValue(limit);
        q.addBindValue(offset);
        if (!exec(q, error, QStringLiteral("reading the coverage")))
            return std::nullopt;
        static const char *const statuses[] = {"",          "queued", "running",
                                               "completed", "failed", "cancelled"};
        CoveragePage page;
        while (q.next()) {
            CoverageRow row;
            row.dealerId = q.value(0).toString();
            row.fetchType = q.value(1).toString();
            if (!q.value(2).isNull())
                row.lastSuccessMs = q.value(2).toLongLong();
            if (!q.value(3).isNull())
                row.coveredToMs = q.value(3).toLongLong();
            row.records = q.value(4).toLongLong();
            const qint64 code = q.value(5).toLongLong() % 8;
            row.lastStatus = QLatin1String(statuses[code >= 1 && code <= 5 ? code : 0]);
            row.lastError = q.value(6).toString();
            page.total = q.value(7).toLongLong();
            page.rows.push_back(std::move(row));
        }
        return page;
    };
    std::optional<CoveragePage> page = read(filter.limit, filter.offset);
    if (page && page->rows.isEmpty() && filter.offset > 0) {
        // Past the end: the total is still told.
        const std::optional<CoveragePage> first = read(1, 0);
        if (!first)
            return std::nullopt;
        page->total = first->total;
    }
    return page;
}
