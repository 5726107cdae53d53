#include "queuestatuswidget.h"

#include "jobformat.h"
#include "palettecolors.h"
#include "queue/jobqueue.h"
#include "queuewatcher.h"

#include <QDateTime>
#include <QEvent>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

QueueStatusWidget::QueueStatusWidget(JobQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_state(new QLabel(this))
    , m_current(new QLabel(this))
    , m_progress(new QProgressBar(this))
    , m_cancelCurrent(new QPushButton(tr("Cancel job"), this))
    , m_queued(new QLabel(this))
    , m_today(new QLabel(this))
    , m_pause(new QPushButton(tr("Pause"), this))
    , m_banner(new QLabel(this))
    , m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("queueStatus"));
    m_state->setObjectName(QStringLiteral("stateLabel"));
    m_current->setObjectName(QStringLiteral("currentJobLabel"));
    m_queued->setObjectName(QStringLiteral("queuedLabel"));
    m_today->setObjectName(QStringLiteral("todayLabel"));
    // Runs, not jobs: a failure stays counted when its job is retried, and the figures stay
    // when the history is cleared. The Dashboard counts jobs, each once.
    m_today->setToolTip(tr("Runs that ended today: a job that failed and was retried counts "
                           "once for each run. The Dashboard counts each job once, where it "
                           "last finished."));
    m_pause->setObjectName(QStringLiteral("pauseButton"));
    m_banner->setObjectName(QStringLiteral("runnerBanner"));
    m_cancelCurrent->setObjectName(QStringLiteral("cancelCurrentButton"));

    QFont bold = m_state->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_state->setFont(bold);
    m_state->setMinimumWidth(m_state->fontMetrics().horizontalAdvance(tr("Database unreachable")) +
                             8);
    m_current->setTextFormat(Qt::RichText);
    m_current->setTextInteractionFlags(Qt::TextBrowserInteraction);
    // Long dealer IDs and windows must not widen the window: the label gives way instead.
    m_current->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_current->setMinimumWidth(120);
    m_current->installEventFilter(this); // fitted to its width again when that changes
    connect(m_current, &QLabel::linkActivated, this,
            [this](const QString &link) { emit detailsRequested(link.toLongLong()); });
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(false);
    m_progress->setMaximumWidth(120);
    m_progress->setMaximumHeight(m_state->sizeHint().height());
    m_cancelCurrent->setToolTip(tr("Abort the running job; nothing it fetched is kept"));
    m_pause->setToolTip(tr("Pause: the running job finishes, no new job starts until Resume"));
    m_banner->setWordWrap(true);
    m_banner->setMargin(4);

    // Cancel job sits apart from the progress bar and the job's text, where nobody aims for
    // something else (and it asks first).
    // The progress bar and Cancel job keep their room while no job runs, so that nothing on the
    // line moves when a job starts or ends.
    for (QWidget *widget :
         {static_cast<QWidget *>(m_progress), static_cast<QWidget *>(m_cancelCurrent)}) {
        QSizePolicy policy = widget->sizePolicy();
        policy.setRetainSizeWhenHidden(true);
        widget->setSizePolicy(policy);
    }
    auto *row = new QHBoxLayout;
    row->addWidget(m_state);
    row->addWidget(m_progress);
    row->addWidget(m_current, 1);
    row->addSpacing(8);
    row->addWidget(m_queued);
    row->addSpacing(8);
    row->addWidget(m_today);
    row->addSpacing(16);
    row->addWidget(m_cancelCurrent);
    row->addWidget(m_pause);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 4, 6, 4);
    layout->addLayout(row);

    connect(m_pause, &QPushButton::clicked, this, &QueueStatusWidget::togglePause);
    connect(m_cancelCurrent, &QPushButton::clicked, this, &QueueStatusWidget::askCancelCurrent);
    connect(m_queue, &JobQueue::runnerStateChanged, this, &QueueStatusWidget::onRunnerState);
    connect(m_queue, &JobQueue::jobStarted, this, &QueueStatusWidget::onJobStarted);
    connect(m_queue, &JobQueue::jobProgress, this, &QueueStatusWidget::onJobProgress);
    connect(m_queue, &JobQueue::jobPhase, this, &QueueStatusWidget::onJobPhase);
    connect(m_queue, &JobQueue::jobFinished, this, &QueueStatusWidget::onJobFinished);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &QueueStatusWidget::updateCurrentJob);
    m_runnerState = m_queue->runnerState();
    m_runnerDetail = m_queue->runnerDetail();
    updateView();
}

QueueStatusWidget::~QueueStatusWidget() = default;

QString QueueStatusWidget::stateText() const
{
    return m_state->text();
}

bool QueueStatusWidget::isDatabaseDown() const
{
    return !m_storeDown.isEmpty() || m_runnerState == RunnerState::DatabaseDown;
}

