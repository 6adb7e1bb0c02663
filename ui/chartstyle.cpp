// SPDX-License-Identifier: GPL-3.0-or-later
#include "chartstyle.h"

#include <QApplication>
#include <QFont>
#include <QtCharts/QAbstractAxis>
#include <QtCharts/QChart>
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

void applyChartStyle(QChart* chart) {
  chart->setTheme(QChart::ChartThemeLight);
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->setBackgroundRoundness(0);
  chart->setMargins(QMargins(4, 4, 4, 4));
  QFont title = QApplication::font();
  title.setBold(true);
  chart->setTitleFont(title);
  chart->legend()->setFont(QApplication::font());
}

void styleAxis(QAbstractAxis* axis, const QString& title) {
  axis->setTitleText(title);
  QFont f = QApplication::font();
  axis->setLabelsFont(f);
  axis->setTitleFont(f);
  axis->setLabelsColor(kBlack);
  axis->setTitleBrush(kBlack);
}

void setNiceTicks(QValueAxis* axis, double lo, double hi, int maxTicks) {
  const double span = hi - lo;
  if (!(span > 0) || !std::isfinite(span) || maxTicks < 2) {
    axis->setTickType(QValueAxis::TicksFixed);
    axis->setTickCount(2);
    return;
  }
  // Smallest 1/2/5 x 10^k step giving at most maxTicks intervals; drawing only.
  const double raw = span / maxTicks;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  axis->setTickType(QValueAxis::TicksDynamic);
  axis->setTickAnchor(0.0);
  axis->setTickInterval(step);
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
  if (pct != 0.0 && std::fabs(pct) < 0.01) return QObject::tr("%1%").arg(QString::number(pct, 'g', 2));
  return QObject::tr("%1%").arg(QString::number(pct, 'f', 2));
}

}  // namespace quantlab::ui::chartstyle
