#include "schedule/cron.h"
#include "schedule/window.h"

#include <QTest>
#include <QTimeZone>

// Expected bounds were worked out by hand from the zones' rules and checked with
// `date -u -d 'TZ="Europe/Berlin" 2026-03-29 00:00'`. A job's `to` is inclusive with whole
// seconds (SPEC §1: a whole day is 00:00:00 to 23:59:59).
class TestScheduleWindow final : public QObject
{
    Q_OBJECT

private slots:
    void rules_data();
    void rules();
    void ruleErrors_data();
    void ruleErrors();
    void windows_data();
    void windows();
    void consecutiveFiresTile_data();
    void consecutiveFiresTile();
};

namespace {

QDateTime utc(const QString &iso)
{
    const QDateTime time = QDateTime::fromString(iso, Qt::ISODateWithMs);
    Q_ASSERT(time.isValid());
    return time.toUTC();
}

QString iso(qint64 msecsSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

WindowRule rule(const QString &text)
{
    QString error;
    const std::optional<WindowRule> parsed = WindowRule::parse(text, &error);
    if (!parsed)
        qFatal("%s: %s", qPrintable(text), qPrintable(error));
    return *parsed;
}

} // namespace

void TestScheduleWindow::rules_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("written");
    using Kind = WindowRule::Kind;
    QTest::newRow("previous_day") << "previous_day" << int(Kind::PreviousDay) << 0
                                  << "previous_day";
    QTest::newRow("today") << "today" << int(Kind::Today) << 0 << "today";
    QTest::newRow("since_last_success")
        << "since_last_success" << int(Kind::SinceLastSuccess) << 0 << "since_last_success";
    QTest::newRow("last_hours:1") << "last_hours:1" << int(Kind::LastHours) << 1 << "last_hours:1";
    QTest::newRow("last_hours:8784")
        << "last_hours:8784" << int(Kind::LastHours) << 8784 << "last_hours:8784";
    QTest::newRow("last_days:1") << "last_days:1" << int(Kind::LastDays) << 1 << "last_days:1";
    QTest::newRow("last_days:366")
        << "last_days:366" << int(Kind::LastDays) << 366 << "last_days:366";
    QTest::newRow("leading zero") << "last_days:07" << int(Kind::LastDays) << 7 << "last_days:7";
    QTest::newRow("surrounding blanks") << " today\n" << int(Kind::Today) << 0 << "today";
}

void TestScheduleWindow::rules()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(int, count);
    QFETCH(QString, written);
    const WindowRule parsed = rule(text);
    QCOMPARE(int(parsed.kind), kind);
    QCOMPARE(parsed.count, count);
    QCOMPARE(parsed.toString(), written);
    QCOMPARE(rule(parsed.toString()), parsed);
}

void TestScheduleWindow::ruleErrors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    const QString use =
        QStringLiteral("use previous_day, today, last_hours:N, last_days:N or since_last_success");
    QTest::newRow("empty") << ""
                           << "window: is empty; " + use;
    QTest::newRow("unknown") << "yesterday"
                             << "window: \"yesterday\" is not a window; " + use;
    QTest::newRow("upper case") << "TODAY"
                                << "window: \"TODAY\" is not a window; " + use;
    QTest::newRow("prefix of a rule") << "last_hoursx"
                                      << "window: \"last_hoursx\" is not a window; " + use;
    QTest::newRow("hours 0") << "last_hours:0"
                             << "window: last_hours:0 is out of range 1-8784";
    QTest::newRow("hours 8785") << "last_hours:8785"
                                << "window: last_hours:8785 is out of range 1-8784";
    QTest::newRow("hours huge") << "last_hours:99999999999"
                                << "window: last_hours:99999999999 is out of range 1-8784";
    QTest::newRow("days 0") << "last_days:0"
                            << "window: last_days:0 is out of range 1-366";
    QTest::newRow("days 367") << "last_days:367"
                              << "window: last_days:367 is out of range 1-366";
    QTest::newRow("no number") << "last_hours"
                               << "window: \"last_hours\" needs a whole number of hours 1-8784, "
                                  "e.g. last_hours:24";
    QTest::newRow("empty number") << "last_days:"
                                  << "window: \"last_days:\" needs a whole number of days 1-366, "
                                     "e.g. last_days:24";
    QTest::newRow("negative") << "last_hours:-1"
                              << "window: \"last_hours:-1\" needs a whole number of hours 1-8784, "
                                 "e.g. last_hours:24";
    QTest::newRow("fraction") << "last_days:1.5"
                              << "window: \"last_days:1.5\" needs a whole number of days 1-366, "
                                 "e.g. last_days:24";
    QTest::newRow("space inside") << "last_days: 2"
                                  << "window: \"last_days: 2\" needs a whole number of days 1-366, "
                                     "e.g. last_days:24";
}

