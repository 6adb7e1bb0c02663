// SPDX-License-Identifier: GPL-3.0-or-later
#include "updatingbadge.h"

#include <QEvent>
#include <algorithm>

#include "session.h"

namespace quantlab::ui {

UpdatingBadge::UpdatingBadge(Session* session, QWidget* host)
    : QLabel(host), session_(session), host_(host) {
  setObjectName(QStringLiteral("updatingBadge"));
  setAttribute(Qt::WA_TransparentForMouseEvents);
  setStyleSheet(QStringLiteral(
      "QLabel { background: #fff3c4; color: #000; border: 1px solid #c9a400; padding: 2px 6px; }"));
  hide();
  host->installEventFilter(this);
  connect(session, &Session::resultsPendingChanged, this, &UpdatingBadge::sync);
  connect(session, &Session::specChanged, this, &UpdatingBadge::sync);
  connect(session, &Session::resultsChanged, this, &UpdatingBadge::sync);
  connect(session, &Session::progressChanged, this, &UpdatingBadge::sync);
}

bool UpdatingBadge::eventFilter(QObject* watched, QEvent* event) {
  if (watched == host_ && event->type() == QEvent::Resize && showing_) place();
  return QLabel::eventFilter(watched, event);
}

void UpdatingBadge::sync() {
  const bool pending = session_->resultsPending();
  if (pending) {
    const QString spec = QString::fromStdString(session_->spec().describe());
    const double f = session_->progress();
    // A streamed tensor's exact pass reports how far it is.
    setText(f >= 0 ? tr("Updating for %1… %2%").arg(spec).arg(static_cast<int>(f * 100.0))
                   : tr("Updating for %1…").arg(spec));
    adjustSize();
    place();
  }
  if (pending == showing_) return;
  showing_ = pending;
  setVisible(pending);
  if (pending) raise();
}

void UpdatingBadge::place() { move(std::max(0, host_->width() - width() - 4), 4); }

}  // namespace quantlab::ui
