// SPDX-License-Identifier: GPL-3.0-or-later
// Error metrics between a tensor x and its reconstruction x_hat.
//
//   SQNR (dB) = 20 * log10(||x|| / ||x - x_hat||)   (PyTorch numeric suite, ONNX Runtime debugger);
//               +inf when x_hat == x exactly; -inf when ||x|| == 0 but the error is not.
//   cosine    = <x, x_hat> / (||x|| * ||x_hat||)      (1 when both are zero vectors)
//   normalised L2 = ||x - x_hat|| / ||x||
//   rmse/scale: for pure rounding noise (uniform on [-scale/2, scale/2]) its ideal is 1/sqrt(12)
//               = 0.2887; clipping makes it larger.
// Pairs where x is not finite are skipped and counted in `nonFinite`. Sums run in double; the
// vectorised paths (AVX2 computeMetrics, the fused pass) keep float partial sums over blocks of at
// most 32 values per lane and flush them into double (~1e-8 relative). Finite |x| above ~1e19
// overflows a float partial sum: the per-tensor fused pass then redoes that block in double, the
// other vectorised paths report inf. The cosine is computed as
//   1 - cos = (||e||^2 - (||x|| - ||x_hat||)^2) / (2 ||x|| ||x_hat||),
//   ||x|| - ||x_hat|| = sum(e * (x + x_hat)) / (||x|| + ||x_hat||),
// which keeps 1 - cos (the informative part near 1) to full relative precision.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "quant/numeric/histogram.h"
#include "quant/numeric/quantize.h"

namespace quant {

inline constexpr double kIdealRmseOverScale = 0.28867513459481287;  // 1 / sqrt(12)

struct ErrorMetrics {
  std::int64_t count = 0;       // finite pairs compared
  std::int64_t nonFinite = 0;   // pairs skipped because x was NaN/Inf
  std::int64_t clipped = 0;     // values outside the clipping range (only from fakeQuantizeMeasured)
  double mse = 0, rmse = 0, mae = 0, maxAbs = 0;
  double sqnrDb = 0;
  double cosine = 1;
  double normalizedL2 = 0;
  double clippedFraction = 0;   // clipped / count
  // sqrt(mean((err / scale_slot)^2)): the error in units of each element's own step size, so a
  // per-channel tensor with very different scales still reads 0.2887 for pure rounding noise
  // (a mean scale would not). Per tensor this is exactly rmse / scale. computeMetrics, given one
  // scale, reports rmse / scale; metricsPerSlot reports each slot's rmse / its scale. 0 if unknown.
  double rmseOverScale = 0;
};

// Metrics of x against x_hat (same size). scale, when > 0, fills rmseOverScale.
ErrorMetrics computeMetrics(std::span<const float> x, std::span<const float> xHat,
                            double scale = 0.0);

// Fused pass for interactive views: fake-quantizes x into `out` and measures the error in the same
// sweep over memory, counting values outside each slot's clipping range.
ErrorMetrics fakeQuantizeMeasured(std::span<const float> x, const QuantParams& p,
                                  std::span<float> out);

// fakeQuantizeMeasured over a tensor handed over in consecutive blocks (one that is never held
// whole, see streamed.h): add() fake-quantizes each block into its `out` and adds its error sums;
// metrics() is what one pass over the concatenated blocks reports, up to the order of the double
// additions (~1e-15 relative). Per-tensor parameters only (a block does not know its slots).
class MeasuredBlocks {
 public:
  explicit MeasuredBlocks(const QuantParams& p);
  void add(std::span<const float> x, std::span<float> out);
  ErrorMetrics metrics() const;

 private:
  QuantParams p_;
  detail::FakeQuantSums sums_;
};

// Per-slot (per-channel / per-group) metrics, one entry per slot of p.layout.
std::vector<ErrorMetrics> metricsPerSlot(std::span<const float> x, std::span<const float> xHat,
                                         const QuantParams& p);

// Theoretical SQNR of an ideal b-bit uniform quantizer on a full-scale signal: 6.02*b + 1.76 dB.
double sqnrRuleOfThumbDb(int bits);

// KL divergence D(P || Q) between two histograms with identical binning, after normalising each to
// a probability distribution; bins where P is 0 contribute nothing, bins where P > 0 and Q == 0 are
// smoothed with epsilon 1e-10 (documented so results are reproducible). Natural log (nats); only
// the bin counts are normalised (below / above / nonFinite are ignored); an empty P gives 0.
// Different binning throws quant::Error.
double klDivergence(const Histogram& p, const Histogram& q);

}  // namespace quant
