// SPDX-License-Identifier: GPL-3.0-or-later
#include "numberformatview.h"

#include <QEvent>
#include <QFontDatabase>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <charconv>
#include <cmath>
#include <limits>

#include "bitcellswidget.h"
#include "quant/numeric/quantize.h"
#include "session.h"
#include "updatingbadge.h"

namespace quantlab::ui {

namespace {

// Shortest decimal that reads back as the same double (what the line edit shows).
QString shortest(double v) {
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return QString::fromLatin1(buf, static_cast<int>(res.ptr - buf));
}

// Exact decimals can run to 150 digits; keep the label readable and put the whole in a tooltip.
void setExactText(QLabel* label, const QString& prefix, const QString& exact,
                  const QString& suffix = {}) {
  constexpr int kMaxDigits = 44;
  QString shown = exact;
  if (exact.size() > kMaxDigits)
    shown = exact.left(kMaxDigits - 12) + QChar(0x2026) + exact.right(8);
  label->setText(prefix + shown + suffix);
  label->setToolTip(exact.size() > kMaxDigits ? exact : QString());
}

// What the line edit accepts: C-locale or system-locale numbers, a typographic minus, inf, nan.
double parseNumber(QString text, bool* ok) {
  text = text.trimmed();
  text.replace(QChar(0x2212), QLatin1Char('-'));
  const QString lower = text.toLower();
  *ok = true;
  if (lower == QLatin1String("inf") || lower == QLatin1String("+inf") ||
      lower == QLatin1String("infinity"))
    return std::numeric_limits<double>::infinity();
  if (lower == QLatin1String("-inf") || lower == QLatin1String("-infinity"))
    return -std::numeric_limits<double>::infinity();
  if (lower == QLatin1String("nan")) return std::numeric_limits<double>::quiet_NaN();
  double v = QLocale::c().toDouble(text, ok);
  if (!*ok) v = QLocale().toDouble(text, ok);
  return v;
}

QString minusSign(QString s) { return s.replace(QLatin1Char('-'), QChar(0x2212)); }

QString compact(double v) { return minusSign(QString::number(v, 'g', 6)); }

QString displayName(const quant::FloatFormat& f) {
  if (f.name == "e4m3fn") return QStringLiteral("fp8 E4M3");
  if (f.name == "e5m2") return QStringLiteral("fp8 E5M2");
  return QString::fromStdString(f.name);
}

QString className(quant::FloatClass c) {
  switch (c) {
    case quant::FloatClass::Zero:
      return NumberFormatView::tr("zero");
    case quant::FloatClass::Subnormal:
      return NumberFormatView::tr("subnormal");
    case quant::FloatClass::Normal:
      return NumberFormatView::tr("normal");
    case quant::FloatClass::Infinity:
      return NumberFormatView::tr("infinity");
    case quant::FloatClass::NaN:
      return NumberFormatView::tr("NaN");
  }
  return {};
}

// The formula with the fields of `d` filled in. Plain text with ^ rather than superscripts:
// superscripts shrink the very numbers the students are meant to read on a projector.
QString formulaText(const quant::FloatFormat& f, const quant::Decoded& d) {
  const QString minus(QChar(0x2212));
  const QString times = QStringLiteral(" \u00D7 ");
  const QString sign =
      QStringLiteral("(") + minus + QStringLiteral("1)^") + QString::number(d.sign);
  const QString mant =
      f.mantissaBits > 0 ? QString::fromStdString(quant::toBinary(d.mantissaField, f.mantissaBits))
                         : QStringLiteral("0");
  const QString denom = QString::number(std::uint64_t{1} << f.mantissaBits);
  const QString neg = d.sign ? minus : QString();
  const QString binary = QStringLiteral("\u2082");  // subscript 2: "read as binary"
  switch (d.cls) {
    case quant::FloatClass::Normal:
      return sign + times + QStringLiteral("1.") + mant + binary + times + QStringLiteral("2^(") +
             QString::number(d.exponentField) + minus + QString::number(f.bias) +
             QStringLiteral(") = ") + neg +
             QStringLiteral("(1 + %1/%2)").arg(d.mantissaField).arg(denom) + times +
             QStringLiteral("2^") + minusSign(QString::number(d.exponent));
    case quant::FloatClass::Subnormal:
    case quant::FloatClass::Zero:
      return sign + times + QStringLiteral("0.") + mant + binary + times + QStringLiteral("2^(1") +
             minus + QString::number(f.bias) + QStringLiteral(") = ") + neg +
             QStringLiteral("%1/%2").arg(d.mantissaField).arg(denom) + times +
             QStringLiteral("2^") + minusSign(QString::number(1 - f.bias)) +
             (d.cls == quant::FloatClass::Zero
                  ? NumberFormatView::tr("  (zero)")
                  : NumberFormatView::tr("  (subnormal: exponent field 0, no implicit 1)"));
    case quant::FloatClass::Infinity:
      return NumberFormatView::tr("exponent all ones, mantissa 0: %1infinity")
          .arg(d.sign ? minus : QStringLiteral("+"));
    case quant::FloatClass::NaN:
      if (f.nan == quant::NanEncoding::AllOnes)
        return NumberFormatView::tr(
            "exponent and mantissa all ones: NaN (this format has no infinity)");
      return NumberFormatView::tr("exponent all ones, mantissa not 0: NaN");
  }
  return {};
}

}  // namespace

NumberFormatView::NumberFormatView(Session* session, QWidget* parent)
    : QWidget(parent), session_(session) {
  setObjectName(QStringLiteral("NumberFormatView"));
  setFocusPolicy(Qt::StrongFocus);
  const QFont mono = [this] {
    QFont f = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    f.setPointSizeF(std::max(f.pointSizeF(), font().pointSizeF()));
    return f;
  }();

  auto* outer = new QVBoxLayout(this);

  // --- the value to probe ---
  auto* top = new QHBoxLayout;
  auto* valueLabel = new QLabel(tr("Value:"), this);
  edit_ = new QLineEdit(this);
  edit_->setObjectName(QStringLiteral("probeEdit"));
  edit_->setPlaceholderText(tr("e.g. 0.1, -3.5e-3, inf, nan"));
  edit_->setToolTip(
      tr("Type a number: every format below rounds it to its nearest value (ties to "
         "even). Up/Down step one ULP in the selected format."));
  valueLabel->setBuddy(edit_);
  editStatus_ = new QLabel(this);
  editStatus_->setObjectName(QStringLiteral("probeStatus"));
  top->addWidget(valueLabel);
  top->addWidget(edit_, 1);
  top->addWidget(editStatus_);
  outer->addLayout(top);
  edit_->installEventFilter(this);

  // --- the integer code of the same value ---
  auto* intFrame = new QFrame(this);
  intFrame->setFrameShape(QFrame::StyledPanel);
  intFrame->setObjectName(QStringLiteral("intPanel"));
  intFrame->setToolTip(
      tr("Integer quantization maps x to the code q = clamp(round(x / s) + z, qmin, qmax). The "
         "scale s is the integer grid's step: the same everywhere in the clipping range, unlike a "
         "float's gap, which doubles with every power of two."));
  auto* intGrid = new QGridLayout(intFrame);
  intTitle_ = new QLabel(intFrame);
  intTitle_->setObjectName(QStringLiteral("intTitle"));
  QFont bold = font();
  bold.setBold(true);
  intTitle_->setFont(bold);
  intCode_ = new QLabel(intFrame);
  intCode_->setObjectName(QStringLiteral("intCode"));
  QFont big = bold;
  big.setPointSizeF(font().pointSizeF() * 1.3);
  intCode_->setFont(big);
  intCode_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  intDetails_ = new QLabel(intFrame);
  intDetails_->setObjectName(QStringLiteral("intDetails"));
  intDetails_->setTextFormat(Qt::RichText);
  intDetails_->setWordWrap(true);
  intStep_ = new QLabel(intFrame);
  intStep_->setObjectName(QStringLiteral("intStep"));
  intStep_->setWordWrap(true);
  auto* intHead = new QHBoxLayout;
  intHead->addWidget(intTitle_);
  auto* codeCaption = new QLabel(tr("code q ="), intFrame);
  codeCaption->setFont(bold);
  intHead->addSpacing(8);
  intHead->addWidget(codeCaption);
  intHead->addWidget(intCode_);
  intHead->addStretch(1);
  intGrid->addLayout(intHead, 0, 0);
  intGrid->addWidget(intDetails_, 1, 0);
  intGrid->addWidget(intStep_, 2, 0);
  outer->addWidget(intFrame);

  // --- one row per float format ---
  auto* scroll = new QScrollArea(this);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* rowsHost = new QWidget(scroll);
  auto* rowsLayout = new QVBoxLayout(rowsHost);
  rowsLayout->setContentsMargins(0, 0, 0, 0);
  const quant::FloatFormat formats[] = {quant::FloatFormat::fp32(), quant::FloatFormat::fp16(),
                                        quant::FloatFormat::bf16(), quant::FloatFormat::fp8e4m3fn(),
                                        quant::FloatFormat::fp8e5m2()};
  for (const auto& f : formats) {
    Row row;
    row.format = f;
    const QString key = QString::fromStdString(f.name);
    auto* frame = new QFrame(rowsHost);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setObjectName(QStringLiteral("row_") + key);
    auto* grid = new QGridLayout(frame);
    grid->setVerticalSpacing(2);
    auto makeLabel = [&](const QString& prefix, bool monoFont = false) {
      auto* l = new QLabel(frame);
      l->setObjectName(prefix + key);
      l->setTextInteractionFlags(Qt::TextSelectableByMouse);
      if (monoFont) l->setFont(mono);
      return l;
    };
    row.name = makeLabel(QStringLiteral("name_"));
    row.name->setFont(bold);
    row.name->setText(displayName(f));
    row.name->setToolTip(
        tr("E%1M%2: %1 exponent bits, %2 mantissa bits, bias %3; largest finite "
           "value %4")
            .arg(f.exponentBits)
            .arg(f.mantissaBits)
            .arg(f.bias)
            .arg(QString::fromStdString(quant::exactDecimal(f, f.maxFiniteBits()))));
    auto* sub = new QLabel(
        tr("E%1M%2, bias %3").arg(f.exponentBits).arg(f.mantissaBits).arg(f.bias), frame);
    row.bits = new BitCellsWidget(f, frame);
    row.bits->setObjectName(QStringLiteral("bits_") + key);
    row.hex = makeLabel(QStringLiteral("hex_"), true);
    row.hex->setToolTip(tr("The bit pattern in hexadecimal"));
    row.cls = makeLabel(QStringLiteral("class_"));
    row.cls->setToolTip(
        tr("zero, subnormal (no implicit leading 1: tiny values with fewer "
           "significant bits), normal, infinity or NaN"));
    row.formula = makeLabel(QStringLiteral("formula_"));
    row.formula->setWordWrap(true);
    row.formula->setToolTip(
        tr("Normal numbers: (−1)^s × 1.m × 2^(e − bias). Subnormals (exponent field 0): "
           "(−1)^s × 0.m × 2^(1 − bias)."));
    row.value = makeLabel(QStringLiteral("value_"));
    row.value->setWordWrap(true);
    row.value->setToolTip(
        tr("The exact decimal value of this bit pattern: every binary float is a "
           "fraction with a power-of-two denominator, so it has a finite decimal "
           "expansion."));
    row.neighbours = makeLabel(QStringLiteral("neighbours_"));
    row.neighbours->setWordWrap(true);
    row.neighbours->setToolTip(tr("The next smaller and next larger values this format can store"));
    row.value->setToolTip(row.value->toolTip() + QLatin1Char('\n') +
                          tr("Rounding error: the stored value minus the typed value (round to "
                             "nearest, ties to even)."));
    row.neighbours->setToolTip(
        tr("The gap (ULP, unit in the last place) to the next value away from zero. It doubles "
           "at every power of two, so relative precision stays roughly constant while absolute "
           "precision does not."));

    auto* header = new QHBoxLayout;
    header->addWidget(row.name);
    header->addSpacing(8);
    header->addWidget(sub);
    header->addSpacing(12);
    header->addWidget(row.hex);
    header->addSpacing(12);
    header->addWidget(row.cls);
    header->addStretch(1);
    grid->addLayout(header, 0, 0);
    auto* bitsLine = new QHBoxLayout;
    bitsLine->addWidget(row.bits, 1);
    bitsLine->addStretch(0);
    grid->addLayout(bitsLine, 1, 0);
    grid->addWidget(row.formula, 2, 0);
    grid->addWidget(row.value, 3, 0);
    grid->addWidget(row.neighbours, 4, 0);
    rowsLayout->addWidget(frame);

    const int index = static_cast<int>(rows_.size());
    connect(row.bits, &BitCellsWidget::bitClicked, this,
            [this, index](int bit) { flipBit(index, bit); });
    connect(row.bits, &BitCellsWidget::stepRequested, this, [this, index](int direction) {
      setSelectedRow(index);
      step(direction);
    });
    connect(row.bits, &BitCellsWidget::activated, this, [this, index] { setSelectedRow(index); });
    rows_.push_back(row);
  }
  rowsLayout->addStretch(1);
  scroll->setWidget(rowsHost);
  outer->addWidget(scroll, 1);
  rows_[static_cast<std::size_t>(selected_)].bits->setSelected(true);

  connect(edit_, &QLineEdit::textEdited, this, &NumberFormatView::applyTypedText);
  connect(edit_, &QLineEdit::returnPressed, this, &NumberFormatView::applyTypedText);
  new UpdatingBadge(session_, this);  // owned by this view
  connect(session_, &Session::probeValueChanged, this, &NumberFormatView::refresh);
  connect(session_, &Session::resultsChanged, this, &NumberFormatView::refresh);
  connect(session_, &Session::specChanged, this, &NumberFormatView::refresh);
  refresh();
}

const quant::FloatFormat& NumberFormatView::formatAt(int row) const {
  return rows_.at(static_cast<std::size_t>(row)).format;
}

BitCellsWidget* NumberFormatView::bitCells(int row) const {
  return rows_.at(static_cast<std::size_t>(row)).bits;
}

void NumberFormatView::setSelectedRow(int row) {
  if (row < 0 || row >= formatCount() || row == selected_) return;
  selected_ = row;
  for (int i = 0; i < formatCount(); ++i)
    rows_[static_cast<std::size_t>(i)].bits->setSelected(i == row);
  refreshInteger(session_->probeValue());  // the gap it compares with is the selected format's
}

void NumberFormatView::step(int direction) {
  const auto& f = formatAt(selected_);
  const quant::Encoded e = quant::encode(f, session_->probeValue());
  const quant::Decoded d = quant::decode(f, e.bits);
  const auto target = direction > 0 ? d.nextBits : d.prevBits;
  if (!target) return;  // NaN, or the end of a format without infinity
  session_->setProbeValue(quant::decodeValue(f, *target));
}

void NumberFormatView::flipBit(int row, int bit) {
  setSelectedRow(row);
  const auto& f = formatAt(row);
  const std::uint32_t bits =
      quant::encode(f, session_->probeValue()).bits ^ (std::uint32_t{1} << bit);
  session_->setProbeValue(quant::decodeValue(f, bits));
}

void NumberFormatView::applyTypedText() {
  bool ok = false;
  const double v = parseNumber(edit_->text(), &ok);
  editStatus_->setText(ok || edit_->text().trimmed().isEmpty() ? QString() : tr("not a number"));
  if (ok) session_->setProbeValue(v);
}

void NumberFormatView::keyPressEvent(QKeyEvent* event) {
  switch (event->key()) {
    case Qt::Key_Up:
    case Qt::Key_Right:
      step(+1);
      return;
    case Qt::Key_Down:
    case Qt::Key_Left:
      step(-1);
      return;
    default:
      QWidget::keyPressEvent(event);
  }
}

bool NumberFormatView::eventFilter(QObject* watched, QEvent* event) {
  // Up/Down in the line edit step the selected format (Left/Right keep moving the cursor).
  if (watched == edit_ && event->type() == QEvent::KeyPress) {
    const int key = static_cast<QKeyEvent*>(event)->key();
    if (key == Qt::Key_Up || key == Qt::Key_Down) {
      step(key == Qt::Key_Up ? +1 : -1);
      return true;
    }
  }
  return QWidget::eventFilter(watched, event);
}

void NumberFormatView::refresh() {
  const double probe = session_->probeValue();
  // Keep what the user is typing unless it no longer denotes the probe value.
  bool ok = false;
  const double typed = parseNumber(edit_->text(), &ok);
  const bool same = ok && ((typed == probe && std::signbit(typed) == std::signbit(probe)) ||
                           (std::isnan(typed) && std::isnan(probe)));
  if (!same) {
    const QSignalBlocker block(edit_);
    edit_->setText(shortest(probe));
    editStatus_->clear();
  }
  for (auto& row : rows_) refreshRow(row, probe);
  refreshInteger(probe);
}

void NumberFormatView::refreshRow(Row& row, double probe) {
  const auto& f = row.format;
  const quant::Encoded e = quant::encode(f, probe);
  const quant::Decoded d = quant::decode(f, e.bits);
  row.bits->setBits(e.bits);
  const int hexDigits = (f.totalBits() + 3) / 4;
  row.hex->setText(QStringLiteral("0x%1")
                       .arg(e.bits, hexDigits, 16, QLatin1Char('0'))
                       .toUpper()
                       .replace(QLatin1String("0X"), QLatin1String("0x")));
  row.cls->setText(className(d.cls));
  row.formula->setText(formulaText(f, d));
  const QString sep = QStringLiteral("   \u00B7   ");

  QString error;
  if (std::isnan(probe)) {
    error = tr("NaN in, NaN out");
  } else if (e.flags.overflowed) {
    error = d.cls == quant::FloatClass::Infinity ? tr("overflow: too large, became infinity")
                                                 : tr("overflow: too large, became NaN");
  } else if (!e.flags.inexact) {
    error = tr("exact: no rounding error");
  } else {
    // Direction of the rounding; the magnitudes come from quant::encode.
    const QString sign = e.value < probe ? QString(QChar(0x2212)) : QStringLiteral("+");
    error = tr("rounding error %1%2 (%1%3 %)")
                .arg(sign, compact(e.absError), compact(e.relError * 100.0));
    if (e.flags.underflowedToZero) error += tr(", underflow to zero");
  }
  setExactText(row.value, tr("value "), minusSign(QString::fromStdString(d.exact)), sep + error);

  auto neighbour = [&](const std::optional<std::uint32_t>& bits) {
    if (!bits) return tr("none");
    QString s = minusSign(QString::fromStdString(quant::exactDecimal(f, *bits)));
    if (s.size() > 32)
      s = QString(QChar(0x2248)) + minusSign(shortest(quant::decodeValue(f, *bits)));
    return s;
  };
  QString gap;
  if (std::isnan(d.gap)) {
    gap = tr("gap (ULP) %1").arg(QChar(0x2014));
  } else {
    QString gapText = QString::fromStdString(quant::exactDecimal(d.gap));
    if (gapText.size() > 20)
      gapText = QStringLiteral("%1 %2").arg(QChar(0x2248)).arg(compact(d.gap));
    else
      gapText = QStringLiteral("= ") + gapText;
    gap = tr("gap (ULP) 2^%1 %2")
              .arg(minusSign(QString::number(d.exponent - f.mantissaBits)), gapText);
    // The integer grid's step beside the float gap (display arithmetic on core's numbers).
    const auto& scales = session_->params().scales;
    if (!scales.empty() && d.gap > 0 && std::isfinite(d.gap)) {
      const double ratio = static_cast<double>(scales.front()) / d.gap;
      gap += ratio >= 1 ? tr(" (int step = %1 gaps)").arg(QString::number(ratio, 'g', 4))
                        : tr(" (gap = %1 int steps)").arg(QString::number(1.0 / ratio, 'g', 4));
    }
  }
  row.neighbours->setText(tr("neighbours %1 %2 %3")
                              .arg(neighbour(d.prevBits))
                              .arg(QChar(0x2194))
                              .arg(neighbour(d.nextBits)) +
                          sep + gap);
}

void NumberFormatView::refreshInteger(double probe) {
  const quant::QuantParams& p = session_->params();
  const quant::QuantSpec& spec = p.spec;
  if (p.scales.empty() || p.zeroPoints.empty()) {
    intTitle_->setText(tr("Integer quantization"));
    intCode_->setText(QStringLiteral("%1").arg(QChar(0x2014)));
    intDetails_->setText(session_->lastError().isEmpty() ? tr("no parameters yet")
                                                         : session_->lastError().toHtmlEscaped());
    intStep_->clear();
    return;
  }
  const float scale = p.scales.front();
  const std::int32_t zp = p.zeroPoints.front();
  const int qmin = spec.qmin(), qmax = spec.qmax();
  // Through fp32 first, as the quantizer sees it (a double beyond float range becomes +-inf, which
  // the quantizer clamps, instead of an undefined narrowing cast).
  const float x = static_cast<float>(quant::roundToFormat(quant::FloatFormat::fp32(), probe));
  const std::int32_t q = quant::quantizeValue(x, scale, zp, qmin, qmax);
  const float xHat = quant::dequantizeValue(q, scale, zp);

  QString title = QString::fromStdString(spec.describe());
  if (p.scales.size() > 1) title += tr(" (slot 0 of %1)").arg(p.scales.size());
  intTitle_->setText(tr("%1:").arg(title));
  intCode_->setText(QString::number(q));
  intCode_->setToolTip(tr("The integer code stored for the value"));

  const quant::Range r = p.ranges.empty() ? quant::Range{} : p.ranges.front();
  // The formula itself is in the tooltip: the panel stays short enough for a small dock.
  QString details =
      tr("s = %1, z = %2, codes [%3, %4], dequantized %5")
          .arg(compact(scale), minusSign(QString::number(zp)), minusSign(QString::number(qmin)),
               QString::number(qmax), compact(xHat));
  intDetails_->setToolTip(
      tr("q = clamp(round(x / s) + z, qmin, qmax), rounding half to even; x is first rounded to "
         "fp32, as the quantizer sees it. s is the scale, z the zero point. Dequantized: s%1(q %2 "
         "z).")
          .arg(QChar(0x00B7))
          .arg(QChar(0x2212)));
  if (std::isnan(probe)) {
    details += tr(" (NaN maps to the zero point)");
  } else if ((q == qmin || q == qmax) && (x < r.lo || x > r.hi)) {
    details +=
        tr(" <b>(clipped: outside the range [%1, %2])</b>").arg(compact(r.lo), compact(r.hi));
  }
  intDetails_->setText(details);

  const auto& sel = formatAt(selected_);
  const quant::Decoded d = quant::decode(sel, quant::encode(sel, probe).bits);
  QString step =
      tr("int step %1 everywhere in [%2, %3]").arg(compact(scale), compact(r.lo), compact(r.hi));
  if (std::isfinite(d.gap) && d.gap > 0) {
    // Display arithmetic only: how many float gaps fit in one integer step here.
    const double ratio = scale / d.gap;
    step += ratio >= 1
                ? tr(" = %1 %2 gaps (%3) here")
                      .arg(QString::number(ratio, 'g', 4), displayName(sel), compact(d.gap))
                : tr("; one %2 gap (%3) = %1 int steps here")
                      .arg(QString::number(1.0 / ratio, 'g', 4), displayName(sel), compact(d.gap));
  }
  intStep_->setText(step);
}

}  // namespace quantlab::ui
