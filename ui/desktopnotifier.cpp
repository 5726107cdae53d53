#include "desktopnotifier.h"

#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDateTime>
#include <QSystemTrayIcon>
#include <QTimer>

namespace {

const QString Service = QStringLiteral("org.freedesktop.Notifications");
const QString Path = QStringLiteral("/org/freedesktop/Notifications");
const QString Interface = QStringLiteral("org.freedesktop.Notifications");

} // namespace

DesktopNotifier::DesktopNotifier(QDBusConnection bus, QObject *parent)
    : QObject(parent)
    , m_bus(std::move(bus))
    , m_now([] { return QDateTime::currentMSecsSinceEpoch(); })
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &DesktopNotifier::showDue);
    if (m_bus.isConnected()) {
        m_bus.connect(Service, Path, Interface, QStringLiteral("ActionInvoked"), this,
                      SLOT(onActionInvoked(uint, QString)));
        m_bus.connect(Service, Path, Interface, QStringLiteral("NotificationClosed"), this,
                      SLOT(onNotificationClosed(uint, uint)));
    }
}

DesktopNotifier::~DesktopNotifier() = default;

void DesktopNotifier::setClock(std::function<qint64()> now)
{
    m_now = std::move(now);
}

void DesktopNotifier::setTray(QSystemTrayIcon *tray)
{
    if (m_tray)
        disconnect(m_tray, nullptr, this, nullptr);
    m_tray = tray;
    if (m_tray)
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            m_throttle.seen();
            emit failedJobsWanted();
        });
}

void DesktopNotifier::jobFinished(const Job &job)
{
    m_events.jobFinished(job, m_now());
    if (job.status != JobStatus::Failed)
        return;
    if (const std::optional<AlertNotice> notice = m_throttle.jobFailed(m_now()))
        show(*notice);
    armTimer();
}

void DesktopNotifier::queueEmpty()
{
    const int completed = m_events.completedSinceEmpty();
    const int failed = m_events.failedSinceEmpty();
    if (!m_events.queueEmpty(m_now()))
        return;
    if (const std::optional<AlertNotice> notice =
            m_throttle.queueDrained(m_now(), completed, failed))
        show(*notice);
    armTimer();
}

void DesktopNotifier::showDue()
{
    if (const std::optional<AlertNotice> notice = m_throttle.takeDue(m_now()))
        show(*notice);
    armTimer();
}

void DesktopNotifier::armTimer()
{
    const qint64 due = m_throttle.dueAtMs();
    if (due == 0) {
        m_timer->stop();
        return;
    }
    m_timer->start(int(qBound<qint64>(0LL, due - m_now(), 60000LL)));
}

void DesktopNotifier::show(const AlertNotice &notice)
{
    QString summary;
    QString body;
    if (notice.failed > 0) {
        summary = tr("%Ln job(s) failed", nullptr, notice.failed);
        body = notice.drained ? tr("The queue is empty: %Ln job(s) completed, %1 failed.", nullptr,
                                   notice.drainedCompleted)
                                    .arg(notice.drainedFailed)
                              : tr("Click to see the failed jobs.");
    } else {
        summary = tr("Queue empty");
        body = tr("%Ln job(s) completed, %1 failed.", nullptr, notice.drainedCompleted)
                   .arg(notice.drainedFailed);
    }
    if (!m_bus.isConnected()) {
        showThroughTray(summary, body);
        return;
    }
    QDBusMessage call =
        QDBusMessage::createMethodCall(Service, Path, Interface, QStringLiteral("Notify"));
    const QStringList actions{QStringLiteral("default"), tr("Show failed jobs")};
    QVariantMap hints{
        {QStringLiteral("desktop-entry"), QStringLiteral(DEALERQ_APP_ID)},
        {QStringLiteral("urgency"),
         QVariant::fromValue(uchar(notice.failed > 0 || notice.drainedFailed > 0 ? 1 : 0))}};
    call << QStringLiteral("dealerq") << m_lastId << QStringLiteral(DEALERQ_APP_ID) << summary
         << body << (notice.failed > 0 || notice.drainedFailed > 0 ? actions : QStringList())
         << hints << int(-1);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call, 5000), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, summary, body] {
        watcher->deleteLater();
        const QDBusPendingReply<uint> reply = *watcher;
        if (reply.isError()) {
            // No notification server (or a broken one): the tray, if there is one.
            showThroughTray(summary, body);
            return;
        }
        m_lastId = reply.value();
        emit shown(summary, body, Route::DBus);
    });
}

void DesktopNotifier::showThroughTray(const QString &summary, const QString &body)
{
    if (m_tray && m_tray->isVisible() && QSystemTrayIcon::supportsMessages()) {
        m_tray->showMessage(summary, body, QSystemTrayIcon::Information, 10000);
        emit shown(summary, body, Route::Tray);
        return;
    }
    emit shown(summary, body, Route::None);
}

void DesktopNotifier::onActionInvoked(uint id, const QString &action)
{
    if (id == m_lastId && id != 0 && action == QLatin1String("default")) {
        m_throttle.seen();
        emit failedJobsWanted();
    }
}

void DesktopNotifier::onNotificationClosed(uint id, uint reason)
{
    Q_UNUSED(reason) // expired, dismissed or closed: either way it is off the screen
    if (id != m_lastId || id == 0)
        return;
    m_throttle.seen();
    m_lastId = 0;
}
