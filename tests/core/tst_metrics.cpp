// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the error metrics: hand-computed values, the fused fake-quantize + measure pass against
// a plain double reference (every ISA and granularity), the 6.02*b dB and 1/sqrt(12) properties of
// uniform quantization, clipping counts, per-slot metrics and the KL divergence.
#include <QtTest>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "quant/kernels/cpu.h"
#include "quant/kernels/fakequant.h"
#include "quant/numeric/histogram.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/quantize.h"
#include "quanttesting.h"

using quant::ErrorMetrics;
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

constexpr double kInf = std::numeric_limits<double>::infinity();

bool close(double a, double b, double rel, double abs = 0.0) {
  if (std::isinf(a) || std::isinf(b)) return a == b;
  if (std::isnan(a) || std::isnan(b)) return false;
  return std::fabs(a - b) <= std::max(abs, rel * std::max(std::fabs(a), std::fabs(b)));
}

QString show(double a, double b) {
  return QString("%1 vs %2").arg(a, 0, 'g', 12).arg(b, 0, 'g', 12);
}

// Plain double reference of the fused pass: reference fake quantization and double sums.
struct Reference {
  std::vector<float> out;
  ErrorMetrics m;
};
Reference reference(const std::vector<float>& x, const QuantParams& p) {
  Reference r;
  r.out.resize(x.size());
  double see = 0, sae = 0, sxx = 0, syy = 0, sxy = 0, mx = 0, sv = 0;
  for (std::size_t k = 0; k < x.size(); ++k) {
    const auto s = static_cast<std::size_t>(p.layout.slotOf(static_cast<std::int64_t>(k)));
    const std::int32_t q =
        quant::quantizeValue(x[k], p.scales[s], p.zeroPoints[s], p.spec.qmin(), p.spec.qmax());
    const float h = quant::dequantizeValue(q, p.scales[s], p.zeroPoints[s]);
    r.out[k] = h;
    if (!std::isfinite(x[k])) {
      ++r.m.nonFinite;
      continue;
    }
    ++r.m.count;
    if (x[k] < p.ranges[s].lo || x[k] > p.ranges[s].hi) ++r.m.clipped;
    const double a = x[k], b = h, e = a - b;
    see += e * e;
    sae += std::fabs(e);
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
    mx = std::max(mx, std::fabs(e));
    sv += (e / p.scales[s]) * (e / p.scales[s]);
  }
  const auto n = static_cast<double>(r.m.count);
  r.m.mse = see / n;
  r.m.rmse = std::sqrt(see / n);
  r.m.mae = sae / n;
  r.m.maxAbs = mx;
  r.m.sqnrDb = 10 * std::log10(sxx / see);
  r.m.cosine = sxy / std::sqrt(sxx * syy);
  r.m.normalizedL2 = std::sqrt(see / sxx);
  r.m.clippedFraction = static_cast<double>(r.m.clipped) / n;
  r.m.rmseOverScale = std::sqrt(sv / n);
  return r;
}

}  // namespace

