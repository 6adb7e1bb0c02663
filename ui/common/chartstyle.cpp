// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartstyle.h"

#include <QApplication>
#include <QEvent>
#include <QFont>
#include <QGraphicsLayout>
#include <QtCharts/QAbstractAxis>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QValueAxis>
#include <array>
#include <cmath>

namespace quantlab::ui::chartstyle {

QColor categoryColor(int i) {
  static const std::array<QColor, 5> colors{kOrange, kGreen, kPurple, kVermillion, kSkyBlue};
  const int n = static_cast<int>(colors.size());
  return colors[static_cast<std::size_t>(((i % n) + n) % n)];
}

namespace {

void applyChartFonts(QChart* chart) {
  QFont title = QApplication::font();
  title.setBold(true);
  chart->setTitleFont(title);
  chart->legend()->setFont(QApplication::font());
  for (QAbstractAxis* axis : chart->axes()) {
    axis->setLabelsFont(QApplication::font());
    axis->setTitleFont(QApplication::font());
  }
}

// A chart is a graphics item, not a widget: it does not inherit the application font when
// presenter mode enlarges it, so its title, legend and axes would stay small on the projector.
class ChartFontFollower : public QObject {
 public:
  static constexpr const char* kName = "chartFontFollower";
  explicit ChartFontFollower(QChart* chart) : QObject(chart), chart_(chart) {
    setObjectName(QLatin1String(kName));
    qApp->installEventFilter(this);
  }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (watched == qApp && event->type() == QEvent::ApplicationFontChange) applyChartFonts(chart_);
    return false;
  }

 private:
  QChart* chart_;
};

}  // namespace

void applyChartStyle(QChart* chart) {
  chart->setTheme(QChart::ChartThemeLight);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setBackgroundRoundness(0);
  chart->setMargins(QMargins(4, 4, 4, 4));
  applyChartFonts(chart);
  if (!chart->findChild<QObject*>(QLatin1String(ChartFontFollower::kName),
                                  Qt::FindDirectChildrenOnly))
    new ChartFontFollower(chart);
  // No grey frame around the chart: docks are small.
  if (chart->layout()) chart->layout()->setContentsMargins(0, 0, 0, 0);
}

void styleAxis(QAbstractAxis* axis, const QString& title) {
  axis->setTitleText(title);
  QFont f = QApplication::font();
  axis->setLabelsFont(f);
  axis->setTitleFont(f);
  axis->setLabelsColor(kBlack);
  axis->setTitleBrush(kBlack);
}

void setNiceTicks(QValueAxis* axis, double lo, double hi, int maxTicks, double minStep) {
  const double span = hi - lo;
  if (!(span > 0) || !std::isfinite(span) || maxTicks < 2) {
    axis->setTickType(QValueAxis::TicksFixed);
    axis->setTickCount(2);
    return;
  }
  // Smallest 1/2/5 x 10^k step that puts at most maxTicks labels in [lo, hi]. If that leaves
  // fewer than two labels, 2.5 x 10^k (not on integer axes, minStep >= 1) or the next finer step:
  // a little crowded beats unlabelled. Drawing only.
  auto labels = [lo, hi](double s) { return std::floor(hi / s) - std::ceil(lo / s) + 1.0; };
  const double mag = std::pow(10.0, std::floor(std::log10(span / maxTicks)) - 1.0);
  double step = mag, finer = mag;
  bool found = false;
  for (int decade = 0; decade < 4 && !found; ++decade) {
    for (double m : {1.0, 2.0, 5.0}) {
      finer = step;
      step = m * mag * std::pow(10.0, decade);
      if (labels(step) <= maxTicks) {
        found = true;
        break;
      }
    }
  }
  if (labels(step) < 2) {
    const double quarter = step / 2.0;  // 2.5 x 10^k when step is 5 x 10^k
    if (minStep < 1.0 && labels(quarter) >= 2 && labels(quarter) <= maxTicks)
      step = quarter;
    else if (finer < step && finer >= minStep)
      step = finer;
  }
  step = std::max({step, minStep, span / kMaxTicksEver});
  // The interval first: switching to dynamic ticks with a stale tiny interval would lay out
  // range / interval ticks before the new interval arrives.
  axis->setTickInterval(step);
  axis->setTickAnchor(0.0);
  axis->setTickType(QValueAxis::TicksDynamic);
  // Exactly as many decimals as the step has: Qt accumulates the ticks in floating point, and
  // "%g" would print the tick at 0 as -2.78e-16.
  int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  if (std::fabs(mantissa - 2.5) < 1e-6) ++decimals;
  axis->setLabelFormat(decimals <= 4 ? QStringLiteral("%.%1f").arg(decimals)
                                     : QStringLiteral("%.1e"));
}

