#include "config/apppaths.h"
#include "config/settings.h"
#include "store/database.h"
#include "store/runnerlock.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

/// SPEC §9's files: where they are by default, and files of the older doubled folders
/// (`~/.config/dealerq/dealerq/`) moved once, never twice and never over a newer file — with
/// real files under a temporary HOME and XDG folders, and the real dealerq binary end to end.
class TestAppPaths final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void defaultsFollowHomeAndXdg();
    void settingsMoveOnce();
    void settingsNeverOverwriteNewer();
    void databaseMovesWithItsWriteAheadLog();
    void databaseNeverOverwritesNewer();
    void databaseInUseStaysUntilFree();
    void interruptedMoveFinishes();
    void windowStateLeavesTheSettings();
    void stateFileBesideOtherSettings();
    void dealerqMovesOnceEndToEnd();

private:
    static QByteArray read(const QString &path);
    static bool write(const QString &path, const QByteArray &data);
    QString home(const QString &relative) const { return m_dir->filePath(relative); }
    std::unique_ptr<QTemporaryDir> m_dir;
};

namespace {

const char *const XdgVariables[] = {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME"};

} // namespace

QByteArray TestAppPaths::read(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray("<unreadable>");
}

bool TestAppPaths::write(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(data) == data.size();
}

void TestAppPaths::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    qputenv("HOME", QFile::encodeName(m_dir->path()));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(home("config")));
    qputenv("XDG_DATA_HOME", QFile::encodeName(home("data")));
    qputenv("XDG_STATE_HOME", QFile::encodeName(home("state")));
}

void TestAppPaths::cleanup()
{
    m_dir.reset();
}

void TestAppPaths::defaultsFollowHomeAndXdg()
{
    QCOMPARE(AppPaths::settingsFile(), home("config/dealerq/dealerq.ini"));
    QCOMPARE(AppPaths::databaseFile(), home("data/dealerq/dealerq.db"));
    QCOMPARE(AppPaths::stateFile(), home("state/dealerq/state.ini"));
    QCOMPARE(AppPaths::legacySettingsFile(), home("config/dealerq/dealerq/dealerq.ini"));
    QCOMPARE(AppPaths::legacyDatabaseFile(), home("data/dealerq/dealerq/dealerq.db"));
    QCOMPARE(Settings::defaultFilePath(), AppPaths::settingsFile());

    for (const char *name : XdgVariables)
        qunsetenv(name);
    QCOMPARE(AppPaths::settingsFile(), home(".config/dealerq/dealerq.ini"));
    QCOMPARE(AppPaths::databaseFile(), home(".local/share/dealerq/dealerq.db"));
    QCOMPARE(AppPaths::stateFile(), home(".local/state/dealerq/state.ini"));
    QCOMPARE(AppPaths::legacySettingsFile(), home(".config/dealerq/dealerq/dealerq.ini"));
}

