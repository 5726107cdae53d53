#include "config/databaseurl.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>
#include <QUrlQuery>

std::optional<DatabaseUrl> DatabaseUrl::parse(const QString &text, QString *error)
{
    const auto fail = [&](const QString &why) -> std::optional<DatabaseUrl> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    DatabaseUrl url;
    if (text.startsWith(QLatin1String("sqlite://"))) {
        url.backend = DbBackend::Sqlite;
        QString rest = text.mid(int(qstrlen("sqlite://")));
        const int query = rest.indexOf(QLatin1Char('?'));
        if (query >= 0) {
            const auto items = QUrlQuery(rest.mid(query + 1)).queryItems(QUrl::FullyDecoded);
            for (const auto &[key, value] : items) {
                bool ok = false;
                if (key == QLatin1String("mode") && value == QLatin1String("ro")) {
                    url.readOnly = true;
                } else if (key == QLatin1String("busy_timeout_ms") &&
                           (url.busyTimeoutMs = value.toInt(&ok), ok) && url.busyTimeoutMs >= 0) {
                } else {
                    return fail(QStringLiteral("database URL option \"%1=%2\" is not known; "
                                               "use mode=ro or busy_timeout_ms=N")
                                    .arg(key, value));
                }
            }
            rest = rest.left(query);
        }
        url.path = QUrl::fromPercentEncoding(rest.toUtf8());
        for (const QChar c : url.path) {
            if (c.unicode() < 0x20 || c.unicode() == 0x7f)
                return fail(QStringLiteral("database path is not a valid file path: it holds a "
                                           "control character (U+%1)")
                                .arg(QString::number(c.unicode(), 16)
                                         .toUpper()
                                         .rightJustified(4, QLatin1Char('0'))));
        }
        if (url.path.isEmpty() || !QDir::isAbsolutePath(url.path))
            return fail(QStringLiteral("database URL \"%1\" needs an absolute path, e.g. "
                                       "sqlite:///home/me/dealerq.db")
                            .arg(text));
        if (url.path.endsWith(QLatin1Char('/')))
            return fail(QStringLiteral("database URL \"%1\" names a folder, not a file").arg(text));
        return url;
    }
    if (text.startsWith(QLatin1String("postgresql://")) ||
        text.startsWith(QLatin1String("postgres://"))) {
        const QUrl parsed(text, QUrl::StrictMode);
        if (!parsed.isValid() || parsed.host().isEmpty())
            return fail(QStringLiteral("database URL is not a valid postgresql:// URL; use "
                                       "postgresql://user[:pass]@host[:port]/dbname"));
        url.backend = DbBackend::Postgres;
        url.host = parsed.host();
        url.port = parsed.port(5432);
        url.user = parsed.userName(QUrl::FullyDecoded);
        url.password = parsed.password(QUrl::FullyDecoded);
        url.dbName = parsed.path(QUrl::FullyDecoded).mid(1);
        if (url.dbName.isEmpty() || url.dbName.contains(QLatin1Char('/')))
            return fail(QStringLiteral("database URL names no database; use "
                                       "postgresql://user[:pass]@host[:port]/dbname"));
        QStringList options;
        const auto items = QUrlQuery(parsed).queryItems(QUrl::FullyDecoded);
        for (const auto &[key, value] : items)
            options << key + QLatin1Char('=') + value;
        url.options = options.join(QLatin1Char(';'));
        return url;
    }
    return fail(QStringLiteral("database URL must start with sqlite:/// or postgresql://"));
}

QString DatabaseUrl::displayString() const
{
    if (backend == DbBackend::Sqlite)
        return QStringLiteral("sqlite://") + path +
               (readOnly ? QStringLiteral("?mode=ro") : QString());
    return QStringLiteral("postgresql://%1%2:%3/%4")
        .arg(user.isEmpty() ? QString() : user + QLatin1Char('@'), host)
        .arg(port)
        .arg(dbName);
}
