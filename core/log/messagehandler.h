#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

/// How dealerq writes its log (core/log/logging.h's categories and Qt's own messages): one line
/// per message on stderr,
///   on a terminal   `2026-03-01 12:00:00.123 info dealerq.runner: job 7 (D1 prospect) started`
///   under systemd   `<6>dealerq.runner: job 7 (D1 prospect) started`
/// — the syslog priority first (SyslogLevelPrefix=, on by default), so that journald records
/// it (`journalctl -u dealerq -p warning`), and no time (journald has it). QT_MESSAGE_PATTERN
/// replaces the text after the priority; QT_LOGGING_RULES chooses what is written.
namespace Logging {

/// Whether `journalStream`, the value of JOURNAL_STREAM ("DEVICE:INODE", decimal, as systemd
/// sets it for a service whose output goes to the journal), names the file `fd` is open on.
/// A child that inherited the variable but writes elsewhere (a terminal, a pipe) is not.
bool isJournalStream(const QByteArray &journalStream, int fd);

/// The syslog priority of a message type: 7 debug, 6 info, 4 warning, 3 critical, 2 fatal.
int syslogPriority(QtMsgType type);

/// The message pattern (qSetMessagePattern) for the terminal or the journal.
QString messagePattern(bool journal);

/// Installs the message handler and pattern, for the journal when JOURNAL_STREAM names stderr,
/// and a category filter that keeps Qt's debug messages that would show a secret off (the
/// request dumps of qt.httpserver and the categories below it, with the Authorization header).
/// Returns whether it writes for the journal.
bool installMessageHandler();

/// What a line that a command writes on stderr itself (not through the log) begins with: the
/// priority `<N>` of `type` when installMessageHandler() found stderr to be the journal, so that
/// every line there has one (`<3>` for the reason a service exits with); else nothing.
const char *linePrefix(QtMsgType type);

} // namespace Logging
