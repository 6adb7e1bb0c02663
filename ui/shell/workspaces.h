// SPDX-License-Identifier: GPL-3.0-or-later
// Normal mode's three workspaces, switched from the toolbar (Ctrl+1, Ctrl+2, Ctrl+3): eleven dock
// tabs in one row shrink to "E… P… M…" on a 1280x720 projector, so each workspace shows only
// the docks of one task and every tab keeps its whole name in all three languages.
//   Tensor  the quantization controls and the tensor views (error, per channel, mapping,
//           number formats) around the histogram;
//   Model   the model views (layers, benchmark, predictions, sensitivity, requantization, QAT);
//   Lesson  the lesson player and the controls; the views a lesson step names open as tabs
//           (the player opens and closes them, lessonplayer.h).
// Switching only shows and hides docks; it never moves one, so a user's own arrangement stays.
#pragma once

#include <QObject>
#include <QStringList>

class QAction;
class QActionGroup;
class QDockWidget;

namespace quantlab::ui {

class MainWindow;

class Workspaces : public QObject {
  Q_OBJECT
 public:
  enum class Kind { Tensor, Model, Lesson };

  explicit Workspaces(MainWindow* window);

  Kind current() const { return current_; }
  // Shows the workspace's docks and hides the others (no-op in presenter mode, which has its
  // own arrangement and restores the workspace it found).
  void setCurrent(Kind kind);
  // Gives the current workspace's docks their sizes again (after presenter mode, whose side
  // panel leaves its widths behind).
  void refit() { fit(current_); }
  // The checkable toolbar actions, in order Tensor, Model, Lesson.
  QList<QAction*> actions() const;
  // The view docks (objectNames) a workspace shows; the Lesson workspace adds the ones its step
  // opens.
  static QStringList dockNames(Kind kind);
  static QString title(Kind kind);

 signals:
  void currentChanged(Kind kind);

 private:
  // Dock sizes for the workspace at the window's current size.
  void fit(Kind kind);

  MainWindow* window_;
  Kind current_ = Kind::Tensor;
  QActionGroup* group_;
};

}  // namespace quantlab::ui
