#include "sim/dealersim.h"

#include <csignal>
#include <cstdio>
#include <cstdlib>

#include <QCommandLineParser>
#include <QCoreApplication>
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
