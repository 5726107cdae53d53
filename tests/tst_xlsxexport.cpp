#include "job/fetchedrecord.h"
#include "queue/csvexport.h"
#include "queue/xlsxexport.h"
#include "store/jobstore.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

namespace {

/// Reads a workbook back with Python's zipfile and xml.etree only, independently of
/// libxlsxwriter: every cell of the first sheet with its type, value and whether its style is a
/// date format, whether any formula exists, the frozen pane and the autofilter.
const char *const ReadBack = R"(
import sys, json, zipfile, xml.etree.ElementTree as ET
M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
z = zipfile.ZipFile(sys.argv[1])
shared = []
if 'xl/sharedStrings.xml' in z.namelist():
    for si in ET.fromstring(z.read('xl/sharedStrings.xml')).iter(M + 'si'):
        shared.append(''.join(t.text or '' for t in si.iter(M + 't')))
styles = ET.fromstring(z.read('xl/styles.xml'))
codes = {int(f.get('numFmtId')): f.get('formatCode') for f in styles.iter(M + 'numFmt')}
xfs = styles.find(M + 'cellXfs').findall(M + 'xf')
dates = [i for i, x in enumerate(xfs) if 'yy' in codes.get(int(x.get('numFmtId', '0')), '')]
sheet = ET.fromstring(z.read('xl/worksheets/sheet1.xml'))
cells = {}
for c in sheet.iter(M + 'c'):
    t = c.get('t', 'n')
    v = c.find(M + 'v')
    if t == 's':
        value = shared[int(v.text)]
    elif t == 'inlineStr':
        value = ''.join(x.text or '' for x in c.iter(M + 't'))
    else:
        value = v.text if v is not None else None
    cells[c.get('r')] = {'t': t, 'v': value, 'date': int(c.get('s', '0')) in dates}
pane = sheet.find('.//' + M + 'pane')
autofilter = sheet.find(M + 'autoFilter')
print(json.dumps({'cells': cells,
                  'formula': sheet.find('.//' + M + 'f') is not None,
                  'pane': dict(pane.attrib) if pane is not None else {},
                  'autoFilter': autofilter.get('ref') if autofilter is not None else '',
                  'rows': len(list(sheet.iter(M + 'row')))}))
)";

QJsonObject readBack(const QString &path)
{
    QProcess python;
    python.start(QStringLiteral("python3"),
                 {QStringLiteral("-c"), QString::fromUtf8(ReadBack), path});
    if (!python.waitForFinished(30000) || python.exitCode() != 0) {
        qWarning() << python.readAllStandardError();
        return {};
    }
    return QJsonDocument::fromJson(python.readAllStandardOutput()).object();
}

QJsonObject cell(const QJsonObject &sheet, const QString &ref)
{
    return sheet.value(QStringLiteral("cells")).toObject().value(ref).toObject();
}

/// The local wall-clock time an Excel serial day number stands for, as `msecsSinceEpoch`'s
/// local time would read, both as plain (UTC-less) values.
qint64 serialToLocalWallMs(double serial)
{
    const QDateTime epoch(QDate(1899, 12, 30), QTime(0, 0), Qt::UTC);
    return epoch.addMSecs(qRound64(serial * 86400000.0)).toMSecsSinceEpoch();
}

qint64 localWallMs(qint64 msecsSinceEpoch)
{
    const QDateTime local = QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::LocalTime);
    return QDateTime(local.date(), local.time(), Qt::UTC).toMSecsSinceEpoch();
}

} // namespace

class TestXlsxExport final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void headerIsTheCsvs();
    void cellsAreTyped();
    void filteredExport();
    void failedExportLeavesNoFile();

private:
    std::unique_ptr<TestDatabase> m_db;
    std::unique_ptr<JobStore> m_store;
    qint64 m_fromMs = 0;
};

void TestXlsxExport::init()
{
    // Three jobs: 00999 completed, A1 failed with a formula-like error, B2 never started.
    m_db = std::make_unique<TestDatabase>();
    QVERIFY2(m_db->isValid(), qPrintable(m_db->errorString()));
    m_store = std::make_unique<JobStore>(m_db->url());
    StoreError error;
    QVERIFY2(m_store->open(&error), qPrintable(error.message));
    m_fromMs = QDateTime(QDate(2025, 6, 12), QTime(8, 30, 15)).toMSecsSinceEpoch();
    NewJob common;
    common.fetchType = QStringLiteral("prospect");
    common.fromMs = m_fromMs;
    common.toMs = m_fromMs + 3600 * 1000;
    QVERIFY(m_store->addJobs({QStringLiteral("00999"), QStringLiteral("A1"), QStringLiteral("B2")},
                             common, &error));
    std::optional<Job> first = m_store->claimNext(QStringLiteral("test"), &error);
    QVERIFY(first);
    QCOMPARE(first->dealerId, QStringLiteral("00999"));
    JobResult result;
    result.pages = 1;
    result.fetched = 2;
    QVERIFY(m_store->completeJob(
        *first,
        {FetchedRecord(QStringLiteral("r1"), QStringLiteral("2025-06-12T08:00:00Z"), "{}"),
         FetchedRecord(QStringLiteral("r2"), QStringLiteral("2025-06-12T08:00:00Z"), "{}")},
        {}, &result, &error));
    std::optional<Job> second = m_store->claimNext(QStringLiteral("test"), &error);
    QVERIFY(second);
    QVERIFY(m_store->failJob(
        *second, {QStringLiteral("=HYPERLINK(\"http://x\",\"y\")"), ErrorCategory::Http}, {},
        &error));
}

