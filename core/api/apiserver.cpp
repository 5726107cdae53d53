#include "api/apiserver.h"

#include "job/httpstatus.h"
#include "log/logging.h"

#include <QHttpServerRequest>
#include <QAbstractHttpServer>
#include <QHash>
#include <QJsonDocument>
#include <QPointer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
#include <QHttpHeaders>
#include <QHttpServerResponder>
#endif

#include <deque>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#endif

// What differs between the Qt versions this adapter is built with, all in this file:
//   - Qt 6.4 hands handleRequest() the connection's socket; Qt 6.8 a QHttpServerResponder and,
//     in the request, the peer's address and port, by which Connections finds the socket. Both
//     answer on the socket themselves, so that every answer is the same bytes on either.
//   - Qt 6.8 answers "Expect: 100-continue" itself; for 6.4 the guard does.
//   - Request headers: a list of pairs (6.4), QHttpHeaders (6.8).
#define DEALERQ_QT_HTTPSERVER_68 (QT_VERSION >= QT_VERSION_CHECK(6, 8, 0))

namespace {

class ConnectionGuard;

/// The guards of every open connection, by the peer's address and port.
struct Connections
{
    int open = 0;
    QHash<QString, ConnectionGuard *> byPeer;

    static QString key(const QHostAddress &address, quint16 port)
    {
        return address.toString() + QLatin1Char(' ') + QString::number(port);
    }
    ConnectionGuard *find(const QHostAddress &address, quint16 port) const
    {
        return byPeer.value(key(address, port));
    }
};

/// Streams a response body from a device, a chunk at a time as the socket drains.
class BodyStreamer final : public QObject
{
public:
    BodyStreamer(QTcpSocket *socket, std::unique_ptr<QIODevice> device, bool close)
        : QObject(socket)
        , m_socket(socket)
        , m_device(std::move(device))
        , m_close(close)
    {
        connect(socket, &QTcpSocket::bytesWritten, this, &BodyStreamer::pump);
        pump();
    }

private:
    void pump()
    {
        constexpr qint64 Chunk = 64 * 1024;
        constexpr qint64 HighWater = 256 * 1024;
        while (m_device && m_socket->bytesToWrite() < HighWater) {
            const QByteArray chunk = m_device->read(Chunk);
            if (chunk.isEmpty()) {
                // Done (or the file failed: then the client sees a short body and a close).
                const bool complete = m_device->atEnd();
                m_device.reset();
                if (m_close || !complete)
                    m_socket->disconnectFromHost();
                deleteLater();
                return;
            }
            m_socket->write(chunk);
        }
    }

