#pragma once

#include <optional>

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVector>

class QHostAddress;
class QTcpServer;
class SimConnection;
struct SimAnswer;
struct SimRequest;

/// A simulator of the dealer data API (SPEC §2) on a hand-written HTTP/1.1 server with
/// keep-alive: deterministic pages for any dealer, type and window, and faults injected by rule
/// so that every failure path of a fetch can be exercised on loopback. Runs on the thread that
/// owns it and never blocks it.
class DealerSimServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DealerSimServer)

public:
    enum class FaultMode
    {
        Http500,    ///< HTTP 500
        Http429,    ///< 429 with `Retry-After: retryAfterSeconds`
        Http401,    ///< 401
        Http403,    ///< 403
        Http404,    ///< 404
        Hang,       ///< read the request, never answer, keep the socket open
        Drop,       ///< close the connection right after reading the request
        Malformed,  ///< 200 with a body that is not JSON
        Truncated,  ///< 200 with the JSON cut in half (Content-Length matches the cut)
        Redirect,   ///< 302 to http://127.0.0.2:1/elsewhere
        BigPage,    ///< a valid 200 page over 32 MiB, streamed with a Content-Length
        BigChunked, ///< the same page sent chunked, without a Content-Length
        Stuck,      ///< next_page never grows (page n answers next_page = n)
        Nul,        ///< items' string fields carry `\u0000` escapes (valid JSON, not an error)
        BadNext,    ///< next_page is a string
        // Faults of the other shapes (Options::shape):
        RepeatCursor, ///< paging=cursor: a page names the cursor it was asked with again
        ForeignLink,  ///< paging=link: the next link points at another host
        ItemsObject,  ///< the items' key holds an object instead of an array
        NoId          ///< the first item of a page has no id
    };

    /// The shape of the answers (SPEC §11's source profiles): SPEC §2's own, or another API's.
    enum class Paging
    {
        NextPage, ///< SPEC §2: page & page_size in, next_page out
        Page,     ///< page & page_size (or limit) in; ends with a short page
        Offset,   ///< offset & page_size (or limit) in; ends with a short page
        Cursor,   ///< cursor & page_size (or limit) in; `next_cursor` out (see Shape)
        Link      ///< page & page_size in; `Link: <…>; rel="next"` out
    };
    enum class Auth
    {
        Bearer, ///< Authorization: Bearer <token> (when a token is set)
        Header, ///< <authHeader>: <token>
        Basic,  ///< Authorization: Basic base64(<token> as user:password)
        OAuth2  ///< Bearer tokens issued by POST /oauth/token (client-credentials grant)
    };
    struct Shape
    {
        Paging paging = Paging::NextPage;
        /// Keys the items array is nested under, e.g. {"data", "records"}; empty: "items".
        QStringList itemsPath;
        bool numericIds = false; ///< ids as numbers
        /// How from/to are read: iso8601, epoch_s, epoch_ms or date; with epoch_* the items'
        /// updated_at are numbers too.
        QString timeFormat = QStringLiteral("iso8601");
        Auth auth = Auth::Bearer;
        QByteArray authHeader = "X-Api-Key";
        QByteArray clientId; ///< OAuth2: the client accepted by /oauth/token
        QByteArray clientSecret;
        int tokenLifetimeS = 3600; ///< OAuth2: expires_in of each token issued
        int tokenUses = -1;        ///< OAuth2: data requests a token is good for (-1: no limit)
        /// Whether this is SPEC §2's shape.
        bool isSpec() const
        {
            return paging == Paging::NextPage && itemsPath.isEmpty() && !numericIds &&
                   timeFormat == QLatin1String("iso8601") && auth == Auth::Bearer;
        }
    };

    /// One fault: `mode` for the dealers in `dealerIds` (every dealer when empty); with
    /// `count` >= 0 only a dealer's first `count` matching requests get it.
    struct FaultRule
    {
        FaultMode mode = FaultMode::Http500;
        int count = -1;
        QStringList dealerIds;
    };

    struct Options
    {
        int records = 25;      ///< items per dealer, type and window
        int maxPageSize = 500; ///< the largest page served, whatever is asked
        int latencyMs = 0;     ///< delay before each answer (a timer, never blocking)
        QByteArray token;      ///< when set, requests need `Authorization: Bearer <token>`
        QVector<FaultRule> faults;
        int retryAfterSeconds = 1;      ///< the `Retry-After` of a 429 fault
        QHash<QString, int> recordsFor; ///< per-dealer record counts overriding `records`
        Shape shape;
    };

    /// Parses the command-line syntax `MODE[xN][:ID1,ID2,...]`, e.g. `500x2:12284,00999`;
    /// returns nothing and a reason in *error when it is not one.
    static std::optional<FaultRule> parseFaultRule(const QString &text, QString *error);
    /// The names of the fault modes as the command line spells them.
    static QStringList faultModeNames();

    explicit DealerSimServer(Options options, QObject *parent = nullptr);
    ~DealerSimServer() override;

    /// Starts listening; port 0 picks any free port. False with a reason in *error on failure.
    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;
    /// `http://HOST:PORT/` of the listening server, a loopback host when bound to any address.
    QUrl baseUrl() const;
    /// Requests read so far, answered or not.
    qint64 requestCount() const;
    /// OAuth2 tokens issued so far.
    int tokensIssued() const { return m_tokensIssued; }

private:
    friend class SimConnection;
    void acceptConnections();
    void handle(SimConnection *connection, const SimRequest &request);
    SimAnswer answer(const SimRequest &request);
    SimAnswer pageAnswer(const QString &dealerId, const QString &fetchType, qint64 fromSecs,
                         qint64 toSecs, int page, int pageSize, std::optional<FaultMode> fault);
    std::optional<FaultMode> takeFault(const QString &dealerId);
    std::optional<SimAnswer> authorize(const SimRequest &request);
    SimAnswer tokenAnswer(const SimRequest &request);
    SimAnswer shapedAnswer(const SimRequest &request, const QString &dealerId,
                           const QString &fetchType, const QHash<QString, QString> &params);
    struct IssuedToken
    {
        qint64 expiresMs = 0;
        int usesLeft = -1;
    };
    QHash<QByteArray, IssuedToken> m_tokens;
    int m_tokensIssued = 0;

    Options m_options;
    QTcpServer *m_server = nullptr;
    QVector<QHash<QString, int>> m_faultHits;
    QByteArray m_bigFiller;
    qint64 m_requestCount = 0;
};
