#pragma once

#include <QByteArray>

/// The reason phrase of an HTTP status, e.g. "Not Found" for 404: one table for the REST API's
/// server, the dealer API client's messages and the simulator. `unknown` for a status the table
/// does not name.
QByteArray httpReasonPhrase(int status, const char *unknown = "");
