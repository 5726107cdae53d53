#include "schedule/cron.h"

#include <QElapsedTimer>
#include <QTest>
#include <QTimeZone>

// Expected instants were worked out by hand from the calendar and the zones' rules (zdump -v),
// and a sample checked with `date -u -d 'TZ="Europe/Berlin" 2026-03-29 03:00'`; the
// minute-by-minute walk below checks nextFireTimes() against a second, independent reading.
class TestCron final : public QObject
{
    Q_OBJECT

private slots:
    void fireTimes_data();
    void fireTimes();
    void againstMinuteByMinute_data();
    void againstMinuteByMinute();
    void previousFireTimes_data();
    void previousFireTimes();
    void neverMatchingEndsQuickly();
    void invalidInputsGiveNothing();
    void sameMeaning_data();
    void sameMeaning();
    void errors_data();
    void errors();
    void describe_data();
    void describe();
};

namespace {

QDateTime utc(const QString &iso)
{
    const QDateTime time = QDateTime::fromString(iso, Qt::ISODateWithMs);
    Q_ASSERT(time.isValid());
    return time.toUTC();
}

QStringList isoList(const QList<QDateTime> &times)
{
    QStringList list;
    for (const QDateTime &time : times)
        list << time.toUTC().toString(Qt::ISODate);
    return list;
}

CronExpression parsed(const QString &text)
{
    QString error;
    const std::optional<CronExpression> cron = CronExpression::parse(text, &error);
    if (!cron)
        qFatal("%s: %s", qPrintable(text), qPrintable(error));
    return *cron;
}

} // namespace

