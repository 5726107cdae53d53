#include "api/apirequest.h"

#include "api/apihandler.h"
#include "api/apirequest_p.h"
#include "job/jobjson.h"
#include "job/queuetypes.h"
#include "job/timeformat.h"
#include "job/validation.h"
#include "source/pagedecoder.h"
#include "store/jobstore.h"

#include <algorithm>
#include <cmath>

#include <QJsonDocument>

namespace {

QJsonObject errorObject(const QString &code, const QString &message, const QString &field,
                        const QJsonArray &details = {})
{
    QJsonObject error{{QStringLiteral("code"), code}, {QStringLiteral("message"), message}};
    error.insert(QStringLiteral("field"), field.isEmpty() ? QJsonValue() : QJsonValue(field));
    if (!details.isEmpty())
        error.insert(QStringLiteral("details"), details);
    return error;
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

void Problems::add(const QString &code, const QString &field, const QString &message,
                   const QJsonObject &extra)
{
    QJsonObject entry = extra;
    entry.insert(QStringLiteral("code"), code);
    entry.insert(QStringLiteral("field"), field);
    entry.insert(QStringLiteral("message"), message);
    m_list.push_back(entry);
}

bool Problems::concerns(const QString &field) const
{
    for (const QJsonValue &entry : m_list) {
        if (entry.toObject().value(QStringLiteral("field")).toString() == field)
            return true;
    }
    return false;
}

ApiResponse Problems::response(int status) const
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

ApiResponse storeFailure(const StoreError &error, const QString &conflictCode)
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

void FieldReader::refuseUnknown(const QStringList &known)
{
    for (auto it = m_object.begin(); it != m_object.end(); ++it) {
        if (!known.contains(it.key()))
            m_problems->add(QStringLiteral("unknown_field"), it.key(),
                            QStringLiteral("unknown field \"%1\"; expected %2")
                                .arg(it.key(), known.join(QStringLiteral(", "))));
    }
}

QString FieldReader::string(const QString &key, bool required, bool *given)
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
        m_problems->add(
            QStringLiteral("wrong_type"), key,
            QStringLiteral("%1 must be a string, not %2%3").arg(key, jsonTypeName(value), hint));
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

int FieldReader::integer(const QString &key, int min, int max, int fallback)
{
    const QJsonValue value = m_object.value(key);
    if (value.isUndefined() || value.isNull())
        return fallback;
    const double number = value.toDouble();
    if (!value.isDouble() || std::floor(number) != number || number < min || number > max) {
        m_problems->add(
            value.isDouble() ? QStringLiteral("invalid_field") : QStringLiteral("wrong_type"), key,
            QStringLiteral("%1 must be a whole number from %2 to %3").arg(key).arg(min).arg(max));
        return fallback;
    }
    return int(number);
}

bool FieldReader::boolean(const QString &key)
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

QJsonArray jobArray(const QVector<Job> &jobs, qint64 now)
{
    QJsonArray array;
    for (const Job &job : jobs)
        array.push_back(jobToJson(job, now));
    return array;
}

FilterValue queryValue(const QUrlQuery &query)
{
    return [query](const QString &key) -> std::optional<QString> {
        if (!query.hasQueryItem(key))
            return std::nullopt;
        return query.queryItemValue(key, QUrl::FullyDecoded);
    };
}

void readHistoryFilter(const FilterValue &value, const QStringList &fields,
                       const QStringList &fetchTypes, HistoryFilter *filter, Problems *problems,
                       const QString &code)
{
    const auto bad = [problems, &code](const QString &field, const QString &message) {
        problems->add(code, field, message);
    };
    const auto given = [&](const char *name) -> std::optional<QString> {
        const QString key = QString::fromLatin1(name);
        return fields.contains(key) ? value(key) : std::nullopt;
    };
    if (const std::optional<QString> dealerId = given("dealer_id")) {
        QString reason;
        if (validateDealerId(*dealerId, &reason))
            filter->dealerId = *dealerId;
        else
            bad(QStringLiteral("dealer_id"), reason);
    }
    if (const std::optional<QString> type = given("fetch_type")) {
        QString reason;
        if (validateFetchType(*type, fetchTypes, &reason))
            filter->fetchType = *type;
        else
            bad(QStringLiteral("fetch_type"), reason);
    }
    if (const std::optional<QString> category = given("error_category")) {
        const std::optional<ErrorCategory> parsed = errorCategoryFromString(*category);
        if (parsed && *parsed != ErrorCategory::None)
            filter->errorCategory = parsed;
        else
            bad(QStringLiteral("error_category"),
                QStringLiteral("error_category \"%1\" is not a category; use network, http, "
                               "auth, not_found, bad_payload, database, cancelled or "
                               "interrupted")
                    .arg(printableText(*category)));
    }
    if (const std::optional<QString> text = given("q")) {
        const bool control = std::any_of(text->cbegin(), text->cend(), [](QChar c) {
            return c.category() == QChar::Other_Control;
        });
        if (text->size() > 200)
            bad(QStringLiteral("q"), QStringLiteral("q is %1 characters long; at most 200 are "
                                                    "searched for")
                                         .arg(text->size()));
        else if (control)
            bad(QStringLiteral("q"),
                QStringLiteral("q \"%1\" holds a control character").arg(printableText(*text)));
        else
            filter->text = text->trimmed();
    }
    const auto time = [&](const char *name, std::optional<qint64> *out) {
        const std::optional<QString> text = given(name);
        if (!text)
            return;
        QString reason;
        *out = parseTimeInput(*text, TimeBound::Start, &reason);
        if (!*out)
            bad(QString::fromLatin1(name),
                QStringLiteral("%1 \"%2\" is not a time: %3")
                    .arg(QString::fromLatin1(name), printableText(*text), reason));
    };
    time("finished_after", &filter->finishedAfterMs);
    time("finished_before", &filter->finishedBeforeMs);
}
