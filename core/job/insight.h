#pragma once

#include <QString>
#include <QTimeZone>
#include <QVector>

#include <optional>

// The figures of SPEC §10 ("Insight") as plain values, shared by the store, the API and the
// window.

/// What `GET /stats` and the window's charts cover: the last 24 hours by the hour, or the last
/// 30 days by the day.
enum class StatsRange
{
    Hours24,
    Days30
};

/// `24h` or `30d`; nothing for any other text.
std::optional<StatsRange> parseStatsRange(const QString &text);
QString statsRangeName(StatsRange range);

/// The bucket edges of `range` at `nowMs` in `zone`: n + 1 instants (ms since the epoch), bucket
/// i being [edges[i], edges[i + 1]). Hourly: the 24 hours up to the end of the current hour,
/// each an hour long (the hour the clocks repeat is two buckets, the one they skip none). Daily:
/// the 30 calendar days of `zone` up to the end of today, each from its first instant (23 or
/// 25 hours on a daylight-saving day). The last bucket is the current (partial) hour or day.
QVector<qint64> statsBucketEdges(StatsRange range, const QTimeZone &zone, qint64 nowMs);

/// Where the stats' figures come from. `Scan`: the finished jobs themselves (the jobs_stats
/// index), percentiles exact. `Figures`: the hourly figures kept as jobs finish (schema 9's
/// stats_hours and stats_durations), counts exact, percentiles the middle of the histogram bin
/// that holds the exact one (statsDurationBinValueMs()); read in time independent of the jobs in
/// range, and only when every edge is a whole UTC hour (else the scan is read).
enum class StatsSource
{
    Scan,
    Figures
};

/// The duration histogram's bins (schema 9): a duration of d ms falls in bin d for d < 32
/// (exact; bin 0 also holds negative durations, a clock set back), above that in one of 16
/// equal bins per power of two: [2^k, 2^(k+1)) split by 2^(k - 4) ms, up to 2^41 ms (the last bin
/// holding everything longer). A bin's value, what the stats report for it, is its lowest
/// duration plus half its width less one, rounded down: within 1/32 (3.125 %) of any duration in
/// it.
constexpr int StatsDurationBins = 32 + (41 - 5) * 16;
int statsDurationBin(qint64 ms);
/// The lowest duration of bin `bin` (0 <= bin < StatsDurationBins); bin 0's is 0.
qint64 statsDurationBinLowMs(int bin);
qint64 statsDurationBinValueMs(int bin);

/// One bucket of SPEC §10's stats: the jobs that finished within it, by `finished_at`.
struct StatsBucket
{
    qint64 startMs = 0;
    qint64 completed = 0;
    qint64 failed = 0;
    qint64 cancelled = 0;
    qint64 fetched = 0;               ///< records fetched by its completed jobs
    std::optional<double> p50Seconds; ///< median duration of its completed jobs (nearest rank)
    std::optional<double> p95Seconds; ///< their 95th percentile (nearest rank)
};

/// A dealer's and type's freshness (SPEC §10), what the coverage's `state` filters by.
enum class CoverageState
{
    Any,     ///< no filter
    Fresh,   ///< a success within `[coverage] stale_hours`, the latest job not failed
    Stale,   ///< the last success is older than `[coverage] stale_hours`
    Failing, ///< the latest job failed
    Never    ///< no success yet
};

/// `stale`, `failing` or `never` (the states `state=` filters by); nothing for any other text.
std::optional<CoverageState> parseCoverageState(const QString &text);

/// Which dealers and types `GET /dealers/coverage` and the Dealers view read.
struct CoverageFilter
{
    QString fetchType;    ///< empty: every type
    QString dealerSearch; ///< part of the dealer ID, any case; empty: all
    CoverageState state = CoverageState::Any;
    qint64 staleBeforeMs = 0; ///< a last success before this is stale: now - stale_hours
    int limit = 100;
    int offset = 0;
};

/// One dealer and type that has any job (SPEC §10).
struct CoverageRow
{
    QString dealerId;
    QString fetchType;
    std::optional<qint64> lastSuccessMs; ///< the latest finished_at of its completed jobs
    std::optional<qint64> coveredToMs;   ///< the latest to_time of its completed jobs
    qint64 records = 0;                  ///< the records stored for it
    QString lastStatus; ///< of the job that finished last (or, none finished, the newest)
    QString lastError;  ///< that job's error message; empty when none

    /// Its colour's state: failing before never before stale; else fresh.
    CoverageState state(qint64 staleBeforeMs) const;
};

struct CoveragePage
{
    QVector<CoverageRow> rows; ///< ordered by dealer ID, then fetch type
    qint64 total = 0;          ///< every row the filter matches
};
