// SPDX-License-Identifier: GPL-3.0-or-later
#include "viewaudience.h"

#include <QEvent>
#include <QWidget>

namespace quantlab::ui {

ViewAudience::ViewAudience(Session* session, Session::Extra extra, QWidget* view)
    : QObject(view), session_(session), extra_(extra), view_(view) {
  session->attachView(extra);
  view->installEventFilter(this);
}

ViewAudience::~ViewAudience() {
  if (session_) session_->detachView(extra_, shown_);
}

bool ViewAudience::eventFilter(QObject* watched, QEvent* event) {
  if (watched == view_ && session_) {
    const bool show = event->type() == QEvent::Show, hide = event->type() == QEvent::Hide;
    if ((show && !shown_) || (hide && shown_)) {
      shown_ = show;
      session_->setViewVisible(extra_, show);
    }
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace quantlab::ui
