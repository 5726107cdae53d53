#pragma once

#include <QWidget>

class MessageBar;
class QLabel;

/// The one place above the tables where messages and the runner's standing notice (database
/// unreachable, jobs run by another instance) appear. Its height never changes, so that nothing
/// which appears or expires on its own moves what is under the pointer. A message goes before
/// the notice; the notice shows again once the message is closed or expires.
class NoticeArea final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NoticeArea)

public:
    /// Takes `bar` and `notice` into this area (they become its children).
    NoticeArea(MessageBar *bar, QLabel *notice, QWidget *parent = nullptr);
    ~NoticeArea() override;

public slots:
    /// Shows the message or, without one, the notice when it has text.
    void updateShown();

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateHeight();

    MessageBar *m_bar = nullptr;
    QLabel *m_notice = nullptr;
};
