#include "palettecolors.h"

#include <cmath>

#include <QApplication>
#include <QEvent>
#include <QPointer>
#include <QStyle>
#include <QStyleFactory>
#include <QWidget>

namespace PaletteColors {

namespace {

double channel(double c)
{
    return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QColor &color)
{
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) +
           0.0722 * channel(color.blueF());
}

/// Re-applies a widget's colours when its palette changes from outside (its parent's, the
/// application's); its own setPalette() inside `apply` is not a change to follow.
class Follower final : public QObject
{
public:
    Follower(QWidget *widget, std::function<void()> apply)
        : QObject(widget)
        , m_apply(std::move(apply))
    {
        setObjectName(QStringLiteral("paletteFollower"));
        widget->installEventFilter(this);
    }

    void apply()
    {
        if (m_applying)
            return;
        m_applying = true;
        m_apply();
        m_applying = false;
    }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::PaletteChange && watched == parent())
            apply();
        return false;
    }

private:
    std::function<void()> m_apply;
    bool m_applying = false;
};

QList<QColor> textBackgrounds(const QPalette &palette)
{
    return {palette.color(QPalette::Window), palette.color(QPalette::Base),
            palette.color(QPalette::AlternateBase)};
}

bool systemPaletteReplaced = false;

} // namespace

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (qMax(la, lb) + 0.05) / (qMin(la, lb) + 0.05);
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

QColor readable(const QColor &color, const QList<QColor> &backgrounds, double ratio)
{
    if (backgrounds.isEmpty() || !color.isValid())
        return color;
    const auto worst = [&backgrounds](const QColor &c) {
        double lowest = 21;
        for (const QColor &background : backgrounds)
            lowest = qMin(lowest, contrast(c, background));
        return lowest;
    };
    double mean = 0;
    for (const QColor &background : backgrounds)
        mean += luminance(background);
    mean /= backgrounds.size();
    // Away from the backgrounds: darker on light ones, lighter on dark ones.
    const bool darken = mean > 0.18;
    float h = 0, s = 0, l = 0, a = 0;
    color.getHslF(&h, &s, &l, &a);
    QColor shifted = color;
    for (int step = 0; step < 40 && worst(shifted) < ratio; ++step) {
        l = darken ? qMax(0.0f, l - 0.025f) : qMin(1.0f, l + 0.025f);
        shifted = QColor::fromHslF(h, s, l, a);
    }
    return shifted;
}

QColor statusColor(JobStatus status, const QPalette &palette)
{
    const bool dark = isDark(palette);
    QColor color;
    switch (status) {
    case JobStatus::Queued:
        return {};
    case JobStatus::Running:
        color = dark ? QColor(0x64, 0xb5, 0xf6) : QColor(0x1f, 0x6f, 0xc5);
        break;
    case JobStatus::Completed:
        color = dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x1e, 0x84, 0x3c);
        break;
    case JobStatus::Failed:
        color = dark ? QColor(0xef, 0x9a, 0x9a) : QColor(0xc6, 0x28, 0x28);
        break;
    case JobStatus::Cancelled:
        return mutedColor(palette);
    }
    return readable(color, textBackgrounds(palette));
}

QColor freshnessColor(CoverageState state, const QPalette &palette)
{
    switch (state) {
    case CoverageState::Fresh:
        return statusColor(JobStatus::Completed, palette);
    case CoverageState::Stale:
        return pausedColor(palette);
    case CoverageState::Failing:
        return statusColor(JobStatus::Failed, palette);
    case CoverageState::Never:
    case CoverageState::Any:
        break;
    }
    return mutedColor(palette);
}

QColor pausedColor(const QPalette &palette)
{
    return readable(isDark(palette) ? QColor(0xff, 0xb7, 0x4d) : QColor(0xb2, 0x6a, 0x00),
                    textBackgrounds(palette));
}

QColor mutedColor(const QPalette &palette)
{
    return readable(isDark(palette) ? QColor(0xb0, 0xb0, 0xb0) : QColor(0x75, 0x75, 0x75),
                    textBackgrounds(palette));
}

QColor toneBackground(Tone tone, const QPalette &palette)
{
    const bool dark = isDark(palette);
    switch (tone) {
    case Tone::Info:
        return dark ? QColor(0x1c, 0x3a, 0x57) : QColor(0xe3, 0xf2, 0xfd);
    case Tone::Warning:
        return dark ? QColor(0x4d, 0x3d, 0x12) : QColor(0xff, 0xf4, 0xd6);
    case Tone::Error:
        return dark ? QColor(0x5a, 0x1f, 0x1f) : QColor(0xfd, 0xe3, 0xe3);
    case Tone::Demo:
        return dark ? QColor(0x5c, 0x48, 0x00) : QColor(0xff, 0xe0, 0x82);
    }
    return palette.color(QPalette::Window);
}

