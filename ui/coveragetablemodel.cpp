#include "coveragetablemodel.h"

#include "jobformat.h"
#include "palettecolors.h"

#include <QApplication>

CoverageTableModel::CoverageTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

QString CoverageTableModel::stateText(CoverageState state)
{
    switch (state) {
    case CoverageState::Fresh:
        return tr("Fresh");
    case CoverageState::Stale:
        return tr("Stale");
    case CoverageState::Failing:
        return tr("Failing");
    case CoverageState::Never:
        return tr("Never fetched");
    case CoverageState::Any:
        break;
    }
    return {};
}

void CoverageTableModel::setRows(const QVector<CoverageRow> &rows, qint64 staleBeforeMs)
{
    const bool sameKeys =
        rows.size() == m_rows.size() && std::equal(rows.begin(), rows.end(), m_rows.begin(),
                                                   [](const CoverageRow &a, const CoverageRow &b) {
                                                       return a.dealerId == b.dealerId &&
                                                              a.fetchType == b.fetchType;
                                                   });
    if (!sameKeys) {
        beginResetModel();
        m_rows = rows;
        m_staleBeforeMs = staleBeforeMs;
        endResetModel();
        return;
    }
    m_rows = rows;
    m_staleBeforeMs = staleBeforeMs;
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

CoverageState CoverageTableModel::state(int row) const
{
    return m_rows.at(row).state(m_staleBeforeMs);
}

int CoverageTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CoverageTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CoverageTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CoverageRow &row = m_rows.at(index.row());
    const CoverageState state = row.state(m_staleBeforeMs);
    if (role == StateRole)
        return int(state);
    if (role == Qt::ForegroundRole && index.column() == StateColumn)
        return PaletteColors::freshnessColor(state, QApplication::palette());
    if (role == Qt::TextAlignmentRole && index.column() == RecordsColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == LastErrorColumn && !row.lastError.isEmpty())
        return row.lastError;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case DealerColumn:
        return row.dealerId;
    case TypeColumn:
        return row.fetchType;
    case StateColumn:
        return stateText(state);
    case LastSuccessColumn:
        return row.lastSuccessMs ? JobFormat::dateTime(*row.lastSuccessMs) : tr("never");
    case CoveredToColumn:
        return row.coveredToMs ? JobFormat::dateTime(*row.coveredToMs) : QString();
    case RecordsColumn:
        return JobFormat::count(row.records);
    case LastStatusColumn: {
        const std::optional<JobStatus> status = jobStatusFromString(row.lastStatus);
        return status ? JobFormat::statusText(*status) : row.lastStatus;
    }
    case LastErrorColumn:
        return row.lastError;
    }
    return {};
}

QVariant CoverageTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DealerColumn:
        return tr("Dealer");
    case TypeColumn:
        return tr("Type");
    case StateColumn:
        return tr("Freshness");
    case LastSuccessColumn:
        return tr("Last success");
    case CoveredToColumn:
        return tr("Covered up to");
    case RecordsColumn:
        return tr("Records");
    case LastStatusColumn:
        return tr("Last status");
    case LastErrorColumn:
        return tr("Last error");
    }
    return {};
}
