#include "job/actor.h"
#include "job/timeformat.h"
#include "queue/csvexport.h"
#include "queue/queueoperations.h"
#include "simprocess.h"
#include "store/jobstore.h"
#include "store/tokenstore.h"
#include "testsupport.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>
#include <QTimeZone>

#include <csignal>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

/// The command line of SPEC §3 end to end: the real dealerq binary through QProcess.
class TestCli final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void demoDrainEnqueue();
    void enqueueDrainAndExportAgainstSimulator();
    void drainExitsOneWhenAJobFailed();
    void maxPagesFromTheSettings();
    void invalidIdsRefuseTheWholeList();
    void partialQueuesTheValidOnes();
    void bulkFileAndStdin();
    void duplicatesAreReported();
    void badArguments_data();
    void badArguments();
    void databaseUnreachable();
    void foreignDatabaseIsRefused();
    void exportToAFolderFails();
    void sigtermRequeuesRunningJob();
    void helpNamesTheProgram();
    void scheduleAddReadmeExampleAndList();
    void scheduleRunEnableDisableRemove();
    void scheduleNameTaken();
    void scheduleOnReadOnlyDatabase();
    void scheduleBadInput_data();
    void scheduleBadInput();
    void tokenAddListRevoke();
    void tokenBadInput_data();
    void tokenBadInput();
    void hostileProfileRefused_data();
    void hostileProfileRefused();
    void checkSourceReadsTheFirstPage();
    void checkSourceNamesWhatIsWrong_data();
    void checkSourceNamesWhatIsWrong();
    void drainFollowsTheProfile();

private:
    void writeSettings(const QByteArray &text);
    QVector<Schedule> schedules() const;
    QVector<Job> queued() const;
    QProcessEnvironment environment() const;
    Run run(const QStringList &args, const QByteArray &input = {}, int timeoutMs = 60000);
    QStringList dbArgs() const { return {"--db", m_db->urlString()}; }

    std::unique_ptr<TestDatabase> m_db;
};

void TestCli::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
}

void TestCli::cleanup()
{
    m_db.reset();
}

QProcessEnvironment TestCli::environment() const
{
    // Small retry bounds so that failing jobs fail quickly.
    return isolatedEnvironment(m_db->dir(),
                               "[fetch]\nmax_retries=1\ninitial_backoff_ms=10\ntimeout_ms=1000\n");
}

