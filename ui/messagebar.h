#pragma once

#include <QFrame>

class QLabel;
class QTimer;
class QToolButton;

/// An inline message line above the tables: results of what the operator did and routine
/// failures, instead of modal boxes. Information hides itself after a while; warnings and
/// errors stay until closed or replaced.
class MessageBar final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageBar)

public:
    enum class Level
    {
        Info,
        Warning,
        Error
    };

    explicit MessageBar(QWidget *parent = nullptr);
    ~MessageBar() override;

    void showMessage(const QString &text, Level level = Level::Info);
    void clear();
    QString text() const;
    Level level() const { return m_level; }

private:
    QLabel *m_icon = nullptr;
    QLabel *m_label = nullptr;
    QToolButton *m_close = nullptr;
    QTimer *m_hideTimer = nullptr;
    Level m_level = Level::Info;
};
