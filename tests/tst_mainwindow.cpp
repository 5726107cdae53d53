#include "addjobwidget.h"
#include "bulkaddwidget.h"
#include "config/settings.h"
#include "historypanel.h"
#include "job/timeformat.h"
#include "jobdetailsdialog.h"
#include "jobformat.h"
#include "jobtablemodel.h"
#include "jobtableview.h"
#include "mainwindow.h"
#include "palettecolors.h"
#include "messagebar.h"
#include "queue/csvexport.h"
#include "queue/jobqueue.h"
#include "queuepanel.h"
#include "queuestatuswidget.h"
#include "simprocess.h"
#include "store/commitnotice.h"
#include "store/database.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <memory>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCheckBox>
#include <QComboBox>
#include <QScrollArea>
#include <QWheelEvent>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QTreeWidget>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScreen>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QTest>
#include <QToolButton>

namespace {

/// A window on a real SQLite store in a temporary directory, optionally running jobs against
/// the real simulator. Members are destroyed window first, then the queue, the simulator and
/// the directory.
struct Fixture
{
    QTemporaryDir dir;
    std::unique_ptr<SimProcess> sim;
    std::unique_ptr<Settings> settings;
    std::unique_ptr<JobQueue> queue;
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<JobStore> store; ///< the test's own connection, on the test thread
    std::unique_ptr<QAbstractItemModelTester> queueTester;
    std::unique_ptr<QAbstractItemModelTester> historyTester;
    std::unique_ptr<QAbstractItemModelTester> proxyTester;
    QString sourceOrigin; ///< WindowContext::sourceOrigin for the next start()

    ~Fixture()
    {
        historyTester.reset();
        proxyTester.reset();
        queueTester.reset();
        window.reset();
        store.reset();
        queue.reset();
    }

    QString dbUrl() const { return sqliteUrlIn(dir.path()); }

    /// The runner's retries: quick, so that faults end fast; a test may change it before start().
    RetryPolicy retry = [] {
        RetryPolicy policy;
        policy.initialBackoffMs = 10;
        policy.maxBackoffMs = 20;
        policy.maxRetries = 1;
        policy.timeoutMs = 5000;
        return policy;
    }();

    bool start(bool runJobs, const QStringList &simArgs = {}, const QString &instance = "test",
               bool demo = false, const QString &databaseUrl = {})
    {
        if (!dir.isValid())
            return false;
        QUrl source(QStringLiteral("http://127.0.0.1:9/"));
        if (runJobs) {
            sim = std::make_unique<SimProcess>(simArgs);
            QString why;
            if (!sim->start(&why)) {
                qWarning("%s", qPrintable(why));
                return false;
            }
            source = sim->baseUrl();
        }
        QString why;
        const std::optional<DatabaseUrl> url =
            DatabaseUrl::parse(databaseUrl.isEmpty() ? dbUrl() : databaseUrl, &why);
        if (!url)
            return false;
        JobQueue::Config cfg;
        cfg.runner.database = *url;
        cfg.runner.sourceUrl = source;
        cfg.runner.retry = retry;
        cfg.runner.pollIntervalMs = 200;
        cfg.runner.instance = instance;
        cfg.fetchTypes = {"prospect", "sales", "service", "inventory"};
        cfg.runJobs = runJobs;
        queue = std::make_unique<JobQueue>(cfg);
        queue->start();
        settings = std::make_unique<Settings>(dir.filePath(QStringLiteral("dealerq.ini")));

        WindowContext context;
        context.queue = queue.get();
        context.settings = settings.get();
        context.databaseDisplay = url->displayString();
        context.sourceDisplay = source.toString();
        context.demo = demo;
        context.sourceOrigin = sourceOrigin;
        context.apiAddress = QStringLiteral("127.0.0.1:8000");
        context.apiToken = QStringLiteral("secret-token");
        window = std::make_unique<MainWindow>(context);
        using Mode = QAbstractItemModelTester::FailureReportingMode;
        queueTester =
            std::make_unique<QAbstractItemModelTester>(window->queuePanel()->model(), Mode::QtTest);
        historyTester = std::make_unique<QAbstractItemModelTester>(window->historyPanel()->model(),
                                                                   Mode::QtTest);
        proxyTester = std::make_unique<QAbstractItemModelTester>(window->historyPanel()->proxy(),
                                                                 Mode::QtTest);
        window->resize(1300, 850);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return false;

        if (databaseUrl.isEmpty()) {
            store = std::make_unique<JobStore>(*url);
            StoreError error;
            if (!store->open(&error)) {
                qWarning("%s", qPrintable(error.message));
                return false;
            }
        }
        return true;
    }

    /// Queues jobs for `ids` straight into the store (another writer, as the API would be).
    QVector<qint64> addJobs(const QStringList &ids)
    {
        NewJob common;
        common.fetchType = QStringLiteral("prospect");
        common.fromMs = localDayBound(QDateTime::currentMSecsSinceEpoch(), TimeBound::Start);
        common.toMs = localDayBound(QDateTime::currentMSecsSinceEpoch(), TimeBound::End);
        StoreError error;
        const std::optional<BulkOutcome> outcome = store->addJobs(ids, common, &error);
        if (!outcome)
            qWarning("%s", qPrintable(error.message));
        queue->notifyChanged();
        return outcome ? outcome->jobIds : QVector<qint64>();
    }

    QStringList queuedDealers()
    {
        StoreError error;
        QStringList ids;
        for (const Job &job : store->queuedJobs(-1, &error).value_or(QVector<Job>()))
            ids << job.dealerId;
        return ids;
    }

    Job job(qint64 id)
    {
        StoreError error;
        return store->job(id, &error).value_or(Job());
    }

    QueuePanel *queuePanel() const { return window->queuePanel(); }
    HistoryPanel *history() const { return window->historyPanel(); }
    QString message() const { return window->messageBar()->text(); }
};

QStringList modelDealers(const QAbstractItemModel *model)
{
    QStringList ids;
    for (int row = 0; row < model->rowCount(); ++row)
        ids << model->index(row, JobTableModel::DealerColumn).data().toString();
    return ids;
}

int rowOfDealer(const QAbstractItemModel *model, const QString &dealer)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, JobTableModel::DealerColumn).data().toString() == dealer)
            return row;
    }
    return -1;
}

void clickRow(QTableView *view, int row, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    const QModelIndex index = view->model()->index(row, JobTableModel::DealerColumn);
    view->scrollTo(index);
    QTest::mouseClick(view->viewport(), Qt::LeftButton, modifiers,
                      view->visualRect(index).center());
}

template<typename T> T *activeModal()
{
    return qobject_cast<T *>(QApplication::activeModalWidget());
}

} // namespace

class TestMainWindow final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void altNumberBringsTabsForward();
    void addOneJobByTyping();
    void addBehindABigCommitSaysWhatItWaitsFor();
    void bulkPasteMixedList();
    void bulkPasteSplitCellAsks();
    void bulkPasteTenThousand();
    void pasteAndQueueShortcut();
    void cancelSeveralQueuedJobs();
    void moveAndRunNext();
    void retryFailedJobAndShowDetails();
    void retryingAndWaitingJobsSaySo();
    void clearCompletedAfterConfirming();
    void clearWhatTheFilterShows();
    void exportCsvAndReadBack();
    void refreshKeepsSelectionScrollAndSort();
    void statusLinePauseAndResume();
    void standbyNamesTheOtherInstance();
    void databaseUnreachable();
    void demoBannerAndApiToken();
    void settingsDialogWritesAndSaysRestart();
    void unusableSettingsAreNamedAtStart();
    void cancelTheRunningJob();
    void cancelQuestionOutlivesItsJob();
    void settingsSayWhatOverridesThem();
    void closeWhileRunningWaits();
    void closeWhileRunningQuitsNow();
    void messagesNeverMoveTheTables();
    void smallWindowShowsWhatMatters();
    void smallWindowGivesTheQueueRoom();
    void filtersShowTheirWholeItems();
    void lightAndDarkPalettesStayReadable();
    void addFormKeepsItsPlace();
    void settingsShowPlaceholdersAndSetColours();
    void detailsFitTheScreen();
    void historySortsTheWholeHistory();
};

namespace {

QtMessageHandler previousHandler = nullptr;

// The offscreen platform warns about every dialog it cannot size natively: noise here.
void dropPlatformNoise(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (text.contains(QLatin1String("propagateSizeHints")))
        return;
    previousHandler(type, context, text);
}

} // namespace

void TestMainWindow::initTestCase()
{
    previousHandler = qInstallMessageHandler(dropPlatformNoise);
}

void TestMainWindow::addOneJobByTyping()
{
    Fixture f;
    QVERIFY(f.start(false));
    auto *edit = f.window->findChild<QLineEdit *>(QStringLiteral("dealerIdEdit"));
    auto *reason = f.window->findChild<QLabel *>(QStringLiteral("dealerIdReason"));
    auto *add = f.window->findChild<QPushButton *>(QStringLiteral("addButton"));
    QVERIFY(edit && reason && add);
    QVERIFY(!add->isEnabled());

    // Checked as typed: the reason shows, Enter queues nothing.
    edit->setFocus();
    QTest::keyClicks(edit, QStringLiteral("bad id"));
    QVERIFY(reason->isVisible());
    QVERIFY2(reason->text().contains(QStringLiteral("space")), qPrintable(reason->text()));
    QVERIFY(!add->isEnabled());
    QTest::keyClick(edit, Qt::Key_Return);
    QTest::qWait(300);
    QCOMPARE(f.queuedDealers(), QStringList());

    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("00999"));
    QVERIFY(!reason->isVisible());
    QVERIFY(add->isEnabled());
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_COMPARE(f.queuePanel()->model()->rowCount(), 1);
    QCOMPARE(modelDealers(f.queuePanel()->model()), QStringList{"00999"});
    QCOMPARE(f.queuedDealers(), QStringList{"00999"});
    StoreError error;
    const Job job = f.store->queuedJobs(1, &error)->first();
    QCOMPARE(job.fetchType, QStringLiteral("prospect"));
    QCOMPARE(job.fromMs, localDayBound(QDateTime::currentMSecsSinceEpoch(), TimeBound::Start));
    QCOMPARE(job.toMs, localDayBound(QDateTime::currentMSecsSinceEpoch(), TimeBound::End));
    // Queued by this window's user on this host (SPEC §8).
    QCOMPARE(job.createdBy, Actor::window());
    QVERIFY2(QRegularExpression("^window:[^@:]+@.+$").match(job.createdBy).hasMatch(),
             qPrintable(job.createdBy));
    QVERIFY2(f.message().contains(QStringLiteral("Queued job %1").arg(job.id)),
             qPrintable(f.message()));
    QVERIFY(edit->text().isEmpty());

    // The same again is a duplicate: the window names the job that covers it.
    QTest::keyClicks(edit, QStringLiteral("00999"));
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_VERIFY2(f.message().contains(QStringLiteral("job %1 already covers").arg(job.id)),
                 qPrintable(f.message()));
    QCOMPARE(f.queuedDealers(), QStringList{"00999"});

    // Run next goes with one job: once it is queued the box is clear, so that the next routine
    // job does not jump the queue too.
    auto *runNext = f.window->findChild<QCheckBox *>(QStringLiteral("runNextCheck"));
    QVERIFY(runNext);
    edit->clear();
    runNext->setChecked(true);
    QTest::keyClicks(edit, QStringLiteral("00777"));
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_VERIFY2(f.message().contains(QStringLiteral("to run next")), qPrintable(f.message()));
    QCOMPARE(f.queuedDealers().value(0), QStringLiteral("00777"));
    QVERIFY(!runNext->isChecked());
    QTest::keyClicks(edit, QStringLiteral("00778"));
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_COMPARE(f.queuedDealers().size(), 3);
    QCOMPARE(f.queuedDealers().last(), QStringLiteral("00778"));
}

