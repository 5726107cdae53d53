#include "apiclient.h"
#include "simprocess.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <cerrno>
#include <csignal>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <QDateTime>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QNetworkInterface>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

namespace {

const QByteArray Token = "process-test-token-0123456789abcdef";

struct CurlReply
{
    int status = 0;
    QByteArray body;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
};

/// Peak and current resident memory of a process, in KiB (from /proc/PID/status).
struct Memory
{
    qint64 hwmKiB = -1;
    qint64 rssKiB = -1;
};

Memory memoryOf(qint64 pid)
{
    Memory memory;
    QFile file(QStringLiteral("/proc/%1/status").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return memory;
    for (const QByteArray &line : file.readAll().split('\n')) {
        const QList<QByteArray> parts = line.simplified().split(' ');
        if (parts.size() >= 2 && parts.at(0) == "VmHWM:")
            memory.hwmKiB = parts.at(1).toLongLong();
        if (parts.size() >= 2 && parts.at(0) == "VmRSS:")
            memory.rssKiB = parts.at(1).toLongLong();
    }
    return memory;
}

qint64 msOf(const QJsonValue &timestamp)
{
    return QDateTime::fromString(timestamp.toString(), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

} // namespace

/// The REST API of the real dealerq binary (`--headless`), spoken to as scripts do: the seed's
/// own example requests through curl, the port printed on stdout, the token's sources, the
/// memory a 100 MiB body and a 100,000-job CSV cost, 10,000 IDs in one call, and /metrics
/// through promtool.
class TestApiProcess final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void listensOnLoopbackAndPrintsThePort();
    void seedExamplesAsWritten();
    void hundredMebibyteBodyKeepsMemoryBounded();
    void tenThousandIdsInOneStep();
    void csvOfManyJobsKeepsMemoryBounded();
    void metricsPassPromtool();
    void tokenIsGeneratedOnceAndStored();
    void tokenFromEnvironmentAndCommandLine();
    void noApiAndRefusedAddresses();

private:
    QProcessEnvironment environment() const;
    /// Starts dealerq --headless with `args` and reads the port from its first stdout line.
    bool start(const QStringList &args, QString *error,
               const QProcessEnvironment &env = QProcessEnvironment());
    void stop();
    QString readStderr();
    /// Waits (up to 10 s) until stderr holds `text`.
    bool waitForStderr(const QString &text);
    CurlReply curl(const QByteArray &method, const QString &path, const QByteArray &body = {},
                   bool withToken = true);
    /// Polls the queue status until nothing is queued or running.
    bool waitUntilIdle(int timeoutMs);

    std::unique_ptr<TestDatabase> m_db;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_stderr;
    QString m_curl;
};

void TestApiProcess::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_stderr.clear();
    m_port = 0;
    m_curl = QStandardPaths::findExecutable("curl");
}

void TestApiProcess::cleanup()
{
    stop();
    m_db.reset();
}

QProcessEnvironment TestApiProcess::environment() const
{
    return isolatedEnvironment(m_db->dir(),
                               "[fetch]\nmax_retries=1\ninitial_backoff_ms=10\ntimeout_ms=5000\n");
}

bool TestApiProcess::start(const QStringList &args, QString *error, const QProcessEnvironment &env)
{
    m_process.setProcessEnvironment(env.isEmpty() ? environment() : env);
    m_process.setProgram(DEALERQ_PATH);
    m_process.setArguments(QStringList{"--headless", "--db", m_db->urlString()} + args);
    m_process.setReadChannel(QProcess::StandardOutput);
    m_process.start();
    if (!m_process.waitForStarted(10000)) {
        *error = m_process.errorString();
        return false;
    }
    const QDeadlineTimer deadline(20000);
    while (!m_process.canReadLine()) {
        if (m_process.state() != QProcess::Running || deadline.hasExpired()) {
            *error = QStringLiteral("dealerq printed no port%1; stderr: %2")
                         .arg(readStderr().contains(QLatin1String("REST API"))
                                  ? QString()
                                  : QStringLiteral(" (no REST API line: is startApi() called "
                                                   "in app/main.cpp?)"),
                              readStderr());
            return false;
        }
        m_process.waitForReadyRead(100);
    }
    bool ok = false;
    const QByteArray line = m_process.readLine().trimmed();
    m_port = quint16(line.toUInt(&ok));
    if (!ok || m_port == 0) {
        *error =
            QStringLiteral("first stdout line is not a port: \"%1\"").arg(QString::fromUtf8(line));
        return false;
    }
    return true;
}

void TestApiProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(15000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
    readStderr();
}

QString TestApiProcess::readStderr()
{
    m_stderr += QString::fromUtf8(m_process.readAllStandardError());
    return m_stderr;
}

bool TestApiProcess::waitForStderr(const QString &text)
{
    const QDeadlineTimer deadline(10000);
    while (!readStderr().contains(text)) {
        if (deadline.hasExpired() || m_process.state() != QProcess::Running)
            return readStderr().contains(text);
        m_process.waitForReadyRead(50);
    }
    return true;
}

CurlReply TestApiProcess::curl(const QByteArray &method, const QString &path,
                               const QByteArray &body, bool withToken)
{
    QStringList args{"-sS", "-X", QString::fromLatin1(method), "-o", "-", "-w", "\n%{http_code}"};
    if (withToken)
        args << "-H"
             << "Authorization: Bearer " + QString::fromLatin1(Token);
    if (!body.isEmpty())
        args << "-H"
             << "Content-Type: application/json"
             << "--data-binary"
             << "@-";
    args << QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path);
    QProcess process;
    process.start(m_curl, args);
    process.write(body);
    process.closeWriteChannel();
    process.waitForFinished(30000);
    const QByteArray out = process.readAllStandardOutput();
    CurlReply reply;
    const qsizetype newline = out.lastIndexOf('\n');
    reply.status = out.mid(newline + 1).toInt();
    reply.body = out.left(newline);
    return reply;
}

