// SPDX-License-Identifier: GPL-3.0-or-later
// User data sets: sources, fitting, normalisation and splits; see userdata.h.
#include "quant/io/userdata.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "quant/io/tensorio.h"
#include "quant/io/tensorio_detail.h"

namespace fs = std::filesystem;

namespace quant {

namespace {

using detail::fail;

std::string shapeText(const std::vector<std::int64_t>& shape) {
  Tensor t;
  t.shape = shape;
  return t.shapeString();
}

std::string listText(const std::vector<float>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%g", i ? ", " : "", static_cast<double>(v[i]));
    s += buf;
  }
  return s + "]";
}

bool isEightBit(const std::string& dtype) { return dtype == "uint8"; }

bool isIntegerDtype(const std::string& dtype) {
  return dtype.starts_with("int") || dtype.starts_with("uint") || dtype == "bool";
}

std::string lower(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// Labels as class indices; `where` names the labels' file.
std::vector<std::uint8_t> classLabels(const Tensor& y, std::int64_t n, std::int64_t classes,
                                      const std::string& where) {
  if (!isIntegerDtype(y.dtype)) {
    fail(where, "labels of dtype " + y.dtype + " are not integers (class indices)");
  }
  if (y.numel() != n || (y.shape.size() != 1 && !(y.shape.size() == 2 && y.shape[1] == 1))) {
    fail(where, "labels " + y.shapeString() + " do not match the " + std::to_string(n) +
                    " samples (expected [" + std::to_string(n) + "])");
  }
  const std::int64_t limit = classes > 0 ? std::min<std::int64_t>(classes, 256) : 256;
  std::vector<std::uint8_t> out(y.data.size());
  for (std::size_t i = 0; i < y.data.size(); ++i) {
    const float v = y.data[i];
    if (!(v >= 0 && v < static_cast<float>(limit))) {
      fail(where, "label " + std::to_string(static_cast<long long>(v)) + " at index " +
                      std::to_string(i) + " is not a class index (0.." + std::to_string(limit - 1) +
                      (classes > 0 ? ", the model's outputs" : "") + ")");
    }
    out[i] = static_cast<std::uint8_t>(v);
  }
  return out;
}

// Samples [n, ...] as stored -> [n] + inputShape (see userdata.h).
Tensor fitSamples(Tensor x, const DataOptions& o, const std::string& where) {
  if (x.shape.empty()) fail(where, "a scalar is not a set of samples [n, ...]");
  const std::int64_t n = x.shape[0];
  const std::vector<std::int64_t> per(x.shape.begin() + 1, x.shape.end());
  const std::vector<std::int64_t>& in = o.inputShape;
  std::vector<std::int64_t> want{n};
  want.insert(want.end(), in.begin(), in.end());
  const std::int64_t need = checkedNumel(in);
  const std::int64_t have = checkedNumel(per);
  const bool nhwc = per.size() == 3 && in.size() == 3 && (per[2] == 1 || per[2] == 3) &&
                    per[0] != 1 && per[0] != 3;
  if (have == need && !nhwc) {
    x.shape = want;
    return x;
  }
  if (in.size() != 3 || per.size() < 2 || per.size() > 3) {
    fail(where, "samples " + shapeText(per) + " (" + std::to_string(have) +
                    " values) do not fit the model input " + shapeText(in) + " (" +
                    std::to_string(need) + " values)");
  }
  std::int64_t c = 1, h = per[0], w = per[1];
  if (per.size() == 3) {
    if (nhwc) {
      h = per[0], w = per[1], c = per[2];
    } else {
      c = per[0], h = per[1], w = per[2];
    }
  }
  Tensor out;
  out.dtype = x.dtype;
  out.shape = want;
  out.data.reserve(static_cast<std::size_t>(n * need));
  const std::size_t plane = static_cast<std::size_t>(h * w);
  Tensor img;
  img.dtype = x.dtype;
  img.shape = {c, h, w};
  img.data.resize(static_cast<std::size_t>(c) * plane);
  for (std::int64_t i = 0; i < n; ++i) {
    const float* src = x.data.data() + static_cast<std::size_t>(i * have);
    if (nhwc) {
      for (std::size_t p = 0; p < plane; ++p)
        for (std::int64_t k = 0; k < c; ++k)
          img.data[static_cast<std::size_t>(k) * plane + p] =
              src[p * static_cast<std::size_t>(c) + k];
    } else {
      std::copy(src, src + have, img.data.begin());
    }
    const Tensor f = fitImage(img, in[0], in[1], in[2], o.fit, where);
    out.data.insert(out.data.end(), f.data.begin(), f.data.end());
    if (o.progress && i % 256 == 0 && !o.progress(0.5 + 0.5 * static_cast<double>(i) / n))
      fail(where, "cancelled");
  }
  return out;
}

// Builds a Dataset from stored samples and optional labels.
Dataset makeDataset(Tensor x, const Tensor* y, const DataOptions& o, const std::string& where,
                    const std::string& labelsWhere, std::vector<std::string> names) {
  const bool eightBit = isEightBit(x.dtype);
  Dataset d;
  if (y) d.labels = classLabels(*y, x.shape.empty() ? 0 : x.shape[0], o.classes, labelsWhere);
  d.images = fitSamples(std::move(x), o, where);
  normalizeSamples(d.images, o.norm, eightBit, where);
  d.images.dtype = "float32";
  if (y && names.empty()) {
    const int top = d.labels.empty() ? 0 : *std::max_element(d.labels.begin(), d.labels.end());
    const int count =
        std::max<int>(top + 1, static_cast<int>(std::min<std::int64_t>(o.classes, 256)));
    for (int k = 0; k < count; ++k) names.push_back(std::to_string(k));
  }
  d.classNames = std::move(names);
  return d;
}

std::string idxLabelsBeside(const std::string& imagesPath) {
  const fs::path p(imagesPath);
  std::string name = p.filename().string();
  const auto at = name.find("images");
  if (at == std::string::npos) return {};
  name.replace(at, 6, "labels");
  const auto idx = name.find("idx3");
  if (idx != std::string::npos) name.replace(idx, 4, "idx1");
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  for (const std::string& candidate : {name, name + ".gz"}) {
    const fs::path q = p.parent_path() / candidate;
    std::error_code ec;
    if (fs::is_regular_file(q, ec)) return q.string();
  }
  return {};
}

bool isMnistDirectory(const fs::path& dir) {
  std::error_code ec;
  for (const char* name : {"t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"})
    for (const char* suffix : {"", ".gz"})
      if (fs::is_regular_file(dir / (std::string(name) + suffix), ec)) return true;
  return false;
}

bool isImageFile(const fs::path& p) {
  const std::string ext = lower(p.extension().string());
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

UserData loadImageFolder(const std::string& root, const DataOptions& o) {
  std::vector<fs::path> classDirs;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(root, ec))
    if (e.is_directory(ec)) classDirs.push_back(e.path());
  if (ec) fail(root, "cannot list the folder: " + ec.message());
  std::sort(classDirs.begin(), classDirs.end());
  std::vector<std::pair<fs::path, int>> files;
  std::vector<std::string> names;
  for (const fs::path& dir : classDirs) {
    std::vector<fs::path> mine;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
      if (e.is_regular_file(ec) && isImageFile(e.path())) mine.push_back(e.path());
    if (mine.empty()) continue;
    std::sort(mine.begin(), mine.end());
    for (const fs::path& f : mine) files.emplace_back(f, static_cast<int>(names.size()));
    names.push_back(dir.filename().string());
  }
  if (files.empty()) {
    fail(root,
         "no data: not an MNIST-style directory and no class sub-folder holds .png, .jpg "
         "or .jpeg images");
  }
  if (o.classes > 0 && static_cast<std::int64_t>(names.size()) > o.classes) {
    fail(root, std::to_string(names.size()) + " class folders but the model has " +
                   std::to_string(o.classes) + " outputs");
  }
  if (o.inputShape.size() != 3) {
    fail(root,
         "images need a model whose input is an image [C, H, W], not " + shapeText(o.inputShape));
  }
  const std::int64_t n = static_cast<std::int64_t>(files.size());
  Tensor x;
  x.dtype = "uint8";
  x.shape = {n, o.inputShape[0], o.inputShape[1], o.inputShape[2]};
  x.data.reserve(static_cast<std::size_t>(checkedNumel(x.shape)));
  Tensor y;
  y.dtype = "int32";
  y.shape = {n};
  UserData u;
  for (std::int64_t i = 0; i < n; ++i) {
    const std::string f = files[static_cast<std::size_t>(i)].first.string();
    const Tensor img = loadImage(f);
    if (i == 0) u.storedShape = img.shape;
    const Tensor fit = fitImage(img, o.inputShape[0], o.inputShape[1], o.inputShape[2], o.fit, f);
    x.data.insert(x.data.end(), fit.data.begin(), fit.data.end());
    y.data.push_back(static_cast<float>(files[static_cast<std::size_t>(i)].second));
    if (o.progress && !o.progress(static_cast<double>(i + 1) / static_cast<double>(n)))
      fail(root, "cancelled");
  }
  u.format = "image-folder";
  u.labelled = true;
  u.samples = makeDataset(std::move(x), &y, o, root, root, names);
  return u;
}

UserData loadMnistDirectory(const std::string& dir, const DataOptions& o) {
  UserData u;
  u.format = "mnist-directory";
  u.labelled = true;
  for (const Split split : {Split::Test, Split::Train}) {
    const std::string prefix = split == Split::Train ? "train" : "t10k";
    std::string images;
    for (const char* name : {"-images-idx3-ubyte", "-images.idx3-ubyte"})
      for (const char* suffix : {"", ".gz"}) {
        const fs::path p = fs::path(dir) / (prefix + name + suffix);
        std::error_code ec;
        if (images.empty() && fs::is_regular_file(p, ec)) images = p.string();
      }
    if (images.empty()) fail(dir, "MNIST-style directory without " + prefix + "-images-idx3-ubyte");
    const std::string labels = idxLabelsBeside(images);
    if (labels.empty()) fail(images, "no labels file beside it (" + prefix + "-labels-idx1-ubyte)");
    Tensor x = loadIdx(images);
    if (split == Split::Test && x.shape.size() > 1)
      u.storedShape.assign(x.shape.begin() + 1, x.shape.end());
    const Tensor y = loadIdx(labels);
    Dataset d = makeDataset(std::move(x), &y, o, images, labels, {});
    if (d.classNames.size() == fashionMnistClassNames().size())
      d.classNames = fashionMnistClassNames();
    (split == Split::Test ? u.samples : u.train) = std::move(d);
  }
  return u;
}

}  // namespace

std::string Normalization::describe() const {
  std::string s;
  if (divisor) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "scale 1/%g", *divisor);
    s = buf;
  } else {
    s = "scale 1/255 for 8-bit data";
  }
  if (!mean.empty()) s += ", mean " + listText(mean);
  if (!std.empty()) s += ", std " + listText(std);
  return s;
}

