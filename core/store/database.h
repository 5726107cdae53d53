#pragma once

#include "config/databaseurl.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

struct StoreError;
struct pg_conn;
struct sqlite3;
struct sqlite3_stmt;

/// One connection of the calling thread, with a unique name, removed again on destruction
/// (a QSqlDatabase may only be used in the thread that opened it).
class Database final
{
public:
    explicit Database(DatabaseUrl url);
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    /// Opens the connection and sets the session up (SQLite: WAL, busy timeout, foreign keys,
    /// each pragma checked). Returns false with an operator-readable reason.
    bool open(QString *error);
    void close();
    /// Closes and opens again (after a server restart `isOpen()` can stay true while every
    /// query fails).
    bool reopen(QString *error);

    QSqlDatabase &db() { return m_db; }
    const DatabaseUrl &url() const { return m_url; }
    DbBackend backend() const { return m_url.backend; }
    bool isSqlite() const { return m_url.backend == DbBackend::Sqlite; }

    /// Runs one statement; false with the database's message in *error.
    bool exec(const QString &sql, QString *error = nullptr);
    /// What `query` failed with: its own error, or on a connection Qt has closed (it closes a
    /// PostgreSQL connection the server ended, and a statement on it fails with no error at
    /// all) a connection error that says so.
    QSqlError failureOf(const QSqlQuery &query) const;
    /// The statement `sql`, prepared once on this connection and kept until it closes:
    /// preparing costs more than running most statements (on PostgreSQL a round trip more).
    /// Call finish() once done reading, so that no read stays open.
    QSqlQuery &prepared(const QString &sql);
    /// Whether a wait of this connection's behind a big commit is told to DatabaseWaits (the
    /// connection the window's changes go through); every such wait is logged either way.
    void setTellsWaits(bool tells);
    /// SQLite only: the statement `sql` of the sqlite3 C API on this connection's own handle,
    /// prepared once and finalized when the connection closes; nullptr with *error when it
    /// cannot be. Reset it after each use.
    sqlite3_stmt *nativeStatement(const char *sql, QString *error);
    /// PostgreSQL only: libpq's connection under Qt's driver, or nullptr.
    pg_conn *postgresHandle() const;
    /// Whether a transaction is open on this connection (begun by any statement, a failed one's
    /// on PostgreSQL included), as the database itself says.
    bool inTransaction() const;

private:
    /// The SQLite connection's checks and pragmas; false with *why, and *busy when another
    /// connection's lock refused a step (so that trying again later can pass).
    bool setUpSqlite(QString *why, bool *busy);
    void finalizeNative();
    /// The open SQLite connection's own handle, or nullptr.
    sqlite3 *nativeHandle() const;

    /// How long a statement that meets another connection's lock waits (SQLite only): its
    /// busy timeout, or longer behind a big commit's notice (CommitNotice).
    struct BusyWait
    {
        int timeoutMs = 0;
        QString noticePath; ///< CommitNotice::pathFor() the database
        QElapsedTimer since;
        qint64 checkedMs = -1;  ///< when in this wait the notice was last read
        qint64 reportedMs = -1; ///< when in this wait DatabaseWaits was last told
        qint64 noticeJobId = 0; ///< the notice's job, 0 for none
        qint64 noticeRecords = 0;
        bool tells = false; ///< setTellsWaits()
    };
    static int waitForTheLock(void *wait, int attempt);

    DatabaseUrl m_url;
    QString m_connectionName;
    QSqlDatabase m_db;
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> m_prepared;
    std::unique_ptr<QSqlQuery> m_unprepared; ///< the last statement that failed to prepare
    std::unique_ptr<BusyWait> m_busyWait;    ///< the busy handler's state (a stable address)
    bool m_tellsWaits = false;
    std::unordered_map<std::string, sqlite3_stmt *> m_native;
};

/// Resets a statement from Database::prepared() when the scope ends, so that no read stays open.
class FinishOnExit final
{
public:
    explicit FinishOnExit(QSqlQuery &query)
        : m_query(query)
    {}
    ~FinishOnExit() { m_query.finish(); }
    Q_DISABLE_COPY_MOVE(FinishOnExit)

private:
    QSqlQuery &m_query;
};

/// The PostgreSQL channel every committed change to the queue is announced on.
inline const QString ChangeChannel = QStringLiteral("dealerq_jobs");

/// A write transaction that rolls back unless committed. On PostgreSQL its commit announces the
/// change on ChangeChannel. On SQLite it takes the write lock at
/// once (`BEGIN IMMEDIATE`), so two writers never deadlock upgrading a read lock.
class WriteTransaction final
{
public:
    explicit WriteTransaction(Database &db);
    ~WriteTransaction();
    Q_DISABLE_COPY_MOVE(WriteTransaction)

    bool begin(QString *error);
    bool commit(QString *error);
    void rollback();
    /// The failure of the last begin() or commit() that failed, as the database told it (so
    /// that a lost connection can be told from any other error, isConnectionLost()).
    const QSqlError &lastError() const { return m_error; }

private:
    bool run(const QString &sql, QString *error);

    Database &m_db;
    QSqlError m_error;
    bool m_active = false;
};

/// Reads of several statements that see one state of the database, whatever other connections
/// commit meanwhile: on SQLite a deferred transaction (its first read fixes what the others see;
/// no lock a writer waits for), on PostgreSQL a read-only one at REPEATABLE READ. Begun while a
/// transaction is open, it is part of that one and ends nothing. Ended, with nothing to keep,
/// when it goes out of scope.
class ReadTransaction final
{
public:
    explicit ReadTransaction(Database &db);
    ~ReadTransaction();
    Q_DISABLE_COPY_MOVE(ReadTransaction)

    /// False with the failure in *error.
    bool begin(QSqlError *error);

private:
    Database &m_db;
    bool m_active = false;
};

/// True when a failed statement means the connection itself is gone (server restarted or
/// unreachable), so it must be closed and opened again before the next try.
bool isConnectionLost(const QSqlError &error, DbBackend backend);
/// The same for an SQLite result code (primary or extended): I/O error, corrupt file, cannot
/// open, not a database — the file must be closed and opened again.
bool isSqliteConnectionLost(int code);

/// Sets *error (when asked for) to a database failure with `message`.
void setDatabaseError(StoreError *error, const QString &message);
/// Sets the kind and message of *error (when asked for) to the failure of `query` while `what`:
/// a lost connection (isConnectionLost()) or a database error, in the database's own words.
void setQueryError(StoreError *error, const QSqlQuery &query, DbBackend backend,
                   const QString &what);
void setQueryError(StoreError *error, const QSqlError &sqlError, DbBackend backend,
                   const QString &what);
