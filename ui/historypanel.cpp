#include "historypanel.h"

#include "confirmation.h"
#include "comboboxes.h"
#include "jobformat.h"
#include "jobtablemodel.h"
#include "jobtableview.h"
#include "queue/jobqueue.h"
#include "queuewatcher.h"

#include <QAction>
#include <QComboBox>
#include <QDateEdit>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFormLayout>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

constexpr qint64 DayMs = 24 * 3600 * 1000;

/// The "Finished" input's choices that are not a number of days back.
enum FinishedChoice
{
    AnyTime = 0,
    Between = -1
};

/// Element by element: Qt 6.4's QList::operator== passes two empty lists' null data to memcmp.
bool sameStatuses(const QVector<JobStatus> &a, const QVector<JobStatus> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a.at(i) != b.at(i))
            return false;
    }
    return true;
}

bool sameMatch(const HistoryFilter &a, const HistoryFilter &b)
{
    return sameStatuses(a.statuses, b.statuses) && a.dealerId == b.dealerId &&
           a.fetchType == b.fetchType && a.errorCategory == b.errorCategory && a.text == b.text &&
           a.finishedAfterMs == b.finishedAfterMs && a.finishedBeforeMs == b.finishedBeforeMs;
}

bool sameFilter(const HistoryFilter &a, const HistoryFilter &b)
{
    return sameMatch(a, b) && a.sort == b.sort && a.ascending == b.ascending;
}

/// True when `filter` takes less than every finished job.
bool narrows(const HistoryFilter &filter)
{
    return !sameMatch(filter, HistoryFilter{});
}

/// What a bulk retry of `filter` takes: its cancelled jobs when it shows only those, else its
/// failed ones; none when it shows only completed jobs.
std::optional<JobStatus> retryStatus(const HistoryFilter &filter)
{
    if (filter.statuses.size() == 1 && filter.statuses.first() == JobStatus::Cancelled)
        return JobStatus::Cancelled;
    if (filter.statuses.isEmpty() || filter.statuses.contains(JobStatus::Failed))
        return JobStatus::Failed;
    return std::nullopt;
}

/// A window-modal question whose Cancel is the default and the escape, so that Enter never
/// changes anything; `yesText` names what the other button does.
QMessageBox *confirmation(QWidget *parent, const QString &name, const QString &title,
                          const QString &text, const QString &yesText)
{
    QMessageBox *box =
        safeConfirmation(parent, name, title, text, QMessageBox::Yes | QMessageBox::Cancel);
    box->button(QMessageBox::Yes)->setText(yesText);
    return box;
}

