#include "config/settings.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestSettings final : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void valuesRoundTripWithOwnerOnlyFile();
    void wrongTypesFallBackAndAreReported();
    void environmentNamesTheFile();
};

void TestSettings::defaults()
{
    QTemporaryDir dir;
    Settings settings(dir.filePath("s.ini"));
    QCOMPARE(settings.fetchTypes(), (QStringList{"prospect", "sales", "service", "inventory"}));
    QCOMPARE(settings.maxRetries(), 4);
    QCOMPARE(settings.initialBackoffMs(), 500);
    QCOMPARE(settings.maxBackoffMs(), 8000);
    QCOMPARE(settings.maxRetryAfterS(), 60);
    QCOMPARE(settings.maxAttempts(), 5);
    QCOMPARE(settings.refreshIntervalS(), 5);
    QCOMPARE(settings.pageSize(), 500);
    QCOMPARE(settings.maxPages(), 100000);    // SPEC §2
    QCOMPARE(settings.keepFinishedDays(), 0); // keep forever
    QCOMPARE(settings.apiListen(), QStringLiteral("127.0.0.1:8000"));
    QVERIFY(settings.sourceUrl().isEmpty());
    QVERIFY(settings.problems().isEmpty());
}

void TestSettings::valuesRoundTripWithOwnerOnlyFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("s.ini");
    {
        Settings settings(path);
        QSignalSpy changed(&settings, &Settings::changed);
        settings.setValue(Settings::Key::SourceToken, "secret-token");
        settings.setValue(Settings::Key::FetchTypes, QStringList{"prospect", "parts"});
        settings.setValue(Settings::Key::MaxAttempts, 7);
        settings.setValue(Settings::Key::KeepFinishedDays, 90);
        QCOMPARE(changed.size(), 4);
        QCOMPARE(changed.first().first().value<Settings::Key>(), Settings::Key::SourceToken);
    }
    QCOMPARE(QFile::permissions(path) & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                                         QFileDevice::WriteGroup | QFileDevice::WriteOther),
             QFileDevice::Permissions());
    Settings again(path);
    QCOMPARE(again.sourceToken(), QStringLiteral("secret-token"));
    QCOMPARE(again.fetchTypes(), (QStringList{"prospect", "parts"}));
    QCOMPARE(again.maxAttempts(), 7);
    QCOMPARE(again.keepFinishedDays(), 90);
}

void TestSettings::wrongTypesFallBackAndAreReported()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("s.ini");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[fetch]\nmax_retries=lots\ntimeout_ms=-5\npage_size=999999999\ntypes=\n"
               "max_pages=0\n"
               "[queue]\nmax_attempts=3\n[window]\nrefresh_interval_s=0x10\n"
               "[alerts]\nwebhook_url=ftp://hooks.example/x\nwebhook_secret=k\n"
               "[retention]\nkeep_finished_days=-1\n[coverage]\nstale_hours=0\n");
    file.close();
    Settings settings(path);
    QCOMPARE(settings.maxRetries(), 4);
    QCOMPARE(settings.requestTimeoutMs(), 30000);
    QCOMPARE(settings.pageSize(), 500);
    QCOMPARE(settings.maxPages(), 100000);
    QCOMPARE(settings.fetchTypes().size(), 4);
    QCOMPARE(settings.refreshIntervalS(), 5);
    QCOMPARE(settings.maxAttempts(), 3); // the good value is still used
    QCOMPARE(settings.keepFinishedDays(), 0);
    QCOMPARE(settings.coverageStaleHours(), 26);
    const QStringList problems = settings.problems();
    QCOMPARE(settings.alertsWebhookUrl(), QString()); // no webhook rather than a bad one
    QCOMPARE(settings.alertsWebhookSecret(), QStringLiteral("k"));
    QCOMPARE(problems.size(), 9);
    QVERIFY(problems.join("\n").contains("fetch/max_pages = \"0\""));
    QVERIFY(problems.join("\n").contains("coverage/stale_hours = \"0\""));
    QVERIFY(problems.join("\n").contains("fetch/max_retries = \"lots\""));
    QVERIFY(problems.join("\n").contains("alerts/webhook_url = \"ftp://hooks.example/x\" is not "
                                         "usable (an http:// or https:// URL); using none"));
}

void TestSettings::environmentNamesTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("env.ini");
    qputenv("DEALERQ_SETTINGS", path.toUtf8());
    Settings settings;
    qunsetenv("DEALERQ_SETTINGS");
    QCOMPARE(settings.filePath(), path);
}

QTEST_GUILESS_MAIN(TestSettings)
#include "tst_settings.moc"
