#pragma once

#include "job/job.h"

#include <QAbstractTableModel>
#include <QVector>

/// Jobs as table rows, for the queue and the history. setJobs() updates the rows in place —
/// changed rows get dataChanged, new ones are inserted, gone ones removed, reordered ones
/// moved — so that selection, scroll position and sorting survive every refresh. The model is
/// windowed: it holds the rows loaded so far, knows how many the store has (setTotal), and asks
/// for the next page through moreRequested() when a view scrolls to its end.
class JobTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobTableModel)

public:
    enum Column
    {
        IdColumn,
        DealerColumn,
        TypeColumn,
        WindowColumn,
        StatusColumn,
        PriorityColumn,
        CreatedColumn,
        StartedColumn,
        FinishedColumn,
        DurationColumn,
        AttemptsColumn,
        PagesColumn,
        FetchedColumn,
        InsertedColumn,
        UpdatedColumn,
        ErrorColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role
    {
        JobIdRole = Qt::UserRole, ///< qint64
        StatusRole,               ///< JobStatus as int
        SortRole,                 ///< the raw value of the cell (numbers and times as numbers)
    };
    Q_ENUM(Role)

    explicit JobTableModel(QObject *parent = nullptr);
    ~JobTableModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    /// Makes the rows exactly `jobs`, in that order, without a reset (ids must be unique).
    void setJobs(const QVector<Job> &jobs);
    /// Appends those of `jobs` not loaded yet (the next page of a windowed list) and ends a
    /// pending fetch.
    void appendJobs(const QVector<Job> &jobs);
    /// Ends a pending fetch that brought nothing (an error).
    void fetchFailed();
    /// How many rows the store holds in all; rows beyond rowCount() can be fetched.
    void setTotal(qint64 total);
    qint64 total() const { return m_total; }

    const Job &jobAt(int row) const { return m_jobs.at(row); }
    const QVector<Job> &jobs() const { return m_jobs; }
    /// The row of job `id`, or -1.
    int rowOfJob(qint64 id) const;

signals:
    /// A view wants the rows from `offset` on; answer with appendJobs() or fetchFailed().
    void moreRequested(int offset);

private:
    QVariant displayValue(const Job &job, int column) const;
    QVariant sortValue(const Job &job, int column) const;

    QVector<Job> m_jobs;
    qint64 m_total = 0;
    bool m_fetchPending = false;
};