void QueueStatusWidget::applySnapshot(const QueueSnapshot &snapshot)
{
    if (snapshot.error.kind == StoreError::Kind::ConnectionLost) {
        m_storeDown = snapshot.error.message;
        updateView();
        return;
    }
    m_storeDown.clear();
    if (snapshot.status) {
        m_haveStatus = true;
        const std::optional<Job> &current = snapshot.status->current;
        if (!current) {
            m_job.reset();
        } else if (!m_job || m_job->id != current->id) {
            m_job = current;
            m_pages = 0;
            m_records = 0;
        } else {
            m_job = current;
        }
        m_paused = snapshot.status->paused;
        m_queueLength = snapshot.status->queueLength;
        m_runnerHolder = snapshot.status->runnerHolder;
    }
    if (snapshot.counts) {
        m_completedToday = snapshot.counts->completedToday;
        m_failedToday = snapshot.counts->failedToday;
    }
    updateView();
}

void QueueStatusWidget::noteStoreError(const StoreError &error)
{
    if (error.kind != StoreError::Kind::ConnectionLost)
        return;
    m_storeDown = error.message;
    updateView();
}

void QueueStatusWidget::onRunnerState(RunnerState state, const QString &detail)
{
    m_runnerState = state;
    m_runnerDetail = detail;
    updateView();
}

void QueueStatusWidget::onJobStarted(const Job &job)
{
    m_job = job;
    m_pages = 0;
    m_records = 0;
    updateView();
}

void QueueStatusWidget::onJobProgress(qint64 jobId, int pages, qint64 records)
{
    if (!m_job || m_job->id != jobId)
        return;
    m_pages = pages;
    m_records = records;
    updateCurrentJob();
}

void QueueStatusWidget::onJobPhase(qint64 jobId, const JobProgress &progress)
{
    // The first request's phase comes before the news that the job started: keep it.
    m_phase = progress;
    m_phaseJobId = jobId;
    if (m_job && m_job->id == jobId)
        updateCurrentJob();
}

void QueueStatusWidget::onJobFinished(const Job &job)
{
    if (m_job && m_job->id == job.id)
        m_job.reset();
    if (job.status == JobStatus::Completed)
        ++m_completedToday;
    else if (job.status == JobStatus::Failed)
        ++m_failedToday;
    updateView();
}

void QueueStatusWidget::updateCurrentJob()
{
    if (!m_job) {
        m_currentParts.clear();
        m_current->setText(m_haveStatus ? tr("No job running") : QString());
        m_current->setToolTip({});
        return;
    }
    const Job &job = *m_job;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // How far it got comes first: where the line is cut (a narrow window), it cuts the window
    // of the job, which the tooltip and the details still show.
    QStringList parts{tr("<a href=\"%1\">Job %1</a>").arg(job.id)};
    if (job.startedMs > 0)
        parts << JobFormat::duration(double(qMax<qint64>(0, now - job.startedMs)) / 1000.0);
    parts << tr("%Ln page(s)", nullptr, int(m_pages))
          << tr("%Ln record(s)", nullptr, int(m_records));
    // A job that retries or waits says so, not just "0 pages" (a slow job looks the same).
    if (m_phase && m_phaseJobId == job.id) {
        const auto secondsTo = [now](qint64 ms) {
            return qMax<qint64>(0, (ms - now + 999) / 1000);
        };
        switch (m_phase->phase) {
        case JobPhase::Retrying:
            // When first: where the line is cut, it cuts the reason's end.
            parts << tr("next in %2 s: <b>%1</b>")
                         .arg(m_phase->detail.toHtmlEscaped())
                         .arg(secondsTo(m_phase->untilMs));
            break;
        case JobPhase::Waiting:
            // A usual page answers within a second: only a slow one is worth the words.
            if (now - m_phase->sinceMs >= 2000)
                parts << tr("<b>waiting for an answer</b>, %1 s (timeout %2 s)")
                             .arg((now - m_phase->sinceMs) / 1000)
                             .arg((m_phase->untilMs - m_phase->sinceMs + 500) / 1000);
            break;
        case JobPhase::Committing:
            parts << tr("committing");
            break;
        case JobPhase::Downloading:
            break;
        }
    }
    if (job.cancelRequested)
        parts << tr("cancelling…");
    parts << tr("dealer <b>%1</b>").arg(job.dealerId.toHtmlEscaped())
          << job.fetchType.toHtmlEscaped() << JobFormat::window(job.fromMs, job.toMs);
    m_currentParts = parts;
    fitCurrentJob();
    m_current->setToolTip(
        tr("Job %1: dealer %2, %3, %4")
            .arg(job.id)
            .arg(job.dealerId, job.fetchType, JobFormat::window(job.fromMs, job.toMs)));
}

