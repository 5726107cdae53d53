#include "jobtablemodel.h"

#include <QAbstractItemModelTester>
#include <QPersistentModelIndex>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

namespace {

Job makeJob(qint64 id, JobStatus status = JobStatus::Queued)
{
    Job job;
    job.id = id;
    job.dealerId = QStringLiteral("D%1").arg(id);
    job.fetchType = QStringLiteral("prospect");
    job.fromMs = 1'700'000'000'000;
    job.toMs = job.fromMs + 86'399'000;
    job.status = status;
    job.position = id;
    job.createdMs = job.fromMs;
    if (status != JobStatus::Queued) {
        job.startedMs = job.fromMs + 1000;
        job.finishedMs = job.fromMs + 3500;
        job.attempts = 1;
    }
    if (status == JobStatus::Completed)
        job.result = JobResult{2, 40, 30, 10, 0};
    if (status == JobStatus::Failed)
        job.error = {QStringLiteral("HTTP 404 for dealer D%1").arg(id), ErrorCategory::NotFound};
    return job;
}

QVector<Job> jobs(std::initializer_list<qint64> ids)
{
    QVector<Job> list;
    for (qint64 id : ids)
        list.push_back(makeJob(id));
    return list;
}

QVector<qint64> idsOf(const JobTableModel &model)
{
    QVector<qint64> ids;
    for (int row = 0; row < model.rowCount(); ++row)
        ids.push_back(model.index(row, 0).data(JobTableModel::JobIdRole).toLongLong());
    return ids;
}

} // namespace

class TestJobTableModel final : public QObject
{
    Q_OBJECT

private slots:
    void columnsAndRoles();
    void setJobsDiffsInPlace_data();
    void setJobsDiffsInPlace();
    void persistentIndexesFollowTheirJob();
    void changedRowsOnlyGetDataChanged();
    void proxySortSurvivesRefresh();
    void windowedFetchMore();
    void largeRefreshIsFast();
};

void TestJobTableModel::columnsAndRoles()
{
    JobTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setJobs({makeJob(7, JobStatus::Completed), makeJob(8, JobStatus::Failed)});
    QCOMPARE(model.columnCount(), int(JobTableModel::ColumnCount));
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex dealer = model.index(0, JobTableModel::DealerColumn);
    QCOMPARE(dealer.data().toString(), QStringLiteral("D7"));
    QCOMPARE(dealer.data(JobTableModel::JobIdRole).toLongLong(), 7);
    QCOMPARE(model.index(0, JobTableModel::StatusColumn).data().toString(),
             QStringLiteral("Completed"));
    QVERIFY(!model.index(0, JobTableModel::StatusColumn)
                 .data(Qt::DecorationRole)
                 .value<QIcon>()
                 .isNull());
    QVERIFY(model.index(1, JobTableModel::StatusColumn).data(Qt::ForegroundRole).isValid());
    QCOMPARE(model.index(0, JobTableModel::FetchedColumn).data().toString(), QStringLiteral("40"));
    QCOMPARE(model.index(0, JobTableModel::InsertedColumn).data().toString(), QStringLiteral("30"));
    QCOMPARE(model.index(0, JobTableModel::DurationColumn).data().toString(),
             QStringLiteral("2.5 s"));
    QCOMPARE(model.index(0, JobTableModel::DurationColumn).data(JobTableModel::SortRole).toDouble(),
             2.5);
    QCOMPARE(model.index(1, JobTableModel::ErrorColumn).data().toString(),
             QStringLiteral("HTTP 404 for dealer D8"));
    QVERIFY(model.index(1, JobTableModel::FetchedColumn).data().toString().isEmpty());
    QCOMPARE(model.headerData(JobTableModel::DealerColumn, Qt::Horizontal).toString(),
             QStringLiteral("Dealer"));
}

void TestJobTableModel::setJobsDiffsInPlace_data()
{
    QTest::addColumn<QVector<qint64>>("before");
    QTest::addColumn<QVector<qint64>>("after");
    QTest::newRow("empty to some") << QVector<qint64>{} << QVector<qint64>{1, 2, 3};
    QTest::newRow("some to empty") << QVector<qint64>{1, 2, 3} << QVector<qint64>{};
    QTest::newRow("new on top") << QVector<qint64>{3, 2, 1} << QVector<qint64>{5, 4, 3, 2, 1};
    QTest::newRow("front done") << QVector<qint64>{1, 2, 3, 4} << QVector<qint64>{3, 4, 5};
    QTest::newRow("middle gone") << QVector<qint64>{1, 2, 3, 4, 5} << QVector<qint64>{1, 4, 5};
    QTest::newRow("to top") << QVector<qint64>{1, 2, 3, 4} << QVector<qint64>{4, 1, 2, 3};
    QTest::newRow("swap") << QVector<qint64>{1, 2, 3, 4} << QVector<qint64>{1, 3, 2, 4};
    QTest::newRow("reverse") << QVector<qint64>{1, 2, 3, 4, 5} << QVector<qint64>{5, 4, 3, 2, 1};
    QTest::newRow("mixed") << QVector<qint64>{1, 2, 3, 4, 5, 6}
                           << QVector<qint64>{9, 6, 2, 8, 4, 7};
}

