#pragma once

#include "store/recordupsert.h"

#include <QString>
#include <QVector>

class Database;
struct Job;

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
/// (the bulk of a 200,000-record job's commit). The statements run in upsertEach()'s order.
bool upsertRecordsSqlite(Database &db, const Job &job, const QVector<FetchedRecord> &records,
                         UpsertCounts *counts, UpsertFailure *failure);
