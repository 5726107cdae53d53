#include "job/jobjson.h"
#include "store/database.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <algorithm>
#include <memory>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

struct Run
{
    int exitCode = -1; ///< -1: crashed or killed
    QString out;
    QString err;
    qint64 elapsedMs = 0;
};

// 2025-06-01T00:00:00Z to 2025-06-12T23:59:59Z: the window of the seeded jobs.
constexpr qint64 SeedFromMs = 1748736000000LL;
constexpr qint64 SeedToMs = 1749772799000LL;

QByteArray readBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeBytes(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) &&
           file.write(bytes) == bytes.size();
}

/// Every file under `dir`, with its size: shows leftovers of a failed write.
QStringList listing(const QString &dir)
{
    QStringList entries;
    QDir base(dir);
    const QFileInfoList infos =
        base.entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden, QDir::Name);
    for (const QFileInfo &info : infos)
        entries
            << QStringLiteral("%1 %2").arg(info.fileName()).arg(info.isDir() ? -1 : info.size());
    return entries;
}

/// `expected` is one substring, or several alternatives separated by " || ".
bool containsAny(const QString &text, const QString &expected)
{
    const QStringList alternatives = expected.split(QStringLiteral(" || "));
    return std::any_of(alternatives.begin(), alternatives.end(),
                       [&](const QString &part) { return text.contains(part); });
}

/// Bytes that look random but are the same on every run (xorshift), so a failure reproduces.
QByteArray pseudoRandomBytes(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    quint32 state = 2463534242u;
    for (char &c : bytes) {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        c = char(state & 0xff);
    }
    return bytes;
}

} // namespace

/// Hostile input through every entry point that takes it today: the command line, the settings
/// file, the database file, --bulk-file contents and --export-csv paths, on the real dealerq
/// binary. Each refusal must be a clear error — every line on stderr "dealerq: ...", the exit
/// code of SPEC §3 — and must leave the store exactly as it was (a snapshot of every job, the
/// record count and the pause flag, taken before and after).
///
/// Rows named "..." are inputs that currently get a wrong answer; they fail on purpose, with
/// "KNOWN BUG: <what goes wrong>" in the message, until core/app is fixed.
class TestHostileInput final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void cleanupTestCase();

    void commandLine_data();
    void commandLine();
    void bulkFile_data();
    void bulkFile();
    void bulkFileAccepted_data();
    void bulkFileAccepted();
    void settingsFile_data();
    void settingsFile();
    void databaseFile_data();
    void databaseFile();
    void exportCsv_data();
    void exportCsv();

private:
    bool resetStore(QString *error);
    QString snapshot(QString *error) const;
    QString expand(const QString &text) const;
    QStringList withDb(const QStringList &args) const;
    Run run(const QStringList &args, const QStringList &extraEnv = {}, const QByteArray &input = {},
            int timeoutMs = 60000) const;
    void verifyMessages(const Run &r, int exitCode, const QString &message, const QString &bug,
                        int maxLines = 8);
    void verifyStoreUnchanged(const QString &bug);
    void buildDatabaseFile(const QString &kind, const QString &path);

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store; ///< reads the snapshots: one connection for every row
    QString m_seeded;                  ///< snapshot of the store right after seeding
    bool m_dirty = true;
    std::unique_ptr<QTemporaryDir> m_work; ///< the row's own files, HOME and working folder
};

void TestHostileInput::initTestCase()
{
    QString why;
    QVERIFY2(resetStore(&why), qPrintable(why));
}

void TestHostileInput::init()
{
    m_work = std::make_unique<QTemporaryDir>();
    QVERIFY(m_work->isValid());
    if (m_dirty) {
        QString why;
        QVERIFY2(resetStore(&why), qPrintable(why));
    }
}

void TestHostileInput::cleanup()
{
    m_work.reset();
}

void TestHostileInput::cleanupTestCase()
{
    m_store.reset();
    m_db.reset();
}

// A fresh database with three queued jobs and a failed one, so that any change shows.
bool TestHostileInput::resetStore(QString *error)
{
    m_store.reset();
    m_db.reset();
    m_db = std::make_unique<TestDatabase>();
    if (!m_db->isValid()) {
        *error = m_db->errorString();
        return false;
    }
    {
        JobStore store(m_db->url());
        StoreError e;
        NewJob common;
        common.fetchType = QStringLiteral("prospect");
        common.fromMs = SeedFromMs;
        common.toMs = SeedToMs;
        if (!store.open(&e) || !store.addJobs({"F1", "A1", "B2", "00999"}, common, &e)) {
            *error = e.message;
            return false;
        }
        const std::optional<Job> claimed = store.claimNext(QStringLiteral("seed"), &e);
        if (!claimed ||
            !store.failJob(*claimed, {QStringLiteral("seeded failure"), ErrorCategory::Network}, {},
                           &e)) {
            *error = QStringLiteral("seeding a failed job: ") + e.message;
            return false;
        }
    }
    m_store = std::make_unique<JobStore>(m_db->url());
    m_seeded = snapshot(error);
    m_dirty = m_seeded.isEmpty();
    return !m_dirty;
}

QString TestHostileInput::snapshot(QString *error) const
{
    JobStore &store = *m_store;
    StoreError e;
    QStringList lines;
    const bool ok = (store.isOpen() || store.open(&e)) &&
                    store.forEachJob(
                        [&](const Job &job) {
                            lines << QString::fromUtf8(
                                QJsonDocument(jobToJson(job, 1)).toJson(QJsonDocument::Compact));
                            return true;
                        },
                        &e);
    const std::optional<qint64> records = ok ? store.recordCount(&e) : std::nullopt;
    const std::optional<bool> paused = records ? store.isPaused(&e) : std::nullopt;
    if (!paused) {
        *error = QStringLiteral("cannot read the store: ") + e.message;
        return {};
    }
    lines << QStringLiteral("records=%1 paused=%2").arg(*records).arg(*paused);
    return lines.join(QLatin1Char('\n'));
}

