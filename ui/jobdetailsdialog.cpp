#include "jobdetailsdialog.h"

#include "audittablemodel.h"
#include "job/timeformat.h"
#include "jobformat.h"
#include "palettecolors.h"
#include "queue/jobqueue.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {

QString orDash(const QString &text)
{
    return text.isEmpty() ? QStringLiteral("—") : text;
}

QString timeText(qint64 ms)
{
    if (ms == 0)
        return QStringLiteral("—");
    return QStringLiteral("%1  (%2)").arg(formatTimestamp(ms), JobFormat::dateTime(ms));
}

} // namespace

JobDetailsDialog::JobDetailsDialog(JobQueue *queue, qint64 jobId, QWidget *parent)
    : QDialog(parent)
    , m_queue(queue)
    , m_jobId(jobId)
    , m_form(new QFormLayout)
    , m_error(new QPlainTextEdit(this))
    , m_log(new QPlainTextEdit(this))
    , m_problem(new QLabel(this))
{
    setObjectName(QStringLiteral("jobDetails"));
    setWindowTitle(tr("Job %1").arg(jobId));
    setAttribute(Qt::WA_DeleteOnClose);

    const QVector<QPair<QString, QString>> fields = {
        {QStringLiteral("job_id"), tr("Job ID")},
        {QStringLiteral("dealer_id"), tr("Dealer ID")},
        {QStringLiteral("fetch_type"), tr("Fetch type")},
        {QStringLiteral("from_time"), tr("From")},
        {QStringLiteral("to_time"), tr("To")},
        {QStringLiteral("status"), tr("Status")},
        {QStringLiteral("priority"), tr("Priority")},
        {QStringLiteral("created_at"), tr("Queued at")},
        {QStringLiteral("created_by"), tr("Queued by")},
        {QStringLiteral("requeued_at"), tr("Queued again at")},
        {QStringLiteral("started_at"), tr("Started at")},
        {QStringLiteral("finished_at"), tr("Finished at")},
        {QStringLiteral("duration_s"), tr("Duration")},
        {QStringLiteral("attempts"), tr("Attempts")},
        {QStringLiteral("result"), tr("Result")},
        {QStringLiteral("error.category"), tr("Error category")},
        {QStringLiteral("runner"), tr("Run by")},
    };
    for (const auto &[field, label] : fields)
        addField(field, label);

    m_error->setObjectName(QStringLiteral("errorText"));
    m_error->setReadOnly(true);
    m_error->setMaximumHeight(80);
    m_error->setPlaceholderText(tr("No error"));
    m_log->setObjectName(QStringLiteral("logText"));
    m_log->setReadOnly(true);
    m_log->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_log->setPlaceholderText(tr("No log lines"));
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText);
    m_problem->hide();

    auto *errorBox = new QGroupBox(tr("Error"), this);
    auto *errorLayout = new QVBoxLayout(errorBox);
    errorLayout->addWidget(m_error);
    m_attempts = new QTreeWidget(this);
    m_attempts->setObjectName(QStringLiteral("attemptsList"));
    m_attempts->setRootIsDecorated(false);
    m_attempts->setHeaderLabels({tr("#"), tr("Started"), tr("Ended"), tr("Outcome"), tr("Error")});
    m_attempts->setMaximumHeight(110);
    m_attempts->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_attempts->header()->setSectionResizeMode(4, QHeaderView::Stretch);
    auto *attemptsBox = new QGroupBox(tr("Attempts"), this);
    auto *attemptsLayout = new QVBoxLayout(attemptsBox);
    attemptsLayout->addWidget(m_attempts);
    m_audit = new QTreeWidget(this);
    m_audit->setObjectName(QStringLiteral("auditList"));
    m_audit->setRootIsDecorated(false);
    m_audit->setHeaderLabels({tr("When"), tr("Who"), tr("What"), tr("Detail")});
    m_audit->setMaximumHeight(110);
    m_audit->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_audit->header()->setSectionResizeMode(3, QHeaderView::Stretch);
    auto *auditBox = new QGroupBox(tr("Changes"), this);
    auditBox->setToolTip(tr("Who changed this job, newest first (the audit log)"));
    auto *auditLayout = new QVBoxLayout(auditBox);
    auditLayout->addWidget(m_audit);
    auto *logBox = new QGroupBox(tr("Log"), this);
    auto *logLayout = new QVBoxLayout(logBox);
    logLayout->addWidget(m_log);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *reloadButton = buttons->addButton(tr("&Reload"), QDialogButtonBox::ActionRole);
    connect(reloadButton, &QPushButton::clicked, this, &JobDetailsDialog::reload);
    m_retry = buttons->addButton(tr("Re&try"), QDialogButtonBox::ActionRole);
    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_retry->setToolTip(tr("Queue this job again"));
    m_retry->setEnabled(false);
    connect(m_retry, &QPushButton::clicked, this, &JobDetailsDialog::retry);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // Everything but the buttons scrolls where the screen is too low for it (1024 x 700), so
    // that Close and Retry stay on the screen.
    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    contentLayout->setContentsMargins(0, 0, 0, 0);
    contentLayout->addWidget(m_problem);
    contentLayout->addLayout(m_form);
    contentLayout->addWidget(errorBox);
    contentLayout->addWidget(attemptsBox);
    contentLayout->addWidget(auditBox);
    contentLayout->addWidget(logBox, 1);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("detailsScroll"));
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(buttons);
    const QScreen *screen = parent ? parent->screen() : QGuiApplication::primaryScreen();
    const int available = screen ? screen->availableGeometry().height() : 760;
    // Room for the title bar the window manager adds.
    resize(640, qMin(760, available - 60));
    reload();
}

