#include "apitokenswidget.h"
#include "config/settings.h"
#include "queue/jobqueue.h"
#include "settingsdialog.h"
#include "store/jobstore.h"
#include "store/tokenstore.h"
#include "testsupport.h"

#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

/// The API tokens section of Settings (SPEC §8): a real JobQueue on a real database, the
/// widget's own buttons; what it does is checked in the database through another connection.
class TestApiTokensWidget final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void addShowsTheTokenOnceAndRevokeEndsIt();
    void badNameIsNamedAndNothingAdded();
    void duplicateNameIsRefused();

private:
    template<typename T> T *find(const char *name)
    {
        T *widget = m_dialog->findChild<T *>(QString::fromLatin1(name));
        if (!widget)
            qWarning("no %s", name);
        return widget;
    }
    bool waitForUpdate(const std::function<void()> &action);
    QStringList listedNames();

    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobQueue> m_queue;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<SettingsDialog> m_dialog;
    std::unique_ptr<JobStore> m_store;
    ApiTokensWidget *m_widget = nullptr;
};

void TestApiTokensWidget::init()
{
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    JobQueue::Config config;
    config.runner.database = m_db->url();
    config.runner.sourceUrl = QUrl(QStringLiteral("http://127.0.0.1:9/"));
    config.runner.instance = QStringLiteral("test");
    config.fetchTypes = QStringList{"sales"};
    config.runJobs = false;
    config.actor = QStringLiteral("window:tester@host");
    m_queue = std::make_unique<JobQueue>(config);
    m_queue->start();
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    m_settings = std::make_unique<Settings>(m_db->dir() + QStringLiteral("/dealerq.ini"));
    m_dialog = std::make_unique<SettingsDialog>(m_settings.get());
    m_dialog->addApiTokens(m_queue.get());
    m_widget = m_dialog->findChild<ApiTokensWidget *>();
    QVERIFY(m_widget);
    QSignalSpy read(m_widget, &ApiTokensWidget::updated);
    QVERIFY(read.wait(10000));
    m_dialog->show();
}

void TestApiTokensWidget::cleanup()
{
    m_dialog.reset();
    m_settings.reset();
    m_queue.reset();
    m_store.reset();
    m_db.reset();
}

bool TestApiTokensWidget::waitForUpdate(const std::function<void()> &action)
{
    QSignalSpy spy(m_widget, &ApiTokensWidget::updated);
    action();
    return spy.count() > 0 || spy.wait(10000);
}

QStringList TestApiTokensWidget::listedNames()
{
    QStringList names;
    const QAbstractItemModel *model = find<QTableView>("apiTokenList")->model();
    for (int row = 0; row < model->rowCount(); ++row)
        names << model->index(row, 0).data().toString();
    return names;
}

