// RecordIdFilter: whether any of a job's staged record ids came twice, without keeping them.
#include "store/recordidfilter.h"

#include <QTest>

namespace {

QByteArray idOf(int i)
{
    return QByteArray("P-") + QByteArray::number(i).rightJustified(7, '0');
}

} // namespace

class TestRecordIdFilter : public QObject
{
    Q_OBJECT

private slots:
    void distinctIdsAreNeverCalledRepeated();
    void anIdTakenTwiceIsAlwaysCalledRepeated();
    void clearForgetsEveryId();
    void aFullFilterSaysMaybeNeverNo();
};

void TestRecordIdFilter::distinctIdsAreNeverCalledRepeated()
{
    // A job of 50,000 records each fetched once, as a first fetch is: the filter must say so,
    // or the merge takes its slower path. (Wrong for about one such job in 10,000: the ids are
    // fixed, so this passes or fails the same way every time on one machine.)
    RecordIdFilter filter;
    QVERIFY(!filter.mayRepeat());
    for (int i = 0; i < 50000; ++i)
        QVERIFY2(filter.add(idOf(i)), idOf(i).constData());
    QVERIFY(!filter.mayRepeat());
}

void TestRecordIdFilter::anIdTakenTwiceIsAlwaysCalledRepeated()
{
    // "No repeat" must be certain: every id taken again is reported, wherever it comes.
    RecordIdFilter filter;
    for (int i = 0; i < 5000; ++i)
        filter.add(idOf(i));
    QVERIFY(!filter.mayRepeat());
    for (int i = 0; i < 5000; i += 7) {
        QVERIFY2(!filter.add(idOf(i)), idOf(i).constData());
        QVERIFY(filter.mayRepeat());
    }
    // Bytes, not text: an id differing only in its last byte, or a prefix, is another id.
    RecordIdFilter other;
    QVERIFY(other.add("abc"));
    QVERIFY(other.add("abd"));
    QVERIFY(other.add("ab"));
    QVERIFY(other.add(""));
    QVERIFY(!other.mayRepeat());
    QVERIFY(!other.add(""));
    QVERIFY(other.mayRepeat());
}

void TestRecordIdFilter::clearForgetsEveryId()
{
    // A new attempt stages the same records again: they are not repeats of the last attempt's.
    RecordIdFilter filter;
    for (int i = 0; i < 1000; ++i)
        filter.add(idOf(i));
    filter.add(idOf(1));
    QVERIFY(filter.mayRepeat());
    filter.clear();
    QVERIFY(!filter.mayRepeat());
    for (int i = 0; i < 1000; ++i)
        QVERIFY2(filter.add(idOf(i)), idOf(i).constData());
    QVERIFY(!filter.mayRepeat());
}

void TestRecordIdFilter::aFullFilterSaysMaybeNeverNo()
{
    // Far past its size (4,000,000 ids in 8 MiB) the filter runs out of unset bits: it may call
    // a new id repeated, and must still call every id taken before repeated.
    RecordIdFilter filter;
    for (int i = 0; i < 4000000; ++i)
        filter.add(idOf(i));
    QVERIFY(filter.mayRepeat());
    for (int i = 0; i < 4000000; i += 997)
        QVERIFY2(!filter.add(idOf(i)), idOf(i).constData());
}

QTEST_APPLESS_MAIN(TestRecordIdFilter)
#include "tst_recordidfilter.moc"
