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

#include "quant/kernels/fakequant.h"

namespace quant {

namespace {

// The kernels' sums; sed = sum(err * (x + x_hat)) = sxx - syy without cancellation (see the
// cosine below).
using Sums = fakequant::Sums;

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

}  // namespace

ErrorMetrics computeMetrics(std::span<const float> x, std::span<const float> xHat, double scale) {
  if (x.size() != xHat.size()) {
    throw Error("metrics: x has " + std::to_string(x.size()) + " elements, x_hat " +
                std::to_string(xHat.size()));
  }
  ErrorMetrics m = finish(fakequant::measure(cpu::Isa::Auto, x.data(), xHat.data(), x.size()));
  if (scale > 0) m.rmseOverScale = m.rmse / scale;
  return m;
}

ErrorMetrics fakeQuantizeMeasured(std::span<const float> x, const QuantParams& p,
                                  std::span<float> out) {
  detail::FakeQuantSums fs;
  detail::fakeQuantizeImpl(x, p, out, &fs);
  ErrorMetrics m = finish(fs);
  if (fs.count > 0) m.rmseOverScale = std::sqrt(fs.seeOverScale2 / static_cast<double>(fs.count));
  return m;
}

MeasuredBlocks::MeasuredBlocks(const QuantParams& p) : p_(p) {
  if (p.layout.granularity != Granularity::PerTensor || p.scales.size() != 1)
    throw Error("metrics in blocks need per-tensor parameters");
}

void MeasuredBlocks::add(std::span<const float> x, std::span<float> out) {
  // The one slot covers every value, so the block's layout is the block itself.
  p_.layout.outer = 1;
  p_.layout.dim = 1;
  p_.layout.inner = static_cast<std::int64_t>(x.size());
  detail::FakeQuantSums block;
  detail::fakeQuantizeImpl(x, p_, out, &block);
  sums_ += block;
  sums_.seeOverScale2 += block.seeOverScale2;
}

ErrorMetrics MeasuredBlocks::metrics() const {
  ErrorMetrics m = finish(sums_);
  if (sums_.count > 0)
    m.rmseOverScale = std::sqrt(sums_.seeOverScale2 / static_cast<double>(sums_.count));
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
