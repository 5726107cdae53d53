#include "jobtablemodel.h"

#include "jobformat.h"

#include <QDateTime>
#include <QSet>

namespace {

bool sameJob(const Job &a, const Job &b)
{
    return a.id == b.id && a.dealerId == b.dealerId && a.fetchType == b.fetchType &&
           a.fromMs == b.fromMs && a.toMs == b.toMs && a.status == b.status &&
           a.priority == b.priority && a.position == b.position && a.createdMs == b.createdMs &&
           a.startedMs == b.startedMs && a.finishedMs == b.finishedMs && a.attempts == b.attempts &&
           a.cancelRequested == b.cancelRequested && a.runnerId == b.runnerId &&
           a.createdBy == b.createdBy && a.result == b.result &&
           a.error.message == b.error.message && a.error.category == b.error.category;
}

bool isNumberColumn(int column)
{
    switch (column) {
    case JobTableModel::IdColumn:
    case JobTableModel::PriorityColumn:
    case JobTableModel::DurationColumn:
    case JobTableModel::AttemptsColumn:
    case JobTableModel::PagesColumn:
    case JobTableModel::FetchedColumn:
    case JobTableModel::InsertedColumn:
    case JobTableModel::UpdatedColumn:
        return true;
    default:
        return false;
    }
}

} // namespace

JobTableModel::JobTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

JobTableModel::~JobTableModel() = default;

int JobTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_jobs.size());
}

int JobTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobTableModel::displayValue(const Job &job, int column) const
{
    const auto resultValue = [&](qint64 value) -> QVariant {
        return job.result ? QVariant(JobFormat::count(value)) : QVariant();
    };
    switch (column) {
    case IdColumn:
        return job.id;
    case DealerColumn:
        return job.dealerId;
    case TypeColumn:
        return job.fetchType;
    case WindowColumn:
        return JobFormat::window(job.fromMs, job.toMs);
    case StatusColumn:
        if (job.status == JobStatus::Running && job.cancelRequested)
            return tr("Cancelling");
        return JobFormat::statusText(job.status);
    case PriorityColumn:
        return job.priority;
    case CreatedColumn:
        return JobFormat::dateTime(job.createdMs);
    case StartedColumn:
        return JobFormat::dateTime(job.startedMs);
    case FinishedColumn:
        return JobFormat::dateTime(job.finishedMs);
    case DurationColumn:
        return JobFormat::duration(job.durationSeconds(QDateTime::currentMSecsSinceEpoch()));
    case AttemptsColumn:
        return job.attempts;
    case PagesColumn:
        return resultValue(job.result ? job.result->pages : 0);
    case FetchedColumn:
        return resultValue(job.result ? job.result->fetched : 0);
    case InsertedColumn:
        return resultValue(job.result ? job.result->inserted : 0);
    case UpdatedColumn:
        return resultValue(job.result ? job.result->updated : 0);
    case ErrorColumn:
        return job.error.message;
    }
    return {};
}

QVariant JobTableModel::sortValue(const Job &job, int column) const
{
    switch (column) {
    case IdColumn:
        return job.id;
    case DealerColumn:
        return job.dealerId;
    case TypeColumn:
        return job.fetchType;
    case WindowColumn:
        return job.fromMs;
    case StatusColumn:
        return int(job.status);
    case PriorityColumn:
        return job.priority;
    case CreatedColumn:
        return job.createdMs;
    case StartedColumn:
        return job.startedMs;
    case FinishedColumn:
        return job.finishedMs;
    case DurationColumn:
        return job.durationSeconds(QDateTime::currentMSecsSinceEpoch()).value_or(-1.0);
    case AttemptsColumn:
        return job.attempts;
    case PagesColumn:
        return job.result ? qint64(job.result->pages) : qint64(-1);
    case FetchedColumn:
        return job.result ? job.result->fetched : qint64(-1);
    case InsertedColumn:
        return job.result ? job.result->inserted : qint64(-1);
    case UpdatedColumn:
        return job.result ? job.result->updated : qint64(-1);
    case ErrorColumn:
        return job.error.message;
    }
    return {};
}

QVariant JobTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Job &job = m_jobs.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(job, column);
    case Qt::ToolTipRole:
        if (column == ErrorColumn && !job.error.isNull())
            return QStringLiteral("%1 (%2)").arg(job.error.message,
                                                 errorCategoryName(job.error.category));
        if (column == WindowColumn)
            return tr("%1 to %2", "from a time to a time")
                .arg(JobFormat::dateTime(job.fromMs), JobFormat::dateTime(job.toMs));
        return {};
    case Qt::DecorationRole:
        if (column == StatusColumn)
            return JobFormat::statusIcon(job.status);
        return {};
    case Qt::ForegroundRole:
        if (column == StatusColumn || (column == ErrorColumn && job.status == JobStatus::Failed)) {
            const QColor color = JobFormat::statusColor(job.status);
            if (color.isValid())
                return color;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (isNumberColumn(column))
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case JobIdRole:
        return job.id;
    case StatusRole:
        return int(job.status);
    case SortRole:
        return sortValue(job, column);
    }
    return {};
}

