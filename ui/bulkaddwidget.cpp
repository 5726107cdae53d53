#include "bulkaddwidget.h"

#include "job/jobrequest.h"
#include "jobformat.h"
#include "queue/jobqueue.h"
#include "windowpickers.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSet>
#include <QShortcut>
#include <QTextBlock>
#include <QTimer>
#include <QVBoxLayout>

namespace {

constexpr int MaxMarked = 500;
constexpr int MaxReasonsShown = 5;

/// The separators of a dealer ID list, as a block of the box's document holds them: a line
/// break inside a block is U+2028 there, where toPlainText() (which the parse reads) has '\n'.
bool isSeparator(QChar c)
{
    return isDealerIdSeparator(c) || c == QChar::ParagraphSeparator || c == QChar::LineSeparator;
}

} // namespace

BulkAddWidget::BulkAddWidget(JobQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_text(new QPlainTextEdit(this))
    , m_counts(new QLabel(this))
    , m_invalid(new QLabel(this))
    , m_split(new QLabel(this))
    , m_type(new QComboBox(this))
    , m_from(WindowPickers::createFrom(this))
    , m_to(WindowPickers::createTo(this))
    , m_runNext(new QCheckBox(tr("Run next"), this))
    , m_queueButton(new QPushButton(this))
    , m_debounce(new QTimer(this))
{
    setObjectName(QStringLiteral("bulkAdd"));
    m_text->setObjectName(QStringLiteral("bulkText"));
    m_counts->setObjectName(QStringLiteral("bulkCounts"));
    m_invalid->setObjectName(QStringLiteral("bulkInvalid"));
    m_type->setObjectName(QStringLiteral("bulkTypeCombo"));
    m_from->setObjectName(QStringLiteral("bulkFromEdit"));
    m_to->setObjectName(QStringLiteral("bulkToEdit"));
    m_runNext->setObjectName(QStringLiteral("bulkRunNextCheck"));
    m_queueButton->setObjectName(QStringLiteral("bulkQueueButton"));

    m_text->setPlaceholderText(
        tr("Paste dealer IDs: one per line, or separated by commas, semicolons, tabs or spaces"));
    m_text->setTabChangesFocus(true);
    // No wrapping: Qt wraps a line with no break opportunity in it (a 1 MB paste, a long
    // comma-separated list) in quadratic time, which froze the window for minutes.
    m_text->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_counts->setTextFormat(Qt::PlainText);
    m_invalid->setTextFormat(Qt::PlainText);
    m_invalid->setWordWrap(true);
    m_invalid->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette pal = m_invalid->palette();
    pal.setColor(QPalette::WindowText, JobFormat::statusColor(JobStatus::Failed));
    m_invalid->setPalette(pal);
    m_invalid->hide();
    m_split->setObjectName(QStringLiteral("bulkSplitWarning"));
    m_split->setTextFormat(Qt::PlainText);
    m_split->setWordWrap(true);
    m_split->hide();
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
    layout->addWidget(m_text, 1);
    layout->addWidget(m_counts);
    layout->addWidget(m_invalid);
    layout->addWidget(m_split);
    layout->addLayout(form);
    layout->addWidget(m_queueButton, 0, Qt::AlignRight);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_debounce, &QTimer::timeout, this, &BulkAddWidget::parseNow);
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] {
        m_stale = true;
        m_debounce->start();
        // Until the check runs, a click checks first and then queues.
        m_queueButton->setEnabled(!m_busy && !m_text->document()->isEmpty());
    });
    connect(m_queueButton, &QPushButton::clicked, this, &BulkAddWidget::queueAll);
    auto *queueShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), m_text);
    queueShortcut->setContext(Qt::WidgetShortcut);
    connect(queueShortcut, &QShortcut::activated, this, &BulkAddWidget::queueAll);
    parseNow();
}

BulkAddWidget::~BulkAddWidget() = default;

void BulkAddWidget::pasteText(const QString &text)
{
    m_text->setPlainText(text);
    parseNow();
    if (m_queueButton->isEnabled())
        m_queueButton->setFocus(Qt::ShortcutFocusReason);
    else
        m_text->setFocus(Qt::ShortcutFocusReason);
}

