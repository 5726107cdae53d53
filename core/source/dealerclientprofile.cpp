// DealerFetch against a source profile (SPEC §11): the address of each page and the reading of
// its answer, paging by page number, offset, cursor or Link header.
#include "source/dealerclient.h"

#include "source/profiledecoder.h"

#include "log/logging.h"

#include <QDateTime>
#include <QHash>

namespace {

/// A window bound (ISO 8601 with an offset) in the profile's time_format.
QString formatBound(const QString &iso, SourceProfile::TimeFormat format)
{
    if (format == SourceProfile::TimeFormat::Iso8601)
        return iso;
    if (format == SourceProfile::TimeFormat::Date)
        return iso.left(10); // the date as the bound is written: in the operator's local time
    const QDateTime time = QDateTime::fromString(iso, Qt::ISODateWithMs);
    return format == SourceProfile::TimeFormat::EpochS ? QString::number(time.toSecsSinceEpoch())
                                                       : QString::number(time.toMSecsSinceEpoch());
}

/// A template with its `{name}` placeholders replaced by their percent-encoded values.
QByteArray fillTemplate(const QString &text, const QHash<QString, QString> &values)
{
    QByteArray out;
    qsizetype i = 0;
    while (i < text.size()) {
        const qsizetype open = text.indexOf(QLatin1Char('{'), i);
        const qsizetype close = open < 0 ? -1 : text.indexOf(QLatin1Char('}'), open);
        if (close < 0) {
            out += text.mid(i).toUtf8();
            break;
        }
        out += text.mid(i, open - i).toUtf8();
        out += QUrl::toPercentEncoding(values.value(text.mid(open + 1, close - open - 1)));
        i = close + 1;
    }
    return out;
}

int defaultPort(const QUrl &url)
{
    return url.port(url.scheme().toLower() == QLatin1String("https") ? 443 : 80);
}

QString originOf(const QUrl &url)
{
    return url
        .adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery |
                  QUrl::RemoveFragment)
        .toDisplayString();
}

} // namespace

QUrl DealerFetch::profileUrl(const FetchRequest &request, int page, qint64 offset,
                             const QString &cursor, int pageSize)
{
    const SourceProfile &profile = request.profile;
    const QHash<QString, QString> values{
        {QStringLiteral("dealer_id"), request.dealerId},
        {QStringLiteral("fetch_type"), profile.apiFetchType(request.fetchType)},
        {QStringLiteral("from"), formatBound(request.from, profile.timeFormat)},
        {QStringLiteral("to"), formatBound(request.to, profile.timeFormat)},
        {QStringLiteral("page_size"), QString::number(pageSize)},
    };
    QUrl url = request.sourceUrl.adjusted(QUrl::RemoveQuery | QUrl::RemoveFragment);
    QByteArray path = url.path(QUrl::FullyEncoded).toLatin1();
    while (path.endsWith('/'))
        path.chop(1);
    path += fillTemplate(profile.path, values);
    url.setPath(QString::fromLatin1(path), QUrl::TolerantMode);
    QByteArray query = fillTemplate(profile.query, values);
    const auto add = [&query](const QString &name, const QByteArray &value) {
        if (!query.isEmpty())
            query += '&';
        query += QUrl::toPercentEncoding(name) + '=' + value;
    };
    switch (profile.paging) {
    case SourceProfile::Paging::Page:
        add(profile.pageParam, QByteArray::number(page));
        break;
    case SourceProfile::Paging::Offset:
        add(profile.offsetParam, QByteArray::number(offset));
        break;
    case SourceProfile::Paging::Cursor:
        if (!cursor.isEmpty())
            add(profile.cursorParam, QUrl::toPercentEncoding(cursor));
        break;
    case SourceProfile::Paging::Link:
    case SourceProfile::Paging::None:
        break;
    }
    if (!query.isEmpty())
        url.setQuery(QString::fromLatin1(query), QUrl::TolerantMode);
    return url;
}

