#pragma once

#include "alert/alertevents.h"
#include "job/job.h"

#include <QDBusConnection>
#include <QObject>

#include <functional>

class QSystemTrayIcon;
class QTimer;

/// The window's desktop notifications (SPEC §7): "3 jobs failed", and the queue running empty
/// after a run of jobs, at most one per 10 s. Sent through the freedesktop notifications
/// interface on the session bus; where no notification server answers, through the tray icon.
/// Clicking one (its default action, or the tray message) asks for the failed jobs.
class DesktopNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DesktopNotifier)

public:
    enum class Route
    {
        None, ///< neither a notification server nor a tray
        DBus,
        Tray
    };
    Q_ENUM(Route)

    /// `bus` is the session bus in the application; a test passes a private one. `now` is the
    /// clock of the rate limit (wall-clock milliseconds by default).
    explicit DesktopNotifier(QDBusConnection bus = QDBusConnection::sessionBus(),
                             QObject *parent = nullptr);
    ~DesktopNotifier() override;

    void setClock(std::function<qint64()> now);
    /// The tray icon to fall back to (may be null); its message clicks ask for the failed jobs.
    void setTray(QSystemTrayIcon *tray);

public slots:
    void jobFinished(const Job &job);
    void queueEmpty();
    /// Shows the gathered notice if its time has come (the timer calls it; so may a test that
    /// moved the clock).
    void showDue();

signals:
    /// A notice went out: its title and text, and the way it took.
    void shown(const QString &summary, const QString &body, DesktopNotifier::Route route);
    /// The operator clicked a notice: show the failed jobs.
    void failedJobsWanted();

private slots:
    void onActionInvoked(uint id, const QString &action);
    /// The server took our notice off the screen: the next one is new and counts afresh.
    void onNotificationClosed(uint id, uint reason);

private:
    void show(const AlertNotice &notice);
    void showThroughTray(const QString &summary, const QString &body);
    void armTimer();

    QDBusConnection m_bus;
    std::function<qint64()> m_now;
    AlertEvents m_events;
    NoticeThrottle m_throttle;
    QTimer *m_timer = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    uint m_lastId = 0; ///< the server's id of our latest notice, replaced by the next one
};
