#include "historypanel.h"

#include "comboboxes.h"
#include "jobformat.h"
#include "jobtablemodel.h"
#include "jobtableview.h"
#include "queue/jobqueue.h"
#include "queuewatcher.h"

#include <QAction>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

bool sameFilter(const HistoryFilter &a, const HistoryFilter &b)
{
    return a.statuses == b.statuses && a.dealerId == b.dealerId && a.fetchType == b.fetchType &&
           a.errorCategory == b.errorCategory && a.text == b.text &&
           a.finishedAfterMs == b.finishedAfterMs && a.finishedBeforeMs == b.finishedBeforeMs &&
           a.sort == b.sort && a.ascending == b.ascending;
}

/// The store's sort for a history column, if it sorts by it (SPEC §7).
std::optional<HistorySort> storeSort(int column)
{
    switch (column) {
    case JobTableModel::IdColumn:
        return HistorySort::JobId;
    case JobTableModel::DealerColumn:
        return HistorySort::DealerId;
    case JobTableModel::FinishedColumn:
        return HistorySort::FinishedAt;
    case JobTableModel::DurationColumn:
        return HistorySort::Duration;
    case JobTableModel::FetchedColumn:
        return HistorySort::Fetched;
    default:
        return std::nullopt;
    }
}

} // namespace

