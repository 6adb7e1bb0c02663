// SPDX-License-Identifier: GPL-3.0-or-later
// Uniform quantization: spec helpers, parameter choice, layouts, quantize / dequantize, and fake
// quantization over a parameter layout (the kernels are quant/kernels/fakequant.h).
//
// Rounding. The reference (quantizeValue) divides in float32, clamps in float to
// [qmin - zp, qmax - zp] (integers, so clamping before rounding equals clamping after, and no
// out-of-range float ever reaches an int conversion), then rounds with std::nearbyint, i.e. ties to
// even in the default rounding mode; nearbyint because quantizeValue accepts any zero point, and
// roundTiesToEven (quant/kernels/rounding.h) is exact only for |c| <= 2^22. The fake-quantize
// kernels use roundTiesToEven on the clamped quotient (|c| <= 2^17) and are bit-exact with
// quantizeValue (tests check every element). Fake quantization never leaves float:
// x_hat = r * scale with r = q - zp, which is exactly dequantizeValue(q) because r is a small
// integer and float(r) is exact.

#include "quant/numeric/quantize.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <sstream>

#include "quant/kernels/fakequant.h"

namespace quant {

// ---------------------------------------------------------------------------------------------
// QuantSpec

int QuantSpec::qmin() const {
  if (isSigned) return -(1 << (bits - 1)) + (narrowRange ? 1 : 0);
  return narrowRange ? 1 : 0;
}

int QuantSpec::qmax() const {
  if (isSigned) return (1 << (bits - 1)) - 1;
  return (1 << bits) - 1;
}

void QuantSpec::validate() const {
  if (bits < 2 || bits > 16) {
    throw Error("bits must be in 2..16, got " + std::to_string(bits));
  }
  if (granularity == Granularity::PerGroup && groupSize < 1) {
    throw Error("groupSize must be >= 1, got " + std::to_string(groupSize));
  }
}

std::string QuantSpec::describe() const {
  std::ostringstream s;
  s << (isSigned ? "int" : "uint") << bits << ' '
    << (scheme == Scheme::Symmetric ? "symmetric" : "asymmetric");
  if (narrowRange) s << " narrow";
  switch (granularity) {
    case Granularity::PerTensor:
      s << " per-tensor";
      break;
    case Granularity::PerChannel:
      s << " per-channel(axis " << axis << ')';
      break;
    case Granularity::PerGroup:
      s << " per-group(axis " << axis << ", size " << groupSize << ')';
      break;
  }
  return s.str();
}

namespace {

bool parseInt(std::string_view text, int& value) {
  if (text.empty()) return false;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  return ec == std::errc() && ptr == last;
}

}  // namespace

void parseGranularity(const std::string& text, QuantSpec& spec) {
  const auto bad = [&](const std::string& why) {
    return Error("invalid granularity '" + text + "' (" + why +
                 "): expected tensor, channel:AXIS or group:AXIS:SIZE");
  };
  std::string_view t(text);
  if (t == "tensor") {
    spec.granularity = Granularity::PerTensor;
    return;
  }
  if (t.starts_with("channel:")) {
    int axis = 0;
    if (!parseInt(t.substr(8), axis)) throw bad("AXIS is not an integer");
    spec.granularity = Granularity::PerChannel;
    spec.axis = axis;
    return;
  }
  if (t.starts_with("group:")) {
    std::string_view rest = t.substr(6);
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) throw bad("missing SIZE");
    int axis = 0, size = 0;
    if (!parseInt(rest.substr(0, colon), axis)) throw bad("AXIS is not an integer");
    if (!parseInt(rest.substr(colon + 1), size)) throw bad("SIZE is not an integer");
    if (size < 1) throw bad("SIZE must be >= 1");
    spec.granularity = Granularity::PerGroup;
    spec.axis = axis;
    spec.groupSize = size;
    return;
  }
  throw bad("unknown kind");
}

// ---------------------------------------------------------------------------------------------
// Parameters

