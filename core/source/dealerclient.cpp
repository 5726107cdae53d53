#include "source/dealerclient.h"

#include "source/fetchwords_p.h"
#include "source/pagedecoder.h"
#include "source/profiledecoder.h"

#include "job/httpstatus.h"
#include "log/logging.h"

#include <algorithm>
#include <utility>

#include <QDateTime>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

using namespace FetchWords;

namespace {

constexpr qsizetype MaxErrorBodyBytes = 4096;

} // namespace

DealerFetch::DealerFetch(QNetworkAccessManager *nam, FetchRequest request, RetryPolicy policy,
                         QObject *parent)
    : QObject(parent)
    , m_nam(nam)
    , m_request(std::move(request))
    , m_policy(policy)
    , m_retryTimer(new QTimer(this))
{
    m_policy.maxRetries = std::max(0, m_policy.maxRetries);
    m_policy.initialBackoffMs = std::max(0, m_policy.initialBackoffMs);
    m_policy.maxBackoffMs = std::max(m_policy.initialBackoffMs, m_policy.maxBackoffMs);
    m_policy.maxRetryAfterS = std::max(0, m_policy.maxRetryAfterS);
    m_policy.maxPages = std::max(1, m_policy.maxPages);
    m_policy.pageSize = std::max(1, m_policy.pageSize);
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &DealerFetch::sendPage);
    m_tokens = m_request.tokens;
    if (!m_tokens) {
        m_ownTokens = std::make_unique<OAuth2TokenCache>();
        m_tokens = m_ownTokens.get();
    }
    if (!m_request.token.isEmpty()) {
        m_secrets << m_request.token << m_request.token.toBase64();
        const qsizetype colon = m_request.token.indexOf(':');
        if (colon >= 0) // basic: the password alone too
            m_secrets << m_request.token.mid(colon + 1);
    }
    if (!m_request.profile.oauth2ClientSecret.isEmpty())
        m_secrets << m_request.profile.oauth2ClientSecret.toUtf8();
}

DealerFetch::~DealerFetch()
{
    dropReply();
}

QUrl DealerFetch::pageUrl(const FetchRequest &request, int page, int pageSize)
{
    QUrl url = request.sourceUrl.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    QByteArray path = url.path(QUrl::FullyEncoded).toLatin1();
    if (!path.endsWith('/'))
        path += '/';
    path += "dealers/" + QUrl::toPercentEncoding(request.dealerId) + '/' +
            QUrl::toPercentEncoding(request.fetchType);
    url.setPath(QString::fromLatin1(path), QUrl::TolerantMode);
    const QByteArray query = "from=" + QUrl::toPercentEncoding(request.from) +
                             "&to=" + QUrl::toPercentEncoding(request.to) +
                             "&page=" + QByteArray::number(page) +
                             "&page_size=" + QByteArray::number(pageSize);
    url.setQuery(QString::fromLatin1(query), QUrl::TolerantMode);
    return url;
}

void DealerFetch::start()
{
    if (m_started || m_finished)
        return;
    m_started = true;
    if (!m_request.profileProblem.isEmpty()) {
        finish(ErrorCategory::Network,
               QStringLiteral("the source profile in Settings cannot be used: %1 — fix [profile] "
                              "in Settings")
                   .arg(m_request.profileProblem));
        return;
    }
    if (profileMode() && m_request.profile.auth == SourceProfile::Auth::Basic &&
        !m_request.token.contains(':')) {
        finish(ErrorCategory::Auth,
               QStringLiteral("auth=basic takes the source token as user:password, and the "
                              "token set has no colon — set the source token in Settings"));
        return;
    }
    const QUrl &source = m_request.sourceUrl;
    const QString scheme = source.scheme();
    if (!source.isValid() || source.host().isEmpty() ||
        (scheme != QLatin1String("http") && scheme != QLatin1String("https"))) {
        finish(ErrorCategory::Network,
               QStringLiteral("the source URL \"%1\" is not an http:// or https:// address — "
                              "check the source URL in Settings")
                   .arg(sourceForDisplay()));
        return;
    }
    sendPage();
}

