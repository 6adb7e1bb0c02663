// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the gemmlowp / TFLite fixed-point primitives against independent wide-integer
// formulas (__int128, not the gemmlowp formulation) over millions of random and edge inputs,
// hand-checked ties, and MultiplyByQuantizedMultiplier(QuantizeMultiplier(M)) ~ round(x * M).
#include <QtTest>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>

#include "quant/base/tensor.h"
#include "quant/kernels/fixedpoint.h"

using quant::MultiplyByQuantizedMultiplier;
using quant::QuantizedMultiplier;
using quant::QuantizeMultiplier;
using quant::RoundingDivideByPOT;
using quant::SaturatingRoundingDoublingHighMul;

namespace {

constexpr std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t kMax = std::numeric_limits<std::int32_t>::max();
using i128 = __int128;

// VQRDMULH as ARM defines it: (2ab + 2^31) >> 32 (floor), saturated to int32.
std::int32_t refSrdhm(std::int32_t a, std::int32_t b) {
  const i128 v = (i128{2} * a * b + (i128{1} << 31)) >> 32;
  return v > kMax ? kMax : static_cast<std::int32_t>(v);
}

// x / 2^e to nearest, ties away from zero, via magnitudes.
std::int32_t refRdbpot(std::int32_t x, int e) {
  const i128 mag = x < 0 ? -i128{x} : i128{x};
  const i128 q = e == 0 ? mag : (mag + (i128{1} << (e - 1))) >> e;
  return static_cast<std::int32_t>(x < 0 ? -q : q);
}

// Kinds of random int32: uniform, small, near the extremes, powers of two and neighbours.
enum class Gen { Uniform, Small, Extreme, PowerOfTwo, Mixed };

std::int32_t draw(Gen g, std::mt19937_64& rng) {
  const std::uint64_t r = rng();
  switch (g) {
    case Gen::Uniform:
      return static_cast<std::int32_t>(static_cast<std::uint32_t>(r));
    case Gen::Small:
      return static_cast<std::int32_t>(r % 131071) - 65535;
    case Gen::Extreme: {
      const auto d = static_cast<std::int32_t>((r >> 8) % 64);
      return (r & 1) ? kMax - d : kMin + d;
    }
    case Gen::PowerOfTwo: {
      const int e = static_cast<int>((r >> 8) % 31);
      const std::int64_t v = (std::int64_t{1} << e) + static_cast<std::int64_t>((r >> 16) % 3) - 1;
      return static_cast<std::int32_t>((r & 1) ? -v : v);
    }
    case Gen::Mixed:
      return draw(static_cast<Gen>((r >> 40) % 4), rng);
  }
  return 0;
}

void addGenRows() {
  QTest::addColumn<int>("gen");
  QTest::addRow("uniform") << int(Gen::Uniform);
  QTest::addRow("small") << int(Gen::Small);
  QTest::addRow("near INT32_MIN/MAX") << int(Gen::Extreme);
  QTest::addRow("powers of two +-1") << int(Gen::PowerOfTwo);
  QTest::addRow("mixed") << int(Gen::Mixed);
}

}  // namespace

class TestFixedPoint : public QObject {
  Q_OBJECT

