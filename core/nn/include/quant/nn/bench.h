// SPDX-License-Identifier: GPL-3.0-or-later
// Latency of a model in float32 and as a static int8 model on this CPU, per layer and end to end,
// as `quantlab-cli bench` and the window's benchmark view report it.
//
// Schedule: `warmup` untimed float32 runs, then `repeats` times a plain float32 run (end-to-end
// time) followed by a profiled one (forwardTimed per-layer times); only then the same block for
// int8 (runInt8 plain, then with an Int8Profile). Both profiles time the very code the plain runs
// execute (a clock read around each layer). The per-layer times reported are those of the
// profiled run whose whole time is the median (the lower middle one for an even count): parts of
// one real run, so they add up to that run, and a run interrupted by another process does not
// mix into them. fp32LayerSum and int8StageSum say how close that comes to the end-to-end
// median, in every report. The int8 GEMM and its requantization are one fused pass and are not
// timed apart. All float32 runs come before all int8 runs: interleaving them made float32 measure
// 2x slower right after the AVX-512 int8 kernel (a CPU frequency / vector-state after-effect),
// which would overstate the int8 speed-up. End-to-end times are the median over the repeats (the
// mean of the middle two for an even count). Per-layer rows follow the int8 layers; the float32
// time of an activation fused into an int8 layer joins that layer's row, float32 layers without an
// int8 counterpart (a final Softmax) are listed apart. Sizes: modelBytes (modelsize.h) of fp32 and
// of the int8 recipe.
//
// Roofline (Linear/Conv2d rows): the CPU's peaks for the active dispatcher level
// (quant/kernels/roofline.h, measured once per process after the timed runs) against each
// layer's work. Operations = 2 x MACs x batch. Bytes = the compulsory memory traffic of the
// whole batch: every input and output element once and every parameter once, 4 bytes each in
// fp32 (the row's fused activation adds its own input and output), 1 byte per int8 code, 4 per
// int32 bias and 8 per requantization multiplier (multiplier and shift) in int8. That traffic
// decides which memory level serves the layer (the smallest that holds it) and its arithmetic
// intensity = operations / bytes; attainable = min(peak of the number format, intensity x that
// level's bandwidth). A low percentage of a compute-bound roof means the kernel, not the
// machine, is the limit (a short dot product K, a small GEMM, im2col).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "quant/kernels/roofline.h"
#include "quant/nn/int8model.h"
#include "quant/nn/model.h"
#include "quant/nn/modelsize.h"
#include "quant/nn/sensitivity.h"

namespace quant {

struct BenchConfig {
  int warmup = 3;
  int repeats = 20;
  int threads = 1;
};

// One run of the schedule, in the order it happened (BenchReport::schedule).
enum class BenchRun { Fp32Warmup, Fp32, Fp32Profiled, Int8Warmup, Int8, Int8Profiled };

// One layer's place under the roofline of its number format (see the header comment).
struct LayerRoofline {
  double gops = 0.0;            // achieved: operations / the layer's time
  std::int64_t bytes = 0;       // compulsory memory traffic of the batch
  double opsPerByte = 0.0;      // arithmetic intensity
  std::string memory;           // the memory level that holds `bytes` ("L2", "L3", "DRAM")
  double attainableGops = 0.0;  // min(peak, opsPerByte x that level's bandwidth)
  bool computeBound = true;     // the peak, not the bandwidth, is the lower roof
  double percent = 0.0;         // 100 x gops / attainableGops
};

struct BenchLayer {
  std::string name, type, fusedActivation;  // the int8 layer
  std::int64_t macs = 0;                    // per sample
  int k = 0;                                // dot-product length of Linear/Conv2d, else 0
  double fp32 = 0, int8 = 0;                // seconds of the batch (see the header comment)
  LayerRoofline fp32Roof, int8Roof;         // Linear/Conv2d (macs > 0) only
};

struct BenchReport {
  std::int64_t batch = 0;
  std::vector<BenchLayer> layers;
  std::vector<std::pair<std::string, double>> fp32OnlyLayers;  // name, seconds
  std::vector<double> fp32Runs, int8Runs;  // end-to-end seconds of the plain runs
  double fp32 = 0, int8 = 0;               // their medians
  // The stages outside the layers of the median profiled int8 run (Int8Profile).
  double quantizeInput = 0, dequantizeOutput = 0;
  // What the per-layer rows add up to, to set against fp32 and int8: the sum of the fp32 layer
  // times (fp32-only layers included), and quantizeInput + the int8 layer times +
  // dequantizeOutput. The rest is each forward pass's set-up (tensor bookkeeping, the input copy
  // in fp32) and the difference between the median run and the median end-to-end time.
  double fp32LayerSum = 0, int8StageSum = 0;
  // Medians of the profiled runs' whole time: against fp32 / int8, what the clock reads cost.
  double fp32Profiled = 0, int8Profiled = 0;
  roofline::Peaks peaks;  // of the level the int8 kernel ran at; empty when cancelled
  ModelBytes fp32Bytes, int8Bytes;
  std::vector<BenchRun> schedule;
  bool cancelled = false;  // progress returned false; the times are then incomplete
};

// 2 x MACs per sample x batch / seconds, in 1e9 operations per second (0 for no time).
double gops(std::int64_t macsPerSample, std::int64_t batch, double seconds);

double median(std::vector<double> values);  // 0 for none

BenchReport bench(const Model& fp32, const Int8Model& int8, const Tensor& input,
                  const BenchConfig& config, const ProgressFn& progress = {});

}  // namespace quant
