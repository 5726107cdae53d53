#include "config/settings.h"
#include "job/sourceprofile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using Values = QMap<QString, QString>;
Q_DECLARE_METATYPE(Values)

/// The source profile reader and its checks (SPEC §11): what a good profile reads as, and a
/// refusal naming the key for every hostile one.
class TestSourceProfile final : public QObject
{
    Q_OBJECT

private slots:
    void emptyGroupIsTheDefault();
    void specExampleReads();
    void unsetKeysDescribeSpec2();
    void hostile_data();
    void hostile();
    void jsonPointers_data();
    void jsonPointers();
    void settingsReadTheGroupAndReportProblems();
    void settingsRoundTrip();
    void editorText();

private:
    const QStringList m_types{"prospect", "sales", "service", "inventory"};
};

void TestSourceProfile::emptyGroupIsTheDefault()
{
    QVector<FieldError> errors;
    const std::optional<SourceProfile> profile = parseSourceProfile({}, m_types, &errors);
    QVERIFY(profile);
    QVERIFY(profile->isDefault);
    QVERIFY(errors.isEmpty());
    QCOMPARE(profile->apiFetchType("sales"), QStringLiteral("sales"));
}

void TestSourceProfile::specExampleReads()
{
    const Values values{{"path", "/dealers/{dealer_id}/{fetch_type}"},
                        {"query", "since={from}&until={to}&limit={page_size}"},
                        {"time_format", "epoch_ms"},
                        {"items", "/data"},
                        {"id", "/uuid"},
                        {"updated_at", "/meta/modified"},
                        {"paging", "cursor"},
                        {"cursor_param", "cursor"},
                        {"next_cursor", "/paging/next"},
                        {"auth", "header"},
                        {"auth_header", "X-Api-Key"},
                        {"fetch_types", "prospect:leads,sales:deals"}};
    QVector<FieldError> errors;
    const std::optional<SourceProfile> profile = parseSourceProfile(values, m_types, &errors);
    QVERIFY2(profile, errors.isEmpty() ? "" : qPrintable(errors.first().message));
    QVERIFY(!profile->isDefault);
    QCOMPARE(profile->timeFormat, SourceProfile::TimeFormat::EpochMs);
    QCOMPARE(profile->paging, SourceProfile::Paging::Cursor);
    QCOMPARE(profile->auth, SourceProfile::Auth::Header);
    QCOMPARE(profile->authHeader, QStringLiteral("X-Api-Key"));
    QCOMPARE(profile->nextCursor, QStringLiteral("/paging/next"));
    QCOMPARE(profile->apiFetchType("prospect"), QStringLiteral("leads"));
    QCOMPARE(profile->apiFetchType("sales"), QStringLiteral("deals"));
    QCOMPARE(profile->apiFetchType("service"), QStringLiteral("service"));

    const Values oauth{{"paging", "offset"},
                       {"offset_param", "skip"},
                       {"auth", "oauth2"},
                       {"oauth2_token_url", "https://auth.example.com/oauth/token"},
                       {"oauth2_client_id", "dealerq"},
                       {"oauth2_client_secret", "s3cret"},
                       {"oauth2_scope", "read:dealers"}};
    const std::optional<SourceProfile> second = parseSourceProfile(oauth, m_types, &errors);
    QVERIFY2(second, errors.isEmpty() ? "" : qPrintable(errors.first().message));
    QCOMPARE(second->offsetParam, QStringLiteral("skip"));
    QCOMPARE(second->oauth2Scope, QStringLiteral("read:dealers"));
}

void TestSourceProfile::unsetKeysDescribeSpec2()
{
    QVector<FieldError> errors;
    const std::optional<SourceProfile> profile =
        parseSourceProfile({{"paging", "page"}}, m_types, &errors);
    QVERIFY(profile);
    QVERIFY(!profile->isDefault);
    QCOMPARE(profile->path, QStringLiteral("/dealers/{dealer_id}/{fetch_type}"));
    QCOMPARE(profile->query, QStringLiteral("from={from}&to={to}&page_size={page_size}"));
    QCOMPARE(profile->items, QStringLiteral("/items"));
    QCOMPARE(profile->id, QStringLiteral("/id"));
    QCOMPARE(profile->updatedAt, QStringLiteral("/updated_at"));
    QCOMPARE(profile->pageParam, QStringLiteral("page"));
    QCOMPARE(profile->auth, SourceProfile::Auth::Bearer);
}

