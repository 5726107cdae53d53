#pragma once

#include "api/apirequest.h"

class ApiContext;

/// `GET /jobs/history` (finished jobs, filtered, sorted and paged, SPEC §4 and §7),
/// `DELETE /jobs/history` (finished jobs older than N days, through the queue's named
/// operation), `GET /jobs/history.csv` (every job as
/// CSV) and `GET /jobs/history.xlsx` (every job as an Excel workbook), the exports streamed from a
/// temporary file, on the context's store.
class HistoryController final
{
    Q_DISABLE_COPY_MOVE(HistoryController)

public:
    explicit HistoryController(ApiContext &context);

    /// The query parameters `GET /jobs/history` takes.
    static const QStringList &historyParameters();

    ApiResponse history(const ApiRequest &request);
    ApiResponse removeHistory(const ApiRequest &request);
    ApiResponse historyCsv(const ApiRequest &request);
    ApiResponse historyXlsx(const ApiRequest &request);

private:
    ApiContext &m_context;
};
