#include "log/messagehandler.h"

#include <cstdio>
#include <cstring>

#include <QList>
#include <QLoggingCategory>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace {

bool g_journal = false;
QLoggingCategory::CategoryFilter g_previousFilter = nullptr;

/// Qt's categories whose debug messages hold secrets: qt.httpserver and those below it write
/// each request with its headers, the API token's Authorization among them (Qt 6.4 in
/// qt.httpserver, Qt 6.8 in qt.httpserver.http1handler and .http2handler). The whole family is
/// off at debug whatever QT_LOGGING_RULES says, so that a handler a later Qt adds stays quiet too.
bool showsRequests(const char *categoryName)
{
    static constexpr char family[] = "qt.httpserver";
    constexpr std::size_t length = sizeof(family) - 1;
    return std::strncmp(categoryName, family, length) == 0 &&
           (categoryName[length] == '\0' || categoryName[length] == '.');
}

void keepSecretsOut(QLoggingCategory *category)
{
    if (g_previousFilter)
        g_previousFilter(category);
    if (showsRequests(category->categoryName()))
        category->setEnabled(QtDebugMsg, false);
}

void writeMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QString text = qFormatLogMessage(type, context, message);
    QByteArray out;
    if (g_journal) {
        // Each line its own record, each with the priority: journald reads the prefix per line.
        const QByteArray prefix = '<' + QByteArray::number(Logging::syslogPriority(type)) + '>';
        const QList<QByteArray> lines = text.toUtf8().split('\n');
        for (const QByteArray &line : lines)
            out += prefix + line + '\n';
    } else {
        out = text.toUtf8() + '\n';
    }
    // One write per message, so that lines from several threads never interleave.
    std::fwrite(out.constData(), 1, size_t(out.size()), stderr);
    std::fflush(stderr);
}

} // namespace

namespace Logging {

bool isJournalStream(const QByteArray &journalStream, int fd)
{
#ifdef Q_OS_UNIX
    const int colon = journalStream.indexOf(':');
    if (colon <= 0)
        return false;
    bool deviceOk = false;
    bool inodeOk = false;
    const qulonglong device = journalStream.left(colon).toULongLong(&deviceOk);
    const qulonglong inode = journalStream.mid(colon + 1).toULongLong(&inodeOk);
    struct stat info;
    if (!deviceOk || !inodeOk || ::fstat(fd, &info) != 0)
        return false;
    return qulonglong(info.st_dev) == device && qulonglong(info.st_ino) == inode;
#else
    Q_UNUSED(journalStream)
    Q_UNUSED(fd)
    return false;
#endif
}

int syslogPriority(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return 7; // LOG_DEBUG
    case QtInfoMsg:
        return 6; // LOG_INFO
    case QtWarningMsg:
        return 4; // LOG_WARNING
    case QtCriticalMsg:
        return 3; // LOG_ERR
    case QtFatalMsg:
        return 2; // LOG_CRIT
    }
    return 6;
}

QString messagePattern(bool journal)
{
    // %{if-category}: Qt's own uncategorised messages ("default") show without a name.
    return journal ? QStringLiteral("%{if-category}%{category}: %{endif}%{message}")
                   : QStringLiteral("%{time yyyy-MM-dd HH:mm:ss.zzz} %{type} "
                                    "%{if-category}%{category}: %{endif}%{message}");
}

bool installMessageHandler()
{
#ifdef Q_OS_UNIX
    g_journal = isJournalStream(qgetenv("JOURNAL_STREAM"), STDERR_FILENO);
#endif
    qSetMessagePattern(messagePattern(g_journal)); // QT_MESSAGE_PATTERN still wins
    qInstallMessageHandler(writeMessage);
    g_previousFilter = QLoggingCategory::installFilter(keepSecretsOut);
    return g_journal;
}

const char *linePrefix(QtMsgType type)
{
    if (!g_journal)
        return "";
    switch (syslogPriority(type)) {
    case 7:
        return "<7>";
    case 6:
        return "<6>";
    case 4:
        return "<4>";
    case 3:
        return "<3>";
    default:
        return "<2>";
    }
}

} // namespace Logging
