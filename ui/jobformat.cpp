#include "jobformat.h"

#include "job/timeformat.h"
#include "palettecolors.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QGuiApplication>
#include <QHash>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

// Q_INIT_RESOURCE must be called outside any namespace.
static void initResources()
{
    Q_INIT_RESOURCE(dealerq);
}

namespace JobFormat {

QString dateTime(qint64 msecsSinceEpoch)
{
    if (msecsSinceEpoch == 0)
        return {};
    return QDateTime::fromMSecsSinceEpoch(msecsSinceEpoch, Qt::LocalTime)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString window(qint64 fromMs, qint64 toMs)
{
    const bool wholeDays = fromMs == localDayBound(fromMs, TimeBound::Start) &&
                           toMs == localDayBound(toMs, TimeBound::End);
    if (!wholeDays)
        return QStringLiteral("%1 – %2").arg(dateTime(fromMs), dateTime(toMs));
    const QString from = QDateTime::fromMSecsSinceEpoch(fromMs, Qt::LocalTime)
                             .toString(QStringLiteral("yyyy-MM-dd"));
    const QString to =
        QDateTime::fromMSecsSinceEpoch(toMs, Qt::LocalTime).toString(QStringLiteral("yyyy-MM-dd"));
    return from == to ? from : QStringLiteral("%1 – %2").arg(from, to);
}

QString duration(std::optional<double> seconds)
{
    if (!seconds)
        return {};
    const double s = *seconds;
    if (s < 60)
        return QCoreApplication::translate("JobFormat", "%1 s", "seconds")
            .arg(QLocale().toString(s, 'f', 1));
    const qint64 whole = qint64(s);
    if (whole < 3600)
        return QCoreApplication::translate("JobFormat", "%1 min %2 s", "minutes and seconds")
            .arg(whole / 60)
            .arg(whole % 60, 2, 10, QLatin1Char('0'));
    return QCoreApplication::translate("JobFormat", "%1 h %2 min", "hours and minutes")
        .arg(whole / 3600)
        .arg((whole % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString count(qint64 value)
{
    // What %Ln in a translated text gives: the default locale, whose numbers are the system's
    // (LC_NUMERIC, LANG; LANGUAGE chooses only the words).
    return QLocale().toString(value);
}

QString statusText(JobStatus status)
{
    switch (status) {
    case JobStatus::Queued:
        return QCoreApplication::translate("JobFormat", "Queued");
    case JobStatus::Running:
        return QCoreApplication::translate("JobFormat", "Running");
    case JobStatus::Completed:
        return QCoreApplication::translate("JobFormat", "Completed");
    case JobStatus::Failed:
        return QCoreApplication::translate("JobFormat", "Failed");
    case JobStatus::Cancelled:
        return QCoreApplication::translate("JobFormat", "Cancelled");
    }
    return {};
}

QString errorCategoryText(ErrorCategory category)
{
    switch (category) {
    case ErrorCategory::None:
        return {};
    case ErrorCategory::Network:
        return QCoreApplication::translate(
            "JobFormat", "Network: the dealer API could not be reached or did not answer in time");
    case ErrorCategory::Http:
        return QCoreApplication::translate(
            "JobFormat", "HTTP error: the dealer API answered with an error status");
    case ErrorCategory::Auth:
        return QCoreApplication::translate(
            "JobFormat", "Refused: the dealer API did not accept the source token");
    case ErrorCategory::NotFound:
        return QCoreApplication::translate(
            "JobFormat", "Not found: the dealer API does not know this dealer or fetch type");
    case ErrorCategory::BadPayload:
        return QCoreApplication::translate(
            "JobFormat", "Unreadable answer: the dealer API sent data that is not what it should");
    case ErrorCategory::Database:
        return QCoreApplication::translate("JobFormat",
                                           "Database: the records could not be stored");
    case ErrorCategory::Cancelled:
        return QCoreApplication::translate("JobFormat", "Cancelled by an operator");
    case ErrorCategory::Interrupted:
        return QCoreApplication::translate("JobFormat",
                                           "Interrupted: the process running it stopped too often");
    }
    return {};
}

QColor statusColor(JobStatus status)
{
    return PaletteColors::statusColor(status, QGuiApplication::palette());
}

QIcon statusIcon(JobStatus status)
{
    static QHash<int, QIcon> cache;
    const auto found = cache.constFind(int(status));
    if (found != cache.constEnd())
        return *found;

    constexpr int Size = 32;
    QPixmap pixmap(Size, Size);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    // The same on any palette: a white mark on a mid-tone circle reads on light and dark.
    QColor color(0x9e, 0x9e, 0x9e);
    switch (status) {
    case JobStatus::Running:
        color = QColor(0x1f, 0x6f, 0xc5);
        break;
    case JobStatus::Completed:
        color = QColor(0x1e, 0x84, 0x3c);
        break;
    case JobStatus::Failed:
        color = QColor(0xc6, 0x28, 0x28);
        break;
    case JobStatus::Cancelled:
        color = QColor(0x75, 0x75, 0x75);
        break;
    case JobStatus::Queued:
        break;
    }
    p.setPen(Qt::NoPen);
    p.setBrush(color);
    p.drawEllipse(QRectF(2, 2, Size - 4, Size - 4));
    QPen mark(Qt::white, 4, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(mark);
    p.setBrush(Qt::NoBrush);
    switch (status) {
    case JobStatus::Completed:
        p.drawPolyline(QPolygonF({QPointF(9, 16.5), QPointF(14, 21.5), QPointF(23, 11)}));
        break;
    case JobStatus::Failed:
        p.drawLine(QPointF(11, 11), QPointF(21, 21));
        p.drawLine(QPointF(21, 11), QPointF(11, 21));
        break;
    case JobStatus::Cancelled:
        p.drawLine(QPointF(10, 16), QPointF(22, 16));
        break;
    case JobStatus::Running:
        p.setPen(Qt::NoPen);
        p.setBrush(Qt::white);
        p.drawPolygon(QPolygonF({QPointF(12, 9), QPointF(23, 16), QPointF(12, 23)}));
        break;
    case JobStatus::Queued:
        p.drawLine(QPointF(16, 9), QPointF(16, 16));
        p.drawLine(QPointF(16, 16), QPointF(21, 19));
        break;
    }
    p.end();
    const QIcon icon(pixmap);
    cache.insert(int(status), icon);
    return icon;
}

QIcon applicationIcon()
{
    static const bool loaded = (initResources(), true);
    Q_UNUSED(loaded);
    QIcon icon(QStringLiteral(":/dealerq/dealerq.png"));
    if (!icon.isNull() && !icon.availableSizes().isEmpty())
        return icon;
    return statusIcon(JobStatus::Running);
}

} // namespace JobFormat
