// SPDX-License-Identifier: GPL-3.0-or-later
// The main window's menus and toolbar, one function per menu, in menu-bar order.
#include <QAction>
#include <QActionGroup>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QUndoStack>

#include "controlspanel.h"
#include "mainwindow.h"
#include "modelsession.h"
#include "modelview.h"
#include "presenter.h"
#include "quant/base/resources.h"
#include "session.h"
#include "sessionfile.h"
#include "settings.h"
#include "translations.h"
#include "workspaces.h"

namespace quantlab::ui {

void MainWindow::buildActions() {
  const auto [open, generate] = buildFileMenu();
  const auto [undo, redo] = buildEditMenu();
  QAction* presenter = buildViewMenu();
  buildModelMenu();
  buildLessonsMenu(presenter);
  buildHelpMenu();
  buildToolBar(open, generate, undo, redo);
}

std::pair<QAction*, QAction*> MainWindow::buildFileMenu() {
  QStyle* st = style();
  QMenu* file = menuBar()->addMenu(tr("&File"));
  QAction* open = file->addAction(st->standardIcon(QStyle::SP_DialogOpenButton), tr("&Open…"), this,
                                  &MainWindow::openDialog);
  open->setObjectName("actionOpen");
  open->setShortcut(QKeySequence::Open);
  open->setToolTip(
      tr("Open a tensor file (.npy, .npz, .safetensors, .csv) or the weights (initializers) "
         "of an .onnx model (Ctrl+O). You can also drop a file onto the window."));
  recentMenu_ = file->addMenu(tr("Open &Recent"));
  recentMenu_->setObjectName("recentMenu");
  rebuildRecentMenu();
  QAction* gen = file->addAction(st->standardIcon(QStyle::SP_FileDialogNewFolder), tr("&Generate…"),
                                 this, &MainWindow::generateDialog);
  gen->setObjectName("actionGenerate");
  gen->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_G));
  gen->setToolTip(
      tr("Make a synthetic tensor: choose a distribution, a shape and a few "
         "outliers, and watch what they do to the grid (Ctrl+G)."));
  file->addSeparator();
  QAction* openSession = file->addAction(tr("Open &Session…"), this, [this] {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open a QuantLab session"), settings_ ? settings_->lastFolder() : QDir::homePath(),
        tr("QuantLab sessions (*.qlab);;All files (*)"));
    if (path.isEmpty()) return;
    const QString error = openSessionFile(this, path);
    if (error.isEmpty())
      statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(path)), 5000);
    else
      statusBar()->showMessage(error, 15000);
  });
  openSession->setObjectName("actionOpenSession");
  openSession->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
  openSession->setToolTip(tr("Reopen a saved session: tensor, settings, view and lesson step"));
  QAction* saveSession = file->addAction(tr("Save Sessio&n…"), this, [this] {
    const QString path = saveFileName(tr("Save the session"), QStringLiteral("session.qlab"),
                                      tr("QuantLab sessions (*.qlab)"));
    if (path.isEmpty()) return;
    const QString error = saveSessionFile(this, path);
    if (error.isEmpty())
      statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    else
      showError(error);
  });
  saveSession->setObjectName("actionSaveSession");
  saveSession->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_S));
  saveSession->setToolTip(
      tr("Save what the window shows (tensor source, settings, view, lesson step) as a .qlab "
         "file to reopen in class"));
  file->addSeparator();
  QMenu* exportMenu = file->addMenu(tr("&Export"));
  QMenu* png = exportMenu->addMenu(tr("View as &PNG"));
  QMenu* svg = exportMenu->addMenu(tr("View as &SVG"));
  QStringList names = viewNames();
  names.prepend(QStringLiteral("window"));
  for (const QString& name : names) {
    const QString title = name == QLatin1String("window") ? tr("Whole window") : viewTitle(name);
    png->addAction(title, this, [this, name] { exportView(name, false); });
    svg->addAction(title, this, [this, name] { exportView(name, true); });
  }
  exportMenu->addAction(tr("&Metrics as CSV…"), this, &MainWindow::exportMetrics);
  exportMenu->addAction(tr("Quantization &parameters as JSON…"), this, &MainWindow::exportParams);
  file->addSeparator();
  QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
  quit->setObjectName("actionQuit");
  quit->setShortcuts(QKeySequence::Quit);
  return {open, gen};
}

