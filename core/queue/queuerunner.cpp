#include "queue/queuerunner.h"

#include "job/actor.h"
#include "job/timeformat.h"
#include "log/logging.h"
#include "store/jobstore.h"
#include "store/runnerlock.h"

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QTimer>

QString runnerStateName(RunnerState state)
{
    switch (state) {
    case RunnerState::Starting:
        return QStringLiteral("Starting");
    case RunnerState::Idle:
        return QStringLiteral("Idle");
    case RunnerState::Running:
        return QStringLiteral("Processing");
    case RunnerState::Paused:
        return QStringLiteral("Paused");
    case RunnerState::Standby:
        return QStringLiteral("Standby");
    case RunnerState::DatabaseDown:
        return QStringLiteral("Database unreachable");
    case RunnerState::Stopped:
        return QStringLiteral("Stopped");
    }
    return {};
}

namespace {

QString jobHead(const Job &job)
{
    return QStringLiteral("job %1 (%2 %3)").arg(job.id).arg(job.dealerId, job.fetchType);
}

/// How a job's attempt ended, in one line of the log.
QString describeFinished(const Job &job)
{
    const std::optional<double> duration = job.durationSeconds(job.finishedMs);
    const QString took =
        duration ? QStringLiteral(" in %1 s").arg(*duration, 0, 'f', 2) : QString();
    switch (job.status) {
    case JobStatus::Completed: {
        const JobResult r = job.result.value_or(JobResult{});
        return QStringLiteral("%1 completed%2: %3 pages, %4 fetched, %5 inserted, %6 updated, "
                              "%7 unchanged")
            .arg(jobHead(job), took)
            .arg(r.pages)
            .arg(r.fetched)
            .arg(r.inserted)
            .arg(r.updated)
            .arg(r.unchanged);
    }
    case JobStatus::Queued:
        return QStringLiteral("%1 back in the queue after attempt %2")
            .arg(jobHead(job))
            .arg(job.attempts);
    default:
        return QStringLiteral("%1 %2%3 [%4]: %5")
            .arg(jobHead(job), jobStatusName(job.status), took,
                 errorCategoryName(job.error.category), job.error.message);
    }
}

void logFinished(const Job &job)
{
    if (job.status == JobStatus::Completed || job.status == JobStatus::Cancelled)
        qCInfo(lcRunner).noquote() << describeFinished(job);
    else
        qCWarning(lcRunner).noquote() << describeFinished(job);
}

} // namespace

QueueRunner::QueueRunner(RunnerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    qRegisterMetaType<Job>();
    qRegisterMetaType<RunnerState>();
    qRegisterMetaType<JobProgress>();
}

QueueRunner::~QueueRunner() = default;

void QueueRunner::start()
{
    m_runnerId = QStringLiteral("%1 #%2")
                     .arg(m_config.instance)
                     .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    m_nam = new QNetworkAccessManager(this);
    m_nam->setAutoDeleteReplies(false);
    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(m_config.pollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &QueueRunner::onPoll);
    m_pollTimer->start();
    m_progressTimer = new QTimer(this);
    m_progressTimer->setSingleShot(true);
    m_progressTimer->setInterval(1000);
    connect(m_progressTimer, &QTimer::timeout, this, &QueueRunner::storeProgress);
    m_reconnectTimer = new QTimer(this);
    m_reconnectTimer->setSingleShot(true);
    connect(m_reconnectTimer, &QTimer::timeout, this, &QueueRunner::tryNext);
    m_store = std::make_unique<JobStore>(m_config.database);
    m_scheduler = std::make_unique<Scheduler>(*m_store, m_clock);
    connect(m_scheduler.get(), &Scheduler::fired, this,
            [this](const QString &name, qint64 slotMs, int added, int skipped) {
                emit scheduleFired(name, slotMs, added, skipped);
                if (added > 0)
                    scheduleNext();
            });
    connect(m_scheduler.get(), &Scheduler::failed, this, &QueueRunner::scheduleFailed);
    m_retention = std::make_unique<Retention>(m_config.database, m_clock,
                                              Actor::local(QStringLiteral("retention")));
    m_retention->setKeepDays(m_config.keepFinishedDays);
    connect(m_retention.get(), &Retention::passFinished, this, &QueueRunner::historyTrimmed);
    connect(m_retention.get(), &Retention::failed, this, [](const QString &message) {
        qWarning("retention: could not remove old finished jobs (tried again in an hour): %s",
                 qPrintable(message));
    });
    // PostgreSQL: another instance's change wakes us at once; the poll timer stays as fallback.
    m_changesPushed = m_store->subscribeToChanges([this] {
        m_scheduler->check(true); // a schedule may have changed
        if (m_fetch)
            onPoll(); // a cancel from another instance
        else
            scheduleNext();
    });
    setState(RunnerState::Starting);
    scheduleNext();
}

