// One big job (`bench_bigjob --records N`, default 2,000,000 in pages of 500 from a zero-latency
// dealerq-sim), run by the real `dealerq --headless --drain`: the peak memory of that process,
// its records per second, and how long an operator's add and cancel take (through the named queue
// operations, on a connection of their own) while the job downloads and while it commits. On
// SQLite, or on PostgreSQL with DEALERQ_TEST_PG or DEALERQ_TEST_PG_STATE (TestDatabase). The
// dealerq measured is this build's, or DEALERQ_BENCH_DEALERQ's.

#include "benchsupport.h"
#include "queue/queueoperations.h"
#include "simprocess.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <algorithm>
#include <cstdio>
#include <vector>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

namespace {

struct Waits
{
    std::vector<double> ms;
    int refused = 0;

    QString summary() const
    {
        if (ms.empty())
            return QStringLiteral("none made");
        return QStringLiteral("%1 refused; %2").arg(refused).arg(percentiles(ms));
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    int exitCode = 0;
    if (!benchArgumentsUnderstood(
            args, {}, {QStringLiteral("--records")},
            "usage: bench_bigjob [--records N]\n"
            "  PostgreSQL when DEALERQ_TEST_PG or DEALERQ_TEST_PG_STATE names "
            "a server, else SQLite\n",
            &exitCode))
        return exitCode;
    const std::optional<qint64> recordsArgument =
        benchNumberArgument(args, QStringLiteral("--records"), 1, 1000000000, 2000000, &exitCode);
    if (!recordsArgument)
        return exitCode;
    const qint64 records = *recordsArgument;
    constexpr int PageSize = 500;

    TestDatabase db;
    if (!db.isValid()) {
        std::fprintf(stderr, "%s\n", qPrintable(db.errorString()));
        return 1;
    }
    const char *backend = db.isPostgres() ? "PostgreSQL" : "SQLite";
    JobStore store(db.url());
    StoreError error;
    if (!store.open(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error.message));
        return 1;
    }
    SimProcess sim({QStringLiteral("--records"), QString::number(records),
                    QStringLiteral("--page-size"), QString::number(PageSize)});
    QString why;
    if (!sim.start(&why)) {
        std::fprintf(stderr, "dealerq-sim: %s\n", qPrintable(why));
        return 1;
    }
    const QString settings = db.dir() + QStringLiteral("/settings.ini");
    {
        QFile file(settings);
        if (!file.open(QIODevice::WriteOnly) ||
            file.write(QStringLiteral("[fetch]\npage_size=%1\nmax_pages=100000\n")
                           .arg(PageSize)
                           .toUtf8()) <= 0) {
            std::fprintf(stderr, "cannot write %s\n", qPrintable(settings));
            return 1;
        }
    }
    NewJob big;
    big.dealerId = QStringLiteral("12284");
    big.fetchType = QStringLiteral("prospect");
    big.fromMs = 1749686400000;
    big.toMs = 1749772799000;
    const std::optional<AddOutcome> added = store.addJob(big, &error);
    const std::optional<Job> queued = added ? std::optional<Job>(added->job) : std::nullopt;
    if (!queued) {
        std::fprintf(stderr, "%s\n", qPrintable(error.message));
        return 1;
    }

    QProcess dealerq;
    dealerq.setProcessEnvironment(isolatedEnvironment(db.dir()));
    dealerq.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    QElapsedTimer wall;
    wall.start();
    // This build's dealerq, or DEALERQ_BENCH_DEALERQ's (another build, under the same conditions).
    const QString program =
        qEnvironmentVariable("DEALERQ_BENCH_DEALERQ", QStringLiteral(DEALERQ_PATH));
    dealerq.start(program, {QStringLiteral("--headless"), QStringLiteral("--drain"),
                            QStringLiteral("--no-api"), QStringLiteral("--db"), db.urlString(),
                            QStringLiteral("--source"), sim.baseUrl().toString(),
                            QStringLiteral("--settings"), settings});
    if (!dealerq.waitForStarted()) {
        std::fprintf(stderr, "cannot start dealerq\n");
        return 1;
    }
    const qint64 pid = dealerq.processId();

    // An operator's add then cancel, every 200 ms, until the job is done: a job for a dealer of
    // its own each time, cancelled at once so that the drain does not run it.
    QueueOperations operations(store, QStringLiteral("api:bench@host"));
    Waits downloading;
    Waits committing;
    Waits cancels;
    qint64 peakKb = 0;
    int add = 0;
    while (dealerq.state() == QProcess::Running) {
        peakKb = std::max(peakKb, processPeakMemoryKb(pid));
        const std::optional<Job> now = store.job(queued->id, &error);
        const bool running = now && now->status == JobStatus::Running;
        const bool allIn = running && now->progress && now->progress->phase == JobPhase::Committing;
        if (running) {
            NewJob one = big;
            one.dealerId = QStringLiteral("add-%1").arg(++add);
            QElapsedTimer took;
            took.start();
            const QueueResult<AddOutcome> added = operations.add(one);
            Waits &waits = allIn ? committing : downloading;
            waits.ms.push_back(took.nsecsElapsed() / 1e6);
            if (!added.ok()) {
                ++waits.refused;
                std::fprintf(stderr, "add refused: %s\n", qPrintable(added.error.message));
            } else {
                took.restart();
                const CancelReport cancelled = operations.cancel({added.value->job.id});
                cancels.ms.push_back(took.nsecsElapsed() / 1e6);
                if (!cancelled.errors.isEmpty())
                    ++cancels.refused;
            }
        }
        dealerq.waitForFinished(200);
    }
    peakKb = std::max(peakKb, processPeakMemoryKb(pid));
    const double seconds = wall.nsecsElapsed() / 1e9;
    const std::optional<Job> done = store.job(queued->id, &error);
    if (dealerq.exitCode() != 0 || !done || done->status != JobStatus::Completed || !done->result ||
        done->result->inserted != records) {
        std::fprintf(stderr, "the job did not complete with %lld new records (exit %d)\n", records,
                     dealerq.exitCode());
        return 1;
    }
    const double committedAfter = double(done->finishedMs - done->startedMs) / 1e3;
    std::printf("%s: one job of %lld records in pages of %d\n", backend, records, PageSize);
    std::printf("  %.1f s from start to completion (%.0f records/s), %.1f s with the process\n",
                committedAfter, double(records) / committedAfter, seconds);
    std::printf("  peak memory of that dealerq (VmHWM)  %.0f MB (goal <= 150 MB)\n",
                double(peakKb) / 1024.0);
    std::printf("  adds while downloading               %s (goal <= 100 ms)\n",
                qPrintable(downloading.summary()));
    std::printf("  adds while committing                %s\n", qPrintable(committing.summary()));
    std::printf("  cancels of those                     %s\n", qPrintable(cancels.summary()));
    return downloading.refused + committing.refused + cancels.refused == 0 ? 0 : 1;
}
