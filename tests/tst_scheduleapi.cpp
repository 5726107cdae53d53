// The schedules' REST calls (SPEC §6) over real HTTP on loopback, in process: ApiService on its
// own thread with its own store, every call with its answers, and hostile input — each refused
// with the field named and nothing stored. Runs on SQLite and, as tst_scheduleapi_pg, on
// PostgreSQL.
#include "api/apiservice.h"
#include "apiclient.h"
#include "job/actor.h"
#include "job/timeformat.h"
#include "store/database.h"
#include "store/jobstore.h"
#include "store/schedulestore.h"
#include "testsupport.h"

#include <atomic>
#include <tuple>

#include <QJsonDocument>
#include <QSqlQuery>
#include <QThread>
#include <QTest>
#include <QTimeZone>

namespace {

const QByteArray Token = "schedule-test-token-abcdefghijklmn";
const QList<QPair<QByteArray, QByteArray>> Json{{"Content-Type", "application/json"}};

QJsonObject nightlyBody()
{
    return {{"name", "nightly"},
            {"cron", "0 2 * * *"},
            {"timezone", "Europe/Berlin"},
            {"dealer_ids", QJsonArray{"12284", "00999"}},
            {"fetch_types", QJsonArray{"sales", "service"}},
            {"window", "previous_day"}};
}

QByteArray compact(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonArray manyDealers(int n)
{
    QJsonArray ids;
    for (int i = 0; i < n; ++i)
        ids.push_back(QStringLiteral("D%1").arg(i));
    return ids;
}

/// One hostile value for one field: sent in a whole new schedule (POST) and as a change (PATCH).
struct Hostile
{
    const char *row;
    QString key;
    QJsonValue value; ///< undefined: the field left out (POST only)
    int status;
    QString says; ///< in the message
};

QList<Hostile> hostileValues()
{
    const QJsonValue absent(QJsonValue::Undefined);
    return {
        {"cron: hour 24", "cron", "0 24 * * *", 400, "cron: hour: 24 is out of range 0-23"},
        {"cron: minute 60", "cron", "60 2 * * *", 400, "cron: minute: 60"},
        {"cron: day-of-week 8", "cron", "0 2 * * 8", 400, "cron: day-of-week"},
        {"cron: day-of-month 32", "cron", "0 2 32 * *", 400, "cron: day-of-month"},
        {"cron: month name", "cron", "0 2 * foo *", 400, "cron: month"},
        {"cron: step 0", "cron", "*/0 2 * * *", 400, "cron: minute"},
        {"cron: four fields", "cron", "0 2 * *", 400, "cron:"},
        {"cron: six fields", "cron", "0 0 2 * * *", 400, "cron:"},
        {"cron: empty", "cron", "", 400, "cron is empty"},
        {"cron: 10,000 characters", "cron", QString(10000, '1'), 400, "cron:"},
        {"cron: a number", "cron", 5, 400, "cron must be a string"},
        {"cron: missing", "cron", absent, 400, "cron is required"},
        {"timezone: unknown", "timezone", "Mars/Olympus_Mons", 400, "Mars/Olympus_Mons"},
        {"timezone: a path", "timezone", "../../etc/passwd", 400, "not a known IANA time zone"},
        {"timezone: empty", "timezone", "", 400, "timezone is empty"},
        {"timezone: an array", "timezone", QJsonArray{"UTC"}, 400, "timezone must be a string"},
        {"dealer_ids: 10,001", "dealer_ids", manyDealers(10001), 400, "10001 dealer IDs"},
        {"dealer_ids: an invalid ID", "dealer_ids", QJsonArray{"12284", "bad id"}, 400,
         "\"bad id\""},
        {"dealer_ids: 33 characters", "dealer_ids", QJsonArray{QString(33, 'A')}, 400,
         "dealer_ids:"},
        {"dealer_ids: a number", "dealer_ids", QJsonArray{12284}, 400,
         "dealer_ids[0] must be a string, not a number"},
        {"dealer_ids: null inside", "dealer_ids", QJsonArray{"A1", QJsonValue()}, 400,
         "dealer_ids[1] must be a string"},
        {"dealer_ids: a string", "dealer_ids", "12284", 400, "must be an array of strings"},
        {"dealer_ids: empty", "dealer_ids", QJsonArray{}, 400, "at least one dealer ID"},
        {"dealer_ids: blanks", "dealer_ids", QJsonArray{"", "  "}, 400, "at least one dealer ID"},
        {"dealer_ids: missing", "dealer_ids", absent, 400, "dealer_ids is required"},
        {"fetch_types: unknown", "fetch_types", QJsonArray{"sales", "cars"}, 400, "cars"},
        {"fetch_types: a string", "fetch_types", "sales", 400, "must be an array of strings"},
        {"fetch_types: empty", "fetch_types", QJsonArray{}, 400, "at least one fetch type"},
        {"fetch_types: a number", "fetch_types", QJsonArray{1}, 400,
         "fetch_types[0] must be a string"},
        {"fetch_types: missing", "fetch_types", absent, 400, "fetch_types is required"},
        {"window: last_hours:0", "window", "last_hours:0", 400, "window: last_hours:0"},
        {"window: last_hours:8785", "window", "last_hours:8785", 400, "window:"},
        {"window: last_days:0", "window", "last_days:0", 400, "window:"},
        {"window: last_days:367", "window", "last_days:367", 400, "window: last_days:367"},
        {"window: unknown", "window", "yesterday", 400, "yesterday"},
        {"window: a number", "window", 1, 400, "window must be a string"},
        {"window: missing", "window", absent, 400, "window is required"},
        {"priority: too high", "priority", 1000001, 400, "priority must be a whole number"},
        {"priority: too low", "priority", -1000001, 400, "priority"},
        {"priority: huge", "priority", 1e300, 400, "priority"},
        {"priority: fraction", "priority", 1.5, 400, "priority"},
        {"priority: a string", "priority", "1", 400, "priority"},
        {"fallback_days: 0", "fallback_days", 0, 400,
         "fallback_days must be a whole number from "
         "1 to 366"},
        {"fallback_days: 367", "fallback_days", 367, 400, "fallback_days"},
        {"fallback_days: negative", "fallback_days", -1, 400, "fallback_days"},
        {"fallback_days: huge", "fallback_days", 1e18, 400, "fallback_days"},
        {"enabled: a string", "enabled", "yes", 400, "enabled must be true or false"},
        {"enabled: a number", "enabled", 1, 400, "enabled must be true or false"},
        {"catch_up: unknown", "catch_up", "always", 400, "catch_up must be \"once\" or \"skip\""},
        {"catch_up: a boolean", "catch_up", true, 400, "catch_up must be a string"},
        {"name: empty", "name", "", 400, "name is empty"},
        {"name: blank", "name", "   ", 400, "needs a name"},
        {"name: 65 characters", "name", QString(65, 'n'), 400, "at most 64"},
        {"name: a control character", "name", QStringLiteral("bell\u0007"), 400, "printable"},
        {"name: a number", "name", 7, 400, "name must be a string"},
        {"name: missing", "name", absent, 400, "name is required"},
        {"unknown field", "colour", "red", 400, "unknown field \"colour\""},
        {"read-only schedule_id", "schedule_id", 9, 400, "cannot be given"},
        {"read-only created_by", "created_by", "root", 400, "cannot be given"},
    };
}

} // namespace

class TestScheduleApi final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void everyCallNeedsTheToken();
    void createReadAndList();
    void createTakesDefaults();
    void takenNameIs409();
    void changeAnySubset();
    void changesMadeMeanwhileStay();
    void deleteLeavesTheJobs();
    void runNowQueuesAsBulk();
    void unknownIdsRoutesAndMethods();
    void createRefusesHostileInput_data();
    void createRefusesHostileInput();
    void changeRefusesHostileInput_data();
    void changeRefusesHostileInput();
    void everyProblemIsNamed();
    void malformedBodies_data();
    void malformedBodies();
    void hugeBodyIsRefused();

private:
    bool startApi();
    /// GET /schedules without the times that move with the clock: what "nothing stored" compares.
    QJsonArray stored();
    qint64 create(const QJsonObject &body);
    HttpReply patch(qint64 id, const QJsonObject &body);
    QVector<Job> queued() const;

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<ApiService> m_api;
    std::unique_ptr<ApiClient> m_client;
    std::atomic<int> m_changes{0};
};