bool TestApiProcess::waitUntilIdle(int timeoutMs)
{
    ApiClient client(m_port, Token);
    const QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired()) {
        const QJsonObject status = client.get("/jobs/queue/status?limit=0").json();
        if (status.value("queue_length").toInt(-1) == 0 && status.value("current_job").isNull())
            return true;
        QTest::qWait(100);
    }
    return false;
}

void TestApiProcess::listensOnLoopbackAndPrintsThePort()
{
    QString why;
    QVERIFY2(start({"--demo", "--api-listen", "127.0.0.1:0", "--api-token", Token}, &why),
             qPrintable(why));
    ApiClient client(m_port, Token);
    QCOMPARE(client.request("GET", "/health", {}, {}, false).status, 200);
    QVERIFY2(
        waitForStderr(QStringLiteral("REST API listening on http://127.0.0.1:%1\n").arg(m_port)),
        qPrintable(m_stderr));
    QCOMPARE(client.request("GET", "/jobs/queue/status", {}, {}, false).status, 401);
    QCOMPARE(client.get("/jobs/queue/status").status, 200);
    // Only loopback: another address of this machine is not served.
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.isLoopback() || address.protocol() != QAbstractSocket::IPv4Protocol)
            continue;
        QTcpSocket socket;
        socket.connectToHost(address, m_port);
        QVERIFY2(!socket.waitForConnected(2000), qPrintable(address.toString()));
        break;
    }
    stop();
    QCOMPARE(m_process.exitCode(), 0);
    QVERIFY2(!m_stderr.contains(QString::fromLatin1(Token)), "the token must never be logged");
    QCOMPARE(m_process.readAllStandardOutput().trimmed(), QByteArray());
}

