#include "config/settings.h"
#include "historypanel.h"
#include "job/timeformat.h"
#include "jobtablemodel.h"
#include "jobtableview.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "queue/jobqueue.h"
#include "queuepanel.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <memory>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

namespace {

constexpr qint64 Day = 24 * 3600 * 1000;

/// The window on a real SQLite file, not running jobs: the test's own connection seeds the store
/// (as another instance or the API would) and checks what the window's actions did.
struct Fixture
{
    QTemporaryDir dir;
    std::unique_ptr<Settings> settings;
    std::unique_ptr<JobQueue> queue;
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<JobStore> store;
    std::unique_ptr<QAbstractItemModelTester> queueTester;
    std::unique_ptr<QAbstractItemModelTester> historyTester;

    ~Fixture()
    {
        historyTester.reset();
        queueTester.reset();
        window.reset();
        store.reset();
        queue.reset();
    }

    bool start()
    {
        if (!dir.isValid())
            return false;
        QString why;
        const std::optional<DatabaseUrl> url = DatabaseUrl::parse(sqliteUrlIn(dir.path()), &why);
        if (!url)
            return false;
        store = std::make_unique<JobStore>(*url);
        StoreError error;
        if (!store->open(&error)) {
            qWarning("%s", qPrintable(error.message));
            return false;
        }
        JobQueue::Config cfg;
        cfg.runner.database = *url;
        cfg.runner.sourceUrl = QUrl(QStringLiteral("http://127.0.0.1:9/"));
        cfg.runner.instance = QStringLiteral("test");
        cfg.fetchTypes = {"prospect", "sales", "service", "inventory"};
        cfg.runJobs = false;
        queue = std::make_unique<JobQueue>(cfg);
        queue->start();
        settings = std::make_unique<Settings>(dir.filePath(QStringLiteral("dealerq.ini")));
        WindowContext context;
        context.queue = queue.get();
        context.settings = settings.get();
        context.databaseDisplay = url->displayString();
        context.sourceDisplay = QStringLiteral("http://127.0.0.1:9/");
        window = std::make_unique<MainWindow>(context);
        using Mode = QAbstractItemModelTester::FailureReportingMode;
        queueTester =
            std::make_unique<QAbstractItemModelTester>(window->queuePanel()->model(), Mode::QtTest);
        historyTester = std::make_unique<QAbstractItemModelTester>(window->historyPanel()->model(),
                                                                   Mode::QtTest);
        window->resize(1300, 850);
        window->show();
        return QTest::qWaitForWindowExposed(window.get());
    }

    /// Queues `count` jobs of `type` for dealers prefix0001, prefix0002, … (one transaction).
    QVector<qint64> queueJobs(const QString &prefix, int count, const QString &type,
                              qint64 fromMs = 1749686400000)
    {
        QStringList ids;
        for (int i = 1; i <= count; ++i)
            ids << QStringLiteral("%1%2").arg(prefix).arg(i, 4, 10, QLatin1Char('0'));
        NewJob common;
        common.fetchType = type;
        common.fromMs = fromMs;
        common.toMs = fromMs + Day - 1000;
        common.createdBy = QStringLiteral("cli:test@host");
        StoreError error;
        const std::optional<BulkOutcome> outcome = store->addJobs(ids, common, &error);
        if (!outcome || outcome->jobIds.size() != count)
            qFatal("cannot queue %s: %s", qPrintable(prefix), qPrintable(error.message));
        return outcome->jobIds;
    }

    /// Jobs queued as queueJobs() does, then ended as `status` at `finishedMs` (the runner's
    /// columns written directly, so that thousands take a moment).
    QVector<qint64> finishJobs(const QString &prefix, int count, const QString &type,
                               JobStatus status, qint64 finishedMs,
                               ErrorCategory category = ErrorCategory::None,
                               const QString &message = {})
    {
        const QVector<qint64> ids = queueJobs(prefix, count, type);
        QSqlQuery q(store->database().db());
        q.prepare(QStringLiteral(
            "UPDATE jobs SET status = ?, started_ms = ?, finished_ms = ?, error_category = ?, "
            "error_message = ?, attempts = 1 WHERE id BETWEEN ? AND ?"));
        q.addBindValue(jobStatusName(status));
        q.addBindValue(finishedMs - 1000);
        q.addBindValue(finishedMs);
        q.addBindValue(category == ErrorCategory::None ? QVariant(QMetaType(QMetaType::QString))
                                                       : QVariant(errorCategoryName(category)));
        q.addBindValue(message.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                         : QVariant(message));
        q.addBindValue(ids.first());
        q.addBindValue(ids.last());
        if (!q.exec() || q.numRowsAffected() != count)
            qFatal("cannot finish %s", qPrintable(prefix));
        return ids;
    }

