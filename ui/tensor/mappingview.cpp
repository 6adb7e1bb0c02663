// SPDX-License-Identifier: GPL-3.0-or-later
#include "mappingview.h"

#include <QPainter>
#include <QPainterPath>
#include <QSignalBlocker>
#include <QSpinBox>
#include <algorithm>
#include <cmath>

#include "chartstyle.h"
#include "lazyrefresh.h"
#include "quant/numeric/formats.h"
#include "quant/numeric/histogram.h"
#include "session.h"
#include "slotlabel.h"
#include "updatingbadge.h"

namespace quantlab::ui {

namespace {

// Okabe-Ito colours (colour-blind safe), dark enough for thin lines on white.
const QColor kDataColor(0x00, 0x72, 0xB2);    // blue: the data range
const QColor kClipColor(0xD5, 0x5E, 0x00);    // vermillion: the clipping range, clipped values
const QColor kZeroColor(0x00, 0x9E, 0x73);    // bluish green: zero and the zero point
const QColor kUsedColor(0x56, 0xB4, 0xE9);    // sky blue: reachable codes
const QColor kUnusedColor(0xBB, 0xBB, 0xBB);  // grey: wasted codes
const QColor kProbeColor(0xCC, 0x79, 0xA7);   // reddish purple: the probed value

constexpr int kMarginX = 8, kMarginY = 6, kPanelGap = 10, kPickerGap = 4;

QString num(double v) {
  return QString::number(v, 'g', 4).replace(QLatin1Char('-'), QChar(0x2212));
}

struct AxisLabel {
  double x;  // pixel
  QString text;
  QColor color;
};

// Draws labels centred on their x in up to `rows` text rows starting at `top` (growing down),
// moving a label to the next row when it would overlap one already placed.
void drawLabels(QPainter& p, std::vector<AxisLabel> labels, const QRect& area, int top, int rows,
                bool growUp) {
  const QFontMetrics fm = p.fontMetrics();
  std::sort(labels.begin(), labels.end(),
            [](const AxisLabel& a, const AxisLabel& b) { return a.x < b.x; });
  std::vector<std::vector<QRect>> placed(static_cast<std::size_t>(rows));
  for (const auto& l : labels) {
    const int w = fm.horizontalAdvance(l.text) + 6;
    const int left =
        std::clamp(static_cast<int>(std::lround(l.x)) - w / 2, area.left(), area.right() - w);
    for (int row = 0; row < rows; ++row) {
      const int y = growUp ? top - (row + 1) * fm.height() : top + row * fm.height();
      const QRect r(left, y, w, fm.height());
      auto& used = placed[static_cast<std::size_t>(row)];
      const bool clash =
          std::any_of(used.begin(), used.end(), [&](const QRect& o) { return o.intersects(r); });
      if (clash && row + 1 < rows) continue;
      if (clash) break;  // no room anywhere: leave it out rather than overprint
      used.push_back(r);
      p.setPen(l.color);
      p.drawText(r, Qt::AlignCenter, l.text);
      break;
    }
  }
}

}  // namespace

MappingView::MappingView(Session* session, QWidget* parent) : QWidget(parent), session_(session) {
  setObjectName(QStringLiteral("MappingView"));
  setAttribute(Qt::WA_OpaquePaintEvent);
  setToolTip(
      tr("How floats map to integer codes: q = clamp(round(x / scale) + zero point, qmin, qmax).\n"
         "Symmetric: zero point fixed (0 for signed), the range is made symmetric around 0, so a "
         "tensor with only positive values never uses the negative codes.\n"
         "Asymmetric (affine): the zero point shifts the grid so [min, max] covers every code.\n"
         "Grey hatched codes cannot be reached by any value in the data range: wasted precision."));
  // Per channel / group the panels show one slot, picked here (shared with the histogram).
  slotPicker_ = new QSpinBox(this);
  slotPicker_->setObjectName(QStringLiteral("mappingSlotPicker"));
  slotPicker_->setProperty(chartstyle::kHideInFigure, true);
  slotPicker_->setToolTip(tr("The channel or group whose scale and zero point the panels show."));
  slotPicker_->hide();
  connect(slotPicker_, &QSpinBox::valueChanged, session_, &Session::setSelectedSlot);
  new UpdatingBadge(session_, this);  // owned by this view
  auto* lazy = new LazyRefresh(this, [this] { refresh(); });  // hidden in a tab: later
  connect(session_, &Session::resultsChanged, lazy, &LazyRefresh::request);
  connect(session_, &Session::probeValueChanged, lazy, &LazyRefresh::request);
  connect(session_, &Session::selectedSlotChanged, lazy, &LazyRefresh::request);
  refresh();
}

QString MappingView::usedCodesText(Panel panel) const {
  const auto& d = panels_[panel];
  if (!d.valid) return tr("no data");
  return tr("%1 of %2 codes used").arg(d.codes.used).arg(d.codes.available);
}

int MappingView::selectedSlot() const {
  const int n = static_cast<int>(session_->params().scales.size());
  return n == 0 ? 0 : std::min(session_->selectedSlot(), n - 1);
}

int MappingView::topInset() const {
  return slotPicker_->isHidden() ? 0 : slotPicker_->sizeHint().height() + kPickerGap;
}

void MappingView::updatePicker() {
  const int n = static_cast<int>(session_->params().scales.size());
  const QString label = slotLabel(*session_, 0);
  const bool shown = n > 1 && !label.isEmpty();
  {
    const QSignalBlocker block(slotPicker_);
    if (shown) {
      const bool channels = session_->params().spec.granularity == quant::Granularity::PerChannel;
      slotPicker_->setPrefix(channels ? tr("Channel ") : tr("Group "));
      slotPicker_->setSuffix(tr(" of %1").arg(n));
      slotPicker_->setRange(0, n - 1);
      slotPicker_->setValue(selectedSlot());
    }
  }
  // Only when the granularity changes: an export hides the picker for the figure meanwhile.
  if (shown != pickerWanted_) {
    pickerWanted_ = shown;
    slotPicker_->setVisible(shown);
    updateGeometry();
  }
  slotPicker_->resize(slotPicker_->sizeHint());
  slotPicker_->move(width() - kMarginX - slotPicker_->width(), kMarginY / 2);
}

void MappingView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  updatePicker();
}

