#include "settingsdialog.h"

#include "apitokenswidget.h"
#include "confirmation.h"
#include "config/databaseurl.h"
#include "jobformat.h"
#include "job/timeformat.h"
#include "palettecolors.h"
#include "source/sourcecheck.h"

#include <algorithm>

#include <QAction>
#include <QComboBox>
#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QDateTime>
#include <QMetaEnum>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextBlock>
#include <QRegularExpression>
#include <QScreen>
#include <QScrollArea>
#include <QScrollBar>
#include <QSpinBox>
#include <QStyle>
#include <QUrl>
#include <QVBoxLayout>

namespace {

QStringList splitList(const QString &text)
{
    QStringList items =
        text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    items.removeDuplicates();
    return items;
}

/// Keeps the mouse wheel from changing a number or a choice the pointer passes over while the
/// page scrolls (three notches over "Keep finished jobs" made it 3 days): a field without focus
/// hands the wheel to the page's scroll bar; one the operator clicked into takes it as before.
class WheelToScroll final : public QObject
{
public:
    explicit WheelToScroll(QScrollBar *bar)
        : QObject(bar)
        , m_bar(bar)
    {}

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        auto *widget = qobject_cast<QWidget *>(watched);
        if (event->type() != QEvent::Wheel || !widget || widget->hasFocus())
            return false;
        QCoreApplication::sendEvent(m_bar, event);
        return true;
    }

private:
    QScrollBar *m_bar;
};

} // namespace

