#include "job/timeformat.h"
#include "job/validation.h"

#include <QDateTime>

#include <ctime>
#include <QTest>

class TestValidation final : public QObject
{
    Q_OBJECT

private slots:
    void dealerIds_data();
    void dealerIds();
    void pastedList();
    void apiList();
    void fetchTypes();
    void timeInputs_data();
    void timeInputs();
    void windowDefaults();
    void windowRules_data();
    void windowRules();
    void timestampFormat();
    void daylightSavingChanges();
    void invisibleCharactersAreNamed();
    void manyRepeatsStayFast();
};

void TestValidation::dealerIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("digits") << "12284" << true << "";
    QTest::newRow("leading zeros kept") << "00999" << true << "";
    QTest::newRow("letters and signs") << "Dealer_7-b" << true << "";
    QTest::newRow("one char") << "A" << true << "";
    QTest::newRow("32 chars") << QString(32, 'a') << true << "";
    QTest::newRow("33 chars") << QString(33, 'a') << false << "33 characters";
    QTest::newRow("empty") << "" << false << "empty";
    QTest::newRow("space") << "12 84" << false << "a space";
    QTest::newRow("leading dash") << "-12284" << false << "begin with a letter or a digit";
    QTest::newRow("leading underscore") << "_x" << false << "begin with a letter or a digit";
    QTest::newRow("sql") << "1;DROP TABLE jobs" << false << "\";\"";
    QTest::newRow("unicode") << QStringLiteral("d\u00e9aler") << false << "use only letters";
    QTest::newRow("nul") << QString::fromUtf8("ab\0cd", 5) << false << "control character";
    QTest::newRow("slash") << "../etc" << false << "\".\"";
}

void TestValidation::dealerIds()
{
    QFETCH(QString, id);
    QFETCH(bool, valid);
    QFETCH(QString, reasonPart);
    QString reason;
    QCOMPARE(validateDealerId(id, &reason), valid);
    if (!valid)
        QVERIFY2(reason.contains(reasonPart), qPrintable(reason));
}

void TestValidation::pastedList()
{
    const DealerIdList list =
        parseDealerIdText(QStringLiteral("12284\n00999, 12284;;A1\tB2  \r\nbad id!\n\n00999\n-x"));
    QCOMPARE(list.valid, (QStringList{"12284", "00999", "A1", "B2", "bad"}));
    QCOMPARE(list.duplicates, (QStringList{"12284", "00999"}));
    QCOMPARE(list.invalid.size(), 2);
    QCOMPARE(list.invalid.at(0).id, QStringLiteral("id!"));
    QCOMPARE(list.invalid.at(1).id, QStringLiteral("-x"));
}

void TestValidation::apiList()
{
    const DealerIdList list = checkDealerIds({"12284", " ", "00999", "12284", "x y", ""});
    QCOMPARE(list.valid, (QStringList{"12284", "00999"}));
    QCOMPARE(list.duplicates, QStringList{"12284"});
    QCOMPARE(list.invalid.size(), 1);
    QCOMPARE(list.invalid.first().id, QStringLiteral("x y"));
    QVERIFY(list.invalidSummary().contains("x y"));
}

void TestValidation::fetchTypes()
{
    const QStringList allowed{"prospect", "sales", "service", "inventory"};
    QString reason;
    QVERIFY(validateFetchType("sales", allowed, &reason));
    QVERIFY(!validateFetchType("Sales", allowed, &reason));
    QVERIFY(reason.contains("prospect, sales, service, inventory"));
    QVERIFY(!validateFetchType("", allowed, &reason));
    QVERIFY(reason.contains("missing"));
}

void TestValidation::timeInputs_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("end");
    QTest::addColumn<QString>("expectedUtc"); // empty: invalid
    QTest::newRow("space form, local")
        << "2025-06-12 09:31:00" << false << "local:2025-06-12T09:31:00";
    QTest::newRow("T with Z") << "2025-06-12T09:31:00Z" << false << "2025-06-12T09:31:00.000Z";
    QTest::newRow("T with offset")
        << "2025-06-12T09:31:00+02:00" << false << "2025-06-12T07:31:00.000Z";
    QTest::newRow("fraction") << "2025-06-12T09:31:00.123Z" << false << "2025-06-12T09:31:00.123Z";
    QTest::newRow("date as from") << "2025-06-12" << false << "local:2025-06-12T00:00:00";
    QTest::newRow("date as to") << "2025-06-12" << true << "local:2025-06-12T23:59:59";
    QTest::newRow("no such day") << "2025-02-30" << false << "";
    QTest::newRow("no such hour") << "2025-06-12 25:00:00" << false << "";
    QTest::newRow("words") << "yesterday" << false << "";
    QTest::newRow("slashes") << "12/06/2025" << false << "";
    QTest::newRow("empty") << "" << false << "";
    QTest::newRow("bad offset") << "2025-06-12T09:31:00+25:00" << false << "";
}

void TestValidation::timeInputs()
{
    QFETCH(QString, text);
    QFETCH(bool, end);
    QFETCH(QString, expectedUtc);
    QString error;
    const std::optional<qint64> ms =
        parseTimeInput(text, end ? TimeBound::End : TimeBound::Start, &error);
    if (expectedUtc.isEmpty()) {
        QVERIFY(!ms);
        QVERIFY(!error.isEmpty());
        return;
    }
    QVERIFY2(ms, qPrintable(error));
    if (expectedUtc.startsWith("local:")) {
        const QDateTime local = QDateTime::fromString(expectedUtc.mid(6), Qt::ISODate);
        QCOMPARE(*ms, QDateTime(local.date(), local.time(), Qt::LocalTime).toMSecsSinceEpoch());
    } else {
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(*ms, Qt::UTC).toString(Qt::ISODateWithMs),
                 expectedUtc);
    }
}

