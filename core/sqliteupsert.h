#pragma once

#include <QString>
#include <QVector>

class Database;
class FetchedRecord;
struct Job;

/// What an upsert of a job's records did.
struct UpsertCounts
{
    qint64 inserted = 0;
    qint64 updated = 0;
    qint64 unchanged = 0;
};

/// Why an upsert stopped: SQLite's message and extended result code.
struct UpsertFailure
{
    QString message;
    int code = 0;
};

/// Upserts `records` into SQLite's `records` table by (dealer_id, fetch_type, record_id),
/// inside the transaction the caller has open on `db`, through the sqlite3 C API on Qt's own
/// connection handle (statements prepared once per connection, Database::nativeStatement):
/// each record's UTF-8 bytes are bound where they lie, with no QVariant or UTF-16 round trip
/// (the bulk of a 200,000-record job's commit). A new record takes one
/// statement; once one turns out to exist, the next ones are compared first, so a re-fetched
/// unchanged window also takes one statement per record.
bool upsertRecordsSqlite(Database &db, const Job &job, const QVector<FetchedRecord> &records,
                         UpsertCounts *counts, UpsertFailure *failure);
