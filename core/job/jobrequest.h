#pragma once

#include "job/queuetypes.h"
#include "job/validation.h"

#include <QStringList>
#include <QVector>

/// A request to queue jobs as it arrives from the command line, the API or the window, before
/// validation. Every entry point goes through prepareJobs(), so they all share one set of rules.
struct JobRequest
{
    QStringList dealerIds;
    QString fetchType;
    QString from; ///< empty: omitted
    QString to;   ///< empty: omitted
    int priority = 0;
    bool runNext = false;
    bool partial = false; ///< queue the valid IDs even if some are invalid
};

/// A validated request: what to queue, and what was dropped on the way.
struct PreparedJobs
{
    QStringList dealerIds;                  ///< valid, without repeats, in the order given
    NewJob common;                          ///< fetch type, window, priority for every job
    QVector<DealerIdList::Invalid> invalid; ///< dropped (only with `partial`)
    QStringList repeats;                    ///< repeats of an ID within the request, dropped
};

/// Validates a request (SPEC §1). Refuses it whole — every problem in *errors, one per bad field
/// or ID — unless only IDs are invalid and `partial` is set. `nowMs` resolves omitted times.
std::optional<PreparedJobs> prepareJobs(const JobRequest &request, const QStringList &fetchTypes,
                                        qint64 nowMs, QVector<FieldError> *errors);
