// SPDX-License-Identifier: GPL-3.0-or-later
#include "controlspanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QStyle>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "session.h"

namespace quantlab::ui {

namespace {
// Room for the vertical scroll bar next to the rows, plus a little air.
int scrollBarRoom(const QWidget* w) {
  return w->style()->pixelMetric(QStyle::PM_ScrollBarExtent, nullptr, w) + 4;
}

QString granularityText(quant::Granularity g) {
  switch (g) {
    case quant::Granularity::PerTensor:
      return QObject::tr("per tensor");
    case quant::Granularity::PerChannel:
      return QObject::tr("per channel");
    case quant::Granularity::PerGroup:
      return QObject::tr("per group");
  }
  return {};
}
}  // namespace

ControlsPanel::ControlsPanel(Session* session, QWidget* parent)
    : QWidget(parent), session_(session) {
  setObjectName("ControlsPanel");

  // ---- the integer grid ----
  auto* gridBox = new QGroupBox(tr("Integer grid"), this);
  bitsSlider_ = new QSlider(Qt::Horizontal, gridBox);
  bitsSlider_->setObjectName("bitsSlider");
  bitsSlider_->setRange(2, 16);
  bitsSlider_->setPageStep(1);
  bitsSlider_->setTickPosition(QSlider::TicksBelow);
  bitsSlider_->setTickInterval(2);
  bitsSpin_ = new QSpinBox(gridBox);
  bitsSpin_->setObjectName("bitsSpin");
  bitsSpin_->setRange(2, 16);
  bitsSpin_->setSuffix(tr(" bits"));
  const QString bitsTip =
      tr("Bit width b: the grid has 2^b levels. Every extra bit halves the step size (the "
         "scale) and adds about 6 dB of SQNR. Ctrl+Up / Ctrl+Down change it from anywhere.");
  bitsSlider_->setToolTip(bitsTip);
  bitsSpin_->setToolTip(bitsTip);
  levelsLabel_ = new QLabel(gridBox);
  levelsLabel_->setObjectName("levelsLabel");
  levelsLabel_->setToolTip(tr("The integer codes the grid can use (qmin to qmax)."));
  signedCombo_ = new QComboBox(gridBox);
  signedCombo_->setObjectName("signedCombo");
  signedCombo_->addItem(tr("signed (int)"), true);
  signedCombo_->addItem(tr("unsigned (uint)"), false);
  signedCombo_->setToolTip(
      tr("Signed codes run from -2^(b-1) to 2^(b-1)-1 (int8: -128..127); unsigned codes from 0 "
         "to 2^b-1 (uint8: 0..255). Unsigned suits ReLU outputs, which are never negative."));
  schemeCombo_ = new QComboBox(gridBox);
  schemeCombo_->setObjectName("schemeCombo");
  schemeCombo_->addItem(tr("symmetric"), static_cast<int>(quant::Scheme::Symmetric));
  schemeCombo_->addItem(tr("asymmetric (affine)"), static_cast<int>(quant::Scheme::Asymmetric));
  schemeCombo_->setToolTip(
      tr("Symmetric: the range is ±max|x| and real 0 maps to code 0 (no zero point to add). "
         "Asymmetric: the range is [min, max] and a zero point shifts the grid so it fits "
         "lopsided data such as ReLU outputs, at the cost of an extra add."));
  narrow_ = new QCheckBox(tr("Narrow range"), gridBox);
  narrow_->setObjectName("narrowCheck");
  narrow_->setToolTip(
      tr("Drop the lowest code (int8 becomes -127..127) so the grid is exactly "
         "symmetric around zero, as some accelerators require."));
  auto* bitsRow = new QHBoxLayout;
  bitsRow->addWidget(bitsSlider_, 1);
  bitsRow->addWidget(bitsSpin_);
  auto* gridForm = new QFormLayout(gridBox);
  auto* bitsLabel = new QLabel(tr("&Bits:"), gridBox);
  bitsLabel->setBuddy(bitsSpin_);
  gridForm->addRow(bitsLabel, bitsRow);
  gridForm->addRow(tr("Codes:"), levelsLabel_);
  gridForm->addRow(tr("&Type:"), signedCombo_);
  gridForm->addRow(tr("&Scheme:"), schemeCombo_);
  gridForm->addRow(QString(), narrow_);

  // ---- granularity ----
  auto* granBox = new QGroupBox(tr("Granularity"), this);
  granularity_ = new QComboBox(granBox);
  granularity_->setObjectName("granularityCombo");
  for (auto g : {quant::Granularity::PerTensor, quant::Granularity::PerChannel,
                 quant::Granularity::PerGroup})
    granularity_->addItem(granularityText(g), static_cast<int>(g));
  granularity_->setToolTip(
      tr("How many scales the tensor gets. Per tensor: one scale for everything, so one outlier "
         "coarsens the whole grid. Per channel: one scale per slice along the axis (usually the "
         "output channels of a weight). Per group: one scale per block of elements along the "
         "axis, as in 4-bit LLM weights."));
  axis_ = new QSpinBox(granBox);
  axis_->setObjectName("axisSpin");
  axis_->setToolTip(
      tr("The axis whose slices get their own scale (negative counts from the "
         "end, as in numpy)."));
  groupSize_ = new QSpinBox(granBox);
  groupSize_->setObjectName("groupSizeSpin");
  groupSize_->setRange(1, 1 << 20);
  groupSize_->setToolTip(
      tr("Elements per group along the axis; smaller groups follow the data "
         "more closely but store more scales."));
  auto* granForm = new QFormLayout(granBox);
  granForm->addRow(tr("&Granularity:"), granularity_);
  axisLabel_ = new QLabel(tr("&Axis:"), granBox);
  axisLabel_->setBuddy(axis_);
  granForm->addRow(axisLabel_, axis_);
  groupLabel_ = new QLabel(tr("Group si&ze:"), granBox);
  groupLabel_->setBuddy(groupSize_);
  granForm->addRow(groupLabel_, groupSize_);

  // ---- calibration ----
  auto* calBox = new QGroupBox(tr("Calibration"), this);
  calibration_ = new QComboBox(calBox);
  calibration_->setObjectName("calibrationCombo");
  using M = quant::CalibrationMethod;
  calibration_->addItem(tr("min-max"), static_cast<int>(M::MinMax));
  calibration_->addItem(tr("moving-average min-max"), static_cast<int>(M::MovingAverageMinMax));
  calibration_->addItem(tr("percentile"), static_cast<int>(M::Percentile));
  calibration_->addItem(tr("MSE (minimum error)"), static_cast<int>(M::Mse));
  calibration_->addItem(tr("entropy (KL, TensorRT)"), static_cast<int>(M::Entropy));
  calibration_->addItem(tr("histogram L2 (PyTorch)"), static_cast<int>(M::HistogramL2));
  calibration_->setToolTip(
      tr("How the clipping range is chosen. Min-max keeps every value but lets outliers stretch "
         "the grid; percentile, MSE, entropy and histogram L2 clip the rare extremes so the "
         "common values get finer steps."));
  percentile_ = new QDoubleSpinBox(calBox);
  percentile_->setObjectName("percentileSpin");
  percentile_->setRange(50.0, 100.0);
  percentile_->setDecimals(3);
  percentile_->setSingleStep(0.01);
  percentile_->setSuffix(QStringLiteral(" %"));
  percentile_->setKeyboardTracking(false);
  percentile_->setToolTip(
      tr("Keep this share of the values inside the range: 99.99 % clips the "
         "0.01 % most extreme values on each side."));
  auto* calForm = new QFormLayout(calBox);
  calForm->addRow(tr("&Method:"), calibration_);
  percentileLabel_ = new QLabel(tr("&Percentile:"), calBox);
  percentileLabel_->setBuddy(percentile_);
  calForm->addRow(percentileLabel_, percentile_);

  // ---- manual clipping range ----
  auto* rangeBox = new QGroupBox(tr("Clipping range"), this);
  automatic_ = new QCheckBox(tr("Automatic (from calibration)"), rangeBox);
  automatic_->setObjectName("automaticRangeCheck");
  automatic_->setToolTip(
      tr("Checked: the calibration method picks the range. Edit the bounds "
         "to clip by hand; values outside [low, high] saturate."));
  lo_ = new QDoubleSpinBox(rangeBox);
  hi_ = new QDoubleSpinBox(rangeBox);
  lo_->setObjectName("rangeLowSpin");
  hi_->setObjectName("rangeHighSpin");
  for (auto* box : {lo_, hi_}) {
    box->setRange(-1e9, 1e9);
    box->setDecimals(5);
    box->setKeyboardTracking(false);
    box->setMinimumWidth(90);
  }
  lo_->setToolTip(tr("Lower clipping bound: smaller values all map to the lowest code."));
  hi_->setToolTip(tr("Upper clipping bound: larger values all map to the highest code."));
  auto* rangeForm = new QFormLayout(rangeBox);
  rangeForm->addRow(automatic_);
  rangeForm->addRow(tr("&Low:"), lo_);
  rangeForm->addRow(tr("&High:"), hi_);

  auto* layout = new QVBoxLayout(this);
  layout->addWidget(gridBox);
  layout->addWidget(granBox);
  layout->addWidget(calBox);
  layout->addWidget(rangeBox);
  layout->addStretch(1);

  // ---- edits -> session ----
  connect(bitsSlider_, &QSlider::valueChanged, this, [this](int v) { onBits(v, true); });
  connect(bitsSpin_, &QSpinBox::valueChanged, this, [this](int v) { onBits(v, false); });
  // A drag is one undo step: it neither merges into the edit before it nor into the next one.
  connect(bitsSlider_, &QSlider::sliderPressed, session_, &Session::endMergeSequence);
  connect(bitsSlider_, &QSlider::sliderReleased, session_, &Session::endMergeSequence);
  connect(signedCombo_, &QComboBox::currentIndexChanged, this, [this] {
    quant::QuantSpec s = session_->spec();
    s.isSigned = signedCombo_->currentData().toBool();
    applySpec(s, s.isSigned ? tr("Signed") : tr("Unsigned"), Session::kMergeNone);
  });
  connect(schemeCombo_, &QComboBox::currentIndexChanged, this, [this] {
    quant::QuantSpec s = session_->spec();
    s.scheme = static_cast<quant::Scheme>(schemeCombo_->currentData().toInt());
    applySpec(s, tr("Scheme: %1").arg(schemeCombo_->currentText()), Session::kMergeNone);
  });
  connect(narrow_, &QCheckBox::toggled, this, [this](bool on) {
    quant::QuantSpec s = session_->spec();
    s.narrowRange = on;
    applySpec(s, on ? tr("Narrow range") : tr("Full range"), Session::kMergeNone);
  });
  connect(granularity_, &QComboBox::currentIndexChanged, this, &ControlsPanel::onGranularity);
  connect(axis_, &QSpinBox::valueChanged, this, &ControlsPanel::onGranularity);
  connect(groupSize_, &QSpinBox::valueChanged, this, &ControlsPanel::onGranularity);
  connect(calibration_, &QComboBox::currentIndexChanged, this, &ControlsPanel::onCalibration);
  connect(percentile_, &QDoubleSpinBox::valueChanged, this, &ControlsPanel::onCalibration);
  connect(automatic_, &QCheckBox::toggled, this, &ControlsPanel::onAutomaticToggled);
  connect(lo_, &QDoubleSpinBox::valueChanged, this, &ControlsPanel::onRangeEdited);
  connect(hi_, &QDoubleSpinBox::valueChanged, this, &ControlsPanel::onRangeEdited);
  // Arrow clicks on a bound merge into one step; a typed value (editing finished) ends it.
  connect(lo_, &QDoubleSpinBox::editingFinished, session_, &Session::endMergeSequence);
  connect(hi_, &QDoubleSpinBox::editingFinished, session_, &Session::endMergeSequence);

  // ---- session -> controls ----
  connect(session_, &Session::specChanged, this, &ControlsPanel::syncFromSession);
  connect(session_, &Session::tensorChanged, this, &ControlsPanel::syncAxisLimits);
  connect(session_, &Session::resultsChanged, this, &ControlsPanel::syncRange);
  // Low / High show the range in force of the channel or group the views show.
  connect(session_, &Session::selectedSlotChanged, this, &ControlsPanel::syncRange);
  syncAxisLimits();
  syncFromSession();
  syncRange();
}

void ControlsPanel::applySpec(const quant::QuantSpec& spec, const QString& what, int mergeKey) {
  try {
    session_->setSpec(spec, what, mergeKey);
  } catch (const quant::Error& e) {
    emit errorMessage(QString::fromStdString(e.what()));
    syncFromSession();  // show the state that is really in force
  }
}

void ControlsPanel::onBits(int bits, bool fromSlider) {
  if (bits == session_->spec().bits) return;
  quant::QuantSpec s = session_->spec();
  s.bits = bits;
  // Only a mouse drag merges; arrow keys and the spin box make one step per change.
  const int key =
      fromSlider && bitsSlider_->isSliderDown() ? Session::kMergeBits : Session::kMergeNone;
  applySpec(s, tr("Bits: %1").arg(bits), key);
}

void ControlsPanel::stepBits(int delta) {
  const int bits = std::clamp(session_->spec().bits + delta, 2, 16);
  if (bits == session_->spec().bits) return;
  quant::QuantSpec s = session_->spec();
  s.bits = bits;
  applySpec(s, tr("Bits: %1").arg(bits), Session::kMergeNone);
}

void ControlsPanel::onGranularity() {
  quant::QuantSpec s = session_->spec();
  s.granularity = static_cast<quant::Granularity>(granularity_->currentData().toInt());
  s.axis = axis_->value();
  s.groupSize = groupSize_->value();
  applySpec(s, tr("Granularity: %1").arg(granularity_->currentText()), Session::kMergeNone);
}

void ControlsPanel::onCalibration() {
  quant::CalibrationConfig c = session_->calibration();
  c.method = static_cast<quant::CalibrationMethod>(calibration_->currentData().toInt());
  c.percentile = percentile_->value();
  session_->setCalibration(c);
}

void ControlsPanel::onAutomaticToggled(bool automatic) {
  if (automatic == !session_->manualRange().has_value()) return;
  if (automatic) {
    session_->setManualRange(std::nullopt);
  } else {
    // Start from the range in force, so unticking changes nothing until a bound is edited.
    session_->setManualRange(session_->activeRange());
  }
}

void ControlsPanel::onRangeEdited() {
  quant::Range r{static_cast<float>(lo_->value()), static_cast<float>(hi_->value())};
  session_->setManualRange(r, Session::kMergeRange);
}

void ControlsPanel::syncAxisLimits() {
  const int rank = std::max<int>(1, static_cast<int>(session_->tensor().shape.size()));
  QSignalBlocker block(axis_);
  axis_->setRange(-rank, rank - 1);
}

void ControlsPanel::syncFromSession() {
  const quant::QuantSpec& s = session_->spec();
  {
    const QSignalBlocker b1(bitsSlider_), b2(bitsSpin_), b3(signedCombo_), b4(schemeCombo_),
        b5(narrow_), b6(granularity_), b7(axis_), b8(groupSize_), b9(calibration_),
        b10(percentile_);
    bitsSlider_->setValue(s.bits);
    bitsSpin_->setValue(s.bits);
    signedCombo_->setCurrentIndex(s.isSigned ? 0 : 1);
    schemeCombo_->setCurrentIndex(schemeCombo_->findData(static_cast<int>(s.scheme)));
    narrow_->setChecked(s.narrowRange);
    granularity_->setCurrentIndex(granularity_->findData(static_cast<int>(s.granularity)));
    axis_->setValue(s.axis);
    groupSize_->setValue(s.groupSize);
    const quant::CalibrationConfig& c = session_->calibration();
    calibration_->setCurrentIndex(calibration_->findData(static_cast<int>(c.method)));
    percentile_->setValue(c.percentile);
  }
  int qmin = 0, qmax = 0;
  try {
    qmin = s.qmin();
    qmax = s.qmax();
  } catch (const quant::Error&) {
  }
  levelsLabel_->setText(tr("%1 … %2  (%3 levels)").arg(qmin).arg(qmax).arg(qmax - qmin + 1));
  const bool perTensor = s.granularity == quant::Granularity::PerTensor;
  const bool perGroup = s.granularity == quant::Granularity::PerGroup;
  axis_->setEnabled(!perTensor);
  axisLabel_->setEnabled(!perTensor);
  groupSize_->setEnabled(perGroup);
  groupLabel_->setEnabled(perGroup);
  const bool pct = session_->calibration().method == quant::CalibrationMethod::Percentile;
  percentile_->setEnabled(pct);
  percentileLabel_->setEnabled(pct);
  syncRange();
}

void ControlsPanel::syncRange() {
  const QSignalBlocker b1(automatic_), b2(lo_), b3(hi_);
  automatic_->setChecked(!session_->manualRange().has_value());
  const quant::Range r = session_->activeRange();
  lo_->setValue(r.lo);
  hi_->setValue(r.hi);
  // Step the range bounds in ~1/100 of the data's span so the arrows do something visible.
  const quant::Histogram& h = session_->histogram();
  const double span = std::isfinite(h.hi - h.lo) && h.hi > h.lo ? h.hi - h.lo : 1.0;
  const double step = std::pow(10.0, std::floor(std::log10(span / 100.0)));
  lo_->setSingleStep(step);
  hi_->setSingleStep(step);
}

void ControlsPanel::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  switch (event->type()) {
    case QEvent::FontChange:
    case QEvent::StyleChange:
    case QEvent::LanguageChange:
      // The children get the new font after the panel does: measure once they all have it.
      QTimer::singleShot(0, this, &ControlsPanel::fitScrollArea);
      break;
    default:
      break;
  }
}

void ControlsPanel::fitScrollArea() {
  QScrollArea* scroll = nullptr;
  for (QWidget* w = parentWidget(); w && !scroll; w = w->parentWidget())
    scroll = qobject_cast<QScrollArea*>(w);
  if (!scroll || scroll->widget() != this) return;
  if (layout()) layout()->activate();
  scroll->setMinimumWidth(sizeHint().width() + scrollBarRoom(scroll));
}

}  // namespace quantlab::ui
