// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli eval: accuracy, agreement, logits SQNR, size and time of a Fashion-MNIST classifier
// in float32 and in the three int8 modes of int8model.h (static, dynamic, weight-only).
//
// Also defines the model helpers cmd_bench.cpp shares (declared there): loading a --model
// argument, the Fashion-MNIST input check, batch slicing and the model-size accounting.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "args.h"
#include "common.h"
#include "quant/numeric/calibrate.h"
#include "quant/io/dataset.h"
#include "quant/nn/int8model.h"
#include "quant/numeric/metrics.h"
#include "quant/nn/model.h"
#include "quant/base/resources.h"

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

// ---- helpers shared with cmd_bench.cpp ------------------------------------------------------

quant::Model loadModelArg(const std::string& arg, std::string* resolvedPath) {
  const std::string path = quant::resolveModelPath(arg);
  if (resolvedPath) *resolvedPath = path;
  return quant::loadOnnxModel(path);  // "<path>: no such file" etc.
}

bool isFashionMnistInput(const quant::Model& m) {
  const auto& s = m.inputShape;
  return s == std::vector<std::int64_t>{1, 28, 28} || s == std::vector<std::int64_t>{784};
}

std::int64_t perSample(const std::vector<std::int64_t>& shape) {
  std::int64_t n = 1;
  for (std::int64_t d : shape) n *= d;
  return n;
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
  std::string s = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

// Samples [first, first + count) of `images` ([n, ...] with per-sample size equal to the model's
// input) as a batch shaped for the model ([count] + inputShape).
quant::Tensor batchFor(const quant::Model& m, const quant::Tensor& images, std::int64_t first,
                       std::int64_t count) {
  const std::int64_t per = perSample(m.inputShape);
  if (images.shape.empty() || images.numel() / std::max<std::int64_t>(images.shape[0], 1) != per ||
      first < 0 || count < 0 || first + count > images.shape[0])
    throw quant::Error("images " + images.shapeString() + " do not fit the model input " +
                       shapeText(m.inputShape));
  quant::Tensor t;
  t.name = m.input;
  t.shape = {count};
  t.shape.insert(t.shape.end(), m.inputShape.begin(), m.inputShape.end());
  t.data.assign(images.data.begin() + first * per, images.data.begin() + (first + count) * per);
  return t;
}

ModelBytes fp32Bytes(const quant::Model& m) {
  ModelBytes b;
  for (const quant::Layer& l : m.layers) {
    if (l.type == quant::LayerType::Linear || l.type == quant::LayerType::Conv2d) {
      b.weights += 4 * static_cast<std::int64_t>(l.weight.size());
      b.bias += 4 * static_cast<std::int64_t>(l.bias.size());
    } else {
      b.other += 4 * l.params;
    }
  }
  return b;
}

// Dynamic and weight-only models store the same thing: int8 weights with their scales, float32
// biases, and any other parameters in float32.
ModelBytes int8WeightBytes(const quant::Model& m, bool perChannel) {
  ModelBytes b;
  for (const quant::Layer& l : m.layers) {
    if (l.type == quant::LayerType::Linear || l.type == quant::LayerType::Conv2d) {
      b.weights += static_cast<std::int64_t>(l.weight.size());
      b.bias += 4 * static_cast<std::int64_t>(l.bias.size());
      b.weightScales += 4 * (perChannel ? static_cast<std::int64_t>(l.weight.rows()) : 1);
    } else {
      b.other += 4 * l.params;
    }
  }
  return b;
}

ModelBytes int8ModelBytes(const quant::Int8Model& m) {
  ModelBytes b;
  b.activationParams = 8;  // the input's scale and zero point
  for (const quant::Int8Layer& l : m.layers) {
    if (l.type != quant::LayerType::Linear && l.type != quant::LayerType::Conv2d) continue;
    b.weights += static_cast<std::int64_t>(l.weights.size());
    b.bias += 4 * static_cast<std::int64_t>(l.bias.size());
    b.weightScales +=
        4 * (m.perChannelWeights ? static_cast<std::int64_t>(l.weightScales.size()) : 1);
    b.activationParams += 8;
  }
  return b;
}

nlohmann::json bytesJson(const ModelBytes& b) {
  return {{"weights", b.weights},
          {"bias", b.bias},
          {"weight_scales", b.weightScales},
          {"activation_params", b.activationParams},
          {"other", b.other},
          {"total", b.total()}};
}

// ---- eval -----------------------------------------------------------------------------------

namespace {

constexpr std::int64_t kChunk = 500;  // images per forward call: bounds the activation memory

double secondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int argmax(const float* v, std::int64_t n) {
  int best = 0;
  for (std::int64_t i = 1; i < n; ++i)
    if (v[i] > v[best]) best = static_cast<int>(i);
  return best;
}

// Runs `run` over the first n images in chunks and concatenates the outputs.
std::vector<float> runChunked(const quant::Model& m, const quant::Tensor& images, std::int64_t n,
                              std::int64_t classes,
                              const std::function<quant::Tensor(const quant::Tensor&)>& run) {
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(n * classes));
  for (std::int64_t first = 0; first < n; first += kChunk) {
    const std::int64_t count = std::min(kChunk, n - first);
    const quant::Tensor y = run(batchFor(m, images, first, count));
    if (static_cast<std::int64_t>(y.data.size()) != count * classes)
      throw quant::Error("model output has " + std::to_string(y.data.size()) + " values for " +
                         std::to_string(count) + " images, expected " +
                         std::to_string(count * classes));
    out.insert(out.end(), y.data.begin(), y.data.end());
  }
  return out;
}

struct ModeResult {
  std::string mode;
  double accuracy = 0, agreement = 0, sqnrDb = 0;
  ModelBytes bytes;
  double prepareSeconds = 0, runSeconds = 0;
  std::string error;  // --mode all: why this mode could not run (the others still report)
};

}  // namespace

