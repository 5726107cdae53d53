#include "apiclient.h"
#include "simprocess.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QUrl>

#include <sys/stat.h>

namespace {

struct Run
{
    int exitCode = -1;
    QString err;
};

/// JOURNAL_STREAM's value for `path`: "DEVICE:INODE", as systemd writes it.
QByteArray journalStreamOf(const QString &path)
{
    struct stat info;
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return {};
    return QByteArray::number(qulonglong(info.st_dev)) + ':' +
           QByteArray::number(qulonglong(info.st_ino));
}

QStringList linesOf(const QString &text)
{
    return text.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace

/// dealerq's log (core/log) as the real binary writes it: categories chosen by QT_LOGGING_RULES,
/// the journal's priorities under systemd, and no secret in it at any level.
class TestLogging final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void secretsAreNeverLogged();
    void profileSecretsAreNeverLogged();
    void rulesChooseWhatIsLogged();
    void journalLinesCarryTheirPriority();

private:
    QProcessEnvironment environment() const;
    /// Runs dealerq to its end with `env`, its stderr into `stderrFile` when one is named.
    Run run(const QStringList &args, const QProcessEnvironment &env,
            const QString &stderrFile = {});

    std::unique_ptr<TestDatabase> m_db;
};

void TestLogging::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
}

void TestLogging::cleanup()
{
    m_db.reset();
}

QProcessEnvironment TestLogging::environment() const
{
    // One retry, quickly: a 500 is logged as a retry and then answered.
    return isolatedEnvironment(m_db->dir(),
                               "[fetch]\nmax_retries=1\ninitial_backoff_ms=10\ntimeout_ms=5000\n");
}

