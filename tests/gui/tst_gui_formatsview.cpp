// SPDX-License-Identifier: GPL-3.0-or-later
// NumberFormatView and MappingView driven offscreen: typed values, bit flips, ULP steps, the
// integer code beside the floats, and the codes the mapping view reports as used. Every expected
// number comes from core/ (quant::encode / decode / quantizeValue / reachableCodes).
//
// Set QUANTLAB_SNAPSHOT_DIR to also write PNGs of both views at dock and window sizes.
#include <QLabel>
#include <QLineEdit>
#include <QSet>
#include <QSignalSpy>
#include <QtTest>
#include <cmath>
#include <limits>
#include <vector>

#include "bitcellswidget.h"
#include "mappingview.h"
#include "numberformatview.h"
#include "quant/numeric/formats.h"
#include "quant/numeric/generate.h"
#include "quant/numeric/histogram.h"
#include "session.h"

using quantlab::ui::BitCellsWidget;
using quantlab::ui::MappingView;
using quantlab::ui::NumberFormatView;
using quantlab::ui::Session;

namespace {

QString labelText(const QWidget& root, const QString& name) {
  auto* l = root.findChild<QLabel*>(name);
  return l ? l->text() : QStringLiteral("<no label %1>").arg(name);
}

// The row of a format in the view, or -1.
int rowOf(const NumberFormatView& v, const std::string& name) {
  for (int i = 0; i < v.formatCount(); ++i) {
    if (v.formatAt(i).name == name) return i;
  }
  return -1;
}

quant::Tensor reluTensor() {
  quant::GeneratorSpec g;
  g.distribution = quant::Distribution::Relu;
  g.shape = {8, 512};
  g.seed = 7;
  g.name = "relu";
  return quant::generate(g);
}

}  // namespace

class TestGuiFormatsView : public QObject {
  Q_OBJECT

 private slots:
  void typedValueShowsEveryFormat_data();
  void typedValueShowsEveryFormat();
  void fp16OfPointOne();
  void signBitNegates_data();
  void signBitNegates();
  void everyBitFlipDecodes();
  void arrowStepsOneUlp_data();
  void arrowStepsOneUlp();
  void arrowsWalkEveryE4m3Pattern();
  void integerCodeMatchesQuantizer_data();
  void integerCodeMatchesQuantizer();
  void mappingUsedCodesRelu();
  void mappingUsedCodesFollowSpec_data();
  void mappingUsedCodesFollowSpec();
  void degenerateTensors_data();
  void degenerateTensors();
  void snapshots();
};

void TestGuiFormatsView::typedValueShowsEveryFormat_data() {
  QTest::addColumn<QString>("typed");
  QTest::addColumn<double>("value");
  QTest::addRow("0.1") << "0.1" << 0.1;
  QTest::addRow("-3.75") << "-3.75" << -3.75;
  QTest::addRow("1e-5 (fp16 subnormal)") << "1e-5" << 1e-5;
  QTest::addRow("70000 (fp16 overflow)") << "70000" << 70000.0;
  QTest::addRow("300 (e4m3 normal, e5m2 rounding)") << "300" << 300.0;
  QTest::addRow("inf") << "inf" << HUGE_VAL;
  QTest::addRow("zero") << "0" << 0.0;
  QTest::addRow("nan") << "nan" << std::nan("");
  QTest::addRow("typographic minus") << "\u22120.5" << -0.5;
}

void TestGuiFormatsView::typedValueShowsEveryFormat() {
  QFETCH(QString, typed);
  QFETCH(double, value);
  Session session;
  session.flush();
  NumberFormatView view(&session);
  view.resize(900, 700);
  auto* edit = view.findChild<QLineEdit*>(QStringLiteral("probeEdit"));
  QVERIFY(edit);
  edit->clear();
  // QTest can only type ASCII; other text is pasted, then Return applies it.
  bool ascii = true;
  for (QChar c : typed) ascii = ascii && c.unicode() < 128;
  if (ascii)
    QTest::keyClicks(edit, typed);
  else
    edit->setText(typed);
  QTest::keyClick(edit, Qt::Key_Return);
  QCOMPARE(session.probeValue(), value);
  QCOMPARE(view.formatCount(), 5);
  for (int i = 0; i < view.formatCount(); ++i) {
    const quant::FloatFormat& f = view.formatAt(i);
    const QString key = QString::fromStdString(f.name);
    const quant::Encoded e = quant::encode(f, value);
    QCOMPARE(view.bitCells(i)->bits(), e.bits);
    QCOMPARE(labelText(view, QStringLiteral("hex_") + key).toLower(),
             QStringLiteral("0x%1").arg(e.bits, (f.totalBits() + 3) / 4, 16, QLatin1Char('0')));
    // The exact decimal is shown (with a typographic minus), unless long enough to be elided.
    const QString exact = QString::fromStdString(quant::exactDecimal(f, e.bits))
                              .replace(QLatin1Char('-'), QChar(0x2212));
    const QString shown = labelText(view, QStringLiteral("value_") + key);
    if (exact.size() <= 40) QVERIFY2(shown.contains(exact), qPrintable(shown + " vs " + exact));
    const QString cls = labelText(view, QStringLiteral("class_") + key).toLower();
    QVERIFY2(
        cls.startsWith(QString::fromLatin1(quant::toString(quant::classify(f, e.bits))).left(3)),
        qPrintable(cls));
  }
}