HistoryPanel::HistoryPanel(JobQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_model(new JobTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new JobTableView(this))
    , m_status(new QComboBox(this))
    , m_dealer(new QLineEdit(this))
    , m_filterDelay(new QTimer(this))
    , m_info(new QLabel(this))
    , m_exportProgress(new QProgressBar(this))
    , m_exportStop(new QPushButton(tr("Stop export"), this))
{
    setObjectName(QStringLiteral("historyPanel"));
    m_model->setObjectName(QStringLiteral("historyModel"));
    m_proxy->setObjectName(QStringLiteral("historyProxy"));
    m_view->setObjectName(QStringLiteral("historyView"));
    m_status->setObjectName(QStringLiteral("historyStatusFilter"));
    m_status->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_dealer->setObjectName(QStringLiteral("historyDealerFilter"));
    m_info->setObjectName(QStringLiteral("historyInfo"));
    m_exportProgress->setObjectName(QStringLiteral("exportProgress"));

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(JobTableModel::SortRole);
    m_proxy->setDynamicSortFilter(true);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    // Newest first as the store gives them, until the operator clicks a column.
    m_view->horizontalHeader()->setSortIndicator(-1, Qt::DescendingOrder);
    m_proxy->sort(-1);
    // After the view's own connection, which has the proxy sort the loaded rows.
    connect(m_view->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
            &HistoryPanel::sortChanged);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // What an operator reads at a glance, with room left for the error at the default width;
    // the rest is a right-click on the header away (and in the details).
    m_view->setDefaultHiddenColumns({JobTableModel::PriorityColumn, JobTableModel::CreatedColumn,
                                     JobTableModel::StartedColumn, JobTableModel::PagesColumn,
                                     JobTableModel::AttemptsColumn, JobTableModel::InsertedColumn,
                                     JobTableModel::UpdatedColumn});
    QHeaderView *header = m_view->horizontalHeader();
    const std::pair<int, int> widths[] = {
        {JobTableModel::IdColumn, 60},       {JobTableModel::DealerColumn, 110},
        {JobTableModel::TypeColumn, 80},     {JobTableModel::WindowColumn, 100},
        {JobTableModel::StatusColumn, 105},  {JobTableModel::FinishedColumn, 145},
        {JobTableModel::DurationColumn, 75}, {JobTableModel::AttemptsColumn, 70},
        {JobTableModel::FetchedColumn, 70},  {JobTableModel::InsertedColumn, 70},
        {JobTableModel::UpdatedColumn, 70},
    };
    for (const auto &[column, width] : widths)
        header->resizeSection(column, width);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);

    m_status->addItem(tr("All finished"));
    m_status->addItem(JobFormat::statusIcon(JobStatus::Completed), tr("Completed"),
                      int(JobStatus::Completed));
    m_status->addItem(JobFormat::statusIcon(JobStatus::Failed), tr("Failed"),
                      int(JobStatus::Failed));
    m_status->addItem(JobFormat::statusIcon(JobStatus::Cancelled), tr("Cancelled"),
                      int(JobStatus::Cancelled));
    ComboBoxes::fitPopupToItems(m_status);
    m_dealer->setPlaceholderText(tr("Dealer ID"));
    m_dealer->setClearButtonEnabled(true);
    m_dealer->setToolTip(tr("Show only this dealer's jobs (exact ID)"));
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(300);
    m_info->setTextFormat(Qt::PlainText);
    m_exportProgress->hide();
    m_exportStop->hide();

    m_retry =
        new QAction(style()->standardIcon(QStyle::SP_BrowserReload), tr("&Retry Selected"), this);
    m_retry->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_retry->setToolTip(tr("Queue the selected failed or cancelled jobs again (Ctrl+R)"));
    m_clear =
        new QAction(style()->standardIcon(QStyle::SP_TrashIcon), tr("C&lear Completed…"), this);
    m_clear->setToolTip(tr("Remove completed, failed and cancelled jobs from the history"));
    m_export =
        new QAction(style()->standardIcon(QStyle::SP_DialogSaveButton), tr("&Export CSV…"), this);
    m_export->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_export->setToolTip(tr("Write every job in the store to a CSV file (Ctrl+E)"));
    m_exportFiltered = new QAction(tr("Export &Filtered CSV…"), this);
    m_exportFiltered->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_exportFiltered->setToolTip(tr("Write only the jobs the history filter shows"));
    m_exportXlsx = new QAction(tr("Export for &Spreadsheets (.xlsx)…"), this);
    m_exportXlsx->setToolTip(tr("Write every job in the store to an Excel workbook: dealer IDs "
                                "stay text, times are date cells"));

    connect(m_retry, &QAction::triggered, this, [this] { retryJobs(m_view->selectedJobIds()); });
    connect(m_clear, &QAction::triggered, this, &HistoryPanel::clearFinished);
    connect(m_export, &QAction::triggered, this, [this] { exportCsv(false); });
    connect(m_exportFiltered, &QAction::triggered, this, [this] { exportCsv(true); });
    connect(m_exportXlsx, &QAction::triggered, this,
            [this] { exportCsv(false, ExportFormat::Xlsx); });
    connect(m_exportStop, &QPushButton::clicked, this, [this] {
        if (m_exportCancel)
            *m_exportCancel = true;
    });
    connect(m_status, &QComboBox::currentIndexChanged, this, &HistoryPanel::readFilterInputs);
    connect(m_dealer, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_dealer, &QLineEdit::returnPressed, this, &HistoryPanel::readFilterInputs);
    connect(m_filterDelay, &QTimer::timeout, this, &HistoryPanel::readFilterInputs);
    connect(m_model, &JobTableModel::moreRequested, this, &HistoryPanel::fetchMore);
    connect(m_view, &JobTableView::jobSelectionChanged, this, &HistoryPanel::updateActions);
    connect(m_view, &JobTableView::jobActivated, this, &HistoryPanel::detailsRequested);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addAction(m_retry);
        const qint64 id = m_view->indexAt(pos).data(JobTableModel::JobIdRole).toLongLong();
        if (id > 0)
            menu.addAction(tr("Details…"), this, [this, id] { emit detailsRequested(id); });
        menu.addSeparator();
        menu.addAction(m_exportFiltered);
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(new QLabel(tr("Show:"), this));
    filterRow->addWidget(m_status);
    filterRow->addWidget(m_dealer);
    filterRow->addStretch(1);
    filterRow->addWidget(m_info);

    auto *exportButton = new QToolButton(this);
    exportButton->setDefaultAction(m_export);
    exportButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *exportMenu = new QMenu(exportButton);
    exportMenu->addAction(m_export);
    exportMenu->addAction(m_exportFiltered);
    exportMenu->addAction(m_exportXlsx);
    exportButton->setMenu(exportMenu);
    exportButton->setPopupMode(QToolButton::MenuButtonPopup);
    auto *retryButton = new QToolButton(this);
    retryButton->setDefaultAction(m_retry);
    retryButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *clearButton = new QToolButton(this);
    clearButton->setDefaultAction(m_clear);
    clearButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(retryButton);
    buttons->addWidget(clearButton);
    buttons->addStretch(1);
    buttons->addWidget(m_exportProgress);
    buttons->addWidget(m_exportStop);
    buttons->addWidget(exportButton);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filterRow);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    m_filter.limit = PageSize;
    updateActions();
    updateInfo();
}

