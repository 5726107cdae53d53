#pragma once

#include "config/settings.h"
#include "messagebar.h"

#include <QMainWindow>
#include <QMap>
#include <QPointer>
#include <QString>

class AddJobWidget;
class BulkAddWidget;
class DesktopNotifier;
class HistoryPanel;
class JobQueue;
class QAction;
class QLabel;
class QMessageBox;
class QSplitter;
class QSystemTrayIcon;
class QTabWidget;
class QueuePanel;
class QueueStatusWidget;
class QueueWatcher;
class SchedulesPanel;
class AuditPanel;
class DashboardPanel;
class DealersPanel;
class Settings;
struct Job;
struct QueueSnapshot;

/// What main() hands the window.
struct WindowContext
{
    JobQueue *queue = nullptr; ///< started already; runJobs true in the normal app
    Settings *settings = nullptr;
    QString databaseDisplay; ///< e.g. "sqlite:///root/.local/share/dealerq/dealerq.db"
    QString sourceDisplay;   ///< the dealer API base URL, or "built-in demo simulator"
    bool demo = false;       ///< show a clear banner when true
    /// Where the source came from: "--demo", "--source", "DEALERQ_SOURCE_URL" (a source saved in
    /// Settings then does not apply to this run), "settings", or empty (none configured).
    QString sourceOrigin;
    QString apiAddress;      ///< e.g. "127.0.0.1:8000", empty when the API is off
    QString apiToken;        ///< shown masked with a copy button
    /// The settings this run does not use, each with what is in effect instead and from where
    /// (the command line or the environment): Settings shows them under their fields. A
    /// secret's value is empty.
    struct Overridden
    {
        QString value;
        QString origin; ///< "--source", "DEALERQ_DB", ...
    };
    QMap<Settings::Key, Overridden> overridden;
};

/// The Job Queue window: the queue's status line, adding one job or many, the queue, and below
/// it the history and the schedules as two tabs; job details, settings. Every store access is one
/// of JobQueue's operations, so the window never waits on the database; the tables follow the queue
/// within a moment of any change and re-read it every refresh interval, in place.
///
/// Closing while this process runs a job asks (a window-modal QMessageBox named
/// "closeQuestion") whether to wait — the window closes by itself once the job finished — or
/// to quit now; main() then stops the queue, which rolls the job back and queues it again.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(const WindowContext &context, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Re-reads the store now; refreshFinished follows once the window shows it.
    void refreshNow();
    /// True after the operator chose to wait for the running job before closing.
    bool isWaitingToClose() const { return m_closeWhenIdle; }
    /// The open close question, if any.
    QMessageBox *closeQuestion() const;
    /// The latest "batch finished" notification text.
    QString lastNotification() const { return m_lastNotification; }

    QueueStatusWidget *statusWidget() const { return m_status; }
    MessageBar *messageBar() const { return m_messages; }
    AddJobWidget *addJobWidget() const { return m_addJob; }
    BulkAddWidget *bulkAddWidget() const { return m_bulkAdd; }
    QueuePanel *queuePanel() const { return m_queuePanel; }
    HistoryPanel *historyPanel() const { return m_history; }
    SchedulesPanel *schedulesPanel() const { return m_schedules; }
    AuditPanel *auditPanel() const { return m_audit; }
    DashboardPanel *dashboardPanel() const { return m_dashboard; }
    DealersPanel *dealersPanel() const { return m_dealers; }

public slots:
    /// Opens the details of a job (non-modal).
    void showJobDetails(qint64 jobId);
    /// Opens the settings dialog (window-modal).
    void showSettings();
    /// Pastes the clipboard into the bulk box and checks it; Enter then queues.
    void pasteAndQueue();
    /// Brings the Schedules tab forward and puts the focus in its list.
    void showSchedules();
    /// Raises the window with the history showing only failed jobs (a clicked notification).
    void showFailedJobs();

signals:
    /// A refresh is shown; `uiNanoseconds` is what it cost the UI thread.
    void refreshFinished(qint64 uiNanoseconds);
    /// A batch of jobs ran and the queue is empty again.
    void batchFinished(const QString &summary);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    QWidget *buildConnectionInfo();
    /// The status bar's database and source: the source of the instance that runs the jobs.
    void updateWhere();
    /// Hands the source saved in Settings to the runner (unless --source or the environment
    /// chose this run's); returns what to tell the operator.
    QString applySavedSource();
    void applySnapshot(const QueueSnapshot &snapshot);
    void showMessage(const QString &text, MessageBar::Level level);
    void onJobFinished(const Job &job);
    void onQueueEmpty();
    void notify(const QString &text, bool failures);
    bool jobRunningHere() const;
    void askBeforeClosing();
    void closeNow();
    void restoreLayout();
    void saveLayout();

    WindowContext m_context;
    QLabel *m_demoBanner = nullptr;
    QLabel *m_where = nullptr; ///< database and source, in the status bar
    QString m_runnerHolder;    ///< the instance that runs jobs, as last read
    QString m_runnerSource;    ///< its source, as last read
    QueueWatcher *m_watcher = nullptr;
    QueueStatusWidget *m_status = nullptr;
    MessageBar *m_messages = nullptr;
    AddJobWidget *m_addJob = nullptr;
    BulkAddWidget *m_bulkAdd = nullptr;
    QueuePanel *m_queuePanel = nullptr;
    HistoryPanel *m_history = nullptr;
    SchedulesPanel *m_schedules = nullptr;
    AuditPanel *m_audit = nullptr;
    DashboardPanel *m_dashboard = nullptr;
    DealersPanel *m_dealers = nullptr;
    QTabWidget *m_lowerTabs = nullptr; ///< the history and the schedules, under the queue
    QSplitter *m_mainSplitter = nullptr;
    QSplitter *m_tableSplitter = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    DesktopNotifier *m_notifier = nullptr;
    QPointer<QMessageBox> m_closeQuestion;
    QString m_lastReadError;
    QString m_lastNotification;
    int m_batchCompleted = 0;
    int m_batchFailed = 0;
    int m_batchCancelled = 0;
    bool m_closeWhenIdle = false;
    bool m_closeAllowed = false;
};
