// SPDX-License-Identifier: GPL-3.0-or-later
#include "errorview.h"

#include <QApplication>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QStyle>
#include <QTimer>
#include <QVBoxLayout>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>

#include "chartstyle.h"
#include "lazyrefresh.h"
#include "quant/numeric/metrics.h"
#include "session.h"
#include "updatingbadge.h"
#include "viewaudience.h"

namespace quantlab::ui {

namespace cs = chartstyle;

namespace {
constexpr double kLogFloor = 0.5;  // empty bins sit here on the log axis

QChartView* makeView(QChart* chart, QWidget* parent) {
  auto* v = new QChartView(chart, parent);
  v->setRenderHint(QPainter::Antialiasing);
  v->setMinimumSize(260, 180);
  return v;
}
}  // namespace

ErrorView::ErrorView(Session* session, QWidget* parent) : QWidget(parent), session_(session) {
  setObjectName(QStringLiteral("ErrorView"));

  // ---- metrics panel ----
  metricsPanel_ = new QWidget;
  auto* grid = new QGridLayout(metricsPanel_);
  grid->setContentsMargins(6, 6, 6, 6);
  grid->setHorizontalSpacing(10);
  grid->setVerticalSpacing(1);
  grid->setColumnStretch(0, 1);

  addRow(
      QStringLiteral("sqnr"), tr("SQNR"),
      tr("Signal power over error power, in dB. Higher is better."),
      tr("Signal-to-quantization-noise ratio: 20 log10(||x|| / ||x - x_hat||). "
         "An ideal b-bit quantizer of a full-scale sine wave reaches about 6.02 b + 1.76 dB (the "
         "1.76 dB belongs to the sine; other signal shapes land elsewhere): every extra bit "
         "halves the step and adds about 6 dB."));
  sqnrNote_ = rows_.back().note;
  addRow(QStringLiteral("rmseScale"), tr("RMSE / scale"),
         tr("Error in grid steps; pure rounding gives 1/sqrt(12) = 0.289."),
         tr("The root-mean-square error measured in units of the quantization step. Rounding "
            "to the nearest level leaves an error spread evenly over [-scale/2, scale/2], "
            "whose RMS is scale/sqrt(12). Clipping makes it larger; a perfect fit of the "
            "levels to the data makes it smaller."));
  rmseNote_ = rows_.back().note;
  addRow(QStringLiteral("clipped"), tr("Clipped"),
         tr("Share of values outside the clipping range."),
         tr("Values outside the clipping range are saturated to the first or last code. Their "
            "error can be far larger than half a step."));
  addRow(QStringLiteral("mse"), tr("MSE"), tr("Mean of the squared error (x - x_hat)^2."),
         tr("Mean squared error: the average of (x - x_hat)^2. Large errors dominate it."));
  addRow(QStringLiteral("rmse"), tr("RMSE"), tr("Square root of the MSE, in the units of x."),
         tr("Root-mean-square error: sqrt(MSE), in the same units as the values."));
  addRow(QStringLiteral("mae"), tr("MAE"), tr("Mean of |x - x_hat|."),
         tr("Mean absolute error: the average size of the error, less sensitive to a few "
            "large errors than the MSE."));
  addRow(QStringLiteral("max"), tr("Max |error|"),
         tr("Worst single value; at most scale/2 unless clipped."),
         tr("The largest |x - x_hat| over the tensor. Without clipping it cannot exceed half a "
            "step (scale/2)."));
  addRow(QStringLiteral("cosine"), tr("Cosine"),
         tr("Direction agreement of x and x_hat; 1 = same."),
         tr("Cosine similarity <x, x_hat> / (||x|| ||x_hat||): 1 when the reconstruction points "
            "the same way as the original, whatever its length."));
  addRow(QStringLiteral("nl2"), tr("Normalised L2"), tr("||x - x_hat|| / ||x||: relative error."),
         tr("The error's length relative to the signal's length; SQNR = -20 log10 of it."));
  grid->setRowStretch(grid->rowCount(), 1);

  auto* scroll = new QScrollArea;
  metricsScroll_ = scroll;
  scroll->setObjectName(QStringLiteral("errorMetricsScroll"));
  scroll->setWidget(metricsPanel_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

  // ---- error histogram ----
  errChart_ = new QChart;
  cs::applyChartStyle(errChart_);
  errChart_->setTitle(tr("Error x - x_hat (dashed: ±scale/2)"));
  errX_ = new QValueAxis;
  cs::styleAxis(errX_, tr("error"));
  errX_->setLabelFormat(QStringLiteral("%.2g"));
  // Log counts: the few clipped values far out in the tails must stay visible next to the
  // thousands of rounding errors.
  errY_ = new QLogValueAxis;
  cs::styleAxis(errY_, tr("count (log)"));
  errY_->setBase(10.0);
  errY_->setLabelFormat(QStringLiteral("%g"));
  errY_->setMinorTickCount(0);
  errChart_->addAxis(errX_, Qt::AlignBottom);
  errChart_->addAxis(errY_, Qt::AlignLeft);
  errUpper_ = new QLineSeries(this);
  errLower_ = new QLineSeries(this);
  errBars_ = new QAreaSeries(errUpper_, errLower_);
  errBars_->setName(tr("error histogram"));
  errBars_->setColor(cs::kSkyBlue);
  errBars_->setPen(QPen(cs::kBlue, 1.0));
  errChart_->addSeries(errBars_);
  errBars_->attachAxis(errX_);
  errBars_->attachAxis(errY_);
  // Where pure rounding error ends: +-scale/2 (per-tensor scale).
  halfStep_ = new QLineSeries;
  halfStep_->setPen(QPen(cs::kBlack, 1.5, Qt::DashLine));
  errChart_->addSeries(halfStep_);
  halfStep_->attachAxis(errX_);
  halfStep_->attachAxis(errY_);
  errChart_->legend()->hide();
  errView_ = makeView(errChart_, this);
  cs::keepNiceTicks(errView_, errX_, 90);
  errView_->setToolTip(
      tr("How the error x - x_hat is distributed. Pure rounding gives a flat block between "
         "-scale/2 and +scale/2 (dashed lines); clipped values add far-out tails."));

  // ---- original vs reconstructed ----
  scatterChart_ = new QChart;
  cs::applyChartStyle(scatterChart_);
  scatterChart_->setTitle(tr("Reconstructed vs original"));
  scX_ = new QValueAxis;
  cs::styleAxis(scX_, tr("original x"));
  scX_->setLabelFormat(QStringLiteral("%.2g"));
  scY_ = new QValueAxis;
  cs::styleAxis(scY_, tr("x_hat"));
  scY_->setLabelFormat(QStringLiteral("%.2g"));
  scatterChart_->addAxis(scX_, Qt::AlignBottom);
  scatterChart_->addAxis(scY_, Qt::AlignLeft);
  scatter_ = new QScatterSeries;
  scatter_->setName(tr("values"));
  scatter_->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
  scatter_->setMarkerSize(4.0);
  QColor dot = cs::kBlue;
  dot.setAlpha(150);
  scatter_->setColor(dot);
  scatter_->setBorderColor(Qt::transparent);
  diagonal_ = new QLineSeries;
  diagonal_->setName(tr("y = x (no error)"));
  diagonal_->setPen(QPen(cs::kVermillion, 1.5, Qt::DashLine));
  for (QAbstractSeries* s : std::initializer_list<QAbstractSeries*>{scatter_, diagonal_}) {
    scatterChart_->addSeries(s);
    s->attachAxis(scX_);
    s->attachAxis(scY_);
  }
  scatterChart_->legend()->setAlignment(Qt::AlignBottom);
  scatterView_ = makeView(scatterChart_, this);
  // Thousands of antialiased dots cost more than the rest of the window; crisp squares are
  // cheap and read the same.
  scatterView_->setRenderHint(QPainter::Antialiasing, false);
  cs::keepNiceTicks(scatterView_, scX_, 90);
  cs::keepNiceTicks(scatterView_, scY_, 45);
  scatterView_->setToolTip(
      tr("Each dot is one value: original on x, reconstruction on y. The staircase shows the "
         "quantization levels; flat ends are clipped values."));

  auto* charts = new QSplitter(Qt::Vertical);
  charts_ = charts;
  charts->addWidget(errView_);
  charts->addWidget(scatterView_);
  charts->setChildrenCollapsible(false);

  auto* split = new QSplitter(Qt::Horizontal, this);
  split_ = split;
  split->addWidget(scroll);
  split->addWidget(charts);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 2);
  split->setChildrenCollapsible(false);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(split);

  new UpdatingBadge(session_, this);  // owned by this view
  new ViewAudience(session_, Session::Extra::ErrorHistogram, this);  // computed only while shown
  auto* lazy = new LazyRefresh(this, [this] { refresh(); });  // hidden in a tab: later
  connect(session_, &Session::resultsChanged, lazy, &LazyRefresh::request);
  refresh();
  fitMetricsWidth();
}

void ErrorView::fitMetricsWidth() {
  if (QLayout* l = metricsPanel_->layout()) l->activate();
  const int bar =
      metricsScroll_->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, metricsScroll_);
  const int need = std::max(230, metricsPanel_->minimumSizeHint().width() + bar + 4);
  metricsScroll_->setMinimumWidth(need);
  metricsScroll_->setMaximumWidth(metricsBesideCharts() ? std::max(440, need) : QWIDGETSIZE_MAX);
  updateGeometry();
  reflow();
}

