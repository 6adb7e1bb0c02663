// SPDX-License-Identifier: GPL-3.0-or-later
// Lesson validation: action arguments, check expressions evaluated with the engine, and the
// comparison of a translation with its English original.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <set>

#include "quant/base/resources.h"
#include "quant/base/tensor.h"
#include "quant/course/grading.h"
#include "quant/course/lesson.h"
#include "quant/kernels/fixedpoint.h"
#include "quant/kernels/int8gemm.h"
#include "quant/nn/model.h"
#include "quant/nn/train.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/formats.h"
#include "quant/numeric/generate.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/nonuniform.h"
#include "quant/numeric/quantize.h"

namespace quant {

namespace {

std::string clip(const std::string& s, std::size_t n = 40) {
  return s.size() <= n ? s : s.substr(0, n) + "...";
}

bool toInt(std::string_view s, long long& out) {
  if (s.empty()) return false;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool toDouble(std::string_view s, double& out) {
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(out);
}

double numberArg(const std::string& key, const std::string& text) {
  double v = 0;
  if (!toDouble(text, v)) throw Error(key + "=" + clip(text) + " is not a finite number");
  return v;
}

// Generator parameters stay within +-1e6 so that every generated value fits float32 comfortably
// (a lesson has no use for larger ones).
double boundedArg(const std::string& key, const std::string& text) {
  const double v = numberArg(key, text);
  if (std::fabs(v) > 1e6) throw Error(key + " must be within -1e6..1e6");
  return v;
}

long long intArg(const std::string& key, const std::string& text, long long lo, long long hi) {
  long long v = 0;
  if (!toInt(text, v)) throw Error(key + "=" + clip(text) + " is not an integer");
  if (v < lo || v > hi) {
    throw Error(key + " must be in " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " +
                std::to_string(v));
  }
  return v;
}

bool boolArg(const std::string& key, const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  throw Error(key + " must be true or false, got '" + clip(text) + "'");
}

// A float value that fits float32 (lessons load float32 tensors).
float floatArg(const std::string& what, std::string_view text) {
  double v = 0;
  if (!toDouble(text, v) || std::fabs(v) > static_cast<double>(std::numeric_limits<float>::max())) {
    throw Error(what + ": '" + clip(std::string(text)) + "' is not a finite float32 number");
  }
  return static_cast<float>(v);
}

std::vector<std::string_view> splitComma(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t c = s.find(',', start);
    out.push_back(
        s.substr(start, c == std::string_view::npos ? std::string_view::npos : c - start));
    if (c == std::string_view::npos) break;
    start = c + 1;
    if (out.size() > kLessonMaxValues) break;
  }
  return out;
}

std::vector<float> floatList(const std::string& key, const std::string& text) {
  const auto parts = splitComma(text);
  if (parts.size() > kLessonMaxValues) {
    throw Error(key + ": more than " + std::to_string(kLessonMaxValues) + " values");
  }
  std::vector<float> out;
  out.reserve(parts.size());
  for (auto p : parts) out.push_back(floatArg(key, p));
  return out;
}

std::vector<std::int64_t> intList(const std::string& key, const std::string& text, long long lo,
                                  long long hi) {
  const auto parts = splitComma(text);
  if (parts.size() > kLessonMaxValues) {
    throw Error(key + ": more than " + std::to_string(kLessonMaxValues) + " values");
  }
  std::vector<std::int64_t> out;
  for (auto p : parts) out.push_back(intArg(key, std::string(p), lo, hi));
  return out;
}

// key=value arguments; every key must be consumed (typos are errors).
class KeyValues {
 public:
  KeyValues(const std::vector<std::string>& args, std::size_t first) {
    for (std::size_t i = first; i < args.size(); ++i) {
      const auto eq = args[i].find('=');
      if (eq == std::string::npos || eq == 0) {
        throw Error("expected key=value, got '" + clip(args[i]) + "'");
      }
      const std::string key = args[i].substr(0, eq);
      if (!map_.emplace(key, args[i].substr(eq + 1)).second) {
        throw Error("duplicate argument '" + clip(key) + "'");
      }
    }
  }
  bool has(const std::string& k) const { return map_.count(k) != 0; }
  std::string take(const std::string& k) {
    auto it = map_.find(k);
    if (it == map_.end()) throw Error("missing argument " + k + "=");
    used_.insert(k);
    return it->second;
  }
  std::string take(const std::string& k, const std::string& fallback) {
    return has(k) ? take(k) : fallback;
  }
  void finish() const {
    for (const auto& [k, v] : map_) {
      if (used_.count(k) == 0) throw Error("unknown argument '" + clip(k) + "'");
    }
  }

