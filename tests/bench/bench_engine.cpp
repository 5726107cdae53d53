// The engine's benchmarks (docs/performance.md): queue overhead, ingest and operations, each
// beside its baseline and goal, measured in one run; the window's and the API's benchmarks
// (bench_window, bench_api) are gathered into the same table when they are built.
//
//   bench_engine [--smoke] [--json FILE] [--pg ADMIN_URL | --no-pg] [--no-celery] [--repeat N]
//                [--only queue,ingest,ops,window,api] [--keep]

#include "benchsupport.h"
#include "job/timeformat.h"
#include "queue/csvexport.h"
#include "queue/xlsxexport.h"
#include "simprocess.h"
#include "source/dealerclient.h"
#include "source/pagedecoder.h"
#include "store/jobstore.h"
#include "store/recordwriter.h"
#include "testsupport.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <utility>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTimer>

#ifdef DEALERQ_BENCH_HAVE_SQLITE3
#include <sqlite3.h>
#endif
#include <libpq-fe.h>

namespace {

using Goal = Figure::Goal;

struct Sizes
{
    int queueJobs = 2000;
    int ingestRecords = 200000;
    int pageSize = 500;
    int bulkIds = 10000;
    int historyJobs = 100000;
    int historyDrainJobs = 500;
};

struct Context
{
    bool smoke = false;
    bool celery = true;
    int repeat = 3;     ///< runs of each SQLite and baseline figure; the median is reported
    QString pgAdminUrl; ///< empty: no PostgreSQL figures
    QString pgSkipReason;
    QStringList only;
    Sizes sizes;
    QTemporaryDir dir;
    QString settingsFile;
    Report report;
    QStringList failures;

    bool wants(const QString &part) const { return only.isEmpty() || only.contains(part); }
    QString path(const QString &name) const { return dir.filePath(name); }
};

const qint64 WindowFromMs =
    QDateTime(QDate(2025, 6, 1), QTime(0, 0, 0), Qt::UTC).toMSecsSinceEpoch();
const qint64 WindowToMs =
    QDateTime(QDate(2025, 6, 1), QTime(23, 59, 59), Qt::UTC).toMSecsSinceEpoch();

void progress(const QString &line)
{
    std::fprintf(stderr, "bench: %s\n", qUtf8Printable(line));
    std::fflush(stderr);
}

QString thousands(qint64 n)
{
    return QLocale(QLocale::English).toString(n);
}

QStringList dealerIds(const QString &prefix, int count)
{
    QStringList ids;
    ids.reserve(count);
    for (int i = 1; i <= count; ++i)
        ids << QStringLiteral("%1%2").arg(prefix).arg(i, 6, 10, QLatin1Char('0'));
    return ids;
}

NewJob commonJob()
{
    NewJob job;
    job.fetchType = QStringLiteral("prospect");
    job.fromMs = WindowFromMs;
    job.toMs = WindowToMs;
    return job;
}

FetchRequest fetchRequest(const QUrl &source, const QString &dealerId)
{
    FetchRequest request;
    request.sourceUrl = source;
    request.dealerId = dealerId;
    request.fetchType = QStringLiteral("prospect");
    request.from = formatApiTime(WindowFromMs);
    request.to = formatApiTime(WindowToMs);
    return request;
}

/// Opens (and migrates) the store at `url`.
bool openStore(JobStore &store, QString *error)
{
    StoreError storeError;
    if (store.open(&storeError))
        return true;
    *error = storeError.message;
    return false;
}

bool queueJobs(const DatabaseUrl &url, const QStringList &ids, QString *error)
{
    JobStore store(url);
    if (!openStore(store, error))
        return false;
    StoreError storeError;
    const std::optional<BulkOutcome> outcome = store.addJobs(ids, commonJob(), &storeError);
    if (!outcome) {
        *error = storeError.message;
        return false;
    }
    if (outcome->jobIds.size() != ids.size()) {
        *error = QStringLiteral("queued %1 jobs of %2").arg(outcome->jobIds.size()).arg(ids.size());
        return false;
    }
    return true;
}

struct StoreTotals
{
    qint64 completed = 0;
    qint64 records = 0;
};

std::optional<StoreTotals> storeTotals(const DatabaseUrl &url, QString *error)
{
    JobStore store(url);
    if (!openStore(store, error))
        return std::nullopt;
    StoreError storeError;
    const std::optional<JobCounts> counts = store.counts(0, &storeError);
    const std::optional<qint64> records = store.recordCount(&storeError);
    if (!counts || !records) {
        *error = storeError.message;
        return std::nullopt;
    }
    return StoreTotals{counts->completed, *records};
}

/// Completes `job` with one record and the runner's two log lines, claiming the next job in
/// the same commit, as the runner does; the next job, if any.
std::optional<Job> completeAsTheRunner(JobStore &store, const Job &job, StoreError *error, bool *ok)
{
    const QVector<FetchedRecord> records{FetchedRecord(
        QStringLiteral("P-%1-000001").arg(job.dealerId), QStringLiteral("2025-06-12T09:31:00Z"),
        QByteArrayLiteral(R"({"id":"P-1","updated_at":"2025-06-12T09:31:00Z","name":"Ada"})"))};
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QVector<LogLine> log{{now, QStringLiteral("attempt 1 started on bench")},
                               {now, QStringLiteral("fetched 1 records in 1 pages")}};
    JobResult result;
    result.pages = 1;
    result.fetched = 1;
    FinishFollowUp followUp;
    followUp.claimFor = QStringLiteral("bench");
    *ok = store.completeJob(job, records, log, &result, error, &followUp).has_value();
    return *ok ? followUp.next : std::nullopt;
}

/// The queue's own cost without the network: the jobs queued at `url` claimed and completed in
/// turn, in this process, as the runner does it (one record and the runner's two log lines
/// each; one commit per job, the next job claimed in it). Jobs per second from the first claim
/// to the last commit.
std::optional<double> storeAloneRate(const DatabaseUrl &url, QString *error)
{
    JobStore store(url);
    if (!openStore(store, error))
        return std::nullopt;
    StoreError storeError;
    QElapsedTimer clock;
    clock.start();
    std::optional<Job> job = store.claimNext(QStringLiteral("bench"), &storeError);
    qint64 done = 0;
    bool ok = true;
    while (job) {
        job = completeAsTheRunner(store, *job, &storeError, &ok);
        if (!ok)
            break;
        ++done;
    }
    if (storeError.isSet()) {
        *error = storeError.message;
        return std::nullopt;
    }
    return done / (double(clock.nsecsElapsed()) / 1e9);
}

/// The dealerq binary measured: this build's, or DEALERQ_BENCH_DEALERQ's (to set two builds
/// side by side under the same conditions, e.g. before and after a change).
QString dealerqProgram()
{
    const QString other = qEnvironmentVariable("DEALERQ_BENCH_DEALERQ");
    return other.isEmpty() ? QStringLiteral(DEALERQ_PATH) : other;
}

QProcessEnvironment childEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &key : env.keys()) {
        if (key.startsWith(QLatin1String("DEALERQ_")))
            env.remove(key);
    }
    return env;
}

