#pragma once

#include "job/queuetypes.h"
#include "messagebar.h"

#include <QVector>
#include <QWidget>

class JobQueue;
class JobTableModel;
class JobTableView;
class QAction;
class QComboBox;
class QLabel;
class QToolButton;
class QLineEdit;
class QTimer;

/// The waiting jobs in run order, with cancel (button, context menu, Delete; several at once),
/// run next, and move up/down. Loads the first rows and more as the view scrolls down. A filter
/// by fetch type and dealer ID is read by the store, so it shows every matching queued job, not
/// only the rows loaded; "Cancel Matching" cancels every queued job it matches (never the
/// running one) after a confirmation that says how many.
class QueuePanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueuePanel)

public:
    /// Rows added to the window each time the view scrolls to its end.
    static constexpr int PageSize = 1000;

    explicit QueuePanel(JobQueue *queue, QWidget *parent = nullptr);
    ~QueuePanel() override;

    /// How many queued jobs the next refresh should read.
    int rowLimit() const { return m_rowLimit; }
    /// Which queued jobs the next refresh should read (no field: all).
    QueuedFilter queueFilter() const { return m_filter; }
    /// Sets the filter (empty: any type, any dealer) and reads.
    void setFilter(const QString &fetchType, const QString &dealerId);
    /// Asks, with the count the store gives, then cancels every queued job the filter matches
    /// (every queued job without one), in one transaction.
    void cancelMatching();
    void applySnapshot(const QueueSnapshot &snapshot);

    JobTableView *view() const { return m_view; }
    JobTableModel *model() const { return m_model; }
    QAction *cancelAction() const { return m_cancel; }
    QAction *runNextAction() const { return m_runNext; }
    QAction *moveUpAction() const { return m_moveUp; }
    QAction *moveDownAction() const { return m_moveDown; }
    QAction *cancelMatchingAction() const { return m_cancelMatching; }

    /// Cancels these jobs (queued ones at once, a running one is aborted and rolled back).
    void cancelJobs(const QVector<qint64> &ids);
    void moveJobs(const QVector<qint64> &ids, MoveOp op);

signals:
    /// More rows are wanted: refresh with the new rowLimit().
    void refreshWanted();
    void message(const QString &text, MessageBar::Level level);
    void storeFailed(const StoreError &error);
    void detailsRequested(qint64 jobId);

private:
    void updateActions();
    void updateInfo();
    void readFilterInputs();
    void confirmCancelMatching(const QueuedFilter &filter, qint64 count);

    JobQueue *m_queue = nullptr;
    JobTableModel *m_model = nullptr;
    JobTableView *m_view = nullptr;
    QLabel *m_info = nullptr;
    QAction *m_cancel = nullptr;
    QAction *m_runNext = nullptr;
    QAction *m_moveUp = nullptr;
    QAction *m_moveDown = nullptr;
    QAction *m_cancelMatching = nullptr;
    QToolButton *m_cancelButton = nullptr; ///< Cancel Selected, with Cancel Matching in its menu
    QComboBox *m_type = nullptr;
    QLineEdit *m_dealer = nullptr;
    QTimer *m_filterDelay = nullptr;
    QueuedFilter m_filter;
    int m_rowLimit = PageSize;
    bool m_busy = false;
};
