#include "audittablemodel.h"

#include "job/timeformat.h"
#include "jobformat.h"

AuditTableModel::AuditTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

QString AuditTableModel::actionText(const QString &action)
{
    if (action == AuditAction::JobsQueued)
        return tr("Jobs queued");
    if (action == AuditAction::JobsCancelled)
        return tr("Jobs cancelled");
    if (action == AuditAction::JobsRetried)
        return tr("Jobs retried");
    if (action == AuditAction::JobsMoved)
        return tr("Job moved");
    if (action == AuditAction::QueuePaused)
        return tr("Queue paused");
    if (action == AuditAction::QueueResumed)
        return tr("Queue resumed");
    if (action == AuditAction::JobsCleared)
        return tr("History cleared");
    if (action == AuditAction::JobsRemoved)
        return tr("Finished jobs removed");
    if (action == AuditAction::ScheduleAdded)
        return tr("Schedule added");
    if (action == AuditAction::ScheduleChanged)
        return tr("Schedule changed");
    if (action == AuditAction::ScheduleRemoved)
        return tr("Schedule removed");
    if (action == AuditAction::ScheduleFired)
        return tr("Schedule fired");
    if (action == AuditAction::TokenAdded)
        return tr("API token added");
    if (action == AuditAction::TokenRevoked)
        return tr("API token revoked");
    return action;
}

void AuditTableModel::setEntries(const QVector<AuditEntry> &entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

int AuditTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AuditTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AuditEntry &entry = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case AtColumn:
            return JobFormat::dateTime(entry.atMs);
        case ActorColumn:
            return entry.actor;
        case ActionColumn:
            return actionText(entry.action);
        case CountColumn:
            return entry.count == 0 ? QString() : JobFormat::count(entry.count);
        case DetailColumn:
            return entry.detail;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == AtColumn)
            return formatTimestamp(entry.atMs);
        if (index.column() == CountColumn && !entry.jobIds.isEmpty()) {
            QStringList ids;
            for (qint64 id : entry.jobIds)
                ids << QString::number(id);
            return entry.count > entry.jobIds.size()
                       ? tr("Jobs %1, …").arg(ids.join(QStringLiteral(", ")))
                       : tr("Jobs %1").arg(ids.join(QStringLiteral(", ")));
        }
        if (index.column() == DetailColumn || index.column() == ActorColumn)
            return data(index, Qt::DisplayRole);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == CountColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case EntryIdRole:
        return entry.id;
    case ActionRole:
        return entry.action;
    case JobIdsRole: {
        QVariantList ids;
        for (qint64 id : entry.jobIds)
            ids << id;
        return ids;
    }
    default:
        return {};
    }
}

QVariant AuditTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case AtColumn:
        return tr("When");
    case ActorColumn:
        return tr("Who");
    case ActionColumn:
        return tr("What");
    case CountColumn:
        return tr("Jobs");
    case DetailColumn:
        return tr("Detail");
    }
    return {};
}
