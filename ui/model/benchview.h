// SPDX-License-Identifier: GPL-3.0-or-later
// The benchmark view: fp32 against int8 latency per layer and end to end on this CPU, the int8
// kernel (ISA) in use, the speed-up, how much of the end-to-end time the layer bars add up to,
// each Linear/Conv2d layer's share of its roofline (core's measured peaks) and the model sizes.
// The timing itself runs in ModelSession (a background job); this view only draws its result.
#pragma once

#include <QWidget>

class QChart;
class QChartView;
class QLabel;
class QPushButton;
class QSpinBox;

namespace quantlab::ui {

class ModelSession;

class BenchView : public QWidget {
  Q_OBJECT
 public:
  explicit BenchView(ModelSession* ms, QWidget* parent = nullptr);
  // Rows with bars in the per-layer chart (0 before a benchmark finished).
  int barRows() const { return barRows_; }
  // Layers in the roofline chart (the Linear/Conv2d ones; 0 before a benchmark finished).
  int roofRows() const { return roofRows_; }
  QPushButton* runButton() const { return run_; }
  void setParameters(int batch, int threads, int repeats);

 private:
  void run();
  void rebuild();
  void syncEnabled();
  ModelSession* ms_;
  QSpinBox* batch_;
  QSpinBox* threads_;
  QSpinBox* repeats_;
  QPushButton* run_;
  QLabel* summary_;
  QChartView* layerView_;
  QChartView* roofView_;
  QChartView* sizeView_;
  int barRows_ = 0;
  int roofRows_ = 0;
};

}  // namespace quantlab::ui
