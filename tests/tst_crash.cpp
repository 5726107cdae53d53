#include "simprocess.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>

#include <csignal>

/// The crash suite: `dealerq --headless --drain` killed with SIGKILL at seeded random moments
/// (mid-fetch, mid-commit, between jobs), restarted, and killed again. At the end every job is
/// completed once, the data holds exactly the simulator's records (and the coverage's count of
/// them per dealer and type), and the cut-off attempts show.
/// Replay a failure with DEALERQ_CRASH_SEED=<the printed seed>.
class TestCrash final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void killAtRandomMoments();

private:
    QProcessEnvironment environment() const;
    QString tempDir() const;
    /// How many spool files process `pid` holds open.
    int openSpoolFiles(qint64 pid) const;

    std::unique_ptr<TestDatabase> m_db;
};

void TestCrash::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    QVERIFY(QDir().mkpath(tempDir()));
}

void TestCrash::cleanup()
{
    m_db.reset();
}

QProcessEnvironment TestCrash::environment() const
{
    // Its own temporary directory, where a first fetch's spool file is made on PostgreSQL.
    QProcessEnvironment env = isolatedEnvironment(m_db->dir());
    env.insert(QStringLiteral("TMPDIR"), tempDir());
    return env;
}

QString TestCrash::tempDir() const
{
    return m_db->dir() + QStringLiteral("/tmp");
}

int TestCrash::openSpoolFiles(qint64 pid) const
{
    // A spool file has no name (or loses it at once): the process holds it by descriptor, a
    // deleted file in its temporary directory.
    int open = 0;
    const QString fds = QStringLiteral("/proc/%1/fd").arg(pid);
    for (const QString &fd : QDir(fds).entryList(QDir::Files | QDir::System)) {
        const QString target = QFile::symLinkTarget(fds + QLatin1Char('/') + fd);
        if (target.startsWith(tempDir() + QLatin1Char('/')) &&
            target.endsWith(QLatin1String(" (deleted)")))
            ++open;
    }
    return open;
}

