#include "config/settings.h"
#include "dealeridlistedit.h"
#include "jobformat.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "queue/jobqueue.h"
#include "schedule/cron.h"
#include "scheduledialog.h"
#include "scheduleformat.h"
#include "schedulespanel.h"
#include "scheduletablemodel.h"
#include "store/jobstore.h"
#include "store/schedulestore.h"
#include "testsupport.h"

#include <memory>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimeZone>

namespace {

const QStringList FetchTypes{"prospect", "sales", "service", "inventory"};

/// The window on a real SQLite store in a temporary directory, not running jobs (so that no
/// schedule fires by itself), with the Schedules tab forward; the test's own JobStore to seed
/// and check the store as another writer would. Destroyed window first, then the queue.
struct Fixture
{
    QTemporaryDir dir;
    std::unique_ptr<Settings> settings;
    std::unique_ptr<JobQueue> queue;
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<JobStore> store;
    std::unique_ptr<QAbstractItemModelTester> modelTester;
    std::unique_ptr<QAbstractItemModelTester> proxyTester;

    ~Fixture()
    {
        proxyTester.reset();
        modelTester.reset();
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
        JobQueue::Config cfg;
        cfg.runner.database = *url;
        cfg.runner.sourceUrl = QUrl(QStringLiteral("http://127.0.0.1:9/"));
        cfg.runner.instance = QStringLiteral("test");
        cfg.fetchTypes = FetchTypes;
        cfg.runJobs = false;
        queue = std::make_unique<JobQueue>(cfg);
        queue->start();
        settings = std::make_unique<Settings>(dir.filePath(QStringLiteral("dealerq.ini")));

        WindowContext context;
        context.queue = queue.get();
        context.settings = settings.get();
        context.databaseDisplay = url->displayString();
        context.sourceDisplay = cfg.runner.sourceUrl.toString();
        window = std::make_unique<MainWindow>(context);
        using Mode = QAbstractItemModelTester::FailureReportingMode;
        modelTester = std::make_unique<QAbstractItemModelTester>(panel()->model(), Mode::QtTest);
        proxyTester = std::make_unique<QAbstractItemModelTester>(panel()->proxy(), Mode::QtTest);
        window->resize(1300, 850);
        window->show();
        if (!QTest::qWaitForWindowExposed(window.get()))
            return false;
        store = std::make_unique<JobStore>(*url);
        StoreError error;
        if (!store->open(&error)) {
            qWarning("%s", qPrintable(error.message));
            return false;
        }
        window->findChild<QAction *>(QStringLiteral("showSchedulesAction"))->trigger();
        return true;
    }

    SchedulesPanel *panel() const { return window->schedulesPanel(); }
    QSortFilterProxyModel *proxy() const { return panel()->proxy(); }
    QString message() const { return window->messageBar()->text(); }

    /// Stores a schedule straight into the store (as the API or the command line would) and
    /// waits until the view shows it.
    Schedule seed(const QString &name, const QStringList &ids, const QStringList &types,
                  const QString &cron = QStringLiteral("0 2 * * *"), const QString &zone = {})
    {
        Schedule s;
        s.name = name;
        s.cron = cron;
        s.timezone = zone.isEmpty() ? ScheduleFormat::defaultZone() : zone;
        s.dealerIds = ids;
        s.fetchTypes = types;
        s.createdBy = QStringLiteral("cli:test@host");
        FieldError invalid;
        if (!validateSchedule(&s, FetchTypes, &invalid))
            qFatal("%s", qPrintable(invalid.message));
        ScheduleStore schedules(*store);
        StoreError error;
        const std::optional<Schedule> added =
            schedules.add(s, QDateTime::currentMSecsSinceEpoch(), &error);
        if (!added)
            qFatal("%s", qPrintable(error.message));
        const int before = panel()->model()->rowCount();
        panel()->refresh();
        if (!QTest::qWaitFor([&] { return panel()->model()->rowCount() > before; }))
            qWarning("the view did not show schedule %s", qPrintable(name));
        return *added;
    }

    std::optional<Schedule> stored(const QString &name)
    {
        ScheduleStore schedules(*store);
        StoreError error;
        return schedules.scheduleNamed(name, &error);
    }

    int storedCount()
    {
        ScheduleStore schedules(*store);
        StoreError error;
        return int(schedules.schedules(&error).value_or(QVector<Schedule>()).size());
    }

    QVector<Job> queuedJobs()
    {
        StoreError error;
        return store->queuedJobs(-1, &error).value_or(QVector<Job>());
    }

    /// The proxy row showing schedule `name`, or -1.
    int rowOf(const QString &name) const
    {
        for (int row = 0; row < proxy()->rowCount(); ++row) {
            if (cell(row, ScheduleTableModel::NameColumn) == name)
                return row;
        }
        return -1;
    }

    QString cell(int row, int column) const
    {
        return proxy()->index(row, column).data().toString();
    }

