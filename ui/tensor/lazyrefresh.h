// SPDX-License-Identifier: GPL-3.0-or-later
// A view's redraw, done only when someone can see it: request() redraws at once unless the view
// sits in a window on screen without being visible itself (a dock tabbed behind another, a
// closed dock); then the redraw waits until the view is next shown. Drawing thousands of chart
// items for a hidden view per edit is what held the GUI thread on big tensors. A view that is
// not in a shown window at all (a test's standalone view, a snapshot being set up) redraws at
// once as before.
#pragma once

#include <QObject>
#include <functional>

class QWidget;

namespace quantlab::ui {

class LazyRefresh : public QObject {
  Q_OBJECT
 public:
  LazyRefresh(QWidget* view, std::function<void()> refresh);
  void request();

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QWidget* view_;
  std::function<void()> refresh_;
  bool stale_ = false;
};

}  // namespace quantlab::ui
