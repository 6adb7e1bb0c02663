// SPDX-License-Identifier: GPL-3.0-or-later
// Presenter mode (F11, View > Presenter Mode) for a classroom projector: full screen, the
// application font 1.5x, a high-contrast palette, the advanced controls hidden (narrow range,
// axis, group size, percentile) and a translucent circle following the mouse pointer so the
// room sees what the teacher points at. The Lessons dock is widened (the lesson text is the
// largest on screen and would otherwise wrap every few words), and the dock tabs show their whole
// names (scrolling the tab bar) instead of "E…", "P…". Turning it off restores exactly
// what was there before (window state, font, palette, the hidden rows, the dock's width).
#pragma once

#include <QFont>
#include <QObject>
#include <QPalette>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

class QTabBar;
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
  // The Lessons dock's share of the window width in presenter mode.
  static constexpr double kLessonsShare = 0.36;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 signals:
  void activeChanged(bool on);

 private:
  void followCursor();
  // Sets the Lessons dock to the width presenter mode wants (or back to the saved one).
  void fitLessonsDock();

  MainWindow* window_;
  bool active_ = false;
  Qt::WindowStates savedState_;
  QFont savedFont_;
  QPalette savedPalette_;
  std::vector<QPointer<QWidget>> hidden_;
  // The dock tab bars and their elide mode before (presenter mode shows whole tab names).
  std::vector<std::pair<QPointer<QTabBar>, Qt::TextElideMode>> tabBars_;
  QPointer<QWidget> pointer_;
  QTimer* timer_ = nullptr;
  int savedLessonsWidth_ = 0;  // 0: the dock was hidden or floating, nothing to restore
  // After turning off, the window shrinks back over a few resize events: the saved width is
  // applied on each of them until this time (ms since epoch).
  qint64 restoreUntil_ = 0;
};

}  // namespace quantlab::ui
