#include "scheduletablemodel.h"

#include "jobformat.h"
#include "palettecolors.h"
#include "schedule/cron.h"
#include "scheduleformat.h"

#include <limits>

#include <QColor>
#include <QGuiApplication>
#include <QSet>

namespace {

const QString Dash = QStringLiteral("—");

bool sameSchedule(const Schedule &a, const Schedule &b)
{
    return a.id == b.id && a.name == b.name && a.cron == b.cron && a.timezone == b.timezone &&
           a.dealerIds == b.dealerIds && a.fetchTypes == b.fetchTypes && a.window == b.window &&
           a.fallbackDays == b.fallbackDays && a.priority == b.priority && a.enabled == b.enabled &&
           a.catchUp == b.catchUp && a.createdMs == b.createdMs && a.createdBy == b.createdBy &&
           a.changedMs == b.changedMs && a.enabledSinceMs == b.enabledSinceMs &&
           a.lastFiredMs == b.lastFiredMs && a.lastSlotMs == b.lastSlotMs;
}

} // namespace

ScheduleTableModel::ScheduleTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

ScheduleTableModel::~ScheduleTableModel() = default;

int ScheduleTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ScheduleTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

ScheduleTableModel::Row ScheduleTableModel::makeRow(const Schedule &schedule, qint64 nowMs)
{
    Row row;
    row.schedule = schedule;
    if (schedule.enabled) {
        const QList<qint64> next = upcomingSlots(schedule, nowMs, 1);
        if (!next.isEmpty())
            row.nextFire = next.first();
    }
    row.when = ScheduleFormat::when(schedule);
    row.window = ScheduleFormat::window(schedule.window);
    return row;
}

bool ScheduleTableModel::sameRow(const Row &a, const Row &b)
{
    return sameSchedule(a.schedule, b.schedule) && a.nextFire == b.nextFire && a.when == b.when &&
           a.window == b.window;
}

QVariant ScheduleTableModel::displayValue(const Row &row, int column) const
{
    const Schedule &s = row.schedule;
    switch (column) {
    case NameColumn:
        return s.name;
    case WhenColumn:
        return row.when;
    case WindowColumn:
        return row.window;
    case TypesColumn:
        return s.fetchTypes.join(QStringLiteral(", "));
    case DealersColumn:
        return JobFormat::count(s.dealerIds.size());
    case NextFireColumn:
        return row.nextFire ? JobFormat::dateTime(*row.nextFire) : Dash;
    case LastFireColumn:
        return s.lastFiredMs ? JobFormat::dateTime(*s.lastFiredMs) : Dash;
    case StateColumn:
        return s.enabled ? tr("Enabled") : tr("Disabled");
    }
    return {};
}

QVariant ScheduleTableModel::sortValue(const Row &row, int column) const
{
    const Schedule &s = row.schedule;
    constexpr qint64 Never = std::numeric_limits<qint64>::max();
    switch (column) {
    case NameColumn:
        return s.name.toLower();
    case WhenColumn:
        return row.when;
    case WindowColumn:
        return row.window;
    case TypesColumn:
        return s.fetchTypes.join(QLatin1Char(','));
    case DealersColumn:
        return qint64(s.dealerIds.size());
    case NextFireColumn:
        // Soonest first; the ones that do not fire last.
        return row.nextFire.value_or(Never);
    case LastFireColumn:
        return s.lastFiredMs.value_or(0);
    case StateColumn:
        return s.enabled ? 1 : 0;
    }
    return {};
}

QVariant ScheduleTableModel::toolTip(const Row &row, int column) const
{
    const Schedule &s = row.schedule;
    switch (column) {
    case NameColumn:
        return tr("%1 (schedule %2, created by %3)").arg(s.name).arg(s.id).arg(s.createdBy);
    case WhenColumn:
        return tr("%1\ncron %2 in %3").arg(row.when, s.cron, s.timezone);
    case WindowColumn: {
        QString text = tr("%1 (%2)").arg(ScheduleFormat::windowDetail(s), s.window);
        if (s.window == QLatin1String("since_last_success"))
            text += QLatin1Char('\n') + tr("where there is none: the %Ln whole day(s) before the "
                                           "fire day (fallback_days)",
                                           nullptr, s.fallbackDays);
        return text;
    }
    case TypesColumn:
        return s.fetchTypes.join(QStringLiteral(", "));
    case DealersColumn: {
        constexpr int Shown = 20;
        QString ids = s.dealerIds.mid(0, Shown).join(QStringLiteral(", "));
        if (s.dealerIds.size() > Shown)
            ids += tr(" … and %1 more").arg(JobFormat::count(s.dealerIds.size() - Shown));
        return ids;
    }
    case NextFireColumn:
        if (!s.enabled)
            return tr("Disabled: it does not fire until it is enabled again");
        if (!row.nextFire)
            return tr("The cron matches no time in the next %1 years").arg(CronSearchYears);
        return ScheduleFormat::fireTime(*row.nextFire, s.timezone);
    case LastFireColumn:
        return s.lastFiredMs ? ScheduleFormat::fireTime(*s.lastFiredMs, s.timezone)
                             : tr("It has not fired yet");
    }
    return {};
}

QVariant ScheduleTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const int column = index.column();
    switch (role) {
    case Qt::DisplayRole:
        return displayValue(row, column);
    case Qt::ToolTipRole:
        return toolTip(row, column);
    case Qt::ForegroundRole:
        // A disabled schedule is greyed out, its state in words.
        if (!row.schedule.enabled)
            return PaletteColors::mutedColor(QGuiApplication::palette());
        if (column == StateColumn)
            return JobFormat::statusColor(JobStatus::Completed);
        return {};
    case Qt::TextAlignmentRole:
        if (column == DealersColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case ScheduleIdRole:
        return row.schedule.id;
    case EnabledRole:
        return row.schedule.enabled;
    case SortRole:
        return sortValue(row, column);
    }
    return {};
}

QVariant ScheduleTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::TextAlignmentRole && section == DealersColumn)
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Name");
    case WhenColumn:
        return tr("When");
    case WindowColumn:
        return tr("Window");
    case TypesColumn:
        return tr("Types");
    case DealersColumn:
        return tr("Dealers");
    case NextFireColumn:
        return tr("Next fire");
    case LastFireColumn:
        return tr("Last fire");
    case StateColumn:
        return tr("State");
    case ColumnCount:
        break;
    }
    return {};
}

int ScheduleTableModel::rowOfSchedule(qint64 id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).schedule.id == id)
            return row;
    }
    return -1;
}

void ScheduleTableModel::setSchedules(const QVector<Schedule> &schedules, qint64 nowMs)
{
    QSet<qint64> freshIds;
    for (const Schedule &schedule : schedules)
        freshIds.insert(schedule.id);

    // Rows that are gone, in contiguous runs from the bottom up.
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (freshIds.contains(m_rows.at(row).schedule.id)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !freshIds.contains(m_rows.at(first - 1).schedule.id))
            --first;
        beginRemoveRows({}, first, row);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    // The rest in place; new ones at the end (the view sorts them).
    QVector<Row> added;
    for (const Schedule &schedule : schedules) {
        Row fresh = makeRow(schedule, nowMs);
        const int row = rowOfSchedule(schedule.id);
        if (row < 0) {
            added.push_back(std::move(fresh));
            continue;
        }
        if (sameRow(m_rows.at(row), fresh))
            continue;
        m_rows[row] = std::move(fresh);
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    if (added.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    m_rows += added;
    endInsertRows();
}