void TestCron::fireTimes_data()
{
    QTest::addColumn<QString>("cron");
    QTest::addColumn<QByteArray>("zone");
    QTest::addColumn<QString>("after");
    QTest::addColumn<int>("n");
    QTest::addColumn<QStringList>("expected");

    // 2026-01-01 is a Thursday.
    const QString newYear = QStringLiteral("2026-01-01T00:00:00Z");
    QTest::newRow("step, strictly after")
        << "*/15 * * * *" << QByteArray("UTC") << newYear << 4
        << QStringList{"2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z",
                       "2026-01-01T01:00:00Z"};
    QTest::newRow("after inside a minute")
        << "*/15 * * * *" << QByteArray("UTC") << "2026-01-01T00:14:59.500Z" << 2
        << QStringList{"2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z"};
    QTest::newRow("daily") << "0 0 * * *" << QByteArray("UTC") << newYear << 3
                           << QStringList{"2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z",
                                          "2026-01-04T00:00:00Z"};
    QTest::newRow("list") << "5,10 * * * *" << QByteArray("UTC") << newYear << 4
                          << QStringList{"2026-01-01T00:05:00Z", "2026-01-01T00:10:00Z",
                                         "2026-01-01T01:05:00Z", "2026-01-01T01:10:00Z"};
    QTest::newRow("range") << "0 9-11 * * *" << QByteArray("UTC") << newYear << 4
                           << QStringList{"2026-01-01T09:00:00Z", "2026-01-01T10:00:00Z",
                                          "2026-01-01T11:00:00Z", "2026-01-02T09:00:00Z"};
    QTest::newRow("range with step") << "0-10/5 12 * * *" << QByteArray("UTC") << newYear << 4
                                     << QStringList{"2026-01-01T12:00:00Z", "2026-01-01T12:05:00Z",
                                                    "2026-01-01T12:10:00Z", "2026-01-02T12:00:00Z"};
    QTest::newRow("a/n runs to the maximum")
        << "10/20 * * * *" << QByteArray("UTC") << newYear << 4
        << QStringList{"2026-01-01T00:10:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:50:00Z",
                       "2026-01-01T01:10:00Z"};
    QTest::newRow("month and day names")
        << "0 8 * jan,FEB Mon" << QByteArray("UTC") << newYear << 5
        << QStringList{"2026-01-05T08:00:00Z", "2026-01-12T08:00:00Z", "2026-01-19T08:00:00Z",
                       "2026-01-26T08:00:00Z", "2026-02-02T08:00:00Z"};
    QTest::newRow("weekdays") << "0 8 * * MON-fri" << QByteArray("UTC") << newYear << 3
                              << QStringList{"2026-01-01T08:00:00Z", "2026-01-02T08:00:00Z",
                                             "2026-01-05T08:00:00Z"};
    QTest::newRow("7 is Sunday") << "0 0 * * 7" << QByteArray("UTC") << newYear << 2
                                 << QStringList{"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"};
    QTest::newRow("0 is Sunday") << "0 0 * * 0" << QByteArray("UTC") << newYear << 2
                                 << QStringList{"2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"};
    QTest::newRow("fri-sun wraps to Sunday")
        << "0 0 * * fri-sun" << QByteArray("UTC") << newYear << 4
        << QStringList{"2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z",
                       "2026-01-09T00:00:00Z"};
    QTest::newRow("either: 13th or Friday")
        << "0 0 13 * fri" << QByteArray("UTC") << newYear << 4
        << QStringList{"2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z", "2026-01-13T00:00:00Z",
                       "2026-01-16T00:00:00Z"};
    QTest::newRow("either: stepped day of month or Monday")
        << "0 0 */10 * 1" << QByteArray("UTC") << newYear << 5
        << QStringList{"2026-01-05T00:00:00Z", "2026-01-11T00:00:00Z", "2026-01-12T00:00:00Z",
                       "2026-01-19T00:00:00Z", "2026-01-21T00:00:00Z"};
    QTest::newRow("day of month alone")
        << "0 0 13 * *" << QByteArray("UTC") << newYear << 3
        << QStringList{"2026-01-13T00:00:00Z", "2026-02-13T00:00:00Z", "2026-03-13T00:00:00Z"};
    QTest::newRow("day of week alone")
        << "0 0 * * 1" << QByteArray("UTC") << newYear << 2
        << QStringList{"2026-01-05T00:00:00Z", "2026-01-12T00:00:00Z"};
    QTest::newRow("all weekdays is no restriction")
        << "0 0 13 * 0-6" << QByteArray("UTC") << newYear << 2
        << QStringList{"2026-01-13T00:00:00Z", "2026-02-13T00:00:00Z"};
    QTest::newRow("Feb 29") << "0 0 29 2 *" << QByteArray("UTC") << newYear << 3
                            << QStringList{"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z",
                                           "2036-02-29T00:00:00Z"};
    QTest::newRow("Feb 29 over 2100") << "0 0 29 2 *" << QByteArray("UTC") << "2096-03-01T00:00:00Z"
                                      << 1 << QStringList{"2104-02-29T00:00:00Z"};
    QTest::newRow("31st skips short months")
        << "0 0 31 * *" << QByteArray("UTC") << newYear << 5
        << QStringList{"2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z",
                       "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z"};
    QTest::newRow("Feb 30 never") << "0 0 30 2 *" << QByteArray("UTC") << newYear << 5
                                  << QStringList{};
    QTest::newRow("31st of 30-day months never")
        << "0 0 31 4,6,9,11 *" << QByteArray("UTC") << newYear << 5 << QStringList{};
    QTest::newRow("Feb 30 or Monday")
        << "0 0 30 2 mon" << QByteArray("UTC") << newYear << 2
        << QStringList{"2026-02-02T00:00:00Z", "2026-02-09T00:00:00Z"};
    QTest::newRow("last minute of the year") << "59 23 31 12 *" << QByteArray("UTC") << newYear << 1
                                             << QStringList{"2026-12-31T23:59:00Z"};
    QTest::newRow("zone offset") << "0 2 * * *" << QByteArray("Europe/Berlin") << newYear << 2
                                 << QStringList{"2026-01-01T01:00:00Z", "2026-01-02T01:00:00Z"};

    // Berlin, 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00Z; 02:00-02:59 never happens.
    QTest::newRow("Berlin gap: 02:30 fires at 03:00")
        << "30 2 * * *" << QByteArray("Europe/Berlin") << "2026-03-28T12:00:00Z" << 2
        << QStringList{"2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"};
    QTest::newRow("Berlin gap: slots on one instant fire once")
        << "*/30 * * * *" << QByteArray("Europe/Berlin") << "2026-03-29T00:00:00Z" << 4
        << QStringList{"2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z",
                       "2026-03-29T02:00:00Z"};
    QTest::newRow("Berlin gap: after the gap as usual")
        << "15 3 * * *" << QByteArray("Europe/Berlin") << "2026-03-28T12:00:00Z" << 1
        << QStringList{"2026-03-29T01:15:00Z"};
    // Berlin, 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00Z; 02:00-02:59 happens twice.
    QTest::newRow("Berlin repeat: 02:30 fires once, first")
        << "30 2 * * *" << QByteArray("Europe/Berlin") << "2026-10-24T12:00:00Z" << 2
        << QStringList{"2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"};
    QTest::newRow("Berlin repeat: half-hourly")
        << "*/30 * * * *" << QByteArray("Europe/Berlin") << "2026-10-24T23:00:00Z" << 5
        << QStringList{"2026-10-24T23:30:00Z", "2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z",
                       "2026-10-25T02:00:00Z", "2026-10-25T02:30:00Z"};
    QTest::newRow("Berlin repeat: after within the second pass")
        << "*/30 * * * *" << QByteArray("Europe/Berlin") << "2026-10-25T01:10:00Z" << 1
        << QStringList{"2026-10-25T02:00:00Z"};
    // New York, 2026-03-08: 02:00 EST becomes 03:00 EDT at 07:00Z.
    QTest::newRow("New York gap: 02:30 fires at 03:00")
        << "30 2 * * *" << QByteArray("America/New_York") << "2026-03-07T12:00:00Z" << 2
        << QStringList{"2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"};
    // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00Z; 01:00-01:59 happens twice.
    QTest::newRow("New York repeat: 01:30 fires once, first")
        << "30 1 * * *" << QByteArray("America/New_York") << "2026-10-31T12:00:00Z" << 2
        << QStringList{"2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"};
    QTest::newRow("New York repeat: 02:30 is not repeated")
        << "30 2 * * *" << QByteArray("America/New_York") << "2026-10-31T12:00:00Z" << 2
        << QStringList{"2026-11-01T07:30:00Z", "2026-11-02T07:30:00Z"};
    QTest::newRow("New York repeat: half-hourly")
        << "*/30 * * * *" << QByteArray("America/New_York") << "2026-11-01T04:00:00Z" << 4
        << QStringList{"2026-11-01T04:30:00Z", "2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z",
                       "2026-11-01T07:00:00Z"};
    // Santiago, 2026-09-06: midnight never happens (00:00 -04 becomes 01:00 -03 at 04:00Z).
    QTest::newRow("Santiago: midnight in the gap")
        << "0 0 * * *" << QByteArray("America/Santiago") << "2026-09-05T12:00:00Z" << 2
        << QStringList{"2026-09-06T04:00:00Z", "2026-09-07T03:00:00Z"};
    // Lord Howe, 2026-10-04: a half-hour gap, 02:00 +10:30 becomes 02:30 +11 at 15:30Z.
    QTest::newRow("Lord Howe: half-hour gap")
        << "15 2 * * *" << QByteArray("Australia/Lord_Howe") << "2026-10-03T12:00:00Z" << 2
        << QStringList{"2026-10-03T15:30:00Z", "2026-10-04T15:15:00Z"};
}

