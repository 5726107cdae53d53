#pragma once

#include <QString>
#include <QStringList>
#include <QVector>

#include <optional>

/// A rejected input: which field (as the API names it) and why, in words an operator can act on.
struct FieldError
{
    QString field;
    QString message;
};

inline constexpr int MaxDealerIdLength = 32;
inline constexpr qint64 MaxWindowDays = 366;

/// `text` made safe to quote in a message: every invisible or control character (bidirectional
/// overrides, zero-width marks, newlines, escapes, NUL) written as <U+XXXX>, cut after
/// `maxLength` characters.
QString printableText(const QString &text, int maxLength = 40);

/// True when `id` is a valid dealer ID (SPEC §1); otherwise false with the reason in *reason.
bool validateDealerId(const QString &id, QString *reason = nullptr);

/// A list of dealer IDs sorted into what can be queued and what cannot.
struct DealerIdList
{
    struct Invalid
    {
        QString id;
        QString reason;
    };
    QStringList valid;        ///< first occurrences of valid IDs, in the order given
    QStringList duplicates;   ///< repeats of an ID already in the list (each repeat once)
    QVector<Invalid> invalid; ///< invalid IDs with their reasons, in the order given

    /// One line naming every invalid ID, for a refusal.
    QString invalidSummary() const;
};

/// True for the characters that separate dealer IDs in a list (SPEC §3 `--bulk-file`, the paste
/// box): newlines, commas, semicolons, tabs and spaces.
bool isDealerIdSeparator(QChar c);
/// Splits text pasted from a spreadsheet, an e-mail or a file on the separators; no blanks.
QStringList splitDealerIdText(const QString &text);
/// splitDealerIdText(), then drops repeats and sorts the rest (SPEC §1).
DealerIdList parseDealerIdText(const QString &text);

/// Sorts a list that is already split (an API array, say): drops blanks and repeats.
DealerIdList checkDealerIds(const QStringList &ids);

/// True when `type` is one of `allowed`; otherwise false with a reason naming the allowed ones.
bool validateFetchType(const QString &type, const QStringList &allowed, QString *reason = nullptr);

/// The window a job fetches, in milliseconds since the epoch.
struct TimeWindow
{
    qint64 fromMs = 0;
    qint64 toMs = 0;
};

/// Resolves `from`/`to` as given (empty = omitted) into a window (SPEC §1): omitted bounds are
/// today's 00:00:00 and 23:59:59 local time; from ≤ to; at most 366 days. `nowMs` is the
/// current time. On failure returns nothing and fills *error with the field at fault
/// (`from_time` or `to_time`).
std::optional<TimeWindow> resolveTimeWindow(const QString &from, const QString &to, qint64 nowMs,
                                            FieldError *error);
