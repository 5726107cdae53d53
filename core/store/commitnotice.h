#pragma once

#include <QObject>
#include <QString>

#include <optional>

/// A big commit's notice beside an SQLite database: the file `<database>-commit` says which
/// job's records are going in, how many, since when and from which process. SPEC §1 puts a
/// job's records and its completed mark in one transaction, and on SQLite that transaction holds
/// the database's one write lock for as long as the records take (seconds for millions). A
/// writer of another connection that meets the lock (an add from the window, the API or the
/// command line) waits past its busy timeout while a live process's notice stands, instead of
/// failing with "database is locked", and says what it waits for (DatabaseWaits).
struct CommitNotice
{
    qint64 pid = 0;
    qint64 jobId = 0;
    qint64 records = 0;
    qint64 sinceMs = 0; ///< when the commit began (ms since the epoch)

    /// From at least this many records a commit posts its notice: below, it is over within
    /// the busy timeout (SQLite writes 100,000 or more records a second).
    static constexpr qint64 FromRecords = 20000;
    /// The longest a writer waits for one commit past its busy timeout: an hour is more than
    /// any commit takes (100,000,000 records), and less than for ever if a process hangs.
    static constexpr qint64 LongestWaitMs = 3600 * 1000;

    /// The notice's file beside the SQLite database at `databasePath`.
    static QString pathFor(const QString &databasePath);
    /// The notice at `path` while its process lives; nothing when there is none, it cannot be
    /// read, or its process is gone (a commit cut off by a kill leaves its file behind).
    static std::optional<CommitNotice> read(const QString &path);
};

/// Posts a notice for the scope of a commit and takes it down again, whatever the outcome.
class CommitNoticeGuard final
{
public:
    /// Posts this process's notice of committing job `jobId`'s `records` records, from now, at
    /// `path`; does nothing for an empty path.
    CommitNoticeGuard(const QString &path, qint64 jobId, qint64 records);
    ~CommitNoticeGuard();
    Q_DISABLE_COPY_MOVE(CommitNoticeGuard)

private:
    QString m_path;
};

/// Tells whoever listens (JobQueue, and through it the window) that a call on a connection that
/// tells its waits (Database::setTellsWaits()) is waiting for another process's or thread's big
/// commit. Emitted from the waiting call's thread, at most every half second per wait.
class DatabaseWaits final : public QObject
{
    Q_OBJECT

public:
    static DatabaseWaits *instance();

signals:
    /// A call has waited `waitedMs` so far for job `jobId`'s commit of `records` records.
    void waitingForCommit(qint64 jobId, qint64 records, qint64 waitedMs);
};
