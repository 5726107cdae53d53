#pragma once

#include "job/sourceprofile.h"

#include <QMap>
#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>

class QSettings;

/// The one typed wrapper over the settings file. Every key has its default in one table
/// (settings.cpp); values of the wrong type or out of range read as the default and are
/// reported by `problems()`. Tests point it at a temporary file.
class Settings final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Settings)

public:
    enum class Key
    {
        SourceUrl,
        SourceToken,
        FetchTypes,
        DatabaseUrl,
        MaxRetries,
        InitialBackoffMs,
        MaxBackoffMs,
        MaxRetryAfterS,
        RequestTimeoutMs,
        PageSize,
        MaxAttempts,
        RefreshIntervalS,
        ApiListen,
        ApiToken,
        WindowPalette,
        ApiTlsCert,
        ApiTlsKey,
        AlertsWebhookUrl,
        AlertsWebhookSecret,
        KeepFinishedDays,
        CoverageStaleHours,
        MaxPages,
    };
    Q_ENUM(Key)

    /// Opens `filePath`, or the file named by env DEALERQ_SETTINGS, or the platform's default.
    explicit Settings(const QString &filePath = {}, QObject *parent = nullptr);
    ~Settings() override;

    /// `~/.config/dealerq/dealerq.ini` (AppPaths::settingsFile()).
    static QString defaultFilePath();
    QString filePath() const;
    /// Where the window keeps its geometry and layout, apart from the settings (which hold
    /// tokens): AppPaths::stateFile() beside the default settings file, otherwise
    /// `NAME.state.ini` beside the settings file `NAME.ini`, so that a test's or another
    /// profile's settings never share the user's window state.
    QString stateFilePath() const;

    QString sourceUrl() const;
    QString sourceToken() const;
    QStringList fetchTypes() const;
    QString databaseUrl() const;
    int maxRetries() const;
    int initialBackoffMs() const;
    int maxBackoffMs() const;
    int maxRetryAfterS() const;
    int requestTimeoutMs() const;
    int pageSize() const;
    /// `[fetch] max_pages`: a job asking for more pages fails (SPEC §2).
    int maxPages() const;
    int maxAttempts() const;
    int refreshIntervalS() const;
    QString apiListen() const;
    QString apiToken() const;
    /// The window's colours: "system" (the desktop's palette), "light" or "dark".
    QString windowPalette() const;
    QString apiTlsCert() const;
    QString apiTlsKey() const;
    QString alertsWebhookUrl() const;
    QString alertsWebhookSecret() const;
    /// `[retention] keep_finished_days` (SPEC §7): finished jobs older than this many days are
    /// removed by the instance that runs jobs; 0 keeps them forever.
    int keepFinishedDays() const;
    /// `[coverage] stale_hours` (SPEC §10): a dealer and type whose last success is older than
    /// this many hours is stale. 1-8784, default 26.
    int coverageStaleHours() const;

    /// The `[profile]` group as written (SPEC §11): key → value, a value QSettings split at
    /// commas joined again. Empty: the default profile.
    QMap<QString, QString> profileValues() const;
    /// Replaces the whole `[profile]` group (empty values are dropped) and emits
    /// profileChanged(). The caller checks it first (parseSourceProfile()).
    void setProfileValues(const QMap<QString, QString> &values);
    /// The profile read and checked against the configured fetch types; nothing, with one
    /// error per problem naming its key, when it cannot be used.
    std::optional<SourceProfile> sourceProfile(QVector<FieldError> *errors = nullptr) const;

    /// Writes one value (owner-only file permissions, as it may hold tokens) and emits changed.
    void setValue(Key key, const QVariant &value);
    /// The stored value if set and valid, otherwise the default.
    QVariant value(Key key) const;
    /// One line per value in the file that could not be used.
    QStringList problems() const;
    void sync();

signals:
    void changed(Settings::Key key);
    void profileChanged();

private:
    int intValue(Key key) const;
    std::unique_ptr<QSettings> m_settings;
};
