#include "sim/dealersim.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHash>
#include <QHostAddress>
#include <QSocketNotifier>

#ifdef Q_OS_UNIX
#include <sys/socket.h>
#include <unistd.h>
#endif

namespace {

[[noreturn]] void badArguments(const QString &reason)
{
    std::fprintf(stderr, "dealerq-sim: %s\n", qPrintable(reason));
    std::exit(2);
}

int positiveNumber(const QCommandLineParser &parser, const QString &name, int min)
{
    bool ok = false;
    const int value = parser.value(name).toInt(&ok);
    if (!ok || value < min)
        badArguments(QStringLiteral("--%1 must be a whole number >= %2, not \"%3\"")
                         .arg(name)
                         .arg(min)
                         .arg(parser.value(name)));
    return value;
}

#ifdef Q_OS_UNIX
int signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto written = ::write(signalFds[0], &byte, 1);
}

/// Turns SIGTERM and SIGINT into a clean exit with status 0.
void quitOnSignals(QCoreApplication *app)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalFds) != 0)
        return;
    auto *notifier = new QSocketNotifier(signalFds[1], QSocketNotifier::Read, app);
    QObject::connect(notifier, &QSocketNotifier::activated, app, &QCoreApplication::quit);
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
}
#endif

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dealerq-sim"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Simulator of the dealer data API: GET /dealers/{dealer_id}/{fetch_type}"
        "?from=&to=&page=&page_size= with deterministic data and injectable faults."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("listen"),
         QStringLiteral("Address to listen on; port 0 = any free port, printed alone on the "
                        "first line of stdout (default 127.0.0.1:0)."),
         QStringLiteral("HOST:PORT"), QStringLiteral("127.0.0.1:0")},
        {QStringLiteral("records"),
         QStringLiteral("Records per dealer, type and window (default 25)."), QStringLiteral("N"),
         QStringLiteral("25")},
        {QStringLiteral("records-for"),
         QStringLiteral("Give one dealer a different record count (repeatable)."),
         QStringLiteral("ID=N")},
        {QStringLiteral("page-size"), QStringLiteral("The largest page served (default 500)."),
         QStringLiteral("N"), QStringLiteral("500")},
        {QStringLiteral("latency-ms"), QStringLiteral("Delay before every answer (default 0)."),
         QStringLiteral("MS"), QStringLiteral("0")},
        {QStringLiteral("token"),
         QStringLiteral("Require Authorization: Bearer TOKEN (401 otherwise)."),
         QStringLiteral("TOKEN")},
        {QStringLiteral("fault"),
         QStringLiteral("Inject a fault (repeatable): MODE[xN][:ID1,ID2,...]; only the first N "
                        "requests per dealer with xN, every dealer without IDs. Modes: %1.")
             .arg(DealerSimServer::faultModeNames().join(QLatin1String(", "))),
         QStringLiteral("RULE")},
        {QStringLiteral("retry-after"),
         QStringLiteral("Retry-After seconds of a 429 fault (default 1)."), QStringLiteral("S"),
         QStringLiteral("1")},
        {QStringLiteral("paging"),
         QStringLiteral("Another API's shape (SPEC §11): next_page (SPEC §2, the default), page, "
                        "offset, cursor (next cursor at /paging/next) or link (Link header)."),
         QStringLiteral("MODE"), QStringLiteral("next_page")},
        {QStringLiteral("items-key"),
         QStringLiteral("Nest the items array under these keys, e.g. data/records."),
         QStringLiteral("PATH")},
        {QStringLiteral("numeric-ids"), QStringLiteral("Items' ids are numbers.")},
        {QStringLiteral("time-format"),
         QStringLiteral("from/to (or since/until) as iso8601 (default), epoch_s, epoch_ms or "
                        "date; epoch_* makes the items' updated_at numbers too."),
         QStringLiteral("FORMAT"), QStringLiteral("iso8601")},
        {QStringLiteral("auth"),
         QStringLiteral("bearer (default, with --token), header (--token in --auth-header), "
                        "basic (--token as user:password) or oauth2 (POST /oauth/token with "
                        "--oauth2-client)."),
         QStringLiteral("MODE"), QStringLiteral("bearer")},
        {QStringLiteral("auth-header"),
         QStringLiteral("The header of --auth header (default X-Api-Key)."), QStringLiteral("NAME"),
         QStringLiteral("X-Api-Key")},
        {QStringLiteral("oauth2-client"), QStringLiteral("The client the token endpoint accepts."),
         QStringLiteral("ID:SECRET")},
        {QStringLiteral("oauth2-lifetime"),
         QStringLiteral("expires_in of each token, in seconds (default 3600)."),
         QStringLiteral("S"), QStringLiteral("3600")},
        {QStringLiteral("oauth2-uses"),
         QStringLiteral("Data requests each token is good for before it answers 401, as an "
                        "expired or revoked token does (default: no limit)."),
         QStringLiteral("N")},
    });
    if (!parser.parse(QCoreApplication::arguments()))
        badArguments(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        // Qt names the program as it was started (a path, say); the usage line names it.
        QString help = parser.helpText();
        help.replace(QStringLiteral("Usage: ") + QCoreApplication::arguments().constFirst(),
                     QStringLiteral("Usage: dealerq-sim"));
        std::fputs(qPrintable(help), stdout);
        return 0;
    }
    if (!parser.positionalArguments().isEmpty())
        badArguments(
            QStringLiteral("unexpected argument \"%1\"").arg(parser.positionalArguments().first()));

    DealerSimServer::Options options;
    options.records = positiveNumber(parser, QStringLiteral("records"), 0);
    options.maxPageSize = positiveNumber(parser, QStringLiteral("page-size"), 1);
    options.latencyMs = positiveNumber(parser, QStringLiteral("latency-ms"), 0);
    options.retryAfterSeconds = positiveNumber(parser, QStringLiteral("retry-after"), 0);
    options.token = parser.value(QStringLiteral("token")).toUtf8();
    if (parser.isSet(QStringLiteral("token")) && options.token.isEmpty())
        badArguments(QStringLiteral("--token must not be empty"));
    for (const QString &text : parser.values(QStringLiteral("fault"))) {
        QString error;
        const auto rule = DealerSimServer::parseFaultRule(text, &error);
        if (!rule)
            badArguments(error);
        options.faults.append(*rule);
    }
    DealerSimServer::Shape &shape = options.shape;
    const QString paging = parser.value(QStringLiteral("paging"));
    const QHash<QString, DealerSimServer::Paging> pagings{
        {QStringLiteral("next_page"), DealerSimServer::Paging::NextPage},
        {QStringLiteral("page"), DealerSimServer::Paging::Page},
        {QStringLiteral("offset"), DealerSimServer::Paging::Offset},
        {QStringLiteral("cursor"), DealerSimServer::Paging::Cursor},
        {QStringLiteral("link"), DealerSimServer::Paging::Link}};
    if (!pagings.contains(paging))
        badArguments(QStringLiteral("--paging wants next_page, page, offset, cursor or link"));
    shape.paging = pagings.value(paging);
    if (parser.isSet(QStringLiteral("items-key")))
        shape.itemsPath = parser.value(QStringLiteral("items-key")).split(QLatin1Char('/'));
    if (shape.itemsPath.contains(QString()))
        badArguments(QStringLiteral("--items-key wants keys separated by /"));
    shape.numericIds = parser.isSet(QStringLiteral("numeric-ids"));
    shape.timeFormat = parser.value(QStringLiteral("time-format"));
    if (!QStringList{"iso8601", "epoch_s", "epoch_ms", "date"}.contains(shape.timeFormat))
        badArguments(QStringLiteral("--time-format wants iso8601, epoch_s, epoch_ms or date"));
    const QHash<QString, DealerSimServer::Auth> auths{
        {QStringLiteral("bearer"), DealerSimServer::Auth::Bearer},
        {QStringLiteral("header"), DealerSimServer::Auth::Header},
        {QStringLiteral("basic"), DealerSimServer::Auth::Basic},
        {QStringLiteral("oauth2"), DealerSimServer::Auth::OAuth2}};
    const QString auth = parser.value(QStringLiteral("auth"));
    if (!auths.contains(auth))
        badArguments(QStringLiteral("--auth wants bearer, header, basic or oauth2"));
    shape.auth = auths.value(auth);
    shape.authHeader = parser.value(QStringLiteral("auth-header")).toLatin1();
    if (shape.auth == DealerSimServer::Auth::Basic && !options.token.contains(':'))
        badArguments(QStringLiteral("--auth basic wants --token USER:PASSWORD"));
    if (shape.auth == DealerSimServer::Auth::OAuth2) {
        const QString client = parser.value(QStringLiteral("oauth2-client"));
        const qsizetype split = client.indexOf(QLatin1Char(':'));
        if (split <= 0)
            badArguments(QStringLiteral("--auth oauth2 wants --oauth2-client ID:SECRET"));
        shape.clientId = client.left(split).toUtf8();
        shape.clientSecret = client.mid(split + 1).toUtf8();
    }
    shape.tokenLifetimeS = positiveNumber(parser, QStringLiteral("oauth2-lifetime"), 1);
    if (parser.isSet(QStringLiteral("oauth2-uses")))
        shape.tokenUses = positiveNumber(parser, QStringLiteral("oauth2-uses"), 0);
    for (const QString &text : parser.values(QStringLiteral("records-for"))) {
        const qsizetype equals = text.indexOf(QLatin1Char('='));
        bool ok = false;
        const int count = equals > 0 ? text.mid(equals + 1).toInt(&ok) : -1;
        if (!ok || count < 0)
            badArguments(QStringLiteral("--records-for wants ID=N, not \"%1\"").arg(text));
        options.recordsFor.insert(text.left(equals), count);
    }

    const QString listen = parser.value(QStringLiteral("listen"));
    const qsizetype colon = listen.lastIndexOf(QLatin1Char(':'));
    bool portOk = false;
    const uint port = colon > 0 ? listen.mid(colon + 1).toUInt(&portOk) : 0;
    QString host = colon > 0 ? listen.left(colon) : QString();
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    QHostAddress address;
    if (host == QLatin1String("localhost"))
        address = QHostAddress::LocalHost;
    else
        address.setAddress(host);
    if (!portOk || port > 65535 || address.isNull())
        badArguments(
            QStringLiteral("--listen wants HOST:PORT with a numeric host, not \"%1\"").arg(listen));

    DealerSimServer server(options);
    QString error;
    if (!server.listen(address, static_cast<quint16>(port), &error))
        badArguments(error);

#ifdef Q_OS_UNIX
    quitOnSignals(&app);
#endif

    std::printf("%u\n", static_cast<unsigned>(server.port()));
    std::fflush(stdout);
    std::fprintf(stderr, "dealerq-sim: serving %s\n", qPrintable(server.baseUrl().toString()));
    return QCoreApplication::exec();
}
