#include "api/apihandler.h"
#include "job/fetchedrecord.h"
#include "job/insight.h"
#include "job/timeformat.h"
#include "queue/csvexport.h"
#include "queue/scheduler.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTest>
#include <QTimeZone>

#include <algorithm>
#include <numeric>
#include <random>
#include <tuple>
#include <cstdlib>
#include <ctime>

namespace {

const QByteArray Token = "insight-test-token-0123456789";
constexpr qint64 Hour = 3600 * 1000;
constexpr qint64 Day = 24 * Hour;

class MovableClock final : public SchedulerClock
{
public:
    qint64 nowMs() const override { return now; }
    qint64 now = 0;
};

qint64 berlin(const char *iso)
{
    const QDateTime t = QDateTime::fromString(QLatin1String(iso), Qt::ISODateWithMs);
    Q_ASSERT(t.isValid());
    return t.toMSecsSinceEpoch();
}

/// The rows of an RFC 4180 CSV text, each a list of its cells.
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString cell;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    cell += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cell += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << cell;
            cell.clear();
        } else if (c == QLatin1Char('\n')) {
            row << cell;
            rows << row;
            row.clear();
            cell.clear();
        } else if (c != QLatin1Char('\r')) {
            cell += c;
        }
    }
    if (!cell.isEmpty() || !row.isEmpty())
        rows << (row << cell);
    return rows;
}

/// The nearest-rank percentile of `values` (sorted here), in ms.
qint64 nearestRankMs(QVector<qint64> values, int percent)
{
    std::sort(values.begin(), values.end());
    const qsizetype rank = std::max<qsizetype>(1, (percent * values.size() + 99) / 100);
    return values.at(rank - 1);
}

/// What the 30-day stats report for a duration of `ms` (README, "Insight"; restated here, not
/// taken from the store): the duration itself under 32 ms; above, the middle (rounded down) of
/// its sixteenth of a power of two, [2^k, 2^(k+1)) being cut into 16 bins of 2^(k - 4) ms.
qint64 binnedMs(qint64 ms)
{
    if (ms < 32)
        return std::max<qint64>(ms, 0);
    int k = 0;
    while ((ms >> (k + 1)) != 0)
        ++k;
    const qint64 width = qint64(1) << (k - 4);
    return ms / width * width + (width - 1) / 2;
}

/// The nearest-rank percentile of `values` in seconds, as the stats report it: exact, or
/// `binned` (binnedMs(), within 1/32 of it).
double nearestRank(const QVector<qint64> &values, int percent, bool binned)
{
    const qint64 exact = nearestRankMs(values, percent);
    if (!binned)
        return exact / 1000.0;
    const qint64 value = binnedMs(exact);
    Q_ASSERT(std::abs(value - exact) * 32 <= exact);
    return value / 1000.0;
}

/// What the test expects of one bucket, counted from the CSV export.
struct Expected
{
    qint64 completed = 0;
    qint64 failed = 0;
    qint64 cancelled = 0;
    qint64 fetched = 0;
    QVector<qint64> durationsMs;
};

} // namespace

/// SPEC §10 through the API's handler, on SQLite and (as tst_insightapi_pg) PostgreSQL, in
/// Europe/Berlin: `GET /stats` against counts taken independently from the CSV export of a
/// generated history (completed, failed, retried, cancelled jobs) that spans a daylight-saving
/// change and midnights, at a fixed "now" on a clock the test sets.
class TestInsightApi final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void statsEqualTheCsvExport_data();
    void statsEqualTheCsvExport();
    void statsOfAnEmptyHistory();
    void badRangeIsNamed_data();
    void badRangeIsNamed();
    void coverageEqualsARecomputation();
    void recordCountsStayExact();
    void recordCountsAreBackfilled();
    void figuresFollowEveryChange();
    void figuresAreBackfilled();
    void badCoverageParametersAreNamed_data();
    void badCoverageParametersAreNamed();

private:
    ApiResponse call(const QByteArray &method, const QString &path);
    static QJsonObject json(const ApiResponse &response)
    {
        return QJsonDocument::fromJson(response.body).object();
    }
    /// Queues, runs and ends `count` jobs through the store, then dates each one's end at a
    /// generated instant up to `nowMs` (dense around `dense`), as jobs finished then would be.
    void generateHistory(int count, qint64 nowMs, qint64 dense, quint32 seed);
    QList<QStringList> csvRows();
    /// Runs one job of `dealer` and `type` over window `k` to its end `kind` (completed with
    /// `records`, failed, cancelled while running or while queued), retried first when
    /// `retried`; then dates its end `finishedMs`.
    void runJob(const QString &dealer, const QString &type, int k, const QString &kind,
                const QVector<FetchedRecord> &records, bool retried, qint64 finishedMs);
    /// The coverage rows of the API under `query`, every page of `pageSize` read in turn.
    QList<QJsonObject> coverageRows(const QString &query, int pageSize);
    /// The coverage of the API at `now`, every filter, against a recomputation from every job
    /// and the records table.
    void checkCoverage(qint64 now);
    /// The stats from the kept figures against the scan of the jobs (itself tested against the
    /// CSV export), daily and hourly at `now`: counts equal, percentiles the scan's binned.
    void checkStatsFigures(qint64 now);
    /// counts() and historyCount() (from the figures where they can) against a scan of the jobs.
    void checkCounts();
    void makeHandler();

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<ApiHandler> m_handler;
    MovableClock m_clock;
};

void TestInsightApi::initTestCase()
{
    QCOMPARE(QTimeZone::systemTimeZoneId(), QByteArray("Europe/Berlin"));
}

void TestInsightApi::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    makeHandler();
}

void TestInsightApi::makeHandler()
{
    ApiHandler::Config config;
    config.fetchTypes = QStringList{"prospect", "sales", "service", "inventory"};
    config.token = [] { return Token; };
    config.clock = &m_clock;
    m_handler = std::make_unique<ApiHandler>(*m_store, config);
}