void TestCron::fireTimes()
{
    QFETCH(QString, cron);
    QFETCH(QByteArray, zone);
    QFETCH(QString, after);
    QFETCH(int, n);
    QFETCH(QStringList, expected);
    const QTimeZone timeZone(zone);
    QVERIFY(timeZone.isValid());
    const QList<QDateTime> times = nextFireTimes(parsed(cron), timeZone, utc(after), n);
    QCOMPARE(isoList(times), expected);
    for (const QDateTime &time : times)
        QCOMPARE(time.timeSpec(), Qt::UTC);
}

// A second reading of SPEC §6, independent of nextFireTimes(): walk every minute in UTC, read
// the zone's wall clock with Qt's own conversion, and fire when the clock reaches a slot it has
// not shown before — skipped slots at the first minute past them, repeated ones only the
// first time.
static QStringList minuteByMinute(const CronExpression &cron, const QTimeZone &zone,
                                  const QDateTime &after, const QDateTime &until)
{
    QStringList fired;
    QDateTime latestWall;
    for (QDateTime t = after.addSecs(-after.time().second()).addMSecs(-after.time().msec());
         t <= until; t = t.addSecs(60)) {
        const QDateTime local = t.toTimeZone(zone);
        const QDateTime wall(local.date(), QTime(local.time().hour(), local.time().minute()),
                             Qt::UTC);
        bool fire = false;
        if (!latestWall.isValid()) {
            fire = cron.matches(wall.date(), wall.time().hour(), wall.time().minute());
        } else if (wall > latestWall) {
            for (QDateTime slot = latestWall.addSecs(60); slot <= wall; slot = slot.addSecs(60))
                fire = fire || cron.matches(slot.date(), slot.time().hour(), slot.time().minute());
        }
        if (fire && t > after)
            fired << t.toString(Qt::ISODate);
        if (!latestWall.isValid() || wall > latestWall)
            latestWall = wall;
    }
    return fired;
}

