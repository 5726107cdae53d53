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
/// The picker's value as prepareJobs() takes it: ISO 8601 local time with its offset
/// (`YYYY-MM-DDTHH:MM:SS+HH:MM`, `Z` at UTC), so that it names the very instant the picker holds.
QString text(const QDateTimeEdit *edit);

} // namespace WindowPickers
