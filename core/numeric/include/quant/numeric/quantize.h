// SPDX-License-Identifier: GPL-3.0-or-later
// Uniform integer quantization: the spec, its parameters, and quantize / dequantize /
// fake-quantize.
//
//   q     = clamp(round_half_to_even(x / scale) + zero_point, qmin, qmax)      (1)
//   x_hat = scale * (q - zero_point)                                            (2)
//
// Equation (1) is ONNX QuantizeLinear and PyTorch quantize_per_tensor: the division is done in
// float32 and rounding is ties-to-even. Equation (2) is DequantizeLinear. Fake quantization is
// (2)∘(1) in float, as used by quantization-aware training.
//
// Scale and zero point for a clipping range [lo, hi] (chooseParams):
//   * The range is first widened to include 0, so that 0.0 is exactly representable (a padded zero
//     or a ReLU zero must not pick up an error).
//   * Symmetric, signed:   scale = max(|lo|, |hi|) / (2^(b-1) - 1), zero_point = 0. The divisor is
//   the
//     narrow one (127 for int8) as in TFLite / ONNX Runtime, so +absmax and -absmax both map
//     exactly.
//   * Symmetric, unsigned: scale = max(|lo|, |hi|) / (2^(b-1) - 1), zero_point = 2^(b-1) (128 for
//   uint8).
//   * Asymmetric (affine): scale = (hi - lo) / (qmax - qmin),
//                          zero_point = clamp(qmin - round_half_to_even(lo / scale), qmin, qmax)
//     (PyTorch's MinMaxObserver formula), with lo / scale evaluated in double from the exact range
//     as lo * (qmax - qmin) / (hi - lo). PyTorch divides by the float-rounded scale, which can push
//     an exact tie across .5: uint8 over [-1, 1] gives zero point 128 here (-127.5 rounds to even
//     -128, as in the course) but 127 in PyTorch. When the scale is floored at kMinScale,
//     lo / kMinScale is used.
//   * A degenerate range (constant or all-zero tensor) never divides by zero: the scale is at least
//     kMinScale = 1.1920929e-07 (float32 epsilon, PyTorch's observer eps).
//
// Non-finite inputs (NaN, ±Inf) are kept out of every range computation and counted. They quantize
// as: +Inf -> qmax, -Inf -> qmin, NaN -> zero_point (so NaN reconstructs to 0.0).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/kernels/fakequant.h"

namespace quant {

inline constexpr float kMinScale = 1.1920929e-07f;

enum class Scheme { Symmetric, Asymmetric };
enum class Granularity { PerTensor, PerChannel, PerGroup };

struct QuantSpec {
  int bits = 8;          // 2..16
  bool isSigned = true;  // signed: [-2^(b-1), 2^(b-1)-1]; unsigned: [0, 2^b - 1]
  Scheme scheme = Scheme::Symmetric;
  bool narrowRange = false;  // drop the lowest code: int8 -> [-127, 127], uint8 -> [1, 255]
  Granularity granularity = Granularity::PerTensor;
  int axis = 0;        // channel axis (PerChannel) or the axis cut into groups (PerGroup);
                       // negative values count from the end as in numpy
  int groupSize = 32;  // PerGroup: elements per group along `axis`

  int qmin() const;
  int qmax() const;
  void validate() const;         // throws quant::Error naming the bad field
  std::string describe() const;  // "int8 symmetric per-channel(axis 0)"
};

// Parses the CLI's granularity syntax: "tensor", "channel:AXIS", "group:AXIS:SIZE".
void parseGranularity(const std::string& text, QuantSpec& spec);

// Clipping range of one channel / group (after widening to include 0).
struct Range {
  float lo = 0.0f;
  float hi = 0.0f;
};

struct ScaleZeroPoint {
  float scale = 1.0f;
  std::int32_t zeroPoint = 0;
};

// Scale and zero point for the clipping range [lo, hi] (see the header comment).
// lo > hi or non-finite bounds throw quant::Error.
ScaleZeroPoint chooseParams(const QuantSpec& spec, float lo, float hi);

// How a tensor of a given shape splits into parameter slots. The shape is viewed as
// [outer, dim, inner] around `axis` and element (o, d, i) goes to:
//   PerTensor:  slot 0;
//   PerChannel: slot d (dim slots);
//   PerGroup:   slot (o * groups + d / groupSize) * inner + i, with groups = ceil(dim / groupSize)
//               (a short last group is allowed).
struct ParamLayout {
  std::int64_t outer = 1, dim = 1, inner = 1;
  std::int64_t groupSize = 1, groups = 1;
  Granularity granularity = Granularity::PerTensor;

  static ParamLayout make(const QuantSpec& spec, std::span<const std::int64_t> shape);
  std::int64_t slotCount() const;
  std::int64_t slotOf(std::int64_t flatIndex) const;
  // Flat element indices of one slot, in increasing order.
  std::vector<std::int64_t> elementsOf(std::int64_t slot) const;
};

// `ranges` holds, per slot, the clipping range in force: the requested range widened to include 0
// and, for symmetric schemes, made symmetric (+-max(|lo|, |hi|)), since that is where a symmetric
// grid actually saturates. fakeQuantizeMeasured counts finite values outside it as clipped.
struct QuantParams {
  QuantSpec spec;
  ParamLayout layout;
  std::vector<Range> ranges;             // one per slot, the clipping range in force
  std::vector<float> scales;             // one per slot
  std::vector<std::int32_t> zeroPoints;  // one per slot
};

// Parameters from explicit per-slot ranges (ranges.size() == layout.slotCount()).
QuantParams makeParams(const QuantSpec& spec, std::span<const std::int64_t> shape,
                       std::span<const Range> ranges);

// Quantize one value: equation (1) with the non-finite rules above. This is the plain reference
// (std::nearbyint in the default rounding mode); the whole-tensor operations below use a vectorised
// path that is bit-exact with it. scale must be > 0 (a NaN quotient also maps to the zero point).
std::int32_t quantizeValue(float x, float scale, std::int32_t zeroPoint, int qmin, int qmax);
inline float dequantizeValue(std::int32_t q, float scale, std::int32_t zeroPoint) {
  return scale * static_cast<float>(q - zeroPoint);
}

// Whole-tensor operations; x.size() must equal the layout's element count.
std::vector<std::int32_t> quantize(std::span<const float> x, const QuantParams& p);
std::vector<float> dequantize(std::span<const std::int32_t> q, const QuantParams& p);
// Fake quantization into `out` (out.size() == x.size()); x and out may alias (be the same buffer;
// a partial overlap is not supported).
void fakeQuantize(std::span<const float> x, const QuantParams& p, std::span<float> out);

namespace detail {

// Error sums of one fused fake-quantize pass (finite x only; the kernels' sums over all runs),
// combined into ErrorMetrics by metrics.cpp. seeOverScale2 = sum((err / scale_slot)^2). sed =
// sum(err * (x + x_hat)), which is sxx - syy accumulated without cancellation, so the cosine
// stays accurate near 1.
struct FakeQuantSums : fakequant::Sums {
  double seeOverScale2 = 0;
};

// The shared pass behind fakeQuantize and fakeQuantizeMeasured: fake-quantizes x into out and,
// when sums != nullptr, accumulates the error sums (float partial sums over short blocks, flushed
// into double). The kernel is the best one at or below cpu::activeIsa() (quant/kernels/cpu.h,
// fakequant.h).
void fakeQuantizeImpl(std::span<const float> x, const QuantParams& p, std::span<float> out,
                      FakeQuantSums* sums);

}  // namespace detail

}  // namespace quant
