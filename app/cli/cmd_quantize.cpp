// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli quantize / inspect: uniform quantization of values or a tensor file.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>

#include "args.h"
#include "common.h"
#include "quant/io/tensorio.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/quantize.h"

namespace cli {

const char* const kQuantizeHelp =
    "usage: quantlab-cli quantize (--values V1,V2,... | FILE[:NAME]) [options]\n"
    "\n"
    "Quantizes the values with  q = clamp(round_half_even(x / scale) + zero_point, qmin, qmax)\n"
    "and reports the parameters, the codes (small inputs) and the error of the reconstruction.\n"
    "\n"
    "options:\n"
    "  --bits N               integer width, 2..16 (default 8)\n"
    "  --signed | --unsigned  integer type (default signed)\n"
    "  --scheme S             symmetric (default) | asymmetric, or a non-uniform scheme:\n"
    "                         nf4 | log2 | kmeans | block-absmax | q8_0 | q4_0\n"
    "  --block N              block size of the non-uniform block schemes (default 64; q8_0/q4_0: 32)\n"
    "  --narrow               narrow range: drop the lowest code (int8 -> [-127, 127])\n"
    "  --granularity G        tensor | channel:AXIS | group:AXIS:SIZE (default tensor)\n"
    "  --calib C              minmax (default) | moving-average | percentile:P | percentile-abs:P\n"
    "                         | mse | entropy | histogram\n"
    "  --range LO:HI          manual clipping range (replaces calibration)\n"
    "  -o, --output OUT.npy   write the dequantized (fake-quantized) tensor\n"
    "  --json                 machine-readable output\n"
    "\n"
    "examples:\n"
    "  quantlab-cli quantize --values 0.3,0.6,-0.3,-0.5,0.0,0.7,-0.8,0.2\n"
    "  quantlab-cli quantize --values 0.3,0.6,-0.3,-0.5,0.0,0.7,-0.8,0.2 --scheme asymmetric\n"
    "  quantlab-cli quantize weights.npz:conv1.weight --granularity channel:0 --json\n";

const char* const kInspectHelp =
    "usage: quantlab-cli inspect FILE[:NAME] [options]\n"
    "\n"
    "Statistics of a tensor, the clipping range every calibration method would choose, and the\n"
    "error each gives under the quantization spec; with --granularity channel:AXIS also a\n"
    "per-channel table (range, scale, SQNR).\n"
    "\n"
    "options: --bits N, --signed | --unsigned, --scheme symmetric|asymmetric, --narrow,\n"
    "         --granularity G, --json (as for quantize)\n";

namespace {

const std::set<std::string> kSpecOptions = {"bits", "scheme", "granularity", "calib", "range",
                                            "o", "output", "values", "block"};
const std::set<std::string> kSpecFlags = {"signed", "unsigned", "narrow", "json"};

}  // namespace

quant::QuantSpec specFromArgs(const Args& a) {
  quant::QuantSpec spec;
  spec.bits = a.getInt("bits", 8);
  if (a.flag("signed") && a.flag("unsigned")) throw UsageError("--signed and --unsigned conflict");
  spec.isSigned = !a.flag("unsigned");
  const std::string scheme = a.get("scheme", "symmetric");
  if (scheme == "symmetric" || scheme == "sym") {
    spec.scheme = quant::Scheme::Symmetric;
  } else if (scheme == "asymmetric" || scheme == "asym" || scheme == "affine") {
    spec.scheme = quant::Scheme::Asymmetric;
  } else {
    throw UsageError("--scheme: unknown scheme '" + scheme +
                     "' (symmetric, asymmetric, nf4, log2, kmeans, block-absmax, q8_0, q4_0)");
  }
  spec.narrowRange = a.flag("narrow");
  if (auto g = a.get("granularity")) quant::parseGranularity(*g, spec);
  spec.validate();
  return spec;
}

std::optional<quant::Range> rangeFromArgs(const Args& a) {
  auto text = a.get("range");
  if (!text) return std::nullopt;
  // Split at the ':' that is not a leading sign of the second number: "LO:HI".
  auto colon = text->find(':', 1);
  if (colon == std::string::npos) throw UsageError("--range: expected LO:HI, got '" + *text + "'");
  quant::Range r;
  r.lo = static_cast<float>(parseDouble(text->substr(0, colon), "--range LO"));
  r.hi = static_cast<float>(parseDouble(text->substr(colon + 1), "--range HI"));
  if (!(r.lo <= r.hi) || !std::isfinite(r.lo) || !std::isfinite(r.hi))
    throw UsageError("--range: need finite LO <= HI, got '" + *text + "'");
  return r;
}

quant::Tensor tensorFromArgs(const Args& a) {
  if (auto values = a.get("values")) {
    if (!a.positional().empty()) throw UsageError("give either --values or a FILE, not both");
    quant::Tensor t;
    t.name = "values";
    t.data = parseFloatList(*values, "--values");
    t.shape = {static_cast<std::int64_t>(t.data.size())};
    return t;
  }
  if (a.positional().size() != 1) throw UsageError("expected --values LIST or one FILE[:NAME]");
  return quant::loadTensor(a.positional()[0]);
}

nlohmann::json fallbackJson(const quant::CalibrationFallback& f) {
  return {{"slots", f.count},
          {"of", f.totalSlots},
          {"method", "minmax"},
          {"min_values", quant::kMinStatisticalSlice},
          {"smallest_slice", f.smallestSlice},
          {"slot_indices", f.slotIndices}};
}

void printFallback(const quant::CalibrationFallback& f, const quant::CalibrationConfig& c) {
  if (f.count == 0) return;
  std::printf(
      "  warning: %lld of %lld slots hold fewer than %lld values (smallest %lld), too few "
      "for %s calibration; they use min-max\n",
      static_cast<long long>(f.count), static_cast<long long>(f.totalSlots),
      static_cast<long long>(quant::kMinStatisticalSlice), static_cast<long long>(f.smallestSlice),
      quant::calibrationName(c).c_str());
}

nlohmann::json metricsJson(const quant::ErrorMetrics& m) {
  return {{"count", m.count},
          {"non_finite", m.nonFinite},
          {"mse", number(m.mse)},
          {"rmse", number(m.rmse)},
          {"mae", number(m.mae)},
          {"max_abs", number(m.maxAbs)},
          {"sqnr_db", number(m.sqnrDb)},
          {"cosine", number(m.cosine)},
          {"normalized_l2", number(m.normalizedL2)},
          {"clipped", m.clipped},
          {"clipped_fraction", number(m.clippedFraction)},
          {"rmse_over_scale", number(m.rmseOverScale)},
          {"rmse_over_scale_ideal", quant::kIdealRmseOverScale}};
}

void printMetrics(const quant::ErrorMetrics& m) {
  std::printf("  MSE %.6g   RMSE %.6g   MAE %.6g   max |err| %.6g\n", m.mse, m.rmse, m.mae,
              m.maxAbs);
  std::printf("  SQNR %.2f dB   cosine %.6f   clipped %lld of %lld (%.4g%%)\n", m.sqnrDb,
              m.cosine, static_cast<long long>(m.clipped), static_cast<long long>(m.count),
              100.0 * m.clippedFraction);
  if (m.rmseOverScale > 0)
    std::printf("  RMSE/scale %.4f   (pure rounding noise gives 1/sqrt(12) = 0.2887)\n",
                m.rmseOverScale);
  if (m.nonFinite > 0)
    std::printf("  %lld NaN/Inf values were kept out of the range and the metrics\n",
                static_cast<long long>(m.nonFinite));
}

int runQuantize(const std::vector<std::string>& argv) {
  Args a(argv, kSpecOptions, kSpecFlags);
  const std::string scheme = a.get("scheme", "symmetric");
  if (isNonUniformScheme(scheme)) return runNonUniform(a, scheme);

  const quant::Tensor t = tensorFromArgs(a);
  const quant::QuantSpec spec = specFromArgs(a);
  const quant::CalibrationConfig calib = quant::parseCalibration(a.get("calib", "minmax"));
  quant::CalibrationFallback fallback;
  const quant::QuantParams p = quant::calibrateParams(t, spec, calib, rangeFromArgs(a), &fallback);

  std::vector<float> xhat(t.data.size());
  const quant::ErrorMetrics m = quant::fakeQuantizeMeasured(t.data, p, xhat);
  const bool small = t.data.size() <= kSmallTensor;
  std::vector<std::int32_t> q;
  if (small) q = quant::quantize(t.data, p);

  if (auto out = a.get("output", a.get("o", "")); !out.empty()) {
    quant::Tensor result = t;
    result.data = xhat;
    result.dtype = "float32";
    quant::saveNpy(out, result);
  }

  if (a.flag("json")) {
    nlohmann::json j;
    j["tensor"] = tensorJson(t);
    j["spec"] = spec.describe();
    j["bits"] = spec.bits;
    j["signed"] = spec.isSigned;
    j["scheme"] = spec.scheme == quant::Scheme::Symmetric ? "symmetric" : "asymmetric";
    j["narrow_range"] = spec.narrowRange;
    j["calibration"] = a.has("range") ? "manual" : quant::calibrationName(calib);
    j["calibration_fallback"] = fallbackJson(fallback);
    j["qmin"] = spec.qmin();
    j["qmax"] = spec.qmax();
    auto rangeJson = [](const quant::Range& r) {
      return nlohmann::json::array({number(r.lo), number(r.hi)});
    };
    if (p.scales.size() == 1) {
      j["scale"] = number(p.scales[0]);
      j["zero_point"] = p.zeroPoints[0];
      j["range"] = rangeJson(p.ranges[0]);
    } else {
      nlohmann::json s = nlohmann::json::array(), z = nlohmann::json::array(),
                     r = nlohmann::json::array();
      for (std::size_t i = 0; i < p.scales.size(); ++i) {
        s.push_back(number(p.scales[i]));
        z.push_back(p.zeroPoints[i]);
        r.push_back(rangeJson(p.ranges[i]));
      }
      j["scale"] = s;
      j["zero_point"] = z;
      j["range"] = r;
    }
    j["metrics"] = metricsJson(m);
    if (small) {
      j["q"] = q;
      nlohmann::json d = nlohmann::json::array();
      for (float v : xhat) d.push_back(number(v));
      j["dequantized"] = d;
    }
    printJson(j);
    return 0;
  }

  std::printf("%s  %s %s, %lld values\n", t.name.empty() ? "tensor" : t.name.c_str(),
              t.dtype.c_str(), t.shapeString().c_str(), static_cast<long long>(t.data.size()));
  std::printf("spec: %s, codes [%d, %d], calibration %s\n", spec.describe().c_str(), spec.qmin(),
              spec.qmax(), a.has("range") ? "manual" : quant::calibrationName(calib).c_str());
  const std::size_t shown = std::min<std::size_t>(p.scales.size(), 16);
  for (std::size_t i = 0; i < shown; ++i) {
    std::printf("  %s range [%.6g, %.6g]  scale %.9g  zero point %d\n",
                p.scales.size() == 1 ? "" : ("slot " + std::to_string(i)).c_str(),
                p.ranges[i].lo, p.ranges[i].hi, p.scales[i], p.zeroPoints[i]);
  }
  if (shown < p.scales.size())
    std::printf("  ... %zu more slots (use --json for all)\n", p.scales.size() - shown);
  printFallback(fallback, calib);
  if (small) {
    std::printf("  x      q      x_hat\n");
    for (std::size_t i = 0; i < t.data.size(); ++i)
      std::printf("  %-9.6g %6d  %.6g\n", t.data[i], q[i], xhat[i]);
  }
  printMetrics(m);
  return 0;
}

int runInspect(const std::vector<std::string>& argv) {
  Args a(argv, kSpecOptions, kSpecFlags);
  if (a.positional().size() != 1) throw UsageError("expected one FILE[:NAME]");
  const quant::Tensor t = quant::loadTensor(a.positional()[0]);
  const quant::QuantSpec spec = specFromArgs(a);
  const TensorStats st = tensorStats(t.data);

  struct Row {
    std::string method;
    quant::QuantParams params;
    quant::ErrorMetrics metrics;
    quant::CalibrationFallback fallback;
  };
  std::vector<Row> rows;
  std::vector<float> xhat(t.data.size());
  for (const char* name :
       {"minmax", "moving-average", "percentile:99.9", "percentile:99.99", "mse", "entropy",
        "histogram"}) {
    const quant::CalibrationConfig c = quant::parseCalibration(name);
    quant::CalibrationFallback fallback;
    quant::QuantParams p = quant::calibrateParams(t, spec, c, std::nullopt, &fallback);
    quant::ErrorMetrics m = quant::fakeQuantizeMeasured(t.data, p, xhat);
    rows.push_back({name, std::move(p), m, std::move(fallback)});
  }

  if (a.flag("json")) {
    nlohmann::json j;
    j["tensor"] = tensorJson(t);
    j["stats"] = statsJson(st);
    j["spec"] = spec.describe();
    j["qmin"] = spec.qmin();
    j["qmax"] = spec.qmax();
    nlohmann::json methods = nlohmann::json::array();
    for (const Row& r : rows) {
      nlohmann::json mj;
      mj["calibration"] = r.method;
      nlohmann::json s = nlohmann::json::array(), z = nlohmann::json::array(),
                     rg = nlohmann::json::array();
      for (std::size_t i = 0; i < r.params.scales.size(); ++i) {
        s.push_back(number(r.params.scales[i]));
        z.push_back(r.params.zeroPoints[i]);
        rg.push_back({number(r.params.ranges[i].lo), number(r.params.ranges[i].hi)});
      }
      mj["scale"] = s;
      mj["zero_point"] = z;
      mj["range"] = rg;
      mj["calibration_fallback"] = fallbackJson(r.fallback);
      mj["metrics"] = metricsJson(r.metrics);
      if (r.params.scales.size() > 1) {
        nlohmann::json per = nlohmann::json::array();
        for (const auto& pm : quant::metricsPerSlot(t.data, xhatFor(t, r.params), r.params))
          per.push_back(metricsJson(pm));
        mj["per_slot"] = per;
      }
      methods.push_back(mj);
    }
    j["methods"] = methods;
    printJson(j);
    return 0;
  }

  std::printf("%s  %s %s\n", a.positional()[0].c_str(), t.dtype.c_str(), t.shapeString().c_str());
  printStats(st);
  std::printf("\nspec: %s, codes [%d, %d]\n", spec.describe().c_str(), spec.qmin(), spec.qmax());
  std::printf("  %-17s %-25s %12s %10s %12s %9s\n", "calibration", "range (slot 0)", "scale",
              "SQNR dB", "MSE", "clipped");
  for (const Row& r : rows) {
    char range[64];
    std::snprintf(range, sizeof range, "[%.4g, %.4g]", r.params.ranges[0].lo,
                  r.params.ranges[0].hi);
    std::printf("  %-17s %-25s %12.6g %10.2f %12.4g %8.4f%%\n", r.method.c_str(), range,
                r.params.scales[0], r.metrics.sqnrDb, r.metrics.mse,
                100.0 * r.metrics.clippedFraction);
  }
  std::printf("  ideal %d-bit quantizer on a full-scale uniform signal: %.2f dB\n", spec.bits,
              quant::sqnrRuleOfThumbDb(spec.bits));
  for (const Row& r : rows) printFallback(r.fallback, quant::parseCalibration(r.method));

  if (spec.granularity != quant::Granularity::PerTensor) {
    const Row& r = rows.front();
    const auto per = quant::metricsPerSlot(t.data, xhatFor(t, r.params), r.params);
    std::printf("\nper-slot (min-max):\n  %-6s %-25s %12s %10s\n", "slot", "range", "scale",
                "SQNR dB");
    const std::size_t shown = std::min<std::size_t>(per.size(), 64);
    for (std::size_t i = 0; i < shown; ++i) {
      char range[64];
      std::snprintf(range, sizeof range, "[%.4g, %.4g]", r.params.ranges[i].lo,
                    r.params.ranges[i].hi);
      std::printf("  %-6zu %-25s %12.6g %10.2f\n", i, range, r.params.scales[i], per[i].sqnrDb);
    }
    if (shown < per.size()) std::printf("  ... %zu more (use --json)\n", per.size() - shown);
  }
  return 0;
}

}  // namespace cli