void TestInsightApi::cleanup()
{
    m_handler.reset();
    m_store.reset();
    m_db.reset();
}

ApiResponse TestInsightApi::call(const QByteArray &method, const QString &path)
{
    ApiRequest r;
    r.method = method;
    const QUrl url(path);
    r.path = url.path();
    r.query = QUrlQuery(url.query());
    r.headers = {{"Authorization", "Bearer " + Token}};
    return m_handler->handle(r);
}

void TestInsightApi::generateHistory(int count, qint64 nowMs, qint64 dense, quint32 seed)
{
    QRandomGenerator random(seed);
    StoreError error;
    const QStringList types{"prospect", "sales", "service", "inventory"};
    const qint64 windowBase = berlin("2026-01-01T00:00:00");
    for (int k = 0; k < count; ++k) {
        const NewJob job{QStringLiteral("D%1").arg(k % 7),
                         types.at(k % 4),
                         windowBase + k * Hour,
                         windowBase + k * Hour + Hour - 1000,
                         0,
                         false,
                         QStringLiteral("test")};
        const std::optional<AddOutcome> added = m_store->addJob(job, &error);
        QVERIFY2(added && !added->duplicate, qPrintable(error.message));
        const qint64 id = added->job.id;
        const int kind = int(random.bounded(10));
        bool ran = true;
        if (kind == 0) { // cancelled while queued
            QVERIFY(m_store->cancelJob(id, &error));
            ran = false;
        } else {
            if (kind == 1) { // failed once, retried, then ends as below
                const std::optional<Job> claimed = m_store->claimNext("runner-1", &error);
                QVERIFY2(claimed && claimed->id == id, qPrintable(error.message));
                QVERIFY(m_store->failJob(*claimed, {"HTTP 500", ErrorCategory::Http}, {}, &error));
                QVERIFY2(m_store->retryJob(id, &error), qPrintable(error.message));
            }
            const std::optional<Job> claimed = m_store->claimNext("runner-1", &error);
            QVERIFY2(claimed && claimed->id == id, qPrintable(error.message));
            if (kind <= 6) {
                QVector<FetchedRecord> records;
                const int n = int(random.bounded(5));
                for (int r = 0; r < n; ++r) {
                    const QString rid = QStringLiteral("r%1").arg(random.bounded(20));
                    records.push_back({rid, QStringLiteral("2026-01-01T00:00:00Z"),
                                       QStringLiteral(R"({"id":"%1","v":%2})")
                                           .arg(rid)
                                           .arg(random.bounded(3))
                                           .toUtf8()});
                }
                JobResult result{1, n, 0, 0, 0};
                QCOMPARE(m_store->completeJob(*claimed, records, {}, &result, &error),
                         FinishOutcome::Done);
            } else if (kind <= 8) {
                QCOMPARE(
                    m_store->failJob(*claimed, {"HTTP 404", ErrorCategory::NotFound}, {}, &error),
                    FinishOutcome::Done);
            } else {
                QCOMPARE(
                    m_store->failJob(*claimed, {"cancelled", ErrorCategory::Cancelled}, {}, &error),
                    FinishOutcome::Done);
            }
        }
        // When it ended: half near `dense`, the rest anywhere in the last 32 days; some exactly
        // on an hour or a midnight.
        qint64 finished = random.bounded(2)
                              ? dense + qint64(random.bounded(6 * 3600)) * 1000 - 3 * Hour +
                                    qint64(random.bounded(1000))
                              : nowMs - qint64(random.bounded(32 * 24 * 3600)) * 1000 -
                                    qint64(random.bounded(1000));
        if (random.bounded(8) == 0)
            finished -= finished % Hour;
        finished = std::min(finished, nowMs);
        const qint64 started = finished - qint64(random.bounded(600000));
        QSqlQuery q(m_store->database().db());
        q.prepare("UPDATE jobs SET finished_ms = ?, started_ms = ? WHERE id = ?");
        q.addBindValue(finished);
        q.addBindValue(ran ? QVariant(started) : QVariant());
        q.addBindValue(id);
        QVERIFY(q.exec());
    }
    // Some still waiting: never counted.
    for (int k = 0; k < 3; ++k) {
        const NewJob job{
            QStringLiteral("Q%1").arg(k), "sales", windowBase, windowBase + Hour, 0, false,
            QStringLiteral("test")};
        QVERIFY(m_store->addJob(job, &error));
    }
}

QList<QStringList> TestInsightApi::csvRows()
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QString why;
    if (!Csv::exportJobs(*m_store, &buffer, &why))
        qFatal("CSV export failed: %s", qPrintable(why));
    QList<QStringList> rows = parseCsv(QString::fromUtf8(buffer.data()));
    rows.removeFirst(); // the header
    return rows;
}

void TestInsightApi::statsEqualTheCsvExport_data()
{
    QTest::addColumn<QString>("range");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<qint64>("dense");
    // Autumn: the clocks go back at 03:00 CEST on 25 October 2026 (02:00-03:00 twice).
    const qint64 autumn = berlin("2026-10-25T03:00:00+02:00");
    // Spring: forward at 02:00 CET on 29 March 2026 (02:00-03:00 never happens).
    const qint64 spring = berlin("2026-03-29T02:00:00+01:00");
    QTest::newRow("24h autumn") << "24h" << berlin("2026-10-25T10:17:23.456+01:00") << autumn;
    QTest::newRow("24h spring") << "24h" << berlin("2026-03-29T09:05:00.000+02:00") << spring;
    QTest::newRow("24h midnight") << "24h" << berlin("2026-10-26T00:00:00.000+01:00")
                                  << berlin("2026-10-26T00:00:00+01:00");
    QTest::newRow("30d autumn") << "30d" << berlin("2026-11-03T00:30:00.000+01:00") << autumn;
    QTest::newRow("30d spring") << "30d" << berlin("2026-03-29T09:05:00.000+02:00") << spring;
}