/// Runs the real `dealerq --headless --drain` on `db` against `source`; checks that it
/// completed `jobs` more jobs holding `records` more records than there were before.
std::optional<ProcessRun> drain(Context &ctx, const BenchDatabase &db, const QUrl &source,
                                const QString &tag, qint64 jobs, qint64 records, QString *error)
{
    const std::optional<StoreTotals> before = storeTotals(db.url(), error);
    if (!before)
        return std::nullopt;
    const ProcessRun run = runProcess(
        dealerqProgram(),
        {QStringLiteral("--headless"), QStringLiteral("--drain"), QStringLiteral("--no-api"),
         QStringLiteral("--db"), db.urlString(), QStringLiteral("--source"), source.toString(),
         QStringLiteral("--settings"), ctx.settingsFile},
        ctx.path(tag + QStringLiteral(".stderr")), 30 * 60 * 1000, childEnvironment(),
        QByteArrayLiteral(") completed"));
    if (!run.started || run.timedOut || run.exitCode != 0) {
        *error = QStringLiteral("dealerq --drain %1 (exit %2): %3")
                     .arg(run.timedOut ? QStringLiteral("timed out") : QStringLiteral("failed"))
                     .arg(run.exitCode)
                     .arg(run.errorTail.right(400));
        return std::nullopt;
    }
    const std::optional<StoreTotals> after = storeTotals(db.url(), error);
    if (!after)
        return std::nullopt;
    if (after->completed - before->completed != jobs ||
        after->records - before->records != records) {
        *error = QStringLiteral("dealerq completed %1 jobs with %2 records; expected %3 and %4")
                     .arg(after->completed - before->completed)
                     .arg(after->records - before->records)
                     .arg(jobs)
                     .arg(records);
        return std::nullopt;
    }
    return run;
}

double median(QVector<double> values)
{
    if (values.isEmpty())
        return qQNaN();
    std::sort(values.begin(), values.end());
    const qsizetype mid = values.size() / 2;
    return values.size() % 2 ? values.at(mid) : (values.at(mid - 1) + values.at(mid)) / 2;
}

/// Seconds from the start of `run` until its last job was reported completed (committed):
/// start-up included, the process's exit after it (freeing, the WAL checkpoint at close) not.
double landedSeconds(const ProcessRun &run)
{
    return run.markerSeconds > 0 ? run.markerSeconds : run.seconds;
}

/// Jobs per second once running: from the first job reported committed to the last, so
/// `jobs - 1` jobs in that time. Start-up is left out, as it is for the bare loop and the peer.
double steadyRate(const ProcessRun &run, qint64 jobs)
{
    const double seconds = run.markerSeconds - run.firstMarkerSeconds;
    return jobs > 1 && seconds > 0 ? double(jobs - 1) / seconds : qQNaN();
}

struct FetchLoop
{
    double seconds = 0;
    double firstSeconds = 0; ///< until the first reply had been read
    qsizetype count = 0;     ///< replies read
    QString error;
    QVector<QByteArray> bodies;

    /// Fetches per second once running: from the first reply read to the last.
    double steadyRate() const
    {
        return count > 1 && seconds > firstSeconds ? double(count - 1) / (seconds - firstSeconds)
                                                   : qQNaN();
    }
};

/// The bare loop: GET every URL in turn on one QNetworkAccessManager (keep-alive, as the
/// runner's), reading each body; no queue, no store, no decoding. `afterEach(i)`, if given,
/// runs once the i-th body is read, before the next GET; a message it returns ends the loop as
/// its error.
FetchLoop fetchAll(const QVector<QUrl> &urls, bool keepBodies,
                   const std::function<QString(qsizetype)> &afterEach = {})
{
    FetchLoop result;
    QNetworkAccessManager nam;
    nam.setAutoDeleteReplies(false);
    QEventLoop loop;
    int next = 0;
    QElapsedTimer clock;
    std::function<void()> fetchNext = [&] {
        if (next == urls.size() || !result.error.isEmpty()) {
            loop.quit();
            return;
        }
        QNetworkRequest request(urls.at(next++));
        request.setRawHeader("Accept", "application/json");
        QNetworkReply *reply = nam.get(request);
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&, reply] {
            QByteArray body = reply->readAll();
            if (reply->error() != QNetworkReply::NoError)
                result.error = reply->errorString();
            if (keepBodies)
                result.bodies.push_back(std::move(body));
            if (afterEach && result.error.isEmpty())
                result.error = afterEach(result.count);
            if (++result.count == 1)
                result.firstSeconds = double(clock.nsecsElapsed()) / 1e9;
            reply->deleteLater();
            fetchNext();
        });
    };
    clock.start();
    QTimer::singleShot(0, &loop, fetchNext);
    loop.exec();
    result.seconds = double(clock.nsecsElapsed()) / 1e9;
    return result;
}

/// The design's floor, measured: the bare loop over each queued job's page (`urls`, for
/// `dealers` in queue order), with the store's commit of that job after its GET (the job
/// completed and the next one claimed, as the runner does it), on one thread with nothing else:
/// no runner thread, no DealerFetch, no window, no logging. Jobs per second from the first
/// commit to the last.
std::optional<double> fetchThenCommitRate(const DatabaseUrl &url, const QVector<QUrl> &urls,
                                          const QStringList &dealers, QString *error)
{
    JobStore store(url);
    if (!openStore(store, error))
        return std::nullopt;
    StoreError storeError;
    std::optional<Job> job = store.claimNext(QStringLiteral("bench"), &storeError);
    const FetchLoop loop = fetchAll(urls, false, [&](qsizetype i) {
        if (!job || job->dealerId != dealers.at(i))
            return QStringLiteral("the store did not give dealer %1's job next").arg(dealers.at(i));
        bool ok = true;
        job = completeAsTheRunner(store, *job, &storeError, &ok);
        return ok ? QString() : storeError.message;
    });
    if (!loop.error.isEmpty()) {
        *error = loop.error;
        return std::nullopt;
    }
    return loop.steadyRate();
}

QString pythonProgram()
{
    // Debian's interpreter, where apt-get installed celery; not a pyenv shim earlier in PATH.
    if (QFileInfo::exists(QStringLiteral("/usr/bin/python3")))
        return QStringLiteral("/usr/bin/python3");
    return QStandardPaths::findExecutable(QStringLiteral("python3"));
}

/// Runs the Celery peer (tests/bench/celery_peer/run_peer.py); its one-line JSON answer.
std::optional<QJsonObject> runCelery(Context &ctx, const QUrl &source, int jobs, const QString &tag,
                                     QString *why)
{
    if (!ctx.celery) {
        *why = QStringLiteral("skipped (--no-celery)");
        return std::nullopt;
    }
    const QString python = pythonProgram();
    if (python.isEmpty() ||
        QStandardPaths::findExecutable(QStringLiteral("redis-server")).isEmpty()) {
        *why =
            QStringLiteral("python3 or redis-server missing; bash scripts/bench.sh installs them");
        return std::nullopt;
    }
    const ProcessRun check = runProcess(
        python,
        {QStringLiteral("-c"), QStringLiteral("import celery, sqlalchemy, requests, redis")},
        ctx.path(tag + QStringLiteral("-check.stderr")), 60000);
    if (check.exitCode != 0) {
        *why = QStringLiteral("python3-celery, -sqlalchemy, -requests or -redis missing; bash "
                              "scripts/bench.sh installs them");
        return std::nullopt;
    }
    const ProcessRun run =
        runProcess(python,
                   {QStringLiteral(DEALERQ_CELERY_PEER_DIR "/run_peer.py"),
                    QStringLiteral("--source"), source.toString(), QStringLiteral("--jobs"),
                    QString::number(jobs), QStringLiteral("--workdir"), ctx.path(tag)},
                   ctx.path(tag + QStringLiteral(".stderr")), 30 * 60 * 1000);
    const QList<QByteArray> lines = run.out.trimmed().split('\n');
    const QJsonObject answer = QJsonDocument::fromJson(lines.last()).object();
    if (run.exitCode != 0 || answer.isEmpty()) {
        *why = QStringLiteral("the Celery peer failed (exit %1): %2")
                   .arg(run.exitCode)
                   .arg(run.errorTail.right(400));
        return std::nullopt;
    }
    return answer;
}

void fail(Context &ctx, const QString &section, const QString &name, const QString &unit,
          const QString &why, Goal goal = Goal::None, double goalValue = 0)
{
    progress(QStringLiteral("%1: %2").arg(name, why));
    ctx.failures << QStringLiteral("%1: %2").arg(name, why);
    ctx.report.missing(section, name, unit, why, goal, goalValue);
}

