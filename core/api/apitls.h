#pragma once

#include <QSslConfiguration>
#include <QString>

#include <optional>

/// The API's HTTPS settings (SPEC §8) from a PEM certificate file (the server's certificate,
/// then any intermediates) and a PEM private key file (RSA or EC, unencrypted). Nothing, with
/// a one-line reason naming both files, when either cannot be read or parsed, or when the key
/// does not belong to the certificate — which a TLS handshake over loopback with the pair
/// proves, as Qt has no call that compares them.
std::optional<QSslConfiguration> loadApiTls(const QString &certFile, const QString &keyFile,
                                            QString *error);
