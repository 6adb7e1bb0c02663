// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the int8 GEMM: every kernel the CPU has (reference, AVX2, AVX-512 VNNI) against an
// independent int64 triple loop, bit for bit, for int32 accumulators and requantized int8 outputs,
// on awkward shapes (M/N/K = 1, K not a multiple of 4/16/32/64, odd sizes, K = 4096), extreme
// values, random zero points, per-channel multipliers (tiny, < 1, > 1) and fused ReLU / ReLU6
// clamps; the requantized output is also within 1 LSB of a double-precision computation.
#include <QProcess>
#include <QtTest>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/kernels/fixedpoint.h"
#include "quant/kernels/int8gemm.h"

namespace gemm = quant::gemm;
using gemm::Isa;

namespace {

enum class Fill { Random, MaxProducts, MinProducts, Alternating, Sparse };

struct Problem {
  int M = 0, K = 0, N = 0;
  bool signedA = true;
  std::int32_t za = 0;
  std::vector<std::uint8_t> au;  // used when !signedA
  std::vector<std::int8_t> as;   // used when signedA
  std::vector<std::int8_t> w;
  std::vector<std::int32_t> bias;
  std::vector<double> realMult;  // per channel
  std::vector<quant::QuantizedMultiplier> qm;
};

Problem makeProblem(int M, int K, int N, bool signedA, Fill fill, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Problem p;
  p.M = M;
  p.K = K;
  p.N = N;
  p.signedA = signedA;
  const auto u8 = [&] { return static_cast<int>(rng() % 256); };
  const auto w8 = [&] { return static_cast<int>(rng() % 255) - 127; };
  p.za = signedA ? u8() - 128 : u8();
  std::vector<int> a(std::size_t(M) * K);
  p.w.resize(std::size_t(K) * N);
  for (std::size_t i = 0; i < a.size(); ++i) {
    switch (fill) {
      case Fill::Random:
        a[i] = u8();
        break;
      case Fill::MaxProducts:
        a[i] = 255;
        break;
      case Fill::MinProducts:
        a[i] = 0;
        break;
      case Fill::Alternating:
        a[i] = (i % 2) ? 255 : 0;
        break;
      case Fill::Sparse:
        a[i] = rng() % 8 == 0 ? u8() : 0;
        break;
    }
  }
  for (std::size_t i = 0; i < p.w.size(); ++i) {
    switch (fill) {
      case Fill::Random:
        p.w[i] = static_cast<std::int8_t>(w8());
        break;
      case Fill::MaxProducts:
        p.w[i] = 127;
        break;
      case Fill::MinProducts:
        p.w[i] = -127;
        break;
      case Fill::Alternating:
        p.w[i] = (i % 3) ? 127 : -127;
        break;
      case Fill::Sparse:
        p.w[i] = static_cast<std::int8_t>(rng() % 4 == 0 ? w8() : 0);
        break;
    }
  }
  // Extreme fills also pin the zero point to the far end: |a - za| = 255 everywhere.
  if (fill == Fill::MaxProducts) p.za = 0;
  if (fill == Fill::MinProducts) p.za = 255;
  if (signedA) {
    if (fill == Fill::MaxProducts || fill == Fill::MinProducts) p.za -= 128;
    p.as.resize(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) p.as[i] = static_cast<std::int8_t>(a[i] - 128);
  } else {
    p.au.resize(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) p.au[i] = static_cast<std::uint8_t>(a[i]);
  }
  p.bias.resize(std::size_t(N));
  for (auto& b : p.bias)
    b = static_cast<std::int32_t>(static_cast<std::int64_t>(rng() % 2000001) - 1000000);
  // Per-channel multipliers: mostly s_in * s_w / s_out sized (2^-12 .. 2^-6), some tiny,
  // some in [0.5, 1) and some > 1.
  std::uniform_real_distribution<double> e(-12.0, -6.0);
  for (int n = 0; n < N; ++n) {
    double m = std::exp2(e(rng));
    switch (n % 7) {
      case 3:
        m = std::exp2(-31.5 + (rng() % 100) / 100.0);
        break;
      case 4:
        m = 0.5 + (rng() % 1000) / 2000.0;
        break;
      case 5:
        m = 1.0 + (rng() % 3000) / 100.0;
        break;
      default:
        break;
    }
    p.realMult.push_back(m);
    p.qm.push_back(quant::QuantizeMultiplier(m));
  }
  return p;
}

int aAt(const Problem& p, std::size_t i) { return p.signedA ? p.as[i] : p.au[i]; }

// The specification, written independently of the library: int64 sums, bias added mod 2^32.
std::vector<std::int32_t> naiveAcc(const Problem& p) {
  std::vector<std::int32_t> c(std::size_t(p.M) * p.N);
  for (int m = 0; m < p.M; ++m) {
    for (int n = 0; n < p.N; ++n) {
      std::int64_t s = 0;
      for (int k = 0; k < p.K; ++k) {
        s += std::int64_t(aAt(p, std::size_t(m) * p.K + k) - p.za) * p.w[std::size_t(k) * p.N + n];
      }
      const std::uint32_t wrapped =
          static_cast<std::uint32_t>(s) + static_cast<std::uint32_t>(p.bias[n]);
      c[std::size_t(m) * p.N + n] = static_cast<std::int32_t>(wrapped);
    }
  }
  return c;
}

std::vector<std::int32_t> runAcc(Isa isa, const Problem& p, const gemm::PackedWeights& pw) {
  std::vector<std::int32_t> c(std::size_t(p.M) * p.N, 0x5a5a5a5a);
  if (p.signedA) {
    gemm::gemmAcc(isa, std::span<const std::int8_t>(p.as), p.M, p.za, pw, c);
  } else {
    gemm::gemmAcc(isa, std::span<const std::uint8_t>(p.au), p.M, p.za, pw, c);
  }
  return c;
}

std::vector<std::int8_t> runRequant(Isa isa, const Problem& p, const gemm::PackedWeights& pw,
                                    const gemm::OutputParams& op) {
  std::vector<std::int8_t> out(std::size_t(p.M) * p.N, 0x5a);
  if (p.signedA) {
    gemm::gemmRequant(isa, std::span<const std::int8_t>(p.as), p.M, p.za, pw, op, out);
  } else {
    gemm::gemmRequant(isa, std::span<const std::uint8_t>(p.au), p.M, p.za, pw, op, out);
  }
  return out;
}

struct Shape {
  const char* name;
  int M, K, N;
};
constexpr Shape kShapes[] = {
    {"1x1x1", 1, 1, 1},
    {"M=1 784x256", 1, 784, 256},
    {"N=1", 9, 37, 1},
    {"K=1", 7, 1, 33},
    {"K=2", 5, 2, 17},
    {"K=3", 6, 3, 16},
    {"K=5 odd", 11, 5, 15},
    {"K=17", 4, 17, 64},
    {"K=31", 3, 31, 65},
    {"K=33", 5, 33, 80},
    {"K=63", 13, 63, 47},
    {"K=65", 8, 65, 96},
    {"K=127", 2, 127, 130},
    {"odd 13x31x63", 13, 31, 63},
    {"odd 33x100x129", 33, 100, 129},
    {"N=15", 3, 64, 15},
    {"N=17", 4, 64, 17},
    {"N=48", 5, 20, 48},
    {"K=4096", 9, 4096, 40},
    {"K=4093", 3, 4093, 19},
    {"32x784x256", 32, 784, 256},
    {"196x144x32", 196, 144, 32},
    // Row tiles are split evenly (at most 6 rows next to 64-column panels, 8 rows next to 16..48
    // columns) and column panels end in partial vectors: every tile shape and remainder.
    {"tiles 7x20x48", 7, 20, 48},
    {"tiles 8x40x32", 8, 40, 32},
    {"tiles 25x33x112", 25, 33, 112},
    {"tiles 47x64x80", 47, 64, 80},
    {"tiles 17x19x200", 17, 19, 200},
    {"tiles 41x9x24", 41, 9, 24},
};

void addRows(bool extremesOnAllShapes) {
  QTest::addColumn<int>("isa");
  QTest::addColumn<int>("M");
  QTest::addColumn<int>("K");
  QTest::addColumn<int>("N");
  QTest::addColumn<bool>("signedA");
  QTest::addColumn<int>("fill");
  const struct {
    Fill fill;
    const char* name;
  } fills[] = {{Fill::Random, "random"},
               {Fill::MaxProducts, "a=max w=+127"},
               {Fill::MinProducts, "a=min w=-127"},
               {Fill::Alternating, "alternating"},
               {Fill::Sparse, "sparse"}};
  // Every GEMM kernel this CPU can run (the dispatcher's list), the reference included.
  for (Isa isa : gemm::kernelIsas()) {
    for (const Shape& s : kShapes) {
      for (const auto& f : fills) {
        if (f.fill != Fill::Random && !extremesOnAllShapes && s.K != 4096 && s.M != 13) continue;
        for (bool sg : {true, false}) {
          QTest::addRow("%s %s %s %s", gemm::isaName(isa), s.name, f.name, sg ? "s8" : "u8")
              << int(isa) << s.M << s.K << s.N << sg << int(f.fill);
        }
      }
    }
  }
}

std::uint64_t seedOf(int M, int K, int N, bool sg, int fill) {
  return std::uint64_t(M) * 1000003u + std::uint64_t(K) * 1009u + std::uint64_t(N) * 7u +
         (sg ? 1u : 0u) + std::uint64_t(fill) * 99991u;
}

}  // namespace

