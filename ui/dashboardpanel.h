#pragma once

#include "job/insight.h"
#include "messagebar.h"
#include "pagedread.h"

#include <QVector>
#include <QWidget>

#include <functional>

class ChartWidget;
class JobQueue;
class QComboBox;
struct StoreError;

/// The Dashboard view (SPEC §10): charts of the finished jobs by status, the records fetched and
/// the p50/p95 job duration, hourly over 24 hours or daily over 30 days, with exact values on
/// hover. Reads JobQueue::readStats() when shown, when refresh() is called while it is shown
/// (the window's refresh), and when the range changes.
class DashboardPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardPanel)

public:
    explicit DashboardPanel(JobQueue *queue, QWidget *parent = nullptr);
    ~DashboardPanel() override;

    /// Where "now" comes from (tests set a fixed one); the system clock by default.
    void setClock(std::function<qint64()> nowMs) { m_nowMs = std::move(nowMs); }
    QComboBox *rangeBox() const { return m_range; }
    StatsRange range() const;
    ChartWidget *jobsChart() const { return m_jobs; }
    ChartWidget *recordsChart() const { return m_records; }
    ChartWidget *durationChart() const { return m_durations; }
    /// The buckets shown.
    const QVector<StatsBucket> &buckets() const { return m_buckets; }

    void refresh();
    void refreshIfShown();

signals:
    void message(const QString &text, MessageBar::Level level);
    void storeFailed(const StoreError &error);
    /// A read ended and its figures are drawn.
    void refreshed();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void display(const QVector<StatsBucket> &buckets, StatsRange range);

    JobQueue *m_queue = nullptr;
    QComboBox *m_range = nullptr;
    ChartWidget *m_jobs = nullptr;
    ChartWidget *m_records = nullptr;
    ChartWidget *m_durations = nullptr;
    QVector<StatsBucket> m_buckets;
    std::function<qint64()> m_nowMs;
    SingleRead m_read;
};
