#pragma once

struct AppSetup;

/// Opens the Job Queue window and runs the event loop until it closes; returns the exit code.
int runWindow(AppSetup &setup);