class TestInt8Gemm : public QObject {
  Q_OBJECT

 private slots:
  void isaSelection() {
    QVERIFY(gemm::isaSupported(Isa::Reference));
    QVERIFY(gemm::isaSupported(Isa::Auto));
    QCOMPARE(gemm::forceIsa(Isa::Auto), gemm::bestIsa());
    QCOMPARE(gemm::activeIsa(), gemm::bestIsa());
    QVERIFY(gemm::fallbackNote().empty());
    for (Isa isa : {Isa::Reference, Isa::Sse2, Isa::Avx2, Isa::Avx512Vnni}) {
      const Isa got = gemm::forceIsa(isa);
      QCOMPARE(gemm::activeIsa(), got);
      if (gemm::isaSupported(isa)) {
        QCOMPARE(got, isa);
        QVERIFY(gemm::fallbackNote().empty());
      } else {
        QCOMPARE(got, gemm::bestIsa());
        QVERIFY(gemm::fallbackNote().find(gemm::isaName(isa)) != std::string::npos);
      }
    }
    QCOMPARE(QString(gemm::isaName(Isa::Avx512Vnni)), QString("avx512vnni"));
    // Each level runs the best GEMM kernel at or below it; sse2 has none of its own.
    QCOMPARE(gemm::kernelIsa(Isa::Reference), Isa::Reference);
    QCOMPARE(gemm::kernelIsa(Isa::Sse2), Isa::Reference);
    QCOMPARE(gemm::kernelIsa(Isa::Avx2), Isa::Avx2);
    QCOMPARE(gemm::kernelIsa(Isa::Avx512Vnni), Isa::Avx512Vnni);
    QCOMPARE(gemm::kernelIsas().front(), Isa::Reference);
    for (Isa isa : gemm::kernelIsas()) QVERIFY(gemm::isaSupported(isa));
    // The best kernel is at least as capable as what the CPU reports.
    if (gemm::isaSupported(Isa::Avx512Vnni)) QCOMPARE(gemm::bestIsa(), Isa::Avx512Vnni);
    gemm::forceIsa(Isa::Auto);
  }

