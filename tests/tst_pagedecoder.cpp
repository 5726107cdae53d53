#include "source/pagedecoder.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

class TestPageDecoder final : public QObject
{
    Q_OBJECT

private slots:
    void decodesGoodPage();
    void lastPageHasNoNext();
    void emptyItems();
    void optionalCountsMayBeMissing();
    void payloadIsRawBytes();
    void payloadKeepsNulEscapes();
    void toleratesWhitespaceAndBom();
    void findsEscapedItemsKey();
    void recordsShareThePage();
    void oddlySpelledIdsAreDecoded();
    void leadingZeroWidthNoBreakSpaceIsKept();
    void peeksTheNextPage_data();
    void peeksTheNextPage();
    void rejectsMalformed_data();
    void rejectsMalformed();
    void survivesEveryTruncation();
    void survivesRandomMutation();
    void quickWayReadsOrdinaryPages_data();
    void quickWayReadsOrdinaryPages();
    void quickWayDeclinesWhatItIsNotSureOf_data();
    void quickWayDeclinesWhatItIsNotSureOf();
};

namespace {

const QByteArray GoodPage =
    R"({"dealer_id":"12284","fetch_type":"prospect","page":1,"page_size":2,"total":3,)"
    R"("items":[{"id":"P-12284-000001","updated_at":"2025-06-12T09:31:00Z","name":"Ada"},)"
    R"({"id":"P-12284-000002","updated_at":"2025-06-12T10:00:00Z","name":"Ben"}],"next_page":2})";

/// A page with more in it than GoodPage: text in several scripts, escapes, numbers of every
/// shape, nesting, whitespace.
const QByteArray RichPage = QByteArray(
    "{ \"page\" : 3 , \"page_size\":500,\"total\":1.2e3,\n\"items\":[\r\n"
    "{\"id\":\"P-\xc3\xa9\xe2\x82\xac\xf0\x9f\x9a\x97\",\"updated_at\":\"2025-06-12T09:31:00Z\","
    "\"note\":\"line\\nbreak \\\"quoted\\\" \\u00e9 \\ud83d\\ude97 \\u0000 \\/\","
    "\"price\":-12.50,\"km\":0,\"ratio\":6.02E+23,\"tiny\":1e-7,\"ok\":true,\"gone\":false,"
    "\"none\":null,\"tags\":[[],{},[1,[2,{\"a\":[3]}]]],\"empty\":\"\"},\t"
    "{\"updated_at\":\"2025-06-12T10:00:00Z\",\"id\":\"P-2\"}],"
    "\"next_page\":4.0,\"\":\"an empty key\"}  \n");

/// decodePage() and decodePageThoroughly() give the same answer: the same page, or the same
/// message.
void verifyBothWaysAgree(const QByteArray &body)
{
    DecodedPage quick;
    DecodedPage thorough;
    QString quickError;
    QString thoroughError;
    const bool quickOk = decodePage(body, &quick, &quickError);
    const bool thoroughOk = decodePageThoroughly(body, &thorough, &thoroughError);
    QVERIFY2(quickOk == thoroughOk, body.toPercentEncoding(" {}[]\":,").constData());
    QCOMPARE(quickError, thoroughError);
    if (!quickOk)
        return;
    QCOMPARE(quick.page, thorough.page);
    QCOMPARE(quick.pageSize, thorough.pageSize);
    QCOMPARE(quick.total, thorough.total);
    QCOMPARE(quick.nextPage, thorough.nextPage);
    QCOMPARE(quick.items.size(), thorough.items.size());
    for (qsizetype i = 0; i < quick.items.size(); ++i) {
        const FetchedRecord &a = quick.items.at(i);
        const FetchedRecord &b = thorough.items.at(i);
        QCOMPARE(a.idUtf8().toByteArray(), b.idUtf8().toByteArray());
        QCOMPARE(a.updatedAtUtf8().toByteArray(), b.updatedAtUtf8().toByteArray());
        QCOMPARE(a.payload().toByteArray(), b.payload().toByteArray());
        QCOMPARE(a.payload().data(), b.payload().data()); // both point into the body
    }
}

} // namespace

