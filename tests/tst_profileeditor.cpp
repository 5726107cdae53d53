#include "config/settings.h"
#include "settingsdialog.h"
#include "simprocess.h"
#include "source/sourcecheck.h"

#include <memory>

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>

/// Settings' source profile editor and its "Test source" button (SPEC §11), against the real
/// simulator over loopback.
class TestProfileEditor final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void showsTheSavedProfile();
    void refusesAHostileProfileNamingTheKey_data();
    void refusesAHostileProfileNamingTheKey();
    void savesAGoodProfile();
    void testSourceReadsTheFirstPage();
    void testSourceHighlightsTheFailingKey();

private:
    QPlainTextEdit *editor() const
    {
        return m_dialog->findChild<QPlainTextEdit *>("profileEditor");
    }
    QLabel *problems() const { return m_dialog->findChild<QLabel *>("settingsProblems"); }
    QLabel *testResult() const { return m_dialog->findChild<QLabel *>("testSourceResult"); }
    /// The editor's highlighted line, or "" when none is.
    QString highlighted() const;
    SourceCheckResult test();

    QTemporaryDir m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<SettingsDialog> m_dialog;
};

void TestProfileEditor::init()
{
    QVERIFY(m_dir.isValid());
    qRegisterMetaType<SourceCheckResult>();
    QFile::remove(m_dir.filePath("s.ini"));
    m_settings = std::make_unique<Settings>(m_dir.filePath("s.ini"));
    m_settings->setProfileValues({{"paging", "offset"}, {"items", "/results"}});
    m_dialog = std::make_unique<SettingsDialog>(m_settings.get());
    m_dialog->show();
}

void TestProfileEditor::cleanup()
{
    m_dialog.reset();
    m_settings.reset();
}

QString TestProfileEditor::highlighted() const
{
    const QList<QTextEdit::ExtraSelection> marks = editor()->extraSelections();
    return marks.isEmpty() ? QString() : marks.first().cursor.block().text();
}

SourceCheckResult TestProfileEditor::test()
{
    QSignalSpy tested(m_dialog.get(), &SettingsDialog::sourceTested);
    auto *button = m_dialog->findChild<QPushButton *>("testSource");
    QTest::mouseClick(button, Qt::LeftButton);
    if (!tested.wait(20000))
        return {};
    return tested.first().first().value<SourceCheckResult>();
}

void TestProfileEditor::showsTheSavedProfile()
{
    QCOMPARE(editor()->toPlainText(), QStringLiteral("items=/results\npaging=offset"));
}

void TestProfileEditor::refusesAHostileProfileNamingTheKey_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("words");
    QTest::addColumn<QString>("line");
    QTest::newRow("bad pointer") << "paging=page\nitems=data"
                                 << "[profile] items: \"data\" is not"
                                 << "items=data";
    QTest::newRow("unknown key") << "pagin=cursor"
                                 << "[profile] pagin: unknown key"
                                 << "pagin=cursor";
    QTest::newRow("path with ..") << "path=/a/../b"
                                  << "[profile] path:"
                                  << "path=/a/../b";
    QTest::newRow("cursor without next_cursor") << "paging=cursor"
                                                << "[profile] next_cursor: missing"
                                                << ""; // no line to mark
    QTest::newRow("not key=value") << "paging=page\npaging cursor"
                                   << "[profile] line 2:"
                                   << "paging cursor";
}

void TestProfileEditor::refusesAHostileProfileNamingTheKey()
{
    QFETCH(QString, text);
    QFETCH(QString, words);
    QFETCH(QString, line);
    editor()->setPlainText(text);
    QVERIFY(!m_dialog->save());
    QVERIFY2(problems()->text().contains("Source profile: " + words),
             qPrintable(problems()->text()));
    QVERIFY(problems()->isVisible());
    QCOMPARE(highlighted(), line);
    // Nothing was written.
    QCOMPARE(Settings(m_dir.filePath("s.ini")).profileValues(),
             (QMap<QString, QString>{{"paging", "offset"}, {"items", "/results"}}));
}

void TestProfileEditor::savesAGoodProfile()
{
    editor()->setPlainText("[profile]\n; the provider's v2 API\npaging=cursor\n"
                           "next_cursor=/paging/next\n\nfetch_types=sales:deals\n");
    QVERIFY2(m_dialog->save(), qPrintable(problems()->text()));
    QCOMPARE(highlighted(), QString());
    const std::optional<SourceProfile> profile = Settings(m_dir.filePath("s.ini")).sourceProfile();
    QVERIFY(profile);
    QCOMPARE(profile->paging, SourceProfile::Paging::Cursor);
    QCOMPARE(profile->apiFetchType("sales"), QStringLiteral("deals"));
    QCOMPARE(profile->items, QStringLiteral("/items")); // the old items=/results went with it
}

void TestProfileEditor::testSourceReadsTheFirstPage()
{
    SimProcess sim({"--records", "35", "--page-size", "10", "--paging", "cursor", "--auth",
                    "header", "--token", "k-SECRET-1"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    m_dialog->findChild<QLineEdit *>("SourceUrl")->setText(sim.baseUrl().toString());
    m_dialog->findChild<QLineEdit *>("SourceToken")->setText("k-SECRET-1");
    m_dialog->findChild<QLineEdit *>("testDealer")->setText("D-17");
    editor()->setPlainText("paging=cursor\nnext_cursor=/paging/next\nquery=from={from}&to={to}&"
                           "limit={page_size}\nauth=header\nauth_header=X-Api-Key");
    const SourceCheckResult result = test();
    QVERIFY2(result.ok, qPrintable(result.errorString));
    QVERIFY2(testResult()->text().startsWith("The profile reads the source:"),
             qPrintable(testResult()->text()));
    QVERIFY(testResult()->text().contains("items: 10"));
    QVERIFY(testResult()->text().contains("first id: P-D-17-000001"));
    QVERIFY(testResult()->text().contains("next: cursor after_10"));
    QVERIFY(!testResult()->text().contains("SECRET"));
    // Testing saves nothing.
    QCOMPARE(Settings(m_dir.filePath("s.ini")).profileValues().value("paging"),
             QStringLiteral("offset"));
}

void TestProfileEditor::testSourceHighlightsTheFailingKey()
{
    SimProcess sim({"--paging", "page", "--items-key", "data", "--fault", "itemsobject"});
    QString why;
    QVERIFY2(sim.start(&why), qPrintable(why));
    m_dialog->findChild<QLineEdit *>("SourceUrl")->setText(sim.baseUrl().toString());
    editor()->setPlainText("paging=page\nitems=/data\nid=/id");
    const SourceCheckResult result = test();
    QVERIFY(!result.ok);
    QCOMPARE(result.key, QStringLiteral("items"));
    QVERIFY2(testResult()->text().contains("items: /data is an object, not an array"),
             qPrintable(testResult()->text()));
    QCOMPARE(highlighted(), QStringLiteral("items=/data"));

    // A hostile profile is not even sent: the key is named at once.
    editor()->setPlainText("paging=page\nid=uuid");
    QTest::mouseClick(m_dialog->findChild<QPushButton *>("testSource"), Qt::LeftButton);
    QVERIFY2(testResult()->text().startsWith("[profile] id:"), qPrintable(testResult()->text()));
    QCOMPARE(highlighted(), QStringLiteral("id=uuid"));
}

QTEST_MAIN(TestProfileEditor)
#include "tst_profileeditor.moc"