Run TestLogging::run(const QStringList &args, const QProcessEnvironment &env,
                     const QString &stderrFile)
{
    QProcess process;
    process.setProcessEnvironment(env);
    if (!stderrFile.isEmpty())
        process.setStandardErrorFile(stderrFile, QIODevice::Append);
    process.start(DEALERQ_PATH, args);
    Run result;
    if (!process.waitForStarted()) {
        result.err = process.errorString();
        return result;
    }
    if (!process.waitForFinished(60000))
        process.kill();
    process.waitForFinished();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

void TestLogging::secretsAreNeverLogged()
{
    const QByteArray sourceToken = "src-5ecret-T0ken-84213";
    const QByteArray apiToken = "api-5ecret-T0ken-11779";
    const QString dbPassword = QStringLiteral("db-5ecret-Passw0rd-3141");

    SimProcess sim({"--records", "3", "--token", QString::fromLatin1(sourceToken), "--fault",
                    "500x1:RETRY", "--fault", "404:GONE"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));

    // On PostgreSQL the password is in the URL the queue runs on (the test cluster trusts
    // loopback, so any password connects); on SQLite it is in one that cannot connect.
    QString dbUrl = m_db->urlString();
    if (m_db->isPostgres()) {
        QUrl url(dbUrl);
        url.setPassword(dbPassword);
        dbUrl = url.toString();
        QVERIFY(dbUrl.contains(dbPassword));
    }

    QProcessEnvironment env = environment();
    env.insert("DEALERQ_SOURCE_TOKEN", QString::fromLatin1(sourceToken));
    env.insert("DEALERQ_API_TOKEN", QString::fromLatin1(apiToken));
    env.insert("QT_LOGGING_RULES", "*.debug=true"); // Qt's own categories too

    QProcess dealerq;
    dealerq.setProcessEnvironment(env);
    dealerq.start(DEALERQ_PATH, {"--headless", "--db", dbUrl, "--source", sim.baseUrl().toString(),
                                 "--api-listen", "127.0.0.1:0"});
    QVERIFY2(dealerq.waitForStarted(), qPrintable(dealerq.errorString()));
    QString err;
    const QDeadlineTimer started(20000);
    while (!dealerq.canReadLine() && dealerq.state() == QProcess::Running && !started.hasExpired())
        dealerq.waitForReadyRead(100);
    const quint16 port = quint16(dealerq.readLine().trimmed().toUInt());
    err += QString::fromUtf8(dealerq.readAllStandardError());
    QVERIFY2(port != 0, qPrintable(err));

    ApiClient wrong(port, "not-the-token");
    QCOMPARE(wrong.get("/jobs/queue/status").status, 401);
    ApiClient none(port);
    QCOMPARE(none.request("GET", "/jobs/queue/status", {}, {}, false).status, 401);
    ApiClient client(port, apiToken);
    const HttpReply queued = client.post(
        "/jobs/queue/bulk",
        QJsonObject{{"dealer_ids", QJsonArray{"D1", "RETRY", "GONE"}}, {"fetch_type", "prospect"}});
    QVERIFY2(queued.status == 201, queued.body.constData());

    // Until every job has ended: the three are in the history.
    const QDeadlineTimer deadline(30000);
    for (;;) {
        const HttpReply history = client.get("/jobs/history?limit=10");
        QCOMPARE(history.status, 200);
        if (history.json().value("jobs").toArray().size() == 3 ||
            history.json().value("total").toInt() == 3)
            break;
        QVERIFY2(!deadline.hasExpired(), history.body.constData());
        QTest::qWait(50);
    }
    dealerq.terminate();
    QVERIFY(dealerq.waitForFinished(15000));
    QCOMPARE(dealerq.exitCode(), 0);
    err += QString::fromUtf8(dealerq.readAllStandardError());

    // A connection that fails names the database without its password (one-shot: a reason,
    // exit 3; the log at debug has nothing more).
    const Run unreachable =
        run({"--db", QStringLiteral("postgresql://dealerq:%1@127.0.0.1:1/nothing").arg(dbPassword),
             "--enqueue", "D9"},
            env);
    QCOMPARE(unreachable.exitCode, 3);
    err += unreachable.err;

    for (const QByteArray &secret : {sourceToken, apiToken, dbPassword.toUtf8(),
                                     QByteArray("not-the-token"), QByteArray("Authorization:")})
        QVERIFY2(!err.contains(QString::fromUtf8(secret)),
                 qPrintable(
                     QStringLiteral("\"%1\" was logged:\n%2").arg(QString::fromUtf8(secret), err)));
    for (const char *category : {"dealerq.app: ", "dealerq.runner: ", "dealerq.fetch: ",
                                 "dealerq.store: ", "dealerq.api: "})
        QVERIFY2(err.contains(QLatin1String(category)),
                 qPrintable(QStringLiteral("no %1line in:\n%2").arg(category, err)));
    QVERIFY2(err.contains("warning dealerq.api: GET /jobs/queue/status refused (401): wrong API "
                          "token") &&
                 err.contains("warning dealerq.api: GET /jobs/queue/status refused (401): no "
                              "API token"),
             qPrintable(err));
    QVERIFY2(err.contains("info dealerq.api: POST /jobs/queue/bulk -> 201"), qPrintable(err));
    QVERIFY2(err.contains("warning dealerq.fetch: dealer RETRY (prospect) page 1: HTTP 500"),
             qPrintable(err));
    QVERIFY2(err.contains("debug dealerq.fetch: GET http://127.0.0.1:"), qPrintable(err));
    QVERIFY2(QRegularExpression("warning dealerq.runner: job \\d+ \\(GONE prospect\\) failed")
                 .match(err)
                 .hasMatch(),
             qPrintable(err));
}

void TestLogging::profileSecretsAreNeverLogged()
{
    // SPEC §11: the client secret, the access tokens (one refused, one more fetched) and a basic
    // password stay out of the log at every level, and out of the jobs' history.
    const QString clientSecret = QStringLiteral("cl1ent-5ecret-27182");
    const QString basicPassword = QStringLiteral("ba5ic-5ecret-16180");
    SimProcess oauth({"--records", "35", "--page-size", "10", "--paging", "cursor", "--auth",
                      "oauth2", "--oauth2-client", "dealerq:" + clientSecret, "--oauth2-uses",
                      "2"});
    SimProcess basic({"--records", "5", "--paging", "page", "--auth", "basic", "--token",
                      "ops:" + basicPassword});
    QString why;
    QVERIFY2(oauth.start(&why), qPrintable(why));
    QVERIFY2(basic.start(&why), qPrintable(why));
    QProcessEnvironment env = environment();
    env.insert("QT_LOGGING_RULES", "*.debug=true");
    const QString settings = m_db->dir() + "/profile.ini";
    QFile file(settings);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(
        QStringLiteral("[fetch]\npage_size=10\n[profile]\npaging=cursor\n"
                       "next_cursor=/paging/next\nauth=oauth2\noauth2_token_url=%1oauth/token\n"
                       "oauth2_client_id=dealerq\noauth2_client_secret=%2\n")
            .arg(oauth.baseUrl().toString(), clientSecret)
            .toUtf8());
    file.close();
    const QStringList window{"--from", "2025-06-12", "--to", "2025-06-12"};
    Run r = run(QStringList{"--headless", "--drain", "--no-api", "--db", m_db->urlString(),
                            "--settings", settings, "--source", oauth.baseUrl().toString(),
                            "--enqueue", "D1"} +
                    window,
                env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QString err = r.err;

    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[profile]\nauth=basic\n");
    file.close();
    env.insert("DEALERQ_SOURCE_TOKEN", "ops:" + basicPassword);
    r = run(QStringList{"--headless", "--drain", "--no-api", "--db", m_db->urlString(),
                        "--settings", settings, "--source", basic.baseUrl().toString(), "--enqueue",
                        "D2"} +
                window,
            env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    err += r.err;

    JobStore store(m_db->url());
    StoreError error;
    QVERIFY(store.open(&error));
    for (qint64 id : {1, 2}) {
        for (const LogLine &line : store.jobLogs(id, &error).value_or(QVector<LogLine>()))
            err += line.message + '\n';
    }
    QVERIFY2(err.contains("page 3: HTTP 401, asking for a new OAuth2 token"), qPrintable(err));
    for (const QString &secret :
         {clientSecret, basicPassword, QStringLiteral("tok-1-"), QStringLiteral("tok-2-"),
          QStringLiteral("Authorization:"), QStringLiteral("client_secret=")})
        QVERIFY2(!err.contains(secret),
                 qPrintable(QStringLiteral("\"%1\" was logged:\n%2").arg(secret, err)));
}

void TestLogging::rulesChooseWhatIsLogged()
{
    const QStringList args{"--headless", "--demo", "--drain",
                           "--no-api",   "--db",   m_db->urlString()};
    QProcessEnvironment env = environment();

    // By default: info and above, no debug.
    Run r = run(args + QStringList{"--enqueue", "D1"}, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(
        r.err.contains(QRegularExpression(
            "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} info dealerq\\.runner: job \\d+ "
            "\\(D1 prospect\\) started, attempt 1$",
            QRegularExpression::MultilineOption)),
        qPrintable(r.err));
    QVERIFY2(r.err.contains("info dealerq.app: 1 job ran here in "), qPrintable(r.err));
    QVERIFY2(!r.err.contains(" debug "), qPrintable(r.err));

    // One category's debug on.
    env.insert("QT_LOGGING_RULES", "dealerq.fetch.debug=true");
    r = run(args + QStringList{"--enqueue", "D2"}, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains("debug dealerq.fetch: GET http://127.0.0.1:"), qPrintable(r.err));
    QVERIFY2(r.err.contains("debug dealerq.fetch: dealer D2 (prospect) page 1: "),
             qPrintable(r.err));
    QVERIFY2(!r.err.contains("debug dealerq.runner"), qPrintable(r.err));

    // Info off everywhere: the command's own output stays.
    env.insert("QT_LOGGING_RULES", "dealerq.*.info=false");
    r = run(args + QStringList{"--enqueue", "D3"}, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(!r.err.contains("dealerq."), qPrintable(r.err));
    QVERIFY2(r.err.contains(QRegularExpression("^queued 1 job: D3 as job \\d+$",
                                               QRegularExpression::MultilineOption)),
             qPrintable(r.err));

    // QT_MESSAGE_PATTERN replaces the format.
    env.insert("QT_LOGGING_RULES", "");
    env.insert("QT_MESSAGE_PATTERN", "[%{category}|%{type}] %{message}");
    r = run(args + QStringList{"--enqueue", "D4"}, env);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QRegularExpression("^\\[dealerq\\.runner\\|info\\] job \\d+ \\(D4 ",
                                               QRegularExpression::MultilineOption)),
             qPrintable(r.err));
}

void TestLogging::journalLinesCarryTheirPriority()
{
    SimProcess sim({"--records", "3", "--fault", "404:GONE"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    const QStringList args{"--headless",
                           "--drain",
                           "--no-api",
                           "--db",
                           m_db->urlString(),
                           "--source",
                           sim.baseUrl().toString()};
    QProcessEnvironment env = environment();
    env.insert("QT_LOGGING_RULES", "dealerq.fetch.debug=true");
    const auto readFile = [](const QString &path) {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
    };

    // Under systemd: JOURNAL_STREAM names the file stderr is open on.
    const QString journal = m_db->dir() + "/journal.txt";
    QVERIFY(QFile(journal).open(QIODevice::WriteOnly));
    QProcessEnvironment journalEnv = env;
    journalEnv.insert("JOURNAL_STREAM", QString::fromLatin1(journalStreamOf(journal)));
    Run r = run(args + QStringList{"--enqueue", "OK1,GONE"}, journalEnv, journal);
    QCOMPARE(r.exitCode, 1); // GONE failed
    QString text = readFile(journal);
    const QStringList lines = linesOf(text);
    QVERIFY2(!lines.isEmpty(), "nothing on stderr");
    for (const QString &line : lines)
        QVERIFY2(QRegularExpression("^<[2-7]>").match(line).hasMatch(), qPrintable(text));
    QVERIFY2(text.contains(QRegularExpression("^<6>dealerq\\.runner: job \\d+ \\(OK1 prospect\\) "
                                              "completed",
                                              QRegularExpression::MultilineOption)),
             qPrintable(text));
    QVERIFY2(text.contains(QRegularExpression("^<4>dealerq\\.runner: job \\d+ \\(GONE prospect\\) "
                                              "failed",
                                              QRegularExpression::MultilineOption)),
             qPrintable(text));
    QVERIFY2(text.contains(QRegularExpression("^<7>dealerq\\.fetch: GET http://127\\.0\\.0\\.1:",
                                              QRegularExpression::MultilineOption)),
             qPrintable(text));
    QVERIFY2(text.contains(
                 QRegularExpression("^<6>queued 2 jobs: ", QRegularExpression::MultilineOption)),
             qPrintable(text));
    QVERIFY2(!text.contains(" info ") && !text.contains(" warning "), qPrintable(text));

    // The reason a service stops with is an error there.
    r = run({"--headless", "--db", m_db->urlString(), "--source", "ftp://nowhere"}, journalEnv,
            journal);
    QCOMPARE(r.exitCode, 2);
    text = readFile(journal);
    QVERIFY2(
        text.contains(QRegularExpression("^<3>dealerq: ", QRegularExpression::MultilineOption)),
        qPrintable(text));

    // Not under systemd: no priorities, the terminal's format; nor when JOURNAL_STREAM was
    // inherited but stderr goes elsewhere.
    for (const QString &inherited : {QStringLiteral("none"), QStringLiteral("other")}) {
        const QString path = m_db->dir() + "/stderr-" + inherited + ".txt";
        QProcessEnvironment plainEnv = env;
        if (inherited == QLatin1String("other"))
            plainEnv.insert("JOURNAL_STREAM", QString::fromLatin1(journalStreamOf(journal)));
        r = run(args + QStringList{"--enqueue", "OK2"}, plainEnv, path);
        QCOMPARE(r.exitCode, 0);
        text = readFile(path);
        QVERIFY2(!text.isEmpty(), "nothing on stderr");
        QVERIFY2(!text.contains(QRegularExpression("^<\\d>", QRegularExpression::MultilineOption)),
                 qPrintable(text));
        QVERIFY2(text.contains(" info dealerq.runner: job ") &&
                     text.contains(" debug dealerq.fetch: GET "),
                 qPrintable(text));
    }
}

QTEST_GUILESS_MAIN(TestLogging)
#include "tst_logging.moc"
