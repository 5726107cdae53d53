#include "mainwindow.h"

#include "addjobwidget.h"
#include "auditpanel.h"
#include "dashboardpanel.h"
#include "dealerspanel.h"
#include "bulkaddwidget.h"
#include "desktopnotifier.h"
#include "config/settings.h"
#include "historypanel.h"
#include "jobdetailsdialog.h"
#include "jobformat.h"
#include "jobtableview.h"
#include "noticearea.h"
#include "palettecolors.h"
#include "queue/jobqueue.h"
#include "queuepanel.h"
#include "queuestatuswidget.h"
#include "queuewatcher.h"
#include "schedulespanel.h"
#include "settingsdialog.h"

#include <QApplication>
#include <QDir>
#include <QClipboard>
#include <QCoreApplication>
#include <QCloseEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

QGroupBox *group(const QString &title, QWidget *content, QWidget *parent)
{
    auto *box = new QGroupBox(title, parent);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(content);
    return box;
}

/// A data source for people: what every instance stores and the API reports is English
/// (AppSetup::sourceDisplay()); the demo simulator's name is the one wording to translate.
QString sourceWords(const QString &source)
{
    return source == QLatin1String("built-in demo simulator")
               ? QCoreApplication::translate("MainWindow", "built-in demo simulator")
               : source;
}

} // namespace