    QTcpSocket *m_socket;
    std::unique_ptr<QIODevice> m_device;
    bool m_close;
};

enum class AfterResponse
{
    KeepOpen,
    Close,         ///< "Connection: close", then close once written
    AnnounceClose, ///< "Connection: close"; the caller closes
};

// Closes once everything written has gone out. (Closing with bytes still queued would let Qt 6.8
// delete the socket, and the answer with it, when the request's responder goes.)
void closeWhenWritten(QTcpSocket *socket)
{
    socket->flush();
    if (socket->bytesToWrite() == 0) {
        socket->disconnectFromHost();
        return;
    }
    QObject::connect(socket, &QTcpSocket::bytesWritten, socket, [socket] {
        if (socket->bytesToWrite() == 0)
            socket->disconnectFromHost();
    });
}

void writeResponse(QTcpSocket *socket, ApiResponse response, AfterResponse after)
{
    const bool close = after != AfterResponse::KeepOpen;
    const qint64 length =
        response.stream ? response.stream->size() - response.stream->pos() : response.body.size();
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' +
                      httpReasonPhrase(response.status, "Status") + "\r\n";
    head += "Content-Type: " + response.contentType + "\r\n";
    for (const auto &[name, value] : response.headers)
        head += name + ": " + value + "\r\n";
    head += "Content-Length: " + QByteArray::number(length) + "\r\n";
    head += "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n";
    if (close)
        head += "Connection: close\r\n";
    head += "\r\n";
    if (response.stream) {
        socket->write(head);
        new BodyStreamer(socket, std::move(response.stream), close);
        return;
    }
    socket->write(head + response.body);
    if (after == AfterResponse::Close)
        closeWhenWritten(socket);
}

/// Watches one connection from before Qt's HTTP server reads it: its readyRead slot is
/// connected first, so it peeks at every byte before the server consumes it, follows where each
/// request's head and body end, and takes the connection over to refuse a request that breaks a
/// limit.
class ConnectionGuard final : public QObject
{
public:
    ConnectionGuard(QTcpSocket *socket, const ApiServer::Limits &limits,
                    std::function<void(int)> refused, std::shared_ptr<Connections> connections)
        : QObject(socket)
        , m_socket(socket)
        , m_limits(limits)
        , m_refused(std::move(refused))
        , m_connections(std::move(connections))
        , m_key(Connections::key(socket->peerAddress(), socket->peerPort()))
    {
        ++m_connections->open;
        m_connections->byPeer.insert(m_key, this);
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, &ConnectionGuard::onTimeout);
        connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
        connect(socket, &QTcpSocket::bytesWritten, this, &ConnectionGuard::onBytesWritten);
        if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
            // Over TLS the answer is out only once its encrypted bytes are.
            connect(ssl, &QSslSocket::encryptedBytesWritten, this,
                    &ConnectionGuard::onBytesWritten);
        }
        connect(socket, &QTcpSocket::disconnected, this, [this] {
            if (m_refusing)
                m_socket->deleteLater();
        });
        m_timer.start(m_limits.idleTimeoutMs);
    }
    ~ConnectionGuard() override
    {
        --m_connections->open;
        if (m_connections->byPeer.value(m_key) == this)
            m_connections->byPeer.remove(m_key);
    }

    QTcpSocket *socket() const { return m_socket; }

    /// Whether the connection closes after the answer to the oldest request not yet answered
    /// ("Connection: close", HTTP/1.0).
    bool takeCloseAfterResponse()
    {
        if (m_closeAfter.empty())
            return false;
        const bool close = m_closeAfter.front();
        m_closeAfter.pop_front();
        return close;
    }

    /// Answers `status` itself, drops whatever else the client sends, and closes.
    void refuse(int status, const QString &code, const QString &message)
    {
        if (m_refusing)
            return;
        m_refusing = true;
        if (status == 503)
            qCWarning(lcApi).noquote() << "refused a connection from"
                                       << m_socket->peerAddress().toString() << "-" << message;
        else
            qCDebug(lcApi).noquote()
                << "refused a request from" << m_socket->peerAddress().toString() << "-" << status
                << message;
        if (m_refused)
            m_refused(status);
        // From now on the connection is ours alone: Qt's server must not see another byte.
        disconnect(m_socket, &QTcpSocket::readyRead, nullptr, nullptr);
        connect(m_socket, &QTcpSocket::readyRead, this, &ConnectionGuard::drain);
        if (m_socket->isTransactionStarted())
            m_socket->commitTransaction(); // frees what the server had buffered
        drain();
        writeResponse(m_socket, ApiResponse::error(status, code, message),
                      AfterResponse::AnnounceClose);
        m_socket->flush();
        m_timer.start(m_limits.lingerMs);
        halfCloseWhenSent();
    }

