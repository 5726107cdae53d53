#include "windowlanguage.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QPointer>
#include <QTranslator>

namespace WindowLanguage {

namespace {

QPointer<QTranslator> installedDealerq;
QPointer<QTranslator> installedQt;

void uninstall(QPointer<QTranslator> &translator)
{
    if (!translator)
        return;
    QCoreApplication::removeTranslator(translator);
    delete translator;
}

} // namespace

Loaded install(const QLocale &locale, const QString &dir)
{
    uninstall(installedDealerq);
    uninstall(installedQt);
    Loaded loaded;

    auto *dealerq = new QTranslator(QCoreApplication::instance());
    // load(QLocale, ...) tries each of the locale's UI languages in turn ("de-DE", "de", ...).
    if (dealerq->load(locale, QStringLiteral("dealerq"), QStringLiteral("_"), dir) ||
        dealerq->load(QStringLiteral("dealerq_en"), dir)) {
        QCoreApplication::installTranslator(dealerq);
        installedDealerq = dealerq;
        loaded.dealerq = dealerq->filePath();
    } else {
        delete dealerq;
    }

    // Qt's own words only for the language dealerq speaks, so that one dialog is one language.
    const QString language = loaded.dealerq.isEmpty() ? QString() : dealerq->language();
    auto *qt = new QTranslator(QCoreApplication::instance());
    if (!language.isEmpty() && !language.startsWith(QLatin1String("en")) &&
        qt->load(QLocale(language), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt);
        installedQt = qt;
        loaded.qt = qt->filePath();
    } else {
        delete qt;
    }
    return loaded;
}

} // namespace WindowLanguage
