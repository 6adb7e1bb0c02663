// SPDX-License-Identifier: GPL-3.0-or-later
#include "presenter.h"

#include <QApplication>
#include <QComboBox>
#include <QCursor>
#include <QDateTime>
#include <QDockWidget>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QTabBar>
#include <QTimer>
#include <QToolBar>
#include <QWidget>
#include <cstdlib>

#include "lessonplayer.h"
#include "mainwindow.h"
#include "settings.h"
#include "workspaces.h"

namespace quantlab::ui {

namespace {

// Drawn over the whole window, transparent to the mouse: a soft yellow disc with a dark rim,
// visible on white charts and dark widgets alike.
class PointerOverlay : public QWidget {
 public:
  explicit PointerOverlay(QWidget* parent) : QWidget(parent) {
    setObjectName(QStringLiteral("presenterPointer"));
    setAttribute(Qt::WA_TransparentForMouseEvents);
    setAttribute(Qt::WA_NoSystemBackground);
    setAttribute(Qt::WA_TranslucentBackground);
    setFocusPolicy(Qt::NoFocus);
  }
  void moveTo(const QPoint& center) {
    if (parentWidget()) setGeometry(parentWidget()->rect());
    if (center == center_) return;
    center_ = center;
    update();
  }
  QPoint center() const { return center_; }

 protected:
  void paintEvent(QPaintEvent*) override {
    if (!rect().contains(center_)) return;
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(0, 0, 0, 110), 2));
    p.setBrush(QColor(255, 220, 0, 90));
    p.drawEllipse(center_, kRadius, kRadius);
  }

 private:
  static constexpr int kRadius = 28;
  QPoint center_{-1000, -1000};
};

QPalette highContrastPalette() {
  QPalette p;
  const QColor white(Qt::white), black(Qt::black), blue(0, 51, 153);
  for (auto group : {QPalette::Active, QPalette::Inactive}) {
    p.setColor(group, QPalette::Window, white);
    p.setColor(group, QPalette::WindowText, black);
    p.setColor(group, QPalette::Base, white);
    p.setColor(group, QPalette::AlternateBase, QColor(235, 235, 235));
    p.setColor(group, QPalette::Text, black);
    p.setColor(group, QPalette::Button, QColor(230, 230, 230));
    p.setColor(group, QPalette::ButtonText, black);
    p.setColor(group, QPalette::Highlight, blue);
    p.setColor(group, QPalette::HighlightedText, white);
    p.setColor(group, QPalette::ToolTipBase, QColor(255, 255, 220));
    p.setColor(group, QPalette::ToolTipText, black);
    p.setColor(group, QPalette::Link, blue);
    p.setColor(group, QPalette::Mid, QColor(90, 90, 90));
    p.setColor(group, QPalette::PlaceholderText, QColor(80, 80, 80));
  }
  p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(100, 100, 100));
  p.setColor(QPalette::Disabled, QPalette::Text, QColor(100, 100, 100));
  p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(100, 100, 100));
  return p;
}

// Hides a control together with its form-row label.
void setRowVisible(QWidget* w, bool on) {
  if (auto* form = w->parentWidget() ? qobject_cast<QFormLayout*>(w->parentWidget()->layout())
                                     : nullptr;
      form && form->indexOf(w) >= 0) {
    form->setRowVisible(w, on);
  } else {
    w->setVisible(on);
  }
}

}  // namespace

PresenterMode::PresenterMode(MainWindow* window) : QObject(window), window_(window) {
  setObjectName(QStringLiteral("presenterMode"));
  window_->installEventFilter(this);
}

namespace {
QDockWidget* shownDock(QWidget* window, const char* name) {
  auto* dock = window->findChild<QDockWidget*>(QLatin1String(name));
  return dock && dock->isVisible() && !dock->isFloating() ? dock : nullptr;
}
QDockWidget* lessonsDock(QWidget* window) { return shownDock(window, "lessonsDock"); }
// The side panel of presenter mode: the lessons and the controls, tabbed.
bool inSidePanel(const QDockWidget* dock) {
  return dock && (dock->objectName() == QLatin1String("lessonsDock") ||
                  dock->objectName() == QLatin1String("controlsDock"));
}
}  // namespace