void TestXlsxExport::cleanup()
{
    m_store.reset();
    m_db.reset();
}

void TestXlsxExport::headerIsTheCsvs()
{
    QCOMPARE(Xlsx::header().join(QLatin1Char(',')).toLatin1() + "\r\n", Csv::header());
    QCOMPARE(Xlsx::header().size(), 16);
}

void TestXlsxExport::cellsAreTyped()
{
    const QString path = m_db->dir() + "/jobs.xlsx";
    QString why;
    qint64 lastProgress = -1;
    QCOMPARE(Xlsx::exportJobsToFile(*m_store, path, &why,
                                    [&](qint64 n) {
                                        lastProgress = n;
                                        return true;
                                    }),
             3);
    QCOMPARE(lastProgress, 3);
    const QJsonObject sheet = readBack(path);
    QVERIFY(!sheet.isEmpty());
    QCOMPARE(sheet.value("rows").toInt(), 4);

    // Row 1: the CSV's header names, in its order.
    const QStringList header = Xlsx::header();
    for (int column = 0; column < header.size(); ++column) {
        const QJsonObject c = cell(sheet, QString(QChar('A' + column)) + "1");
        QVERIFY(c.value("t").toString() == "s" || c.value("t").toString() == "inlineStr");
        QCOMPARE(c.value("v").toString(), header.at(column));
    }
    QCOMPARE(header.first(), QStringLiteral("job_id"));
    QCOMPARE(header.last(), QStringLiteral("error"));

    // Oldest first: 00999 (completed) in row 2, its dealer ID a string.
    const QJsonObject dealer = cell(sheet, "B2");
    QVERIFY(dealer.value("t").toString() == "s" || dealer.value("t").toString() == "inlineStr");
    QCOMPARE(dealer.value("v").toString(), QStringLiteral("00999"));
    QCOMPARE(cell(sheet, "F2").value("v").toString(), QStringLiteral("completed"));
    QCOMPARE(cell(sheet, "A2").value("t").toString(), QStringLiteral("n"));

    // Times: numeric serials with a date style, reading back as the job's local time.
    const std::optional<Job> job = m_store->job(1, nullptr);
    QVERIFY(job);
    const QList<std::pair<QString, qint64>> times{{"D2", job->fromMs},
                                                  {"E2", job->toMs},
                                                  {"G2", job->createdMs},
                                                  {"H2", job->startedMs},
                                                  {"I2", job->finishedMs}};
    for (const auto &[ref, ms] : times) {
        const QJsonObject c = cell(sheet, ref);
        QVERIFY2(c.value("t").toString() == "n", qPrintable(ref));
        QVERIFY2(c.value("date").toBool(), qPrintable(ref));
        const qint64 back = serialToLocalWallMs(c.value("v").toString().toDouble());
        QVERIFY2(qAbs(back - localWallMs(ms)) <= 1000, qPrintable(ref));
    }
    QVERIFY(qAbs(serialToLocalWallMs(cell(sheet, "D2").value("v").toString().toDouble()) -
                 QDateTime(QDate(2025, 6, 12), QTime(8, 30, 15), Qt::UTC).toMSecsSinceEpoch()) <=
            1000);

    // Numbers as numbers.
    for (const QString ref : {"J2", "K2", "L2", "M2", "N2", "O2"})
        QVERIFY2(cell(sheet, ref).value("t").toString() == "n", qPrintable(ref));
    QCOMPARE(cell(sheet, "K2").value("v").toString(), QStringLiteral("1"));
    QCOMPARE(cell(sheet, "M2").value("v").toString(), QStringLiteral("2"));
    QVERIFY(cell(sheet, "P2").isEmpty());

    // The failed job's error is a string, never a formula.
    QCOMPARE(cell(sheet, "F3").value("v").toString(), QStringLiteral("failed"));
    const QJsonObject error = cell(sheet, "P3");
    QVERIFY(error.value("t").toString() == "s" || error.value("t").toString() == "inlineStr");
    QCOMPARE(error.value("v").toString(), QStringLiteral("=HYPERLINK(\"http://x\",\"y\")"));
    QVERIFY(!sheet.value("formula").toBool());

    // The job never started: created, but no start, end, duration or counts.
    QCOMPARE(cell(sheet, "B4").value("v").toString(), QStringLiteral("B2"));
    QVERIFY(cell(sheet, "G4").value("date").toBool());
    for (const QString ref : {"H4", "I4", "J4", "L4", "M4", "N4", "O4", "P4"})
        QVERIFY2(cell(sheet, ref).isEmpty(), qPrintable(ref));
    QCOMPARE(cell(sheet, "K4").value("v").toString(), QStringLiteral("0"));

    // Header frozen, autofilter over the data.
    const QJsonObject pane = sheet.value("pane").toObject();
    QCOMPARE(pane.value("ySplit").toString(), QStringLiteral("1"));
    QCOMPARE(pane.value("state").toString(), QStringLiteral("frozen"));
    QCOMPARE(sheet.value("autoFilter").toString(), QStringLiteral("A1:P4"));

    // Nothing left beside the file.
    QCOMPARE(QDir(m_db->dir()).entryList({"*.partial-*"}, QDir::Files), QStringList());
}