    /// Selects the row of `name` as a click would.
    void select(const QString &name) const
    {
        const int row = rowOf(name);
        QVERIFY(row >= 0);
        QTableView *view = panel()->view();
        view->setFocus();
        const QRect rect = view->visualRect(proxy()->index(row, 0));
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
        QCOMPARE(panel()->selectedId(),
                 proxy()->index(row, 0).data(ScheduleTableModel::ScheduleIdRole).toLongLong());
    }
};

template<typename T> T *child(QObject *parent, const char *name)
{
    auto *found = parent->findChild<T *>(QString::fromLatin1(name));
    if (!found)
        qWarning("no %s", name);
    return found;
}

/// What the dialog's next-fires list should say for `cron` in `zone` from now on.
QStringList expectedFires(const QString &cron, const QByteArray &zone)
{
    QStringList lines;
    const std::optional<CronExpression> parsed = CronExpression::parse(cron);
    const QTimeZone tz(zone);
    const bool local = ScheduleFormat::isLocalZone(QString::fromUtf8(zone));
    for (const QDateTime &fire : nextFireTimes(*parsed, tz, QDateTime::currentDateTimeUtc(), 5)) {
        const qint64 ms = fire.toMSecsSinceEpoch();
        QString line = QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("ddd ")) +
                       JobFormat::dateTime(ms);
        if (!local)
            line +=
                QStringLiteral(" (%1 %2)")
                    .arg(QDateTime::fromMSecsSinceEpoch(ms, tz).toString(QStringLiteral("HH:mm")),
                         QString::fromUtf8(zone));
        lines << line;
    }
    return lines;
}

/// A zone whose clock is not this machine's.
QByteArray otherZone()
{
    return ScheduleFormat::isLocalZone(QStringLiteral("Asia/Tokyo"))
               ? QByteArray("America/New_York")
               : QByteArray("Asia/Tokyo");
}

QByteArray localZone()
{
    return ScheduleFormat::defaultZone().toUtf8();
}

bool isRed(const QLabel *label)
{
    return label->palette().color(QPalette::WindowText) ==
           JobFormat::statusColor(JobStatus::Failed);
}

QtMessageHandler previousHandler = nullptr;

// The offscreen platform warns about every dialog it cannot size natively: noise here.
void dropPlatformNoise(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (text.contains(QLatin1String("propagateSizeHints")))
        return;
    previousHandler(type, context, text);
}

} // namespace

class TestSchedulesView final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sitsBesideTheHistory();
    void cronTypedUpdatesWordsAndFireTimes();
    void badCronNamesTheFieldAndDisablesOk();
    void pastedDealersAreCountedAndMarked();
    void addShowsTheRow();
    void editChangesTheSchedule();
    void disableAndEnable();
    void runNowQueuesJobs();
    void deleteAsksFirst();
    void takenNameShowsInTheDialog();
    void machineZoneOfTheCommandLineIsKnown();
};

void TestSchedulesView::initTestCase()
{
    previousHandler = qInstallMessageHandler(dropPlatformNoise);
}

void TestSchedulesView::sitsBesideTheHistory()
{
    // A tab beside the history, under the queue, which keeps its place.
    Fixture f;
    QVERIFY(f.start());
    auto *tabs = child<QTabWidget>(f.window.get(), "lowerTabs");
    QVERIFY(tabs);
    QCOMPARE(tabs->currentWidget(), f.panel());
    QCOMPARE(tabs->tabText(0), QStringLiteral("History"));
    QCOMPARE(tabs->tabText(1), QStringLiteral("Schedules"));
    QVERIFY(f.panel()->isVisible());
    QCOMPARE(f.panel()->model()->columnCount(), int(ScheduleTableModel::ColumnCount));
    QStringList headers;
    for (int column = 0; column < ScheduleTableModel::ColumnCount; ++column)
        headers << f.proxy()->headerData(column, Qt::Horizontal).toString();
    QCOMPARE(headers, (QStringList{"Name", "When", "Window", "Types", "Dealers", "Next fire",
                                   "Last fire", "State"}));
    QTRY_COMPARE(child<QLabel>(f.panel(), "scheduleInfo")->text(),
                 QStringLiteral("No schedules yet"));
    // With nothing selected, only Add acts.
    QVERIFY(f.panel()->addScheduleAction()->isEnabled());
    QVERIFY(!f.panel()->editScheduleAction()->isEnabled());
    QVERIFY(!f.panel()->runScheduleAction()->isEnabled());
    QVERIFY(!f.panel()->deleteScheduleAction()->isEnabled());

    // The actions on the selection act only while it is in sight; Add brings it forward.
    f.seed(QStringLiteral("one"), {"O1"}, {"prospect"});
    f.select(QStringLiteral("one"));
    QVERIFY(f.panel()->deleteScheduleAction()->isEnabled());
    tabs->setCurrentIndex(0);
    QVERIFY(!f.panel()->isVisible());
    QVERIFY(!f.panel()->deleteScheduleAction()->isEnabled());
    QVERIFY(!f.panel()->editScheduleAction()->isEnabled());
    f.panel()->addScheduleAction()->trigger();
    QCOMPARE(tabs->currentWidget(), f.panel());
    QVERIFY(f.panel()->deleteScheduleAction()->isEnabled());
    QPointer<ScheduleDialog> dialog = f.window->findChild<ScheduleDialog *>();
    QVERIFY(dialog && !dialog->isEditing());
    dialog->reject();
    QTRY_VERIFY(!dialog);
}

