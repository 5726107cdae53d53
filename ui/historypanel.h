#pragma once

#include "job/queuetypes.h"
#include "messagebar.h"

#include <atomic>
#include <memory>

#include <QDate>
#include <QPointer>
#include <QWidget>

class JobQueue;
class JobTableModel;
class JobTableView;
class QAction;
class QComboBox;
class QDialog;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTimer;
struct QueueSnapshot;

/// Finished jobs, newest first: status by colour and icon, records, duration, error; sorted by
/// the store for the columns it sorts by (SPEC §7), the loaded rows for the others; filtered in
/// the store by status, fetch type, error category, dealer ID, text (dealer ID or error) and
/// when they finished, so that a filter searches the whole history. Windowed: the first
/// PageSize rows are loaded, more as the view scrolls to its end, so a history of 1,000,000 jobs
/// stays light. Retry selected, retry every failed (or cancelled) job the filter matches,
/// remove those older than N days, clear the finished jobs (each after a confirmation that says
/// how many, counted by the store just before), export CSV (every job, or only the filtered
/// ones) or an Excel workbook with progress.
class HistoryPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryPanel)

public:
    static constexpr int PageSize = 1000;

    explicit HistoryPanel(JobQueue *queue, QWidget *parent = nullptr);
    ~HistoryPanel() override;

    /// How the confirmations name `filter`'s fields ("failed, type sales, error “HTTP error”").
    static QString filterText(const HistoryFilter &filter);
    /// The error filter's short name of `category` ("HTTP error"), also in filterText().
    static QString categoryLabel(ErrorCategory category);

    /// The filter and window the next refresh should read.
    HistoryFilter refreshFilter() const;
    void applySnapshot(const QueueSnapshot &snapshot);

    JobTableView *view() const { return m_view; }
    JobTableModel *model() const { return m_model; }
    QSortFilterProxyModel *proxy() const { return m_proxy; }
    QAction *retryAction() const { return m_retry; }
    QAction *clearAction() const { return m_clear; }
    QAction *retryMatchingAction() const { return m_retryMatching; }
    QAction *removeOlderAction() const { return m_removeOlder; }
    QAction *exportAction() const { return m_export; }
    QAction *exportFilteredAction() const { return m_exportFiltered; }
    QAction *exportXlsxAction() const { return m_exportXlsx; }
    bool isExporting() const { return m_exportCancel != nullptr; }

    /// Sets the filter (empty `dealerId`: any dealer; no statuses: every finished one).
    void setFilter(const QVector<JobStatus> &statuses, const QString &dealerId);
    /// The filter the inputs show (its sort, limit and offset aside).
    const HistoryFilter &filter() const { return m_filter; }
    /// Asks, with the count the store gives, then queues again every failed job the filter
    /// matches (the cancelled ones when the filter shows cancelled jobs), in one transaction.
    void retryMatching();
    /// Asks for N, then (with the count) removes the finished jobs the filter matches that
    /// finished more than N days ago.
    void removeOlder();
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
    /// Makes `filter`'s fields (sort, limit and offset aside) the history's filter and reads.
    void applyFilter(const HistoryFilter &filter);
    /// A column the store sorts by is read again sorted over the whole history; any other
    /// column sorts the rows loaded.
    void sortChanged(int column, Qt::SortOrder order);
    void fetchMore(int offset);
    void setExportProgress(qint64 done, qint64 total);
    void confirmClear(const HistoryFilter &shown, qint64 shownCount, qint64 total);
    void confirmRetryMatching(const HistoryFilter &filter, qint64 count);
    void confirmRemoveOlder(const HistoryFilter &filter, int days, qint64 count);
    /// The finished-between bounds the "Finished" input names, from `nowMs`.
    void readFinishedInputs(HistoryFilter *filter, qint64 nowMs) const;
    /// A "Finished" choice: "Between…" asks for its days first.
    void finishedChosen(int index);
    /// Asks for the days of "Between…".
    void askRange();
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
    QComboBox *m_type = nullptr;
    QComboBox *m_category = nullptr;
    QComboBox *m_finished = nullptr;
    int m_finishedIndex = 0; ///< the "Finished" choice in force (the range dialog may be open)
    QPointer<QDialog> m_rangeDialog; ///< asks for the days of "Between…", while it is open
    QDate m_rangeFrom;               ///< the days "Between…" takes, both whole (local time)
    QDate m_rangeTo;
    QLineEdit *m_search = nullptr;
    QTimer *m_filterDelay = nullptr;
    QLabel *m_info = nullptr;
    QProgressBar *m_exportProgress = nullptr;
    QPushButton *m_exportStop = nullptr;
    QAction *m_retry = nullptr;
    QAction *m_clear = nullptr;
    QAction *m_retryMatching = nullptr;
    QAction *m_removeOlder = nullptr;
    QAction *m_export = nullptr;
    QAction *m_exportFiltered = nullptr;
    QAction *m_exportXlsx = nullptr;
    HistoryFilter m_filter;
    std::shared_ptr<std::atomic_bool> m_exportCancel;
    bool m_busy = false;
};