void TestXlsxExport::filteredExport()
{
    const QString path = m_db->dir() + "/failed.xlsx";
    HistoryFilter filter;
    filter.statuses = {JobStatus::Failed};
    filter.limit = 1; // not used by an export
    QString why;
    QCOMPARE(Xlsx::exportHistoryToFile(*m_store, filter, path, &why), 1);
    QJsonObject sheet = readBack(path);
    QCOMPARE(sheet.value("rows").toInt(), 2);
    QCOMPARE(cell(sheet, "B2").value("v").toString(), QStringLiteral("A1"));
    QCOMPARE(sheet.value("autoFilter").toString(), QStringLiteral("A1:P2"));

    // Every finished job, newest first; the queued one is no history. Replaces the file.
    QCOMPARE(Xlsx::exportHistoryToFile(*m_store, HistoryFilter{}, path, &why), 2);
    sheet = readBack(path);
    QCOMPARE(sheet.value("rows").toInt(), 3);
    QCOMPARE(cell(sheet, "B2").value("v").toString(), QStringLiteral("A1"));
    QCOMPARE(cell(sheet, "B3").value("v").toString(), QStringLiteral("00999"));
}

void TestXlsxExport::failedExportLeavesNoFile()
{
    QString why;
    QCOMPARE(Xlsx::exportJobsToFile(*m_store, m_db->dir() + "/missing/folder/x.xlsx", &why), -1);
    QVERIFY2(why.contains("missing/folder"), qPrintable(why));

    // A folder that cannot be written (where permissions bind: not as root).
    const QString locked = m_db->dir() + "/locked";
    QVERIFY(QDir().mkpath(locked));
    QVERIFY(QFile::setPermissions(locked, QFile::ReadOwner | QFile::ExeOwner));
    QFile probe(locked + "/probe");
    if (!probe.open(QIODevice::WriteOnly)) {
        QCOMPARE(Xlsx::exportJobsToFile(*m_store, locked + "/x.xlsx", &why), -1);
        QVERIFY(!why.isEmpty());
        QCOMPARE(QDir(locked).entryList(QDir::Files), QStringList());
    }
    probe.close();
    QFile::setPermissions(locked, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

    // Stopping half-way keeps an earlier file untouched and leaves no partial file.
    StoreError error;
    QStringList ids;
    for (int i = 0; i < 1500; ++i)
        ids << QStringLiteral("D%1").arg(i);
    NewJob common;
    common.fetchType = QStringLiteral("prospect");
    QVERIFY(m_store->addJobs(ids, common, &error));
    const QString path = m_db->dir() + "/keep.xlsx";
    QFile previous(path);
    QVERIFY(previous.open(QIODevice::WriteOnly));
    previous.write("old");
    previous.close();
    QCOMPARE(Xlsx::exportJobsToFile(*m_store, path, &why, [](qint64) { return false; }), -1);
    QVERIFY2(why.contains("cancelled"), qPrintable(why));
    QVERIFY(previous.open(QIODevice::ReadOnly));
    QCOMPARE(previous.readAll(), QByteArray("old"));
    QCOMPARE(QDir(m_db->dir()).entryList({"*.partial-*"}, QDir::Files), QStringList());
}

QTEST_GUILESS_MAIN(TestXlsxExport)
#include "tst_xlsxexport.moc"
