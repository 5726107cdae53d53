#pragma once

#include <QLoggingCategory>

// dealerq's logging categories. Info and above are on by default, debug is off; QT_LOGGING_RULES
// changes either ("dealerq.fetch.debug=true", "dealerq.*.info=false"). No message names a
// secret: not the source token, not an API token, not an Authorization header, not a database
// password (DatabaseUrl::displayString() is the form to log).
Q_DECLARE_LOGGING_CATEGORY(lcApp)      ///< dealerq.app: the program's start, stop and wiring
Q_DECLARE_LOGGING_CATEGORY(lcConfig)   ///< dealerq.config: settings and the files' places
Q_DECLARE_LOGGING_CATEGORY(lcRunner)   ///< dealerq.runner: the runner and its jobs
Q_DECLARE_LOGGING_CATEGORY(lcFetch)    ///< dealerq.fetch: requests to the dealer API
Q_DECLARE_LOGGING_CATEGORY(lcStore)    ///< dealerq.store: the database
Q_DECLARE_LOGGING_CATEGORY(lcSchedule) ///< dealerq.schedule: schedules firing
Q_DECLARE_LOGGING_CATEGORY(lcApi)      ///< dealerq.api: the REST API
Q_DECLARE_LOGGING_CATEGORY(lcAlert)    ///< dealerq.alert: webhook deliveries
