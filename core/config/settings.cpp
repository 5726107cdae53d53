#include "config/settings.h"

#include "config/apppaths.h"
#include "job/validation.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QUrl>

namespace {

struct KeyInfo
{
    Settings::Key key;
    const char *name;
    QVariant defaultValue;
    int min = 0;
    int max = 0; ///< for integers; 0/0 = not an integer
    QStringList choices = {}; ///< for a string that must be one of these
    bool httpUrl = false;     ///< an http:// or https:// URL with a host, or empty
};

bool isHttpUrl(const QString &text)
{
    if (text.isEmpty())
        return true;
    const QUrl url(text, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    return url.isValid() && (scheme == QLatin1String("http") || scheme == QLatin1String("https")) &&
           !url.host().isEmpty();
}

const QVector<KeyInfo> &keyTable()
{
    static const QVector<KeyInfo> table = {
        {Settings::Key::SourceUrl, "source/url", QString()},
        {Settings::Key::SourceToken, "source/token", QString()},
        {Settings::Key::FetchTypes, "fetch/types",
         QStringList{"prospect", "sales", "service", "inventory"}},
        {Settings::Key::DatabaseUrl, "database/url", QString()},
        {Settings::Key::MaxRetries, "fetch/max_retries", 4, 0, 20},
        {Settings::Key::InitialBackoffMs, "fetch/initial_backoff_ms", 500, 1, 60000},
        {Settings::Key::MaxBackoffMs, "fetch/max_backoff_ms", 8000, 1, 600000},
        {Settings::Key::MaxRetryAfterS, "fetch/max_retry_after_s", 60, 0, 3600},
        {Settings::Key::RequestTimeoutMs, "fetch/timeout_ms", 30000, 100, 600000},
        {Settings::Key::PageSize, "fetch/page_size", 500, 1, 100000},
        {Settings::Key::MaxAttempts, "queue/max_attempts", 5, 1, 100},
        {Settings::Key::RefreshIntervalS, "window/refresh_interval_s", 5, 1, 3600},
        {Settings::Key::ApiListen, "api/listen", QStringLiteral("127.0.0.1:8000")},
        {Settings::Key::ApiToken, "api/token", QString()},
        {Settings::Key::WindowPalette,
         "window/palette",
         QStringLiteral("system"),
         0,
         0,
         {QStringLiteral("system"), QStringLiteral("light"), QStringLiteral("dark")}},
        {Settings::Key::ApiTlsCert, "api/tls_cert", QString()},
        {Settings::Key::ApiTlsKey, "api/tls_key", QString()},
        {Settings::Key::AlertsWebhookUrl, "alerts/webhook_url", QString(), 0, 0, {}, true},
        {Settings::Key::AlertsWebhookSecret, "alerts/webhook_secret", QString()},
        {Settings::Key::KeepFinishedDays, "retention/keep_finished_days", 0, 0, 36500},
        {Settings::Key::CoverageStaleHours, "coverage/stale_hours", 26, 1, 8784},
        {Settings::Key::MaxPages, "fetch/max_pages", 100000, 1, 100000000},
    };
    return table;
}

const KeyInfo &info(Settings::Key key)
{
    for (const KeyInfo &entry : keyTable()) {
        if (entry.key == key)
            return entry;
    }
    Q_UNREACHABLE();
}

// Reads a value as the type of its default; false when it cannot be used.
bool convert(const KeyInfo &entry, const QVariant &raw, QVariant *out)
{
    if (entry.max > entry.min) {
        bool ok = false;
        const int number = raw.toString().trimmed().toInt(&ok);
        if (!ok || number < entry.min || number > entry.max)
            return false;
        *out = number;
        return true;
    }
    if (entry.defaultValue.typeId() == QMetaType::QStringList) {
        QStringList list = raw.toStringList();
        if (list.size() == 1)
            list = list.first().split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString &item : list)
            item = item.trimmed();
        list.removeAll(QString());
        if (list.isEmpty())
            return false;
        *out = list;
        return true;
    }
    if (raw.typeId() == QMetaType::QStringList || raw.typeId() == QMetaType::QVariantList ||
        raw.typeId() == QMetaType::QVariantMap)
        return false;
    if (!entry.choices.isEmpty()) {
        const QString choice = raw.toString().trimmed().toLower();
        if (!entry.choices.contains(choice))
            return false;
        *out = choice;
        return true;
    }
    *out = raw.toString();
    if (entry.httpUrl && !isHttpUrl(out->toString().trimmed()))
        return false;
    return true;
}

} // namespace

Settings::Settings(const QString &filePath, QObject *parent)
    : QObject(parent)
{
    QString path = filePath;
    if (path.isEmpty())
        path = qEnvironmentVariable("DEALERQ_SETTINGS");
    if (path.isEmpty())
        path = defaultFilePath();
    m_settings = std::make_unique<QSettings>(path, QSettings::IniFormat);
}

Settings::~Settings() = default;

QString Settings::defaultFilePath()
{
    return AppPaths::settingsFile();
}

QString Settings::filePath() const
{
    return m_settings->fileName();
}

QString Settings::stateFilePath() const
{
    const QFileInfo file(filePath());
    if (file.absoluteFilePath() == QFileInfo(defaultFilePath()).absoluteFilePath())
        return AppPaths::stateFile();
    return file.dir().filePath(file.completeBaseName() + QStringLiteral(".state.ini"));
}

QVariant Settings::value(Key key) const
{
    const KeyInfo &entry = info(key);
    const QVariant raw = m_settings->value(QLatin1String(entry.name));
    QVariant converted;
    if (raw.isValid() && convert(entry, raw, &converted))
        return converted;
    return entry.defaultValue;
}

