#pragma once

#include "store/database.h"

#include <QString>

#include <memory>

/// The lock that lets exactly one process run jobs on one database (SPEC §1). On SQLite it is an
/// exclusive `flock` on a file beside the database; on PostgreSQL a session advisory lock held
/// by the runner's connection. Either is released by the operating system or the server the
/// moment its holder dies, so another instance can take over at once.
class RunnerLock
{
public:
    virtual ~RunnerLock() = default;
    /// Takes the lock if it is free; true if this instance holds it afterwards.
    virtual bool tryAcquire(QString *error) = 0;
    virtual void release() = 0;
    virtual bool isHeld() const = 0;
    /// The connection was lost (PostgreSQL): a session lock went with it.
    virtual void connectionLost() {}

    static std::unique_ptr<RunnerLock> create(Database &db);
};
