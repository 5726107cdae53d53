#include "source/profiledecoder.h"

#include "source/pagedecoder.h"

#include <limits>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

qsizetype skipSpace(QByteArrayView json, qsizetype i, qsizetype end)
{
    while (i < end && isSpace(json[i]))
        ++i;
    return i;
}

qsizetype skipString(QByteArrayView json, qsizetype i, qsizetype end)
{
    ++i; // the opening quote
    while (i < end) {
        const char c = json[i];
        if (c == '\\')
            i += 2;
        else if (c == '"')
            return i + 1;
        else
            ++i;
    }
    return end;
}

qsizetype skipValue(QByteArrayView json, qsizetype i, qsizetype end)
{
    if (i >= end)
        return end;
    const char first = json[i];
    if (first == '"')
        return skipString(json, i, end);
    if (first == '{' || first == '[') {
        int depth = 0;
        while (i < end) {
            const char c = json[i];
            if (c == '"') {
                i = skipString(json, i, end);
                continue;
            }
            if (c == '{' || c == '[')
                ++depth;
            else if ((c == '}' || c == ']') && --depth == 0)
                return i + 1;
            ++i;
        }
        return end;
    }
    while (i < end && !isSpace(json[i]) && json[i] != ',' && json[i] != '}' && json[i] != ']')
        ++i;
    return i;
}

/// A member name as text: the bytes between the quotes, unescaped when they hold escapes.
QString memberName(QByteArrayView json, qsizetype begin, qsizetype end)
{
    const QByteArrayView inner = json.sliced(begin + 1, std::max<qsizetype>(0, end - begin - 2));
    if (!inner.contains('\\'))
        return QString::fromUtf8(inner);
    const QJsonDocument doc =
        QJsonDocument::fromJson("[" + json.sliced(begin, end - begin).toByteArray() + "]");
    return doc.array().at(0).toString();
}

bool arrayIndex(const QString &token, qsizetype *index)
{
    if (token.isEmpty() || (token.size() > 1 && token.startsWith(QLatin1Char('0'))))
        return false;
    bool ok = false;
    *index = token.toLongLong(&ok);
    return ok && *index >= 0 && !token.startsWith(QLatin1Char('+'));
}

/// The value a pointer names in a QJsonValue tree; undefined when it names nothing.
QJsonValue resolve(QJsonValue value, const QStringList &tokens)
{
    for (const QString &token : tokens) {
        if (value.isObject()) {
            value = value.toObject().value(token);
        } else if (value.isArray()) {
            qsizetype index = 0;
            const QJsonArray array = value.toArray();
            if (!arrayIndex(token, &index) || index >= array.size())
                return QJsonValue(QJsonValue::Undefined);
            value = array.at(index);
        } else {
            return QJsonValue(QJsonValue::Undefined);
        }
    }
    return value;
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

/// A string or number value's text and, when it lies unescaped in the body, its span.
struct ValueText
{
    QString text;
    std::optional<FetchedRecord::Span> span;
};

ValueText valueText(QByteArrayView body, JsonSpan item, const QStringList &tokens,
                    const QJsonValue &value)
{
    ValueText out;
    const std::optional<JsonSpan> raw = findJsonPointer(body, item, tokens);
    if (value.isString()) {
        out.text = value.toString();
        if (raw && raw->end - raw->begin >= 2) {
            const QByteArrayView inner = body.sliced(raw->begin + 1, raw->end - raw->begin - 2);
            if (!inner.contains('\\'))
                out.span = FetchedRecord::Span{static_cast<qint32>(raw->begin + 1),
                                               static_cast<qint32>(inner.size())};
        }
        return out;
    }
    // A number as its decimal text: the digits as written when they are plain digits, else
    // the whole number the double holds, else the shortest text that reads back as it.
    if (raw) {
        const QByteArrayView digits = body.sliced(raw->begin, raw->end - raw->begin);
        bool plain = !digits.isEmpty();
        for (qsizetype i = 0; i < digits.size(); ++i) {
            const char c = digits[i];
            if (!(c >= '0' && c <= '9') && !(c == '-' && i == 0))
                plain = false;
        }
        if (plain) {
            out.text = QString::fromLatin1(digits);
            out.span = FetchedRecord::Span{static_cast<qint32>(raw->begin),
                                           static_cast<qint32>(digits.size())};
            return out;
        }
    }
    const double number = value.toDouble();
    // In range first: casting a double past qint64 (5e119) is undefined.
    if (number > -9.0e15 && number < 9.0e15 &&
        number == static_cast<double>(static_cast<qint64>(number)))
        out.text = QString::number(static_cast<qint64>(number));
    else
        out.text = QString::number(number, 'g', QLocale::FloatingPointShortest);
    return out;
}

} // namespace

