#include "job/sourceprofile.h"

#include <QRegularExpression>
#include <QSet>
#include <QUrl>

namespace {

const QStringList PathPlaceholders = {QStringLiteral("dealer_id"), QStringLiteral("fetch_type")};
const QStringList QueryPlaceholders = {QStringLiteral("from"), QStringLiteral("to"),
                                       QStringLiteral("page_size"), QStringLiteral("dealer_id"),
                                       QStringLiteral("fetch_type")};

class Checker
{
public:
    explicit Checker(QVector<FieldError> *errors)
        : m_errors(errors)
    {}

    void fail(const QString &key, const QString &what)
    {
        m_failed = true;
        if (m_errors)
            m_errors->append({QStringLiteral("profile/") + key,
                              QStringLiteral("[profile] %1: %2").arg(key, what)});
    }
    bool failed() const { return m_failed; }

private:
    QVector<FieldError> *m_errors;
    bool m_failed = false;
};

QString quoted(const QString &text)
{
    return QLatin1Char('"') + printableText(text, 60) + QLatin1Char('"');
}

/// Checks the `{name}` placeholders of a template; false with the reason otherwise.
bool checkPlaceholders(const QString &text, const QStringList &allowed, QString *why)
{
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('}')) {
            *why = QStringLiteral("a \"}\" without its \"{\" in %1").arg(quoted(text));
            return false;
        }
        if (c != QLatin1Char('{')) {
            ++i;
            continue;
        }
        const qsizetype close = text.indexOf(QLatin1Char('}'), i + 1);
        if (close < 0) {
            *why = QStringLiteral("a \"{\" without its \"}\" in %1").arg(quoted(text));
            return false;
        }
        const QString name = text.mid(i + 1, close - i - 1);
        if (!allowed.contains(name)) {
            *why =
                QStringLiteral("{%1} is not a placeholder here; it takes %2")
                    .arg(printableText(name, 30),
                         QLatin1Char('{') + allowed.join(QStringLiteral("} {")) + QLatin1Char('}'));
            return false;
        }
        i = close + 1;
    }
    return true;
}

bool hasControlOrSpace(const QString &text)
{
    for (const QChar c : text) {
        if (c.isSpace() || c.category() == QChar::Other_Control ||
            c.category() == QChar::Other_Format)
            return true;
    }
    return false;
}

/// A query parameter's or header's name: letters, digits and `-_.~[]`.
bool isParamName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_.~\\[\\]-]{1,64}$"));
    return pattern.match(name).hasMatch();
}

/// An HTTP header name (RFC 9110 token).
bool isHeaderName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$"));
    return pattern.match(name).hasMatch();
}

template<typename Enum> struct Choice
{
    const char *name;
    Enum value;
};

const Choice<SourceProfile::TimeFormat> TimeFormats[] = {
    {"iso8601", SourceProfile::TimeFormat::Iso8601},
    {"epoch_s", SourceProfile::TimeFormat::EpochS},
    {"epoch_ms", SourceProfile::TimeFormat::EpochMs},
    {"date", SourceProfile::TimeFormat::Date},
};
const Choice<SourceProfile::Paging> PagingModes[] = {
    {"page", SourceProfile::Paging::Page},     {"offset", SourceProfile::Paging::Offset},
    {"cursor", SourceProfile::Paging::Cursor}, {"link", SourceProfile::Paging::Link},
    {"none", SourceProfile::Paging::None},
};
const Choice<SourceProfile::Auth> AuthModes[] = {
    {"bearer", SourceProfile::Auth::Bearer},
    {"header", SourceProfile::Auth::Header},
    {"basic", SourceProfile::Auth::Basic},
    {"oauth2", SourceProfile::Auth::OAuth2},
};

template<typename Enum, size_t N> QString choiceName(const Choice<Enum> (&choices)[N], Enum value)
{
    for (const Choice<Enum> &choice : choices) {
        if (choice.value == value)
            return QLatin1String(choice.name);
    }
    return QString();
}