bool ErrorView::metricsBesideCharts() const { return split_->orientation() == Qt::Horizontal; }

QSize ErrorView::minimumSizeHint() const {
  if (!split_ || !layout()) return QWidget::minimumSizeHint();
  const QMargins m = layout()->contentsMargins();
  const int w = std::max(metricsScroll_->minimumWidth(), charts_->minimumSizeHint().width());
  return {w + m.left() + m.right(), QWidget::minimumSizeHint().height()};
}

void ErrorView::reflow() {
  if (!split_ || !layout()) return;
  const QMargins m = layout()->contentsMargins();
  const int besideNeeds = metricsScroll_->minimumWidth() + charts_->minimumSizeHint().width() +
                          split_->handleWidth() + m.left() + m.right();
  const Qt::Orientation o = width() >= besideNeeds ? Qt::Horizontal : Qt::Vertical;
  if (o == split_->orientation()) return;
  split_->setOrientation(o);
  // Stacked, the metrics keep room for their first rows (SQNR, RMSE / scale); the dock scrolls.
  metricsScroll_->setMinimumHeight(o == Qt::Vertical ? 7 * fontMetrics().lineSpacing() : 0);
  metricsScroll_->setMaximumWidth(
      o == Qt::Horizontal ? std::max(440, metricsScroll_->minimumWidth()) : QWIDGETSIZE_MAX);
  updateGeometry();
}