void TestCron::againstMinuteByMinute_data()
{
    QTest::addColumn<QString>("cron");
    QTest::addColumn<QByteArray>("zone");
    QTest::addColumn<QString>("from");

    const char *const expressions[] = {
        "* * * * *",     "*/30 * * * *",   "30 2 * * *",     "0 2 * * *",
        "59 1 * * *",    "15 3 * * *",     "0,30 1-3 * * *", "0 0 * * *",
        "45 23 * * sun", "*/7 0-4 25 * *", "0 0 1,6 * 0",
    };
    const std::pair<const char *, const char *> changes[] = {
        {"Europe/Berlin", "2026-03-28T20:00:00Z"},
        {"Europe/Berlin", "2026-10-24T20:00:00Z"},
        {"America/New_York", "2026-03-07T20:00:00Z"},
        {"America/New_York", "2026-10-31T20:00:00Z"},
        {"America/Santiago", "2026-09-05T12:00:00Z"},
        {"America/Santiago", "2026-04-04T12:00:00Z"},
        {"Australia/Lord_Howe", "2026-10-03T05:00:00Z"},
        {"Australia/Lord_Howe", "2026-04-04T05:00:00Z"},
    };
    for (const auto &[zone, from] : changes) {
        for (const char *expression : expressions) {
            QTest::addRow("%s %s from %s", expression, zone, from)
                << QString::fromLatin1(expression) << QByteArray(zone) << QString::fromLatin1(from);
        }
    }
}

