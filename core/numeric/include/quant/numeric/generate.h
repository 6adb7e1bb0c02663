// SPDX-License-Identifier: GPL-3.0-or-later
// Synthetic weight/activation tensors for experiments without a model file.
//
// Reproducibility: the same GeneratorSpec gives the same floats with libstdc++ and libc++.
// Only std::mt19937_64's raw output is used (its sequence is fixed by the standard); uniform
// variates, Box-Muller normals and inverse-CDF Laplace variates are computed here, not by
// std::*_distribution (whose algorithms are implementation-defined). Values are computed in
// double and rounded to float32 with ties-to-even. (std::log/sin/cos come from the platform's
// libm; glibc and other correctly-rounded-in-practice libms agree after rounding to float.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "quant/base/tensor.h"

namespace quant {

enum class Distribution {
  Normal,      // N(mean, stddev^2)
  Uniform,     // U[low, high)
  Laplace,     // Laplace(loc, scale): density exp(-|x-loc|/scale) / (2 scale); heavy-ish tails
  HalfNormal,  // mean + |N(0, stddev^2)|: no exact zeros, all values >= mean
  Relu,        // max(0, N(mean, stddev^2)): a post-ReLU activation, ~50% exact zeros at mean 0
  Bimodal,     // 1/2 N(mean - separation, stddev^2) + 1/2 N(mean + separation, stddev^2)
};

struct GeneratorSpec {
  Distribution distribution = Distribution::Normal;
  std::vector<std::int64_t> shape{1024};
  std::uint64_t seed = 0;
  double mean = 0.0;        // Normal, HalfNormal (offset), Relu, Bimodal (centre)
  double stddev = 1.0;      // Normal, HalfNormal, Relu, Bimodal (each mode)
  double low = -1.0;        // Uniform
  double high = 1.0;        // Uniform
  double loc = 0.0;         // Laplace
  double scale = 1.0;       // Laplace
  double separation = 3.0;  // Bimodal: the modes sit at mean -/+ separation
  // Outliers: `outlierCount` distinct positions (seeded) are overwritten with +magnitude or
  // -magnitude (random sign). The base values do not depend on the outlier settings, so the
  // same seed with and without outliers differs only at the outlier positions.
  std::int64_t outlierCount = 0;
  double outlierMagnitude = 0.0;
  std::string name = "synthetic";
};

// Largest tensor generate() makes: 2^28 elements (1 GiB of float32).
inline constexpr std::int64_t kMaxGeneratedElements = std::int64_t{1} << 28;

// Generates the tensor (dtype "float32"). Throws quant::Error for invalid parameters
// (stddev < 0, high <= low, scale <= 0, outlierCount > numel or < 0, non-finite parameters,
// shapes that overflow or exceed kMaxGeneratedElements).
Tensor generate(const GeneratorSpec& spec);

// "normal", "uniform", "laplace", "halfnormal" (also "half-normal"), "relu", "bimodal";
// case-insensitive. Throws quant::Error listing the valid names.
Distribution parseDistribution(const std::string& name);

// The canonical name accepted by parseDistribution.
std::string distributionName(Distribution d);

}  // namespace quant
