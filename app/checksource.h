#pragma once

struct AppSetup;

/// `dealerq --check-source [--enqueue ID] [--type T] [--from] [--to]` (SPEC §11): fetches the
/// first page of one dealer and type as the settings' profile describes it, stores nothing,
/// and prints on stdout what it read — the request's URL without secrets, the status, the
/// number of items, the first item's id and updated_at, what comes next. Returns 0 when the
/// profile reads the page, 2 with the reason on stderr otherwise.
int runCheckSource(AppSetup &setup);
