#include "store/recordspool.h"

#include "job/fetchedrecord.h"
#include "store/recordwriter.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

#include <QDir>

bool RecordSpool::open(const QString &directory, qint64 jobId, const QString &dealerId,
                       const QString &fetchType, QString *error)
{
    // A file without a name where the file system makes one (O_TMPFILE), else one whose name
    // is removed at once: either way it lives as long as its descriptor.
    const QByteArray dir = QFile::encodeName(directory);
    int fd = ::open(dir.constData(), O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        QByteArray name =
            QFile::encodeName(QDir(directory).filePath(QStringLiteral("dealerq-job-XXXXXX.spool")));
        fd = ::mkostemps(name.data(), 6, O_CLOEXEC);
        if (fd >= 0 && ::unlink(name.constData()) != 0) {
            ::close(fd);
            ::unlink(name.constData());
            fd = -1;
        }
    }
    // Unbuffered: a write that fails (a full disk) leaves nothing behind in a buffer.
    if (fd < 0 || !m_file.open(fd, QIODevice::ReadWrite | QIODevice::Unbuffered,
                               QFileDevice::AutoCloseHandle)) {
        *error =
            QStringLiteral("cannot make a spool file in %1: %2")
                .arg(QDir::toNativeSeparators(directory),
                     fd < 0 ? QString::fromLocal8Bit(std::strerror(errno)) : m_file.errorString());
        if (fd >= 0)
            ::close(fd);
        return false;
    }
    m_prefix.clear();
    appendCopyField(&m_prefix, dealerId.toUtf8());
    m_prefix.append('\t');
    appendCopyField(&m_prefix, fetchType.toUtf8());
    m_prefix.append('\t');
    m_suffix = '\t' + QByteArray::number(jobId) + '\n';
    m_records = m_bytes = 0;
    return true;
}

bool RecordSpool::append(const QVector<FetchedRecord> &records, QString *error)
{
    m_rows.clear();
    for (const FetchedRecord &record : records) {
        m_rows.append(m_prefix);
        appendCopyField(&m_rows, record.idUtf8());
        m_rows.append('\t');
        appendCopyField(&m_rows, record.payload());
        m_rows.append('\t');
        appendCopyField(&m_rows, record.updatedAtUtf8());
        m_rows.append(m_suffix);
    }
    if (m_file.write(m_rows) != m_rows.size() || !m_file.flush()) {
        *error = QStringLiteral("cannot write the spool file: %1").arg(m_file.errorString());
        return false;
    }
    m_records += records.size();
    m_bytes += m_rows.size();
    if (m_rows.capacity() > (4 << 20))
        m_rows = QByteArray(); // a page of unusual size keeps no buffer of its size
    return true;
}

bool RecordSpool::read(const std::function<bool(QByteArrayView rows)> &take, QString *error,
                       qsizetype chunk)
{
    const auto failed = [&] {
        *error = QStringLiteral("cannot read the spool file: %1").arg(m_file.errorString());
        return false;
    };
    if (!m_file.seek(0))
        return failed();
    QByteArray buffer;
    qint64 left = m_bytes;
    qsizetype kept = 0; // bytes of a row begun in the last chunk, at the buffer's start
    while (left > 0 || kept > 0) {
        const qsizetype want = qsizetype(std::min<qint64>(chunk, left));
        buffer.resize(kept + want);
        if (want > 0 && m_file.read(buffer.data() + kept, want) != want)
            return failed();
        left -= want;
        const qsizetype end = buffer.lastIndexOf('\n') + 1; // whole rows
        if (end == 0) {
            if (left == 0) { // the file ends inside a row: it was not all written
                *error = QStringLiteral("the spool file ends inside a row");
                return false;
            }
            kept = buffer.size(); // a row longer than a chunk: read on
            continue;
        }
        if (!take(QByteArrayView(buffer.constData(), end)))
            return false;
        kept = buffer.size() - end;
        std::memmove(buffer.data(), buffer.constData() + end, size_t(kept));
    }
    return true;
}

QByteArrayView RecordSpool::recordFields(QByteArrayView row)
{
    // A field's tabs and newlines are escaped (appendCopyField()): every raw tab separates.
    const qsizetype afterDealer = row.indexOf('\t') + 1;
    const qsizetype afterType = row.sliced(afterDealer).indexOf('\t') + 1 + afterDealer;
    const qsizetype beforeJob = row.lastIndexOf('\t');
    return row.sliced(afterType, beforeJob - afterType);
}
