#pragma once

#include "store/database.h"

#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryDir>

#include <optional>
#include <vector>

class JobStore;

/// A database URL for a fresh SQLite file inside `dir`.
QString sqliteUrlIn(const QString &dir, const QString &name = QStringLiteral("dealerq.db"));

/// The environment for a dealerq child process of a test: its settings file (`settings.ini`),
/// HOME and XDG folders inside `dir`, and none of the caller's DEALERQ_* variables, display or
/// logging settings (QT_LOGGING_RULES, QT_MESSAGE_PATTERN, JOURNAL_STREAM).
/// The settings file gets `settings` written to it when it does not exist yet.
QProcessEnvironment isolatedEnvironment(const QString &dir, const QByteArray &settings = {});

/// p50, p95 and max of the timings `ms`, as "p50 1.2 / p95 3.4 / max 5.6 ms (n)": the
/// benchmarks' way of printing a spread.
QString percentiles(std::vector<double> ms);

/// The peak resident memory (VmHWM) of process `pid` so far, in KiB; 0 when it cannot be read.
qint64 processPeakMemoryKb(qint64 pid);

/// A benchmark's own command line: true when every argument after the program's name is one of
/// `flags`, or one of `valued` followed by its value. Otherwise prints `usage` (to standard
/// output for --help or -h, else to standard error after what it did not understand), sets
/// *exitCode (0 or 2) and returns false, for the caller to exit: a typo must not start an hour's
/// run with the defaults.
bool benchArgumentsUnderstood(const QStringList &args, const QStringList &flags,
                              const QStringList &valued, const char *usage, int *exitCode);
/// The value of `name` on a benchmark's own command line (after benchArgumentsUnderstood()) as
/// a whole number from `least` to `most`, or `otherwise` when it is not given. Anything else
/// prints what is wrong, sets *exitCode to 2 and gives nothing, for the caller to exit.
std::optional<qint64> benchNumberArgument(const QStringList &args, const QString &name,
                                          qint64 least, qint64 most, qint64 otherwise,
                                          int *exitCode);

/// Fills `store` with `jobs` finished jobs of four types and 5,000 dealers (one in ten failed, a
/// few cancelled), one every so often over the year up to `lastMs`, in one statement on either
/// backend, so that the hourly figures (schema 9) have as many rows as a year's history gives
/// them: the history of the benchmarks at scale. False with *error when the store refuses it.
bool fillFinishedJobs(JobStore &store, int jobs, qint64 lastMs, QString *error);

/// The admin URL of the PostgreSQL server the tests run against (env DEALERQ_TEST_PG, or the
/// CTest fixture's state folder in DEALERQ_TEST_PG_STATE); empty for SQLite. Sets *error when
/// PostgreSQL was asked for but is not there.
QString postgresAdminUrl(QString *error);

/// A fresh, empty database for one test: a SQLite file in a temporary folder, or — when the
/// environment names a PostgreSQL server in DEALERQ_TEST_PG (the CTest fixture sets it) — a new
/// database on that server, dropped again at the end. The one switch every store, runner and
/// API test reads.
class TestDatabase final
{
public:
    TestDatabase();
    ~TestDatabase();
    Q_DISABLE_COPY_MOVE(TestDatabase)

    bool isValid() const { return m_valid; }
    QString errorString() const { return m_error; }
    const DatabaseUrl &url() const { return m_url; }
    QString urlString() const { return m_urlString; }
    bool isPostgres() const { return m_url.backend == DbBackend::Postgres; }
    /// A folder for other files of the test.
    QString dir() const { return m_dir.path(); }

private:
    QTemporaryDir m_dir;
    DatabaseUrl m_url;
    QString m_urlString;
    QString m_adminUrl;
    QString m_dbName;
    bool m_valid = false;
    QString m_error;
};

/// A PostgreSQL cluster of one test's own (tests/pg/pgcluster.sh), for tests that restart or
/// stop the server and so must not share it.
class PgCluster final
{
public:
    PgCluster();
    ~PgCluster();
    Q_DISABLE_COPY_MOVE(PgCluster)

    bool start(QString *error);
    /// `postgresql://postgres@127.0.0.1:PORT/postgres`
    QString url() const { return m_url; }
    bool restart(const QString &mode, QString *error); ///< fast or immediate
    bool halt(QString *error);
    bool resume(QString *error);

private:
    bool run(const QStringList &args, QString *error);
    QTemporaryDir m_state;
    QString m_url;
};