void TestScheduleApi::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    QVERIFY(startApi());
}

bool TestScheduleApi::startApi()
{
    m_api = std::make_unique<ApiService>();
    connect(
        m_api.get(), &ApiService::queueChanged, this, [this] { ++m_changes; },
        Qt::DirectConnection);
    ApiService::Options options;
    options.database = m_db->url();
    options.fetchTypes = QStringList{"prospect", "sales", "service", "inventory"};
    options.port = 0;
    options.token = Token;
    QString why;
    if (!m_api->start(options, &why)) {
        qWarning("%s", qPrintable(why));
        return false;
    }
    m_client = std::make_unique<ApiClient>(m_api->port(), Token);
    m_changes = 0;
    return true;
}

void TestScheduleApi::cleanup()
{
    m_client.reset();
    m_api.reset();
    m_store.reset();
    m_db.reset();
}

QJsonArray TestScheduleApi::stored()
{
    const HttpReply reply = m_client->get("/schedules");
    if (reply.status != 200)
        return {QStringLiteral("GET /schedules failed: %1").arg(QString::fromUtf8(reply.body))};
    QJsonArray out;
    for (const QJsonValue &value : reply.json().value("schedules").toArray()) {
        QJsonObject schedule = value.toObject();
        schedule.remove("next_fire_at");
        out.push_back(schedule);
    }
    return out;
}

