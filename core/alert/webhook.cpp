#include "alert/webhook.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QThread>
#include <QTimer>

QByteArray webhookSignature(const QByteArray &body, const QByteArray &secret)
{
    return "sha256=" +
           QMessageAuthenticationCode::hash(body, secret, QCryptographicHash::Sha256).toHex();
}

int webhookRetryDelayMs(const WebhookConfig &config, int attempt)
{
    const int doublings = qBound(0, attempt - 2, 20);
    return int(qMin<qint64>(qint64(config.firstRetryMs) << doublings, 3600 * 1000));
}

WebhookSender::WebhookSender(WebhookConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_nam(new QNetworkAccessManager(this))
{}

WebhookSender::~WebhookSender() = default;

QString WebhookSender::where() const
{
    // Never the query or the credentials: either may carry a secret.
    return m_config.url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment)
        .toString();
}

void WebhookSender::send(const QByteArray &body, const QString &event)
{
    if (m_pending >= m_config.maxPending) {
        emit logLine(QStringLiteral("alerts: %1 not sent to %2: %3 alerts are still waiting "
                                    "for delivery")
                         .arg(event, where())
                         .arg(m_pending));
        emit gaveUp(event, QStringLiteral("too many alerts waiting"));
        return;
    }
    ++m_pending;
    attempt(body, event, 1);
}

void WebhookSender::attempt(const QByteArray &body, const QString &event, int number)
{
    QNetworkRequest request(m_config.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader,
                      QByteArray("dealerq/" + QCoreApplication::applicationVersion().toLatin1()));
    request.setRawHeader("X-Dealerq-Event", event.toLatin1());
    if (!m_config.secret.isEmpty())
        request.setRawHeader("X-Dealerq-Signature", webhookSignature(body, m_config.secret));
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_config.timeoutMs);
    QNetworkReply *reply = m_nam->post(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, body, event, number] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const bool ok = reply->error() == QNetworkReply::NoError && status >= 200 && status < 300;
        emit tried(event, number, status, ok);
        if (ok) {
            emit delivered(event, number);
            settle();
            return;
        }
        const QString why =
            status > 0 ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
        if (number < m_config.maxAttempts) {
            const int delay = webhookRetryDelayMs(m_config, number + 1);
            emit retryScheduled(event, number + 1, delay);
            QTimer::singleShot(delay, this,
                               [this, body, event, number] { attempt(body, event, number + 1); });
            return;
        }
        emit logLine(QStringLiteral("alerts: %1 could not be delivered to %2 after %3 tries "
                                    "(last: %4)")
                         .arg(event, where())
                         .arg(number)
                         .arg(why));
        emit gaveUp(event, why);
        settle();
    });
}

void WebhookSender::settle()
{
    if (--m_pending == 0)
        emit idle();
}

AlertService::AlertService(WebhookConfig config, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread(this))
    , m_sender(new WebhookSender(std::move(config)))
    , m_logger([](const QString &line) { qWarning("%s", qUtf8Printable(line)); })
{
    m_thread->setObjectName(QStringLiteral("dealerq-alerts"));
    m_sender->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_sender, &QObject::deleteLater);
    connect(m_sender, &WebhookSender::logLine, this,
            [this](const QString &line) { m_logger(line); });
    const auto done = [this] {
        if (--m_inFlight == 0)
            emit settled();
    };
    connect(m_sender, &WebhookSender::delivered, this, done);
    connect(m_sender, &WebhookSender::gaveUp, this, done);
    m_thread->start();
}

AlertService::~AlertService()
{
    m_thread->quit();
    m_thread->wait();
}

void AlertService::setLogger(std::function<void(const QString &)> logger)
{
    m_logger = std::move(logger);
}

void AlertService::jobFinished(const Job &job)
{
    if (const std::optional<QJsonObject> event =
            m_events.jobFinished(job, QDateTime::currentMSecsSinceEpoch()))
        post(*event);
}

void AlertService::queueEmpty()
{
    if (const std::optional<QJsonObject> event =
            m_events.queueEmpty(QDateTime::currentMSecsSinceEpoch()))
        post(*event);
}

void AlertService::post(const QJsonObject &event)
{
    const QByteArray body = QJsonDocument(event).toJson(QJsonDocument::Compact);
    const QString name = event.value(QStringLiteral("event")).toString();
    ++m_inFlight;
    QMetaObject::invokeMethod(m_sender, "send", Qt::QueuedConnection, Q_ARG(QByteArray, body),
                              Q_ARG(QString, name));
}

bool AlertService::finish(int timeoutMs)
{
    if (m_inFlight > 0) {
        QEventLoop loop;
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        connect(this, &AlertService::settled, &loop, &QEventLoop::quit);
        loop.exec();
    }
    if (m_inFlight > 0)
        m_logger(QStringLiteral("alerts: %1 alert(s) still undelivered at exit").arg(m_inFlight));
    return m_inFlight == 0;
}
