#pragma once

class Database;
struct StoreError;

/// The newest schema this build knows.
constexpr int NewestSchemaVersion = 13;

/// Brings the schema of the database open on `db` up to `targetVersion` through the versioned
/// migrations, under a lock so that instances starting together migrate it once; the version is
/// kept in the `meta` table. A database with foreign tables, a damaged one or one from a newer
/// dealerq is refused untouched, with *error saying so.
bool migrateSchema(Database &db, int targetVersion, StoreError *error);