qint64 TestScheduleApi::create(const QJsonObject &body)
{
    const HttpReply reply = m_client->post("/schedules", body);
    if (reply.status != 201) {
        qWarning("POST /schedules: %d %s", reply.status, reply.body.constData());
        return 0;
    }
    return reply.json().value("schedule_id").toInteger();
}

HttpReply TestScheduleApi::patch(qint64 id, const QJsonObject &body)
{
    return m_client->request("PATCH", QStringLiteral("/schedules/%1").arg(id), compact(body), Json);
}

QVector<Job> TestScheduleApi::queued() const
{
    StoreError error;
    return m_store->queuedJobs(-1, &error).value_or(QVector<Job>());
}

void TestScheduleApi::everyCallNeedsTheToken()
{
    const qint64 id = create(nightlyBody());
    QVERIFY(id > 0);
    const QJsonArray before = stored();
    m_changes = 0;
    const QString one = QStringLiteral("/schedules/%1").arg(id);
    const QList<QPair<QByteArray, QString>> calls{{"GET", "/schedules"}, {"POST", "/schedules"},
                                                  {"GET", one},          {"PATCH", one},
                                                  {"DELETE", one},       {"POST", one + "/run"}};
    QJsonObject other = nightlyBody();
    other.insert("name", "other");
    for (const auto &[method, path] : calls) {
        const HttpReply none = m_client->request(method, path, compact(other), Json, false);
        QVERIFY2(none.status == 401, qPrintable(method + ' ' + path));
        QCOMPARE(none.errorCode(), QStringLiteral("unauthorized"));
        const HttpReply wrong = m_client->request(
            method, path, compact(other),
            {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + Token.chopped(1)}},
            false);
        QCOMPARE(wrong.status, 401);
    }
    QCOMPARE(stored(), before);
    QCOMPARE(queued().size(), 0);
    QCOMPARE(m_changes.load(), 0);
}

void TestScheduleApi::createReadAndList()
{
    QJsonObject body = nightlyBody();
    body.insert("dealer_ids", QJsonArray{"12284", "00999", " 12284 ", ""});
    body.insert("cron", "0  2 * *   *");
    body.insert("fallback_days", 3);
    body.insert("priority", 5);
    body.insert("enabled", true);
    body.insert("catch_up", "skip");
    const HttpReply created = m_client->post("/schedules", body);
    QVERIFY2(created.status == 201, created.body.constData());
    const QJsonObject s = created.json();
    QVERIFY(s.value("schedule_id").toInteger() > 0);
    QCOMPARE(s.value("name").toString(), QStringLiteral("nightly"));
    QCOMPARE(s.value("cron").toString(), QStringLiteral("0 2 * * *"));
    QCOMPARE(s.value("timezone").toString(), QStringLiteral("Europe/Berlin"));
    QCOMPARE(s.value("dealer_ids").toArray(), (QJsonArray{"12284", "00999"}));
    QCOMPARE(s.value("fetch_types").toArray(), (QJsonArray{"sales", "service"}));
    QCOMPARE(s.value("window").toString(), QStringLiteral("previous_day"));
    QCOMPARE(s.value("fallback_days").toInt(), 3);
    QCOMPARE(s.value("priority").toInt(), 5);
    QCOMPARE(s.value("enabled").toBool(), true);
    QCOMPARE(s.value("catch_up").toString(), QStringLiteral("skip"));
    QCOMPARE(s.value("created_by").toString(), QStringLiteral("api:default"));
    QVERIFY(s.value("last_fired_at").isNull());
    const QJsonArray next = s.value("next_fire_times").toArray();
    QCOMPARE(next.size(), 5);
    QCOMPARE(s.value("next_fire_at"), next.first());
    const QTimeZone berlin("Europe/Berlin");
    QDateTime previous;
    for (const QJsonValue &time : next) {
        // SPEC §1's format, each at 02:00 in Berlin, a day apart.
        const QDateTime at = QDateTime::fromString(time.toString(), Qt::ISODateWithMs);
        QVERIFY2(at.isValid(), qPrintable(time.toString()));
        QCOMPARE(time.toString(), formatTimestamp(at.toMSecsSinceEpoch()));
        QCOMPARE(at.toTimeZone(berlin).time(), QTime(2, 0));
        QVERIFY(at > QDateTime::currentDateTimeUtc());
        if (previous.isValid())
            QCOMPARE(previous.toTimeZone(berlin).date().addDays(1), at.toTimeZone(berlin).date());
        previous = at;
    }
    QCOMPARE(m_changes.load(), 1);
    QCOMPARE(queued().size(), 0); // a schedule queues nothing until it fires

    const qint64 id = s.value("schedule_id").toInteger();
    const HttpReply one = m_client->get(QStringLiteral("/schedules/%1").arg(id));
    QCOMPARE(one.status, 200);
    QCOMPARE(one.json(), s);

    QJsonObject alpha = nightlyBody();
    alpha.insert("name", "alpha");
    QVERIFY(create(alpha) > id);
    const HttpReply all = m_client->get("/schedules");
    QCOMPARE(all.status, 200);
    const QJsonArray list = all.json().value("schedules").toArray();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).toObject().value("name").toString(), QStringLiteral("alpha"));
    QJsonObject listed = list.at(1).toObject();
    QVERIFY(!listed.contains("next_fire_times")); // only in the single schedule's answer
    QJsonObject expected = s;
    expected.remove("next_fire_times");
    QCOMPARE(listed, expected);
    QCOMPARE(m_changes.load(), 2);
}

