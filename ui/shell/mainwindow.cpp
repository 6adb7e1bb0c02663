// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QShowEvent>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QUndoStack>
#include <QUrl>
#include <algorithm>
#include <cmath>

#include "controlspanel.h"
#include "errorview.h"
#include "exporter.h"
#include "generatordialog.h"
#include "histogramview.h"
#include "lessonplayer.h"
#include "mappingview.h"
#include "modelsession.h"
#include "modelview.h"
#include "numberformatview.h"
#include "perchannelview.h"
#include "presenter.h"
#include "quant/numeric/calibrate.h"
#include "quant/base/resources.h"
#include "quant/io/tensorio.h"
#include "translations.h"
#include "session.h"
#include "sessionfile.h"
#include "settings.h"
#include "tensorloader.h"

namespace quantlab::ui {

namespace {

QString viewTitle(const QString& name) {
  if (name == QLatin1String("formats")) return QObject::tr("Number formats");
  if (name == QLatin1String("histogram")) return QObject::tr("Histogram");
  if (name == QLatin1String("mapping")) return QObject::tr("Mapping");
  if (name == QLatin1String("channels")) return QObject::tr("Per channel");
  if (name == QLatin1String("error")) return QObject::tr("Error");
  return modelViewTitle(name);
}

QString formatValue(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? QStringLiteral("nan") : (v > 0 ? "∞" : "−∞");
  return QString::number(v, 'g', 4);
}

}  // namespace

QWidget* createView(const QString& name, Session* session, QWidget* parent) {
  if (name == QLatin1String("formats")) return new NumberFormatView(session, parent);
  if (name == QLatin1String("histogram")) return new HistogramView(session, parent);
  if (name == QLatin1String("mapping")) return new MappingView(session, parent);
  if (name == QLatin1String("channels")) return new PerChannelView(session, parent);
  if (name == QLatin1String("error")) return new ErrorView(session, parent);
  return nullptr;
}

QStringList MainWindow::viewNames() {
  return QStringList{QStringLiteral("formats"), QStringLiteral("histogram"),
                     QStringLiteral("mapping"), QStringLiteral("channels"),
                     QStringLiteral("error")} +
         modelViewNames();
}

MainWindow::MainWindow(QWidget* parent) : MainWindow(std::make_unique<Settings>(), parent) {}

MainWindow::MainWindow(std::unique_ptr<Settings> settings, QWidget* parent)
    : QMainWindow(parent),
      settings_(std::move(settings)),
      session_(new Session(this)),
      loader_(new TensorLoader(session_, this, this)) {
  setObjectName("MainWindow");
  setWindowTitle(tr("QuantLab"));
  setAcceptDrops(true);
  setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
  setDocumentMode(true);

  // The views start from real results rather than the empty state before the first
  // recomputation (no flash of empty charts; axes are safe either way: chartstyle::setAxisRange).
  session_->flush();
  buildViews();
  buildActions();
  buildStatusBar();

  connect(loader_, &TensorLoader::loaded, this, [this](const QString& spec, const QString& label) {
    if (settings_ && !spec.isEmpty()) {
      settings_->addRecentFile(spec);
      rebuildRecentMenu();
    }
    statusBar()->showMessage(tr("Loaded %1").arg(label), 5000);
  });
  connect(loader_, &TensorLoader::failed, this, &MainWindow::showError);
  connect(loader_, &TensorLoader::canceled, this,
          [this] { statusBar()->showMessage(tr("Loading cancelled"), 5000); });
  connect(controls_, &ControlsPanel::errorMessage, this,
          [this](const QString& m) { statusBar()->showMessage(m, 8000); });
  connect(session_, &Session::resultsChanged, this, &MainWindow::updateStatus);
  connect(session_, &Session::tensorChanged, this, &MainWindow::updateStatus);

  resize(1280, 720);
  bool geometryRestored = false;
  if (settings_) {
    geometryRestored = restoreGeometry(settings_->windowGeometry());
    stateRestored_ = restoreState(settings_->windowState(), Settings::kStateVersion);
  }
  if (settings_ && !geometryRestored && screen()) {
    // First run: 90% of the screen, but never less than 1280x720 where the screen has room for
    // it, so a 1280x720 projector gets the whole screen and a 1920x1080 one the wide layout.
    const QRect avail = screen()->availableGeometry();
    const QSize want =
        QSize(std::max(1280, avail.width() * 9 / 10), std::max(720, avail.height() * 9 / 10))
            .boundedTo(avail.size());
    resize(want);
    move(avail.center() - QPoint(want.width() / 2, want.height() / 2));
  }
  updateStatus();
}

MainWindow::~MainWindow() = default;

QDockWidget* MainWindow::addDock(QWidget* widget, const QString& title, const QString& objectName,
                                 Qt::DockWidgetArea area) {
  auto* dock = new QDockWidget(title, this);
  dock->setObjectName(objectName);
  dock->setWidget(widget);
  dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                    QDockWidget::DockWidgetClosable);
  addDockWidget(area, dock);
  return dock;
}

