#pragma once

#include <memory>

#include <QString>

class ApiService;
class JobQueue;
struct AppSetup;

/// Starts the REST API for a running `queue` (headless or window): the address from
/// --api-listen or the settings, the token from --api-token, env DEALERQ_API_TOKEN or the
/// settings (one is generated and stored at first start). Prints the port alone as the first
/// line of stdout and "REST API listening on http://HOST:PORT" on stderr, and connects the API
/// to the queue (mutations wake the runner, a cancel aborts the running job, finished jobs feed
/// /metrics). Returns nullptr with *error on failure; nullptr with an empty *error for --no-api.
std::unique_ptr<ApiService> startApi(const AppSetup &setup, JobQueue &queue, QString *error);

/// The API token as startApi() takes it: from --api-token, else DEALERQ_API_TOKEN, else the
/// settings (empty, as *origin, when none is set yet); *origin names which ("--api-token",
/// "DEALERQ_API_TOKEN", "setting api/token").
QByteArray configuredApiToken(const AppSetup &setup, QString *origin);
