// SPDX-License-Identifier: GPL-3.0-or-later
// Presenter mode (F11, View > Presenter Mode) for a classroom projector: full screen, the
// application font 1.5x, a high-contrast palette, the advanced controls hidden (narrow range,
// axis, group size, percentile) and a translucent circle following the mouse pointer so the
// room sees what the teacher points at. Turning it off restores exactly what was there before
// (window state, font, palette, the hidden rows).
#pragma once

#include <QFont>
#include <QObject>
#include <QPalette>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <vector>

class QTimer;
class QWidget;

namespace quantlab::ui {

class MainWindow;

class PresenterMode : public QObject {
  Q_OBJECT
 public:
  explicit PresenterMode(MainWindow* window);
  ~PresenterMode() override;

  bool isActive() const { return active_; }
  void setActive(bool on);
  void toggle() { setActive(!active_); }

  // The controls presenter mode hides (objectNames in ControlsPanel).
  static QStringList advancedControls();
  // The pointer circle (nullptr when inactive).
  QWidget* pointer() const { return pointer_; }

  static constexpr double kFontScale = 1.5;

 signals:
  void activeChanged(bool on);

 private:
  void followCursor();

  MainWindow* window_;
  bool active_ = false;
  Qt::WindowStates savedState_;
  QFont savedFont_;
  QPalette savedPalette_;
  std::vector<QPointer<QWidget>> hidden_;
  QPointer<QWidget> pointer_;
  QTimer* timer_ = nullptr;
};

}  // namespace quantlab::ui
