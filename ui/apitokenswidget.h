#pragma once

#include <QWidget>

class JobQueue;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QStandardItemModel;
class QTableView;
class QToolButton;

/// The named REST API tokens (SPEC §8) in Settings: name, role, created, last used; Add shows
/// the new token once, to copy; Revoke ends the selected one at once. Reads and changes go
/// through the JobQueue's store thread; problems show inline, naming the field.
class ApiTokensWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiTokensWidget)

public:
    explicit ApiTokensWidget(JobQueue *queue, QWidget *parent = nullptr);
    ~ApiTokensWidget() override;

    /// Reads the tokens again.
    void refresh();

signals:
    /// A read, an add or a revoke finished (tests wait for it).
    void updated();

private:
    void add();
    void revoke();
    void revokeNamed(const QString &name);
    void showProblem(const QString &text);

    JobQueue *m_queue = nullptr;
    QStandardItemModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QLineEdit *m_name = nullptr;
    QComboBox *m_role = nullptr;
    QPushButton *m_add = nullptr;
    QPushButton *m_revoke = nullptr;
    QWidget *m_newTokenRow = nullptr;
    QLineEdit *m_newToken = nullptr;
    QToolButton *m_copy = nullptr;
    QLabel *m_status = nullptr;
};
