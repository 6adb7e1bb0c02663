// SPDX-License-Identifier: GPL-3.0-or-later
// Uniform quantization: spec helpers, parameter choice, layouts, and the quantize / dequantize /
// fake-quantize kernels.
//
// Rounding. The reference (quantizeValue) divides in float32, clamps in float to
// [qmin - zp, qmax - zp] (integers, so clamping before rounding equals clamping after, and no
// out-of-range float ever reaches an int conversion), then rounds with std::nearbyint, i.e. ties to
// even in the default rounding mode.
// The vectorised kernels round with the "magic number" trick: for |c| < 2^22,
// (c + 1.5*2^23) - 1.5*2^23 is c rounded to an integer with ties to even, because the addition
// lands in the binade where the float spacing is exactly 1. After the clamp |c| <= 2^17, so the
// trick is exact and the kernels are bit-exact with quantizeValue (tests check every element). Fake
// quantization never leaves float: x_hat = r * scale with r = q - zp, which is exactly
// dequantizeValue(q) because r is a small integer and float(r) is exact.

#include "quant/numeric/quantize.h"

#include <algorithm>
#include <atomic>
#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <sstream>

#if defined(__x86_64__) || defined(__i386__)
#define QUANT_X86 1
#include <immintrin.h>
#else
#define QUANT_X86 0
#endif

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
// Vectorised fake-quantize kernels

