// SPDX-License-Identifier: GPL-3.0-or-later
// int8 GEMM throughput (GOPS = 2*M*K*N / s of CPU time, single thread), in ONE run on the same
// shapes: our kernels per ISA (reference for small shapes only, avx2, avx512vnni where the CPU has
// it) with prepacked weights, Eigen fp32 (Eigen::setNbThreads(1)), and, when the build found
// oneDNN (QUANTLAB_HAVE_DNNL), oneDNN int8 matmul (u8 source x s8 weights -> s32, weights
// reordered once to the layout oneDNN prefers via format_tag::any, primitive created once outside
// the timing loop) and oneDNN fp32 matmul. Shapes are M x K x N (activation rows x reduction x
// output channels). At the end a summary table gives the medians over repetitions and the ratios
// ours / oneDNN int8 and int8 / fp32.
//
// Cases: "int8_<isa>_acc" = u8 activations (za = 128) -> int32 accumulators + bias, the same
// output oneDNN's int8 matmul produces (oneDNN without bias, which only helps it);
// "int8_<isa>_requant" = s8 activations -> requantized int8 (the whole integer-only layer).
//
// oneDNN runs single-threaded (omp_set_num_threads(1) on its OpenMP runtime before the first
// oneDNN call). To compare with our AVX2 kernel, run oneDNN restricted to AVX2 in a SEPARATE
// process (oneDNN fixes its ISA at the first call):
//   bench_int8gemm --onednn_isa=AVX2            (sets ONEDNN_MAX_CPU_ISA=AVX2 before any call)
// or equivalently ONEDNN_MAX_CPU_ISA=AVX2 bench_int8gemm. The summary prints oneDNN's effective ISA
// and each oneDNN case's label is the implementation it picked (e.g. brg:avx512_core_vnni).
//
// Eigen is compiled with this target's flags: without -DQUANTLAB_BENCH_NATIVE=ON it only uses
// SSE2, so the Eigen fp32 baseline is then an SSE2 one (oneDNN fp32 dispatches at run time).
//
// Typical use (the machine is shared: take medians and compare ratios within one run):
//   bench_int8gemm --benchmark_repetitions=5
//   bench_int8gemm --benchmark_repetitions=5 --onednn_isa=AVX2
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "benchsupport.h"
#include "quant/kernels/int8gemm.h"

