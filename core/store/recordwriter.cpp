#include "store/recordwriter.h"

#include "job/fetchedrecord.h"
#include "job/job.h"
#include "job/queuetypes.h"
#include "store/database.h"

#include <optional>

#include <QSet>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

/// What an upsert of a job's records did.
struct UpsertCounts
{
    qint64 inserted = 0;
    qint64 updated = 0;
    qint64 unchanged = 0;
};

namespace {

/// How many records a PostgreSQL upsert writes per statement: 3 parameters a row.
constexpr qsizetype RecordBatch = 500;

/// A record's row as the store has it, compared with the fetched one.
enum class StoredRecord
{
    Missing,
    Same,
    Changed
};

/// The upsert's order of statements on SQLite, where a statement costs no round trip: one
/// statement per record in the usual cases (PostgreSQL writes batches, with the same counts:
/// RecordWriter::write). While records turn out new, each is inserted outright (`insert`
/// returns whether a row was added; a conflict means it exists); once one exists, each is compared
/// first (`compare`), since a re-fetched window is mostly unchanged, and only a changed one is
/// written (`update`), a missing one inserted. Each step returns nothing (`insert`, `compare`)
/// or false (`update`) when its statement failed; the upsert then stops and returns false.
template<typename Insert, typename Compare, typename Update>
bool upsertEach(const QVector<FetchedRecord> &records, UpsertCounts *counts, Insert insert,
                Compare compare, Update update)
{
    *counts = {};
    bool expectNew = true;
    for (const FetchedRecord &record : records) {
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
    return true;
}

/// Why an upsert stopped: SQLite's message and extended result code.
struct UpsertFailure
{
    QString message;
    int code = 0;
};

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

private:
    sqlite3_stmt *m_stmt;
};

/// Upserts `records` into SQLite's `records` table by (dealer_id, fetch_type, record_id),
/// inside the transaction the caller has open on `db`, through the sqlite3 C API on Qt's own
/// connection handle (statements prepared once per connection, Database::nativeStatement):
/// each record's UTF-8 bytes are bound where they lie, with no QVariant or UTF-16 round trip
/// (the bulk of a 200,000-record job's commit). The statements run in upsertEach()'s order.
bool upsertRecordsSqlite(Database &db, const Job &job, const QVector<FetchedRecord> &records,
                         UpsertCounts *counts, UpsertFailure *failure)
{
    // ?1 dealer_id, ?2 fetch_type, ?3 record_id, ?4 payload, ?5 updated_at, ?6 job_id
    QString prepareError;
    Statement insert(db,
                     "INSERT INTO records (dealer_id, fetch_type, record_id, payload, "
                     "updated_at, job_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                     "ON CONFLICT DO NOTHING",
                     &prepareError);
    Statement differs(db,
                      "SELECT payload IS NOT ?4 FROM records WHERE dealer_id = ?1 AND "
                      "fetch_type = ?2 AND record_id = ?3",
                      &prepareError);
    Statement update(db,
                     "UPDATE records SET payload = ?4, updated_at = ?5, job_id = ?6 "
                     "WHERE dealer_id = ?1 AND fetch_type = ?2 AND record_id = ?3",
                     &prepareError);
    if (!insert.isValid() || !differs.isValid() || !update.isValid()) {
        failure->code = SQLITE_ERROR;
        failure->message =
            QStringLiteral("preparing the records' statements: %1").arg(prepareError);
        return false;
    }
    sqlite3 *handle = sqlite3_db_handle(insert.get());
    // Read before the statement is reset, which may overwrite the message.
    const auto failed = [&](const char *what) {
        failure->code = sqlite3_extended_errcode(handle);
        failure->message = QStringLiteral("%1: %2").arg(QLatin1String(what),
                                                        QString::fromUtf8(sqlite3_errmsg(handle)));
        return false;
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

    // ?3 record_id, ?4 payload, ?5 updated_at: what differs from record to record.
    const auto write = [&](Statement &statement, const FetchedRecord &record) {
        statement.bindText(3, record.idUtf8());
        statement.bindText(4, record.payload());
        statement.bindText(5, record.updatedAtUtf8());
        if (sqlite3_step(statement.get()) != SQLITE_DONE)
            return failed("storing a record");
        sqlite3_reset(statement.get());
        return true;
    };
    return upsertEach(
        records, counts,
        [&](const FetchedRecord &record) -> std::optional<bool> {
            if (!write(insert, record))
                return std::nullopt;
            return sqlite3_changes(handle) > 0;
        },
        [&](const FetchedRecord &record) -> std::optional<StoredRecord> {
            differs.bindText(3, record.idUtf8());
            differs.bindText(4, record.payload());
            const int rc = sqlite3_step(differs.get());
            if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
                failed("comparing a record");
                return std::nullopt;
            }
            const StoredRecord stored = rc == SQLITE_DONE ? StoredRecord::Missing
                                        : sqlite3_column_int(differs.get(), 0) != 0
                                            ? StoredRecord::Changed
                                            : StoredRecord::Same;
            sqlite3_reset(differs.get());
            return stored;
        },
        [&](const FetchedRecord &record) { return write(update, record); });
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

bool RecordWriter::write(const Job &job, const QVector<FetchedRecord> &records, JobResult *result,
                         StoreError *error)
{
    result->inserted = result->updated = result->unchanged = 0;
    if (m_db.isSqlite()) {
        UpsertCounts counts;
        UpsertFailure failure;
        if (!upsertRecordsSqlite(m_db, job, records, &counts, &failure)) {
            const bool lost = isSqliteConnectionLost(failure.code);
            m_connectionLost = m_connectionLost || lost;
            if (error)
                *error = {lost ? StoreError::Kind::ConnectionLost : StoreError::Kind::Database,
                          QStringLiteral("database error while storing the records of job %1: %2")
                              .arg(job.id)
                              .arg(failure.message),
                          {},
                          0};
            return false;
        }
        result->inserted = counts.inserted;
        result->updated = counts.updated;
        result->unchanged = counts.unchanged;
        return countInserted(job, counts.inserted, error);
    }

    // PostgreSQL, through Qt: a batch of records per statement pair, since every statement is
    // a round trip to the server. A batch ends before an id it already holds: one statement
    // cannot write a row twice, and a repeated id is counted as upsertEach() counts it (against
    // what the first one stored).
    UpsertCounts counts;
    qsizetype from = 0;
    while (from < records.size()) {
        QSet<QString> ids;
        qsizetype to = from;
        for (; to < records.size() && to - from < RecordBatch; ++to) {
            const QString id = records.at(to).id();
            if (ids.contains(id))
                break;
            ids.insert(id);
        }
        if (!writeBatch(job, records, from, to, &counts, error))
            return false;
        from = to;
    }
    result->inserted = counts.inserted;
    result->updated = counts.updated;
    result->unchanged = counts.unchanged;
    return countInserted(job, counts.inserted, error);
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

bool RecordWriter::writeBatch(const Job &job, const QVector<FetchedRecord> &records, qsizetype from,
                              qsizetype to, UpsertCounts *counts, StoreError *error)
{
    const qsizetype n = to - from;
    // The batch's rows as VALUES (id, payload, updated_at); the first row's casts type them all.
    QString rows = QStringLiteral("(?::text, ?::text, ?::text)");
    rows.reserve(n * 11);
    for (qsizetype i = 1; i < n; ++i)
        rows += QStringLiteral(",(?,?,?)");
    // New records go in; those whose row exists come back as not inserted.
    const QString insertSql =
        QStringLiteral(
            "INSERT INTO records (dealer_id, fetch_type, record_id, payload, updated_at, "
            "job_id) SELECT ?::text, ?::text, v.id, v.payload::json, v.updated_at, "
            "?::bigint FROM (VALUES %1) AS v(id, payload, updated_at) "
            "ON CONFLICT DO NOTHING RETURNING record_id")
            .arg(rows);
    // Of the others, those whose payload differs are written; those come back as updated.
    const QString updateSql =
        QStringLiteral("UPDATE records AS r SET payload = v.payload::json, updated_at = "
                       "v.updated_at, job_id = ?::bigint FROM (VALUES %1) AS v(id, payload, "
                       "updated_at) WHERE r.dealer_id = ?::text AND r.fetch_type = ?::text AND "
                       "r.record_id = v.id AND r.payload::text IS DISTINCT FROM v.payload "
                       "RETURNING r.record_id")
            .arg(rows);
    const QString storing = QStringLiteral("storing the records of job %1").arg(job.id);
    // A full batch is prepared once; a shorter one (a job's last) for this call only, so that
    // the cache does not grow with every length a job ever had.
    const auto run = [&](const QString &sql, const auto &bind) -> std::optional<QSet<QString>> {
        QSqlQuery single(m_db.db());
        const bool usual = n == RecordBatch;
        QSqlQuery &q = usual ? m_db.prepared(sql) : single;
        if (!usual) {
            q.setForwardOnly(true);
            q.prepare(sql);
        }
        const FinishOnExit finishQ(q);
        bind(q);
        if (!exec(q, error, storing))
            return std::nullopt;
        QSet<QString> returned;
        while (q.next())
            returned.insert(q.value(0).toString());
        return returned;
    };
    const auto bindRows = [&](QSqlQuery &q, int at, const QSet<QString> &skip) {
        for (qsizetype i = from; i < to; ++i) {
            const FetchedRecord &record = records.at(i);
            const QString id = record.id();
            // A row left out of the UPDATE still needs its three values: an id no row has.
            const bool out = skip.contains(id);
            q.bindValue(at++, out ? QString() : id);
            q.bindValue(at++, out ? QString() : QString::fromUtf8(record.payload()));
            q.bindValue(at++, out ? QString() : record.updatedAt());
        }
    };
    const std::optional<QSet<QString>> inserted = run(insertSql, [&](QSqlQuery &q) {
        q.bindValue(0, job.dealerId);
        q.bindValue(1, job.fetchType);
        q.bindValue(2, job.id);
        bindRows(q, 3, {});
    });
    if (!inserted)
        return false;
    counts->inserted += inserted->size();
    if (inserted->size() == n)
        return true;
    const std::optional<QSet<QString>> updated = run(updateSql, [&](QSqlQuery &q) {
        q.bindValue(0, job.id);
        bindRows(q, 1, *inserted);
        q.bindValue(1 + 3 * int(n), job.dealerId);
        q.bindValue(2 + 3 * int(n), job.fetchType);
    });
    if (!updated)
        return false;
    counts->updated += updated->size();
    counts->unchanged += n - inserted->size() - updated->size();
    return true;
}