namespace detail {
namespace {

#define QUANT_INLINE inline __attribute__((always_inline))

constexpr float kMagic = 12582912.0f;  // 1.5 * 2^23
// Arrays at least this large are written with non-temporal stores: they cannot stay in cache
// anyway, and streaming avoids reading every output line before overwriting it.
constexpr std::size_t kStreamMinElements = std::size_t{1} << 22;
// Float partial sums run over this many vectors per lane before being flushed into double.
constexpr std::size_t kBlockVectors = 16;

// Parameters of one slot (broadcast over a run of elements).
struct Bcast {
  float scale, qlo, qhi, clipLo, clipHi;
  Bcast at(std::size_t) const { return *this; }
};
// Parameters per element (structure of arrays), for runs whose slot changes every element.
struct Soa {
  const float *scale, *qlo, *qhi, *clipLo, *clipHi;
  Bcast at(std::size_t i) const { return {scale[i], qlo[i], qhi[i], clipLo[i], clipHi[i]}; }
};

struct LocalSums {
  std::int64_t count = 0, nonFinite = 0, clipped = 0;
  double see = 0, sae = 0, sxx = 0, syy = 0, sed = 0, maxAbs = 0, sv = 0;
};

QUANT_INLINE bool isFiniteF(float x) { return std::fabs(x) <= FLT_MAX; }

// One element, in the same operation order as the vector kernels (bit-exact with quantizeValue).
QUANT_INLINE float fakeOne(float x, float s, float qlo, float qhi, float& rOut, float& vOut) {
  const float v = x / s;
  float c = v < qlo ? qlo : v;
  c = c > qhi ? qhi : c;
  if (c != c) c = 0.0f;
  const float r = (c + kMagic) - kMagic;
  rOut = r;
  vOut = v;
  return r * s;
}

// The scalar loop is always inlined into a per-ISA wrapper: an AVX2 kernel calling a function
// compiled for plain x86-64 would run it with dirty upper YMM state (GCC keeps YMM values live
// across such a local call and then cannot emit vzeroupper), which makes SSE code slow.
template <bool kMeasure, bool kVarying, class P>
QUANT_INLINE void scalarBody(const float* x, float* out, std::size_t n, const P& prm,
                             LocalSums& L) {
  for (std::size_t i = 0; i < n; ++i) {
    const Bcast b = prm.at(i);
    const float xi = x[i];
    float r, v;
    const float h = fakeOne(xi, b.scale, b.qlo, b.qhi, r, v);
    out[i] = h;
    if constexpr (kMeasure) {
      if (!isFiniteF(xi)) {
        ++L.nonFinite;
        continue;
      }
      ++L.count;
      if (xi < b.clipLo || xi > b.clipHi) ++L.clipped;
      const float e = xi - h;
      L.see += static_cast<double>(e) * e;
      L.sae += std::fabs(static_cast<double>(e));
      L.sxx += static_cast<double>(xi) * xi;
      L.syy += static_cast<double>(h) * h;
      L.sed += static_cast<double>(e) * (static_cast<double>(xi) + h);
      L.maxAbs = std::max(L.maxAbs, static_cast<double>(std::fabs(e)));
      if constexpr (kVarying) {
        const float dv = v - r;
        L.sv += static_cast<double>(dv) * dv;
      }
    }
  }
}

template <bool kMeasure, bool kVarying, class P>
void scalarRun(const float* x, float* out, std::size_t n, const P& prm, LocalSums& L) {
  scalarBody<kMeasure, kVarying>(x, out, n, prm, L);
}

#if QUANT_X86

// ---- SSE2 (baseline x86-64) ----

inline void flush2(__m128 f, double& acc) {
  const __m128d lo = _mm_cvtps_pd(f);
  const __m128d hi = _mm_cvtps_pd(_mm_movehl_ps(f, f));
  const __m128d s = _mm_add_pd(lo, hi);
  acc += _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

inline std::int64_t sumEpi32(__m128i v) {
  alignas(16) std::int32_t t[4];
  _mm_store_si128(reinterpret_cast<__m128i*>(t), v);
  return static_cast<std::int64_t>(t[0]) + t[1] + t[2] + t[3];
}

template <bool kMeasure, bool kVarying, bool kStream, class P>
void sse2Run(const float* x, float* out, std::size_t n, const P& prm, LocalSums& L) {
  const __m128 magic = _mm_set1_ps(kMagic);
  const __m128 absMask = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
  const __m128 fltMax = _mm_set1_ps(FLT_MAX);
  __m128 s{}, qlo{}, qhi{}, cl{}, ch{};
  if constexpr (!kVarying) {
    s = _mm_set1_ps(prm.scale);
    qlo = _mm_set1_ps(prm.qlo);
    qhi = _mm_set1_ps(prm.qhi);
    cl = _mm_set1_ps(prm.clipLo);
    ch = _mm_set1_ps(prm.clipHi);
  }
  __m128 mx = _mm_setzero_ps();
  std::size_t i = 0;
  if constexpr (kStream) {
    while (i < n && (reinterpret_cast<std::uintptr_t>(out + i) & 15u) != 0) ++i;
    scalarRun<kMeasure, kVarying>(x, out, i, prm, L);
  }
  while (i + 4 <= n) {
    const std::size_t nv = std::min(kBlockVectors, (n - i) / 4);
    __m128 see = _mm_setzero_ps(), sae = see, sxx = see, syy = see, sed = see, sv = see;
    __m128i cnt = _mm_setzero_si128(), clp = cnt;
    for (std::size_t k = 0; k < nv; ++k, i += 4) {
      if constexpr (kVarying) {
        s = _mm_loadu_ps(prm.scale + i);
        qlo = _mm_loadu_ps(prm.qlo + i);
        qhi = _mm_loadu_ps(prm.qhi + i);
      }
      const __m128 xv = _mm_loadu_ps(x + i);
      const __m128 v = _mm_div_ps(xv, s);
      // maxps returns its second operand for NaN, so a NaN becomes qlo here and is zeroed below.
      __m128 c = _mm_min_ps(_mm_max_ps(v, qlo), qhi);
      c = _mm_and_ps(c, _mm_cmpord_ps(v, v));
      const __m128 r = _mm_sub_ps(_mm_add_ps(c, magic), magic);
      const __m128 h = _mm_mul_ps(r, s);
      if constexpr (kStream) {
        _mm_stream_ps(out + i, h);
      } else {
        _mm_storeu_ps(out + i, h);
      }
      if constexpr (kMeasure) {
        if constexpr (kVarying) {
          cl = _mm_loadu_ps(prm.clipLo + i);
          ch = _mm_loadu_ps(prm.clipHi + i);
        }
        const __m128 fin = _mm_cmple_ps(_mm_and_ps(xv, absMask), fltMax);
        const __m128 xm = _mm_and_ps(xv, fin);
        const __m128 hm = _mm_and_ps(h, fin);
        const __m128 e = _mm_sub_ps(xm, hm);
        const __m128 ae = _mm_and_ps(e, absMask);
        see = _mm_add_ps(see, _mm_mul_ps(e, e));
        sae = _mm_add_ps(sae, ae);
        sxx = _mm_add_ps(sxx, _mm_mul_ps(xm, xm));
        syy = _mm_add_ps(syy, _mm_mul_ps(hm, hm));
        sed = _mm_add_ps(sed, _mm_mul_ps(e, _mm_add_ps(xm, hm)));
        mx = _mm_max_ps(mx, ae);
        const __m128 out_ = _mm_or_ps(_mm_cmplt_ps(xv, cl), _mm_cmpgt_ps(xv, ch));
        cnt = _mm_sub_epi32(cnt, _mm_castps_si128(fin));
        clp = _mm_sub_epi32(clp, _mm_castps_si128(_mm_and_ps(out_, fin)));
        if constexpr (kVarying) {
          const __m128 dv = _mm_and_ps(_mm_sub_ps(v, r), fin);
          sv = _mm_add_ps(sv, _mm_mul_ps(dv, dv));
        }
      }
    }
    if constexpr (kMeasure) {
      flush2(see, L.see);
      flush2(sae, L.sae);
      flush2(sxx, L.sxx);
      flush2(syy, L.syy);
      flush2(sed, L.sed);
      if constexpr (kVarying) flush2(sv, L.sv);
      const std::int64_t c = sumEpi32(cnt);
      L.count += c;
      L.nonFinite += static_cast<std::int64_t>(nv * 4) - c;
      L.clipped += sumEpi32(clp);
    }
  }
  if constexpr (kMeasure) {
    alignas(16) float t[4];
    _mm_store_ps(t, mx);
    for (float m : t) L.maxAbs = std::max(L.maxAbs, static_cast<double>(m));
  }
  if constexpr (kStream) _mm_sfence();
  if (i < n) {
    if constexpr (kVarying) {
      const Soa tail{prm.scale + i, prm.qlo + i, prm.qhi + i, prm.clipLo + i, prm.clipHi + i};
      scalarRun<kMeasure, kVarying>(x + i, out + i, n - i, tail, L);
    } else {
      scalarRun<kMeasure, kVarying>(x + i, out + i, n - i, prm, L);
    }
  }
}

// SSE2 counterpart of avx2MeasureFast (see there): unmasked blocks of 32 vectors, redone by the
// scalar double kernel when a block's sums are not finite. Needs x != out.
inline __m128d widen2(__m128 f) {
  return _mm_add_pd(_mm_cvtps_pd(f), _mm_cvtps_pd(_mm_movehl_ps(f, f)));
}

inline double total2(__m128d d) { return _mm_cvtsd_f64(_mm_add_sd(d, _mm_unpackhi_pd(d, d))); }

template <bool kStream>
void sse2MeasureFast(const float* x, float* out, std::size_t n, const Bcast& prm, LocalSums& L) {
  constexpr std::size_t kFastBlock = 32;
  const __m128 magic = _mm_set1_ps(kMagic);
  const __m128 absMask = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
  const __m128 s = _mm_set1_ps(prm.scale);
  const __m128 qlo = _mm_set1_ps(prm.qlo);
  const __m128 qhi = _mm_set1_ps(prm.qhi);
  const __m128 cl = _mm_set1_ps(prm.clipLo);
  const __m128 ch = _mm_set1_ps(prm.clipHi);
  __m128d dsee = _mm_setzero_pd(), dsae = dsee, dsxx = dsee, dsyy = dsee, dsed = dsee;
  __m128 mx = _mm_setzero_ps();
  std::size_t i = 0;
  if constexpr (kStream) {
    while (i < n && (reinterpret_cast<std::uintptr_t>(out + i) & 15u) != 0) ++i;
    scalarRun<true, false>(x, out, i, prm, L);
  }
  while (i + 4 * kFastBlock <= n) {
    __m128 see = _mm_setzero_ps(), sae = see, sxx = see, syy = see, sed = see, bmx = see;
    __m128i clp = _mm_setzero_si128();
    for (std::size_t k = 0; k < kFastBlock; ++k) {
      const std::size_t j = i + 4 * k;
      const __m128 xv = _mm_loadu_ps(x + j);
      const __m128 v = _mm_div_ps(xv, s);
      const __m128 c = _mm_min_ps(_mm_max_ps(v, qlo), qhi);
      // No NaN masking: a NaN x makes the block's sums NaN and the block is redone.
      const __m128 r = _mm_sub_ps(_mm_add_ps(c, magic), magic);
      const __m128 h = _mm_mul_ps(r, s);
      if constexpr (kStream) {
        _mm_stream_ps(out + j, h);
      } else {
        _mm_storeu_ps(out + j, h);
      }
      const __m128 e = _mm_sub_ps(xv, h);
      const __m128 ae = _mm_and_ps(e, absMask);
      see = _mm_add_ps(see, _mm_mul_ps(e, e));
      sae = _mm_add_ps(sae, ae);
      sxx = _mm_add_ps(sxx, _mm_mul_ps(xv, xv));
      syy = _mm_add_ps(syy, _mm_mul_ps(h, h));
      sed = _mm_add_ps(sed, _mm_mul_ps(e, _mm_add_ps(xv, h)));
      bmx = _mm_max_ps(bmx, ae);
      const __m128 outside = _mm_or_ps(_mm_cmplt_ps(xv, cl), _mm_cmpgt_ps(xv, ch));
      clp = _mm_sub_epi32(clp, _mm_castps_si128(outside));
    }
    const __m128 t = _mm_add_ps(_mm_add_ps(see, sxx), _mm_add_ps(syy, sed));
    const __m128 ok = _mm_cmple_ps(_mm_and_ps(t, absMask), _mm_set1_ps(FLT_MAX));
    if (_mm_movemask_ps(ok) != 0xf) {
      scalarRun<true, false>(x + i, out + i, 4 * kFastBlock, prm, L);
      i += 4 * kFastBlock;
      continue;
    }
    dsee = _mm_add_pd(dsee, widen2(see));
    dsae = _mm_add_pd(dsae, widen2(sae));
    dsxx = _mm_add_pd(dsxx, widen2(sxx));
    dsyy = _mm_add_pd(dsyy, widen2(syy));
    dsed = _mm_add_pd(dsed, widen2(sed));
    mx = _mm_max_ps(mx, bmx);
    L.count += static_cast<std::int64_t>(4 * kFastBlock);
    L.clipped += sumEpi32(clp);
    i += 4 * kFastBlock;
  }
  L.see += total2(dsee);
  L.sae += total2(dsae);
  L.sxx += total2(dsxx);
  L.syy += total2(dsyy);
  L.sed += total2(dsed);
  alignas(16) float m[4];
  _mm_store_ps(m, mx);
  for (float v : m) L.maxAbs = std::max(L.maxAbs, static_cast<double>(v));
  if constexpr (kStream) _mm_sfence();
  if (i < n) sse2Run<true, false, false>(x + i, out + i, n - i, prm, L);
}

// ---- AVX2 + FMA (runtime-dispatched) ----

#define QUANT_AVX2 __attribute__((target("avx2,fma")))

template <bool kMeasure, bool kVarying, class P>
QUANT_AVX2 void scalarRunAvx2(const float* x, float* out, std::size_t n, const P& prm,
                              LocalSums& L) {
  scalarBody<kMeasure, kVarying>(x, out, n, prm, L);
}

QUANT_AVX2 inline void flush4(__m256 f, double& acc) {
  const __m256d s = _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(f)),
                                  _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
  const __m128d t = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
  acc += _mm_cvtsd_f64(_mm_add_sd(t, _mm_unpackhi_pd(t, t)));
}

QUANT_AVX2 inline std::int64_t sumEpi32x8(__m256i v) {
  alignas(32) std::int32_t t[8];
  _mm256_store_si256(reinterpret_cast<__m256i*>(t), v);
  std::int64_t s = 0;
  for (std::int32_t k : t) s += k;
  return s;
}

template <bool kMeasure, bool kVarying, bool kStream, class P>
QUANT_AVX2 void avx2Run(const float* x, float* out, std::size_t n, const P& prm, LocalSums& L) {
  const __m256 magic = _mm256_set1_ps(kMagic);
  const __m256 absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  const __m256 fltMax = _mm256_set1_ps(FLT_MAX);
  __m256 s{}, qlo{}, qhi{}, cl{}, ch{};
  if constexpr (!kVarying) {
    s = _mm256_set1_ps(prm.scale);
    qlo = _mm256_set1_ps(prm.qlo);
    qhi = _mm256_set1_ps(prm.qhi);
    cl = _mm256_set1_ps(prm.clipLo);
    ch = _mm256_set1_ps(prm.clipHi);
  }
  __m256 mx = _mm256_setzero_ps();
  std::size_t i = 0;
  if constexpr (kStream) {
    while (i < n && (reinterpret_cast<std::uintptr_t>(out + i) & 31u) != 0) ++i;
    scalarRunAvx2<kMeasure, kVarying>(x, out, i, prm, L);
  }
  while (i + 8 <= n) {
    const std::size_t nv = std::min(kBlockVectors, (n - i) / 8);
    __m256 see = _mm256_setzero_ps(), sae = see, sxx = see, syy = see, sed = see, sv = see;
    __m256i cnt = _mm256_setzero_si256(), clp = cnt;
    for (std::size_t k = 0; k < nv; ++k, i += 8) {
      if constexpr (kVarying) {
        s = _mm256_loadu_ps(prm.scale + i);
        qlo = _mm256_loadu_ps(prm.qlo + i);
        qhi = _mm256_loadu_ps(prm.qhi + i);
      }
      const __m256 xv = _mm256_loadu_ps(x + i);
      const __m256 v = _mm256_div_ps(xv, s);
      // vmaxps returns its second operand for NaN: a NaN becomes qlo here and is zeroed below.
      __m256 c = _mm256_min_ps(_mm256_max_ps(v, qlo), qhi);
      c = _mm256_and_ps(c, _mm256_cmp_ps(v, v, _CMP_ORD_Q));
      const __m256 r = _mm256_sub_ps(_mm256_add_ps(c, magic), magic);
      const __m256 h = _mm256_mul_ps(r, s);
      if constexpr (kStream) {
        _mm256_stream_ps(out + i, h);
      } else {
        _mm256_storeu_ps(out + i, h);
      }
      if constexpr (kMeasure) {
        if constexpr (kVarying) {
          cl = _mm256_loadu_ps(prm.clipLo + i);
          ch = _mm256_loadu_ps(prm.clipHi + i);
        }
        const __m256 fin = _mm256_cmp_ps(_mm256_and_ps(xv, absMask), fltMax, _CMP_LE_OQ);
        const __m256 xm = _mm256_and_ps(xv, fin);
        const __m256 hm = _mm256_and_ps(h, fin);
        const __m256 e = _mm256_sub_ps(xm, hm);
        const __m256 ae = _mm256_and_ps(e, absMask);
        see = _mm256_fmadd_ps(e, e, see);
        sae = _mm256_add_ps(sae, ae);
        sxx = _mm256_fmadd_ps(xm, xm, sxx);
        syy = _mm256_fmadd_ps(hm, hm, syy);
        sed = _mm256_fmadd_ps(e, _mm256_add_ps(xm, hm), sed);
        mx = _mm256_max_ps(mx, ae);
        const __m256 outside =
            _mm256_or_ps(_mm256_cmp_ps(xv, cl, _CMP_LT_OQ), _mm256_cmp_ps(xv, ch, _CMP_GT_OQ));
        cnt = _mm256_sub_epi32(cnt, _mm256_castps_si256(fin));
        clp = _mm256_sub_epi32(clp, _mm256_castps_si256(_mm256_and_ps(outside, fin)));
        if constexpr (kVarying) {
          const __m256 dv = _mm256_and_ps(_mm256_sub_ps(v, r), fin);
          sv = _mm256_fmadd_ps(dv, dv, sv);
        }
      }
    }
    if constexpr (kMeasure) {
      flush4(see, L.see);
      flush4(sae, L.sae);
      flush4(sxx, L.sxx);
      flush4(syy, L.syy);
      flush4(sed, L.sed);
      if constexpr (kVarying) flush4(sv, L.sv);
      const std::int64_t c = sumEpi32x8(cnt);
      L.count += c;
      L.nonFinite += static_cast<std::int64_t>(nv * 8) - c;
      L.clipped += sumEpi32x8(clp);
    }
  }
  if constexpr (kMeasure) {
    alignas(32) float t[8];
    _mm256_store_ps(t, mx);
    for (float m : t) L.maxAbs = std::max(L.maxAbs, static_cast<double>(m));
  }
  if constexpr (kStream) _mm_sfence();
  if (i < n) {
    if constexpr (kVarying) {
      const Soa tail{prm.scale + i, prm.qlo + i, prm.qhi + i, prm.clipLo + i, prm.clipHi + i};
      scalarRunAvx2<kMeasure, kVarying>(x + i, out + i, n - i, tail, L);
    } else {
      scalarRunAvx2<kMeasure, kVarying>(x + i, out + i, n - i, prm, L);
    }
  }
}

// Sum of the 8 float lanes as 4 double lanes.
QUANT_AVX2 inline __m256d widen(__m256 f) {
  return _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(f)),
                       _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
}

QUANT_AVX2 inline double total(__m256d d) {
  alignas(32) double t[4];
  _mm256_store_pd(t, d);
  return (t[0] + t[1]) + (t[2] + t[3]);
}

// The hot case of fakeQuantizeMeasured: one slot over a long run, x and out distinct. Blocks of
// 32 vectors are computed without any finite-masking; a non-finite x (or a square that overflows
// float) makes that block's float sums non-finite, and then the block is redone by the scalar
// kernel in double, which needs the inputs again (hence x != out). Outputs are identical.
template <bool kStream>
QUANT_AVX2 void avx2MeasureFast(const float* x, float* out, std::size_t n, const Bcast& prm,
                                LocalSums& L) {
  constexpr std::size_t kFastBlock = 32;
  const __m256 magic = _mm256_set1_ps(kMagic);
  const __m256 absMask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  const __m256 fltMax = _mm256_set1_ps(FLT_MAX);
  const __m256 s = _mm256_set1_ps(prm.scale);
  const __m256 qlo = _mm256_set1_ps(prm.qlo);
  const __m256 qhi = _mm256_set1_ps(prm.qhi);
  const __m256 cl = _mm256_set1_ps(prm.clipLo);
  const __m256 ch = _mm256_set1_ps(prm.clipHi);
  __m256d dsee = _mm256_setzero_pd(), dsae = dsee, dsxx = dsee, dsyy = dsee, dsed = dsee;
  __m256 mx = _mm256_setzero_ps();
  std::size_t i = 0;
  if constexpr (kStream) {
    while (i < n && (reinterpret_cast<std::uintptr_t>(out + i) & 31u) != 0) ++i;
    scalarRunAvx2<true, false>(x, out, i, prm, L);
  }
  while (i + 8 * kFastBlock <= n) {
    __m256 see = _mm256_setzero_ps(), sae = see, sxx = see, syy = see, sed = see, bmx = see;
    __m256i clp = _mm256_setzero_si256();
    for (std::size_t k = 0; k < kFastBlock; ++k) {
      const std::size_t j = i + 8 * k;
      const __m256 xv = _mm256_loadu_ps(x + j);
      const __m256 v = _mm256_div_ps(xv, s);
      const __m256 c = _mm256_min_ps(_mm256_max_ps(v, qlo), qhi);
      // No NaN masking: a NaN x makes the block's sums NaN and the block is redone.
      const __m256 r = _mm256_sub_ps(_mm256_add_ps(c, magic), magic);
      const __m256 h = _mm256_mul_ps(r, s);
      if constexpr (kStream) {
        _mm256_stream_ps(out + j, h);
      } else {
        _mm256_storeu_ps(out + j, h);
      }
      const __m256 e = _mm256_sub_ps(xv, h);
      const __m256 ae = _mm256_and_ps(e, absMask);
      see = _mm256_fmadd_ps(e, e, see);
      sae = _mm256_add_ps(sae, ae);
      sxx = _mm256_fmadd_ps(xv, xv, sxx);
      syy = _mm256_fmadd_ps(h, h, syy);
      sed = _mm256_fmadd_ps(e, _mm256_add_ps(xv, h), sed);
      bmx = _mm256_max_ps(bmx, ae);
      const __m256 outside =
          _mm256_or_ps(_mm256_cmp_ps(xv, cl, _CMP_LT_OQ), _mm256_cmp_ps(xv, ch, _CMP_GT_OQ));
      clp = _mm256_sub_epi32(clp, _mm256_castps_si256(outside));
    }
    const __m256 t = _mm256_add_ps(_mm256_add_ps(see, sxx), _mm256_add_ps(syy, sed));
    const __m256 ok = _mm256_cmp_ps(_mm256_and_ps(t, absMask), fltMax, _CMP_LE_OQ);
    if (_mm256_movemask_ps(ok) != 0xff) {
      // Redo in double: skips non-finite x and does not overflow on huge finite ones.
      scalarRunAvx2<true, false>(x + i, out + i, 8 * kFastBlock, prm, L);
      i += 8 * kFastBlock;
      continue;
    }
    dsee = _mm256_add_pd(dsee, widen(see));
    dsae = _mm256_add_pd(dsae, widen(sae));
    dsxx = _mm256_add_pd(dsxx, widen(sxx));
    dsyy = _mm256_add_pd(dsyy, widen(syy));
    dsed = _mm256_add_pd(dsed, widen(sed));
    mx = _mm256_max_ps(mx, bmx);
    L.count += static_cast<std::int64_t>(8 * kFastBlock);
    L.clipped += sumEpi32x8(clp);
    i += 8 * kFastBlock;
  }
  L.see += total(dsee);
  L.sae += total(dsae);
  L.sxx += total(dsxx);
  L.syy += total(dsyy);
  L.sed += total(dsed);
  alignas(32) float m[8];
  _mm256_store_ps(m, mx);
  for (float v : m) L.maxAbs = std::max(L.maxAbs, static_cast<double>(v));
  if constexpr (kStream) _mm_sfence();
  if (i < n) avx2Run<true, false, false>(x + i, out + i, n - i, prm, L);
}

#endif  // QUANT_X86

Isa detectIsa() {
#if QUANT_X86
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::Avx2;
  return Isa::Sse2;
#else
  return Isa::Scalar;
#endif
}

Isa bestIsa() {
  static const Isa best = detectIsa();
  return best;
}
// -1: not forced, use bestIsa().
std::atomic<int> gIsa{-1};

template <bool kMeasure, bool kVarying, class P>
void dispatchRun(Isa isa, const float* x, float* out, std::size_t n, const P& prm, LocalSums& L) {
#if QUANT_X86
  const bool stream = !kVarying && n >= kStreamMinElements;
  if (isa == Isa::Avx2) {
    if constexpr (kMeasure && !kVarying) {
      // The fast kernels assume a NaN quotient can only come from a NaN x (detected through the
      // sums), which holds for any finite scale > 0.
      if (x != out && prm.scale > 0 && prm.scale <= FLT_MAX) {
        if (stream) {
          avx2MeasureFast<true>(x, out, n, prm, L);
        } else {
          avx2MeasureFast<false>(x, out, n, prm, L);
        }
        return;
      }
    }
    if (stream) {
      avx2Run<kMeasure, kVarying, true>(x, out, n, prm, L);
    } else {
      avx2Run<kMeasure, kVarying, false>(x, out, n, prm, L);
    }
    return;
  }
  if (isa == Isa::Sse2) {
    if constexpr (kMeasure && !kVarying) {
      // The fast kernels assume a NaN quotient can only come from a NaN x (detected through the
      // sums), which holds for any finite scale > 0.
      if (x != out && prm.scale > 0 && prm.scale <= FLT_MAX) {
        if (stream) {
          sse2MeasureFast<true>(x, out, n, prm, L);
        } else {
          sse2MeasureFast<false>(x, out, n, prm, L);
        }
        return;
      }
    }
    if (stream) {
      sse2Run<kMeasure, kVarying, true>(x, out, n, prm, L);
    } else {
      sse2Run<kMeasure, kVarying, false>(x, out, n, prm, L);
    }
    return;
  }
#else
  (void)isa;
#endif
  scalarRun<kMeasure, kVarying>(x, out, n, prm, L);
}

void merge(FakeQuantSums& S, const LocalSums& L, double seeToScaled) {
  S.count += L.count;
  S.nonFinite += L.nonFinite;
  S.clipped += L.clipped;
  S.see += L.see;
  S.sae += L.sae;
  S.sxx += L.sxx;
  S.syy += L.syy;
  S.sed += L.sed;
  S.maxAbs = std::max(S.maxAbs, L.maxAbs);
  // Runs with one slot measure err^2 and divide once; varying runs measured (x/s - r)^2 directly.
  S.seeOverScale2 += seeToScaled > 0 ? L.see * seeToScaled : L.sv;
}

template <bool kMeasure>
void runImpl(std::span<const float> xs, const QuantParams& p, std::span<float> outs,
             FakeQuantSums* S) {
  const Isa isa = activeIsa();
  const ParamLayout& Ly = p.layout;
  const float* x = xs.data();
  float* out = outs.data();
  const auto slots = static_cast<std::size_t>(Ly.slotCount());

  const auto bcastOf = [&](std::size_t s) {
    return Bcast{p.scales[s], static_cast<float>(std::int64_t{p.spec.qmin()} - p.zeroPoints[s]),
                 static_cast<float>(std::int64_t{p.spec.qmax()} - p.zeroPoints[s]), p.ranges[s].lo,
                 p.ranges[s].hi};
  };
  const auto runB = [&](std::size_t off, std::size_t n, std::size_t slot) {
    LocalSums L;
    const Bcast b = bcastOf(slot);
    dispatchRun<kMeasure, false>(isa, x + off, out + off, n, b, L);
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
      const Bcast b = bcastOf(first + s);
      for (std::size_t k = 0; k < reps; ++k) {
        const std::size_t j = s * reps + k;
        f[j] = b.scale;
        f[m + j] = b.qlo;
        f[2 * m + j] = b.qhi;
        f[3 * m + j] = b.clipLo;
        f[4 * m + j] = b.clipHi;
      }
    }
    return Soa{f, f + m, f + 2 * m, f + 3 * m, f + 4 * m};
  };
  const auto runV = [&](std::size_t off, std::size_t n, const Soa& a, std::size_t first) {
    LocalSums L;
    const Soa at{a.scale + first, a.qlo + first, a.qhi + first, a.clipLo + first, a.clipHi + first};
    dispatchRun<kMeasure, true>(isa, x + off, out + off, n, at, L);
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
          const Soa a = buildSoa(d0, nd, inner);
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
        const Soa a = buildSoa(0, slots, 1);
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

Isa activeIsa() {
  const int v = gIsa.load(std::memory_order_relaxed);
  return v < 0 ? bestIsa() : static_cast<Isa>(v);
}

void forceIsa(Isa isa) {
  const int v = std::min(static_cast<int>(isa), static_cast<int>(bestIsa()));
  gIsa.store(v, std::memory_order_relaxed);
}

const char* isaName(Isa isa) {
  switch (isa) {
    case Isa::Scalar:
      return "scalar";
    case Isa::Sse2:
      return "sse2";
    case Isa::Avx2:
      return "avx2";
  }
  return "?";
}

}  // namespace detail
}  // namespace quant