std::unique_ptr<BenchDatabase> postgresDatabase(Context &ctx, QString *why)
{
    if (ctx.pgAdminUrl.isEmpty()) {
        *why = ctx.pgSkipReason;
        return nullptr;
    }
    return BenchDatabase::postgres(ctx.pgAdminUrl, why);
}

// ---------------------------------------------------------------------------------------------

void benchQueue(Context &ctx)
{
    const int n = ctx.sizes.queueJobs;
    const QString section =
        QStringLiteral("Queue overhead: %1 one-record jobs, zero-latency dealerq-sim")
            .arg(thousands(n));
    progress(section);
    SimProcess sim({QStringLiteral("--records"), QStringLiteral("1")});
    QString why;
    if (!sim.start(&why)) {
        fail(ctx, section, QStringLiteral("dealerq-sim"), {}, why);
        return;
    }
    const QStringList ids = dealerIds(QStringLiteral("D"), n);
    QVector<QUrl> urls;
    for (const QString &id : ids)
        urls << DealerFetch::pageUrl(fetchRequest(sim.baseUrl(), id), 1, ctx.sizes.pageSize);
    const QString runs = QStringLiteral("median of %1 runs").arg(ctx.repeat);

    // dealerq and the bare loop take turns, so that a change in the machine's load hits both.
    const QString sqliteName = QStringLiteral("dealerq --headless --drain, SQLite");
    const QString bareName = QStringLiteral("baseline: bare fetch loop (no queue, no store)");
    QVector<double> sqliteRates;
    QVector<double> sqliteWallRates;
    QVector<double> sqliteSteadyRates;
    QVector<double> bareRates;
    QVector<double> bareSteadyRates;
    QVector<double> storeRates;
    QVector<double> floorRates;
    for (int r = 0; r < ctx.repeat; ++r) {
        const auto db = BenchDatabase::sqlite(ctx.dir.path(), QStringLiteral("queue-%1.db").arg(r));
        std::optional<ProcessRun> run;
        if (queueJobs(db->url(), ids, &why))
            run = drain(ctx, *db, sim.baseUrl(), QStringLiteral("queue-sqlite-%1").arg(r), n, n,
                        &why);
        if (!run) {
            fail(ctx, section, sqliteName, QStringLiteral("jobs/s"), why, Goal::AtLeast, 300);
            sqliteRates.clear();
            break;
        }
        sqliteRates << n / landedSeconds(*run);
        sqliteWallRates << n / run->seconds;
        sqliteSteadyRates << steadyRate(*run, n);
        const FetchLoop bare = fetchAll(urls, false);
        if (!bare.error.isEmpty()) {
            fail(ctx, section, bareName, QStringLiteral("jobs/s"), bare.error);
            bareRates.clear();
            break;
        }
        bareRates << n / bare.seconds;
        bareSteadyRates << bare.steadyRate();
        const auto storeDb =
            BenchDatabase::sqlite(ctx.dir.path(), QStringLiteral("queue-store-%1.db").arg(r));
        std::optional<double> storeRate;
        if (queueJobs(storeDb->url(), ids, &why))
            storeRate = storeAloneRate(storeDb->url(), &why);
        if (!storeRate) {
            fail(ctx, section, QStringLiteral("the store alone"), QStringLiteral("jobs/s"), why);
            storeRates.clear();
            break;
        }
        storeRates << *storeRate;
        const auto floorDb =
            BenchDatabase::sqlite(ctx.dir.path(), QStringLiteral("queue-floor-%1.db").arg(r));
        std::optional<double> floorRate;
        if (queueJobs(floorDb->url(), ids, &why))
            floorRate = fetchThenCommitRate(floorDb->url(), urls, ids, &why);
        if (!floorRate) {
            fail(ctx, section, QStringLiteral("a bare GET, then the commit"),
                 QStringLiteral("jobs/s"), why);
            floorRates.clear();
            break;
        }
        floorRates << *floorRate;
    }
    const double sqliteRate = median(sqliteRates);
    const double sqliteSteadyRate = median(sqliteSteadyRates);
    const double bareRate = median(bareRates);
    const double bareSteadyRate = median(bareSteadyRates);
    if (!sqliteRates.isEmpty()) {
        ctx.report.add(
            section, sqliteName, sqliteRate, QStringLiteral("jobs/s"), Goal::AtLeast, 300,
            QStringLiteral("process start until the last job is committed; %1").arg(runs));
        ctx.report.add(section, QStringLiteral("  the same, process start to exit"),
                       median(sqliteWallRates), QStringLiteral("jobs/s"), runs);
        ctx.report.add(section, QStringLiteral("  the same, once running"), sqliteSteadyRate,
                       QStringLiteral("jobs/s"),
                       QStringLiteral("first job committed to the last; %1").arg(runs));
    }

    // PostgreSQL's floor is measured as SQLite's: the same bare GETs, each followed by the
    // commit the runner makes (JobStore's, on one connection), in one loop; dealerq and that
    // loop take turns too.
    const QString pgName = QStringLiteral("dealerq --headless --drain, PostgreSQL");
    QVector<double> pgRates;
    QVector<double> pgSteadyRates;
    QVector<double> pgStoreRates;
    QVector<double> pgFloorRates;
    for (int r = 0; r < ctx.repeat; ++r) {
        const auto db = postgresDatabase(ctx, &why);
        if (!db) {
            ctx.report.missing(section, pgName, QStringLiteral("jobs/s"), why);
            break;
        }
        std::optional<ProcessRun> run;
        if (queueJobs(db->url(), ids, &why))
            run = drain(ctx, *db, sim.baseUrl(), QStringLiteral("queue-pg-%1").arg(r), n, n, &why);
        if (!run) {
            fail(ctx, section, pgName, QStringLiteral("jobs/s"), why);
            pgRates.clear();
            break;
        }
        pgRates << n / landedSeconds(*run);
        pgSteadyRates << steadyRate(*run, n);
        std::optional<double> storeRate;
        if (const auto storeDb = postgresDatabase(ctx, &why);
            storeDb && queueJobs(storeDb->url(), ids, &why))
            storeRate = storeAloneRate(storeDb->url(), &why);
        std::optional<double> floorRate;
        if (const auto floorDb = postgresDatabase(ctx, &why);
            storeRate && floorDb && queueJobs(floorDb->url(), ids, &why))
            floorRate = fetchThenCommitRate(floorDb->url(), urls, ids, &why);
        if (!floorRate) {
            fail(ctx, section, QStringLiteral("PostgreSQL: a bare GET, then the commit"),
                 QStringLiteral("jobs/s"), why);
            pgRates.clear();
            break;
        }
        pgStoreRates << *storeRate;
        pgFloorRates << *floorRate;
    }
    const double pgRate = median(pgRates);
    const double pgSteadyRate = median(pgSteadyRates);
    if (!pgRates.isEmpty()) {
        // The scale issue's goal is either: 1,200 jobs/s, or 90 % of the measured floor.
        ctx.report.add(section, pgName, pgRate, QStringLiteral("jobs/s"),
                       QStringLiteral("process start until the last job is committed; goal "
                                      ">= 1,200 jobs/s or >= 90 % of the floor below; %1")
                           .arg(runs));
        ctx.report.add(section, QStringLiteral("  the same, once running"), pgSteadyRate,
                       QStringLiteral("jobs/s"),
                       QStringLiteral("first job committed to the last; %1").arg(runs));
        ctx.report.add(
            section, QStringLiteral("  PostgreSQL's store alone: claim and commit, no network"),
            median(pgStoreRates), QStringLiteral("jobs/s"),
            QStringLiteral("JobStore in this process, as the runner uses it; %1").arg(runs));
        const double pgFloor = median(pgFloorRates);
        ctx.report.add(
            section, QStringLiteral("  PostgreSQL: a bare GET, then the commit, one thread"),
            pgFloor, QStringLiteral("jobs/s"),
            QStringLiteral("the floor of fetch-then-commit on this server; %1").arg(runs));
        ctx.report.add(section, QStringLiteral("  dealerq PostgreSQL / that floor, once running"),
                       100.0 * pgSteadyRate / pgFloor, QStringLiteral("%"), Goal::AtLeast, 90);
    }

    if (!bareRates.isEmpty()) {
        ctx.report.add(section, bareName, bareRate, QStringLiteral("jobs/s"),
                       QStringLiteral("the same GETs, one after the other, on one "
                                      "QNetworkAccessManager; %1")
                           .arg(runs));
        ctx.report.add(section, QStringLiteral("  the same, once running"), bareSteadyRate,
                       QStringLiteral("jobs/s"),
                       QStringLiteral("first reply read to the last; %1").arg(runs));
    }

    double celeryRate = qQNaN();
    if (const auto celery =
            runCelery(ctx, sim.baseUrl(), n, QStringLiteral("celery-queue"), &why)) {
        celeryRate = celery->value(QLatin1String("jobs_per_s")).toDouble(qQNaN());
        ctx.report.add(section, QStringLiteral("peer: Celery solo pool + Redis -> SQLite"),
                       celeryRate, QStringLiteral("jobs/s"),
                       QStringLiteral("first task start to last task end; worker start-up "
                                      "excluded; one run"));
    } else {
        ctx.report.missing(section, QStringLiteral("peer: Celery solo pool + Redis -> SQLite"),
                           QStringLiteral("jobs/s"), why);
    }

    // The ratios compare running rates: the bare loop's and the peer's figures leave their
    // start-up out too (the peer's worker start-up, the loop's process).
    ctx.report.add(section, QStringLiteral("dealerq SQLite / bare fetch loop, once running"),
                   100.0 * sqliteSteadyRate / bareSteadyRate, QStringLiteral("%"), Goal::AtLeast,
                   50);
    ctx.report.add(section, QStringLiteral("  the same, start-up included"),
                   100.0 * sqliteRate / bareRate, QStringLiteral("%"));
    // The claim of a job is committed before its fetch starts (SPEC §1), so a job's fetch and
    // its commit come one after the other: a job takes at least a bare GET plus a commit.
    if (!storeRates.isEmpty()) {
        const double storeRate = median(storeRates);
        ctx.report.add(
            section, QStringLiteral("  the store alone: claim and commit, no network"), storeRate,
            QStringLiteral("jobs/s"),
            QStringLiteral("JobStore in this process, as the runner uses it; %1").arg(runs));
        ctx.report.add(section, QStringLiteral("  limit: a bare GET, then a commit"),
                       100.0 * storeRate / (storeRate + bareSteadyRate), QStringLiteral("%"),
                       QStringLiteral("bare loop / (bare loop + store alone), per job; the rest "
                                      "of the gap is threads handing each job on"));
    }
    if (!floorRates.isEmpty()) {
        const double floorRate = median(floorRates);
        ctx.report.add(section, QStringLiteral("  a bare GET, then the commit, one thread"),
                       floorRate, QStringLiteral("jobs/s"),
                       QStringLiteral("the two above in one loop, nothing else; %1").arg(runs));
        ctx.report.add(section, QStringLiteral("  limit, measured: that loop / bare fetch loop"),
                       100.0 * floorRate / bareSteadyRate, QStringLiteral("%"),
                       QStringLiteral("what SPEC's fetch-then-commit allows on this machine"));
    }
    ctx.report.add(section, QStringLiteral("dealerq PostgreSQL / bare fetch loop, once running"),
                   100.0 * pgSteadyRate / bareSteadyRate, QStringLiteral("%"));
    ctx.report.add(section, QStringLiteral("dealerq SQLite / Celery peer, once running"),
                   sqliteSteadyRate / celeryRate, QStringLiteral("x"), Goal::AtLeast, 2);
    ctx.report.add(section, QStringLiteral("dealerq PostgreSQL / Celery peer, once running"),
                   pgSteadyRate / celeryRate, QStringLiteral("x"));
}

