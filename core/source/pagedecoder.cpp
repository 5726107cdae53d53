#include "source/pagedecoder.h"

#include <charconv>
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

/// A strict, single-pass reading of a whole page (RFC 8259) that validates every byte and notes
/// where decodePage()'s parts lie, without building a document: several times quicker than
/// QJsonDocument, which is most of what decoding a page costs.
///
/// It answers only when certain. Wherever QJsonDocument and RFC 8259 might part ways, or the
/// page is not a good one, it gives up and decodePage() reads the page with QJsonDocument, as
/// it always did: a byte-order mark, a key written with escapes, an escaped lone surrogate or
/// noncharacter, a noncharacter or DEL in the text, a number with more than 100 characters or
/// an exponent beyond two digits, nesting deeper than 64, a field of the page given twice, a
/// field of the wrong type, an item without one plain string "id" and "updated_at". So a page
/// it accepts is one QJsonDocument accepts, read to the same values (the fuzz target and
/// tst_pagedecoder compare the two on every input).
class StrictPageReader
{
public:
    explicit StrictPageReader(const QByteArray &body)
        : m_body(body)
        , m_begin(body.constData())
        , m_p(body.constData())
        , m_end(body.constData() + body.size())
    {}

    /// The page, or nothing: not certainly a good page (decode it the thorough way).
    std::optional<DecodedPage> read()
    {
        if (!readRoot())
            return std::nullopt;
        DecodedPage page;
        qint64 number = 0;
        if (!m_page || !integerAt(*m_page, 1, std::numeric_limits<int>::max(), &number))
            return std::nullopt;
        page.page = static_cast<int>(number);
        if (m_pageSize) {
            if (!integerAt(*m_pageSize, 0, std::numeric_limits<int>::max(), &number))
                return std::nullopt;
            page.pageSize = static_cast<int>(number);
        }
        if (m_total) {
            if (!integerAt(*m_total, 0, 9007199254740992LL, &number))
                return std::nullopt;
            page.total = number;
        }
        if (!m_nextPage)
            return std::nullopt;
        if (!isNull(*m_nextPage)) {
            if (!integerAt(*m_nextPage, std::numeric_limits<int>::min(),
                           std::numeric_limits<int>::max(), &number))
                return std::nullopt;
            page.nextPage = static_cast<int>(number);
        }
        if (!m_itemsSeen)
            return std::nullopt;
        page.items = std::move(m_items);
        return page;
    }

private:
    static constexpr int MaxDepth = 64;
    static constexpr qsizetype MaxNumberChars = 100;

    /// Bytes that need no thought inside a string: printable ASCII but '"', '\\' and DEL.
    static bool isPlain(unsigned char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; }

    qint32 offset(const char *at) const { return static_cast<qint32>(at - m_begin); }

    void skipSpace()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    bool consume(char c)
    {
        if (m_p < m_end && *m_p == c) {
            ++m_p;
            return true;
        }
        return false;
    }

    /// The members of the object at m_p, in order: each key (its bytes between the quotes, and
    /// whether it has no escapes) goes to `readValue(key, plain)`, which reads the value at m_p.
    template<typename ReadValue> bool readMembers(ReadValue readValue)
    {
        return readSequence('{', '}', [&] {
            Span inner;
            bool plain = false;
            if (!readString(&inner, &plain))
                return false;
            skipSpace();
            if (!consume(':'))
                return false;
            skipSpace();
            return readValue(QByteArrayView(m_begin + inner.begin, inner.end - inner.begin), plain);
        });
    }

    /// The elements of the array at m_p, in order, each read by `readElement()` at m_p.
    template<typename ReadElement> bool readElements(ReadElement readElement)
    {
        return readSequence('[', ']', readElement);
    }

    /// `open`, then entries separated by commas, each read by `readEntry()` at m_p, then
    /// `close`; spaces allowed around each.
    template<typename ReadEntry> bool readSequence(char open, char close, ReadEntry readEntry)
    {
        if (!consume(open))
            return false;
        skipSpace();
        if (consume(close))
            return true;
        while (true) {
            skipSpace();
            if (!readEntry())
                return false;
            skipSpace();
            if (consume(','))
                continue;
            return consume(close);
        }
    }

    bool readRoot()
    {
        skipSpace();
        const bool object = readMembers([this](QByteArrayView key, bool plain) {
            if (!plain)
                return false; // an escaped key may be one of the page's fields
            if (key == "items") {
                if (m_itemsSeen)
                    return false;
                m_itemsSeen = true;
                return readElements([this] { return readItem(); });
            }
            std::optional<FieldSpan> *field = key == "page"        ? &m_page
                                              : key == "page_size" ? &m_pageSize
                                              : key == "total"     ? &m_total
                                              : key == "next_page" ? &m_nextPage
                                                                   : nullptr;
            const char *value = m_p;
            if ((field && field->has_value()) || !skipValue(1))
                return false;
            if (field)
                *field = FieldSpan{value, m_p};
            return true;
        });
        skipSpace();
        return object && m_p == m_end;
    }

