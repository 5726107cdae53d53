#include "sim/dealersim.h"

#include "job/httpstatus.h"
#include "job/validation.h"

#include <algorithm>
#include <array>

#include <QDateTime>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace {

constexpr qsizetype MaxHeaderBytes = 64 * 1024;
constexpr qsizetype MaxRequestBodyBytes = 1024 * 1024;
constexpr qint64 WriteHighWater = 1024 * 1024;
constexpr int BigPageItems = 34; // 34 items of 1 MiB: over 32 MiB
constexpr qsizetype BigFillerBytes = 1024 * 1024;

struct FaultName
{
    const char *name;
    DealerSimServer::FaultMode mode;
};

constexpr std::array<FaultName, 19> FaultNames = {{
    {"500", DealerSimServer::FaultMode::Http500},
    {"429", DealerSimServer::FaultMode::Http429},
    {"401", DealerSimServer::FaultMode::Http401},
    {"403", DealerSimServer::FaultMode::Http403},
    {"404", DealerSimServer::FaultMode::Http404},
    {"hang", DealerSimServer::FaultMode::Hang},
    {"drop", DealerSimServer::FaultMode::Drop},
    {"malformed", DealerSimServer::FaultMode::Malformed},
    {"truncated", DealerSimServer::FaultMode::Truncated},
    {"redirect", DealerSimServer::FaultMode::Redirect},
    {"bigpage", DealerSimServer::FaultMode::BigPage},
    {"bigchunked", DealerSimServer::FaultMode::BigChunked},
    {"stuck", DealerSimServer::FaultMode::Stuck},
    {"nul", DealerSimServer::FaultMode::Nul},
    {"badnext", DealerSimServer::FaultMode::BadNext},
    {"repeatcursor", DealerSimServer::FaultMode::RepeatCursor},
    {"foreignlink", DealerSimServer::FaultMode::ForeignLink},
    {"itemsobject", DealerSimServer::FaultMode::ItemsObject},
    {"noid", DealerSimServer::FaultMode::NoId},
}};

constexpr std::array<const char *, 16> FirstNames = {
    "Ada",  "Ben",   "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro",
    "Ines", "Jonas", "Keiko", "Liam",   "Maya",  "Noah",  "Olga",  "Pablo"};
constexpr std::array<const char *, 16> LastNames = {
    "Lovelace", "Okafor", "Moreau", "Ivanov", "Rossi", "Haddad",  "Hopper", "Tanaka",
    "Silva",    "Berg",   "Sato",   "Murphy", "Patel", "Schmidt", "Novak",  "Garcia"};
constexpr std::array<const char *, 12> Vehicles = {
    "Toyota Corolla",  "Ford F-150",     "Honda Civic",         "Tesla Model 3",
    "Volkswagen Golf", "BMW 320i",       "Chevrolet Silverado", "Hyundai Tucson",
    "Kia Sportage",    "Subaru Outback", "Mazda CX-5",          "Nissan Leaf"};
constexpr std::array<const char *, 8> Notes = {
    "Asked for a test drive next week",         "Prefers contact by e-mail",
    "Trade-in: 2012 hatchback, good condition", "Interested in financing options",
    "Follow up after the service visit",        "Requested a quote for winter tyres",
    "Wants the extended warranty explained",    "Referred by an existing customer"};

