#pragma once

#include "config/settings.h"

#include <functional>

#include <QDialog>
#include <QHash>
#include <QList>

class JobQueue;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class SourceCheck;
struct SourceCheckResult;
class QVBoxLayout;

/// Edits the settings file: data source URL and token, fetch types, database URL, refresh
/// interval, retry bounds, REST API address and token. Writes only what changed, through
/// Settings::setValue, and says which changes take effect only after a restart.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    explicit SettingsDialog(Settings *settings, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    /// True for the keys whose change needs a restart (all but the refresh interval).
    static bool needsRestart(Settings::Key key);
    /// A name for people.
    static QString keyLabel(Settings::Key key);

    /// Says under `key`'s field that this run does not use it: `value` is in effect, from
    /// `origin` ("--source", "DEALERQ_DB"), which overrides the setting. A secret's value is not
    /// shown (give it empty).
    void showOverridden(Settings::Key key, const QString &value, const QString &origin);

    /// Checks and writes; false (and the dialog stays open) with the problems shown inline.
    bool save();
    void accept() override;
    /// Adds the named API tokens' section (ApiTokensWidget) on `queue`'s database: its changes
    /// are made at once, not on Save.
    void addApiTokens(JobQueue *queue);

    /// Starts "Test source": the first page of the dealer in the test field (12284 when empty)
    /// and the first fetch type, from the URL, token and profile as they stand in the dialog,
    /// unsaved; the outcome shows below the button, the profile's failing key highlighted.
    void testSource();

    /// The keys the last save() changed.
    QList<Settings::Key> changedKeys() const { return m_changed; }

signals:
    /// Written; `changed` lists the keys whose value changed.
    void saved(const QList<Settings::Key> &changed);
    /// "Test source" has its outcome (shown in the dialog).
    void sourceTested(const SourceCheckResult &result);

private:
    QLineEdit *addText(Settings::Key key, bool secret = false);
    QSpinBox *addNumber(Settings::Key key, int min, int max, const QString &suffix);
    QWidget *withRestartMark(Settings::Key key, QWidget *field);
    QVariant inputValue(Settings::Key key) const;
    QStringList problems() const;
    /// The profile editor's values and their problems (each naming its key).
    QMap<QString, QString> profileValues(QVector<FieldError> *errors) const;
    /// Marks the editor's line of `key` ("profile/next_cursor" or "line 3"); none when empty.
    void highlightProfileKey(const QString &field);
    void showTestResult(const SourceCheckResult &result);
    /// The spin and combo boxes under `root` take the wheel only when focused; otherwise the
    /// page scrolls.
    void guardWheel(QWidget *root);

    Settings *m_settings = nullptr;
    QHash<Settings::Key, QLineEdit *> m_texts;
    QHash<Settings::Key, QSpinBox *> m_numbers;
    QComboBox *m_palette = nullptr;
    QPlainTextEdit *m_profile = nullptr;
    QLineEdit *m_testDealer = nullptr;
    QPushButton *m_testButton = nullptr;
    QLabel *m_testResult = nullptr;
    SourceCheck *m_check = nullptr;
    QLabel *m_problems = nullptr;
    QVBoxLayout *m_groups = nullptr;
    QObject *m_wheelToScroll = nullptr;
    std::function<void()> m_fit; ///< sizes the dialog to its groups, within the screen
    QList<Settings::Key> m_changed;
};
