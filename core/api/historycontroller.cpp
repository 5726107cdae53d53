#include "api/historycontroller.h"

#include "api/apicontext.h"
#include "api/apirequest_p.h"
#include "job/validation.h"
#include "queue/csvexport.h"
#include "queue/queueoperations.h"
#include "queue/xlsxexport.h"
#include "store/jobstore.h"

#include <memory>

#include <QDir>
#include <QFile>
#include <QTemporaryFile>

HistoryController::HistoryController(ApiContext &context)
    : m_context(context)
{}

namespace {

/// Reads `status` (comma-separated finished statuses) from the query into *statuses.
void readStatuses(const QUrlQuery &query, QVector<JobStatus> *statuses, Problems *problems)
{
    if (!query.hasQueryItem(QStringLiteral("status")))
        return;
    const QString text = query.queryItemValue(QStringLiteral("status"), QUrl::FullyDecoded);
    for (const QString &name : text.split(QLatin1Char(','))) {
        const std::optional<JobStatus> status = jobStatusFromString(name.trimmed());
        if (!status || status == JobStatus::Queued || status == JobStatus::Running) {
            problems->add(QStringLiteral("invalid_parameter"), QStringLiteral("status"),
                          QStringLiteral("status=\"%1\" is not a finished status; use "
                                         "completed, failed or cancelled (comma-separated)")
                              .arg(printableText(name)));
            return;
        }
        if (!statuses->contains(*status))
            statuses->push_back(*status);
    }
}

/// Reads `sort` and `order` (SPEC §7) into *filter.
void readSort(const QUrlQuery &query, HistoryFilter *filter, Problems *problems)
{
    static const QList<QPair<QString, HistorySort>> sorts{
        {QStringLiteral("finished_at"), HistorySort::FinishedAt},
        {QStringLiteral("job_id"), HistorySort::JobId},
        {QStringLiteral("dealer_id"), HistorySort::DealerId},
        {QStringLiteral("duration_s"), HistorySort::Duration},
        {QStringLiteral("fetched"), HistorySort::Fetched},
        {QStringLiteral("fetch_type"), HistorySort::FetchType},
        {QStringLiteral("from_time"), HistorySort::Window},
        {QStringLiteral("status"), HistorySort::Status},
        {QStringLiteral("error_category"), HistorySort::ErrorCategory},
        {QStringLiteral("priority"), HistorySort::Priority},
        {QStringLiteral("created_at"), HistorySort::CreatedAt},
        {QStringLiteral("started_at"), HistorySort::StartedAt},
        {QStringLiteral("attempts"), HistorySort::Attempts},
        {QStringLiteral("pages"), HistorySort::Pages},
        {QStringLiteral("inserted"), HistorySort::Inserted},
        {QStringLiteral("updated"), HistorySort::Updated}};
    if (query.hasQueryItem(QStringLiteral("sort"))) {
        const QString text = query.queryItemValue(QStringLiteral("sort"), QUrl::FullyDecoded);
        bool known = false;
        for (const auto &[name, sort] : sorts) {
            if (name == text) {
                filter->sort = sort;
                known = true;
            }
        }
        if (!known) {
            QStringList names;
            for (const auto &entry : sorts)
                names << entry.first;
            problems->add(QStringLiteral("invalid_parameter"), QStringLiteral("sort"),
                          QStringLiteral("sort=\"%1\" is not a column to sort by; use one of %2")
                              .arg(printableText(text), names.join(QStringLiteral(", "))));
        }
    }
    if (query.hasQueryItem(QStringLiteral("order"))) {
        const QString text = query.queryItemValue(QStringLiteral("order"), QUrl::FullyDecoded);
        if (text == QLatin1String("asc") || text == QLatin1String("desc"))
            filter->ascending = text == QLatin1String("asc");
        else
            problems->add(
                QStringLiteral("invalid_parameter"), QStringLiteral("order"),
                QStringLiteral("order=\"%1\" is neither asc nor desc").arg(printableText(text)));
    }
}

} // namespace

const QStringList &HistoryController::historyParameters()
{
    static const QStringList names{QStringLiteral("status"),
                                   QStringLiteral("dealer_id"),
                                   QStringLiteral("fetch_type"),
                                   QStringLiteral("error_category"),
                                   QStringLiteral("q"),
                                   QStringLiteral("finished_after"),
                                   QStringLiteral("finished_before"),
                                   QStringLiteral("sort"),
                                   QStringLiteral("order"),
                                   QStringLiteral("limit"),
                                   QStringLiteral("offset")};
    return names;
}

