#include "benchsupport.h"

#include "testsupport.h"

#include <algorithm>

#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QLocale>
#include <QProcess>
#include <QRandomGenerator>
#include <QThread>

namespace {

QString goalText(const Figure &figure)
{
    if (figure.goal == Figure::Goal::None)
        return {};
    return QStringLiteral("%1 %2 %3")
        .arg(figure.goal == Figure::Goal::AtLeast ? QStringLiteral(">=") : QStringLiteral("<="),
             formatNumber(figure.goalValue, figure.unit), figure.unit);
}

QString padded(const QString &text, int width)
{
    return text.leftJustified(width, QLatin1Char(' '));
}

QString procField(const QString &path, const QByteArray &key)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> lines = file.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith(key)) {
            const qsizetype colon = line.indexOf(':');
            return QString::fromUtf8(line.mid(colon + 1).trimmed());
        }
    }
    return {};
}

} // namespace

QString Figure::verdict() const
{
    if (goal == Goal::None)
        return {};
    if (!measured())
        return QStringLiteral("not measured");
    const bool met = goal == Goal::AtLeast ? value >= goalValue : value <= goalValue;
    return met ? QStringLiteral("met") : QStringLiteral("MISSED");
}

QJsonObject Figure::toJson() const
{
    QJsonObject object{{QStringLiteral("section"), section},
                       {QStringLiteral("name"), name},
                       {QStringLiteral("value"), measured() ? QJsonValue(value) : QJsonValue()},
                       {QStringLiteral("unit"), unit}};
    if (goal != Goal::None) {
        object.insert(QStringLiteral("goal"),
                      QJsonObject{{QStringLiteral("op"), goal == Goal::AtLeast ? ">=" : "<="},
                                  {QStringLiteral("value"), goalValue}});
        object.insert(QStringLiteral("verdict"), verdict());
    }
    if (!note.isEmpty())
        object.insert(QStringLiteral("note"), note);
    return object;
}

Figure &Report::add(const QString &section, const QString &name, double value, const QString &unit,
                    const QString &note)
{
    return add(section, name, value, unit, Figure::Goal::None, 0, note);
}

Figure &Report::add(const QString &section, const QString &name, double value, const QString &unit,
                    Figure::Goal goal, double goalValue, const QString &note)
{
    Figure figure;
    figure.section = section;
    figure.name = name;
    figure.value = value;
    figure.unit = unit;
    figure.goal = goal;
    figure.goalValue = goalValue;
    figure.note = note;
    m_figures.push_back(figure);
    return m_figures.back();
}

Figure &Report::missing(const QString &section, const QString &name, const QString &unit,
                        const QString &why, Figure::Goal goal, double goalValue)
{
    return add(section, name, std::numeric_limits<double>::quiet_NaN(), unit, goal, goalValue, why);
}

QString Report::table() const
{
    int nameWidth = 6;
    int valueWidth = 8;
    int goalWidth = 4;
    for (const Figure &f : m_figures) {
        nameWidth = std::max(nameWidth, int(f.name.size()));
        valueWidth =
            std::max(valueWidth, int((formatNumber(f.value, f.unit) + ' ' + f.unit).size()));
        goalWidth = std::max(goalWidth, int(goalText(f).size()));
    }
    QString out;
    QString section;
    for (const Figure &f : m_figures) {
        if (f.section != section) {
            section = f.section;
            out += QStringLiteral("\n%1\n").arg(section);
            out += QStringLiteral("  %1  %2  %3  %4\n")
                       .arg(padded(QStringLiteral("figure"), nameWidth),
                            padded(QStringLiteral("measured"), valueWidth),
                            padded(QStringLiteral("goal"), goalWidth), QStringLiteral("verdict"));
        }
        const QString value = f.measured()
                                  ? formatNumber(f.value, f.unit) + QLatin1Char(' ') + f.unit
                                  : QStringLiteral("-");
        QString line = QStringLiteral("  %1  %2  %3  %4")
                           .arg(padded(f.name, nameWidth), padded(value, valueWidth),
                                padded(goalText(f), goalWidth), f.verdict());
        if (!f.note.isEmpty() && !f.measured())
            line += QStringLiteral("  (%1)").arg(f.note);
        while (line.endsWith(QLatin1Char(' ')))
            line.chop(1);
        out += line + QLatin1Char('\n');
    }
    return out;
}

QJsonObject Report::toJson(const QJsonObject &machine) const
{
    QJsonArray figures;
    for (const Figure &f : m_figures)
        figures.append(f.toJson());
    return QJsonObject{{QStringLiteral("machine"), machine},
                       {QStringLiteral("figures"), figures},
                       {QStringLiteral("missed_goals"), missedGoals()}};
}

void Report::dropGoals()
{
    for (Figure &f : m_figures)
        f.goal = Figure::Goal::None;
}

int Report::missedGoals() const
{
    return int(std::count_if(m_figures.begin(), m_figures.end(), [](const Figure &f) {
        return f.verdict() == QLatin1String("MISSED");
    }));
}

QString formatNumber(double value, const QString &unit)
{
    if (std::isnan(value))
        return QStringLiteral("-");
    QLocale locale(QLocale::English);
    locale.setNumberOptions(QLocale::DefaultNumberOptions);
    if (unit == QLatin1String("x") || unit == QLatin1String("s") || value < 10)
        return locale.toString(value, 'f', 2);
    if (unit == QLatin1String("%") || unit == QLatin1String("MB") || value < 100)
        return locale.toString(value, 'f', 1);
    return locale.toString(qRound64(value));
}

