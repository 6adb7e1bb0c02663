// SPDX-License-Identifier: GPL-3.0-or-later
// The predictions view: a grid of Fashion-MNIST test images with their true class and the fp32
// and int8 predictions; images where the two models disagree are framed. Above it, the test-set
// accuracy of both models and their top-1 agreement. The evaluation runs in ModelSession.
#pragma once

#include <QWidget>

class QCheckBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace quantlab::ui {

class ModelSession;
class PredictionGrid;

class PredictionsView : public QWidget {
  Q_OBJECT
 public:
  explicit PredictionsView(ModelSession* ms, QWidget* parent = nullptr);
  // Images in the grid now, and how many of them are fp32/int8 disagreements.
  int shownImages() const;
  int shownDisagreements() const;
  QPushButton* evaluateButton() const { return evaluate_; }

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void rebuild();
  void syncEnabled();
  ModelSession* ms_;
  QPushButton* evaluate_;
  QCheckBox* onlyDisagree_;
  QSpinBox* first_;
  QLabel* summary_;
  PredictionGrid* grid_;
};

}  // namespace quantlab::ui