void TestScheduleApi::createTakesDefaults()
{
    QJsonObject body = nightlyBody();
    body.remove("timezone");
    const HttpReply created = m_client->post("/schedules", body);
    QVERIFY2(created.status == 201, created.body.constData());
    const QJsonObject s = created.json();
    // The zone of the machine that created it, resolved and stored (SPEC §6).
    QCOMPARE(s.value("timezone").toString(), QString::fromUtf8(QTimeZone::systemTimeZoneId()));
    QCOMPARE(s.value("fallback_days").toInt(), 1);
    QCOMPARE(s.value("priority").toInt(), 0);
    QCOMPARE(s.value("enabled").toBool(), true);
    QCOMPARE(s.value("catch_up").toString(), QStringLiteral("once"));
    // null is "not given", as elsewhere in the API.
    body.insert("name", "nulls");
    body.insert("priority", QJsonValue());
    body.insert("timezone", QJsonValue());
    const HttpReply nulls = m_client->post("/schedules", body);
    QVERIFY2(nulls.status == 201, nulls.body.constData());
    QCOMPARE(nulls.json().value("priority").toInt(), 0);
}

void TestScheduleApi::takenNameIs409()
{
    const qint64 first = create(nightlyBody());
    QVERIFY(first > 0);
    QJsonObject other = nightlyBody();
    other.insert("name", "other");
    const qint64 second = create(other);
    QVERIFY(second > 0);
    const QJsonArray before = stored();
    m_changes = 0;

    QJsonObject twin = nightlyBody();
    twin.insert("name", "  nightly "); // names are kept trimmed
    const HttpReply taken = m_client->post("/schedules", twin);
    QCOMPARE(taken.status, 409);
    QCOMPARE(taken.errorCode(), QStringLiteral("name_taken"));
    QCOMPARE(taken.errorField(), QStringLiteral("name"));
    QVERIFY2(taken.json().value("error").toObject().value("message").toString().contains(
                 QStringLiteral("schedule %1").arg(first)),
             taken.body.constData());

    const HttpReply renamed = patch(second, {{"name", "nightly"}});
    QCOMPARE(renamed.status, 409);
    QCOMPARE(renamed.errorField(), QStringLiteral("name"));
    QCOMPARE(stored(), before);
    QCOMPARE(m_changes.load(), 0);
    // Its own name is no conflict.
    QCOMPARE(patch(second, {{"name", "other"}}).status, 200);
}

