// The window's desktop notifications (SPEC §7) through a real D-Bus: a private dbus-daemon,
// and a notification server on it that records what it is asked to show.
#include "desktopnotifier.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

namespace {

/// What a notification server (org.freedesktop.Notifications) was asked.
struct Notification
{
    uint replacesId = 0;
    QString appName;
    QString summary;
    QString body;
    QStringList actions;
};

} // namespace

/// The server side of the freedesktop notifications interface, recording each Notify.
class FakeNotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    QList<Notification> received;

public slots:
    uint Notify(const QString &appName, uint replacesId, const QString &icon,
                const QString &summary, const QString &body, const QStringList &actions,
                const QVariantMap &hints, int timeout)
    {
        Q_UNUSED(icon)
        Q_UNUSED(hints)
        Q_UNUSED(timeout)
        received << Notification{replacesId, appName, summary, body, actions};
        return replacesId != 0 ? replacesId : uint(100 + received.size());
    }
};

class TestDesktopNotifier : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void failuresAreGatheredAndClickable();
    void withoutServerFallsBack();

private:
    Job failedJob(qint64 id) const
    {
        Job job;
        job.id = id;
        job.dealerId = QStringLiteral("D%1").arg(id);
        job.fetchType = QStringLiteral("sales");
        job.status = JobStatus::Failed;
        job.startedMs = 1000;
        job.finishedMs = 2000;
        job.error = JobError{QStringLiteral("HTTP 500"), ErrorCategory::Http};
        return job;
    }

    QProcess m_daemon;
    QString m_address;
};

void TestDesktopNotifier::initTestCase()
{
    const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
    if (daemon.isEmpty())
        QSKIP("dbus-daemon is not installed (apt-get install dbus-daemon)");
    m_daemon.start(daemon, {"--session", "--nofork", "--print-address"});
    QVERIFY(m_daemon.waitForStarted(10000));
    QTRY_VERIFY_WITH_TIMEOUT(m_daemon.canReadLine(), 10000);
    m_address = QString::fromLatin1(m_daemon.readLine().trimmed());
    QVERIFY(!m_address.isEmpty());
}

void TestDesktopNotifier::cleanupTestCase()
{
    m_daemon.terminate();
    m_daemon.waitForFinished(5000);
}

