#include "job/fetchedrecord.h"
#include "job/insight.h"
#include "queue/queueoperations.h"
#include "store/database.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QSqlDriver>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTest>

#include <sqlite3.h>

#include <algorithm>

namespace {

/// Every statement a connection runs, as SQLite expands it with its bound values.
int collect(unsigned type, void *context, void *statement, void *)
{
    if (type != SQLITE_TRACE_STMT)
        return 0;
    char *sql = sqlite3_expanded_sql(static_cast<sqlite3_stmt *>(statement));
    if (!sql)
        return 0;
    const QString text = QString::fromUtf8(sql);
    sqlite3_free(sql);
    // A trigger's statements come as "-- " and its text: not what dealerq asked for.
    if (!text.startsWith(QLatin1String("--")))
        static_cast<QStringList *>(context)->append(text);
    return 0;
}

/// The SQLite connection under `db`.
sqlite3 *handleOf(Database &db)
{
    const QVariant handle = db.db().driver()->handle();
    if (qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(handle.constData());
}

} // namespace

/// The scale issue's "EXPLAIN checked for each query the window and the API run", on SQLite,
/// whose planner has no statistics in a dealerq database (it never runs ANALYZE), so that the
/// plans here are those of any history size: every read of `jobs` the window's refresh, the
/// history in each order and with each filter, the queue, the counts, coverage, stats and the
/// audit make goes through an index; the text search's, and the failed jobs', through the dealer
/// index and the message indexes, which they read whole (markedJobs() in jobstorehistory.cpp).
class TestQueryPlans final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void windowAndApiReadsUseIndexes();

private:
    /// What SQLite's EXPLAIN QUERY PLAN says for `sql`, one line per step.
    QStringList plan(const QString &sql);

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
    QStringList m_statements;
};

void TestQueryPlans::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    if (m_db->isPostgres())
        QSKIP("SQLite's plans; PostgreSQL's depend on its statistics (README.md, Benchmarks)");
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    // A few jobs of each kind, so that every read has something to read.
    for (int k = 0; k < 12; ++k) {
        const NewJob job{QStringLiteral("D%1").arg(k % 3),
                         k % 2 ? "sales" : "prospect",
                         k * 3600000,
                         k * 3600000 + 1000,
                         0,
                         false,
                         QStringLiteral("test")};
        QVERIFY2(m_store->addJob(job, &error), qPrintable(error.message));
    }
    for (int k = 0; k < 8; ++k) {
        const std::optional<Job> claimed = m_store->claimNext("runner-1", &error);
        QVERIFY2(claimed, qPrintable(error.message));
        JobResult result{1, 1, 1, 0, 0};
        if (k % 4 == 3)
            QCOMPARE(m_store->failJob(*claimed, {"HTTP 500", ErrorCategory::Http}, {}, &error),
                     FinishOutcome::Done);
        else
            QCOMPARE(m_store->completeJob(*claimed, {}, {}, &result, &error), FinishOutcome::Done);
    }
    sqlite3 *handle = handleOf(m_store->database());
    QVERIFY(handle);
    sqlite3_trace_v2(handle, SQLITE_TRACE_STMT, collect, &m_statements);
}

void TestQueryPlans::cleanup()
{
    if (sqlite3 *handle = m_store ? handleOf(m_store->database()) : nullptr)
        sqlite3_trace_v2(handle, 0, nullptr, nullptr);
    m_statements.clear();
    m_store.reset();
    m_db.reset();
}

QStringList TestQueryPlans::plan(const QString &sql)
{
    QStringList steps;
    QSqlQuery q(m_store->database().db());
    if (!q.exec(QStringLiteral("EXPLAIN QUERY PLAN ") + sql))
        return {QStringLiteral("cannot explain: ") + sql};
    while (q.next())
        steps << q.value(3).toString();
    return steps;
}

