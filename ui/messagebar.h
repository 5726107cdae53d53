#pragma once

#include <QFrame>

class QLabel;
class QTimer;
class QToolButton;

/// An inline message line above the tables: results of what the operator did and routine
/// failures, instead of modal boxes. Information hides itself after a while; warnings and
/// errors stay until closed or replaced. It lives in a NoticeArea of fixed height: a message
/// longer than two lines is cut with an ellipsis, the whole of it in the tooltip and text().
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

    /// Frame, margins and spacing around the text, top and bottom together.
    static constexpr int VerticalPadding = 12;

    explicit MessageBar(QWidget *parent = nullptr);
    ~MessageBar() override;

    void showMessage(const QString &text, Level level = Level::Info);
    /// A notice the operator did not ask for ("Queue empty: …"): it never takes the place of a
    /// message still shown, which is what the operator's last action said; it follows it
    /// ("Queued 2 jobs again. · Queue empty: …"), a later notice replacing an earlier one.
    void showNotice(const QString &text, Level level = Level::Info);
    void clear();
    /// What an information message's timer does when it runs out: clear().
    void expire();
    /// The whole message, also when the bar shows it cut.
    QString text() const { return m_text; }
    Level level() const { return m_level; }
    /// True while a message is shown.
    bool isShown() const { return m_shown; }

signals:
    /// A message appeared, or was closed or expired.
    void shownChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void setShown(bool shown);
    void updateLabel();

    QLabel *m_icon = nullptr;
    QLabel *m_label = nullptr;
    QToolButton *m_close = nullptr;
    QTimer *m_hideTimer = nullptr;
    void display(Level level);

    Level m_level = Level::Info;
    QString m_text;
    QString m_message; ///< showMessage()'s text, while shown
    Level m_messageLevel = Level::Info;
    bool m_shown = false;
};
