// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli quantize --scheme nf4|log2|kmeans|block-absmax|q8_0|q4_0: code books and blocks.
#include <cstdio>

#include "common.h"
#include "quant/io/tensorio.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/nonuniform.h"

namespace cli {

namespace {

// The CLI spells block-wise absmax "block-absmax"; the engine calls it "absmax".
std::string engineName(const std::string& scheme) {
  return scheme == "block-absmax" ? std::string("absmax") : scheme;
}

}  // namespace

bool isNonUniformScheme(const std::string& scheme) {
  for (const auto& n : quant::nonUniformSchemeNames())
    if (n == engineName(scheme)) return true;
  return false;
}

int runNonUniform(const Args& a, const std::string& scheme) {
  for (const char* opt : {"granularity", "calib", "range"})
    if (a.has(opt))
      throw UsageError(std::string("--") + opt + " does not apply to --scheme " + scheme);
  for (const char* flag : {"narrow", "unsigned"})
    if (a.flag(flag))
      throw UsageError(std::string("--") + flag + " does not apply to --scheme " + scheme);

  const quant::Tensor t = tensorFromArgs(a);
  const quant::CodebookResult r = quant::quantizeNonUniform(
      engineName(scheme), t.data, a.getInt("bits", 0), a.getInt("block", 0));
  const quant::ErrorMetrics m = quant::computeMetrics(t.data, r.reconstructed);

  if (auto out = a.get("output", a.get("o", "")); !out.empty()) {
    quant::Tensor result = t;
    result.data = r.reconstructed;
    result.dtype = "float32";
    quant::saveNpy(out, result);
  }
  const bool small = t.data.size() <= kSmallTensor;
  if (a.flag("json")) {
    nlohmann::json j;
    j["tensor"] = tensorJson(t);
    j["scheme"] = r.scheme;
    j["bits"] = r.bits;
    j["block_size"] = r.blockSize;
    j["bits_per_weight"] = r.bitsPerWeight;
    j["description"] = r.description;
    nlohmann::json scales = nlohmann::json::array(), book = nlohmann::json::array();
    for (float s : r.scales) scales.push_back(number(s));
    for (float c : r.codebook) book.push_back(number(c));
    j["scales"] = scales;
    j["codebook"] = book;
    j["metrics"] = metricsJson(m);
    if (small) {
      j["q"] = r.codes;
      nlohmann::json d = nlohmann::json::array();
      for (float v : r.reconstructed) d.push_back(number(v));
      j["dequantized"] = d;
    }
    printJson(j);
    return 0;
  }
  std::printf("%s  %s %s, %zu values\n", t.name.empty() ? "tensor" : t.name.c_str(),
              t.dtype.c_str(), t.shapeString().c_str(), t.data.size());
  std::printf("scheme %s: %s\n", r.scheme.c_str(), r.description.c_str());
  std::printf("  %.4g bits per weight (codes, scales and code book included)\n", r.bitsPerWeight);
  if (!r.codebook.empty() && r.codebook.size() <= 32) {
    std::printf("  code book:");
    for (float c : r.codebook) std::printf(" %.6g", c);
    std::printf("\n");
  }
  if (small) {
    std::printf("  x      code   x_hat\n");
    for (std::size_t i = 0; i < t.data.size(); ++i)
      std::printf("  %-9.6g %6d  %.6g\n", t.data[i], r.codes[i], r.reconstructed[i]);
  }
  printMetrics(m);
  return 0;
}

}  // namespace cli
