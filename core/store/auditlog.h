#pragma once

#include "job/audit.h"

#include <optional>

class Database;
struct StoreError;

/// The audit log (SPEC §8) on one connection: the `audit` table, one row per change, and
/// `audit_jobs`, one row per job an entry took, so that a job's entries are found exactly
/// through an index. Writing is meant for inside the change's own open write transaction, so
/// that the entry commits with its change or not at all.
namespace AuditLog {

/// Writes `entry` (its `atMs` now when 0, its `count` the number of `jobIds` when 0) inside the
/// transaction open on `db`. Every job ID goes into `audit_jobs` unless `listJobsOnly` (removals:
/// the jobs are gone, nobody looks their entries up); at most AuditEntry::MaxListedJobs of them
/// into the entry's own `job_ids`. False with *error when a statement fails: the caller rolls
/// its transaction back.
bool append(Database &db, const AuditEntry &entry, StoreError *error, bool listJobsOnly = false);

/// The entries `filter` takes, newest first, with how many it matches in all.
std::optional<AuditPage> read(Database &db, const AuditFilter &filter, StoreError *error);

/// The newest `limit` entries that took job `jobId`, newest first.
std::optional<QVector<AuditEntry>> forJob(Database &db, qint64 jobId, int limit, StoreError *error);

} // namespace AuditLog
