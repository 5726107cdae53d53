#include "queuepanel.h"

#include "jobformat.h"
#include "jobtablemodel.h"
#include "jobtableview.h"
#include "queue/jobqueue.h"
#include "queuewatcher.h"

#include <algorithm>

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QStyle>
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
{
    setObjectName(QStringLiteral("queuePanel"));
    m_model->setObjectName(QStringLiteral("queueModel"));
    m_view->setObjectName(QStringLiteral("queueView"));
    m_info->setObjectName(QStringLiteral("queueInfo"));
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
    m_runNext = new QAction(style()->standardIcon(QStyle::SP_ArrowUp), tr("Run &Next"), this);
    m_runNext->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Up));
    m_runNext->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_runNext->setToolTip(tr("Move the selected jobs to the front of the queue"));
    m_moveUp = new QAction(tr("Move &Up"), this);
    m_moveUp->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Up));
    m_moveUp->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_moveDown = new QAction(tr("Move &Down"), this);
    m_moveDown->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Down));
    m_moveDown->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    for (QAction *action : {m_cancel, m_runNext, m_moveUp, m_moveDown})
        m_view->addAction(action);

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
    buttons->addWidget(buttonFor(m_moveUp, this));
    buttons->addWidget(buttonFor(m_moveDown, this));
    buttons->addWidget(buttonFor(m_cancel, this));
    buttons->addStretch(1);
    buttons->addWidget(m_info);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    updateActions();
    updateInfo();
}

QueuePanel::~QueuePanel() = default;

void QueuePanel::applySnapshot(const QueueSnapshot &snapshot)
{
    if (!snapshot.status)
        return;
    m_model->setJobs(snapshot.status->queued);
    // Fewer rows than asked for is the whole queue as read, whatever the count said.
    const qint64 read = snapshot.status->queued.size();
    m_model->setTotal(read < snapshot.queueLimit ? read : qMax(read, snapshot.status->queueLength));
    updateInfo();
    updateActions();
}

void QueuePanel::updateInfo()
{
    const qint64 total = m_model->total();
    const int shown = m_model->rowCount();
    if (total > shown)
        m_info->setText(
            tr("%1 of %Ln queued job(s) loaded; scroll down for more", nullptr, int(total))
                .arg(JobFormat::count(shown)));
    else
        m_info->setText(tr("%Ln job(s) waiting", nullptr, shown));
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
    m_cancel->setEnabled(any);
    m_runNext->setEnabled(any && !top);
    m_moveUp->setEnabled(any && !top);
    m_moveDown->setEnabled(any && !bottom);
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
