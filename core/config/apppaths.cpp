#include "config/apppaths.h"

#include "log/logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

namespace {

QString inFolder(QStandardPaths::StandardLocation base, const QString &relative)
{
    return QDir(QStandardPaths::writableLocation(base)).filePath(relative);
}

QString native(const QString &path)
{
    return QDir::toNativeSeparators(path);
}

/// A move done, logged (dealerq.config, info) and returned.
QStringList logMoved(const QString &line)
{
    qCInfo(lcConfig).noquote() << line;
    return {line};
}

/// A move not done, logged (dealerq.config, warning) and returned.
QStringList logNotMoved(const QString &line)
{
    qCWarning(lcConfig).noquote() << line;
    return {line};
}

bool exists(const QString &path)
{
    return QFileInfo(path).exists() || QFileInfo(path).isSymLink();
}

/// Holds the runner lock of a SQLite file (store/runnerlock.cpp) while the file moves, so that
/// no dealerq takes it up meanwhile; false if a dealerq holds it now.
class LegacyRunnerLock final
{
public:
    explicit LegacyRunnerLock(const QString &databaseFile)
        : m_path(databaseFile + QStringLiteral("-runner.lock"))
    {}
    ~LegacyRunnerLock()
    {
#ifdef Q_OS_UNIX
        if (m_fd >= 0)
            ::close(m_fd);
#endif
    }
    Q_DISABLE_COPY_MOVE(LegacyRunnerLock)

    bool tryLock()
    {
#ifdef Q_OS_UNIX
        if (!QFileInfo::exists(m_path))
            return true;
        m_fd = ::open(QFile::encodeName(m_path).constData(), O_RDWR | O_CLOEXEC);
        if (m_fd < 0)
            return true; // gone meanwhile, or unreadable: nobody can hold it through this name
        return ::flock(m_fd, LOCK_EX | LOCK_NB) == 0;
#else
        return true;
#endif
    }

    /// The lock file has no use once the database has moved.
    void removeFile()
    {
        QFile::remove(m_path);
    }

private:
    QString m_path;
    int m_fd = -1;
};

} // namespace

