#include "store/tokenstore.h"

#include "job/audit.h"
#include "job/validation.h"
#include "store/jobstore.h"

#include <QSqlQuery>
#include <QVariant>

namespace {

ApiTokenInfo infoFromQuery(const QSqlQuery &q)
{
    ApiTokenInfo info;
    info.name = q.value(0).toString();
    info.role = tokenRoleFromString(q.value(1).toString()).value_or(TokenRole::Read);
    info.createdMs = q.value(2).toLongLong();
    info.createdBy = q.value(3).toString();
    if (!q.value(4).isNull())
        info.lastUsedMs = q.value(4).toLongLong();
    return info;
}

/// Equal-length hex digests compared without an early exit.
bool sameDigest(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size() || a.isEmpty())
        return false;
    unsigned char difference = 0;
    for (int i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

} // namespace

TokenStore::TokenStore(JobStore &store)
    : m_store(store)
{}

std::optional<QVector<ApiTokenInfo>> TokenStore::tokens(StoreError *error)
{
    QSqlQuery q(m_store.database().db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT name, role, created_ms, created_by, last_used_ms "
                             "FROM api_tokens ORDER BY name"));
    if (!m_store.exec(q, error, QStringLiteral("reading the API tokens")))
        return std::nullopt;
    QVector<ApiTokenInfo> all;
    while (q.next())
        all.push_back(infoFromQuery(q));
    return all;
}

std::optional<QByteArray> TokenStore::add(const QString &name, TokenRole role, const QString &actor,
                                          qint64 nowMs, StoreError *error)
{
    if (const QString problem = ApiTokens::nameProblem(name); !problem.isEmpty()) {
        if (error)
            *error = {StoreError::Kind::Invalid, problem, QStringLiteral("name"), 0};
        return std::nullopt;
    }
    Database &db = m_store.database();
    WriteTransaction tx(db);
    QString why;
    if (!tx.begin(&why)) {
        m_store.transactionFailed(tx, error,
                                  QStringLiteral("cannot add the API token: %1").arg(why));
        return std::nullopt;
    }
    QSqlQuery q(db.db());
    q.prepare(QStringLiteral("SELECT 1 FROM api_tokens WHERE name = ?"));
    q.bindValue(0, name);
    if (!m_store.exec(q, error, QStringLiteral("looking for the token's name")))
        return std::nullopt;
    if (q.next()) {
        if (error)
            *error = {StoreError::Kind::Conflict,
                      QStringLiteral("name: an API token named \"%1\" exists already").arg(name),
                      QStringLiteral("name"), 0};
        return std::nullopt;
    }
    q.finish();
    const QByteArray token = ApiTokens::generate();
    const QByteArray salt = ApiTokens::generateSalt();
    q.prepare(QStringLiteral("INSERT INTO api_tokens (name, role, salt, hash, created_ms, "
                             "created_by) VALUES (?, ?, ?, ?, ?, ?)"));
    q.bindValue(0, name);
    q.bindValue(1, tokenRoleName(role));
    q.bindValue(2, QString::fromLatin1(salt));
    q.bindValue(3, QString::fromLatin1(ApiTokens::hash(salt, token)));
    q.bindValue(4, nowMs);
    q.bindValue(5, actor);
    if (!m_store.exec(q, error, QStringLiteral("adding the API token")))
        return std::nullopt;
    if (!m_store.writeAudit({0,
                             nowMs,
                             actor,
                             AuditAction::TokenAdded,
                             {},
                             0,
                             QStringLiteral("API token %1 (%2)").arg(name, tokenRoleName(role))},
                            error))
        return std::nullopt;
    if (!tx.commit(&why)) {
        m_store.transactionFailed(tx, error,
                                  QStringLiteral("cannot add the API token: %1").arg(why));
        return std::nullopt;
    }
    return token;
}

bool TokenStore::revoke(const QString &name, const QString &actor, StoreError *error)
{
    Database &db = m_store.database();
    WriteTransaction tx(db);
    QString why;
    if (!tx.begin(&why)) {
        m_store.transactionFailed(tx, error,
                                  QStringLiteral("cannot revoke the API token: %1").arg(why));
        return false;
    }
    QSqlQuery q(db.db());
    q.prepare(QStringLiteral("DELETE FROM api_tokens WHERE name = ?"));
    q.bindValue(0, name);
    if (!m_store.exec(q, error, QStringLiteral("revoking the API token")))
        return false;
    if (q.numRowsAffected() < 1) {
        if (error)
            *error = {StoreError::Kind::NotFound,
                      QStringLiteral("name: no API token named \"%1\"").arg(printableText(name)),
                      QStringLiteral("name"), 0};
        return false;
    }
    if (!m_store.writeAudit({0,
                             0,
                             actor,
                             AuditAction::TokenRevoked,
                             {},
                             0,
                             QStringLiteral("API token %1").arg(name)},
                            error))
        return false;
    if (!tx.commit(&why)) {
        m_store.transactionFailed(tx, error,
                                  QStringLiteral("cannot revoke the API token: %1").arg(why));
        return false;
    }
    return true;
}

std::optional<ApiTokenInfo> TokenStore::find(const QByteArray &token, StoreError *error)
{
    if (!token.startsWith(ApiTokens::Prefix))
        return std::nullopt;
    QSqlQuery &q = m_store.database().prepared(
        QStringLiteral("SELECT name, role, created_ms, created_by, last_used_ms, salt, hash "
                       "FROM api_tokens"));
    FinishOnExit finish(q);
    if (!m_store.exec(q, error, QStringLiteral("looking the API token up")))
        return std::nullopt;
    std::optional<ApiTokenInfo> found;
    // Every row is hashed and compared, whichever matches.
    while (q.next()) {
        const QByteArray salt = q.value(5).toString().toLatin1();
        const QByteArray stored = q.value(6).toString().toLatin1();
        if (sameDigest(ApiTokens::hash(salt, token), stored) && !found)
            found = infoFromQuery(q);
    }
    return found;
}

bool TokenStore::markUsed(const QString &name, qint64 nowMs, StoreError *error)
{
    QSqlQuery q(m_store.database().db());
    q.prepare(QStringLiteral("UPDATE api_tokens SET last_used_ms = ? WHERE name = ?"));
    q.bindValue(0, nowMs);
    q.bindValue(1, name);
    return m_store.exec(q, error, QStringLiteral("noting the API token's use"));
}
