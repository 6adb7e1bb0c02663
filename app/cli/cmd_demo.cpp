// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli demo: the course's worked examples, computed live by the engine.
#include <cmath>
#include <cstdio>
#include <vector>

#include "common.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/formats.h"
#include "quant/numeric/generate.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/nonuniform.h"
#include "quant/numeric/quantize.h"

namespace cli {

const char* const kDemoHelp =
    "usage: quantlab-cli demo\n"
    "\n"
    "Walks through the worked examples of the course with the real engine: one number in every\n"
    "float format, symmetric and asymmetric int8, what an outlier does to min-max calibration and\n"
    "how percentile / MSE calibration repair it, and 4-bit code books.\n";

namespace {

void heading(const char* text) { std::printf("\n== %s\n", text); }

void printCodes(const char* label, const std::vector<float>& x, const quant::QuantParams& p) {
  const std::vector<std::int32_t> q = quant::quantize(x, p);
  std::printf("  %-34s scale %.7g, zero point %d\n  q = [", label, p.scales[0],
              p.zeroPoints[0]);
  for (std::size_t i = 0; i < q.size(); ++i) std::printf(i ? ", %d" : "%d", q[i]);
  std::printf("]\n");
}

// Fake-quant MSE over the values that are not the outlier, the ones a user cares about.
double bulkMse(const std::vector<float>& x, const quant::QuantParams& p, float outlier) {
  std::vector<float> xhat(x.size());
  quant::fakeQuantize(x, p, xhat);
  double sum = 0;
  int n = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] == outlier) continue;
    sum += (x[i] - xhat[i]) * (x[i] - xhat[i]);
    ++n;
  }
  return sum / n;
}

quant::Tensor vectorTensor(const std::vector<float>& x) {
  quant::Tensor t;
  t.data = x;
  t.shape = {static_cast<std::int64_t>(x.size())};
  return t;
}

}  // namespace

int runDemo(const std::vector<std::string>& argv) {
  Args a(argv, {}, {});
  if (!a.positional().empty()) throw UsageError("demo takes no arguments");

  heading("1. One number, five float formats: 0.1");
  for (const char* name : {"fp32", "fp16", "bf16", "e4m3", "e5m2"}) {
    const quant::FloatFormat f = quant::FloatFormat::byName(name);
    const quant::Encoded e = quant::encode(f, 0.1);
    std::printf("  %-7s %-30s = %-32s error %.3g\n", f.name.c_str(),
                quant::formatBinary(f, e.bits).c_str(), quant::exactDecimal(f, e.bits).c_str(),
                e.absError);
  }

  const std::vector<float> x = {0.3f, 0.6f, -0.3f, -0.5f, 0.0f, 0.7f, -0.8f, 0.2f};
  const quant::Tensor tx = vectorTensor(x);
  std::printf("\nx = [0.3, 0.6, -0.3, -0.5, 0.0, 0.7, -0.8, 0.2]\n");

  heading("2. int8 symmetric (scale = absmax / 127, zero point 0)");
  quant::QuantSpec sym;
  printCodes("symmetric, min-max:", x, quant::calibrateParams(tx, sym, {}));

  heading("3. int8 asymmetric (scale = (max - min) / 255, zero point shifts the grid)");
  quant::QuantSpec asym;
  asym.scheme = quant::Scheme::Asymmetric;
  const quant::QuantParams pa = quant::calibrateParams(tx, asym, {});
  printCodes("asymmetric, min-max:", x, pa);
  std::vector<float> back(x.size());
  quant::fakeQuantize(x, pa, back);
  std::printf("  dequantized:");
  for (float v : back) std::printf(" %.5f", v);
  std::printf("\n  every value comes back within scale/2 = %.5f\n", pa.scales[0] / 2);

  heading("4. One outlier (-99) ruins min-max calibration");
  std::vector<float> xo = x;
  xo[6] = -99.0f;
  const quant::Tensor to = vectorTensor(xo);
  for (const char* method : {"minmax", "percentile-abs:85", "mse"}) {
    const quant::QuantParams p = quant::calibrateParams(to, sym, quant::parseCalibration(method));
    printCodes(method, xo, p);
    std::printf("  MSE on the seven ordinary values: %.3g\n", bulkMse(xo, p, -99.0f));
  }
  std::printf("  MSE calibration minimises the error over ALL values, the outlier included:\n"
              "  clipping -99 would cost far more than the rounding error it saves, so it keeps\n"
              "  the full range. The percentile sacrifices the outlier to save the other seven.\n");

  heading("5. Single values");
  quant::QuantSpec s8;
  // The course spreads [-10, 10] over all 255 steps of int8: scale 20/255.
  std::printf("  3.6 with scale 20/255, zero point 0 -> %d\n",
              quant::quantizeValue(3.6f, 20.0f / 255.0f, 0, s8.qmin(), s8.qmax()));
  quant::QuantSpec u8;
  u8.isSigned = false;
  u8.scheme = quant::Scheme::Asymmetric;
  const quant::ScaleZeroPoint u = quant::chooseParams(u8, -1.0f, 1.0f);
  const std::int32_t q = quant::quantizeValue(0.5f, u.scale, u.zeroPoint, u8.qmin(), u8.qmax());
  std::printf("  uint8 over [-1, 1]: scale 2/255, zero point %d; 0.5 -> %d -> %.5f\n",
              u.zeroPoint, q, quant::dequantizeValue(q, u.scale, u.zeroPoint));

  heading("6. Rule of thumb: each bit buys about 6 dB of SQNR");
  for (int bits : {4, 8, 16})
    std::printf("  %2d bits: %.2f dB\n", bits, quant::sqnrRuleOfThumbDb(bits));

  heading("7. Code books on 65536 normally distributed weights (seed 1)");
  quant::GeneratorSpec g;
  g.shape = {65536};
  g.seed = 1;
  const quant::Tensor w = quant::generate(g);
  std::printf("  %-8s %10s %14s\n", "scheme", "MSE", "bits/weight");
  for (const char* scheme : {"q8_0", "absmax", "nf4", "q4_0", "kmeans"}) {
    const quant::CodebookResult r = quant::quantizeNonUniform(scheme, w.data);
    std::printf("  %-8s %10.3g %14.4g\n", scheme, r.mse, r.bitsPerWeight);
  }
  std::printf("  (absmax, nf4: 4-bit codes in blocks of 64; kmeans: 16 centroids for the tensor)\n");
  std::printf("\nNext: quantlab-cli --help, or quantlab-cli quantize --help.\n");
  return 0;
}

}  // namespace cli
