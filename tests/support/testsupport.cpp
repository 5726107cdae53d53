#include "testsupport.h"

#include "store/jobstore.h"

#include <algorithm>
#include <cstdio>

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QProcess>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>

QString sqliteUrlIn(const QString &dir, const QString &name)
{
    return QStringLiteral("sqlite://") + QDir(dir).absoluteFilePath(name);
}

namespace {

// In a test's own process the runner's info lines, one or two per job, would bury the test's
// output (and Qt Test's limit of 2000 messages): info is off, warnings stay. QT_LOGGING_RULES
// still turns it on; the dealerq processes a test starts log as usual (tst_logging).
void quietInfoLog()
{
    QLoggingCategory::setFilterRules(QStringLiteral("dealerq.*.info=false"));
}
Q_CONSTRUCTOR_FUNCTION(quietInfoLog)

// Runs one statement on the admin database of the server.
bool adminExec(const QString &adminUrl, const QString &sql, QString *error)
{
    const std::optional<DatabaseUrl> url = DatabaseUrl::parse(adminUrl, error);
    if (!url)
        return false;
    Database admin(*url);
    if (!admin.open(error))
        return false;
    return admin.exec(sql, error);
}

} // namespace

QProcessEnvironment isolatedEnvironment(const QString &dir, const QByteArray &settings)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DEALERQ_SETTINGS"), dir + QStringLiteral("/settings.ini"));
    env.insert(QStringLiteral("HOME"), dir);
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir + QStringLiteral("/data"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_STATE_HOME"), dir + QStringLiteral("/state"));
    for (const char *name : {"DEALERQ_DB", "DEALERQ_SOURCE_URL", "DEALERQ_SOURCE_TOKEN",
                             "DEALERQ_API_TOKEN", "DISPLAY", "WAYLAND_DISPLAY",
                             // the log as dealerq writes it by default (core/log)
                             "QT_LOGGING_RULES", "QT_MESSAGE_PATTERN", "JOURNAL_STREAM"})
        env.remove(QString::fromLatin1(name));
    QFile file(dir + QStringLiteral("/settings.ini"));
    if (!settings.isEmpty() && !file.exists() && file.open(QIODevice::WriteOnly))
        file.write(settings);
    return env;
}

QString postgresAdminUrl(QString *error)
{
    QString url = qEnvironmentVariable("DEALERQ_TEST_PG");
    const QString state = qEnvironmentVariable("DEALERQ_TEST_PG_STATE");
    if (url.isEmpty() && !state.isEmpty()) {
        QFile file(state + QStringLiteral("/url"));
        if (!file.open(QIODevice::ReadOnly)) {
            // Never a quiet fall-back to SQLite: the fixture was asked for and is not there.
            *error = QStringLiteral("DEALERQ_TEST_PG_STATE is set but %1 cannot be read: is the "
                                    "pg_start fixture running?")
                         .arg(file.fileName());
            return {};
        }
        url = QString::fromUtf8(file.readAll()).trimmed();
    }
    return url;
}

TestDatabase::TestDatabase()
{
    m_adminUrl = postgresAdminUrl(&m_error);
    if (!m_error.isEmpty())
        return;
    if (m_adminUrl.isEmpty()) {
        m_urlString = sqliteUrlIn(m_dir.path());
    } else {
        m_dbName = QStringLiteral("dq_test_%1")
                       .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
        if (!adminExec(m_adminUrl, QStringLiteral("CREATE DATABASE %1").arg(m_dbName), &m_error))
            return;
        m_urlString = m_adminUrl.left(m_adminUrl.lastIndexOf(QLatin1Char('/')) + 1) + m_dbName;
    }
    const std::optional<DatabaseUrl> url = DatabaseUrl::parse(m_urlString, &m_error);
    if (!url)
        return;
    m_url = *url;
    m_valid = true;
}

TestDatabase::~TestDatabase()
{
    if (!m_dbName.isEmpty()) {
        QString error;
        adminExec(m_adminUrl,
                  QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_dbName), &error);
    }
}

PgCluster::PgCluster() = default;

PgCluster::~PgCluster()
{
    QString error;
    run({QStringLiteral("stop"), m_state.path()}, &error);
}

bool PgCluster::run(const QStringList &args, QString *error)
{
    QProcess process;
    process.start(QStringLiteral("bash"), QStringList{QStringLiteral(DEALERQ_PGCLUSTER)} + args);
    if (!process.waitForFinished(120000) || process.exitCode() != 0) {
        *error = QStringLiteral("pgcluster.sh %1 failed: %2")
                     .arg(args.join(QLatin1Char(' ')),
                          QString::fromUtf8(process.readAllStandardError()));
        return false;
    }
    return true;
}

bool PgCluster::start(QString *error)
{
    if (!run({QStringLiteral("start"), m_state.path()}, error))
        return false;
    QFile file(m_state.filePath(QStringLiteral("url")));
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("the cluster wrote no URL");
        return false;
    }
    m_url = QString::fromUtf8(file.readAll()).trimmed();
    return true;
}

bool PgCluster::restart(const QString &mode, QString *error)
{
    return run({QStringLiteral("restart"), m_state.path(), mode}, error);
}

