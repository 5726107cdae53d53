// ThreadRelay: calls from a worker thread reach the receiver's thread in order, all of them;
// a quick run waits for the interval, flush() and a quiet interval send at once; forward()
// carries a signal's arguments the same way.

#include "queue/threadrelay.h"

#include <QSemaphore>
#include <QTest>
#include <QThread>

/// Emits what it is told to, on whatever thread it lives.
class Speaker : public QObject
{
    Q_OBJECT

signals:
    void said(const QString &word, int n);
};

class tst_ThreadRelay : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void keepsEveryCallInOrder();
    void holdsAQuickRunForTheInterval();
    void flushSendsAtOnce();
    void aCallAfterAQuietIntervalGoesAtOnce();
    void forwardsASignalWithItsArguments();

private:
    /// Makes the relay and starts the worker thread it lives on (after, so that the thread's
    /// start orders the relay's construction before its use there).
    void makeRelay(int intervalMs);
    /// Runs `work` on the worker thread, where the relay lives.
    template<typename Work> void onWorker(Work work)
    {
        QMetaObject::invokeMethod(m_relay, std::move(work), Qt::QueuedConnection);
    }

    QThread m_worker;
    ThreadRelay *m_relay = nullptr;
    QStringList m_received; ///< on this (the receiver's) thread
    QSemaphore m_hold;      ///< the worker blocks on it, its event loop stopped
};

void tst_ThreadRelay::init()
{
    m_received.clear();
}

void tst_ThreadRelay::cleanup()
{
    m_hold.release(100); // never leave the worker blocked
    if (m_relay)
        QMetaObject::invokeMethod(m_relay, &QObject::deleteLater);
    m_relay = nullptr;
    m_worker.quit();
    m_worker.wait();
    m_hold.acquire(m_hold.available());
}

void tst_ThreadRelay::makeRelay(int intervalMs)
{
    m_relay = new ThreadRelay(this, intervalMs);
    m_relay->moveToThread(&m_worker);
    m_worker.start();
}

void tst_ThreadRelay::keepsEveryCallInOrder()
{
    makeRelay(20);
    QThread *receiverThread = QThread::currentThread();
    bool wrongThread = false;
    onWorker([this, relay = m_relay, receiverThread, &wrongThread] {
        for (int i = 0; i < 1000; ++i) {
            relay->send([this, i, receiverThread, &wrongThread] {
                wrongThread = wrongThread || QThread::currentThread() != receiverThread;
                m_received << QString::number(i);
            });
        }
    });
    QTRY_COMPARE(m_received.size(), 1000);
    QStringList expected;
    for (int i = 0; i < 1000; ++i)
        expected << QString::number(i);
    QCOMPARE(m_received, expected);
    QVERIFY(!wrongThread);
}

void tst_ThreadRelay::holdsAQuickRunForTheInterval()
{
    makeRelay(500);
    onWorker([this, relay = m_relay, hold = &m_hold] {
        relay->send([this] { m_received << QStringLiteral("a"); }); // the first goes at once
        relay->send([this] { m_received << QStringLiteral("b"); }); // waits for the interval
        hold->acquire();                                            // no event loop here
    });
    QTRY_COMPARE(m_received, QStringList{QStringLiteral("a")});
    QTest::qWait(100);
    QCOMPARE(m_received, QStringList{QStringLiteral("a")}); // the worker is held: "b" waits
    m_hold.release();
    QTRY_COMPARE(m_received, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void tst_ThreadRelay::flushSendsAtOnce()
{
    makeRelay(60 * 1000);
    onWorker([this, relay = m_relay, hold = &m_hold] {
        relay->send([this] { m_received << QStringLiteral("a"); });
        relay->send([this] { m_received << QStringLiteral("b"); });
        relay->flush();
        hold->acquire();
    });
    QTRY_COMPARE(m_received, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void tst_ThreadRelay::aCallAfterAQuietIntervalGoesAtOnce()
{
    makeRelay(50);
    onWorker([this, relay = m_relay, hold = &m_hold] {
        relay->send([this] { m_received << QStringLiteral("a"); });
        QThread::msleep(200); // quiet for longer than the interval
        relay->send([this] { m_received << QStringLiteral("b"); });
        hold->acquire();
    });
    // Both arrive while the worker is still held: "b" did not wait for its timer.
    QTRY_COMPARE(m_received, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void tst_ThreadRelay::forwardsASignalWithItsArguments()
{
    makeRelay(20);
    QThread *receiverThread = QThread::currentThread();
    bool wrongThread = false;
    onWorker([this, relay = m_relay, receiverThread, &wrongThread] {
        Speaker speaker; // on the worker thread, as the runner is
        relay->forward(&speaker, &Speaker::said,
                       [this, receiverThread, &wrongThread](const QString &word, int n) {
                           wrongThread = wrongThread || QThread::currentThread() != receiverThread;
                           m_received << word + QString::number(n);
                       });
        for (int i = 0; i < 100; ++i)
            emit speaker.said(QStringLiteral("w"), i); // gone before the calls arrive
    });
    QTRY_COMPARE(m_received.size(), 100);
    QStringList expected;
    for (int i = 0; i < 100; ++i)
        expected << QStringLiteral("w%1").arg(i);
    QCOMPARE(m_received, expected);
    QVERIFY(!wrongThread);
}

QTEST_GUILESS_MAIN(tst_ThreadRelay)
#include "tst_threadrelay.moc"
