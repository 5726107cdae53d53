// The REST API's request handling (SPEC §4) on arbitrary bytes: ApiHandler::handle() on a real
// SQLite store in a temporary folder, so the body's way from JSON through the field checks and
// prepareJobs() into the store is the one the server takes.
//
// The first byte picks the call ('0'..'7', or any byte modulo 8); the rest is:
//   0 POST /jobs/queue body      1 POST /jobs/queue/bulk body
//   2 POST /jobs/run body        3 POST /jobs/run-bulk body
//   4 GET /jobs/history?QUERY    5 GET /jobs/queue/status?QUERY
//   6 "METHOD /PATH[?QUERY]\nBODY" (any call, the schedules' among them)
//   7 "CONTENT-TYPE\nBODY" for POST /jobs/queue/bulk
#include "api/apihandler.h"
#include "api/apimetrics.h"
#include "fuzzcheck.h"
#include "job/validation.h"
#include "store/jobstore.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include <QCoreApplication>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMap>
#include <QSqlQuery>
#include <QTemporaryDir>

namespace {

const QByteArray Token = "fuzz-token";
const QStringList FetchTypes{"prospect", "sales", "service", "inventory"};
constexpr qint64 DayMs = 24LL * 3600 * 1000;

struct Fixture
{
    std::unique_ptr<QCoreApplication> app;
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<JobStore> store;
    std::unique_ptr<ApiMetrics> metrics;
    std::unique_ptr<ApiHandler> handler;
};

Fixture *fixture = nullptr;
QMap<int, quint64> statusCounts; ///< printed at exit with DEALERQ_FUZZ_STATS=1

void printStatusCounts()
{
    for (auto it = statusCounts.cbegin(); it != statusCounts.cend(); ++it)
        std::fprintf(stderr, "status %d: %llu answers\n", it.key(),
                     static_cast<unsigned long long>(it.value()));
}

qint64 rowCount(const char *table)
{
    QSqlQuery query(fixture->store->database().db());
    FUZZ_CHECK(query.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table))) &&
                   query.next(),
               QStringLiteral("cannot count the %1").arg(QLatin1String(table)));
    return query.value(0).toLongLong();
}

qint64 jobCount()
{
    return rowCount("jobs");
}

/// Changes whenever a schedule is added, changed or removed.
QString scheduleState()
{
    QSqlQuery query(fixture->store->database().db());
    FUZZ_CHECK(query.exec(QStringLiteral("SELECT COUNT(*), COALESCE(MAX(changed_ms), 0), "
                                         "COALESCE(SUM(id), 0) FROM schedules")) &&
                   query.next(),
               QStringLiteral("cannot read the schedules"));
    return QStringLiteral("%1/%2/%3")
        .arg(query.value(0).toLongLong())
        .arg(query.value(1).toLongLong())
        .arg(query.value(2).toLongLong());
}

void checkQueuedJob(qint64 id)
{
    StoreError error;
    const std::optional<Job> job = fixture->store->job(id, &error);
    FUZZ_CHECK(job.has_value(),
               QStringLiteral("job %1 answered but not stored: %2").arg(id).arg(error.message));
    FUZZ_CHECK(validateDealerId(job->dealerId), job->dealerId);
    FUZZ_CHECK(FetchTypes.contains(job->fetchType), job->fetchType);
    FUZZ_CHECK(job->fromMs <= job->toMs, job->dealerId);
    FUZZ_CHECK(job->toMs - job->fromMs <= MaxWindowDays * DayMs, job->dealerId);
    FUZZ_CHECK(job->priority >= -1000000 && job->priority <= 1000000,
               QString::number(job->priority));
}

