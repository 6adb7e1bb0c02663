// SPDX-License-Identifier: GPL-3.0-or-later
// The histogram view. One file of ~710 lines: the chart series, the clipping-line drag and bar
// click (HistogramChartView), and the legend and grid texts that fit the dock all read the same
// axis state, which a split would have to expose between files.
#include "histogramview.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QPainter>
#include <QTextDocument>
#include <QToolTip>
#include <QUndoStack>
#include <QVBoxLayout>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>
#include <limits>

#include "chartstyle.h"
#include "session.h"
#include "slotlabel.h"
#include "updatingbadge.h"

namespace quantlab::ui {

namespace cs = chartstyle;

namespace {
// How close (pixels) the pointer must be to a clipping line to grab it, and how far it may move
// before a press stops counting as a click.
constexpr double kGrabPixels = 7.0;
constexpr double kClickSlop = 4.0;
// Floor of the log-count axis: empty bins sit on it instead of at log(0).
constexpr double kLogFloor = 0.5;

// double -> float without undefined behaviour: the padded axis may reach past FLT_MAX.
float toFloat(double v) {
  constexpr double kMax = std::numeric_limits<float>::max();
  return static_cast<float>(std::clamp(v, -kMax, kMax));
}
}  // namespace

// The chart view handles the pointer: grabbing a clipping line, clicking a bar, and drawing the
// quantization grid over the plot (one painter pass instead of dozens of series).
class HistogramChartView : public QChartView {
 public:
  HistogramChartView(QChart* chart, HistogramView* owner) : QChartView(chart), owner_(owner) {
    setRenderHint(QPainter::Antialiasing);
    setMouseTracking(true);
    setRubberBand(QChartView::NoRubberBand);
  }

  // Pixel x (viewport) of a data value.
  double pixelX(double value) const {
    const QPointF chartPos = chart()->mapToPosition(QPointF(value, owner_->midY()));
    return mapFromScene(chart()->mapToScene(chartPos)).x();
  }
  QPointF valueAt(const QPointF& viewportPos) const {
    const QPointF scenePos = mapToScene(viewportPos.toPoint());
    return chart()->mapToValue(chart()->mapFromScene(scenePos));
  }
  bool inPlot(const QPointF& viewportPos) const {
    const QPointF scenePos = mapToScene(viewportPos.toPoint());
    return chart()->plotArea().contains(chart()->mapFromScene(scenePos));
  }
  // 0 = none, 1 = lower line, 2 = upper line (the nearer one wins).
  int lineNear(const QPointF& pos) const {
    const double dLo = std::fabs(pos.x() - pixelX(owner_->lineLo_));
    const double dHi = std::fabs(pos.x() - pixelX(owner_->lineHi_));
    if (std::min(dLo, dHi) > kGrabPixels || !inPlotY(pos)) return 0;
    return dHi <= dLo ? 2 : 1;
  }

