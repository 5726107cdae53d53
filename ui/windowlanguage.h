#pragma once

#include <QLocale>
#include <QString>

/// The window's language (SPEC §9): installs dealerq's translation and Qt's own for a locale.
/// Only the window is translated; the command line, logs, exports and the REST API stay English.
namespace WindowLanguage {

/// What install() loaded: the files, empty where there was none.
struct Loaded
{
    QString dealerq; ///< `dealerq_<lang>.qm`, or `dealerq_en.qm` (English plural forms)
    QString qt;      ///< Qt's `qtbase_<lang>.qm`, for the standard buttons and dialogs
};

/// Replaces the translators a previous call installed with those for the first of
/// `locale.uiLanguages()` that dealerq has a translation for: on Unix, QLocale::system() lists
/// LANGUAGE's languages first, then LC_ALL, LC_MESSAGES and LANG. A language without one gets
/// English, with its plural forms ("1 job", "2 jobs"). dealerq's files are looked for in `dir`
/// (AppPaths::translationsDir(): `share/dealerq/translations` beside `bin/`, which the build
/// tree has too), Qt's in QLibraryInfo::TranslationsPath.
Loaded install(const QLocale &locale, const QString &dir);

} // namespace WindowLanguage
