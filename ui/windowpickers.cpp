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
    const QDateTime value = edit->dateTime();
    const int offset = value.offsetFromUtc();
    // With its offset: prepareJobs() refuses a wall time the clocks show twice (the hour
    // repeated when daylight saving ends) without one, yet the picker holds one of the two
    // instants. Old local mean times have offsets with seconds, which ISO 8601 cannot write;
    // they had no daylight saving, so their wall times are never ambiguous.
    if (offset % 60 != 0)
        return value.toString(Format);
    return value.toOffsetFromUtc(offset).toString(Qt::ISODate);
}

} // namespace WindowPickers