ScaleZeroPoint chooseParams(const QuantSpec& spec, float lo, float hi) {
  spec.validate();
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    throw Error("clipping range bounds must be finite");
  }
  if (lo > hi) {
    throw Error("clipping range is empty: lo " + std::to_string(lo) + " > hi " +
                std::to_string(hi));
  }
  lo = std::min(lo, 0.0f);
  hi = std::max(hi, 0.0f);
  const int qmin = spec.qmin(), qmax = spec.qmax();
  ScaleZeroPoint r;
  if (spec.scheme == Scheme::Symmetric) {
    const float amax = std::max(-lo, hi);
    const int half = (1 << (spec.bits - 1)) - 1;
    r.scale = std::max(amax / static_cast<float>(half), kMinScale);
    r.zeroPoint = spec.isSigned ? 0 : (1 << (spec.bits - 1));
  } else {
    // float32 like PyTorch's MinMaxObserver; hi - lo can only overflow for ranges near FLT_MAX,
    // where double gives the finite answer.
    float scale = (hi - lo) / static_cast<float>(qmax - qmin);
    if (!std::isfinite(scale)) {
      scale = static_cast<float>((static_cast<double>(hi) - static_cast<double>(lo)) /
                                 static_cast<double>(qmax - qmin));
    }
    r.scale = std::max(scale, kMinScale);
    // lo / scale from the exact range, lo * (qmax - qmin) / (hi - lo) in double: the rounded float
    // scale can move an exact tie (uint8 over [-1, 1]: -127.5) to the other side of .5, and the
    // course's numbers (zero point 128 there, 0 for int8 over [-10, 10]) are the exact ones.
    // Once the scale is floored at kMinScale the grid is defined by that scale instead.
    const double t = scale >= kMinScale ? static_cast<double>(lo) * (qmax - qmin) /
                                              (static_cast<double>(hi) - static_cast<double>(lo))
                                        : static_cast<double>(lo) / r.scale;
    // Clamp in floating point before converting so no out-of-range value reaches the int cast.
    const double zp = std::clamp(static_cast<double>(qmin) - std::nearbyint(t),
                                 static_cast<double>(qmin), static_cast<double>(qmax));
    r.zeroPoint = static_cast<std::int32_t>(zp);
  }
  return r;
}

ParamLayout ParamLayout::make(const QuantSpec& spec, std::span<const std::int64_t> shape) {
  spec.validate();
  const std::int64_t n = checkedNumel(shape);
  ParamLayout L;
  L.granularity = spec.granularity;
  if (spec.granularity == Granularity::PerTensor) {
    L.outer = 1;
    L.dim = 1;
    L.inner = n;
    return L;
  }
  const int rank = static_cast<int>(shape.size());
  const int axis = spec.axis < 0 ? spec.axis + rank : spec.axis;
  if (rank == 0 || axis < 0 || axis >= rank) {
    throw Error("axis " + std::to_string(spec.axis) + " is out of range for a tensor of rank " +
                std::to_string(rank));
  }
  L.outer = 1;
  for (int k = 0; k < axis; ++k) L.outer *= shape[static_cast<std::size_t>(k)];
  L.dim = shape[static_cast<std::size_t>(axis)];
  L.inner = 1;
  for (int k = axis + 1; k < rank; ++k) L.inner *= shape[static_cast<std::size_t>(k)];
  if (spec.granularity == Granularity::PerGroup) {
    L.groupSize = spec.groupSize;
    L.groups = (L.dim + L.groupSize - 1) / L.groupSize;
  }
  return L;
}

std::int64_t ParamLayout::slotCount() const {
  switch (granularity) {
    case Granularity::PerTensor:
      return 1;
    case Granularity::PerChannel:
      return dim;
    case Granularity::PerGroup:
      return outer * groups * inner;
  }
  return 1;
}

