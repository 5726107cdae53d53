#pragma once

#include "job/insight.h"
#include "job/job.h"

#include <functional>

#include <QColor>
#include <QPalette>

class QWidget;

/// The window's own colours (status text, message and banner backgrounds), derived from the
/// palette in use so that they read on a light and on a dark one alike: a light or a dark
/// variant by the palette's window lightness, then moved until the text has a WCAG contrast
/// of at least 4.5:1 on the backgrounds it is drawn on. Widgets coloured through set*()
/// follow later palette changes (the desktop's, or the [window] palette setting).
namespace PaletteColors {

/// Kinds of notice, each with a tinted background.
enum class Tone
{
    Info,
    Warning,
    Error,
    Demo,
};

/// WCAG 2 contrast ratio of two colours, 1 to 21.
double contrast(const QColor &a, const QColor &b);
/// True when the palette's window is dark (a dark theme).
bool isDark(const QPalette &palette);
/// `color` made lighter or darker as needed to reach `ratio` against every one of `backgrounds`.
QColor readable(const QColor &color, const QList<QColor> &backgrounds, double ratio = 4.5);

/// Text colour of a job status on the palette's window, base and alternate base; invalid for
/// Queued (the palette's own text colour).
QColor statusColor(JobStatus status, const QPalette &palette);
/// Text colour of a dealer's and type's freshness (SPEC §10): fresh as completed, stale as a
/// paused queue (amber), failing as failed, never muted.
QColor freshnessColor(CoverageState state, const QPalette &palette);
/// Text colour of a paused queue.
QColor pausedColor(const QPalette &palette);
/// Greyed text (a disabled schedule, a repeated ID), still readable.
QColor mutedColor(const QPalette &palette);
QColor toneBackground(Tone tone, const QPalette &palette);
/// The palette's window text on `toneBackground`, or black or white where that reads better.
QColor toneText(Tone tone, const QPalette &palette);

/// Sets the widget's window text to `color(palette)` now and whenever its palette changes.
void setTextColor(QWidget *widget, std::function<QColor(const QPalette &)> color);
/// The same for a job status's colour.
void setStatusText(QWidget *widget, JobStatus status);
/// Fills the widget with the tone's background and text, now and whenever the palette changes
/// (taken from its parent, as its own holds the tone).
void setTone(QWidget *widget, Tone tone);
/// Back to the colours the widget inherits, following palette changes no longer.
void resetColors(QWidget *widget);
/// Calls `apply` now and again whenever the widget's palette changes (not for its own changes).
/// A later call for the same widget replaces the earlier one.
void follow(QWidget *widget, std::function<void()> apply);

/// The `[window] palette` setting's values: "system" (the desktop's), "light", "dark".
QStringList paletteChoices();
/// Fusion's light palette, and a dark one of the same design.
QPalette lightPalette();
QPalette darkPalette();
/// Applies a `[window] palette` value to the application; "system" restores the desktop's
/// palette (only if another one was set before, so that a default start changes nothing).
void applyPaletteChoice(const QString &choice);

} // namespace PaletteColors
