#include "chartwidget.h"
#include "config/settings.h"
#include "coveragetablemodel.h"
#include "dashboardpanel.h"
#include "dealerspanel.h"
#include "job/fetchedrecord.h"
#include "mainwindow.h"
#include "palettecolors.h"
#include "queue/jobqueue.h"
#include "queue/queueoperations.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <memory>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QHelpEvent>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimeZone>
#include <QToolTip>

#include <ctime>

namespace {

const QStringList FetchTypes{"prospect", "sales"};
constexpr qint64 Hour = 3600 * 1000;
constexpr qint64 Day = 24 * Hour;

qint64 at(const char *iso)
{
    return QDateTime::fromString(QLatin1String(iso), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

/// The fixed "now" of these tests: a Sunday morning in Berlin, after the clocks went back.
const qint64 Now = at("2026-10-25T10:17:23.456+01:00");

} // namespace

/// The window's Dashboard and Dealers views (SPEC §10) on real widgets over a real SQLite store,
/// with "now" fixed: the charts show the store's stats with exact values on hover and follow
/// the range and the refresh, in light and dark palettes; the Dealers view shows the coverage
/// with its filters and queues since_last_success windows for a selection.
class TestInsightView final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void dashboardShowsTheStats();
    void chartsReadInLightAndDark();
    void dealersShowTheCoverage();
    void fetchSinceLastSuccessForThreeDealers();

private:
    /// Runs one job of `dealer` and `type` whose window ends at `toMs` to `status`, finished at
    /// `finishedMs` after `durationMs`.
    void finishJob(const QString &dealer, const QString &type, qint64 toMs, JobStatus status,
                   qint64 finishedMs, qint64 durationMs = 2000, int records = 0);
    /// Shows `panel`'s tab and waits for the read it sets off.
    template<typename Panel> bool shown(Panel *panel);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<JobQueue> m_queue;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<QueueOperations> m_ops;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestInsightView::initTestCase()
{
    QCOMPARE(QTimeZone::systemTimeZoneId(), QByteArray("Europe/Berlin"));
}

void TestInsightView::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QString why;
    const std::optional<DatabaseUrl> url = DatabaseUrl::parse(sqliteUrlIn(m_dir->path()), &why);
    QVERIFY2(url, qPrintable(why));
    JobQueue::Config cfg;
    cfg.runner.database = *url;
    cfg.runner.sourceUrl = QUrl(QStringLiteral("http://127.0.0.1:9/"));
    cfg.runner.instance = QStringLiteral("test");
    cfg.fetchTypes = FetchTypes;
    cfg.runJobs = false;
    m_queue = std::make_unique<JobQueue>(cfg);
    m_queue->start();
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("dealerq.ini")));
    WindowContext context;
    context.queue = m_queue.get();
    context.settings = m_settings.get();
    context.databaseDisplay = url->displayString();
    context.sourceDisplay = cfg.runner.sourceUrl.toString();
    m_window = std::make_unique<MainWindow>(context);
    m_window->dashboardPanel()->setClock([] { return Now; });
    m_window->dealersPanel()->setClock([] { return Now; });
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_window->dealersPanel()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_window->resize(1300, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_store = std::make_unique<JobStore>(*url);
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    m_ops = std::make_unique<QueueOperations>(*m_store, QStringLiteral("cli:test@here"));
}

void TestInsightView::cleanup()
{
    m_tester.reset();
    m_window.reset();
    m_ops.reset();
    m_store.reset();
    m_queue.reset();
    m_settings.reset();
    m_dir.reset();
}

void TestInsightView::finishJob(const QString &dealer, const QString &type, qint64 toMs,
                                JobStatus status, qint64 finishedMs, qint64 durationMs, int records)
{
    StoreError error;
    const NewJob job{dealer, type, toMs - Day + 1000, toMs, 0, false, QStringLiteral("test")};
    const std::optional<AddOutcome> added = m_store->addJob(job, &error);
    QVERIFY2(added, qPrintable(error.message));
    const std::optional<Job> claimed = m_store->claimNext("runner-1", &error);
    QVERIFY2(claimed && claimed->id == added->job.id, qPrintable(error.message));
    if (status == JobStatus::Completed) {
        QVector<FetchedRecord> fetched;
        for (int i = 0; i < records; ++i)
            fetched.push_back({QStringLiteral("r%1").arg(i), QStringLiteral("2026-01-01T00:00:00Z"),
                               QStringLiteral(R"({"id":%1})").arg(i).toUtf8()});
        JobResult result{1, records, 0, 0, 0};
        QVERIFY(m_store->completeJob(*claimed, fetched, {}, &result, &error));
    } else {
        QVERIFY(m_store->failJob(*claimed,
                                 {QStringLiteral("HTTP 503"), status == JobStatus::Failed
                                                                  ? ErrorCategory::Http
                                                                  : ErrorCategory::Cancelled},
                                 {}, &error));
    }
    QSqlQuery q(m_store->database().db());
    q.prepare("UPDATE jobs SET started_ms = ?, finished_ms = ? WHERE id = ?");
    q.addBindValue(finishedMs - durationMs);
    q.addBindValue(finishedMs);
    q.addBindValue(added->job.id);
    QVERIFY(q.exec());
}

