// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/course/sessionfile.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "quant/base/tensor.h"

namespace quant {

namespace {

using json = nlohmann::json;

[[noreturn]] void fail(const std::string& message) { throw Error(message); }

const json* member(const json& object, const char* key) {
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// Every numeric read goes through a double and a range check: nlohmann's get<int>() on a float
// or an out-of-range integer would be an undefined cast.
double number(const json& v, const std::string& what) {
  if (!v.is_number()) fail(what + " must be a number");
  const double d = v.get<double>();
  if (!std::isfinite(d)) fail(what + " must be finite");
  return d;
}

std::int64_t integer(const json& v, const std::string& what, std::int64_t lo, std::int64_t hi) {
  if (!v.is_number_integer()) fail(what + " must be an integer");
  std::int64_t out = 0;
  if (v.is_number_unsigned()) {
    const std::uint64_t u = v.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(hi)) fail(what + " is out of range");
    out = static_cast<std::int64_t>(u);
  } else {
    out = v.get<std::int64_t>();
  }
  if (out < lo || out > hi)
    fail(what + " must be in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return out;
}

std::string string(const json& v, const std::string& what) {
  if (!v.is_string()) fail(what + " must be a string");
  return v.get<std::string>();
}

bool boolean(const json& v, const std::string& what) {
  if (!v.is_boolean()) fail(what + " must be true or false");
  return v.get<bool>();
}

std::vector<std::int64_t> parseShape(const json& v, std::int64_t maxElements) {
  if (!v.is_array() || v.empty() || v.size() > 8) fail("tensor.shape must be a list of 1..8 sizes");
  std::vector<std::int64_t> shape;
  std::int64_t total = 1;
  for (const json& d : v) {
    const std::int64_t n = integer(d, "tensor.shape", 1, maxElements);
    if (total > maxElements / n) fail("tensor.shape has more than " +
                                      std::to_string(maxElements) + " elements");
    total *= n;
    shape.push_back(n);
  }
  return shape;
}

// "values" (and an optional "shape" matching their count) of `t` into s.values / s.shape.
void parseValues(const json& t, std::size_t maxValues, const std::string& where,
                 SessionTensorSource& s) {
  const json* values = member(t, "values");
  if (!values || !values->is_array() || values->empty() || values->size() > maxValues)
    fail(where + ".values must be a list of 1.." + std::to_string(maxValues) + " numbers");
  s.values.reserve(values->size());
  for (const json& v : *values) {
    const double d = number(v, where + ".values");
    if (std::fabs(d) > std::numeric_limits<float>::max())
      fail(where + ".values exceed float range");
    s.values.push_back(static_cast<float>(d));
  }
  if (const json* shape = member(t, "shape")) {
    s.shape = parseShape(*shape, static_cast<std::int64_t>(maxValues));
    std::int64_t total = 1;
    for (std::int64_t d : s.shape) total *= d;
    if (total != static_cast<std::int64_t>(s.values.size()))
      fail(where + ".shape does not match the number of values");
  } else {
    s.shape = {static_cast<std::int64_t>(s.values.size())};
  }
}

SessionTensorSource parseTensor(const json& t) {
  if (!t.is_object()) fail("tensor must be an object");
  SessionTensorSource s;
  const json* source = member(t, "source");
  if (!source) fail("tensor.source is missing");
  const std::string kind = string(*source, "tensor.source");
  if (kind == "default") {
    s.kind = TensorSourceKind::Default;
  } else if (kind == "file") {
    s.kind = TensorSourceKind::File;
    const json* path = member(t, "path");
    if (!path) fail("tensor.path is missing");
    s.path = string(*path, "tensor.path");
    if (s.path.empty()) fail("tensor.path is empty");
    if (const json* name = member(t, "name")) s.tensorName = string(*name, "tensor.name");
    if (const json* data = member(t, "data"); data && !data->is_null()) {
      if (!data->is_object()) fail("tensor.data must be an object");
      parseValues(*data, kSessionEmbedMaxValues, "tensor.data", s);
    }
  } else if (kind == "generate") {
    s.kind = TensorSourceKind::Generator;
    GeneratorSpec& g = s.generator;
    const json* dist = member(t, "distribution");
    if (!dist) fail("tensor.distribution is missing");
    g.distribution = parseDistribution(string(*dist, "tensor.distribution"));
    const json* shape = member(t, "shape");
    if (!shape) fail("tensor.shape is missing");
    g.shape = parseShape(*shape, kSessionMaxGenerated);
    if (const json* seed = member(t, "seed"))
      g.seed = static_cast<std::uint64_t>(
          integer(*seed, "tensor.seed", 0, std::numeric_limits<std::int64_t>::max()));
    const std::pair<const char*, double*> params[] = {
        {"mean", &g.mean}, {"stddev", &g.stddev}, {"low", &g.low},
        {"high", &g.high}, {"loc", &g.loc},       {"scale", &g.scale},
        {"separation", &g.separation}, {"magnitude", &g.outlierMagnitude}};
    for (const auto& [key, dst] : params)
      if (const json* v = member(t, key)) *dst = number(*v, std::string("tensor.") + key);
    if (const json* v = member(t, "outliers"))
      g.outlierCount = integer(*v, "tensor.outliers", 0, kSessionMaxGenerated);
    if (g.stddev <= 0 || g.scale <= 0) fail("tensor.stddev and tensor.scale must be positive");
    if (!(g.low < g.high)) fail("tensor.low must be below tensor.high");
    if (const json* name = member(t, "name")) g.name = string(*name, "tensor.name");
  } else if (kind == "values") {
    s.kind = TensorSourceKind::Values;
    parseValues(t, kSessionMaxValues, "tensor", s);
    if (const json* name = member(t, "name")) s.tensorName = string(*name, "tensor.name");
  } else {
    fail("tensor.source '" + kind + "' is not default, file, generate or values");
  }
  return s;
}

QuantSpec parseSpec(const json& j) {
  if (!j.is_object()) fail("spec must be an object");
  QuantSpec spec;
  if (const json* v = member(j, "bits")) spec.bits = static_cast<int>(integer(*v, "spec.bits", 2, 16));
  if (const json* v = member(j, "scheme")) {
    const std::string s = string(*v, "spec.scheme");
    if (s == "symmetric")
      spec.scheme = Scheme::Symmetric;
    else if (s == "asymmetric")
      spec.scheme = Scheme::Asymmetric;
    else
      fail("spec.scheme must be symmetric or asymmetric");
  }
  if (const json* v = member(j, "signed")) spec.isSigned = boolean(*v, "spec.signed");
  if (const json* v = member(j, "narrow")) spec.narrowRange = boolean(*v, "spec.narrow");
  if (const json* v = member(j, "granularity"))
    parseGranularity(string(*v, "spec.granularity"), spec);
  spec.validate();
  return spec;
}

json tensorJson(const SessionTensorSource& s) {
  json t = json::object();
  switch (s.kind) {
    case TensorSourceKind::Default:
      t["source"] = "default";
      break;
    case TensorSourceKind::File:
      t["source"] = "file";
      t["path"] = s.path;
      if (!s.tensorName.empty()) t["name"] = s.tensorName;
      if (!s.values.empty() && s.values.size() <= kSessionEmbedMaxValues)
        t["data"] = {
            {"shape", s.shape.empty()
                          ? std::vector<std::int64_t>{static_cast<std::int64_t>(s.values.size())}
                          : s.shape},
            {"values", s.values}};
      break;
    case TensorSourceKind::Generator: {
      const GeneratorSpec& g = s.generator;
      t["source"] = "generate";
      t["distribution"] = distributionName(g.distribution);
      t["shape"] = g.shape;
      t["seed"] = g.seed;
      t["mean"] = g.mean;
      t["stddev"] = g.stddev;
      t["low"] = g.low;
      t["high"] = g.high;
      t["loc"] = g.loc;
      t["scale"] = g.scale;
      t["separation"] = g.separation;
      t["outliers"] = g.outlierCount;
      t["magnitude"] = g.outlierMagnitude;
      t["name"] = g.name;
      break;
    }
    case TensorSourceKind::Values:
      t["source"] = "values";
      t["shape"] = s.shape.empty()
                       ? std::vector<std::int64_t>{static_cast<std::int64_t>(s.values.size())}
                       : s.shape;
      t["values"] = s.values;
      if (!s.tensorName.empty()) t["name"] = s.tensorName;
      break;
  }
  return t;
}

}  // namespace

std::string granularityText(const QuantSpec& spec) {
  switch (spec.granularity) {
    case Granularity::PerTensor:
      return "tensor";
    case Granularity::PerChannel:
      return "channel:" + std::to_string(spec.axis);
    case Granularity::PerGroup:
      return "group:" + std::to_string(spec.axis) + ":" + std::to_string(spec.groupSize);
  }
  return "tensor";
}

SessionState parseSessionFile(std::string_view text) {
  if (text.size() > kSessionMaxBytes) fail("the file is larger than a session file can be");
  const json root = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) fail("not a QuantLab session file (not valid JSON)");
  if (!root.is_object()) fail("not a QuantLab session file (not a JSON object)");
  const json* format = member(root, "format");
  if (!format || !format->is_string() || format->get<std::string>() != "quantlab-session")
    fail("not a QuantLab session file (\"format\" is not \"quantlab-session\")");
  const json* version = member(root, "version");
  if (!version || !version->is_number_integer()) fail("the session file has no version number");
  const std::int64_t ver = integer(*version, "version", 1, std::numeric_limits<std::int64_t>::max());
  if (ver > kSessionFileVersion)
    fail("session file version " + std::to_string(ver) + " is newer than this QuantLab (" +
         std::to_string(kSessionFileVersion) + ")");