void DealerFetch::abort()
{
    if (m_finished)
        return;
    m_started = true;
    finish(ErrorCategory::Cancelled, QStringLiteral("fetch of dealer %1 cancelled after %2 pages")
                                         .arg(dealerForDisplay(), QString::number(m_pages)));
}

bool DealerFetch::isFinished() const
{
    return m_finished;
}

ErrorCategory DealerFetch::error() const
{
    return m_error;
}

QString DealerFetch::errorString() const
{
    return m_errorString;
}

int DealerFetch::pages() const
{
    return m_pages;
}

qint64 DealerFetch::fetched() const
{
    return m_fetched;
}

QVector<FetchedRecord> DealerFetch::takeRecords()
{
    return std::exchange(m_records, {});
}

void DealerFetch::sendPage()
{
    if (!profileMode()) {
        requestPage(m_page);
        return;
    }
    if (m_finished)
        return;
    if (m_request.profile.auth == SourceProfile::Auth::OAuth2 && m_tokens->token().isEmpty()) {
        requestToken();
        return;
    }
    if (m_request.profile.paging == SourceProfile::Paging::Link && !m_nextLink.isEmpty())
        sendRequest(m_nextLink);
    else
        sendRequest(profileUrl(m_request, m_page, m_offset, m_cursor, m_policy.pageSize));
}

void DealerFetch::requestPage(int page)
{
    if (m_finished)
        return;
    sendRequest(pageUrl(m_request, page, m_policy.pageSize));
}

void DealerFetch::sendRequest(const QUrl &url)
{
    m_currentUrl = url;
    // Never the Authorization header, nor a user or password in the URL.
    qCDebug(lcFetch).noquote() << "GET" << url.toDisplayString(QUrl::RemoveUserInfo);
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    request.setTransferTimeout(m_policy.timeoutMs);
    request.setRawHeader("Accept", "application/json");
    switch (profileMode() ? m_request.profile.auth : SourceProfile::Auth::Bearer) {
    case SourceProfile::Auth::Bearer:
        if (!m_request.token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + m_request.token);
        break;
    case SourceProfile::Auth::Header:
        if (!m_request.token.isEmpty())
            request.setRawHeader(m_request.profile.authHeader.toLatin1(), m_request.token);
        break;
    case SourceProfile::Auth::Basic:
        request.setRawHeader("Authorization", "Basic " + m_request.token.toBase64());
        break;
    case SourceProfile::Auth::OAuth2: {
        const QByteArray token = m_tokens->token();
        if (!m_secrets.contains(token)) // one cached by an earlier fetch: hidden here too
            m_secrets << token;
        request.setRawHeader("Authorization", "Bearer " + token);
        break;
    }
    }

    m_body.clear();
    m_replyBytes = 0;
    emit phaseChanged(JobPhase::Waiting, {},
                      QDateTime::currentMSecsSinceEpoch() + m_policy.timeoutMs);
    m_reply = m_nam->get(request);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &DealerFetch::onMetaData);
    connect(m_reply, &QNetworkReply::readyRead, this, &DealerFetch::onReadyRead);
    connect(m_reply, &QNetworkReply::finished, this, &DealerFetch::onReplyFinished);
}

void DealerFetch::onMetaData()
{
    if (!m_reply)
        return;
    emit phaseChanged(JobPhase::Downloading, {}, 0);
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QVariant length = m_reply->header(QNetworkRequest::ContentLengthHeader);
    if (status != 200 || !length.isValid())
        return;
    if (length.toLongLong() > m_policy.maxPageBytes) {
        failPageTooBig();
        return;
    }
    // The page is kept as it is (its records point into it): one allocation of the right size.
    m_body.reserve(length.toLongLong());
}