void TestSchedulesView::cronTypedUpdatesWordsAndFireTimes()
{
    Fixture f;
    QVERIFY(f.start());
    ScheduleDialog *dialog = f.panel()->addSchedule();
    QVERIFY(dialog);
    QTest::keyClicks(child<QLineEdit>(dialog, "scheduleName"), QStringLiteral("early"));
    child<DealerIdListEdit>(dialog, "scheduleDealers")->setText(QStringLiteral("E1"));
    auto *cron = child<QLineEdit>(dialog, "scheduleCron");
    auto *words = child<QLabel>(dialog, "scheduleCronWords");
    auto *fires = child<QLabel>(dialog, "scheduleNextFires");
    auto *zone = child<QComboBox>(dialog, "scheduleZone");
    QVERIFY(cron && words && fires && zone);
    // The machine's zone to begin with.
    QCOMPARE(zone->currentText(), ScheduleFormat::defaultZone());

    // Every keystroke counts: a field short is a cron still being typed, said quietly.
    cron->setFocus();
    QTest::keyClicks(cron, QStringLiteral("0 2 * *"));
    QVERIFY2(words->text().startsWith(QStringLiteral("expected 5 fields, got 4")),
             qPrintable(words->text()));
    QVERIFY(!isRed(words));
    QCOMPARE(fires->text(), QStringLiteral("—"));
    QTest::keyClicks(cron, QStringLiteral(" *"));
    QCOMPARE(words->text(), QStringLiteral("every day at 02:00"));
    QVERIFY(!isRed(words));
    QCOMPARE(fires->text().split(QLatin1Char('\n')),
             expectedFires(QStringLiteral("0 2 * * *"), localZone()));

    cron->selectAll();
    QTest::keyClicks(cron, QStringLiteral("*/15 * * * 1-5"));
    QCOMPARE(words->text(), QStringLiteral("every 15 minutes on Monday to Friday"));
    const QStringList lines = fires->text().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines, expectedFires(QStringLiteral("*/15 * * * 1-5"), localZone()));

    // Another zone: the times move, each with the zone's own clock beside it.
    cron->selectAll();
    QTest::keyClicks(cron, QStringLiteral("30 6 * * *"));
    zone->setEditText(QString::fromUtf8(otherZone()));
    QCOMPARE(fires->text().split(QLatin1Char('\n')),
             expectedFires(QStringLiteral("30 6 * * *"), otherZone()));
    QVERIFY2(fires->text().contains(QStringLiteral("(06:30 %1)").arg(otherZone())),
             qPrintable(fires->text()));
    // A zone that does not exist says so beside the box, and no times are listed.
    zone->setEditText(QStringLiteral("Europe/Atlantis"));
    QVERIFY(isRed(child<QLabel>(dialog, "scheduleZoneHint")));
    QCOMPARE(fires->text(), QStringLiteral("—"));
    QVERIFY2(dialog->problem().startsWith(QStringLiteral("Time zone:")),
             qPrintable(dialog->problem()));
    QVERIFY(!child<QPushButton>(dialog, "scheduleOk")->isEnabled());
    zone->setEditText(QString::fromUtf8(otherZone()));
    QCOMPARE(dialog->problem(), QString());
    QCOMPARE(dialog->schedule().timezone, QString::fromUtf8(otherZone()));
}

void TestSchedulesView::badCronNamesTheFieldAndDisablesOk()
{
    Fixture f;
    QVERIFY(f.start());
    QPointer<ScheduleDialog> dialog = f.panel()->addSchedule();
    auto *ok = child<QPushButton>(dialog, "scheduleOk");
    auto *reason = child<QLabel>(dialog, "scheduleReason");
    auto *words = child<QLabel>(dialog, "scheduleCronWords");
    auto *cron = child<QLineEdit>(dialog, "scheduleCron");
    // Empty: OK waits for a name first, and says so.
    QVERIFY(!ok->isEnabled());
    QCOMPARE(reason->text(), QStringLiteral("Name: a schedule needs a name"));

    QTest::keyClicks(child<QLineEdit>(dialog, "scheduleName"), QStringLiteral("nightly"));
    QTest::keyClicks(cron, QStringLiteral("0 2 * * *"));
    child<DealerIdListEdit>(dialog, "scheduleDealers")->setText(QStringLiteral("A1"));
    QVERIFY2(ok->isEnabled(), qPrintable(reason->text()));
    QCOMPARE(reason->text(), QString());

    // Hour 24: the field and the value named beside the cron, OK disabled with the reason.
    cron->selectAll();
    QTest::keyClicks(cron, QStringLiteral("0 24 * * *"));
    QCOMPARE(words->text(), QStringLiteral("hour: 24 is out of range 0-23"));
    QVERIFY(isRed(words));
    QVERIFY(!ok->isEnabled());
    QCOMPARE(reason->text(), QStringLiteral("Cron: hour: 24 is out of range 0-23"));
    QCOMPARE(child<QLabel>(dialog, "scheduleNextFires")->text(), QStringLiteral("—"));
    // No box pops up, and Enter in the field saves nothing.
    QCOMPARE(QApplication::activeModalWidget(), dialog.data());
    QTest::keyClick(cron, Qt::Key_Return);
    QTest::qWait(200);
    QVERIFY(dialog && dialog->isVisible());
    QCOMPARE(f.storedCount(), 0);

    // Other fields name themselves the same way.
    cron->selectAll();
    QTest::keyClicks(cron, QStringLiteral("0 2 * * mon-xyz"));
    QVERIFY(isRed(words));
    QVERIFY2(words->text().startsWith(QStringLiteral("day-of-week: ")), qPrintable(words->text()));
    QVERIFY(!ok->isEnabled());

    // Put right, OK comes back, and saves.
    cron->selectAll();
    QTest::keyClicks(cron, QStringLiteral("0 2 * * mon-fri"));
    QCOMPARE(words->text(), QStringLiteral("at 02:00 on Monday to Friday"));
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY(!dialog);
    QCOMPARE(f.stored(QStringLiteral("nightly"))->cron, QStringLiteral("0 2 * * mon-fri"));
}

