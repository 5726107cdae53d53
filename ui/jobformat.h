#pragma once

#include "job/job.h"

#include <optional>

#include <QColor>
#include <QIcon>
#include <QString>

/// How jobs look in the window: times, windows, durations, status colours and icons. Times in
/// the window are local and to the second; what leaves the program uses formatTimestamp(). The
/// words are translated in the context "JobFormat" (QCoreApplication::translate).
namespace JobFormat {

/// `2025-06-12 09:31:00` in local time; empty for 0 (unset).
QString dateTime(qint64 msecsSinceEpoch);
/// The window a job fetches: `2025-06-12` for one whole day, `2025-06-01 – 2025-06-12` for
/// whole days, otherwise both bounds to the second.
QString window(qint64 fromMs, qint64 toMs);
/// `0.4 s`, `12.3 s`, `2 min 05 s`, `1 h 02 min`; empty when there is none.
QString duration(std::optional<double> seconds);
/// A whole number with the thousands separators of the window's locale (`1,240`, `1.240`).
/// A number with its noun is one translated sentence with a plural form instead:
/// `tr("Queued %Ln job(s).", nullptr, n)` (`%Ln` formats n as this does).
QString count(qint64 value);
/// `Queued`, `Running`, ... for people, translated.
QString statusText(JobStatus status);
/// What an error category means, in words an operator can act on ("Not found: the dealer API
/// does not know this dealer or type"); empty for none.
QString errorCategoryText(ErrorCategory category);
/// The colour a status's text is drawn in on the application's palette (PaletteColors, readable
/// on light and dark ones); invalid for the default text colour.
QColor statusColor(JobStatus status);
/// A small round icon in the status colour, with a mark for finished states.
QIcon statusIcon(JobStatus status);
/// The application icon (also in resources/ as dealerq.svg and dealerq.png).
QIcon applicationIcon();

} // namespace JobFormat
