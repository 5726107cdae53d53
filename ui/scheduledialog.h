#pragma once

#include "job/validation.h"
#include "schedule/schedule.h"

#include <optional>

#include <QDialog>
#include <QHash>

class DealerIdListEdit;
class JobQueue;
class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
struct StoreError;

/// Adds a schedule, or edits one (SPEC §6): name, cron — its words and next five fire times
/// follow every keystroke, or the field at fault in place of them —, time zone, fetch types,
/// window, priority, catch-up, enabled, and the dealer list pasted as into the bulk box.
/// Checked as it is typed with validateSchedule(), the store's own check: OK stays disabled,
/// the reason beside it, while anything is invalid. Saving goes through JobQueue; a refusal by
/// the store (a name taken meanwhile) shows against its field and the dialog stays open.
class ScheduleDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScheduleDialog)

public:
    /// Adds a new schedule when `existing` is empty, otherwise edits it.
    ScheduleDialog(JobQueue *queue, const std::optional<Schedule> &existing,
                   QWidget *parent = nullptr);
    ~ScheduleDialog() override;

    bool isEditing() const { return m_original.has_value(); }
    /// The schedule edited (0 when adding).
    qint64 scheduleId() const { return m_original ? m_original->id : 0; }
    /// The schedule as the fields stand (dealer IDs as the latest check found them valid).
    Schedule schedule() const;
    /// Why the schedule cannot be saved as it stands; empty when it can.
    QString problem() const { return m_problem; }

    void accept() override;

signals:
    /// The store took the schedule (as it now stands there); the dialog closes.
    void saved(const Schedule &schedule);

private:
    void fill(const Schedule &schedule);
    /// Checks every field and updates the words, the fire times, the hints and OK.
    void revalidate();
    void updateCron();
    void updateZone();
    void updateWindowInputs();
    /// "1 hour", "2 hours", "1 day", "7 days" in the N box.
    void updateCountSuffix();
    /// The form's label for an API field name ("dealer_ids" → "Dealers").
    QString fieldLabel(const QString &field) const;
    void showStoreError(const StoreError &error);

    JobQueue *m_queue = nullptr;
    std::optional<Schedule> m_original;
    QLineEdit *m_name = nullptr;
    QLabel *m_nameHint = nullptr;
    QLineEdit *m_cron = nullptr;
    QLabel *m_cronWords = nullptr;
    QLabel *m_nextFires = nullptr;
    QComboBox *m_zone = nullptr;
    QLabel *m_zoneHint = nullptr;
    QHash<QString, QCheckBox *> m_types;
    QLabel *m_typesHint = nullptr;
    QComboBox *m_window = nullptr;
    QSpinBox *m_windowCount = nullptr;
    QLabel *m_windowHint = nullptr;
    int m_hours = 24; ///< the count of last_hours:N, kept while another rule is chosen
    int m_days = 7;   ///< the count of last_days:N, likewise
    QSpinBox *m_fallbackDays = nullptr;
    QSpinBox *m_priority = nullptr;
    QComboBox *m_catchUp = nullptr;
    QCheckBox *m_enabled = nullptr;
    DealerIdListEdit *m_dealers = nullptr;
    QLabel *m_reason = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_ok = nullptr;
    /// The store's refusal, shown until its field changes.
    FieldError m_storeError;
    QString m_problem;
    bool m_busy = false;
};