void TestGuiFormatsView::fp16OfPointOne() {
  Session session;
  NumberFormatView view(&session);
  auto* edit = view.findChild<QLineEdit*>(QStringLiteral("probeEdit"));
  QVERIFY(edit);
  edit->selectAll();
  QTest::keyClicks(edit, QStringLiteral("0.1"));
  QTest::keyClick(edit, Qt::Key_Return);
  QCOMPARE(labelText(view, QStringLiteral("hex_fp16")), QStringLiteral("0x2E66"));
  QVERIFY(
      labelText(view, QStringLiteral("value_fp16")).contains(QStringLiteral("0.0999755859375")));
  QVERIFY(labelText(view, QStringLiteral("class_fp16")).contains(QStringLiteral("normal")));
  // 0.1 = 1.6 x 2^-4: the gap in fp16 is 2^(-4-10).
  const QString gap = labelText(view, QStringLiteral("neighbours_fp16"));
  QVERIFY2(gap.contains(QStringLiteral("2^\u221214")), qPrintable(gap));
  // ... and both neighbours, exactly.
  QVERIFY2(gap.contains(QStringLiteral("0.09991455078125")), qPrintable(gap));
  QVERIFY2(gap.contains(QStringLiteral("0.10003662109375")), qPrintable(gap));
  QVERIFY(labelText(view, QStringLiteral("value_fp16")).contains(QStringLiteral("rounding error")));
  // The formula shows the stored exponent field 11 and bias 15.
  QVERIFY2(labelText(view, QStringLiteral("formula_fp16")).contains(QStringLiteral("11\u221215")),
           qPrintable(labelText(view, QStringLiteral("formula_fp16"))));
}

void TestGuiFormatsView::signBitNegates_data() {
  QTest::addColumn<double>("value");
  QTest::addRow("0.1") << 0.1;
  QTest::addRow("-2.5") << -2.5;
  QTest::addRow("fp32 subnormal 1e-40") << 1e-40;
  QTest::addRow("3e38") << 3e38;
}

void TestGuiFormatsView::signBitNegates() {
  QFETCH(double, value);
  Session session;
  NumberFormatView view(&session);
  view.resize(900, 700);
  view.show();
  session.setProbeValue(value);
  const int row = rowOf(view, "fp32");
  QVERIFY(row >= 0);
  BitCellsWidget* cells = view.bitCells(row);
  QCOMPARE(cells->objectName(), QStringLiteral("bits_fp32"));
  const quant::FloatFormat f = quant::FloatFormat::fp32();
  const double stored = quant::decodeValue(f, quant::encode(f, value).bits);
  QSignalSpy spy(&session, &Session::probeValueChanged);
  QTest::mouseClick(cells, Qt::LeftButton, {}, cells->cellRect(31).center());
  QCOMPARE(spy.count(), 1);
  QCOMPARE(session.probeValue(), -stored);
  QCOMPARE(cells->bits(), quant::encode(f, value).bits ^ 0x80000000u);
  QCOMPARE(view.selectedRow(), row);
}