ApiResponse HistoryController::history(const ApiRequest &request)
{
    Problems problems;
    HistoryFilter filter;
    readStatuses(request.query, &filter.statuses, &problems);
    readHistoryFilter(queryValue(request.query),
                      {QStringLiteral("dealer_id"), QStringLiteral("fetch_type"),
                       QStringLiteral("error_category"), QStringLiteral("q"),
                       QStringLiteral("finished_after"), QStringLiteral("finished_before")},
                      m_context.config.fetchTypes, &filter, &problems,
                      QStringLiteral("invalid_parameter"));
    readSort(request.query, &filter, &problems);
    const std::optional<int> limit = queryInt(request.query, QStringLiteral("limit"), 1,
                                              ApiHandler::MaxListLimit, 100, &problems);
    const std::optional<int> offset =
        queryInt(request.query, QStringLiteral("offset"), 0, 1000000000, 0, &problems);
    if (!problems.isEmpty())
        return problems.response();
    filter.limit = *limit;
    filter.offset = *offset;
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<HistoryPage> page = queue->historyPage(filter);
    if (!page.ok())
        return storeFailure(page.error);
    return ApiResponse::json(200, {{QStringLiteral("jobs"), jobArray(page.value->jobs, nowMs())},
                                   {QStringLiteral("total"), page.value->total},
                                   {QStringLiteral("limit"), filter.limit},
                                   {QStringLiteral("offset"), filter.offset}});
}

ApiResponse HistoryController::removeHistory(const ApiRequest &request)
{
    Problems problems;
    HistoryFilter filter;
    readStatuses(request.query, &filter.statuses, &problems);
    std::optional<int> days;
    if (!request.query.hasQueryItem(QStringLiteral("older_than_days")))
        problems.add(QStringLiteral("missing_parameter"), QStringLiteral("older_than_days"),
                     QStringLiteral("older_than_days is required: remove the jobs finished more "
                                    "than this many days ago (0 to 36500; 0 = every one)"));
    else
        days = queryInt(request.query, QStringLiteral("older_than_days"), 0, 36500, 0, &problems);
    if (!problems.isEmpty())
        return problems.response();
    filter.finishedBeforeMs = nowMs() - qint64(*days) * 24 * 3600 * 1000;
    ApiResponse failure;
    QueueOperations *queue = m_context.queue(&failure);
    if (!queue)
        return failure;
    const QueueResult<BulkReport> removed = queue->removeFinished(filter);
    if (!removed.ok())
        return storeFailure(removed.error);
    return ApiResponse::json(200, {{QStringLiteral("removed"), removed.value->count()}});
}

namespace {

/// A file to download, streamed from `stream` (positioned at its start).
ApiResponse attachment(const QByteArray &contentType, const QByteArray &fileName,
                       std::unique_ptr<QIODevice> stream)
{
    ApiResponse response;
    response.contentType = contentType;
    response.headers.push_back({"Content-Disposition", "attachment; filename=\"" + fileName + '"'});
    response.stream = std::move(stream);
    return response;
}

} // namespace

ApiResponse HistoryController::historyCsv(const ApiRequest &)
{
    ApiResponse failure;
    JobStore *s = m_context.store(&failure);
    if (!s)
        return failure;
    // Written in chunks to an owner-only temporary file, then streamed from there: neither the
    // history nor the CSV ever sits in memory whole, and a slow client holds no database read.
    auto file = std::make_unique<QTemporaryFile>();
    if (!file->open())
        return ApiResponse::error(500, QStringLiteral("export_failed"),
                                  QStringLiteral("cannot create a temporary file for the CSV: %1")
                                      .arg(file->errorString()));
    QString why;
    if (!Csv::exportJobs(*s, file.get(), &why) || !file->flush() || !file->seek(0))
        return ApiResponse::error(503, QStringLiteral("export_failed"),
                                  why.isEmpty() ? file->errorString() : why);
    return attachment("text/csv; charset=utf-8", "dealerq-jobs.csv", std::move(file));
}

ApiResponse HistoryController::historyXlsx(const ApiRequest &)
{
    ApiResponse failure;
    JobStore *s = m_context.store(&failure);
    if (!s)
        return failure;
    // libxlsxwriter writes the workbook by name: an owner-only temporary name to write to, read
    // back through a handle that outlives the name, so nothing stays behind on disk.
    QString path;
    {
        QTemporaryFile name(QDir::temp().filePath(QStringLiteral("dealerq-XXXXXX.xlsx")));
        if (!name.open())
            return ApiResponse::error(
                500, QStringLiteral("export_failed"),
                QStringLiteral("cannot create a temporary file for the workbook: %1")
                    .arg(name.errorString()));
        name.setAutoRemove(false);
        path = name.fileName();
    }
    QString why;
    if (Xlsx::exportJobsToFile(*s, path, &why) < 0) {
        QFile::remove(path);
        return ApiResponse::error(503, QStringLiteral("export_failed"), why);
    }
    auto file = std::make_unique<QFile>(path);
    const bool opened = file->open(QIODevice::ReadOnly);
    QFile::remove(path);
    if (!opened)
        return ApiResponse::error(500, QStringLiteral("export_failed"), file->errorString());
    return attachment("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      "dealerq-jobs.xlsx", std::move(file));
}
