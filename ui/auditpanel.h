#pragma once

#include "messagebar.h"
#include "pagedread.h"

#include <QWidget>

class AuditTableModel;
class JobQueue;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
struct StoreError;

/// The Audit view (SPEC §8): who changed what, newest first, a page of PageSize entries at a
/// time with the total, filtered by action (a list) and actor (exactly as shown, e.g.
/// "window:alice@host"). Reads through JobQueue when shown, when refresh() is called while it
/// is shown, and when a filter or the page changes. Double-clicking an entry (or Enter) asks for
/// the details of the first job it lists.
class AuditPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AuditPanel)

public:
    static constexpr int PageSize = 100;

    explicit AuditPanel(JobQueue *queue, QWidget *parent = nullptr);
    ~AuditPanel() override;

    QTableView *view() const { return m_view; }
    AuditTableModel *model() const { return m_model; }
    QComboBox *actionFilter() const { return m_action; }
    QLineEdit *actorFilter() const { return m_actor; }
    /// "Entries 1–100 of 1,234", or why none are shown.
    QString infoText() const;
    qint64 total() const { return m_page.total(); }
    int offset() const { return m_page.offset(); }

    /// Reads the page now (or right after the read under way).
    void refresh();
    /// refresh() if the view is on screen; what the window's refresh calls.
    void refreshIfShown();
    /// The next (older) or previous (newer) page.
    void showOlder();
    void showNewer();

signals:
    void message(const QString &text, MessageBar::Level level);
    void storeFailed(const StoreError &error);
    /// A read ended and its page is shown.
    void refreshed();
    void detailsRequested(qint64 jobId);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void filterChanged();
    void updateInfo();

    JobQueue *m_queue = nullptr;
    AuditTableModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QComboBox *m_action = nullptr;
    QLineEdit *m_actor = nullptr;
    QPushButton *m_newer = nullptr;
    QPushButton *m_older = nullptr;
    QLabel *m_info = nullptr;
    PageCursor m_page{PageSize};
    SingleRead m_read;
    bool m_loaded = false;
};
