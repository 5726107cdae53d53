#include "schedulespanel.h"

#include "confirmation.h"
#include "jobformat.h"
#include "palettecolors.h"
#include "queue/jobqueue.h"
#include "schedule/cron.h"
#include "scheduledialog.h"
#include "scheduletablemodel.h"

#include <algorithm>

#include <QAction>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace {

constexpr int MinWhenWidth = 180;

QToolButton *buttonFor(QAction *action, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setDefaultAction(action);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    return button;
}

/// "next fire 2026-12-04 02:00:00", or why there is none.
QString nextFireText(const Schedule &schedule)
{
    if (!schedule.enabled)
        return SchedulesPanel::tr("it does not fire until it is enabled again");
    const QList<qint64> next = upcomingSlots(schedule, QDateTime::currentMSecsSinceEpoch(), 1);
    if (next.isEmpty())
        return SchedulesPanel::tr("its cron matches no time in the next %1 years")
            .arg(CronSearchYears);
    return SchedulesPanel::tr("next fire %1").arg(JobFormat::dateTime(next.first()));
}

} // namespace

SchedulesPanel::SchedulesPanel(JobQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_model(new ScheduleTableModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_info(new QLabel(this))
{
    setObjectName(QStringLiteral("schedulesPanel"));
    m_model->setObjectName(QStringLiteral("scheduleModel"));
    m_proxy->setObjectName(QStringLiteral("scheduleProxy"));
    m_view->setObjectName(QStringLiteral("scheduleView"));
    m_info->setObjectName(QStringLiteral("scheduleInfo"));
    m_info->setTextFormat(Qt::PlainText);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(ScheduleTableModel::SortRole);
    m_proxy->setDynamicSortFilter(true);
    m_view->setModel(m_proxy);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setCornerButtonEnabled(false);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionsMovable(true);
    // The cron in words takes the room there is (fitWhenColumn): the other columns hold values
    // of a known width.
    const std::pair<int, int> widths[] = {
        {ScheduleTableModel::NameColumn, 150},     {ScheduleTableModel::WindowColumn, 115},
        {ScheduleTableModel::TypesColumn, 95},     {ScheduleTableModel::DealersColumn, 58},
        {ScheduleTableModel::NextFireColumn, 140}, {ScheduleTableModel::LastFireColumn, 140},
        {ScheduleTableModel::StateColumn, 70},
    };
    for (const auto &[column, width] : widths)
        header->resizeSection(column, width);
    header->resizeSection(ScheduleTableModel::WhenColumn, MinWhenWidth);
    m_view->viewport()->installEventFilter(this);
    connect(header, &QHeaderView::sectionResized, this, [this](int column) {
        if (column != ScheduleTableModel::WhenColumn)
            fitWhenColumn();
    });
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(ScheduleTableModel::NameColumn, Qt::AscendingOrder);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);

    m_add = new QAction(JobFormat::statusIcon(JobStatus::Queued), tr("&Add Schedule…"), this);
    m_add->setObjectName(QStringLiteral("addScheduleAction"));
    m_add->setToolTip(tr("Add a schedule that queues jobs by itself at the times of its cron"));
    m_edit = new QAction(tr("&Edit Schedule…"), this);
    m_edit->setObjectName(QStringLiteral("editScheduleAction"));
    m_edit->setToolTip(tr("Change the selected schedule (Enter, double-click)"));
    m_toggle = new QAction(tr("D&isable"), this);
    m_toggle->setObjectName(QStringLiteral("toggleScheduleAction"));
    m_runNow = new QAction(style()->standardIcon(QStyle::SP_MediaPlay), tr("&Run Now"), this);
    m_runNow->setObjectName(QStringLiteral("runScheduleAction"));
    m_runNow->setToolTip(tr("Queue the selected schedule's jobs now, with the windows of this "
                            "moment; its times stay as they are"));
    m_delete =
        new QAction(style()->standardIcon(QStyle::SP_TrashIcon), tr("&Delete Schedule…"), this);
    m_delete->setObjectName(QStringLiteral("deleteScheduleAction"));
    m_delete->setShortcut(QKeySequence::Delete);
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_delete->setToolTip(tr("Delete the selected schedule, after asking (Delete); the jobs it "
                            "queued stay"));
    m_view->addAction(m_delete);

    connect(m_add, &QAction::triggered, this, &SchedulesPanel::addSchedule);
    connect(m_edit, &QAction::triggered, this, [this] { editSchedule(selectedId()); });
    connect(m_toggle, &QAction::triggered, this, [this] {
        if (const Schedule *s = scheduleOf(selectedId()))
            setScheduleEnabled(s->id, !s->enabled);
    });
    connect(m_runNow, &QAction::triggered, this, [this] { runNow(selectedId()); });
    connect(m_delete, &QAction::triggered, this, [this] { deleteSchedule(selectedId()); });
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        editSchedule(index.data(ScheduleTableModel::ScheduleIdRole).toLongLong());
    });
    connect(m_view, &QWidget::customContextMenuRequested, this, [this](const QPoint &pos) {
        QMenu menu(this);
        if (m_view->indexAt(pos).isValid()) {
            menu.addAction(m_edit);
            menu.addAction(m_toggle);
            menu.addAction(m_runNow);
            menu.addSeparator();
            menu.addAction(m_delete);
            menu.addSeparator();
        }
        menu.addAction(m_add);
        menu.exec(m_view->viewport()->mapToGlobal(pos));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &SchedulesPanel::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &SchedulesPanel::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &SchedulesPanel::updateActions);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(buttonFor(m_add, this));
    buttons->addWidget(buttonFor(m_edit, this));
    buttons->addWidget(buttonFor(m_toggle, this));
    buttons->addWidget(buttonFor(m_runNow, this));
    buttons->addWidget(buttonFor(m_delete, this));
    buttons->addStretch(1);
    buttons->addWidget(m_info);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);
    updateActions();
    updateInfo();
}

