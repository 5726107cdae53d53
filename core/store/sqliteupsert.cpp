#include "store/sqliteupsert.h"

#include "job/fetchedrecord.h"
#include "job/job.h"
#include "store/database.h"

#include <sqlite3.h>

namespace {

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

} // namespace

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
