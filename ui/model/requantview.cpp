// SPDX-License-Identifier: GPL-3.0-or-later
#include "requantview.h"

#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSpinBox>
#include <QTextDocument>
#include <QTimer>
#include <QVBoxLayout>

#include "modelsession.h"
#include "modelview.h"
#include "quant/nn/requanttrace.h"

namespace quantlab::ui {

namespace {

constexpr int kTermsShown = 6;

int horizontalMargins(const QWidget* w) {
  const QMargins m = w->layout() ? w->layout()->contentsMargins() : QMargins();
  return m.left() + m.right();
}

QString num(double v) { return QString::number(v, 'g', 7); }

// A factor of a product: negative numbers in parentheses, "(-5)".
QString factor(int v) { return v < 0 ? QStringLiteral("(%1)").arg(v) : QString::number(v); }

}  // namespace

RequantView::RequantView(ModelSession* ms, QWidget* parent)
    : QWidget(parent),
      ms_(ms),
      layer_(new QComboBox),
      sample_(new QSpinBox),
      pixel_(new QSpinBox),
      column_(new QSpinBox),
      text_(new QLabel) {
  setObjectName("RequantView");
  auto* lay = new QVBoxLayout(this);
  auto* controls = new QHBoxLayout;
  layer_->setObjectName("requantLayer");
  layer_->setToolTip(
      tr("The Linear layer whose output value is followed. Selecting a layer in "
         "the layer table selects it here too."));
  sample_->setObjectName("requantSample");
  sample_->setRange(0, 9999);
  sample_->setToolTip(
      tr("The test image fed through the int8 model (the row of the layer's "
         "output matrix)."));
  pixel_->setObjectName("requantPixel");
  pixel_->setRange(0, 0);
  pixel_->setToolTip(
      tr("Conv2d: the output position y·width + x, i.e. the row of the im2col "
         "matrix — which 3×3 patch of the input the kernel looks at."));
  column_->setObjectName("requantColumn");
  column_->setRange(0, 0);
  column_->setToolTip(
      tr("The output channel (column): which weight row and which bias, scale "
         "and multiplier are used."));
  // The selectors sit in a grid that reflows (reflow()); it takes no minimum width of its own,
  // so a narrow dock gets fewer pairs per row instead of a cut.
  selectors_ = new QWidget;
  selectors_->setObjectName("requantSelectors");
  selectors_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  selectorGrid_ = new QGridLayout(selectors_);
  selectorGrid_->setContentsMargins(0, 0, 0, 0);
  pairs_ = {{new QLabel(tr("Layer")), layer_},
            {new QLabel(tr("Image")), sample_},
            {new QLabel(tr("Position (row)")), pixel_},
            {new QLabel(tr("Output (column)")), column_}};
  for (auto& [label, box] : pairs_) label->setBuddy(box);
  controls->addWidget(selectors_, 1);
  lay->addLayout(controls);
  text_->setObjectName("requantText");
  text_->setTextFormat(Qt::RichText);
  text_->setWordWrap(true);
  text_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
  text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  text_->setMargin(6);
  auto* scroll = new QScrollArea;
  scroll_ = scroll;
  scroll->setObjectName("requantScroll");
  scroll->setWidget(text_);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  lay->addWidget(scroll, 1);

  connect(ms_, &ModelSession::modelLoaded, this, &RequantView::rebuildLayers);
  connect(ms_, &ModelSession::selectedLayerChanged, this, [this](int index) {
    const int i = layer_->findData(index);
    if (i >= 0 && i != layer_->currentIndex()) layer_->setCurrentIndex(i);
  });
  connect(layer_, &QComboBox::currentIndexChanged, this, &RequantView::rebuild);
  connect(sample_, &QSpinBox::valueChanged, this, &RequantView::rebuild);
  connect(column_, &QSpinBox::valueChanged, this, &RequantView::rebuild);
  connect(pixel_, &QSpinBox::valueChanged, this, &RequantView::rebuild);
  reflow();
  rebuildLayers();
}

void RequantView::reflow() {
  const int avail = width() - horizontalMargins(this);
  // As many (label, box) pairs per row as fit: 4, 2 or 1.
  int perRow = 1;
  for (int n : {4, 2}) {
    bool fits = true;
    for (std::size_t first = 0; first < pairs_.size() && fits; first += n) {
      int w = 0;
      for (std::size_t i = first; i < std::min(pairs_.size(), first + n); ++i)
        w += pairs_[i].first->sizeHint().width() + pairs_[i].second->sizeHint().width() +
             2 * std::max(6, selectorGrid_->horizontalSpacing());
      fits = w <= avail;
    }
    if (fits) {
      perRow = n;
      break;
    }
  }
  if (perRow != pairsPerRow_) {
    pairsPerRow_ = perRow;
    for (auto& [label, box] : pairs_) {
      selectorGrid_->removeWidget(label);
      selectorGrid_->removeWidget(box);
    }
    for (int c = 0; c < 9; ++c) selectorGrid_->setColumnStretch(c, 0);
    for (std::size_t i = 0; i < pairs_.size(); ++i) {
      const int row = static_cast<int>(i) / perRow, col = 2 * (static_cast<int>(i) % perRow);
      selectorGrid_->addWidget(pairs_[i].first, row, col);
      selectorGrid_->addWidget(pairs_[i].second, row, col + 1);
    }
    selectorGrid_->setColumnStretch(2 * perRow, 1);
  }
  // Three columns (step, what, value) need room for the code lists; below that the value goes
  // under the step's name.
  const bool stacked = avail < 62 * fontMetrics().averageCharWidth();
  if (stacked != stacked_) {
    stacked_ = stacked;
    rebuild();
  }
}

void RequantView::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  reflow();
}