void TestPageDecoder::decodesGoodPage()
{
    DecodedPage page;
    QString error;
    QVERIFY2(decodePage(GoodPage, &page, &error), qPrintable(error));
    QCOMPARE(page.page, 1);
    QCOMPARE(page.pageSize, 2);
    QCOMPARE(page.total, 3);
    QVERIFY(page.nextPage.has_value());
    QCOMPARE(*page.nextPage, 2);
    QCOMPARE(page.items.size(), 2);
    QCOMPARE(page.items.at(0).id(), QStringLiteral("P-12284-000001"));
    QCOMPARE(page.items.at(0).updatedAt(), QStringLiteral("2025-06-12T09:31:00Z"));
    QCOMPARE(
        page.items.at(0).payload().toByteArray(),
        QByteArray(R"({"id":"P-12284-000001","updated_at":"2025-06-12T09:31:00Z","name":"Ada"})"));
    QCOMPARE(page.items.at(1).id(), QStringLiteral("P-12284-000002"));
    QCOMPARE(
        page.items.at(1).payload().toByteArray(),
        QByteArray(R"({"id":"P-12284-000002","updated_at":"2025-06-12T10:00:00Z","name":"Ben"})"));
}

void TestPageDecoder::lastPageHasNoNext()
{
    DecodedPage page;
    QString error;
    QVERIFY2(decodePage(R"({"page":3,"page_size":2,"total":5,"items":[{"id":"x","updated_at":""}],)"
                        R"("next_page":null})",
                        &page, &error),
             qPrintable(error));
    QCOMPARE(page.page, 3);
    QVERIFY(!page.nextPage.has_value());
    QCOMPARE(page.items.size(), 1);
}

void TestPageDecoder::emptyItems()
{
    DecodedPage page;
    page.items.append(FetchedRecord{}); // must be replaced, not appended to
    QString error;
    QVERIFY2(decodePage(R"({"page":1,"page_size":500,"total":0,"items":[ ],"next_page":null})",
                        &page, &error),
             qPrintable(error));
    QVERIFY(page.items.isEmpty());
    QCOMPARE(page.total, 0);
}

void TestPageDecoder::optionalCountsMayBeMissing()
{
    DecodedPage page;
    QString error;
    QVERIFY2(decodePage(R"({"page":1,"items":[],"next_page":null})", &page, &error),
             qPrintable(error));
    QCOMPARE(page.total, -1);
    QCOMPARE(page.pageSize, 0);
}

void TestPageDecoder::payloadIsRawBytes()
{
    // Key order, big integers, number spelling, nesting with brackets and quotes inside
    // strings, unicode, escapes and inner whitespace must all survive byte for byte.
    const QByteArray item1 =
        R"({"zeta":1,"updated_at":"2025-06-12T09:31:00+02:00","id":"A-1",)"
        R"("big":123456789012345678901234567890,"float":1.50e+3,"neg":-0,)"
        R"("nested":{"b":[1,{"c":"]}\"[{"}],"a":null},"esc":"q\"uote\\ \/ \n \u00e9 \ud83d\ude00",)"
        "\"utf8\":\"\xc3\xa9\xe2\x82\xac\",\"ws\" :  [ 1 , 2 ] }";
    const QByteArray item2 = R"({ "id" : "B-2" , "updated_at" : "x" , "empty" : {} , "arr":[[]] })";
    const QByteArray body = "{\"items\" : [ " + item1 + " ,\n\t" + item2 +
                            " ] , \"page\": 1, \"next_page\": null, \"total\": 2}";

    DecodedPage page;
    QString error;
    QVERIFY2(decodePage(body, &page, &error), qPrintable(error));
    QCOMPARE(page.items.size(), 2);
    QCOMPARE(page.items.at(0).payload().toByteArray(), item1);
    QCOMPARE(page.items.at(1).payload().toByteArray(), item2);
    QCOMPARE(page.items.at(0).id(), QStringLiteral("A-1"));
    QCOMPARE(page.items.at(1).id(), QStringLiteral("B-2"));
    QVERIFY(page.items.at(0).payload().toByteArray().contains("123456789012345678901234567890"));
}

void TestPageDecoder::payloadKeepsNulEscapes()
{
    const QByteArray item = R"({"id":"N\u0000-1","updated_at":"t","name":"Ada\u0000Lovelace"})";
    const QByteArray body = R"({"page":1,"items":[)" + item + R"(],"next_page":null})";
    DecodedPage page;
    QString error;
    QVERIFY2(decodePage(body, &page, &error), qPrintable(error));
    QCOMPARE(page.items.size(), 1);
    QCOMPARE(page.items.at(0).payload().toByteArray(), item);
    QCOMPARE(page.items.at(0).id(), QString(QStringLiteral("N") + QChar(0) + QStringLiteral("-1")));
    QCOMPARE(page.items.at(0).id().size(), 4);
}