    qint64 history(const HistoryFilter &filter)
    {
        return store->historyCount(filter, nullptr).value_or(-1);
    }
    qint64 queued(const QueuedFilter &filter = {})
    {
        return store->queuedCount(filter, nullptr).value_or(-1);
    }

    HistoryPanel *historyPanel() const { return window->historyPanel(); }
    QueuePanel *queuePanel() const { return window->queuePanel(); }
    QString message() const { return window->messageBar()->text(); }
    template<typename T> T *child(const char *name) const
    {
        return window->findChild<T *>(QLatin1String(name));
    }
};

template<typename T> T *activeModal()
{
    return qobject_cast<T *>(QApplication::activeModalWidget());
}

QStringList columnOf(const QAbstractItemModel *model, int column)
{
    QStringList values;
    for (int row = 0; row < model->rowCount(); ++row)
        values << model->index(row, column).data().toString();
    return values;
}

QSet<QString> valuesOf(const QAbstractItemModel *model, int column)
{
    const QStringList values = columnOf(model, column);
    return QSet<QString>(values.begin(), values.end());
}

HistoryFilter statusFilter(JobStatus status, const QString &type = {})
{
    HistoryFilter filter;
    filter.statuses = {status};
    filter.fetchType = type;
    return filter;
}

QString number(qint64 n)
{
    return QLocale().toString(n);
}

/// Waits for the window-modal QMessageBox named `name` and returns it.
QMessageBox *waitForBox(const QString &name)
{
    QMessageBox *box = nullptr;
    if (!QTest::qWaitFor([&] { return (box = activeModal<QMessageBox>()) != nullptr; }, 5000))
        return nullptr;
    return box->objectName() == name ? box : nullptr;
}

} // namespace

/// The window's parts of SPEC §7: the history's filters over the whole history in the store,
/// the queue's filter, and the bulk actions by filter with a confirmation stating the count the
/// store gives — accepted, and declined (which changes nothing).
class TestWindowBulk final : public QObject
{
    Q_OBJECT

private slots:
    void historyFiltersSearchTheWholeHistory();
    void retryMatchingAsksWithTheCount();
    void retryMatchingCancelledJobs();
    void queueFilterAndCancelMatching();
    void removeOlderThanDays();
    void filtersFitTheSmallWindow();
};

