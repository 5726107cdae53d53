#pragma once

#include "job/job.h"
#include "source/dealerclient.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

class QNetworkAccessManager;

/// What the first page of a source reads as (SPEC §11): what `dealerq --check-source` prints
/// and Settings' "Test source" shows.
struct SourceCheckResult
{
    bool ok = false;
    QUrl url;       ///< the request, without user or password
    int status = 0; ///< the HTTP status of the page; 0 when none came
    qsizetype items = 0;
    QString firstId;
    QString firstUpdatedAt;
    QString next; ///< "page 2", "cursor …", "link …", "offset 100" or "none"
    ErrorCategory error = ErrorCategory::None;
    QString errorString; ///< never holds a secret
    /// The `[profile]` key the failure points at ("items", "id", "auth", …); empty if none.
    QString key;

    /// The lines --check-source prints on stdout (the error is not among them).
    QStringList lines() const;
};

Q_DECLARE_METATYPE(SourceCheckResult)

/// Fetches the first page of one dealer and type and stores nothing; shaped like a KJob:
/// start() never blocks and finished() comes once.
class SourceCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SourceCheck)

public:
    SourceCheck(FetchRequest request, RetryPolicy policy, QObject *parent = nullptr);
    ~SourceCheck() override;

    void start();
    SourceCheckResult result() const { return m_result; }

signals:
    void finished(const SourceCheckResult &result);

private:
    QNetworkAccessManager *m_nam;
    DealerFetch *m_fetch;
    SourceCheckResult m_result;
};