void TestApiProcess::seedExamplesAsWritten()
{
    if (m_curl.isEmpty())
        QSKIP("curl is not installed");
    // Every job takes a few hundred milliseconds, so jobs are still queued when the seed's
    // calls look at them.
    SimProcess sim({"--records", "40", "--page-size", "10", "--latency-ms", "80"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    QVERIFY2(start({"--source", sim.baseUrl().toString(), "--api-listen", "127.0.0.1:0",
                    "--api-token", Token},
                   &why),
             qPrintable(why));

    // "Add Single Job to Queue"
    const CurlReply single = curl("POST", "/jobs/queue", R"({
    "dealer_id": "12284",
    "fetch_type": "prospect",
    "from_time": "2025-06-12 00:00:00",
    "to_time": "2025-06-12 23:59:59"
})");
    QVERIFY2(single.status == 201, single.body.constData());
    const qint64 first = single.json().value("job_id").toInteger();
    QCOMPARE(single.json().value("dealer_id").toString(), QStringLiteral("12284"));
    QVERIFY(single.json().value("from_time").toString().startsWith("2025-06-12T00:00:00.000"));
    QVERIFY(single.json().value("to_time").toString().startsWith("2025-06-12T23:59:59.000"));

    // "Add Bulk Jobs to Queue"
    const CurlReply bulk = curl("POST", "/jobs/queue/bulk", R"({
    "dealer_ids": ["12284", "00999"],
    "fetch_type": "prospect"
})");
    QVERIFY2(bulk.status == 201, bulk.body.constData());
    QCOMPARE(bulk.json().value("added").toInt(), 2);
    const QJsonArray bulkIds = bulk.json().value("job_ids").toArray();
    QCOMPARE(bulkIds.size(), 2);
    QCOMPARE(bulk.json().value("skipped").toArray().size(), 0);

    // "Get Queue Status": current_job, queue_length, queued_jobs, is_processing
    const CurlReply status = curl("GET", "/jobs/queue/status");
    QCOMPARE(status.status, 200);
    for (const char *key :
         {"current_job", "queue_length", "queued_jobs", "is_processing", "is_paused"})
        QVERIFY2(status.json().contains(key), key);
    QVERIFY(status.json().value("queue_length").toInt() >= 1);

    // "Cancel Queued Job": one more job, cancelled while three wait before it.
    const CurlReply extra =
        curl("POST", "/jobs/queue", R"({"dealer_id": "A42", "fetch_type": "prospect"})");
    QCOMPARE(extra.status, 201);
    const qint64 extraId = extra.json().value("job_id").toInteger();
    const CurlReply cancelled = curl("DELETE", QStringLiteral("/jobs/queue/%1").arg(extraId));
    QVERIFY2(cancelled.status == 200, cancelled.body.constData());
    QCOMPARE(cancelled.json().value("status").toString(), QStringLiteral("cancelled"));

    QVERIFY2(waitUntilIdle(60000), qPrintable(readStderr()));

    // "Get Job Status": job details, status, result, timestamps
    QList<QJsonObject> jobs;
    for (const qint64 id : {first, bulkIds.at(0).toInteger(), bulkIds.at(1).toInteger()}) {
        const CurlReply job = curl("GET", QStringLiteral("/jobs/queue/%1/status").arg(id));
        QCOMPARE(job.status, 200);
        QCOMPARE(job.json().value("status").toString(), QStringLiteral("completed"));
        QCOMPARE(job.json().value("result").toObject().value("fetched").toInt(), 40);
        jobs << job.json();
    }
    QCOMPARE(jobs.at(1).value("dealer_id").toString(), QStringLiteral("12284"));
    QCOMPARE(jobs.at(2).value("dealer_id").toString(), QStringLiteral("00999"));
    // One after the other: no two jobs' runs overlap.
    for (int i = 1; i < jobs.size(); ++i)
        QVERIFY2(msOf(jobs.at(i - 1).value("finished_at")) <= msOf(jobs.at(i).value("started_at")),
                 qPrintable(QStringLiteral("job %1 started before job %2 finished")
                                .arg(jobs.at(i).value("job_id").toInteger())
                                .arg(jobs.at(i - 1).value("job_id").toInteger())));
    const CurlReply extraStatus = curl("GET", QStringLiteral("/jobs/queue/%1/status").arg(extraId));
    QCOMPARE(extraStatus.json().value("status").toString(), QStringLiteral("cancelled"));
    QVERIFY(extraStatus.json().value("started_at").isNull());

    // "Clear Completed Jobs"
    const CurlReply cleared = curl("DELETE", "/jobs/queue/completed");
    QCOMPARE(cleared.status, 200);
    QCOMPARE(cleared.json(), (QJsonObject{{"removed", 4}}));
    QCOMPARE(curl("GET", QStringLiteral("/jobs/queue/%1/status").arg(first)).status, 404);

    // Without the token nothing is told.
    const CurlReply anonymous = curl("GET", "/jobs/queue/status", {}, false);
    QCOMPARE(anonymous.status, 401);
    QCOMPARE(anonymous.json().value("error").toObject().value("code").toString(),
             QStringLiteral("unauthorized"));
}

