// SPDX-License-Identifier: GPL-3.0-or-later
// Applies a lesson step's ```actions block (format v1, lessons/README.md) to the window: tensors
// through quant::generate and Session::setTensor, settings through the Session setters, views
// raised through MainWindow::view(), controls flashed by objectName. Nothing here computes
// numerics; an action that names a view or workspace this build does not have yet gives a short
// note instead of an error, so every shipped lesson plays in every build.
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

#include "quant/course/lesson.h"

class QDockWidget;
class QWidget;

namespace quantlab::ui {

class MainWindow;

// Applies `actions` in order. Never throws: an action that cannot be applied (invalid, or its
// view / the model workspace is not available) adds one translated note to the result and the
// remaining actions still run. `shownDocks` (optional) receives the objectNames of the docks the
// actions showed, so the player can close them when a later step no longer needs them.
QStringList applyLessonActions(MainWindow* window, const std::vector<quant::LessonAction>& actions,
                               QStringList* shownDocks = nullptr);

// The widget a `highlight NAME` / `view NAME` action means: a view of the window, else the child
// with that objectName; nullptr when the window has neither.
QWidget* lessonTarget(MainWindow* window, const QString& name);

// Shows `view`'s dock (and raises its tab); in presenter mode puts the view on the stage
// instead (PresenterMode::showOnStage). Returns false when the widget is not in a dock and not
// the central widget.
bool raiseView(MainWindow* window, QWidget* view);
// The dock holding `widget` (nullptr for the central widget and for a widget outside docks).
QDockWidget* dockOf(MainWindow* window, QWidget* widget);

// A brief coloured frame around `target` (objectName "lessonHighlight", removed after `ms`).
void flashWidget(QWidget* target, int ms = 1600);

}  // namespace quantlab::ui