template<typename Panel> bool TestInsightView::shown(Panel *panel)
{
    auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("lowerTabs"));
    QSignalSpy spy(panel, &Panel::refreshed);
    if (tabs->currentWidget() != panel)
        tabs->setCurrentWidget(panel);
    else
        panel->refresh();
    return spy.wait(5000) || !spy.isEmpty();
}

void TestInsightView::dashboardShowsTheStats()
{
    finishJob("A1", "sales", Now - Day, JobStatus::Completed, Now - 2 * Hour, 3000, 4);
    finishJob("A1", "sales", Now - 2 * Day, JobStatus::Completed, Now - 2 * Hour + 5000, 9000, 2);
    finishJob("B2", "sales", Now - 3 * Day, JobStatus::Failed, Now - 2 * Hour + 9000);
    finishJob("C3", "prospect", Now - Day, JobStatus::Cancelled, Now - 30 * Hour);
    DashboardPanel *panel = m_window->dashboardPanel();
    QVERIFY(shown(panel));

    QueueResult<QVector<StatsBucket>> expected =
        m_ops->stats(StatsRange::Hours24, QTimeZone::systemTimeZone(), Now);
    QVERIFY(expected.ok());
    QCOMPARE(panel->buckets().size(), 24);
    ChartWidget *jobs = panel->jobsChart();
    QCOMPARE(jobs->bucketCount(), 24);
    for (int i = 0; i < 24; ++i) {
        const StatsBucket &b = expected.value->at(i);
        QCOMPARE(panel->buckets().at(i).startMs, b.startMs);
        QCOMPARE(jobs->series().at(0).values.at(i), std::optional<double>(b.completed));
        QCOMPARE(jobs->series().at(1).values.at(i), std::optional<double>(b.failed));
        QCOMPARE(jobs->series().at(2).values.at(i), std::optional<double>(b.cancelled));
        QCOMPARE(panel->recordsChart()->series().at(0).values.at(i),
                 std::optional<double>(b.fetched));
        QCOMPARE(panel->durationChart()->series().at(0).values.at(i), b.p50Seconds);
        QCOMPARE(panel->durationChart()->series().at(1).values.at(i), b.p95Seconds);
    }
    // Two hours ago: 08:00 CET, the bucket before the current one but one.
    const int busy = 21;
    QCOMPARE(panel->buckets().at(busy).completed, 2);
    QCOMPARE(panel->buckets().at(busy).failed, 1);

    // Hovering a bucket highlights it; its tooltip gives the exact figures.
    const QPoint centre = jobs->bucketCenter(busy);
    QTest::mouseMove(jobs, centre);
    QTRY_COMPARE(jobs->hoveredBucket(), busy);
    const QString tip = jobs->toolTipFor(busy);
    QVERIFY2(tip.contains("Completed: 2") && tip.contains("Failed: 1") &&
                 tip.contains("Cancelled: 0"),
             qPrintable(tip));
    QHelpEvent help(QEvent::ToolTip, centre, jobs->mapToGlobal(centre));
    QApplication::sendEvent(jobs, &help);
    QCOMPARE(QToolTip::text(), tip);
    const QString durations = panel->durationChart()->toolTipFor(busy);
    QVERIFY2(durations.contains("Median (p50): 3.000 s") &&
                 durations.contains("95th percentile (p95): 9.000 s"),
             qPrintable(durations));
    QVERIFY(panel->recordsChart()->toolTipFor(busy).contains("Records: 6"));
    QVERIFY(panel->durationChart()->toolTipFor(0).contains("Median (p50): none"));

    // DEALERQ_SCREENSHOTS=DIR saves the view (docs/ holds the README's).
    if (const QString dir = qEnvironmentVariable("DEALERQ_SCREENSHOTS"); !dir.isEmpty())
        QVERIFY(panel->grab().save(dir + "/dashboard.png"));

    // The window's refresh reads the figures again.
    finishJob("D4", "sales", Now - Day, JobStatus::Completed, Now - 2 * Hour + 20000, 1000, 1);
    QSignalSpy again(panel, &DashboardPanel::refreshed);
    m_window->refreshNow();
    QVERIFY(again.wait(5000));
    QCOMPARE(panel->buckets().at(busy).completed, 3);

    // By the day: 30 buckets, today's the last.
    QSignalSpy daily(panel, &DashboardPanel::refreshed);
    panel->rangeBox()->setCurrentIndex(1);
    QVERIFY(daily.wait(5000));
    QCOMPARE(panel->range(), StatsRange::Days30);
    QCOMPARE(jobs->bucketCount(), 30);
    QCOMPARE(panel->buckets().last().completed, 3);
    QCOMPARE(panel->buckets().at(28).cancelled, 1);
}

