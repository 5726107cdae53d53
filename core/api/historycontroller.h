#pragma once

#include "api/apirequest.h"

class ApiContext;

/// `GET /jobs/history` (finished jobs, filtered and paged), `GET /jobs/history.csv` (every job as
/// CSV) and `GET /jobs/history.xlsx` (every job as an Excel workbook), the exports streamed from a
/// temporary file, on the context's store.
class HistoryController final
{
    Q_DISABLE_COPY_MOVE(HistoryController)

public:
    explicit HistoryController(ApiContext &context);

    ApiResponse history(const ApiRequest &request);
    ApiResponse historyCsv(const ApiRequest &request);
    ApiResponse historyXlsx(const ApiRequest &request);

private:
    ApiContext &m_context;
};
