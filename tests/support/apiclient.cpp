#include "apiclient.h"

#include <QDeadlineTimer>
#include <QJsonDocument>

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QString HttpReply::errorCode() const
{
    return json().value("error").toObject().value("code").toString();
}

QString HttpReply::errorField() const
{
    return json().value("error").toObject().value("field").toString();
}

ApiClient::ApiClient(quint16 port, QByteArray token)
    : m_port(port)
    , m_token(std::move(token))
{}

bool ApiClient::connectNow()
{
    if (m_socket.state() == QAbstractSocket::ConnectedState)
        return true;
    m_socket.abort();
    m_buffer.clear();
    m_socket.connectToHost(QHostAddress::LocalHost, m_port);
    return m_socket.waitForConnected(5000);
}

HttpReply ApiClient::get(const QString &path)
{
    return request("GET", path);
}

HttpReply ApiClient::del(const QString &path)
{
    return request("DELETE", path);
}

HttpReply ApiClient::post(const QString &path, const QJsonObject &body)
{
    return request("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact),
                   {{"Content-Type", "application/json"}});
}

HttpReply ApiClient::request(const QByteArray &method, const QString &path, const QByteArray &body,
                             const QList<QPair<QByteArray, QByteArray>> &headers, bool withToken)
{
    QByteArray bytes = method + ' ' + path.toUtf8() +
                       " HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(m_port) + "\r\n";
    if (withToken && !m_token.isEmpty())
        bytes += "Authorization: Bearer " + m_token + "\r\n";
    for (const auto &[name, value] : headers)
        bytes += name + ": " + value + "\r\n";
    if (!body.isEmpty() || method == "POST")
        bytes += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    bytes += "\r\n" + body;
    return raw(bytes);
}

HttpReply ApiClient::raw(const QByteArray &bytes, int timeoutMs)
{
    HttpReply reply;
    if (!connectNow()) {
        reply.error = QStringLiteral("cannot connect: %1").arg(m_socket.errorString());
        return reply;
    }
    m_socket.write(bytes);
    return read(timeoutMs);
}

HttpReply ApiClient::read(int timeoutMs)
{
    HttpReply reply;
    const QDeadlineTimer deadline(timeoutMs < 0 ? m_timeoutMs : timeoutMs);
    const auto fill = [&]() {
        m_buffer += m_socket.readAll();
        if (m_socket.state() != QAbstractSocket::ConnectedState && m_socket.bytesAvailable() == 0)
            return false;
        if (deadline.hasExpired())
            return false;
        if (m_socket.bytesToWrite() > 0)
            m_socket.waitForBytesWritten(int(qMin<qint64>(100, deadline.remainingTime())));
        else
            m_socket.waitForReadyRead(int(qMin<qint64>(100, deadline.remainingTime())));
        m_buffer += m_socket.readAll();
        return true;
    };
    for (;;) {
        qsizetype end = m_buffer.indexOf("\r\n\r\n");
        while (end < 0) {
            if (!fill()) {
                m_buffer += m_socket.readAll();
                end = m_buffer.indexOf("\r\n\r\n");
                if (end >= 0)
                    break;
                reply.error = deadline.hasExpired() ? QStringLiteral("timed out")
                                                    : QStringLiteral("connection closed");
                return reply;
            }
            end = m_buffer.indexOf("\r\n\r\n");
        }
        const QList<QByteArray> lines = m_buffer.left(end).split('\n');
        m_buffer.remove(0, end + 4);
        const QList<QByteArray> statusLine = lines.first().trimmed().split(' ');
        reply.status = statusLine.value(1).toInt();
        reply.headers.clear();
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            reply.headers.push_back(
                {lines.at(i).left(colon).trimmed(), lines.at(i).mid(colon + 1).trimmed()});
        }
        if (reply.status >= 100 && reply.status < 200)
            continue; // 100 Continue: the real answer follows
        break;
    }
    const qint64 length = reply.header("Content-Length").toLongLong();
    while (m_buffer.size() < length) {
        if (!fill()) {
            m_buffer += m_socket.readAll();
            if (m_buffer.size() >= length)
                break;
            reply.error = QStringLiteral("body cut short");
            reply.body = m_buffer;
            m_buffer.clear();
            return reply;
        }
    }
    reply.body = m_buffer.left(length);
    m_buffer.remove(0, length);
    if (reply.header("Connection").toLower() == "close") {
        m_socket.waitForDisconnected(1000);
        m_socket.abort();
        m_buffer.clear();
    }
    return reply;
}
