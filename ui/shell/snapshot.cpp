// SPDX-License-Identifier: GPL-3.0-or-later
#include "snapshot.h"

#include <QApplication>
#include <QFileInfo>
#include <QUndoStack>
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
  // Let layouts, chart geometry and the views' resultsChanged handlers settle, and let work a view
  // starts when it is shown (the predictions grid evaluates the test set) finish: a slide shows
  // results, not a progress bar caught at a moment that depends on the machine's speed.
  for (int i = 0; i < 5; ++i) {
    QApplication::processEvents();
    session->flush();
    window.modelSession()->waitForIdle();
  }
  const QString error = exporter::savePng(target, r.output);
  target->hide();
  return error;
}

}  // namespace quantlab::ui
