// SPDX-License-Identifier: GPL-3.0-or-later
// The quantization controls: bit width, signedness, scheme, narrow range, granularity,
// calibration method and the manual clipping range. Every edit goes through the Session's
// undoable setters; the controls follow Session::specChanged / resultsChanged (with
// QSignalBlocker, so showing a value never sends it back as an edit).
#pragma once

#include <QWidget>

#include "quant/numeric/quantize.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSlider;
class QSpinBox;

namespace quantlab::ui {

class Session;

class ControlsPanel : public QWidget {
  Q_OBJECT
 public:
  explicit ControlsPanel(Session* session, QWidget* parent = nullptr);

  // One bit more / fewer (Ctrl+Up / Ctrl+Down), each its own undo step.
  void stepBits(int delta);

  QSlider* bitsSlider() const { return bitsSlider_; }
  QSpinBox* bitsSpin() const { return bitsSpin_; }

 signals:
  // A change the session refused (e.g. group size 0); for the status bar.
  void errorMessage(const QString& message);

 protected:
  // Font, style and language changes (presenter mode's 1.5x font) widen the rows: the scroll
  // area the panel sits in (it never scrolls sideways) is widened to match.
  void changeEvent(QEvent* event) override;

 private:
  // Sets the enclosing QScrollArea's minimum width from the panel's sizeHint (no-op outside one).
  void fitScrollArea();
  void syncFromSession();
  void syncRange();
  void syncAxisLimits();
  void applySpec(const quant::QuantSpec& spec, const QString& what, int mergeKey);
  void onBits(int bits, bool fromSlider);
  void onGranularity();
  void onCalibration();
  void onRangeEdited();
  void onAutomaticToggled(bool automatic);

  Session* session_;
  QSlider* bitsSlider_;
  QSpinBox* bitsSpin_;
  QLabel* levelsLabel_;
  QComboBox* signedCombo_;
  QComboBox* schemeCombo_;
  QCheckBox* narrow_;
  QComboBox* granularity_;
  QSpinBox* axis_;
  QSpinBox* groupSize_;
  QLabel* axisLabel_;
  QLabel* groupLabel_;
  QComboBox* calibration_;
  QDoubleSpinBox* percentile_;
  QLabel* percentileLabel_;
  QCheckBox* automatic_;
  QDoubleSpinBox* lo_;
  QDoubleSpinBox* hi_;
};

}  // namespace quantlab::ui
