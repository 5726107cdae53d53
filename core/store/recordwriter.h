#pragma once

#include <QString>
#include <QVector>

class Database;
class FetchedRecord;
class QSqlQuery;
struct Job;
struct JobResult;
struct StoreError;
struct UpsertCounts;

/// Writes a finished job's records into the `records` table by (dealer_id, fetch_type,
/// record_id), inside the write transaction open on `db`: through the sqlite3 C API on SQLite,
/// 500 records per statement pair on PostgreSQL; and keeps the count of records per dealer and
/// type (`record_counts`, SPEC §10's coverage) in step.
class RecordWriter final
{
public:
    explicit RecordWriter(Database &db);
    Q_DISABLE_COPY_MOVE(RecordWriter)

    /// Upserts `records` and counts them in *result (inserted, updated, unchanged); false with
    /// *error set (when asked for) once a statement fails, the transaction then to be rolled back.
    bool write(const Job &job, const QVector<FetchedRecord> &records, JobResult *result,
               StoreError *error);
    /// After a failed write(): whether the connection itself is gone (close it, open it again).
    bool connectionLost() const { return m_connectionLost; }

private:
    /// PostgreSQL: upserts records [from, to), whose ids are distinct, adding to *counts.
    bool writeBatch(const Job &job, const QVector<FetchedRecord> &records, qsizetype from,
                    qsizetype to, UpsertCounts *counts, StoreError *error);
    bool exec(QSqlQuery &query, StoreError *error, const QString &what);
    /// Adds `inserted` new records to the dealer's and type's count (`record_counts`), in the
    /// same transaction: records are never deleted, so that count stays exact.
    bool countInserted(const Job &job, qint64 inserted, StoreError *error);

    Database &m_db;
    bool m_connectionLost = false;
};
