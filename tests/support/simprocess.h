#pragma once

#include <QProcess>
#include <QStringList>
#include <QUrl>

/// Runs the real dealerq-sim (DEALERQ_SIM_PATH) on a free loopback port for the length of a
/// test; extra arguments (faults, record counts, a token) are passed through.
class SimProcess final
{
    Q_DISABLE_COPY_MOVE(SimProcess)

public:
    explicit SimProcess(QStringList extraArgs = {});
    ~SimProcess();

    /// Starts the simulator and waits (up to 10 s) for the port it prints; false with a
    /// reason in *error when it does not come up.
    bool start(QString *error = nullptr);
    /// `http://127.0.0.1:PORT/`, valid after a successful start().
    QUrl baseUrl() const;
    quint16 port() const;
    /// Ends the simulator (SIGTERM, then SIGKILL if it lingers). The destructor calls it.
    void stop();

private:
    QStringList m_args;
    QProcess m_process;
    quint16 m_port = 0;
};