SettingsDialog::SettingsDialog(Settings *settings, QWidget *parent)
    : QDialog(parent)
    , m_settings(settings)
    , m_problems(new QLabel(this))
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Settings"));

    // The groups scroll where the screen is too low for them (1024 x 700 under a panel), so
    // that Save and Cancel stay on the screen.
    auto *content = new QWidget(this);
    auto *contentLayout = new QVBoxLayout(content);
    m_groups = contentLayout;
    contentLayout->setContentsMargins(0, 0, 0, 0);
    const auto group = [&](const QString &title) {
        auto *box = new QGroupBox(title, content);
        auto *form = new QFormLayout(box);
        contentLayout->addWidget(box);
        return form;
    };

    QFormLayout *source = group(tr("Dealer data source"));
    source->addRow(tr("URL:"),
                   withRestartMark(Settings::Key::SourceUrl, addText(Settings::Key::SourceUrl)));
    source->addRow(tr("Token:"), withRestartMark(Settings::Key::SourceToken,
                                                 addText(Settings::Key::SourceToken, true)));
    source->addRow(tr("Fetch types:"),
                   withRestartMark(Settings::Key::FetchTypes, addText(Settings::Key::FetchTypes)));
    m_texts.value(Settings::Key::SourceUrl)
        ->setPlaceholderText(tr("empty: the built-in demo simulator"));
    m_texts.value(Settings::Key::FetchTypes)->setToolTip(tr("Separated by commas"));

    QFormLayout *profile = group(tr("Source profile"));
    m_profile = new QPlainTextEdit(this);
    m_profile->setObjectName(QStringLiteral("profileEditor"));
    m_profile->setPlaceholderText(tr("Empty: dealerq's own API shape. Another API: one key=value "
                                     "a line, e.g. paging=cursor (see the README)."));
    m_profile->setPlainText(profileText(m_settings->profileValues()));
    m_profile->setTabChangesFocus(true);
    m_profile->setMinimumHeight(m_profile->fontMetrics().lineSpacing() * 7);
    auto *profileRow = new QWidget(this);
    auto *profileLayout = new QHBoxLayout(profileRow);
    profileLayout->setContentsMargins(0, 0, 0, 0);
    profileLayout->addWidget(m_profile, 1);
    auto *profileMark = new QLabel(QStringLiteral("⟳"), profileRow);
    profileMark->setToolTip(tr("Takes effect when dealerq starts again"));
    profileLayout->addWidget(profileMark, 0, Qt::AlignTop);
    profile->addRow(tr("Profile:"), profileRow);
    auto *testRow = new QWidget(this);
    auto *testLayout = new QHBoxLayout(testRow);
    testLayout->setContentsMargins(0, 0, 0, 0);
    m_testDealer = new QLineEdit(testRow);
    m_testDealer->setObjectName(QStringLiteral("testDealer"));
    m_testDealer->setPlaceholderText(QStringLiteral("12284"));
    m_testDealer->setToolTip(tr("The dealer whose first page the test reads"));
    m_testButton = new QPushButton(tr("Test source"), testRow);
    m_testButton->setObjectName(QStringLiteral("testSource"));
    m_testButton->setToolTip(tr("Reads the first page with the URL, token and profile above, "
                                "unsaved; stores nothing"));
    testLayout->addWidget(m_testDealer, 1);
    testLayout->addWidget(m_testButton);
    profile->addRow(tr("Test with dealer:"), testRow);
    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("testSourceResult"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextFormat(Qt::PlainText);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_testResult->hide();
    profile->addRow(m_testResult);
    connect(m_testButton, &QPushButton::clicked, this, &SettingsDialog::testSource);

    QFormLayout *storage = group(tr("Database and window"));
    storage->addRow(tr("Database URL:"), withRestartMark(Settings::Key::DatabaseUrl,
                                                         addText(Settings::Key::DatabaseUrl)));
    m_texts.value(Settings::Key::DatabaseUrl)
        ->setPlaceholderText(tr("sqlite:///path/file.db or postgresql://user@host/db"));
    // Wide enough for its own placeholders.
    for (QLineEdit *edit : std::as_const(m_texts)) {
        const int wanted = edit->fontMetrics().horizontalAdvance(edit->placeholderText()) + 24;
        edit->setMinimumWidth(qMax(edit->minimumWidth(), wanted));
    }
    storage->addRow(tr("Refresh every:"),
                    addNumber(Settings::Key::RefreshIntervalS, 1, 3600, tr(" s")));
    m_palette = new QComboBox(this);
    m_palette->setObjectName(QStringLiteral("WindowPalette"));
    m_palette->addItem(tr("As the desktop"), QStringLiteral("system"));
    m_palette->addItem(tr("Light"), QStringLiteral("light"));
    m_palette->addItem(tr("Dark"), QStringLiteral("dark"));
    m_palette->setCurrentIndex(
        qMax(0, m_palette->findData(m_settings->value(Settings::Key::WindowPalette))));
    storage->addRow(tr("Colours:"), m_palette);
    QSpinBox *keep = addNumber(Settings::Key::KeepFinishedDays, 0, 36500, tr(" days"));
    keep->setSpecialValueText(tr("forever"));
    keep->setToolTip(tr("Finished jobs older than this are removed (with their logs, never the "
                        "fetched records) at start and every hour."));
    storage->addRow(tr("Keep finished jobs:"),
                    withRestartMark(Settings::Key::KeepFinishedDays, keep));
    QSpinBox *stale = addNumber(Settings::Key::CoverageStaleHours, 1, 8784, tr(" hours"));
    stale->setToolTip(tr("A dealer and type whose last successful fetch is older than this is "
                         "stale in the Dealers view (and for the REST API's state=stale)."));
    storage->addRow(tr("Dealer data stale after:"),
                    withRestartMark(Settings::Key::CoverageStaleHours, stale));
    storage->addRow(tr("Attempts before failing:"),
                    withRestartMark(Settings::Key::MaxAttempts,
                                    addNumber(Settings::Key::MaxAttempts, 1, 100, QString())));

    QFormLayout *retry = group(tr("Requests and retries"));
    retry->addRow(tr("Retries per request:"),
                  withRestartMark(Settings::Key::MaxRetries,
                                  addNumber(Settings::Key::MaxRetries, 0, 20, QString())));
    retry->addRow(tr("First back-off:"),
                  withRestartMark(Settings::Key::InitialBackoffMs,
                                  addNumber(Settings::Key::InitialBackoffMs, 1, 60000, tr(" ms"))));
    retry->addRow(tr("Longest back-off:"),
                  withRestartMark(Settings::Key::MaxBackoffMs,
                                  addNumber(Settings::Key::MaxBackoffMs, 1, 600000, tr(" ms"))));
    retry->addRow(tr("Longest Retry-After:"),
                  withRestartMark(Settings::Key::MaxRetryAfterS,
                                  addNumber(Settings::Key::MaxRetryAfterS, 0, 3600, tr(" s"))));
    retry->addRow(tr("Request timeout:"), withRestartMark(Settings::Key::RequestTimeoutMs,
                                                          addNumber(Settings::Key::RequestTimeoutMs,
                                                                    100, 600000, tr(" ms"))));
    retry->addRow(tr("Page size:"),
                  withRestartMark(Settings::Key::PageSize,
                                  addNumber(Settings::Key::PageSize, 1, 100000, QString())));
    QSpinBox *maxPages = addNumber(Settings::Key::MaxPages, 1, 100000000, QString());
    maxPages->setToolTip(tr("A job that would fetch more pages than this fails as bad_payload, "
                            "so that an API that never ends cannot run forever."));
    retry->addRow(tr("Most pages per job:"), withRestartMark(Settings::Key::MaxPages, maxPages));

    QFormLayout *api = group(tr("REST API"));
    api->addRow(tr("Listen on:"),
                withRestartMark(Settings::Key::ApiListen, addText(Settings::Key::ApiListen)));
    m_texts.value(Settings::Key::ApiListen)->setPlaceholderText(QStringLiteral("127.0.0.1:8000"));
    api->addRow(tr("Token:"),
                withRestartMark(Settings::Key::ApiToken, addText(Settings::Key::ApiToken, true)));

    auto *note = new QLabel(tr("⟳ takes effect when dealerq starts again. The command line and "
                               "the environment (--db, DEALERQ_DB, --source, ...) override these "
                               "settings."),
                            this);
    note->setWordWrap(true);
    m_problems->setObjectName(QStringLiteral("settingsProblems"));
    m_problems->setWordWrap(true);
    m_problems->setTextFormat(Qt::PlainText);
    PaletteColors::setStatusText(m_problems, JobStatus::Failed);
    m_problems->setText(m_settings->problems().join(QLatin1Char('\n')));
    m_problems->setVisible(!m_problems->text().isEmpty());

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("settingsScroll"));
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_wheelToScroll = new WheelToScroll(scroll->verticalScrollBar());
    guardWheel(content);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addWidget(note);
    layout->addWidget(m_problems);
    layout->addWidget(buttons);
    m_fit = [this, content, scroll, note, buttons, layout] {
        // As large as the groups want, within the screen (less a title bar).
        content->layout()->activate();
        const QSize wanted =
            content->sizeHint() +
            QSize(scroll->verticalScrollBar()->sizeHint().width(),
                  note->sizeHint().height() + buttons->sizeHint().height() +
                      3 * layout->spacing()) +
            QSize(layout->contentsMargins().left() + layout->contentsMargins().right(),
                  layout->contentsMargins().top() + layout->contentsMargins().bottom());
        const QWidget *over = parentWidget();
        const QScreen *screen = over ? over->screen() : QGuiApplication::primaryScreen();
        const int available = screen ? screen->availableGeometry().height() - 60 : wanted.height();
        resize(wanted.width(), qMin(wanted.height(), available));
    };
    m_fit();
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::addApiTokens(JobQueue *queue)
{
    auto *box = new QGroupBox(tr("REST API tokens"), this);
    auto *layout = new QVBoxLayout(box);
    auto *about = new QLabel(tr("Named tokens for people and scripts: read makes GET calls only, "
                                "operate every call. Added and revoked at once, for every "
                                "instance on this database."),
                             box);
    about->setWordWrap(true);
    layout->addWidget(about);
    layout->addWidget(new ApiTokensWidget(queue, box));
    m_groups->addWidget(box);
    guardWheel(box);
}

