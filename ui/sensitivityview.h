// SPDX-License-Identifier: GPL-3.0-or-later
// The sensitivity view: which layers suffer most from quantization. For every Linear/Conv2d, the
// model is run with only that layer quantized (weights and output at the chosen width) and with
// every layer but that one quantized; the bars show the chosen damage measure (SQNR, lower = more
// damage), most damaging first, and the labels the accuracy cost of the layer alone and what
// keeping it in fp32 gives back. Below, a greedy mixed-precision proposal within an accuracy
// budget. All of it is quant::analyzeSensitivity / proposeMixedPrecision run by ModelSession.
#pragma once

#include <QWidget>

class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace quantlab::ui {

class ModelSession;

class SensitivityView : public QWidget {
  Q_OBJECT
 public:
  explicit SensitivityView(ModelSession* ms, QWidget* parent = nullptr);
  int barRows() const { return barRows_; }
  QPushButton* runButton() const { return run_; }
  void setParameters(int bits, int images, double budgetPoints);

 private:
  void run();
  void rebuild();
  void syncEnabled();
  ModelSession* ms_;
  QSpinBox* bits_;
  QComboBox* mode_;
  QSpinBox* images_;
  QDoubleSpinBox* budget_;
  QPushButton* run_;
  QLabel* summary_;
  QLabel* mixed_;
  QChartView* chart_;
  int barRows_ = 0;
};

}  // namespace quantlab::ui
