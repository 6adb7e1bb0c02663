// SPDX-License-Identifier: GPL-3.0-or-later
// Tests of the float32 GEMM (fp32gemm.h): every kernel level (reference, avx2, avx512vnni; a level
// this CPU lacks is skipped with a message) against an independent double-precision triple loop,
// for packed weights (column bias) and plain strided B (row bias), with and without the fused
// ReLU, on shapes with M = 1, N = 1, odd K and tails in every dimension of every tile. The SIMD
// kernels must also agree with each other bit for bit (each output is one FMA chain over k).
//
// Tolerance: the kernels sum K products in float32 with fused multiply-adds and then add the
// bias, K + 1 roundings of at most u = 2^-24 relative to a partial sum, each partial sum bounded
// by S = |bias| + sum_k |a[m][k] * b[k][n]|. So |kernel - exact| <= (K + 1) * u * S (to first
// order; Higham, "Accuracy and Stability of Numerical Algorithms", eq. 3.5). The double loop is
// exact to ~K * 2^-53 * S, negligible next to it. The test allows (K + 2) * u * S plus the
// smallest normal float (for all-zero S).
#include <QtTest>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/kernels/fp32gemm.h"
#include "quanttesting.h"

namespace f32 = quant::fp32gemm;
using quant::cpu::Isa;

namespace {

struct Shape {
  int M, K, N;
};

struct Problem {
  Shape s;
  std::vector<float> a, w, bias;  // a: M x K, w: K x N, bias: N (packed) or M (strided)
};

Problem makeProblem(Shape s, bool rowBias, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<float> u(-1.0f, 1.0f);
  Problem p{s, {}, {}, {}};
  p.a.resize(std::size_t(s.M) * s.K);
  p.w.resize(std::size_t(s.K) * s.N);
  p.bias.resize(std::size_t(rowBias ? s.M : s.N));
  for (float& v : p.a) v = u(rng);
  for (float& v : p.w) v = u(rng);
  for (float& v : p.bias) v = u(rng);
  return p;
}

// The exact value (to double rounding) and the bound S of the file comment, per output.
void exact(const Problem& p, bool rowBias, bool relu, std::vector<double>& value,
           std::vector<double>& magnitude) {
  const Shape s = p.s;
  value.assign(std::size_t(s.M) * s.N, 0.0);
  magnitude.assign(value.size(), 0.0);
  for (int m = 0; m < s.M; ++m) {
    for (int n = 0; n < s.N; ++n) {
      const double bias = p.bias[std::size_t(rowBias ? m : n)];
      double acc = bias, mag = std::fabs(bias);
      for (int k = 0; k < s.K; ++k) {
        const double prod = double(p.a[std::size_t(m) * s.K + k]) * p.w[std::size_t(k) * s.N + n];
        acc += prod;
        mag += std::fabs(prod);
      }
      value[std::size_t(m) * s.N + n] = relu ? std::max(acc, 0.0) : acc;
      magnitude[std::size_t(m) * s.N + n] = mag;
    }
  }
}

// Runs one kernel level in the packed (strided == false) or strided form, with output row stride
// N + 3 whose extra columns must stay untouched.
std::vector<float> runKernel(Isa isa, const Problem& p, bool strided, bool relu, int ldc) {
  const Shape s = p.s;
  std::vector<float> c(std::size_t(s.M) * ldc, 12345.0f);
  if (strided) {
    const std::ptrdiff_t ldb = f32::stridedRowFloats(s.N) + 5;
    // Padding columns hold large finite values: they must not reach any output.
    std::vector<float> b(std::size_t(s.K) * ldb, 1e30f);
    for (int k = 0; k < s.K; ++k) {
      for (int n = 0; n < s.N; ++n) b[std::size_t(k) * ldb + n] = p.w[std::size_t(k) * s.N + n];
    }
    f32::gemmStrided(isa, p.a.data(), s.M, s.K, s.K, b.data(), s.N, ldb, p.bias.data(), relu,
                     c.data(), ldc);
  } else {
    const f32::PackedWeights w = f32::packWeights(p.w, s.K, s.N, f32::Layout::KxN, p.bias);
    f32::gemmPacked(isa, p.a.data(), s.M, s.K, w, relu, c.data(), ldc);
  }
  return c;
}

}  // namespace

