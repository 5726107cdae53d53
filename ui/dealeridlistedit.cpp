#include "dealeridlistedit.h"

#include "jobformat.h"
#include "palettecolors.h"

#include <algorithm>

#include <QLabel>
#include <QPlainTextEdit>
#include <QSet>
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

DealerIdListEdit::DealerIdListEdit(const QString &objectPrefix, QWidget *parent)
    : QWidget(parent)
    , m_text(new QPlainTextEdit(this))
    , m_counts(new QLabel(this))
    , m_invalid(new QLabel(this))
    , m_split(new QLabel(this))
    , m_debounce(new QTimer(this))
    , m_invalidFormat(tr("Invalid: %1"))
{
    setObjectName(objectPrefix);
    m_text->setObjectName(objectPrefix + QStringLiteral("Text"));
    m_counts->setObjectName(objectPrefix + QStringLiteral("Counts"));
    m_invalid->setObjectName(objectPrefix + QStringLiteral("Invalid"));
    m_split->setObjectName(objectPrefix + QStringLiteral("SplitWarning"));

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
    PaletteColors::setStatusText(m_invalid, JobStatus::Failed);
    m_invalid->hide();
    m_split->setTextFormat(Qt::PlainText);
    m_split->setWordWrap(true);
    m_split->hide();
    // A word longer than the panel (a pasted line with nothing to break at, quoted) must not
    // widen the panel over the queue: the notes take the width they are given.
    for (QLabel *note : {m_invalid, m_split})
        note->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_counts);
    layout->addWidget(m_invalid);
    layout->addWidget(m_split);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_debounce, &QTimer::timeout, this, &DealerIdListEdit::parseNow);
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] {
        m_stale = true;
        m_debounce->start();
        emit textEdited();
    });
    // The marks' colours follow the palette.
    PaletteColors::follow(m_text, [this] { scanText(); });
}

DealerIdListEdit::~DealerIdListEdit() = default;

QString DealerIdListEdit::text() const
{
    return m_text->toPlainText();
}

void DealerIdListEdit::setText(const QString &text)
{
    m_text->setPlainText(text);
    parseNow();
}

void DealerIdListEdit::setReadOnly(bool readOnly)
{
    m_text->setReadOnly(readOnly);
}

void DealerIdListEdit::parseNow()
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
        m_invalid->setText(m_invalidFormat.arg(reasons.join(QLatin1Char('\n'))));
        m_invalid->show();
    }
    scanText();
    emit parsedChanged();
}

void DealerIdListEdit::scanText()
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
    const QPalette palette = m_text->palette();
    invalidFormat.setBackground(PaletteColors::toneBackground(PaletteColors::Tone::Error, palette));
    invalidFormat.setForeground(PaletteColors::toneText(PaletteColors::Tone::Error, palette));
    QTextCharFormat repeatFormat;
    repeatFormat.setFontStrikeOut(true);
    repeatFormat.setForeground(PaletteColors::mutedColor(palette));
    QTextCharFormat splitFormat;
    splitFormat.setBackground(PaletteColors::toneBackground(PaletteColors::Tone::Warning, palette));
    splitFormat.setForeground(PaletteColors::toneText(PaletteColors::Tone::Warning, palette));
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
    m_split->setText(m_splitNote.isEmpty() ? splitText()
                                           : splitText() + QLatin1Char(' ') + m_splitNote);
    m_split->show();
}

QString DealerIdListEdit::splitText() const
{
    if (m_splitLines.isEmpty())
        return {};
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
