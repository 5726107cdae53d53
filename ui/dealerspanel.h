#pragma once

#include "messagebar.h"
#include "pagedread.h"

#include <QWidget>

#include <functional>

class CoverageTableModel;
class JobQueue;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
struct StoreError;

/// The Dealers view (SPEC §10): one row per dealer and type that has any job — freshness in its
/// colour, last success, covered up to, records stored, last status and error — a page of
/// PageSize rows at a time with the total, filtered by freshness (stale, failing, never), fetch
/// type and a part of the dealer ID. "Fetch since last success" queues, for each selected row,
/// the `since_last_success` window of SPEC §6 (from the second after its `covered_to` to the
/// second before now; without one, the day before today) through JobQueue::add(). Reads through
/// JobQueue when shown, when refresh() is called while it is shown, and when a filter or the
/// page changes.
class DealersPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DealersPanel)

public:
    static constexpr int PageSize = 100;

    DealersPanel(JobQueue *queue, const QStringList &fetchTypes, QWidget *parent = nullptr);
    ~DealersPanel() override;

    /// `[coverage] stale_hours`: a last success older than this is stale.
    void setStaleHours(int hours);
    /// Where "now" comes from (tests set a fixed one); the system clock by default.
    void setClock(std::function<qint64()> nowMs) { m_nowMs = std::move(nowMs); }

    QTableView *view() const { return m_view; }
    CoverageTableModel *model() const { return m_model; }
    QComboBox *stateFilter() const { return m_state; }
    QComboBox *typeFilter() const { return m_type; }
    QLineEdit *dealerSearch() const { return m_search; }
    QPushButton *fetchButton() const { return m_fetch; }
    QString infoText() const;
    qint64 total() const { return m_page.total(); }

    void refresh();
    void refreshIfShown();
    void showNext();
    void showPrevious();
    /// Queues the since_last_success window of every selected row.
    void fetchSinceLastSuccess();

signals:
    void message(const QString &text, MessageBar::Level level);
    void storeFailed(const StoreError &error);
    /// A read ended and its page is shown.
    void refreshed();
    /// Every job "Fetch since last success" asked for was answered.
    void fetchQueued();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void filterChanged();
    void updateInfo();

    JobQueue *m_queue = nullptr;
    CoverageTableModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_search = nullptr;
    QComboBox *m_type = nullptr;
    QComboBox *m_state = nullptr;
    QPushButton *m_fetch = nullptr;
    QPushButton *m_previous = nullptr;
    QPushButton *m_next = nullptr;
    QLabel *m_info = nullptr;
    std::function<qint64()> m_nowMs;
    int m_staleHours = 26;
    PageCursor m_page{PageSize};
    SingleRead m_read;
    bool m_loaded = false;
};
