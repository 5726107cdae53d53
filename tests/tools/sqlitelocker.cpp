// Holds a write lock on a SQLite database from another process, as a second writer (another
// tool, a DB browser, another dealerq creating the same new file) might:
// `sqlitelocker FILE MILLISECONDS [exclusive|immediate]`. `exclusive` (the default) keeps readers
// out too; `immediate` holds only the reserved lock that any writer takes first. Prints "locked"
// once it holds the lock, then releases it after the given time.
#include <cstdio>

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QByteArray mode = argc > 3 ? QByteArray(argv[3]) : QByteArray("exclusive");
    if (argc < 3 || argc > 4 || (mode != "exclusive" && mode != "immediate")) {
        std::fprintf(stderr, "usage: sqlitelocker FILE MILLISECONDS [exclusive|immediate]\n");
        return 2;
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"));
    db.setDatabaseName(QString::fromLocal8Bit(argv[1]));
    if (!db.open())
        return 1;
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("BEGIN %1").arg(QString::fromLatin1(mode.toUpper())))) {
        std::fprintf(stderr, "%s\n", qPrintable(query.lastError().text()));
        return 1;
    }
    std::printf("locked\n");
    std::fflush(stdout);
    QTimer::singleShot(QByteArray(argv[2]).toInt(), &app, [&] {
        query.exec(QStringLiteral("ROLLBACK"));
        app.quit();
    });
    return app.exec();
}
