#pragma once

#include "job/fetchedrecord.h"

#include <QVector>

#include <optional>

/// What an upsert of a job's records did.
struct UpsertCounts
{
    qint64 inserted = 0;
    qint64 updated = 0;
    qint64 unchanged = 0;
};

/// A record's row as the store has it, compared with the fetched one.
enum class StoredRecord
{
    Missing,
    Same,
    Changed
};

/// The upsert's order of statements on SQLite, where a statement costs no round trip: one
/// statement per record in the usual cases (PostgreSQL writes batches, with the same counts:
/// JobStore::upsertRecords). While records turn out new, each is inserted outright (`insert`
/// returns whether a row was added; a conflict means it exists); once one exists, each is compared
/// first (`compare`), since a re-fetched window is mostly unchanged, and only a changed one is
/// written (`update`), a missing one inserted. Each step returns nothing (`insert`, `compare`)
/// or false (`update`) when its statement failed; the upsert then stops and returns false.
template<typename Insert, typename Compare, typename Update>
bool upsertEach(const QVector<FetchedRecord> &records, UpsertCounts *counts, Insert insert,
                Compare compare, Update update)
{
    *counts = {};
    bool expectNew = true;
    for (const FetchedRecord &record : records) {
        if (expectNew) {
            const std::optional<bool> added = insert(record);
            if (!added)
                return false;
            if (*added) {
                ++counts->inserted;
                continue;
            }
        }
        const std::optional<StoredRecord> stored = compare(record);
        if (!stored)
            return false;
        expectNew = *stored == StoredRecord::Missing;
        switch (*stored) {
        case StoredRecord::Same:
            ++counts->unchanged;
            break;
        case StoredRecord::Changed:
            if (!update(record))
                return false;
            ++counts->updated;
            break;
        case StoredRecord::Missing:
            if (!insert(record))
                return false;
            ++counts->inserted;
            break;
        }
    }
    return true;
}
