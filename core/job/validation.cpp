#include "job/validation.h"

#include "job/timeformat.h"

#include <QSet>

namespace {

bool isIdChar(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
           (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
           (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_') ||
           c == QLatin1Char('-');
}

QString codePoint(char32_t c)
{
    return QStringLiteral("U+%1").arg(
        QString::number(uint(c), 16).toUpper().rightJustified(4, QLatin1Char('0')));
}

// Characters that do not show as themselves in a terminal or a message: controls, format
// characters (bidirectional overrides, zero-width), combining marks, separators but the space,
// unassigned or private code points, lone surrogates.
bool isInvisible(char32_t c)
{
    if (c == U' ')
        return false;
    switch (QChar::category(c)) {
    case QChar::Other_Control:
    case QChar::Other_Format:
    case QChar::Other_Surrogate:
    case QChar::Other_PrivateUse:
    case QChar::Other_NotAssigned:
    case QChar::Mark_NonSpacing:
    case QChar::Mark_SpacingCombining:
    case QChar::Mark_Enclosing:
    case QChar::Separator_Space:
    case QChar::Separator_Line:
    case QChar::Separator_Paragraph:
        return true;
    default:
        return false;
    }
}

QString describeChar(char32_t c)
{
    if (c == U' ')
        return QStringLiteral("a space");
    if (c < 0x20 || c == 0x7f)
        return QStringLiteral("a control character (%1)").arg(codePoint(c));
    if (isInvisible(c))
        return QStringLiteral("an invisible character (%1)").arg(codePoint(c));
    return QStringLiteral("\"%1\" (%2)").arg(QString::fromUcs4(&c, 1), codePoint(c));
}

QString printable(const QString &id)
{
    return printableText(id);
}

} // namespace

QString printableText(const QString &text, int maxLength)
{
    QString shown;
    const QList<uint> codes = text.toUcs4();
    for (const uint c : codes) {
        if (shown.size() >= maxLength) {
            shown += QStringLiteral("...");
            break;
        }
        if (c == U' ' || !isInvisible(c))
            shown += QString::fromUcs4(reinterpret_cast<const char32_t *>(&c), 1);
        else
            shown += QStringLiteral("<%1>").arg(codePoint(c));
    }
    return shown;
}

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
    for (const char32_t c : id.toUcs4()) {
        if (c > 0x7f || !isIdChar(QChar(c)))
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
    QSet<QString> repeated;
    seen.reserve(ids.size());
    for (const QString &raw : ids) {
        const QString id = raw.trimmed();
        if (id.isEmpty())
            continue;
        if (seen.contains(id)) {
            if (!repeated.contains(id)) {
                repeated.insert(id);
                list.duplicates << id;
            }
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

bool isDealerIdSeparator(QChar c)
{
    return c == QLatin1Char('\r') || c == QLatin1Char('\n') || c == QLatin1Char(',') ||
           c == QLatin1Char(';') || c == QLatin1Char('\t') || c == QLatin1Char(' ');
}

QStringList splitDealerIdText(const QString &text)
{
    // Split by hand: a regular expression does not match text holding a lone surrogate at
    // all, which made a whole paste one invalid ID.
    QStringList ids;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= text.size(); ++i) {
        if (i < text.size() && !isDealerIdSeparator(text.at(i)))
            continue;
        if (i > start)
            ids << text.mid(start, i - start);
        start = i + 1;
    }
    return ids;
}

DealerIdList parseDealerIdText(const QString &text)
{
    return checkDealerIds(splitDealerIdText(text));
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
