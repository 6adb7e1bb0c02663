// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of uniform quantization: the course's worked examples, rounding (ties to even), parameter
// choice properties, layouts, per-channel / per-group equivalence with per-tensor slices, and the
// vectorised fake-quantize kernels against the scalar reference (bit for bit, on every ISA).
// Over 700 lines: the worked examples, the property tables and the kernel comparison all test
// quantize.h, one data-driven function per property.
#include <QtTest>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "quant/kernels/cpu.h"
#include "quant/kernels/fakequant.h"
#include "quant/numeric/quantize.h"
#include "quanttesting.h"

using quant::Granularity;
using quant::QuantParams;
using quant::QuantSpec;
using quant::Range;
using quant::Scheme;
namespace cpu = quant::cpu;
namespace detail = quant::detail;

using quantlab::testing::fakeQuantIsas;
using quantlab::testing::IsaGuard;
using quantlab::testing::makeSpec;
using quantlab::testing::perTensor;

namespace {

// Reference fake quantization through the plain scalar functions.
float refFake(float x, const QuantParams& p, std::size_t slot) {
  const std::int32_t q =
      quant::quantizeValue(x, p.scales[slot], p.zeroPoints[slot], p.spec.qmin(), p.spec.qmax());
  return quant::dequantizeValue(q, p.scales[slot], p.zeroPoints[slot]);
}

// Index of the first element whose bits differ, or -1.
qint64 firstMismatch(const std::vector<float>& a, const std::vector<float>& b) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::bit_cast<std::uint32_t>(a[i]) != std::bit_cast<std::uint32_t>(b[i])) {
      return static_cast<qint64>(i);
    }
  }
  return -1;
}

}  // namespace