void TestWindowBulk::historyFiltersSearchTheWholeHistory()
{
    Fixture f;
    QVERIFY(f.start());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Failed jobs first (lower IDs, older): more completed ones than a page are newer, so none
    // of the failed ones is among the rows loaded.
    f.finishJobs("S", 30, "sales", JobStatus::Failed, now - 3 * Day, ErrorCategory::Http,
                 "HTTP 503 from the dealer API");
    f.finishJobs("N", 10, "service", JobStatus::Failed, now - 40 * Day, ErrorCategory::Network,
                 "connection refused");
    f.finishJobs("P", HistoryPanel::PageSize + 100, "prospect", JobStatus::Completed,
                 now - 3600 * 1000);
    f.queue->notifyChanged();
    HistoryPanel *history = f.historyPanel();
    const QAbstractItemModel *rows = history->proxy();
    const int all = HistoryPanel::PageSize + 140;
    QTRY_COMPARE(history->model()->total(), all);
    QCOMPARE(history->model()->rowCount(), HistoryPanel::PageSize);
    QVERIFY(!columnOf(rows, JobTableModel::TypeColumn).contains(QStringLiteral("sales")));

    // Type: every sales job, none of them loaded before.
    auto *type = f.child<QComboBox>("historyTypeFilter");
    QVERIFY(type);
    type->setCurrentIndex(type->findText(QStringLiteral("sales")));
    QTRY_COMPARE(history->model()->rowCount(), 30);
    QCOMPARE(history->model()->total(), 30);
    QCOMPARE(valuesOf(rows, JobTableModel::TypeColumn), QSet<QString>{"sales"});
    type->setCurrentIndex(0);
    QTRY_COMPARE(history->model()->total(), all);

    // Error category.
    auto *category = f.child<QComboBox>("historyCategoryFilter");
    QVERIFY(category);
    category->setCurrentIndex(category->findData(int(ErrorCategory::Network)));
    QTRY_COMPARE(history->model()->total(), 10);
    QCOMPARE(valuesOf(rows, JobTableModel::TypeColumn), QSet<QString>{"service"});
    category->setCurrentIndex(0);
    QTRY_COMPARE(history->model()->total(), all);

    // Text, typed: the error message, and the dealer ID in any case.
    auto *search = f.child<QLineEdit>("historySearch");
    QVERIFY(search);
    QTest::keyClicks(search, QStringLiteral("http 503"));
    QTRY_COMPARE(history->model()->total(), 30);
    search->clear();
    QTest::keyClicks(search, QStringLiteral("p1099"));
    QTRY_COMPARE(history->model()->total(), 1);
    QCOMPARE(rows->index(0, JobTableModel::DealerColumn).data().toString(),
             QStringLiteral("P1099"));
    // SQL and LIKE's own characters are only ever text: nothing matches. Enter applies the
    // text at once; the refresh asked for after that has read it.
    for (const QString &text : {QStringLiteral("%' OR 1=1; DROP TABLE jobs; --"),
                                QStringLiteral("_"), QStringLiteral("P%1")}) {
        search->clear();
        QTest::keyClicks(search, text);
        QSignalSpy refreshed(f.window.get(), &MainWindow::refreshFinished);
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_VERIFY(refreshed.count() >= 1);
        f.window->refreshNow();
        QTRY_VERIFY(refreshed.count() >= 2);
        QVERIFY2(history->model()->total() == 0, qPrintable(text));
    }
    search->clear();
    QTRY_COMPARE(history->model()->total(), all);
    QCOMPARE(f.history({}), all);

    // Finished: the last 7 days leave out the service jobs of 40 days ago; between two days
    // takes only those.
    auto *finished = f.child<QComboBox>("historyFinishedFilter");
    QVERIFY(finished);
    finished->setCurrentIndex(finished->findData(7));
    QTRY_COMPARE(history->model()->total(), all - 10);
    // "Between…" asks for its days; cancelled, the choice before stays.
    finished->setCurrentIndex(finished->findData(-1));
    QDialog *range = nullptr;
    QTRY_VERIFY((range = activeModal<QDialog>()) != nullptr);
    QCOMPARE(range->objectName(), QStringLiteral("historyFinishedRange"));
    auto *from = range->findChild<QDateEdit *>(QStringLiteral("historyFinishedFrom"));
    auto *to = range->findChild<QDateEdit *>(QStringLiteral("historyFinishedTo"));
    QVERIFY(from && to);
    range->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Cancel)->click();
    QTRY_VERIFY(activeModal<QDialog>() == nullptr);
    QCOMPARE(finished->currentData().toInt(), 7);
    QCOMPARE(history->model()->total(), all - 10);

    finished->setCurrentIndex(finished->findData(-1));
    QTRY_VERIFY((range = activeModal<QDialog>()) != nullptr);
    from = range->findChild<QDateEdit *>(QStringLiteral("historyFinishedFrom"));
    to = range->findChild<QDateEdit *>(QStringLiteral("historyFinishedTo"));
    QVERIFY(from && to);
    const QDate day = QDateTime::fromMSecsSinceEpoch(now - 40 * Day).date();
    from->setDate(day.addDays(-1));
    to->setDate(day.addDays(1));
    // The end never comes before the start.
    QCOMPARE(to->minimumDate(), day.addDays(-1));
    range->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
    QTRY_COMPARE(history->model()->total(), 10);
    QCOMPARE(valuesOf(rows, JobTableModel::TypeColumn), QSet<QString>{"service"});
    QVERIFY2(finished->currentText().contains(QStringLiteral(" – ")),
             qPrintable(finished->currentText()));
    finished->setCurrentIndex(0);
    QTRY_COMPARE(history->model()->total(), all);
    QCOMPARE(finished->itemText(finished->findData(-1)), QStringLiteral("Between…"));

    // Every column sorts the whole history in the store: by type descending, the service and
    // sales jobs, none of them loaded before, come first; by error, the network ones.
    const auto typesFrom = [&](int first, int count) {
        QStringList types;
        for (int row = first; row < first + count; ++row)
            types << rows->index(row, JobTableModel::TypeColumn).data().toString();
        types.removeDuplicates();
        return types;
    };
    history->view()->sortByColumn(JobTableModel::TypeColumn, Qt::DescendingOrder);
    QTRY_COMPARE(typesFrom(0, 10), QStringList{"service"});
    QCOMPARE(typesFrom(10, 30), QStringList{"sales"});
    QCOMPARE(typesFrom(40, 10), QStringList{"prospect"});
    QCOMPARE(history->model()->total(), all);
    history->view()->sortByColumn(JobTableModel::ErrorColumn, Qt::DescendingOrder);
    QTRY_COMPARE(typesFrom(10, 30), QStringList{"sales"}); // network (service), then http
    QCOMPARE(typesFrom(0, 10), QStringList{"service"});
    history->view()->sortByColumn(JobTableModel::TypeColumn, Qt::AscendingOrder);
    QTRY_COMPARE(typesFrom(0, 10), QStringList{"prospect"});
    QVERIFY(!f.message().contains(QStringLiteral("loaded")));
    history->view()->sortByColumn(JobTableModel::FinishedColumn, Qt::DescendingOrder);

    // Together with the status: failed jobs of the last 7 days are the sales ones.
    auto *status = f.child<QComboBox>("historyStatusFilter");
    status->setCurrentIndex(status->findData(int(JobStatus::Failed)));
    finished->setCurrentIndex(finished->findData(7));
    QTRY_COMPARE(history->model()->total(), 30);
    QCOMPARE(columnOf(rows, JobTableModel::DealerColumn).size(), 30);
}