void QueueRunner::wake()
{
    if (m_scheduler)
        m_scheduler->check(true); // a schedule may have changed here
    scheduleNext();
}

void QueueRunner::setSource(const QUrl &url, const QByteArray &token, const QString &display)
{
    // Takes effect from the next job on; the running one keeps its source.
    m_config.sourceUrl = url;
    m_config.sourceToken = token;
    m_tokens.clear();
    m_config.sourceDisplay = display;
    qCInfo(lcRunner).noquote() << "the source is now" << sourceDisplay()
                               << "(from the next job on)";
    if (m_lock && m_lock->isHeld() && m_databaseUp) {
        StoreError error;
        m_store->setRunnerSource(sourceDisplay(), &error); // shown again at the next take-over
    }
}

QString QueueRunner::sourceDisplay() const
{
    return m_config.sourceDisplay.isEmpty()
               ? m_config.sourceUrl.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)
               : m_config.sourceDisplay;
}

void QueueRunner::setKeepFinishedDays(int days)
{
    m_config.keepFinishedDays = days;
    if (m_retention)
        m_retention->setKeepDays(days);
}

void QueueRunner::holdNewJobs(bool hold)
{
    m_holdNew = hold;
    if (!hold)
        scheduleNext();
}

void QueueRunner::scheduleNext()
{
    if (m_nextScheduled || m_stopping)
        return;
    m_nextScheduled = true;
    QMetaObject::invokeMethod(this, &QueueRunner::tryNext, Qt::QueuedConnection);
}

bool QueueRunner::ensureDatabase()
{
    if (m_databaseUp)
        return true;
    StoreError error;
    if (m_store->open(&error)) {
        if (m_state == RunnerState::DatabaseDown)
            qCInfo(lcStore).noquote()
                << "the database" << m_config.database.displayString() << "is reachable again";
        else
            qCDebug(lcStore).noquote()
                << "opened the database" << m_config.database.displayString();
        m_databaseUp = true;
        m_reconnectDelayMs = 250;
        if (!m_lock)
            m_lock = RunnerLock::create(m_store->database());
        return true;
    }
    setState(RunnerState::DatabaseDown, error.message);
    m_reconnectTimer->start(m_reconnectDelayMs);
    m_reconnectDelayMs = qMin(m_reconnectDelayMs * 2, 5000);
    return false;
}

void QueueRunner::databaseFault(const StoreError &error)
{
    m_databaseUp = false;
    m_scheduler->setActive(false); // again once the database is back and the lock is held
    m_retention->setActive(false);
    m_store->database().close();
    if (m_lock)
        m_lock->connectionLost();
    setState(RunnerState::DatabaseDown, error.message);
    m_reconnectTimer->start(m_reconnectDelayMs);
    m_reconnectDelayMs = qMin(m_reconnectDelayMs * 2, 5000);
}