void TestMainWindow::bulkPasteSplitCellAsks()
{
    // A spreadsheet column of one ID per cell, one cell holding "12 34": spaces separate IDs,
    // so it would queue 12 and 34; the box points at the line and asks first.
    Fixture f;
    QVERIFY(f.start(false));
    auto *text = f.window->findChild<QPlainTextEdit *>(QStringLiteral("bulkText"));
    auto *warning = f.window->findChild<QLabel *>(QStringLiteral("bulkSplitWarning"));
    auto *button = f.window->findChild<QPushButton *>(QStringLiteral("bulkQueueButton"));
    f.window->bulkAddWidget()->pasteText(QStringLiteral("12284\n12 34\n00999\n"));
    QVERIFY(warning->isVisible());
    QVERIFY2(
        warning->text().contains(QStringLiteral("Line 2 (\"12 34\") splits into 2 dealer IDs")),
        qPrintable(warning->text()));
    // The line is marked in the text.
    bool marked = false;
    for (const QTextEdit::ExtraSelection &mark : text->extraSelections())
        marked = marked || (mark.cursor.blockNumber() == 1 &&
                            mark.format.property(QTextFormat::FullWidthSelection).toBool());
    QVERIFY(marked);

    // Enter on the question queues nothing: Cancel is the default.
    QTest::mouseClick(button, Qt::LeftButton);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = activeModal<QMessageBox>()) != nullptr);
    QCOMPARE(box->objectName(), QStringLiteral("splitConfirmation"));
    QVERIFY2(box->text().contains(QStringLiteral("Line 2 (\"12 34\") splits into 2 dealer IDs")),
             qPrintable(box->text()));
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(activeModal<QMessageBox>() == nullptr);
    QTest::qWait(200);
    QCOMPARE(f.queuedDealers(), QStringList());

    // Confirmed: queued apart, in the pasted order.
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_VERIFY((box = activeModal<QMessageBox>()) != nullptr);
    box->findChild<QPushButton *>(QStringLiteral("queueSplitButton"))->click();
    QTRY_COMPARE(f.queuedDealers(), (QStringList{"12284", "12", "34", "00999"}));

    // A list on one line, lines where most hold several, or IDs listed with commas,
    // semicolons or tabs are not split cells.
    f.window->bulkAddWidget()->pasteText(QStringLiteral("A1 A2 A3"));
    QVERIFY(!warning->isVisible());
    f.window->bulkAddWidget()->pasteText(QStringLiteral("A1 A2\nA3 A4\nA5"));
    QVERIFY(!warning->isVisible());
    f.window->bulkAddWidget()->pasteText(QStringLiteral("A1\nA2;A3\nA4\tA5\nA6"));
    QVERIFY(!warning->isVisible());
}

void TestMainWindow::addBehindABigCommitSaysWhatItWaitsFor()
{
    // A job of millions of records holds SQLite's write lock while it commits. Here the test
    // holds that lock itself, with the notice such a commit posts: the window's add waits for
    // it instead of failing, the message says what it waits for, and the job goes in once the
    // lock is free.
    Fixture f;
    QVERIFY(f.start(false));
    Database &db = f.store->database();
    if (!db.isSqlite())
        QSKIP("SQLite's one write lock");
    auto *edit = f.window->findChild<QLineEdit *>(QStringLiteral("dealerIdEdit"));
    QVERIFY(edit);
    QString why;
    QVERIFY2(db.exec(QStringLiteral("BEGIN IMMEDIATE"), &why), qPrintable(why));
    {
        const CommitNoticeGuard notice(CommitNotice::pathFor(db.url().path), 4242, 5000000);
        edit->setFocus();
        QTest::keyClicks(edit, QStringLiteral("00999"));
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(f.message().contains(QStringLiteral("Waiting for job 4242 to "
                                                                     "commit its ")),
                                 5000);
        QVERIFY2(f.message().contains(QStringLiteral("records")), qPrintable(f.message()));
        QCOMPARE(f.window->messageBar()->level(), MessageBar::Level::Info);
        QVERIFY2(db.exec(QStringLiteral("COMMIT"), &why), qPrintable(why));
    }
    QTRY_VERIFY_WITH_TIMEOUT(f.message().contains(QStringLiteral("Queued job")), 5000);
    QCOMPARE(f.queuedDealers(), QStringList{"00999"});
}

void TestMainWindow::bulkPasteMixedList()
{
    Fixture f;
    QVERIFY(f.start(false));
    auto *text = f.window->findChild<QPlainTextEdit *>(QStringLiteral("bulkText"));
    auto *counts = f.window->findChild<QLabel *>(QStringLiteral("bulkCounts"));
    auto *invalid = f.window->findChild<QLabel *>(QStringLiteral("bulkInvalid"));
    auto *button = f.window->findChild<QPushButton *>(QStringLiteral("bulkQueueButton"));
    QVERIFY(text && counts && invalid && button);

    // Typed, then pasted (a tab typed would move the focus on, as it should).
    QSignalSpy parsed(f.window->bulkAddWidget(), &BulkAddWidget::parsedChanged);
    text->setFocus();
    QTest::keyClicks(text, QStringLiteral("A1, A2;A3"));
    text->insertPlainText(QStringLiteral("\tbad!\r\nA2 A4 ;; 00042\n"));
    QCOMPARE(parsed.count(), 0);
    QVERIFY(parsed.wait(2000));
    QCOMPARE(counts->text(), QStringLiteral("5 valid · 1 duplicate · 1 invalid"));
    QVERIFY(invalid->isVisible());
    QVERIFY2(invalid->text().contains(QStringLiteral("bad!")), qPrintable(invalid->text()));
    // The invalid ID is underlined, the repeat struck out, in the text.
    QCOMPARE(text->extraSelections().size(), 2);
    QCOMPARE(text->extraSelections().at(0).cursor.selectedText(), QStringLiteral("bad!"));
    QCOMPARE(text->extraSelections().at(1).cursor.selectedText(), QStringLiteral("A2"));
    QVERIFY(text->extraSelections().at(1).format.fontStrikeOut());
    QCOMPARE(text->extraSelections().at(1).cursor.blockNumber(), 1);
    // Neither line is one ID, so neither is a split cell.
    QVERIFY(!f.window->findChild<QLabel *>(QStringLiteral("bulkSplitWarning"))->isVisible());
    QCOMPARE(button->text(), QStringLiteral("Queue 5 jobs"));

    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE(f.queuePanel()->model()->rowCount(), 5);
    const QStringList expected{"A1", "A2", "A3", "A4", "00042"};
    QCOMPARE(f.queuedDealers(), expected);
    QCOMPARE(modelDealers(f.queuePanel()->model()), expected);
    QVERIFY2(f.message().contains(QStringLiteral("Queued 5 jobs.")), qPrintable(f.message()));
    QVERIFY2(f.message().contains(QStringLiteral("1 invalid ID not queued")),
             qPrintable(f.message()));
    // The invalid ID stays behind to be corrected.
    QCOMPARE(text->toPlainText(), QStringLiteral("bad!"));

    // Already queued IDs are skipped and named.
    const qint64 a1 = f.store->queuedJobs(1, nullptr)->first().id;
    text->setPlainText(QStringLiteral("A5\nA1"));
    QTest::mouseClick(button, Qt::LeftButton);
    QTRY_COMPARE(f.queuePanel()->model()->rowCount(), 6);
    QVERIFY2(f.message().contains(QStringLiteral("Queued 1 job.")), qPrintable(f.message()));
    QVERIFY2(
        f.message().contains(QStringLiteral("Skipped 1 already queued (A1 as job %1)").arg(a1)),
        qPrintable(f.message()));
    QCOMPARE(f.queuedDealers(), expected + QStringList{"A5"});
}

void TestMainWindow::bulkPasteTenThousand()
{
    Fixture f;
    QVERIFY(f.start(false));
    QStringList ids;
    for (int i = 1; i <= 10000; ++i)
        ids << QStringLiteral("D%1").arg(i, 5, 10, QLatin1Char('0'));
    ids << QStringLiteral("D00001") << QStringLiteral("-bad");
    auto *text = f.window->findChild<QPlainTextEdit *>(QStringLiteral("bulkText"));
    auto *counts = f.window->findChild<QLabel *>(QStringLiteral("bulkCounts"));

    // Typing-speed changes are debounced: the text is checked once, after a pause.
    QSignalSpy parsed(f.window->bulkAddWidget(), &BulkAddWidget::parsedChanged);
    QElapsedTimer timer;
    timer.start();
    text->setPlainText(ids.join(QLatin1Char('\n')));
    const qint64 setMs = timer.elapsed();
    QCOMPARE(parsed.count(), 0);
    QVERIFY(parsed.wait(3000));
    QCOMPARE(parsed.count(), 1);
    QCOMPARE(counts->text(), QStringLiteral("10,000 valid · 1 duplicate · 1 invalid"));
    timer.restart();
    f.window->bulkAddWidget()->pasteText(text->toPlainText());
    const qint64 parseMs = timer.elapsed();
    qInfo("setting 10,002 IDs took %lld ms, checking them %lld ms", setMs, parseMs);

    f.window->bulkAddWidget()->queueAll();
    QTRY_COMPARE_WITH_TIMEOUT(f.queuePanel()->model()->total(), qint64(10000), 30000);
    QCOMPARE(f.queuePanel()->model()->rowCount(), QueuePanel::PageSize);
    auto *info = f.window->findChild<QLabel *>(QStringLiteral("queueInfo"));
    QCOMPARE(info->text(), QStringLiteral("1,000 of 10,000 loaded"));
    QCOMPARE(info->toolTip(), QStringLiteral("Scroll down to load more."));
    QCOMPARE(f.queuePanel()->model()->jobAt(0).dealerId, QStringLiteral("D00001"));
    QCOMPARE(f.queuePanel()->model()->jobAt(999).dealerId, QStringLiteral("D01000"));
    // Scrolling to the end loads the next page.
    f.queuePanel()->view()->scrollToBottom();
    QTRY_COMPARE(f.queuePanel()->model()->rowCount(), 2 * QueuePanel::PageSize);
    QCOMPARE(f.queuePanel()->model()->jobAt(1999).dealerId, QStringLiteral("D02000"));
}

