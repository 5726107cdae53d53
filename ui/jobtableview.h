#pragma once

#include <QTableView>
#include <QVector>

/// A table of jobs over a JobTableModel (directly or through proxies): whole-row selection,
/// several at once, a header menu to show or hide columns, and the selection as job IDs.
class JobTableView final : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobTableView)

public:
    explicit JobTableView(QWidget *parent = nullptr);
    ~JobTableView() override;

    /// The IDs of the selected jobs, top to bottom as shown.
    QVector<qint64> selectedJobIds() const;
    /// The job under the current index, or 0.
    qint64 currentJobId() const;
    /// Hides `columns` unless a saved state says otherwise.
    void setDefaultHiddenColumns(const QVector<int> &columns);

signals:
    /// Double-click or Enter on a job.
    void jobActivated(qint64 jobId);
    void jobSelectionChanged();

protected:
    void selectionChanged(const QItemSelection &selected,
                          const QItemSelection &deselected) override;

private:
    void showHeaderMenu(const QPoint &pos);
};