void TestSchedulesView::pastedDealersAreCountedAndMarked()
{
    Fixture f;
    QVERIFY(f.start());
    ScheduleDialog *dialog = f.panel()->addSchedule();
    auto *list = child<DealerIdListEdit>(dialog, "scheduleDealers");
    auto *text = child<QPlainTextEdit>(dialog, "scheduleDealersText");
    auto *counts = child<QLabel>(dialog, "scheduleDealersCounts");
    auto *invalid = child<QLabel>(dialog, "scheduleDealersInvalid");
    auto *ok = child<QPushButton>(dialog, "scheduleOk");
    auto *reason = child<QLabel>(dialog, "scheduleReason");
    QVERIFY(list && text && counts && invalid && ok && reason);
    QTest::keyClicks(child<QLineEdit>(dialog, "scheduleName"), QStringLiteral("morning"));
    QTest::keyClicks(child<QLineEdit>(dialog, "scheduleCron"), QStringLiteral("0 6 * * *"));

    // The bulk box's separators — newlines, commas, semicolons, tabs, spaces — checked after a
    // pause in typing.
    QSignalSpy parsed(list, &DealerIdListEdit::parsedChanged);
    text->setFocus();
    text->insertPlainText(QStringLiteral("D1\nD2, D2;bad!\t D3\r\n00042"));
    QCOMPARE(parsed.count(), 0);
    QVERIFY(parsed.wait(2000));
    QCOMPARE(counts->text(), QStringLiteral("4 valid · 1 duplicate · 1 invalid"));
    QVERIFY(invalid->isVisible());
    QVERIFY2(invalid->text().contains(QStringLiteral("bad!")), qPrintable(invalid->text()));
    // The invalid ID underlined and the repeat struck out where they stand.
    const QList<QTextEdit::ExtraSelection> marks = text->extraSelections();
    QCOMPARE(marks.size(), 2);
    QCOMPARE(marks.at(0).cursor.selectedText(), QStringLiteral("D2"));
    QVERIFY(marks.at(0).format.fontStrikeOut());
    QCOMPARE(marks.at(1).cursor.selectedText(), QStringLiteral("bad!"));
    QCOMPARE(marks.at(1).format.underlineStyle(), QTextCharFormat::WaveUnderline);
    // An invalid ID refuses the schedule (SPEC §6): OK waits, and says why.
    QVERIFY(!ok->isEnabled());
    QVERIFY2(reason->text().startsWith(QStringLiteral("Dealers: ")) &&
                 reason->text().contains(QStringLiteral("bad!")),
             qPrintable(reason->text()));

    // Corrected: the valid ones are what is saved, repeats dropped, in the order given.
    text->selectAll();
    text->insertPlainText(QStringLiteral("D1\nD2, D2;D9\t D3\r\n00042"));
    QVERIFY(parsed.wait(2000));
    QCOMPARE(counts->text(), QStringLiteral("5 valid · 1 duplicate · 0 invalid"));
    QVERIFY(!invalid->isVisible());
    QVERIFY(ok->isEnabled());
    QCOMPARE(dialog->schedule().dealerIds, (QStringList{"D1", "D2", "D9", "D3", "00042"}));

    // A cell of two IDs among lines of one is pointed at; the IDs are kept apart.
    list->setText(QStringLiteral("12284\n12 34\n00999"));
    auto *split = child<QLabel>(dialog, "scheduleDealersSplitWarning");
    QVERIFY(split->isVisible());
    QVERIFY2(split->text().contains(QStringLiteral("Line 2 (\"12 34\") splits into 2")),
             qPrintable(split->text()));
    QCOMPARE(dialog->schedule().dealerIds, (QStringList{"12284", "12", "34", "00999"}));

    // None at all: a schedule needs one.
    list->setText(QString());
    QVERIFY(!ok->isEnabled());
    QVERIFY2(reason->text().startsWith(QStringLiteral("Dealers: ")), qPrintable(reason->text()));
}

