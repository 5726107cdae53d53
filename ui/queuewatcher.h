#pragma once

#include "job/queuetypes.h"

#include <functional>
#include <optional>

#include <QObject>

class JobQueue;
class QTimer;

/// Keeps the window up to date: reads a QueueSnapshot through JobQueue::readSnapshot (never on the
/// UI thread) shortly after JobQueue::changed and every refresh interval. Reads never overlap: a
/// request during a read runs once that read is in.
class QueueWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueueWatcher)

public:
    explicit QueueWatcher(JobQueue *queue, QObject *parent = nullptr);
    ~QueueWatcher() override;

    /// Called before each read for how many queued jobs to read.
    void setQueueLimitSource(std::function<int()> source);
    /// Called before each read for the history filter and window (limit) to read.
    void setHistoryFilterSource(std::function<HistoryFilter()> source);
    /// Called before each read for which queued jobs to read (a filter naming no field: all).
    void setQueueFilterSource(std::function<QueuedFilter()> source);
    void setInterval(int seconds);
    /// Reads now (or right after the read under way).
    void refreshNow();
    /// Reads after a short pause, so that a burst of changes costs one read.
    void refreshSoon();

signals:
    /// A read is in; connected slots update the widgets.
    void snapshotReady(const QueueSnapshot &snapshot);
    /// After snapshotReady: how long the widgets took to update on the UI thread.
    void refreshed(qint64 uiNanoseconds);

private:
    JobQueue *m_queue = nullptr;
    std::function<int()> m_queueLimit;
    std::function<HistoryFilter()> m_historyFilter;
    std::function<QueuedFilter()> m_queueFilter;
    QTimer *m_intervalTimer = nullptr;
    QTimer *m_soonTimer = nullptr;
    bool m_inFlight = false;
    bool m_again = false;
};