void TestInsightApi::statsEqualTheCsvExport()
{
    QFETCH(QString, range);
    QFETCH(qint64, now);
    QFETCH(qint64, dense);
    generateHistory(240, now, dense, quint32(now / 1000));
    if (QTest::currentTestFailed())
        return;
    m_clock.now = now;
    const ApiResponse r = call("GET", QStringLiteral("/stats?range=%1").arg(range));
    QCOMPARE(r.status, 200);
    const QJsonArray buckets = json(r).value("buckets").toArray();
    const bool hourly = range == QLatin1String("24h");
    QCOMPARE(buckets.size(), hourly ? 24 : 30);

    // The buckets themselves: consecutive local hours or days, the last holding now.
    const QDateTime nowLocal = QDateTime::fromMSecsSinceEpoch(now).toLocalTime();
    QVector<QDateTime> starts;
    for (const QJsonValue &b : buckets) {
        const QJsonObject o = b.toObject();
        for (const char *key :
             {"start", "completed", "failed", "cancelled", "fetched", "p50_s", "p95_s"})
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o.size(), 7);
        const QDateTime start =
            QDateTime::fromString(o.value("start").toString(), Qt::ISODateWithMs);
        QVERIFY2(start.isValid(), qPrintable(o.value("start").toString()));
        QCOMPARE(o.value("start").toString(), formatTimestamp(start.toMSecsSinceEpoch()));
        starts << start.toLocalTime();
    }
    for (int i = 0; i < starts.size(); ++i) {
        const QDateTime &s = starts.at(i);
        QCOMPARE(s.time().minute(), 0);
        QCOMPARE(s.time().second(), 0);
        if (hourly) {
            if (i > 0)
                QCOMPARE(starts.at(i - 1).msecsTo(s), Hour);
        } else {
            QCOMPARE(s.time().hour(), 0);
            QCOMPARE(s.date(), nowLocal.date().addDays(i - 29));
        }
    }
    QVERIFY(starts.last() <= nowLocal);
    QVERIFY(nowLocal.toMSecsSinceEpoch() - starts.last().toMSecsSinceEpoch() <
            (hourly ? Hour : 25 * Hour));

    // Counted from the CSV export: each finished job by its local hour (wall-clock hour and
    // UTC offset, so that a repeated hour is two) or its local date.
    QHash<QString, Expected> expected;
    const auto keyOf = [&](const QDateTime &local) {
        return hourly ? QStringLiteral("%1 %2 %3")
                            .arg(local.date().toString(Qt::ISODate))
                            .arg(local.time().hour())
                            .arg(local.offsetFromUtc())
                      : local.date().toString(Qt::ISODate);
    };
    const QList<QStringList> rows = csvRows();
    QCOMPARE(rows.size(), 243);
    int inRange = 0;
    for (const QStringList &row : rows) {
        QCOMPARE(row.size(), 16);
        const QString status = row.at(5);
        if (row.at(8).isEmpty())
            continue;
        const QDateTime finished = QDateTime::fromString(row.at(8), Qt::ISODateWithMs);
        QVERIFY(finished.isValid());
        Expected &e = expected[keyOf(finished.toLocalTime())];
        if (status == QLatin1String("completed")) {
            ++e.completed;
            e.fetched += row.at(12).toLongLong();
            e.durationsMs << qRound64(row.at(9).toDouble() * 1000);
        } else if (status == QLatin1String("failed")) {
            ++e.failed;
        } else if (status == QLatin1String("cancelled")) {
            ++e.cancelled;
        }
    }
    qint64 counted = 0;
    for (int i = 0; i < buckets.size(); ++i) {
        const QJsonObject o = buckets.at(i).toObject();
        const Expected e = expected.value(keyOf(starts.at(i)));
        const QByteArray where = o.value("start").toString().toUtf8();
        QVERIFY2(o.value("completed").toInteger() == e.completed, where);
        QVERIFY2(o.value("failed").toInteger() == e.failed, where);
        QVERIFY2(o.value("cancelled").toInteger() == e.cancelled, where);
        QVERIFY2(o.value("fetched").toInteger() == e.fetched, where);
        if (e.durationsMs.isEmpty()) {
            QVERIFY2(o.value("p50_s").isNull() && o.value("p95_s").isNull(), where);
        } else {
            // The daily stats read the kept histogram: the bin of the exact percentile.
            QCOMPARE(o.value("p50_s").toDouble(), nearestRank(e.durationsMs, 50, !hourly));
            QCOMPARE(o.value("p95_s").toDouble(), nearestRank(e.durationsMs, 95, !hourly));
        }
        counted += e.completed + e.failed + e.cancelled;
        inRange += int(o.value("completed").toInteger() + o.value("failed").toInteger() +
                       o.value("cancelled").toInteger());
    }
    QCOMPARE(inRange, int(counted));
    // The generated history reaches beyond the range and fills the daylight-saving hours.
    QVERIFY(counted > 50);
    QVERIFY(counted < 240);
}

void TestInsightApi::statsOfAnEmptyHistory()
{
    m_clock.now = berlin("2026-10-25T10:17:23.456+01:00");
    for (const char *range : {"24h", "30d"}) {
        const ApiResponse r = call("GET", QStringLiteral("/stats?range=%1").arg(range));
        QCOMPARE(r.status, 200);
        const QJsonArray buckets = json(r).value("buckets").toArray();
        QCOMPARE(buckets.size(), qstrcmp(range, "24h") == 0 ? 24 : 30);
        for (const QJsonValue &b : buckets) {
            QCOMPARE(b.toObject().value("completed").toInt(), 0);
            QVERIFY(b.toObject().value("p50_s").isNull());
        }
    }
    // No range: the last 24 hours; the 25-hour day shows its repeated hour twice.
    const QJsonArray buckets = json(call("GET", "/stats")).value("buckets").toArray();
    QCOMPARE(buckets.size(), 24);
    QCOMPARE(buckets.last().toObject().value("start").toString(),
             QStringLiteral("2026-10-25T10:00:00.000+01:00"));
    QCOMPARE(buckets.at(14).toObject().value("start").toString(),
             QStringLiteral("2026-10-25T02:00:00.000+02:00"));
    QCOMPARE(buckets.at(15).toObject().value("start").toString(),
             QStringLiteral("2026-10-25T02:00:00.000+01:00"));
}