#ifdef DEALERQ_BENCH_HAVE_SQLITE3
/// The bare ingest loop: the same rows into the same table (a store's fresh `records`) through
/// the sqlite3 C API, one prepared INSERT, one transaction, same pragmas as the store. Returns
/// the seconds from BEGIN to COMMIT.
std::optional<double> bareSqliteInsert(const QString &file, const QString &dealerId,
                                       const QVector<FetchedRecord> &records, QString *error)
{
    struct Row
    {
        QByteArray id;
        QByteArray updatedAt;
        QByteArray payload;
    };
    QVector<Row> rows;
    rows.reserve(records.size());
    for (const FetchedRecord &record : records)
        rows.push_back(
            {record.id().toUtf8(), record.updatedAt().toUtf8(), record.payload().toByteArray()});
    const QByteArray dealer = dealerId.toUtf8();

    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(QFile::encodeName(file).constData(), &db, SQLITE_OPEN_READWRITE, nullptr) !=
        SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(db));
        sqlite3_close(db);
        return std::nullopt;
    }
    const auto check = [&](int rc, int ok) {
        if (rc == ok)
            return true;
        *error = QString::fromUtf8(sqlite3_errmsg(db));
        return false;
    };
    sqlite3_stmt *insert = nullptr;
    QElapsedTimer clock;
    bool ok = check(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", nullptr,
                                 nullptr, nullptr),
                    SQLITE_OK);
    if (ok) {
        clock.start();
        ok = check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK) &&
             check(sqlite3_prepare_v2(db,
                                      "INSERT INTO records (dealer_id, fetch_type, record_id, "
                                      "payload, updated_at, job_id) VALUES (?, ?, ?, ?, ?, ?)",
                                      -1, &insert, nullptr),
                   SQLITE_OK);
    }
    for (qsizetype i = 0; ok && i < rows.size(); ++i) {
        const Row &row = rows.at(i);
        sqlite3_bind_text(insert, 1, dealer.constData(), int(dealer.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert, 2, "prospect", 8, SQLITE_STATIC);
        sqlite3_bind_text(insert, 3, row.id.constData(), int(row.id.size()), SQLITE_STATIC);
        sqlite3_bind_text(insert, 4, row.payload.constData(), int(row.payload.size()),
                          SQLITE_STATIC);
        sqlite3_bind_text(insert, 5, row.updatedAt.constData(), int(row.updatedAt.size()),
                          SQLITE_STATIC);
        sqlite3_bind_int64(insert, 6, 1);
        ok = check(sqlite3_step(insert), SQLITE_DONE);
        sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    ok = ok && check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), SQLITE_OK);
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    sqlite3_close(db);
    if (!ok)
        return std::nullopt;
    return seconds;
}
#endif

