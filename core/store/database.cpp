#include "store/database.h"

#include "job/queuetypes.h"
#include "log/logging.h"
#include "store/commitnotice.h"

#include <QAtomicInteger>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>

#include <libpq-fe.h>
#include <sqlite3.h>

namespace {

QString nextConnectionName()
{
    static QAtomicInteger<quint64> counter;
    return QStringLiteral("dealerq-%1").arg(counter.fetchAndAddRelaxed(1));
}

} // namespace

Database::Database(DatabaseUrl url)
    : m_url(std::move(url))
    , m_connectionName(nextConnectionName())
{}

Database::~Database()
{
    close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
}

bool Database::open(QString *error)
{
    if (m_db.isOpen())
        return true;
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        m_db.close();
        return false;
    };
    if (!m_db.isValid()) {
        m_db = QSqlDatabase::addDatabase(
            isSqlite() ? QStringLiteral("QSQLITE") : QStringLiteral("QPSQL"), m_connectionName);
        if (!m_db.isValid())
            return fail(
                QStringLiteral("the Qt SQL driver for %1 is not installed (Debian: %2)")
                    .arg(isSqlite() ? QStringLiteral("SQLite") : QStringLiteral("PostgreSQL"),
                         isSqlite() ? QStringLiteral("libqt6sql6-sqlite")
                                    : QStringLiteral("libqt6sql6-psql")));
    }
    if (isSqlite()) {
        const QFileInfo file(m_url.path);
        if (!file.absoluteDir().exists() && !QDir().mkpath(file.absolutePath()))
            return fail(QStringLiteral("cannot create the folder %1 for the database")
                            .arg(file.absolutePath()));
        if (m_url.readOnly && !file.exists())
            return fail(QStringLiteral("%1 does not exist (opened read-only)").arg(m_url.path));
        m_db.setDatabaseName(m_url.path);
        m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1%2")
                                   .arg(m_url.busyTimeoutMs)
                                   .arg(m_url.readOnly ? ";QSQLITE_OPEN_READONLY" : ""));
    } else {
        m_db.setHostName(m_url.host);
        m_db.setPort(m_url.port);
        m_db.setDatabaseName(m_url.dbName);
        if (!m_url.user.isEmpty())
            m_db.setUserName(m_url.user);
        if (!m_url.password.isEmpty())
            m_db.setPassword(m_url.password);
        QString options = m_url.options;
        if (!options.contains(QLatin1String("connect_timeout")))
            options += QStringLiteral("%1connect_timeout=5").arg(options.isEmpty() ? "" : ";");
        m_db.setConnectOptions(options);
    }
    if (!m_db.open())
        return fail(QStringLiteral("cannot open the database %1: %2")
                        .arg(m_url.displayString(), m_db.lastError().text()));

    if (isSqlite()) {
        if (sqlite3 *native = nativeHandle()) {
            m_busyWait = std::make_unique<BusyWait>();
            m_busyWait->timeoutMs = m_url.busyTimeoutMs;
            m_busyWait->noticePath = CommitNotice::pathFor(m_url.path);
            m_busyWait->tells = m_tellsWaits;
            sqlite3_busy_handler(native, &waitForTheLock, m_busyWait.get());
        }
        // Several instances started on one new file: while one holds the write lock, SQLite
        // answers another's switch to write-ahead logging "database is locked" at once, without
        // its busy timeout (the switch upgrades a read it already holds). So the steps are tried
        // again until they pass or the busy timeout is over; each one changes nothing or is
        // idempotent.
        QElapsedTimer waited;
        waited.start();
        for (;;) {
            QString why;
            bool busy = false;
            if (setUpSqlite(&why, &busy))
                break;
            if (!busy || waited.elapsed() >= m_url.busyTimeoutMs)
                return fail(why);
            QThread::msleep(20);
        }
    } else {
        QSqlQuery query(m_db);
        query.exec(QStringLiteral("SET client_min_messages TO WARNING"));
        // Our statements are short; PostgreSQL's JIT compiles any whose estimate passes
        // jit_above_cost, and the 30-day stats' 30 parts pass it: 80 ms of compiling for a
        // 15 ms read (README, "Insight").
        query.exec(QStringLiteral("SET jit = off"));
    }
    return true;
}

