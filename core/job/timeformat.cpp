#include "job/timeformat.h"

#include "job/validation.h"

#include <chrono>
#include <ctime>

#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

namespace {

QString formatWithQt(qint64 msecsSinceEpoch)
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::LocalTime);
    const int offsetSeconds = local.offsetFromUtc();
    const int offsetMinutes = qAbs(offsetSeconds) / 60;
    return local.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) +
           (offsetSeconds < 0 ? QLatin1Char('-') : QLatin1Char('+')) +
           QStringLiteral("%1:%2")
               .arg(offsetMinutes / 60, 2, 10, QLatin1Char('0'))
               .arg(offsetMinutes % 60, 2, 10, QLatin1Char('0'));
}

#ifdef Q_OS_UNIX
/// localtime_r with the zone as last loaded. Qt's local time calls tzset() on every conversion,
/// which stats /etc/localtime each time: a CSV export of 100,000 jobs spent most of its time
/// there. Reloading the zone at most once a second still follows a change of the system's zone.
bool localFields(qint64 secs, std::tm *fields)
{
    using Clock = std::chrono::steady_clock;
    thread_local Clock::time_point reloaded;
    const Clock::time_point now = Clock::now();
    if (reloaded == Clock::time_point() || now - reloaded >= std::chrono::seconds(1)) {
        tzset();
        reloaded = now;
    }
    const std::time_t t = static_cast<std::time_t>(secs);
    return localtime_r(&t, fields) != nullptr;
}

void putDigits(char *at, long value, int digits)
{
    for (int i = digits - 1; i >= 0; --i) {
        at[i] = static_cast<char>('0' + value % 10);
        value /= 10;
    }
}
#endif

} // namespace

QString formatTimestamp(qint64 msecsSinceEpoch)
{
    if (msecsSinceEpoch == 0)
        return {};
#ifdef Q_OS_UNIX
    const qint64 secs =
        msecsSinceEpoch >= 0 ? msecsSinceEpoch / 1000 : -((-msecsSinceEpoch + 999) / 1000);
    std::tm fields = {};
    if (localFields(secs, &fields) && fields.tm_year >= 1000 - 1900 &&
        fields.tm_year <= 9999 - 1900 && fields.tm_sec <= 59) {
        // The same text as formatWithQt(), without its per-call costs.
        const long offsetMinutes =
            (fields.tm_gmtoff < 0 ? -fields.tm_gmtoff : fields.tm_gmtoff) / 60;
        char text[] = "YYYY-MM-DDTHH:MM:SS.mmm+HH:MM";
        putDigits(text, fields.tm_year + 1900, 4);
        putDigits(text + 5, fields.tm_mon + 1, 2);
        putDigits(text + 8, fields.tm_mday, 2);
        putDigits(text + 11, fields.tm_hour, 2);
        putDigits(text + 14, fields.tm_min, 2);
        putDigits(text + 17, fields.tm_sec, 2);
        putDigits(text + 20, static_cast<long>(msecsSinceEpoch - secs * 1000), 3);
        text[23] = fields.tm_gmtoff < 0 ? '-' : '+';
        putDigits(text + 24, offsetMinutes / 60, 2);
        putDigits(text + 27, offsetMinutes % 60, 2);
        return QString::fromLatin1(text, sizeof text - 1);
    }
#endif
    return formatWithQt(msecsSinceEpoch);
}

std::optional<qint64> parseTimeInput(const QString &text, TimeBound bound, QString *error)
{
    static const QRegularExpression pattern(
        QStringLiteral("^(\\d{4})-(\\d{2})-(\\d{2})"
                       "(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?"
                       "(Z|z|[+-]\\d{2}(?::?\\d{2})?)?)?$"));
    const QString trimmed = text.trimmed();
    const auto fail = [&](const QString &why) -> std::optional<qint64> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (trimmed.isEmpty())
        return fail(QStringLiteral("is empty; use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or ISO 8601"));
    if (trimmed.size() > 40)
        return fail(QStringLiteral("is too long to be a time; use YYYY-MM-DD HH:MM:SS"));
    const QString shown = printableText(trimmed);
    const QRegularExpressionMatch m = pattern.match(trimmed);
    if (!m.hasMatch())
        return fail(QStringLiteral("\"%1\" is not a time; use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or "
                                   "ISO 8601 such as 2025-06-12T09:31:00Z")
                        .arg(shown));

    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    if (!date.isValid())
        return fail(QStringLiteral("\"%1\" is not a calendar date").arg(shown));

    QTime time(0, 0, 0);
    if (!m.captured(4).isEmpty()) {
        int msec = 0;
        if (!m.captured(7).isEmpty())
            msec = m.captured(7).left(3).leftJustified(3, QLatin1Char('0')).toInt();
        time = QTime(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(), msec);
        if (!time.isValid())
            return fail(QStringLiteral("\"%1\" has no such time of day").arg(shown));
    } else if (bound == TimeBound::End) {
        time = QTime(23, 59, 59);
    }

    const QString offset = m.captured(8);
    QDateTime result;
    if (offset.isEmpty()) {
        // Every instant whose local wall time is the one given: none in a daylight-saving gap,
        // two in the repeated hour. Only one is an answer; the others need an offset.
        const qint64 wallMs = QDateTime(date, time, Qt::UTC).toMSecsSinceEpoch();
        const auto offsetAt = [](qint64 ms) {
            return QDateTime::fromMSecsSinceEpoch(ms, Qt::LocalTime).offsetFromUtc();
        };
        QVector<qint64> instants;
        for (const qint64 probe : {wallMs - 86400000LL, wallMs - 10800000LL, wallMs,
                                   wallMs + 10800000LL, wallMs + 86400000LL}) {
            const int offset = offsetAt(probe);
            const qint64 instant = wallMs - qint64(offset) * 1000;
            const int there = offsetAt(instant);
            if (there == offset && !instants.contains(instant))
                instants.push_back(instant);
        }
        if (instants.isEmpty())
            return fail(QStringLiteral("\"%1\" does not exist in local time (a daylight-saving "
                                       "change); give an offset such as +02:00")
                            .arg(shown));
        if (instants.size() > 1)
            return fail(QStringLiteral("\"%1\" happens twice in local time (a daylight-saving "
                                       "change); give an offset such as +02:00")
                            .arg(shown));
        return instants.first();
    } else if (offset.compare(QLatin1String("Z"), Qt::CaseInsensitive) == 0) {
        result = QDateTime(date, time, Qt::UTC);
    } else {
        QString digits = offset.mid(1);
        digits.remove(QLatin1Char(':'));
        const int hours = digits.left(2).toInt();
        const int minutes = digits.size() > 2 ? digits.mid(2, 2).toInt() : 0;
        if (hours > 14 || minutes > 59)
            return fail(QStringLiteral("\"%1\" has an impossible UTC offset").arg(shown));
        const int seconds = (hours * 60 + minutes) * 60 * (offset.startsWith('-') ? -1 : 1);
        result = QDateTime(date, time, Qt::OffsetFromUTC, seconds);
    }
    return result.toMSecsSinceEpoch();
}

qint64 localDayBound(qint64 msecsSinceEpoch, TimeBound bound)
{
    const QDate day = QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::LocalTime).date();
    const QTime time = bound == TimeBound::Start ? QTime(0, 0, 0) : QTime(23, 59, 59);
    return QDateTime(day, time, Qt::LocalTime).toMSecsSinceEpoch();
}
