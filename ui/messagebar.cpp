#include "messagebar.h"

#include "palettecolors.h"

#include <algorithm>

#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QTextLayout>
#include <QTimer>
#include <QToolButton>

namespace {

/// `text` cut to what `lines` lines of `width` pixels hold when word-wrapped, with an ellipsis.
QString elidedToLines(const QString &text, const QFont &font, int width, int lines)
{
    if (width <= 0 || lines < 1)
        return text;
    QTextLayout layout(text, font);
    layout.beginLayout();
    int count = 0;
    int lastStart = 0;
    bool more = false;
    for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
        line.setLineWidth(width);
        if (count == lines) {
            more = true;
            break;
        }
        lastStart = line.textStart();
        ++count;
    }
    layout.endLayout();
    if (!more)
        return text;
    return text.left(lastStart) +
           QFontMetrics(font).elidedText(text.mid(lastStart), Qt::ElideRight, width);
}

} // namespace

MessageBar::MessageBar(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel(this))
    , m_label(new QLabel(this))
    , m_close(new QToolButton(this))
    , m_hideTimer(new QTimer(this))
{
    setObjectName(QStringLiteral("messageBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_label->setObjectName(QStringLiteral("messageText"));
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Close this message"));
    connect(m_close, &QToolButton::clicked, this, &MessageBar::clear);
    m_hideTimer->setSingleShot(true);
    m_hideTimer->setInterval(10000);
    connect(m_hideTimer, &QTimer::timeout, this, &MessageBar::expire);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 3, 3, 3);
    layout->addWidget(m_icon);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_close);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    hide();
}

MessageBar::~MessageBar() = default;

void MessageBar::showMessage(const QString &text, Level level)
{
    m_message = text;
    m_messageLevel = level;
    m_text = text;
    display(level);
}

void MessageBar::showNotice(const QString &text, Level level)
{
    if (!m_shown || m_message.isEmpty()) {
        m_text = text;
        display(level);
        return;
    }
    m_text = m_message + QStringLiteral(" · ") + text;
    display(std::max(level, m_messageLevel));
}

void MessageBar::display(Level level)
{
    m_level = level;
    updateLabel();
    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    PaletteColors::Tone tone = PaletteColors::Tone::Info;
    switch (level) {
    case Level::Info:
        break;
    case Level::Warning:
        icon = QStyle::SP_MessageBoxWarning;
        tone = PaletteColors::Tone::Warning;
        break;
    case Level::Error:
        icon = QStyle::SP_MessageBoxCritical;
        tone = PaletteColors::Tone::Error;
        break;
    }
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize);
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(size, size));
    PaletteColors::setTone(this, tone);
    setShown(true);
    if (level == Level::Info)
        m_hideTimer->start();
    else
        m_hideTimer->stop();
}

void MessageBar::clear()
{
    m_hideTimer->stop();
    m_text.clear();
    m_message.clear();
    m_label->clear();
    m_label->setToolTip({});
    setShown(false);
}

void MessageBar::expire()
{
    clear();
}

void MessageBar::resizeEvent(QResizeEvent *event)
{
    QFrame::resizeEvent(event);
    updateLabel();
}

void MessageBar::setShown(bool shown)
{
    setVisible(shown);
    if (m_shown == shown)
        return;
    m_shown = shown;
    emit shownChanged();
}

void MessageBar::updateLabel()
{
    const QString shown = elidedToLines(m_text, m_label->font(), m_label->width(), 2);
    m_label->setText(shown);
    m_label->setToolTip(shown == m_text ? QString() : m_text);
}