void TestPageDecoder::toleratesWhitespaceAndBom()
{
    const QByteArray body = "\xef\xbb\xbf \r\n" + GoodPage + "\n\n";
    DecodedPage page;
    QString error;
    if (QJsonDocument::fromJson(body).isNull())
        QSKIP("this Qt's JSON parser does not accept a byte-order mark");
    QVERIFY2(decodePage(body, &page, &error), qPrintable(error));
    QCOMPARE(page.items.size(), 2);
    QCOMPARE(
        page.items.at(1).payload().toByteArray(),
        QByteArray(R"({"id":"P-12284-000002","updated_at":"2025-06-12T10:00:00Z","name":"Ben"})"));
}

void TestPageDecoder::findsEscapedItemsKey()
{
    // A key spelled with an escape is the same key to JSON; the scanner must agree.
    const QByteArray body =
        R"({"it\u0065ms":[{"id":"a","updated_at":"b"}],"page":1,"next_page":null,"x":"items"})";
    DecodedPage page;
    QString error;
    QVERIFY2(decodePage(body, &page, &error), qPrintable(error));
    QCOMPARE(page.items.size(), 1);
    QCOMPARE(page.items.at(0).payload().toByteArray(),
             QByteArray(R"({"id":"a","updated_at":"b"})"));
}

void TestPageDecoder::recordsShareThePage()
{
    // A record points into the page's body instead of copying it, and keeps the body alive.
    QByteArray body = GoodPage;
    body.detach();
    const char *begin = body.constData();
    DecodedPage page;
    QString error;
    QVERIFY2(decodePage(body, &page, &error), qPrintable(error));
    for (const FetchedRecord &record : std::as_const(page.items)) {
        for (const QByteArrayView bytes :
             {record.payload(), record.idUtf8(), record.updatedAtUtf8()}) {
            QVERIFY(bytes.data() >= begin);
            QVERIFY(bytes.data() + bytes.size() <= begin + body.size());
        }
    }
    body.fill('x'); // detaches: the records still hold the page as it came
    body = QByteArray();
    QCOMPARE(
        page.items.at(1).payload().toByteArray(),
        QByteArray(R"({"id":"P-12284-000002","updated_at":"2025-06-12T10:00:00Z","name":"Ben"})"));
    QCOMPARE(page.items.at(1).id(), QStringLiteral("P-12284-000002"));
    QCOMPARE(page.items.at(1).updatedAt(), QStringLiteral("2025-06-12T10:00:00Z"));
}

void TestPageDecoder::oddlySpelledIdsAreDecoded()
{
    // Escapes in a value or a key, and a key given twice: the record says what JSON says.
    const QList<QByteArray> items = {
        R"({"id":"a\"b\u00e9","updated_at":"t\/1"})",
        R"({"\u0069d":"plain","upd\u0061ted_at":"t2"})",
        R"({"id":"first","updated_at":"t3","id":"second"})",
        R"({"updated_at":"t4","id":"\ud83d\ude00"})",
    };
    QByteArray body = R"({"page":1,"next_page":null,"items":[)";
    for (qsizetype i = 0; i < items.size(); ++i)
        body += (i ? "," : "") + items.at(i);
    body += "]}";
    DecodedPage page;
    QString error;
    QVERIFY2(decodePage(body, &page, &error), qPrintable(error));
    QCOMPARE(page.items.size(), items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject object = QJsonDocument::fromJson(items.at(i)).object();
        QCOMPARE(page.items.at(i).id(), object.value(QLatin1String("id")).toString());
        QCOMPARE(page.items.at(i).updatedAt(),
                 object.value(QLatin1String("updated_at")).toString());
        QCOMPARE(page.items.at(i).payload().toByteArray(), items.at(i));
        QCOMPARE(page.items.at(i).idUtf8().toByteArray(),
                 object.value(QLatin1String("id")).toString().toUtf8());
    }
    QCOMPARE(page.items.at(0).id(), QString::fromUtf8("a\"b\xc3\xa9"));
}

