#include "simprocess.h"

#include <algorithm>

#include <QDeadlineTimer>

SimProcess::SimProcess(QStringList extraArgs)
    : m_args(std::move(extraArgs))
{}

SimProcess::~SimProcess()
{
    stop();
}

bool SimProcess::start(QString *error)
{
    const auto fail = [&](const QString &why) {
        if (error)
            *error = why;
        stop();
        return false;
    };
    m_process.setProgram(QStringLiteral(DEALERQ_SIM_PATH));
    m_process.setArguments(QStringList{QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")} +
                           m_args);
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.setReadChannel(QProcess::StandardOutput);
    m_process.start();
    if (!m_process.waitForStarted(10000))
        return fail(QStringLiteral("dealerq-sim did not start: %1").arg(m_process.errorString()));

    const QDeadlineTimer deadline(10000);
    while (!m_process.canReadLine()) {
        if (m_process.state() != QProcess::Running || deadline.hasExpired())
            return fail(QStringLiteral("dealerq-sim printed no port: %1")
                            .arg(QString::fromLocal8Bit(m_process.readAllStandardError())));
        m_process.waitForReadyRead(static_cast<int>(std::max<qint64>(1, deadline.remainingTime())));
    }
    bool ok = false;
    const uint port = m_process.readLine().trimmed().toUInt(&ok);
    if (!ok || port == 0 || port > 65535)
        return fail(QStringLiteral("dealerq-sim printed no port"));
    m_port = static_cast<quint16>(port);
    return true;
}

QUrl SimProcess::baseUrl() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(m_port));
}

quint16 SimProcess::port() const
{
    return m_port;
}

void SimProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}
