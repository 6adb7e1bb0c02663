// SPDX-License-Identifier: GPL-3.0-or-later
// Number formats: exhaustive property tests over every pattern of every format of <= 16 bits,
// hardware oracles (x86 F16C for fp16, integer RNE for bf16, the compiler's float for fp32),
// and the published constants of each format.
// Over 700 lines: one exhaustive property test per format family and one table of published
// constants per format (fp32, fp16, bf16, E4M3FN, E5M2, toy ExMy) are kept in one program.
#include <QtTest>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>

#include "quant/base/tensor.h"
#include "quant/numeric/formats.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#define QUANTLAB_HAVE_X86 1

namespace {
// Only called after __builtin_cpu_supports("f16c") said yes.
__attribute__((target("f16c"))) std::uint16_t f16cFromFloat(float f) {
  const __m128i h = _mm_cvtps_ph(_mm_set_ss(f), _MM_FROUND_TO_NEAREST_INT);
  return static_cast<std::uint16_t>(_mm_cvtsi128_si32(h) & 0xFFFF);
}
__attribute__((target("f16c"))) float f16cToFloat(std::uint16_t h) {
  return _mm_cvtss_f32(_mm_cvtph_ps(_mm_cvtsi32_si128(h)));
}
// __builtin_cpu_supports("f16c") is what we mean, but clang 14 does not know that feature
// name, so ask CPUID directly. F16C is VEX-encoded: it also needs the OS to save AVX state.
bool haveF16C() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
  const bool f16c = (ecx >> 29) & 1u, osxsave = (ecx >> 27) & 1u, avx = (ecx >> 28) & 1u;
  if (!f16c || !osxsave || !avx) return false;
  unsigned xcr0lo = 0, xcr0hi = 0;
  __asm__ volatile("xgetbv" : "=a"(xcr0lo), "=d"(xcr0hi) : "c"(0u));
  return (xcr0lo & 6u) == 6u;  // XMM and YMM state enabled
}
}  // namespace
#endif

using quant::FloatClass;
using quant::FloatFormat;
using quant::IntFormat;
using quant::Overflow;

Q_DECLARE_METATYPE(quant::FloatClass)
Q_DECLARE_METATYPE(quant::Overflow)

// QVERIFY2 builds its message even when the check passes; in the million-iteration loops only
// build it on failure.
#define VERIFY_LAZY(cond, msg)                    \
  do {                                            \
    if (!(cond)) QFAIL(qPrintable(QString(msg))); \
  } while (false)

namespace {

FloatFormat fmt(const QString& name) { return FloatFormat::byName(name.toStdString()); }

QString hex(std::uint32_t v) { return QStringLiteral("0x%1").arg(v, 0, 16); }

float floatFromBits(std::uint32_t b) { return std::bit_cast<float>(b); }
std::uint32_t bitsFromFloat(float f) { return std::bit_cast<std::uint32_t>(f); }

// Every fp32 pattern the fp16 comparison uses: random bits plus the hard cases.
std::vector<float> fp16Sample() {
  std::vector<float> v;
  std::mt19937 rng(12345);
  for (int i = 0; i < 2'500'000; ++i) v.push_back(floatFromBits(static_cast<std::uint32_t>(rng())));
  // Random values concentrated in fp16's range (|x| < 2^17) where the rounding happens.
  std::uniform_int_distribution<std::uint32_t> nearRange(0x32000000u, 0x48000000u);
  for (int i = 0; i < 500'000; ++i) {
    const std::uint32_t b = nearRange(rng) | (rng() & 0x80000000u);
    v.push_back(floatFromBits(b));
  }
  // Every midpoint between neighbouring fp16 values (exact in fp32: 12 significant bits), the
  // top one being 65520 between 65504 and the would-be 65536, and one fp32 ulp either side.
  const FloatFormat h = FloatFormat::fp16();
  for (std::uint32_t b = 0; b <= 0x7BFF; ++b) {
    const double lo = quant::decodeValue(h, b);
    const double hi = b == 0x7BFF ? 65536.0 : quant::decodeValue(h, b + 1);
    const auto mid = static_cast<float>((lo + hi) / 2);
    for (float m : {mid, std::nextafter(mid, 0.0f), std::nextafter(mid, 1e30f)}) {
      v.push_back(m);
      v.push_back(-m);
    }
  }
  // Runs of consecutive fp32 patterns around the interesting places.
  for (float centre : {0x1p-25f, 0x1p-24f, 0x3p-25f, 0x1p-14f, 1.0f, 65504.0f, 65520.0f, 65536.0f,
                       std::numeric_limits<float>::infinity()}) {
    const std::uint32_t c = bitsFromFloat(centre);
    for (std::uint32_t b = c - 3000; b <= c + 3000; ++b) {
      v.push_back(floatFromBits(b));
      v.push_back(-floatFromBits(b));
    }
  }
  for (std::uint32_t b = 0; b < 3000; ++b) v.push_back(floatFromBits(b));  // fp32 subnormals
  return v;
}

}  // namespace