QVariant JobTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole && isNumberColumn(section))
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case IdColumn:
        return tr("Job");
    case DealerColumn:
        return tr("Dealer");
    case TypeColumn:
        return tr("Type");
    case WindowColumn:
        return tr("Window");
    case StatusColumn:
        return tr("Status");
    case PriorityColumn:
        return tr("Priority");
    case CreatedColumn:
        return tr("Queued at");
    case StartedColumn:
        return tr("Started");
    case FinishedColumn:
        return tr("Finished");
    case DurationColumn:
        return tr("Duration");
    case AttemptsColumn:
        return tr("Attempts");
    case PagesColumn:
        return tr("Pages");
    case FetchedColumn:
        return tr("Fetched");
    case InsertedColumn:
        return tr("Inserted");
    case UpdatedColumn:
        return tr("Updated");
    case ErrorColumn:
        return tr("Error");
    case ColumnCount:
        break;
    }
    return {};
}

bool JobTableModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_fetchPending && m_total > m_jobs.size();
}

void JobTableModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    m_fetchPending = true;
    emit moreRequested(int(m_jobs.size()));
}

void JobTableModel::fetchFailed()
{
    m_fetchPending = false;
}

void JobTableModel::setTotal(qint64 total)
{
    m_total = total;
}

int JobTableModel::rowOfJob(qint64 id) const
{
    for (int row = 0; row < m_jobs.size(); ++row) {
        if (m_jobs.at(row).id == id)
            return row;
    }
    return -1;
}

void JobTableModel::setJobs(const QVector<Job> &fresh)
{
    m_fetchPending = false;
    QSet<qint64> freshIds;
    freshIds.reserve(fresh.size());
    for (const Job &job : fresh)
        freshIds.insert(job.id);

    // Rows that are gone, in contiguous runs from the bottom up.
    for (int row = int(m_jobs.size()) - 1; row >= 0;) {
        if (freshIds.contains(m_jobs.at(row).id)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !freshIds.contains(m_jobs.at(first - 1).id))
            --first;
        beginRemoveRows({}, first, row);
        m_jobs.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    QSet<qint64> present;
    present.reserve(m_jobs.size());
    for (const Job &job : std::as_const(m_jobs))
        present.insert(job.id);

    // Walk the new order: keep (and update) the row in place, move it up from further down, or
    // insert a run of new rows. Changed rows are reported in contiguous runs.
    int changedFirst = -1;
    int changedLast = -1;
    const auto flushChanged = [&] {
        if (changedFirst < 0)
            return;
        emit dataChanged(index(changedFirst, 0), index(changedLast, ColumnCount - 1));
        changedFirst = changedLast = -1;
    };
    const auto update = [&](int row, const Job &job) {
        if (sameJob(m_jobs.at(row), job))
            return;
        m_jobs[row] = job;
        if (changedFirst >= 0 && changedLast == row - 1) {
            changedLast = row;
            return;
        }
        flushChanged();
        changedFirst = changedLast = row;
    };

    for (int i = 0; i < fresh.size(); ++i) {
        const Job &job = fresh.at(i);
        if (i < m_jobs.size() && m_jobs.at(i).id == job.id) {
            update(i, job);
            continue;
        }
        flushChanged();
        if (!present.contains(job.id)) {
            int last = i;
            while (last + 1 < fresh.size() && !present.contains(fresh.at(last + 1).id))
                ++last;
            beginInsertRows({}, i, last);
            const QVector<Job> tail = m_jobs.mid(i);
            m_jobs.resize(i);
            m_jobs += fresh.mid(i, last - i + 1);
            m_jobs += tail;
            endInsertRows();
            for (int k = i; k <= last; ++k)
                present.insert(fresh.at(k).id);
            i = last;
            continue;
        }
        int from = i + 1;
        while (m_jobs.at(from).id != job.id)
            ++from;
        beginMoveRows({}, from, from, {}, i);
        m_jobs.move(from, i);
        endMoveRows();
        update(i, job);
    }
    flushChanged();
    Q_ASSERT(m_jobs.size() == fresh.size());
    if (m_total < m_jobs.size())
        m_total = m_jobs.size();
}

void JobTableModel::appendJobs(const QVector<Job> &jobs)
{
    m_fetchPending = false;
    QSet<qint64> present;
    present.reserve(m_jobs.size());
    for (const Job &job : std::as_const(m_jobs))
        present.insert(job.id);
    QVector<Job> fresh;
    for (const Job &job : jobs) {
        if (!present.contains(job.id)) {
            present.insert(job.id);
            fresh.push_back(job);
        }
    }
    if (fresh.isEmpty()) {
        // Nothing new: the store has no more than we hold, whatever the count said.
        m_total = m_jobs.size();
        return;
    }
    const int first = int(m_jobs.size());
    beginInsertRows({}, first, first + int(fresh.size()) - 1);
    m_jobs += fresh;
    endInsertRows();
    if (m_total < m_jobs.size())
        m_total = m_jobs.size();
}