void TestScheduleApi::changeAnySubset()
{
    const qint64 id = create(nightlyBody());
    QVERIFY(id > 0);
    const QString path = QStringLiteral("/schedules/%1").arg(id);
    const QJsonObject original = m_client->get(path).json();
    m_changes = 0;

    const HttpReply cron = patch(id, {{"cron", "30  6 * * mon-fri"}});
    QVERIFY2(cron.status == 200, cron.body.constData());
    QJsonObject expected = original;
    expected.insert("cron", "30 6 * * mon-fri");
    QJsonObject got = cron.json();
    QVERIFY(got.value("next_fire_times") != original.value("next_fire_times"));
    for (const char *moving : {"next_fire_times", "next_fire_at"}) {
        got.remove(moving);
        expected.remove(moving);
    }
    QCOMPARE(got, expected);
    QCOMPARE(m_changes.load(), 1);

    const HttpReply off = patch(id, {{"enabled", false}});
    QCOMPARE(off.status, 200);
    QCOMPARE(off.json().value("enabled").toBool(), false);
    QVERIFY(off.json().value("next_fire_at").isNull());
    QCOMPARE(off.json().value("next_fire_times").toArray().size(), 5); // listed while disabled

    const HttpReply many = patch(id, {{"enabled", true},
                                      {"window", "last_hours:6"},
                                      {"dealer_ids", QJsonArray{"A1"}},
                                      {"fetch_types", QJsonArray{"inventory"}},
                                      {"timezone", "America/New_York"},
                                      {"priority", -3},
                                      {"fallback_days", 366},
                                      {"catch_up", "skip"},
                                      {"name", "renamed"}});
    QVERIFY2(many.status == 200, many.body.constData());
    const QJsonObject s = many.json();
    QCOMPARE(s.value("enabled").toBool(), true);
    QVERIFY(s.value("next_fire_at").isString());
    QCOMPARE(s.value("window").toString(), QStringLiteral("last_hours:6"));
    QCOMPARE(s.value("dealer_ids").toArray(), QJsonArray{"A1"});
    QCOMPARE(s.value("fetch_types").toArray(), QJsonArray{"inventory"});
    QCOMPARE(s.value("timezone").toString(), QStringLiteral("America/New_York"));
    QCOMPARE(s.value("priority").toInt(), -3);
    QCOMPARE(s.value("fallback_days").toInt(), 366);
    QCOMPARE(s.value("catch_up").toString(), QStringLiteral("skip"));
    QCOMPARE(s.value("name").toString(), QStringLiteral("renamed"));
    QCOMPARE(s.value("created_by"), original.value("created_by"));
    QCOMPARE(s.value("created_at"), original.value("created_at"));
    QCOMPARE(s.value("schedule_id"), original.value("schedule_id"));
    QCOMPARE(QDateTime::fromString(s.value("next_fire_at").toString(), Qt::ISODateWithMs)
                 .toTimeZone(QTimeZone("America/New_York"))
                 .time(),
             QTime(6, 30));

    const HttpReply nothing = patch(id, {});
    QCOMPARE(nothing.status, 200);
    QCOMPARE(nothing.json().value("name").toString(), QStringLiteral("renamed"));

    // One bad field refuses the whole change: the good one next to it is not kept either.
    const QJsonArray before = stored();
    const HttpReply mixed = patch(id, {{"priority", 9}, {"window", "last_days:367"}});
    QCOMPARE(mixed.status, 400);
    QCOMPARE(mixed.errorField(), QStringLiteral("window"));
    QCOMPARE(stored(), before);
    QCOMPARE(queued().size(), 0);
}

void TestScheduleApi::changesMadeMeanwhileStay()
{
    // A PATCH sets the fields it names on the schedule as stored when it is written, never on a
    // copy read before: here another change (the window's) holds the schedule while the PATCH
    // comes in, and renames it; the PATCH, let through after, changes the cron of the renamed
    // schedule and leaves its name alone. SQLite's write transaction holds the whole database
    // from its start, so there a read inside it cannot be stale; PostgreSQL's needs its row lock.
    if (!m_db->isPostgres())
        QSKIP("PostgreSQL: waits for a row lock, which SQLite has none of");
    const qint64 id = create(nightlyBody());
    QVERIFY(id > 0);
    JobStore watcher(m_db->url());
    StoreError error;
    QVERIFY2(watcher.open(&error), qPrintable(error.message));
    // Whether a statement of this database waits for a lock (the PATCH's, on the schedule's
    // row; Qt's prepared statements show as EXECUTE, without their text).
    const auto patchWaits = [&] {
        QSqlQuery q(watcher.database().db());
        return q.exec(QStringLiteral("SELECT COUNT(*) FROM pg_stat_activity WHERE "
                                     "wait_event_type = 'Lock' AND "
                                     "datname = current_database()")) &&
               q.next() && q.value(0).toInt() > 0;
    };
    HttpReply reply;
    std::unique_ptr<QThread> client;
    bool waited = false;
    ScheduleStore schedules(*m_store);
    const std::optional<Schedule> renamed = schedules.change(
        id,
        [&](Schedule *schedule, StoreError *) {
            client.reset(QThread::create([&] {
                ApiClient own(m_api->port(), Token); // a client of the thread's own
                reply = own.request("PATCH", QStringLiteral("/schedules/%1").arg(id),
                                    compact({{"cron", "15 4 * * *"}}), Json);
            }));
            client->start();
            waited = QTest::qWaitFor(patchWaits, 10000);
            schedule->name = QStringLiteral("renamed meanwhile");
            return true;
        },
        QDateTime::currentMSecsSinceEpoch(), &error, QStringLiteral("window:test@host"));
    QVERIFY2(renamed, qPrintable(error.message));
    QVERIFY(client->wait(10000));
    QVERIFY(waited);
    QVERIFY2(reply.status == 200, reply.body.constData());
    QCOMPARE(reply.json().value("name").toString(), QStringLiteral("renamed meanwhile"));
    QCOMPARE(reply.json().value("cron").toString(), QStringLiteral("15 4 * * *"));
    const std::optional<Schedule> now = schedules.schedule(id, &error);
    QVERIFY(now);
    QCOMPARE(now->name, QStringLiteral("renamed meanwhile"));
    QCOMPARE(now->cron, QStringLiteral("15 4 * * *"));
}