bool QueueStatusWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_current && (event->type() == QEvent::Resize || event->type() == QEvent::Show))
        fitCurrentJob();
    return QWidget::eventFilter(watched, event);
}

namespace {

/// The text of one of the status line's parts (our own simple HTML: <a>, <b> and escapes), and
/// whether any of it is bold.
QString partText(const QString &html, bool *bold)
{
    *bold = html.contains(QLatin1String("<b>"));
    QString text;
    text.reserve(html.size());
    bool inTag = false;
    for (QChar c : html) {
        if (c == QLatin1Char('<'))
            inTag = true;
        else if (c == QLatin1Char('>'))
            inTag = false;
        else if (!inTag)
            text += c;
    }
    return text.replace(QLatin1String("&lt;"), QLatin1String("<"))
        .replace(QLatin1String("&gt;"), QLatin1String(">"))
        .replace(QLatin1String("&quot;"), QLatin1String("\""))
        .replace(QLatin1String("&amp;"), QLatin1String("&"));
}

} // namespace

void QueueStatusWidget::fitCurrentJob()
{
    if (m_currentParts.isEmpty())
        return;
    const QString separator = QStringLiteral(" · ");
    // Not laid out yet (a window not shown): whole; its first resize fits it.
    if (!m_current->isVisible()) {
        m_current->setText(m_currentParts.join(separator));
        return;
    }
    // Measured by the font (a part with bold in it as if all bold, to be safe), not by laying
    // out the HTML: this runs at every page of the running job, on the window's thread.
    const QFontMetricsF regular(m_current->font());
    QFont boldFont = m_current->font();
    boldFont.setBold(true);
    const QFontMetricsF boldMetrics(boldFont);
    const qreal room = m_current->contentsRect().width() - 2;
    const qreal separatorWidth = regular.horizontalAdvance(separator);
    QString text;
    qreal used = 0;
    for (qsizetype i = 0; i < m_currentParts.size(); ++i) {
        bool bold = false;
        const QString plain = partText(m_currentParts.at(i), &bold);
        const QFontMetricsF &metrics = bold ? boldMetrics : regular;
        const qreal lead = i == 0 ? 0 : separatorWidth;
        const qreal width = metrics.horizontalAdvance(plain);
        if (used + lead + width <= room) {
            text += (i == 0 ? QString() : separator) + m_currentParts.at(i);
            used += lead + width;
            continue;
        }
        // The first that does not fit: as much of it as fits, ended by "…" (a retry's reason
        // is worth its first words), bold as it was; the rest is in the tooltip.
        QString cut = metrics.elidedText(plain, Qt::ElideRight, qMax<qreal>(0, room - used - lead));
        if (cut.isEmpty())
            cut = QString(QChar(0x2026));
        cut = cut.toHtmlEscaped();
        text +=
            (i == 0 ? QString() : separator) + (bold ? QStringLiteral("<b>%1</b>").arg(cut) : cut);
        break;
    }
    if (m_current->text() != text)
        m_current->setText(text);
}

void QueueStatusWidget::updateView()
{
    updateCancelQuestion();
    const bool down = isDatabaseDown();
    const bool standby = m_runnerState == RunnerState::Standby;
    const bool running = m_job.has_value() || m_runnerState == RunnerState::Running;

    QString state;
    std::function<QColor(const QPalette &)> color;
    const auto status = [](JobStatus status) {
        return [status](const QPalette &palette) {
            return PaletteColors::statusColor(status, palette);
        };
    };
    if (down) {
        state = tr("Database unreachable");
        color = status(JobStatus::Failed);
    } else if (running) {
        state = tr("Processing");
        color = status(JobStatus::Running);
    } else if (m_paused || m_runnerState == RunnerState::Paused) {
        state = tr("Paused");
        color = PaletteColors::pausedColor;
    } else {
        state = tr("Idle");
        color = status(JobStatus::Cancelled);
    }
    m_state->setText(state);
    PaletteColors::setTextColor(m_state, color);
    if (running && m_paused && !down)
        m_state->setToolTip(tr("Paused: the running job finishes, then no new job starts"));
    else
        m_state->setToolTip({});

    m_progress->setVisible(m_job.has_value() && !down);
    m_cancelCurrent->setVisible(m_job.has_value() && !down);
    m_cancelCurrent->setEnabled(m_job && !m_job->cancelRequested);
    if (m_job)
        m_tick->start();
    else
        m_tick->stop();
    updateCurrentJob();

    m_queued->setText(tr("Queued: <b>%1</b>").arg(JobFormat::count(m_queueLength)));
    m_today->setText(
        tr("Today: <b>%Ln</b> run(s) completed, <b>%1</b> failed", nullptr, int(m_completedToday))
            .arg(JobFormat::count(m_failedToday)));
    m_pause->setText(m_paused ? tr("Resume") : tr("Pause"));
    m_pause->setEnabled(!m_pauseBusy && m_haveStatus && !down);

    // The banner: what keeps jobs from running here, most serious first.
    QString banner;
    if (down) {
        const QString why = !m_storeDown.isEmpty() ? m_storeDown : m_runnerDetail;
        banner = tr("Database unreachable: %1. Reconnecting; the window shows the last known "
                    "state.")
                     .arg(why);
        PaletteColors::setTone(m_banner, PaletteColors::Tone::Error);
    } else if (standby || (!m_queue->config().runJobs && m_haveStatus)) {
        const QString holder =
            standby && !m_runnerDetail.isEmpty() ? m_runnerDetail : m_runnerHolder;
        banner =
            holder.isEmpty()
                ? tr("No instance runs jobs on this database right now; queued jobs wait until "
                     "one starts.")
                : tr("Jobs are run by another instance: %1. This window watches and steers the "
                     "queue.")
                      .arg(holder);
        PaletteColors::setTone(m_banner, PaletteColors::Tone::Info);
    }
    if (m_banner->text() != banner) {
        m_banner->setText(banner);
        m_banner->setToolTip(banner);
        emit noticeChanged();
    }
}

