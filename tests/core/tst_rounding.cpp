// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of roundTiesToEven (quant/kernels/rounding.h) against std::nearbyint (ties to even in the
// default rounding mode): every float of the two widest binades of the valid range, every
// integer and half-integer there with its float neighbours, random floats of all magnitudes,
// and the first failure just past the documented bound 2^22.
#include <QtTest>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>

#include "quant/kernels/rounding.h"

using quant::roundTiesToEven;

namespace {

constexpr float kMaxAbs = quant::kRoundTiesToEvenMaxAbs;

// Equal as values (roundTiesToEven gives +0.0 where nearbyint gives -0.0, see rounding.h).
bool agrees(float c) { return roundTiesToEven(c) == std::nearbyint(c); }

}  // namespace

class TestRounding : public QObject {
  Q_OBJECT

 private slots:
  void namedTies_data() {
    QTest::addColumn<float>("c");
    QTest::addColumn<float>("expected");
    QTest::addRow("0.5 -> 0") << 0.5f << 0.0f;
    QTest::addRow("1.5 -> 2") << 1.5f << 2.0f;
    QTest::addRow("2.5 -> 2") << 2.5f << 2.0f;
    QTest::addRow("-0.5 -> 0") << -0.5f << 0.0f;
    QTest::addRow("-1.5 -> -2") << -1.5f << -2.0f;
    QTest::addRow("-2.5 -> -2") << -2.5f << -2.0f;
    QTest::addRow("127.5 -> 128") << 127.5f << 128.0f;
    QTest::addRow("-128.5 -> -128") << -128.5f << -128.0f;
    QTest::addRow("2^22 - 0.5 -> 2^22") << kMaxAbs - 0.5f << kMaxAbs;
    QTest::addRow("-(2^22 - 0.5) -> -2^22") << -(kMaxAbs - 0.5f) << -kMaxAbs;
    QTest::addRow("0.49999997 -> 0") << std::nextafter(0.5f, 0.0f) << 0.0f;
    QTest::addRow("2^22 -> 2^22") << kMaxAbs << kMaxAbs;
  }
  void namedTies() {
    QFETCH(float, c);
    QFETCH(float, expected);
    QCOMPARE(roundTiesToEven(c), expected);
  }

  // Every float in [2^20, 2^22] and [-2^22, -2^20]: where the spacing is 1/8 down to 1/2, all
  // fractional cases (ties included) in the binades closest to the bound.
  void exhaustiveTopBinades() {
    for (float sign : {1.0f, -1.0f}) {
      const std::uint32_t lo = std::bit_cast<std::uint32_t>(1048576.0f);  // 2^20
      const std::uint32_t hi = std::bit_cast<std::uint32_t>(kMaxAbs);
      for (std::uint32_t b = lo; b <= hi; ++b) {
        const float c = sign * std::bit_cast<float>(b);
        if (!agrees(c)) QFAIL(qPrintable(QString("differs at %1").arg(double(c), 0, 'g', 10)));
      }
    }
  }

  // Integers and half-integers up to the bound, and the floats on either side of them.
  void integersAndHalves() {
    for (std::int32_t k = -4194304; k <= 4194304; k += 7) {
      for (float base : {float(k), float(k) + 0.5f}) {
        for (float c : {base, std::nextafter(base, -1e30f), std::nextafter(base, 1e30f)}) {
          if (std::fabs(c) > kMaxAbs) continue;
          if (!agrees(c)) QFAIL(qPrintable(QString("differs at %1").arg(double(c), 0, 'g', 10)));
        }
      }
    }
  }

  // Random bit patterns of every magnitude up to the bound (subnormals included).
  void randomMagnitudes() {
    std::mt19937 rng(12);
    std::uniform_int_distribution<std::uint32_t> bits(0, std::bit_cast<std::uint32_t>(kMaxAbs));
    for (int i = 0; i < 4000000; ++i) {
      const float c = (i % 2 ? -1.0f : 1.0f) * std::bit_cast<float>(bits(rng));
      if (!agrees(c)) QFAIL(qPrintable(QString("differs at %1").arg(double(c), 0, 'g', 10)));
    }
  }

  // The bound is tight: 2^22 + 1 lands where the spacing is 2 and comes back as 2^22.
  void failsJustPastTheBound() {
    const float c = kMaxAbs + 1.0f;
    QCOMPARE(std::nearbyint(c), c);
    QCOMPARE(roundTiesToEven(c), kMaxAbs);
  }
};

QTEST_APPLESS_MAIN(TestRounding)
#include "tst_rounding.moc"