    /// One item: an object with exactly one plain, non-empty string "id" and one plain string
    /// "updated_at"; the record points into the body.
    bool readItem()
    {
        const char *begin = m_p;
        std::optional<Span> id;
        std::optional<Span> updatedAt;
        int ids = 0;
        int updates = 0;
        const bool object = readMembers([&](QByteArrayView key, bool plain) {
            if (!plain)
                return false; // an escaped key may be "id" or "updated_at"
            const bool isId = key == "id";
            if (!isId && key != "updated_at")
                return skipValue(3);
            Span value;
            if (m_p >= m_end || *m_p != '"' || !readString(&value, &plain) || !plain)
                return false;
            (isId ? id : updatedAt) = value;
            ++(isId ? ids : updates);
            return true;
        });
        if (!object || ids != 1 || updates != 1 || id->begin == id->end)
            return false;
        m_items.append(FetchedRecord(
            m_body, {static_cast<qint32>(id->begin), static_cast<qint32>(id->end - id->begin)},
            {static_cast<qint32>(updatedAt->begin),
             static_cast<qint32>(updatedAt->end - updatedAt->begin)},
            {offset(begin), offset(m_p) - offset(begin)}));
        return true;
    }

    bool skipValue(int depth)
    {
        if (m_p >= m_end || depth > MaxDepth)
            return false;
        switch (*m_p) {
        case '"': {
            Span inner;
            bool plain = false;
            return readString(&inner, &plain);
        }
        case '{':
            return readMembers([&](QByteArrayView, bool) { return skipValue(depth + 1); });
        case '[':
            return readElements([&] { return skipValue(depth + 1); });
        case 't':
            return literal("true");
        case 'f':
            return literal("false");
        case 'n':
            return literal("null");
        default:
            return readNumber();
        }
    }

    bool literal(QByteArrayView word)
    {
        if (m_end - m_p < word.size() || QByteArrayView(m_p, word.size()) != word)
            return false;
        m_p += word.size();
        return true;
    }

    /// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]{1,2})?, at most MaxNumberChars long: finite
    /// and clear of underflow whatever its digits, so QJsonDocument reads it to the same double.
    bool readNumber()
    {
        const char *begin = m_p;
        const auto digits = [this] {
            const char *from = m_p;
            while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
                ++m_p;
            return m_p - from;
        };
        consume('-');
        if (consume('0')) {
        } else if (m_p < m_end && *m_p >= '1' && *m_p <= '9') {
            digits();
        } else {
            return false;
        }
        if (consume('.') && digits() == 0)
            return false;
        if (consume('e') || consume('E')) {
            if (!consume('+'))
                consume('-');
            const qsizetype exponent = digits();
            if (exponent < 1 || exponent > 2)
                return false;
        }
        return m_p - begin <= MaxNumberChars;
    }

    /// At the opening quote: the span between the quotes, and whether it has no escapes.
    bool readString(Span *inner, bool *plain)
    {
        if (!consume('"'))
            return false;
        const char *begin = m_p;
        *plain = true;
        while (true) {
            while (m_p < m_end && isPlain(static_cast<unsigned char>(*m_p)))
                ++m_p;
            if (m_p >= m_end)
                return false;
            const auto c = static_cast<unsigned char>(*m_p);
            if (c == '"') {
                *inner = {offset(begin), offset(m_p)};
                ++m_p;
                return true;
            }
            if (c == '\\') {
                *plain = false;
                if (!readEscape())
                    return false;
            } else if (c < 0x80 || !readUtf8()) {
                return false; // a control character or DEL, or not UTF-8
            }
        }
    }

