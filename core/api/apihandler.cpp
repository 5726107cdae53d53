#include "api/apihandler.h"

#include "api/apicontext.h"
#include "api/apimetrics.h"
#include "api/apirequest_p.h"
#include "api/auditcontroller.h"
#include "api/historycontroller.h"
#include "api/insightcontroller.h"
#include "api/metricscontroller.h"
#include "api/queuecontroller.h"
#include "api/schedulecontroller.h"
#include "job/actor.h"
#include "job/apitoken.h"
#include "log/logging.h"
#include "queue/scheduler.h"
#include "store/tokenstore.h"

#include <QCryptographicHash>

namespace {

bool isDigits(const QString &text)
{
    if (text.isEmpty() || text.size() > 18)
        return false;
    for (const QChar c : text) {
        if (c < QLatin1Char('0') || c > QLatin1Char('9'))
            return false;
    }
    return true;
}

/// The request's method and path for the log: cut short, control characters escaped (a path
/// could carry a line break to forge a line). Never the query, the headers or the body.
QString requestForLog(const ApiRequest &request)
{
    QString text =
        QString::fromLatin1(request.method.left(20)) + QLatin1Char(' ') + request.path.left(200);
    QString out;
    out.reserve(text.size());
    for (const QChar c : std::as_const(text)) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

} // namespace

struct ApiHandler::Route
{
    QByteArray method;
    QStringList segments; ///< "{id}" matches a job ID (or a schedule's, see `schedule`)
    QStringList parameters;
    bool jsonBody = false;
    std::function<ApiResponse(ApiHandler &, const ApiRequest &, qint64, const QJsonObject &)> run;
    bool schedule = false; ///< "{id}" is a schedule's
};

const QList<ApiHandler::Route> &ApiHandler::routes()
{
    using R = ApiRequest;
    using B = QJsonObject;
    const auto path = [](const char *text) {
        return QString::fromLatin1(text).split(QLatin1Char('/'), Qt::SkipEmptyParts);
    };
    // Fixed paths before "{id}" ones, so that /jobs/queue/completed is never read as an ID.
    static const QList<Route> table{
        {"GET",
         path("metrics"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64, const B &) { return h.m_metrics->metrics(); }},
        {"POST",
         path("jobs/queue"),
         {},
         true,
         [](ApiHandler &h, const R &, qint64, const B &b) {
             return h.m_queue->queueOne(b, false);
         }},
        {"POST",
         path("jobs/queue/bulk"),
         {},
         true,
         [](ApiHandler &h, const R &, qint64, const B &b) {
             return h.m_queue->queueBulk(b, false);
         }},
        {"GET",
         path("jobs/queue/status"),
         {QStringLiteral("limit")},
         false,
         [](ApiHandler &h, const R &r, qint64, const B &) { return h.m_queue->queueStatus(r); }},
        {"DELETE",
         path("jobs/queue/completed"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64, const B &) { return h.m_queue->clearCompleted(); }},
        {"POST",
         path("jobs/queue/pause"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64, const B &) { return h.m_queue->setPaused(true); }},
        {"POST",
         path("jobs/queue/resume"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64, const B &) { return h.m_queue->setPaused(false); }},
        {"DELETE",
         path("jobs/queue/{id}"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64 id, const B &) { return h.m_queue->cancel(id); }},
        {"GET",
         path("jobs/queue/{id}/status"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64 id, const B &) { return h.m_queue->jobStatus(id); }},
        {"POST",
         path("jobs/queue/{id}/retry"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64 id, const B &) { return h.m_queue->retry(id); }},
        {"POST",
         path("jobs/retry"),
         {},
         true,
         [](ApiHandler &h, const R &, qint64, const B &b) { return h.m_queue->retryMatching(b); }},
        {"POST",
         path("jobs/cancel"),
         {},
         true,
         [](ApiHandler &h, const R &, qint64, const B &b) { return h.m_queue->cancelMatching(b); }},
        {"GET", path("jobs/history"), HistoryController::historyParameters(), false,
         [](ApiHandler &h, const R &r, qint64, const B &) { return h.m_history->history(r); }},
        {"DELETE",
         path("jobs/history"),
         {QStringLiteral("older_than_days"), QStringLiteral("status")},
         false,
         [](ApiHandler &h, const R &r, qint64, const B &) {
             return h.m_history->removeHistory(r);
         }},
        {"GET",
         path("jobs/history.csv"),
         {},
         false,
         [](ApiHandler &h, const R &r, qint64, const B &) { return h.m_history->historyCsv(r); }},
        {"GET",
         path("jobs/history.xlsx"),
         {},
         false,
         [](ApiHandler &h, const R &r, qint64, const B &) { return h.m_history->historyXlsx(r); }},
        {"POST",
         path("jobs/run"),
         {},
         true,
         [](ApiHandler &h, const R &, qint64, const B &b) { return h.m_queue->queueOne(b, true); }},
        {"POST",
         path("jobs/run-bulk"),
         {},
         true,
         [](ApiHandler &h, const R &, qint64, const B &b) {
             return h.m_queue->queueBulk(b, true);
         }},
        {"GET",
         path("schedules"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64, const B &) { return h.m_schedules->list(); }},
        {"POST",
         path("schedules"),
         {},
         true,
         [](ApiHandler &h, const R &, qint64, const B &b) { return h.m_schedules->create(b); }},
        {"GET",
         path("schedules/{id}"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64 id, const B &) { return h.m_schedules->get(id); },
         true},
        {"PATCH",
         path("schedules/{id}"),
         {},
         true,
         [](ApiHandler &h, const R &, qint64 id, const B &b) {
             return h.m_schedules->change(id, b);
         },
         true},
        {"DELETE",
         path("schedules/{id}"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64 id, const B &) { return h.m_schedules->remove(id); },
         true},
        {"POST",
         path("schedules/{id}/run"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64 id, const B &) { return h.m_schedules->run(id); },
         true},
        {"GET", path("audit"), AuditController::parameters(), false,
         [](ApiHandler &h, const R &r, qint64, const B &) { return h.m_audit->audit(r); }},
        {"GET", path("stats"), InsightController::statsParameters(), false,
         [](ApiHandler &h, const R &r, qint64, const B &) {
             return h.m_insight->stats(r, h.nowMs());
         }},
        {"GET", path("dealers/coverage"), InsightController::coverageParameters(), false,
         [](ApiHandler &h, const R &r, qint64, const B &) {
             return h.m_insight->coverage(r, h.nowMs());
         }},
    };
    return table;
}

ApiHandler::ApiHandler(JobStore &store, Config config)
    : m_context(std::make_unique<ApiContext>(store, std::move(config)))
    , m_queue(std::make_unique<QueueController>(*m_context))
    , m_history(std::make_unique<HistoryController>(*m_context))
    , m_metrics(std::make_unique<MetricsController>(*m_context))
    , m_schedules(std::make_unique<ScheduleController>(*m_context))
    , m_audit(std::make_unique<AuditController>(*m_context))
    , m_insight(std::make_unique<InsightController>(*m_context))
{}

ApiHandler::~ApiHandler() = default;

bool ApiHandler::tokensMatch(const QByteArray &given, const QByteArray &expected)
{
    // Equal-length digests, compared without an early exit: neither where the tokens differ
    // nor their lengths show in the time taken.
    const QByteArray a = QCryptographicHash::hash(given, QCryptographicHash::Sha256);
    const QByteArray b = QCryptographicHash::hash(expected, QCryptographicHash::Sha256);
    unsigned char difference = 0;
    for (int i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0 && !expected.isEmpty();
}

ApiResponse ApiHandler::handle(const ApiRequest &request)
{
    ApiResponse response = dispatch(request);
    if (m_context->config.metrics)
        m_context->config.metrics->countResponse(response.status);
    const int status = response.status;
    if (status == 401) {
        // Which token was sent is never told, only that it was missing or wrong.
        qCWarning(lcApi).noquote()
            << requestForLog(request) << "refused (401):"
            << (request.header("authorization").isEmpty() ? "no API token"
                                                          : "wrong API token or not a bearer token")
            << QStringLiteral("(from %1)").arg(request.peer);
    } else if (status >= 500) {
        qCWarning(lcApi).noquote() << requestForLog(request) << "->" << status
                                   << QString::fromUtf8(response.body.left(500));
    } else if (request.method != "GET" && request.method != "HEAD" && status < 300) {
        qCInfo(lcApi).noquote() << requestForLog(request) << "->" << status; // a change
    } else {
        qCDebug(lcApi).noquote() << requestForLog(request) << "->" << status;
    }
    return response;
}

ApiResponse ApiHandler::dispatch(const ApiRequest &request)
{
    if (request.method != "GET")
        ++m_context->writes; // whatever it does, a cached read is stale after it
    if (request.path == QLatin1String("/health")) {
        if (request.method == "GET")
            return m_metrics->health();
        ApiResponse refused =
            ApiResponse::error(405, QStringLiteral("method_not_allowed"),
                               QStringLiteral("%1 is not allowed on /health; use GET")
                                   .arg(QString::fromLatin1(request.method)));
        refused.headers.push_back({"Allow", "GET"});
        return refused;
    }

    // The token first: without it, not even which routes exist is told.
    ApiResponse refused;
    const std::optional<ApiTokenInfo> caller = authenticate(request, &refused);
    if (!caller)
        return refused;
    m_context->setActor(Actor::apiToken(caller->name));

    const QStringList segments = request.path.split(QLatin1Char('/'));
    const QStringList parts = segments.mid(1); // the path begins with '/'
    QByteArrayList allowed;
    for (const Route &route : routes()) {
        if (route.segments.size() != parts.size() || segments.first().size() != 0)
            continue;
        qint64 id = 0;
        bool matches = true;
        for (int i = 0; i < parts.size() && matches; ++i) {
            if (route.segments.at(i) == QLatin1String("{id}")) {
                matches = isDigits(parts.at(i));
                id = matches ? parts.at(i).toLongLong() : 0;
            } else {
                matches = route.segments.at(i) == parts.at(i);
            }
        }
        if (!matches)
            continue;
        if (route.method != request.method) {
            if (!allowed.contains(route.method))
                allowed << route.method;
            continue;
        }
        if (caller->role != TokenRole::Operate && route.method != "GET")
            return ApiResponse::error(
                403, QStringLiteral("forbidden"),
                QStringLiteral("the API token \"%1\" has the role read: it may make GET calls "
                               "only; %2 %3 needs a token with the role operate")
                    .arg(caller->name, QString::fromLatin1(route.method), request.path.left(200)),
                QStringLiteral("Authorization"));
        Problems problems;
        if (!refuseUnknownParameters(request.query, route.parameters, &problems))
            return problems.response();
        if (id <= 0 && route.segments.contains(QLatin1String("{id}")))
            return route.schedule
                       ? ApiResponse::error(404, QStringLiteral("schedule_not_found"),
                                            QStringLiteral("there is no schedule %1").arg(id),
                                            QStringLiteral("schedule_id"))
                       : ApiResponse::error(404, QStringLiteral("job_not_found"),
                                            QStringLiteral("there is no job %1").arg(id),
                                            QStringLiteral("job_id"));
        QJsonObject body;
        if (route.jsonBody) {
            ApiResponse refused;
            const std::optional<QJsonObject> parsed = jsonBody(request, &refused);
            if (!parsed)
                return refused;
            body = *parsed;
        }
        return route.run(*this, request, id, body);
    }
    if (!allowed.isEmpty()) {
        ApiResponse refused = ApiResponse::error(
            405, QStringLiteral("method_not_allowed"),
            QStringLiteral("%1 is not allowed on %2; use %3")
                .arg(QString::fromLatin1(request.method.left(20)), request.path.left(200),
                     QString::fromLatin1(allowed.join(" or "))),
            QStringLiteral("method"));
        refused.headers.push_back({"Allow", allowed.join(", ")});
        return refused;
    }
    return ApiResponse::error(
        404, QStringLiteral("not_found"),
        QStringLiteral("no such endpoint: %1 %2")
            .arg(QString::fromLatin1(request.method.left(20)), request.path.left(200)),
        QStringLiteral("path"));
}

qint64 ApiHandler::nowMs() const
{
    static const SystemClock system;
    return (m_context->config.clock ? m_context->config.clock : &system)->nowMs();
}

std::optional<ApiTokenInfo> ApiHandler::authenticate(const ApiRequest &request,
                                                     ApiResponse *refused)
{
    const qint64 now = nowMs();
    if (std::optional<ApiResponse> blocked = throttled(request.peer, now)) {
        *refused = std::move(*blocked);
        return std::nullopt;
    }
    const QByteArray authorization = request.header("authorization").trimmed();
    const bool bearer = authorization.size() > 7 &&
                        authorization.left(7).compare("bearer ", Qt::CaseInsensitive) == 0;
    const QByteArray given = bearer ? authorization.mid(7).trimmed() : QByteArray();
    const QByteArray single = m_context->config.token ? m_context->config.token() : QByteArray();
    if (bearer && tokensMatch(given, single)) {
        ApiTokenInfo info;
        info.name = ApiTokens::DefaultName;
        info.role = TokenRole::Operate;
        return info;
    }
    if (bearer && given.startsWith(ApiTokens::Prefix)) {
        JobStore *store = m_context->store(refused);
        if (!store)
            return std::nullopt;
        StoreError error;
        TokenStore tokens(*store);
        if (std::optional<ApiTokenInfo> found = tokens.find(given, &error)) {
            noteUse(found->name, now);
            return found;
        }
        if (error.isSet()) {
            *refused = storeFailure(error);
            return std::nullopt;
        }
    }
    if (countFailure(request.peer, now)) {
        *refused = *throttled(request.peer, now);
        return std::nullopt;
    }
    *refused = ApiResponse::error(
        401, QStringLiteral("unauthorized"),
        bearer ? QStringLiteral("the API token is wrong")
               : QStringLiteral("send the API token as Authorization: Bearer TOKEN"),
        QStringLiteral("Authorization"));
    refused->headers.push_back({"WWW-Authenticate", "Bearer realm=\"dealerq\""});
    return std::nullopt;
}

std::optional<ApiResponse> ApiHandler::throttled(const QString &peer, qint64 now)
{
    const auto it = m_failures.constFind(peer);
    if (it == m_failures.cend() || it->blockedUntil <= now)
        return std::nullopt;
    const qint64 seconds = (it->blockedUntil - now + 999) / 1000;
    ApiResponse refused = ApiResponse::error(
        429, QStringLiteral("too_many_requests"),
        QStringLiteral("too many wrong API tokens from this address; try again in %1 s")
            .arg(seconds));
    refused.headers.push_back({"Retry-After", QByteArray::number(seconds)});
    return refused;
}

bool ApiHandler::countFailure(const QString &peer, qint64 now)
{
    // Forget addresses that have been quiet for a window, so that a scan from many addresses
    // cannot grow the table without end.
    if (m_failures.size() > 4096) {
        for (auto it = m_failures.begin(); it != m_failures.end();) {
            const bool quiet = it->blockedUntil <= now &&
                               (it->at.isEmpty() || it->at.last() <= now - FailureWindowMs);
            it = quiet ? m_failures.erase(it) : std::next(it);
        }
    }
    Failures &failures = m_failures[peer];
    while (!failures.at.isEmpty() && failures.at.first() <= now - FailureWindowMs)
        failures.at.removeFirst();
    failures.at.append(now);
    if (failures.at.size() <= MaxFailedAuthentications)
        return false;
    failures.at.clear();
    failures.blockedUntil = now + BlockMs;
    qCWarning(lcApi).noquote() << QStringLiteral("%1: more than %2 wrong API tokens within %3 s; "
                                                 "its requests get 429 for %4 s")
                                      .arg(peer.isEmpty() ? QStringLiteral("(unknown address)")
                                                          : peer)
                                      .arg(MaxFailedAuthentications)
                                      .arg(FailureWindowMs / 1000)
                                      .arg(BlockMs / 1000);
    return true;
}

void ApiHandler::noteUse(const QString &tokenName, qint64 now)
{
    const auto it = m_lastUsedWritten.constFind(tokenName);
    if (it != m_lastUsedWritten.cend() && now - *it < LastUsedIntervalMs && now >= *it)
        return;
    // Noted as written even when the write fails (a read-only database): not retried each call.
    m_lastUsedWritten.insert(tokenName, now);
    ApiResponse unused;
    JobStore *store = m_context->store(&unused);
    StoreError error;
    if (store && !TokenStore(*store).markUsed(tokenName, now, &error))
        qCDebug(lcApi).noquote() << "could not note the use of API token" << tokenName << "-"
                                 << error.message;
}
