// SPDX-License-Identifier: GPL-3.0-or-later
#include "sessionfile.h"

#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QObject>
#include <QSaveFile>
#include <QUndoStack>
#include <algorithm>
#include <optional>

#include "lessonactions.h"
#include "lessonplayer.h"
#include "mainwindow.h"
#include "modelsession.h"
#include "numberformatview.h"
#include "quant/base/resources.h"
#include "quant/io/tensorio.h"
#include "quant/numeric/generate.h"
#include "session.h"
#include "tensorloader.h"

namespace quantlab::ui {

namespace {

// Lives as a child of the window; forgets the source whenever the tensor changes unless the
// change announced its source (the loader's loaded() or setTensorSource right after setTensor).
class SourceTracker : public QObject {
 public:
  explicit SourceTracker(MainWindow* window) : QObject(window) {
    setObjectName(QStringLiteral("sessionSourceTracker"));
    connect(window->session(), &Session::tensorChanged, this, [this] {
      source_.kind = quant::TensorSourceKind::Values;  // unknown until told otherwise
      known_ = false;
    });
    connect(window->loader(), &TensorLoader::loaded, this,
            [this](const QString& spec, const QString&) {
              if (spec.isEmpty()) return;
              const auto [path, name] = TensorLoader::splitSpec(spec);
              quant::SessionTensorSource s;
              s.kind = quant::TensorSourceKind::File;
              s.path = QFileInfo(path).absoluteFilePath().toStdString();
              s.tensorName = name.toStdString();
              set(s);
            });
  }
  void set(const quant::SessionTensorSource& s) {
    source_ = s;
    known_ = true;
  }
  bool known() const { return known_; }
  const quant::SessionTensorSource& source() const { return source_; }

