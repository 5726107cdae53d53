#include "alertwiring.h"

#include "alert/webhook.h"
#include "appsetup.h"
#include "log/logging.h"
#include "queue/jobqueue.h"

std::unique_ptr<AlertService> startAlerts(const AppSetup &setup, JobQueue &queue)
{
    const QString url = setup.settings->alertsWebhookUrl();
    if (url.isEmpty())
        return nullptr;
    WebhookConfig config;
    config.url = QUrl(url);
    config.secret = setup.settings->alertsWebhookSecret().toUtf8();
    auto alerts = std::make_unique<AlertService>(config);
    alerts->setLogger([](const QString &line) { qCWarning(lcAlert).noquote() << line; });
    QObject::connect(&queue, &JobQueue::jobFinished, alerts.get(), &AlertService::jobFinished);
    QObject::connect(&queue, &JobQueue::queueEmpty, alerts.get(), &AlertService::queueEmpty);
    return alerts;
}