quint64 fnv1a(const QByteArray &bytes)
{
    quint64 hash = 14695981039346656037ULL;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

quint64 splitmix(quint64 x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

QByteArray typePrefix(const QString &fetchType)
{
    if (fetchType == QLatin1String("prospect"))
        return "P";
    if (fetchType == QLatin1String("sales"))
        return "S";
    if (fetchType == QLatin1String("service"))
        return "V";
    if (fetchType == QLatin1String("inventory"))
        return "I";
    return fetchType.left(1).toUpper().toUtf8();
}

bool isSafeName(const QString &text)
{
    if (text.isEmpty() || text.size() > 32)
        return false;
    return std::all_of(text.begin(), text.end(), [](QChar c) {
        return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
               (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
               (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_') ||
               c == QLatin1Char('-');
    });
}

void appendTwo(char *out, int value)
{
    out[0] = static_cast<char>('0' + value / 10);
    out[1] = static_cast<char>('0' + value % 10);
}

/// `YYYY-MM-DDTHH:MM:SSZ` for seconds since the epoch, without QDateTime (it is hot).
void appendUtc(QByteArray &out, qint64 secs)
{
    qint64 days = secs / 86400;
    qint64 rest = secs % 86400;
    if (rest < 0) {
        rest += 86400;
        --days;
    }
    // Howard Hinnant's civil_from_days.
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    if (year < 0 || year > 9999) {
        out += QDateTime::fromSecsSinceEpoch(secs, Qt::UTC).toString(Qt::ISODate).toUtf8();
        return;
    }
    char buf[20];
    appendTwo(buf, static_cast<int>(year / 100));
    appendTwo(buf + 2, static_cast<int>(year % 100));
    buf[4] = '-';
    appendTwo(buf + 5, month);
    buf[7] = '-';
    appendTwo(buf + 8, day);
    buf[10] = 'T';
    appendTwo(buf + 11, static_cast<int>(rest / 3600));
    buf[13] = ':';
    appendTwo(buf + 14, static_cast<int>(rest / 60 % 60));
    buf[16] = ':';
    appendTwo(buf + 17, static_cast<int>(rest % 60));
    buf[19] = 'Z';
    out.append(buf, sizeof buf);
}

QByteArray lower(const char *text)
{
    return QByteArray(text).toLower();
}

/// What every item of one dealer, type and window shares.
struct ItemContext
{
    QByteArray idPrefix; // "P-12284-"
    quint64 seed = 0;
    qint64 fromSecs = 0;
    qint64 spanSecs = 0;
    qint64 records = 0;
};

qint64 itemTime(const ItemContext &ctx, qint64 index)
{
    // Spread evenly over the window, without overflowing for long windows and many records.
    const qint64 parts = ctx.records + 1;
    return ctx.fromSecs + (ctx.spanSecs / parts) * index + (ctx.spanSecs % parts) * index / parts;
}

void appendId(QByteArray &out, const ItemContext &ctx, qint64 index)
{
    out += ctx.idPrefix;
    const QByteArray digits = QByteArray::number(index);
    if (digits.size() < 6)
        out.append(6 - digits.size(), '0');
    out += digits;
}

void appendItem(QByteArray &out, const ItemContext &ctx, qint64 index, bool nul)
{
    const quint64 h = splitmix(ctx.seed ^ splitmix(static_cast<quint64>(index)));
    const char *first = FirstNames[h % FirstNames.size()];
    const char *last = LastNames[(h >> 8) % LastNames.size()];
    const QByteArray separator = nul ? QByteArrayLiteral("\\u0000") : QByteArrayLiteral(" ");

    out += "{\"id\":\"";
    appendId(out, ctx, index);
    out += "\",\"updated_at\":\"";
    appendUtc(out, itemTime(ctx, index));
    out += "\",\"name\":\"";
    out += first;
    out += separator;
    out += last;
    out += "\",\"email\":\"";
    out += lower(first);
    out += '.';
    out += lower(last);
    out += '.';
    out += QByteArray::number(index);
    out += "@example.com\",\"phone\":\"+1-555-";
    const QByteArray phone = QByteArray::number(1000000 + (h >> 16) % 9000000);
    out += phone.mid(0, 3);
    out += '-';
    out += phone.mid(3);
    out += "\",\"vehicle\":\"";
    out += QByteArray::number(2005 + static_cast<int>((h >> 24) % 20));
    out += ' ';
    out += Vehicles[(h >> 32) % Vehicles.size()];
    out += "\",\"note\":\"";
    out += Notes[(h >> 40) % Notes.size()];
    if (nul)
        out += "\\u0000(nul)";
    out += "\"}";
}

QByteArray decodeComponent(QByteArray raw, bool plusIsSpace)
{
    if (plusIsSpace)
        raw.replace('+', ' ');
    return QByteArray::fromPercentEncoding(raw);
}

} // namespace

struct SimRequest
{
    QByteArray method;
    QByteArray target;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    bool keepAlive = true;
};

struct SimAnswer
{
    enum class Kind
    {
        Send,
        Hang,
        Drop
    };
    Kind kind = Kind::Send;
    int status = 200;
    QByteArray headers;         // extra header lines, each ending in CRLF
    QVector<QByteArray> pieces; // the body, written piece by piece
    bool chunked = false;
};

namespace {

SimAnswer errorAnswer(int status, const QString &code, const QString &message)
{
    SimAnswer answer;
    answer.status = status;
    answer.headers = "Content-Type: application/json\r\n";
    const QJsonObject error{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    answer.pieces.append(QJsonDocument(QJsonObject{{QStringLiteral("error"), error}})
                             .toJson(QJsonDocument::Compact));
    return answer;
}

/// The answer of a fault that is not a page's content; nothing for those that shape the page.
std::optional<SimAnswer> faultAnswer(DealerSimServer::FaultMode fault, int retryAfterSeconds)
{
    switch (fault) {
    case DealerSimServer::FaultMode::Http500:
        return errorAnswer(500, QStringLiteral("internal"),
                           QStringLiteral("simulated server failure"));
    case DealerSimServer::FaultMode::Http429: {
        SimAnswer busy = errorAnswer(429, QStringLiteral("rate_limited"),
                                     QStringLiteral("simulated rate limit"));
        busy.headers += "Retry-After: " + QByteArray::number(retryAfterSeconds) + "\r\n";
        return busy;
    }
    case DealerSimServer::FaultMode::Http401: {
        SimAnswer denied =
            errorAnswer(401, QStringLiteral("unauthorized"), QStringLiteral("simulated bad token"));
        denied.headers += "WWW-Authenticate: Bearer\r\n";
        return denied;
    }
    case DealerSimServer::FaultMode::Http403:
        return errorAnswer(403, QStringLiteral("forbidden"),
                           QStringLiteral("simulated forbidden dealer"));
    case DealerSimServer::FaultMode::Http404:
        return errorAnswer(404, QStringLiteral("not_found"),
                           QStringLiteral("simulated unknown dealer"));
    case DealerSimServer::FaultMode::Hang: {
        SimAnswer hang;
        hang.kind = SimAnswer::Kind::Hang;
        return hang;
    }
    case DealerSimServer::FaultMode::Drop: {
        SimAnswer drop;
        drop.kind = SimAnswer::Kind::Drop;
        return drop;
    }
    case DealerSimServer::FaultMode::Malformed: {
        SimAnswer bad;
        bad.headers = "Content-Type: application/json\r\n";
        bad.pieces.append("<html><body>this is not JSON {\"items\": [</body></html>");
        return bad;
    }
    case DealerSimServer::FaultMode::Redirect: {
        SimAnswer moved;
        moved.status = 302;
        moved.headers = "Location: http://127.0.0.2:1/elsewhere\r\n";
        moved.pieces.append(QByteArray());
        return moved;
    }
    default:
        break;
    }
    return std::nullopt;
}

} // namespace

/// One accepted connection: reads requests one at a time (pipelined ones wait their turn),
/// writes answers, streams big bodies as the socket drains.
class SimConnection final : public QObject
{
public:
    SimConnection(QTcpSocket *socket, DealerSimServer *server)
        : QObject(server)
        , m_socket(socket)
        , m_server(server)
    {
        m_socket->setParent(this);
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        connect(m_socket, &QTcpSocket::readyRead, this, &SimConnection::readRequests);
        connect(m_socket, &QTcpSocket::bytesWritten, this, &SimConnection::writeMore);
        connect(m_socket, &QTcpSocket::disconnected, this, &QObject::deleteLater);
    }

    void deliver(SimAnswer answer, bool keepAlive)
    {
        if (answer.kind == SimAnswer::Kind::Hang)
            return; // m_busy stays set: nothing more is answered on this connection
        if (answer.kind == SimAnswer::Kind::Drop) {
            m_socket->abort();
            deleteLater();
            return;
        }
        if (m_socket->state() != QAbstractSocket::ConnectedState)
            return;
        m_keepAlive = keepAlive;
        QByteArray head = "HTTP/1.1 " + QByteArray::number(answer.status) + ' ' +
                          httpReasonPhrase(answer.status, "Unknown") + "\r\n" + answer.headers;
        if (answer.chunked) {
            head += "Transfer-Encoding: chunked\r\n";
        } else {
            qint64 length = 0;
            for (const QByteArray &piece : std::as_const(answer.pieces))
                length += piece.size();
            head += "Content-Length: " + QByteArray::number(length) + "\r\n";
        }
        head += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
        m_pieces = std::move(answer.pieces);
        m_chunked = answer.chunked;
        m_next = 0;
        m_streaming = true;
        // A small answer goes out in one write: no Nagle or delayed-ACK stalls.
        if (!m_chunked && m_pieces.size() == 1) {
            m_socket->write(head + m_pieces.first());
            m_next = 1;
        } else {
            m_socket->write(head);
        }
        writeMore();
    }

    void readRequests()
    {
        if (m_busy) {
            if (m_buffer.size() < MaxHeaderBytes)
                m_buffer += m_socket->readAll();
            else
                m_socket->readAll();
            return;
        }
        m_buffer += m_socket->readAll();
        while (!m_busy) {
            while (m_buffer.startsWith("\r\n"))
                m_buffer.remove(0, 2);
            const qsizetype headEnd = m_buffer.indexOf("\r\n\r\n");
            if (headEnd < 0) {
                if (m_buffer.size() > MaxHeaderBytes)
                    refuse(431, QStringLiteral("request headers over 64 KiB"));
                return;
            }
            SimRequest request;
            const QList<QByteArray> lines = m_buffer.left(headEnd).split('\n');
            const QList<QByteArray> parts = lines.first().trimmed().split(' ');
            if (parts.size() != 3 || !parts.at(2).startsWith("HTTP/1.")) {
                refuse(400, QStringLiteral("malformed request line"));
                return;
            }
            request.method = parts.at(0);
            request.target = parts.at(1);
            request.keepAlive = parts.at(2) != "HTTP/1.0";
            for (qsizetype i = 1; i < lines.size(); ++i) {
                const QByteArray &line = lines.at(i);
                const qsizetype colon = line.indexOf(':');
                if (colon <= 0) {
                    refuse(400, QStringLiteral("malformed header line"));
                    return;
                }
                request.headers.insert(line.left(colon).trimmed().toLower(),
                                       line.mid(colon + 1).trimmed());
            }
            const QByteArray connection = request.headers.value("connection").toLower();
            if (connection.contains("close"))
                request.keepAlive = false;
            else if (connection.contains("keep-alive"))
                request.keepAlive = true;
            if (request.headers.contains("transfer-encoding")) {
                refuse(501, QStringLiteral("request bodies in chunks are not supported"));
                return;
            }
            bool ok = true;
            const qint64 bodyLength = request.headers.contains("content-length")
                                          ? request.headers.value("content-length").toLongLong(&ok)
                                          : 0;
            if (!ok || bodyLength < 0 || bodyLength > MaxRequestBodyBytes) {
                refuse(413, QStringLiteral("request body too large"));
                return;
            }
            if (m_buffer.size() < headEnd + 4 + bodyLength)
                return; // wait for the rest of the body
            request.body = m_buffer.mid(headEnd + 4, bodyLength);
            m_buffer.remove(0, headEnd + 4 + bodyLength);
            m_busy = true;
            m_server->handle(this, request);
        }
    }

private:
    void refuse(int status, const QString &message)
    {
        m_busy = true;
        m_buffer.clear();
        deliver(errorAnswer(status, QStringLiteral("bad_request"), message), false);
    }

    void writeMore()
    {
        if (!m_streaming || m_socket->state() != QAbstractSocket::ConnectedState)
            return;
        while (m_next < m_pieces.size() && m_socket->bytesToWrite() < WriteHighWater) {
            const QByteArray &piece = m_pieces.at(m_next);
            if (m_chunked) {
                if (!piece.isEmpty())
                    m_socket->write(QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n");
            } else {
                m_socket->write(piece);
            }
            m_pieces[m_next].clear();
            ++m_next;
        }
        if (m_next < m_pieces.size())
            return;
        if (m_chunked)
            m_socket->write("0\r\n\r\n");
        m_streaming = false;
        m_pieces.clear();
        if (!m_keepAlive) {
            m_socket->disconnectFromHost();
            return;
        }
        m_busy = false;
        if (!m_buffer.isEmpty())
            QTimer::singleShot(0, this, &SimConnection::readRequests);
    }

    QTcpSocket *m_socket;
    DealerSimServer *m_server;
    QByteArray m_buffer;
    QVector<QByteArray> m_pieces;
    qsizetype m_next = 0;
    bool m_busy = false;
    bool m_keepAlive = true;
    bool m_chunked = false;
    bool m_streaming = false;
};

std::optional<DealerSimServer::FaultRule> DealerSimServer::parseFaultRule(const QString &text,
                                                                          QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<FaultRule> {
        if (error)
            *error = QStringLiteral("bad fault \"%1\": %2").arg(text, why);
        return std::nullopt;
    };
    FaultRule rule;
    QString spec = text.trimmed();
    const qsizetype colon = spec.indexOf(QLatin1Char(':'));
    if (colon >= 0) {
        const QStringList ids = spec.mid(colon + 1).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &raw : ids) {
            const QString id = raw.trimmed();
            QString reason;
            if (!validateDealerId(id, &reason))
                return fail(reason);
            rule.dealerIds.append(id);
        }
        if (rule.dealerIds.isEmpty())
            return fail(QStringLiteral("no dealer ID after ':'"));
        spec.truncate(colon);
    }
    const auto known = [](const QString &name) {
        return std::any_of(FaultNames.begin(), FaultNames.end(), [&](const FaultName &fault) {
            return name == QLatin1String(fault.name);
        });
    };
    const qsizetype times = spec.lastIndexOf(QLatin1Char('x'));
    if (times > 0 && !known(spec)) {
        bool ok = false;
        rule.count = spec.mid(times + 1).toInt(&ok);
        if (!ok || rule.count < 0)
            return fail(QStringLiteral("the count after 'x' must be a whole number >= 0"));
        spec.truncate(times);
    }
    for (const FaultName &name : FaultNames) {
        if (spec == QLatin1String(name.name)) {
            rule.mode = name.mode;
            return rule;
        }
    }
    return fail(QStringLiteral("unknown mode \"%1\"; known modes: %2")
                    .arg(spec, faultModeNames().join(QLatin1String(", "))));
}

QStringList DealerSimServer::faultModeNames()
{
    QStringList names;
    for (const FaultName &name : FaultNames)
        names.append(QLatin1String(name.name));
    return names;
}

DealerSimServer::DealerSimServer(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_server(new QTcpServer(this))
    , m_faultHits(m_options.faults.size())
{
    m_options.maxPageSize = std::max(1, m_options.maxPageSize);
    m_options.records = std::max(0, m_options.records);
    connect(m_server, &QTcpServer::newConnection, this, &DealerSimServer::acceptConnections);
}

DealerSimServer::~DealerSimServer() = default;

bool DealerSimServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    if (m_server->listen(address, port))
        return true;
    if (error)
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(m_server->errorString());
    return false;
}

quint16 DealerSimServer::port() const
{
    return m_server->serverPort();
}

QUrl DealerSimServer::baseUrl() const
{
    QHostAddress host = m_server->serverAddress();
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress::LocalHost;
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress::LocalHostIPv6;
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(host.toString());
    url.setPort(port());
    url.setPath(QStringLiteral("/"));
    return url;
}

qint64 DealerSimServer::requestCount() const
{
    return m_requestCount;
}

void DealerSimServer::acceptConnections()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection())
        new SimConnection(socket, this);
}

void DealerSimServer::handle(SimConnection *connection, const SimRequest &request)
{
    ++m_requestCount;
    SimAnswer reply = answer(request);
    const bool keepAlive = request.keepAlive;
    if (m_options.latencyMs <= 0) {
        connection->deliver(std::move(reply), keepAlive);
        return;
    }
    QTimer::singleShot(m_options.latencyMs, connection,
                       [connection, reply = std::move(reply), keepAlive]() mutable {
                           connection->deliver(std::move(reply), keepAlive);
                       });
}

std::optional<DealerSimServer::FaultMode> DealerSimServer::takeFault(const QString &dealerId)
{
    for (qsizetype i = 0; i < m_options.faults.size(); ++i) {
        const FaultRule &rule = m_options.faults.at(i);
        if (!rule.dealerIds.isEmpty() && !rule.dealerIds.contains(dealerId))
            continue;
        if (rule.count >= 0) {
            int &hits = m_faultHits[i][dealerId];
            if (hits >= rule.count)
                continue;
            ++hits;
        }
        return rule.mode;
    }
    return std::nullopt;
}

SimAnswer DealerSimServer::answer(const SimRequest &request)
{
    if (m_options.shape.auth == Auth::OAuth2 &&
        (request.target == "/oauth/token" || request.target.endsWith("/oauth/token")))
        return tokenAnswer(request);
    if (request.method != "GET")
        return errorAnswer(405, QStringLiteral("method_not_allowed"),
                           QStringLiteral("only GET is served"));

    const qsizetype question = request.target.indexOf('?');
    const QByteArray rawPath = question < 0 ? request.target : request.target.left(question);
    const QByteArray rawQuery = question < 0 ? QByteArray() : request.target.mid(question + 1);

    // Any path prefix is accepted, so a source URL such as http://host/api/v1 works.
    const QList<QByteArray> segments = rawPath.split('/');
    const qsizetype n = segments.size();
    if (n < 4 || segments.at(n - 3) != "dealers" || segments.at(n - 2).isEmpty() ||
        segments.at(n - 1).isEmpty())
        return errorAnswer(404, QStringLiteral("not_found"),
                           QStringLiteral("no such endpoint; the API serves "
                                          "GET /dealers/{dealer_id}/{fetch_type}"));
    const QString dealerId = QString::fromUtf8(decodeComponent(segments.at(n - 2), false));
    const QString fetchType = QString::fromUtf8(decodeComponent(segments.at(n - 1), false));

    if (std::optional<SimAnswer> denied = authorize(request))
        return std::move(*denied);
    if (!validateDealerId(dealerId))
        return errorAnswer(404, QStringLiteral("not_found"), QStringLiteral("no such dealer"));
    if (!isSafeName(fetchType))
        return errorAnswer(404, QStringLiteral("not_found"), QStringLiteral("no such fetch type"));

    QHash<QString, QString> params;
    for (const QByteArray &pair : rawQuery.split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        const QString key = QString::fromUtf8(decodeComponent(pair.left(equals), true));
        const QString value =
            equals < 0 ? QString() : QString::fromUtf8(decodeComponent(pair.mid(equals + 1), true));
        if (params.contains(key))
            return errorAnswer(400, QStringLiteral("bad_request"),
                               QStringLiteral("query parameter \"%1\" given twice").arg(key));
        params.insert(key, value);
    }
    const auto badParam = [](const QString &name, const QString &why) {
        return errorAnswer(400, QStringLiteral("bad_request"),
                           QStringLiteral("query parameter \"%1\" %2").arg(name, why));
    };
    if (!m_options.shape.isSpec())
        return shapedAnswer(request, dealerId, fetchType, params);
    QDateTime window[2];
    const QString bounds[2] = {QStringLiteral("from"), QStringLiteral("to")};
    for (int i = 0; i < 2; ++i) {
        if (!params.contains(bounds[i]))
            return badParam(bounds[i], QStringLiteral("is missing"));
        window[i] = QDateTime::fromString(params.value(bounds[i]), Qt::ISODateWithMs);
        if (!window[i].isValid())
            return badParam(
                bounds[i],
                QStringLiteral("is not an ISO 8601 time: \"%1\"").arg(params.value(bounds[i])));
    }
    if (window[1] < window[0])
        return badParam(QStringLiteral("to"), QStringLiteral("is before \"from\""));
    int numbers[2] = {0, 0};
    const QString numberNames[2] = {QStringLiteral("page"), QStringLiteral("page_size")};
    for (int i = 0; i < 2; ++i) {
        if (!params.contains(numberNames[i]))
            return badParam(numberNames[i], QStringLiteral("is missing"));
        bool ok = false;
        numbers[i] = params.value(numberNames[i]).toInt(&ok);
        if (!ok || numbers[i] < 1)
            return badParam(numberNames[i], QStringLiteral("must be a whole number >= 1"));
    }

    const std::optional<FaultMode> fault = takeFault(dealerId);
    if (fault) {
        if (std::optional<SimAnswer> failed = faultAnswer(*fault, m_options.retryAfterSeconds))
            return std::move(*failed);
    }
    const qint64 fromSecs = window[0].toSecsSinceEpoch();
    const qint64 toSecs = window[1].toSecsSinceEpoch();
    return pageAnswer(dealerId, fetchType, fromSecs, toSecs, numbers[0], numbers[1], fault);
}

SimAnswer DealerSimServer::pageAnswer(const QString &dealerId, const QString &fetchType,
                                      qint64 fromSecs, qint64 toSecs, int page, int pageSize,
                                      std::optional<FaultMode> fault)
{
    const qint64 records = std::max(0, m_options.recordsFor.value(dealerId, m_options.records));
    const qint64 size = std::min(pageSize, m_options.maxPageSize);
    const qint64 pageCount = std::max<qint64>(1, (records + size - 1) / size);
    const qint64 first = (page - 1) * size + 1;
    const qint64 last = std::min<qint64>(qint64(page) * size, records);
    const bool lastPage = page >= pageCount;

    ItemContext ctx;
    const QByteArray dealer = dealerId.toUtf8();
    const QByteArray type = fetchType.toUtf8();
    ctx.idPrefix = typePrefix(fetchType) + '-' + dealer + '-';
    ctx.seed = fnv1a(dealer + '/' + type);
    ctx.fromSecs = fromSecs;
    ctx.spanSecs = toSecs - fromSecs;
    ctx.records = records;

    QByteArray head = "{\"dealer_id\":\"" + dealer + "\",\"fetch_type\":\"" + type +
                      "\",\"page\":" + QByteArray::number(page) +
                      ",\"page_size\":" + QByteArray::number(size) +
                      ",\"total\":" + QByteArray::number(records) + ",\"items\":[";
    QByteArray tail = "],\"next_page\":";
    if (fault == FaultMode::Stuck)
        tail += QByteArray::number(page);
    else if (fault == FaultMode::BadNext)
        tail += '"' + QByteArray::number(page + 1) + '"';
    else if (lastPage)
        tail += "null";
    else
        tail += QByteArray::number(page + 1);
    tail += '}';

    SimAnswer answer;
    answer.headers = "Content-Type: application/json\r\n";
    if (fault == FaultMode::BigPage || fault == FaultMode::BigChunked) {
        if (m_bigFiller.isEmpty())
            m_bigFiller = QByteArray(BigFillerBytes, 'x');
        answer.chunked = fault == FaultMode::BigChunked;
        answer.pieces.append(head);
        for (int i = 1; i <= BigPageItems; ++i) {
            QByteArray itemHead =
                i > 1 ? QByteArrayLiteral(",{\"id\":\"") : QByteArrayLiteral("{\"id\":\"");
            appendId(itemHead, ctx, i);
            itemHead += "\",\"updated_at\":\"";
            appendUtc(itemHead, itemTime(ctx, 1));
            itemHead += "\",\"note\":\"";
            answer.pieces.append(itemHead);
            answer.pieces.append(m_bigFiller);
            answer.pieces.append(QByteArrayLiteral("\"}"));
        }
        answer.pieces.append(tail);
        return answer;
    }

    QByteArray body;
    body.reserve(head.size() + tail.size() + std::max<qint64>(0, last - first + 1) * 260);
    body += head;
    const bool nul = fault == FaultMode::Nul;
    for (qint64 index = first; index <= last; ++index) {
        if (index > first)
            body += ',';
        appendItem(body, ctx, index, nul);
    }
    body += tail;
    if (fault == FaultMode::Truncated)
        body.truncate(body.size() / 2);
    answer.pieces.append(body);
    return answer;
}

std::optional<SimAnswer> DealerSimServer::authorize(const SimRequest &request)
{
    const Shape &shape = m_options.shape;
    const QByteArray authorization = request.headers.value("authorization");
    bool good = true;
    switch (shape.auth) {
    case Auth::Bearer:
        good = m_options.token.isEmpty() || authorization == "Bearer " + m_options.token;
        break;
    case Auth::Header:
        good = m_options.token.isEmpty() ||
               request.headers.value(shape.authHeader.toLower()) == m_options.token;
        break;
    case Auth::Basic:
        good = authorization == "Basic " + m_options.token.toBase64();
        break;
    case Auth::OAuth2: {
        good = false;
        if (authorization.startsWith("Bearer ")) {
            const auto it = m_tokens.find(authorization.mid(7));
            if (it != m_tokens.end() && QDateTime::currentMSecsSinceEpoch() < it->expiresMs &&
                it->usesLeft != 0) {
                if (it->usesLeft > 0)
                    --it->usesLeft;
                good = true;
            }
        }
        break;
    }
    }
    if (good)
        return std::nullopt;
    SimAnswer denied = errorAnswer(401, QStringLiteral("unauthorized"),
                                   QStringLiteral("valid credentials are required"));
    denied.headers += shape.auth == Auth::Basic ? QByteArrayLiteral("WWW-Authenticate: Basic\r\n")
                                                : QByteArrayLiteral("WWW-Authenticate: Bearer\r\n");
    return denied;
}

SimAnswer DealerSimServer::tokenAnswer(const SimRequest &request)
{
    if (request.method != "POST")
        return errorAnswer(405, QStringLiteral("method_not_allowed"),
                           QStringLiteral("the token endpoint takes POST"));
    QHash<QByteArray, QByteArray> form;
    for (const QByteArray &pair : request.body.split('&')) {
        const qsizetype equals = pair.indexOf('=');
        if (equals > 0)
            form.insert(decodeComponent(pair.left(equals), true),
                        decodeComponent(pair.mid(equals + 1), true));
    }
    const Shape &shape = m_options.shape;
    if (form.value("grant_type") != "client_credentials")
        return errorAnswer(400, QStringLiteral("unsupported_grant_type"),
                           QStringLiteral("only client_credentials is granted"));
    if (form.value("client_id") != shape.clientId ||
        form.value("client_secret") != shape.clientSecret)
        return errorAnswer(401, QStringLiteral("invalid_client"),
                           QStringLiteral("unknown client or wrong secret"));
    ++m_tokensIssued;
    const QByteArray token = "tok-" + QByteArray::number(m_tokensIssued) + '-' +
                             QByteArray::number(fnv1a(shape.clientId + request.body), 16);
    m_tokens.insert(token, {QDateTime::currentMSecsSinceEpoch() + shape.tokenLifetimeS * 1000LL,
                            shape.tokenUses});
    SimAnswer answer;
    answer.headers = "Content-Type: application/json\r\nCache-Control: no-store\r\n";
    answer.pieces.append("{\"access_token\":\"" + token +
                         "\",\"token_type\":\"Bearer\",\"expires_in\":" +
                         QByteArray::number(shape.tokenLifetimeS) + '}');
    return answer;
}

SimAnswer DealerSimServer::shapedAnswer(const SimRequest &request, const QString &dealerId,
                                        const QString &fetchType,
                                        const QHash<QString, QString> &params)
{
    const Shape &shape = m_options.shape;
    const auto badParam = [](const QString &name, const QString &why) {
        return errorAnswer(400, QStringLiteral("bad_request"),
                           QStringLiteral("query parameter \"%1\" %2").arg(name, why));
    };
    // The window: from/to, or since/until, in the shape's time format.
    qint64 window[2] = {0, 0};
    const QString names[2][2] = {{QStringLiteral("from"), QStringLiteral("since")},
                                 {QStringLiteral("to"), QStringLiteral("until")}};
    for (int i = 0; i < 2; ++i) {
        const QString name = params.contains(names[i][0]) ? names[i][0] : names[i][1];
        if (!params.contains(name))
            return badParam(names[i][0], QStringLiteral("is missing"));
        const QString text = params.value(name);
        bool ok = true;
        if (shape.timeFormat == QLatin1String("epoch_s")) {
            window[i] = text.toLongLong(&ok);
        } else if (shape.timeFormat == QLatin1String("epoch_ms")) {
            window[i] = text.toLongLong(&ok) / 1000;
        } else if (shape.timeFormat == QLatin1String("date")) {
            const QDate date = QDate::fromString(text, Qt::ISODate);
            ok = date.isValid() && text.size() == 10;
            window[i] = QDateTime(date, i == 0 ? QTime(0, 0) : QTime(23, 59, 59), Qt::UTC)
                            .toSecsSinceEpoch();
        } else {
            const QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
            ok = time.isValid();
            window[i] = time.toSecsSinceEpoch();
        }
        if (!ok)
            return badParam(
                name, QStringLiteral("is not a time in %1: \"%2\"").arg(shape.timeFormat, text));
    }
    if (window[1] < window[0])
        return badParam(QStringLiteral("to"), QStringLiteral("is before \"from\""));
    const QString sizeName = params.contains(QStringLiteral("limit")) ? QStringLiteral("limit")
                                                                      : QStringLiteral("page_size");
    bool ok = false;
    const int asked = params.value(sizeName).toInt(&ok);
    if (!ok || asked < 1)
        return badParam(sizeName, QStringLiteral("must be a whole number >= 1"));
    const qint64 size = std::min(asked, m_options.maxPageSize);
    const qint64 records = std::max(0, m_options.recordsFor.value(dealerId, m_options.records));

    // The first item (1-based) this request asks for.
    qint64 first = 1;
    QString cursorIn;
    switch (shape.paging) {
    case Paging::NextPage:
    case Paging::Page:
    case Paging::Link: {
        const int page = params.value(QStringLiteral("page"), QStringLiteral("1")).toInt(&ok);
        if (!ok || page < 1)
            return badParam(QStringLiteral("page"), QStringLiteral("must be a whole number >= 1"));
        first = (page - 1) * size + 1;
        break;
    }
    case Paging::Offset: {
        const qint64 offset =
            params.value(QStringLiteral("offset"), QStringLiteral("0")).toLongLong(&ok);
        if (!ok || offset < 0)
            return badParam(QStringLiteral("offset"),
                            QStringLiteral("must be a whole number >= 0"));
        first = offset + 1;
        break;
    }
    case Paging::Cursor:
        cursorIn = params.value(QStringLiteral("cursor"));
        if (!cursorIn.isEmpty()) {
            if (!cursorIn.startsWith(QLatin1String("after_")))
                return badParam(QStringLiteral("cursor"), QStringLiteral("is not a cursor"));
            first = cursorIn.mid(6).toLongLong(&ok) + 1;
            if (!ok || first < 1)
                return badParam(QStringLiteral("cursor"), QStringLiteral("is not a cursor"));
        }
        break;
    }
    const qint64 last = std::min<qint64>(first + size - 1, records);

    const std::optional<FaultMode> fault = takeFault(dealerId);
    if (fault) {
        if (std::optional<SimAnswer> failed = faultAnswer(*fault, m_options.retryAfterSeconds))
            return std::move(*failed);
    }

    ItemContext ctx;
    const QByteArray dealer = dealerId.toUtf8();
    const QByteArray type = fetchType.toUtf8();
    ctx.idPrefix = typePrefix(fetchType) + '-' + dealer + '-';
    ctx.seed = fnv1a(dealer + '/' + type);
    ctx.fromSecs = window[0];
    ctx.spanSecs = window[1] - window[0];
    ctx.records = records;
    const bool epoch = shape.timeFormat.startsWith(QLatin1String("epoch"));
    const qint64 idBase = static_cast<qint64>(ctx.seed % 9000 + 1000) * 1000000;

    QByteArray items = "[";
    for (qint64 index = first; index <= last; ++index) {
        if (index > first)
            items += ',';
        QByteArray item;
        appendItem(item, ctx, index, false);
        // appendItem writes {"id":"…","updated_at":"…",…}: the shape's id and time replace them.
        const qsizetype rest = item.indexOf(",\"name\"");
        QByteArray head = "{";
        if (!(fault == FaultMode::NoId && index == first)) {
            head += "\"id\":";
            if (shape.numericIds)
                head += QByteArray::number(idBase + index);
            else
                head += item.mid(6, item.indexOf('"', 7) - 6 + 1);
            head += ',';
        }
        head += "\"updated_at\":";
        if (epoch) {
            const qint64 secs = itemTime(ctx, index);
            head += QByteArray::number(shape.timeFormat == QLatin1String("epoch_ms") ? secs * 1000
                                                                                     : secs);
        } else {
            const qsizetype at = item.indexOf("\"updated_at\":") + 13;
            head += item.mid(at, rest - at);
        }
        items += head + item.mid(rest);
    }
    items += ']';
    if (fault == FaultMode::ItemsObject)
        items = "{\"count\":" + QByteArray::number(std::max<qint64>(0, last - first + 1)) + '}';

    QByteArray body = "{\"dealer\":\"" + dealer + "\",\"type\":\"" + type + "\",";
    const QStringList path =
        shape.itemsPath.isEmpty() ? QStringList{QStringLiteral("items")} : shape.itemsPath;
    for (qsizetype i = 0; i < path.size(); ++i)
        body += '"' + path.at(i).toUtf8() + "\":" + (i + 1 < path.size() ? "{" : "");
    body += items;
    body += QByteArray(path.size() - 1, '}');
    SimAnswer answer;
    answer.headers = "Content-Type: application/json\r\n";
    const bool more = last < records;
    if (shape.paging == Paging::Cursor) {
        QByteArray next = "null";
        if (fault == FaultMode::RepeatCursor && !cursorIn.isEmpty())
            next = '"' + cursorIn.toUtf8() + '"';
        else if (more)
            next = "\"after_" + QByteArray::number(last) + '"';
        body += ",\"paging\":{\"next\":" + next + '}';
    }
    if (shape.paging == Paging::Link && (more || fault == FaultMode::ForeignLink)) {
        const qsizetype question = request.target.indexOf('?');
        QByteArray query = request.target.mid(question + 1);
        QList<QByteArray> pairs = query.split('&');
        const qint64 page = (first - 1) / size + 1;
        pairs.removeIf([](const QByteArray &pair) { return pair.startsWith("page="); });
        pairs.append("page=" + QByteArray::number(page + 1));
        const QByteArray host = fault == FaultMode::ForeignLink
                                    ? QByteArray("127.0.0.2:") + QByteArray::number(port())
                                    : request.headers.value("host");
        answer.headers += "Link: <http://" + host + request.target.left(question) + '?' +
                          pairs.join('&') + ">; rel=\"next\", <http://" + host +
                          request.target.left(question) + ">; rel=\"first\"\r\n";
    }
    body += ",\"total\":" + QByteArray::number(records) + '}';
    answer.pieces.append(body);
    return answer;
}