void TestPageDecoder::leadingZeroWidthNoBreakSpaceIsKept()
{
    // U+FEFF at the start of a string is a character of it in JSON. QJsonValue::toString() drops
    // it from a string written without escapes (QString::fromUtf8() takes it for a byte-order
    // mark) but keeps it when written "\ufeff"; the record keeps it either way, quick way or
    // thorough (the escaped key of the second page sends that one the thorough way).
    const QByteArray bom = "\xef\xbb\xbf";
    const QByteArray item = R"({"id":")" + bom + R"(P-1","updated_at":")" + bom + R"(2025"})";
    const QByteArray escaped = R"({"id":"\ufeffP-2","updated_at":"\ufeff2025"})";
    const QList<QByteArray> bodies = {
        R"({"page":1,"next_page":null,"items":[)" + item + "," + escaped + "]}",
        R"({"page":1,"next_page":null,"items":[)" + item + "," + escaped +
            R"(,{"i\u0064":"P-3","updated_at":"x"}]})",
    };
    for (const QByteArray &body : bodies) {
        DecodedPage page;
        QString error;
        QVERIFY2(decodePage(body, &page, &error), qPrintable(error));
        QVERIFY(page.items.size() >= 2);
        QCOMPARE(page.items.at(0).idUtf8().toByteArray(), bom + "P-1");
        QCOMPARE(page.items.at(0).updatedAtUtf8().toByteArray(), bom + "2025");
        QCOMPARE(page.items.at(0).id(), QString(QChar(0xfeff)) + QStringLiteral("P-1"));
        QCOMPARE(page.items.at(0).updatedAt(), QString(QChar(0xfeff)) + QStringLiteral("2025"));
        QCOMPARE(page.items.at(1).idUtf8().toByteArray(), bom + "P-2");
        QCOMPARE(page.items.at(1).id(), QString(QChar(0xfeff)) + QStringLiteral("P-2"));
        QCOMPARE(page.items.at(1).updatedAt(), QString(QChar(0xfeff)) + QStringLiteral("2025"));
    }
}

void TestPageDecoder::peeksTheNextPage_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("expected"); // 0: no hint
    QTest::newRow("good page") << GoodPage << 2;
    QTest::newRow("last page") << QByteArray(R"({"page":3,"items":[],"next_page":null})") << 0;
    QTest::newRow("first key") << QByteArray(R"({"next_page":12,"page":11,"items":[]})") << 12;
    QTest::newRow("spaces") << QByteArray("{ \"page\" : 1 ,\n \"next_page\" :  7 \n}") << 7;
    QTest::newRow("items with braces in strings")
        << QByteArray(R"({"items":[{"id":"}\"{","x":[1,{"next_page":99}]}],"next_page":4})") << 4;
    QTest::newRow("zero") << QByteArray(R"({"next_page":0})") << 0;
    QTest::newRow("negative") << QByteArray(R"({"next_page":-2})") << 0;
    QTest::newRow("fraction") << QByteArray(R"({"next_page":2.0})") << 0;
    QTest::newRow("exponent") << QByteArray(R"({"next_page":2e1})") << 0;
    QTest::newRow("leading zero") << QByteArray(R"({"next_page":02})") << 0;
    QTest::newRow("too large") << QByteArray(R"({"next_page":12345678901})") << 0;
    QTest::newRow("a string") << QByteArray(R"({"next_page":"2"})") << 0;
    QTest::newRow("missing") << QByteArray(R"({"page":1,"items":[]})") << 0;
    QTest::newRow("truncated") << GoodPage.left(GoodPage.size() - 5) << 0;
    QTest::newRow("cut in the items") << GoodPage.left(120) << 0;
    QTest::newRow("an array") << QByteArray("[1,2]") << 0;
    QTest::newRow("empty") << QByteArray() << 0;
}

void TestPageDecoder::peeksTheNextPage()
{
    QFETCH(QByteArray, body);
    QFETCH(int, expected);
    const std::optional<int> hint = peekNextPage(body);
    QCOMPARE(hint.value_or(0), expected);
}

