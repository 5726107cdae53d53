#pragma once

#include "messagebar.h"

#include <QVector>
#include <QWidget>

class JobQueue;
class JobTableModel;
class JobTableView;
class QAction;
class QLabel;
enum class MoveOp;
struct QueueSnapshot;
struct StoreError;

/// The waiting jobs in run order, with cancel (button, context menu, Delete; several at once),
/// run next, and move up/down. Loads the first rows and more as the view scrolls down.
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
    void applySnapshot(const QueueSnapshot &snapshot);

    JobTableView *view() const { return m_view; }
    JobTableModel *model() const { return m_model; }
    QAction *cancelAction() const { return m_cancel; }
    QAction *runNextAction() const { return m_runNext; }
    QAction *moveUpAction() const { return m_moveUp; }
    QAction *moveDownAction() const { return m_moveDown; }

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

    JobQueue *m_queue = nullptr;
    JobTableModel *m_model = nullptr;
    JobTableView *m_view = nullptr;
    QLabel *m_info = nullptr;
    QAction *m_cancel = nullptr;
    QAction *m_runNext = nullptr;
    QAction *m_moveUp = nullptr;
    QAction *m_moveDown = nullptr;
    int m_rowLimit = PageSize;
    bool m_busy = false;
};
