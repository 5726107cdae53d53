#include "timeformat.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

QString formatTimestamp(qint64 msecsSinceEpoch)
{
    if (msecsSinceEpoch == 0)
        return {};
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::LocalTime);
    const int offsetSeconds = local.offsetFromUtc();
    const int offsetMinutes = qAbs(offsetSeconds) / 60;
    return local.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) +
           (offsetSeconds < 0 ? QLatin1Char('-') : QLatin1Char('+')) +
           QStringLiteral("%1:%2")
               .arg(offsetMinutes / 60, 2, 10, QLatin1Char('0'))
               .arg(offsetMinutes % 60, 2, 10, QLatin1Char('0'));
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
    const QRegularExpressionMatch m = pattern.match(trimmed);
    if (!m.hasMatch())
        return fail(QStringLiteral("\"%1\" is not a time; use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS or "
                                   "ISO 8601 such as 2025-06-12T09:31:00Z")
                        .arg(trimmed));

    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    if (!date.isValid())
        return fail(QStringLiteral("\"%1\" is not a calendar date").arg(trimmed));

    QTime time(0, 0, 0);
    if (!m.captured(4).isEmpty()) {
        int msec = 0;
        if (!m.captured(7).isEmpty())
            msec = m.captured(7).left(3).leftJustified(3, QLatin1Char('0')).toInt();
        time = QTime(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(), msec);
        if (!time.isValid())
            return fail(QStringLiteral("\"%1\" has no such time of day").arg(trimmed));
    } else if (bound == TimeBound::End) {
        time = QTime(23, 59, 59);
    }

    const QString offset = m.captured(8);
    QDateTime result;
    if (offset.isEmpty()) {
        result = QDateTime(date, time, Qt::LocalTime);
        if (!result.isValid())
            return fail(QStringLiteral("\"%1\" does not exist in local time (a daylight-saving "
                                       "change); give an offset such as +02:00")
                            .arg(trimmed));
    } else if (offset.compare(QLatin1String("Z"), Qt::CaseInsensitive) == 0) {
        result = QDateTime(date, time, Qt::UTC);
    } else {
        QString digits = offset.mid(1);
        digits.remove(QLatin1Char(':'));
        const int hours = digits.left(2).toInt();
        const int minutes = digits.size() > 2 ? digits.mid(2, 2).toInt() : 0;
        if (hours > 14 || minutes > 59)
            return fail(QStringLiteral("\"%1\" has an impossible UTC offset").arg(trimmed));
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