void TestInsightApi::badRangeIsNamed_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("range 7d") << "range=7d"
                              << "range";
    QTest::newRow("range empty") << "range="
                                 << "range";
    QTest::newRow("range upper") << "range=24H"
                                 << "range";
    QTest::newRow("range sql") << "range=24h%27%3B%20DROP%20TABLE%20jobs"
                               << "range";
    QTest::newRow("unknown parameter") << "from=yesterday"
                                       << "from";
}

void TestInsightApi::badRangeIsNamed()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    m_clock.now = berlin("2026-10-25T10:17:23.456+01:00");
    const ApiResponse r = call("GET", QStringLiteral("/stats?") + query);
    QCOMPARE(r.status, 400);
    const QJsonObject error = json(r).value("error").toObject();
    QVERIFY2(error.value("field").toString() == field, r.body.constData());
    QCOMPARE(call("GET", "/stats?range=24h").status, 200);
}

void TestInsightApi::runJob(const QString &dealer, const QString &type, int k, const QString &kind,
                            const QVector<FetchedRecord> &records, bool retried, qint64 finishedMs)
{
    StoreError error;
    const qint64 windowBase = berlin("2026-01-01T00:00:00");
    const NewJob job{dealer, type,  windowBase + k * Day,  windowBase + k * Day + Day - 1000,
                     0,      false, QStringLiteral("test")};
    const std::optional<AddOutcome> added = m_store->addJob(job, &error);
    QVERIFY2(added && !added->duplicate, qPrintable(error.message));
    const qint64 id = added->job.id;
    if (kind == QLatin1String("queued"))
        return;
    if (kind == QLatin1String("cancelled-queued")) {
        QVERIFY(m_store->cancelJob(id, &error));
    } else {
        if (retried) {
            const std::optional<Job> claimed = m_store->claimNext("runner-1", &error);
            QVERIFY2(claimed && claimed->id == id, qPrintable(error.message));
            QVERIFY(m_store->failJob(*claimed, {"HTTP 500", ErrorCategory::Http}, {}, &error));
            QVERIFY2(m_store->retryJob(id, &error), qPrintable(error.message));
        }
        const std::optional<Job> claimed = m_store->claimNext("runner-1", &error);
        QVERIFY2(claimed && claimed->id == id, qPrintable(error.message));
        if (kind == QLatin1String("completed")) {
            JobResult result{1, records.size(), 0, 0, 0};
            QCOMPARE(m_store->completeJob(*claimed, records, {}, &result, &error),
                     FinishOutcome::Done);
        } else if (kind == QLatin1String("failed")) {
            QCOMPARE(m_store->failJob(
                         *claimed,
                         {QStringLiteral("HTTP 404 for %1").arg(dealer), ErrorCategory::NotFound},
                         {}, &error),
                     FinishOutcome::Done);
        } else {
            QCOMPARE(m_store->failJob(*claimed, {"cancelled by hand", ErrorCategory::Cancelled}, {},
                                      &error),
                     FinishOutcome::Done);
        }
    }
    QSqlQuery q(m_store->database().db());
    q.prepare("UPDATE jobs SET finished_ms = ? WHERE id = ?");
    q.addBindValue(finishedMs);
    q.addBindValue(id);
    QVERIFY(q.exec());
}

QList<QJsonObject> TestInsightApi::coverageRows(const QString &query, int pageSize)
{
    QList<QJsonObject> rows;
    qint64 total = -1;
    for (int offset = 0;; offset += pageSize) {
        const ApiResponse r = call("GET", QStringLiteral("/dealers/coverage?%1limit=%2&offset=%3")
                                              .arg(query.isEmpty() ? query : query + "&")
                                              .arg(pageSize)
                                              .arg(offset));
        if (r.status != 200)
            qFatal("coverage: %d %s", r.status, r.body.constData());
        const QJsonObject body = json(r);
        if (total >= 0 && body.value("total").toInteger() != total)
            qFatal("coverage: the total changed between pages");
        total = body.value("total").toInteger();
        const QJsonArray page = body.value("rows").toArray();
        for (const QJsonValue &row : page)
            rows << row.toObject();
        if (page.size() < pageSize)
            break;
    }
    if (rows.size() != total)
        qFatal("coverage: %lld rows for a total of %lld", qint64(rows.size()), total);
    return rows;
}

void TestInsightApi::coverageEqualsARecomputation()
{
    // Several windows per dealer and type, ended every way, each at its own instant within the
    // last 3 days (so that some last successes are stale at 26 hours); records drawn from a small
    // pool per dealer, so that later jobs upsert what earlier ones stored.
    const qint64 now = berlin("2026-10-25T10:17:23.456+01:00");
    QRandomGenerator random(20261025);
    const QStringList types{"prospect", "sales", "service"};
    const QStringList kinds{"completed", "completed", "completed",
                            "failed",    "cancelled", "cancelled-queued"};
    QVector<int> order(200);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), std::mt19937(7));
    for (int k = 0; k < 200; ++k) {
        const QString dealer = QStringLiteral("D%1").arg(random.bounded(12), 2, 10, QChar('0'));
        const QString type = types.at(int(random.bounded(3)));
        const QString kind = kinds.at(int(random.bounded(kinds.size())));
        QVector<FetchedRecord> records;
        const int n = int(random.bounded(6));
        for (int r = 0; r < n; ++r) {
            const QString rid = QStringLiteral("%1-r%2").arg(dealer).arg(random.bounded(15));
            if (std::any_of(records.begin(), records.end(),
                            [&](const FetchedRecord &x) { return x.id() == rid; }))
                continue;
            records.push_back(
                {rid, QStringLiteral("2026-01-01T00:00:00Z"),
                 QStringLiteral(R"({"id":"%1","v":%2})").arg(rid).arg(random.bounded(3)).toUtf8()});
        }
        runJob(dealer, type, k, kind, records, random.bounded(5) == 0,
               now - (order.at(k) + 1) * 1000 * 1000 - qint64(random.bounded(1000)));
        if (QTest::currentTestFailed())
            return;
    }
    // A dealer with only a queued job, one with a job running.
    runJob("Q01", "sales", 0, "queued", {}, false, 0);
    StoreError error;
    QVERIFY(m_store->claimNext("runner-1", &error));
    runJob("Q02", "sales", 0, "queued", {}, false, 0);
    checkCoverage(now);
    if (QTest::currentTestFailed())
        return;
    // The generated history has rows of every kind.
    QVERIFY(coverageRows("state=stale", 100).size() > 2);
    QVERIFY(coverageRows("state=failing", 100).size() > 2);
    QVERIFY(coverageRows("state=never", 100).size() > 2);
    QVERIFY(coverageRows("", 100).size() > coverageRows("state=stale", 100).size());
}

