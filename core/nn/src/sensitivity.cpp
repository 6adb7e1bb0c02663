// SPDX-License-Identifier: GPL-3.0-or-later
// Fake-quantized execution, layer sensitivity and mixed precision; see sensitivity.h.
#include "quant/nn/sensitivity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>

#include "quant/nn/modelsize.h"

namespace quant {

namespace {

void checkBits(int bits, const char* what) {
  if (bits != kFp32 && (bits < 2 || bits > 16)) {
    throw Error(std::string(what) + " precision must be fp32 or 2..16 bits, got " +
                std::to_string(bits));
  }
}

double sqnrDb(double signal, double noise) {
  if (noise == 0.0) return std::numeric_limits<double>::infinity();
  if (signal == 0.0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(signal / noise);
}

// Sum of squares of `ref` and of ref - x (both of the same size).
void accumulateError(std::span<const float> ref, std::span<const float> x, double& signal,
                     double& noise) {
  double s = 0, e = 0;
  for (std::size_t i = 0; i < ref.size(); ++i) {
    const double r = ref[i];
    const double d = static_cast<double>(x[i]) - r;
    s += r * r;
    e += d * d;
  }
  signal += s;
  noise += e;
}

std::int64_t argmaxRow(std::span<const float> row) {
  std::int64_t best = 0;
  for (std::size_t i = 1; i < row.size(); ++i)
    if (row[i] > row[static_cast<std::size_t>(best)]) best = static_cast<std::int64_t>(i);
  return best;
}

bool isQuantized(const LayerPrecision& p) {
  return p.weightBits != kFp32 || p.activationBits != kFp32;
}

}  // namespace

FakeQuantModel::FakeQuantModel(const Model& fp32, const Tensor& calibrationImages,
                               const QuantRecipe& recipe, std::span<const int> activationBits)
    : fp32_(fp32), recipe_(recipe) {
  fp32_.finalize();
  const std::size_t n = fp32_.layers.size();
  std::string prev = fp32_.input;
  for (std::size_t i = 0; i < n; ++i) {
    const Layer& l = fp32_.layers[i];
    if (l.inputs.size() != 1 || l.inputs[0] != prev) {
      throw Error("fake quantization: layer '" + l.name +
                  "' does not consume the previous layer's output (only chains are supported)");
    }
    prev = l.output;
  }
  if (n == 0 || fp32_.output != prev) {
    throw Error("fake quantization: the model output must be its last layer's output");
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Layer& l = fp32_.layers[i];
    if (l.type != LayerType::Linear && l.type != LayerType::Conv2d) continue;
    QuantizableLayer q;
    q.index = i;
    q.activationIndex = i;
    if (i + 1 < n && (fp32_.layers[i + 1].type == LayerType::ReLU ||
                      fp32_.layers[i + 1].type == LayerType::Clip)) {
      q.activationIndex = i + 1;
    }
    q.name = l.name;
    q.type = l.type;
    q.weights = static_cast<std::int64_t>(l.weight.size());
    q.biases = static_cast<std::int64_t>(l.bias.size());
    q.channels = static_cast<std::int64_t>(l.weight.rows());
    layers_.push_back(q);
  }
  if (layers_.empty()) throw Error("fake quantization: the model has no Linear or Conv2d layer");

  auto makeSegment = [&](std::size_t first, std::size_t last, int k) {
    Segment s;
    s.quantizable = k;
    s.model.input = first == 0 ? fp32_.input : fp32_.layers[first - 1].output;
    s.model.inputShape = first == 0 ? fp32_.inputShape : fp32_.layers[first - 1].outShape;
    s.model.layers.assign(fp32_.layers.begin() + static_cast<std::ptrdiff_t>(first),
                          fp32_.layers.begin() + static_cast<std::ptrdiff_t>(last) + 1);
    s.model.output.clear();
    s.model.finalize();
    segments_.push_back(std::move(s));
  };
  std::size_t start = 0;
  for (std::size_t k = 0; k < layers_.size(); ++k) {
    makeSegment(start, layers_[k].activationIndex, static_cast<int>(k));
    start = layers_[k].activationIndex + 1;
  }
  if (start < n) makeSegment(start, n - 1, -1);
  quantizedSegments_.resize(segments_.size());
  for (auto& v : quantizedSegments_) v.resize(17);

  for (int b : activationBits) {
    if (b < 2 || b > 16) throw Error("activation bits must be in 2..16, got " + std::to_string(b));
    if (std::find(calibratedBits_.begin(), calibratedBits_.end(), b) == calibratedBits_.end())
      calibratedBits_.push_back(b);
  }
  if (calibrationImages.shape.empty() || calibrationImages.shape[0] < 1) {
    throw Error("fake quantization: empty calibration set");
  }
  ranges_.assign(layers_.size(), std::vector<Range>(17));
  if (calibratedBits_.empty()) return;
  // One segment at a time, so only one activation tensor of the calibration set is alive.
  Tensor x = calibrationImages;
  // Images stored as [N, 1, 28, 28] also feed a model declared as [N, 784]: same values.
  const std::int64_t per = checkedNumel(fp32_.inputShape);
  const std::int64_t count = calibrationImages.shape[0];
  if (static_cast<std::int64_t>(x.data.size()) != count * per) {
    throw Error("fake quantization: calibration images " + calibrationImages.shapeString() +
                " do not match the model input");
  }
  x.shape = fp32_.inputShape;
  x.shape.insert(x.shape.begin(), count);
  for (const Segment& s : segments_) {
    x = forward(s.model, x);
    if (s.quantizable < 0) continue;
    for (int b : calibratedBits_) {
      ranges_[static_cast<std::size_t>(s.quantizable)][static_cast<std::size_t>(b)] =
          calibrate(x.data, recipe_.withBits(kFp32, b).activations.spec(),
                    recipe_.activations.calibration)
              .range;
    }
  }
}

PrecisionPlan FakeQuantModel::uniformPlan(int weightBits, int activationBits) const {
  return PrecisionPlan(layers_.size(), LayerPrecision{weightBits, activationBits});
}

void FakeQuantModel::validatePlan(const PrecisionPlan& plan) const {
  if (plan.size() != layers_.size()) {
    throw Error("precision plan has " + std::to_string(plan.size()) + " entries for " +
                std::to_string(layers_.size()) + " Linear/Conv2d layers");
  }
  for (const LayerPrecision& p : plan) {
    checkBits(p.weightBits, "weight");
    checkBits(p.activationBits, "activation");
    if (p.activationBits != kFp32 && std::find(calibratedBits_.begin(), calibratedBits_.end(),
                                               p.activationBits) == calibratedBits_.end()) {
      throw Error("activation ranges for " + std::to_string(p.activationBits) +
                  " bits were not calibrated");
    }
  }
}

QuantParams FakeQuantModel::weightParams(std::size_t k, int bits) const {
  checkBits(bits, "weight");
  if (bits == kFp32) throw Error("weightParams: fp32 has no quantization parameters");
  const Layer& l = fp32_.layers[layers_.at(k).index];
  Tensor w;
  w.shape = {static_cast<std::int64_t>(l.weight.rows()),
             static_cast<std::int64_t>(l.weight.cols())};
  w.data.assign(l.weight.data(), l.weight.data() + l.weight.size());
  // Min-max over each channel: the scale max|W[o,:]| / (2^(b-1)-1).
  return calibrateParams(w, recipe_.withBits(bits, kFp32).weights.spec(), CalibrationConfig{});
}

RowMatrix FakeQuantModel::fakeQuantizedWeight(std::size_t k, int bits) const {
  const Layer& l = fp32_.layers[layers_.at(k).index];
  RowMatrix out = l.weight;
  if (bits == kFp32) return out;
  const QuantParams p = weightParams(k, bits);
  fakeQuantize(std::span<const float>(l.weight.data(), static_cast<std::size_t>(l.weight.size())),
               p, std::span<float>(out.data(), static_cast<std::size_t>(out.size())));
  return out;
}

QuantParams FakeQuantModel::activationParams(std::size_t k, int bits, std::int64_t values) const {
  if (std::find(calibratedBits_.begin(), calibratedBits_.end(), bits) == calibratedBits_.end()) {
    throw Error("activation ranges for " + std::to_string(bits) + " bits were not calibrated");
  }
  const std::int64_t shape[1] = {values};
  const Range r[1] = {ranges_.at(k)[static_cast<std::size_t>(bits)]};
  return makeParams(recipe_.withBits(kFp32, bits).activations.spec(), shape, r);
}

std::int64_t FakeQuantModel::sizeBytes(const PrecisionPlan& plan) const {
  validatePlan(plan);
  return modelBytes(fp32_, plan, recipe_).total();
}

const Model& FakeQuantModel::segmentModel(std::size_t segment, int weightBits) const {
  const Segment& s = segments_.at(segment);
  if (weightBits == kFp32 || s.quantizable < 0) return s.model;
  checkBits(weightBits, "weight");
  auto& slot = quantizedSegments_[segment][static_cast<std::size_t>(weightBits)];
  if (!slot) {
    const auto k = static_cast<std::size_t>(s.quantizable);
    auto m = std::make_unique<Model>(s.model);
    const std::size_t first =
        layers_[k].index - (layers_[k].activationIndex + 1 - s.model.layers.size());
    m->layers[first].weight = fakeQuantizedWeight(k, weightBits);
    slot = std::move(m);
  }
  return *slot;
}

Tensor FakeQuantModel::run(const PrecisionPlan& plan, const Tensor& input) const {
  validatePlan(plan);
  Tensor x = input;
  const std::int64_t per = checkedNumel(fp32_.inputShape);
  if (x.shape.empty() || x.shape[0] < 1 ||
      static_cast<std::int64_t>(x.data.size()) != x.shape[0] * per) {
    throw Error("fake quantization: input " + input.shapeString() +
                " does not match the model input");
  }
  x.shape = fp32_.inputShape;
  x.shape.insert(x.shape.begin(), input.shape[0]);
  for (std::size_t s = 0; s < segments_.size(); ++s) {
    const int k = segments_[s].quantizable;
    const LayerPrecision p = k < 0 ? LayerPrecision{} : plan[static_cast<std::size_t>(k)];
    x = forward(segmentModel(s, p.weightBits), x);
    if (p.activationBits != kFp32) {
      const QuantParams ap = activationParams(static_cast<std::size_t>(k), p.activationBits,
                                              static_cast<std::int64_t>(x.data.size()));
      fakeQuantize(x.data, ap, x.data);
    }
  }
  return x;
}

Dataset sliceDataset(const Dataset& data, std::int64_t first, std::int64_t count) {
  Dataset out;
  out.classNames = data.classNames;
  const auto n = static_cast<std::int64_t>(data.labels.size());
  first = std::clamp<std::int64_t>(first, 0, n);
  count = std::clamp<std::int64_t>(count, 0, n - first);
  const std::int64_t per = n == 0 ? 0 : static_cast<std::int64_t>(data.images.data.size()) / n;
  out.images.shape = data.images.shape;
  if (out.images.shape.empty()) out.images.shape = {0};
  out.images.shape[0] = count;
  out.images.data.assign(data.images.data.begin() + first * per,
                         data.images.data.begin() + (first + count) * per);
  out.labels.assign(data.labels.begin() + first, data.labels.begin() + first + count);
  return out;
}

std::vector<PlanResult> evaluatePlans(const FakeQuantModel& model,
                                      std::span<const PrecisionPlan> plans, const Dataset& data,
                                      const EvaluateOptions& options, double* fp32Accuracy,
                                      const ProgressFn& progress, bool* cancelled) {
  if (cancelled) *cancelled = false;
  for (const PrecisionPlan& p : plans) model.validatePlan(p);
  const auto n = static_cast<std::int64_t>(data.labels.size());
  const Model& fp = model.fp32();
  const std::int64_t per = checkedNumel(fp.inputShape);
  if (static_cast<std::int64_t>(data.images.data.size()) != n * per) {
    throw Error("evaluate: the images do not match the model input " +
                Tensor{"", "float32", fp.inputShape, {}}.shapeString());
  }
  if (options.chunk < 1) throw Error("evaluate: chunk must be >= 1");
  const auto& segs = model.segments();
  const std::size_t L = model.layers().size();
  const std::size_t P = plans.size();

  struct Acc {
    std::int64_t correct = 0, agree = 0;
    double outSignal = 0, outNoise = 0;
    std::vector<double> propSignal, propNoise, isoSignal, isoNoise;
  };
  std::vector<Acc> acc(P);
  for (Acc& a : acc) {
    a.propSignal.assign(L, 0);
    a.propNoise.assign(L, 0);
    a.isoSignal.assign(L, 0);
    a.isoNoise.assign(L, 0);
  }
  std::int64_t fpCorrect = 0;

  // Per plan, the first segment that differs from fp32 (everything before it is reused).
  std::vector<std::size_t> firstQuantized(P, segs.size());
  for (std::size_t p = 0; p < P; ++p) {
    for (std::size_t s = 0; s < segs.size(); ++s) {
      const int k = segs[s].quantizable;
      if (k >= 0 && isQuantized(plans[p][static_cast<std::size_t>(k)])) {
        firstQuantized[p] = s;
        break;
      }
    }
  }

  auto runSegment = [&](std::size_t s, const PrecisionPlan& plan, const Tensor& in) {
    const int k = segs[s].quantizable;
    const LayerPrecision lp = k < 0 ? LayerPrecision{} : plan[static_cast<std::size_t>(k)];
    Tensor y = forward(model.segmentModel(s, lp.weightBits), in);
    if (lp.activationBits != kFp32) {
      const QuantParams ap = model.activationParams(static_cast<std::size_t>(k), lp.activationBits,
                                                    static_cast<std::int64_t>(y.data.size()));
      fakeQuantize(y.data, ap, y.data);
    }
    return y;
  };

  const double total = static_cast<double>(std::max<std::int64_t>(n, 1)) * (P + 1);
  double done = 0;
  for (std::int64_t c0 = 0; c0 < n; c0 += options.chunk) {
    const std::int64_t m = std::min(options.chunk, n - c0);
    Tensor in;
    in.shape = fp.inputShape;
    in.shape.insert(in.shape.begin(), m);
    in.data.assign(data.images.data.begin() + c0 * per, data.images.data.begin() + (c0 + m) * per);
    // fp32 pass, keeping every segment's output of this chunk.
    std::vector<Tensor> ref(segs.size());
    for (std::size_t s = 0; s < segs.size(); ++s)
      ref[s] = forward(segs[s].model, s == 0 ? in : ref[s - 1]);
    const Tensor& refOut = ref.back();
    const std::size_t row = refOut.data.size() / static_cast<std::size_t>(m);
    std::vector<std::int64_t> refTop(static_cast<std::size_t>(m));
    for (std::int64_t i = 0; i < m; ++i) {
      refTop[static_cast<std::size_t>(i)] = argmaxRow(
          std::span<const float>(refOut.data).subspan(static_cast<std::size_t>(i) * row, row));
      if (refTop[static_cast<std::size_t>(i)] == data.labels[static_cast<std::size_t>(c0 + i)])
        ++fpCorrect;
    }
    done += static_cast<double>(m);
    if (progress && !progress(done / total)) {
      if (cancelled) *cancelled = true;
      return {};
    }

    for (std::size_t p = 0; p < P; ++p) {
      const PrecisionPlan& plan = plans[p];
      Acc& a = acc[p];
      const std::size_t s0 = firstQuantized[p];
      Tensor x;  // the quantized network's current activation (valid from s0 on)
      for (std::size_t s = 0; s < segs.size(); ++s) {
        const int k = segs[s].quantizable;
        if (s < s0) {
          if (k >= 0) {
            const auto ku = static_cast<std::size_t>(k);
            accumulateError(ref[s].data, ref[s].data, a.propSignal[ku], a.propNoise[ku]);
          }
          continue;
        }
        const Tensor& prevRef = s == 0 ? in : ref[s - 1];
        Tensor y = runSegment(s, plan, s == s0 ? prevRef : x);
        if (k >= 0) {
          const auto ku = static_cast<std::size_t>(k);
          accumulateError(ref[s].data, y.data, a.propSignal[ku], a.propNoise[ku]);
          if (options.isolated && isQuantized(plan[ku])) {
            if (s == s0) {
              accumulateError(ref[s].data, y.data, a.isoSignal[ku], a.isoNoise[ku]);
            } else {
              const Tensor iso = runSegment(s, plan, prevRef);
              accumulateError(ref[s].data, iso.data, a.isoSignal[ku], a.isoNoise[ku]);
            }
          }
        }
        x = std::move(y);
      }
      const Tensor& out = s0 < segs.size() ? x : refOut;
      accumulateError(refOut.data, out.data, a.outSignal, a.outNoise);
      for (std::int64_t i = 0; i < m; ++i) {
        const std::int64_t top = argmaxRow(
            std::span<const float>(out.data).subspan(static_cast<std::size_t>(i) * row, row));
        if (top == refTop[static_cast<std::size_t>(i)]) ++a.agree;
        if (top == data.labels[static_cast<std::size_t>(c0 + i)]) ++a.correct;
      }
      done += static_cast<double>(m);
      if (progress && !progress(done / total)) {
        if (cancelled) *cancelled = true;
        return {};
      }
    }
  }

  const double dn = static_cast<double>(std::max<std::int64_t>(n, 1));
  if (fp32Accuracy) *fp32Accuracy = static_cast<double>(fpCorrect) / dn;
  std::vector<PlanResult> results(P);
  for (std::size_t p = 0; p < P; ++p) {
    const Acc& a = acc[p];
    PlanResult& r = results[p];
    r.accuracy = static_cast<double>(a.correct) / dn;
    r.agreement = n == 0 ? 1.0 : static_cast<double>(a.agree) / dn;
    r.outputSqnrDb = sqnrDb(a.outSignal, a.outNoise);
    r.sizeBytes = model.sizeBytes(plans[p]);
    r.propagatedSqnrDb.resize(L);
    r.isolatedSqnrDb.resize(L);
    for (std::size_t k = 0; k < L; ++k) {
      r.propagatedSqnrDb[k] = sqnrDb(a.propSignal[k], a.propNoise[k]);
      if (!isQuantized(plans[p][k])) {
        r.isolatedSqnrDb[k] = std::numeric_limits<double>::infinity();
      } else {
        r.isolatedSqnrDb[k] = options.isolated ? sqnrDb(a.isoSignal[k], a.isoNoise[k])
                                               : std::numeric_limits<double>::quiet_NaN();
      }
    }
  }
  return results;
}

SensitivityReport analyzeSensitivity(const FakeQuantModel& model, const Dataset& data,
                                     const SensitivityOptions& options,
                                     const ProgressFn& progress) {
  checkBits(options.bits, "sensitivity");
  if (options.bits == kFp32) throw Error("sensitivity: bits must be in 2..16");
  const std::size_t L = model.layers().size();
  const int b = options.bits;
  std::vector<PrecisionPlan> plans;
  plans.push_back(model.uniformPlan(b, b));
  for (std::size_t k = 0; k < L; ++k) {
    PrecisionPlan only = model.uniformPlan(kFp32, kFp32);
    only[k] = {b, b};
    PrecisionPlan allBut = model.uniformPlan(b, b);
    allBut[k] = {kFp32, kFp32};
    plans.push_back(only);
    plans.push_back(allBut);
  }
  constexpr int kSweepLo = 2, kSweepHi = 8;
  if (options.sweep) {
    for (std::size_t k = 0; k < L; ++k) {
      for (int sb = kSweepLo; sb <= kSweepHi; ++sb) {
        PrecisionPlan w = model.uniformPlan(kFp32, kFp32);
        w[k].weightBits = sb;
        PrecisionPlan a = model.uniformPlan(kFp32, kFp32);
        a[k].activationBits = sb;
        plans.push_back(w);
        plans.push_back(a);
      }
    }
  }
  SensitivityReport rep;
  rep.bits = b;
  // A layer's isolated error depends only on its own precision, and in the "only this layer"
  // plans its input is exactly the fp32 one, so there propagated == isolated: the other plans
  // borrow those values instead of running every layer a second time on fp32 inputs.
  EvaluateOptions eo;
  eo.chunk = options.chunk;
  eo.isolated = false;
  bool cancelled = false;
  std::vector<PlanResult> r =
      evaluatePlans(model, plans, data, eo, &rep.fp32Accuracy, progress, &cancelled);
  if (cancelled) {
    rep.cancelled = true;
    return rep;
  }
  std::vector<double> isolated(L);
  for (std::size_t k = 0; k < L; ++k) isolated[k] = r[1 + 2 * k].propagatedSqnrDb[k];
  for (std::size_t i = 0; i < 1 + 2 * L; ++i)
    for (std::size_t k = 0; k < L; ++k)
      if (isQuantized(plans[i][k])) r[i].isolatedSqnrDb[k] = isolated[k];
  rep.all = r[0];
  std::size_t next = 1 + 2 * L;
  for (std::size_t k = 0; k < L; ++k) {
    LayerSensitivity ls;
    ls.layer = model.layers()[k];
    ls.only = r[1 + 2 * k];
    ls.allBut = r[2 + 2 * k];
    ls.propagatedDamageSqnrDb = ls.only.outputSqnrDb;
    ls.isolatedDamageSqnrDb = ls.only.isolatedSqnrDb[k];
    ls.loggerSqnrDb = rep.all.propagatedSqnrDb[k];
    rep.layers.push_back(std::move(ls));
  }
  if (options.sweep) {
    for (std::size_t k = 0; k < L; ++k) {
      for (int sb = kSweepLo; sb <= kSweepHi; ++sb) {
        for (int which = 0; which < 2; ++which) {
          const PlanResult& pr = r[next++];
          SweepPoint pt{sb, pr.accuracy, pr.agreement, pr.outputSqnrDb, pr.propagatedSqnrDb[k]};
          (which == 0 ? rep.layers[k].weightSweep : rep.layers[k].activationSweep).push_back(pt);
        }
      }
    }
  }
  return rep;
}

std::vector<std::size_t> rankByDamage(const SensitivityReport& report, SensitivityMode mode) {
  std::vector<std::size_t> order(report.layers.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  auto key = [&](std::size_t k) {
    const LayerSensitivity& l = report.layers[k];
    const double v =
        mode == SensitivityMode::Isolated ? l.isolatedDamageSqnrDb : l.propagatedDamageSqnrDb;
    return std::isnan(v) ? -std::numeric_limits<double>::infinity() : v;
  };
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
  return order;
}

MixedResult proposeMixedPrecision(const FakeQuantModel& model, const Dataset& validation,
                                  const Dataset& test, const MixedOptions& options,
                                  const ProgressFn& progress) {
  if (options.bits < 2 || options.bits > 16) throw Error("mixed: bits must be in 2..16");
  if (options.highBits != kFp32 && (options.highBits <= options.bits || options.highBits > 16)) {
    throw Error("mixed: the high precision must be fp32 or wider than the base bits (<= 16)");
  }
  if (!(options.budgetPoints >= 0) || !std::isfinite(options.budgetPoints)) {
    throw Error("mixed: the budget must be a finite number of percentage points >= 0");
  }
  const std::size_t L = model.layers().size();
  const int b = options.bits, hb = options.highBits;
  MixedResult res;
  res.high.assign(L, false);
  res.plan = model.uniformPlan(b, b);
  res.fp32SizeBytes = model.sizeBytes(model.uniformPlan(kFp32, kFp32));
  EvaluateOptions eo;
  eo.chunk = options.chunk;
  eo.isolated = false;
  // Rounds of evaluation: the all-low start, at most L greedy rounds, the test verification.
  const double rounds = static_cast<double>(L + 2);
  double round = 0;
  auto eval = [&](std::span<const PrecisionPlan> plans, const Dataset& d, double* fpAcc) {
    bool cancelled = false;
    const double base = round;
    ProgressFn sub;
    if (progress) sub = [&](double f) { return progress(std::min(1.0, (base + f) / rounds)); };
    auto r = evaluatePlans(model, plans, d, eo, fpAcc, sub, &cancelled);
    round += 1;
    if (cancelled) res.cancelled = true;
    return r;
  };
  auto dropOk = [&](double fpAcc, double acc) {
    return (fpAcc - acc) * 100.0 <= options.budgetPoints + 1e-9;
  };

  std::vector<PrecisionPlan> start{res.plan};
  auto r0 = eval(start, validation, &res.fp32ValidationAccuracy);
  if (res.cancelled) return res;
  res.allLowValidation = r0[0];
  res.proposalValidation = r0[0];
  while (!dropOk(res.fp32ValidationAccuracy, res.proposalValidation.accuracy)) {
    std::vector<std::size_t> cand;
    std::vector<PrecisionPlan> plans;
    for (std::size_t k = 0; k < L; ++k) {
      if (res.high[k]) continue;
      PrecisionPlan p = res.plan;
      p[k] = {hb, hb};
      cand.push_back(k);
      plans.push_back(std::move(p));
    }
    if (cand.empty()) break;
    auto r = eval(plans, validation, nullptr);
    if (res.cancelled) return res;
    // A promotion that already meets the budget: the smallest such plan. Otherwise the best
    // accuracy gain per added byte, so a small layer that helps is preferred over a big one that
    // helps a little more; with no gain at all, the highest accuracy (then the higher SQNR).
    const double cur = res.proposalValidation.accuracy;
    const std::int64_t curSize = res.proposalValidation.sizeBytes;
    std::size_t best = cand.size();
    for (std::size_t i = 0; i < cand.size(); ++i) {
      if (!dropOk(res.fp32ValidationAccuracy, r[i].accuracy)) continue;
      if (best == cand.size() || r[i].sizeBytes < r[best].sizeBytes ||
          (r[i].sizeBytes == r[best].sizeBytes && r[i].accuracy > r[best].accuracy))
        best = i;
    }
    auto gainPerByte = [&](std::size_t i) {
      const double added = static_cast<double>(std::max<std::int64_t>(r[i].sizeBytes - curSize, 1));
      return (r[i].accuracy - cur) / added;
    };
    for (std::size_t i = 0; best == cand.size() && i < cand.size(); ++i) {
      if (r[i].accuracy <= cur) continue;
      std::size_t b2 = i;
      for (std::size_t j = i + 1; j < cand.size(); ++j)
        if (r[j].accuracy > cur && gainPerByte(j) > gainPerByte(b2)) b2 = j;
      best = b2;
    }
    if (best == cand.size()) {
      best = 0;
      for (std::size_t i = 1; i < cand.size(); ++i) {
        if (r[i].accuracy > r[best].accuracy ||
            (r[i].accuracy == r[best].accuracy && r[i].outputSqnrDb > r[best].outputSqnrDb))
          best = i;
      }
    }
    res.high[cand[best]] = true;
    res.plan = plans[best];
    res.proposalValidation = r[best];
    res.steps.push_back({cand[best], r[best].accuracy, r[best].sizeBytes});
  }
  res.budgetMetValidation = dropOk(res.fp32ValidationAccuracy, res.proposalValidation.accuracy);
  round = rounds - 1;
  std::vector<PrecisionPlan> verify{model.uniformPlan(b, b), res.plan};
  auto rt = eval(verify, test, &res.fp32TestAccuracy);
  if (res.cancelled) return res;
  res.allLowTest = rt[0];
  res.proposalTest = rt[1];
  res.budgetMetTest = dropOk(res.fp32TestAccuracy, res.proposalTest.accuracy);
  return res;
}

}  // namespace quant