 private slots:
  void srdhmExamples_data() {
    QTest::addColumn<int>("a");
    QTest::addColumn<int>("b");
    QTest::addColumn<int>("expected");
    QTest::addRow("MIN*MIN saturates") << kMin << kMin << kMax;
    QTest::addRow("MIN*MAX") << kMin << kMax << -kMax;
    QTest::addRow("MAX*MAX") << kMax << kMax << kMax - 1;
    QTest::addRow("MIN*1 = -1 exactly") << kMin << 1 << -1;
    QTest::addRow("MIN*2 = -2") << kMin << 2 << -2;
    QTest::addRow("+0.5 -> 1") << (1 << 15) << (1 << 15) << 1;
    QTest::addRow("-0.5 -> 0 (ties up)") << -(1 << 15) << (1 << 15) << 0;
    QTest::addRow("+1.5 -> 2") << (3 << 14) << (1 << 16) << 2;
    QTest::addRow("-1.5 -> -1 (ties up)") << -(3 << 14) << (1 << 16) << -1;
    QTest::addRow("x * 0.5 in Q31") << 1000 << (1 << 30) << 500;
    QTest::addRow("x * -1 in Q31") << 12345 << kMin << -12345;
    QTest::addRow("zero") << 0 << kMin << 0;
  }
  void srdhmExamples() {
    QFETCH(int, a);
    QFETCH(int, b);
    QFETCH(int, expected);
    QCOMPARE(SaturatingRoundingDoublingHighMul(a, b), expected);
    QCOMPARE(SaturatingRoundingDoublingHighMul(b, a), expected);
    QCOMPARE(refSrdhm(a, b), expected);
  }

  void srdhmProperty_data() { addGenRows(); }
  void srdhmProperty() {
    QFETCH(int, gen);
    std::mt19937_64 rng(1000 + gen);
    constexpr int kSamples = 1'000'000;
    int bad = 0;
    std::int32_t ba = 0, bb = 0;
    for (int i = 0; i < kSamples; ++i) {
      const std::int32_t a = draw(Gen(gen), rng);
      const std::int32_t b = draw(Gen(gen == int(Gen::Mixed) ? gen : int(Gen::Uniform)), rng);
      if (SaturatingRoundingDoublingHighMul(a, b) != refSrdhm(a, b) && bad++ == 0) {
        ba = a;
        bb = b;
      }
      // The product is symmetric in its operands.
      if (SaturatingRoundingDoublingHighMul(a, b) != SaturatingRoundingDoublingHighMul(b, a)) {
        ++bad;
      }
    }
    QVERIFY2(bad == 0,
             qPrintable(QString("%1 mismatches, first a=%2 b=%3").arg(bad).arg(ba).arg(bb)));
  }

  void rdbpotExamples_data() {
    QTest::addColumn<int>("x");
    QTest::addColumn<int>("e");
    QTest::addColumn<int>("expected");
    QTest::addRow("5/2 -> 3") << 5 << 1 << 3;
    QTest::addRow("-5/2 -> -3") << -5 << 1 << -3;
    QTest::addRow("-4/2 -> -2") << -4 << 1 << -2;
    QTest::addRow("-6/4 -> -2 (tie away)") << -6 << 2 << -2;
    QTest::addRow("-5/4 -> -1") << -5 << 2 << -1;
    QTest::addRow("-7/4 -> -2") << -7 << 2 << -2;
    QTest::addRow("6/4 -> 2") << 6 << 2 << 2;
    QTest::addRow("e=0 identity MIN") << kMin << 0 << kMin;
    QTest::addRow("MIN/2^31 -> -1") << kMin << 31 << -1;
    QTest::addRow("MAX/2^31 -> 1") << kMax << 31 << 1;
    QTest::addRow("2^30/2^31 -> 1 (tie)") << (1 << 30) << 31 << 1;
    QTest::addRow("-2^30/2^31 -> -1 (tie)") << -(1 << 30) << 31 << -1;
    QTest::addRow("2^30-1 / 2^31 -> 0") << (1 << 30) - 1 << 31 << 0;
    QTest::addRow("MIN/2 exact") << kMin << 1 << kMin / 2;
    QTest::addRow("MAX/2 -> 2^30 (tie away)") << kMax << 1 << (1 << 30);
  }
  void rdbpotExamples() {
    QFETCH(int, x);
    QFETCH(int, e);
    QFETCH(int, expected);
    QCOMPARE(RoundingDivideByPOT(x, e), expected);
    QCOMPARE(refRdbpot(x, e), expected);
  }