// {work}: the row's folder; {db}: the store's URL; {dbfile}: its SQLite file.
QString TestHostileInput::expand(const QString &text) const
{
    QString result = text;
    result.replace(QStringLiteral("{work}"), m_work->path());
    result.replace(QStringLiteral("{dbfile}"), m_db->url().path);
    result.replace(QStringLiteral("{db}"), m_db->urlString());
    return result;
}

QStringList TestHostileInput::withDb(const QStringList &args) const
{
    QStringList full;
    for (const QString &arg : args)
        full << expand(arg);
    if (!args.contains(QStringLiteral("--db")))
        full << QStringLiteral("--db") << m_db->urlString();
    return full;
}

Run TestHostileInput::run(const QStringList &args, const QStringList &extraEnv,
                          const QByteArray &input, int timeoutMs) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DEALERQ_SETTINGS"),
               m_work->filePath(QStringLiteral("settings.ini")));
    env.insert(QStringLiteral("HOME"), m_work->path());
    env.insert(QStringLiteral("XDG_DATA_HOME"), m_work->filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_work->filePath(QStringLiteral("config")));
    // No display of any kind: a command line that is not one-shot must not open a window.
    for (const char *name : {"DEALERQ_DB", "DEALERQ_SOURCE_URL", "DEALERQ_SOURCE_TOKEN",
                             "DEALERQ_API_TOKEN", "DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        env.remove(QString::fromLatin1(name));
    for (const QString &pair : extraEnv) {
        const qsizetype equals = pair.indexOf(QLatin1Char('='));
        env.insert(pair.left(equals), expand(pair.mid(equals + 1)));
    }

    QProcess process;
    process.setProcessEnvironment(env);
    process.setWorkingDirectory(m_work->path());
    QElapsedTimer clock;
    clock.start();
    process.start(QStringLiteral(DEALERQ_PATH), args);
    Run result;
    if (!process.waitForStarted()) {
        result.err = process.errorString();
        return result;
    }
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    }
    result.elapsedMs = clock.elapsed();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

// The answer SPEC §3 asks for: the exit code, the reason on stderr, nothing on stdout, and for a
// refusal one line per problem, each "dealerq: ..." (a success may print progress lines too).
void TestHostileInput::verifyMessages(const Run &r, int exitCode, const QString &message,
                                      const QString &bug, int maxLines)
{
    const QString tag = bug.isEmpty() ? QString() : QStringLiteral("KNOWN BUG: %1\n").arg(bug);
    const QString shown = r.err.left(3000);
    QVERIFY2(r.exitCode == exitCode,
             qPrintable(tag + QStringLiteral("exit code %1 (after %2 ms), expected %3; stderr:\n%4")
                                  .arg(r.exitCode)
                                  .arg(r.elapsedMs)
                                  .arg(exitCode)
                                  .arg(shown)));
    QVERIFY2(
        message.isEmpty() || containsAny(r.err, message),
        qPrintable(tag + QStringLiteral("stderr does not say \"%1\":\n%2").arg(message, shown)));
    QVERIFY2(r.out.isEmpty(), qPrintable(tag + QStringLiteral("stdout: ") + r.out.left(500)));
    if (exitCode == 0)
        return;
    const QStringList lines = r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY2(!lines.isEmpty(), qPrintable(tag + QStringLiteral("nothing on stderr")));
    QVERIFY2(
        lines.size() <= maxLines,
        qPrintable(tag + QStringLiteral("%1 lines on stderr:\n%2").arg(lines.size()).arg(shown)));
    for (const QString &line : lines) {
        QVERIFY2(line.startsWith(QLatin1String("dealerq: ")),
                 qPrintable(tag + QStringLiteral("a stderr line that is not \"dealerq: <one "
                                                 "problem>\" (a message broken over lines, or a "
                                                 "library's own warning): \"%1\"\nstderr:\n%2")
                                      .arg(line.left(300), shown)));
    }
}

void TestHostileInput::verifyStoreUnchanged(const QString &bug)
{
    QString why;
    const QString now = snapshot(&why);
    if (now == m_seeded)
        return;
    m_dirty = true; // the next row gets a fresh store
    const QString tag = bug.isEmpty() ? QString() : QStringLiteral("KNOWN BUG: %1\n").arg(bug);
    QVERIFY2(false, qPrintable(tag + QStringLiteral("the store changed.\nbefore:\n%1\nafter:\n%2")
                                         .arg(m_seeded, now.isEmpty() ? why : now)));
}

void TestHostileInput::commandLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QStringList>("env");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("bug");
    QTest::addColumn<bool>("sqliteOnly");

    const auto row = [](const char *name, const QStringList &args, int exitCode,
                        const QString &message, const QString &bug = {},
                        const QStringList &env = {}, bool sqliteOnly = false) {
        QTest::newRow(name) << args << env << exitCode << message << bug << sqliteOnly;
    };
    const auto enqueueFrom = [](const QString &from) {
        return QStringList{"--enqueue", "Z9", "--from", from};
    };
    const QString notATime = QStringLiteral("is not a time");

    // Dates.
    row("date 2025-02-30", enqueueFrom("2025-02-30"), 2, "\"2025-02-30\" is not a calendar date");
    row("date 9999-99-99", enqueueFrom("9999-99-99"), 2, "is not a calendar date");
    row("date year 0", enqueueFrom("0000-01-01"), 2, "is not a calendar date");
    row("date five-digit year", enqueueFrom("99999-01-01"), 2, notATime);
    row("date JavaScript's last day", enqueueFrom("+275760-09-13T00:00:00Z"), 2, notATime);
    row("date negative year", enqueueFrom("-0001-01-01"), 2, notATime);
    row("offset +99:00", {"--enqueue", "Z9", "--to", "2025-06-12T09:31:00+99:00"}, 2,
        "impossible UTC offset");
    row("offset +14:60", enqueueFrom("2025-06-12T09:31:00+14:60"), 2, "impossible UTC offset");
    row("offset -15:00", enqueueFrom("2025-06-12T09:31:00-15:00"), 2, "impossible UTC offset");
    row("offset +0530 without colon, +99", enqueueFrom("2025-06-12T09:31:00+9999"), 2,
        "impossible UTC offset");
    row("1,000-character time", enqueueFrom(QString(1000, QLatin1Char('9'))), 2,
        "too long to be a time");
    row("hour 25", enqueueFrom("2025-06-12 25:00:00"), 2, "no such time of day");
    row("leap second", enqueueFrom("2025-06-30T23:59:60Z"), 2, "no such time of day");
    row("words", enqueueFrom("yesterday"), 2, "\"yesterday\" is not a time");
    row("reversed window", {"--enqueue", "Z9", "--from", "2025-06-13", "--to", "2025-06-12"}, 2,
        "before from_time");
    row("367-day window", {"--enqueue", "Z9", "--from", "2024-01-01", "--to", "2025-01-02"}, 2,
        "longer than 366 days");
    row("window of ten millennia",
        {"--enqueue", "Z9", "--from", "0001-01-01", "--to", "9999-12-31T23:59:59Z"}, 2,
        "longer than 366 days");
    row("daylight-saving gap", enqueueFrom("2025-03-30 02:30:00"), 2,
        "does not exist in local time", {}, {"TZ=Europe/Berlin"});
    row("full-width digits in a date", enqueueFrom(u"２０２５-０６-１２"_s), 2, notATime);
    row("Arabic-Indic digits in a date", enqueueFrom(u"٢٠٢٥-٠٦-١٢"_s), 2, notATime);
    row("right-to-left mark in a date", enqueueFrom(u"\u200F2025-06-12"_s), 2, "U+200F",
        "the time message echoes an invisible U+200F: it reads \"2025-06-12\" is not a time");
    row("newline in a date", enqueueFrom("2025-06-12\nFAKE: all good"), 2, notATime,
        "the time message echoes a raw newline: one error prints as two lines, the second "
        "without \"dealerq:\"");
    row("terminal escape in a date", enqueueFrom("2025\x1b[2J\x1b[H06-12"), 2, "U+001B",
        "the time message echoes a raw ESC sequence to the terminal");
    row("empty --from", enqueueFrom(""), 2, "--from",
        "--from \"\" is taken as omitted and queues today's window (the API refuses an empty "
        "from_time)");
    row("empty --to", {"--enqueue", "Z9", "--to", ""}, 2, "--to",
        "--to \"\" is taken as omitted and queues today's window");

    // Priorities.
    const auto priority = [](const QString &value) {
        return QStringList{"--enqueue", "Z9", "--priority", value};
    };
    const QString badPriority = QStringLiteral("--priority");
    row("priority 2^31", priority("2147483648"), 2, badPriority);
    row("priority -2^31-1", priority("-2147483649"), 2, badPriority);
    row("priority 2^64", priority("18446744073709551616"), 2, badPriority);
    row("priority 30 digits", priority(QString(30, QLatin1Char('9'))), 2, badPriority);
    row("priority 1000001", priority("1000001"), 2, badPriority);
    row("priority -1000001", priority("-1000001"), 2, badPriority);
    row("priority 1e3", priority("1e3"), 2, badPriority);
    row("priority 0x10", priority("0x10"), 2, badPriority);
    row("priority 1.5", priority("1.5"), 2, badPriority);
    row("priority NaN", priority("NaN"), 2, badPriority);
    row("priority empty", priority(""), 2, badPriority);
    row("priority full-width 5", priority(u"５"_s), 2, badPriority);

    // Dealer IDs.
    const auto ids = [](const QString &list) { return QStringList{"--enqueue", list}; };
    row("ID of 33 characters", ids("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"), 2,
        "is 33 characters long");
    row("ID of 10,000 characters", ids(QString(10000, QLatin1Char('A'))), 2,
        "is 10000 characters long");
    row("ID starting with -", ids("12284,-x"), 2, "\"-x\" must begin with a letter or a digit");
    row("ID starting with _", ids("_x"), 2, "must begin with a letter or a digit");
    row("SQL in an ID", ids("1';DROP TABLE jobs;--"), 2, "contains \"'\"");
    row("path in an ID", ids("../../etc/passwd"), 2, "contains \".\"");
    row("format string in an ID", ids("%s%n%x%p"), 2, "contains \"%\"");
    row("only separators", ids(" , , "), 2, "no dealer ID given");
    row("full-width digits in an ID", ids(u"１２２８４"_s), 2, u"contains \"１\""_s);
    row("Cyrillic A in an ID", ids(u"\u04101"_s), 2, u"\"\u04101\""_s);
    row("right-to-left mark in an ID", ids(u"\u200F12284"_s), 2, "U+200F",
        "the message shows the invisible U+200F raw: contains \"\"");
    row("right-to-left override in an ID", ids(u"\u202E12284"_s), 2, "U+202E",
        "the message prints U+202E raw, which reverses the rest of the line on a terminal");
    row("zero-width space in an ID", ids(u"12284\u200B"_s), 2, "U+200B",
        "the message shows the invisible U+200B raw: contains \"\"");
    row("combining accent in an ID", ids(u"A\u0301"_s), 2, "U+0301",
        "the message shows a lone combining accent, which lands on the quote mark");
    row("C1 control in an ID", ids(u"A\u0085B"_s), 2, "U+0085",
        "C1 controls are not escaped like C0 ones: the message prints U+0085 raw");
    row("soft hyphen in an ID", ids(u"A\u00ADB"_s), 2, "U+00AD",
        "the message shows the invisible U+00AD raw");
    row("emoji in an ID", ids(u"\U0001F697"_s), 2, u"U+1F697 || contains \"\U0001F697\""_s,
        "the message names half a surrogate pair, printed as contains \"?\"");

    // Other options.
    row("unknown fetch type with SQL", {"--enqueue", "Z9", "--type", "cars'; DROP TABLE jobs"}, 2,
        "unknown fetch type");
    row("fetch type in capitals", {"--enqueue", "Z9", "--type", "PROSPECT"}, 2,
        "unknown fetch type \"PROSPECT\"");
    row("--enqueue twice", {"--enqueue", "Z9", "--enqueue", "Z8"}, 2, "given more than once");
    row("unknown option", {"--enqueue", "Z9", "--frobnicate"}, 2, "frobnicate");
    row("API port 99999", {"--headless", "--api-listen", "127.0.0.1:99999"}, 2, "HOST:PORT");
    row("relative SQLite path", {"--enqueue", "Z9", "--db", "sqlite://dealerq.db"}, 2,
        "absolute path");
    row("unknown SQLite option", {"--enqueue", "Z9", "--db", "sqlite:///{work}/x.db?mode=rw"}, 2,
        "is not known");
    row("negative busy timeout",
        {"--enqueue", "Z9", "--db", "sqlite:///{work}/x.db?busy_timeout_ms=-5"}, 2, "is not known");
    row("PostgreSQL URL without database", {"--enqueue", "Z9", "--db", "postgresql://x@"}, 2,
        "postgresql://");
    row("database unreachable",
        {"--enqueue", "Z9", "--db", "postgresql://nobody@127.0.0.1:1/none"}, 3,
        "cannot open the database",
        "libpq's message is printed as it comes, over two lines: the second (\"\\tIs the server "
        "running on that host...\") has no \"dealerq:\"");
    row("NUL in the SQLite path", {"--enqueue", "Z9", "--db", "sqlite://{dbfile}%00.other"}, 2,
        "NUL || not a valid",
        "the path is cut at the NUL: the job goes into the store's own file instead of a refusal",
        {}, true);
    row("empty --type", {"--enqueue", "Z9", "--type", ""}, 2, "--type",
        "--type \"\" quietly becomes prospect");
    row("empty --db", {"--enqueue", "Z9", "--db", ""}, 2, "--db",
        "--db \"\" quietly uses the default database in the application data folder");
    row("empty --source", {"--headless", "--drain", "--no-api", "--source", ""}, 2, "--source",
        "--source \"\" quietly runs demo mode: the queued jobs are fetched from the built-in "
        "simulator into the real store");
    row("empty --export-csv", {"--export-csv", ""}, 2, "--export-csv",
        "--export-csv \"\" is taken as absent; the error is \"no display found\"");
    row("empty --bulk-file", {"--bulk-file", ""}, 2, "--bulk-file",
        "--bulk-file \"\" is taken as absent; the error is \"no display found\"");
}