    static bool isNoncharacter(char32_t c)
    {
        return (c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe;
    }

    bool readHex4(char32_t *value)
    {
        if (m_end - m_p < 4)
            return false;
        char32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = *m_p++;
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= char32_t(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= char32_t(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= char32_t(c - 'A' + 10);
            else
                return false;
        }
        *value = v;
        return true;
    }

    bool readEscape()
    {
        ++m_p; // the backslash
        if (m_p >= m_end)
            return false;
        switch (*m_p++) {
        case '"':
        case '\\':
        case '/':
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            return true;
        case 'u':
            break;
        default:
            return false;
        }
        char32_t c = 0;
        if (!readHex4(&c) || (c >= 0xdc00 && c <= 0xdfff))
            return false;
        if (c >= 0xd800 && c <= 0xdbff) {
            char32_t low = 0;
            if (!consume('\\') || !consume('u') || !readHex4(&low) || low < 0xdc00 || low > 0xdfff)
                return false;
            c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        }
        return !isNoncharacter(c);
    }

    /// One UTF-8 sequence of two to four bytes: no overlong form, no surrogate, nothing past
    /// U+10FFFF, no noncharacter.
    bool readUtf8()
    {
        const auto byte = [this](qsizetype i) { return static_cast<unsigned char>(m_p[i]); };
        const unsigned char lead = byte(0);
        int length = 0;
        char32_t c = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xbf;
        if (lead >= 0xc2 && lead <= 0xdf) {
            length = 2;
            c = lead & 0x1f;
        } else if (lead >= 0xe0 && lead <= 0xef) {
            length = 3;
            c = lead & 0x0f;
            if (lead == 0xe0)
                low = 0xa0;
            else if (lead == 0xed)
                high = 0x9f;
        } else if (lead >= 0xf0 && lead <= 0xf4) {
            length = 4;
            c = lead & 0x07;
            if (lead == 0xf0)
                low = 0x90;
            else if (lead == 0xf4)
                high = 0x8f;
        } else {
            return false;
        }
        if (m_end - m_p < length || byte(1) < low || byte(1) > high)
            return false;
        for (int i = 1; i < length; ++i) {
            if ((byte(i) & 0xc0) != 0x80)
                return false;
            c = (c << 6) | (byte(i) & 0x3f);
        }
        m_p += length;
        return !isNoncharacter(c);
    }

    struct FieldSpan
    {
        const char *begin;
        const char *end;
    };

    static bool isNull(FieldSpan value) { return QByteArrayView(value.begin, value.end) == "null"; }

    /// A number read as QJsonDocument reads it (a whole number within qint64 exactly, any other
    /// as the nearest double), then held to decodePage()'s rule for integer fields.
    static bool integerAt(FieldSpan value, qint64 min, qint64 max, qint64 *out)
    {
        const QByteArrayView text(value.begin, value.end);
        if (text.isEmpty() || (text.front() != '-' && (text.front() < '0' || text.front() > '9')))
            return false;
        double d = 0;
        qint64 whole = 0;
        const bool isInt = !text.contains('.') && !text.contains('e') && !text.contains('E');
        if (isInt && std::from_chars(value.begin, value.end, whole).ec == std::errc()) {
            d = static_cast<double>(whole);
        } else {
            const std::from_chars_result r = std::from_chars(value.begin, value.end, d);
            if (r.ec != std::errc() || r.ptr != value.end)
                return false;
        }
        if (!std::isfinite(d) || std::floor(d) != d || d < static_cast<double>(min) ||
            d > static_cast<double>(max))
            return false;
        *out = static_cast<qint64>(d);
        return true;
    }

    const QByteArray &m_body;
    const char *m_begin;
    const char *m_p;
    const char *m_end;
    std::optional<FieldSpan> m_page;
    std::optional<FieldSpan> m_pageSize;
    std::optional<FieldSpan> m_total;
    std::optional<FieldSpan> m_nextPage;
    bool m_itemsSeen = false;
    QVector<FetchedRecord> m_items;
};

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

std::optional<DecodedPage> decodePageQuickly(const QByteArray &body)
{
    if (body.size() > std::numeric_limits<qint32>::max())
        return std::nullopt;
    return StrictPageReader(body).read();
}

bool decodePage(const QByteArray &body, DecodedPage *page, QString *error)
{
    if (std::optional<DecodedPage> quick = decodePageQuickly(body)) {
        if (page)
            *page = std::move(*quick);
        return true;
    }
    return decodePageThoroughly(body, page, error);
}

bool decodePageThoroughly(const QByteArray &body, DecodedPage *page, QString *error)
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
        if (raw.id && raw.updatedAt) {
            record = FetchedRecord(
                body,
                {static_cast<qint32>(raw.id->begin),
                 static_cast<qint32>(raw.id->end - raw.id->begin)},
                {static_cast<qint32>(raw.updatedAt->begin),
                 static_cast<qint32>(raw.updatedAt->end - raw.updatedAt->begin)},
                {static_cast<qint32>(span.begin), static_cast<qint32>(span.end - span.begin)});
        } else {
            // Either that is plain is still taken from the body: QJsonValue::toString() drops a
            // leading U+FEFF of a string written without escapes (QString::fromUtf8() takes it
            // for a byte-order mark), where JSON, and the quick way, keep it.
            const auto utf8 = [&](const std::optional<Span> &plain, const QJsonValue &value) {
                return plain ? QByteArrayView(body)
                                   .sliced(plain->begin, plain->end - plain->begin)
                                   .toByteArray()
                             : value.toString().toUtf8();
            };
            record = FetchedRecord::fromUtf8(
                utf8(raw.id, id), utf8(raw.updatedAt, updatedAt),
                QByteArrayView(body).sliced(span.begin, span.end - span.begin));
            // An escaped lone surrogate has no UTF-8: kept, it would turn into '?' and merge
            // with every other id that does, so the key of a record would not be its id.
            if (!raw.id && record.id() != id.toString())
                return fail(error, QStringLiteral("item %1 has an \"id\" that is not valid Unicode "
                                                  "(an escaped lone surrogate)")
                                       .arg(number1));
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
