// SPDX-License-Identifier: GPL-3.0-or-later
// float32 / int8 benchmark; see bench.h.
#include "quant/nn/bench.h"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "quant/base/tensor.h"

namespace quant {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::int64_t perSample(const std::vector<std::int64_t>& shape) {
  return std::accumulate(shape.begin(), shape.end(), std::int64_t{1}, std::multiplies<>());
}

LayerRoofline placeUnderRoof(std::int64_t macs, std::int64_t batch, double seconds,
                             std::int64_t bytes, double peakGops, const roofline::Peaks& peaks) {
  LayerRoofline r;
  r.gops = gops(macs, batch, seconds);
  r.bytes = bytes;
  r.opsPerByte = bytes > 0 ? 2.0 * static_cast<double>(macs) * static_cast<double>(batch) /
                                 static_cast<double>(bytes)
                           : 0.0;
  const roofline::MemoryLevel& level = peaks.levelFor(bytes);
  const roofline::Roof roof = roofline::roof(peakGops, r.opsPerByte, level);
  r.memory = level.name;
  r.attainableGops = roof.attainableGops;
  r.computeBound = roof.computeBound;
  r.percent = roof.attainableGops > 0 ? 100.0 * r.gops / roof.attainableGops : 0.0;
  return r;
}

// The index of the median of `v` (the lower middle one for an even count; 0 for none), so that
// every part reported comes from one real run.
std::size_t medianRun(const std::vector<double>& v) {
  if (v.empty()) return 0;
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
  return order[(order.size() - 1) / 2];
}

}  // namespace

double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

double gops(std::int64_t macsPerSample, std::int64_t batch, double seconds) {
  return seconds > 0
             ? 2.0 * static_cast<double>(macsPerSample) * static_cast<double>(batch) / seconds / 1e9
             : 0.0;
}

BenchReport bench(const Model& m, const Int8Model& q, const Tensor& input,
                  const BenchConfig& config, const ProgressFn& progress) {
  BenchReport r;
  r.batch = input.shape.empty() ? 0 : input.shape[0];
  const int threads = std::max(1, config.threads), repeats = std::max(0, config.repeats);
  const double steps = 2.0 * std::max(1, repeats);
  const std::size_t nFp = m.layers.size(), nQ = q.layers.size();
  std::vector<double> qIn, qOut, fpProfiled, qProfiled;
  // Per profiled run: the layer times, in model order.
  std::vector<std::vector<double>> fpLayer, qLayer;
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
    const auto t1 = Clock::now();
    (void)forwardTimed(m, input, threads, &times);
    fpProfiled.push_back(secondsSince(t1));
    r.schedule.insert(r.schedule.end(), {BenchRun::Fp32, BenchRun::Fp32Profiled});
    fpLayer.emplace_back(nFp, 0.0);
    for (std::size_t i = 0; i < nFp && i < times.size(); ++i) fpLayer.back()[i] = times[i].seconds;
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
    const auto t1 = Clock::now();
    (void)runInt8(q, input, nullptr, &prof, threads);
    qProfiled.push_back(secondsSince(t1));
    r.schedule.insert(r.schedule.end(), {BenchRun::Int8, BenchRun::Int8Profiled});
    qIn.push_back(prof.quantizeInput);
    qOut.push_back(prof.dequantizeOutput);
    qLayer.emplace_back(nQ, 0.0);
    for (std::size_t i = 0; i < nQ && i < prof.layers.size(); ++i)
      qLayer.back()[i] = prof.layers[i].seconds;
  }
  // After every timed run, so the micro-kernels cannot disturb them.
  r.peaks = roofline::peaks(cpu::activeIsa());
  // No repeats: zero times, no run to take them from.
  if (fpLayer.empty()) fpLayer.emplace_back(nFp, 0.0);
  if (qLayer.empty()) {
    qLayer.emplace_back(nQ, 0.0);
    qIn.push_back(0.0);
    qOut.push_back(0.0);
  }
  const std::size_t fpRun = medianRun(fpProfiled), qRun = medianRun(qProfiled);
  const std::vector<double>& fpTimes = fpLayer[fpRun];
  const std::vector<double>& qTimes = qLayer[qRun];

  const std::int64_t N = r.batch;
  std::vector<bool> covered(nFp, false);
  for (std::size_t i = 0; i < nQ; ++i) {
    const Int8Layer& L = q.layers[i];
    BenchLayer row;
    row.name = L.name;
    row.type = layerTypeName(L.type);
    row.fusedActivation = L.fusedActivation;
    std::int64_t fpBytes = 0;
    for (std::size_t j = 0; j < nFp; ++j) {
      const Layer& f = m.layers[j];
      if (f.name != L.name && (L.fusedActivation.empty() || f.name != L.fusedActivation)) continue;
      row.fp32 += fpTimes[j];
      if (f.name == L.name) row.macs = f.macs;
      fpBytes += 4 * (N * (perSample(f.inShape) + perSample(f.outShape)) + f.weight.size() +
                      f.bias.size());
      covered[j] = true;
    }
    if (!L.packed.empty()) row.k = L.packed.front().K;
    row.int8 = qTimes[i];
    if (row.macs > 0) {
      const std::int64_t qBytes =
          N * (perSample(L.inShape) + perSample(L.outShape)) +
          static_cast<std::int64_t>(L.weights.size() + 4 * L.bias.size() + 8 * L.requant.size());
      row.fp32Roof = placeUnderRoof(row.macs, N, row.fp32, fpBytes, r.peaks.fp32Gops, r.peaks);
      row.int8Roof = placeUnderRoof(row.macs, N, row.int8, qBytes, r.peaks.int8Gops, r.peaks);
    }
    r.int8StageSum += row.int8;
    r.layers.push_back(row);
  }
  for (std::size_t j = 0; j < nFp; ++j) {
    r.fp32LayerSum += fpTimes[j];
    if (!covered[j]) r.fp32OnlyLayers.push_back({m.layers[j].name, fpTimes[j]});
  }
  r.fp32 = median(r.fp32Runs);
  r.int8 = median(r.int8Runs);
  r.fp32Profiled = median(fpProfiled);
  r.int8Profiled = median(qProfiled);
  r.quantizeInput = qIn[qRun];
  r.dequantizeOutput = qOut[qRun];
  r.int8StageSum += r.quantizeInput + r.dequantizeOutput;
  r.fp32Bytes = modelBytes(m, uniformPlan(m, kFp32, kFp32), q.recipe);
  r.int8Bytes = modelBytes(m, uniformPlan(m, 8, 8), q.recipe);
  if (progress) progress(1.0);
  return r;
}

}  // namespace quant
