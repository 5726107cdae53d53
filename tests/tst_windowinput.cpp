#include "bulkaddwidget.h"
#include "config/settings.h"
#include "job/timeformat.h"
#include "mainwindow.h"
#include "messagebar.h"
#include "queue/jobqueue.h"
#include "store/database.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <memory>

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

// The rows run in a zone with daylight saving, so that the pickers meet a wall time the clocks
// show twice (2025-10-26 02:00-03:00) and one they skip (2025-03-30 02:00-03:00).
void useDaylightSavingZone()
{
    qputenv("TZ", "Europe/Berlin");
}
Q_CONSTRUCTOR_FUNCTION(useDaylightSavingZone)

const QStringList FetchTypes{"prospect", "sales", "service", "inventory"};

/// What the store holds: every job with the fields the add paths write, and every table of the
/// file with its row count (a dropped table or a stray row anywhere shows).
struct Snapshot
{
    QStringList jobs;
    QStringList dealers; ///< dealer IDs in job order
    QStringList tables;
};

/// A character an operator cannot see as itself in a message (a control other than the line
/// break, a bidirectional override, a zero-width or combining mark, a lone surrogate), named
/// with its position; empty when there is none.
QString hiddenCharacter(const QString &text)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            ++i;
            continue;
        }
        bool hidden = c.isSurrogate();
        switch (c.category()) {
        case QChar::Other_Control:
            hidden = c != u'\n';
            break;
        case QChar::Other_Format:
        case QChar::Mark_NonSpacing:
        case QChar::Mark_SpacingCombining:
        case QChar::Mark_Enclosing:
        case QChar::Separator_Line:
        case QChar::Separator_Paragraph:
            hidden = true;
            break;
        default:
            break;
        }
        if (hidden)
            return QStringLiteral("U+%1 at %2")
                .arg(uint(c.unicode()), 4, 16, QLatin1Char('0'))
                .arg(i);
    }
    return {};
}

/// The store after one row: the jobs before it untouched, exactly `expectAccepted` added, and
/// nothing else anywhere in the file when none was. `shown` is what the window said.
void verifyAdded(const Snapshot &before, const Snapshot &after, int expectAccepted,
                 const QString &shown)
{
    QCOMPARE(after.jobs.mid(0, before.jobs.size()), before.jobs);
    QVERIFY2(after.jobs.size() - before.jobs.size() == expectAccepted,
             qPrintable(u"%1 jobs added, %2 expected; the window says: %3"_s
                            .arg(after.jobs.size() - before.jobs.size())
                            .arg(expectAccepted)
                            .arg(shown)));
    if (expectAccepted == 0)
        QCOMPARE(after.tables, before.tables);
}

/// The window's message names every expected part and holds no character the operator
/// cannot see as itself.
void verifyMessage(const QString &shown, const QStringList &expectMessage)
{
    for (const QString &part : expectMessage)
        QVERIFY2(shown.contains(part), qPrintable(u"\"%1\" not in: %2"_s.arg(part, shown)));
    QVERIFY2(hiddenCharacter(shown).isEmpty(),
             qPrintable(hiddenCharacter(shown) + u" in: "_s + shown));
}

QDateTime local(int y, int m, int d, int h = 0, int min = 0, int s = 0)
{
    return QDateTime(QDate(y, m, d), QTime(h, min, s), Qt::LocalTime);
}

/// The Job Queue window on a real SQLite file, without a runner (queued jobs stay queued), and
/// the test's own connections to that file to see what the window wrote.
struct Window
{
    ~Window()
    {
        window.reset();
        store.reset();
        sql.reset();
        queue.reset();
    }

    bool start()
    {
        QString why;
        const std::optional<DatabaseUrl> parsed = DatabaseUrl::parse(sqliteUrlIn(dir.path()), &why);
        if (!dir.isValid() || !parsed) {
            qWarning("%s", qPrintable(why));
            return false;
        }
        url = *parsed;
        JobQueue::Config cfg;
        cfg.runner.database = url;
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
        context.databaseDisplay = url.displayString();
        window = std::make_unique<MainWindow>(context);
        window->resize(1300, 850);
        window->show();
        window->activateWindow();
        if (!QTest::qWaitForWindowActive(window.get()))
            return false;

        StoreError storeError;
        store = std::make_unique<JobStore>(url);
        if (!store->open(&storeError)) {
            qWarning("%s", qPrintable(storeError.message));
            return false;
        }
        sql = std::make_unique<Database>(url);
        if (!sql->open(&why)) {
            qWarning("%s", qPrintable(why));
            return false;
        }
        return true;
    }

    template<typename T> T *child(const char *name) const
    {
        return window->findChild<T *>(QLatin1String(name));
    }

    /// Returns once the store thread has done everything the window asked of it so far, and
    /// the answers are back in the window (both hops are first in, first out).
    bool settle()
    {
        auto done = std::make_shared<bool>(false);
        queue->readStatus(window.get(), 1, [done](QueueResult<QueueStatus>) { *done = true; });
        return QTest::qWaitFor([done] { return *done; }, 30000);
    }

