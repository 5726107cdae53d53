#pragma once

#include <cstdio>
#include <cstdlib>

#include <QByteArray>
#include <QString>

/// Aborts the fuzz run (so libFuzzer saves the input) when an invariant does not hold, printing
/// which one and, for context, the value at fault.
#define FUZZ_CHECK(condition, detail)                                                              \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "invariant failed at %s:%d: %s\n  %s\n", __FILE__, __LINE__,      \
                         #condition, qPrintable(QString(detail)));                                 \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