void DealerFetch::onReadyRead()
{
    if (!m_reply)
        return;
    const int status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status != 200) {
        const QByteArray chunk = m_reply->readAll();
        m_replyBytes += chunk.size();
        if (m_body.size() < MaxErrorBodyBytes)
            m_body += chunk.left(MaxErrorBodyBytes - m_body.size());
        return;
    }
    const qint64 available = m_reply->bytesAvailable();
    m_replyBytes += available;
    if (m_replyBytes > m_policy.maxPageBytes) {
        failPageTooBig();
        return;
    }
    // Straight into the page's buffer (reserved from Content-Length when the server sent it).
    const qsizetype had = m_body.size();
    m_body.resize(had + available);
    const qint64 read = m_reply->read(m_body.data() + had, available);
    m_body.resize(had + std::max<qint64>(read, 0));
}

void DealerFetch::onReplyFinished()
{
    handleReply(&DealerFetch::handleReplyFinished);
}

void DealerFetch::handleReply(void (DealerFetch::*handler)())
{
    // The outcome decided here is reported straight away, not through one more trip round the
    // event loop: that trip is a wake-up of this thread per job, and jobs are often one page.
    m_inReplyHandler = true;
    (this->*handler)();
    m_inReplyHandler = false;
    if (std::exchange(m_finishPending, false))
        emit finished(); // the last thing: the receiver may start the next job from here
}

void DealerFetch::handleReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply || m_finished)
        return;
    disconnect(reply, nullptr, this, nullptr);
    m_reply = nullptr;
    reply->deleteLater();

    const QVariant statusValue = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const QNetworkReply::NetworkError netError = reply->error();
    if (statusValue.isValid() &&
        (netError == QNetworkReply::NoError || statusValue.toInt() != 200)) {
        const int status = statusValue.toInt();
        if (status == 200) {
            const QByteArray rest = reply->readAll();
            m_replyBytes += rest.size();
            if (m_replyBytes > m_policy.maxPageBytes) {
                failPageTooBig();
                return;
            }
            m_body += rest;
            const QByteArray body = std::exchange(m_body, {});
            m_lastStatus = 200;
            if (profileMode()) {
                handleProfilePage(body, reply->rawHeader("Link"));
                return;
            }
            // Ask for the next page before decoding this one: the server prepares it and Qt's
            // network thread receives it meanwhile. A page that turns out bad drops that request.
            int requested = 0;
            if (const std::optional<int> next = peekNextPage(body); goesOnTo(next, m_pages + 1)) {
                requestPage(*next);
                requested = *next;
            }
            handlePage(body, requested);
            return;
        }
        if (m_body.size() < MaxErrorBodyBytes)
            m_body += reply->readAll().left(MaxErrorBodyBytes - m_body.size());
        qCDebug(lcFetch).noquote() << QStringLiteral("dealer %1 (%2) page %3: %4")
                                          .arg(dealerForDisplay(), m_request.fetchType,
                                               QString::number(m_page), statusText(status));
        m_lastStatus = status;
        checkStatus(status, reply);
        return;
    }

    // No HTTP answer at all, or a 200 whose body was cut off.
    Transience transience = Transience::Transient;
    QString what = describeNetworkError(netError, m_policy.timeoutMs, &transience);
    if (what.isEmpty())
        what = reply->errorString();
    if (statusValue.isValid())
        what = QStringLiteral("answer cut off: %1").arg(what);
    const int tried = m_retries + 1;
    QString failure;
    if (netError == QNetworkReply::ConnectionRefusedError ||
        netError == QNetworkReply::HostNotFoundError) {
        failure = QStringLiteral("could not connect to %1 (%2) after %3 — check the source URL "
                                 "in Settings and that the dealer API is up")
                      .arg(sourceForDisplay(), what, tries(tried));
    } else {
        failure = QStringLiteral("the dealer API at %1 gave no usable answer for page %2 of "
                                 "dealer %3 (%4) after %5 — check the network and that the "
                                 "dealer API is up, then retry the job")
                      .arg(sourceForDisplay(), QString::number(m_page), dealerForDisplay(), what,
                           tries(tried));
    }
    if (transience == Transience::Permanent) {
        finish(ErrorCategory::Network,
               QStringLiteral("could not fetch from %1 (%2) — check the source URL in Settings")
                   .arg(sourceForDisplay(), what));
        return;
    }
    retryOrFail(ErrorCategory::Network, what, failure, -1);
}

