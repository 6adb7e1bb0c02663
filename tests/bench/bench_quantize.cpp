// SPDX-License-Identifier: GPL-3.0-or-later
// Throughput of the interactive path: fused fake-quantize + metrics, its parts, the histogram, and
// a plain sum over the same buffer as the memory-read reference. At exit the ratio of the fused
// 64M pass to the 64M memory read is printed (goal: <= 2). Each case reports items/s.
#include <benchmark/benchmark.h>
#include <time.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "quant/kernels/cpu.h"
#include "quant/kernels/fakequant.h"
#include "quant/numeric/histogram.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/quantize.h"

namespace {

// Never destroyed: the exit-time ratio line reads it.
std::map<std::string, double>& secondsPerPass() {
  static auto* m = new std::map<std::string, double>;
  return *m;
}

const std::vector<float>& data(std::size_t n) {
  static std::map<std::size_t, std::vector<float>> cache;
  auto it = cache.find(n);
  if (it == cache.end()) {
    std::vector<float> v(n);
    std::mt19937 rng(42);
    std::normal_distribution<float> nd(0.0f, 1.0f);
    for (float& f : v) f = nd(rng);
    it = cache.emplace(n, std::move(v)).first;
  }
  return it->second;
}

quant::QuantParams params(std::size_t n) {
  quant::QuantSpec spec;
  spec.scheme = quant::Scheme::Asymmetric;
  const std::vector<std::int64_t> shape{static_cast<std::int64_t>(n)};
  const quant::Range r{-3.0f, 3.0f};
  return quant::makeParams(spec, shape, std::span<const quant::Range>(&r, 1));
}

// Thread CPU time: the machine is shared, so wall time would charge other processes to us
// (Google Benchmark's items/s is based on CPU time too).
double cpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Items/s for the report, and seconds per pass of the latest run for the ratio line.
void record(benchmark::State& state, const std::string& name, double start) {
  const double seconds = cpuSeconds() - start;
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0) * 4);
  if (state.iterations() > 0) {
    secondsPerPass()[name + "/" + std::to_string(state.range(0))] =
        seconds / static_cast<double>(state.iterations());
  }
}

void BM_FusedFakeQuantizeMeasured(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& x = data(n);
  const auto p = params(n);
  std::vector<float> out(n);
  const double start = cpuSeconds();
  for (auto _ : state) {
    quant::ErrorMetrics m = quant::fakeQuantizeMeasured(x, p, out);
    benchmark::DoNotOptimize(m);
    benchmark::ClobberMemory();
  }
  state.counters["isa"] = static_cast<double>(quant::fakequant::kernelIsa());
  record(state, "fused", start);
}

// The fused pass on 1M elements with each fake-quantize kernel forced (range(1): a cpu::Isa).
void BM_FusedIsa(benchmark::State& state) {
  const auto isa = static_cast<quant::cpu::Isa>(state.range(1));
  if (!quant::cpu::isaSupported(isa)) {
    state.SkipWithError("this CPU cannot run the kernel");
    return;
  }
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& x = data(n);
  const auto p = params(n);
  std::vector<float> out(n);
  const auto saved = quant::cpu::activeIsa();
  quant::cpu::forceIsa(isa);
  state.SetLabel(quant::cpu::isaName(quant::fakequant::kernelIsa()));
  const double start = cpuSeconds();
  for (auto _ : state) {
    quant::ErrorMetrics m = quant::fakeQuantizeMeasured(x, p, out);
    benchmark::DoNotOptimize(m);
    benchmark::ClobberMemory();
  }
  record(state, std::string("isa_") + quant::cpu::isaName(isa), start);
  quant::cpu::forceIsa(saved);
}

