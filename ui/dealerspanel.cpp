#include "dealerspanel.h"

#include "coveragetablemodel.h"
#include "job/insight.h"
#include "jobformat.h"
#include "queue/jobqueue.h"
#include "schedule/window.h"

#include <algorithm>
#include <memory>

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>

DealersPanel::DealersPanel(JobQueue *queue, const QStringList &fetchTypes, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_model(new CoverageTableModel(this))
    , m_view(new QTableView(this))
    , m_search(new QLineEdit(this))
    , m_type(new QComboBox(this))
    , m_state(new QComboBox(this))
    , m_fetch(new QPushButton(tr("Fetch since last success"), this))
    , m_previous(new QPushButton(tr("Previous"), this))
    , m_next(new QPushButton(tr("Next"), this))
    , m_info(new QLabel(this))
    , m_nowMs([] { return QDateTime::currentMSecsSinceEpoch(); })
{
    setObjectName(QStringLiteral("dealersPanel"));
    m_search->setObjectName(QStringLiteral("dealersSearch"));
    m_search->setPlaceholderText(tr("Search dealer ID"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaxLength(32);
    m_type->setObjectName(QStringLiteral("dealersTypeFilter"));
    m_type->addItem(tr("All types"), QString());
    for (const QString &type : fetchTypes)
        m_type->addItem(type, type);
    m_state->setObjectName(QStringLiteral("dealersStateFilter"));
    m_state->addItem(tr("Any freshness"), int(CoverageState::Any));
    m_state->addItem(tr("Stale"), int(CoverageState::Stale));
    m_state->addItem(tr("Failing"), int(CoverageState::Failing));
    m_state->addItem(tr("Never fetched"), int(CoverageState::Never));
    m_state->setToolTip(tr("Stale: last success older than the stale hours in Settings; "
                           "failing: the latest job failed; never fetched: no success yet"));
    m_fetch->setObjectName(QStringLiteral("fetchSinceLastSuccess"));
    m_fetch->setToolTip(tr("Queue a job for each selected dealer and type, from where its data "
                           "is covered up to now (the day before today when it has none)"));
    m_previous->setObjectName(QStringLiteral("dealersPrevious"));
    m_next->setObjectName(QStringLiteral("dealersNext"));
    m_info->setObjectName(QStringLiteral("dealersInfo"));
    m_info->setTextFormat(Qt::PlainText);

    m_view->setObjectName(QStringLiteral("dealersView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(CoverageTableModel::LastSuccessColumn, 150);
    m_view->setColumnWidth(CoverageTableModel::CoveredToColumn, 150);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_search, 1);
    filters->addWidget(m_type);
    filters->addWidget(m_state);
    filters->addWidget(m_info);
    filters->addWidget(m_previous);
    filters->addWidget(m_next);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_fetch);
    actions->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addLayout(actions);

    connect(m_type, &QComboBox::currentIndexChanged, this, &DealersPanel::filterChanged);
    connect(m_state, &QComboBox::currentIndexChanged, this, &DealersPanel::filterChanged);
    auto *typing = new QTimer(this);
    typing->setSingleShot(true);
    typing->setInterval(400);
    connect(m_search, &QLineEdit::textEdited, typing, qOverload<>(&QTimer::start));
    connect(typing, &QTimer::timeout, this, &DealersPanel::filterChanged);
    connect(m_search, &QLineEdit::returnPressed, this, [this, typing] {
        typing->stop();
        filterChanged();
    });
    connect(m_previous, &QPushButton::clicked, this, &DealersPanel::showPrevious);
    connect(m_next, &QPushButton::clicked, this, &DealersPanel::showNext);
    connect(m_fetch, &QPushButton::clicked, this, &DealersPanel::fetchSinceLastSuccess);
    updateInfo();
}

DealersPanel::~DealersPanel() = default;

void DealersPanel::setStaleHours(int hours)
{
    m_staleHours = hours;
    refreshIfShown();
}

QString DealersPanel::infoText() const
{
    return m_info->text();
}

void DealersPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void DealersPanel::refreshIfShown()
{
    if (isVisible())
        refresh();
}

void DealersPanel::filterChanged()
{
    m_page.restart();
    refresh();
}

void DealersPanel::showNext()
{
    if (m_page.next())
        refresh();
}

void DealersPanel::showPrevious()
{
    if (m_page.previous())
        refresh();
}

void DealersPanel::refresh()
{
    if (!m_read.start())
        return;
    CoverageFilter filter;
    filter.fetchType = m_type->currentData().toString();
    filter.dealerSearch = m_search->text().trimmed();
    filter.state = CoverageState(m_state->currentData().toInt());
    filter.staleBeforeMs = m_nowMs() - qint64(m_staleHours) * 3600 * 1000;
    filter.limit = PageSize;
    filter.offset = m_page.offset();
    m_queue->readCoverage(this, filter, [this, filter](QueueResult<CoveragePage> result) {
        if (m_read.landedStale()) {
            refresh();
            return;
        }
        if (!result.ok()) {
            emit storeFailed(result.error);
            emit message(tr("Could not read the dealers' coverage: %1").arg(result.error.message),
                         MessageBar::Level::Error);
            return;
        }
        m_loaded = true;
        if (m_page.landed(result.value->total, result.value->rows.isEmpty())) {
            refresh(); // fewer rows than this page's start now: the last page
            return;
        }
        m_model->setRows(result.value->rows, filter.staleBeforeMs);
        updateInfo();
        emit refreshed();
    });
}

void DealersPanel::updateInfo()
{
    const int shown = m_model->rowCount();
    m_previous->setEnabled(m_page.hasPrevious());
    m_next->setEnabled(m_page.hasNext(shown));
    if (!m_loaded)
        m_info->clear();
    else if (shown == 0)
        m_info->setText(tr("No dealers"));
    else
        m_info->setText(tr("Rows %1–%2 of %3")
                            .arg(JobFormat::count(m_page.offset() + 1),
                                 JobFormat::count(m_page.offset() + shown),
                                 JobFormat::count(m_page.total())));
}

void DealersPanel::fetchSinceLastSuccess()
{
    QModelIndexList selected = m_view->selectionModel()->selectedRows();
    if (selected.isEmpty()) {
        emit message(tr("Select the dealers to fetch first."), MessageBar::Level::Info);
        return;
    }
    std::sort(selected.begin(), selected.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    // SPEC §6's since_last_success at this instant, from each row's covered_to as just read.
    const QDateTime now = QDateTime::fromMSecsSinceEpoch(m_nowMs());
    const QTimeZone zone = QTimeZone::systemTimeZone();
    QVector<NewJob> jobs;
    for (const QModelIndex &index : std::as_const(selected)) {
        const CoverageRow &row = m_model->rows().at(index.row());
        std::optional<QDateTime> covered;
        if (row.coveredToMs)
            covered = QDateTime::fromMSecsSinceEpoch(*row.coveredToMs, Qt::UTC);
        const TimeWindow window =
            computeWindow(WindowRule{WindowRule::Kind::SinceLastSuccess, 0}, now, zone, covered);
        jobs.push_back({row.dealerId, row.fetchType, window.fromMs, window.toMs, 0, false, {}});
    }
    struct Tally
    {
        int left = 0;
        int added = 0;
        int duplicates = 0;
        QStringList failed;
    };
    auto tally = std::make_shared<Tally>();
    tally->left = int(jobs.size());
    m_fetch->setEnabled(false);
    for (const NewJob &job : std::as_const(jobs)) {
        m_queue->add(this, job, [this, tally, job](QueueResult<AddOutcome> result) {
            if (!result.ok())
                tally->failed
                    << tr("%1 (%2): %3").arg(job.dealerId, job.fetchType, result.error.message);
            else if (result.value->duplicate)
                ++tally->duplicates;
            else
                ++tally->added;
            if (--tally->left > 0)
                return;
            m_fetch->setEnabled(true);
            if (!tally->failed.isEmpty())
                emit message(tr("Not queued: %1").arg(tally->failed.join(QStringLiteral("; "))),
                             MessageBar::Level::Error);
            else if (tally->duplicates > 0)
                emit message(
                    tr("Queued %Ln job(s) since the last success.", nullptr, tally->added) +
                        QLatin1Char(' ') +
                        tr("Skipped %Ln job(s) already queued.", nullptr, tally->duplicates),
                    MessageBar::Level::Info);
            else
                emit message(tr("Queued %Ln job(s) since the last success.", nullptr, tally->added),
                             MessageBar::Level::Info);
            emit fetchQueued();
            refresh();
        });
    }
}
