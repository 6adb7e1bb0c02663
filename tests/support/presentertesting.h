// SPDX-License-Identifier: GPL-3.0-or-later
// Presenter mode at projector size for the GUI tests (tst_gui_presenter_lessons_720p, tst_gui_presenter_reflow).
#pragma once

#include <QScreen>
#include <QSize>
#include <QTest>

#include "mainwindow.h"
#include "presenter.h"

namespace quantlab::ui::testing {

inline const QSize kProjector(1280, 720);

// Presenter mode at 1280x720: full screen on a 1280x720 screen (Xvfb), otherwise (the offscreen
// platform's 800x600 screen) everything else of presenter mode in a 1280x720 window.
inline bool enterPresenter(MainWindow& window) {
  window.presenter()->setActive(true);
  if (window.screen()->geometry().size() != kProjector) {
    window.setWindowState(window.windowState() & ~Qt::WindowFullScreen);
    window.resize(kProjector);
  }
  return QTest::qWaitFor([&] { return window.size() == kProjector; }, 5000);
}

// Back to a normal 1280x720 window.
inline bool leavePresenter(MainWindow& window) {
  window.presenter()->setActive(false);
  window.setWindowState(Qt::WindowNoState);
  window.resize(kProjector);
  return QTest::qWaitFor([&] { return window.size() == kProjector; }, 5000);
}

}  // namespace quantlab::ui::testing
