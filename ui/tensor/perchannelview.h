// SPDX-License-Identifier: GPL-3.0-or-later
// Per-tensor vs per-channel quantization of one tensor, along a chosen channel axis:
//   * each channel's min-max range as a floating bar (AIMET-style weight-range plot) with the
//     channel's scale on a second axis,
//   * each channel's SQNR under per-channel scales and under the one per-tensor scale,
//   * the two whole-tensor SQNRs as big numbers and their difference in dB.
// All numbers come from Session::channelComparison() (quant::compareChannelGranularity).
#pragma once

#include <QWidget>

class QChart;
class QChartView;
class QAreaSeries;
class QLineSeries;
class QValueAxis;
class QLabel;
class QSpinBox;
class QBoxLayout;

namespace quantlab::ui {

class Session;

class PerChannelView : public QWidget {
  Q_OBJECT
 public:
  explicit PerChannelView(Session* session, QWidget* parent = nullptr);

  // ---- read-only accessors for tests and snapshots ----
  // Most range bars drawn; more channels are drawn in groups of adjacent channels.
  static constexpr int kMaxBars = 512;
  int barCount() const { return barCount_; }  // floating range bars drawn
  QString perTensorSqnrText() const;
  QString perChannelSqnrText() const;
  QString differenceText() const;
  QString noteText() const;  // the explanation shown instead of (or above) the charts
  QSpinBox* axisSpinBox() const { return axisBox_; }
  QChart* rangeChart() const { return rangeChart_; }
  QChart* sqnrChart() const { return sqnrChart_; }

 protected:
  void resizeEvent(QResizeEvent* e) override;

 private:
  void refresh();
  void syncAxisBox();

  Session* session_;
  bool chartsStale_ = true;  // the comparison changed since the charts were drawn
  int drawnChannels_ = -1;
  QSpinBox* axisBox_ = nullptr;
  QLabel* perTensor_ = nullptr;
  QLabel* perChannel_ = nullptr;
  QLabel* difference_ = nullptr;
  QLabel* note_ = nullptr;
  QLabel* channelCount_ = nullptr;
  QBoxLayout* charts_ = nullptr;

  QChart* rangeChart_ = nullptr;
  QChartView* rangeView_ = nullptr;
  QValueAxis* rangeX_ = nullptr;
  QValueAxis* rangeY_ = nullptr;
  QValueAxis* scaleY_ = nullptr;
  QAreaSeries* bars_ = nullptr;
  QLineSeries* barsUpper_ = nullptr;
  QLineSeries* barsLower_ = nullptr;
  QLineSeries* scales_ = nullptr;

  QChart* sqnrChart_ = nullptr;
  QChartView* sqnrView_ = nullptr;
  QValueAxis* sqnrX_ = nullptr;
  QValueAxis* sqnrY_ = nullptr;
  QLineSeries* sqnrPerChannel_ = nullptr;
  QLineSeries* sqnrPerTensor_ = nullptr;

  int barCount_ = 0;
};

}  // namespace quantlab::ui
