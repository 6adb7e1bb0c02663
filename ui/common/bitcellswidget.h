// SPDX-License-Identifier: GPL-3.0-or-later
// One float bit pattern drawn as a row of clickable cells, coloured by field (sign / exponent /
// mantissa). Clicking a cell asks to flip that bit; Up/Right and Down/Left ask to step one ULP.
// The widget holds no numerics: it only draws the bits it is given and reports clicks.
#pragma once

#include <QColor>
#include <QWidget>
#include <cstdint>

#include "quant/numeric/formats.h"

namespace quantlab::ui {

class BitCellsWidget : public QWidget {
  Q_OBJECT
 public:
  enum class Field { Sign, Exponent, Mantissa };

  explicit BitCellsWidget(const quant::FloatFormat& format, QWidget* parent = nullptr);

  const quant::FloatFormat& format() const { return format_; }
  std::uint32_t bits() const { return bits_; }
  void setBits(std::uint32_t bits);
  // Drawn with a highlighted frame: the format the arrow keys step.
  void setSelected(bool selected);
  bool isSelected() const { return selected_; }

  // Bit index (0 = least significant) -> its cell, in widget coordinates (for tests and tooltips).
  QRect cellRect(int bit) const;
  Field fieldOf(int bit) const;
  // The palette (Okabe-Ito, distinguishable with the common colour-vision deficiencies).
  static QColor fieldColor(Field f);
  static QString fieldName(Field f);

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 signals:
  void bitClicked(int bit);
  void stepRequested(int direction);  // +1: next value up, -1: next value down
  void activated();                   // clicked or focused: this format becomes the selected one

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void focusInEvent(QFocusEvent* event) override;
  bool event(QEvent* event) override;

 private:
  int bitAt(const QPoint& pos) const;
  int cellWidth() const;
  int headerHeight() const;
  int cellsLeft() const;

  quant::FloatFormat format_;
  std::uint32_t bits_ = 0;
  bool selected_ = false;
};

}  // namespace quantlab::ui