void TestDesktopNotifier::failuresAreGatheredAndClickable()
{
    QDBusConnection serverBus = QDBusConnection::connectToBus(m_address, QStringLiteral("server"));
    QVERIFY2(serverBus.isConnected(), qPrintable(serverBus.lastError().message()));
    FakeNotificationServer server;
    QVERIFY(serverBus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &server,
                                     QDBusConnection::ExportAllSlots));
    QVERIFY(serverBus.registerService(QStringLiteral("org.freedesktop.Notifications")));

    QDBusConnection clientBus = QDBusConnection::connectToBus(m_address, QStringLiteral("client"));
    QVERIFY(clientBus.isConnected());
    DesktopNotifier notifier(clientBus);
    qint64 now = 5000000;
    notifier.setClock([&now] { return now; });
    QSignalSpy shown(&notifier, &DesktopNotifier::shown);
    QSignalSpy wanted(&notifier, &DesktopNotifier::failedJobsWanted);

    // The first failure is shown at once, with a default action to open the failed jobs.
    notifier.jobFinished(failedJob(1));
    QVERIFY(shown.wait(10000));
    QCOMPARE(server.received.size(), 1);
    QCOMPARE(server.received[0].appName, QStringLiteral("dealerq"));
    QVERIFY2(server.received[0].summary.startsWith(QStringLiteral("1 job")) &&
                 server.received[0].summary.endsWith(QStringLiteral("failed")),
             qPrintable(server.received[0].summary));
    QVERIFY(server.received[0].actions.contains(QStringLiteral("default")));
    QCOMPARE(shown.first().at(2).value<DesktopNotifier::Route>(), DesktopNotifier::Route::DBus);

    // Two more failures and a drained queue within 10 s: nothing now, one notice at 10 s.
    now += 2000;
    Job completed = failedJob(2);
    completed.status = JobStatus::Completed;
    completed.error = {};
    notifier.jobFinished(completed);
    notifier.jobFinished(failedJob(3));
    now += 3000;
    notifier.jobFinished(failedJob(4));
    notifier.queueEmpty();
    QTest::qWait(100);
    QCOMPARE(server.received.size(), 1);
    now = 5000000 + 9999;
    notifier.showDue();
    QTest::qWait(100);
    QCOMPARE(server.received.size(), 1);
    now = 5000000 + 10000;
    notifier.showDue();
    QTRY_COMPARE_WITH_TIMEOUT(server.received.size(), 2, 10000);
    const Notification &gathered = server.received[1];
    // It replaces the first, so its title counts all three failures, as its text does.
    QVERIFY2(gathered.summary.startsWith(QStringLiteral("3 job")), qPrintable(gathered.summary));
    // "The queue is empty: 1 job completed, 3 failed."
    QVERIFY2(gathered.body.contains(QStringLiteral("empty")) &&
                 gathered.body.contains(QStringLiteral("1 job")) &&
                 gathered.body.contains(QStringLiteral("3 failed")),
             qPrintable(gathered.body));
    QCOMPARE(gathered.replacesId, 101u); // replaces the first: one notice on screen, not a pile
    QTRY_COMPARE_WITH_TIMEOUT(shown.size(), 2, 5000);

    // Clicking it (the server's ActionInvoked) asks for the failed jobs; another id does not.
    QDBusMessage click = QDBusMessage::createSignal(
        QStringLiteral("/org/freedesktop/Notifications"),
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("ActionInvoked"));
    click << 999u << QStringLiteral("default");
    QVERIFY(serverBus.send(click));
    QTest::qWait(200);
    QCOMPARE(wanted.size(), 0);
    click.setArguments({101u, QStringLiteral("default")});
    QVERIFY(serverBus.send(click));
    QTRY_COMPARE_WITH_TIMEOUT(wanted.size(), 1, 5000);

    // Seen: the next failure counts afresh, still in the same place on screen.
    now += 60000;
    notifier.jobFinished(failedJob(5));
    QTRY_COMPARE_WITH_TIMEOUT(server.received.size(), 3, 10000);
    QVERIFY2(server.received[2].summary.startsWith(QStringLiteral("1 job")),
             qPrintable(server.received[2].summary));
    QCOMPARE(server.received[2].replacesId, 101u);
    // Closed by the server (expired or dismissed): the next notice is a new one.
    QDBusMessage closed = QDBusMessage::createSignal(
        QStringLiteral("/org/freedesktop/Notifications"),
        QStringLiteral("org.freedesktop.Notifications"), QStringLiteral("NotificationClosed"));
    closed << 101u << 1u;
    QVERIFY(serverBus.send(closed));
    QTest::qWait(200);
    now += 60000;
    notifier.jobFinished(failedJob(6));
    QTRY_COMPARE_WITH_TIMEOUT(server.received.size(), 4, 10000);
    QVERIFY2(server.received[3].summary.startsWith(QStringLiteral("1 job")),
             qPrintable(server.received[3].summary));
    QCOMPARE(server.received[3].replacesId, 0u);

    serverBus.unregisterService(QStringLiteral("org.freedesktop.Notifications"));
    QDBusConnection::disconnectFromBus(QStringLiteral("server"));
    QDBusConnection::disconnectFromBus(QStringLiteral("client"));
}

void TestDesktopNotifier::withoutServerFallsBack()
{
    // A bus without a notification server: the notice goes to the tray, and where there is none
    // (as offscreen), it says so instead of failing.
    QDBusConnection bus = QDBusConnection::connectToBus(m_address, QStringLiteral("lonely"));
    QVERIFY(bus.isConnected());
    QVERIFY(!bus.interface()->isServiceRegistered(QStringLiteral("org.freedesktop.Notifications")));
    DesktopNotifier notifier(bus);
    QSignalSpy shown(&notifier, &DesktopNotifier::shown);
    notifier.jobFinished(failedJob(1));
    QVERIFY(shown.wait(10000));
    QCOMPARE(shown.first().at(2).value<DesktopNotifier::Route>(), DesktopNotifier::Route::None);
    QDBusConnection::disconnectFromBus(QStringLiteral("lonely"));
}

QTEST_MAIN(TestDesktopNotifier)
#include "tst_desktopnotifier.moc"
