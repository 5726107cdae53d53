#include "job/fetchedrecord.h"
#include "queue/csvexport.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QBuffer>
#include <QFile>
#include <QTest>

class TestCsvExport final : public QObject
{
    Q_OBJECT

private slots:
    void headerIsExact();
    void quoting_data();
    void quoting();
    void rowOfFinishedJob();
    void rowOfQueuedJobHasEmptyCells();
    void streamsEveryJobOldestFirst();
    void failedExportLeavesNoFile();
};

void TestCsvExport::headerIsExact()
{
    QCOMPARE(Csv::header(),
             QByteArray("job_id,dealer_id,fetch_type,from_time,to_time,status,created_at,"
                        "started_at,finished_at,duration_s,attempts,pages,fetched,inserted,"
                        "updated,error\r\n"));
}

void TestCsvExport::quoting_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("cell");
    QTest::newRow("plain") << "00999"
                           << "00999";
    QTest::newRow("empty") << ""
                           << "";
    QTest::newRow("comma") << "a,b"
                           << "\"a,b\"";
    QTest::newRow("quote") << "say \"hi\""
                           << "\"say \"\"hi\"\"\"";
    QTest::newRow("newline") << "two\nlines"
                             << "\"two\nlines\"";
    QTest::newRow("formula =") << "=HYPERLINK(\"x\")"
                               << "\"'=HYPERLINK(\"\"x\"\")\"";
    QTest::newRow("formula +") << "+1"
                               << "'+1";
    QTest::newRow("formula -") << "-2+3"
                               << "'-2+3";
    QTest::newRow("formula @") << "@SUM(A1)"
                               << "'@SUM(A1)";
    QTest::newRow("tab") << "\tx"
                         << "'\tx";
    QTest::newRow("carriage return") << "\rx"
                                     << "\"'\rx\"";
    QTest::newRow("unicode") << QStringLiteral("H\u00e4ndler \u2014 ok")
                             << QStringLiteral("H\u00e4ndler \u2014 ok");
    QTest::newRow("inner =") << "a=b"
                             << "a=b";
}

void TestCsvExport::quoting()
{
    QFETCH(QString, value);
    QFETCH(QString, cell);
    QCOMPARE(Csv::cell(value), cell);
}

void TestCsvExport::rowOfFinishedJob()
{
    Job job;
    job.id = 7;
    job.dealerId = "00999";
    job.fetchType = "prospect";
    job.fromMs = 1749686400000;
    job.toMs = 1749772799000;
    job.status = JobStatus::Failed;
    job.createdMs = 1749686400000;
    job.startedMs = 1749686401000;
    job.finishedMs = 1749686402500;
    job.attempts = 2;
    job.error = {"=cmd|' /C calc'!A0, then \"more\"", ErrorCategory::Http};
    const QString row = QString::fromUtf8(Csv::row(job, 0));
    QVERIFY(row.endsWith("\r\n"));
    QVERIFY(row.startsWith("7,00999,prospect,"));
    QVERIFY(row.contains(",failed,"));
    QVERIFY(row.contains(",1.500,2,,,,,"));
    QVERIFY2(row.contains(",\"'=cmd|' /C calc'!A0, then \"\"more\"\"\"\r\n"), qPrintable(row));
    // Every time carries milliseconds and an explicit offset.
    const QStringList cells = row.split(',');
    for (int i : {3, 4, 6, 7, 8})
        QVERIFY2(QRegularExpression(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$)")
                     .match(cells.at(i))
                     .hasMatch(),
                 qPrintable(cells.at(i)));
}

void TestCsvExport::rowOfQueuedJobHasEmptyCells()
{
    Job job;
    job.id = 1;
    job.dealerId = "A";
    job.fetchType = "sales";
    job.fromMs = 1;
    job.toMs = 2;
    job.createdMs = 3;
    const QString row = QString::fromUtf8(Csv::row(job, 0));
    QVERIFY(row.endsWith("\r\n"));
    const QStringList cells = row.trimmed().split(',');
    QCOMPARE(cells.size(), 16);
    QCOMPARE(cells.at(5), QStringLiteral("queued"));
    for (int i : {7, 8, 9, 11, 12, 13, 14, 15})
        QVERIFY2(cells.at(i).isEmpty(), qPrintable(QString::number(i)));
    QCOMPARE(cells.at(10), QStringLiteral("0"));
}

void TestCsvExport::streamsEveryJobOldestFirst()
{
    TestDatabase db;
    QVERIFY(db.isValid());
    JobStore store(db.url());
    StoreError error;
    QVERIFY(store.open(&error));
    QStringList ids;
    for (int i = 0; i < 2500; ++i)
        ids << QStringLiteral("%1").arg(i, 5, 10, QLatin1Char('0'));
    NewJob common;
    common.fetchType = "prospect";
    common.fromMs = 1;
    common.toMs = 2;
    QVERIFY(store.addJobs(ids, common, &error));
    const QString path = db.dir() + "/jobs.csv";
    qint64 lastProgress = 0;
    QCOMPARE(Csv::exportJobsToFile(store, path, &error.message,
                                   [&](qint64 n) {
                                       lastProgress = n;
                                       return true;
                                   }),
             2500);
    QCOMPARE(lastProgress, 2500);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray data = file.readAll();
    QVERIFY(!data.startsWith("\xEF\xBB\xBF")); // no byte-order mark
    const QList<QByteArray> lines = data.split('\n');
    QCOMPARE(lines.size(), 2502); // header, 2500 rows, the empty rest after the last CRLF
    QVERIFY(lines.at(1).startsWith("1,00000,"));
    QVERIFY(lines.at(2500).startsWith("2500,02499,"));
}

void TestCsvExport::failedExportLeavesNoFile()
{
    TestDatabase db;
    JobStore store(db.url());
    StoreError error;
    QVERIFY(store.open(&error));
    QString why;
    QCOMPARE(Csv::exportJobsToFile(store, db.dir() + "/missing/folder/x.csv", &why), -1);
    QVERIFY(why.contains("missing/folder"));
    // Stopping half-way keeps an earlier file untouched.
    const QString path = db.dir() + "/keep.csv";
    QFile previous(path);
    QVERIFY(previous.open(QIODevice::WriteOnly));
    previous.write("old");
    previous.close();
    NewJob common;
    common.fetchType = "prospect";
    QStringList ids;
    for (int i = 0; i < 1500; ++i)
        ids << QStringLiteral("D%1").arg(i);
    QVERIFY(store.addJobs(ids, common, &error));
    QCOMPARE(Csv::exportJobsToFile(store, path, &why, [](qint64) { return false; }), -1);
    QVERIFY(previous.open(QIODevice::ReadOnly));
    QCOMPARE(previous.readAll(), QByteArray("old"));
}

QTEST_GUILESS_MAIN(TestCsvExport)
#include "tst_csvexport.moc"