void SettingsDialog::showOverridden(Settings::Key key, const QString &value, const QString &origin)
{
    QWidget *field = m_texts.value(key);
    if (!field)
        field = m_numbers.value(key);
    if (!field)
        return;
    // The field's row in its group's form (the field itself, or the row that holds it and its
    // restart mark).
    QWidget *inForm = field;
    QFormLayout *form = nullptr;
    while (inForm->parentWidget() &&
           !(form = qobject_cast<QFormLayout *>(inForm->parentWidget()->layout())))
        inForm = inForm->parentWidget();
    int row = -1;
    QFormLayout::ItemRole role;
    if (!form || (form->getWidgetPosition(inForm, &row, &role), row < 0))
        return;
    auto *note = new QLabel(this);
    note->setObjectName(QStringLiteral("inEffect_%1").arg(field->objectName()));
    note->setTextFormat(Qt::PlainText);
    note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // Lines of their own, not wrapped (a wrapped label in the scrolled page is given the height
    // of a narrower one): the value on the second, cut in the middle where it is long.
    const QString why = value.isEmpty() ? tr("Not used in this run: %1 overrides it.").arg(origin)
                                        : tr("Overridden in this run by %1:").arg(origin);
    const QString shown = note->fontMetrics().elidedText(value, Qt::ElideMiddle,
                                                         qMax(200, field->sizeHint().width()));
    note->setText(value.isEmpty() ? why : why + QLatin1Char('\n') + shown);
    PaletteColors::setTone(note, PaletteColors::Tone::Warning);
    note->setMargin(2);
    form->insertRow(row + 1, QString(), note);
    m_fit(); // as wide as the note wants
    field->setToolTip(value.isEmpty() ? why : why + QLatin1Char(' ') + value);
}