JobDetailsDialog::~JobDetailsDialog() = default;

QLabel *JobDetailsDialog::addField(const QString &field, const QString &label)
{
    auto *value = new QLabel(QStringLiteral("…"), this);
    value->setObjectName(field);
    value->setTextFormat(Qt::PlainText);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    value->setWordWrap(true);
    m_form->addRow(label + QLatin1Char(':'), value);
    m_fields.push_back({field, value});
    return value;
}

QString JobDetailsDialog::fieldText(const QString &field) const
{
    for (const auto &[name, label] : m_fields) {
        if (name == field)
            return label->text();
    }
    return {};
}

QString JobDetailsDialog::logText() const
{
    return m_log->toPlainText();
}

QString JobDetailsDialog::errorText() const
{
    return m_error->toPlainText();
}

QStringList JobDetailsDialog::auditLines() const
{
    QStringList lines;
    for (int i = 0; i < m_audit->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_audit->topLevelItem(i);
        lines << QStringLiteral("%1\t%2\t%3")
                     .arg(item->data(2, Qt::UserRole).toString(), item->text(1), item->text(3));
    }
    return lines;
}

void JobDetailsDialog::reload()
{
    const qint64 id = m_jobId;
    m_queue->readDetails(
        this, id, [this](QueueResult<JobDetails> result) {
            if (!result.ok()) {
                m_problem->setText(
                    result.error.kind == StoreError::Kind::NotFound
                        ? tr("Job %1 is no longer in the store (the history was cleared).")
                              .arg(m_jobId)
                        : tr("Could not read job %1: %2").arg(m_jobId).arg(result.error.message));
                m_problem->show();
                emit loaded();
                return;
            }
            m_problem->hide();
            showJob(*result.value);
            emit loaded();
        });
}