void TestApiTokensWidget::addShowsTheTokenOnceAndRevokeEndsIt()
{
    auto *name = find<QLineEdit>("apiTokenName");
    auto *role = find<QComboBox>("apiTokenRole");
    auto *newToken = find<QLineEdit>("newApiToken");
    QVERIFY(name && role && newToken);
    QVERIFY(!newToken->isVisible());
    name->setText("grafana");
    role->setCurrentIndex(role->findData("read"));
    // Added, then the list read again: two updates.
    QVERIFY(waitForUpdate(
        [&] { QTest::mouseClick(find<QPushButton>("addApiToken"), Qt::LeftButton); }));
    if (listedNames().isEmpty()) {
        QSignalSpy spy(m_widget, &ApiTokensWidget::updated);
        QVERIFY(spy.wait(10000));
    }
    QVERIFY(newToken->isVisible());
    const QByteArray token = newToken->text().toLatin1();
    QVERIFY(token.startsWith("dqt_"));
    QVERIFY(name->text().isEmpty());
    QCOMPARE(listedNames(), QStringList{"grafana"});
    const QAbstractItemModel *model = find<QTableView>("apiTokenList")->model();
    QCOMPARE(model->index(0, 1).data().toString(), QStringLiteral("read"));
    QCOMPARE(model->index(0, 3).data().toString(), QStringLiteral("never"));
    // The table never holds the token.
    for (int column = 0; column < model->columnCount(); ++column)
        QVERIFY(!model->index(0, column).data().toString().contains(token.mid(4, 12)));

    StoreError error;
    std::optional<ApiTokenInfo> found = TokenStore(*m_store).find(token, &error);
    QVERIFY(found);
    QCOMPARE(found->role, TokenRole::Read);
    QCOMPARE(found->createdBy, QStringLiteral("window:tester@host"));

    auto *revoke = find<QPushButton>("revokeApiToken");
    QVERIFY(!revoke->isEnabled());
    find<QTableView>("apiTokenList")->selectRow(0);
    QVERIFY(revoke->isEnabled());
    // It asks first, naming the token; Cancel (also Enter's button) keeps it.
    QTest::mouseClick(revoke, Qt::LeftButton);
    auto *box = m_widget->findChild<QMessageBox *>("revokeApiTokenConfirmation");
    QVERIFY(box);
    QVERIFY2(box->text().contains("\"grafana\""), qPrintable(box->text()));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(!m_widget->findChild<QMessageBox *>("revokeApiTokenConfirmation"));
    QVERIFY(TokenStore(*m_store).find(token, &error));
    QCOMPARE(listedNames(), QStringList{"grafana"});
    QTest::mouseClick(revoke, Qt::LeftButton);
    box = m_widget->findChild<QMessageBox *>("revokeApiTokenConfirmation");
    QVERIFY(box);
    auto *confirm = box->findChild<QPushButton *>("revokeApiTokenButton");
    QVERIFY(confirm);
    QVERIFY(waitForUpdate([&] { confirm->click(); }));
    if (!listedNames().isEmpty()) {
        QSignalSpy spy(m_widget, &ApiTokensWidget::updated);
        QVERIFY(spy.wait(10000));
    }
    QVERIFY(listedNames().isEmpty());
    QVERIFY(!newToken->isVisible());
    QVERIFY(!TokenStore(*m_store).find(token, &error));
    QVERIFY(!error.isSet());
    QVERIFY(find<QLabel>("apiTokenStatus")->text().contains("Revoked API token grafana"));
}

void TestApiTokensWidget::badNameIsNamedAndNothingAdded()
{
    auto *name = find<QLineEdit>("apiTokenName");
    name->setText("two words");
    QVERIFY(waitForUpdate(
        [&] { QTest::mouseClick(find<QPushButton>("addApiToken"), Qt::LeftButton); }));
    QVERIFY2(find<QLabel>("apiTokenStatus")->text().startsWith("name: "),
             qPrintable(find<QLabel>("apiTokenStatus")->text()));
    QVERIFY(!find<QLineEdit>("newApiToken")->isVisible());
    StoreError error;
    QVERIFY(TokenStore(*m_store).tokens(&error)->isEmpty());
    name->setText("default");
    QVERIFY(waitForUpdate(
        [&] { QTest::mouseClick(find<QPushButton>("addApiToken"), Qt::LeftButton); }));
    QVERIFY(find<QLabel>("apiTokenStatus")->text().contains("\"default\""));
    QVERIFY(TokenStore(*m_store).tokens(&error)->isEmpty());
}

void TestApiTokensWidget::duplicateNameIsRefused()
{
    StoreError error;
    QVERIFY(TokenStore(*m_store).add("ci", TokenRole::Operate, "cli:t@h", 1, &error));
    find<QLineEdit>("apiTokenName")->setText("ci");
    QVERIFY(waitForUpdate(
        [&] { QTest::mouseClick(find<QPushButton>("addApiToken"), Qt::LeftButton); }));
    QVERIFY2(find<QLabel>("apiTokenStatus")->text().contains("exists already"),
             qPrintable(find<QLabel>("apiTokenStatus")->text()));
    QVERIFY(!find<QLineEdit>("newApiToken")->isVisible());
    QCOMPARE(TokenStore(*m_store).tokens(&error)->size(), 1);
}

QTEST_MAIN(TestApiTokensWidget)
#include "tst_apitokenswidget.moc"
