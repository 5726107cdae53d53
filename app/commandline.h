#pragma once

#include <QString>
#include <QStringList>

/// The command line of SPEC §3, parsed and checked for consistency.
struct CommandLine
{
    QString db;
    QString source;
    bool demo = false;
    bool headless = false;
    bool drain = false;
    QString enqueue; ///< comma-separated dealer IDs
    QString bulkFile;
    QString fetchType;
    QString from;
    QString to;
    int priority = 0;
    bool partial = false;
    bool runNext = false;
    QString exportCsv;
    QString exportXlsx;
    QString apiListen;
    bool apiAllowRemote = false;
    QString apiToken;
    bool noApi = false;
    QString settingsFile;
    bool help = false;
    bool version = false;
    QString helpText;

    bool queuesJobs() const { return !enqueue.isEmpty() || !bulkFile.isEmpty(); }
    /// One-shot work: done and exit, unless --headless is given too.
    bool isOneShot() const { return queuesJobs() || !exportCsv.isEmpty() || !exportXlsx.isEmpty(); }
};

/// Parses `arguments` (the program name first). Returns false with one line per problem.
bool parseCommandLine(const QStringList &arguments, CommandLine *out, QStringList *errors);

/// Checks HOST:PORT for the REST API; false with a reason. A non-loopback host needs
/// `allowRemote`.
bool checkListenAddress(const QString &text, bool allowRemote, QString *host, quint16 *port,
                        QString *error);