/// The store's sort for a history column (SPEC §7): every column sorts in the database, over
/// the whole history.
HistorySort storeSort(int column)
{
    switch (column) {
    case JobTableModel::IdColumn:
        return HistorySort::JobId;
    case JobTableModel::DealerColumn:
        return HistorySort::DealerId;
    case JobTableModel::TypeColumn:
        return HistorySort::FetchType;
    case JobTableModel::WindowColumn:
        return HistorySort::Window;
    case JobTableModel::StatusColumn:
        return HistorySort::Status;
    case JobTableModel::PriorityColumn:
        return HistorySort::Priority;
    case JobTableModel::CreatedColumn:
        return HistorySort::CreatedAt;
    case JobTableModel::StartedColumn:
        return HistorySort::StartedAt;
    case JobTableModel::DurationColumn:
        return HistorySort::Duration;
    case JobTableModel::AttemptsColumn:
        return HistorySort::Attempts;
    case JobTableModel::PagesColumn:
        return HistorySort::Pages;
    case JobTableModel::FetchedColumn:
        return HistorySort::Fetched;
    case JobTableModel::InsertedColumn:
        return HistorySort::Inserted;
    case JobTableModel::UpdatedColumn:
        return HistorySort::Updated;
    case JobTableModel::ErrorColumn:
        return HistorySort::ErrorCategory;
    default: // the finished column, and no column
        return HistorySort::FinishedAt;
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
    , m_type(new QComboBox(this))
    , m_category(new QComboBox(this))
    , m_finished(new QComboBox(this))
    , m_search(new QLineEdit(this))
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
    m_type->setObjectName(QStringLiteral("historyTypeFilter"));
    m_type->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_category->setObjectName(QStringLiteral("historyCategoryFilter"));
    m_category->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_finished->setObjectName(QStringLiteral("historyFinishedFilter"));
    m_finished->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_search->setObjectName(QStringLiteral("historySearch"));
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
    m_status->setToolTip(tr("Show only jobs that ended this way"));
    m_type->addItem(tr("All types"));
    for (const QString &type : m_queue->config().fetchTypes)
        m_type->addItem(type, type);
    m_type->setToolTip(tr("Show only jobs of this fetch type"));
    ComboBoxes::fitPopupToItems(m_type);
    m_category->addItem(tr("Any error"));
    for (ErrorCategory category :
         {ErrorCategory::Network, ErrorCategory::Http, ErrorCategory::Auth, ErrorCategory::NotFound,
          ErrorCategory::BadPayload, ErrorCategory::Database, ErrorCategory::Cancelled,
          ErrorCategory::Interrupted}) {
        m_category->addItem(categoryLabel(category), int(category));
        m_category->setItemData(m_category->count() - 1, JobFormat::errorCategoryText(category),
                                Qt::ToolTipRole);
    }
    m_category->setToolTip(tr("Show only jobs that ended with this kind of error"));
    ComboBoxes::fitPopupToItems(m_category);
    m_finished->addItem(tr("Any time"), int(AnyTime));
    m_finished->addItem(tr("Last 24 hours"), 1);
    m_finished->addItem(tr("Last 7 days"), 7);
    m_finished->addItem(tr("Last 30 days"), 30);
    m_finished->addItem(tr("Between…"), int(Between));
    m_finished->setToolTip(tr("Show only jobs that finished in this time"));
    ComboBoxes::fitPopupToItems(m_finished);
    m_dealer->setPlaceholderText(tr("Dealer ID"));
    m_dealer->setClearButtonEnabled(true);
    m_dealer->setToolTip(tr("Show only this dealer's jobs (exact ID)"));
    m_search->setPlaceholderText(tr("Search"));
    m_search->setClearButtonEnabled(true);
    m_search->setToolTip(
        tr("Show only jobs whose dealer ID or error message contains this text (any case)"));
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
    m_retryMatching = new QAction(tr("Retry &Matching…"), this);
    m_retryMatching->setObjectName(QStringLiteral("retryMatchingAction"));
    m_retryMatching->setToolTip(tr("Queue again every failed job the history's filter matches "
                                   "(the cancelled ones when it shows cancelled jobs), not only "
                                   "the rows loaded"));
    m_removeOlder = new QAction(tr("Remove &Older Than…"), this);
    m_removeOlder->setObjectName(QStringLiteral("removeOlderAction"));
    m_removeOlder->setToolTip(tr("Remove the finished jobs the history's filter matches that "
                                 "finished more than a number of days ago"));
    m_exportXlsx = new QAction(tr("Export for &Spreadsheets (.xlsx)…"), this);
    m_exportXlsx->setToolTip(tr("Write every job in the store to an Excel workbook: dealer IDs "
                                "stay text, times are date cells"));

    connect(m_retry, &QAction::triggered, this, [this] { retryJobs(m_view->selectedJobIds()); });
    connect(m_clear, &QAction::triggered, this, &HistoryPanel::clearFinished);
    connect(m_retryMatching, &QAction::triggered, this, &HistoryPanel::retryMatching);
    connect(m_removeOlder, &QAction::triggered, this, &HistoryPanel::removeOlder);
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
    connect(m_search, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_search, &QLineEdit::returnPressed, this, &HistoryPanel::readFilterInputs);
    connect(m_type, &QComboBox::currentIndexChanged, this, &HistoryPanel::readFilterInputs);
    connect(m_category, &QComboBox::currentIndexChanged, this, &HistoryPanel::readFilterInputs);
    connect(m_finished, &QComboBox::currentIndexChanged, this, &HistoryPanel::finishedChosen);
    connect(m_finished, &QComboBox::activated, this, [this](int index) {
        // Choosing "Between…" again changes its days.
        if (index == m_finishedIndex && m_finished->itemData(index).toInt() == Between)
            askRange();
    });
    connect(m_filterDelay, &QTimer::timeout, this, &HistoryPanel::readFilterInputs);
    connect(m_model, &JobTableModel::moreRequested, this, &HistoryPanel::fetchMore);
    connect(m_view, &JobTableView::jobSelectionChanged, this, &HistoryPanel::updateActions);
    connect(m_view, &JobTableView::jobActivated, this, &HistoryPanel::detailsRequested);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addAction(m_retry);
        menu.addAction(m_retryMatching);
        const qint64 id = m_view->indexAt(pos).data(JobTableModel::JobIdRole).toLongLong();
        if (id > 0)
            menu.addAction(tr("Details…"), this, [this, id] { emit detailsRequested(id); });
        menu.addSeparator();
        menu.addAction(m_exportFiltered);
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });

    auto *filterRow = new QHBoxLayout;
    filterRow->addWidget(m_status);
    filterRow->addWidget(m_type);
    filterRow->addWidget(m_category);
    filterRow->addWidget(m_finished);
    filterRow->addWidget(m_dealer, 1);
    filterRow->addWidget(m_search, 1);

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
    auto *retryMatchingButton = new QToolButton(this);
    retryMatchingButton->setDefaultAction(m_retryMatching);
    retryMatchingButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *clearButton = new QToolButton(this);
    clearButton->setDefaultAction(m_clear);
    clearButton->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    auto *clearMenu = new QMenu(clearButton);
    clearMenu->addAction(m_clear);
    clearMenu->addAction(m_removeOlder);
    clearButton->setMenu(clearMenu);
    clearButton->setPopupMode(QToolButton::MenuButtonPopup);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(retryButton);
    buttons->addWidget(retryMatchingButton);
    buttons->addWidget(clearButton);
    buttons->addStretch(1);
    buttons->addWidget(m_info);
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
    HistoryFilter filter = m_filter;
    filter.statuses = statuses;
    filter.dealerId = dealerId;
    applyFilter(filter);
}