void TestWindowBulk::retryMatchingAsksWithTheCount()
{
    Fixture f;
    QVERIFY(f.start());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const int many = HistoryPanel::PageSize + 50;
    const QVector<qint64> sales = f.finishJobs("S", many, "sales", JobStatus::Failed, now - Day,
                                               ErrorCategory::Http, "HTTP 500");
    f.finishJobs("P", 20, "prospect", JobStatus::Failed, now - Day, ErrorCategory::Http,
                 "HTTP 500");
    f.finishJobs("C", 5, "sales", JobStatus::Cancelled, now - Day, ErrorCategory::Cancelled);
    // A twin of one failed sales job is queued already: the retry skips it.
    f.queueJobs("S", 1, "sales");
    f.queue->notifyChanged();
    HistoryPanel *history = f.historyPanel();
    QTRY_COMPARE(history->model()->total(), many + 25);

    auto *status = f.child<QComboBox>("historyStatusFilter");
    status->setCurrentIndex(status->findData(int(JobStatus::Failed)));
    auto *type = f.child<QComboBox>("historyTypeFilter");
    type->setCurrentIndex(type->findText(QStringLiteral("sales")));
    QTRY_COMPARE(history->model()->total(), many);
    QVERIFY(history->model()->rowCount() < many);

    // The confirmation names the error filter as the filter shows it, not by its API name.
    HistoryFilter byCategory;
    byCategory.fetchType = QStringLiteral("sales");
    byCategory.errorCategory = ErrorCategory::Auth;
    QCOMPARE(HistoryPanel::filterText(byCategory),
             QStringLiteral("type sales, error “Token refused”"));

    // Declined: nothing changes.
    QAction *retry = history->retryMatchingAction();
    QVERIFY(retry->isEnabled());
    retry->trigger();
    QMessageBox *box = waitForBox(QStringLiteral("retryMatchingConfirmation"));
    QVERIFY(box);
    QVERIFY2(box->text().startsWith(QStringLiteral("Retry %1 failed jobs matching the filter "
                                                   "(type sales)?")
                                        .arg(number(many))),
             qPrintable(box->text()));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    QCOMPARE(box->button(QMessageBox::Yes)->text(),
             QStringLiteral("Retry %1 jobs").arg(number(many)));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(activeModal<QMessageBox>() == nullptr);
    QTest::qWait(200);
    QCOMPARE(f.history(statusFilter(JobStatus::Failed, "sales")), many);
    QCOMPARE(f.queued(), 1);

    // Enter is Cancel too.
    retry->trigger();
    QVERIFY((box = waitForBox(QStringLiteral("retryMatchingConfirmation"))));
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(activeModal<QMessageBox>() == nullptr);
    QTest::qWait(200);
    QCOMPARE(f.queued(), 1);

    // Accepted: every failed sales job in the store, not only the rows loaded, minus the twin.
    retry->trigger();
    QVERIFY((box = waitForBox(QStringLiteral("retryMatchingConfirmation"))));
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE(f.history(statusFilter(JobStatus::Failed, "sales")), 1);
    QCOMPARE(f.queued(), many);
    QCOMPARE(f.store->job(sales.first(), nullptr)->status, JobStatus::Failed);
    QCOMPARE(f.store->job(sales.last(), nullptr)->status, JobStatus::Queued);
    // The other type and the cancelled ones stay as they were.
    QCOMPARE(f.history(statusFilter(JobStatus::Failed, "prospect")), 20);
    QCOMPARE(f.history(statusFilter(JobStatus::Cancelled)), 5);
    QTRY_VERIFY2(f.message().contains(QStringLiteral("Queued %1 jobs again. Skipped 1 whose "
                                                     "twin is queued already.")
                                          .arg(number(many - 1))),
                 qPrintable(f.message()));
    QTRY_COMPARE(history->model()->total(), 1);
}

