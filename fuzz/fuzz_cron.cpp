// Schedules (core/schedule): CronExpression::parse(), nextFireTimes(), previousFireTime(),
// describe(), WindowRule::parse() and computeWindow() on arbitrary bytes. The input is
// "CRON\nWINDOW" (no newline: CRON alone). Fire times are asked for from instants around
// daylight-saving changes in zones with hour and half-hour changes.
#include "fuzzcheck.h"
#include "schedule/cron.h"
#include "schedule/window.h"

#include <cstddef>
#include <cstdint>

#include <QTimeZone>

namespace {

constexpr qint64 DayMs = 24LL * 3600 * 1000;

bool isFieldError(const QString &error)
{
    for (const char *field : {"minute: ", "hour: ", "day-of-month: ", "month: ", "day-of-week: "}) {
        if (error.startsWith(QLatin1String("cron: ") + QLatin1String(field)))
            return true;
    }
    return error.startsWith(QLatin1String("cron: expected 5 fields, got ")) ||
           error.startsWith(QLatin1String("cron: the expression is "));
}

/// Each fire shows a matching minute on the zone's clock, or is the first instant after a gap.
void checkFire(const CronExpression &cron, const QTimeZone &zone, const QDateTime &fire)
{
    const QDateTime wall = fire.toTimeZone(zone);
    FUZZ_CHECK(fire.timeSpec() == Qt::UTC && fire.time().msec() == 0, cron.toString());
    if (wall.time().second() == 0 &&
        cron.matches(wall.date(), wall.time().hour(), wall.time().minute()))
        return;
    FUZZ_CHECK(zone.offsetFromUtc(fire.addSecs(-1)) < zone.offsetFromUtc(fire),
               QStringLiteral("%1 in %2: %3 shows %4, not a slot and not the end of a gap")
                   .arg(cron.toString(), QString::fromLatin1(zone.id()), fire.toString(Qt::ISODate),
                        wall.toString(Qt::ISODate)));
}

void checkWindow(const WindowRule &rule, const QDateTime &fire, const QTimeZone &zone,
                 std::optional<QDateTime> coveredTo, int fallbackDays)
{
    const TimeWindow window = computeWindow(rule, fire, zone, coveredTo, fallbackDays);
    const QString what = rule.toString() + QLatin1Char(' ') + fire.toString(Qt::ISODate);
    FUZZ_CHECK(window.fromMs <= window.toMs, what);
    FUZZ_CHECK(window.toMs - window.fromMs < MaxWindowDays * DayMs, what);
    FUZZ_CHECK(window.toMs < fire.toMSecsSinceEpoch(), what);
    FUZZ_CHECK(window.fromMs % 1000 == 0 && window.toMs % 1000 == 0, what);
}

void checkFires(const CronExpression &cron, const std::optional<WindowRule> &rule,
                const QTimeZone &zone, qint64 afterMs)
{
    const QDateTime after = QDateTime::fromMSecsSinceEpoch(afterMs, Qt::UTC);
    const QList<QDateTime> fires = nextFireTimes(cron, zone, after, 6);
    QDateTime previous = after;
    for (const QDateTime &fire : fires) {
        FUZZ_CHECK(fire > previous,
                   cron.toString() + QLatin1Char(' ') + fire.toString(Qt::ISODate));
        checkFire(cron, zone, fire);
        // The walk backwards finds the same fires.
        FUZZ_CHECK(previousFireTime(cron, zone, fire) == fire,
                   cron.toString() + QLatin1Char(' ') + fire.toString(Qt::ISODate));
        if (previous != after)
            FUZZ_CHECK(previousFireTime(cron, zone, fire.addMSecs(-1)) == previous,
                       cron.toString() + QLatin1Char(' ') + fire.toString(Qt::ISODate));
        if (rule) {
            checkWindow(*rule, fire, zone, std::nullopt, 1 + int(afterMs % 366));
            checkWindow(*rule, fire, zone, previous, 1);
        }
        previous = fire;
    }
    if (!fires.isEmpty())
        FUZZ_CHECK(nextFireTimes(cron, zone, after, 1).value(0) == fires.first(), cron.toString());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    const QString cronText = newline < 0 ? text : text.left(newline);
    const QString windowText = newline < 0 ? QString() : text.mid(newline + 1);

    QString error;
    const std::optional<CronExpression> cron = CronExpression::parse(cronText, &error);
    FUZZ_CHECK(cron || isFieldError(error), cronText + QStringLiteral(" -> ") + error);

    std::optional<WindowRule> rule;
    if (!windowText.isEmpty()) {
        QString why;
        rule = WindowRule::parse(windowText, &why);
        FUZZ_CHECK(rule || why.startsWith(QLatin1String("window: ")), windowText);
        if (rule)
            FUZZ_CHECK(WindowRule::parse(rule->toString()) == rule, windowText);
    }
    if (!cron)
        return 0;

    const std::optional<CronExpression> again = CronExpression::parse(cron->toString());
    FUZZ_CHECK(again && *again == *cron, cron->toString());
    FUZZ_CHECK(!cron->describe().isEmpty(), cron->toString());

    static const QTimeZone zones[] = {QTimeZone("Europe/Berlin"), QTimeZone("America/New_York"),
                                      QTimeZone("Australia/Lord_Howe"), QTimeZone::utc()};
    // The 2026 changes: Berlin's and New York's spring ones, their autumn ones, Lord Howe's.
    static const qint64 changes[] = {1774746000000LL, 1772953200000LL, 1792890000000LL,
                                     1793512800000LL, 1775314800000LL, 1791041400000LL};
    for (const QTimeZone &zone : zones) {
        for (const qint64 change : changes) {
            for (const qint64 afterMs : {change - 3 * 60 * 1000, change - DayMs})
                checkFires(*cron, rule, zone, afterMs);
        }
    }
    return 0;
}