void MainWindow::rebuildRecentMenu() {
  recentMenu_->clear();
  const QStringList recent = settings_ ? settings_->recentFiles() : QStringList();
  for (const QString& spec : recent) {
    QAction* a =
        recentMenu_->addAction(QFileInfo(spec).fileName(), this, [this, spec] { openFile(spec); });
    a->setToolTip(spec);
    a->setStatusTip(spec);
  }
  if (recent.isEmpty()) recentMenu_->addAction(tr("(no recent files)"))->setEnabled(false);
  recentMenu_->addSeparator();
  QAction* clear = recentMenu_->addAction(tr("&Clear List"), this, [this] {
    if (settings_) settings_->clearRecentFiles();
    rebuildRecentMenu();
  });
  clear->setEnabled(!recent.isEmpty());
}

std::pair<QAction*, QAction*> MainWindow::buildEditMenu() {
  QUndoStack* undo = session_->undoStack();
  QStyle* st = style();
  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  QAction* undoAction = undo->createUndoAction(this, tr("&Undo"));
  undoAction->setObjectName("actionUndo");
  undoAction->setShortcuts(QKeySequence::Undo);
  undoAction->setIcon(st->standardIcon(QStyle::SP_ArrowBack));
  undoAction->setIconText(tr("Undo"));  // the toolbar keeps its width; the menu names the step
  undoAction->setToolTip(tr("Undo the last change of the quantization settings (Ctrl+Z)"));
  QAction* redoAction = undo->createRedoAction(this, tr("&Redo"));
  redoAction->setObjectName("actionRedo");
  redoAction->setShortcuts(QKeySequence::Redo);
  redoAction->setIcon(st->standardIcon(QStyle::SP_ArrowForward));
  redoAction->setIconText(tr("Redo"));
  redoAction->setToolTip(tr("Redo the change you undid (Ctrl+Shift+Z)"));
  edit->addAction(undoAction);
  edit->addAction(redoAction);
  edit->addSeparator();
  QAction* bitsUp = edit->addAction(tr("One Bit &More"), this, [this] { controls_->stepBits(+1); });
  bitsUp->setObjectName("actionBitsUp");
  bitsUp->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Up));
  bitsUp->setShortcutContext(Qt::WindowShortcut);
  bitsUp->setToolTip(tr("Add one bit: twice the levels, half the step (Ctrl+Up)"));
  QAction* bitsDown =
      edit->addAction(tr("One Bit &Fewer"), this, [this] { controls_->stepBits(-1); });
  bitsDown->setObjectName("actionBitsDown");
  bitsDown->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Down));
  bitsDown->setToolTip(tr("Remove one bit: half the levels, twice the step (Ctrl+Down)"));
  return {undoAction, redoAction};
}

