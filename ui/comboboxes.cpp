#include "comboboxes.h"

#include <QAbstractItemView>
#include <QComboBox>
#include <QScrollBar>
#include <QStyle>

namespace ComboBoxes {

void fitPopupToItems(QComboBox *box)
{
    // The styles' own width hint for the list takes no account of the check column the popup
    // draws in front of every item: reserve it, the icon and the text.
    QAbstractItemView *list = box->view();
    const QFontMetrics metrics = list->fontMetrics();
    int widest = 0;
    for (int row = 0; row < box->count(); ++row) {
        const int icon = box->itemIcon(row).isNull() ? 0 : box->iconSize().width() + 4;
        widest = qMax(widest, metrics.horizontalAdvance(box->itemText(row)) + icon);
    }
    widest += 2 * qMax(20, metrics.height()) + 16 + 2 * list->frameWidth();
    if (box->count() > box->maxVisibleItems())
        widest += list->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, list);
    list->setMinimumWidth(widest);
}

} // namespace ComboBoxes
