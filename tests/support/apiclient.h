#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QTcpSocket>

/// One HTTP answer as a test sees it.
struct HttpReply
{
    int status = 0; ///< 0: no answer (see error)
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString error;

    QByteArray header(const QByteArray &name) const;
    QJsonObject json() const;
    /// `error.code` of an error answer.
    QString errorCode() const;
    QString errorField() const;
};

/// A deliberately plain HTTP/1.1 client for tests of the REST API: one keep-alive connection
/// to 127.0.0.1:port, blocking calls with a timeout, and raw bytes when a test needs to send
/// exactly what a misbehaving client would.
class ApiClient final
{
    Q_DISABLE_COPY_MOVE(ApiClient)

public:
    explicit ApiClient(quint16 port, QByteArray token = {});

    void setToken(const QByteArray &token) { m_token = token; }
    /// How long a call waits for its answer (default 30 s).
    void setTimeout(int ms) { m_timeoutMs = ms; }
    HttpReply get(const QString &path);
    HttpReply del(const QString &path);
    HttpReply post(const QString &path, const QJsonObject &body);
    /// Any call; the token is added unless `withToken` is false.
    HttpReply request(const QByteArray &method, const QString &path, const QByteArray &body = {},
                      const QList<QPair<QByteArray, QByteArray>> &headers = {},
                      bool withToken = true);
    /// Sends `bytes` as they are and reads one answer.
    HttpReply raw(const QByteArray &bytes, int timeoutMs = -1);
    /// Reads one answer on the current connection.
    HttpReply read(int timeoutMs = -1);
    /// The connection, for tests that watch it close.
    QTcpSocket &socket() { return m_socket; }
    bool connectNow();

private:
    quint16 m_port;
    QByteArray m_token;
    int m_timeoutMs = 30000;
    QTcpSocket m_socket;
    QByteArray m_buffer;
};
