// Times as operators and scripts give them: parseTimeInput() for both bounds and
// resolveTimeWindow(), on arbitrary bytes. The input is "FROM\nTO" (no newline: FROM alone).
// Runs in a zone with daylight saving (DEALERQ_FUZZ_TZ, default Europe/Berlin) so that gaps and
// repeated hours are reached.
//
// DEALERQ_FUZZ_KNOWN_BUGS=ambiguous-local-time tolerates fuzz/findings/ambiguous-local-time.md
// (a local time that happens twice resolves by what was parsed before) until core fixes it.
#include "fuzzcheck.h"
#include "job/timeformat.h"
#include "job/validation.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include <QDateTime>

namespace {

constexpr qint64 DayMs = 24LL * 3600 * 1000;
constexpr qint64 HourMs = 3600LL * 1000;
bool tolerateAmbiguous = false;

/// Same text, same instant: whatever was parsed before must not matter.
void checkDeterministic(const QString &text, TimeBound bound)
{
    const std::optional<qint64> first = parseTimeInput(text, bound, nullptr);
    parseTimeInput(QStringLiteral("2025-06-12 12:00:00"), bound, nullptr); // summer time
    const std::optional<qint64> second = parseTimeInput(text, bound, nullptr);
    parseTimeInput(QStringLiteral("2025-01-12 12:00:00"), bound, nullptr); // winter time
    const std::optional<qint64> third = parseTimeInput(text, bound, nullptr);
    FUZZ_CHECK(first.has_value() == second.has_value() && second.has_value() == third.has_value(),
               text);
    if (!first)
        return;
    if (tolerateAmbiguous && qAbs(*first - *second) <= HourMs && qAbs(*second - *third) <= HourMs)
        return;
    FUZZ_CHECK(*first == *second && *second == *third,
               QStringLiteral("\"%1\" read as %2, then %3, then %4 (a local time that happens "
                              "twice?)")
                   .arg(text)
                   .arg(*first)
                   .arg(*second)
                   .arg(*third));
}

/// Equal, or (tolerating the known bug) at most the hour a repeated local time can differ by.
bool sameInstant(qint64 a, std::optional<qint64> b)
{
    return b && (a == *b || (tolerateAmbiguous && qAbs(a - *b) <= HourMs));
}

/// 2025-06-12T09:31:00Z, and a winter day: "now" for omitted bounds.
constexpr qint64 NowMs[] = {1749720660000LL, 1736936000000LL};

void checkBound(const QString &text)
{
    checkDeterministic(text, TimeBound::Start);
    checkDeterministic(text, TimeBound::End);
    QString startWhy;
    QString endWhy;
    const std::optional<qint64> start = parseTimeInput(text, TimeBound::Start, &startWhy);
    const std::optional<qint64> end = parseTimeInput(text, TimeBound::End, &endWhy);
    FUZZ_CHECK(start || !startWhy.isEmpty(), text);
    FUZZ_CHECK(end || !endWhy.isEmpty(), text);
    if (start && end) {
        // A date alone spans its day; a time of day is the same instant either way.
        FUZZ_CHECK(*start <= *end, text);
        FUZZ_CHECK(*end - *start < DayMs + HourMs, text);
    }
    for (const std::optional<qint64> &value : {start, end}) {
        if (!value)
            continue;
        // What leaves the program reads back as the same instant (whole-minute offsets only:
        // formatTimestamp() writes none finer, as ISO 8601 has none).
        const QString formatted = formatTimestamp(*value);
        const QDateTime local = QDateTime::fromMSecsSinceEpoch(*value, Qt::LocalTime);
        if (*value != 0 && local.offsetFromUtc() % 60 == 0 && local.date().year() >= 1 &&
            local.date().year() <= 9999) {
            QString why;
            const std::optional<qint64> again = parseTimeInput(formatted, TimeBound::Start, &why);
            FUZZ_CHECK(again && *again == *value,
                       QStringLiteral("%1 -> %2 -> %3 (%4)")
                           .arg(text, formatted, again ? QString::number(*again) : why)
                           .arg(*value));
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    const char *zone = std::getenv("DEALERQ_FUZZ_TZ");
    setenv("TZ", zone ? zone : "Europe/Berlin", 1);
    const char *known = std::getenv("DEALERQ_FUZZ_KNOWN_BUGS");
    tolerateAmbiguous = known && std::strstr(known, "ambiguous-local-time");
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const qsizetype newline = text.indexOf(QLatin1Char('\n'));
    const QString from = newline < 0 ? text : text.left(newline);
    const QString to = newline < 0 ? QString() : text.mid(newline + 1);

    checkBound(from);
    checkBound(to);

    for (const qint64 now : NowMs) {
        for (const auto &[a, b] : {std::pair{from, to}, std::pair{to, from}}) {
            FieldError error;
            const std::optional<TimeWindow> window = resolveTimeWindow(a, b, now, &error);
            if (window) {
                FUZZ_CHECK(window->fromMs <= window->toMs, a + " / " + b);
                FUZZ_CHECK(window->toMs - window->fromMs <= MaxWindowDays * DayMs, a + " / " + b);
                if (!a.trimmed().isEmpty())
                    FUZZ_CHECK(
                        sameInstant(window->fromMs, parseTimeInput(a, TimeBound::Start, nullptr)),
                        a);
                if (!b.trimmed().isEmpty())
                    FUZZ_CHECK(
                        sameInstant(window->toMs, parseTimeInput(b, TimeBound::End, nullptr)), b);
            } else {
                FUZZ_CHECK(error.field == QLatin1String("from_time") ||
                               error.field == QLatin1String("to_time"),
                           error.field);
                FUZZ_CHECK(!error.message.isEmpty(), a + " / " + b);
                // A bound that parses alone is never blamed for being unparsable.
                if (error.field == QLatin1String("from_time"))
                    FUZZ_CHECK(!parseTimeInput(a, TimeBound::Start, nullptr), a);
            }
        }
    }
    return 0;
}
