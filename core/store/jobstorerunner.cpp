// JobStore's side for the runner: claiming the next job, recording how an attempt ended (with
// its records, through RecordWriter), and putting cut-off jobs back. The queue's side is in
// jobstore.cpp.
#include "store/jobstore.h"

#include "job/fetchedrecord.h"
#include "log/logging.h"
#include "store/commitnotice.h"
#include "store/jobrows_p.h"
#include "store/recordspool.h"
#include "store/recordwriter.h"

#include <QDateTime>
#include <QDir>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

using namespace JobRows;

std::optional<Job> JobStore::claimNext(const QString &runnerId, StoreError *error)
{
    // A cheap read first: an idle runner polls, and needs no write lock to see an empty queue.
    {
        const std::optional<bool> pending = hasPendingJobs(error);
        if (!pending)
            return std::nullopt;
        if (!*pending) {
            if (error)
                error->kind = StoreError::Kind::None;
            return std::nullopt;
        }
    }
    WriteTransaction tx(*m_db);
    QString why;
    if (!tx.begin(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot claim the next job: %1").arg(why));
        return std::nullopt;
    }
    const std::optional<Job> claimed = claimInTransaction(runnerId, error);
    if (!claimed)
        return std::nullopt;
    if (!tx.commit(&why)) {
        transactionFailed(tx, error, QStringLiteral("cannot claim the next job: %1").arg(why));
        return std::nullopt;
    }
    return claimed;
}

std::optional<Job> JobStore::claimInTransaction(const QString &runnerId, StoreError *error)
{
    // One statement: the first job in run order is marked running and read back. Its attempt is
    // kept from now on (the details' list; the day's counters once it ends): on PostgreSQL in
    // the same statement, one round trip to the server fewer for every job.
    const QString claim =
        QStringLiteral("UPDATE jobs SET status = 'running', attempts = attempts + 1, "
                       "started_ms = ?, finished_ms = NULL, runner_id = ?, "
                       "cancel_requested = 0, progress_phase = NULL, progress_pages = NULL, "
                       "progress_fetched = NULL WHERE status = 'queued' AND id = (SELECT id "
                       "FROM jobs WHERE status = 'queued' ORDER BY %1 LIMIT 1%2) "
                       "RETURNING %3")
            .arg(RunOrder, m_db->isSqlite() ? QString() : QStringLiteral(" FOR UPDATE SKIP LOCKED"),
                 JobColumns);
    const QString recordAttempt =
        QStringLiteral("INSERT INTO job_attempts (job_id, attempt, runner_id, started_ms) %1 "
                       "ON CONFLICT (job_id, attempt) DO NOTHING");
    QSqlQuery &q = m_db->prepared(
        m_db->isSqlite()
            ? claim
            : QStringLiteral("WITH claimed AS (%1), attempt AS (%2) SELECT %3 FROM claimed")
                  .arg(claim,
                       recordAttempt.arg(QStringLiteral(
                           "SELECT id, attempts, runner_id, started_ms FROM claimed")),
                       JobColumns));
    const FinishOnExit finishQ(q);
    q.addBindValue(nowMs());
    q.addBindValue(runnerId);
    if (!exec(q, error, QStringLiteral("claiming the next job")))
        return std::nullopt;
    if (!q.next()) {
        if (error)
            error->kind = StoreError::Kind::None;
        return std::nullopt;
    }
    const Job claimed = jobFromQuery(q);
    q.finish();
    if (!m_db->isSqlite())
        return claimed;
    QSqlQuery &attempt = m_db->prepared(recordAttempt.arg(QStringLiteral("VALUES (?, ?, ?, ?)")));
    const FinishOnExit finishAttempt(attempt);
    attempt.addBindValue(claimed.id);
    attempt.addBindValue(claimed.attempts);
    attempt.addBindValue(runnerId);
    attempt.addBindValue(claimed.startedMs);
    if (!exec(attempt, error, QStringLiteral("recording the attempt of job %1").arg(claimed.id)))
        return std::nullopt;
    return claimed;
}

std::optional<bool> JobStore::isCancelRequested(qint64 id, StoreError *error)
{
    QSqlQuery &q = m_db->prepared(QStringLiteral("SELECT cancel_requested FROM jobs WHERE id = ?"));
    const FinishOnExit finishQ(q);
    q.addBindValue(id);
    if (!exec(q, error, QStringLiteral("reading job %1").arg(id)))
        return std::nullopt;
    return q.next() && q.value(0).toInt() != 0;
}

bool JobStore::insertLog(qint64 jobId, const QVector<LogLine> &log, StoreError *error)
{
    // Up to four lines a statement: a job's end writes two or three, and on PostgreSQL each
    // statement is a round trip to the server.
    constexpr qsizetype MostAtOnce = 4;
    for (qsizetype at = 0; at < log.size(); at += MostAtOnce) {
        const qsizetype lines = qMin(MostAtOnce, log.size() - at);
        QString sql =
            QStringLiteral("INSERT INTO job_logs (job_id, at_ms, message) VALUES (?, ?, ?)");
        for (qsizetype i = 1; i < lines; ++i)
            sql += QStringLiteral(", (?, ?, ?)");
        QSqlQuery &q = m_db->prepared(sql);
        const FinishOnExit finishQ(q);
        for (qsizetype i = 0; i < lines; ++i) {
            q.addBindValue(jobId);
            q.addBindValue(log.at(at + i).atMs);
            q.addBindValue(log.at(at + i).message);
        }
        if (!exec(q, error, QStringLiteral("writing the log of job %1").arg(jobId)))
            return false;
    }
    return true;
}

bool JobStore::appendLog(qint64 jobId, const QString &message, StoreError *error)
{
    return insertLog(jobId, {{nowMs(), message}}, error);
}

bool JobStore::setProgress(qint64 jobId, const QString &runnerId, const JobProgress &progress,
                           StoreError *error)
{
    // On PostgreSQL the write does not wait for the server to flush its WAL: that flush takes
    // with it every change logged before this one (a retention batch, another instance's bulk
    // action) and can take 100 ms on a busy disk. Progress is a hint the next write replaces;
    // a server crash can lose the last one, and the job it belongs to is run again anyway.
    const bool relaxed = !m_db->isSqlite();
    const QString what = QStringLiteral("recording the progress of job %1").arg(jobId);
    // Each failure told as the update's is, a lost connection noted.
    const auto run = [&](const QString &sql) {
        QSqlQuery step(m_db->db());
        return step.exec(sql) || fail(error, step, what);
    };
    if (relaxed && (!run(QStringLiteral("BEGIN")) ||
                    !run(QStringLiteral("SET LOCAL synchronous_commit TO off")))) {
        m_db->exec(QStringLiteral("ROLLBACK"));
        return false;
    }
    auto closeTransaction = qScopeGuard([&] {
        if (relaxed)
            m_db->exec(QStringLiteral("ROLLBACK")); // a failed write; a committed one has ended it
    });
    QSqlQuery &q = m_db->prepared(
        QStringLiteral("UPDATE jobs SET progress_phase = ?, progress_pages = ?, "
                       "progress_fetched = ? WHERE id = ? AND status = 'running' AND "
                       "runner_id = ?"));
    const FinishOnExit finishQ(q);
    q.addBindValue(jobPhaseName(progress.phase));
    q.addBindValue(progress.pages);
    q.addBindValue(progress.fetched);
    q.addBindValue(jobId);
    q.addBindValue(runnerId);
    if (!exec(q, error, what))
        return false;
    if (relaxed && !run(QStringLiteral("COMMIT")))
        return false;
    closeTransaction.dismiss();
    return true;
}

bool JobStore::setRunnerHolder(const QString &holder, StoreError *error)
{
    return setMetaValue(QStringLiteral("runner_holder"), holder, error);
}

bool JobStore::setRunnerSource(const QString &source, StoreError *error)
{
    return setMetaValue(QStringLiteral("runner_source"), source, error);
}

std::optional<FinishOutcome> JobStore::finishRunning(const Job &job, JobStatus status,
                                                     const JobError &jobError, JobResult *result,
                                                     const QVector<LogLine> &log,
                                                     const QVector<FetchedRecord> *records,
                                                     StoreError *error, FinishFollowUp *followUp)
{
    WriteTransaction tx(*m_db);
    // However this ends, the attempt is over: its staged rows were merged and are emptied, or
    // they are left for the next attempt's first page to empty. A rollback on PostgreSQL also
    // undoes a staging table made in it.
    bool mergedInTransaction = false;
    bool committed = false;
    const auto attemptOver = qScopeGuard([&] {
        if (!isStaging(job))
            return;
        m_staging.jobId = 0;
        m_staging.spool.reset(); // its file goes with it
        if (!committed) {
            m_staging.ready = false;
            return;
        }
        if (!mergedInTransaction)
            return;
        // The merged rows are removed now, outside the transaction (a TEMP table only: no lock
        // of the shared database's; on PostgreSQL a TRUNCATE, which takes no time).
        StoreError ignored;
        m_staging.clean = RecordWriter(*m_db).discardStaged(&ignored);
        if (m_staging.clean)
            m_staging.sinceEmptied = 0;
    });
    QString why;
    const auto txFailed = [&]() -> std::optional<FinishOutcome> {
        transactionFailed(
            tx, error, QStringLiteral("cannot record the end of job %1: %2").arg(job.id).arg(why));
        return std::nullopt;
    };
    if (!tx.begin(&why))
        return txFailed();
    bool cancelRequested = false;
    {
        QSqlQuery &q = m_db->prepared(
            QStringLiteral("SELECT status, runner_id, cancel_requested FROM jobs WHERE id = ?%1")
                .arg(m_db->isSqlite() ? QString() : QStringLiteral(" FOR UPDATE")));
        const FinishOnExit finishQ(q);
        q.addBindValue(job.id);
        if (!exec(q, error, QStringLiteral("reading job %1").arg(job.id)))
            return std::nullopt;
        if (!q.next() || q.value(0).toString() != QLatin1String("running") ||
            q.value(1).toString() != job.runnerId)
            return FinishOutcome::NotOurs;
        cancelRequested = q.value(2).toInt() != 0;
    }

    FinishOutcome outcome = FinishOutcome::Done;
    JobError finalError = jobError;
    QVector<LogLine> finalLog = log;
    if (cancelRequested && status != JobStatus::Failed) {
        status = JobStatus::Cancelled;
        finalError = {QStringLiteral("cancelled while running; nothing it fetched was kept"),
                      ErrorCategory::Cancelled};
        result = nullptr;
        records = nullptr;
        finalLog.push_back({nowMs(), finalError.message});
        outcome = FinishOutcome::CancelledInstead;
    }
    if (status == JobStatus::Queued) {
        // Going back to the queue: unless an identical job was queued meanwhile.
        StoreError lookupError;
        const NewJob same{job.dealerId, job.fetchType, job.fromMs, job.toMs, 0, false, {}};
        if (const std::optional<Job> twin = findQueuedDuplicate(same, &lookupError)) {
            status = JobStatus::Cancelled;
            finalError = {QStringLiteral("interrupted; not queued again because job %1 covers "
                                         "the same dealer, type and window")
                              .arg(twin->id),
                          ErrorCategory::Interrupted};
            finalLog.push_back({nowMs(), finalError.message});
        } else if (lookupError.isSet()) {
            if (error)
                *error = lookupError;
            return std::nullopt;
        }
    }

    if (records && result) {
        // The records given here go in after those staged while the job ran (on PostgreSQL
        // staged after them first, RecordWriter::merge()).
        const qint64 staged = stagedRecords(job);
        if (staged > 0 || !records->isEmpty()) {
            // Whether a record may have come twice, with the ones given here: "no" is certain.
            bool mayRepeat = true;
            if (staged > 0) {
                for (const FetchedRecord &record : *records)
                    m_staging.ids.add(record.idUtf8());
                mayRepeat = m_staging.ids.mayRepeat();
            }
            RecordWriter writer(*m_db);
            RecordSpool *spool = isStaging(job) ? m_staging.spool.get() : nullptr;
            if (!writer.merge(job, staged, *records, mayRepeat, spool, result, error)) {
                m_connectionLost = m_connectionLost || writer.connectionLost();
                return std::nullopt;
            }
            // Emptied once committed (attemptOver); should it roll back, the rows stay and the
            // next attempt's first page empties the table (stageRecords()). A spool copied into
            // `records` as it is staged nothing.
            if (spool && writer.stagedSpool())
                m_staging.clean = false;
            mergedInTransaction = isStaging(job) && (!spool || writer.stagedSpool());
        } else {
            result->inserted = result->updated = result->unchanged = 0;
        }
    }

    const auto resultValue = [&](qint64 value) { return result ? QVariant(value) : QVariant(); };
    QSqlQuery &q = m_db->prepared(
        QStringLiteral(
            "UPDATE jobs SET status = ?, finished_ms = ?, pages = ?, fetched = ?, inserted = ?, "
            "updated = ?, unchanged = ?, error_message = ?, error_category = ?, "
            "cancel_requested = 0, progress_phase = NULL, progress_pages = NULL, "
            "progress_fetched = NULL WHERE id = ? RETURNING %1")
            .arg(JobColumns));
    const FinishOnExit finishQ(q);
    q.addBindValue(jobStatusName(status));
    q.addBindValue(status == JobStatus::Queued ? QVariant() : QVariant(nowMs()));
    q.addBindValue(resultValue(result ? result->pages : 0));
    q.addBindValue(resultValue(result ? result->fetched : 0));
    q.addBindValue(resultValue(result ? result->inserted : 0));
    q.addBindValue(resultValue(result ? result->updated : 0));
    q.addBindValue(resultValue(result ? result->unchanged : 0));
    q.addBindValue(finalError.isNull() ? QVariant() : QVariant(finalError.message));
    q.addBindValue(finalError.isNull() ? QVariant()
                                       : QVariant(errorCategoryName(finalError.category)));
    q.addBindValue(job.id);
    if (!exec(q, error, QStringLiteral("finishing job %1").arg(job.id)))
        return std::nullopt;
    std::optional<Job> finished;
    if (q.next())
        finished = jobFromQuery(q);
    q.finish();
    if (!insertLog(job.id, finalLog, error))
        return std::nullopt;
    {
        // How this attempt ended; one cut off and queued again was "interrupted".
        QSqlQuery &attempt = m_db->prepared(QStringLiteral(
            "UPDATE job_attempts SET finished_ms = ?, outcome = ?, error_category = ?, "
            "error_message = ?, fetched = ? WHERE job_id = ? AND attempt = ?"));
        const FinishOnExit finishAttempt(attempt);
        attempt.addBindValue(nowMs());
        attempt.addBindValue(status == JobStatus::Queued ? QStringLiteral("interrupted")
                                                         : jobStatusName(status));
        const JobError &attemptError =
            status == JobStatus::Queued ? JobError{log.value(0).message, ErrorCategory::Interrupted}
                                        : finalError;
        attempt.addBindValue(attemptError.isNull()
                                 ? QVariant()
                                 : QVariant(errorCategoryName(attemptError.category)));
        attempt.addBindValue(attemptError.isNull() ? QVariant() : QVariant(attemptError.message));
        attempt.addBindValue(result ? QVariant(result->fetched) : QVariant());
        attempt.addBindValue(job.id);
        attempt.addBindValue(job.attempts);
        if (!exec(attempt, error, QStringLiteral("recording the end of job %1").arg(job.id)))
            return std::nullopt;
    }

    std::optional<Job> next;
    if (followUp && !followUp->claimFor.isEmpty()) {
        const std::optional<bool> paused = isPaused(error);
        if (!paused)
            return std::nullopt;
        if (!*paused) {
            next = claimInTransaction(followUp->claimFor, error);
            if (!next && error && error->isSet())
                return std::nullopt;
        }
    }
    if (!tx.commit(&why))
        return txFailed();
    committed = true;
    if (followUp) {
        // Only once committed: a rolled-back claim must not look like a started job.
        followUp->finished = std::move(finished);
        followUp->next = std::move(next);
    }
    return outcome;
}

bool JobStore::isStaging(const Job &job) const
{
    return m_staging.jobId == job.id && m_staging.attempt == job.attempts;
}

qint64 JobStore::stagedRecords(const Job &job) const
{
    return isStaging(job) ? m_staging.records : 0;
}

bool JobStore::isSpooling(const Job &job) const
{
    return isStaging(job) && m_staging.spool;
}

std::optional<bool> JobStore::isFirstFetch(const Job &job, StoreError *error)
{
    QSqlQuery &q = m_db->prepared(QStringLiteral(
        "SELECT EXISTS (SELECT 1 FROM records WHERE dealer_id = ? AND fetch_type = ?)"));
    const FinishOnExit finishQ(q);
    q.addBindValue(job.dealerId);
    q.addBindValue(job.fetchType);
    if (!exec(q, error, QStringLiteral("looking for records of job %1's dealer").arg(job.id)))
        return std::nullopt;
    if (!q.next()) {
        setDatabaseError(
            error, QStringLiteral("looking for records of job %1's dealer: no answer").arg(job.id));
        return std::nullopt;
    }
    return !q.value(0).toBool();
}

bool JobStore::stageRecords(const Job &job, const QVector<FetchedRecord> &records,
                            StoreError *error)
{
    // A TEMP table is never vacuumed on PostgreSQL: it is emptied at once (TRUNCATE) every so
    // many rows, rather than left to grow with the dead rows of the jobs merged from it.
    constexpr qint64 EmptyAfterRows = 200000;
    RecordWriter writer(*m_db);
    const bool newAttempt = !isStaging(job);
    if (!m_staging.ready ||
        (newAttempt && (!m_staging.clean || m_staging.sinceEmptied >= EmptyAfterRows))) {
        if (!writer.startStaging(error)) {
            m_connectionLost = m_connectionLost || writer.connectionLost();
            return false;
        }
        m_staging.ready = m_staging.clean = true;
        m_staging.sinceEmptied = 0;
    }
    if (newAttempt) {
        m_staging.jobId = job.id;
        m_staging.attempt = job.attempts;
        m_staging.records = 0;
        m_staging.ids.clear();
        m_staging.spool.reset();
        // A first fetch on PostgreSQL goes into a spool file, to be copied into `records` as
        // it is. Only the runner, one job at a time, writes `records`, so what is asked here
        // holds until the job's commit (which checks it again anyway). Should the file not be
        // made, the staging table takes the job.
        if (!m_db->isSqlite() && m_spoolLimit > 0) {
            const std::optional<bool> first = isFirstFetch(job, error);
            if (!first)
                return false;
            if (*first) {
                auto spool = std::make_unique<RecordSpool>();
                QString why;
                if (spool->open(m_spoolDirectory.isEmpty() ? QDir::tempPath() : m_spoolDirectory,
                                job.id, job.dealerId, job.fetchType, &why))
                    m_staging.spool = std::move(spool);
                else
                    qCWarning(lcStore).noquote()
                        << QStringLiteral("job %1 stages its records in the database: %2")
                               .arg(job.id)
                               .arg(why);
            }
        }
    }
    if (records.isEmpty())
        return true;
    bool staged = false; // the page, in the file or the table
    if (m_staging.spool) {
        // Too many for the file, or the file cannot take the page (its disk full): what it
        // holds moves into the staging table, and the job's later pages follow it there.
        QString spoolError;
        staged = m_staging.spool->append(records, &spoolError);
        if (!staged)
            qCWarning(lcStore).noquote()
                << QStringLiteral("job %1 stages its records in the database from now: %2")
                       .arg(job.id)
                       .arg(spoolError);
        if (!staged || m_staging.spool->records() > m_spoolLimit) {
            m_staging.clean = false;
            if (!writer.stageSpool(job, *m_staging.spool, error)) {
                m_connectionLost = m_connectionLost || writer.connectionLost();
                return false;
            }
            m_staging.sinceEmptied += m_staging.spool->records();
            m_staging.spool.reset();
        }
    }
    if (!staged) {
        m_staging.clean = false;
        if (!writer.stage(job.id, records, m_staging.records, error)) {
            // Nothing of the page stays (its own transaction on SQLite, one COPY on
            // PostgreSQL), and the caller gives the attempt up.
            m_connectionLost = m_connectionLost || writer.connectionLost();
            return false;
        }
        m_staging.sinceEmptied += records.size();
    }
    m_staging.records += records.size();
    for (const FetchedRecord &record : records)
        m_staging.ids.add(record.idUtf8());
    return true;
}

std::optional<FinishOutcome> JobStore::completeJob(const Job &job,
                                                   const QVector<FetchedRecord> &records,
                                                   const QVector<LogLine> &log, JobResult *result,
                                                   StoreError *error, FinishFollowUp *followUp)
{
    JobResult counted = result ? *result : JobResult{};
    // A big job's commit holds SQLite's write lock for a while: its notice lets the writers of
    // other connections wait for it past their busy timeout (CommitNotice).
    const qint64 total = stagedRecords(job) + records.size();
    const bool big = m_db->isSqlite() && total >= CommitNotice::FromRecords;
    const CommitNoticeGuard notice(big ? CommitNotice::pathFor(m_db->url().path) : QString(),
                                   job.id, total);
    const std::optional<FinishOutcome> outcome =
        finishRunning(job, JobStatus::Completed, {}, &counted, log, &records, error, followUp);
    if (outcome == FinishOutcome::Done && result)
        *result = counted;
    return outcome;
}

std::optional<FinishOutcome> JobStore::failJob(const Job &job, const JobError &jobError,
                                               const QVector<LogLine> &log, StoreError *error,
                                               FinishFollowUp *followUp)
{
    const JobStatus status =
        jobError.category == ErrorCategory::Cancelled ? JobStatus::Cancelled : JobStatus::Failed;
    return finishRunning(job, status, jobError, nullptr, log, nullptr, error, followUp);
}

std::optional<FinishOutcome> JobStore::requeueInterrupted(const Job &job, int maxAttempts,
                                                          ErrorCategory category,
                                                          const QString &why, StoreError *error)
{
    QVector<LogLine> log{{nowMs(), why}};
    if (job.attempts >= maxAttempts) {
        const JobError gaveUp{QStringLiteral("%1; gave up after %2 attempts — retry it once the "
                                             "cause is fixed")
                                  .arg(why)
                                  .arg(job.attempts),
                              category};
        log.push_back({nowMs(), gaveUp.message});
        return finishRunning(job, JobStatus::Failed, gaveUp, nullptr, log, nullptr, error, nullptr);
    }
    log.back().message +=
        QStringLiteral("; back in the queue (attempt %1 of %2)").arg(job.attempts).arg(maxAttempts);
    return finishRunning(job, JobStatus::Queued, {}, nullptr, log, nullptr, error, nullptr);
}

std::optional<int> JobStore::recoverInterrupted(int maxAttempts, StoreError *error)
{
    QSqlQuery q(m_db->db());
    q.prepare(QStringLiteral("SELECT %1 FROM jobs WHERE status = 'running'").arg(JobColumns));
    if (!exec(q, error, QStringLiteral("looking for interrupted jobs")))
        return std::nullopt;
    QVector<Job> stale;
    while (q.next())
        stale.push_back(jobFromQuery(q));
    q.finish();
    for (const Job &job : stale) {
        if (!requeueInterrupted(job, maxAttempts, ErrorCategory::Interrupted,
                                QStringLiteral("attempt %1 was cut off (the process running it "
                                               "stopped or crashed)")
                                    .arg(job.attempts),
                                error))
            return std::nullopt;
    }
    return int(stale.size());
}