HistoryPanel::~HistoryPanel()
{
    if (m_exportCancel)
        *m_exportCancel = true;
}

HistoryFilter HistoryPanel::refreshFilter() const
{
    HistoryFilter filter = m_filter;
    filter.limit = qMax(PageSize, m_model->rowCount());
    filter.offset = 0;
    return filter;
}

void HistoryPanel::setFilter(const QVector<JobStatus> &statuses, const QString &dealerId)
{
    const QSignalBlocker blockStatus(m_status);
    const QSignalBlocker blockDealer(m_dealer);
    m_status->setCurrentIndex(
        statuses.size() == 1 ? qMax(0, m_status->findData(int(statuses.first()))) : 0);
    m_dealer->setText(dealerId);
    m_filterDelay->stop();
    if (m_filter.statuses == statuses && m_filter.dealerId == dealerId)
        return;
    m_filter.statuses = statuses;
    m_filter.dealerId = dealerId;
    // A new filter starts from its first page again.
    m_model->setJobs({});
    m_model->setTotal(0);
    updateInfo();
    emit refreshWanted();
}

void HistoryPanel::sortChanged(int column, Qt::SortOrder order)
{
    const std::optional<HistorySort> sort = storeSort(column);
    if (sort)
        m_proxy->sort(-1); // the rows stay in the store's order
    const HistorySort wanted = sort.value_or(HistorySort::FinishedAt);
    const bool ascending = sort && order == Qt::AscendingOrder;
    if (m_filter.sort == wanted && m_filter.ascending == ascending)
        return;
    m_filter.sort = wanted;
    m_filter.ascending = ascending;
    emit refreshWanted();
}

void HistoryPanel::readFilterInputs()
{
    QVector<JobStatus> statuses;
    const QVariant status = m_status->currentData();
    if (status.isValid())
        statuses.push_back(JobStatus(status.toInt()));
    setFilter(statuses, m_dealer->text().trimmed());
}

void HistoryPanel::applySnapshot(const QueueSnapshot &snapshot)
{
    if (snapshot.counts) {
        m_finishedTotal =
            snapshot.counts->completed + snapshot.counts->failed + snapshot.counts->cancelled;
        updateActions();
    }
    if (!snapshot.history || !sameFilter(snapshot.historyFilter, m_filter))
        return; // a read of an older filter: the next one is on its way
    m_model->setJobs(*snapshot.history);
    // Fewer rows than asked for is the whole history as read, whatever a count taken a moment
    // later says.
    const qint64 read = snapshot.history->size();
    m_model->setTotal(read < snapshot.historyFilter.limit ? read
                                                          : snapshot.historyTotal.value_or(read));
    updateInfo();
    updateActions();
}

void HistoryPanel::fetchMore(int offset)
{
    HistoryFilter filter = m_filter;
    filter.offset = offset;
    filter.limit = PageSize;
    m_queue->readHistory(this, filter, [this, filter](QueueResult<QVector<Job>> result) {
        if (!result.ok()) {
            m_model->fetchFailed();
            emit storeFailed(result.error);
            emit message(tr("Could not read more of the history: %1").arg(result.error.message),
                         MessageBar::Level::Error);
            return;
        }
        if (!sameFilter(filter, m_filter)) {
            m_model->fetchFailed();
            return;
        }
        m_model->appendJobs(*result.value);
        updateInfo();
    });
}

void HistoryPanel::updateInfo()
{
    const qint64 total = m_model->total();
    const int shown = m_model->rowCount();
    if (total > shown)
        m_info->setText(tr("%1 of %Ln job(s) loaded; scroll down for more", nullptr, int(total))
                            .arg(JobFormat::count(shown)));
    else
        m_info->setText(tr("%Ln job(s)", nullptr, shown));
}

