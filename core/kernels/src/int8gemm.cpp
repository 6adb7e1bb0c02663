// SPDX-License-Identifier: GPL-3.0-or-later
// int8 GEMM kernels (reference, AVX2, AVX-512 VNNI), weight packing, run-time kernel choice, and
// QuantizeMultiplier. The SIMD kernels use function-level target attributes only: this file is
// compiled with the library's common flags, and nothing here runs unless the CPU has the ISA.
#include "quant/kernels/int8gemm.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>
#include <string>
#include <type_traits>

#include "quant/kernels/fixedpoint.h"
#include "quant/base/tensor.h"

#if defined(__x86_64__) || defined(__i386__)
#define QUANT_GEMM_X86 1
#include <cpuid.h>
#include <immintrin.h>
#else
#define QUANT_GEMM_X86 0
#endif

namespace quant {

QuantizedMultiplier QuantizeMultiplier(double real_multiplier) {
  if (!(real_multiplier >= 0.0) || !std::isfinite(real_multiplier)) {
    throw Error("QuantizeMultiplier: the real multiplier must be finite and >= 0");
  }
  if (real_multiplier == 0.0) return {};
  int shift = 0;
  const double frac = std::frexp(real_multiplier, &shift);  // [0.5, 1)
  // frac * 2^31 is in [2^30, 2^31): the cast cannot overflow.
  auto q = static_cast<std::int64_t>(std::round(frac * 2147483648.0));
  if (q == (std::int64_t{1} << 31)) {
    q /= 2;
    ++shift;
  }
  if (shift < -31) return {};
  if (shift > 30) throw Error("QuantizeMultiplier: the real multiplier must be below 2^30");
  return {static_cast<std::int32_t>(q), shift};
}

namespace gemm {
namespace {

constexpr int kMaxDim = 65536;

[[maybe_unused]] int roundUp(int x, int m) { return (x + m - 1) / m * m; }

std::int32_t wrapAdd(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}
[[maybe_unused]] std::int32_t wrapMul(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) * static_cast<std::uint32_t>(b));
}

// ---------------------------------------------------------------------------------------------
// CPU features

bool detectAvx2() {
#if QUANT_GEMM_X86
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2");
#else
  return false;
#endif
}

bool detectVnni() {
#if QUANT_GEMM_X86
  __builtin_cpu_init();
  // The avx512* names also check that the OS saves ZMM state. clang 14 has no "avx512vnni" name
  // for __builtin_cpu_supports, so the VNNI bit is read from CPUID leaf 7 (ECX bit 11).
  if (!__builtin_cpu_supports("avx512f") || !__builtin_cpu_supports("avx512bw") ||
      !__builtin_cpu_supports("avx512vl")) {
    return false;
  }
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  return (ecx >> 11) & 1u;
#else
  return false;
#endif
}

struct Features {
  bool avx2 = detectAvx2();
  bool vnni = detectVnni();
};
const Features& features() {
  static const Features f;
  return f;
}

std::mutex gNoteMutex;
std::string gNote;
std::atomic<int> gForced{-1};  // -1: not decided yet

Isa resolve(Isa requested, const char* source) {
  if (requested == Isa::Auto) return bestIsa();
  if (isaSupported(requested)) return requested;
  const Isa best = bestIsa();
  std::lock_guard lock(gNoteMutex);
  gNote = std::string(source) + ": this CPU cannot run the " + isaName(requested) +
          " int8 GEMM kernel; using " + isaName(best);
  return best;
}

Isa fromEnvironment() {
  const char* env = std::getenv("QUANTLAB_ISA");
  if (env == nullptr || *env == '\0') return bestIsa();
  const std::string s(env);
  for (Isa isa : {Isa::Auto, Isa::Reference, Isa::Avx2, Isa::Avx512Vnni}) {
    if (s == isaName(isa)) {
      const Isa got = resolve(isa, "QUANTLAB_ISA");
      if (got != isa && isa != Isa::Auto)
        std::fprintf(stderr, "quantlab: %s\n", fallbackNote().c_str());
      return got;
    }
  }
  {
    std::lock_guard lock(gNoteMutex);
    gNote = "QUANTLAB_ISA=" + s + " is not one of reference|avx2|avx512vnni|auto; using " +
            isaName(bestIsa());
  }
  std::fprintf(stderr, "quantlab: %s\n", fallbackNote().c_str());
  return bestIsa();
}

// ---------------------------------------------------------------------------------------------
// Reference kernel: the specification, literally.

template <class T>
void referenceAcc(const T* a, int M, std::int32_t za, const PackedWeights& w, std::int32_t* c) {
  const int K = w.K, N = w.N;
  for (int m = 0; m < M; ++m) {
    for (int n = 0; n < N; ++n) {
      std::int64_t sum = 0;
      for (int k = 0; k < K; ++k) {
        sum += (std::int64_t{a[std::size_t(m) * K + k]} - za) * w.w[std::size_t(k) * N + n];
      }
      // |sum| <= 255 * 127 * 65536 < 2^31: exact; only the bias addition can wrap.
      c[std::size_t(m) * N + n] = wrapAdd(static_cast<std::int32_t>(sum), w.bias[n]);
    }
  }
}

void requantRows(const std::int32_t* acc, int rows, int N, const PackedWeights& w,
                 const OutputParams& op, std::int8_t* out) {
  for (int m = 0; m < rows; ++m) {
    for (int n = 0; n < N; ++n) {
      out[std::size_t(m) * N + n] = requantize(acc[std::size_t(m) * N + n], w.requant[n], op);
    }
  }
}

#if QUANT_GEMM_X86
// ---------------------------------------------------------------------------------------------
// AVX2: int16 (a - za) x int16 w with vpmaddwd (never saturates, see the header).

#define QUANT_GEMM_AVX2 __attribute__((target("avx2")))

// The kernels return with the upper vector state dirty (measured: baseline-ISA loops run 3-5x
// slower afterwards on the same thread, e.g. the input quantization or Eigen's SSE2 GEMM), so
// every dispatch to a vector kernel ends with a vzeroupper. It changes no result.
QUANT_GEMM_AVX2 void clearUpperVectorState() { _mm256_zeroupper(); }

// Bit-exact vector form of requantize() for 8 channels starting at n (see vnniRequant for the
// AVX-512 version; AVX2 lacks 64-bit arithmetic shifts and saturating narrows, handled below).
QUANT_GEMM_AVX2 inline __m256i avx2Requant(__m256i acc, const PackedWeights& w, int n, __m256i lo,
                                           __m256i hi, __m256i zo) {
  const __m256i mult = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.multPad.data() + n));
  const __m256i left =
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.leftShiftPad.data() + n));
  const __m256i right =
      _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.rightShiftPad.data() + n));
  const __m256i x = _mm256_sllv_epi32(acc, left);  // wraps, as MultiplyByQuantizedMultiplier
  // floor((ab + 2^30) / 2^31): only the low 32 bits of the shifted 64-bit value are kept, and
  // those are the same for a logical and an arithmetic shift.
  const __m256i nudge = _mm256_set1_epi64x(std::int64_t{1} << 30);
  __m256i even = _mm256_mul_epi32(x, mult);
  __m256i odd = _mm256_mul_epi32(_mm256_srli_epi64(x, 32), _mm256_srli_epi64(mult, 32));
  even = _mm256_srli_epi64(_mm256_add_epi64(even, nudge), 31);
  odd = _mm256_slli_epi64(_mm256_srli_epi64(_mm256_add_epi64(odd, nudge), 31), 32);
  __m256i r = _mm256_blend_epi32(even, odd, 0xAA);
  // The one overflow, INT32_MIN * INT32_MIN = 2^31, came out as INT32_MIN: flip it to INT32_MAX.
  const __m256i minv = _mm256_set1_epi32(std::numeric_limits<std::int32_t>::min());
  const __m256i both =
      _mm256_and_si256(_mm256_cmpeq_epi32(x, minv), _mm256_cmpeq_epi32(mult, minv));
  r = _mm256_xor_si256(r, both);
  // Rounding divide by 2^right, ties away from zero.
  const __m256i one = _mm256_set1_epi32(1);
  const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, right), one);
  const __m256i rem = _mm256_and_si256(r, mask);
  const __m256i thr = _mm256_add_epi32(_mm256_srli_epi32(mask, 1), _mm256_srli_epi32(r, 31));
  const __m256i up = _mm256_cmpgt_epi32(rem, thr);  // -1 where rounding up
  r = _mm256_sub_epi32(_mm256_srav_epi32(r, right), up);
  // clamp(r + zo, lo, hi) without overflow: clamp r to [lo - zo, hi - zo] first.
  r = _mm256_max_epi32(_mm256_min_epi32(r, hi), lo);
  return _mm256_add_epi32(r, zo);
}

