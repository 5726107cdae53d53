#pragma once

#include "job/job.h"
#include "job/queuetypes.h"

#include <QDialog>
#include <QVector>

class JobQueue;
class QFormLayout;
class QLabel;
class QPlainTextEdit;
class QPushButton;

/// Everything about one job: every field of SPEC §1, attempts, its audit entries (SPEC §8: who
/// queued, moved, cancelled or retried it), its log lines, and the error text selectable for
/// copying. Reads the job through the queue when opened and on Reload.
class JobDetailsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobDetailsDialog)

public:
    JobDetailsDialog(JobQueue *queue, qint64 jobId, QWidget *parent = nullptr);
    ~JobDetailsDialog() override;

    qint64 jobId() const { return m_jobId; }
    /// Reads the job and its log again.
    void reload();
    /// Queues the job again (failed or cancelled ones), then reloads.
    void retry();
    /// The value shown for a field, by its SPEC name (`status`, `attempts`, ...); for tests.
    QString fieldText(const QString &field) const;
    QString logText() const;
    QString errorText() const;
    /// The audit entries shown, one line each: "action<TAB>actor<TAB>detail"; for tests.
    QStringList auditLines() const;

signals:
    /// The job and its log are shown (after each reload).
    void loaded();

private:
    void showJob(const JobDetails &details);
    QLabel *addField(const QString &field, const QString &label);

    JobQueue *m_queue = nullptr;
    qint64 m_jobId = 0;
    QFormLayout *m_form = nullptr;
    QVector<QPair<QString, QLabel *>> m_fields;
    QPlainTextEdit *m_error = nullptr;
    QPlainTextEdit *m_log = nullptr;
    class QTreeWidget *m_attempts = nullptr;
    class QTreeWidget *m_audit = nullptr;
    QLabel *m_problem = nullptr;
    QPushButton *m_retry = nullptr;
};