void BulkAddWidget::parseNow()
{
    m_debounce->stop();
    m_stale = false;
    m_parsed = parseDealerIdText(m_text->toPlainText());
    m_counts->setText(tr("%1 valid · %2 duplicate · %3 invalid")
                          .arg(JobFormat::count(m_parsed.valid.size()),
                               JobFormat::count(m_parsed.duplicates.size()),
                               JobFormat::count(m_parsed.invalid.size())));
    if (m_parsed.invalid.isEmpty()) {
        m_invalid->clear();
        m_invalid->hide();
    } else {
        QStringList reasons;
        for (int i = 0; i < m_parsed.invalid.size() && i < MaxReasonsShown; ++i)
            reasons << m_parsed.invalid.at(i).reason;
        if (m_parsed.invalid.size() > MaxReasonsShown)
            reasons << tr("… and %1 more, underlined in the text")
                           .arg(JobFormat::count(m_parsed.invalid.size() - MaxReasonsShown));
        m_invalid->setText(tr("Not queued: %1").arg(reasons.join(QLatin1Char('\n'))));
        m_invalid->show();
    }
    scanText();
    updateButton();
    emit parsedChanged();
}

void BulkAddWidget::scanText()
{
    // One pass over the box's lines: marks on the invalid IDs and on repeats, and the lines
    // whose IDs are apart by spaces only where the other lines hold one ID each (a spreadsheet
    // cell "12 34").
    QSet<QString> invalid;
    for (const DealerIdList::Invalid &bad : std::as_const(m_parsed.invalid))
        invalid.insert(bad.id);
    QTextCharFormat invalidFormat;
    invalidFormat.setUnderlineStyle(QTextCharFormat::WaveUnderline);
    invalidFormat.setUnderlineColor(JobFormat::statusColor(JobStatus::Failed));
    invalidFormat.setBackground(QColor(0xfd, 0xe3, 0xe3));
    QTextCharFormat repeatFormat;
    repeatFormat.setFontStrikeOut(true);
    repeatFormat.setForeground(QColor(0x75, 0x75, 0x75));
    QTextCharFormat splitFormat;
    splitFormat.setBackground(QColor(0xff, 0xf4, 0xd6));
    splitFormat.setProperty(QTextFormat::FullWidthSelection, true);

    QList<QTextEdit::ExtraSelection> marks;
    QList<QTextEdit::ExtraSelection> splitMarks;
    const auto mark = [](const QTextBlock &block, int from, int to, const QTextCharFormat &format) {
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(block);
        selection.cursor.setPosition(block.position() + from);
        selection.cursor.setPosition(block.position() + to, QTextCursor::KeepAnchor);
        selection.format = format;
        return selection;
    };
    QSet<QString> seen;
    int lines = 0;
    int singleLines = 0;
    m_splitLines.clear();
    for (QTextBlock block = m_text->document()->begin(); block.isValid(); block = block.next()) {
        const QString line = block.text();
        int ids = 0;
        int start = 0;
        while (start < line.size()) {
            while (start < line.size() && isSeparator(line.at(start)))
                ++start;
            int end = start;
            while (end < line.size() && !isSeparator(line.at(end)))
                ++end;
            if (end > start) {
                ++ids;
                const QString id = line.mid(start, end - start);
                if (marks.size() < MaxMarked) {
                    if (invalid.contains(id))
                        marks << mark(block, start, end, invalidFormat);
                    else if (seen.contains(id))
                        marks << mark(block, start, end, repeatFormat);
                }
                seen.insert(id);
            }
            start = end;
        }
        if (ids == 0)
            continue;
        ++lines;
        if (ids == 1)
            ++singleLines;
        // Commas, semicolons and tabs list IDs on purpose; only spaces split a cell by accident.
        const bool spacesOnly = std::none_of(line.begin(), line.end(), [](QChar c) {
            return c == QLatin1Char(',') || c == QLatin1Char(';') || c == QLatin1Char('\t');
        });
        if (ids > 1 && spacesOnly && m_splitLines.size() < MaxMarked) {
            m_splitLines.push_back({block.blockNumber() + 1, line.trimmed(), ids});
            splitMarks << mark(block, 0, 0, splitFormat);
        }
    }
    // Only where the paste is one ID per line does a line of several look like a mistake.
    if (lines < 2 || singleLines * 2 < lines) {
        m_splitLines.clear();
        splitMarks.clear();
    }
    m_text->setExtraSelections(splitMarks + marks);

    if (m_splitLines.isEmpty()) {
        m_split->clear();
        m_split->hide();
        return;
    }
    m_split->setText(splitText() + QLatin1Char(' ') + tr("Queuing asks first."));
    m_split->show();
}

