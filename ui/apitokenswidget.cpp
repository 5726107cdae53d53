#include "apitokenswidget.h"

#include "confirmation.h"
#include "job/apitoken.h"
#include "job/timeformat.h"
#include "palettecolors.h"
#include "queue/jobqueue.h"

#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardItemModel>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

ApiTokensWidget::ApiTokensWidget(JobQueue *queue, QWidget *parent)
    : QWidget(parent)
    , m_queue(queue)
    , m_model(new QStandardItemModel(0, 4, this))
    , m_view(new QTableView(this))
    , m_name(new QLineEdit(this))
    , m_role(new QComboBox(this))
    , m_add(new QPushButton(tr("Add"), this))
    , m_revoke(new QPushButton(tr("Revoke"), this))
    , m_newTokenRow(new QWidget(this))
    , m_newToken(new QLineEdit(m_newTokenRow))
    , m_copy(new QToolButton(m_newTokenRow))
    , m_status(new QLabel(this))
{
    setObjectName(QStringLiteral("apiTokens"));
    m_model->setHorizontalHeaderLabels({tr("Name"), tr("Role"), tr("Created"), tr("Last used")});
    m_view->setObjectName(QStringLiteral("apiTokenList"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setMinimumHeight(m_view->verticalHeader()->defaultSectionSize() * 4);

    m_name->setObjectName(QStringLiteral("apiTokenName"));
    m_name->setPlaceholderText(tr("name, e.g. grafana"));
    m_name->setMaxLength(64);
    m_role->setObjectName(QStringLiteral("apiTokenRole"));
    m_role->addItem(tr("read: GET calls only"), QStringLiteral("read"));
    m_role->addItem(tr("operate: every call"), QStringLiteral("operate"));
    m_add->setObjectName(QStringLiteral("addApiToken"));
    m_revoke->setObjectName(QStringLiteral("revokeApiToken"));
    m_revoke->setEnabled(false);

    m_newToken->setObjectName(QStringLiteral("newApiToken"));
    m_newToken->setReadOnly(true);
    m_copy->setObjectName(QStringLiteral("copyNewApiToken"));
    m_copy->setText(tr("Copy"));
    m_copy->setToolTip(tr("Copy the new token to the clipboard"));
    auto *newRow = new QHBoxLayout(m_newTokenRow);
    newRow->setContentsMargins(0, 0, 0, 0);
    newRow->addWidget(new QLabel(tr("New token, shown this once:"), m_newTokenRow));
    newRow->addWidget(m_newToken, 1);
    newRow->addWidget(m_copy);
    m_newTokenRow->setVisible(false);

    m_status->setObjectName(QStringLiteral("apiTokenStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::PlainText);

    auto *addRow = new QHBoxLayout;
    addRow->addWidget(m_name, 1);
    addRow->addWidget(m_role);
    addRow->addWidget(m_add);
    addRow->addWidget(m_revoke);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    layout->addLayout(addRow);
    layout->addWidget(m_newTokenRow);
    layout->addWidget(m_status);

    connect(m_add, &QPushButton::clicked, this, &ApiTokensWidget::add);
    connect(m_name, &QLineEdit::returnPressed, this, &ApiTokensWidget::add);
    connect(m_revoke, &QPushButton::clicked, this, &ApiTokensWidget::revoke);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_revoke->setEnabled(m_view->selectionModel()->hasSelection()); });
    connect(m_copy, &QToolButton::clicked, this, [this] {
        if (QClipboard *clipboard = QGuiApplication::clipboard())
            clipboard->setText(m_newToken->text());
    });
    refresh();
}

ApiTokensWidget::~ApiTokensWidget() = default;

void ApiTokensWidget::refresh()
{
    m_queue->readApiTokens(this, [this](const QueueResult<QVector<ApiTokenInfo>> &result) {
        if (!result.ok()) {
            showProblem(tr("Cannot read the API tokens: %1").arg(result.error.message));
            emit updated();
            return;
        }
        m_model->removeRows(0, m_model->rowCount());
        for (const ApiTokenInfo &token : *result.value) {
            QList<QStandardItem *> row{
                new QStandardItem(token.name), new QStandardItem(tokenRoleName(token.role)),
                new QStandardItem(formatTimestamp(token.createdMs)),
                new QStandardItem(token.lastUsedMs ? formatTimestamp(*token.lastUsedMs)
                                                   : tr("never"))};
            m_model->appendRow(row);
        }
        m_view->resizeColumnsToContents();
        m_revoke->setEnabled(m_view->selectionModel()->hasSelection());
        emit updated();
    });
}

void ApiTokensWidget::add()
{
    const QString name = m_name->text().trimmed();
    // Checked here too, so that a bad name is named before anything is sent.
    if (const QString problem = ApiTokens::nameProblem(name); !problem.isEmpty()) {
        showProblem(problem);
        m_name->setFocus();
        emit updated();
        return;
    }
    const TokenRole role =
        tokenRoleFromString(m_role->currentData().toString()).value_or(TokenRole::Read);
    m_add->setEnabled(false);
    m_queue->addApiToken(this, name, role, [this, name](const QueueResult<QByteArray> &result) {
        m_add->setEnabled(true);
        if (!result.ok()) {
            showProblem(result.error.message);
            emit updated();
            return;
        }
        m_name->clear();
        m_newToken->setText(QString::fromLatin1(*result.value));
        m_newTokenRow->setVisible(true);
        PaletteColors::setStatusText(m_status, JobStatus::Completed);
        m_status->setText(tr("Added API token %1. Copy it now: it is not shown again.").arg(name));
        refresh();
    });
}

void ApiTokensWidget::revoke()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows(0);
    if (rows.isEmpty())
        return;
    const QString name = rows.first().data().toString();
    QMessageBox *box = safeConfirmation(
        this, QStringLiteral("revokeApiTokenConfirmation"), tr("Revoke API token"),
        tr("Revoke API token \"%1\"?\n\nEvery script or dashboard that uses it is refused from "
           "then on. This cannot be undone: a new token has to be added and handed out.")
            .arg(name));
    QPushButton *confirm = box->addButton(tr("&Revoke Token"), QMessageBox::DestructiveRole);
    confirm->setObjectName(QStringLiteral("revokeApiTokenButton"));
    connect(box, &QMessageBox::finished, this, [this, box, confirm, name] {
        if (box->clickedButton() == confirm)
            revokeNamed(name);
    });
    box->open();
}

void ApiTokensWidget::revokeNamed(const QString &name)
{
    m_revoke->setEnabled(false);
    m_queue->revokeApiToken(this, name, [this, name](const QueueResult<bool> &result) {
        if (!result.ok()) {
            showProblem(result.error.message);
            emit updated();
            return;
        }
        m_newTokenRow->setVisible(false);
        m_newToken->clear();
        PaletteColors::setStatusText(m_status, JobStatus::Completed);
        m_status->setText(tr("Revoked API token %1: it no longer works.").arg(name));
        refresh();
    });
}

void ApiTokensWidget::showProblem(const QString &text)
{
    PaletteColors::setStatusText(m_status, JobStatus::Failed);
    m_status->setText(text);
}
