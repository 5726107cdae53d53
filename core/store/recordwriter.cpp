#include "store/recordwriter.h"

#include "job/fetchedrecord.h"
#include "job/job.h"
#include "job/queuetypes.h"
#include "log/logging.h"
#include "store/database.h"
#include "store/recordspool.h"

#include <algorithm>
#include <optional>

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <libpq-fe.h>
#include <sqlite3.h>

/// What an upsert of a job's records did.
struct UpsertCounts
{
    qint64 inserted = 0;
    qint64 updated = 0;
    qint64 unchanged = 0;
};

namespace {

/// A record's bytes in the merge: a staged row's (valid until the staged rows' cursor steps
/// again) or a fetched record's.
struct RecordView
{
    QByteArrayView id;
    QByteArrayView payload;
    QByteArrayView updatedAt;
};

/// A record's row as the store has it, compared with the fetched one.
enum class StoredRecord
{
    Missing,
    Same,
    Changed
};

/// The upsert's order of statements on SQLite, where a statement costs no round trip: one
/// statement per record in the usual cases. While records turn out new, each is inserted
/// outright (`insert` returns whether a row was added; a conflict means it exists); once one
/// exists, each is compared first (`compare`), since a re-fetched window is mostly unchanged,
/// and only a changed one is written (`update`), a missing one inserted. A record fetched twice
/// is thereby compared with what its first copy stored. `next` yields the records in the order
/// they were fetched (true), or says there are no more (false). Each step returns nothing
/// (`next`, `insert`, `compare`) or false (`update`) when its statement failed; the upsert then
/// stops and returns false.
template<typename Next, typename Insert, typename Compare, typename Update>
bool upsertEach(Next next, UpsertCounts *counts, Insert insert, Compare compare, Update update)
{
    *counts = {};
    bool expectNew = true;
    RecordView record;
    for (;;) {
        const std::optional<bool> more = next(&record);
        if (!more)
            return false;
        if (!*more)
            return true;
        if (expectNew) {
            const std::optional<bool> added = insert(record);
            if (!added)
                return false;
            if (*added) {
                ++counts->inserted;
                continue;
            }
        }
        const std::optional<StoredRecord> stored = compare(record);
        if (!stored)
            return false;
        expectNew = *stored == StoredRecord::Missing;
        switch (*stored) {
        case StoredRecord::Same:
            ++counts->unchanged;
            break;
        case StoredRecord::Changed:
            if (!update(record))
                return false;
            ++counts->updated;
            break;
        case StoredRecord::Missing:
            if (!insert(record))
                return false;
            ++counts->inserted;
            break;
        }
    }
}

/// A cached statement of Database::nativeStatement(), reset (bindings cleared) when the scope
/// ends, however it ends.
class Statement final
{
public:
    Statement(Database &db, const char *sql, QString *error)
        : m_stmt(db.nativeStatement(sql, error))
    {}
    ~Statement()
    {
        if (!m_stmt)
            return;
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    Q_DISABLE_COPY_MOVE(Statement)

    bool isValid() const { return m_stmt != nullptr; }
    sqlite3_stmt *get() const { return m_stmt; }

    /// Binds UTF-8 text that outlives the next step (no copy).
    void bindText(int index, QByteArrayView text)
    {
        sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    }
    /// Column `index` of the current row; valid until the next step or reset.
    QByteArrayView text(int index) const
    {
        const auto *bytes = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, index));
        return QByteArrayView(bytes, sqlite3_column_bytes(m_stmt, index));
    }

private:
    sqlite3_stmt *m_stmt;
};

/// The staging table, on either backend: a TEMP table, private to the connection that made it.
/// Its rows are a job's records in the order they were fetched (`seq`).
const char *const StagingTableSqlite =
    "CREATE TEMP TABLE IF NOT EXISTS staged_records (seq INTEGER PRIMARY KEY, job_id INTEGER NOT "
    "NULL, record_id TEXT NOT NULL, payload TEXT NOT NULL, updated_at TEXT)";
const char *const StagingTablePostgres =
    "CREATE TEMP TABLE IF NOT EXISTS staged_records (seq BIGINT NOT NULL, job_id BIGINT NOT NULL, "
    "record_id TEXT NOT NULL, payload TEXT NOT NULL, updated_at TEXT)";

/// Why a merge found `read` staged rows of the `expected`.
QString stagedRowsLost(qint64 read, qint64 expected)
{
    return QStringLiteral("%1 of its %2 records were staged on this connection; it was opened "
                          "again while the job ran")
        .arg(read)
        .arg(expected);
}

} // namespace

RecordWriter::RecordWriter(Database &db)
    : m_db(db)
{}

bool RecordWriter::exec(QSqlQuery &query, StoreError *error, const QString &what)
{
    if (query.exec())
        return true;
    m_connectionLost = m_connectionLost || isConnectionLost(query.lastError(), m_db.backend());
    setQueryError(error, query, m_db.backend(), what);
    return false;
}