class TestFp32Gemm : public QObject {
  Q_OBJECT

 private slots:
  void matchesExact_data() {
    QTest::addColumn<int>("isa");
    QTest::addColumn<int>("M");
    QTest::addColumn<int>("K");
    QTest::addColumn<int>("N");
    const Shape shapes[] = {{1, 1, 1},      {1, 784, 256}, {3, 5, 1},     {7, 9, 5},
                            {6, 16, 16},    {13, 33, 17},  {12, 64, 64},  {5, 17, 65},
                            {19, 3, 100},   {37, 129, 81}, {2, 1000, 3},  {64, 784, 256},
                            {196, 144, 32}, {32, 9, 784},  {11, 255, 130}};
    for (Isa isa : {Isa::Reference, Isa::Avx2, Isa::Avx512Vnni}) {
      for (const Shape& s : shapes) {
        QTest::addRow("%s %dx%dx%d", quant::cpu::isaName(isa), s.M, s.K, s.N)
            << int(isa) << s.M << s.K << s.N;
      }
    }
  }

  void matchesExact() {
    QFETCH(int, isa);
    QFETCH(int, M);
    QFETCH(int, K);
    QFETCH(int, N);
    const Isa level = static_cast<Isa>(isa);
    if (!quant::cpu::isaSupported(level)) {
      QSKIP(
          qPrintable(QString("this CPU cannot run the %1 kernel").arg(quant::cpu::isaName(level))));
    }
    QCOMPARE(f32::kernelIsa(level), level);
    const double u = std::ldexp(1.0, -24);
    const int ldc = N + 3;
    for (const bool strided : {false, true}) {
      const Problem p = makeProblem({M, K, N}, strided, std::uint64_t(M * 1000003 + K * 101 + N));
      for (const bool relu : {false, true}) {
        std::vector<double> value, magnitude;
        exact(p, strided, relu, value, magnitude);
        const std::vector<float> c = runKernel(level, p, strided, relu, ldc);
        int bad = 0;
        double worst = 0.0;
        for (int m = 0; m < M; ++m) {
          for (int n = 0; n < ldc; ++n) {
            const float got = c[std::size_t(m) * ldc + n];
            if (n >= N) {
              bad += got != 12345.0f;  // outside the output: untouched
              continue;
            }
            const std::size_t i = std::size_t(m) * N + n;
            const double bound = (K + 2) * u * magnitude[i] + std::numeric_limits<float>::min();
            const double err = std::fabs(double(got) - value[i]);
            worst = std::max(worst, err / bound);
            bad += !(err <= bound) || (relu && got < 0.0f);
          }
        }
        QVERIFY2(bad == 0, qPrintable(QString("%1 outputs off (strided %2, relu %3); worst "
                                              "error / bound %4")
                                          .arg(bad)
                                          .arg(strided)
                                          .arg(relu)
                                          .arg(worst)));
      }
    }
  }

  // Every output is one FMA chain over k from 0, so all SIMD kernels give the same bits.
  void simdKernelsAgree() {
    std::vector<Isa> simd;
    for (Isa isa : f32::kernelIsas()) {
      if (isa != Isa::Reference) simd.push_back(isa);
    }
    if (simd.size() < 2) QSKIP("this CPU has fewer than two SIMD fp32 kernels to compare");
    for (const Shape s : {Shape{1, 1, 1}, Shape{13, 33, 17}, Shape{64, 784, 256},
                          Shape{37, 129, 81}, Shape{32, 9, 784}}) {
      for (const bool strided : {false, true}) {
        const Problem p = makeProblem(s, strided, 99);
        const std::vector<float> first = runKernel(simd[0], p, strided, true, s.N);
        for (std::size_t i = 1; i < simd.size(); ++i) {
          QVERIFY2(runKernel(simd[i], p, strided, true, s.N) == first,
                   qPrintable(QString("%1 and %2 differ on %3x%4x%5")
                                  .arg(quant::cpu::isaName(simd[0]))
                                  .arg(quant::cpu::isaName(simd[i]))
                                  .arg(s.M)
                                  .arg(s.K)
                                  .arg(s.N)));
        }
      }
    }
  }

