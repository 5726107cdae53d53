#include "queuepanel.h"

#include "confirmation.h"
#include "comboboxes.h"
#include "jobformat.h"
#include "jobtablemodel.h"
#include "jobtableview.h"
#include "queue/jobqueue.h"
#include "queuewatcher.h"

#include <algorithm>

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

QToolButton *buttonFor(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    return button;
}

} // namespace

QueuePanel::QueuePanel(JobQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_model(new JobTableModel(this))
    , m_view(new JobTableView(this))
    , m_info(new QLabel(this))
    , m_type(new QComboBox(this))
    , m_dealer(new QLineEdit(this))
    , m_filterDelay(new QTimer(this))
{
    setObjectName(QStringLiteral("queuePanel"));
    m_model->setObjectName(QStringLiteral("queueModel"));
    m_view->setObjectName(QStringLiteral("queueView"));
    m_info->setObjectName(QStringLiteral("queueInfo"));
    m_type->setObjectName(QStringLiteral("queueTypeFilter"));
    m_type->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_dealer->setObjectName(QStringLiteral("queueDealerFilter"));
    m_type->addItem(tr("All types"));
    for (const QString &type : m_queue->config().fetchTypes)
        m_type->addItem(type, type);
    m_type->setToolTip(tr("Show only queued jobs of this fetch type"));
    ComboBoxes::fitPopupToItems(m_type);
    m_dealer->setPlaceholderText(tr("Dealer ID"));
    m_dealer->setClearButtonEnabled(true);
    m_dealer->setToolTip(tr("Show only this dealer's queued jobs (exact ID)"));
    m_filterDelay->setSingleShot(true);
    m_filterDelay->setInterval(300);
    m_view->setModel(m_model);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setDefaultHiddenColumns({JobTableModel::StatusColumn, JobTableModel::StartedColumn,
                                     JobTableModel::FinishedColumn, JobTableModel::DurationColumn,
                                     JobTableModel::PagesColumn, JobTableModel::FetchedColumn,
                                     JobTableModel::InsertedColumn, JobTableModel::UpdatedColumn});
    QHeaderView *header = m_view->horizontalHeader();
    const std::pair<int, int> widths[] = {
        {JobTableModel::IdColumn, 60},       {JobTableModel::DealerColumn, 110},
        {JobTableModel::TypeColumn, 80},     {JobTableModel::WindowColumn, 100},
        {JobTableModel::PriorityColumn, 60}, {JobTableModel::CreatedColumn, 145},
        {JobTableModel::AttemptsColumn, 70},
    };
    for (const auto &[column, width] : widths)
        header->resizeSection(column, width);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_info->setTextFormat(Qt::PlainText);

    m_cancel = new QAction(style()->standardIcon(QStyle::SP_DialogCancelButton),
                           tr("&Cancel Selected Jobs"), this);
    m_cancel->setShortcut(QKeySequence::Delete);
    m_cancel->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_cancel->setToolTip(tr("Cancel the selected jobs (Delete)"));
    m_runNext =
        new QAction(style()->standardIcon(QStyle::SP_MediaSkipBackward), tr("Run &Next"), this);
    m_runNext->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Up));
    m_runNext->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_runNext->setToolTip(tr("Move the selected jobs to the front of the queue"));
    m_moveUp = new QAction(style()->standardIcon(QStyle::SP_ArrowUp), tr("Move &Up"), this);
    m_moveUp->setToolTip(tr("Move the selected jobs one place up (Ctrl+Up)"));
    m_moveUp->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Up));
    m_moveUp->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_moveDown = new QAction(style()->standardIcon(QStyle::SP_ArrowDown), tr("Move &Down"), this);
    m_moveDown->setToolTip(tr("Move the selected jobs one place down (Ctrl+Down)"));
    m_moveDown->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Down));
    m_moveDown->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    for (QAction *action : {m_cancel, m_runNext, m_moveUp, m_moveDown})
        m_view->addAction(action);
    m_cancelMatching = new QAction(tr("Cancel Matc&hing…"), this);
    m_cancelMatching->setObjectName(QStringLiteral("cancelMatchingAction"));
    m_cancelMatching->setToolTip(tr("Cancel every queued job the queue's filter matches (every "
                                    "queued job without one); the running job is not touched"));
    connect(m_cancelMatching, &QAction::triggered, this, &QueuePanel::cancelMatching);
    connect(m_type, &QComboBox::currentIndexChanged, this, &QueuePanel::readFilterInputs);
    connect(m_dealer, &QLineEdit::textChanged, m_filterDelay, qOverload<>(&QTimer::start));
    connect(m_dealer, &QLineEdit::returnPressed, this, &QueuePanel::readFilterInputs);
    connect(m_filterDelay, &QTimer::timeout, this, &QueuePanel::readFilterInputs);

    connect(m_cancel, &QAction::triggered, this, [this] { cancelJobs(m_view->selectedJobIds()); });
    connect(m_runNext, &QAction::triggered, this,
            [this] { moveJobs(m_view->selectedJobIds(), MoveOp::Top); });
    connect(m_moveUp, &QAction::triggered, this,
            [this] { moveJobs(m_view->selectedJobIds(), MoveOp::Up); });
    connect(m_moveDown, &QAction::triggered, this,
            [this] { moveJobs(m_view->selectedJobIds(), MoveOp::Down); });
    connect(m_view, &JobTableView::jobSelectionChanged, this, &QueuePanel::updateActions);
    connect(m_view, &JobTableView::jobActivated, this, &QueuePanel::detailsRequested);
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        menu.addAction(m_runNext);
        menu.addAction(m_moveUp);
        menu.addAction(m_moveDown);
        menu.addSeparator();
        menu.addAction(m_cancel);
        menu.addAction(m_cancelMatching);
        const qint64 id = m_view->indexAt(pos).data(JobTableModel::JobIdRole).toLongLong();
        if (id > 0) {
            menu.addSeparator();
            menu.addAction(tr("Details…"), this, [this, id] { emit detailsRequested(id); });
        }
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    connect(m_model, &JobTableModel::moreRequested, this, [this](int offset) {
        m_rowLimit = qMax(m_rowLimit, offset + PageSize);
        emit refreshWanted();
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &QueuePanel::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &QueuePanel::updateActions);
    connect(m_model, &QAbstractItemModel::rowsMoved, this, &QueuePanel::updateActions);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(buttonFor(m_runNext, this));
    // Up and down by their arrows (named in their tooltips), so that the filter fits at 1024 px.
    for (QAction *action : {m_moveUp, m_moveDown}) {
        QToolButton *button = buttonFor(action, this);
        button->setToolButtonStyle(Qt::ToolButtonIconOnly);
        buttons->addWidget(button);
    }
    // Cancel Matching is a click on the arrow away, leaving the row room for the filter at
    // 1024 px.
    QToolButton *cancelButton = buttonFor(m_cancel, this);
    auto *cancelMenu = new QMenu(cancelButton);
    cancelMenu->addAction(m_cancel);
    cancelMenu->addAction(m_cancelMatching);
    cancelButton->setMenu(cancelMenu);
    cancelButton->setPopupMode(QToolButton::MenuButtonPopup);
    cancelButton->setObjectName(QStringLiteral("cancelButton"));
    // With nothing selected the button still opens its menu (Cancel Matching), from either part.
    connect(cancelButton, &QToolButton::clicked, this, [this, cancelButton] {
        if (!m_cancel->isEnabled())
            cancelButton->showMenu();
    });
    m_cancelButton = cancelButton;
    buttons->addWidget(cancelButton);
    buttons->addStretch(1);
    buttons->addWidget(m_info);
    buttons->addWidget(m_type);
    buttons->addWidget(m_dealer);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    updateActions();
    updateInfo();
}

