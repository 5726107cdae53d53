#include "scheduledialog.h"

#include "dealeridlistedit.h"
#include "jobformat.h"
#include "palettecolors.h"
#include "queue/jobqueue.h"
#include "schedule/cron.h"
#include "schedule/schedule.h"
#include "schedule/window.h"
#include "scheduleformat.h"

#include <algorithm>

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimeZone>
#include <QTimer>
#include <QVBoxLayout>

namespace {

constexpr int FireTimesShown = 5;

/// `message` without the "field: " it starts with, for a line beside that very field.
QString withoutField(const QString &message, const QString &field)
{
    const QString prefix = field + QStringLiteral(": ");
    return message.startsWith(prefix) ? message.mid(prefix.size()) : message;
}

/// Shows `text` on `label`: in the error colour when `error`, otherwise as a quiet hint.
void setHint(QLabel *label, const QString &text, bool error)
{
    PaletteColors::setTextColor(label, [error](const QPalette &palette) {
        return error ? PaletteColors::statusColor(JobStatus::Failed, palette)
                     : palette.color(QPalette::PlaceholderText);
    });
    label->setText(text);
}

QLabel *hintLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

/// An empty zone is this machine's, as validateSchedule() reads it.
bool isSystemZone(const QString &id)
{
    return id.isEmpty();
}

/// A zone a schedule can be read in (isScheduleZone(): not `localtime` or `posixrules`, which
/// Qt 6.8 lists), or this machine's under an alias the list lacks (Debian's Etc/UTC, which the
/// command line stores when no --timezone is given).
bool isKnownZone(const QString &id)
{
    return isSystemZone(id) || isScheduleZone(id) || id.toUtf8() == QTimeZone::systemTimeZoneId();
}

QTimeZone zoneNamed(const QString &id)
{
    return isSystemZone(id) ? QTimeZone::systemTimeZone() : QTimeZone(id.toUtf8());
}

} // namespace