bool RecordWriter::execDirect(const QString &statement, StoreError *error, const QString &what)
{
    QSqlQuery q(m_db.db());
    if (q.exec(statement))
        return true;
    m_connectionLost = m_connectionLost || isConnectionLost(q.lastError(), m_db.backend());
    setQueryError(error, q, m_db.backend(), what);
    return false;
}

bool RecordWriter::sqliteFailed(StoreError *error, int code, const QString &message,
                                const QString &what)
{
    const bool lost = isSqliteConnectionLost(code);
    m_connectionLost = m_connectionLost || lost;
    if (error)
        *error = {lost ? StoreError::Kind::ConnectionLost : StoreError::Kind::Database,
                  QStringLiteral("database error while %1: %2").arg(what, message),
                  {},
                  0};
    return false;
}

bool RecordWriter::startStaging(StoreError *error)
{
    return execDirect(
               QString::fromLatin1(m_db.isSqlite() ? StagingTableSqlite : StagingTablePostgres),
               error, QStringLiteral("preparing the staging of records")) &&
           discardStaged(error);
}

bool RecordWriter::discardStaged(StoreError *error)
{
    // SQLite empties a table deleted from without a WHERE at once; PostgreSQL's TRUNCATE gives a
    // TEMP table a fresh file, where DELETE would leave dead rows that no autovacuum ever clears.
    return execDirect(m_db.isSqlite() ? QStringLiteral("DELETE FROM temp.staged_records")
                                      : QStringLiteral("TRUNCATE staged_records"),
                      error, QStringLiteral("discarding staged records"));
}

