#pragma once

#include <functional>

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QString>
#include <QVector>

class FetchedRecord;

/// A job's first fetch on PostgreSQL on its way to `records`, kept in a local file while the job
/// downloads: each page's rows as `records`' own rows in COPY's text format (dealer_id,
/// fetch_type, record_id, payload, updated_at, job_id), which the completing transaction copies
/// into `records` as they are (RecordWriter::merge()). Staging them in the server instead writes
/// every row twice, once into the staging table while the job downloads and once into
/// `records`, and the first write takes longer than the download it overlaps.
///
/// The file has no name (O_TMPFILE), or loses it as soon as it is made: it lives as long as its
/// descriptor, so a process killed mid-job leaves nothing on disk, and no other process or later
/// job can open it.
class RecordSpool final
{
public:
    RecordSpool() = default;
    Q_DISABLE_COPY_MOVE(RecordSpool)

    /// Makes the file (in `directory`) for job `jobId` of `dealerId` and `fetchType`, once; false
    /// with *error set when it cannot be made.
    bool open(const QString &directory, qint64 jobId, const QString &dealerId,
              const QString &fetchType, QString *error);
    /// Appends `records` as rows; false with *error set when they cannot all be written (a
    /// full disk): read() then still yields the rows appended before, and nothing more may be
    /// appended.
    bool append(const QVector<FetchedRecord> &records, QString *error);
    /// Calls `take` with the rows from the first, in chunks of whole rows of about `chunk` bytes
    /// (a row longer than that in one chunk of its own), as long as it returns true; false with
    /// *error set when the file cannot be read, or when `take` returned false (error untouched).
    bool read(const std::function<bool(QByteArrayView rows)> &take, QString *error,
              qsizetype chunk = 1 << 20);

    qint64 records() const { return m_records; }

    /// A row's fields after its dealer and type, before its job: record_id, payload and
    /// updated_at, tab-separated as in the row (`row` without its newline).
    static QByteArrayView recordFields(QByteArrayView row);

private:
    QFile m_file;
    QByteArray m_prefix; ///< every row's dealer_id and fetch_type, with their tabs
    QByteArray m_suffix; ///< every row's tab, job_id and newline
    QByteArray m_rows;   ///< a page's rows on their way to the file
    qint64 m_records = 0;
    qint64 m_bytes = 0;
};