void TestScheduleWindow::ruleErrors()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    QString error;
    QVERIFY(!WindowRule::parse(text, &error));
    QCOMPARE(error, message);
}

void TestScheduleWindow::windows_data()
{
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QByteArray>("zone");
    QTest::addColumn<QString>("fire");
    QTest::addColumn<QString>("coveredTo"); // empty: none
    QTest::addColumn<int>("fallbackDays");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");

    const QByteArray berlin("Europe/Berlin");
    // 2026-06-12T00:00Z is 02:00 CEST on the 12th.
    QTest::newRow("previous_day") << "previous_day" << berlin << "2026-06-12T00:00:00Z"
                                  << "" << 1 << "2026-06-10T22:00:00.000Z"
                                  << "2026-06-11T21:59:59.000Z";
    QTest::newRow("previous_day of 23 hours") << "previous_day" << berlin << "2026-03-30T00:00:00Z"
                                              << "" << 1 << "2026-03-28T23:00:00.000Z"
                                              << "2026-03-29T21:59:59.000Z";
    QTest::newRow("previous_day of 25 hours") << "previous_day" << berlin << "2026-10-26T01:00:00Z"
                                              << "" << 1 << "2026-10-24T22:00:00.000Z"
                                              << "2026-10-25T22:59:59.000Z";
    QTest::newRow("previous_day fired in the repeated hour")
        << "previous_day" << berlin << "2026-10-25T00:30:00Z"
        << "" << 1 << "2026-10-23T22:00:00.000Z"
        << "2026-10-24T21:59:59.000Z";
    QTest::newRow("previous_day New York, 23 hours")
        << "previous_day" << QByteArray("America/New_York") << "2026-03-09T10:00:00Z"
        << "" << 1 << "2026-03-08T05:00:00.000Z"
        << "2026-03-09T03:59:59.000Z";
    QTest::newRow("previous_day Santiago, no midnight")
        << "previous_day" << QByteArray("America/Santiago") << "2026-09-07T12:00:00Z"
        << "" << 1 << "2026-09-06T04:00:00.000Z"
        << "2026-09-07T02:59:59.000Z";
    QTest::newRow("previous_day UTC")
        << "previous_day" << QByteArray("UTC") << "2026-03-01T06:00:00Z"
        << "" << 1 << "2026-02-28T00:00:00.000Z"
        << "2026-02-28T23:59:59.000Z";

    QTest::newRow("today") << "today" << berlin << "2026-06-12T12:30:00Z"
                           << "" << 1 << "2026-06-11T22:00:00.000Z"
                           << "2026-06-12T12:29:59.000Z";
    QTest::newRow("today, spring day") << "today" << berlin << "2026-03-29T10:00:00Z"
                                       << "" << 1 << "2026-03-28T23:00:00.000Z"
                                       << "2026-03-29T09:59:59.000Z";
    QTest::newRow("today, fired at the gap's end") << "today" << berlin << "2026-03-29T01:00:00Z"
                                                   << "" << 1 << "2026-03-28T23:00:00.000Z"
                                                   << "2026-03-29T00:59:59.000Z";
    QTest::newRow("today, fired at midnight: one second")
        << "today" << berlin << "2026-06-11T22:00:00Z"
        << "" << 1 << "2026-06-11T21:59:59.000Z"
        << "2026-06-11T21:59:59.000Z";
    QTest::newRow("today, Santiago's day without midnight")
        << "today" << QByteArray("America/Santiago") << "2026-09-06T15:00:00Z"
        << "" << 1 << "2026-09-06T04:00:00.000Z"
        << "2026-09-06T14:59:59.000Z";
    QTest::newRow("today, run now with milliseconds")
        << "today" << berlin << "2026-06-12T12:30:27.345Z"
        << "" << 1 << "2026-06-11T22:00:00.000Z"
        << "2026-06-12T12:30:26.000Z";

    QTest::newRow("last_hours:1") << "last_hours:1" << berlin << "2026-06-12T10:00:00Z"
                                  << "" << 1 << "2026-06-12T09:00:00.000Z"
                                  << "2026-06-12T09:59:59.000Z";
    QTest::newRow("last_hours:24 are 24 real hours over a 23-hour day")
        << "last_hours:24" << berlin << "2026-03-29T10:00:00Z"
        << "" << 1 << "2026-03-28T10:00:00.000Z"
        << "2026-03-29T09:59:59.000Z";
    QTest::newRow("last_hours:8784") << "last_hours:8784" << berlin << "2026-06-12T00:00:00Z"
                                     << "" << 1 << "2025-06-11T00:00:00.000Z"
                                     << "2026-06-11T23:59:59.000Z";

    QTest::newRow("last_days:1") << "last_days:1" << berlin << "2026-06-12T00:00:00Z"
                                 << "" << 1 << "2026-06-10T22:00:00.000Z"
                                 << "2026-06-11T21:59:59.000Z";
    QTest::newRow("last_days:7 over the spring change")
        << "last_days:7" << berlin << "2026-03-30T04:00:00Z"
        << "" << 1 << "2026-03-22T23:00:00.000Z"
        << "2026-03-29T21:59:59.000Z";
    QTest::newRow("last_days:366") << "last_days:366" << berlin << "2026-06-12T12:00:00Z"
                                   << "" << 1 << "2025-06-10T22:00:00.000Z"
                                   << "2026-06-11T21:59:59.000Z";
    // 2027-10-31 to 2028-10-30 holds two autumn changes and one spring change: 366 days and an
    // hour, more than a job may span; it starts an hour later.
    QTest::newRow("last_days:366 over two autumns")
        << "last_days:366" << berlin << "2028-10-31T12:00:00Z"
        << "" << 1 << "2027-10-30T23:00:00.000Z"
        << "2028-10-30T22:59:59.000Z";

    QTest::newRow("since_last_success") << "since_last_success" << berlin << "2026-06-12T04:00:00Z"
                                        << "2026-06-11T21:59:59Z" << 1 << "2026-06-11T22:00:00.000Z"
                                        << "2026-06-12T03:59:59.000Z";
    QTest::newRow("since_last_success, covered_to with milliseconds")
        << "since_last_success" << berlin << "2026-06-12T04:00:00Z"
        << "2026-06-11T21:59:59.500Z" << 1 << "2026-06-11T22:00:00.000Z"
        << "2026-06-12T03:59:59.000Z";
    QTest::newRow("since_last_success, none: fallback days")
        << "since_last_success" << berlin << "2026-06-12T04:00:00Z"
        << "" << 3 << "2026-06-08T22:00:00.000Z"
        << "2026-06-11T21:59:59.000Z";
    QTest::newRow("since_last_success, none, over the spring change")
        << "since_last_success" << berlin << "2026-03-30T04:00:00Z"
        << "" << 2 << "2026-03-27T23:00:00.000Z"
        << "2026-03-29T21:59:59.000Z";
    QTest::newRow("since_last_success, exactly 366 days back")
        << "since_last_success" << berlin << "2026-06-12T04:00:00Z"
        << "2025-06-11T04:00:00Z" << 1 << "2025-06-11T04:00:01.000Z"
        << "2026-06-12T03:59:59.000Z";
    QTest::newRow("since_last_success, over 366 days back")
        << "since_last_success" << berlin << "2026-06-12T04:00:00Z"
        << "2025-06-11T03:59:59Z" << 1 << "2026-06-10T22:00:00.000Z"
        << "2026-06-11T21:59:59.000Z";
    QTest::newRow("since_last_success, covered past the fire")
        << "since_last_success" << berlin << "2026-06-12T04:00:00Z"
        << "2026-06-13T00:00:00Z" << 1 << "2026-06-12T03:59:59.000Z"
        << "2026-06-12T03:59:59.000Z";
    QTest::newRow("fallback 0 reads as 1")
        << "since_last_success" << berlin << "2026-06-12T04:00:00Z"
        << "" << 0 << "2026-06-10T22:00:00.000Z"
        << "2026-06-11T21:59:59.000Z";
    QTest::newRow("fallback 999 reads as 366")
        << "since_last_success" << berlin << "2026-06-12T04:00:00Z"
        << "" << 999 << "2025-06-10T22:00:00.000Z"
        << "2026-06-11T21:59:59.000Z";
    QTest::newRow("fallback ignored with covered_to")
        << "since_last_success" << berlin << "2026-06-12T04:00:00Z"
        << "2026-06-12T01:00:00Z" << 30 << "2026-06-12T01:00:01.000Z"
        << "2026-06-12T03:59:59.000Z";
    QTest::newRow("covered_to ignored by other rules")
        << "previous_day" << berlin << "2026-06-12T00:00:00Z"
        << "2026-06-11T12:00:00Z" << 1 << "2026-06-10T22:00:00.000Z"
        << "2026-06-11T21:59:59.000Z";
}

