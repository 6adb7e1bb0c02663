// SPDX-License-Identifier: GPL-3.0-or-later
// Tells the session whether a view that shows one of its on-demand results (the per-channel
// comparison, the error histogram) is on screen: attached while the view exists, visible
// between its show and hide events. The session computes those results only while someone
// looks (see Session::wanted()).
#pragma once

#include <QObject>
#include <QPointer>

#include "session.h"

class QWidget;

namespace quantlab::ui {

class ViewAudience : public QObject {
  Q_OBJECT
 public:
  ViewAudience(Session* session, Session::Extra extra, QWidget* view);
  ~ViewAudience() override;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  QPointer<Session> session_;  // the session may go first when the window closes
  Session::Extra extra_;
  QWidget* view_;
  bool shown_ = false;
};

}  // namespace quantlab::ui