void TestWindowBulk::retryMatchingCancelledJobs()
{
    Fixture f;
    QVERIFY(f.start());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    f.finishJobs("C", 5, "sales", JobStatus::Cancelled, now - Day, ErrorCategory::Cancelled);
    f.finishJobs("F", 3, "sales", JobStatus::Failed, now - Day, ErrorCategory::Http, "HTTP 500");
    f.finishJobs("K", 4, "sales", JobStatus::Completed, now - Day);
    f.queue->notifyChanged();
    HistoryPanel *history = f.historyPanel();
    QTRY_COMPARE(history->model()->total(), 12);
    auto *status = f.child<QComboBox>("historyStatusFilter");

    // Completed jobs cannot be retried: the action is off while the filter shows only those.
    status->setCurrentIndex(status->findData(int(JobStatus::Completed)));
    QTRY_COMPARE(history->model()->total(), 4);
    QVERIFY(!history->retryMatchingAction()->isEnabled());

    // The status filter says cancelled: the cancelled ones are retried, the failed ones stay.
    status->setCurrentIndex(status->findData(int(JobStatus::Cancelled)));
    QTRY_COMPARE(history->model()->total(), 5);
    QVERIFY(history->retryMatchingAction()->isEnabled());
    history->retryMatchingAction()->trigger();
    QMessageBox *box = waitForBox(QStringLiteral("retryMatchingConfirmation"));
    QVERIFY(box);
    QVERIFY2(box->text().startsWith(QStringLiteral("Retry all 5 cancelled jobs?")),
             qPrintable(box->text()));
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE(f.queued(), 5);
    QCOMPARE(f.history(statusFilter(JobStatus::Failed)), 3);
    QTRY_VERIFY2(f.message().contains(QStringLiteral("Queued 5 jobs again.")),
                 qPrintable(f.message()));
    QVERIFY(!f.message().contains(QStringLiteral("Skipped")));

    // Nothing left to retry: said in the message band, with no question.
    history->retryMatchingAction()->trigger();
    QTRY_VERIFY2(f.message().contains(QStringLiteral("No cancelled job matches the filter")),
                 qPrintable(f.message()));
    QVERIFY(activeModal<QMessageBox>() == nullptr);
}