void MainWindow::buildViews() {
  // The histogram is the centre of attention: data, grid and clipping range in one picture.
  QWidget* histogram = createView(QStringLiteral("histogram"), session_, this);
  views_[QStringLiteral("histogram")] = histogram;
  setCentralWidget(histogram);

  controls_ = new ControlsPanel(session_);
  auto* scroll = new QScrollArea;
  scroll->setObjectName("controlsScroll");
  scroll->setWidget(controls_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setMinimumWidth(controls_->sizeHint().width() + 16);
  QDockWidget* controlsDock =
      addDock(scroll, tr("Quantization"), "controlsDock", Qt::LeftDockWidgetArea);

  auto makeDock = [this](const QString& name, const char* objectName, Qt::DockWidgetArea area) {
    QWidget* v = createView(name, session_, nullptr);
    views_[name] = v;
    // A dock smaller than the view's minimum scrolls instead of forcing the whole window
    // beyond a 1280x720 screen.
    auto* scroll = new QScrollArea;
    scroll->setObjectName(QLatin1String(objectName) + QLatin1String("Scroll"));
    scroll->setWidget(v);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    return addDock(scroll, viewTitle(name), QLatin1String(objectName), area);
  };
  mappingDock_ = makeDock("mapping", "mappingDock", Qt::RightDockWidgetArea);
  formatsDock_ = makeDock("formats", "formatsDock", Qt::RightDockWidgetArea);
  errorDock_ = makeDock("error", "errorDock", Qt::BottomDockWidgetArea);
  channelsDock_ = makeDock("channels", "channelsDock", Qt::BottomDockWidgetArea);
  tabifyDockWidget(mappingDock_, formatsDock_);
  tabifyDockWidget(errorDock_, channelsDock_);
  mappingDock_->raise();
  errorDock_->raise();
  // The bottom area spans only the centre, so the controls keep the full height.
  setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
  setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
  controlsDock_ = controlsDock;
  buildModelDocks();
  // Lessons: on the right, next to the views a step talks about; the player drives the window.
  trackTensorSource(this);
  lessonPlayer_ = new LessonPlayer(this);
  // The lessons follow the interface language when it was chosen in View > Language.
  if (currentUiLanguage() != QLatin1String("en")) lessonPlayer_->setLanguage(currentUiLanguage());
  lessonsDock_ = addDock(lessonPlayer_, tr("Lessons"), "lessonsDock", Qt::RightDockWidgetArea);
  presenter_ = new PresenterMode(this);
}

void MainWindow::buildModelDocks() {
  // The model workspace shares the bottom area as tabs behind the error view, so the default
  // layout is unchanged; the first time one of its views is shown the built-in MLP opens.
  modelSession_ = new ModelSession(session_, this);
  QDockWidget* previous = errorDock_;
  for (const auto& [name, widget] : createModelViews(modelSession_)) {
    views_[name] = widget;
    // As for the other docks: a dock smaller than the view scrolls instead of growing the window.
    auto* scroll = new QScrollArea;
    scroll->setObjectName(name + QLatin1String("DockScroll"));
    scroll->setWidget(widget);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    QDockWidget* dock = addDock(scroll, modelViewTitle(name), name + QLatin1String("Dock"),
                                Qt::BottomDockWidgetArea);
    tabifyDockWidget(previous, dock);
    previous = dock;
    connect(dock, &QDockWidget::visibilityChanged, this, [this](bool visible) {
      if (visible && !modelSession_->hasModel() && !modelSession_->busy())
        modelSession_->openModel(QStringLiteral("mlp"));
    });
  }
  errorDock_->raise();
  connect(modelSession_, &ModelSession::loadFailed, this, &MainWindow::showError);
  connect(modelSession_, &ModelSession::jobFailed, this, &MainWindow::showError);
}

void MainWindow::applyDefaultLayout() {
  const int w = width(), h = height();
  if (w < 1600) {
    // A 1280x720 projector has no room for a third column next to the histogram: the other
    // views share the bottom area as tabs, the mapping (scale and zero point) in front.
    tabifyDockWidget(errorDock_, mappingDock_);
    tabifyDockWidget(errorDock_, formatsDock_);
    mappingDock_->raise();
    resizeDocks({controlsDock_}, {300}, Qt::Horizontal);
    resizeDocks({mappingDock_}, {std::max(330, h * 47 / 100)}, Qt::Vertical);
  } else {
    // Proportional sizes, so the histogram keeps the most room.
    resizeDocks({controlsDock_, mappingDock_},
                {std::clamp(w / 5, 300, 380), std::clamp(w * 32 / 100, 440, 720)}, Qt::Horizontal);
    resizeDocks({errorDock_}, {std::max(280, h * 42 / 100)}, Qt::Vertical);
  }
}

void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  if (!layoutApplied_) {
    layoutApplied_ = true;
    if (!stateRestored_) applyDefaultLayout();
  }
}