SchedulesPanel::~SchedulesPanel() = default;

bool SchedulesPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize)
        fitWhenColumn();
    return QWidget::eventFilter(watched, event);
}

void SchedulesPanel::fitWhenColumn()
{
    // The When column fills what the others leave, but never narrower than MinWhenWidth: in a
    // small window the table scrolls sideways instead of cutting the words to nothing.
    QHeaderView *header = m_view->horizontalHeader();
    int others = 0;
    for (int column = 0; column < header->count(); ++column) {
        if (column != ScheduleTableModel::WhenColumn && !header->isSectionHidden(column))
            others += header->sectionSize(column);
    }
    header->resizeSection(ScheduleTableModel::WhenColumn,
                          qMax(MinWhenWidth, m_view->viewport()->width() - others));
}

qint64 SchedulesPanel::selectedId() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(ScheduleTableModel::ScheduleIdRole).toLongLong();
}

void SchedulesPanel::selectSchedule(qint64 id)
{
    const int row = m_model->rowOfSchedule(id);
    if (row < 0)
        return;
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
    m_view->scrollTo(index);
}

const Schedule *SchedulesPanel::scheduleOf(qint64 id) const
{
    const int row = id > 0 ? m_model->rowOfSchedule(id) : -1;
    return row < 0 ? nullptr : &m_model->scheduleAt(row);
}

void SchedulesPanel::refresh()
{
    if (m_reading) {
        m_readAgain = true;
        return;
    }
    m_reading = true;
    m_queue->readSchedules(this, [this](QueueResult<QVector<Schedule>> result) {
        m_reading = false;
        if (result.ok()) {
            m_model->setSchedules(*result.value, QDateTime::currentMSecsSinceEpoch());
            m_loaded = true;
            // A read under way when the schedule was saved may not hold it yet: the next will.
            if (m_selectWhenRead > 0 && m_model->rowOfSchedule(m_selectWhenRead) >= 0) {
                selectSchedule(m_selectWhenRead);
                m_selectWhenRead = 0;
            }
            updateInfo();
        } else {
            // In its own place, not the message bar: the periodic refresh would repeat it.
            PaletteColors::setStatusText(m_info, JobStatus::Failed);
            m_info->setText(tr("Could not read the schedules: %1").arg(result.error.message));
            m_info->setToolTip(m_info->text());
            emit storeFailed(result.error);
        }
        updateActions();
        emit refreshed();
        if (m_readAgain) {
            m_readAgain = false;
            refresh();
        }
    });
}

void SchedulesPanel::refreshIfShown()
{
    if (isVisible())
        refresh();
}

void SchedulesPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updateActions();
    refresh();
}

void SchedulesPanel::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    updateActions();
}

void SchedulesPanel::updateInfo()
{
    PaletteColors::resetColors(m_info);
    m_info->setToolTip(QString());
    const int total = m_model->rowCount();
    if (!m_loaded) {
        m_info->clear();
        return;
    }
    if (total == 0) {
        m_info->setText(tr("No schedules yet"));
        return;
    }
    int enabled = 0;
    for (int row = 0; row < total; ++row)
        enabled += m_model->scheduleAt(row).enabled ? 1 : 0;
    m_info->setText(
        tr("%Ln schedule(s), %1 enabled", nullptr, total).arg(JobFormat::count(enabled)));
}

void SchedulesPanel::updateActions()
{
    // What acts on the selection acts only where the operator sees it.
    const Schedule *selected = isVisible() ? scheduleOf(selectedId()) : nullptr;
    const bool any = selected && !m_busy;
    m_edit->setEnabled(any);
    m_toggle->setEnabled(any);
    m_runNow->setEnabled(any);
    m_delete->setEnabled(any);
    const bool disable = !selected || selected->enabled;
    m_toggle->setText(disable ? tr("D&isable") : tr("&Enable"));
    m_toggle->setToolTip(disable ? tr("Stop the selected schedule firing until it is enabled "
                                      "again; the times that pass meanwhile are never caught up")
                                 : tr("Let the selected schedule fire again from now on"));
}