QueuePanel::~QueuePanel() = default;

void QueuePanel::setFilter(const QString &fetchType, const QString &dealerId)
{
    {
        const QSignalBlocker blockType(m_type);
        const QSignalBlocker blockDealer(m_dealer);
        m_type->setCurrentIndex(fetchType.isEmpty() ? 0 : qMax(0, m_type->findData(fetchType)));
        m_dealer->setText(dealerId);
    }
    m_filterDelay->stop();
    if (m_filter.fetchType == fetchType && m_filter.dealerId == dealerId)
        return;
    m_filter.fetchType = fetchType;
    m_filter.dealerId = dealerId;
    // A new filter starts from its first page again (the total first, so that emptying the
    // rows asks for no more).
    m_model->setTotal(0);
    m_model->setJobs({});
    m_rowLimit = PageSize;
    updateInfo();
    updateActions();
    emit refreshWanted();
}

void QueuePanel::readFilterInputs()
{
    setFilter(m_type->currentData().toString(), m_dealer->text().trimmed());
}

void QueuePanel::applySnapshot(const QueueSnapshot &snapshot)
{
    if (!snapshot.status || snapshot.queueFilter.fetchType != m_filter.fetchType ||
        snapshot.queueFilter.dealerId != m_filter.dealerId)
        return; // a read of an older filter: the next one is on its way
    m_model->setJobs(snapshot.status->queued);
    // Fewer rows than asked for is the whole queue as read, whatever the count said.
    const qint64 read = snapshot.status->queued.size();
    const qint64 matching = snapshot.queuedMatching.value_or(snapshot.status->queueLength);
    m_model->setTotal(read < snapshot.queueLimit ? read : qMax(read, matching));
    updateInfo();
    updateActions();
}