MainWindow::MainWindow(const WindowContext &context, QWidget *parent)
    : QMainWindow(parent)
    , m_context(context)
{
    Q_ASSERT(m_context.queue);
    JobQueue *queue = m_context.queue;
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("dealerq — Job Queue"));
    setWindowIcon(JobFormat::applicationIcon());

    m_watcher = new QueueWatcher(queue, this);
    m_status = new QueueStatusWidget(queue, this);
    m_messages = new MessageBar(this);
    m_addJob = new AddJobWidget(queue, this);
    m_bulkAdd = new BulkAddWidget(queue, this);
    m_queuePanel = new QueuePanel(queue, this);
    m_history = new HistoryPanel(queue, this);
    m_schedules = new SchedulesPanel(queue, this);
    m_audit = new AuditPanel(queue, this);
    m_dashboard = new DashboardPanel(queue, this);
    m_dealers = new DealersPanel(queue, queue->config().fetchTypes, this);
    if (m_context.settings)
        m_dealers->setStaleHours(m_context.settings->coverageStaleHours());

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 6);
    if (m_context.demo) {
        const QString saved = m_context.settings ? m_context.settings->sourceUrl() : QString();
        auto *banner = new QLabel(
            m_context.sourceOrigin == QLatin1String("--demo") && !saved.isEmpty()
                ? tr("Demo mode (--demo): jobs fetch from the built-in demo simulator, not from "
                     "the data source saved in Settings (%1), which this run does not use. Every "
                     "dealer ID gets a few made-up records.")
                      .arg(saved)
                : tr("Demo mode: jobs fetch from the built-in demo simulator, not from a dealer "
                     "data API. Every dealer ID gets a few made-up records. Set a data source in "
                     "Settings to fetch real data."),
            central);
        m_demoBanner = banner;
        banner->setObjectName(QStringLiteral("demoBanner"));
        banner->setWordWrap(true);
        banner->setMargin(6);
        PaletteColors::setTone(banner, PaletteColors::Tone::Demo);
        QFont font = banner->font();
        font.setBold(true);
        banner->setFont(font);
        layout->addWidget(banner);
    }
    layout->addWidget(m_status);
    auto *notices = new NoticeArea(m_messages, m_status->notice(), central);
    connect(m_status, &QueueStatusWidget::noticeChanged, notices, &NoticeArea::updateShown);
    layout->addWidget(notices);

    auto *left = new QWidget(central);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(group(tr("Add a job"), m_addJob, left));
    leftLayout->addWidget(group(tr("Add many jobs"), m_bulkAdd, left), 1);

    m_tableSplitter = new QSplitter(Qt::Vertical, central);
    m_tableSplitter->setObjectName(QStringLiteral("tableSplitter"));
    m_tableSplitter->addWidget(group(tr("Queue"), m_queuePanel, m_tableSplitter));
    // The queue keeps its place all day; the history and the schedules share the space below.
    m_lowerTabs = new QTabWidget(m_tableSplitter);
    m_lowerTabs->setObjectName(QStringLiteral("lowerTabs"));
    m_lowerTabs->addTab(m_history, tr("History"));
    m_lowerTabs->addTab(m_schedules, tr("Schedules"));
    m_lowerTabs->addTab(m_audit, tr("Audit"));
    m_lowerTabs->addTab(m_dashboard, tr("Dashboard"));
    m_lowerTabs->addTab(m_dealers, tr("Dealers"));
    m_tableSplitter->addWidget(m_lowerTabs);
    // The queue is what an operator works on: it gets the larger share, so that a small screen
    // (1024 x 700) still shows eight or more of its rows.
    m_tableSplitter->setStretchFactor(0, 3);
    m_tableSplitter->setStretchFactor(1, 2);

    m_mainSplitter = new QSplitter(Qt::Horizontal, central);
    m_mainSplitter->setObjectName(QStringLiteral("mainSplitter"));
    m_mainSplitter->addWidget(left);
    m_mainSplitter->addWidget(m_tableSplitter);
    m_mainSplitter->setStretchFactor(0, 0);
    m_mainSplitter->setStretchFactor(1, 1);
    m_mainSplitter->setSizes({300, 980});
    layout->addWidget(m_mainSplitter, 1);
    setCentralWidget(central);

    statusBar()->addPermanentWidget(buildConnectionInfo());
    buildMenus();

    m_watcher->setQueueLimitSource([this] { return m_queuePanel->rowLimit(); });
    m_watcher->setHistoryFilterSource([this] { return m_history->refreshFilter(); });
    m_watcher->setQueueFilterSource([this] { return m_queuePanel->queueFilter(); });
    connect(m_watcher, &QueueWatcher::snapshotReady, this, &MainWindow::applySnapshot);
    connect(m_watcher, &QueueWatcher::refreshed, this, &MainWindow::refreshFinished);
    if (m_context.settings) {
        m_watcher->setInterval(m_context.settings->refreshIntervalS());
        PaletteColors::applyPaletteChoice(m_context.settings->windowPalette());
        connect(m_context.settings, &Settings::changed, this, [this](Settings::Key key) {
            if (key == Settings::Key::RefreshIntervalS)
                m_watcher->setInterval(m_context.settings->refreshIntervalS());
            else if (key == Settings::Key::WindowPalette)
                PaletteColors::applyPaletteChoice(m_context.settings->windowPalette());
            else if (key == Settings::Key::CoverageStaleHours)
                m_dealers->setStaleHours(m_context.settings->coverageStaleHours());
        });
    }

    // The panels change the queue through JobQueue's operations, which wake the runner and
    // refresh the window themselves (JobQueue::changed).
    const auto onMessage = [this](const QString &text, MessageBar::Level level) {
        showMessage(text, level);
    };
    const auto onStoreError = [this](const StoreError &error) { m_status->noteStoreError(error); };
    connect(m_status, &QueueStatusWidget::message, this, onMessage);
    connect(m_status, &QueueStatusWidget::detailsRequested, this, &MainWindow::showJobDetails);
    connect(m_addJob, &AddJobWidget::message, this, onMessage);
    connect(m_addJob, &AddJobWidget::storeFailed, this, onStoreError);
    connect(m_bulkAdd, &BulkAddWidget::message, this, onMessage);
    connect(m_bulkAdd, &BulkAddWidget::storeFailed, this, onStoreError);
    connect(m_queuePanel, &QueuePanel::refreshWanted, m_watcher, &QueueWatcher::refreshNow);
    connect(m_queuePanel, &QueuePanel::message, this, onMessage);
    connect(m_queuePanel, &QueuePanel::storeFailed, this, onStoreError);
    connect(m_queuePanel, &QueuePanel::detailsRequested, this, &MainWindow::showJobDetails);
    connect(m_history, &HistoryPanel::refreshWanted, m_watcher, &QueueWatcher::refreshNow);
    connect(m_history, &HistoryPanel::message, this, onMessage);
    connect(m_history, &HistoryPanel::storeFailed, this, onStoreError);
    connect(m_history, &HistoryPanel::detailsRequested, this, &MainWindow::showJobDetails);
    connect(m_schedules, &SchedulesPanel::message, this, onMessage);
    connect(m_schedules, &SchedulesPanel::storeFailed, this, onStoreError);
    // The schedules follow the window's refresh while they are on screen.
    connect(m_watcher, &QueueWatcher::snapshotReady, m_schedules, &SchedulesPanel::refreshIfShown);
    connect(m_audit, &AuditPanel::message, this, onMessage);
    connect(m_audit, &AuditPanel::storeFailed, this, onStoreError);
    connect(m_audit, &AuditPanel::detailsRequested, this, &MainWindow::showJobDetails);
    connect(m_watcher, &QueueWatcher::snapshotReady, m_audit, &AuditPanel::refreshIfShown);
    // The dashboard's charts and the dealers' coverage follow the window's refresh while shown.
    connect(m_dashboard, &DashboardPanel::message, this, onMessage);
    connect(m_dashboard, &DashboardPanel::storeFailed, this, onStoreError);
    connect(m_watcher, &QueueWatcher::snapshotReady, m_dashboard, &DashboardPanel::refreshIfShown);
    connect(m_dealers, &DealersPanel::message, this, onMessage);
    connect(m_dealers, &DealersPanel::storeFailed, this, onStoreError);
    connect(m_watcher, &QueueWatcher::snapshotReady, m_dealers, &DealersPanel::refreshIfShown);

    connect(queue, &JobQueue::jobFinished, this, &MainWindow::onJobFinished);
    connect(queue, &JobQueue::queueEmpty, this, &MainWindow::onQueueEmpty);
    connect(queue, &JobQueue::runnerStateChanged, this, [this](RunnerState state) {
        if (m_closeWhenIdle && state != RunnerState::Running)
            closeNow();
    });
    // A change waiting behind a big job's commit (SQLite's one write lock) says what it waits
    // for; the change's own message follows once it is in.
    connect(queue, &JobQueue::waitingForCommit, this,
            [this](qint64 jobId, qint64 records, qint64 waitedMs) {
                showMessage(tr("Waiting for job %1 to commit its %2 records (%3 s so far): your "
                               "change goes in as soon as it has.")
                                .arg(jobId)
                                .arg(QLocale().toString(records))
                                .arg(waitedMs / 1000),
                            MessageBar::Level::Info);
            });

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        m_tray->setToolTip(tr("dealerq"));
        connect(m_tray, &QSystemTrayIcon::activated, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
        m_tray->show();
    }
    // Failures and a drained queue reach the operator who is not looking at the window.
    m_notifier = new DesktopNotifier(QDBusConnection::sessionBus(), this);
    m_notifier->setTray(m_tray);
    connect(queue, &JobQueue::jobFinished, m_notifier, &DesktopNotifier::jobFinished);
    connect(queue, &JobQueue::queueEmpty, m_notifier, &DesktopNotifier::queueEmpty);
    connect(m_notifier, &DesktopNotifier::failedJobsWanted, this, &MainWindow::showFailedJobs);

    resize(1280, 800);
    restoreLayout();
    m_addJob->focusDealerId();
    refreshNow();

    // Scripts get exit code 2 for such a file; the window opens on the defaults and says so, so
    // that the operator can put it right in Settings.
    if (m_context.settings) {
        const QStringList problems = m_context.settings->problems();
        // A source profile has no default to fall back on (SPEC §11): jobs fail saying so.
        const bool profileUnusable = !m_context.settings->sourceProfile();
        if (!problems.isEmpty())
            showMessage(
                (profileUnusable
                     ? tr("The settings file %1 has values that cannot be used; jobs fail until "
                          "the source profile is fixed in Settings, and the defaults apply to "
                          "the other values: %2")
                     : tr("The settings file %1 has values that cannot be used; the defaults "
                          "apply until they are fixed in Settings: %2"))
                    .arg(QDir::toNativeSeparators(m_context.settings->filePath()),
                         problems.join(QStringLiteral("; "))),
                MessageBar::Level::Warning);
    }
}

