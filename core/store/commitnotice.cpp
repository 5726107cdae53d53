#include "store/commitnotice.h"

#include <QDateTime>
#include <QFile>
#include <QSaveFile>

#include <cerrno>
#include <csignal>
#include <unistd.h>

namespace {

bool processLives(qint64 pid)
{
    if (pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) == 0 || errno == EPERM;
}

} // namespace

QString CommitNotice::pathFor(const QString &databasePath)
{
    if (databasePath.isEmpty() || databasePath == QLatin1String(":memory:"))
        return {};
    return databasePath + QStringLiteral("-commit");
}

std::optional<CommitNotice> CommitNotice::read(const QString &path)
{
    if (path.isEmpty())
        return std::nullopt;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    // "pid job records since", one line: written whole by QSaveFile's rename.
    const QList<QByteArray> fields = file.readLine(200).trimmed().split(' ');
    if (fields.size() != 4)
        return std::nullopt;
    CommitNotice notice;
    qint64 *const values[] = {&notice.pid, &notice.jobId, &notice.records, &notice.sinceMs};
    for (int i = 0; i < 4; ++i) {
        bool ok = false;
        *values[i] = fields.at(i).toLongLong(&ok);
        if (!ok)
            return std::nullopt;
    }
    if (!processLives(notice.pid))
        return std::nullopt;
    return notice;
}

CommitNoticeGuard::CommitNoticeGuard(const QString &path, qint64 jobId, qint64 records)
    : m_path(path)
{
    if (m_path.isEmpty())
        return;
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly)) {
        m_path.clear();
        return;
    }
    file.write(QByteArray::number(qint64(::getpid())) + ' ' + QByteArray::number(jobId) + ' ' +
               QByteArray::number(records) + ' ' +
               QByteArray::number(QDateTime::currentMSecsSinceEpoch()) + '\n');
    // Without the notice an add waits only its busy timeout, as before: not worth failing for.
    if (!file.commit())
        m_path.clear();
}

CommitNoticeGuard::~CommitNoticeGuard()
{
    if (!m_path.isEmpty())
        QFile::remove(m_path);
}

DatabaseWaits *DatabaseWaits::instance()
{
    static DatabaseWaits waits;
    return &waits;
}