    Snapshot snapshot()
    {
        Snapshot shot;
        StoreError error;
        const bool read = store->forEachJob(
            [&shot](const Job &job) {
                shot.jobs << QStringList{QString::number(job.id),
                                         job.dealerId,
                                         job.fetchType,
                                         QString::number(job.fromMs),
                                         QString::number(job.toMs),
                                         jobStatusName(job.status),
                                         QString::number(job.priority),
                                         QString::number(job.position),
                                         QString::number(job.attempts)}
                                 .join(QLatin1Char('|'));
                shot.dealers << job.dealerId;
                return true;
            },
            &error);
        if (!read)
            shot.jobs << QStringLiteral("cannot read the jobs: ") + error.message;
        QSqlQuery tables(sql->db());
        if (!tables.exec(QStringLiteral(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")))
            shot.tables << QStringLiteral("cannot list the tables");
        while (tables.next()) {
            const QString name = tables.value(0).toString();
            QSqlQuery count(sql->db());
            count.exec(QStringLiteral("SELECT COUNT(*) FROM \"%1\"").arg(name));
            shot.tables << QStringLiteral("%1 %2").arg(name).arg(
                count.next() ? count.value(0).toLongLong() : -1);
        }
        return shot;
    }

    /// Queues jobs straight into the store, with the window's defaults (the first type, today).
    bool addJobs(const QStringList &ids)
    {
        if (ids.isEmpty())
            return true;
        NewJob common;
        common.fetchType = FetchTypes.first();
        common.fromMs = localDayBound(QDateTime::currentMSecsSinceEpoch(), TimeBound::Start);
        common.toMs = localDayBound(QDateTime::currentMSecsSinceEpoch(), TimeBound::End);
        StoreError error;
        const std::optional<BulkOutcome> outcome = store->addJobs(ids, common, &error);
        queue->notifyChanged();
        return outcome && outcome->jobIds.size() == ids.size();
    }

    /// Everything the window shows about what the operator just did: the reason under the
    /// dealer ID field, the paste box's list of invalid IDs, the message bar.
    QString feedback() const
    {
        QStringList shown;
        for (const char *name : {"dealerIdReason", "bulkInvalid"}) {
            auto *label = child<QLabel>(name);
            if (label && label->isVisible())
                shown << label->text();
        }
        if (window->messageBar()->isVisible())
            shown << window->messageBar()->text();
        return shown.join(QLatin1Char('\n'));
    }

    /// Back to a fresh form: empty fields, the first type, today's window, no message.
    void reset()
    {
        child<QLineEdit>("dealerIdEdit")->clear();
        window->bulkAddWidget()->pasteText(QString());
        for (const char *name : {"fetchTypeCombo", "bulkTypeCombo"})
            child<QComboBox>(name)->setCurrentIndex(0);
        const QDate today = QDate::currentDate();
        for (const char *name : {"fromEdit", "bulkFromEdit"})
            child<QDateTimeEdit>(name)->setDateTime(QDateTime(today, QTime(0, 0, 0)));
        for (const char *name : {"toEdit", "bulkToEdit"})
            child<QDateTimeEdit>(name)->setDateTime(QDateTime(today, QTime(23, 59, 59)));
        window->messageBar()->clear();
        window->activateWindow();
    }

    QTemporaryDir dir;
    DatabaseUrl url;
    std::unique_ptr<JobQueue> queue;
    std::unique_ptr<Settings> settings;
    std::unique_ptr<MainWindow> window;
    std::unique_ptr<JobStore> store; ///< the test's own connection, on the test thread
    std::unique_ptr<Database> sql;   ///< the same file, for what JobStore does not show
};

/// Pastes `text` over the whole content of `widget` the way an operator does: select all,
/// then Ctrl+V from the clipboard.
void pasteOver(QWidget *widget, const QString &text)
{
    widget->setFocus();
    QTest::keyClick(widget, Qt::Key_A, Qt::ControlModifier);
    QApplication::clipboard()->setText(text);
    QTest::keyClick(widget, Qt::Key_V, Qt::ControlModifier);
}

} // namespace

class TestWindowInput final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void pasteBox_data();
    void pasteBox();
    void dealerIdField_data();
    void dealerIdField();
    void windowFields_data();
    void windowFields();
    void pasteBoxTakesHundredThousandAndOne();

private:
    /// The window is still usable after a row: a valid job added through the same entry
    /// point is queued, once.
    void addValidJobThroughPasteBox(Window &w);
    void addValidJobThroughForm();

    std::unique_ptr<Window> m_window;
    int m_usable = 0;
};

void TestWindowInput::initTestCase()
{
    // The zone took: summer time there is two hours ahead of UTC.
    QVERIFY2(local(2025, 7, 1).offsetFromUtc() == 7200, "no time zone data for Europe/Berlin");
    m_window = std::make_unique<Window>();
    QVERIFY(m_window->start());
    QVERIFY(m_window->settle());
}

void TestWindowInput::cleanupTestCase()
{
    m_window.reset();
}

void TestWindowInput::init()
{
    QVERIFY(m_window);
    m_window->reset();
    QVERIFY(m_window->settle());
}

void TestWindowInput::addValidJobThroughPasteBox(Window &w)
{
    w.reset();
    const QString id = QStringLiteral("OKB%1").arg(++m_usable);
    const Snapshot before = w.snapshot();
    QApplication::clipboard()->setText(id);
    QTest::keyClick(w.window.get(), Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
    auto *button = w.child<QPushButton>("bulkQueueButton");
    QVERIFY(button->isEnabled());
    QVERIFY(button->hasFocus());
    QTest::keyClick(button, Qt::Key_Return);
    QVERIFY(w.settle());
    const QString shown = w.feedback();
    QCOMPARE(w.snapshot().dealers, before.dealers + QStringList{id});
    QVERIFY2(shown.contains(QStringLiteral("Queued 1 job.")), qPrintable(shown));
}

void TestWindowInput::addValidJobThroughForm()
{
    Window &w = *m_window;
    w.reset();
    const QString id = QStringLiteral("OKF%1").arg(++m_usable);
    const Snapshot before = w.snapshot();
    auto *edit = w.child<QLineEdit>("dealerIdEdit");
    edit->setFocus();
    QTest::keyClicks(edit, id);
    QVERIFY(w.child<QPushButton>("addButton")->isEnabled());
    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY(w.settle());
    const QString shown = w.feedback();
    QCOMPARE(w.snapshot().dealers, before.dealers + QStringList{id});
    QVERIFY2(shown.contains(QStringLiteral("Queued job")), qPrintable(shown));
}

// The paste box ("paste a thousand dealer IDs"). SPEC §1: the list drops blanks and repeats;
// the box shows the invalid IDs and queues the valid ones only when the operator confirms.
// Each row is pasted with Ctrl+Shift+V (Paste IDs and Queue), checked against the store before
// the operator confirms, then confirmed (Enter on the Queue button, or Ctrl+Return in the box
// when the button is disabled).
void TestWindowInput::pasteBox_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("alreadyQueued");
    QTest::addColumn<QDateTime>("from"); ///< invalid: leave the picker at today
    QTest::addColumn<QDateTime>("to");
    QTest::addColumn<QString>("counts");
    QTest::addColumn<int>("expectAccepted");
    QTest::addColumn<QStringList>("expectQueued");
    QTest::addColumn<QString>("left"); ///< the box after confirming; null: as pasted
    QTest::addColumn<QStringList>("expectMessage");

    const auto row = [](const char *name, const QString &text, const QString &counts,
                        const QStringList &queued, const QString &left, const QStringList &message,
                        const QStringList &alreadyQueued = {}, const QDateTime &from = {},
                        const QDateTime &to = {}) {
        QTest::newRow(name) << text << alreadyQueued << from << to << counts << int(queued.size())
                            << queued << left << message;
    };
    const QString none = QStringLiteral("0 valid · 0 duplicate · 0 invalid");
    const QString nothing = QStringLiteral("Nothing to queue: paste some dealer IDs first.");
    const QString allInvalid = QStringLiteral("Nothing to queue: every ID is invalid.");
    const QString onlyLetters = QStringLiteral("use only letters A-Z a-z, digits, _ and -");
    const QString mustBegin = QStringLiteral("must begin with a letter or a digit");
    const QString unchanged; // null

    // Nothing to queue.
    row("empty clipboard", u""_s, none, {}, unchanged, {nothing});
    row("spaces and tabs only", u"   \t \t  "_s, none, {}, unchanged, {nothing});
    row("blank lines only", u"\r\n\n\r\n\n"_s, none, {}, unchanged, {nothing});
    row("separators only", u",;, ;\t,,;;\n,"_s, none, {}, unchanged, {nothing});

    // Characters that are not allowed or cannot be seen: named as code points, never shown raw.
    row("NUL inside an ID", u"B1"_s + QChar(0) + u"B2\nB3"_s,
        u"1 valid · 0 duplicate · 1 invalid"_s, {u"B3"_s}, u"B1"_s + QChar(0) + u"B2"_s,
        {u"\"B1<U+0000>B2\" contains a control character (U+0000)"_s, u"Queued 1 job."_s,
         u"1 invalid ID not queued: left in the box"_s});
    row("NUL only", QString(QChar(0)), u"0 valid · 0 duplicate · 1 invalid"_s, {}, unchanged,
        {u"U+0000"_s, allInvalid});
    row("escape sequence and bell", u"C1\x1b[31m\nC2\x07"_s, u"0 valid · 0 duplicate · 2 invalid"_s,
        {}, unchanged,
        {u"\"C1<U+001B>[31m\" contains a control character (U+001B)"_s, u"U+0007"_s, allInvalid});
    row("vertical tab and form feed inside", u"C3\vC4\nC5\fC6"_s,
        u"0 valid · 0 duplicate · 2 invalid"_s, {}, unchanged, {u"U+000B"_s, u"U+000C"_s});
    row("bidi override", u"\u202Eid1\nBD2"_s, u"1 valid · 0 duplicate · 1 invalid"_s, {u"BD2"_s},
        u"\u202Eid1"_s, {u"\"<U+202E>id1\" contains an invisible character (U+202E)"_s});
    row("bidi isolates", u"\u2066BI1\u2069"_s, u"0 valid · 0 duplicate · 1 invalid"_s, {},
        unchanged, {u"<U+2066>BI1<U+2069>"_s, allInvalid});
    row("zero-width space inside", u"Z\u200B1\nZ2"_s, u"1 valid · 0 duplicate · 1 invalid"_s,
        {u"Z2"_s}, u"Z\u200B1"_s, {u"\"Z<U+200B>1\" contains an invisible character"_s});
    row("zero-width space alone", u"\u200B"_s, u"0 valid · 0 duplicate · 1 invalid"_s, {},
        unchanged, {u"\"<U+200B>\""_s, allInvalid});
    row("byte-order mark before the first ID", u"\uFEFFF1\nF2"_s,
        u"1 valid · 0 duplicate · 1 invalid"_s, {u"F2"_s}, u"\uFEFFF1"_s, {u"U+FEFF"_s});
    row("emoji", u"E1\U0001F600\n\U0001F697"_s, u"0 valid · 0 duplicate · 2 invalid"_s, {},
        unchanged, {u"(U+1F600)"_s, u"(U+1F697)"_s, allInvalid});
    row("combining marks", u"Ce\u0301\nC\u0308\u0308\u0308"_s,
        u"0 valid · 0 duplicate · 2 invalid"_s, {}, unchanged,
        {u"\"Ce<U+0301>\" contains an invisible character (U+0301)"_s, u"U+0308"_s});
    row("fullwidth digits", u"\uFF11\uFF12\uFF13"_s, u"0 valid · 0 duplicate · 1 invalid"_s, {},
        unchanged, {u"(U+FF11)"_s, onlyLetters});
    row("Cyrillic look-alikes", u"\u0410\u04121\nAB1"_s, u"1 valid · 0 duplicate · 1 invalid"_s,
        {u"AB1"_s}, u"\u0410\u04121"_s, {u"(U+0410)"_s});
    row("lone surrogates", u"S1"_s + QChar(0xD800) + u"\n"_s + QChar(0xDC00) + u"S2\nS3"_s,
        u"1 valid · 0 duplicate · 2 invalid"_s, {u"S3"_s},
        u"S1"_s + QChar(0xD800) + u"\n"_s + QChar(0xDC00) + u"S2"_s, {onlyLetters});

    // Length.
    row("33 characters", QString(33, u'L'), u"0 valid · 0 duplicate · 1 invalid"_s, {}, unchanged,
        {u"is 33 characters long; at most 32 are allowed"_s, allInvalid});
    row("32 characters", QString(32, u'M'), u"1 valid · 0 duplicate · 0 invalid"_s,
        {QString(32, u'M')}, u""_s, {u"Queued 1 job."_s});
    row("1 MB line, one ID", QString(1 << 20, u'X'), u"0 valid · 0 duplicate · 1 invalid"_s, {},
        unchanged, {u"is 1048576 characters long; at most 32 are allowed"_s, allInvalid});
    row("1 MB comma-separated line of one ID", u"MB1,"_s.repeated(1 << 18),
        u"1 valid · 1 duplicate · 0 invalid"_s, {u"MB1"_s}, u""_s, {u"Queued 1 job."_s});
    {
        QStringList bad;
        for (int i = 1; i <= 100001; ++i)
            bad << QStringLiteral("-x%1").arg(i);
        row("100,001 invalid IDs", bad.join(u'\n'), u"0 valid · 0 duplicate · 100,001 invalid"_s,
            {}, unchanged,
            {u"\"-x1\" must begin with a letter or a digit"_s,
             u"… and 99,996 more, underlined in the text"_s, allInvalid});
    }
    row("100,001 lines of one ID", u"H1\n"_s.repeated(100001),
        u"1 valid · 1 duplicate · 0 invalid"_s, {u"H1"_s}, u""_s, {u"Queued 1 job."_s});

    // Fragments of other languages: split on the separators like any text, never interpreted.
    row("SQL: DROP TABLE", u"'; DROP TABLE jobs;--"_s, u"3 valid · 0 duplicate · 2 invalid"_s,
        {u"DROP"_s, u"TABLE"_s, u"jobs"_s}, u"'\n--"_s,
        {u"\"'\" contains \"'\" (U+0027)"_s, u"\"--\" must begin with a letter or a digit"_s,
         u"Queued 3 jobs."_s, u"2 invalid IDs not queued"_s});
    row("SQL: 1 OR 1=1", u"1 OR 1=1"_s, u"2 valid · 0 duplicate · 1 invalid"_s, {u"1"_s, u"OR"_s},
        u"1=1"_s, {u"\"1=1\" contains \"=\" (U+003D)"_s});
    row("SQL: quotes in IDs", u"Q1'--\nQ2\"\nQ3`"_s, u"0 valid · 0 duplicate · 3 invalid"_s, {},
        unchanged, {u"(U+0027)"_s, u"(U+0022)"_s, u"(U+0060)"_s, allInvalid});
    row("path traversal", u"../../etc/passwd\n..\\..\\windows\\win.ini"_s,
        u"0 valid · 0 duplicate · 2 invalid"_s, {}, unchanged,
        {u"\"../../etc/passwd\" contains \".\" (U+002E)"_s, u"\"..\\..\\windows\\win.ini\""_s,
         allInvalid});
    row("path in an ID", u"P1/../../etc/passwd"_s, u"0 valid · 0 duplicate · 1 invalid"_s, {},
        unchanged, {u"contains \"/\" (U+002F)"_s});
    row("JSON", u"{\"dealer_ids\":[\"J1\",\"J2\"]}"_s, u"0 valid · 0 duplicate · 2 invalid"_s, {},
        unchanged, {u"contains \"{\" (U+007B)"_s, u"contains \"\"\" (U+0022)"_s});
    row("HTML", u"<script>alert(1)</script>\nH3&amp;"_s, u"0 valid · 0 duplicate · 2 invalid"_s, {},
        unchanged, {u"\"<script>alert(1)</script>\" contains \"<\" (U+003C)"_s, u"(U+0026)"_s});
    row("format strings", u"%s%n%x\n%1%2\n{0}"_s, u"0 valid · 0 duplicate · 3 invalid"_s, {},
        unchanged, {u"\"%s%n%x\" contains \"%\" (U+0025)"_s, u"\"{0}\""_s});
    row("leading underscore and hyphen", u"_U1\n-U2"_s, u"0 valid · 0 duplicate · 2 invalid"_s, {},
        unchanged, {u"\"_U1\" "_s + mustBegin, u"\"-U2\" "_s + mustBegin});

    // Separators and blanks: what is valid after them is queued, exactly once.
    row("CR-only line endings", u"CR1\rCR2\rCR3\r"_s, u"3 valid · 0 duplicate · 0 invalid"_s,
        {u"CR1"_s, u"CR2"_s, u"CR3"_s}, u""_s, {u"Queued 3 jobs."_s});
    row("mixed separators", u"MX1,MX2;MX3\tMX4 MX5\r\nMX6\rMX7\u2028MX8,, ;\t"_s,
        u"8 valid · 0 duplicate · 0 invalid"_s,
        {u"MX1"_s, u"MX2"_s, u"MX3"_s, u"MX4"_s, u"MX5"_s, u"MX6"_s, u"MX7"_s, u"MX8"_s}, u""_s,
        {u"Queued 8 jobs."_s});
    row("no-break spaces", u"\u00A0NB1\u00A0NB2\u00A0"_s, u"2 valid · 0 duplicate · 0 invalid"_s,
        {u"NB1"_s, u"NB2"_s}, u""_s, {u"Queued 2 jobs."_s});
    row("ideographic space inside, em spaces around", u"US1\u3000US2\n\u2003US3\u2003"_s,
        u"1 valid · 0 duplicate · 1 invalid"_s, {u"US3"_s}, u"US1\u3000US2"_s,
        {u"\"US1<U+3000>US2\" contains an invisible character (U+3000)"_s});
    row("leading and trailing spaces, zeros kept", u"   00777   \n\t00778\t\n"_s,
        u"2 valid · 0 duplicate · 0 invalid"_s, {u"00777"_s, u"00778"_s}, u""_s,
        {u"Queued 2 jobs."_s});
    row("repeats, case kept", u"DU1\nDU1\ndu1\n DU1 \ndu1"_s,
        u"2 valid · 2 duplicate · 0 invalid"_s, {u"DU1"_s, u"du1"_s}, u""_s, {u"Queued 2 jobs."_s});
    row("already queued", u"AQ1\nAQ2"_s, u"2 valid · 0 duplicate · 0 invalid"_s, {u"AQ2"_s}, u""_s,
        {u"Queued 1 job."_s, u"Skipped 1 already queued (AQ1 as job"_s}, {u"AQ1"_s});
    row("every ID already queued", u"AQ3,AQ4"_s, u"2 valid · 0 duplicate · 0 invalid"_s, {}, u""_s,
        {u"Queued 0 jobs."_s, u"Skipped 2 already queued"_s}, {u"AQ3"_s, u"AQ4"_s});
    row("valid and invalid at the length limit", QString(32, u'N') + u"\n"_s + QString(33, u'N'),
        u"1 valid · 0 duplicate · 1 invalid"_s, {QString(32, u'N')}, QString(33, u'N'),
        {u"is 33 characters long"_s});

    // The window of the jobs: a bad one refuses the whole list, valid IDs included.
    row("window: to before from", u"W1\nW2"_s, u"2 valid · 0 duplicate · 0 invalid"_s, {},
        unchanged, {u"Nothing queued: to_time"_s, u"is before from_time"_s, u"swap them"_s}, {},
        local(2026, 6, 2), local(2026, 6, 1, 23, 59, 59));
    row("window: 367 days", u"W3"_s, u"1 valid · 0 duplicate · 0 invalid"_s, {}, unchanged,
        {u"Nothing queued: to_time makes the window"_s, u"longer than 366 days"_s}, {},
        local(2025, 1, 1), local(2026, 1, 3));
    row("window: the widest the pickers allow", u"W4"_s, u"1 valid · 0 duplicate · 0 invalid"_s, {},
        unchanged, {u"longer than 366 days"_s}, {}, local(1752, 9, 14),
        local(9999, 12, 31, 23, 59, 59));
    row("window: the hour repeated when daylight saving ends", u"W5"_s,
        u"1 valid · 0 duplicate · 0 invalid"_s, {u"W5"_s}, u""_s, {u"Queued 1 job."_s}, {},
        local(2025, 10, 26, 2, 30), local(2025, 10, 26, 2, 45));
}

void TestWindowInput::pasteBox()
{
    QFETCH(QString, text);
    QFETCH(QStringList, alreadyQueued);
    QFETCH(QDateTime, from);
    QFETCH(QDateTime, to);
    QFETCH(QString, counts);
    QFETCH(int, expectAccepted);
    QFETCH(QStringList, expectQueued);
    QFETCH(QString, left);
    QFETCH(QStringList, expectMessage);
    Window &w = *m_window;
    auto *box = w.child<QPlainTextEdit>("bulkText");
    auto *countsLabel = w.child<QLabel>("bulkCounts");
    auto *button = w.child<QPushButton>("bulkQueueButton");
    auto *fromEdit = w.child<QDateTimeEdit>("bulkFromEdit");
    auto *toEdit = w.child<QDateTimeEdit>("bulkToEdit");
    QVERIFY(box && countsLabel && button && fromEdit && toEdit);

    QVERIFY(w.addJobs(alreadyQueued));
    if (from.isValid()) {
        fromEdit->setDateTime(from);
        toEdit->setDateTime(to);
        QCOMPARE(fromEdit->dateTime(), from);
        QCOMPARE(toEdit->dateTime(), to);
    }
    QVERIFY(w.settle());
    const Snapshot before = w.snapshot();

    QApplication::clipboard()->setText(text);
    QTest::keyClick(w.window.get(), Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(countsLabel->text(), counts);
    const QString pasted = box->toPlainText();
    QCOMPARE(button->isEnabled(), !counts.startsWith(QLatin1String("0 valid")));

    // Nothing is written before the operator confirms.
    QVERIFY(w.settle());
    QCOMPARE(w.snapshot().jobs, before.jobs);

    if (button->isEnabled()) {
        QVERIFY(button->hasFocus()); // Enter confirms
        QTest::keyClick(button, Qt::Key_Return);
        // While the store works, the box takes no typing: its answer replaces the text.
        if (expectAccepted > 0)
            QVERIFY(box->isReadOnly());
    } else {
        box->setFocus();
        QTest::keyClick(box, Qt::Key_Return, Qt::ControlModifier);
    }
    QVERIFY(w.settle());
    QVERIFY(!box->isReadOnly());
    const QString shown = w.feedback(); // before an Info message hides itself

    const Snapshot after = w.snapshot();
    QCOMPARE(after.tables.size(), before.tables.size());
    verifyAdded(before, after, expectAccepted, shown);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(after.dealers.mid(before.dealers.size()), expectQueued);

    verifyMessage(shown, expectMessage);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(box->toPlainText(), left.isNull() ? pasted : left);

    addValidJobThroughPasteBox(*m_window);
}

// The single-job form's dealer ID field. Each row is pasted into the field (Ctrl+V), then
// Enter, as an operator would. SPEC §1: 1–32 of A-Z a-z 0-9 _ -, beginning with a letter or a
// digit, kept exactly as typed; blanks around the ID are not part of it.
void TestWindowInput::dealerIdField_data()
{
    QTest::addColumn<QString>("input");
    QTest::addColumn<QStringList>("alreadyQueued");
    QTest::addColumn<bool>("validId"); ///< the Add button is enabled
    QTest::addColumn<int>("expectAccepted");
    QTest::addColumn<QString>("expectDealer");
    QTest::addColumn<QStringList>("expectMessage");

    const auto refused = [](const char *name, const QString &input, const QStringList &message) {
        QTest::newRow(name) << input << QStringList() << false << 0 << QString() << message;
    };
    const auto accepted = [](const char *name, const QString &input, const QString &dealer) {
        QTest::newRow(name) << input << QStringList() << true << 1 << dealer
                            << QStringList{u"Queued job"_s, u"dealer "_s + dealer + u", "_s};
    };
    const QString noId = QStringLiteral("no dealer ID given");
    const QString mustBegin = QStringLiteral("must begin with a letter or a digit");

    refused("empty", u""_s, {noId});
    refused("spaces and tabs only", u"  \t  "_s, {noId});
    refused("CR only", u"\r"_s, {noId});
    refused("separators only", u",;"_s, {u"\",;\" contains \",\" (U+002C)"_s});
    refused("two IDs with a comma", u"A1,A2"_s, {u"\"A1,A2\" contains \",\" (U+002C)"_s});
    refused("two IDs with a space", u"A1 A2"_s, {u"\"A1 A2\" contains a space"_s});
    refused("two lines", u"A1\nA2"_s, {u"\"A1<U+000A>A2\" contains a control character"_s});
    refused("two lines, CR only", u"A1\rA2"_s, {u"(U+000D)"_s});
    refused("NUL inside", u"F"_s + QChar(0) + u"G"_s, {u"\"F<U+0000>G\""_s, u"(U+0000)"_s});
    refused("NUL at the end", u"FG1"_s + QChar(0), {u"\"FG1<U+0000>\""_s});
    refused("escape sequence", u"\x1b[31mF1"_s, {u"(U+001B)"_s});
    refused("DEL", u"F1\x7f"_s, {u"(U+007F)"_s});
    refused("bidi override", u"\u202E1F"_s,
            {u"\"<U+202E>1F\" contains an invisible character (U+202E)"_s});
    refused("zero-width joiner", u"F\u200D1"_s, {u"(U+200D)"_s});
    refused("byte-order mark", u"\uFEFFF1"_s, {u"\"<U+FEFF>F1\""_s});
    refused("emoji", u"F1\U0001F697"_s, {u"\"\U0001F697\" (U+1F697)"_s});
    refused("combining mark", u"Fe\u0301"_s, {u"\"Fe<U+0301>\""_s});
    refused("lone surrogate", u"F"_s + QChar(0xD800), {u"use only letters A-Z a-z"_s});
    refused("fullwidth letters", u"\uFF26\uFF35\uFF2C\uFF2C"_s, {u"(U+FF26)"_s});
    refused("Cyrillic look-alike", u"\u0410B1"_s, {u"(U+0410)"_s});
    refused("33 characters", QString(33, u'F'),
            {u"is 33 characters long; at most 32 are allowed"_s});
    refused("1 MB line", QString(1 << 20, u'F'), {u"characters long; at most 32 are allowed"_s});
    refused("fixed-width report line", u"12284"_s + QString(60, u' ') + u"Main Street Motors"_s,
            {u"is 83 characters long"_s});
    refused("leading underscore", u"_F1"_s, {u"\"_F1\" "_s + mustBegin});
    refused("leading hyphen", u"-F1"_s, {u"\"-F1\" "_s + mustBegin});
    refused("SQL: DROP TABLE", u"'; DROP TABLE jobs;--"_s, {u"contains \"'\" (U+0027)"_s});
    refused("SQL: 1 OR 1=1", u"1 OR 1=1"_s, {u"contains a space"_s});
    refused("SQL: quote", u"F1'--"_s, {u"contains \"'\" (U+0027)"_s});
    refused("path traversal", u"../../etc/passwd"_s, {u"contains \".\" (U+002E)"_s});
    refused("path in an ID", u"F1/../../etc/passwd"_s, {u"contains \"/\" (U+002F)"_s});
    refused("JSON", u"{\"dealer_id\":\"F1\"}"_s, {u"contains \"{\" (U+007B)"_s});
    refused("HTML", u"<img src=x onerror=alert(1)>"_s, {u"contains \"<\" (U+003C)"_s});
    refused("format string", u"F%s%n"_s, {u"contains \"%\" (U+0025)"_s});

    accepted("32 characters", QString(32, u'G'), QString(32, u'G'));
    accepted("leading and trailing spaces, zeros kept", u"  00999  "_s, u"00999"_s);
    accepted("tabs around", u"\tG2\t"_s, u"G2"_s);
    accepted("no-break spaces around", u"\u00A0G3\u00A0"_s, u"G3"_s);
    accepted("line break after (a copied cell)", u"G4\r\n"_s, u"G4"_s);
    QTest::newRow("case differs from a queued job")
        << u"gc1"_s << QStringList{u"GC1"_s} << true << 1 << u"gc1"_s
        << QStringList{u"Queued job"_s, u"dealer gc1, "_s};
    QTest::newRow("duplicate of a queued job")
        << u"GD1"_s << QStringList{u"GD1"_s} << true << 0 << QString()
        << QStringList{u"Not queued: job"_s, u"already covers dealer GD1"_s};
}

void TestWindowInput::dealerIdField()
{
    QFETCH(QString, input);
    QFETCH(QStringList, alreadyQueued);
    QFETCH(bool, validId);
    QFETCH(int, expectAccepted);
    QFETCH(QString, expectDealer);
    QFETCH(QStringList, expectMessage);
    Window &w = *m_window;
    auto *edit = w.child<QLineEdit>("dealerIdEdit");
    auto *add = w.child<QPushButton>("addButton");
    auto *reason = w.child<QLabel>("dealerIdReason");
    QVERIFY(edit && add && reason);

    QVERIFY(w.addJobs(alreadyQueued));
    QVERIFY(w.settle());
    const Snapshot before = w.snapshot();

    pasteOver(edit, input);
    QCOMPARE(add->isEnabled(), validId);
    // Checked as pasted: the reason shows at once for anything but blanks.
    if (!validId && !input.trimmed().isEmpty())
        QVERIFY(reason->isVisible());
    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY(w.settle());
    const QString shown = w.feedback(); // before an Info message hides itself

    const Snapshot after = w.snapshot();
    verifyAdded(before, after, expectAccepted, shown);
    if (QTest::currentTestFailed())
        return;
    if (expectAccepted > 0) {
        QCOMPARE(after.dealers.mid(before.dealers.size()), QStringList{expectDealer});
        QVERIFY(edit->text().isEmpty());
    }

    QVERIFY(!shown.isEmpty());
    verifyMessage(shown, expectMessage);
    if (QTest::currentTestFailed())
        return;

    addValidJobThroughForm();
}

// The single-job form's type and window fields. The pickers hold a real local date and time at
// all times: pasted text they cannot read is refused there, and the job gets exactly the window
// they show. A window the rules refuse (SPEC §1: from ≤ to, at most 366 days) is named under
// the dealer ID, and nothing is queued.
void TestWindowInput::windowFields_data()
{
    QTest::addColumn<QDateTime>("from"); ///< set as the calendar does
    QTest::addColumn<QDateTime>("to");
    QTest::addColumn<QString>("pasteFrom"); ///< then pasted over the From field; null: none
    QTest::addColumn<QString>("shownFrom"); ///< what the From field shows then
    QTest::addColumn<QString>("typeKeys");  ///< typed into the type list
    QTest::addColumn<int>("expectAccepted");
    QTest::addColumn<QStringList>("expectMessage");

    const QDateTime june = local(2026, 6, 1);
    const QDateTime juneEnd = local(2026, 6, 1, 23, 59, 59);
    const QString juneShown = QStringLiteral("2026-06-01 00:00:00");
    const QStringList queued{u"Queued job"_s};
    const auto refusedPaste = [&](const char *name, const QString &text) {
        QTest::newRow(name) << june << juneEnd << text << juneShown << QString() << 1 << queued;
    };

    QTest::newRow("to one second before from")
        << local(2026, 6, 1, 10) << local(2026, 6, 1, 9, 59, 59) << QString() << QString()
        << QString() << 0
        << QStringList{u"to_time 2026-06-01T09:59:59.000+02:00 is before from_time "
                       u"2026-06-01T10:00:00.000+02:00; swap them"_s};
    QTest::newRow("to a year before from")
        << local(2026, 6, 1) << local(2025, 6, 1, 23, 59, 59) << QString() << QString() << QString()
        << 0 << QStringList{u"is before from_time"_s};
    QTest::newRow("367 days") << local(2025, 1, 1) << local(2026, 1, 3) << QString() << QString()
                              << QString() << 0 << QStringList{u"longer than 366 days; split it"_s};
    QTest::newRow("366 days exactly") << local(2025, 1, 1) << local(2026, 1, 2) << QString()
                                      << QString() << QString() << 1 << queued;
    QTest::newRow("the widest the pickers allow")
        << local(1752, 9, 14) << local(9999, 12, 31, 23, 59, 59) << QString() << QString()
        << QString() << 0 << QStringList{u"longer than 366 days"_s};
    QTest::newRow("year 9999") << local(9999, 12, 31) << local(9999, 12, 31, 23, 59, 59)
                               << QString() << QString() << QString() << 1 << queued;
    QTest::newRow("the first day the pickers allow")
        << local(1752, 9, 14) << local(1752, 9, 14, 23, 59, 59) << QString() << QString()
        << QString() << 1 << queued;
    QTest::newRow("from in the hour repeated when daylight saving ends")
        << local(2025, 10, 26, 2, 30) << local(2025, 10, 26, 3, 30) << QString() << QString()
        << QString() << 1 << queued;
    QTest::newRow("both in the hour repeated when daylight saving ends")
        << local(2025, 10, 26, 2, 0) << local(2025, 10, 26, 2, 59, 59) << QString() << QString()
        << QString() << 1 << queued;

    // Pasted over the From field.
    refusedPaste("paste: the hour skipped when daylight saving starts", u"2025-03-30 02:30:00"_s);
    refusedPaste("paste: garbage", u"garbage"_s);
    refusedPaste("paste: empty", u""_s);
    refusedPaste("paste: spaces", u"   "_s);
    refusedPaste("paste: date only", u"2025-06-01"_s);
    refusedPaste("paste: impossible offset", u"2025-06-01T10:00:00+99:00"_s);
    refusedPaste("paste: time zone name", u"2025-06-01 10:00:00 Mars/Olympus"_s);
    refusedPaste("paste: NUL inside", u"2025-06-01"_s + QChar(0) + u" 10:00:00"_s);
    refusedPaste("paste: bidi override inside", u"2025-06-01 \u202E10:00:00"_s);
    refusedPaste("paste: year 0", u"0000-01-01 00:00:00"_s);
    refusedPaste("paste: five-digit year", u"99999-01-01 00:00:00"_s);
    refusedPaste("paste: before the pickers' first day", u"1752-09-13 00:00:00"_s);
    refusedPaste("paste: month 13", u"2025-13-01 00:00:00"_s);
    refusedPaste("paste: 25:61:61", u"2025-06-01 25:61:61"_s);
    refusedPaste("paste: SQL", u"2025-06-01'; DROP TABLE jobs;--"_s);
    // A day the month does not have becomes its last day, in the field, before anything runs.
    QTest::newRow("paste: February 30")
        << local(2025, 2, 1) << local(2025, 3, 1) << u"2025-02-30 10:00:00"_s
        << u"2025-02-28 10:00:00"_s << QString() << 1 << queued;
    QTest::newRow("paste: a valid time") << june << juneEnd << u"2026-06-01 10:00:00"_s
                                         << u"2026-06-01 10:00:00"_s << QString() << 1 << queued;

    // The type list cannot be typed into: keys only pick one of the configured types.
    QTest::newRow("type: unknown name typed")
        << june << juneEnd << QString() << QString() << u"bogus"_s << 1 << queued;
    QTest::newRow("type: SQL typed")
        << june << juneEnd << QString() << QString() << u"';DROP--"_s << 1 << queued;
    QTest::newRow("type: prefix of a type typed")
        << june << juneEnd << QString() << QString() << u"ser"_s << 1 << queued;
}

void TestWindowInput::windowFields()
{
    QFETCH(QDateTime, from);
    QFETCH(QDateTime, to);
    QFETCH(QString, pasteFrom);
    QFETCH(QString, shownFrom);
    QFETCH(QString, typeKeys);
    QFETCH(int, expectAccepted);
    QFETCH(QStringList, expectMessage);
    Window &w = *m_window;
    auto *edit = w.child<QLineEdit>("dealerIdEdit");
    auto *fromEdit = w.child<QDateTimeEdit>("fromEdit");
    auto *toEdit = w.child<QDateTimeEdit>("toEdit");
    auto *type = w.child<QComboBox>("fetchTypeCombo");
    QVERIFY(edit && fromEdit && toEdit && type);
    QVERIFY(!type->isEditable());

    const Snapshot before = w.snapshot();
    fromEdit->setDateTime(from);
    toEdit->setDateTime(to);
    QCOMPARE(fromEdit->dateTime(), from);
    QCOMPARE(toEdit->dateTime(), to);
    if (!pasteFrom.isNull()) {
        pasteOver(fromEdit, pasteFrom);
        edit->setFocus(); // leaving the field settles what it shows
        QCOMPARE(fromEdit->text(), shownFrom);
    }
    if (!typeKeys.isEmpty()) {
        type->setFocus();
        QTest::keyClicks(type, typeKeys);
    }
    QVERIFY(FetchTypes.contains(type->currentText()));

    const QString id = QStringLiteral("WF%1").arg(++m_usable);
    edit->setFocus();
    QTest::keyClicks(edit, id);
    QTest::keyClick(edit, Qt::Key_Return);
    QVERIFY(w.settle());
    const QString shown = w.feedback(); // before an Info message hides itself

    const Snapshot after = w.snapshot();
    verifyAdded(before, after, expectAccepted, shown);
    if (QTest::currentTestFailed())
        return;
    if (expectAccepted > 0) {
        // Exactly what the fields show.
        StoreError error;
        const std::optional<QVector<Job>> queued = w.store->queuedJobs(-1, &error);
        QVERIFY2(queued, qPrintable(error.message));
        const Job &job = queued->last();
        QCOMPARE(job.dealerId, id);
        QCOMPARE(job.fetchType, type->currentText());
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(job.fromMs), fromEdit->dateTime());
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(job.toMs), toEdit->dateTime());
    }