 protected:
  void mousePressEvent(QMouseEvent* e) override {
    if (e->button() != Qt::LeftButton) return QChartView::mousePressEvent(e);
    pressPos_ = e->position();
    grabbed_ = lineNear(pressPos_);
    dragged_ = false;
    clickCandidate_ = grabbed_ == 0 && inPlot(pressPos_);
    e->accept();
  }
  void mouseMoveEvent(QMouseEvent* e) override {
    const QPointF pos = e->position();
    if (grabbed_ != 0) {
      dragged_ = true;
      owner_->dragLine(grabbed_ == 2, valueAt(pos).x());
    } else {
      if (clickCandidate_ && (pos - pressPos_).manhattanLength() > kClickSlop)
        clickCandidate_ = false;
      viewport()->setCursor(lineNear(pos) != 0 ? Qt::SizeHorCursor : Qt::ArrowCursor);
    }
    e->accept();
  }
  void mouseReleaseEvent(QMouseEvent* e) override {
    if (e->button() != Qt::LeftButton) return QChartView::mouseReleaseEvent(e);
    if (grabbed_ != 0) {
      // Pressing and releasing a line without moving it is not an edit.
      if (dragged_) owner_->dragLine(grabbed_ == 2, valueAt(e->position()).x());
      owner_->endDrag();
    } else if (clickCandidate_ && inPlot(e->position())) {
      owner_->clickAt(valueAt(e->position()).x());
    }
    grabbed_ = 0;
    dragged_ = false;
    clickCandidate_ = false;
    e->accept();
  }
  bool viewportEvent(QEvent* e) override {
    if (e->type() == QEvent::ToolTip) {
      // What is under the pointer: a clipping line, a bar, or (elsewhere) the general help.
      auto* help = static_cast<QHelpEvent*>(e);
      const QString text =
          owner_->toolTipAt(lineNear(help->pos()), valueAt(help->pos()).x(), inPlot(help->pos()));
      if (!text.isEmpty()) {
        QToolTip::showText(help->globalPos(), text, viewport());
        return true;
      }
    }
    return QChartView::viewportEvent(e);
  }
  void drawForeground(QPainter* painter, const QRectF& rect) override {
    QChartView::drawForeground(painter, rect);
    if (owner_->levelValues_.empty()) return;
    const QRectF plot = chart()->mapRectToScene(chart()->plotArea());
    painter->save();
    painter->setClipRect(plot);
    painter->setRenderHint(QPainter::Antialiasing, false);
    QPen pen(QColor(0, 0, 0, 70), 0);
    painter->setPen(pen);
    for (double v : owner_->levelValues_) {
      const double x = chart()->mapToScene(chart()->mapToPosition(QPointF(v, owner_->midY()))).x();
      painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
    painter->restore();
  }

 private:
  bool inPlotY(const QPointF& viewportPos) const {
    const QPointF p = chart()->mapFromScene(mapToScene(viewportPos.toPoint()));
    const QRectF plot = chart()->plotArea();
    return p.y() >= plot.top() - kGrabPixels && p.y() <= plot.bottom() + kGrabPixels;
  }

  HistogramView* owner_;
  QPointF pressPos_;
  int grabbed_ = 0;
  bool dragged_ = false;
  bool clickCandidate_ = false;
};

HistogramView::HistogramView(Session* session, QWidget* parent)
    : QWidget(parent), session_(session) {
  setObjectName(QStringLiteral("HistogramView"));

  chart_ = new QChart;
  cs::applyChartStyle(chart_);
  chart_->setTitle(tr("Value histogram and clipping range"));
  // The legend is a wrapping label under the chart: Qt's legend elides entries in a narrow dock.
  chart_->legend()->hide();

  axisX_ = new QValueAxis;
  cs::styleAxis(axisX_, tr("value"));
  axisX_->setLabelFormat(QStringLiteral("%.3g"));
  axisYLin_ = new QValueAxis;
  cs::styleAxis(axisYLin_, tr("count"));
  axisYLin_->setLabelFormat(QStringLiteral("%.0f"));
  axisYLog_ = new QLogValueAxis;
  cs::styleAxis(axisYLog_, tr("count (log scale)"));
  axisYLog_->setBase(10.0);
  axisYLog_->setLabelFormat(QStringLiteral("%g"));
  axisYLog_->setMinorTickCount(0);
  chart_->addAxis(axisX_, Qt::AlignBottom);
  chart_->addAxis(axisYLog_, Qt::AlignLeft);
  axisY_ = axisYLog_;

  auto addSeries = [this](QAbstractSeries* s) {
    chart_->addSeries(s);
    s->attachAxis(axisX_);
    s->attachAxis(axisY_);
  };

  barsUpper_ = new QLineSeries(this);
  barsLower_ = new QLineSeries(this);
  bars_ = new QAreaSeries(barsUpper_, barsLower_);
  bars_->setName(tr("histogram"));
  bars_->setColor(cs::kSkyBlue);
  bars_->setBorderColor(cs::kBlue);
  bars_->setPen(QPen(cs::kBlue, 1.0));
  addSeries(bars_);

  auto makeTail = [this, &addSeries]() {
    auto* up = new QLineSeries(this);
    auto* down = new QLineSeries(this);
    auto* tail = new QAreaSeries(up, down);
    QColor fill = cs::kVermillion;
    fill.setAlpha(60);
    tail->setBrush(fill);
    tail->setPen(Qt::NoPen);
    addSeries(tail);
    return tail;
  };
  tailLo_ = makeTail();
  tailHi_ = makeTail();

  // Calibration markers are created in refresh() (their number comes from Session).
  auto makeLine = [&addSeries]() {
    auto* s = new QLineSeries;
    s->setPen(QPen(cs::kBlack, 2.5));
    addSeries(s);
    return s;
  };
  probeSeries_ = new QLineSeries;
  probeSeries_->setPen(QPen(cs::kGrey, 2.0, Qt::DotLine));
  addSeries(probeSeries_);
  lineLoSeries_ = makeLine();
  lineHiSeries_ = makeLine();
  lineLoSeries_->setName(tr("clipping range"));

  view_ = new HistogramChartView(chart_, this);
  cs::keepNiceTicks(view_, axisX_, 90);
  cs::keepNiceTicks(view_, axisYLin_, 45, 1.0);
  // Low enough that a 1280x720 projector with presenter fonts fits the chart, its top row and
  // the legend without squeezing one under another.
  view_->setMinimumSize(320, 170);
  view_->setToolTip(
      tr("<p>Histogram of the tensor's values.</p>"
         "<p><b>Black lines</b>: the clipping range. Drag them: values outside are clipped "
         "to the first / last integer code (shaded tails). A drag is one undo step.</p>"
         "<p><b>Grey grid</b>: the values the integer codes dequantize to "
         "(scale &times; (q &minus; zero point)); every value is rounded to the nearest "
         "one.</p>"
         "<p><b>Coloured brackets</b>: the range each calibration method would choose.</p>"
         "<p>Click a bar to inspect its value in the number-format view.</p>"));

  logBox_ = new QCheckBox(tr("Log counts"), this);
  logBox_->setToolTip(
      tr("Show counts on a logarithmic axis, so that rare outliers, which "
         "decide the min-max range, stay visible."));
  logBox_->setChecked(true);
  connect(logBox_, &QCheckBox::toggled, this, &HistogramView::setLogCounts);
  info_ = new QLabel(this);
  info_->setToolTip(
      tr("Fraction of the values that lie outside the clipping range and are "
         "saturated to the end codes. Clipping error can be much larger than "
         "rounding error."));
  warning_ = new QLabel(this);
  warning_->setObjectName(QStringLiteral("calibrationWarning"));
  warning_->setWordWrap(true);
  warning_->setTextFormat(Qt::PlainText);
  QPalette warningPalette = warning_->palette();
  warningPalette.setColor(QPalette::WindowText, cs::kVermillion);
  warning_->setPalette(warningPalette);
  warning_->setToolTip(
      tr("Percentile, MSE, entropy and histogram calibration estimate a distribution: a channel "
         "or group with only a few dozen values is too small for that, so its range is its "
         "minimum and maximum instead."));
  warning_->hide();
  levelsInfo_ = new QLabel(this);
  levelsInfo_->setToolTip(
      tr("The grid of representable values: code q maps back to "
         "scale &times; (q &minus; zero point)."));
  // May be cut short rather than widen the window (presenter mode at 1280 px with 1.5x fonts);
  // the mapping view and the tooltip carry the same facts.
  levelsInfo_->setWordWrap(false);
  levelsInfo_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  levelsInfo_->setMinimumWidth(0);

  legend_ = new QLabel(this);
  legend_->setWordWrap(true);
  legend_->setTextFormat(Qt::RichText);
  legendTip_ =
      tr("The ranges that each calibration method would choose for this tensor "
         "and bit width. Choosing one in the controls makes it the clipping "
         "range.");
  legend_->setToolTip(legendTip_);
  legend_->setObjectName(QStringLiteral("histogramLegend"));
  // The one link: stopping the exact pass over a streamed tensor.
  legend_->setTextInteractionFlags(Qt::LinksAccessibleByMouse);
  connect(legend_, &QLabel::linkActivated, session_, &Session::stopExactPass);

  auto* top = new QHBoxLayout;
  top->addWidget(logBox_);
  top->addSpacing(12);
  top->addWidget(info_);
  top->addSpacing(12);
  top->addWidget(levelsInfo_, 1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addLayout(top);
  layout->addWidget(warning_);
  layout->addWidget(view_, 1);
  layout->addWidget(legend_);

  new UpdatingBadge(session_, this);  // owned by this view
  connect(session_, &Session::resultsChanged, this, &HistogramView::refresh);
  // The "stop the exact pass" link comes and goes with the pending state.
  connect(session_, &Session::resultsPendingChanged, this, &HistogramView::updateLegend);
  // The calibration markers arrive from the background, a little after the rest.
  connect(session_, &Session::markersChanged, this, [this] {
    if (!dragging_) refresh();
  });
  connect(session_, &Session::probeValueChanged, this, [this] {
    updateProbe();
    updateLegend();
  });
  connect(session_, &Session::selectedSlotChanged, this, &HistogramView::refresh);
  refresh();
}

HistogramView::~HistogramView() {
  // The y axis not attached to the chart has no owner.
  if (axisY_ != axisYLin_) delete axisYLin_;
  if (axisY_ != axisYLog_) delete axisYLog_;
}

QChartView* HistogramView::chartView() const { return view_; }
QChart* HistogramView::chart() const { return chart_; }
bool HistogramView::logCounts() const { return axisY_ == axisYLog_; }

double HistogramView::midY() const {
  if (logCounts()) return std::sqrt(yLo_ * yHi_);
  return 0.5 * (yLo_ + yHi_);
}

QString HistogramView::clippedText() const { return info_->text(); }
QString HistogramView::levelsText() const { return levelsFull_; }
QString HistogramView::legendText() const { return legend_->text(); }
QString HistogramView::calibrationWarningText() const {
  return warning_->isHidden() ? QString() : warning_->text();
}

void HistogramView::setLogCounts(bool on) {
  if (on == logCounts()) return;
  {
    const QSignalBlocker block(logBox_);
    logBox_->setChecked(on);
  }
  QAbstractAxis* next = on ? static_cast<QAbstractAxis*>(axisYLog_) : axisYLin_;
  chart_->removeAxis(axisY_);  // detaches every series
  chart_->addAxis(next, Qt::AlignLeft);
  axisY_ = next;
  for (QAbstractSeries* s : chart_->series()) s->attachAxis(axisY_);
  refresh();
}

void HistogramView::refresh() {
  const quant::Histogram& h = session_->histogram();
  chart_->setTitle(
      session_->histogramSampled()
          ? tr("Value histogram of a sample (%1 of %2 values) and clipping range")
                .arg(QLocale().toString(static_cast<qulonglong>(session_->sampleSize())),
                     QLocale().toString(static_cast<qlonglong>(session_->valueCount())))
          : tr("Value histogram and clipping range"));
  const bool log = logCounts();
  const double base = log ? kLogFloor : 0.0;

  // Bars as one step outline: two points per bin, the area below filled.
  QList<QPointF> upper;
  upper.reserve(static_cast<qsizetype>(2 * h.counts.size() + 2));
  double maxCount = 0;
  const double w = h.binWidth();
  if (!h.counts.empty()) {
    upper.append(QPointF(h.lo, base));
    for (std::size_t i = 0; i < h.counts.size(); ++i) {
      const double c = std::max(static_cast<double>(h.counts[i]), base);
      const double left = h.lo + static_cast<double>(i) * w;
      upper.append(QPointF(left, c));
      upper.append(QPointF(left + w, c));
      maxCount = std::max(maxCount, c);
    }
    upper.append(QPointF(h.lo + static_cast<double>(h.counts.size()) * w, base));
  }
  barCount_ = static_cast<int>(h.counts.size());

  if (!dragging_) updateXAxis();
  updateYAxis(maxCount);
  barsUpper_->replace(upper);
  barsLower_->replace(QList<QPointF>{QPointF(xMin_, base), QPointF(xMax_, base)});
  updateVerticals();
  updateLevels();
  updateTexts();
  view_->viewport()->update();
}

void HistogramView::updateXAxis() {
  const quant::Histogram& h = session_->histogram();
  double lo = h.lo, hi = h.hi;
  const quant::Range r = session_->activeRange();
  lo = std::min(lo, static_cast<double>(r.lo));
  hi = std::max(hi, static_cast<double>(r.hi));
  if (session_->params().ranges.size() == 1) {
    lo = std::min(lo, static_cast<double>(session_->params().ranges[0].lo));
    hi = std::max(hi, static_cast<double>(session_->params().ranges[0].hi));
  }
  for (const auto& m : session_->markers()) {
    lo = std::min(lo, static_cast<double>(m.range.lo));
    hi = std::max(hi, static_cast<double>(m.range.hi));
  }
  if (!std::isfinite(lo) || !std::isfinite(hi)) lo = hi = 0;
  double pad = 0.04 * (hi - lo);
  if (!(pad > 0)) pad = std::max(1e-6, std::fabs(hi) * 0.1);
  xMin_ = lo - pad;
  xMax_ = hi + pad;
  cs::setAxisRange(axisX_, xMin_, xMax_);
}

void HistogramView::updateYAxis(double maxCount) {
  if (logCounts()) {
    yLo_ = kLogFloor;
    yHi_ = std::max(10.0, maxCount * 3.0);
    axisYLog_->setRange(yLo_, yHi_);
  } else {
    yLo_ = 0;
    yHi_ = std::max(1.0, maxCount * 1.08);
    cs::setAxisRange(axisYLin_, yLo_, yHi_);
  }
}

void HistogramView::setLinePoints(QLineSeries* s, double x) const {
  s->replace(QList<QPointF>{QPointF(x, yLo_), QPointF(x, yHi_)});
}

double HistogramView::bracketY(int index, int count) const {
  // Brackets stacked from near the top down, so equal ranges stay distinguishable.
  const double f = 0.95 - 0.07 * (count - 1 - index);
  if (logCounts()) return yLo_ * std::pow(yHi_ / yLo_, f);
  return yLo_ + f * (yHi_ - yLo_);
}

void HistogramView::updateVerticals() {
  const quant::Range r = session_->activeRange();
  lineLo_ = r.lo;
  lineHi_ = r.hi;
  setLinePoints(lineLoSeries_, lineLo_);
  setLinePoints(lineHiSeries_, lineHi_);

  // The tails: what every slot saturates, as the clipped share counts the whole tensor (per
  // tensor params' range, which a symmetric scheme widens to +-max; per channel or group the
  // envelope of the slots' ranges, beyond which every value is clipped whatever its slot).
  quant::Range clip = clipInForce();
  for (const quant::Range& slot : session_->params().ranges) {
    clip.lo = std::min(clip.lo, slot.lo);
    clip.hi = std::max(clip.hi, slot.hi);
  }
  auto rect = [this](QAreaSeries* a, double x0, double x1) {
    if (x1 < x0) x1 = x0;
    a->upperSeries()->replace(QList<QPointF>{QPointF(x0, yHi_), QPointF(x1, yHi_)});
    a->lowerSeries()->replace(QList<QPointF>{QPointF(x0, yLo_), QPointF(x1, yLo_)});
  };
  rect(tailLo_, xMin_, std::max(xMin_, static_cast<double>(clip.lo)));
  rect(tailHi_, std::min(xMax_, static_cast<double>(clip.hi)), xMax_);
  tailLo_->setName(tr("clipped: %1").arg(cs::formatPercent(session_->metrics().clippedFraction)));

  const auto& markers = session_->markers();
  if (markers.size() != markerSeries_.size()) {
    for (QLineSeries* s : markerSeries_) {
      chart_->removeSeries(s);
      delete s;
    }
    markerSeries_.clear();
    for (std::size_t i = 0; i < markers.size(); ++i) {
      auto* s = new QLineSeries;
      QPen pen(cs::categoryColor(static_cast<int>(i)), 2.0, Qt::DashLine);
      s->setPen(pen);
      chart_->addSeries(s);
      s->attachAxis(axisX_);
      s->attachAxis(axisY_);
      markerSeries_.push_back(s);
    }
    // Keep the draggable lines on top of the brackets.
    for (QLineSeries* s : {lineLoSeries_, lineHiSeries_}) {
      chart_->removeSeries(s);
      chart_->addSeries(s);
      s->attachAxis(axisX_);
      s->attachAxis(axisY_);
    }
  }
  const int n = static_cast<int>(markers.size());
  for (int i = 0; i < n; ++i) {
    const auto& m = markers[static_cast<std::size_t>(i)];
    const double yb = bracketY(i, n);
    markerSeries_[static_cast<std::size_t>(i)]->setName(tr("%1 [%2, %3]")
                                                            .arg(QString::fromStdString(m.label),
                                                                 cs::formatValue(m.range.lo),
                                                                 cs::formatValue(m.range.hi)));
    markerSeries_[static_cast<std::size_t>(i)]->replace(
        QList<QPointF>{QPointF(m.range.lo, yLo_), QPointF(m.range.lo, yb), QPointF(m.range.hi, yb),
                       QPointF(m.range.hi, yLo_)});
  }
  updateProbe();
  updateLegend();
}

void HistogramView::updateProbe() {
  // The value shown in the number-format view, if it lies on the axis.
  const double v = session_->probeValue();
  if (std::isfinite(v) && v >= xMin_ && v <= xMax_)
    setLinePoints(probeSeries_, v);
  else
    probeSeries_->clear();
}

void HistogramView::updateLegend() {
  // Entries never break inside (non-breaking spaces), only between entries.
  auto entry = [](const QString& sw, const QString& text) {
    return sw + QStringLiteral("&nbsp;") +
           text.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;"));
  };
  const QColor tail(238, 190, 160);  // the shading's colour on white
  // The range in force, written as the mapping and the Low / High boxes write it.
  const quant::Range clip = clipInForce();
  const QString slot = slotLabel(*session_, session_->selectedSlot());
  const QString clipText =
      slot.isEmpty()
          ? tr("clipping range [%1, %2]").arg(cs::formatValue(clip.lo), cs::formatValue(clip.hi))
          : tr("clipping range of %1 [%2, %3]")
                .arg(slot, cs::formatValue(clip.lo), cs::formatValue(clip.hi));
  QStringList parts{
      entry(cs::swatch(cs::kSkyBlue), tr("histogram")),
      entry(cs::swatch(cs::kBlack, true), clipText),
      entry(cs::swatch(tail),
            tr("clipped %1").arg(cs::formatPercent(session_->metrics().clippedFraction)))};
  const auto& markers = session_->markers();
  const int n = static_cast<int>(markers.size());
  // The brackets calibrate the whole tensor; per channel / group they are not the grid in force.
  if (n > 0 && !slot.isEmpty()) parts << entry(QString(), tr("whole tensor:"));
  for (int i = 0; i < n; ++i) {
    const auto& m = markers[static_cast<std::size_t>(i)];
    parts << entry(cs::swatch(cs::categoryColor(i), true),
                   tr("%1 [%2, %3]")
                       .arg(QString::fromStdString(m.label), cs::formatValue(m.range.lo),
                            cs::formatValue(m.range.hi)));
  }
  // Ranges of the previous grid stay drawn until the current ones arrive, labelled as such.
  const QString lagging = tr("(ranges for %1, updating…)")
                              .arg(QString::fromStdString(session_->markersSpec().describe()));
  const bool markersLag = !markers.empty() && session_->markersPending();
  if (markers.empty() && session_->markersPending())
    parts << entry(QString(), tr("(computing the calibration ranges…)"));
  if (markersLag) parts << entry(QString(), lagging);
  // Compact: the names alone (the ranges are in the tooltip, the clipped share on the top row).
  QStringList brief;
  for (int i = 0; i < n; ++i)
    brief << entry(cs::swatch(cs::categoryColor(i), true),
                   QString::fromStdString(markers[static_cast<std::size_t>(i)].label));
  if (markers.empty() && session_->markersPending())
    brief << entry(QString(), tr("(computing the calibration ranges…)"));
  if (markersLag) brief << entry(QString(), lagging);
  if (session_->streamed()) {
    // Read from the file block by block: say which numbers are still the sample's.
    // The calibration ranges (markers, and the searching calibrators) always use the sample.
    const QString what =
        session_->histogramSampled() ? tr("histogram, error and calibration ranges from a sample")
        : session_->metricsSampled() ? tr("error and calibration ranges from a sample")
                                     : tr("histogram and error exact over every value, "
                                          "calibration ranges from a sample");
    QString text = what.toHtmlEscaped();
    if (session_->resultsPending())
      text += QStringLiteral(" <a href=\"stop\">%1</a>").arg(tr("stop the exact pass"));
    parts << entry(QString(), QString()) + text;
    brief << entry(QString(), QString()) + text;
  }
  if (std::isfinite(session_->probeValue())) {
    const QString probe =
        QStringLiteral("<span style=\"color:%1\">&#8942;</span>").arg(cs::kGrey.name());
    const QString probed = tr("probed %1").arg(cs::formatValue(session_->probeValue()));
    parts << entry(probe, probed);
    brief << entry(probe, probed);
  }
  fullLegend_ = parts.join(QStringLiteral(" &nbsp; "));
  shortLegend_ = brief.join(QStringLiteral(" &nbsp; "));
  fitTexts();
}

void HistogramView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fitTexts();
}

void HistogramView::fitTexts() {
  // The width the layout gives the labels (its margins are 4 px).
  const int w = std::max(1, width() - 8);
  // Measured on a document like the label's, so the label's text changes at most once.
  QTextDocument doc;
  doc.setDocumentMargin(0);
  doc.setDefaultFont(legend_->font());
  doc.setHtml(fullLegend_);
  doc.setTextWidth(w);
  const int lineH = std::max(1, legend_->fontMetrics().lineSpacing());
  const int allowedLines = std::max(1, height() / 5 / lineH);
  compactLegend_ = doc.size().height() > allowedLines * lineH + lineH / 2;
  legend_->setText(compactLegend_ ? shortLegend_ : fullLegend_);
  legend_->setToolTip(compactLegend_
                          ? QStringLiteral("<p>%1</p><p>%2</p>").arg(legendTip_, fullLegend_)
                          : legendTip_);
  // The log axis title is cut to "count (log sc…" in a low chart; the short one says it all.
  axisYLog_->setTitleText(compactLegend_ ? tr("count (log)") : tr("count (log scale)"));
  // Never squeezed under the chart: the label keeps the height its wrapped text needs.
  legend_->setMinimumHeight(legend_->heightForWidth(w));
  // The grid summary: the long text when it fits, else the short one (the tooltip has both).
  const QFontMetrics fm = levelsInfo_->fontMetrics();
  const int room = levelsInfo_->width() > 0 ? levelsInfo_->width() : w / 2;
  levelsInfo_->setText(fm.horizontalAdvance(levelsFull_) <= room ? levelsFull_ : levelsShort_);
}

void HistogramView::updateLevels() {
  levelValues_.clear();
  levelLinesDrawn_ = 0;
  levelStride_ = 1;
  visibleLevels_ = 0;
  const quant::QuantParams& p = session_->params();
  if (p.scales.empty() || p.zeroPoints.empty()) return;
  const std::size_t slot = selectedIndex();
  const float scale = p.scales[slot];
  const std::int32_t zp = p.zeroPoints[slot];
  const int qmin = p.spec.qmin(), qmax = p.spec.qmax();
  // The codes whose dequantized values fall in the visible x range.
  const std::int32_t qa = quant::quantizeValue(toFloat(xMin_), scale, zp, qmin, qmax);
  const std::int32_t qb = quant::quantizeValue(toFloat(xMax_), scale, zp, qmin, qmax);
  visibleLevels_ = static_cast<std::int64_t>(qb) - qa + 1;
  if (visibleLevels_ <= 0) return;
  levelStride_ = static_cast<int>((visibleLevels_ + kMaxLevelLines - 1) / kMaxLevelLines);
  for (std::int32_t q = qa; q <= qb; ++q) {
    // Thin out relative to the zero point so that the level of 0.0 is always drawn.
    const std::int64_t k = static_cast<std::int64_t>(q) - zp;
    if (((k % levelStride_) + levelStride_) % levelStride_ != 0) continue;
    levelValues_.push_back(quant::dequantizeValue(q, scale, zp));
  }
  levelLinesDrawn_ = static_cast<int>(levelValues_.size());
}

void HistogramView::updateTexts() {
  const quant::ErrorMetrics& m = session_->metrics();
  info_->setText(tr("<b>%1 clipped</b>").arg(cs::formatPercent(m.clippedFraction)));
  const QString warning = fallbackWarning(*session_);
  warning_->setText(warning);
  warning_->setVisible(!warning.isEmpty());
  const quant::QuantParams& p = session_->params();
  QString grid;
  if (p.scales.empty()) {
    grid = tr("No quantization grid");
  } else {
    const std::size_t index = selectedIndex();
    const QString label = slotLabel(*session_, static_cast<int>(index));
    const QString slot = label.isEmpty() ? QString() : tr(" (%1)").arg(label);
    grid = levelStride_ <= 1 ? tr("Grid: %1 levels in view, step %2%3")
                                   .arg(visibleLevels_)
                                   .arg(cs::formatValue(p.scales[index]), slot)
                             : tr("Grid: %1 levels in view, 1 in %2 drawn, step %3%4")
                                   .arg(visibleLevels_)
                                   .arg(levelStride_)
                                   .arg(cs::formatValue(p.scales[index]), slot);
  }
  levelsFull_ = grid;
  levelsShort_ =
      p.scales.empty() ? grid : tr("step %1").arg(cs::formatValue(p.scales[selectedIndex()]));
  fitTexts();
  if (!session_->lastError().isEmpty())
    info_->setText(tr("<b>Error:</b> %1").arg(session_->lastError().toHtmlEscaped()));
}

std::size_t HistogramView::selectedIndex() const {
  const std::size_t n = session_->params().scales.size();
  return n == 0 ? 0 : std::min(static_cast<std::size_t>(session_->selectedSlot()), n - 1);
}

quant::Range HistogramView::clipInForce() const {
  const quant::QuantParams& p = session_->params();
  return p.ranges.empty() ? session_->activeRange() : p.ranges[selectedIndex()];
}

void HistogramView::dragLine(bool upper, double value) {
  if (!std::isfinite(value)) return;
  value = std::clamp(value, xMin_, xMax_);
  if (!dragging_) {
    // A drag is one undo step even if the previous edit was also a range edit.
    session_->endMergeSequence();
    dragging_ = true;
  }
  quant::Range r = session_->activeRange();
  if (upper)
    r.hi = toFloat(std::max(value, static_cast<double>(r.lo)));
  else
    r.lo = toFloat(std::min(value, static_cast<double>(r.hi)));
  session_->setManualRange(r, Session::kMergeRange);
  // Move the line now; the rest follows on resultsChanged.
  lineLo_ = r.lo;
  lineHi_ = r.hi;
  setLinePoints(lineLoSeries_, lineLo_);
  setLinePoints(lineHiSeries_, lineHi_);
}

void HistogramView::endDrag() {
  if (dragging_) {
    session_->endMergeSequence();
    dragging_ = false;
    refresh();
  }
}

QString HistogramView::toolTipAt(int line, double value, bool inPlot) const {
  if (line == 1 || line == 2) {
    return tr("<p><b>%1 clipping limit: %2</b></p><p>Drag to change the range; values beyond "
              "it are saturated to the %3 code. One drag is one undo step.</p>")
        .arg(line == 2 ? tr("Upper") : tr("Lower"), cs::formatValue(line == 2 ? lineHi_ : lineLo_),
             line == 2 ? tr("last") : tr("first"));
  }
  const quant::Histogram& h = session_->histogram();
  const double w = h.binWidth();
  if (!inPlot || h.counts.empty() || !(w > 0) || !std::isfinite(value) || value < h.lo ||
      value > h.lo + w * static_cast<double>(h.counts.size()))
    return {};
  const auto i = std::min(static_cast<std::size_t>((value - h.lo) / w), h.counts.size() - 1);
  return tr("<p><b>%1 values</b> near %2 (bin width %3)</p><p>Click to inspect this value in "
            "the number-format view.</p>")
      .arg(h.counts[i])
      .arg(cs::formatValue(h.binCenter(i)), cs::formatValue(w));
}

void HistogramView::clickAt(double value) {
  const quant::Histogram& h = session_->histogram();
  if (h.counts.empty() || !std::isfinite(value)) return;
  const double w = h.binWidth();
  if (!(w > 0) || value < h.lo || value > h.lo + w * static_cast<double>(h.counts.size())) return;
  // Which bar was hit: pixel-to-bin lookup, then the engine's own bin centre.
  const auto i = std::min(static_cast<std::size_t>((value - h.lo) / w), h.counts.size() - 1);
  session_->setProbeValue(h.binCenter(i));
}

}  // namespace quantlab::ui