ScheduleDialog::ScheduleDialog(JobQueue *queue, const std::optional<Schedule> &existing,
                               QWidget *parent)
    : QDialog(parent)
    , m_queue(queue)
    , m_original(existing)
    , m_name(new QLineEdit(this))
    , m_nameHint(hintLabel(QStringLiteral("scheduleNameHint"), this))
    , m_cron(new QLineEdit(this))
    , m_cronWords(hintLabel(QStringLiteral("scheduleCronWords"), this))
    , m_nextFires(hintLabel(QStringLiteral("scheduleNextFires"), this))
    , m_zone(new QComboBox(this))
    , m_zoneHint(hintLabel(QStringLiteral("scheduleZoneHint"), this))
    , m_typesHint(hintLabel(QStringLiteral("scheduleTypesHint"), this))
    , m_window(new QComboBox(this))
    , m_windowCount(new QSpinBox(this))
    , m_windowHint(hintLabel(QStringLiteral("scheduleWindowHint"), this))
    , m_fallbackDays(new QSpinBox(this))
    , m_priority(new QSpinBox(this))
    , m_catchUp(new QComboBox(this))
    , m_enabled(new QCheckBox(tr("&Enabled: fires at its times"), this))
    , m_dealers(new DealerIdListEdit(QStringLiteral("scheduleDealers"), this))
    , m_reason(hintLabel(QStringLiteral("scheduleReason"), this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("scheduleDialog"));
    setWindowTitle(isEditing() ? tr("Edit Schedule — %1").arg(m_original->name)
                               : tr("Add Schedule"));
    m_name->setObjectName(QStringLiteral("scheduleName"));
    m_cron->setObjectName(QStringLiteral("scheduleCron"));
    m_zone->setObjectName(QStringLiteral("scheduleZone"));
    m_window->setObjectName(QStringLiteral("scheduleWindow"));
    m_windowCount->setObjectName(QStringLiteral("scheduleWindowCount"));
    m_fallbackDays->setObjectName(QStringLiteral("scheduleFallbackDays"));
    m_priority->setObjectName(QStringLiteral("schedulePriority"));
    m_catchUp->setObjectName(QStringLiteral("scheduleCatchUp"));
    m_enabled->setObjectName(QStringLiteral("scheduleEnabled"));
    m_ok = m_buttons->button(QDialogButtonBox::Ok);
    m_ok->setObjectName(QStringLiteral("scheduleOk"));
    m_ok->setText(isEditing() ? tr("&Save") : tr("&Add Schedule"));

    m_name->setMaxLength(MaxScheduleNameLength);
    m_name->setPlaceholderText(tr("e.g. nightly prospects"));
    m_cron->setMaxLength(MaxCronLength);
    m_cron->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_cron->setPlaceholderText(tr("minute hour day-of-month month day-of-week"));
    m_cron->setToolTip(
        tr("Five fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or "
           "jan-dec), day of week (0-7 or sun-sat; 0 and 7 are Sunday). Each is *, a number, "
           "a range a-b, a step */n or a-b/n, or a list of these: a,b.\n"
           "0 2 * * *  every day at 02:00\n30 6 * * 1-5  at 06:30 on Monday to Friday\n"
           "*/15 * * * *  every 15 minutes"));
    m_cronWords->setWordWrap(true);
    m_nextFires->setMinimumHeight(m_nextFires->fontMetrics().lineSpacing() * FireTimesShown);
    m_nextFires->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    m_zone->setEditable(true);
    m_zone->setInsertPolicy(QComboBox::NoInsert);
    m_zone->setMaxVisibleItems(20);
    for (const QByteArray &id : QTimeZone::availableTimeZoneIds()) {
        const QString name = QString::fromUtf8(id);
        if (isScheduleZone(name))
            m_zone->addItem(name);
    }
    m_zone->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_zone->completer()->setFilterMode(Qt::MatchContains);
    m_zone->completer()->setCaseSensitivity(Qt::CaseInsensitive);
    m_zone->setToolTip(tr("The IANA time zone the cron is read in"));

    auto *typesRow = new QHBoxLayout;
    for (const QString &type : m_queue->config().fetchTypes) {
        auto *check = new QCheckBox(type, this);
        check->setObjectName(QStringLiteral("scheduleType_") + type);
        m_types.insert(type, check);
        typesRow->addWidget(check);
    }
    typesRow->addWidget(m_typesHint);
    typesRow->addStretch(1);

    m_window->addItem(tr("Previous day"), int(WindowRule::Kind::PreviousDay));
    m_window->addItem(tr("Today so far"), int(WindowRule::Kind::Today));
    m_window->addItem(tr("Last N hours"), int(WindowRule::Kind::LastHours));
    m_window->addItem(tr("Last N days"), int(WindowRule::Kind::LastDays));
    m_window->addItem(tr("Since last success"), int(WindowRule::Kind::SinceLastSuccess));
    m_window->setToolTip(tr("What each fire fetches, for every dealer and type"));
    m_windowCount->setToolTip(tr("N: how many hours or whole days"));
    // As wide as its widest value, so that the combo beside it keeps its size.
    m_windowCount->setRange(1, MaxWindowHours);
    m_windowCount->setSuffix(tr(" hours"));
    m_windowCount->setFixedWidth(m_windowCount->sizeHint().width());
    m_fallbackDays->setRange(1, MaxFallbackDays);
    m_fallbackDays->setToolTip(
        tr("Since last success: the whole days before the fire day to fetch where a dealer and "
           "type has no completed job yet, or only one over 366 days old"));
    auto *windowRow = new QHBoxLayout;
    windowRow->addWidget(m_window, 1);
    windowRow->addWidget(m_windowCount);
    auto *fallbackRow = new QHBoxLayout;
    fallbackRow->addWidget(m_fallbackDays);
    auto *fallbackNote = hintLabel(QStringLiteral("scheduleFallbackNote"), this);
    setHint(fallbackNote, tr("since last success, where a dealer and type has no completed job"),
            false);
    fallbackRow->addWidget(fallbackNote, 1);
    // "1 day", "2 days".
    const auto daySuffix = [](QSpinBox *spin, const QString &one, const QString &many) {
        spin->setSuffix(spin->value() == 1 ? one : many);
        connect(spin, &QSpinBox::valueChanged, spin,
                [spin, one, many](int value) { spin->setSuffix(value == 1 ? one : many); });
    };
    daySuffix(m_fallbackDays, tr(" day"), tr(" days"));

    m_priority->setRange(-MaxSchedulePriority, MaxSchedulePriority);
    m_priority->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    m_priority->setToolTip(tr("Its jobs' priority: higher runs first"));
    m_catchUp->addItem(tr("Fire the latest missed one once at start"), int(CatchUp::Once));
    m_catchUp->addItem(tr("Skip them"), int(CatchUp::Skip));
    m_catchUp->setToolTip(tr("What to do about times that fell while no dealerq instance ran"));
    m_enabled->setChecked(true);

    auto *zoneRow = new QHBoxLayout;
    zoneRow->addWidget(m_zone, 1);
    zoneRow->addWidget(m_zoneHint);

    // Rows whose field is a layout get a label with a buddy, so that their mnemonic works.
    const auto label = [this](const QString &text, QWidget *buddy) {
        auto *l = new QLabel(text, this);
        l->setBuddy(buddy);
        return l;
    };
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(QString(), m_nameHint);
    form->addRow(tr("&Cron:"), m_cron);
    form->addRow(QString(), m_cronWords);
    form->addRow(tr("Next fires:"), m_nextFires);
    form->addRow(label(tr("&Time zone:"), m_zone), zoneRow);
    form->addRow(tr("Fetch types:"), typesRow);
    form->addRow(label(tr("&Window:"), m_window), windowRow);
    form->addRow(QString(), m_windowHint);
    form->addRow(label(tr("&Fallback:"), m_fallbackDays), fallbackRow);
    form->addRow(tr("&Priority:"), m_priority);
    form->addRow(tr("&Missed times:"), m_catchUp);
    form->addRow(QString(), m_enabled);

    m_dealers->setInvalidText(tr("Invalid, the schedule cannot be saved: %1"));
    m_dealers->setSplitNote(tr("They are saved as separate IDs."));
    auto *dealersLabel = new QLabel(tr("&Dealers:"), this);
    dealersLabel->setBuddy(m_dealers->textEdit());
    auto *dealers = new QVBoxLayout;
    dealers->addWidget(dealersLabel);
    dealers->addWidget(m_dealers, 1);

    auto *columns = new QHBoxLayout;
    columns->addLayout(form, 3);
    columns->addSpacing(12);
    columns->addLayout(dealers, 2);

    m_reason->setWordWrap(true);
    auto *bottom = new QHBoxLayout;
    bottom->addWidget(m_reason, 1);
    bottom->addWidget(m_buttons, 0, Qt::AlignBottom);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addLayout(bottom);

    if (m_original) {
        fill(*m_original);
    } else {
        const QString zone = ScheduleFormat::defaultZone();
        m_zone->setCurrentIndex(m_zone->findText(zone));
        m_zone->setEditText(zone);
        if (const auto types = m_queue->config().fetchTypes; !types.isEmpty())
            m_types.value(types.first())->setChecked(true);
        m_fallbackDays->setValue(1);
    }
    updateWindowInputs();

    // Every change is checked at once; a refusal by the store stays until its field changes.
    const auto changed = [this](const QString &field) {
        if (m_storeError.field.isEmpty() || m_storeError.field == field)
            m_storeError = {};
        revalidate();
    };
    connect(m_name, &QLineEdit::textChanged, this, [changed] { changed(QStringLiteral("name")); });
    connect(m_cron, &QLineEdit::textChanged, this, [changed] { changed(QStringLiteral("cron")); });
    connect(m_zone, &QComboBox::currentTextChanged, this,
            [changed] { changed(QStringLiteral("timezone")); });
    for (QCheckBox *check : std::as_const(m_types))
        connect(check, &QCheckBox::toggled, this,
                [changed] { changed(QStringLiteral("fetch_types")); });
    connect(m_window, &QComboBox::currentIndexChanged, this, [this, changed] {
        updateWindowInputs();
        changed(QStringLiteral("window"));
    });
    connect(m_windowCount, &QSpinBox::valueChanged, this, [this, changed](int value) {
        const auto kind = WindowRule::Kind(m_window->currentData().toInt());
        if (kind == WindowRule::Kind::LastHours)
            m_hours = value;
        else if (kind == WindowRule::Kind::LastDays)
            m_days = value;
        updateCountSuffix();
        changed(QStringLiteral("window"));
    });
    connect(m_fallbackDays, &QSpinBox::valueChanged, this,
            [changed] { changed(QStringLiteral("fallback_days")); });
    connect(m_priority, &QSpinBox::valueChanged, this,
            [changed] { changed(QStringLiteral("priority")); });
    connect(m_dealers, &DealerIdListEdit::parsedChanged, this,
            [changed] { changed(QStringLiteral("dealer_ids")); });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ScheduleDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ScheduleDialog::reject);

    // The next fire times move on while the dialog stays open.
    auto *tick = new QTimer(this);
    tick->setInterval(20000);
    connect(tick, &QTimer::timeout, this, &ScheduleDialog::updateCron);
    tick->start();

    revalidate();
    resize(900, 580);
    m_name->setFocus();
}