void TestGuiFormatsView::everyBitFlipDecodes() {
  // Property: clicking bit b of a format makes the probe the value of (pattern XOR 2^b), for
  // every bit of every format (NaN results compared as NaN).
  Session session;
  NumberFormatView view(&session);
  view.resize(1000, 700);
  view.show();
  for (int row = 0; row < view.formatCount(); ++row) {
    const quant::FloatFormat& f = view.formatAt(row);
    BitCellsWidget* cells = view.bitCells(row);
    for (int bit = 0; bit < f.totalBits(); ++bit) {
      session.setProbeValue(1.5);
      const std::uint32_t before = quant::encode(f, 1.5).bits;
      QTest::mouseClick(cells, Qt::LeftButton, {}, cells->cellRect(bit).center());
      const double expected = quant::decodeValue(f, before ^ (std::uint32_t{1} << bit));
      const double got = session.probeValue();
      QVERIFY2(got == expected || (std::isnan(got) && std::isnan(expected)),
               qPrintable(QStringLiteral("%1 bit %2: %3 vs %4")
                              .arg(QString::fromStdString(f.name))
                              .arg(bit)
                              .arg(got)
                              .arg(expected)));
    }
  }
}

void TestGuiFormatsView::arrowStepsOneUlp_data() {
  QTest::addColumn<QString>("format");
  QTest::addColumn<double>("value");
  QTest::addRow("fp16 0.1") << "fp16" << 0.1;
  QTest::addRow("fp16 -1 (binade edge)") << "fp16" << -1.0;
  QTest::addRow("fp32 1") << "fp32" << 1.0;
  QTest::addRow("bf16 0.1") << "bf16" << 0.1;
  QTest::addRow("e5m2 0") << "e5m2" << 0.0;
  QTest::addRow("e4m3fn 17") << "e4m3fn" << 17.0;
}

void TestGuiFormatsView::arrowStepsOneUlp() {
  QFETCH(QString, format);
  QFETCH(double, value);
  Session session;
  NumberFormatView view(&session);
  view.resize(900, 700);
  view.show();
  session.setProbeValue(value);
  const int row = rowOf(view, format.toStdString());
  QVERIFY(row >= 0);
  const quant::FloatFormat& f = view.formatAt(row);
  BitCellsWidget* cells = view.bitCells(row);
  const quant::Decoded d = quant::decode(f, quant::encode(f, value).bits);

  QTest::keyClick(cells, Qt::Key_Up);
  QCOMPARE(view.selectedRow(), row);
  QCOMPARE(session.probeValue(), d.next);
  // Down from there returns to the stored value, and once more to its lower neighbour.
  QTest::keyClick(cells, Qt::Key_Down);
  QCOMPARE(session.probeValue(), d.value);
  QTest::keyClick(cells, Qt::Key_Left);
  QCOMPARE(session.probeValue(), d.prev);
  QTest::keyClick(cells, Qt::Key_Right);
  QCOMPARE(session.probeValue(), d.value);

  // Up/Down in the line edit step the selected format too.
  auto* edit = view.findChild<QLineEdit*>(QStringLiteral("probeEdit"));
  QVERIFY(edit);
  QTest::keyClick(edit, Qt::Key_Up);
  QCOMPARE(session.probeValue(), d.next);
  QCOMPARE(edit->text().toDouble(), d.next);
}

void TestGuiFormatsView::arrowsWalkEveryE4m3Pattern() {
  // Property: from +0, Up visits every positive finite E4M3FN pattern in order and stops at 448
  // (no infinity to step into).
  Session session;
  NumberFormatView view(&session);
  session.setProbeValue(0.0);
  const int row = rowOf(view, "e4m3fn");
  QVERIFY(row >= 0);
  const quant::FloatFormat& f = view.formatAt(row);
  BitCellsWidget* cells = view.bitCells(row);
  const std::uint32_t maxBits = f.maxFiniteBits();
  for (std::uint32_t expected = 1; expected <= maxBits; ++expected) {
    QTest::keyClick(cells, Qt::Key_Up);
    QCOMPARE(cells->bits(), expected);
    QCOMPARE(session.probeValue(), quant::decodeValue(f, expected));
  }
  QTest::keyClick(cells, Qt::Key_Up);
  QCOMPARE(session.probeValue(), 448.0);
}

void TestGuiFormatsView::integerCodeMatchesQuantizer_data() {
  QTest::addColumn<bool>("asymmetric");
  QTest::addColumn<int>("bits");
  QTest::addColumn<double>("value");
  for (double v : {0.1, -0.3, 0.0, 5.0, -5.0, 0.0123}) {
    QTest::addRow("int8 symmetric %g", v) << false << 8 << v;
    QTest::addRow("uint8 asymmetric %g", v) << true << 8 << v;
    QTest::addRow("int4 symmetric %g", v) << false << 4 << v;
  }
}

