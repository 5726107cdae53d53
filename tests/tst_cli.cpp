#include "job/actor.h"
#include "queue/csvexport.h"
#include "simprocess.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSqlQuery>
#include <QTest>

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

private:
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

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
