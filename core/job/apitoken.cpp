#include "job/apitoken.h"

#include "job/validation.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

QString tokenRoleName(TokenRole role)
{
    return role == TokenRole::Operate ? QStringLiteral("operate") : QStringLiteral("read");
}

std::optional<TokenRole> tokenRoleFromString(const QString &text)
{
    if (text == QLatin1String("read"))
        return TokenRole::Read;
    if (text == QLatin1String("operate"))
        return TokenRole::Operate;
    return std::nullopt;
}

namespace {

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()),
                                          count / int(sizeof(quint32)));
    return bytes;
}

} // namespace

namespace ApiTokens {

QString nameProblem(const QString &name)
{
    if (name.isEmpty())
        return QStringLiteral("name: a token needs a name");
    if (name.size() > 64)
        return QStringLiteral("name: %1 characters; a token's name has at most 64")
            .arg(name.size());
    for (const QChar c : name) {
        const bool allowed = (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                             (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
                             (c >= QLatin1Char('0') && c <= QLatin1Char('9')) ||
                             c == QLatin1Char('.') || c == QLatin1Char('_') ||
                             c == QLatin1Char('-');
        if (!allowed)
            return QStringLiteral("name: \"%1\" holds a character other than A-Z, a-z, 0-9, "
                                  "'.', '_' and '-'")
                .arg(printableText(name));
    }
    if (name == DefaultName)
        return QStringLiteral("name: \"default\" is the single API token of --api-token; "
                              "choose another name");
    return {};
}

QByteArray generate()
{
    return Prefix +
           randomBytes(32).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray generateSalt()
{
    return randomBytes(16).toHex();
}

QByteArray hash(const QByteArray &salt, const QByteArray &token)
{
    return QCryptographicHash::hash(salt + token, QCryptographicHash::Sha256).toHex();
}

} // namespace ApiTokens