void RequantView::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange ||
      event->type() == QEvent::LanguageChange) {
    // The children get the new font after the view: measure once they all have it.
    QTimer::singleShot(0, this, [this] {
      pairsPerRow_ = 0;
      reflow();
    });
  }
}

void RequantView::setPosition(int sample, int column, int pixel) {
  sample_->setValue(sample);
  column_->setValue(column);
  pixel_->setValue(pixel);
}

QString RequantView::walkthroughText() const {
  QTextDocument doc;
  doc.setHtml(text_->text());
  return doc.toPlainText().remove(QChar(0x200B));
}

// An activation that int8 inference computes with a 256-entry lookup table.
bool RequantView::isTableLayer(quant::LayerType t) {
  return quant::isPointwiseActivation(t) || t == quant::LayerType::PReLU;
}

// The table of a lookup-table activation: every eighth input code (and the last) through real
// value, f and the exact output code to the stored int8 code. The numbers come from
// quant::traceLookupTable; the column selector picks PReLU's channel.
void RequantView::showTable(int layerIndex) {
  const auto snap = ms_->loaded();
  const quant::Layer& fl = snap->fp32.layers[static_cast<std::size_t>(layerIndex)];
  {
    const QSignalBlocker block(column_);
    const int channels = fl.type == quant::LayerType::PReLU && !fl.inShape.empty()
                             ? static_cast<int>(fl.inShape[0])
                             : 1;
    column_->setRange(0, channels - 1);
    pixel_->setEnabled(false);
  }
  const int qi = ms_->int8IndexOf(layerIndex);
  if (qi < 0) {
    text_->setText(tr("No int8 model: %1").arg(snap->int8Error).toHtmlEscaped());
    return;
  }
  quant::LutTrace t;
  try {
    t = quant::traceLookupTable(snap->int8, snap->fp32, static_cast<std::size_t>(qi),
                                column_->value());
  } catch (const quant::Error& e) {
    text_->setText(QString::fromStdString(e.what()).toHtmlEscaped());
    return;
  }
  const auto num = [](double v) { return QString::number(v, 'g', 5); };
  QString html = QStringLiteral("<p>") +
                 tr("%1 has no weights: int8 inference looks each output up in a table of 256 "
                    "codes, one per input code, computed once from the input scale %2 and zero "
                    "point %3 and the output scale %4 and zero point %5.")
                     .arg(QString::fromStdString(t.layer).toHtmlEscaped(), num(t.sIn))
                     .arg(t.zIn)
                     .arg(num(t.sOut))
                     .arg(t.zOut);
  if (t.fixedOutput)
    html += QStringLiteral(" ") +
            tr("Its output range is known in advance, so the output scale and zero point are "
               "fixed rather than calibrated.");
  html += QStringLiteral(
              "</p><table cellspacing=\"0\" cellpadding=\"3\"><tr><th>%1</th><th>%2</th>"
              "<th>f(x)</th><th>%3</th><th>%4</th></tr>")
              .arg(tr("input code"), tr("real input x"),
                   tr("f / s<sub>out</sub> + z<sub>out</sub>"), tr("output code"));
  std::vector<std::size_t> shown;
  for (std::size_t i = 0; i < t.rows.size(); i += 8) shown.push_back(i);
  if (!t.rows.empty() && shown.back() + 1 != t.rows.size()) shown.push_back(t.rows.size() - 1);
  for (const std::size_t i : shown) {
    const quant::LutRow& r = t.rows[i];
    html += QStringLiteral(
                "<tr><td align=\"right\">%1</td><td align=\"right\">%2</td>"
                "<td align=\"right\">%3</td><td align=\"right\">%4</td>"
                "<td align=\"right\"><b>%5</b></td></tr>")
                .arg(r.code)
                .arg(num(r.real), num(r.f), QString::number(r.exact, 'f', 2))
                .arg(r.out);
  }
  html += QStringLiteral("</table>");
  text_->setText(html);
}

