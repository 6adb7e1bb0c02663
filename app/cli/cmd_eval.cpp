// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli eval: accuracy, agreement, logits SQNR, size and time of a classifier in float32
// and in the three int8 modes of int8model.h (static, dynamic, weight-only).
//
// Also defines the model helpers the other model commands share (declared in common.h): loading
// a --model argument, the Fashion-MNIST input check and the JSON of sizes and recipes. What is
// measured and counted is core's (quant/nn/evaluate.h, modelsize.h).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "args.h"
#include "common.h"
#include "data.h"
#include "quant/base/resources.h"
#include "quant/io/dataset.h"
#include "quant/nn/evaluate.h"
#include "quant/nn/model.h"
#include "quant/nn/onnxqdq.h"
#include "quant/numeric/calibrate.h"

namespace cli {

const char* const kEvalHelp =
    "usage: quantlab-cli eval --model mlp|cnn|FILE.onnx [options]\n"
    "\n"
    "Runs a classifier on evaluation samples (default: the Fashion-MNIST test images) in float32\n"
    "and in int8, and reports for each mode the accuracy, the top-1 agreement with float32, the SQNR of the outputs\n"
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
    "  --model M              mlp, cnn (the shipped models) or an ONNX classifier with an input\n"
    "                         [C, H, W] or [F] (required)\n"
    "  --mode M               fp32 | int8 | dynamic | weight-only | all (default all)\n"
    "  --calib C              activation calibration of int8: minmax (default) | moving-average\n"
    "                         | percentile:P | percentile-abs:P | mse | entropy | histogram\n"
    "  --calib-images N       calibrate on N samples (default 1000)\n"
    "  --per-tensor           one weight scale per layer instead of one per output channel\n"
    "  --limit N              evaluate only the first N evaluation samples (default all)\n"
    "  --export-qdq FILE      also write the static int8 model as a QDQ ONNX model (opset 13,\n"
    "                         int8 weights per output channel, int32 biases; onnxqdq.h)\n"
    "  --json                 machine-readable output\n"
    "\n"
    "A quantized ONNX model (QDQ or QOperator, e.g. written by --export-qdq or onnxruntime) runs\n"
    "in int8 with the file's own scales and zero points (no calibration) and in float32 as its\n"
    "dequantized weights; `quantlab-cli info` lists its per-layer scales.\n"
    "\n"
    "examples:\n"
    "  quantlab-cli eval --model mlp\n"
    "  quantlab-cli eval --model cnn --mode int8 --calib percentile:99.99 --json\n"
    "  quantlab-cli eval --model cnn --mode int8 --export-qdq cnn_int8.onnx\n"
    "  quantlab-cli eval --model cifar.onnx --data cifar.npz --mean 0.49,0.48,0.45 \\\n"
    "      --std 0.25,0.24,0.26\n";

// ---- helpers shared with the other model commands (common.h) --------------------------------

quant::Model loadModelArg(const std::string& arg, std::string* resolvedPath) {
  const std::string path = quant::resolveModelPath(arg);
  if (resolvedPath) *resolvedPath = path;
  // A quantized (QDQ / QOperator) file runs in float32 as its dequantized model.
  if (quant::isQuantizedOnnxFile(path)) return quant::loadQuantizedOnnx(path).fp32;
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
  Args a(argv, withDataOptions({"model", "mode", "calib", "calib-images", "limit", "export-qdq"}),
         withDataFlags({"per-tensor", "json"}));
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
  const long long limit = a.getInt64("limit", 0);
  if (a.has("limit") && limit < 1) throw UsageError("--limit must be >= 1");
  const bool perChannel = !a.flag("per-tensor");
  const bool json = a.flag("json");
  const std::string qdqOut = a.get("export-qdq", "");
  if (a.get("export-qdq") && qdqOut.empty()) throw UsageError("--export-qdq needs a file name");
  if (!qdqOut.empty() &&
      std::find(modes.begin(), modes.end(), quant::EvalMode::Int8Static) == modes.end())
    throw UsageError("--export-qdq needs --mode int8 or all");

  std::string path;
  const quant::Model model = loadModelArg(*modelArg, &path);
  const CommandData data = loadCommandData(a, model, path, calibImages, limit);
  const quant::Dataset& test = data.evaluation;
  quant::EvalConfig cfg;
  cfg.recipe.weights.perChannel = perChannel;
  cfg.recipe.activations.calibration = calib;
  cfg.limit = 0;
  cfg.chunk = kChunk;
  cfg.keepGoing = modes.size() > 1;
  const bool needStatic =
      std::find(modes.begin(), modes.end(), quant::EvalMode::Int8Static) != modes.end();
  // A quantized file brings its own int8 model; otherwise --export-qdq quantizes here so that
  // the file written is the model evaluated.
  std::optional<quant::Int8Model> int8;
  const bool fromFile = quant::isQuantizedOnnxFile(path);
  if (needStatic && fromFile) {
    int8 = quant::loadQuantizedOnnx(path).int8;
    cfg.recipe = int8->recipe;
  } else if (needStatic) {
    const auto c = static_cast<std::int64_t>(data.calibration.labels.size());
    cfg.calibration = quant::sampleBatch(model, data.calibration.images, 0, c);
    if (!qdqOut.empty()) int8 = quant::quantizeModel(model, cfg.calibration, cfg.recipe);
  }
  if (int8) cfg.prepared = &*int8;
  if (int8 && !qdqOut.empty()) quant::saveQdqOnnx(*int8, qdqOut);

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
    j["calibration_images"] = needStatic && !fromFile ? cfg.calibration.shape[0] : 0;
    j["int8_parameters"] = fromFile ? "file" : "calibrated";
    if (!qdqOut.empty()) j["qdq_output"] = qdqOut;
    j["weights"] = perChannel ? "per-channel" : "per-tensor";
    j["recipe"] = recipeObject(cfg.recipe);
    if (a.has("data")) j["data"] = dataJson(data);
    nlohmann::json rows = nlohmann::json::array();
    for (const quant::ModeEvaluation& r : results) {
      if (!r.error.empty()) {
        rows.push_back({{"mode", quant::evalModeName(r.mode)}, {"error", r.error}});
        continue;
      }
      rows.push_back({{"mode", quant::evalModeName(r.mode)},
                      {"accuracy", data.labelled ? number(r.accuracy) : nlohmann::json()},
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
  if (a.has("data"))
    std::printf("data: %s\n%lld evaluation samples (%s)", data.describe.c_str(),
                static_cast<long long>(n), data.evaluationSplit.c_str());
  else
    std::printf("%lld Fashion-MNIST test images", static_cast<long long>(n));
  std::printf("; weights int8 %s", perChannel ? "per output channel" : "per tensor");
  if (needStatic && fromFile)
    std::printf("; int8 scales and zero points from the file");
  else if (needStatic && a.has("data"))
    std::printf("; int8 activations calibrated with %s on samples %s",
                quant::calibrationName(calib).c_str(), data.calibrationSplit.c_str());
  else if (needStatic)
    std::printf("; int8 activations calibrated with %s on the first %lld training images",
                quant::calibrationName(calib).c_str(),
                static_cast<long long>(cfg.calibration.shape[0]));
  if (!data.labelled) std::printf("\nunlabelled data: accuracy is not measured (see agreement)");
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
    char acc[32];
    std::snprintf(acc, sizeof acc, data.labelled ? "%.4f" : "-", r.accuracy);
    std::printf("%-12s %9s %10.4f %12s %11lld %6.2fx %10.3f %9.3f\n", quant::evalModeName(r.mode),
                acc, r.agreement, sqnr, static_cast<long long>(r.bytes.total()),
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
  if (!qdqOut.empty()) std::printf("wrote the int8 model as QDQ ONNX to %s\n", qdqOut.c_str());
  return 0;
}

}  // namespace cli
