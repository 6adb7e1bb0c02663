// SPDX-License-Identifier: GPL-3.0-or-later
// int8 GEMM throughput (GOPS = 2*M*K*N / s, single thread) for every kernel the CPU has, against
// an Eigen fp32 GEMM (Eigen::MatrixXf product, Eigen::setNbThreads(1)) on the same shapes in the
// same run. Shapes are M x K x N (activation rows x reduction x output channels). At exit a table
// of int8 / fp32 speed-ups is printed. "requant" cases include the int8 output stage; "acc" cases
// stop at int32 accumulators. Eigen is compiled with this target's flags: without
// -DQUANTLAB_BENCH_NATIVE=ON it only uses SSE2, so the fp32 baseline is then an SSE2 one.
// oneDNN is not compared (the build has no hook for it).
#include <benchmark/benchmark.h>
#include <time.h>

#include <Eigen/Core>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "quant/int8gemm.h"

namespace {

namespace gemm = quant::gemm;

struct Shape {
  int M, K, N;
};
constexpr Shape kShapes[] = {
    {32, 784, 256}, {256, 784, 256}, {196, 144, 32}, {1, 784, 256}, {64, 784, 256}};

std::string shapeName(const Shape& s) {
  return std::to_string(s.M) + "x" + std::to_string(s.K) + "x" + std::to_string(s.N);
}

// Never destroyed: read after the run. Key: "<kernel> <shape>" -> seconds per GEMM.
std::map<std::string, double>& seconds() {
  static auto* m = new std::map<std::string, double>;
  return *m;
}

struct Int8Problem {
  std::vector<std::int8_t> a;
  gemm::PackedWeights w;
  std::vector<std::int32_t> c;
  std::vector<std::int8_t> out;
};

Int8Problem makeInt8(const Shape& s) {
  std::mt19937 rng(7);
  Int8Problem p;
  p.a.resize(std::size_t(s.M) * s.K);
  for (auto& v : p.a) v = static_cast<std::int8_t>(static_cast<int>(rng() % 256) - 128);
  std::vector<std::int8_t> w(std::size_t(s.K) * s.N);
  for (auto& v : w) v = static_cast<std::int8_t>(static_cast<int>(rng() % 255) - 127);
  std::vector<std::int32_t> bias(std::size_t(s.N));
  for (auto& b : bias) b = static_cast<std::int32_t>(rng() % 20001) - 10000;
  std::vector<quant::QuantizedMultiplier> qm;
  for (int n = 0; n < s.N; ++n) qm.push_back(quant::QuantizeMultiplier(0.0005 + 0.00001 * n));
  p.w = gemm::packWeights(w, s.K, s.N, bias, qm);
  p.c.resize(std::size_t(s.M) * s.N);
  p.out.resize(std::size_t(s.M) * s.N);
  return p;
}

// This thread's CPU time: the machine is shared, and wall time would charge other processes' work
// to whichever case runs while they do (Google Benchmark's rates use CPU time too).
double threadSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

void setOps(benchmark::State& state, const Shape& s, const std::string& key, double elapsed) {
  const double ops = 2.0 * s.M * s.K * s.N;
  state.counters["GOPS"] =
      benchmark::Counter(ops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
  if (state.iterations() > 0) {
    seconds()[key] = elapsed / double(state.iterations());
  }
}

void benchInt8(benchmark::State& state, gemm::Isa isa, Shape s, bool requant) {
  if (!gemm::isaSupported(isa)) {
    state.SkipWithError("CPU lacks this ISA");
    return;
  }
  Int8Problem p = makeInt8(s);
  const gemm::OutputParams op{-5, -5, 127};  // fused ReLU
  const double t0 = threadSeconds();
  for (auto _ : state) {
    if (requant) {
      gemm::gemmRequant(isa, std::span<const std::int8_t>(p.a), s.M, 3, p.w, op, p.out);
      benchmark::DoNotOptimize(p.out.data());
    } else {
      gemm::gemmAcc(isa, std::span<const std::int8_t>(p.a), s.M, 3, p.w, p.c);
      benchmark::DoNotOptimize(p.c.data());
    }
    benchmark::ClobberMemory();
  }
  setOps(state, s,
         std::string(gemm::isaName(isa)) + (requant ? " requant " : " acc ") + shapeName(s),
         threadSeconds() - t0);
}

void benchEigen(benchmark::State& state, Shape s) {
  Eigen::setNbThreads(1);
  const Eigen::MatrixXf a = Eigen::MatrixXf::Random(s.M, s.K);
  const Eigen::MatrixXf b = Eigen::MatrixXf::Random(s.K, s.N);
  Eigen::MatrixXf c(s.M, s.N);
  const double t0 = threadSeconds();
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  setOps(state, s, "eigen-fp32 " + shapeName(s), threadSeconds() - t0);
}

void registerAll() {
  for (const Shape& s : kShapes) {
    benchmark::RegisterBenchmark(("eigen_fp32/" + shapeName(s)).c_str(), benchEigen, s);
    for (gemm::Isa isa : {gemm::Isa::Reference, gemm::Isa::Avx2, gemm::Isa::Avx512Vnni}) {
      if (!gemm::isaSupported(isa)) continue;
      // The triple loop is slow: only the small shapes.
      if (isa == gemm::Isa::Reference && s.M > 32) continue;
      for (bool requant : {true, false}) {
        benchmark::RegisterBenchmark((std::string("int8_") + gemm::isaName(isa) +
                                      (requant ? "_requant/" : "_acc/") + shapeName(s))
                                         .c_str(),
                                     benchInt8, isa, s, requant);
      }
    }
  }
}

void printRatios() {
  std::printf("\nint8 requantized GEMM speed-up over Eigen fp32 (single thread, CPU time):\n");
  std::printf("%-14s %12s", "shape", "fp32 GOPS");
  for (gemm::Isa isa : {gemm::Isa::Reference, gemm::Isa::Avx2, gemm::Isa::Avx512Vnni}) {
    if (gemm::isaSupported(isa)) std::printf(" %18s", gemm::isaName(isa));
  }
  std::printf("\n");
  for (const Shape& s : kShapes) {
    const auto f = seconds().find("eigen-fp32 " + shapeName(s));
    if (f == seconds().end()) continue;
    const double ops = 2.0 * s.M * s.K * s.N;
    std::printf("%-14s %12.1f", shapeName(s).c_str(), ops / f->second * 1e-9);
    for (gemm::Isa isa : {gemm::Isa::Reference, gemm::Isa::Avx2, gemm::Isa::Avx512Vnni}) {
      if (!gemm::isaSupported(isa)) continue;
      const auto i = seconds().find(std::string(gemm::isaName(isa)) + " requant " + shapeName(s));
      if (i == seconds().end()) {
        std::printf(" %18s", "-");
      } else {
        char cell[64];
        std::snprintf(cell, sizeof cell, "%.1f GOPS x%.2f", ops / i->second * 1e-9,
                      f->second / i->second);
        std::printf(" %18s", cell);
      }
    }
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  registerAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  printRatios();
  return 0;
}
