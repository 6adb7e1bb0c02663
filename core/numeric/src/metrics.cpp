// SPDX-License-Identifier: GPL-3.0-or-later
// Error metrics between a tensor and its reconstruction; the fused fake-quantize + measure pass.
// All sums are in double (the fused kernel keeps float partial sums over 16 vectors per lane and
// flushes them into double, which keeps ~1e-7 relative accuracy on millions of elements).

#include "quant/numeric/metrics.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <string>

#include "quant/kernels/cpu.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace quant {

namespace {

// sed = sum(err * (x + x_hat)) = sxx - syy without cancellation (see the cosine below).
struct Sums {
  std::int64_t count = 0, nonFinite = 0, clipped = 0;
  double see = 0, sae = 0, sxx = 0, syy = 0, sed = 0, maxAbs = 0;
};

ErrorMetrics finish(const Sums& s) {
  ErrorMetrics m;
  m.count = s.count;
  m.nonFinite = s.nonFinite;
  m.clipped = s.clipped;
  const double inf = std::numeric_limits<double>::infinity();
  if (s.count > 0) {
    const auto n = static_cast<double>(s.count);
    m.mse = s.see / n;
    m.rmse = std::sqrt(m.mse);
    m.mae = s.sae / n;
    m.clippedFraction = static_cast<double>(s.clipped) / n;
  }
  m.maxAbs = s.maxAbs;
  if (s.see == 0.0) {
    m.sqnrDb = inf;
  } else if (s.sxx == 0.0) {
    m.sqnrDb = -inf;
  } else {
    m.sqnrDb = 10.0 * std::log10(s.sxx / s.see);
  }
  if (s.sxx == 0.0 && s.syy == 0.0) {
    m.cosine = 1.0;
  } else if (s.sxx == 0.0 || s.syy == 0.0) {
    m.cosine = 0.0;
  } else {
    // 1 - cos = (see - (|x| - |x_hat|)^2) / (2 |x| |x_hat|), with |x| - |x_hat| = sed / (|x| +
    // |x_hat|): every term is accurate, so 1 - cos keeps its relative precision even at 16 bits,
    // where sed / sqrt(sxx * syy) would lose it to cancellation.
    const double nx = std::sqrt(s.sxx), ny = std::sqrt(s.syy);
    const double delta = s.sed / (nx + ny);
    m.cosine = std::clamp(1.0 - (s.see - delta * delta) / (2.0 * nx * ny), -1.0, 1.0);
  }
  if (s.sxx == 0.0) {
    m.normalizedL2 = s.see == 0.0 ? 0.0 : inf;
  } else {
    m.normalizedL2 = std::sqrt(s.see / s.sxx);
  }
  return m;
}

inline bool isFiniteF(float x) { return std::fabs(x) <= FLT_MAX; }

// Four independent accumulator sets so the double additions are not one serial dependency chain.
Sums sumPairs(const float* x, const float* y, std::size_t n) {
  Sums s;
  double see[4] = {}, sae[4] = {}, sxx[4] = {}, syy[4] = {}, sed[4] = {}, mx[4] = {};
  std::int64_t cnt[4] = {};
  std::size_t i = 0;
  const auto one = [&](std::size_t k, int lane) {
    const float xi = x[k];
    if (!isFiniteF(xi)) return;
    const double a = xi, b = y[k], e = a - b;
    ++cnt[lane];
    see[lane] += e * e;
    sae[lane] += std::fabs(e);
    sxx[lane] += a * a;
    syy[lane] += b * b;
    sed[lane] += e * (a + b);
    mx[lane] = std::max(mx[lane], std::fabs(e));
  };
  for (; i + 4 <= n; i += 4) {
    one(i, 0);
    one(i + 1, 1);
    one(i + 2, 2);
    one(i + 3, 3);
  }
  for (; i < n; ++i) one(i, 0);
  for (int l = 0; l < 4; ++l) {
    s.count += cnt[l];
    s.see += see[l];
    s.sae += sae[l];
    s.sxx += sxx[l];
    s.syy += syy[l];
    s.sed += sed[l];
    s.maxAbs = std::max(s.maxAbs, mx[l]);
  }
  s.nonFinite = static_cast<std::int64_t>(n) - s.count;
  return s;
}

#if defined(__x86_64__) || defined(__i386__)
__attribute__((target("avx2,fma"))) inline __m256d widen(__m256 f) {
  return _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(f)),
                       _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
}

__attribute__((target("avx2,fma"))) inline double total(__m256d d) {
  alignas(32) double t[4];
  _mm256_store_pd(t, d);
  return (t[0] + t[1]) + (t[2] + t[3]);
}

