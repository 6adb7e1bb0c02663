// SPDX-License-Identifier: GPL-3.0-or-later
// Presenter mode (F11, View > Presenter Mode) for a classroom projector: full screen, the
// application font 1.5x (charts included: chartstyle.h), a high-contrast palette, the advanced
// controls hidden (narrow range, axis, group size, percentile) and a translucent circle following
// the mouse pointer so the room sees what the teacher points at. The window becomes a stage and
// a side panel: the stage shows one view, large, picked in the presenter bar's switcher (full
// view names) or by the lesson step; the side panel holds the lesson step and the controls as
// two tabs, the lesson in front while one is open, widened so its text does not wrap every few
// words. Turning it off restores exactly what was there before (window state and dock layout,
// font, palette, the hidden rows, the side panel's width).
#pragma once

#include <QByteArray>
#include <QFont>
#include <QObject>
#include <QPalette>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <utility>
#include <vector>

class QAction;
class QComboBox;
class QDockWidget;
class QTabBar;
class QTimer;
class QToolBar;
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
  // Puts the view in `dock` on the stage, alone (nullptr: the histogram, the central widget).
  // The side panel's docks (controls, lessons) are raised in the panel instead, the controls
  // only while no lesson is open so a step's highlight never hides the lesson text.
  void showOnStage(QDockWidget* dock);
  // Puts the view `name` (MainWindow::viewNames()) on the stage.
  void showView(const QString& name);
  // The name of the view on the stage ("" when inactive).
  QString stageView() const;
  // The dock layout presenter mode found and restores when it ends (empty when inactive): what
  // the window saves for the next start when it closes in presenter mode.
  QByteArray savedDockState() const { return active_ ? savedDocks_ : QByteArray(); }
  // The stage's view switcher (nullptr when inactive).
  QComboBox* viewSwitcher() const;

  static constexpr double kFontScale = 1.5;
  // The Lessons dock's share of the window width in presenter mode.
  static constexpr double kLessonsShare = 0.36;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 signals:
  void activeChanged(bool on);

 private:
  void followCursor();
  // Sets the side panel to the width presenter mode wants (or the Lessons dock back to the
  // saved one).
  void fitLessonsDock();
  // Tabs the controls and the lessons on the right, the rest hidden, and the view switcher.
  void buildStage();

  MainWindow* window_;
  bool active_ = false;
  Qt::WindowStates savedState_;
  QFont savedFont_;
  QPalette savedPalette_;
  std::vector<QPointer<QWidget>> hidden_;
  // The dock tab bars and their elide mode before (presenter mode shows whole tab names).
  std::vector<std::pair<QPointer<QTabBar>, Qt::TextElideMode>> tabBars_;
  QPointer<QWidget> pointer_;
  QByteArray savedDocks_;
  QPointer<QWidget> bar_;  // the switcher and its label, in the main toolbar
  QPointer<QAction> barAction_;
  QPointer<QComboBox> switcher_;
  QPointer<QDockWidget> stage_;  // nullptr: the histogram
  QTimer* timer_ = nullptr;
  int savedLessonsWidth_ = 0;  // 0: the dock was hidden or floating, nothing to restore
  // After turning off, the window shrinks back over a few resize events: the saved width is
  // applied on each of them until this time (ms since epoch).
  qint64 restoreUntil_ = 0;
};

}  // namespace quantlab::ui