void TestHostileInput::commandLine()
{
    QFETCH(QStringList, args);
    QFETCH(QStringList, env);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QFETCH(QString, bug);
    QFETCH(bool, sqliteOnly);
    if (sqliteOnly && m_db->isPostgres())
        QSKIP("a SQLite file path: not applicable to PostgreSQL");
    const Run r = run(withDb(args), env, {}, 30000);
    verifyStoreUnchanged(bug);
    if (QTest::currentTestFailed())
        return;
    verifyMessages(r, exitCode, message, bug);
}

void TestHostileInput::bulkFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("path"); ///< empty: `content` in a file of the row's own
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("bug");
    QTest::addColumn<int>("budgetMs"); ///< a heavy row: run on SQLite only (parsing is the same)

    const auto row = [](const char *name, const QByteArray &content, int exitCode,
                        const QString &message, const QString &bug = {}, int budgetMs = 30000) {
        QTest::newRow(name) << content << QString() << exitCode << message << bug << budgetMs;
    };
    const auto pathRow = [](const char *name, const QString &path, int exitCode,
                            const QString &message, const QByteArray &stdinContent = {}) {
        QTest::newRow(name) << stdinContent << path << exitCode << message << QString() << 30000;
    };

    row("NUL bytes only", QByteArrayLiteral("\0\0\0"), 2, "U+0000");
    row("NUL inside an ID", QByteArrayLiteral("A1\0B2\n"), 2, "\"A1<U+0000>B2\" contains a control character (U+0000)");
    row("invalid UTF-8", "12284\n\xc3\x28\xa0\xa1\n", 2, "contains");
    row("overlong UTF-8 slash", "12284\n\xc0\xaf\n", 2, "contains");
    row("Windows-1252 umlaut", "H\xe4ndler\n", 2, "contains");
    row("UTF-16 file",
        QByteArrayLiteral("\xff\xfe"
                          "1\0"
                          "2\0"
                          "\n\0"),
        2, "contains");
    row("CRLF mix with a bad ID", "12284\r\n00999\r\r\n\n\rA1\r\n-bad\r\n", 2,
        "\"-bad\" must begin");
    row("lone CRs", "A1\rB2\r-x\r", 2, "\"-x\" must begin");
    row("33-character ID", "12284\nABCDEFGHIJKLMNOPQRSTUVWXYZ0123456\n", 2,
        "is 33 characters long");
    row("SQL fragment", "1';DROP TABLE jobs;--\n", 2, "\"1'\" contains");
    row("SQL tautology", "A1' OR '1'='1\n", 2, "contains \"'\"");
    row("JSON instead of a list", "{\"dealer_ids\":[\"A1\"]}", 2, "contains");
    row("format string", "%s%s%n\n", 2, "contains \"%\"");
    row("terminal escape", "\x1b[2JA1\n", 2, "U+001B");
    row("one 1 MB line", QByteArray(1000000, 'A'), 2, "is 1000000 characters long", {}, 20000);
    row("empty file", QByteArray(), 2, "no dealer ID given");
    row("only a byte-order mark", "\xef\xbb\xbf", 2, "no dealer ID given");
    row("only separators", ",;\t \r\n,,;;", 2, "no dealer ID given");
    {
        QByteArray many;
        for (int i = 0; i < 100000; ++i)
            many += "D" + QByteArray::number(i).rightJustified(6, '0') + '\n';
        row("100,000 IDs and one bad", many + "-x\n", 2, "\"-x\" must begin", {}, 20000);
        QByteArray twice;
        for (int i = 0; i < 100000; ++i)
            twice += "R" + QByteArray::number(i).rightJustified(6, '0') + '\n';
        row("100,000 IDs each given twice", twice + twice + "-x\n", 2, "\"-x\" must begin",
            "checkDealerIds() looks every repeat up in a list: quadratic, 20 s to a minute here "
            "instead of well under a second",
            8000);
    }
    row("right-to-left mark",
        "12284\n\xe2\x80\x8f"
        "00999\n",
        2, "U+200F", "the message shows the invisible U+200F raw");

    pathRow("a directory", "{work}", 2, "cannot read --bulk-file");
    pathRow("'..' into a missing folder", "{work}/../dealerq-missing-folder/ids.txt", 2,
            "cannot read --bulk-file");
    pathRow("endless /dev/zero", "/dev/zero", 2, "larger than 64 MiB");
    pathRow("symlink loop", "{work}/loop", 2, "cannot read --bulk-file");
    pathRow("~ is not expanded", "~/ids.txt", 2, "cannot read --bulk-file");
    pathRow("stdin with NUL", "-", 2, "U+0000", QByteArrayLiteral("A1\n\0\n"));
    pathRow("stdin empty", "-", 2, "no dealer ID given");
}

