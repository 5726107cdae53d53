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