double parseScaleDivisor(const std::string& text) {
  double d = 0;
  try {
    std::size_t used = 0;
    if (text.starts_with("1/")) {
      d = std::stod(text.substr(2), &used);
      used += 2;
    } else {
      const double s = std::stod(text, &used);
      d = 1.0 / s;
    }
    if (used != text.size()) d = 0;
  } catch (const std::exception&) {
    d = 0;
  }
  if (!(d > 0) || !std::isfinite(d))
    throw Error("scale '" + text + "' is not a positive number or 1/D");
  return d;
}

std::vector<float> parseFloatList(const std::string& text) {
  std::vector<float> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) {
    std::size_t used = 0;
    float v = 0;
    try {
      v = std::stof(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    while (used < item.size() && item[used] == ' ') ++used;
    if (item.empty() || used != item.size() || !std::isfinite(v))
      throw Error("'" + text + "' is not a comma-separated list of numbers");
    out.push_back(v);
  }
  if (out.empty()) throw Error("an empty list of numbers");
  return out;
}

Normalization parseNormalizationJson(const std::string& text, const std::string& where) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    fail(where, std::string("not JSON: ") + e.what());
  }
  if (!j.is_object()) fail(where, "expected a JSON object {\"scale\", \"mean\", \"std\"}");
  Normalization n;
  for (const auto& [key, value] : j.items()) {
    if (key == "scale") {
      try {
        n.divisor = value.is_string()   ? parseScaleDivisor(value.get<std::string>())
                    : value.is_number() ? parseScaleDivisor(std::to_string(value.get<double>()))
                                        : 0.0;
      } catch (const Error& e) {
        fail(where, std::string("\"scale\": ") + e.what());
      }
      if (!value.is_string() && !value.is_number())
        fail(where, "\"scale\" must be a number or \"1/D\"");
    } else if (key == "mean" || key == "std") {
      std::vector<float>& v = key == "mean" ? n.mean : n.std;
      const nlohmann::json list = value.is_array() ? value : nlohmann::json::array({value});
      for (const auto& e : list) {
        if (!e.is_number()) fail(where, "\"" + key + "\" must hold numbers");
        v.push_back(e.get<float>());
      }
      if (v.empty()) fail(where, "\"" + key + "\" is empty");
      if (key == "std")
        for (float s : v)
          if (!(s > 0)) fail(where, "\"std\" values must be positive");
    } else {
      fail(where, "unknown key \"" + key + "\" (known: scale, mean, std)");
    }
  }
  return n;
}