MainWindow::~MainWindow() = default;

QMessageBox *MainWindow::closeQuestion() const
{
    return m_closeQuestion;
}

QWidget *MainWindow::buildConnectionInfo()
{
    auto *info = new QWidget(this);
    info->setObjectName(QStringLiteral("connectionInfo"));
    auto *layout = new QHBoxLayout(info);
    layout->setContentsMargins(0, 0, 0, 0);
    m_where = new QLabel(info);
    m_where->setObjectName(QStringLiteral("whereLabel"));
    m_where->setTextFormat(Qt::PlainText);
    m_where->setTextInteractionFlags(Qt::TextSelectableByMouse);
    updateWhere();
    layout->addWidget(m_where);
    auto *api = new QLabel(info);
    api->setObjectName(QStringLiteral("apiLabel"));
    api->setTextFormat(Qt::PlainText);
    layout->addSpacing(12);
    layout->addWidget(api);
    if (m_context.apiAddress.isEmpty()) {
        api->setText(tr("REST API off"));
        return info;
    }
    api->setText(tr("REST API: http://%1  token:").arg(m_context.apiAddress));
    auto *token = new QLineEdit(m_context.apiToken, info);
    token->setObjectName(QStringLiteral("apiToken"));
    token->setReadOnly(true);
    token->setEchoMode(QLineEdit::Password);
    token->setMaximumWidth(140);
    token->setToolTip(tr("The token REST API calls must send as Authorization: Bearer TOKEN"));
    layout->addWidget(token);
    auto *copy = new QToolButton(info);
    copy->setObjectName(QStringLiteral("copyApiToken"));
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy the REST API token to the clipboard"));
    connect(copy, &QToolButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_context.apiToken);
        showMessage(tr("REST API token copied to the clipboard."), MessageBar::Level::Info);
    });
    layout->addWidget(copy);
    return info;
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_history->exportAction());
    file->addAction(m_history->exportFilteredAction());
    file->addAction(m_history->exportXlsxAction());
    file->addSeparator();
    QAction *settings = file->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
    settings->setObjectName(QStringLiteral("settingsAction"));
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    settings->setMenuRole(QAction::PreferencesRole);
    settings->setEnabled(m_context.settings != nullptr);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    quit->setMenuRole(QAction::QuitRole);

    QMenu *jobs = menuBar()->addMenu(tr("&Jobs"));
    QAction *add = jobs->addAction(tr("&Add Job"), m_addJob, &AddJobWidget::focusDealerId);
    add->setObjectName(QStringLiteral("addJobAction"));
    add->setShortcut(QKeySequence::New);
    QAction *paste = jobs->addAction(tr("&Paste IDs and Queue"), this, &MainWindow::pasteAndQueue);
    paste->setObjectName(QStringLiteral("pasteAndQueueAction"));
    paste->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    paste->setToolTip(tr("Paste dealer IDs from the clipboard into the bulk box; Enter queues"));
    jobs->addSeparator();
    jobs->addAction(m_queuePanel->runNextAction());
    jobs->addAction(m_queuePanel->moveUpAction());
    jobs->addAction(m_queuePanel->moveDownAction());
    jobs->addAction(m_queuePanel->cancelAction());
    jobs->addAction(m_queuePanel->cancelMatchingAction());
    jobs->addSeparator();
    jobs->addAction(m_history->retryAction());
    jobs->addAction(m_history->retryMatchingAction());
    jobs->addAction(m_history->clearAction());
    jobs->addAction(m_history->removeOlderAction());
    jobs->addSeparator();
    QAction *pause =
        jobs->addAction(tr("Pause / &Resume Queue"), m_status, &QueueStatusWidget::togglePause);
    pause->setObjectName(QStringLiteral("pauseAction"));
    pause->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    QAction *refresh = jobs->addAction(tr("Re&fresh"), this, &MainWindow::refreshNow);
    refresh->setShortcut(QKeySequence::Refresh);
    // Window-wide shortcuts of the history (the queue's act where the queue has focus).
    addAction(m_history->retryAction());
    addAction(m_history->exportAction());
    addAction(m_history->exportFilteredAction());

    QMenu *schedules = menuBar()->addMenu(tr("&Schedules"));
    QAction *show = schedules->addAction(tr("&Show Schedules"), this, &MainWindow::showSchedules);
    show->setObjectName(QStringLiteral("showSchedulesAction"));
    show->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    schedules->addSeparator();
    // Adding from the menu brings the list forward, where the new schedule will show.
    connect(m_schedules->addScheduleAction(), &QAction::triggered, this,
            [this] { m_lowerTabs->setCurrentWidget(m_schedules); });
    schedules->addAction(m_schedules->addScheduleAction());
    schedules->addAction(m_schedules->editScheduleAction());
    schedules->addAction(m_schedules->toggleScheduleAction());
    schedules->addAction(m_schedules->runScheduleAction());
    schedules->addSeparator();
    schedules->addAction(m_schedules->deleteScheduleAction());

    // Each tab below the queue one key away, Alt+1 to Alt+5 in the order of the tabs.
    QMenu *view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < m_lowerTabs->count(); ++i) {
        QWidget *tab = m_lowerTabs->widget(i);
        QAction *bring = view->addAction(m_lowerTabs->tabText(i), this,
                                         [this, tab] { m_lowerTabs->setCurrentWidget(tab); });
        bring->setObjectName(QStringLiteral("%1ViewAction").arg(tab->objectName()));
        if (i < 9)
            bring->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + i)));
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About dealerq"), this, [this] {
        auto *box = new QMessageBox(
            QMessageBox::Information, tr("About dealerq"),
            tr("dealerq %1\n\nPulls dealer data (prospects, sales, service, inventory) into a "
               "SQL database, strictly one job at a time.\n\nDatabase: %2\nSource: %3")
                .arg(QCoreApplication::applicationVersion(), m_context.databaseDisplay,
                     sourceWords(m_context.sourceDisplay)),
            QMessageBox::Close, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setIconPixmap(windowIcon().pixmap(64, 64));
        box->open();
    });
}