std::int64_t ParamLayout::slotOf(std::int64_t flatIndex) const {
  const std::int64_t n = outer * dim * inner;
  if (flatIndex < 0 || flatIndex >= n) {
    throw Error("element index " + std::to_string(flatIndex) + " is out of range (" +
                std::to_string(n) + " elements)");
  }
  if (granularity == Granularity::PerTensor) return 0;
  const std::int64_t i = flatIndex % inner;
  const std::int64_t d = (flatIndex / inner) % dim;
  if (granularity == Granularity::PerChannel) return d;
  const std::int64_t o = flatIndex / (inner * dim);
  return (o * groups + d / groupSize) * inner + i;
}

std::vector<std::int64_t> ParamLayout::elementsOf(std::int64_t slot) const {
  if (slot < 0 || slot >= slotCount()) {
    throw Error("slot " + std::to_string(slot) + " is out of range (" +
                std::to_string(slotCount()) + " slots)");
  }
  std::vector<std::int64_t> out;
  switch (granularity) {
    case Granularity::PerTensor:
      out.resize(static_cast<std::size_t>(outer * dim * inner));
      for (std::size_t k = 0; k < out.size(); ++k) out[k] = static_cast<std::int64_t>(k);
      break;
    case Granularity::PerChannel:
      out.reserve(static_cast<std::size_t>(outer * inner));
      for (std::int64_t o = 0; o < outer; ++o)
        for (std::int64_t i = 0; i < inner; ++i) out.push_back((o * dim + slot) * inner + i);
      break;
    case Granularity::PerGroup: {
      const std::int64_t i = slot % inner;
      const std::int64_t g = (slot / inner) % groups;
      const std::int64_t o = slot / (inner * groups);
      const std::int64_t dEnd = std::min(dim, (g + 1) * groupSize);
      for (std::int64_t d = g * groupSize; d < dEnd; ++d) out.push_back((o * dim + d) * inner + i);
      break;
    }
  }
  return out;
}