void TestWindowBulk::queueFilterAndCancelMatching()
{
    Fixture f;
    QVERIFY(f.start());
    // The running job is a sales job; it must never be touched.
    f.queueJobs("R", 1, "sales");
    const std::optional<Job> running = f.store->claimNext(QStringLiteral("elsewhere"), nullptr);
    QVERIFY(running);
    const int many = QueuePanel::PageSize + 100;
    f.queueJobs("Q", many, "prospect");
    f.queueJobs("S", 30, "sales");
    f.queue->notifyChanged();
    QueuePanel *queue = f.queuePanel();
    QTRY_COMPARE(queue->model()->total(), many + 30);
    QCOMPARE(queue->model()->rowCount(), QueuePanel::PageSize);

    // The filter is read by the store: a dealer beyond the rows loaded is found.
    QVERIFY(queue->model()->rowOfJob(f.store->queuedJobs(-1, nullptr)->at(many - 1).id) < 0);
    auto *dealer = f.child<QLineEdit>("queueDealerFilter");
    QVERIFY(dealer);
    QTest::keyClicks(dealer, QStringLiteral("Q1100"));
    QTRY_COMPARE(queue->model()->total(), 1);
    QCOMPARE(queue->model()->jobAt(0).dealerId, QStringLiteral("Q1100"));
    dealer->clear();
    QTRY_COMPARE(queue->model()->total(), many + 30);

    auto *type = f.child<QComboBox>("queueTypeFilter");
    QVERIFY(type);
    type->setCurrentIndex(type->findText(QStringLiteral("sales")));
    QTRY_COMPARE(queue->model()->total(), 30);
    QCOMPARE(queue->model()->rowCount(), 30);
    QCOMPARE(f.child<QLabel>("queueInfo")->text(), QStringLiteral("30 matches"));
    // Filtered, a job moves to the front of the whole queue, never one place past hidden ones.
    queue->view()->selectRow(0);
    QVERIFY(queue->runNextAction()->isEnabled());
    QVERIFY(!queue->moveUpAction()->isEnabled());
    QVERIFY(!queue->moveDownAction()->isEnabled());

    // Declined: nothing is cancelled.
    QAction *cancel = queue->cancelMatchingAction();
    QVERIFY(cancel->isEnabled());
    // With no row selected, Cancel Selected cannot act but its button still opens the menu
    // that holds Cancel Matching (it was disabled with Cancel Selected).
    queue->view()->clearSelection();
    auto *cancelButton = f.child<QToolButton>("cancelButton");
    QVERIFY(cancelButton);
    QVERIFY(!cancelButton->defaultAction()->isEnabled());
    QVERIFY(cancelButton->isEnabled());
    QVERIFY(cancelButton->menu()->actions().contains(cancel));
    cancel->trigger();
    QMessageBox *box = waitForBox(QStringLiteral("cancelMatchingConfirmation"));
    QVERIFY(box);
    QVERIFY2(box->text().startsWith(
                 QStringLiteral("Cancel 30 queued jobs matching the filter (type sales)?")),
             qPrintable(box->text()));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::No));
    QCOMPARE(box->button(QMessageBox::Yes)->text(), QStringLiteral("Cancel 30 jobs"));
    box->button(QMessageBox::No)->click();
    QTRY_VERIFY(activeModal<QMessageBox>() == nullptr);
    QTest::qWait(200);
    QueuedFilter sales;
    sales.fetchType = QStringLiteral("sales");
    QCOMPARE(f.queued(sales), 30);

    // A sales job queued while the question is open (another operator, a script, a schedule):
    // the 30 confirmed are not the jobs that match now, so none is cancelled and the window
    // asks again with the new count.
    cancel->trigger();
    QVERIFY((box = waitForBox(QStringLiteral("cancelMatchingConfirmation"))));
    QCOMPARE(box->button(QMessageBox::Yes)->text(), QStringLiteral("Cancel 30 jobs"));
    f.queueJobs("LATE", 1, "sales");
    box->button(QMessageBox::Yes)->click();
    QTRY_VERIFY2(f.message().contains(QStringLiteral("nothing was cancelled. Asking again.")),
                 qPrintable(f.message()));
    QCOMPARE(f.queued(sales), 31);
    QVERIFY((box = waitForBox(QStringLiteral("cancelMatchingConfirmation"))));
    QVERIFY2(box->text().startsWith(
                 QStringLiteral("Cancel 31 queued jobs matching the filter (type sales)?")),
             qPrintable(box->text()));
    box->button(QMessageBox::No)->click();
    QTRY_VERIFY(activeModal<QMessageBox>() == nullptr);
    QCOMPARE(f.queued(sales), 31);

    // Accepted: the 31 queued sales jobs, and not the running one.
    cancel->trigger();
    QVERIFY((box = waitForBox(QStringLiteral("cancelMatchingConfirmation"))));
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE(f.queued(sales), 0);
    QCOMPARE(f.queued(), many);
    QCOMPARE(f.store->job(running->id, nullptr)->status, JobStatus::Running);
    QTRY_VERIFY2(f.message().contains(QStringLiteral("Cancelled 31 queued jobs.")),
                 qPrintable(f.message()));
    QTRY_COMPARE(queue->model()->total(), 0);

    // No filter: every queued job, after saying how many; still not the running one.
    type->setCurrentIndex(0);
    QTRY_COMPARE(queue->model()->total(), many);
    cancel->trigger();
    QVERIFY((box = waitForBox(QStringLiteral("cancelMatchingConfirmation"))));
    QVERIFY2(box->text().startsWith(QStringLiteral("Cancel all %1 queued jobs?").arg(number(many))),
             qPrintable(box->text()));
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE(f.queued(), 0);
    QCOMPARE(f.store->job(running->id, nullptr)->status, JobStatus::Running);
    QTRY_VERIFY2(
        f.message().contains(QStringLiteral("Cancelled %1 queued jobs.").arg(number(many))),
        qPrintable(f.message()));
}