class TestFormats : public QObject {
  Q_OBJECT
 private slots:
  // ---------------------------------------------------------------------------------------
  // Every pattern of every small format.
  void exhaustive_data() {
    QTest::addColumn<QString>("name");
    for (const char* n : {"fp16", "bf16", "e4m3fn", "e5m2", "fp4e2m1", "e3m2", "e2m1", "e2m3",
                          "e3m4", "e5m0", "e1m2", "e1m1", "e4m3ieee", "e8m0", "e6m9", "e2m0"}) {
      QTest::addRow("%s", n) << QString(n);
    }
  }
  void exhaustive() {
    QFETCH(QString, name);
    const FloatFormat f = fmt(name);
    const std::vector<std::uint32_t> patterns = quant::allPatterns(f);
    QCOMPARE(patterns.size(), std::size_t{1} << f.totalBits());
    const double minNormal = std::ldexp(1.0, 1 - f.bias);  // even where no normal exists
    std::vector<double> value(patterns.size());
    std::size_t nonNan = 0;
    for (std::uint32_t b : patterns) {
      const quant::Decoded d = quant::decode(f, b);
      value[b] = d.value;
      const double a = std::fabs(d.value);
      QCOMPARE(d.bits, b);
      // The class agrees with the value.
      switch (d.cls) {
        case FloatClass::NaN:
          VERIFY_LAZY(std::isnan(d.value), qPrintable(hex(b)));
          break;
        case FloatClass::Infinity:
          VERIFY_LAZY(std::isinf(d.value), qPrintable(hex(b)));
          break;
        case FloatClass::Zero:
          VERIFY_LAZY(d.value == 0, qPrintable(hex(b)));
          break;
        case FloatClass::Subnormal:
          VERIFY_LAZY(a > 0 && a < minNormal && d.implicitBit == 0, qPrintable(hex(b)));
          break;
        case FloatClass::Normal:
          VERIFY_LAZY(a >= minNormal && std::isfinite(a) && d.implicitBit == 1, qPrintable(hex(b)));
          break;
      }
      QCOMPARE(d.cls == FloatClass::NaN, quant::classify(f, b) == FloatClass::NaN);
      if (d.cls == FloatClass::NaN) {
        QVERIFY(!d.nextBits && !d.prevBits);
        QCOMPARE(d.exact, std::string("nan"));
        continue;
      }
      ++nonNan;
      QCOMPARE(std::signbit(d.value) ? 1 : 0, d.sign);
      if (std::isfinite(d.value)) {
        // The fields alone give the value: (-1)^s * (implicit + mantissa / 2^M) * 2^exponent.
        const double fromFields =
            (d.sign ? -1.0 : 1.0) *
            std::ldexp(d.implicitBit + std::ldexp(double(d.mantissaField), -f.mantissaBits),
                       d.exponent);
        VERIFY_LAZY(fromFields == d.value, qPrintable(hex(b)));
        // The exact decimal is the value (strtod rounds correctly, and the value is a double),
        // written without trailing zeros.
        VERIFY_LAZY(std::strtod(d.exact.c_str(), nullptr) == d.value,
                    qPrintable(hex(b) + " " + QString::fromStdString(d.exact)));
        VERIFY_LAZY(d.exact.find('.') == std::string::npos ||
                        (d.exact.back() != '0' && d.exact.back() != '.'),
                    qPrintable(QString::fromStdString(d.exact)));
        QVERIFY(d.gap > 0);
      }
      // Decode then encode gives the pattern back, exactly and without flags.
      const quant::Encoded e = quant::encode(f, d.value);
      VERIFY_LAZY(e.bits == b, qPrintable(hex(b) + " -> " + hex(e.bits)));
      QCOMPARE(e.flags, quant::EncodeFlags{});
      QCOMPARE(e.absError, 0.0);
      // Neighbours are strictly ordered (nextUp(+inf) = +inf aside).
      if (d.nextBits) {
        const double n = quant::decodeValue(f, *d.nextBits);
        QCOMPARE(n, d.next);
        VERIFY_LAZY(n > d.value || (std::isinf(n) && n == d.value), qPrintable(hex(b)));
      } else {
        VERIFY_LAZY(!f.hasInfinity && d.value == f.maxFinite(), qPrintable(hex(b)));
      }
      if (d.prevBits) {
        VERIFY_LAZY(d.prev < d.value || (std::isinf(d.prev) && d.prev == d.value),
                    qPrintable(hex(b)));
      }
    }
    // nextUp and nextDown are inverse: nextDown(nextUp(x)) == x as values (+-0 alike).
    for (std::uint32_t b : patterns) {
      if (std::isnan(value[b]) || std::isinf(value[b])) continue;
      const quant::Decoded d = quant::decode(f, b);
      if (d.nextBits && !std::isinf(d.next)) {
        VERIFY_LAZY(quant::decode(f, *d.nextBits).prev == value[b], qPrintable(hex(b)));
      }
      // The gap is the distance to the next value away from zero.
      const std::optional<std::uint32_t> away = d.sign ? d.prevBits : d.nextBits;
      if (away && std::isfinite(value[*away])) {
        VERIFY_LAZY(std::fabs(value[*away]) - std::fabs(value[b]) == d.gap, qPrintable(hex(b)));
      }
    }
    // Walking with nextUp from the bottom visits every non-NaN value once, in increasing order
    // (+0 is skipped: nextUp(-0) is the smallest subnormal).
    std::uint32_t cur =
        f.hasInfinity ? (f.signMask() | f.infinityBits()) : (f.signMask() | f.maxFiniteBits());
    std::size_t visited = 1;
    for (;;) {
      const quant::Decoded d = quant::decode(f, cur);
      if (!d.nextBits || *d.nextBits == cur) break;
      VERIFY_LAZY(value[*d.nextBits] > value[cur], qPrintable(hex(cur)));
      cur = *d.nextBits;
      ++visited;
    }
    QCOMPARE(visited, nonNan - 1);
    QCOMPARE(value[cur], f.hasInfinity ? std::numeric_limits<double>::infinity() : f.maxFinite());

    // Ties to even between every pair of neighbouring finite values, and just off the tie.
    for (std::uint32_t b = 0; b < f.maxFiniteBits(); ++b) {
      for (std::uint32_t sign : {0u, f.signMask()}) {
        const double lo = value[sign | b], hi = value[sign | (b + 1)];
        const double mid = (lo + hi) / 2;  // exact: a few more bits than the format has
        const std::uint32_t even = (b % 2 == 0) ? b : b + 1;
        VERIFY_LAZY(quant::encode(f, mid).bits == (sign | even), qPrintable(hex(sign | b)));
        VERIFY_LAZY(quant::encode(f, std::nextafter(mid, 0.0)).bits == (sign | b),
                    qPrintable(hex(sign | b)));
        VERIFY_LAZY(
            quant::encode(f, std::nextafter(mid, sign ? -1e300 : 1e300)).bits == (sign | (b + 1)),
            qPrintable(hex(sign | b)));
      }
    }
    // Overflow threshold: max + gap(max)/2 is a tie between max and the next (unrepresentable)
    // value; it overflows exactly when max's mantissa is odd, and anything below it does not.
    const double max = f.maxFinite();
    const double threshold = max + quant::decode(f, f.maxFiniteBits()).gap / 2;
    const bool maxIsOdd = (f.maxFiniteBits() & 1) != 0;
    QCOMPARE(quant::encode(f, threshold).flags.overflowed, maxIsOdd);
    const quant::Encoded below = quant::encode(f, std::nextafter(threshold, 0.0));
    QCOMPARE(below.flags.overflowed, false);
    QCOMPARE(below.bits, f.maxFiniteBits());
    QCOMPARE(quant::encode(f, std::nextafter(threshold, 1e300)).flags.overflowed, true);
    QCOMPARE(quant::encode(f, threshold, Overflow::Saturate).value, max);
  }

  // ---------------------------------------------------------------------------------------
  // Hardware and formula oracles.
  void fp16DecodeMatchesF16C() {
#ifdef QUANTLAB_HAVE_X86
    if (!haveF16C()) QSKIP("CPU has no F16C");
    const FloatFormat h = FloatFormat::fp16();
    for (std::uint32_t b = 0; b < 0x10000; ++b) {
      const float hw = f16cToFloat(static_cast<std::uint16_t>(b));
      const double v = quant::decodeValue(h, b);
      if (std::isnan(hw)) {
        VERIFY_LAZY(std::isnan(v), qPrintable(hex(b)));
      } else {
        VERIFY_LAZY(v == double(hw) && std::signbit(v) == std::signbit(hw), qPrintable(hex(b)));
      }
    }
#else
    QSKIP("not an x86 CPU");
#endif
  }