void QueuePanel::updateInfo()
{
    const qint64 total = m_model->total();
    const int shown = m_model->rowCount();
    const bool filtered = m_filter.hasField();
    // Short: it shares its row with the buttons and the filter, also at 1024 px.
    if (total > shown)
        m_info->setText((filtered ? tr("%1 of %Ln matching loaded", nullptr, int(total))
                                  : tr("%1 of %Ln loaded", nullptr, int(total)))
                            .arg(JobFormat::count(shown)));
    else
        m_info->setText(filtered ? tr("%Ln match(es)", nullptr, shown)
                                 : tr("%Ln job(s) waiting", nullptr, shown));
    m_info->setToolTip(total > shown ? tr("Scroll down to load more.") : QString());
}

void QueuePanel::updateActions()
{
    const QModelIndexList rows =
        m_view->selectionModel() ? m_view->selectionModel()->selectedRows() : QModelIndexList();
    bool top = false;
    bool bottom = false;
    for (const QModelIndex &index : rows) {
        top = top || index.row() == 0;
        bottom = bottom || (index.row() == m_model->rowCount() - 1 &&
                            m_model->total() <= m_model->rowCount());
    }
    const bool any = !rows.isEmpty() && !m_busy;
    // Filtered, the rows' neighbours are not the queue's: a move by one place would pass jobs
    // not shown, and the first row shown need not be the queue's first.
    const bool filtered = m_filter.hasField();
    m_cancel->setEnabled(any);
    m_runNext->setEnabled(any && (!top || filtered));
    m_moveUp->setEnabled(any && !top && !filtered);
    m_moveDown->setEnabled(any && !bottom && !filtered);
    m_cancelMatching->setEnabled(!m_busy && m_model->total() > 0);
    // After the actions: the button follows its default action's state, and is usable while
    // either of its actions is.
    if (m_cancelButton)
        m_cancelButton->setEnabled(m_cancel->isEnabled() || m_cancelMatching->isEnabled());
}

void QueuePanel::cancelMatching()
{
    if (m_busy)
        return;
    QueuedFilter filter = m_filter;
    filter.all = !filter.hasField();
    m_busy = true;
    updateActions();
    // The count comes from the store right before asking, over the whole queue.
    m_queue->countQueued(this, filter, [this, filter](QueueResult<qint64> count) {
        m_busy = false;
        updateActions();
        if (!count.ok()) {
            emit storeFailed(count.error);
            emit message(tr("Could not count the queued jobs: %1").arg(count.error.message),
                         MessageBar::Level::Error);
            return;
        }
        confirmCancelMatching(filter, *count.value);
    });
}

