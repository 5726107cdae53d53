#pragma once

#include "alert/alertevents.h"
#include "job/job.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <functional>

class QNetworkAccessManager;
class QNetworkReply;
class QThread;

/// SPEC §7's webhook: where the alert events go and how they are signed.
struct WebhookConfig
{
    QUrl url;          ///< http or https; empty: no webhook
    QByteArray secret; ///< HMAC-SHA256 key for X-Dealerq-Signature; empty: unsigned
    int maxAttempts = 5;
    int firstRetryMs = 1000; ///< doubles after each failed try: 1, 2, 4, 8 s
    int timeoutMs = 10000;   ///< per try
    int maxPending = 1000;   ///< events waiting or being tried; more are dropped (and logged)
};

/// `sha256=<hex HMAC-SHA256 of body keyed with secret>`.
QByteArray webhookSignature(const QByteArray &body, const QByteArray &secret);
/// The pause before try `attempt` (2 = the first retry): firstRetryMs · 2^(attempt−2).
int webhookRetryDelayMs(const WebhookConfig &config, int attempt);

/// Posts events to the webhook, each tried up to maxAttempts times with growing pauses. Lives
/// on AlertService's thread: nothing it does can hold up the runner or the window. It never
/// follows a redirect and never logs the URL's query or credentials.
class WebhookSender final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookSender)

public:
    explicit WebhookSender(WebhookConfig config, QObject *parent = nullptr);
    ~WebhookSender() override;

    /// Sends one event (its JSON body); returns at once.
    Q_INVOKABLE void send(const QByteArray &body, const QString &event);
    int pending() const { return m_pending; }

signals:
    /// After each try: `status` is the HTTP status (0: no answer), `ok` whether it counts.
    void tried(const QString &event, int attempt, int status, bool ok);
    /// A failed try will be repeated after `delayMs`.
    void retryScheduled(const QString &event, int attempt, int delayMs);
    void delivered(const QString &event, int attempts);
    void gaveUp(const QString &event, const QString &reason);
    /// Nothing is waiting or being tried any more.
    void idle();
    /// A line for the log: a failed delivery, a dropped event.
    void logLine(const QString &line);

private:
    void attempt(const QByteArray &body, const QString &event, int number);
    void settle();
    QString where() const;

    WebhookConfig m_config;
    QNetworkAccessManager *m_nam = nullptr;
    int m_pending = 0;
};

/// The alerts of one process: feeds the runner's news (jobFinished, queueEmpty, on the thread
/// that owns this object) through AlertEvents and hands each event to a WebhookSender on a
/// thread of its own.
class AlertService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertService)

public:
    explicit AlertService(WebhookConfig config, QObject *parent = nullptr);
    ~AlertService() override;

    /// Waits up to `timeoutMs` for the events already handed over to be delivered or given up
    /// (so that `--drain` does not exit with an alert in flight); false when some were still
    /// waiting.
    bool finish(int timeoutMs);
    /// Where log lines go (default: qWarning); set before the first event.
    void setLogger(std::function<void(const QString &)> logger);
    WebhookSender *sender() const { return m_sender; }

public slots:
    void jobFinished(const Job &job);
    void queueEmpty();

signals:
    /// Every event handed over so far was delivered or given up.
    void settled();

private:
    void post(const QJsonObject &event);

    AlertEvents m_events;
    int m_inFlight = 0;
    QThread *m_thread = nullptr;
    WebhookSender *m_sender = nullptr;
    std::function<void(const QString &)> m_logger;
};