// AVX2 version of sumPairs: float partial sums over blocks of 32 vectors per lane, flushed into
// double vectors (the same accuracy scheme as the fused kernel).
__attribute__((target("avx2,fma"))) Sums sumPairsAvx2(const float* x, const float* y,
                                                      std::size_t n) {
  constexpr std::size_t kBlock = 32;
  const __m256 absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  const __m256 fltMax = _mm256_set1_ps(FLT_MAX);
  __m256d dsee = _mm256_setzero_pd(), dsae = dsee, dsxx = dsee, dsyy = dsee, dsed = dsee;
  __m256 mx = _mm256_setzero_ps();
  __m256i cnt = _mm256_setzero_si256();
  std::int64_t count = 0;
  std::size_t i = 0;
  while (i + 8 <= n) {
    const std::size_t nv = std::min(kBlock, (n - i) / 8);
    __m256 see = _mm256_setzero_ps(), sae = see, sxx = see, syy = see, sed = see;
    for (std::size_t k = 0; k < nv; ++k, i += 8) {
      const __m256 xv = _mm256_loadu_ps(x + i);
      const __m256 fin = _mm256_cmp_ps(_mm256_and_ps(xv, absMask), fltMax, _CMP_LE_OQ);
      const __m256 xm = _mm256_and_ps(xv, fin);
      const __m256 ym = _mm256_and_ps(_mm256_loadu_ps(y + i), fin);
      const __m256 e = _mm256_sub_ps(xm, ym);
      const __m256 ae = _mm256_and_ps(e, absMask);
      see = _mm256_fmadd_ps(e, e, see);
      sae = _mm256_add_ps(sae, ae);
      sxx = _mm256_fmadd_ps(xm, xm, sxx);
      syy = _mm256_fmadd_ps(ym, ym, syy);
      sed = _mm256_fmadd_ps(e, _mm256_add_ps(xm, ym), sed);
      // maxps returns its second operand when one is NaN: a NaN error is ignored, as in sumPairs.
      mx = _mm256_max_ps(ae, mx);
      cnt = _mm256_sub_epi32(cnt, _mm256_castps_si256(fin));
    }
    dsee = _mm256_add_pd(dsee, widen(see));
    dsae = _mm256_add_pd(dsae, widen(sae));
    dsxx = _mm256_add_pd(dsxx, widen(sxx));
    dsyy = _mm256_add_pd(dsyy, widen(syy));
    dsed = _mm256_add_pd(dsed, widen(sed));
    alignas(32) std::int32_t c[8];
    _mm256_store_si256(reinterpret_cast<__m256i*>(c), cnt);
    for (std::int32_t v : c) count += v;
    cnt = _mm256_setzero_si256();
  }
  Sums v;
  v.see = total(dsee);
  v.sae = total(dsae);
  v.sxx = total(dsxx);
  v.syy = total(dsyy);
  v.sed = total(dsed);
  alignas(32) float m[8];
  _mm256_store_ps(m, mx);
  for (float f : m) v.maxAbs = std::max(v.maxAbs, static_cast<double>(f));
  // The scalar tail is called with no YMM value live, so the compiler clears the upper state
  // first (legacy-SSE code after dirty YMM state is slow).
  Sums s = sumPairs(x + i, y + i, n - i);
  s.see += v.see;
  s.sae += v.sae;
  s.sxx += v.sxx;
  s.syy += v.syy;
  s.sed += v.sed;
  s.maxAbs = std::max(s.maxAbs, v.maxAbs);
  s.count += count;
  s.nonFinite = static_cast<std::int64_t>(n) - s.count;
  return s;
}
#endif

}  // namespace

ErrorMetrics computeMetrics(std::span<const float> x, std::span<const float> xHat, double scale) {
  if (x.size() != xHat.size()) {
    throw Error("metrics: x has " + std::to_string(x.size()) + " elements, x_hat " +
                std::to_string(xHat.size()));
  }
#if defined(__x86_64__) || defined(__i386__)
  // The sums have a reference and an AVX2 kernel; the dispatcher picks as for the other kernels.
  const bool avx2 =
      cpu::kernelFor(cpu::Isa::Auto, {cpu::Isa::Reference, cpu::Isa::Avx2}) == cpu::Isa::Avx2;
  const Sums sums = avx2 ? sumPairsAvx2(x.data(), xHat.data(), x.size())
                         : sumPairs(x.data(), xHat.data(), x.size());
#else
  const Sums sums = sumPairs(x.data(), xHat.data(), x.size());
#endif
  ErrorMetrics m = finish(sums);
  if (scale > 0) m.rmseOverScale = m.rmse / scale;
  return m;
}

