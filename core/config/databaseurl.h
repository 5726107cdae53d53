#pragma once

#include <QString>

#include <optional>

enum class DbBackend
{
    Sqlite,
    Postgres
};

/// Where the store lives (SPEC §3 `--db`): `sqlite:///abs/path/file.db[?mode=ro&busy_timeout_ms=N]`
/// or `postgresql://user[:pass]@host[:port]/dbname[?libpq options]`.
struct DatabaseUrl
{
    DbBackend backend = DbBackend::Sqlite;
    QString path;     ///< SQLite: the file
    QString host;     ///< PostgreSQL
    int port = 5432;  ///< PostgreSQL
    QString user;     ///< PostgreSQL
    QString password; ///< PostgreSQL; empty = libpq's usual places (PGPASSWORD, ~/.pgpass)
    QString dbName;   ///< PostgreSQL
    QString options;  ///< PostgreSQL: extra connect options (query string, e.g. connect_timeout)
    bool readOnly = false;     ///< SQLite `?mode=ro`: open the file read-only
    int busyTimeoutMs = 15000; ///< SQLite `?busy_timeout_ms=N`: how long a writer waits

    /// Parses a URL; on failure returns nothing and says why in *error.
    static std::optional<DatabaseUrl> parse(const QString &url, QString *error);
    /// The URL for logs and the window: never shows the password.
    QString displayString() const;
};
