#include "validation.h"

#include "timeformat.h"

#include <QRegularExpression>
#include <QSet>

namespace {

bool isIdChar(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
           (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
           (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_') ||
           c == QLatin1Char('-');
}

QString describeChar(QChar c)
{
    if (c == QLatin1Char(' '))
        return QStringLiteral("a space");
    if (c.unicode() < 0x20 || c.unicode() == 0x7f)
        return QStringLiteral("a control character (U+%1)")
            .arg(QString::number(c.unicode(), 16).toUpper().rightJustified(4, QLatin1Char('0')));
    return QStringLiteral("\"%1\"").arg(c);
}

QString printable(const QString &id)
{
    QString shown;
    for (const QChar c : id) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            shown += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            shown += c;
    }
    if (shown.size() > 40)
        shown = shown.left(37) + QStringLiteral("...");
    return shown;
}

} // namespace

bool validateDealerId(const QString &id, QString *reason)
{
    const auto fail = [&](const QString &why) {
        if (reason)
            *reason = why;
        return false;
    };
    if (id.isEmpty())
        return fail(QStringLiteral("dealer ID is empty"));
    if (id.size() > MaxDealerIdLength)
        return fail(QStringLiteral("dealer ID \"%1\" is %2 characters long; at most %3 are allowed")
                        .arg(printable(id))
                        .arg(id.size())
                        .arg(MaxDealerIdLength));
    for (const QChar c : id) {
        if (!isIdChar(c))
            return fail(QStringLiteral("dealer ID \"%1\" contains %2; use only letters A-Z a-z, "
                                       "digits, _ and -")
                            .arg(printable(id), describeChar(c)));
    }
    if (id.front() == QLatin1Char('_') || id.front() == QLatin1Char('-'))
        return fail(QStringLiteral("dealer ID \"%1\" must begin with a letter or a digit")
                        .arg(printable(id)));
    return true;
}

QString DealerIdList::invalidSummary() const
{
    QStringList parts;
    for (const Invalid &bad : invalid)
        parts << bad.reason;
    return parts.join(QStringLiteral("; "));
}

DealerIdList checkDealerIds(const QStringList &ids)
{
    DealerIdList list;
    QSet<QString> seen;
    seen.reserve(ids.size());
    for (const QString &raw : ids) {
        const QString id = raw.trimmed();
        if (id.isEmpty())
            continue;
        if (seen.contains(id)) {
            if (!list.duplicates.contains(id))
                list.duplicates << id;
            continue;
        }
        seen.insert(id);
        QString reason;
        if (validateDealerId(id, &reason))
            list.valid << id;
        else
            list.invalid.push_back({id, reason});
    }
    return list;
}

DealerIdList parseDealerIdText(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[\\r\\n,;\\t ]+"));
    return checkDealerIds(text.split(separators, Qt::SkipEmptyParts));
}

bool validateFetchType(const QString &type, const QStringList &allowed, QString *reason)
{
    if (allowed.contains(type))
        return true;
    if (reason) {
        *reason = type.isEmpty() ? QStringLiteral("fetch type is missing; use one of %1")
                                       .arg(allowed.join(QStringLiteral(", ")))
                                 : QStringLiteral("unknown fetch type \"%1\"; use one of %2")
                                       .arg(printable(type), allowed.join(QStringLiteral(", ")));
    }
    return false;
}

std::optional<TimeWindow> resolveTimeWindow(const QString &from, const QString &to, qint64 nowMs,
                                            FieldError *error)
{
    const auto fail = [&](const QString &field, const QString &why) -> std::optional<TimeWindow> {
        if (error)
            *error = {field, why};
        return std::nullopt;
    };
    std::optional<qint64> fromMs;
    std::optional<qint64> toMs;
    QString why;
    if (!from.trimmed().isEmpty()) {
        fromMs = parseTimeInput(from, TimeBound::Start, &why);
        if (!fromMs)
            return fail(QStringLiteral("from_time"), QStringLiteral("from_time ") + why);
    }
    if (!to.trimmed().isEmpty()) {
        toMs = parseTimeInput(to, TimeBound::End, &why);
        if (!toMs)
            return fail(QStringLiteral("to_time"), QStringLiteral("to_time ") + why);
    }
    // An omitted bound is today's; if the other bound lies on another day, that day's.
    if (!fromMs)
        fromMs = localDayBound(toMs && *toMs < nowMs ? *toMs : nowMs, TimeBound::Start);
    if (!toMs)
        toMs = localDayBound(*fromMs > nowMs ? *fromMs : nowMs, TimeBound::End);

    if (*fromMs > *toMs)
        return fail(QStringLiteral("to_time"),
                    QStringLiteral("to_time %1 is before from_time %2; swap them")
                        .arg(formatTimestamp(*toMs), formatTimestamp(*fromMs)));
    if (*toMs - *fromMs > MaxWindowDays * 24 * 3600 * 1000)
        return fail(QStringLiteral("to_time"),
                    QStringLiteral("to_time makes the window from %1 to %2 longer than %3 "
                                   "days; split it into several jobs")
                        .arg(formatTimestamp(*fromMs), formatTimestamp(*toMs))
                        .arg(MaxWindowDays));
    return TimeWindow{*fromMs, *toMs};
}