void MappingView::refresh() {
  updatePicker();
  const quant::Histogram& h = session_->histogram();
  const bool haveData = h.total() > 0 && std::isfinite(h.lo) && std::isfinite(h.hi);
  const auto slot = static_cast<std::size_t>(selectedSlot());
  const QString label = slotLabel(*session_, static_cast<int>(slot));
  // "int8, channel 3": the slot goes with the type in every title that names the type.
  const QString slotSuffix = label.isEmpty() ? QString() : tr(", %1").arg(label);
  const quant::QuantParams* params[2] = {&session_->symmetricParams(),
                                         &session_->asymmetricParams()};
  const QString names[2] = {tr("Symmetric"), tr("Asymmetric")};
  const QString shortNames[2] = {tr("sym", "short for symmetric"),
                                 tr("asym", "short for asymmetric")};
  for (int i = 0; i < 2; ++i) {
    PanelData& d = panels_[static_cast<std::size_t>(i)];
    const quant::QuantParams& p = *params[i];
    d = PanelData{};
    if (!haveData || slot >= p.scales.size() || slot >= p.zeroPoints.size() ||
        slot >= p.ranges.size())
      continue;
    d.valid = true;
    d.spec = p.spec;
    d.scale = p.scales[slot];
    d.zeroPoint = p.zeroPoints[slot];
    d.qmin = p.spec.qmin();
    d.qmax = p.spec.qmax();
    d.clip = p.ranges[slot];
    // The data range of the slot shown (per tensor, the histogram's: the same min and max).
    const auto& slotData = session_->slotDataRanges();
    const bool split = p.scales.size() > 1 && slot < slotData.size();
    d.dataLo = split ? slotData[slot].min : static_cast<float>(h.lo);
    d.dataHi = split ? slotData[slot].max : static_cast<float>(h.hi);
    d.codes = quant::reachableCodes(p.spec, d.scale, d.zeroPoint, d.dataLo, d.dataHi);
    const QString bits = QStringLiteral("%1%2")
                             .arg(p.spec.isSigned ? QStringLiteral("int") : QStringLiteral("uint"))
                             .arg(p.spec.bits) +
                         slotSuffix;
    d.title =
        tr("%1 %2: scale %3, zero point %4").arg(names[i], bits, num(d.scale), num(d.zeroPoint));
    // The lessons' own letters: s for the scale, z for the zero point.
    d.shortTitle = tr("%1 %2: s = %3, z = %4").arg(names[i], bits, num(d.scale), num(d.zeroPoint));
    // Narrow panels abbreviate the words, never the numbers.
    d.tinyTitle = tr("%1 %2 \u00B7 s = %3 \u00B7 z = %4")
                      .arg(shortNames[i], bits, num(d.scale), num(d.zeroPoint));
    d.schemeTitle = tr("%1 \u00B7 s = %2 \u00B7 z = %3")
                        .arg(shortNames[i] + slotSuffix, num(d.scale), num(d.zeroPoint));
    d.numbersTitle = tr("s = %1 \u00B7 z = %2").arg(num(d.scale), num(d.zeroPoint));
    // Representative floats: evenly over the data range, plus 0 and the clipping bounds.
    std::vector<float> xs;
    constexpr int kSamples = 11;
    for (int k = 0; k < kSamples; ++k) {
      const double t = static_cast<double>(k) / (kSamples - 1);
      xs.push_back(static_cast<float>(d.dataLo + t * (double(d.dataHi) - d.dataLo)));
    }
    xs.push_back(0.0f);
    xs.push_back(d.clip.lo);
    xs.push_back(d.clip.hi);
    // The probe goes through fp32 first, as the quantizer sees it (no out-of-range float cast).
    const double probe = quant::roundToFormat(quant::FloatFormat::fp32(), session_->probeValue());
    d.hasProbe = std::isfinite(probe);
    if (d.hasProbe) {
      d.probe = static_cast<float>(probe);
      d.probeCode = quant::quantizeValue(d.probe, d.scale, d.zeroPoint, d.qmin, d.qmax);
    }
    for (float x : xs) {
      d.samples.emplace_back(x, quant::quantizeValue(x, d.scale, d.zeroPoint, d.qmin, d.qmax));
    }
  }
  // The narrowest title decides the minimum width, which may have changed with the numbers.
  updateGeometry();
  update();
}