void Database::setTellsWaits(bool tells)
{
    m_tellsWaits = tells;
    if (m_busyWait)
        m_busyWait->tells = tells;
}

/// SQLite's busy handler: tries again every millisecond until the busy timeout is over.
/// SQLite's own timeout sleeps in steps that grow to 100 ms, so a writer waiting for another
/// connection's short transaction (retention's batch, another instance's claim) woke up to
/// 25-100 ms after the lock was free, and could miss every gap between a busy writer's
/// transactions. Polling keeps the wait to the other transaction's length.
/// Behind a big commit (its CommitNotice, read every quarter second once the wait passes a
/// quarter second or the timeout) it waits past the timeout, up to CommitNotice::LongestWaitMs
/// more, and tells DatabaseWaits every half second (setTellsWaits()): an add is never refused
/// for another job's size.
int Database::waitForTheLock(void *context, int attempt)
{
    auto *wait = static_cast<BusyWait *>(context);
    if (attempt == 0) {
        wait->since.start();
        wait->checkedMs = -1;
        wait->reportedMs = -1;
        wait->noticeJobId = 0;
    }
    const qint64 waited = wait->since.elapsed();
    const bool noticeDue = wait->checkedMs < 0 ? waited >= 250 || waited >= wait->timeoutMs
                                               : waited - wait->checkedMs >= 250;
    if (noticeDue) {
        wait->checkedMs = waited;
        const std::optional<CommitNotice> notice = CommitNotice::read(wait->noticePath);
        wait->noticeJobId = notice ? notice->jobId : 0;
        wait->noticeRecords = notice ? notice->records : 0;
    }
    if (waited >= wait->timeoutMs &&
        (!wait->noticeJobId || waited >= wait->timeoutMs + CommitNotice::LongestWaitMs))
        return 0; // SQLITE_BUSY for the statement: "database is locked"
    if (wait->noticeJobId && (wait->reportedMs < 0 || waited - wait->reportedMs >= 500)) {
        if (wait->reportedMs < 0)
            qCInfo(lcStore).noquote()
                << QStringLiteral("waiting for job %1's commit of %2 records to end")
                       .arg(wait->noticeJobId)
                       .arg(wait->noticeRecords);
        wait->reportedMs = waited;
        if (wait->tells)
            emit DatabaseWaits::instance()->waitingForCommit(wait->noticeJobId, wait->noticeRecords,
                                                             waited);
    }
    sqlite3_sleep(1);
    return 1;
}

bool Database::setUpSqlite(QString *why, bool *busy)
{
    // Each step is checked: a file that is not a database, or is read-only, shows here.
    QSqlQuery query(m_db);
    const auto failed = [&](const QString &text) {
        const int code = query.lastError().nativeErrorCode().toInt(); // extended or not
        *busy = (code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED;
        *why = text;
        return false;
    };
    const auto unusable = [&] {
        return failed(QStringLiteral("%1 is not a usable SQLite database: %2")
                          .arg(m_url.path, query.lastError().text()));
    };
    if (m_url.readOnly) {
        // Reading only: leave the journal mode as the writers set it.
        return query.exec(QStringLiteral("SELECT COUNT(*) FROM sqlite_master")) || unusable();
    }
    // A file of someone else's (tables, but not ours) is left exactly as it is: the store
    // refuses it next, and switching it to WAL first would already have changed it.
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")) ||
        !query.next())
        return unusable();
    const bool anyTable = query.value(0).toInt() > 0;
    if (anyTable) {
        if (!query.exec(QStringLiteral("SELECT 1 FROM meta WHERE key = 'schema_version'"))) {
            // No such table or column: not ours. Locked out: try again.
            unusable();
            return !*busy;
        }
        if (!query.next())
            return true;
    }
    if (!query.exec(QStringLiteral("PRAGMA journal_mode=WAL")) || !query.next())
        return unusable();
    const QString mode = query.value(0).toString().toLower();
    if (mode != QLatin1String("wal"))
        return failed(QStringLiteral("%1 cannot use write-ahead logging (journal mode is %2); "
                                     "is the file or its folder read-only?")
                          .arg(m_url.path, mode));
    for (const char *pragma : {"PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON"}) {
        if (!query.exec(QString::fromLatin1(pragma)))
            return failed(
                QStringLiteral("%1: %2 failed: %3")
                    .arg(m_url.path, QString::fromLatin1(pragma), query.lastError().text()));
    }
    return true;
}