bool RecordWriter::stage(qint64 jobId, const QVector<FetchedRecord> &records, qint64 firstSeq,
                         StoreError *error)
{
    if (records.isEmpty())
        return true;
    if (!m_db.isSqlite())
        return stagePostgres(jobId, records, firstSeq, error);

    const QString what = QStringLiteral("staging the records of job %1").arg(jobId);
    QString prepareError;
    Statement insert(m_db,
                     "INSERT INTO temp.staged_records (seq, job_id, record_id, payload, "
                     "updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                     &prepareError);
    if (!insert.isValid())
        return sqliteFailed(error, SQLITE_ERROR, prepareError, what);
    sqlite3 *handle = sqlite3_db_handle(insert.get());
    // Outside a transaction, one of the page's own: it writes the TEMP database only, so it
    // takes no lock of the shared database's.
    const bool own = sqlite3_get_autocommit(handle) != 0;
    const auto failed = [&] {
        const int code = sqlite3_extended_errcode(handle);
        const QString message = QString::fromUtf8(sqlite3_errmsg(handle));
        sqlite3_reset(insert.get());
        if (own && sqlite3_get_autocommit(handle) == 0)
            sqlite3_exec(handle, "ROLLBACK", nullptr, nullptr, nullptr);
        return sqliteFailed(error, code, message, what);
    };
    if (own && sqlite3_exec(handle, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
        return failed();
    sqlite3_bind_int64(insert.get(), 2, jobId);
    qint64 seq = firstSeq;
    for (const FetchedRecord &record : records) {
        sqlite3_bind_int64(insert.get(), 1, ++seq);
        insert.bindText(3, record.idUtf8());
        insert.bindText(4, record.payload());
        insert.bindText(5, record.updatedAtUtf8());
        if (sqlite3_step(insert.get()) != SQLITE_DONE)
            return failed();
        sqlite3_reset(insert.get());
    }
    if (own && sqlite3_exec(handle, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK)
        return failed();
    return true;
}

void appendCopyField(QByteArray *row, QByteArrayView text)
{
    for (const char c : text) {
        switch (c) {
        case '\\':
            row->append("\\\\", 2);
            break;
        case '\t':
            row->append("\\t", 2);
            break;
        case '\n':
            row->append("\\n", 2);
            break;
        case '\r':
            row->append("\\r", 2);
            break;
        default:
            row->append(c);
        }
    }
}

namespace {

/// Appends `text` and a comma to an array literal of PostgreSQL's text format, quoted: every
/// element the same, an empty one included (an empty string, not NULL).
void appendArrayElement(QByteArray *array, QByteArrayView text)
{
    array->append('"');
    for (const char c : text) {
        if (c == '"' || c == '\\')
            array->append('\\');
        array->append(c);
    }
    array->append("\",", 2);
}

} // namespace

std::optional<qint64> RecordWriter::copyIn(const char *statement,
                                           const std::function<bool(const CopySend &)> &produce,
                                           const QString &what, StoreError *error,
                                           QByteArray *sqlState)
{
    // COPY through libpq on Qt's own connection: one round trip, rows in the text format, none
    // of Qt's per-value binding. Nothing else uses the connection meanwhile (the runner's thread
    // is here), and it is idle again when this returns.
    PGconn *conn = m_db.postgresHandle();
    const auto failed = [&](const QString &message) -> std::optional<qint64> {
        m_connectionLost = m_connectionLost || !conn || PQstatus(conn) != CONNECTION_OK;
        if (error)
            *error = {m_connectionLost ? StoreError::Kind::ConnectionLost
                                       : StoreError::Kind::Database,
                      QStringLiteral("database error while %1: %2").arg(what, message.trimmed()),
                      {},
                      0};
        return std::nullopt;
    };
    if (!conn)
        return failed(QStringLiteral("no PostgreSQL connection is open"));
    const auto lastError = [&] { return QString::fromUtf8(PQerrorMessage(conn)); };
    // The outcome of the COPY: every result read, so that the connection is idle again.
    qint64 copied = 0;
    const auto finish = [&]() -> std::optional<QString> {
        std::optional<QString> problem;
        while (PGresult *result = PQgetResult(conn)) {
            if (PQresultStatus(result) != PGRES_COMMAND_OK && !problem) {
                problem = QString::fromUtf8(PQresultErrorMessage(result));
                if (sqlState)
                    *sqlState = PQresultErrorField(result, PG_DIAG_SQLSTATE);
            } else if (!problem) {
                copied = QByteArray(PQcmdTuples(result)).toLongLong();
            }
            PQclear(result);
        }
        return problem;
    };
    PGresult *start = PQexec(conn, statement);
    const bool copying = PQresultStatus(start) == PGRES_COPY_IN;
    const QString refused = QString::fromUtf8(PQresultErrorMessage(start));
    PQclear(start);
    if (!copying) {
        finish();
        return failed(refused.isEmpty() ? lastError() : refused);
    }
    QString sendError;
    const bool sent = produce([&](QByteArrayView rows) {
        if (rows.isEmpty() || PQputCopyData(conn, rows.data(), int(rows.size())) == 1)
            return true;
        sendError = lastError();
        return false;
    });
    if (!sent && sendError.isEmpty())
        sendError = QStringLiteral("the rows could not be read");
    // Ended with an error message when sending failed, so that the server rolls the COPY back.
    if (PQputCopyEnd(conn, sent ? nullptr : "the records could not be sent") != 1)
        return failed(lastError());
    const std::optional<QString> problem = finish();
    if (!sent)
        return failed(sendError);
    if (problem)
        return failed(*problem);
    return copied;
}

bool RecordWriter::stagePostgres(qint64 jobId, const QVector<FetchedRecord> &records,
                                 qint64 firstSeq, StoreError *error)
{
    const QByteArray job = QByteArray::number(jobId);
    return copyIn(
               "COPY staged_records (seq, job_id, record_id, payload, updated_at) FROM STDIN",
               [&](const CopySend &send) {
                   QByteArray rows;
                   rows.reserve(1 << 20);
                   qint64 seq = firstSeq;
                   for (const FetchedRecord &record : records) {
                       rows.append(QByteArray::number(++seq)).append('\t').append(job).append('\t');
                       appendCopyField(&rows, record.idUtf8());
                       rows.append('\t');
                       appendCopyField(&rows, record.payload());
                       rows.append('\t');
                       appendCopyField(&rows, record.updatedAtUtf8());
                       rows.append('\n');
                       if (rows.size() >= (1 << 20)) {
                           if (!send(rows))
                               return false;
                           rows.clear();
                       }
                   }
                   return send(rows);
               },
               QStringLiteral("staging the records of job %1").arg(jobId), error)
        .has_value();
}

bool RecordWriter::stageSpool(const Job &job, RecordSpool &spool, StoreError *error)
{
    // Each spooled row becomes a staged one: its place in the job and its job first, then its
    // record's own fields as they are (escaped alike in both tables).
    m_stagedSpool = true;
    const QString what = QStringLiteral("staging the records of job %1").arg(job.id);
    const QByteArray jobId = QByteArray::number(job.id);
    QString readError;
    qint64 seq = 0;
    const std::optional<qint64> copied = copyIn(
        "COPY staged_records (seq, job_id, record_id, payload, updated_at) FROM STDIN",
        [&](const CopySend &send) {
            QByteArray rows;
            return spool.read(
                [&](QByteArrayView spooled) {
                    rows.clear();
                    rows.reserve(spooled.size() + spooled.size() / 8);
                    while (!spooled.isEmpty()) {
                        const qsizetype end = spooled.indexOf('\n');
                        rows.append(QByteArray::number(++seq)).append('\t').append(jobId);
                        rows.append('\t').append(RecordSpool::recordFields(spooled.first(end)));
                        rows.append('\n');
                        spooled = spooled.sliced(end + 1);
                    }
                    return send(rows);
                },
                &readError);
        },
        what, error);
    if (!copied && !readError.isEmpty() && error)
        error->message = QStringLiteral("%1 (%2)").arg(error->message, readError);
    return copied.has_value();
}

std::optional<bool> RecordWriter::copySpoolIntoRecords(const Job &job, RecordSpool &spool,
                                                       UpsertCounts *counts, StoreError *error)
{
    // Inside a savepoint: should a record turn out stored after all (a COPY knows no conflict
    // but failure), the COPY is undone and the rows take the merge, which compares them.
    const QString what = QStringLiteral("storing the records of job %1").arg(job.id);
    // Run as they are: PostgreSQL prepares no SAVEPOINT.
    if (!execDirect(QStringLiteral("SAVEPOINT spooled_records"), error, what))
        return std::nullopt;
    QByteArray sqlState;
    QString readError;
    const std::optional<qint64> copied = copyIn(
        "COPY records (dealer_id, fetch_type, record_id, payload, updated_at, job_id) FROM STDIN",
        [&](const CopySend &send) { return spool.read(send, &readError); }, what, error, &sqlState);
    const bool conflict = !copied && sqlState == "23505"; // unique_violation
    StoreError releaseError;
    if (!execDirect(copied ? QStringLiteral("RELEASE SAVEPOINT spooled_records")
                           : QStringLiteral("ROLLBACK TO SAVEPOINT spooled_records"),
                    &releaseError, what)) {
        if (error && (copied || conflict))
            *error = releaseError;
        return std::nullopt;
    }
    if (conflict) {
        if (error)
            *error = {}; // not an error: the merge takes the rows
        return false;
    }
    if (!copied) {
        if (!readError.isEmpty() && error)
            error->message = QStringLiteral("%1 (%2)").arg(error->message, readError);
        return std::nullopt;
    }
    if (*copied != spool.records()) {
        setDatabaseError(error, QStringLiteral("%1: %2 of its %3 spooled records were copied")
                                    .arg(what)
                                    .arg(*copied)
                                    .arg(spool.records()));
        return std::nullopt;
    }
    *counts = {};
    counts->inserted = *copied;
    return countInserted(job, *copied, error) ? std::optional<bool>(true) : std::nullopt;
}

bool RecordWriter::merge(const Job &job, qint64 staged, const QVector<FetchedRecord> &more,
                         bool mayRepeat, RecordSpool *spool, JobResult *result, StoreError *error)
{
    result->inserted = result->updated = result->unchanged = 0;
    UpsertCounts counts;
    bool merged = false;
    if (m_db.isSqlite()) {
        merged = mergeSqlite(job, staged, more, mayRepeat, &counts, error) &&
                 countInserted(job, counts.inserted, error);
    } else if (spool) {
        // A first fetch kept in a file: copied into `records` as it is when no record came
        // twice, else (or should one be stored after all) staged and merged.
        const QString what = QStringLiteral("storing the records of job %1").arg(job.id);
        QString spoolError;
        if (spool->records() != staged) {
            setDatabaseError(error, QStringLiteral("%1: %2 of its %3 records were spooled")
                                        .arg(what)
                                        .arg(spool->records())
                                        .arg(staged));
            return false;
        }
        if (!spool->append(more, &spoolError)) {
            // The file cannot take the last page (its disk full): both go through the staging
            // table.
            qCWarning(lcStore).noquote()
                << QStringLiteral("job %1 stages its records in the database: %2")
                       .arg(job.id)
                       .arg(spoolError);
            merged = stageSpool(job, *spool, error) && stagePostgres(job.id, more, staged, error) &&
                     mergePostgres(job, nullptr, staged + more.size(), mayRepeat, &counts, error);
        } else {
            std::optional<bool> copied = false;
            if (!mayRepeat)
                copied = copySpoolIntoRecords(job, *spool, &counts, error);
            merged = copied && (*copied || (stageSpool(job, *spool, error) &&
                                            mergePostgres(job, nullptr, spool->records(), mayRepeat,
                                                          &counts, error)));
        }
    } else if (staged == 0) {
        // A job of one page (most of them): its records go in with the statement itself, which
        // counts them in `record_counts` too.
        merged = mergePostgres(job, &more, more.size(), true, &counts, error);
    } else {
        merged = stagePostgres(job.id, more, staged, error) &&
                 mergePostgres(job, nullptr, staged + more.size(), mayRepeat, &counts, error);
    }
    if (!merged)
        return false;
    result->inserted = counts.inserted;
    result->updated = counts.updated;
    result->unchanged = counts.unchanged;
    return true;
}

std::optional<bool> RecordWriter::insertStagedIfNew(const Job &job, qint64 staged,
                                                    StoreError *error)
{
    const QString what = QStringLiteral("storing the records of job %1").arg(job.id);
    QString prepareError;
    // ?1 dealer_id, ?2 fetch_type, ?3 job_id
    Statement stored(m_db,
                     "SELECT EXISTS (SELECT 1 FROM temp.staged_records s JOIN records r ON "
                     "r.dealer_id = ?1 AND r.fetch_type = ?2 AND r.record_id = s.record_id "
                     "WHERE s.job_id = ?3)",
                     &prepareError);
    Statement insert(m_db,
                     "INSERT INTO records (dealer_id, fetch_type, record_id, payload, updated_at, "
                     "job_id) SELECT ?1, ?2, record_id, payload, updated_at, ?3 FROM "
                     "temp.staged_records WHERE job_id = ?3 ORDER BY seq ON CONFLICT DO NOTHING",
                     &prepareError);
    if (!stored.isValid() || !insert.isValid()) {
        sqliteFailed(error, SQLITE_ERROR,
                     QStringLiteral("preparing the records' statements: %1").arg(prepareError),
                     what);
        return std::nullopt;
    }
    sqlite3 *handle = sqlite3_db_handle(insert.get());
    const auto failed = [&]() -> std::optional<bool> {
        sqliteFailed(error, sqlite3_extended_errcode(handle),
                     QString::fromUtf8(sqlite3_errmsg(handle)), what);
        return std::nullopt;
    };
    const QByteArray dealerId = job.dealerId.toUtf8();
    const QByteArray fetchType = job.fetchType.toUtf8();
    for (Statement *statement : {&stored, &insert}) {
        statement->bindText(1, dealerId);
        statement->bindText(2, fetchType);
        sqlite3_bind_int64(statement->get(), 3, job.id);
    }
    // One look-up per staged record, which the insert's own look-ups then find in the cache;
    // it stops at the first record found stored (a re-fetched window: the usual case).
    if (sqlite3_step(stored.get()) != SQLITE_ROW)
        return failed();
    if (sqlite3_column_int(stored.get(), 0) != 0)
        return false;
    // A record fetched twice in the job is a conflict with its own first copy: then fewer rows
    // than staged went in, and the statement is undone for the record-by-record path.
    if (sqlite3_exec(handle, "SAVEPOINT staged_insert", nullptr, nullptr, nullptr) != SQLITE_OK)
        return failed();
    if (sqlite3_step(insert.get()) != SQLITE_DONE) {
        const std::optional<bool> result = failed();
        sqlite3_exec(handle, "ROLLBACK TO staged_insert; RELEASE staged_insert", nullptr, nullptr,
                     nullptr);
        return result;
    }
    const bool all = sqlite3_changes64(handle) == staged;
    if (sqlite3_exec(handle,
                     all ? "RELEASE staged_insert"
                         : "ROLLBACK TO staged_insert; RELEASE staged_insert",
                     nullptr, nullptr, nullptr) != SQLITE_OK)
        return failed();
    return all;
}

bool RecordWriter::mergeSqlite(const Job &job, qint64 staged, const QVector<FetchedRecord> &more,
                               bool mayRepeat, UpsertCounts *counts, StoreError *error)
{
    // Through the sqlite3 C API on Qt's own connection handle (statements prepared once per
    // connection, Database::nativeStatement): each staged row's UTF-8 bytes are bound where the
    // staged rows' cursor holds them, with no QVariant or UTF-16 round trip (the bulk of a big
    // job's commit). The statements run in upsertEach()'s order.
    // ?1 dealer_id, ?2 fetch_type, ?3 record_id, ?4 payload, ?5 updated_at, ?6 job_id
    const QString what = QStringLiteral("storing the records of job %1").arg(job.id);
    QString prepareError;
    // A job's staged records that are all new (a first fetch) go in by one statement; a record
    // that may come twice takes the record-by-record path, which compares its copies.
    qint64 insertedStaged = 0;
    if (staged > 0 && !mayRepeat) {
        const std::optional<bool> allNew = insertStagedIfNew(job, staged, error);
        if (!allNew)
            return false;
        if (*allNew) {
            insertedStaged = staged;
            staged = 0;
        }
    }
    // Only a job that staged rows reads the staging table (a one-page job has none). They are
    // removed after the commit (JobStore::finishRunning()): deleting millions of rows takes a
    // second, which the shared database's lock need not wait for.
    std::optional<Statement> rows;
    if (staged > 0)
        rows.emplace(m_db,
                     "SELECT record_id, payload, updated_at FROM temp.staged_records WHERE "
                     "job_id = ?1 ORDER BY seq",
                     &prepareError);
    Statement insert(m_db,
                     "INSERT INTO records (dealer_id, fetch_type, record_id, payload, "
                     "updated_at, job_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                     "ON CONFLICT DO NOTHING",
                     &prepareError);
    Statement differs(m_db,
                      "SELECT payload IS NOT ?4 FROM records WHERE dealer_id = ?1 AND "
                      "fetch_type = ?2 AND record_id = ?3",
                      &prepareError);
    Statement update(m_db,
                     "UPDATE records SET payload = ?4, updated_at = ?5, job_id = ?6 "
                     "WHERE dealer_id = ?1 AND fetch_type = ?2 AND record_id = ?3",
                     &prepareError);
    if ((rows && !rows->isValid()) || !insert.isValid() || !differs.isValid() || !update.isValid())
        return sqliteFailed(
            error, SQLITE_ERROR,
            QStringLiteral("preparing the records' statements: %1").arg(prepareError), what);
    sqlite3 *handle = sqlite3_db_handle(insert.get());
    // Read before the statement is reset, which may overwrite the message.
    const auto failed = [&] {
        return sqliteFailed(error, sqlite3_extended_errcode(handle),
                            QString::fromUtf8(sqlite3_errmsg(handle)), what);
    };

    // What every record shares is bound once: a statement keeps its values between steps.
    const QByteArray dealerId = job.dealerId.toUtf8();
    const QByteArray fetchType = job.fetchType.toUtf8();
    for (Statement *statement : {&insert, &differs, &update}) {
        statement->bindText(1, dealerId);
        statement->bindText(2, fetchType);
    }
    sqlite3_bind_int64(insert.get(), 6, job.id);
    sqlite3_bind_int64(update.get(), 6, job.id);
    if (rows)
        sqlite3_bind_int64(rows->get(), 1, job.id);

    // ?3 record_id, ?4 payload, ?5 updated_at: what differs from record to record.
    const auto write = [&](Statement &statement, const RecordView &record) {
        statement.bindText(3, record.id);
        statement.bindText(4, record.payload);
        statement.bindText(5, record.updatedAt);
        if (sqlite3_step(statement.get()) != SQLITE_DONE)
            return failed();
        sqlite3_reset(statement.get());
        return true;
    };
    // The staged rows in the order they were fetched, then the records given.
    qint64 read = 0;
    bool stagedDone = !rows;
    qsizetype given = 0;
    const bool upserted = upsertEach(
        [&](RecordView *record) -> std::optional<bool> {
            if (!stagedDone) {
                const int rc = sqlite3_step(rows->get());
                if (rc == SQLITE_ROW) {
                    ++read;
                    *record = {rows->text(0), rows->text(1), rows->text(2)};
                    return true;
                }
                if (rc != SQLITE_DONE) {
                    failed();
                    return std::nullopt;
                }
                stagedDone = true;
            }
            if (given == more.size())
                return false;
            const FetchedRecord &next = more.at(given++);
            *record = {next.idUtf8(), next.payload(), next.updatedAtUtf8()};
            return true;
        },
        counts,
        [&](const RecordView &record) -> std::optional<bool> {
            if (!write(insert, record))
                return std::nullopt;
            return sqlite3_changes(handle) > 0;
        },
        [&](const RecordView &record) -> std::optional<StoredRecord> {
            differs.bindText(3, record.id);
            differs.bindText(4, record.payload);
            const int rc = sqlite3_step(differs.get());
            if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                failed();
                return std::nullopt;
            }
            const StoredRecord stored = rc == SQLITE_DONE ? StoredRecord::Missing
                                        : sqlite3_column_int(differs.get(), 0) != 0
                                            ? StoredRecord::Changed
                                            : StoredRecord::Same;
            sqlite3_reset(differs.get());
            return stored;
        },
        [&](const RecordView &record) { return write(update, record); });
    if (!upserted)
        return false;
    counts->inserted += insertedStaged;
    if (rows)
        sqlite3_reset(rows->get());
    if (read != staged)
        return sqliteFailed(error, SQLITE_ERROR, stagedRowsLost(read, staged + more.size()), what);
    return true;
}

bool RecordWriter::mergePostgres(const Job &job, const QVector<FetchedRecord> *records,
                                 qint64 expected, bool mayRepeat, UpsertCounts *counts,
                                 StoreError *error)
{
    const QString what = QStringLiteral("storing the records of job %1").arg(job.id);
    // The job's rows: given as three arrays (a job of one page), or read from the staging table,
    // which is emptied after the commit (JobStore::finishRunning()).
    const QString source =
        records ? QStringLiteral("SELECT t.seq, t.record_id, t.payload, t.updated_at"
                                 "  FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY"
                                 "    AS t(record_id, payload, updated_at, seq)")
                : QStringLiteral("SELECT seq, record_id, payload, updated_at FROM staged_records"
                                 "  WHERE job_id = ?::bigint");
    std::optional<bool> repeats;
    if (records) {
        QSet<QByteArrayView> ids; // views of the records, which outlive it
        ids.reserve(records->size());
        for (const FetchedRecord &record : *records)
            ids.insert(record.idUtf8());
        repeats = ids.size() < records->size();
    } else if (!mayRepeat) {
        repeats = false;
    } else {
        repeats = stagedRepeats(job, error);
        if (!repeats)
            return false;
    }
    if (!records && !*repeats) {
        const std::optional<bool> inserted =
            insertStagedIfNewPostgres(job, expected, counts, error);
        if (!inserted)
            return false;
        if (*inserted)
            return true;
    }
    // Each row is compared with what was there before it (`what`: i inserted, u updated,
    // n unchanged). Without repeats that is the stored row. A record fetched more than once
    // needs one sort of the rows by record: its first copy is compared with the stored row, any
    // later one with the copy before it, and it is written once, as its last copy says, if it is
    // new or any copy of it differs from the stored row (as one copy after another would have
    // been). The sort is by the bytes (COLLATE "C"), which group the copies as well as the
    // database's collation does, and faster.
    const QString compared =
        QStringLiteral("SELECT s.record_id, s.payload, s.updated_at,"
                       "    r.record_id IS NOT NULL AS existed, %1"
                       "  FROM staged s LEFT JOIN records r ON r.dealer_id = ?::text AND"
                       "    r.fetch_type = ?::text AND r.record_id = s.record_id %2")
            .arg(*repeats
                     ? QStringLiteral(
                           "CASE WHEN lag(s.seq) OVER copies IS NOT NULL THEN"
                           "       CASE WHEN lag(s.payload) OVER copies IS DISTINCT FROM s.payload"
                           "            THEN 'u' ELSE 'n' END"
                           "     WHEN r.record_id IS NULL THEN 'i'"
                           "     WHEN r.payload::text IS DISTINCT FROM s.payload THEN 'u'"
                           "     ELSE 'n' END AS what,"
                           "  lead(s.seq) OVER copies IS NULL AND"
                           "    bool_or(r.record_id IS NULL OR r.payload::text IS DISTINCT FROM"
                           "      s.payload) OVER (PARTITION BY s.record_id COLLATE \"C\")"
                           "    AS written")
                     : QStringLiteral(
                           "CASE WHEN r.record_id IS NULL THEN 'i'"
                           "     WHEN r.payload::text IS DISTINCT FROM s.payload THEN 'u'"
                           "     ELSE 'n' END AS what,"
                           "  r.record_id IS NULL OR r.payload::text IS DISTINCT FROM s.payload"
                           "    AS written"),
                 *repeats ? QStringLiteral("WINDOW copies AS (PARTITION BY s.record_id COLLATE "
                                           "\"C\" ORDER BY s.seq)")
                          : QString());
    // The records that were there are updated and the new ones inserted, each by a statement of
    // its own kind: an INSERT without ON CONFLICT takes half the time of an upsert, and only the
    // runner, one job at a time, writes `records`. The dealer's and type's count of records
    // grows by those inserted.
    QSqlQuery &q = m_db.prepared(
        QStringLiteral(
            "WITH staged AS (%1), compared AS (%2),"
            "updated AS ("
            "  UPDATE records r SET payload = c.payload::json, updated_at = c.updated_at,"
            "    job_id = ?::bigint"
            "  FROM compared c WHERE c.written AND c.existed AND r.dealer_id = ?::text AND"
            "    r.fetch_type = ?::text AND r.record_id = c.record_id),"
            "inserted AS ("
            "  INSERT INTO records (dealer_id, fetch_type, record_id, payload, updated_at, job_id)"
            "  SELECT ?::text, ?::text, c.record_id, c.payload::json, c.updated_at, ?::bigint"
            "  FROM compared c WHERE c.written AND NOT c.existed),"
            "counted AS ("
            "  INSERT INTO record_counts (dealer_id, fetch_type, records)"
            "  SELECT ?::text, ?::text, count(*) FROM compared WHERE what = 'i' HAVING count(*) > 0"
            "  ON CONFLICT (dealer_id, fetch_type) DO UPDATE SET"
            "    records = record_counts.records + excluded.records)"
            "SELECT count(*) FILTER (WHERE what = 'i'), count(*) FILTER (WHERE what = 'u'),"
            "  count(*) FILTER (WHERE what = 'n'), count(*)"
            " FROM compared")
            .arg(source, compared));
    const FinishOnExit finishQ(q);
    if (records) {
        QByteArray ids = "{";
        QByteArray payloads = "{";
        QByteArray updatedAts = "{";
        for (const FetchedRecord &record : *records) {
            appendArrayElement(&ids, record.idUtf8());
            appendArrayElement(&payloads, record.payload());
            appendArrayElement(&updatedAts, record.updatedAtUtf8());
        }
        for (QByteArray *array : {&ids, &payloads, &updatedAts}) {
            if (array->size() > 1)
                array->chop(1); // the last element's comma
            array->append('}');
            q.addBindValue(QString::fromUtf8(*array));
        }
    } else {
        q.addBindValue(job.id);
    }
    for (const QVariant &value : {QVariant(job.dealerId), QVariant(job.fetchType), // compared
                                  QVariant(job.id), QVariant(job.dealerId),
                                  QVariant(job.fetchType), // updated
                                  QVariant(job.dealerId), QVariant(job.fetchType),
                                  QVariant(job.id),                                 // inserted
                                  QVariant(job.dealerId), QVariant(job.fetchType)}) // counted
        q.addBindValue(value);
    if (!exec(q, error, what))
        return false;
    if (!q.next()) {
        setDatabaseError(error, QStringLiteral("%1: the merge returned no counts").arg(what));
        return false;
    }
    const qint64 read = q.value(3).toLongLong();
    if (read != expected) {
        setDatabaseError(error, QStringLiteral("%1: %2").arg(what, stagedRowsLost(read, expected)));
        return false;
    }
    counts->inserted = q.value(0).toLongLong();
    counts->updated = q.value(1).toLongLong();
    counts->unchanged = q.value(2).toLongLong();
    return true;
}

std::optional<bool> RecordWriter::insertStagedIfNewPostgres(const Job &job, qint64 expected,
                                                            UpsertCounts *counts, StoreError *error)
{
    const QString what = QStringLiteral("storing the records of job %1").arg(job.id);
    // One look-up per staged record, or none past the first one found stored (a re-fetched
    // window: the usual case).
    const std::optional<bool> stored =
        exists(QStringLiteral("SELECT 1 FROM staged_records s JOIN records r ON "
                              "r.dealer_id = ?::text AND r.fetch_type = ?::text AND "
                              "r.record_id = s.record_id WHERE s.job_id = ?::bigint"),
               {job.dealerId, job.fetchType, job.id}, what, error);
    if (!stored)
        return std::nullopt;
    if (*stored)
        return false;
    // Nothing stored and nothing twice: an INSERT of the staged rows as they are, without the
    // merge's comparison, which keeps every row in a tuplestore and reads it four times.
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "WITH inserted AS ("
        "  INSERT INTO records (dealer_id, fetch_type, record_id, payload, updated_at, job_id)"
        "  SELECT ?::text, ?::text, record_id, payload::json, updated_at, ?::bigint"
        "  FROM staged_records WHERE job_id = ?::bigint RETURNING 1),"
        "counted AS ("
        "  INSERT INTO record_counts (dealer_id, fetch_type, records)"
        "  SELECT ?::text, ?::text, count(*) FROM inserted HAVING count(*) > 0"
        "  ON CONFLICT (dealer_id, fetch_type) DO UPDATE SET"
        "    records = record_counts.records + excluded.records)"
        "SELECT count(*) FROM inserted"));
    const FinishOnExit finishQ(q);
    for (const QVariant &value :
         {QVariant(job.dealerId), QVariant(job.fetchType), QVariant(job.id), QVariant(job.id),
          QVariant(job.dealerId), QVariant(job.fetchType)})
        q.addBindValue(value);
    if (!exec(q, error, what))
        return std::nullopt;
    if (!q.next()) {
        setDatabaseError(error, QStringLiteral("%1: the insert returned no count").arg(what));
        return std::nullopt;
    }
    const qint64 read = q.value(0).toLongLong();
    if (read != expected) {
        setDatabaseError(error, QStringLiteral("%1: %2").arg(what, stagedRowsLost(read, expected)));
        return std::nullopt;
    }
    *counts = {};
    counts->inserted = read;
    return true;
}

std::optional<bool> RecordWriter::stagedRepeats(const Job &job, StoreError *error)
{
    // Grouped by hashing the ids, with no sort: about a quarter of what the sort it spares takes.
    return exists(QStringLiteral("SELECT 1 FROM staged_records WHERE job_id = ?::bigint "
                                 "GROUP BY record_id HAVING count(*) > 1"),
                  {job.id},
                  QStringLiteral("looking for records job %1 fetched more than once").arg(job.id),
                  error);
}

std::optional<bool> RecordWriter::exists(const QString &select, const QVariantList &binds,
                                         const QString &what, StoreError *error)
{
    QSqlQuery &q = m_db.prepared(QStringLiteral("SELECT EXISTS (%1)").arg(select));
    const FinishOnExit finishQ(q);
    for (const QVariant &bind : binds)
        q.addBindValue(bind);
    if (!exec(q, error, what))
        return std::nullopt;
    if (!q.next()) {
        setDatabaseError(error, QStringLiteral("%1: no answer").arg(what));
        return std::nullopt;
    }
    return q.value(0).toBool();
}

bool RecordWriter::countInserted(const Job &job, qint64 inserted, StoreError *error)
{
    if (inserted == 0)
        return true;
    QSqlQuery &q = m_db.prepared(QStringLiteral(
        "INSERT INTO record_counts (dealer_id, fetch_type, records) VALUES (?, ?, ?) "
        "ON CONFLICT (dealer_id, fetch_type) DO UPDATE SET "
        "records = record_counts.records + excluded.records"));
    const FinishOnExit finishQ(q);
    q.addBindValue(job.dealerId);
    q.addBindValue(job.fetchType);
    q.addBindValue(inserted);
    return exec(q, error, QStringLiteral("counting the records of job %1").arg(job.id));
}