namespace {
constexpr int kTriangleH = 10;  // the zero-point marker under the code band
int bandHeight(int lineHeight) { return std::max(12, lineHeight * 3 / 4); }
}  // namespace

int MappingView::panelHeight(bool compact) const {
  const int lh = fontMetrics().height();
  // Full: title, a label row, float axis, >= 20 px of mapping lines, code band, zero-point
  // marker, a label row, summary. Compact: title and summary share a line, >= 16 px of lines.
  return compact ? 3 * lh + bandHeight(lh) + 42 : 4 * lh + bandHeight(lh) + 52;
}

int MappingView::minPanelWidth() const {
  const QFontMetrics fm = fontMetrics();
  const int captionW =
      std::max(fm.horizontalAdvance(tr("float")), fm.horizontalAdvance(tr("code")));
  int w = captionW + fm.horizontalAdvance(QStringLiteral("-0.000")) + 16 + 50;
  // Wide enough for the scale and zero point in full: below that the view asks to be enlarged.
  QFont bold = font();
  bold.setBold(true);
  const QFontMetrics bfm(bold);
  for (const PanelData& d : panels_)
    if (d.valid) w = std::max(w, bfm.horizontalAdvance(d.numbersTitle) + 1);
  return w;
}

QString MappingView::fittingTitle(const PanelData& d, const QString& summary, int width,
                                  bool compact) const {
  QFont bold = font();
  bold.setBold(true);
  const QFontMetrics bfm(bold);
  QStringList candidates;
  if (compact) {
    // Compact, the codes used follow the title when they fit (the scale is in the title).
    candidates << tr("%1  \u00B7  %2").arg(d.title, summary)
               << tr("%1  \u00B7  %2").arg(d.shortTitle, summary);
  }
  candidates << d.title << d.shortTitle << d.tinyTitle << d.schemeTitle << d.numbersTitle;
  for (const QString& c : candidates)
    if (bfm.horizontalAdvance(c) <= width) return c;
  // Only below minPanelWidth(), which paintPanel never draws at; the numbers still stay whole.
  return d.numbersTitle;
}

QSize MappingView::minimumSizeHint() const {
  return {minPanelWidth() + 2 * kMarginX, panelHeight(true) + 2 * kMarginY + topInset()};
}

MappingView::Panel MappingView::currentPanel() const {
  // The scheme of the params drawn, not the one being computed.
  return session_->params().spec.scheme == quant::Scheme::Asymmetric ? Asymmetric : Symmetric;
}