void MainWindow::refreshNow()
{
    m_watcher->refreshNow();
}

void MainWindow::updateWhere()
{
    // The source that counts is the one of the instance that runs the jobs, which may be
    // another window or a headless server on the same database.
    const QString ownInstance = m_context.queue->config().runner.instance;
    const bool elsewhere = !m_runnerHolder.isEmpty() && m_runnerHolder != ownInstance;
    const QString source =
        elsewhere && !m_runnerSource.isEmpty()
            ? tr("%1 (jobs run by %2)").arg(sourceWords(m_runnerSource), m_runnerHolder)
            : sourceWords(m_context.sourceDisplay);
    const QString whereText =
        tr("Database: %1   Source: %2").arg(m_context.databaseDisplay, source);
    m_where->setText(m_where->fontMetrics().elidedText(whereText, Qt::ElideMiddle, 520));
    m_where->setToolTip(whereText);
}

void MainWindow::applySnapshot(const QueueSnapshot &snapshot)
{
    if (snapshot.status && (snapshot.status->runnerHolder != m_runnerHolder ||
                            snapshot.status->runnerSource != m_runnerSource)) {
        m_runnerHolder = snapshot.status->runnerHolder;
        m_runnerSource = snapshot.status->runnerSource;
        updateWhere();
    }
    m_status->applySnapshot(snapshot);
    m_queuePanel->applySnapshot(snapshot);
    m_history->applySnapshot(snapshot);
    const StoreError &error = snapshot.error;
    if (!error.isSet()) {
        if (!m_lastReadError.isEmpty() && m_messages->text() == m_lastReadError)
            m_messages->clear();
        m_lastReadError.clear();
        return;
    }
    // A lost connection shows in the status line; other read errors once in the message bar.
    if (error.kind == StoreError::Kind::ConnectionLost)
        return;
    const QString text = tr("Could not read the queue: %1").arg(error.message);
    if (text != m_lastReadError) {
        m_lastReadError = text;
        showMessage(text, MessageBar::Level::Error);
    }
}