ScheduleDialog::~ScheduleDialog() = default;

void ScheduleDialog::fill(const Schedule &schedule)
{
    m_name->setText(schedule.name);
    m_cron->setText(schedule.cron);
    const int zone = m_zone->findText(schedule.timezone);
    if (zone >= 0)
        m_zone->setCurrentIndex(zone);
    m_zone->setEditText(schedule.timezone);
    for (auto it = m_types.cbegin(); it != m_types.cend(); ++it)
        it.value()->setChecked(schedule.fetchTypes.contains(it.key()));
    if (const std::optional<WindowRule> rule = WindowRule::parse(schedule.window)) {
        if (rule->kind == WindowRule::Kind::LastHours)
            m_hours = rule->count;
        else if (rule->kind == WindowRule::Kind::LastDays)
            m_days = rule->count;
        m_window->setCurrentIndex(m_window->findData(int(rule->kind)));
    }
    m_fallbackDays->setValue(schedule.fallbackDays);
    m_priority->setValue(schedule.priority);
    m_catchUp->setCurrentIndex(m_catchUp->findData(int(schedule.catchUp)));
    m_enabled->setChecked(schedule.enabled);
    m_dealers->setText(schedule.dealerIds.join(QLatin1Char('\n')));
}

Schedule ScheduleDialog::schedule() const
{
    Schedule s = m_original.value_or(Schedule{});
    s.name = m_name->text();
    s.cron = m_cron->text();
    s.timezone = m_zone->currentText().trimmed();
    s.dealerIds = m_dealers->parsed().valid;
    s.fetchTypes.clear();
    for (const QString &type : m_queue->config().fetchTypes) {
        if (m_types.value(type)->isChecked())
            s.fetchTypes << type;
    }
    const auto kind = WindowRule::Kind(m_window->currentData().toInt());
    const int count = kind == WindowRule::Kind::LastHours  ? m_hours
                      : kind == WindowRule::Kind::LastDays ? m_days
                                                           : 0;
    s.window = WindowRule{kind, count}.toString();
    s.fallbackDays = m_fallbackDays->value();
    s.priority = m_priority->value();
    s.enabled = m_enabled->isChecked();
    s.catchUp = CatchUp(m_catchUp->currentData().toInt());
    return s;
}

