#pragma once

#include "store/database.h"

#include <cmath>
#include <limits>
#include <memory>

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QVector>

/// One line of the benchmark table: a figure measured in this run, with its goal if it has one.
struct Figure
{
    enum class Goal
    {
        None,
        AtLeast,
        AtMost
    };
    QString section;
    QString name;
    double value = std::numeric_limits<double>::quiet_NaN();
    QString unit; ///< "jobs/s", "records/s", "ms", "MB", "%", "x", "req/s", "s"
    Goal goal = Goal::None;
    double goalValue = 0;
    QString note; ///< how it was measured, or why it was not

    bool measured() const { return !std::isnan(value); }
    /// "met", "MISSED", "not measured" for a goal; empty for a figure without one.
    QString verdict() const;
    QJsonObject toJson() const;
};

/// The figures of one run, printed as a table and written as JSON.
class Report final
{
public:
    Figure &add(const QString &section, const QString &name, double value, const QString &unit,
                const QString &note = {});
    Figure &add(const QString &section, const QString &name, double value, const QString &unit,
                Figure::Goal goal, double goalValue, const QString &note = {});
    /// A figure that could not be measured in this run, and why.
    Figure &missing(const QString &section, const QString &name, const QString &unit,
                    const QString &why, Figure::Goal goal = Figure::Goal::None,
                    double goalValue = 0);

    const QVector<Figure> &figures() const { return m_figures; }
    QString table() const;
    QJsonObject toJson(const QJsonObject &machine) const;
    /// Goals missed among the figures measured.
    int missedGoals() const;
    /// Forgets every goal (a smoke run's tiny sizes say nothing about them).
    void dropGoals();

private:
    QVector<Figure> m_figures;
};

/// "1,234", "12.3", "0.42": a number as the table shows it.
QString formatNumber(double value, const QString &unit);

/// The machine the figures were taken on: nproc, CPU model, memory, load averages.
QJsonObject machineInfo();
/// The 1-minute load average now.
double loadAverage();

/// How a child process ran.
struct ProcessRun
{
    bool started = false;
    bool timedOut = false;
    int exitCode = -1;
    double seconds = 0;            ///< wall time from start to exit
    double markerSeconds = 0;      ///< from start to the last stderr line holding the marker
    double firstMarkerSeconds = 0; ///< from start to the first such line
    qint64 peakRssKb = 0;          ///< the highest VmHWM read from /proc/PID/status while it ran
    QString errorTail;             ///< the last lines of its stderr, for a failure message
    QByteArray out;                ///< its stdout
};

/// Runs `program` to completion (stderr to `stderrFile`), timing it and sampling its peak
/// resident memory every few milliseconds; with a `marker`, also notes when the last stderr line
/// holding it appeared in that file (to a few milliseconds).
ProcessRun runProcess(const QString &program, const QStringList &args, const QString &stderrFile,
                      int timeoutMs, const QProcessEnvironment &env = {},
                      const QByteArray &marker = {});

/// A database for one scenario: a SQLite file in `dir`, or a fresh PostgreSQL database on the
/// server at `adminUrl`, dropped again on destruction.
class BenchDatabase final
{
public:
    static std::unique_ptr<BenchDatabase> sqlite(const QString &dir, const QString &name);
    static std::unique_ptr<BenchDatabase> postgres(const QString &adminUrl, QString *error);
    ~BenchDatabase();
    Q_DISABLE_COPY_MOVE(BenchDatabase)

    QString urlString() const { return m_urlString; }
    const DatabaseUrl &url() const { return m_url; }
    bool isPostgres() const { return m_url.backend == DbBackend::Postgres; }

private:
    BenchDatabase() = default;
    QString m_urlString;
    DatabaseUrl m_url;
    QString m_adminUrl;
    QString m_dbName;
};

/// Runs one statement on the database at `url` (a connection of its own).
bool execOn(const DatabaseUrl &url, const QString &sql, QString *error);