void setAxisRange(QValueAxis* axis, double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    lo = 0.0;
    hi = 1.0;
  }
  if (!(hi > lo)) {
    const double d = std::max(1e-6, std::fabs(lo) * 1e-3);
    lo -= d;
    hi += d;
  }
  // Fixed ticks (a handful) until the axis' tick keeper re-picks a nice interval for the new
  // range; comparing interval with range also catches intervals left from an earlier tiny range.
  if (axis->tickType() == QValueAxis::TicksDynamic &&
      !(axis->tickInterval() * kMaxTicksEver >= hi - lo)) {
    axis->setTickType(QValueAxis::TicksFixed);
    axis->setTickCount(5);
  }
  axis->setRange(lo, hi);
}

namespace {
// Re-ticks one axis when its chart view is resized. The view's size (less the room axes, title
// and legend take) stands in for the plot area: the plot area is only known during the chart's
// own layout pass, and changing ticks from inside that pass leaves stale intervals.
class TickKeeper : public QObject {
 public:
  TickKeeper(QChartView* view, QValueAxis* axis, int pixelsPerTick, double minStep)
      : QObject(axis), view_(view), axis_(axis), pixelsPerTick_(pixelsPerTick), minStep_(minStep) {
    view->installEventFilter(this);
    QObject::connect(axis, &QValueAxis::rangeChanged, this, [this] { update(); });
    update();
  }
  void update() {
    const bool horizontal = axis_->orientation() == Qt::Horizontal;
    const int pixels = horizontal ? view_->width() - 130 : view_->height() - 130;
    const int maxTicks = std::max(3, pixels / pixelsPerTick_);
    setNiceTicks(axis_, axis_->min(), axis_->max(), maxTicks, minStep_);
  }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (watched == view_ && event->type() == QEvent::Resize) update();
    return false;
  }

 private:
  QChartView* view_;
  QValueAxis* axis_;
  int pixelsPerTick_;
  double minStep_;
};
}  // namespace

void keepNiceTicks(QChartView* view, QValueAxis* axis, int pixelsPerTick, double minStep) {
  new TickKeeper(view, axis, pixelsPerTick, minStep);  // owned by the axis
}

QString swatch(const QColor& color, bool line) {
  return QStringLiteral("<span style=\"color:%1\">%2</span>")
      .arg(color.name(), line ? QStringLiteral("&#9473;&#9473;") : QStringLiteral("&#9632;"));
}

QString formatDb(double db) {
  if (std::isnan(db)) return QObject::tr("n/a");
  if (std::isinf(db)) return db > 0 ? QObject::tr("+inf dB") : QObject::tr("-inf dB");
  return QObject::tr("%1 dB").arg(QString::number(db, 'f', 2));
}

QString formatDbDelta(double db) {
  if (std::isnan(db)) return QObject::tr("n/a");
  if (std::isinf(db)) return db > 0 ? QObject::tr("+inf dB") : QObject::tr("-inf dB");
  return QObject::tr("%1%2 dB").arg(db >= 0 ? QStringLiteral("+") : QString(),
                                    QString::number(db, 'f', 2));
}

QString formatValue(double v) {
  if (std::isnan(v)) return QObject::tr("n/a");
  if (std::isinf(v)) return v > 0 ? QStringLiteral("+inf") : QStringLiteral("-inf");
  return QString::number(v, 'g', 4);
}

QString formatPercent(double fraction) {
  const double pct = fraction * 100.0;
  if (!std::isfinite(pct)) return QObject::tr("n/a");
  if (pct != 0.0 && std::fabs(pct) < 0.01)
    return QObject::tr("%1%").arg(QString::number(pct, 'g', 2));
  return QObject::tr("%1%").arg(QString::number(pct, 'f', 2));
}

QString formatPointsDelta(double points) {
  if (!std::isfinite(points)) return QObject::tr("n/a");
  const QString magnitude = QString::number(std::fabs(points), 'f', 2);
  // Signed only when the shown digits are not all zero: "−0.00" would be noise.
  if (magnitude == QString::number(0.0, 'f', 2)) return magnitude;
  return (points < 0 ? QStringLiteral("\u2212") : QStringLiteral("+")) + magnitude;
}

}  // namespace quantlab::ui::chartstyle
