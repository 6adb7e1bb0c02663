// SPDX-License-Identifier: GPL-3.0-or-later
// The tensor's histogram with everything that decides its quantization drawn on top:
//   * the clipping range in force as two draggable vertical lines (a drag is one undo step),
//   * the clipped tails shaded, with the clipped fraction from the engine's metrics,
//   * the quantization grid (dequantized codes of the first parameter slot; thinned to every
//     k-th level when more than kMaxLevelLines would be visible),
//   * the ranges min-max, percentile, MSE and entropy calibration would choose, as brackets.
// Clicking a bar (not a line) sends that bin's centre to the number-format view
// (Session::setProbeValue). Every number comes from Session; this class only draws.
// The legend is a wrapping label under the chart. When the full legend would take more than a
// fifth of the view's height (presenter fonts on a 1280x720 projector) it goes compact: only the
// calibration methods' names and the probe, the ranges move into its tooltip (the clipped
// fraction is on the top row already). The grid summary on the top row shortens the same way.
#pragma once

#include <QWidget>
#include <cstdint>
#include <vector>

#include "quant/numeric/quantize.h"

class QChart;
class QChartView;
class QAreaSeries;
class QLineSeries;
class QValueAxis;
class QLogValueAxis;
class QAbstractAxis;
class QCheckBox;
class QLabel;

namespace quantlab::ui {

class Session;
class HistogramChartView;

class HistogramView : public QWidget {
  Q_OBJECT
 public:
  explicit HistogramView(Session* session, QWidget* parent = nullptr);
  ~HistogramView() override;

  static constexpr int kMaxLevelLines = 64;

  // Counts on a log axis (so sparse outlier bins stay visible) or a linear one.
  void setLogCounts(bool on);
  bool logCounts() const;

  // ---- read-only accessors for tests and snapshots ----
  QChartView* chartView() const;
  QChart* chart() const;
  int barCount() const { return barCount_; }  // histogram bins drawn
  int levelLinesDrawn() const { return levelLinesDrawn_; }
  int levelStride() const { return levelStride_; }  // 1 = every level drawn
  int markerCount() const { return static_cast<int>(markerSeries_.size()); }
  QString clippedText() const;
  QString calibrationWarningText() const;  // empty when no slot fell back
  QString levelsText() const;  // the full grid summary (the label may show a shorter one)
  QString legendText() const;  // rich text, as shown
  bool compactLegend() const { return compactLegend_; }
  // The legend label (for layout tests).
  QLabel* legendLabel() const { return legend_; }
  // Values of the two clipping lines as drawn.
  double lowerLineValue() const { return lineLo_; }
  double upperLineValue() const { return lineHi_; }
  // The y value halfway up the plot (a point on either clipping line).
  double midY() const;

 protected:
  void resizeEvent(QResizeEvent* event) override;

 private:
  friend class HistogramChartView;
  void refresh();
  void updateXAxis();
  void updateYAxis(double maxCount);
  void updateVerticals();
  void updateLevels();
  void updateTexts();
  void updateProbe();
  void updateLegend();
  // Picks the full or compact legend and the long or short grid summary for the current size.
  void fitTexts();
  void setLinePoints(QLineSeries* s, double x) const;
  double bracketY(int index, int count) const;
  // Drag / click from the chart view (values in data units).
  void dragLine(bool upper, double value);
  void endDrag();
  void clickAt(double value);
  // Tooltip for the pointer over a clipping line (1 lower, 2 upper), a bar, or nothing (empty).
  QString toolTipAt(int line, double value, bool inPlot) const;
  // The selected slot, within the params' slots, and its clipping range in force.
  std::size_t selectedIndex() const;
  quant::Range clipInForce() const;

  Session* session_;
  HistogramChartView* view_ = nullptr;
  QChart* chart_ = nullptr;
  QValueAxis* axisX_ = nullptr;
  QValueAxis* axisYLin_ = nullptr;
  QLogValueAxis* axisYLog_ = nullptr;
  QAbstractAxis* axisY_ = nullptr;  // the one attached
  QAreaSeries* bars_ = nullptr;
  QLineSeries* barsUpper_ = nullptr;
  QLineSeries* barsLower_ = nullptr;
  QAreaSeries* tailLo_ = nullptr;
  QAreaSeries* tailHi_ = nullptr;
  QLineSeries* lineLoSeries_ = nullptr;
  QLineSeries* lineHiSeries_ = nullptr;
  QLineSeries* probeSeries_ = nullptr;
  std::vector<QLineSeries*> markerSeries_;
  QCheckBox* logBox_ = nullptr;
  QLabel* info_ = nullptr;
  QLabel* warning_ = nullptr;  // calibration fell back to min-max on small slots
  QLabel* levelsInfo_ = nullptr;
  QLabel* legend_ = nullptr;

  double xMin_ = 0, xMax_ = 1, yLo_ = 0, yHi_ = 1;
  double lineLo_ = 0, lineHi_ = 0;
  int barCount_ = 0;
  int levelLinesDrawn_ = 0;
  int levelStride_ = 1;
  std::int64_t visibleLevels_ = 0;
  std::vector<double> levelValues_;  // dequantized codes drawn as the grid
  bool dragging_ = false;
  QString fullLegend_, shortLegend_, legendTip_;
  QString levelsFull_, levelsShort_;
  bool compactLegend_ = false;
};

}  // namespace quantlab::ui