void TestMainWindow::pasteAndQueueShortcut()
{
    Fixture f;
    QVERIFY(f.start(false));
    QApplication::clipboard()->setText(QStringLiteral("P1\nP2;P1"));
    f.window->activateWindow();
    QTest::keyClick(f.window.get(), Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
    auto *text = f.window->findChild<QPlainTextEdit *>(QStringLiteral("bulkText"));
    auto *counts = f.window->findChild<QLabel *>(QStringLiteral("bulkCounts"));
    auto *button = f.window->findChild<QPushButton *>(QStringLiteral("bulkQueueButton"));
    QCOMPARE(text->toPlainText(), QStringLiteral("P1\nP2;P1"));
    QCOMPARE(counts->text(), QStringLiteral("2 valid · 1 duplicate · 0 invalid"));
    QVERIFY(button->hasFocus());
    // Enter confirms.
    QTest::keyClick(button, Qt::Key_Return);
    QTRY_COMPARE(f.queuedDealers(), (QStringList{"P1", "P2"}));
    QTRY_VERIFY(text->toPlainText().isEmpty());
}

void TestMainWindow::cancelSeveralQueuedJobs()
{
    Fixture f;
    QVERIFY(f.start(false));
    const QVector<qint64> ids = f.addJobs({"C1", "C2", "C3", "C4", "C5"});
    QCOMPARE(ids.size(), 5);
    QueuePanel *panel = f.queuePanel();
    QTRY_COMPARE(panel->model()->rowCount(), 5);

    JobTableView *view = panel->view();
    clickRow(view, 1);
    clickRow(view, 3, Qt::ControlModifier);
    QCOMPARE(view->selectedJobIds(), (QVector<qint64>{ids[1], ids[3]}));
    QVERIFY(panel->cancelAction()->isEnabled());
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Delete);
    QTRY_COMPARE(panel->model()->rowCount(), 3);
    QCOMPARE(modelDealers(panel->model()), (QStringList{"C1", "C3", "C5"}));
    QCOMPARE(f.job(ids[1]).status, JobStatus::Cancelled);
    QCOMPARE(f.job(ids[3]).status, JobStatus::Cancelled);
    QCOMPARE(f.job(ids[0]).status, JobStatus::Queued);
    QVERIFY2(f.message().contains(QStringLiteral("Cancelled 2 jobs.")), qPrintable(f.message()));
    // They show in the history, as cancelled.
    QTRY_COMPARE(f.history()->model()->rowCount(), 2);
    QCOMPARE(f.history()->model()->index(0, JobTableModel::StatusColumn).data().toString(),
             QStringLiteral("Cancelled"));

    // The button does the same for one.
    clickRow(view, 0);
    panel->cancelAction()->trigger();
    QTRY_COMPARE(modelDealers(panel->model()), (QStringList{"C3", "C5"}));
}

void TestMainWindow::moveAndRunNext()
{
    Fixture f;
    QVERIFY(f.start(false));
    f.addJobs({"M1", "M2", "M3", "M4"});
    QueuePanel *panel = f.queuePanel();
    QTRY_COMPARE(panel->model()->rowCount(), 4);
    QSignalSpy resets(panel->model(), &QAbstractItemModel::modelReset);

    clickRow(panel->view(), 3);
    panel->runNextAction()->trigger();
    QTRY_COMPARE(f.queuedDealers(), (QStringList{"M4", "M1", "M2", "M3"}));
    QTRY_COMPARE(modelDealers(panel->model()), (QStringList{"M4", "M1", "M2", "M3"}));
    // The moved job stays selected.
    QCOMPARE(panel->view()->selectedJobIds().size(), 1);
    QCOMPARE(panel->model()->jobAt(0).id, panel->view()->selectedJobIds().first());

    clickRow(panel->view(), 2);
    panel->view()->setFocus();
    QTest::keyClick(panel->view(), Qt::Key_Down, Qt::ControlModifier); // Move down
    QTRY_COMPARE(f.queuedDealers(), (QStringList{"M4", "M1", "M3", "M2"}));
    QTRY_COMPARE(modelDealers(panel->model()), (QStringList{"M4", "M1", "M3", "M2"}));
    QCOMPARE(panel->model()->jobAt(3).id, panel->view()->selectedJobIds().value(0));
    panel->moveUpAction()->trigger();
    QTRY_COMPARE(f.queuedDealers(), (QStringList{"M4", "M1", "M2", "M3"}));
    QTRY_COMPARE(modelDealers(panel->model()), (QStringList{"M4", "M1", "M2", "M3"}));
    QCOMPARE(resets.count(), 0);
}

void TestMainWindow::retryFailedJobAndShowDetails()
{
    Fixture f;
    QVERIFY(f.start(true, {QStringLiteral("--fault"), QStringLiteral("404:BAD1")}));
    const QVector<qint64> ids = f.addJobs({"BAD1", "GOOD1"});
    HistoryPanel *history = f.history();
    QTRY_COMPARE_WITH_TIMEOUT(history->model()->rowCount(), 2, 15000);
    QAbstractItemModel *proxy = history->proxy();
    const int bad = rowOfDealer(proxy, QStringLiteral("BAD1"));
    QVERIFY(bad >= 0);
    QCOMPARE(proxy->index(bad, JobTableModel::StatusColumn).data().toString(),
             QStringLiteral("Failed"));
    QCOMPARE(f.job(ids[0]).error.category, ErrorCategory::NotFound);
    QCOMPARE(f.job(ids[1]).status, JobStatus::Completed);

    // Double-click opens the details: every field, the log, the error.
    clickRow(history->view(), bad);
    const QModelIndex badIndex = proxy->index(bad, JobTableModel::DealerColumn);
    QTest::mouseDClick(history->view()->viewport(), Qt::LeftButton, Qt::NoModifier,
                       history->view()->visualRect(badIndex).center());
    JobDetailsDialog *details = nullptr;
    QTRY_VERIFY((details = f.window->findChild<JobDetailsDialog *>()) != nullptr);
    QTRY_COMPARE(details->fieldText(QStringLiteral("status")), QStringLiteral("Failed"));
    QCOMPARE(details->fieldText(QStringLiteral("dealer_id")), QStringLiteral("BAD1"));
    QCOMPARE(details->fieldText(QStringLiteral("attempts")), QStringLiteral("1"));
    // The category in words an operator can act on, its name beside them for searching.
    QCOMPARE(details->fieldText(QStringLiteral("error.category")),
             QStringLiteral("Not found: the dealer API does not know this dealer or fetch type "
                            "(not_found)"));
    QCOMPARE(details->errorText(), f.job(ids[0]).error.message);
    QVERIFY(!details->errorText().isEmpty());
    QVERIFY2(details->logText().contains(QStringLiteral("attempt 1 started")),
             qPrintable(details->logText()));
    // Long log lines wrap instead of running off to the right.
    QCOMPARE(details->findChild<QPlainTextEdit *>(QStringLiteral("logText"))->lineWrapMode(),
             QPlainTextEdit::WidgetWidth);
    // Retry from the details: queued again, and the dialog shows it.
    auto *retry = details->findChild<QPushButton *>(QStringLiteral("retryButton"));
    QVERIFY(retry && retry->isEnabled());
    retry->click();
    QTRY_COMPARE_WITH_TIMEOUT(f.job(ids[0]).attempts, 2, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(f.job(ids[0]).status, JobStatus::Failed, 15000);
    details->reload();
    // (An earlier read may still come in showing the second attempt running: wait for the end.)
    QTRY_VERIFY(details->fieldText(QStringLiteral("attempts")) == QStringLiteral("2") &&
                details->fieldText(QStringLiteral("status")) == QStringLiteral("Failed"));
    // Both attempts are listed, each with how it ended; the retry's time is shown.
    auto *attempts = details->findChild<QTreeWidget *>(QStringLiteral("attemptsList"));
    QVERIFY(attempts);
    QCOMPARE(attempts->topLevelItemCount(), 2);
    for (int i = 0; i < 2; ++i) {
        QCOMPARE(attempts->topLevelItem(i)->text(0), QString::number(i + 1));
        QCOMPARE(attempts->topLevelItem(i)->text(3), QStringLiteral("Failed"));
        QVERIFY2(!attempts->topLevelItem(i)->text(4).isEmpty(),
                 qPrintable(attempts->topLevelItem(i)->text(4)));
    }
    QVERIFY(details->fieldText(QStringLiteral("requeued_at")) != QStringLiteral("—"));
    details->close();

    // Retry: queued again, runs again, fails again (the fault stays). The history has it back,
    // where it now sorts.
    f.window->refreshNow();
    QTRY_VERIFY(rowOfDealer(proxy, QStringLiteral("BAD1")) >= 0 &&
                f.history()->model()->rowCount() == 2);
    clickRow(history->view(), rowOfDealer(proxy, QStringLiteral("BAD1")));
    QVERIFY(history->retryAction()->isEnabled());
    QSignalSpy messages(history, &HistoryPanel::message);
    history->retryAction()->trigger();
    QTRY_COMPARE(messages.count(), 1);
    QCOMPARE(messages.first().first().toString(), QStringLiteral("Queued 1 job again."));
    QTRY_COMPARE_WITH_TIMEOUT(f.job(ids[0]).attempts, 3, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(f.job(ids[0]).status, JobStatus::Failed, 15000);
    StoreError error;
    const QVector<LogLine> log = f.store->jobLogs(ids[0], &error).value_or(QVector<LogLine>());
    QVERIFY(std::any_of(log.begin(), log.end(), [](const LogLine &line) {
        return line.message.contains(QStringLiteral("queued again by retry"));
    }));
    // A completed job cannot be retried: the action stays off for it.
    clickRow(history->view(), rowOfDealer(proxy, QStringLiteral("GOOD1")));
    QVERIFY(!history->retryAction()->isEnabled());
}

void TestMainWindow::clearCompletedAfterConfirming()
{
    Fixture f;
    QVERIFY(f.start(true));
    QSignalSpy batch(f.window.get(), &MainWindow::batchFinished);
    f.addJobs({"K1", "K2", "K3"});
    QTRY_COMPARE_WITH_TIMEOUT(f.history()->model()->rowCount(), 3, 15000);
    // The batch is reported when the queue runs empty.
    QTRY_COMPARE_WITH_TIMEOUT(batch.count(), 1, 10000);
    QCOMPARE(f.window->lastNotification(), QStringLiteral("3 jobs completed, 0 failed"));

    // Cancel first: nothing is removed.
    f.history()->clearAction()->trigger();
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = activeModal<QMessageBox>()) != nullptr);
    QCOMPARE(box->objectName(), QStringLiteral("clearConfirmation"));
    QVERIFY2(box->text().contains(QStringLiteral("Remove 3 finished jobs")),
             qPrintable(box->text()));
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(activeModal<QMessageBox>() == nullptr);
    QTest::qWait(200);
    QCOMPARE(f.store->historyCount(HistoryFilter{}, nullptr).value_or(-1), 3);

    // Enter never deletes: Cancel is the default button.
    f.history()->clearAction()->trigger();
    QTRY_VERIFY((box = activeModal<QMessageBox>()) != nullptr);
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(activeModal<QMessageBox>() == nullptr);
    QTest::qWait(200);
    QCOMPARE(f.store->historyCount(HistoryFilter{}, nullptr).value_or(-1), 3);

    // Confirm: the history is empty, in the store and in the window.
    f.history()->clearAction()->trigger();
    QTRY_VERIFY((box = activeModal<QMessageBox>()) != nullptr);
    auto *removeAll = box->findChild<QPushButton *>(QStringLiteral("removeAllButton"));
    QVERIFY(removeAll);
    QCOMPARE(removeAll->text(), QStringLiteral("Remove 3 jobs"));
    QVERIFY(!box->findChild<QPushButton *>(QStringLiteral("removeShownButton")));
    removeAll->click();
    QTRY_COMPARE(f.history()->model()->rowCount(), 0);
    QCOMPARE(f.store->historyCount(HistoryFilter{}, nullptr).value_or(-1), 0);
    QVERIFY2(f.message().contains(QStringLiteral("Removed 3 finished jobs")),
             qPrintable(f.message()));
    // Nothing left to clear: the action says so by being off.
    QTRY_VERIFY(!f.history()->clearAction()->isEnabled());
}

