// SPDX-License-Identifier: GPL-3.0-or-later
// Linear and Conv2d on the fp32 GEMM kernels; see fp32kernels.h.
#include "fp32kernels.h"

#include <cstddef>
#include <cstring>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

#include "im2col.h"

namespace quant::detail {
namespace {

// A checksum of n 32-bit words: per lane a sum and a sum of running sums (Fletcher's scheme,
// modulo 2^32) over 16 lanes held in four 128-bit vectors (GCC/Clang vector extensions: SSE2 on
// the x86-64 baseline), so it runs near memory speed: it is computed on every forward pass of a
// Linear layer. Any single changed word changes it; it only has to tell apart the versions of one
// layer's weights (edits, training steps), not resist an adversary.
std::uint64_t checksum(const void* data, std::size_t n, std::uint64_t seed) {
  using V = std::uint32_t __attribute__((vector_size(16)));
  constexpr std::size_t kLanes = 16;
  V s1[4] = {}, s2[4] = {};
  const auto* bytes = static_cast<const unsigned char*>(data);
  std::size_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (int j = 0; j < 4; ++j) {
      V w;
      std::memcpy(&w, bytes + (i + 4 * j) * 4, sizeof w);
      s1[j] += w;
      s2[j] += s1[j];
    }
  }
  std::uint32_t tail1 = 0, tail2 = 0;
  for (; i < n; ++i) {
    std::uint32_t w;
    std::memcpy(&w, bytes + i * 4, 4);
    tail1 += w;
    tail2 += tail1;
  }
  std::uint64_t h = seed ^ n;
  const auto mix = [&h](std::uint32_t v) { h = ((h ^ v) * 0x100000001b3ull) ^ (h >> 29); };
  for (int j = 0; j < 4; ++j) {
    for (int k = 0; k < 4; ++k) {
      mix(s1[j][k]);
      mix(s2[j][k]);
    }
  }
  mix(tail1);
  mix(tail2);
  return h;
}

using Key = std::tuple<Eigen::Index, Eigen::Index, Eigen::Index, std::uint64_t, std::uint64_t>;

// Packings kept at most: beyond this many floats the cache starts over (a model's worth at least).
constexpr std::size_t kCacheFloats = std::size_t{64} << 20;

struct Cache {
  std::mutex mutex;
  std::map<Key, std::shared_ptr<const fp32gemm::PackedWeights>> entries;
  std::size_t floats = 0;
};

Cache& cache() {
  static Cache c;
  return c;
}

}  // namespace

bool useFp32Kernels() { return fp32gemm::kernelIsa() != cpu::Isa::Reference; }

std::shared_ptr<const fp32gemm::PackedWeights> packedLinear(const Layer& l) {
  const Key key{l.weight.rows(), l.weight.cols(), l.bias.size(),
                checksum(l.weight.data(), std::size_t(l.weight.size()), 1),
                checksum(l.bias.data(), std::size_t(l.bias.size()), 2)};
  Cache& c = cache();
  {
    std::lock_guard lock(c.mutex);
    const auto found = c.entries.find(key);
    if (found != c.entries.end()) return found->second;
  }
  const int K = static_cast<int>(l.weight.cols()), N = static_cast<int>(l.weight.rows());
  auto packed = std::make_shared<const fp32gemm::PackedWeights>(
      fp32gemm::packWeights({l.weight.data(), std::size_t(l.weight.size())}, K, N,
                            fp32gemm::Layout::NxK, {l.bias.data(), std::size_t(l.bias.size())}));
  std::lock_guard lock(c.mutex);
  if (c.floats + packed->panels.size() > kCacheFloats) {
    c.entries.clear();
    c.floats = 0;
  }
  if (c.entries.emplace(key, packed).second) c.floats += packed->panels.size();
  return packed;
}

void linearKernel(const fp32gemm::PackedWeights& w, std::int64_t n, const float* x, float* y,
                  bool relu) {
  fp32gemm::gemmPacked(cpu::Isa::Auto, x, static_cast<int>(n), w.K, w, relu, y, w.N);
}

void conv2dKernel(const Layer& l, std::int64_t n, const float* x, float* y, bool relu) {
  const std::int64_t c = l.inShape[0], hw = l.inShape[1] * l.inShape[2];
  const std::int64_t oc = l.outShape[0], p = l.outShape[1] * l.outShape[2];
  const std::int64_t cg = c / l.groups, ocg = oc / l.groups, k = l.weight.cols();
  const std::ptrdiff_t ldb = fp32gemm::stridedRowFloats(static_cast<int>(p));
  // The columns past p are read by the kernel but reach no output; zero keeps them harmless.
  std::vector<float> cols(static_cast<std::size_t>(k * ldb), 0.0f);
  for (std::int64_t s = 0; s < n; ++s) {
    for (int grp = 0; grp < l.groups; ++grp) {
      im2colRows(l, x + (s * c + grp * cg) * hw, cg, 0.0f, cols.data(), ldb);
      fp32gemm::gemmStrided(cpu::Isa::Auto, l.weight.data() + grp * ocg * k, static_cast<int>(ocg),
                            static_cast<int>(k), k, cols.data(), static_cast<int>(p), ldb,
                            l.bias.size() ? l.bias.data() + grp * ocg : nullptr, relu,
                            y + (s * oc + grp * ocg) * p, p);
    }
  }
}

}  // namespace quant::detail

namespace quant {

const char* fp32KernelName() {
  switch (fp32gemm::kernelIsa()) {
    case cpu::Isa::Avx512Vnni:
      return "avx512f";
    case cpu::Isa::Avx2:
      return "avx2+fma";
    default:
      return "eigen-sse2";
  }
}

}  // namespace quant
