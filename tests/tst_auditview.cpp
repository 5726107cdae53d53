#include "auditpanel.h"
#include "audittablemodel.h"
#include "config/settings.h"
#include "job/actor.h"
#include "jobdetailsdialog.h"
#include "mainwindow.h"
#include "queue/jobqueue.h"
#include "queue/queueoperations.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <memory>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

namespace {

const QStringList FetchTypes{"prospect", "sales"};

NewJob newJob(const QString &dealer)
{
    return {dealer, QStringLiteral("prospect"), 1749686400000, 1749772799000, 0, false, {}};
}

} // namespace

/// The window's Audit view and a job's audit entries in its details (SPEC §8), on real widgets
/// over a real SQLite store: changes made in the window appear as the window's actor, others as
/// theirs, newest first; the action and actor filters and the pages narrow what is shown.
class TestAuditView final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void showsChangesNewestFirst();
    void filtersByActionAndActor();
    void pagesThroughMany();
    void jobDetailsListItsEntries();

private:
    AuditPanel *panel() const { return m_window->auditPanel(); }
    /// Shows the Audit tab and waits for the read `change` (if any) sets off to be shown.
    bool refreshed(const std::function<void()> &change = {});

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Settings> m_settings;
    std::unique_ptr<JobQueue> m_queue;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<QueueOperations> m_cli;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestAuditView::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QString why;
    const std::optional<DatabaseUrl> url = DatabaseUrl::parse(sqliteUrlIn(m_dir->path()), &why);
    QVERIFY2(url, qPrintable(why));
    JobQueue::Config cfg;
    cfg.runner.database = *url;
    cfg.runner.sourceUrl = QUrl(QStringLiteral("http://127.0.0.1:9/"));
    cfg.runner.instance = QStringLiteral("test");
    cfg.fetchTypes = FetchTypes;
    cfg.runJobs = false;
    m_queue = std::make_unique<JobQueue>(cfg);
    m_queue->start();
    m_settings = std::make_unique<Settings>(m_dir->filePath(QStringLiteral("dealerq.ini")));
    WindowContext context;
    context.queue = m_queue.get();
    context.settings = m_settings.get();
    context.databaseDisplay = url->displayString();
    context.sourceDisplay = cfg.runner.sourceUrl.toString();
    m_window = std::make_unique<MainWindow>(context);
    m_tester = std::make_unique<QAbstractItemModelTester>(
        panel()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_window->resize(1300, 850);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_store = std::make_unique<JobStore>(*url);
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    m_cli = std::make_unique<QueueOperations>(*m_store, QStringLiteral("cli:other@elsewhere"));
}

void TestAuditView::cleanup()
{
    m_tester.reset();
    m_window.reset();
    m_cli.reset();
    m_store.reset();
    m_queue.reset();
    m_settings.reset();
    m_dir.reset();
}

bool TestAuditView::refreshed(const std::function<void()> &change)
{
    auto *tabs = m_window->findChild<QTabWidget *>(QStringLiteral("lowerTabs"));
    QSignalSpy spy(panel(), &AuditPanel::refreshed);
    if (tabs->currentWidget() != panel())
        tabs->setCurrentWidget(panel()); // shown: it reads
    else if (change)
        change();
    else
        panel()->refresh();
    return spy.wait(5000) || !spy.isEmpty();
}

void TestAuditView::showsChangesNewestFirst()
{
    // A change made in the window (its queue), then one by another instance's command line.
    bool done = false;
    m_queue->add(this, newJob(QStringLiteral("W1")),
                 [&done](QueueResult<AddOutcome> r) { done = r.ok(); });
    QTRY_VERIFY(done);
    QVERIFY(m_cli->setPaused(true).ok());
    QVERIFY(refreshed());

    AuditTableModel *model = panel()->model();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, AuditTableModel::ActorColumn).data().toString(),
             QStringLiteral("cli:other@elsewhere"));
    QCOMPARE(model->index(0, AuditTableModel::ActionColumn).data().toString(),
             QStringLiteral("Queue paused"));
    QCOMPARE(model->index(1, AuditTableModel::ActorColumn).data().toString(), Actor::window());
    QCOMPARE(model->index(1, AuditTableModel::ActionColumn).data().toString(),
             QStringLiteral("Jobs queued"));
    QCOMPARE(model->index(1, AuditTableModel::CountColumn).data().toString(), QStringLiteral("1"));
    QCOMPARE(panel()->infoText(), QStringLiteral("Entries 1–2 of 2"));

    // The window's refresh brings in what others change while the view is shown.
    QVERIFY(m_cli->setPaused(false).ok());
    QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 10000);
    QCOMPARE(model->index(0, AuditTableModel::ActionColumn).data().toString(),
             QStringLiteral("Queue resumed"));
}

