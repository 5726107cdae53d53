#pragma once

#include "job/audit.h"

#include <QAbstractTableModel>
#include <QVector>

/// One page of the audit log (SPEC §8) as a table: when, who, what, how many jobs, and the
/// detail. The page is replaced whole on each read (setEntries()); it is not live data.
class AuditTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditTableModel)

public:
    enum Column
    {
        AtColumn,
        ActorColumn,
        ActionColumn,
        CountColumn,
        DetailColumn,
        ColumnCount
    };
    enum Role
    {
        EntryIdRole = Qt::UserRole,
        ActionRole, ///< the action as the API names it
        JobIdsRole  ///< the job IDs listed, as QVariantList
    };

    explicit AuditTableModel(QObject *parent = nullptr);

    /// The words the window uses for `action` (one of AuditAction's names).
    static QString actionText(const QString &action);

    void setEntries(const QVector<AuditEntry> &entries);
    const QVector<AuditEntry> &entries() const { return m_entries; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QVector<AuditEntry> m_entries;
};
