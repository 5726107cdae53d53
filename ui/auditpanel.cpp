#include "auditpanel.h"

#include "audittablemodel.h"
#include "job/audit.h"
#include "jobformat.h"
#include "queue/jobqueue.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

AuditPanel::AuditPanel(JobQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_model(new AuditTableModel(this))
    , m_view(new QTableView(this))
    , m_action(new QComboBox(this))
    , m_actor(new QLineEdit(this))
    , m_newer(new QPushButton(tr("Newer"), this))
    , m_older(new QPushButton(tr("Older"), this))
    , m_info(new QLabel(this))
{
    setObjectName(QStringLiteral("auditPanel"));
    m_action->setObjectName(QStringLiteral("auditActionFilter"));
    m_action->addItem(tr("All actions"), QString());
    for (const QString &action : AuditAction::all())
        m_action->addItem(AuditTableModel::actionText(action), action);
    m_action->setToolTip(tr("Show only this kind of change"));
    m_actor->setObjectName(QStringLiteral("auditActorFilter"));
    m_actor->setPlaceholderText(tr("Actor, e.g. window:user@host"));
    m_actor->setToolTip(tr("Show only the changes of this actor, written exactly as listed"));
    m_actor->setClearButtonEnabled(true);
    m_actor->setMaxLength(200);
    m_newer->setObjectName(QStringLiteral("auditNewer"));
    m_older->setObjectName(QStringLiteral("auditOlder"));
    m_info->setObjectName(QStringLiteral("auditInfo"));
    m_info->setTextFormat(Qt::PlainText);

    m_view->setObjectName(QStringLiteral("auditView"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->setColumnWidth(AuditTableModel::AtColumn, 150);
    m_view->setColumnWidth(AuditTableModel::ActorColumn, 200);
    m_view->setColumnWidth(AuditTableModel::ActionColumn, 160);
    m_view->setColumnWidth(AuditTableModel::CountColumn, 60);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_action);
    filters->addWidget(m_actor, 1);
    filters->addWidget(m_info);
    filters->addWidget(m_newer);
    filters->addWidget(m_older);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);

    connect(m_action, &QComboBox::currentIndexChanged, this, &AuditPanel::filterChanged);
    // The actor is read once typing pauses, not at every key.
    auto *typing = new QTimer(this);
    typing->setSingleShot(true);
    typing->setInterval(400);
    connect(m_actor, &QLineEdit::textEdited, typing, qOverload<>(&QTimer::start));
    connect(typing, &QTimer::timeout, this, &AuditPanel::filterChanged);
    connect(m_actor, &QLineEdit::returnPressed, this, [this, typing] {
        typing->stop();
        filterChanged();
    });
    connect(m_view, &QTableView::activated, this, [this](const QModelIndex &index) {
        const QVariantList ids = index.data(AuditTableModel::JobIdsRole).toList();
        if (!ids.isEmpty())
            emit detailsRequested(ids.first().toLongLong());
    });
    connect(m_newer, &QPushButton::clicked, this, &AuditPanel::showNewer);
    connect(m_older, &QPushButton::clicked, this, &AuditPanel::showOlder);
    updateInfo();
}

AuditPanel::~AuditPanel() = default;

QString AuditPanel::infoText() const
{
    return m_info->text();
}

void AuditPanel::refreshIfShown()
{
    if (isVisible())
        refresh();
}

void AuditPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void AuditPanel::filterChanged()
{
    m_page.restart();
    refresh();
}

void AuditPanel::showOlder()
{
    if (m_page.next())
        refresh();
}

void AuditPanel::showNewer()
{
    if (m_page.previous())
        refresh();
}

void AuditPanel::refresh()
{
    if (!m_read.start())
        return;
    AuditFilter filter;
    filter.action = m_action->currentData().toString();
    filter.actor = m_actor->text().trimmed();
    filter.limit = PageSize;
    filter.offset = m_page.offset();
    m_queue->readAudit(this, filter, [this](QueueResult<AuditPage> result) {
        if (m_read.landedStale()) {
            refresh();
            return;
        }
        if (!result.ok()) {
            emit storeFailed(result.error);
            emit message(tr("Could not read the audit log: %1").arg(result.error.message),
                         MessageBar::Level::Error);
            return;
        }
        m_loaded = true;
        if (m_page.landed(result.value->total, result.value->entries.isEmpty())) {
            refresh(); // the log shrank under this page: its last page
            return;
        }
        m_model->setEntries(result.value->entries);
        updateInfo();
        emit refreshed();
    });
}

void AuditPanel::updateInfo()
{
    const int shown = m_model->rowCount();
    m_newer->setEnabled(m_page.hasPrevious());
    m_older->setEnabled(m_page.hasNext(shown));
    if (!m_loaded)
        m_info->clear();
    else if (shown == 0)
        m_info->setText(tr("No entries"));
    else
        m_info->setText(tr("Entries %1–%2 of %3")
                            .arg(JobFormat::count(m_page.offset() + 1),
                                 JobFormat::count(m_page.offset() + shown),
                                 JobFormat::count(m_page.total())));
}