void TestInsightView::chartsReadInLightAndDark()
{
    finishJob("A1", "sales", Now - Day, JobStatus::Completed, Now - 2 * Hour, 3000, 4);
    finishJob("B2", "sales", Now - Day, JobStatus::Failed, Now - 3 * Hour);
    DashboardPanel *panel = m_window->dashboardPanel();
    QVERIFY(shown(panel));
    for (const QPalette &palette : {PaletteColors::lightPalette(), PaletteColors::darkPalette()}) {
        for (ChartWidget *chart :
             {panel->jobsChart(), panel->recordsChart(), panel->durationChart()}) {
            chart->setPalette(palette);
            for (const ChartWidget::Series &s : chart->series()) {
                const QColor c = s.color(palette);
                QVERIFY2(PaletteColors::contrast(c, palette.color(QPalette::Base)) >= 3.0,
                         qPrintable(s.name));
            }
            const QImage image = chart->grab().toImage();
            QVERIFY(!image.isNull());
            // The plot is drawn on the palette's base colour.
            QCOMPARE(image.pixelColor(2, image.height() - 2), palette.color(QPalette::Base));
        }
    }
}

void TestInsightView::dealersShowTheCoverage()
{
    finishJob("A1", "sales", Now - Day, JobStatus::Completed, Now - 2 * Hour, 1000, 3);
    finishJob("B2", "sales", Now - Day, JobStatus::Completed, Now - 40 * Hour, 1000, 1);
    finishJob("B2", "prospect", Now - Day, JobStatus::Failed, Now - 3 * Hour);
    finishJob("Cb3", "sales", Now - Day, JobStatus::Cancelled, Now - 4 * Hour);
    DealersPanel *panel = m_window->dealersPanel();
    QVERIFY(shown(panel));
    CoverageTableModel *model = panel->model();
    CoverageFilter filter;
    filter.staleBeforeMs = Now - 26 * Hour;
    const QueueResult<CoveragePage> expected = m_ops->coverage(filter);
    QVERIFY(expected.ok());
    QCOMPARE(model->rowCount(), 4);
    QCOMPARE(panel->total(), 4);
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(model->rows().at(i).dealerId, expected.value->rows.at(i).dealerId);
        QCOMPARE(model->rows().at(i).records, expected.value->rows.at(i).records);
    }
    const auto cell = [&](int row, int column, int role = Qt::DisplayRole) {
        return model->index(row, column).data(role);
    };
    QCOMPARE(cell(0, CoverageTableModel::DealerColumn).toString(), QStringLiteral("A1"));
    QCOMPARE(cell(0, CoverageTableModel::StateColumn).toString(), QStringLiteral("Fresh"));
    QCOMPARE(cell(0, CoverageTableModel::RecordsColumn).toString(), QStringLiteral("3"));
    QCOMPARE(cell(1, CoverageTableModel::StateColumn).toString(), QStringLiteral("Failing"));
    QCOMPARE(cell(1, CoverageTableModel::LastErrorColumn).toString(), QStringLiteral("HTTP 503"));
    QCOMPARE(cell(2, CoverageTableModel::StateColumn).toString(), QStringLiteral("Stale"));
    QCOMPARE(cell(3, CoverageTableModel::StateColumn).toString(), QStringLiteral("Never fetched"));
    QCOMPARE(cell(3, CoverageTableModel::LastSuccessColumn).toString(), QStringLiteral("never"));
    for (int row = 0; row < 4; ++row)
        QCOMPARE(cell(row, CoverageTableModel::StateColumn, Qt::ForegroundRole).value<QColor>(),
                 PaletteColors::freshnessColor(model->state(row), QApplication::palette()));

    // The filters: failing, never, a part of the dealer ID, a type.
    const auto filtered = [&](const std::function<void()> &change) {
        QSignalSpy spy(panel, &DealersPanel::refreshed);
        change();
        if (!spy.wait(5000))
            return QStringList{"(no read)"};
        QStringList rows;
        for (const CoverageRow &row : model->rows())
            rows << row.dealerId + "/" + row.fetchType;
        return rows;
    };
    QCOMPARE(filtered([&] { panel->stateFilter()->setCurrentIndex(2); }),
             QStringList{"B2/prospect"});
    // Never succeeded: the failing one too.
    QCOMPARE(filtered([&] { panel->stateFilter()->setCurrentIndex(3); }),
             QStringList({"B2/prospect", "Cb3/sales"}));
    QCOMPARE(filtered([&] { panel->stateFilter()->setCurrentIndex(1); }), QStringList{"B2/sales"});
    QCOMPARE(filtered([&] { panel->stateFilter()->setCurrentIndex(0); }).size(), 4);
    if (const QString dir = qEnvironmentVariable("DEALERQ_SCREENSHOTS"); !dir.isEmpty())
        QVERIFY(panel->grab().save(dir + "/dealers.png"));
    QCOMPARE(filtered([&] {
                 panel->dealerSearch()->setText("b");
                 emit panel->dealerSearch()->returnPressed();
             }),
             QStringList({"B2/prospect", "B2/sales", "Cb3/sales"}));
    QCOMPARE(filtered([&] { panel->typeFilter()->setCurrentIndex(2); }),
             QStringList({"B2/sales", "Cb3/sales"}));
    QCOMPARE(panel->infoText(), QStringLiteral("Rows 1–2 of 2"));
}

