#include "chartwidget.h"

#include <algorithm>
#include <cmath>

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

namespace {

/// A round number at or above `value` for the top of the scale: 1, 2 or 5 times a power of 10.
double niceCeiling(double value)
{
    if (value <= 0)
        return 1;
    const double power = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * power >= value)
            return step * power;
    }
    return 10 * power;
}

/// How many steps the scale from 0 to `top` (a niceCeiling()) takes, so that every grid line
/// falls on a round value: 1, 2 or 5 times a power of 10. Counts (`integral`) never step by a
/// fraction, which their labels would round into lies.
int gridSteps(double top, bool integral)
{
    if (integral && top <= 5)
        return std::max(1, int(std::lround(top)));
    const double mantissa = top / std::pow(10.0, std::floor(std::log10(top)));
    return std::lround(mantissa) == 2 ? 4 : 5; // 2: by 0.5; 1, 5 and 10: by 0.2, 1 and 2
}

} // namespace

ChartWidget::ChartWidget(const QString &title, Style style, QWidget *parent)
    : QWidget(parent)
    , m_title(title)
    , m_style(style)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_Hover);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

ChartWidget::~ChartWidget() = default;

void ChartWidget::setData(const QStringList &labels, const QStringList &tips,
                          const QVector<Series> &series, std::function<QString(double)> format,
                          std::function<QString(double)> exact)
{
    m_exact = exact ? std::move(exact) : format;
    m_labels = labels;
    m_tips = tips;
    m_series = series;
    m_format = std::move(format);
    if (m_hover >= m_labels.size())
        m_hover = -1;
    update();
}

QSize ChartWidget::minimumSizeHint() const
{
    const QFontMetrics fm(font());
    return {fm.horizontalAdvance(QLatin1Char('0')) * 30, fm.height() * 7};
}

QSize ChartWidget::sizeHint() const
{
    const QFontMetrics fm(font());
    // Modest, so that the tab holding charts does not take the queue's room above it.
    return {fm.horizontalAdvance(QLatin1Char('0')) * 60, fm.height() * 6};
}

double ChartWidget::maxValue() const
{
    double top = 0;
    for (int i = 0; i < m_labels.size(); ++i) {
        double sum = 0;
        for (const Series &s : m_series) {
            const double v = s.values.value(i).value_or(0);
            sum = m_style == Style::StackedBars ? sum + v : std::max(sum, v);
        }
        top = std::max(top, sum);
    }
    return niceCeiling(top);
}

QRectF ChartWidget::plotRect() const
{
    const QFontMetrics fm(font());
    const QString widest = m_format ? m_format(maxValue()) : QStringLiteral("0");
    const double left = fm.horizontalAdvance(widest) + fm.horizontalAdvance(QLatin1Char(' ')) * 2;
    const double top = fm.height() * 2.4; // title and legend
    const double bottom = fm.height() * 1.6;
    return QRectF(left, top, std::max(1.0, width() - left - 8),
                  std::max(1.0, height() - top - bottom));
}

int ChartWidget::bucketAt(const QPoint &pos) const
{
    const QRectF plot = plotRect();
    if (m_labels.isEmpty() || pos.x() < plot.left() || pos.x() >= plot.right() ||
        pos.y() < plot.top() - 4 || pos.y() > plot.bottom() + 4)
        return -1;
    const int index = int((pos.x() - plot.left()) / plot.width() * m_labels.size());
    return std::clamp(index, 0, int(m_labels.size()) - 1);
}

QPoint ChartWidget::bucketCenter(int index) const
{
    const QRectF plot = plotRect();
    const double slot = plot.width() / std::max<qsizetype>(1, m_labels.size());
    return QPointF(plot.left() + slot * (index + 0.5), plot.center().y()).toPoint();
}

QString ChartWidget::toolTipFor(int index) const
{
    if (index < 0 || index >= m_labels.size())
        return {};
    QStringList lines{m_tips.value(index, m_labels.at(index))};
    for (const Series &s : m_series) {
        const std::optional<double> v = s.values.value(index);
        lines << tr("%1: %2").arg(s.name, v && m_exact ? m_exact(*v) : tr("none"));
    }
    return lines.join(QLatin1Char('\n'));
}

bool ChartWidget::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int index = bucketAt(help->pos());
        if (index < 0)
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), toolTipFor(index), this);
        return true;
    }
    return QWidget::event(event);
}