void TestCron::againstMinuteByMinute()
{
    QFETCH(QString, cron);
    QFETCH(QByteArray, zone);
    QFETCH(QString, from);
    const QTimeZone timeZone(zone);
    const QDateTime after = utc(from);
    const QDateTime until = after.addDays(2);
    const CronExpression expression = parsed(cron);
    const QStringList expected = minuteByMinute(expression, timeZone, after, until);
    QStringList actual = isoList(nextFireTimes(expression, timeZone, after, 4000));
    while (!actual.isEmpty() && utc(actual.last()) > until)
        actual.removeLast();
    QCOMPARE(actual, expected);
    // From any instant in between, the next fire is the next one the walk found.
    for (QDateTime t = after; t < until; t = t.addSecs(1799)) {
        const QList<QDateTime> next = nextFireTimes(expression, timeZone, t, 1);
        QString expectedNext;
        for (const QString &time : expected) {
            if (utc(time) > t) {
                expectedNext = time;
                break;
            }
        }
        if (expectedNext.isEmpty())
            continue;
        QCOMPARE(isoList(next).value(0), expectedNext);
    }
}

void TestCron::previousFireTimes_data()
{
    QTest::addColumn<QString>("cron");
    QTest::addColumn<QByteArray>("zone");
    QTest::addColumn<QString>("atOrBefore");
    QTest::addColumn<QString>("expected");

    QTest::newRow("the instant itself")
        << "*/15 * * * *" << QByteArray("UTC") << "2026-01-01T00:15:00Z"
        << "2026-01-01T00:15:00Z";
    QTest::newRow("a second before")
        << "*/15 * * * *" << QByteArray("UTC") << "2026-01-01T00:14:59Z"
        << "2026-01-01T00:00:00Z";
    QTest::newRow("across a year") << "0 0 29 2 *" << QByteArray("UTC") << "2031-01-01T00:00:00Z"
                                   << "2028-02-29T00:00:00Z";
    QTest::newRow("never") << "0 0 30 2 *" << QByteArray("UTC") << "2031-01-01T00:00:00Z"
                           << "";
    QTest::newRow("Berlin gap") << "30 2 * * *" << QByteArray("Europe/Berlin")
                                << "2026-03-29T01:30:00Z"
                                << "2026-03-29T01:00:00Z";
    // 01:45Z is 02:45 CET, the second pass: 02:30 fired at its first pass, 00:30Z.
    QTest::newRow("Berlin repeat, second pass")
        << "*/30 * * * *" << QByteArray("Europe/Berlin") << "2026-10-25T01:45:00Z"
        << "2026-10-25T00:30:00Z";
    QTest::newRow("Berlin repeat, after it")
        << "*/30 * * * *" << QByteArray("Europe/Berlin") << "2026-10-25T02:10:00Z"
        << "2026-10-25T02:00:00Z";
    QTest::newRow("New York repeat")
        << "30 1 * * *" << QByteArray("America/New_York") << "2026-11-01T06:45:00Z"
        << "2026-11-01T05:30:00Z";
}

void TestCron::previousFireTimes()
{
    QFETCH(QString, cron);
    QFETCH(QByteArray, zone);
    QFETCH(QString, atOrBefore);
    QFETCH(QString, expected);
    const QDateTime previous = previousFireTime(parsed(cron), QTimeZone(zone), utc(atOrBefore));
    QCOMPARE(previous.isValid() ? previous.toUTC().toString(Qt::ISODate) : QString(), expected);
}

void TestCron::neverMatchingEndsQuickly()
{
    QElapsedTimer timer;
    timer.start();
    const QTimeZone berlin("Europe/Berlin");
    const QDateTime after = utc(QStringLiteral("2026-01-01T00:00:00Z"));
    for (const char *never : {"0 0 30 2 *", "59 23 31 11 *", "* * 31 2,4,6,9,11 *"})
        QVERIFY(nextFireTimes(parsed(QLatin1String(never)), berlin, after, 5).isEmpty());
    QVERIFY(!previousFireTime(parsed(QStringLiteral("0 0 30 2 *")), berlin, after).isValid());
    // Sparse expressions far apart: five leap days take 16 years of searching.
    QCOMPARE(nextFireTimes(parsed(QStringLiteral("0 0 29 2 *")), berlin, after, 5).size(), 5);
    QCOMPARE(nextFireTimes(parsed(QStringLiteral("* * * * *")), berlin, after, 1440).size(), 1440);
    QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
}

