#pragma once

#include "job/queuetypes.h"
#include "messagebar.h"

#include <atomic>
#include <memory>

#include <QWidget>

class JobQueue;
class JobTableModel;
class JobTableView;
class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTimer;
struct QueueSnapshot;

/// Finished jobs, newest first: status by colour and icon, records, duration, error; sortable
/// by any column; filtered by status and dealer ID in the store. Windowed: the first PageSize
/// rows are loaded, more as the view scrolls to its end, so a history of 100,000 jobs stays
/// light. Retry selected, clear the finished jobs (after a confirmation that says how many),
/// export CSV (every job, or only the filtered ones) or an Excel workbook with progress.
class HistoryPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryPanel)

public:
    static constexpr int PageSize = 1000;

    explicit HistoryPanel(JobQueue *queue, QWidget *parent = nullptr);
    ~HistoryPanel() override;

    /// The filter and window the next refresh should read.
    HistoryFilter refreshFilter() const;
    void applySnapshot(const QueueSnapshot &snapshot);

    JobTableView *view() const { return m_view; }
    JobTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QAction *retryAction() const { return m_retry; }
    QAction *clearAction() const { return m_clear; }
    QAction *exportAction() const { return m_export; }
    QAction *exportFilteredAction() const { return m_exportFiltered; }
    QAction *exportXlsxAction() const { return m_exportXlsx; }
    bool isExporting() const { return m_exportCancel != nullptr; }

    /// Sets the filter (empty `dealerId`: any dealer; no statuses: every finished one).
    void setFilter(const QVector<JobStatus> &statuses, const QString &dealerId);
    void retryJobs(const QVector<qint64> &ids);
    /// Asks, then removes finished jobs: the ones the filter shows, or all of them.
    void clearFinished();
    /// Asks for a file name, then exports.
    void exportCsv(bool onlyFiltered, ExportFormat format = ExportFormat::Csv);
    /// Exports to `path`: every job oldest first, or the filtered ones as shown (newest first).
    void startExport(const QString &path, bool onlyFiltered,
                     ExportFormat format = ExportFormat::Csv);

signals:
    /// The filter changed: refresh.
    void refreshWanted();
    void message(const QString &text, MessageBar::Level level);
    void storeFailed(const StoreError &error);
    void detailsRequested(qint64 jobId);
    /// An export ended; `count` jobs written, or -1.
    void exportFinished(qint64 count, const QString &path);

private:
    void readFilterInputs();
    /// A column the store sorts by is read again sorted over the whole history; any other
    /// column sorts the rows loaded.
    void sortChanged(int column, Qt::SortOrder order);
    void fetchMore(int offset);
    void setExportProgress(qint64 done, qint64 total);
    void confirmClear(const HistoryFilter &shown, qint64 shownCount, qint64 total);
    static QString filterText(const HistoryFilter &filter);
    void updateActions();
    void updateInfo();

    JobQueue *m_queue = nullptr;
    JobTableModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    JobTableView *m_view = nullptr;
    qint64 m_finishedTotal =
        -1; ///< finished jobs in the store, as last read; -1 before the first read
    QComboBox *m_status = nullptr;
    QLineEdit *m_dealer = nullptr;
    QTimer *m_filterDelay = nullptr;
    QLabel *m_info = nullptr;
    QProgressBar *m_exportProgress = nullptr;
    QPushButton *m_exportStop = nullptr;
    QAction *m_retry = nullptr;
    QAction *m_clear = nullptr;
    QAction *m_export = nullptr;
    QAction *m_exportFiltered = nullptr;
    QAction *m_exportXlsx = nullptr;
    HistoryFilter m_filter;
    std::shared_ptr<std::atomic_bool> m_exportCancel;
    bool m_busy = false;
};
