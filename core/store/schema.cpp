#include "store/schema.h"

#include "job/insight.h"
#include "job/queuetypes.h"
#include "job/validation.h"
#include "log/logging.h"
#include "store/database.h"
#include "store/jobrows_p.h"

#include <QSqlQuery>
#include <QStringList>
#include <QVariant>

#include <functional>
#include <iterator>

namespace {

/// Sets *error from the failed `query` (see setQueryError()) and returns false.
bool fail(Database &db, StoreError *error, const QSqlQuery &query, const QString &what)
{
    setQueryError(error, query, db.backend(), what);
    return false;
}

bool exec(Database &db, QSqlQuery &query, StoreError *error, const QString &what)
{
    return query.exec() || fail(db, error, query, what);
}

/// A table's own growing `id` key on each backend.
QString serialKey(bool sqlite)
{
    return sqlite ? QStringLiteral("INTEGER PRIMARY KEY AUTOINCREMENT")
                  : QStringLiteral("BIGSERIAL PRIMARY KEY");
}

QStringList version1(bool sqlite)
{
    const QString serial = serialKey(sqlite);
    // PostgreSQL keeps payloads as json, not jsonb: jsonb rejects strings holding \u0000.
    const QString payload = sqlite ? QStringLiteral("TEXT") : QStringLiteral("JSON");
    return {
        QStringLiteral("CREATE TABLE jobs ("
                       "id %1, dealer_id TEXT NOT NULL, fetch_type TEXT NOT NULL, "
                       "from_ms BIGINT NOT NULL, to_ms BIGINT NOT NULL, "
                       "status TEXT NOT NULL CHECK (status IN "
                       "('queued','running','completed','failed','cancelled')), "
                       "priority INTEGER NOT NULL DEFAULT 0, position BIGINT NOT NULL, "
                       "created_ms BIGINT NOT NULL, started_ms BIGINT, finished_ms BIGINT, "
                       "attempts INTEGER NOT NULL DEFAULT 0, "
                       "pages INTEGER, fetched BIGINT, inserted BIGINT, updated BIGINT, "
                       "unchanged BIGINT, error_message TEXT, error_category TEXT)")
            .arg(serial),
        QStringLiteral("CREATE TABLE records ("
                       "dealer_id TEXT NOT NULL, fetch_type TEXT NOT NULL, "
                       "record_id TEXT NOT NULL, payload %1 NOT NULL, updated_at TEXT, "
                       "job_id BIGINT, PRIMARY KEY (dealer_id, fetch_type, record_id))")
            .arg(payload),
    };
}

QStringList version2(bool sqlite)
{
    const QString serial = serialKey(sqlite);
    return {
        QStringLiteral("ALTER TABLE jobs ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0"),
        QStringLiteral("ALTER TABLE jobs ADD COLUMN runner_id TEXT"),
        QStringLiteral("CREATE TABLE job_logs (id %1, "
                       "job_id BIGINT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE, "
                       "at_ms BIGINT NOT NULL, message TEXT NOT NULL)")
            .arg(serial),
        QStringLiteral("CREATE INDEX job_logs_by_job ON job_logs (job_id, id)"),
        QStringLiteral("CREATE INDEX jobs_run_order ON jobs (status, priority DESC, position)"),
        QStringLiteral("CREATE INDEX jobs_finished ON jobs (finished_ms)"),
        // An identical job is queued once (SPEC §1), whoever adds it.
        QStringLiteral("CREATE UNIQUE INDEX jobs_queued_once ON jobs "
                       "(dealer_id, fetch_type, from_ms, to_ms) WHERE status = 'queued'"),
        // Exactly one job runs at a time across every process on this database (SPEC §1).
        QStringLiteral("CREATE UNIQUE INDEX jobs_one_running ON jobs (status) "
                       "WHERE status = 'running'"),
    };
}

QStringList version3(bool sqlite)
{
    const QString serial = serialKey(sqlite);
    return {
        // Who queued each job (SPEC §8). Jobs queued before this version are "unknown".
        QStringLiteral("ALTER TABLE jobs ADD COLUMN created_by TEXT NOT NULL DEFAULT 'unknown'"),
        // Schedules (SPEC §6). Dealer IDs one per line, fetch types comma-separated, both in
        // the order given; times in ms since the epoch.
        QStringLiteral("CREATE TABLE schedules (id %1, name TEXT NOT NULL UNIQUE, "
                       "cron TEXT NOT NULL, timezone TEXT NOT NULL, dealer_ids TEXT NOT NULL, "
                       "fetch_types TEXT NOT NULL, window_rule TEXT NOT NULL, "
                       "fallback_days INTEGER NOT NULL, priority INTEGER NOT NULL, "
                       "enabled INTEGER NOT NULL, catch_up TEXT NOT NULL, "
                       "created_ms BIGINT NOT NULL, created_by TEXT NOT NULL, "
                       "changed_ms BIGINT NOT NULL, enabled_since_ms BIGINT NOT NULL, "
                       "last_fired_ms BIGINT, last_slot_ms BIGINT)")
            .arg(serial),
        // One row per slot fired: the primary key is the guard that a slot fires once across
        // every instance and crash, since the row commits with the jobs the slot queued.
        QStringLiteral("CREATE TABLE schedule_fires ("
                       "schedule_id BIGINT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE, "
                       "slot_ms BIGINT NOT NULL, fired_ms BIGINT NOT NULL, "
                       "added INTEGER NOT NULL, skipped INTEGER NOT NULL, "
                       "PRIMARY KEY (schedule_id, slot_ms))"),
        // When a failed or cancelled job was queued again (Retry); the running job's progress
        // (SPEC §1 `progress`), written by the runner as it goes.
        QStringLiteral("ALTER TABLE jobs ADD COLUMN requeued_ms BIGINT"),
        QStringLiteral("ALTER TABLE jobs ADD COLUMN progress_phase TEXT"),
        QStringLiteral("ALTER TABLE jobs ADD COLUMN progress_pages INTEGER"),
        QStringLiteral("ALTER TABLE jobs ADD COLUMN progress_fetched BIGINT"),
        // Every attempt of every job: its start, end, outcome (completed, failed, cancelled,
        // interrupted) and error, kept across Retry. No foreign key: the day's counters count
        // attempts, and survive clearing the jobs they belonged to.
        QStringLiteral("CREATE TABLE job_attempts (job_id BIGINT NOT NULL, "
                       "attempt INTEGER NOT NULL, runner_id TEXT, started_ms BIGINT NOT NULL, "
                       "finished_ms BIGINT, outcome TEXT, error_category TEXT, "
                       "error_message TEXT, fetched BIGINT, PRIMARY KEY (job_id, attempt))"),
        QStringLiteral("CREATE INDEX job_attempts_finished ON job_attempts (finished_ms)"),
        // since_last_success: the latest to_ms of a dealer's completed jobs of a type.
        QStringLiteral("CREATE INDEX jobs_covered ON jobs (dealer_id, fetch_type, to_ms) "
                       "WHERE status = 'completed'"),
    };
}

QStringList version4(bool)
{
    // The history's search and sort of SPEC §7, done by the database over the whole history:
    // each filter column with the default order behind it, and the two computed sort keys
    // exactly as JobStore's ORDER BY spells them.
    return {
        QStringLiteral("CREATE INDEX jobs_history_dealer ON jobs (dealer_id, finished_ms)"),
        QStringLiteral("CREATE INDEX jobs_history_type ON jobs (fetch_type, finished_ms)"),
        QStringLiteral("CREATE INDEX jobs_history_category ON jobs (error_category, finished_ms)"),
        QStringLiteral("CREATE INDEX jobs_history_duration ON jobs "
                       "((COALESCE(finished_ms - started_ms, -1)), id)"),
        QStringLiteral("CREATE INDEX jobs_history_fetched ON jobs ((COALESCE(fetched, -1)), id)"),
    };
}

QStringList version5(bool sqlite)
{
    const QString serial = serialKey(sqlite);
    return {
        // The audit log (SPEC §8): one row per change, written in the change's transaction.
        // `job_ids` lists at most 100 of the jobs it took (comma-separated), `job_count` all.
        QStringLiteral("CREATE TABLE audit (id %1, at_ms BIGINT NOT NULL, actor TEXT NOT NULL, "
                       "action TEXT NOT NULL, job_ids TEXT NOT NULL DEFAULT '', "
                       "job_count BIGINT NOT NULL DEFAULT 0, detail TEXT NOT NULL DEFAULT '')")
            .arg(serial),
        // Newest first is the primary key backwards; these serve the filters with that order.
        QStringLiteral("CREATE INDEX audit_by_action ON audit (action, id)"),
        QStringLiteral("CREATE INDEX audit_by_actor ON audit (actor, id)"),
        // Every job an entry took, so that a job's entries are found exactly, by index. No
        // foreign keys: entries outlive the jobs they name.
        QStringLiteral("CREATE TABLE audit_jobs (job_id BIGINT NOT NULL, "
                       "audit_id BIGINT NOT NULL, PRIMARY KEY (job_id, audit_id))"),
    };
}

QStringList version6(bool sqlite)
{
    const QString serial = serialKey(sqlite);
    return {
        // Named API tokens (SPEC §8): never the token, only the hex SHA-256 of its salt and
        // itself. A revoked token's row is deleted, so its name can be given again.
        QStringLiteral("CREATE TABLE api_tokens (id %1, name TEXT NOT NULL UNIQUE, "
                       "role TEXT NOT NULL CHECK (role IN ('read','operate')), "
                       "salt TEXT NOT NULL, hash TEXT NOT NULL, created_ms BIGINT NOT NULL, "
                       "created_by TEXT NOT NULL, last_used_ms BIGINT)")
            .arg(serial),
    };
}

QStringList version7(bool sqlite)
{
    // The rest of the window's history columns sorted by the database (SPEC §7 `sort`): the
    // window, and the status with the default order behind it. PostgreSQL's error category
    // index is built again with jobs without an error first, as SQLite orders them, so that
    // one ORDER BY reads through it on both backends (JobStore's historyOrder()).
    QStringList steps{
        QStringLiteral("CREATE INDEX jobs_history_window ON jobs (from_ms, to_ms)"),
        QStringLiteral("CREATE INDEX jobs_history_status ON jobs (status, finished_ms)"),
    };
    if (!sqlite)
        steps << QStringLiteral("DROP INDEX jobs_history_category")
              << QStringLiteral("CREATE INDEX jobs_history_category ON jobs "
                                "(error_category NULLS FIRST, finished_ms)");
    return steps;
}

QStringList version8(bool)
{
    return {
        // SPEC §10 ("Insight"). The coverage's records stored per dealer and type, kept by
        // RecordWriter in the transaction that writes them (records are never deleted), so that
        // no read counts the records table. Filled here from the records already stored.
        QStringLiteral("CREATE TABLE record_counts (dealer_id TEXT NOT NULL, "
                       "fetch_type TEXT NOT NULL, records BIGINT NOT NULL, "
                       "PRIMARY KEY (dealer_id, fetch_type))"),
        QStringLiteral("INSERT INTO record_counts (dealer_id, fetch_type, records) "
                       "SELECT dealer_id, fetch_type, COUNT(*) FROM records "
                       "GROUP BY dealer_id, fetch_type"),
        // The coverage read walks each dealer's and type's jobs in this order, from the index
        // alone: last success, covered up to and the latest job's status.
        QStringLiteral("CREATE INDEX jobs_coverage ON jobs "
                       "(dealer_id, fetch_type, finished_ms, status, to_ms)"),
        // The stats read each bucket's range of finished jobs from this index alone.
        QStringLiteral(
            "CREATE INDEX jobs_stats ON jobs (finished_ms, status, started_ms, fetched)"),
    };
}

// Schema 9's figures, kept as jobs change by triggers on `jobs` (in the changing statement's
// transaction, whichever statement changes them: finishing, Retry, removal, retention, Clear
// Completed, or an operator's own SQL), so that they always equal what a scan of the jobs gives.
// `R` is NEW or OLD.

/// A job's coverage key, as JobStore::coverage() orders jobs: finished_ms * 8 + its status's code
/// (unfinished jobs count as finished at 0).
QString coverageKey(const QString &r)
{
    return QStringLiteral("(COALESCE(%1.finished_ms, 0) * 8 + CASE %1.status WHEN 'queued' THEN 1 "
                          "WHEN 'running' THEN 2 WHEN 'completed' THEN 3 WHEN 'failed' THEN 4 "
                          "ELSE 5 END)")
        .arg(r);
}

QString hourOf(const QString &r)
{
    return QStringLiteral("(%1.finished_ms - %1.finished_ms % 3600000)").arg(r);
}

/// The histogram bin (stats_bins) of `r`'s duration.
QString binOf(const QString &r)
{
    return QStringLiteral("(SELECT b.bin FROM stats_bins b WHERE b.lo_ms <= %1.finished_ms - "
                          "%1.started_ms ORDER BY b.lo_ms DESC LIMIT 1)")
        .arg(r);
}

QString countsIn(const QString &r)
{
    return QStringLiteral("(%1.finished_ms IS NOT NULL AND %1.status IN "
                          "('completed', 'failed', 'cancelled'))")
        .arg(r);
}

QString timedIn(const QString &r)
{
    return QStringLiteral("(%1.status = 'completed' AND %1.finished_ms IS NOT NULL AND "
                          "%1.started_ms IS NOT NULL)")
        .arg(r);
}

QString statusCount(const QString &r, const char *status)
{
    return QStringLiteral("CASE WHEN %1.status = '%2' THEN 1 ELSE 0 END").arg(r, status);
}

QString fetchedOf(const QString &r)
{
    return QStringLiteral(
               "CASE WHEN %1.status = 'completed' THEN COALESCE(%1.fetched, 0) ELSE 0 END")
        .arg(r);
}

/// What adds a proposed hour's counts (`excluded`) to the row there.
QString statsHoursConflict()
{
    return QStringLiteral("ON CONFLICT (hour_ms, fetch_type) DO UPDATE SET "
                          "completed = stats_hours.completed + excluded.completed, "
                          "failed = stats_hours.failed + excluded.failed, "
                          "cancelled = stats_hours.cancelled + excluded.cancelled, "
                          "fetched = stats_hours.fetched + excluded.fetched");
}

/// The statements that add finished job `r` to the stats.
QStringList statsIn(const QString &r)
{
    return {
        QStringLiteral("INSERT INTO stats_hours (hour_ms, fetch_type, completed, failed, "
                       "cancelled, fetched) SELECT %1, %2.fetch_type, %3, %4, %5, %6 WHERE %7 ")
                .arg(hourOf(r), r, statusCount(r, "completed"), statusCount(r, "failed"),
                     statusCount(r, "cancelled"), fetchedOf(r), countsIn(r)) +
            statsHoursConflict(),
        QStringLiteral("INSERT INTO stats_durations (hour_ms, bin, completed) "
                       "SELECT %1, %2, 1 WHERE %3 ON CONFLICT (hour_ms, bin) DO UPDATE SET "
                       "completed = stats_durations.completed + 1")
            .arg(hourOf(r), binOf(r), timedIn(r)),
    };
}

/// What merges a proposed coverage row (`excluded`) into the one there: a job only raises its
/// figures, and a row is written only when one rises.
QString coverageConflict()
{
    return QStringLiteral(
        "ON CONFLICT (dealer_id, fetch_type) DO UPDATE SET "
        "last_success_ms = CASE WHEN insight_coverage.last_success_ms IS NULL OR "
        "excluded.last_success_ms > insight_coverage.last_success_ms THEN "
        "excluded.last_success_ms ELSE insight_coverage.last_success_ms END, "
        "covered_to_ms = CASE WHEN insight_coverage.covered_to_ms IS NULL OR "
        "excluded.covered_to_ms > insight_coverage.covered_to_ms THEN "
        "excluded.covered_to_ms ELSE insight_coverage.covered_to_ms END, "
        "last_key = CASE WHEN excluded.last_key > insight_coverage.last_key THEN "
        "excluded.last_key ELSE insight_coverage.last_key END "
        "WHERE excluded.last_key > insight_coverage.last_key OR "
        "(excluded.last_success_ms IS NOT NULL AND (insight_coverage.last_success_ms IS NULL "
        "OR excluded.last_success_ms > insight_coverage.last_success_ms)) OR "
        "(excluded.covered_to_ms IS NOT NULL AND (insight_coverage.covered_to_ms IS NULL "
        "OR excluded.covered_to_ms > insight_coverage.covered_to_ms))");
}

/// The statement that merges job `r` into its dealer's and type's coverage.
QString coverageIn(const QString &r)
{
    return QStringLiteral("INSERT INTO insight_coverage (dealer_id, fetch_type, last_success_ms, "
                          "covered_to_ms, last_key) SELECT %1.dealer_id, %1.fetch_type, "
                          "CASE WHEN %1.status = 'completed' THEN %1.finished_ms END, "
                          "CASE WHEN %1.status = 'completed' THEN %1.to_ms END, %2 WHERE true ")
               .arg(r, coverageKey(r)) +
           coverageConflict();
}

/// The statements that take finished job `r` (no longer in `jobs` as it was) out of the stats.
QStringList statsOut(const QString &r)
{
    return {
        QStringLiteral("UPDATE stats_hours SET completed = completed - %1, failed = failed - %2, "
                       "cancelled = cancelled - %3, fetched = fetched - %4 "
                       "WHERE hour_ms = %5 AND fetch_type = %6.fetch_type AND %7")
            .arg(statusCount(r, "completed"), statusCount(r, "failed"), statusCount(r, "cancelled"),
                 fetchedOf(r), hourOf(r), r, countsIn(r)),
        QStringLiteral("UPDATE stats_durations SET completed = completed - 1 "
                       "WHERE %1 AND hour_ms = %2 AND bin = %3")
            .arg(timedIn(r), hourOf(r), binOf(r)),
    };
}

/// The statements that take job `r` (no longer in `jobs` as it was) out of the coverage.
QStringList coverageOut(const QString &r)
{
    const QString pair =
        QStringLiteral("j.dealer_id = %1.dealer_id AND j.fetch_type = %1.fetch_type").arg(r);
    return {
        // A dealer and type without jobs has no row.
        QStringLiteral("DELETE FROM insight_coverage WHERE dealer_id = %1.dealer_id AND "
                       "fetch_type = %1.fetch_type AND NOT EXISTS (SELECT 1 FROM jobs j WHERE %2)")
            .arg(r, pair),
        // Read again from its jobs (the jobs_coverage index) only when the job could have been
        // what set a figure; an older job leaves them as they are.
        QStringLiteral("UPDATE insight_coverage SET "
                       "last_success_ms = (SELECT MAX(j.finished_ms) FROM jobs j WHERE %2 AND "
                       "j.status = 'completed'), "
                       "covered_to_ms = (SELECT MAX(j.to_ms) FROM jobs j WHERE %2 AND "
                       "j.status = 'completed'), "
                       "last_key = (SELECT MAX(%3) FROM jobs j WHERE %2) "
                       "WHERE dealer_id = %1.dealer_id AND fetch_type = %1.fetch_type AND "
                       "(last_key <= %4 OR (%1.status = 'completed' AND "
                       "(last_success_ms <= %1.finished_ms OR covered_to_ms <= %1.to_ms)))")
            .arg(r, pair, coverageKey(QStringLiteral("j")), coverageKey(r)),
    };
}

/// What schema 9's triggers are made of (`NEW` and `OLD` being the changed job's rows). A job's
/// change takes its old self out and puts its new self in, each statement only where it can
/// change something: the stats for finished jobs, the coverage's row read again only when the
/// change could lower it (Retry, a requeue, a removal, an edit); claiming and finishing only
/// raise it, and merge. An update that changes none of the columns the figures read fires
/// nothing (a running job's progress).
struct JobFigures
{
    QString statsColumns = QStringLiteral("status, finished_ms, started_ms, fetched, fetch_type");
    QString coverageColumns = QStringLiteral("status, finished_ms, to_ms, dealer_id, fetch_type");
    /// Whether an update changed any of `columns`.
    std::function<QString(const QString &columns)> changed;
    /// NEW is at least OLD in every coverage figure: its row needs no reading again.
    QString raises;
    QString statsOld, statsNew, coverageOld, coverageNew, countsOld, countsNew;
};

JobFigures jobFigures(bool sqlite)
{
    JobFigures f;
    f.changed = [sqlite](const QString &columns) {
        QStringList any;
        for (const QString &column : columns.split(QStringLiteral(", ")))
            any << QStringLiteral("OLD.%1 IS %2 NEW.%1")
                       .arg(column,
                            sqlite ? QStringLiteral("NOT") : QStringLiteral("DISTINCT FROM"));
        return QStringLiteral("(%1)").arg(any.join(QStringLiteral(" OR ")));
    };
    f.raises =
        QStringLiteral("COALESCE(OLD.dealer_id = NEW.dealer_id AND OLD.fetch_type = "
                       "NEW.fetch_type AND %1 >= %2 AND (OLD.status <> 'completed' OR "
                       "(NEW.status = 'completed' AND NEW.finished_ms >= OLD.finished_ms AND "
                       "NEW.to_ms >= OLD.to_ms)), false)")
            .arg(coverageKey(QStringLiteral("NEW")), coverageKey(QStringLiteral("OLD")));
    const auto join = [](const QStringList &statements) {
        return statements.join(QStringLiteral("; "));
    };
    f.statsOld = join(statsOut(QStringLiteral("OLD")));
    f.statsNew = join(statsIn(QStringLiteral("NEW")));
    f.coverageOld = join(coverageOut(QStringLiteral("OLD")));
    f.coverageNew = coverageIn(QStringLiteral("NEW"));
    f.countsOld = countsIn(QStringLiteral("OLD"));
    f.countsNew = countsIn(QStringLiteral("NEW"));
    return f;
}

/// PostgreSQL's part of an update to a job in jobs_figures(): the old self out, the new in,
/// each where it can change something (schema 9).
QString updateFigures(const JobFigures &f)
{
    return QStringLiteral("IF %1 THEN IF %2 THEN %3; END IF; IF %4 THEN %5; END IF; END IF; "
                          "IF %6 THEN IF NOT %7 THEN %8; END IF; %9; END IF; ")
        .arg(f.changed(f.statsColumns), f.countsOld, f.statsOld, f.countsNew, f.statsNew,
             f.changed(f.coverageColumns), f.raises, f.coverageOld, f.coverageNew);
}

QStringList version9(bool sqlite)
{
    // SPEC §10 ("Insight") read in time independent of the jobs: figures kept as jobs change.
    // Read by primary key ranges: on SQLite the key is the table (WITHOUT ROWID); on PostgreSQL
    // the key's index holds the counts too (INCLUDE), so that the reads are index-only scans and
    // never visit the heap's pages, which the triggers' updates scatter (25 ms against 80 ms for
    // the 30-day histogram at 1,000,000 jobs).
    const QString rowid = sqlite ? QStringLiteral(" WITHOUT ROWID") : QString();
    const auto include = [sqlite](const char *columns) {
        return sqlite ? QString() : QStringLiteral(" INCLUDE (%1)").arg(QLatin1String(columns));
    };
    QString bins;
    for (int bin = 0; bin < StatsDurationBins; ++bin)
        bins += QStringLiteral("%1(%2, %3)")
                    .arg(bin ? QStringLiteral(", ") : QString())
                    .arg(bin ? statsDurationBinLowMs(bin) : Q_INT64_C(-9223372036854775807))
                    .arg(bin);
    QStringList steps{
        // The duration histogram's bins (statsDurationBin()): the lowest duration of each.
        QStringLiteral("CREATE TABLE stats_bins (lo_ms BIGINT PRIMARY KEY, bin INTEGER NOT NULL)%1")
            .arg(rowid),
        QStringLiteral("INSERT INTO stats_bins (lo_ms, bin) VALUES %1").arg(bins),
        // Per UTC hour (by finished_ms) and fetch type: the finished jobs by status and the
        // records the completed ones fetched; per UTC hour, the completed jobs' durations by bin.
        QStringLiteral("CREATE TABLE stats_hours (hour_ms BIGINT NOT NULL, "
                       "fetch_type TEXT NOT NULL, completed BIGINT NOT NULL, "
                       "failed BIGINT NOT NULL, cancelled BIGINT NOT NULL, "
                       "fetched BIGINT NOT NULL, PRIMARY KEY (hour_ms, fetch_type)%1)%2")
            .arg(include("completed, failed, cancelled, fetched"), rowid),
        QStringLiteral("CREATE TABLE stats_durations (hour_ms BIGINT NOT NULL, "
                       "bin INTEGER NOT NULL, completed BIGINT NOT NULL, "
                       "PRIMARY KEY (hour_ms, bin)%1)%2")
            .arg(include("completed"), rowid),
        // Per dealer and type with any job: the latest finished_ms and to_ms of its completed
        // jobs and the greatest coverage key (coverageKey()) of its jobs.
        QStringLiteral("CREATE TABLE insight_coverage (dealer_id TEXT NOT NULL, "
                       "fetch_type TEXT NOT NULL, last_success_ms BIGINT, covered_to_ms BIGINT, "
                       "last_key BIGINT NOT NULL, PRIMARY KEY (dealer_id, fetch_type))%1")
            .arg(rowid),
        // The freshness filters: stale and never by the last success, failing by the status.
        QStringLiteral("CREATE INDEX insight_coverage_success ON insight_coverage "
                       "(last_success_ms, dealer_id, fetch_type)"),
        QStringLiteral("CREATE INDEX insight_coverage_status ON insight_coverage "
                       "((last_key % 8), dealer_id, fetch_type)"),
        // Filled from the jobs there are.
        QStringLiteral("INSERT INTO stats_hours (hour_ms, fetch_type, completed, failed, "
                       "cancelled, fetched) SELECT %1, j.fetch_type, SUM(%2), SUM(%3), SUM(%4), "
                       "SUM(%5) FROM jobs j WHERE %6 GROUP BY %1, j.fetch_type")
            .arg(hourOf("j"), statusCount("j", "completed"), statusCount("j", "failed"),
                 statusCount("j", "cancelled"), fetchedOf("j"), countsIn("j")),
        QStringLiteral(
            "INSERT INTO stats_durations (hour_ms, bin, completed) "
            "SELECT h, b, COUNT(*) FROM (SELECT %1 AS h, %2 AS b FROM jobs j WHERE %3) s "
            "GROUP BY h, b")
            .arg(hourOf("j"), binOf("j"), timedIn("j")),
        QStringLiteral("INSERT INTO insight_coverage (dealer_id, fetch_type, last_success_ms, "
                       "covered_to_ms, last_key) SELECT j.dealer_id, j.fetch_type, "
                       "MAX(CASE WHEN j.status = 'completed' THEN j.finished_ms END), "
                       "MAX(CASE WHEN j.status = 'completed' THEN j.to_ms END), MAX(%1) "
                       "FROM jobs j GROUP BY j.dealer_id, j.fetch_type")
            .arg(coverageKey("j")),
    };
    // Kept from here on, by triggers.
    const JobFigures f = jobFigures(sqlite);
    if (sqlite) {
        const auto trigger = [](const QString &name, const QString &event, const QString &when,
                                const QString &body) {
            return QStringLiteral("CREATE TRIGGER %1 AFTER %2 ON jobs%3 BEGIN %4; END")
                .arg(name, event, when.isEmpty() ? QString() : QStringLiteral(" WHEN ") + when,
                     body);
        };
        const QString statsUpdate = QStringLiteral("UPDATE OF %1").arg(f.statsColumns);
        const QString coverageUpdate = QStringLiteral("UPDATE OF %1").arg(f.coverageColumns);
        steps << trigger(QStringLiteral("jobs_coverage_insert"), QStringLiteral("INSERT"), {},
                         f.coverageNew)
              << trigger(QStringLiteral("jobs_stats_insert"), QStringLiteral("INSERT"), f.countsNew,
                         f.statsNew)
              << trigger(QStringLiteral("jobs_stats_update_out"), statsUpdate,
                         f.countsOld + QStringLiteral(" AND ") + f.changed(f.statsColumns),
                         f.statsOld)
              << trigger(QStringLiteral("jobs_stats_update_in"), statsUpdate,
                         f.countsNew + QStringLiteral(" AND ") + f.changed(f.statsColumns),
                         f.statsNew)
              << trigger(QStringLiteral("jobs_coverage_update_out"), coverageUpdate,
                         QStringLiteral("NOT ") + f.raises, f.coverageOld)
              << trigger(QStringLiteral("jobs_coverage_update_in"), coverageUpdate,
                         f.changed(f.coverageColumns), f.coverageNew)
              << trigger(QStringLiteral("jobs_stats_delete"), QStringLiteral("DELETE"), f.countsOld,
                         f.statsOld)
              << trigger(QStringLiteral("jobs_coverage_delete"), QStringLiteral("DELETE"), {},
                         f.coverageOld);
    } else {
        steps << QStringLiteral(
                     "CREATE FUNCTION jobs_figures() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                     "IF TG_OP = 'INSERT' THEN %1; IF %2 THEN %3; END IF; RETURN NULL; END IF; "
                     "IF TG_OP = 'DELETE' THEN IF %4 THEN %5; END IF; %6; RETURN NULL; END IF; ")
                         .arg(f.coverageNew, f.countsNew, f.statsNew, f.countsOld, f.statsOld,
                              f.coverageOld) +
                     updateFigures(f) + QStringLiteral("RETURN NULL; END $$")
              << QStringLiteral("CREATE TRIGGER jobs_figures_insert_delete AFTER INSERT OR DELETE "
                                "ON jobs FOR EACH ROW EXECUTE FUNCTION jobs_figures()")
              << QStringLiteral("CREATE TRIGGER jobs_figures_update AFTER UPDATE OF %1 ON jobs "
                                "FOR EACH ROW WHEN (%2 OR %3) EXECUTE FUNCTION jobs_figures()")
                     .arg(QStringLiteral("status, finished_ms, started_ms, fetched, to_ms, "
                                         "dealer_id, fetch_type"),
                          f.changed(f.statsColumns), f.changed(f.coverageColumns));
    }
    return steps;
}

QStringList version10(bool sqlite)
{
    // PostgreSQL keeps the figures of the jobs an INSERT adds or a DELETE removes once per
    // statement, from its transition table, instead of once per job: a bulk add of 10,000 jobs,
    // a bulk removal and each retention batch run three or four set-based statements, the
    // coverage read again once per dealer and type rather than once per job. The figures come
    // out the same: the stats add up, the coverage merges by MAX, and the coverage read again
    // after the whole statement is what reading it after each job would have left. An update
    // keeps schema 9's trigger for each row. SQLite has no statement triggers: it keeps schema
    // 9's.
    //
    // Both: where the queue ends (MAX(position) over every job, read by each add) from one end
    // of an index of its own instead of a walk of every job (95 ms on PostgreSQL at 1,000,000).
    const QString positions = QStringLiteral("CREATE INDEX jobs_position ON jobs (position)");
    if (sqlite)
        return {positions};
    const JobFigures f = jobFigures(false);
    const QString j = QStringLiteral("j");
    const QString completedOnly = QStringLiteral("CASE WHEN j.status = 'completed' THEN j.%1 END");
    const QString added =
        QStringLiteral(
            "INSERT INTO insight_coverage (dealer_id, fetch_type, last_success_ms, "
            "covered_to_ms, last_key) SELECT j.dealer_id, j.fetch_type, MAX(%1), MAX(%2), "
            "MAX(%3) FROM added_jobs j GROUP BY j.dealer_id, j.fetch_type ")
            .arg(completedOnly.arg(QStringLiteral("finished_ms")),
                 completedOnly.arg(QStringLiteral("to_ms")), coverageKey(j)) +
        coverageConflict() +
        QStringLiteral("; INSERT INTO stats_hours (hour_ms, fetch_type, completed, failed, "
                       "cancelled, fetched) SELECT %1, j.fetch_type, SUM(%2), SUM(%3), SUM(%4), "
                       "SUM(%5) FROM added_jobs j WHERE %6 GROUP BY %1, j.fetch_type ")
            .arg(hourOf(j), statusCount(j, "completed"), statusCount(j, "failed"),
                 statusCount(j, "cancelled"), fetchedOf(j), countsIn(j)) +
        statsHoursConflict() +
        QStringLiteral("; INSERT INTO stats_durations (hour_ms, bin, completed) "
                       "SELECT h, b, COUNT(*) FROM (SELECT %1 AS h, %2 AS b FROM added_jobs j "
                       "WHERE %3) s GROUP BY h, b ON CONFLICT (hour_ms, bin) DO UPDATE SET "
                       "completed = stats_durations.completed + excluded.completed")
            .arg(hourOf(j), binOf(j), timedIn(j));
    const QString sameJobs = QStringLiteral("j.dealer_id = o.dealer_id AND j.fetch_type = "
                                            "o.fetch_type");
    const QString removed =
        QStringLiteral("UPDATE stats_hours s SET completed = s.completed - o.completed, "
                       "failed = s.failed - o.failed, cancelled = s.cancelled - o.cancelled, "
                       "fetched = s.fetched - o.fetched FROM (SELECT %1 AS hour_ms, j.fetch_type, "
                       "SUM(%2) AS completed, SUM(%3) AS failed, SUM(%4) AS cancelled, SUM(%5) "
                       "AS fetched FROM removed_jobs j WHERE %6 GROUP BY %1, j.fetch_type) o "
                       "WHERE s.hour_ms = o.hour_ms AND s.fetch_type = o.fetch_type")
            .arg(hourOf(j), statusCount(j, "completed"), statusCount(j, "failed"),
                 statusCount(j, "cancelled"), fetchedOf(j), countsIn(j)) +
        QStringLiteral("; UPDATE stats_durations s SET completed = s.completed - o.completed "
                       "FROM (SELECT %1 AS hour_ms, %2 AS bin, COUNT(*) AS completed "
                       "FROM removed_jobs j WHERE %3 GROUP BY 1, 2) o "
                       "WHERE s.hour_ms = o.hour_ms AND s.bin = o.bin")
            .arg(hourOf(j), binOf(j), timedIn(j)) +
        // A dealer and type without jobs has no row; the others' rows are read again from their
        // jobs (the jobs_coverage index) only when a job removed could have set a figure.
        QStringLiteral("; DELETE FROM insight_coverage o WHERE (o.dealer_id, o.fetch_type) IN "
                       "(SELECT dealer_id, fetch_type FROM removed_jobs) AND NOT EXISTS "
                       "(SELECT 1 FROM jobs j WHERE %1)")
            .arg(sameJobs) +
        QStringLiteral("; UPDATE insight_coverage o SET "
                       "last_success_ms = (SELECT MAX(j.finished_ms) FROM jobs j WHERE %1 AND "
                       "j.status = 'completed'), "
                       "covered_to_ms = (SELECT MAX(j.to_ms) FROM jobs j WHERE %1 AND "
                       "j.status = 'completed'), "
                       "last_key = (SELECT MAX(%2) FROM jobs j WHERE %1) "
                       "FROM (SELECT j.dealer_id, j.fetch_type, MAX(%3) AS last_success_ms, "
                       "MAX(%4) AS covered_to_ms, MAX(%2) AS last_key FROM removed_jobs j "
                       "GROUP BY j.dealer_id, j.fetch_type) r "
                       "WHERE o.dealer_id = r.dealer_id AND o.fetch_type = r.fetch_type AND "
                       "(o.last_key <= r.last_key OR o.last_success_ms <= r.last_success_ms OR "
                       "o.covered_to_ms <= r.covered_to_ms)")
            .arg(sameJobs, coverageKey(j), completedOnly.arg(QStringLiteral("finished_ms")),
                 completedOnly.arg(QStringLiteral("to_ms")));
    return {
        positions,
        QStringLiteral("DROP TRIGGER jobs_figures_insert_delete ON jobs"),
        QStringLiteral("CREATE OR REPLACE FUNCTION jobs_figures() RETURNS trigger LANGUAGE "
                       "plpgsql AS $$ BEGIN ") +
            updateFigures(f) + QStringLiteral("RETURN NULL; END $$"),
        QStringLiteral("CREATE FUNCTION jobs_figures_added() RETURNS trigger LANGUAGE plpgsql "
                       "AS $$ BEGIN ") +
            added + QStringLiteral("; RETURN NULL; END $$"),
        QStringLiteral("CREATE FUNCTION jobs_figures_removed() RETURNS trigger LANGUAGE plpgsql "
                       "AS $$ BEGIN ") +
            removed + QStringLiteral("; RETURN NULL; END $$"),
        QStringLiteral("CREATE TRIGGER jobs_figures_insert AFTER INSERT ON jobs REFERENCING "
                       "NEW TABLE AS added_jobs FOR EACH STATEMENT EXECUTE FUNCTION "
                       "jobs_figures_added()"),
        QStringLiteral("CREATE TRIGGER jobs_figures_delete AFTER DELETE ON jobs REFERENCING "
                       "OLD TABLE AS removed_jobs FOR EACH STATEMENT EXECUTE FUNCTION "
                       "jobs_figures_removed()"),
    };
}

QStringList version11(bool sqlite)
{
    // The history's columns the window hides, sorted by the database through an index each
    // (SPEC §7 `sort`; the scale issue's first page of any sort): without one a first page read
    // and sorted every finished job, 140 ms to 1.34 s on SQLite at 1,000,000. Each holds finished
    // jobs only, so that an add, a claim and a bulk add of queued jobs write none of them. SQLite
    // reads a partial index only for a query that names its condition word for word: the history's
    // (JobStore::history()), which keeps SQLite off the status index with a "+". The keys are
    // spelled as its ORDER BY spells them; PostgreSQL's started_ms puts jobs that never started
    // first, as SQLite's NULLs sort.
    const QString finished =
        QStringLiteral(" WHERE %1status IN %2")
            .arg(sqlite ? QStringLiteral("+") : QString(), JobRows::FinishedStatuses);
    const auto index = [&](const char *name, const QString &key) {
        return QStringLiteral("CREATE INDEX jobs_history_%1 ON jobs (%2, id)")
                   .arg(QLatin1String(name), key) +
               finished;
    };
    return {
        index("priority", QStringLiteral("priority")),
        index("created", QStringLiteral("created_ms")),
        index("started",
              sqlite ? QStringLiteral("started_ms") : QStringLiteral("started_ms NULLS FIRST")),
        index("attempts", QStringLiteral("attempts")),
        index("pages", QStringLiteral("(COALESCE(pages, -1))")),
        index("inserted", QStringLiteral("(COALESCE(inserted, -1))")),
        index("updated", QStringLiteral("(COALESCE(updated, -1))")),
    };
}

QStringList version12(bool)
{
    // The history's text search (SPEC §7 `q`, a substring of the dealer ID or the error message)
    // read every finished job: about 0.9 s at 1,000,000 for a dealer's ID, page and total alike.
    // JobStore reads the few jobs that can match instead (textCandidates() then, markedJobs()
    // since version 13): its dealers' through their index, and the messages through these, which
    // hold only jobs with one (failed and cancelled ones) and are read whole without the table (the
    // ID said for PostgreSQL, whose index holds no key of its own as SQLite's does). PostgreSQL
    // refuses an index entry over about 2,700 bytes, so a message over 400 characters (none dealerq
    // writes today; 1,600 bytes at most under it) goes to an index of its own, by its ID, which is
    // read with the table.
    return {
        QStringLiteral("CREATE INDEX jobs_history_messages ON jobs (error_message, id) "
                       "WHERE error_message IS NOT NULL AND LENGTH(error_message) <= 400"),
        QStringLiteral("CREATE INDEX jobs_history_long_messages ON jobs (id) "
                       "WHERE LENGTH(error_message) > 400"),
    };
}

QStringList version13(bool sqlite)
{
    // A text that goes with how jobs ended ("500": the message of every failed job, 100,000 of
    // 1,000,000) has too many candidates to look each one up, and a walk of an order that goes
    // with how jobs ended passes the other jobs first (PostgreSQL: 370 ms by status ascending).
    // JobStore reads such a text's matches from the message index alone, their sort columns
    // with them, and looks up only the page's (markedJobs()). The index holds failed and
    // cancelled jobs alone, so the columns cost little; SQLite has no INCLUDE and keys them.
    // A status or error category filter that holds to failed and cancelled jobs reads them the
    // same way (100,000 failed jobs sorted by status: 190-235 ms on PostgreSQL through the
    // status index and the table), the few such jobs without a message (none that dealerq
    // writes) through an index of their own.
    const QString columns =
        QStringLiteral("status, finished_ms, started_ms, dealer_id, fetch_type, error_category, "
                       "from_ms, to_ms, priority, created_ms, attempts, pages, fetched, "
                       "inserted, updated");
    return {
        QStringLiteral("DROP INDEX jobs_history_messages"),
        QStringLiteral("CREATE INDEX jobs_history_messages ON jobs (error_message, id%1) "
                       "WHERE error_message IS NOT NULL AND LENGTH(error_message) <= 400")
            .arg(sqlite ? QStringLiteral(", ") + columns : QStringLiteral(") INCLUDE (") + columns),
        QStringLiteral("CREATE INDEX jobs_history_unexplained ON jobs (id) WHERE error_message IS "
                       "NULL AND (status IN ('failed','cancelled') OR error_category IS NOT NULL)"),
    };
}

struct Migration
{
    int version;
    QStringList (*statements)(bool sqlite);
};

// Each step brings the schema from version - 1 to version. Never edit a released step: add one.
constexpr Migration Migrations[] = {
    {1, version1},   {2, version2},   {3, version3},  {4, version4}, {5, version5},
    {6, version6},   {7, version7},   {8, version8},  {9, version9}, {10, version10},
    {11, version11}, {12, version12}, {13, version13}};
static_assert(std::size(Migrations) == NewestSchemaVersion &&
                  Migrations[std::size(Migrations) - 1].version == NewestSchemaVersion,
              "NewestSchemaVersion is the last migration's version");

/// The schema version of the database open on `db`: 0 when it holds no tables yet; nothing, with
/// *error saying why, when it is not dealerq's, is damaged or is newer than this build.
std::optional<int> readSchemaVersion(Database &db, StoreError *error)
{
    const QString where = db.url().displayString();
    QSqlQuery q(db.db());
    q.prepare(db.isSqlite()
                  ? QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table' "
                                   "AND name NOT LIKE 'sqlite_%'")
                  : QStringLiteral("SELECT table_name FROM information_schema.tables WHERE "
                                   "table_schema = current_schema()"));
    if (!exec(db, q, error, QStringLiteral("reading the schema")))
        return std::nullopt;
    QStringList tables;
    while (q.next())
        tables << q.value(0).toString();
    if (tables.isEmpty())
        return 0;
    if (!tables.contains(QStringLiteral("meta"))) {
        if (error)
            *error = {StoreError::Kind::Invalid,
                      QStringLiteral("%1 is not a dealerq database (it holds other tables: %2); "
                                     "point --db at a new file or an empty database")
                          .arg(where, tables.mid(0, 5).join(QStringLiteral(", "))),
                      QStringLiteral("db"), 0};
        return std::nullopt;
    }
    const auto foreign = [&]() -> std::optional<int> {
        if (error)
            *error = {StoreError::Kind::Invalid,
                      QStringLiteral("%1 is not a dealerq database (its tables %2 are not "
                                     "dealerq's); point --db at a new file or an empty database")
                          .arg(where, tables.mid(0, 5).join(QStringLiteral(", "))),
                      QStringLiteral("db"), 0};
        return std::nullopt;
    };
    // A table called meta is not enough: it must hold our schema version, as a number.
    if (!q.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'")))
        return foreign();
    if (!q.next())
        return tables.size() > 1 ? foreign() : std::optional<int>(0);
    bool numeric = false;
    const int version = q.value(0).toString().toInt(&numeric);
    if (!numeric || version < 1) {
        if (error)
            *error = {StoreError::Kind::Invalid,
                      QStringLiteral("%1 has an unreadable schema version \"%2\"; restore it from "
                                     "a backup")
                          .arg(where, printableText(q.value(0).toString())),
                      QStringLiteral("db"), 0};
        return std::nullopt;
    }
    if (version > NewestSchemaVersion) {
        if (error)
            *error = {StoreError::Kind::Invalid,
                      QStringLiteral("%1 was written by a newer dealerq (schema version %2; this "
                                     "build knows up to %3); upgrade dealerq to use it")
                          .arg(where)
                          .arg(version)
                          .arg(NewestSchemaVersion),
                      QStringLiteral("db"), 0};
        return std::nullopt;
    }
    // Every table this version has must be there.
    QStringList missing;
    struct Table
    {
        const char *name;
        int since; ///< the schema version that added it
    };
    for (const Table table :
         {Table{"jobs", 1}, Table{"records", 1}, Table{"job_logs", 2}, Table{"schedules", 3},
          Table{"schedule_fires", 3}, Table{"job_attempts", 3}, Table{"audit", 5},
          Table{"audit_jobs", 5}, Table{"api_tokens", 6}, Table{"record_counts", 8},
          Table{"stats_bins", 9}, Table{"stats_hours", 9}, Table{"stats_durations", 9},
          Table{"insight_coverage", 9}}) {
        if (version >= table.since && !tables.contains(QLatin1String(table.name)))
            missing << QLatin1String(table.name);
    }
    if (!missing.isEmpty()) {
        if (error)
            *error = {StoreError::Kind::Invalid,
                      QStringLiteral("%1 is damaged: no such table: %2; restore it from a backup")
                          .arg(where, missing.join(QStringLiteral(", "))),
                      QStringLiteral("db"), 0};
        return std::nullopt;
    }
    return version;
}

} // namespace