void TestInsightApi::checkCoverage(qint64 now)
{
    StoreError error;
    // The recomputation: every job as the store reads it, and the records table counted.
    struct Expected
    {
        std::optional<qint64> lastSuccess, coveredTo, lastFinished;
        QString lastStatus, lastError;
        qint64 newestId = 0;
        qint64 records = 0;
    };
    QMap<QPair<QString, QString>, Expected> expected;
    QVERIFY(m_store->forEachJob(
        [&](const Job &job) {
            Expected &e = expected[{job.dealerId, job.fetchType}];
            if (job.status == JobStatus::Completed) {
                e.lastSuccess = std::max(e.lastSuccess.value_or(0), job.finishedMs);
                e.coveredTo = std::max(e.coveredTo.value_or(0), job.toMs);
            }
            if (job.finishedMs > 0 && (!e.lastFinished || job.finishedMs > *e.lastFinished)) {
                e.lastFinished = job.finishedMs;
                e.lastStatus = jobStatusName(job.status);
                e.lastError = job.error.message;
            } else if (!e.lastFinished && job.id > e.newestId) {
                e.newestId = job.id;
                e.lastStatus = jobStatusName(job.status);
            }
            return true;
        },
        &error));
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT dealer_id, fetch_type, COUNT(*) FROM records "
                   "GROUP BY dealer_id, fetch_type"));
    // Records outlive the jobs that stored them: a dealer and type without jobs has no row.
    while (q.next()) {
        const auto it = expected.find({q.value(0).toString(), q.value(1).toString()});
        if (it != expected.end())
            it->records = q.value(2).toLongLong();
    }

    m_clock.now = now;
    const qint64 staleBefore = now - 26 * Hour;
    const auto check = [&](const QString &query,
                           const std::function<bool(const Expected &, const QString &)> &keep) {
        const QList<QJsonObject> rows = coverageRows(query, 7);
        QList<QPair<QString, QString>> keys;
        for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
            if (keep(it.value(), it.key().second))
                keys << it.key();
        }
        QCOMPARE(rows.size(), keys.size());
        for (int i = 0; i < rows.size(); ++i) {
            const QJsonObject &row = rows.at(i);
            const Expected &e = expected.value(keys.at(i));
            const QByteArray where =
                (query + " " + keys.at(i).first + "/" + keys.at(i).second).toUtf8();
            QCOMPARE(row.size(), 7);
            QVERIFY2(row.value("dealer_id").toString() == keys.at(i).first, where);
            QVERIFY2(row.value("fetch_type").toString() == keys.at(i).second, where);
            QVERIFY2(row.value("last_success_at") ==
                         (e.lastSuccess ? QJsonValue(formatTimestamp(*e.lastSuccess))
                                        : QJsonValue(QJsonValue::Null)),
                     where);
            QVERIFY2(row.value("covered_to") == (e.coveredTo
                                                     ? QJsonValue(formatTimestamp(*e.coveredTo))
                                                     : QJsonValue(QJsonValue::Null)),
                     where);
            QVERIFY2(row.value("records").toInteger() == e.records, where);
            QVERIFY2(row.value("last_status").toString() == e.lastStatus, where);
            QVERIFY2(row.value("last_error") == (e.lastError.isEmpty()
                                                     ? QJsonValue(QJsonValue::Null)
                                                     : QJsonValue(e.lastError)),
                     where);
        }
    };
    check("", [](const Expected &, const QString &) { return true; });
    check("state=stale", [&](const Expected &e, const QString &) {
        return e.lastSuccess && *e.lastSuccess < staleBefore;
    });
    check("state=failing",
          [](const Expected &e, const QString &) { return e.lastStatus == "failed"; });
    check("state=never", [](const Expected &e, const QString &) { return !e.lastSuccess; });
    check("fetch_type=sales&state=never",
          [](const Expected &e, const QString &type) { return type == "sales" && !e.lastSuccess; });
    // Past the end: no rows, the total still told.
    const QJsonObject past = json(call("GET", "/dealers/coverage?offset=100000"));
    QCOMPARE(past.value("rows").toArray().size(), 0);
    QCOMPARE(past.value("total").toInteger(), qint64(expected.size()));
}

