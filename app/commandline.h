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
    QString apiTlsCert; ///< PEM certificate file: serve the API over HTTPS (with apiTlsKey)
    QString apiTlsKey;
    bool noApi = false;
    QString settingsFile;
    // Schedules (SPEC §6): at most one operation per run.
    QString scheduleAdd; ///< the new schedule's name
    QString cron;
    QString window;
    QString timezone; ///< empty: this machine's zone
    QString catchUp;  ///< `once` or `skip`; empty: once
    int fallbackDays = 1;
    bool scheduleList = false;
    QString scheduleRun; ///< names of existing schedules
    QString scheduleEnable;
    QString scheduleDisable;
    QString scheduleRemove;
    // Named API tokens (SPEC §8): at most one operation per run.
    QString tokenAdd; ///< the new token's name
    QString role;     ///< with tokenAdd: `read` or `operate`
    bool tokenList = false;
    QString tokenRevoke;
    /// SPEC §11: fetch the first page of one dealer (--enqueue) and type, store nothing.
    bool checkSource = false;
    bool help = false;
    bool version = false;
    QString helpText;

    /// --enqueue or --bulk-file: dealer IDs for jobs, or for the schedule --schedule-add makes.
    bool namesDealers() const { return !enqueue.isEmpty() || !bulkFile.isEmpty(); }
    bool queuesJobs() const { return namesDealers() && scheduleAdd.isEmpty() && !checkSource; }
    bool changesSchedules() const
    {
        return !scheduleAdd.isEmpty() || !scheduleRun.isEmpty() || !scheduleEnable.isEmpty() ||
               !scheduleDisable.isEmpty() || !scheduleRemove.isEmpty();
    }
    bool hasScheduleOperation() const { return scheduleList || changesSchedules(); }
    bool changesTokens() const { return !tokenAdd.isEmpty() || !tokenRevoke.isEmpty(); }
    bool hasTokenOperation() const { return tokenList || changesTokens(); }
    /// One-shot work: done and exit, unless --headless is given too.
    bool isOneShot() const
    {
        return namesDealers() || hasScheduleOperation() || hasTokenOperation() ||
               !exportCsv.isEmpty() || !exportXlsx.isEmpty() || checkSource;
    }
};

/// Parses `arguments` (the program name first). Returns false with one line per problem.
bool parseCommandLine(const QStringList &arguments, CommandLine *out, QStringList *errors);

/// Checks HOST:PORT for the REST API; false with a reason. A non-loopback host needs
/// `allowRemote`.
bool checkListenAddress(const QString &text, bool allowRemote, QString *host, quint16 *port,
                        QString *error);