void HistoryPanel::updateActions()
{
    bool retryable = false;
    const QModelIndexList rows =
        m_view->selectionModel() ? m_view->selectionModel()->selectedRows() : QModelIndexList();
    for (const QModelIndex &index : rows) {
        const auto status = JobStatus(index.data(JobTableModel::StatusRole).toInt());
        retryable = retryable || status == JobStatus::Failed || status == JobStatus::Cancelled;
    }
    m_retry->setEnabled(retryable && !m_busy);
    // Nothing to clear in an empty history (as far as the last read knows).
    m_clear->setEnabled(!m_busy && m_finishedTotal != 0);
    m_export->setEnabled(!m_exportCancel);
    m_exportFiltered->setEnabled(!m_exportCancel);
    m_exportXlsx->setEnabled(!m_exportCancel);
}

void HistoryPanel::retryJobs(const QVector<qint64> &ids)
{
    if (ids.isEmpty() || m_busy)
        return;
    m_busy = true;
    updateActions();
    m_queue->retry(
        this, ids, [this](RetryReport result) {
            m_busy = false;
            updateActions();
            QStringList parts;
            if (!result.retried.isEmpty())
                parts << tr("Queued %Ln job(s) again.", nullptr, int(result.retried.size()));
            QStringList why;
            for (const StoreError &error : std::as_const(result.errors)) {
                emit storeFailed(error);
                why << error.message;
            }
            if (!why.isEmpty())
                parts << tr("Not retried: %1").arg(why.join(QStringLiteral("; ")));
            emit message(parts.join(QLatin1Char(' ')),
                         why.isEmpty() ? MessageBar::Level::Info : MessageBar::Level::Warning);
        });
}

void HistoryPanel::clearFinished()
{
    if (m_busy)
        return;
    m_busy = true;
    updateActions();
    // What the filter shows, then the whole history: the dialog offers either.
    const HistoryFilter shown = m_filter;
    const bool filtered = !shown.statuses.isEmpty() || !shown.dealerId.isEmpty();
    m_queue->countHistory(this, shown, [this, shown, filtered](QueueResult<qint64> matching) {
        m_queue->countHistory(
            this, HistoryFilter{}, [this, shown, filtered, matching](QueueResult<qint64> all) {
                m_busy = false;
                updateActions();
                const StoreError &error = !matching.ok() ? matching.error : all.error;
                if (!matching.ok() || !all.ok()) {
                    emit storeFailed(error);
                    emit message(tr("Could not count the finished jobs: %1").arg(error.message),
                                 MessageBar::Level::Error);
                    return;
                }
                // A filter that shows none or all of the history leaves one choice: all of it.
                const qint64 matched = *matching.value;
                confirmClear(shown, filtered && matched > 0 && matched < *all.value ? matched : -1,
                             *all.value);
            });
    });
}

void HistoryPanel::confirmClear(const HistoryFilter &shown, qint64 shownCount, qint64 total)
{
    // shownCount: what the filter shows, when that is a choice apart from the whole; else -1.
    if (total == 0) {
        emit message(tr("The history is empty: nothing to clear."), MessageBar::Level::Info);
        return;
    }
    const bool filtered = shownCount >= 0;
    QString text;
    if (!filtered) {
        text = tr("Remove %Ln finished job(s) — completed, failed and cancelled — and their logs "
                  "from the history?",
                  nullptr, int(total));
    } else {
        // Two numbers, so two sentences, each with its plural.
        text = tr("The history shows %Ln finished job(s) (%1).", nullptr, int(shownCount))
                   .arg(filterText(shown)) +
               QLatin1Char(' ') +
               tr("Remove those, or all %Ln — completed, failed and cancelled — with their logs?",
                  nullptr, int(total));
    }
    text += QStringLiteral("\n\n") + tr("Queued and running jobs stay. This cannot be undone.");
    auto *box = new QMessageBox(QMessageBox::Question, tr("Clear completed jobs"), text,
                                QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("clearConfirmation"));
    QPushButton *removeShown = nullptr;
    if (filtered) {
        removeShown = box->addButton(tr("Remove %Ln job(s) shown", nullptr, int(shownCount)),
                                     QMessageBox::DestructiveRole);
        removeShown->setObjectName(QStringLiteral("removeShownButton"));
    }
    QPushButton *removeAll =
        box->addButton(filtered ? tr("Remove all %Ln job(s)", nullptr, int(total))
                                : tr("Remove %Ln job(s)", nullptr, int(total)),
                       QMessageBox::DestructiveRole);
    removeAll->setObjectName(QStringLiteral("removeAllButton"));
    // Enter must never delete: Cancel is the default and has the focus.
    box->setDefaultButton(QMessageBox::Cancel);
    box->setEscapeButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, removeShown, removeAll, shown] {
        QAbstractButton *clicked = box->clickedButton();
        if (clicked == nullptr || (clicked != removeAll && clicked != removeShown))
            return;
        m_busy = true;
        updateActions();
        m_queue->clearFinished(
            this, clicked == removeShown ? shown : HistoryFilter{},
            [this](QueueResult<qint64> removed) {
                m_busy = false;
                updateActions();
                if (!removed.ok()) {
                    emit storeFailed(removed.error);
                    emit message(tr("Could not clear the history: %1").arg(removed.error.message),
                                 MessageBar::Level::Error);
                    return;
                }
                emit message(tr("Removed %Ln finished job(s) from the history.", nullptr,
                                int(*removed.value)),
                             MessageBar::Level::Info);
            });
    });
    box->open();
    box->button(QMessageBox::Cancel)->setFocus();
}