void ScheduleDialog::updateWindowInputs()
{
    const auto kind = WindowRule::Kind(m_window->currentData().toInt());
    const QSignalBlocker blocker(m_windowCount);
    if (kind == WindowRule::Kind::LastHours || kind == WindowRule::Kind::LastDays) {
        const bool hours = kind == WindowRule::Kind::LastHours;
        m_windowCount->setSpecialValueText(QString());
        m_windowCount->setRange(1, hours ? MaxWindowHours : int(MaxWindowDays));
        m_windowCount->setValue(hours ? m_hours : m_days);
    } else {
        // No N for this rule: a dash, greyed out.
        m_windowCount->setSpecialValueText(QStringLiteral("—"));
        m_windowCount->setRange(0, 0);
    }
    updateCountSuffix();
    // Greyed out rather than hidden, so that nothing below moves.
    m_windowCount->setEnabled(kind == WindowRule::Kind::LastHours ||
                              kind == WindowRule::Kind::LastDays);
    m_fallbackDays->setEnabled(kind == WindowRule::Kind::SinceLastSuccess);
}

void ScheduleDialog::updateCountSuffix()
{
    const auto kind = WindowRule::Kind(m_window->currentData().toInt());
    const bool one = m_windowCount->value() == 1;
    if (kind == WindowRule::Kind::LastHours)
        m_windowCount->setSuffix(one ? tr(" hour") : tr(" hours"));
    else if (kind == WindowRule::Kind::LastDays)
        m_windowCount->setSuffix(one ? tr(" day") : tr(" days"));
    else
        m_windowCount->setSuffix(QString());
}