void TestApiProcess::hundredMebibyteBodyKeepsMemoryBounded()
{
    QString why;
    QVERIFY2(start({"--demo", "--api-listen", "127.0.0.1:0", "--api-token", Token}, &why),
             qPrintable(why));
    ApiClient client(m_port, Token);
    QCOMPARE(client.get("/jobs/queue/status").status, 200); // warm: store open, code paged in
    const Memory before = memoryOf(m_process.processId());
    QVERIFY(before.hwmKiB > 0);

    // A plain socket, as curl would: it keeps sending after the server's FIN and reads the
    // answer while it sends. QTcpSocket would stop writing at the FIN.
    constexpr qint64 Size = 100LL * 1024 * 1024;
    const QByteArray head =
        "POST /jobs/queue/bulk HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Token +
        "\r\nContent-Type: application/json\r\nContent-Length: " + QByteArray::number(Size) +
        "\r\n\r\n";
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    QVERIFY(fd >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(m_port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QVERIFY(::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) == 0);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    const QByteArray chunk(1024 * 1024, 'x');
    qint64 sent = -head.size();
    qint64 offset = 0; // within the current chunk (or the head)
    QByteArray answer;
    bool sending = true;
    bool readOpen = true;
    const QDeadlineTimer deadline(60000);
    while ((sending || readOpen) && !deadline.hasExpired()) {
        pollfd p{fd, short((readOpen ? POLLIN : 0) | (sending ? POLLOUT : 0)), 0};
        if (::poll(&p, 1, 200) < 0)
            break;
        if (p.revents & POLLIN) {
            char buffer[4096];
            const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n > 0)
                answer.append(buffer, n);
            else
                readOpen = false; // the server's FIN (or a reset): the answer is complete
        }
        if (sending && (p.revents & (POLLOUT | POLLERR | POLLHUP))) {
            const QByteArray &data = sent < 0 ? head : chunk;
            const ssize_t n =
                ::send(fd, data.constData() + offset, size_t(data.size() - offset), MSG_NOSIGNAL);
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
                sending = false; // reset: stop sending, keep what was received
            } else if (n > 0) {
                offset += n;
                if (offset == data.size()) {
                    sent += data.size();
                    offset = 0;
                    sending = sent < Size;
                }
            }
        }
    }
    ::close(fd);
    QVERIFY2(answer.startsWith("HTTP/1.1 413 "), answer.left(200).constData());
    QVERIFY(answer.contains("payload_too_large"));
    QVERIFY2(sent > Size / 2, "the client should get most of the body out");

    const Memory after = memoryOf(m_process.processId());
    qInfo("sent %lld MiB; dealerq VmHWM %lld -> %lld KiB, VmRSS %lld -> %lld KiB", sent >> 20,
          before.hwmKiB, after.hwmKiB, before.rssKiB, after.rssKiB);
#ifndef __SANITIZE_ADDRESS__ // ASan's allocator keeps freed memory in quarantine: no bound holds
    QVERIFY2(after.hwmKiB - before.hwmKiB < 60 * 1024, "the body must not be read into memory");
#endif
    QCOMPARE(client.get("/jobs/queue/status").status, 200);
    QCOMPARE(client.get("/jobs/queue/status?limit=0").json().value("queue_length").toInt(), 0);
}