QString HistoryPanel::filterText(const HistoryFilter &filter)
{
    QStringList parts;
    for (JobStatus status : filter.statuses)
        parts << JobFormat::statusText(status).toLower();
    if (!filter.dealerId.isEmpty())
        parts << tr("dealer %1").arg(filter.dealerId);
    return parts.join(QStringLiteral(", "));
}

void HistoryPanel::exportCsv(bool onlyFiltered, ExportFormat format)
{
    if (m_exportCancel)
        return;
    const bool xlsx = format == ExportFormat::Xlsx;
    const QString suffix = xlsx ? QStringLiteral("xlsx") : QStringLiteral("csv");
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (dir.isEmpty() || !QDir(dir).exists())
        dir = QDir::homePath();
    const QString name =
        QStringLiteral("dealerq-jobs-%1.%2")
            .arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss")), suffix);
    QString title;
    if (xlsx)
        title = onlyFiltered ? tr("Export the filtered jobs for spreadsheets")
                             : tr("Export every job for spreadsheets");
    else
        title =
            onlyFiltered ? tr("Export the filtered jobs as CSV") : tr("Export every job as CSV");
    auto *dialog = new QFileDialog(this, title, QDir(dir).filePath(name),
                                   xlsx ? tr("Excel workbooks (*.xlsx)") : tr("CSV files (*.csv)"));
    dialog->setObjectName(QStringLiteral("exportDialog"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(suffix);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this,
            [this, onlyFiltered, format](const QString &path) {
                startExport(path, onlyFiltered, format);
            });
    dialog->open();
}

void HistoryPanel::setExportProgress(qint64 done, qint64 total)
{
    if (!m_exportCancel)
        return;
    if (total > 0) {
        // QProgressBar takes int: show per mille.
        m_exportProgress->setRange(0, 1000);
        m_exportProgress->setValue(int(qMin<qint64>(1000, done * 1000 / total)));
        m_exportProgress->setFormat(
            tr("%1 of %2").arg(JobFormat::count(done), JobFormat::count(total)));
    }
}

void HistoryPanel::startExport(const QString &path, bool onlyFiltered, ExportFormat format)
{
    if (m_exportCancel || path.isEmpty())
        return;
    auto cancel = std::make_shared<std::atomic_bool>(false);
    m_exportCancel = cancel;
    m_exportProgress->setRange(0, 0);
    m_exportProgress->setTextVisible(true);
    m_exportProgress->show();
    m_exportStop->show();
    updateActions();

    ExportRequest request;
    request.path = path;
    request.format = format;
    if (onlyFiltered)
        request.filter = m_filter;
    m_queue->exportCsv(
        this, request, cancel,
        [this](qint64 done, qint64 total) { setExportProgress(done, total); },
        [this, path](QueueResult<qint64> result) {
            m_exportCancel.reset();
            m_exportProgress->hide();
            m_exportStop->hide();
            updateActions();
            if (!result.ok())
                emit message(tr("Export failed: %1").arg(result.error.message),
                             MessageBar::Level::Error);
            else
                emit message(tr("Exported %Ln job(s) to %1.", nullptr, int(*result.value))
                                 .arg(QDir::toNativeSeparators(path)),
                             MessageBar::Level::Info);
            emit exportFinished(result.value.value_or(-1), path);
        });
}
