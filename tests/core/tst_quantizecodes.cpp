// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of fakequant::quantizeCodes (quant/kernels/fakequant.h), the int8 input quantization:
// every kernel this CPU has equals the scalar specification codeOne bit for bit, and codeOne
// equals quantizeValue(x, scale, zero, -128, 127), over random data of all magnitudes, ties and
// their float neighbours, NaN, infinities, signed zeros, denormals and FLT_MAX, for lengths
// around the vector widths and unaligned starts, and for several scales and zero points.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <random>
#include <vector>

#include "quant/kernels/fakequant.h"
#include "quant/numeric/quantize.h"

namespace cpu = quant::cpu;
namespace fq = quant::fakequant;

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// Inputs for one scale: exact ties (k + 0.5) * scale with both float neighbours, integers,
// specials, and random floats spanning the clamp range and far beyond, shuffled so the specials
// land in vector bodies and tails alike.
std::vector<float> inputs(float scale, std::mt19937& rng) {
  std::vector<float> x;
  for (int k = -300; k <= 300; ++k) {
    const float tie = (static_cast<float>(k) + 0.5f) * scale;
    x.insert(x.end(), {tie, std::nextafter(tie, kInf), std::nextafter(tie, -kInf),
                       static_cast<float>(k) * scale});
  }
  const float specials[] = {kNaN,
                            -kNaN,
                            kInf,
                            -kInf,
                            0.0f,
                            -0.0f,
                            std::numeric_limits<float>::max(),
                            -std::numeric_limits<float>::max(),
                            std::numeric_limits<float>::denorm_min(),
                            -std::numeric_limits<float>::denorm_min(),
                            1e-40f,
                            -1e-40f,
                            std::numeric_limits<float>::min(),
                            1e30f,
                            -1e30f};
  for (int rep = 0; rep < 8; ++rep) x.insert(x.end(), std::begin(specials), std::end(specials));
  std::uniform_real_distribution<float> near(-400.0f, 400.0f);
  std::uniform_int_distribution<int> exponent(-149, 127);
  std::uniform_real_distribution<float> mantissa(-2.0f, 2.0f);
  for (int i = 0; i < 4000; ++i) {
    x.push_back(near(rng) * scale);
    x.push_back(std::ldexp(mantissa(rng), exponent(rng)));
  }
  std::shuffle(x.begin(), x.end(), rng);
  return x;
}

QString describe(float x, float scale, int zero, int got, int want) {
  return QString("x = %1, scale = %2, zero = %3: %4, expected %5")
      .arg(double(x), 0, 'g', 9)
      .arg(double(scale), 0, 'g', 9)
      .arg(zero)
      .arg(got)
      .arg(want);
}

}  // namespace

class TestQuantizeCodes : public QObject {
  Q_OBJECT

 private slots:
  // codeOne is the specification; it is quantizeValue's formula for int8 codes.
  void specMatchesQuantizeValue() {
    std::mt19937 rng(7);
    for (const float scale : {1.0f, 0.25f, 0.1f, 0.0123f, 3.5f}) {
      const std::vector<float> x = inputs(scale, rng);
      for (const int zero : {-128, -37, 0, 1, 127, -200, 300}) {
        const fq::CodeParams p(scale, zero);
        for (const float v : x) {
          const int got = fq::codeOne(v, p);
          const int want = quant::quantizeValue(v, scale, zero, -128, 127);
          if (got != want) QFAIL(qPrintable(describe(v, scale, zero, got, want)));
        }
      }
    }
  }

  void kernelMatchesSpec_data() {
    QTest::addColumn<int>("isa");
    for (const cpu::Isa isa : {cpu::Isa::Reference, cpu::Isa::Sse2, cpu::Isa::Avx2})
      QTest::addRow("%s", cpu::isaName(isa)) << static_cast<int>(isa);
  }
  void kernelMatchesSpec() {
    QFETCH(int, isa);
    const auto level = static_cast<cpu::Isa>(isa);
    if (!cpu::isaSupported(level))
      QSKIP(qPrintable(QString("this CPU cannot run %1").arg(cpu::isaName(level))));
    QCOMPARE(fq::kernelIsa(level), level);
    std::mt19937 rng(11);
    const float scales[] = {1.0f,  0.25f,  0.0078125f, 0.1f, 0.0123f, 1e-30f,
                            1e30f, 1e-40f, -0.5f,      0.0f, kInf,    kNaN};
    const int zeros[] = {-128, -1, 0, 1, 42, 127, -200, 300, 5'000'000, -5'000'000};
    // Lengths around 4 vectors of 4 (SSE2) and 8 (AVX2) floats, and longer runs.
    const std::size_t lengths[] = {0, 1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 1027};
    for (const float scale : scales) {
      const std::vector<float> x = inputs(std::isfinite(scale) && scale != 0 ? scale : 1.0f, rng);
      for (const int zero : zeros) {
        const fq::CodeParams p(scale, zero);
        std::vector<std::int8_t> got(x.size());
        fq::quantizeCodes(level, x.data(), got.data(), x.size(), scale, zero);
        for (std::size_t i = 0; i < x.size(); ++i) {
          const int want = fq::codeOne(x[i], p);
          if (got[i] != want) QFAIL(qPrintable(describe(x[i], scale, zero, got[i], want)));
        }
        // Short runs at unaligned starts; the bytes past n stay untouched.
        for (const std::size_t n : lengths) {
          for (const std::size_t start : {std::size_t{0}, std::size_t{1}, std::size_t{3}}) {
            std::vector<std::int8_t> part(n + 1, 0x55);
            fq::quantizeCodes(level, x.data() + start, part.data(), n, scale, zero);
            for (std::size_t i = 0; i < n; ++i) {
              const int want = fq::codeOne(x[start + i], p);
              if (part[i] != want)
                QFAIL(qPrintable(describe(x[start + i], scale, zero, part[i], want) +
                                 QString(" (n = %1, start = %2)").arg(n).arg(start)));
            }
            QCOMPARE(part[n], std::int8_t{0x55});
          }
        }
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestQuantizeCodes)
#include "tst_quantizecodes.moc"