void DealerFetch::checkStatus(int status, QNetworkReply *reply)
{
    if (profileMode()) {
        if (status == 401 || status == 403)
            m_errorKey = QStringLiteral("auth");
        else if (status == 404)
            m_errorKey = QStringLiteral("path");
    }
    const QString dealer = dealerForDisplay();
    const QString answered = QStringLiteral("dealer API answered %1").arg(statusText(status));
    if (status >= 300 && status < 400) {
        QUrl location = reply->header(QNetworkRequest::LocationHeader).toUrl();
        if (location.isEmpty())
            location = QUrl(QString::fromUtf8(reply->rawHeader("Location")));
        const QString target =
            location.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment)
                .toString();
        finish(ErrorCategory::Http,
               QStringLiteral("%1 for dealer %2, a redirect to %3 — redirects are not followed so "
                              "that the source token never travels elsewhere; set the source URL "
                              "in Settings to the final address")
                   .arg(answered, dealer, target.isEmpty() ? QStringLiteral("nowhere") : target));
        return;
    }
    if (status == 401 && profileMode() && m_request.profile.auth == SourceProfile::Auth::OAuth2) {
        if (!m_tokenRefetched) {
            // The token may have lapsed early (revoked, a clock apart): one new one, once.
            m_tokenRefetched = true;
            m_tokens->clear();
            emit logLine(
                QStringLiteral("page %1: HTTP 401, asking for a new OAuth2 token").arg(m_page));
            requestToken();
            return;
        }
        finish(ErrorCategory::Auth,
               QStringLiteral("%1 for dealer %2 with a new OAuth2 token too — check "
                              "oauth2_client_id, oauth2_client_secret and oauth2_scope in "
                              "Settings")
                   .arg(answered, dealer));
        return;
    }
    if (status == 401) {
        finish(ErrorCategory::Auth,
               m_request.token.isEmpty()
                   ? QStringLiteral("%1 for dealer %2 — no source token is set; set one in "
                                    "Settings")
                         .arg(answered, dealer)
                   : QStringLiteral("%1 for dealer %2 — check the source token in Settings")
                         .arg(answered, dealer));
        return;
    }
    if (status == 403) {
        finish(ErrorCategory::Auth,
               QStringLiteral("%1 for dealer %2 (%3) — the source token may not read this "
                              "dealer's data; check the source token in Settings")
                   .arg(answered, dealer, m_request.fetchType));
        return;
    }
    if (status == 404) {
        finish(ErrorCategory::NotFound,
               QStringLiteral("%1 for dealer %2 (%3) — check the dealer ID, the fetch type and "
                              "the source URL in Settings")
                   .arg(answered, dealer, m_request.fetchType));
        return;
    }
    const int tried = m_retries + 1;
    if (status == 429) {
        int retryAfterMs = -1;
        const QByteArray header = reply->rawHeader("Retry-After").trimmed();
        bool ok = false;
        qint64 secs = header.toLongLong(&ok);
        if (!ok) {
            const QDateTime when =
                QDateTime::fromString(QString::fromLatin1(header), Qt::RFC2822Date);
            if (when.isValid()) {
                secs = QDateTime::currentDateTimeUtc().secsTo(when);
                ok = true;
            }
        }
        if (ok)
            retryAfterMs =
                static_cast<int>(std::clamp<qint64>(secs, 0, m_policy.maxRetryAfterS)) * 1000;
        retryOrFail(ErrorCategory::Http, QStringLiteral("HTTP %1").arg(statusText(status)),
                    QStringLiteral("%1 for page %2 of dealer %3 after %4 — the API is limiting "
                                   "requests; retry the job later")
                        .arg(answered, QString::number(m_page), dealer, tries(tried)),
                    retryAfterMs);
        return;
    }
    if (status >= 500 && status < 600) {
        retryOrFail(ErrorCategory::Http, QStringLiteral("HTTP %1").arg(statusText(status)),
                    QStringLiteral("%1 for page %2 of dealer %3 after %4 — the dealer API is "
                                   "failing; retry the job later")
                        .arg(answered, QString::number(m_page), dealer, tries(tried)),
                    -1);
        return;
    }
    QString detail = serverMessage(m_body);
    if (!detail.isEmpty())
        detail = QStringLiteral(" (\"%1\")").arg(detail);
    finish(ErrorCategory::Http,
           QStringLiteral("%1%2 for page %3 of dealer %4 (%5) instead of a page of data")
               .arg(answered, detail, QString::number(m_page), dealer, m_request.fetchType));
}

