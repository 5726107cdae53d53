#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

/// What a named API token may do (SPEC §8): `read` makes GET calls only, `operate` every call.
enum class TokenRole
{
    Read,
    Operate
};

QString tokenRoleName(TokenRole role);
/// `read` or `operate` exactly; nothing otherwise.
std::optional<TokenRole> tokenRoleFromString(const QString &text);

/// A named API token as it is listed: never the token itself, which is shown once when made.
struct ApiTokenInfo
{
    QString name;
    TokenRole role = TokenRole::Read;
    qint64 createdMs = 0;
    QString createdBy;
    std::optional<qint64> lastUsedMs;
};

namespace ApiTokens {

/// The name the single token of SPEC §3/§4 goes by; no named token may take it.
inline const QString DefaultName = QStringLiteral("default");
/// What every named token begins with, so that one found in a file or a log is recognised.
inline const QByteArray Prefix = QByteArrayLiteral("dqt_");

/// Why `name` cannot name a token (1 to 64 of A-Z a-z 0-9 . _ -, not "default"), worded
/// `name: …`; empty when it can.
QString nameProblem(const QString &name);
/// A new token: Prefix and 32 bytes from the system's random generator, base64url (47
/// characters).
QByteArray generate();
/// 16 random bytes, hex: the salt of a token's stored hash.
QByteArray generateSalt();
/// The stored form of `token`: SHA-256 of the salt and the token, hex.
QByteArray hash(const QByteArray &salt, const QByteArray &token);

} // namespace ApiTokens