void SettingsDialog::guardWheel(QWidget *root)
{
    for (QWidget *field : root->findChildren<QWidget *>()) {
        if (qobject_cast<QAbstractSpinBox *>(field) || qobject_cast<QComboBox *>(field)) {
            field->setFocusPolicy(Qt::StrongFocus); // not focused by the wheel either
            field->installEventFilter(m_wheelToScroll);
        }
    }
}

bool SettingsDialog::needsRestart(Settings::Key key)
{
    // The window hands a new source to the runner, which takes it from the next job on.
    return key != Settings::Key::RefreshIntervalS && key != Settings::Key::SourceUrl &&
           key != Settings::Key::SourceToken && key != Settings::Key::WindowPalette;
}

QString SettingsDialog::keyLabel(Settings::Key key)
{
    switch (key) {
    case Settings::Key::SourceUrl:
        return tr("data source URL");
    case Settings::Key::SourceToken:
        return tr("data source token");
    case Settings::Key::FetchTypes:
        return tr("fetch types");
    case Settings::Key::DatabaseUrl:
        return tr("database URL");
    case Settings::Key::MaxRetries:
        return tr("retries per request");
    case Settings::Key::InitialBackoffMs:
        return tr("first back-off");
    case Settings::Key::MaxBackoffMs:
        return tr("longest back-off");
    case Settings::Key::MaxRetryAfterS:
        return tr("longest Retry-After");
    case Settings::Key::RequestTimeoutMs:
        return tr("request timeout");
    case Settings::Key::PageSize:
        return tr("page size");
    case Settings::Key::MaxPages:
        return tr("most pages per job");
    case Settings::Key::MaxAttempts:
        return tr("attempts before failing");
    case Settings::Key::RefreshIntervalS:
        return tr("refresh interval");
    case Settings::Key::ApiListen:
        return tr("REST API address");
    case Settings::Key::ApiToken:
        return tr("REST API token");
    case Settings::Key::KeepFinishedDays:
        return tr("days finished jobs are kept");
    case Settings::Key::CoverageStaleHours:
        return tr("hours before dealer data is stale");
    case Settings::Key::ApiTlsCert:
        return tr("REST API TLS certificate");
    case Settings::Key::ApiTlsKey:
        return tr("REST API TLS key");
    case Settings::Key::AlertsWebhookUrl:
        return tr("alert webhook URL");
    case Settings::Key::AlertsWebhookSecret:
        return tr("alert webhook secret");
    case Settings::Key::WindowPalette:
        return tr("colours");
    }
    return {};
}