void PresenterMode::fitLessonsDock() {
  QDockWidget* dock = lessonsDock(window_);
  // The two side-panel tabs share one width: the controls stand for it when they are in front.
  if (!dock && active_) dock = shownDock(window_, "controlsDock");
  if (!dock) return;
  int want = 0;
  if (active_)
    want = static_cast<int>(window_->width() * kLessonsShare);
  else if (savedLessonsWidth_ > 0 && QDateTime::currentMSecsSinceEpoch() < restoreUntil_)
    want = savedLessonsWidth_;
  if (want <= 0 || std::abs(dock->width() - want) <= 2) return;
  // With a dock on the stage there is no central widget to take the rest: both get their width.
  if (active_ && stage_ && stage_->isVisible())
    window_->resizeDocks({stage_.data(), dock}, {window_->width() - want, want}, Qt::Horizontal);
  else
    window_->resizeDocks({dock}, {want}, Qt::Horizontal);
}

bool PresenterMode::eventFilter(QObject* watched, QEvent* event) {
  if (watched == window_ && event->type() == QEvent::Resize && (active_ || restoreUntil_ > 0)) {
    // After the main window's own layout has handled the new size.
    QTimer::singleShot(0, this, &PresenterMode::fitLessonsDock);
  }
  return QObject::eventFilter(watched, event);
}

PresenterMode::~PresenterMode() {
  // A window closed in presenter mode leaves the application's font and palette as they were.
  if (active_) {
    QApplication::setPalette(savedPalette_);
    QApplication::setFont(savedFont_);
  }
}

QStringList PresenterMode::advancedControls() {
  return {QStringLiteral("narrowCheck"), QStringLiteral("axisSpin"),
          QStringLiteral("groupSizeSpin"), QStringLiteral("percentileSpin")};
}

void PresenterMode::setActive(bool on) {
  if (on == active_) return;
  active_ = on;
  if (on) {
    savedState_ = window_->windowState();
    savedFont_ = QApplication::font();
    savedPalette_ = QApplication::palette();
    QDockWidget* dock = lessonsDock(window_);
    savedLessonsWidth_ = dock ? dock->width() : 0;
    restoreUntil_ = 0;
    QFont big = savedFont_;
    if (big.pointSizeF() > 0)
      big.setPointSizeF(big.pointSizeF() * kFontScale);
    else
      big.setPixelSize(static_cast<int>(big.pixelSize() * kFontScale));
    QApplication::setFont(big);
    QApplication::setPalette(highContrastPalette());
    buildStage();
    hidden_.clear();
    for (const QString& name : advancedControls()) {
      QWidget* w = window_->findChild<QWidget*>(name);
      if (w && !w->isHidden()) {
        setRowVisible(w, false);
        hidden_.emplace_back(w);
      }
    }
    tabBars_.clear();
    for (QTabBar* bar : window_->findChildren<QTabBar*>(QString(), Qt::FindDirectChildrenOnly)) {
      tabBars_.emplace_back(bar, bar->elideMode());
      bar->setElideMode(Qt::ElideNone);
      bar->setUsesScrollButtons(true);
    }
    window_->setWindowState(savedState_ | Qt::WindowFullScreen);
    auto* overlay = new PointerOverlay(window_);
    overlay->setGeometry(window_->rect());
    overlay->show();
    overlay->raise();
    pointer_ = overlay;
    timer_ = new QTimer(this);
    timer_->setInterval(16);  // ~60 Hz: smooth, and cheap (one small repaint)
    connect(timer_, &QTimer::timeout, this, &PresenterMode::followCursor);
    timer_->start();
    fitLessonsDock();
  } else {
    delete timer_;
    timer_ = nullptr;
    delete pointer_;
    delete barAction_;
    delete bar_;
    if (window_->workspaces())
      for (QAction* a : window_->workspaces()->actions()) a->setVisible(true);
    switcher_ = nullptr;
    stage_ = nullptr;
    if (QWidget* central = window_->centralWidget()) central->show();
    for (const QPointer<QWidget>& w : hidden_)
      if (w) setRowVisible(w, true);
    hidden_.clear();
    for (const auto& [bar, mode] : tabBars_)
      if (bar) bar->setElideMode(mode);
    tabBars_.clear();
    QApplication::setPalette(savedPalette_);
    QApplication::setFont(savedFont_);
    // One event-loop turn later, once the normal font has reached every layout (the controls
    // re-measure their width then): docks sized for 1.5x text would grow the window beyond the
    // projector.
    QTimer::singleShot(0, this, [this, docks = savedDocks_] {
      if (active_) return;
      window_->restoreState(docks, Settings::kStateVersion);
      // restoreState() puts every dock back but keeps the side panel's widths.
      if (window_->workspaces()) window_->workspaces()->refit();
    });
    window_->setWindowState(savedState_);
    restoreUntil_ = QDateTime::currentMSecsSinceEpoch() + 1500;
    fitLessonsDock();
  }
  emit activeChanged(on);
}