template<typename Enum, size_t N>
void readChoice(Checker &check, const QMap<QString, QString> &values, const QString &key,
                const Choice<Enum> (&choices)[N], Enum *out)
{
    if (!values.contains(key))
        return;
    const QString text = values.value(key).trimmed().toLower();
    QStringList names;
    for (const Choice<Enum> &choice : choices) {
        names << QLatin1String(choice.name);
        if (text == QLatin1String(choice.name)) {
            *out = choice.value;
            return;
        }
    }
    check.fail(key, QStringLiteral("%1 is not one of %2")
                        .arg(quoted(values.value(key)), names.join(QStringLiteral(" | "))));
}

} // namespace

QStringList sourceProfileKeys()
{
    return {QStringLiteral("path"),
            QStringLiteral("query"),
            QStringLiteral("time_format"),
            QStringLiteral("items"),
            QStringLiteral("id"),
            QStringLiteral("updated_at"),
            QStringLiteral("paging"),
            QStringLiteral("page_param"),
            QStringLiteral("offset_param"),
            QStringLiteral("cursor_param"),
            QStringLiteral("next_cursor"),
            QStringLiteral("auth"),
            QStringLiteral("auth_header"),
            QStringLiteral("oauth2_token_url"),
            QStringLiteral("oauth2_client_id"),
            QStringLiteral("oauth2_client_secret"),
            QStringLiteral("oauth2_scope"),
            QStringLiteral("fetch_types")};
}

QMap<QString, QString> readProfileText(const QString &text, QVector<FieldError> *errors)
{
    QMap<QString, QString> values;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines.at(i).trimmed();
        if (line.isEmpty() || line.startsWith(QLatin1Char(';')) ||
            line.startsWith(QLatin1Char('#')) || line == QLatin1String("[profile]"))
            continue;
        const QString where = QStringLiteral("line %1").arg(i + 1);
        const qsizetype equals = line.indexOf(QLatin1Char('='));
        const QString key = line.left(equals).trimmed();
        if (equals <= 0 || key.isEmpty()) {
            errors->append(
                {where,
                 QStringLiteral("[profile] %1: %2 is not key=value").arg(where, quoted(line))});
            continue;
        }
        if (values.contains(key)) {
            errors->append({QStringLiteral("profile/") + key,
                            QStringLiteral("[profile] %1: given twice (%2)").arg(key, where)});
            continue;
        }
        values.insert(key, line.mid(equals + 1).trimmed());
    }
    return values;
}

QString profileText(const QMap<QString, QString> &values)
{
    QStringList lines;
    const QStringList known = sourceProfileKeys();
    for (const QString &key : known) {
        if (values.contains(key))
            lines << key + QLatin1Char('=') + values.value(key);
    }
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (!known.contains(it.key()))
            lines << it.key() + QLatin1Char('=') + it.value();
    }
    return lines.join(QLatin1Char('\n'));
}

bool isJsonPointer(const QString &pointer, QString *why)
{
    if (pointer.isEmpty())
        return true;
    if (!pointer.startsWith(QLatin1Char('/'))) {
        if (why)
            *why = QStringLiteral("%1 is not a JSON pointer: it must be empty or begin with \"/\"")
                       .arg(quoted(pointer));
        return false;
    }
    for (qsizetype i = 0; i < pointer.size(); ++i) {
        const QChar c = pointer.at(i);
        if (c == QLatin1Char('~') &&
            (i + 1 >= pointer.size() ||
             (pointer.at(i + 1) != QLatin1Char('0') && pointer.at(i + 1) != QLatin1Char('1')))) {
            if (why)
                *why = QStringLiteral("%1 is not a JSON pointer: \"~\" must be followed by 0 or 1 "
                                      "(\"~0\" for \"~\", \"~1\" for \"/\")")
                           .arg(quoted(pointer));
            return false;
        }
        if (c.category() == QChar::Other_Control) {
            if (why)
                *why = QStringLiteral("%1 is not a JSON pointer: it holds a control character")
                           .arg(quoted(pointer));
            return false;
        }
    }
    return true;
}