void TestSchedulesView::addShowsTheRow()
{
    Fixture f;
    QVERIFY(f.start());
    QTRY_VERIFY(child<QLabel>(f.panel(), "scheduleInfo")->text() == "No schedules yet");
    f.panel()->addScheduleAction()->trigger();
    QPointer<ScheduleDialog> dialog;
    QTRY_VERIFY((dialog = f.window->findChild<ScheduleDialog *>()) != nullptr);
    QVERIFY(!dialog->isEditing());
    QCOMPARE(QApplication::activeModalWidget(), dialog.data());

    QTest::keyClicks(child<QLineEdit>(dialog, "scheduleName"), QStringLiteral("nightly"));
    QTest::keyClicks(child<QLineEdit>(dialog, "scheduleCron"), QStringLiteral("0 2 * * *"));
    // prospect is ticked to begin with; sales too.
    QVERIFY(child<QCheckBox>(dialog, "scheduleType_prospect")->isChecked());
    child<QCheckBox>(dialog, "scheduleType_sales")->setChecked(true);
    auto *window = child<QComboBox>(dialog, "scheduleWindow");
    auto *count = child<QSpinBox>(dialog, "scheduleWindowCount");
    auto *fallback = child<QSpinBox>(dialog, "scheduleFallbackDays");
    // N and the fallback only where they apply.
    QVERIFY(!count->isEnabled());
    QVERIFY(!fallback->isEnabled());
    window->setCurrentIndex(window->findText(QStringLiteral("Since last success")));
    QVERIFY(fallback->isEnabled());
    QVERIFY(!count->isEnabled());
    window->setCurrentIndex(window->findText(QStringLiteral("Last N days")));
    QVERIFY(count->isEnabled());
    QVERIFY(!fallback->isEnabled());
    count->setValue(7);
    QCOMPARE(child<QLabel>(dialog, "scheduleWindowHint")->text(),
             QStringLiteral("the 7 whole days before the fire day"));
    child<QSpinBox>(dialog, "schedulePriority")->setValue(5);
    auto *catchUp = child<QComboBox>(dialog, "scheduleCatchUp");
    catchUp->setCurrentIndex(catchUp->findData(int(CatchUp::Skip)));
    child<DealerIdListEdit>(dialog, "scheduleDealers")->setText(QStringLiteral("A1\nA2,A3"));
    auto *ok = child<QPushButton>(dialog, "scheduleOk");
    QCOMPARE(ok->text(), QStringLiteral("&Add Schedule"));
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY(!dialog);

    // In the store as given, by this window's operator.
    const std::optional<Schedule> stored = f.stored(QStringLiteral("nightly"));
    QVERIFY(stored);
    QCOMPARE(stored->cron, QStringLiteral("0 2 * * *"));
    QCOMPARE(stored->timezone, ScheduleFormat::defaultZone());
    QCOMPARE(stored->dealerIds, (QStringList{"A1", "A2", "A3"}));
    QCOMPARE(stored->fetchTypes, (QStringList{"prospect", "sales"}));
    QCOMPARE(stored->window, QStringLiteral("last_days:7"));
    QCOMPARE(stored->priority, 5);
    QCOMPARE(stored->catchUp, CatchUp::Skip);
    QVERIFY(stored->enabled);
    QVERIFY2(stored->createdBy.startsWith(QStringLiteral("window:")),
             qPrintable(stored->createdBy));

    // The row, selected, with its columns.
    QTRY_COMPARE(f.proxy()->rowCount(), 1);
    QTRY_COMPARE(f.panel()->selectedId(), stored->id);
    const qint64 next = upcomingSlots(*stored, QDateTime::currentMSecsSinceEpoch(), 1).first();
    QCOMPARE(f.cell(0, ScheduleTableModel::NameColumn), QStringLiteral("nightly"));
    QCOMPARE(f.cell(0, ScheduleTableModel::WhenColumn), QStringLiteral("every day at 02:00"));
    QCOMPARE(f.cell(0, ScheduleTableModel::WindowColumn), QStringLiteral("last 7 days"));
    QCOMPARE(f.cell(0, ScheduleTableModel::TypesColumn), QStringLiteral("prospect, sales"));
    QCOMPARE(f.cell(0, ScheduleTableModel::DealersColumn), QStringLiteral("3"));
    QCOMPARE(f.cell(0, ScheduleTableModel::NextFireColumn), JobFormat::dateTime(next));
    QCOMPARE(f.cell(0, ScheduleTableModel::LastFireColumn), QStringLiteral("—"));
    QCOMPARE(f.cell(0, ScheduleTableModel::StateColumn), QStringLiteral("Enabled"));
    QVERIFY2(f.message().startsWith(QStringLiteral("Added schedule \"nightly\": next fire %1")
                                        .arg(JobFormat::dateTime(next))),
             qPrintable(f.message()));
    QCOMPARE(child<QLabel>(f.panel(), "scheduleInfo")->text(),
             QStringLiteral("1 schedule, 1 enabled"));

    // A schedule in another zone says so; the rows sort by any column.
    f.seed(QStringLiteral("Asia early"), {"B1"}, {"inventory"}, QStringLiteral("0 1 * * *"));
    ScheduleStore schedules(*f.store);
    Schedule other = *f.stored(QStringLiteral("Asia early"));
    other.timezone = QString::fromUtf8(otherZone());
    QVERIFY(schedules.update(other, QDateTime::currentMSecsSinceEpoch(), nullptr));
    f.panel()->refresh();
    QTRY_VERIFY(f.cell(f.rowOf("Asia early"), ScheduleTableModel::WhenColumn)
                    .endsWith(QStringLiteral(" in ") + otherZone()));
    QCOMPARE(f.rowOf(QStringLiteral("Asia early")), 0); // by name
    f.panel()->view()->sortByColumn(ScheduleTableModel::DealersColumn, Qt::DescendingOrder);
    QCOMPARE(f.rowOf(QStringLiteral("nightly")), 0);
}

