#include "jobtableview.h"

#include "jobtablemodel.h"

#include <map>

#include <QHeaderView>
#include <QMenu>

JobTableView::JobTableView(QWidget *parent)
    : QTableView(parent)
{
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setCornerButtonEnabled(false);
    setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setSectionsMovable(true);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setDefaultSectionSize(110);
    horizontalHeader()->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(horizontalHeader(), &QHeaderView::customContextMenuRequested, this,
            &JobTableView::showHeaderMenu);
    connect(this, &QTableView::activated, this, [this](const QModelIndex &index) {
        const qint64 id = index.data(JobTableModel::JobIdRole).toLongLong();
        if (id > 0)
            emit jobActivated(id);
    });
}

JobTableView::~JobTableView() = default;

QVector<qint64> JobTableView::selectedJobIds() const
{
    if (!selectionModel())
        return {};
    std::map<int, qint64> byRow;
    const QModelIndexList rows = selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        byRow[index.row()] = index.data(JobTableModel::JobIdRole).toLongLong();
    QVector<qint64> ids;
    ids.reserve(int(byRow.size()));
    for (const auto &[row, id] : byRow)
        ids.push_back(id);
    return ids;
}

qint64 JobTableView::currentJobId() const
{
    return currentIndex().data(JobTableModel::JobIdRole).toLongLong();
}

void JobTableView::setDefaultHiddenColumns(const QVector<int> &columns)
{
    for (int column = 0; column < JobTableModel::ColumnCount; ++column)
        setColumnHidden(column, columns.contains(column));
}

void JobTableView::selectionChanged(const QItemSelection &selected,
                                    const QItemSelection &deselected)
{
    QTableView::selectionChanged(selected, deselected);
    emit jobSelectionChanged();
}

void JobTableView::showHeaderMenu(const QPoint &pos)
{
    if (!model())
        return;
    QMenu menu(this);
    for (int column = 0; column < model()->columnCount(); ++column) {
        QAction *action = menu.addAction(model()->headerData(column, Qt::Horizontal).toString());
        action->setCheckable(true);
        action->setChecked(!isColumnHidden(column));
        connect(action, &QAction::toggled, this,
                [this, column](bool shown) { setColumnHidden(column, !shown); });
    }
    menu.exec(horizontalHeader()->mapToGlobal(pos));
}