void TestHostileInput::bulkFile()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, path);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QFETCH(QString, bug);
    QFETCH(int, budgetMs);
    if (budgetMs != 30000 && m_db->isPostgres())
        QSKIP("reading and checking the IDs does not depend on the backend: run on SQLite only");
    QByteArray input;
    if (path.isEmpty()) {
        path = m_work->filePath(QStringLiteral("ids.txt"));
        QVERIFY(writeBytes(path, content));
    } else if (path == QLatin1String("-")) {
        input = content;
    }
    QFile::link(QStringLiteral("loop"), m_work->filePath(QStringLiteral("loop")));
    const Run r = run(withDb({"--bulk-file", expand(path)}), {}, input, budgetMs);
    verifyStoreUnchanged(bug);
    if (QTest::currentTestFailed())
        return;
    verifyMessages(r, exitCode, message, bug);
}

void TestHostileInput::bulkFileAccepted_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QStringList>("queued");

    QTest::newRow("CRLF, CR and LF mixed")
        << QByteArray("12284\r\n00999\r\r\n\nC3\rD4") << QStringList{"12284", "00999", "C3", "D4"};
    QTest::newRow("byte-order mark and CRLF") << QByteArray("\xef\xbb\xbf"
                                                            "12284\r\n00999\r\n")
                                              << QStringList{"12284", "00999"};
    QTest::newRow("no-break spaces around an ID") << QByteArray("\xc2\xa0"
                                                                "12284\xc2\xa0\n")
                                                  << QStringList{"12284"};
    QTest::newRow("repeats and blanks")
        << QByteArray("C3,,C3;;C3\n\n\t C3 \n") << QStringList{"C3"};
    QTest::newRow("leading zeros kept")
        << QByteArray("00999\n0999\n999\n") << QStringList{"00999", "0999", "999"};
    QTest::newRow("32 characters") << QByteArray("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")
                                   << QStringList{"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"};
}

