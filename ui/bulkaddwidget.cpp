#include "bulkaddwidget.h"

#include "dealeridlistedit.h"
#include "job/jobrequest.h"
#include "jobformat.h"
#include "queue/jobqueue.h"
#include "windowpickers.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace {

constexpr int MaxReasonsShown = 5;

} // namespace

BulkAddWidget::BulkAddWidget(JobQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_ids(new DealerIdListEdit(QStringLiteral("bulk"), this))
    , m_type(new QComboBox(this))
    , m_from(WindowPickers::createFrom(this))
    , m_to(WindowPickers::createTo(this))
    , m_runNext(new QCheckBox(tr("Run next"), this))
    , m_queueButton(new QPushButton(this))
{
    setObjectName(QStringLiteral("bulkAdd"));
    m_type->setObjectName(QStringLiteral("bulkTypeCombo"));
    m_from->setObjectName(QStringLiteral("bulkFromEdit"));
    m_to->setObjectName(QStringLiteral("bulkToEdit"));
    m_runNext->setObjectName(QStringLiteral("bulkRunNextCheck"));
    m_queueButton->setObjectName(QStringLiteral("bulkQueueButton"));

    m_ids->setInvalidText(tr("Not queued: %1"));
    m_ids->setSplitNote(tr("Queuing asks first."));
    m_type->addItems(m_queue->config().fetchTypes);
    m_queueButton->setIcon(JobFormat::statusIcon(JobStatus::Queued));
    m_queueButton->setAutoDefault(true); // Enter on the focused button queues
    m_queueButton->setToolTip(tr("Queue every valid ID in the pasted order (Ctrl+Return)"));

    auto *form = new QFormLayout;
    form->addRow(tr("T&ype:"), m_type);
    form->addRow(tr("Fro&m:"), m_from);
    form->addRow(tr("To:"), m_to);
    form->addRow(QString(), m_runNext);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_ids, 1);
    layout->addLayout(form);
    layout->addWidget(m_queueButton, 0, Qt::AlignRight);

    connect(m_ids, &DealerIdListEdit::textEdited, this, [this] {
        // Until the check runs, a click checks first and then queues.
        m_queueButton->setEnabled(!m_busy && !m_ids->textEdit()->document()->isEmpty());
    });
    connect(m_ids, &DealerIdListEdit::parsedChanged, this, [this] {
        updateButton();
        emit parsedChanged();
    });
    connect(m_queueButton, &QPushButton::clicked, this, &BulkAddWidget::queueAll);
    auto *queueShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_ids->textEdit());
    queueShortcut->setContext(Qt::WidgetShortcut);
    connect(queueShortcut, &QShortcut::activated, this, &BulkAddWidget::queueAll);
    m_ids->parseNow();
}

BulkAddWidget::~BulkAddWidget() = default;

const DealerIdList &BulkAddWidget::parsed() const
{
    return m_ids->parsed();
}

void BulkAddWidget::pasteText(const QString &text)
{
    m_ids->setText(text);
    if (m_queueButton->isEnabled())
        m_queueButton->setFocus(Qt::ShortcutFocusReason);
    else
        m_ids->textEdit()->setFocus(Qt::ShortcutFocusReason);
}

void BulkAddWidget::updateButton()
{
    const int valid = int(m_ids->parsed().valid.size());
    m_queueButton->setText(valid == 0 ? tr("Queue jobs") : tr("Queue %Ln job(s)", nullptr, valid));
    m_queueButton->setEnabled(valid > 0 && !m_busy);
}