// GCC 12 keeps an array of vector accumulators in registers but copies each of them once per k
// step (a register-allocation weakness: one or two extra moves per multiply-add, which made the
// kernels ~1.2x slower), so the micro-kernels name every accumulator c<row>_<col>, generated by
// these macros; `if constexpr` drops the ones a tile shape does not use.
#define QG_J2(X, i) X(i, 0) X(i, 1)
#define QG_J4(X, i) QG_J2(X, i) X(i, 2) X(i, 3)
#define QG_I6(X) X(0) X(1) X(2) X(3) X(4) X(5)
#define QG_I8(X) QG_I6(X) X(6) X(7)

inline std::int32_t load32(const void* p) {
  std::int32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// 6 rows x 2 ymm (16 columns): 12 accumulators + 2 weight vectors + 1 broadcast + 1 product = all
// 16 ymm registers. Per pair of k: 2 weight loads and 6 broadcasts feed 12 vpmaddwd.
// Cost: 2 vpmaddwd + 2 vpaddd per 32 products. oneDNN's AVX2 u8 x s8 kernel needs one op fewer
// (vpmaddubsw + vpmaddwd + vpaddd) but its int16 pair sums saturate: with a = 255, w = 127 it
// returns K/2 * 32767 instead of K * 32385. An exact vpmaddubsw form needs a split operand (7-bit
// part + 1-bit part) and 3 multiplies per 32 products, more than the 2 used here.
constexpr int kAvx2Mr = 6;
constexpr int kAvx2Nv = 2;
constexpr int kAvx2Cols = 8;  // columns per packed block (one ymm of int32)

// One accumulator vector's 8 columns (the first `cols` of them valid) to the output: int32 to c,
// or with op the requantized bytes to out.
QUANT_GEMM_AVX2 inline void avx2Emit(__m256i acc, const PackedWeights& w, int n, int cols,
                                     std::int32_t* c, std::int8_t* out, const OutputParams* op) {
  if (op == nullptr) {
    if (cols >= kAvx2Cols) {
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(c), acc);
    } else {
      alignas(32) std::int32_t t[kAvx2Cols];
      _mm256_store_si256(reinterpret_cast<__m256i*>(t), acc);
      std::memcpy(c, t, sizeof(std::int32_t) * std::size_t(cols));
    }
    return;
  }
  const __m256i zo = _mm256_set1_epi32(op->zeroPoint);
  const __m256i lo = _mm256_set1_epi32(op->actMin - op->zeroPoint);
  const __m256i hi = _mm256_set1_epi32(op->actMax - op->zeroPoint);
  // Byte 0 of each int32 lane to the low 4 bytes of each 128-bit half, then the halves together.
  const __m256i pick =
      _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 4, 8, 12, -1,
                       -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
  const __m256i join = _mm256_setr_epi32(0, 4, 0, 0, 0, 0, 0, 0);
  const __m256i r = avx2Requant(acc, w, n, lo, hi, zo);
  const __m128i bytes =
      _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(r, pick), join));
  if (cols >= kAvx2Cols) {
    _mm_storel_epi64(reinterpret_cast<__m128i*>(out), bytes);
  } else {
    alignas(16) std::int8_t t[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(t), bytes);
    std::memcpy(out, t, std::size_t(cols));
  }
}