Normalization loadNormalizationFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail(path, "cannot open the normalisation file");
  std::stringstream ss;
  ss << f.rdbuf();
  return parseNormalizationJson(ss.str(), path);
}

std::string normalizationPathFor(const std::string& modelPath) {
  std::string base = modelPath;
  if (base.ends_with(".onnx")) base.resize(base.size() - 5);
  return base + ".normalization.json";
}

Normalization normalizationBeside(const std::string& modelPath) {
  const std::string p = normalizationPathFor(modelPath);
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return {};
  return loadNormalizationFile(p);
}

void normalizeSamples(Tensor& samples, const Normalization& norm, bool eightBit,
                      const std::string& where) {
  const double divisor = norm.divisor.value_or(eightBit ? 255.0 : 1.0);
  const std::int64_t n = samples.shape.empty() ? 0 : samples.shape[0];
  const std::int64_t channels = samples.shape.size() >= 2 ? samples.shape[1] : 1;
  for (const std::vector<float>* v : {&norm.mean, &norm.std}) {
    if (v->size() > 1 && static_cast<std::int64_t>(v->size()) != channels) {
      fail(where, std::string(v == &norm.mean ? "mean" : "std") + " has " +
                      std::to_string(v->size()) + " values but the samples have " +
                      std::to_string(channels) + " channels");
    }
  }
  if (divisor != 1.0) {
    const auto d = static_cast<float>(divisor);
    for (float& v : samples.data) v /= d;
  }
  if (norm.mean.empty() && norm.std.empty()) return;
  const std::size_t per = n == 0 ? 0 : samples.data.size() / static_cast<std::size_t>(n);
  const std::size_t inner = per / static_cast<std::size_t>(channels);
  for (std::size_t i = 0; i < samples.data.size(); ++i) {
    const std::size_t c = (i % per) / inner;
    const float m = norm.mean.empty() ? 0.0f : norm.mean[norm.mean.size() == 1 ? 0 : c];
    const float s = norm.std.empty() ? 1.0f : norm.std[norm.std.size() == 1 ? 0 : c];
    samples.data[i] = (samples.data[i] - m) / s;
  }
}

