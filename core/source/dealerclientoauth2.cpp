// DealerFetch's OAuth2 client-credentials grant (SPEC §11, `auth = oauth2`) and the token cache
// the fetches of one runner share.
#include "source/dealerclient.h"

#include "source/fetchwords_p.h"

#include "log/logging.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <algorithm>

using namespace FetchWords;

namespace {

constexpr qsizetype MaxTokenBodyBytes = 64 * 1024;

} // namespace

OAuth2TokenCache::OAuth2TokenCache(Clock clock)
    : m_clock(clock ? std::move(clock) : Clock([] { return QDateTime::currentMSecsSinceEpoch(); }))
{}

QByteArray OAuth2TokenCache::token() const
{
    // A token within 5 s of its end is as good as expired: it could lapse on the way.
    if (m_expiresMs > 0 && m_clock() + 5000 >= m_expiresMs)
        return {};
    return m_token;
}

void OAuth2TokenCache::store(const QByteArray &token, qint64 expiresInS)
{
    // A lifetime past a year is read as a year: the endpoint's number could be anything, and
    // milliseconds from it must not overflow.
    constexpr qint64 MaxLifetimeS = 366LL * 24 * 3600;
    m_token = token;
    m_expiresMs = expiresInS > 0 ? m_clock() + std::min(expiresInS, MaxLifetimeS) * 1000 : 0;
    ++m_stored;
}

void OAuth2TokenCache::clear()
{
    m_token.clear();
    m_expiresMs = 0;
}

void DealerFetch::requestToken()
{
    if (m_finished)
        return;
    const SourceProfile &profile = m_request.profile;
    const QUrl url(profile.oauth2TokenUrl);
    qCDebug(lcFetch).noquote() << "POST" << url.toDisplayString(QUrl::RemoveUserInfo)
                               << "(OAuth2 client-credentials grant)";
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(m_policy.timeoutMs);
    request.setHeader(QNetworkRequest::ContentTypeHeader,
                      QByteArrayLiteral("application/x-www-form-urlencoded"));
    request.setRawHeader("Accept", "application/json");
    // RFC 6749 §4.4 with the client's credentials in the body (§2.3.1).
    QByteArray form = "grant_type=client_credentials&client_id=" +
                      QUrl::toPercentEncoding(profile.oauth2ClientId) +
                      "&client_secret=" + QUrl::toPercentEncoding(profile.oauth2ClientSecret);
    if (!profile.oauth2Scope.isEmpty())
        form += "&scope=" + QUrl::toPercentEncoding(profile.oauth2Scope);
    emit phaseChanged(JobPhase::Waiting, {},
                      QDateTime::currentMSecsSinceEpoch() + m_policy.timeoutMs);
    m_tokenReply = m_nam->post(request, form);
    connect(m_tokenReply, &QNetworkReply::finished, this, &DealerFetch::onTokenFinished);
}

void DealerFetch::onTokenFinished()
{
    handleReply(&DealerFetch::handleTokenReply);
}

void DealerFetch::handleTokenReply()
{
    QNetworkReply *reply = m_tokenReply;
    if (!reply || m_finished)
        return;
    disconnect(reply, nullptr, this, nullptr);
    m_tokenReply = nullptr;
    reply->deleteLater();

    m_errorKey = QStringLiteral("oauth2_token_url");
    const QString endpoint =
        QUrl(m_request.profile.oauth2TokenUrl)
            .adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment)
            .toDisplayString();
    const QVariant statusValue = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = statusValue.toInt();
    const int tried = m_retries + 1;
    if (!statusValue.isValid() || (status == 200 && reply->error() != QNetworkReply::NoError)) {
        Transience transience = Transience::Transient;
        QString what = describeNetworkError(reply->error(), m_policy.timeoutMs, &transience);
        if (what.isEmpty())
            what = reply->errorString();
        const QString failure =
            QStringLiteral("could not get an OAuth2 token from %1 (%2) after %3 — check "
                           "oauth2_token_url in Settings and that the token endpoint is up")
                .arg(endpoint, what, tries(tried));
        if (transience == Transience::Permanent)
            finish(ErrorCategory::Network, failure);
        else
            retryOrFail(ErrorCategory::Network, QStringLiteral("token endpoint: %1").arg(what),
                        failure, -1);
        return;
    }
    if (status == 429 || (status >= 500 && status < 600)) {
        retryOrFail(ErrorCategory::Network,
                    QStringLiteral("token endpoint answered %1").arg(statusText(status)),
                    QStringLiteral("the OAuth2 token endpoint %1 answered %2 after %3 — retry "
                                   "the job once it is up")
                        .arg(endpoint, statusText(status), tries(tried)),
                    -1);
        return;
    }
    if (status >= 300 && status < 400) {
        finish(ErrorCategory::Http,
               QStringLiteral("the OAuth2 token endpoint %1 answered %2, a redirect — redirects "
                              "are not followed so that the client secret never travels "
                              "elsewhere; set oauth2_token_url to the final address")
                   .arg(endpoint, statusText(status)));
        return;
    }
    if (status != 200) {
        m_errorKey = QStringLiteral("oauth2_client_secret");
        finish(ErrorCategory::Auth,
               QStringLiteral("the OAuth2 token endpoint %1 answered %2 — check "
                              "oauth2_client_id, oauth2_client_secret and oauth2_scope in "
                              "Settings")
                   .arg(endpoint, statusText(status)));
        return;
    }
    const QJsonObject answer = QJsonDocument::fromJson(reply->read(MaxTokenBodyBytes)).object();
    const QByteArray token = answer.value(QLatin1String("access_token")).toString().toUtf8();
    if (token.isEmpty()) {
        finish(ErrorCategory::Auth,
               QStringLiteral("the OAuth2 token endpoint %1 answered without an access_token — "
                              "check oauth2_token_url in Settings")
                   .arg(endpoint));
        return;
    }
    m_errorKey.clear();
    m_secrets << token;
    const QJsonValue expiresIn = answer.value(QLatin1String("expires_in"));
    // A number out of qint64's range (1e300) must not reach the cast; a year is plenty.
    const double expiresInNumber = std::clamp(expiresIn.toDouble(), -1.0, 1.0e12);
    m_tokens->store(token, expiresIn.isString() ? expiresIn.toString().toLongLong()
                                                : static_cast<qint64>(expiresInNumber));
    qCDebug(lcFetch).noquote() << QStringLiteral("OAuth2 token from %1, expires in %2 s")
                                      .arg(endpoint, expiresIn.toVariant().toString());
    sendPage();
}