// Per-channel and per-group on a 1024 x 1024 weight (range(1): 0 = channel axis 0, contiguous
// runs; 1 = channel axis -1, parameters change every element; 2 = groups of 128 along axis -1).
void BM_FusedSlots(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& x = data(n);
  quant::QuantSpec spec;
  spec.scheme = quant::Scheme::Asymmetric;
  const char* kinds[] = {"channel:0", "channel:-1", "group:-1:128"};
  quant::parseGranularity(kinds[state.range(1)], spec);
  const std::int64_t rows = 1024;
  const std::vector<std::int64_t> shape{rows, static_cast<std::int64_t>(n) / rows};
  const auto L = quant::ParamLayout::make(spec, shape);
  const std::vector<quant::Range> ranges(static_cast<std::size_t>(L.slotCount()),
                                         quant::Range{-3.0f, 3.0f});
  const auto p = quant::makeParams(spec, shape, ranges);
  std::vector<float> out(n);
  const double start = cpuSeconds();
  for (auto _ : state) {
    quant::ErrorMetrics m = quant::fakeQuantizeMeasured(x, p, out);
    benchmark::DoNotOptimize(m);
    benchmark::ClobberMemory();
  }
  state.SetLabel(kinds[state.range(1)]);
  record(state, std::string("slots") + kinds[state.range(1)], start);
}

void BM_FakeQuantize(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& x = data(n);
  const auto p = params(n);
  std::vector<float> out(n);
  const double start = cpuSeconds();
  for (auto _ : state) {
    quant::fakeQuantize(x, p, out);
    benchmark::ClobberMemory();
  }
  record(state, "fake", start);
}

void BM_ComputeMetrics(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& x = data(n);
  const auto p = params(n);
  std::vector<float> out(n);
  quant::fakeQuantize(x, p, out);
  const double start = cpuSeconds();
  for (auto _ : state) {
    quant::ErrorMetrics m = quant::computeMetrics(x, out, p.scales[0]);
    benchmark::DoNotOptimize(m);
  }
  record(state, "metrics", start);
}

void BM_BuildHistogram2048(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& x = data(n);
  const double start = cpuSeconds();
  for (auto _ : state) {
    quant::Histogram h = quant::buildHistogram(x, 2048, -4.0, 4.0);
    benchmark::DoNotOptimize(h);
  }
  record(state, "histogram", start);
}

// The memory-read reference: one pass that only loads and adds (8 independent lanes so the adds
// are not the bottleneck).
void BM_MemoryRead(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  const auto& x = data(n);
  const double start = cpuSeconds();
  for (auto _ : state) {
    float acc[8] = {};
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8)
      for (int k = 0; k < 8; ++k) acc[k] += x[i + static_cast<std::size_t>(k)];
    for (; i < n; ++i) acc[0] += x[i];
    float s = 0;
    for (float a : acc) s += a;
    benchmark::DoNotOptimize(s);
  }
  record(state, "memread", start);
}

constexpr std::int64_t k1M = 1 << 20;
constexpr std::int64_t k64M = 64 << 20;

BENCHMARK(BM_FusedFakeQuantizeMeasured)->Arg(k1M)->Arg(k64M)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FusedIsa)
    ->Args({k1M, static_cast<std::int64_t>(quant::cpu::Isa::Reference)})
    ->Args({k1M, static_cast<std::int64_t>(quant::cpu::Isa::Sse2)})
    ->Args({k1M, static_cast<std::int64_t>(quant::cpu::Isa::Avx2)})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FusedSlots)
    ->Args({k1M, 0})
    ->Args({k1M, 1})
    ->Args({k1M, 2})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FakeQuantize)->Arg(k1M)->Arg(k64M)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ComputeMetrics)->Arg(k1M)->Arg(k64M)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_BuildHistogram2048)->Arg(k1M)->Arg(k64M)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_MemoryRead)->Arg(k1M)->Arg(k64M)->Unit(benchmark::kMicrosecond);

// Prints fused64M / memread64M at exit, from the last (measured) run of each benchmark.
struct RatioLine {
  ~RatioLine() {
    auto& t = secondsPerPass();
    const std::string fused = "fused/" + std::to_string(k64M);
    const std::string read = "memread/" + std::to_string(k64M);
    if (t.count(fused) && t.count(read) && t[read] > 0) {
      std::printf("fused64M / memread64M = %.2f (goal <= 2), kernel ISA: %s\n", t[fused] / t[read],
                  quant::cpu::isaName(quant::fakequant::kernelIsa()));
    }
  }
} ratioLine;

}  // namespace

BENCHMARK_MAIN();