// Hostile-looking files that are fine: exactly the listed IDs are queued, in order, and the jobs
// already in the store stay as they were.
void TestHostileInput::bulkFileAccepted()
{
    QFETCH(QByteArray, content);
    QFETCH(QStringList, queued);
    const QString path = m_work->filePath(QStringLiteral("ids.txt"));
    QVERIFY(writeBytes(path, content));
    const Run r = run(withDb({"--bulk-file", path}));
    m_dirty = true;
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));

    QString why;
    const QStringList before = m_seeded.split(QLatin1Char('\n'));
    const QStringList after = snapshot(&why).split(QLatin1Char('\n'));
    QVERIFY2(after.size() == before.size() + queued.size(), qPrintable(why + after.join('\n')));
    QCOMPARE(after.mid(0, before.size() - 1), before.mid(0, before.size() - 1));
    QStringList added;
    for (qsizetype i = before.size() - 1; i < after.size() - 1; ++i)
        added << QJsonDocument::fromJson(after.at(i).toUtf8())["dealer_id"].toString();
    QCOMPARE(added, queued);
}

void TestHostileInput::settingsFile_data()
{
    QTest::addColumn<QByteArray>("content"); ///< null: the settings path is a directory
    QTest::addColumn<bool>("withDbOption");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("bug");

    const auto row = [](const char *name, const QByteArray &content, int exitCode,
                        const QString &message, const QString &bug = {}, bool withDb = true) {
        QTest::newRow(name) << content << withDb << exitCode << message << bug;
    };
    // Unusable values are each reported in one line (settings.h); a command exits 2 (SPEC §3)
    // and does nothing.
    row("wrong type", "[queue]\nmax_attempts=abc\n", 2,
        "queue/max_attempts = \"abc\" is not usable (a whole number from 1 to 100); using 5",
        "the warning ends in \"using \": an integer's default is not shown");
    row("huge number", "[fetch]\npage_size=99999999999999999999999\n", 2, "fetch/page_size");
    row("negative number", "[fetch]\nmax_retries=-1\n", 2, "fetch/max_retries");
    row("zero attempts", "[queue]\nmax_attempts=0\n", 2, "queue/max_attempts");
    row("fraction", "[fetch]\ntimeout_ms=1.5\n", 2, "fetch/timeout_ms");
    row("list for a number", "[fetch]\npage_size=1, 2, 3\n", 2, "fetch/page_size");
    row("empty fetch types", "[fetch]\ntypes=,,,\n", 2, "fetch/types");
    row("binary garbage", QByteArrayLiteral("\0\x01\x02\xff\xfe[[[=\n\0]]\n=\xc3("), 0, {});
    row("serialized variant of an unknown type",
        "[fetch]\ntypes=@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x18\\0)\n", 0, {});
    row("5 MB token", "[source]\ntoken=" + QByteArray(5000000, 'x') + '\n', 0, {});
    {
        QByteArray keys = "[junk]\n";
        for (int i = 0; i < 100000; ++i)
            keys += "key" + QByteArray::number(i) + "=value\n";
        row("100,000 unknown keys", keys, 0, {});
    }
    row("source URL of another scheme", "[source]\nurl=ftp://x\n", 2, "is not an http");
    row("source URL without host", "[source]\nurl=http://\n", 2, "is not an http");
    row("database URL of another kind", "[database]\nurl=mysql://x/y\n", 2,
        "must start with sqlite:///", {}, false);
    row("relative database path", "[database]\nurl=sqlite://dealerq.db\n", 2, "absolute path", {},
        false);
    row("settings path is a directory", QByteArray(), 2, "settings.ini",
        "DEALERQ_SETTINGS naming a folder is silently ignored: every value is its default "
        "(no source: demo mode) and nothing says so");
}