void MainWindow::showMessage(const QString &text, MessageBar::Level level)
{
    if (text.isEmpty())
        return;
    m_messages->showMessage(text, level);
}

void MainWindow::showJobDetails(qint64 jobId)
{
    if (jobId <= 0)
        return;
    const auto open = findChildren<JobDetailsDialog *>();
    for (JobDetailsDialog *dialog : open) {
        if (dialog->jobId() == jobId) {
            dialog->reload();
            dialog->raise();
            dialog->activateWindow();
            return;
        }
    }
    auto *dialog = new JobDetailsDialog(m_context.queue, jobId, this);
    dialog->show();
}

void MainWindow::showSettings()
{
    if (!m_context.settings)
        return;
    if (auto *open = findChild<SettingsDialog *>()) {
        open->raise();
        return;
    }
    auto *dialog = new SettingsDialog(m_context.settings, this);
    for (auto it = m_context.overridden.cbegin(); it != m_context.overridden.cend(); ++it)
        dialog->showOverridden(it.key(), it->value, it->origin);
    if (m_context.queue)
        dialog->addApiTokens(m_context.queue);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &SettingsDialog::saved, this, [this](const QList<Settings::Key> &changed) {
        if (changed.isEmpty()) {
            showMessage(tr("Settings saved; nothing changed."), MessageBar::Level::Info);
            return;
        }
        QStringList restart;
        for (Settings::Key key : changed) {
            if (SettingsDialog::needsRestart(key))
                restart << SettingsDialog::keyLabel(key);
        }
        QString sourceNote;
        if (changed.contains(Settings::Key::SourceUrl) ||
            changed.contains(Settings::Key::SourceToken))
            sourceNote = applySavedSource();
        if (restart.isEmpty())
            showMessage(sourceNote.isEmpty() ? tr("Settings saved and applied.")
                                             : tr("Settings saved. %1").arg(sourceNote),
                        MessageBar::Level::Info);
        else
            showMessage(tr("Settings saved. Restart dealerq for these to take effect: %1.")
                                .arg(restart.join(QStringLiteral(", "))) +
                            (sourceNote.isEmpty() ? QString() : QLatin1Char(' ') + sourceNote),
                        MessageBar::Level::Warning);
    });
    dialog->open();
}

