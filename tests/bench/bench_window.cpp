// Opens the Job Queue window on a store holding 100,000 finished jobs (`--jobs N` for another
// count; the scale issue's figures are at 1,000,000) and 1,000 queued, and prints how long the
// window takes to open and to refresh, and the peak memory. The goals are
// printed beside the figures, never asserted: a loaded build machine must not fail a build.
// On PostgreSQL when DEALERQ_TEST_PG (or the tests' DEALERQ_TEST_PG_STATE) names a server.
#include "historypanel.h"
#include "jobtablemodel.h"
#include "mainwindow.h"
#include "queue/jobqueue.h"
#include "queuepanel.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <algorithm>
#include <climits>
#include <cstdio>

#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>

namespace {

constexpr int DefaultHistoryJobs = 100000;
constexpr int QueuedJobs = 1000;

void report(const char *what, double value, const char *unit, double goal)
{
    std::printf("%-34s %10.1f %-3s (goal <= %g %s) %s\n", what, value, unit, goal, unit,
                value <= goal ? "ok" : "OVER");
    std::fflush(stdout);
}

bool fill(const DatabaseUrl &url, int historyJobs)
{
    JobStore store(url);
    StoreError error;
    if (!store.open(&error)) {
        std::fprintf(stderr, "cannot open the store: %s\n", qPrintable(error.message));
        return false;
    }
    QStringList ids;
    ids.reserve(historyJobs);
    for (int i = 1; i <= historyJobs; ++i)
        ids << QStringLiteral("B%1").arg(i, 7, 10, QLatin1Char('0'));
    NewJob common;
    common.fetchType = QStringLiteral("prospect");
    common.fromMs = 1'749'686'400'000; // 2025-06-12
    common.toMs = common.fromMs + 86'399'000;
    if (!store.addJobs(ids, common, &error)) {
        std::fprintf(stderr, "cannot queue: %s\n", qPrintable(error.message));
        return false;
    }
    // Finish them all in one statement: running them is not what is measured here.
    QString why;
    if (!store.database().exec(
            QStringLiteral("UPDATE jobs SET status = CASE WHEN id % 50 = 0 THEN 'failed' ELSE "
                           "'completed' END, started_ms = created_ms - 100000000 + id * 1000, "
                           "finished_ms = created_ms - 100000000 + id * 1000 + 1500 + id % 900, "
                           "attempts = 1, pages = 1, fetched = 25, inserted = 20, updated = 5, "
                           "unchanged = 0, error_message = CASE WHEN id % 50 = 0 THEN "
                           "'HTTP 404: no such dealer' END, error_category = CASE WHEN id % 50 "
                           "= 0 THEN 'not_found' END"),
            &why)) {
        std::fprintf(stderr, "cannot finish the jobs: %s\n", qPrintable(why));
        return false;
    }
    // PostgreSQL's autovacuum would have been through a table this size long before.
    if (!store.database().isSqlite() &&
        !store.database().exec(QStringLiteral("VACUUM ANALYZE jobs"), &why)) {
        std::fprintf(stderr, "cannot vacuum: %s\n", qPrintable(why));
        return false;
    }
    ids.clear();
    for (int i = 1; i <= QueuedJobs; ++i)
        ids << QStringLiteral("Q%1").arg(i, 5, 10, QLatin1Char('0'));
    if (!store.addJobs(ids, common, &error)) {
        std::fprintf(stderr, "cannot queue: %s\n", qPrintable(error.message));
        return false;
    }
    return true;
}

QtMessageHandler previousHandler = nullptr;

// The offscreen platform warns about every window it cannot size natively: noise here.
void dropPlatformNoise(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (!text.contains(QLatin1String("propagateSizeHints")))
        previousHandler(type, context, text);
}

} // namespace