void PresenterMode::buildStage() {
  savedDocks_ = window_->saveState(Settings::kStateVersion);
  auto* controls = window_->findChild<QDockWidget*>(QStringLiteral("controlsDock"));
  auto* lessons = window_->findChild<QDockWidget*>(QStringLiteral("lessonsDock"));
  for (QDockWidget* d : {lessons, controls}) {
    if (!d) continue;
    d->setFloating(false);
    window_->addDockWidget(Qt::RightDockWidgetArea, d);
    d->show();
  }
  if (controls && lessons) window_->tabifyDockWidget(lessons, controls);
  const bool lessonOpen = window_->lessonPlayer() && !window_->lessonPlayer()->lessonId().isEmpty();
  if (QDockWidget* front = lessonOpen ? lessons : controls) front->raise();

  // In the main toolbar, not a row of its own: every pixel of height goes to the stage.
  bar_ = new QWidget;
  bar_->setObjectName(QStringLiteral("presenterBar"));
  auto* row = new QHBoxLayout(bar_);
  row->setContentsMargins(12, 0, 0, 0);
  auto* label = new QLabel(tr("&View on the stage:"), bar_);
  switcher_ = new QComboBox(bar_);
  switcher_->setObjectName(QStringLiteral("presenterViewSwitcher"));
  switcher_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  switcher_->setToolTip(tr("The view shown large; a lesson step can change it too"));
  label->setBuddy(switcher_);
  for (const QString& name : MainWindow::viewNames()) switcher_->addItem(viewTitle(name), name);
  row->addWidget(label);
  row->addWidget(switcher_);
  // The workspaces are normal mode's arrangements (no-ops here): their buttons make room for the
  // switcher, which would otherwise be pushed behind the toolbar's overflow arrow.
  if (window_->workspaces())
    for (QAction* a : window_->workspaces()->actions()) a->setVisible(false);
  // The window always has its main toolbar (MainWindow::buildToolBar).
  if (auto* toolbar = window_->findChild<QToolBar*>(QStringLiteral("mainToolBar")))
    barAction_ = toolbar->addWidget(bar_);
  connect(switcher_, &QComboBox::activated, this,
          [this](int i) { showView(switcher_->itemData(i).toString()); });

  // What a lesson step opened last stays in view; otherwise the histogram.
  QDockWidget* first = nullptr;
  if (lessonOpen && !window_->lessonPlayer()->openedDocks().isEmpty())
    first = window_->findChild<QDockWidget*>(window_->lessonPlayer()->openedDocks().last());
  showOnStage(first);
}

void PresenterMode::showOnStage(QDockWidget* dock) {
  if (!active_) return;
  if (inSidePanel(dock)) {
    const bool lessonOpen =
        window_->lessonPlayer() && !window_->lessonPlayer()->lessonId().isEmpty();
    if (!lessonOpen || dock->objectName() == QLatin1String("lessonsDock")) dock->raise();
    return;
  }
  for (QDockWidget* d : window_->findChildren<QDockWidget*>())
    if (d != dock && !inSidePanel(d)) d->hide();
  QWidget* central = window_->centralWidget();
  if (dock) {
    // With the central widget hidden a left-area dock takes all the room beside the panel.
    if (central) central->hide();
    dock->setFloating(false);
    window_->addDockWidget(Qt::LeftDockWidgetArea, dock);
    dock->show();
  } else if (central) {
    central->show();
  }
  stage_ = dock;
  if (switcher_) {
    const QSignalBlocker block(switcher_);
    switcher_->setCurrentIndex(std::max(0, switcher_->findData(stageView())));
  }
  // Once the dock layout has taken the new stage in.
  QTimer::singleShot(0, this, &PresenterMode::fitLessonsDock);
}

void PresenterMode::showView(const QString& name) {
  QWidget* view = window_->view(name);
  if (!view) return;
  if (view == window_->centralWidget()) {
    showOnStage(nullptr);
    return;
  }
  for (QWidget* w = view; w && w != window_; w = w->parentWidget())
    if (auto* dock = qobject_cast<QDockWidget*>(w)) return showOnStage(dock);
}

QComboBox* PresenterMode::viewSwitcher() const { return switcher_; }

QString PresenterMode::stageView() const {
  if (!active_) return {};
  for (const QString& name : MainWindow::viewNames()) {
    QWidget* view = window_->view(name);
    if (!stage_ ? view == window_->centralWidget() : view && stage_->isAncestorOf(view))
      return name;
  }
  return {};
}

void PresenterMode::followCursor() {
  auto* overlay = static_cast<PointerOverlay*>(pointer_.data());
  if (!overlay) return;
  overlay->raise();
  overlay->moveTo(window_->mapFromGlobal(QCursor::pos()));
}

}  // namespace quantlab::ui
