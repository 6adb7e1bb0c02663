// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli sensitivity / mixed: which layers of a model suffer from quantization, and which
// ones to keep at a higher precision for a given accuracy budget (quant/nn/sensitivity.h).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "common.h"
#include "data.h"
#include "quant/base/resources.h"
#include "quant/io/dataset.h"
#include "quant/nn/model.h"
#include "quant/nn/sensitivity.h"
#include "quant/numeric/calibrate.h"

namespace cli {

const char* const kSensitivityHelp =
    "usage: quantlab-cli sensitivity --model mlp|cnn|FILE.onnx [options]\n"
    "\n"
    "Simulates quantization of every Linear/Conv2d layer of a model on its data with the\n"
    "int8 engine's recipe at --bits (weights symmetric narrow-range per output channel,\n"
    "activations signed asymmetric per tensor after a fused ReLU, ties-to-even rounding; --json\n"
    "prints it as \"recipe\") and ranks the layers by the damage they do:\n"
    "  only this layer    quantized alone: test accuracy, top-1 agreement with fp32 and output\n"
    "                     SQNR (its error propagated to the output)\n"
    "  all but this layer every other layer quantized: how much keeping it fp32 recovers\n"
    "  logger SQNR        its output in the fully quantized network vs fp32 (errors of the\n"
    "                     layers before it carried forward)\n"
    "  isolated SQNR      the layer fed the fp32 input, its quantized output vs fp32\n"
    "\n"
    "options:\n"
    "  --model M            mlp, cnn (the shipped models) or an ONNX file (default mlp)\n"
    "  --bits N             width of weights and activations, 2..16 (default 8)\n"
    "  --mode M             propagated, isolated or both: the damage measure that ranks the\n"
    "                       layers and the columns shown (default both, ranked as propagated)\n"
    "  --sweep              also sweep 2..8 bits per layer, weights only and activations only\n"
    "  --calib C            activation calibration: minmax, percentile:P, mse, entropy, ...\n"
    "                       (default minmax)\n"
    "  --calib-images N     samples used for calibration (default 500)\n"
    "  --limit N            evaluation samples (default all)\n"
    "  --json               machine-readable output\n"
    "Unlabelled data: \"acc\" is the top-1 agreement with fp32.\n"
    "\n"
    "example:\n"
    "  quantlab-cli sensitivity --model mlp --bits 4 --sweep\n";

const char* const kMixedHelp =
    "usage: quantlab-cli mixed --model mlp|cnn|FILE.onnx --budget PP [options]\n"
    "\n"
    "Proposes a mixed-precision plan: every Linear/Conv2d layer starts at --bits (weights and\n"
    "activations); while the accuracy drop against fp32 exceeds the budget, the layer whose\n"
    "promotion to --high helps most is kept high (greedy). The search uses validation images from\n"
    "the training split (never the test set); the proposal is then verified on the test set.\n"
    "\n"
    "options:\n"
    "  --model M            mlp, cnn (the shipped models) or an ONNX file (default mlp)\n"
    "  --budget PP          allowed accuracy drop in percentage points (required)\n"
    "  --bits N             base width, 2..15 (default 8)\n"
    "  --high P             int16 or fp32: precision of the layers kept high (default fp32)\n"
    "  --calib C            activation calibration: minmax, percentile:P, mse, entropy, ...\n"
    "                       (default minmax)\n"
    "  --calib-images N     samples used for calibration (default 500)\n"
    "  --val-images N       training images (after the calibration ones) for the search\n"
    "                       (default 5000); with a single --data set, the first N samples of\n"
    "                       its calibration split\n"
    "  --limit N            evaluation samples for the verification (default all)\n"
    "  --json               machine-readable output\n"
    "\n"
    "example:\n"
    "  quantlab-cli mixed --model mlp --bits 4 --budget 1.0\n";

namespace {

struct Common {
  std::string modelArg, modelPath;
  quant::Model model;
  quant::CalibrationConfig calib;
  quant::QuantRecipe recipe;  // the widths are each command's
  long long calibImages = 500;
  long long limit = 0;
  bool json = false;
};

Common commonFromArgs(const Args& a) {
  if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
  Common c;
  c.json = a.flag("json");
  c.modelArg = a.get("model", "mlp");
  try {
    c.calib = quant::parseCalibration(a.get("calib", "minmax"));
  } catch (const quant::Error& e) {
    throw UsageError(std::string("--calib: ") + e.what());
  }
  c.recipe.activations.calibration = c.calib;
  c.calibImages = a.getInt64("calib-images", 500);
  if (c.calibImages < 1 || c.calibImages > 30000)
    throw UsageError("--calib-images must be in 1..30000");
  c.limit = a.getInt64("limit", 0);
  if (a.has("limit") && c.limit < 1) throw UsageError("--limit must be >= 1");
  c.modelPath = quant::resolveModelPath(c.modelArg);
  c.model = quant::loadOnnxModel(c.modelPath);
  return c;
}

int bitsFromArgs(const Args& a, int fallback, int hi) {
  const int b = a.getInt("bits", fallback);
  if (b < 2 || b > hi) throw UsageError("--bits must be in 2.." + std::to_string(hi));
  return b;
}

// Progress lines on stderr in 10 % steps (stdout stays the table or the JSON document).
quant::ProgressFn progressPrinter(const char* what, bool quiet) {
  if (quiet) return {};
  auto next = std::make_shared<int>(10);
  return [what, next](double f) {
    while (f * 100.0 + 1e-9 >= *next && *next <= 100) {
      std::fprintf(stderr, "%s: %d%%\n", what, *next);
      *next += 10;
    }
    return true;
  };
}

nlohmann::json planResultJson(const quant::PlanResult& r, double fp32Accuracy) {
  nlohmann::json j;
  j["accuracy"] = number(r.accuracy);
  j["accuracy_drop_pp"] = number((fp32Accuracy - r.accuracy) * 100.0);
  j["agreement"] = number(r.agreement);
  j["output_sqnr_db"] = number(r.outputSqnrDb);
  j["size_bytes"] = r.sizeBytes;
  return j;
}

std::string db(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string planText(const quant::FakeQuantModel& fq, const quant::PrecisionPlan& plan) {
  std::string s;
  for (std::size_t k = 0; k < plan.size(); ++k) {
    if (k) s += ", ";
    s += fq.layers()[k].name + " " + quant::precisionName(plan[k].weightBits);
  }
  return s;
}

}  // namespace

int runSensitivity(const std::vector<std::string>& argv) {
  Args a(argv, withDataOptions({"model", "bits", "mode", "calib", "calib-images", "limit"}),
         withDataFlags({"sweep", "json"}));
  const int bits = bitsFromArgs(a, 8, 16);
  const std::string modeText = a.get("mode", "both");
  quant::SensitivityMode mode;
  if (modeText == "propagated") {
    mode = quant::SensitivityMode::Propagated;
  } else if (modeText == "isolated") {
    mode = quant::SensitivityMode::Isolated;
  } else if (modeText == "both") {
    mode = quant::SensitivityMode::Both;
  } else {
    throw UsageError("--mode must be propagated, isolated or both");
  }
  const bool sweep = a.flag("sweep");
  const Common c = commonFromArgs(a);

  const auto t0 = std::chrono::steady_clock::now();
  const CommandData data = loadCommandData(a, c.model, c.modelPath, c.calibImages, c.limit);
  const quant::Dataset& test = data.evaluation;
  const quant::Dataset& calibSet = data.calibration;
  std::vector<int> actBits{bits};
  if (sweep)
    for (int b = 2; b <= 8; ++b) actBits.push_back(b);
  const quant::FakeQuantModel fq(c.model, calibSet.images, c.recipe, actBits);
  quant::SensitivityOptions so;
  so.bits = bits;
  so.sweep = sweep;
  const quant::SensitivityReport rep =
      quant::analyzeSensitivity(fq, test, so, progressPrinter("sensitivity", c.json));
  if (rep.cancelled) throw quant::Error("sensitivity: cancelled");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const auto order = quant::rankByDamage(rep, mode);
  const std::int64_t fpSize = fq.sizeBytes(fq.uniformPlan(quant::kFp32, quant::kFp32));
  const bool showProp = mode != quant::SensitivityMode::Isolated;
  const bool showIso = mode != quant::SensitivityMode::Propagated;

  if (c.json) {
    nlohmann::json j;
    j["model"] = c.modelPath;
    j["bits"] = bits;
    j["mode"] = modeText;
    j["recipe"] = recipeObject(fq.recipe().withBits(bits, bits));
    j["calibration"] = quant::calibrationName(c.calib);
    j["calibration_images"] = static_cast<long long>(calibSet.labels.size());
    j["test_images"] = static_cast<long long>(test.labels.size());
    if (a.has("data")) j["data"] = dataJson(data);
    j["fp32"] = {{"accuracy", number(rep.fp32Accuracy)}, {"size_bytes", fpSize}};
    j["all_quantized"] = planResultJson(rep.all, rep.fp32Accuracy);
    j["layers"] = nlohmann::json::array();
    for (std::size_t rank = 0; rank < order.size(); ++rank) {
      const quant::LayerSensitivity& l = rep.layers[order[rank]];
      nlohmann::json e;
      e["rank"] = rank + 1;
      e["name"] = l.layer.name;
      e["type"] = quant::layerTypeName(l.layer.type);
      e["weights"] = l.layer.weights;
      e["only_this"] = planResultJson(l.only, rep.fp32Accuracy);
      e["all_but_this"] = planResultJson(l.allBut, rep.fp32Accuracy);
      e["logger_sqnr_db"] = number(l.loggerSqnrDb);
      e["isolated_sqnr_db"] = number(l.isolatedDamageSqnrDb);
      if (sweep) {
        for (const char* key : {"weight_sweep", "activation_sweep"}) {
          const auto& pts = key[0] == 'w' ? l.weightSweep : l.activationSweep;
          nlohmann::json arr = nlohmann::json::array();
          for (const quant::SweepPoint& p : pts)
            arr.push_back({{"bits", p.bits},
                           {"accuracy", number(p.accuracy)},
                           {"agreement", number(p.agreement)},
                           {"output_sqnr_db", number(p.outputSqnrDb)},
                           {"isolated_sqnr_db", number(p.isolatedSqnrDb)}});
          e[key] = arr;
        }
      }
      j["layers"].push_back(e);
    }
    j["seconds"] = number(seconds);
    printJson(j);
    return 0;
  }

  if (a.has("data"))
    std::printf("data: %s; evaluation %s, calibration %s%s\n", data.describe.c_str(),
                data.evaluationSplit.c_str(), data.calibrationSplit.c_str(),
                data.labelled ? "" : "; unlabelled: acc = top-1 agreement with fp32");
  std::printf("model %s: %zu Linear/Conv2d layers, fp32 accuracy %.4f on %zu test images\n",
              c.modelPath.c_str(), fq.layers().size(), rep.fp32Accuracy, test.labels.size());
  std::printf("recipe %s, calibrated on %zu training images\n",
              fq.recipe().withBits(bits, bits).describe().c_str(), calibSet.labels.size());
  std::printf(
      "all layers int%d: accuracy %.4f (%+.2f pp), agreement %.4f, output SQNR %s dB, "
      "%lld bytes (fp32 %lld)\n\n",
      bits, rep.all.accuracy, (rep.all.accuracy - rep.fp32Accuracy) * 100.0, rep.all.agreement,
      db(rep.all.outputSqnrDb).c_str(), static_cast<long long>(rep.all.sizeBytes),
      static_cast<long long>(fpSize));
  std::printf("ranked by %s damage (most damaging first)\n",
              showProp ? "propagated (output SQNR with only this layer quantized)"
                       : "isolated (layer output SQNR on fp32 input)");
  // Two header lines: the experiment, then the columns (widths match the rows below).
  std::printf("%-35s", "");
  if (showProp)
    std::printf(" | %-27s | %-13s | %6s", "only this layer quantized", "all but this", "logger");
  if (showIso) std::printf(" | %8s", "isolated");
  std::printf("\n%-4s %-12s %-7s %9s", "rank", "layer", "type", "weights");
  if (showProp)
    std::printf(" | %6s %6s %6s %6s | %6s %6s | %6s", "acc", "pp", "agree", "SQNR", "acc", "pp",
                "SQNR");
  if (showIso) std::printf(" | %8s", "SQNR");
  std::printf("\n");
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const quant::LayerSensitivity& l = rep.layers[order[rank]];
    std::printf("%-4zu %-12s %-7s %9lld", rank + 1, l.layer.name.c_str(),
                quant::layerTypeName(l.layer.type), static_cast<long long>(l.layer.weights));
    if (showProp)
      std::printf(" | %6.4f %+6.2f %6.4f %6s | %6.4f %+6.2f | %6s", l.only.accuracy,
                  (l.only.accuracy - rep.fp32Accuracy) * 100.0, l.only.agreement,
                  db(l.only.outputSqnrDb).c_str(), l.allBut.accuracy,
                  (l.allBut.accuracy - rep.fp32Accuracy) * 100.0, db(l.loggerSqnrDb).c_str());
    if (showIso) std::printf(" | %8s", db(l.isolatedDamageSqnrDb).c_str());
    std::printf("\n");
  }
  std::printf("(accuracy changes in percentage points vs fp32; SQNR in dB)\n");
  if (sweep) {
    std::printf("\nbits sweep (only this layer quantized): agreement / isolated SQNR dB\n");
    for (const quant::LayerSensitivity& l : rep.layers) {
      std::printf("%-12s %-11s", l.layer.name.c_str(), "weights");
      for (const quant::SweepPoint& p : l.weightSweep)
        std::printf("  %d: %.3f/%5s", p.bits, p.agreement, db(p.isolatedSqnrDb).c_str());
      std::printf("\n%-12s %-11s", "", "activations");
      for (const quant::SweepPoint& p : l.activationSweep)
        std::printf("  %d: %.3f/%5s", p.bits, p.agreement, db(p.isolatedSqnrDb).c_str());
      std::printf("\n");
    }
  }
  std::printf("done in %.1f s\n", seconds);
  return 0;
}

int runMixed(const std::vector<std::string>& argv) {
  Args a(argv,
         withDataOptions(
             {"model", "budget", "bits", "high", "calib", "calib-images", "val-images", "limit"}),
         withDataFlags({"json"}));
  if (!a.has("budget")) throw UsageError("missing --budget PP (allowed accuracy drop)");
  const double budget = a.getDouble("budget", 1.0);
  if (!(budget >= 0 && budget <= 100)) throw UsageError("--budget must be in 0..100");
  const int bits = bitsFromArgs(a, 8, 15);
  const std::string highText = a.get("high", "fp32");
  int high;
  if (highText == "fp32") {
    high = quant::kFp32;
  } else if (highText == "int16") {
    high = 16;
  } else {
    throw UsageError("--high must be int16 or fp32");
  }
  const long long valImages = a.getInt64("val-images", 5000);
  if (valImages < 1 || valImages > 50000) throw UsageError("--val-images must be in 1..50000");
  const Common c = commonFromArgs(a);

  const auto t0 = std::chrono::steady_clock::now();
  const CommandData data =
      loadCommandData(a, c.model, c.modelPath, c.calibImages, c.limit, valImages);
  const quant::Dataset& test = data.evaluation;
  const quant::Dataset& calibSet = data.calibration;
  const quant::Dataset& valSet = data.validation;
  if (valSet.labels.empty()) throw quant::Error("mixed: no training images left for validation");
  std::vector<int> actBits{bits};
  if (high == 16) actBits.push_back(16);
  const quant::FakeQuantModel fq(c.model, calibSet.images, c.recipe, actBits);
  quant::MixedOptions mo;
  mo.bits = bits;
  mo.highBits = high;
  mo.budgetPoints = budget;
  const quant::MixedResult r =
      quant::proposeMixedPrecision(fq, valSet, test, mo, progressPrinter("mixed", c.json));
  if (r.cancelled) throw quant::Error("mixed: cancelled");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (c.json) {
    nlohmann::json j;
    j["model"] = c.modelPath;
    j["bits"] = bits;
    j["high"] = highText;
    j["budget_pp"] = number(budget);
    j["recipe"] = recipeObject(fq.recipe().withBits(bits, bits));
    j["calibration"] = quant::calibrationName(c.calib);
    j["calibration_images"] = static_cast<long long>(calibSet.labels.size());
    j["validation_images"] = static_cast<long long>(valSet.labels.size());
    j["test_images"] = static_cast<long long>(test.labels.size());
    if (a.has("data")) j["data"] = dataJson(data);
    j["layers"] = nlohmann::json::array();
    for (std::size_t k = 0; k < r.plan.size(); ++k)
      j["layers"].push_back({{"name", fq.layers()[k].name},
                             {"precision", quant::precisionName(r.plan[k].weightBits)},
                             {"high", static_cast<bool>(r.high[k])}});
    j["steps"] = nlohmann::json::array();
    for (const quant::MixedStep& s : r.steps)
      j["steps"].push_back({{"layer", fq.layers()[s.layer].name},
                            {"validation_accuracy", number(s.validationAccuracy)},
                            {"size_bytes", s.sizeBytes}});
    j["validation"] = {{"fp32_accuracy", number(r.fp32ValidationAccuracy)},
                       {"all_low", planResultJson(r.allLowValidation, r.fp32ValidationAccuracy)},
                       {"proposal", planResultJson(r.proposalValidation, r.fp32ValidationAccuracy)},
                       {"budget_met", r.budgetMetValidation}};
    j["test"] = {{"fp32_accuracy", number(r.fp32TestAccuracy)},
                 {"fp32_size_bytes", r.fp32SizeBytes},
                 {"all_low", planResultJson(r.allLowTest, r.fp32TestAccuracy)},
                 {"proposal", planResultJson(r.proposalTest, r.fp32TestAccuracy)},
                 {"budget_met", r.budgetMetTest}};
    j["seconds"] = number(seconds);
    printJson(j);
    return 0;
  }
  if (a.has("data"))
    std::printf("data: %s%s\n", data.describe.c_str(),
                data.labelled ? "" : "; unlabelled: accuracy = top-1 agreement with fp32");
  std::printf(
      "model %s, base int%d, high %s, budget %.2f pp; search on %zu training images,\n"
      "verification on %zu test images (%s calibration on %zu training images)\n\n",
      c.modelPath.c_str(), bits, highText.c_str(), budget, valSet.labels.size(), test.labels.size(),
      quant::calibrationName(c.calib).c_str(), calibSet.labels.size());
  std::printf("validation: fp32 %.4f, all int%d %.4f (%+.2f pp)\n", r.fp32ValidationAccuracy, bits,
              r.allLowValidation.accuracy,
              (r.allLowValidation.accuracy - r.fp32ValidationAccuracy) * 100.0);
  for (const quant::MixedStep& s : r.steps)
    std::printf("  keep %-12s %s: %.4f (%+.2f pp), %lld bytes\n", fq.layers()[s.layer].name.c_str(),
                highText.c_str(), s.validationAccuracy,
                (s.validationAccuracy - r.fp32ValidationAccuracy) * 100.0,
                static_cast<long long>(s.sizeBytes));
  std::printf("proposal: %s\n", planText(fq, r.plan).c_str());
  std::printf("budget on validation: %s\n\n", r.budgetMetValidation ? "met" : "NOT met");
  std::printf("%-22s %9s %8s %9s %8s %12s\n", "test set", "accuracy", "drop pp", "agreement",
              "SQNR dB", "size bytes");
  std::printf("%-22s %9.4f %8.2f %9s %8s %12lld\n", "fp32", r.fp32TestAccuracy, 0.0, "1.0000",
              "inf", static_cast<long long>(r.fp32SizeBytes));
  const std::string lowName = "all int" + std::to_string(bits);
  for (const auto& [name, pr] :
       {std::pair<std::string, const quant::PlanResult*>{lowName, &r.allLowTest},
        {"proposal", &r.proposalTest}})
    std::printf("%-22s %9.4f %8.2f %9.4f %8s %12lld\n", name.c_str(), pr->accuracy,
                (r.fp32TestAccuracy - pr->accuracy) * 100.0, pr->agreement,
                db(pr->outputSqnrDb).c_str(), static_cast<long long>(pr->sizeBytes));
  std::printf(
      "budget on test: %s; proposal is %.1f%% of the fp32 size; done in %.1f s\n",
      r.budgetMetTest ? "met" : "NOT met",
      100.0 * static_cast<double>(r.proposalTest.sizeBytes) / static_cast<double>(r.fp32SizeBytes),
      seconds);
  return 0;
}

}  // namespace cli
