#include "api/historycontroller.h"

#include "api/apicontext.h"
#include "api/apirequest_p.h"
#include "job/validation.h"
#include "queue/csvexport.h"
#include "queue/xlsxexport.h"
#include "store/jobstore.h"

#include <memory>

#include <QDir>
#include <QFile>
#include <QTemporaryFile>

HistoryController::HistoryController(ApiContext &context)
    : m_context(context)
{}

ApiResponse HistoryController::history(const ApiRequest &request)
{
    Problems problems;
    HistoryFilter filter;
    const QString statusText =
        request.query.queryItemValue(QStringLiteral("status"), QUrl::FullyDecoded);
    if (request.query.hasQueryItem(QStringLiteral("status"))) {
        for (const QString &name : statusText.split(QLatin1Char(','))) {
            const std::optional<JobStatus> status = jobStatusFromString(name.trimmed());
            if (!status || status == JobStatus::Queued || status == JobStatus::Running) {
                problems.add(QStringLiteral("invalid_parameter"), QStringLiteral("status"),
                             QStringLiteral("status=\"%1\" is not a finished status; use "
                                            "completed, failed or cancelled (comma-separated)")
                                 .arg(name.left(40)));
                break;
            }
            if (!filter.statuses.contains(*status))
                filter.statuses.push_back(*status);
        }
    }
    if (request.query.hasQueryItem(QStringLiteral("dealer_id"))) {
        filter.dealerId =
            request.query.queryItemValue(QStringLiteral("dealer_id"), QUrl::FullyDecoded);
        QString reason;
        if (!validateDealerId(filter.dealerId, &reason))
            problems.add(QStringLiteral("invalid_parameter"), QStringLiteral("dealer_id"), reason);
    }
    const std::optional<int> limit = queryInt(request.query, QStringLiteral("limit"), 1,
                                              ApiHandler::MaxListLimit, 100, &problems);
    const std::optional<int> offset =
        queryInt(request.query, QStringLiteral("offset"), 0, 1000000000, 0, &problems);
    if (!problems.isEmpty())
        return problems.response();
    filter.limit = *limit;
    filter.offset = *offset;
    ApiResponse failure;
    JobStore *s = m_context.store(&failure);
    if (!s)
        return failure;
    StoreError error;
    const std::optional<QVector<Job>> jobs = s->history(filter, &error);
    if (!jobs)
        return storeFailure(error);
    const std::optional<qint64> total = s->historyCount(filter, &error);
    if (!total)
        return storeFailure(error);
    return ApiResponse::json(200, {{QStringLiteral("jobs"), jobArray(*jobs, nowMs())},
                                   {QStringLiteral("total"), *total},
                                   {QStringLiteral("limit"), filter.limit},
                                   {QStringLiteral("offset"), filter.offset}});
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
