// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli eval: accuracy, agreement, logits SQNR, size and time of a Fashion-MNIST classifier
// in float32 and in the three int8 modes of int8model.h (static, dynamic, weight-only).
//
// Also defines the model helpers the other model commands share (declared in common.h): loading
// a --model argument, the Fashion-MNIST input check and the JSON of sizes and recipes. What is
// measured and counted is core's (quant/nn/evaluate.h, modelsize.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "args.h"
#include "common.h"
#include "quant/base/resources.h"
#include "quant/io/dataset.h"
#include "quant/nn/evaluate.h"
#include "quant/nn/model.h"
#include "quant/numeric/calibrate.h"

namespace cli {

const char* const kEvalHelp =
    "usage: quantlab-cli eval --model mlp|cnn|FILE.onnx [options]\n"
    "\n"
    "Runs a Fashion-MNIST classifier on the test images in float32 and in int8, and reports for\n"
    "each mode the test accuracy, the top-1 agreement with float32, the SQNR of the outputs\n"
    "against the float32 outputs (20 log10(||y|| / ||y - y_fp32||), in dB), the model size and\n"
    "the time taken. float32 always runs: it is the reference of the comparisons.\n"
    "\n"
    "modes:\n"
    "  fp32          the float32 forward pass\n"
    "  int8          static post-training quantization, integer-only inference: int8 weights\n"
    "                (symmetric) and activations (asymmetric, calibrated on training images)\n"
    "  dynamic       int8 weights; activations quantized per batch at run time (min-max),\n"
    "                int32 accumulation, float rescale; other layers in float32\n"
    "  weight-only   int8 weights dequantized back to float32; float32 arithmetic\n"
    "\n"
    "model size: fp32 counts 4 bytes per parameter. The int8 modes count 1 byte per weight,\n"
    "4 bytes per bias value (int32 for int8, float32 otherwise), 4 bytes per weight scale (one\n"
    "per output channel, or one per layer with --per-tensor) and, for int8 only, 8 bytes (float32\n"
    "scale + int32 zero point) per quantized activation tensor (the input and every Linear/Conv2d\n"
    "output). Requantization multipliers are not counted: they follow from the scales.\n"
    "sensitivity, mixed, bench and the window count sizes the same way (quant/nn/modelsize.h);\n"
    "--json prints the quantization recipe of the int8 modes as \"recipe\".\n"
    "\n"
    "options:\n"
    "  --model M              mlp, cnn (the shipped models) or an ONNX file whose input is\n"
    "                         [1,28,28] or [784] and whose output has 10 classes (required)\n"
    "  --mode M               fp32 | int8 | dynamic | weight-only | all (default all)\n"
    "  --calib C              activation calibration of int8: minmax (default) | moving-average\n"
    "                         | percentile:P | percentile-abs:P | mse | entropy | histogram\n"
    "  --calib-images N       calibrate on the first N training images (default 1000)\n"
    "  --per-tensor           one weight scale per layer instead of one per output channel\n"
    "  --limit N              evaluate only the first N test images (default all 10000)\n"
    "  --data DIR             Fashion-MNIST directory (default /usr/share/datasets/fashion-mnist)\n"
    "  --json                 machine-readable output\n"
    "\n"
    "examples:\n"
    "  quantlab-cli eval --model mlp\n"
    "  quantlab-cli eval --model cnn --mode int8 --calib percentile:99.99 --json\n";

// ---- helpers shared with the other model commands (common.h) --------------------------------

quant::Model loadModelArg(const std::string& arg, std::string* resolvedPath) {
  const std::string path = quant::resolveModelPath(arg);
  if (resolvedPath) *resolvedPath = path;
  return quant::loadOnnxModel(path);  // "<path>: no such file" etc.
}

bool isFashionMnistInput(const quant::Model& m) {
  const auto& s = m.inputShape;
  return s == std::vector<std::int64_t>{1, 28, 28} || s == std::vector<std::int64_t>{784};
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

nlohmann::json bytesJson(const quant::ModelBytes& b) {
  return {{"weights", b.weights},
          {"bias", b.bias},
          {"weight_scales", b.weightScales},
          {"activation_params", b.activationParams},
          {"other", b.other},
          {"total", b.total()}};
}

nlohmann::json recipeObject(const quant::QuantRecipe& recipe) {
  return nlohmann::json::parse(quant::recipeJson(recipe));
}

// ---- eval -----------------------------------------------------------------------------------

namespace {

constexpr std::int64_t kChunk = 500;  // images per forward call: bounds the activation memory

}  // namespace

int runEval(const std::vector<std::string>& argv) {
  Args a(argv, {"model", "mode", "calib", "calib-images", "limit", "data"}, {"per-tensor", "json"});
  if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
  const auto modelArg = a.get("model");
  if (!modelArg || modelArg->empty()) throw UsageError("missing --model mlp|cnn|FILE.onnx");
  const std::string modeArg = a.get("mode", "all");
  std::vector<quant::EvalMode> modes;
  if (modeArg == "all") {
    modes = {quant::EvalMode::Int8Static, quant::EvalMode::Dynamic, quant::EvalMode::WeightOnly};
  } else if (modeArg == "int8") {
    modes = {quant::EvalMode::Int8Static};
  } else if (modeArg == "dynamic") {
    modes = {quant::EvalMode::Dynamic};
  } else if (modeArg == "weight-only") {
    modes = {quant::EvalMode::WeightOnly};
  } else if (modeArg != "fp32") {
    throw UsageError("--mode must be fp32, int8, dynamic, weight-only or all (got '" + modeArg +
                     "')");
  }
  quant::CalibrationConfig calib;
  const std::string calibArg = a.get("calib", "minmax");
  try {
    calib = quant::parseCalibration(calibArg);
  } catch (const quant::Error& e) {
    throw UsageError(std::string("--calib: ") + e.what());
  }
  const long long calibImages = a.getInt64("calib-images", 1000);
  if (calibImages < 1 || calibImages > 60000)
    throw UsageError("--calib-images must be in 1..60000");
  const long long limit = a.getInt64("limit", 10000);
  if (limit < 1) throw UsageError("--limit must be >= 1");
  const bool perChannel = !a.flag("per-tensor");
  const std::string dir = a.get("data", quant::kFashionMnistDir);
  const bool json = a.flag("json");

  std::string path;
  const quant::Model model = loadModelArg(*modelArg, &path);
  if (!isFashionMnistInput(model))
    throw quant::Error(path + ": input shape " + shapeText(model.inputShape) +
                       " is not a Fashion-MNIST image ([1, 28, 28] or [784])");
  const std::int64_t classes = quant::checkedNumel(model.outputShape());
  if (classes != 10)
    throw quant::Error(path + ": the output has " + std::to_string(classes) +
                       " values per image, Fashion-MNIST has 10 classes");

  const quant::Dataset test = quant::loadFashionMnist(dir, quant::Split::Test);
  if (test.labels.empty() || test.images.numel() / static_cast<std::int64_t>(test.labels.size()) !=
                                 quant::checkedNumel(model.inputShape))
    throw quant::Error(dir + ": the test images are not 28x28 (" + test.images.shapeString() + ")");
  quant::EvalConfig cfg;
  cfg.recipe.weights.perChannel = perChannel;
  cfg.recipe.activations.calibration = calib;
  cfg.limit = limit;
  cfg.chunk = kChunk;
  cfg.keepGoing = modes.size() > 1;
  const bool needStatic =
      std::find(modes.begin(), modes.end(), quant::EvalMode::Int8Static) != modes.end();
  if (needStatic) {
    const quant::Dataset train = quant::loadFashionMnist(dir, quant::Split::Train);
    const std::int64_t c =
        std::min<std::int64_t>(calibImages, static_cast<std::int64_t>(train.labels.size()));
    cfg.calibration = quant::sampleBatch(model, train.images, 0, c);
  }

  if (!json)
    cfg.onMode = [](quant::EvalMode m) {
      std::fprintf(stderr, "%s ...\n", quant::evalModeName(m));
    };
  const quant::Evaluation ev = quant::evaluate(model, test, modes, cfg);
  const std::int64_t n = ev.images;
  const std::vector<quant::ModeEvaluation>& results = ev.modes;

  const double fp32Total = static_cast<double>(results.front().bytes.total());
  if (json) {
    nlohmann::json j;
    j["model"] = *modelArg;
    j["path"] = path;
    j["parameters"] = model.parameterCount();
    j["macs_per_image"] = model.macsPerSample();
    j["test_images"] = n;
    j["calibration"] = quant::calibrationName(calib);
    j["calibration_images"] = needStatic ? cfg.calibration.shape[0] : 0;
    j["weights"] = perChannel ? "per-channel" : "per-tensor";
    j["recipe"] = recipeObject(cfg.recipe);
    nlohmann::json rows = nlohmann::json::array();
    for (const quant::ModeEvaluation& r : results) {
      if (!r.error.empty()) {
        rows.push_back({{"mode", quant::evalModeName(r.mode)}, {"error", r.error}});
        continue;
      }
      rows.push_back({{"mode", quant::evalModeName(r.mode)},
                      {"accuracy", number(r.accuracy)},
                      {"agreement", number(r.agreement)},
                      {"sqnr_db", number(r.outputSqnrDb)},
                      {"bytes", r.bytes.total()},
                      {"bytes_detail", bytesJson(r.bytes)},
                      {"compression", number(fp32Total / static_cast<double>(r.bytes.total()))},
                      {"prepare_seconds", number(r.prepareSeconds)},
                      {"seconds", number(r.runSeconds)},
                      {"images_per_second", number(static_cast<double>(n) / r.runSeconds)}});
      if (!r.floatLayers.empty()) rows.back()["float_layers"] = r.floatLayers;
    }
    j["modes"] = rows;
    printJson(j);
    return 0;
  }

  std::printf("model %s (%s): %lld parameters, %lld MACs per image\n", modelArg->c_str(),
              path.c_str(), static_cast<long long>(model.parameterCount()),
              static_cast<long long>(model.macsPerSample()));
  std::printf("%lld Fashion-MNIST test images; weights int8 %s", static_cast<long long>(n),
              perChannel ? "per output channel" : "per tensor");
  if (needStatic)
    std::printf("; int8 activations calibrated with %s on the first %lld training images",
                quant::calibrationName(calib).c_str(),
                static_cast<long long>(cfg.calibration.shape[0]));
  std::printf("\n\n%-12s %9s %10s %12s %11s %7s %10s %9s\n", "mode", "accuracy", "agreement",
              "SQNR (dB)", "bytes", "size", "prepare s", "run s");
  for (const quant::ModeEvaluation& r : results) {
    if (!r.error.empty()) {
      std::printf("%-12s not available: %s\n", quant::evalModeName(r.mode), r.error.c_str());
      continue;
    }
    char sqnr[32];
    if (std::isinf(r.outputSqnrDb))
      std::snprintf(sqnr, sizeof sqnr, "%s", r.outputSqnrDb > 0 ? "inf" : "-inf");
    else
      std::snprintf(sqnr, sizeof sqnr, "%.2f", r.outputSqnrDb);
    std::printf("%-12s %9.4f %10.4f %12s %11lld %6.2fx %10.3f %9.3f\n", quant::evalModeName(r.mode),
                r.accuracy, r.agreement, sqnr, static_cast<long long>(r.bytes.total()),
                fp32Total / static_cast<double>(r.bytes.total()), r.prepareSeconds, r.runSeconds);
  }
  for (const quant::ModeEvaluation& r : results)
    for (const std::string& f : r.floatLayers)
      std::printf("%s: runs in float32 (dequantize, float, quantize): %s\n",
                  quant::evalModeName(r.mode), f.c_str());
  std::printf(
      "\nagreement: fraction of images whose top-1 class equals float32's; SQNR: of the outputs\n"
      "against the float32 outputs; size: float32 bytes / bytes (see --help for what counts);\n"
      "prepare: quantization (and calibration); run: the %lld images in batches of %lld.\n",
      static_cast<long long>(n), static_cast<long long>(kChunk));
  return 0;
}

}  // namespace cli