void TestAppPaths::settingsMoveOnce()
{
    const QByteArray content = "[source]\nurl=https://dealers.example.com\ntoken=secret\n";
    QVERIFY(write(AppPaths::legacySettingsFile(), content));
    QFile::setPermissions(AppPaths::legacySettingsFile(),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    const QStringList lines = AppPaths::moveLegacySettings();
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().startsWith("moved the settings from " + AppPaths::legacySettingsFile() +
                                      " to " + AppPaths::settingsFile()),
             qPrintable(lines.first()));
    QCOMPARE(read(AppPaths::settingsFile()), content);
    QVERIFY(!QFileInfo::exists(AppPaths::legacySettingsFile()));
    QVERIFY(!QFileInfo::exists(home("config/dealerq/dealerq"))); // the empty old folder too
    // Still owner-only: a rename keeps the file as it was.
    QCOMPARE(QFile::permissions(AppPaths::settingsFile()) &
                 (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
    QCOMPARE(Settings().sourceUrl(), QStringLiteral("https://dealers.example.com"));

    // Nothing to do the second time: no line, nothing touched.
    QVERIFY(AppPaths::moveLegacySettings().isEmpty());
    QCOMPARE(read(AppPaths::settingsFile()), content);
}

void TestAppPaths::settingsNeverOverwriteNewer()
{
    QVERIFY(write(AppPaths::legacySettingsFile(), "[source]\nurl=https://old.example.com\n"));
    QVERIFY(write(AppPaths::settingsFile(), "[source]\nurl=https://new.example.com\n"));
    for (int start = 0; start < 2; ++start) {
        const QStringList lines = AppPaths::moveLegacySettings();
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains("is not used") &&
                     lines.first().contains(AppPaths::legacySettingsFile()) &&
                     lines.first().contains(AppPaths::settingsFile() + " exists and is kept"),
                 qPrintable(lines.first()));
        QCOMPARE(read(AppPaths::legacySettingsFile()), "[source]\nurl=https://old.example.com\n");
        QCOMPARE(read(AppPaths::settingsFile()), "[source]\nurl=https://new.example.com\n");
    }
}

void TestAppPaths::databaseMovesWithItsWriteAheadLog()
{
    // A real SQLite file whose last transaction is only in its write-ahead log, as a crashed
    // dealerq leaves it: copied, -wal and -shm included, while the connection is open.
    const QString scratch = home("scratch.db");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), "scratch");
        db.setDatabaseName(scratch);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec("PRAGMA journal_mode=WAL") && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("wal"));
        QVERIFY(q.exec("PRAGMA wal_autocheckpoint=0"));
        QVERIFY(q.exec("CREATE TABLE t(x TEXT)"));
        QVERIFY(q.exec("INSERT INTO t VALUES ('only in the log')"));
        QVERIFY(QFileInfo(scratch + "-wal").size() > 0);
        const QString legacy = AppPaths::legacyDatabaseFile();
        QDir().mkpath(QFileInfo(legacy).absolutePath());
        for (const QString suffix : {"", "-wal", "-shm"})
            QVERIFY(QFile::copy(scratch + suffix, legacy + suffix));
        QVERIFY(write(legacy + "-runner.lock", {}));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase("scratch");

    const QStringList lines = AppPaths::moveLegacyDatabase();
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().startsWith("moved the database from " + AppPaths::legacyDatabaseFile() +
                                      " to " + AppPaths::databaseFile()),
             qPrintable(lines.first()));
    QVERIFY(QFileInfo::exists(AppPaths::databaseFile() + "-wal"));
    QVERIFY(!QFileInfo::exists(home("data/dealerq/dealerq"))); // lock file and folder gone
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), "moved");
        db.setDatabaseName(AppPaths::databaseFile());
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec("SELECT x FROM t") && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("only in the log"));
        q.finish();
        db.close();
    }
    QSqlDatabase::removeDatabase("moved");
    QVERIFY(AppPaths::moveLegacyDatabase().isEmpty());
}

void TestAppPaths::databaseNeverOverwritesNewer()
{
    const QString legacy = AppPaths::legacyDatabaseFile();
    const QString current = AppPaths::databaseFile();
    QVERIFY(write(legacy, "old database"));
    QVERIFY(write(legacy + "-wal", "old log"));
    QVERIFY(write(current, "new database"));
    for (int start = 0; start < 2; ++start) {
        const QStringList lines = AppPaths::moveLegacyDatabase();
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines.first().contains(current + " exists and is kept"),
                 qPrintable(lines.first()));
        QCOMPARE(read(legacy), "old database");
        QCOMPARE(read(legacy + "-wal"), "old log");
        QCOMPARE(read(current), "new database");
        QVERIFY(!QFileInfo::exists(current + "-wal"));
    }

    // A log of the new file's own is never replaced by the old one's either.
    QVERIFY(QFile::remove(current));
    QVERIFY(write(current + "-wal", "new log"));
    QVERIFY(AppPaths::moveLegacyDatabase().first().contains(current + "-wal exists"));
    QCOMPARE(read(current + "-wal"), "new log");
    QCOMPARE(read(legacy), "old database");
}

void TestAppPaths::databaseInUseStaysUntilFree()
{
    const QString legacy = AppPaths::legacyDatabaseFile();
    QVERIFY(write(legacy, "database in use"));
    QString why;
    const std::optional<DatabaseUrl> url = DatabaseUrl::parse("sqlite://" + legacy, &why);
    QVERIFY2(url, qPrintable(why));
    Database db(*url);
    // The lock a running dealerq's runner holds on this very file.
    const std::unique_ptr<RunnerLock> lock = RunnerLock::create(db);
    QVERIFY(lock->tryAcquire(&why));

    QStringList lines = AppPaths::moveLegacyDatabase();
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().contains("in use by a running dealerq"), qPrintable(lines.first()));
    QCOMPARE(read(legacy), "database in use");
    QVERIFY(!QFileInfo::exists(AppPaths::databaseFile()));

    lock->release();
    lines = AppPaths::moveLegacyDatabase();
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().startsWith("moved the database"), qPrintable(lines.first()));
    QCOMPARE(read(AppPaths::databaseFile()), "database in use");
    QVERIFY(!QFileInfo::exists(legacy + "-runner.lock"));
}

void TestAppPaths::interruptedMoveFinishes()
{
    // A start that stopped after moving the log but before the main file: the next one
    // finishes the move rather than calling the log it moved itself a conflict.
    const QString legacy = AppPaths::legacyDatabaseFile();
    const QString current = AppPaths::databaseFile();
    QVERIFY(write(legacy, "database"));
    QVERIFY(write(current + "-wal", "log moved before the stop"));
    const QStringList lines = AppPaths::moveLegacyDatabase();
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().startsWith("moved the database"), qPrintable(lines.first()));
    QCOMPARE(read(current), "database");
    QCOMPARE(read(current + "-wal"), "log moved before the stop");
}

