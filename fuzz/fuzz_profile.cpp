// Source profiles (SPEC §11) on arbitrary bytes. The first byte picks one of a few profiles and
// decodeProfilePage() reads the rest as an answer: whatever it accepts must be what Qt's JSON
// parser sees, each item's raw payload parsing alone as the item whose id it reports. The same
// bytes, read as `key=value` lines, go through parseSourceProfile(): whatever it accepts holds
// only valid JSON pointers.
#include "fuzzcheck.h"
#include "job/sourceprofile.h"
#include "source/profiledecoder.h"

#include <cstddef>
#include <cstdint>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace {

SourceProfile profile(int which)
{
    QMap<QString, QString> values;
    switch (which % 4) {
    case 0:
        values = {{"paging", "cursor"}, {"next_cursor", "/paging/next"}, {"items", "/data"}};
        break;
    case 1:
        values = {{"items", ""}, {"id", "/a~1b/0"}, {"updated_at", ""}, {"paging", "none"}};
        break;
    case 2:
        values = {{"items", "/x/0/items"}, {"id", "/id"}, {"updated_at", "/m/t"}};
        break;
    default:
        values = {{"paging", "offset"}};
        break;
    }
    return *parseSourceProfile(values, {"prospect"}, nullptr);
}

QJsonValue resolve(QJsonValue value, const QStringList &tokens)
{
    for (const QString &token : tokens) {
        if (value.isObject())
            value = value.toObject().value(token);
        else if (value.isArray())
            value = value.toArray().at(token.toInt());
        else
            return QJsonValue(QJsonValue::Undefined);
    }
    return value;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const SourceProfile chosen = profile(data[0]);
    const QByteArray body(reinterpret_cast<const char *>(data) + 1,
                          static_cast<qsizetype>(size - 1));
    ProfilePage page;
    QString error;
    if (decodeProfilePage(body, chosen, &page, &error)) {
        FUZZ_CHECK(!QJsonDocument::fromJson(body).isNull(), QString::fromLatin1(body.toPercentEncoding()));
        for (const FetchedRecord &record : std::as_const(page.items)) {
            const QByteArray payload = record.payload().toByteArray();
            const QJsonDocument alone = QJsonDocument::fromJson("[" + payload + "]");
            FUZZ_CHECK(alone.isArray() && alone.array().size() == 1,
                       QString::fromLatin1(payload.toPercentEncoding()));
            const QJsonValue id = resolve(alone.array().at(0), jsonPointerTokens(chosen.id));
            FUZZ_CHECK(id.isString() || id.isDouble(), QString::fromLatin1(payload.toPercentEncoding()));
            if (id.isString())
                FUZZ_CHECK(record.id() == id.toString(), record.id() + " vs " + id.toString());
            FUZZ_CHECK(!record.id().isEmpty(), QString::fromLatin1(payload.toPercentEncoding()));
        }
    } else {
        FUZZ_CHECK(!error.isEmpty(), QStringLiteral("refused without a reason"));
    }

    QMap<QString, QString> values;
    for (const QByteArray &line : body.split('\n')) {
        const qsizetype equals = line.indexOf('=');
        if (equals > 0)
            values.insert(QString::fromUtf8(line.left(equals)), QString::fromUtf8(line.mid(equals + 1)));
    }
    QVector<FieldError> errors;
    const std::optional<SourceProfile> parsed = parseSourceProfile(values, {"prospect", "sales"}, &errors);
    FUZZ_CHECK(parsed.has_value() == errors.isEmpty(), QString::number(errors.size()));
    if (parsed) {
        FUZZ_CHECK(isJsonPointer(parsed->items) && isJsonPointer(parsed->id) &&
                       isJsonPointer(parsed->updatedAt) && isJsonPointer(parsed->nextCursor),
                   parsed->items);
        // A segment may hold dots ("v1..2" is a name); only "." and ".." segments leave the URL.
        const QStringList segments = parsed->path.split(QLatin1Char('/'));
        FUZZ_CHECK(!segments.contains(QLatin1String("..")) && !segments.contains(QLatin1String(".")) &&
                       parsed->path.startsWith('/') && !parsed->path.startsWith(QLatin1String("//")),
                   parsed->path);
    }
    return 0;
}