namespace {

namespace gemm = quant::gemm;

struct Shape {
  int M, K, N;
};
// The MLP's layers (784-256-128) at batch 1..256, the CNN's second conv (196 = 14x14 positions,
// 144 = 3x3x16 taps) and its first conv via im2col (784 positions, 9 taps, 32 channels).
constexpr Shape kShapes[] = {{1, 784, 256},  {32, 784, 256}, {64, 784, 256}, {256, 784, 256},
                             {196, 144, 32}, {784, 9, 32},   {1, 256, 128},  {64, 256, 128}};

std::string shapeName(const Shape& s) {
  return std::to_string(s.M) + "x" + std::to_string(s.K) + "x" + std::to_string(s.N);
}
double opsOf(const Shape& s) { return 2.0 * s.M * s.K * s.N; }

void setOps(benchmark::State& state, const Shape& s) {
  state.counters["GOPS"] =
      benchmark::Counter(opsOf(s) * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

struct Int8Problem {
  std::vector<std::int8_t> a8;
  std::vector<std::uint8_t> au;
  gemm::PackedWeights w;
  std::vector<std::int32_t> c;
  std::vector<std::int8_t> out;
};

Int8Problem makeInt8(const Shape& s) {
  std::mt19937 rng(7);
  Int8Problem p;
  p.a8.resize(std::size_t(s.M) * s.K);
  p.au.resize(p.a8.size());
  for (std::size_t i = 0; i < p.a8.size(); ++i) {
    const auto r = static_cast<int>(rng() % 256);
    p.a8[i] = static_cast<std::int8_t>(r - 128);
    p.au[i] = static_cast<std::uint8_t>(r);
  }
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

void benchInt8(benchmark::State& state, gemm::Isa isa, Shape s, bool requant) {
  if (!gemm::isaSupported(isa)) {
    state.SkipWithError("CPU lacks this ISA");
    return;
  }
  Int8Problem p = makeInt8(s);
  const gemm::OutputParams op{-5, -5, 127};  // fused ReLU
  for (auto _ : state) {
    if (requant) {
      gemm::gemmRequant(isa, std::span<const std::int8_t>(p.a8), s.M, 3, p.w, op, p.out);
      benchmark::DoNotOptimize(p.out.data());
    } else {
      gemm::gemmAcc(isa, std::span<const std::uint8_t>(p.au), s.M, 128, p.w, p.c);
      benchmark::DoNotOptimize(p.c.data());
    }
    benchmark::ClobberMemory();
  }
  setOps(state, s);
}

void benchEigen(benchmark::State& state, Shape s) {
  Eigen::setNbThreads(1);
  const Eigen::MatrixXf a = Eigen::MatrixXf::Random(s.M, s.K);
  const Eigen::MatrixXf b = Eigen::MatrixXf::Random(s.K, s.N);
  Eigen::MatrixXf c(s.M, s.N);
  for (auto _ : state) {
    c.noalias() = a * b;
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  setOps(state, s);
}

#if QUANTLAB_HAVE_DNNL
using benchsupport::dnnlEngine;
using benchsupport::dnnlIsaName;

void benchDnnl(benchmark::State& state, Shape s, bool int8) {
  using dt = dnnl::memory::data_type;
  using tag = dnnl::memory::format_tag;
  dnnl::engine& eng = dnnlEngine();
  dnnl::stream strm(eng);
  const dnnl::memory::dims sd{s.M, s.K}, wd{s.K, s.N}, dd{s.M, s.N};
  const dt sdt = int8 ? dt::u8 : dt::f32, wdt = int8 ? dt::s8 : dt::f32,
           ddt = int8 ? dt::s32 : dt::f32;
  const dnnl::memory::desc srcMd(sd, sdt, tag::ab), weiAny(wd, wdt, tag::any),
      dstMd(dd, ddt, tag::ab);
  const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(srcMd, weiAny, dstMd), eng);
  dnnl::memory src(pd.src_desc(), eng), dst(pd.dst_desc(), eng), wei(pd.weights_desc(), eng);
  dnnl::memory userWei({wd, wdt, tag::ab}, eng);
  std::mt19937 rng(7);
  if (int8) {
    auto* a = static_cast<std::uint8_t*>(src.get_data_handle());
    for (std::size_t i = 0; i < std::size_t(s.M) * s.K; ++i) a[i] = std::uint8_t(rng() % 256);
    auto* w = static_cast<std::int8_t*>(userWei.get_data_handle());
    for (std::size_t i = 0; i < std::size_t(s.K) * s.N; ++i) {
      w[i] = static_cast<std::int8_t>(static_cast<int>(rng() % 255) - 127);
    }
  } else {
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    auto* a = static_cast<float*>(src.get_data_handle());
    for (std::size_t i = 0; i < std::size_t(s.M) * s.K; ++i) a[i] = u(rng);
    auto* w = static_cast<float*>(userWei.get_data_handle());
    for (std::size_t i = 0; i < std::size_t(s.K) * s.N; ++i) w[i] = u(rng);
  }
  dnnl::reorder(userWei, wei).execute(strm, userWei, wei);
  strm.wait();
  dnnl::matmul prim(pd);
  const std::unordered_map<int, dnnl::memory> args{
      {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_DST, dst}};
  for (auto _ : state) {
    prim.execute(strm, args);
    strm.wait();
    benchmark::ClobberMemory();
  }
  setOps(state, s);
  state.SetLabel(pd.impl_info_str());
}
#endif

bool referenceShape(const Shape& s) {
  // The triple loop is slow: only shapes up to ~4M multiply-adds.
  return double(s.M) * s.K * s.N <= double(1 << 22);
}

void registerAll() {
  for (const Shape& s : kShapes) {
    const std::string sn = shapeName(s);
    benchmark::RegisterBenchmark(("eigen_fp32/" + sn).c_str(), benchEigen, s);
#if QUANTLAB_HAVE_DNNL
    benchmark::RegisterBenchmark(("onednn_fp32/" + sn).c_str(), benchDnnl, s, false);
    benchmark::RegisterBenchmark(("onednn_int8/" + sn).c_str(), benchDnnl, s, true);
#endif
    for (gemm::Isa isa : gemm::kernelIsas()) {
      if (isa == gemm::Isa::Reference && !referenceShape(s)) continue;
      for (bool requant : {false, true}) {
        benchmark::RegisterBenchmark(
            (std::string("int8_") + gemm::isaName(isa) + (requant ? "_requant/" : "_acc/") + sn)
                .c_str(),
            benchInt8, isa, s, requant);
      }
    }
  }
}

// Median GOPS over repetitions, or 0 when the case did not run.
double gops(const benchsupport::CollectingReporter& rep, const std::string& name, const Shape& s) {
  const double sec = rep.medianSeconds(name);
  return sec > 0 ? opsOf(s) / sec * 1e-9 : 0.0;
}

void printCell(double v, const char* fmt) {
  if (v > 0) {
    std::printf(fmt, v);
  } else {
    std::printf("%8s", "-");
  }
}

void printSummary(const benchsupport::CollectingReporter& rep) {
  std::printf("\nMedian GOPS over repetitions (single thread, CPU time)");
#if QUANTLAB_HAVE_DNNL
  std::printf("; oneDNN %d.%d.%d, effective ISA %s", dnnl::version()->major, dnnl::version()->minor,
              dnnl::version()->patch, dnnlIsaName());
#else
  std::printf("; oneDNN not built in");
#endif
  std::printf(".\nours = int8 acc (u8 x s8 -> s32 + bias); 'goal' marks M>=32, K>=144.\n");
  std::printf("%-12s %8s %8s %8s %8s %8s %8s %8s %8s | %8s %8s %8s %8s\n", "shape", "eigen32",
              "dnnl32", "dnnl8", "ref", "avx2", "vnni", "avx2rq", "vnnirq", "avx2/d8", "vnni/d8",
              "best/e32", "d8/d32");
  for (const Shape& s : kShapes) {
    const std::string sn = shapeName(s);
    const double e32 = gops(rep, "eigen_fp32/" + sn, s);
    const double d32 = gops(rep, "onednn_fp32/" + sn, s);
    const double d8 = gops(rep, "onednn_int8/" + sn, s);
    const double ref = gops(rep, "int8_reference_acc/" + sn, s);
    const double av = gops(rep, "int8_avx2_acc/" + sn, s);
    const double vn = gops(rep, "int8_avx512vnni_acc/" + sn, s);
    const double avq = gops(rep, "int8_avx2_requant/" + sn, s);
    const double vnq = gops(rep, "int8_avx512vnni_requant/" + sn, s);
    const double best = std::max({ref, av, vn});
    const bool goal = s.M >= 32 && s.K >= 144;
    std::printf("%-12s", (sn + (goal ? " *" : "")).c_str());
    for (double v : {e32, d32, d8, ref, av, vn, avq, vnq}) printCell(v, " %8.1f");
    std::printf(" |");
    printCell(av > 0 && d8 > 0 ? av / d8 : 0, " %8.2f");
    printCell(vn > 0 && d8 > 0 ? vn / d8 : 0, " %8.2f");
    printCell(best > 0 && e32 > 0 ? best / e32 : 0, " %8.2f");
    printCell(d8 > 0 && d32 > 0 ? d8 / d32 : 0, " %8.2f");
    std::printf("\n");
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) { return benchsupport::run(argc, argv, registerAll, printSummary); }
