// SPDX-License-Identifier: GPL-3.0-or-later
#include "common.h"

#include <cmath>
#include <cstdio>

namespace cli {

TensorStats tensorStats(std::span<const float> x) {
  TensorStats s;
  double sum = 0, sumSq = 0;
  bool first = true;
  for (float v : x) {
    if (!std::isfinite(v)) {
      ++s.nonFinite;
      continue;
    }
    if (first) {
      s.min = s.max = v;
      first = false;
    }
    s.min = std::min<double>(s.min, v);
    s.max = std::max<double>(s.max, v);
    s.zeros += v == 0.0f;
    sum += v;
    ++s.count;
  }
  if (s.count > 0) {
    s.mean = sum / static_cast<double>(s.count);
    for (float v : x)
      if (std::isfinite(v)) sumSq += (v - s.mean) * (v - s.mean);
    s.stddev = std::sqrt(sumSq / static_cast<double>(s.count));
    s.absMax = std::max(std::fabs(s.min), std::fabs(s.max));
  }
  return s;
}

nlohmann::json statsJson(const TensorStats& s) {
  return {{"count", s.count},   {"non_finite", s.nonFinite}, {"zeros", s.zeros},
          {"min", s.min},       {"max", s.max},              {"mean", s.mean},
          {"std", s.stddev},    {"absmax", s.absMax}};
}

void printStats(const TensorStats& s) {
  std::printf("  %lld finite values (%lld zeros), min %.6g, max %.6g, mean %.6g, std %.6g\n",
              static_cast<long long>(s.count), static_cast<long long>(s.zeros), s.min, s.max,
              s.mean, s.stddev);
  if (s.nonFinite > 0)
    std::printf("  %lld NaN/Inf values (kept out of every range)\n",
                static_cast<long long>(s.nonFinite));
}

nlohmann::json tensorJson(const quant::Tensor& t) {
  return {{"name", t.name}, {"dtype", t.dtype}, {"shape", t.shape}, {"numel", t.data.size()}};
}

std::vector<float> xhatFor(const quant::Tensor& t, const quant::QuantParams& p) {
  std::vector<float> out(t.data.size());
  quant::fakeQuantize(t.data, p, out);
  return out;
}

}  // namespace cli
