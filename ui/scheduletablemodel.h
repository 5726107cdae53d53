#pragma once

#include "schedule/schedule.h"

#include <optional>

#include <QAbstractTableModel>
#include <QVector>

/// Schedules as table rows (SPEC §6): name, the cron in words, window, fetch types, how many
/// dealers, next and last fire in local time, enabled. setSchedules() updates the rows in place
/// — changed rows get dataChanged, new ones are appended, gone ones removed — so that selection
/// and sorting (through a proxy on SortRole) survive every refresh. A disabled schedule's next
/// fire is "—".
class ScheduleTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScheduleTableModel)

public:
    enum Column
    {
        NameColumn,
        WhenColumn,
        WindowColumn,
        TypesColumn,
        DealersColumn,
        NextFireColumn,
        LastFireColumn,
        StateColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role
    {
        ScheduleIdRole = Qt::UserRole, ///< qint64
        EnabledRole,                   ///< bool
        SortRole,                      ///< the raw value of the cell (times as numbers)
    };
    Q_ENUM(Role)

    explicit ScheduleTableModel(QObject *parent = nullptr);
    ~ScheduleTableModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// Makes the rows exactly `schedules` (ids unique), next fires as of `nowMs`.
    void setSchedules(const QVector<Schedule> &schedules, qint64 nowMs);

    const Schedule &scheduleAt(int row) const { return m_rows.at(row).schedule; }
    /// The next fire of the schedule in `row`; none while it is disabled or has no slot ahead.
    std::optional<qint64> nextFireAt(int row) const { return m_rows.at(row).nextFire; }
    /// The row of schedule `id`, or -1.
    int rowOfSchedule(qint64 id) const;

private:
    struct Row
    {
        Schedule schedule;
        std::optional<qint64> nextFire;
        QString when;
        QString window;
    };

    static Row makeRow(const Schedule &schedule, qint64 nowMs);
    static bool sameRow(const Row &a, const Row &b);
    QVariant displayValue(const Row &row, int column) const;
    QVariant sortValue(const Row &row, int column) const;
    QVariant toolTip(const Row &row, int column) const;

    QVector<Row> m_rows;
};