void TestScheduleWindow::windows()
{
    QFETCH(QString, rule);
    QFETCH(QByteArray, zone);
    QFETCH(QString, fire);
    QFETCH(QString, coveredTo);
    QFETCH(int, fallbackDays);
    QFETCH(QString, from);
    QFETCH(QString, to);
    const QTimeZone timeZone(zone);
    QVERIFY(timeZone.isValid());
    std::optional<QDateTime> covered;
    if (!coveredTo.isEmpty())
        covered = utc(coveredTo);
    const TimeWindow window =
        computeWindow(::rule(rule), utc(fire), timeZone, covered, fallbackDays);
    QCOMPARE(iso(window.fromMs), from);
    QCOMPARE(iso(window.toMs), to);
    QVERIFY(window.toMs - window.fromMs <= MaxWindowDays * 24 * 3600 * 1000);
}

void TestScheduleWindow::consecutiveFiresTile_data()
{
    QTest::addColumn<QString>("cron");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QStringList>("starts");
    const QStringList both{"2026-03-27T00:00:00Z", "2026-10-23T00:00:00Z"};
    QTest::newRow("daily previous_day") << "0 2 * * *"
                                        << "previous_day" << both;
    QTest::newRow("daily last_days:1") << "30 2 * * *"
                                       << "last_days:1" << both;
    QTest::newRow("half-hourly since_last_success") << "*/30 * * * *"
                                                    << "since_last_success" << both;
    // Not over the autumn change: the repeated 02:00 fires once (SPEC §6), so the fire at 03:00
    // CET comes two hours after the one before, and `last_hours:1` leaves an hour out.
    QTest::newRow("hourly last_hours:1") << "0 * * * *"
                                         << "last_hours:1" << QStringList{"2026-03-27T00:00:00Z"};
}

// Fire after fire over Berlin's changes, each window starts the second after the last
// one ended: nothing fetched twice, nothing missed.
void TestScheduleWindow::consecutiveFiresTile()
{
    QFETCH(QString, cron);
    QFETCH(QString, rule);
    QFETCH(QStringList, starts);
    const QTimeZone berlin("Europe/Berlin");
    const WindowRule windowRule = ::rule(rule);
    for (const QString &start : starts) {
        const QList<QDateTime> fires =
            nextFireTimes(*CronExpression::parse(cron), berlin, utc(start), 200);
        QVERIFY(fires.size() > 3);
        std::optional<QDateTime> covered;
        qint64 previousTo = 0;
        for (const QDateTime &fire : fires) {
            const TimeWindow window = computeWindow(windowRule, fire, berlin, covered, 1);
            if (previousTo != 0)
                QCOMPARE(iso(window.fromMs), iso(previousTo + 1000));
            QVERIFY(window.fromMs <= window.toMs);
            previousTo = window.toMs;
            covered = QDateTime::fromMSecsSinceEpoch(window.toMs, Qt::UTC);
        }
    }
}

QTEST_GUILESS_MAIN(TestScheduleWindow)
#include "tst_schedulewindow.moc"