void TestWindowBulk::removeOlderThanDays()
{
    Fixture f;
    QVERIFY(f.start());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    f.finishJobs("A", 5, "sales", JobStatus::Completed, now - 40 * Day);
    f.finishJobs("B", 3, "sales", JobStatus::Failed, now - 40 * Day, ErrorCategory::Http,
                 "HTTP 500");
    f.finishJobs("D", 4, "sales", JobStatus::Completed, now - 2 * Day);
    f.queueJobs("Q", 2, "sales");
    f.queue->notifyChanged();
    HistoryPanel *history = f.historyPanel();
    QTRY_COMPARE(history->model()->total(), 12);

    const auto ask = [&](int days) -> QMessageBox * {
        history->removeOlderAction()->trigger();
        QDialog *dialog = nullptr;
        if (!QTest::qWaitFor([&] { return (dialog = activeModal<QDialog>()) != nullptr; }, 5000) ||
            dialog->objectName() != QStringLiteral("removeOlderDialog"))
            return nullptr;
        auto *spin = dialog->findChild<QSpinBox *>(QStringLiteral("olderThanDays"));
        if (!spin)
            return nullptr;
        spin->setValue(days);
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        return waitForBox(QStringLiteral("removeOlderConfirmation"));
    };

    // Declined: nothing is removed.
    QMessageBox *box = ask(30);
    QVERIFY(box);
    QVERIFY2(box->text().startsWith(QStringLiteral("Remove 8 finished jobs that finished more "
                                                   "than 30 days ago, with their logs?")),
             qPrintable(box->text()));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(activeModal<QWidget>() == nullptr);
    QTest::qWait(200);
    QCOMPARE(f.history({}), 12);

    // Accepted: the 8 old ones go; the recent ones and the queue stay.
    QVERIFY((box = ask(30)));
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE(f.history({}), 4);
    QCOMPARE(f.queued(), 2);
    QTRY_VERIFY2(f.message().contains(QStringLiteral("Removed 8 finished jobs that finished more "
                                                     "than 30 days ago.")),
                 qPrintable(f.message()));
    QTRY_COMPARE(history->model()->total(), 4);

    // With the history's filter: only what it matches.
    f.finishJobs("E", 2, "prospect", JobStatus::Completed, now - 3 * Day);
    f.queue->notifyChanged();
    auto *type = f.child<QComboBox>("historyTypeFilter");
    type->setCurrentIndex(type->findText(QStringLiteral("prospect")));
    QTRY_COMPARE(history->model()->total(), 2);
    QVERIFY((box = ask(1)));
    QVERIFY2(box->text().startsWith(QStringLiteral("Remove 2 finished jobs matching the filter "
                                                   "(type prospect) that finished more than 1 "
                                                   "day ago")),
             qPrintable(box->text()));
    box->button(QMessageBox::Yes)->click();
    QTRY_COMPARE(f.history({}), 4);
    QCOMPARE(f.history(statusFilter(JobStatus::Completed, "sales")), 4);
}

