// SPDX-License-Identifier: GPL-3.0-or-later
#include "lazyrefresh.h"

#include <QEvent>
#include <QWidget>
#include <utility>

namespace quantlab::ui {

LazyRefresh::LazyRefresh(QWidget* view, std::function<void()> refresh)
    : QObject(view), view_(view), refresh_(std::move(refresh)) {
  view->installEventFilter(this);
}

void LazyRefresh::request() {
  if (view_->window()->isVisible() && !view_->isVisible()) {
    stale_ = true;
    return;
  }
  stale_ = false;
  refresh_();
}

bool LazyRefresh::eventFilter(QObject* watched, QEvent* event) {
  if (watched == view_ && event->type() == QEvent::Show && stale_) {
    stale_ = false;
    refresh_();
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace quantlab::ui