// A settings file that cannot be fully used: the command (an export) is refused with exit 2
// unless nothing in it matters, the file is left exactly as it was, and so is the store.
void TestHostileInput::settingsFile()
{
    QFETCH(QByteArray, content);
    QFETCH(bool, withDbOption);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QFETCH(QString, bug);
    const QString path = m_work->filePath(QStringLiteral("settings.ini"));
    if (content.isNull())
        QVERIFY(QDir(m_work->path()).mkdir(QStringLiteral("settings.ini")));
    else
        QVERIFY(writeBytes(path, content));
    const QString csv = m_work->filePath(QStringLiteral("out.csv"));
    const QStringList args{"--export-csv", csv};
    const Run r = run(withDbOption ? withDb(args) : args, {}, {}, 30000);
    verifyStoreUnchanged(bug);
    if (QTest::currentTestFailed())
        return;
    verifyMessages(r, exitCode, message, bug);
    if (content.isNull())
        QVERIFY(QFileInfo(path).isDir());
    else
        QVERIFY2(readBytes(path) == content, "the settings file was rewritten");
    QCOMPARE(QFileInfo::exists(csv), exitCode == 0);
}

// Creates one kind of hostile database file at `path`.
void TestHostileInput::buildDatabaseFile(const QString &kind, const QString &path)
{
    const auto dealerqDatabase = [&] {
        JobStore store(*DatabaseUrl::parse(QStringLiteral("sqlite://") + path, nullptr));
        StoreError e;
        NewJob common;
        common.fetchType = QStringLiteral("prospect");
        common.fromMs = SeedFromMs;
        common.toMs = SeedToMs;
        QVERIFY2(store.open(&e) && store.addJobs({"A1", "B2", "C3"}, common, &e),
                 qPrintable(e.message));
    };
    // A plain connection: no WAL, no dealerq schema, as another program would leave the file.
    const auto plainSql = [&](const QStringList &statements) {
        const QString name = QStringLiteral("hostile-%1").arg(kind);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            QVERIFY2(db.open(), qPrintable(db.lastError().text()));
            for (const QString &sql : statements) {
                QSqlQuery query(db);
                QVERIFY2(query.exec(sql), qPrintable(sql + ": " + query.lastError().text()));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    };
    const auto overwrite = [&](qint64 offset, const QByteArray &bytes) {
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.seek(offset));
        QCOMPARE(file.write(bytes), bytes.size());
    };
    const auto pageOf = [&](const QString &table, qint64 *pageSize) -> qint64 {
        const QString name = QStringLiteral("hostile-page");
        qint64 root = 0;
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            if (db.open()) {
                QSqlQuery query(db);
                if (query.exec(QStringLiteral("PRAGMA page_size")) && query.next())
                    *pageSize = query.value(0).toLongLong();
                if (query.exec(QStringLiteral("SELECT rootpage FROM sqlite_master WHERE name = '") +
                               table + QLatin1Char('\'')) &&
                    query.next())
                    root = query.value(0).toLongLong();
                db.close();
            }
        }
        QSqlDatabase::removeDatabase(name);
        return root;
    };

    if (kind == QLatin1String("corrupted jobs page") ||
        kind == QLatin1String("corrupted schema page")) {
        dealerqDatabase();
        qint64 pageSize = 0;
        const qint64 root = pageOf(QStringLiteral("jobs"), &pageSize);
        QVERIFY(root > 1 && pageSize > 0);
        if (kind == QLatin1String("corrupted jobs page"))
            overwrite((root - 1) * pageSize, QByteArray(int(pageSize), 'Z'));
        else
            overwrite(100, QByteArray(int(pageSize) - 100, 'Z'));
    } else if (kind == QLatin1String("garbage header")) {
        dealerqDatabase();
        overwrite(0, QByteArray(100, '\x5a'));
    } else if (kind == QLatin1String("random bytes")) {
        QVERIFY(writeBytes(path, pseudoRandomBytes(5000)));
    } else if (kind == QLatin1String("CSV text")) {
        QVERIFY(writeBytes(path, "job_id,dealer_id\r\n1,12284\r\n"));
    } else if (kind == QLatin1String("foreign tables")) {
        plainSql({QStringLiteral("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)"),
                  QStringLiteral("INSERT INTO invoices VALUES (1, 9.5)")});
    } else if (kind == QLatin1String("foreign tables and a meta table")) {
        plainSql({QStringLiteral("CREATE TABLE meta (key TEXT, value TEXT)"),
                  QStringLiteral("INSERT INTO meta VALUES ('theme', 'dark')"),
                  QStringLiteral("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")});
    } else if (kind == QLatin1String("newer schema")) {
        dealerqDatabase();
        plainSql({QStringLiteral("UPDATE meta SET value = '99' WHERE key = 'schema_version'")});
    } else if (kind == QLatin1String("schema version not a number")) {
        dealerqDatabase();
        plainSql({QStringLiteral("UPDATE meta SET value = 'abc' WHERE key = 'schema_version'")});
    } else if (kind == QLatin1String("jobs table missing")) {
        dealerqDatabase();
        plainSql({QStringLiteral("DROP TABLE jobs")});
    } else if (kind == QLatin1String("empty file")) {
        QVERIFY(writeBytes(path, QByteArray()));
    } else if (kind == QLatin1String("directory")) {
        QVERIFY(QDir().mkpath(path));
    } else if (kind == QLatin1String("parent is a file")) {
        // `path` is <work>/plain.txt/hostile.db
        QVERIFY(writeBytes(QFileInfo(path).absolutePath(), "not a folder\n"));
    } else {
        QFAIL(qPrintable(QStringLiteral("unknown kind ") + kind));
    }
}