class TestQuantize : public QObject {
  Q_OBJECT
 private slots:
  // ---- the course's worked examples, exactly ----
  void courseExamples_data() {
    QTest::addColumn<QList<float>>("x");
    QTest::addColumn<bool>("isSigned");
    QTest::addColumn<bool>("symmetric");
    QTest::addColumn<float>("expectedScale");
    QTest::addColumn<int>("expectedZeroPoint");
    QTest::addColumn<QList<int>>("expectedQ");
    const QList<float> x{0.3f, 0.6f, -0.3f, -0.5f, 0.0f, 0.7f, -0.8f, 0.2f};
    QTest::addRow("int8 symmetric absmax") << x << true << true << 0.8f / 127.0f << 0
                                           << QList<int>{48, 95, -48, -79, 0, 111, -127, 32};
    QTest::addRow("int8 asymmetric min-max") << x << true << false << 1.5f / 255.0f << 8
                                             << QList<int>{59, 110, -43, -77, 8, 127, -128, 42};
    QList<float> outlier = x;
    outlier[6] = -99.0f;
    QTest::addRow("int8 symmetric min-max with outlier")
        << outlier << true << true << 99.0f / 127.0f << 0 << QList<int>{0, 1, 0, -1, 0, 1, -127, 0};
  }
  void courseExamples() {
    QFETCH(QList<float>, x);
    QFETCH(bool, isSigned);
    QFETCH(bool, symmetric);
    QFETCH(float, expectedScale);
    QFETCH(int, expectedZeroPoint);
    QFETCH(QList<int>, expectedQ);
    const QuantSpec spec =
        makeSpec(8, isSigned, symmetric ? Scheme::Symmetric : Scheme::Asymmetric);
    const float lo = *std::min_element(x.begin(), x.end());
    const float hi = *std::max_element(x.begin(), x.end());
    const QuantParams p = perTensor(spec, static_cast<std::size_t>(x.size()), lo, hi);
    QVERIFY2(std::fabs(p.scales[0] - expectedScale) <= 1e-6f * expectedScale,
             qPrintable(QString("scale %1 vs %2").arg(p.scales[0]).arg(expectedScale)));
    QCOMPARE(p.zeroPoints[0], expectedZeroPoint);
    const std::vector<float> xs(x.begin(), x.end());
    const std::vector<std::int32_t> q = quant::quantize(xs, p);
    QCOMPARE(QList<int>(q.begin(), q.end()), expectedQ);
    // Dequantization returns every (unclipped) input to within half a step.
    const std::vector<float> back = quant::dequantize(q, p);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (xs[i] < p.ranges[0].lo || xs[i] > p.ranges[0].hi) continue;
      QVERIFY2(std::fabs(back[i] - xs[i]) <= p.scales[0] * 0.5f * 1.0001f,
               qPrintable(QString("element %1: %2 -> %3").arg(i).arg(xs[i]).arg(back[i])));
    }
  }

  void courseSingleValues_data() {
    QTest::addColumn<float>("x");
    QTest::addColumn<float>("scale");
    QTest::addColumn<int>("zeroPoint");
    QTest::addColumn<int>("qmin");
    QTest::addColumn<int>("qmax");
    QTest::addColumn<int>("expectedQ");
    QTest::addColumn<double>("expectedXHat");
    QTest::addRow("3.6 over [-10, 10], scale 20/255")
        << 3.6f << 20.0f / 255.0f << 0 << -128 << 127 << 46 << 46 * 20.0 / 255.0;
    QTest::addRow("uint8 [-1, 1]: 0.5 -> 192")
        << 0.5f << 2.0f / 255.0f << 128 << 0 << 255 << 192 << 0.50196;
  }
  void courseSingleValues() {
    QFETCH(float, x);
    QFETCH(float, scale);
    QFETCH(int, zeroPoint);
    QFETCH(int, qmin);
    QFETCH(int, qmax);
    QFETCH(int, expectedQ);
    QFETCH(double, expectedXHat);
    const std::int32_t q = quant::quantizeValue(x, scale, zeroPoint, qmin, qmax);
    QCOMPARE(q, expectedQ);
    QVERIFY(std::fabs(quant::dequantizeValue(q, scale, zeroPoint) - expectedXHat) < 1e-5);
  }

  void courseParamsFromRange_data() {
    QTest::addColumn<bool>("isSigned");
    QTest::addColumn<float>("lo");
    QTest::addColumn<float>("hi");
    QTest::addColumn<float>("expectedScale");
    QTest::addColumn<int>("expectedZeroPoint");
    QTest::addColumn<float>("x");
    QTest::addColumn<int>("expectedQ");
    // Both zero points are exact ties (-127.5 rounds to even -128).
    QTest::addRow("int8 asymmetric [-10, 10]: 3.6 -> 46")
        << true << -10.0f << 10.0f << 20.0f / 255.0f << 0 << 3.6f << 46;
    QTest::addRow("uint8 asymmetric [-1, 1]: 0.5 -> 192")
        << false << -1.0f << 1.0f << 2.0f / 255.0f << 128 << 0.5f << 192;
  }
  void courseParamsFromRange() {
    QFETCH(bool, isSigned);
    QFETCH(float, lo);
    QFETCH(float, hi);
    QFETCH(float, expectedScale);
    QFETCH(int, expectedZeroPoint);
    QFETCH(float, x);
    QFETCH(int, expectedQ);
    const QuantSpec spec = makeSpec(8, isSigned, Scheme::Asymmetric);
    const quant::ScaleZeroPoint sz = quant::chooseParams(spec, lo, hi);
    QCOMPARE(sz.scale, expectedScale);
    QCOMPARE(sz.zeroPoint, expectedZeroPoint);
    QCOMPARE(quant::quantizeValue(x, sz.scale, sz.zeroPoint, spec.qmin(), spec.qmax()), expectedQ);
  }

  // ---- rounding ----
  void tiesToEven_data() {
    QTest::addColumn<float>("x");
    QTest::addColumn<float>("scale");
    QTest::addColumn<int>("zeroPoint");
    QTest::addColumn<int>("expected");
    QTest::addRow("2.5 -> 2") << 2.5f << 1.0f << 0 << 2;
    QTest::addRow("3.5 -> 4") << 3.5f << 1.0f << 0 << 4;
    QTest::addRow("-2.5 -> -2") << -2.5f << 1.0f << 0 << -2;
    QTest::addRow("-3.5 -> -4") << -3.5f << 1.0f << 0 << -4;
    QTest::addRow("0.5 -> 0") << 0.5f << 1.0f << 0 << 0;
    QTest::addRow("-0.5 -> 0") << -0.5f << 1.0f << 0 << 0;
    QTest::addRow("1.5 -> 2") << 1.5f << 1.0f << 0 << 2;
    QTest::addRow("x/scale = 2.5 with scale 0.25") << 0.625f << 0.25f << 0 << 2;
    QTest::addRow("x/scale = 2.5, zero point 3 added after rounding") << 2.5f << 1.0f << 3 << 5;
    QTest::addRow("x/scale = 126.5 -> 126") << 126.5f << 1.0f << 0 << 126;
    QTest::addRow("just above a tie rounds up") << std::nextafter(2.5f, 3.0f) << 1.0f << 0 << 3;
    QTest::addRow("just below a tie rounds down") << std::nextafter(3.5f, 0.0f) << 1.0f << 0 << 3;
  }
  void tiesToEven() {
    QFETCH(float, x);
    QFETCH(float, scale);
    QFETCH(int, zeroPoint);
    QFETCH(int, expected);
    QCOMPARE(quant::quantizeValue(x, scale, zeroPoint, -128, 127), expected);
    // The vectorised kernels agree on every ISA (a 37-element tensor exercises vector and tail).
    IsaGuard guard;
    for (cpu::Isa isa : fakeQuantIsas()) {
      cpu::forceIsa(isa);
      QuantParams p = perTensor(makeSpec(8, true, Scheme::Symmetric), 37, -1.0f, 1.0f);
      p.scales[0] = scale;
      p.zeroPoints[0] = zeroPoint;
      const std::vector<float> xs(37, x);
      std::vector<float> out(37);
      quant::fakeQuantize(xs, p, out);
      for (float v : out) {
        QCOMPARE(v, quant::dequantizeValue(expected, scale, zeroPoint));
      }
    }
  }

  void nonFinite_data() {
    QTest::addColumn<float>("x");
    QTest::addColumn<int>("expectedFromZeroPoint");  // 0: zp, 1: qmax, -1: qmin
    QTest::addRow("NaN -> zero point") << std::numeric_limits<float>::quiet_NaN() << 0;
    QTest::addRow("-NaN -> zero point") << -std::numeric_limits<float>::quiet_NaN() << 0;
    QTest::addRow("+Inf -> qmax") << std::numeric_limits<float>::infinity() << 1;
    QTest::addRow("-Inf -> qmin") << -std::numeric_limits<float>::infinity() << -1;
    QTest::addRow("FLT_MAX -> qmax") << std::numeric_limits<float>::max() << 1;
    QTest::addRow("-FLT_MAX -> qmin") << -std::numeric_limits<float>::max() << -1;
  }
  void nonFinite() {
    QFETCH(float, x);
    QFETCH(int, expectedFromZeroPoint);
    IsaGuard guard;
    for (const bool isSigned : {true, false}) {
      const QuantSpec spec = makeSpec(8, isSigned, Scheme::Asymmetric);
      const QuantParams p = perTensor(spec, 19, -0.3f, 1.7f);
      const int zp = p.zeroPoints[0];
      const int expected = expectedFromZeroPoint == 0  ? zp
                           : expectedFromZeroPoint > 0 ? spec.qmax()
                                                       : spec.qmin();
      QCOMPARE(quant::quantizeValue(x, p.scales[0], zp, spec.qmin(), spec.qmax()), expected);
      const float expectedHat = quant::dequantizeValue(expected, p.scales[0], zp);
      if (expectedFromZeroPoint == 0) QCOMPARE(expectedHat, 0.0f);
      for (cpu::Isa isa : fakeQuantIsas()) {
        cpu::forceIsa(isa);
        std::vector<float> xs(19, 0.25f);
        xs[3] = x;
        xs[17] = x;  // in the scalar tail of a vector kernel
        std::vector<float> out(19);
        quant::fakeQuantize(xs, p, out);
        QCOMPARE(out[3], expectedHat);
        QCOMPARE(out[17], expectedHat);
        QCOMPARE(out[0], refFake(0.25f, p, 0));
      }
    }
  }

  // ---- parameter choice properties ----
  void zeroIsExact_data() {
    QTest::addColumn<bool>("isSigned");
    QTest::addColumn<bool>("symmetric");
    QTest::addColumn<bool>("narrow");
    for (bool sg : {true, false})
      for (bool sym : {true, false})
        for (bool nr : {false, true})
          QTest::addRow("%s %s%s", sg ? "signed" : "unsigned", sym ? "symmetric" : "asymmetric",
                        nr ? " narrow" : "")
              << sg << sym << nr;
  }
  void zeroIsExact() {
    QFETCH(bool, isSigned);
    QFETCH(bool, symmetric);
    QFETCH(bool, narrow);
    std::mt19937 rng(1234);
    std::uniform_real_distribution<float> mag(-8.0f, 8.0f);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    for (int bits = 2; bits <= 16; ++bits) {
      const QuantSpec spec =
          makeSpec(bits, isSigned, symmetric ? Scheme::Symmetric : Scheme::Asymmetric, narrow);
      for (int trial = 0; trial < 300; ++trial) {
        float lo = u(rng) * std::pow(10.0f, mag(rng));
        float hi = u(rng) * std::pow(10.0f, mag(rng));
        if (trial % 10 == 0) hi = lo;  // degenerate
        if (trial % 17 == 0) lo = hi = 0.0f;
        if (lo > hi) std::swap(lo, hi);
        const quant::ScaleZeroPoint sz = quant::chooseParams(spec, lo, hi);
        QVERIFY(std::isfinite(sz.scale));
        QVERIFY(sz.scale >= quant::kMinScale);
        QVERIFY(sz.zeroPoint >= spec.qmin() && sz.zeroPoint <= spec.qmax());
        const std::int32_t q0 =
            quant::quantizeValue(0.0f, sz.scale, sz.zeroPoint, spec.qmin(), spec.qmax());
        QVERIFY2(quant::dequantizeValue(q0, sz.scale, sz.zeroPoint) == 0.0f,
                 qPrintable(QString("bits %1 range [%2, %3]").arg(bits).arg(lo).arg(hi)));
        QCOMPARE(q0, sz.zeroPoint);
      }
    }
  }

  void roundTripAndBounds_data() { zeroIsExact_data(); }
  void roundTripAndBounds() {
    QFETCH(bool, isSigned);
    QFETCH(bool, symmetric);
    QFETCH(bool, narrow);
    std::mt19937 rng(99);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (int bits = 2; bits <= 16; ++bits) {
      const QuantSpec spec =
          makeSpec(bits, isSigned, symmetric ? Scheme::Symmetric : Scheme::Asymmetric, narrow);
      for (int trial = 0; trial < 40; ++trial) {
        const float span = std::pow(10.0f, -3.0f + 6.0f * u(rng));
        const float lo = -span * u(rng) * (trial % 3 == 0 ? 0.0f : 1.0f);
        const float hi = span * u(rng) * (trial % 5 == 0 ? 0.0f : 1.0f) + (lo == 0 ? span : 0);
        const quant::ScaleZeroPoint sz = quant::chooseParams(spec, lo, hi);
        const QuantParams p = perTensor(spec, 1, lo, hi);
        for (int k = 0; k < 200; ++k) {
          // In range: within the clipping range in force.
          const float x = p.ranges[0].lo + (p.ranges[0].hi - p.ranges[0].lo) * u(rng);
          const std::int32_t q =
              quant::quantizeValue(x, sz.scale, sz.zeroPoint, spec.qmin(), spec.qmax());
          QVERIFY(q >= spec.qmin() && q <= spec.qmax());
          const float back = quant::dequantizeValue(q, sz.scale, sz.zeroPoint);
          const float tol = sz.scale * 0.5f * 1.0001f + std::fabs(x) * 1e-6f;
          QVERIFY2(std::fabs(back - x) <= tol,
                   qPrintable(QString("bits %1 [%2,%3] x=%4 back=%5 scale=%6")
                                  .arg(bits)
                                  .arg(lo)
                                  .arg(hi)
                                  .arg(x)
                                  .arg(back)
                                  .arg(sz.scale)));
          // Far out of range: still a valid code.
          const float far = (k % 2 ? 1.0f : -1.0f) * span * 1e3f * u(rng);
          const std::int32_t qf =
              quant::quantizeValue(far, sz.scale, sz.zeroPoint, spec.qmin(), spec.qmax());
          QVERIFY(qf >= spec.qmin() && qf <= spec.qmax());
        }
      }
    }
  }

  void degenerateTensors_data() {
    QTest::addColumn<QList<float>>("x");
    QTest::addRow("all zero") << QList<float>{0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    QTest::addRow("constant 3") << QList<float>(13, 3.0f);
    QTest::addRow("constant -0.01") << QList<float>(9, -0.01f);
    QTest::addRow("single element") << QList<float>{0.42f};
    QTest::addRow("single zero") << QList<float>{0.0f};
  }
  void degenerateTensors() {
    QFETCH(QList<float>, x);
    const std::vector<float> xs(x.begin(), x.end());
    const float lo = *std::min_element(xs.begin(), xs.end());
    const float hi = *std::max_element(xs.begin(), xs.end());
    for (bool sym : {true, false}) {
      for (bool sg : {true, false}) {
        const QuantSpec spec = makeSpec(8, sg, sym ? Scheme::Symmetric : Scheme::Asymmetric);
        const QuantParams p = perTensor(spec, xs.size(), lo, hi);
        QVERIFY(p.scales[0] >= quant::kMinScale && std::isfinite(p.scales[0]));
        if (lo == 0 && hi == 0) QCOMPARE(p.scales[0], quant::kMinScale);
        std::vector<float> out(xs.size());
        quant::fakeQuantize(xs, p, out);
        for (std::size_t i = 0; i < xs.size(); ++i) {
          QVERIFY(std::fabs(out[i] - xs[i]) <= p.scales[0] * 0.5f * 1.0001f);
          if (xs[i] == 0.0f) QCOMPARE(out[i], 0.0f);
        }
      }
    }
  }

  void chooseParamsErrors() {
    const QuantSpec spec = makeSpec(8, true, Scheme::Asymmetric);
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::chooseParams(spec, 1.0f, -1.0f));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::chooseParams(spec, NAN, 1.0f));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::chooseParams(spec, -INFINITY, 1.0f));
    QuantSpec bad = spec;
    bad.bits = 1;
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::chooseParams(bad, -1.0f, 1.0f));
    // A huge range does not overflow the scale.
    const float big = std::numeric_limits<float>::max();
    const quant::ScaleZeroPoint sz = quant::chooseParams(spec, -big, big);
    QVERIFY(std::isfinite(sz.scale));
  }

  // ---- spec helpers ----
  void specRanges_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<bool>("isSigned");
    QTest::addColumn<bool>("narrow");
    QTest::addColumn<int>("qmin");
    QTest::addColumn<int>("qmax");
    QTest::addRow("int8") << 8 << true << false << -128 << 127;
    QTest::addRow("int8 narrow") << 8 << true << true << -127 << 127;
    QTest::addRow("uint8") << 8 << false << false << 0 << 255;
    QTest::addRow("uint8 narrow") << 8 << false << true << 1 << 255;
    QTest::addRow("int4") << 4 << true << false << -8 << 7;
    QTest::addRow("int2") << 2 << true << false << -2 << 1;
    QTest::addRow("int16") << 16 << true << false << -32768 << 32767;
    QTest::addRow("uint16") << 16 << false << false << 0 << 65535;
  }
  void specRanges() {
    QFETCH(int, bits);
    QFETCH(bool, isSigned);
    QFETCH(bool, narrow);
    QFETCH(int, qmin);
    QFETCH(int, qmax);
    const QuantSpec s = makeSpec(bits, isSigned, Scheme::Symmetric, narrow);
    QCOMPARE(s.qmin(), qmin);
    QCOMPARE(s.qmax(), qmax);
  }

  void specValidateAndDescribe() {
    QuantSpec s;
    s.validate();
    QCOMPARE(s.describe(), std::string("int8 symmetric per-tensor"));
    s.isSigned = false;
    s.bits = 4;
    s.scheme = Scheme::Asymmetric;
    s.granularity = Granularity::PerChannel;
    s.axis = -1;
    QCOMPARE(s.describe(), std::string("uint4 asymmetric per-channel(axis -1)"));
    s.granularity = Granularity::PerGroup;
    s.axis = 1;
    s.groupSize = 64;
    s.narrowRange = true;
    QCOMPARE(s.describe(), std::string("uint4 asymmetric narrow per-group(axis 1, size 64)"));
    for (int bits : {-3, 0, 1, 17, 32}) {
      QuantSpec b;
      b.bits = bits;
      QVERIFY_THROWS_EXCEPTION(quant::Error, b.validate());
    }
    QuantSpec g;
    g.granularity = Granularity::PerGroup;
    g.groupSize = 0;
    QVERIFY_THROWS_EXCEPTION(quant::Error, g.validate());
  }

  void parseGranularity_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("granularity");
    QTest::addColumn<int>("axis");
    QTest::addColumn<int>("groupSize");
    QTest::addRow("tensor") << "tensor" << true << int(Granularity::PerTensor) << 0 << 32;
    QTest::addRow("channel:0") << "channel:0" << true << int(Granularity::PerChannel) << 0 << 32;
    QTest::addRow("channel:-1") << "channel:-1" << true << int(Granularity::PerChannel) << -1 << 32;
    QTest::addRow("group:1:128") << "group:1:128" << true << int(Granularity::PerGroup) << 1 << 128;
    QTest::addRow("group:-1:32") << "group:-1:32" << true << int(Granularity::PerGroup) << -1 << 32;
    for (const char* bad : {"", "tensors", "channel", "channel:", "channel:x", "channel:1:2",
                            "group:1", "group:1:", "group:1:0", "group:1:-4", "group::8", "Tensor",
                            "channel: 1", "group:1:8x"}) {
      QTest::addRow("invalid '%s'", bad) << bad << false << 0 << 0 << 0;
    }
  }
  void parseGranularity() {
    QFETCH(QString, text);
    QFETCH(bool, ok);
    QFETCH(int, granularity);
    QFETCH(int, axis);
    QFETCH(int, groupSize);
    QuantSpec s;
    if (!ok) {
      QVERIFY_THROWS_EXCEPTION(quant::Error, quant::parseGranularity(text.toStdString(), s));
      return;
    }
    quant::parseGranularity(text.toStdString(), s);
    QCOMPARE(int(s.granularity), granularity);
    QCOMPARE(s.axis, axis);
    QCOMPARE(s.groupSize, groupSize);
  }

  // ---- layouts ----
  void layoutConsistency_data() {
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addColumn<QString>("granularity");
    QTest::addColumn<qint64>("expectedSlots");
    QTest::addRow("tensor [3,4]") << QList<qint64>{3, 4} << "tensor" << qint64(1);
    QTest::addRow("channel axis 0 [3,4,5]") << QList<qint64>{3, 4, 5} << "channel:0" << qint64(3);
    QTest::addRow("channel axis 1 [3,4,5]") << QList<qint64>{3, 4, 5} << "channel:1" << qint64(4);
    QTest::addRow("channel axis -1 [3,4,5]") << QList<qint64>{3, 4, 5} << "channel:-1" << qint64(5);
    QTest::addRow("group axis 1 size 3 [2,7,2] (short last)")
        << QList<qint64>{2, 7, 2} << "group:1:3" << qint64(2 * 3 * 2);
    QTest::addRow("group axis -1 size 4 [3,10]")
        << QList<qint64>{3, 10} << "group:-1:4" << qint64(3 * 3);
    QTest::addRow("group larger than dim [2,5]")
        << QList<qint64>{2, 5} << "group:1:64" << qint64(2);
    QTest::addRow("scalar per tensor") << QList<qint64>{} << "tensor" << qint64(1);
  }
  void layoutConsistency() {
    QFETCH(QList<qint64>, shape);
    QFETCH(QString, granularity);
    QFETCH(qint64, expectedSlots);
    QuantSpec spec;
    quant::parseGranularity(granularity.toStdString(), spec);
    const std::vector<std::int64_t> sh(shape.begin(), shape.end());
    const quant::ParamLayout L = quant::ParamLayout::make(spec, sh);
    QCOMPARE(L.slotCount(), expectedSlots);
    const std::int64_t n = quant::checkedNumel(sh);
    std::vector<std::int64_t> seen(static_cast<std::size_t>(n), -1);
    std::int64_t total = 0;
    for (std::int64_t s = 0; s < expectedSlots; ++s) {
      const std::vector<std::int64_t> el = L.elementsOf(s);
      QVERIFY(!el.empty());
      QVERIFY(std::is_sorted(el.begin(), el.end()));
      for (std::int64_t k : el) {
        QCOMPARE(seen[static_cast<std::size_t>(k)], std::int64_t{-1});
        seen[static_cast<std::size_t>(k)] = s;
        QCOMPARE(L.slotOf(k), s);
      }
      total += static_cast<std::int64_t>(el.size());
    }
    QCOMPARE(total, n);
    QVERIFY_THROWS_EXCEPTION(quant::Error, L.slotOf(n));
    QVERIFY_THROWS_EXCEPTION(quant::Error, L.slotOf(-1));
    QVERIFY_THROWS_EXCEPTION(quant::Error, L.elementsOf(expectedSlots));
  }

  void layoutErrors() {
    QuantSpec spec;
    quant::parseGranularity("channel:3", spec);
    const std::vector<std::int64_t> shape{2, 3, 4};
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::ParamLayout::make(spec, shape));
    spec.axis = -4;
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::ParamLayout::make(spec, shape));
    const std::vector<std::int64_t> scalar;
    spec.axis = 0;
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::ParamLayout::make(spec, scalar));
    std::vector<Range> ranges(2, Range{-1, 1});  // needs 2 for axis 0
    spec.axis = 0;
    QVERIFY_THROWS_EXCEPTION(quant::Error,
                             quant::makeParams(spec, shape, std::span(ranges).first(1)));
    const QuantParams p = quant::makeParams(spec, shape, ranges);
    std::vector<float> wrong(5), out(5);
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::fakeQuantize(wrong, p, out));
    std::vector<float> right(24), shortOut(23);
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::fakeQuantize(right, p, shortOut));
  }

  // ---- per-channel / per-group == per-tensor on each slot's elements ----
  void slotsMatchPerTensorSlices_data() {
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addColumn<QString>("granularity");
    QTest::addColumn<bool>("symmetric");
    const QList<qint64> s4{3, 4, 5, 6};
    QTest::addRow("channel axis 0 of 4-D") << s4 << "channel:0" << true;
    QTest::addRow("channel axis 1 of 4-D") << s4 << "channel:1" << false;
    QTest::addRow("channel axis 2 of 4-D") << s4 << "channel:2" << true;
    QTest::addRow("channel axis -1 of 4-D") << s4 << "channel:-1" << false;
    QTest::addRow("channel axis 0, inner 40") << QList<qint64>{5, 40} << "channel:0" << false;
    QTest::addRow("channel axis 1 of [4,100000] (runs)")
        << QList<qint64>{4, 100000} << "channel:1" << true;
    QTest::addRow("channel axis -1 of [2,70000] (chunked rows)")
        << QList<qint64>{2, 70000} << "channel:-1" << false;
    QTest::addRow("group axis -1 size 32, short last")
        << QList<qint64>{5, 70} << "group:-1:32" << false;
    QTest::addRow("group axis 1 size 4, inner 3, short last")
        << QList<qint64>{2, 10, 3} << "group:1:4" << true;
    QTest::addRow("group axis 0 size 2, inner 37") << QList<qint64>{5, 37} << "group:0:2" << false;
  }
  void slotsMatchPerTensorSlices() {
    QFETCH(QList<qint64>, shape);
    QFETCH(QString, granularity);
    QFETCH(bool, symmetric);
    QuantSpec spec = makeSpec(6, true, symmetric ? Scheme::Symmetric : Scheme::Asymmetric);
    quant::parseGranularity(granularity.toStdString(), spec);
    const std::vector<std::int64_t> sh(shape.begin(), shape.end());
    const auto n = static_cast<std::size_t>(quant::checkedNumel(sh));
    std::mt19937 rng(7);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    std::vector<float> x(n);
    for (float& v : x) v = nd(rng);
    const quant::ParamLayout L = quant::ParamLayout::make(spec, sh);
    std::vector<Range> ranges(static_cast<std::size_t>(L.slotCount()));
    std::uniform_real_distribution<float> u(0.2f, 2.5f);
    for (Range& r : ranges) r = Range{-u(rng), u(rng)};
    const QuantParams p = quant::makeParams(spec, sh, ranges);
    const std::vector<std::int32_t> q = quant::quantize(x, p);
    IsaGuard guard;
    for (cpu::Isa isa : fakeQuantIsas()) {
      cpu::forceIsa(isa);
      std::vector<float> out(n);
      quant::fakeQuantize(x, p, out);
      QuantSpec tspec = spec;
      tspec.granularity = Granularity::PerTensor;
      for (std::int64_t s = 0; s < L.slotCount(); ++s) {
        const std::vector<std::int64_t> el = L.elementsOf(s);
        std::vector<float> slice(el.size()), sliceOut(el.size());
        for (std::size_t k = 0; k < el.size(); ++k) slice[k] = x[static_cast<std::size_t>(el[k])];
        const QuantParams tp =
            perTensor(tspec, slice.size(), ranges[static_cast<std::size_t>(s)].lo,
                      ranges[static_cast<std::size_t>(s)].hi);
        QCOMPARE(tp.scales[0], p.scales[static_cast<std::size_t>(s)]);
        QCOMPARE(tp.zeroPoints[0], p.zeroPoints[static_cast<std::size_t>(s)]);
        quant::fakeQuantize(slice, tp, sliceOut);
        const std::vector<std::int32_t> tq = quant::quantize(slice, tp);
        for (std::size_t k = 0; k < el.size(); ++k) {
          const auto idx = static_cast<std::size_t>(el[k]);
          if (out[idx] != sliceOut[k] || q[idx] != tq[k]) {
            QFAIL(qPrintable(
                QString("%1: slot %2 element %3 differs").arg(cpu::isaName(isa)).arg(s).arg(idx)));
          }
        }
      }
    }
  }

  // ---- the fast path is bit-exact with the reference ----
  void fastPathBitExact_data() {
    QTest::addColumn<int>("isa");
    QTest::addColumn<int>("bits");
    QTest::addColumn<bool>("isSigned");
    QTest::addColumn<bool>("symmetric");
    QTest::addColumn<int>("count");
    for (cpu::Isa isa : fakeQuantIsas()) {
      const char* name = cpu::isaName(isa);
      QTest::addRow("%s int8 symmetric 1M", name) << int(isa) << 8 << true << true << (1 << 20);
      QTest::addRow("%s uint8 asymmetric 1M", name) << int(isa) << 8 << false << false << (1 << 20);
      QTest::addRow("%s int4 asymmetric 100k", name) << int(isa) << 4 << true << false << 100003;
      QTest::addRow("%s uint16 asymmetric 300k", name)
          << int(isa) << 16 << false << false << 300001;
      if (isa != cpu::Isa::Reference) {
        QTest::addRow("%s int8 streaming stores 5M+3", name)
            << int(isa) << 8 << true << false << (5 << 20) + 3;
      }
    }
  }
  void fastPathBitExact() {
    QFETCH(int, isa);
    QFETCH(int, bits);
    QFETCH(bool, isSigned);
    QFETCH(bool, symmetric);
    QFETCH(int, count);
    IsaGuard guard;
    cpu::forceIsa(static_cast<cpu::Isa>(isa));
    const QuantSpec spec =
        makeSpec(bits, isSigned, symmetric ? Scheme::Symmetric : Scheme::Asymmetric);
    const auto n = static_cast<std::size_t>(count);
    // A power-of-two scale makes (k + 0.5) * scale an exact tie of x / scale; a general one
    // exercises ordinary quotients.
    for (const bool pow2 : {true, false}) {
      QuantParams p = perTensor(spec, n, -1.3f, 2.1f);
      if (pow2) p.scales[0] = std::ldexp(1.0f, -(bits - 1));
      const float s = p.scales[0];
      const int zp = p.zeroPoints[0];
      std::mt19937 rng(static_cast<unsigned>(bits * 131 + count));
      std::uniform_int_distribution<int> code(spec.qmin() - zp - 3, spec.qmax() - zp + 3);
      std::uniform_real_distribution<float> u(-3.0f, 3.0f);
      std::vector<float> x(n);
      std::size_t k = 0;
      // Every code boundary: the tie and its neighbouring floats.
      for (int c = spec.qmin() - zp - 1; c <= spec.qmax() - zp && k + 3 <= n; ++c) {
        const float tie = (static_cast<float>(c) + 0.5f) * s;
        x[k++] = tie;
        x[k++] = std::nextafter(tie, -INFINITY);
        x[k++] = std::nextafter(tie, INFINITY);
      }
      for (; k < n; ++k) {
        switch (k % 4) {
          case 0:
            x[k] = (static_cast<float>(code(rng)) + 0.5f) * s;  // ties
            break;
          case 1:
            x[k] = static_cast<float>(code(rng)) * s;  // exact codes
            break;
          default:
            x[k] = u(rng);
        }
        if (k % 9973 == 0) x[k] = NAN;
        if (k % 10007 == 0) x[k] = (k & 1) ? INFINITY : -INFINITY;
      }
      std::vector<float> ref(n);
      for (std::size_t i = 0; i < n; ++i) ref[i] = refFake(x[i], p, 0);
      std::vector<float> out(n, -7.0f);
      quant::fakeQuantize(x, p, out);
      qint64 bad = firstMismatch(out, ref);
      QVERIFY2(bad < 0, qPrintable(QString("pow2 %1: x[%2]=%3 fast %4 ref %5")
                                       .arg(pow2)
                                       .arg(bad)
                                       .arg(bad < 0 ? 0 : x[std::size_t(bad)], 0, 'g', 9)
                                       .arg(bad < 0 ? 0 : out[std::size_t(bad)], 0, 'g', 9)
                                       .arg(bad < 0 ? 0 : ref[std::size_t(bad)], 0, 'g', 9)));
      // In place, and through the fused measuring kernel, from a misaligned start.
      std::vector<float> inPlace(x.begin() + 1, x.end());
      quant::QuantParams p1 = perTensor(spec, n - 1, -1.3f, 2.1f);
      p1.scales = p.scales;
      p1.zeroPoints = p.zeroPoints;
      quant::fakeQuantize(inPlace, p1, inPlace);
      QVERIFY(std::equal(inPlace.begin(), inPlace.end(), ref.begin() + 1, [](float a, float b) {
        return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
      }));
      std::vector<float> measured(n);
      quant::detail::FakeQuantSums sums;
      quant::detail::fakeQuantizeImpl(x, p, measured, &sums);
      QCOMPARE(firstMismatch(measured, ref), qint64(-1));
      std::int64_t nonFinite = 0;
      for (float v : x) nonFinite += std::isfinite(v) ? 0 : 1;
      QCOMPARE(sums.nonFinite, nonFinite);
      QCOMPARE(sums.count, static_cast<std::int64_t>(n) - nonFinite);
    }
  }

  void invalidScalesMatchReference_data() {
    QTest::addColumn<float>("scale");
    QTest::addRow("zero") << 0.0f;
    QTest::addRow("negative") << -0.25f;
    QTest::addRow("+inf") << INFINITY;
    QTest::addRow("NaN") << NAN;
    QTest::addRow("denormal") << 1e-40f;
  }
  void invalidScalesMatchReference() {
    // chooseParams never produces these, but hand-edited parameters must not break the kernels:
    // every path agrees bit for bit with quantizeValue.
    QFETCH(float, scale);
    const std::size_t n = 1000;
    QuantParams p = perTensor(makeSpec(8, true, Scheme::Asymmetric), n, -1.0f, 2.0f);
    p.scales[0] = scale;
    std::vector<float> x(n);
    std::mt19937 rng(1);
    std::normal_distribution<float> nd;
    for (std::size_t k = 0; k < n; ++k)
      x[k] = k % 97 == 0 ? NAN : k % 89 == 0 ? -INFINITY : nd(rng);
    x[5] = 0.0f;
    std::vector<float> ref(n);
    for (std::size_t k = 0; k < n; ++k) ref[k] = refFake(x[k], p, 0);
    IsaGuard guard;
    for (cpu::Isa isa : fakeQuantIsas()) {
      cpu::forceIsa(isa);
      std::vector<float> out(n), measured(n);
      quant::fakeQuantize(x, p, out);
      QCOMPARE(firstMismatch(out, ref), qint64(-1));
      detail::FakeQuantSums sums;
      detail::fakeQuantizeImpl(x, p, measured, &sums);
      QCOMPARE(firstMismatch(measured, ref), qint64(-1));
    }
  }

  void quantizeDequantizeRoundTrip() {
    // dequantize(quantize(x)) == fakeQuantize(x) for a per-group tensor.
    QuantSpec spec = makeSpec(4, true, Scheme::Asymmetric);
    quant::parseGranularity("group:1:16", spec);
    const std::vector<std::int64_t> shape{3, 50, 2};
    std::vector<Range> ranges(3 * 4 * 2, Range{-0.7f, 1.1f});
    const QuantParams p = quant::makeParams(spec, shape, ranges);
    std::mt19937 rng(3);
    std::normal_distribution<float> nd;
    std::vector<float> x(300);
    for (float& v : x) v = nd(rng);
    const std::vector<float> back = quant::dequantize(quant::quantize(x, p), p);
    std::vector<float> fq(300);
    quant::fakeQuantize(x, p, fq);
    QCOMPARE(firstMismatch(back, fq), qint64(-1));
  }
};

QTEST_GUILESS_MAIN(TestQuantize)
#include "tst_quantize.moc"
