// SPDX-License-Identifier: GPL-3.0-or-later
// Quantization-aware training with fake quantization and the straight-through estimator
// (see quant/nn/qat.h).
#include "quant/nn/qat.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "adam.h"
#include "quant/nn/train.h"

namespace quant {

namespace {

using Mat = RowMatrix;
using Vec = Eigen::VectorXf;

void checkBits(int bits, const char* what) {
  if (bits < 2 || bits > 16)
    throw Error(std::string("qat: ") + what + " must be in 2..16, got " + std::to_string(bits));
}

// The trainer's scales are per output channel with zero point 0 and its EMA observer continues
// from min / max ranges: other recipes would need another trainer, not a flag.
void checkRecipe(const QuantRecipe& r) {
  checkBits(r.weights.bits, "weight bits");
  checkBits(r.activations.bits, "activation bits");
  if (!r.weights.symmetric || !r.weights.perChannel)
    throw Error("qat: the recipe's weights must be symmetric per channel");
  if (r.activations.calibration.method != CalibrationMethod::MinMax)
    throw Error("qat: the recipe's activation calibration must be minmax, got " +
                calibrationName(r.activations.calibration));
}

std::int64_t product(const std::vector<std::int64_t>& s) {
  std::int64_t p = 1;
  for (auto d : s) p *= d;
  return p;
}

void checkData(const Model& model, const Dataset& data, const char* what) {
  const auto& s = data.images.shape;
  if (s.empty() && data.labels.empty()) return;
  std::vector<std::int64_t> want{static_cast<std::int64_t>(data.labels.size())};
  want.insert(want.end(), model.inputShape.begin(), model.inputShape.end());
  if (s != want || static_cast<std::int64_t>(data.images.data.size()) != product(want))
    throw Error(std::string("qat: ") + what + " does not match the model input " +
                "or its number of labels");
}

// Rows [start, start + count) of the data set (in `order` when given) as a [count, features]
// matrix.
Mat gatherRows(const Dataset& data, std::int64_t features, std::size_t start, std::size_t count,
               const std::vector<std::uint32_t>* order, std::vector<std::uint8_t>* labels) {
  Mat x(static_cast<Eigen::Index>(count), features);
  if (labels) labels->resize(count);
  const float* img = data.images.data.data();
  for (std::size_t r = 0; r < count; ++r) {
    const std::size_t s = order ? (*order)[start + r] : start + r;
    std::copy_n(img + s * static_cast<std::size_t>(features), features,
                x.row(static_cast<Eigen::Index>(r)).data());
    if (labels) (*labels)[r] = data.labels[s];
  }
  return x;
}

// Scale of a symmetric per-channel weight grid whose largest magnitude is m (chooseParams, so the
// scale of an all-zero channel is floored rather than 0).
float weightScaleFor(const QuantSpec& spec, float m) { return chooseParams(spec, -m, m).scale; }

std::vector<float> maxAbsScales(const QuantSpec& spec, const Mat& w) {
  std::vector<float> s(static_cast<std::size_t>(w.rows()));
  for (Eigen::Index r = 0; r < w.rows(); ++r)
    s[static_cast<std::size_t>(r)] =
        weightScaleFor(spec, w.cols() ? w.row(r).cwiseAbs().maxCoeff() : 0.0f);
  return s;
}

// Vectorised fake quantization of a weight matrix with the given per-row scales (zero point 0).
Mat fakeQuantWeights(const QuantSpec& spec, const Mat& w, const std::vector<float>& scales) {
  if (static_cast<Eigen::Index>(scales.size()) != w.rows())
    throw Error("qat: one weight scale per output channel expected");
  const std::vector<std::int64_t> shape{w.rows(), w.cols()};
  std::vector<Range> ranges(scales.size());
  for (std::size_t c = 0; c < scales.size(); ++c)
    ranges[c] = {scales[c] * static_cast<float>(spec.qmin()),
                 scales[c] * static_cast<float>(spec.qmax())};
  QuantParams p = makeParams(spec, shape, ranges);
  p.scales = scales;
  std::fill(p.zeroPoints.begin(), p.zeroPoints.end(), 0);
  Mat out(w.rows(), w.cols());
  fakeQuantize(std::span<const float>(w.data(), static_cast<std::size_t>(w.size())), p,
               std::span<float>(out.data(), static_cast<std::size_t>(out.size())));
  return out;
}

// Vectorised per-tensor activation fake quantization in place.
void fakeQuantActivation(const QuantSpec& spec, const ActivationQuant& a, Mat& x) {
  const std::vector<std::int64_t> shape{static_cast<std::int64_t>(x.size())};
  const Range r = a.range;
  QuantParams p = makeParams(spec, shape, std::span<const Range>(&r, 1));
  p.scales[0] = a.scale;
  p.zeroPoints[0] = a.zeroPoint;
  std::span<float> s(x.data(), static_cast<std::size_t>(x.size()));
  fakeQuantize(s, p, s);
}

// Scale, zero point and the range in force for the activation grid over [lo, hi].
void setActivationRange(const QuantSpec& spec, ActivationQuant& a, float lo, float hi) {
  const ScaleZeroPoint sz = chooseParams(spec, lo, hi);
  a.scale = sz.scale;
  a.zeroPoint = sz.zeroPoint;
  a.range = {a.scale * static_cast<float>(spec.qmin() - a.zeroPoint),
             a.scale * static_cast<float>(spec.qmax() - a.zeroPoint)};
}

void setActivationScale(const QuantSpec& spec, ActivationQuant& a, float scale) {
  a.scale = scale;
  a.range = {a.scale * static_cast<float>(spec.qmin() - a.zeroPoint),
             a.scale * static_cast<float>(spec.qmax() - a.zeroPoint)};
}

struct Prepared {
  Model model;
  std::vector<int> layers;  // trainable layers
  std::vector<int> points;  // activation points
};

Prepared prepare(const Model& m) {
  Prepared p{m, {}, {}};
  p.model.finalize();
  p.layers = detail::trainableLayers(p.model);
  p.points = detail::activationPoints(p.model);
  for (int li : p.layers) {
    Layer& l = p.model.layers[static_cast<std::size_t>(li)];
    if (l.bias.size() == 0) l.bias = Vec::Zero(l.weight.rows());
  }
  return p;
}

// Skeleton parameters for a prepared model: names, layers, enabled flags.
QatParams skeleton(const Prepared& p, const QatConfig& cfg) {
  QatParams q;
  q.recipe = cfg.recipe;
  for (int li : p.layers) {
    WeightQuant w;
    w.layer = li;
    w.name = p.model.layers[static_cast<std::size_t>(li)].name;
    q.weights.push_back(std::move(w));
  }
  for (std::size_t i = 0; i < p.points.size(); ++i) {
    ActivationQuant a;
    a.layer = p.points[i];
    a.tensor =
        a.layer < 0 ? p.model.input : p.model.layers[static_cast<std::size_t>(a.layer)].output;
    // The logits are the last point when the last Linear is not followed by a ReLU.
    const bool isLogits = i + 1 == p.points.size() &&
                          p.model.layers[static_cast<std::size_t>(a.layer)].type != LayerType::ReLU;
    a.enabled = cfg.quantizeLogits || !isLogits;
    q.activations.push_back(std::move(a));
  }
  return q;
}

void validate(const QatConfig& cfg) {
  checkRecipe(cfg.recipe);
  if (cfg.epochs < 0) throw Error("qat: epochs must be >= 0");
  if (cfg.batch < 1) throw Error("qat: batch must be >= 1");
  if (!(cfg.lr > 0) || !std::isfinite(cfg.lr)) throw Error("qat: lr must be > 0");
  if (!(cfg.lrDecay > 0) || !std::isfinite(cfg.lrDecay)) throw Error("qat: lrDecay must be > 0");
  if (!(cfg.averagingConstant > 0 && cfg.averagingConstant <= 1))
    throw Error("qat: averagingConstant must be in (0, 1]");
  if (cfg.calibrationSamples < 1) throw Error("qat: calibrationSamples must be >= 1");
}

// Adam state of one parameter block.
struct AdamSlot {
  Eigen::ArrayXf m, v;
};

void adamStep(float* w, const float* g, Eigen::Index n, AdamSlot& s, double lr, std::int64_t step) {
  if (s.m.size() != n) {
    s.m = Eigen::ArrayXf::Zero(n);
    s.v = Eigen::ArrayXf::Zero(n);
  }
  detail::adamUpdate(w, g, s.m.data(), s.v.data(), n, detail::adamFactors(lr, step));
}

// The same update for one scalar (an activation scale), kept apart from the Eigen maps above
// because a one-element map trips GCC's -Warray-bounds on the vectorised path.
struct ScalarAdam {
  double m = 0, v = 0;
};
float adamScalar(float w, double g, ScalarAdam& s, double lr, std::int64_t step) {
  const double c1 = 1 - std::pow(0.9, static_cast<double>(step));
  const double c2 = 1 - std::pow(0.999, static_cast<double>(step));
  s.m = 0.9 * s.m + 0.1 * g;
  s.v = 0.999 * s.v + 0.001 * g * g;
  return static_cast<float>(w - lr / c1 * s.m / (std::sqrt(s.v / c2) + 1e-8));
}

double evaluate(const Prepared& p, const std::vector<Mat>& wq, const QatParams& params,
                const Dataset& data) {
  const std::size_t n = data.labels.size();
  if (n == 0) return 0;
  const QuantSpec aspec = params.activationSpec();
  std::vector<const Mat*> W;
  std::vector<const Vec*> B;
  for (std::size_t i = 0; i < p.layers.size(); ++i) {
    W.push_back(&wq[i]);
    B.push_back(&p.model.layers[static_cast<std::size_t>(p.layers[i])].bias);
  }
  detail::ActivationHooks hooks;
  hooks.forward = [&](int point, Mat& a) {
    const ActivationQuant& q = params.activations[static_cast<std::size_t>(point)];
    if (q.enabled) fakeQuantActivation(aspec, q, a);
  };
  const std::int64_t features = product(p.model.inputShape);
  const std::size_t chunk = 256;
  std::size_t correct = 0;
  for (std::size_t s = 0; s < n; s += chunk) {
    const std::size_t m = std::min(chunk, n - s);
    const Mat x = gatherRows(data, features, s, m, nullptr, nullptr);
    const Mat out = detail::chainForward(p.model, W, B, x, &hooks);
    for (Eigen::Index r = 0; r < out.rows(); ++r) {
      Eigen::Index best = 0;
      for (Eigen::Index c = 1; c < out.cols(); ++c)
        if (out(r, c) > out(r, best)) best = c;
      if (best == data.labels[s + static_cast<std::size_t>(r)]) ++correct;
    }
  }
  return static_cast<double>(correct) / static_cast<double>(n);
}

std::vector<Mat> quantizedWeights(const Prepared& p, const QatParams& params) {
  if (params.weights.size() != p.layers.size() || params.activations.size() != p.points.size())
    throw Error("qat: the quantization parameters do not belong to this model");
  const QuantSpec wspec = params.weightSpec();
  std::vector<Mat> wq;
  for (std::size_t i = 0; i < p.layers.size(); ++i)
    wq.push_back(fakeQuantWeights(wspec,
                                  p.model.layers[static_cast<std::size_t>(p.layers[i])].weight,
                                  params.weights[i].scales));
  return wq;
}

}  // namespace

QuantSpec QatParams::weightSpec() const { return recipe.weights.spec(); }

QuantSpec QatParams::activationSpec() const { return recipe.activations.spec(); }

namespace detail {

FakeQuantPoint fakeQuantPoint(float x, float scale, std::int32_t zeroPoint, int qmin, int qmax) {
  // One code beyond each end tells "clipped" apart from "rounded onto the end code"; clamping
  // that code afterwards gives exactly quantizeValue(x, scale, zeroPoint, qmin, qmax).
  const std::int32_t wide = quantizeValue(x, scale, zeroPoint, qmin - 1, qmax + 1);
  FakeQuantPoint r;
  const std::int32_t q = std::clamp(wide, qmin, qmax);
  r.value = dequantizeValue(q, scale, zeroPoint);
  r.inside = wide == q;
  if (!r.inside) {
    r.dScale = static_cast<float>(q - zeroPoint);
  } else {
    const float v = x / scale;
    r.dScale = std::isnan(v) ? 0.0f : static_cast<float>(q - zeroPoint) - v;
  }
  return r;
}

void fakeQuantForward(std::span<float> x, float scale, std::int32_t zeroPoint, int qmin, int qmax,
                      bool wantScaleGradient, FakeQuantTape& tape) {
  tape.inside.resize(x.size());
  tape.dScale.resize(wantScaleGradient ? x.size() : 0);
  for (std::size_t k = 0; k < x.size(); ++k) {
    const FakeQuantPoint f = fakeQuantPoint(x[k], scale, zeroPoint, qmin, qmax);
    x[k] = f.value;
    tape.inside[k] = f.inside ? 1 : 0;
    if (wantScaleGradient) tape.dScale[k] = f.dScale;
  }
}

double fakeQuantBackward(std::span<float> grad, const FakeQuantTape& tape) {
  if (grad.size() != tape.inside.size())
    throw Error("fakeQuantBackward: the gradient does not match the forward pass");
  const bool withScale = tape.dScale.size() == grad.size();
  double gs = 0;
  for (std::size_t k = 0; k < grad.size(); ++k) {
    if (withScale) gs += static_cast<double>(grad[k]) * tape.dScale[k];
    if (!tape.inside[k]) grad[k] = 0.0f;
  }
  return gs;
}

}  // namespace detail

QatParams calibrateQat(const Model& model, const Dataset& calibration, const QatConfig& config) {
  checkRecipe(config.recipe);
  if (config.calibrationSamples < 1) throw Error("qat: calibrationSamples must be >= 1");
  const Prepared p = prepare(model);
  checkData(p.model, calibration, "the calibration set");
  if (calibration.labels.empty()) throw Error("qat: the calibration set is empty");
  QatParams q = skeleton(p, config);
  const QuantSpec wspec = q.weightSpec(), aspec = q.activationSpec();
  std::vector<const Mat*> W;
  std::vector<const Vec*> B;
  for (std::size_t i = 0; i < p.layers.size(); ++i) {
    const Layer& l = p.model.layers[static_cast<std::size_t>(p.layers[i])];
    q.weights[i].scales = maxAbsScales(wspec, l.weight);
    W.push_back(&l.weight);
    B.push_back(&l.bias);
  }
  std::vector<float> lo(p.points.size(), std::numeric_limits<float>::infinity());
  std::vector<float> hi(p.points.size(), -std::numeric_limits<float>::infinity());
  detail::ActivationHooks hooks;
  hooks.forward = [&](int point, Mat& a) {
    const auto i = static_cast<std::size_t>(point);
    for (Eigen::Index k = 0; k < a.size(); ++k) {
      const float v = a.data()[k];
      if (!std::isfinite(v)) continue;
      lo[i] = std::min(lo[i], v);
      hi[i] = std::max(hi[i], v);
    }
  };
  const std::size_t n =
      std::min(calibration.labels.size(), static_cast<std::size_t>(config.calibrationSamples));
  const std::int64_t features = product(p.model.inputShape);
  for (std::size_t s = 0; s < n; s += 256) {
    const Mat x =
        gatherRows(calibration, features, s, std::min<std::size_t>(256, n - s), nullptr, nullptr);
    (void)detail::chainForward(p.model, W, B, x, &hooks);
  }
  for (std::size_t i = 0; i < p.points.size(); ++i) {
    if (lo[i] > hi[i]) lo[i] = hi[i] = 0;  // nothing finite seen
    setActivationRange(aspec, q.activations[i], lo[i], hi[i]);
  }
  return q;
}

Model fakeQuantizeWeights(const Model& model, const QatParams& params) {
  Prepared p = prepare(model);
  std::vector<Mat> wq = quantizedWeights(p, params);
  for (std::size_t i = 0; i < p.layers.size(); ++i)
    p.model.layers[static_cast<std::size_t>(p.layers[i])].weight = std::move(wq[i]);
  p.model.finalize();
  return p.model;
}

double fakeQuantAccuracy(const Model& model, const QatParams& params, const Dataset& data) {
  const Prepared p = prepare(model);
  checkData(p.model, data, "the evaluation set");
  return evaluate(p, quantizedWeights(p, params), params, data);
}

QatResult qat(const Model& fp32, const Dataset& trainSet, const Dataset& testSet,
              const QatConfig& config) {
  validate(config);
  Prepared p = prepare(fp32);
  checkData(p.model, trainSet, "the training set");
  checkData(p.model, testSet, "the test set");
  const std::size_t n = trainSet.labels.size();
  if (n == 0) throw Error("qat: the training set is empty");

  QatResult result;
  result.ptqParams = calibrateQat(p.model, trainSet, config);
  if (!testSet.labels.empty())
    result.ptqAccuracy =
        evaluate(p, quantizedWeights(p, result.ptqParams), result.ptqParams, testSet);
  QatParams params = result.ptqParams;
  const QuantSpec wspec = params.weightSpec(), aspec = params.activationSpec();
  const int wQmin = wspec.qmin(), wQmax = wspec.qmax();
  const int aQmin = aspec.qmin(), aQmax = aspec.qmax();
  const std::size_t nl = p.layers.size(), np = p.points.size();

  // Observer state (EMA min / max) per activation point, started at the calibrated ranges.
  std::vector<float> obsLo(np), obsHi(np);
  for (std::size_t i = 0; i < np; ++i) {
    obsLo[i] = params.activations[i].range.lo;
    obsHi[i] = params.activations[i].range.hi;
  }
  const float c = static_cast<float>(config.averagingConstant);

  // Per point, what the backward pass needs from the forward pass.
  struct PointState {
    detail::FakeQuantTape tape;
    double scaleGrad = 0;
  };
  std::vector<PointState> ps(np);
  const bool lsq = config.lsq;
  detail::ActivationHooks hooks;
  hooks.forward = [&](int point, Mat& a) {
    const auto i = static_cast<std::size_t>(point);
    ActivationQuant& q = params.activations[i];
    if (!q.enabled) return;
    if (!lsq) {
      float bmin = std::numeric_limits<float>::infinity(), bmax = -bmin;
      for (Eigen::Index k = 0; k < a.size(); ++k) {
        const float v = a.data()[k];
        if (!std::isfinite(v)) continue;
        bmin = std::min(bmin, v);
        bmax = std::max(bmax, v);
      }
      if (bmin <= bmax) {
        obsLo[i] += c * (bmin - obsLo[i]);
        obsHi[i] += c * (bmax - obsHi[i]);
        setActivationRange(aspec, q, std::min(obsLo[i], obsHi[i]), obsHi[i]);
      }
    }
    detail::fakeQuantForward(std::span<float>(a.data(), static_cast<std::size_t>(a.size())),
                             q.scale, q.zeroPoint, aQmin, aQmax, lsq, ps[i].tape);
  };
  hooks.backward = [&](int point, Mat& d) {
    const auto i = static_cast<std::size_t>(point);
    if (!params.activations[i].enabled) return;
    ps[i].scaleGrad = detail::fakeQuantBackward(
        std::span<float>(d.data(), static_cast<std::size_t>(d.size())), ps[i].tape);
  };

  // Latent parameters and their optimiser state.
  std::vector<const Mat*> Wq(nl);
  std::vector<const Vec*> B(nl);
  std::vector<Mat> wq(nl), gW;
  std::vector<std::vector<detail::FakeQuantTape>> wTape(nl);  // per layer, per output channel
  std::vector<Vec> gb;
  std::vector<AdamSlot> adamW(nl), adamB(nl), adamWs(nl);
  std::vector<ScalarAdam> adamAs(np);
  for (std::size_t i = 0; i < nl; ++i)
    B[i] = &p.model.layers[static_cast<std::size_t>(p.layers[i])].bias;

  auto quantizeAllWeights = [&](bool training) {
    for (std::size_t i = 0; i < nl; ++i) {
      const Mat& w = p.model.layers[static_cast<std::size_t>(p.layers[i])].weight;
      std::vector<float>& s = params.weights[i].scales;
      if (!lsq) {
        s = maxAbsScales(wspec, w);
        wq[i] = fakeQuantWeights(wspec, w, s);
      } else if (!training) {
        wq[i] = fakeQuantWeights(wspec, w, s);
      } else {
        wq[i] = w;
        wTape[i].resize(static_cast<std::size_t>(w.rows()));
        for (Eigen::Index r = 0; r < w.rows(); ++r)
          detail::fakeQuantForward(
              std::span<float>(wq[i].row(r).data(), static_cast<std::size_t>(w.cols())),
              s[static_cast<std::size_t>(r)], 0, wQmin, wQmax, true,
              wTape[i][static_cast<std::size_t>(r)]);
      }
      Wq[i] = &wq[i];
    }
  };

  std::mt19937_64 rng(config.seed ^ 0x9a7c0ffee5eedULL);
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  const std::int64_t features = product(p.model.inputShape);
  double lr = config.lr;
  std::int64_t step = 0;
  std::vector<std::uint8_t> y;
  for (int epoch = 0; epoch < config.epochs && !result.cancelled; ++epoch) {
    detail::shuffleOrder(order, rng);
    double lossSum = 0;
    int batches = 0;
    for (std::size_t start = 0; start < n; start += static_cast<std::size_t>(config.batch)) {
      const std::size_t bn = std::min(n - start, static_cast<std::size_t>(config.batch));
      const Mat x = gatherRows(trainSet, features, start, bn, &order, &y);
      quantizeAllWeights(true);
      const double loss = detail::chainBackprop(p.model, Wq, B, x, y, gW, gb, &hooks);
      ++step;
      for (std::size_t i = 0; i < nl; ++i) {
        Layer& l = p.model.layers[static_cast<std::size_t>(p.layers[i])];
        if (lsq) {
          // LSQ: weight gradient through the STE mask; per-channel scale gradient.
          const double g = 1 / std::sqrt(static_cast<double>(l.weight.cols()) * wQmax);
          Eigen::VectorXf gs(gW[i].rows());
          for (Eigen::Index r = 0; r < gW[i].rows(); ++r)
            gs[r] =
                static_cast<float>(g * detail::fakeQuantBackward(
                                           std::span<float>(gW[i].row(r).data(),
                                                            static_cast<std::size_t>(gW[i].cols())),
                                           wTape[i][static_cast<std::size_t>(r)]));
          std::vector<float>& s = params.weights[i].scales;
          adamStep(s.data(), gs.data(), gs.size(), adamWs[i], lr, step);
          for (float& v : s) v = std::max(v, kMinScale);
        }
        adamStep(l.weight.data(), gW[i].data(), l.weight.size(), adamW[i], lr, step);
        adamStep(l.bias.data(), gb[i].data(), l.bias.size(), adamB[i], lr, step);
      }
      if (lsq) {
        // Point 0 (the input) keeps its calibrated range: no gradient reaches it.
        for (std::size_t i = 1; i < np; ++i) {
          ActivationQuant& q = params.activations[i];
          if (!q.enabled) continue;
          const std::int64_t perSample =
              static_cast<std::int64_t>(ps[i].tape.inside.size()) / static_cast<std::int64_t>(bn);
          const double g = 1 / std::sqrt(static_cast<double>(perSample) * aQmax);
          const float s = adamScalar(q.scale, ps[i].scaleGrad * g, adamAs[i], lr, step);
          setActivationScale(aspec, q, std::max(s, kMinScale));
        }
      }
      lossSum += loss;
      if (config.progress && !config.progress(epoch, batches, loss)) {
        result.cancelled = true;
        break;
      }
      ++batches;
    }
    if (result.cancelled) break;
    result.epochLoss.push_back(lossSum / batches);
    lr *= config.lrDecay;
    QatEpochReport rep;
    rep.epoch = epoch;
    rep.steps = static_cast<int>(std::min<std::int64_t>(step, std::numeric_limits<int>::max()));
    rep.loss = result.epochLoss.back();
    if (!testSet.labels.empty()) {
      quantizeAllWeights(false);
      result.testAccuracy.push_back(evaluate(p, wq, params, testSet));
      rep.hasAccuracy = true;
      rep.accuracy = result.testAccuracy.back();
    }
    if (config.onEpoch) config.onEpoch(rep);
  }
  // Final weight scales of the max|W| grid follow the final weights.
  if (!lsq) {
    for (std::size_t i = 0; i < nl; ++i)
      params.weights[i].scales =
          maxAbsScales(wspec, p.model.layers[static_cast<std::size_t>(p.layers[i])].weight);
  }
  p.model.finalize();
  result.params = params;
  result.quantizedModel = fakeQuantizeWeights(p.model, params);
  result.model = std::move(p.model);
  return result;
}

}  // namespace quant