void TestSchedulesView::editChangesTheSchedule()
{
    Fixture f;
    QVERIFY(f.start());
    const Schedule seeded =
        f.seed(QStringLiteral("weekly"), {"W1", "W2"}, {"service"}, QStringLiteral("0 3 * * sun"));
    QTRY_COMPARE(f.cell(0, ScheduleTableModel::WhenColumn), QStringLiteral("at 03:00 on Sunday"));

    // Enter on the row edits it, the fields as stored.
    f.select(QStringLiteral("weekly"));
    QTest::keyClick(f.panel()->view(), Qt::Key_Return);
    QPointer<ScheduleDialog> dialog;
    QTRY_VERIFY((dialog = f.window->findChild<ScheduleDialog *>()) != nullptr);
    QVERIFY(dialog->isEditing());
    QCOMPARE(dialog->scheduleId(), seeded.id);
    QCOMPARE(dialog->windowTitle(), QStringLiteral("Edit Schedule — weekly"));
    auto *name = child<QLineEdit>(dialog, "scheduleName");
    auto *cron = child<QLineEdit>(dialog, "scheduleCron");
    QCOMPARE(name->text(), QStringLiteral("weekly"));
    QCOMPARE(cron->text(), QStringLiteral("0 3 * * sun"));
    QCOMPARE(child<QLabel>(dialog, "scheduleCronWords")->text(),
             QStringLiteral("at 03:00 on Sunday"));
    QCOMPARE(child<QPlainTextEdit>(dialog, "scheduleDealersText")->toPlainText(),
             QStringLiteral("W1\nW2"));
    QVERIFY(child<QCheckBox>(dialog, "scheduleType_service")->isChecked());
    QVERIFY(!child<QCheckBox>(dialog, "scheduleType_prospect")->isChecked());
    auto *ok = child<QPushButton>(dialog, "scheduleOk");
    QCOMPARE(ok->text(), QStringLiteral("&Save"));
    QVERIFY(ok->isEnabled());

    cron->selectAll();
    QTest::keyClicks(cron, QStringLiteral("30 6 * * 1-5"));
    child<DealerIdListEdit>(dialog, "scheduleDealers")->setText(QStringLiteral("W1\nW2\nW3"));
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY(!dialog);
    const std::optional<Schedule> stored = f.stored(QStringLiteral("weekly"));
    QCOMPARE(stored->id, seeded.id);
    QCOMPARE(stored->cron, QStringLiteral("30 6 * * 1-5"));
    QCOMPARE(stored->dealerIds, (QStringList{"W1", "W2", "W3"}));
    QCOMPARE(stored->fetchTypes, QStringList{"service"});
    QCOMPARE(f.storedCount(), 1);
    QTRY_COMPARE(f.cell(0, ScheduleTableModel::WhenColumn),
                 QStringLiteral("at 06:30 on Monday to Friday"));
    QCOMPARE(f.cell(0, ScheduleTableModel::DealersColumn), QStringLiteral("3"));
    QVERIFY2(f.message().startsWith(QStringLiteral("Saved schedule \"weekly\"")),
             qPrintable(f.message()));

    // A double-click edits too; Cancel changes nothing.
    QTableView *view = f.panel()->view();
    const QRect rect = view->visualRect(f.proxy()->index(0, ScheduleTableModel::NameColumn));
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QTRY_VERIFY((dialog = f.window->findChild<ScheduleDialog *>()) != nullptr);
    QVERIFY(dialog->isEditing());
    child<QLineEdit>(dialog, "scheduleName")->setText(QStringLiteral("renamed"));
    dialog->reject();
    QTRY_VERIFY(!dialog);
    QTest::qWait(200);
    QVERIFY(f.stored(QStringLiteral("weekly")));
}

