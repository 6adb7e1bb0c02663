// SPDX-License-Identifier: GPL-3.0-or-later
// Simulated ("fake") quantization of a whole Model, per-layer sensitivity analysis and a greedy
// mixed-precision search.
//
// Precision plan: for every Linear/Conv2d layer ("quantizable layer") a weight precision and an
// output-activation precision, each kFp32 (0: keep float32) or an integer width of 2..16 bits.
// How a quantized tensor is quantized is the model's QuantRecipe (recipe.h) at the plan's widths:
//   * weights: W_hat = fakeQuantize(W) with the recipe's weight spec, i.e. s * clamp(
//     round_half_to_even(W / s)) with s = max|W[o,:]| / (2^(b-1)-1) and the division in float32
//     -- at 8 bits exactly the int8 engine's weights (int8model.h). Biases stay float32.
//   * activations: the recipe's activation spec per tensor, at the layer's output AFTER a
//     directly following ReLU/Clip (fused as in the int8 engine), so the grid is spent on what
//     the next layer really sees. The range is calibrated with the recipe's calibration method
//     on the values the FP32 model produces for the calibration images (like quantizeModel),
//     then chooseParams().
//   * the graph input and the layers between the quantized points (pooling, flatten, softmax)
//     stay float32; every rounding is the engine's fakeQuantize (ties to even).
// The model is executed by the fp32 forward() segment by segment: a segment ends at the fused
// activation of a quantizable layer, where its output is fake-quantized. Only chains (every layer
// consuming the previous layer's output) are supported.
//
// Measurements of a plan on a labelled data set (run in chunks, so memory stays bounded):
//   accuracy     fraction of arg-max outputs equal to the label;
//   agreement    fraction of arg-max outputs equal to the fp32 model's arg-max (top-1 agreement);
//   outputSqnr   SQNR (dB, metrics.h) of the model output against the fp32 output;
//   per layer    "propagated": SQNR of each quantizable layer's (quantized) output in the
//                quantized network against the fp32 network -- errors of earlier layers carried
//                forward (PyTorch numeric suite's activation loggers);
//                "isolated": the layer's segment fed the FP32 input, its quantized output against
//                the fp32 output -- the layer's own error only (the numeric suite's shadow
//                modules);
//   sizeBytes    modelBytes() of modelsize.h under the plan (the count every front end shows):
//                the deployed model's bytes, so the graph input's scale and zero point count
//                when the first layer's activations are quantized (an integer first layer
//                needs them), although the simulation above keeps the graph input float32.
// SQNR sums run in double over all chunks: 10 log10(sum x^2 / sum (x - x_hat)^2).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/io/dataset.h"
#include "quant/nn/model.h"
#include "quant/nn/recipe.h"
#include "quant/numeric/quantize.h"

namespace quant {

struct QuantizableLayer {
  std::size_t index = 0;            // position in Model::layers
  std::size_t activationIndex = 0;  // where the output is quantized (the fused ReLU/Clip or itself)
  std::string name;
  LayerType type = LayerType::Linear;
  std::int64_t weights = 0, biases = 0, channels = 0;
};

// Progress in [0, 1]; returning false cancels the computation (the result says cancelled).
using ProgressFn = std::function<bool(double fraction)>;

// A model prepared for fake-quantized execution: its segments and the calibrated activation
// ranges for a set of widths.
class FakeQuantModel {
 public:
  // fp32 is finalize()d (a copy is kept). calibrationImages: N >= 1 samples of the model's
  // per-sample size (any per-sample shape with that many values, e.g. [N, 1, 28, 28] for [784]).
  // recipe: how quantized tensors are quantized (its bits are replaced by the plan's widths).
  // activationBits: the widths whose ranges are calibrated now (the methods Mse / Entropy /
  // HistogramL2 depend on the width); plans may only use these for activations.
  // Throws quant::Error for non-chain graphs, no Linear/Conv2d, empty calibration or bad widths.
  FakeQuantModel(const Model& fp32, const Tensor& calibrationImages, const QuantRecipe& recipe,
                 std::span<const int> activationBits);

  const Model& fp32() const { return fp32_; }
  const std::vector<QuantizableLayer>& layers() const { return layers_; }
  const QuantRecipe& recipe() const { return recipe_; }

  // Plans with every layer at the same widths (kFp32 allowed).
  PrecisionPlan uniformPlan(int weightBits, int activationBits) const;
  void validatePlan(const PrecisionPlan& plan) const;  // throws quant::Error

  // The weight quantization of layer k at `bits` (2..16) and the resulting fake-quantized
  // weight matrix (same layout as Layer::weight).
  QuantParams weightParams(std::size_t k, int bits) const;
  RowMatrix fakeQuantizedWeight(std::size_t k, int bits) const;
  // The activation quantization of layer k for `values` elements (a calibrated width).
  QuantParams activationParams(std::size_t k, int bits, std::int64_t values) const;

  // Model size in bytes under a plan: modelBytes(fp32(), plan, recipe()).total().
  std::int64_t sizeBytes(const PrecisionPlan& plan) const;

  // The model output for a batch under a plan (fp32 forward with fake quantization); the input
  // is [N, ...] with the model's per-sample size.
  Tensor run(const PrecisionPlan& plan, const Tensor& input) const;

  // Internal: segment s covers layers (activationIndex of s-1, activationIndex of s]; the last
  // segment may be a tail without a quantizable layer (pooling, softmax after the last layer).
  struct Segment {
    Model model;           // finalize()d sub-model (fp32 weights)
    int quantizable = -1;  // index into layers(), or -1 for a tail
  };
  const std::vector<Segment>& segments() const { return segments_; }
  // The segment model of quantizable layer k with its weights fake-quantized (cached per width).
  const Model& segmentModel(std::size_t segment, int weightBits) const;