void TestQueryPlans::windowAndApiReadsUseIndexes()
{
    QueueOperations operations(*m_store, QStringLiteral("window:test@host"));
    const qint64 now = 12 * 3600000;
    // The window's refresh, unfiltered and with its queue filter.
    HistoryFilter page;
    page.limit = 1000;
    QVERIFY(!operations.snapshot(1000, page, now).error.isSet());
    QueuedFilter queued;
    queued.dealerId = QStringLiteral("D1");
    queued.fetchType = QStringLiteral("sales");
    QVERIFY(!operations.snapshot(1000, page, now, queued).error.isSet());
    // The history in every order, either way, and with each filter alone.
    const QVector<HistorySort> sorts{
        HistorySort::FinishedAt, HistorySort::JobId,     HistorySort::DealerId,
        HistorySort::Duration,   HistorySort::Fetched,   HistorySort::FetchType,
        HistorySort::Window,     HistorySort::Status,    HistorySort::ErrorCategory,
        HistorySort::Priority,   HistorySort::CreatedAt, HistorySort::StartedAt,
        HistorySort::Attempts,   HistorySort::Pages,     HistorySort::Inserted,
        HistorySort::Updated,
    };
    for (const HistorySort sort : sorts) {
        for (const bool ascending : {false, true}) {
            HistoryFilter filter = page;
            filter.sort = sort;
            filter.ascending = ascending;
            QVERIFY(operations.history(filter).value);
        }
    }
    const auto byField = [&](const std::function<void(HistoryFilter &)> &set) {
        HistoryFilter filter = page;
        set(filter);
        QVERIFY(operations.history(filter).value);
        QVERIFY(operations.historyCount(filter).value);
    };
    byField([](HistoryFilter &f) { f.statuses = {JobStatus::Failed}; });
    byField([](HistoryFilter &f) { f.dealerId = QStringLiteral("D1"); });
    byField([](HistoryFilter &f) { f.fetchType = QStringLiteral("sales"); });
    byField([](HistoryFilter &f) { f.errorCategory = ErrorCategory::Http; });
    byField([](HistoryFilter &f) { f.text = QStringLiteral("500"); });
    byField([](HistoryFilter &f) { f.text = QStringLiteral("d1"); });
    byField([](HistoryFilter &f) {
        f.finishedAfterMs = 1000;
        f.finishedBeforeMs = 2000;
    });
    QVERIFY(operations.queuedCount(queued).value);
    // A type that holds half the history, in an order with an index of its own: SQLite walks
    // that index past the other type's jobs when that reads fewer than all of the type's (a
    // page of one here), and reads the type's jobs and sorts them when not (a page of 1,000).
    HistoryFilter ofType = page;
    ofType.fetchType = QStringLiteral("sales");
    ofType.sort = HistorySort::Priority;
    QVERIFY(operations.history(ofType).value);
    ofType.limit = 1;
    QVERIFY(operations.history(ofType).value);
    // A status of few jobs is read through the status index and sorted (failed ones from the
    // message indexes); one of many (as the kept figures count them: raised here) is walked
    // past in the order's index.
    HistoryFilter failed = page;
    failed.statuses = {JobStatus::Failed};
    failed.sort = HistorySort::Updated;
    QVERIFY(operations.history(failed).value);
    HistoryFilter completed = failed;
    completed.statuses = {JobStatus::Completed};
    QVERIFY(operations.history(completed).value);
    {
        QSqlQuery q(m_store->database().db());
        QVERIFY(q.exec("UPDATE stats_hours SET failed = failed + 1000000 WHERE hour_ms = "
                       "(SELECT MIN(hour_ms) FROM stats_hours) AND fetch_type = 'sales'"));
        QCOMPARE(q.numRowsAffected(), 1);
    }
    QVERIFY(operations.history(failed).value);
    // Insight and the audit.
    CoverageFilter coverage;
    QVERIFY(operations.coverage(coverage).value);
    coverage.state = CoverageState::Stale;
    coverage.staleBeforeMs = now;
    QVERIFY(operations.coverage(coverage).value);
    StoreError error;
    QVERIFY2(m_store->audit({}, &error), qPrintable(error.message));
    // What an add reads before it writes (where the queue ends), one job and many.
    const NewJob added{QStringLiteral("D9"), QStringLiteral("sales"), 0, 1000, 0, false, {}};
    QVERIFY(operations.add(added).value);
    QVERIFY(operations.addMany({QStringLiteral("D10"), QStringLiteral("D11")}, added).value);

    // Each distinct read of the jobs, explained.
    m_statements.removeDuplicates();
    int explained = 0;
    QStringList scans;
    // (The message indexes hold the failed and cancelled jobs alone: the text search, and a
    // filter that holds to such jobs, read them whole.)
    const QRegularExpression tableScan(
        QStringLiteral("^SCAN (jobs|j)(?! USING (?:COVERING )?INDEX "
                       "jobs_history_(?:(?:long_)?messages|unexplained)$)( |$)"));
    const QRegularExpression edgeOfAll(
        QStringLiteral("^SELECT (?:MIN|MAX)\\((\\w+)\\) FROM jobs$"));
    const QString allFinished = QStringLiteral("('completed','failed','cancelled')");
    const QRegularExpression byStatusAlone(
        QStringLiteral("^SEARCH (jobs|j) USING (?:COVERING )?INDEX jobs_history_status "
                       "\\(status=\\?\\)$"));
    const QRegularExpression indexUsed(QStringLiteral("USING (?:COVERING )?INDEX (\\w+)"));
    const auto firstColumnOf = [&](const QString &index) {
        QSqlQuery q(m_store->database().db());
        return q.exec(QStringLiteral("PRAGMA index_info(%1)").arg(index)) && q.next()
                   ? q.value(2).toString()
                   : QString();
    };
    for (const QString &sql : std::as_const(m_statements)) {
        if (!sql.startsWith(QLatin1String("SELECT")) || !sql.contains(QLatin1String(" jobs")))
            continue;
        ++explained;
        const QStringList steps = plan(sql);
        if (qEnvironmentVariableIsSet("DEALERQ_SHOW_PLANS"))
            qInfo("%s\n    %s", qPrintable(sql), qPrintable(steps.join(QStringLiteral("\n    "))));
        // A walk of the whole table is fine when it goes in the order asked for and stops at the
        // page's end; not when it counts, sorts everything it read, or has no end. (A text whose
        // dealers have many jobs, 30,000 for a page and 200,000 for a count, reads the history
        // instead: not with the few jobs here.)
        bool walks = std::any_of(steps.cbegin(), steps.cend(), [&](const QString &step) {
            return tableScan.match(step).hasMatch();
        });
        // So is a search of the status index for every finished status: it reads the whole
        // history (the history's reads prefix their status with "+" to stay off it).
        walks = walks || (sql.contains(QStringLiteral(" status IN %1").arg(allFinished)) &&
                          std::any_of(steps.cbegin(), steps.cend(), [&](const QString &step) {
                              return byStatusAlone.match(step).hasMatch();
                          }));
        // An edge of every job (where the queue ends) must be read at one end of an index that
        // starts with its column; SQLite says SEARCH for a walk of a whole covering index too.
        if (const QRegularExpressionMatch edge = edgeOfAll.match(sql); edge.hasMatch())
            walks =
                walks || !std::any_of(steps.cbegin(), steps.cend(), [&](const QString &step) {
                    const QRegularExpressionMatch index = indexUsed.match(step);
                    return index.hasMatch() && firstColumnOf(index.captured(1)) == edge.captured(1);
                });
        const bool sortsAll = steps.contains(QStringLiteral("USE TEMP B-TREE FOR ORDER BY"));
        const bool counts = sql.contains(QLatin1String("COUNT("));
        const bool bounded = sql.contains(QLatin1String(" LIMIT "));
        if (walks && (sortsAll || counts || !bounded))
            scans << sql + QStringLiteral("\n    ") + steps.join(QStringLiteral("\n    "));
    }
    QVERIFY2(explained > 30, qPrintable(QString::number(explained)));
    QVERIFY2(scans.isEmpty(), qPrintable(scans.join(QStringLiteral("\n"))));
    const auto planOfType = [&](const char *limit) {
        for (const QString &sql : std::as_const(m_statements)) {
            if (sql.contains(QLatin1String("fetch_type = 'sales' ORDER BY priority")) &&
                sql.contains(QLatin1String(limit)))
                return plan(sql).join(QLatin1Char('\n'));
        }
        return QStringLiteral("not run");
    };
    const QString walked = planOfType(" LIMIT 1 ");
    QVERIFY2(walked.contains(QLatin1String("USING INDEX jobs_history_priority")) &&
                 !walked.contains(QLatin1String("TEMP B-TREE")),
             qPrintable(walked));
    const QString sorted = planOfType(" LIMIT 1000 ");
    QVERIFY2(sorted.contains(QLatin1String("USING INDEX jobs_history_type (fetch_type=?)")),
             qPrintable(sorted));
    // The failed jobs, few: read from the message index (which holds them, with the columns
    // they are sorted by) and sorted; many: the order's index walked past the others.
    const auto planOfFailed = [&](bool fromMessages) {
        for (const QString &sql : std::as_const(m_statements)) {
            if (sql.contains(QLatin1String(" +status IN ('failed')")) &&
                sql.contains(QLatin1String("updated")) && sql.contains(QLatin1String(" LIMIT ")) &&
                sql.contains(QLatin1String("INDEXED BY")) == fromMessages)
                return plan(sql).join(QLatin1Char('\n'));
        }
        return QStringLiteral("not run");
    };
    QString fewCompleted = QStringLiteral("not run");
    for (const QString &sql : std::as_const(m_statements)) {
        if (sql.contains(QLatin1String(" status IN ('completed') AND")) &&
            sql.contains(QLatin1String("updated")) && sql.contains(QLatin1String(" LIMIT ")))
            fewCompleted = plan(sql).join(QLatin1Char('\n'));
    }
    QVERIFY2(fewCompleted.contains(QLatin1String("USING INDEX jobs_history_status (status=?)")),
             qPrintable(fewCompleted));
    const QString few = planOfFailed(true);
    QVERIFY2(few.contains(QLatin1String("COVERING INDEX jobs_history_messages")) &&
                 few.contains(QLatin1String("INDEX jobs_history_unexplained")),
             qPrintable(few));
    // The text's page and count read its matches from what can hold it: the messages from
    // their index alone, the jobs of the dealers whose ID holds it through the dealer index;
    // the page then looks up its own jobs by ID.
    for (const char *text : {"'%500%'", "'%d1%'"}) {
        for (const char *read : {"SELECT id, dealer_id", "SELECT COUNT(*) FROM (SELECT id "}) {
            QString textPlan = QStringLiteral("not run");
            for (const QString &sql : std::as_const(m_statements)) {
                if (sql.startsWith(QLatin1String(read)) && sql.contains(QLatin1String(text)))
                    textPlan = plan(sql).join(QLatin1Char('\n'));
            }
            const bool page = QByteArray(read).startsWith("SELECT id,");
            QVERIFY2(textPlan.contains(QLatin1String("COVERING INDEX jobs_history_messages")) &&
                         (!page || textPlan.contains(
                                       QLatin1String("SEARCH jobs USING INTEGER PRIMARY KEY"))) &&
                         (QByteArray(text) != "'%d1%'" ||
                          textPlan.contains(QRegularExpression(
                              QStringLiteral("SEARCH jobs USING (COVERING )?INDEX "
                                             "jobs_(history_dealer|coverage) \\(dealer_id=\\?")))),
                     qPrintable(QStringLiteral("%1 %2: %3").arg(text, read, textPlan)));
        }
    }
    const QString many = planOfFailed(false);
    QVERIFY2(many.contains(QLatin1String("USING INDEX jobs_history_updated")) &&
                 !many.contains(QLatin1String("TEMP B-TREE")),
             qPrintable(many));
}

QTEST_GUILESS_MAIN(TestQueryPlans)
#include "tst_queryplans.moc"