MappingView::Detail MappingView::detailFor(const QSize& size) const {
  const int w = size.width() - 2 * kMarginX, h = size.height() - 2 * kMarginY - topInset();
  if (w < minPanelWidth()) return Detail::Placeholder;
  const int half = (h - kPanelGap) / 2;
  if (half >= panelHeight(false)) return Detail::Full;
  if (half >= panelHeight(true)) return Detail::Compact;
  if (h >= panelHeight(true)) return Detail::Single;
  return Detail::Placeholder;
}

void MappingView::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.setRenderHint(QPainter::TextAntialiasing);
  p.fillRect(rect(), palette().color(QPalette::Base));
  const QRect all = rect().adjusted(kMarginX, kMarginY + topInset(), -kMarginX, -kMarginY);
  paintedTitles_.clear();
  paintedTitleRoom_ = 0;
  switch (detailFor(size())) {
    case Detail::Full:
    case Detail::Compact: {
      const int half = (all.height() - kPanelGap) / 2;
      const QRect top(all.left(), all.top(), all.width(), half);
      const QRect bottom(all.left(), all.top() + half + kPanelGap, all.width(),
                         all.height() - half - kPanelGap);
      paintPanel(p, top, panels_[Symmetric]);
      p.setPen(QPen(palette().color(QPalette::Mid), 1));
      p.drawLine(all.left(), top.bottom() + kPanelGap / 2, all.right(),
                 top.bottom() + kPanelGap / 2);
      paintPanel(p, bottom, panels_[Asymmetric]);
      break;
    }
    case Detail::Single:
      paintPanel(p, all, panels_[currentPanel()]);
      break;
    case Detail::Placeholder:
      p.setPen(palette().color(QPalette::Text));
      p.drawText(all, Qt::AlignCenter | Qt::TextWordWrap,
                 panels_[Symmetric].valid          ? tr("(enlarge the view)")
                 : session_->lastError().isEmpty() ? tr("No finite data to map")
                                                   : session_->lastError());
      break;
  }
}

