#pragma once

// The words a fetch of the dealer API uses for what went wrong, shared by its page requests
// (dealerclient.cpp, dealerclientprofile.cpp) and its OAuth2 token request
// (dealerclientoauth2.cpp). Private to core/source.

#include <QByteArray>
#include <QNetworkReply>
#include <QString>

namespace FetchWords {

/// "404 Not Found": our own wording, never the server's (which could say anything).
QString statusText(int status);
/// A duration in milliseconds as seconds ("2.5").
QString seconds(qint64 ms);
/// "1 try", "3 tries".
QString tries(int count);
/// The `error.message` (or `error`, or `message`) of a JSON error body, cut short.
QString serverMessage(const QByteArray &body);

enum class Transience
{
    Transient,
    Permanent
};

/// A short phrase for a connection-level failure, and whether trying again may help.
QString describeNetworkError(QNetworkReply::NetworkError error, int timeoutMs,
                             Transience *transience);

} // namespace FetchWords
