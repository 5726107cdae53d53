#pragma once

#include <functional>
#include <optional>

#include <QByteArrayView>
#include <QString>
#include <QVariant>
#include <QVector>

class Database;
class FetchedRecord;
class QSqlQuery;
class RecordSpool;
struct Job;
struct JobResult;
struct StoreError;
struct UpsertCounts;

/// A running job's records on their way into the `records` table, in two steps that keep the
/// job's memory independent of its size (SPEC §1):
///
/// - stage(): each page as it arrives goes into the connection's own staging table
///   (`staged_records`, a TEMP table: private to the connection, never in the shared database's
///   write lock or log, gone with the connection, so a killed process leaves none behind);
/// - merge(): inside the completing write transaction, the job's staged rows are upserted into
///   `records` by (dealer_id, fetch_type, record_id) and counted exactly (inserted, updated,
///   unchanged; a record the job fetched twice is compared with what its first copy stored),
///   and the count of records per dealer and type (`record_counts`, SPEC §10's coverage) kept
///   in step; the staged rows are removed just after the commit (discardStaged()). A job whose
///   only page is its last stages nothing: its records go straight into the merge.
///
/// A first fetch on PostgreSQL (no record of its dealer and type stored when it starts) is kept
/// in a local file instead of the staging table (RecordSpool), and copied into `records` as it
/// is by merge(): one write of each row instead of two.
///
/// On SQLite the merge walks the staged rows in order through the sqlite3 C API on Qt's own
/// handle; on PostgreSQL it is one set-based statement (two when staged, the first asking
/// whether any record was fetched twice, which needs the statement's slower form).
class RecordWriter final
{
public:
    explicit RecordWriter(Database &db);
    Q_DISABLE_COPY_MOVE(RecordWriter)