void TestInsightApi::checkStatsFigures(qint64 now)
{
    StoreError error;
    for (const StatsRange range : {StatsRange::Days30, StatsRange::Hours24}) {
        const QVector<qint64> edges = statsBucketEdges(range, QTimeZone::systemTimeZone(), now);
        const std::optional<QVector<StatsBucket>> figures =
            m_store->stats(edges, StatsSource::Figures, &error);
        QVERIFY2(figures, qPrintable(error.message));
        const std::optional<QVector<StatsBucket>> scan =
            m_store->stats(edges, StatsSource::Scan, &error);
        QVERIFY2(scan, qPrintable(error.message));
        QCOMPARE(figures->size(), scan->size());
        const auto binned = [](const std::optional<double> &seconds) -> std::optional<double> {
            if (!seconds)
                return std::nullopt;
            return binnedMs(qRound64(*seconds * 1000)) / 1000.0;
        };
        for (int i = 0; i < scan->size(); ++i) {
            const StatsBucket &f = figures->at(i);
            const StatsBucket &e = scan->at(i);
            const QByteArray where = formatTimestamp(e.startMs).toUtf8();
            QVERIFY2(f.startMs == e.startMs, where);
            QVERIFY2(f.completed == e.completed, where);
            QVERIFY2(f.failed == e.failed, where);
            QVERIFY2(f.cancelled == e.cancelled, where);
            QVERIFY2(f.fetched == e.fetched, where);
            QVERIFY2(f.p50Seconds == binned(e.p50Seconds), where);
            QVERIFY2(f.p95Seconds == binned(e.p95Seconds), where);
        }
    }
}

void TestInsightApi::checkCounts()
{
    StoreError error;
    const auto scan = [&](const QString &where) {
        QSqlQuery q(m_store->database().db());
        if (!q.exec(QStringLiteral("SELECT COUNT(*) FROM jobs WHERE %1").arg(where)) || !q.next())
            return qint64(-1);
        return q.value(0).toLongLong();
    };
    const std::optional<JobCounts> counts = m_store->counts(0, &error);
    QVERIFY2(counts, qPrintable(error.message));
    QCOMPARE(counts->queued, scan("status = 'queued'"));
    QCOMPARE(counts->running, scan("status = 'running'"));
    QCOMPARE(counts->completed, scan("status = 'completed'"));
    QCOMPARE(counts->failed, scan("status = 'failed'"));
    QCOMPARE(counts->cancelled, scan("status = 'cancelled'"));
    const struct
    {
        QVector<JobStatus> statuses;
        QString fetchType;
        QString dealerId;
        const char *where;
    } filters[] = {
        {{}, {}, {}, "status IN ('completed', 'failed', 'cancelled')"},
        {{JobStatus::Failed}, {}, {}, "status = 'failed'"},
        {{},
         "sales",
         {},
         "status IN ('completed', 'failed', 'cancelled') AND fetch_type = 'sales'"},
        {{JobStatus::Completed, JobStatus::Cancelled},
         "service",
         {},
         "status IN ('completed', 'cancelled') AND fetch_type = 'service'"},
        {{},
         "nosuchtype",
         {},
         "status IN ('completed', 'failed', 'cancelled') AND fetch_type = "
         "'nosuchtype'"},
        // A field the figures do not keep: read from the jobs.
        {{}, {}, "D3", "status IN ('completed', 'failed', 'cancelled') AND dealer_id = 'D3'"},
    };
    for (const auto &f : filters) {
        HistoryFilter filter;
        filter.statuses = f.statuses;
        filter.fetchType = f.fetchType;
        filter.dealerId = f.dealerId;
        const std::optional<qint64> total = m_store->historyCount(filter, &error);
        QVERIFY2(total, qPrintable(error.message));
        QVERIFY2(*total == scan(QLatin1String(f.where)), f.where);
    }
}

void TestInsightApi::figuresFollowEveryChange()
{
    // The kept figures after each change that takes a job out of what it counted for: Retry,
    // a bulk remove, retention's batches, Clear Completed and clearing every finished job; each
    // time equal to what a scan of the jobs gives, on either backend.
    const qint64 now = berlin("2026-11-03T00:30:00.000+01:00");
    generateHistory(240, now, berlin("2026-10-25T03:00:00+02:00"), 19);
    if (QTest::currentTestFailed())
        return;
    m_clock.now = now;
    const auto check = [&](const char *step) {
        checkStatsFigures(now);
        if (!QTest::currentTestFailed())
            checkCoverage(now);
        if (!QTest::currentTestFailed())
            checkCounts();
        if (QTest::currentTestFailed())
            qWarning("after: %s", step);
        return !QTest::currentTestFailed();
    };
    QVERIFY(check("the history"));
    StoreError error;
    const auto finished = [&](const QString &dealer) {
        QVector<Job> jobs;
        m_store->forEachJob(
            [&](const Job &job) {
                if (job.dealerId == dealer &&
                    (job.status == JobStatus::Failed || job.status == JobStatus::Cancelled ||
                     job.status == JobStatus::Completed))
                    jobs << job;
                return true;
            },
            &error);
        return jobs;
    };
    const auto count = [&](const char *sql) {
        QSqlQuery q(m_store->database().db());
        if (!q.exec(QLatin1String(sql)) || !q.next())
            return qint64(-1);
        return q.value(0).toLongLong();
    };

    // Retry of every failed and cancelled job of a dealer: they leave the stats and, the latest
    // among them, the coverage's last status; one of them runs again and completes.
    int retried = 0;
    for (const Job &job : finished("D1")) {
        if (job.status == JobStatus::Completed)
            continue;
        QVERIFY2(m_store->retryJob(job.id, &error), qPrintable(error.message));
        ++retried;
    }
    QVERIFY(retried > 2);
    QVERIFY(check("retry"));
    const std::optional<Job> claimed = m_store->claimNext("runner-1", &error);
    QVERIFY2(claimed, qPrintable(error.message));
    JobResult result{1, 0, 0, 0, 0};
    QCOMPARE(m_store->completeJob(*claimed, {}, {}, &result, &error), FinishOutcome::Done);
    {
        QSqlQuery q(m_store->database().db());
        q.prepare("UPDATE jobs SET finished_ms = ? WHERE id = ?");
        q.addBindValue(now - 2 * Hour);
        q.addBindValue(claimed->id);
        QVERIFY(q.exec());
    }
    QVERIFY(check("a retried job run again"));

    // A finished job whose finish time an operator's own SQL took away: out of the stats,
    // still counted; then given back.
    const auto setFinished = [&](const QVariant &finishedMs) {
        QSqlQuery q(m_store->database().db());
        q.prepare("UPDATE jobs SET finished_ms = ? WHERE id = ?");
        q.addBindValue(finishedMs);
        q.addBindValue(claimed->id);
        return q.exec();
    };
    QVERIFY(setFinished(QVariant(QMetaType::fromType<qint64>())));
    checkStatsFigures(now);
    checkCounts();
    if (QTest::currentTestFailed())
        return;
    QVERIFY(setFinished(now - 2 * Hour));
    QVERIFY(check("a finish time given back"));

    // A bulk remove by dealer: every finished job of D2.
    const qint64 before = count("SELECT COUNT(*) FROM jobs");
    HistoryFilter d2;
    d2.dealerId = QStringLiteral("D2");
    const std::optional<BulkReport> removed = m_store->removeFinished(d2, -1, &error);
    QVERIFY2(removed, qPrintable(error.message));
    QVERIFY(count("SELECT COUNT(*) FROM jobs") < before - 10);
    QVERIFY(finished("D2").isEmpty());
    QVERIFY(check("bulk remove"));

    // Retention: batches of 20 of the jobs finished more than 10 days ago, oldest first, as
    // Retention asks for them.
    HistoryFilter old;
    old.finishedBeforeMs = now - 10 * Day;
    for (int batch = 0; batch < 2; ++batch) {
        QVERIFY2(m_store->removeFinished(old, 20, &error), qPrintable(error.message));
        QVERIFY(check("a retention batch"));
    }
    QVERIFY2(m_store->removeFinished(old, -1, &error), qPrintable(error.message));
    QVERIFY(check("retention"));

    // Clear Completed, then every finished job: only the queued dealers and types are left.
    HistoryFilter completed;
    completed.statuses = {JobStatus::Completed};
    QVERIFY2(m_store->clearFinished(completed, &error), qPrintable(error.message));
    QCOMPARE(count("SELECT COUNT(*) FROM jobs WHERE status = 'completed'"), 0);
    QVERIFY(count("SELECT COUNT(*) FROM jobs WHERE status = 'failed'") > 0);
    QVERIFY(check("Clear Completed"));
    QVERIFY2(m_store->clearFinished(&error), qPrintable(error.message));
    QVERIFY(check("clearing every finished job"));
    QCOMPARE(count("SELECT COALESCE(SUM(completed + failed + cancelled + fetched), 0) "
                   "FROM stats_hours"),
             0);
    QCOMPARE(count("SELECT COALESCE(SUM(completed), 0) FROM stats_durations"), 0);
    QCOMPARE(count("SELECT COUNT(*) FROM insight_coverage"),
             count("SELECT COUNT(*) FROM (SELECT DISTINCT dealer_id, fetch_type FROM jobs) s"));
}

