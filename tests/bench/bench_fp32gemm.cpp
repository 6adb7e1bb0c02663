// SPDX-License-Identifier: GPL-3.0-or-later
// float32 GEMM and MLP throughput, single thread, in ONE run: our fp32 GEMM kernels (fp32gemm.h)
// per ISA with packed weights, bias and fused ReLU, against oneDNN's fp32 matmul with the same
// bias + ReLU post-op (weights reordered once to the layout it prefers, primitive created outside
// the timing loop) when the build found oneDNN (QUANTLAB_HAVE_DNNL). GFLOPS = 2*M*K*N / s of CPU
// time; shapes are M x K x N (activation rows x reduction x output channels).
//
// End to end, the MLP 784-256-128-10 (makeMlp) at batch 64: our fp32 forward() and int8 runInt8()
// (input quantization, fused int8 GEMMs, dequantized logits) against oneDNN running the same
// graph: three fp32 matmuls with bias + ReLU, and in int8 an f32 -> u8 input reorder, three u8 x s8
// matmuls with per-channel output scales and ReLU (u8 activations, f32 logits). The oneDNN int8
// weights are the fp32 ones quantized per channel; the times do not depend on the values.
//
//   bench_fp32gemm --benchmark_repetitions=5
//   bench_fp32gemm --benchmark_repetitions=5 --onednn_isa=AVX2   (oneDNN capped, see
//   bench_int8gemm)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "benchsupport.h"
#include "quant/kernels/fp32gemm.h"
#include "quant/nn/int8model.h"
#include "quant/nn/model.h"
#include "quant/nn/train.h"