void ErrorView::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange ||
      event->type() == QEvent::LanguageChange)
    // The labels get the new font after the view does: measure once they all have it.
    QTimer::singleShot(0, this, &ErrorView::fitMetricsWidth);
}

void ErrorView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  reflow();
}

QLabel* ErrorView::addRow(const QString& key, const QString& name, const QString& caption,
                          const QString& tip) {
  auto* grid = static_cast<QGridLayout*>(metricsPanel_->layout());
  const int r = grid->rowCount();
  auto* nameLabel = new QLabel(QStringLiteral("<b>%1</b>").arg(name.toHtmlEscaped()));
  auto* value = new QLabel;
  value->setTextInteractionFlags(Qt::TextSelectableByMouse);
  value->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  QFont bold = value->font();
  bold.setBold(true);
  value->setFont(bold);
  // Name and value on one line; the comparison with the ideal and the caption wrap below.
  auto* note = new QLabel;
  note->setWordWrap(true);
  note->hide();
  auto* cap = new QLabel(caption);
  cap->setWordWrap(true);
  QPalette pal = cap->palette();
  pal.setColor(QPalette::WindowText, cs::kGrey);
  cap->setPalette(pal);
  for (QLabel* l : {nameLabel, value, note, cap}) l->setToolTip(tip);
  grid->addWidget(nameLabel, r, 0);
  grid->addWidget(value, r, 1);
  grid->addWidget(note, r + 1, 0, 1, 2);
  grid->addWidget(cap, r + 2, 0, 1, 2);
  cap->setContentsMargins(0, 0, 0, 6);
  rows_.push_back({key, value, note});
  return value;
}

QString ErrorView::metricText(const QString& key) const {
  for (const Row& r : rows_)
    if (r.key == key) return r.value->text();
  return {};
}

QString ErrorView::sqnrText() const { return metricText(QStringLiteral("sqnr")); }
int ErrorView::scatterPointCount() const { return static_cast<int>(scatter_->count()); }

void ErrorView::refresh() {
  refreshMetrics();
  refreshErrorHistogram();
  refreshScatter();
}

void ErrorView::refreshMetrics() {
  const quant::ErrorMetrics& m = session_->metrics();
  const int bits = session_->params().spec.bits;  // the spec of these metrics
  auto set = [this](const QString& key, const QString& text) {
    for (Row& r : rows_)
      if (r.key == key) r.value->setText(text);
  };
  set(QStringLiteral("sqnr"), cs::formatDb(m.sqnrDb));
  set(QStringLiteral("rmseScale"),
      m.rmseOverScale > 0 ? QString::number(m.rmseOverScale, 'f', 4) : tr("n/a"));
  set(QStringLiteral("clipped"), cs::formatPercent(m.clippedFraction));
  set(QStringLiteral("mse"), cs::formatValue(m.mse));
  set(QStringLiteral("rmse"), cs::formatValue(m.rmse));
  set(QStringLiteral("mae"), cs::formatValue(m.mae));
  set(QStringLiteral("max"), cs::formatValue(m.maxAbs));
  set(QStringLiteral("cosine"), QString::number(m.cosine, 'f', 6));
  set(QStringLiteral("nl2"), cs::formatValue(m.normalizedL2));

  sqnrNote_->setText(tr("Rule of thumb for %2 bits: %1 (6.02 b + 1.76, full-scale sine)")
                         .arg(cs::formatDb(quant::sqnrRuleOfThumbDb(bits)))
                         .arg(bits));
  rmseNote_->setText(tr("Ideal for pure rounding: %1 (1/sqrt(12))")
                         .arg(QString::number(quant::kIdealRmseOverScale, 'f', 4)));
  for (Row& r : rows_)
    if (r.key == QStringLiteral("clipped"))
      r.note->setText(session_->metricsSampled()
                          ? tr("%1 of %2 values of a sample; the exact pass follows")
                                .arg(m.clipped)
                                .arg(m.count)
                          : tr("%1 of %2 values").arg(m.clipped).arg(m.count));
  for (Row& r : rows_) r.note->setVisible(!r.note->text().isEmpty());
}

