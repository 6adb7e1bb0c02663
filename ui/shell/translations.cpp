// SPDX-License-Identifier: GPL-3.0-or-later
#include "translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>
#include <memory>

namespace quantlab::ui {

namespace {

QString current = QStringLiteral("en");
// Owned here so a language switch can remove the previous catalogues.
std::unique_ptr<QTranslator> appTranslator, qtTranslator;

QStringList candidateDirs() {
  QStringList dirs;
  const QString env = qEnvironmentVariable("QUANTLAB_DATA_DIR");
  if (!env.isEmpty()) dirs << env + QStringLiteral("/translations");
  if (QCoreApplication::instance())
    dirs << QCoreApplication::applicationDirPath() +
                QStringLiteral("/../share/quantlab/translations");
#ifdef QUANTLAB_INSTALL_QM_DIR
  dirs << QStringLiteral(QUANTLAB_INSTALL_QM_DIR);
#endif
#ifdef QUANTLAB_BUILD_QM_DIR
  dirs << QStringLiteral(QUANTLAB_BUILD_QM_DIR);
#endif
  return dirs;
}

void removeTranslators() {
  for (auto* t : {&appTranslator, &qtTranslator}) {
    if (*t) QCoreApplication::removeTranslator(t->get());
    t->reset();
  }
}

}  // namespace

const QList<UiLanguage>& uiLanguages() {
  static const QList<UiLanguage> languages = {
      {QStringLiteral("en"), QStringLiteral("English")},
      {QStringLiteral("es"), QStringLiteral("Español")},
      {QStringLiteral("vi"), QStringLiteral("Tiếng Việt")},
  };
  return languages;
}

QString translationFile(const QString& code) {
  const QString name = QStringLiteral("quantlab_%1.qm").arg(code);
  for (const QString& dir : candidateDirs()) {
    const QFileInfo f(QDir(dir).filePath(name));
    if (f.isFile()) return f.canonicalFilePath();
  }
  return {};
}

QString resolveUiLanguage(const QString& requested) {
  auto spoken = [](const QString& code) {
    for (const UiLanguage& l : uiLanguages())
      if (l.code == code) return true;
    return false;
  };
  if (!requested.isEmpty() && requested != QLatin1String("system"))
    return spoken(requested) ? requested : QStringLiteral("en");
  // QLocale::system().name() is "es_ES", "vi_VN", "C" ...: the part before '_' is the language.
  const QString system = QLocale::system().name().section(QLatin1Char('_'), 0, 0);
  return spoken(system) ? system : QStringLiteral("en");
}

bool installUiLanguage(const QString& code, QString* error) {
  if (code == QLatin1String("en")) {
    removeTranslators();
    current = code;
    return true;
  }
  const QString file = translationFile(code);
  if (file.isEmpty()) {
    if (error)
      *error = QStringLiteral("quantlab_%1.qm: not found in %2")
                   .arg(code, candidateDirs().join(QStringLiteral(", ")));
    return false;
  }
  auto app = std::make_unique<QTranslator>();
  if (!app->load(file)) {
    if (error) *error = QStringLiteral("%1: not a readable Qt translation file").arg(file);
    return false;
  }
  removeTranslators();
  appTranslator = std::move(app);
  QCoreApplication::installTranslator(appTranslator.get());
  // Qt's own strings (file dialog buttons, QKeySequence names); optional.
  auto qt = std::make_unique<QTranslator>();
  if (qt->load(QStringLiteral("qtbase_") + code,
               QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    qtTranslator = std::move(qt);
    QCoreApplication::installTranslator(qtTranslator.get());
  }
  current = code;
  return true;
}

QString currentUiLanguage() { return current; }

}  // namespace quantlab::ui