void TestInsightView::fetchSinceLastSuccessForThreeDealers()
{
    // A1's sales are covered up to yesterday evening; B2's twice, the later window counts;
    // C3 has never succeeded; D4 is not selected.
    const qint64 a1 = at("2026-10-24T18:00:00+02:00");
    const qint64 b2 = at("2026-10-25T06:29:59+01:00");
    finishJob("A1", "sales", a1, JobStatus::Completed, Now - 2 * Hour);
    finishJob("B2", "sales", b2 - Day, JobStatus::Completed, Now - 5 * Hour);
    finishJob("B2", "sales", b2, JobStatus::Completed, Now - 4 * Hour);
    finishJob("C3", "sales", a1, JobStatus::Failed, Now - 3 * Hour);
    finishJob("D4", "sales", a1, JobStatus::Completed, Now - 3 * Hour);
    DealersPanel *panel = m_window->dealersPanel();
    QVERIFY(shown(panel));
    QCOMPARE(panel->model()->rowCount(), 4);

    QTableView *view = panel->view();
    QItemSelectionModel *selection = view->selectionModel();
    for (int row : {0, 1, 2})
        selection->select(panel->model()->index(row, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QSignalSpy queued(panel, &DealersPanel::fetchQueued);
    QTest::mouseClick(panel->fetchButton(), Qt::LeftButton);
    QVERIFY(queued.wait(5000));

    StoreError error;
    const std::optional<QVector<Job>> jobs = m_store->queuedJobs(100, &error);
    QVERIFY2(jobs, qPrintable(error.message));
    QCOMPARE(jobs->size(), 3);
    const qint64 nowSecond = Now - Now % 1000;
    QCOMPARE(jobs->at(0).dealerId, QStringLiteral("A1"));
    QCOMPARE(jobs->at(0).fetchType, QStringLiteral("sales"));
    QCOMPARE(jobs->at(0).fromMs, a1 + 1000);
    QCOMPARE(jobs->at(0).toMs, nowSecond - 1000);
    QCOMPARE(jobs->at(1).dealerId, QStringLiteral("B2"));
    QCOMPARE(jobs->at(1).fromMs, b2 + 1000);
    QCOMPARE(jobs->at(1).toMs, nowSecond - 1000);
    // No success: the day before today, whole (25 October's 25 hours are today's).
    QCOMPARE(jobs->at(2).dealerId, QStringLiteral("C3"));
    QCOMPARE(jobs->at(2).fromMs, at("2026-10-24T00:00:00+02:00"));
    QCOMPARE(jobs->at(2).toMs, at("2026-10-24T23:59:59+02:00"));
    QVERIFY(jobs->at(0).createdBy.startsWith(QLatin1String("window:")));

    // Asked again: the same windows are queued already and not queued twice.
    QSignalSpy again(panel, &DealersPanel::fetchQueued);
    QSignalSpy messages(panel, &DealersPanel::message);
    for (int row : {0, 1, 2})
        selection->select(panel->model()->index(row, 0),
                          QItemSelectionModel::Select | QItemSelectionModel::Rows);
    panel->fetchSinceLastSuccess();
    QVERIFY(again.wait(5000));
    QCOMPARE(m_store->queuedJobs(100, &error)->size(), 3);
    QVERIFY(!messages.isEmpty());
    QCOMPARE(
        messages.last().at(0).toString(),
        QStringLiteral("Queued 0 jobs since the last success. Skipped 3 jobs already queued."));
}

int main(int argc, char *argv[])
{
    qputenv("TZ", "Europe/Berlin");
    tzset();
    QApplication app(argc, argv);
    TestInsightView test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_insightview.moc"
