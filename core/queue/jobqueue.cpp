#include "queue/jobqueue.h"

#include "store/commitnotice.h"
#include "store/jobstore.h"
#include "store/tokenstore.h"

#include <QDateTime>
#include <QTimeZone>

StoreThread::StoreThread(DatabaseUrl url, QString actor, QueueEffects effects, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_actor(std::move(actor))
    , m_worker(new QObject)
    , m_effects(std::move(effects))
{
    m_thread.setObjectName(QStringLiteral("dealerq-store"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

StoreThread::~StoreThread()
{
    stop();
}

JobStore &StoreThread::store()
{
    Q_ASSERT(QThread::currentThread() == &m_thread);
    if (!m_store) {
        m_store = std::make_unique<JobStore>(m_url);
        m_store->subscribeToChanges([this] { emit externalChange(); });
        // The window's changes say what they wait for (waitingForCommit); retention's and the
        // runner's waits are only logged.
        m_store->database().setTellsWaits(true);
    }
    if (!m_store->isOpen()) {
        StoreError error;
        m_store->reopen(&error); // on failure every call reports the database error
    }
    return *m_store;
}

QueueOperations &StoreThread::operations()
{
    JobStore &opened = store();
    if (!m_operations)
        m_operations = std::make_unique<QueueOperations>(opened, m_actor, m_effects);
    return *m_operations;
}

void StoreThread::stop()
{
    if (!m_thread.isRunning())
        return;
    // The connection belongs to the store thread: close it there.
    QMetaObject::invokeMethod(
        m_worker, [this] { m_store.reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

JobQueue::JobQueue(Config config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    qRegisterMetaType<Job>();
    qRegisterMetaType<RunnerState>();
    qRegisterMetaType<JobProgress>();
    connect(DatabaseWaits::instance(), &DatabaseWaits::waitingForCommit, this,
            &JobQueue::waitingForCommit, Qt::QueuedConnection);
}

JobQueue::~JobQueue()
{
    stop();
}

void JobQueue::start()
{
    if (m_store)
        return;
    // The effects of the operations run on the store thread; they reach this one queued, before
    // the operation's answer does.
    QueueEffects effects;
    effects.changed = [this] {
        QMetaObject::invokeMethod(this, &JobQueue::notifyChanged, Qt::QueuedConnection);
    };
    effects.abortRunning = [this](qint64 id) {
        QMetaObject::invokeMethod(
            this, [this, id] { cancelRunning(id); }, Qt::QueuedConnection);
    };
    m_store =
        std::make_unique<StoreThread>(m_config.runner.database, m_config.actor, std::move(effects));
    connect(m_store.get(), &StoreThread::externalChange, this, &JobQueue::changed);
    // Open the store's connection now, so that changes from other instances arrive from the
    // start.
    run(
        this, [](QueueOperations &ops) { return ops.store().isOpen(); }, [](bool) {});
    if (!m_config.runJobs)
        return;
    m_runner = std::make_unique<RunnerThread>(m_config.runner, this);
    QueueRunner *runner = m_runner->runner();
    // The runner's signals are taken on its own thread and come here through news(): a run of
    // quick jobs then wakes this thread once per RunnerThread::NewsIntervalMs, not per job.
    ThreadRelay *news = m_runner->news();
    news->forward(runner, &QueueRunner::stateChanged,
                  [this](RunnerState state, const QString &detail) {
                      m_runnerState = state;
                      m_runnerDetail = detail;
                      emit runnerStateChanged(state, detail);
                  });
    news->forward(runner, &QueueRunner::jobStarted, [this](const Job &job) {
        m_runningJob = QStringLiteral("job %1: %2 %3").arg(job.id).arg(job.dealerId, job.fetchType);
        emit jobStarted(job);
        emit changed();
    });
    news->forward(runner, &QueueRunner::jobProgress,
                  [this](qint64 jobId, int pages, qint64 records) {
                      emit jobProgress(jobId, pages, records);
                  });
    news->forward(
        runner, &QueueRunner::jobPhase,
        [this](qint64 jobId, const JobProgress &progress) { emit jobPhase(jobId, progress); });
    news->forward(runner, &QueueRunner::jobFinished, [this](const Job &job) {
        m_runningJob.clear();
        emit jobFinished(job);
        emit changed();
    });
    news->forward(runner, &QueueRunner::queueEmpty, [this] { emit queueEmpty(); });
    news->forward(runner, &QueueRunner::scheduleFired,
                  [this](const QString &name, qint64 slotMs, int added, int skipped) {
                      emit scheduleFired(name, slotMs, added, skipped);
                      emit changed();
                  });
    news->forward(runner, &QueueRunner::scheduleFailed,
                  [this](const QString &message) { emit scheduleFailed(message); });
    m_runner->start();
}

void JobQueue::stop()
{
    if (m_runner)
        m_runner->stop();
    m_runner.reset();
    if (m_store)
        m_store->stop();
    m_store.reset();
}

QString JobQueue::runnerDetail() const
{
    return m_runnerState == RunnerState::Running && !m_runningJob.isEmpty() ? m_runningJob
                                                                            : m_runnerDetail;
}

void JobQueue::notifyChanged()
{
    if (m_runner)
        m_runner->wake();
    emit changed();
}

void JobQueue::cancelRunning(qint64 jobId)
{
    if (m_runner)
        m_runner->cancelRunning(jobId);
}

void JobQueue::setSource(const QUrl &url, const QByteArray &token, const QString &display)
{
    m_config.runner.sourceUrl = url;
    m_config.runner.sourceToken = token;
    m_config.runner.sourceDisplay = display;
    if (m_runner)
        m_runner->setSource(url, token, display);
}

void JobQueue::holdNewJobs(bool hold)
{
    if (m_runner)
        m_runner->holdNewJobs(hold);
}

void JobQueue::readSchedules(QObject *context, Reply<QueueResult<QVector<Schedule>>> done)
{
    run(
        context, [](QueueOperations &ops) { return ops.schedules(); }, std::move(done));
}

void JobQueue::addSchedule(QObject *context, const Schedule &schedule,
                           Reply<QueueResult<Schedule>> done)
{
    run(
        context,
        [schedule, types = m_config.fetchTypes](QueueOperations &ops) {
            return ops.addSchedule(schedule, types);
        },
        std::move(done));
}

void JobQueue::updateSchedule(QObject *context, const Schedule &schedule,
                              Reply<QueueResult<Schedule>> done)
{
    run(
        context,
        [schedule, types = m_config.fetchTypes](QueueOperations &ops) {
            return ops.updateSchedule(schedule, types);
        },
        std::move(done));
}

void JobQueue::setScheduleEnabled(QObject *context, qint64 id, bool enabled,
                                  Reply<QueueResult<Schedule>> done)
{
    run(
        context,
        [id, enabled, types = m_config.fetchTypes](QueueOperations &ops) {
            return ops.setScheduleEnabled(id, enabled, types);
        },
        std::move(done));
}

void JobQueue::removeSchedule(QObject *context, qint64 id, Reply<QueueResult<bool>> done)
{
    run(
        context, [id](QueueOperations &ops) { return ops.removeSchedule(id); }, std::move(done));
}

void JobQueue::runSchedule(QObject *context, qint64 id, Reply<QueueResult<BulkOutcome>> done)
{
    run(
        context, [id](QueueOperations &ops) { return ops.runSchedule(id); }, std::move(done));
}

void JobQueue::readApiTokens(QObject *context, Reply<QueueResult<QVector<ApiTokenInfo>>> done)
{
    run(
        context,
        [](QueueOperations &ops) {
            QueueResult<QVector<ApiTokenInfo>> result;
            result.value = TokenStore(ops.store()).tokens(&result.error);
            return result;
        },
        std::move(done));
}

void JobQueue::addApiToken(QObject *context, const QString &name, TokenRole role,
                           Reply<QueueResult<QByteArray>> done)
{
    run(
        context,
        [name, role](QueueOperations &ops) {
            QueueResult<QByteArray> result;
            result.value = TokenStore(ops.store())
                               .add(name, role, ops.actor(), QDateTime::currentMSecsSinceEpoch(),
                                    &result.error);
            return result;
        },
        std::move(done));
}

void JobQueue::revokeApiToken(QObject *context, const QString &name, Reply<QueueResult<bool>> done)
{
    run(
        context,
        [name](QueueOperations &ops) {
            QueueResult<bool> result;
            if (TokenStore(ops.store()).revoke(name, ops.actor(), &result.error))
                result.value = true;
            return result;
        },
        std::move(done));
}

void JobQueue::add(QObject *context, const NewJob &job, Reply<QueueResult<AddOutcome>> done)
{
    run(
        context, [job](QueueOperations &ops) { return ops.add(job); }, std::move(done));
}

void JobQueue::addMany(QObject *context, const QStringList &dealerIds, const NewJob &common,
                       Reply<QueueResult<BulkOutcome>> done)
{
    run(
        context,
        [dealerIds, common](QueueOperations &ops) { return ops.addMany(dealerIds, common); },
        std::move(done));
}

void JobQueue::cancel(QObject *context, const QVector<qint64> &ids, Reply<CancelReport> done)
{
    run(
        context, [ids](QueueOperations &ops) { return ops.cancel(ids); }, std::move(done));
}

void JobQueue::retry(QObject *context, const QVector<qint64> &ids, Reply<RetryReport> done)
{
    run(
        context, [ids](QueueOperations &ops) { return ops.retry(ids); }, std::move(done));
}

void JobQueue::move(QObject *context, const QVector<qint64> &ids, MoveOp op,
                    Reply<QVector<StoreError>> done)
{
    run(
        context, [ids, op](QueueOperations &ops) { return ops.move(ids, op); }, std::move(done));
}

void JobQueue::setPaused(QObject *context, bool paused, Reply<QueueResult<bool>> done)
{
    run(
        context, [paused](QueueOperations &ops) { return ops.setPaused(paused); }, std::move(done));
}

void JobQueue::clearFinished(QObject *context, const HistoryFilter &filter,
                             Reply<QueueResult<qint64>> done)
{
    run(
        context, [filter](QueueOperations &ops) { return ops.clearFinished(filter); },
        std::move(done));
}

void JobQueue::readDetails(QObject *context, qint64 id, Reply<QueueResult<JobDetails>> done)
{
    run(
        context, [id](QueueOperations &ops) { return ops.details(id); }, std::move(done));
}

void JobQueue::readStatus(QObject *context, int limit, Reply<QueueResult<QueueStatus>> done)
{
    run(
        context, [limit](QueueOperations &ops) { return ops.status(limit); }, std::move(done));
}

void JobQueue::readHistory(QObject *context, const HistoryFilter &filter,
                           Reply<QueueResult<QVector<Job>>> done)
{
    run(
        context, [filter](QueueOperations &ops) { return ops.history(filter); }, std::move(done));
}

void JobQueue::countHistory(QObject *context, const HistoryFilter &filter,
                            Reply<QueueResult<qint64>> done)
{
    run(
        context, [filter](QueueOperations &ops) { return ops.historyCount(filter); },
        std::move(done));
}

void JobQueue::readAudit(QObject *context, const AuditFilter &filter,
                         Reply<QueueResult<AuditPage>> done)
{
    run(
        context, [filter](QueueOperations &ops) { return ops.audit(filter); }, std::move(done));
}

void JobQueue::readStats(QObject *context, StatsRange range, qint64 nowMs,
                         Reply<QueueResult<QVector<StatsBucket>>> done)
{
    run(
        context,
        [range, nowMs](QueueOperations &ops) {
            return ops.stats(range, QTimeZone::systemTimeZone(), nowMs);
        },
        std::move(done));
}

void JobQueue::readCoverage(QObject *context, const CoverageFilter &filter,
                            Reply<QueueResult<CoveragePage>> done)
{
    run(
        context, [filter](QueueOperations &ops) { return ops.coverage(filter); }, std::move(done));
}

void JobQueue::countQueued(QObject *context, const QueuedFilter &filter,
                           Reply<QueueResult<qint64>> done)
{
    run(
        context, [filter](QueueOperations &ops) { return ops.queuedCount(filter); },
        std::move(done));
}

void JobQueue::readSnapshot(QObject *context, int queueLimit, const HistoryFilter &filter,
                            qint64 nowMs, Reply<QueueSnapshot> done,
                            const QueuedFilter &queueFilter)
{
    run(
        context,
        [queueLimit, filter, nowMs, queueFilter](QueueOperations &ops) {
            return ops.snapshot(queueLimit, filter, nowMs, queueFilter);
        },
        std::move(done));
}

void JobQueue::retryMatching(QObject *context, const HistoryFilter &filter,
                             std::optional<qint64> confirmed,
                             Reply<QueueResult<BulkRetryReport>> done)
{
    run(
        context,
        [filter, confirmed](QueueOperations &ops) { return ops.retryMatching(filter, confirmed); },
        std::move(done));
}

void JobQueue::cancelMatching(QObject *context, const QueuedFilter &filter,
                              std::optional<qint64> confirmed, Reply<QueueResult<BulkReport>> done)
{
    run(
        context,
        [filter, confirmed](QueueOperations &ops) { return ops.cancelMatching(filter, confirmed); },
        std::move(done));
}

void JobQueue::removeFinished(QObject *context, const HistoryFilter &filter,
                              Reply<QueueResult<BulkReport>> done)
{
    run(
        context, [filter](QueueOperations &ops) { return ops.removeFinished(filter); },
        std::move(done));
}

void JobQueue::exportCsv(QObject *context, const ExportRequest &request,
                         std::shared_ptr<std::atomic_bool> cancel,
                         std::function<void(qint64, qint64)> progress,
                         Reply<QueueResult<qint64>> done)
{
    // Progress comes here through this object, which outlives every store call; `context` may be
    // gone by then.
    QPointer<QObject> guard(context);
    run(
        context,
        [this, request, cancel, guard, progress = std::move(progress)](QueueOperations &ops) {
            return ops.exportCsv(request, [this, cancel, guard, progress](qint64 n, qint64 total) {
                QMetaObject::invokeMethod(
                    this,
                    [guard, progress, n, total] {
                        if (guard && progress)
                            progress(n, total);
                    },
                    Qt::QueuedConnection);
                return !(cancel && *cancel);
            });
        },
        std::move(done));
}
