#pragma once

#include "job/insight.h"

#include <QAbstractTableModel>
#include <QVector>

/// One page of SPEC §10's coverage as a table: dealer, type, freshness, last success, covered
/// up to, records, last status and error, the freshness in its colour (PaletteColors). A page
/// with the same dealers and types as the one shown is updated in place, so that the selection
/// survives the window's refresh; another page replaces it.
class CoverageTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CoverageTableModel)

public:
    enum Column
    {
        DealerColumn,
        TypeColumn,
        StateColumn,
        LastSuccessColumn,
        CoveredToColumn,
        RecordsColumn,
        LastStatusColumn,
        LastErrorColumn,
        ColumnCount
    };
    enum Role
    {
        StateRole = Qt::UserRole, ///< the CoverageState, as int
    };

    explicit CoverageTableModel(QObject *parent = nullptr);

    /// The words for a freshness state.
    static QString stateText(CoverageState state);

    /// Shows `rows`, stale when their last success is before `staleBeforeMs`.
    void setRows(const QVector<CoverageRow> &rows, qint64 staleBeforeMs);
    const QVector<CoverageRow> &rows() const { return m_rows; }
    CoverageState state(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVector<CoverageRow> m_rows;
    qint64 m_staleBeforeMs = 0;
};
