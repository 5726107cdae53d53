// Dealer ID lists as pasted or read from a file: parseDealerIdText() and checkDealerIds() on
// arbitrary bytes, checked against SPEC §1 written out independently here.
#include "fuzzcheck.h"
#include "job/validation.h"

#include <cstddef>
#include <cstdint>

#include <QSet>
#include <QStringList>

namespace {

/// SPEC §1: 1-32 characters of A-Z a-z 0-9 _ -, beginning with a letter or digit.
bool specValid(const QString &id)
{
    if (id.isEmpty() || id.size() > 32)
        return false;
    for (qsizetype i = 0; i < id.size(); ++i) {
        const char16_t c = id.at(i).unicode();
        const bool alnum =
            (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
        if (!alnum && (i == 0 || (c != u'_' && c != u'-')))
            return false;
    }
    return true;
}

/// Splits on newlines, commas, semicolons, tabs and spaces, as SPEC §3 says for --bulk-file.
QStringList specSplit(const QString &text)
{
    QStringList parts;
    QString current;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'\r' || u == u'\n' || u == u',' || u == u';' || u == u'\t' || u == u' ') {
            parts << current;
            current.clear();
        } else {
            current += c;
        }
    }
    parts << current;
    return parts;
}

/// The list SPEC §1 asks for: blanks and repeats dropped, first occurrences in order.
void checkList(const DealerIdList &list, const QStringList &given, const QString &input)
{
    QStringList expectedValid;
    QStringList expectedInvalid;
    QSet<QString> seen;
    for (const QString &raw : given) {
        const QString id = raw.trimmed();
        if (id.isEmpty() || seen.contains(id))
            continue;
        seen.insert(id);
        (specValid(id) ? expectedValid : expectedInvalid) << id;
    }
    FUZZ_CHECK(list.valid == expectedValid,
               QStringLiteral("valid %1, expected %2 for %3")
                   .arg(list.valid.join('|'), expectedValid.join('|'), input.left(200)));

    QStringList invalidIds;
    for (const DealerIdList::Invalid &bad : list.invalid) {
        invalidIds << bad.id;
        FUZZ_CHECK(!bad.reason.isEmpty(), bad.id);
        QString why;
        FUZZ_CHECK(!validateDealerId(bad.id, &why), bad.id);
        FUZZ_CHECK(!why.isEmpty(), bad.id);
    }
    FUZZ_CHECK(invalidIds == expectedInvalid,
               QStringLiteral("invalid %1, expected %2")
                   .arg(invalidIds.join('|'), expectedInvalid.join('|')));

    const QSet<QString> validSet(list.valid.begin(), list.valid.end());
    const QSet<QString> invalidSet(invalidIds.begin(), invalidIds.end());
    FUZZ_CHECK(validSet.size() == list.valid.size(), list.valid.join('|'));
    FUZZ_CHECK(invalidSet.size() == invalidIds.size(), invalidIds.join('|'));
    for (const QString &id : list.valid) {
        FUZZ_CHECK(validateDealerId(id), id);
        FUZZ_CHECK(!invalidSet.contains(id), id);
    }
    for (const QString &repeat : list.duplicates)
        FUZZ_CHECK(validSet.contains(repeat) || invalidSet.contains(repeat), repeat);
    FUZZ_CHECK(list.invalid.isEmpty() == list.invalidSummary().isEmpty(), input.left(200));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QString text = QString::fromUtf8(bytes);

    // A single ID, as the API's dealer_id or one line of the paste box.
    QString why;
    const bool valid = validateDealerId(text, &why);
    FUZZ_CHECK(valid == specValid(text), text.left(200));
    FUZZ_CHECK(valid || !why.isEmpty(), text.left(200));

    // Pasted text: split, trimmed, sorted.
    checkList(parseDealerIdText(text), specSplit(text), text);

    // An array that is already split (the API's dealer_ids): here, one element per line.
    const QStringList lines = text.split(QLatin1Char('\n'));
    checkList(checkDealerIds(lines), lines, text);
    return 0;
}
