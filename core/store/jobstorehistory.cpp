// JobStore's reads of the history (SPEC §7: its filters and every sort, done by the database
// over the whole history) and the plans that keep them from reading more jobs than the page needs.
#include "store/jobstore.h"

#include "store/jobrows_p.h"

#include <algorithm>
#include <limits>

#include <QSqlQuery>
#include <QVariant>

using namespace JobRows;

namespace {

/// The LIKE pattern (escaped with '!') of the jobs whose text holds `text`, in any case: bound,
/// with LIKE's own characters escaped, so that the text is only ever data.
QString substringPattern(const QString &text)
{
    QString escaped = text.toLower();
    escaped.replace(QLatin1Char('!'), QLatin1String("!!"))
        .replace(QLatin1Char('%'), QLatin1String("!%"))
        .replace(QLatin1Char('_'), QLatin1String("!_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

/// The most jobs of a text's matching dealers (JobStore::textSearch()) a history page reads
/// rather than walk the history in its order (JobStore::historyPlan()).
constexpr int TextPageMaxCandidates = 30000;

/// The most jobs of a text's matching dealers that a count reads rather than every finished
/// job, and a page in an order that goes with how jobs ended. Each is a look-up of its job by
/// ID: on SQLite 100,000 took 133 ms where a read of 1,000,000 jobs took 540 ms; PostgreSQL
/// reads the whole table in parallel workers in 220 ms, and 100,000 look-ups took 464 ms. (The
/// matching messages cost no look-up: they come from their index, markedJobs().)
int textMaxCandidates(bool sqlite)
{
    return sqlite ? 200000 : 40000;
}
/// The most dealers whose ID holds a text that are bound one by one; with more,
/// the history is read.
constexpr int MaxTextDealers = 10000;

/// Whether a job's message holds the text (its pattern bound after): the text search's half of
/// historyWhere(), word for word.
const QString MessageHoldsText =
    QStringLiteral("LOWER(COALESCE(error_message, '')) LIKE ? ESCAPE '!'");

/// The columns of a job that a read of marked jobs (markedJobs()) carries for the page's order
/// (historyOrder()) and the filter's other fields: the message index holds each of them
/// (schema version 13).
const QString MarkedColumns =
    QStringLiteral("id, status, finished_ms, started_ms, dealer_id, fetch_type, error_category, "
                   "from_ms, to_ms, priority, created_ms, attempts, pages, fetched, inserted, "
                   "updated");

/// The failed and cancelled jobs without a message (none that dealerq writes), and any other
/// with an error category: the condition of their index (schema version 13), word for word.
const QString Unexplained =
    QStringLiteral("error_message IS NULL AND (status IN ('failed','cancelled') OR "
                   "error_category IS NOT NULL)");

/// The jobs `filter` matches, `columns` of each, read from the indexes of what a job's end
/// marks it with instead of a walk of the history: a text's matches (SPEC §7 `q`), or, with
/// no text, the jobs of a filter that holds to failed and cancelled ones (a status, an error
/// category). Its parts never share a job, so that their rows need no sorting out: the jobs
/// with a message up to 400 characters from their index alone, which holds every column a page
/// sorts or filters by (schema version 13); those with a longer one through their own index
/// (dealerq writes none today); and then, for a text, the jobs of `dealers` (those whose ID
/// holds it, JobStore::textSearch()) whose message does not, through the dealer index — a job
/// matches through its message or its dealer ID — or, without one, the failed and cancelled
/// jobs without a message. Each part keeps the filter's other fields. SQLite, which has no
/// statistics to choose by, is told which index reads the messages, and kept off the status and
/// type indexes as the history's reads are. The values are appended to *binds.
QString markedJobs(const HistoryFilter &filter, const QStringList &dealers, const QString &columns,
                   bool sqlite, QVariantList *binds)
{
    HistoryFilter others = filter;
    others.text.clear();
    const QString offIndex = sqlite ? QStringLiteral("+") : QString();
    const bool text = !filter.text.isEmpty();
    const QString pattern = substringPattern(filter.text);
    const auto part = [&](const QString &index, const QString &condition,
                          const QVariantList &conditionBinds) {
        QString where = historyWhere(others, binds, {}, offIndex, offIndex);
        if (!others.statuses.isEmpty())
            where += QStringLiteral(" AND %1status IN %2").arg(offIndex, FinishedStatuses);
        *binds += conditionBinds;
        return QStringLiteral("SELECT %1 FROM jobs%2 WHERE %3 AND %4")
            .arg(columns,
                 sqlite && !index.isEmpty() ? QStringLiteral(" INDEXED BY ") + index : QString(),
                 where, condition);
    };
    const QString holds = text ? QStringLiteral(" AND ") + MessageHoldsText : QString();
    const QVariantList holdsBinds = text ? QVariantList{pattern} : QVariantList{};
    QStringList parts;
    parts << part(QStringLiteral("jobs_history_messages"),
                  QStringLiteral("error_message IS NOT NULL AND LENGTH(error_message) <= 400") +
                      holds,
                  holdsBinds);
    parts << part(QStringLiteral("jobs_history_long_messages"),
                  QStringLiteral("LENGTH(error_message) > 400") + holds, holdsBinds);
    if (!text) {
        parts << part(QStringLiteral("jobs_history_unexplained"), Unexplained, {});
    } else if (!dealers.isEmpty()) {
        QVariantList dealerBinds;
        for (const QString &dealer : dealers)
            dealerBinds.push_back(dealer);
        dealerBinds << pattern << pattern;
        parts << part(QString(),
                      QStringLiteral("dealer_id IN (%1) AND LOWER(dealer_id) LIKE ? ESCAPE '!' "
                                     "AND NOT %2")
                          .arg(placeholders(dealers.size()), MessageHoldsText),
                      dealerBinds);
    }
    return parts.join(QStringLiteral(" UNION ALL "));
}

} // namespace

QString JobRows::historyWhere(const HistoryFilter &filter, QVariantList *binds,
                              const QString &alias, const QString &statusPrefix,
                              const QString &typePrefix)
{
    const QString p = alias.isEmpty() ? QString() : alias + QLatin1Char('.');
    QStringList statuses;
    for (JobStatus s : filter.statuses)
        statuses << QStringLiteral("'%1'").arg(jobStatusName(s));
    QString where = statusPrefix + p +
                    (statuses.isEmpty()
                         ? QStringLiteral("status IN %1").arg(FinishedStatuses)
                         : QStringLiteral("status IN (%1)").arg(statuses.join(QLatin1Char(','))));
    if (!filter.dealerId.isEmpty()) {
        where += QStringLiteral(" AND %1dealer_id = ?").arg(p);
        binds->push_back(filter.dealerId);
    }
    if (!filter.fetchType.isEmpty()) {
        where += QStringLiteral(" AND %1%2fetch_type = ?").arg(typePrefix, p);
        binds->push_back(filter.fetchType);
    }
    if (filter.errorCategory) {
        where += QStringLiteral(" AND %1error_category = ?").arg(p);
        binds->push_back(errorCategoryName(*filter.errorCategory));
    }
    if (filter.finishedAfterMs) {
        where += QStringLiteral(" AND %1finished_ms >= ?").arg(p);
        binds->push_back(*filter.finishedAfterMs);
    }
    if (filter.finishedBeforeMs) {
        where += QStringLiteral(" AND %1finished_ms < ?").arg(p);
        binds->push_back(*filter.finishedBeforeMs);
    }
    if (!filter.text.isEmpty()) {
        const QString pattern = substringPattern(filter.text);
        where += QStringLiteral(" AND (LOWER(%1dealer_id) LIKE ? ESCAPE '!' OR "
                                "LOWER(COALESCE(%1error_message, '')) LIKE ? ESCAPE '!')")
                     .arg(p);
        binds->push_back(pattern);
        binds->push_back(pattern);
    }
    return where;
}

namespace {

/// Whether `sort` is by a value a job's end writes, which goes with how it ended: a failed or
/// cancelled job has no records, pages or duration (one cancelled while queued no start), and
/// its own status and category.
bool orderGoesWithStatus(HistorySort sort)
{
    switch (sort) {
    case HistorySort::StartedAt:
    case HistorySort::Duration:
    case HistorySort::Fetched:
    case HistorySort::Pages:
    case HistorySort::Inserted:
    case HistorySort::Updated:
    case HistorySort::Status:
    case HistorySort::ErrorCategory:
        return true;
    default:
        return false;
    }
}

/// The ORDER BY of a history read: the column asked for, then the job ID the same way, so that
/// pages never overlap or skip. Unset values (a job cancelled before it ran has no duration)
/// sort as the smallest on both backends: as SQLite's NULLs do, and PostgreSQL's told so (its
/// error category index is built that way, schema version 7). Each order but the hidden
/// columns' reads through an index (versions 4 and 7) and stops at the page's end.
QString historyOrder(const HistoryFilter &filter, bool sqlite)
{
    const QString way = filter.ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    const QString nulls = sqlite             ? QString()
                          : filter.ascending ? QStringLiteral(" NULLS FIRST")
                                             : QStringLiteral(" NULLS LAST");
    QStringList keys;
    const auto by = [&](const char *column) { keys << QLatin1String(column) + way; };
    const auto byNullable = [&](const char *column) {
        keys << QLatin1String(column) + way + nulls;
    };
    switch (filter.sort) {
    case HistorySort::FinishedAt:
        by("finished_ms");
        break;
    case HistorySort::JobId:
        break;
    case HistorySort::DealerId:
        by("dealer_id");
        break;
    case HistorySort::Duration:
        by("COALESCE(finished_ms - started_ms, -1)");
        break;
    case HistorySort::Fetched:
        by("COALESCE(fetched, -1)");
        break;
    case HistorySort::FetchType:
        by("fetch_type");
        by("finished_ms");
        break;
    case HistorySort::Window:
        by("from_ms");
        by("to_ms");
        break;
    case HistorySort::Status:
        by("status");
        by("finished_ms");
        break;
    case HistorySort::ErrorCategory:
        byNullable("error_category");
        by("finished_ms");
        break;
    case HistorySort::Priority:
        by("priority");
        break;
    case HistorySort::CreatedAt:
        by("created_ms");
        break;
    case HistorySort::StartedAt:
        byNullable("started_ms");
        break;
    case HistorySort::Attempts:
        by("attempts");
        break;
    case HistorySort::Pages:
        by("COALESCE(pages, -1)");
        break;
    case HistorySort::Inserted:
        by("COALESCE(inserted, -1)");
        break;
    case HistorySort::Updated:
        by("COALESCE(updated, -1)");
        break;
    }
    by("id");
    return keys.join(QStringLiteral(", "));
}

} // namespace

std::optional<QVector<Job>> JobStore::history(const HistoryFilter &filter, StoreError *error)
{
    return readHistory(filter, nullptr, error);
}

std::optional<qint64> JobStore::historyCount(const HistoryFilter &filter, StoreError *error)
{
    return countHistory(filter, nullptr, error);
}

std::optional<HistoryPage> JobStore::historyPage(const HistoryFilter &filter, StoreError *error)
{
    // The page and its total as of one moment: a job that finishes between them is in both or
    // in neither.
    ReadTransaction read(*m_db);
    if (!begin(read, error))
        return std::nullopt;
    // A text's dealers' jobs are counted once, as far as the furthest bound (a total's), which
    // answers the page's question too.
    const std::optional<TextSearch> text =
        textSearch(filter, qMax(TextPageMaxCandidates, textMaxCandidates(m_db->isSqlite())), error);
    if (!text)
        return std::nullopt;
    std::optional<QVector<Job>> jobs = readHistory(filter, &*text, error);
    if (!jobs)
        return std::nullopt;
    const std::optional<qint64> total = countHistory(filter, &*text, error);
    if (!total)
        return std::nullopt;
    return HistoryPage{std::move(*jobs), *total};
}

std::optional<QVector<Job>> JobStore::readHistory(const HistoryFilter &asked,
                                                  const TextSearch *given, StoreError *error)
{
    // An order by a column the filter holds to one value (status, then finished, for one
    // status) is the finished order, which that value's index holds: said so, the database
    // reads that index instead of sorting every match.
    HistoryFilter filter = asked;
    const bool oneStatus = !filter.statuses.isEmpty() &&
                           std::all_of(filter.statuses.cbegin(), filter.statuses.cend(),
                                       [&](JobStatus s) { return s == filter.statuses.first(); });
    if ((filter.sort == HistorySort::Status && oneStatus) ||
        (filter.sort == HistorySort::ErrorCategory && filter.errorCategory) ||
        (filter.sort == HistorySort::FetchType && !filter.fetchType.isEmpty()))
        filter.sort = HistorySort::FinishedAt;
    // SQLite, without statistics, would read every finished job through the status index and
    // sort them all; finished jobs are nearly the whole table, so it reads in the order asked
    // for instead (the sort's index, versions 4, 7 and 11) and stops at the page's end, unless
    // historyPlan() finds a better way. Version 11's indexes hold finished jobs only, and SQLite
    // reads one only for a query that names their condition word for word: a status filter
    // names fewer statuses, so it is said again (which also keeps a status that is not a
    // finished one out of the history).
    QStringList textDealers;
    const std::optional<HistoryPlan> plan = historyPlan(filter, given, &textDealers, error);
    if (!plan)
        return std::nullopt;
    const QString order = historyOrder(filter, m_db->isSqlite());
    const QVariant limit = filter.limit < 0 ? std::numeric_limits<int>::max() : filter.limit;
    const QVariant offset = qMax(0, filter.offset);
    if (*plan == HistoryPlan::MarkedJobs) {
        // The page's matches sorted by the columns their index holds, then only those read
        // whole.
        QVariantList binds;
        const QString matches =
            markedJobs(filter, textDealers, MarkedColumns, m_db->isSqlite(), &binds);
        binds << limit << offset;
        return selectJobs(QStringLiteral("SELECT %1 FROM jobs WHERE id IN (SELECT id FROM (%2) "
                                         "AS matches ORDER BY %3 LIMIT ? OFFSET ?) ORDER BY %3")
                              .arg(JobColumns, matches, order),
                          binds, QStringLiteral("reading the history"), error);
    }
    const QString offIndex = m_db->isSqlite() ? QStringLiteral("+") : QString();
    const bool fewJobs = *plan == HistoryPlan::FilterIndex;
    QVariantList binds;
    QString where =
        historyWhere(filter, &binds, {}, *plan == HistoryPlan::FilterIndex ? QString() : offIndex,
                     *plan == HistoryPlan::SQLiteChooses ? QString() : offIndex);
    if (!filter.statuses.isEmpty())
        where += QStringLiteral(" AND %1status IN %2").arg(offIndex, FinishedStatuses);
    binds << limit << offset;
    // PostgreSQL, told to read the few jobs the filter's own index finds and sort them: a
    // subquery with OFFSET 0 is planned apart, so the order's index cannot be walked instead.
    const QString from = !m_db->isSqlite() && fewJobs
                             ? QStringLiteral("(SELECT * FROM jobs WHERE %1 OFFSET 0) AS jobs")
                             : QStringLiteral("jobs WHERE %1");
    return selectJobs(QStringLiteral("SELECT %1 FROM %2 ORDER BY %3 LIMIT ? OFFSET ?")
                          .arg(JobColumns, from.arg(where), order),
                      binds, QStringLiteral("reading the history"), error);
}

std::optional<JobStore::HistoryPlan> JobStore::historyPlan(const HistoryFilter &filter,
                                                           const TextSearch *given,
                                                           QStringList *textDealers,
                                                           StoreError *error)
{
    // SQLite, without statistics of its own, reads a type's jobs through the type's index
    // whatever the order, and sorts them: a quarter of the history for one type of four, up to
    // 431 ms at 1,000,000. Walking the order's index instead and passing over the jobs that do
    // not match reads (page's end) / (their share) jobs: the fewer when that is at most the
    // type's. The shares come from the kept hourly figures. The finished order and the type's
    // own are the type index's; a dealer, an error category or a finish range has an index that
    // narrows further, and SQLite picks among those as before.
    //
    // A status or an error category goes with the columns a job's end writes (a failed job has
    // no records or duration): walking such an order's index past the other jobs reads every job
    // before the first match (PostgreSQL, planning from statistics that know nothing of this,
    // walked the updated order past 900,000 jobs for the failed ones: 490 ms at 1,000,000). Then
    // the filter's own index reads its jobs and they are sorted: 70–200 ms for 100,000. SQLite
    // does that too for a status whose walk would read more jobs than it has (a rare one).
    constexpr double FilterIndexMaxJobs = 100000;
    const bool sqlite = m_db->isSqlite();
    if (!filter.dealerId.isEmpty())
        return HistoryPlan::SQLiteChooses;
    const bool goesWithStatus = orderGoesWithStatus(filter.sort);
    // Reading a text's matches (markedJobs()) and sorting them costs a look-up for each job of
    // the dealers whose ID holds it, and a read of the message index, which holds failed and
    // cancelled jobs alone; walking the order's index past the jobs that do not match costs
    // (page's end) / (their share) steps, a scan of the whole history for a text that matches
    // nothing. At 1,000,000 jobs and the window's pages of 1,000 the two meet near 30,000 of
    // the dealers' jobs (the square root of their product). A text can go with how jobs ended
    // ("HTTP 500", "timeout": failed jobs alone), and an order that goes with it can walk past
    // every other job, as far as a scan of the history (PostgreSQL: 370 ms by status ascending
    // for "500" at 1,000,000): then reading as many dealers' jobs as a count would
    // (historyCount()) costs less.
    const int most = goesWithStatus ? textMaxCandidates(sqlite) : TextPageMaxCandidates;
    const std::optional<TextSearch> text = textSearch(filter, given, most, error);
    if (!text)
        return std::nullopt;
    if (text->few(most)) {
        *textDealers = text->dealers;
        return HistoryPlan::MarkedJobs;
    }
    if (filter.limit < 0)
        return HistoryPlan::SQLiteChooses;
    // An error category, or a status that is failed or cancelled, holds to the jobs that the
    // message indexes hold: read from them and sorted (markedJobs()), their columns there. For
    // an error category that is where the order goes with how jobs ended, and on SQLite, which
    // would read every match through the category's index and the table (170 ms for 100,000).
    // A text here is one whose dealers have too many jobs to read (above), and its matches
    // through the dealer ID are not in those indexes: it cannot.
    const bool manyDealersJobs = !filter.text.isEmpty();
    if (filter.errorCategory)
        return !manyDealersJobs && (sqlite || goesWithStatus) ? HistoryPlan::MarkedJobs
               : !sqlite && goesWithStatus                    ? HistoryPlan::FilterIndex
                                                              : HistoryPlan::SQLiteChooses;
    // The statuses asked for, when fewer than all the finished ones.
    QStringList asked;
    for (JobStatus status : filter.statuses) {
        if (isFinishedStatus(status) && !asked.contains(jobStatusName(status)))
            asked << jobStatusName(status);
    }
    const bool byStatus = !filter.statuses.isEmpty() && asked.size() < 3;
    // (An order by the type, with one type asked for, came here as the finished order.)
    const bool walkType =
        sqlite && !filter.fetchType.isEmpty() && filter.sort != HistorySort::FinishedAt;
    if ((!walkType && !byStatus) || (!sqlite && !goesWithStatus) || filter.finishedAfterMs ||
        filter.finishedBeforeMs)
        return HistoryPlan::SQLiteChooses;
    // A status that is not a finished one matches no finished job.
    if (!filter.statuses.isEmpty() && asked.isEmpty())
        asked << QStringLiteral("0");
    const QString finished = QStringLiteral("completed + failed + cancelled");
    const QString ofType =
        filter.fetchType.isEmpty() ? QStringLiteral("true") : QStringLiteral("fetch_type = ?");
    QSqlQuery &q = m_db->prepared(
        QStringLiteral("SELECT COALESCE(SUM(CASE WHEN %3 THEN %1 END), 0), "
                       "COALESCE(SUM(CASE WHEN %3 THEN %2 END), 0), "
                       "COALESCE(SUM(%2), 0) FROM stats_hours")
            .arg(asked.isEmpty() ? finished : asked.join(QStringLiteral(" + ")), finished, ofType));
    const FinishOnExit finishQ(q);
    if (!filter.fetchType.isEmpty()) {
        q.addBindValue(filter.fetchType);
        q.addBindValue(filter.fetchType);
    }
    if (!exec(q, error, QStringLiteral("reading the history")) || !q.next())
        return std::nullopt;
    const double matching = q.value(0).toDouble();
    const double ofTypeJobs = q.value(1).toDouble();
    const double all = q.value(2).toDouble();
    // A walk reads (page's end) × all / matching jobs.
    const double pageEnd = double(filter.limit) + qMax(0, filter.offset);
    const double walked = matching > 0 ? pageEnd * all / matching : all;
    const bool marked = std::all_of(asked.cbegin(), asked.cend(), [](const QString &status) {
        return status == jobStatusName(JobStatus::Failed) ||
               status == jobStatusName(JobStatus::Cancelled);
    });
    if (byStatus && matching <= FilterIndexMaxJobs && (goesWithStatus || walked >= matching))
        return marked && !manyDealersJobs ? HistoryPlan::MarkedJobs : HistoryPlan::FilterIndex;
    // The type's index reads all of the type's.
    if (walkType && walked <= ofTypeJobs)
        return HistoryPlan::WalkPastOtherTypes;
    return HistoryPlan::SQLiteChooses;
}

std::optional<qint64> JobStore::countHistory(const HistoryFilter &filter, const TextSearch *given,
                                             StoreError *error)
{
    // Statuses and type alone are counted from the kept figures; any other field reads the jobs
    // it matches through its index.
    if (filter.countedByFigures()) {
        const std::optional<JobCounts> finished = finishedCounts(filter.fetchType, error);
        if (!finished)
            return std::nullopt;
        return finished->finishedOf(filter.statuses);
    }
    const int most = textMaxCandidates(m_db->isSqlite());
    const std::optional<TextSearch> text = textSearch(filter, given, most, error);
    if (!text)
        return std::nullopt;
    QVariantList binds;
    if (text->few(most))
        return countJobs(QStringLiteral("(%1) AS matches")
                             .arg(markedJobs(filter, text->dealers, QStringLiteral("id"),
                                             m_db->isSqlite(), &binds)),
                         binds, QStringLiteral("counting the history"), error);
    return countJobs(QStringLiteral("jobs WHERE ") + historyWhere(filter, &binds), binds,
                     QStringLiteral("counting the history"), error);
}

std::optional<JobStore::TextSearch> JobStore::textSearch(const HistoryFilter &filter,
                                                         const TextSearch *given, int most,
                                                         StoreError *error)
{
    if (given)
        return *given;
    return textSearch(filter, most, error);
}

std::optional<JobStore::TextSearch> JobStore::textSearch(const HistoryFilter &filter, int most,
                                                         StoreError *error)
{
    // Counting up to one more than `most` costs no more than reading them would. A dealer
    // filter's own index reads fewer still.
    TextSearch found;
    if (filter.text.isEmpty() || !filter.dealerId.isEmpty())
        return found;
    // The dealers from the coverage, which holds a row for each dealer and type with a job
    // (kept by the jobs' triggers, schema version 9): 1 ms for 5,000 dealers, where a step
    // through the dealer index from one dealer ID to the next took 14 ms on SQLite and 63 ms on
    // PostgreSQL.
    QSqlQuery q(m_db->db());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT DISTINCT dealer_id FROM insight_coverage WHERE "
                             "LOWER(dealer_id) LIKE ? ESCAPE '!'"));
    q.addBindValue(substringPattern(filter.text));
    if (!exec(q, error, QStringLiteral("searching the history")))
        return std::nullopt;
    while (q.next())
        found.dealers << q.value(0).toString();
    q.finish();
    // Each is a bound value: a few thousand, far below either backend's limit.
    if (found.dealers.size() > MaxTextDealers) {
        found.dealers.clear();
        return found;
    }
    found.dealerJobs = 0;
    if (found.dealers.isEmpty())
        return found;
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM (SELECT id FROM jobs WHERE dealer_id IN (%1) "
                             "LIMIT ?) AS dealer_jobs")
                  .arg(placeholders(found.dealers.size())));
    for (const QString &dealer : std::as_const(found.dealers))
        q.addBindValue(dealer);
    q.addBindValue(most + 1);
    if (!exec(q, error, QStringLiteral("searching the history")) || !q.next())
        return std::nullopt;
    found.dealerJobs = q.value(0).toLongLong();
    return found;
}