QString MainWindow::applySavedSource()
{
    const QString origin = m_context.sourceOrigin;
    if (origin == QLatin1String("--source") || origin == QLatin1String("DEALERQ_SOURCE_URL"))
        return tr("This run keeps the data source given by %1.").arg(origin);
    const QString url = m_context.settings->sourceUrl();
    if (url.isEmpty())
        return m_context.demo ? QString()
                              : tr("Restart dealerq to fetch from the built-in demo simulator.");
    QByteArray token = qgetenv("DEALERQ_SOURCE_TOKEN");
    if (token.isEmpty())
        token = m_context.settings->sourceToken().toUtf8();
    const QUrl source(url);
    // The runner takes it from the next job on; the running job keeps its source.
    m_context.sourceDisplay = source.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery);
    m_context.sourceOrigin = QStringLiteral("settings");
    m_context.demo = false;
    m_context.queue->setSource(source, token, m_context.sourceDisplay);
    if (m_demoBanner)
        m_demoBanner->hide();
    updateWhere();
    return tr("Jobs fetch from %1 from the next job on.").arg(m_context.sourceDisplay);
}

void MainWindow::pasteAndQueue()
{
    const QString text = QGuiApplication::clipboard()->text();
    if (text.trimmed().isEmpty()) {
        showMessage(tr("The clipboard holds no text to take dealer IDs from."),
                    MessageBar::Level::Warning);
        return;
    }
    m_bulkAdd->pasteText(text);
}

void MainWindow::showSchedules()
{
    m_lowerTabs->setCurrentWidget(m_schedules);
    QTableView *view = m_schedules->view();
    view->setFocus(Qt::ShortcutFocusReason);
    // The first schedule selected, so that Enter edits it; once read, the first time.
    const auto selectFirst = [view, this] {
        if (m_schedules->selectedId() == 0 && view->model()->rowCount() > 0)
            view->selectRow(0);
    };
    if (view->model()->rowCount() > 0)
        selectFirst();
    else
        connect(m_schedules, &SchedulesPanel::refreshed, this, selectFirst,
                Qt::SingleShotConnection);
}

void MainWindow::onJobFinished(const Job &job)
{
    switch (job.status) {
    case JobStatus::Completed:
        ++m_batchCompleted;
        break;
    case JobStatus::Failed:
        ++m_batchFailed;
        break;
    case JobStatus::Cancelled:
        ++m_batchCancelled;
        break;
    case JobStatus::Queued:
    case JobStatus::Running:
        break;
    }
    if (m_closeWhenIdle)
        closeNow();
}

void MainWindow::onQueueEmpty()
{
    if (m_batchCompleted + m_batchFailed + m_batchCancelled == 0)
        return;
    const QString text =
        m_batchCancelled > 0
            ? tr("%Ln job(s) completed, %1 failed, %2 cancelled", nullptr, m_batchCompleted)
                  .arg(JobFormat::count(m_batchFailed), JobFormat::count(m_batchCancelled))
            : tr("%Ln job(s) completed, %1 failed", nullptr, m_batchCompleted)
                  .arg(JobFormat::count(m_batchFailed));
    const bool failures = m_batchFailed > 0;
    m_batchCompleted = m_batchFailed = m_batchCancelled = 0;
    notify(text, failures);
}

void MainWindow::notify(const QString &text, bool failures)
{
    m_lastNotification = text;
    // After what the operator's last action said, if that is still shown.
    m_messages->showNotice(tr("Queue empty: %1.").arg(text),
                           failures ? MessageBar::Level::Warning : MessageBar::Level::Info);
    emit batchFinished(text);
}