void TestPageDecoder::rejectsMalformed_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");

    const auto page = [](const QByteArray &items, const QByteArray &rest = R"("next_page":null)") {
        return R"({"page":1,"page_size":2,"total":2,"items":)" + items + "," + rest + "}";
    };
    QTest::newRow("empty") << QByteArray() << "empty body";
    QTest::newRow("blank") << QByteArray(" \n") << "empty body";
    QTest::newRow("html") << QByteArray("<html>oops</html>") << "not valid JSON";
    QTest::newRow("truncated") << GoodPage.left(GoodPage.size() / 2) << "not valid JSON";
    QTest::newRow("trailing garbage") << GoodPage + "x"
                                      << "not valid JSON";
    QTest::newRow("array") << QByteArray("[1,2]") << "not an object";
    QTest::newRow("string") << QByteArray("\"page\"") << "not valid JSON";
    QTest::newRow("no items") << QByteArray(R"({"page":1,"next_page":null})")
                              << "\"items\" is missing";
    QTest::newRow("items object") << page("{}") << "\"items\" is an object, not an array";
    QTest::newRow("items null") << page("null") << "\"items\" is null";
    QTest::newRow("item number") << page(R"([{"id":"a","updated_at":"b"},3])")
                                 << "item 2 is a number, not an object";
    QTest::newRow("item no id") << page(R"([{"updated_at":"b"}])") << "item 1 has no string \"id\"";
    QTest::newRow("id number") << page(R"([{"id":12,"updated_at":"b"}])")
                               << "item 1 has no string \"id\"";
    QTest::newRow("id empty") << page(R"([{"id":"","updated_at":"b"}])")
                              << "item 1 has an empty \"id\"";
    QTest::newRow("no updated_at")
        << page(R"([{"id":"a"},{"id":"b"}])") << "item 1 has no string \"updated_at\"";
    QTest::newRow("updated_at number") << page(R"([{"id":"a","updated_at":"x"},)"
                                               R"({"id":"b","updated_at":5}])")
                                       << "item 2 has no string \"updated_at\"";
    QTest::newRow("next_page string")
        << page("[]", R"("next_page":"2")") << "\"next_page\" is a string";
    QTest::newRow("next_page fraction")
        << page("[]", R"("next_page":2.5)") << "\"next_page\" is a number";
    QTest::newRow("next_page huge")
        << page("[]", R"("next_page":1e300)") << "\"next_page\" is a number";
    QTest::newRow("next_page missing")
        << QByteArray(R"({"page":1,"items":[]})") << "no \"next_page\"";
    QTest::newRow("page missing") << QByteArray(R"({"items":[],"next_page":null})")
                                  << "\"page\" is missing";
    QTest::newRow("page string") << QByteArray(R"({"page":"1","items":[],"next_page":null})")
                                 << "\"page\" is a string";
    QTest::newRow("page zero") << QByteArray(R"({"page":0,"items":[],"next_page":null})")
                               << "\"page\" is a number, not a page number";
    QTest::newRow("total string") << QByteArray(R"({"page":1,"total":"3","items":[],)"
                                                R"("next_page":null})")
                                  << "\"total\" is a string";
    QTest::newRow("page_size negative") << QByteArray(R"({"page":1,"page_size":-1,"items":[],)"
                                                      R"("next_page":null})")
                                        << "\"page_size\" is a number";
    QTest::newRow("items twice") << QByteArray(R"({"page":1,"items":[{"id":"a","updated_at":"b"}],)"
                                               R"("items":[],"next_page":null})")
                                 << "\"items\" twice";
    QTest::newRow("id lone surrogate") << page(R"([{"id":"a\ud800","updated_at":"b"}])")
                                       << "item 1 has an \"id\" that is not valid Unicode";
    QTest::newRow("bad utf8") << QByteArray(
                                     "{\"page\":1,\"items\":[{\"id\":\"\xff\",\"updated_at\":"
                                     "\"b\"}],\"next_page\":null}")
                              << "not valid JSON";
}

void TestPageDecoder::rejectsMalformed()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    DecodedPage page;
    page.page = 42;
    QString error;
    QVERIFY(!decodePage(body, &page, &error));
    QVERIFY2(error.contains(expected), qPrintable(error));
    QCOMPARE(page.page, 42); // untouched on failure
    verifyBothWaysAgree(body);
}

void TestPageDecoder::survivesEveryTruncation()
{
    for (qsizetype n = 0; n < GoodPage.size(); ++n) {
        DecodedPage page;
        QString error;
        QVERIFY(!decodePage(GoodPage.left(n), &page, &error));
        QVERIFY(!error.isEmpty());
    }
}

