// SPDX-License-Identifier: GPL-3.0-or-later
// float32 / int8 benchmark; see bench.h.
#include "quant/nn/bench.h"

#include <algorithm>
#include <chrono>

namespace quant {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

BenchReport bench(const Model& m, const Int8Model& q, const Tensor& input,
                  const BenchConfig& config, const ProgressFn& progress) {
  BenchReport r;
  const int threads = std::max(1, config.threads), repeats = std::max(0, config.repeats);
  const double steps = 2.0 * std::max(1, repeats);
  const std::size_t nFp = m.layers.size(), nQ = q.layers.size();
  std::vector<double> qIn, qComp, qReq, qOut;
  std::vector<std::vector<double>> fpLayer(nFp), qLayerComp(nQ), qLayerReq(nQ);
  auto keepGoing = [&](double done) {
    if (!progress || progress(done / steps)) return true;
    r.cancelled = true;
    return false;
  };

  std::vector<LayerTime> times;
  for (int i = 0; i < config.warmup; ++i) {
    (void)forwardTimed(m, input, threads);
    r.schedule.push_back(BenchRun::Fp32Warmup);
  }
  for (int rep = 0; rep < repeats; ++rep) {
    if (!keepGoing(rep)) return r;
    const auto t0 = Clock::now();
    (void)forwardTimed(m, input, threads);
    r.fp32Runs.push_back(secondsSince(t0));
    (void)forwardTimed(m, input, threads, &times);
    r.schedule.insert(r.schedule.end(), {BenchRun::Fp32, BenchRun::Fp32Profiled});
    for (std::size_t i = 0; i < nFp && i < times.size(); ++i)
      fpLayer[i].push_back(times[i].seconds);
  }
  Int8Profile prof;
  for (int i = 0; i < config.warmup; ++i) {
    (void)runInt8(q, input, nullptr, nullptr, threads);
    r.schedule.push_back(BenchRun::Int8Warmup);
  }
  for (int rep = 0; rep < repeats; ++rep) {
    if (!keepGoing(repeats + rep)) return r;
    const auto t0 = Clock::now();
    (void)runInt8(q, input, nullptr, nullptr, threads);
    r.int8Runs.push_back(secondsSince(t0));
    (void)runInt8(q, input, nullptr, &prof, threads);
    r.schedule.insert(r.schedule.end(), {BenchRun::Int8, BenchRun::Int8Profiled});
    qIn.push_back(prof.quantizeInput);
    qComp.push_back(prof.compute);
    qReq.push_back(prof.requantize);
    qOut.push_back(prof.dequantizeOutput);
    for (std::size_t i = 0; i < nQ && i < prof.layers.size(); ++i) {
      qLayerComp[i].push_back(prof.layers[i].compute);
      qLayerReq[i].push_back(prof.layers[i].requantize);
    }
  }

  std::vector<bool> covered(nFp, false);
  for (std::size_t i = 0; i < nQ; ++i) {
    const Int8Layer& L = q.layers[i];
    BenchLayer row;
    row.name = L.name;
    row.type = layerTypeName(L.type);
    row.fusedActivation = L.fusedActivation;
    for (std::size_t j = 0; j < nFp; ++j) {
      const Layer& f = m.layers[j];
      if (f.name != L.name && (L.fusedActivation.empty() || f.name != L.fusedActivation)) continue;
      row.fp32 += median(fpLayer[j]);
      if (f.name == L.name) row.macs = f.macs;
      covered[j] = true;
    }
    if (!L.packed.empty()) row.k = L.packed.front().K;
    row.int8Compute = median(qLayerComp[i]);
    row.int8Requantize = median(qLayerReq[i]);
    r.layers.push_back(row);
  }
  for (std::size_t j = 0; j < nFp; ++j)
    if (!covered[j]) r.fp32OnlyLayers.push_back({m.layers[j].name, median(fpLayer[j])});
  r.fp32 = median(r.fp32Runs);
  r.int8 = median(r.int8Runs);
  r.quantizeInput = median(qIn);
  r.compute = median(qComp);
  r.requantize = median(qReq);
  r.dequantizeOutput = median(qOut);
  r.fp32Bytes = modelBytes(m, uniformPlan(m, kFp32, kFp32), q.recipe);
  r.int8Bytes = modelBytes(m, uniformPlan(m, 8, 8), q.recipe);
  if (progress) progress(1.0);
  return r;
}

}  // namespace quant