bool migrateSchema(Database &db, int targetVersion, StoreError *error)
{
    // Most opens find the schema current and need no write at all (a read-only file included).
    const std::optional<int> current = readSchemaVersion(db, error);
    if (!current)
        return false;
    if (*current >= targetVersion)
        return true;

    const bool sqlite = db.isSqlite();
    const QString where = db.url().displayString();
    WriteTransaction tx(db);
    QString why;
    if (!tx.begin(&why)) {
        setDatabaseError(error,
                         QStringLiteral("cannot write to the database %1: %2").arg(where, why));
        return false;
    }
    QSqlQuery q(db.db());
    if (!sqlite) {
        // Instances that start together migrate once: the others wait here.
        q.prepare(QStringLiteral("SELECT pg_advisory_xact_lock(7321001)"));
        if (!exec(db, q, error, QStringLiteral("waiting for the migration lock")))
            return false;
    }
    // Read again under the lock: another instance may have migrated meanwhile.
    const std::optional<int> locked = readSchemaVersion(db, error);
    if (!locked)
        return false;
    int version = *locked;
    // Statements without parameters run unprepared: PostgreSQL cannot prepare DDL.
    if (version == 0 &&
        !q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, "
                               "value TEXT NOT NULL)")))
        return fail(db, error, q, QStringLiteral("creating the schema"));
    for (const Migration &step : Migrations) {
        if (step.version <= version || step.version > targetVersion)
            continue;
        for (const QString &sql : step.statements(sqlite)) {
            if (!q.exec(sql))
                return fail(db, error, q,
                            QStringLiteral("migrating to schema version %1").arg(step.version));
        }
        version = step.version;
    }
    q.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    q.addBindValue(QString::number(version));
    if (!exec(db, q, error, QStringLiteral("writing settings")))
        return false;
    if (!tx.commit(&why)) {
        setDatabaseError(error,
                         QStringLiteral("cannot commit the schema of %1: %2").arg(where, why));
        return false;
    }
    // A new database is routine (debug); a migration changes what an older dealerq can read.
    if (*locked == 0)
        qCDebug(lcStore).noquote()
            << QStringLiteral("created the schema (version %1) in %2").arg(version).arg(where);
    else if (version != *locked)
        qCInfo(lcStore).noquote() << "migrated" << where << "from schema version" << *locked << "to"
                                  << version;
    return true;
}
