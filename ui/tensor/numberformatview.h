// SPDX-License-Identifier: GPL-3.0-or-later
// The probed value (Session::probeValue) in fp32, fp16, bf16, fp8 E4M3FN and fp8 E5M2, one row
// per format: its bits as clickable cells, the formula filled in, the exact decimal value, the
// neighbours and the gap (ULP), the class and the rounding error (round to nearest, ties to
// even, overflow to infinity / NaN as quant::encode does). Beside it: the same value's integer
// code under the session's current quantization (first parameter slot) with the integer step
// (the scale), to compare a uniform integer grid with the floats' magnitude-dependent gaps.
//
// Editing: type a value; click a bit to flip it (that format's new value becomes the probe);
// Up/Right and Down/Left step one ULP in the selected format. All numbers come from
// quant::encode / decode / exactDecimal / formatBinary and quant::quantizeValue.
#pragma once

#include <QWidget>
#include <cstdint>
#include <vector>

#include "quant/numeric/formats.h"

class QLabel;
class QLineEdit;

namespace quantlab::ui {

class Session;
class BitCellsWidget;

class NumberFormatView : public QWidget {
  Q_OBJECT
 public:
  explicit NumberFormatView(Session* session, QWidget* parent = nullptr);

  // The formats shown, top to bottom (fp32, fp16, bf16, e4m3fn, e5m2).
  int formatCount() const { return static_cast<int>(rows_.size()); }
  const quant::FloatFormat& formatAt(int row) const;
  // The bit cells of one format (objectName "bits_<format name>").
  BitCellsWidget* bitCells(int row) const;
  // The format the arrow keys step (the last one clicked or focused).
  int selectedRow() const { return selected_; }
  void setSelectedRow(int row);
  // Step the selected format by one ULP (+1 up, -1 down): the neighbour becomes the probe value.
  void step(int direction);

 protected:
  void keyPressEvent(QKeyEvent* event) override;
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  struct Row {
    quant::FloatFormat format;
    BitCellsWidget* bits = nullptr;
    QLabel* name = nullptr;
    QLabel* hex = nullptr;
    QLabel* cls = nullptr;
    QLabel* formula = nullptr;
    QLabel* value = nullptr;
    QLabel* neighbours = nullptr;
  };

  void refresh();
  void refreshRow(Row& row, double probe);
  void refreshInteger(double probe);
  void applyTypedText();
  void flipBit(int row, int bit);

  Session* session_;
  QLineEdit* edit_ = nullptr;
  QLabel* editStatus_ = nullptr;
  QLabel* intTitle_ = nullptr;
  QLabel* intCode_ = nullptr;
  QLabel* intDetails_ = nullptr;
  QLabel* intStep_ = nullptr;
  std::vector<Row> rows_;
  int selected_ = 1;  // fp16: the format the course starts with
};

}  // namespace quantlab::ui
