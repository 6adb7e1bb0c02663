// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli train: trains the built-in MLP or CNN on Fashion-MNIST and writes it as ONNX.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "args.h"
#include "quant/io/dataset.h"
#include "quant/nn/model.h"
#include "quant/nn/train.h"

namespace cli {

const char* const kTrainHelp =
    "usage: quantlab-cli train --model mlp|cnn -o model.onnx [options]\n"
    "\n"
    "Trains a float32 classifier on Fashion-MNIST with minibatch backpropagation (deterministic\n"
    "for a given seed) and writes it as ONNX. Prints the loss and test accuracy of every epoch.\n"
    "\n"
    "options:\n"
    "  --model mlp|cnn        mlp: 784-256-128-10 with ReLU (default); cnn: two 3x3 conv +\n"
    "                         ReLU + 2x2 max-pool stages (32, 64 channels), then 128 and 10\n"
    "  --epochs N             passes over the 60000 training images (default 10)\n"
    "  --batch B              minibatch size (default 128)\n"
    "  --lr X                 learning rate (default 0.001 for adam, 0.05 for sgd)\n"
    "  --lr-decay X           multiply the learning rate by X after every epoch (default 1)\n"
    "  --optimizer adam|sgd   Adam, or SGD with momentum 0.9 (default adam)\n"
    "  --seed S               initialisation and shuffling seed (default 1)\n"
    "  --data DIR             Fashion-MNIST directory (default /usr/share/datasets/fashion-mnist)\n"
    "  -o, --output FILE      where to write the ONNX model (required)\n"
    "  --json                 machine-readable output\n"
    "\n"
    "example:\n"
    "  quantlab-cli train --model mlp --epochs 15 -o mlp.onnx\n";

int runTrain(const std::vector<std::string>& argv) {
  Args a(argv,
         {"model", "epochs", "batch", "lr", "lr-decay", "optimizer", "seed", "data", "output", "o"},
         {"json"});
  if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
  quant::TrainConfig cfg;
  cfg.model = a.get("model", "mlp");
  if (cfg.model != "mlp" && cfg.model != "cnn") throw UsageError("--model must be mlp or cnn");
  const std::string opt = a.get("optimizer", "adam");
  if (opt == "adam") {
    cfg.optimizer = quant::Optimizer::Adam;
  } else if (opt == "sgd") {
    cfg.optimizer = quant::Optimizer::Sgd;
  } else {
    throw UsageError("--optimizer must be adam or sgd");
  }
  cfg.epochs = a.getInt("epochs", 10);
  if (cfg.epochs < 1 || cfg.epochs > 10000) throw UsageError("--epochs must be in 1..10000");
  cfg.batch = a.getInt("batch", 128);
  if (cfg.batch < 1 || cfg.batch > 60000) throw UsageError("--batch must be in 1..60000");
  cfg.lr = a.getDouble("lr", cfg.optimizer == quant::Optimizer::Adam ? 1e-3 : 0.05);
  if (!(cfg.lr > 0 && cfg.lr < 100)) throw UsageError("--lr must be in (0, 100)");
  cfg.lrDecay = a.getDouble("lr-decay", 1.0);
  if (!(cfg.lrDecay > 0 && cfg.lrDecay <= 10)) throw UsageError("--lr-decay must be in (0, 10]");
  const long long seed = a.getInt64("seed", 1);
  if (seed < 0) throw UsageError("--seed must be >= 0");
  cfg.seed = static_cast<std::uint64_t>(seed);
  std::string out = a.get("output", a.get("o", ""));
  if (out.empty()) throw UsageError("missing -o FILE (where to write the ONNX model)");
  const std::string dir = a.get("data", quant::kFashionMnistDir);
  const bool json = a.flag("json");

  const quant::Dataset trainSet = quant::loadFashionMnist(dir, quant::Split::Train);
  const quant::Dataset testSet = quant::loadFashionMnist(dir, quant::Split::Test);
  const auto t0 = std::chrono::steady_clock::now();
  quant::TrainResult r;
  // Live progress goes to stderr so stdout stays the table (or the JSON document).
  cfg.progress = [&](int epoch, int batch, double) {
    if (!json && batch == 0) std::fprintf(stderr, "epoch %d/%d ...\n", epoch + 1, cfg.epochs);
    return true;
  };
  r = quant::train(cfg, trainSet, testSet);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  quant::saveOnnxModel(r.model, out);
  if (json) {
    nlohmann::json j;
    j["model"] = cfg.model;
    j["optimizer"] = opt;
    j["epochs"] = cfg.epochs;
    j["batch"] = cfg.batch;
    j["lr"] = number(cfg.lr);
    j["lr_decay"] = number(cfg.lrDecay);
    j["seed"] = seed;
    j["epoch_loss"] = nlohmann::json::array();
    j["test_accuracy"] = nlohmann::json::array();
    for (double v : r.epochLoss) j["epoch_loss"].push_back(number(v));
    for (double v : r.testAccuracy) j["test_accuracy"].push_back(number(v));
    j["seconds"] = number(seconds);
    j["output"] = out;
    j["parameters"] = r.model.parameterCount();
    printJson(j);
  } else {
    std::printf("epoch  loss      test accuracy\n");
    for (std::size_t e = 0; e < r.epochLoss.size(); ++e)
      std::printf("%5zu  %.6f  %.4f\n", e + 1, r.epochLoss[e],
                  e < r.testAccuracy.size() ? r.testAccuracy[e] : 0.0);
    std::printf("trained in %.1f s; %lld parameters; wrote %s\n", seconds,
                static_cast<long long>(r.model.parameterCount()), out.c_str());
  }
  return 0;
}

}  // namespace cli