void TestAuditView::filtersByActionAndActor()
{
    QVERIFY(m_cli->add(newJob(QStringLiteral("A"))).ok());
    QVERIFY(m_cli->add(newJob(QStringLiteral("B"))).ok());
    QVERIFY(m_cli->setPaused(true).ok());
    m_cli->setActor(QStringLiteral("api:robot"));
    QVERIFY(m_cli->add(newJob(QStringLiteral("C"))).ok());
    QVERIFY(refreshed());
    QCOMPARE(panel()->model()->rowCount(), 4);

    QComboBox *action = panel()->actionFilter();
    const int queued = action->findData(AuditAction::JobsQueued);
    QVERIFY(queued > 0);
    QCOMPARE(action->itemText(queued), QStringLiteral("Jobs queued"));
    QVERIFY(refreshed([&] { action->setCurrentIndex(queued); }));
    QCOMPARE(panel()->model()->rowCount(), 3);
    QCOMPARE(panel()->total(), 3);

    // The actor, typed as listed, narrows further once Enter is pressed.
    QLineEdit *actor = panel()->actorFilter();
    QVERIFY(refreshed([&] {
        actor->setFocus();
        QTest::keyClicks(actor, QStringLiteral("api:robot"));
        QTest::keyClick(actor, Qt::Key_Return);
    }));
    QCOMPARE(panel()->model()->rowCount(), 1);
    QCOMPARE(panel()->model()->index(0, AuditTableModel::ActorColumn).data().toString(),
             QStringLiteral("api:robot"));

    // Nobody of that name: an empty page that says so.
    QVERIFY(refreshed([&] {
        actor->clear();
        QTest::keyClicks(actor, QStringLiteral("api:nobody"));
        QTest::keyClick(actor, Qt::Key_Return);
    }));
    QCOMPARE(panel()->model()->rowCount(), 0);
    QCOMPARE(panel()->infoText(), QStringLiteral("No entries"));

    QVERIFY(refreshed([&] {
        actor->clear();
        action->setCurrentIndex(0);
    }));
    QCOMPARE(panel()->model()->rowCount(), 4);
}

void TestAuditView::pagesThroughMany()
{
    for (int i = 0; i < AuditPanel::PageSize + 30; ++i)
        QVERIFY(m_cli->add(newJob(QStringLiteral("D%1").arg(i))).ok());
    QVERIFY(refreshed());
    QCOMPARE(panel()->model()->rowCount(), AuditPanel::PageSize);
    QCOMPARE(panel()->total(), AuditPanel::PageSize + 30);
    QCOMPARE(panel()->infoText(), QStringLiteral("Entries 1–100 of 130"));
    auto *newer = panel()->findChild<QPushButton *>(QStringLiteral("auditNewer"));
    auto *older = panel()->findChild<QPushButton *>(QStringLiteral("auditOlder"));
    QVERIFY(!newer->isEnabled());
    QVERIFY(older->isEnabled());
    // The newest entry first: its job is the last one queued.
    const QVariantList newest =
        panel()->model()->index(0, 0).data(AuditTableModel::JobIdsRole).toList();
    QCOMPARE(newest.size(), 1);

    QVERIFY(refreshed([&] { QTest::mouseClick(older, Qt::LeftButton); }));
    QCOMPARE(panel()->model()->rowCount(), 30);
    QCOMPARE(panel()->infoText(), QStringLiteral("Entries 101–130 of 130"));
    QVERIFY(newer->isEnabled());
    QVERIFY(!older->isEnabled());
    QVERIFY(panel()
                ->model()
                ->index(29, 0)
                .data(AuditTableModel::JobIdsRole)
                .toList()
                .first()
                .toLongLong() < newest.first().toLongLong());

    QVERIFY(refreshed([&] { QTest::mouseClick(newer, Qt::LeftButton); }));
    QCOMPARE(panel()->offset(), 0);
    QCOMPARE(panel()->model()->rowCount(), AuditPanel::PageSize);
}

void TestAuditView::jobDetailsListItsEntries()
{
    const qint64 id = m_cli->add(newJob(QStringLiteral("J1"))).value->job.id;
    const qint64 other = m_cli->add(newJob(QStringLiteral("J2"))).value->job.id;
    QVERIFY(m_cli->move({id}, MoveOp::Bottom).isEmpty());
    bool done = false;
    m_queue->cancel(this, {id}, [&done](CancelReport r) { done = r.errors.isEmpty(); });
    QTRY_VERIFY(done);

    m_window->showJobDetails(id);
    JobDetailsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<JobDetailsDialog *>()) != nullptr);
    QTRY_COMPARE(dialog->auditLines().size(), 3);
    const QStringList lines = dialog->auditLines();
    QCOMPARE(lines.at(0),
             QStringLiteral("jobs_cancelled\t%1\tcancelled before it ran").arg(Actor::window()));
    QCOMPARE(lines.at(1), QStringLiteral("jobs_moved\tcli:other@elsewhere\tto the bottom"));
    QVERIFY2(lines.at(2).startsWith(QStringLiteral("jobs_queued\tcli:other@elsewhere\t")),
             qPrintable(lines.at(2)));
    auto *list = dialog->findChild<QTreeWidget *>(QStringLiteral("auditList"));
    QVERIFY(list);
    QCOMPARE(list->topLevelItem(0)->text(2), QStringLiteral("Jobs cancelled"));
    dialog->close();

    // The other job's details show only its own entry; opened from its entry in the Audit tab.
    QVERIFY(refreshed());
    QCOMPARE(panel()->model()->rowCount(), 4);
    const QModelIndex otherQueued = panel()->model()->index(2, AuditTableModel::DetailColumn);
    QCOMPARE(otherQueued.data(AuditTableModel::JobIdsRole).toList(), QVariantList{other});
    QTableView *view = panel()->view();
    view->scrollTo(otherQueued);
    const QPoint at = view->visualRect(otherQueued).center();
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
    const auto detailsOf = [this](qint64 job) -> JobDetailsDialog * {
        for (JobDetailsDialog *d : m_window->findChildren<JobDetailsDialog *>()) {
            if (d->jobId() == job)
                return d;
        }
        return nullptr;
    };
    QTRY_VERIFY((dialog = detailsOf(other)) != nullptr);
    QTRY_COMPARE(dialog->auditLines().size(), 1);
    QVERIFY(dialog->auditLines().first().startsWith(QStringLiteral("jobs_queued\t")));
}

QTEST_MAIN(TestAuditView)
#include "tst_auditview.moc"