void QueueRunner::tryNext()
{
    m_nextScheduled = false;
    if (m_stopping || m_fetch || m_holdNew)
        return;
    if (!ensureDatabase())
        return;

    StoreError error;
    const bool hadLock = m_lock->isHeld();
    if (!hadLock) {
        QString why;
        if (!m_lock->tryAcquire(&why)) {
            if (!why.isEmpty()) {
                databaseFault({StoreError::Kind::ConnectionLost, why, {}, 0});
                return;
            }
            const std::optional<QueueStatus> status = m_store->queueStatus(0, &error);
            if (!status) {
                databaseFault(error);
                return;
            }
            setState(RunnerState::Standby, status->runnerHolder);
            checkEmpty();
            return;
        }
        qCInfo(lcRunner).noquote()
            << "took the runner lock: this instance runs the queue as" << m_runnerId;
    }
    if (!hadLock || m_needRecovery) {
        // Whatever is still marked running was cut off: only the lock holder runs jobs.
        if (!m_store->setRunnerHolder(m_config.instance, &error) ||
            !m_store->setRunnerSource(sourceDisplay(), &error)) {
            databaseFault(error);
            return;
        }
        const std::optional<int> recovered =
            m_store->recoverInterrupted(m_config.maxAttempts, &error);
        if (!recovered) {
            databaseFault(error);
            return;
        }
        if (*recovered > 0)
            qCWarning(lcRunner) << "found" << *recovered
                                << "jobs cut off by a stop or crash: each is back in the queue, "
                                   "or failed after its last attempt";
        m_needRecovery = false;
    }
    m_scheduler->setActive(true);
    m_retention->setActive(true);

    const std::optional<bool> paused = m_store->isPaused(&error);
    if (!paused) {
        databaseFault(error);
        return;
    }
    if (*paused) {
        setState(RunnerState::Paused);
        return;
    }
    const std::optional<Job> job = m_store->claimNext(m_runnerId, &error);
    if (!job) {
        if (error.isSet()) {
            databaseFault(error);
            return;
        }
        setState(RunnerState::Idle);
        checkEmpty();
        return;
    }
    startJob(*job);
}

void QueueRunner::checkEmpty()
{
    StoreError error;
    const std::optional<bool> pending = m_store->hasPendingJobs(&error);
    if (pending && !*pending)
        emit queueEmpty();
}

void QueueRunner::startJob(const Job &job, const std::optional<Job> &finishedBefore)
{
    m_current = job;
    m_stageFailure.reset();
    m_log = {{QDateTime::currentMSecsSinceEpoch(),
              QStringLiteral("attempt %1 started on %2").arg(job.attempts).arg(m_config.instance)}};
    FetchRequest request;
    request.sourceUrl = m_config.sourceUrl;
    request.token = m_config.sourceToken;
    request.dealerId = job.dealerId;
    request.fetchType = job.fetchType;
    request.from = formatApiTime(job.fromMs);
    request.to = formatApiTime(job.toMs);
    request.profile = m_config.profile;
    request.profileProblem = m_config.profileProblem;
    request.tokens = &m_tokens;
    m_fetch = new DealerFetch(m_nam, request, m_config.retry, this);
    // Progress of the last page is news only with the job's end: jobFinished() carries it.
    m_progress = JobProgress{};
    m_progressStored = false;
    m_progress.sinceMs = QDateTime::currentMSecsSinceEpoch();
    connect(m_fetch, &DealerFetch::progress, this,
            [this, id = job.id](int pages, qint64 records, bool morePages) {
                m_progress.pages = pages;
                m_progress.fetched = records;
                QMetaObject::invokeMethod(this, &QueueRunner::stageFetched, Qt::QueuedConnection);
                if (morePages) {
                    emit jobProgress(id, pages, records);
                    noteProgress(false);
                }
            });
    connect(m_fetch, &DealerFetch::phaseChanged, this,
            [this](JobPhase phase, const QString &detail, qint64 untilMs) {
                m_progress.phase = phase;
                m_progress.detail = detail;
                m_progress.sinceMs = QDateTime::currentMSecsSinceEpoch();
                m_progress.untilMs = untilMs;
                noteProgress(true);
            });
    connect(m_fetch, &DealerFetch::logLine, this, &QueueRunner::log);
    connect(m_fetch, &DealerFetch::finished, this, &QueueRunner::onFetchFinished);
    qCInfo(lcRunner).noquote()
        << QStringLiteral("%1 started, attempt %2").arg(jobHead(job)).arg(job.attempts);
    m_fetch->start();
    if (finishedBefore)
        emit jobFinished(*finishedBefore);
    // One state for a whole run of jobs: each cross-thread signal wakes the window's thread, so
    // which job runs is told once, by jobStarted().
    setState(RunnerState::Running);
    emit jobStarted(job);
}

void QueueRunner::log(const QString &message)
{
    m_log.push_back({QDateTime::currentMSecsSinceEpoch(), message});
}

void QueueRunner::stageFetched()
{
    // Once the fetch is over, its last page goes into the completing transaction itself
    // (onFetchFinished()): a job of one page stages nothing.
    if (!m_fetch || !m_current || m_stageFailure || m_fetch->isFinished())
        return;
    const QVector<FetchedRecord> records = m_fetch->takeRecords();
    if (records.isEmpty())
        return;
    StoreError error;
    if (m_store->stageRecords(*m_current, records, &error))
        return;
    m_stageFailure = error;
    qCWarning(lcStore).noquote() << jobHead(*m_current) << error.message;
    m_fetch->abort();
}

