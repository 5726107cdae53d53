#include "api/apihandler.h"

#include "source/pagedecoder.h"

#include "api/apimetrics.h"
#include "queue/csvexport.h"
#include "job/jobrequest.h"
#include "store/jobstore.h"

#include <cmath>

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonDocument>
#include <QSqlQuery>
#include <QTemporaryFile>

namespace {

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QJsonObject errorObject(const QString &code, const QString &message, const QString &field,
                        const QJsonArray &details = {})
{
    QJsonObject error{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    error.insert(QStringLiteral("field"), field.isEmpty() ? QJsonValue() : QJsonValue(field));
    if (!details.isEmpty())
        error.insert(QStringLiteral("details"), details);
    return error;
}

/// Every problem found in one request, reported together as one 400 (or `status`).
class Problems final
{
public:
    void add(const QString &code, const QString &field, const QString &message,
             const QJsonObject &extra = {})
    {
        QJsonObject entry = extra;
        entry.insert(QStringLiteral("code"), code);
        entry.insert(QStringLiteral("field"), field);
        entry.insert(QStringLiteral("message"), message);
        m_list.push_back(entry);
    }
    bool isEmpty() const { return m_list.isEmpty(); }
    ApiResponse response(int status = 400) const
    {
        const QJsonObject first = m_list.first().toObject();
        QString message = first.value(QStringLiteral("message")).toString();
        if (m_list.size() > 1) {
            QStringList all;
            for (const QJsonValue &entry : m_list)
                all << entry.toObject().value(QStringLiteral("message")).toString();
            message = QStringLiteral("%1 problems: %2")
                          .arg(m_list.size())
                          .arg(all.join(QStringLiteral("; ")));
        }
        return ApiResponse::error(status, first.value(QStringLiteral("code")).toString(), message,
                                  first.value(QStringLiteral("field")).toString(),
                                  m_list.size() > 1 ? m_list : QJsonArray{});
    }

private:
    QJsonArray m_list;
};

ApiResponse storeFailure(const StoreError &error, const QString &conflictCode = {})
{
    switch (error.kind) {
    case StoreError::Kind::Invalid:
        return ApiResponse::error(400, QStringLiteral("invalid_field"), error.message, error.field);
    case StoreError::Kind::NotFound:
        return ApiResponse::error(404, QStringLiteral("job_not_found"), error.message, error.field);
    case StoreError::Kind::Conflict: {
        QJsonObject body =
            errorObject(conflictCode.isEmpty() ? QStringLiteral("conflict") : conflictCode,
                        error.message, error.field);
        if (error.existingJobId > 0)
            body.insert(QStringLiteral("existing_job_id"), error.existingJobId);
        return ApiResponse::json(409, {{QStringLiteral("error"), body}});
    }
    case StoreError::Kind::None:
    case StoreError::Kind::Database:
    case StoreError::Kind::ConnectionLost:
        break;
    }
    return ApiResponse::error(503, QStringLiteral("database_unavailable"),
                              error.message.isEmpty() ? QStringLiteral("the database failed")
                                                      : error.message);
}

/// Reads the fields of a JSON body, noting every problem.
class FieldReader final
{
public:
    FieldReader(const QJsonObject &object, Problems *problems)
        : m_object(object)
        , m_problems(problems)
    {}

    void refuseUnknown(const QStringList &known)
    {
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            if (!known.contains(it.key()))
                m_problems->add(QStringLiteral("unknown_field"), it.key(),
                                QStringLiteral("unknown field \"%1\"; expected %2")
                                    .arg(it.key(), known.join(QStringLiteral(", "))));
        }
    }

    /// A required string, or an optional one (null and absent are "not given").
    QString string(const QString &key, bool required, bool *given = nullptr)
    {
        const QJsonValue value = m_object.value(key);
        if (given)
            *given = false;
        if (value.isUndefined() || value.isNull()) {
            if (required)
                m_problems->add(QStringLiteral("missing_field"), key,
                                QStringLiteral("%1 is required").arg(key));
            return {};
        }
        if (!value.isString()) {
            QString hint;
            if (key == QLatin1String("dealer_id") && value.isDouble())
                hint = QStringLiteral(" (write it in quotes, e.g. \"00999\", so that leading "
                                      "zeros are kept)");
            m_problems->add(QStringLiteral("wrong_type"), key,
                            QStringLiteral("%1 must be a string, not %2%3")
                                .arg(key, jsonTypeName(value), hint));
            return {};
        }
        if (value.toString().isEmpty()) {
            m_problems->add(QStringLiteral("invalid_field"), key,
                            QStringLiteral("%1 is empty; %2")
                                .arg(key, required ? QStringLiteral("give a value")
                                                   : QStringLiteral("give a value or leave it "
                                                                    "out")));
            return {};
        }
        if (given)
            *given = true;
        return value.toString();
    }

    int integer(const QString &key, int min, int max, int fallback)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull())
            return fallback;
        const double number = value.toDouble();
        if (!value.isDouble() || std::floor(number) != number || number < min || number > max) {
            m_problems->add(value.isDouble() ? QStringLiteral("invalid_field")
                                             : QStringLiteral("wrong_type"),
                            key,
                            QStringLiteral("%1 must be a whole number from %2 to %3")
                                .arg(key)
                                .arg(min)
                                .arg(max));
            return fallback;
        }
        return int(number);
    }

    bool boolean(const QString &key)
    {
        const QJsonValue value = m_object.value(key);
        if (value.isUndefined() || value.isNull())
            return false;
        if (!value.isBool()) {
            m_problems->add(
                QStringLiteral("wrong_type"), key,
                QStringLiteral("%1 must be true or false, not %2").arg(key, jsonTypeName(value)));
            return false;
        }
        return value.toBool();
    }