void SchedulesPanel::reportError(const QString &what, const StoreError &error)
{
    emit storeFailed(error);
    emit message(tr("%1: %2").arg(what, error.message), MessageBar::Level::Error);
}

ScheduleDialog *SchedulesPanel::addSchedule()
{
    return openDialog(nullptr);
}

ScheduleDialog *SchedulesPanel::editSchedule(qint64 id)
{
    const Schedule *schedule = scheduleOf(id);
    return schedule ? openDialog(schedule) : nullptr;
}

ScheduleDialog *SchedulesPanel::openDialog(const Schedule *existing)
{
    // One at a time: a second Add or Edit shows the one that is open.
    if (auto *open = findChild<ScheduleDialog *>()) {
        open->raise();
        open->activateWindow();
        return open;
    }
    auto *dialog = new ScheduleDialog(
        m_queue, existing ? std::optional<Schedule>(*existing) : std::nullopt, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    const bool editing = existing != nullptr;
    connect(dialog, &ScheduleDialog::saved, this, [this, editing](const Schedule &schedule) {
        emit message((editing ? tr("Saved schedule \"%1\": %2.") : tr("Added schedule \"%1\": %2."))
                         .arg(schedule.name, nextFireText(schedule)),
                     MessageBar::Level::Info);
        m_selectWhenRead = schedule.id;
        refresh();
    });
    dialog->open();
    return dialog;
}

void SchedulesPanel::setScheduleEnabled(qint64 id, bool enabled)
{
    if (m_busy || id <= 0)
        return;
    m_busy = true;
    updateActions();
    // Only `enabled` changes, on the schedule as stored when the change is written: whatever
    // was edited elsewhere since the last read stays.
    m_queue->setScheduleEnabled(this, id, enabled, [this, id](QueueResult<Schedule> result) {
        m_busy = false;
        updateActions();
        if (!result.ok() && result.error.kind == StoreError::Kind::NotFound) {
            emit message(tr("Schedule %1 no longer exists.").arg(id), MessageBar::Level::Warning);
            refresh();
            return;
        }
        if (!result.ok()) {
            reportError(tr("Could not change the schedule"), result.error);
            return;
        }
        const Schedule &s = *result.value;
        emit message(
            (s.enabled ? tr("Enabled schedule \"%1\": %2.") : tr("Disabled schedule \"%1\": %2."))
                .arg(s.name, nextFireText(s)),
            MessageBar::Level::Info);
        refresh();
    });
}

void SchedulesPanel::runNow(qint64 id)
{
    const Schedule *schedule = scheduleOf(id);
    if (m_busy || !schedule)
        return;
    const QString name = schedule->name;
    m_busy = true;
    updateActions();
    m_queue->runSchedule(this, id, [this, name](QueueResult<BulkOutcome> result) {
        m_busy = false;
        updateActions();
        if (!result.ok()) {
            reportError(tr("Could not run schedule \"%1\"").arg(name), result.error);
            return;
        }
        const BulkOutcome &outcome = *result.value;
        const int queued = int(outcome.jobIds.size());
        const QString text =
            outcome.skipped.isEmpty()
                ? tr("Queued %Ln job(s) for schedule \"%1\".", nullptr, queued).arg(name)
                : tr("Queued %Ln job(s) (%1 already queued) for schedule \"%2\".", nullptr, queued)
                      .arg(JobFormat::count(outcome.skipped.size()), name);
        emit message(text, MessageBar::Level::Info);
        refresh();
    });
}

void SchedulesPanel::deleteSchedule(qint64 id)
{
    const Schedule *schedule = scheduleOf(id);
    if (m_busy || !schedule)
        return;
    const QString name = schedule->name;
    QMessageBox *box = safeConfirmation(
        this, QStringLiteral("deleteScheduleConfirmation"), tr("Delete schedule"),
        tr("Delete schedule \"%1\"?\n\nIt queues no more jobs. The jobs it has queued already "
           "stay in the queue.")
            .arg(name));
    QPushButton *remove = box->addButton(tr("&Delete Schedule"), QMessageBox::DestructiveRole);
    remove->setObjectName(QStringLiteral("deleteScheduleButton"));
    connect(box, &QMessageBox::finished, this, [this, box, remove, id, name] {
        if (box->clickedButton() != remove)
            return;
        m_busy = true;
        updateActions();
        m_queue->removeSchedule(this, id, [this, name](QueueResult<bool> result) {
            m_busy = false;
            updateActions();
            if (!result.ok()) {
                reportError(tr("Could not delete schedule \"%1\"").arg(name), result.error);
                return;
            }
            emit message(
                tr("Deleted schedule \"%1\"; the jobs it queued stay in the queue.").arg(name),
                MessageBar::Level::Info);
            refresh();
        });
    });
    box->open();
}