std::optional<JsonSpan> findJsonPointer(QByteArrayView json, JsonSpan within,
                                        const QStringList &tokens)
{
    const qsizetype end = std::min<qsizetype>(within.end, json.size());
    qsizetype begin = skipSpace(json, within.begin, end);
    qsizetype valueEnd = skipValue(json, begin, end);
    for (const QString &token : tokens) {
        if (begin >= end)
            return std::nullopt;
        const char open = json[begin];
        if (open == '{') {
            std::optional<JsonSpan> found;
            qsizetype i = begin + 1;
            while (true) {
                i = skipSpace(json, i, valueEnd);
                if (i >= valueEnd || json[i] != '"')
                    break;
                const qsizetype nameEnd = skipString(json, i, valueEnd);
                const QString name = memberName(json, i, nameEnd);
                i = skipSpace(json, nameEnd, valueEnd);
                if (i >= valueEnd || json[i] != ':')
                    return std::nullopt;
                i = skipSpace(json, i + 1, valueEnd);
                const qsizetype memberEnd = skipValue(json, i, valueEnd);
                if (name == token)
                    found = JsonSpan{i, memberEnd}; // the last of duplicate names, as Qt reads
                i = skipSpace(json, memberEnd, valueEnd);
                if (i < valueEnd && json[i] == ',')
                    ++i;
                else
                    break;
            }
            if (!found)
                return std::nullopt;
            begin = found->begin;
            valueEnd = found->end;
        } else if (open == '[') {
            qsizetype index = 0;
            if (!arrayIndex(token, &index))
                return std::nullopt;
            const QVector<JsonSpan> elements = jsonArrayElements(json, {begin, valueEnd});
            if (index >= elements.size())
                return std::nullopt;
            begin = elements.at(index).begin;
            valueEnd = elements.at(index).end;
        } else {
            return std::nullopt;
        }
    }
    if (begin >= valueEnd)
        return std::nullopt;
    return JsonSpan{begin, valueEnd};
}

QVector<JsonSpan> jsonArrayElements(QByteArrayView json, JsonSpan array)
{
    QVector<JsonSpan> elements;
    const qsizetype end = std::min<qsizetype>(array.end, json.size());
    qsizetype i = skipSpace(json, array.begin, end);
    if (i >= end || json[i] != '[')
        return elements;
    ++i;
    while (true) {
        i = skipSpace(json, i, end);
        if (i >= end || json[i] == ']')
            break;
        const qsizetype valueEnd = skipValue(json, i, end);
        if (valueEnd <= i)
            break;
        elements.append({i, valueEnd});
        i = skipSpace(json, valueEnd, end);
        if (i < end && json[i] == ',')
            ++i;
        else
            break;
    }
    return elements;
}