void MainWindow::buildActions() {
  QUndoStack* undo = session_->undoStack();
  QStyle* st = style();

  // ---- File ----
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

  // ---- Edit ----
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

  // ---- View ----
  viewMenu_ = menuBar()->addMenu(tr("&View"));
  for (QDockWidget* dock : findChildren<QDockWidget*>())
    viewMenu_->addAction(dock->toggleViewAction());

  // ---- Model ----
  QMenu* modelMenu = menuBar()->addMenu(tr("&Model"));
  modelMenu->setObjectName("modelMenu");
  for (const std::string& n : quant::builtinModelNames()) {
    const QString name = QString::fromStdString(n);
    QAction* a =
        modelMenu->addAction(tr("Open built-in %1").arg(name.toUpper()), this, [this, name] {
          modelSession_->openModel(name);
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
    modelMenu->addAction(tr("Show %1").arg(modelViewTitle(name)), this, [dock] {
      dock->show();
      dock->raise();
    });
  }

  // ---- Lessons ----
  QMenu* lessonsMenu = menuBar()->addMenu(tr("&Lessons"));
  lessonsMenu->setObjectName("lessonsMenu");
  lessonsMenu->addAction(tr("Show &Lessons"), this, [this] {
    lessonsDock_->show();
    lessonsDock_->raise();
  });
  QAction* presenterAction = viewMenu_->addAction(tr("&Presenter Mode"));
  presenterAction->setObjectName("actionPresenter");
  presenterAction->setCheckable(true);
  presenterAction->setShortcut(QKeySequence(Qt::Key_F11));
  presenterAction->setToolTip(
      tr("Full screen, large fonts, high contrast and a pointer circle for the projector (F11)"));
  connect(presenterAction, &QAction::toggled, presenter_, &PresenterMode::setActive);
  connect(presenter_, &PresenterMode::activeChanged, presenterAction, &QAction::setChecked);
  lessonsMenu->addAction(presenterAction);

  // ---- View > Language ----
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

  // ---- Help ----
  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(tr("&About QuantLab"), this, &MainWindow::about);

  // ---- Toolbar ----
  QToolBar* bar = addToolBar(tr("Main toolbar"));
  bar->setObjectName("mainToolBar");
  bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
  bar->setMovable(false);
  bar->addAction(open);
  bar->addAction(gen);
  bar->addSeparator();
  bar->addAction(undoAction);
  bar->addAction(redoAction);
  viewMenu_->addSeparator();
  viewMenu_->addAction(bar->toggleViewAction());
}

void MainWindow::chooseUiLanguage(const QString& code) {
  if (settings_) {
    settings_->setUiLanguage(code);
    settings_->sync();
  }
  const QString target = resolveUiLanguage(code);
  if (target == currentUiLanguage()) return;
  QString name = target;
  for (const UiLanguage& l : uiLanguages())
    if (l.code == target) name = l.nativeName;
  QMessageBox box(QMessageBox::Question, tr("Language"),
                  tr("QuantLab will speak %1 from the next start. Restart now? The tensor, "
                     "settings, view and lesson step are kept.")
                      .arg(name),
                  QMessageBox::NoButton, this);
  QPushButton* restart = box.addButton(tr("&Restart Now"), QMessageBox::AcceptRole);
  box.addButton(tr("&Later"), QMessageBox::RejectRole);
  box.setDefaultButton(restart);
  box.exec();
  if (box.clickedButton() != restart) return;
  // The state travels as a session file the new process opens.
  const QString path = QDir(QDir::tempPath())
                           .filePath(QStringLiteral("quantlab-restart-%1.qlab")
                                         .arg(QCoreApplication::applicationPid()));
  QStringList args{QStringLiteral("--language"), target};
  const QString error = saveSessionFile(this, path);
  if (error.isEmpty()) args << path;
  if (!QProcess::startDetached(QCoreApplication::applicationFilePath(), args)) {
    QMessageBox::warning(this, tr("Language"),
                         tr("Could not start %1; restart QuantLab by hand.")
                             .arg(QCoreApplication::applicationFilePath()));
    return;
  }
  close();
}

void MainWindow::buildStatusBar() {
  tensorLabel_ = new QLabel(this);
  tensorLabel_->setObjectName("statusTensor");
  tensorLabel_->setToolTip(
      tr("The tensor being quantized: name, shape, dtype in its file and "
         "number of values."));
  paramsLabel_ = new QLabel(this);
  paramsLabel_->setObjectName("statusParams");
  paramsLabel_->setToolTip(
      tr("Scale: the real-valued size of one integer step (x ≈ scale · (q − zero point)).\n"
         "Zero point: the integer code that stands for real 0, so zero is stored exactly."));
  sqnrLabel_ = new QLabel(this);
  sqnrLabel_->setObjectName("statusSqnr");
  sqnrLabel_->setToolTip(
      tr("SQNR: signal-to-quantization-noise ratio, 20·log10(‖x‖ / ‖x − x̂‖) in dB. Higher is "
         "better; each extra bit adds about 6 dB for a well-used grid."));
  statusBar()->addPermanentWidget(tensorLabel_);
  statusBar()->addPermanentWidget(paramsLabel_);
  statusBar()->addPermanentWidget(sqnrLabel_);
}

void MainWindow::updateStatus() {
  const quant::Tensor& t = session_->tensor();
  const QLocale locale;
  setWindowTitle(tr("%1 — QuantLab").arg(session_->tensorLabel()));
  tensorLabel_->setText(tr("%1  ·  %2 %3  ·  %4 values")
                            .arg(session_->tensorLabel(), QString::fromStdString(t.shapeString()),
                                 QString::fromStdString(t.dtype),
                                 locale.toString(static_cast<qlonglong>(t.data.size()))));
  const QString error = session_->lastError();
  if (!error.isEmpty()) {
    paramsLabel_->setText(tr("scale —"));
    sqnrLabel_->setText(tr("SQNR —"));
    statusBar()->showMessage(tr("Cannot quantize: %1").arg(error));
    showingSessionError_ = true;
    return;
  }
  if (showingSessionError_) {
    statusBar()->clearMessage();
    showingSessionError_ = false;
  }
  const quant::QuantParams& p = session_->params();
  if (p.scales.size() == 1) {
    paramsLabel_->setText(tr("scale %1  ·  zero point %2")
                              .arg(formatValue(p.scales[0]))
                              .arg(p.zeroPoints.empty() ? 0 : p.zeroPoints[0]));
  } else if (!p.scales.empty()) {
    float lo = p.scales[0], hi = p.scales[0];
    for (float s : p.scales) {
      lo = std::min(lo, s);
      hi = std::max(hi, s);
    }
    paramsLabel_->setText(
        tr("%1 scales %2 … %3").arg(p.scales.size()).arg(formatValue(lo), formatValue(hi)));
  } else {
    paramsLabel_->clear();
  }
  sqnrLabel_->setText(tr("SQNR %1 dB").arg(session_->metrics().sqnrDb, 0, 'f', 1));
}

void MainWindow::showError(const QString& message) {
  statusBar()->showMessage(message, 15000);
  // Non-blocking, so a failed load never stalls the event loop (or a test).
  auto* box = new QMessageBox(QMessageBox::Warning, tr("Cannot open the file"), message,
                              QMessageBox::Ok, this);
  box->setObjectName("loadErrorBox");
  box->setInformativeText(tr("The previous tensor is still loaded."));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
}

void MainWindow::openFile(const QString& spec) {
  const QString path = TensorLoader::splitSpec(spec).first;
  if (settings_) settings_->setLastFolder(QFileInfo(path).absolutePath());
  // Session files arrive here too (command line, drag and drop, the desktop's MIME association).
  if (spec.endsWith(QLatin1String(".qlab"), Qt::CaseInsensitive)) {
    const QString error = openSessionFile(this, spec);
    if (error.isEmpty())
      statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(spec)), 5000);
    else
      showError(error);
    return;
  }
  loader_->open(spec);
}