void Database::close()
{
    m_prepared.clear();
    m_unprepared.reset();
    finalizeNative(); // before Qt closes the handle, which refuses while statements are alive
    if (m_db.isValid())
        m_db.close();
}

bool Database::reopen(QString *error)
{
    close();
    return open(error);
}

QSqlQuery &Database::prepared(const QString &sql)
{
    const auto found = m_prepared.find(sql);
    if (found != m_prepared.end())
        return *found->second;
    auto query = std::make_unique<QSqlQuery>(m_db);
    query->setForwardOnly(true); // no cache of the rows read: cheaper for each run
    QSqlQuery &result = *query;
    // One that failed (say, on a lost connection) is not kept: exec() reports its error.
    if (query->prepare(sql))
        m_prepared.emplace(sql, std::move(query));
    else
        m_unprepared = std::move(query);
    return result;
}

sqlite3_stmt *Database::nativeStatement(const char *sql, QString *error)
{
    const auto found = m_native.find(sql);
    if (found != m_native.end())
        return found->second;
    sqlite3 *native = nativeHandle();
    if (!native) {
        if (error)
            *error = QStringLiteral("no SQLite connection is open");
        return nullptr;
    }
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(native, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) !=
        SQLITE_OK) {
        if (error)
            *error = QString::fromUtf8(sqlite3_errmsg(native));
        sqlite3_finalize(statement);
        return nullptr;
    }
    m_native.emplace(sql, statement);
    return statement;
}