void TestPageDecoder::survivesRandomMutation()
{
    // Not a fuzzer, but a cheap smoke test: flipped, inserted and deleted bytes must never
    // crash, and whatever is accepted must carry payloads that are themselves JSON objects.
    QRandomGenerator random(12345);
    const QByteArray alphabet = QByteArrayLiteral("{}[]\",:\\ u0019aexyz-+.E\x00\xff\x7f\xc3\xed");
    int accepted = 0;
    for (int round = 0; round < 40000; ++round) {
        QByteArray body = round % 2 ? RichPage : GoodPage;
        const int edits = 1 + random.bounded(3);
        for (int e = 0; e < edits; ++e) {
            const int at = random.bounded(static_cast<int>(body.size()) + 1);
            const char c = alphabet.at(random.bounded(static_cast<int>(alphabet.size())));
            switch (random.bounded(3)) {
            case 0:
                if (at < body.size())
                    body[at] = c;
                break;
            case 1:
                body.insert(at, c);
                break;
            default:
                if (at < body.size())
                    body.remove(at, 1);
                break;
            }
        }
        DecodedPage page;
        QString error;
        const std::optional<int> hint = peekNextPage(body);
        QVERIFY(!hint || *hint >= 1);
        verifyBothWaysAgree(body);
        if (QTest::currentTestFailed())
            return;
        if (!decodePage(body, &page, &error)) {
            QVERIFY(!error.isEmpty());
            continue;
        }
        ++accepted;
        for (const FetchedRecord &record : std::as_const(page.items)) {
            const QJsonDocument doc = QJsonDocument::fromJson(record.payload().toByteArray());
            QVERIFY2(doc.isObject(), record.payload().toByteArray().constData());
            QCOMPARE(doc.object().value(QLatin1String("id")).toString(), record.id());
        }
    }
    QVERIFY(accepted > 0);
}

void TestPageDecoder::quickWayReadsOrdinaryPages_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("good") << GoodPage;
    QTest::newRow("rich") << RichPage;
    QTest::newRow("last page") << QByteArray(R"({"page":7,"items":[],"next_page":null})");
    QTest::newRow("negative next")
        << QByteArray(R"({"page":7,"items":[],"next_page":-3,"page_size":0})");
    QTest::newRow("big whole numbers")
        << QByteArray(R"({"page":2147483647,"total":9007199254740992,"items":[],)"
                      R"("next_page":-2147483648})");
    QByteArray deep = R"({"page":1,"next_page":null,"items":[{"id":"d","updated_at":"u","x":)";
    deep += QByteArray(60, '[') + QByteArray(60, ']') + "}]}";
    QTest::newRow("deep but not too deep") << deep;
}

void TestPageDecoder::quickWayReadsOrdinaryPages()
{
    // The quick way must take the pages a dealer API really sends, or decoding is slow again.
    QFETCH(QByteArray, body);
    QVERIFY(decodePageQuickly(body).has_value());
    verifyBothWaysAgree(body);
}