 private:
  std::map<std::string, std::string> map_;
  std::set<std::string> used_;
};

// ------------------------------------------------------------------------------------------------
// Actions.

const std::vector<std::string>& viewNames() {
  static const std::vector<std::string> v = {"formats",     "histogram", "mapping",     "channels",
                                             "error",       "model",     "sensitivity", "bench",
                                             "predictions", "requant",   "qat"};
  return v;
}

const std::vector<std::string>& controlNames() {
  static const std::vector<std::string> v = {
      "bitsSlider",       "schemeCombo",         "signedCombo",    "narrowCheck",
      "granularityCombo", "calibrationCombo",    "percentileSpin", "rangeLowSpin",
      "rangeHighSpin",    "automaticRangeCheck", "probeEdit"};
  return v;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string joinNames(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& n : v) s += (s.empty() ? "" : " ") + n;
  return s;
}

// Layer names of the built-in models, from the same builders that made the shipped files
// (tiny widths: only the names matter).
const std::vector<std::string>& layerNames(const std::string& model) {
  static const std::map<std::string, std::vector<std::string>> names = [] {
    std::map<std::string, std::vector<std::string>> m;
    for (const auto& l : makeMlp(1, {4, 4}).layers) m["mlp"].push_back(l.name);
    for (const auto& l : makeCnn(1, {1, 1}, 2).layers) m["cnn"].push_back(l.name);
    return m;
  }();
  static const std::vector<std::string> none;
  auto it = names.find(model);
  return it == names.end() ? none : it->second;
}

QuantSpec parseSpecArgs(KeyValues& kv, int tensorRank) {
  QuantSpec spec;
  spec.bits = static_cast<int>(intArg("bits", kv.take("bits", "8"), 2, 16));
  const std::string scheme = kv.take("scheme", "symmetric");
  if (scheme == "symmetric") {
    spec.scheme = Scheme::Symmetric;
  } else if (scheme == "asymmetric") {
    spec.scheme = Scheme::Asymmetric;
  } else {
    throw Error("scheme must be symmetric or asymmetric, got '" + clip(scheme) + "'");
  }
  spec.isSigned = boolArg("signed", kv.take("signed", scheme == "symmetric" ? "true" : "false"));
  spec.narrowRange = boolArg("narrow", kv.take("narrow", "false"));
  if (kv.has("granularity")) {
    parseGranularity(kv.take("granularity"), spec);
    if (spec.granularity != Granularity::PerTensor &&
        (spec.axis < -tensorRank || spec.axis >= tensorRank)) {
      throw Error("granularity axis " + std::to_string(spec.axis) +
                  " is out of range for the loaded tensor of rank " + std::to_string(tensorRank));
    }
    if (spec.granularity == Granularity::PerGroup && spec.groupSize > kLessonMaxGenerated) {
      throw Error("group size too large");
    }
  }
  spec.validate();
  return spec;
}

CalibrationConfig parseLessonCalibration(const std::string& text) {
  const CalibrationConfig c = parseCalibration(text);
  const std::string name = text.substr(0, text.find(':'));
  if (name != "minmax" && name != "percentile" && name != "mse" && name != "entropy") {
    throw Error("calibration must be minmax, percentile:P, mse or entropy, got '" + clip(text) +
                "'");
  }
  if (name == "percentile") {
    if (text.find(':') == std::string::npos)
      throw Error("percentile needs :P (e.g. percentile:99.9)");
    if (!(c.percentile > 50.0 && c.percentile <= 100.0)) {
      throw Error("percentile P must be in (50, 100]");
    }
  }
  return c;
}

void validateActionImpl(const LessonAction& a, ActionContext& ctx) {
  const auto& args = a.args;
  auto exactly = [&](std::size_t n, const char* usage) {
    if (args.size() != n) throw Error(std::string("usage: ") + usage);
  };
  if (a.verb == "values") {
    exactly(1, "values v1,v2,...");
    const auto v = floatList("values", args[0]);
    if (v.empty()) throw Error("values needs at least one value");
    ctx.tensorRank = 1;
  } else if (a.verb == "generate") {
    if (args.empty()) throw Error("usage: generate DISTRIBUTION n=N seed=S [...]");
    GeneratorSpec g;
    g.distribution = parseDistribution(args[0]);
    if (args[0] != distributionName(g.distribution)) {
      throw Error("distribution must be normal, uniform, laplace, halfnormal, relu or bimodal");
    }
    KeyValues kv(args, 1);
    std::int64_t numel = -1;
    if (kv.has("shape")) {
      const std::string s = kv.take("shape");
      g.shape.clear();
      std::size_t start = 0;
      for (;;) {
        const auto x = s.find('x', start);
        const std::string part =
            s.substr(start, x == std::string::npos ? std::string::npos : x - start);
        g.shape.push_back(intArg("shape", part, 1, kLessonMaxGenerated));
        if (g.shape.size() > 4) throw Error("shape has more than 4 dimensions");
        if (x == std::string::npos) break;
        start = x + 1;
      }
      numel = 1;
      for (auto d : g.shape) {
        numel *= d;
        if (numel > kLessonMaxGenerated) {
          throw Error("shape has more than " + std::to_string(kLessonMaxGenerated) + " elements");
        }
      }
    }
    if (kv.has("n")) {
      const auto n = intArg("n", kv.take("n"), 1, kLessonMaxGenerated);
      if (numel >= 0 && n != numel) throw Error("n=" + std::to_string(n) + " does not match shape");
      numel = n;
      if (g.shape.size() <= 1) g.shape = {n};
    }
    if (numel < 0) throw Error("generate needs n=N (or shape=AxB...)");
    g.seed = static_cast<std::uint64_t>(
        intArg("seed", kv.take("seed"), 0, std::numeric_limits<long long>::max()));
    const Distribution d = g.distribution;
    auto param = [&](const char* key, double& field, bool applies) {
      if (!kv.has(key)) return;
      if (!applies) {
        throw Error(std::string(key) + "= does not apply to the " + distributionName(d) +
                    " distribution");
      }
      field = boundedArg(key, kv.take(key));
    };
    const bool gaussian = d == Distribution::Normal || d == Distribution::HalfNormal ||
                          d == Distribution::Relu || d == Distribution::Bimodal;
    param("mean", g.mean, gaussian);
    param("stddev", g.stddev, gaussian);
    param("low", g.low, d == Distribution::Uniform);
    param("high", g.high, d == Distribution::Uniform);
    param("loc", g.loc, d == Distribution::Laplace);
    param("scale", g.scale, d == Distribution::Laplace);
    param("separation", g.separation, d == Distribution::Bimodal);
    if (kv.has("outliers")) g.outlierCount = intArg("outliers", kv.take("outliers"), 0, numel);
    if (kv.has("magnitude")) g.outlierMagnitude = boundedArg("magnitude", kv.take("magnitude"));
    if (g.outlierCount > 0 && g.outlierMagnitude == 0.0) {
      throw Error("outliers=" + std::to_string(g.outlierCount) + " needs magnitude=M");
    }
    kv.finish();
    // The engine checks the distribution parameters; a small tensor with the same parameters
    // is enough for that (the size limits were checked above).
    GeneratorSpec probe = g;
    probe.shape = {std::min<std::int64_t>(numel, 64)};
    probe.outlierCount = std::min<std::int64_t>(g.outlierCount, probe.shape[0]);
    (void)generate(probe);
    ctx.tensorRank = static_cast<int>(g.shape.size());
  } else if (a.verb == "spec") {
    KeyValues kv(args, 0);
    (void)parseSpecArgs(kv, ctx.tensorRank);
    kv.finish();
  } else if (a.verb == "calibration") {
    exactly(1, "calibration minmax|percentile:P|mse|entropy");
    (void)parseLessonCalibration(args[0]);
  } else if (a.verb == "range") {
    if (args.size() == 1 && args[0] == "auto") return;
    if (args.size() != 2) throw Error("usage: range LO HI | range auto");
    const float lo = floatArg("range LO", args[0]);
    const float hi = floatArg("range HI", args[1]);
    if (!(lo < hi)) throw Error("range needs LO < HI");
  } else if (a.verb == "probe") {
    exactly(1, "probe X");
    (void)floatArg("probe", args[0]);
  } else if (a.verb == "format") {
    exactly(1, "format fp32|fp16|bf16|e4m3|e5m2");
    static const std::vector<std::string> f = {"fp32", "fp16", "bf16", "e4m3", "e5m2"};
    if (!contains(f, args[0])) throw Error("format must be one of: " + joinNames(f));
  } else if (a.verb == "view") {
    exactly(1, "view NAME");
    if (!contains(viewNames(), args[0])) {
      throw Error("unknown view '" + clip(args[0]) + "' (" + joinNames(viewNames()) + ")");
    }
  } else if (a.verb == "model") {
    exactly(1, "model mlp|cnn");
    if (!contains(builtinModelNames(), args[0])) {
      throw Error("unknown model '" + clip(args[0]) + "' (" + joinNames(builtinModelNames()) + ")");
    }
    ctx.model = args[0];
  } else if (a.verb == "layer") {
    exactly(1, "layer NAME");
    if (ctx.model.empty()) throw Error("layer before any model action");
    const auto& names = layerNames(ctx.model);
    if (!contains(names, args[0])) {
      throw Error("model " + ctx.model + " has no layer '" + clip(args[0]) + "' (" +
                  joinNames(names) + ")");
    }
  } else if (a.verb == "highlight") {
    exactly(1, "highlight NAME");
    if (!contains(controlNames(), args[0]) && !contains(viewNames(), args[0])) {
      throw Error("unknown control '" + clip(args[0]) + "' (" + joinNames(controlNames()) +
                  ", or a view name)");
    }
  } else {
    throw Error("unknown action '" + clip(a.verb) + "'");
  }
}

// ------------------------------------------------------------------------------------------------
// Checks.

struct QuantSetup {
  std::vector<float> x;
  QuantParams params;
};

QuantSetup setupQuant(KeyValues& kv) {
  QuantSetup s;
  s.x = floatList("values", kv.take("values"));
  if (s.x.empty()) throw Error("values= is empty");
  const QuantSpec spec = parseSpecArgs(kv, 1);
  const CalibrationConfig cal = parseLessonCalibration(kv.take("calib", "minmax"));
  std::optional<Range> manual;
  if (kv.has("range")) {
    const auto r = floatList("range", kv.take("range"));
    if (r.size() != 2 || !(r[0] < r[1])) throw Error("range=LO,HI needs LO < HI");
    manual = Range{r[0], r[1]};
  }
  Tensor t;
  t.shape = {static_cast<std::int64_t>(s.x.size())};
  t.data = s.x;
  s.params = calibrateParams(t, spec, cal, manual);
  return s;
}

std::size_t indexArg(KeyValues& kv, std::size_t n) {
  return static_cast<std::size_t>(
      intArg("index", kv.take("index"), 0, static_cast<long long>(n) - 1));
}

FloatFormat formatArg(KeyValues& kv) { return FloatFormat::byName(kv.take("format")); }

double evaluateCheckImpl(const std::vector<std::string>& tokens) {
  const std::string& verb = tokens[0];
  KeyValues kv(tokens, 1);
  double result = 0;
  if (verb == "code" || verb == "dequant") {
    QuantSetup s = setupQuant(kv);
    const std::size_t i = indexArg(kv, s.x.size());
    const auto q = quantize(s.x, s.params);
    result = verb == "code" ? q[i] : dequantize(q, s.params)[i];
  } else if (verb == "scale" || verb == "zeropoint") {
    QuantSetup s = setupQuant(kv);
    result = verb == "scale" ? s.params.scales[0] : s.params.zeroPoints[0];
  } else if (verb == "error") {
    QuantSetup s = setupQuant(kv);
    const std::string metric = kv.take("metric");
    const auto xhat = dequantize(quantize(s.x, s.params), s.params);
    const ErrorMetrics m = computeMetrics(s.x, xhat, s.params.scales[0]);
    if (metric == "mse") {
      result = m.mse;
    } else if (metric == "rmse") {
      result = m.rmse;
    } else if (metric == "mae") {
      result = m.mae;
    } else if (metric == "max") {
      result = m.maxAbs;
    } else if (metric == "sqnr") {
      result = m.sqnrDb;
    } else {
      throw Error("metric must be mse, rmse, mae, max or sqnr");
    }
  } else if (verb == "decode") {
    const FloatFormat f = formatArg(kv);
    const std::string b = kv.take("bits");
    if (b.size() < 3 || b.size() > 10 || b[0] != '0' || (b[1] != 'x' && b[1] != 'X')) {
      throw Error("bits= must be hexadecimal like 0x3C00");
    }
    std::uint32_t bits = 0;
    const auto r = std::from_chars(b.data() + 2, b.data() + b.size(), bits, 16);
    if (r.ec != std::errc() || r.ptr != b.data() + b.size()) {
      throw Error("bits= must be hexadecimal like 0x3C00");
    }
    result = decodeValue(f, bits);
  } else if (verb == "encode") {
    const FloatFormat f = formatArg(kv);
    result = roundToFormat(f, numberArg("value", kv.take("value")));
  } else if (verb == "maxfinite") {
    result = formatArg(kv).maxFinite();
  } else if (verb == "epsilon") {
    result = formatArg(kv).epsilon();
  } else if (verb == "minnormal") {
    result = formatArg(kv).minNormal();
  } else if (verb == "levels") {
    result = std::ldexp(1.0, static_cast<int>(intArg("bits", kv.take("bits"), 1, 64)));
  } else if (verb == "int") {
    IntFormat f;
    f.bits = static_cast<int>(intArg("bits", kv.take("bits"), 1, 32));
    f.isSigned = boolArg("signed", kv.take("signed", "true"));
    const std::string p = kv.take("pattern");
    if (p.size() != static_cast<std::size_t>(f.bits) ||
        p.find_first_not_of("01") != std::string::npos) {
      throw Error("pattern= must be exactly " + std::to_string(f.bits) + " binary digits");
    }
    std::uint32_t bits = 0;
    for (char c : p) bits = (bits << 1) | static_cast<std::uint32_t>(c - '0');
    result = static_cast<double>(bitsToInt(f, bits));
  } else if (verb == "memory") {
    const double params = numberArg("params", kv.take("params"));
    const double bits = numberArg("bits", kv.take("bits"));
    if (!(params > 0 && params <= 1e16)) throw Error("params must be in (0, 1e16]");
    if (!(bits > 0 && bits <= 64)) throw Error("bits must be in (0, 64]");
    result = params * bits / 8.0 / 1e9;
  } else if (verb == "sqnr-ideal") {
    result = sqnrRuleOfThumbDb(static_cast<int>(intArg("bits", kv.take("bits"), 1, 32)));
  } else if (verb == "gemm-int8") {
    const auto a = intList("a", kv.take("a"), -128, 255);
    const auto b = intList("b", kv.take("b"), -127, 127);
    const auto za = intArg("za", kv.take("za", "0"), -128, 255);
    if (a.size() != b.size()) throw Error("a and b must have the same length");
    const int K = static_cast<int>(a.size());
    std::vector<std::int8_t> w(b.begin(), b.end());
    const gemm::PackedWeights pw = gemm::packWeights(w, K, 1);
    std::array<std::int32_t, 1> c{};
    const bool fitsInt8 =
        za <= 127 && std::all_of(a.begin(), a.end(), [](auto v) { return v <= 127; });
    const bool fitsUint8 =
        za >= 0 && std::all_of(a.begin(), a.end(), [](auto v) { return v >= 0; });
    if (fitsInt8) {
      std::vector<std::int8_t> av(a.begin(), a.end());
      gemm::gemmAcc(av, 1, static_cast<std::int32_t>(za), pw, c);
    } else if (fitsUint8) {
      std::vector<std::uint8_t> av(a.begin(), a.end());
      gemm::gemmAcc(av, 1, static_cast<std::int32_t>(za), pw, c);
    } else {
      throw Error("a and za must all be int8 (-128..127) or all uint8 (0..255)");
    }
    result = c[0];
  } else if (verb == "requant") {
    const auto acc = intArg("acc", kv.take("acc"), std::numeric_limits<std::int32_t>::min(),
                            std::numeric_limits<std::int32_t>::max());
    const double m = numberArg("multiplier", kv.take("multiplier"));
    const auto zero = intArg("zero", kv.take("zero", "0"), -128, 127);
    gemm::OutputParams op;
    op.zeroPoint = static_cast<std::int32_t>(zero);
    result = gemm::requantize(static_cast<std::int32_t>(acc), QuantizeMultiplier(m), op);
  } else if (verb == "nf4") {
    const float x = std::clamp(floatArg("value", kv.take("value")), -1.0f, 1.0f);
    // The second value pins the block's absmax at 1, so x is coded on the unscaled table.
    const std::array<float, 2> v = {x, 1.0f};
    result = quantizeNF4(v, 64).reconstructed[0];
  } else if (verb == "bpw") {
    const std::string scheme = kv.take("scheme");
    if (scheme != "q8_0" && scheme != "q4_0" && scheme != "nf4") {
      throw Error("scheme must be q8_0, q4_0 or nf4");
    }
    const int block =
        static_cast<int>(intArg("block", kv.take("block", scheme == "nf4" ? "64" : "32"), 1, 4096));
    std::vector<float> x(static_cast<std::size_t>(block));
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>(i + 1);
    result = quantizeNonUniform(scheme, x, 0, block).bitsPerWeight;
  } else if (const auto extra = evaluateExtraCheck(tokens)) {
    return *extra;  // parses and checks its own arguments
  } else {
    throw Error("unknown check '" + clip(verb) +
                "' (code dequant scale zeropoint error decode encode maxfinite epsilon minnormal "
                "levels int memory sqnr-ideal gemm-int8 requant nf4 bpw)");
  }
  kv.finish();
  return result;
}

std::string lineRef(const std::string& where, int line) {
  return where + ":" + std::to_string(line) + ": ";
}

// The first number written in a choice text ("448", "−0.5" with a Unicode minus, "35 GB").
bool firstNumber(const std::string& text, double& out) {
  std::string s;
  // Unicode minus sign U+2212 counts as '-'.
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 3, "\xE2\x88\x92") == 0) {
      s += '-';
      i += 2;
    } else {
      s += text[i];
    }
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool digit = s[i] >= '0' && s[i] <= '9';
    const bool signedDigit = s[i] == '-' && i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9';
    if (!digit && !signedDigit) continue;
    std::size_t j = i + 1;
    while (j < s.size() && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.' || s[j] == 'e')) ++j;
    while (j > i + 1 && (s[j - 1] == '.' || s[j - 1] == 'e')) --j;
    return toDouble(std::string_view(s).substr(i, j - i), out);
  }
  return false;
}