void TestMainWindow::clearWhatTheFilterShows()
{
    Fixture f;
    QVERIFY(f.start(false));
    // Two cancelled jobs and one completed in the history; the filter shows the cancelled ones.
    const QVector<qint64> ids = f.addJobs({"C1", "C2", "C3"});
    QVERIFY(f.store->cancelJob(ids[0], nullptr));
    QVERIFY(f.store->cancelJob(ids[1], nullptr));
    const std::optional<Job> running = f.store->claimNext(QStringLiteral("test"), nullptr);
    QVERIFY(running && running->id == ids[2]);
    JobResult result;
    QVERIFY(f.store->completeJob(*running, {}, {}, &result, nullptr));
    f.queue->notifyChanged();
    QTRY_COMPARE(f.history()->model()->rowCount(), 3);
    f.history()->setFilter({JobStatus::Cancelled}, {});
    QTRY_COMPARE(f.history()->model()->rowCount(), 2);

    f.history()->clearAction()->trigger();
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = activeModal<QMessageBox>()) != nullptr);
    QVERIFY2(box->text().contains(QStringLiteral("shows 2 finished jobs (cancelled)")),
             qPrintable(box->text()));
    QCOMPARE(box->defaultButton(), box->button(QMessageBox::Cancel));
    auto *removeShown = box->findChild<QPushButton *>(QStringLiteral("removeShownButton"));
    QVERIFY(removeShown);
    QCOMPARE(removeShown->text(), QStringLiteral("Remove 2 jobs shown"));
    QCOMPARE(box->findChild<QPushButton *>(QStringLiteral("removeAllButton"))->text(),
             QStringLiteral("Remove all 3 jobs"));
    removeShown->click();
    QTRY_COMPARE(f.history()->model()->rowCount(), 0);
    // Only what the filter showed is gone: the completed job stays.
    QCOMPARE(f.store->historyCount(HistoryFilter{}, nullptr).value_or(-1), 1);
    QCOMPARE(f.store->job(ids[2], nullptr)->status, JobStatus::Completed);
    QVERIFY(!f.store->job(ids[0], nullptr));
    QVERIFY2(f.message().contains(QStringLiteral("Removed 2 finished jobs")),
             qPrintable(f.message()));
}

void TestMainWindow::exportCsvAndReadBack()
{
    Fixture f;
    QVERIFY(f.start(false));
    const QVector<qint64> ids = f.addJobs({"E1", "E2", "E3"});
    QVERIFY(f.store->cancelJob(ids[0], nullptr));
    QVERIFY(f.store->cancelJob(ids[1], nullptr));
    f.queue->notifyChanged();
    QTRY_COMPARE(f.history()->model()->rowCount(), 2);

    const auto runExport = [&](QAction *action, const QString &path) -> QByteArrayList {
        QSignalSpy finished(f.history(), &HistoryPanel::exportFinished);
        action->trigger();
        QFileDialog *dialog = nullptr;
        [&] { QTRY_VERIFY((dialog = activeModal<QFileDialog>()) != nullptr); }();
        if (!dialog)
            return {};
        dialog->selectFile(path);
        static_cast<QDialog *>(dialog)->accept(); // QFileDialog::accept() is protected
        if (!finished.wait(10000))
            return {};
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly))
            return {};
        QByteArrayList lines = file.readAll().split('\n');
        if (!lines.isEmpty() && lines.last().isEmpty())
            lines.removeLast();
        return lines;
    };

    // Every job, oldest first.
    const QString all = f.dir.filePath(QStringLiteral("all.csv"));
    const QByteArrayList lines = runExport(f.history()->exportAction(), all);
    QCOMPARE(lines.size(), 4);
    QCOMPARE(lines.at(0) + '\n', Csv::header());
    QVERIFY(lines.at(1).startsWith(QByteArray::number(ids[0]) + ",E1,prospect,"));
    QVERIFY(lines.at(1).contains(",cancelled,"));
    QVERIFY(lines.at(3).startsWith(QByteArray::number(ids[2]) + ",E3,prospect,"));
    QVERIFY(lines.at(3).contains(",queued,"));
    QVERIFY2(f.message().contains(QStringLiteral("Exported 3 jobs")), qPrintable(f.message()));

    // The same jobs as a workbook for spreadsheets (its cells: tst_xlsxexport).
    const QString workbook = f.dir.filePath(QStringLiteral("all.xlsx"));
    const QByteArrayList xlsx = runExport(f.history()->exportXlsxAction(), workbook);
    QVERIFY(!xlsx.isEmpty() && xlsx.first().startsWith("PK"));
    QVERIFY2(f.message().contains(QStringLiteral("Exported 3 jobs")), qPrintable(f.message()));
    QVERIFY(f.window->menuBar()->actions().first()->menu()->actions().contains(
        f.history()->exportXlsxAction()));

    // Only what the filter shows.
    auto *statusFilter = f.window->findChild<QComboBox *>(QStringLiteral("historyStatusFilter"));
    auto *dealerFilter = f.window->findChild<QLineEdit *>(QStringLiteral("historyDealerFilter"));
    statusFilter->setCurrentIndex(statusFilter->findData(int(JobStatus::Cancelled)));
    QTest::keyClicks(dealerFilter, QStringLiteral("E2"));
    QTest::keyClick(dealerFilter, Qt::Key_Return);
    QTRY_COMPARE(modelDealers(f.history()->model()), QStringList{"E2"});
    const QString filtered = f.dir.filePath(QStringLiteral("filtered.csv"));
    const QByteArrayList some = runExport(f.history()->exportFilteredAction(), filtered);
    QCOMPARE(some.size(), 2);
    QCOMPARE(some.at(0) + '\n', Csv::header());
    QVERIFY(some.at(1).startsWith(QByteArray::number(ids[1]) + ",E2,prospect,"));
    const Job e2 = f.job(ids[1]);
    QCOMPARE(some.at(1) + '\n', Csv::row(e2, QDateTime::currentMSecsSinceEpoch()));
}

void TestMainWindow::refreshKeepsSelectionScrollAndSort()
{
    Fixture f;
    QVERIFY(f.start(false));
    QStringList many;
    for (int i = 1; i <= 300; ++i)
        many << QStringLiteral("S%1").arg(i, 3, 10, QLatin1Char('0'));
    const QVector<qint64> ids = f.addJobs(many);
    QueuePanel *panel = f.queuePanel();
    QTRY_COMPARE(panel->model()->rowCount(), 300);

    JobTableView *view = panel->view();
    clickRow(view, 150);
    view->scrollTo(view->model()->index(150, 0), QAbstractItemView::PositionAtTop);
    const int scroll = view->verticalScrollBar()->value();
    QVERIFY(scroll > 0);
    QCOMPARE(view->selectedJobIds(), QVector<qint64>{ids[150]});
    QSignalSpy resets(panel->model(), &QAbstractItemModel::modelReset);
    QSignalSpy layouts(panel->model(), &QAbstractItemModel::layoutChanged);

    // Changes below the view, then a periodic refresh.
    f.addJobs({"T1", "T2"});
    QVERIFY(f.store->cancelJob(ids[250], nullptr));
    QSignalSpy refreshed(f.window.get(), &MainWindow::refreshFinished);
    f.window->refreshNow();
    QTRY_COMPARE(panel->model()->rowCount(), 301);
    QCOMPARE(view->selectedJobIds(), QVector<qint64>{ids[150]});
    QCOMPARE(view->verticalScrollBar()->value(), scroll);
    QCOMPARE(view->currentJobId(), ids[150]);

    // A change above the selection: the selection follows its job.
    QVERIFY(f.store->cancelJob(ids[0], nullptr));
    f.queue->notifyChanged();
    QTRY_COMPARE(panel->model()->rowCount(), 300);
    QCOMPARE(view->selectedJobIds(), QVector<qint64>{ids[150]});
    QCOMPARE(view->selectionModel()->selectedRows().first().row(), 149);
    QVERIFY(view->verticalScrollBar()->value() >= scroll - 1);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(layouts.count(), 0);
    QVERIFY(refreshed.count() >= 1);

    // The history keeps the sort the operator chose across refreshes.
    JobTableView *historyView = f.history()->view();
    QTRY_COMPARE(f.history()->model()->rowCount(), 2);
    historyView->sortByColumn(JobTableModel::DealerColumn, Qt::AscendingOrder);
    QTRY_COMPARE(modelDealers(f.history()->proxy()), (QStringList{"S001", "S251"}));
    clickRow(historyView, 1);
    QVERIFY(f.store->cancelJob(ids[100], nullptr));
    f.queue->notifyChanged();
    QTRY_COMPARE(f.history()->model()->rowCount(), 3);
    QCOMPARE(modelDealers(f.history()->proxy()), (QStringList{"S001", "S101", "S251"}));
    QCOMPARE(historyView->horizontalHeader()->sortIndicatorSection(),
             int(JobTableModel::DealerColumn));
    QCOMPARE(historyView->selectedJobIds(), QVector<qint64>{ids[250]});
}

