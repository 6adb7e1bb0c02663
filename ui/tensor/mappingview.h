// SPDX-License-Identifier: GPL-3.0-or-later
// How the float axis maps onto the integer codes, symmetric and asymmetric one above the other,
// for the same tensor (Session::symmetricParams / asymmetricParams, first slot). Each panel draws
// the float axis with the tensor's finite data range and the clipping range, lines from
// representative floats to the code they quantize to (quant::quantizeValue: ties to even, then
// clamped), the integer axis [qmin, qmax] with the zero point, and the codes no value in the data
// range can reach shaded (quant::reachableCodes), with "N of M codes used" and the step (scale).
// The probed value (Session::probeValue) is marked with the code it maps to.
// A low view (a 1280x720 projector with presenter fonts) still shows the mapping: first each
// panel goes compact (title and summary on one line, one row of labels, no legend), then only
// the panel of the scheme in force is drawn; a placeholder is left only for a view too small to
// hold even that.
#pragma once

#include <QString>
#include <QStringList>
#include <QWidget>
#include <array>

#include "quant/numeric/analysis.h"
#include "quant/numeric/quantize.h"

class QSpinBox;

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

  // What the view draws at a given size (see the header comment).
  enum class Detail {
    Full,         // both panels, each with its legend, summary line and up to 2 label rows
    Compact,      // both panels, compact
    Single,       // the panel of the scheme in force only (compact if it must be)
    Placeholder,  // "(enlarge the view)"
  };
  Detail detailFor(const QSize& size) const;
  Detail detail() const { return detailFor(size()); }
  // The panel a Single view shows: the scheme of Session::spec().
  Panel currentPanel() const;
  // The panel titles as last painted (top to bottom) and the width they had to fit in, for tests.
  // A narrow panel shortens its title ("sym uint8 · s = 0.007874 · z = 128", then just the
  // numbers) rather than eliding it: the scale and zero point are always shown whole.
  QStringList panelTitles() const { return paintedTitles_; }
  int panelTitleRoom() const { return paintedTitleRoom_; }

  // The slot (channel / group) the panels show: Session::selectedSlot() within the slot count.
  int selectedSlot() const;
  QSpinBox* slotPicker() const { return slotPicker_; }

  QSize sizeHint() const override { return {800, 500}; }
  // Room for one compact panel: below it the view scrolls (in its dock) instead.
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  struct PanelData {
    bool valid = false;
    QString title;
    QString shortTitle;    // for a compact panel: "Symmetric int8: s = 0.0063, z = 0"
    QString tinyTitle;     // narrower: "sym int8 · s = 0.0063 · z = 0"
    QString schemeTitle;   // then without the type: "sym · s = 0.0063 · z = 0"
    QString numbersTitle;  // narrowest: "s = 0.0063 · z = 0" (the panel order tells the scheme)
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
  // Shows the picker per channel / group (hidden per tensor and in exports) and places it.
  void updatePicker();
  int topInset() const;  // the strip above the panels that the picker takes
  void paintPanel(class QPainter& p, const QRect& area, const PanelData& d) const;
  // Pixel heights a panel needs, from the font: the full layout (one label row) and compact.
  int panelHeight(bool compact) const;
  int minPanelWidth() const;
  // The longest title variant of `d` that fits `width` in the bold title font.
  QString fittingTitle(const PanelData& d, const QString& summary, int width, bool compact) const;

  Session* session_;
  QSpinBox* slotPicker_ = nullptr;
  bool pickerWanted_ = false;  // per channel / group
  std::array<PanelData, 2> panels_;
  mutable QStringList paintedTitles_;
  mutable int paintedTitleRoom_ = 0;
};

}  // namespace quantlab::ui
