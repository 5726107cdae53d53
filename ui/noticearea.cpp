#include "noticearea.h"

#include "messagebar.h"

#include <QEvent>
#include <QLabel>
#include <QStyle>
#include <QVBoxLayout>

NoticeArea::NoticeArea(MessageBar *bar, QLabel *notice, QWidget *parent)
    : QWidget(parent)
    , m_bar(bar)
    , m_notice(notice)
{
    setObjectName(QStringLiteral("noticeArea"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_bar);
    layout->addWidget(m_notice);
    m_notice->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    m_notice->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    connect(m_bar, &MessageBar::shownChanged, this, &NoticeArea::updateShown);
    updateHeight();
    updateShown();
}

NoticeArea::~NoticeArea() = default;

void NoticeArea::updateShown()
{
    m_notice->setVisible(!m_bar->isShown() && !m_notice->text().isEmpty());
}

void NoticeArea::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateHeight();
}

void NoticeArea::updateHeight()
{
    // Two lines of text in the message bar's frame and margins, or its icon, whichever is more.
    const int text = 2 * fontMetrics().lineSpacing();
    const int icon = style()->pixelMetric(QStyle::PM_SmallIconSize);
    setFixedHeight(qMax(text, icon) + MessageBar::VerticalPadding);
}