QStringList Settings::problems() const
{
    QStringList found;
    for (const KeyInfo &entry : keyTable()) {
        const QVariant raw = m_settings->value(QLatin1String(entry.name));
        QVariant converted;
        if (raw.isValid() && !convert(entry, raw, &converted)) {
            found << QStringLiteral("%1: setting %2 = \"%3\" is not usable%4; using %5")
                         .arg(m_settings->fileName(), QLatin1String(entry.name),
                              printableText(raw.toStringList().join(QLatin1Char(',')), 60),
                              entry.max > entry.min
                                  ? QStringLiteral(" (a whole number from %1 to %2)")
                                        .arg(entry.min)
                                        .arg(entry.max)
                              : entry.httpUrl ? QStringLiteral(" (an http:// or https:// URL)")
                              : entry.choices.isEmpty()
                                  ? QString()
                                  : QStringLiteral(" (one of %1)")
                                        .arg(entry.choices.join(QStringLiteral(", "))),
                              entry.defaultValue.typeId() == QMetaType::QStringList
                                  ? entry.defaultValue.toStringList().join(QLatin1Char(','))
                              : entry.defaultValue.toString().isEmpty()
                                  ? QStringLiteral("none")
                                  : entry.defaultValue.toString());
        }
    }
    QVector<FieldError> profileErrors;
    if (!sourceProfile(&profileErrors)) {
        for (const FieldError &error : profileErrors)
            found << QStringLiteral("%1: %2").arg(m_settings->fileName(), error.message);
    }
    if (QFileInfo(m_settings->fileName()).isDir())
        found << QStringLiteral("%1 is a folder, not a settings file; using defaults, and nothing "
                                "can be saved")
                     .arg(m_settings->fileName());
    else if (m_settings->status() == QSettings::FormatError)
        found << QStringLiteral("%1 is not a valid settings file; using defaults")
                     .arg(m_settings->fileName());
    return found;
}

QMap<QString, QString> Settings::profileValues() const
{
    QMap<QString, QString> values;
    m_settings->beginGroup(QStringLiteral("profile"));
    const QStringList keys = m_settings->childKeys();
    for (const QString &key : keys) {
        const QVariant raw = m_settings->value(key);
        values.insert(key, raw.typeId() == QMetaType::QStringList
                               ? raw.toStringList().join(QLatin1Char(','))
                               : raw.toString());
    }
    m_settings->endGroup();
    return values;
}

void Settings::setProfileValues(const QMap<QString, QString> &values)
{
    m_settings->remove(QStringLiteral("profile"));
    m_settings->beginGroup(QStringLiteral("profile"));
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (!it.value().trimmed().isEmpty())
            m_settings->setValue(it.key(), it.value().trimmed());
    }
    m_settings->endGroup();
    sync();
    emit profileChanged();
}

std::optional<SourceProfile> Settings::sourceProfile(QVector<FieldError> *errors) const
{
    return parseSourceProfile(profileValues(), fetchTypes(), errors);
}

int Settings::intValue(Key key) const
{
    return value(key).toInt();
}

void Settings::setValue(Key key, const QVariant &value)
{
    m_settings->setValue(QLatin1String(info(key).name), value);
    sync();
    emit changed(key);
}

void Settings::sync()
{
    const QString path = m_settings->fileName();
    QDir().mkpath(QFileInfo(path).absolutePath());
    m_settings->sync();
    // It may hold the source and API tokens: owner only.
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
}

QString Settings::sourceUrl() const
{
    return value(Key::SourceUrl).toString();
}
QString Settings::sourceToken() const
{
    return value(Key::SourceToken).toString();
}
QStringList Settings::fetchTypes() const
{
    return value(Key::FetchTypes).toStringList();
}
QString Settings::databaseUrl() const
{
    return value(Key::DatabaseUrl).toString();
}
int Settings::maxRetries() const
{
    return intValue(Key::MaxRetries);
}
int Settings::initialBackoffMs() const
{
    return intValue(Key::InitialBackoffMs);
}
int Settings::maxBackoffMs() const
{
    return intValue(Key::MaxBackoffMs);
}
int Settings::maxRetryAfterS() const
{
    return intValue(Key::MaxRetryAfterS);
}
int Settings::requestTimeoutMs() const
{
    return intValue(Key::RequestTimeoutMs);
}
int Settings::pageSize() const
{
    return intValue(Key::PageSize);
}
int Settings::maxPages() const
{
    return intValue(Key::MaxPages);
}
int Settings::maxAttempts() const
{
    return intValue(Key::MaxAttempts);
}
int Settings::refreshIntervalS() const
{
    return intValue(Key::RefreshIntervalS);
}
QString Settings::apiListen() const
{
    return value(Key::ApiListen).toString();
}
QString Settings::apiToken() const
{
    return value(Key::ApiToken).toString();
}

QString Settings::windowPalette() const
{
    return value(Key::WindowPalette).toString();
}

QString Settings::apiTlsCert() const
{
    return value(Key::ApiTlsCert).toString().trimmed();
}

QString Settings::apiTlsKey() const
{
    return value(Key::ApiTlsKey).toString().trimmed();
}

QString Settings::alertsWebhookUrl() const
{
    return value(Key::AlertsWebhookUrl).toString().trimmed();
}

QString Settings::alertsWebhookSecret() const
{
    return value(Key::AlertsWebhookSecret).toString();
}

int Settings::keepFinishedDays() const
{
    return intValue(Key::KeepFinishedDays);
}

int Settings::coverageStaleHours() const
{
    return intValue(Key::CoverageStaleHours);
}
