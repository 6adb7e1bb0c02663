// SPDX-License-Identifier: GPL-3.0-or-later
// The data options of the model commands (eval, bench, sensitivity, mixed, qat): which data set,
// how it is fitted and normalised, and how it splits into calibration and evaluation samples.
// Loading, fitting, normalisation and splits are core's (quant/io/userdata.h); this file only
// reads the flags and says what was chosen.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "args.h"
#include "quant/io/userdata.h"
#include "quant/nn/model.h"

namespace cli {

// The option lines of --help, and the option names for Args.
extern const char* const kDataOptionsHelp;
std::set<std::string> withDataOptions(std::set<std::string> valued);
std::set<std::string> withDataFlags(std::set<std::string> flags);

struct CommandData {
  std::string describe;        // the source, e.g. "Fashion-MNIST test images" or UserData::describe
  bool labelled = true;        // false: labels are float32's top-1 (accuracy = agreement)
  quant::Dataset calibration;  // calibration (and QAT training) samples
  quant::Dataset evaluation;   // evaluation samples
  // mixed's search set: an MNIST-style directory's training samples after the calibration ones;
  // a single data set's calibration split (the evaluation split stays unseen by the search)
  quant::Dataset validation;
  std::string calibrationSplit, evaluationSplit;  // "train 0:1000", "12:100" ...
  quant::Normalization norm;
  std::string normSource;  // "", "--mean/--std/--scale", or the JSON file's path
};

// Loads the data of --data (default: Fashion-MNIST) for `model`: `calibCount` samples calibrate
// by default, at most `evalLimit` evaluate (0 = all), `validationCount` fill `validation`. Throws
// UsageError for bad flags and quant::Error for bad data.
CommandData loadCommandData(const Args& a, const quant::Model& model, const std::string& modelPath,
                            std::int64_t calibCount, std::int64_t evalLimit,
                            std::int64_t validationCount = 0);

// "data" object of --json: source, labelled, splits, normalisation.
nlohmann::json dataJson(const CommandData& d);

}  // namespace cli