std::string UserData::describe() const {
  std::string s =
      std::to_string(samples.images.shape.empty() ? 0 : samples.images.shape[0]) + " samples ";
  std::vector<std::int64_t> per(
      samples.images.shape.begin() + (samples.images.shape.empty() ? 0 : 1),
      samples.images.shape.end());
  s += shapeText(per);
  s += labelled ? ", " + std::to_string(samples.classNames.size()) + " classes" : ", unlabelled";
  if (!train.images.shape.empty())
    s += " (+ " + std::to_string(train.images.shape[0]) + " training samples)";
  return s + ", from " + path + " (" + format + ")";
}

UserData loadUserData(const std::string& path, const DataOptions& o) {
  if (o.inputShape.empty() || checkedNumel(o.inputShape) < 1)
    fail(path, "the model's input shape " + shapeText(o.inputShape) + " is empty");
  std::error_code ec;
  UserData u;
  if (fs::is_directory(path, ec)) {
    u = isMnistDirectory(path) ? loadMnistDirectory(path, o) : loadImageFolder(path, o);
  } else {
    const TensorFormat format = detectFormat(path);  // "<path>: no such file" etc.
    if (format == TensorFormat::Npz) {
      const std::vector<TensorInfo> infos = listTensors(path);
      auto has = [&](const char* name) {
        return std::any_of(infos.begin(), infos.end(),
                           [&](const TensorInfo& t) { return t.name == name; });
      };
      if (!has("x")) {
        std::string names;
        for (const TensorInfo& t : infos) names += (names.empty() ? "" : ", ") + t.name;
        fail(path, "no inputs array 'x' (the file holds: " + names + ")");
      }
      Tensor x = loadTensor(path, "x");
      if (x.shape.size() > 0) u.storedShape.assign(x.shape.begin() + 1, x.shape.end());
      u.format = "npz";
      if (has("y")) {
        const Tensor y = loadTensor(path, "y");
        u.samples = makeDataset(std::move(x), &y, o, path + ":x", path + ":y", {});
        u.labelled = true;
      } else {
        u.samples = makeDataset(std::move(x), nullptr, o, path + ":x", path, {});
      }
    } else if (format == TensorFormat::Npy || format == TensorFormat::Idx) {
      Tensor x = format == TensorFormat::Npy ? loadTensor(path, "") : loadIdx(path);
      if (x.shape.size() > 0) u.storedShape.assign(x.shape.begin() + 1, x.shape.end());
      u.format = format == TensorFormat::Npy ? "npy" : "idx";
      const std::string labels = !o.labelsPath.empty()
                                     ? o.labelsPath
                                     : (format == TensorFormat::Idx ? idxLabelsBeside(path) : "");
      if (!labels.empty()) {
        const Tensor y =
            detectFormat(labels) == TensorFormat::Idx ? loadIdx(labels) : loadTensor(labels, "");
        u.samples = makeDataset(std::move(x), &y, o, path, labels, {});
        u.labelled = true;
      } else {
        u.samples = makeDataset(std::move(x), nullptr, o, path, path, {});
      }
    } else {
      fail(path,
           "not a data set: expected .npz (x, y), .npy, an IDX images file, an "
           "MNIST-style directory or a folder of class sub-folders of images");
    }
  }
  u.path = path;
  if (u.samples.images.shape.empty() || u.samples.images.shape[0] < 1)
    fail(path, "holds no samples");
  return u;
}

