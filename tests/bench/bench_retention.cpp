// Retention (SPEC §7) on a large history: fills a store with finished jobs (1,000,000 by
// default, `--jobs N`), all older than the setting, and lets Retention remove them while
//  - a 5 ms timer on the same thread stands for the runner (the longest gap between its ticks
//    is the longest the runner's thread was held), and
//  - another thread with its own connection reads what the window's refresh reads (the first
//    history page of 1,000 and the count) every 100 ms.
// Prints the figures and the runner's goal (50 ms), never asserts them; the window's read is
// printed beside the same read taken before retention began. On PostgreSQL when the
// environment names a server (DEALERQ_TEST_PG or DEALERQ_TEST_PG_STATE), as the tests do.
// `--no-reader` leaves the window's reads out.
#include "queue/retention.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <algorithm>
#include <atomic>
#include <cstdio>

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

bool fill(JobStore &store, int jobs, qint64 finishedMs)
{
    QSqlQuery q(store.database().db());
    const QString rows =
        store.database().isSqlite()
            ? QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                             "WHERE i < %1) SELECT i FROM n")
                  .arg(jobs)
            : QStringLiteral("SELECT i FROM generate_series(1, %1) AS n(i)").arg(jobs);
    const QString sql =
        QStringLiteral(
            "INSERT INTO jobs (dealer_id, fetch_type, from_ms, to_ms, status, priority, "
            "position, created_ms, started_ms, finished_ms, attempts, pages, fetched, inserted, "
            "updated, unchanged, error_message, error_category, created_by) "
            "SELECT 'D' || (i % 5000), 'prospect', i, i + 1000, "
            "CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'completed' END, 0, i, %1, %1, %2 + i, 1, "
            "1, 5, 5, 0, 0, CASE WHEN i % 10 = 0 THEN 'HTTP 500' END, "
            "CASE WHEN i % 10 = 0 THEN 'http' END, 'bench' FROM (%3) AS s")
            .arg(finishedMs - 1000)
            .arg(finishedMs)
            .arg(rows);
    if (!q.exec(sql)) {
        std::fprintf(stderr, "cannot fill the store: %s\n", qPrintable(q.lastError().text()));
        return false;
    }
    // PostgreSQL's autovacuum would have analyzed a table this size long before; SQLite's
    // statistics are never gathered by dealerq, so it stays as it is.
    return store.database().isSqlite() || q.exec(QStringLiteral("ANALYZE jobs"));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int jobs = 1000000;
    const QStringList args = app.arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--jobs"));
    if (at > 0 && at + 1 < args.size())
        jobs = qMax(1, args.at(at + 1).toInt());
    const bool withReader = !args.contains(QStringLiteral("--no-reader"));

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
    if (!fill(store, jobs, clock.now - 100 * Day))
        return 1;
    std::printf("%s: filled the store with %d finished jobs in %lld ms\n",
                db.isPostgres() ? "PostgreSQL" : "SQLite", jobs, timer.elapsed());

    // What the window's refresh reads, first alone, then on its own thread while retention runs.
    qint64 baseline = 0;
    {
        HistoryFilter page;
        page.limit = 1000;
        for (int i = 0; i < 5; ++i) {
            QElapsedTimer read;
            read.start();
            store.history(page, &error);
            store.historyCount(page, &error);
            baseline = std::max(baseline, read.elapsed());
        }
    }
    std::atomic<bool> done{false};
    std::atomic<qint64> longestRead{0};
    std::atomic<int> reads{0};
    QThread *window = QThread::create([&] {
        JobStore reader(db.url());
        StoreError readError;
        if (!reader.open(&readError))
            return;
        HistoryFilter page;
        page.limit = 1000;
        while (!done && withReader) {
            QElapsedTimer read;
            read.start();
            reader.history(page, &readError);
            reader.historyCount(page, &readError);
            longestRead = std::max<qint64>(longestRead, read.elapsed());
            ++reads;
            QThread::msleep(100); // the window's refresh interval, not a wait for a result
        }
    });
    window->start();

    // The runner's thread: a tick every 5 ms.
    QElapsedTimer sinceTick;
    qint64 longestGap = 0;
    QTimer ticks;
    ticks.setInterval(5);
    ticks.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticks, &QTimer::timeout,
                     [&] { longestGap = std::max(longestGap, sinceTick.restart()); });

    Retention retention(store, clock, QStringLiteral("retention:bench@host"));
    retention.setKeepDays(30);
    int batches = 0;
    qint64 removed = 0;
    QObject::connect(&retention, &Retention::batchRemoved, [&](const QVector<qint64> &ids) {
        ++batches;
        removed += ids.size();
    });
    QObject::connect(&retention, &Retention::passFinished, &app, &QCoreApplication::quit);
    QObject::connect(&retention, &Retention::failed, [&](const QString &message) {
        std::fprintf(stderr, "retention failed: %s\n", qPrintable(message));
        app.quit();
    });
    timer.restart();
    sinceTick.start();
    ticks.start();
    retention.setActive(true);
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
    std::printf("%-40s %8lld ms (%d reads; %lld ms before retention began)\n",
                "longest window read meanwhile", qint64(longestRead), int(reads), baseline);
    return removed == jobs ? 0 : 1;
}
