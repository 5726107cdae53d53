// Retention (SPEC §7) on a large history: fills a store with finished jobs (1,000,000 by
// default, `--jobs N`), all older than the setting, and lets Retention (on its own thread and
// connection) remove them while
//  - a 5 ms timer on this thread stands for the runner, writing a running job's progress every
//    20 ms and a log line (a durable commit, as a job's end is) every 100 ms on its own
//    connection (the longest gap between its ticks is the longest the runner was held: on SQLite
//    its write waits for a batch under way, on PostgreSQL a durable commit for the WAL), and
//  - another thread with its own connection takes the window's refresh (QueueOperations::
//    snapshot: the status with 1,000 queued jobs, the counts, the first history page of 1,000
//    and its total) every 100 ms, or back to back with `--reader-interval-ms 0`.
// Prints each batch's duration (the time from one batch's end to the next one's, which is the
// batch and the event loop's turn between them) as p50/p95/max, every batch with `--batches`,
// and the refresh's p50/p95/max while retention runs beside the same before it began. Figures
// (with the runner's writes and longest gap in 10 s before retention began, beside the same
// during it) and goals (runner 50 ms, the window's refresh 20 ms of UI time on top of its read) are
// printed, never asserted. On PostgreSQL when the environment names a server
// (DEALERQ_TEST_PG or DEALERQ_TEST_PG_STATE), as the tests do. `--no-reader` leaves the
// window's reads out. `--batch-size N` caps a batch (Retention::DefaultBatchSize unless given).
// `--sorts` prints the first history page in every sort order (SPEC §7 `sort`), alone and under
// each of nine filters with the slowest per filter, each filter's total, and its first page and
// total read apart and in one read (JobStore::historyPage()), instead, and runs no retention.
#include "queue/queueoperations.h"
#include "queue/retention.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <algorithm>
#include <atomic>
#include <climits>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>

namespace {

constexpr qint64 Day = 24 * 3600 * 1000;

class FixedClock final : public SchedulerClock
{
public:
    qint64 now = 0;
    qint64 nowMs() const override { return now; }
};

/// One window refresh's read on `operations`' store, in milliseconds.
double refresh(QueueOperations &operations)
{
    HistoryFilter page;
    page.limit = 1000;
    QElapsedTimer read;
    read.start();
    const QueueSnapshot snapshot =
        operations.snapshot(1000, page, QDateTime::currentMSecsSinceEpoch());
    if (snapshot.error.isSet())
        std::fprintf(stderr, "refresh failed: %s\n", qPrintable(snapshot.error.message));
    return read.nsecsElapsed() / 1e6;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int jobs = 1000000;
    const QStringList args = app.arguments();
    int exitCode = 0;
    if (!benchArgumentsUnderstood(
            args,
            {QStringLiteral("--no-reader"), QStringLiteral("--batches"), QStringLiteral("--sorts")},
            {QStringLiteral("--jobs"), QStringLiteral("--reader-interval-ms"),
             QStringLiteral("--batch-size")},
            "usage: bench_retention [--jobs N] [--no-reader] [--reader-interval-ms MS] "
            "[--batch-size N] [--batches] [--sorts]\n"
            "  PostgreSQL when DEALERQ_TEST_PG or DEALERQ_TEST_PG_STATE names a server, else "
            "SQLite\n",
            &exitCode))
        return exitCode;
    const std::optional<qint64> jobsArgument =
        benchNumberArgument(args, QStringLiteral("--jobs"), 1, INT_MAX, jobs, &exitCode);
    const std::optional<qint64> interval =
        benchNumberArgument(args, QStringLiteral("--reader-interval-ms"), 0, 60000, 100, &exitCode);
    const std::optional<qint64> size = benchNumberArgument(
        args, QStringLiteral("--batch-size"), 1, 100000, Retention::DefaultBatchSize, &exitCode);
    if (!jobsArgument || !interval || !size)
        return exitCode;
    jobs = int(*jobsArgument);
    const bool withReader = !args.contains(QStringLiteral("--no-reader"));
    const bool eachBatch = args.contains(QStringLiteral("--batches"));
    const int readerIntervalMs = int(*interval);
    const int batchSize = int(*size);

    TestDatabase db;
    if (!db.isValid()) {
        std::fprintf(stderr, "%s\n", qPrintable(db.errorString()));
        return 1;
    }
    JobStore store(db.url());
    StoreError error;
    if (!store.open(&error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error.message));
        return 1;
    }
    FixedClock clock;
    clock.now = QDateTime::currentMSecsSinceEpoch();
    QElapsedTimer timer;
    timer.start();
    QString why;
    if (!fillFinishedJobs(store, jobs, clock.now - 100 * Day, &why)) {
        std::fprintf(stderr, "cannot fill the store: %s\n", qPrintable(why));
        return 1;
    }
    std::printf("%s: filled the store with %d finished jobs in %lld ms\n",
                db.isPostgres() ? "PostgreSQL" : "SQLite", jobs, timer.elapsed());