void QueuePanel::confirmCancelMatching(const QueuedFilter &filter, qint64 count)
{
    if (count == 0) {
        emit message(tr("No queued job matches the filter: nothing to cancel."),
                     MessageBar::Level::Info);
        return;
    }
    const int n = int(count);
    QString text;
    if (filter.all) {
        text = tr("Cancel all %Ln queued job(s)?", nullptr, n);
    } else {
        QStringList parts;
        if (!filter.fetchType.isEmpty())
            parts << tr("type %1").arg(filter.fetchType);
        if (!filter.dealerId.isEmpty())
            parts << tr("dealer %1").arg(filter.dealerId);
        text = tr("Cancel %Ln queued job(s) matching the filter (%1)?", nullptr, n)
                   .arg(parts.join(QStringLiteral(", ")));
    }
    text += QStringLiteral("\n\n") + tr("The running job is not touched.");
    // Enter must never cancel jobs: "Keep Them" is the default and the escape.
    QMessageBox *box = safeConfirmation(this, QStringLiteral("cancelMatchingConfirmation"),
                                        tr("Cancel matching jobs"), text,
                                        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    box->button(QMessageBox::Yes)->setText(tr("Cancel %Ln job(s)", nullptr, n));
    box->button(QMessageBox::No)->setText(tr("Keep Them"));
    connect(box, &QMessageBox::finished, this, [this, box, filter, count] {
        if (box->clickedButton() != box->button(QMessageBox::Yes))
            return;
        m_busy = true;
        updateActions();
        // Never more than the jobs counted: should one have been queued since, nothing is
        // cancelled and the operator is asked again, with the new count.
        m_queue->cancelMatching(this, filter, count, [this](QueueResult<BulkReport> result) {
            m_busy = false;
            updateActions();
            if (!result.ok() && result.error.kind == StoreError::Kind::Conflict) {
                emit message(tr("The matching jobs changed while you were asked: nothing was "
                                "cancelled. Asking again."),
                             MessageBar::Level::Warning);
                cancelMatching();
                return;
            }
            if (!result.ok()) {
                emit storeFailed(result.error);
                emit message(tr("Could not cancel: %1").arg(result.error.message),
                             MessageBar::Level::Error);
                return;
            }
            emit message(tr("Cancelled %Ln queued job(s).", nullptr, int(result.value->count())),
                         MessageBar::Level::Info);
        });
    });
    box->open();
    box->button(QMessageBox::No)->setFocus();
}

void QueuePanel::cancelJobs(const QVector<qint64> &ids)
{
    if (ids.isEmpty() || m_busy)
        return;
    m_busy = true;
    updateActions();
    m_queue->cancel(
        this, ids, [this](CancelReport report) {
            m_busy = false;
            const int cancelled = report.cancelled.size();
            QStringList aborted;
            for (qint64 id : std::as_const(report.aborting))
                aborted << QString::number(id);
            QStringList failed;
            for (const StoreError &error : std::as_const(report.errors)) {
                emit storeFailed(error);
                failed << error.message;
            }
            QStringList parts;
            if (cancelled > 0)
                parts << tr("Cancelled %Ln job(s).", nullptr, cancelled);
            if (!aborted.isEmpty())
                parts << tr("Job(s) %1 had started: it is being aborted and rolled back.", nullptr,
                            int(aborted.size()))
                             .arg(aborted.join(QStringLiteral(", ")));
            if (!failed.isEmpty())
                parts << tr("Not cancelled: %1").arg(failed.join(QStringLiteral("; ")));
            emit message(parts.join(QLatin1Char(' ')),
                         failed.isEmpty() ? MessageBar::Level::Info : MessageBar::Level::Warning);
            updateActions();
        });
}

void QueuePanel::moveJobs(const QVector<qint64> &ids, MoveOp op)
{
    if (ids.isEmpty() || m_busy)
        return;
    // Moving up or to the top goes bottom-up for Top (the first selected ends first) and
    // top-down for Up; down goes bottom-up. Either way the selected jobs keep their order.
    QVector<qint64> order = ids;
    if (op == MoveOp::Top || op == MoveOp::Down)
        std::reverse(order.begin(), order.end());
    m_busy = true;
    updateActions();
    m_queue->move(this, order, op, [this](QVector<StoreError> errors) {
        m_busy = false;
        updateActions();
        if (!errors.isEmpty()) {
            QStringList why;
            for (const StoreError &error : std::as_const(errors)) {
                emit storeFailed(error);
                why << error.message;
            }
            emit message(tr("Could not move: %1").arg(why.join(QStringLiteral("; "))),
                         MessageBar::Level::Warning);
        }
    });
}
