#pragma once

#include <QString>

/// Who made a change (SPEC §8): "window:USER@HOST", "cli:USER@HOST", "api:TOKEN_NAME",
/// "schedule:NAME". Jobs carry the actor that queued them in `created_by`.
namespace Actor {

/// `kind` ("window" or "cli") with this process's operating-system user and host.
QString local(const QString &kind);
inline QString window()
{
    return local(QStringLiteral("window"));
}
inline QString commandLine()
{
    return local(QStringLiteral("cli"));
}
inline QString apiToken(const QString &tokenName)
{
    return QStringLiteral("api:") + tokenName;
}
inline QString schedule(const QString &name)
{
    return QStringLiteral("schedule:") + name;
}

} // namespace Actor
