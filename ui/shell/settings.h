// SPDX-License-Identifier: GPL-3.0-or-later
// Everything QuantLab remembers between runs, typed, with every key and default in one place.
// QSettings does the storage (the platform's native format, or an INI file for tests).
#pragma once

#include <QByteArray>
#include <QSettings>
#include <QString>
#include <QStringList>
#include <memory>

namespace quantlab::ui {

class Settings {
 public:
  // The application's settings (organisation / application name from QCoreApplication).
  Settings();
  // Settings stored in one INI file (tests use a temporary file).
  explicit Settings(const QString& iniFile);

  // Bump when the dock layout changes incompatibly: restoreState() then ignores old layouts.
  static constexpr int kStateVersion = 2;  // 2: workspaces
  static constexpr int kMaxRecentFiles = 10;

  QByteArray windowGeometry() const;
  void setWindowGeometry(const QByteArray& geometry);
  QByteArray windowState() const;
  void setWindowState(const QByteArray& state);

  // The folder File > Open starts in (home when never set).
  QString lastFolder() const;
  void setLastFolder(const QString& folder);

  // Most recent first, at most kMaxRecentFiles, no duplicates. Entries are "FILE" or "FILE:NAME".
  QStringList recentFiles() const;
  void addRecentFile(const QString& spec);
  void removeRecentFile(const QString& spec);
  void clearRecentFiles();

  // The interface language chosen in View > Language: "en", "es", "vi", or "" for the system's.
  QString uiLanguage() const;
  void setUiLanguage(const QString& code);

  void sync();

 private:
  std::unique_ptr<QSettings> s_;
};

}  // namespace quantlab::ui