bool withinTolerance(double engine, double answer, double tolerance) {
  // The slack only absorbs the decimal -> binary conversion of the written answer.
  const double slack = 1e-12 * std::max(1.0, std::fabs(answer));
  return std::isfinite(engine) && std::fabs(engine - answer) <= tolerance + slack;
}

}  // namespace

void validateAction(const LessonAction& action, ActionContext& context, const std::string& where) {
  try {
    validateActionImpl(action, context);
  } catch (const Error& e) {
    throw Error(lineRef(where, action.line) + action.verb + ": " + e.what());
  }
}

double evaluateCheck(const std::string& expr) {
  if (expr.size() > kLessonMaxLineBytes) throw Error("check expression too long");
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < expr.size()) {
    while (i < expr.size() && (expr[i] == ' ' || expr[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < expr.size() && expr[i] != ' ' && expr[i] != '\t') ++i;
    if (i > start) tokens.push_back(expr.substr(start, i - start));
    if (tokens.size() > 32) throw Error("check expression has too many arguments");
  }
  if (tokens.empty()) throw Error("empty check expression");
  return evaluateCheckImpl(tokens);
}

std::vector<std::string> checkLesson(const Lesson& lesson) {
  std::vector<std::string> problems;
  ActionContext ctx;
  for (const auto& step : lesson.steps) {
    for (const auto& a : step.actions) {
      try {
        validateAction(a, ctx, lesson.where);
      } catch (const Error& e) {
        problems.emplace_back(e.what());
      }
    }
    for (const auto& q : step.questions) {
      const std::string at = lineRef(lesson.where, q.line);
      if (q.kind == QuestionKind::Choice &&
          (q.answer < 1 || q.answer > static_cast<double>(q.choices.size()))) {
        problems.push_back(at + "choice answer out of range");
        continue;
      }
      if (q.check.empty()) {
        if (q.kind == QuestionKind::Numeric)
          problems.push_back(at + "numeric question without check");
        continue;
      }
      double expected = q.answer;
      if (q.kind == QuestionKind::Choice) {
        const auto& text = q.choices[static_cast<std::size_t>(q.answer) - 1];
        if (!firstNumber(text, expected)) {
          problems.push_back(at + "choice " + q.answerText + " has no number for its check");
          continue;
        }
      }
      try {
        const double v = evaluateCheck(q.check);
        if (!withinTolerance(v, expected, q.tolerance)) {
          char buf[160];
          std::snprintf(buf, sizeof buf,
                        "engine gives %.10g but the answer is %.10g (tolerance %g)", v, expected,
                        q.tolerance);
          problems.push_back(at + "check '" + clip(q.check, 80) + "': " + buf);
        }
      } catch (const Error& e) {
        problems.push_back(at + "check '" + clip(q.check, 80) + "': " + e.what());
      }
    }
  }
  for (std::string& p : checkPrintedAnswers(lesson)) problems.push_back(std::move(p));
  return problems;
}

std::vector<std::string> compareTranslation(const Lesson& en, const Lesson& tr) {
  std::vector<std::string> p;
  const std::string top = lineRef(tr.where, 1);
  const std::string versus = " (" + en.where + ")";
  if (tr.id != en.id) p.push_back(top + "id '" + tr.id + "' differs from '" + en.id + "'" + versus);
  if (tr.number != en.number) p.push_back(top + "number differs" + versus);
  if (tr.minutes != en.minutes) p.push_back(top + "minutes differ" + versus);
  if (tr.steps.size() != en.steps.size()) {
    p.push_back(top + std::to_string(tr.steps.size()) + " steps, the English lesson has " +
                std::to_string(en.steps.size()) + versus);
    return p;
  }
  for (std::size_t s = 0; s < en.steps.size(); ++s) {
    const LessonStep& a = en.steps[s];
    const LessonStep& b = tr.steps[s];
    const std::string at = lineRef(tr.where, b.line) + "step " + std::to_string(s + 1) + ": ";
    if (a.actions.size() != b.actions.size()) {
      p.push_back(at + std::to_string(b.actions.size()) + " actions, the English step has " +
                  std::to_string(a.actions.size()) + versus);
    } else {
      for (std::size_t k = 0; k < a.actions.size(); ++k) {
        if (a.actions[k].text() != b.actions[k].text()) {
          p.push_back(lineRef(tr.where, b.actions[k].line) + "action '" +
                      clip(b.actions[k].text(), 60) + "' differs from '" +
                      clip(a.actions[k].text(), 60) + "'" + versus);
        }
      }
    }
    if (a.questions.size() != b.questions.size()) {
      p.push_back(at + std::to_string(b.questions.size()) + " questions, the English step has " +
                  std::to_string(a.questions.size()) + versus);
      continue;
    }
    for (std::size_t k = 0; k < a.questions.size(); ++k) {
      const LessonQuestion& qa = a.questions[k];
      const LessonQuestion& qb = b.questions[k];
      const std::string qat = lineRef(tr.where, qb.line) + "question: ";
      if (qa.kind != qb.kind) p.push_back(qat + "kind differs" + versus);
      if (qa.answer != qb.answer) {
        p.push_back(qat + "answer " + qb.answerText + " differs from " + qa.answerText + versus);
      }
      if (qa.tolerance != qb.tolerance || qa.hasTolerance != qb.hasTolerance) {
        p.push_back(qat + "tolerance differs" + versus);
      }
      if (qa.check != qb.check) p.push_back(qat + "check differs" + versus);
      if (qa.choices.size() != qb.choices.size())
        p.push_back(qat + "number of choices differs" + versus);
    }
  }
  return p;
}

}  // namespace quant
