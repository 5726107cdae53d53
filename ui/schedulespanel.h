#pragma once

#include "messagebar.h"

#include <QWidget>

class JobQueue;
class QAction;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class ScheduleDialog;
class ScheduleTableModel;
struct Schedule;
struct StoreError;

/// The Schedules view (SPEC §6): every schedule with the cron in words, window, dealers, next
/// and last fire, enabled; sortable by any column. Add…, Edit… (double-click, Enter),
/// Enable/Disable, Run Now and Delete… (the Delete key; asks first, Cancel the default), which
/// act on the selected schedule while the view is shown. Reads
/// through JobQueue when refresh() is called while it is shown, when it is shown, and after each
/// change it makes.
class SchedulesPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SchedulesPanel)

public:
    explicit SchedulesPanel(JobQueue *queue, QWidget *parent = nullptr);
    ~SchedulesPanel() override;

    QTableView *view() const { return m_view; }
    ScheduleTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QAction *addScheduleAction() const { return m_add; }
    QAction *editScheduleAction() const { return m_edit; }
    /// Disables the selected schedule, or enables it; its text says which.
    QAction *toggleScheduleAction() const { return m_toggle; }
    QAction *runScheduleAction() const { return m_runNow; }
    QAction *deleteScheduleAction() const { return m_delete; }
    /// The schedule selected (0 for none).
    qint64 selectedId() const;
    void selectSchedule(qint64 id);

    /// Reads the schedules now (or right after the read under way).
    void refresh();
    /// refresh() if the view is on screen; what the window's refresh calls.
    void refreshIfShown();

    /// Opens the dialog to add a schedule (window-modal).
    ScheduleDialog *addSchedule();
    /// Opens the dialog to edit schedule `id` (window-modal).
    ScheduleDialog *editSchedule(qint64 id);
    void setScheduleEnabled(qint64 id, bool enabled);
    void runNow(qint64 id);
    /// Asks (a window-modal box named "deleteScheduleConfirmation"), then deletes.
    void deleteSchedule(qint64 id);

signals:
    void message(const QString &text, MessageBar::Level level);
    void storeFailed(const StoreError &error);
    /// A read is in and shown.
    void refreshed();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    ScheduleDialog *openDialog(const Schedule *existing);
    void fitWhenColumn();
    /// The row's schedule as last read, or nullptr.
    const Schedule *scheduleOf(qint64 id) const;
    void updateActions();
    void updateInfo();
    void reportError(const QString &what, const StoreError &error);

    JobQueue *m_queue = nullptr;
    ScheduleTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_info = nullptr;
    QAction *m_add = nullptr;
    QAction *m_edit = nullptr;
    QAction *m_toggle = nullptr;
    QAction *m_runNow = nullptr;
    QAction *m_delete = nullptr;
    qint64 m_selectWhenRead = 0; ///< a schedule just saved, to select once a read shows it
    bool m_loaded = false;
    bool m_reading = false;
    bool m_readAgain = false;
    bool m_busy = false;
};
