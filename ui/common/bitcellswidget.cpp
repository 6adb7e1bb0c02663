// SPDX-License-Identifier: GPL-3.0-or-later
#include "bitcellswidget.h"

#include <QFocusEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>

namespace quantlab::ui {

namespace {
constexpr int kMargin = 3;    // room for the focus / selection frame
constexpr int kFieldGap = 5;  // space between sign, exponent and mantissa groups
}  // namespace

BitCellsWidget::BitCellsWidget(const quant::FloatFormat& format, QWidget* parent)
    : QWidget(parent), format_(format) {
  setFocusPolicy(Qt::StrongFocus);
  setSizePolicy(QSizePolicy::Maximum, QSizePolicy::Fixed);
  setCursor(Qt::PointingHandCursor);
  setToolTip(
      tr("Click a bit to flip it. Up/Right steps to the next larger value, Down/Left to "
         "the next smaller one (one ULP)."));
}

void BitCellsWidget::setBits(std::uint32_t bits) {
  if (bits == bits_) return;
  bits_ = bits;
  update();
}

void BitCellsWidget::setSelected(bool selected) {
  if (selected == selected_) return;
  selected_ = selected;
  update();
}

BitCellsWidget::Field BitCellsWidget::fieldOf(int bit) const {
  if (bit == format_.totalBits() - 1) return Field::Sign;
  if (bit >= format_.mantissaBits) return Field::Exponent;
  return Field::Mantissa;
}

QColor BitCellsWidget::fieldColor(Field f) {
  // Okabe-Ito orange, sky blue and bluish green: distinct for deuteranopia / protanopia /
  // tritanopia, and all light enough for black digits (contrast >= 6:1) on a washed-out projector.
  switch (f) {
    case Field::Sign:
      return QColor(0xE6, 0x9F, 0x00);
    case Field::Exponent:
      return QColor(0x56, 0xB4, 0xE9);
    case Field::Mantissa:
      return QColor(0x00, 0x9E, 0x73);
  }
  return Qt::gray;
}

QString BitCellsWidget::fieldName(Field f) {
  switch (f) {
    case Field::Sign:
      return tr("sign");
    case Field::Exponent:
      return tr("exponent");
    case Field::Mantissa:
      return tr("mantissa");
  }
  return {};
}

int BitCellsWidget::headerHeight() const { return fontMetrics().height() + 2; }

int BitCellsWidget::cellsLeft() const { return kMargin; }

int BitCellsWidget::cellWidth() const {
  const int n = format_.totalBits();
  const int gaps = format_.mantissaBits > 0 ? 2 : 1;
  const int preferred = std::max(fontMetrics().horizontalAdvance(QLatin1Char('0')) * 2 + 6, 22);
  const int available = (width() - 2 * kMargin - gaps * kFieldGap) / n;
  return std::clamp(available, 10, preferred);
}

QRect BitCellsWidget::cellRect(int bit) const {
  const int n = format_.totalBits();
  const int i = n - 1 - bit;  // position from the left
  int gaps = i >= 1 ? 1 : 0;
  if (format_.mantissaBits > 0 && i >= 1 + format_.exponentBits) ++gaps;
  const int cw = cellWidth();
  const int h = fontMetrics().height() + 12;
  return QRect(cellsLeft() + i * cw + gaps * kFieldGap, kMargin + headerHeight(), cw, h);
}

QSize BitCellsWidget::sizeHint() const {
  const int n = format_.totalBits();
  const int cw = std::max(fontMetrics().horizontalAdvance(QLatin1Char('0')) * 2 + 6, 22);
  return QSize(2 * kMargin + n * cw + 2 * kFieldGap,
               2 * kMargin + headerHeight() + fontMetrics().height() + 12);
}

QSize BitCellsWidget::minimumSizeHint() const {
  const int n = format_.totalBits();
  return QSize(2 * kMargin + n * 10 + 2 * kFieldGap, sizeHint().height());
}

int BitCellsWidget::bitAt(const QPoint& pos) const {
  for (int bit = 0; bit < format_.totalBits(); ++bit) {
    if (cellRect(bit).contains(pos)) return bit;
  }
  return -1;
}

void BitCellsWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const int n = format_.totalBits();
  const QColor text = palette().color(QPalette::WindowText);