void TestWindowBulk::filtersFitTheSmallWindow()
{
    // At 1024 x 700 every filter input and the buttons of the bulk actions can be seen and read
    // whole, also with the two dates of "Between…" (of two years) shown; Cancel Matching is in
    // the menu of the queue's Cancel button.
    Fixture f;
    QVERIFY(f.start());
    // More rows than loaded in both tables: their longest counts show.
    f.finishJobs("H", HistoryPanel::PageSize + 10, "sales", JobStatus::Completed,
                 QDateTime::currentMSecsSinceEpoch() - Day);
    f.queueJobs("Q", QueuePanel::PageSize + 10, "sales");
    f.queue->notifyChanged();
    QTRY_COMPARE(f.historyPanel()->model()->total(), HistoryPanel::PageSize + 10);
    QTRY_COMPARE(f.queuePanel()->model()->total(), QueuePanel::PageSize + 10);
    f.window->resize(1024, 700);
    auto *finished = f.child<QComboBox>("historyFinishedFilter");
    for (int between : {0, 1}) {
        if (between) {
            finished->setCurrentIndex(finished->findData(-1));
            QDialog *range = nullptr;
            QTRY_VERIFY((range = activeModal<QDialog>()) != nullptr);
            range->findChild<QDateEdit *>(QStringLiteral("historyFinishedFrom"))
                ->setDate(QDate(2024, 12, 28));
            range->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
            QTRY_VERIFY(activeModal<QDialog>() == nullptr);
        }
        QTest::qWait(50);
        // The inputs never make the window wider than the screen.
        QCOMPARE(f.window->width(), 1024);
        if (qEnvironmentVariableIsSet("DEALERQ_TEST_DUMP")) {
            for (QWidget *w : f.historyPanel()->findChildren<QWidget *>())
                if (w->isVisible() && w->parentWidget() == f.historyPanel())
                    qInfo() << w->metaObject()->className() << w->objectName() << w->geometry()
                            << w->sizeHint() << w->minimumSizeHint();
            for (QWidget *w : f.queuePanel()->findChildren<QWidget *>())
                if (w->isVisible() && w->parentWidget() == f.queuePanel())
                    qInfo() << w->metaObject()->className() << w->objectName() << w->geometry()
                            << w->sizeHint() << w->minimumSizeHint();
        }
        const QStringList names = {"historyInfo",           "queueInfo",
                                   "historyStatusFilter",   "historyTypeFilter",
                                   "historyCategoryFilter", "historyFinishedFilter",
                                   "historyDealerFilter",   "historySearch",
                                   "queueTypeFilter",       "queueDealerFilter"};
        QList<QWidget *> widgets;
        for (const QString &name : names)
            widgets << f.window->findChild<QWidget *>(name);
        for (QToolButton *button : f.window->findChildren<QToolButton *>()) {
            const QAction *action = button->defaultAction();
            if (action && (action == f.historyPanel()->retryMatchingAction() ||
                           action == f.historyPanel()->clearAction() ||
                           action == f.queuePanel()->cancelAction()))
                widgets << button;
        }
        QCOMPARE(widgets.size(), names.size() + 3);
        QToolButton *cancel = nullptr;
        for (QToolButton *button : f.window->findChildren<QToolButton *>())
            cancel = button->defaultAction() == f.queuePanel()->cancelAction() ? button : cancel;
        QVERIFY(cancel && cancel->menu() &&
                cancel->menu()->actions().contains(f.queuePanel()->cancelMatchingAction()));
        for (QWidget *widget : widgets) {
            QVERIFY(widget);
            QVERIFY2(widget->isVisible(), qPrintable(widget->objectName()));
            // Combo boxes and buttons whole; line edits wide enough for a dealer ID.
            // Once the layout has settled: a label's text (and so its size hint) changes with
            // each refresh, and its width follows on the next turn of the event loop.
            const auto needed = [widget] {
                return qobject_cast<QLineEdit *>(widget) ? 80 : widget->sizeHint().width();
            };
            QTRY_VERIFY2_WITH_TIMEOUT(widget->width() >= needed(),
                                      qPrintable(QStringLiteral("%1: %2 px of %3")
                                                     .arg(widget->objectName())
                                                     .arg(widget->width())
                                                     .arg(needed())),
                                      2000);
            const QRect inWindow(widget->mapTo(f.window.get(), QPoint(0, 0)), widget->size());
            QVERIFY2(f.window->rect().contains(inWindow), qPrintable(widget->objectName()));
        }
    }
}

QTEST_MAIN(TestWindowBulk)
#include "tst_windowbulk.moc"