QLineEdit *SettingsDialog::addText(Settings::Key key, bool secret)
{
    auto *edit = new QLineEdit(this);
    const QVariant value = m_settings->value(key);
    edit->setText(value.typeId() == QMetaType::QStringList
                      ? value.toStringList().join(QStringLiteral(", "))
                      : value.toString());
    if (secret) {
        edit->setEchoMode(QLineEdit::Password);
        QAction *show = edit->addAction(style()->standardIcon(QStyle::SP_FileDialogContentsView),
                                        QLineEdit::TrailingPosition);
        show->setCheckable(true);
        show->setToolTip(tr("Show or hide"));
        connect(show, &QAction::toggled, edit, [edit](bool shown) {
            edit->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        });
    }
    edit->setObjectName(
        QString::fromLatin1(QMetaEnum::fromType<Settings::Key>().valueToKey(int(key))));
    m_texts.insert(key, edit);
    return edit;
}

QSpinBox *SettingsDialog::addNumber(Settings::Key key, int min, int max, const QString &suffix)
{
    auto *spin = new QSpinBox(this);
    spin->setRange(min, max);
    spin->setSuffix(suffix);
    spin->setValue(m_settings->value(key).toInt());
    spin->setObjectName(
        QString::fromLatin1(QMetaEnum::fromType<Settings::Key>().valueToKey(int(key))));
    m_numbers.insert(key, spin);
    return spin;
}

QWidget *SettingsDialog::withRestartMark(Settings::Key key, QWidget *field)
{
    if (!needsRestart(key))
        return field;
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(field, 1);
    auto *mark = new QLabel(QStringLiteral("⟳"), row);
    mark->setToolTip(tr("Takes effect when dealerq starts again"));
    layout->addWidget(mark);
    return row;
}

QVariant SettingsDialog::inputValue(Settings::Key key) const
{
    if (QSpinBox *spin = m_numbers.value(key))
        return spin->value();
    if (key == Settings::Key::WindowPalette)
        return m_palette->currentData();
    const QString text = m_texts.value(key)->text().trimmed();
    if (key == Settings::Key::FetchTypes)
        return splitList(text);
    return text;
}

QStringList SettingsDialog::problems() const
{
    QStringList found;
    const QString source = inputValue(Settings::Key::SourceUrl).toString();
    if (!source.isEmpty()) {
        const QUrl url(source, QUrl::StrictMode);
        if (!url.isValid() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) ||
            url.host().isEmpty())
            found << tr("The data source URL must be an http:// or https:// address, like "
                        "https://dealers.example.com/api");
    }
    const QStringList types = inputValue(Settings::Key::FetchTypes).toStringList();
    static const QRegularExpression typeName(QStringLiteral("^[A-Za-z0-9_-]{1,32}$"));
    if (types.isEmpty())
        found << tr("Give at least one fetch type.");
    for (const QString &type : types) {
        if (!typeName.match(type).hasMatch())
            found << tr("Fetch type \"%1\" may hold only letters, digits, _ and -.").arg(type);
    }
    const QString database = inputValue(Settings::Key::DatabaseUrl).toString();
    QString why;
    if (!database.isEmpty() && !DatabaseUrl::parse(database, &why))
        found << tr("Database URL: %1").arg(why);
    const QString listen = inputValue(Settings::Key::ApiListen).toString();
    const qsizetype colon = listen.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = colon > 0 ? listen.mid(colon + 1).toUInt(&portOk) : 0;
    if (colon <= 0 || !portOk || port > 65535)
        found << tr("The REST API address must be HOST:PORT, like 127.0.0.1:8000.");
    if (m_numbers.value(Settings::Key::InitialBackoffMs)->value() >
        m_numbers.value(Settings::Key::MaxBackoffMs)->value())
        found << tr("The first back-off cannot be longer than the longest back-off.");
    QVector<FieldError> profileErrors;
    profileValues(&profileErrors);
    for (const FieldError &error : std::as_const(profileErrors))
        found << tr("Source profile: %1").arg(error.message);
    return found;
}

