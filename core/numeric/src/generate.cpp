// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/numeric/generate.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <unordered_set>

namespace quant {

namespace {

// Uniform double in the open interval (0, 1): 53 random bits, centred in their cell, so that
// log() never sees 0 and 1 - u never rounds to 0.
double uniformOpen(std::mt19937_64& rng) {
  return (static_cast<double>(rng() >> 11) + 0.5) * 0x1.0p-53;
}

// Uniform integer in [0, n) without modulo bias (rejection of the incomplete last block).
std::uint64_t uniformBelow(std::mt19937_64& rng, std::uint64_t n) {
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  for (;;) {
    const std::uint64_t x = rng();
    if (x < limit) return x % n;
  }
}

// Standard normals by the Box-Muller transform, two per pair of uniforms.
class Normal {
 public:
  explicit Normal(std::mt19937_64& rng) : rng_(rng) {}
  double operator()() {
    if (hasSpare_) {
      hasSpare_ = false;
      return spare_;
    }
    const double u1 = uniformOpen(rng_);
    const double u2 = uniformOpen(rng_);
    const double r = std::sqrt(-2.0 * std::log(u1));
    const double theta = 2.0 * std::numbers::pi * u2;
    spare_ = r * std::sin(theta);
    hasSpare_ = true;
    return r * std::cos(theta);
  }

 private:
  std::mt19937_64& rng_;
  double spare_ = 0.0;
  bool hasSpare_ = false;
};

// Rounds to float with ties-to-even, saturating to +-inf instead of undefined behaviour.
float toFloat(double d) {
  constexpr double kMax = 3.4028234663852886e38;
  if (d > kMax) return INFINITY;
  if (d < -kMax) return -INFINITY;
  return static_cast<float>(d);
}

void requireFinite(double v, const char* what) {
  if (!std::isfinite(v)) throw Error(std::string("generator: ") + what + " must be finite");
}

}  // namespace

Tensor generate(const GeneratorSpec& spec) {
  const std::int64_t n = checkedNumel(spec.shape);
  if (n > kMaxGeneratedElements) {
    throw Error("generator: shape " + Tensor{"", "", spec.shape, {}}.shapeString() + " has " +
                std::to_string(n) + " elements, more than the limit of 2^28");
  }
  requireFinite(spec.mean, "mean");
  requireFinite(spec.stddev, "stddev");
  requireFinite(spec.low, "low");
  requireFinite(spec.high, "high");
  requireFinite(spec.loc, "loc");
  requireFinite(spec.scale, "scale");
  requireFinite(spec.separation, "separation");
  requireFinite(spec.outlierMagnitude, "outlier magnitude");
  if (spec.stddev < 0) throw Error("generator: stddev must be >= 0");
  if (spec.distribution == Distribution::Uniform && !(spec.high > spec.low)) {
    throw Error("generator: uniform needs high > low");
  }
  if (spec.distribution == Distribution::Laplace && !(spec.scale > 0)) {
    throw Error("generator: laplace needs scale > 0");
  }
  if (spec.outlierCount < 0 || spec.outlierCount > n) {
    throw Error("generator: outlier count " + std::to_string(spec.outlierCount) +
                " must lie in [0, " + std::to_string(n) + "]");
  }

  Tensor t;
  t.name = spec.name;
  t.dtype = "float32";
  t.shape = spec.shape;
  t.data.resize(static_cast<std::size_t>(n));

  std::mt19937_64 rng(spec.seed);
  Normal normal(rng);
  for (float& x : t.data) {
    double v = 0.0;
    switch (spec.distribution) {
      case Distribution::Normal:
        v = spec.mean + spec.stddev * normal();
        break;
      case Distribution::Uniform:
        v = spec.low + (spec.high - spec.low) * (static_cast<double>(rng() >> 11) * 0x1.0p-53);
        break;
      case Distribution::Laplace: {
        // Inverse CDF with u in (-1/2, 1/2).
        const double u = uniformOpen(rng) - 0.5;
        const double mag = -spec.scale * std::log(1.0 - 2.0 * std::abs(u));
        v = spec.loc + (u < 0 ? -mag : mag);
        break;
      }
      case Distribution::HalfNormal:
        v = spec.mean + spec.stddev * std::abs(normal());
        break;
      case Distribution::Relu:
        v = std::max(0.0, spec.mean + spec.stddev * normal());
        break;
      case Distribution::Bimodal: {
        // The mode is chosen by one raw bit so the mixture is exactly 50/50.
        const bool upper = (rng() >> 63) != 0;
        v = spec.mean + (upper ? spec.separation : -spec.separation) + spec.stddev * normal();
        break;
      }
    }
    x = toFloat(v);
  }
  // Uniform's high end is exclusive; rounding to float could reach it.
  if (spec.distribution == Distribution::Uniform) {
    const float hi = toFloat(spec.high);
    for (float& x : t.data) {
      if (x >= hi) x = std::nextafter(hi, -INFINITY);
    }
  }

  if (spec.outlierCount > 0) {
    // A separate stream, so the base values do not depend on the outlier settings.
    std::mt19937_64 orng(spec.seed ^ 0x9e3779b97f4a7c15ULL);
    // Floyd's algorithm: k distinct positions out of n with k draws.
    const auto un = static_cast<std::uint64_t>(n);
    const auto k = static_cast<std::uint64_t>(spec.outlierCount);
    std::unordered_set<std::uint64_t> chosen;
    chosen.reserve(static_cast<std::size_t>(k));
    for (std::uint64_t j = un - k; j < un; ++j) {
      const std::uint64_t r = uniformBelow(orng, j + 1);
      if (!chosen.insert(r).second) chosen.insert(j);
    }
    // Sorted so that signs do not depend on the hash set's iteration order.
    std::vector<std::uint64_t> pos(chosen.begin(), chosen.end());
    std::sort(pos.begin(), pos.end());
    const float mag = toFloat(std::abs(spec.outlierMagnitude));
    for (std::uint64_t p : pos) t.data[static_cast<std::size_t>(p)] = (orng() >> 63) ? mag : -mag;
  }
  return t;
}

Distribution parseDistribution(const std::string& name) {
  std::string s = name;
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (s == "normal" || s == "gaussian") return Distribution::Normal;
  if (s == "uniform") return Distribution::Uniform;
  if (s == "laplace") return Distribution::Laplace;
  if (s == "halfnormal" || s == "half-normal") return Distribution::HalfNormal;
  if (s == "relu") return Distribution::Relu;
  if (s == "bimodal") return Distribution::Bimodal;
  throw Error("unknown distribution '" + name +
              "' (choose normal, uniform, laplace, halfnormal, relu or bimodal)");
}

std::string distributionName(Distribution d) {
  switch (d) {
    case Distribution::Normal:
      return "normal";
    case Distribution::Uniform:
      return "uniform";
    case Distribution::Laplace:
      return "laplace";
    case Distribution::HalfNormal:
      return "halfnormal";
    case Distribution::Relu:
      return "relu";
    case Distribution::Bimodal:
      return "bimodal";
  }
  return "normal";
}

}  // namespace quant
