// SPDX-License-Identifier: GPL-3.0-or-later
// The requantization walkthrough: how one int8 output value of a Linear or Conv2d layer is made,
// step, from the numbers of the real int8 run (quant::runInt8 with an Int8Trace): the int8 inputs
// and weights, the int32 accumulator with its zero-point correction and bias, the real multiplier
// M = s_in·s_w/s_out, its Q31 mantissa and shift, the fixed-point multiply, the output zero point
// and clamp, and the int8 result. The numbers come from ModelSession::requantTrace (the traced
// kernel, the reference GEMM and core's fixed-point functions); this view only lays them out.
#pragma once

#include <QWidget>

#include "quant/nn/model.h"
#include <utility>
#include <vector>

class QComboBox;
class QGridLayout;
class QLabel;
class QScrollArea;
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

  // Reflow at large (presenter) fonts or in a narrow dock: the selectors wrap to 2 or 1 pairs
  // per row, and the walkthrough puts each step's value under its name instead of beside it,
  // so no line is cut (a long code list wraps at its commas; the text scrolls vertically).
  int selectorPairsPerRow() const { return pairsPerRow_; }
  bool stackedSteps() const { return stacked_; }
  QLabel* walkthroughLabel() const { return text_; }
  QScrollArea* walkthroughArea() const { return scroll_; }

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  static bool isTableLayer(quant::LayerType t);
  void showTable(int layerIndex);
  void rebuildLayers();
  void rebuild();
  void reflow();
  ModelSession* ms_;
  QComboBox* layer_;
  QSpinBox* sample_;
  QSpinBox* pixel_;
  QSpinBox* column_;
  QLabel* text_;
  QScrollArea* scroll_ = nullptr;
  QWidget* selectors_ = nullptr;
  QGridLayout* selectorGrid_ = nullptr;
  std::vector<std::pair<QLabel*, QWidget*>> pairs_;
  int pairsPerRow_ = 0;
  bool stacked_ = false;
};

}  // namespace quantlab::ui