void TestMainWindow::statusLinePauseAndResume()
{
    Fixture f;
    QVERIFY(f.start(true));
    QueueStatusWidget *status = f.window->statusWidget();
    auto *pause = f.window->findChild<QPushButton *>(QStringLiteral("pauseButton"));
    auto *queued = f.window->findChild<QLabel *>(QStringLiteral("queuedLabel"));
    auto *today = f.window->findChild<QLabel *>(QStringLiteral("todayLabel"));
    QTRY_COMPARE(status->stateText(), QStringLiteral("Idle"));
    QTRY_VERIFY(pause->isEnabled());
    QCOMPARE(pause->text(), QStringLiteral("Pause"));

    QTest::mouseClick(pause, Qt::LeftButton);
    QTRY_COMPARE(status->stateText(), QStringLiteral("Paused"));
    QCOMPARE(pause->text(), QStringLiteral("Resume"));
    QCOMPARE(f.store->isPaused(nullptr).value_or(false), true);
    QTRY_COMPARE(f.queue->runnerState(), RunnerState::Paused);

    const QVector<qint64> ids = f.addJobs({"P1"});
    QTRY_COMPARE(queued->text(), QStringLiteral("Queued: <b>1</b>"));
    QTest::qWait(500);
    QCOMPARE(f.job(ids[0]).status, JobStatus::Queued);

    QTest::mouseClick(pause, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(f.job(ids[0]).status, JobStatus::Completed, 10000);
    QTRY_COMPARE(queued->text(), QStringLiteral("Queued: <b>0</b>"));
    QTRY_COMPARE(today->text(), QStringLiteral("Today: <b>1</b> run completed, <b>0</b> failed"));
    QTRY_COMPARE(status->stateText(), QStringLiteral("Idle"));
    QCOMPARE(pause->text(), QStringLiteral("Pause"));
}

void TestMainWindow::standbyNamesTheOtherInstance()
{
    Fixture f;
    QVERIFY(f.start(true, {}, QStringLiteral("beta")));
    QTRY_VERIFY(f.queue->runnerState() == RunnerState::Idle);

    // A second instance on the same database stands by and says who runs the jobs.
    JobQueue::Config cfg = f.queue->config();
    cfg.runner.instance = QStringLiteral("gamma");
    cfg.runner.sourceUrl = QUrl(QStringLiteral("http://elsewhere.invalid/api"));
    JobQueue second(cfg);
    second.start();
    WindowContext context;
    context.queue = &second;
    context.sourceDisplay = QStringLiteral("http://elsewhere.invalid/api");
    MainWindow window(context);
    window.show();
    QTRY_COMPARE_WITH_TIMEOUT(second.runnerState(), RunnerState::Standby, 5000);
    auto *banner = window.findChild<QLabel *>(QStringLiteral("runnerBanner"));
    QTRY_VERIFY(banner->isVisible());
    QVERIFY2(banner->text().contains(QStringLiteral("beta")), qPrintable(banner->text()));
    // The status bar names the source the jobs are really fetched from: beta's, not this
    // window's own.
    auto *where = window.findChild<QLabel *>(QStringLiteral("whereLabel"));
    const QString betaSource = f.sim->baseUrl().toString();
    QTRY_VERIFY2(where->toolTip().contains(QStringLiteral("%1 (jobs run by beta)").arg(betaSource)),
                 qPrintable(where->toolTip()));
    QVERIFY(!where->toolTip().contains(QStringLiteral("elsewhere.invalid")));

    // Jobs queued in the standby window run in the other instance.
    auto *edit = window.findChild<QLineEdit *>(QStringLiteral("dealerIdEdit"));
    QSignalSpy finished(f.queue.get(), &JobQueue::jobFinished);
    edit->setText(QStringLiteral("X1"));
    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY(finished.wait(10000));
    // The standby window sees the other instance's work at its next refresh.
    window.refreshNow();
    QTRY_COMPARE(window.historyPanel()->model()->rowCount(), 1);
    QCOMPARE(window.historyPanel()->model()->jobAt(0).status, JobStatus::Completed);
}

void TestMainWindow::databaseUnreachable()
{
    Fixture f;
    // A database "inside" a plain file can be neither created nor opened.
    QFile plainFile(f.dir.filePath(QStringLiteral("plain-file")));
    QVERIFY(plainFile.open(QIODevice::WriteOnly));
    plainFile.close();
    QVERIFY(f.start(false, {}, QStringLiteral("test"), false, sqliteUrlIn(plainFile.fileName())));
    QueueStatusWidget *status = f.window->statusWidget();
    QTRY_COMPARE(status->stateText(), QStringLiteral("Database unreachable"));
    auto *banner = f.window->findChild<QLabel *>(QStringLiteral("runnerBanner"));
    QVERIFY(banner->isVisible());
    QVERIFY(banner->text().startsWith(QStringLiteral("Database unreachable")));
    // The window keeps working: typing still answers, adding reports the failure inline.
    auto *edit = f.window->findChild<QLineEdit *>(QStringLiteral("dealerIdEdit"));
    QTest::keyClicks(edit, QStringLiteral("Z1"));
    QTest::keyClick(edit, Qt::Key_Return);
    QTRY_VERIFY2(f.message().startsWith(QStringLiteral("Could not queue the job")),
                 qPrintable(f.message()));
    QCOMPARE(f.window->messageBar()->level(), MessageBar::Level::Error);
    QVERIFY(activeModal<QWidget>() == nullptr);
}

void TestMainWindow::demoBannerAndApiToken()
{
    Fixture f;
    QVERIFY(f.start(false, {}, QStringLiteral("test"), true));
    auto *banner = f.window->findChild<QLabel *>(QStringLiteral("demoBanner"));
    QVERIFY(banner);
    QVERIFY(banner->isVisible());
    QVERIFY(banner->text().contains(QStringLiteral("demo simulator")));
    auto *token = f.window->findChild<QLineEdit *>(QStringLiteral("apiToken"));
    QVERIFY(token);
    QCOMPARE(token->echoMode(), QLineEdit::Password);
    QCOMPARE(token->text(), QStringLiteral("secret-token"));
    QApplication::clipboard()->clear();
    QTest::mouseClick(f.window->findChild<QToolButton *>(QStringLiteral("copyApiToken")),
                      Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), QStringLiteral("secret-token"));
    QVERIFY(!f.window->windowIcon().isNull());

    // --demo over a source saved in Settings: the banner says that source is not used.
    Fixture forced;
    forced.sourceOrigin = QStringLiteral("--demo");
    {
        Settings saved(forced.dir.filePath(QStringLiteral("dealerq.ini")));
        saved.setValue(Settings::Key::SourceUrl, QStringLiteral("https://dealers.example.com/v1"));
    }
    QVERIFY(forced.start(false, {}, QStringLiteral("test"), true));
    const QString forcedText =
        forced.window->findChild<QLabel *>(QStringLiteral("demoBanner"))->text();
    QVERIFY2(forcedText.contains(QStringLiteral("--demo")) &&
                 forcedText.contains(QStringLiteral("https://dealers.example.com/v1")) &&
                 !forcedText.contains(QStringLiteral("Set a data source")),
             qPrintable(forcedText));

    // No banner without demo.
    Fixture plain;
    QVERIFY(plain.start(false));
    QVERIFY(!plain.window->findChild<QLabel *>(QStringLiteral("demoBanner")));
}

void TestMainWindow::unusableSettingsAreNamedAtStart()
{
    // The command line exits 2 on such a file (tst_hostileinput); the window opens on the
    // defaults and says which values it could not use, and where.
    Fixture f;
    QFile file(f.dir.filePath(QStringLiteral("dealerq.ini")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[queue]\nmax_attempts=abc\n");
    file.close();
    QVERIFY(f.start(false));
    QCOMPARE(f.window->messageBar()->level(), MessageBar::Level::Warning);
    QVERIFY2(f.message().contains(QStringLiteral("queue/max_attempts")), qPrintable(f.message()));
    QVERIFY2(f.message().contains(QStringLiteral("dealerq.ini")), qPrintable(f.message()));

    // A source profile (SPEC §11) that cannot be used: named by its key.
    Fixture profile;
    QFile profileFile(profile.dir.filePath(QStringLiteral("dealerq.ini")));
    QVERIFY(profileFile.open(QIODevice::WriteOnly));
    profileFile.write("[profile]\npaging=cursor\nitems=data\n");
    profileFile.close();
    QVERIFY(profile.start(false));
    QCOMPARE(profile.window->messageBar()->level(), MessageBar::Level::Warning);
    QVERIFY2(profile.message().contains(QStringLiteral("[profile] items: \"data\" is not a JSON "
                                                       "pointer")) &&
                 profile.message().contains(QStringLiteral("[profile] next_cursor: missing")) &&
                 profile.message().contains(QStringLiteral("jobs fail until the source profile "
                                                           "is fixed in Settings")),
             qPrintable(profile.message()));

    Fixture clean;
    QVERIFY(clean.start(false));
    QVERIFY(!clean.message().contains(QStringLiteral("settings file")));
}

void TestMainWindow::settingsDialogWritesAndSaysRestart()
{
    Fixture f;
    QVERIFY(f.start(false));
    f.window->showSettings();
    QDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = activeModal<QDialog>()) != nullptr);
    QCOMPARE(dialog->objectName(), QStringLiteral("settingsDialog"));
    auto *source = dialog->findChild<QLineEdit *>(QStringLiteral("SourceUrl"));
    auto *token = dialog->findChild<QLineEdit *>(QStringLiteral("SourceToken"));
    auto *refresh = dialog->findChild<QSpinBox *>(QStringLiteral("RefreshIntervalS"));
    QVERIFY(source && token && refresh);
    QCOMPARE(token->echoMode(), QLineEdit::Password);

    // A bad URL keeps the dialog open and says why.
    source->setText(QStringLiteral("ftp://nowhere"));
    dialog->accept();
    QVERIFY(dialog->isVisible());
    auto *problems = dialog->findChild<QLabel *>(QStringLiteral("settingsProblems"));
    QVERIFY(problems->isVisible());
    QVERIFY(problems->text().contains(QStringLiteral("http")));

    source->setText(QStringLiteral("https://dealers.example.com/api"));
    refresh->setValue(2);
    dialog->accept();
    QTRY_VERIFY(activeModal<QDialog>() == nullptr);
    QCOMPARE(f.settings->sourceUrl(), QStringLiteral("https://dealers.example.com/api"));
    QCOMPARE(f.settings->refreshIntervalS(), 2);
    // A new source needs no restart: the runner takes it from the next job on.
    QVERIFY2(f.message().contains(QStringLiteral(
                 "Jobs fetch from https://dealers.example.com/api from the next job on")),
             qPrintable(f.message()));
    QVERIFY2(!f.message().contains(QStringLiteral("Restart")), qPrintable(f.message()));
    QCOMPARE(f.queue->config().runner.sourceUrl,
             QUrl(QStringLiteral("https://dealers.example.com/api")));
    QVERIFY(f.window->findChild<QLabel *>(QStringLiteral("whereLabel"))
                ->toolTip()
                .contains(QStringLiteral("Source: https://dealers.example.com/api")));

    // The new interval applies at once: refreshes follow every 2 s without any change.
    QSignalSpy refreshed(f.window.get(), &MainWindow::refreshFinished);
    QVERIFY(refreshed.wait(3500));

    // Geometry and columns are kept on close in the state file, apart from the settings file
    // that holds tokens.
    f.queuePanel()->view()->horizontalHeader()->resizeSection(JobTableModel::DealerColumn, 222);
    QVERIFY(f.window->close());
    QSettings file(f.settings->stateFilePath(), QSettings::IniFormat);
    QVERIFY(file.contains(QStringLiteral("window/geometry")));
    QVERIFY(file.contains(QStringLiteral("window/queue_columns")));
    QSettings settingsFile(f.settings->filePath(), QSettings::IniFormat);
    QVERIFY(!settingsFile.contains(QStringLiteral("window/geometry")));
    QVERIFY(settingsFile.contains(QStringLiteral("window/refresh_interval_s")));
    WindowContext context;
    context.queue = f.queue.get();
    context.settings = f.settings.get();
    MainWindow again(context);
    QCOMPARE(
        again.queuePanel()->view()->horizontalHeader()->sectionSize(JobTableModel::DealerColumn),
        222);
}

