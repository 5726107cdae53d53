#include "api/apiservice.h"

#include "store/jobstore.h"

#include <QMutexLocker>
#include <QRandomGenerator>

struct ApiService::Worker
{
    JobStore store;
    ApiHandler handler;
    ApiServer server;

    Worker(const Options &options, ApiService *service)
        : store(options.database)
        , handler(store, handlerConfig(options, service))
        , server([this](const ApiRequest &request) { return handler.handle(request); },
                 options.limits,
                 [service](int status) { service->m_metrics.countResponse(status); })
    {}

    static ApiHandler::Config handlerConfig(const Options &options, ApiService *service)
    {
        ApiHandler::Config config;
        config.fetchTypes = options.fetchTypes;
        config.coverageStaleHours = options.coverageStaleHours;
        config.token = [service] { return service->token(); };
        config.queueChanged = [service] { emit service->queueChanged(); };
        config.cancelRunning = [service](qint64 id) { emit service->cancelRunningRequested(id); };
        config.metrics = &service->m_metrics;
        config.clock = options.clock;
        return config;
    }
};

ApiService::ApiService(QObject *parent)
    : QObject(parent)
{
    m_thread.setObjectName(QStringLiteral("dealerq-api"));
}

ApiService::~ApiService()
{
    stop();
}

bool ApiService::start(const Options &options, QString *error)
{
    if (m_thread.isRunning()) {
        if (error)
            *error = QStringLiteral("the REST API is already running");
        return false;
    }
    setToken(options.token);
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
    bool listening = false;
    QString why;
    // Read here, on the caller's thread: the lambda below only follows the pointer.
    const QSslConfiguration *tls = options.tls ? &*options.tls : nullptr;
    // Listening is quick (no database yet): the caller learns at once whether the address is
    // free.
    QMetaObject::invokeMethod(
        m_context,
        [&] {
            m_worker = std::make_unique<Worker>(options, this);
            if (tls)
                m_worker->server.setTlsConfiguration(*tls);
            listening = m_worker->server.listen(options.address, options.port, &why);
            if (listening) {
                m_address = m_worker->server.address();
                m_port = m_worker->server.port();
            } else {
                m_worker.reset();
            }
        },
        Qt::BlockingQueuedConnection);
    m_encrypted = options.tls.has_value();
    if (!listening) {
        stop();
        if (error)
            *error = why;
        return false;
    }
    return true;
}

void ApiService::stop()
{
    if (!m_thread.isRunning())
        return;
    // The server's sockets and the store's connection belong to the API thread: end them there.
    QMetaObject::invokeMethod(
        m_context, [this] { m_worker.reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_context = nullptr;
}

QUrl ApiService::baseUrl() const
{
    QUrl url;
    url.setScheme(m_encrypted ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(m_address.toString());
    url.setPort(m_port);
    return url;
}

bool ApiService::isExposed() const
{
    return !m_address.isNull() && !m_address.isLoopback();
}

QByteArray ApiService::token() const
{
    QMutexLocker lock(&m_tokenMutex);
    return m_token;
}

void ApiService::setToken(const QByteArray &token)
{
    {
        QMutexLocker lock(&m_tokenMutex);
        if (m_token == token)
            return;
        m_token = token;
    }
    emit tokenChanged(token);
}

QByteArray ApiService::regenerateToken()
{
    const QByteArray token = generateToken();
    setToken(token);
    return token;
}

QByteArray ApiService::generateToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()),
                                          bytes.size() / int(sizeof(quint32)));
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

void ApiService::observeFinishedJob(const Job &job)
{
    m_metrics.observeFinishedJob(job);
}