void TestHostileInput::databaseFile_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("suffix"); ///< appended to the file URL
    QTest::addColumn<QList<int>>("exitCodes");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("bug");

    // A damaged file is neither bad input nor an unreachable server: 2 and 3 are both taken.
    const QList<int> damaged{2, 3};
    const auto row = [](const char *name, const QList<int> &codes, const QString &message,
                        const QString &bug = {}, const QString &suffix = {}) {
        const QString kind = QString::fromLatin1(name).remove(QStringLiteral(""));
        QTest::newRow(name) << kind << suffix << codes << message << bug;
    };
    row("corrupted jobs page", damaged, "malformed");
    row("corrupted schema page", damaged, "malformed");
    row("garbage header", damaged, "is not a usable SQLite database");
    row("random bytes", damaged, "is not a usable SQLite database");
    row("CSV text", damaged, "is not a usable SQLite database");
    row("foreign tables", {2}, "is not a dealerq database (it holds other tables: invoices)",
        "the file is switched to WAL mode (its header rewritten) before it is refused; refused "
        "databases must be left untouched");
    row("foreign tables and a meta table", {2}, "is not a dealerq database",
        "a foreign database that has a table called meta is taken for dealerq's: \"database "
        "error while writing settings: Parameter count mismatch\", exit 3, and its header is "
        "rewritten to WAL mode");
    row("newer schema", {2}, "was written by a newer dealerq (schema version 99");
    row("schema version not a number", damaged, "schema version");
    row("jobs table missing", damaged, "no such table",
        "prepare() failures are not checked: the message is \"No query\" or \"Parameter count "
        "mismatch\" instead of SQLite's \"no such table: jobs\"");
    // SQLite itself takes a 0-byte file for an empty database: dealerq makes it a new store.
    row("empty file", {0}, "queued 1 job: Z9 as job 1");
    row("directory", {3}, "cannot open the database");
    row("parent is a file", {3}, "cannot create the folder");
    row("read-only and missing", damaged, "read-only", {}, "?mode=ro");
}