void TestMainWindow::cancelTheRunningJob()
{
    Fixture f;
    QVERIFY(f.start(true, {QStringLiteral("--latency-ms"), QStringLiteral("4000")}));
    const QVector<qint64> ids = f.addJobs({"R1"});
    auto *cancel = f.window->findChild<QPushButton *>(QStringLiteral("cancelCurrentButton"));
    auto *current = f.window->findChild<QLabel *>(QStringLiteral("currentJobLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(cancel->isVisible() && cancel->isEnabled(), 5000);
    QVERIFY2(current->text().contains(QStringLiteral("R1")), qPrintable(current->text()));
    // It asks first, and Enter keeps the job running.
    QTest::mouseClick(cancel, Qt::LeftButton);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = activeModal<QMessageBox>()) != nullptr);
    QCOMPARE(box->objectName(), QStringLiteral("cancelCurrentConfirmation"));
    QVERIFY2(box->text().contains(QStringLiteral("R1")), qPrintable(box->text()));
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(activeModal<QMessageBox>() == nullptr);
    QCOMPARE(f.job(ids[0]).status, JobStatus::Running);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QTRY_VERIFY((box = activeModal<QMessageBox>()) != nullptr);
    box->findChild<QPushButton *>(QStringLiteral("confirmCancelButton"))->click();
    // Aborted at once, not after the 4 s answer; nothing it fetched is kept.
    QTRY_COMPARE_WITH_TIMEOUT(f.job(ids[0]).status, JobStatus::Cancelled, 1500);
    QVERIFY(!f.job(ids[0]).result);
    QTRY_COMPARE(f.history()->model()->rowCount(), 1);
    QTRY_COMPARE(f.window->statusWidget()->stateText(), QStringLiteral("Idle"));
    QVERIFY(!cancel->isVisible());
}

void TestMainWindow::cancelQuestionOutlivesItsJob()
{
    // The question stays open while the job it names ends and the next one starts: its Cancel
    // Job button then cancels nothing (never the next job), and it says why.
    Fixture f;
    QVERIFY(f.start(true, {QStringLiteral("--latency-ms"), QStringLiteral("1500")}));
    const QVector<qint64> ids = f.addJobs({"E1", "E2"});
    auto *cancel = f.window->findChild<QPushButton *>(QStringLiteral("cancelCurrentButton"));
    QTRY_VERIFY_WITH_TIMEOUT(cancel->isVisible() && cancel->isEnabled(), 5000);
    QCOMPARE(f.job(ids[0]).status, JobStatus::Running);
    QTest::mouseClick(cancel, Qt::LeftButton);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = activeModal<QMessageBox>()) != nullptr);
    auto *confirm = box->findChild<QPushButton *>(QStringLiteral("confirmCancelButton"));
    QVERIFY(confirm->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(f.job(ids[1]).status, JobStatus::Running, 10000);
    QTRY_VERIFY2(box->text().contains(QStringLiteral("Job %1 has ended meanwhile").arg(ids[0])),
                 qPrintable(box->text()));
    QVERIFY(!confirm->isEnabled());
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(activeModal<QMessageBox>() == nullptr);
    QCOMPARE(f.job(ids[0]).status, JobStatus::Completed);
    QVERIFY(f.job(ids[1]).status != JobStatus::Cancelled);
}

void TestMainWindow::settingsSayWhatOverridesThem()
{
    // Started with --source and --api-token, the window's Settings showed the settings file's
    // empty URL and another token as if they were used: under each field now, what this run
    // uses instead and from where; a secret is never shown.
    Fixture f;
    QVERIFY(f.start(false));
    f.settings->setValue(Settings::Key::ApiToken, QStringLiteral("token-in-the-file"));
    WindowContext context;
    context.queue = f.queue.get();
    context.settings = f.settings.get();
    context.sourceDisplay = QStringLiteral("http://127.0.0.1:18711/");
    context.overridden.insert(Settings::Key::SourceUrl, {QStringLiteral("http://127.0.0.1:18711/"),
                                                         QStringLiteral("--source")});
    context.overridden.insert(Settings::Key::ApiToken, {{}, QStringLiteral("--api-token")});
    MainWindow window(context);
    window.show();
    window.showSettings();
    QDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = activeModal<QDialog>()) != nullptr);
    auto *url = dialog->findChild<QLabel *>(QStringLiteral("inEffect_SourceUrl"));
    QVERIFY(url);
    QCOMPARE(url->text(), QStringLiteral("Overridden in this run by --source:\n"
                                         "http://127.0.0.1:18711/"));
    QVERIFY(url->isVisible());
    auto *token = dialog->findChild<QLabel *>(QStringLiteral("inEffect_ApiToken"));
    QVERIFY(token);
    QCOMPARE(token->text(), QStringLiteral("Not used in this run: --api-token overrides it."));
    QVERIFY(!token->text().contains(QStringLiteral("token-in")));
    // The others are the settings in use: nothing under them.
    QVERIFY(!dialog->findChild<QLabel *>(QStringLiteral("inEffect_DatabaseUrl")));
    dialog->reject();
}

void TestMainWindow::closeWhileRunningWaits()
{
    Fixture f;
    QVERIFY(f.start(true, {QStringLiteral("--latency-ms"), QStringLiteral("2000")}));
    const QVector<qint64> ids = f.addJobs({"W1"});
    QTRY_COMPARE_WITH_TIMEOUT(f.queue->runnerState(), RunnerState::Running, 5000);
    QTRY_COMPARE(f.window->statusWidget()->stateText(), QStringLiteral("Processing"));

    QVERIFY(!f.window->close());
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = activeModal<QMessageBox>()) != nullptr);
    QCOMPARE(box, f.window->closeQuestion());
    QVERIFY2(box->text().contains(QStringLiteral("W1")), qPrintable(box->text()));
    box->findChild<QPushButton *>(QStringLiteral("waitButton"))->click();
    QTest::qWait(100);
    QVERIFY(f.window->isVisible());
    QVERIFY(f.window->isWaitingToClose());
    QCOMPARE(f.job(ids[0]).status, JobStatus::Running);
    // It closes by itself once the job is done, and the job completed.
    QTRY_VERIFY_WITH_TIMEOUT(!f.window->isVisible(), 15000);
    QCOMPARE(f.job(ids[0]).status, JobStatus::Completed);
}

void TestMainWindow::closeWhileRunningQuitsNow()
{
    Fixture f;
    QVERIFY(f.start(true, {QStringLiteral("--latency-ms"), QStringLiteral("2000")}));
    const QVector<qint64> ids = f.addJobs({"Q1"});
    QTRY_COMPARE_WITH_TIMEOUT(f.queue->runnerState(), RunnerState::Running, 5000);

    QVERIFY(!f.window->close());
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = activeModal<QMessageBox>()) != nullptr);
    box->findChild<QPushButton *>(QStringLiteral("quitNowButton"))->click();
    QTRY_VERIFY_WITH_TIMEOUT(!f.window->isVisible(), 1000);
    QCOMPARE(f.job(ids[0]).status, JobStatus::Running);
    // What main() does next: stop the queue; the job is rolled back and queued again.
    f.queue->stop();
    const Job job = f.job(ids[0]);
    QCOMPARE(job.status, JobStatus::Queued);
    QCOMPARE(job.attempts, 1);
    QVERIFY(!job.result);
}

void TestMainWindow::messagesNeverMoveTheTables()
{
    // Nothing that appears or expires on its own may move what is under the pointer: a message
    // after an action, its expiry, a long message, the runner's standing notice.
    Fixture f;
    QVERIFY(f.start(false));
    f.window->resize(1280, 800);
    QTest::qWait(0);
    const auto where = [&f] {
        return QVector<QPoint>{
            f.window->queuePanel()->view()->viewport()->mapTo(f.window.get(), QPoint()),
            f.window->historyPanel()->view()->viewport()->mapTo(f.window.get(), QPoint()),
        };
    };
    const auto settled = [] {
        QApplication::processEvents();
        QApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QApplication::processEvents();
    };
    settled();
    const QVector<QPoint> before = where();
    MessageBar *bar = f.window->messageBar();

    bar->showMessage(QStringLiteral("Cancelled 3 jobs."), MessageBar::Level::Info);
    settled();
    QVERIFY(bar->isVisible());
    QCOMPARE(where(), before);

    bar->expire();
    settled();
    QVERIFY(!bar->isVisible());
    QCOMPARE(where(), before);

    // A notice the operator did not ask for follows the message of their last action, never
    // replaces it ("Queued 2 jobs again." was gone within a second); a later notice replaces
    // the earlier one. Alone, it is shown as it is.
    bar->showMessage(QStringLiteral("Queued 2 jobs again."), MessageBar::Level::Info);
    bar->showNotice(QStringLiteral("Queue empty: 0 jobs completed, 2 failed."),
                    MessageBar::Level::Warning);
    QCOMPARE(bar->text(),
             QStringLiteral("Queued 2 jobs again. · Queue empty: 0 jobs completed, 2 failed."));
    QCOMPARE(bar->level(), MessageBar::Level::Warning);
    bar->showNotice(QStringLiteral("Queue empty: 1 job completed, 0 failed."));
    QCOMPARE(bar->text(),
             QStringLiteral("Queued 2 jobs again. · Queue empty: 1 job completed, 0 failed."));
    QCOMPARE(bar->level(), MessageBar::Level::Info);
    bar->clear();
    bar->showNotice(QStringLiteral("Queue empty: 1 job completed, 0 failed."));
    QCOMPARE(bar->text(), QStringLiteral("Queue empty: 1 job completed, 0 failed."));
    bar->expire();
    settled();
    QVERIFY(!bar->isVisible());

    // A message of many lines is cut to the bar, whole in its tooltip and text().
    QString longText;
    for (int i = 0; i < 40; ++i)
        longText +=
            QStringLiteral("Dealer %1 could not be queued: the window is too long. ").arg(i);
    bar->showMessage(longText, MessageBar::Level::Error);
    settled();
    QCOMPARE(where(), before);
    QCOMPARE(bar->text(), longText);
    auto *label = bar->findChild<QLabel *>(QStringLiteral("messageText"));
    QVERIFY(label->text().endsWith(QChar(0x2026)));
    QCOMPARE(label->toolTip(), longText);
    bar->clear();
    settled();
    QCOMPARE(where(), before);

    // The standing notice (here: the database unreachable) takes the same place.
    f.window->statusWidget()->noteStoreError({StoreError::Kind::ConnectionLost,
                                              QStringLiteral("the server closed the connection"),
                                              {},
                                              0});
    settled();
    auto *notice = f.window->findChild<QLabel *>(QStringLiteral("runnerBanner"));
    QVERIFY(notice->isVisible());
    QCOMPARE(where(), before);
    // A message goes before the notice, which comes back when the message expires.
    bar->showMessage(QStringLiteral("Queued job 7."), MessageBar::Level::Info);
    settled();
    QVERIFY(!notice->isVisible());
    QCOMPARE(where(), before);
    bar->expire();
    settled();
    QVERIFY(notice->isVisible());
    QCOMPARE(where(), before);

    // A paste's long line with nothing to break at (a URL, a run of IDs joined by a character
    // that is no separator) is one invalid "ID": its reason, and the warning that asks about a
    // split cell, wrap inside the panel instead of widening it over the queue.
    auto *text = f.window->findChild<QPlainTextEdit *>(QStringLiteral("bulkText"));
    QSignalSpy parsed(f.window->bulkAddWidget(), &BulkAddWidget::parsedChanged);
    text->setPlainText(QStringLiteral("https://dealers.example.com/") +
                       QString(300, QLatin1Char('x')));
    QVERIFY(parsed.wait(2000));
    settled();
    QVERIFY(f.window->findChild<QLabel *>(QStringLiteral("bulkInvalid"))->isVisible());
    QCOMPARE(where(), before);
    text->setPlainText(QStringLiteral("A1\nA2\nA3\nB1 ") + QString(300, QLatin1Char('9')));
    QVERIFY(parsed.wait(2000));
    settled();
    auto *split = f.window->findChild<QLabel *>(QStringLiteral("bulkSplitWarning"));
    QVERIFY(split->isVisible());
    QCOMPARE(where(), before);
    // Still wrapped to as many lines as it needs, not cut to one.
    QVERIFY2(split->height() >= 3 * split->fontMetrics().height(),
             qPrintable(QString::number(split->height())));
}

