// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli qat: quantization-aware fine-tuning of a trained model; reports fp32, PTQ and QAT
// test accuracy side by side and writes the fake-quantized model as ONNX plus a JSON sidecar with
// the quantization parameters.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <limits>
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
#include "quant/nn/qat.h"
#include "quant/nn/train.h"

namespace cli {

const char* const kQatHelp =
    "usage: quantlab-cli qat --model mlp|cnn|FILE.onnx -o out.onnx [options]\n"
    "\n"
    "Quantization-aware training: fine-tunes a trained float32 model on its data with fake\n"
    "quantization in the forward pass (the int8 engine's recipe at these widths: weights\n"
    "symmetric narrow-range per output channel, activations signed asymmetric per tensor: the\n"
    "input and every Linear/Conv2d output after its ReLU; rounding ties-to-even; --json prints\n"
    "it as \"recipe\") and the straight-through estimator in the backward pass. Activation ranges\n"
    "start from min/max calibration on the first 2048 training images and follow an EMA observer\n"
    "(c = 0.01), or are learned with --lsq. Prints the test accuracy of the fp32 model, of\n"
    "post-training quantization (PTQ, the same calibrated parameters without training) and of\n"
    "the QAT model, all measured by the same fake-quantized evaluation. Deterministic for a seed.\n"
    "\n"
    "options:\n"
    "  --model mlp|cnn|FILE   a built-in model or an ONNX file (default mlp)\n"
    "  --bits N               weight and activation bits (default 4)\n"
    "  --weight-bits N        weight bits, 2..16 (overrides --bits)\n"
    "  --act-bits N           activation bits, 2..16 (overrides --bits)\n"
    "  --lsq                  learned step sizes (LSQ) instead of max|W| scales and EMA ranges\n"
    "  --quantize-logits      also fake-quantize the last layer's output at the activation\n"
    "                         bits (default: the logits stay float32)\n"
    "  --epochs N             passes over the training images (default 2)\n"
    "  --lr X                 Adam learning rate (default 0.0001)\n"
    "  --batch B              minibatch size (default 128)\n"
    "  --seed S               shuffling seed (default 1)\n"
    "  --limit-train N        use only the first N training images (the calibration split)\n"
    "  -o, --output FILE      where to write the ONNX model (required)\n"
    "  --qdq FILE             also write the trained model as a QDQ ONNX model for int8\n"
    "                         runtimes (--bits 8 only): int8 weights, the QAT scales and zero\n"
    "                         points (float logits are calibrated on 1000 training images)\n"
    "  --json                 machine-readable output\n"
    "\n"
    "output files:\n"
    "  FILE                   the model with every weight replaced by its fake-quantized value\n"
    "                         (exactly scale * integer code at the weight bits); biases float32\n"
    "  FILE minus .onnx, plus .qparams.json\n"
    "                         the activation ranges (scale, zero point, clipping range per\n"
    "                         tensor) and per-channel weight scales. FILE holds no ONNX\n"
    "                         QuantizeLinear / DequantizeLinear nodes, so the ranges live in\n"
    "                         this sidecar; --qdq writes a QDQ model that carries them.\n"
    "\n"
    "With --data, the calibration split trains and the evaluation split tests. Unlabelled data\n"
    "trains towards float32's top-1 classes, and every accuracy is the agreement with them.\n"
    "\n"
    "example:\n"
    "  quantlab-cli qat --model cnn --bits 4 --epochs 2 -o cnn-w4a4.onnx\n";

namespace {

std::string sidecarPath(const std::string& out) {
  const std::string ext = ".onnx";
  std::string stem = out;
  if (stem.size() > ext.size() && stem.compare(stem.size() - ext.size(), ext.size(), ext) == 0)
    stem.resize(stem.size() - ext.size());
  return stem + ".qparams.json";
}

nlohmann::json paramsJson(const quant::QatParams& p) {
  nlohmann::json j;
  j["weight_bits"] = p.recipe.weights.bits;
  j["activation_bits"] = p.recipe.activations.bits;
  j["weight_scheme"] = p.weightSpec().describe();
  j["activation_scheme"] = p.activationSpec().describe();
  j["rounding"] = "round half to even";
  j["activations"] = nlohmann::json::array();
  for (const auto& a : p.activations) {
    nlohmann::json e;
    e["tensor"] = a.tensor;
    e["quantized"] = a.enabled;
    e["scale"] = number(a.scale);
    e["zero_point"] = a.zeroPoint;
    e["range"] = {number(a.range.lo), number(a.range.hi)};
    j["activations"].push_back(e);
  }
  j["weights"] = nlohmann::json::array();
  for (const auto& w : p.weights) {
    nlohmann::json e;
    e["layer"] = w.name;
    e["scales"] = nlohmann::json::array();
    for (float s : w.scales) e["scales"].push_back(number(s));
    j["weights"].push_back(e);
  }
  return j;
}

}  // namespace

int runQat(const std::vector<std::string>& argv) {
  Args a(argv,
         withDataOptions({"model", "bits", "weight-bits", "act-bits", "epochs", "lr", "batch", "seed",
          "limit-train", "output", "o", "qdq"}),
         withDataFlags({"lsq", "quantize-logits", "json"}));
  if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
  quant::QatConfig cfg;
  const int bits = a.getInt("bits", 4);
  const int weightBits = a.getInt("weight-bits", bits);
  const int actBits = a.getInt("act-bits", bits);
  if (bits < 2 || bits > 16 || weightBits < 2 || weightBits > 16 || actBits < 2 || actBits > 16)
    throw UsageError("--bits, --weight-bits and --act-bits must be in 2..16");
  cfg.recipe = quant::QuantRecipe{}.withBits(weightBits, actBits);
  cfg.lsq = a.flag("lsq");
  cfg.quantizeLogits = a.flag("quantize-logits");
  cfg.epochs = a.getInt("epochs", 2);
  if (cfg.epochs < 0 || cfg.epochs > 10000) throw UsageError("--epochs must be in 0..10000");
  cfg.batch = a.getInt("batch", 128);
  if (cfg.batch < 1 || cfg.batch > 60000) throw UsageError("--batch must be in 1..60000");
  cfg.lr = a.getDouble("lr", 1e-4);
  if (!(cfg.lr > 0 && cfg.lr < 100)) throw UsageError("--lr must be in (0, 100)");
  const long long seed = a.getInt64("seed", 1);
  if (seed < 0) throw UsageError("--seed must be >= 0");
  cfg.seed = static_cast<std::uint64_t>(seed);
  const long long limit = a.getInt64("limit-train", 0);
  if (a.has("limit-train") && limit < 1) throw UsageError("--limit-train must be >= 1");
  const std::string out = a.get("output", a.get("o", ""));
  if (out.empty()) throw UsageError("missing -o FILE (where to write the ONNX model)");
  const std::string qdqOut = a.get("qdq", "");
  if (a.get("qdq") && qdqOut.empty()) throw UsageError("--qdq needs a file name");
  if (!qdqOut.empty() && (weightBits != 8 || actBits != 8))
    throw UsageError("--qdq needs 8-bit weights and activations (the int8 engine's W8A8)");
  const std::string modelArg = a.get("model", "mlp");
  const bool json = a.flag("json");

  const std::string modelPath = quant::resolveModelPath(modelArg);
  const quant::Model fp32 = quant::loadOnnxModel(modelPath);
  const CommandData data = loadCommandData(
      a, fp32, modelPath, limit > 0 ? limit : std::numeric_limits<std::int64_t>::max(), 0);
  const quant::Dataset& trainSet = data.calibration;
  const quant::Dataset& testSet = data.evaluation;

  const auto t0 = std::chrono::steady_clock::now();
  const double fp32Accuracy = quant::accuracy(fp32, testSet);
  const std::size_t perEpoch = (trainSet.labels.size() + static_cast<std::size_t>(cfg.batch) - 1) /
                               static_cast<std::size_t>(cfg.batch);
  cfg.progress = [&](int epoch, int batch, double loss) {
    // Live progress goes to stderr so stdout stays the table (or the JSON document).
    if (batch % 50 == 0 || static_cast<std::size_t>(batch) + 1 == perEpoch)
      std::fprintf(stderr, "epoch %d/%d  batch %d/%zu  loss %.4f\n", epoch + 1, cfg.epochs,
                   batch + 1, perEpoch, loss);
    return true;
  };
  const quant::QatResult r = quant::qat(fp32, trainSet, testSet, cfg);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double qatAccuracy = r.testAccuracy.empty() ? r.ptqAccuracy : r.testAccuracy.back();

  quant::saveOnnxModel(r.quantizedModel, out);
  if (!qdqOut.empty()) {
    const std::int64_t n = std::min<std::int64_t>(1000, std::int64_t(trainSet.labels.size()));
    quant::saveQdqOnnx(quant::qatInt8Model(r, quant::sampleBatch(fp32, trainSet.images, 0, n)),
                       qdqOut);
  }
  const std::string side = sidecarPath(out);
  {
    nlohmann::json sj = paramsJson(r.params);
    sj["model"] = out;
    std::ofstream f(side, std::ios::binary);
    f << sj.dump(2) << "\n";
    if (!f) throw quant::Error(side + ": cannot write the quantization parameters");
  }

  if (json) {
    nlohmann::json j;
    j["model"] = modelArg;
    j["weight_bits"] = weightBits;
    j["activation_bits"] = actBits;
    j["recipe"] = recipeObject(cfg.recipe);
    j["lsq"] = cfg.lsq;
    j["quantize_logits"] = cfg.quantizeLogits;
    j["epochs"] = cfg.epochs;
    j["batch"] = cfg.batch;
    j["lr"] = number(cfg.lr);
    j["seed"] = seed;
    j["train_images"] = trainSet.labels.size();
    j["test_images"] = testSet.labels.size();
    if (a.has("data")) j["data"] = dataJson(data);
    j["fp32_accuracy"] = number(fp32Accuracy);
    j["ptq_accuracy"] = number(r.ptqAccuracy);
    j["qat_accuracy"] = number(qatAccuracy);
    j["epoch_loss"] = nlohmann::json::array();
    j["epoch_accuracy"] = nlohmann::json::array();
    for (double v : r.epochLoss) j["epoch_loss"].push_back(number(v));
    for (double v : r.testAccuracy) j["epoch_accuracy"].push_back(number(v));
    j["seconds"] = number(seconds);
    j["output"] = out;
    j["qparams"] = side;
    if (!qdqOut.empty()) j["qdq_output"] = qdqOut;
    j["params"] = paramsJson(r.params);
    printJson(j);
  } else {
    if (a.has("data"))
      std::printf("data: %s; training %s, test %s%s\n", data.describe.c_str(),
                  data.calibrationSplit.c_str(), data.evaluationSplit.c_str(),
                  data.labelled ? "" : "; unlabelled: accuracy = top-1 agreement with fp32");
    std::printf("epoch  loss      test accuracy (W%dA%d fake-quantized)\n", weightBits, actBits);
    for (std::size_t e = 0; e < r.epochLoss.size(); ++e)
      std::printf("%5zu  %.6f  %.4f\n", e + 1, r.epochLoss[e],
                  e < r.testAccuracy.size() ? r.testAccuracy[e] : 0.0);
    std::printf("\n%-22s %s\n", "", "test accuracy");
    std::printf("%-22s %.4f\n", "fp32", fp32Accuracy);
    // snprintf rather than string concatenation: GCC 12 warns falsely (-Wrestrict) on
    // "literal" + std::to_string(...).
    char ptqLabel[64], qatLabel[64];
    std::snprintf(ptqLabel, sizeof ptqLabel, "PTQ W%dA%d (min/max)", weightBits, actBits);
    std::snprintf(qatLabel, sizeof qatLabel, "QAT W%dA%d (%s)", weightBits, actBits,
                  cfg.lsq ? "LSQ" : "STE");
    std::printf("%-22s %.4f\n", ptqLabel, r.ptqAccuracy);
    std::printf("%-22s %.4f\n", qatLabel, qatAccuracy);
    std::printf("recipe: %s\n", cfg.recipe.describe().c_str());
    std::printf("\n%zu training images, %.1f s; wrote %s and %s\n", trainSet.labels.size(), seconds,
                out.c_str(), side.c_str());
    if (!qdqOut.empty()) std::printf("wrote the int8 model as QDQ ONNX to %s\n", qdqOut.c_str());
  }
  return 0;
}

}  // namespace cli