void TestCron::invalidInputsGiveNothing()
{
    const CronExpression daily = parsed(QStringLiteral("0 0 * * *"));
    const QDateTime after = utc(QStringLiteral("2026-01-01T00:00:00Z"));
    QVERIFY(nextFireTimes(daily, QTimeZone(), after, 5).isEmpty());
    QVERIFY(nextFireTimes(daily, QTimeZone::utc(), QDateTime(), 5).isEmpty());
    QVERIFY(nextFireTimes(daily, QTimeZone::utc(), after, 0).isEmpty());
    QVERIFY(nextFireTimes(CronExpression(), QTimeZone::utc(), after, 5).isEmpty());
    QVERIFY(CronExpression().describe().isEmpty());
}

void TestCron::sameMeaning_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::newRow("day names") << "0 0 * * Mon-FRI"
                               << "0 0 * * 1-5";
    QTest::newRow("Sunday as 7") << "0 0 * * 7"
                                 << "0 0 * * 0";
    QTest::newRow("Sunday ends a range") << "0 0 * * fri-sun"
                                         << "0 0 * * 0,5,6";
    QTest::newRow("5-7") << "0 0 * * 5-7"
                         << "0 0 * * 0,5,6";
    QTest::newRow("month names") << "0 0 1 JAN,mar-May *"
                                 << "0 0 1 1,3-5 *";
    QTest::newRow("a/n") << "10/20 * * * *"
                         << "10,30,50 * * * *";
    QTest::newRow("a/n day of week ends on Saturday") << "0 0 * * 1/2"
                                                      << "0 0 * * 1,3,5";
    QTest::newRow("stepped days of week") << "0 0 * * */2"
                                          << "0 0 * * 0/2";
    QTest::newRow("stepped days of week listed") << "0 0 * * */2"
                                                 << "0 0 * * sun,2,thu,6";
    QTest::newRow("*/1") << "*/1 * * * *"
                         << "* * * * *";
    QTest::newRow("range step") << "1-10/3 * * * *"
                                << "1,4,7,10 * * * *";
    QTest::newRow("leading zeros") << "05 08 01 02 03"
                                   << "5 8 1 2 3";
    QTest::newRow("tabs and spaces") << " 0\t0  * *   * "
                                     << "0 0 * * *";
}

void TestCron::sameMeaning()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    QCOMPARE(parsed(a), parsed(b));
    QVERIFY(parsed(a) != parsed(QStringLiteral("1 2 3 4 5")));
    QCOMPARE(parsed(a).toString(), a.simplified());
}

