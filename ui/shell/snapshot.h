// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab --snapshot: a main window (or one view of it) built offscreen over the given tensor
// and settings, every result computed to the end (no job left running), then saved as a PNG.
#pragma once

#include <QSize>
#include <QString>
#include <optional>

namespace quantlab::ui {

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

}  // namespace quantlab::ui