void HistoryPanel::applyFilter(const HistoryFilter &filter)
{
    m_filterDelay->stop();
    if (sameMatch(m_filter, filter))
        return;
    m_filter.statuses = filter.statuses;
    m_filter.dealerId = filter.dealerId;
    m_filter.fetchType = filter.fetchType;
    m_filter.errorCategory = filter.errorCategory;
    m_filter.text = filter.text;
    m_filter.finishedAfterMs = filter.finishedAfterMs;
    m_filter.finishedBeforeMs = filter.finishedBeforeMs;
    updateActions();
    // A new filter starts from its first page again. The total first: emptied while it still
    // said more, the model would have the view fetch the new filter's first page as "more".
    m_model->setTotal(0);
    m_model->setJobs({});
    updateInfo();
    emit refreshWanted();
}

void HistoryPanel::sortChanged(int column, Qt::SortOrder order)
{
    m_proxy->sort(-1); // the rows stay in the store's order
    const HistorySort wanted = storeSort(column);
    const bool ascending = column >= 0 && order == Qt::AscendingOrder;
    if (m_filter.sort == wanted && m_filter.ascending == ascending)
        return;
    m_filter.sort = wanted;
    m_filter.ascending = ascending;
    emit refreshWanted();
}

void HistoryPanel::readFilterInputs()
{
    HistoryFilter filter;
    const QVariant status = m_status->currentData();
    if (status.isValid())
        filter.statuses.push_back(JobStatus(status.toInt()));
    filter.dealerId = m_dealer->text().trimmed();
    filter.fetchType = m_type->currentData().toString();
    const QVariant category = m_category->currentData();
    if (category.isValid())
        filter.errorCategory = ErrorCategory(category.toInt());
    filter.text = m_search->text().trimmed();
    readFinishedInputs(&filter, QDateTime::currentMSecsSinceEpoch());
    applyFilter(filter);
}