void TestSourceProfile::hostile_data()
{
    QTest::addColumn<Values>("values");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("words");

    QTest::newRow("unknown key") << Values{{"pagin", "cursor"}} << "pagin"
                                 << "unknown key";
    QTest::newRow("items not a pointer") << Values{{"items", "data"}} << "items"
                                         << "not a JSON pointer";
    QTest::newRow("bad tilde") << Values{{"id", "/a~2b"}} << "id"
                               << "\"~\" must be followed";
    QTest::newRow("trailing tilde") << Values{{"updated_at", "/meta~"}} << "updated_at"
                                    << "not a JSON pointer";
    QTest::newRow("empty id") << Values{{"id", ""}} << "id"
                              << "point inside the item";
    QTest::newRow("unknown placeholder in path")
        << Values{{"path", "/dealers/{dealer}/{fetch_type}"}} << "path"
        << "{dealer} is not a placeholder";
    QTest::newRow("time placeholder in path") << Values{{"path", "/x/{from}"}} << "path"
                                              << "{from} is not a placeholder";
    QTest::newRow("unknown placeholder in query") << Values{{"query", "since={since}"}} << "query"
                                                  << "{since} is not a placeholder";
    QTest::newRow("unclosed brace") << Values{{"query", "since={from"}} << "query"
                                    << "without its \"}\"";
    QTest::newRow("cursor without next_cursor") << Values{{"paging", "cursor"}} << "next_cursor"
                                                << "missing";
    QTest::newRow("cursor with empty next_cursor")
        << Values{{"paging", "cursor"}, {"next_cursor", ""}} << "next_cursor"
        << "empty";
    QTest::newRow("dot-dot path") << Values{{"path", "/dealers/../admin"}} << "path"
                                  << "\"..\"";
    QTest::newRow("encoded dot-dot") << Values{{"path", "/dealers/%2E%2E/admin"}} << "path"
                                     << "encoded dot";
    QTest::newRow("scheme in path") << Values{{"path", "https://evil.example/steal"}} << "path"
                                    << "no scheme or host";
    QTest::newRow("host in path") << Values{{"path", "//evil.example/x"}} << "path"
                                  << "no scheme or host";
    QTest::newRow("relative path") << Values{{"path", "dealers/{dealer_id}"}} << "path"
                                   << "begin with";
    QTest::newRow("query in path") << Values{{"path", "/x?y=1"}} << "path"
                                   << "belong in query";
    QTest::newRow("bad time_format") << Values{{"time_format", "rfc2822"}} << "time_format"
                                     << "iso8601 | epoch_s";
    QTest::newRow("bad paging") << Values{{"paging", "scroll"}} << "paging"
                                << "page | offset";
    QTest::newRow("bad auth") << Values{{"auth", "digest"}} << "auth"
                              << "bearer | header";
    QTest::newRow("header without auth_header") << Values{{"auth", "header"}} << "auth_header"
                                                << "missing";
    QTest::newRow("bad header name")
        << Values{{"auth", "header"}, {"auth_header", "X Api Key"}} << "auth_header"
        << "not an HTTP header name";
    QTest::newRow("auth_header without header auth")
        << Values{{"auth_header", "X-Api-Key"}} << "auth_header"
        << "only used with auth=header";
    QTest::newRow("oauth2 without token url")
        << Values{{"auth", "oauth2"}, {"oauth2_client_id", "a"}, {"oauth2_client_secret", "b"}}
        << "oauth2_token_url"
        << "missing";
    QTest::newRow("oauth2 without secret")
        << Values{{"auth", "oauth2"},
                  {"oauth2_token_url", "https://auth.example/token"},
                  {"oauth2_client_id", "a"}}
        << "oauth2_client_secret"
        << "missing";
    QTest::newRow("oauth2 token url not http")
        << Values{{"auth", "oauth2"},
                  {"oauth2_token_url", "ftp://auth.example/token"},
                  {"oauth2_client_id", "a"},
                  {"oauth2_client_secret", "b"}}
        << "oauth2_token_url"
        << "not an http:// or https:// URL";
    QTest::newRow("oauth2 keys without oauth2")
        << Values{{"oauth2_client_id", "a"}} << "oauth2_client_id"
        << "only used with auth=oauth2";
    QTest::newRow("fetch_types without colon")
        << Values{{"fetch_types", "prospect=leads"}} << "fetch_types"
        << "is not TYPE:NAME";
    QTest::newRow("fetch_types unknown type")
        << Values{{"fetch_types", "parts:spares"}} << "fetch_types"
        << "not a configured fetch type";
    QTest::newRow("fetch_types twice")
        << Values{{"fetch_types", "sales:deals,sales:orders"}} << "fetch_types"
        << "mapped twice";
    QTest::newRow("fetch_types empty name") << Values{{"fetch_types", "sales:"}} << "fetch_types"
                                            << "is not TYPE:NAME";
    QTest::newRow("param of another mode")
        << Values{{"paging", "page"}, {"cursor_param", "after"}} << "cursor_param"
        << "only used with paging=cursor";
    QTest::newRow("next_cursor without cursor paging")
        << Values{{"next_cursor", "/next"}} << "next_cursor"
        << "only used with paging=cursor";
    QTest::newRow("paging param already in query")
        << Values{{"query", "from={from}&page=1"}} << "page_param"
        << "already in query";
    QTest::newRow("bad param name")
        << Values{{"paging", "offset"}, {"offset_param", "off set"}} << "offset_param"
        << "not a parameter name";
    QTest::newRow("query pair without =") << Values{{"query", "from={from}&verbose"}} << "query"
                                          << "is not name=value";
    QTest::newRow("query name twice") << Values{{"query", "a={from}&a={to}"}} << "query"
                                      << "given twice";
}