// rows x (NV * 8) accumulators over `pairs` pairs of k, started from the bias, written to row i of
// c / out at offset i * ldc (only the first `cols` columns).
template <int MR, int NV>
QUANT_GEMM_AVX2 void avx2Tile(const std::int16_t* a, int lda, const std::int16_t* wb,
                              std::size_t blockStride, int pairs, const PackedWeights& w, int n0,
                              int cols, std::int32_t* c, std::int8_t* out, int ldc,
                              const OutputParams* op) {
  static_assert(MR >= 1 && MR <= 6 && NV >= 1 && NV <= 2);
  const __m256i b0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.biasPad.data() + n0));
  const __m256i b1 =
      NV > 1
          ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w.biasPad.data() + n0 + kAvx2Cols))
          : b0;
#define QG_DECL(i, j) __m256i c##i##_##j = b##j;
#define QG_DECL_ROW(i) QG_J2(QG_DECL, i)
  QG_I6(QG_DECL_ROW)
  const std::int16_t* w0p = wb;
  const std::int16_t* w1p = wb + (NV > 1 ? blockStride : 0);
  for (int p = 0; p < pairs; ++p) {
    const __m256i w0 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w0p + p * 16));
    const __m256i w1 =
        NV > 1 ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w1p + p * 16)) : w0;
    const std::int16_t* ap = a + 2 * p;
#define QG_MAC(i, j)                                                        \
  if constexpr (MR > i && NV > j) {                                         \
    c##i##_##j = _mm256_add_epi32(c##i##_##j, _mm256_madd_epi16(av, w##j)); \
  }
#define QG_ROW(i)                                                            \
  if constexpr (MR > i) {                                                    \
    const __m256i av = _mm256_set1_epi32(load32(ap + std::size_t(i) * lda)); \
    QG_J2(QG_MAC, i)                                                         \
  }
    QG_I6(QG_ROW)
  }
#define QG_EMIT(i, j)                                                                         \
  if constexpr (MR > i && NV > j) {                                                           \
    avx2Emit(c##i##_##j, w, n0 + j * kAvx2Cols, cols - j * kAvx2Cols,                         \
             c == nullptr ? nullptr : c + std::size_t(i) * ldc + n0 + j * kAvx2Cols,          \
             out == nullptr ? nullptr : out + std::size_t(i) * ldc + n0 + j * kAvx2Cols, op); \
  }
#define QG_EMIT_ROW(i) QG_J2(QG_EMIT, i)
  QG_I6(QG_EMIT_ROW)
#undef QG_DECL
#undef QG_DECL_ROW
#undef QG_MAC
#undef QG_ROW
#undef QG_EMIT
#undef QG_EMIT_ROW
}

using Avx2TileFn = void (*)(const std::int16_t*, int, const std::int16_t*, std::size_t, int,
                            const PackedWeights&, int, int, std::int32_t*, std::int8_t*, int,
                            const OutputParams*);
template <int MR>
constexpr Avx2TileFn avx2Row[kAvx2Nv] = {avx2Tile<MR, 1>, avx2Tile<MR, 2>};
constexpr const Avx2TileFn* avx2Table[kAvx2Mr] = {avx2Row<1>, avx2Row<2>, avx2Row<3>,
                                                  avx2Row<4>, avx2Row<5>, avx2Row<6>};

