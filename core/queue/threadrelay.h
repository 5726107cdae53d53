#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QVector>

#include <functional>
#include <memory>
#include <mutex>

class QTimer;

/// Carries calls from a busy worker thread to an object on another thread in batches: a run of
/// quick events wakes the receiver's thread once per interval instead of once per event (on a
/// small machine each wake-up takes a core from the work itself). The calls keep their order;
/// the first one after a quiet interval goes out at once. Lives on the worker thread.
class ThreadRelay final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ThreadRelay)

public:
    /// `receiver` must outlive the calls sent to it, or be destroyed on its own thread (a
    /// batch posted to a destroyed receiver is dropped by Qt).
    ThreadRelay(QObject *receiver, int intervalMs);

    /// Worker thread only. `call` runs on the receiver's thread, after every call sent before it.
    void send(std::function<void()> call);
    /// Worker thread only: posts what is waiting now (before the worker stops, say).
    void flush();
    /// Sends every emission of `signal` by `sender` (which lives on the worker thread): `slot`
    /// runs on the receiver's thread with copies of all the signal's arguments.
    template<typename Sender, typename Signal, typename Slot>
    QMetaObject::Connection forward(const Sender *sender, Signal signal, Slot slot)
    {
        return connect(
            sender, signal, this,
            [this, slot](auto... args) { send([slot, args...] { slot(args...); }); },
            Qt::DirectConnection);
    }

private:
    /// Where flush() leaves batches for the receiver's thread to take. The hand-over goes
    /// through this mutex rather than only through Qt's event queue, so that the calls' captured
    /// data is visibly published to the receiver (ThreadSanitizer cannot see the ordering inside
    /// an uninstrumented Qt). Shared with the posted calls: it outlives the relay.
    struct Mailbox
    {
        std::mutex mutex;
        QVector<std::function<void()>> calls;
    };

    QObject *m_receiver;
    const int m_intervalMs;
    QTimer *m_timer;
    QElapsedTimer m_sinceFlush;
    QVector<std::function<void()>> m_pending;
    const std::shared_ptr<Mailbox> m_mailbox = std::make_shared<Mailbox>();
};
