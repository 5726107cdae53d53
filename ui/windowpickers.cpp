#include "windowpickers.h"

#include <QDateTimeEdit>

namespace {

const QString Format = QStringLiteral("yyyy-MM-dd HH:mm:ss");

QDateTimeEdit *create(QWidget *parent, const QTime &time)
{
    auto *edit = new QDateTimeEdit(QDateTime(QDate::currentDate(), time), parent);
    edit->setCalendarPopup(true);
    edit->setDisplayFormat(Format);
    edit->setTimeSpec(Qt::LocalTime);
    return edit;
}

} // namespace

namespace WindowPickers {

QDateTimeEdit *createFrom(QWidget *parent)
{
    return create(parent, QTime(0, 0, 0));
}

QDateTimeEdit *createTo(QWidget *parent)
{
    return create(parent, QTime(23, 59, 59));
}

void resetToToday(QDateTimeEdit *from, QDateTimeEdit *to)
{
    from->setDateTime(QDateTime(QDate::currentDate(), QTime(0, 0, 0)));
    to->setDateTime(QDateTime(QDate::currentDate(), QTime(23, 59, 59)));
}

QString text(const QDateTimeEdit *edit)
{
    return edit->dateTime().toString(Format);
}

} // namespace WindowPickers