void TestValidation::windowDefaults()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    FieldError error;
    const std::optional<TimeWindow> window = resolveTimeWindow({}, {}, now, &error);
    QVERIFY(window);
    const QDate today = QDate::currentDate();
    QCOMPARE(window->fromMs, QDateTime(today, QTime(0, 0), Qt::LocalTime).toMSecsSinceEpoch());
    QCOMPARE(window->toMs, QDateTime(today, QTime(23, 59, 59), Qt::LocalTime).toMSecsSinceEpoch());
}

void TestValidation::windowRules_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("field"); // empty: valid
    QTest::newRow("one day") << "2025-06-12"
                             << "2025-06-12"
                             << "";
    QTest::newRow("equal bounds") << "2025-06-12 10:00:00"
                                  << "2025-06-12 10:00:00"
                                  << "";
    QTest::newRow("reversed") << "2025-06-13"
                              << "2025-06-12"
                              << "to_time";
    QTest::newRow("365 days") << "2025-01-01"
                              << "2025-12-31"
                              << "";
    QTest::newRow("over 366 days") << "2024-01-01"
                                   << "2025-01-02"
                                   << "to_time";
    QTest::newRow("bad from") << "2025-13-01"
                              << "2025-06-12"
                              << "from_time";
    QTest::newRow("bad to") << "2025-06-12"
                            << "soon"
                            << "to_time";
}

void TestValidation::windowRules()
{
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, field);
    FieldError error;
    const std::optional<TimeWindow> window =
        resolveTimeWindow(from, to, QDateTime::currentMSecsSinceEpoch(), &error);
    QCOMPARE(bool(window), field.isEmpty());
    if (!window) {
        QCOMPARE(error.field, field);
        QVERIFY(error.message.startsWith(field));
    }
}

void TestValidation::timestampFormat()
{
    QCOMPARE(formatTimestamp(0), QString());
    const QString text = formatTimestamp(1749720660123);
    QVERIFY2(QRegularExpression(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.123[+-]\d\d:\d\d$)")
                 .match(text)
                 .hasMatch(),
             qPrintable(text));
    QCOMPARE(QDateTime::fromString(text, Qt::ISODateWithMs).toMSecsSinceEpoch(), 1749720660123);
    // Where local time is UTC, the offset is written out, never as "Z".
    if (QDateTime::fromMSecsSinceEpoch(1749720660123).offsetFromUtc() == 0)
        QCOMPARE(text, QStringLiteral("2025-06-12T09:31:00.123+00:00"));
}

void TestValidation::daylightSavingChanges()
{
    const QByteArray saved = qgetenv("TZ");
    qputenv("TZ", "Europe/Berlin");
    tzset();
    QString error;
    // 02:30 happens twice on 2025-10-26: the same text must never mean two instants.
    QVERIFY(!parseTimeInput("2025-10-26 02:30:00", TimeBound::Start, &error));
    QVERIFY2(error.contains("happens twice"), qPrintable(error));
    QVERIFY(!parseTimeInput("2025-03-30 02:30:00", TimeBound::Start, &error));
    QVERIFY2(error.contains("does not exist"), qPrintable(error));
    // With an offset both are fine, and an ordinary hour that day is unambiguous.
    QCOMPARE(*parseTimeInput("2025-10-26T02:30:00+01:00", TimeBound::Start, &error), 1761442200000);
    QCOMPARE(*parseTimeInput("2025-10-26 04:00:00", TimeBound::Start, &error), 1761447600000);
    if (saved.isNull())
        qunsetenv("TZ");
    else
        qputenv("TZ", saved);
    tzset();
}

void TestValidation::invisibleCharactersAreNamed()
{
    QString reason;
    QVERIFY(!validateDealerId(QStringLiteral("A\u202EB"), &reason));
    QVERIFY2(reason.contains("U+202E") && !reason.contains(QChar(0x202E)), qPrintable(reason));
    QVERIFY(!validateDealerId(QStringLiteral("A\u200BB"), &reason));
    QVERIFY(reason.contains("U+200B"));
    QVERIFY(!validateDealerId(QString::fromUtf8("A\xF0\x9F\x9A\x97"), &reason)); // an emoji
    QVERIFY2(reason.contains("U+1F697"), qPrintable(reason));
    QVERIFY(!validateDealerId(QStringLiteral("\uFF11\uFF12"), &reason)); // full-width digits
    QVERIFY(reason.contains("U+FF11"));
    QString timeError;
    QVERIFY(!parseTimeInput("2025-06-12\nFAKE", TimeBound::Start, &timeError));
    QVERIFY2(!timeError.contains('\n') && timeError.contains("<U+000A>"), qPrintable(timeError));
}

void TestValidation::manyRepeatsStayFast()
{
    // Each ID twice: the repeats are found with a set, not by scanning the list (this took
    // most of a minute before).
    QStringList ids;
    for (int i = 0; i < 100000; ++i)
        ids << QStringLiteral("D%1").arg(i);
    ids += ids;
    const DealerIdList list = checkDealerIds(ids);
    QCOMPARE(list.valid.size(), 100000);
    QCOMPARE(list.duplicates.size(), 100000);
}

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