  // Run by environmentSelectsIsa in a child process: reports what QUANTLAB_ISA selected.
  void envProbe() {
    if (qEnvironmentVariableIsSet("QUANTLAB_INT8GEMM_PROBE")) {
      const Isa active = gemm::activeIsa();  // reads QUANTLAB_ISA: before fallbackNote()
      std::printf("probe-active=%s\nprobe-note=%s\n", gemm::isaName(active),
                  gemm::fallbackNote().c_str());
      std::fflush(stdout);
    }
    QVERIFY(gemm::isaSupported(gemm::activeIsa()));
  }

  void environmentSelectsIsa_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");  // "" = bestIsa()
    QTest::addColumn<bool>("noted");
    QTest::addRow("reference") << "reference"
                               << "reference" << false;
    QTest::addRow("sse2") << "sse2" << (gemm::isaSupported(Isa::Sse2) ? "sse2" : "")
                          << !gemm::isaSupported(Isa::Sse2);
    QTest::addRow("avx2") << "avx2" << (gemm::isaSupported(Isa::Avx2) ? "avx2" : "")
                          << !gemm::isaSupported(Isa::Avx2);
    QTest::addRow("avx512vnni") << "avx512vnni"
                                << (gemm::isaSupported(Isa::Avx512Vnni) ? "avx512vnni" : "")
                                << !gemm::isaSupported(Isa::Avx512Vnni);
    QTest::addRow("auto") << "auto"
                          << "" << false;
    QTest::addRow("unset (empty)") << ""
                                   << "" << false;
    QTest::addRow("unknown name") << "sse9"
                                  << "" << true;
  }
  void environmentSelectsIsa() {
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QFETCH(bool, noted);
    if (expected.isEmpty()) expected = gemm::isaName(gemm::bestIsa());
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("QUANTLAB_ISA", value);
    env.insert("QUANTLAB_INT8GEMM_PROBE", "1");
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {"envProbe"});
    QVERIFY(child.waitForFinished(60000));
    QCOMPARE(child.exitCode(), 0);
    const QString out = QString::fromUtf8(child.readAllStandardOutput());
    QVERIFY2(out.contains("probe-active=" + expected + "\n"), qPrintable(out));
    const QString err = QString::fromUtf8(child.readAllStandardError());
    QCOMPARE(err.contains("QUANTLAB_ISA"), noted);
    QCOMPARE(!out.contains("probe-note=\n"), noted);
  }

  void accumulatorsBitExact_data() { addRows(true); }
  void accumulatorsBitExact() {
    QFETCH(int, isa);
    QFETCH(int, M);
    QFETCH(int, K);
    QFETCH(int, N);
    QFETCH(bool, signedA);
    QFETCH(int, fill);
    const Problem p = makeProblem(M, K, N, signedA, Fill(fill), seedOf(M, K, N, signedA, fill));
    const gemm::PackedWeights pw = gemm::packWeights(p.w, K, N, p.bias, p.qm);
    const std::vector<std::int32_t> expected = naiveAcc(p);
    const std::vector<std::int32_t> got = runAcc(Isa(isa), p, pw);
    QCOMPARE(got.size(), expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      if (got[i] != expected[i]) {
        QFAIL(qPrintable(QString("C[%1][%2] = %3, expected %4")
                             .arg(i / N)
                             .arg(i % N)
                             .arg(got[i])
                             .arg(expected[i])));
      }
    }
  }

  void requantizedBitExact_data() { addRows(false); }
  void requantizedBitExact() {
    QFETCH(int, isa);
    QFETCH(int, M);
    QFETCH(int, K);
    QFETCH(int, N);
    QFETCH(bool, signedA);
    QFETCH(int, fill);
    const Problem p = makeProblem(M, K, N, signedA, Fill(fill), seedOf(M, K, N, signedA, fill) + 5);
    const gemm::PackedWeights pw = gemm::packWeights(p.w, K, N, p.bias, p.qm);
    const std::vector<std::int32_t> acc = naiveAcc(p);
    std::mt19937 rng(static_cast<unsigned>(M * 31 + K));
    const std::int32_t zo = static_cast<std::int32_t>(rng() % 256) - 128;
    // No clamp, ReLU (max(zo, .)), ReLU6 with s_out = 6/100 (zo .. zo + 100 clipped to 127).
    const gemm::OutputParams ops[] = {
        {zo, -128, 127}, {zo, zo, 127}, {zo, zo, std::min(127, zo + 100)}};
    for (const gemm::OutputParams& op : ops) {
      const std::vector<std::int8_t> got = runRequant(Isa(isa), p, pw, op);
      int offByMoreThanOne = 0;
      for (std::size_t i = 0; i < got.size(); ++i) {
        const int n = static_cast<int>(i % N);
        // Bit-exact against the spelled-out TFLite formula.
        const std::int64_t r = std::int64_t{quant::MultiplyByQuantizedMultiplier(
                                   acc[i], p.qm[n].multiplier, p.qm[n].shift)} +
                               op.zeroPoint;
        const auto expected =
            static_cast<std::int8_t>(std::clamp<std::int64_t>(r, op.actMin, op.actMax));
        if (got[i] != expected) {
          QFAIL(qPrintable(QString("out[%1][%2] = %3, expected %4 (acc %5, act [%6, %7])")
                               .arg(i / N)
                               .arg(n)
                               .arg(got[i])
                               .arg(expected)
                               .arg(acc[i])
                               .arg(op.actMin)
                               .arg(op.actMax)));
        }
        // Within 1 LSB of the real-valued requantization, where acc * 2^shift fits int32.
        const int left = std::max(p.qm[n].shift, 0);
        if (std::fabs(double(acc[i])) * std::exp2(left) < 2147483648.0) {
          const double real = std::round(double(acc[i]) * p.realMult[n]) + op.zeroPoint;
          const double clamped = std::clamp(real, double(op.actMin), double(op.actMax));
          if (std::fabs(clamped - got[i]) > 1.0) ++offByMoreThanOne;
        }
        QVERIFY(got[i] >= op.actMin && got[i] <= op.actMax);
      }
      QCOMPARE(offByMoreThanOne, 0);
    }
  }

  // The vector requantizers over the whole (acc, multiplier, shift) domain: with K = 1 and w = 1
  // the accumulator is bias + (a - za), so the bias steers it to INT32 extremes, powers of two
  // and exact rounding ties; shifts cover [-31, 30] (left shifts that wrap included).
  void requantizerEdgeCases_data() {
    QTest::addColumn<int>("isa");
    for (Isa isa : gemm::kernelIsas()) QTest::addRow("%s", gemm::isaName(isa)) << int(isa);
  }
  void requantizerEdgeCases() {
    QFETCH(int, isa);
    std::mt19937_64 rng(99);
    constexpr int N = 997, M = 7;
    const std::int32_t kMin = std::numeric_limits<std::int32_t>::min();
    const std::int32_t kMax = std::numeric_limits<std::int32_t>::max();
    for (int round = 0; round < 40; ++round) {
      std::vector<std::int32_t> bias(N);
      std::vector<quant::QuantizedMultiplier> qm(N);
      for (int n = 0; n < N; ++n) {
        const std::uint64_t r = rng();
        switch (r % 5) {
          case 0:
            bias[n] = static_cast<std::int32_t>(static_cast<std::uint32_t>(r >> 20));
            break;
          case 1:
            bias[n] = (r & 8) ? kMax - int(r >> 40) % 300 : kMin + int(r >> 40) % 300;
            break;
          case 2:
            bias[n] = static_cast<std::int32_t>((r >> 8) % 4001) - 2000;
            break;
          default: {
            const std::int64_t v = (std::int64_t{1} << ((r >> 8) % 31)) * ((r & 16) ? -1 : 1);
            bias[n] = static_cast<std::int32_t>(v + std::int64_t((r >> 24) % 5) - 2);
          }
        }
        const std::uint64_t s = rng();
        const std::int32_t mults[] = {1 << 30, (1 << 30) + 1, kMax,
                                      static_cast<std::int32_t>((1u << 30) + (s >> 34))};
        qm[n].multiplier = mults[s % 4];
        qm[n].shift = static_cast<int>((s >> 8) % 62) - 31;
      }
      std::vector<std::int8_t> w(N, 1);
      const gemm::PackedWeights pw = gemm::packWeights(w, 1, N, bias, qm);
      std::vector<std::int8_t> a(M);
      for (int m = 0; m < M; ++m) a[m] = static_cast<std::int8_t>(int(rng() % 256) - 128);
      const std::int32_t za = static_cast<std::int32_t>(rng() % 256) - 128;
      const std::int32_t zo = static_cast<std::int32_t>(rng() % 256) - 128;
      const std::int32_t lo =
          std::min<std::int32_t>(zo, static_cast<std::int32_t>(rng() % 256) - 128);
      const gemm::OutputParams op{zo, lo, 127};
      std::vector<std::int8_t> out(std::size_t(M) * N);
      gemm::gemmRequant(Isa(isa), std::span<const std::int8_t>(a), M, za, pw, op, out);
      for (int m = 0; m < M; ++m) {
        for (int n = 0; n < N; ++n) {
          const auto acc = static_cast<std::int32_t>(static_cast<std::uint32_t>(bias[n]) +
                                                     static_cast<std::uint32_t>(a[m] - za));
          const std::int8_t expected = gemm::requantize(acc, qm[n], op);
          if (out[std::size_t(m) * N + n] != expected) {
            QFAIL(qPrintable(QString("acc %1 mult %2 shift %3: got %4, expected %5")
                                 .arg(acc)
                                 .arg(qm[n].multiplier)
                                 .arg(qm[n].shift)
                                 .arg(out[std::size_t(m) * N + n])
                                 .arg(expected)));
          }
        }
      }
    }
  }

  // The two activation encodings are the same numbers shifted by 128.
  void int8AndUint8Agree() {
    for (Isa isa : gemm::kernelIsas()) {
      Problem p = makeProblem(6, 53, 40, true, Fill::Random, 77);
      const gemm::PackedWeights pw = gemm::packWeights(p.w, p.K, p.N, p.bias, p.qm);
      const std::vector<std::int32_t> s8 = runAcc(isa, p, pw);
      p.signedA = false;
      p.au.resize(p.as.size());
      for (std::size_t i = 0; i < p.as.size(); ++i)
        p.au[i] = static_cast<std::uint8_t>(p.as[i] + 128);
      p.za += 128;
      QCOMPARE(runAcc(isa, p, pw), s8);
    }
  }

  // Biases near INT32_MAX wrap identically on every kernel.
  void hugeBiasWrapsIdentically() {
    Problem p = makeProblem(5, 70, 35, false, Fill::MaxProducts, 3);
    for (int n = 0; n < p.N; ++n) p.bias[n] = (n % 2) ? 2147483000 : -2147483000;
    const gemm::PackedWeights pw = gemm::packWeights(p.w, p.K, p.N, p.bias, p.qm);
    const std::vector<std::int32_t> expected = naiveAcc(p);
    QVERIFY(expected[1] < 0);  // really wrapped
    for (Isa isa : gemm::kernelIsas()) {
      QCOMPARE(runAcc(isa, p, pw), expected);
    }
  }

  // The default entry points use activeIsa().
  void defaultEntryPointsFollowForcedIsa() {
    const Problem p = makeProblem(7, 90, 50, true, Fill::Random, 11);
    const gemm::PackedWeights pw = gemm::packWeights(p.w, p.K, p.N, p.bias, p.qm);
    const std::vector<std::int32_t> expected = naiveAcc(p);
    const gemm::OutputParams op{3, -128, 127};
    std::vector<std::int8_t> refOut = runRequant(Isa::Reference, p, pw, op);
    std::vector<Isa> levels = quant::cpu::supportedIsas();
    levels.push_back(Isa::Auto);
    for (Isa isa : levels) {
      gemm::forceIsa(isa);
      std::vector<std::int32_t> c(expected.size());
      gemm::gemmAcc(std::span<const std::int8_t>(p.as), p.M, p.za, pw, c);
      QCOMPARE(c, expected);
      std::vector<std::int8_t> out(expected.size());
      gemm::gemmRequant(std::span<const std::int8_t>(p.as), p.M, p.za, pw, op, out);
      QCOMPARE(out, refOut);
    }
    gemm::forceIsa(Isa::Auto);
  }

  void emptyM() {
    const Problem p = makeProblem(1, 8, 8, true, Fill::Random, 1);
    const gemm::PackedWeights pw = gemm::packWeights(p.w, p.K, p.N, p.bias, p.qm);
    std::vector<std::int32_t> c;
    gemm::gemmAcc(std::span<const std::int8_t>(), 0, 0, pw, c);
    QVERIFY(c.empty());
  }

  void refusals() {
    std::vector<std::int8_t> w(12, 1);
    QVERIFY_THROWS_EXCEPTION(quant::Error, gemm::packWeights(w, 3, 5));
    QVERIFY_THROWS_EXCEPTION(quant::Error, gemm::packWeights(w, 0, 12));
    w[7] = -128;
    QVERIFY_THROWS_EXCEPTION(quant::Error, gemm::packWeights(w, 3, 4));
    w[7] = 1;
    const std::vector<std::int32_t> badBias(3);
    QVERIFY_THROWS_EXCEPTION(quant::Error, gemm::packWeights(w, 3, 4, badBias));
    const quant::QuantizedMultiplier badShift{1 << 30, 31};
    QVERIFY_THROWS_EXCEPTION(quant::Error, gemm::packWeights(w, 3, 4, {}, std::span(&badShift, 1)));
    const gemm::PackedWeights noRequant = gemm::packWeights(w, 3, 4);
    std::vector<std::int8_t> a(6, 0);
    std::vector<std::int8_t> out(8);
    std::vector<std::int32_t> c(8);
    gemm::gemmAcc(std::span<const std::int8_t>(a), 2, -128, noRequant, c);
    QCOMPARE(c[0], 3 * 128);
    QVERIFY_THROWS_EXCEPTION(
        quant::Error, gemm::gemmRequant(std::span<const std::int8_t>(a), 2, 0, noRequant, {}, out));
    QVERIFY_THROWS_EXCEPTION(quant::Error,
                             gemm::gemmAcc(std::span<const std::int8_t>(a), 2, 128, noRequant, c));
    QVERIFY_THROWS_EXCEPTION(quant::Error,
                             gemm::gemmAcc(std::span<const std::uint8_t>(), 2, 0, noRequant, c));
    std::vector<std::uint8_t> au(6, 0);
    QVERIFY_THROWS_EXCEPTION(quant::Error,
                             gemm::gemmAcc(std::span<const std::uint8_t>(au), 2, -1, noRequant, c));
    std::vector<std::int32_t> small(7);
    QVERIFY_THROWS_EXCEPTION(
        quant::Error, gemm::gemmAcc(std::span<const std::uint8_t>(au), 2, 0, noRequant, small));
    const quant::QuantizedMultiplier one = quant::QuantizeMultiplier(1.0);
    const gemm::PackedWeights withRequant = gemm::packWeights(w, 3, 4, {}, std::span(&one, 1));
    const gemm::OutputParams inverted{0, 10, -10};
    QVERIFY_THROWS_EXCEPTION(quant::Error, gemm::gemmRequant(std::span<const std::uint8_t>(au), 2,
                                                             0, withRequant, inverted, out));
    // One multiplier broadcast to every channel: x * 1.0 exactly.
    gemm::gemmRequant(std::span<const std::uint8_t>(au), 2, 1, withRequant, {}, out);
    for (std::int8_t v : out) QCOMPARE(int(v), -3);
  }
};

QTEST_GUILESS_MAIN(TestInt8Gemm)
#include "tst_int8gemm.moc"