void MainWindow::openDialog() {
  const QString path = QFileDialog::getOpenFileName(
      this, tr("Open a tensor"), settings_ ? settings_->lastFolder() : QDir::homePath(),
      tr("Tensor files (*.npy *.npz *.safetensors *.onnx *.csv *.tsv *.txt);;"
         "NumPy (*.npy *.npz);;safetensors (*.safetensors);;ONNX model weights (*.onnx);;"
         "Text tables (*.csv *.tsv *.txt);;All files (*)"));
  if (!path.isEmpty()) openFile(path);
}

void MainWindow::generateDialog() {
  GeneratorDialog dialog(this);
  if (dialog.exec() == QDialog::Accepted) loader_->generate(dialog.spec());
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

QWidget* MainWindow::view(const QString& name) const {
  const auto it = views_.find(name);
  return it == views_.end() ? nullptr : it->second;
}

QString MainWindow::saveFileName(const QString& title, const QString& suggested,
                                 const QString& filter) {
  const QString folder = settings_ ? settings_->lastFolder() : QDir::homePath();
  const QString path =
      QFileDialog::getSaveFileName(this, title, QDir(folder).filePath(suggested), filter);
  if (!path.isEmpty() && settings_) settings_->setLastFolder(QFileInfo(path).absolutePath());
  return path;
}

void MainWindow::exportView(const QString& name, bool svg) {
  QWidget* w = name == QLatin1String("window") ? this : view(name);
  const QString ext = svg ? QStringLiteral("svg") : QStringLiteral("png");
  const QString path = saveFileName(svg ? tr("Export view as SVG") : tr("Export view as PNG"),
                                    QStringLiteral("quantlab-%1.%2").arg(name, ext),
                                    svg ? tr("SVG images (*.svg)") : tr("PNG images (*.png)"));
  if (path.isEmpty()) return;
  const QString error = svg ? exporter::saveSvg(w, path) : exporter::savePng(w, path);
  if (error.isEmpty())
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
  else
    showError(error);
}

void MainWindow::exportMetrics() {
  const QString path = saveFileName(tr("Export metrics as CSV"), QStringLiteral("metrics.csv"),
                                    tr("CSV files (*.csv)"));
  if (path.isEmpty()) return;
  const QString error = exporter::saveMetricsCsv(*session_, path);
  if (error.isEmpty())
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
  else
    showError(error);
}

void MainWindow::exportParams() {
  const QString path = saveFileName(tr("Export quantization parameters as JSON"),
                                    QStringLiteral("params.json"), tr("JSON files (*.json)"));
  if (path.isEmpty()) return;
  const QString error = exporter::saveParamsJson(*session_, path);
  if (error.isEmpty())
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
  else
    showError(error);
}

void MainWindow::about() {
  QMessageBox::about(
      this, tr("About QuantLab"),
      tr("<h3>QuantLab %1</h3><p>See what quantization does to a tensor: pick a bit width, a "
         "scheme, a granularity and a calibration method, and every view shows the grid, the "
         "clipping and the error.</p><p>License: GPL-3.0-or-later.</p>")
          .arg(QApplication::applicationVersion()));
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (settings_) {
    settings_->setWindowGeometry(saveGeometry());
    settings_->setWindowState(saveState(Settings::kStateVersion));
    settings_->sync();
  }
  QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  const QMimeData* mime = event->mimeData();
  if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().first().isLocalFile())
    event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  const QList<QUrl> urls = event->mimeData()->urls();
  if (urls.isEmpty() || !urls.first().isLocalFile()) return;
  event->acceptProposedAction();
  openFile(urls.first().toLocalFile());
}