void TestCrash::killAtRandomMoments()
{
    constexpr int Jobs = 60;
    constexpr int Records = 60;
    constexpr int Kills = 20;
    const quint64 seed = qEnvironmentVariableIsSet("DEALERQ_CRASH_SEED")
                             ? qEnvironmentVariable("DEALERQ_CRASH_SEED").toULongLong()
                             : QRandomGenerator::global()->generate64();
    qInfo("crash seed %llu (replay with DEALERQ_CRASH_SEED=%llu)", seed, seed);
    QRandomGenerator random(seed);

    SimProcess sim(
        {"--records", QString::number(Records), "--page-size", "20", "--latency-ms", "30"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    {
        QFile settings(m_db->dir() + "/settings.ini");
        QVERIFY(settings.open(QIODevice::WriteOnly));
        settings.write("[fetch]\npage_size=20\n[queue]\nmax_attempts=100\n");
    }
    JobStore store(m_db->url());
    StoreError error;
    QVERIFY2(store.open(&error), qPrintable(error.message));
    QStringList ids;
    for (int i = 0; i < Jobs; ++i)
        ids << QStringLiteral("C%1").arg(i, 3, 10, QLatin1Char('0'));
    NewJob common;
    common.fetchType = "prospect";
    common.fromMs = 1749686400000;
    common.toMs = 1749772799000;
    QVERIFY(store.addJobs(ids, common, &error));

    const QStringList args{"--db",     m_db->urlString(),       "--headless", "--drain", "--no-api",
                           "--source", sim.baseUrl().toString()};
    int kills = 0;
    int spooling = 0; // kills of a process holding a spool file
    int round = 0;
    while (kills < Kills && round < Kills * 3) {
        ++round;
        QProcess process;
        process.setProcessEnvironment(environment());
        const qint64 startedAt = QDateTime::currentMSecsSinceEpoch();
        process.start(DEALERQ_PATH, args);
        QVERIFY(process.waitForStarted());
        // Kill at a random moment after this process started work (its start-up time varies
        // with the build, a sanitizer build being much slower): mid-fetch, mid-commit or
        // between jobs.
        const auto runsAJob = [&] {
            const std::optional<QueueStatus> status = store.queueStatus(0, &error);
            return status && status->current && status->current->startedMs >= startedAt;
        };
        QDeadlineTimer started(20000);
        while (!started.hasExpired() && process.state() == QProcess::Running && !runsAJob())
            QTest::qWait(5);
        const int delayMs = int(random.bounded(300));
        if (process.waitForFinished(delayMs)) {
            qInfo("round %d: drained before the kill at +%d ms", round, delayMs);
            break;
        }
        spooling += openSpoolFiles(process.processId()) > 0 ? 1 : 0;
        ::kill(pid_t(process.processId()), SIGKILL);
        QVERIFY(process.waitForFinished(10000));
        ++kills;
        const std::optional<JobCounts> counts = store.counts(0, &error);
        qInfo("kill %d at +%d ms: %lld completed, %lld running (left by the dead process)", kills,
              delayMs, counts ? counts->completed : -1, counts ? counts->running : -1);
        if (counts && counts->queued == 0 && counts->running == 0)
            break;
    }
    QVERIFY2(kills >= Kills || store.counts(0, &error)->completed == Jobs,
             "fewer kills than planned although work was left");
    qInfo("%d kills in %d rounds, %d of them while a job's records were in a spool file", kills,
          round, spooling);

    // A last run drains what is left.
    QProcess last;
    last.setProcessEnvironment(environment());
    last.start(DEALERQ_PATH, args);
    QVERIFY(last.waitForFinished(120000));
    QCOMPARE(last.exitCode(), 0);

    const JobCounts counts = *store.counts(0, &error);
    QCOMPARE(counts.completed, Jobs);
    QCOMPARE(counts.running, 0);
    QCOMPARE(counts.queued, 0);
    QCOMPARE(counts.failed, 0);
    QCOMPARE(*store.recordCount(&error), qint64(Jobs) * Records);
    QSqlQuery q(store.database().db());
    QVERIFY(q.exec("SELECT COUNT(DISTINCT dealer_id || '/' || record_id) FROM records") &&
            q.next());
    QCOMPARE(q.value(0).toLongLong(), qint64(Jobs) * Records);
    QVERIFY(q.exec("SELECT dealer_id, COUNT(*) FROM records GROUP BY dealer_id"));
    while (q.next())
        QCOMPARE(q.value(1).toInt(), Records);
    // The coverage's count of records per dealer and type (record_counts, kept in the
    // completing transactions) is exact across the kills: no commit counted twice or lost.
    QVERIFY(q.exec("SELECT c.records, (SELECT COUNT(*) FROM records r WHERE r.dealer_id = "
                   "c.dealer_id AND r.fetch_type = c.fetch_type) FROM record_counts c"));
    int counted = 0;
    while (q.next()) {
        ++counted;
        QCOMPARE(q.value(0).toLongLong(), qint64(Records));
        QCOMPARE(q.value(1).toLongLong(), qint64(Records));
    }
    QCOMPARE(counted, Jobs);
    // Each job completed with exactly what its completing attempt fetched and staged: no page
    // staged by a killed attempt was merged into a later one (a TEMP table dies with its
    // connection), and no record of a dealer is counted twice.
    QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM jobs WHERE status = 'completed' AND "
                                  "(fetched <> %1 OR inserted <> %1 OR updated <> 0 OR "
                                  "unchanged <> 0)")
                       .arg(Records)) &&
            q.next());
    QCOMPARE(q.value(0).toInt(), 0);
    // Every kill mid-job left a cut-off attempt that shows in its job's log.
    int interrupted = 0;
    store.forEachJob(
        [&](const Job &job) {
            if (job.attempts > 1) {
                ++interrupted;
                const QVector<LogLine> log = *store.jobLogs(job.id, &error);
                const bool shown = std::any_of(log.begin(), log.end(), [](const LogLine &l) {
                    return l.message.contains("cut off");
                });
                if (!shown)
                    qWarning("job %lld ran %d times without a cut-off line", job.id, job.attempts);
                return shown;
            }
            return true;
        },
        &error);
    qInfo("%d jobs show interrupted attempts", interrupted);
    QVERIFY(interrupted > 0);
    // The spool files of the killed processes went with them: none is left to find or remove.
    // (SQLite's own temporary files, "etilqs_…", are named when made and unlinked just after:
    // a kill between the two leaves one, of SQLite's, which no later job reads.)
    const QStringList left =
        QDir(tempDir())
            .entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot)
            .filter(QRegularExpression(QStringLiteral("^(?!etilqs_)")));
    QVERIFY2(left.isEmpty(), qPrintable(left.join(QLatin1String(", "))));
}

QTEST_GUILESS_MAIN(TestCrash)
#include "tst_crash.moc"