/// The bare PostgreSQL ingest: the same rows into the same table (a store's fresh `records`) by
/// one COPY through libpq, in text format, one transaction. Returns the seconds from BEGIN to
/// COMMIT.
std::optional<double> barePostgresCopy(const QString &url, const QString &dealerId,
                                       const QVector<FetchedRecord> &records, QString *error)
{
    // The rows as COPY text first, as a loader holding its input would have them.
    QByteArray rows;
    const auto field = [&rows](QByteArrayView text) { appendCopyField(&rows, text); };
    const QByteArray dealer = dealerId.toUtf8();
    for (const FetchedRecord &record : records) {
        field(dealer);
        rows.append("\tprospect\t");
        field(record.idUtf8());
        rows.append('\t');
        field(record.payload());
        rows.append('\t');
        field(record.updatedAtUtf8());
        rows.append("\t1\n");
    }
    PGconn *conn = PQconnectdb(url.toUtf8().constData());
    const auto fail = [&]() -> std::optional<double> {
        *error = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
        PQfinish(conn);
        return std::nullopt;
    };
    if (PQstatus(conn) != CONNECTION_OK)
        return fail();
    const auto run = [&](const char *sql, ExecStatusType expected) {
        PGresult *result = PQexec(conn, sql);
        const bool ok = PQresultStatus(result) == expected;
        PQclear(result);
        return ok;
    };
    QElapsedTimer clock;
    clock.start();
    if (!run("BEGIN", PGRES_COMMAND_OK) ||
        !run("COPY records (dealer_id, fetch_type, record_id, payload, updated_at, job_id) FROM "
             "STDIN",
             PGRES_COPY_IN))
        return fail();
    for (qsizetype at = 0; at < rows.size(); at += 1 << 20) {
        const int size = int(std::min<qsizetype>(1 << 20, rows.size() - at));
        if (PQputCopyData(conn, rows.constData() + at, size) != 1)
            return fail();
    }
    if (PQputCopyEnd(conn, nullptr) != 1)
        return fail();
    bool copied = true;
    while (PGresult *result = PQgetResult(conn)) {
        copied = copied && PQresultStatus(result) == PGRES_COMMAND_OK;
        PQclear(result);
    }
    if (!copied || !run("COMMIT", PGRES_COMMAND_OK))
        return fail();
    const double seconds = double(clock.nsecsElapsed()) / 1e9;
    PQfinish(conn);
    return seconds;
}

void benchIngest(Context &ctx)
{
    const int n = ctx.sizes.ingestRecords;
    const int pageSize = ctx.sizes.pageSize;
    const QString section = QStringLiteral("Ingest: one job of %1 records in pages of %2")
                                .arg(thousands(n))
                                .arg(pageSize);
    progress(section);
    SimProcess sim({QStringLiteral("--records"), QString::number(n), QStringLiteral("--page-size"),
                    QString::number(pageSize)});
    QString why;
    if (!sim.start(&why)) {
        fail(ctx, section, QStringLiteral("dealerq-sim"), {}, why);
        return;
    }
    const QString dealer = QStringLiteral("12284");

    const QString runs = QStringLiteral("median of %1 runs").arg(ctx.repeat);
    const QString sqliteName = QStringLiteral("dealerq --headless --drain, SQLite");
    QVector<double> sqliteRates;
    QVector<double> sqliteWallRates;
    qint64 peakKb = 0;
    for (int r = 0; r < ctx.repeat; ++r) {
        const auto db =
            BenchDatabase::sqlite(ctx.dir.path(), QStringLiteral("ingest-%1.db").arg(r));
        std::optional<ProcessRun> run;
        if (queueJobs(db->url(), {dealer}, &why))
            run = drain(ctx, *db, sim.baseUrl(), QStringLiteral("ingest-sqlite-%1").arg(r), 1, n,
                        &why);
        if (!run) {
            fail(ctx, section, sqliteName, QStringLiteral("records/s"), why, Goal::AtLeast, 150000);
            sqliteRates.clear();
            break;
        }
        sqliteRates << n / landedSeconds(*run);
        sqliteWallRates << n / run->seconds;
        peakKb = std::max(peakKb, run->peakRssKb);
    }
    const double sqliteRate = median(sqliteRates);
    if (!sqliteRates.isEmpty()) {
        ctx.report.add(section, sqliteName, sqliteRate, QStringLiteral("records/s"), Goal::AtLeast,
                       150000,
                       QStringLiteral("end to end: process start, claim, fetch, decode, upsert, "
                                      "until the commit; %1")
                           .arg(runs));
        ctx.report.add(section, QStringLiteral("  the same, process start to exit"),
                       median(sqliteWallRates), QStringLiteral("records/s"), runs);
        ctx.report.add(section, QStringLiteral("  peak memory of that dealerq (VmHWM)"),
                       peakKb / 1024.0, QStringLiteral("MB"));
    }

    // The same job from an API of another shape (SPEC §11): cursor paging, read through a source
    // profile by the general reader instead of the one-pass one.
    {
        const QString profileName =
            QStringLiteral("  the same through a cursor-paged source profile");
        SimProcess cursorSim({QStringLiteral("--records"), QString::number(n),
                              QStringLiteral("--page-size"), QString::number(pageSize),
                              QStringLiteral("--paging"), QStringLiteral("cursor")});
        QFile profile(ctx.path(QStringLiteral("profile.ini")));
        const bool ready =
            cursorSim.start(&why) && profile.open(QIODevice::WriteOnly) &&
            profile.write("[profile]\npaging=cursor\nnext_cursor=/paging/next\n") > 0;
        profile.close();
        const QString plainSettings = std::exchange(ctx.settingsFile, profile.fileName());
        QVector<double> rates;
        for (int r = 0; ready && r < ctx.repeat; ++r) {
            const auto db =
                BenchDatabase::sqlite(ctx.dir.path(), QStringLiteral("ingest-cursor-%1.db").arg(r));
            std::optional<ProcessRun> run;
            if (queueJobs(db->url(), {dealer}, &why))
                run = drain(ctx, *db, cursorSim.baseUrl(),
                            QStringLiteral("ingest-cursor-%1").arg(r), 1, n, &why);
            if (!run) {
                rates.clear();
                break;
            }
            rates << n / landedSeconds(*run);
        }
        ctx.settingsFile = plainSettings;
        if (rates.isEmpty())
            fail(ctx, section, profileName, QStringLiteral("records/s"),
                 ready ? why
                       : QStringLiteral("cannot start the cursor-paged simulator: %1").arg(why));
        else
            ctx.report.add(
                section, profileName, median(rates), QStringLiteral("records/s"),
                QStringLiteral("QJsonDocument and a scan for each item's bytes; %1").arg(runs));
    }

    double pgRate = qQNaN();
    if (const auto db = postgresDatabase(ctx, &why)) {
        std::optional<ProcessRun> run;
        if (queueJobs(db->url(), {dealer}, &why))
            run = drain(ctx, *db, sim.baseUrl(), QStringLiteral("ingest-pg"), 1, n, &why);
        if (run) {
            pgRate = n / landedSeconds(*run);
            ctx.report.add(section, QStringLiteral("dealerq --headless --drain, PostgreSQL"),
                           pgRate, QStringLiteral("records/s"));
        } else {
            fail(ctx, section, QStringLiteral("dealerq --headless --drain, PostgreSQL"),
                 QStringLiteral("records/s"), why);
        }
    } else {
        ctx.report.missing(section, QStringLiteral("dealerq --headless --drain, PostgreSQL"),
                           QStringLiteral("records/s"), why);
    }

    double bareRate = qQNaN();
    double bareFetchRate = qQNaN();
    const QString bareName = QStringLiteral("baseline: bare sqlite3 C API insert loop");
#ifdef DEALERQ_BENCH_HAVE_SQLITE3
    {
        QVector<QUrl> urls;
        for (int page = 1; (page - 1) * pageSize < n; ++page)
            urls << DealerFetch::pageUrl(fetchRequest(sim.baseUrl(), dealer), page, pageSize);
        QVector<double> fetchRates;
        QVector<double> insertRates;
        QVector<FetchedRecord> records;
        for (int r = 0; r < ctx.repeat; ++r) {
            // Every round keeps its pages, as a job keeps its own until its commit (SPEC §1).
            const FetchLoop pages = fetchAll(urls, true);
            if (!pages.error.isEmpty()) {
                fail(ctx, section, bareName, QStringLiteral("records/s"), pages.error);
                insertRates.clear();
                break;
            }
            fetchRates << n / pages.seconds;
            for (const QByteArray &body : r == 0 ? pages.bodies : QVector<QByteArray>()) {
                DecodedPage page;
                if (!decodePage(body, &page, &why))
                    break;
                records += page.items;
            }
            const auto db =
                BenchDatabase::sqlite(ctx.dir.path(), QStringLiteral("bare-%1.db").arg(r));
            {
                JobStore store(db->url()); // the same schema, so the same table and key
                openStore(store, &why);
            }
            std::optional<double> seconds;
            if (records.size() != n)
                why = QStringLiteral("fetched %1 records of %2").arg(records.size()).arg(n);
            else
                seconds = bareSqliteInsert(db->url().path, dealer, records, &why);
            if (!seconds) {
                fail(ctx, section, bareName, QStringLiteral("records/s"), why);
                insertRates.clear();
                break;
            }
            insertRates << n / *seconds;
        }
        bareFetchRate = median(fetchRates);
        if (!fetchRates.isEmpty())
            ctx.report.add(section,
                           QStringLiteral("  the fetch alone: bare loop over the same %1 pages")
                               .arg(urls.size()),
                           median(fetchRates), QStringLiteral("records/s"),
                           QStringLiteral("GETs only, no decoding: the network and simulator's "
                                          "share of the time; %1")
                               .arg(runs));
        if (!insertRates.isEmpty()) {
            bareRate = median(insertRates);
            ctx.report.add(section, bareName, bareRate, QStringLiteral("records/s"),
                           QStringLiteral("the same rows into the same table, one prepared "
                                          "INSERT, one transaction; insert time only; %1")
                               .arg(runs));
        }
        // PostgreSQL's own: the same rows by one COPY into a fresh store's table.
        const QString copyName = QStringLiteral("baseline: bare COPY into PostgreSQL");
        if (const auto db = records.size() == n ? postgresDatabase(ctx, &why) : nullptr) {
            std::optional<double> seconds;
            {
                JobStore store(db->url());
                if (openStore(store, &why))
                    seconds = barePostgresCopy(db->urlString(), dealer, records, &why);
            }
            if (seconds) {
                const double copyRate = n / *seconds;
                ctx.report.add(section, copyName, copyRate, QStringLiteral("records/s"),
                               QStringLiteral("the same rows into the same table, text format, "
                                              "one transaction; COPY time only"));
                ctx.report.add(section, QStringLiteral("dealerq PostgreSQL / bare COPY"),
                               100.0 * pgRate / copyRate, QStringLiteral("%"), Goal::AtLeast, 50);
            } else {
                fail(ctx, section, copyName, QStringLiteral("records/s"), why);
            }
        }
    }
#else
    ctx.report.missing(section, bareName, QStringLiteral("records/s"),
                       QStringLiteral("not built: libsqlite3-dev missing"));
#endif

    double celeryRate = qQNaN();
    if (const auto celery =
            runCelery(ctx, sim.baseUrl(), 1, QStringLiteral("celery-ingest"), &why)) {
        celeryRate = celery->value(QLatin1String("records_per_s")).toDouble(qQNaN());
        ctx.report.add(section, QStringLiteral("peer: Celery solo pool + Redis -> SQLite"),
                       celeryRate, QStringLiteral("records/s"),
                       QStringLiteral("task start to end; worker start-up excluded"));
    } else {
        ctx.report.missing(section, QStringLiteral("peer: Celery solo pool + Redis -> SQLite"),
                           QStringLiteral("records/s"), why);
    }

    ctx.report.add(section, QStringLiteral("dealerq SQLite / bare insert loop"),
                   100.0 * sqliteRate / bareRate, QStringLiteral("%"), Goal::AtLeast, 60);
    // A job's records go into `records` once all of its pages are in (SPEC §1: one transaction,
    // none of the shared database open while it waits on the network): only their staging
    // overlaps the fetch, so the upsert still follows it.
    ctx.report.add(section, QStringLiteral("  limit: the bare fetch, then the bare insert"),
                   100.0 * bareFetchRate / (bareFetchRate + bareRate), QStringLiteral("%"),
                   QStringLiteral("insert / (fetch + insert), no decoding and no start-up "
                                  "counted"));
    ctx.report.add(section, QStringLiteral("dealerq SQLite / Celery peer"), sqliteRate / celeryRate,
                   QStringLiteral("x"));
    ctx.report.add(section, QStringLiteral("dealerq PostgreSQL / Celery peer"), pgRate / celeryRate,
                   QStringLiteral("x"));
}