sqlite3 *Database::nativeHandle() const
{
    const QVariant handle = m_db.isValid() ? m_db.driver()->handle() : QVariant();
    if (!isSqlite() || !handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

void Database::finalizeNative()
{
    for (const auto &entry : m_native)
        sqlite3_finalize(entry.second);
    m_native.clear();
}

bool Database::exec(const QString &sql, QString *error)
{
    QSqlQuery query(m_db);
    if (query.exec(sql))
        return true;
    if (error)
        *error = query.lastError().text();
    return false;
}

QSqlError Database::failureOf(const QSqlQuery &query) const
{
    const QSqlError error = query.lastError();
    if (error.isValid() || m_db.isOpen())
        return error;
    return QSqlError(QStringLiteral("the connection is closed"), {}, QSqlError::ConnectionError);
}

pg_conn *Database::postgresHandle() const
{
    const QVariant handle = !isSqlite() && m_db.isValid() ? m_db.driver()->handle() : QVariant();
    // Qt names the type as libpq declares it: PGconn is a typedef of struct pg_conn.
    if (!handle.isValid() ||
        (qstrcmp(handle.typeName(), "PGconn*") != 0 && qstrcmp(handle.typeName(), "pg_conn*") != 0))
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

bool Database::inTransaction() const
{
    if (isSqlite()) {
        sqlite3 *native = nativeHandle();
        return native && sqlite3_get_autocommit(native) == 0;
    }
    PGconn *conn = postgresHandle();
    return conn && PQtransactionStatus(conn) != PQTRANS_IDLE &&
           PQtransactionStatus(conn) != PQTRANS_UNKNOWN;
}

ReadTransaction::ReadTransaction(Database &db)
    : m_db(db)
{}

ReadTransaction::~ReadTransaction()
{
    if (m_active)
        m_db.exec(QStringLiteral("ROLLBACK")); // it read; there is nothing to keep
}

bool ReadTransaction::begin(QSqlError *error)
{
    if (m_active || m_db.inTransaction())
        return true;
    QSqlQuery query(m_db.db());
    if (!query.exec(m_db.isSqlite()
                        ? QStringLiteral("BEGIN")
                        : QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"))) {
        if (error)
            *error = m_db.failureOf(query);
        return false;
    }
    m_active = true;
    return true;
}

WriteTransaction::WriteTransaction(Database &db)
    : m_db(db)
{}

WriteTransaction::~WriteTransaction()
{
    rollback();
}

bool WriteTransaction::run(const QString &sql, QString *error)
{
    QSqlQuery query(m_db.db());
    if (query.exec(sql))
        return true;
    m_error = m_db.failureOf(query);
    if (error)
        *error = m_error.text();
    return false;
}

bool WriteTransaction::begin(QString *error)
{
    m_active =
        run(m_db.isSqlite() ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN"), error);
    return m_active;
}

bool WriteTransaction::commit(QString *error)
{
    if (!m_active)
        return false;
    // Other instances LISTEN for this; PostgreSQL delivers it only if the commit succeeds.
    if ((!m_db.isSqlite() && !run(QStringLiteral("NOTIFY %1").arg(ChangeChannel), error)) ||
        !run(QStringLiteral("COMMIT"), error)) {
        rollback();
        return false;
    }
    m_active = false;
    return true;
}

void WriteTransaction::rollback()
{
    if (!m_active)
        return;
    m_active = false;
    m_db.exec(QStringLiteral("ROLLBACK"));
}

bool isConnectionLost(const QSqlError &error, DbBackend backend)
{
    const QString code = error.nativeErrorCode();
    if (backend == DbBackend::Sqlite) {
        // Qt reports every failed SQLite step as a ConnectionError: look at the result code.
        // I/O errors, a file that cannot be opened, is corrupt or is not a database call for
        // closing and opening the file again.
        return isSqliteConnectionLost(code.toInt());
    }
    if (error.type() == QSqlError::ConnectionError)
        return true;
    // PostgreSQL SQLSTATE class 08 (connection exception), 57P01..57P03 (admin shutdown,
    // crash shutdown, cannot connect now).
    if (code.startsWith(QLatin1String("08")) || code.startsWith(QLatin1String("57P")))
        return true;
    const QString text = error.databaseText();
    return text.contains(QLatin1String("server closed the connection")) ||
           text.contains(QLatin1String("no connection to the server")) ||
           text.contains(QLatin1String("terminating connection"));
}

bool isSqliteConnectionLost(int code)
{
    const int primary = code & 0xff;
    return primary == 10 || primary == 11 || primary == 14 || primary == 26;
}

void setDatabaseError(StoreError *error, const QString &message)
{
    if (error)
        *error = {StoreError::Kind::Database, message, {}, 0};
}

void setQueryError(StoreError *error, const QSqlQuery &query, DbBackend backend,
                   const QString &what)
{
    setQueryError(error, query.lastError(), backend, what);
}

void setQueryError(StoreError *error, const QSqlError &sqlError, DbBackend backend,
                   const QString &what)
{
    if (!error)
        return;
    error->kind = isConnectionLost(sqlError, backend) ? StoreError::Kind::ConnectionLost
                                                      : StoreError::Kind::Database;
    error->message =
        QStringLiteral("database error while %1: %2").arg(what, sqlError.text().trimmed());
}
