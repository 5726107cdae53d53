#include "source/sourcecheck.h"

#include "job/validation.h"

#include <QNetworkAccessManager>

QStringList SourceCheckResult::lines() const
{
    QStringList out;
    if (url.isValid())
        out << QStringLiteral("request: GET %1").arg(url.toDisplayString(QUrl::RemoveUserInfo));
    if (status > 0)
        out << QStringLiteral("status: %1").arg(status);
    if (!ok)
        return out;
    out << QStringLiteral("items: %1").arg(items);
    if (items > 0) {
        out << QStringLiteral("first id: %1").arg(printableText(firstId, 200));
        out << QStringLiteral("first updated_at: %1")
                   .arg(firstUpdatedAt.isEmpty() ? QStringLiteral("(none)")
                                                 : printableText(firstUpdatedAt, 200));
    }
    out << QStringLiteral("next: %1").arg(next);
    return out;
}

SourceCheck::SourceCheck(FetchRequest request, RetryPolicy policy, QObject *parent)
    : QObject(parent)
    , m_nam(new QNetworkAccessManager(this))
    , m_fetch(new DealerFetch(m_nam, std::move(request), policy, this))
{
    m_fetch->setFirstPageOnly(true);
    connect(m_fetch, &DealerFetch::finished, this, [this] {
        m_result.url = m_fetch->lastUrl();
        m_result.status = m_fetch->lastStatus();
        m_result.error = m_fetch->error();
        m_result.errorString = m_fetch->errorString();
        m_result.key = m_fetch->errorKey();
        m_result.ok = m_result.error == ErrorCategory::None;
        const QVector<FetchedRecord> records = m_fetch->takeRecords();
        m_result.items = records.size();
        if (!records.isEmpty()) {
            m_result.firstId = records.first().id();
            m_result.firstUpdatedAt = records.first().updatedAt();
        }
        m_result.next = m_fetch->nextDescription();
        emit finished(m_result);
    });
}

SourceCheck::~SourceCheck() = default;

void SourceCheck::start()
{
    m_fetch->start();
}
