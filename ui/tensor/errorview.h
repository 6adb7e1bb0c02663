// SPDX-License-Identifier: GPL-3.0-or-later
// How large the quantization error is, and what it looks like:
//   * every metric of quant::ErrorMetrics with a one-line explanation (caption + tooltip);
//     SQNR next to the 6.02 dB-per-bit rule, rmse/scale next to the rounding-noise ideal
//     1/sqrt(12),
//   * the histogram of the error x - x_hat (uniform for rounding noise, long tails when clipping),
//   * original vs reconstructed values for a subsample (every k-th element, at most
//     kMaxScatterPoints) with the diagonal y = x.
// Numbers come from Session (quant::); the view only draws.
#pragma once

#include <QWidget>
#include <vector>

class QChart;
class QChartView;
class QAreaSeries;
class QLineSeries;
class QScatterSeries;
class QValueAxis;
class QLogValueAxis;
class QLabel;
class QScrollArea;
class QSplitter;

namespace quantlab::ui {

class Session;

class ErrorView : public QWidget {
  Q_OBJECT
 public:
  explicit ErrorView(Session* session, QWidget* parent = nullptr);

  static constexpr int kMaxScatterPoints = 5000;

  // ---- read-only accessors for tests and snapshots ----
  QString sqnrText() const;
  QString metricText(const QString& key) const;  // "mse", "rmse", "mae", "max", "sqnr", ...
  int scatterPointCount() const;
  int errorBinCount() const { return errorBins_; }
  QChart* errorChart() const { return errChart_; }
  QChart* scatterChart() const { return scatterChart_; }
  // The metrics beside the charts (roomy) or above them (narrow, e.g. presenter fonts in a
  // 1280x720 window), so the numbers are never cut.
  bool metricsBesideCharts() const;
  QScrollArea* metricsArea() const { return metricsScroll_; }

  // As narrow as the stacked arrangement allows: the view switches to it instead of being cut.
  QSize minimumSizeHint() const override;

 protected:
  void changeEvent(QEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  // The metrics column as wide as its widest row (name + bold value) at the current font.
  void fitMetricsWidth();
  // Beside or above, from the current width.
  void reflow();

  struct Row {
    QString key;
    QLabel* value = nullptr;
    QLabel* note = nullptr;  // comparison with the ideal, when there is one
  };
  QLabel* addRow(const QString& key, const QString& name, const QString& caption,
                 const QString& tip);
  void refresh();
  void refreshMetrics();
  void refreshErrorHistogram();
  void refreshScatter();

  Session* session_;
  std::vector<Row> rows_;
  QWidget* metricsPanel_ = nullptr;
  QScrollArea* metricsScroll_ = nullptr;
  QSplitter* charts_ = nullptr;
  QSplitter* split_ = nullptr;
  QLabel* sqnrNote_ = nullptr;
  QLabel* rmseNote_ = nullptr;

  QChart* errChart_ = nullptr;
  QChartView* errView_ = nullptr;
  QValueAxis* errX_ = nullptr;
  QLogValueAxis* errY_ = nullptr;
  QAreaSeries* errBars_ = nullptr;
  QLineSeries* errUpper_ = nullptr;
  QLineSeries* errLower_ = nullptr;
  QLineSeries* halfStep_ = nullptr;
  int errorBins_ = 0;

  QChart* scatterChart_ = nullptr;
  QChartView* scatterView_ = nullptr;
  QValueAxis* scX_ = nullptr;
  QValueAxis* scY_ = nullptr;
  QScatterSeries* scatter_ = nullptr;
  QLineSeries* diagonal_ = nullptr;
};

}  // namespace quantlab::ui
