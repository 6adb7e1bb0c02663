// SPDX-License-Identifier: GPL-3.0-or-later
// The "updating" state of a tensor view: while the session computes the results of a new spec on
// a worker (Session::resultsPending()), a small label in the host view's top-right corner names
// the spec being computed, so the numbers it still shows (those of
// params().spec) are never taken for the new spec's. It hides when the results arrive.
#pragma once

#include <QLabel>

namespace quantlab::ui {

class Session;

class UpdatingBadge : public QLabel {
  Q_OBJECT
 public:
  UpdatingBadge(Session* session, QWidget* host);
  bool isShowing() const { return showing_; }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void sync();
  void place();

  Session* session_;
  QWidget* host_;
  bool showing_ = false;
};

}  // namespace quantlab::ui