    // What the window's refresh reads, first alone, then on its own thread while retention runs.
    std::vector<double> before;
    {
        QueueOperations operations(store, QStringLiteral("window:bench@host"));
        for (int i = 0; i < 20; ++i)
            before.push_back(refresh(operations));
        // Its parts, to see where the time goes.
        HistoryFilter page;
        page.limit = 1000;
        const std::pair<const char *, std::function<void()>> parts[] = {
            {"  queue status (1,000 queued)", [&] { store.queueStatus(1000, &error); }},
            {"  counts by status", [&] { store.counts(clock.now, &error); }},
            {"  history page (1,000)", [&] { store.history(page, &error); }},
            {"  history total", [&] { store.historyCount(page, &error); }},
        };
        for (const auto &[name, read] : parts) {
            std::vector<double> ms;
            for (int i = 0; i < 5; ++i) {
                QElapsedTimer part;
                part.start();
                read();
                ms.push_back(part.nsecsElapsed() / 1e6);
            }
            std::printf("%-40s %s\n", name, qPrintable(percentiles(ms)));
        }
    }
    if (args.contains(QStringLiteral("--sorts"))) {
        // The first page of the history in every order the window and the API can ask for.
        const std::pair<const char *, HistorySort> sorts[] = {
            {"finished_at", HistorySort::FinishedAt},
            {"job_id", HistorySort::JobId},
            {"dealer_id", HistorySort::DealerId},
            {"duration_s", HistorySort::Duration},
            {"fetched", HistorySort::Fetched},
            {"fetch_type", HistorySort::FetchType},
            {"from_time", HistorySort::Window},
            {"status", HistorySort::Status},
            {"error_category", HistorySort::ErrorCategory},
            {"priority", HistorySort::Priority},
            {"created_at", HistorySort::CreatedAt},
            {"started_at", HistorySort::StartedAt},
            {"attempts", HistorySort::Attempts},
            {"pages", HistorySort::Pages},
            {"inserted", HistorySort::Inserted},
            {"updated", HistorySort::Updated}};
        // Then each with a filter: one type of four; the failed jobs (one in ten); the
        // cancelled (one in 36); one error category (the failed ones'); one dealer (200 jobs of
        // 1,000,000); text in the dealer ID or the message ("d42": 111 dealers, 22,200 jobs; one
        // dealer's ID, "d4217": 200 jobs; "500", in the message of every failed job, "HTTP
        // 500", and the ID of 5 dealers whose jobs all failed: 100,000); the last 30 days (about
        // one job in twelve).
        // Each filter's total (the window reads it with each page) is timed too.
        std::vector<std::pair<QString, HistoryFilter>> filters;
        filters.push_back({QString(), {}});
        HistoryFilter sales;
        sales.fetchType = QStringLiteral("sales");
        filters.push_back({QStringLiteral(" of sales"), sales});
        HistoryFilter failed;
        failed.statuses = {JobStatus::Failed};
        filters.push_back({QStringLiteral(" failed"), failed});
        HistoryFilter cancelled;
        cancelled.statuses = {JobStatus::Cancelled};
        filters.push_back({QStringLiteral(" cancelled"), cancelled});
        HistoryFilter http;
        http.errorCategory = ErrorCategory::Http;
        filters.push_back({QStringLiteral(" of http errors"), http});
        HistoryFilter dealer;
        dealer.dealerId = QStringLiteral("D42");
        filters.push_back({QStringLiteral(" of dealer D42"), dealer});
        HistoryFilter text;
        text.text = QStringLiteral("d42");
        filters.push_back({QStringLiteral(" with text d42"), text});
        text.text = QStringLiteral("d4217");
        filters.push_back({QStringLiteral(" with text d4217"), text});
        text.text = QStringLiteral("500");
        filters.push_back({QStringLiteral(" with text 500"), text});
        HistoryFilter month;
        month.finishedAfterMs = clock.now - 130 * Day;
        filters.push_back({QStringLiteral(" of 30 days"), month});
        for (const auto &[label, filter] : filters) {
            std::vector<double> worst;
            for (const auto &[name, sort] : sorts) {
                for (const bool ascending : {false, true}) {
                    HistoryFilter page = filter;
                    page.limit = 1000;
                    page.sort = sort;
                    page.ascending = ascending;
                    std::vector<double> ms;
                    for (int i = 0; i < 3; ++i) {
                        QElapsedTimer part;
                        part.start();
                        store.history(page, &error);
                        ms.push_back(part.nsecsElapsed() / 1e6);
                    }
                    worst.push_back(*std::max_element(ms.begin(), ms.end()));
                    std::printf("  history page (1,000)%s by %-15s %-4s %s\n", qPrintable(label),
                                name, ascending ? "asc" : "desc", qPrintable(percentiles(ms)));
                }
            }
            std::printf("first page%s, slowest of every order: %.1f ms (goal <= 200 ms)\n",
                        qPrintable(label), *std::max_element(worst.begin(), worst.end()));
            std::vector<double> ms;
            qint64 total = -1;
            for (int i = 0; i < 3; ++i) {
                QElapsedTimer part;
                part.start();
                total = store.historyCount(filter, &error).value_or(-1);
                ms.push_back(part.nsecsElapsed() / 1e6);
            }
            std::printf("  total%s (%lld jobs) %s\n", qPrintable(label), total,
                        qPrintable(percentiles(ms)));
            // The window's refresh and the API read the first page and the total together:
            // apart (a text's dealers looked for twice) and in one read, taking turns.
            HistoryFilter first = filter;
            first.limit = 1000;
            std::vector<double> apart;
            std::vector<double> together;
            for (int i = 0; i < 3; ++i) {
                QElapsedTimer part;
                part.start();
                store.history(first, &error);
                store.historyCount(first, &error);
                apart.push_back(part.nsecsElapsed() / 1e6);
                part.restart();
                store.historyPage(first, &error);
                together.push_back(part.nsecsElapsed() / 1e6);
            }
            std::printf("  page and total%s, apart %s; in one read %s\n", qPrintable(label),
                        qPrintable(percentiles(apart)), qPrintable(percentiles(together)));
        }
        return 0;
    }
    std::atomic<bool> done{false};
    std::mutex readsLock;
    std::vector<double> during;
    QThread *window = QThread::create([&] {
        JobStore reader(db.url());
        StoreError readError;
        if (!reader.open(&readError))
            return;
        QueueOperations operations(reader, QStringLiteral("window:bench@host"));
        while (!done && withReader) {
            const double ms = refresh(operations);
            {
                const std::lock_guard<std::mutex> lock(readsLock);
                during.push_back(ms);
            }
            // The window's refresh interval, not a wait for a result.
            QThread::msleep(ulong(readerIntervalMs));
        }
    });
    window->start();

