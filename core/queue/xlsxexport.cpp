#include "queue/xlsxexport.h"

#include "job/job.h"
#include "queue/csvexport.h"
#include "queue/exportrows.h"
#include "store/jobstore.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryFile>

#include <xlsxwriter.h>

namespace Xlsx {

QStringList header()
{
    return QString::fromLatin1(Csv::header().trimmed()).split(QLatin1Char(','));
}

namespace {

enum Column
{
    JobId,
    DealerId,
    FetchType,
    FromTime,
    ToTime,
    Status,
    CreatedAt,
    StartedAt,
    FinishedAt,
    Duration,
    Attempts,
    Pages,
    Fetched,
    Inserted,
    Updated,
    Error,
    ColumnCount
};

/// Excel's limit on the characters of one cell.
constexpr int MaxCellText = 32767;

/// One export's workbook, written to a partial file beside the target that replaces the target
/// only in commit(); otherwise the partial file is removed.
class Sheet final
{
public:
    explicit Sheet(const QString &path)
        : m_path(path)
        , m_partial(QFileInfo(path).absoluteFilePath() + QStringLiteral(".partial-XXXXXX"))
    {}
    ~Sheet()
    {
        if (m_workbook)
            workbook_close(m_workbook); // what it wrote goes with m_partial
    }
    Q_DISABLE_COPY_MOVE(Sheet)

    bool open(QString *why)
    {
        if (!m_partial.open()) {
            *why = m_partial.errorString();
            return false;
        }
        m_partialName = QFile::encodeName(m_partial.fileName());
        tzset();
        m_tmpdir = QFile::encodeName(QDir::tempPath());
        lxw_workbook_options options{};
        options.constant_memory = LXW_TRUE;
        options.tmpdir = m_tmpdir.data();
        m_workbook = workbook_new_opt(m_partialName.constData(), &options);
        if (!m_workbook) {
            *why = QStringLiteral("cannot start a workbook");
            return false;
        }
        m_sheet = workbook_add_worksheet(m_workbook, "jobs");
        m_bold = workbook_add_format(m_workbook);
        format_set_bold(m_bold);
        m_time = workbook_add_format(m_workbook);
        format_set_num_format(m_time, "yyyy-mm-dd hh:mm:ss");
        m_seconds = workbook_add_format(m_workbook);
        format_set_num_format(m_seconds, "0.000");
        if (!m_sheet || !m_bold || !m_time || !m_seconds) {
            *why = QStringLiteral("cannot start a workbook");
            return false;
        }
        // Widths first: in constant-memory mode the sheet's rows go out as they are written.
        const struct
        {
            Column first;
            Column last;
            double width;
        } widths[] = {{JobId, JobId, 9},          {DealerId, DealerId, 11},
                      {FetchType, FetchType, 12}, {FromTime, ToTime, 20},
                      {Status, Status, 11},       {CreatedAt, FinishedAt, 20},
                      {Duration, Updated, 11},    {Error, Error, 60}};
        for (const auto &w : widths)
            worksheet_set_column(m_sheet, w.first, w.last, w.width, nullptr);
        const QStringList names = header();
        for (int column = 0; column < names.size(); ++column)
            text(0, column, names.at(column), m_bold);
        worksheet_freeze_panes(m_sheet, 1, 0);
        return check(why);
    }

    /// Writes `job` as the next row.
    bool add(const Job &job, qint64 nowMs, QString *why)
    {
        const lxw_row_t row = lxw_row_t(m_rows + 1);
        if (row >= LXW_ROW_MAX) {
            *why = QStringLiteral("more jobs than one sheet holds (%1 rows)").arg(LXW_ROW_MAX - 1);
            return false;
        }
        number(row, JobId, double(job.id));
        text(row, DealerId, job.dealerId);
        text(row, FetchType, job.fetchType);
        time(row, FromTime, job.fromMs);
        time(row, ToTime, job.toMs);
        text(row, Status, jobStatusName(job.status));
        time(row, CreatedAt, job.createdMs);
        time(row, StartedAt, job.startedMs);
        time(row, FinishedAt, job.finishedMs);
        if (const std::optional<double> duration = job.durationSeconds(nowMs))
            number(row, Duration, *duration, m_seconds);
        number(row, Attempts, job.attempts);
        if (job.result) {
            number(row, Pages, double(job.result->pages));
            number(row, Fetched, double(job.result->fetched));
            number(row, Inserted, double(job.result->inserted));
            number(row, Updated, double(job.result->updated));
        }
        text(row, Error, job.error.message);
        ++m_rows;
        return check(why);
    }

