#pragma once

#include <memory>

class AlertService;
class JobQueue;
struct AppSetup;

/// The webhook of SPEC §7 when `[alerts] webhook_url` is set, fed by `queue`'s runner news;
/// nullptr when no webhook is configured.
std::unique_ptr<AlertService> startAlerts(const AppSetup &setup, JobQueue &queue);
