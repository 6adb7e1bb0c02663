// SPDX-License-Identifier: GPL-3.0-or-later
#include "settings.h"

#include <QDir>

namespace quantlab::ui {

namespace {
// The only place the keys are spelled.
constexpr char kKeyGeometry[] = "window/geometry";
constexpr char kKeyState[] = "window/state";
constexpr char kKeyLastFolder[] = "files/lastFolder";
constexpr char kKeyRecent[] = "files/recent";
constexpr char kKeyUiLanguage[] = "ui/language";
}  // namespace

Settings::Settings() : s_(std::make_unique<QSettings>()) {}

Settings::Settings(const QString& iniFile)
    : s_(std::make_unique<QSettings>(iniFile, QSettings::IniFormat)) {}

QByteArray Settings::windowGeometry() const { return s_->value(kKeyGeometry).toByteArray(); }
void Settings::setWindowGeometry(const QByteArray& geometry) {
  s_->setValue(kKeyGeometry, geometry);
}
QByteArray Settings::windowState() const { return s_->value(kKeyState).toByteArray(); }
void Settings::setWindowState(const QByteArray& state) { s_->setValue(kKeyState, state); }

QString Settings::lastFolder() const {
  const QString folder = s_->value(kKeyLastFolder).toString();
  return folder.isEmpty() || !QDir(folder).exists() ? QDir::homePath() : folder;
}
void Settings::setLastFolder(const QString& folder) { s_->setValue(kKeyLastFolder, folder); }

QString Settings::uiLanguage() const { return s_->value(kKeyUiLanguage).toString(); }
void Settings::setUiLanguage(const QString& code) { s_->setValue(kKeyUiLanguage, code); }

QStringList Settings::recentFiles() const {
  QStringList list = s_->value(kKeyRecent).toStringList();
  list.removeAll(QString());
  list.removeDuplicates();
  while (list.size() > kMaxRecentFiles) list.removeLast();
  return list;
}

void Settings::addRecentFile(const QString& spec) {
  if (spec.isEmpty()) return;
  QStringList list = recentFiles();
  list.removeAll(spec);
  list.prepend(spec);
  while (list.size() > kMaxRecentFiles) list.removeLast();
  s_->setValue(kKeyRecent, list);
}

void Settings::removeRecentFile(const QString& spec) {
  QStringList list = recentFiles();
  list.removeAll(spec);
  s_->setValue(kKeyRecent, list);
}

void Settings::clearRecentFiles() { s_->remove(kKeyRecent); }

void Settings::sync() { s_->sync(); }

}  // namespace quantlab::ui