Run TestCli::run(const QStringList &args, const QByteArray &input, int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(environment());
    process.start(DEALERQ_PATH, args);
    Run result;
    if (!process.waitForStarted()) {
        result.err = process.errorString();
        return result;
    }
    if (!input.isNull()) {
        process.write(input);
        process.closeWriteChannel();
    }
    if (!process.waitForFinished(timeoutMs))
        process.kill();
    process.waitForFinished();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

void TestCli::helpNamesTheProgram()
{
    const Run r = run({"--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.startsWith("Usage: dealerq [options]"), qPrintable(r.out.left(80)));
    QVERIFY(!r.out.contains("<executable_name>"));
    // One job is one job, not "1 jobs".
    const Run one = run(dbArgs() + QStringList{"--headless", "--demo", "--drain", "--no-api",
                                               "--enqueue", "12284"});
    QCOMPARE(one.exitCode, 0);
    QVERIFY2(one.err.contains("1 job ran here in "), qPrintable(one.err));
}

void TestCli::demoDrainEnqueue()
{
    const Run r = run(dbArgs() + QStringList{"--headless", "--demo", "--drain", "--no-api",
                                             "--enqueue", "12284,00999"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("job 1 (12284 prospect) completed"), qPrintable(r.err));
    QVERIFY2(r.err.contains("job 2 (00999 prospect) completed"), qPrintable(r.err));
    QVERIFY(r.err.contains("2 completed, 0 failed"));
    const QString csv = m_db->dir() + "/out.csv";
    const Run e = run(dbArgs() + QStringList{"--export-csv", csv});
    QCOMPARE(e.exitCode, 0);
    QFile file(csv);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = file.readAll().split('\n');
    QCOMPARE(lines.first(), Csv::header().trimmed() + '\r');
    QVERIFY(lines.at(2).startsWith("2,00999,prospect,"));
    QVERIFY(lines.at(2).contains(",completed,"));

    const QString xlsx = m_db->dir() + "/out.xlsx";
    const Run x = run(dbArgs() + QStringList{"--export-xlsx", xlsx});
    QVERIFY2(x.exitCode == 0, qPrintable(x.err));
    QVERIFY2(x.err.contains("exported 2 jobs to "), qPrintable(x.err));
    QFile workbook(xlsx);
    QVERIFY(workbook.open(QIODevice::ReadOnly));
    QVERIFY(workbook.read(2) == "PK"); // a zip, as every .xlsx is
}

void TestCli::enqueueDrainAndExportAgainstSimulator()
{
    SimProcess sim({"--records", "120", "--page-size", "50"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    const Run queued = run(dbArgs() + QStringList{"--enqueue", "A1,B2", "--type", "sales", "--from",
                                                  "2025-06-01", "--to", "2025-06-12 23:59:59"});
    QVERIFY2(queued.exitCode == 0, qPrintable(queued.err));
    QVERIFY(queued.err.contains("queued 2 jobs"));
    const Run drained = run(dbArgs() + QStringList{"--headless", "--drain", "--no-api", "--source",
                                                   sim.baseUrl().toString()});
    QVERIFY2(drained.exitCode == 0, qPrintable(drained.err));
    JobStore store(m_db->url());
    StoreError error;
    QVERIFY(store.open(&error));
    const Job a = *store.job(1, &error);
    QCOMPARE(a.status, JobStatus::Completed);
    QVERIFY2(a.createdBy.startsWith("cli:") && a.createdBy.contains('@'), qPrintable(a.createdBy));
    QCOMPARE(a.createdBy, Actor::commandLine()); // the test runs as the same user on this host
    QCOMPARE(a.fetchType, QStringLiteral("sales"));
    QCOMPARE(a.result->pages, 3);
    QCOMPARE(a.result->fetched, 120);
    QCOMPARE(*store.recordCount(&error), 240);
}

void TestCli::drainExitsOneWhenAJobFailed()
{
    SimProcess sim({"--records", "3", "--fault", "404:GONE"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    const Run r = run(dbArgs() + QStringList{"--headless", "--drain", "--no-api", "--source",
                                             sim.baseUrl().toString(), "--enqueue", "GONE,OK"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("[not_found]"), qPrintable(r.err));
    QVERIFY(r.err.contains("1 completed, 1 failed"));
}

void TestCli::maxPagesFromTheSettings()
{
    // [fetch] max_pages (SPEC §2): three pages of 10 are one too many for 2; 3 are enough.
    SimProcess sim({"--records", "30", "--page-size", "10"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    const QStringList args =
        dbArgs() +
        QStringList{"--headless", "--drain", "--no-api", "--source", sim.baseUrl().toString(),
                    "--enqueue",  "PAGES"};
    writeSettings("[fetch]\npage_size=10\nmax_pages=2\n");
    const Run capped = run(args);
    QCOMPARE(capped.exitCode, 1);
    QVERIFY2(capped.err.contains("[bad_payload]"), qPrintable(capped.err));
    writeSettings("[fetch]\npage_size=10\nmax_pages=3\n");
    const Run enough = run(args);
    QVERIFY2(enough.exitCode == 0, qPrintable(enough.err));
    JobStore store(m_db->url());
    StoreError error;
    QVERIFY(store.open(&error));
    QCOMPARE(store.job(1, &error)->status, JobStatus::Failed);
    QCOMPARE(store.job(2, &error)->status, JobStatus::Completed);
    QCOMPARE(store.job(2, &error)->result->pages, 3);
}

void TestCli::invalidIdsRefuseTheWholeList()
{
    const Run r = run(dbArgs() + QStringList{"--enqueue", "12284,bad id,-x,00999"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("\"bad id\""), qPrintable(r.err));
    QVERIFY(r.err.contains("\"-x\""));
    QVERIFY(r.err.contains("nothing was queued"));
    JobStore store(m_db->url());
    StoreError error;
    QVERIFY(store.open(&error));
    QCOMPARE(store.queuedJobs(-1, &error)->size(), 0);
}

void TestCli::partialQueuesTheValidOnes()
{
    const Run r = run(dbArgs() + QStringList{"--enqueue", "12284,bad id,00999", "--partial"});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.err.contains("skipped: dealer ID \"bad id\""));
    JobStore store(m_db->url());
    StoreError error;
    QVERIFY(store.open(&error));
    const QVector<Job> queued = *store.queuedJobs(-1, &error);
    QCOMPARE(queued.size(), 2);
    QCOMPARE(queued.at(1).dealerId, QStringLiteral("00999"));
}

void TestCli::bulkFileAndStdin()
{
    const QString path = m_db->dir() + "/ids.txt";
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("12284\r\n00999;A1,B2\tC3  D4\n\n12284\n");
    file.close();
    Run r = run(dbArgs() + QStringList{"--bulk-file", path});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("queued 6 jobs"), qPrintable(r.err));
    r = run(dbArgs() + QStringList{"--bulk-file", "-", "--type", "inventory"}, "E5\nF6\n");
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    JobStore store(m_db->url());
    StoreError error;
    QVERIFY(store.open(&error));
    const QVector<Job> queued = *store.queuedJobs(-1, &error);
    QStringList order;
    for (const Job &job : queued)
        order << job.dealerId;
    QCOMPARE(order, (QStringList{"12284", "00999", "A1", "B2", "C3", "D4", "E5", "F6"}));
    QCOMPARE(queued.last().fetchType, QStringLiteral("inventory"));
}

void TestCli::duplicatesAreReported()
{
    QCOMPARE(run(dbArgs() + QStringList{"--enqueue", "12284"}).exitCode, 0);
    const Run r = run(dbArgs() + QStringList{"--enqueue", "12284,00999"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.err.contains("skipped 12284: already queued as job 1"), qPrintable(r.err));
    // The job's number: the next one on SQLite; PostgreSQL's sequence may have skipped one.
    JobStore store(m_db->url());
    StoreError error;
    QVERIFY(store.open(&error));
    const QVector<Job> queued = *store.queuedJobs(-1, &error);
    QCOMPARE(queued.size(), 2);
    if (!m_db->isPostgres())
        QCOMPARE(queued.last().id, 2);
    QVERIFY2(r.err.contains(QStringLiteral("queued 1 job: 00999 as job %1").arg(queued.last().id)),
             qPrintable(r.err));
}

void TestCli::badArguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option") << QStringList{"--frobnicate"} << "frobnicate";
    QTest::newRow("drain alone") << QStringList{"--drain"} << "--drain only works with --headless";
    QTest::newRow("type alone") << QStringList{"--headless", "--type", "sales"}
                                << "--type only applies";
    QTest::newRow("unknown type") << QStringList{"--enqueue", "A", "--type", "cars"}
                                  << "unknown fetch type \"cars\"";
    QTest::newRow("bad time") << QStringList{"--enqueue", "A", "--from", "yesterday"}
                              << "from_time \"yesterday\" is not a time";
    QTest::newRow("reversed window")
        << QStringList{"--enqueue", "A", "--from", "2025-06-13", "--to", "2025-06-12"}
        << "before from_time";
    QTest::newRow("bad priority") << QStringList{"--enqueue", "A", "--priority", "high"}
                                  << "--priority";
    QTest::newRow("remote api") << QStringList{"--headless", "--api-listen", "0.0.0.0:8000"}
                                << "--api-allow-remote";
    QTest::newRow("bad api address")
        << QStringList{"--headless", "--api-listen", "nowhere"} << "HOST:PORT";
    QTest::newRow("bad db url") << QStringList{"--enqueue", "A", "--db", "mysql://x/y"}
                                << "sqlite:///";
    QTest::newRow("relative sqlite")
        << QStringList{"--enqueue", "A", "--db", "sqlite://x.db"} << "absolute path";
    QTest::newRow("bad source") << QStringList{"--headless", "--drain", "--source", "ftp://x"}
                                << "not an http";
    QTest::newRow("stray argument") << QStringList{"12284"} << "unexpected argument";
    QTest::newRow("missing file") << QStringList{"--bulk-file", "/nonexistent/ids.txt"}
                                  << "cannot read --bulk-file";
    QTest::newRow("check-source with headless") << QStringList{"--check-source", "--headless"}
                                                << "--headless does not go with --check-source";
    QTest::newRow("check-source of two dealers")
        << QStringList{"--check-source", "--enqueue", "A,B"} << "give one ID to --enqueue";
    QTest::newRow("check-source of a bad dealer")
        << QStringList{"--check-source", "--enqueue", "-x", "--demo"} << "--enqueue: ";
    QTest::newRow("check-source of an unknown type")
        << QStringList{"--check-source", "--type", "cars", "--demo"}
        << "--type: \"cars\" is not one of the configured fetch types";
}

void TestCli::badArguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QStringList full = args;
    if (!args.contains("--db"))
        full += dbArgs();
    const Run r = run(full);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCli::databaseUnreachable()
{
    Run r = run({"--db", "postgresql://nobody@127.0.0.1:1/none", "--enqueue", "A"});
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains("cannot open the database"), qPrintable(r.err));
    QVERIFY(!r.err.contains("password"));
    r = run({"--db", "sqlite:///proc/dealerq-cannot-be-here/x.db", "--enqueue", "A"});
    QCOMPARE(r.exitCode, 3);
}

void TestCli::foreignDatabaseIsRefused()
{
    if (m_db->isPostgres())
        QSKIP("covered for both backends by tst_jobstore");
    const QString path = m_db->dir() + "/foreign.db";
    {
        Database raw(*DatabaseUrl::parse("sqlite://" + path, nullptr));
        QString why;
        QVERIFY(raw.open(&why));
        QVERIFY(raw.exec("CREATE TABLE invoices (id INTEGER)"));
    }
    const Run r = run({"--db", "sqlite://" + path, "--enqueue", "A"});
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains("not a dealerq database"));
}

void TestCli::exportToAFolderFails()
{
    const Run r = run(dbArgs() + QStringList{"--export-csv", m_db->dir()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("cannot"), qPrintable(r.err));
    const Run x = run(dbArgs() + QStringList{"--export-xlsx", m_db->dir() + "/missing/x.xlsx"});
    QCOMPARE(x.exitCode, 2);
    QVERIFY2(x.err.contains("cannot"), qPrintable(x.err));
    QVERIFY(!QFileInfo::exists(m_db->dir() + "/missing"));
}

void TestCli::sigtermRequeuesRunningJob()
{
    SimProcess sim({"--records", "1000", "--page-size", "10", "--latency-ms", "100"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    QCOMPARE(run(dbArgs() + QStringList{"--enqueue", "LONG"}).exitCode, 0);
    QFile settings(m_db->dir() + "/settings.ini");
    QVERIFY(settings.open(QIODevice::Append));
    settings.write("page_size=10\n");
    settings.close();
    QProcess process;
    process.setProcessEnvironment(environment());
    process.start(DEALERQ_PATH, dbArgs() + QStringList{"--headless", "--no-api", "--source",
                                                       sim.baseUrl().toString()});
    QVERIFY(process.waitForStarted());
    JobStore store(m_db->url());
    StoreError error;
    QVERIFY(store.open(&error));
    QTRY_COMPARE_WITH_TIMEOUT(store.job(1, &error)->status, JobStatus::Running, 10000);
    QTest::qWait(300);
    QElapsedTimer clock;
    clock.start();
    ::kill(pid_t(process.processId()), SIGTERM);
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    const Job job = *store.job(1, &error);
    QCOMPARE(job.status, JobStatus::Queued);
    QCOMPARE(job.attempts, 1);
    QCOMPARE(*store.recordCount(&error), 0);
    qInfo("stopped %lld ms after SIGTERM", clock.elapsed());
}

QVector<Schedule> TestCli::schedules() const
{
    JobStore store(m_db->url());
    StoreError error;
    if (!store.open(&error))
        return {};
    QueueOperations queue(store, "test");
    return queue.schedules().value.value_or(QVector<Schedule>());
}

QVector<Job> TestCli::queued() const
{
    JobStore store(m_db->url());
    StoreError error;
    if (!store.open(&error))
        return {};
    return store.queuedJobs(-1, &error).value_or(QVector<Job>());
}

void TestCli::scheduleAddReadmeExampleAndList()
{
    // The README's example: every dealer in this file, every night at 02:00, yesterday's data.
    QFile file(m_db->dir() + "/dealers.txt");
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("12284\n00999\n\nA1\n12284\n");
    file.close();
    const Run added = run(dbArgs() + QStringList{"--schedule-add", "nightly", "--cron", "0 2 * * *",
                                                 "--bulk-file", file.fileName(), "--type",
                                                 "sales,service", "--window", "previous_day"});
    QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    QVERIFY(added.out.isEmpty());
    QVERIFY2(added.err.contains("added schedule") && added.err.contains("every day at 02:00"),
             qPrintable(added.err));
    QCOMPARE(queued().size(), 0); // --bulk-file only named the dealers
    QVector<Schedule> all = schedules();
    QCOMPARE(all.size(), 1);
    const Schedule nightly = all.first();
    QCOMPARE(nightly.name, QStringLiteral("nightly"));
    QCOMPARE(nightly.cron, QStringLiteral("0 2 * * *"));
    QCOMPARE(nightly.timezone, QString::fromUtf8(QTimeZone::systemTimeZoneId()));
    QCOMPARE(nightly.dealerIds, (QStringList{"12284", "00999", "A1"}));
    QCOMPARE(nightly.fetchTypes, (QStringList{"sales", "service"}));
    QCOMPARE(nightly.window, QStringLiteral("previous_day"));
    QCOMPARE(nightly.catchUp, CatchUp::Once);
    QCOMPARE(nightly.fallbackDays, 1);
    QCOMPARE(nightly.priority, 0);
    QVERIFY(nightly.enabled);
    QCOMPARE(nightly.createdBy, Actor::commandLine());

    // Every option, dealers from --enqueue.
    const Run other =
        run(dbArgs() + QStringList{"--schedule-add", "hourly sync", "--cron", "15 */6 * * mon-fri",
                                   "--enqueue", "B2, C3", "--type", "inventory", "--window",
                                   "since_last_success", "--timezone", "UTC", "--priority", "-4",
                                   "--catch-up", "skip", "--fallback-days", "7"});
    QVERIFY2(other.exitCode == 0, qPrintable(other.err));
    all = schedules();
    QCOMPARE(all.size(), 2);
    const Schedule hourly = all.first(); // by name
    QCOMPARE(hourly.name, QStringLiteral("hourly sync"));
    QCOMPARE(hourly.dealerIds, (QStringList{"B2", "C3"}));
    QCOMPARE(hourly.timezone, QStringLiteral("UTC"));
    QCOMPARE(hourly.priority, -4);
    QCOMPARE(hourly.catchUp, CatchUp::Skip);
    QCOMPARE(hourly.fallbackDays, 7);
    QCOMPARE(hourly.window, QStringLiteral("since_last_success"));

    // One line per schedule, by name: id, name, cron, window, next fire, enabled.
    const QDateTime now = QDateTime::currentDateTime();
    QDateTime nextNightly(now.date(), QTime(2, 0));
    if (nextNightly <= now)
        nextNightly = nextNightly.addDays(1);
    QDateTime nextHourly = now.toUTC();
    nextHourly.setTime(QTime(nextHourly.time().hour() / 6 * 6, 15));
    while (nextHourly <= now || nextHourly.date().dayOfWeek() > 5)
        nextHourly = nextHourly.addSecs(6 * 3600);
    const Run list = run(dbArgs() + QStringList{"--schedule-list"});
    QVERIFY2(list.exitCode == 0, qPrintable(list.err));
    QCOMPARE(list.out,
             QStringLiteral("%1\thourly sync\t15 */6 * * mon-fri\tsince_last_success\t%2\t"
                            "true\n%3\tnightly\t0 2 * * *\tprevious_day\t%4\ttrue\n")
                 .arg(hourly.id)
                 .arg(formatTimestamp(nextHourly.toMSecsSinceEpoch()))
                 .arg(nightly.id)
                 .arg(formatTimestamp(nextNightly.toMSecsSinceEpoch())));
    QVERIFY(list.err.isEmpty());
}

void TestCli::scheduleRunEnableDisableRemove()
{
    QVERIFY(run(dbArgs() + QStringList{"--schedule-list"}).out.isEmpty());
    QCOMPARE(run(dbArgs() + QStringList{"--schedule-add", "nightly", "--cron", "0 2 * * *",
                                        "--enqueue", "12284,00999", "--type", "sales,service",
                                        "--window", "last_days:2", "--priority", "3"})
                 .exitCode,
             0);
    const Run ran = run(dbArgs() + QStringList{"--schedule-run", "nightly"});
    QVERIFY2(ran.exitCode == 0, qPrintable(ran.err));
    QVERIFY2(ran.err.contains("schedule nightly: queued 4 jobs"), qPrintable(ran.err));
    const QVector<Job> jobs = queued();
    QCOMPARE(jobs.size(), 4);
    const QStringList order{"12284/sales", "12284/service", "00999/sales", "00999/service"};
    for (int i = 0; i < jobs.size(); ++i) {
        QCOMPARE(jobs.at(i).dealerId + '/' + jobs.at(i).fetchType, order.at(i));
        QCOMPARE(jobs.at(i).createdBy, Actor::schedule("nightly"));
        QCOMPARE(jobs.at(i).priority, 3);
    }
    const Run again = run(dbArgs() + QStringList{"--schedule-run", " nightly "});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(
        again.err.contains(
            QStringLiteral("skipped 12284: sales already queued as job %1").arg(jobs.first().id)),
        qPrintable(again.err));
    QVERIFY(again.err.contains("queued no new job"));
    QCOMPARE(queued().size(), 4);

    const qint64 id = schedules().first().id;
    const Run off = run(dbArgs() + QStringList{"--schedule-disable", "nightly"});
    QVERIFY2(off.exitCode == 0, qPrintable(off.err));
    QVERIFY(!schedules().first().enabled);
    QCOMPARE(run(dbArgs() + QStringList{"--schedule-list"}).out,
             QStringLiteral("%1\tnightly\t0 2 * * *\tlast_days:2\t\tfalse\n").arg(id));
    const Run on = run(dbArgs() + QStringList{"--schedule-enable", "nightly"});
    QVERIFY2(on.exitCode == 0, qPrintable(on.err));
    QVERIFY(schedules().first().enabled);
    QVERIFY(run(dbArgs() + QStringList{"--schedule-list"}).out.endsWith(":00\ttrue\n"));

    const Run removed = run(dbArgs() + QStringList{"--schedule-remove", "nightly"});
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
    QVERIFY(schedules().isEmpty());
    QCOMPARE(queued().size(), 4); // the jobs it queued stay
    QVERIFY(run(dbArgs() + QStringList{"--schedule-list"}).out.isEmpty());
}

void TestCli::scheduleNameTaken()
{
    const QStringList add{"--schedule-add", "nightly", "--cron",   "0 2 * * *", "--enqueue", "A1",
                          "--type",         "sales",   "--window", "today"};
    QCOMPARE(run(dbArgs() + add).exitCode, 0);
    const QVector<Schedule> before = schedules();
    QStringList twin = add;
    twin[1] = " nightly";
    twin[3] = "30 4 * * *";
    const Run r = run(dbArgs() + twin);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("--schedule-add: a schedule named \"nightly\" exists "
                                           "already (schedule %1)")
                                .arg(before.first().id)),
             qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
    QCOMPARE(schedules().size(), 1);
    QCOMPARE(schedules().first().cron, QStringLiteral("0 2 * * *"));
}

void TestCli::scheduleOnReadOnlyDatabase()
{
    if (m_db->isPostgres())
        QSKIP("a read-only URL is SQLite's");
    QCOMPARE(run(dbArgs() + QStringList{"--schedule-add", "nightly", "--cron", "0 2 * * *",
                                        "--enqueue", "A1", "--type", "sales", "--window", "today"})
                 .exitCode,
             0);
    const QStringList readOnly{"--db", m_db->urlString() + "?mode=ro"};
    const Run list = run(readOnly + QStringList{"--schedule-list"});
    QVERIFY2(list.exitCode == 0, qPrintable(list.err));
    QVERIFY(list.out.contains("\tnightly\t"));
    for (const char *option :
         {"--schedule-run", "--schedule-disable", "--schedule-enable", "--schedule-remove"}) {
        const Run r = run(readOnly + QStringList{option, "nightly"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("read-only"), qPrintable(r.err));
    }
    QCOMPARE(schedules().size(), 1);
    QVERIFY(schedules().first().enabled);
    QVERIFY(queued().isEmpty());
}

void TestCli::scheduleBadInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    const QStringList add{"--schedule-add", "nightly", "--cron", "0 2 * * *", "--enqueue",
                          "12284,00999",    "--type",  "sales",  "--window",  "previous_day"};
    // `add` with option `name` given `value` instead (an empty value: the option left out).
    const auto with = [&add](const QString &name, const QString &value) {
        QStringList args = add;
        const int at = args.indexOf(name);
        if (at < 0)
            args << name << value;
        else if (value.isNull())
            args.remove(at, 2);
        else
            args[at + 1] = value;
        return args;
    };
    QTest::newRow("cron hour 24") << with("--cron", "0 24 * * *")
                                  << "--cron: hour: 24 is out of range 0-23";
    QTest::newRow("cron minute 60") << with("--cron", "60 2 * * *") << "--cron: minute: 60";
    QTest::newRow("cron four fields") << with("--cron", "0 2 * *") << "--cron: expected 5 fields";
    QTest::newRow("cron day-of-week 8") << with("--cron", "0 2 * * 8") << "--cron: day-of-week";
    QTest::newRow("cron missing") << with("--cron", QString()) << "--schedule-add needs --cron";
    QTest::newRow("cron without add")
        << QStringList{"--cron", "0 2 * * *"} << "--cron only applies with --schedule-add";
    QTest::newRow("unknown zone") << with("--timezone", "Mars/Olympus")
                                  << "--timezone: \"Mars/Olympus\" is not a known IANA time zone";
    QTest::newRow("zone without add")
        << QStringList{"--schedule-list", "--timezone", "UTC"} << "--timezone only applies";
    QTest::newRow("last_hours:0") << with("--window", "last_hours:0")
                                  << "--window: last_hours:0 is out of range 1-8784";
    QTest::newRow("last_days:367")
        << with("--window", "last_days:367") << "--window: last_days:367 is out of range 1-366";
    QTest::newRow("unknown window") << with("--window", "yesterday") << "--window: ";
    QTest::newRow("window missing")
        << with("--window", QString()) << "--schedule-add needs --window RULE";
    QTest::newRow("unknown type") << with("--type", "sales,cars")
                                  << "--type: unknown fetch type \"cars\"";
    QTest::newRow("type missing") << with("--type", QString()) << "--schedule-add needs --type";
    QTest::newRow("invalid dealer")
        << with("--enqueue", "12284,bad id") << "--enqueue: dealer ID \"bad id\"";
    QTest::newRow("no dealer") << with("--enqueue", ",,")
                               << "--enqueue: a schedule needs at least one dealer ID";
    QTest::newRow("dealers missing")
        << with("--enqueue", QString()) << "--schedule-add needs the dealers";
    QTest::newRow("10,001 dealers")
        << with("--enqueue", QString()) + QStringList{"--bulk-file", "@MANY"}
        << "--bulk-file: 10001 dealer IDs; a schedule takes at "
           "most 10000";
    QTest::newRow("missing file") << with("--enqueue", QString()) +
                                         QStringList{"--bulk-file", "/nonexistent/x"}
                                  << "cannot read --bulk-file";
    QTest::newRow("fallback 0") << with("--fallback-days", "0")
                                << "--fallback-days: 0 is out of range 1-366";
    QTest::newRow("fallback 367") << with("--fallback-days", "367")
                                  << "--fallback-days: 367 is out of range 1-366";
    QTest::newRow("fallback huge") << with("--fallback-days", "99999999999999")
                                   << "--fallback-days \"99999999999999\" is not a whole number";
    QTest::newRow("fallback word")
        << with("--fallback-days", "one") << "--fallback-days \"one\" is not a whole number";
    QTest::newRow("priority huge") << with("--priority", "2000000") << "--priority \"2000000\"";
    QTest::newRow("catch-up unknown")
        << with("--catch-up", "sometimes") << "--catch-up \"sometimes\" is not once or skip";
    QTest::newRow("name too long")
        << with("--schedule-add", QString(65, 'n')) << "--schedule-add: 65 characters; at most 64";
    QTest::newRow("name blank") << with("--schedule-add", "  ") << "--schedule-add needs a value";
    QTest::newRow("name control") << with("--schedule-add", "bell\a")
                                  << "--schedule-add: only printable characters";
    QTest::newRow("from with add")
        << with("--from", "2025-06-01") << "--from does not apply to --schedule-add";
    QTest::newRow("partial with add")
        << add + QStringList{"--partial"} << "--partial does not apply to --schedule-add";
    QTest::newRow("two operations")
        << add + QStringList{"--schedule-list"} << "give one schedule operation at a time";
    QTest::newRow("run unknown") << QStringList{"--schedule-run", "nope"}
                                 << "--schedule-run: no schedule named \"nope\"";
    QTest::newRow("enable unknown") << QStringList{"--schedule-enable", "nope"}
                                    << "--schedule-enable: no schedule named \"nope\"";
    QTest::newRow("disable unknown") << QStringList{"--schedule-disable", "nope"}
                                     << "--schedule-disable: no schedule named \"nope\"";
    QTest::newRow("remove unknown") << QStringList{"--schedule-remove", "nope"}
                                    << "--schedule-remove: no schedule named \"nope\"";
    QTest::newRow("run empty") << QStringList{"--schedule-run", ""}
                               << "--schedule-run needs a value";
}

void TestCli::scheduleBadInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const qsizetype many = args.indexOf("@MANY");
    if (many >= 0) {
        QFile file(m_db->dir() + "/many.txt");
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i <= 10000; ++i)
            file.write("D" + QByteArray::number(i) + '\n');
        file.close();
        args[many] = file.fileName();
    }
    const Run r = run(dbArgs() + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
    // One line per problem, each "dealerq: ...".
    for (const QString &line : r.err.split('\n', Qt::SkipEmptyParts))
        QVERIFY2(line.startsWith("dealerq: "), qPrintable(line));
    QVERIFY(schedules().isEmpty());
    QVERIFY(queued().isEmpty());
}

void TestCli::tokenAddListRevoke()
{
    const Run added = run(dbArgs() + QStringList{"--token-add", "ci-reader", "--role", "read"});
    QCOMPARE(added.exitCode, 0);
    // The token alone on stdout, once; the rest on stderr, without it.
    QVERIFY2(added.out.startsWith("dqt_") && added.out.endsWith('\n'), qPrintable(added.out));
    const QByteArray token = added.out.trimmed().toLatin1();
    QCOMPARE(token.size(), 47);
    QCOMPARE(added.out.count('\n'), 1);
    QVERIFY(added.err.contains("added API token ci-reader (role read)"));
    QVERIFY(!added.err.contains(QString::fromLatin1(token.mid(4, 16))));
    QCOMPARE(run(dbArgs() + QStringList{"--token-add", "deploy", "--role", "operate"}).exitCode, 0);

    JobStore store(m_db->url());
    StoreError error;
    QVERIFY2(store.open(&error), qPrintable(error.message));
    const std::optional<ApiTokenInfo> found = TokenStore(store).find(token, &error);
    QVERIFY(found);
    QCOMPARE(found->name, QStringLiteral("ci-reader"));
    QCOMPARE(found->role, TokenRole::Read);
    QVERIFY(found->createdBy.startsWith("cli:"));
    QVERIFY(TokenStore(store).markUsed("deploy", 1765000000000, &error));

    const Run list = run(dbArgs() + QStringList{"--token-list"});
    QCOMPARE(list.exitCode, 0);
    const QStringList lines = list.out.split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    QVERIFY2(lines.at(0).startsWith("ci-reader\tread\t") && lines.at(0).endsWith("\tnever"),
             qPrintable(lines.at(0)));
    QVERIFY2(lines.at(1).startsWith("deploy\toperate\t") &&
                 lines.at(1).endsWith(formatTimestamp(1765000000000)),
             qPrintable(lines.at(1)));
    QCOMPARE(lines.at(0).split('\t').size(), 4);
    QVERIFY(!list.out.contains(QString::fromLatin1(token.mid(4, 16))));

    const Run revoked = run(dbArgs() + QStringList{"--token-revoke", "ci-reader"});
    QCOMPARE(revoked.exitCode, 0);
    QVERIFY(revoked.out.isEmpty());
    QVERIFY(!TokenStore(store).find(token, &error));
    QVERIFY(!error.isSet());
    QVERIFY(run(dbArgs() + QStringList{"--token-list"}).out.startsWith("deploy\t"));

    const Run again = run(dbArgs() + QStringList{"--token-revoke", "ci-reader"});
    QCOMPARE(again.exitCode, 2);
    QVERIFY2(again.err.contains("--token-revoke: name: no API token named \"ci-reader\""),
             qPrintable(again.err));
    const Run taken = run(dbArgs() + QStringList{"--token-add", "deploy", "--role", "read"});
    QCOMPARE(taken.exitCode, 2);
    QVERIFY(taken.out.isEmpty());
    QVERIFY2(taken.err.contains("--token-add: name: an API token named \"deploy\" exists"),
             qPrintable(taken.err));
    QVERIFY(run(dbArgs() + QStringList{"--token-list"}).out.contains("deploy\toperate\t"));
    // A revoked name can be given again.
    QCOMPARE(run(dbArgs() + QStringList{"--token-add", "ci-reader", "--role", "operate"}).exitCode,
             0);
}

void TestCli::tokenBadInput_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("role misspelt")
        << QStringList{"--token-add", "ci", "--role", "reader"} << "--role: role: \"reader\"";
    QTest::newRow("role capitalised")
        << QStringList{"--token-add", "ci", "--role", "Operate"} << "--role: role:";
    QTest::newRow("role missing") << QStringList{"--token-add", "ci"} << "needs --role";
    QTest::newRow("role without add")
        << QStringList{"--token-list", "--role", "read"} << "--role only applies with --token-add";
    QTest::newRow("control character")
        << QStringList{"--token-add", "ci\x1b[2J", "--role", "read"} << "--token-add: name:";
    QTest::newRow("newline") << QStringList{"--token-add", "a\nb", "--role", "read"}
                             << "--token-add: name:";
    QTest::newRow("space") << QStringList{"--token-add", "a b", "--role", "read"}
                           << "--token-add: name:";
    QTest::newRow("default") << QStringList{"--token-add", "default", "--role", "read"}
                             << "--token-add: name: \"default\"";
    QTest::newRow("too long") << QStringList{"--token-add", QString(65, 'x'), "--role", "read"}
                              << "--token-add: name: 65 characters";
    QTest::newRow("empty name") << QStringList{"--token-add", "", "--role", "read"}
                                << "--token-add needs a value";
    QTest::newRow("two operations")
        << QStringList{"--token-list", "--token-revoke", "x"} << "give one token operation";
    QTest::newRow("with jobs") << QStringList{"--token-list", "--enqueue", "1", "--type", "sales"}
                               << "--token-list goes alone";
}

void TestCli::tokenBadInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = run(dbArgs() + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.contains(message), qPrintable(r.err));
    for (const QChar c : r.err)
        QVERIFY2(c == '\n' || c.unicode() >= 0x20, "a control character is echoed");
    // Nothing changed: no token, and no database made either.
    if (m_db->isPostgres() || QFileInfo::exists(m_db->url().path)) {
        JobStore store(m_db->url());
        StoreError error;
        QVERIFY(store.open(&error));
        QVERIFY(TokenStore(store).tokens(&error)->isEmpty());
    }
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"

void TestCli::hostileProfileRefused_data()
{
    QTest::addColumn<QByteArray>("profile");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("reason");
    const QStringList enqueue{"--enqueue", "A1"};
    const QStringList headless{"--headless", "--drain", "--no-api", "--demo"};
    QTest::newRow("unknown key, one-shot")
        << QByteArray("pagesize=10\n") << enqueue << "[profile] pagesize: unknown key";
    QTest::newRow("cursor without next_cursor, headless")
        << QByteArray("paging=cursor\n") << headless << "[profile] next_cursor: missing";
    QTest::newRow("path with ..") << QByteArray("path=/a/../b\n") << enqueue
                                  << "[profile] path: \"/a/../b\" holds a \".\" or \"..\"";
    QTest::newRow("path with a scheme")
        << QByteArray("path=\"http://evil.example/x\"\n") << headless
        << "[profile] path: \"http://evil.example/x\" is not a path below the source URL";
    QTest::newRow("bad pointer") << QByteArray("items=data\n") << enqueue
                                 << "[profile] items: \"data\" is not a JSON pointer";
    QTest::newRow("unknown placeholder") << QByteArray("query=since={since}\n") << enqueue
                                         << "[profile] query: {since} is not a placeholder here";
    QTest::newRow("oauth2 without its keys")
        << QByteArray("auth=oauth2\n") << headless << "[profile] oauth2_token_url: missing";
    QTest::newRow("basic without user:password")
        << QByteArray("auth=basic\n[source]\ntoken=nocolon\n")
        << QStringList{"--enqueue", "A1", "--source", "http://127.0.0.1:1/"}
        << "[source] token: auth=basic takes it as user:password";
}

void TestCli::hostileProfileRefused()
{
    QFETCH(QByteArray, profile);
    QFETCH(QStringList, args);
    QFETCH(QString, reason);
    QFile settings(m_db->dir() + "/settings.ini");
    QVERIFY(settings.open(QIODevice::WriteOnly));
    settings.write("[profile]\n" + profile);
    settings.close();
    const Run r = run(dbArgs() + args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(reason), qPrintable(r.err));
    QVERIFY(!r.err.contains("queued"));
    QVERIFY(queued().isEmpty());
}

void TestCli::writeSettings(const QByteArray &text)
{
    QFile settings(m_db->dir() + "/settings.ini");
    QVERIFY(settings.open(QIODevice::WriteOnly));
    settings.write("[fetch]\nmax_retries=1\ninitial_backoff_ms=10\ntimeout_ms=1000\n"
                   "page_size=10\n" +
                   text);
}

namespace {

const QByteArray CursorProfile = "[source]\ntoken=key-SECRET-31337\n"
                                 "[profile]\npath=/v2/dealers/{dealer_id}/{fetch_type}\n"
                                 "query=since={from}&until={to}&limit={page_size}\n"
                                 "time_format=epoch_s\nitems=/data/records\n"
                                 "paging=cursor\nnext_cursor=/paging/next\n"
                                 "auth=header\nauth_header=X-Api-Key\n"
                                 "fetch_types=prospect:leads\n";
const QStringList CursorSim{"--records",       "35",
                            "--page-size",     "10",
                            "--paging",        "cursor",
                            "--items-key",     "data/records",
                            "--numeric-ids",   "--time-format",
                            "epoch_s",         "--auth",
                            "header",          "--token",
                            "key-SECRET-31337"};

} // namespace

void TestCli::checkSourceReadsTheFirstPage()
{
    SimProcess sim(CursorSim);
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    writeSettings(CursorProfile);
    const Run r =
        run(dbArgs() + QStringList{"--check-source", "--enqueue", "D-17", "--to", "2025-06-12",
                                   "--from", "2025-06-12", "--source", sim.baseUrl().toString()});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
    QVERIFY2(r.out.contains(QStringLiteral("request: GET http://127.0.0.1:%1/v2/dealers/D-17/leads"
                                           "?since=")
                                .arg(sim.port())),
             qPrintable(r.out));
    QVERIFY2(r.out.contains("&limit=10\n"), qPrintable(r.out)); // the first page: no cursor
    QVERIFY(r.out.contains("status: 200\n"));
    QVERIFY(r.out.contains("items: 10\n"));
    QVERIFY2(r.out.contains(QRegularExpression("first id: \\d+000001\n")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QRegularExpression("first updated_at: 17\\d{8}\n")), qPrintable(r.out));
    QVERIFY(r.out.contains("next: cursor after_10\n"));
    QVERIFY(!r.out.contains("SECRET") && !r.err.contains("SECRET"));
    // Nothing stored: no job, no record.
    QVERIFY(queued().isEmpty());
    JobStore store(m_db->url());
    StoreError error;
    QVERIFY(store.open(&error));
    QCOMPARE(*store.recordCount(&error), 0);

    // The default profile against SPEC §2's own shape.
    SimProcess plain({"--records", "35", "--page-size", "10"});
    QVERIFY2(plain.start(&why), qPrintable(why));
    writeSettings({});
    const Run d = run(dbArgs() + QStringList{"--check-source", "--type", "sales", "--source",
                                             plain.baseUrl().toString()});
    QVERIFY2(d.exitCode == 0, qPrintable(d.err + d.out));
    QVERIFY(d.out.contains("/dealers/12284/sales?from="));
    QVERIFY(d.out.contains("items: 10\n"));
    QVERIFY(d.out.contains("first id: S-12284-000001\n"));
    QVERIFY(d.out.contains("next: page 2\n"));
}

void TestCli::checkSourceNamesWhatIsWrong_data()
{
    QTest::addColumn<QStringList>("simArgs");
    QTest::addColumn<QByteArray>("profile");
    QTest::addColumn<QString>("reason");
    QTest::newRow("items at an object")
        << QStringList{"--paging", "page", "--items-key", "data", "--fault", "itemsobject"}
        << QByteArray("[profile]\nitems=/data\n") << "items: /data is an object, not an array";
    QTest::newRow("items missing")
        << QStringList{"--paging", "page"} << QByteArray("[profile]\nitems=/data\n")
        << "items: /data is missing, not an array";
    QTest::newRow("missing id") << QStringList{"--paging", "offset", "--fault", "noid"}
                                << QByteArray("[profile]\npaging=offset\n")
                                << "id: /id in item 1 is missing";
    QTest::newRow("wrong key") << QStringList{"--auth", "header", "--token", "right-key"}
                               << QByteArray("[source]\ntoken=wrong-key\n[profile]\n"
                                             "auth=header\nauth_header=X-Api-Key\n")
                               << "401 Unauthorized";
}

void TestCli::checkSourceNamesWhatIsWrong()
{
    QFETCH(QStringList, simArgs);
    QFETCH(QByteArray, profile);
    QFETCH(QString, reason);
    SimProcess sim(simArgs);
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    writeSettings(profile);
    const Run r = run(dbArgs() + QStringList{"--check-source", "--enqueue", "D-17", "--source",
                                             sim.baseUrl().toString()});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(reason), qPrintable(r.err));
    QVERIFY(!r.err.contains("wrong-key"));
}

void TestCli::drainFollowsTheProfile()
{
    SimProcess sim(CursorSim);
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    writeSettings(CursorProfile);
    const QStringList args = dbArgs() + QStringList{"--headless",
                                                    "--drain",
                                                    "--no-api",
                                                    "--enqueue",
                                                    "D-17",
                                                    "--from",
                                                    "2025-06-12",
                                                    "--to",
                                                    "2025-06-12",
                                                    "--source",
                                                    sim.baseUrl().toString()};
    const Run r = run(args);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    JobStore store(m_db->url());
    StoreError error;
    QVERIFY(store.open(&error));
    const Job job = *store.job(1, &error);
    QCOMPARE(job.status, JobStatus::Completed);
    QCOMPARE(job.fetchType, QStringLiteral("prospect")); // stored under dealerq's own name
    QCOMPARE(job.result->pages, 4);
    QCOMPARE(job.result->inserted, 35);
    QCOMPARE(*store.recordCount(&error), 35);
    QVERIFY(!r.err.contains("SECRET"));
}