QStringList jsonPointerTokens(const QString &pointer)
{
    if (pointer.isEmpty())
        return {};
    QStringList tokens = pointer.mid(1).split(QLatin1Char('/'));
    for (QString &token : tokens) {
        token.replace(QLatin1String("~1"), QLatin1String("/"));
        token.replace(QLatin1String("~0"), QLatin1String("~"));
    }
    return tokens;
}

QString timeFormatName(SourceProfile::TimeFormat format)
{
    return choiceName(TimeFormats, format);
}

QString pagingName(SourceProfile::Paging paging)
{
    return choiceName(PagingModes, paging);
}

QString authName(SourceProfile::Auth auth)
{
    return choiceName(AuthModes, auth);
}

std::optional<SourceProfile> parseSourceProfile(const QMap<QString, QString> &values,
                                                const QStringList &fetchTypes,
                                                QVector<FieldError> *errors)
{
    Checker check(errors);
    SourceProfile profile;
    profile.isDefault = values.isEmpty();
    if (profile.isDefault)
        return profile;

    const QStringList known = sourceProfileKeys();
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        if (!known.contains(it.key()))
            check.fail(printableText(it.key(), 40),
                       QStringLiteral("unknown key; [profile] takes %1")
                           .arg(known.join(QStringLiteral(", "))));
    }
    const auto has = [&](const char *key) { return values.contains(QLatin1String(key)); };
    const auto text = [&](const char *key) { return values.value(QLatin1String(key)).trimmed(); };

    readChoice(check, values, QStringLiteral("time_format"), TimeFormats, &profile.timeFormat);
    readChoice(check, values, QStringLiteral("paging"), PagingModes, &profile.paging);
    readChoice(check, values, QStringLiteral("auth"), AuthModes, &profile.auth);

    QString why;
    if (has("path")) {
        const QString path = text("path");
        const QString lowered = path.toLower();
        if (path.isEmpty())
            check.fail(QStringLiteral("path"),
                       QStringLiteral("empty; it must begin with \"/\", "
                                      "e.g. /dealers/{dealer_id}/{fetch_type}"));
        else if (path.contains(QLatin1String("://")) || !path.startsWith(QLatin1Char('/')) ||
                 path.startsWith(QLatin1String("//")))
            check.fail(QStringLiteral("path"),
                       QStringLiteral("%1 is not a path below the source URL: it must begin with "
                                      "a single \"/\" and name no scheme or host")
                           .arg(quoted(path)));
        else if (path.split(QLatin1Char('/')).contains(QLatin1String("..")) ||
                 path.split(QLatin1Char('/')).contains(QLatin1String(".")) ||
                 lowered.contains(QLatin1String("%2e")) || lowered.contains(QLatin1String("%2f")))
            check.fail(QStringLiteral("path"),
                       QStringLiteral("%1 holds a \".\" or \"..\" segment (or an encoded dot or "
                                      "slash); the path may not leave the source URL")
                           .arg(quoted(path)));
        else if (path.contains(QLatin1Char('?')) || path.contains(QLatin1Char('#')) ||
                 path.contains(QLatin1Char('\\')) || hasControlOrSpace(path))
            check.fail(QStringLiteral("path"),
                       QStringLiteral("%1 holds a space, a control character, \"?\", \"#\" or "
                                      "\"\\\"; parameters belong in query")
                           .arg(quoted(path)));
        else if (!checkPlaceholders(path, PathPlaceholders, &why))
            check.fail(QStringLiteral("path"), why);
        else
            profile.path = path;
    }

    QStringList queryNames;
    if (has("query")) {
        const QString query = text("query");
        bool good = true;
        if (hasControlOrSpace(query) || query.contains(QLatin1Char('#'))) {
            check.fail(QStringLiteral("query"),
                       QStringLiteral("%1 holds a space, a control character or \"#\"")
                           .arg(quoted(query)));
            good = false;
        } else if (!checkPlaceholders(query, QueryPlaceholders, &why)) {
            check.fail(QStringLiteral("query"), why);
            good = false;
        }
        const QStringList pairs = query.isEmpty() ? QStringList() : query.split(QLatin1Char('&'));
        for (const QString &pair : pairs) {
            if (!good)
                break;
            const qsizetype equals = pair.indexOf(QLatin1Char('='));
            const QString name = pair.left(equals);
            if (equals < 0 || !isParamName(name)) {
                check.fail(QStringLiteral("query"),
                           QStringLiteral("%1 is not name=value (a name of letters, digits and "
                                          "-_.~[], parameters separated by \"&\")")
                               .arg(quoted(pair)));
                good = false;
            } else if (queryNames.contains(name)) {
                check.fail(QStringLiteral("query"),
                           QStringLiteral("the parameter %1 is given twice").arg(quoted(name)));
                good = false;
            }
            queryNames << name;
        }
        if (good)
            profile.query = query;
    } else {
        queryNames =
            QStringList{QStringLiteral("from"), QStringLiteral("to"), QStringLiteral("page_size")};
    }

    const auto readPointer = [&](const char *key, QString *out, const QString &ifEmpty) {
        if (!has(key))
            return;
        const QString pointer = text(key);
        QString reason;
        if (!isJsonPointer(pointer, &reason))
            check.fail(QLatin1String(key), reason);
        else if (pointer.isEmpty() && !ifEmpty.isEmpty())
            check.fail(QLatin1String(key), ifEmpty);
        else
            *out = pointer;
    };
    readPointer("items", &profile.items, QString());
    readPointer("id", &profile.id,
                QStringLiteral("empty; it must point inside the item, e.g. /id"));
    readPointer("updated_at", &profile.updatedAt, QString());
    readPointer("next_cursor", &profile.nextCursor,
                QStringLiteral("empty; paging=cursor reads the next cursor from it (a JSON "
                               "pointer such as /paging/next)"));

    // Each paging parameter: a name, used only by its own mode, not already in query.
    struct ParamKey
    {
        const char *key;
        SourceProfile::Paging mode;
        QString *out;
    };
    const ParamKey params[] = {
        {"page_param", SourceProfile::Paging::Page, &profile.pageParam},
        {"offset_param", SourceProfile::Paging::Offset, &profile.offsetParam},
        {"cursor_param", SourceProfile::Paging::Cursor, &profile.cursorParam},
    };
    for (const ParamKey &param : params) {
        const QString key = QLatin1String(param.key);
        if (has(param.key)) {
            if (profile.paging != param.mode) {
                check.fail(key, QStringLiteral("only used with paging=%1 (paging is %2)")
                                    .arg(pagingName(param.mode), pagingName(profile.paging)));
                continue;
            }
            if (!isParamName(text(param.key))) {
                check.fail(key, QStringLiteral("%1 is not a parameter name (letters, digits and "
                                               "-_.~[])")
                                    .arg(quoted(text(param.key))));
                continue;
            }
            *param.out = text(param.key);
        }
        if (profile.paging == param.mode && queryNames.contains(*param.out))
            check.fail(key, QStringLiteral("the parameter %1 is already in query; paging adds "
                                           "it to every request")
                                .arg(quoted(*param.out)));
    }
    if (has("next_cursor") && profile.paging != SourceProfile::Paging::Cursor)
        check.fail(QStringLiteral("next_cursor"),
                   QStringLiteral("only used with paging=cursor (paging is %1)")
                       .arg(pagingName(profile.paging)));
    if (profile.paging == SourceProfile::Paging::Cursor && profile.nextCursor.isEmpty() &&
        !has("next_cursor"))
        check.fail(QStringLiteral("next_cursor"),
                   QStringLiteral("missing: paging=cursor reads the next cursor from it (a JSON "
                                  "pointer such as /paging/next)"));

    if (has("auth_header")) {
        if (profile.auth != SourceProfile::Auth::Header)
            check.fail(QStringLiteral("auth_header"),
                       QStringLiteral("only used with auth=header (auth is %1)")
                           .arg(authName(profile.auth)));
        else if (!isHeaderName(text("auth_header")))
            check.fail(
                QStringLiteral("auth_header"),
                QStringLiteral("%1 is not an HTTP header name").arg(quoted(text("auth_header"))));
        else
            profile.authHeader = text("auth_header");
    } else if (profile.auth == SourceProfile::Auth::Header) {
        check.fail(QStringLiteral("auth_header"),
                   QStringLiteral("missing: auth=header sends the token in this header (e.g. "
                                  "X-Api-Key)"));
    }

    const char *oauthKeys[] = {"oauth2_token_url", "oauth2_client_id", "oauth2_client_secret",
                               "oauth2_scope"};
    QString *oauthValues[] = {&profile.oauth2TokenUrl, &profile.oauth2ClientId,
                              &profile.oauth2ClientSecret, &profile.oauth2Scope};
    for (int i = 0; i < 4; ++i) {
        const QString key = QLatin1String(oauthKeys[i]);
        if (profile.auth != SourceProfile::Auth::OAuth2) {
            if (has(oauthKeys[i]))
                check.fail(key, QStringLiteral("only used with auth=oauth2 (auth is %1)")
                                    .arg(authName(profile.auth)));
            continue;
        }
        *oauthValues[i] = text(oauthKeys[i]);
        if (i < 3 && oauthValues[i]->isEmpty())
            check.fail(key, QStringLiteral("missing: auth=oauth2 needs oauth2_token_url, "
                                           "oauth2_client_id and oauth2_client_secret"));
    }
    if (profile.auth == SourceProfile::Auth::OAuth2 && !profile.oauth2TokenUrl.isEmpty()) {
        const QUrl url(profile.oauth2TokenUrl, QUrl::StrictMode);
        const QString scheme = url.scheme().toLower();
        if (!url.isValid() || url.host().isEmpty() ||
            (scheme != QLatin1String("http") && scheme != QLatin1String("https")))
            check.fail(QStringLiteral("oauth2_token_url"),
                       QStringLiteral("%1 is not an http:// or https:// URL")
                           .arg(quoted(profile.oauth2TokenUrl)));
        else if (!url.userInfo().isEmpty())
            check.fail(QStringLiteral("oauth2_token_url"),
                       QStringLiteral("holds a user or password; give them as oauth2_client_id "
                                      "and oauth2_client_secret"));
    }

    if (has("fetch_types")) {
        for (const QString &entry : text("fetch_types").split(QLatin1Char(','))) {
            const QString pair = entry.trimmed();
            const qsizetype colon = pair.indexOf(QLatin1Char(':'));
            const QString ours = pair.left(colon).trimmed();
            const QString theirs = pair.mid(colon + 1).trimmed();
            if (colon < 0 || ours.isEmpty() || theirs.isEmpty() ||
                theirs.contains(QLatin1Char(':'))) {
                check.fail(QStringLiteral("fetch_types"),
                           QStringLiteral("%1 is not TYPE:NAME (dealerq's type, a colon, the "
                                          "API's name for it; pairs separated by commas)")
                               .arg(quoted(pair)));
            } else if (!fetchTypes.contains(ours)) {
                check.fail(QStringLiteral("fetch_types"),
                           QStringLiteral("%1 is not a configured fetch type (%2)")
                               .arg(quoted(ours), fetchTypes.join(QStringLiteral(", "))));
            } else if (profile.fetchTypes.contains(ours)) {
                check.fail(QStringLiteral("fetch_types"),
                           QStringLiteral("%1 is mapped twice").arg(quoted(ours)));
            } else if (hasControlOrSpace(theirs) || theirs.contains(QLatin1Char('{')) ||
                       theirs.contains(QLatin1Char('}'))) {
                check.fail(QStringLiteral("fetch_types"),
                           QStringLiteral("%1 holds a space, a control character or a brace")
                               .arg(quoted(theirs)));
            } else {
                profile.fetchTypes.insert(ours, theirs);
            }
        }
    }

    if (check.failed())
        return std::nullopt;
    return profile;
}