class TestMetrics : public QObject {
  Q_OBJECT
 private slots:
  void handComputed_data() {
    QTest::addColumn<QList<float>>("x");
    QTest::addColumn<QList<float>>("xHat");
    QTest::addColumn<qint64>("count");
    QTest::addColumn<qint64>("nonFinite");
    QTest::addColumn<double>("mse");
    QTest::addColumn<double>("mae");
    QTest::addColumn<double>("maxAbs");
    QTest::addColumn<double>("sqnrDb");
    QTest::addColumn<double>("cosine");
    QTest::addColumn<double>("normalizedL2");
    QTest::addRow("one error of 1")
        << QList<float>{1, 2, 3, 4} << QList<float>{1, 2, 3, 5} << qint64(4) << qint64(0) << 0.25
        << 0.25 << 1.0 << 10 * std::log10(30.0) << 34 / std::sqrt(30.0 * 39.0)
        << std::sqrt(1 / 30.0);
    QTest::addRow("exact reconstruction")
        << QList<float>{0.5f, -1} << QList<float>{0.5f, -1} << qint64(2) << qint64(0) << 0.0 << 0.0
        << 0.0 << kInf << 1.0 << 0.0;
    QTest::addRow("zero signal, nonzero error")
        << QList<float>{0, 0} << QList<float>{0.5f, 0} << qint64(2) << qint64(0) << 0.125 << 0.25
        << 0.5 << -kInf << 0.0 << kInf;
    QTest::addRow("both zero") << QList<float>{0, 0, 0} << QList<float>{0, 0, 0} << qint64(3)
                               << qint64(0) << 0.0 << 0.0 << 0.0 << kInf << 1.0 << 0.0;
    QTest::addRow("sign flip") << QList<float>{1, -2} << QList<float>{-1, 2} << qint64(2)
                               << qint64(0) << 10.0 << 3.0 << 4.0 << 10 * std::log10(0.25) << -1.0
                               << 2.0;
    QTest::addRow("NaN and Inf skipped")
        << QList<float>{1, NAN, 2, INFINITY, -INFINITY} << QList<float>{1.5f, 0, 2, 5, 7}
        << qint64(2) << qint64(3) << 0.125 << 0.25 << 0.5 << 10 * std::log10(20.0)
        << 5.5 / (std::sqrt(5.0) * 2.5) << std::sqrt(0.25 / 5);
  }
  void handComputed() {
    QFETCH(QList<float>, x);
    QFETCH(QList<float>, xHat);
    QFETCH(qint64, count);
    QFETCH(qint64, nonFinite);
    QFETCH(double, mse);
    QFETCH(double, mae);
    QFETCH(double, maxAbs);
    QFETCH(double, sqnrDb);
    QFETCH(double, cosine);
    QFETCH(double, normalizedL2);
    const std::vector<float> xs(x.begin(), x.end()), hs(xHat.begin(), xHat.end());
    const ErrorMetrics m = quant::computeMetrics(xs, hs, 0.5);
    QCOMPARE(m.count, count);
    QCOMPARE(m.nonFinite, nonFinite);
    QCOMPARE(m.clipped, qint64(0));
    QVERIFY2(close(m.mse, mse, 1e-12), qPrintable(show(m.mse, mse)));
    QVERIFY2(close(m.rmse, std::sqrt(mse), 1e-12), qPrintable(show(m.rmse, std::sqrt(mse))));
    QVERIFY2(close(m.mae, mae, 1e-12), qPrintable(show(m.mae, mae)));
    QVERIFY2(close(m.maxAbs, maxAbs, 1e-12), qPrintable(show(m.maxAbs, maxAbs)));
    QVERIFY2(close(m.sqnrDb, sqnrDb, 1e-12), qPrintable(show(m.sqnrDb, sqnrDb)));
    QVERIFY2(close(m.cosine, cosine, 1e-12), qPrintable(show(m.cosine, cosine)));
    QVERIFY2(close(m.normalizedL2, normalizedL2, 1e-12),
             qPrintable(show(m.normalizedL2, normalizedL2)));
    QVERIFY2(close(m.rmseOverScale, std::sqrt(mse) / 0.5, 1e-12),
             qPrintable(show(m.rmseOverScale, std::sqrt(mse) / 0.5)));
  }

  void hugeFiniteValues() {
    // x^2 overflows float for |x| > 1.8e19; the per-tensor fused pass redoes such blocks in double.
    const std::size_t n = 4096;
    std::vector<float> x(n), out(n);
    for (std::size_t k = 0; k < n; ++k) x[k] = (k % 2 ? 1e30f : -1e30f) * (1.0f + 1e-3f * k);
    const QuantParams p = perTensor(makeSpec(8, true, Scheme::Symmetric), n, -1e31f, 1e31f);
    IsaGuard guard;
    for (cpu::Isa isa : fakeQuantIsas()) {
      cpu::forceIsa(isa);
      const ErrorMetrics m = quant::fakeQuantizeMeasured(x, p, out);
      const ErrorMetrics c = quant::computeMetrics(x, out);
      QVERIFY2(std::isfinite(m.sqnrDb) && m.sqnrDb > 20, qPrintable(QString::number(m.sqnrDb)));
      QCOMPARE(m.count, static_cast<std::int64_t>(n));
      if (isa == cpu::Isa::Reference) QVERIFY(close(m.sqnrDb, c.sqnrDb, 1e-9));
    }
  }