void TestSchedulesView::disableAndEnable()
{
    Fixture f;
    QVERIFY(f.start());
    f.seed(QStringLiteral("hourly"), {"H1"}, {"inventory"}, QStringLiteral("0 * * * *"));
    f.select(QStringLiteral("hourly"));
    QAction *toggle = f.panel()->toggleScheduleAction();
    QCOMPARE(toggle->text(), QStringLiteral("D&isable"));
    QVERIFY(f.cell(0, ScheduleTableModel::NextFireColumn) != QStringLiteral("—"));

    toggle->trigger();
    QTRY_VERIFY(!f.stored(QStringLiteral("hourly"))->enabled);
    QTRY_COMPARE(f.cell(0, ScheduleTableModel::StateColumn), QStringLiteral("Disabled"));
    QCOMPARE(f.cell(0, ScheduleTableModel::NextFireColumn), QStringLiteral("—"));
    QVERIFY2(f.proxy()
                 ->index(0, ScheduleTableModel::NextFireColumn)
                 .data(Qt::ToolTipRole)
                 .toString()
                 .startsWith(QStringLiteral("Disabled")),
             "the tooltip says why there is no next fire");
    QCOMPARE(toggle->text(), QStringLiteral("&Enable"));
    QVERIFY2(f.message().startsWith(QStringLiteral("Disabled schedule \"hourly\"")),
             qPrintable(f.message()));
    QCOMPARE(child<QLabel>(f.panel(), "scheduleInfo")->text(),
             QStringLiteral("1 schedule, 0 enabled"));
    // Still selected after the refresh.
    QCOMPARE(f.panel()->selectedId(), f.stored(QStringLiteral("hourly"))->id);

    // Changed elsewhere while the panel shows it as it was: enabling it changes `enabled` alone.
    ScheduleStore schedules(*f.store);
    Schedule elsewhere = *f.stored(QStringLiteral("hourly"));
    elsewhere.cron = QStringLiteral("30 * * * *");
    QVERIFY(schedules.update(elsewhere, QDateTime::currentMSecsSinceEpoch(), nullptr));
    toggle->trigger();
    QTRY_VERIFY(f.stored(QStringLiteral("hourly"))->enabled);
    QCOMPARE(f.stored(QStringLiteral("hourly"))->cron, QStringLiteral("30 * * * *"));
    QTRY_COMPARE(f.cell(0, ScheduleTableModel::StateColumn), QStringLiteral("Enabled"));
    const std::optional<Schedule> enabled = f.stored(QStringLiteral("hourly"));
    QCOMPARE(f.cell(0, ScheduleTableModel::NextFireColumn),
             JobFormat::dateTime(
                 upcomingSlots(*enabled, QDateTime::currentMSecsSinceEpoch(), 1).first()));
    QCOMPARE(toggle->text(), QStringLiteral("D&isable"));
}

void TestSchedulesView::runNowQueuesJobs()
{
    Fixture f;
    QVERIFY(f.start());
    f.seed(QStringLiteral("morning"), {"M1", "M2"}, {"prospect", "sales"});
    f.select(QStringLiteral("morning"));
    QCOMPARE(f.cell(0, ScheduleTableModel::LastFireColumn), QStringLiteral("—"));

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    f.panel()->runScheduleAction()->trigger();
    QTRY_COMPARE(f.queuedJobs().size(), 4);
    QTRY_VERIFY2(f.message() == QStringLiteral("Queued 4 jobs for schedule \"morning\"."),
                 qPrintable(f.message()));
    // One job per dealer and type, in that order, by the schedule.
    QStringList jobs;
    for (const Job &job : f.queuedJobs()) {
        jobs << job.dealerId + QLatin1Char('/') + job.fetchType;
        QCOMPARE(job.createdBy, QStringLiteral("schedule:morning"));
    }
    QCOMPARE(jobs, (QStringList{"M1/prospect", "M1/sales", "M2/prospect", "M2/sales"}));
    // The last fire is now; the next is still the cron's.
    const std::optional<Schedule> stored = f.stored(QStringLiteral("morning"));
    QVERIFY(stored->lastFiredMs && *stored->lastFiredMs >= before);
    QTRY_COMPARE(f.cell(0, ScheduleTableModel::LastFireColumn),
                 JobFormat::dateTime(*stored->lastFiredMs));

    // Again: every job is queued already.
    f.panel()->runScheduleAction()->trigger();
    QTRY_VERIFY2(f.message() ==
                     QStringLiteral("Queued 0 jobs (4 already queued) for schedule \"morning\"."),
                 qPrintable(f.message()));
    QCOMPARE(f.queuedJobs().size(), 4);
}

