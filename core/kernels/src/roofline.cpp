// SPDX-License-Identifier: GPL-3.0-or-later
// Measuring the roofline (roofline.h): the timing of the micro-kernels in roofline_*.cpp.
#include "quant/kernels/roofline.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/kernels/int8gemm.h"
#include "roofline_kernels.h"

namespace quant::roofline {
namespace {

using Clock = std::chrono::steady_clock;

// The sink keeps every micro-kernel's result observable, so none of their work can be dropped.
volatile double gSink = 0.0;

// Best (shortest) time per iteration of fn(n) over many short trials, n grown until one call
// takes at least kMinTrialSeconds so the clock's resolution and the call overhead do not matter.
// Short trials and the minimum over many of them keep the result close to the machine's limit on
// a shared machine: a trial that another process interrupted is simply not the fastest. Trials
// stop after kTrials, or after kMaxSeconds once there are three (the large memory buffers). The
// first calls double as the warm-up (clock frequency, wide-vector power states).
template <class Fn>
double bestSecondsPerIteration(Fn&& fn, std::int64_t n = 1024) {
  constexpr double kMinTrialSeconds = 2.5e-4, kMaxSeconds = 0.1;
  constexpr int kTrials = 30;
  auto timed = [&] {
    const auto t0 = Clock::now();
    gSink = gSink + static_cast<double>(fn(n));
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  double s = timed();
  while (s < kMinTrialSeconds && n < (std::int64_t{1} << 40)) {
    n *= 2;
    s = timed();
  }
  double best = s, spent = s;
  for (int t = 1; t < kTrials && (t < 3 || spent < kMaxSeconds); ++t) {
    s = timed();
    best = std::min(best, s);
    spent += s;
  }
  return best / static_cast<double>(n);
}

double gops(std::int64_t macsPerIteration, double secondsPerIteration) {
  return secondsPerIteration > 0
             ? 2.0 * static_cast<double>(macsPerIteration) / secondsPerIteration / 1e9
             : 0.0;
}

std::int64_t cacheBytes(int name, std::int64_t fallback) {
  const long v = ::sysconf(name);
  return v > 0 ? static_cast<std::int64_t>(v) : fallback;
}

// Read bandwidth over a buffer of `bytes` (a multiple of 256) with the read pass of `isa`.
double readGbPerSecond(cpu::Isa isa, std::int64_t bytes) {
  const std::int64_t count = bytes / 4;
  std::vector<std::int32_t> buf(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i)
    buf[static_cast<std::size_t>(i)] = static_cast<std::int32_t>(i);
  auto pass = [&](std::int64_t passes) {
    std::int64_t s = 0;
    for (std::int64_t p = 0; p < passes; ++p) {
      switch (isa) {
#if QUANT_ROOFLINE_X86
        case cpu::Isa::Avx512Vnni:
          s += kernels::avx512Read(buf.data(), count);
          break;
        case cpu::Isa::Avx2:
          s += kernels::avx2Read(buf.data(), count);
          break;
#endif
        default:
          s += kernels::sse2Read(buf.data(), count);
      }
    }
    return s;
  };
  const double secondsPerPass = bestSecondsPerIteration(pass, 1);
  return secondsPerPass > 0 ? static_cast<double>(bytes) / secondsPerPass / 1e9 : 0.0;
}

// One peak loop: the instruction it exercises, multiply-accumulates per round, the loop.
struct PeakLoop {
  const char* instruction;
  std::int64_t macs;
  double (*run)(std::int64_t);
};

// The widest fp32 multiply-add at `isa`.
PeakLoop fp32Loop(cpu::Isa isa) {
  using namespace kernels;
  switch (isa) {
#if QUANT_ROOFLINE_X86
    case cpu::Isa::Avx512Vnni:
      return {"vfmadd231ps zmm", kAvx512Fp32Macs,
              [](std::int64_t n) -> double { return avx512Fp32(n); }};
    case cpu::Isa::Avx2:
      return {"vfmadd231ps ymm", kAvx2Fp32Macs,
              [](std::int64_t n) -> double { return avx2Fp32(n); }};
#endif
    default:
      return {QUANT_ROOFLINE_X86 ? "mulps + addps xmm" : "scalar multiply + add", kSse2Fp32Macs,
              [](std::int64_t n) -> double { return sse2Fp32(n); }};
  }
}

// The multiply-add of the int8 GEMM kernel `kernel`.
PeakLoop int8Loop(cpu::Isa kernel) {
  using namespace kernels;
  switch (kernel) {
#if QUANT_ROOFLINE_X86
    case cpu::Isa::Avx512Vnni:
      return {"vpdpbusd zmm", kAvx512Int8Macs,
              [](std::int64_t n) -> double { return avx512Int8(n); }};
    case cpu::Isa::Avx2:
      return {"vpmaddwd + vpaddd ymm", kAvx2Int8Macs,
              [](std::int64_t n) -> double { return avx2Int8(n); }};
#endif
    default:
      return {QUANT_ROOFLINE_X86 ? "pmaddwd + paddd xmm" : "scalar multiply + add", kSse2Int8Macs,
              [](std::int64_t n) -> double { return sse2Int8(n); }};
  }
}

Peaks measure(cpu::Isa level) {
  Peaks p;
  p.level = level;
  // The widest fp32 FMA at or below the level (avx512vnni implies AVX-512F).
  const cpu::Isa fpIsa =
      cpu::kernelFor(level, {cpu::Isa::Reference, cpu::Isa::Avx2, cpu::Isa::Avx512Vnni});
  const PeakLoop fp = fp32Loop(fpIsa), q = int8Loop(gemm::kernelIsa(level));
  p.fp32Instruction = fp.instruction;
  p.fp32Gops = gops(fp.macs, bestSecondsPerIteration(fp.run));
  p.int8Instruction = q.instruction;
  p.int8Gops = gops(q.macs, bestSecondsPerIteration(q.run));
  // A core sees one CCX's L3 (32 MiB on Zen 4, less elsewhere) even where the system reports the
  // sum over the whole package, so the L3 level never claims more than that.
  constexpr std::int64_t kMiB = std::int64_t{1} << 20;
  const std::int64_t l2 = cacheBytes(_SC_LEVEL2_CACHE_SIZE, kMiB / 4);
  const std::int64_t l3 = std::min(cacheBytes(_SC_LEVEL3_CACHE_SIZE, 8 * kMiB), 32 * kMiB);
  auto roundDown = [](std::int64_t b) { return std::max<std::int64_t>(256, b / 256 * 256); };
  p.memory.push_back({"L2", l2, roundDown(l2 / 2), 0.0});
  if (l3 > l2) p.memory.push_back({"L3", l3, roundDown(std::min(l3 / 2, 8 * kMiB)), 0.0});
  p.memory.push_back({"DRAM", std::numeric_limits<std::int64_t>::max(),
                      std::max<std::int64_t>(4 * l3, 64 * kMiB), 0.0});
  for (MemoryLevel& m : p.memory) m.gbPerSecond = readGbPerSecond(fpIsa, m.bufferBytes);
  return p;
}

}  // namespace

const MemoryLevel& Peaks::levelFor(std::int64_t bytes) const {
  if (memory.empty()) throw Error("roofline: no memory levels were measured");
  for (const MemoryLevel& m : memory)
    if (bytes <= m.capacity) return m;
  return memory.back();
}

const Peaks& peaks(cpu::Isa level) {
  if (level == cpu::Isa::Auto) level = cpu::activeIsa();
  if (!cpu::isaSupported(level))
    throw Error(std::string("roofline: this CPU cannot run ") + cpu::isaName(level));
  static std::mutex mutex;
  static std::map<cpu::Isa, Peaks> measured;  // node-based: references stay valid
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = measured.find(level);
  if (it == measured.end()) it = measured.emplace(level, measure(level)).first;
  return it->second;
}

Roof roof(double peakGops, double opsPerByte, const MemoryLevel& memory) {
  const double memoryGops = opsPerByte * memory.gbPerSecond;
  return memoryGops < peakGops ? Roof{memoryGops, false} : Roof{peakGops, true};
}

}  // namespace quant::roofline
