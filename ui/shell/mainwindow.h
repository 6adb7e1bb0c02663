// SPDX-License-Identifier: GPL-3.0-or-later
// The QuantLab main window. It only assembles docks, menus and actions around one Session;
// each view lives in its own class and every number comes from core/ through the Session.
#pragma once

#include <QMainWindow>
#include <QStringList>
#include <map>
#include <memory>
#include <utility>

class QAction;
class QDockWidget;
class QLabel;
class QMenu;

namespace quantlab::ui {

class ControlsPanel;
class LessonPlayer;
class PresenterMode;
class ModelSession;
class Session;
class Settings;
class TensorLoader;
class Workspaces;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  // Uses the application's persistent settings.
  explicit MainWindow(QWidget* parent = nullptr);
  // `settings` == nullptr: nothing is restored or saved (snapshots).
  explicit MainWindow(std::unique_ptr<Settings> settings, QWidget* parent = nullptr);
  ~MainWindow() override;

  Session* session() const { return session_; }
  TensorLoader* loader() const { return loader_; }
  ControlsPanel* controls() const { return controls_; }
  // The model workspace (the Model menu and the model, bench, predictions, sensitivity and
  // requant views); it opens the built-in MLP the first time one of those views is shown.
  ModelSession* modelSession() const { return modelSession_; }
  LessonPlayer* lessonPlayer() const { return lessonPlayer_; }
  PresenterMode* presenter() const { return presenter_; }
  // Normal mode's Tensor, Model and Lesson arrangements of the docks (workspaces.h).
  Workspaces* workspaces() const { return workspaces_; }
  Settings* settings() const { return settings_.get(); }

  // Opens "FILE" or "FILE:NAME" in the background (see TensorLoader).
  void openFile(const QString& spec);
  // The view called `name` (one of viewNames()), or nullptr.
  QWidget* view(const QString& name) const;
  // "formats", "histogram", "mapping", "channels", "error", then the model views "model",
  // "bench", "predictions", "sensitivity", "requant".
  static QStringList viewNames();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  // True when the window may close: nothing unsaved, or the user saved or discarded it.
  bool confirmClose();
  void buildViews();
  // Dock placement below 1600 px and the Tensor workspace, when no saved layout exists.
  void applyDefaultLayout();
  // The menus and the toolbar (menus.cpp). The File and Edit menus return the actions the
  // toolbar repeats: {open, generate} and {undo, redo}; the View menu its presenter-mode
  // action, which the Lessons menu offers too.
  void buildActions();
  std::pair<QAction*, QAction*> buildFileMenu();
  std::pair<QAction*, QAction*> buildEditMenu();
  QAction* buildViewMenu();
  void buildModelMenu();
  void buildLessonsMenu(QAction* presenterAction);
  void buildHelpMenu();
  void buildToolBar(QAction* open, QAction* generate, QAction* undo, QAction* redo);
  void buildStatusBar();
  void openDialog();
  void generateDialog();
  void exportView(const QString& name, bool svg);
  void exportMetrics();
  void exportParams();
  void rebuildRecentMenu();
  void updateStatus();
  void showError(const QString& message);
  void about();
  // View > Language: stores the choice ("" = the system's) and offers to restart in it.
  void chooseUiLanguage(const QString& code);
  QDockWidget* addDock(QWidget* widget, const QString& title, const QString& objectName,
                       Qt::DockWidgetArea area);
  QString saveFileName(const QString& title, const QString& suggested, const QString& filter);

  std::unique_ptr<Settings> settings_;
  Session* session_;
  TensorLoader* loader_;
  ControlsPanel* controls_ = nullptr;
  std::map<QString, QWidget*> views_;
  QMenu* recentMenu_ = nullptr;
  QMenu* viewMenu_ = nullptr;
  QLabel* tensorLabel_ = nullptr;
  QLabel* paramsLabel_ = nullptr;
  QLabel* sqnrLabel_ = nullptr;
  bool showingSessionError_ = false;
  QDockWidget* controlsDock_ = nullptr;
  QDockWidget* mappingDock_ = nullptr;
  QDockWidget* formatsDock_ = nullptr;
  QDockWidget* errorDock_ = nullptr;
  QDockWidget* channelsDock_ = nullptr;
  ModelSession* modelSession_ = nullptr;
  LessonPlayer* lessonPlayer_ = nullptr;
  PresenterMode* presenter_ = nullptr;
  Workspaces* workspaces_ = nullptr;
  QDockWidget* lessonsDock_ = nullptr;
  void buildModelDocks();
  bool stateRestored_ = false;
  bool layoutApplied_ = false;
};

// The title of the view `name` (see MainWindow::viewNames()): its dock's and the Export menu's.
QString viewTitle(const QString& name);
// Makes the view `name` (see MainWindow::viewNames()) over `session`; nullptr for an unknown name.
QWidget* createView(const QString& name, Session* session, QWidget* parent = nullptr);

}  // namespace quantlab::ui
