#pragma once

#include <memory>

#include <QByteArray>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrlQuery>

/// One HTTP request as the REST API sees it, whatever server received it.
struct ApiRequest
{
    QByteArray method; ///< "GET", "POST", ...
    QString path;      ///< decoded, e.g. "/jobs/queue/12/status"
    QUrlQuery query;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    QString peer; ///< the client's address, as the throttling of failed tokens keys it

    /// The first header called `name` (case-insensitive); empty when absent.
    QByteArray header(const QByteArray &name) const;
};

/// The answer to one request: a status, a body (JSON unless said otherwise) and extra headers.
/// A large body comes as a device to stream instead (`stream`, with its size known).
struct ApiResponse
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    std::unique_ptr<QIODevice> stream;
    QList<QPair<QByteArray, QByteArray>> headers;

    static ApiResponse json(int status, const QJsonObject &object);
    /// `{"error":{"code","message","field"[,"details"]}}` (SPEC §4).
    static ApiResponse error(int status, const QString &code, const QString &message,
                             const QString &field = {}, const QJsonArray &details = {});
};
