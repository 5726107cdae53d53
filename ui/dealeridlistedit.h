#pragma once

#include "job/validation.h"

#include <QVector>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTimer;

/// A box to paste dealer IDs into (separated by newlines, commas, semicolons, tabs or spaces),
/// shared by the bulk add box and the schedule dialog. Counts valid, duplicate and invalid IDs
/// as the text changes (debounced, so that a paste of 10,000 IDs never stalls typing),
/// underlines the invalid ones with their reasons below, strikes out repeats, and points at a
/// line that splits into several IDs where the others hold one each (a spreadsheet cell
/// "12 34"). It is named after the prefix it is given, its children `PREFIXText`,
/// `PREFIXCounts`, `PREFIXInvalid` and `PREFIXSplitWarning`.
class DealerIdListEdit final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DealerIdListEdit)

public:
    DealerIdListEdit(const QString &objectPrefix, QWidget *parent = nullptr);
    ~DealerIdListEdit() override;

    QPlainTextEdit *textEdit() const { return m_text; }
    QString text() const;
    /// Replaces the text and checks it at once.
    void setText(const QString &text);
    void setReadOnly(bool readOnly);
    /// What the invalid IDs' reasons are introduced with: "%1" is the reasons, one a line.
    void setInvalidText(const QString &format) { m_invalidFormat = format; }
    /// What follows the split-line warning ("Queuing asks first.").
    void setSplitNote(const QString &note) { m_splitNote = note; }

    /// Checks the text now (instead of after the debounce).
    void parseNow();
    /// True while the text changed since the latest check.
    bool isStale() const { return m_stale; }
    /// The latest check of the text.
    const DealerIdList &parsed() const { return m_parsed; }
    /// True when a line splits into several IDs where the other lines hold one each.
    bool hasSplitLines() const { return !m_splitLines.isEmpty(); }
    /// What the split lines are, in one sentence (when hasSplitLines()).
    QString splitText() const;

signals:
    /// The text changed; parsedChanged() follows after the debounce.
    void textEdited();
    /// The text was checked.
    void parsedChanged();

private:
    /// A line that holds several IDs where the other lines hold one each.
    struct SplitLine
    {
        int number = 0; ///< from 1
        QString text;
        int ids = 0;
    };

    /// Marks invalid IDs and repeats in the text and finds the split lines.
    void scanText();

    QPlainTextEdit *m_text = nullptr;
    QLabel *m_counts = nullptr;
    QLabel *m_invalid = nullptr;
    QLabel *m_split = nullptr;
    QTimer *m_debounce = nullptr;
    QString m_invalidFormat;
    QString m_splitNote;
    DealerIdList m_parsed;
    QVector<SplitLine> m_splitLines;
    bool m_stale = false;
};