// ---- snapshot ----

QString renderSnapshot(const SnapshotRequest& r) {
  const bool whole = r.view == QLatin1String("window");
  if (!whole && !MainWindow::viewNames().contains(r.view))
    return QObject::tr("unknown view '%1' (expected window, %2)")
        .arg(r.view, MainWindow::viewNames().join(QStringLiteral(", ")));
  if (r.output.isEmpty()) return QObject::tr("--snapshot needs an output file (-o out.png)");

  MainWindow window(std::unique_ptr<Settings>{});
  Session* session = window.session();
  try {
    if (!r.tensor.isEmpty()) {
      quant::Tensor t = quant::loadTensor(r.tensor.toStdString());
      const auto [path, name] = TensorLoader::splitSpec(r.tensor);
      const QString file = QFileInfo(path).fileName();
      session->setTensor(std::move(t),
                         name.isEmpty() ? file : QObject::tr("%1 — %2").arg(name, file));
    }
    quant::QuantSpec spec = session->spec();
    if (r.bits) spec.bits = *r.bits;
    if (r.scheme == QLatin1String("symmetric"))
      spec.scheme = quant::Scheme::Symmetric;
    else if (r.scheme == QLatin1String("asymmetric"))
      spec.scheme = quant::Scheme::Asymmetric;
    else if (!r.scheme.isEmpty())
      return QObject::tr("unknown scheme '%1' (expected symmetric or asymmetric)").arg(r.scheme);
    if (r.isUnsigned) spec.isSigned = false;
    if (!r.granularity.isEmpty()) quant::parseGranularity(r.granularity.toStdString(), spec);
    session->setSpec(spec, QObject::tr("Command line"));
    if (!r.calibration.isEmpty())
      session->setCalibration(quant::parseCalibration(r.calibration.toStdString()));
  } catch (const quant::Error& e) {
    return QString::fromStdString(e.what());
  }
  session->undoStack()->clear();  // the command-line settings are the starting point
  session->flush();
  if (!session->lastError().isEmpty()) return session->lastError();

  QWidget* target = &window;
  std::unique_ptr<QWidget> standalone;
  if (!whole) {
    // A view alone, at a slide-friendly size, over the same session.
    standalone.reset(createView(r.view, session, nullptr));
    if (!standalone) {
      // A model view: over the window's model workspace, with the built-in MLP open.
      standalone.reset(createModelView(r.view, window.modelSession()));
      window.modelSession()->openModel(QStringLiteral("mlp"));
      window.modelSession()->waitForIdle();
      QApplication::processEvents();
    }
    target = standalone.get();
  }
  const QSize size =
      r.size.isValid() && !r.size.isEmpty() ? r.size : (whole ? QSize(1280, 720) : QSize(900, 560));
  target->setAttribute(Qt::WA_DontShowOnScreen);
  target->resize(size);
  target->show();
  // Let layouts, chart geometry and the views' resultsChanged handlers settle.
  for (int i = 0; i < 5; ++i) {
    QApplication::processEvents();
    session->flush();
  }
  const QString error = exporter::savePng(target, r.output);
  target->hide();
  return error;
}

}  // namespace quantlab::ui