void TestScheduleApi::deleteLeavesTheJobs()
{
    const qint64 id = create(nightlyBody());
    QVERIFY(id > 0);
    QCOMPARE(m_client->post(QStringLiteral("/schedules/%1/run").arg(id), {}).status, 201);
    QCOMPARE(queued().size(), 4);
    m_changes = 0;
    const HttpReply removed = m_client->del(QStringLiteral("/schedules/%1").arg(id));
    QCOMPARE(removed.status, 200);
    QCOMPARE(removed.json(), (QJsonObject{{"schedule_id", id}, {"removed", true}}));
    QCOMPARE(m_changes.load(), 1);
    const HttpReply gone = m_client->get(QStringLiteral("/schedules/%1").arg(id));
    QCOMPARE(gone.status, 404);
    QCOMPARE(gone.errorCode(), QStringLiteral("schedule_not_found"));
    QCOMPARE(m_client->del(QStringLiteral("/schedules/%1").arg(id)).status, 404);
    QCOMPARE(stored(), QJsonArray());
    QCOMPARE(queued().size(), 4); // SPEC §6: deleting a schedule leaves the jobs it queued
    // Its name is free again.
    QVERIFY(create(nightlyBody()) > id);
}

void TestScheduleApi::runNowQueuesAsBulk()
{
    QJsonObject body = nightlyBody();
    body.insert("priority", 7);
    body.insert("window", "last_hours:2");
    const qint64 id = create(body);
    QVERIFY(id > 0);
    m_changes = 0;
    const QString path = QStringLiteral("/schedules/%1/run").arg(id);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const HttpReply ran = m_client->post(path, {});
    QVERIFY2(ran.status == 201, ran.body.constData());
    QCOMPARE(ran.json().value("added").toInt(), 4);
    QCOMPARE(ran.json().value("skipped").toArray(), QJsonArray());
    const QJsonArray ids = ran.json().value("job_ids").toArray();
    QCOMPARE(ids.size(), 4);
    QCOMPARE(m_changes.load(), 1);

    // D1/type1, D1/type2, D2/type1, D2/type2; made by the schedule, with its priority and the
    // window of this instant.
    const QVector<Job> jobs = queued();
    QCOMPARE(jobs.size(), 4);
    const QList<QPair<QString, QString>> order{
        {"12284", "sales"}, {"12284", "service"}, {"00999", "sales"}, {"00999", "service"}};
    for (int i = 0; i < jobs.size(); ++i) {
        QCOMPARE(jobs.at(i).id, ids.at(i).toInteger());
        QCOMPARE(jobs.at(i).dealerId, order.at(i).first);
        QCOMPARE(jobs.at(i).fetchType, order.at(i).second);
        QCOMPARE(jobs.at(i).createdBy, Actor::schedule("nightly"));
        QCOMPARE(jobs.at(i).priority, 7);
        QVERIFY(jobs.at(i).toMs >= before - 2000 && jobs.at(i).toMs <= before + 60000);
        const qint64 span = jobs.at(i).toMs - jobs.at(i).fromMs;
        QVERIFY2(span > 2 * 3600 * 1000 - 2000 && span < 2 * 3600 * 1000,
                 qPrintable(QString::number(span)));
    }
    // "Run now" is no slot: the schedule's next fire is as it was.
    const QJsonObject s = m_client->get(QStringLiteral("/schedules/%1").arg(id)).json();
    QVERIFY(s.value("last_fired_at").isString());
    QCOMPARE(s.value("next_fire_times").toArray().size(), 5);

    // Again at once: every job is covered by a queued one, as a bulk call tells it.
    const HttpReply again = m_client->post(path, {});
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json().value("added").toInt(), 0);
    QCOMPARE(again.json().value("job_ids").toArray(), QJsonArray());
    const QJsonArray skipped = again.json().value("skipped").toArray();
    QCOMPARE(skipped.size(), 4);
    for (int i = 0; i < skipped.size(); ++i) {
        const QJsonObject skip = skipped.at(i).toObject();
        QCOMPARE(skip.value("dealer_id").toString(), order.at(i).first);
        QCOMPARE(skip.value("existing_job_id"), ids.at(i));
        QVERIFY2(skip.value("reason").toString().contains(order.at(i).second),
                 qPrintable(skip.value("reason").toString()));
    }
    QCOMPARE(queued().size(), 4);
}