SampleRange parseSampleRange(const std::string& text, std::int64_t n) {
  auto number = [&](const std::string& s, std::int64_t fallback) -> std::int64_t {
    if (s.empty()) return fallback;
    std::size_t used = 0;
    long long v = -1;
    try {
      v = std::stoll(s, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != s.size() || v < 0)
      throw Error("split '" + text + "' is not A:B, A:, :B or N (sample indices)");
    return v;
  };
  const auto colon = text.find(':');
  std::int64_t a = 0, b = 0;
  if (colon == std::string::npos) {
    b = number(text.empty() ? "-" : text, 0);
  } else {
    a = number(text.substr(0, colon), 0);
    b = number(text.substr(colon + 1), n);
  }
  if (a >= b || b > n) {
    throw Error("split '" + text + "' is empty or beyond the " + std::to_string(n) + " samples");
  }
  return {a, b - a};
}

std::string sampleRangeText(const SampleRange& r) {
  return std::to_string(r.first) + ":" + std::to_string(r.end());
}

DataSplits chooseSplits(std::int64_t n, const std::optional<std::string>& calibration,
                        const std::optional<std::string>& evaluation,
                        std::int64_t defaultCalibration, bool allowOverlap) {
  if (n < 2 && !(calibration && evaluation))
    throw Error("a data set of " + std::to_string(n) + " sample cannot be split");
  // The part of [0, n) outside `r`, when it is one range.
  auto complement = [&](const SampleRange& r, const char* flag) -> SampleRange {
    if (r.first == 0 && r.end() < n) return {r.end(), n - r.end()};
    if (r.first > 0 && r.end() == n) return {0, r.first};
    throw Error(std::string("the rest of the samples around ") + sampleRangeText(r) +
                " is not one range: give " + flag + " too");
  };
  DataSplits s;
  if (calibration) s.calibration = parseSampleRange(*calibration, n);
  if (evaluation) s.evaluation = parseSampleRange(*evaluation, n);
  if (!calibration && !evaluation) {
    const std::int64_t c = std::max<std::int64_t>(1, std::min(defaultCalibration, n / 4));
    s.calibration = {0, c};
    s.evaluation = {c, n - c};
  } else if (!evaluation) {
    s.evaluation = complement(s.calibration, "the evaluation split");
  } else if (!calibration) {
    s.calibration = complement(s.evaluation, "the calibration split");
    s.calibration.count = std::min(s.calibration.count, defaultCalibration);
  }
  const bool overlap =
      s.calibration.first < s.evaluation.end() && s.evaluation.first < s.calibration.end();
  if (overlap && !allowOverlap) {
    throw Error("the calibration split " + sampleRangeText(s.calibration) +
                " overlaps the evaluation split " + sampleRangeText(s.evaluation) +
                " (allow it explicitly to measure on calibration data)");
  }
  return s;
}

}  // namespace quant