 private:
  Model fp32_;
  QuantRecipe recipe_;
  std::vector<QuantizableLayer> layers_;
  std::vector<Segment> segments_;
  std::vector<int> calibratedBits_;
  // ranges_[k][bits] = calibrated (unwidened) range; valid where calibratedBits_ contains bits.
  std::vector<std::vector<Range>> ranges_;
  // quantizedSegments_[segment][bits] lazily built copies with fake-quantized weights.
  mutable std::vector<std::vector<std::unique_ptr<Model>>> quantizedSegments_;
};

struct PlanResult {
  double accuracy = 0, agreement = 0, outputSqnrDb = 0;
  std::int64_t sizeBytes = 0;
  std::vector<double> propagatedSqnrDb;  // one per quantizable layer
  std::vector<double> isolatedSqnrDb;    // one per quantizable layer (+inf where unquantized,
                                         // NaN where not measured: EvaluateOptions::isolated)
};

struct EvaluateOptions {
  std::int64_t chunk = 256;  // images per forward batch
  bool isolated = true;      // also measure the isolated (shadow) per-layer SQNR
};

// Evaluates several plans on one data set, sharing the fp32 pass of each chunk. Also returns the
// fp32 accuracy in *fp32Accuracy when given. On cancel: returns an empty vector and sets
// *cancelled.
std::vector<PlanResult> evaluatePlans(const FakeQuantModel& model,
                                      std::span<const PrecisionPlan> plans, const Dataset& data,
                                      const EvaluateOptions& options = {},
                                      double* fp32Accuracy = nullptr,
                                      const ProgressFn& progress = {}, bool* cancelled = nullptr);

enum class SensitivityMode { Propagated, Isolated, Both };

struct SensitivityOptions {
  int bits = 8;        // width of the quantized layers (weights and activations)
  bool sweep = false;  // also the 2..8 bits sweeps per layer
  std::int64_t chunk = 256;
};

struct SweepPoint {
  int bits = 0;
  double accuracy = 0, agreement = 0, outputSqnrDb = 0, isolatedSqnrDb = 0;
};

struct LayerSensitivity {
  QuantizableLayer layer;
  PlanResult only;    // only this layer quantized (weights and activation at `bits`)
  PlanResult allBut;  // every other layer quantized, this one fp32
  // The damage measures: propagated = only.outputSqnrDb (this layer's error carried to the
  // output); isolated = only.isolatedSqnrDb[k] (its own output error on fp32 input).
  // loggerSqnrDb = all.propagatedSqnrDb[k] (its output in the fully quantized network).
  double propagatedDamageSqnrDb = 0, isolatedDamageSqnrDb = 0, loggerSqnrDb = 0;
  std::vector<SweepPoint> weightSweep;      // only this layer's weights at 2..8 bits
  std::vector<SweepPoint> activationSweep;  // only this layer's activation at 2..8 bits
};

struct SensitivityReport {
  int bits = 8;
  double fp32Accuracy = 0;
  PlanResult all;                        // every layer quantized
  std::vector<LayerSensitivity> layers;  // model order
  bool cancelled = false;
};

// `model` must have `options.bits` calibrated (and 2..8 with sweep).
SensitivityReport analyzeSensitivity(const FakeQuantModel& model, const Dataset& data,
                                     const SensitivityOptions& options,
                                     const ProgressFn& progress = {});

// Layer order by damage, most damaging first: Propagated sorts by only.outputSqnrDb ascending,
// Isolated by the isolated SQNR ascending (Both: as Propagated); ties keep model order.
std::vector<std::size_t> rankByDamage(const SensitivityReport& report, SensitivityMode mode);

struct MixedOptions {
  int bits = 8;               // base width of weights and activations
  int highBits = kFp32;       // kFp32 or 16: the precision of layers that stay high
  double budgetPoints = 1.0;  // allowed accuracy drop vs fp32, in percentage points
  std::int64_t chunk = 256;
};

struct MixedStep {
  std::size_t layer = 0;  // quantizable layer promoted to high precision in this step
  double validationAccuracy = 0;
  std::int64_t sizeBytes = 0;
};

struct MixedResult {
  PrecisionPlan plan;            // the proposal
  std::vector<bool> high;        // per quantizable layer
  std::vector<MixedStep> steps;  // greedy promotions in order
  double fp32ValidationAccuracy = 0, fp32TestAccuracy = 0;
  PlanResult allLowValidation, proposalValidation;
  PlanResult allLowTest, proposalTest;
  std::int64_t fp32SizeBytes = 0;
  bool budgetMetValidation = false, budgetMetTest = false;
  bool cancelled = false;
};

// Greedy search on `validation` (never the test set): start with every layer at `bits`; while
// the validation accuracy drop exceeds the budget, promote one more layer to `highBits`: among
// the promotions that meet the budget the one with the smallest model, otherwise the one with the
// largest accuracy gain per added byte, otherwise (nothing helps) the highest accuracy, ties by
// output SQNR. Then the proposal is verified on `test`. `model` must have `bits` (and 16 when
// highBits is 16) calibrated.
MixedResult proposeMixedPrecision(const FakeQuantModel& model, const Dataset& validation,
                                  const Dataset& test, const MixedOptions& options,
                                  const ProgressFn& progress = {});

// A data set of images [first, first + count) of `data` (clamped to its size).
Dataset sliceDataset(const Dataset& data, std::int64_t first, std::int64_t count);

}  // namespace quant
