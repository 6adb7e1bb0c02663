// SPDX-License-Identifier: GPL-3.0-or-later
// The sensitivity view: which layers suffer most from quantization. For every Linear/Conv2d, the
// model is run with only that layer quantized (weights and output at the chosen width) and with
// every layer but that one quantized; the bars show the chosen damage measure (SQNR, lower = more
// damage), most damaging first, and the labels the accuracy cost of the layer alone and what
// keeping it in fp32 gives back. Below, a greedy mixed-precision proposal within an accuracy
// budget, which "Apply proposal" makes ModelSession's active plan (evaluated with fake
// quantization on the whole test set; the layer table shows each layer's precision).
// All of it is quant::analyzeSensitivity / proposeMixedPrecision / evaluatePlans run by
// ModelSession.
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
  QPushButton* applyButton() const { return apply_; }
  QPushButton* clearPlanButton() const { return clearPlan_; }
  QString planText() const;
  void setParameters(int bits, int images, double budgetPoints);

 private:
  void run();
  void rebuild();
  void syncEnabled();
  void rebuildPlan();
  ModelSession* ms_;
  QSpinBox* bits_;
  QComboBox* mode_;
  QSpinBox* images_;
  QDoubleSpinBox* budget_;
  QPushButton* run_;
  QLabel* summary_;
  QLabel* mixed_;
  QPushButton* apply_;
  QPushButton* clearPlan_;
  QLabel* plan_;
  QChartView* chart_;
  int barRows_ = 0;
};

}  // namespace quantlab::ui
