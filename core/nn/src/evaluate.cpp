// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluation of a classifier in float32 and the int8 modes; see evaluate.h.
#include "quant/nn/evaluate.h"

#include <algorithm>
#include <chrono>
#include <functional>

#include "quant/numeric/metrics.h"

namespace quant {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

int argmax(const float* v, std::int64_t n) {
  int best = 0;
  for (std::int64_t i = 1; i < n; ++i)
    if (v[i] > v[best]) best = static_cast<int>(i);
  return best;
}

using RunFn = std::function<Tensor(const Tensor&)>;

// The outputs of the first n images, batch by batch, concatenated; false when cancelled.
bool runBatches(const Model& m, const Tensor& images, std::int64_t n, std::int64_t classes,
                std::int64_t chunk, const RunFn& run, const std::function<bool(double)>& progress,
                std::vector<float>& out) {
  out.clear();
  out.reserve(static_cast<std::size_t>(n * classes));
  for (std::int64_t first = 0; first < n; first += chunk) {
    if (progress && !progress(static_cast<double>(first) / static_cast<double>(n))) return false;
    const std::int64_t count = std::min(chunk, n - first);
    const Tensor y = run(sampleBatch(m, images, first, count));
    if (static_cast<std::int64_t>(y.data.size()) != count * classes)
      throw Error("model output has " + std::to_string(y.data.size()) + " values for " +
                  std::to_string(count) + " images, expected " + std::to_string(count * classes));
    out.insert(out.end(), y.data.begin(), y.data.end());
  }
  return true;
}

}  // namespace

const char* evalModeName(EvalMode mode) {
  switch (mode) {
    case EvalMode::Fp32:
      return "fp32";
    case EvalMode::Int8Static:
      return "int8";
    case EvalMode::Dynamic:
      return "dynamic";
    case EvalMode::WeightOnly:
      return "weight-only";
  }
  return "fp32";
}

Tensor sampleBatch(const Model& m, const Tensor& images, std::int64_t first, std::int64_t count) {
  const std::int64_t per = checkedNumel(m.inputShape);
  if (images.shape.empty() || images.numel() / std::max<std::int64_t>(images.shape[0], 1) != per ||
      first < 0 || count < 0 || first + count > images.shape[0])
    throw Error("images " + images.shapeString() + " do not fit the model input " +
                Tensor{"", "float32", m.inputShape, {}}.shapeString());
  Tensor t;
  t.name = m.input;
  t.shape = {count};
  t.shape.insert(t.shape.end(), m.inputShape.begin(), m.inputShape.end());
  t.data.assign(images.data.begin() + first * per, images.data.begin() + (first + count) * per);
  return t;
}

void labelWithPredictions(const Model& fp32, Dataset& data, std::int64_t chunk) {
  const std::int64_t classes = checkedNumel(fp32.outputShape());
  if (classes > 256)
    throw Error("the model has " + std::to_string(classes) + " outputs; labels hold 256 classes");
  const std::int64_t n = data.images.shape.empty() ? 0 : data.images.shape[0];
  std::vector<float> out;
  runBatches(fp32, data.images, n, classes, std::max<std::int64_t>(chunk, 1),
             [&](const Tensor& x) { return forward(fp32, x); }, {}, out);
  data.labels.resize(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    data.labels[static_cast<std::size_t>(i)] =
        static_cast<std::uint8_t>(argmax(out.data() + i * classes, classes));
}

Evaluation evaluate(const Model& fp32, const Dataset& data, std::span<const EvalMode> modes,
                    const EvalConfig& config, const ProgressFn& progress) {
  Evaluation ev;
  const auto have = static_cast<std::int64_t>(data.labels.size());
  const std::int64_t n = config.limit > 0 ? std::min(config.limit, have) : have;
  const std::int64_t classes = checkedNumel(fp32.outputShape());
  const std::int64_t chunk = std::max<std::int64_t>(config.chunk, 1);
  ev.images = n;
  std::vector<EvalMode> order{EvalMode::Fp32};
  for (EvalMode m : modes)
    if (m != EvalMode::Fp32) order.push_back(m);

  auto measure = [&](ModeEvaluation& r, const std::vector<float>& y,
                     const std::vector<float>& ref) {
    std::int64_t correct = 0, agree = 0;
    r.predictions.resize(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
      const int p = argmax(y.data() + i * classes, classes);
      r.predictions[static_cast<std::size_t>(i)] = p;
      correct += p == data.labels[static_cast<std::size_t>(i)];
      agree += p == argmax(ref.data() + i * classes, classes);
    }
    r.accuracy = n > 0 ? static_cast<double>(correct) / static_cast<double>(n) : 0.0;
    r.agreement = n > 0 ? static_cast<double>(agree) / static_cast<double>(n) : 0.0;
    r.outputSqnrDb = computeMetrics(ref, y).sqnrDb;
  };

  std::vector<float> ref, y;
  for (std::size_t mi = 0; mi < order.size(); ++mi) {
    const EvalMode mode = order[mi];
    const auto step = [&](double f) {
      return !progress ||
             progress((static_cast<double>(mi) + f) / static_cast<double>(order.size()));
    };
    ModeEvaluation r;
    r.mode = mode;
    if (config.onMode) config.onMode(mode);
    try {
      auto t0 = Clock::now();
      std::vector<float>& out = mode == EvalMode::Fp32 ? ref : y;
      // The prepared model of this mode (only the one in use is filled) and how to run it.
      Int8Model own;
      DynamicInt8Model dynamic;
      Model weightOnly;
      RunFn run;
      const bool perChannel = config.recipe.weights.perChannel;
      if (mode == EvalMode::Fp32) {
        r.bytes = modelBytes(fp32, uniformPlan(fp32, kFp32, kFp32), config.recipe);
        run = [&](const Tensor& x) { return forward(fp32, x); };
      } else if (mode == EvalMode::Int8Static) {
        if (!config.prepared) own = quantizeModel(fp32, config.calibration, config.recipe);
        const Int8Model& q = config.prepared ? *config.prepared : own;
        r.floatLayers = floatLayerNotes(q);
        r.bytes = modelBytes(fp32, uniformPlan(fp32, 8, 8), q.recipe);
        run = [&q](const Tensor& x) { return runInt8(q, x); };
      } else if (mode == EvalMode::Dynamic) {
        dynamic = quantizeDynamic(fp32, perChannel);
        r.bytes = modelBytes(fp32, uniformPlan(fp32, 8, kFp32), config.recipe);
        run = [&](const Tensor& x) { return runDynamic(dynamic, x); };
      } else {
        weightOnly = weightOnlyModel(fp32, perChannel);
        r.bytes = modelBytes(fp32, uniformPlan(fp32, 8, kFp32), config.recipe);
        run = [&](const Tensor& x) { return forward(weightOnly, x); };
      }
      if (mode != EvalMode::Fp32) {
        r.prepareSeconds = secondsSince(t0);
        t0 = Clock::now();
      }
      const bool done = runBatches(fp32, data.images, n, classes, chunk, run, step, out);
      r.runSeconds = secondsSince(t0);
      if (!done) {
        ev.modes.clear();
        ev.cancelled = true;
        return ev;
      }
      measure(r, out, ref);
    } catch (const Error& e) {
      if (mode == EvalMode::Fp32 || !config.keepGoing) throw;
      r.error = e.what();
    }
    ev.modes.push_back(std::move(r));
  }
  if (progress) progress(1.0);
  return ev;
}

}  // namespace quant
