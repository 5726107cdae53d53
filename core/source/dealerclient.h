#pragma once

#include "job/fetchedrecord.h"
#include "job/job.h"

#include <optional>

#include <QByteArray>
#include <QObject>
#include <QPointer>
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
    int maxPages = 10000;
    int pageSize = 500; ///< the page_size asked for
};

/// What to fetch: one dealer, one type, one window; `from`/`to` already ISO 8601 strings.
struct FetchRequest
{
    QUrl sourceUrl;
    QByteArray token;
    QString dealerId;
    QString fetchType;
    QString from;
    QString to;
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
    /// All items of all pages, in order; moves them out.
    QVector<FetchedRecord> takeRecords();

    /// The URL of one page: `{source}/dealers/{dealer}/{type}?from=&to=&page=&page_size=`,
    /// every component percent-encoded (a `+` in an offset included).
    static QUrl pageUrl(const FetchRequest &request, int page, int pageSize);

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
    void finish(ErrorCategory category, const QString &message);
    void dropReply();
    QString redact(QString text) const;
    QString sourceForDisplay() const;
    QString dealerForDisplay() const;

    QNetworkAccessManager *m_nam;
    FetchRequest m_request;
    RetryPolicy m_policy;
    QPointer<QNetworkReply> m_reply;
    QTimer *m_retryTimer;
    QByteArray m_body;
    qint64 m_replyBytes = 0;
    QVector<FetchedRecord> m_records;
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
