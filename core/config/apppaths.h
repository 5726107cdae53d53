#pragma once

#include <QString>
#include <QStringList>

/// Where dealerq keeps its files by default (SPEC §9), from the XDG base directories (through
/// QStandardPaths, so `XDG_CONFIG_HOME` and `XDG_DATA_HOME` apply):
///   settings   `~/.config/dealerq/dealerq.ini` (may hold tokens: owner-only)
///   database   `~/.local/share/dealerq/dealerq.db`
///   state      `~/.local/state/dealerq/state.ini` (window geometry and layout; `XDG_STATE_HOME`)
/// Earlier builds set both the organisation and the application name, which doubled the folder
/// (`~/.config/dealerq/dealerq/dealerq.ini`); the moveLegacy functions move such files to the
/// new place once.
namespace AppPaths {

QString settingsFile();
QString databaseFile();
QString stateFile();

QString legacySettingsFile();
QString legacyDatabaseFile();

/// Where the installed translations (`dealerq_<lang>.qm`) are: `<prefix>/share/dealerq/
/// translations` beside `<prefix>/bin/dealerq`.
QString translationsDir();

/// Moves the legacy settings file to settingsFile() if it exists there and settingsFile() does
/// not. Logs (dealerq.config: info for a move, a warning for a file left behind) and returns
/// one line per thing done or left (empty when there was nothing to do).
QStringList moveLegacySettings();

/// Moves the legacy SQLite database — with its `-wal`, `-shm` and `-journal` files, the main
/// file last — to databaseFile(), unless any of them exists there already or a dealerq still
/// runs jobs on the old file (its runner lock is held). Returns lines as moveLegacySettings().
QStringList moveLegacyDatabase();

/// Moves the window's geometry and layout (`window/geometry`, `window/state`, the splitters'
/// and columns' states) out of the settings file `settingsFile` into the state file
/// `stateFile`, unless the state file has a geometry already. Logs and returns lines as
/// moveLegacySettings().
QStringList moveWindowState(const QString &settingsFile, const QString &stateFile);

/// The keys moveWindowState() moves, in the `window` group.
QStringList windowStateKeys();

/// The generic move behind the functions above: moves each of `from[i]` that exists to `to[i]`
/// in order, or none of them when any `to[i]` already exists (or any rename fails before the
/// last). `what` names the files in the lines returned ("the settings", "the database").
QStringList moveFiles(const QStringList &from, const QStringList &to, const QString &what);

} // namespace AppPaths
