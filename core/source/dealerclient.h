#pragma once

#include "job/fetchedrecord.h"
#include "job/job.h"
#include "job/sourceprofile.h"

#include <functional>
#include <memory>
#include <optional>

#include <QByteArray>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QString>
#include <QUrl>
#include <QVector>

class QNetworkAccessManager;
class QNetworkReply;
class QTimer;

/// How a fetch treats failures and limits (SPEC §2). Tests shrink the times.
struct RetryPolicy
{
    int maxRetries = 4;         ///< further tries of a request after a transient failure
    int initialBackoffMs = 500; ///< first wait, doubled after each try
    int maxBackoffMs = 8000;    ///< the longest wait between tries
    int maxRetryAfterS = 60;    ///< the longest `Retry-After` of a 429 that is honoured
    int timeoutMs = 30000;      ///< a request with no data for this long fails (transient)
    qint64 maxPageBytes = 32LL * 1024 * 1024;
    int maxPages = 100000;
    int pageSize = 500; ///< the page_size asked for
};

/// OAuth2 access tokens of the client-credentials grant (SPEC §11), kept until they expire.
/// The runner keeps one for all its fetches; the clock is a function tests move.
class OAuth2TokenCache final
{
public:
    using Clock = std::function<qint64()>; ///< milliseconds since the epoch
    explicit OAuth2TokenCache(Clock clock = {});

    /// The cached token; empty when there is none or it has expired.
    QByteArray token() const;
    /// Keeps `token` for `expiresInS` seconds from now (<= 0: until a 401 clears it).
    void store(const QByteArray &token, qint64 expiresInS);
    void clear();
    /// How many tokens were stored so far.
    int stored() const { return m_stored; }

private:
    Clock m_clock;
    QByteArray m_token;
    qint64 m_expiresMs = 0; ///< 0: no known expiry
    int m_stored = 0;
};

/// What to fetch: one dealer, one type, one window; `from`/`to` already ISO 8601 strings.
struct FetchRequest
{
    QUrl sourceUrl;
    QByteArray token;
    QString dealerId;
    QString fetchType; ///< dealerq's name; the profile's fetch_types maps it for the URL
    QString from;
    QString to;
    SourceProfile profile;              ///< SPEC §11; the default is SPEC §2's shape
    OAuth2TokenCache *tokens = nullptr; ///< auth=oauth2: shared tokens (else the fetch's own)
    /// When set, the settings' profile cannot be used: the fetch fails at once saying so.
    QString profileProblem;
};

/// One fetch of every page of one job from the dealer data API, shaped like a KJob: start()
/// never blocks, pages are fetched one after the other on the owner's event loop, and
/// finished() reports the outcome through error() and errorString().
class DealerFetch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DealerFetch)

public:
    DealerFetch(QNetworkAccessManager *nam, FetchRequest request, RetryPolicy policy,
                QObject *parent = nullptr);
    ~DealerFetch() override;

    /// Starts fetching page 1. Calling it again, or after abort(), does nothing.
    void start();
    /// Aborts the request in flight or the wait before a retry; finishes with Cancelled.
    void abort();
    /// True once the outcome is known (finished() may still be on its way).
    bool isFinished() const;
    /// ErrorCategory::None on success.
    ErrorCategory error() const;
    /// A message an operator can act on; empty on success. Never contains the token.
    QString errorString() const;
    /// Pages fetched so far.
    int pages() const;
    /// Items fetched so far, taken or not.
    qint64 fetched() const;
    /// The items of the pages fetched since the last call, in order; moves them out. A job's
    /// runner takes them page by page (to stage them), a check once at the end.
    QVector<FetchedRecord> takeRecords();

    /// The URL of one page: `{source}/dealers/{dealer}/{type}?from=&to=&page=&page_size=`,
    /// every component percent-encoded (a `+` in an offset included).
    static QUrl pageUrl(const FetchRequest &request, int page, int pageSize);
    /// The first page's URL under a non-default profile (SPEC §11): the source URL's path, the
    /// profile's path and query with every placeholder percent-encoded, times in its
    /// time_format, and the paging parameter (`page`, `offset`, or `cursor` when not empty).
    static QUrl profileUrl(const FetchRequest &request, int page, qint64 offset,
                           const QString &cursor, int pageSize);
    /// What the last page answered, for --check-source: the status, the request's URL (no
    /// secret), and what comes next ("page 2", "cursor abc", "link http://…", or "none").
    int lastStatus() const { return m_lastStatus; }
    QUrl lastUrl() const { return m_currentUrl; }
    QString nextDescription() const { return m_next; }
    /// The `[profile]` key a failure points at under a profile ("items", "auth", …), or empty.
    QString errorKey() const { return m_errorKey; }
    /// Stops after the first page (--check-source): a fetch that reads it ends successfully.
    void setFirstPageOnly(bool only) { m_firstPageOnly = only; }

