// SPDX-License-Identifier: GPL-3.0-or-later
#include "snapshot.h"

#include <QAbstractItemView>
#include <QAbstractScrollArea>
#include <QApplication>
#include <QFileInfo>
#include <QPushButton>
#include <QScrollBar>
#include <QSpinBox>
#include <QUndoStack>
#include <algorithm>
#include <memory>

#include "exporter.h"
#include "mainwindow.h"
#include "modelsession.h"
#include "modelview.h"
#include "quant/io/tensorio.h"
#include "quant/numeric/calibrate.h"
#include "session.h"
#include "settings.h"
#include "tensorloader.h"

namespace quantlab::ui {

namespace {

// A slide shows results, so a model view's job runs to the end first, started through the view's
// own controls: its summary line then states the configuration. QAT trains one epoch on the
// first 10 000 images (a few seconds) instead of two on 60 000 (the --help text says so); the
// benchmark and the sensitivity analysis keep their defaults, about a second each on the MLP.
void runViewJob(const QString& view, QWidget* w) {
  auto set = [w](const char* name, int value) {
    if (auto* spin = w->findChild<QSpinBox*>(QLatin1String(name))) spin->setValue(value);
  };
  auto click = [w](const char* name) {
    if (auto* button = w->findChild<QPushButton*>(QLatin1String(name))) button->click();
  };
  if (view == QLatin1String("bench")) {
    click("benchRun");
  } else if (view == QLatin1String("sensitivity")) {
    click("sensitivityRun");
  } else if (view == QLatin1String("qat")) {
    set("qatEpochs", 1);
    set("qatTrainImages", 10000);
    click("qatStart");
  }
}

// Grows `target` until no scroll area inside it scrolls (the requantization steps, the number
// formats), up to kMaxSnapshotSide; a grid of 10 000 test images keeps its scroll bar.
void fitToContent(QWidget* target) {
  constexpr int kMaxSnapshotSide = 3000;
  for (int round = 0; round < 4; ++round) {
    int extraW = 0, extraH = 0;
    for (QAbstractScrollArea* area : target->findChildren<QAbstractScrollArea*>()) {
      if (!area->isVisibleTo(target)) continue;
      if (auto* items = qobject_cast<QAbstractItemView*>(area);
          items && items->verticalScrollMode() == QAbstractItemView::ScrollPerItem)
        continue;  // its scroll range counts rows, not pixels
      extraW = std::max(extraW, area->horizontalScrollBar()->maximum());
      extraH = std::max(extraH, area->verticalScrollBar()->maximum());
    }
    if (extraW == 0 && extraH == 0) return;
    const QSize want(target->width() + extraW, target->height() + extraH);
    if (want.width() > kMaxSnapshotSide || want.height() > kMaxSnapshotSide) return;
    target->resize(want);
    QApplication::processEvents();
  }
}

// The offscreen platform warns "This plugin does not support propagateSizeHints()" whenever a
// top-level widget's size limits change, which every snapshot does; the warning says nothing
// about the image, so it is dropped while a snapshot renders. Other messages pass through.
class QuietSizeHints {
 public:
  QuietSizeHints() { previous_ = qInstallMessageHandler(&QuietSizeHints::handle); }
  ~QuietSizeHints() { qInstallMessageHandler(previous_); }
  QuietSizeHints(const QuietSizeHints&) = delete;
  QuietSizeHints& operator=(const QuietSizeHints&) = delete;

 private:
  static void handle(QtMsgType type, const QMessageLogContext& context, const QString& message) {
    if (message.contains(QLatin1String("propagateSizeHints"))) return;
    if (previous_) previous_(type, context, message);
  }
  static inline QtMessageHandler previous_ = nullptr;
};

}  // namespace

void finishViewForSnapshot(const QString& view, QWidget* widget, ModelSession* ms, bool fit) {
  runViewJob(view, widget);
  for (int i = 0; i < 5; ++i) {
    ms->waitForIdle();
    QApplication::processEvents();
  }
  if (fit) fitToContent(widget);
}

QString renderSnapshot(const SnapshotRequest& r) {
  const bool whole = r.view == QLatin1String("window");
  if (!whole && !MainWindow::viewNames().contains(r.view))
    return QObject::tr("unknown view '%1' (expected window, %2)")
        .arg(r.view, MainWindow::viewNames().join(QStringLiteral(", ")));
  if (r.output.isEmpty()) return QObject::tr("--snapshot needs an output file (-o out.png)");

  const QuietSizeHints quiet;
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
  // Let layouts, chart geometry and the views' resultsChanged handlers settle, and let work a view
  // starts when it is shown (the predictions grid evaluates the test set) finish: a slide shows
  // results, not a progress bar caught at a moment that depends on the machine's speed.
  for (int i = 0; i < 5; ++i) {
    QApplication::processEvents();
    session->flush();
    window.modelSession()->waitForIdle();
  }
  // An explicit --size is the caller's; otherwise the image is as large as its content.
  if (!whole) finishViewForSnapshot(r.view, target, window.modelSession(), size != r.size);
  const QString error = exporter::savePng(target, r.output);
  target->hide();
  return error;
}

}  // namespace quantlab::ui
