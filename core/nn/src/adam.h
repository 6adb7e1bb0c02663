// SPDX-License-Identifier: GPL-3.0-or-later
// The Adam update (beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8) shared by train.cpp and qat.cpp,
// so that plain training and QAT step their float32 parameters with the same arithmetic:
//   m = 0.9 m + 0.1 g,   v = 0.999 v + 0.001 g^2,   w -= a m / (sqrt(v) sq + 1e-8)
// elementwise in float32 (every operation rounded to nearest, ties to even), with the bias
// corrections a = lr / (1 - 0.9^t) and sq = 1 / sqrt(1 - 0.999^t) computed in double and rounded
// once to float. Both callers used exactly this expression before it was shared, so trained
// weights are bit-identical to theirs. Internal header (not installed).
#pragma once

#include <Eigen/Core>
#include <cmath>
#include <cstdint>

namespace quant::detail {

struct AdamFactors {
  float a = 0;   // lr / (1 - beta1^t)
  float sq = 0;  // 1 / sqrt(1 - beta2^t)
};

// step t >= 1 counts the updates so far, this one included.
inline AdamFactors adamFactors(double lr, std::int64_t step) {
  const double c1 = 1 - std::pow(0.9, static_cast<double>(step));
  const double c2 = 1 - std::pow(0.999, static_cast<double>(step));
  return {static_cast<float>(lr / c1), static_cast<float>(1 / std::sqrt(c2))};
}

// One Adam step on n parameters w with gradient g and moment buffers m, v (all n floats).
inline void adamUpdate(float* w, const float* g, float* m, float* v, Eigen::Index n,
                       AdamFactors f) {
  Eigen::Map<Eigen::ArrayXf> W(w, n), M(m, n), V(v, n);
  const Eigen::Map<const Eigen::ArrayXf> G(g, n);
  M = 0.9f * M + 0.1f * G;
  V = 0.999f * V + 0.001f * G.square();
  W -= f.a * M / (V.sqrt() * f.sq + 1e-8f);
}

}  // namespace quant::detail
