#pragma once

#include "job/validation.h"
#include "messagebar.h"

#include <QWidget>

class JobQueue;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTimer;
struct StoreError;

/// Queues many jobs at once from pasted dealer IDs (separated by newlines, commas, semicolons,
/// tabs or spaces). Counts valid, duplicate and invalid IDs as the text changes (debounced, so
/// a paste of 10,000 IDs never stalls typing) and underlines the invalid ones; the Queue button
/// adds the valid ones in the pasted order in one transaction.
class BulkAddWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BulkAddWidget)

public:
    explicit BulkAddWidget(JobQueue *queue, QWidget *parent = nullptr);
    ~BulkAddWidget() override;

    /// Replaces the text with `text` (the clipboard, say), checks it at once and focuses the
    /// Queue button so that Enter confirms.
    void pasteText(const QString &text);
    /// Queues the valid IDs (what the Queue button and Ctrl+Return do).
    void queueAll();
    /// The latest check of the text.
    const DealerIdList &parsed() const { return m_parsed; }

signals:
    void message(const QString &text, MessageBar::Level level);
    void storeFailed(const StoreError &error);
    /// The text was checked (after the debounce).
    void parsedChanged();

private:
    void parseNow();
    void markInvalid();
    void updateButton();

    JobQueue *m_queue = nullptr;
    QPlainTextEdit *m_text = nullptr;
    QLabel *m_counts = nullptr;
    QLabel *m_invalid = nullptr;
    QComboBox *m_type = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QCheckBox *m_runNext = nullptr;
    QPushButton *m_queueButton = nullptr;
    QTimer *m_debounce = nullptr;
    DealerIdList m_parsed;
    bool m_stale = false;
    bool m_busy = false;
};
