// SPDX-License-Identifier: GPL-3.0-or-later
// The quantization-aware training view ("qat"): fine-tune the open model with fake quantization
// in the loop (quant::qat run by ModelSession::runQat) and watch it happen: the training loss and
// the fake-quantized test accuracy as live line charts (redrawn at most every 200 ms from
// ModelSession's curve), then fp32 / PTQ / QAT accuracy side by side with a plain-language
// explanation of what the straight-through estimator lets training recover.
#pragma once

#include <QWidget>

#include "modelsession.h"

class QBoxLayout;
class QChartView;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineSeries;
class QPushButton;
class QSpinBox;
class QTimer;
class QValueAxis;

namespace quantlab::ui {

class QatView : public QWidget {
  Q_OBJECT
 public:
  explicit QatView(ModelSession* ms, QWidget* parent = nullptr);

  QPushButton* startButton() const { return start_; }
  QPushButton* saveButton() const { return save_; }
  void setSettings(const ModelSession::QatSettings& settings);
  ModelSession::QatSettings settings() const;
  // Points drawn now (for tests): loss and accuracy series.
  int lossPointsDrawn() const;
  int accuracyPointsDrawn() const;
  QString resultText() const;

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  void start();
  void saveModel();
  void scheduleRedraw();
  void redraw();
  void rebuildResult();
  void syncEnabled();
  ModelSession* ms_;
  QSpinBox* wBits_;
  QSpinBox* aBits_;
  QSpinBox* epochs_;
  QComboBox* lr_;
  QSpinBox* trainImages_;
  QCheckBox* lsq_;
  QPushButton* start_;
  QPushButton* save_;
  QLabel* status_;
  QBoxLayout* charts_ = nullptr;
  QChartView* lossView_;
  QChartView* accView_;
  QLineSeries* loss_;
  QLineSeries* acc_;
  QLineSeries* fp32Line_;
  QLineSeries* ptqLine_;
  QValueAxis* lossX_;
  QValueAxis* lossY_;
  QValueAxis* accX_;
  QValueAxis* accY_;
  QLabel* result_;
  QLabel* explain_;
  QTimer* redrawTimer_;
};

}  // namespace quantlab::ui
