#include "runwindow.h"

#include "appsetup.h"

int runWindow(AppSetup &)
{
    printError(QStringLiteral("this build has no window yet: run with --headless"));
    return ExitBadInput;
}
