// SPDX-License-Identifier: GPL-3.0-or-later
// Helpers shared by the quantlab-cli subcommands.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "args.h"
#include "quant/base/tensor.h"
#include "quant/nn/int8model.h"
#include "quant/nn/model.h"
#include "quant/nn/modelsize.h"
#include "quant/nn/recipe.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/quantize.h"

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

// ---- model helpers of eval, bench, sensitivity and qat (defined in cmd_eval.cpp) ----------

quant::Model loadModelArg(const std::string& arg, std::string* resolvedPath);
bool isFashionMnistInput(const quant::Model& m);
std::string shapeText(const std::vector<std::int64_t>& shape);
nlohmann::json bytesJson(const quant::ModelBytes& b);
// The "recipe" object of every --json that quantizes (quant::recipeJson).
nlohmann::json recipeObject(const quant::QuantRecipe& recipe);

}  // namespace cli