  void fp32ToFp16MatchesF16C() {
#ifdef QUANTLAB_HAVE_X86
    if (!haveF16C()) QSKIP("CPU has no F16C");
    const FloatFormat h = FloatFormat::fp16();
    const std::vector<float> sample = fp16Sample();
    std::size_t nans = 0;
    for (float x : sample) {
      const std::uint16_t hw = f16cFromFloat(x);
      const quant::Encoded e = quant::encode(h, double(x));
      if (std::isnan(x)) {
        ++nans;
        VERIFY_LAZY(quant::classify(h, e.bits) == FloatClass::NaN &&
                        quant::classify(h, hw) == FloatClass::NaN,
                    qPrintable(hex(bitsFromFloat(x))));
        continue;
      }
      VERIFY_LAZY(e.bits == hw, qPrintable(QStringLiteral("fp32 %1 (%2): ours %3, F16C %4")
                                               .arg(hex(bitsFromFloat(x)))
                                               .arg(double(x), 0, 'g', 17)
                                               .arg(hex(e.bits), hex(hw))));
    }
    QVERIFY(sample.size() > 3'000'000);
    QVERIFY(nans > 1000);  // the random part hits NaN patterns too
#else
    QSKIP("not an x86 CPU");
#endif
  }

  void fp32ToBf16MatchesIntegerRne() {
    const FloatFormat bf = FloatFormat::bf16();
    std::mt19937 rng(777);
    std::size_t checked = 0, ties = 0;
    for (int i = 0; i < 3'000'000; ++i) {
      std::uint32_t b = static_cast<std::uint32_t>(rng());
      if (i % 4 == 1) b = (b & 0xFFFF0000u) | 0x8000u;              // exact ties
      if (i % 4 == 2) b = (b & 0xFFFF0000u) | (0x7FFFu + (b & 2));  // just off the tie
      const float x = floatFromBits(b);
      if (std::isnan(x)) continue;
      const auto expected =
          static_cast<std::uint32_t>((std::uint64_t{b} + 0x7FFFu + ((b >> 16) & 1u)) >> 16);
      const std::uint32_t ours = quant::encode(bf, double(x)).bits;
      VERIFY_LAZY(ours == expected, qPrintable(QStringLiteral("fp32 %1: ours %2, formula %3")
                                                   .arg(hex(b), hex(ours), hex(expected))));
      ++checked;
      ties += (b & 0xFFFFu) == 0x8000u;
    }
    QVERIFY(checked > 2'900'000);
    QVERIFY(ties > 700'000);
  }

  void bf16DecodeIsTopHalfOfFp32() {
    const FloatFormat bf = FloatFormat::bf16();
    for (std::uint32_t b = 0; b < 0x10000; ++b) {
      const float x = floatFromBits(b << 16);
      const double v = quant::decodeValue(bf, b);
      if (std::isnan(x)) {
        VERIFY_LAZY(std::isnan(v), qPrintable(hex(b)));
      } else {
        VERIFY_LAZY(v == double(x) && std::signbit(v) == std::signbit(x), qPrintable(hex(b)));
      }
    }
  }

  void fp32MatchesTheCompilersFloat() {
    const FloatFormat f = FloatFormat::fp32();
    std::mt19937 rng(4242);
    for (int i = 0; i < 1'000'000; ++i) {
      const auto b = static_cast<std::uint32_t>(rng());
      const float x = floatFromBits(b);
      const double v = quant::decodeValue(f, b);
      if (std::isnan(x)) {
        QVERIFY(std::isnan(v));
        continue;
      }
      VERIFY_LAZY(v == double(x) && std::signbit(v) == std::signbit(x), qPrintable(hex(b)));
      VERIFY_LAZY(quant::encode(f, v).bits == b, qPrintable(hex(b)));
      // Rounding a double to fp32 is what the compiler's double -> float conversion does.
      const double y = v * (1.0 + std::ldexp(double(rng() % 4096), -40));
      // (Out-of-range double -> float conversion would be undefined behaviour.)
      if (std::fabs(y) <= double(std::numeric_limits<float>::max())) {
        const float yf = static_cast<float>(y);
        VERIFY_LAZY(quant::encode(f, y).bits == bitsFromFloat(yf), qPrintable(hex(b)));
      }
      if (i % 50 == 0) {
        const std::string s = quant::exactDecimal(f, b);
        VERIFY_LAZY(std::strtod(s.c_str(), nullptr) == v, s.c_str());
      }
    }
  }

  // ---------------------------------------------------------------------------------------
  // Published constants.
  void constants_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("maxFinite");
    QTest::addColumn<double>("minNormal");
    QTest::addColumn<double>("minSubnormal");
    QTest::addColumn<uint>("maxBits");
    QTest::addColumn<int>("totalBits");
    QTest::addRow("fp32") << "fp32" << 3.4028234663852886e38 << 0x1p-126 << 0x1p-149 << 0x7F7FFFFFu
                          << 32;
    QTest::addRow("fp16") << "fp16" << 65504.0 << 6.103515625e-05 << 5.9604644775390625e-08
                          << 0x7BFFu << 16;
    QTest::addRow("bf16") << "bf16" << 3.3895313892515355e38 << 0x1p-126 << 0x1p-133 << 0x7F7Fu
                          << 16;
    QTest::addRow("e4m3fn") << "e4m3fn" << 448.0 << 0x1p-6 << 0x1p-9 << 0x7Eu << 8;
    QTest::addRow("e5m2") << "e5m2" << 57344.0 << 0x1p-14 << 0x1p-16 << 0x7Bu << 8;
    QTest::addRow("fp4e2m1") << "fp4e2m1" << 6.0 << 1.0 << 0.5 << 0x7u << 4;
    QTest::addRow("e3m2 (bias 3)") << "e3m2" << 14.0 << 0.25 << 0.0625 << 0x1Bu << 6;
    QTest::addRow("e4m3ieee (bias 7)") << "e4m3ieee" << 240.0 << 0x1p-6 << 0x1p-9 << 0x77u << 8;
    QTest::addRow("e5m0 (bias 15)") << "e5m0" << 32768.0 << 0x1p-14 << 0x1p-14 << 0x1Eu << 6;
  }
  void constants() {
    QFETCH(QString, name);
    QFETCH(double, maxFinite);
    QFETCH(double, minNormal);
    QFETCH(double, minSubnormal);
    QFETCH(uint, maxBits);
    QFETCH(int, totalBits);
    const FloatFormat f = fmt(name);
    QCOMPARE(f.maxFinite(), maxFinite);
    QCOMPARE(f.minNormal(), minNormal);
    QCOMPARE(f.minSubnormal(), minSubnormal);
    QCOMPARE(f.maxFiniteBits(), maxBits);
    QCOMPARE(f.totalBits(), totalBits);
    QCOMPARE(quant::decodeValue(f, maxBits), maxFinite);
    QCOMPARE(quant::decodeValue(f, 1), minSubnormal);
  }
  void constantsAgreeWithNumericLimits() {
    const FloatFormat f = FloatFormat::fp32();
    QCOMPARE(f.maxFinite(), double(std::numeric_limits<float>::max()));
    QCOMPARE(f.minNormal(), double(std::numeric_limits<float>::min()));
    QCOMPARE(f.minSubnormal(), double(std::numeric_limits<float>::denorm_min()));
    QCOMPARE(f.epsilon(), double(std::numeric_limits<float>::epsilon()));
    QCOMPARE(FloatFormat::fp16().epsilon(), 0x1p-10);
    // An E=1 format has no normal numbers at all.
    QVERIFY(std::isnan(FloatFormat::custom(1, 2).minNormal()));
    QCOMPARE(FloatFormat::custom(1, 2).maxFinite(), 1.5);
  }

