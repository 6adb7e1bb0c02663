// SPDX-License-Identifier: GPL-3.0-or-later
// The requantization walkthrough: how one int8 output value of a Linear or Conv2d layer is made,
// step, from the numbers of the real int8 run (quant::runInt8 with an Int8Trace): the int8 inputs
// and weights, the int32 accumulator with its zero-point correction and bias, the real multiplier
// M = s_in·s_w/s_out, its Q31 mantissa and shift, the fixed-point multiply, the output zero point
// and clamp, and the int8 result. The numbers come from ModelSession::requantTrace (the traced
// kernel, the reference GEMM and core's fixed-point functions); this view only lays them out.
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QSpinBox;

namespace quantlab::ui {

class ModelSession;

class RequantView : public QWidget {
  Q_OBJECT
 public:
  explicit RequantView(ModelSession* ms, QWidget* parent = nullptr);
  // The walkthrough text shown now (plain text, for tests).
  QString walkthroughText() const;
  void setPosition(int sample, int column, int pixel = 0);

 private:
  void rebuildLayers();
  void rebuild();
  ModelSession* ms_;
  QComboBox* layer_;
  QSpinBox* sample_;
  QSpinBox* pixel_;
  QSpinBox* column_;
  QLabel* text_;
};

}  // namespace quantlab::ui