/// Fills `url`'s store with `count` finished jobs (one in ten failed) and two log lines each,
/// as months of use would leave it.
bool seedHistory(const DatabaseUrl &url, int count, QString *error)
{
    JobStore store(url);
    if (!openStore(store, error))
        return false;
    Database &db = store.database();
    const qint64 base = WindowFromMs;
    const QString jobs =
        QStringLiteral(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %1) "
            "INSERT INTO jobs (dealer_id, fetch_type, from_ms, to_ms, status, priority, position, "
            "created_ms, started_ms, finished_ms, attempts, pages, fetched, inserted, updated, "
            "unchanged, error_message, error_category) "
            "SELECT 'H' || i, 'prospect', %2, %3, "
            "CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'completed' END, 0, i, "
            "%4 + i * 1000, %4 + i * 1000 + 20, %4 + i * 1000 + 480, 1, "
            "CASE WHEN i % 10 = 0 THEN NULL ELSE 1 END, CASE WHEN i % 10 = 0 THEN NULL ELSE 25 "
            "END, "
            "CASE WHEN i % 10 = 0 THEN NULL ELSE 20 END, CASE WHEN i % 10 = 0 THEN NULL ELSE 5 "
            "END, "
            "CASE WHEN i % 10 = 0 THEN NULL ELSE 0 END, "
            "CASE WHEN i % 10 = 0 THEN 'dealer API answered 500 Internal Server Error for page 1 "
            "of dealer H' || i || ' after 5 tries - the dealer API is failing; retry the job "
            "later' "
            "END, CASE WHEN i % 10 = 0 THEN 'http' END FROM n")
            .arg(count)
            .arg(WindowFromMs)
            .arg(WindowToMs)
            .arg(base);
    const QString logs = QStringLiteral(
        "INSERT INTO job_logs (job_id, at_ms, message) "
        "SELECT id, started_ms, 'attempt 1 started on bench pid 1' FROM jobs "
        "UNION ALL SELECT id, finished_ms, 'fetched 25 records in 1 pages' FROM jobs");
    WriteTransaction tx(db);
    QString why;
    if (!tx.begin(&why) || !db.exec(jobs, &why) || !db.exec(logs, &why) || !tx.commit(&why)) {
        *error = QStringLiteral("seeding the history: %1").arg(why);
        return false;
    }
    return true;
}

/// Times `measure` (milliseconds; nothing on failure, with *why set) ctx.repeat times and
/// reports the median as `name`.
void timed(Context &ctx, const QString &section, const QString &name, Goal goal, double goalValue,
           const QString &note, const std::function<std::optional<double>(int, QString *)> &measure)
{
    QVector<double> values;
    QString why;
    for (int r = 0; r < ctx.repeat; ++r) {
        const std::optional<double> ms = measure(r, &why);
        if (!ms) {
            fail(ctx, section, name, QStringLiteral("ms"), why, goal, goalValue);
            return;
        }
        values << *ms;
    }
    ctx.report.add(section, name, median(values), QStringLiteral("ms"), goal, goalValue,
                   QStringLiteral("%1%2median of %3 runs")
                       .arg(note, note.isEmpty() ? QString() : QStringLiteral("; "))
                       .arg(ctx.repeat));
}