ErrorMetrics fakeQuantizeMeasured(std::span<const float> x, const QuantParams& p,
                                  std::span<float> out) {
  detail::FakeQuantSums fs;
  detail::fakeQuantizeImpl(x, p, out, &fs);
  Sums s;
  s.count = fs.count;
  s.nonFinite = fs.nonFinite;
  s.clipped = fs.clipped;
  s.see = fs.see;
  s.sae = fs.sae;
  s.sxx = fs.sxx;
  s.syy = fs.syy;
  s.sed = fs.sed;
  s.maxAbs = fs.maxAbs;
  ErrorMetrics m = finish(s);
  if (fs.count > 0) m.rmseOverScale = std::sqrt(fs.seeOverScale2 / static_cast<double>(fs.count));
  return m;
}

std::vector<ErrorMetrics> metricsPerSlot(std::span<const float> x, std::span<const float> xHat,
                                         const QuantParams& p) {
  const ParamLayout& L = p.layout;
  const std::int64_t numel = L.outer * L.dim * L.inner;
  if (x.size() != xHat.size() || static_cast<std::int64_t>(x.size()) != numel) {
    throw Error("metrics: x has " + std::to_string(x.size()) + " elements, x_hat " +
                std::to_string(xHat.size()) + ", parameters expect " + std::to_string(numel));
  }
  const auto slots = static_cast<std::size_t>(L.slotCount());
  if (p.scales.size() != slots || p.ranges.size() != slots) {
    throw Error("metrics: parameters have " + std::to_string(p.scales.size()) + " scales for " +
                std::to_string(slots) + " slots");
  }
  std::vector<Sums> sums(slots);
  std::size_t k = 0;
  for (std::int64_t o = 0; o < L.outer; ++o)
    for (std::int64_t d = 0; d < L.dim; ++d) {
      std::int64_t base = 0;
      if (L.granularity == Granularity::PerChannel) base = d;
      if (L.granularity == Granularity::PerGroup) base = (o * L.groups + d / L.groupSize) * L.inner;
      const bool varies = L.granularity == Granularity::PerGroup;
      for (std::int64_t i = 0; i < L.inner; ++i, ++k) {
        Sums& s = sums[static_cast<std::size_t>(varies ? base + i : base)];
        const float xi = x[k];
        if (!isFiniteF(xi)) {
          ++s.nonFinite;
          continue;
        }
        const std::size_t slot = static_cast<std::size_t>(varies ? base + i : base);
        ++s.count;
        if (xi < p.ranges[slot].lo || xi > p.ranges[slot].hi) ++s.clipped;
        const double a = xi, b = xHat[k], e = a - b;
        s.see += e * e;
        s.sae += std::fabs(e);
        s.sxx += a * a;
        s.syy += b * b;
        s.sed += e * (a + b);
        s.maxAbs = std::max(s.maxAbs, std::fabs(e));
      }
    }
  std::vector<ErrorMetrics> out(slots);
  for (std::size_t s = 0; s < slots; ++s) {
    out[s] = finish(sums[s]);
    if (p.scales[s] > 0) out[s].rmseOverScale = out[s].rmse / p.scales[s];
  }
  return out;
}

double sqnrRuleOfThumbDb(int bits) { return 6.02 * bits + 1.76; }

double klDivergence(const Histogram& p, const Histogram& q) {
  if (p.counts.size() != q.counts.size() || p.lo != q.lo || p.hi != q.hi) {
    throw Error("KL divergence needs histograms with identical binning (" +
                std::to_string(p.counts.size()) + " vs " + std::to_string(q.counts.size()) +
                " bins)");
  }
  double sp = 0, sq = 0;
  for (std::size_t i = 0; i < p.counts.size(); ++i) {
    sp += static_cast<double>(p.counts[i]);
    sq += static_cast<double>(q.counts[i]);
  }
  if (sp <= 0) return 0.0;
  constexpr double kEps = 1e-10;
  double kl = 0;
  for (std::size_t i = 0; i < p.counts.size(); ++i) {
    if (p.counts[i] <= 0) continue;
    const double pi = static_cast<double>(p.counts[i]) / sp;
    const double qi = (q.counts[i] > 0 && sq > 0) ? static_cast<double>(q.counts[i]) / sq : kEps;
    kl += pi * std::log(pi / qi);
  }
  return kl;
}

}  // namespace quant
