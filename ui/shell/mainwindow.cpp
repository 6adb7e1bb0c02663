// SPDX-License-Identifier: GPL-3.0-or-later
#include "mainwindow.h"

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
#include <QMessageBox>
#include <QMimeData>
#include <QProcess>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QShowEvent>
#include <QStatusBar>
#include <QUndoStack>
#include <QUrl>
#include <algorithm>
#include <cmath>

#include "controlspanel.h"
#include "elidedlabel.h"
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
#include "session.h"
#include "sessionfile.h"
#include "settings.h"
#include "tensorloader.h"
#include "translations.h"
#include "workspaces.h"

namespace quantlab::ui {

namespace {

QString formatValue(double v) {
  if (!std::isfinite(v)) return std::isnan(v) ? QStringLiteral("nan") : (v > 0 ? "∞" : "−∞");
  return QString::number(v, 'g', 4);
}

}  // namespace

QString viewTitle(const QString& name) {
  if (name == QLatin1String("formats")) return QObject::tr("Number formats");
  if (name == QLatin1String("histogram")) return QObject::tr("Histogram");
  if (name == QLatin1String("mapping")) return QObject::tr("Mapping");
  if (name == QLatin1String("channels")) return QObject::tr("Per channel");
  if (name == QLatin1String("error")) return QObject::tr("Error");
  return modelViewTitle(name);
}

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
  // Lessons: on the right of the views a step talks about; the player drives the window.
  trackTensorSource(this);
  lessonPlayer_ = new LessonPlayer(this);
  // The lessons follow the interface language when it was chosen in View > Language.
  if (currentUiLanguage() != QLatin1String("en")) lessonPlayer_->setLanguage(currentUiLanguage());
  lessonsDock_ = addDock(lessonPlayer_, tr("Lessons"), "lessonsDock", Qt::RightDockWidgetArea);
  presenter_ = new PresenterMode(this);
  workspaces_ = new Workspaces(this);
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
  if (width() < 1600) {
    // A 1280x720 projector has no room for a third column next to the histogram: the tensor
    // views share the bottom area as tabs, the mapping (scale and zero point) in front.
    tabifyDockWidget(errorDock_, mappingDock_);
    tabifyDockWidget(errorDock_, formatsDock_);
  }
  workspaces_->setCurrent(Workspaces::Kind::Tensor);
}

void MainWindow::showEvent(QShowEvent* event) {
  QMainWindow::showEvent(event);
  if (!layoutApplied_) {
    layoutApplied_ = true;
    if (!stateRestored_) {
      applyDefaultLayout();
    } else if (lessonsDock_->isVisible()) {
      // The restored docks decide which workspace the toolbar marks.
      workspaces_->setCurrent(Workspaces::Kind::Lesson);
    } else if (!controlsDock_->isVisible()) {
      workspaces_->setCurrent(Workspaces::Kind::Model);
    }
  }
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
  const QString path =
      QDir(QDir::tempPath())
          .filePath(
              QStringLiteral("quantlab-restart-%1.qlab").arg(QCoreApplication::applicationPid()));
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
  tensorLabel_ = new ElidedLabel(this);
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
                                 locale.toString(static_cast<qlonglong>(session_->valueCount()))));
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
  // A tensor every value of which is on the grid has no error: SQNR is infinite, not "inf dB".
  const double sqnr = session_->metrics().sqnrDb;
  const QString sqnrText = std::isfinite(sqnr) ? tr("SQNR %1 dB").arg(sqnr, 0, 'f', 1)
                                               : tr("SQNR ∞ (exact: no rounding error)");
  sqnrLabel_->setText(session_->metricsSampled() ? tr("%1 (sample)").arg(sqnrText) : sqnrText);
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

bool MainWindow::confirmClose() {
  if (session_->undoStack()->isClean()) return true;
  QMessageBox box(QMessageBox::Question, tr("Unsaved changes"),
                  tr("The window has changes that are not saved in a session file. Save them "
                     "before closing?"),
                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
  box.setObjectName("unsavedChangesBox");
  box.setDefaultButton(QMessageBox::Save);
  switch (box.exec()) {
    case QMessageBox::Discard:
      return true;
    case QMessageBox::Save:
      // The save action asks for the file; cancelling that dialog keeps the window open.
      findChild<QAction*>(QStringLiteral("actionSaveSession"))->trigger();
      return session_->undoStack()->isClean();
    default:
      return false;
  }
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (!confirmClose()) {
    event->ignore();
    return;
  }
  if (settings_) {
    settings_->setWindowGeometry(saveGeometry());
    // Closed in presenter mode: the next start gets the normal layout, not the stage.
    const QByteArray presenterFound = presenter_->savedDockState();
    settings_->setWindowState(presenterFound.isEmpty() ? saveState(Settings::kStateVersion)
                                                       : presenterFound);
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

}  // namespace quantlab::ui
