// SPDX-License-Identifier: GPL-3.0-or-later
// Latency of a model in float32 and as a static int8 model on this CPU, per layer and end to end,
// as `quantlab-cli bench` and the window's benchmark view report it.
//
// Schedule: `warmup` untimed float32 runs, then `repeats` times a plain float32 run (end-to-end
// time) followed by a profiled one (forwardTimed per-layer times); only then the same block for
// int8 (runInt8 plain, then with an Int8Profile). All float32 runs come before all int8 runs:
// interleaving them made float32 measure 2x slower right after the AVX-512 int8 kernel (a CPU
// frequency / vector-state after-effect), which would overstate the int8 speed-up.
// Every reported time is the median over the repeats (the mean of the middle two for an even
// count). Per-layer rows follow the int8 layers; the float32 time of an activation fused into an
// int8 layer joins that layer's row, float32 layers without an int8 counterpart (a final
// Softmax) are listed apart. Sizes: modelBytes (modelsize.h) of fp32 and of the int8 recipe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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

struct BenchLayer {
  std::string name, type, fusedActivation;  // the int8 layer
  std::int64_t macs = 0;                    // per sample
  int k = 0;                                // dot-product length of Linear/Conv2d, else 0
  double fp32 = 0, int8Compute = 0, int8Requantize = 0;
  double int8() const { return int8Compute + int8Requantize; }
};

struct BenchReport {
  std::vector<BenchLayer> layers;
  std::vector<std::pair<std::string, double>> fp32OnlyLayers;  // name, median seconds
  std::vector<double> fp32Runs, int8Runs;  // end-to-end seconds of the plain runs
  double fp32 = 0, int8 = 0;               // their medians
  // Medians of the profiled int8 runs' split (Int8Profile).
  double quantizeInput = 0, compute = 0, requantize = 0, dequantizeOutput = 0;
  ModelBytes fp32Bytes, int8Bytes;
  std::vector<BenchRun> schedule;
  bool cancelled = false;  // progress returned false; the times are then incomplete
};

double median(std::vector<double> values);  // 0 for none

BenchReport bench(const Model& fp32, const Int8Model& int8, const Tensor& input,
                  const BenchConfig& config, const ProgressFn& progress = {});

}  // namespace quant