    /// Finishes the workbook and puts it in place of the target.
    bool commit(QString *why)
    {
        worksheet_autofilter(m_sheet, 0, 0, lxw_row_t(m_rows), ColumnCount - 1);
        if (!check(why))
            return false;
        const lxw_error closed = workbook_close(m_workbook);
        m_workbook = nullptr;
        if (closed != LXW_NO_ERROR) {
            *why = QString::fromUtf8(lxw_strerror(closed));
            return false;
        }
        m_partial.close();
        // The partial file is owner-only; an export is as readable as any file written here.
        QFile::Permissions permissions =
            QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther;
        if (QFileInfo::exists(m_path))
            permissions = QFile::permissions(m_path);
        QFile::setPermissions(m_partial.fileName(), permissions);
        // rename(2) replaces the target in one step, where QFile::rename would refuse.
        if (std::rename(m_partialName.constData(), QFile::encodeName(m_path).constData()) != 0) {
            *why = QString::fromLocal8Bit(std::strerror(errno));
            return false;
        }
        m_partial.setAutoRemove(false);
        return true;
    }

private:
    void keep(lxw_error error)
    {
        if (error != LXW_NO_ERROR && m_error == LXW_NO_ERROR)
            m_error = error;
    }
    bool check(QString *why) const
    {
        if (m_error == LXW_NO_ERROR)
            return true;
        *why = QString::fromUtf8(lxw_strerror(m_error));
        return false;
    }
    void text(lxw_row_t row, int column, const QString &value, lxw_format *format = nullptr)
    {
        if (value.isEmpty())
            return;
        // Control characters other than tab and line ends are not allowed in the sheet's XML.
        QString clean = value.left(MaxCellText);
        for (QChar &c : clean) {
            if (c.unicode() < 0x20 && c != QLatin1Char('\t') && c != QLatin1Char('\n') &&
                c != QLatin1Char('\r'))
                c = QLatin1Char(' ');
        }
        keep(worksheet_write_string(m_sheet, row, lxw_col_t(column), clean.toUtf8().constData(),
                                    format));
    }
    void number(lxw_row_t row, int column, double value, lxw_format *format = nullptr)
    {
        keep(worksheet_write_number(m_sheet, row, lxw_col_t(column), value, format));
    }
    void time(lxw_row_t row, int column, qint64 msecsSinceEpoch)
    {
        if (msecsSinceEpoch <= 0)
            return;
        // The C library's local time, as QDateTime's: localtime_r() without the time-zone file
        // check Qt makes before each conversion (tzset() in open()), five per row.
        const time_t seconds = time_t(msecsSinceEpoch / 1000);
        struct tm local = {};
        if (!localtime_r(&seconds, &local))
            return;
        lxw_datetime value{
            local.tm_year + 1900, local.tm_mon + 1,
            local.tm_mday,        local.tm_hour,
            local.tm_min,         local.tm_sec + double(msecsSinceEpoch % 1000) / 1000.0};
        keep(worksheet_write_datetime(m_sheet, row, lxw_col_t(column), &value, m_time));
    }

    QString m_path;
    QTemporaryFile m_partial;
    QByteArray m_partialName;
    QByteArray m_tmpdir;
    lxw_workbook *m_workbook = nullptr;
    lxw_worksheet *m_sheet = nullptr;
    lxw_format *m_bold = nullptr;
    lxw_format *m_time = nullptr;
    lxw_format *m_seconds = nullptr;
    qint64 m_rows = 0;
    lxw_error m_error = LXW_NO_ERROR;
};

qint64 writeToFile(JobStore &store, const std::optional<HistoryFilter> &filter, const QString &path,
                   QString *error, const std::function<bool(qint64)> &progress)
{
    const auto fail = [&](const QString &what, const QString &why) {
        if (error)
            *error = what.arg(path, why);
        return qint64(-1);
    };
    Sheet sheet(path);
    QString why;
    if (!sheet.open(&why))
        return fail(QStringLiteral("cannot write %1: %2"), why);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 count = writeExportedJobs(
        store, filter,
        [&sheet, now](const Job &job, QString *failed) { return sheet.add(job, now, failed); },
        progress, &why);
    if (count < 0)
        return fail(QStringLiteral("cannot export to %1: %2"), why);
    if (!sheet.commit(&why))
        return fail(QStringLiteral("cannot write %1: %2"), why);
    return count;
}

} // namespace

qint64 exportJobsToFile(JobStore &store, const QString &path, QString *error,
                        const std::function<bool(qint64)> &progress)
{
    return writeToFile(store, std::nullopt, path, error, progress);
}

qint64 exportHistoryToFile(JobStore &store, const HistoryFilter &filter, const QString &path,
                           QString *error, const std::function<bool(qint64)> &progress)
{
    return writeToFile(store, filter, path, error, progress);
}

} // namespace Xlsx
