#include "store/runnerlock.h"

#include <QSqlQuery>
#include <QSqlError>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace {

class FileRunnerLock final : public RunnerLock
{
public:
    explicit FileRunnerLock(QString path)
        : m_path(std::move(path))
    {}
    ~FileRunnerLock() override { release(); }

    bool tryAcquire(QString *error) override
    {
        if (m_fd >= 0)
            return true;
        const int fd = ::open(m_path.toLocal8Bit().constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (fd < 0) {
            if (error)
                *error = QStringLiteral("cannot open the runner lock %1: %2")
                             .arg(m_path, QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            ::close(fd);
            return false;
        }
        m_fd = fd;
        return true;
    }

    void release() override
    {
        if (m_fd < 0)
            return;
        ::flock(m_fd, LOCK_UN);
        ::close(m_fd);
        m_fd = -1;
    }

    bool isHeld() const override { return m_fd >= 0; }

private:
    QString m_path;
    int m_fd = -1;
};

class AdvisoryRunnerLock final : public RunnerLock
{
public:
    explicit AdvisoryRunnerLock(Database &db)
        : m_db(db)
    {}
    ~AdvisoryRunnerLock() override { release(); }

    bool tryAcquire(QString *error) override
    {
        if (m_held)
            return true;
        QSqlQuery q(m_db.db());
        if (!q.exec(QStringLiteral("SELECT pg_try_advisory_lock(7321002)")) || !q.next()) {
            if (error)
                *error = q.lastError().text();
            return false;
        }
        m_held = q.value(0).toBool();
        return m_held;
    }

    void release() override
    {
        if (!m_held)
            return;
        m_held = false;
        QSqlQuery q(m_db.db());
        q.exec(QStringLiteral("SELECT pg_advisory_unlock(7321002)"));
    }

    bool isHeld() const override { return m_held; }
    void connectionLost() override { m_held = false; }

private:
    Database &m_db;
    bool m_held = false;
};

} // namespace

std::unique_ptr<RunnerLock> RunnerLock::create(Database &db)
{
    if (db.isSqlite())
        return std::make_unique<FileRunnerLock>(db.url().path + QStringLiteral("-runner.lock"));
    return std::make_unique<AdvisoryRunnerLock>(db);
}