    /// Creates the connection's staging table when it has none and empties it: what a job that
    /// did not complete left there is never merged into another.
    bool startStaging(StoreError *error);
    /// Appends `records` to job `jobId`'s staged rows, `firstSeq` being the first one's place in
    /// the job (the count staged before). Outside a transaction it commits on its own, touching
    /// nothing of the shared database.
    bool stage(qint64 jobId, const QVector<FetchedRecord> &records, qint64 firstSeq,
               StoreError *error);
    /// Inside the write transaction open on the connection: upserts job's staged rows, of which
    /// there must be `staged` (fewer means the connection was opened again mid-job, and the
    /// merge fails), then `more` (the job's last records, not staged: SQLite takes them from
    /// memory; PostgreSQL stages them first for its one statement, or with nothing staged
    /// passes them to it as arrays); counts them in *result
    /// (inserted, updated, unchanged), leaving the staged rows for discardStaged() after the
    /// commit; false with *error set (when asked for) once a statement fails, the transaction
    /// then to be rolled back. `mayRepeat` false says that no record comes twice among the
    /// staged rows and `more` (the staging's RecordIdFilter), which spares the merge finding out.
    /// `spool` (PostgreSQL), when given, holds the staged records instead of the staging table;
    /// `more` is appended to it.
    bool merge(const Job &job, qint64 staged, const QVector<FetchedRecord> &more, bool mayRepeat,
               RecordSpool *spool, JobResult *result, StoreError *error);
    /// Stages the spool's rows (PostgreSQL, a spool grown too big, or a first fetch
    /// that turns out to need the merge), numbered from 1 in the order they were fetched.
    bool stageSpool(const Job &job, RecordSpool &spool, StoreError *error);
    /// Removes every staged row (a job merged and committed, or one that will not complete).
    bool discardStaged(StoreError *error);
    /// After a failed call: whether the connection itself is gone (close it, open it again).
    bool connectionLost() const { return m_connectionLost; }
    /// After merge() with a spool: whether it staged the spool's rows (to be emptied after the
    /// commit) rather than copying them into `records` as they are.
    bool stagedSpool() const { return m_stagedSpool; }

private:
    bool mergeSqlite(const Job &job, qint64 staged, const QVector<FetchedRecord> &more,
                     bool mayRepeat, UpsertCounts *counts, StoreError *error);
    /// SQLite, for staged rows none of which comes twice: when none of them is stored yet,
    /// inserts them all by one statement and returns true; false (nothing written) when the
    /// record-by-record upsert must take them; nullopt on an error.
    std::optional<bool> insertStagedIfNew(const Job &job, qint64 staged, StoreError *error);
    /// The one statement of PostgreSQL's merge, over `records` when given (nothing staged),
    /// else over the job's staged rows, of which there must be `expected`; `mayRepeat` false
    /// spares looking for a staged record that came twice (given records are looked at anyway).
    bool mergePostgres(const Job &job, const QVector<FetchedRecord> *records, qint64 expected,
                       bool mayRepeat, UpsertCounts *counts, StoreError *error);
    /// PostgreSQL, for staged rows none of which comes twice (`expected` of them): when none of
    /// them is stored yet, inserts them all (and counts them) and returns true; false (nothing
    /// written) when the merge must compare them; nullopt on an error.
    std::optional<bool> insertStagedIfNewPostgres(const Job &job, qint64 expected,
                                                  UpsertCounts *counts, StoreError *error);
    /// Whether the job's staged rows hold any record more than once (PostgreSQL), which takes
    /// the merge's slower form; nullopt on an error.
    std::optional<bool> stagedRepeats(const Job &job, StoreError *error);
    /// Whether `select` (with `binds`, PostgreSQL's placeholders) yields a row; nullopt with
    /// *error set, naming `what`, on an error.
    std::optional<bool> exists(const QString &select, const QVariantList &binds,
                               const QString &what, StoreError *error);
    bool stagePostgres(qint64 jobId, const QVector<FetchedRecord> &records, qint64 firstSeq,
                       StoreError *error);
    /// Copies the spool's rows into `records` (PostgreSQL, inside the open transaction) and
    /// counts them as inserted: true; false (nothing written) when one was stored already, which
    /// the merge must compare; nullopt on an error.
    std::optional<bool> copySpoolIntoRecords(const Job &job, RecordSpool &spool,
                                             UpsertCounts *counts, StoreError *error);
    /// Sends one chunk of COPY rows; false when it could not be sent.
    using CopySend = std::function<bool(QByteArrayView rows)>;
    /// Runs `statement`, a COPY … FROM STDIN, through libpq on Qt's connection, `produce`
    /// sending its rows (false when it could not: the COPY is then rolled back); the rows copied,
    /// or nullopt with *error set (naming `what`) and *sqlState, when asked for, the server's
    /// code for the failure.
    std::optional<qint64> copyIn(const char *statement,
                                 const std::function<bool(const CopySend &)> &produce,
                                 const QString &what, StoreError *error,
                                 QByteArray *sqlState = nullptr);
    bool exec(QSqlQuery &query, StoreError *error, const QString &what);
    /// Runs `statement` as it is, not prepared (a table's creation, TRUNCATE, a savepoint);
    /// false with *error set, naming `what`, when it fails.
    bool execDirect(const QString &statement, StoreError *error, const QString &what);
    /// Sets *error for a failed sqlite3 step (`code`, `message`) while `what`.
    bool sqliteFailed(StoreError *error, int code, const QString &message, const QString &what);
    /// Adds `inserted` new records to the dealer's and type's count (`record_counts`), in the
    /// same transaction: records are never deleted, so that count stays exact.
    bool countInserted(const Job &job, qint64 inserted, StoreError *error);

    Database &m_db;
    bool m_connectionLost = false;
    bool m_stagedSpool = false;
};

/// Appends `text` to a row of PostgreSQL's COPY text format as one field: a backslash, tab,
/// newline or carriage return escaped, everything else (UTF-8) as it is.
void appendCopyField(QByteArray *row, QByteArrayView text);
