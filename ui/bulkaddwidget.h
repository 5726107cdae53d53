#pragma once

#include "job/validation.h"
#include "messagebar.h"

#include <QWidget>

class DealerIdListEdit;
class JobQueue;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QPushButton;
struct StoreError;

/// Queues many jobs at once from pasted dealer IDs (separated by newlines, commas, semicolons,
/// tabs or spaces). Counts valid, duplicate and invalid IDs as the text changes (debounced, so
/// a paste of 10,000 IDs never stalls typing), underlines the invalid ones, strikes out repeats,
/// and points at a line that splits into several IDs where the others hold one each (a
/// spreadsheet cell "12 34"), asking before queuing it apart. The Queue button adds the valid
/// ones in the pasted order in one transaction.
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
    const DealerIdList &parsed() const;

signals:
    void message(const QString &text, MessageBar::Level level);
    void storeFailed(const StoreError &error);
    /// The text was checked (after the debounce).
    void parsedChanged();

private:
    void updateButton();
    /// Queues what the latest check found valid.
    void queueParsed();

    JobQueue *m_queue = nullptr;
    DealerIdListEdit *m_ids = nullptr;
    QComboBox *m_type = nullptr;
    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QCheckBox *m_runNext = nullptr;
    QPushButton *m_queueButton = nullptr;
    bool m_busy = false;
};
