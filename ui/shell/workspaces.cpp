// SPDX-License-Identifier: GPL-3.0-or-later
#include "workspaces.h"

#include <QAction>
#include <QActionGroup>
#include <QDockWidget>
#include <algorithm>

#include "lessonplayer.h"
#include "mainwindow.h"
#include "modelview.h"
#include "presenter.h"

namespace quantlab::ui {

namespace {

constexpr Workspaces::Kind kKinds[] = {Workspaces::Kind::Tensor, Workspaces::Kind::Model,
                                       Workspaces::Kind::Lesson};

QDockWidget* dock(MainWindow* window, const QString& objectName) {
  return window->findChild<QDockWidget*>(objectName);
}

}  // namespace

Workspaces::Workspaces(MainWindow* window)
    : QObject(window), window_(window), group_(new QActionGroup(this)) {
  setObjectName(QStringLiteral("workspaces"));
  group_->setExclusive(true);
  int key = Qt::Key_1;
  for (Kind kind : kKinds) {
    auto* a = new QAction(title(kind), group_);
    a->setObjectName(QStringLiteral("actionWorkspace%1").arg(static_cast<int>(kind)));
    a->setCheckable(true);
    a->setChecked(kind == current_);
    a->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(key++)));
    a->setToolTip(tr("%1 workspace (%2)").arg(title(kind), a->shortcut().toString()));
    connect(a, &QAction::triggered, this, [this, kind] { setCurrent(kind); });
  }
}

QString Workspaces::title(Kind kind) {
  switch (kind) {
    case Kind::Tensor:
      return tr("Tensor");
    case Kind::Model:
      return tr("Model");
    case Kind::Lesson:
      return tr("Lesson");
  }
  return {};
}

QList<QAction*> Workspaces::actions() const { return group_->actions(); }

QStringList Workspaces::dockNames(Kind kind) {
  switch (kind) {
    case Kind::Tensor:
      return {QStringLiteral("controlsDock"), QStringLiteral("errorDock"),
              QStringLiteral("channelsDock"), QStringLiteral("mappingDock"),
              QStringLiteral("formatsDock")};
    case Kind::Model: {
      QStringList names;
      for (const QString& view : modelViewNames()) names << view + QLatin1String("Dock");
      return names;
    }
    case Kind::Lesson:
      return {QStringLiteral("controlsDock"), QStringLiteral("lessonsDock")};
  }
  return {};
}

void Workspaces::setCurrent(Kind kind) {
  if (window_->presenter() && window_->presenter()->isActive()) return;
  QStringList shown = dockNames(kind);
  if (kind == Kind::Lesson && window_->lessonPlayer())
    shown += window_->lessonPlayer()->openedDocks();
  // Hide first: a dock shown into a full tab group would squeeze the tabs for a moment.
  for (QDockWidget* d : window_->findChildren<QDockWidget*>())
    if (!shown.contains(d->objectName()) && !d->isFloating()) d->hide();
  for (const QString& name : shown)
    if (QDockWidget* d = dock(window_, name)) d->show();
  if (kind == Kind::Tensor)
    if (QDockWidget* d = dock(window_, QStringLiteral("mappingDock"))) d->raise();
  current_ = kind;
  for (QAction* a : group_->actions())
    a->setChecked(a == group_->actions().at(static_cast<int>(kind)));
  fit(kind);
  emit currentChanged(kind);
}

void Workspaces::fit(Kind kind) {
  const int w = window_->width(), h = window_->height();
  QDockWidget* controls = dock(window_, QStringLiteral("controlsDock"));
  QDockWidget* lessons = dock(window_, QStringLiteral("lessonsDock"));
  QDockWidget* bottom = nullptr;
  for (QDockWidget* d : window_->findChildren<QDockWidget*>())
    if (d->isVisible() && !d->isFloating() &&
        window_->dockWidgetArea(d) == Qt::BottomDockWidgetArea)
      bottom = d;
  if (controls && controls->isVisible())
    window_->resizeDocks({controls}, {std::clamp(w / 5, 300, 380)}, Qt::Horizontal);
  if (kind == Kind::Lesson && lessons && lessons->isVisible())
    window_->resizeDocks({lessons}, {std::clamp(w * 28 / 100, 340, 640)}, Qt::Horizontal);
  // From 1600 px on the mapping and number formats have a column of their own (applyDefaultLayout).
  QDockWidget* mapping = dock(window_, QStringLiteral("mappingDock"));
  if (kind == Kind::Tensor && mapping && mapping->isVisible() &&
      window_->dockWidgetArea(mapping) == Qt::RightDockWidgetArea)
    window_->resizeDocks({mapping}, {std::clamp(w * 32 / 100, 440, 720)}, Qt::Horizontal);
  // The model views are tables and bar charts that want height; in the Lesson workspace the
  // histogram, narrower beside the lesson, keeps more of the height.
  const int share = kind == Kind::Model ? 50 : kind == Kind::Lesson ? 40 : 45;
  if (bottom) window_->resizeDocks({bottom}, {std::max(260, h * share / 100)}, Qt::Vertical);
}

}  // namespace quantlab::ui
