#include "source/fetchwords_p.h"

#include "job/httpstatus.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace FetchWords {

QString statusText(int status)
{
    const QByteArray phrase = httpReasonPhrase(status);
    if (!phrase.isEmpty())
        return QStringLiteral("%1 %2").arg(QString::number(status), QLatin1String(phrase));
    return QString::number(status);
}

QString seconds(qint64 ms)
{
    return QString::number(static_cast<double>(ms) / 1000.0);
}

QString tries(int count)
{
    return count == 1 ? QStringLiteral("1 try") : QStringLiteral("%1 tries").arg(count);
}

QString serverMessage(const QByteArray &body)
{
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    QJsonValue value = root.value(QLatin1String("error"));
    if (value.isObject())
        value = value.toObject().value(QLatin1String("message"));
    if (!value.isString())
        value = root.value(QLatin1String("message"));
    QString text = value.toString().simplified();
    if (text.size() > 200)
        text = text.left(197) + QStringLiteral("...");
    return text;
}

QString describeNetworkError(QNetworkReply::NetworkError error, int timeoutMs,
                             Transience *transience)
{
    *transience = Transience::Transient;
    switch (error) {
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("connection refused");
    case QNetworkReply::RemoteHostClosedError:
        return QStringLiteral("connection closed by the server without an answer");
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("host not found");
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        // We never abort a reply we still listen to, so a cancel is the transfer timeout.
        return QStringLiteral("no data for %1 s").arg(seconds(timeoutMs));
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
        return QStringLiteral("network unavailable");
    case QNetworkReply::ProxyConnectionRefusedError:
    case QNetworkReply::ProxyConnectionClosedError:
    case QNetworkReply::ProxyNotFoundError:
    case QNetworkReply::ProxyTimeoutError:
        return QStringLiteral("proxy failure");
    case QNetworkReply::SslHandshakeFailedError:
        *transience = Transience::Permanent;
        return QStringLiteral("TLS handshake failed; check the server certificate");
    case QNetworkReply::ProtocolUnknownError:
    case QNetworkReply::ProtocolInvalidOperationError:
        *transience = Transience::Permanent;
        return QStringLiteral("unsupported protocol");
    default:
        return QString();
    }
}

} // namespace FetchWords