void MainWindow::showFailedJobs()
{
    showNormal();
    raise();
    activateWindow();
    m_lowerTabs->setCurrentWidget(m_history);
    m_history->setFilter({JobStatus::Failed}, QString());
}

bool MainWindow::jobRunningHere() const
{
    return m_context.queue->config().runJobs &&
           m_context.queue->runnerState() == RunnerState::Running;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_closeAllowed || !jobRunningHere()) {
        saveLayout();
        if (m_closeQuestion)
            m_closeQuestion->close();
        event->accept();
        return;
    }
    event->ignore();
    askBeforeClosing();
}

void MainWindow::askBeforeClosing()
{
    if (m_closeQuestion) {
        m_closeQuestion->raise();
        return;
    }
    const QString detail = m_context.queue->runnerDetail();
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("A job is running"),
        tr("%1 is running.\n\nWait: the window stays open and closes by itself once the job has "
           "finished.\nQuit now: the job is stopped and rolled back; it goes back to the queue "
           "and runs again at the next start.")
            .arg(detail.isEmpty() ? tr("A job") : detail.left(1).toUpper() + detail.mid(1)),
        QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("closeQuestion"));
    QPushButton *wait = box->addButton(tr("&Wait for the Job"), QMessageBox::AcceptRole);
    wait->setObjectName(QStringLiteral("waitButton"));
    QPushButton *quit = box->addButton(tr("&Quit Now"), QMessageBox::DestructiveRole);
    quit->setObjectName(QStringLiteral("quitNowButton"));
    box->setDefaultButton(wait);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, wait, quit] {
        QAbstractButton *clicked = box->clickedButton();
        if (clicked == wait) {
            m_closeWhenIdle = true;
            m_context.queue->holdNewJobs(true); // finish this one, take no next

            showMessage(tr("The window closes once the running job has finished."),
                        MessageBar::Level::Info);
            if (!jobRunningHere())
                closeNow();
        } else if (clicked == quit) {
            closeNow();
        }
    });
    m_closeQuestion = box;
    box->open();
}

void MainWindow::closeNow()
{
    m_closeAllowed = true;
    m_closeWhenIdle = false;
    // Closing from inside the question's own signal: let it finish first.
    QMetaObject::invokeMethod(this, &QWidget::close, Qt::QueuedConnection);
}

void MainWindow::restoreLayout()
{
    if (!m_context.settings)
        return;
    QSettings store(m_context.settings->stateFilePath(), QSettings::IniFormat);
    store.beginGroup(QStringLiteral("window"));
    restoreGeometry(store.value(QStringLiteral("geometry")).toByteArray());
    restoreState(store.value(QStringLiteral("state")).toByteArray());
    m_mainSplitter->restoreState(store.value(QStringLiteral("main_splitter")).toByteArray());
    m_tableSplitter->restoreState(store.value(QStringLiteral("table_splitter")).toByteArray());
    m_queuePanel->view()->horizontalHeader()->restoreState(
        store.value(QStringLiteral("queue_columns")).toByteArray());
    m_history->view()->horizontalHeader()->restoreState(
        store.value(QStringLiteral("history_columns")).toByteArray());
    m_schedules->view()->horizontalHeader()->restoreState(
        store.value(QStringLiteral("schedule_columns")).toByteArray());
    store.endGroup();
}

void MainWindow::saveLayout()
{
    if (!m_context.settings)
        return;
    QSettings store(m_context.settings->stateFilePath(), QSettings::IniFormat);
    store.beginGroup(QStringLiteral("window"));
    store.setValue(QStringLiteral("geometry"), saveGeometry());
    store.setValue(QStringLiteral("state"), saveState());
    store.setValue(QStringLiteral("main_splitter"), m_mainSplitter->saveState());
    store.setValue(QStringLiteral("table_splitter"), m_tableSplitter->saveState());
    store.setValue(QStringLiteral("queue_columns"),
                   m_queuePanel->view()->horizontalHeader()->saveState());
    store.setValue(QStringLiteral("history_columns"),
                   m_history->view()->horizontalHeader()->saveState());
    store.setValue(QStringLiteral("schedule_columns"),
                   m_schedules->view()->horizontalHeader()->saveState());
    store.endGroup();
    store.sync();
}