  void rdbpotProperty_data() { addGenRows(); }
  void rdbpotProperty() {
    QFETCH(int, gen);
    std::mt19937_64 rng(2000 + gen);
    int bad = 0;
    std::int32_t bx = 0;
    int be = 0;
    for (int i = 0; i < 1'000'000; ++i) {
      std::int32_t x = draw(Gen(gen), rng);
      const int e = static_cast<int>(rng() % 32);
      // Every fourth sample is an exact tie (or an exact multiple) at this exponent.
      if (i % 4 == 0 && e > 0) {
        const std::int64_t unit = std::int64_t{1} << e;
        const std::int64_t q = (x / unit) * unit + ((i & 8) ? unit / 2 : 0);
        if (q >= kMin && q <= kMax) x = static_cast<std::int32_t>(q);
      }
      if (RoundingDivideByPOT(x, e) != refRdbpot(x, e) && bad++ == 0) {
        bx = x;
        be = e;
      }
    }
    QVERIFY2(bad == 0,
             qPrintable(QString("%1 mismatches, first x=%2 e=%3").arg(bad).arg(bx).arg(be)));
  }

  // MultiplyByQuantizedMultiplier = wrap(x << left), SRDHM, RDBPOT(right), spelled out with the
  // wide references.
  void mbqmComposition_data() { addGenRows(); }
  void mbqmComposition() {
    QFETCH(int, gen);
    std::mt19937_64 rng(3000 + gen);
    int bad = 0;
    for (int i = 0; i < 1'000'000; ++i) {
      const std::int32_t x = draw(Gen(gen), rng);
      const auto m = static_cast<std::int32_t>((std::int64_t{1} << 30) + rng() % (1u << 30));
      const int shift = static_cast<int>(rng() % 62) - 31;
      const int left = std::max(shift, 0), right = std::max(-shift, 0);
      const std::int64_t wide = std::int64_t{x} * (std::int64_t{1} << left);
      const auto shifted = static_cast<std::int32_t>(
          static_cast<std::uint32_t>(static_cast<std::uint64_t>(wide) & 0xffffffffu));
      const std::int32_t expected = refRdbpot(refSrdhm(shifted, m), right);
      if (MultiplyByQuantizedMultiplier(x, m, shift) != expected) ++bad;
    }
    QCOMPARE(bad, 0);
  }

  void quantizeMultiplierExamples_data() {
    QTest::addColumn<double>("real");
    QTest::addColumn<int>("mult");
    QTest::addColumn<int>("shift");
    QTest::addRow("0") << 0.0 << 0 << 0;
    QTest::addRow("1") << 1.0 << (1 << 30) << 1;
    QTest::addRow("0.5") << 0.5 << (1 << 30) << 0;
    QTest::addRow("0.75") << 0.75 << (3 << 29) << 0;
    QTest::addRow("1 - 2^-40 rounds up to 2^31 -> 2^30, shift+1")
        << 1.0 - std::ldexp(1.0, -40) << (1 << 30) << 1;
    QTest::addRow("2^-32 smallest") << std::ldexp(1.0, -32) << (1 << 30) << -31;
    QTest::addRow("2^-33 -> zero") << std::ldexp(1.0, -33) << 0 << 0;
    QTest::addRow("1000") << 1000.0 << 1000 * (1 << 21) << 10;
    QTest::addRow("just below 2^30") << std::ldexp(1.0, 30) * 0.75 << (3 << 29) << 30;
  }
  void quantizeMultiplierExamples() {
    QFETCH(double, real);
    QFETCH(int, mult);
    QFETCH(int, shift);
    const QuantizedMultiplier q = QuantizeMultiplier(real);
    QCOMPARE(q.multiplier, mult);
    QCOMPARE(q.shift, shift);
  }