void TestGuiFormatsView::integerCodeMatchesQuantizer() {
  QFETCH(bool, asymmetric);
  QFETCH(int, bits);
  QFETCH(double, value);
  Session session;
  quant::QuantSpec spec = session.spec();
  spec.bits = bits;
  spec.scheme = asymmetric ? quant::Scheme::Asymmetric : quant::Scheme::Symmetric;
  spec.isSigned = !asymmetric;
  session.setSpec(spec, QStringLiteral("test"));
  session.flush();
  NumberFormatView view(&session);
  session.setProbeValue(value);
  const quant::QuantParams& p = session.params();
  QVERIFY(!p.scales.empty());
  const std::int32_t q = quant::quantizeValue(static_cast<float>(value), p.scales[0],
                                              p.zeroPoints[0], spec.qmin(), spec.qmax());
  QCOMPARE(labelText(view, QStringLiteral("intCode")), QString::number(q));
  // The step (scale) is shown beside the float gap.
  QVERIFY2(labelText(view, QStringLiteral("intStep"))
               .contains(QString::number(p.scales[0], 'g', 6).replace('-', QChar(0x2212))),
           qPrintable(labelText(view, QStringLiteral("intStep"))));
}

void TestGuiFormatsView::mappingUsedCodesRelu() {
  Session session;
  const quant::Tensor t = reluTensor();
  session.setTensor(t, QStringLiteral("relu"));
  session.flush();
  MappingView view(&session);
  QVERIFY(view.hasData(MappingView::Symmetric));
  QVERIFY(view.hasData(MappingView::Asymmetric));

  // Independent range: the tensor's finite min / max.
  const quant::MinMax mm = quant::finiteMinMax(t.data);
  QCOMPARE(mm.min, 0.0f);
  for (auto panel : {MappingView::Symmetric, MappingView::Asymmetric}) {
    const quant::QuantParams& p =
        panel == MappingView::Symmetric ? session.symmetricParams() : session.asymmetricParams();
    const quant::ReachableCodes want =
        quant::reachableCodes(p.spec, p.scales[0], p.zeroPoints[0], mm.min, mm.max);
    const quant::ReachableCodes& got = view.reachable(panel);
    QCOMPARE(got.first, want.first);
    QCOMPARE(got.last, want.last);
    QCOMPARE(got.used, want.used);
    QCOMPARE(got.available, want.available);
    QCOMPARE(view.usedCodesText(panel),
             QStringLiteral("%1 of %2 codes used").arg(want.used).arg(want.available));
    QCOMPARE(view.scale(panel), p.scales[0]);
    QCOMPARE(view.zeroPoint(panel), p.zeroPoints[0]);
    // The probed value is marked with the code the quantizer gives it.
    for (double probe : {0.5, -0.25, 100.0}) {
      session.setProbeValue(probe);
      QCOMPARE(view.probeCode(panel),
               quant::quantizeValue(static_cast<float>(probe), p.scales[0], p.zeroPoints[0],
                                    p.spec.qmin(), p.spec.qmax()));
    }
  }
  // Symmetric int8 on ReLU outputs never reaches the negative codes: 128 of 256 used.
  QCOMPARE(view.reachable(MappingView::Symmetric).first, 0);
  QCOMPARE(view.reachable(MappingView::Symmetric).used, std::int64_t{128});
  QCOMPARE(view.reachable(MappingView::Asymmetric).used, std::int64_t{256});
}

void TestGuiFormatsView::mappingUsedCodesFollowSpec_data() {
  QTest::addColumn<int>("bits");
  QTest::addColumn<bool>("narrow");
  QTest::addRow("int4") << 4 << false;
  QTest::addRow("int8 narrow") << 8 << true;
  QTest::addRow("int6") << 6 << false;
}

void TestGuiFormatsView::mappingUsedCodesFollowSpec() {
  QFETCH(int, bits);
  QFETCH(bool, narrow);
  Session session;  // the default Laplace tensor: both signs
  MappingView view(&session);
  QSignalSpy spy(&session, &Session::resultsChanged);
  quant::QuantSpec spec = session.spec();
  spec.bits = bits;
  spec.narrowRange = narrow;
  session.setSpec(spec, QStringLiteral("test"));
  QTRY_VERIFY(spy.count() > 0);
  const quant::Histogram& h = session.histogram();
  const quant::QuantParams& p = session.symmetricParams();
  const quant::ReachableCodes want = quant::reachableCodes(
      p.spec, p.scales[0], p.zeroPoints[0], static_cast<float>(h.lo), static_cast<float>(h.hi));
  QCOMPARE(view.reachable(MappingView::Symmetric).used, want.used);
  QCOMPARE(view.reachable(MappingView::Symmetric).available,
           std::int64_t{spec.qmax()} - spec.qmin() + 1);
}

