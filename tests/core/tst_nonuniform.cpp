// SPDX-License-Identifier: GPL-3.0-or-later
// Non-uniform and block formats: fp16 conversion, NF4 (its table from the normal quantiles, nearest
// code, ties), the GGUF Q8_0/Q4_0 and block-absmax formats on hand-computed blocks, k-means and
// log2 code books, non-finite and extreme inputs, and the dispatcher by name.
// Over 700 lines because it is the one test program of nonuniform.h: one data-driven function
// per property, each with its table of named rows, for six formats.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/numeric/nonuniform.h"

// QCOMPARE on float / double is a fuzzy compare; these checks must hold to the last bit.
#define COMPARE_EXACT(actual, expected)                                                        \
  QVERIFY2(double(actual) == double(expected), qPrintable(QString("%1 = %2, expected %3 = %4") \
                                                              .arg(#actual)                    \
                                                              .arg(double(actual), 0, 'g', 17) \
                                                              .arg(#expected)                  \
                                                              .arg(double(expected), 0, 'g', 17)))

namespace {

using quant::CodebookResult;
using quant::nonuniform_detail::fp16ToFp32;
using quant::nonuniform_detail::fp32ToFp16;

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Standard-library distributions differ between implementations; only the raw mt19937 stream is
// specified, so build the test data from it directly.
class Rng {
 public:
  explicit Rng(unsigned seed) : g_(seed) {}
  double uniform() { return (static_cast<double>(g_() >> 5) + 0.5) / 134217728.0; }  // (0,1)
  // Box-Muller transform of two uniforms.
  double normal() {
    const double u1 = uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
  }

 private:
  std::mt19937 g_;
};

std::vector<float> makeData(const QString& kind, std::size_t n, unsigned seed) {
  Rng rng(seed);
  std::vector<float> v(n);
  for (std::size_t i = 0; i < n; ++i) {
    double x;
    if (kind == "gaussian") {
      x = rng.normal();
    } else if (kind == "uniform") {
      x = 2.0 * rng.uniform() - 1.0;
    } else if (kind == "laplace") {
      const double u = rng.uniform() - 0.5;
      x = (u < 0 ? 1.0 : -1.0) * std::log(1.0 - 2.0 * std::fabs(u));
    } else {  // "outliers": mostly small with a few large values
      x = 0.02 * rng.normal();
      if (i % 97 == 5) x *= 300.0;
    }
    v[i] = static_cast<float>(x);
  }
  return v;
}

int zeroCode(const std::string& scheme) {
  if (scheme == "nf4") return 7;
  if (scheme == "q4_0") return 8;
  return 0;
}

}  // namespace

class TestNonUniform : public QObject {
  Q_OBJECT
 private slots:
  // ------------------------------------------------------------------------------------------
  // fp16 helper used for the GGUF scales

  void fp16Conversion_data() {
    QTest::addColumn<float>("value");
    QTest::addColumn<int>("bits");
    QTest::addRow("one") << 1.0f << 0x3c00;
    QTest::addRow("minus two") << -2.0f << 0xc000;
    QTest::addRow("largest finite 65504") << 65504.0f << 0x7bff;
    QTest::addRow("65519.99 rounds down") << std::nextafter(65520.0f, 0.0f) << 0x7bff;
    QTest::addRow("65520 tie rounds to even = inf") << 65520.0f << 0x7c00;
    QTest::addRow("smallest subnormal 2^-24") << std::ldexp(1.0f, -24) << 0x0001;
    QTest::addRow("2^-25 tie rounds to even zero") << std::ldexp(1.0f, -25) << 0x0000;
    QTest::addRow("1.5 * 2^-25 rounds up") << 1.5f * std::ldexp(1.0f, -25) << 0x0001;
    QTest::addRow("3 * 2^-25 tie to even 2^-23") << 3.0f * std::ldexp(1.0f, -25) << 0x0002;
    QTest::addRow("1 + 2^-11 tie to even 1") << 1.0f + std::ldexp(1.0f, -11) << 0x3c00;
    QTest::addRow("1 + 3*2^-11 tie to even up") << 1.0f + 3.0f * std::ldexp(1.0f, -11) << 0x3c02;
    QTest::addRow("0.1") << 0.1f << 0x2e66;
    QTest::addRow("largest subnormal rounds to min normal")
        << std::nextafter(std::ldexp(1.0f, -14), 0.0f) << 0x0400;
    QTest::addRow("31/127 (Q8_0 ramp scale)") << 31.0f / 127.0f << 0x33d0;
    QTest::addRow("+inf") << kInf << 0x7c00;
    QTest::addRow("-0") << -0.0f << 0x8000;
  }
  void fp16Conversion() {
    QFETCH(float, value);
    QFETCH(int, bits);
    QCOMPARE(int(fp32ToFp16(value)), bits);
  }

  void fp16RoundTripAndTiesToEven() {
    // Every finite half survives half -> float -> half, and the float exactly halfway between two
    // adjacent halves goes to the one with the even mantissa.
    for (std::uint32_t h = 0; h < 0x7c00u; ++h) {
      for (std::uint32_t s : {0u, 0x8000u}) {
        const auto bits = static_cast<std::uint16_t>(h | s);
        const float f = fp16ToFp32(bits);
        QCOMPARE(fp32ToFp16(f), bits);
        if (h + 1 < 0x7c00u) {
          const float g = fp16ToFp32(static_cast<std::uint16_t>((h + 1) | s));
          const float mid = (f + g) / 2;  // exact: halves have 11 significant bits
          const std::uint32_t even = (h & 1u) ? h + 1 : h;
          QCOMPARE(int(fp32ToFp16(mid)), int(even | s));
        }
      }
    }
    QVERIFY(std::isnan(fp16ToFp32(fp32ToFp16(kNaN))));
  }

  // ------------------------------------------------------------------------------------------
  // inverse normal CDF and the NF4 table

  void inverseNormalCdf_data() {
    // Reference values from an independent implementation (Wichura's AS241, as in Python's
    // statistics.NormalDist), accurate to a few 1e-16 relative.
    QTest::addColumn<double>("p");
    QTest::addColumn<double>("expected");
    QTest::addRow("median") << 0.5 << 0.0;
    QTest::addRow("97.5 percent") << 0.975 << 1.9599639845400536;
    QTest::addRow("2.5 percent") << 0.025 << -1.9599639845400538;
    QTest::addRow("Phi(1)") << 0.8413447460685429 << 1.0;
    QTest::addRow("1e-10") << 1e-10 << -6.361340902404056;
    QTest::addRow("1e-300") << 1e-300 << -37.0470962993612;
    QTest::addRow("NF4 offset") << 0.9677083 << 1.848130959757373;
    QTest::addRow("just above median") << 0.5000001 << 2.506628273311649e-07;
    QTest::addRow("just below median") << 0.499999 << -2.5066282745665597e-06;
    QTest::addRow("0.49") << 0.49 << -0.025068908258711057;
  }
  void inverseNormalCdf() {
    QFETCH(double, p);
    QFETCH(double, expected);
    const double got = quant::inverseNormalCdf(p);
    // Relative accuracy, also for results near 0 (where Phi(x) - p cancels).
    QVERIFY2(std::fabs(got - expected) <= 1e-14 * std::fabs(expected),
             qPrintable(QString("Phi^-1(%1) = %2, want %3")
                            .arg(p, 0, 'g', 17)
                            .arg(got, 0, 'g', 17)
                            .arg(expected, 0, 'g', 17)));
  }

  void inverseNormalCdfInvertsCdf() {
    // Property over the whole usable range: Phi^-1(Phi(x)) = x (lower half, where Phi(x) is
    // computed without cancellation) and the symmetry Phi^-1(1-p) = -Phi^-1(p).
    for (double x = -37.0; x <= 0.0; x += 0.01) {
      const double p = 0.5 * std::erfc(-x / std::sqrt(2.0));
      const double back = quant::inverseNormalCdf(p);
      QVERIFY2(std::fabs(back - x) <= 1e-10 * std::max(1.0, std::fabs(x)),
               qPrintable(QString("x=%1 back=%2").arg(x, 0, 'g', 17).arg(back, 0, 'g', 17)));
      if (p >= 0.25) QCOMPARE(quant::inverseNormalCdf(1.0 - p), -quant::inverseNormalCdf(p));
    }
    QCOMPARE(quant::inverseNormalCdf(0.0), -std::numeric_limits<double>::infinity());
    QCOMPARE(quant::inverseNormalCdf(1.0), std::numeric_limits<double>::infinity());
    QVERIFY(std::isnan(quant::inverseNormalCdf(std::nan(""))));
  }

  void nf4TableMatchesDefinition() {
    // Independent reference: the table recomputed from normal quantiles with our own Phi^-1.
    const auto computed = quant::nf4ComputedTable();
    const auto& table = quant::nf4Table();
    for (std::size_t i = 0; i < 16; ++i) {
      QVERIFY2(std::fabs(computed[i] - table[i]) <= 1e-6,
               qPrintable(QString("code %1: computed %2 published %3")
                              .arg(i)
                              .arg(computed[i], 0, 'g', 17)
                              .arg(double(table[i]), 0, 'g', 17)));
      if (i > 0) QVERIFY(table[i - 1] < table[i]);
    }
    COMPARE_EXACT(table.front(), -1.0f);
    COMPARE_EXACT(table[7], 0.0f);
    COMPARE_EXACT(table.back(), 1.0f);
    COMPARE_EXACT(computed.front(), -1.0);
    COMPARE_EXACT(computed.back(), 1.0);
  }

  // ------------------------------------------------------------------------------------------
  // NF4

  void nf4CodesReconstructThemselves_data() {
    QTest::addColumn<float>("scale");
    QTest::addColumn<int>("blockSize");
    QTest::addRow("scale 1, block 16") << 1.0f << 16;
    QTest::addRow("scale 2.5, block 64") << 2.5f << 64;
    QTest::addRow("scale 1e-3, block 16") << 1e-3f << 16;
    QTest::addRow("scale 3e38, block 16") << 3e38f << 16;
    QTest::addRow("scale 1e-30, block 32") << 1e-30f << 32;
  }
  void nf4CodesReconstructThemselves() {
    QFETCH(float, scale);
    QFETCH(int, blockSize);
    const auto& table = quant::nf4Table();
    std::vector<float> x;
    for (float c : table) x.push_back(c * scale);
    const auto r = quant::quantizeNF4(x, blockSize);
    QCOMPARE(r.scales.size(), std::size_t{1});
    COMPARE_EXACT(r.scales[0], scale);
    for (std::size_t i = 0; i < 16; ++i) {
      QCOMPARE(r.codes[i], std::int32_t(i));
      COMPARE_EXACT(r.reconstructed[i], x[i]);
    }
    COMPARE_EXACT(r.mse, 0.0);
  }

  void nf4NearestCode_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("blockSize");
    QTest::addRow("gaussian, block 64") << "gaussian" << 64;
    QTest::addRow("uniform, block 64") << "uniform" << 64;
    QTest::addRow("laplace, block 17 (partial blocks)") << "laplace" << 17;
    QTest::addRow("outliers, block 1000") << "outliers" << 1000;
    QTest::addRow("gaussian, block 1") << "gaussian" << 1;
  }
  void nf4NearestCode() {
    // Property: each value gets the nearest code, so its error is at most half the gap to the
    // neighbouring code on its side.
    QFETCH(QString, kind);
    QFETCH(int, blockSize);
    const auto x = makeData(kind, 5000, 11);
    const auto r = quant::quantizeNF4(x, blockSize);
    const auto& t = quant::nf4Table();
    QCOMPARE(r.scales.size(), (x.size() + blockSize - 1) / blockSize);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double s = r.scales[i / blockSize];
      const auto c = static_cast<std::size_t>(r.codes[i]);
      QVERIFY(c < 16);
      COMPARE_EXACT(r.reconstructed[i], t[c] * static_cast<float>(s));
      const double v = x[i] / s;
      double best = 1e300;
      for (float cand : t) best = std::min(best, std::fabs(v - cand));
      QVERIFY2(std::fabs(v - t[c]) <= best + 1e-12, qPrintable(QString("value %1").arg(i)));
      const double gap = v >= t[c] ? (c < 15 ? t[c + 1] - t[c] : 0.0) : t[c] - t[c - 1];
      const double err = std::fabs(double(x[i]) - r.reconstructed[i]);
      QVERIFY2(
          err <= (gap / 2) * s * (1 + 1e-6) + 1e-30,
          qPrintable(QString("value %1: err %2 > half gap %3").arg(i).arg(err).arg(gap / 2 * s)));
    }
  }

  void nf4TiesPickLowerIndex() {
    // c8/2 and c6/2 are exact floats and exactly halfway between code 7 (0.0) and its neighbours.
    const auto& t = quant::nf4Table();
    const std::vector<float> x{1.0f, t[8] / 2, t[6] / 2, std::nextafter(t[8] / 2, 1.0f)};
    const auto r = quant::quantizeNF4(x, 64);
    QCOMPARE(r.codes[1], 7);
    QCOMPARE(r.codes[2], 6);
    QCOMPARE(r.codes[3], 8);
  }

  void nf4BeatsUniformOnGaussian_data() {
    QTest::addColumn<int>("blockSize");
    QTest::addColumn<int>("seed");
    QTest::addRow("block 32") << 32 << 1;
    QTest::addRow("block 64") << 64 << 2;
    QTest::addRow("block 128") << 128 << 3;
    QTest::addRow("block 256") << 256 << 4;
  }
  void nf4BeatsUniformOnGaussian() {
    // The reason NF4 exists: for normally distributed weights, 16 levels at normal quantiles beat
    // the 15 evenly spaced levels of 4-bit absmax at the same block size and the same storage.
    QFETCH(int, blockSize);
    QFETCH(int, seed);
    const auto x = makeData("gaussian", 1 << 15, unsigned(seed));
    const auto nf4 = quant::quantizeNF4(x, blockSize);
    const auto uni = quant::quantizeBlockAbsmax(x, 4, blockSize);
    COMPARE_EXACT(nf4.bitsPerWeight, uni.bitsPerWeight);
    QVERIFY2(nf4.mse < uni.mse,
             qPrintable(QString("nf4 %1 vs absmax %2").arg(nf4.mse).arg(uni.mse)));
  }

  // ------------------------------------------------------------------------------------------
  // bits per weight

  void bitsPerWeight_data() {
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("bits");
    QTest::addColumn<int>("blockSize");
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("expected");
    QTest::addColumn<int>("scales");
    QTest::addRow("nf4 block 64: 4 + 32/64") << "nf4" << 0 << 64 << 4096 << 4.5 << 64;
    QTest::addRow("nf4 block 128") << "nf4" << 4 << 128 << 4096 << 4.25 << 32;
    QTest::addRow("nf4 100 values block 64 (partial)")
        << "nf4" << 0 << 64 << 100 << (100 * 4 + 2 * 32) / 100.0 << 2;
    QTest::addRow("q8_0: (32*8+16)/32") << "q8_0" << 0 << 0 << 4096 << 8.5 << 128;
    QTest::addRow("q8_0 40 values (partial)") << "q8_0" << 8 << 32 << 40 << 8.8 << 2;
    QTest::addRow("q4_0: (32*4+16)/32") << "q4_0" << 0 << 0 << 4096 << 4.5 << 128;
    QTest::addRow("q4_0 33 values (partial)")
        << "q4_0" << 4 << 0 << 33 << (33 * 4 + 32) / 33.0 << 2;
    QTest::addRow("absmax int8 block 32") << "absmax" << 8 << 32 << 4096 << 9.0 << 128;
    QTest::addRow("absmax int4 block 128") << "absmax" << 4 << 128 << 4096 << 4.25 << 32;
    QTest::addRow("absmax int8 65 values block 64 (partial)")
        << "absmax" << 8 << 64 << 65 << (65 * 8 + 2 * 32) / 65.0 << 2;
    QTest::addRow("kmeans 4 bit, 1024 values: 4 + 16*32/1024")
        << "kmeans" << 4 << 0 << 1024 << 4.5 << 0;
    QTest::addRow("kmeans 8 bit, 8192 values: 8 + 256*32/8192")
        << "kmeans" << 8 << 0 << 8192 << 9.0 << 0;
    QTest::addRow("kmeans 1 bit, 64 values") << "kmeans" << 1 << 0 << 64 << 2.0 << 0;
    QTest::addRow("log2 4 bit per tensor") << "log2" << 4 << 0 << 1024 << 4 + 32 / 1024.0 << 1;
    QTest::addRow("log2 3 bit block 16") << "log2" << 3 << 16 << 1024 << 5.0 << 64;
  }
  void bitsPerWeight() {
    QFETCH(QString, scheme);
    QFETCH(int, bits);
    QFETCH(int, blockSize);
    QFETCH(int, n);
    QFETCH(double, expected);
    QFETCH(int, scales);
    const auto x = makeData("gaussian", std::size_t(n), 5);
    const auto r = quant::quantizeNonUniform(scheme.toStdString(), x, bits, blockSize);
    QVERIFY2(std::fabs(r.bitsPerWeight - expected) < 1e-12,
             qPrintable(QString("bpw %1, want %2").arg(r.bitsPerWeight, 0, 'g', 17).arg(expected)));
    QCOMPARE(int(r.scales.size()), scales);
    QCOMPARE(r.reconstructed.size(), x.size());
    QCOMPARE(r.codes.size(), x.size());
    QVERIFY(!r.description.empty());
    if (scheme == "kmeans") QCOMPARE(int(r.codebook.size()), 1 << bits);
  }

  // ------------------------------------------------------------------------------------------
  // hand-computed blocks

  void handComputedBlocks_data() {
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("bits");
    QTest::addColumn<QList<float>>("input");
    QTest::addColumn<QList<int>>("codes");
    QTest::addColumn<float>("scale");

    QList<float> ramp, negRamp;
    for (int j = 0; j < 32; ++j) {
      ramp << float(j);
      negRamp << -float(j);
    }
    // Q8_0 on 0..31: amax 31, d = 31/127 = 0.24409..., id = 127/31 = 4.0968; codes are
    // roundf(j * 127/31). 127*j/31 never ends in .5 (31 is odd), so no ties here:
    //   j:    0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
    //   127j/31: 0 4.10 8.19 12.29 16.39 20.48 24.58 28.68 32.77 36.87 40.97 45.06 49.16 53.26
    //            57.35 61.45
    //   j:   16..31 -> 65.55 69.65 73.74 77.84 81.94 86.03 90.13 94.23 98.32 102.42 106.52
    //                  110.61 114.71 118.81 122.90 127
    // Stored scale: fp16(0.244094...) -- ulp in [0.125, 0.25) is 2^-13, 0.244094 * 8192 =
    // 1999.62 -> 2000, so d = 2000/8192 = 0.244140625.
    const QList<int> q8Ramp{0,  4,  8,  12, 16, 20, 25, 29, 33, 37,  41,  45,  49,  53,  57,  61,
                            66, 70, 74, 78, 82, 86, 90, 94, 98, 102, 107, 111, 115, 119, 123, 127};
    QList<int> q8NegRamp;
    for (int q : q8Ramp) q8NegRamp << -q;
    QTest::addRow("q8_0 ramp 0..31") << "q8_0" << 8 << ramp << q8Ramp << 0.244140625f;
    QTest::addRow("q8_0 ramp 0..-31 (symmetric)")
        << "q8_0" << 8 << negRamp << q8NegRamp << 0.244140625f;
    // amax 127 -> d = 1 exactly; roundf sends halves away from zero: 2.5 -> 3, -0.5 -> -1.
    const QList<float> ties{127, 2.5f, -2.5f, 0.5f, -0.5f, 1.5f, -1.5f, 126.5f};
    QTest::addRow("q8_0 ties away from zero")
        << "q8_0" << 8 << ties << QList<int>{127, 3, -3, 1, -1, 2, -2, 127} << 1.0f;
    // Same block with ties-to-even absmax int8 (scale 127/127 = 1): 2.5 -> 2, 0.5 -> 0, 126.5 ->
    // 126.
    QTest::addRow("absmax int8 ties to even")
        << "absmax" << 8 << ties << QList<int>{127, 2, -2, 0, 0, 2, -2, 126} << 1.0f;
    // int3: qmax 3, absmax 3 -> scale 1; 1.5 -> 2, 0.5 -> 0, 2.5 -> 2, -0.5 -> 0, -2.5 -> -2.
    QTest::addRow("absmax int3 ties to even")
        << "absmax" << 3 << QList<float>{3, 1.5f, -1.5f, 0.5f, 2.5f, -3, -0.5f, -2.5f}
        << QList<int>{3, 2, -2, 0, 2, -3, 0, -2} << 1.0f;
    // Q4_0 on 0..31: max = +31, d = 31/-8 = -3.875 (exact in fp16), q = (int)(8.5 - 8j/31):
    //   j  0: 8.50->8   1: 8.24->8   2: 7.98->7   3: 7.73->7   4: 7.47->7   5: 7.21->7
    //   j  6: 6.95->6   7: 6.69->6   8: 6.44->6   9: 6.18->6  10: 5.92->5  11: 5.66->5
    //   j 12: 5.40->5  13: 5.15->5  14: 4.89->4  15: 4.63->4  16: 4.37->4  17: 4.11->4
    //   j 18: 3.85->3  19: 3.60->3  20: 3.34->3  21: 3.08->3  22: 2.82->2  23: 2.56->2
    //   j 24: 2.31->2  25: 2.05->2  26: 1.79->1  27: 1.53->1  28: 1.27->1  29: 1.02->1
    //   j 30: 0.76->0  31: 0.50->0
    const QList<int> q4Ramp{8, 8, 7, 7, 7, 7, 6, 6, 6, 6, 5, 5, 5, 5, 4, 4,
                            4, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0};
    QTest::addRow("q4_0 ramp 0..31") << "q4_0" << 4 << ramp << q4Ramp << -3.875f;
    // First largest magnitude is -4 -> d = 0.5, id = 2; x*2 + 8.5 = 0.5, 16.5, 8.5, 10.5, 6.5,
    // 15.9, 4.1 -> 0, min(15,16)=15, 8, 10, 6, 15, 4. The +4 saturates at 7*d = 3.5.
    QTest::addRow("q4_0 negative extreme first")
        << "q4_0" << 4 << QList<float>{-4, 4, 0, 1, -1, 3.7f, -2.2f}
        << QList<int>{0, 15, 8, 10, 6, 15, 4} << 0.5f;
    // Halves round UP (truncation of x/d + 8.5): d = 0.5, x/d = -8, 2.5, -1.5, 0.5, -0.5 ->
    // +8.5 = 0.5, 11, 7, 9, 8 -> codes 0, 11, 7, 9, 8 (2.5 -> 3 steps, -1.5 -> -1 step).
    QTest::addRow("q4_0 halves round up")
        << "q4_0" << 4 << QList<float>{-4, 1.25f, -0.75f, 0.25f, -0.25f}
        << QList<int>{0, 11, 7, 9, 8} << 0.5f;
    // First largest magnitude is +4 -> d = -0.5: 4 -> 0 (value 4), -4 -> 15 (value -3.5).
    QTest::addRow("q4_0 positive extreme first")
        << "q4_0" << 4 << QList<float>{4, -4, 0} << QList<int>{0, 15, 8} << -0.5f;
  }
  void handComputedBlocks() {
    QFETCH(QString, scheme);
    QFETCH(int, bits);
    QFETCH(QList<float>, input);
    QFETCH(QList<int>, codes);
    QFETCH(float, scale);
    const std::vector<float> x(input.begin(), input.end());
    const auto r = quant::quantizeNonUniform(scheme.toStdString(), x, bits, 32);
    QCOMPARE(r.scales.size(), std::size_t{1});
    COMPARE_EXACT(r.scales[0], scale);
    QCOMPARE(QList<int>(r.codes.begin(), r.codes.end()), codes);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const float q =
          scheme == "q4_0" ? float(codes[qsizetype(i)] - 8) : float(codes[qsizetype(i)]);
      COMPARE_EXACT(r.reconstructed[i], q * scale);
    }
  }

  void ggufScalesAreFp16() {
    // Property on random data: the stored scale is an fp16 value, the reconstruction uses it, and
    // the codes stay in range.
    for (const char* scheme : {"q8_0", "q4_0"}) {
      const auto x = makeData("laplace", 3000, 9);
      const auto r = quant::quantizeNonUniform(scheme, x, 0, 0);
      for (float d : r.scales) COMPARE_EXACT(fp16ToFp32(fp32ToFp16(d)), d);
      const bool q8 = std::string(scheme) == "q8_0";
      for (std::size_t i = 0; i < x.size(); ++i) {
        const int q = r.codes[i];
        QVERIFY(q8 ? (q >= -127 && q <= 127) : (q >= 0 && q <= 15));
        COMPARE_EXACT(r.reconstructed[i], float(q8 ? q : q - 8) * r.scales[i / 32]);
        const double d = std::fabs(r.scales[i / 32]);
        // Half a step plus the effect of rounding d to fp16 (relative 2^-11 on up to 127 steps).
        QVERIFY(std::fabs(x[i] - r.reconstructed[i]) <=
                    d * (0.5 + 128 * std::ldexp(1.0, -11)) + 1e-12 ||
                (!q8 && q == 15));
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // zero blocks, partial blocks, non-finite inputs: all schemes

  void zeroBlock_data() {
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("bits");
    for (const char* s : {"nf4", "log2", "absmax", "q8_0", "q4_0"})
      QTest::addRow("%s", s) << QString(s) << 0;
    QTest::addRow("absmax int2") << "absmax" << 2;
    QTest::addRow("log2 8 bit") << "log2" << 8;
  }
  void zeroBlock() {
    QFETCH(QString, scheme);
    QFETCH(int, bits);
    std::vector<float> x(64, 0.0f);
    for (int i = 32; i < 64; ++i) x[std::size_t(i)] = float(i - 40) / 7.0f;
    x[5] = -0.0f;
    const auto r = quant::quantizeNonUniform(scheme.toStdString(), x, bits, 32);
    QCOMPARE(r.scales.size(), std::size_t{2});
    COMPARE_EXACT(r.scales[0], 0.0f);
    QVERIFY(r.scales[1] != 0.0f);
    for (int i = 0; i < 32; ++i) {
      QCOMPARE(r.codes[std::size_t(i)], zeroCode(scheme.toStdString()));
      COMPARE_EXACT(r.reconstructed[std::size_t(i)], 0.0f);
    }
    for (float v : r.reconstructed) QVERIFY(std::isfinite(v));
    QVERIFY(std::isfinite(r.mse));
  }

  void allZeroTensorKMeans() {
    const std::vector<float> x(100, 0.0f);
    const auto r = quant::quantizeKMeans(x, 3);
    QCOMPARE(r.codebook.size(), std::size_t{8});
    for (float v : r.reconstructed) COMPARE_EXACT(v, 0.0f);
    COMPARE_EXACT(r.mse, 0.0);
  }

  void blocksAreIndependent_data() {
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("bits");
    QTest::addColumn<int>("blockSize");
    QTest::addColumn<int>("n");
    QTest::addRow("nf4 100 / 64") << "nf4" << 0 << 64 << 100;
    QTest::addRow("nf4 130 / 64") << "nf4" << 0 << 64 << 130;
    QTest::addRow("absmax int4 100 / 64") << "absmax" << 4 << 64 << 100;
    QTest::addRow("absmax int8 7 / 32 (one short block)") << "absmax" << 8 << 32 << 7;
    QTest::addRow("log2 5 bit 70 / 32") << "log2" << 5 << 32 << 70;
    QTest::addRow("q8_0 70 values") << "q8_0" << 0 << 32 << 70;
    QTest::addRow("q4_0 70 values") << "q4_0" << 0 << 32 << 70;
    QTest::addRow("q4_0 1 value") << "q4_0" << 0 << 32 << 1;
  }
  void blocksAreIndependent() {
    // The partial last block gets its own scale: quantizing every block on its own gives exactly
    // the same scales, codes and values as quantizing the whole tensor. The tail is 100x smaller
    // than the rest so a shared scale would show.
    QFETCH(QString, scheme);
    QFETCH(int, bits);
    QFETCH(int, blockSize);
    QFETCH(int, n);
    auto x = makeData("gaussian", std::size_t(n), 21);
    const std::size_t tail = std::size_t(n) - (std::size_t(n) - 1) % std::size_t(blockSize) - 1;
    for (std::size_t i = tail; i < x.size(); ++i) x[i] *= 0.01f;
    const std::string s = scheme.toStdString();
    const auto whole = quant::quantizeNonUniform(s, x, bits, blockSize);
    const std::size_t blocks = (std::size_t(n) + blockSize - 1) / blockSize;
    QCOMPARE(whole.scales.size(), blocks);
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::size_t begin = b * std::size_t(blockSize);
      const std::size_t len = std::min<std::size_t>(std::size_t(blockSize), x.size() - begin);
      const auto part = quant::quantizeNonUniform(s, std::span<const float>(x).subspan(begin, len),
                                                  bits, blockSize);
      QCOMPARE(part.scales.size(), std::size_t{1});
      COMPARE_EXACT(whole.scales[b], part.scales[0]);
      for (std::size_t i = 0; i < len; ++i) {
        QCOMPARE(whole.codes[begin + i], part.codes[i]);
        COMPARE_EXACT(whole.reconstructed[begin + i], part.reconstructed[i]);
      }
    }
    // The tail error is on the tail's own scale.
    double tailErr = 0, tailMax = 0;
    for (std::size_t i = tail; i < x.size(); ++i) {
      tailErr = std::max(tailErr, double(std::fabs(x[i] - whole.reconstructed[i])));
      tailMax = std::max(tailMax, double(std::fabs(x[i])));
    }
    QVERIFY2(tailErr <= 0.5 * tailMax + 1e-30,
             qPrintable(QString("tail err %1, tail max %2").arg(tailErr).arg(tailMax)));
  }

  void nonFiniteInputs_data() {
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("bits");
    for (const char* s : {"nf4", "log2", "kmeans", "absmax", "q8_0", "q4_0"})
      QTest::addRow("%s", s) << QString(s) << 0;
    QTest::addRow("kmeans 1 bit") << "kmeans" << 1;
    QTest::addRow("absmax int8") << "absmax" << 8;
  }
  void nonFiniteInputs() {
    // NaN / Inf never reach a scale: scales equal those of the same data with them set to 0,
    // NaN reconstructs like 0 and +-Inf saturate to the block's largest / smallest value.
    QFETCH(QString, scheme);
    QFETCH(int, bits);
    const std::string s = scheme.toStdString();
    std::vector<float> x(96);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(int(i % 32) - 12) / 7.0f;
    x[0] = 0.0f;
    x[3] = kNaN;
    x[5] = kInf;
    x[7] = -kInf;
    x[40] = kNaN;
    for (std::size_t i = 64; i < 96; ++i) x[i] = (i % 2) ? kNaN : (i % 4 ? kInf : -kInf);
    std::vector<float> zeroed(x);
    for (float& v : zeroed)
      if (!std::isfinite(v)) v = 0.0f;

    const auto r = quant::quantizeNonUniform(s, x, bits, s == "kmeans" ? 0 : 32);
    QCOMPARE(r.nonFinite, std::size_t{3 + 1 + 32});
    QVERIFY(std::isfinite(r.mse));
    for (float v : r.scales) QVERIFY(std::isfinite(v));
    for (float v : r.codebook) QVERIFY(std::isfinite(v));
    for (float v : r.reconstructed) QVERIFY(std::isfinite(v));
    if (s != "kmeans") {
      const auto ref = quant::quantizeNonUniform(s, zeroed, bits, 32);
      QCOMPARE(r.scales, ref.scales);
      COMPARE_EXACT(r.scales[2], 0.0f);  // the all-non-finite block
      for (std::size_t i = 64; i < 96; ++i) COMPARE_EXACT(r.reconstructed[i], 0.0f);
    }
    QCOMPARE(r.codes[3], r.codes[0]);  // NaN codes like 0
    COMPARE_EXACT(r.reconstructed[3], r.reconstructed[0]);
    const auto first = r.reconstructed.begin();
    COMPARE_EXACT(r.reconstructed[5], *std::max_element(first, first + 32));
    COMPARE_EXACT(r.reconstructed[7], *std::min_element(first, first + 32));
  }

  void extremeMagnitudesStayFinite_data() {
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("bits");
    for (const char* sc : {"nf4", "kmeans", "q8_0", "q4_0"})
      QTest::addRow("%s", sc) << QString(sc) << 0;
    for (int b : {2, 3, 8, 16}) QTest::addRow("absmax %d bits", b) << "absmax" << b;
    for (int b : {2, 8}) QTest::addRow("log2 %d bits", b) << "log2" << b;
  }
  void extremeMagnitudesStayFinite() {
    // Near FLT_MAX a scale times a code can round past the largest float, and subnormal scales
    // have reciprocals that overflow; neither may produce Inf / NaN or exceed the input range.
    QFETCH(QString, scheme);
    QFETCH(int, bits);
    const float big = std::numeric_limits<float>::max();
    const float tiny = std::numeric_limits<float>::denorm_min();
    const std::vector<float> x{big,    -big,    big / 3,  -big / 7, 0.0f, 1.0f,
                               tiny,   -tiny,   2 * tiny, 7 * tiny, 0.0f, -3 * tiny,
                               1e-40f, -1e-41f, 3e-39f,   -2e-44f,  0.0f, 1e-45f};
    const std::string sc = scheme.toStdString();
    const int block = (sc == "q8_0" || sc == "q4_0" || sc == "kmeans") ? 0 : 6;
    const auto r = quant::quantizeNonUniform(sc, x, bits, block);
    for (std::size_t i = 0; i < x.size(); ++i) {
      QVERIFY2(std::isfinite(r.reconstructed[i]), qPrintable(QString("value %1").arg(i)));
      QVERIFY(std::fabs(r.reconstructed[i]) <= big);
    }
    for (float v : r.scales) QVERIFY(std::isfinite(v));
    QVERIFY(std::isfinite(r.mse));
  }

  void emptyInput() {
    for (const auto& s : quant::nonUniformSchemeNames()) {
      const auto r = quant::quantizeNonUniform(s, std::span<const float>(), 0, 0);
      QVERIFY(r.reconstructed.empty());
      QVERIFY(r.codes.empty());
      QVERIFY(r.scales.empty());
      COMPARE_EXACT(r.bitsPerWeight, double(r.bits));
      QCOMPARE(r.scheme, s);
    }
  }

  // ------------------------------------------------------------------------------------------
  // k-means

  void kmeansFindsClusters_data() {
    QTest::addColumn<QList<double>>("centers");
    QTest::addColumn<double>("spread");
    QTest::addColumn<int>("perCluster");
    QTest::addRow("spread out") << QList<double>{-10, -3, 2, 9} << 0.5 << 250;
    QTest::addRow("all positive") << QList<double>{1, 2, 3, 4} << 0.1 << 300;
    QTest::addRow("tight, uneven gaps") << QList<double>{-0.02, 0.0, 0.05, 0.4} << 0.002 << 128;
    QTest::addRow("wide range") << QList<double>{-1000, -1, 1, 1000} << 0.3 << 200;
  }
  void kmeansFindsClusters() {
    // With b = 2 and 4 well-separated equal clusters, the centroids are the cluster means and
    // the error beats any uniform 2-bit grid.
    QFETCH(QList<double>, centers);
    QFETCH(double, spread);
    QFETCH(int, perCluster);
    Rng rng(3);
    std::vector<float> x;
    std::vector<double> sums(4, 0.0);
    for (int i = 0; i < perCluster; ++i) {
      for (int c = 0; c < 4; ++c) {
        const float v = float(centers[c] + spread * (2 * rng.uniform() - 1));
        x.push_back(v);
        sums[std::size_t(c)] += v;
      }
    }
    const auto r = quant::quantizeKMeans(x, 2);
    QCOMPARE(r.codebook.size(), std::size_t{4});
    for (std::size_t c = 0; c < 4; ++c) {
      const double mean = sums[c] / perCluster;
      QVERIFY2(
          std::fabs(r.codebook[c] - mean) <= 1e-5 * std::max(1.0, std::fabs(mean)),
          qPrintable(
              QString("centroid %1 = %2, cluster mean %3").arg(c).arg(r.codebook[c]).arg(mean)));
    }
    for (std::size_t i = 0; i < x.size(); ++i) QCOMPARE(r.codes[i], std::int32_t(i % 4));
    // Uniform 2-bit competitors: symmetric absmax (3 levels) and the 4-level min..max grid.
    const auto absmax2 = quant::quantizeBlockAbsmax(x, 2, int(x.size()));
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    const double step = (double(*hi) - *lo) / 3;
    double gridMse = 0;
    for (float v : x) {
      const double q = *lo + step * std::nearbyint((v - *lo) / step);
      gridMse += (v - q) * (v - q);
    }
    gridMse /= double(x.size());
    QVERIFY2(
        r.mse < absmax2.mse && r.mse < gridMse,
        qPrintable(
            QString("kmeans %1, absmax %2, grid %3").arg(r.mse).arg(absmax2.mse).arg(gridMse)));
  }

  void kmeansIsDeterministicAndOrderFree_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<QString>("kind");
    QTest::addRow("1 bit gaussian") << 1 << "gaussian";
    QTest::addRow("3 bit laplace") << 3 << "laplace";
    QTest::addRow("5 bit outliers") << 5 << "outliers";
    QTest::addRow("8 bit uniform") << 8 << "uniform";
  }
  void kmeansIsDeterministicAndOrderFree() {
    QFETCH(int, bits);
    QFETCH(QString, kind);
    auto x = makeData(kind, 4000, 17);
    const auto a = quant::quantizeKMeans(x, bits);
    const auto b = quant::quantizeKMeans(x, bits);
    QCOMPARE(a.codebook, b.codebook);
    QCOMPARE(a.codes, b.codes);
    QVERIFY(std::is_sorted(a.codebook.begin(), a.codebook.end()));
    // Reversed and rotated input: same code book, codes follow the values.
    std::vector<float> y(x.rbegin(), x.rend());
    std::rotate(y.begin(), y.begin() + 123, y.end());
    const auto c = quant::quantizeKMeans(y, bits);
    QCOMPARE(c.codebook, a.codebook);
    for (std::size_t i = 0; i < x.size(); ++i) {
      const std::size_t j = x.size() - 1 - (i + 123) % x.size();
      QCOMPARE(c.codes[i], a.codes[j]);
    }
    // Every value sits at its nearest centroid.
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double err = std::fabs(double(x[i]) - a.reconstructed[i]);
      for (float cen : a.codebook) QVERIFY(err <= std::fabs(double(x[i]) - cen));
    }
  }

  void kmeansConvergesToFixedPoint_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<QString>("kind");
    QTest::addRow("1 bit gaussian") << 1 << "gaussian";
    QTest::addRow("2 bit gaussian") << 2 << "gaussian";
    QTest::addRow("2 bit laplace") << 2 << "laplace";
    QTest::addRow("3 bit uniform") << 3 << "uniform";
  }
  void kmeansConvergesToFixedPoint() {
    // Lloyd ran to convergence: every centroid is the mean of the values assigned to it, and
    // every value is assigned to its nearest centroid.
    QFETCH(int, bits);
    QFETCH(QString, kind);
    const auto x = makeData(kind, 2000, 8);
    const auto r = quant::quantizeKMeans(x, bits);
    std::vector<double> sum(r.codebook.size(), 0.0);
    std::vector<int> count(r.codebook.size(), 0);
    for (std::size_t i = 0; i < x.size(); ++i) {
      sum[std::size_t(r.codes[i])] += x[i];
      ++count[std::size_t(r.codes[i])];
    }
    for (std::size_t j = 0; j < r.codebook.size(); ++j) {
      QVERIFY(count[j] > 0);
      const double mean = sum[j] / count[j];
      QVERIFY2(std::fabs(mean - r.codebook[j]) <= 1e-6 * std::max(1.0, std::fabs(mean)),
               qPrintable(QString("centroid %1 = %2, mean of its values %3")
                              .arg(j)
                              .arg(r.codebook[j])
                              .arg(mean)));
    }
  }

  void kmeansFewDistinctValuesIsExact() {
    const std::vector<float> x{0.5f, -2.0f, 0.5f, 7.0f, -2.0f, 7.0f, 7.0f};
    for (int bits : {2, 4, 8}) {
      const auto r = quant::quantizeKMeans(x, bits);
      COMPARE_EXACT(r.mse, 0.0);
      QCOMPARE(r.reconstructed, x);
      QCOMPARE(int(r.codebook.size()), 1 << bits);
    }
  }

  void kmeansBeatsUniformAtSameBits() {
    // A fitted per-tensor code book should beat a per-tensor uniform grid on skewed data.
    const auto x = makeData("laplace", 8192, 31);
    for (int bits : {2, 3, 4}) {
      const auto km = quant::quantizeKMeans(x, bits);
      const auto uni = quant::quantizeBlockAbsmax(x, bits, int(x.size()));
      QVERIFY2(
          km.mse < uni.mse,
          qPrintable(QString("bits %1: kmeans %2 absmax %3").arg(bits).arg(km.mse).arg(uni.mse)));
    }
  }

  // ------------------------------------------------------------------------------------------
  // log2

  void log2ExactPowersOfTwo_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<float>("scale");
    for (int b = 2; b <= 8; ++b) QTest::addRow("%d bits, scale 4", b) << b << 4.0f;
    QTest::addRow("4 bits, scale 2^-20") << 4 << std::ldexp(1.0f, -20);
  }
  void log2ExactPowersOfTwo() {
    QFETCH(int, bits);
    QFETCH(float, scale);
    const int maxM = (1 << (bits - 1)) - 1;
    std::vector<float> x{0.0f};
    for (int k = 0; k < maxM; ++k) {
      x.push_back(std::ldexp(scale, -k));
      x.push_back(-std::ldexp(scale, -k));
    }
    const auto r = quant::quantizeLog2(x, bits, 0);
    QCOMPARE(r.scales, std::vector<float>{scale});
    QCOMPARE(r.reconstructed, x);
    QCOMPARE(r.codes[0], 0);
    for (int k = 0; k < maxM; ++k) {
      // Layout: m = M - k in the low bits, sign in bit (bits-1).
      QCOMPARE(r.codes[std::size_t(1 + 2 * k)], maxM - k);
      QCOMPARE(r.codes[std::size_t(2 + 2 * k)], (1 << (bits - 1)) | (maxM - k));
    }
    QCOMPARE(int(r.codebook.size()), 2 * maxM + 1);
  }

  void log2NearestInValue_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("blockSize");
    QTest::addRow("3 bit gaussian per tensor") << 3 << "gaussian" << 0;
    QTest::addRow("4 bit laplace block 64") << 4 << "laplace" << 64;
    QTest::addRow("5 bit outliers block 50") << 5 << "outliers" << 50;
    QTest::addRow("2 bit uniform block 8") << 2 << "uniform" << 8;
  }
  void log2NearestInValue() {
    QFETCH(int, bits);
    QFETCH(QString, kind);
    QFETCH(int, blockSize);
    const auto x = makeData(kind, 3000, 23);
    const auto r = quant::quantizeLog2(x, bits, blockSize);
    const int maxM = (1 << (bits - 1)) - 1;
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double s = r.scales[blockSize ? i / std::size_t(blockSize) : 0];
      double best = std::fabs(double(x[i]));  // distance to 0
      for (int k = 0; k < maxM; ++k)
        best = std::min(best, std::fabs(std::fabs(double(x[i])) - std::ldexp(s, -k)));
      QVERIFY(std::fabs(double(x[i]) - r.reconstructed[i]) <= best * (1 + 1e-12));
      QVERIFY(r.reconstructed[i] == 0.0f || std::signbit(r.reconstructed[i]) == std::signbit(x[i]));
    }
  }

  void log2TiesGoToSmallerMagnitude() {
    // Scale 1 (4 bits: magnitudes 1, 1/2, ..., 1/64 and 0). 0.75 lies halfway between 1/2 and 1.
    const std::vector<float> x{1.0f, 0.75f, -0.375f, 1.0f / 128, 0.76f, -1.5f / 128};
    const auto r = quant::quantizeLog2(x, 4, 0);
    const std::vector<float> want{1.0f, 0.5f, -0.25f, 0.0f, 1.0f, -1.0f / 64};
    QCOMPARE(r.reconstructed, want);
    // Codes: m = 7 + log2(magnitude), sign in bit 3.
    QCOMPARE(r.codes, (std::vector<std::int32_t>{7, 6, 8 | 5, 0, 7, 8 | 1}));
    // A negative value that rounds to zero gets the plain zero code, never "negative zero".
    const std::vector<float> tiny{1.0f, -1.0f / 256, -0.0f};
    const auto z = quant::quantizeLog2(tiny, 4, 0);
    QCOMPARE(z.codes, (std::vector<std::int32_t>{7, 0, 0}));
    QVERIFY(!std::signbit(z.reconstructed[1]));
  }

  // ------------------------------------------------------------------------------------------
  // dispatcher

  void dispatcherRejectsBadParameters_data() {
    QTest::addColumn<QString>("scheme");
    QTest::addColumn<int>("bits");
    QTest::addColumn<int>("blockSize");
    QTest::addRow("unknown scheme") << "q5_k" << 0 << 0;
    QTest::addRow("nf4 with 3 bits") << "nf4" << 3 << 64;
    QTest::addRow("negative block") << "nf4" << 0 << -1;
    QTest::addRow("kmeans 0 bits") << "kmeans" << -1 << 0;
    QTest::addRow("kmeans 9 bits") << "kmeans" << 9 << 0;
    QTest::addRow("kmeans with blocks") << "kmeans" << 4 << 64;
    QTest::addRow("absmax 1 bit") << "absmax" << 1 << 64;
    QTest::addRow("absmax 17 bits") << "absmax" << 17 << 64;
    QTest::addRow("log2 1 bit") << "log2" << 1 << 0;
    QTest::addRow("log2 9 bits") << "log2" << 9 << 0;
    QTest::addRow("q8_0 block 64") << "q8_0" << 0 << 64;
    QTest::addRow("q8_0 4 bits") << "q8_0" << 4 << 32;
    QTest::addRow("q4_0 8 bits") << "q4_0" << 8 << 0;
  }
  void dispatcherRejectsBadParameters() {
    QFETCH(QString, scheme);
    QFETCH(int, bits);
    QFETCH(int, blockSize);
    const std::vector<float> x{1, 2, 3};
    QVERIFY_THROWS_EXCEPTION(quant::Error,
                             quant::quantizeNonUniform(scheme.toStdString(), x, bits, blockSize));
  }

  void dispatcherAcceptsEveryName() {
    const auto x = makeData("gaussian", 200, 1);
    for (const auto& s : quant::nonUniformSchemeNames()) {
      const auto r = quant::quantizeNonUniform(s, x, 0, 0);
      QCOMPARE(r.scheme, s);
      QVERIFY(r.mse > 0 && r.mse < 1.0);
      QVERIFY(r.bitsPerWeight > r.bits);
    }
    QCOMPARE(quant::quantizeNonUniform("NF4", x).scheme, std::string("nf4"));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::quantizeNF4(x, 0));
    // An unknown name is reported as such (listing the known ones), even with other bad values.
    try {
      quant::quantizeNonUniform("Q5_K", x, 99, -3);
      QFAIL("no exception");
    } catch (const quant::Error& e) {
      const std::string msg = e.what();
      QVERIFY2(msg.find("unknown") != std::string::npos && msg.find("q4_0") != std::string::npos,
               e.what());
    }
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::quantizeKMeans(x, 2, 0));
  }
};

QTEST_GUILESS_MAIN(TestNonUniform)
#include "tst_nonuniform.moc"