  void quantizeMultiplierRefuses_data() {
    QTest::addColumn<double>("real");
    QTest::addRow("negative") << -0.5;
    QTest::addRow("NaN") << std::nan("");
    QTest::addRow("+inf") << std::numeric_limits<double>::infinity();
    QTest::addRow("2^30") << std::ldexp(1.0, 30);
    QTest::addRow("1 - tiny, times 2^30 (rounds to 2^30)")
        << (1.0 - std::ldexp(1.0, -40)) * std::ldexp(1.0, 30);
  }
  void quantizeMultiplierRefuses() {
    QFETCH(double, real);
    QVERIFY_THROWS_EXCEPTION(quant::Error, QuantizeMultiplier(real));
  }

  // The mantissa is round-to-nearest of the real multiplier: error <= half a unit of 2^(shift-31).
  void quantizeMultiplierProperty() {
    std::mt19937_64 rng(4000);
    std::uniform_real_distribution<double> expo(-34.0, 29.9);
    for (int i = 0; i < 200'000; ++i) {
      const double real = std::exp2(expo(rng));
      const QuantizedMultiplier q = QuantizeMultiplier(real);
      if (real < std::ldexp(1.0, -32) * (1 - 1e-12)) {
        QCOMPARE(q.multiplier, 0);
        continue;
      }
      QVERIFY(q.multiplier >= (1 << 30));
      QVERIFY(q.shift >= -31 && q.shift <= 30);
      const long double approx = std::ldexp(static_cast<long double>(q.multiplier), q.shift - 31);
      const long double halfUnit = std::ldexp(1.0L, q.shift - 32);
      QVERIFY2(std::fabs(approx - real) <= halfUnit,
               qPrintable(QString("real %1").arg(real, 0, 'g', 17)));
    }
  }

  // The whole point: MultiplyByQuantizedMultiplier(x, QuantizeMultiplier(M)) == round(x * M)
  // within 1, for M in (0, 1) and M > 1, wherever x * 2^shift and x * M fit in int32.
  void mbqmApproximatesRealProduct_data() {
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addRow("M in (2^-32, 2^-20)") << -32.0 << -20.0;
    QTest::addRow("M in (2^-20, 1)") << -20.0 << 0.0;
    QTest::addRow("M in (1, 2^10)") << 0.0 << 10.0;
    QTest::addRow("M in (2^10, 2^20)") << 10.0 << 20.0;
  }
  void mbqmApproximatesRealProduct() {
    QFETCH(double, lo);
    QFETCH(double, hi);
    std::mt19937_64 rng(5000 + static_cast<int>(lo));
    std::uniform_real_distribution<double> expo(lo, hi);
    int bad = 0, checked = 0;
    QString first;
    for (int i = 0; i < 1'000'000; ++i) {
      const double M = std::exp2(expo(rng));
      const QuantizedMultiplier q = QuantizeMultiplier(M);
      // x small enough that x << shift and x * M fit.
      const std::int64_t bound =
          std::min<std::int64_t>(std::int64_t{1} << std::min(31, 31 - std::max(q.shift, 0)),
                                 static_cast<std::int64_t>(2.0e9 / std::max(M, 1.0)));
      const std::int64_t x =
          static_cast<std::int64_t>(rng() % std::uint64_t(2 * bound - 1)) - (bound - 1);
      const auto xi = static_cast<std::int32_t>(x);
      const std::int32_t got = MultiplyByQuantizedMultiplier(xi, q.multiplier, q.shift);
      const long double exact = static_cast<long double>(x) * M;
      ++checked;
      if (std::fabs(static_cast<long double>(got) - std::round(exact)) > 1.0L && bad++ == 0) {
        first = QString("x=%1 M=%2 got %3").arg(x).arg(M, 0, 'g', 17).arg(got);
      }
    }
    QVERIFY2(bad == 0,
             qPrintable(QString("%1 of %2 off by > 1; %3").arg(bad).arg(checked).arg(first)));
  }
};

QTEST_GUILESS_MAIN(TestFixedPoint)
#include "tst_fixedpoint.moc"