void TestAppPaths::windowStateLeavesTheSettings()
{
    const QString settingsPath = AppPaths::settingsFile();
    const QString statePath = AppPaths::stateFile();
    {
        QSettings old(settingsPath, QSettings::IniFormat);
        old.setValue("api/token", "secret");
        old.setValue("window/refresh_interval_s", 7);
        old.setValue("window/geometry", QByteArray("\x01\x02geometry"));
        old.setValue("window/queue_columns", QByteArray("columns"));
    }
    QFile::setPermissions(settingsPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    const QStringList lines = AppPaths::moveWindowState(settingsPath, statePath);
    QCOMPARE(lines.size(), 1);
    QVERIFY2(lines.first().startsWith("moved the window layout from " + settingsPath + " to " +
                                      statePath),
             qPrintable(lines.first()));
    QSettings state(statePath, QSettings::IniFormat);
    QCOMPARE(state.value("window/geometry").toByteArray(), QByteArray("\x01\x02geometry"));
    QCOMPARE(state.value("window/queue_columns").toByteArray(), QByteArray("columns"));
    QVERIFY(!state.contains("api/token"));
    QSettings settings(settingsPath, QSettings::IniFormat);
    QVERIFY(!settings.contains("window/geometry"));
    QVERIFY(!settings.contains("window/queue_columns"));
    QCOMPARE(settings.value("window/refresh_interval_s").toInt(), 7); // a setting, not layout
    QCOMPARE(settings.value("api/token").toString(), QStringLiteral("secret"));
    QCOMPARE(QFile::permissions(settingsPath) & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
             QFileDevice::Permissions());
    QVERIFY(AppPaths::moveWindowState(settingsPath, statePath).isEmpty());
}

void TestAppPaths::stateFileBesideOtherSettings()
{
    QCOMPARE(Settings().stateFilePath(), AppPaths::stateFile());
    QCOMPARE(Settings(home("profiles/north.ini")).stateFilePath(),
             home("profiles/north.state.ini"));
}

void TestAppPaths::dealerqMovesOnceEndToEnd()
{
    // The real binary with nothing but HOME: no XDG variable, no DEALERQ_SETTINGS or _DB.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : env.keys()) {
        if (name.startsWith("DEALERQ_") || name.startsWith("XDG_"))
            env.remove(name);
    }
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    env.insert("HOME", m_dir->path());
    auto run = [&](const QStringList &args, QString *err) {
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(DEALERQ_PATH, args);
        if (!process.waitForFinished(60000))
            process.kill();
        *err = QString::fromUtf8(process.readAllStandardError());
        return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    };
    const QString oldSettings = home(".config/dealerq/dealerq/dealerq.ini");
    const QString oldDb = home(".local/share/dealerq/dealerq/dealerq.db");
    QString err;
    // The old release's database, with a job in it...
    QCOMPARE(
        run({"--settings", home("elsewhere.ini"), "--db", "sqlite://" + oldDb, "--enqueue", "OLD1"},
            &err),
        0);
    // ... and its settings, which know a fetch type the defaults do not.
    QVERIFY(write(oldSettings, "[fetch]\ntypes=prospect,parts\n"));

    QCOMPARE(run({"--enqueue", "NEW2", "--type", "parts"}, &err), 0);
    // Logged at info under dealerq.config (core/log).
    QVERIFY2(err.contains("info dealerq.config: moved the settings from " + oldSettings + " to " +
                          home(".config/dealerq/dealerq.ini")),
             qPrintable(err));
    QVERIFY2(err.contains("info dealerq.config: moved the database from " + oldDb + " to " +
                          home(".local/share/dealerq/dealerq.db")),
             qPrintable(err));
    QVERIFY(QFileInfo::exists(home(".config/dealerq/dealerq.ini")));
    QVERIFY(QFileInfo::exists(home(".local/share/dealerq/dealerq.db")));
    QVERIFY(!QFileInfo::exists(home(".config/dealerq/dealerq")));
    QVERIFY(!QFileInfo::exists(home(".local/share/dealerq/dealerq")));

    // Once only: the next start moves nothing and says nothing about it; both jobs are in the
    // database at its new place.
    const QString csv = home("jobs.csv");
    QCOMPARE(run({"--export-csv", csv}, &err), 0);
    QVERIFY2(!err.contains("moved"), qPrintable(err));
    const QByteArray jobs = read(csv);
    QVERIFY2(jobs.contains(",OLD1,prospect,") && jobs.contains(",NEW2,parts,"), jobs.constData());
}

QTEST_GUILESS_MAIN(TestAppPaths)
#include "tst_apppaths.moc"