QJsonObject machineInfo()
{
    const QString memTotal = procField(QStringLiteral("/proc/meminfo"), "MemTotal");
    QFile loadFile(QStringLiteral("/proc/loadavg"));
    QString load;
    if (loadFile.open(QIODevice::ReadOnly))
        load = QString::fromUtf8(loadFile.readAll()).section(QLatin1Char(' '), 0, 2);
    return QJsonObject{
        {QStringLiteral("nproc"), QThread::idealThreadCount()},
        {QStringLiteral("cpu"), procField(QStringLiteral("/proc/cpuinfo"), "model name")},
        {QStringLiteral("memory_mb"), memTotal.section(QLatin1Char(' '), 0, 0).toLongLong() / 1024},
        {QStringLiteral("load_average"), load},
    };
}

double loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readAll().split(' ').value(0).toDouble();
}

ProcessRun runProcess(const QString &program, const QStringList &args, const QString &stderrFile,
                      int timeoutMs, const QProcessEnvironment &env, const QByteArray &marker)
{
    ProcessRun run;
    QProcess process;
    if (!env.isEmpty())
        process.setProcessEnvironment(env);
    // stderr goes to its file, which is read every few milliseconds: reading a pipe would wake
    // this process at every line the child writes (two a job in a drain), on the same cores.
    process.setStandardErrorFile(stderrFile);
    process.setStandardInputFile(QProcess::nullDevice());
    QFile written(stderrFile);
    QByteArray partial;
    QElapsedTimer clock;
    const auto scan = [&] {
        if (marker.isEmpty() || !written.isOpen())
            return;
        const QByteArray chunk = written.readAll();
        if (chunk.isEmpty())
            return;
        partial += chunk;
        const qsizetype lastNewline = partial.lastIndexOf('\n');
        if (lastNewline < 0)
            return;
        if (partial.left(lastNewline).contains(marker)) {
            run.markerSeconds = double(clock.nsecsElapsed()) / 1e9;
            if (run.firstMarkerSeconds == 0)
                run.firstMarkerSeconds = run.markerSeconds;
        }
        partial.remove(0, lastNewline + 1);
    };
    clock.start();
    process.start(program, args);
    if (!process.waitForStarted(10000)) {
        run.errorTail = QStringLiteral("%1 did not start: %2").arg(program, process.errorString());
        return run;
    }
    run.started = true;
    if (!marker.isEmpty() && !written.open(QIODevice::ReadOnly | QIODevice::Unbuffered)) {
        run.errorTail = QStringLiteral("cannot read %1: %2").arg(stderrFile, written.errorString());
        process.kill();
        process.waitForFinished(5000);
        return run;
    }
    const qint64 pid = process.processId();
    const QDeadlineTimer deadline(timeoutMs);
    while (!process.waitForFinished(5)) {
        run.peakRssKb = std::max(run.peakRssKb, processPeakMemoryKb(pid));
        scan();
        if (deadline.hasExpired()) {
            run.timedOut = true;
            process.kill();
            process.waitForFinished(5000);
            break;
        }
    }
    run.seconds = double(clock.nsecsElapsed()) / 1e9;
    scan();
    run.out = process.readAllStandardOutput();
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    QFile err(stderrFile);
    if (err.open(QIODevice::ReadOnly)) {
        if (err.size() > 2000)
            err.seek(err.size() - 2000);
        run.errorTail = QString::fromUtf8(err.readAll()).trimmed();
    }
    return run;
}

std::unique_ptr<BenchDatabase> BenchDatabase::sqlite(const QString &dir, const QString &name)
{
    std::unique_ptr<BenchDatabase> db(new BenchDatabase);
    db->m_urlString = QStringLiteral("sqlite://%1/%2").arg(dir, name);
    QString error;
    db->m_url = *DatabaseUrl::parse(db->m_urlString, &error);
    return db;
}

std::unique_ptr<BenchDatabase> BenchDatabase::postgres(const QString &adminUrl, QString *error)
{
    const std::optional<DatabaseUrl> admin = DatabaseUrl::parse(adminUrl, error);
    if (!admin)
        return nullptr;
    std::unique_ptr<BenchDatabase> db(new BenchDatabase);
    db->m_adminUrl = adminUrl;
    const QString name =
        QStringLiteral("dq_bench_%1")
            .arg(QRandomGenerator::global()->generate64(), 16, 16, QLatin1Char('0'));
    if (!execOn(*admin, QStringLiteral("CREATE DATABASE %1").arg(name), error))
        return nullptr;
    db->m_dbName = name;
    db->m_urlString = adminUrl.left(adminUrl.lastIndexOf(QLatin1Char('/')) + 1) + name;
    const std::optional<DatabaseUrl> url = DatabaseUrl::parse(db->m_urlString, error);
    if (!url)
        return nullptr;
    db->m_url = *url;
    return db;
}

BenchDatabase::~BenchDatabase()
{
    if (m_dbName.isEmpty())
        return;
    QString error;
    if (const std::optional<DatabaseUrl> admin = DatabaseUrl::parse(m_adminUrl, &error))
        execOn(*admin, QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_dbName),
               &error);
}

bool execOn(const DatabaseUrl &url, const QString &sql, QString *error)
{
    Database db(url);
    if (!db.open(error))
        return false;
    return db.exec(sql, error);
}