void TestScheduleApi::unknownIdsRoutesAndMethods()
{
    const qint64 id = create(nightlyBody());
    QVERIFY(id > 0);
    const QJsonArray before = stored();
    m_changes = 0;
    const QByteArray change = compact({{"priority", 1}});
    for (const auto &[method, path] :
         QList<QPair<QByteArray, QString>>{{"GET", "/schedules/424242"},
                                           {"PATCH", "/schedules/424242"},
                                           {"DELETE", "/schedules/424242"},
                                           {"POST", "/schedules/424242/run"},
                                           {"GET", "/schedules/0"},
                                           {"PATCH", "/schedules/000"},
                                           {"POST", "/schedules/0/run"},
                                           {"GET", "/schedules/999999999999999999"}}) {
        const HttpReply reply = m_client->request(method, path, change, Json);
        QVERIFY2(reply.status == 404, qPrintable(method + ' ' + path + ' ' + reply.body));
        QCOMPARE(reply.errorCode(), QStringLiteral("schedule_not_found"));
        QCOMPARE(reply.errorField(), QStringLiteral("schedule_id"));
    }
    for (const char *path :
         {"/schedules/abc", "/schedules/-1", "/schedules/1.5", "/schedules/+1",
          "/schedules/99999999999999999999", "/schedules/1/run/now", "/schedules/", "/schedule"}) {
        const HttpReply reply = m_client->get(QString::fromLatin1(path));
        QVERIFY2(reply.status == 404, qPrintable(path + (' ' + reply.body)));
        QCOMPARE(reply.errorCode(), QStringLiteral("not_found"));
    }
    const QString one = QStringLiteral("/schedules/%1").arg(id);
    const QList<std::tuple<QByteArray, QString, QByteArray>> wrong{
        {"PUT", "/schedules", "GET, POST"},  {"DELETE", "/schedules", "GET, POST"},
        {"POST", one, "GET, PATCH, DELETE"}, {"PUT", one, "GET, PATCH, DELETE"},
        {"GET", one + "/run", "POST"},       {"DELETE", one + "/run", "POST"}};
    for (const auto &[method, path, allow] : wrong) {
        const HttpReply reply = m_client->request(method, path, change, Json);
        QVERIFY2(reply.status == 405, qPrintable(method + ' ' + path));
        QCOMPARE(reply.errorCode(), QStringLiteral("method_not_allowed"));
        QCOMPARE(reply.header("Allow"), allow);
    }
    const HttpReply parameter = m_client->get("/schedules?limit=5");
    QCOMPARE(parameter.status, 400);
    QCOMPARE(parameter.errorField(), QStringLiteral("limit"));
    QCOMPARE(m_client->get(one + "?with=times").status, 400);
    QCOMPARE(stored(), before);
    QCOMPARE(queued().size(), 0);
    QCOMPARE(m_changes.load(), 0);
}

void TestScheduleApi::createRefusesHostileInput_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("says");
    for (const Hostile &h : hostileValues()) {
        QJsonObject body = nightlyBody();
        if (h.value.isUndefined())
            body.remove(h.key);
        else
            body.insert(h.key, h.value);
        QTest::newRow(h.row) << body << h.status << h.key << h.says;
    }
}

void TestScheduleApi::createRefusesHostileInput()
{
    QFETCH(QJsonObject, body);
    QFETCH(int, status);
    QFETCH(QString, field);
    QFETCH(QString, says);
    QJsonObject existing = nightlyBody();
    existing.insert("name", "existing");
    QVERIFY(create(existing) > 0);
    const QJsonArray before = stored();
    m_changes = 0;

    const HttpReply reply = m_client->post("/schedules", body);
    QVERIFY2(reply.status == status, reply.body.left(400).constData());
    QCOMPARE(reply.errorField(), field);
    const QJsonObject error = reply.json().value("error").toObject();
    QVERIFY(!error.value("code").toString().isEmpty());
    QVERIFY2(error.value("message").toString().contains(says),
             qPrintable(error.value("message").toString().left(400)));
    QVERIFY(error.value("message").toString().size() < 2000);
    QCOMPARE(stored(), before);
    QCOMPARE(queued().size(), 0);
    QCOMPARE(m_changes.load(), 0);
}

void TestScheduleApi::changeRefusesHostileInput_data()
{
    QTest::addColumn<QJsonObject>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("says");
    for (const Hostile &h : hostileValues()) {
        if (!h.value.isUndefined())
            QTest::newRow(h.row) << QJsonObject{{h.key, h.value}} << h.status << h.key << h.says;
    }
}

void TestScheduleApi::changeRefusesHostileInput()
{
    QFETCH(QJsonObject, body);
    QFETCH(int, status);
    QFETCH(QString, field);
    QFETCH(QString, says);
    const qint64 id = create(nightlyBody());
    QVERIFY(id > 0);
    const QJsonArray before = stored();
    m_changes = 0;

    const HttpReply reply = patch(id, body);
    QVERIFY2(reply.status == status, reply.body.left(400).constData());
    QCOMPARE(reply.errorField(), field);
    const QString message = reply.json().value("error").toObject().value("message").toString();
    QVERIFY2(message.contains(says), qPrintable(message.left(400)));
    QCOMPARE(stored(), before);
    QCOMPARE(queued().size(), 0);
    QCOMPARE(m_changes.load(), 0);
}