QuantParams makeParams(const QuantSpec& spec, std::span<const std::int64_t> shape,
                       std::span<const Range> ranges) {
  QuantParams p;
  p.spec = spec;
  p.layout = ParamLayout::make(spec, shape);
  const auto slots = static_cast<std::size_t>(p.layout.slotCount());
  if (ranges.size() != slots) {
    throw Error("expected " + std::to_string(slots) + " clipping ranges, got " +
                std::to_string(ranges.size()));
  }
  p.ranges.resize(slots);
  p.scales.resize(slots);
  p.zeroPoints.resize(slots);
  for (std::size_t s = 0; s < slots; ++s) {
    const ScaleZeroPoint sz = chooseParams(spec, ranges[s].lo, ranges[s].hi);
    p.scales[s] = sz.scale;
    p.zeroPoints[s] = sz.zeroPoint;
    Range r{std::min(ranges[s].lo, 0.0f), std::max(ranges[s].hi, 0.0f)};
    if (spec.scheme == Scheme::Symmetric) {
      const float amax = std::max(-r.lo, r.hi);
      r = Range{-amax, amax};
    }
    p.ranges[s] = r;
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Reference scalar operations

std::int32_t quantizeValue(float x, float scale, std::int32_t zeroPoint, int qmin, int qmax) {
  const auto lo64 = static_cast<std::int64_t>(qmin) - zeroPoint;
  const auto hi64 = static_cast<std::int64_t>(qmax) - zeroPoint;
  float v = x / scale;
  if (std::isnan(v)) return std::clamp(zeroPoint, qmin, qmax);
  const auto lo = static_cast<float>(lo64), hi = static_cast<float>(hi64);
  if (v < lo) v = lo;
  if (v > hi) v = hi;
  return static_cast<std::int32_t>(static_cast<std::int64_t>(std::nearbyint(v)) + zeroPoint);
}

namespace {

void checkParams(const QuantParams& p, std::size_t n) {
  const ParamLayout& L = p.layout;
  const std::int64_t numel = L.outer * L.dim * L.inner;
  if (static_cast<std::int64_t>(n) != numel) {
    throw Error("tensor has " + std::to_string(n) + " elements but the parameters expect " +
                std::to_string(numel));
  }
  const auto slots = static_cast<std::size_t>(L.slotCount());
  if (p.scales.size() != slots || p.zeroPoints.size() != slots || p.ranges.size() != slots) {
    throw Error("quantization parameters have " + std::to_string(p.scales.size()) + " scales for " +
                std::to_string(slots) + " slots");
  }
}

// Calls f(flatIndex, slot) for every element in order, without a division per element.
template <class F>
void forEachElement(const ParamLayout& L, F&& f) {
  std::int64_t k = 0;
  for (std::int64_t o = 0; o < L.outer; ++o)
    for (std::int64_t d = 0; d < L.dim; ++d) {
      std::int64_t base = 0;
      if (L.granularity == Granularity::PerChannel) base = d;
      if (L.granularity == Granularity::PerGroup) base = (o * L.groups + d / L.groupSize) * L.inner;
      const bool varies = L.granularity == Granularity::PerGroup;
      for (std::int64_t i = 0; i < L.inner; ++i, ++k) f(k, varies ? base + i : base);
    }
}

}  // namespace

std::vector<std::int32_t> quantize(std::span<const float> x, const QuantParams& p) {
  checkParams(p, x.size());
  std::vector<std::int32_t> q(x.size());
  const int qmin = p.spec.qmin(), qmax = p.spec.qmax();
  forEachElement(p.layout, [&](std::int64_t k, std::int64_t s) {
    const auto ks = static_cast<std::size_t>(k), ss = static_cast<std::size_t>(s);
    q[ks] = quantizeValue(x[ks], p.scales[ss], p.zeroPoints[ss], qmin, qmax);
  });
  return q;
}

std::vector<float> dequantize(std::span<const std::int32_t> q, const QuantParams& p) {
  checkParams(p, q.size());
  std::vector<float> x(q.size());
  forEachElement(p.layout, [&](std::int64_t k, std::int64_t s) {
    const auto ks = static_cast<std::size_t>(k), ss = static_cast<std::size_t>(s);
    x[ks] = dequantizeValue(q[ks], p.scales[ss], p.zeroPoints[ss]);
  });
  return x;
}

void fakeQuantize(std::span<const float> x, const QuantParams& p, std::span<float> out) {
  detail::fakeQuantizeImpl(x, p, out, nullptr);
}

// ---------------------------------------------------------------------------------------------
// Fake quantization over a parameter layout: runs of elements that share a slot (or per-element
// parameter rows for short runs) handed to the kernels of quant/kernels/fakequant.h.

namespace detail {
namespace {

using fakequant::ElementParams;
using fakequant::SlotParams;

void merge(FakeQuantSums& S, const fakequant::Sums& L, double seeToScaled) {
  S += L;
  // Runs with one slot measure err^2 and divide once; varying runs measured (x/s - r)^2 directly.
  S.seeOverScale2 += seeToScaled > 0 ? L.see * seeToScaled : L.sv;
}

template <bool kMeasure>
void runImpl(std::span<const float> xs, const QuantParams& p, std::span<float> outs,
             FakeQuantSums* S) {
  const fakequant::Isa isa = fakequant::kernelIsa();
  const ParamLayout& Ly = p.layout;
  const float* x = xs.data();
  float* out = outs.data();
  const auto slots = static_cast<std::size_t>(Ly.slotCount());

  const auto bcastOf = [&](std::size_t s) {
    return SlotParams{p.scales[s],
                      static_cast<float>(std::int64_t{p.spec.qmin()} - p.zeroPoints[s]),
                      static_cast<float>(std::int64_t{p.spec.qmax()} - p.zeroPoints[s]),
                      p.ranges[s].lo, p.ranges[s].hi};
  };
  const auto runB = [&](std::size_t off, std::size_t n, std::size_t slot) {
    fakequant::Sums L;
    const SlotParams b = bcastOf(slot);
    fakequant::run(isa, x + off, out + off, n, b, kMeasure ? &L : nullptr);
    if constexpr (kMeasure) {
      merge(*S, L, 1.0 / (static_cast<double>(b.scale) * b.scale));
    }
  };
  // Per-element parameter arrays, `reps` copies of each slot in a row (expands inner < 16).
  std::vector<float> soaBuf;
  const auto buildSoa = [&](std::size_t first, std::size_t count, std::size_t reps) {
    soaBuf.resize(count * reps * 5);
    float* f = soaBuf.data();
    const std::size_t m = count * reps;
    for (std::size_t s = 0; s < count; ++s) {
      const SlotParams b = bcastOf(first + s);
      for (std::size_t k = 0; k < reps; ++k) {
        const std::size_t j = s * reps + k;
        f[j] = b.scale;
        f[m + j] = b.qlo;
        f[2 * m + j] = b.qhi;
        f[3 * m + j] = b.clipLo;
        f[4 * m + j] = b.clipHi;
      }
    }
    return ElementParams{f, f + m, f + 2 * m, f + 3 * m, f + 4 * m};
  };
  const auto runV = [&](std::size_t off, std::size_t n, const ElementParams& a, std::size_t first) {
    fakequant::Sums L;
    fakequant::run(isa, x + off, out + off, n, a.from(first), kMeasure ? &L : nullptr);
    if constexpr (kMeasure) merge(*S, L, 0.0);
  };

  const auto outer = static_cast<std::size_t>(Ly.outer);
  const auto dim = static_cast<std::size_t>(Ly.dim);
  const auto inner = static_cast<std::size_t>(Ly.inner);
  switch (Ly.granularity) {
    case Granularity::PerTensor:
      if (!xs.empty()) runB(0, xs.size(), 0);
      break;
    case Granularity::PerChannel:
      if (inner >= 16) {
        for (std::size_t o = 0; o < outer; ++o)
          for (std::size_t d = 0; d < dim; ++d) runB((o * dim + d) * inner, inner, d);
      } else {
        // Short runs: per-element parameter rows (each channel repeated `inner` times), built for
        // a bounded chunk of channels at a time and reused across the outer dimension.
        const std::size_t chunk = std::max<std::size_t>(1, (std::size_t{1} << 16) / inner);
        for (std::size_t d0 = 0; d0 < dim; d0 += chunk) {
          const std::size_t nd = std::min(chunk, dim - d0);
          const ElementParams a = buildSoa(d0, nd, inner);
          for (std::size_t o = 0; o < outer; ++o) runV((o * dim + d0) * inner, nd * inner, a, 0);
        }
      }
      break;
    case Granularity::PerGroup: {
      const auto gs = static_cast<std::size_t>(Ly.groupSize);
      const auto groups = static_cast<std::size_t>(Ly.groups);
      if (inner == 1) {
        for (std::size_t o = 0; o < outer; ++o)
          for (std::size_t g = 0; g < groups; ++g) {
            const std::size_t d0 = g * gs;
            runB(o * dim + d0, std::min(gs, dim - d0), o * groups + g);
          }
      } else if (slots > 0) {
        const ElementParams a = buildSoa(0, slots, 1);
        for (std::size_t o = 0; o < outer; ++o)
          for (std::size_t d = 0; d < dim; ++d)
            runV((o * dim + d) * inner, inner, a, (o * groups + d / gs) * inner);
      }
      break;
    }
  }
}

}  // namespace

void fakeQuantizeImpl(std::span<const float> x, const QuantParams& p, std::span<float> out,
                      FakeQuantSums* sums) {
  checkParams(p, x.size());
  if (out.size() != x.size()) {
    throw Error("output has " + std::to_string(out.size()) + " elements, input " +
                std::to_string(x.size()));
  }
  p.spec.validate();
  if (sums) {
    *sums = FakeQuantSums{};
    runImpl<true>(x, p, out, sums);
  } else {
    runImpl<false>(x, p, out, nullptr);
  }
}

}  // namespace detail
}  // namespace quant
