#include "job/actor.h"

#include <QSysInfo>

#include <pwd.h>
#include <unistd.h>

namespace {

QString userName()
{
    // The account, not $USER: a shell can set that to anything.
    if (const passwd *pw = getpwuid(geteuid()); pw && pw->pw_name && *pw->pw_name)
        return QString::fromLocal8Bit(pw->pw_name);
    return QStringLiteral("uid%1").arg(geteuid());
}

} // namespace

QString Actor::local(const QString &kind)
{
    static const QString userAtHost = userName() + QLatin1Char('@') + QSysInfo::machineHostName();
    return kind + QLatin1Char(':') + userAtHost;
}
