#include "addjobwidget.h"

#include "job/jobrequest.h"
#include "jobformat.h"
#include "palettecolors.h"
#include "queue/jobqueue.h"
#include "windowpickers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

AddJobWidget::AddJobWidget(JobQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_dealer(new QLineEdit(this))
    , m_reason(new QLabel(this))
    , m_type(new QComboBox(this))
    , m_from(WindowPickers::createFrom(this))
    , m_to(WindowPickers::createTo(this))
    , m_runNext(new QCheckBox(tr("Run next"), this))
    , m_add(new QPushButton(tr("Add to queue"), this))
{
    setObjectName(QStringLiteral("addJob"));
    m_dealer->setObjectName(QStringLiteral("dealerIdEdit"));
    m_reason->setObjectName(QStringLiteral("dealerIdReason"));
    m_type->setObjectName(QStringLiteral("fetchTypeCombo"));
    m_from->setObjectName(QStringLiteral("fromEdit"));
    m_to->setObjectName(QStringLiteral("toEdit"));
    m_runNext->setObjectName(QStringLiteral("runNextCheck"));
    m_add->setObjectName(QStringLiteral("addButton"));

    m_dealer->setPlaceholderText(tr("e.g. 12284"));
    // No short maximum length: a paste cut at it could leave a valid ID followed by blanks
    // ("12284" and a padded column after it), and queue what the operator did not paste.
    m_dealer->setClearButtonEnabled(true);
    m_reason->setWordWrap(true);
    m_reason->setTextFormat(Qt::PlainText);
    PaletteColors::setStatusText(m_reason, JobStatus::Failed);
    m_reason->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_reason->hide();
    // Its two lines are kept free while it is hidden: the fields and the Add button below do
    // not move when a reason comes or goes (after a click on Add, or while typing).
    auto *reasonPlace = new QWidget(this);
    reasonPlace->setFixedHeight(2 * m_reason->fontMetrics().lineSpacing());
    auto *reasonLayout = new QVBoxLayout(reasonPlace);
    reasonLayout->setContentsMargins(0, 0, 0, 0);
    reasonLayout->addWidget(m_reason);
    m_type->addItems(m_queue->config().fetchTypes);
    m_runNext->setToolTip(tr("Put the job at the front of the queue"));
    m_add->setIcon(JobFormat::statusIcon(JobStatus::Queued));
    m_add->setAutoDefault(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Dealer ID:"), m_dealer);
    form->addRow(QString(), reasonPlace);
    form->addRow(tr("&Type:"), m_type);
    form->addRow(tr("&From:"), m_from);
    form->addRow(tr("T&o:"), m_to);
    form->addRow(QString(), m_runNext);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_add, 0, Qt::AlignRight);

    connect(m_dealer, &QLineEdit::textChanged, this, &AddJobWidget::validateInput);
    connect(m_dealer, &QLineEdit::returnPressed, this, &AddJobWidget::addJob);
    connect(m_add, &QPushButton::clicked, this, &AddJobWidget::addJob);
    validateInput();
}

AddJobWidget::~AddJobWidget() = default;

void AddJobWidget::focusDealerId()
{
    m_dealer->setFocus(Qt::ShortcutFocusReason);
    m_dealer->selectAll();
}

void AddJobWidget::validateInput()
{
    const QString id = m_dealer->text().trimmed();
    QString reason;
    const bool valid = validateDealerId(id, &reason);
    // An empty field is not an error yet: it only keeps Add disabled.
    m_reason->setText(reason);
    m_reason->setToolTip(reason); // whole, where the two lines cut it
    m_reason->setVisible(!valid && !id.isEmpty());
    m_add->setEnabled(valid && !m_busy);
}

void AddJobWidget::addJob()
{
    if (m_busy)
        return;
    JobRequest request;
    request.dealerIds = {m_dealer->text().trimmed()};
    request.fetchType = m_type->currentText();
    request.from = WindowPickers::text(m_from);
    request.to = WindowPickers::text(m_to);
    request.runNext = m_runNext->isChecked();
    QVector<FieldError> errors;
    const std::optional<PreparedJobs> prepared = prepareJobs(
        request, m_queue->config().fetchTypes, QDateTime::currentMSecsSinceEpoch(), &errors);
    if (!prepared) {
        QStringList reasons;
        for (const FieldError &error : std::as_const(errors))
            reasons << error.message;
        m_reason->setText(reasons.join(QLatin1Char('\n')));
        m_reason->setToolTip(m_reason->text());
        m_reason->show();
        return;
    }
    NewJob job = prepared->common;
    job.dealerId = prepared->dealerIds.value(0);
    m_busy = true;
    validateInput();
    const bool runNext = request.runNext;
    m_queue->add(
        this, job, [this, runNext](QueueResult<AddOutcome> result) {
            m_busy = false;
            validateInput();
            if (!result.ok()) {
                emit storeFailed(result.error);
                emit message(tr("Could not queue the job: %1").arg(result.error.message),
                             MessageBar::Level::Error);
                return;
            }
            const Job &job = result.value->job;
            if (result.value->duplicate) {
                emit message(
                    tr("Not queued: job %1 already covers dealer %2, %3, %4.")
                        .arg(job.id)
                        .arg(job.dealerId, job.fetchType, JobFormat::window(job.fromMs, job.toMs)),
                    MessageBar::Level::Warning);
                focusDealerId();
                return;
            }
            emit message(
                (runNext ? tr("Queued job %1: dealer %2, %3, %4, to run next.")
                         : tr("Queued job %1: dealer %2, %3, %4."))
                    .arg(job.id)
                    .arg(job.dealerId, job.fetchType, JobFormat::window(job.fromMs, job.toMs)),
                MessageBar::Level::Info);
            // Run next is for the one urgent job: the next one typed goes to the back again.
            m_runNext->setChecked(false);
            m_dealer->clear();
            m_dealer->setFocus();
        });
}