void MappingView::paintPanel(QPainter& p, const QRect& area, const PanelData& d) const {
  const QColor text = palette().color(QPalette::Text);
  QFont normal = font();
  QFont bold = normal;
  bold.setBold(true);
  p.setFont(normal);
  const QFontMetrics fm(normal);
  const int lh = fm.height();

  if (!d.valid) {
    p.setPen(text);
    p.drawText(
        area, Qt::AlignCenter,
        session_->lastError().isEmpty() ? tr("No finite data to map") : session_->lastError());
    return;
  }

  // Full layout: title (with the legend), float labels (2 rows), float axis, mapping lines, int
  // axis, int labels (2 rows), summary line; a low dock gets one label row per axis. Compact:
  // title and summary on one line, no legend, one label row per axis.
  const int bandH = bandHeight(lh);
  const int triangleH = kTriangleH;
  const bool compact = area.height() < panelHeight(false);
  if (area.width() < minPanelWidth() || area.height() < panelHeight(true)) {
    p.setPen(text);
    p.drawText(area, Qt::AlignCenter, tr("(enlarge the view)"));
    return;
  }
  const int titleY = area.top();
  const int summaryY = area.bottom() - lh;
  int labelRows = 1;
  int floatAxisY = 0, intLabelsY = 0, intAxisY = 0;
  if (compact) {
    floatAxisY = area.top() + 2 * lh + 14;
    intLabelsY = area.bottom() - lh;
    intAxisY = intLabelsY - triangleH - bandH;
  } else {
    auto floatAxisAt = [&](int rows) { return area.top() + lh + 4 + rows * lh + 12; };
    auto intAxisAt = [&](int rows) { return summaryY - rows * lh - 4 - triangleH - bandH; };
    if (intAxisAt(2) - floatAxisAt(2) >= 24) labelRows = 2;
    floatAxisY = floatAxisAt(labelRows);
    intLabelsY = summaryY - labelRows * lh - 4;
    intAxisY = intAxisAt(labelRows);  // top of the code band
  }

  // The axes share a horizontal extent; captions sit in the left margin.
  const int captionW =
      std::max(fm.horizontalAdvance(tr("float")), fm.horizontalAdvance(tr("code")));
  const int x0 = area.left() + captionW + 12 + fm.horizontalAdvance(QStringLiteral("-0.000")) / 2;
  const int x1 = area.right() - fm.horizontalAdvance(QStringLiteral("-0.000")) / 2 - 4;

  const std::int64_t wasted = d.codes.available - d.codes.used;
  QString summary = usedCodesText(&d == &panels_[Symmetric] ? Symmetric : Asymmetric);
  if (wasted > 0) summary += tr(" (%n wasted)", nullptr, static_cast<int>(wasted));

  // Float axis extent: data range, clipping range and 0, with a little padding.
  double fLo = std::min({static_cast<double>(d.dataLo), static_cast<double>(d.clip.lo), 0.0});
  double fHi = std::max({static_cast<double>(d.dataHi), static_cast<double>(d.clip.hi), 0.0});
  if (!(fHi > fLo)) {
    fLo -= 1.0;
    fHi += 1.0;
  }
  const double pad = 0.03 * (fHi - fLo);
  fLo -= pad;
  fHi += pad;
  auto fx = [&](double v) { return x0 + (v - fLo) / (fHi - fLo) * (x1 - x0); };
  // Integer axis: code c occupies [c - 0.5, c + 0.5].
  const double cLo = d.qmin - 0.5, cHi = d.qmax + 0.5;
  auto cx = [&](double c) { return x0 + (c - cLo) / (cHi - cLo) * (x1 - x0); };

  // Title; compact, the codes used follow it when they fit (the scale is in the title).
  p.setFont(bold);
  p.setPen(text);
  const QFontMetrics bfm(bold);
  const QString title = fittingTitle(d, summary, area.width(), compact);
  paintedTitles_ << title;
  paintedTitleRoom_ = area.width();
  p.drawText(QRect(area.left(), titleY, area.width(), lh + 4), Qt::AlignLeft | Qt::AlignVCenter,
             title);
  const int titleW = bfm.horizontalAdvance(title);
  p.setFont(normal);

  // Legend on the title row when there is room for it (the tooltip explains it otherwise).
  if (!compact) {
    struct Key {
      QColor color;
      QString text;
      bool hatched;
    };
    const Key keys[] = {{kDataColor, tr("data range"), false},
                        {kClipColor, tr("clipping range"), false},
                        {kUsedColor, tr("reachable codes"), false},
                        {kUnusedColor, tr("unused codes"), true},
                        {kProbeColor, tr("probed value"), false}};
    const int sw = lh * 3 / 4;
    int legendW = 0;
    for (const Key& k : keys) legendW += sw + 4 + fm.horizontalAdvance(k.text) + 14;
    if (area.width() - titleW > legendW + 24) {
      int x = area.right() - legendW;
      for (const Key& k : keys) {
        const QRect swatch(x, titleY + (lh + 4 - sw) / 2, sw, sw);
        p.setPen(QPen(text, 1));
        p.setBrush(k.color);
        p.drawRect(swatch);
        if (k.hatched) {
          p.setBrush(QBrush(QColor(0x77, 0x77, 0x77), Qt::BDiagPattern));
          p.drawRect(swatch);
        }
        p.setBrush(Qt::NoBrush);
        const int tw = fm.horizontalAdvance(k.text);
        p.drawText(QRect(x + sw + 4, titleY, tw + 2, lh + 4), Qt::AlignLeft | Qt::AlignVCenter,
                   k.text);
        x += sw + 4 + tw + 14;
      }
    }
  }

  // Captions.
  p.setPen(text);
  p.drawText(QRect(area.left(), floatAxisY - lh / 2, captionW + 4, lh),
             Qt::AlignLeft | Qt::AlignVCenter, tr("float"));
  p.drawText(QRect(area.left(), intAxisY + bandH / 2 - lh / 2, captionW + 4, lh),
             Qt::AlignLeft | Qt::AlignVCenter, tr("code"));

  // Clipping range: a light band behind the axis, with bracket ends.
  const double clipL = fx(d.clip.lo), clipR = fx(d.clip.hi);
  QColor clipFill = kClipColor;
  clipFill.setAlpha(40);
  p.fillRect(QRectF(clipL, floatAxisY - 9, clipR - clipL, 18), clipFill);
  p.setPen(QPen(kClipColor, 2.5));
  for (double cxp : {clipL, clipR}) {
    const double dir = cxp == clipL ? 1 : -1;
    p.drawLine(QPointF(cxp, floatAxisY - 10), QPointF(cxp, floatAxisY + 10));
    p.drawLine(QPointF(cxp, floatAxisY - 10), QPointF(cxp + dir * 5, floatAxisY - 10));
    p.drawLine(QPointF(cxp, floatAxisY + 10), QPointF(cxp + dir * 5, floatAxisY + 10));
  }
  // The axis line and the data range on it.
  p.setPen(QPen(text, 1.2));
  p.drawLine(QPointF(x0, floatAxisY), QPointF(x1, floatAxisY));
  p.setPen(QPen(kDataColor, 6, Qt::SolidLine, Qt::FlatCap));
  p.drawLine(QPointF(fx(d.dataLo), floatAxisY), QPointF(fx(d.dataHi), floatAxisY));
  // The grid the codes stand for: x_hat = scale * (q - zero point), one tick per code, when the
  // ticks are far enough apart to be told apart.
  const double stepPx = static_cast<double>(d.scale) / (fHi - fLo) * (x1 - x0);
  if (stepPx >= 4) {
    QColor tick = text;
    tick.setAlpha(110);
    p.setPen(QPen(tick, 1));
    for (int q = d.qmin; q <= d.qmax; ++q) {
      const double x = fx(quant::dequantizeValue(q, d.scale, d.zeroPoint));
      if (x < x0 || x > x1) continue;
      p.drawLine(QPointF(x, floatAxisY + 4), QPointF(x, floatAxisY + 9));
    }
  }
  // Zero on the float axis.
  p.setPen(QPen(kZeroColor, 2));
  p.drawLine(QPointF(fx(0.0), floatAxisY - 6), QPointF(fx(0.0), floatAxisY + 6));

  std::vector<AxisLabel> floatLabels;
  // "0" gets its own label unless a range bound already says it.
  if (d.dataLo != 0.0f && d.dataHi != 0.0f && d.clip.lo != 0.0f && d.clip.hi != 0.0f)
    floatLabels.push_back({fx(0.0), QStringLiteral("0"), kZeroColor.darker(130)});
  if (d.dataLo != d.clip.lo)
    floatLabels.push_back({fx(d.dataLo), tr("min %1").arg(num(d.dataLo)), kDataColor});
  if (d.dataHi != d.clip.hi)
    floatLabels.push_back({fx(d.dataHi), tr("max %1").arg(num(d.dataHi)), kDataColor});
  floatLabels.push_back(
      {clipL, (d.dataLo == d.clip.lo ? tr("min = clip %1") : tr("clip %1")).arg(num(d.clip.lo)),
       kClipColor});
  floatLabels.push_back(
      {clipR, (d.dataHi == d.clip.hi ? tr("max = clip %1") : tr("clip %1")).arg(num(d.clip.hi)),
       kClipColor});
  drawLabels(p, floatLabels, QRect(area.left(), area.top(), area.width(), area.height()),
             floatAxisY - 10, labelRows, true);

  // Integer code band: reachable codes in blue, the rest grey and hatched.
  const QRectF band(cx(cLo), intAxisY, cx(cHi) - cx(cLo), bandH);
  p.setPen(Qt::NoPen);
  p.setBrush(kUnusedColor);
  p.drawRect(band);
  p.setBrush(QBrush(QColor(0x77, 0x77, 0x77), Qt::BDiagPattern));
  p.drawRect(band);
  const QRectF used(cx(d.codes.first - 0.5), intAxisY,
                    cx(d.codes.last + 0.5) - cx(d.codes.first - 0.5), bandH);
  p.setBrush(kUsedColor);
  p.drawRect(used);
  // Code ticks when they are far enough apart to be seen.
  const double perCode = (x1 - x0) / (cHi - cLo);
  if (perCode >= 8) {
    p.setPen(QPen(QColor(0, 0, 0, 90), 1));
    for (int c = d.qmin; c < d.qmax; ++c) {
      const double x = cx(c + 0.5);
      p.drawLine(QPointF(x, intAxisY), QPointF(x, intAxisY + bandH));
    }
  }
  p.setPen(QPen(text, 1));
  p.setBrush(Qt::NoBrush);
  p.drawRect(band);

  // Mapping lines from representative floats to their codes.
  for (const auto& [x, q] : d.samples) {
    const bool clipped = x < d.clip.lo || x > d.clip.hi;
    const bool noData = x < d.dataLo || x > d.dataHi;  // a clipping bound beyond the data
    const bool isZero = x == 0.0f;
    const bool isEnd = x == d.dataLo || x == d.dataHi;
    QColor c = isZero ? kZeroColor : (clipped ? kClipColor : (noData ? text : kDataColor));
    if (!isZero && !isEnd && !clipped) c.setAlpha(noData ? 110 : 120);
    Qt::PenStyle style = clipped ? Qt::DashLine : (noData ? Qt::DotLine : Qt::SolidLine);
    p.setPen(QPen(c, isZero || isEnd ? 2.0 : 1.2, style));
    const QPointF a(fx(x), floatAxisY + 3), b(cx(q), intAxisY - 1);
    p.drawLine(a, b);
    p.setBrush(c);
    p.drawEllipse(b, 2.5, 2.5);
    p.setBrush(Qt::NoBrush);
  }

  // The probed value (shared with the number-format view) and its code.
  if (d.hasProbe && d.probe >= fLo && d.probe <= fHi) {
    const QPointF a(fx(d.probe), floatAxisY), b(cx(d.probeCode), intAxisY + bandH / 2.0);
    p.setPen(QPen(kProbeColor, 2.5));
    p.drawLine(a, b);
    p.setBrush(kProbeColor);
    p.drawEllipse(a, 4, 4);
    p.drawEllipse(b, 4, 4);
    p.setBrush(Qt::NoBrush);
  }

  // Zero point marker: a triangle under the band.
  const double zx = cx(d.zeroPoint);
  QPainterPath tri;
  tri.moveTo(zx, intAxisY + bandH + 1);
  tri.lineTo(zx - 6, intAxisY + bandH + 9);
  tri.lineTo(zx + 6, intAxisY + bandH + 9);
  tri.closeSubpath();
  p.setPen(Qt::NoPen);
  p.setBrush(kZeroColor);
  p.drawPath(tri);
  p.setPen(QPen(kZeroColor, 2));
  p.drawLine(QPointF(zx, intAxisY - 3), QPointF(zx, intAxisY + bandH));
  p.setBrush(Qt::NoBrush);

  std::vector<AxisLabel> intLabels;
  intLabels.push_back({zx, tr("zero point %1").arg(num(d.zeroPoint)), kZeroColor.darker(130)});
  // The end codes, and the first / last reachable code when it differs. A reachable end that is
  // too close to its end code for two labels (int8 symmetric: -127 next to -128) shares one
  // label with it instead of being pushed onto a second row, where it reads as a different axis.
  auto tooClose = [&](int a, int b, const QString& ta, const QString& tb) {
    return std::fabs(cx(a) - cx(b)) <
           (fm.horizontalAdvance(ta) + fm.horizontalAdvance(tb)) / 2.0 + 12.0;
  };
  const bool showFirst = d.codes.first != d.qmin && d.codes.first != d.zeroPoint;
  const bool showLast = d.codes.last != d.qmax && d.codes.last != d.zeroPoint;
  if (showFirst && tooClose(d.qmin, d.codes.first, num(d.qmin), num(d.codes.first))) {
    intLabels.push_back(
        {cx(d.qmin), tr("%1 (unused), %2").arg(num(d.qmin), num(d.codes.first)), kDataColor});
  } else {
    intLabels.push_back({cx(d.qmin), num(d.qmin), text});
    if (showFirst) intLabels.push_back({cx(d.codes.first), num(d.codes.first), kDataColor});
  }
  if (showLast && tooClose(d.qmax, d.codes.last, num(d.qmax), num(d.codes.last))) {
    intLabels.push_back(
        {cx(d.qmax), tr("%1, %2 (unused)").arg(num(d.codes.last), num(d.qmax)), kDataColor});
  } else {
    intLabels.push_back({cx(d.qmax), num(d.qmax), text});
    if (showLast) intLabels.push_back({cx(d.codes.last), num(d.codes.last), kDataColor});
  }
  drawLabels(p, intLabels, area, intLabelsY, labelRows, false);

  // Summary: codes used and the step.
  if (compact) return;
  summary += tr("  \u00B7  step (scale) %1").arg(num(d.scale));
  p.setFont(bold);
  p.setPen(text);
  p.drawText(QRect(area.left(), summaryY, area.width(), lh), Qt::AlignLeft | Qt::AlignVCenter,
             QFontMetrics(bold).elidedText(summary, Qt::ElideMiddle,
                                           area.width()));  // the step value stays whole
  p.setFont(normal);
}

}  // namespace quantlab::ui