namespace {

namespace f32 = quant::fp32gemm;
using quant::cpu::Isa;

struct Shape {
  int M, K, N;
};
// The goal shapes (MLP fc1 at batch 32/64/256, the CNN's second conv as M = 196 positions x
// K = 144 taps x N = 32 channels, MLP fc2 at batch 64) and two small ones for reference.
constexpr Shape kShapes[] = {{32, 784, 256}, {64, 784, 256}, {256, 784, 256}, {196, 144, 32},
                             {64, 256, 128}, {1, 784, 256},  {784, 9, 32}};
constexpr int kBatch = 64;

std::string shapeName(const Shape& s) {
  return std::to_string(s.M) + "x" + std::to_string(s.K) + "x" + std::to_string(s.N);
}
double flopsOf(const Shape& s) { return 2.0 * s.M * s.K * s.N; }

void setFlops(benchmark::State& state, double flops) {
  state.counters["GFLOPS"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

std::vector<float> randomFloats(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(-1.f, 1.f);
  std::vector<float> v(n);
  for (float& x : v) x = u(rng);
  return v;
}

void benchOurs(benchmark::State& state, Isa isa, Shape s) {
  if (!quant::cpu::isaSupported(isa)) {
    state.SkipWithError("CPU lacks this ISA");
    return;
  }
  const std::vector<float> a = randomFloats(std::size_t(s.M) * s.K, 1);
  const f32::PackedWeights w = f32::packWeights(randomFloats(std::size_t(s.K) * s.N, 2), s.K, s.N,
                                                f32::Layout::KxN, randomFloats(s.N, 3));
  std::vector<float> c(std::size_t(s.M) * s.N);
  for (auto _ : state) {
    f32::gemmPacked(isa, a.data(), s.M, s.K, w, true, c.data(), s.N);
    benchmark::DoNotOptimize(c.data());
    benchmark::ClobberMemory();
  }
  setFlops(state, flopsOf(s));
}

// The MLP and a batch of inputs in [0, 1).
const quant::Model& mlp() {
  static const quant::Model m = quant::makeMlp(1);
  return m;
}

quant::Tensor mlpInput() {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(0.f, 1.f);
  quant::Tensor t;
  t.shape = {kBatch, 1, 28, 28};
  t.data.resize(std::size_t(kBatch) * 784);
  for (float& x : t.data) x = u(rng);
  return t;
}

double mlpFlops() { return 2.0 * kBatch * double(mlp().macsPerSample()); }

void benchMlpFp32(benchmark::State& state) {
  const quant::Tensor x = mlpInput();
  for (auto _ : state) benchmark::DoNotOptimize(quant::forward(mlp(), x).data.data());
  setFlops(state, mlpFlops());
  state.SetLabel(quant::cpu::isaName(f32::kernelIsa()));
}

void benchMlpInt8(benchmark::State& state) {
  const quant::Tensor x = mlpInput();
  const quant::Int8Model q = quant::quantizeModel(mlp(), x, quant::CalibrationConfig{});
  for (auto _ : state) benchmark::DoNotOptimize(quant::runInt8(q, x).data.data());
  setFlops(state, mlpFlops());
}

#if QUANTLAB_HAVE_DNNL
using benchsupport::dnnlEngine;
using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

// One matmul with bias and optional ReLU, weights reordered once from a plain K x N buffer (or
// the [N, K] rows of a Linear layer with nByK). int8: u8 source, s8 weights, per-column output
// scales, dst u8 (or f32 for the logits); plain row-major source and destination.
struct DnnlLayer {
  dnnl::matmul prim;
  dnnl::memory src, wei, bias, dst;
  std::string impl;  // the implementation oneDNN picked

  DnnlLayer(int M, int K, int N, const float* w, bool nByK, const float* b, bool relu, bool int8,
            dt dstType) {
    dnnl::engine& eng = dnnlEngine();
    dnnl::stream strm(eng);
    const dt sdt = int8 ? dt::u8 : dt::f32, wdt = int8 ? dt::s8 : dt::f32;
    const dnnl::memory::desc srcMd({M, K}, sdt, tag::ab), weiAny({K, N}, wdt, tag::any),
        biasMd({1, N}, dt::f32, tag::ab), dstMd({M, N}, dstType, tag::ab);
    dnnl::primitive_attr attr;
    if (relu) {
      dnnl::post_ops po;
      po.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
      attr.set_post_ops(po);
    }
    std::vector<float> wq(std::size_t(K) * N);
    std::vector<float> scales(std::size_t(N), 1.0f);
    for (int n = 0; n < N; ++n) {
      float amax = 0;
      for (int k = 0; k < K; ++k) {
        const float v = nByK ? w[std::size_t(n) * K + k] : w[std::size_t(k) * N + n];
        wq[std::size_t(k) * N + n] = v;
        amax = std::max(amax, std::fabs(v));
      }
      if (int8 && amax > 0) {
        scales[std::size_t(n)] = amax / 127.f / 32.f;
        for (int k = 0; k < K; ++k)
          wq[std::size_t(k) * N + n] = std::round(wq[std::size_t(k) * N + n] * 127.f / amax);
      }
    }
    if (int8) attr.set_output_scales(1 << 1, scales);
    const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(srcMd, weiAny, biasMd, dstMd), attr,
                                          eng);
    impl = pd.impl_info_str();
    src = dnnl::memory(pd.src_desc(), eng);
    dst = dnnl::memory(pd.dst_desc(), eng);
    wei = dnnl::memory(pd.weights_desc(), eng);
    bias = dnnl::memory(biasMd, eng);
    std::memcpy(bias.get_data_handle(), b, sizeof(float) * std::size_t(N));
    dnnl::memory userWei({{K, N}, wdt, tag::ab}, eng);
    if (int8) {
      auto* q = static_cast<std::int8_t*>(userWei.get_data_handle());
      for (std::size_t i = 0; i < wq.size(); ++i) q[i] = static_cast<std::int8_t>(wq[i]);
    } else {
      std::memcpy(userWei.get_data_handle(), wq.data(), sizeof(float) * wq.size());
    }
    dnnl::reorder(userWei, wei).execute(strm, userWei, wei);
    strm.wait();
    prim = dnnl::matmul(pd);
  }
  void run(dnnl::stream& strm) {
    prim.execute(
        strm,
        {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wei}, {DNNL_ARG_BIAS, bias}, {DNNL_ARG_DST, dst}});
  }
};

void benchDnnl(benchmark::State& state, Shape s) {
  const std::vector<float> w = randomFloats(std::size_t(s.K) * s.N, 2), b = randomFloats(s.N, 3);
  DnnlLayer layer(s.M, s.K, s.N, w.data(), false, b.data(), true, false, dt::f32);
  const std::vector<float> a = randomFloats(std::size_t(s.M) * s.K, 1);
  std::memcpy(layer.src.get_data_handle(), a.data(), sizeof(float) * a.size());
  dnnl::stream strm(dnnlEngine());
  for (auto _ : state) {
    layer.run(strm);
    strm.wait();
    benchmark::ClobberMemory();
  }
  setFlops(state, flopsOf(s));
  state.SetLabel(layer.impl);
}

// The MLP's three Linear layers as oneDNN matmuls, each reading the previous one's dst.
void benchDnnlMlp(benchmark::State& state, bool int8) {
  std::vector<const quant::Layer*> fc;
  for (const quant::Layer& l : mlp().layers) {
    if (l.type == quant::LayerType::Linear) fc.push_back(&l);
  }
  dnnl::engine& eng = dnnlEngine();
  dnnl::stream strm(eng);
  std::vector<DnnlLayer> layers;
  for (std::size_t i = 0; i < fc.size(); ++i) {
    const quant::Layer& l = *fc[i];
    const bool last = i + 1 == fc.size();
    layers.emplace_back(kBatch, int(l.weight.cols()), int(l.weight.rows()), l.weight.data(), true,
                        l.bias.data(), !last, int8, int8 && !last ? dt::u8 : dt::f32);
  }
  // Each matmul reads the previous one's dst (same plain layout and data type).
  for (std::size_t i = 1; i < layers.size(); ++i) layers[i].src = layers[i - 1].dst;
  const quant::Tensor x = mlpInput();
  dnnl::memory input({{kBatch, 784}, dt::f32, tag::ab}, eng);
  std::memcpy(input.get_data_handle(), x.data.data(), sizeof(float) * x.data.size());
  std::optional<dnnl::reorder> quantize;
  if (int8) {
    dnnl::primitive_attr attr;
    attr.set_output_scales(0, {255.f});
    quantize.emplace(dnnl::reorder::primitive_desc(input, layers[0].src, attr));
  } else {
    layers[0].src = input;
  }
  for (auto _ : state) {
    if (quantize) quantize->execute(strm, input, layers[0].src);
    for (DnnlLayer& l : layers) l.run(strm);
    strm.wait();
    benchmark::ClobberMemory();
  }
  setFlops(state, mlpFlops());
}
#endif

bool referenceShape(const Shape& s) { return double(s.M) * s.K * s.N <= double(1 << 22); }

void registerAll() {
  for (const Shape& s : kShapes) {
    const std::string sn = shapeName(s);
#if QUANTLAB_HAVE_DNNL
    benchmark::RegisterBenchmark(("onednn_fp32/" + sn).c_str(), benchDnnl, s);
#endif
    for (Isa isa : f32::kernelIsas()) {
      if (isa == Isa::Reference && !referenceShape(s)) continue;
      benchmark::RegisterBenchmark(
          (std::string("fp32_") + quant::cpu::isaName(isa) + "/" + sn).c_str(), benchOurs, isa, s);
    }
  }
  benchmark::RegisterBenchmark("mlp_ours_fp32", benchMlpFp32);
  benchmark::RegisterBenchmark("mlp_ours_int8", benchMlpInt8);
#if QUANTLAB_HAVE_DNNL
  benchmark::RegisterBenchmark("mlp_onednn_fp32", benchDnnlMlp, false);
  benchmark::RegisterBenchmark("mlp_onednn_int8", benchDnnlMlp, true);
#endif
}

void printCell(double v, const char* fmt) {
  if (v > 0) {
    std::printf(fmt, v);
  } else {
    std::printf("%9s", "-");
  }
}

void printSummary(const benchsupport::CollectingReporter& rep) {
  std::printf("\nMedian over repetitions (single thread, CPU time)");
#if QUANTLAB_HAVE_DNNL
  std::printf("; oneDNN %d.%d.%d, effective ISA %s", dnnl::version()->major, dnnl::version()->minor,
              dnnl::version()->patch, benchsupport::dnnlIsaName());
#else
  std::printf("; oneDNN not built in");
#endif
  std::printf(".\nfp32 GEMM + bias + ReLU, GFLOPS; 'goal' (*) marks M>=32, K>=144.\n");
  std::printf("%-13s %9s %9s %9s %9s | %9s\n", "shape", "ref", "avx2", "avx512", "dnnl32",
              "best/dnnl");
  const auto gflops = [&](const std::string& name, double flops) {
    const double sec = rep.medianSeconds(name);
    return sec > 0 ? flops / sec * 1e-9 : 0.0;
  };
  for (const Shape& s : kShapes) {
    const std::string sn = shapeName(s);
    const double ref = gflops("fp32_reference/" + sn, flopsOf(s));
    const double av = gflops("fp32_avx2/" + sn, flopsOf(s));
    const double v5 = gflops("fp32_avx512vnni/" + sn, flopsOf(s));
    const double d = gflops("onednn_fp32/" + sn, flopsOf(s));
    const double best = std::max({ref, av, v5});
    std::printf("%-13s", (sn + (s.M >= 32 && s.K >= 144 ? " *" : "")).c_str());
    for (double v : {ref, av, v5, d}) printCell(v, " %9.1f");
    std::printf(" |");
    printCell(best > 0 && d > 0 ? best / d : 0, " %9.2f");
    std::printf("\n");
  }
  std::printf("\nMLP 784-256-128-10, batch %d, microseconds per batch (fp32 kernel: %s)\n", kBatch,
              quant::cpu::isaName(f32::kernelIsa()));
  std::printf("%-6s %9s %9s | %11s\n", "", "ours", "oneDNN", "ours/oneDNN");
  for (const char* kind : {"fp32", "int8"}) {
    const double ours = rep.medianSeconds(std::string("mlp_ours_") + kind) * 1e6;
    const double dn = rep.medianSeconds(std::string("mlp_onednn_") + kind) * 1e6;
    std::printf("%-6s", kind);
    printCell(ours, " %9.1f");
    printCell(dn, " %9.1f");
    std::printf(" |");
    printCell(ours > 0 && dn > 0 ? ours / dn : 0, " %11.2f");
    std::printf("\n");
  }
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) { return benchsupport::run(argc, argv, registerAll, printSummary); }