  // Field captions above their cells; a short form when the full word does not fit.
  const Field fields[] = {Field::Sign, Field::Exponent, Field::Mantissa};
  for (Field f : fields) {
    int hiBit = -1, loBit = -1;
    for (int bit = n - 1; bit >= 0; --bit) {
      if (fieldOf(bit) != f) continue;
      if (hiBit < 0) hiBit = bit;
      loBit = bit;
    }
    if (hiBit < 0) continue;
    const QRect span = cellRect(hiBit).united(cellRect(loBit));
    const QRect caption(span.left(), kMargin, span.width(), headerHeight());
    QString label = fieldName(f);
    if (f != Field::Sign) label += QStringLiteral(" (%1)").arg(hiBit - loBit + 1);
    if (fontMetrics().horizontalAdvance(label) > caption.width()) label = fieldName(f).left(1);
    p.setPen(text);
    p.drawText(caption, Qt::AlignCenter, label);
  }

  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  for (int bit = 0; bit < n; ++bit) {
    const QRect r = cellRect(bit).adjusted(1, 0, -1, 0);
    const bool one = (bits_ >> bit) & 1u;
    QColor fill = fieldColor(fieldOf(bit));
    // A zero bit is a pale tint of its field colour, so ones stand out without relying on hue.
    if (!one)
      fill = QColor::fromRgbF(0.35f * fill.redF() + 0.65f, 0.35f * fill.greenF() + 0.65f,
                              0.35f * fill.blueF() + 0.65f);
    p.setPen(QPen(QColor(40, 40, 40), 1));
    p.setBrush(fill);
    p.drawRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
    p.setPen(Qt::black);
    p.drawText(r, Qt::AlignCenter, one ? QStringLiteral("1") : QStringLiteral("0"));
  }

  if (selected_ || hasFocus()) {
    const QRect all = cellRect(n - 1).united(cellRect(0)).adjusted(-2, -2, 2, 2);
    QPen pen(palette().color(QPalette::Highlight), hasFocus() ? 3 : 2);
    if (!hasFocus()) pen.setStyle(Qt::DashLine);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(QRectF(all), 4, 4);
  }
}

void BitCellsWidget::mousePressEvent(QMouseEvent* event) {
  const int bit = bitAt(event->position().toPoint());
  emit activated();
  if (bit >= 0 && event->button() == Qt::LeftButton) emit bitClicked(bit);
  QWidget::mousePressEvent(event);
}

void BitCellsWidget::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_Up:
    case Qt::Key_Right:
      emit stepRequested(+1);
      return;
    case Qt::Key_Down:
    case Qt::Key_Left:
      emit stepRequested(-1);
      return;
    default:
      QWidget::keyPressEvent(event);
  }
}

void BitCellsWidget::focusInEvent(QFocusEvent* event) {
  emit activated();
  QWidget::focusInEvent(event);
}

bool BitCellsWidget::event(QEvent* event) {
  if (event->type() == QEvent::ToolTip) {
    auto* help = static_cast<QHelpEvent*>(event);
    const int bit = bitAt(help->pos());
    if (bit >= 0) {
      QString what;
      switch (fieldOf(bit)) {
        case Field::Sign:
          what = tr("the sign bit: 0 = positive, 1 = negative");
          break;
        case Field::Exponent:
          what = tr("exponent bit worth 2^%1 in the biased exponent (bias %2)")
                     .arg(bit - format_.mantissaBits)
                     .arg(format_.bias);
          break;
        case Field::Mantissa:
          what = tr("mantissa bit worth 2^-%1 of the significand").arg(format_.mantissaBits - bit);
          break;
      }
      QToolTip::showText(help->globalPos(), tr("bit %1: %2. Click to flip it.").arg(bit).arg(what),
                         this);
      return true;
    }
  }
  return QWidget::event(event);
}

}  // namespace quantlab::ui