/// JobStore::addJobs of ctx.sizes.bulkIds new IDs into the fresh, migrated store `url`.
std::optional<double> bulkAdd(Context &ctx, const DatabaseUrl &url, QString *why)
{
    const int n = ctx.sizes.bulkIds;
    JobStore store(url);
    if (!openStore(store, why))
        return std::nullopt;
    const QStringList ids = dealerIds(QStringLiteral("K"), n);
    StoreError error;
    QElapsedTimer clock;
    clock.start();
    const std::optional<BulkOutcome> outcome = store.addJobs(ids, commonJob(), &error);
    const double ms = double(clock.nsecsElapsed()) / 1e6;
    if (!outcome || outcome->jobIds.size() != n) {
        *why = outcome ? QStringLiteral("queued %1").arg(outcome->jobIds.size()) : error.message;
        return std::nullopt;
    }
    return ms;
}

void benchOperations(Context &ctx)
{
    const QString section = QStringLiteral("Operations");
    progress(section);
    QString why;
    const QString bulk = thousands(ctx.sizes.bulkIds);

    timed(ctx, section, QStringLiteral("bulk add of %1 IDs, JobStore::addJobs, SQLite").arg(bulk),
          Goal::AtMost, 200, {}, [&](int r, QString *error) {
              const auto db =
                  BenchDatabase::sqlite(ctx.dir.path(), QStringLiteral("bulk-%1.db").arg(r));
              return bulkAdd(ctx, db->url(), error);
          });
    if (ctx.pgAdminUrl.isEmpty())
        ctx.report.missing(
            section, QStringLiteral("bulk add of %1 IDs, JobStore::addJobs, PostgreSQL").arg(bulk),
            QStringLiteral("ms"), ctx.pgSkipReason);
    else
        timed(ctx, section,
              QStringLiteral("bulk add of %1 IDs, JobStore::addJobs, PostgreSQL").arg(bulk),
              Goal::None, 0, {}, [&](int, QString *error) -> std::optional<double> {
                  const auto db = BenchDatabase::postgres(ctx.pgAdminUrl, error);
                  if (!db)
                      return std::nullopt;
                  return bulkAdd(ctx, db->url(), error);
              });

    // The same through the command line, as an operator does it: process start included.
    QFile ids(ctx.path(QStringLiteral("ids.txt")));
    ids.open(QIODevice::WriteOnly);
    ids.write(dealerIds(QStringLiteral("C"), ctx.sizes.bulkIds).join('\n').toUtf8());
    ids.close();
    timed(ctx, section, QStringLiteral("bulk add of %1 IDs, dealerq --bulk-file, SQLite").arg(bulk),
          Goal::None, 0, QStringLiteral("wall time of the process"),
          [&](int r, QString *error) -> std::optional<double> {
              const auto db =
                  BenchDatabase::sqlite(ctx.dir.path(), QStringLiteral("bulkcli-%1.db").arg(r));
              {
                  JobStore store(db->url()); // migrated beforehand: the timed run only queues
                  if (!openStore(store, error))
                      return std::nullopt;
              }
              const ProcessRun run = runProcess(
                  dealerqProgram(),
                  {QStringLiteral("--db"), db->urlString(), QStringLiteral("--bulk-file"),
                   ids.fileName(), QStringLiteral("--settings"), ctx.settingsFile},
                  ctx.path(QStringLiteral("bulkcli.stderr")), 120000, childEnvironment());
              if (run.exitCode != 0) {
                  *error = run.errorTail.right(300);
                  return std::nullopt;
              }
              return run.seconds * 1000;
          });

    const int history = ctx.sizes.historyJobs;
    const auto db = BenchDatabase::sqlite(ctx.dir.path(), QStringLiteral("history.db"));
    const QString csvName =
        QStringLiteral("CSV export of %1 jobs, Csv::exportJobsToFile").arg(thousands(history));
    if (!seedHistory(db->url(), history, &why)) {
        fail(ctx, section, csvName, QStringLiteral("ms"), why, Goal::AtMost, 1000);
        return;
    }
    // Each export of the whole history, timed alone; `write` returns the jobs written or -1.
    const auto timeExport = [&](const QString &name, double goalMs, const QString &file,
                                qint64 (*write)(JobStore &, const QString &, QString *,
                                                const std::function<bool(qint64)> &)) {
        timed(ctx, section, name, Goal::AtMost, goalMs, {},
              [&](int, QString *error) -> std::optional<double> {
                  JobStore store(db->url());
                  if (!openStore(store, error))
                      return std::nullopt;
                  QElapsedTimer clock;
                  clock.start();
                  const qint64 written = write(store, ctx.path(file), error, {});
                  const double ms = double(clock.nsecsElapsed()) / 1e6;
                  if (written != history) {
                      if (written >= 0)
                          *error = QStringLiteral("wrote %1 jobs").arg(written);
                      return std::nullopt;
                  }
                  return ms;
              });
    };
    timeExport(csvName, 1000, QStringLiteral("jobs.csv"), &Csv::exportJobsToFile);
    timeExport(
        QStringLiteral("xlsx export of %1 jobs, Xlsx::exportJobsToFile").arg(thousands(history)),
        3000, QStringLiteral("jobs.xlsx"), &Xlsx::exportJobsToFile);
    timed(ctx, section,
          QStringLiteral("CSV export of %1 jobs, dealerq --export-csv").arg(thousands(history)),
          Goal::None, 0, QStringLiteral("wall time of the process"),
          [&](int, QString *error) -> std::optional<double> {
              const ProcessRun run = runProcess(
                  dealerqProgram(),
                  {QStringLiteral("--db"), db->urlString(), QStringLiteral("--export-csv"),
                   ctx.path(QStringLiteral("jobs-cli.csv")), QStringLiteral("--settings"),
                   ctx.settingsFile},
                  ctx.path(QStringLiteral("csvcli.stderr")), 120000, childEnvironment());
              if (run.exitCode != 0) {
                  *error = run.errorTail.right(300);
                  return std::nullopt;
              }
              return run.seconds * 1000;
          });

    const int drainJobs = ctx.sizes.historyDrainJobs;
    const QString memName =
        QStringLiteral("peak memory, headless drain of %1 jobs with %2 in the history")
            .arg(drainJobs)
            .arg(thousands(history));
    SimProcess sim({QStringLiteral("--records"), QStringLiteral("25")});
    if (!sim.start(&why) ||
        !queueJobs(db->url(), dealerIds(QStringLiteral("M"), drainJobs), &why)) {
        fail(ctx, section, memName, QStringLiteral("MB"), why, Goal::AtMost, 100);
        return;
    }
    const std::optional<ProcessRun> run = drain(ctx, *db, sim.baseUrl(), QStringLiteral("memory"),
                                                drainJobs, qint64(drainJobs) * 25, &why);
    if (run)
        ctx.report.add(section, memName, run->peakRssKb / 1024.0, QStringLiteral("MB"),
                       Goal::AtMost, 100, QStringLiteral("VmHWM of the dealerq process"));
    else
        fail(ctx, section, memName, QStringLiteral("MB"), why, Goal::AtMost, 100);
}