void ErrorView::refreshErrorHistogram() {
  const std::size_t stride = session_->errorHistogramStride();
  errChart_->setTitle(
      session_->streamed()
          ? tr("Error x - x_hat of a sample of %1 values (dashed: ±scale/2)")
                .arg(QLocale().toString(static_cast<qulonglong>(session_->sampleSize())))
      : stride > 1 ? tr("Error x - x_hat, 1 value in %1 while dragging (dashed: "
                        "±scale/2)")
                         .arg(stride)
                   : tr("Error x - x_hat (dashed: ±scale/2)"));
  const quant::Histogram& h = session_->errorHistogram();
  QList<QPointF> up;
  up.reserve(static_cast<qsizetype>(2 * h.counts.size() + 2));
  double maxCount = 0;
  const double w = h.binWidth();
  if (!h.counts.empty()) {
    up << QPointF(h.lo, kLogFloor);
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
      const double c = std::max(static_cast<double>(h.counts[i]), kLogFloor);
      const double left = h.lo + static_cast<double>(i) * w;
      up << QPointF(left, c) << QPointF(left + w, c);
      maxCount = std::max(maxCount, c);
    }
    up << QPointF(h.lo + static_cast<double>(h.counts.size()) * w, kLogFloor);
  }
  errorBins_ = static_cast<int>(h.counts.size());
  double lo = h.lo, hi = h.hi;
  if (!(hi > lo)) lo = -1e-12, hi = 1e-12;
  const quant::QuantParams& p = session_->params();
  const double top = std::max(10.0, maxCount * 2.0);
  if (p.scales.size() == 1) {
    const double half = 0.5 * p.scales[0];
    // The bracket: up at -scale/2, across the top, down at +scale/2.
    const double y = 0.8 * top;
    halfStep_->replace(QList<QPointF>{QPointF(-half, kLogFloor), QPointF(-half, y),
                                      QPointF(half, y), QPointF(half, kLogFloor)});
    lo = std::min(lo, -1.05 * half);
    hi = std::max(hi, 1.05 * half);
  } else {
    halfStep_->clear();
  }
  cs::setAxisRange(errX_, lo, hi);
  errY_->setRange(kLogFloor, top);
  errUpper_->replace(up);
  errLower_->replace(QList<QPointF>{QPointF(lo, kLogFloor), QPointF(hi, kLogFloor)});
}

void ErrorView::refreshScatter() {
  const std::vector<float>& x = session_->tensor().data;
  const std::vector<float>& xh = session_->reconstructed();
  const std::size_t n = std::min(x.size(), xh.size());
  // Every k-th element: an even spread over the tensor, at most kMaxScatterPoints dots.
  const std::size_t k = std::max<std::size_t>(1, (n + kMaxScatterPoints - 1) / kMaxScatterPoints);
  QList<QPointF> pts;
  pts.reserve(static_cast<qsizetype>(n / k + 1));
  double lo = 0, hi = 0;
  bool any = false;
  for (std::size_t i = 0; i < n; i += k) {
    if (!std::isfinite(x[i]) || !std::isfinite(xh[i])) continue;
    pts << QPointF(x[i], xh[i]);
    const double a = std::min(x[i], xh[i]), b = std::max(x[i], xh[i]);
    lo = any ? std::min(lo, a) : a;
    hi = any ? std::max(hi, b) : b;
    any = true;
  }
  if (!(hi > lo)) lo -= 1.0, hi += 1.0;
  const double pad = 0.04 * (hi - lo);
  lo -= pad;
  hi += pad;
  scatter_->replace(pts);
  diagonal_->replace(QList<QPointF>{QPointF(lo, lo), QPointF(hi, hi)});
  cs::setAxisRange(scX_, lo, hi);
  cs::setAxisRange(scY_, lo, hi);
}

}  // namespace quantlab::ui