void RequantView::rebuildLayers() {
  {
    const QSignalBlocker block(layer_);
    layer_->clear();
    const auto snap = ms_->loaded();
    if (snap) {
      for (int i = 0; i < static_cast<int>(snap->fp32.layers.size()); ++i) {
        const quant::Layer& l = snap->fp32.layers[static_cast<std::size_t>(i)];
        if (l.type == quant::LayerType::Linear || l.type == quant::LayerType::Conv2d ||
            isTableLayer(l.type))
          layer_->addItem(QString::fromStdString(l.name), i);
      }
      const int sel = layer_->findData(ms_->selectedLayer());
      if (sel >= 0) layer_->setCurrentIndex(sel);
    }
  }
  rebuild();
}

void RequantView::rebuild() {
  const auto snap = ms_->loaded();
  if (!snap || layer_->count() == 0) {
    text_->setText(snap ? tr("This model has no Linear or Conv2d layer to follow.")
                        : tr("Open a model first (Model layers view)."));
    return;
  }
  const int layerIndex = layer_->currentData().toInt();
  const quant::Layer& fl = snap->fp32.layers[static_cast<std::size_t>(layerIndex)];
  if (isTableLayer(fl.type)) {
    showTable(layerIndex);
    return;
  }
  {
    const QSignalBlocker block(column_);
    column_->setRange(0, std::max(0, static_cast<int>(fl.weight.rows()) - 1));
    const bool conv = fl.type == quant::LayerType::Conv2d && fl.outShape.size() == 3;
    pixel_->setEnabled(conv);
    pixel_->setRange(0, conv ? static_cast<int>(fl.outShape[1] * fl.outShape[2]) - 1 : 0);
  }
  QString error;
  const auto r =
      ms_->requantTrace(layerIndex, sample_->value(), pixel_->value(), column_->value(), &error);
  if (!r) {
    text_->setText(error.toHtmlEscaped());
    return;
  }
  const QString mono = QFontDatabase::systemFont(QFontDatabase::FixedFont).family();
  auto code = [&](const QString& s) {
    return QStringLiteral("<span style=\"font-family:'%1'\">%2</span>")
        .arg(mono, s.toHtmlEscaped());
  };
  auto list = [&](const std::vector<std::int8_t>& v) {
    QStringList parts;
    for (int k = 0; k < kTermsShown && k < static_cast<int>(v.size()); ++k)
      parts << QString::number(v[static_cast<std::size_t>(k)]);
    return QStringLiteral("[%1, … %2 values]").arg(parts.join(QStringLiteral(", "))).arg(v.size());
  };
  QStringList terms;
  for (int k = 0; k < kTermsShown && k < r->K; ++k)
    terms << factor(r->x[static_cast<std::size_t>(k)]) + QStringLiteral("·") +
                 factor(r->w[static_cast<std::size_t>(k)]);
  const std::int64_t check = std::int64_t{r->sumXW} + r->zeroCorrection + r->bias;
  const bool accOk = check == r->acc;
  const std::int64_t withZero = std::int64_t{r->scaled} + r->zOut;
  QString html;
  if (!stacked_) html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"4\">");
  auto row = [&](const QString& step, const QString& what, const QString& value,
                 const QString& why) {
    if (stacked_)
      // No table: its step column and cell padding would take room from the code lists.
      html += QStringLiteral(
                  "<p style=\"margin-top:6px; margin-bottom:0\"><b>%1</b>&nbsp; %2</p>"
                  "<p style=\"margin:0\">%3</p>"
                  "<p style=\"margin:0; color:#555\">%4</p>")
                  .arg(step, what, value, why);
    else
      html += QStringLiteral(
                  "<tr><td valign=\"top\"><b>%1</b></td><td valign=\"top\">%2</td>"
                  "<td valign=\"top\">%3</td></tr><tr><td></td><td colspan=\"2\" "
                  "style=\"color:#555\">%4</td></tr>")
                  .arg(step, what, value, why);
  };
  const QString inputsWhy =
      r->conv ? tr("The %1×%2 windows of the input channels at output position (y %3, x %4), "
                   "unrolled in (channel, ky, kx) order: one row of the im2col matrix. %5 "
                   "positions fall in the padding and hold z<sub>x</sub> (real 0). Real value ≈ "
                   "s<sub>x</sub>·(x − z<sub>x</sub>) with s<sub>x</sub> = %6.")
                    .arg(fl.kernelH)
                    .arg(fl.kernelW)
                    .arg(r->y)
                    .arg(r->x0)
                    .arg(r->padded)
                    .arg(num(r->sIn))
              : tr("The previous layer's int8 output codes; real value ≈ "
                   "s<sub>x</sub>·(x − z<sub>x</sub>) with s<sub>x</sub> = %1.")
                    .arg(num(r->sIn));
  row(QStringLiteral("1"), tr("int8 inputs x (test image %1)").arg(r->sample),
      code(list(r->x)) + tr(", zero point z<sub>x</sub> = %1").arg(r->zx), inputsWhy);
  row(QStringLiteral("2"), tr("int8 weights w (channel %1)").arg(r->column), code(list(r->w)),
      tr("Symmetric, zero point 0, scale s<sub>w</sub> = %1 for this output channel.")
          .arg(num(r->sW)));
  row(QStringLiteral("3"), tr("Σ x·w over %1 terms").arg(r->K),
      code(terms.join(QStringLiteral(" + ")) + QStringLiteral(" + … = ") +
           QString::number(r->sumXW)),
      tr("Products of two int8 numbers summed in int32: this is the work the GEMM kernel "
         "does."));
  row(QStringLiteral("4"), tr("zero-point correction −z<sub>x</sub>·Σw"),
      code(QString::number(r->zeroCorrection)),
      tr("Σ(x − z<sub>x</sub>)·w = Σx·w − z<sub>x</sub>·Σw; Σw is precomputed once per "
         "channel, so the kernel multiplies raw codes."));
  row(QStringLiteral("5"), tr("+ bias (int32)"), code(QString::number(r->bias)),
      tr("The float bias stored as round(b / (s<sub>x</sub>·s<sub>w</sub>)): already on the "
         "accumulator's scale."));
  row(QStringLiteral("6"), tr("= accumulator (from the kernel)"),
      code(QString::number(r->acc)) + (accOk ? tr("  ✓ = %1 + %2 + %3")
                                                   .arg(r->sumXW)
                                                   .arg(factor(r->zeroCorrection))
                                                   .arg(factor(r->bias))
                                             : tr("  ✗ steps 3-5 give %1").arg(check)),
      tr("Its real value is s<sub>x</sub>·s<sub>w</sub>·acc: a 32-bit integer on a very fine "
         "grid."));
  row(QStringLiteral("7"), tr("M = s<sub>x</sub>·s<sub>w</sub> / s<sub>out</sub>"),
      code(QStringLiteral("%1 · %2 / %3 = %4")
               .arg(num(r->sIn), num(r->sW), num(r->sOut), num(r->realM))),
      tr("Rescales the accumulator to the output's grid (s<sub>out</sub> = %1, z<sub>out</sub> = "
         "%2). Computed once, offline, in double.")
          .arg(num(r->sOut))
          .arg(r->zOut));
  row(QStringLiteral("8"), tr("M as Q31 multiplier and shift"),
      code(QStringLiteral("m = %1, shift = %2  (M ≈ m · 2^-31 · 2^%2)")
               .arg(r->qm.multiplier)
               .arg(r->qm.shift)),
      tr("Integer hardware cannot multiply by 0.0003: M is stored as a 31-bit mantissa in "
         "[2^30, 2^31) and a power of two."));
  row(QStringLiteral("9"), tr("acc · M in fixed point"),
      // A zero-width space after "(": a narrow view may break the long call there.
      code(QStringLiteral("MultiplyByQuantizedMultiplier(\u200B%1, %2, %3) = %4")
               .arg(r->acc)
               .arg(r->qm.multiplier)
               .arg(r->qm.shift)
               .arg(r->scaled)),
      tr("High half of the doubled 64-bit product (round half up), then a rounding right shift "
         "(ties away from zero)."));
  row(QStringLiteral("10"),
      tr("+ z<sub>out</sub>, clamp to [%1, %2]").arg(r->actMin).arg(r->actMax),
      code(QStringLiteral("%1 + %2 = %3 → %4")
               .arg(r->scaled)
               .arg(r->zOut)
               .arg(withZero)
               .arg(r->result)),
      r->actMin == r->zOut
          ? tr("The lower clamp %1 is the output zero point, i.e. real 0: that is the fused ReLU, "
               "and it costs nothing extra.")
                .arg(r->actMin)
          : tr("Saturate to the int8 range."));
  row(QStringLiteral("11"), tr("int8 output (from the kernel)"),
      code(QString::number(r->result)) +
          (r->recomputed == r->result ? tr("  ✓ requantize() agrees") : tr("  ✗ mismatch")),
      tr("Dequantized: s<sub>out</sub>·(q − z<sub>out</sub>) = %1.").arg(num(r->dequantized)));
  if (!stacked_) html += QStringLiteral("</table>");
  text_->setText(html);
}

}  // namespace quantlab::ui