void TestApiProcess::tenThousandIdsInOneStep()
{
    QString why;
    QVERIFY2(start({"--demo", "--api-listen", "127.0.0.1:0", "--api-token", Token}, &why),
             qPrintable(why));
    ApiClient client(m_port, Token);
    client.setTimeout(180000); // 10,000 inserts on a loaded machine's PostgreSQL take a while
    QCOMPARE(client.request("POST", "/jobs/queue/pause").status, 200);
    QJsonArray ids;
    for (int i = 0; i < 10001; ++i)
        ids.push_back(QStringLiteral("D%1").arg(i, 5, 10, QLatin1Char('0')));
    const HttpReply tooMany =
        client.post("/jobs/queue/bulk", {{"dealer_ids", ids}, {"fetch_type", "sales"}});
    QCOMPARE(tooMany.status, 413);
    QCOMPARE(tooMany.errorCode(), QStringLiteral("too_many_ids"));
    QCOMPARE(client.get("/jobs/queue/status?limit=0").json().value("queue_length").toInt(), 0);

    ids.removeLast();
    const HttpReply added =
        client.post("/jobs/queue/bulk", {{"dealer_ids", ids}, {"fetch_type", "sales"}});
    QCOMPARE(added.status, 201);
    QCOMPARE(added.json().value("added").toInt(), 10000);
    const QJsonArray jobIds = added.json().value("job_ids").toArray();
    QCOMPARE(jobIds.size(), 10000);
    const QJsonObject status = client.get("/jobs/queue/status").json();
    QCOMPARE(status.value("queue_length").toInt(), 10000);
    QCOMPARE(status.value("queued_jobs").toArray().size(), 100);
    QCOMPARE(status.value("queued_jobs").toArray().at(0).toObject().value("dealer_id"),
             QJsonValue("D00000"));
    QCOMPARE(status.value("is_paused").toBool(), true);
}

void TestApiProcess::csvOfManyJobsKeepsMemoryBounded()
{
    const int count = m_db->isPostgres() ? 20000 : 100000;
    {
        JobStore store(m_db->url());
        StoreError error;
        QVERIFY2(store.open(&error), qPrintable(error.message));
        QVERIFY(store.setPaused(true, &error));
        QStringList ids;
        for (int i = 0; i < 10000; ++i)
            ids << QStringLiteral("D%1").arg(i);
        const char *types[] = {"prospect", "sales", "service", "inventory"};
        for (int batch = 0; batch < count / 10000; ++batch) {
            const qint64 from = 1735689600000LL + qint64(batch / 4) * 86400000LL;
            QVERIFY2(store.addJobs(
                         ids,
                         {QString(), types[batch % 4], from, from + 86399000, 0, false, "test"},
                         &error),
                     qPrintable(error.message));
        }
    }
    QString why;
    QVERIFY2(start({"--demo", "--api-listen", "127.0.0.1:0", "--api-token", Token}, &why),
             qPrintable(why));
    ApiClient client(m_port, Token);
    QCOMPARE(client.get("/jobs/queue/status?limit=0").json().value("queue_length").toInt(), count);
    const Memory before = memoryOf(m_process.processId());
    const HttpReply csv = client.get("/jobs/history.csv");
    QCOMPARE(csv.status, 200);
    QCOMPARE(csv.body.count('\n'), count + 1);
    const Memory after = memoryOf(m_process.processId());
    qInfo("%d jobs, %lld KiB of CSV; dealerq VmHWM %lld -> %lld KiB", count,
          qint64(csv.body.size()) / 1024, before.hwmKiB, after.hwmKiB);
    // Far less than the CSV itself: it is streamed from a temporary file.
#ifndef __SANITIZE_ADDRESS__
    QVERIFY2(after.hwmKiB - before.hwmKiB < qMax<qint64>(8 * 1024, csv.body.size() / 1024 / 2),
             "the CSV must not be built in memory");
#endif
}