void JobDetailsDialog::showJob(const JobDetails &details)
{
    const Job &job = details.job;
    const QVector<LogLine> &log = details.log;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const std::optional<double> duration = job.durationSeconds(now);
    QString result = QStringLiteral("—");
    if (job.result) {
        result =
            tr("%Ln page(s); %1 fetched, %2 inserted, %3 updated, %4 unchanged", nullptr,
               job.result->pages)
                .arg(JobFormat::count(job.result->fetched), JobFormat::count(job.result->inserted),
                     JobFormat::count(job.result->updated),
                     JobFormat::count(job.result->unchanged));
    }
    const QString status = job.cancelRequested && job.status == JobStatus::Running
                               ? tr("Running (cancel requested)")
                               : JobFormat::statusText(job.status);
    const QVector<QPair<QString, QString>> values = {
        {QStringLiteral("job_id"), QString::number(job.id)},
        {QStringLiteral("dealer_id"), job.dealerId},
        {QStringLiteral("fetch_type"), job.fetchType},
        {QStringLiteral("from_time"), timeText(job.fromMs)},
        {QStringLiteral("to_time"), timeText(job.toMs)},
        {QStringLiteral("status"), status},
        {QStringLiteral("priority"), QString::number(job.priority)},
        {QStringLiteral("created_at"), timeText(job.createdMs)},
        {QStringLiteral("created_by"), orDash(job.createdBy)},
        {QStringLiteral("requeued_at"), timeText(job.requeuedMs)},
        {QStringLiteral("started_at"), timeText(job.startedMs)},
        {QStringLiteral("finished_at"), timeText(job.finishedMs)},
        {QStringLiteral("duration_s"),
         duration ? tr("%1 s (%2)", "seconds (the same for people)")
                        .arg(QLocale().toString(*duration, 'f', 3), JobFormat::duration(duration))
                  : QStringLiteral("—")},
        {QStringLiteral("attempts"), QString::number(job.attempts)},
        {QStringLiteral("result"), result},
        {QStringLiteral("error.category"),
         job.error.category == ErrorCategory::None
             ? QStringLiteral("—")
             : QStringLiteral("%1 (%2)").arg(JobFormat::errorCategoryText(job.error.category),
                                             errorCategoryName(job.error.category))},
        {QStringLiteral("runner"), orDash(job.runnerId)},
    };
    for (const auto &[field, text] : values) {
        for (const auto &[name, label] : std::as_const(m_fields)) {
            if (name == field)
                label->setText(text);
        }
    }
    for (const auto &[name, label] : std::as_const(m_fields)) {
        if (name == QLatin1String("status")) {
            if (job.status == JobStatus::Queued)
                PaletteColors::resetColors(label);
            else
                PaletteColors::setStatusText(label, job.status);
        }
    }
    // Every attempt, so that a retry never hides why the earlier ones ended.
    m_attempts->clear();
    for (const JobAttempt &attempt : details.attempts) {
        QString outcome = attempt.outcome.isEmpty() ? tr("running") : attempt.outcome;
        if (const std::optional<JobStatus> status = jobStatusFromString(attempt.outcome))
            outcome = JobFormat::statusText(*status);
        else if (attempt.outcome == QLatin1String("interrupted"))
            outcome = tr("Interrupted");
        QString what = attempt.error.message;
        if (what.isEmpty() && attempt.fetched)
            what = tr("%1 fetched").arg(JobFormat::count(*attempt.fetched));
        auto *row = new QTreeWidgetItem(m_attempts, {QString::number(attempt.attempt),
                                                     timeText(attempt.startedMs),
                                                     timeText(attempt.finishedMs), outcome, what});
        row->setToolTip(4, what);
    }
    m_audit->clear();
    for (const AuditEntry &entry : details.audit) {
        auto *row =
            new QTreeWidgetItem(m_audit, {JobFormat::dateTime(entry.atMs), entry.actor,
                                          AuditTableModel::actionText(entry.action), entry.detail});
        row->setData(2, Qt::UserRole, entry.action);
        row->setToolTip(0, formatTimestamp(entry.atMs));
        row->setToolTip(3, entry.detail);
    }
    m_error->setPlainText(job.error.message);
    m_retry->setEnabled(job.status == JobStatus::Failed || job.status == JobStatus::Cancelled);
    QStringList lines;
    lines.reserve(log.size());
    for (const LogLine &line : log)
        lines << QStringLiteral("%1  %2").arg(JobFormat::dateTime(line.atMs), line.message);
    m_log->setPlainText(lines.join(QLatin1Char('\n')));
}

void JobDetailsDialog::retry()
{
    m_retry->setEnabled(false);
    m_queue->retry(this, {m_jobId}, [this](RetryReport report) {
        if (report.errors.isEmpty()) {
            reload();
            return;
        }
        m_problem->setText(tr("Not retried: %1").arg(report.errors.first().message));
        m_problem->show();
    });
}