void TestScheduleApi::everyProblemIsNamed()
{
    QJsonObject body = nightlyBody();
    body.insert("cron", "0 24 * * *");
    body.insert("window", "last_days:367");
    body.insert("priority", "high");
    body.insert("dealer_ids", QJsonArray{"A1", "no good", "#3"});
    body.insert("colour", "red");
    const HttpReply reply = m_client->post("/schedules", body);
    QCOMPARE(reply.status, 400);
    const QJsonObject error = reply.json().value("error").toObject();
    QStringList fields;
    for (const QJsonValue &detail : error.value("details").toArray())
        fields << detail.toObject().value("field").toString();
    fields.sort();
    QCOMPARE(fields,
             (QStringList{"colour", "cron", "dealer_ids", "dealer_ids", "priority", "window"}));
    QVERIFY(error.value("message").toString().startsWith("6 problems: "));
    QCOMPARE(stored(), QJsonArray());
}

void TestScheduleApi::malformedBodies_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("field");
    const QByteArray json = "application/json";
    for (const QByteArray &method : {QByteArray("POST"), QByteArray("PATCH")}) {
        const auto row = [&](const char *name) -> QTestData & {
            return QTest::newRow(qPrintable(method + ": " + name)) << method;
        };
        row("bad JSON") << QByteArray(R"({"name":"x",)") << json << 400 << "";
        row("an array") << QByteArray("[]") << json << 400 << "";
        row("a string") << QByteArray("\"nightly\"") << json << 400 << "";
        row("empty") << QByteArray() << json << 400 << "";
        // A raw NUL inside a string: Qt's parser takes it, the name's rule refuses it.
        row("raw NUL in the name")
            << compact(nightlyBody()).replace("\"nightly\"", QByteArray("\"a\0b\"", 5)) << json
            << 400 << "name";
        row("no content type") << compact(nightlyBody()) << QByteArray() << 415 << "Content-Type";
        row("form") << QByteArray("name=nightly") << QByteArray("application/x-www-form-urlencoded")
                    << 415 << "Content-Type";
    }
}

void TestScheduleApi::malformedBodies()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, field);
    QJsonObject existing = nightlyBody();
    existing.insert("name", "existing");
    const qint64 id = create(existing);
    QVERIFY(id > 0);
    const QJsonArray before = stored();
    m_changes = 0;
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!contentType.isEmpty())
        headers.push_back({"Content-Type", contentType});
    const QString path =
        method == "POST" ? QStringLiteral("/schedules") : QStringLiteral("/schedules/%1").arg(id);
    const HttpReply reply = m_client->request(method, path, body, headers);
    QVERIFY2(reply.status == status, reply.body.constData());
    QCOMPARE(reply.errorField(), field);
    QVERIFY(!reply.errorCode().isEmpty());
    QCOMPARE(stored(), before);
    QCOMPARE(m_changes.load(), 0);
}

void TestScheduleApi::hugeBodyIsRefused()
{
    const qint64 id = create(nightlyBody());
    QVERIFY(id > 0);
    const QJsonArray before = stored();
    m_changes = 0;
    // Declared 2 MiB: refused before it is read.
    for (const QByteArray &requestLine :
         {QByteArray("POST /schedules"), "PATCH /schedules/" + QByteArray::number(id)}) {
        const QByteArray head = requestLine + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                Token + "\r\nContent-Type: application/json\r\nContent-Length: " +
                                QByteArray::number(2 * 1024 * 1024) + "\r\n\r\n";
        const HttpReply reply = m_client->raw(head + QByteArray(64 * 1024, ' '), 5000);
        QCOMPARE(reply.status, 413);
        QCOMPARE(reply.errorCode(), QStringLiteral("payload_too_large"));
        m_client->socket().abort();
    }
    // A body just over 1 MiB, sent in full.
    QJsonObject body = nightlyBody();
    body.insert("name", "huge");
    QByteArray bytes = compact(body);
    bytes.chop(1);
    bytes += ",\"colour\":\"" + QByteArray(1024 * 1024, 'x') + "\"}";
    const HttpReply over = m_client->request("POST", "/schedules", bytes, Json);
    QCOMPARE(over.status, 413);
    m_client->socket().abort();
    // Under 1 MiB but 100,000 dealer IDs: refused for the count, naming the field.
    body.insert("dealer_ids", manyDealers(100000));
    const HttpReply many = m_client->post("/schedules", body);
    QCOMPARE(many.status, 400);
    QCOMPARE(many.errorField(), QStringLiteral("dealer_ids"));
    QVERIFY(many.body.size() < 2000);
    QCOMPARE(stored(), before);
    QCOMPARE(m_changes.load(), 0);
}

QTEST_GUILESS_MAIN(TestScheduleApi)
#include "tst_scheduleapi.moc"