void TestInsightApi::figuresAreBackfilled()
{
    // A history written by a dealerq from before the kept figures (schema 8) is counted by the
    // step that adds them, and kept from there on.
    m_handler.reset();
    m_store.reset();
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error, 8), qPrintable(error.message));
    const qint64 now = berlin("2026-03-29T09:05:00.000+02:00");
    generateHistory(240, now, berlin("2026-03-29T02:00:00+01:00"), 29);
    if (QTest::currentTestFailed())
        return;
    m_store = std::make_unique<JobStore>(m_db->url());
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    QCOMPARE(m_store->schemaVersion(&error), JobStore::SchemaVersion);
    makeHandler();
    m_clock.now = now;
    checkStatsFigures(now);
    if (QTest::currentTestFailed())
        return;
    checkCoverage(now);
    if (QTest::currentTestFailed())
        return;
    // And kept from here: one more job runs, the history is read again.
    const NewJob job{"D1", "sales", now - Day, now - 1000, 0, false, QStringLiteral("test")};
    QVERIFY(m_store->addJob(job, &error));
    const std::optional<Job> claimed = m_store->claimNext("runner-1", &error);
    QVERIFY2(claimed, qPrintable(error.message));
    QCOMPARE(m_store->failJob(*claimed, {"HTTP 502", ErrorCategory::Http}, {}, &error),
             FinishOutcome::Done);
    QSqlQuery q(m_store->database().db());
    q.prepare("UPDATE jobs SET finished_ms = ? WHERE id = ?");
    q.addBindValue(now - Hour);
    q.addBindValue(claimed->id);
    QVERIFY(q.exec());
    checkStatsFigures(now);
    if (QTest::currentTestFailed())
        return;
    checkCoverage(now);
}