bool PgCluster::halt(QString *error)
{
    return run({QStringLiteral("halt"), m_state.path()}, error);
}

bool PgCluster::resume(QString *error)
{
    return run({QStringLiteral("resume"), m_state.path()}, error);
}

/// Fills `store` with `jobs` finished jobs, one every so often over the year up to `lastMs`, so
/// that the hourly figures (schema 9) have as many rows as a year's history gives them.
bool fillFinishedJobs(JobStore &store, int jobs, qint64 lastMs, QString *error)
{
    constexpr qint64 Day = 24 * 3600 * 1000;
    const qint64 stepMs = qMax<qint64>(1, 365 * Day / jobs);
    const qint64 firstMs = lastMs - stepMs * jobs;
    QSqlQuery q(store.database().db());
    const QString rows =
        store.database().isSqlite()
            ? QStringLiteral("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                             "WHERE i < %1) SELECT i FROM n")
                  .arg(jobs)
            : QStringLiteral("SELECT i FROM generate_series(1::bigint, %1) AS n(i)").arg(jobs);
    const QString sql =
        QStringLiteral(
            "INSERT INTO jobs (dealer_id, fetch_type, from_ms, to_ms, status, priority, "
            "position, created_ms, started_ms, finished_ms, attempts, pages, fetched, inserted, "
            "updated, unchanged, error_message, error_category, created_by) "
            "SELECT 'D' || (i % 5000), CASE i % 4 WHEN 0 THEN 'prospect' WHEN 1 THEN 'sales' "
            "WHEN 2 THEN 'service' ELSE 'inventory' END, (i * 7919) % 100000000, "
            "(i * 7919) % 100000000 + 1000, CASE WHEN i % 10 = 0 THEN 'failed' WHEN i % 33 = 0 "
            "THEN 'cancelled' ELSE 'completed' END, i % 3, i, %1 + i * %4, %1 + i * %4 + i % 997, "
            "%2 + i * %4, "
            "1 + i % 3, 1 + i % 7, i % 500, i % 300, i % 50, 0, CASE WHEN i % 10 = 0 THEN "
            "'HTTP 500' END, CASE WHEN i % 10 = 0 THEN 'http' WHEN i % 33 = 0 THEN 'cancelled' "
            "END, 'bench' FROM (%3) AS s")
            .arg(firstMs - 1000)
            .arg(firstMs)
            .arg(rows)
            .arg(stepMs);
    // PostgreSQL's autovacuum would have been through a table this size long before (its
    // statistics, and the rows' hint bits, which the first read of each row would otherwise
    // write); SQLite's statistics are never gathered by dealerq, so it stays as it is.
    if (q.exec(sql) &&
        (store.database().isSqlite() || q.exec(QStringLiteral("VACUUM ANALYZE jobs"))))
        return true;
    *error = q.lastError().text();
    return false;
}

qint64 processPeakMemoryKb(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return 0;
}

bool benchArgumentsUnderstood(const QStringList &args, const QStringList &flags,
                              const QStringList &valued, const char *usage, int *exitCode)
{
    QString problem;
    for (qsizetype i = 1; i < args.size() && problem.isEmpty(); ++i) {
        const QString &arg = args.at(i);
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            std::fputs(usage, stdout);
            *exitCode = 0;
            return false;
        }
        if (valued.contains(arg))
            problem = ++i < args.size() ? QString() : QStringLiteral("%1 needs a value").arg(arg);
        else if (!flags.contains(arg))
            problem = QStringLiteral("unknown argument %1").arg(arg);
    }
    if (problem.isEmpty())
        return true;
    std::fprintf(stderr, "%s: %s\n%s", qPrintable(args.value(0)), qPrintable(problem), usage);
    *exitCode = 2;
    return false;
}

std::optional<qint64> benchNumberArgument(const QStringList &args, const QString &name,
                                          qint64 least, qint64 most, qint64 otherwise,
                                          int *exitCode)
{
    const qsizetype at = args.indexOf(name);
    if (at < 1 || at + 1 >= args.size())
        return otherwise;
    bool ok = false;
    const qint64 value = args.at(at + 1).toLongLong(&ok);
    if (ok && value >= least && value <= most)
        return value;
    std::fprintf(stderr, "%s: %s must be a whole number from %lld to %lld, not \"%s\"\n",
                 qPrintable(args.value(0)), qPrintable(name), least, most,
                 qPrintable(args.at(at + 1)));
    *exitCode = 2;
    return std::nullopt;
}

/// p50, p95 and max of `ms`, as "p50 1.2 / p95 3.4 / max 5.6 ms (n)".
QString percentiles(std::vector<double> ms)
{
    if (ms.empty())
        return QStringLiteral("no samples");
    std::sort(ms.begin(), ms.end());
    const auto at = [&ms](double q) {
        return ms[std::min(ms.size() - 1, size_t(q * double(ms.size() - 1) + 0.5))];
    };
    return QStringLiteral("p50 %1 / p95 %2 / max %3 ms (%4)")
        .arg(at(0.5), 0, 'f', 1)
        .arg(at(0.95), 0, 'f', 1)
        .arg(ms.back(), 0, 'f', 1)
        .arg(ms.size());
}