void TestJobTableModel::setJobsDiffsInPlace()
{
    QFETCH(QVector<qint64>, before);
    QFETCH(QVector<qint64>, after);
    const auto build = [](const QVector<qint64> &ids) {
        QVector<Job> list;
        for (qint64 id : ids)
            list.push_back(makeJob(id));
        return list;
    };
    JobTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setJobs(build(before));
    QCOMPARE(idsOf(model), before);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy layouts(&model, &QAbstractItemModel::layoutChanged);
    model.setJobs(build(after));
    QCOMPARE(idsOf(model), after);
    QCOMPARE(resets.count(), 0);
    QCOMPARE(layouts.count(), 0);
}

void TestJobTableModel::persistentIndexesFollowTheirJob()
{
    JobTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setJobs(jobs({1, 2, 3, 4, 5}));
    const QPersistentModelIndex three(model.index(2, JobTableModel::DealerColumn));
    const QPersistentModelIndex one(model.index(0, 0));
    model.setJobs(jobs({9, 5, 3, 2}));
    QVERIFY(three.isValid());
    QCOMPARE(three.data().toString(), QStringLiteral("D3"));
    QCOMPARE(three.row(), 2);
    QVERIFY(!one.isValid());
}

void TestJobTableModel::changedRowsOnlyGetDataChanged()
{
    JobTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setJobs(jobs({1, 2, 3, 4}));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.setJobs(jobs({1, 2, 3, 4}));
    QCOMPARE(changed.count(), 0);

    QVector<Job> next = jobs({1, 2, 3, 4});
    next[1].attempts = 3;
    next[2].error = {QStringLiteral("boom"), ErrorCategory::Network};
    model.setJobs(next);
    QCOMPARE(changed.count(), 1); // rows 1 and 2 in one run
    QCOMPARE(changed.at(0).at(0).toModelIndex().row(), 1);
    QCOMPARE(changed.at(0).at(1).toModelIndex().row(), 2);
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(model.index(2, JobTableModel::ErrorColumn).data().toString(), QStringLiteral("boom"));
}

void TestJobTableModel::proxySortSurvivesRefresh()
{
    JobTableModel model;
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(JobTableModel::SortRole);
    proxy.setDynamicSortFilter(true);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester proxyTester(&proxy,
                                         QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setJobs(jobs({3, 1, 2}));
    proxy.sort(JobTableModel::IdColumn, Qt::AscendingOrder);
    const QPersistentModelIndex two(proxy.index(1, 0));
    QCOMPARE(two.data(JobTableModel::JobIdRole).toLongLong(), 2);
    model.setJobs(jobs({10, 2, 3}));
    QCOMPARE(proxy.index(0, 0).data(JobTableModel::JobIdRole).toLongLong(), 2);
    QCOMPARE(proxy.index(2, 0).data(JobTableModel::JobIdRole).toLongLong(), 10);
    QVERIFY(two.isValid());
    QCOMPARE(two.data(JobTableModel::JobIdRole).toLongLong(), 2);
}

void TestJobTableModel::windowedFetchMore()
{
    // No QAbstractItemModelTester here: it calls fetchMore() itself, which is what this test
    // drives by hand.
    JobTableModel model;
    QSignalSpy wanted(&model, &JobTableModel::moreRequested);
    model.setJobs(jobs({10, 9, 8}));
    QVERIFY(!model.canFetchMore({}));
    model.setTotal(6);
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(wanted.count(), 1);
    QCOMPARE(wanted.at(0).at(0).toInt(), 3);
    QVERIFY(!model.canFetchMore({})); // one request at a time
    model.fetchMore({});
    QCOMPARE(wanted.count(), 1);
    // The page overlaps what is loaded (new jobs pushed the window down): no repeats.
    model.appendJobs(jobs({8, 7, 6}));
    QCOMPARE(idsOf(model), (QVector<qint64>{10, 9, 8, 7, 6}));
    QVERIFY(model.canFetchMore({}));
    model.fetchMore({});
    model.appendJobs({});
    QVERIFY(!model.canFetchMore({}));
    model.setTotal(9);
    model.fetchMore({});
    model.fetchFailed();
    QVERIFY(model.canFetchMore({}));
}

void TestJobTableModel::largeRefreshIsFast()
{
    QVector<Job> history;
    for (qint64 id = 5000; id > 0; --id)
        history.push_back(makeJob(id, JobStatus::Completed));
    JobTableModel model;
    model.setJobs(history);
    QVector<Job> next = history;
    next.removeLast();
    next.prepend(makeJob(5001, JobStatus::Failed));
    next[100].attempts = 2;
    QElapsedTimer timer;
    timer.start();
    model.setJobs(next);
    const qint64 ms = timer.elapsed();
    QCOMPARE(model.rowCount(), 5000);
    QCOMPARE(model.jobAt(0).id, 5001);
    QVERIFY2(ms < 200, qPrintable(QStringLiteral("a refresh of 5,000 rows took %1 ms").arg(ms)));
}

QTEST_MAIN(TestJobTableModel)
#include "tst_jobtablemodel.moc"
