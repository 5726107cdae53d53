#include "tokencommands.h"

#include "appsetup.h"
#include "job/actor.h"
#include "job/timeformat.h"
#include "log/messagehandler.h"
#include "store/tokenstore.h"

#include <cstdio>

#include <QDateTime>

namespace {

void tell(const QString &line)
{
    std::fprintf(stderr, "%s%s\n", Logging::linePrefix(QtInfoMsg), qUtf8Printable(line));
    std::fflush(stderr);
}

int failed(const StoreError &error, const QString &option)
{
    printError(option + QStringLiteral(": ") + error.message);
    return error.kind == StoreError::Kind::ConnectionLost ? ExitDatabaseUnreachable : ExitBadInput;
}

} // namespace

int runTokenCommand(const AppSetup &setup, JobStore &store)
{
    const CommandLine &cli = setup.cli;
    TokenStore tokens(store);
    StoreError error;
    if (!cli.tokenAdd.isEmpty()) {
        const TokenRole role = tokenRoleFromString(cli.role).value_or(TokenRole::Read);
        const std::optional<QByteArray> token = tokens.add(
            cli.tokenAdd, role, Actor::commandLine(), QDateTime::currentMSecsSinceEpoch(), &error);
        if (!token)
            return failed(error, QStringLiteral("--token-add"));
        std::fprintf(stdout, "%s\n", token->constData());
        std::fflush(stdout);
        tell(QStringLiteral("added API token %1 (role %2); it is shown this once, keep it safe")
                 .arg(cli.tokenAdd, tokenRoleName(role)));
        return ExitOk;
    }
    if (cli.tokenList) {
        const std::optional<QVector<ApiTokenInfo>> all = tokens.tokens(&error);
        if (!all)
            return failed(error, QStringLiteral("--token-list"));
        for (const ApiTokenInfo &token : *all) {
            const QString line =
                QStringLiteral("%1\t%2\t%3\t%4\n")
                    .arg(token.name, tokenRoleName(token.role), formatTimestamp(token.createdMs),
                         token.lastUsedMs ? formatTimestamp(*token.lastUsedMs)
                                          : QStringLiteral("never"));
            std::fputs(qUtf8Printable(line), stdout);
        }
        std::fflush(stdout);
        return ExitOk;
    }
    if (!cli.tokenRevoke.isEmpty()) {
        if (!tokens.revoke(cli.tokenRevoke, Actor::commandLine(), &error))
            return failed(error, QStringLiteral("--token-revoke"));
        tell(QStringLiteral("revoked API token %1").arg(cli.tokenRevoke));
        return ExitOk;
    }
    return ExitOk;
}
