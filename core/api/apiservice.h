#pragma once

#include "api/apimetrics.h"
#include "api/apiserver.h"
#include "store/database.h"

#include <memory>

#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <QThread>
#include <QUrl>

struct Job;
class SchedulerClock;

/// The REST API (SPEC §4) on a thread of its own, with its own JobStore connection, so that
/// the window never waits on it and it never waits on the window. Calls that change the queue
/// are announced through queueChanged() and cancelRunningRequested() (connect them to the
/// JobQueue with queued connections).
class ApiService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiService)

public:
    struct Options
    {
        DatabaseUrl database;
        QStringList fetchTypes;
        int coverageStaleHours = 26; ///< `[coverage] stale_hours` (SPEC §10)
        QHostAddress address = QHostAddress(QHostAddress::LocalHost);
        quint16 port = 8000; ///< 0: any free port
        QByteArray token;
        ApiServer::Limits limits;
        std::optional<QSslConfiguration> tls; ///< HTTPS only, when set (loadApiTls())
        /// The clock of the failed-token throttling (must outlive the service, readable from
        /// the API thread); null: the system's.
        const SchedulerClock *clock = nullptr;
    };

    explicit ApiService(QObject *parent = nullptr);
    ~ApiService() override;

    /// Starts the thread and listens; the database is opened there on first use, so a slow
    /// database never delays the caller. False with a reason (e.g. the address is in use).
    bool start(const Options &options, QString *error);
    /// Closes the listener and every connection, and ends the thread.
    void stop();

    QHostAddress address() const { return m_address; }
    quint16 port() const { return m_port; }
    /// `http://HOST:PORT`, or `https://…` with TLS.
    QUrl baseUrl() const;
    /// True when it listens beyond this machine (not on a loopback address).
    bool isExposed() const;

    QByteArray token() const;
    /// Puts a new token in effect at once (the old one stops working) and emits tokenChanged.
    void setToken(const QByteArray &token);
    /// A new random token, in effect at once; returns it.
    QByteArray regenerateToken();
    /// 32 random bytes from the system's generator, base64url-encoded (43 characters).
    static QByteArray generateToken();

    /// The process-side figures of /metrics.
    ApiMetrics &metrics() { return m_metrics; }

public slots:
    /// Counts a finished job for /metrics (connect JobQueue::jobFinished).
    void observeFinishedJob(const Job &job);

signals:
    /// A call changed the queue: wake the runner, refresh views. Emitted from the API thread.
    void queueChanged();
    /// A call cancelled the running job `jobId`: abort it. Emitted from the API thread.
    void cancelRunningRequested(qint64 jobId);
    void tokenChanged(const QByteArray &token);

private:
    struct Worker;
    QThread m_thread;
    QObject *m_context = nullptr;     ///< lives in m_thread
    std::unique_ptr<Worker> m_worker; ///< created, used and destroyed in m_thread
    ApiMetrics m_metrics;
    mutable QMutex m_tokenMutex;
    QByteArray m_token;
    QHostAddress m_address;
    quint16 m_port = 0;
    bool m_encrypted = false;
};