QMap<QString, QString> SettingsDialog::profileValues(QVector<FieldError> *errors) const
{
    QMap<QString, QString> values = readProfileText(m_profile->toPlainText(), errors);
    if (errors->isEmpty())
        parseSourceProfile(values, inputValue(Settings::Key::FetchTypes).toStringList(), errors);
    return values;
}

void SettingsDialog::highlightProfileKey(const QString &field)
{
    QList<QTextEdit::ExtraSelection> marks;
    const QString key = field.startsWith(QLatin1String("profile/")) ? field.mid(8) : QString();
    const int line = field.startsWith(QLatin1String("line ")) ? field.mid(5).toInt() : 0;
    for (QTextBlock block = m_profile->document()->begin(); block.isValid(); block = block.next()) {
        const QString text = block.text().trimmed();
        const bool hit =
            line > 0 ? block.blockNumber() + 1 == line
                     : !key.isEmpty() && text.section(QLatin1Char('='), 0, 0).trimmed() == key;
        if (!hit)
            continue;
        QTextEdit::ExtraSelection mark;
        mark.cursor = QTextCursor(block);
        mark.cursor.select(QTextCursor::LineUnderCursor);
        QColor shade = PaletteColors::statusColor(JobStatus::Failed, palette());
        shade.setAlpha(70); // a tint behind the line's own text
        mark.format.setBackground(shade);
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        mark.format.setToolTip(key.isEmpty() ? field : key);
        marks << mark;
        break;
    }
    m_profile->setExtraSelections(marks);
}