void TestInsightApi::recordCountsStayExact()
{
    const auto record = [](const QString &id, int version) {
        return FetchedRecord(id, QStringLiteral("2026-01-01T00:00:00Z"),
                             QStringLiteral(R"({"id":"%1","v":%2})").arg(id).arg(version).toUtf8());
    };
    const auto stored = [&](const QString &dealer) {
        m_clock.now = berlin("2026-10-25T10:00:00");
        const QJsonArray rows =
            json(call("GET", "/dealers/coverage?fetch_type=sales")).value("rows").toArray();
        for (const QJsonValue &row : rows) {
            if (row.toObject().value("dealer_id").toString() == dealer)
                return row.toObject().value("records").toInteger();
        }
        return qint64(-1);
    };
    const qint64 t = berlin("2026-10-25T09:00:00");
    // New records, then the same ones again (unchanged and changed), then one more.
    runJob("A1", "sales", 0, "completed", {record("a", 1), record("b", 1)}, false, t);
    QCOMPARE(stored("A1"), 2);
    runJob("A1", "sales", 1, "completed", {record("a", 1), record("b", 2)}, false, t + 1);
    QCOMPARE(stored("A1"), 2);
    runJob("A1", "sales", 2, "completed", {record("b", 3), record("c", 1), record("c", 1)}, true,
           t + 2);
    QCOMPARE(stored("A1"), 3);
    // A failed or cancelled job stores nothing; a retried one counts its records once.
    runJob("A1", "sales", 3, "failed", {record("d", 1)}, false, t + 3);
    runJob("A1", "sales", 4, "cancelled", {record("d", 1)}, false, t + 4);
    QCOMPARE(stored("A1"), 3);
    runJob("A1", "sales", 5, "completed", {record("d", 1), record("a", 5)}, true, t + 5);
    QCOMPARE(stored("A1"), 4);
    // The same record IDs of another type or dealer are other records.
    runJob("A1", "prospect", 0, "completed", {record("a", 1)}, false, t + 6);
    runJob("B2", "sales", 0, "completed", {record("a", 1)}, false, t + 7);
    QCOMPARE(stored("A1"), 4);
    QCOMPARE(stored("B2"), 1);

    // A completing transaction that fails is rolled back, its count with it: a record that
    // cannot be stored (a payload PostgreSQL's json refuses, a NUL in SQLite's text is kept)
    // ends the commit, and the job goes back to the queue.
    StoreError error;
    const NewJob job{"A1", "sales", t, t + Hour, 0, false, QStringLiteral("test")};
    QVERIFY(m_store->addJob(job, &error));
    const std::optional<Job> claimed = m_store->claimNext("runner-1", &error);
    QVERIFY(claimed);
    {
        QSqlQuery q(m_store->database().db());
        QVERIFY(q.exec("CREATE TRIGGER no_z BEFORE INSERT ON records FOR EACH ROW WHEN "
                       "NEW.record_id = 'z' BEGIN SELECT RAISE(ABORT, 'refused'); END") ||
                m_db->isPostgres());
        if (m_db->isPostgres()) {
            QVERIFY(q.exec("CREATE FUNCTION no_z() RETURNS trigger AS $$ BEGIN IF NEW.record_id "
                           "= 'z' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ "
                           "LANGUAGE plpgsql"));
            QVERIFY(q.exec("CREATE TRIGGER no_z BEFORE INSERT ON records FOR EACH ROW "
                           "EXECUTE FUNCTION no_z()"));
        }
    }
    JobResult result{1, 3, 0, 0, 0};
    QVERIFY(!m_store->completeJob(*claimed, {record("e", 1), record("f", 1), record("z", 1)}, {},
                                  &result, &error));
    QCOMPARE(stored("A1"), 4);
    QSqlQuery q(m_store->database().db());
    QVERIFY(q.exec("SELECT COUNT(*) FROM records WHERE dealer_id = 'A1' AND fetch_type = 'sales'"));
    QVERIFY(q.next());
    QCOMPARE(q.value(0).toLongLong(), 4);
}

void TestInsightApi::recordCountsAreBackfilled()
{
    // Records stored by a dealerq from before the count (schema 7) are counted by the step
    // that adds it.
    TestDatabase old;
    QVERIFY2(old.isValid(), qPrintable(old.errorString()));
    StoreError error;
    {
        JobStore store(old.url());
        QVERIFY2(store.open(&error, 7), qPrintable(error.message));
        QSqlQuery q(store.database().db());
        q.prepare("INSERT INTO records (dealer_id, fetch_type, record_id, payload) "
                  "VALUES (?, ?, ?, ?)");
        for (const auto &[dealer, type, n] :
             {std::tuple{"A1", "sales", 3}, std::tuple{"A1", "prospect", 1},
              std::tuple{"B2", "sales", 2}}) {
            for (int i = 0; i < n; ++i) {
                q.addBindValue(QString::fromLatin1(dealer));
                q.addBindValue(QString::fromLatin1(type));
                q.addBindValue(QStringLiteral("r%1").arg(i));
                q.addBindValue(QStringLiteral("{}"));
                QVERIFY(q.exec());
            }
        }
    }
    JobStore store(old.url());
    QVERIFY2(store.open(&error), qPrintable(error.message));
    QSqlQuery q(store.database().db());
    QVERIFY(q.exec("SELECT dealer_id, fetch_type, records FROM record_counts "
                   "ORDER BY dealer_id, fetch_type"));
    QStringList counts;
    while (q.next())
        counts << QStringLiteral("%1/%2=%3")
                      .arg(q.value(0).toString(), q.value(1).toString(), q.value(2).toString());
    QCOMPARE(counts, QStringList({"A1/prospect=1", "A1/sales=3", "B2/sales=2"}));
}

void TestInsightApi::badCoverageParametersAreNamed_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("field");
    QTest::newRow("state unknown") << "state=fresh"
                                   << "state";
    QTest::newRow("state empty") << "state="
                                 << "state";
    QTest::newRow("fetch_type unknown") << "fetch_type=parts"
                                        << "fetch_type";
    QTest::newRow("fetch_type sql") << "fetch_type=sales%27%20OR%20%271%27%3D%271"
                                    << "fetch_type";
    QTest::newRow("limit 0") << "limit=0"
                             << "limit";
    QTest::newRow("limit huge") << "limit=100000"
                                << "limit";
    QTest::newRow("offset negative") << "offset=-1"
                                     << "offset";
    QTest::newRow("unknown parameter") << "dealer=D1"
                                       << "dealer";
}

void TestInsightApi::badCoverageParametersAreNamed()
{
    QFETCH(QString, query);
    QFETCH(QString, field);
    m_clock.now = berlin("2026-10-25T10:17:23.456+01:00");
    runJob("A1", "sales", 0, "completed", {}, false, m_clock.now - Hour);
    const ApiResponse r = call("GET", QStringLiteral("/dealers/coverage?") + query);
    QCOMPARE(r.status, 400);
    const QJsonObject error = json(r).value("error").toObject();
    QVERIFY2(error.value("field").toString() == field, r.body.constData());
    QCOMPARE(json(call("GET", "/dealers/coverage")).value("total").toInt(), 1);
}

int main(int argc, char *argv[])
{
    // The buckets are local hours and days: this test's are Berlin's, daylight saving included.
    qputenv("TZ", "Europe/Berlin");
    tzset();
    QCoreApplication app(argc, argv);
    TestInsightApi test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_insightapi.moc"