void TestMainWindow::smallWindowShowsWhatMatters()
{
    // At the default 1280 x 800 the history's errors can be read; at 1024 x 700 the status line
    // still shows how far the running job got.
    Fixture f;
    QVERIFY(f.start(true, {QStringLiteral("--latency-ms"), QStringLiteral("3000")}));
    f.window->resize(1280, 800);
    QTest::qWait(50);
    JobTableView *history = f.history()->view();
    QHeaderView *header = history->horizontalHeader();
    const int error = JobTableModel::ErrorColumn;
    QVERIFY(!history->isColumnHidden(error));
    QVERIFY2(header->sectionSize(error) >= 150,
             qPrintable(QString::number(header->sectionSize(error))));
    QVERIFY(header->sectionViewportPosition(error) + header->sectionSize(error) <=
            history->viewport()->width());

    f.window->resize(1024, 700);
    f.addJobs({"S1"});
    auto *current = f.window->findChild<QLabel *>(QStringLiteral("currentJobLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(current->text().contains(QStringLiteral("records")), 5000);
    QTest::qWait(50);
    QTextDocument document;
    document.setHtml(current->text());
    const QString plain = document.toPlainText();
    const QString needed = plain.left(plain.indexOf(QStringLiteral("records")) + 7);
    QVERIFY2(current->fontMetrics().horizontalAdvance(needed) <= current->width(),
             qPrintable(QStringLiteral("\"%1\" in %2 px").arg(needed).arg(current->width())));
    QVERIFY(f.window->findChild<QPushButton *>(QStringLiteral("cancelCurrentButton"))->isVisible());
    // What does not fit ends in "…", never cut mid-word ("2026-12-0"): the whole line is in the
    // tooltip, and what is shown fits the label.
    QVERIFY2(plain.endsWith(QChar(0x2026)), qPrintable(plain));
    QVERIFY2(current->toolTip().contains(QStringLiteral("dealer S1")),
             qPrintable(current->toolTip()));
    document.setDefaultFont(current->font());
    document.setDocumentMargin(0);
    QVERIFY2(document.idealWidth() <= current->contentsRect().width(),
             qPrintable(QStringLiteral("\"%1\" in %2 px").arg(plain).arg(current->width())));
    // Wider, the rest comes back whole.
    f.window->resize(1900, 800);
    QTRY_VERIFY2(current->text().contains(QStringLiteral("dealer <b>S1</b>")),
                 qPrintable(current->text()));
}

void TestMainWindow::retryingAndWaitingJobsSaySo()
{
    Fixture f;
    f.retry.initialBackoffMs = 4000; // long enough to be read
    f.retry.maxBackoffMs = 4000;
    f.retry.maxRetries = 1;
    f.retry.timeoutMs = 6000;
    QVERIFY(f.start(true, {"--records", "20", "--page-size", "10", "--fault", "500x1:R500",
                           "--fault", "hang:HUNG"}));
    auto *current = f.window->findChild<QLabel *>(QStringLiteral("currentJobLabel"));
    QVERIFY(current);
    StoreError error;
    NewJob job{"R500", "prospect", 1749686400000, 1749772799000, 0, false, "test"};
    const qint64 retried = f.store->addJob(job, &error)->job.id;
    f.queue->notifyChanged();
    // An HTTP 500: the line says which retry, after what, and when the next try is.
    QTRY_VERIFY_WITH_TIMEOUT(current->text().contains(QStringLiteral("retry 1 of 1 after HTTP "
                                                                     "500")),
                             10000);
    QVERIFY2(
        QRegularExpression(QStringLiteral("next in [1-4] s")).match(current->text()).hasMatch(),
        qPrintable(current->text()));
    QTRY_COMPARE_WITH_TIMEOUT(f.job(retried).status, JobStatus::Completed, 15000);

    // A hanging dealer API: after a couple of seconds the line says it waits, and for how long.
    job.dealerId = QStringLiteral("HUNG");
    const qint64 hung = f.store->addJob(job, &error)->job.id;
    f.queue->notifyChanged();
    QTRY_VERIFY_WITH_TIMEOUT(current->text().contains(QStringLiteral("Job %1").arg(hung)), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(current->text().contains(QStringLiteral("waiting for an answer")),
                             6000);
    QVERIFY2(QRegularExpression(QStringLiteral("waiting for an answer</b>, [2-6] s \\(timeout 6 "
                                               "s\\)"))
                 .match(current->text())
                 .hasMatch(),
             qPrintable(current->text()));
    // The same state is in the store, for the REST API and other windows.
    QTRY_VERIFY_WITH_TIMEOUT(f.job(hung).progress.has_value(), 3000);
    QCOMPARE(f.job(hung).progress->phase, JobPhase::Waiting);
}

void TestMainWindow::historySortsTheWholeHistory()
{
    // More finished jobs than two pages: a sort by a column orders every one of them in the
    // store, not only the rows loaded.
    Fixture f;
    QVERIFY(f.start(false));
    // Shown, as an operator has it. Whether the view asks for one more page at once (the last
    // loaded row counting as visible) differs between Qt versions; with two pages and one more
    // row, H0001 is never among the rows loaded either way.
    f.window->show();
    QVERIFY(QTest::qWaitForWindowExposed(f.window.get()));
    // The models' testers check every row on each change; every other test keeps them. On 2,001
    // rows Qt 6.8's testers took up to 200 s now and then (a refresh's checks outlasting the
    // refresh interval), which is their cost, not the window's.
    f.queueTester.reset();
    f.historyTester.reset();
    f.proxyTester.reset();
    const int jobs = 2 * HistoryPanel::PageSize + 1;
    QStringList many;
    for (int i = 1; i <= jobs; ++i)
        many << QStringLiteral("H%1").arg(i, 4, 10, QLatin1Char('0'));
    f.addJobs(many);
    QueuedFilter all;
    all.all = true;
    StoreError error;
    QVERIFY(f.store->cancelMatching(all, &error));
    f.queue->notifyChanged();
    HistoryPanel *history = f.history();
    // Newest first: cancelled together, so by job ID.
    QTRY_COMPARE(history->model()->total(), jobs);
    QTRY_VERIFY(history->model()->rowCount() >= HistoryPanel::PageSize);
    QVERIFY(history->model()->rowCount() < jobs);
    QCOMPARE(modelDealers(history->proxy()).first(), QStringLiteral("H2001"));
    QCOMPARE(rowOfDealer(history->proxy(), QStringLiteral("H0001")), -1);

    history->view()->sortByColumn(JobTableModel::DealerColumn, Qt::AscendingOrder);
    QTRY_COMPARE(modelDealers(history->proxy()).value(0), QStringLiteral("H0001"));
    QCOMPARE(modelDealers(history->proxy()).value(1), QStringLiteral("H0002"));
    QCOMPARE(history->model()->total(), jobs);
    history->view()->sortByColumn(JobTableModel::IdColumn, Qt::DescendingOrder);
    QTRY_COMPARE(modelDealers(history->proxy()).value(0), QStringLiteral("H2001"));
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"

void TestMainWindow::altNumberBringsTabsForward()
{
    // View > History … Dealers, Alt+1 to Alt+5 in the order of the tabs below the queue.
    Fixture f;
    QVERIFY(f.start(false));
    f.window->show();
    QVERIFY(QTest::qWaitForWindowActive(f.window.get()));
    auto *tabs = f.window->findChild<QTabWidget *>(QStringLiteral("lowerTabs"));
    QVERIFY(tabs);
    const QStringList panels{"historyPanel", "schedulesPanel", "auditPanel", "dashboardPanel",
                             "dealersPanel"};
    QCOMPARE(tabs->count(), panels.size());
    for (int i = panels.size() - 1; i >= 0; --i) {
        QTest::keyClick(f.window.get(), Qt::Key(Qt::Key_1 + i), Qt::AltModifier);
        QCOMPARE(tabs->currentWidget()->objectName(), panels.at(i));
        QVERIFY(f.window->findChild<QAction *>(panels.at(i) + "ViewAction"));
    }
}

void TestMainWindow::smallWindowGivesTheQueueRoom()
{
    // At 1024 x 700, with the demo banner, the queue shows enough rows to work with, not 4.
    Fixture f;
    QVERIFY(f.start(false, {}, QStringLiteral("test"), true));
    f.window->resize(1024, 700);
    QTest::qWait(50);
    QTableView *queue = f.queuePanel()->view();
    const int rows = queue->viewport()->height() / queue->verticalHeader()->defaultSectionSize();
    QVERIFY2(rows >= 8, qPrintable(QString::number(rows)));
    // The history below still shows a few (a double-click opens the rest).
    QTableView *history = f.history()->view();
    QVERIFY(history->viewport()->height() / history->verticalHeader()->defaultSectionSize() >= 4);
}

void TestMainWindow::filtersShowTheirWholeItems()
{
    // Every drop-down list shows its items whole: the history's Show filter read "Com…ted".
    Fixture f;
    QVERIFY(f.start(false));
    const QList<QComboBox *> boxes = f.window->findChildren<QComboBox *>();
    QVERIFY(boxes.size() >= 3);
    for (QComboBox *box : boxes) {
        if (!box->isVisibleTo(f.window.get()))
            continue;
        box->showPopup();
        QAbstractItemView *list = box->view();
        QTRY_VERIFY(list->isVisible());
        // Room for the popup's check column (20 px or more in every style), the icon and the
        // text.
        for (int row = 0; row < box->count(); ++row) {
            const int icon = box->itemIcon(row).isNull() ? 0 : box->iconSize().width();
            const int needed =
                list->fontMetrics().horizontalAdvance(box->itemText(row)) + icon + 2 * 20;
            QVERIFY2(needed <= list->viewport()->width(),
                     qPrintable(QStringLiteral("%1: \"%2\" needs %3 px, has %4")
                                    .arg(box->objectName(), box->itemText(row))
                                    .arg(needed)
                                    .arg(list->viewport()->width())));
        }
        box->hidePopup();
    }
}

namespace {

/// Contrast of the widget's own text on its own background.
double ownContrast(const QWidget *widget)
{
    const QPalette pal = widget->palette();
    return PaletteColors::contrast(pal.color(QPalette::WindowText), pal.color(QPalette::Window));
}

} // namespace

void TestMainWindow::lightAndDarkPalettesStayReadable()
{
    // With Fusion's light palette and a dark one ([window] palette = light / dark), every text
    // the window colours itself reads at WCAG's 4.5:1 at least: the demo banner, the message
    // bar at each level, the runner banner, the state and the status colours of the tables.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    Fixture f;
    QVERIFY(f.start(false, {}, QStringLiteral("test"), true));
    auto *banner = f.window->findChild<QLabel *>(QStringLiteral("demoBanner"));
    auto *runnerBanner = f.window->findChild<QLabel *>(QStringLiteral("runnerBanner"));
    auto *state = f.window->findChild<QLabel *>(QStringLiteral("stateLabel"));
    MessageBar *bar = f.window->messageBar();
    QVERIFY(banner && runnerBanner && state && bar);
    QTRY_VERIFY(!runnerBanner->text().isEmpty()); // no instance runs jobs here
    bar->showMessage(QStringLiteral("Queued 3 jobs."), MessageBar::Level::Info);

    for (const QString &choice : {QStringLiteral("light"), QStringLiteral("dark")}) {
        const bool dark = choice == QLatin1String("dark");
        f.settings->setValue(Settings::Key::WindowPalette, choice);
        QCOMPARE(PaletteColors::isDark(QApplication::palette()), dark);
        QCOMPARE(PaletteColors::isDark(f.window->palette()), dark);
        // The bar shown before the change follows it.
        QCOMPARE(bar->palette().color(QPalette::Window).lightnessF() < 0.5, dark);
        QCOMPARE(banner->palette().color(QPalette::Window).lightnessF() < 0.5, dark);
        const auto readable = [&](const QString &what, double ratio) {
            return qPrintable(
                QStringLiteral("%1 on the %2 palette: %3:1").arg(what, choice).arg(ratio));
        };
        QVERIFY2(ownContrast(banner) >= 4.5,
                 readable(QStringLiteral("demo banner"), ownContrast(banner)));
        QVERIFY2(ownContrast(runnerBanner) >= 4.5,
                 readable(QStringLiteral("runner banner"), ownContrast(runnerBanner)));
        for (MessageBar::Level level :
             {MessageBar::Level::Info, MessageBar::Level::Warning, MessageBar::Level::Error}) {
            bar->showMessage(QStringLiteral("Could not read the queue."), level);
            QVERIFY2(ownContrast(bar) >= 4.5,
                     readable(QStringLiteral("message bar %1").arg(int(level)), ownContrast(bar)));
        }
        QVERIFY2(ownContrast(state) >= 4.5, readable(QStringLiteral("state"), ownContrast(state)));
        const QPalette view = f.history()->view()->palette();
        for (JobStatus status :
             {JobStatus::Running, JobStatus::Completed, JobStatus::Failed, JobStatus::Cancelled}) {
            const QColor color = JobFormat::statusColor(status);
            for (QPalette::ColorRole role : {QPalette::Base, QPalette::AlternateBase}) {
                const double ratio = PaletteColors::contrast(color, view.color(role));
                QVERIFY2(ratio >= 4.5,
                         readable(QStringLiteral("status %1").arg(int(status)), ratio));
            }
        }
        const double muted =
            PaletteColors::contrast(PaletteColors::mutedColor(view), view.color(QPalette::Base));
        QVERIFY2(muted >= 4.5, readable(QStringLiteral("greyed schedule"), muted));
    }
    // Back to the desktop's (here Fusion's light) palette.
    f.settings->setValue(Settings::Key::WindowPalette, QStringLiteral("system"));
    QVERIFY(!PaletteColors::isDark(QApplication::palette()));
    QVERIFY(bar->palette().color(QPalette::Window).lightnessF() >= 0.5);
}

void TestMainWindow::addFormKeepsItsPlace()
{
    // The reason under Dealer ID comes and goes (while typing, after a click on Add): the
    // fields and the Add button below it stay where they are.
    Fixture f;
    QVERIFY(f.start(false));
    auto *edit = f.window->findChild<QLineEdit *>(QStringLiteral("dealerIdEdit"));
    auto *reason = f.window->findChild<QLabel *>(QStringLiteral("dealerIdReason"));
    auto *add = f.window->findChild<QPushButton *>(QStringLiteral("addButton"));
    QVERIFY(edit && reason && add);
    const auto where = [&] { return add->mapTo(f.window.get(), QPoint(0, 0)); };
    const QPoint before = where();
    edit->setFocus();
    QTest::keyClicks(edit, QStringLiteral("bad id"));
    QVERIFY(reason->isVisible());
    QApplication::processEvents();
    QCOMPARE(where(), before);
    edit->clear();
    QTest::keyClicks(edit, QStringLiteral("00999"));
    QVERIFY(!reason->isVisible());
    QApplication::processEvents();
    QCOMPARE(where(), before);
}

void TestMainWindow::settingsShowPlaceholdersAndSetColours()
{
    // Settings is wide enough for its own placeholders and low enough for a small screen; its
    // Colours apply at once, no restart.
    Fixture f;
    QVERIFY(f.start(false));
    f.window->showSettings();
    QDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = activeModal<QDialog>()) != nullptr);
    QTest::qWait(20);
    const QList<QLineEdit *> edits = dialog->findChildren<QLineEdit *>();
    for (const QLineEdit *edit : edits) {
        if (edit->placeholderText().isEmpty() || !edit->isVisible())
            continue;
        const int text = edit->fontMetrics().horizontalAdvance(edit->placeholderText());
        QVERIFY2(text <= edit->contentsRect().width() - 8,
                 qPrintable(QStringLiteral("%1: %2 px of placeholder in %3 px")
                                .arg(edit->objectName())
                                .arg(text)
                                .arg(edit->contentsRect().width())));
    }
    // It fits a 700 px screen under a panel: what does not fit scrolls, Save stays on screen.
    QVERIFY2(dialog->minimumSizeHint().height() <= 600,
             qPrintable(QString::number(dialog->minimumSizeHint().height())));
    QVERIFY(dialog->frameGeometry().height() <= dialog->screen()->availableGeometry().height());
    auto *colours = dialog->findChild<QComboBox *>(QStringLiteral("WindowPalette"));
    QVERIFY(colours);
    QCOMPARE(colours->currentData().toString(), QStringLiteral("system"));
    colours->setCurrentIndex(colours->findData(QStringLiteral("dark")));
    dialog->accept();
    QTRY_VERIFY(activeModal<QDialog>() == nullptr);
    QCOMPARE(f.settings->windowPalette(), QStringLiteral("dark"));
    QVERIFY(PaletteColors::isDark(f.window->palette()));
    QVERIFY2(f.message() == QStringLiteral("Settings saved and applied."), qPrintable(f.message()));
    f.settings->setValue(Settings::Key::WindowPalette, QStringLiteral("system"));
    QVERIFY(!PaletteColors::isDark(f.window->palette()));

    // Retention (SPEC §7) is there too: 0 reads "forever".
    QTRY_VERIFY(f.window->findChildren<QDialog *>().isEmpty()); // the first one is gone
    f.window->showSettings();
    QTRY_VERIFY((dialog = activeModal<QDialog>()) != nullptr);
    auto *keep = dialog->findChild<QSpinBox *>(QStringLiteral("KeepFinishedDays"));
    QVERIFY(keep);
    QCOMPARE(keep->value(), 0);
    QCOMPARE(keep->text(), QStringLiteral("forever"));
    keep->setValue(30);
    // Shorter than forever: asked first, Cancel the default; declined, nothing is saved.
    dialog->accept();
    QMessageBox *question = nullptr;
    QTRY_VERIFY((question = activeModal<QMessageBox>()) != nullptr);
    QCOMPARE(question->objectName(), QStringLiteral("retentionConfirmation"));
    QVERIFY2(question->text().startsWith(QStringLiteral("Keep finished jobs for 30 days?")),
             qPrintable(question->text()));
    QCOMPARE(question->defaultButton(), question->button(QMessageBox::Cancel));
    QTest::keyClick(question, Qt::Key_Return);
    QTRY_VERIFY(activeModal<QMessageBox>() == nullptr);
    QCOMPARE(f.settings->keepFinishedDays(), 0);
    QVERIFY(dialog->isVisible());
    dialog->accept();
    QTRY_VERIFY((question = activeModal<QMessageBox>()) != nullptr);
    question->button(QMessageBox::Yes)->click();
    QTRY_VERIFY(activeModal<QDialog>() == nullptr);
    QCOMPARE(f.settings->keepFinishedDays(), 30);

    // The wheel over a field the operator did not click into scrolls the page and changes
    // nothing (three notches made "forever" 3 days).
    QTRY_VERIFY(f.window->findChildren<QDialog *>().isEmpty());
    f.window->showSettings();
    QTRY_VERIFY((dialog = activeModal<QDialog>()) != nullptr);
    keep = dialog->findChild<QSpinBox *>(QStringLiteral("KeepFinishedDays"));
    auto *page = dialog->findChild<QScrollArea *>(QStringLiteral("settingsScroll"));
    QVERIFY(keep && page);
    QCOMPARE(keep->value(), 30);
    QVERIFY(!keep->hasFocus());
    page->verticalScrollBar()->setValue(page->verticalScrollBar()->minimum());
    const QPoint at = keep->rect().center();
    QWheelEvent wheel(QPointF(at), QPointF(keep->mapToGlobal(at)), QPoint(), QPoint(0, -120),
                      Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(keep, &wheel);
    QCOMPARE(keep->value(), 30);
    colours = dialog->findChild<QComboBox *>(QStringLiteral("WindowPalette"));
    const int colour = colours->currentIndex();
    QWheelEvent onColours(QPointF(colours->rect().center()),
                          QPointF(colours->mapToGlobal(colours->rect().center())), QPoint(),
                          QPoint(0, -120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QCoreApplication::sendEvent(colours, &onColours);
    QCOMPARE(colours->currentIndex(), colour);
    // Clicked into, it takes the wheel as before.
    keep->setFocus();
    QTRY_VERIFY(keep->hasFocus());
    QCoreApplication::sendEvent(keep, &wheel);
    QCOMPARE(keep->value(), 29);
    dialog->reject();
}

void TestMainWindow::detailsFitTheScreen()
{
    // A job's details open within the screen, their buttons on it (760 px tall, they ran off a
    // 700 px screen, Close and Retry below its edge).
    Fixture f;
    QVERIFY(f.start(false));
    const QVector<qint64> ids = f.addJobs({"D1"});
    QCOMPARE(ids.size(), 1);
    f.window->showJobDetails(ids.first());
    JobDetailsDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = f.window->findChild<JobDetailsDialog *>()) != nullptr);
    QTRY_VERIFY(dialog->isVisible());
    const QRect screen = dialog->screen()->availableGeometry();
    QVERIFY2(dialog->frameGeometry().height() <= screen.height(),
             qPrintable(QStringLiteral("%1 px on a %2 px screen")
                            .arg(dialog->frameGeometry().height())
                            .arg(screen.height())));
    // On a 700 px screen too, with a title bar and a panel: what does not fit scrolls.
    QVERIFY2(dialog->minimumSizeHint().height() <= 600,
             qPrintable(QString::number(dialog->minimumSizeHint().height())));
    QVERIFY(dialog->findChild<QPushButton *>(QStringLiteral("retryButton"))->isVisible());
    dialog->close();
}
