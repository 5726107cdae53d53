#pragma once

#include "messagebar.h"

#include <QWidget>

class JobQueue;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
struct StoreError;

/// Queues one job: dealer ID (checked as typed), fetch type, window (today by default) and
/// "run next". Enter in the dealer ID field adds it. A duplicate of a queued job says which job
/// already covers it.
class AddJobWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddJobWidget)

public:
    explicit AddJobWidget(JobQueue *queue, QWidget *parent = nullptr);
    ~AddJobWidget() override;

    /// Puts the cursor in the dealer ID field, its text selected.
    void focusDealerId();
    /// Queues the job as the form describes it (what the Add button and Enter do).
    void addJob();

signals:
    void message(const QString &text, MessageBar::Level level);
    void storeFailed(const StoreError &error);

private:
    void validateInput();

    JobQueue *m_queue = nullptr;
    QLineEdit *m_dealer = nullptr;
    QLabel *m_reason = nullptr;
    QComboBox *m_type = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QCheckBox *m_runNext = nullptr;
    QPushButton *m_add = nullptr;
    bool m_busy = false;
};
