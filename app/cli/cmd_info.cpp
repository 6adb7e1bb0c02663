// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli info: the layers of a model and, for a quantized ONNX file (QDQ or QOperator), the
// int8 engine's scales and zero points of every layer as read from the file (quant/nn/onnxqdq.h).
#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "args.h"
#include "common.h"
#include "quant/base/resources.h"
#include "quant/nn/onnxqdq.h"

namespace cli {

const char* const kInfoHelp =
    "usage: quantlab-cli info --model mlp|cnn|FILE.onnx [--json]\n"
    "\n"
    "Lists a model's layers: name, type, output shape (per sample), parameters and multiply-\n"
    "accumulates. For a quantized ONNX model (QDQ or QOperator, e.g. written by `eval\n"
    "--export-qdq` or onnxruntime's quantizer) it also lists the int8 model the engine runs, with\n"
    "the file's own numbers: each int8 layer's input and output scale and zero point, its weight\n"
    "scales (one per output channel, or one per tensor: their count, minimum and maximum) and the\n"
    "ReLU/Clip fused into it. Layers without their own parameters (pooling, Flatten) keep their\n"
    "input's.\n"
    "\n"
    "options:\n"
    "  --model M              mlp, cnn (the shipped models) or an ONNX file (required)\n"
    "  --json                 machine-readable output\n";

int runInfo(const std::vector<std::string>& argv) {
  Args a(argv, {"model"}, {"json"});
  if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
  const auto modelArg = a.get("model");
  if (!modelArg || modelArg->empty()) throw UsageError("missing --model mlp|cnn|FILE.onnx");
  const bool json = a.flag("json");
  std::string path;
  const quant::Model model = loadModelArg(*modelArg, &path);
  std::optional<quant::Int8Model> int8;
  if (quant::isQuantizedOnnxFile(path)) int8 = quant::loadQuantizedOnnx(path).int8;

  const auto scaleRange = [](const quant::Int8Layer& l) {
    const auto [lo, hi] = std::minmax_element(l.weightScales.begin(), l.weightScales.end());
    return std::pair<double, double>(*lo, *hi);
  };
  if (json) {
    nlohmann::json j;
    j["model"] = *modelArg;
    j["path"] = path;
    j["input_shape"] = model.inputShape;
    j["parameters"] = model.parameterCount();
    j["macs_per_sample"] = model.macsPerSample();
    j["quantized"] = int8.has_value();
    nlohmann::json layers = nlohmann::json::array();
    for (const quant::Layer& l : model.layers)
      layers.push_back({{"name", l.name},
                        {"type", quant::layerTypeName(l.type)},
                        {"output_shape", l.outShape},
                        {"parameters", l.params},
                        {"macs", l.macs}});
    j["layers"] = layers;
    if (int8) {
      nlohmann::json q = nlohmann::json::array();
      for (const quant::Int8Layer& l : int8->layers) {
        nlohmann::json e = {{"name", l.name},
                            {"type", quant::layerTypeName(l.type)},
                            {"input_scale", number(l.inScale)},
                            {"input_zero_point", l.inZero},
                            {"output_scale", number(l.outScale)},
                            {"output_zero_point", l.outZero},
                            {"fused_activation", l.fusedActivation}};
        if (!l.weightScales.empty()) {
          e["weight_scales"] = l.weightScales;
          e["weight_zero_point"] = 0;
        }
        q.push_back(e);
      }
      j["int8"] = {{"input_scale", number(int8->inputScale)},
                   {"input_zero_point", int8->inputZero},
                   {"output_scale", number(int8->outputScale)},
                   {"output_zero_point", int8->outputZero},
                   {"softmax", int8->softmax},
                   {"layers", q}};
    }
    printJson(j);
    return 0;
  }
  std::printf("model %s (%s): input %s, %lld parameters, %lld MACs per sample\n\n",
              modelArg->c_str(), path.c_str(), shapeText(model.inputShape).c_str(),
              static_cast<long long>(model.parameterCount()),
              static_cast<long long>(model.macsPerSample()));
  std::printf("%-20s %-14s %-16s %12s %14s\n", "layer", "type", "output", "parameters", "MACs");
  for (const quant::Layer& l : model.layers)
    std::printf("%-20s %-14s %-16s %12lld %14lld\n", l.name.c_str(), quant::layerTypeName(l.type),
                shapeText(l.outShape).c_str(), static_cast<long long>(l.params),
                static_cast<long long>(l.macs));
  if (!int8) return 0;
  std::printf("\nint8 model from the file: input scale %.9g zero point %d\n\n", int8->inputScale,
              int8->inputZero);
  std::printf("%-20s %-14s %14s %5s %14s %5s  %-34s %s\n", "layer", "type", "in scale", "zp",
              "out scale", "zp", "weight scales (count: min..max)", "fused");
  for (const quant::Int8Layer& l : int8->layers) {
    std::string w = "-";
    if (!l.weightScales.empty()) {
      const auto [lo, hi] = scaleRange(l);
      char buf[96];
      std::snprintf(buf, sizeof buf, "%zu: %.4g..%.4g", l.weightScales.size(), lo, hi);
      w = buf;
    }
    std::printf("%-20s %-14s %14.9g %5d %14.9g %5d  %-34s %s\n", l.name.c_str(),
                quant::layerTypeName(l.type), l.inScale, l.inZero, l.outScale, l.outZero, w.c_str(),
                l.fusedActivation.empty() ? "-" : l.fusedActivation.c_str());
  }
  if (int8->softmax) std::printf("then %s in float32\n", int8->softmaxName.c_str());
  return 0;
}

}  // namespace cli