// dst (M x kp, kp = K rounded up to even, the pad column zero) = a - za as int16.
template <class T>
QUANT_GEMM_AVX2 void avx2Widen(const T* a, int M, int K, std::int32_t za, std::int16_t* dst,
                               int kp) {
  const __m256i z = _mm256_set1_epi16(static_cast<std::int16_t>(za));
  for (int m = 0; m < M; ++m) {
    const T* src = a + std::size_t(m) * K;
    std::int16_t* d = dst + std::size_t(m) * kp;
    int k = 0;
    for (; k + 16 <= K; k += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + k));
      const __m256i x =
          std::is_same_v<T, std::int8_t> ? _mm256_cvtepi8_epi16(v) : _mm256_cvtepu8_epi16(v);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(d + k), _mm256_sub_epi16(x, z));
    }
    for (; k < K; ++k) d[k] = static_cast<std::int16_t>(src[k] - za);
    if (kp > K) d[K] = 0;
  }
}

template <class T>
void avx2Gemm(const T* a, int M, std::int32_t za, const PackedWeights& w, std::int32_t* c,
              const OutputParams* op, std::int8_t* out) {
  const int K = w.K, N = w.N, kp = roundUp(K, 2), pairs = kp / 2;
  thread_local std::vector<std::int16_t> as;
  as.resize(std::size_t(M) * kp);
  avx2Widen(a, M, K, za, as.data(), kp);
  const std::size_t blockStride = std::size_t(kp) * kAvx2Cols;
  // Rows split into equal tiles of at most kAvx2Mr (M = 32: 6,6,5,5,5,5 instead of 6 x 5 + 2).
  const int mTiles = (M + kAvx2Mr - 1) / kAvx2Mr;
  constexpr int panel = kAvx2Nv * kAvx2Cols;
  for (int n0 = 0; n0 < N; n0 += panel) {
    const int cols = std::min(panel, N - n0);
    const int nv = (cols + kAvx2Cols - 1) / kAvx2Cols;
    const std::int16_t* wb = w.avx2.data() + std::size_t(n0 / kAvx2Cols) * blockStride;
    for (int t = 0, m0 = 0; t < mTiles; ++t) {
      const int left = mTiles - t;
      const int rows = (M - m0 + left - 1) / left;
      avx2Table[rows - 1][nv - 1](as.data() + std::size_t(m0) * kp, kp, wb, blockStride, pairs, w,
                                  n0, cols, c == nullptr ? nullptr : c + std::size_t(m0) * N,
                                  out == nullptr ? nullptr : out + std::size_t(m0) * N, N, op);
      m0 += rows;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// AVX-512 VNNI: vpdpbusd, u8 activations x s8 weights, 4 products into each int32 lane.

// GCC 12 warns about the deliberately undefined passthrough operand inside its own AVX-512
// intrinsics (_mm512_undefined_epi32) once they are inlined: a known false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif

#define QUANT_GEMM_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

// Bit-exact vector form of requantize() for 16 channels starting at n.
QUANT_GEMM_VNNI inline __m512i vnniRequant(__m512i acc, const PackedWeights& w, int n, __m512i lo,
                                           __m512i hi, __m512i zo) {
  const __m512i mult = _mm512_loadu_si512(w.multPad.data() + n);
  const __m512i left = _mm512_loadu_si512(w.leftShiftPad.data() + n);
  const __m512i right = _mm512_loadu_si512(w.rightShiftPad.data() + n);
  const __m512i x = _mm512_sllv_epi32(acc, left);  // wraps, as MultiplyByQuantizedMultiplier
  // High multiply: 64-bit products of even and odd lanes, floor((ab + 2^30) / 2^31).
  const __m512i nudge = _mm512_set1_epi64(std::int64_t{1} << 30);
  const __m512i maxv = _mm512_set1_epi64(0x7fffffff);
  __m512i even = _mm512_mul_epi32(x, mult);
  __m512i odd = _mm512_mul_epi32(_mm512_srli_epi64(x, 32), _mm512_srli_epi64(mult, 32));
  even = _mm512_min_epi64(_mm512_srai_epi64(_mm512_add_epi64(even, nudge), 31), maxv);
  odd = _mm512_min_epi64(_mm512_srai_epi64(_mm512_add_epi64(odd, nudge), 31), maxv);
  __m512i r = _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
  // Rounding divide by 2^right, ties away from zero.
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, right), one);
  const __m512i rem = _mm512_and_si512(r, mask);
  const __m512i thr = _mm512_add_epi32(_mm512_srli_epi32(mask, 1), _mm512_srli_epi32(r, 31));
  const __mmask16 up = _mm512_cmpgt_epi32_mask(rem, thr);
  r = _mm512_srav_epi32(r, right);
  r = _mm512_mask_add_epi32(r, up, r, one);
  // clamp(r + zo, lo, hi) without overflow: clamp r to [lo - zo, hi - zo] first.
  r = _mm512_max_epi32(_mm512_min_epi32(r, hi), lo);
  return _mm512_add_epi32(r, zo);
}

// Tiles of up to 6 rows x 4 zmm (64 columns) or 8 rows x 3 zmm: 24 accumulators + the weight
// vectors + 1 broadcast fit the 32 zmm registers. Per group of 4 k: NV weight loads and MR
// broadcasts feed MR * NV vpdpbusd.
constexpr int kVnniMrMax = 8;
constexpr int kVnniNv = 4;

// One accumulator vector's 16 columns (the first `cols` valid) to c (int32) or, with op, to out.
// lo, hi, zo: the output stage's constants (see vnniRequant), set up once per tile because the
// int8 stores may alias op and would make the compiler reload it after each one.
QUANT_GEMM_VNNI inline void vnniEmit(__m512i acc, const PackedWeights& w, int n, int cols,
                                     std::int32_t* c, std::int8_t* out, bool requant, __m512i lo,
                                     __m512i hi, __m512i zo) {
  const int valid = std::min(16, cols);
  const __mmask16 k = static_cast<__mmask16>((1u << valid) - 1u);
  if (!requant) {
    _mm512_mask_storeu_epi32(c, k, acc);
    return;
  }
  _mm512_mask_cvtepi32_storeu_epi8(out, k, vnniRequant(acc, w, n, lo, hi, zo));
}

// rows x (NV * 16) accumulators over `groups` groups of 4 k, started from offset (bias minus the
// zero-point correction), written to row i of c / out at offset i * ldc.
template <int MR, int NV>
QUANT_GEMM_VNNI void vnniTile(const std::uint8_t* a, int lda, const std::int8_t* wb,
                              std::size_t blockStride, int groups, const std::int32_t* offset,
                              const PackedWeights& w, int n0, int cols, std::int32_t* c,
                              std::int8_t* out, int ldc, const OutputParams* op) {
  static_assert(MR >= 1 && MR <= kVnniMrMax && NV >= 1 && NV <= kVnniNv && MR * NV <= 24);
  const __m512i o0 = _mm512_loadu_si512(offset);
  const __m512i o1 = NV > 1 ? _mm512_loadu_si512(offset + 16) : o0;
  const __m512i o2 = NV > 2 ? _mm512_loadu_si512(offset + 32) : o0;
  const __m512i o3 = NV > 3 ? _mm512_loadu_si512(offset + 48) : o0;
#define QG_DECL(i, j) __m512i c##i##_##j = o##j;
#define QG_DECL_ROW(i) QG_J4(QG_DECL, i)
  QG_I8(QG_DECL_ROW)
  const std::int8_t* w0p = wb;
  const std::int8_t* w1p = wb + (NV > 1 ? blockStride : 0);
  const std::int8_t* w2p = wb + (NV > 2 ? 2 * blockStride : 0);
  const std::int8_t* w3p = wb + (NV > 3 ? 3 * blockStride : 0);
  for (int g = 0; g < groups; ++g) {
    const __m512i w0 = _mm512_loadu_si512(w0p + g * 64);
    const __m512i w1 = NV > 1 ? _mm512_loadu_si512(w1p + g * 64) : w0;
    const __m512i w2 = NV > 2 ? _mm512_loadu_si512(w2p + g * 64) : w0;
    const __m512i w3 = NV > 3 ? _mm512_loadu_si512(w3p + g * 64) : w0;
    const std::uint8_t* ap = a + 4 * g;
#define QG_MAC(i, j)                                        \
  if constexpr (MR > i && NV > j) {                         \
    c##i##_##j = _mm512_dpbusd_epi32(c##i##_##j, av, w##j); \
  }
#define QG_ROW(i)                                                            \
  if constexpr (MR > i) {                                                    \
    const __m512i av = _mm512_set1_epi32(load32(ap + std::size_t(i) * lda)); \
    QG_J4(QG_MAC, i)                                                         \
  }
    QG_I8(QG_ROW)
  }
#define QG_EMIT(i, j)                                                                              \
  if constexpr (MR > i && NV > j) {                                                                \
    vnniEmit(c##i##_##j, w, n0 + j * 16, cols - j * 16,                                            \
             c == nullptr ? nullptr : c + std::size_t(i) * ldc + n0 + j * 16,                      \
             out == nullptr ? nullptr : out + std::size_t(i) * ldc + n0 + j * 16, requant, lo, hi, \
             zo);                                                                                  \
  }
#define QG_EMIT_ROW(i) QG_J4(QG_EMIT, i)
  const bool requant = op != nullptr;
  const __m512i zo = _mm512_set1_epi32(requant ? op->zeroPoint : 0);
  const __m512i lo = _mm512_set1_epi32(requant ? op->actMin - op->zeroPoint : 0);
  const __m512i hi = _mm512_set1_epi32(requant ? op->actMax - op->zeroPoint : 0);
  QG_I8(QG_EMIT_ROW)
#undef QG_DECL
#undef QG_DECL_ROW
#undef QG_MAC
#undef QG_ROW
#undef QG_EMIT
#undef QG_EMIT_ROW
}

using VnniTileFn = void (*)(const std::uint8_t*, int, const std::int8_t*, std::size_t, int,
                            const std::int32_t*, const PackedWeights&, int, int, std::int32_t*,
                            std::int8_t*, int, const OutputParams*);
// MR x NV; the driver never picks more than 24 accumulators (6 x 4 or 8 x 3): the entries beyond
// would spill and are not instantiated.
template <int MR>
constexpr VnniTileFn vnniRow[kVnniNv] = {vnniTile<MR, 1>, vnniTile<MR, 2>, vnniTile<MR, 3>,
                                         MR <= 6 ? vnniTile<std::min(MR, 6), 4> : nullptr};
constexpr const VnniTileFn* vnniTable[kVnniMrMax] = {
    vnniRow<1>, vnniRow<2>, vnniRow<3>, vnniRow<4>, vnniRow<5>, vnniRow<6>, vnniRow<7>, vnniRow<8>};

// dst (M x kp, kp = K rounded up to 4, zero padded) = a as uint8 (int8 + 128 = the sign bit
// flipped). Masked 64-byte moves: rows of small K (the first conv's K = 9) cost no library calls.
template <class T>
QUANT_GEMM_VNNI void vnniCopyRows(const T* a, int M, int K, std::uint8_t* dst, int kp) {
  const __m512i flip = _mm512_set1_epi8(std::is_same_v<T, std::int8_t> ? -128 : 0);
  for (int m = 0; m < M; ++m) {
    const T* src = a + std::size_t(m) * K;
    std::uint8_t* d = dst + std::size_t(m) * kp;
    for (int k = 0; k < kp; k += 64) {
      const int valid = std::max(0, std::min(64, K - k));
      const int room = std::min(64, kp - k);
      const __mmask64 in = valid >= 64 ? ~__mmask64{0} : (__mmask64{1} << valid) - 1;
      const __mmask64 outm = room >= 64 ? ~__mmask64{0} : (__mmask64{1} << room) - 1;
      // Lanes past K are the zero padding: only loaded lanes are flipped.
      const __m512i v = _mm512_maskz_loadu_epi8(in, src + k);
      _mm512_mask_storeu_epi8(d + k, outm, _mm512_maskz_mov_epi8(in, _mm512_xor_si512(v, flip)));
    }
  }
}

template <class T>
void vnniGemm(const T* a, int M, std::int32_t za, const PackedWeights& w, std::int32_t* c,
              const OutputParams* op, std::int8_t* out) {
  constexpr bool kSigned = std::is_same_v<T, std::int8_t>;
  const int K = w.K, N = w.N, kp = roundUp(K, 4), groups = kp / 4;
  // Activations as uint8 (int8 + 128 = flipping the sign bit), rows padded with zeros to kp. uint8
  // rows whose K is already a multiple of 4 are read in place.
  thread_local std::vector<std::uint8_t> as;
  const std::uint8_t* ab = nullptr;
  if constexpr (!kSigned) {
    if (kp == K) ab = a;
  }
  if (ab == nullptr) {
    as.resize(std::size_t(M) * kp);
    vnniCopyRows(a, M, K, as.data(), kp);
    ab = as.data();
  }
  const std::int32_t zu = kSigned ? za + 128 : za;
  // offset[n] = bias[n] - zu * colsum[n], modulo 2^32 like the reference's bias addition.
  const int np = roundUp(N, 16);
  thread_local std::vector<std::int32_t> offset;
  offset.resize(std::size_t(np));
  for (int n = 0; n < np; ++n) {
    offset[n] = wrapAdd(w.biasPad[n], wrapMul(-zu, w.colSumPad[n]));
  }
  const std::size_t blockStride = std::size_t(kp) * 16;
  // Panel width: 4 zmm (6-row tiles) when N has 64 columns or more, else all of N (8-row tiles).
  const int nvFull = std::min(kVnniNv, np / 16);
  const int mr = nvFull == kVnniNv ? 6 : kVnniMrMax;
  const int panel = nvFull * 16;
  // Rows split into equal tiles of at most mr (M = 32: 6,6,5,5,5,5 instead of 6 x 5 + 2).
  const int mTiles = (M + mr - 1) / mr;
  for (int n0 = 0; n0 < N; n0 += panel) {
    const int cols = std::min(panel, N - n0);
    const int nv = (cols + 15) / 16;
    const std::int8_t* wb = w.vnni.data() + std::size_t(n0 / 16) * blockStride;
    for (int t = 0, m0 = 0; t < mTiles; ++t) {
      const int left = mTiles - t;
      const int rows = (M - m0 + left - 1) / left;
      vnniTable[rows - 1][nv - 1](ab + std::size_t(m0) * kp, kp, wb, blockStride, groups,
                                  offset.data() + n0, w, n0, cols,
                                  c == nullptr ? nullptr : c + std::size_t(m0) * N,
                                  out == nullptr ? nullptr : out + std::size_t(m0) * N, N, op);
      m0 += rows;
    }
  }
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#endif  // QUANT_GEMM_X86

// ---------------------------------------------------------------------------------------------

template <class T>
void checkCall(std::size_t aSize, int M, std::int32_t za, const PackedWeights& w,
               std::size_t outSize) {
  if (w.K <= 0 || w.N <= 0) throw Error("int8 GEMM: the weights are not packed");
  if (M < 0 || M > (1 << 24)) throw Error("int8 GEMM: M out of range");
  if (aSize != std::size_t(M) * std::size_t(w.K)) {
    throw Error("int8 GEMM: activations have " + std::to_string(aSize) +
                " values, expected M*K = " + std::to_string(std::size_t(M) * w.K));
  }
  if (outSize != std::size_t(M) * std::size_t(w.N)) {
    throw Error("int8 GEMM: output has " + std::to_string(outSize) +
                " values, expected M*N = " + std::to_string(std::size_t(M) * w.N));
  }
  constexpr bool kSigned = std::is_same_v<T, std::int8_t>;
  const std::int32_t lo = kSigned ? -128 : 0, hi = kSigned ? 127 : 255;
  if (za < lo || za > hi) {
    throw Error("int8 GEMM: activation zero point " + std::to_string(za) + " outside [" +
                std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
}

Isa pick(Isa isa) {
  if (isa == Isa::Auto) return activeIsa();
  if (!isaSupported(isa)) {
    throw Error(std::string("int8 GEMM: this CPU cannot run the ") + isaName(isa) + " kernel");
  }
  return isa;
}

template <class T>
void accImpl(Isa isa, std::span<const T> a, int M, std::int32_t za, const PackedWeights& w,
             std::span<std::int32_t> c) {
  checkCall<T>(a.size(), M, za, w, c.size());
  if (M == 0) return;
  switch (pick(isa)) {
#if QUANT_GEMM_X86
    case Isa::Avx512Vnni:
      vnniGemm(a.data(), M, za, w, c.data(), nullptr, nullptr);
      clearUpperVectorState();
      return;
    case Isa::Avx2:
      avx2Gemm(a.data(), M, za, w, c.data(), nullptr, nullptr);
      clearUpperVectorState();
      return;
#endif
    default:
      referenceAcc(a.data(), M, za, w, c.data());
      return;
  }
}

template <class T>
void requantImpl(Isa isa, std::span<const T> a, int M, std::int32_t za, const PackedWeights& w,
                 const OutputParams& op, std::span<std::int8_t> out) {
  checkCall<T>(a.size(), M, za, w, out.size());
  if (std::size_t(w.N) != w.requant.size()) {
    throw Error("int8 GEMM: the packed weights have no requantization multipliers");
  }
  if (op.zeroPoint < -128 || op.zeroPoint > 127 || op.actMin < -128 || op.actMax > 127 ||
      op.actMin > op.actMax) {
    throw Error("int8 GEMM: output zero point or activation range outside int8");
  }
  if (M == 0) return;
  switch (pick(isa)) {
#if QUANT_GEMM_X86
    case Isa::Avx512Vnni:
      vnniGemm(a.data(), M, za, w, nullptr, &op, out.data());
      clearUpperVectorState();
      return;
    case Isa::Avx2:
      avx2Gemm(a.data(), M, za, w, nullptr, &op, out.data());
      clearUpperVectorState();
      return;
#endif
    default: {
      // Row blocks keep the int32 scratch small.
      constexpr int kRows = 16;
      std::vector<std::int32_t> acc(std::size_t(kRows) * w.N);
      for (int m0 = 0; m0 < M; m0 += kRows) {
        const int rows = std::min(kRows, M - m0);
        referenceAcc(a.data() + std::size_t(m0) * w.K, rows, za, w, acc.data());
        requantRows(acc.data(), rows, w.N, w, op, out.data() + std::size_t(m0) * w.N);
      }
      return;
    }
  }
}

}  // namespace

const char* isaName(Isa isa) {
  switch (isa) {
    case Isa::Auto:
      return "auto";
    case Isa::Reference:
      return "reference";
    case Isa::Avx2:
      return "avx2";
    case Isa::Avx512Vnni:
      return "avx512vnni";
  }
  return "?";
}

bool isaSupported(Isa isa) {
  switch (isa) {
    case Isa::Auto:
    case Isa::Reference:
      return true;
    case Isa::Avx2:
      return features().avx2;
    case Isa::Avx512Vnni:
      return features().vnni;
  }
  return false;
}

Isa bestIsa() {
  if (features().vnni) return Isa::Avx512Vnni;
  if (features().avx2) return Isa::Avx2;
  return Isa::Reference;
}

Isa activeIsa() {
  int v = gForced.load(std::memory_order_acquire);
  if (v < 0) {
    static const Isa fromEnv = fromEnvironment();
    int expected = -1;
    gForced.compare_exchange_strong(expected, static_cast<int>(fromEnv));
    v = gForced.load(std::memory_order_acquire);
  }
  return static_cast<Isa>(v);
}

Isa forceIsa(Isa isa) {
  {
    std::lock_guard lock(gNoteMutex);
    gNote.clear();
  }
  const Isa got = resolve(isa, "forceIsa");
  gForced.store(static_cast<int>(got), std::memory_order_release);
  return got;
}

std::string fallbackNote() {
  std::lock_guard lock(gNoteMutex);
  return gNote;
}

PackedWeights packWeights(std::span<const std::int8_t> w, int K, int N,
                          std::span<const std::int32_t> bias,
                          std::span<const QuantizedMultiplier> requant) {
  if (K < 1 || K > kMaxDim || N < 1 || N > kMaxDim) {
    throw Error("packWeights: K and N must lie in [1, 65536] (K = " + std::to_string(K) +
                ", N = " + std::to_string(N) + ")");
  }
  if (w.size() != std::size_t(K) * N) throw Error("packWeights: weights are not K x N");
  if (!bias.empty() && bias.size() != std::size_t(N)) throw Error("packWeights: bias is not N");
  if (!requant.empty() && requant.size() != 1 && requant.size() != std::size_t(N)) {
    throw Error("packWeights: requant must have 1 or N multipliers");
  }
  PackedWeights p;
  p.K = K;
  p.N = N;
  p.w.assign(w.begin(), w.end());
  for (std::int8_t v : p.w) {
    if (v == -128) {
      throw Error("packWeights: weight -128 (symmetric int8 weights lie in [-127, 127])");
    }
  }
  p.colSum.assign(std::size_t(N), 0);
  for (int k = 0; k < K; ++k) {
    for (int n = 0; n < N; ++n) p.colSum[n] += p.w[std::size_t(k) * N + n];
  }
  p.bias.assign(std::size_t(N), 0);
  if (!bias.empty()) std::copy(bias.begin(), bias.end(), p.bias.begin());
  for (int n = 0; n < N && !requant.empty(); ++n) {
    const QuantizedMultiplier q = requant.size() == 1 ? requant[0] : requant[n];
    if (q.shift < -31 || q.shift > 30) throw Error("packWeights: shift outside [-31, 30]");
    p.requant.push_back(q);
  }
  const int np = roundUp(N, 16);
  p.colSumPad.assign(std::size_t(np), 0);
  p.biasPad.assign(std::size_t(np), 0);
  p.multPad.assign(std::size_t(np), 0);
  p.leftShiftPad.assign(std::size_t(np), 0);
  p.rightShiftPad.assign(std::size_t(np), 0);
  for (int n = 0; n < N; ++n) {
    p.colSumPad[n] = p.colSum[n];
    p.biasPad[n] = p.bias[n];
    if (!p.requant.empty()) {
      p.multPad[n] = p.requant[n].multiplier;
      p.leftShiftPad[n] = std::max(p.requant[n].shift, 0);
      p.rightShiftPad[n] = std::max(-p.requant[n].shift, 0);
    }
  }
  if (isaSupported(Isa::Avx512Vnni)) {
    const int kp = roundUp(K, 4);
    p.vnni.assign(std::size_t(np) * kp, 0);
    for (int n = 0; n < N; ++n) {
      std::int8_t* block = p.vnni.data() + std::size_t(n / 16) * kp * 16;
      for (int k = 0; k < K; ++k) {
        block[std::size_t(k / 4) * 64 + (n % 16) * 4 + k % 4] = p.w[std::size_t(k) * N + n];
      }
    }
  }
  if (isaSupported(Isa::Avx2)) {
    const int kp = roundUp(K, 2);
    const int nb = roundUp(N, 16);  // the kernel reads 16-column tiles
    p.avx2.assign(std::size_t(nb) * kp, 0);
    for (int n = 0; n < N; ++n) {
      std::int16_t* block = p.avx2.data() + std::size_t(n / 8) * kp * 8;
      for (int k = 0; k < K; ++k) {
        block[std::size_t(k / 2) * 16 + (n % 8) * 2 + k % 2] = p.w[std::size_t(k) * N + n];
      }
    }
  }
  return p;
}

void gemmAcc(Isa isa, std::span<const std::uint8_t> a, int M, std::int32_t za,
             const PackedWeights& w, std::span<std::int32_t> c) {
  accImpl(isa, a, M, za, w, c);
}
void gemmAcc(Isa isa, std::span<const std::int8_t> a, int M, std::int32_t za,
             const PackedWeights& w, std::span<std::int32_t> c) {
  accImpl(isa, a, M, za, w, c);
}
void gemmRequant(Isa isa, std::span<const std::uint8_t> a, int M, std::int32_t za,
                 const PackedWeights& w, const OutputParams& op, std::span<std::int8_t> out) {
  requantImpl(isa, a, M, za, w, op, out);
}
void gemmRequant(Isa isa, std::span<const std::int8_t> a, int M, std::int32_t za,
                 const PackedWeights& w, const OutputParams& op, std::span<std::int8_t> out) {
  requantImpl(isa, a, M, za, w, op, out);
}
void gemmAcc(std::span<const std::uint8_t> a, int M, std::int32_t za, const PackedWeights& w,
             std::span<std::int32_t> c) {
  accImpl(Isa::Auto, a, M, za, w, c);
}
void gemmAcc(std::span<const std::int8_t> a, int M, std::int32_t za, const PackedWeights& w,
             std::span<std::int32_t> c) {
  accImpl(Isa::Auto, a, M, za, w, c);
}
void gemmRequant(std::span<const std::uint8_t> a, int M, std::int32_t za, const PackedWeights& w,
                 const OutputParams& op, std::span<std::int8_t> out) {
  requantImpl(Isa::Auto, a, M, za, w, op, out);
}
void gemmRequant(std::span<const std::int8_t> a, int M, std::int32_t za, const PackedWeights& w,
                 const OutputParams& op, std::span<std::int8_t> out) {
  requantImpl(Isa::Auto, a, M, za, w, op, out);
}

}  // namespace gemm
}  // namespace quant
