// SPDX-License-Identifier: GPL-3.0-or-later
// One look for every chart view: the Okabe-Ito colour-blind-safe palette, readable fonts,
// animations off (they lag behind slider drags), and the number formats the views and their
// tests share (so a test can compare a label with the value it came from).
#pragma once

#include <QColor>
#include <QString>

class QChart;
class QChartView;
class QValueAxis;
class QAbstractAxis;

namespace quantlab::ui::chartstyle {

// A PNG/SVG export of a view leaves out its buttons and check boxes, and any child widget whose
// property of this name is true: a control that only steers the view (the mapping's channel
// picker), unlike a spin box whose value labels the figure (the channel axis).
inline constexpr char kHideInFigure[] = "hideInFigure";

// Okabe & Ito (2008), distinguishable with the common colour-vision deficiencies.
inline const QColor kBlack{0, 0, 0};
inline const QColor kOrange{230, 159, 0};
inline const QColor kSkyBlue{86, 180, 233};
inline const QColor kGreen{0, 158, 115};
inline const QColor kYellow{240, 228, 66};
inline const QColor kBlue{0, 114, 178};
inline const QColor kVermillion{213, 94, 0};
inline const QColor kPurple{204, 121, 167};
inline const QColor kGrey{110, 110, 110};

// Colour for the i-th of several named things (calibration markers, series): cycles through the
// palette, skipping blue (the data) and black (the active range).
QColor categoryColor(int i);

// Light theme, no animations, title, legend and axes in the application font (never smaller),
// following it when it changes (presenter mode).
void applyChartStyle(QChart* chart);
// Axis title and label fonts at the application size.
void styleAxis(QAbstractAxis* axis, const QString& title);
// Ticks at "nice" multiples (1, 2, 5 x 10^k) so that at most about maxTicks labels show, never
// closer than minStep (1 for channel numbers; 0 = no limit).
void setNiceTicks(QValueAxis* axis, double lo, double hi, int maxTicks, double minStep = 0.0);
// Sets an axis range without ever laying out an absurd number of ticks: Qt Charts lays out the
// new range with the OLD tick interval before any rangeChanged handler can re-pick it, so an
// interval left from a tiny range (1e-12) would mean billions of ticks on [-400, 400]. A
// non-finite or empty range is widened to something drawable. Use this for every QValueAxis.
void setAxisRange(QValueAxis* axis, double lo, double hi);
// The most ticks any axis is ever allowed to lay out (range / interval).
inline constexpr double kMaxTicksEver = 1000.0;
// Keeps an axis (already added to the view's chart) on nice ticks, about one label per
// pixelsPerTick pixels, whenever its range or the view's size changes.
void keepNiceTicks(QChartView* view, QValueAxis* axis, int pixelsPerTick, double minStep = 0.0);
// "■" in a colour, for legends built from rich text.
QString swatch(const QColor& color, bool line = false);

// "38.21 dB"; "+inf dB" / "-inf dB" for exact / all-error reconstructions.
QString formatDb(double db);
// Signed difference in dB: "+6.92 dB".
QString formatDbDelta(double db);
// Four significant digits, e.g. "0.003125", "1.234e-05".
QString formatValue(double v);
// A fraction as a percentage: "3.20%"; tiny non-zero fractions keep a visible digit ("0.012%").
QString formatPercent(double fraction);
// A change in percentage points, always signed: "+0.11", "−0.11" (U+2212), "0.00".
QString formatPointsDelta(double points);

}  // namespace quantlab::ui::chartstyle