void TestPageDecoder::quickWayDeclinesWhatItIsNotSureOf_data()
{
    QTest::addColumn<QByteArray>("body");
    const auto item = [](const QByteArray &itemText) {
        return R"({"page":1,"next_page":null,"items":[)" + itemText + "]}";
    };
    const auto payload = [&](const QByteArray &value) {
        return item(R"({"id":"a","updated_at":"b","x":)" + value + "}");
    };
    QTest::newRow("bom") << "\xef\xbb\xbf" + GoodPage;
    QTest::newRow("escaped page key")
        << QByteArray(R"({"p\u0061ge":1,"next_page":null,"items":[]})");
    QTest::newRow("escaped item key") << item(R"({"\u0069d":"a","updated_at":"b"})");
    QTest::newRow("escaped id") << item(R"({"id":"a\u0062","updated_at":"b"})");
    QTest::newRow("escaped updated_at") << item(R"({"id":"a","updated_at":"b\/c"})");
    QTest::newRow("id twice") << item(R"({"id":"a","updated_at":"b","id":"c"})");
    QTest::newRow("updated_at twice") << item(R"({"id":"a","updated_at":"b","updated_at":"c"})");
    QTest::newRow("empty id") << item(R"({"id":"","updated_at":"b"})");
    QTest::newRow("id number") << item(R"({"id":1,"updated_at":"b"})");
    QTest::newRow("item not object") << item("[1]");
    QTest::newRow("page twice") << QByteArray(R"({"page":1,"page":2,"next_page":null,"items":[]})");
    QTest::newRow("next_page twice")
        << QByteArray(R"({"page":1,"next_page":2,"next_page":null,"items":[]})");
    QTest::newRow("items twice") << QByteArray(
        R"({"page":1,"next_page":null,"items":[],"items":[]})");
    QTest::newRow("page string") << QByteArray(R"({"page":"1","next_page":null,"items":[]})");
    QTest::newRow("page fraction") << QByteArray(R"({"page":1.5,"next_page":null,"items":[]})");
    QTest::newRow("page missing") << QByteArray(R"({"next_page":null,"items":[]})");
    QTest::newRow("next_page missing") << QByteArray(R"({"page":1,"items":[]})");
    QTest::newRow("items missing") << QByteArray(R"({"page":1,"next_page":null})");
    QTest::newRow("total too big")
        << QByteArray(R"({"page":1,"total":18014398509481984,"next_page":null,"items":[]})");
    QTest::newRow("lone high surrogate") << payload(R"("\ud83d")");
    QTest::newRow("lone low surrogate") << payload(R"("\ude97")");
    QTest::newRow("reversed surrogates") << payload(R"("\ude97\ud83d")");
    QTest::newRow("escaped noncharacter") << payload(R"("\uffff")");
    QTest::newRow("escaped plane noncharacter") << payload(R"("\ud83f\udfff")");
    QTest::newRow("utf8 noncharacter") << payload("\"\xef\xbf\xbe\"");
    QTest::newRow("utf8 fdd0") << payload("\"\xef\xb7\x90\"");
    QTest::newRow("utf8 surrogate") << payload("\"\xed\xa0\x80\"");
    QTest::newRow("utf8 overlong") << payload("\"\xc0\xaf\"");
    QTest::newRow("utf8 overlong 3") << payload("\"\xe0\x80\xaf\"");
    QTest::newRow("utf8 past 10ffff") << payload("\"\xf4\x90\x80\x80\"");
    QTest::newRow("utf8 f5") << payload("\"\xf5\x80\x80\x80\"");
    QTest::newRow("utf8 cut") << payload("\"\xe2\x82\"");
    QTest::newRow("utf8 lone continuation") << payload("\"\x80\"");
    QTest::newRow("del") << payload("\"\x7f\"");
    QTest::newRow("control character") << payload("\"\x01\"");
    QTest::newRow("nul") << payload(QByteArray("\"\0\"", 3));
    QTest::newRow("bad escape") << payload(R"("\x")");
    QTest::newRow("short unicode escape") << payload(R"("\u12")");
    QTest::newRow("leading zero") << payload("01");
    QTest::newRow("bare minus") << payload("-");
    QTest::newRow("dot without digits") << payload("1.");
    QTest::newRow("exponent without digits") << payload("1e");
    QTest::newRow("exponent of three digits") << payload("1e100");
    QTest::newRow("exponent overflow") << payload("1e400");
    QTest::newRow("long number") << payload("1" + QByteArray(100, '0'));
    QTest::newRow("plus sign") << payload("+1");
    QTest::newRow("nan") << payload("NaN");
    QTest::newRow("true cut") << payload("tru");
    QTest::newRow("too deep") << payload(QByteArray(70, '[') + QByteArray(70, ']'));
    QTest::newRow("trailing comma") << payload("[1,]");
    QTest::newRow("single quotes") << payload("'a'");
    QTest::newRow("trailing garbage") << GoodPage + "x";
    QTest::newRow("two documents") << GoodPage + GoodPage;
    QTest::newRow("form feed") << GoodPage + "\f";
    QTest::newRow("top array") << QByteArray("[]");
}

void TestPageDecoder::quickWayDeclinesWhatItIsNotSureOf()
{
    // Each of these goes the thorough way, so whatever QJsonDocument makes of it stands.
    QFETCH(QByteArray, body);
    QVERIFY(!decodePageQuickly(body).has_value());
    verifyBothWaysAgree(body);
}

QTEST_GUILESS_MAIN(TestPageDecoder)
#include "tst_pagedecoder.moc"
