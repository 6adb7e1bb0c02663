// SPDX-License-Identifier: GPL-3.0-or-later
// The quantization recipe; see recipe.h.
#include "quant/nn/recipe.h"

#include <nlohmann/json.hpp>

#include "quant/base/tensor.h"

namespace quant {

std::string precisionName(int bits) {
  return bits == kFp32 ? std::string("fp32") : "int" + std::to_string(bits);
}

QuantSpec WeightRecipe::spec() const {
  QuantSpec s;
  s.bits = bits;
  s.isSigned = true;
  s.scheme = symmetric ? Scheme::Symmetric : Scheme::Asymmetric;
  s.narrowRange = narrowRange;
  s.granularity = perChannel ? Granularity::PerChannel : Granularity::PerTensor;
  s.axis = 0;
  return s;
}

QuantSpec ActivationRecipe::spec() const {
  QuantSpec s;
  s.bits = bits;
  s.isSigned = isSigned;
  s.scheme = Scheme::Asymmetric;
  return s;
}

bool ActivationRecipe::operator==(const ActivationRecipe& o) const {
  const CalibrationConfig &a = calibration, &b = o.calibration;
  return bits == o.bits && isSigned == o.isSigned && a.method == b.method &&
         a.percentile == b.percentile && a.percentileOfAbs == b.percentileOfAbs &&
         a.averagingConstant == b.averagingConstant && a.batchSize == b.batchSize &&
         a.histogramBins == b.histogramBins;
}

QuantRecipe QuantRecipe::withBits(int weightBits, int activationBits) const {
  QuantRecipe r = *this;
  if (weightBits != kFp32) r.weights.bits = weightBits;
  if (activationBits != kFp32) r.activations.bits = activationBits;
  return r;
}

std::string QuantRecipe::describe() const {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
  std::string s("W");
  s += std::to_string(weights.bits);
  s += weights.narrowRange ? " narrow" : " full";
  s += weights.symmetric ? " symmetric" : " asymmetric";
  s += weights.perChannel ? " per-channel, A" : " per-tensor, A";
  s += std::to_string(activations.bits);
  s += activations.isSigned ? " signed" : " unsigned";
  s += " asymmetric per-tensor (";
  s += calibrationName(activations.calibration);
  s += ")";
  return s;
}

void QuantRecipe::validate() const {
  if (weights.bits < 2 || weights.bits > 16)
    throw Error("recipe: weight bits must be 2..16, got " + std::to_string(weights.bits));
  if (activations.bits < 2 || activations.bits > 16)
    throw Error("recipe: activation bits must be 2..16, got " + std::to_string(activations.bits));
  weights.spec().validate();
  activations.spec().validate();
}

std::string recipeJson(const QuantRecipe& r) {
  const nlohmann::json j = {{"weights",
                             {{"bits", r.weights.bits},
                              {"narrow_range", r.weights.narrowRange},
                              {"symmetric", r.weights.symmetric},
                              {"per_channel", r.weights.perChannel}}},
                            {"activations",
                             {{"bits", r.activations.bits},
                              {"signed", r.activations.isSigned},
                              {"calibration", calibrationName(r.activations.calibration)}}}};
  return j.dump();
}

QuantRecipe recipeFromJson(const std::string& text) {
  try {
    const nlohmann::json j = nlohmann::json::parse(text);
    const nlohmann::json& w = j.at("weights");
    const nlohmann::json& a = j.at("activations");
    QuantRecipe r;
    r.weights.bits = w.at("bits").get<int>();
    r.weights.narrowRange = w.at("narrow_range").get<bool>();
    r.weights.symmetric = w.at("symmetric").get<bool>();
    r.weights.perChannel = w.at("per_channel").get<bool>();
    r.activations.bits = a.at("bits").get<int>();
    r.activations.isSigned = a.at("signed").get<bool>();
    r.activations.calibration = parseCalibration(a.at("calibration").get<std::string>());
    r.validate();
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("recipe JSON: ") + e.what());
  }
}

}  // namespace quant