private:
    const QJsonObject &m_object;
    Problems *m_problems;
};

/// Reads a whole-number query parameter; absent gives `fallback`.
std::optional<int> queryInt(const QUrlQuery &query, const QString &key, int min, int max,
                            int fallback, Problems *problems)
{
    if (!query.hasQueryItem(key))
        return fallback;
    bool ok = false;
    const QString text = query.queryItemValue(key, QUrl::FullyDecoded);
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value < min || value > max) {
        problems->add(QStringLiteral("invalid_parameter"), key,
                      QStringLiteral("%1=\"%2\" is not a whole number from %3 to %4")
                          .arg(key, text.left(40))
                          .arg(min)
                          .arg(max));
        return std::nullopt;
    }
    return int(value);
}

bool refuseUnknownParameters(const QUrlQuery &query, const QStringList &known, Problems *problems)
{
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        Q_UNUSED(value)
        if (!known.contains(key))
            problems->add(QStringLiteral("unknown_parameter"), key,
                          known.isEmpty()
                              ? QStringLiteral("unknown parameter \"%1\"; this call takes none")
                                    .arg(key.left(40))
                              : QStringLiteral("unknown parameter \"%1\"; expected %2")
                                    .arg(key.left(40), known.join(QStringLiteral(", "))));
    }
    return problems->isEmpty();
}

QJsonArray jobArray(const QVector<Job> &jobs, qint64 now)
{
    QJsonArray array;
    for (const Job &job : jobs)
        array.push_back(job.toJson(now));
    return array;
}