void TestApiProcess::metricsPassPromtool()
{
    QString why;
    QVERIFY2(start({"--demo", "--api-listen", "127.0.0.1:0", "--api-token", Token}, &why),
             qPrintable(why));
    ApiClient client(m_port, Token);
    QCOMPARE(client
                 .post("/jobs/queue/bulk",
                       {{"dealer_ids", QJsonArray{"M1", "M2", "M3"}}, {"fetch_type", "sales"}})
                 .status,
             201);
    QVERIFY2(waitUntilIdle(30000), qPrintable(readStderr()));
    // The store shows the jobs' end at once; this process's counters (durations, finished jobs,
    // records) learn of it with the queue's news, which the runner's thread hands to the main
    // thread in batches (QueueRunner::NewsIntervalMs) — an idle queue may still be uncounted.
    const QByteArray allCounted = "dealerq_jobs_finished_total{status=\"completed\"} 3\n";
    const QDeadlineTimer counted(10000);
    while (!client.get("/metrics").body.contains(allCounted) && !counted.hasExpired())
        QTest::qWait(20);
    client.del("/jobs/queue/999"); // a 404 among the counted answers
    const HttpReply metrics = client.get("/metrics");
    QCOMPARE(metrics.status, 200);
    QCOMPARE(metrics.header("Content-Type"),
             QByteArray("text/plain; version=0.0.4; charset=utf-8"));
    const QByteArray text = metrics.body;
    for (const char *line :
         {"dealerq_jobs{status=\"completed\"} 3\n", "dealerq_queue_length 0\n",
          "dealerq_job_duration_seconds_count 3\n",
          "dealerq_jobs_finished_total{status=\"completed\"} 3\n",
          "dealerq_records_fetched_total 15\n", "dealerq_api_responses_total{code=\"404\"} 1\n"})
        QVERIFY2(text.contains(line),
                 qPrintable(QStringLiteral("no \"%1\" in:\n%2")
                                .arg(QString::fromUtf8(line).trimmed(), QString::fromUtf8(text))));
    QCOMPARE(client.request("GET", "/metrics", {}, {}, false).status, 401);

    // The example alert rules (docs/prometheus/) name only metrics that dealerq serves: a rule
    // on a misspelt metric would never fire.
    QFile rules(QStringLiteral(DEALERQ_ALERT_RULES));
    QVERIFY2(rules.open(QIODevice::ReadOnly), qPrintable(rules.fileName()));
    const QString ruleText = QString::fromUtf8(rules.readAll());
    QSet<QString> used;
    const QRegularExpression metricName(QStringLiteral("\\b(dealerq_[a-z_]+)\\b"));
    for (auto it = metricName.globalMatch(ruleText); it.hasNext();)
        used.insert(it.next().captured(1));
    QVERIFY2(used.size() >= 4, qPrintable(QStringList(used.values()).join(u',')));
    for (const QString &name : std::as_const(used))
        QVERIFY2(text.contains("\n# TYPE " + name.toLatin1() + ' '),
                 qPrintable(name + QStringLiteral(" is used by the alert rules but not served")));

    const QString promtool = QStandardPaths::findExecutable("promtool");
    if (promtool.isEmpty())
        QSKIP("promtool is not installed (apt-get install prometheus); format checked above only");
    QProcess check;
    check.start(promtool, {"check", "metrics"});
    check.write(text);
    check.closeWriteChannel();
    QVERIFY(check.waitForFinished(30000));
    const QByteArray output = check.readAllStandardOutput() + check.readAllStandardError();
    QVERIFY2(check.exitCode() == 0, output.constData());
    QVERIFY2(output.trimmed().isEmpty(), output.constData());
}

