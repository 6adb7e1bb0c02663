// SPDX-License-Identifier: GPL-3.0-or-later
// How the float axis maps onto the integer codes, symmetric and asymmetric one above the other,
// for the same tensor (Session::symmetricParams / asymmetricParams, first slot). Each panel draws
// the float axis with the tensor's finite data range and the clipping range, lines from
// representative floats to the code they quantize to (quant::quantizeValue: ties to even, then
// clamped), the integer axis [qmin, qmax] with the zero point, and the codes no value in the data
// range can reach shaded (quant::reachableCodes), with "N of M codes used" and the step (scale).
// The probed value (Session::probeValue) is marked with the code it maps to.
#pragma once

#include <QString>
#include <QWidget>
#include <array>

#include "quant/analysis.h"
#include "quant/quantize.h"

namespace quantlab::ui {

class Session;

class MappingView : public QWidget {
  Q_OBJECT
 public:
  enum Panel { Symmetric = 0, Asymmetric = 1 };

  explicit MappingView(Session* session, QWidget* parent = nullptr);

  // What the panels show (read-only, for tests and the status bar).
  bool hasData(Panel panel) const { return panels_[panel].valid; }
  const quant::ReachableCodes& reachable(Panel panel) const { return panels_[panel].codes; }
  QString usedCodesText(Panel panel) const;  // "128 of 256 codes used"
  float scale(Panel panel) const { return panels_[panel].scale; }
  // The code Session::probeValue() quantizes to in that panel's scheme.
  std::int32_t probeCode(Panel panel) const { return panels_[panel].probeCode; }
  std::int32_t zeroPoint(Panel panel) const { return panels_[panel].zeroPoint; }

  QSize sizeHint() const override { return {800, 500}; }
  QSize minimumSizeHint() const override { return {420, 280}; }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  struct PanelData {
    bool valid = false;
    QString title;
    quant::QuantSpec spec;
    float scale = 1.0f;
    std::int32_t zeroPoint = 0;
    int qmin = 0, qmax = 0;
    quant::Range clip;             // the clipping range in force
    float dataLo = 0, dataHi = 0;  // the tensor's finite min / max
    quant::ReachableCodes codes;
    bool hasProbe = false;  // Session::probeValue(), when finite
    float probe = 0;
    std::int32_t probeCode = 0;
    // Representative floats and the codes they quantize to (computed by core/ on refresh).
    std::vector<std::pair<float, std::int32_t>> samples;
  };

  void refresh();
  void paintPanel(class QPainter& p, const QRect& area, const PanelData& d) const;

  Session* session_;
  std::array<PanelData, 2> panels_;
};

}  // namespace quantlab::ui