 private:
  quant::SessionTensorSource source_;  // Default: the built-in sample the window starts with
  bool known_ = true;
};

SourceTracker* tracker(MainWindow* window) {
  auto* t = window->findChild<SourceTracker*>(QStringLiteral("sessionSourceTracker"),
                                              Qt::FindDirectChildrenOnly);
  return t ? t : new SourceTracker(window);
}

QString fileError(const QString& path, const QString& message) {
  return QObject::tr("%1: %2").arg(QFileInfo(path).fileName(), message);
}

QDockWidget* dockOf(QWidget* w) {
  while (w && !qobject_cast<QDockWidget*>(w)) w = w->parentWidget();
  return qobject_cast<QDockWidget*>(w);
}

// A path relative to the session file's folder (one on another drive stays absolute).
std::string relativeTo(const QString& sessionPath, const std::string& path) {
  return QDir(QFileInfo(sessionPath).absolutePath())
      .relativeFilePath(QString::fromStdString(path))
      .toStdString();
}

// Where a path saved in the session points: relative to the session file, else (sent as two
// files into one folder, or an older file's absolute path from another machine) the file of
// that name beside the session.
QString resolveBeside(const QString& sessionPath, const std::string& saved) {
  const QDir dir = QFileInfo(sessionPath).absoluteDir();
  QString p = QString::fromStdString(saved);
  if (QFileInfo(p).isRelative()) p = dir.filePath(p);
  if (const QString beside = dir.filePath(QFileInfo(p).fileName());
      !QFileInfo::exists(p) && QFileInfo::exists(beside))
    p = beside;
  return p;
}

}  // namespace

void trackTensorSource(MainWindow* window) { (void)tracker(window); }

void setTensorSource(MainWindow* window, const quant::SessionTensorSource& source) {
  tracker(window)->set(source);
}

quant::SessionTensorSource tensorSource(MainWindow* window) {
  SourceTracker* t = tracker(window);
  if (t->known()) return t->source();
  quant::SessionTensorSource s;
  s.kind = quant::TensorSourceKind::Values;
  const quant::Tensor& tensor = window->session()->tensor();
  s.values = tensor.data;
  s.shape = tensor.shape;
  s.tensorName = tensor.name;
  return s;
}

quant::SessionState captureSession(MainWindow* window) {
  Session* session = window->session();
  quant::SessionState s;
  s.tensor = tensorSource(window);
  // A small tensor file travels with the session (see quant::kSessionEmbedMaxValues).
  if (s.tensor.kind == quant::TensorSourceKind::File &&
      session->tensor().data.size() <= quant::kSessionEmbedMaxValues) {
    s.tensor.values = session->tensor().data;
    s.tensor.shape = session->tensor().shape;
  }
  s.spec = session->spec();
  s.calibration = session->calibration();
  s.manualRange = session->manualRange();
  s.probe = session->probeValue();
  if (auto* formats = qobject_cast<NumberFormatView*>(window->view(QStringLiteral("formats")));
      formats && formats->selectedRow() >= 0 && formats->selectedRow() < formats->formatCount())
    s.formatView = formats->formatAt(formats->selectedRow()).name;
  // The view in front: the first one whose dock is shown and not behind another tab.
  for (const QString& name : MainWindow::viewNames()) {
    QWidget* v = window->view(name);
    if (v && v != window->centralWidget() && v->isVisible() && !v->visibleRegion().isEmpty()) {
      s.view = name.toStdString();
      break;
    }
  }
  for (const QString& name : MainWindow::viewNames()) {
    const QDockWidget* dock = dockOf(window->view(name));
    if (dock && !dock->isHidden()) s.openViews.push_back(name.toStdString());
  }
  if (const ModelSession* models = window->modelSession(); models && models->loaded()) {
    const auto loaded = models->loaded();
    quant::SessionModelRef ref;
    const auto& builtins = quant::builtinModelNames();
    const bool builtin =
        std::find(builtins.begin(), builtins.end(), loaded->name.toStdString()) != builtins.end();
    ref.path = builtin ? loaded->name.toStdString()
                       : QFileInfo(loaded->path).absoluteFilePath().toStdString();
    const int layer = models->selectedLayer();
    if (models->tensorFromModel() && layer >= 0 &&
        layer < static_cast<int>(loaded->fp32.layers.size()))
      ref.layer = loaded->fp32.layers[static_cast<std::size_t>(layer)].name;
    ref.activations = models->layerSource() == ModelSession::LayerSource::Activations;
    s.model = ref;
  }
  if (auto* player = window->findChild<LessonPlayer*>(); player && !player->lessonId().isEmpty())
    s.lesson = quant::SessionLessonRef{player->lessonId().toStdString(),
                                       player->language().toStdString(), player->currentStep()};
  return s;
}

QString saveSessionFile(MainWindow* window, const QString& path) {
  std::string text;
  try {
    quant::SessionState state = captureSession(window);
    // Relative to the session file, so the .qlab and its tensor (or their folder) open on
    // another machine; a path on another drive stays absolute.
    if (state.tensor.kind == quant::TensorSourceKind::File)
      state.tensor.path = relativeTo(path, state.tensor.path);
    if (state.model && !state.model->path.empty() &&
        !QFileInfo(QString::fromStdString(state.model->path)).isRelative())
      state.model->path = relativeTo(path, state.model->path);
    text = quant::writeSessionFile(state);
  } catch (const std::exception& e) {
    return fileError(path, QString::fromUtf8(e.what()));
  }
  QSaveFile file(path);
  if (!file.open(QIODevice::WriteOnly))
    return fileError(path, file.errorString());
  file.write(text.data(), static_cast<qint64>(text.size()));
  if (!file.commit()) return fileError(path, file.errorString());
  window->session()->undoStack()->setClean();  // nothing left to lose on quitting
  return {};
}

QString openSessionFile(MainWindow* window, const QString& path) {
  QFile file(path);
  if (!file.open(QIODevice::ReadOnly)) return fileError(path, file.errorString());
  if (file.size() > static_cast<qint64>(quant::kSessionMaxBytes))
    return fileError(path, QObject::tr("too large for a session file"));
  const QByteArray bytes = file.readAll();
  quant::SessionState state;
  std::optional<quant::Tensor> tensor;
  QString label;
  try {
    state = quant::parseSessionFile(std::string_view(bytes.constData(), bytes.size()));
    switch (state.tensor.kind) {
      case quant::TensorSourceKind::Default:
        tensor = Session::defaultTensor();
        label = QObject::tr("sample");
        break;
      case quant::TensorSourceKind::File: {
        // A relative path is relative to the session file, so a folder can be moved whole.
        const QString p = resolveBeside(path, state.tensor.path);
        if (!state.tensor.values.empty()) {
          // The copy the session carries is the tensor the teacher saw: no file needed.
          quant::Tensor t;
          t.name = state.tensor.tensorName.empty() ? QFileInfo(p).completeBaseName().toStdString()
                                                   : state.tensor.tensorName;
          t.dtype = "float32";
          t.shape = state.tensor.shape;
          t.data = state.tensor.values;
          tensor = std::move(t);
        } else {
          std::string spec = p.toStdString();
          if (!state.tensor.tensorName.empty()) spec += ":" + state.tensor.tensorName;
          tensor = quant::loadTensor(spec);
        }
        label = state.tensor.tensorName.empty()
                    ? QFileInfo(p).fileName()
                    : QObject::tr("%1 — %2").arg(QString::fromStdString(state.tensor.tensorName),
                                               QFileInfo(p).fileName());
        state.tensor.path = p.toStdString();
        break;
      }
      case quant::TensorSourceKind::Generator:
        tensor = quant::generate(state.tensor.generator);
        label = QString::fromStdString(quant::distributionName(state.tensor.generator.distribution));
        break;
      case quant::TensorSourceKind::Values: {
        quant::Tensor t;
        t.name = state.tensor.tensorName.empty() ? "values" : state.tensor.tensorName;
        t.dtype = "float32";
        t.shape = state.tensor.shape;
        t.data = state.tensor.values;
        tensor = std::move(t);
        label = QString::fromStdString(tensor->name);
        break;
      }
    }
  } catch (const std::exception& e) {
    return fileError(path, QString::fromUtf8(e.what()));
  }
  // Everything is valid: now the window changes.
  Session* session = window->session();
  session->setTensor(std::move(*tensor), label);
  setTensorSource(window, state.tensor);
  session->setSpec(state.spec, QObject::tr("Open session"));
  session->setCalibration(state.calibration);
  session->setManualRange(state.manualRange);
  session->setProbeValue(state.probe);
  if (!state.formatView.empty()) {
    if (auto* formats = qobject_cast<NumberFormatView*>(window->view(QStringLiteral("formats")))) {
      for (int row = 0; row < formats->formatCount(); ++row)
        if (formats->formatAt(row).name == state.formatView) formats->setSelectedRow(row);
    }
  }
  if (state.model) {
    if (ModelSession* models = window->modelSession()) {
      const QString model = QString::fromStdString(state.model->path);
      const bool builtin =
          std::find(quant::builtinModelNames().begin(), quant::builtinModelNames().end(),
                    state.model->path) != quant::builtinModelNames().end();
      const QString layer = QString::fromStdString(state.model->layer);
      const auto source = state.model->activations ? ModelSession::LayerSource::Activations
                                                   : ModelSession::LayerSource::Weights;
      // Once the model is open, its layer is the one selected; the tensor views already show it.
      auto* once = new QObject(models);
      QObject::connect(models, &ModelSession::modelLoaded, once, [models, once, layer, source] {
        if (!layer.isEmpty()) models->adoptLayer(layer, source);
        once->deleteLater();
      });
      QObject::connect(models, &ModelSession::loadFailed, once, [once] { once->deleteLater(); });
      models->openModel(builtin ? model : resolveBeside(path, state.model->path));
    }
  }
  if (state.lesson) {
    if (auto* player = window->findChild<LessonPlayer*>()) {
      player->setLanguage(QString::fromStdString(state.lesson->language));
      // The saved settings win over the step's actions: the teacher may have changed them.
      player->openLesson(QString::fromStdString(state.lesson->id), state.lesson->step,
                         /*applyActions=*/false);
    }
  }
  // After the lesson, which opens and closes the views its step names: the saved docks win.
  // The docks the teacher had open (a version 1 file does not say: they stay as they are).
  if (!state.openViews.empty()) {
    for (const QString& name : MainWindow::viewNames()) {
      const bool open = std::find(state.openViews.begin(), state.openViews.end(),
                                  name.toStdString()) != state.openViews.end();
      if (QDockWidget* dock = dockOf(window->view(name))) dock->setVisible(open);
    }
  }
  if (!state.view.empty()) raiseView(window, window->view(QString::fromStdString(state.view)));
  session->undoStack()->setClean();  // the window shows the file: nothing unsaved yet
  return {};
}

}  // namespace quantlab::ui
