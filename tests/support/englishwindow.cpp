// Linked into the window tests: they read the window as an English-speaking user sees it, with
// the translators runWindow() installs (WindowLanguage), so that "%n job(s)" reads "1 job" and
// "2 jobs" as in the program; CTest runs them with LANGUAGE=en.
#include "config/apppaths.h"
#include "windowlanguage.h"

#include <QCoreApplication>

namespace {

void installEnglish()
{
    WindowLanguage::install(QLocale(QLocale::English), AppPaths::translationsDir());
}

} // namespace

Q_COREAPP_STARTUP_FUNCTION(installEnglish)