namespace AppPaths {

QString settingsFile()
{
    return inFolder(QStandardPaths::GenericConfigLocation, QStringLiteral("dealerq/dealerq.ini"));
}

QString databaseFile()
{
    return inFolder(QStandardPaths::GenericDataLocation, QStringLiteral("dealerq/dealerq.db"));
}

QString stateFile()
{
#if defined(Q_OS_UNIX) && !defined(Q_OS_DARWIN)
    // XDG_STATE_HOME is what it is for ("view, layout, open files"); QStandardPaths only
    // knows it from Qt 6.7 on.
    QString base = qEnvironmentVariable("XDG_STATE_HOME");
    if (!QDir::isAbsolutePath(base))
        base = QDir::homePath() + QStringLiteral("/.local/state");
    return QDir(base).filePath(QStringLiteral("dealerq/state.ini"));
#else
    return inFolder(QStandardPaths::GenericConfigLocation, QStringLiteral("dealerq/state.ini"));
#endif
}

QString legacySettingsFile()
{
    return inFolder(QStandardPaths::GenericConfigLocation,
                    QStringLiteral("dealerq/dealerq/dealerq.ini"));
}

QString legacyDatabaseFile()
{
    return inFolder(QStandardPaths::GenericDataLocation,
                    QStringLiteral("dealerq/dealerq/dealerq.db"));
}

QString translationsDir()
{
    return QDir(QCoreApplication::applicationDirPath())
        .absoluteFilePath(QStringLiteral("../share/dealerq/translations"));
}

QStringList moveFiles(const QStringList &from, const QStringList &to, const QString &what)
{
    Q_ASSERT(from.size() == to.size() && !from.isEmpty());
    const QString &mainFrom = from.last();
    const QString &mainTo = to.last();
    if (!exists(mainFrom))
        return {};
    // A companion already at its new place without its old one left behind was moved by an
    // earlier start that stopped before the main file: that is no conflict.
    for (qsizetype i = 0; i < from.size(); ++i) {
        const bool isMain = i == from.size() - 1;
        if (exists(to.at(i)) && (isMain || exists(from.at(i)))) {
            return logNotMoved(
                QStringLiteral("%1 in %2 is not used: %3 exists and is kept; merge or remove "
                               "the old one")
                    .arg(what, native(mainFrom), native(to.at(i))));
        }
    }
    if (!QDir().mkpath(QFileInfo(mainTo).absolutePath())) {
        return logNotMoved(
            QStringLiteral("cannot move %1 from %2: cannot create the folder %3")
                .arg(what, native(mainFrom), native(QFileInfo(mainTo).absolutePath())));
    }
    QList<qsizetype> moved;
    for (qsizetype i = 0; i < from.size(); ++i) {
        if (!exists(from.at(i)))
            continue;
        QFile file(from.at(i));
        if (file.rename(to.at(i))) {
            moved << i;
            continue;
        }
        const QString why = file.errorString();
        for (auto it = moved.crbegin(); it != moved.crend(); ++it)
            QFile::rename(to.at(*it), from.at(*it));
        return logNotMoved(QStringLiteral("cannot move %1 from %2 to %3: %4; it stays where it is")
                               .arg(what, native(from.at(i)), native(to.at(i)), why));
    }
    QDir().rmdir(QFileInfo(mainFrom).absolutePath()); // only if now empty
    return logMoved(QStringLiteral("moved %1 from %2 to %3, where dealerq keeps them now")
                        .arg(what, native(mainFrom), native(mainTo)));
}

QStringList moveLegacySettings()
{
    return moveFiles({legacySettingsFile()}, {settingsFile()}, QStringLiteral("the settings"));
}

QStringList moveLegacyDatabase()
{
    const QString from = legacyDatabaseFile();
    const QString to = databaseFile();
    if (!exists(from))
        return {};
    LegacyRunnerLock lock(from);
    if (!lock.tryLock()) {
        return logNotMoved(
            QStringLiteral("the database %1 is in use by a running dealerq: it is moved to "
                           "%2 at a start when no dealerq uses it")
                .arg(native(from), native(to)));
    }
    QStringList fromFiles;
    QStringList toFiles;
    for (const char *suffix : {"-journal", "-wal", "-shm", ""}) {
        fromFiles << from + QLatin1String(suffix);
        toFiles << to + QLatin1String(suffix);
    }
    const QStringList lines = moveFiles(fromFiles, toFiles, QStringLiteral("the database"));
    if (!exists(from))
        lock.removeFile();
    QDir().rmdir(QFileInfo(from).absolutePath()); // now that the lock file is gone
    return lines;
}

QStringList windowStateKeys()
{
    return {QStringLiteral("geometry"),      QStringLiteral("state"),
            QStringLiteral("main_splitter"), QStringLiteral("table_splitter"),
            QStringLiteral("queue_columns"), QStringLiteral("history_columns")};
}

QStringList moveWindowState(const QString &settingsFile, const QString &stateFile)
{
    if (!QFileInfo(settingsFile).isFile())
        return {};
    QSettings settings(settingsFile, QSettings::IniFormat);
    settings.beginGroup(QStringLiteral("window"));
    QStringList found;
    for (const QString &key : windowStateKeys()) {
        if (settings.contains(key))
            found << key;
    }
    if (found.isEmpty())
        return {};
    QSettings state(stateFile, QSettings::IniFormat);
    state.beginGroup(QStringLiteral("window"));
    const bool stateHasLayout = state.contains(QStringLiteral("geometry"));
    if (!stateHasLayout) {
        for (const QString &key : found)
            state.setValue(key, settings.value(key));
        state.endGroup();
        QDir().mkpath(QFileInfo(stateFile).absolutePath());
        state.sync();
        if (state.status() != QSettings::NoError) {
            return logNotMoved(
                QStringLiteral("cannot write the window layout to %1; it stays in %2")
                    .arg(native(stateFile), native(settingsFile)));
        }
    }
    for (const QString &key : found)
        settings.remove(key);
    settings.endGroup();
    settings.sync();
    // The settings may hold tokens: owner only, as Settings::sync() keeps them.
    QFile::setPermissions(settingsFile, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (stateHasLayout) {
        return logMoved(
            QStringLiteral("removed an old window layout from %1 (%2 holds the current one)")
                .arg(native(settingsFile), native(stateFile)));
    }
    return logMoved(QStringLiteral("moved the window layout from %1 to %2, apart from the settings")
                        .arg(native(settingsFile), native(stateFile)));
}

} // namespace AppPaths
