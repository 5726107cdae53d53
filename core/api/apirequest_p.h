#pragma once

// Internal to core/api: how the router and the controllers read a request and word a refusal.

#include "api/apirequest.h"

#include <optional>

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QUrlQuery>
#include <QVector>

#include <functional>

struct HistoryFilter;
struct Job;
struct StoreError;

/// Every problem found in one request, reported together as one 400 (or `status`).
class Problems final
{
public:
    void add(const QString &code, const QString &field, const QString &message,
             const QJsonObject &extra = {});
    bool isEmpty() const { return m_list.isEmpty(); }
    /// True when a problem names `field` already.
    bool concerns(const QString &field) const;
    ApiResponse response(int status = 400) const;

private:
    QJsonArray m_list;
};

/// Reads the fields of a JSON body, noting every problem.
class FieldReader final
{
public:
    FieldReader(const QJsonObject &object, Problems *problems)
        : m_object(object)
        , m_problems(problems)
    {}

    /// Notes every field not named in `known`.
    void refuseUnknown(const QStringList &known);
    /// A required string, or an optional one (null and absent are "not given").
    QString string(const QString &key, bool required, bool *given = nullptr);
    /// A whole number from `min` to `max`; `fallback` when absent or refused.
    int integer(const QString &key, int min, int max, int fallback);
    /// True or false; false when absent or refused.
    bool boolean(const QString &key);

private:
    const QJsonObject &m_object;
    Problems *m_problems;
};

inline qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

/// The answer to a store call that failed: 400, 404, 409 (its code `conflictCode`, "conflict"
/// when empty) or 503.
ApiResponse storeFailure(const StoreError &error, const QString &conflictCode = {});

/// Reads a whole-number query parameter; absent gives `fallback`.
std::optional<int> queryInt(const QUrlQuery &query, const QString &key, int min, int max,
                            int fallback, Problems *problems);

/// Notes every query parameter not named in `known`; true when there was none.
bool refuseUnknownParameters(const QUrlQuery &query, const QStringList &known, Problems *problems);

/// Checks Content-Type and parses the body as a JSON object; on failure fills *response.
std::optional<QJsonObject> jsonBody(const ApiRequest &request, ApiResponse *response);

/// The JSON forms of `jobs`, in order.
QJsonArray jobArray(const QVector<Job> &jobs, qint64 now);

/// The text of a filter parameter as a request gives it (a query parameter, a JSON string);
/// nothing when it is not given.
using FilterValue = std::function<std::optional<QString>(const QString &key)>;

/// Reads the history filter fields of SPEC §7 that `fields` names — `dealer_id`, `fetch_type`
/// (one of `fetchTypes`), `error_category`, `q`, `finished_after`, `finished_before` — into
/// *filter, noting a problem (of `code`: invalid_parameter, invalid_field) that names each bad
/// one.
void readHistoryFilter(const FilterValue &value, const QStringList &fields,
                       const QStringList &fetchTypes, HistoryFilter *filter, Problems *problems,
                       const QString &code);

/// A query parameter as a FilterValue.
FilterValue queryValue(const QUrlQuery &query);