    verifyMessage(shown, expectMessage);
    if (QTest::currentTestFailed())
        return;

    addValidJobThroughForm();
}

// The paste box has no limit of its own (the API's is 10,000 IDs a call): 100,001 IDs are
// checked and counted, nothing is written until the operator confirms, then all are queued in
// one transaction. A window and store of its own, so that the other rows keep a small store.
void TestWindowInput::pasteBoxTakesHundredThousandAndOne()
{
    Window w;
    QVERIFY(w.start());
    QStringList ids;
    for (int i = 1; i <= 100001; ++i)
        ids << QStringLiteral("T%1").arg(i, 6, 10, QLatin1Char('0'));
    auto *counts = w.child<QLabel>("bulkCounts");
    auto *button = w.child<QPushButton>("bulkQueueButton");
    const Snapshot before = w.snapshot();

    QApplication::clipboard()->setText(ids.join(QLatin1Char('\n')));
    QTest::keyClick(w.window.get(), Qt::Key_V, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(counts->text(), u"100,001 valid · 0 duplicate · 0 invalid"_s);
    QCOMPARE(button->text(), u"Queue 100,001 jobs"_s);
    QVERIFY(w.settle());
    QCOMPARE(w.snapshot().jobs, before.jobs);

    QVERIFY(button->hasFocus());
    QTest::keyClick(button, Qt::Key_Return);
    QVERIFY(w.settle());
    const QString shown = w.feedback();
    QCOMPARE(w.snapshot().dealers, ids);
    QVERIFY2(shown.contains(u"Queued 100,001 jobs."_s), qPrintable(shown));
    QVERIFY(w.child<QPlainTextEdit>("bulkText")->toPlainText().isEmpty());

    addValidJobThroughPasteBox(w);
}

QTEST_MAIN(TestWindowInput)
#include "tst_windowinput.moc"
