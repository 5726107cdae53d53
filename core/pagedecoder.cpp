#include "pagedecoder.h"

#include <cmath>
#include <limits>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

namespace {

struct Span
{
    qsizetype begin = 0;
    qsizetype end = 0;
};

/// Finds byte spans in JSON text that QJsonDocument has already accepted. Every step is
/// bounds-checked and returns false on anything unexpected, so a disagreement with the
/// validating parser can never read past the buffer.
class RawScanner
{
public:
    explicit RawScanner(const QByteArray &text)
        : m_data(text.constData())
        , m_size(text.size())
    {}

    qsizetype pos() const { return m_pos; }
    void setPos(qsizetype pos) { m_pos = pos; }

    void skipBomAndSpace()
    {
        if (m_size - m_pos >= 3 && static_cast<unsigned char>(m_data[m_pos]) == 0xef &&
            static_cast<unsigned char>(m_data[m_pos + 1]) == 0xbb &&
            static_cast<unsigned char>(m_data[m_pos + 2]) == 0xbf)
            m_pos += 3;
        skipSpace();
    }

    void skipSpace()
    {
        while (m_pos < m_size) {
            const char c = m_data[m_pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                return;
            ++m_pos;
        }
    }

    bool consume(char c)
    {
        if (m_pos < m_size && m_data[m_pos] == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    bool peek(char c) const { return m_pos < m_size && m_data[m_pos] == c; }

    /// Skips a string starting at the opening quote; the span excludes the quotes.
    bool skipString(Span *inner = nullptr)
    {
        if (!consume('"'))
            return false;
        const qsizetype begin = m_pos;
        while (m_pos < m_size) {
            const char c = m_data[m_pos];
            if (c == '\\') {
                m_pos += 2;
                continue;
            }
            if (c == '"') {
                if (inner)
                    *inner = {begin, m_pos};
                ++m_pos;
                return true;
            }
            ++m_pos;
        }
        return false;
    }

    /// Skips one value of any kind, nesting included, without recursion.
    bool skipValue()
    {
        if (m_pos >= m_size)
            return false;
        const char first = m_data[m_pos];
        if (first == '"')
            return skipString();
        if (first != '{' && first != '[') {
            const qsizetype begin = m_pos;
            while (m_pos < m_size) {
                const char c = m_data[m_pos];
                if (c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' ||
                    c == '\r')
                    break;
                ++m_pos;
            }
            return m_pos > begin;
        }
        qsizetype depth = 0;
        while (m_pos < m_size) {
            const char c = m_data[m_pos];
            if (c == '"') {
                if (!skipString())
                    return false;
                continue;
            }
            ++m_pos;
            if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return true;
            }
        }
        return false;
    }

    QByteArray bytes(Span span) const
    {
        return QByteArray(m_data + span.begin, span.end - span.begin);
    }

private:
    const char *m_data;
    qsizetype m_size;
    qsizetype m_pos = 0;
};

QString decodeKey(const QByteArray &raw)
{
    if (!raw.contains('\\'))
        return QString::fromUtf8(raw);
    const QJsonDocument doc = QJsonDocument::fromJson("[\"" + raw + "\"]");
    return doc.array().at(0).toString();
}

/// True when the key whose raw bytes (between the quotes) are at `key` is `name`; a key spelled
/// with escapes is decoded first.
bool keyIs(const QByteArray &body, Span key, QLatin1String name)
{
    const QByteArrayView raw(body.constData() + key.begin, key.end - key.begin);
    if (raw.contains('\\'))
        return decodeKey(raw.toByteArray()) == name;
    return raw == QByteArrayView(name.data(), name.size());
}

/// Walks the members of the object at the scanner's position, in order, calling
/// `visit(key, value)` with the raw span of each key (between its quotes) and of its value.
/// `visit` returns false to stop there. False when the bytes are not such an object.
template<typename Visit> bool forEachMember(RawScanner &scan, Visit visit)
{
    if (!scan.consume('{'))
        return false;
    scan.skipSpace();
    if (scan.consume('}'))
        return true;
    while (true) {
        scan.skipSpace();
        Span key;
        if (!scan.skipString(&key))
            return false;
        scan.skipSpace();
        if (!scan.consume(':'))
            return false;
        scan.skipSpace();
        const qsizetype valueBegin = scan.pos();
        if (!scan.skipValue())
            return false;
        if (!visit(key, Span{valueBegin, scan.pos()}))
            return true;
        scan.skipSpace();
        if (scan.consume(','))
            continue;
        return scan.consume('}');
    }
}

/// Finds the raw bytes of every element of the top-level "items" array.
bool scanItems(const QByteArray &body, QVector<Span> *items, QString *error)
{
    RawScanner scan(body);
    scan.skipBomAndSpace();
    bool found = false;
    bool twice = false;
    Span itemsSpan;
    const bool object = forEachMember(scan, [&](Span key, Span value) {
        if (!keyIs(body, key, QLatin1String("items")))
            return true;
        twice = found;
        found = true;
        itemsSpan = value;
        return !twice;
    });
    if (twice) {
        *error = QStringLiteral("the page has \"items\" twice");
        return false;
    }
    if (!object)
        return false;
    if (!found)
        return false;

    scan.setPos(itemsSpan.begin);
    if (!scan.consume('['))
        return false;
    scan.skipSpace();
    if (scan.consume(']'))
        return true;
    while (scan.pos() < itemsSpan.end) {
        scan.skipSpace();
        const qsizetype begin = scan.pos();
        if (!scan.skipValue())
            return false;
        items->append({begin, scan.pos()});
        scan.skipSpace();
        if (scan.consume(','))
            continue;
        return scan.consume(']') && scan.pos() == itemsSpan.end;
    }
    return false;
}

/// Where an item's "id" and "updated_at" string values are in the body, when each appears
/// once among the item's keys and is spelled without escapes (its bytes are then the value).
struct ItemKeys
{
    std::optional<Span> id;
    std::optional<Span> updatedAt;
};

ItemKeys scanItemKeys(const QByteArray &body, Span item)
{
    ItemKeys found;
    int idSeen = 0;
    int updatedSeen = 0;
    bool usable = true;
    RawScanner scan(body);
    scan.setPos(item.begin);
    const bool object = forEachMember(scan, [&](Span key, Span value) {
        const bool isId = keyIs(body, key, QLatin1String("id"));
        const bool isUpdated = keyIs(body, key, QLatin1String("updated_at"));
        if (!isId && !isUpdated)
            return true;
        if (body.at(value.begin) != '"') {
            usable = false;
            return false;
        }
        const Span inner{value.begin + 1, value.end - 1};
        const bool plain =
            !QByteArrayView(body.constData() + inner.begin, inner.end - inner.begin).contains('\\');
        if (isId && ++idSeen == 1 && plain)
            found.id = inner;
        if (isUpdated && ++updatedSeen == 1 && plain)
            found.updatedAt = inner;
        return true;
    });
    if (!object || !usable)
        return {};
    if (idSeen != 1)
        found.id.reset();
    if (updatedSeen != 1)
        found.updatedAt.reset();
    return found;
}

/// Reads an integer field; false when the value is not a whole number in [min, max].
bool readInteger(const QJsonValue &value, qint64 min, qint64 max, qint64 *out)
{
    if (!value.isDouble())
        return false;
    const double d = value.toDouble();
    if (!std::isfinite(d) || std::floor(d) != d || d < static_cast<double>(min) ||
        d > static_cast<double>(max))
        return false;
    *out = static_cast<qint64>(d);
    return true;
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

} // namespace

bool decodePage(const QByteArray &body, DecodedPage *page, QString *error)
{
    if (body.trimmed().isEmpty())
        return fail(error, QStringLiteral("the dealer API answered with an empty body"));
    if (body.size() > std::numeric_limits<qint32>::max())
        return fail(error, QStringLiteral("the answer is larger than 2 GiB"));

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return fail(error, QStringLiteral("the answer is not valid JSON (%1 at byte %2)")
                               .arg(parseError.errorString())
                               .arg(parseError.offset));
    if (!doc.isObject())
        return fail(error, QStringLiteral("the answer is JSON but not an object"));
    const QJsonObject root = doc.object();

    DecodedPage result;
    const QJsonValue pageValue = root.value(QLatin1String("page"));
    qint64 number = 0;
    if (!readInteger(pageValue, 1, std::numeric_limits<int>::max(), &number))
        return fail(
            error,
            QStringLiteral("\"page\" is %1, not a page number").arg(jsonTypeName(pageValue)));
    result.page = static_cast<int>(number);

    const QJsonValue sizeValue = root.value(QLatin1String("page_size"));
    if (!sizeValue.isUndefined()) {
        if (!readInteger(sizeValue, 0, std::numeric_limits<int>::max(), &number))
            return fail(error, QStringLiteral("\"page_size\" is %1, not a whole number")
                                   .arg(jsonTypeName(sizeValue)));
        result.pageSize = static_cast<int>(number);
    }

    const QJsonValue totalValue = root.value(QLatin1String("total"));
    if (!totalValue.isUndefined()) {
        // 2^53: the largest count a double holds exactly.
        if (!readInteger(totalValue, 0, 9007199254740992LL, &number))
            return fail(error, QStringLiteral("\"total\" is %1, not a whole number")
                                   .arg(jsonTypeName(totalValue)));
        result.total = number;
    }

    const QJsonValue nextValue = root.value(QLatin1String("next_page"));
    if (nextValue.isUndefined())
        return fail(error, QStringLiteral("the answer has no \"next_page\""));
    if (!nextValue.isNull()) {
        if (!readInteger(nextValue, std::numeric_limits<int>::min(),
                         std::numeric_limits<int>::max(), &number))
            return fail(error, QStringLiteral("\"next_page\" is %1, not null or a page number")
                                   .arg(jsonTypeName(nextValue)));
        result.nextPage = static_cast<int>(number);
    }

    const QJsonValue itemsValue = root.value(QLatin1String("items"));
    if (!itemsValue.isArray())
        return fail(error,
                    QStringLiteral("\"items\" is %1, not an array").arg(jsonTypeName(itemsValue)));
    const QJsonArray items = itemsValue.toArray();

    QVector<Span> spans;
    QString scanError;
    if (!scanItems(body, &spans, &scanError) || spans.size() != items.size())
        return fail(error, scanError.isEmpty()
                               ? QStringLiteral("the items of the answer could not be located")
                               : scanError);

    result.items.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue item = items.at(i);
        const qsizetype number1 = i + 1;
        if (!item.isObject())
            return fail(error, QStringLiteral("item %1 is %2, not an object")
                                   .arg(number1)
                                   .arg(jsonTypeName(item)));
        const QJsonObject object = item.toObject();
        const QJsonValue id = object.value(QLatin1String("id"));
        if (!id.isString())
            return fail(error, QStringLiteral("item %1 has no string \"id\"").arg(number1));
        const QJsonValue updatedAt = object.value(QLatin1String("updated_at"));
        if (!updatedAt.isString())
            return fail(error, QStringLiteral("item %1 has no string \"updated_at\"").arg(number1));

        // The record points into the body; only an id or updated_at that the raw bytes do not
        // spell out plainly (escapes, a key given twice) is decoded into bytes of its own.
        const Span span = spans.at(i);
        const ItemKeys raw = scanItemKeys(body, span);
        FetchedRecord record;
        record.m_payload = {static_cast<qint32>(span.begin),
                            static_cast<qint32>(span.end - span.begin)};
        if (raw.id && raw.updatedAt) {
            record.m_bytes = body;
            record.m_id = {static_cast<qint32>(raw.id->begin),
                           static_cast<qint32>(raw.id->end - raw.id->begin)};
            record.m_updatedAt = {static_cast<qint32>(raw.updatedAt->begin),
                                  static_cast<qint32>(raw.updatedAt->end - raw.updatedAt->begin)};
        } else {
            record = FetchedRecord(id.toString(), updatedAt.toString(),
                                   body.mid(span.begin, span.end - span.begin));
        }
        if (record.idUtf8().isEmpty())
            return fail(error, QStringLiteral("item %1 has an empty \"id\"").arg(number1));
        result.items.append(std::move(record));
    }

    if (page)
        *page = std::move(result);
    return true;
}

std::optional<int> peekNextPage(const QByteArray &body)
{
    RawScanner scan(body);
    scan.skipBomAndSpace();
    std::optional<Span> next;
    forEachMember(scan, [&](Span key, Span value) {
        if (keyIs(body, key, QLatin1String("next_page")))
            next = value;
        return !next;
    });
    if (!next)
        return std::nullopt;
    const QByteArrayView digits(body.constData() + next->begin, next->end - next->begin);
    if (digits.isEmpty() || digits.size() > 9 || digits.front() == '0')
        return std::nullopt;
    int page = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9')
            return std::nullopt;
        page = page * 10 + (c - '0');
    }
    return page;
}

QString jsonTypeName(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("missing");
}

FetchedRecord::FetchedRecord(const QString &id, const QString &updatedAt, const QByteArray &payload)
{
    const QByteArray idBytes = id.toUtf8();
    const QByteArray updatedBytes = updatedAt.toUtf8();
    m_bytes.reserve(payload.size() + idBytes.size() + updatedBytes.size());
    m_bytes.append(payload).append(idBytes).append(updatedBytes);
    m_payload = {0, static_cast<qint32>(payload.size())};
    m_id = {m_payload.size, static_cast<qint32>(idBytes.size())};
    m_updatedAt = {m_id.begin + m_id.size, static_cast<qint32>(updatedBytes.size())};
}
