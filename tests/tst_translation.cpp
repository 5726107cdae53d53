// The window in German and in English (SPEC §9): started as a user with LANGUAGE=de starts it
// (CTest sets LANGUAGE=de and LANG=de_DE.UTF-8 for this test), it shows German menus, buttons,
// plural messages, numbers as German writes them (LANG, not LANGUAGE, decides those) and
// Qt's own standard buttons; in English, and in a language dealerq has no translation for, the
// plural forms read "1 job", "2 jobs". The translations are the .qm files the build wrote where
// the installed program finds them (AppPaths::translationsDir()).

#include "bulkaddwidget.h"
#include "config/apppaths.h"
#include "config/settings.h"
#include "dealeridlistedit.h"
#include "mainwindow.h"
#include "queue/jobqueue.h"
#include "testsupport.h"
#include "windowlanguage.h"

#include <memory>

#include <QApplication>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

class TestTranslation : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<JobQueue> m_queue;
    std::unique_ptr<MainWindow> m_window;

    /// A window on a fresh SQLite database that runs no jobs, built after the translators.
    bool startWindow()
    {
        m_window.reset();
        m_queue.reset();
        QString why;
        const std::optional<DatabaseUrl> url = DatabaseUrl::parse(sqliteUrlIn(m_dir.path()), &why);
        if (!url)
            return false;
        JobQueue::Config config;
        config.runner.database = *url;
        config.runner.sourceUrl = QUrl(QStringLiteral("http://127.0.0.1:9/"));
        config.fetchTypes = {"prospect", "sales"};
        config.runJobs = false;
        m_queue = std::make_unique<JobQueue>(config);
        m_queue->start();
        m_settings = std::make_unique<Settings>(m_dir.filePath(QStringLiteral("dealerq.ini")));
        WindowContext context;
        context.queue = m_queue.get();
        context.settings = m_settings.get();
        context.databaseDisplay = url->displayString();
        context.sourceDisplay = config.runner.sourceUrl.toString();
        m_window = std::make_unique<MainWindow>(context);
        m_window->show();
        return QTest::qWaitForWindowExposed(m_window.get());
    }

    /// The bulk box's Queue button once `text` is pasted and checked.
    QString queueButtonAfterPasting(const QString &text)
    {
        auto *bulk = m_window->findChild<BulkAddWidget *>();
        bulk->pasteText(text);
        bulk->findChild<DealerIdListEdit *>()->parseNow();
        return m_window->findChild<QPushButton *>(QStringLiteral("bulkQueueButton"))->text();
    }

    QStringList menuTitles() const
    {
        QStringList titles;
        for (QAction *action : m_window->menuBar()->actions())
            titles << action->text();
        return titles;
    }

private slots:
    void cleanup()
    {
        m_window.reset();
        m_queue.reset();
    }

    void languageComesFromTheEnvironment()
    {
        // What runWindow() passes: the system locale, which on Unix honours LANGUAGE.
        QCOMPARE(qgetenv("LANGUAGE"), QByteArray("de"));
        QVERIFY2(QLocale::system().uiLanguages().value(0).startsWith(QLatin1String("de")),
                 qPrintable(QLocale::system().uiLanguages().join(QLatin1Char(' '))));
    }

    void germanWindow()
    {
        const WindowLanguage::Loaded loaded =
            WindowLanguage::install(QLocale::system(), AppPaths::translationsDir());
        QCOMPARE(QFileInfo(loaded.dealerq).fileName(), QStringLiteral("dealerq_de.qm"));
        QVERIFY2(!loaded.qt.isEmpty(),
                 "Qt's qtbase_de.qm is missing (Debian: qt6-translations-l10n)");
        QVERIFY(startWindow());

        QCOMPARE(m_window->windowTitle(), QStringLiteral("dealerq – Auftragswarteschlange"));
        QCOMPARE(menuTitles(),
                 QStringList({"&Datei", "&Aufträge", "&Zeitpläne", "A&nsicht", "&Hilfe"}));
        auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("lowerTabs"));
        QCOMPARE(tabs->tabText(0), QStringLiteral("Verlauf"));
        QCOMPARE(tabs->tabText(1), QStringLiteral("Zeitpläne"));
        QVERIFY2(m_window->findChild<QLabel *>(QStringLiteral("whereLabel"))
                     ->toolTip()
                     .startsWith(QStringLiteral("Datenbank: ")),
                 "the database and source line is not German");

        // Plural forms: one Auftrag, two Aufträge; numbers as German writes them.
        QCOMPARE(queueButtonAfterPasting(QStringLiteral("D1")),
                 QStringLiteral("1 Auftrag einreihen"));
        QCOMPARE(queueButtonAfterPasting(QStringLiteral("D1\nD2")),
                 QStringLiteral("2 Aufträge einreihen"));
        QString many;
        for (int i = 0; i < 1200; ++i)
            many += QStringLiteral("M%1\n").arg(i);
        QCOMPARE(queueButtonAfterPasting(many), QStringLiteral("1.200 Aufträge einreihen"));

        // A question of the window's own: its words and Qt's standard Cancel button in German.
        queueButtonAfterPasting(QStringLiteral("S1\nS2\nS3\nS4 S5"));
        m_window->findChild<BulkAddWidget *>()->queueAll();
        auto *box = m_window->findChild<QMessageBox *>(QStringLiteral("splitConfirmation"));
        QVERIFY(box);
        QVERIFY2(
            box->text().startsWith(QStringLiteral("Zeile 4 („S4 S5“) zerfällt in 2 Händler-IDs")),
            qPrintable(box->text()));
        QCOMPARE(box->button(QMessageBox::Cancel)->text(), QStringLiteral("Abbrechen"));
        QCOMPARE(box->findChild<QPushButton *>(QStringLiteral("queueSplitButton"))->text(),
                 QStringLiteral("Einzeln einreihen"));
        box->reject();
    }

    void englishPluralForms_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::newRow("English") << QLocale(QLocale::English, QLocale::UnitedKingdom);
        // No translation for French: English, plural forms included, and no Qt French.
        QTest::newRow("French") << QLocale(QLocale::French, QLocale::France);
    }

    void englishPluralForms()
    {
        QFETCH(QLocale, locale);
        const WindowLanguage::Loaded loaded =
            WindowLanguage::install(locale, AppPaths::translationsDir());
        QCOMPARE(QFileInfo(loaded.dealerq).fileName(), QStringLiteral("dealerq_en.qm"));
        QCOMPARE(loaded.qt, QString());
        QVERIFY(startWindow());

        QCOMPARE(menuTitles(), QStringList({"&File", "&Jobs", "&Schedules", "&View", "&Help"}));
        QCOMPARE(queueButtonAfterPasting(QStringLiteral("E1")), QStringLiteral("Queue 1 job"));
        QCOMPARE(queueButtonAfterPasting(QStringLiteral("E1\nE2")), QStringLiteral("Queue 2 jobs"));
    }

    void switchingBackRemovesGerman()
    {
        WindowLanguage::install(QLocale::system(), AppPaths::translationsDir());
        QCOMPARE(QCoreApplication::translate("JobFormat", "Cancelled"),
                 QStringLiteral("Abgebrochen"));
        WindowLanguage::install(QLocale(QLocale::English), AppPaths::translationsDir());
        QCOMPARE(QCoreApplication::translate("JobFormat", "Cancelled"),
                 QStringLiteral("Cancelled"));
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), QStringLiteral("Cancel"));
    }
};

QTEST_MAIN(TestTranslation)
#include "tst_translation.moc"