void QueueRunner::onFetchFinished()
{
    DealerFetch *fetch = m_fetch;
    m_fetch = nullptr;
    fetch->deleteLater();
    if (m_stopping || !m_current)
        return;
    const Job job = *m_current;
    m_current.reset();

    // One commit records this job's end and, unless new jobs are held back, claims the next.
    FinishFollowUp followUp;
    if (!m_holdNew)
        followUp.claimFor = m_runnerId;
    StoreError error;
    std::optional<FinishOutcome> outcome;
    m_progressTimer->stop();
    if (m_stageFailure) {
        // Its records could not all be staged: nothing of this attempt can be kept.
        error = *m_stageFailure;
    } else if (fetch->error() == ErrorCategory::None) {
        m_progress.phase = JobPhase::Committing;
        m_progress.detail.clear();
        m_progress.sinceMs = QDateTime::currentMSecsSinceEpoch();
        m_progress.untilMs = 0;
        emit jobPhase(job.id, m_progress); // the commit of a big job takes a while
        // A job the API and other instances have seen running is seen committing too; a
        // short one (never stored) is spared the write.
        StoreError progressError;
        if (m_progressStored &&
            !m_store->setProgress(job.id, m_runnerId, m_progress, &progressError))
            log(QStringLiteral("could not record progress: %1").arg(progressError.message));
        JobResult result;
        result.pages = fetch->pages();
        result.fetched = fetch->fetched();
        log(QStringLiteral("fetched %1 records in %2 pages").arg(result.fetched).arg(result.pages));
        // The pages not yet staged (the last one) go in with the completion.
        outcome =
            m_store->completeJob(job, fetch->takeRecords(), m_log, &result, &error, &followUp);
    } else {
        log(fetch->errorString());
        outcome =
            m_store->failJob(job, {fetch->errorString(), fetch->error()}, m_log, &error, &followUp);
    }
    if (!outcome) {
        // Rolled back: nothing of this attempt is kept. Back to the queue, attempt counted.
        StoreError requeueError;
        const QString why =
            QStringLiteral("attempt %1 was rolled back: %2").arg(job.attempts).arg(error.message);
        qCWarning(lcStore).noquote() << jobHead(job) << why;
        if (!m_store->requeueInterrupted(job, m_config.maxAttempts, ErrorCategory::Database, why,
                                         &requeueError)) {
            m_needRecovery = true;
            databaseFault(error);
            return;
        }
    }
    std::optional<Job> finished = followUp.finished;
    if (!finished) {
        StoreError readError;
        finished = m_store->job(job.id, &readError);
    }
    if (finished)
        logFinished(*finished);
    if (followUp.next) {
        startJob(*followUp.next, finished);
        return;
    }
    if (finished)
        emit jobFinished(*finished);
    scheduleNext();
}

void QueueRunner::noteProgress(bool phaseChanged)
{
    if (!m_current)
        return;
    if (phaseChanged)
        emit jobPhase(m_current->id, m_progress);
    if (!m_progressTimer->isActive())
        m_progressTimer->start();
}

void QueueRunner::storeProgress()
{
    // At most once a second, and only for a job that runs that long: the REST API and other
    // instances read it as the job's `progress`.
    if (!m_current || !m_databaseUp || m_stopping)
        return;
    StoreError error;
    if (m_store->setProgress(m_current->id, m_runnerId, m_progress, &error)) {
        m_progressStored = true;
    } else {
        qCDebug(lcStore).noquote()
            << "could not record the progress of job" << m_current->id << error.message;
        log(QStringLiteral("could not record progress: %1").arg(error.message));
    }
}

void QueueRunner::onPoll()
{
    if (m_stopping)
        return;
    // On SQLite this poll is how another instance's schedule change is seen; with PostgreSQL's
    // NOTIFY it only looks for a wall clock that jumped (no database read).
    if (m_databaseUp)
        m_scheduler->check(!m_changesPushed);
    if (m_fetch && m_current) {
        if (!m_databaseUp)
            return; // the commit will find out and reconnect
        // A cancel from another process reaches us through the store.
        StoreError error;
        const std::optional<bool> cancel = m_store->isCancelRequested(m_current->id, &error);
        if (cancel && *cancel) {
            qCInfo(lcRunner) << "job" << m_current->id << "cancelled from elsewhere: stopping it";
            m_fetch->abort();
        }
        return;
    }
    if (!m_reconnectTimer->isActive())
        scheduleNext();
}