int runEval(const std::vector<std::string>& argv) {
  Args a(argv, {"model", "mode", "calib", "calib-images", "limit", "data"}, {"per-tensor", "json"});
  if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
  const auto modelArg = a.get("model");
  if (!modelArg || modelArg->empty()) throw UsageError("missing --model mlp|cnn|FILE.onnx");
  const std::string modeArg = a.get("mode", "all");
  std::vector<std::string> modes;
  if (modeArg == "all") {
    modes = {"int8", "dynamic", "weight-only"};
  } else if (modeArg == "int8" || modeArg == "dynamic" || modeArg == "weight-only") {
    modes = {modeArg};
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
  const std::int64_t classes = perSample(model.outputShape());
  if (classes != 10)
    throw quant::Error(path + ": the output has " + std::to_string(classes) +
                       " values per image, Fashion-MNIST has 10 classes");

  const quant::Dataset test = quant::loadFashionMnist(dir, quant::Split::Test);
  const std::int64_t n =
      std::min<std::int64_t>(limit, static_cast<std::int64_t>(test.labels.size()));
  if (test.labels.empty() || test.images.numel() / static_cast<std::int64_t>(test.labels.size()) !=
                                 perSample(model.inputShape))
    throw quant::Error(dir + ": the test images are not 28x28 (" + test.images.shapeString() + ")");
  const bool needStatic = std::find(modes.begin(), modes.end(), "int8") != modes.end();
  quant::Tensor calibInputs;
  if (needStatic) {
    const quant::Dataset train = quant::loadFashionMnist(dir, quant::Split::Train);
    const std::int64_t c =
        std::min<std::int64_t>(calibImages, static_cast<std::int64_t>(train.labels.size()));
    calibInputs = batchFor(model, train.images, 0, c);
  }

  auto progress = [&](const char* what) {
    if (!json) std::fprintf(stderr, "%s ...\n", what);
  };
  auto accuracyOf = [&](const std::vector<float>& y, const std::vector<float>* ref,
                        double* agreement) {
    std::int64_t correct = 0, agree = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      const int p = argmax(y.data() + i * classes, classes);
      correct += p == test.labels[static_cast<std::size_t>(i)];
      if (ref) agree += p == argmax(ref->data() + i * classes, classes);
    }
    if (agreement) *agreement = static_cast<double>(agree) / static_cast<double>(n);
    return static_cast<double>(correct) / static_cast<double>(n);
  };

  std::vector<ModeResult> results;
  progress("fp32");
  auto t0 = std::chrono::steady_clock::now();
  const std::vector<float> ref = runChunked(
      model, test.images, n, classes, [&](const auto& x) { return quant::forward(model, x); });
  {
    ModeResult r;
    r.mode = "fp32";
    r.runSeconds = secondsSince(t0);
    r.accuracy = accuracyOf(ref, nullptr, nullptr);
    r.agreement = 1.0;
    r.sqnrDb = quant::computeMetrics(ref, ref).sqnrDb;
    r.bytes = fp32Bytes(model);
    results.push_back(r);
  }

  for (const std::string& mode : modes) {
    progress(mode.c_str());
    ModeResult r;
    r.mode = mode;
    try {
      std::vector<float> y;
      t0 = std::chrono::steady_clock::now();
      if (mode == "int8") {
        const quant::Int8Model q = quant::quantizeModel(model, calibInputs, calib, perChannel);
        r.prepareSeconds = secondsSince(t0);
        r.bytes = int8ModelBytes(q);
        t0 = std::chrono::steady_clock::now();
        y = runChunked(model, test.images, n, classes,
                       [&](const auto& x) { return quant::runInt8(q, x); });
      } else if (mode == "dynamic") {
        const quant::DynamicInt8Model q = quant::quantizeDynamic(model, perChannel);
        r.prepareSeconds = secondsSince(t0);
        r.bytes = int8WeightBytes(model, perChannel);
        t0 = std::chrono::steady_clock::now();
        y = runChunked(model, test.images, n, classes,
                       [&](const auto& x) { return quant::runDynamic(q, x); });
      } else {
        const quant::Model q = quant::weightOnlyModel(model, perChannel);
        r.prepareSeconds = secondsSince(t0);
        r.bytes = int8WeightBytes(model, perChannel);
        t0 = std::chrono::steady_clock::now();
        y = runChunked(model, test.images, n, classes,
                       [&](const auto& x) { return quant::forward(q, x); });
      }
      r.runSeconds = secondsSince(t0);
      r.accuracy = accuracyOf(y, &ref, &r.agreement);
      r.sqnrDb = quant::computeMetrics(ref, y).sqnrDb;
    } catch (const quant::Error& e) {
      if (modes.size() == 1) throw;
      r.error = e.what();
    }
    results.push_back(r);
  }

  const double fp32Total = static_cast<double>(results.front().bytes.total());
  if (json) {
    nlohmann::json j;
    j["model"] = *modelArg;
    j["path"] = path;
    j["parameters"] = model.parameterCount();
    j["macs_per_image"] = model.macsPerSample();
    j["test_images"] = n;
    j["calibration"] = quant::calibrationName(calib);
    j["calibration_images"] = needStatic ? calibInputs.shape[0] : 0;
    j["weights"] = perChannel ? "per-channel" : "per-tensor";
    nlohmann::json rows = nlohmann::json::array();
    for (const ModeResult& r : results) {
      if (!r.error.empty()) {
        rows.push_back({{"mode", r.mode}, {"error", r.error}});
        continue;
      }
      rows.push_back({{"mode", r.mode},
                      {"accuracy", number(r.accuracy)},
                      {"agreement", number(r.agreement)},
                      {"sqnr_db", number(r.sqnrDb)},
                      {"bytes", r.bytes.total()},
                      {"bytes_detail", bytesJson(r.bytes)},
                      {"compression", number(fp32Total / static_cast<double>(r.bytes.total()))},
                      {"prepare_seconds", number(r.prepareSeconds)},
                      {"seconds", number(r.runSeconds)},
                      {"images_per_second", number(static_cast<double>(n) / r.runSeconds)}});
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
                static_cast<long long>(calibInputs.shape[0]));
  std::printf("\n\n%-12s %9s %10s %12s %11s %7s %10s %9s\n", "mode", "accuracy", "agreement",
              "SQNR (dB)", "bytes", "size", "prepare s", "run s");
  for (const ModeResult& r : results) {
    if (!r.error.empty()) {
      std::printf("%-12s not available: %s\n", r.mode.c_str(), r.error.c_str());
      continue;
    }
    char sqnr[32];
    if (std::isinf(r.sqnrDb))
      std::snprintf(sqnr, sizeof sqnr, "%s", r.sqnrDb > 0 ? "inf" : "-inf");
    else
      std::snprintf(sqnr, sizeof sqnr, "%.2f", r.sqnrDb);
    std::printf("%-12s %9.4f %10.4f %12s %11lld %6.2fx %10.3f %9.3f\n", r.mode.c_str(), r.accuracy,
                r.agreement, sqnr, static_cast<long long>(r.bytes.total()),
                fp32Total / static_cast<double>(r.bytes.total()), r.prepareSeconds, r.runSeconds);
  }
  std::printf(
      "\nagreement: fraction of images whose top-1 class equals float32's; SQNR: of the outputs\n"
      "against the float32 outputs; size: float32 bytes / bytes (see --help for what counts);\n"
      "prepare: quantization (and calibration); run: the %lld images in batches of %lld.\n",
      static_cast<long long>(n), static_cast<long long>(kChunk));
  return 0;
}

}  // namespace cli
