#pragma once

#include <QColor>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <functional>
#include <optional>

/// A small chart drawn with QPainter (Qt Charts is GPL-only): one value per bucket for each
/// series, as stacked bars or as lines with points, a grid with the scale, a legend, and the
/// exact values of the bucket under the pointer as a tooltip. Colours come from the palette
/// each time it paints (functions of the palette, PaletteColors), so that it reads on light and
/// dark palettes and follows a change of either; lines and text are drawn in device-independent
/// pixels, crisp at any scale.
class ChartWidget final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChartWidget)

public:
    enum class Style
    {
        StackedBars,
        Lines
    };

    struct Series
    {
        QString name;
        std::function<QColor(const QPalette &)> color;
        QVector<std::optional<double>> values; ///< one per bucket; none: no value (a gap)
    };

    ChartWidget(const QString &title, Style style, QWidget *parent = nullptr);
    ~ChartWidget() override;

    /// `labels` name the buckets on the axis (shortened where they do not fit), `tips` in the
    /// tooltip; `format` writes a value on the axis, `exact` in the tooltip (`format` if null).
    void setData(const QStringList &labels, const QStringList &tips, const QVector<Series> &series,
                 std::function<QString(double)> format,
                 std::function<QString(double)> exact = nullptr);

    QString title() const { return m_title; }
    int bucketCount() const { return int(m_labels.size()); }
    const QVector<Series> &series() const { return m_series; }
    /// The bucket under `pos` (widget coordinates), or -1.
    int bucketAt(const QPoint &pos) const;
    /// The centre of bucket `index` in widget coordinates (for tests and tooltips).
    QPoint bucketCenter(int index) const;
    /// What the tooltip says over bucket `index`: its time and every series' exact value.
    QString toolTipFor(int index) const;
    /// The bucket drawn highlighted (under the pointer), or -1.
    int hoveredBucket() const { return m_hover; }

    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    bool event(QEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    QRectF plotRect() const;
    double maxValue() const;

    QString m_title;
    Style m_style;
    QStringList m_labels;
    QStringList m_tips;
    QVector<Series> m_series;
    std::function<QString(double)> m_format;
    std::function<QString(double)> m_exact;
    int m_hover = -1;
};
