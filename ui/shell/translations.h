// SPDX-License-Identifier: GPL-3.0-or-later
// The languages of QuantLab's interface and how their Qt Linguist files are found and loaded.
//
// English is the source language (no file). Every other language is a compiled catalogue
// quantlab_<code>.qm, searched in the first of these directories that has it:
//   1. $QUANTLAB_DATA_DIR/translations (tests, relocated installs);
//   2. <directory of the running executable>/../share/quantlab/translations (an installed tree);
//   3. <install prefix>/share/quantlab/translations (chosen at configure time);
//   4. <build directory>/translations (running from the build tree).
// Qt's own catalogue for standard dialogs (qtbase_<code>.qm) is loaded too when Qt ships one.
#pragma once

#include <QList>
#include <QString>

namespace quantlab::ui {

struct UiLanguage {
  QString code;        // "en", "es", "vi"
  QString nativeName;  // the language's name in itself ("Español"), never translated
};

// English first, then every language QuantLab ships a translation for, in menu order.
const QList<UiLanguage>& uiLanguages();

// The path of quantlab_<code>.qm, or "" when no candidate directory has it.
QString translationFile(const QString& code);

// The language to show for a user's choice: `requested` when QuantLab speaks it; "" or "system"
// means the system locale's language when QuantLab speaks it; everything else falls back to "en".
QString resolveUiLanguage(const QString& requested);

// Replaces the installed interface translation by `code` ("en" removes it). Widgets created
// afterwards speak the new language. False, with *error naming the file and the problem, when
// the catalogue is missing or cannot be read; English stays in use then.
bool installUiLanguage(const QString& code, QString* error = nullptr);

// The code installed by the last successful installUiLanguage() ("en" before any).
QString currentUiLanguage();

}  // namespace quantlab::ui