void TestGuiFormatsView::degenerateTensors_data() {
  QTest::addColumn<std::vector<float>>("data");
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  QTest::addRow("all zero") << std::vector<float>(64, 0.0f);
  QTest::addRow("constant 3") << std::vector<float>(64, 3.0f);
  QTest::addRow("all NaN") << std::vector<float>(16, nan);
  QTest::addRow("inf and one value") << std::vector<float>{inf, -inf, 0.5f, nan};
  QTest::addRow("one element") << std::vector<float>{-2.0f};
}

void TestGuiFormatsView::degenerateTensors() {
  // Property: whatever the tensor, both views paint, and the used-codes count is core's.
  QFETCH(std::vector<float>, data);
  Session session;
  quant::Tensor t;
  t.name = "degenerate";
  t.dtype = "float32";
  t.shape = {static_cast<std::int64_t>(data.size())};
  t.data = data;
  session.setTensor(t, QStringLiteral("degenerate"));
  session.flush();
  MappingView mapping(&session);
  NumberFormatView formats(&session);
  mapping.resize(600, 400);
  formats.resize(600, 400);
  QVERIFY(!mapping.grab().isNull());
  QVERIFY(!formats.grab().isNull());
  const quant::MinMax mm = quant::finiteMinMax(data);
  QCOMPARE(mapping.hasData(MappingView::Symmetric),
           mm.finiteCount > 0 && session.lastError().isEmpty());
  if (mapping.hasData(MappingView::Symmetric)) {
    const quant::QuantParams& p = session.symmetricParams();
    QCOMPARE(mapping.reachable(MappingView::Symmetric).used,
             quant::reachableCodes(p.spec, p.scales[0], p.zeroPoints[0], mm.min, mm.max).used);
  }
}

void TestGuiFormatsView::snapshots() {
  // Rendering must work at dock and window sizes; the PNGs are for looking at.
  const QString dir = qEnvironmentVariable("QUANTLAB_SNAPSHOT_DIR");
  Session session;
  session.flush();
  session.setProbeValue(0.1);
  NumberFormatView formats(&session);
  MappingView mapping(&session);
  for (QSize size : {QSize(600, 400), QSize(1200, 700)}) {
    for (QWidget* w : {static_cast<QWidget*>(&formats), static_cast<QWidget*>(&mapping)}) {
      w->resize(size);
      const QPixmap pix = w->grab();
      QCOMPARE(pix.size(), size * pix.devicePixelRatio());
      const QImage img = pix.toImage();
      // Not blank: text and coloured cells / axes put many colours on it.
      QSet<QRgb> colours;
      for (int y = 0; y < img.height(); y += 3) {
        for (int x = 0; x < img.width(); x += 3) colours.insert(img.pixel(x, y));
      }
      QVERIFY2(colours.size() > 8, qPrintable(QString::number(colours.size())));
      if (!dir.isEmpty()) {
        QVERIFY(pix.save(QStringLiteral("%1/%2_%3x%4.png")
                             .arg(dir, w->objectName())
                             .arg(size.width())
                             .arg(size.height())));
      }
    }
  }
  if (!dir.isEmpty()) {
    session.setTensor(reluTensor(), QStringLiteral("relu"));
    session.flush();
    mapping.resize(600, 400);
    QVERIFY(mapping.grab().save(dir + QStringLiteral("/MappingView_relu_600x400.png")));
    quant::QuantSpec spec = session.spec();
    spec.bits = 4;
    session.setSpec(spec, QStringLiteral("int4"));
    session.flush();
    mapping.resize(1200, 700);
    QVERIFY(mapping.grab().save(dir + QStringLiteral("/MappingView_relu_int4_1200x700.png")));
    session.setProbeValue(1e-6);
    formats.resize(1200, 700);
    QVERIFY(formats.grab().save(dir + QStringLiteral("/NumberFormatView_tiny_1200x700.png")));
  }
}

QTEST_MAIN(TestGuiFormatsView)
#include "tst_gui_formatsview.moc"
