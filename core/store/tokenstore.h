#pragma once

#include "job/apitoken.h"
#include "job/queuetypes.h"

#include <QVector>

#include <optional>

class JobStore;

/// The named API tokens (SPEC §8) on the JobStore's connection, for the calling thread. A token
/// is kept only as the SHA-256 of a random salt and itself; the token in clear leaves add()
/// once and is never stored or logged. Adding and revoking are one transaction each.
class TokenStore final
{
public:
    explicit TokenStore(JobStore &store);
    Q_DISABLE_COPY_MOVE(TokenStore)

    /// Every token, by name.
    std::optional<QVector<ApiTokenInfo>> tokens(StoreError *error);
    /// Makes a token `name` with `role`, created by `actor` at `nowMs`, and returns it in clear:
    /// the only time it is seen. Invalid (field `name`) for a name ApiTokens::nameProblem()
    /// refuses, Conflict (field `name`) when the name is taken.
    std::optional<QByteArray> add(const QString &name, TokenRole role, const QString &actor,
                                  qint64 nowMs, StoreError *error);
    /// Deletes token `name`: it stops working at once, and the name may be given again.
    /// NotFound (field `name`) when there is none.
    bool revoke(const QString &name, const QString &actor, StoreError *error);
    /// The token whose hash `token` matches, compared in constant time; nothing, with *error
    /// unset, when none does (a token without ApiTokens::Prefix is not looked up at all).
    std::optional<ApiTokenInfo> find(const QByteArray &token, StoreError *error);
    /// Notes that token `name` was used at `nowMs` (outside any transaction: no change
    /// notification for it).
    bool markUsed(const QString &name, qint64 nowMs, StoreError *error);

private:
    JobStore &m_store;
};