void TestCron::errors_data()
{
    QTest::addColumn<QString>("cron");
    QTest::addColumn<QString>("message");
    const QString fields = QStringLiteral(" (minute hour day-of-month month day-of-week)");
    QTest::newRow("empty") << ""
                           << "cron: expected 5 fields, got 0" + fields;
    QTest::newRow("blank") << "   "
                           << "cron: expected 5 fields, got 0" + fields;
    QTest::newRow("four fields") << "* * * *"
                                 << "cron: expected 5 fields, got 4" + fields;
    QTest::newRow("trailing junk") << "0 0 * * * junk"
                                   << "cron: expected 5 fields, got 6" + fields;
    QTest::newRow("macro") << "@daily"
                           << "cron: expected 5 fields, got 1" + fields;
    QTest::newRow("too long")
        << QString(101, QLatin1Char('1'))
        << "cron: the expression is 101 characters long; at most 100 are allowed";
    QTest::newRow("minute 60") << "60 * * * *"
                               << "cron: minute: 60 is out of range 0-59";
    QTest::newRow("hour 24") << "0 24 * * *"
                             << "cron: hour: 24 is out of range 0-23";
    QTest::newRow("day 0") << "0 0 0 * *"
                           << "cron: day-of-month: 0 is out of range 1-31";
    QTest::newRow("day 32") << "0 0 32 * *"
                            << "cron: day-of-month: 32 is out of range 1-31";
    QTest::newRow("month 0") << "0 0 * 0 *"
                             << "cron: month: 0 is out of range 1-12";
    QTest::newRow("month 13") << "0 0 * 13 *"
                              << "cron: month: 13 is out of range 1-12";
    QTest::newRow("weekday 8") << "0 0 * * 8"
                               << "cron: day-of-week: 8 is out of range 0-7";
    QTest::newRow("huge number") << "99999999999 * * * *"
                                 << "cron: minute: \"99999999999\" is out of range 0-59";
    QTest::newRow("range end out of range") << "0 20-25 * * *"
                                            << "cron: hour: 25 is out of range 0-23";
    QTest::newRow("step 0") << "*/0 * * * *"
                            << "cron: minute: step 0 is out of range 1-59";
    QTest::newRow("step too large") << "0 */24 * * *"
                                    << "cron: hour: step 24 is out of range 1-23";
    QTest::newRow("empty step") << "*/ * * * *"
                                << "cron: minute: the step after \"/\" is missing in \"*/\"";
    QTest::newRow("step not a number") << "0 0 */x * *"
                                       << "cron: day-of-month: step \"x\" is not a number";
    QTest::newRow("step of nothing") << "/5 * * * *"
                                     << "cron: minute: \"/5\" has nothing before its step; write "
                                        "*/n or a-b/n";
    QTest::newRow("two steps") << "*/5/2 * * * *"
                               << "cron: minute: \"*/5/2\" has more than one step";
    QTest::newRow("reversed")
        << "0 5-1 * * *"
        << "cron: hour: range \"5-1\" is reversed; write the smaller bound first";
    QTest::newRow("reversed names") << "0 0 * * sat-mon"
                                    << "cron: day-of-week: range \"sat-mon\" is reversed; write "
                                       "the smaller bound first";
    QTest::newRow("open range") << "0 0 * 3- *"
                                << "cron: month: \"3-\" is not a range; write it as a-b";
    QTest::newRow("negative") << "-5 * * * *"
                              << "cron: minute: \"-5\" is not a range; write it as a-b";
    QTest::newRow("three bounds") << "1-2-3 * * * *"
                                  << "cron: minute: \"1-2-3\" is not a range; write it as a-b";
    QTest::newRow("empty list item") << "1,,2 * * * *"
                                     << "cron: minute: empty item in the list \"1,,2\"";
    QTest::newRow("trailing comma") << "0 1, * * *"
                                    << "cron: hour: empty item in the list \"1,\"";
    QTest::newRow("letters after a number") << "5x * * * *"
                                            << "cron: minute: \"5x\" is not a number";
    QTest::newRow("decimal") << "0 1.5 * * *"
                             << "cron: hour: \"1.5\" is not a number";
    QTest::newRow("name in hour") << "0 mon * * *"
                                  << "cron: hour: \"mon\" is not a number";
    QTest::newRow("question mark") << "0 0 ? * *"
                                   << "cron: day-of-month: \"?\" is not a number";
    QTest::newRow("bad month name") << "0 0 * foo *"
                                    << "cron: month: \"foo\" is not a number 1-12 or a month name "
                                       "(jan-dec)";
    QTest::newRow("full month name") << "0 0 * january *"
                                     << "cron: month: \"january\" is not a number 1-12 or a month "
                                        "name (jan-dec)";
    QTest::newRow("bad day name") << "0 0 * * funday"
                                  << "cron: day-of-week: \"funday\" is not a number 0-7 or a day "
                                     "name (sun-sat)";
    QTest::newRow("month name in day field") << "0 0 * * jan"
                                             << "cron: day-of-week: \"jan\" is not a number 0-7 or "
                                                "a day name (sun-sat)";
    QTest::newRow("non-ASCII digit") << QStringLiteral("\u0663 * * * *")
                                     << QStringLiteral("cron: minute: \"\u0663\" is not a number");
    QTest::newRow("control character")
        << QStringLiteral("0\x01 * * * *") << "cron: minute: \"0<U+0001>\" is not a number";
}

