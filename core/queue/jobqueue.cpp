#include "queue/jobqueue.h"

StoreThread::StoreThread(DatabaseUrl url, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_worker(new QObject)
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
    }
    if (!m_store->isOpen()) {
        StoreError error;
        m_store->reopen(&error); // on failure every call reports the database error
    }
    return *m_store;
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
}

JobQueue::~JobQueue()
{
    stop();
}

void JobQueue::start()
{
    if (m_store)
        return;
    m_store = std::make_unique<StoreThread>(m_config.runner.database);
    connect(m_store.get(), &StoreThread::externalChange, this, &JobQueue::changed);
    // Open the store's connection now, so that changes from other instances arrive from the
    // start.
    call(this, [](JobStore &store) { return store.isOpen(); }, [](bool) {});
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
    news->forward(runner, &QueueRunner::jobFinished, [this](const Job &job) {
        m_runningJob.clear();
        emit jobFinished(job);
        emit changed();
    });
    news->forward(runner, &QueueRunner::queueEmpty, [this] { emit queueEmpty(); });
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

void JobQueue::setSource(const QUrl &url, const QByteArray &token)
{
    m_config.runner.sourceUrl = url;
    m_config.runner.sourceToken = token;
    if (m_runner)
        m_runner->setSource(url, token);
}

void JobQueue::holdNewJobs(bool hold)
{
    if (m_runner)
        m_runner->holdNewJobs(hold);
}