void ScheduleDialog::updateCron()
{
    const QString text = m_cron->text();
    QString error;
    const std::optional<CronExpression> cron =
        text.trimmed().isEmpty() ? std::nullopt : CronExpression::parse(text, &error);
    // Fewer than five fields is a cron still being typed: said quietly, not as an error.
    const bool typing = text.simplified().split(QLatin1Char(' ')).size() < 5;
    if (text.trimmed().isEmpty())
        setHint(m_cronWords, tr("e.g. 0 2 * * * for every day at 02:00"), false);
    else if (!cron)
        setHint(m_cronWords, withoutField(error, QStringLiteral("cron")), !typing);
    else
        setHint(m_cronWords, cron->describe(), false);

    const QString zoneId = m_zone->currentText().trimmed();
    const QTimeZone zone = zoneNamed(zoneId);
    if (!cron || !zone.isValid() || !isKnownZone(zoneId)) {
        setHint(m_nextFires, QStringLiteral("—"), false);
        return;
    }
    const QList<QDateTime> fires =
        nextFireTimes(*cron, zone, QDateTime::currentDateTimeUtc(), FireTimesShown);
    if (fires.isEmpty()) {
        setHint(m_nextFires,
                tr("none: the cron matches no time in the next %1 years").arg(CronSearchYears),
                true);
        return;
    }
    QStringList lines;
    for (const QDateTime &fire : fires) {
        const qint64 ms = fire.toMSecsSinceEpoch();
        lines << QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), QStringLiteral("ddd ")) +
                     ScheduleFormat::fireTime(ms, zoneId);
    }
    PaletteColors::resetColors(m_nextFires);
    m_nextFires->setText(lines.join(QLatin1Char('\n')));
}

void ScheduleDialog::updateZone()
{
    const QString id = m_zone->currentText().trimmed();
    if (!isKnownZone(id)) {
        setHint(m_zoneHint, tr("not a known time zone"), true);
        return;
    }
    const QString offset =
        zoneNamed(id).displayName(QDateTime::currentDateTimeUtc(), QTimeZone::OffsetName);
    setHint(m_zoneHint,
            ScheduleFormat::isLocalZone(id) ? tr("this machine's clock, %1 now").arg(offset)
                                            : tr("%1 now").arg(offset),
            false);
}