void TestCron::errors()
{
    QFETCH(QString, cron);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!CronExpression::parse(cron, &error));
    QCOMPARE(error, message);
    QVERIFY(!CronExpression::parse(cron)); // no error wanted: no crash
}

void TestCron::describe_data()
{
    QTest::addColumn<QString>("cron");
    QTest::addColumn<QString>("words");
    QTest::newRow("daily") << "0 2 * * *"
                           << "every day at 02:00";
    QTest::newRow("quarter hours") << "*/15 * * * *"
                                   << "every 15 minutes";
    QTest::newRow("weekdays") << "30 6 * * 1-5"
                              << "at 06:30 on Monday to Friday";
    QTest::newRow("first of the month") << "0 0 1 * *"
                                        << "at 00:00 on day 1 of the month";
    QTest::newRow("every minute") << "* * * * *"
                                  << "every minute";
    QTest::newRow("hourly") << "0 * * * *"
                            << "every hour";
    QTest::newRow("hourly at 15") << "15 * * * *"
                                  << "every hour at minute 15";
    QTest::newRow("two-hourly") << "0 */2 * * *"
                                << "every 2 hours";
    QTest::newRow("two times") << "0 6,18 * * *"
                               << "every day at 06:00 and 18:00";
    QTest::newRow("three times") << "0 6,12,18 * * *"
                                 << "every day at 06:00, 12:00 and 18:00";
    QTest::newRow("weekend") << "0 8 * * sat,sun"
                             << "at 08:00 on Saturday and Sunday";
    QTest::newRow("some weekdays") << "0 8 * * 1,3,5"
                                   << "at 08:00 on Monday, Wednesday and Friday";
    QTest::newRow("Sunday as 7") << "0 0 * * 7"
                                 << "at 00:00 on Sunday";
    QTest::newRow("either day") << "0 0 13 * 5"
                                << "at 00:00 on day 13 of the month or on Friday";
    QTest::newRow("two days of the month") << "0 0 1,15 * *"
                                           << "at 00:00 on days 1 and 15 of the month";
    QTest::newRow("first week") << "0 0 1-7 * *"
                                << "at 00:00 on days 1 to 7 of the month";
    QTest::newRow("office hours") << "*/15 9-17 * * 1-5"
                                  << "every 15 minutes from 09:00 to 17:45 on Monday to Friday";
    QTest::newRow("hourly in office hours") << "0 9-17 * * *"
                                            << "every hour from 09:00 to 17:00";
    QTest::newRow("in January") << "0 2 * 1 *"
                                << "every day at 02:00 in January";
    QTest::newRow("twice a year") << "0 2 1 1,7 *"
                                  << "at 02:00 on day 1 of the month in January and July";
    QTest::newRow("spring") << "0 2 * mar-may *"
                            << "every day at 02:00 in March to May";
    QTest::newRow("all weekdays") << "0 0 * * 1-7"
                                  << "every day at 00:00";
    QTest::newRow("uneven step") << "*/7 * * * *"
                                 << "*/7 * * * *";
    QTest::newRow("many times") << "1,2,3,4,5 1,2 * * *"
                                << "1,2,3,4,5 1,2 * * *";
    QTest::newRow("odd days") << "0 0 */2 * *"
                              << "0 0 */2 * *";
}

void TestCron::describe()
{
    QFETCH(QString, cron);
    QFETCH(QString, words);
    QCOMPARE(parsed(cron).describe(), words);
}

QTEST_GUILESS_MAIN(TestCron)
#include "tst_cron.moc"