  void sizeMismatchThrows() {
    const std::vector<float> a(3), b(4);
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::computeMetrics(a, b));
    const QuantParams p = perTensor(QuantSpec{}, 4, -1, 1);
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::metricsPerSlot(a, a, p));
    std::vector<float> out(3);
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::fakeQuantizeMeasured(a, p, out));
  }

  // ---- the fused pass against a plain double reference ----
  void fusedMatchesReference_data() {
    QTest::addColumn<int>("isa");
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addColumn<QString>("granularity");
    QTest::addColumn<bool>("specials");
    QTest::addColumn<bool>("inPlace");
    for (cpu::Isa isa : fakeQuantIsas()) {
      const char* nm = cpu::isaName(isa);
      const int i = int(isa);
      QTest::addRow("%s per-tensor 1M", nm)
          << i << QList<qint64>{1 << 20} << "tensor" << false << false;
      QTest::addRow("%s per-tensor 1M with NaN/Inf", nm)
          << i << QList<qint64>{1 << 20} << "tensor" << true << false;
      QTest::addRow("%s per-tensor in place with NaN/Inf", nm)
          << i << QList<qint64>{100001} << "tensor" << true << true;
      QTest::addRow("%s per-channel axis 0 (runs)", nm)
          << i << QList<qint64>{16, 8, 1000} << "channel:0" << true << false;
      QTest::addRow("%s per-channel axis -1 (varying)", nm)
          << i << QList<qint64>{1000, 3, 67} << "channel:-1" << true << false;
      QTest::addRow("%s per-channel axis 1, inner 5 (expanded)", nm)
          << i << QList<qint64>{300, 13, 5} << "channel:1" << false << false;
      QTest::addRow("%s per-channel axis 1 of [3, 70000, 2] (chunked)", nm)
          << i << QList<qint64>{3, 70000, 2} << "channel:1" << true << false;
      QTest::addRow("%s per-group axis -1 size 64", nm)
          << i << QList<qint64>{100, 1000} << "group:-1:64" << true << false;
      QTest::addRow("%s per-group axis 0 size 3, inner 70", nm)
          << i << QList<qint64>{100, 70} << "group:0:3" << false << false;
    }
  }
  void fusedMatchesReference() {
    QFETCH(int, isa);
    QFETCH(QList<qint64>, shape);
    QFETCH(QString, granularity);
    QFETCH(bool, specials);
    QFETCH(bool, inPlace);
    IsaGuard guard;
    cpu::forceIsa(static_cast<cpu::Isa>(isa));
    QuantSpec spec = makeSpec(8, true, Scheme::Asymmetric);
    quant::parseGranularity(granularity.toStdString(), spec);
    const std::vector<std::int64_t> sh(shape.begin(), shape.end());
    const auto n = static_cast<std::size_t>(quant::checkedNumel(sh));
    std::mt19937 rng(2024);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    std::vector<float> x(n);
    for (std::size_t k = 0; k < n; ++k) {
      x[k] = nd(rng) * (1.0f + static_cast<float>(k % 7));
      if (specials && k % 4099 == 5) x[k] = NAN;
      if (specials && k % 6151 == 11) x[k] = (k & 1) ? INFINITY : -INFINITY;
    }
    const quant::ParamLayout L = quant::ParamLayout::make(spec, sh);
    std::vector<Range> ranges(static_cast<std::size_t>(L.slotCount()));
    std::uniform_real_distribution<float> u(1.0f, 9.0f);
    for (Range& r : ranges) r = Range{-u(rng), u(rng)};  // some values are clipped
    const QuantParams p = quant::makeParams(spec, sh, ranges);
    const Reference ref = reference(x, p);
    std::vector<float> out(n);
    ErrorMetrics m;
    if (inPlace) {
      out = x;
      m = quant::fakeQuantizeMeasured(out, p, out);
    } else {
      m = quant::fakeQuantizeMeasured(x, p, out);
    }
    QVERIFY(std::equal(out.begin(), out.end(), ref.out.begin()));
    QCOMPARE(m.count, ref.m.count);
    QCOMPARE(m.nonFinite, ref.m.nonFinite);
    QCOMPARE(m.clipped, ref.m.clipped);
    QVERIFY(m.clipped > 0);
    QVERIFY2(close(m.sqnrDb, ref.m.sqnrDb, 1e-6), qPrintable(show(m.sqnrDb, ref.m.sqnrDb)));
    QVERIFY2(close(m.mse, ref.m.mse, 1e-6), qPrintable(show(m.mse, ref.m.mse)));
    QVERIFY2(close(m.mae, ref.m.mae, 1e-6), qPrintable(show(m.mae, ref.m.mae)));
    QVERIFY2(close(m.maxAbs, ref.m.maxAbs, 1e-6), qPrintable(show(m.maxAbs, ref.m.maxAbs)));
    // The cosine's information is in 1 - cos: it must keep its relative precision.
    QVERIFY2(close(1 - m.cosine, 1 - ref.m.cosine, 1e-6),
             qPrintable(show(1 - m.cosine, 1 - ref.m.cosine)));
    QVERIFY2(close(m.normalizedL2, ref.m.normalizedL2, 1e-6),
             qPrintable(show(m.normalizedL2, ref.m.normalizedL2)));
    QVERIFY2(close(m.clippedFraction, ref.m.clippedFraction, 1e-12),
             qPrintable(show(m.clippedFraction, ref.m.clippedFraction)));
    QVERIFY2(close(m.rmseOverScale, ref.m.rmseOverScale, 1e-4),
             qPrintable(show(m.rmseOverScale, ref.m.rmseOverScale)));
    // computeMetrics on the output agrees with the fused pass.
    const ErrorMetrics c = quant::computeMetrics(x, ref.out);
    QVERIFY2(close(c.sqnrDb, m.sqnrDb, 1e-6), qPrintable(show(c.sqnrDb, m.sqnrDb)));
    QCOMPARE(c.count, m.count);
  }

  void computeMetricsMatchesReference_data() {
    QTest::addColumn<int>("isa");
    QTest::addColumn<int>("count");
    for (cpu::Isa isa : fakeQuantIsas()) {
      QTest::addRow("%s 1M+5", cpu::isaName(isa)) << int(isa) << (1 << 20) + 5;
      QTest::addRow("%s 13", cpu::isaName(isa)) << int(isa) << 13;
    }
  }
  void computeMetricsMatchesReference() {
    QFETCH(int, isa);
    QFETCH(int, count);
    IsaGuard guard;
    cpu::forceIsa(static_cast<cpu::Isa>(isa));
    const auto n = static_cast<std::size_t>(count);
    std::mt19937 rng(77);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    std::vector<float> x(n), y(n);
    double see = 0, sae = 0, sxx = 0, syy = 0, sxy = 0, mx = 0;
    std::int64_t finite = 0;
    for (std::size_t k = 0; k < n; ++k) {
      x[k] = nd(rng);
      y[k] = x[k] + 0.01f * nd(rng);
      if (k % 5003 == 7) x[k] = k % 2 ? NAN : -INFINITY;
      if (!std::isfinite(x[k])) continue;
      ++finite;
      const double a = x[k], b = y[k], e = a - b;
      see += e * e;
      sae += std::fabs(e);
      sxx += a * a;
      syy += b * b;
      sxy += a * b;
      mx = std::max(mx, std::fabs(e));
    }
    const ErrorMetrics m = quant::computeMetrics(x, y, 0.02);
    QCOMPARE(m.count, finite);
    QCOMPARE(m.nonFinite, static_cast<std::int64_t>(n) - finite);
    const double nf = static_cast<double>(finite);
    QVERIFY2(close(m.sqnrDb, 10 * std::log10(sxx / see), 1e-6),
             qPrintable(show(m.sqnrDb, 10 * std::log10(sxx / see))));
    QVERIFY2(close(m.mse, see / nf, 1e-6), qPrintable(show(m.mse, see / nf)));
    QVERIFY2(close(m.mae, sae / nf, 1e-6), qPrintable(show(m.mae, sae / nf)));
    QVERIFY2(close(m.maxAbs, mx, 1e-6), qPrintable(show(m.maxAbs, mx)));
    QVERIFY2(close(m.rmseOverScale, std::sqrt(see / nf) / 0.02, 1e-6),
             qPrintable(show(m.rmseOverScale, std::sqrt(see / nf) / 0.02)));
    const double cosRef = sxy / std::sqrt(sxx * syy);
    QVERIFY2(close(1 - m.cosine, 1 - cosRef, 1e-4), qPrintable(show(1 - m.cosine, 1 - cosRef)));
  }

  // ---- properties of uniform quantization ----
  void sqnrSixDbPerBit_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<bool>("symmetric");
    for (int b = 4; b <= 12; ++b) {
      QTest::addRow("%d bits asymmetric", b) << b << false;
      QTest::addRow("%d bits symmetric", b) << b << true;
    }
  }
  void sqnrSixDbPerBit() {
    QFETCH(int, bits);
    QFETCH(bool, symmetric);
    const std::size_t n = 1 << 18;
    std::mt19937 rng(static_cast<unsigned>(bits));
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> x(n), out(n);
    for (float& v : x) v = u(rng);
    const QuantParams p = perTensor(
        makeSpec(bits, true, symmetric ? Scheme::Symmetric : Scheme::Asymmetric), n, -1, 1);
    const ErrorMetrics m = quant::fakeQuantizeMeasured(x, p, out);
    QCOMPARE(m.clipped, qint64(0));
    // Uniform data over the full grid: SQNR = 20 log10(levels - 1) exactly in expectation;
    // asymmetric uses all 2^b levels, symmetric (scale over 2^(b-1) - 1) one fewer.
    const double levels = std::ldexp(1.0, bits) - (symmetric ? 1.0 : 0.0);
    const double theory = 20 * std::log10(levels - 1);
    QVERIFY2(
        std::fabs(m.sqnrDb - theory) <= 0.1,
        qPrintable(QString("%1 dB for %2 bits, theory %3").arg(m.sqnrDb).arg(bits).arg(theory)));
    QVERIFY2(std::fabs(m.sqnrDb - 6.02 * bits) <= (symmetric ? 1.2 : 1.0),
             qPrintable(QString("%1 dB for %2 bits").arg(m.sqnrDb).arg(bits)));
    QVERIFY2(std::fabs(m.rmseOverScale - quant::kIdealRmseOverScale) <= 0.01,
             qPrintable(QString("rmse/scale %1").arg(m.rmseOverScale)));
    QVERIFY(m.sqnrDb < quant::sqnrRuleOfThumbDb(bits));  // uniform data is not a full-scale sine
  }

  void ruleOfThumb() {
    QVERIFY(close(quant::sqnrRuleOfThumbDb(8), 49.92, 1e-12));
    QVERIFY(close(quant::sqnrRuleOfThumbDb(4), 25.84, 1e-12));
    QVERIFY(close(quant::sqnrRuleOfThumbDb(16) - quant::sqnrRuleOfThumbDb(15), 6.02, 1e-12));
  }

  void rmseOverScalePerSlot_data() {
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addColumn<QString>("granularity");
    QTest::addRow("channel axis 0, runs") << QList<qint64>{8, 4096} << "channel:0";
    QTest::addRow("channel axis -1, varying") << QList<qint64>{4096, 8} << "channel:-1";
    QTest::addRow("group axis -1 size 128") << QList<qint64>{8, 4096} << "group:-1:128";
  }
  void rmseOverScalePerSlot() {
    // Slots whose ranges differ by 10^4: the per-element definition still reads 1/sqrt(12).
    QFETCH(QList<qint64>, shape);
    QFETCH(QString, granularity);
    QuantSpec spec = makeSpec(8, true, Scheme::Asymmetric);
    quant::parseGranularity(granularity.toStdString(), spec);
    const std::vector<std::int64_t> sh(shape.begin(), shape.end());
    const quant::ParamLayout L = quant::ParamLayout::make(spec, sh);
    const auto nSlots = static_cast<std::size_t>(L.slotCount());
    std::vector<Range> ranges(nSlots);
    for (std::size_t s = 0; s < nSlots; ++s) {
      const float w = std::pow(10.0f, static_cast<float>(s % 5) - 2.0f);
      ranges[s] = Range{-w, w};
    }
    const QuantParams p = quant::makeParams(spec, sh, ranges);
    std::mt19937 rng(5);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    const auto n = static_cast<std::size_t>(quant::checkedNumel(sh));
    std::vector<float> x(n), out(n);
    for (std::size_t k = 0; k < n; ++k) {
      x[k] = u(rng) * ranges[static_cast<std::size_t>(L.slotOf(static_cast<std::int64_t>(k)))].hi;
    }
    const ErrorMetrics m = quant::fakeQuantizeMeasured(x, p, out);
    QCOMPARE(m.clipped, qint64(0));
    QVERIFY2(std::fabs(m.rmseOverScale - quant::kIdealRmseOverScale) <= 0.01,
             qPrintable(QString("rmse/scale %1").arg(m.rmseOverScale)));
    const std::vector<ErrorMetrics> per = quant::metricsPerSlot(x, out, p);
    QCOMPARE(per.size(), nSlots);
    std::int64_t total = 0;
    for (std::size_t s = 0; s < nSlots; ++s) {
      const std::vector<std::int64_t> el = L.elementsOf(static_cast<std::int64_t>(s));
      std::vector<float> xs, hs;
      for (std::int64_t k : el) {
        xs.push_back(x[static_cast<std::size_t>(k)]);
        hs.push_back(out[static_cast<std::size_t>(k)]);
      }
      const ErrorMetrics c = quant::computeMetrics(xs, hs, p.scales[s]);
      QCOMPARE(per[s].count, c.count);
      QVERIFY2(close(per[s].sqnrDb, c.sqnrDb, 1e-6), qPrintable(show(per[s].sqnrDb, c.sqnrDb)));
      QVERIFY2(close(per[s].rmseOverScale, c.rmseOverScale, 1e-6),
               qPrintable(show(per[s].rmseOverScale, c.rmseOverScale)));
      QVERIFY2(std::fabs(per[s].rmseOverScale - quant::kIdealRmseOverScale) <= 0.04,
               qPrintable(QString("slot %1: %2").arg(s).arg(per[s].rmseOverScale)));
      total += per[s].count;
    }
    QCOMPARE(total, static_cast<std::int64_t>(n));
  }

  void clippedCounts_data() {
    QTest::addColumn<bool>("symmetric");
    QTest::addColumn<float>("lo");
    QTest::addColumn<float>("hi");
    QTest::addColumn<float>("clipLo");  // the clipping range in force
    QTest::addColumn<float>("clipHi");
    QTest::addRow("asymmetric [-0.5, 0.25]") << false << -0.5f << 0.25f << -0.5f << 0.25f;
    QTest::addRow("asymmetric [0.2, 0.6] widened to 0") << false << 0.2f << 0.6f << 0.0f << 0.6f;
    QTest::addRow("symmetric [-0.1, 0.5] is +-0.5") << true << -0.1f << 0.5f << -0.5f << 0.5f;
    QTest::addRow("no clipping") << true << -1.0f << 1.0f << -1.0f << 1.0f;
  }
  void clippedCounts() {
    QFETCH(bool, symmetric);
    QFETCH(float, lo);
    QFETCH(float, hi);
    QFETCH(float, clipLo);
    QFETCH(float, clipHi);
    const std::size_t n = 100003;
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(-1.0f, 1.0f);
    std::vector<float> x(n), out(n);
    std::int64_t expected = 0, nans = 0;
    for (std::size_t k = 0; k < n; ++k) {
      x[k] = k % 1000 == 3 ? NAN : u(rng);
      if (x[k] < clipLo || x[k] > clipHi) ++expected;
      if (std::isnan(x[k])) ++nans;
    }
    QCOMPARE(nans, std::int64_t{100});
    const QuantParams p =
        perTensor(makeSpec(8, true, symmetric ? Scheme::Symmetric : Scheme::Asymmetric), n, lo, hi);
    QCOMPARE(p.ranges[0].lo, clipLo);
    QCOMPARE(p.ranges[0].hi, clipHi);
    const ErrorMetrics m = quant::fakeQuantizeMeasured(x, p, out);
    QCOMPARE(m.clipped, expected);
    QCOMPARE(m.count, static_cast<std::int64_t>(n) - nans);
    QCOMPARE(m.nonFinite, nans);
    const double fraction = (std::min(clipHi, 1.0f) - std::max(clipLo, -1.0f)) / 2.0;
    QVERIFY2(std::fabs(m.clippedFraction - (1.0 - fraction)) < 0.01,
             qPrintable(QString::number(m.clippedFraction)));
    QCOMPARE(quant::metricsPerSlot(x, out, p)[0].clipped, expected);
    QCOMPARE(quant::computeMetrics(x, out).clipped, qint64(0));  // only the fused pass knows
  }

  // ---- KL divergence ----
  void klDivergence_data() {
    QTest::addColumn<QList<qint64>>("p");
    QTest::addColumn<QList<qint64>>("q");
    QTest::addColumn<double>("expected");
    QTest::addRow("identical") << QList<qint64>{3, 1, 4} << QList<qint64>{3, 1, 4} << 0.0;
    QTest::addRow("scaled copy") << QList<qint64>{3, 1, 4} << QList<qint64>{30, 10, 40} << 0.0;
    QTest::addRow("P concentrated") << QList<qint64>{1, 0} << QList<qint64>{1, 1} << std::log(2.0);
    QTest::addRow("Q empty bin smoothed")
        << QList<qint64>{1, 1} << QList<qint64>{1, 0}
        << 0.5 * std::log(0.5 / 1.0) + 0.5 * std::log(0.5 / 1e-10);
    QTest::addRow("three bins") << QList<qint64>{2, 2, 0} << QList<qint64>{1, 3, 5}
                                << 0.5 * std::log(0.5 * 9) + 0.5 * std::log(0.5 * 3);
    QTest::addRow("empty P") << QList<qint64>{0, 0} << QList<qint64>{1, 5} << 0.0;
  }
  void klDivergence() {
    QFETCH(QList<qint64>, p);
    QFETCH(QList<qint64>, q);
    QFETCH(double, expected);
    quant::Histogram hp, hq;
    hp.lo = hq.lo = -1;
    hp.hi = hq.hi = 1;
    hp.counts.assign(p.begin(), p.end());
    hq.counts.assign(q.begin(), q.end());
    hp.below = 7;  // out-of-range counts do not enter the distributions
    const double kl = quant::klDivergence(hp, hq);
    QVERIFY2(close(kl, expected, 1e-12, 1e-15), qPrintable(show(kl, expected)));
    QVERIFY(kl >= 0);
  }

  void klDivergenceErrorsAndProperty() {
    quant::Histogram a, b;
    a.lo = b.lo = 0;
    a.hi = b.hi = 1;
    a.counts = {1, 2};
    b.counts = {1, 2, 3};
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::klDivergence(a, b));
    b.counts = {1, 2};
    b.hi = 2;
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::klDivergence(a, b));
    // Histograms of data and its fake quantization: more bits, less divergence.
    const std::size_t n = 200000;
    std::mt19937 rng(8);
    std::normal_distribution<float> nd;
    std::vector<float> x(n), out(n);
    for (float& v : x) v = nd(rng);
    const quant::Histogram hx = quant::buildHistogram(x, 256, -4.0, 4.0);
    QCOMPARE(quant::klDivergence(hx, hx), 0.0);
    double previous = kInf;
    for (int bits : {3, 5, 8}) {
      const QuantParams p = perTensor(makeSpec(bits, true, Scheme::Symmetric), n, -4, 4);
      quant::fakeQuantize(x, p, out);
      const double kl = quant::klDivergence(hx, quant::buildHistogram(out, 256, -4.0, 4.0));
      QVERIFY2(kl < previous,
               qPrintable(QString("%1 bits: %2 vs %3").arg(bits).arg(kl).arg(previous)));
      previous = kl;
    }
  }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
