// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluation of a classifier on a labelled data set in float32 and in the int8 modes of
// int8model.h, as `quantlab-cli eval` and the window's predictions view report it.
//
// The data set's first `limit` images run in batches of `chunk` (memory stays bounded); for
// every mode:
//   predictions   arg-max of each output row (the first maximum on ties)
//   accuracy      fraction of predictions equal to the label
//   agreement     fraction of predictions equal to float32's (top-1 agreement; 1 for fp32)
//   outputSqnrDb  SQNR of all outputs against the float32 outputs (computeMetrics, metrics.h)
//   bytes         modelBytes (modelsize.h): fp32 all float32, int8 W8A8, dynamic and
//                 weight-only W8 with float32 activations
//   seconds       prepare (quantization and calibration) and run (all batches), wall clock
// float32 always runs first: it is the reference of agreement and SQNR.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "quant/io/dataset.h"
#include "quant/nn/int8model.h"
#include "quant/nn/model.h"
#include "quant/nn/modelsize.h"
#include "quant/nn/recipe.h"
#include "quant/nn/sensitivity.h"

namespace quant {

enum class EvalMode { Fp32, Int8Static, Dynamic, WeightOnly };
// "fp32", "int8", "dynamic", "weight-only".
const char* evalModeName(EvalMode mode);

struct EvalConfig {
  QuantRecipe recipe;  // the int8 modes (must be the int8 rule; per-tensor weights allowed)
  Tensor calibration;  // Int8Static without `prepared`: calibration inputs [N, ...]
  const Int8Model* prepared = nullptr;  // Int8Static: an already quantized model to evaluate
  std::int64_t limit = 0;               // the first `limit` images; 0 = all
  std::int64_t chunk = 500;
  // A mode that fails (an unsupported layer) records `error` and the others still run; false:
  // the quant::Error propagates.
  bool keepGoing = true;
  std::function<void(EvalMode)> onMode;  // called as each mode starts (before preparing it)
};

struct ModeEvaluation {
  EvalMode mode = EvalMode::Fp32;
  std::vector<int> predictions;
  double accuracy = 0, agreement = 0, outputSqnrDb = 0;
  ModelBytes bytes;
  double prepareSeconds = 0, runSeconds = 0;
  std::string error;  // "" when the mode ran
  std::vector<std::string> floatLayers;  // Int8Static: floatLayerNotes() of the model run
};

struct Evaluation {
  std::int64_t images = 0;
  std::vector<ModeEvaluation> modes;  // fp32 first, then the requested modes in order
  bool cancelled = false;             // progress returned false; modes is then empty
};

// fp32 must be a classifier whose per-sample input size matches the data set's images.
// `modes` need not name Fp32 (it always runs first).
Evaluation evaluate(const Model& fp32, const Dataset& data, std::span<const EvalMode> modes,
                    const EvalConfig& config, const ProgressFn& progress = {});

// Unlabelled data (a user data set without labels): replaces data.labels with float32's top-1
// class of every sample, so each accuracy measured on `data` afterwards is the top-1 agreement
// with float32. Batches of `chunk`; throws quant::Error when the images do not fit the model or
// it has more than 256 outputs.
void labelWithPredictions(const Model& fp32, Dataset& data, std::int64_t chunk = 500);

// Images [first, first + count) of `images` ([n, ...] with the model's per-sample size) shaped
// as the model's input batch ([count] + inputShape). Throws quant::Error when they do not fit.
Tensor sampleBatch(const Model& model, const Tensor& images, std::int64_t first,
                   std::int64_t count);

}  // namespace quant