  // ReLU(NaN) = 0 as the layer defines it; without ReLU NaN propagates.
  void reluMapsNanToZero() {
    for (Isa isa : f32::kernelIsas()) {
      Problem p = makeProblem({2, 3, 20}, false, 5);
      p.a[0] = std::numeric_limits<float>::quiet_NaN();
      const std::vector<float> relu = runKernel(isa, p, false, true, 20);
      const std::vector<float> plain = runKernel(isa, p, false, false, 20);
      for (int n = 0; n < 20; ++n) {
        QVERIFY2(relu[std::size_t(n)] == 0.0f, quant::cpu::isaName(isa));
        QVERIFY2(std::isnan(plain[std::size_t(n)]), quant::cpu::isaName(isa));
      }
    }
  }

  void packingLayouts() {
    // The same matrix given K x N and N x K packs to the same panels.
    const int K = 5, N = 19;
    std::vector<float> kn(std::size_t(K) * N), nk(kn.size());
    for (int k = 0; k < K; ++k) {
      for (int n = 0; n < N; ++n) {
        kn[std::size_t(k) * N + n] = float(k * 100 + n);
        nk[std::size_t(n) * K + k] = float(k * 100 + n);
      }
    }
    const f32::PackedWeights a = f32::packWeights(kn, K, N, f32::Layout::KxN);
    const f32::PackedWeights b = f32::packWeights(nk, K, N, f32::Layout::NxK);
    QCOMPARE(a.panels, b.panels);
    QCOMPARE(a.panels.size(), std::size_t(32 * K));
    QCOMPARE(a.panels[std::size_t(16 * K + 3 * 16 + 2)], float(3 * 100 + 18));  // k 3, n 18
    QCOMPARE(a.panels[std::size_t(16 * K + 3 * 16 + 3)], 0.0f);                 // padding
    QCOMPARE(a.bias, std::vector<float>(32, 0.0f));
  }

  void refusesBadArguments() {
    const std::vector<float> w(6, 1.0f);
    QVERIFY_THROWS_EXCEPTION(quant::Error, f32::packWeights(w, 2, 4, f32::Layout::KxN));
    QVERIFY_THROWS_EXCEPTION(quant::Error,
                             f32::packWeights(w, 2, 3, f32::Layout::KxN, std::vector<float>(2)));
    QVERIFY_THROWS_EXCEPTION(quant::Error, f32::packWeights({}, 0, 3, f32::Layout::KxN));
    const f32::PackedWeights p = f32::packWeights(w, 2, 3, f32::Layout::KxN);
    std::vector<float> a(4), c(6), b(2 * 16);
    QVERIFY_THROWS_EXCEPTION(quant::Error,
                             f32::gemmPacked(Isa::Auto, a.data(), 2, 1, p, false, c.data(), 3));
    QVERIFY_THROWS_EXCEPTION(quant::Error, f32::gemmStrided(Isa::Auto, a.data(), 2, 2, 2, b.data(),
                                                            3, 3, nullptr, false, c.data(), 3));
    f32::gemmPacked(Isa::Auto, a.data(), 0, 2, p, false, c.data(), 3);  // M = 0: nothing to do
  }
};

QTEST_APPLESS_MAIN(TestFp32Gemm)
#include "tst_fp32gemm.moc"