void BulkAddWidget::queueAll()
{
    if (m_busy)
        return;
    if (m_ids->isStale())
        m_ids->parseNow();
    const DealerIdList &parsed = m_ids->parsed();
    if (parsed.valid.isEmpty()) {
        emit message(parsed.invalid.isEmpty() ? tr("Nothing to queue: paste some dealer IDs first.")
                                              : tr("Nothing to queue: every ID is invalid."),
                     MessageBar::Level::Warning);
        return;
    }
    if (!m_ids->hasSplitLines()) {
        queueParsed();
        return;
    }
    // A line of several IDs among lines of one: ask before queuing them apart.
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("Queue IDs split from one line?"),
                        m_ids->splitText() + QLatin1Char(' ') + tr("Queue them as separate IDs?"),
                        QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("splitConfirmation"));
    QPushButton *queue = box->addButton(tr("Queue Them Apart"), QMessageBox::AcceptRole);
    queue->setObjectName(QStringLiteral("queueSplitButton"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, queue] {
        if (box->clickedButton() == queue)
            queueParsed();
        else
            m_ids->textEdit()->setFocus();
    });
    box->open();
}

void BulkAddWidget::queueParsed()
{
    const DealerIdList &parsed = m_ids->parsed();
    if (m_busy || m_ids->isStale() || parsed.valid.isEmpty())
        return;
    JobRequest request;
    request.dealerIds = parsed.valid;
    request.fetchType = m_type->currentText();
    request.from = WindowPickers::text(m_from);
    request.to = WindowPickers::text(m_to);
    request.runNext = m_runNext->isChecked();
    request.partial = true;
    QVector<FieldError> errors;
    const std::optional<PreparedJobs> prepared = prepareJobs(
        request, m_queue->config().fetchTypes, QDateTime::currentMSecsSinceEpoch(), &errors);
    if (!prepared) {
        QStringList reasons;
        for (const FieldError &error : std::as_const(errors))
            reasons << error.message;
        emit message(tr("Nothing queued: %1").arg(reasons.join(QStringLiteral("; "))),
                     MessageBar::Level::Error);
        return;
    }
    const QStringList ids = prepared->dealerIds;
    const NewJob common = prepared->common;
    QStringList invalidIds;
    for (const DealerIdList::Invalid &bad : std::as_const(parsed.invalid))
        invalidIds << bad.id;
    // Read-only until the answer: what it leaves in the box (the invalid IDs) replaces the text,
    // and must not replace anything typed meanwhile.
    m_busy = true;
    m_ids->setReadOnly(true);
    updateButton();
    m_queue->addMany(
        this, ids, common, [this, invalidIds](QueueResult<BulkOutcome> result) {
            m_busy = false;
            m_ids->setReadOnly(false);
            updateButton();
            if (!result.ok()) {
                emit storeFailed(result.error);
                emit message(tr("Nothing queued: %1").arg(result.error.message),
                             MessageBar::Level::Error);
                return;
            }
            const BulkOutcome &outcome = *result.value;
            // Run next is for these urgent jobs: the next paste goes to the back again.
            m_runNext->setChecked(false);
            QString text = tr("Queued %Ln job(s).", nullptr, int(outcome.jobIds.size()));
            if (!outcome.skipped.isEmpty()) {
                QStringList covered;
                for (int i = 0; i < outcome.skipped.size() && i < MaxReasonsShown; ++i) {
                    const BulkOutcome::Skipped &skip = outcome.skipped.at(i);
                    covered << tr("%1 as job %2").arg(skip.dealerId).arg(skip.existingJobId);
                }
                if (outcome.skipped.size() > MaxReasonsShown)
                    covered << tr("…");
                text += QLatin1Char(' ') +
                        tr("Skipped %Ln already queued (%1).", nullptr, int(outcome.skipped.size()))
                            .arg(covered.join(QStringLiteral(", ")));
            }
            if (!invalidIds.isEmpty())
                text += QLatin1Char(' ') +
                        tr("%Ln invalid ID(s) not queued: left in the box to be corrected.",
                           nullptr, int(invalidIds.size()));
            emit message(text, outcome.skipped.isEmpty() && invalidIds.isEmpty()
                                   ? MessageBar::Level::Info
                                   : MessageBar::Level::Warning);
            m_ids->setText(invalidIds.join(QLatin1Char('\n')));
        });
}