void DealerFetch::handlePage(const QByteArray &body, int requested)
{
    const QString dealer = dealerForDisplay();
    DecodedPage page;
    QString why;
    if (!decodePage(body, &page, &why)) {
        // What to do next: a page that is not the API's shape usually means the source URL
        // points at something else (a login page, a proxy's error page) or the provider broke.
        finish(ErrorCategory::BadPayload,
               QStringLiteral("page %1 of dealer %2 (%3) is not a valid dealer API page: %4 — "
                              "check that the data source in Settings is the dealer API itself "
                              "(not a proxy or login page); if it is, report the page to its "
                              "provider and retry the job once it is fixed")
                   .arg(QString::number(m_page), dealer, m_request.fetchType, why));
        return;
    }
    if (page.page != m_page) {
        finish(ErrorCategory::BadPayload,
               QStringLiteral("asked for page %1 of dealer %2 but the dealer API answered with "
                              "page %3")
                   .arg(QString::number(m_page), dealer, QString::number(page.page)));
        return;
    }
    qCDebug(lcFetch).noquote()
        << QStringLiteral("dealer %1 (%2) page %3: %4 bytes, %5 records, next page %6")
               .arg(dealer, m_request.fetchType, QString::number(m_page),
                    QString::number(body.size()), QString::number(page.items.size()),
                    page.nextPage ? QString::number(*page.nextPage) : QStringLiteral("none"));
    m_fetched += page.items.size();
    m_records.append(std::move(page.items));
    ++m_pages;
    m_next = page.nextPage ? QStringLiteral("page %1").arg(*page.nextPage) : QStringLiteral("none");
    emit progress(m_pages, m_fetched, goesOnTo(page.nextPage, m_pages));
    if (!page.nextPage || m_firstPageOnly) {
        finish(ErrorCategory::None, QString());
        return;
    }
    if (*page.nextPage <= m_page) {
        finish(ErrorCategory::BadPayload,
               QStringLiteral("page %1 of dealer %2 names page %3 as the next one; it must come "
                              "after page %1 (the dealer API is looping)")
                   .arg(QString::number(m_page), dealer, QString::number(*page.nextPage)));
        return;
    }
    if (m_pages >= m_policy.maxPages) {
        failPastMaxPages();
        return;
    }
    m_page = *page.nextPage;
    m_retries = 0;
    if (requested != m_page) {
        dropReply(); // asked for another page ahead (the quick scan misread): not this one
        sendPage();
    }
}

bool DealerFetch::goesOnTo(const std::optional<int> &next, int pagesIn) const
{
    // What handlePage() checks before it moves on: a later page, and room for it.
    return !m_firstPageOnly && next && *next > m_page && pagesIn < m_policy.maxPages;
}

