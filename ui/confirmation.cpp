#include "confirmation.h"

QMessageBox *safeConfirmation(QWidget *parent, const QString &objectName, const QString &title,
                              const QString &text, QMessageBox::StandardButtons buttons,
                              QMessageBox::StandardButton safe)
{
    auto *box = new QMessageBox(QMessageBox::Question, title, text, buttons, parent);
    box->setObjectName(objectName);
    box->setDefaultButton(safe);
    box->setEscapeButton(safe);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    return box;
}