    // The runner's thread: a tick every 5 ms, and on every fourth the write a running job makes
    // (its progress) on the runner's connection, which on SQLite waits for a batch under way.
    NewJob running;
    running.dealerId = QStringLiteral("RUNNING");
    running.fetchType = QStringLiteral("prospect");
    running.fromMs = clock.now - Day;
    running.toMs = clock.now;
    const QString runnerId = QStringLiteral("bench-runner");
    std::optional<Job> claimed;
    if (!store.addJob(running, &error) || !(claimed = store.claimNext(runnerId, &error))) {
        std::fprintf(stderr, "cannot start a running job: %s\n", qPrintable(error.message));
        return 1;
    }
    JobProgress progress;
    progress.phase = JobPhase::Downloading;
    std::vector<double> writeMs;
    std::vector<double> durableMs;
    QElapsedTimer sinceTick;
    qint64 longestGap = 0;
    int tick = 0;
    QTimer ticks;
    ticks.setInterval(5);
    ticks.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticks, &QTimer::timeout, [&] {
        if (++tick % 4 == 0) {
            ++progress.pages;
            QElapsedTimer write;
            write.start();
            if (!store.setProgress(claimed->id, runnerId, progress, &error))
                std::fprintf(stderr, "the runner's write failed: %s\n", qPrintable(error.message));
            writeMs.push_back(write.nsecsElapsed() / 1e6);
        }
        if (tick % 20 == 0) {
            // Ten times a second a write that must be durable, as a job's end is: on PostgreSQL its
            // commit waits for the WAL before it, retention's included, to reach the disk.
            QElapsedTimer write;
            write.start();
            if (!store.appendLog(claimed->id, QStringLiteral("bench: a durable write"), &error))
                std::fprintf(stderr, "the runner's log write failed: %s\n",
                             qPrintable(error.message));
            durableMs.push_back(write.nsecsElapsed() / 1e6);
        }
        longestGap = std::max(longestGap, sinceTick.restart());
    });

    Retention retention(db.url(), clock, QStringLiteral("retention:bench@host"));
    retention.setKeepDays(30);
    retention.setBatchSize(batchSize);
    int batches = 0;
    qint64 removed = 0;
    std::vector<double> batchMs;
    QElapsedTimer sinceBatch;
    QObject::connect(&retention, &Retention::batchRemoved, [&](const QVector<qint64> &ids) {
        ++batches;
        removed += ids.size();
        batchMs.push_back(sinceBatch.nsecsElapsed() / 1e6);
        if (eachBatch)
            std::printf("batch %5d: %5lld jobs in %7.1f ms\n", batches, qint64(ids.size()),
                        batchMs.back());
        sinceBatch.restart();
    });
    QObject::connect(&retention, &Retention::passFinished, &app, &QCoreApplication::quit);
    QObject::connect(&retention, &Retention::failed, [&](const QString &message) {
        std::fprintf(stderr, "retention failed: %s\n", qPrintable(message));
        app.quit();
    });
    // First the runner's writes and the window's reads without retention for 10 s: what the
    // runner's thread is held by its own writes (on PostgreSQL a commit waits for its fsync).
    std::vector<double> writeMsBefore;
    std::vector<double> durableMsBefore;
    qint64 longestGapBefore = 0;
    sinceTick.start();
    ticks.start();
    QTimer::singleShot(10000, &app, [&] {
        writeMsBefore.swap(writeMs);
        durableMsBefore.swap(durableMs);
        longestGapBefore = std::exchange(longestGap, 0);
        {
            const std::lock_guard<std::mutex> lock(readsLock);
            during.clear();
        }
        timer.restart();
        sinceBatch.start();
        retention.setActive(true);
    });
    app.exec();
    const qint64 passMs = timer.elapsed();
    done = true;
    window->wait();
    delete window;

    std::printf("removed %lld of %d jobs in %d batches (last size %d) in %.1f s: %.0f jobs/s\n",
                removed, jobs, batches, retention.batchSize(), passMs / 1000.0,
                passMs > 0 ? removed * 1000.0 / passMs : 0.0);
    std::printf("%-40s %8lld ms (goal <= 50 ms) %s\n", "longest hold of the runner's thread",
                longestGap, longestGap <= 50 ? "ok" : "OVER");
    std::printf("%-40s %8lld ms\n", "  the same in 10 s before retention", longestGapBefore);
    std::printf("%-40s %s\n", "the runner's progress writes", qPrintable(percentiles(writeMs)));
    std::printf("%-40s %s\n", "  the same in 10 s before retention",
                qPrintable(percentiles(writeMsBefore)));
    std::printf("%-40s %s\n", "the runner's durable writes (a log line)",
                qPrintable(percentiles(durableMs)));
    std::printf("%-40s %s\n", "  the same in 10 s before retention",
                qPrintable(percentiles(durableMsBefore)));
    std::printf("%-40s %s (aim %d ms)\n", "batches", qPrintable(percentiles(batchMs)),
                Retention::BatchGoalMs);
    if (withReader) {
        std::printf("%-40s %s\n", "window refresh read, before retention",
                    qPrintable(percentiles(before)));
        const std::lock_guard<std::mutex> lock(readsLock);
        std::printf("%-40s %s\n", "window refresh read, during retention",
                    qPrintable(percentiles(during)));
    }
    return removed == jobs ? 0 : 1; // the running job is not finished: it stays
}