// Checks Content-Type and parses the body as a JSON object; on failure fills *response.
std::optional<QJsonObject> jsonBody(const ApiRequest &request, ApiResponse *response)
{
    const QByteArray contentType = request.header("content-type");
    const QList<QByteArray> parts = contentType.split(';');
    const QByteArray mediaType = parts.first().trimmed().toLower();
    bool charsetOk = true;
    for (int i = 1; i < parts.size(); ++i) {
        const QByteArray parameter = parts.at(i).trimmed().toLower();
        if (parameter.startsWith("charset=")) {
            const QByteArray charset = parameter.mid(8).replace('"', "");
            charsetOk = charset == "utf-8" || charset == "utf8";
        }
    }
    if (mediaType != "application/json" || !charsetOk) {
        *response = ApiResponse::error(
            415, QStringLiteral("unsupported_media_type"),
            contentType.isEmpty()
                ? QStringLiteral("the body must be JSON, sent with Content-Type: application/json")
                : QStringLiteral("Content-Type \"%1\" is not accepted; send JSON with "
                                 "Content-Type: application/json")
                      .arg(QString::fromLatin1(contentType.left(80))),
            QStringLiteral("Content-Type"));
        return std::nullopt;
    }
    if (request.body.size() > ApiHandler::MaxBodyBytes) {
        *response = ApiResponse::error(413, QStringLiteral("payload_too_large"),
                                       QStringLiteral("the body is larger than 1 MiB"));
        return std::nullopt;
    }
    if (request.body.trimmed().isEmpty()) {
        *response = ApiResponse::error(400, QStringLiteral("bad_json"),
                                       QStringLiteral("the body is empty; send a JSON object"));
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *response = ApiResponse::error(400, QStringLiteral("bad_json"),
                                       QStringLiteral("the body is not valid JSON: %1 at byte %2")
                                           .arg(parseError.errorString())
                                           .arg(parseError.offset));
        return std::nullopt;
    }
    if (!document.isObject()) {
        *response = ApiResponse::error(400, QStringLiteral("bad_json"),
                                       QStringLiteral("the body must be a JSON object {...}"));
        return std::nullopt;
    }
    return document.object();
}

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

} // namespace

QByteArray ApiRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

ApiResponse ApiResponse::json(int status, const QJsonObject &object)
{
    ApiResponse response;
    response.status = status;
    response.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return response;
}

ApiResponse ApiResponse::error(int status, const QString &code, const QString &message,
                               const QString &field, const QJsonArray &details)
{
    return json(status, {{QStringLiteral("error"), errorObject(code, message, field, details)}});
}

struct ApiHandler::Route
{
    QByteArray method;
    QStringList segments; ///< "{id}" matches a job ID
    QStringList parameters;
    bool jsonBody = false;
    std::function<ApiResponse(ApiHandler &, const ApiRequest &, qint64, const QJsonObject &)> run;
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
         [](ApiHandler &h, const R &, qint64, const B &) { return h.metrics(); }},
        {"POST",
         path("jobs/queue"),
         {},
         true,
         [](ApiHandler &h, const R &, qint64, const B &b) { return h.queueOne(b, false); }},
        {"POST",
         path("jobs/queue/bulk"),
         {},
         true,
         [](ApiHandler &h, const R &, qint64, const B &b) { return h.queueBulk(b, false); }},
        {"GET",
         path("jobs/queue/status"),
         {QStringLiteral("limit")},
         false,
         [](ApiHandler &h, const R &r, qint64, const B &) { return h.queueStatus(r); }},
        {"DELETE",
         path("jobs/queue/completed"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64, const B &) { return h.clearCompleted(); }},
        {"POST",
         path("jobs/queue/pause"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64, const B &) { return h.setPaused(true); }},
        {"POST",
         path("jobs/queue/resume"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64, const B &) { return h.setPaused(false); }},
        {"DELETE",
         path("jobs/queue/{id}"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64 id, const B &) { return h.cancel(id); }},
        {"GET",
         path("jobs/queue/{id}/status"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64 id, const B &) { return h.jobStatus(id); }},
        {"POST",
         path("jobs/queue/{id}/retry"),
         {},
         false,
         [](ApiHandler &h, const R &, qint64 id, const B &) { return h.retry(id); }},
        {"GET",
         path("jobs/history"),
         {QStringLiteral("status"), QStringLiteral("dealer_id"), QStringLiteral("limit"),
          QStringLiteral("offset")},
         false,
         [](ApiHandler &h, const R &r, qint64, const B &) { return h.history(r); }},
        {"GET",
         path("jobs/history.csv"),
         {},
         false,
         [](ApiHandler &h, const R &r, qint64, const B &) { return h.historyCsv(r); }},
        {"POST",
         path("jobs/run"),
         {},
         true,
         [](ApiHandler &h, const R &, qint64, const B &b) { return h.queueOne(b, true); }},
        {"POST",
         path("jobs/run-bulk"),
         {},
         true,
         [](ApiHandler &h, const R &, qint64, const B &b) { return h.queueBulk(b, true); }},
    };
    return table;
}

