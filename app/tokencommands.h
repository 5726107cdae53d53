#pragma once

struct AppSetup;
class JobStore;

/// Carries out the command line's token operation (SPEC §8: --token-add with --role,
/// --token-list, --token-revoke) on `store`. --token-add prints the new token alone on stdout,
/// the one time it is shown; a problem is printed naming the field, and nothing is changed.
/// Returns the exit code (SPEC §3).
int runTokenCommand(const AppSetup &setup, JobStore &store);