ApiRequest buildRequest(int mode, const QByteArray &rest)
{
    ApiRequest request;
    request.headers = {{"Authorization", "Bearer " + Token}, {"Content-Type", "application/json"}};
    static const char *const posts[] = {"/jobs/queue", "/jobs/queue/bulk", "/jobs/run",
                                        "/jobs/run-bulk"};
    switch (mode) {
    case 0:
    case 1:
    case 2:
    case 3:
        request.method = "POST";
        request.path = QString::fromLatin1(posts[mode]);
        request.body = rest;
        break;
    case 4:
    case 5:
        request.method = "GET";
        request.path =
            mode == 4 ? QStringLiteral("/jobs/history") : QStringLiteral("/jobs/queue/status");
        request.query = QUrlQuery(QString::fromUtf8(rest));
        break;
    case 6: {
        const qsizetype newline = rest.indexOf('\n');
        const QByteArray line = newline < 0 ? rest : rest.left(newline);
        request.body = newline < 0 ? QByteArray() : rest.mid(newline + 1);
        const qsizetype space = line.indexOf(' ');
        request.method = space < 0 ? line : line.left(space);
        const QString target = space < 0 ? QString() : QString::fromUtf8(line.mid(space + 1));
        const qsizetype question = target.indexOf(QLatin1Char('?'));
        request.path = question < 0 ? target : target.left(question);
        if (question >= 0)
            request.query = QUrlQuery(target.mid(question + 1));
        break;
    }
    default: {
        const qsizetype newline = rest.indexOf('\n');
        request.method = "POST";
        request.path = QStringLiteral("/jobs/queue/bulk");
        request.headers[1].second = newline < 0 ? rest : rest.left(newline);
        request.body = newline < 0 ? QByteArray() : rest.mid(newline + 1);
        break;
    }
    }
    return request;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fixture = new Fixture;
    fixture->app = std::make_unique<QCoreApplication>(*argc, *argv);
    // The handler logs refused tokens and changes (dealerq.api): millions of lines here.
    QLoggingCategory::setFilterRules(QStringLiteral("dealerq.*=false"));
    // A RAM-backed folder when there is one: every accepted request commits.
    const QString base =
        QDir(QStringLiteral("/dev/shm")).exists() ? QStringLiteral("/dev/shm") : QDir::tempPath();
    fixture->dir = std::make_unique<QTemporaryDir>(base + QStringLiteral("/dealerq-fuzz-XXXXXX"));
    FUZZ_CHECK(fixture->dir->isValid(), fixture->dir->errorString());
    QString why;
    const std::optional<DatabaseUrl> url =
        DatabaseUrl::parse(QStringLiteral("sqlite://") + fixture->dir->filePath("fuzz.db"), &why);
    FUZZ_CHECK(url.has_value(), why);
    fixture->store = std::make_unique<JobStore>(*url);
    StoreError error;
    FUZZ_CHECK(fixture->store->open(&error), error.message);
    fixture->metrics = std::make_unique<ApiMetrics>();
    ApiHandler::Config config;
    config.fetchTypes = FetchTypes;
    config.token = [] { return Token; };
    config.metrics = fixture->metrics.get();
    fixture->handler = std::make_unique<ApiHandler>(*fixture->store, config);
    // libFuzzer ends with exit(): remove the temporary store then (a crash leaves it behind).
    std::atexit([] {
        delete fixture;
        fixture = nullptr;
    });
    if (qEnvironmentVariableIntValue("DEALERQ_FUZZ_STATS"))
        std::atexit(printStatusCounts);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const int mode = data[0] % 8;
    const QByteArray rest(reinterpret_cast<const char *>(data) + 1,
                          static_cast<qsizetype>(size - 1));
    const ApiRequest request = buildRequest(mode, rest);

    // Keep the store small, so that every run is as fast as the first.
    const qint64 before = jobCount();
    if (before > 5000) {
        FUZZ_CHECK(fixture->store->database().exec(QStringLiteral("DELETE FROM job_logs")) &&
                       fixture->store->database().exec(QStringLiteral("DELETE FROM jobs")),
                   QStringLiteral("cannot empty the store"));
    }
    if (rowCount("schedules") > 200) {
        FUZZ_CHECK(fixture->store->database().exec(QStringLiteral("DELETE FROM schedule_fires")) &&
                       fixture->store->database().exec(QStringLiteral("DELETE FROM schedules")),
                   QStringLiteral("cannot empty the schedules"));
    }
    const qint64 count = before > 5000 ? 0 : before;
    const QString schedulesBefore = scheduleState();

    const ApiResponse response = fixture->handler->handle(request);
    ++statusCounts[response.status];
    const QString context =
        QStringLiteral("%1 %2 -> %3 %4")
            .arg(QString::fromLatin1(request.method.left(40)), request.path.left(100))
            .arg(response.status)
            .arg(QString::fromUtf8(response.body.left(400)));

    // Only the answers of SPEC §4; a 5xx on a healthy local store is a bug.
    static const QList<int> known{200, 201, 202, 400, 401, 404, 405, 409, 413, 415};
    FUZZ_CHECK(known.contains(response.status), context);

    QJsonObject object;
    if (response.contentType.startsWith("application/json") && !response.stream) {
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(response.body, &parseError);
        FUZZ_CHECK(parseError.error == QJsonParseError::NoError && document.isObject(), context);
        object = document.object();
    }
    if (response.status >= 400) {
        const QJsonObject error = object.value(QLatin1String("error")).toObject();
        FUZZ_CHECK(!error.value(QLatin1String("code")).toString().isEmpty(), context);
        FUZZ_CHECK(!error.value(QLatin1String("message")).toString().isEmpty(), context);
        FUZZ_CHECK(jobCount() == count,
                   QStringLiteral("refused, yet the store changed: ") + context);
        FUZZ_CHECK(scheduleState() == schedulesBefore,
                   QStringLiteral("refused, yet the schedules changed: ") + context);
        return 0;
    }

    if (mode == 0 || mode == 2) {
        const qint64 id = object.value(QLatin1String("job_id")).toInteger();
        FUZZ_CHECK(id > 0, context);
        checkQueuedJob(id);
        const bool duplicate = object.value(QLatin1String("duplicate")).toBool();
        FUZZ_CHECK(duplicate == (response.status == 200), context);
        FUZZ_CHECK(jobCount() == count + (duplicate ? 0 : 1), context);
    } else if (mode == 1 || mode == 3 || mode == 7) {
        const QJsonArray ids = object.value(QLatin1String("job_ids")).toArray();
        FUZZ_CHECK(object.value(QLatin1String("added")).toInteger() == ids.size(), context);
        for (const QJsonValue &id : ids)
            checkQueuedJob(id.toInteger());
        FUZZ_CHECK(jobCount() == count + ids.size(), context);
    } else if (mode == 4 || mode == 5) {
        FUZZ_CHECK(response.status == 200 && jobCount() == count, context);
    }
    return 0;
}
