// SPDX-License-Identifier: GPL-3.0-or-later
// The data options of the model commands; see data.h.
#include "data.h"

#include <filesystem>

#include "quant/nn/evaluate.h"
#include "quant/nn/sensitivity.h"

namespace cli {

const char* const kDataOptionsHelp =
    "data (default: Fashion-MNIST from /usr/share/datasets/fashion-mnist, for models whose\n"
    "input has 784 values):\n"
    "  --data PATH            FILE.npz (x, optional integer labels y), FILE.npy (inputs only),\n"
    "                         an IDX images file (labels found beside it), an MNIST-style\n"
    "                         directory, or a folder with one sub-folder of PNG/JPEG per class\n"
    "  --labels FILE          labels of a .npy or IDX images file (.npy or IDX)\n"
    "  --fit F                images of another size: exact (default) | stretch | crop\n"
    "  --scale S              divide inputs by 1/S first, e.g. 1/255 (default: 1/255 for 8-bit\n"
    "                         data, 1 otherwise)\n"
    "  --mean M1,M2,...       per-channel mean subtracted after scaling (one value, or one per\n"
    "                         channel)\n"
    "  --std S1,S2,...        per-channel standard deviation divided by after the mean\n"
    "  --norm FILE.json       scale/mean/std from a JSON file (default: MODEL.normalization.json\n"
    "                         beside the model when it exists; flags override it)\n"
    "  --calib-split A:B      samples A..B-1 calibrate (and train, for qat); also A:, :B, N\n"
    "  --eval-split A:B       samples A..B-1 evaluate. Without split flags the first quarter\n"
    "                         (at most the calibration count) calibrates and the rest evaluates;\n"
    "                         an MNIST-style directory calibrates on its training split\n"
    "  --allow-overlap        let the two splits overlap (refused otherwise)\n"
    "Without labels, accuracy is replaced by top-1 agreement with float32 (labels become\n"
    "float32's predictions) and the output SQNR against float32.\n";

std::set<std::string> withDataOptions(std::set<std::string> valued) {
  valued.insert(
      {"data", "labels", "fit", "scale", "mean", "std", "norm", "calib-split", "eval-split"});
  return valued;
}

std::set<std::string> withDataFlags(std::set<std::string> flags) {
  flags.insert("allow-overlap");
  return flags;
}

namespace {

template <typename F>
auto usage(const char* flag, F&& f) {
  try {
    return f();
  } catch (const quant::Error& e) {
    throw UsageError(std::string(flag) + ": " + e.what());
  }
}

quant::Normalization normFromArgs(const Args& a, const std::string& modelPath, std::string* from) {
  quant::Normalization n;
  if (const auto file = a.get("norm")) {
    n = quant::loadNormalizationFile(*file);
    *from = *file;
  } else if (const std::string beside = quant::normalizationPathFor(modelPath);
             std::filesystem::is_regular_file(beside)) {
    n = quant::loadNormalizationFile(beside);
    *from = beside;
  }
  bool flags = false;
  if (const auto s = a.get("scale")) {
    n.divisor = usage("--scale", [&] { return quant::parseScaleDivisor(*s); });
    flags = true;
  }
  if (const auto m = a.get("mean")) {
    n.mean = usage("--mean", [&] { return quant::parseFloatList(*m); });
    flags = true;
  }
  if (const auto s = a.get("std")) {
    n.std = usage("--std", [&] { return quant::parseFloatList(*s); });
    for (float v : n.std)
      if (!(v > 0)) throw UsageError("--std values must be positive");
    flags = true;
  }
  if (flags) *from = from->empty() ? "flags" : *from + " and flags";
  return n;
}

quant::Dataset firstOf(const quant::Dataset& d, std::int64_t limit) {
  if (limit <= 0) return d;
  return quant::sliceDataset(d, 0, limit);
}

}  // namespace

CommandData loadCommandData(const Args& a, const quant::Model& model, const std::string& modelPath,
                            std::int64_t calibCount, std::int64_t evalLimit,
                            std::int64_t validationCount) {
  CommandData d;
  quant::DataOptions o;
  o.inputShape = model.inputShape;
  o.classes = quant::checkedNumel(model.outputShape());
  o.fit = usage("--fit", [&] { return quant::parseImageFit(a.get("fit", "exact")); });
  o.labelsPath = a.get("labels", "");
  o.norm = normFromArgs(a, modelPath, &d.normSource);
  d.norm = o.norm;
  const auto calibFlag = a.get("calib-split");
  const auto evalFlag = a.get("eval-split");
  const bool overlap = a.flag("allow-overlap");

  std::string path = a.get("data", "");
  if (path.empty()) {
    if (quant::checkedNumel(model.inputShape) != 784) {
      throw quant::Error(modelPath + ": the input " +
                         quant::Tensor{"", "float32", model.inputShape, {}}.shapeString() +
                         " is not Fashion-MNIST's 28 x 28: give its data with --data");
    }
    path = quant::kFashionMnistDir;
    // The install hint when the package is missing.
    if (!std::filesystem::is_directory(path)) quant::loadFashionMnist(path);
  }
  quant::UserData u = quant::loadUserData(path, o);
  d.labelled = u.labelled;
  if (!u.labelled) quant::labelWithPredictions(model, u.samples);
  d.describe = u.describe();
  if (u.format == "mnist-directory") {
    // Two files, two splits: they cannot overlap.
    const auto nTrain = static_cast<std::int64_t>(u.train.labels.size());
    const auto nTest = static_cast<std::int64_t>(u.samples.labels.size());
    const quant::SampleRange c =
        calibFlag
            ? usage("--calib-split", [&] { return quant::parseSampleRange(*calibFlag, nTrain); })
            : quant::SampleRange{0, std::min(calibCount, nTrain)};
    const quant::SampleRange e =
        evalFlag ? usage("--eval-split", [&] { return quant::parseSampleRange(*evalFlag, nTest); })
                 : quant::SampleRange{0, nTest};
    d.calibration = quant::sliceDataset(u.train, c.first, c.count);
    if (validationCount > 0) d.validation = quant::sliceDataset(u.train, c.end(), validationCount);
    d.evaluation = firstOf(quant::sliceDataset(u.samples, e.first, e.count), evalLimit);
    d.calibrationSplit = "train " + quant::sampleRangeText(c);
    d.evaluationSplit =
        "test " +
        quant::sampleRangeText({e.first, static_cast<std::int64_t>(d.evaluation.labels.size())});
    if (a.get("data", "").empty()) d.describe = "Fashion-MNIST";
    return d;
  }
  const auto n = static_cast<std::int64_t>(u.samples.labels.size());
  const quant::DataSplits s = usage("--calib-split/--eval-split", [&] {
    return quant::chooseSplits(n, calibFlag, evalFlag, calibCount, overlap);
  });
  d.calibration = quant::sliceDataset(u.samples, s.calibration.first, s.calibration.count);
  if (validationCount > 0) d.validation = quant::sliceDataset(d.calibration, 0, validationCount);
  d.evaluation =
      firstOf(quant::sliceDataset(u.samples, s.evaluation.first, s.evaluation.count), evalLimit);
  d.calibrationSplit = quant::sampleRangeText(s.calibration);
  d.evaluationSplit = quant::sampleRangeText(
      {s.evaluation.first, static_cast<std::int64_t>(d.evaluation.labels.size())});
  return d;
}

nlohmann::json dataJson(const CommandData& d) {
  nlohmann::json j;
  j["source"] = d.describe;
  j["labelled"] = d.labelled;
  j["calibration_split"] = d.calibrationSplit;
  j["evaluation_split"] = d.evaluationSplit;
  j["normalization"] = d.norm.describe();
  if (!d.normSource.empty()) j["normalization_from"] = d.normSource;
  return j;
}

}  // namespace cli