  SessionState s;
  if (const json* t = member(root, "tensor")) s.tensor = parseTensor(*t);
  if (const json* v = member(root, "spec")) s.spec = parseSpec(*v);
  if (const json* v = member(root, "calibration"))
    s.calibration = parseCalibration(string(*v, "calibration"));
  if (const json* v = member(root, "range"); v && !v->is_null()) {
    if (!v->is_array() || v->size() != 2) fail("range must be null or [lo, hi]");
    const double lo = number((*v)[0], "range"), hi = number((*v)[1], "range");
    const double fmax = std::numeric_limits<float>::max();
    if (!(lo < hi) || std::fabs(lo) > fmax || std::fabs(hi) > fmax)
      fail("range must have lo < hi within the float range");
    s.manualRange = Range{static_cast<float>(lo), static_cast<float>(hi)};
    if (!(s.manualRange->lo < s.manualRange->hi)) fail("range must have lo < hi as floats");
  }
  if (const json* v = member(root, "probe")) s.probe = number(*v, "probe");
  if (const json* v = member(root, "view")) s.view = string(*v, "view");
  if (const json* v = member(root, "format_view")) s.formatView = string(*v, "format_view");
  if (const json* v = member(root, "views")) {
    if (!v->is_array() || v->size() > 64) fail("views must be a list of up to 64 view names");
    for (const json& name : *v) s.openViews.push_back(string(name, "views"));
  }
  if (const json* v = member(root, "model"); v && !v->is_null()) {
    if (!v->is_object()) fail("model must be null or an object");
    SessionModelRef ref;
    const json* p = member(*v, "path");
    if (!p) fail("model.path is missing");
    ref.path = string(*p, "model.path");
    if (ref.path.empty()) fail("model.path is empty");
    if (const json* l = member(*v, "layer")) ref.layer = string(*l, "model.layer");
    if (const json* src = member(*v, "layer_source")) {
      const std::string k = string(*src, "model.layer_source");
      if (k != "weights" && k != "activations")
        fail("model.layer_source must be weights or activations");
      ref.activations = k == "activations";
    }
    s.model = ref;
  }
  if (const json* v = member(root, "lesson"); v && !v->is_null()) {
    if (!v->is_object()) fail("lesson must be null or an object");
    SessionLessonRef ref;
    const json* id = member(*v, "id");
    if (!id) fail("lesson.id is missing");
    ref.id = string(*id, "lesson.id");
    if (const json* l = member(*v, "language")) ref.language = string(*l, "lesson.language");
    if (const json* st = member(*v, "step"))
      ref.step = static_cast<int>(integer(*st, "lesson.step", 0, 1000));
    s.lesson = ref;
  }
  return s;
}

std::string writeSessionFile(const SessionState& s) {
  s.spec.validate();
  json root = json::object();
  root["format"] = "quantlab-session";
  root["version"] = kSessionFileVersion;
  const bool allFinite = std::all_of(s.tensor.values.begin(), s.tensor.values.end(),
                                     [](float v) { return std::isfinite(v); });
  if (s.tensor.kind == TensorSourceKind::Values && !allFinite)
    fail("cannot save non-finite tensor values in a session file");
  SessionTensorSource tensor = s.tensor;
  // JSON has no NaN / Inf: such a file's copy is left out and the session refers to the file.
  if (tensor.kind == TensorSourceKind::File && !allFinite) {
    tensor.values.clear();
    tensor.shape.clear();
  }
  root["tensor"] = tensorJson(tensor);
  root["spec"] = {{"bits", s.spec.bits},
                  {"scheme", s.spec.scheme == Scheme::Symmetric ? "symmetric" : "asymmetric"},
                  {"signed", s.spec.isSigned},
                  {"narrow", s.spec.narrowRange},
                  {"granularity", granularityText(s.spec)}};
  root["calibration"] = calibrationName(s.calibration);
  if (s.manualRange)
    root["range"] = {s.manualRange->lo, s.manualRange->hi};
  else
    root["range"] = nullptr;
  if (!std::isfinite(s.probe)) fail("cannot save a non-finite probe value");
  root["probe"] = s.probe;
  if (!s.view.empty()) root["view"] = s.view;
  if (!s.formatView.empty()) root["format_view"] = s.formatView;
  if (!s.openViews.empty()) root["views"] = s.openViews;
  if (s.model)
    root["model"] = {{"path", s.model->path},
                     {"layer", s.model->layer},
                     {"layer_source", s.model->activations ? "activations" : "weights"}};
  else
    root["model"] = nullptr;
  if (s.lesson)
    root["lesson"] = {{"id", s.lesson->id}, {"language", s.lesson->language},
                      {"step", s.lesson->step}};
  else
    root["lesson"] = nullptr;
  // Invalid UTF-8 in a path would make dump() throw; replace it instead of failing the save.
  return root.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace quant