/// Runs bench_window or bench_api (written and built by their owners) and takes the figures
/// they print, one a line: `name   value unit (goal <= N unit) ...`, a figure without a goal
/// as `name   value unit (...)`.
void benchExternal(Context &ctx, const QString &executable, const QString &section)
{
    progress(section);
    // Built beside this executable (tests/bench/CMakeLists.txt) or in tests/ by its owner.
    const QDir here(QCoreApplication::applicationDirPath());
    QString program = here.filePath(executable);
    if (!QFileInfo(program).isExecutable())
        program = here.filePath(QStringLiteral("../") + executable);
    if (ctx.smoke) {
        ctx.report.missing(section, executable, {}, QStringLiteral("skipped (--smoke)"));
        return;
    }
    if (!QFileInfo(program).isExecutable()) {
        ctx.report.missing(section, executable, {}, QStringLiteral("not built"));
        return;
    }
    QProcessEnvironment env = childEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    // Their goals are for the default store, SQLite: no DEALERQ_TEST_PG here.
    const ProcessRun run = runProcess(program, {}, ctx.path(executable + QStringLiteral(".stderr")),
                                      30 * 60 * 1000, env);
    static const QRegularExpression line(
        QStringLiteral(R"(^(\S.*?)\s+(-?\d+(?:\.\d+)?)\s+(\S+)\s+\((.*)\)\s*(\S*)\s*$)"));
    static const QRegularExpression goal(QStringLiteral(R"(goal\s*(<=|>=)\s*(\d+(?:\.\d+)?))"));
    int found = 0;
    for (const QByteArray &text : run.out.split('\n')) {
        const QRegularExpressionMatch m = line.match(QString::fromUtf8(text));
        if (!m.hasMatch())
            continue;
        const QRegularExpressionMatch g = goal.match(m.captured(4));
        const Goal kind = !g.hasMatch()                          ? Goal::None
                          : g.captured(1) == QLatin1String(">=") ? Goal::AtLeast
                                                                 : Goal::AtMost;
        ctx.report.add(section, m.captured(1).trimmed(), m.captured(2).toDouble(), m.captured(3),
                       kind, g.hasMatch() ? g.captured(2).toDouble() : 0, m.captured(4));
        ++found;
    }
    if (run.exitCode != 0 || found == 0)
        fail(ctx, section, executable, {},
             QStringLiteral("ran (exit %1) but printed no figure: %2")
                 .arg(run.exitCode)
                 .arg(QString::fromUtf8(run.out.right(300)) + run.errorTail.right(300)));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("dealerq's benchmarks (docs/performance.md)"));
    parser.addHelpOption();
    const QCommandLineOption smoke(QStringLiteral("smoke"),
                                   QStringLiteral("Tiny sizes, SQLite only: checks that every "
                                                  "benchmark runs and yields numbers."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Write the figures as JSON to FILE."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption pg(QStringLiteral("pg"),
                                QStringLiteral("Admin URL of a PostgreSQL server to measure "
                                               "(default: env DEALERQ_TEST_PG or the ctest "
                                               "fixture's DEALERQ_TEST_PG_STATE)."),
                                QStringLiteral("URL"));
    const QCommandLineOption noPg(QStringLiteral("no-pg"), QStringLiteral("No PostgreSQL."));
    const QCommandLineOption noCelery(QStringLiteral("no-celery"),
                                      QStringLiteral("Do not run the Celery peer."));
    const QCommandLineOption only(QStringLiteral("only"),
                                  QStringLiteral("Run only these parts: queue, ingest, ops, "
                                                 "window, api (comma-separated)."),
                                  QStringLiteral("PARTS"));
    const QCommandLineOption keep(QStringLiteral("keep"),
                                  QStringLiteral("Keep the temporary folder (databases, logs) "
                                                 "for profiling, and print where it is."));
    const QCommandLineOption repeat(QStringLiteral("repeat"),
                                    QStringLiteral("Runs of each SQLite and baseline figure, the "
                                                   "median reported (default 3; 1 with --smoke)."),
                                    QStringLiteral("N"));
    parser.addOptions({smoke, json, pg, noPg, noCelery, only, keep, repeat});
    parser.process(app);

    Context ctx;
    ctx.smoke = parser.isSet(smoke);
    ctx.celery = !parser.isSet(noCelery) && !ctx.smoke;
    ctx.only = parser.value(only).split(QLatin1Char(','), Qt::SkipEmptyParts);
    ctx.repeat =
        parser.isSet(repeat) ? std::max(1, parser.value(repeat).toInt()) : (ctx.smoke ? 1 : 3);
    if (ctx.smoke) {
        ctx.sizes.queueJobs = 20;
        ctx.sizes.ingestRecords = 2000;
        ctx.sizes.bulkIds = 200;
        ctx.sizes.historyJobs = 1000;
        ctx.sizes.historyDrainJobs = 10;
    }
    if (parser.isSet(noPg) || ctx.smoke) {
        ctx.pgSkipReason = QStringLiteral("skipped (%1)").arg(ctx.smoke ? "--smoke" : "--no-pg");
    } else {
        QString why;
        ctx.pgAdminUrl = parser.isSet(pg) ? parser.value(pg) : postgresAdminUrl(&why);
        if (ctx.pgAdminUrl.isEmpty())
            ctx.pgSkipReason = why.isEmpty() ? QStringLiteral("no PostgreSQL server given "
                                                              "(--pg or DEALERQ_TEST_PG)")
                                             : why;
    }
    if (!ctx.dir.isValid()) {
        progress(QStringLiteral("cannot create a temporary folder"));
        return 2;
    }
    ctx.settingsFile = ctx.path(QStringLiteral("settings.ini"));
    if (parser.isSet(keep)) {
        ctx.dir.setAutoRemove(false);
        progress(QStringLiteral("keeping %1").arg(ctx.dir.path()));
    }

    const QJsonObject machineBefore = machineInfo();
    QElapsedTimer clock;
    clock.start();
    if (ctx.wants(QStringLiteral("queue")))
        benchQueue(ctx);
    if (ctx.wants(QStringLiteral("ingest")))
        benchIngest(ctx);
    if (ctx.wants(QStringLiteral("ops")))
        benchOperations(ctx);
    if (ctx.wants(QStringLiteral("window")))
        benchExternal(ctx, QStringLiteral("bench_window"),
                      QStringLiteral("Window: 100,000-job history (bench_window)"));
    if (ctx.wants(QStringLiteral("api")))
        benchExternal(ctx, QStringLiteral("bench_api"), QStringLiteral("REST API (bench_api)"));

    if (ctx.smoke)
        ctx.report.dropGoals();
    QJsonObject machine = machineBefore;
    machine.insert(QStringLiteral("load_average_before"),
                   machineBefore.value(QLatin1String("load_average")));
    machine.insert(QStringLiteral("load_average_after"),
                   machineInfo().value(QLatin1String("load_average")));
    machine.remove(QStringLiteral("load_average"));
    machine.insert(QStringLiteral("seconds"), clock.elapsed() / 1000.0);
    machine.insert(QStringLiteral("smoke"), ctx.smoke);
    machine.insert(QStringLiteral("when"),
                   QDateTime::currentDateTime().toString(Qt::ISODateWithMs));

    std::printf("dealerq benchmarks%s — %d cores, %s, %lld MB; load average %s before, %s after\n",
                ctx.smoke ? " (smoke: tiny sizes, figures meaningless)" : "",
                machine.value(QLatin1String("nproc")).toInt(),
                qUtf8Printable(machine.value(QLatin1String("cpu")).toString()),
                qint64(machine.value(QLatin1String("memory_mb")).toDouble()),
                qUtf8Printable(machine.value(QLatin1String("load_average_before")).toString()),
                qUtf8Printable(machine.value(QLatin1String("load_average_after")).toString()));
    std::printf("%s", qUtf8Printable(ctx.report.table()));
    if (!ctx.smoke)
        std::printf("\n%d goal(s) missed\n", ctx.report.missedGoals());
    std::fflush(stdout);

    if (parser.isSet(json)) {
        QFile out(parser.value(json));
        if (!out.open(QIODevice::WriteOnly) ||
            out.write(QJsonDocument(ctx.report.toJson(machine)).toJson()) < 0) {
            progress(QStringLiteral("cannot write %1").arg(out.fileName()));
            return 1;
        }
    }
    if (!ctx.failures.isEmpty()) {
        progress(QStringLiteral("%1 benchmark(s) failed to run:").arg(ctx.failures.size()));
        for (const QString &failure : ctx.failures)
            progress(QStringLiteral("  ") + failure);
        return 1;
    }
    return 0;
}
