#pragma once

class QDateTimeEdit;
class QString;
class QWidget;

/// The from/to pickers of the add forms: local date and time with a calendar, today's
/// 00:00:00 to 23:59:59 by default.
namespace WindowPickers {

QDateTimeEdit *createFrom(QWidget *parent);
QDateTimeEdit *createTo(QWidget *parent);
/// Back to today's whole day.
void resetToToday(QDateTimeEdit *from, QDateTimeEdit *to);
/// The picker's value as prepareJobs() takes it (`YYYY-MM-DD HH:MM:SS`, local time).
QString text(const QDateTimeEdit *edit);

} // namespace WindowPickers