private:
    void onReadyRead()
    {
        const qint64 available = m_socket->bytesAvailable();
        if (available <= 0 || m_refusing)
            return;
        // The front of what is available may be bytes seen before that the server left unread.
        const qint64 seenUnread = m_seen - m_serverRead;
        if (available > seenUnread)
            scan(m_socket->peek(available).mid(seenUnread));
        if (!m_refusing)
            serverReads();
    }

    // Follows what Qt's server reads in the readyRead slot that runs after this guard's: all it
    // can of the request it is reading, but never past that request's end. What follows (a
    // pipelined request) it leaves for a readyRead it posts itself once it has answered (6.4 and
    // 6.8 alike; tst_apiserver's pipelined tests fail if this guard assumes otherwise).
    void serverReads()
    {
        // One request, if a whole one is there; else everything, as far as the request goes.
        if (!m_requestEnds.empty()) {
            m_serverRead = m_requestEnds.front();
            m_requestEnds.pop_front();
            return;
        }
        m_serverRead = m_seen;
    }

    void scan(const QByteArray &fresh)
    {
        const qint64 base = m_seen; // the stream offset of fresh's first byte
        m_seen += fresh.size();
        qsizetype pos = 0;
        while (pos < fresh.size() && !m_refusing) {
            if (m_bodyLeft > 0) {
                const qint64 take = qMin<qint64>(m_bodyLeft, fresh.size() - pos);
                m_bodyLeft -= take;
                pos += take;
                if (m_bodyLeft == 0)
                    requestComplete(base + pos);
                continue;
            }
            if (m_head.isEmpty()) {
                // Blank lines between requests are allowed (RFC 9112 §2.2).
                while (pos < fresh.size() && (fresh.at(pos) == '\r' || fresh.at(pos) == '\n'))
                    ++pos;
                if (pos == fresh.size())
                    break;
                m_timer.start(m_limits.idleTimeoutMs); // the whole request must come in time
            }
            const qsizetype before = m_head.size();
            const qsizetype room = m_limits.maxHeadBytes + 4 - before;
            m_head += fresh.mid(pos, room);
            const qsizetype end = m_head.indexOf("\r\n\r\n", qMax<qsizetype>(0, before - 3));
            if (end < 0 || end + 4 > m_limits.maxHeadBytes) {
                if (m_head.size() > m_limits.maxHeadBytes) {
                    refuse(431, QStringLiteral("header_too_large"),
                           QStringLiteral("the request head is larger than %1 KiB")
                               .arg(m_limits.maxHeadBytes / 1024));
                    return;
                }
                pos += m_head.size() - before;
                continue;
            }
            m_head.truncate(end + 4);
            pos += m_head.size() - before;
            if (!inspectHead())
                return;
            m_head.clear();
            if (m_bodyLeft == 0)
                requestComplete(base + pos);
        }
    }

    // Reads what this guard needs from a complete head; refuses the request when it must.
    bool inspectHead()
    {
        const QList<QByteArray> lines = m_head.left(m_head.size() - 4).split('\n');
        const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
        if (requestLine.size() != 3 || requestLine.at(0).isEmpty() ||
            !requestLine.at(2).startsWith("HTTP/1.")) {
            refuse(400, QStringLiteral("bad_request"),
                   QStringLiteral("the request line is not METHOD PATH HTTP/1.1"));
            return false;
        }
        static const QByteArrayList methods{"GET",   "POST",    "PUT",  "DELETE",
                                            "PATCH", "OPTIONS", "HEAD", "TRACE"};
        if (!methods.contains(requestLine.at(0))) {
            refuse(405, QStringLiteral("method_not_allowed"),
                   QStringLiteral("method %1 is not supported")
                       .arg(QString::fromLatin1(requestLine.at(0).left(20))));
            return false;
        }
        const bool http10 = requestLine.at(2) == "HTTP/1.0";
        qint64 length = 0;
        bool lengthSeen = false;
        bool chunked = false;
        bool expectContinue = false;
        bool close = http10;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines.at(i).trimmed();
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0) {
                refuse(400, QStringLiteral("bad_request"),
                       QStringLiteral("header line %1 is not NAME: VALUE").arg(i));
                return false;
            }
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length") {
                bool ok = value.size() <= 18 && !value.isEmpty();
                for (const char c : value)
                    ok = ok && c >= '0' && c <= '9';
                const qint64 declared = ok ? value.toLongLong() : -1;
                if (!ok || (lengthSeen && declared != length)) {
                    refuse(400, QStringLiteral("bad_request"),
                           QStringLiteral("Content-Length is not one whole number"));
                    return false;
                }
                length = declared;
                lengthSeen = true;
            } else if (name == "transfer-encoding") {
                chunked = true;
            } else if (name == "expect") {
                expectContinue = value.toLower() == "100-continue";
            } else if (name == "connection") {
                const QByteArray option = value.toLower();
                if (option.contains("close"))
                    close = true;
                else if (option.contains("keep-alive"))
                    close = false;
            }
        }
        if (chunked) {
            refuse(411, QStringLiteral("length_required"),
                   QStringLiteral("chunked request bodies are not accepted; send the body with "
                                  "a Content-Length (at most 1 MiB)"));
            return false;
        }
        if (length > m_limits.maxBodyBytes) {
            refuse(413, QStringLiteral("payload_too_large"),
                   QStringLiteral("the body is %1 bytes; at most %2 are accepted")
                       .arg(length)
                       .arg(m_limits.maxBodyBytes));
            return false;
        }
        m_closeAfter.push_back(close);
        m_bodyLeft = length;
#if DEALERQ_QT_HTTPSERVER_68
        Q_UNUSED(expectContinue) // Qt's server sends the 100 Continue
