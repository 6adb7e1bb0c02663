// SPDX-License-Identifier: GPL-3.0-or-later
#include "perchannelview.h"

#include <QApplication>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSpinBox>
#include <QVBoxLayout>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "chartstyle.h"
#include "lazyrefresh.h"
#include "session.h"
#include "viewaudience.h"

namespace quantlab::ui {

namespace cs = chartstyle;

namespace {

QLabel* bigNumber(QWidget* parent, const QColor& color) {
  auto* l = new QLabel(parent);
  QFont f = QApplication::font();
  f.setPointSizeF(f.pointSizeF() * 1.6);
  f.setBold(true);
  l->setFont(f);
  QPalette pal = l->palette();
  pal.setColor(QPalette::WindowText, color);
  l->setPalette(pal);
  l->setTextInteractionFlags(Qt::TextSelectableByMouse);
  return l;
}

// One caption + big number block.
QWidget* numberBlock(QWidget* parent, const QString& caption, QLabel* number, const QString& tip) {
  auto* w = new QWidget(parent);
  auto* v = new QVBoxLayout(w);
  v->setContentsMargins(8, 0, 8, 0);
  v->setSpacing(0);
  auto* c = new QLabel(caption, w);
  v->addWidget(c);
  v->addWidget(number);
  w->setToolTip(tip);
  return w;
}

QChartView* makeView(QChart* chart, QWidget* parent) {
  auto* v = new QChartView(chart, parent);
  v->setRenderHint(QPainter::Antialiasing);
  v->setMinimumSize(300, 160);
  return v;
}

}  // namespace

PerChannelView::PerChannelView(Session* session, QWidget* parent)
    : QWidget(parent), session_(session) {
  setObjectName(QStringLiteral("PerChannelView"));
  new ViewAudience(session_, Session::Extra::Channels, this);  // computed only while shown

  axisBox_ = new QSpinBox(this);
  axisBox_->setToolTip(
      tr("Which dimension of the tensor holds the channels. For a conv or linear weight "
         "[out, in, ...] the output channels are axis 0: each output channel gets its own "
         "scale (and zero point), so one large channel no longer coarsens the grid of all "
         "the others."));
  auto* axisLabel = new QLabel(tr("Channel axis:"), this);
  axisLabel->setBuddy(axisBox_);

  perTensor_ = bigNumber(this, cs::kVermillion);
  perChannel_ = bigNumber(this, cs::kGreen);
  difference_ = bigNumber(this, cs::kBlack);
  const QString sqnrTip =
      tr("SQNR = 20 log10(||x|| / ||x - x_hat||): signal power over quantization-noise power, "
         "in decibels. Higher is better; each extra bit adds about 6 dB.");

  auto* top = new QHBoxLayout;
  top->addWidget(axisLabel);
  top->addWidget(axisBox_);
  channelCount_ = new QLabel(this);
  top->addWidget(channelCount_);
  top->addSpacing(16);
  top->addWidget(numberBlock(
      this, tr("Per-tensor SQNR"), perTensor_,
      sqnrTip + QLatin1Char(' ') + tr("Here one scale for the whole tensor (min-max).")));
  top->addWidget(numberBlock(
      this, tr("Per-channel SQNR"), perChannel_,
      sqnrTip + QLatin1Char(' ') + tr("Here one scale per channel (min-max of each channel).")));
  top->addWidget(numberBlock(this, tr("Gain from per-channel"), difference_,
                             tr("Per-channel SQNR minus per-tensor SQNR. Large when channel "
                                "ranges differ a lot.")));
  top->addStretch(1);

  note_ = new QLabel(this);
  note_->setWordWrap(true);
  note_->hide();

  // ---- ranges chart ----
  rangeChart_ = new QChart;
  cs::applyChartStyle(rangeChart_);
  rangeChart_->setTitle(tr("Channel ranges and scales"));
  rangeX_ = new QValueAxis;
  cs::styleAxis(rangeX_, tr("channel"));
  rangeX_->setLabelFormat(QStringLiteral("%.0f"));
  rangeY_ = new QValueAxis;
  cs::styleAxis(rangeY_, tr("value"));
  rangeY_->setLabelFormat(QStringLiteral("%.3g"));
  scaleY_ = new QValueAxis;
  cs::styleAxis(scaleY_, tr("scale"));
  scaleY_->setLabelFormat(QStringLiteral("%.2g"));
  scaleY_->setGridLineVisible(false);
  rangeChart_->addAxis(rangeX_, Qt::AlignBottom);
  rangeChart_->addAxis(rangeY_, Qt::AlignLeft);
  rangeChart_->addAxis(scaleY_, Qt::AlignRight);

  barsUpper_ = new QLineSeries(this);
  barsLower_ = new QLineSeries(this);
  bars_ = new QAreaSeries(barsUpper_, barsLower_);
  bars_->setName(tr("min to max"));
  bars_->setColor(cs::kBlue);
  bars_->setPen(Qt::NoPen);
  rangeChart_->addSeries(bars_);
  bars_->attachAxis(rangeX_);
  bars_->attachAxis(rangeY_);

  scales_ = new QLineSeries;
  scales_->setName(tr("scale (right axis)"));
  scales_->setPen(QPen(cs::kOrange, 2.0));
  scales_->setColor(cs::kOrange);
  rangeChart_->addSeries(scales_);
  scales_->attachAxis(rangeX_);
  scales_->attachAxis(scaleY_);
  rangeView_ = makeView(rangeChart_, this);
  cs::keepNiceTicks(rangeView_, rangeX_, 45, 1.0);
  cs::keepNiceTicks(rangeView_, rangeY_, 40);
  cs::keepNiceTicks(rangeView_, scaleY_, 40);
  rangeView_->setToolTip(
      tr("Each bar spans one channel's smallest to largest value. With one per-tensor scale "
         "every channel shares the grid sized for the widest bar; per-channel scales (orange) "
         "follow each bar, so narrow channels get a finer grid."));

  // ---- SQNR chart ----
  sqnrChart_ = new QChart;
  cs::applyChartStyle(sqnrChart_);
  sqnrChart_->setTitle(tr("SQNR of each channel"));
  sqnrX_ = new QValueAxis;
  cs::styleAxis(sqnrX_, tr("channel"));
  sqnrX_->setLabelFormat(QStringLiteral("%.0f"));
  sqnrY_ = new QValueAxis;
  cs::styleAxis(sqnrY_, tr("SQNR (dB)"));
  sqnrY_->setLabelFormat(QStringLiteral("%.3g"));
  sqnrChart_->addAxis(sqnrX_, Qt::AlignBottom);
  sqnrChart_->addAxis(sqnrY_, Qt::AlignLeft);
  sqnrPerChannel_ = new QLineSeries;
  sqnrPerChannel_->setName(tr("per-channel scales"));
  sqnrPerChannel_->setPen(QPen(cs::kGreen, 2.0));
  sqnrPerChannel_->setColor(cs::kGreen);
  sqnrPerTensor_ = new QLineSeries;
  sqnrPerTensor_->setName(tr("per-tensor scale"));
  sqnrPerTensor_->setPen(QPen(cs::kVermillion, 2.0, Qt::DashLine));
  sqnrPerTensor_->setColor(cs::kVermillion);
  for (QLineSeries* s : {sqnrPerChannel_, sqnrPerTensor_}) {
    sqnrChart_->addSeries(s);
    s->attachAxis(sqnrX_);
    s->attachAxis(sqnrY_);
  }
  sqnrView_ = makeView(sqnrChart_, this);
  cs::keepNiceTicks(sqnrView_, sqnrX_, 45, 1.0);
  cs::keepNiceTicks(sqnrView_, sqnrY_, 40);
  sqnrView_->setToolTip(
      tr("Signal-to-quantization-noise ratio of every channel, quantized with its own scale "
         "(green) and with the tensor's single scale (dashed). Channels with a small range "
         "lose the most under a per-tensor scale. Exact channels (infinite SQNR) sit on the "
         "top edge."));

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(top);
  layout->addWidget(note_);
  charts_ = new QBoxLayout(QBoxLayout::TopToBottom);
  charts_->addWidget(rangeView_, 1);
  charts_->addWidget(sqnrView_, 1);
  layout->addLayout(charts_, 1);

  connect(axisBox_, &QSpinBox::valueChanged, this,
          [this](int axis) { session_->setChannelAxis(axis); });
  connect(session_, &Session::tensorChanged, this, &PerChannelView::syncAxisBox);
  auto* lazy = new LazyRefresh(this, [this] { refresh(); });  // hidden in a tab: later
  connect(session_, &Session::resultsChanged, lazy, &LazyRefresh::request);
  connect(session_, &Session::channelsChanged, lazy, [this, lazy] {
    chartsStale_ = true;  // new bars to draw; other signals only change the note
    lazy->request();
  });
  syncAxisBox();
  refresh();
}

void PerChannelView::resizeEvent(QResizeEvent* e) {
  QWidget::resizeEvent(e);
  // Two short charts are unreadable: side by side in a low dock, stacked in a tall one.
  charts_->setDirection(height() < 560 ? QBoxLayout::LeftToRight : QBoxLayout::TopToBottom);
}

QString PerChannelView::perTensorSqnrText() const { return perTensor_->text(); }
QString PerChannelView::perChannelSqnrText() const { return perChannel_->text(); }
QString PerChannelView::differenceText() const { return difference_->text(); }
QString PerChannelView::noteText() const { return note_->isHidden() ? QString() : note_->text(); }

void PerChannelView::syncAxisBox() {
  const QSignalBlocker block(axisBox_);
  const int rank = static_cast<int>(session_->tensor().shape.size());
  axisBox_->setRange(0, std::max(rank - 1, 0));
  axisBox_->setValue(session_->channelAxis());
  axisBox_->setEnabled(rank > 1);
}

void PerChannelView::refresh() {
  syncAxisBox();
  const quant::ChannelComparison& c = session_->channelComparison();
  const int n = static_cast<int>(
      std::min<std::int64_t>(c.channels, static_cast<std::int64_t>(c.channelRanges.size())));

  if (n <= 0) {
    perTensor_->setText(QStringLiteral("–"));
    perChannel_->setText(QStringLiteral("–"));
    difference_->setText(QStringLiteral("–"));
    const bool oneDimensional = session_->tensor().shape.size() < 2;
    note_->setText(oneDimensional
                       ? tr("A 1-D tensor has no channels to compare (each value would be its own "
                            "channel). Per-group granularity in the controls splits it into blocks "
                            "with one scale each instead.")
                   : session_->channelsPending() ? tr("Computing the per-channel comparison…")
                   : session_->lastError().isEmpty()
                       ? tr("This tensor has no channel axis to compare.")
                       : tr("Error: %1").arg(session_->lastError()));
    note_->show();
    channelCount_->clear();
    barsUpper_->clear();
    barsLower_->clear();
    scales_->clear();
    sqnrPerChannel_->clear();
    sqnrPerTensor_->clear();
    barCount_ = 0;
    drawnChannels_ = 0;
    return;
  }
  // Old bars beside a new spec: say so until the comparison of the current grid arrives.
  note_->setText(tr("Updating for %1…").arg(QString::fromStdString(session_->spec().describe())));
  note_->setVisible(session_->channelsPending());
  // Thousands of bars take tens of ms to lay out: redrawn only when the comparison changed.
  if (!std::exchange(chartsStale_, false) && drawnChannels_ == n) return;
  drawnChannels_ = n;
  // More channels than the chart has pixels for (a 4096-row projection) are drawn in groups of
  // `k` adjacent channels, each showing the extremes of its group: the widest range, the
  // largest scale and the lowest SQNR, so an outlier channel stays visible.
  const int k = (n + kMaxBars - 1) / kMaxBars;
  const int groups = (n + k - 1) / k;
  channelCount_->setText(k == 1 ? (n == 1 ? tr("1 channel") : tr("%1 channels").arg(n))
                                : tr("%1 channels, drawn in %2 groups of %3 (the extremes of "
                                     "each group)")
                                      .arg(n)
                                      .arg(groups)
                                      .arg(k));
  perTensor_->setText(cs::formatDb(c.perTensorSqnrDb));
  perChannel_->setText(cs::formatDb(c.perChannelSqnrDb));
  difference_->setText(cs::formatDbDelta(c.perChannelSqnrDb - c.perTensorSqnrDb));

  // Floating bars: the area between a step curve at each channel's max and one at its min,
  // both returning to 0 between bars (zero-height there, so nothing is drawn).
  const double half = n <= 64 ? 0.3 : 0.42;
  QList<QPointF> up, down;
  up.reserve(4 * groups);
  down.reserve(4 * groups);
  double lo = 0, hi = 0;
  for (int g = 0; g < groups; ++g) {
    const int first = g * k, last = std::min(n, first + k) - 1;
    double a = 0, b = 0;
    for (int i = first; i <= last; ++i) {
      const quant::Range r = c.channelRanges[static_cast<std::size_t>(i)];
      const double ra = std::isfinite(r.lo) ? r.lo : 0.0;
      const double rb = std::isfinite(r.hi) ? r.hi : 0.0;
      a = i == first ? ra : std::min(a, ra);
      b = i == first ? rb : std::max(b, rb);
    }
    lo = std::min(lo, a);
    hi = std::max(hi, b);
    up << QPointF(first - half, 0) << QPointF(first - half, b) << QPointF(last + half, b)
       << QPointF(last + half, 0);
    down << QPointF(first - half, 0) << QPointF(first - half, a) << QPointF(last + half, a)
         << QPointF(last + half, 0);
  }
  barsUpper_->replace(up);
  barsLower_->replace(down);
  barCount_ = groups;
  const double pad = hi > lo ? 0.05 * (hi - lo) : 1.0;
  cs::setAxisRange(rangeY_, lo - pad, hi + pad);
  cs::setAxisRange(rangeX_, -0.5, n - 0.5);

  // One point per group at its centre: the extreme (max or min) of the group's values.
  auto groupPoints = [n, k, groups](const auto& v, bool largest, double clampLo, double clampHi) {
    QList<QPointF> pts;
    pts.reserve(groups);
    const int size = std::min(n, static_cast<int>(v.size()));
    for (int first = 0; first < size; first += k) {
      const int last = std::min(size, first + k) - 1;
      double e = std::numeric_limits<double>::quiet_NaN();
      for (int i = first; i <= last; ++i) {
        const double d = v[static_cast<std::size_t>(i)];
        if (std::isnan(d)) continue;
        e = std::isnan(e) ? d : largest ? std::max(e, d) : std::min(e, d);
      }
      if (std::isnan(e)) continue;
      pts << QPointF(0.5 * (first + last), std::clamp(e, clampLo, clampHi));
    }
    return pts;
  };
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double smax = 0;
  for (int i = 0; i < n && i < static_cast<int>(c.channelScales.size()); ++i) {
    const double s = c.channelScales[static_cast<std::size_t>(i)];
    if (std::isfinite(s)) smax = std::max(smax, s);
  }
  scales_->replace(groupPoints(c.channelScales, true, -kInf, kInf));
  scales_->setPointsVisible(groups <= 32);
  cs::setAxisRange(scaleY_, 0, smax > 0 ? smax * 1.1 : 1.0);

  // SQNR: infinite values (exact channels) are drawn on the top edge.
  double ymin = 0, ymax = 0;
  bool any = false;
  for (const auto* v : {&c.channelSqnrDb, &c.channelSqnrPerTensorDb}) {
    for (double d : *v) {
      if (!std::isfinite(d)) continue;
      ymin = any ? std::min(ymin, d) : d;
      ymax = any ? std::max(ymax, d) : d;
      any = true;
    }
  }
  if (!any) ymin = 0, ymax = 60;
  const double ypad = ymax > ymin ? 0.08 * (ymax - ymin) : 5.0;
  const double top = ymax + ypad, bottom = ymin - ypad;
  sqnrPerChannel_->replace(groupPoints(c.channelSqnrDb, false, bottom, top));
  sqnrPerTensor_->replace(groupPoints(c.channelSqnrPerTensorDb, false, bottom, top));
  sqnrPerChannel_->setPointsVisible(groups <= 32);
  sqnrPerTensor_->setPointsVisible(groups <= 32);
  cs::setAxisRange(sqnrY_, bottom, top);
  cs::setAxisRange(sqnrX_, -0.5, n - 0.5);
}

}  // namespace quantlab::ui
