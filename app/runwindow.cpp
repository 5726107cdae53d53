#include "runwindow.h"

#include "alert/webhook.h"
#include "alertwiring.h"
#include "api/apiservice.h"
#include "apiwiring.h"
#include "appsetup.h"
#include "config/apppaths.h"
#include "log/logging.h"
#include "mainwindow.h"
#include "queue/jobqueue.h"
#include "sim/dealersim.h"
#include "windowlanguage.h"

#include <QApplication>
#include <QDir>

int runWindow(AppSetup &setup)
{
    std::unique_ptr<DealerSimServer> sim;
    if (setup.demo) {
        QString why;
        sim = startDemoSimulator(setup, &why);
        if (!sim) {
            printError(why);
            return ExitBadInput;
        }
    }
    JobQueue::Config config;
    config.runner = setup.runnerConfig();
    config.fetchTypes = setup.settings->fetchTypes();
    JobQueue queue(config);
    const std::unique_ptr<AlertService> alerts = startAlerts(setup, queue);
    queue.start();
    // Without the API (its port taken by another window, say) the window still works.
    QString apiError;
    const std::unique_ptr<ApiService> api = startApi(setup, queue, &apiError);
    if (!api && !apiError.isEmpty())
        qCWarning(lcApi).noquote() << "the REST API is off:" << apiError;

    // The window speaks the user's language (LANGUAGE, LC_MESSAGES, LANG); all else English.
    const QString translations = AppPaths::translationsDir();
    if (WindowLanguage::install(QLocale::system(), translations).dealerq.isEmpty())
        qCWarning(lcApp).noquote() << QStringLiteral("no translations in %1: the window shows English")
                                          .arg(QDir::toNativeSeparators(translations));

    WindowContext context;
    context.queue = &queue;
    context.settings = setup.settings.get();
    context.databaseDisplay = setup.database.displayString();
    context.demo = setup.demo;
    context.sourceDisplay = setup.sourceDisplay();
    context.sourceOrigin = setup.sourceOrigin;
    if (api) {
        context.apiAddress =
            QStringLiteral("%1:%2").arg(api->address().toString()).arg(api->port());
        context.apiToken = QString::fromLatin1(api->token());
    }
    // What the command line and the environment override, for Settings to say.
    const auto overridden = [&context](Settings::Key key, const QString &value,
                                       const QString &origin) {
        if (!origin.isEmpty() && !origin.startsWith(QLatin1String("setting")))
            context.overridden.insert(key, {value, origin});
    };
    overridden(Settings::Key::DatabaseUrl, context.databaseDisplay, setup.databaseOrigin);
    overridden(Settings::Key::SourceUrl, context.sourceDisplay, setup.sourceOrigin);
    overridden(Settings::Key::SourceToken, {}, setup.sourceTokenOrigin);
    if (api && !setup.cli.apiListen.isEmpty())
        overridden(Settings::Key::ApiListen, context.apiAddress, QStringLiteral("--api-listen"));
    QString apiTokenOrigin;
    if (api && !configuredApiToken(setup, &apiTokenOrigin).isEmpty())
        overridden(Settings::Key::ApiToken, {}, apiTokenOrigin);
    MainWindow window(context);
    window.show();
    const int code = QApplication::exec();
    queue.stop(); // a running job is rolled back and re-queued
    if (alerts)
        alerts->finish(5000);
    return code;
}
