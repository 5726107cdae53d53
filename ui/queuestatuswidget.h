#pragma once

#include "job/job.h"
#include "messagebar.h"
#include "queue/queuerunner.h"

#include <optional>

#include <QPointer>
#include <QWidget>

class JobQueue;
class QLabel;
class QMessageBox;
class QProgressBar;
class QPushButton;
class QTimer;
struct QueueSnapshot;
struct StoreError;

/// The queue's status line, always visible: Processing / Idle / Paused, the current job with
/// its live duration and progress, how many are queued, completed and failed today, and
/// Pause/Resume. Says when another instance runs the jobs and when the database is unreachable.
class QueueStatusWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueueStatusWidget)

public:
    explicit QueueStatusWidget(JobQueue *queue, QWidget *parent = nullptr);
    ~QueueStatusWidget() override;

    /// Takes what a refresh read.
    void applySnapshot(const QueueSnapshot &snapshot);
    /// A store call failed: shows "database unreachable" for a lost connection.
    void noteStoreError(const StoreError &error);

    /// Pauses the queue, or resumes it (the store's flag, seen by every instance).
    void togglePause();

    QString stateText() const;
    bool isPaused() const { return m_paused; }
    bool isDatabaseDown() const;
    /// What keeps jobs from running here (database unreachable, another instance runs them):
    /// a label the window shows in its NoticeArea; empty when nothing does.
    QLabel *notice() const { return m_banner; }

signals:
    /// What became of the operator's pause, resume or cancel.
    void message(const QString &text, MessageBar::Level level);
    /// The operator asked for the details of a job.
    void detailsRequested(qint64 jobId);
    /// The standing notice (notice()'s text) changed.
    void noticeChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    /// Shows as many of the running job's parts (m_currentParts) as the label's width holds,
    /// whole, then "…": never a part cut in the middle ("2026-12-0").
    void fitCurrentJob();
    void onRunnerState(RunnerState state, const QString &detail);
    void onJobStarted(const Job &job);
    void onJobProgress(qint64 jobId, int pages, qint64 records);
    void onJobPhase(qint64 jobId, const JobProgress &progress);
    void onJobFinished(const Job &job);
    /// Asks whether to cancel the running job (Keep Running is the default), then cancels it.
    void askCancelCurrent();
    void cancelCurrent();
    /// An open question about cancelling a job that is no longer running says so, and its
    /// Cancel Job button is disabled: there is nothing left to cancel.
    void updateCancelQuestion();
    void updateView();
    void updateCurrentJob();

    JobQueue *m_queue = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_current = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancelCurrent = nullptr;
    QLabel *m_queued = nullptr;
    QLabel *m_today = nullptr;
    QPushButton *m_pause = nullptr;
    QLabel *m_banner = nullptr;
    QTimer *m_tick = nullptr;
    QPointer<QMessageBox> m_cancelQuestion; ///< askCancelCurrent()'s, while open
    qint64 m_cancelQuestionJob = 0;         ///< the job it asks about

    RunnerState m_runnerState = RunnerState::Starting;
    QString m_runnerDetail;
    std::optional<Job> m_job;
    QStringList m_currentParts; ///< the running job's line, part by part (rich text)
    int m_pages = 0;
    qint64 m_records = 0;
    /// The phase the runner last told, of job m_phaseJobId (it may tell before jobStarted).
    std::optional<JobProgress> m_phase;
    qint64 m_phaseJobId = 0;
    bool m_haveStatus = false;
    bool m_paused = false;
    bool m_pauseBusy = false;
    qint64 m_queueLength = 0;
    qint64 m_completedToday = 0;
    qint64 m_failedToday = 0;
    QString m_runnerHolder;
    QString m_storeDown; ///< why the store is unreachable; empty while it answers
};