  void specialPatterns_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<uint>("bits");
    QTest::addColumn<FloatClass>("cls");
    QTest::addColumn<double>("value");
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QTest::addRow("e4m3fn NaN 0x7F") << "e4m3fn" << 0x7Fu << FloatClass::NaN << nan;
    QTest::addRow("e4m3fn NaN 0xFF") << "e4m3fn" << 0xFFu << FloatClass::NaN << nan;
    QTest::addRow("e4m3fn 0x7E = 448") << "e4m3fn" << 0x7Eu << FloatClass::Normal << 448.0;
    QTest::addRow("e4m3fn 0x78 = 256 (exp 1111 is normal)")
        << "e4m3fn" << 0x78u << FloatClass::Normal << 256.0;
    QTest::addRow("e4m3fn 0xFE = -448") << "e4m3fn" << 0xFEu << FloatClass::Normal << -448.0;
    QTest::addRow("e4m3fn 0x01") << "e4m3fn" << 0x01u << FloatClass::Subnormal << 0x1p-9;
    QTest::addRow("e4m3fn 0x08") << "e4m3fn" << 0x08u << FloatClass::Normal << 0x1p-6;
    QTest::addRow("e4m3fn 0x80 = -0") << "e4m3fn" << 0x80u << FloatClass::Zero << -0.0;
    QTest::addRow("e5m2 +inf 0x7C") << "e5m2" << 0x7Cu << FloatClass::Infinity << inf;
    QTest::addRow("e5m2 -inf 0xFC") << "e5m2" << 0xFCu << FloatClass::Infinity << -inf;
    QTest::addRow("e5m2 NaN 0x7D") << "e5m2" << 0x7Du << FloatClass::NaN << nan;
    QTest::addRow("e5m2 NaN 0x7E") << "e5m2" << 0x7Eu << FloatClass::NaN << nan;
    QTest::addRow("e5m2 NaN 0x7F") << "e5m2" << 0x7Fu << FloatClass::NaN << nan;
    QTest::addRow("e5m2 0x7B = 57344") << "e5m2" << 0x7Bu << FloatClass::Normal << 57344.0;
    QTest::addRow("fp16 +inf") << "fp16" << 0x7C00u << FloatClass::Infinity << inf;
    QTest::addRow("fp16 qNaN") << "fp16" << 0x7E00u << FloatClass::NaN << nan;
    QTest::addRow("fp16 sNaN") << "fp16" << 0x7C01u << FloatClass::NaN << nan;
    QTest::addRow("fp16 1") << "fp16" << 0x3C00u << FloatClass::Normal << 1.0;
    QTest::addRow("fp16 -2") << "fp16" << 0xC000u << FloatClass::Normal << -2.0;
    QTest::addRow("fp16 max subnormal")
        << "fp16" << 0x03FFu << FloatClass::Subnormal << 1023 * 0x1p-24;
    QTest::addRow("fp16 -0") << "fp16" << 0x8000u << FloatClass::Zero << -0.0;
    QTest::addRow("bf16 1") << "bf16" << 0x3F80u << FloatClass::Normal << 1.0;
    QTest::addRow("bf16 +inf") << "bf16" << 0x7F80u << FloatClass::Infinity << inf;
    QTest::addRow("fp4 0x7 = 6") << "fp4" << 0x7u << FloatClass::Normal << 6.0;
    QTest::addRow("fp4 0xF = -6") << "fp4" << 0xFu << FloatClass::Normal << -6.0;
    QTest::addRow("fp4 0x1 = 0.5") << "fp4" << 0x1u << FloatClass::Subnormal << 0.5;
    QTest::addRow("e5m0 0x1F = inf (no NaN)") << "e5m0" << 0x1Fu << FloatClass::Infinity << inf;
    QTest::addRow("e1m2 0x3 = 1.5") << "e1m2" << 0x3u << FloatClass::Subnormal << 1.5;
    QTest::addRow("e1m2 0x4 = inf") << "e1m2" << 0x4u << FloatClass::Infinity << inf;
  }
  void specialPatterns() {
    QFETCH(QString, name);
    QFETCH(uint, bits);
    QFETCH(FloatClass, cls);
    QFETCH(double, value);
    const quant::Decoded d = quant::decode(fmt(name), bits);
    QCOMPARE(d.cls, cls);
    if (std::isnan(value)) {
      QVERIFY(std::isnan(d.value));
    } else {
      QCOMPARE(d.value, value);
      QCOMPARE(std::signbit(d.value), std::signbit(value));
    }
  }

  void specialValueSupport() {
    const FloatFormat e4 = FloatFormat::fp8e4m3fn();
    QVERIFY(!e4.hasInfinity);
    QVERIFY(e4.hasNan());
    QCOMPARE(e4.canonicalNanBits(), 0x7Fu);
    QVERIFY_THROWS_EXCEPTION(quant::Error, e4.infinityBits());
    QCOMPARE(FloatFormat::fp8e5m2().infinityBits(), 0x7Cu);
    QCOMPARE(FloatFormat::fp8e5m2().canonicalNanBits(), 0x7Eu);
    QCOMPARE(FloatFormat::fp16().canonicalNanBits(), 0x7E00u);
    QCOMPARE(FloatFormat::fp32().canonicalNanBits(), 0x7FC00000u);
    QCOMPARE(FloatFormat::bf16().canonicalNanBits(), 0x7FC0u);
    const FloatFormat e5m0 = FloatFormat::custom(5, 0);
    QVERIFY(!e5m0.hasNan());
    QVERIFY_THROWS_EXCEPTION(quant::Error, e5m0.canonicalNanBits());
    const FloatFormat fp4 = FloatFormat::fp4e2m1();
    QVERIFY(!fp4.hasNan() && !fp4.hasInfinity);
    // NaN inputs: the canonical NaN, or an error for formats that cannot hold one.
    const double nan = std::numeric_limits<double>::quiet_NaN();
    QCOMPARE(quant::encode(FloatFormat::fp16(), nan).bits, 0x7E00u);
    QCOMPARE(quant::encode(FloatFormat::fp16(), -nan).bits, 0x7E00u);
    QCOMPARE(quant::encode(e4, nan).bits, 0x7Fu);
    QCOMPARE(quant::encode(FloatFormat::fp8e5m2(), nan).bits, 0x7Eu);
    QVERIFY(quant::encode(FloatFormat::fp16(), nan).flags == quant::EncodeFlags{});
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::encode(fp4, nan));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::encode(e5m0, nan));
  }

  // ---------------------------------------------------------------------------------------
  void exactDecimals_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<uint>("bits");
    QTest::addColumn<QString>("expected");
    QTest::addRow("fp32 0.1f") << "fp32" << 0x3DCCCCCDu << "0.100000001490116119384765625";
    QTest::addRow("fp32 2^-149") << "fp32" << 0x00000001u
                                 << "0.0000000000000000000000000000000000000000000014012984643248"
                                    "170709237295832899161312802619418765157717570682838897910826"
                                    "8586060148663818836212158203125";
    QTest::addRow("fp32 max") << "fp32" << 0x7F7FFFFFu << "340282346638528859811704183484516925440";
    QTest::addRow("fp32 -1.5") << "fp32" << 0xBFC00000u << "-1.5";
    QTest::addRow("bf16 max") << "bf16" << 0x7F7Fu << "338953138925153547590470800371487866880";
    QTest::addRow("fp16 0x3555") << "fp16" << 0x3555u << "0.333251953125";
    QTest::addRow("fp16 0x3C01") << "fp16" << 0x3C01u << "1.0009765625";
    QTest::addRow("fp16 1") << "fp16" << 0x3C00u << "1";
    QTest::addRow("fp16 max") << "fp16" << 0x7BFFu << "65504";
    QTest::addRow("fp16 2^-24") << "fp16" << 0x0001u << "0.000000059604644775390625";
    QTest::addRow("fp16 +0") << "fp16" << 0x0000u << "0";
    QTest::addRow("fp16 -0") << "fp16" << 0x8000u << "-0";
    QTest::addRow("fp16 -inf") << "fp16" << 0xFC00u << "-inf";
    QTest::addRow("fp16 NaN") << "fp16" << 0x7E01u << "nan";
    QTest::addRow("e4m3fn 448") << "e4m3fn" << 0x7Eu << "448";
    QTest::addRow("e4m3fn 2^-9") << "e4m3fn" << 0x01u << "0.001953125";
    QTest::addRow("e4m3fn -0.875 * 2^-6") << "e4m3fn" << 0x87u << "-0.013671875";
  }
  void exactDecimals() {
    QFETCH(QString, name);
    QFETCH(uint, bits);
    QFETCH(QString, expected);
    const std::string s = quant::exactDecimal(fmt(name), bits);
    QCOMPARE(QString::fromStdString(s), expected);
    QCOMPARE(quant::decode(fmt(name), bits).exact, s);
  }
  void exactDecimalOfDouble() {
    QCOMPARE(quant::exactDecimal(0.1),
             std::string("0.1000000000000000055511151231257827021181583404541015625"));
    QCOMPARE(quant::exactDecimal(-2.0), std::string("-2"));
    QCOMPARE(quant::exactDecimal(0x1p60), std::string("1152921504606846976"));
    const std::string tiny = quant::exactDecimal(std::numeric_limits<double>::denorm_min());
    QCOMPARE(tiny.size(), std::size_t{2 + 1074});  // "0." then 1074 digits
    QVERIFY(tiny.rfind("0.000", 0) == 0 && tiny.back() == '5');
    QCOMPARE(std::strtod(tiny.c_str(), nullptr), std::numeric_limits<double>::denorm_min());
    const std::string big = quant::exactDecimal(std::numeric_limits<double>::max());
    QCOMPARE(big.size(), std::size_t{309});
    QCOMPARE(std::strtod(big.c_str(), nullptr), std::numeric_limits<double>::max());
  }

  // ---------------------------------------------------------------------------------------
  void overflow_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("value");
    QTest::addColumn<Overflow>("policy");
    QTest::addColumn<uint>("bits");
    QTest::addColumn<bool>("overflowed");
    const double inf = std::numeric_limits<double>::infinity();
    struct Row {
      const char* label;
      const char* name;
      double value;
      uint toInf, saturate, toNan;
      bool overflowed;
    };
    const Row rows[] = {
        {"fp16 65504", "fp16", 65504, 0x7BFF, 0x7BFF, 0x7BFF, false},
        {"fp16 just below 65520", "fp16", std::nextafter(65520.0, 0.0), 0x7BFF, 0x7BFF, 0x7BFF,
         false},
        {"fp16 65520 (tie, odd max)", "fp16", 65520, 0x7C00, 0x7BFF, 0x7E00, true},
        {"fp16 -65520", "fp16", -65520, 0xFC00, 0xFBFF, 0xFE00, true},
        {"fp16 1e6", "fp16", 1e6, 0x7C00, 0x7BFF, 0x7E00, true},
        {"fp16 1e300", "fp16", 1e300, 0x7C00, 0x7BFF, 0x7E00, true},
        {"fp16 +inf input", "fp16", inf, 0x7C00, 0x7BFF, 0x7C00, false},
        {"e4m3fn 448", "e4m3fn", 448, 0x7E, 0x7E, 0x7E, false},
        {"e4m3fn 464 (tie, even max)", "e4m3fn", 464, 0x7E, 0x7E, 0x7E, false},
        {"e4m3fn 464.5", "e4m3fn", 464.5, 0x7F, 0x7E, 0x7F, true},
        {"e4m3fn 480", "e4m3fn", 480, 0x7F, 0x7E, 0x7F, true},
        {"e4m3fn 1e9", "e4m3fn", 1e9, 0x7F, 0x7E, 0x7F, true},
        {"e4m3fn -1e9", "e4m3fn", -1e9, 0xFF, 0xFE, 0xFF, true},
        {"e4m3fn +inf input", "e4m3fn", inf, 0x7F, 0x7E, 0x7F, true},
        {"e4m3fn -inf input", "e4m3fn", -inf, 0xFF, 0xFE, 0xFF, true},
        {"e5m2 57344", "e5m2", 57344, 0x7B, 0x7B, 0x7B, false},
        {"e5m2 61439", "e5m2", 61439, 0x7B, 0x7B, 0x7B, false},
        {"e5m2 61440 (tie, odd max)", "e5m2", 61440, 0x7C, 0x7B, 0x7E, true},
        {"e5m2 -1e5", "e5m2", -1e5, 0xFC, 0xFB, 0xFE, true},
        {"bf16 fp32 max", "bf16", 3.4028234663852886e38, 0x7F80, 0x7F7F, 0x7FC0, true},
        {"bf16 max + ulp/2", "bf16", std::ldexp(511.0, 119), 0x7F80, 0x7F7F, 0x7FC0, true},
        {"bf16 just below max + ulp/2", "bf16", std::nextafter(std::ldexp(511.0, 119), 0.0), 0x7F7F,
         0x7F7F, 0x7F7F, false},
        {"fp32 max + ulp/2", "fp32", std::ldexp(double((1 << 25) - 1), 103), 0x7F800000, 0x7F7FFFFF,
         0x7FC00000, true},
        {"fp32 just below max + ulp/2", "fp32",
         std::nextafter(std::ldexp(double((1 << 25) - 1), 103), 0.0), 0x7F7FFFFF, 0x7F7FFFFF,
         0x7F7FFFFF, false},
        {"fp4 6", "fp4", 6, 0x7, 0x7, 0x7, false},
        {"fp4 7 (tie, odd max; no inf/NaN)", "fp4", 7, 0x7, 0x7, 0x7, true},
        {"fp4 -100", "fp4", -100, 0xF, 0xF, 0xF, true},
        {"e5m0 1e6 (no NaN: ToNaN gives inf)", "e5m0", 1e6, 0x1F, 0x1E, 0x1F, true},
    };
    for (const Row& r : rows) {
      QTest::addRow("%s, to infinity", r.label)
          << r.name << r.value << Overflow::ToInfinity << r.toInf << r.overflowed;
      QTest::addRow("%s, saturate", r.label) << r.name << r.value << Overflow::Saturate
                                             << r.saturate << (r.overflowed || std::isinf(r.value));
      QTest::addRow("%s, to NaN", r.label)
          << r.name << r.value << Overflow::ToNaN << r.toNan << r.overflowed;
    }
  }
  void overflow() {
    QFETCH(QString, name);
    QFETCH(double, value);
    QFETCH(Overflow, policy);
    QFETCH(uint, bits);
    QFETCH(bool, overflowed);
    const FloatFormat f = fmt(name);
    const quant::Encoded e = quant::encode(f, value, policy);
    QCOMPARE(hex(e.bits), hex(bits));
    QCOMPARE(e.flags.overflowed, overflowed);
    QVERIFY(!e.flags.underflowedToZero);
    if (overflowed) QVERIFY(e.flags.inexact);
    // The reported value and errors describe the pattern.
    const double v = quant::decodeValue(f, bits);
    if (std::isnan(v)) {
      QVERIFY(std::isnan(e.value) && std::isnan(e.absError));
    } else {
      QCOMPARE(e.value, v);
      if (v != value) QCOMPARE(e.absError, std::fabs(v - value));
    }
    if (policy == Overflow::Saturate) QVERIFY(std::isfinite(e.value));
  }

  void rounding_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<double>("value");
    QTest::addColumn<uint>("bits");
    QTest::addColumn<bool>("underflowed");
    QTest::addRow("fp16 1 + 2^-11 -> 1 (tie, even)") << "fp16" << 1 + 0x1p-11 << 0x3C00u << false;
    QTest::addRow("fp16 1 + 3*2^-11 -> 1 + 2^-9 (tie, even)")
        << "fp16" << 1 + 0x3p-11 << 0x3C02u << false;
    QTest::addRow("fp16 1 + 2^-11 + 2^-30 -> 1 + 2^-10")
        << "fp16" << 1 + 0x1p-11 + 0x1p-30 << 0x3C01u << false;
    QTest::addRow("fp16 2047.5 -> 2048 (into next binade)") << "fp16" << 2047.5 << 0x6800u << false;
    QTest::addRow("fp16 2^-14 - 2^-25 -> min normal (subnormal rounds up into normals)")
        << "fp16" << 0x1p-14 - 0x1p-25 << 0x0400u << false;
    QTest::addRow("fp16 2^-25 -> 0 (tie, even)") << "fp16" << 0x1p-25 << 0x0000u << true;
    QTest::addRow("fp16 -2^-25 -> -0") << "fp16" << -0x1p-25 << 0x8000u << true;
    QTest::addRow("fp16 2^-25 + tiny -> 2^-24") << "fp16" << 0x1p-25 + 0x1p-45 << 0x0001u << false;
    QTest::addRow("fp16 3*2^-25 -> 2^-23 (tie, even)") << "fp16" << 0x3p-25 << 0x0002u << false;
    QTest::addRow("fp16 1e-30 -> 0") << "fp16" << 1e-30 << 0x0000u << true;
    QTest::addRow("fp16 double denorm_min -> -0")
        << "fp16" << -std::numeric_limits<double>::denorm_min() << 0x8000u << true;
    QTest::addRow("fp16 +0") << "fp16" << 0.0 << 0x0000u << false;
    QTest::addRow("fp16 -0 keeps its sign") << "fp16" << -0.0 << 0x8000u << false;
    QTest::addRow("fp16 1/3") << "fp16" << 1.0 / 3 << 0x3555u << false;
    QTest::addRow("bf16 1 + 2^-8 -> 1 (tie, even)") << "bf16" << 1 + 0x1p-8 << 0x3F80u << false;
    QTest::addRow("bf16 1 + 3*2^-8 -> 1 + 2^-6") << "bf16" << 1 + 0x3p-8 << 0x3F82u << false;
    QTest::addRow("e4m3fn 2^-10 -> 0 (tie, even)") << "e4m3fn" << 0x1p-10 << 0x00u << true;
    QTest::addRow("e4m3fn 3*2^-10 -> 2^-8") << "e4m3fn" << 0x3p-10 << 0x02u << false;
    QTest::addRow("e4m3fn 0.1") << "e4m3fn" << 0.1 << 0x1Du << false;
    QTest::addRow("e4m3fn 300 -> 288") << "e4m3fn" << 300.0 << 0x79u << false;
    QTest::addRow("fp4 5 -> 4 (tie, even)") << "fp4" << 5.0 << 0x6u << false;
    QTest::addRow("fp4 2.5 -> 2 (tie, even)") << "fp4" << 2.5 << 0x4u << false;
    QTest::addRow("fp4 0.25 -> 0 (tie, even)") << "fp4" << 0.25 << 0x0u << true;
    QTest::addRow("fp4 0.75 -> 1 (tie, even)") << "fp4" << 0.75 << 0x2u << false;
  }
  void rounding() {
    QFETCH(QString, name);
    QFETCH(double, value);
    QFETCH(uint, bits);
    QFETCH(bool, underflowed);
    const FloatFormat f = fmt(name);
    const quant::Encoded e = quant::encode(f, value);
    QCOMPARE(hex(e.bits), hex(bits));
    QCOMPARE(e.flags.underflowedToZero, underflowed);
    QVERIFY(!e.flags.overflowed);
    QCOMPARE(e.flags.inexact, e.value != value);
    QCOMPARE(e.value, quant::decodeValue(f, bits));
    QCOMPARE(e.absError, std::fabs(e.value - value));
    QCOMPARE(e.relError, value == 0 ? 0.0 : e.absError / std::fabs(value));
    QCOMPARE(quant::roundToFormat(f, value), e.value);
  }

  void neighbours() {
    const FloatFormat e4 = FloatFormat::fp8e4m3fn();
    quant::Decoded d = quant::decode(e4, 0x7E);  // 448: nothing above it
    QVERIFY(!d.nextBits);
    QVERIFY(std::isnan(d.next));
    QCOMPARE(d.prev, 416.0);
    QCOMPARE(d.gap, 32.0);
    d = quant::decode(e4, 0xFE);  // -448: nothing below
    QVERIFY(!d.prevBits);
    QCOMPARE(d.next, -416.0);
    const FloatFormat h = FloatFormat::fp16();
    d = quant::decode(h, 0x7BFF);
    QCOMPARE(*d.nextBits, 0x7C00u);
    QCOMPARE(d.next, std::numeric_limits<double>::infinity());
    QCOMPARE(d.gap, 32.0);
    d = quant::decode(h, 0x7C00);  // nextUp(+inf) = +inf
    QCOMPARE(*d.nextBits, 0x7C00u);
    QCOMPARE(*d.prevBits, 0x7BFFu);
    QVERIFY(std::isnan(d.gap));
    d = quant::decode(h, 0x8000);  // -0
    QCOMPARE(*d.nextBits, 0x0001u);
    QCOMPARE(*d.prevBits, 0x8001u);
    QCOMPARE(d.gap, 0x1p-24);
    QCOMPARE(d.exponent, -14);
    d = quant::decode(h, 0x0000);
    QCOMPARE(*d.nextBits, 0x0001u);
    QCOMPARE(*d.prevBits, 0x8001u);
    d = quant::decode(h, 0x3C00);  // 1: gap above is 2^-10, below 2^-11
    QCOMPARE(d.gap, 0x1p-10);
    QCOMPARE(d.next - d.value, 0x1p-10);
    QCOMPARE(d.value - d.prev, 0x1p-11);
    QCOMPARE(d.exponent, 0);
    QCOMPARE(d.exponentField, 15u);
    QCOMPARE(d.implicitBit, 1);
    d = quant::decode(h, 0x7E00);
    QVERIFY(!d.nextBits && !d.prevBits && std::isnan(d.next) && std::isnan(d.gap));
    d = quant::decode(h, 0x0001);  // subnormal: effective exponent 1 - bias
    QCOMPARE(d.exponent, -14);
    QCOMPARE(d.exponentField, 0u);
    QCOMPARE(d.mantissaField, 1u);
    QCOMPARE(d.implicitBit, 0);
  }

  // ---------------------------------------------------------------------------------------
  void byName_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("canonical");
    QTest::addColumn<int>("exponentBits");
    QTest::addColumn<int>("mantissaBits");
    QTest::addColumn<int>("bias");
    const char* rows[][2] = {
        {"fp32", "fp32"},      {"float32", "fp32"},      {"FP16", "fp16"},   {"float16", "fp16"},
        {"bf16", "bf16"},      {"bfloat16", "bf16"},     {"e4m3", "e4m3fn"}, {"e4m3fn", "e4m3fn"},
        {"fp8e4m3", "e4m3fn"}, {"fp8e4m3fn", "e4m3fn"},  {"e5m2", "e5m2"},   {"fp8e5m2", "e5m2"},
        {"fp4", "fp4e2m1"},    {"e3m2", "e3m2"},         {"e2m1", "e2m1"},   {"e8m23", "fp32"},
        {"e5m10", "fp16"},     {"e4m3ieee", "e4m3ieee"}, {"e1m23", "e1m23"}, {"e8m0", "e8m0"}};
    const int shape[][3] = {{8, 23, 127}, {8, 23, 127}, {5, 10, 15}, {5, 10, 15}, {8, 7, 127},
                            {8, 7, 127},  {4, 3, 7},    {4, 3, 7},   {4, 3, 7},   {4, 3, 7},
                            {5, 2, 15},   {5, 2, 15},   {2, 1, 1},   {3, 2, 3},   {2, 1, 1},
                            {8, 23, 127}, {5, 10, 15},  {4, 3, 7},   {1, 23, 0},  {8, 0, 127}};
    for (std::size_t i = 0; i < std::size(rows); ++i) {
      QTest::addRow("%s", rows[i][0])
          << rows[i][0] << rows[i][1] << shape[i][0] << shape[i][1] << shape[i][2];
    }
  }
  void byName() {
    QFETCH(QString, name);
    QFETCH(QString, canonical);
    QFETCH(int, exponentBits);
    QFETCH(int, mantissaBits);
    QFETCH(int, bias);
    const FloatFormat f = fmt(name);
    QCOMPARE(QString::fromStdString(f.name), canonical);
    QCOMPARE(f.exponentBits, exponentBits);
    QCOMPARE(f.mantissaBits, mantissaBits);
    QCOMPARE(f.bias, bias);
    QVERIFY(f == fmt(canonical));  // the canonical name round-trips
  }
  void byNameRejects_data() {
    QTest::addColumn<QString>("name");
    for (const char* n : {"", "fp64", "int8", "e9m2", "e0m3", "e4m24", "e1m0", "e4m", "em3",
                          "e-1m3", "e4m3x", "e99999999999m1"}) {
      QTest::addRow("'%s'", n) << QString(n);
    }
  }
  void byNameRejects() {
    QFETCH(QString, name);
    QVERIFY_THROWS_EXCEPTION(quant::Error, fmt(name));
    try {
      fmt(name);
    } catch (const quant::Error& e) {
      const QString msg = e.what();
      // Either the list of valid names or the valid ranges.
      VERIFY_LAZY((msg.contains("fp16") && msg.contains("e<E>m<M>")) || msg.contains("1..8") ||
                      msg.contains("0..23") || msg.contains("e1m0"),
                  qPrintable(msg));
    }
  }
  void customFormats() {
    const FloatFormat f = FloatFormat::custom(3, 2);
    QCOMPARE(f.bias, 3);
    QVERIFY(f.hasInfinity && f.nan == quant::NanEncoding::Ieee);
    QCOMPARE(f.totalBits(), 6);
    QCOMPARE(FloatFormat::custom(8, 23), FloatFormat::fp32());
    QCOMPARE(FloatFormat::custom(5, 2), FloatFormat::fp8e5m2());
    QVERIFY(FloatFormat::custom(4, 3) != FloatFormat::fp8e4m3fn());
    QVERIFY_THROWS_EXCEPTION(quant::Error, FloatFormat::custom(0, 3));
    QVERIFY_THROWS_EXCEPTION(quant::Error, FloatFormat::custom(9, 3));
    QVERIFY_THROWS_EXCEPTION(quant::Error, FloatFormat::custom(4, -1));
    QVERIFY_THROWS_EXCEPTION(quant::Error, FloatFormat::custom(4, 24));
    QVERIFY_THROWS_EXCEPTION(quant::Error, FloatFormat::custom(1, 0));
    // A contradictory hand-built format is refused instead of decoded wrongly.
    FloatFormat bad = FloatFormat::fp16();
    bad.hasInfinity = false;
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::decode(bad, 0));
  }

  void rejectsBitsAboveTheFormat() {
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::decode(FloatFormat::fp16(), 0x10000));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::decode(FloatFormat::fp8e4m3fn(), 0x100));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::decode(FloatFormat::fp4e2m1(), 0x10));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::decodeValue(FloatFormat::bf16(), 0x80000000u));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::formatBinary(FloatFormat::fp16(), 0x12345));
    QCOMPARE(quant::decode(FloatFormat::fp32(), 0xFFFFFFFFu).cls, FloatClass::NaN);
  }

  void allPatternsLimits() {
    QCOMPARE(quant::allPatterns(FloatFormat::fp8e4m3fn()).size(), std::size_t{256});
    QCOMPARE(quant::allPatterns(FloatFormat::bf16()).size(), std::size_t{65536});
    QCOMPARE(quant::allPatterns(FloatFormat::fp4e2m1()).back(), 15u);
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::allPatterns(FloatFormat::fp32()));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::allPatterns(FloatFormat::custom(6, 10)));
  }

  void binaryStrings_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<uint>("bits");
    QTest::addColumn<QString>("expected");
    QTest::addRow("fp16 -1/3") << "fp16" << 0xB555u << "1 01101 0101010101";
    QTest::addRow("fp16 -1.333") << "fp16" << 0xBD55u << "1 01111 0101010101";
    QTest::addRow("fp32 1") << "fp32" << 0x3F800000u << "0 01111111 00000000000000000000000";
    QTest::addRow("bf16 -inf") << "bf16" << 0xFF80u << "1 11111111 0000000";
    QTest::addRow("e4m3fn NaN") << "e4m3fn" << 0x7Fu << "0 1111 111";
    QTest::addRow("e5m2 1") << "e5m2" << 0x3Cu << "0 01111 00";
    QTest::addRow("e5m0 inf (no mantissa)") << "e5m0" << 0x1Fu << "0 11111";
  }
  void binaryStrings() {
    QFETCH(QString, name);
    QFETCH(uint, bits);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(quant::formatBinary(fmt(name), bits)), expected);
  }

  // ---------------------------------------------------------------------------------------
  void integers_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<qint64>("value");
    QTest::addColumn<uint>("bits");
    QTest::addColumn<QString>("binary");
    QTest::addRow("int8 -128") << "int8" << qint64(-128) << 0x80u << "10000000";
    QTest::addRow("int8 -1") << "int8" << qint64(-1) << 0xFFu << "11111111";
    QTest::addRow("int8 127") << "int8" << qint64(127) << 0x7Fu << "01111111";
    QTest::addRow("int8 0") << "int8" << qint64(0) << 0x00u << "00000000";
    QTest::addRow("uint8 255") << "uint8" << qint64(255) << 0xFFu << "11111111";
    QTest::addRow("int4 -8") << "int4" << qint64(-8) << 0x8u << "1000";
    QTest::addRow("int4 7") << "int4" << qint64(7) << 0x7u << "0111";
    QTest::addRow("int4 -1") << "int4" << qint64(-1) << 0xFu << "1111";
    QTest::addRow("uint4 15") << "uint4" << qint64(15) << 0xFu << "1111";
    QTest::addRow("int1 -1") << "int1" << qint64(-1) << 0x1u << "1";
    QTest::addRow("int32 min") << "int32" << qint64(-2147483648LL) << 0x80000000u
                               << "10000000000000000000000000000000";
    QTest::addRow("int32 -1") << "int32" << qint64(-1) << 0xFFFFFFFFu
                              << "11111111111111111111111111111111";
    QTest::addRow("uint32 max") << "uint32" << qint64(4294967295LL) << 0xFFFFFFFFu
                                << "11111111111111111111111111111111";
  }
  void integers() {
    QFETCH(QString, name);
    QFETCH(qint64, value);
    QFETCH(uint, bits);
    QFETCH(QString, binary);
    const IntFormat f = IntFormat::byName(name.toStdString());
    QCOMPARE(QString::fromStdString(f.name()), name);
    QCOMPARE(quant::intToBits(f, value), bits);
    QCOMPARE(quant::bitsToInt(f, bits), std::int64_t{value});
    QCOMPARE(QString::fromStdString(quant::formatBinary(f, bits)), binary);
  }
  void integerRanges() {
    QCOMPARE(IntFormat::int4().min(), std::int64_t{-8});
    QCOMPARE(IntFormat::int4().max(), std::int64_t{7});
    QCOMPARE(IntFormat::int8().min(), std::int64_t{-128});
    QCOMPARE(IntFormat::uint8().max(), std::int64_t{255});
    QCOMPARE((IntFormat{32, true}.min()), std::int64_t{-2147483648LL});
    QCOMPARE((IntFormat{32, false}.max()), std::int64_t{4294967295LL});
    QCOMPARE((IntFormat{1, true}.max()), std::int64_t{0});
    // Every pattern of every width up to 12 bits: bijection with [min, max], in order.
    for (int w = 1; w <= 12; ++w) {
      for (bool s : {true, false}) {
        const IntFormat f{w, s};
        for (std::uint32_t b = 0; b < (1u << w); ++b) {
          const std::int64_t v = quant::bitsToInt(f, b);
          // Two's complement: patterns up to 2^(w-1)-1 are themselves, the rest wrap around.
          const std::int64_t expected = (s && b >= (1u << (w - 1)))
                                            ? std::int64_t(b) - (std::int64_t{1} << w)
                                            : std::int64_t(b);
          QCOMPARE(v, expected);
          QVERIFY(v >= f.min() && v <= f.max());
          QCOMPARE(quant::intToBits(f, v), b);
        }
      }
    }
  }
  void integerErrors() {
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::intToBits(IntFormat::int8(), 128));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::intToBits(IntFormat::int8(), -129));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::intToBits(IntFormat::uint8(), -1));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::intToBits(IntFormat::uint8(), 256));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::intToBits(IntFormat::int4(), 8));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::intToBits(IntFormat::int4(), -9));
    QVERIFY_THROWS_EXCEPTION(
        quant::Error,
        quant::intToBits(IntFormat::int8(), std::numeric_limits<std::int64_t>::min()));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::bitsToInt(IntFormat::int4(), 0x10));
    QVERIFY_THROWS_EXCEPTION(quant::Error, (IntFormat{0, true}.min()));
    QVERIFY_THROWS_EXCEPTION(quant::Error, (IntFormat{33, false}.max()));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::intToBits(IntFormat{33, true}, 0));
    for (const char* bad : {"int0", "int33", "uint", "int", "float8", "int8x", "i8"}) {
      QVERIFY_THROWS_EXCEPTION(quant::Error, IntFormat::byName(bad));
    }
  }
};

QTEST_GUILESS_MAIN(TestFormats)
#include "tst_formats.moc"