QAction* MainWindow::buildViewMenu() {
  viewMenu_ = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* dock : findChildren<QDockWidget*>())
    viewMenu_->addAction(dock->toggleViewAction());
  QAction* presenterAction = viewMenu_->addAction(tr("&Presenter Mode"));
  presenterAction->setObjectName("actionPresenter");
  presenterAction->setCheckable(true);
  presenterAction->setShortcut(QKeySequence(Qt::Key_F11));
  presenterAction->setToolTip(
      tr("Full screen, large fonts, high contrast and a pointer circle for the projector (F11)"));
  connect(presenterAction, &QAction::toggled, presenter_, &PresenterMode::setActive);
  connect(presenter_, &PresenterMode::activeChanged, presenterAction, &QAction::setChecked);

  // Native names, never translated: a user lost in a language they cannot read must still
  // find their own. The choice takes effect at the next start (a live switch would have to
  // re-label every view); "Restart now" reopens the window with the same state.
  QMenu* languageMenu = viewMenu_->addMenu(tr("&Language"));
  languageMenu->setObjectName("languageMenu");
  auto* languageGroup = new QActionGroup(languageMenu);
  const QString chosen = settings_ ? settings_->uiLanguage() : QString();
  auto addLanguage = [&](const QString& code, const QString& text) {
    QAction* a = languageMenu->addAction(text);
    a->setObjectName(QStringLiteral("actionLanguage_") + (code.isEmpty() ? "system" : code));
    a->setCheckable(true);
    a->setChecked(code == chosen);
    languageGroup->addAction(a);
    connect(a, &QAction::triggered, this, [this, code] { chooseUiLanguage(code); });
  };
  addLanguage(QString(), tr("System default"));
  languageMenu->addSeparator();
  for (const UiLanguage& l : uiLanguages()) addLanguage(l.code, l.nativeName);
  return presenterAction;
}

void MainWindow::buildModelMenu() {
  QMenu* modelMenu = menuBar()->addMenu(tr("&Model"));
  modelMenu->setObjectName("modelMenu");
  for (const std::string& n : quant::builtinModelNames()) {
    const QString name = QString::fromStdString(n);
    QAction* a =
        modelMenu->addAction(tr("Open built-in %1").arg(name.toUpper()), this, [this, name] {
          modelSession_->openModel(name);
          workspaces_->setCurrent(Workspaces::Kind::Model);
          if (auto* dock = findChild<QDockWidget*>(QStringLiteral("modelDock"))) {
            dock->show();
            dock->raise();
          }
        });
    a->setToolTip(tr("Load the shipped Fashion-MNIST classifier and build its int8 version."));
  }
  modelMenu->addSeparator();
  for (const QString& name : modelViewNames()) {
    QDockWidget* dock = findChild<QDockWidget*>(name + QLatin1String("Dock"));
    if (!dock) continue;
    modelMenu->addAction(tr("Show %1").arg(modelViewTitle(name)), this, [this, dock] {
      workspaces_->setCurrent(Workspaces::Kind::Model);
      dock->show();
      dock->raise();
    });
  }
}

void MainWindow::buildLessonsMenu(QAction* presenterAction) {
  QMenu* lessonsMenu = menuBar()->addMenu(tr("&Lessons"));
  lessonsMenu->setObjectName("lessonsMenu");
  lessonsMenu->addAction(tr("Show &Lessons"), this, [this] {
    workspaces_->setCurrent(Workspaces::Kind::Lesson);
    lessonsDock_->show();
    lessonsDock_->raise();
  });
  lessonsMenu->addAction(presenterAction);
}

void MainWindow::buildHelpMenu() {
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About QuantLab"), this, &MainWindow::about);
}

void MainWindow::buildToolBar(QAction* open, QAction* generate, QAction* undo, QAction* redo) {
  QToolBar* bar = addToolBar(tr("Main toolbar"));
  bar->setObjectName("mainToolBar");
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->setMovable(false);
  bar->addAction(open);
  bar->addAction(generate);
  bar->addSeparator();
  bar->addAction(undo);
  bar->addAction(redo);
  bar->addSeparator();
  // The workspaces also head the View menu, above the docks' own toggles.
  QAction* firstDock = viewMenu_->actions().value(0);
  for (QAction* a : workspaces_->actions()) {
    bar->addAction(a);
    viewMenu_->insertAction(firstDock, a);
  }
  viewMenu_->insertSeparator(firstDock);
  viewMenu_->addSeparator();
  viewMenu_->addAction(bar->toggleViewAction());
}

}  // namespace quantlab::ui