void DealerFetch::retryOrFail(ErrorCategory category, const QString &what, const QString &failure,
                              int retryAfterMs)
{
    if (m_retries >= m_policy.maxRetries) {
        finish(category, failure);
        return;
    }
    qint64 delay = retryAfterMs;
    if (delay < 0) {
        delay = m_policy.initialBackoffMs;
        for (int i = 0; i < m_retries && delay < m_policy.maxBackoffMs; ++i)
            delay *= 2;
        delay = std::min<qint64>(delay, m_policy.maxBackoffMs);
    }
    ++m_retries;
    qCWarning(lcFetch).noquote() << redact(
        QStringLiteral("dealer %1 (%2) page %3: %4, retry %5 of %6 in %7 s")
            .arg(dealerForDisplay(), m_request.fetchType, QString::number(m_page), what,
                 QString::number(m_retries), QString::number(m_policy.maxRetries), seconds(delay)));
    emit phaseChanged(JobPhase::Retrying,
                      redact(QStringLiteral("retry %1 of %2 after %3")
                                 .arg(m_retries)
                                 .arg(m_policy.maxRetries)
                                 .arg(what)),
                      QDateTime::currentMSecsSinceEpoch() + delay);
    emit logLine(redact(QStringLiteral("page %1: %2, retry %3 of %4 in %5 s")
                            .arg(QString::number(m_page), what, QString::number(m_retries),
                                 QString::number(m_policy.maxRetries), seconds(delay))));
    m_retryTimer->start(static_cast<int>(delay));
}

void DealerFetch::failPastMaxPages()
{
    finish(ErrorCategory::BadPayload,
           QStringLiteral("dealer %1 (%2) has more than %3 pages, the most a job may fetch — "
                          "queue shorter windows")
               .arg(dealerForDisplay(), m_request.fetchType, QString::number(m_policy.maxPages)));
}

void DealerFetch::failPageTooBig()
{
    finish(
        ErrorCategory::BadPayload,
        QStringLiteral("page %1 of dealer %2 (%3) is larger than %4 MiB, the most a page may "
                       "hold — the dealer API sent too much; ask its owner")
            .arg(QString::number(m_page), dealerForDisplay(), m_request.fetchType,
                 QString::number(static_cast<double>(m_policy.maxPageBytes) / (1024.0 * 1024.0))));
}

void DealerFetch::finish(ErrorCategory category, const QString &message)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = category;
    m_errorString = redact(message);
    if (category != ErrorCategory::None)
        qCDebug(lcFetch).noquote()
            << QStringLiteral("dealer %1 (%2) failed: %3")
                   .arg(dealerForDisplay(), m_request.fetchType, m_errorString);
    m_retryTimer->stop();
    dropReply();
    m_body.clear();
    if (category != ErrorCategory::None)
        m_records.clear();
    if (m_inReplyHandler) {
        m_finishPending = true;
        return;
    }
    QMetaObject::invokeMethod(
        this, [this] { emit finished(); }, Qt::QueuedConnection);
}

void DealerFetch::dropReply()
{
    if (QNetworkReply *tokenReply = m_tokenReply) {
        m_tokenReply = nullptr;
        disconnect(tokenReply, nullptr, this, nullptr);
        tokenReply->abort();
        tokenReply->deleteLater();
    }
    if (!m_reply)
        return;
    QNetworkReply *reply = m_reply;
    m_reply = nullptr;
    disconnect(reply, nullptr, this, nullptr);
    reply->abort();
    reply->deleteLater();
}

QString DealerFetch::redact(QString text) const
{
    // Belt and braces: no message is built from a secret, but a server could echo it back.
    for (const QByteArray &secret : m_secrets) {
        if (secret.size() >= 4)
            text.replace(QString::fromUtf8(secret), QStringLiteral("***"));
    }
    return text;
}

QString DealerFetch::sourceForDisplay() const
{
    return m_request.sourceUrl
        .adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment)
        .toDisplayString();
}

QString DealerFetch::dealerForDisplay() const
{
    return m_request.dealerId;
}
