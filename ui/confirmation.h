#pragma once

#include <QMessageBox>

/// A question before a change that cannot be undone, opened window-modal by the caller: named
/// `objectName` (tests find it by that), with `buttons`, and `safe` — the button that changes
/// nothing — as both the default and the escape, so that neither Enter nor Escape ever makes the
/// change. The caller adds its own action button where it needs a role of its own. Deletes itself
/// when closed.
QMessageBox *safeConfirmation(QWidget *parent, const QString &objectName, const QString &title,
                              const QString &text,
                              QMessageBox::StandardButtons buttons = QMessageBox::Cancel,
                              QMessageBox::StandardButton safe = QMessageBox::Cancel);