struct ApiHandler::StatusCache
{
    int limit = -1;
    qint64 dataVersion = -1;
    quint64 writes = 0;
    quint64 opens = 0;
    QueueStatus status;
    QByteArray queuedJson; ///< queued jobs' JSON does not depend on the time: no duration
};

ApiHandler::ApiHandler(JobStore &store, Config config)
    : m_statusCache(std::make_unique<StatusCache>())
    , m_store(store)
    , m_config(std::move(config))
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
    if (m_config.metrics)
        m_config.metrics->countResponse(response.status);
    return response;
}

ApiResponse ApiHandler::dispatch(const ApiRequest &request)
{
    if (request.method != "GET")
        ++m_writes; // whatever it does, a cached read is stale after it
    if (request.path == QLatin1String("/health")) {
        if (request.method == "GET")
            return health();
        ApiResponse refused =
            ApiResponse::error(405, QStringLiteral("method_not_allowed"),
                               QStringLiteral("%1 is not allowed on /health; use GET")
                                   .arg(QString::fromLatin1(request.method)));
        refused.headers.push_back({"Allow", "GET"});
        return refused;
    }

    // The token first: without it, not even which routes exist is told.
    const QByteArray authorization = request.header("authorization").trimmed();
    const bool bearer = authorization.size() > 7 &&
                        authorization.left(7).compare("bearer ", Qt::CaseInsensitive) == 0;
    const QByteArray expected = m_config.token ? m_config.token() : QByteArray();
    if (!bearer || !tokensMatch(authorization.mid(7).trimmed(), expected)) {
        ApiResponse refused = ApiResponse::error(
            401, QStringLiteral("unauthorized"),
            bearer ? QStringLiteral("the API token is wrong")
                   : QStringLiteral("send the API token as Authorization: Bearer TOKEN"),
            QStringLiteral("Authorization"));
        refused.headers.push_back({"WWW-Authenticate", "Bearer realm=\"dealerq\""});
        return refused;
    }

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
        Problems problems;
        if (!refuseUnknownParameters(request.query, route.parameters, &problems))
            return problems.response();
        if (id <= 0 && route.segments.contains(QLatin1String("{id}")))
            return ApiResponse::error(404, QStringLiteral("job_not_found"),
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

JobStore *ApiHandler::store(ApiResponse *response)
{
    if (!m_store.isOpen()) {
        ++m_opens;
        StoreError error;
        if (!m_store.reopen(&error)) {
            *response = storeFailure(error);
            return nullptr;
        }
    }
    return &m_store;
}

ApiResponse ApiHandler::health()
{
    ApiResponse failure;
    bool ok = false;
    if (JobStore *s = store(&failure)) {
        StoreError error;
        ok = s->isPaused(&error).has_value(); // one indexed read of a tiny table
    }
    return ApiResponse::json(
        200, {{QStringLiteral("status"), QStringLiteral("ok")},
              {QStringLiteral("database"), ok ? QStringLiteral("ok") : QStringLiteral("error")}});
}

ApiResponse ApiHandler::metrics()
{
    std::optional<JobCounts> counts;
    std::optional<bool> paused;
    ApiResponse failure;
    if (JobStore *s = store(&failure)) {
        StoreError error;
        counts = s->counts(nowMs(), &error);
        paused = s->isPaused(&error);
    }
    ApiResponse response;
    response.contentType = "text/plain; version=0.0.4; charset=utf-8";
    response.body = m_config.metrics ? m_config.metrics->render(counts, paused)
                                     : ApiMetrics().render(counts, paused);
    return response;
}

ApiResponse ApiHandler::queueOne(const QJsonObject &object, bool legacy)
{
    ApiResponse failure;
    Problems problems;
    FieldReader reader(object, &problems);
    reader.refuseUnknown({QStringLiteral("dealer_id"), QStringLiteral("fetch_type"),
                          QStringLiteral("from_time"), QStringLiteral("to_time"),
                          QStringLiteral("priority"), QStringLiteral("run_next")});
    JobRequest jobRequest;
    bool dealerGiven = false;
    const QString dealerId = reader.string(QStringLiteral("dealer_id"), true, &dealerGiven);
    jobRequest.fetchType = reader.string(QStringLiteral("fetch_type"), true);
    jobRequest.from = reader.string(QStringLiteral("from_time"), false);
    jobRequest.to = reader.string(QStringLiteral("to_time"), false);
    jobRequest.priority = reader.integer(QStringLiteral("priority"), -1000000, 1000000, 0);
    jobRequest.runNext = reader.boolean(QStringLiteral("run_next")) || legacy;
    jobRequest.dealerIds = QStringList{dealerId};
    if (dealerGiven) {
        // The same rules as a list: surrounding blanks dropped, then checked.
        const DealerIdList checked = checkDealerIds(jobRequest.dealerIds);
        if (checked.valid.isEmpty())
            problems.add(QStringLiteral("invalid_field"), QStringLiteral("dealer_id"),
                         checked.invalid.isEmpty() ? QStringLiteral("dealer_id is blank")
                                                   : checked.invalid.first().reason);
    }
    QVector<FieldError> errors;
    const std::optional<PreparedJobs> prepared =
        prepareJobs(jobRequest, m_config.fetchTypes, nowMs(), &errors);
    if (!prepared) {
        // Type problems already named the field; add only what they did not cover.
        for (const FieldError &error : errors) {
            if (error.field == QLatin1String("dealer_id"))
                continue;
            if (error.field == QLatin1String("fetch_type") && jobRequest.fetchType.isEmpty())
                continue;
            problems.add(QStringLiteral("invalid_field"), error.field, error.message);
        }
        if (problems.isEmpty()) {
            for (const FieldError &error : errors)
                problems.add(QStringLiteral("invalid_field"), error.field, error.message);
        }
    }
    if (!problems.isEmpty())
        return problems.response();

    JobStore *s = store(&failure);
    if (!s)
        return failure;
    NewJob job = prepared->common;
    job.dealerId = prepared->dealerIds.value(0);
    StoreError error;
    const std::optional<AddOutcome> outcome = s->addJob(job, &error);
    if (!outcome)
        return storeFailure(error);
    QJsonObject body = outcome->job.toJson(nowMs());
    body.insert(QStringLiteral("duplicate"), outcome->duplicate);
    if (legacy)
        body.insert(QStringLiteral("deprecated"), true);
    if (!outcome->duplicate && m_config.queueChanged)
        m_config.queueChanged();
    ApiResponse response = ApiResponse::json(outcome->duplicate ? 200 : 201, body);
    if (legacy)
        response.headers.push_back({"Deprecation", "true"});
    return response;
}

ApiResponse ApiHandler::queueBulk(const QJsonObject &object, bool legacy)
{
    ApiResponse failure;
    const QJsonValue idsValue = object.value(QStringLiteral("dealer_ids"));
    if (idsValue.isArray() && idsValue.toArray().size() > MaxDealerIds)
        return ApiResponse::error(413, QStringLiteral("too_many_ids"),
                                  QStringLiteral("%1 dealer IDs in one call; at most %2 are "
                                                 "accepted: split the list")
                                      .arg(idsValue.toArray().size())
                                      .arg(MaxDealerIds),
                                  QStringLiteral("dealer_ids"));
    Problems problems;
    FieldReader reader(object, &problems);
    reader.refuseUnknown({QStringLiteral("dealer_ids"), QStringLiteral("fetch_type"),
                          QStringLiteral("from_time"), QStringLiteral("to_time"),
                          QStringLiteral("priority"), QStringLiteral("partial"),
                          QStringLiteral("run_next")});
    JobRequest jobRequest;
    if (idsValue.isUndefined() || idsValue.isNull()) {
        problems.add(QStringLiteral("missing_field"), QStringLiteral("dealer_ids"),
                     QStringLiteral("dealer_ids is required: a list of dealer IDs"));
    } else if (!idsValue.isArray()) {
        problems.add(QStringLiteral("wrong_type"), QStringLiteral("dealer_ids"),
                     QStringLiteral("dealer_ids must be an array of strings, not %1")
                         .arg(jsonTypeName(idsValue)));
    } else {
        const QJsonArray ids = idsValue.toArray();
        for (int i = 0; i < ids.size(); ++i) {
            if (ids.at(i).isString()) {
                jobRequest.dealerIds << ids.at(i).toString();
                continue;
            }
            problems.add(QStringLiteral("wrong_type"), QStringLiteral("dealer_ids"),
                         QStringLiteral("dealer_ids[%1] must be a string, not %2%3")
                             .arg(i)
                             .arg(jsonTypeName(ids.at(i)),
                                  ids.at(i).isDouble()
                                      ? QStringLiteral(" (write IDs in quotes, so that "
                                                       "leading zeros are kept)")
                                      : QString()),
                         {{QStringLiteral("index"), i}});
        }
    }
    jobRequest.fetchType = reader.string(QStringLiteral("fetch_type"), true);
    jobRequest.from = reader.string(QStringLiteral("from_time"), false);
    jobRequest.to = reader.string(QStringLiteral("to_time"), false);
    jobRequest.priority = reader.integer(QStringLiteral("priority"), -1000000, 1000000, 0);
    jobRequest.partial = reader.boolean(QStringLiteral("partial"));
    jobRequest.runNext = reader.boolean(QStringLiteral("run_next")) || legacy;

    const DealerIdList checked = checkDealerIds(jobRequest.dealerIds);
    if (idsValue.isArray() && problems.isEmpty() && checked.valid.isEmpty() &&
        checked.invalid.isEmpty())
        problems.add(QStringLiteral("invalid_field"), QStringLiteral("dealer_ids"),
                     QStringLiteral("no dealer ID given"));
    if (!jobRequest.partial || checked.valid.isEmpty()) {
        for (const DealerIdList::Invalid &bad : checked.invalid)
            problems.add(QStringLiteral("invalid_dealer_id"), QStringLiteral("dealer_ids"),
                         bad.reason, {{QStringLiteral("dealer_id"), bad.id}});
    }
    QVector<FieldError> errors;
    const std::optional<PreparedJobs> prepared =
        prepareJobs(jobRequest, m_config.fetchTypes, nowMs(), &errors);
    if (!prepared) {
        for (const FieldError &error : errors) {
            if (error.field == QLatin1String("fetch_type") && jobRequest.fetchType.isEmpty())
                continue;
            if (error.field != QLatin1String("dealer_id"))
                problems.add(QStringLiteral("invalid_field"), error.field, error.message);
        }
        if (problems.isEmpty()) {
            for (const FieldError &error : errors)
                problems.add(QStringLiteral("invalid_field"), QStringLiteral("dealer_ids"),
                             error.message);
        }
    }
    if (!problems.isEmpty())
        return problems.response();

    JobStore *s = store(&failure);
    if (!s)
        return failure;
    StoreError error;
    const std::optional<BulkOutcome> outcome =
        s->addJobs(prepared->dealerIds, prepared->common, &error);
    if (!outcome)
        return storeFailure(error);
    QJsonArray ids;
    for (qint64 id : outcome->jobIds)
        ids.push_back(id);
    QJsonArray skipped;
    for (const BulkOutcome::Skipped &skip : outcome->skipped)
        skipped.push_back(QJsonObject{{QStringLiteral("dealer_id"), skip.dealerId},
                                      {QStringLiteral("reason"), skip.reason},
                                      {QStringLiteral("existing_job_id"), skip.existingJobId}});
    for (const DealerIdList::Invalid &bad : prepared->invalid)
        skipped.push_back(QJsonObject{{QStringLiteral("dealer_id"), bad.id},
                                      {QStringLiteral("reason"), bad.reason}});
    QJsonObject body{{QStringLiteral("job_ids"), ids},
                     {QStringLiteral("added"), ids.size()},
                     {QStringLiteral("skipped"), skipped}};
    if (legacy)
        body.insert(QStringLiteral("deprecated"), true);
    if (!ids.isEmpty() && m_config.queueChanged)
        m_config.queueChanged();
    ApiResponse response = ApiResponse::json(ids.isEmpty() ? 200 : 201, body);
    if (legacy)
        response.headers.push_back({"Deprecation", "true"});
    return response;
}

ApiResponse ApiHandler::queueStatus(const ApiRequest &request)
{
    Problems problems;
    const std::optional<int> limit =
        queryInt(request.query, QStringLiteral("limit"), 0, MaxListLimit, 100, &problems);
    if (!limit)
        return problems.response();
    ApiResponse failure;
    JobStore *s = store(&failure);
    if (!s)
        return failure;
    // Scripts poll this: on SQLite, reuse the last read while nothing has been committed since
    // (data_version changes with every other connection's commit; one cheap pragma).
    qint64 dataVersion = -1;
    if (s->database().isSqlite()) {
        QSqlQuery q(s->database().db());
        if (q.exec(QStringLiteral("PRAGMA data_version")) && q.next())
            dataVersion = q.value(0).toLongLong();
    }
    StatusCache &cache = *m_statusCache;
    if (dataVersion < 0 || cache.dataVersion != dataVersion || cache.limit != *limit ||
        cache.writes != m_writes || cache.opens != m_opens) {
        StoreError error;
        std::optional<QueueStatus> status = s->queueStatus(*limit, &error);
        if (!status) {
            cache.dataVersion = -1;
            return storeFailure(error);
        }
        cache.status = std::move(*status);
        cache.queuedJson =
            QJsonDocument(jobArray(cache.status.queued, 0)).toJson(QJsonDocument::Compact);
        cache.limit = *limit;
        cache.dataVersion = dataVersion;
        cache.writes = m_writes;
        cache.opens = m_opens;
    }
    const QueueStatus &status = cache.status;
    const QJsonObject rest{
        {QStringLiteral("current_job"),
         status.current ? QJsonValue(status.current->toJson(nowMs())) : QJsonValue()},
        {QStringLiteral("queue_length"), status.queueLength},
        {QStringLiteral("is_processing"), status.current.has_value()},
        {QStringLiteral("is_paused"), status.paused},
        {QStringLiteral("runner"),
         status.runnerHolder.isEmpty() ? QJsonValue() : QJsonValue(status.runnerHolder)}};
    ApiResponse response;
    response.body = QJsonDocument(rest).toJson(QJsonDocument::Compact);
    response.body.chop(1); // the closing brace: queued_jobs goes in as already serialized
    response.body += ",\"queued_jobs\":" + cache.queuedJson + '}';
    return response;
}

ApiResponse ApiHandler::jobStatus(qint64 id)
{
    ApiResponse failure;
    JobStore *s = store(&failure);
    if (!s)
        return failure;
    StoreError error;
    const std::optional<Job> job = s->job(id, &error);
    if (!job)
        return storeFailure(error);
    return ApiResponse::json(200, job->toJson(nowMs()));
}

ApiResponse ApiHandler::cancel(qint64 id)
{
    ApiResponse failure;
    JobStore *s = store(&failure);
    if (!s)
        return failure;
    StoreError error;
    const std::optional<CancelOutcome> outcome = s->cancelJob(id, &error);
    if (!outcome)
        return storeFailure(error, QStringLiteral("already_finished"));
    const bool running = *outcome == CancelOutcome::AbortRequested;
    if (running && m_config.cancelRunning)
        m_config.cancelRunning(id);
    if (m_config.queueChanged)
        m_config.queueChanged();
    const std::optional<Job> job = s->job(id, &error);
    if (!job)
        return storeFailure(error);
    return ApiResponse::json(running ? 202 : 200, job->toJson(nowMs()));
}

ApiResponse ApiHandler::clearCompleted()
{
    ApiResponse failure;
    JobStore *s = store(&failure);
    if (!s)
        return failure;
    StoreError error;
    const std::optional<qint64> removed = s->clearFinished(&error);
    if (!removed)
        return storeFailure(error);
    if (m_config.queueChanged)
        m_config.queueChanged();
    return ApiResponse::json(200, {{QStringLiteral("removed"), *removed}});
}

ApiResponse ApiHandler::retry(qint64 id)
{
    ApiResponse failure;
    JobStore *s = store(&failure);
    if (!s)
        return failure;
    StoreError error;
    const std::optional<Job> job = s->retryJob(id, &error);
    if (!job)
        return storeFailure(error, QStringLiteral("not_retryable"));
    if (m_config.queueChanged)
        m_config.queueChanged();
    return ApiResponse::json(200, job->toJson(nowMs()));
}

ApiResponse ApiHandler::setPaused(bool paused)
{
    ApiResponse failure;
    JobStore *s = store(&failure);
    if (!s)
        return failure;
    StoreError error;
    if (!s->setPaused(paused, &error))
        return storeFailure(error);
    if (m_config.queueChanged)
        m_config.queueChanged();
    return ApiResponse::json(200, {{QStringLiteral("is_paused"), paused}});
}

ApiResponse ApiHandler::history(const ApiRequest &request)
{
    Problems problems;
    HistoryFilter filter;
    const QString statusText =
        request.query.queryItemValue(QStringLiteral("status"), QUrl::FullyDecoded);
    if (request.query.hasQueryItem(QStringLiteral("status"))) {
        for (const QString &name : statusText.split(QLatin1Char(','))) {
            const std::optional<JobStatus> status = jobStatusFromString(name.trimmed());
            if (!status || status == JobStatus::Queued || status == JobStatus::Running) {
                problems.add(QStringLiteral("invalid_parameter"), QStringLiteral("status"),
                             QStringLiteral("status=\"%1\" is not a finished status; use "
                                            "completed, failed or cancelled (comma-separated)")
                                 .arg(name.left(40)));
                break;
            }
            if (!filter.statuses.contains(*status))
                filter.statuses.push_back(*status);
        }
    }
    if (request.query.hasQueryItem(QStringLiteral("dealer_id"))) {
        filter.dealerId =
            request.query.queryItemValue(QStringLiteral("dealer_id"), QUrl::FullyDecoded);
        QString reason;
        if (!validateDealerId(filter.dealerId, &reason))
            problems.add(QStringLiteral("invalid_parameter"), QStringLiteral("dealer_id"), reason);
    }
    const std::optional<int> limit =
        queryInt(request.query, QStringLiteral("limit"), 1, MaxListLimit, 100, &problems);
    const std::optional<int> offset =
        queryInt(request.query, QStringLiteral("offset"), 0, 1000000000, 0, &problems);
    if (!problems.isEmpty())
        return problems.response();
    filter.limit = *limit;
    filter.offset = *offset;
    ApiResponse failure;
    JobStore *s = store(&failure);
    if (!s)
        return failure;
    StoreError error;
    const std::optional<QVector<Job>> jobs = s->history(filter, &error);
    if (!jobs)
        return storeFailure(error);
    const std::optional<qint64> total = s->historyCount(filter, &error);
    if (!total)
        return storeFailure(error);
    return ApiResponse::json(200, {{QStringLiteral("jobs"), jobArray(*jobs, nowMs())},
                                   {QStringLiteral("total"), *total},
                                   {QStringLiteral("limit"), filter.limit},
                                   {QStringLiteral("offset"), filter.offset}});
}

ApiResponse ApiHandler::historyCsv(const ApiRequest &)
{
    ApiResponse failure;
    JobStore *s = store(&failure);
    if (!s)
        return failure;
    // Written in chunks to an owner-only temporary file, then streamed from there: neither the
    // history nor the CSV ever sits in memory whole, and a slow client holds no database read.
    auto file = std::make_unique<QTemporaryFile>();
    if (!file->open())
        return ApiResponse::error(500, QStringLiteral("export_failed"),
                                  QStringLiteral("cannot create a temporary file for the CSV: %1")
                                      .arg(file->errorString()));
    QString why;
    if (!Csv::exportJobs(*s, file.get(), &why) || !file->flush() || !file->seek(0))
        return ApiResponse::error(503, QStringLiteral("export_failed"),
                                  why.isEmpty() ? file->errorString() : why);
    ApiResponse response;
    response.contentType = "text/csv; charset=utf-8";
    response.headers.push_back(
        {"Content-Disposition", "attachment; filename=\"dealerq-jobs.csv\""});
    response.stream = std::move(file);
    return response;
}