void QueueRunner::cancelRunning(qint64 jobId)
{
    if (m_fetch && m_current && m_current->id == jobId) {
        qCInfo(lcRunner) << "job" << jobId << "cancelled: stopping it";
        m_fetch->abort();
    }
}

void QueueRunner::stop()
{
    if (m_stopping)
        return;
    m_stopping = true;
    if (m_fetch) {
        m_fetch->disconnect(this);
        m_fetch->abort();
        delete m_fetch;
        m_fetch = nullptr;
    }
    if (m_current && m_databaseUp) {
        qCInfo(lcRunner).noquote()
            << jobHead(*m_current) << "cut off by the stop: rolled back and queued again";
        StoreError error;
        m_store->requeueInterrupted(
            *m_current, m_config.maxAttempts, ErrorCategory::Interrupted,
            QStringLiteral("attempt %1 was cut off by a shutdown").arg(m_current->attempts),
            &error);
    }
    m_current.reset();
    if (m_lock && m_lock->isHeld() && m_databaseUp) {
        StoreError error;
        m_store->setRunnerHolder(QString(), &error);
        m_store->setRunnerSource(QString(), &error);
    }
    m_scheduler.reset();
    m_retention.reset();
    m_lock.reset();
    m_store.reset();
    delete m_pollTimer;
    m_pollTimer = nullptr;
    delete m_reconnectTimer;
    m_reconnectTimer = nullptr;
    delete m_nam;
    m_nam = nullptr;
    setState(RunnerState::Stopped);
    emit stopped();
}

void QueueRunner::setState(RunnerState state, const QString &detail)
{
    if (state == m_state && detail == m_stateDetail)
        return;
    m_state = state;
    m_stateDetail = detail;
    const QString line =
        QStringLiteral("runner: %1%2")
            .arg(runnerStateName(state),
                 detail.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(detail));
    if (state == RunnerState::DatabaseDown)
        qCWarning(lcStore).noquote() << line << "- trying again";
    else if (state == RunnerState::Running || state == RunnerState::Starting)
        qCDebug(lcRunner).noquote() << line;
    else
        qCInfo(lcRunner).noquote() << line;
    emit stateChanged(state, detail);
}

RunnerThread::RunnerThread(RunnerConfig config, QObject *newsReceiver, QObject *parent)
    : QObject(parent)
    , m_runner(new QueueRunner(std::move(config)))
    , m_news(new ThreadRelay(newsReceiver, NewsIntervalMs))
{
    m_thread.setObjectName(QStringLiteral("dealerq-runner"));
    m_runner->moveToThread(&m_thread);
    m_news->moveToThread(&m_thread);
    connect(&m_thread, &QThread::started, m_runner, &QueueRunner::start);
    connect(&m_thread, &QThread::finished, m_runner, &QObject::deleteLater);
    connect(&m_thread, &QThread::finished, m_news, &QObject::deleteLater);
}

RunnerThread::~RunnerThread()
{
    stop();
}

void RunnerThread::start()
{
    m_thread.start();
}

void RunnerThread::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(
        m_runner,
        [runner = m_runner, news = m_news] {
            runner->stop();
            news->flush();
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_runner = nullptr;
    m_news = nullptr;
}

void RunnerThread::wake()
{
    if (m_runner)
        QMetaObject::invokeMethod(m_runner, &QueueRunner::wake, Qt::QueuedConnection);
}

void RunnerThread::setSource(const QUrl &url, const QByteArray &token, const QString &display)
{
    if (m_runner)
        QMetaObject::invokeMethod(
            m_runner, [r = m_runner, url, token, display] { r->setSource(url, token, display); },
            Qt::QueuedConnection);
}

void RunnerThread::holdNewJobs(bool hold)
{
    if (m_runner)
        QMetaObject::invokeMethod(
            m_runner, [r = m_runner, hold] { r->holdNewJobs(hold); }, Qt::QueuedConnection);
}

void RunnerThread::cancelRunning(qint64 jobId)
{
    if (m_runner)
        QMetaObject::invokeMethod(
            m_runner, [r = m_runner, jobId] { r->cancelRunning(jobId); }, Qt::QueuedConnection);
}
