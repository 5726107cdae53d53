#pragma once

#include "job/validation.h"

#include <optional>

#include <QMap>
#include <QString>
#include <QStringList>
#include <QVector>

/// A source profile (SPEC §11): how a dealer API other than dealerq's own is asked and read,
/// from the settings' `[profile]` group. An empty group is the default profile, SPEC §2's shape,
/// read by the strict one-pass page reader; any key set makes it a profile read the general
/// way, every key not given taking the value that describes SPEC §2's shape.
struct SourceProfile
{
    enum class TimeFormat
    {
        Iso8601,
        EpochS,
        EpochMs,
        Date
    };
    enum class Paging
    {
        Page,
        Offset,
        Cursor,
        Link,
        None
    };
    enum class Auth
    {
        Bearer,
        Header,
        Basic,
        OAuth2
    };

    bool isDefault = true; ///< no `[profile]` key set: SPEC §2 exactly
    QString path = QStringLiteral("/dealers/{dealer_id}/{fetch_type}");
    QString query = QStringLiteral("from={from}&to={to}&page_size={page_size}");
    TimeFormat timeFormat = TimeFormat::Iso8601;
    QString items = QStringLiteral("/items"); ///< JSON pointer (RFC 6901) to the items array
    QString id = QStringLiteral("/id");       ///< JSON pointer inside an item
    QString updatedAt = QStringLiteral("/updated_at"); ///< empty: items carry none
    Paging paging = Paging::Page;
    QString pageParam = QStringLiteral("page");
    QString offsetParam = QStringLiteral("offset");
    QString cursorParam = QStringLiteral("cursor");
    QString nextCursor; ///< JSON pointer; required with Paging::Cursor
    Auth auth = Auth::Bearer;
    QString authHeader;
    QString oauth2TokenUrl;
    QString oauth2ClientId;
    QString oauth2ClientSecret;
    QString oauth2Scope;
    QMap<QString, QString> fetchTypes; ///< dealerq's type → the API's name; unmapped: the same

    /// The API's name for one of dealerq's fetch types.
    QString apiFetchType(const QString &fetchType) const
    {
        return fetchTypes.value(fetchType, fetchType);
    }
};

/// The keys of `[profile]`, in the order SPEC §11 lists them.
QStringList sourceProfileKeys();

/// Reads and checks a `[profile]` group (key → value as written; a value QSettings split at
/// commas joined again). `fetchTypes` are dealerq's configured types (`fetch_types` may only
/// map those). Returns the profile, or nothing with one FieldError per problem, each naming the
/// key (`field` is "profile/KEY") and what is wrong. Every key is checked; nothing is guessed.
std::optional<SourceProfile> parseSourceProfile(const QMap<QString, QString> &values,
                                                const QStringList &fetchTypes,
                                                QVector<FieldError> *errors);

/// The `[profile]` group as an operator edits it in Settings: one `key=value` a line, blank
/// lines, `;` or `#` comments and a `[profile]` header ignored. A line that is not key=value,
/// or a key given twice, is an error naming the line ("line 3").
QMap<QString, QString> readProfileText(const QString &text, QVector<FieldError> *errors);
/// The values as readProfileText() reads them, in SPEC §11's order of keys, unknown ones last.
QString profileText(const QMap<QString, QString> &values);

/// Whether `pointer` is a JSON pointer (RFC 6901): empty, or `/`-separated reference tokens in
/// which `~` is only ever followed by `0` or `1`. False with the reason in *why otherwise.
bool isJsonPointer(const QString &pointer, QString *why = nullptr);

/// The reference tokens of a valid JSON pointer, unescaped (`~1` → `/`, `~0` → `~`).
QStringList jsonPointerTokens(const QString &pointer);

/// The names SPEC §11 gives each choice, as written in the settings.
QString timeFormatName(SourceProfile::TimeFormat format);
QString pagingName(SourceProfile::Paging paging);
QString authName(SourceProfile::Auth auth);