int main(int argc, char *argv[])
{
    previousHandler = qInstallMessageHandler(dropPlatformNoise);
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    QString why;
    if (args.size() == 4 && args.at(1) == QLatin1String("--fill")) {
        const std::optional<DatabaseUrl> url = DatabaseUrl::parse(args.at(2), &why);
        return url && fill(*url, args.at(3).toInt()) ? 0 : 1;
    }
    int exitCode = 0;
    if (!benchArgumentsUnderstood(
            args, {}, {QStringLiteral("--jobs")},
            "usage: bench_window [--jobs N]\n"
            "  PostgreSQL when DEALERQ_TEST_PG or DEALERQ_TEST_PG_STATE names "
            "a server, else SQLite\n",
            &exitCode))
        return exitCode;
    const std::optional<qint64> jobsArgument = benchNumberArgument(
        args, QStringLiteral("--jobs"), 1, INT_MAX, DefaultHistoryJobs, &exitCode);
    if (!jobsArgument)
        return exitCode;
    const int historyJobs = int(*jobsArgument);
    // SQLite in a temporary folder, or a database of its own on the PostgreSQL server that
    // DEALERQ_TEST_PG names, as the tests do.
    const TestDatabase db;
    if (!db.isValid()) {
        std::fprintf(stderr, "bench_window: %s\n", qPrintable(db.errorString()));
        return 1;
    }
    const DatabaseUrl &url = db.url();

    // The store is filled by a child process, so that the peak memory below is the window's.
    QElapsedTimer timer;
    timer.start();
    if (QProcess::execute(
            QCoreApplication::applicationFilePath(),
            {QStringLiteral("--fill"), db.urlString(), QString::number(historyJobs)}) != 0)
        return 1;
    std::printf("%s: filled the store with %d finished and %d queued jobs in %lld ms\n",
                db.isPostgres() ? "PostgreSQL" : "SQLite", historyJobs, QueuedJobs,
                timer.elapsed());

    JobQueue::Config cfg;
    cfg.runner.database = url;
    cfg.fetchTypes = {"prospect", "sales", "service", "inventory"};
    cfg.runJobs = false; // the window is measured, not the runner
    JobQueue queue(cfg);
    queue.start();

    // Open: construct, show, and the first data on screen.
    timer.restart();
    WindowContext context;
    context.queue = &queue;
    context.databaseDisplay = url.displayString();
    context.sourceDisplay = QStringLiteral("built-in demo simulator");
    MainWindow window(context);
    QSignalSpy refreshed(&window, &MainWindow::refreshFinished);
    window.resize(1280, 800);
    window.show();
    if (!refreshed.wait(30000)) {
        std::fprintf(stderr, "the window never showed data\n");
        return 1;
    }
    QCoreApplication::processEvents(); // paint what arrived
    const double openMs = double(timer.nsecsElapsed()) / 1e6;
    const int historyRows = window.historyPanel()->model()->rowCount();
    const qint64 historyTotal = window.historyPanel()->model()->total();
    std::printf("history: %d of %lld rows loaded; queue: %d rows\n", historyRows, historyTotal,
                window.queuePanel()->model()->rowCount());

    // Refresh: what one re-read costs the UI thread, and end to end.
    QVector<double> uiMs;
    QVector<double> wallMs;
    for (int i = 0; i < 20; ++i) {
        refreshed.clear();
        timer.restart();
        window.refreshNow();
        if (!refreshed.wait(30000))
            return 1;
        wallMs << double(timer.nsecsElapsed()) / 1e6;
        uiMs << double(refreshed.first().first().toLongLong()) / 1e6;
    }
    std::sort(uiMs.begin(), uiMs.end());
    std::sort(wallMs.begin(), wallMs.end());

    // Painting the whole window with what the refresh brought.
    timer.restart();
    window.repaint();
    const double paintMs = double(timer.nsecsElapsed()) / 1e6;

    // Scrolling to the end of the loaded history loads the next page.
    timer.restart();
    window.historyPanel()->model()->fetchMore({});
    const int before = window.historyPanel()->model()->rowCount();
    while (window.historyPanel()->model()->rowCount() == before && timer.elapsed() < 30000)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
    const double pageMs = double(timer.nsecsElapsed()) / 1e6;

    std::printf("\n");
    report("open window (first data shown)", openMs, "ms", 1000);
    report("refresh, UI thread (median)", uiMs.at(uiMs.size() / 2), "ms", 20);
    report("refresh, UI thread (worst)", uiMs.last(), "ms", 20);
    std::printf("%-34s %10.1f ms (store read + UI, median; no goal)\n", "refresh, end to end",
                wallMs.at(wallMs.size() / 2));
    std::printf("%-34s %10.1f ms (no goal)\n", "repaint the whole window", paintMs);
    std::printf("%-34s %10.1f ms (next %d history rows; no goal)\n", "load more on scroll", pageMs,
                HistoryPanel::PageSize);
    report("peak memory (VmHWM)",
           double(processPeakMemoryKb(QCoreApplication::applicationPid())) / 1024.0, "MB", 200);
    window.close();
    return 0;
}