void TestSchedulesView::deleteAsksFirst()
{
    Fixture f;
    QVERIFY(f.start());
    f.seed(QStringLiteral("keep"), {"K1"}, {"prospect"});
    f.seed(QStringLiteral("doomed"), {"X1", "X2"}, {"prospect"});
    f.select(QStringLiteral("doomed"));
    f.panel()->runScheduleAction()->trigger();
    QTRY_VERIFY(f.message().startsWith(QStringLiteral("Queued 2 jobs")));
    QCOMPARE(f.queuedJobs().size(), 2);

    // The Delete key asks, naming the schedule and saying its jobs stay; Enter is Cancel.
    QTableView *view = f.panel()->view();
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Delete);
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) != nullptr);
    QCOMPARE(box->objectName(), QStringLiteral("deleteScheduleConfirmation"));
    QVERIFY2(box->text().contains(QStringLiteral("Delete schedule \"doomed\"?")),
             qPrintable(box->text()));
    QVERIFY2(box->text().contains(QStringLiteral("jobs it has queued already stay")),
             qPrintable(box->text()));
    QTest::keyClick(box, Qt::Key_Return);
    QTRY_VERIFY(QApplication::activeModalWidget() == nullptr);
    QTest::qWait(200);
    QVERIFY(f.stored(QStringLiteral("doomed")));
    QCOMPARE(f.proxy()->rowCount(), 2);

    // Delete Schedule deletes it, and only it; its jobs stay queued.
    f.panel()->deleteScheduleAction()->trigger();
    QTRY_VERIFY((box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) != nullptr);
    child<QPushButton>(box, "deleteScheduleButton")->click();
    QTRY_COMPARE(f.proxy()->rowCount(), 1);
    QVERIFY(!f.stored(QStringLiteral("doomed")));
    QVERIFY(f.stored(QStringLiteral("keep")));
    QCOMPARE(f.cell(0, ScheduleTableModel::NameColumn), QStringLiteral("keep"));
    QCOMPARE(f.queuedJobs().size(), 2);
    QVERIFY2(f.message().startsWith(QStringLiteral("Deleted schedule \"doomed\"")),
             qPrintable(f.message()));
    // The selection moves on to the one left, which Delete would ask about by its own name.
    QCOMPARE(f.panel()->selectedId(), f.stored(QStringLiteral("keep"))->id);
}

void TestSchedulesView::takenNameShowsInTheDialog()
{
    Fixture f;
    QVERIFY(f.start());
    f.seed(QStringLiteral("nightly"), {"N1"}, {"prospect"});
    QPointer<ScheduleDialog> dialog = f.panel()->addSchedule();
    auto *name = child<QLineEdit>(dialog, "scheduleName");
    auto *hint = child<QLabel>(dialog, "scheduleNameHint");
    auto *ok = child<QPushButton>(dialog, "scheduleOk");
    auto *reason = child<QLabel>(dialog, "scheduleReason");
    QTest::keyClicks(name, QStringLiteral("nightly"));
    QTest::keyClicks(child<QLineEdit>(dialog, "scheduleCron"), QStringLiteral("0 4 * * *"));
    child<DealerIdListEdit>(dialog, "scheduleDealers")->setText(QStringLiteral("N2"));
    QVERIFY(ok->isEnabled());

    // The store refuses it (409): against the name, in the dialog, which stays open.
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY(isRed(hint));
    QVERIFY2(hint->text().startsWith(QStringLiteral("a schedule named \"nightly\" exists already")),
             qPrintable(hint->text()));
    QVERIFY2(reason->text().startsWith(QStringLiteral("Name: a schedule named \"nightly\"")),
             qPrintable(reason->text()));
    QVERIFY(dialog && dialog->isVisible());
    QVERIFY(!ok->isEnabled());
    QCOMPARE(QApplication::activeModalWidget(), dialog.data());
    QCOMPARE(name->text(), QStringLiteral("nightly"));
    QCOMPARE(f.storedCount(), 1);

    // Another field changed: still refused. The name changed: OK again, and saved.
    child<QSpinBox>(dialog, "schedulePriority")->setValue(3);
    QVERIFY(!ok->isEnabled());
    // The name is selected, ready to be typed over; End keeps it.
    QCOMPARE(name->selectedText(), QStringLiteral("nightly"));
    QTest::keyClick(name, Qt::Key_End);
    QTest::keyClicks(name, QStringLiteral("-early"));
    QVERIFY(!isRed(hint));
    QVERIFY(ok->isEnabled());
    QTest::mouseClick(ok, Qt::LeftButton);
    QTRY_VERIFY(!dialog);
    QCOMPARE(f.storedCount(), 2);
    const std::optional<Schedule> early = f.stored(QStringLiteral("nightly-early"));
    QVERIFY(early);
    QCOMPARE(early->priority, 3);
}

QTEST_MAIN(TestSchedulesView)
#include "tst_schedulesview.moc"

void TestSchedulesView::machineZoneOfTheCommandLineIsKnown()
{
    // --schedule-add without --timezone stores this machine's zone ID as the system names it,
    // which may be an alias the zone list lacks (Debian's Etc/UTC): the dialog knows it too.
    Fixture f;
    QVERIFY(f.start());
    const QString machine = QString::fromUtf8(QTimeZone::systemTimeZoneId());
    f.seed(QStringLiteral("cli-made"), {"C1"}, {"sales"}, QStringLiteral("0 2 * * *"), machine);
    f.select(QStringLiteral("cli-made"));
    QTest::keyClick(f.panel()->view(), Qt::Key_Return);
    QPointer<ScheduleDialog> dialog;
    QTRY_VERIFY((dialog = f.window->findChild<ScheduleDialog *>()) != nullptr);
    QCOMPARE(child<QComboBox>(dialog, "scheduleZone")->currentText(), machine);
    auto *hint = child<QLabel>(dialog, "scheduleZoneHint");
    QVERIFY2(!isRed(hint), qPrintable(hint->text()));
    QCOMPARE(child<QLabel>(dialog, "scheduleNextFires")->text().split(QLatin1Char('\n')).size(), 5);
    QVERIFY(child<QPushButton>(dialog, "scheduleOk")->isEnabled());
    dialog->reject();
}