void DealerFetch::handleProfilePage(const QByteArray &body, const QByteArray &link)
{
    const QString dealer = dealerForDisplay();
    const SourceProfile &profile = m_request.profile;
    ProfilePage page;
    QString why;
    if (!decodeProfilePage(body, profile, &page, &why)) {
        // The decoder's words begin with the key at fault ("items: /data is an object, …").
        const QString key = why.section(QLatin1Char(':'), 0, 0);
        m_errorKey = sourceProfileKeys().contains(key) ? key : QStringLiteral("items");
        finish(ErrorCategory::BadPayload,
               QStringLiteral("page %1 of dealer %2 (%3) does not read with the source profile: "
                              "%4 — check [profile] in Settings (dealerq --check-source shows "
                              "what it reads) or report the page to the API's provider")
                   .arg(QString::number(m_page), dealer, m_request.fetchType, why));
        return;
    }
    const qsizetype count = page.items.size();
    bool more = false;
    QUrl nextLink;
    switch (profile.paging) {
    case SourceProfile::Paging::Page:
    case SourceProfile::Paging::Offset:
        // SPEC §11: until a page has fewer items than page_size.
        more = count >= m_policy.pageSize;
        m_next = !more ? QStringLiteral("none")
                 : profile.paging == SourceProfile::Paging::Page
                     ? QStringLiteral("page %1").arg(m_page + 1)
                     : QStringLiteral("offset %1").arg(m_offset + count);
        break;
    case SourceProfile::Paging::Cursor:
        more = !page.nextCursor.isEmpty();
        m_next = more ? QStringLiteral("cursor %1").arg(printableText(page.nextCursor, 80))
                      : QStringLiteral("none");
        if (more && (page.nextCursor == m_cursor || m_seen.contains(page.nextCursor))) {
            m_errorKey = QStringLiteral("next_cursor");
            finish(ErrorCategory::BadPayload,
                   QStringLiteral("page %1 of dealer %2 (%3) names the cursor \"%4\" again — "
                                  "the dealer API is looping")
                       .arg(QString::number(m_page), dealer, m_request.fetchType,
                            printableText(page.nextCursor, 80)));
            return;
        }
        break;
    case SourceProfile::Paging::Link: {
        const QStringList targets = linkTargets(link);
        more = !targets.isEmpty();
        if (!more) {
            m_next = QStringLiteral("none");
            break;
        }
        nextLink = m_currentUrl.resolved(QUrl(targets.first()));
        const QUrl &source = m_request.sourceUrl;
        m_next = QStringLiteral("link %1").arg(nextLink.toDisplayString(QUrl::RemoveUserInfo));
        if (nextLink.scheme().toLower() != source.scheme().toLower() ||
            nextLink.host().toLower() != source.host().toLower() ||
            defaultPort(nextLink) != defaultPort(source) || !nextLink.userInfo().isEmpty()) {
            m_errorKey = QStringLiteral("paging");
            finish(ErrorCategory::BadPayload,
                   QStringLiteral("page %1 of dealer %2 (%3) links its next page to %4, not to "
                                  "the source %5 — dealerq follows Link only on the source's "
                                  "own scheme, host and port, so that the token never travels "
                                  "elsewhere")
                       .arg(QString::number(m_page), dealer, m_request.fetchType,
                            originOf(nextLink), originOf(source)));
            return;
        }
        if (nextLink == m_currentUrl || m_seen.contains(nextLink.toString())) {
            m_errorKey = QStringLiteral("paging");
            finish(ErrorCategory::BadPayload,
                   QStringLiteral("page %1 of dealer %2 (%3) links to a page already fetched — "
                                  "the dealer API is looping")
                       .arg(QString::number(m_page), dealer, m_request.fetchType));
            return;
        }
        break;
    }
    case SourceProfile::Paging::None:
        m_next = QStringLiteral("none");
        break;
    }
    qCDebug(lcFetch).noquote() << QStringLiteral(
                                      "dealer %1 (%2) page %3: %4 bytes, %5 records, next %6")
                                      .arg(dealer, m_request.fetchType, QString::number(m_page),
                                           QString::number(body.size()), QString::number(count),
                                           m_next);
    m_fetched += page.items.size();
    m_records.append(std::move(page.items));
    ++m_pages;
    m_tokenRefetched = false;
    const bool goesOn = more && !m_firstPageOnly && m_pages < m_policy.maxPages;
    emit progress(m_pages, m_fetched, goesOn);
    if (!more || m_firstPageOnly) {
        finish(ErrorCategory::None, QString());
        return;
    }
    if (m_pages >= m_policy.maxPages) {
        failPastMaxPages();
        return;
    }
    ++m_page;
    m_offset += count;
    if (profile.paging == SourceProfile::Paging::Cursor) {
        m_seen.insert(m_cursor);
        m_cursor = page.nextCursor;
    } else if (profile.paging == SourceProfile::Paging::Link) {
        m_seen.insert(m_currentUrl.toString());
        m_nextLink = nextLink;
    }
    m_retries = 0;
    sendPage();
}