void TestSourceProfile::hostile()
{
    QFETCH(Values, values);
    QFETCH(QString, key);
    QFETCH(QString, words);
    QVector<FieldError> errors;
    QVERIFY(!parseSourceProfile(values, m_types, &errors));
    QVERIFY(!errors.isEmpty());
    bool named = false;
    for (const FieldError &error : errors) {
        if (error.field == "profile/" + key) {
            named = true;
            QVERIFY2(error.message.startsWith("[profile] " + key + ": "),
                     qPrintable(error.message));
            QVERIFY2(error.message.contains(words), qPrintable(error.message));
        }
    }
    QVERIFY2(named, qPrintable(errors.first().message));
}

void TestSourceProfile::jsonPointers_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<QStringList>("tokens");
    QTest::newRow("whole document") << "" << true << QStringList();
    QTest::newRow("root key") << "/data" << true << QStringList{"data"};
    QTest::newRow("empty key") << "/" << true << QStringList{""};
    QTest::newRow("nested") << "/a/b/0" << true << QStringList{"a", "b", "0"};
    QTest::newRow("escapes") << "/a~1b/m~0n" << true << QStringList{"a/b", "m~n"};
    QTest::newRow("escape order") << "/~01" << true << QStringList{"~1"};
    QTest::newRow("no slash") << "a" << false << QStringList();
    QTest::newRow("bad escape") << "/a~x" << false << QStringList();
}

void TestSourceProfile::jsonPointers()
{
    QFETCH(QString, pointer);
    QFETCH(bool, valid);
    QFETCH(QStringList, tokens);
    QCOMPARE(isJsonPointer(pointer), valid);
    if (valid)
        QCOMPARE(jsonPointerTokens(pointer), tokens);
}

void TestSourceProfile::settingsReadTheGroupAndReportProblems()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("s.ini");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    // As an operator writes it, comments and commas included.
    file.write("[source]\nurl=https://api.example.com/v2\n"
               "[profile]\npath=/dealers/{dealer_id}/{fetch_type}   ; placeholders\n"
               "paging=cursor\nitems=/data\nfetch_types=prospect:leads,sales:deals\n");
    file.close();
    Settings settings(path);
    const QMap<QString, QString> values = settings.profileValues();
    QCOMPARE(values.value("fetch_types"), QStringLiteral("prospect:leads,sales:deals"));
    QCOMPARE(values.value("path"), QStringLiteral("/dealers/{dealer_id}/{fetch_type}"));
    QVector<FieldError> errors;
    QVERIFY(!settings.sourceProfile(&errors));
    const QStringList problems = settings.problems();
    QCOMPARE(problems.size(), 1);
    QVERIFY2(problems.first().contains("[profile] next_cursor: missing"),
             qPrintable(problems.first()));
}

void TestSourceProfile::settingsRoundTrip()
{
    QTemporaryDir dir;
    Settings settings(dir.filePath("s.ini"));
    QVERIFY(settings.sourceProfile()->isDefault);
    settings.setProfileValues({{"paging", "cursor"},
                               {"next_cursor", "/next"},
                               {"fetch_types", "prospect:leads,sales:deals"},
                               {"auth_header", ""}});
    Settings again(dir.filePath("s.ini"));
    const std::optional<SourceProfile> profile = again.sourceProfile();
    QVERIFY(profile);
    QCOMPARE(profile->paging, SourceProfile::Paging::Cursor);
    QCOMPARE(profile->apiFetchType("sales"), QStringLiteral("deals"));
    QVERIFY(!again.profileValues().contains("auth_header")); // empty values are dropped
    again.setProfileValues({});
    QVERIFY(Settings(dir.filePath("s.ini")).sourceProfile()->isDefault);
}

void TestSourceProfile::editorText()
{
    QVector<FieldError> errors;
    const Values values = readProfileText(
        "[profile]\n; a comment\n# another\n\n  paging = cursor \nfetch_types=prospect:leads\n"
        "next_cursor=/next\nzzz=1\n",
        &errors);
    QVERIFY(errors.isEmpty());
    QCOMPARE(values, (Values{{"paging", "cursor"},
                             {"fetch_types", "prospect:leads"},
                             {"next_cursor", "/next"},
                             {"zzz", "1"}}));
    // SPEC §11's order, unknown keys last.
    QCOMPARE(profileText(values),
             QStringLiteral("paging=cursor\nnext_cursor=/next\nfetch_types=prospect:leads\nzzz=1"));
    readProfileText("paging=page\n=x\npaging=cursor\nitems /data", &errors);
    QCOMPARE(errors.size(), 3);
    QCOMPARE(errors.at(0).field, QStringLiteral("line 2"));
    QCOMPARE(errors.at(1).field, QStringLiteral("profile/paging"));
    QVERIFY2(errors.at(1).message.contains("given twice (line 3)"),
             qPrintable(errors.at(1).message));
    QCOMPARE(errors.at(2).message,
             QStringLiteral("[profile] line 4: \"items /data\" is not key=value"));
}

QTEST_GUILESS_MAIN(TestSourceProfile)
#include "tst_sourceprofile.moc"