QColor toneText(Tone tone, const QPalette &palette)
{
    const QColor background = toneBackground(tone, palette);
    const QColor text = palette.color(QPalette::WindowText);
    if (contrast(text, background) >= 7)
        return text;
    return contrast(Qt::black, background) >= contrast(Qt::white, background) ? QColor(Qt::black)
                                                                              : QColor(Qt::white);
}

void follow(QWidget *widget, std::function<void()> apply)
{
    // By name: findChild<Follower *> needs Q_OBJECT since Qt 6.8, and the name is ours alone.
    delete widget->findChild<QObject *>(QStringLiteral("paletteFollower"),
                                        Qt::FindDirectChildrenOnly);
    auto *follower = new Follower(widget, std::move(apply));
    follower->apply();
}

void resetColors(QWidget *widget)
{
    // By name: findChild<Follower *> needs Q_OBJECT since Qt 6.8, and the name is ours alone.
    delete widget->findChild<QObject *>(QStringLiteral("paletteFollower"),
                                        Qt::FindDirectChildrenOnly);
    widget->setPalette(QPalette());
}

void setTextColor(QWidget *widget, std::function<QColor(const QPalette &)> color)
{
    follow(widget, [widget, color = std::move(color)] {
        QPalette pal = widget->palette();
        pal.setColor(QPalette::WindowText, color(pal));
        widget->setPalette(pal);
    });
}

void setStatusText(QWidget *widget, JobStatus status)
{
    setTextColor(widget,
                 [status](const QPalette &palette) { return statusColor(status, palette); });
}

void setTone(QWidget *widget, Tone tone)
{
    follow(widget, [widget, tone] {
        const QPalette base = widget->parentWidget() ? widget->parentWidget()->palette()
                                                     : QApplication::palette(widget);
        QPalette pal = widget->palette();
        pal.setColor(QPalette::Window, toneBackground(tone, base));
        pal.setColor(QPalette::WindowText, toneText(tone, base));
        widget->setPalette(pal);
        widget->setAutoFillBackground(true);
    });
}

QStringList paletteChoices()
{
    return {QStringLiteral("system"), QStringLiteral("light"), QStringLiteral("dark")};
}

QPalette lightPalette()
{
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    return fusion ? fusion->standardPalette() : QPalette(QColor(0xef, 0xef, 0xef));
}

QPalette darkPalette()
{
    const QColor window(0x35, 0x35, 0x35);
    const QColor base(0x2a, 0x2a, 0x2a);
    const QColor text(0xf0, 0xf0, 0xf0);
    const QColor disabled(0x80, 0x80, 0x80);
    QPalette pal;
    pal.setColor(QPalette::Window, window);
    pal.setColor(QPalette::WindowText, text);
    pal.setColor(QPalette::Base, base);
    pal.setColor(QPalette::AlternateBase, QColor(0x32, 0x32, 0x32));
    pal.setColor(QPalette::ToolTipBase, QColor(0x25, 0x25, 0x25));
    pal.setColor(QPalette::ToolTipText, text);
    pal.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    pal.setColor(QPalette::Text, text);
    pal.setColor(QPalette::Button, window);
    pal.setColor(QPalette::ButtonText, text);
    pal.setColor(QPalette::BrightText, QColor(0xff, 0x6e, 0x6e));
    pal.setColor(QPalette::Light, QColor(0x4a, 0x4a, 0x4a));
    pal.setColor(QPalette::Midlight, QColor(0x42, 0x42, 0x42));
    pal.setColor(QPalette::Mid, QColor(0x28, 0x28, 0x28));
    pal.setColor(QPalette::Dark, QColor(0x20, 0x20, 0x20));
    pal.setColor(QPalette::Shadow, QColor(0x14, 0x14, 0x14));
    pal.setColor(QPalette::Highlight, QColor(0x2a, 0x6f, 0xb8));
    pal.setColor(QPalette::HighlightedText, Qt::white);
    pal.setColor(QPalette::Link, QColor(0x7c, 0xb8, 0xf5));
    pal.setColor(QPalette::LinkVisited, QColor(0xb3, 0x9d, 0xdb));
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        pal.setColor(QPalette::Disabled, role, disabled);
    pal.setColor(QPalette::Disabled, QPalette::Light, window);
    return pal;
}

void applyPaletteChoice(const QString &choice)
{
    if (choice == QLatin1String("light") || choice == QLatin1String("dark")) {
        QApplication::setPalette(choice == QLatin1String("dark") ? darkPalette() : lightPalette());
        systemPaletteReplaced = true;
    } else if (systemPaletteReplaced) {
        // An empty palette resolves to the style's and the desktop's again.
        QApplication::setPalette(QPalette());
        systemPaletteReplaced = false;
    } else {
        return;
    }
    // QApplication passes the change to child widgets only: windows that are open take it here,
    // and hand it to their children.
    const QWidgetList windows = QApplication::topLevelWidgets();
    for (QWidget *window : windows) {
        QEvent event(QEvent::ApplicationPaletteChange);
        QCoreApplication::sendEvent(window, &event);
    }
}

} // namespace PaletteColors