void SettingsDialog::testSource()
{
    if (m_check)
        return;
    QVector<FieldError> errors;
    const QMap<QString, QString> values = profileValues(&errors);
    m_testResult->show();
    PaletteColors::setStatusText(m_testResult, JobStatus::Failed);
    if (!errors.isEmpty()) {
        highlightProfileKey(errors.first().field);
        m_testResult->setText(errors.first().message);
        return;
    }
    highlightProfileKey({});
    const QString source = inputValue(Settings::Key::SourceUrl).toString();
    const QUrl url(source, QUrl::StrictMode);
    if (source.isEmpty() || !url.isValid() || url.host().isEmpty()) {
        m_testResult->setText(tr("Set the data source URL first: the test reads from it."));
        return;
    }
    const QStringList types = inputValue(Settings::Key::FetchTypes).toStringList();
    QString dealer = m_testDealer->text().trimmed();
    if (dealer.isEmpty())
        dealer = QStringLiteral("12284");
    QString why;
    if (!validateDealerId(dealer, &why)) {
        m_testResult->setText(tr("Dealer: %1").arg(why));
        return;
    }
    FetchRequest request;
    request.sourceUrl = url;
    request.token = inputValue(Settings::Key::SourceToken).toString().toUtf8();
    request.dealerId = dealer;
    request.fetchType = types.value(0, QStringLiteral("prospect"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    request.from = formatApiTime(localDayBound(now, TimeBound::Start));
    request.to = formatApiTime(localDayBound(now, TimeBound::End));
    request.profile = *parseSourceProfile(values, types, nullptr);
    RetryPolicy policy;
    policy.maxRetries = 0; // one try: the operator is waiting
    policy.timeoutMs = m_numbers.value(Settings::Key::RequestTimeoutMs)->value();
    policy.pageSize = m_numbers.value(Settings::Key::PageSize)->value();
    m_check = new SourceCheck(request, policy, this);
    connect(m_check, &SourceCheck::finished, this, &SettingsDialog::showTestResult);
    m_testButton->setEnabled(false);
    PaletteColors::setStatusText(m_testResult, JobStatus::Running);
    m_testResult->setText(
        tr("Reading the first page of dealer %1 (%2)...").arg(dealer, request.fetchType));
    m_check->start();
}

void SettingsDialog::showTestResult(const SourceCheckResult &result)
{
    if (m_check) {
        m_check->deleteLater();
        m_check = nullptr;
    }
    m_testButton->setEnabled(true);
    // The lines are --check-source's, in English like every command's output; the sentence
    // around them is the window's.
    const QString lines = result.lines().join(QLatin1Char('\n'));
    if (result.ok) {
        PaletteColors::setStatusText(m_testResult, JobStatus::Completed);
        m_testResult->setText(tr("The profile reads the source:\n%1").arg(lines));
    } else {
        PaletteColors::setStatusText(m_testResult, JobStatus::Failed);
        highlightProfileKey(result.key.isEmpty() ? QString()
                                                 : QStringLiteral("profile/") + result.key);
        m_testResult->setText(tr("The profile does not read the source: %1\n%2")
                                  .arg(result.errorString, lines)
                                  .trimmed());
    }
    emit sourceTested(result);
}

bool SettingsDialog::save()
{
    const QStringList found = problems();
    QVector<FieldError> profileErrors;
    const QMap<QString, QString> profile = profileValues(&profileErrors);
    highlightProfileKey(profileErrors.isEmpty() ? QString() : profileErrors.first().field);
    if (!found.isEmpty()) {
        m_problems->setText(found.join(QLatin1Char('\n')));
        m_problems->show();
        return false;
    }
    if (profile != m_settings->profileValues())
        m_settings->setProfileValues(profile);
    m_changed.clear();
    QList<Settings::Key> keys = m_texts.keys();
    keys += m_numbers.keys();
    keys += Settings::Key::WindowPalette;
    std::sort(keys.begin(), keys.end());
    for (Settings::Key key : std::as_const(keys)) {
        const QVariant value = inputValue(key);
        if (value == m_settings->value(key))
            continue;
        m_settings->setValue(key, value);
        m_changed << key;
    }
    m_settings->sync();
    emit saved(m_changed);
    return true;
}

void SettingsDialog::accept()
{
    // A shorter retention removes history at the next start: asked first, Cancel the default.
    const int before = m_settings->value(Settings::Key::KeepFinishedDays).toInt();
    const int after = inputValue(Settings::Key::KeepFinishedDays).toInt();
    if (after > 0 && (before == 0 || after < before) && problems().isEmpty()) {
        QMessageBox *box = safeConfirmation(
            this, QStringLiteral("retentionConfirmation"), tr("Keep finished jobs"),
            tr("Keep finished jobs for %Ln day(s)? Those that finished longer ago are removed, "
               "with their logs, when dealerq next starts and every hour after; the fetched "
               "records stay.",
               nullptr, after),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        box->button(QMessageBox::Yes)->setText(tr("Keep %Ln Day(s)", nullptr, after));
        connect(box, &QMessageBox::finished, this, [this, box] {
            if (box->clickedButton() == box->button(QMessageBox::Yes) && save())
                QDialog::accept();
        });
        box->open();
        return;
    }
    if (save())
        QDialog::accept();
}
