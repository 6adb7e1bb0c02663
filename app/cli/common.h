// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the quantlab-cli subcommands.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "args.h"
#include "quant/numeric/calibrate.h"
#include "quant/nn/int8model.h"
#include "quant/numeric/metrics.h"
#include "quant/nn/model.h"
#include "quant/numeric/quantize.h"
#include "quant/base/tensor.h"

namespace cli {

// Inputs up to this many values print (and put in JSON) every code and reconstruction.
inline constexpr std::size_t kSmallTensor = 64;

struct TensorStats {
  std::int64_t count = 0, nonFinite = 0, zeros = 0;
  double min = 0, max = 0, mean = 0, stddev = 0, absMax = 0;
};
TensorStats tensorStats(std::span<const float> x);
nlohmann::json statsJson(const TensorStats& s);
void printStats(const TensorStats& s);
nlohmann::json tensorJson(const quant::Tensor& t);

quant::QuantSpec specFromArgs(const Args& a);
std::optional<quant::Range> rangeFromArgs(const Args& a);
quant::Tensor tensorFromArgs(const Args& a);
nlohmann::json metricsJson(const quant::ErrorMetrics& m);
void printMetrics(const quant::ErrorMetrics& m);
std::vector<float> xhatFor(const quant::Tensor& t, const quant::QuantParams& p);

// Non-uniform schemes (NF4, log2, k-means, block absmax, Q8_0, Q4_0) share `quantize`'s options.
bool isNonUniformScheme(const std::string& scheme);
int runNonUniform(const Args& a, const std::string& scheme);

// ---- model helpers of eval and bench (defined in cmd_eval.cpp) ----------------------------

// Bytes of a model as eval's help text counts them.
struct ModelBytes {
  std::int64_t weights = 0, bias = 0, weightScales = 0, activationParams = 0, other = 0;
  std::int64_t total() const { return weights + bias + weightScales + activationParams + other; }
};
quant::Model loadModelArg(const std::string& arg, std::string* resolvedPath);
bool isFashionMnistInput(const quant::Model& m);
std::int64_t perSample(const std::vector<std::int64_t>& shape);
quant::Tensor batchFor(const quant::Model& m, const quant::Tensor& images, std::int64_t first,
                       std::int64_t count);
ModelBytes fp32Bytes(const quant::Model& m);
ModelBytes int8ModelBytes(const quant::Int8Model& m);
nlohmann::json bytesJson(const ModelBytes& b);

}  // namespace cli
