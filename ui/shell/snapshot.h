// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab --snapshot: a main window (or one view of it) built offscreen over the given tensor
// and settings, every result computed to the end (a model view's job included, no job left
// running) and sized to its content, then saved as a PNG.
#pragma once

#include <QSize>
#include <QString>
#include <optional>

class QWidget;

namespace quantlab::ui {

class ModelSession;

struct SnapshotRequest {
  QString view = QStringLiteral("window");  // "window" or one of MainWindow::viewNames()
  QString output;                           // .png path
  QString tensor;                           // "FILE[:NAME]"; empty = the built-in sample
  QSize size;                               // empty = 1280x720 (window) / 900x560 (a view)
  std::optional<int> bits;
  QString scheme;  // "symmetric" | "asymmetric" | empty
  bool isUnsigned = false;
  QString granularity;  // "tensor" | "channel:AXIS" | "group:AXIS:SIZE" | empty
  QString calibration;  // quant::parseCalibration syntax | empty
};
// Returns an empty string on success, otherwise a one-line error message.
QString renderSnapshot(const SnapshotRequest& request);

// The step before the picture, for a shown view `view` named by MainWindow::viewNames(): a model
// view's job (benchmark, sensitivity analysis, a short QAT run) is started through the view's own
// controls and run to the end; with `fit` the widget then grows until nothing in it scrolls
// (except a grid too large for one image).
void finishViewForSnapshot(const QString& view, QWidget* widget, ModelSession* ms, bool fit);

}  // namespace quantlab::ui