#else
        if (expectContinue && length > 0)
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
#endif
        return true;
    }

    /// A request ends at the stream offset `end`.
    void requestComplete(qint64 end)
    {
        m_requestEnds.push_back(end);
        m_timer.start(m_limits.idleTimeoutMs);
    }

    void onBytesWritten()
    {
        if (m_refusing) {
            halfCloseWhenSent();
            return;
        }
        if (m_head.isEmpty() && m_bodyLeft == 0)
            m_timer.start(m_limits.idleTimeoutMs); // a response is flowing: not idle
    }

    void onTimeout()
    {
        if (m_refusing) {
            m_socket->abort();
            m_socket->deleteLater();
        } else if (!m_head.isEmpty() || m_bodyLeft > 0) {
            refuse(408, QStringLiteral("request_timeout"),
                   QStringLiteral("the request did not arrive in full within %1 s")
                       .arg(m_limits.idleTimeoutMs / 1000.0));
        } else {
            // Idle, or the client stopped reading its answer. deleteLater as well: after a
            // parse error Qt's server has dropped its own connections to the socket.
            if (unsent() > 0)
                m_socket->abort();
            else
                m_socket->disconnectFromHost();
            m_socket->deleteLater();
        }
    }

    void drain()
    {
        while (m_socket->bytesAvailable() > 0) {
            if (m_socket->skip(m_socket->bytesAvailable()) <= 0)
                break;
        }
    }

    // Once the answer is out, send FIN but keep reading (and dropping) for a while: closing
    // with unread input would make the kernel reset the connection, and a reset can reach the
    // client before it has read the answer.
    // Bytes not yet handed to the kernel: over TLS, also those encrypted but not yet written.
    qint64 unsent() const
    {
        qint64 pending = m_socket->bytesToWrite();
        if (const auto *ssl = qobject_cast<const QSslSocket *>(m_socket))
            pending += ssl->encryptedBytesToWrite();
        return pending;
    }

    void halfCloseWhenSent()
    {
        if (m_halfClosed || unsent() > 0)
            return;
        m_halfClosed = true;
        if (qobject_cast<QSslSocket *>(m_socket)) {
            // TLS cannot be half-closed under its feet (its next record would meet a closed
            // socket): end the session properly, once the answer is out. What the client sends
            // meanwhile has been drained.
            QMetaObject::invokeMethod(m_socket, &QTcpSocket::disconnectFromHost,
                                      Qt::QueuedConnection);
            return;
        }
#ifdef Q_OS_UNIX
        if (m_socket->socketDescriptor() >= 0)
            ::shutdown(int(m_socket->socketDescriptor()), SHUT_WR);
#endif
    }

    QTcpSocket *m_socket;
    const ApiServer::Limits m_limits;
    std::function<void(int)> m_refused;
    std::shared_ptr<Connections> m_connections;
    const QString m_key;
    QTimer m_timer;
    QByteArray m_head;
    qint64 m_bodyLeft = 0;
    qint64 m_seen = 0;                ///< bytes of the stream scanned
    qint64 m_serverRead = 0;          ///< bytes of the stream Qt's server has read
    std::deque<qint64> m_requestEnds; ///< where the requests the server has not read end
    std::deque<bool> m_closeAfter;    ///< per request not yet answered, oldest first
    bool m_refusing = false;
    bool m_halfClosed = false;
};

} // namespace

/// Hands every connection to a guard before Qt's HTTP server sees it.
class ApiServer::TcpServer final : public QTcpServer
{
public:
    TcpServer(const Limits &limits, std::function<void(int)> refused,
              std::shared_ptr<Connections> connections, std::optional<QSslConfiguration> tls)
        : m_limits(limits)
        , m_refused(std::move(refused))
        , m_connections(std::move(connections))
        , m_tls(std::move(tls))
    {}

protected:
    void incomingConnection(qintptr descriptor) override
    {
        QTcpSocket *socket = nullptr;
        if (m_tls) {
            // Encrypted before anyone reads: the guard and Qt's server see only plain text,
            // the guard's limits and timeout included (a handshake that stalls is idle).
            auto *ssl = new QSslSocket(this);
            ssl->setSslConfiguration(*m_tls);
            socket = ssl;
        } else {
            socket = new QTcpSocket(this);
        }
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        if (auto *ssl = qobject_cast<QSslSocket *>(socket)) {
            // A client that fails the handshake (plain HTTP, a bad protocol) is dropped.
            connect(ssl, &QSslSocket::errorOccurred, ssl, [ssl] {
                if (!ssl->isEncrypted())
                    ssl->abort();
            });
            ssl->startServerEncryption();
        }
        const bool full = m_connections->open >= m_limits.maxConnections;
        auto *guard = new ConnectionGuard(socket, m_limits, m_refused, m_connections);
        if (full) {
            guard->refuse(503, QStringLiteral("too_many_connections"),
                          QStringLiteral("too many open connections; try again shortly"));
            return;
        }
        addPendingConnection(socket); // after the guard's readyRead slot: it runs first
    }

private:
    const Limits m_limits;
    std::function<void(int)> m_refused;
    std::shared_ptr<Connections> m_connections;
    std::optional<QSslConfiguration> m_tls;
};