void QueueStatusWidget::togglePause()
{
    const bool pause = !m_paused;
    m_pauseBusy = true;
    updateView();
    m_queue->setPaused(this, pause, [this, pause](QueueResult<bool> result) {
        m_pauseBusy = false;
        if (!result.ok()) {
            noteStoreError(result.error);
            emit message(
                (pause ? tr("Could not pause the queue: %1") : tr("Could not resume the queue: %1"))
                    .arg(result.error.message),
                MessageBar::Level::Error);
            updateView();
            return;
        }
        m_paused = pause;
        updateView();
        emit message(pause ? tr("Queue paused: the running job finishes, no new job starts.")
                           : tr("Queue resumed."),
                     MessageBar::Level::Info);
    });
}

void QueueStatusWidget::askCancelCurrent()
{
    if (!m_job)
        return;
    const Job job = *m_job;
    auto *box = new QMessageBox(
        QMessageBox::Question, tr("Cancel the running job"),
        tr("Cancel job %1 (dealer %2, %3)? It is aborted and rolled back: nothing it fetched is "
           "kept.")
            .arg(job.id)
            .arg(job.dealerId, job.fetchType),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("cancelCurrentConfirmation"));
    QPushButton *cancelJob = box->addButton(tr("Cancel Job"), QMessageBox::DestructiveRole);
    cancelJob->setObjectName(QStringLiteral("confirmCancelButton"));
    QPushButton *keep = box->addButton(tr("Keep Running"), QMessageBox::RejectRole);
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, cancelJob, id = job.id] {
        if (box->clickedButton() != cancelJob)
            return;
        // The job may have ended while the question was open: then nothing is cancelled, and
        // never the job that runs now.
        if (m_job && m_job->id == id)
            cancelCurrent();
        else
            emit message(tr("Job %1 ended before you confirmed: nothing was cancelled. The "
                            "history shows how it ended.")
                             .arg(id),
                         MessageBar::Level::Warning);
    });
    m_cancelQuestion = box;
    m_cancelQuestionJob = job.id;
    box->open();
}

void QueueStatusWidget::updateCancelQuestion()
{
    if (!m_cancelQuestion || (m_job && m_job->id == m_cancelQuestionJob))
        return;
    m_cancelQuestion->setText(tr("Job %1 has ended meanwhile: there is nothing to cancel. The "
                                 "history shows how it ended.")
                                  .arg(m_cancelQuestionJob));
    const QList<QAbstractButton *> buttons = m_cancelQuestion->buttons();
    for (QAbstractButton *button : buttons) {
        if (m_cancelQuestion->buttonRole(button) == QMessageBox::DestructiveRole)
            button->setEnabled(false);
        else
            button->setText(tr("Close"));
    }
}

void QueueStatusWidget::cancelCurrent()
{
    if (!m_job)
        return;
    const qint64 id = m_job->id;
    m_cancelCurrent->setEnabled(false);
    m_queue->cancel(this, {id}, [this, id](CancelReport report) {
        if (!report.errors.isEmpty()) {
            const StoreError &error = report.errors.first();
            noteStoreError(error);
            emit message(tr("Could not cancel job %1: %2").arg(id).arg(error.message),
                         MessageBar::Level::Error);
            updateView();
            return;
        }
        if (m_job && m_job->id == id)
            m_job->cancelRequested = true;
        updateView();
        emit message(
            tr("Cancelling job %1: it is rolled back, nothing it fetched is kept.").arg(id),
            MessageBar::Level::Info);
    });
}
