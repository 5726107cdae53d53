#pragma once

#include "api/apihandler.h"

#include <functional>
#include <memory>

#include <QHostAddress>
#include <QSslConfiguration>

#include <optional>

/// What one HTTP connection may send (see ApiServer).
struct ApiLimits
{
    qint64 maxBodyBytes = ApiHandler::MaxBodyBytes;
    int maxHeadBytes = 64 * 1024;
    int idleTimeoutMs = 30000;
    int lingerMs = 3000; ///< after a refusal, how long unread input is drained and dropped
    int maxConnections = 256;
};

/// The one adapter over Qt's HTTP server module (QAbstractHttpServer as Qt 6.4 and 6.8 have it;
/// the differences stay in apiserver.cpp): it carries ApiRequest/ApiResponse over HTTP/1.1 and
/// guards every connection before Qt reads from it, because Qt buffers whole request heads and
/// bodies without a limit. The guard answers itself, without reading the rest: a body over
/// `maxBodyBytes` → 413; a head over `maxHeadBytes` → 431; a chunked body → 411 (a length must
/// be declared); a malformed head → 400; a request not complete within `idleTimeoutMs` → 408;
/// an idle connection is closed after `idleTimeoutMs`. With a TLS configuration every accepted
/// socket is encrypted before the guard sees it, so the same limits hold over HTTPS (and a TLS
/// handshake that never ends is closed like any idle connection). Lives in, and must be used
/// from, one thread.
class ApiServer final
{
    Q_DISABLE_COPY_MOVE(ApiServer)

public:
    using Limits = ApiLimits;
    using Handler = std::function<ApiResponse(const ApiRequest &)>;

    /// `refused` (optional) hears the status of every answer the guard gives itself.
    explicit ApiServer(Handler handler, Limits limits = {}, std::function<void(int)> refused = {});
    ~ApiServer();

    /// Serves HTTPS only, with `tls` (see loadApiTls()); call before listen().
    void setTlsConfiguration(const QSslConfiguration &tls);
    bool isEncrypted() const { return m_tls.has_value(); }
    /// Listens on `address` only (port 0: any free one). False with a reason.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    QHostAddress address() const;
    quint16 port() const;

private:
    class Frontend;
    class TcpServer;
    std::unique_ptr<Frontend> m_frontend;
    TcpServer *m_tcp = nullptr; ///< owned by m_frontend once listening
    Limits m_limits;
    std::function<void(int)> m_refused;
    std::optional<QSslConfiguration> m_tls;
};