QString BulkAddWidget::splitText() const
{
    const SplitLine &first = m_splitLines.first();
    if (m_splitLines.size() == 1)
        return tr("Line %1 (\"%2\") splits into %3 dealer IDs, while the other lines hold one "
                  "each.")
            .arg(first.number)
            .arg(printableText(first.text), QString::number(first.ids));
    return tr("%1 lines split into several dealer IDs (the first: line %2, \"%3\"), while the "
              "other lines hold one each.")
        .arg(JobFormat::count(m_splitLines.size()))
        .arg(first.number)
        .arg(printableText(first.text));
}

void BulkAddWidget::updateButton()
{
    const int valid = int(m_parsed.valid.size());
    m_queueButton->setText(
        valid == 0 ? tr("Queue jobs")
                   : tr("Queue %1").arg(JobFormat::counted(valid, QStringLiteral("job"))));
    m_queueButton->setEnabled(valid > 0 && !m_busy);
}

void BulkAddWidget::queueAll()
{
    if (m_busy)
        return;
    if (m_stale)
        parseNow();
    if (m_parsed.valid.isEmpty()) {
        emit message(m_parsed.invalid.isEmpty()
                         ? tr("Nothing to queue: paste some dealer IDs first.")
                         : tr("Nothing to queue: every ID is invalid."),
                     MessageBar::Level::Warning);
        return;
    }
    if (m_splitLines.isEmpty()) {
        queueParsed();
        return;
    }
    // A line of several IDs among lines of one: ask before queuing them apart.
    auto *box = new QMessageBox(QMessageBox::Question, tr("Queue IDs split from one line?"),
                                splitText() + QLatin1Char(' ') + tr("Queue them as separate IDs?"),
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
            m_text->setFocus();
    });
    box->open();
}

void BulkAddWidget::queueParsed()
{
    if (m_busy || m_stale || m_parsed.valid.isEmpty())
        return;
    JobRequest request;
    request.dealerIds = m_parsed.valid;
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
    for (const DealerIdList::Invalid &bad : std::as_const(m_parsed.invalid))
        invalidIds << bad.id;
    // Read-only until the answer: what it leaves in the box (the invalid IDs) replaces the text,
    // and must not replace anything typed meanwhile.
    m_busy = true;
    m_text->setReadOnly(true);
    updateButton();
    m_queue->addMany(
        this, ids, common, [this, invalidIds](QueueResult<BulkOutcome> result) {
            m_busy = false;
            m_text->setReadOnly(false);
            updateButton();
            if (!result.ok()) {
                emit storeFailed(result.error);
                emit message(tr("Nothing queued: %1").arg(result.error.message),
                             MessageBar::Level::Error);
                return;
            }
            const BulkOutcome &outcome = *result.value;
            QString text =
                tr("Queued %1.")
                    .arg(JobFormat::counted(outcome.jobIds.size(), QStringLiteral("job")));
            if (!outcome.skipped.isEmpty()) {
                QStringList covered;
                for (int i = 0; i < outcome.skipped.size() && i < MaxReasonsShown; ++i) {
                    const BulkOutcome::Skipped &skip = outcome.skipped.at(i);
                    covered << tr("%1 as job %2").arg(skip.dealerId).arg(skip.existingJobId);
                }
                if (outcome.skipped.size() > MaxReasonsShown)
                    covered << tr("…");
                text += QLatin1Char(' ') + tr("Skipped %1 already queued (%2).")
                                               .arg(JobFormat::count(outcome.skipped.size()),
                                                    covered.join(QStringLiteral(", ")));
            }
            if (!invalidIds.isEmpty())
                text +=
                    QLatin1Char(' ') +
                    tr("%1 not queued: left in the box to be corrected.")
                        .arg(JobFormat::counted(invalidIds.size(), QStringLiteral("invalid ID")));
            emit message(text, outcome.skipped.isEmpty() && invalidIds.isEmpty()
                                   ? MessageBar::Level::Info
                                   : MessageBar::Level::Warning);
            m_text->setPlainText(invalidIds.join(QLatin1Char('\n')));
            parseNow();
        });
}
