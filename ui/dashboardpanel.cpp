#include "dashboardpanel.h"

#include "chartwidget.h"
#include "jobformat.h"
#include "palettecolors.h"
#include "queue/jobqueue.h"

#include <QComboBox>
#include <QGridLayout>
#include <QScrollArea>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

DashboardPanel::DashboardPanel(JobQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_range(new QComboBox(this))
    , m_jobs(new ChartWidget(tr("Finished jobs"), ChartWidget::Style::StackedBars, this))
    , m_records(new ChartWidget(tr("Records fetched"), ChartWidget::Style::StackedBars, this))
    , m_durations(
          new ChartWidget(tr("Job duration (completed jobs)"), ChartWidget::Style::Lines, this))
    , m_nowMs([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    setObjectName(QStringLiteral("dashboardPanel"));
    m_range->setObjectName(QStringLiteral("dashboardRange"));
    m_range->addItem(tr("Last 24 hours, by hour"), int(StatsRange::Hours24));
    m_range->addItem(tr("Last 30 days, by day"), int(StatsRange::Days30));
    m_range->setToolTip(tr("Which hours or days the charts show; hover over a bar or point for "
                           "its exact figures"));
    m_jobs->setObjectName(QStringLiteral("jobsChart"));
    m_records->setObjectName(QStringLiteral("recordsChart"));
    m_durations->setObjectName(QStringLiteral("durationChart"));

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Show:"), this));
    top->addWidget(m_range);
    top->addStretch(1);
    // The charts scroll rather than push the queue above them together on a small screen.
    auto *area = new QScrollArea(this);
    area->setObjectName(QStringLiteral("dashboardCharts"));
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    auto *inner = new QWidget(area);
    auto *charts = new QGridLayout(inner);
    charts->setContentsMargins(0, 0, 0, 0);
    charts->addWidget(m_jobs, 0, 0, 1, 2);
    charts->addWidget(m_records, 1, 0);
    charts->addWidget(m_durations, 1, 1);
    m_jobs->setParent(inner);
    m_records->setParent(inner);
    m_durations->setParent(inner);
    area->setWidget(inner);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(area, 1);

    connect(m_range, &QComboBox::currentIndexChanged, this, &DashboardPanel::refresh);
}

DashboardPanel::~DashboardPanel() = default;

StatsRange DashboardPanel::range() const
{
    return StatsRange(m_range->currentData().toInt());
}

void DashboardPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void DashboardPanel::refreshIfShown()
{
    if (isVisible())
        refresh();
}

void DashboardPanel::refresh()
{
    if (!m_read.start())
        return;
    const StatsRange range = this->range();
    m_queue->readStats(
        this, range, m_nowMs(), [this, range](QueueResult<QVector<StatsBucket>> result) {
            if (m_read.landedStale()) {
                refresh();
                return;
            }
            if (!result.ok()) {
                emit storeFailed(result.error);
                emit message(tr("Could not read the figures: %1").arg(result.error.message),
                             MessageBar::Level::Error);
                return;
            }
            display(*result.value, range);
            emit refreshed();
        });
}

void DashboardPanel::display(const QVector<StatsBucket> &buckets, StatsRange range)
{
    m_buckets = buckets;
    const QLocale locale;
    QStringList labels;
    QStringList tips;
    QVector<std::optional<double>> completed, failed, cancelled, fetched, p50, p95;
    for (const StatsBucket &b : buckets) {
        const QDateTime start = QDateTime::fromMSecsSinceEpoch(b.startMs);
        if (range == StatsRange::Hours24) {
            labels << locale.toString(start.time(), QStringLiteral("HH:mm"));
            tips << tr("%1, from %2")
                        .arg(locale.toString(start.date(), QLocale::ShortFormat),
                             locale.toString(start.time(), QLocale::ShortFormat));
        } else {
            labels << locale.toString(start.date(), QStringLiteral("d MMM"));
            tips << locale.toString(start.date(), QLocale::LongFormat);
        }
        completed << double(b.completed);
        failed << double(b.failed);
        cancelled << double(b.cancelled);
        fetched << double(b.fetched);
        p50 << b.p50Seconds;
        p95 << b.p95Seconds;
    }
    const auto status = [](JobStatus s) {
        return [s](const QPalette &palette) { return PaletteColors::statusColor(s, palette); };
    };
    const auto counts = [](double v) { return JobFormat::count(qRound64(v)); };
    m_jobs->setData(labels, tips,
                    {{tr("Completed"), status(JobStatus::Completed), completed},
                     {tr("Failed"), status(JobStatus::Failed), failed},
                     {tr("Cancelled"), status(JobStatus::Cancelled), cancelled}},
                    counts);
    m_records->setData(labels, tips, {{tr("Records"), status(JobStatus::Running), fetched}},
                       counts);
    m_durations->setData(
        labels, tips,
        {{tr("Median (p50)"), status(JobStatus::Running), p50},
         {tr("95th percentile (p95)"), PaletteColors::pausedColor, p95}},
        [](double v) { return JobFormat::duration(v); },
        [](double v) { return tr("%1 s").arg(QLocale().toString(v, 'f', 3)); });
}
