#include "runwindow.h"

#include "appsetup.h"
#include "dealersim.h"
#include "jobqueue.h"
#include "mainwindow.h"

#include <QApplication>

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
    queue.start();

    WindowContext context;
    context.queue = &queue;
    context.settings = setup.settings.get();
    context.databaseDisplay = setup.database.displayString();
    context.demo = setup.demo;
    context.sourceDisplay =
        setup.demo ? QStringLiteral("built-in demo simulator") : setup.sourceUrl.toString();
    MainWindow window(context);
    window.show();
    const int code = QApplication::exec();
    queue.stop(); // a running job is rolled back and re-queued
    return code;
}