// A database file no dealerq should use: --enqueue and --export-csv both refuse it clearly and
// leave it — and an existing export file — byte for byte as they were.
void TestHostileInput::databaseFile()
{
    if (m_db->isPostgres())
        QSKIP("database files are SQLite's; tst_jobstore covers foreign and newer schemas on "
              "PostgreSQL");
    QFETCH(QString, kind);
    QFETCH(QString, suffix);
    QFETCH(QList<int>, exitCodes);
    QFETCH(QString, message);
    QFETCH(QString, bug);
    const QString tag = bug.isEmpty() ? QString() : QStringLiteral("KNOWN BUG: %1\n").arg(bug);
    const QString path = kind == QLatin1String("parent is a file")
                             ? m_work->filePath(QStringLiteral("plain.txt/hostile.db"))
                         : kind == QLatin1String("read-only and missing")
                             ? m_work->filePath(QStringLiteral("missing.db"))
                             : m_work->filePath(QStringLiteral("hostile.db"));
    if (kind != QLatin1String("read-only and missing"))
        buildDatabaseFile(kind, path);
    if (QTest::currentTestFailed())
        return;
    const QByteArray before = readBytes(path);
    const QString csv = m_work->filePath(QStringLiteral("existing.csv"));
    QVERIFY(writeBytes(csv, "keep me\n"));
    const QString url = QStringLiteral("sqlite://") + path + suffix;

    const Run enqueue = run({"--db", url, "--enqueue", "Z9"});
    if (exitCodes == QList<int>{0}) {
        QVERIFY2(enqueue.exitCode == 0, qPrintable(enqueue.err));
        QVERIFY2(enqueue.err.contains(message), qPrintable(enqueue.err));
        const Run exported = run({"--db", url, "--export-csv", csv});
        QVERIFY2(exported.exitCode == 0, qPrintable(exported.err));
        QVERIFY(readBytes(csv).contains("\r\n1,Z9,prospect,"));
        verifyStoreUnchanged(bug);
        return;
    }
    QVERIFY2(exitCodes.contains(enqueue.exitCode),
             qPrintable(tag + QStringLiteral("--enqueue: exit %1; stderr:\n%2")
                                  .arg(enqueue.exitCode)
                                  .arg(enqueue.err)));
    verifyMessages(enqueue, enqueue.exitCode, message, bug);
    const Run exported = run({"--db", url, "--export-csv", csv});
    QVERIFY2(exitCodes.contains(exported.exitCode),
             qPrintable(tag + QStringLiteral("--export-csv: exit %1; stderr:\n%2")
                                  .arg(exported.exitCode)
                                  .arg(exported.err)));
    verifyMessages(exported, exported.exitCode, {}, bug);
    QVERIFY2(readBytes(csv) == "keep me\n", "a failed export touched the existing file");
    QVERIFY2(readBytes(path) == before,
             qPrintable(tag + QStringLiteral("the refused database file was changed")));
    QVERIFY2(
        !QFileInfo::exists(path + QStringLiteral("-wal")) ||
            QFileInfo(path + QStringLiteral("-wal")).size() == 0,
        qPrintable(tag + QStringLiteral("a refused database was left with a write-ahead log")));
    verifyStoreUnchanged(bug);
}

void TestHostileInput::exportCsv_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("db"); ///< empty: the store
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("bug");

    const auto row = [](const char *name, const QString &path, int exitCode, const QString &message,
                        const QString &db = {}, const QString &bug = {}) {
        QTest::newRow(name) << path << db << exitCode << message << bug;
    };
    row("a directory", "{work}/folder", 2, "cannot write {work}/folder");
    row("the working folder", ".", 2, "cannot write");
    row("/proc file", "/proc/self/status", 2, "cannot write /proc/self/status");
    row("folder in /proc", "/proc/dealerq-nowhere/out.csv", 2, "cannot write");
    row("'..' into a missing folder", "{work}/folder/../missing/out.csv", 2, "cannot write");
    row("name of 300 characters", "{work}/" + QString(300, QLatin1Char('a')) + ".csv", 2,
        "cannot write");
    row("path of 6,000 characters", "{work}/" + QString("b/").repeated(3000) + "x.csv", 2,
        "cannot write");
    row("through an existing file", "{work}/existing.csv/out.csv", 2, "cannot write");
    row("existing file with a slash", "{work}/existing.csv/", 2, "cannot write");
    row("~ is not expanded", "~/missing-folder/out.csv", 2, "cannot write");
    row("existing file, database unreachable", "{work}/existing.csv", 3,
        "cannot open the database", "postgresql://nobody@127.0.0.1:1/none",
        "libpq's message is printed over two lines, the second without \"dealerq:\"");
}

// An export that cannot be written fails with the path in the message, leaves an existing file
// as it was and no temporary file behind.
void TestHostileInput::exportCsv()
{
    QFETCH(QString, path);
    QFETCH(QString, db);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    QFETCH(QString, bug);
    QVERIFY(QDir(m_work->path()).mkdir(QStringLiteral("folder")));
    const QString existing = m_work->filePath(QStringLiteral("existing.csv"));
    QVERIFY(writeBytes(existing, "keep me\n"));
    const QStringList before = listing(m_work->path()) + listing(m_work->filePath("folder"));

    QStringList args{"--export-csv", expand(path)};
    if (!db.isEmpty())
        args << "--db" << db;
    const Run r = run(withDb(args), {}, {}, 30000);
    verifyStoreUnchanged(bug);
    if (QTest::currentTestFailed())
        return;
    verifyMessages(r, exitCode, expand(message), bug);
    QCOMPARE(readBytes(existing), QByteArray("keep me\n"));
    QCOMPARE(listing(m_work->path()) + listing(m_work->filePath("folder")), before);
}

QTEST_GUILESS_MAIN(TestHostileInput)
#include "tst_hostileinput.moc"