/// Qt's server, reduced to parsing: every request goes to the handler.
class ApiServer::Frontend final : public QAbstractHttpServer
{
public:
    explicit Frontend(Handler handler)
        : m_handler(std::move(handler))
    {}

    const std::shared_ptr<Connections> &connections() const { return m_connections; }

protected:
#if DEALERQ_QT_HTTPSERVER_68
    // The responder stays unused: the answer goes out on the socket, as with 6.4.
    bool handleRequest(const QHttpServerRequest &request, QHttpServerResponder &) override
    {
        if (ConnectionGuard *guard =
                m_connections->find(request.remoteAddress(), request.remotePort()))
            answer(request, guard->socket(), guard);
        return true;
    }

    void missingHandler(const QHttpServerRequest &request, QHttpServerResponder &) override
    {
        if (ConnectionGuard *guard =
                m_connections->find(request.remoteAddress(), request.remotePort()))
            notFound(guard->socket());
    }
#else
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override
    {
        answer(request, socket, m_connections->find(socket->peerAddress(), socket->peerPort()));
        return true;
    }

    void missingHandler(const QHttpServerRequest &, QTcpSocket *socket) override
    {
        notFound(socket);
    }
#endif

private:
    void answer(const QHttpServerRequest &request, QTcpSocket *socket, ConnectionGuard *guard)
    {
        ApiRequest apiRequest;
        apiRequest.method = methodName(request.method());
        apiRequest.path = request.url().path();
        apiRequest.query = request.query();
        apiRequest.headers = headerPairs(request.headers());
        apiRequest.body = request.body();
        apiRequest.peer = socket->peerAddress().toString();
        const bool close = guard && guard->takeCloseAfterResponse();
        writeResponse(socket, m_handler(apiRequest),
                      close ? AfterResponse::Close : AfterResponse::KeepOpen);
    }

    static void notFound(QTcpSocket *socket)
    {
        writeResponse(socket,
                      ApiResponse::error(404, QStringLiteral("not_found"),
                                         QStringLiteral("no such endpoint")),
                      AfterResponse::Close);
    }

    static QList<QPair<QByteArray, QByteArray>>
    headerPairs(const QList<QPair<QByteArray, QByteArray>> &headers)
    {
        return headers;
    }
#if DEALERQ_QT_HTTPSERVER_68
    static QList<QPair<QByteArray, QByteArray>> headerPairs(const QHttpHeaders &headers)
    {
        return headers.toListOfPairs();
    }
#endif

    static QByteArray methodName(QHttpServerRequest::Method method)
    {
        switch (method) {
        case QHttpServerRequest::Method::Get:
            return "GET";
        case QHttpServerRequest::Method::Put:
            return "PUT";
        case QHttpServerRequest::Method::Delete:
            return "DELETE";
        case QHttpServerRequest::Method::Post:
            return "POST";
        case QHttpServerRequest::Method::Head:
            return "HEAD";
        case QHttpServerRequest::Method::Options:
            return "OPTIONS";
        case QHttpServerRequest::Method::Patch:
            return "PATCH";
        case QHttpServerRequest::Method::Connect:
            return "CONNECT";
        case QHttpServerRequest::Method::Trace:
            return "TRACE";
        default:
            return "OTHER";
        }
    }

    Handler m_handler;
    std::shared_ptr<Connections> m_connections = std::make_shared<Connections>();
};

ApiServer::ApiServer(Handler handler, Limits limits, std::function<void(int)> refused)
    : m_frontend(std::make_unique<Frontend>(std::move(handler)))
    , m_limits(limits)
    , m_refused(std::move(refused))
{}

ApiServer::~ApiServer() = default;

bool ApiServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    auto tcp = std::make_unique<TcpServer>(m_limits, m_refused, m_frontend->connections(), m_tls);
    if (!tcp->listen(address, port)) {
        if (error)
            *error = tcp->errorString();
        return false;
    }
    m_tcp = tcp.release();
    m_frontend->bind(m_tcp); // takes ownership (6.8: and says true, as it listens)
    return true;
}

void ApiServer::setTlsConfiguration(const QSslConfiguration &tls)
{
    m_tls = tls;
}

QHostAddress ApiServer::address() const
{
    return m_tcp ? m_tcp->serverAddress() : QHostAddress();
}

quint16 ApiServer::port() const
{
    return m_tcp ? m_tcp->serverPort() : 0;
}
