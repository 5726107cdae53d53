#include "job/insight.h"

#include <QDateTime>

std::optional<StatsRange> parseStatsRange(const QString &text)
{
    if (text == QLatin1String("24h"))
        return StatsRange::Hours24;
    if (text == QLatin1String("30d"))
        return StatsRange::Days30;
    return std::nullopt;
}

QString statsRangeName(StatsRange range)
{
    return range == StatsRange::Hours24 ? QStringLiteral("24h") : QStringLiteral("30d");
}

QVector<qint64> statsBucketEdges(StatsRange range, const QTimeZone &zone, qint64 nowMs)
{
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(nowMs, zone);
    QVector<qint64> edges;
    if (range == StatsRange::Hours24) {
        // The current hour began when the wall clock last showed :00:00 (whatever the offset).
        const QTime t = now.time();
        const qint64 hourStart = nowMs - (qint64(t.minute()) * 60 + t.second()) * 1000 - t.msec();
        constexpr qint64 Hour = 3600 * 1000;
        for (int i = 23; i >= -1; --i)
            edges.push_back(hourStart - i * Hour);
        return edges;
    }
    const QDate today = now.date();
    for (int i = 29; i >= -1; --i)
        edges.push_back(today.addDays(-i).startOfDay(zone).toMSecsSinceEpoch());
    return edges;
}

std::optional<CoverageState> parseCoverageState(const QString &text)
{
    if (text == QLatin1String("stale"))
        return CoverageState::Stale;
    if (text == QLatin1String("failing"))
        return CoverageState::Failing;
    if (text == QLatin1String("never"))
        return CoverageState::Never;
    return std::nullopt;
}

CoverageState CoverageRow::state(qint64 staleBeforeMs) const
{
    if (lastStatus == QLatin1String("failed"))
        return CoverageState::Failing;
    if (!lastSuccessMs)
        return CoverageState::Never;
    if (*lastSuccessMs < staleBeforeMs)
        return CoverageState::Stale;
    return CoverageState::Fresh;
}

int statsDurationBin(qint64 ms)
{
    if (ms < 32)
        return ms < 0 ? 0 : int(ms);
    int k = 5;
    while (k < 40 && (ms >> (k + 1)) != 0)
        ++k;
    if ((ms >> (k + 1)) != 0) // 2^41 ms or more
        return StatsDurationBins - 1;
    return 32 + (k - 5) * 16 + int((ms >> (k - 4)) - 16);
}

qint64 statsDurationBinLowMs(int bin)
{
    if (bin < 32)
        return bin;
    const int k = 5 + (bin - 32) / 16;
    return qint64(16 + (bin - 32) % 16) << (k - 4);
}

qint64 statsDurationBinValueMs(int bin)
{
    if (bin < 32)
        return bin;
    const int k = 5 + (bin - 32) / 16;
    const qint64 width = qint64(1) << (k - 4);
    return statsDurationBinLowMs(bin) + (width - 1) / 2;
}