void TestApiProcess::tokenIsGeneratedOnceAndStored()
{
    QString why;
    QVERIFY2(start({"--demo", "--api-listen", "127.0.0.1:0"}, &why), qPrintable(why));
    const QString settingsPath = m_db->dir() + "/settings.ini";
    QSettings settings(settingsPath, QSettings::IniFormat);
    const QByteArray token = settings.value("api/token").toString().toLatin1();
    QCOMPARE(token.size(), 43);
    QCOMPARE(QFileInfo(settingsPath).permissions() &
                 (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther),
             QFile::Permissions());
    ApiClient client(m_port, token);
    QCOMPARE(client.get("/jobs/queue/status").status, 200);
    stop();
    QVERIFY(m_stderr.contains("REST API token generated and stored in"));
    QVERIFY2(!m_stderr.contains(QString::fromLatin1(token)), "the token must never be logged");

    m_stderr.clear();
    QVERIFY2(start({"--demo", "--api-listen", "127.0.0.1:0"}, &why), qPrintable(why));
    ApiClient again(m_port, token);
    QCOMPARE(again.get("/jobs/queue/status").status, 200);
    stop();
    QVERIFY(!m_stderr.contains("generated"));
}

void TestApiProcess::tokenFromEnvironmentAndCommandLine()
{
    QProcessEnvironment env = environment();
    env.insert("DEALERQ_API_TOKEN", "env-token-0123456789abcdef");
    QString why;
    QVERIFY2(start({"--demo", "--api-listen", "127.0.0.1:0"}, &why, env), qPrintable(why));
    QCOMPARE(ApiClient(m_port, "env-token-0123456789abcdef").get("/jobs/queue/status").status, 200);
    stop();
    QVERIFY(!QFile::exists(m_db->dir() + "/settings.ini") ||
            !QSettings(m_db->dir() + "/settings.ini", QSettings::IniFormat).contains("api/token"));

    QVERIFY2(start({"--demo", "--api-listen", "127.0.0.1:0", "--api-token", Token}, &why, env),
             qPrintable(why));
    QCOMPARE(ApiClient(m_port, Token).get("/jobs/queue/status").status, 200);
    QCOMPARE(ApiClient(m_port, "env-token-0123456789abcdef").get("/jobs/queue/status").status, 401);
}

void TestApiProcess::noApiAndRefusedAddresses()
{
    QProcess plain;
    plain.setProcessEnvironment(environment());
    plain.start(DEALERQ_PATH, {"--headless", "--db", m_db->urlString(), "--demo", "--drain",
                               "--no-api", "--enqueue", "N1"});
    QVERIFY(plain.waitForFinished(30000));
    QCOMPARE(plain.exitCode(), 0);
    QCOMPARE(plain.readAllStandardOutput(), QByteArray()); // no port: no API
    QVERIFY(!plain.readAllStandardError().contains("REST API"));

    // An address already taken: a one-line reason and exit code 2.
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost, 0));
    QProcess busy;
    busy.setProcessEnvironment(environment());
    busy.start(DEALERQ_PATH, {"--headless", "--db", m_db->urlString(), "--demo", "--api-listen",
                              QStringLiteral("127.0.0.1:%1").arg(taken.serverPort())});
    QVERIFY(busy.waitForFinished(30000));
    QCOMPARE(busy.exitCode(), 2);
    QVERIFY(busy.readAllStandardError().contains("cannot start the REST API on 127.0.0.1:"));

    // Beyond loopback only when asked for, and then with a warning.
    QProcess remote;
    remote.setProcessEnvironment(environment());
    remote.start(DEALERQ_PATH,
                 {"--headless", "--db", m_db->urlString(), "--demo", "--api-listen", "0.0.0.0:0"});
    QVERIFY(remote.waitForFinished(30000));
    QCOMPARE(remote.exitCode(), 2);
    QVERIFY(remote.readAllStandardError().contains("--api-allow-remote"));
    QString why;
    QVERIFY2(
        start({"--demo", "--api-listen", "0.0.0.0:0", "--api-allow-remote", "--api-token", Token},
              &why),
        qPrintable(why));
    QCOMPARE(ApiClient(m_port, Token).get("/jobs/queue/status").status, 200);
    stop();
    QVERIFY(m_stderr.contains("reachable from other machines"));
}

QTEST_GUILESS_MAIN(TestApiProcess)
#include "tst_apiprocess.moc"