void HistoryPanel::askRange()
{
    // A small dialog, so that the filter row keeps its width; the item then shows the days.
    if (m_rangeDialog && m_rangeDialog->isVisible())
        return;
    auto *dialog = new QDialog(this);
    m_rangeDialog = dialog;
    dialog->setObjectName(QStringLiteral("historyFinishedRange"));
    dialog->setWindowTitle(tr("Jobs finished between"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    const QDate today = QDate::currentDate();
    auto *from = new QDateEdit(m_rangeFrom.isValid() ? m_rangeFrom : today.addDays(-7), dialog);
    from->setObjectName(QStringLiteral("historyFinishedFrom"));
    from->setToolTip(tr("Finished on or after this day (local time)"));
    auto *to = new QDateEdit(m_rangeTo.isValid() ? m_rangeTo : today, dialog);
    to->setObjectName(QStringLiteral("historyFinishedTo"));
    to->setToolTip(tr("Finished on or before this day (local time)"));
    for (QDateEdit *edit : {from, to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd"));
    }
    // The end can never come before the start: it moves along.
    to->setMinimumDate(from->date());
    connect(from, &QDateEdit::dateChanged, to, &QDateEdit::setMinimumDate);
    auto *form = new QFormLayout;
    form->addRow(tr("&From:"), from);
    form->addRow(tr("&To:"), to);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    connect(box, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addLayout(form);
    layout->addWidget(box);
    connect(dialog, &QDialog::accepted, this, [this, from, to] {
        m_rangeFrom = from->date();
        m_rangeTo = to->date();
        m_finishedIndex = m_finished->findData(int(Between));
        // Short, to leave the row its width; the tooltip has the days in full.
        const QLocale locale;
        const QString format = m_rangeFrom.year() == m_rangeTo.year() &&
                                       m_rangeTo.year() == QDate::currentDate().year()
                                   ? QStringLiteral("d MMM")
                                   : QStringLiteral("d MMM yy");
        m_finished->setItemText(m_finishedIndex,
                                QStringLiteral("%1 – %2").arg(locale.toString(m_rangeFrom, format),
                                                              locale.toString(m_rangeTo, format)));
        m_finished->setItemData(
            m_finishedIndex,
            tr("Finished from %1 to %2 (local time)")
                .arg(m_rangeFrom.toString(Qt::ISODate), m_rangeTo.toString(Qt::ISODate)),
            Qt::ToolTipRole);
        readFilterInputs();
    });
    connect(dialog, &QDialog::rejected, this, [this] {
        const QSignalBlocker block(m_finished);
        m_finished->setCurrentIndex(m_finishedIndex);
    });
    dialog->open();
}

void HistoryPanel::finishedChosen(int index)
{
    if (m_finished->itemData(index).toInt() == Between) {
        askRange();
        return;
    }
    m_finishedIndex = index;
    m_finished->setItemText(m_finished->findData(int(Between)), tr("Between…"));
    readFilterInputs();
}

void HistoryPanel::readFinishedInputs(HistoryFilter *filter, qint64 nowMs) const
{
    // A number of days back counts from the moment it is chosen (or another input changes), so
    // that the filter stays the same from one refresh to the next.
    const int choice = m_finished->itemData(m_finishedIndex).toInt();
    filter->finishedAfterMs.reset();
    filter->finishedBeforeMs.reset();
    if (choice == Between) {
        filter->finishedAfterMs = m_rangeFrom.startOfDay().toMSecsSinceEpoch();
        filter->finishedBeforeMs = m_rangeTo.addDays(1).startOfDay().toMSecsSinceEpoch();
    } else if (choice > 0) {
        filter->finishedAfterMs = nowMs - choice * DayMs;
    }
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
        // A page of another filter, or one the rows have moved past meanwhile (a refresh read
        // them already), is not more.
        if (!sameFilter(filter, m_filter) || filter.offset != m_model->rowCount()) {
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
    // Short: it shares its row with the buttons, also at 1024 px.
    if (total > shown)
        m_info->setText(tr("%1 of %Ln loaded", nullptr, int(total)).arg(JobFormat::count(shown)));
    else
        m_info->setText(tr("%Ln job(s)", nullptr, shown));
    m_info->setToolTip(total > shown ? tr("Scroll down to load more.") : QString());
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
    m_retryMatching->setEnabled(!m_busy && m_finishedTotal != 0 && retryStatus(m_filter));
    m_removeOlder->setEnabled(!m_busy && m_finishedTotal != 0);
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
    const bool filtered = narrows(shown);
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
    // Enter must never delete: Cancel is the default and has the focus.
    QMessageBox *box = safeConfirmation(this, QStringLiteral("clearConfirmation"),
                                        tr("Clear completed jobs"), text);
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

QString HistoryPanel::categoryLabel(ErrorCategory category)
{
    switch (category) {
    case ErrorCategory::Network:
        return tr("Network");
    case ErrorCategory::Http:
        return tr("HTTP error");
    case ErrorCategory::Auth:
        // Not "Refused": that reads as a refused connection, which is Network.
        return tr("Token refused");
    case ErrorCategory::NotFound:
        return tr("Not found");
    case ErrorCategory::BadPayload:
        return tr("Unreadable answer");
    case ErrorCategory::Database:
        return tr("Database");
    case ErrorCategory::Cancelled:
        return tr("Cancelled");
    case ErrorCategory::Interrupted:
        return tr("Interrupted");
    case ErrorCategory::None:
        break;
    }
    return errorCategoryName(category);
}

QString HistoryPanel::filterText(const HistoryFilter &filter)
{
    QStringList parts;
    for (JobStatus status : filter.statuses)
        parts << JobFormat::statusText(status).toLower();
    if (!filter.fetchType.isEmpty())
        parts << tr("type %1").arg(filter.fetchType);
    if (filter.errorCategory)
        parts << tr("error “%1”").arg(categoryLabel(*filter.errorCategory));
    if (!filter.dealerId.isEmpty())
        parts << tr("dealer %1").arg(filter.dealerId);
    if (!filter.text.isEmpty())
        parts << tr("containing “%1”").arg(filter.text);
    if (filter.finishedAfterMs && filter.finishedBeforeMs)
        parts << tr("finished from %1 to before %2")
                     .arg(JobFormat::dateTime(*filter.finishedAfterMs),
                          JobFormat::dateTime(*filter.finishedBeforeMs));
    else if (filter.finishedAfterMs)
        parts << tr("finished since %1").arg(JobFormat::dateTime(*filter.finishedAfterMs));
    else if (filter.finishedBeforeMs)
        parts << tr("finished before %1").arg(JobFormat::dateTime(*filter.finishedBeforeMs));
    return parts.join(QStringLiteral(", "));
}

void HistoryPanel::retryMatching()
{
    const std::optional<JobStatus> status = retryStatus(m_filter);
    if (m_busy || !status)
        return;
    HistoryFilter filter = m_filter;
    filter.statuses = {*status};
    m_busy = true;
    updateActions();
    // The count comes from the store right before asking, over the whole history.
    m_queue->countHistory(this, filter, [this, filter](QueueResult<qint64> count) {
        m_busy = false;
        updateActions();
        if (!count.ok()) {
            emit storeFailed(count.error);
            emit message(tr("Could not count the jobs to retry: %1").arg(count.error.message),
                         MessageBar::Level::Error);
            return;
        }
        confirmRetryMatching(filter, *count.value);
    });
}

void HistoryPanel::confirmRetryMatching(const HistoryFilter &filter, qint64 count)
{
    const bool cancelled = filter.statuses.value(0) == JobStatus::Cancelled;
    HistoryFilter described = filter;
    described.statuses.clear(); // the sentence names the status
    const bool filtered = narrows(described);
    if (count == 0) {
        emit message(cancelled ? tr("No cancelled job matches the filter: nothing to retry.")
                               : tr("No failed job matches the filter: nothing to retry."),
                     MessageBar::Level::Info);
        return;
    }
    const int n = int(count);
    QString text;
    if (cancelled)
        text = filtered ? tr("Retry %Ln cancelled job(s) matching the filter (%1)?", nullptr, n)
                              .arg(filterText(described))
                        : tr("Retry all %Ln cancelled job(s)?", nullptr, n);
    else
        text = filtered ? tr("Retry %Ln failed job(s) matching the filter (%1)?", nullptr, n)
                              .arg(filterText(described))
                        : tr("Retry all %Ln failed job(s)?", nullptr, n);
    text += QStringLiteral("\n\n") +
            tr("They go to the end of the queue; a job whose twin is queued already is skipped.");
    QMessageBox *box =
        confirmation(this, QStringLiteral("retryMatchingConfirmation"), tr("Retry matching jobs"),
                     text, tr("Retry %Ln job(s)", nullptr, n));
    connect(box, &QMessageBox::finished, this, [this, box, filter, count] {
        if (box->clickedButton() != box->button(QMessageBox::Yes))
            return;
        m_busy = true;
        updateActions();
        // Never more than the jobs counted: should a job have failed since, nothing is retried
        // and the operator is asked again, with the new count.
        m_queue->retryMatching(this, filter, count, [this](QueueResult<BulkRetryReport> result) {
            m_busy = false;
            updateActions();
            if (!result.ok() && result.error.kind == StoreError::Kind::Conflict) {
                emit message(tr("The matching jobs changed while you were asked: nothing was "
                                "retried. Asking again."),
                             MessageBar::Level::Warning);
                retryMatching();
                return;
            }
            if (!result.ok()) {
                emit storeFailed(result.error);
                emit message(tr("Could not retry: %1").arg(result.error.message),
                             MessageBar::Level::Error);
                return;
            }
            QStringList parts;
            parts << tr("Queued %Ln job(s) again.", nullptr, int(result.value->jobIds.size()));
            if (!result.value->skipped.isEmpty())
                parts << tr("Skipped %Ln whose twin is queued already.", nullptr,
                            int(result.value->skipped.size()));
            emit message(parts.join(QLatin1Char(' ')), MessageBar::Level::Info);
        });
    });
    box->open();
    box->button(QMessageBox::Cancel)->setFocus();
}

void HistoryPanel::removeOlder()
{
    if (m_busy)
        return;
    auto *dialog = new QDialog(this);
    dialog->setObjectName(QStringLiteral("removeOlderDialog"));
    dialog->setWindowTitle(tr("Remove old finished jobs"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    auto *days = new QSpinBox(dialog);
    days->setObjectName(QStringLiteral("olderThanDays"));
    days->setRange(0, 36500);
    const auto setSuffix = [days](int value) {
        days->setSuffix(QLatin1Char(' ') + tr("day(s)", nullptr, value));
    };
    connect(days, &QSpinBox::valueChanged, days, setSuffix);
    days->setValue(30);
    setSuffix(30);
    auto *text = new QLabel(
        narrows(m_filter)
            ? tr("Remove the finished jobs the history's filter matches (%1) that finished "
                 "longer ago than:")
                  .arg(filterText(m_filter))
            : tr("Remove the finished jobs (completed, failed and cancelled) that finished "
                 "longer ago than:"),
        dialog);
    text->setWordWrap(true);
    auto *box = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, dialog);
    box->button(QDialogButtonBox::Ok)->setText(tr("Count…"));
    connect(box, &QDialogButtonBox::accepted, dialog, &QDialog::accept);
    connect(box, &QDialogButtonBox::rejected, dialog, &QDialog::reject);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(text);
    layout->addWidget(days);
    layout->addWidget(box);
    connect(dialog, &QDialog::accepted, this, [this, days] {
        const int n = days->value();
        HistoryFilter filter = m_filter;
        const qint64 before = QDateTime::currentMSecsSinceEpoch() - n * DayMs;
        filter.finishedBeforeMs = qMin(filter.finishedBeforeMs.value_or(before), before);
        m_busy = true;
        updateActions();
        m_queue->countHistory(this, filter, [this, filter, n](QueueResult<qint64> count) {
            m_busy = false;
            updateActions();
            if (!count.ok()) {
                emit storeFailed(count.error);
                emit message(tr("Could not count the finished jobs: %1").arg(count.error.message),
                             MessageBar::Level::Error);
                return;
            }
            confirmRemoveOlder(filter, n, *count.value);
        });
    });
    dialog->open();
    days->setFocus();
    days->selectAll();
}

void HistoryPanel::confirmRemoveOlder(const HistoryFilter &filter, int days, qint64 count)
{
    // Always in "more than … ago", so that languages with cases can give it the right one.
    const QString age = tr("%n day(s)", "in: finished more than … ago", days);
    if (count == 0) {
        emit message(tr("No job matching the filter finished more than %1 ago: nothing to "
                        "remove.")
                         .arg(age),
                     MessageBar::Level::Info);
        return;
    }
    const int n = int(count);
    const bool filtered = narrows(m_filter);
    QString text =
        filtered ? tr("Remove %Ln finished job(s) matching the filter (%1) that finished more "
                      "than %2 ago, with their logs?",
                      nullptr, n)
                       .arg(filterText(m_filter), age)
                 : tr("Remove %Ln finished job(s) that finished more than %1 ago, with their "
                      "logs?",
                      nullptr, n)
                       .arg(age);
    text += QStringLiteral("\n\n") +
            tr("Fetched records and queued and running jobs stay. This cannot be undone.");
    QMessageBox *box =
        confirmation(this, QStringLiteral("removeOlderConfirmation"),
                     tr("Remove old finished jobs"), text, tr("Remove %Ln job(s)", nullptr, n));
    connect(box, &QMessageBox::finished, this, [this, box, filter, age] {
        if (box->clickedButton() != box->button(QMessageBox::Yes))
            return;
        m_busy = true;
        updateActions();
        m_queue->removeFinished(this, filter, [this, age](QueueResult<BulkReport> result) {
            m_busy = false;
            updateActions();
            if (!result.ok()) {
                emit storeFailed(result.error);
                emit message(tr("Could not remove: %1").arg(result.error.message),
                             MessageBar::Level::Error);
                return;
            }
            emit message(tr("Removed %Ln finished job(s) that finished more than %1 ago.", nullptr,
                            int(result.value->count()))
                             .arg(age),
                         MessageBar::Level::Info);
        });
    });
    box->open();
    box->button(QMessageBox::Cancel)->setFocus();
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
