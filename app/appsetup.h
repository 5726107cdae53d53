#pragma once

#include "commandline.h"
#include "config/settings.h"
#include "queue/queuerunner.h"
#include "store/database.h"

#include <QUrl>

#include <memory>
#include <optional>

/// Exit codes of SPEC §3.
enum ExitCode
{
    ExitOk = 0,
    ExitJobsFailed = 1,
    ExitBadInput = 2,
    ExitDatabaseUnreachable = 3
};

/// Everything the command line, the environment and the settings file decide, resolved once.
struct AppSetup
{
    CommandLine cli;
    std::unique_ptr<Settings> settings;
    DatabaseUrl database;
    /// Where the database came from: "--db", "DEALERQ_DB", "settings", or empty (the default
    /// file).
    QString databaseOrigin;
    bool demo = false;
    QUrl sourceUrl; ///< empty in demo mode until the simulator listens
    QByteArray sourceToken;
    /// Where the source token came from: "DEALERQ_SOURCE_TOKEN", "settings", or empty (none).
    QString sourceTokenOrigin;
    /// Where the source came from: "--demo", "--source", "DEALERQ_SOURCE_URL", "settings", or
    /// empty (none configured: the demo simulator).
    QString sourceOrigin;
    /// The source as operators see it: the URL without credentials, or the demo simulator.
    QString sourceDisplay() const;

    RunnerConfig runnerConfig() const;
};

/// A value the command line, the environment or the settings give, and which of them gave it.
struct GivenValue
{
    QString value;
    QString origin; ///< e.g. "--db", "DEALERQ_DB", "settings"; empty when none gave one
};
/// The first non-empty value of `candidates` (value, where it comes from), in order: the
/// command line's before the environment's before the settings'.
GivenValue firstGiven(std::initializer_list<std::pair<QString, QString>> candidates);

/// Prints "dealerq: <line>" on stderr: a command's output (the reason for an exit code), not the
/// log; under systemd with the priority `<3>` first (Logging::linePrefix()).
void printError(const QString &line);

/// The dealer IDs of --bulk-file `path` (`-` = stdin), split on SPEC §3's separators; nothing,
/// with *error set, when it cannot be read or is larger than 64 MiB.
QStringList readIdsFromFile(const QString &path, QString *error);
/// The dealer IDs the command line names: --enqueue's list, then --bulk-file's; nothing, with
/// *error set, when the file cannot be read.
std::optional<QStringList> commandLineDealerIds(const CommandLine &cli, QString *error);

class DealerSimServer;
/// Starts the built-in simulator on a free loopback port (demo mode) and points the setup's
/// source at it; nullptr with a reason on failure.
std::unique_ptr<DealerSimServer> startDemoSimulator(AppSetup &setup, QString *error);