signals:
    /// A page is in: `pages` so far holding `records`; `morePages` when the fetch goes on to
    /// another page (false for the last page, and for one that ends the fetch with an error).
    void progress(int pages, qint64 records, bool morePages);
    /// A line for the job's log, e.g. "page 3: HTTP 500, retry 1 of 4 in 0.5 s".
    void logLine(const QString &line);
    /// What the fetch does now: waiting for an answer (until `untilMs`, when the request times
    /// out if nothing comes), downloading, or retrying ("retry 1 of 4 after HTTP 500", the next
    /// try at `untilMs`).
    void phaseChanged(JobPhase phase, const QString &detail, qint64 untilMs);
    /// Emitted exactly once, never from inside start() or abort(): queued from those, and when
    /// a reply decides the outcome, as the last thing its handler does.
    void finished();

private:
    void sendPage();
    void requestPage(int page);
    void sendRequest(const QUrl &url);
    bool profileMode() const { return !m_request.profile.isDefault; }
    void requestToken();
    void onTokenFinished();
    void handleTokenReply();
    void handleProfilePage(const QByteArray &body, const QByteArray &link);
    void onMetaData();
    void onReadyRead();
    void onReplyFinished();
    void handleReplyFinished();
    void checkStatus(int status, QNetworkReply *reply);
    /// `requested`: the page already asked for ahead of decoding this one (0: none).
    void handlePage(const QByteArray &body, int requested);
    /// Whether the fetch goes on from the current page to `next` once `pagesIn` pages are in.
    bool goesOnTo(const std::optional<int> &next, int pagesIn) const;
    void retryOrFail(ErrorCategory category, const QString &what, const QString &failure,
                     int retryAfterMs);
    void failPageTooBig();
    /// The fetch has its most pages (`[fetch] max_pages`) and the API has more.
    void failPastMaxPages();
    /// Runs a reply's handler (the page's or the token's) so that the outcome it decides is
    /// reported once it returns, not through one more trip round the event loop.
    void handleReply(void (DealerFetch::*handler)());
    void finish(ErrorCategory category, const QString &message);
    void dropReply();
    QString redact(QString text) const;
    QString sourceForDisplay() const;
    QString dealerForDisplay() const;

    QNetworkAccessManager *m_nam;
    FetchRequest m_request;
    std::unique_ptr<OAuth2TokenCache> m_ownTokens;
    OAuth2TokenCache *m_tokens = nullptr;
    QPointer<QNetworkReply> m_tokenReply;
    QList<QByteArray> m_secrets; ///< what redact() hides: tokens, the client secret
    QUrl m_currentUrl;
    qint64 m_offset = 0;
    QString m_cursor;
    QUrl m_nextLink;
    QSet<QString> m_seen; ///< cursors or links already followed
    bool m_tokenRefetched = false;
    bool m_firstPageOnly = false;
    int m_lastStatus = 0;
    QString m_next;
    QString m_errorKey;
    RetryPolicy m_policy;
    QPointer<QNetworkReply> m_reply;
    QTimer *m_retryTimer;
    QByteArray m_body;
    qint64 m_replyBytes = 0;
    QVector<FetchedRecord> m_records;
    qint64 m_fetched = 0;
    int m_page = 1;
    int m_pages = 0;
    int m_retries = 0;
    bool m_started = false;
    bool m_finished = false;
    bool m_inReplyHandler = false; ///< finish() leaves finished() to onReplyFinished()
    bool m_finishPending = false;
    ErrorCategory m_error = ErrorCategory::None;
    QString m_errorString;
};