QString ScheduleDialog::fieldLabel(const QString &field) const
{
    static const QHash<QString, const char *> labels = {
        {QStringLiteral("name"), QT_TR_NOOP("Name")},
        {QStringLiteral("cron"), QT_TR_NOOP("Cron")},
        {QStringLiteral("timezone"), QT_TR_NOOP("Time zone")},
        {QStringLiteral("dealer_ids"), QT_TR_NOOP("Dealers")},
        {QStringLiteral("fetch_types"), QT_TR_NOOP("Fetch types")},
        {QStringLiteral("window"), QT_TR_NOOP("Window")},
        {QStringLiteral("fallback_days"), QT_TR_NOOP("Fallback")},
        {QStringLiteral("priority"), QT_TR_NOOP("Priority")},
    };
    const char *label = labels.value(field);
    return label ? tr(label) : field;
}

void ScheduleDialog::revalidate()
{
    updateCron();
    updateZone();

    // The store's own check, on the IDs as pasted: an invalid one refuses the schedule.
    Schedule probe = schedule();
    for (const DealerIdList::Invalid &bad : m_dealers->parsed().invalid)
        probe.dealerIds << bad.id;
    FieldError error;
    const bool valid = validateSchedule(&probe, m_queue->config().fetchTypes, &error);
    QString problem;
    if (!valid)
        problem = QStringLiteral("%1: %2").arg(fieldLabel(error.field),
                                               withoutField(error.message, error.field));
    else if (!m_storeError.field.isEmpty())
        problem = QStringLiteral("%1: %2").arg(
            fieldLabel(m_storeError.field), withoutField(m_storeError.message, m_storeError.field));
    m_problem = problem;

    if (m_storeError.field == QLatin1String("name"))
        setHint(m_nameHint, withoutField(m_storeError.message, QStringLiteral("name")), true);
    else if (!valid && error.field == QLatin1String("name") && !m_name->text().trimmed().isEmpty())
        setHint(m_nameHint, withoutField(error.message, QStringLiteral("name")), true);
    else
        setHint(m_nameHint,
                tr("up to %1 characters, unique among the schedules").arg(MaxScheduleNameLength),
                false);
    setHint(m_windowHint, ScheduleFormat::windowDetail(probe), false);
    const bool anyType = std::any_of(m_types.cbegin(), m_types.cend(),
                                     [](const QCheckBox *check) { return check->isChecked(); });
    setHint(m_typesHint, anyType ? QString() : tr("choose at least one"), true);

    if (m_busy) {
        setHint(m_reason, tr("Saving…"), false);
    } else if (!problem.isEmpty()) {
        setHint(m_reason, problem, true);
    } else if (!m_storeError.message.isEmpty()) {
        setHint(m_reason, m_storeError.message, true);
    } else {
        setHint(m_reason, QString(), false);
    }
    m_ok->setEnabled(!m_busy && problem.isEmpty());
}

void ScheduleDialog::accept()
{
    if (m_busy)
        return;
    if (m_dealers->isStale())
        m_dealers->parseNow();
    revalidate();
    if (!m_problem.isEmpty())
        return;
    const Schedule s = schedule();
    m_busy = true;
    revalidate();
    const auto done = [this](QueueResult<Schedule> result) {
        m_busy = false;
        if (!result.ok()) {
            showStoreError(result.error);
            return;
        }
        emit saved(*result.value);
        QDialog::accept();
    };
    if (isEditing())
        m_queue->updateSchedule(this, s, done);
    else
        m_queue->addSchedule(this, s, done);
}

void ScheduleDialog::showStoreError(const StoreError &error)
{
    // A refusal that names a field blocks OK until that field changes; anything else (the
    // database unreachable, the schedule removed meanwhile) can be tried again as it stands.
    if (error.kind == StoreError::Kind::Invalid || error.kind == StoreError::Kind::Conflict) {
        m_storeError = {error.field, error.message};
    } else {
        m_storeError = {QString(), tr("Not saved: %1").arg(error.message)};
    }
    revalidate();
    if (m_storeError.field == QLatin1String("name")) {
        m_name->setFocus();
        m_name->selectAll();
    } else if (m_storeError.field == QLatin1String("cron")) {
        m_cron->setFocus();
    } else if (m_storeError.field == QLatin1String("dealer_ids")) {
        m_dealers->textEdit()->setFocus();
    }
}
