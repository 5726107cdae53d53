#pragma once

struct AppSetup;
class QueueOperations;

/// Carries out the command line's schedule operation (SPEC §6: --schedule-add, --schedule-list,
/// --schedule-run, --schedule-enable, --schedule-disable, --schedule-remove) through `queue`.
/// Problems are printed one a line naming the option at fault (`--cron: hour: 24 is out of range
/// 0-23`), and nothing is stored. Returns -1 when done, else the exit code (SPEC §3).
int runScheduleCommand(const AppSetup &setup, QueueOperations &queue);