bool decodeProfilePage(const QByteArray &body, const SourceProfile &profile, ProfilePage *page,
                       QString *error)
{
    *page = ProfilePage{};
    if (body.size() >= std::numeric_limits<qint32>::max())
        return fail(error, QStringLiteral("the answer is larger than 2 GiB"));
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(error, QStringLiteral("the answer is not JSON (%1 at byte %2)")
                               .arg(parseError.errorString(), QString::number(parseError.offset)));
    const QJsonValue root = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    const QByteArrayView bytes(body);
    const JsonSpan whole{0, body.size()};

    const QStringList itemsTokens = jsonPointerTokens(profile.items);
    const QJsonValue items = resolve(root, itemsTokens);
    const QString itemsName =
        profile.items.isEmpty() ? QStringLiteral("the answer itself") : profile.items;
    if (!items.isArray())
        return fail(
            error,
            QStringLiteral("items: %1 is %2, not an array").arg(itemsName, jsonTypeName(items)));
    const std::optional<JsonSpan> itemsSpan = findJsonPointer(bytes, whole, itemsTokens);
    const QVector<JsonSpan> spans =
        itemsSpan ? jsonArrayElements(bytes, *itemsSpan) : QVector<JsonSpan>();
    const QJsonArray array = items.toArray();
    if (spans.size() != array.size())
        return fail(error, QStringLiteral("items: %1 could not be read item by item (the same "
                                          "name given twice on the way to it?)")
                               .arg(itemsName));

    const QStringList idTokens = jsonPointerTokens(profile.id);
    const QStringList updatedTokens = jsonPointerTokens(profile.updatedAt);
    page->items.reserve(array.size());
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonValue item = array.at(i);
        const JsonSpan span = spans.at(i);
        const QJsonValue id = resolve(item, idTokens);
        if (!id.isString() && !id.isDouble())
            return fail(error, QStringLiteral("id: %1 in item %2 is %3, not a string or a number")
                                   .arg(profile.id, QString::number(i + 1), jsonTypeName(id)));
        if (id.isString() && id.toString().isEmpty())
            return fail(error, QStringLiteral("id: %1 in item %2 is an empty string")
                                   .arg(profile.id, QString::number(i + 1)));
        const ValueText idText = valueText(bytes, span, idTokens, id);
        ValueText updatedText;
        if (!profile.updatedAt.isEmpty()) {
            const QJsonValue updated = resolve(item, updatedTokens);
            if (updated.isString() || updated.isDouble())
                updatedText = valueText(bytes, span, updatedTokens, updated);
            else if (!updated.isNull() && !updated.isUndefined())
                return fail(
                    error,
                    QStringLiteral("updated_at: %1 in item %2 is %3, not a string or a "
                                   "number")
                        .arg(profile.updatedAt, QString::number(i + 1), jsonTypeName(updated)));
            else
                updatedText.span = FetchedRecord::Span{static_cast<qint32>(span.begin), 0};
        } else {
            updatedText.span = FetchedRecord::Span{static_cast<qint32>(span.begin), 0};
        }
        const FetchedRecord::Span payload{static_cast<qint32>(span.begin),
                                          static_cast<qint32>(span.end - span.begin)};
        if (idText.span && updatedText.span)
            page->items.append(FetchedRecord(body, *idText.span, *updatedText.span, payload));
        else
            page->items.append(FetchedRecord(idText.text, updatedText.text,
                                             body.mid(span.begin, span.end - span.begin)));
    }

    if (profile.paging == SourceProfile::Paging::Cursor) {
        const QStringList tokens = jsonPointerTokens(profile.nextCursor);
        const QJsonValue next = resolve(root, tokens);
        if (next.isString())
            page->nextCursor = next.toString();
        else if (next.isDouble())
            page->nextCursor = valueText(bytes, whole, tokens, next).text;
        else if (!next.isNull() && !next.isUndefined())
            return fail(error, QStringLiteral("next_cursor: %1 is %2, not a string, a number or "
                                              "null")
                                   .arg(profile.nextCursor, jsonTypeName(next)));
    }
    return true;
}

QStringList linkTargets(const QByteArray &header, const QByteArray &rel)
{
    QStringList targets;
    qsizetype i = 0;
    const qsizetype end = header.size();
    while (i < end) {
        const qsizetype open = header.indexOf('<', i);
        if (open < 0)
            break;
        const qsizetype close = header.indexOf('>', open + 1);
        if (close < 0)
            break;
        const QByteArray target = header.mid(open + 1, close - open - 1).trimmed();
        // The parameters run to the next comma outside quotes.
        qsizetype j = close + 1;
        bool quoted = false;
        while (j < end && (quoted || header[j] != ',')) {
            if (header[j] == '"')
                quoted = !quoted;
            ++j;
        }
        const QList<QByteArray> params = header.mid(close + 1, j - close - 1).split(';');
        for (const QByteArray &param : params) {
            const qsizetype equals = param.indexOf('=');
            if (equals < 0 || param.left(equals).trimmed().toLower() != "rel")
                continue;
            QByteArray value = param.mid(equals + 1).trimmed();
            if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
                value = value.mid(1, value.size() - 2);
            const QList<QByteArray> rels = value.toLower().simplified().split(' ');
            if (rels.contains(rel.toLower()))
                targets << QString::fromUtf8(target);
            break; // RFC 8288: only the first rel parameter counts
        }
        i = j + 1;
    }
    return targets;
}