void ChartWidget::mouseMoveEvent(QMouseEvent *event)
{
    const int index = bucketAt(event->position().toPoint());
    if (index != m_hover) {
        m_hover = index;
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void ChartWidget::leaveEvent(QEvent *event)
{
    m_hover = -1;
    update();
    QWidget::leaveEvent(event);
}

void ChartWidget::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    const QFontMetrics fm(font());
    p.fillRect(rect(), pal.color(QPalette::Base));

    // Title, then the legend on the line below it.
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QPointF(4, fm.ascent() + 2), m_title);
    p.setFont(font());
    double x = 4;
    const double legendY = fm.height() * 1.2;
    for (const Series &s : std::as_const(m_series)) {
        const QColor c = s.color(pal);
        p.fillRect(QRectF(x, legendY + (fm.height() - 10) / 2.0, 10, 10), c);
        x += 14;
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QPointF(x, legendY + fm.ascent()), s.name);
        x += fm.horizontalAdvance(s.name) + 16;
    }

    const QRectF plot = plotRect();
    const int n = int(m_labels.size());
    const double top = maxValue();
    QColor grid = pal.color(QPalette::Text);
    grid.setAlphaF(0.18);
    // The grid and the scale.
    const int steps = gridSteps(top, m_style == Style::StackedBars);
    // Every line, but a label only where one fits, at the same step from 0.
    const int labelEvery = std::max(1, int(std::ceil(fm.height() * steps / plot.height())));
    for (int i = 0; i <= steps; ++i) {
        const double y = plot.bottom() - plot.height() * i / steps;
        p.setPen(QPen(grid, 1));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        if (m_format && i % labelEvery == 0) {
            p.setPen(pal.color(QPalette::Text));
            const QString label = m_format(top * i / steps);
            p.drawText(QRectF(0, y - fm.height() / 2.0, plot.left() - 6, fm.height()),
                       Qt::AlignRight | Qt::AlignVCenter, label);
        }
    }
    if (n == 0)
        return;
    const double slot = plot.width() / n;
    if (m_hover >= 0) {
        QColor hover = pal.color(QPalette::Highlight);
        hover.setAlphaF(0.15);
        p.fillRect(QRectF(plot.left() + slot * m_hover, plot.top(), slot, plot.height()), hover);
    }
    const auto yOf = [&](double v) { return plot.bottom() - plot.height() * (v / top); };
    if (m_style == Style::StackedBars) {
        const double gap = std::min(slot * 0.2, 4.0);
        for (int i = 0; i < n; ++i) {
            double base = 0;
            for (const Series &s : std::as_const(m_series)) {
                const double v = s.values.value(i).value_or(0);
                if (v <= 0)
                    continue;
                const QRectF bar(QPointF(plot.left() + slot * i + gap / 2, yOf(base + v)),
                                 QPointF(plot.left() + slot * (i + 1) - gap / 2, yOf(base)));
                p.fillRect(bar, s.color(pal));
                base += v;
            }
        }
    } else {
        for (const Series &s : std::as_const(m_series)) {
            const QColor c = s.color(pal);
            QPainterPath path;
            bool drawing = false;
            for (int i = 0; i < n; ++i) {
                const std::optional<double> v = s.values.value(i);
                if (!v) {
                    drawing = false;
                    continue;
                }
                const QPointF point(plot.left() + slot * (i + 0.5), yOf(*v));
                if (drawing)
                    path.lineTo(point);
                else
                    path.moveTo(point);
                drawing = true;
                p.setPen(Qt::NoPen);
                p.setBrush(c);
                p.drawEllipse(point, 2.5, 2.5);
            }
            p.setBrush(Qt::NoBrush);
            p.setPen(QPen(c, 2));
            p.drawPath(path);
        }
    }
    // The buckets' labels, as many as fit.
    p.setPen(pal.color(QPalette::Text));
    int widest = 1;
    for (const QString &label : std::as_const(m_labels))
        widest = std::max(widest, fm.horizontalAdvance(label) + 8);
    const int every = std::max(1, int(std::ceil(widest / slot)));
    for (int i = 0; i < n; i += every) {
        const QRectF box(plot.left() + slot * (i + 0.5) - widest / 2.0, plot.bottom() + 2, widest,
                         fm.height());
        p.drawText(box, Qt::AlignHCenter | Qt::AlignTop, m_labels.at(i));
    }
}
