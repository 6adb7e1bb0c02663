// SPDX-License-Identifier: GPL-3.0-or-later
// Minibatch backpropagation for Flatten / Linear / ReLU chains (see quant/nn/train.h).
#include "quant/nn/train.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <type_traits>

#include "adam.h"
#include "im2col.h"

namespace quant {

namespace {

template <class S>
using Mat = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class S>
using Vec = Eigen::Matrix<S, Eigen::Dynamic, 1>;

double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// The trainable chain: Linear / Conv2d (with parameters), ReLU and MaxPool2d steps; Flatten is
// a no-op because activations are kept as [N, C*H*W] row-major (NCHW) matrices throughout.
enum class Kind { Linear, Conv, ReLU, Pool };
struct Step {
  Kind kind;
  int layer;  // index in model.layers
  int param;  // index into the parameter lists (Linear / Conv only)
};
struct Chain {
  std::vector<Step> steps;
  // Per step: the activation point (see detail::activationPoints) its output is, or -1.
  std::vector<int> pointAfter;
  std::vector<int> pointLayers;  // model layer index of each point (-1: the input)
  std::vector<int> linearSteps;  // model layer index of each Linear / Conv2d, in order
  std::int64_t inFeatures = 0;
  std::int64_t outFeatures = 0;
};

std::int64_t product(const std::vector<std::int64_t>& s) {
  std::int64_t p = 1;
  for (auto d : s) p *= d;
  return p;
}

Chain analyse(const Model& model) {
  Chain c;
  if (model.layers.empty()) throw Error("train: the model has no layers");
  c.inFeatures = product(model.inputShape);
  std::string prev = model.input;
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    const Layer& l = model.layers[i];
    if (l.inputs.size() != 1 || l.inputs[0] != prev)
      throw Error("train: layer '" + l.name + "' does not consume the previous layer's output");
    prev = l.output;
    const int li = static_cast<int>(i);
    const int pi = static_cast<int>(c.linearSteps.size());
    switch (l.type) {
      case LayerType::Flatten:
        break;
      case LayerType::ReLU:
        c.steps.push_back({Kind::ReLU, li, -1});
        break;
      case LayerType::MaxPool2d:
        c.steps.push_back({Kind::Pool, li, -1});
        break;
      case LayerType::Linear:
        c.steps.push_back({Kind::Linear, li, pi});
        c.linearSteps.push_back(li);
        break;
      case LayerType::Conv2d:
        if (l.groups != 1) throw Error("train: grouped Conv2d '" + l.name + "' is not supported");
        c.steps.push_back({Kind::Conv, li, pi});
        c.linearSteps.push_back(li);
        break;
      case LayerType::Softmax:
        if (i + 1 != model.layers.size())
          throw Error("train: Softmax '" + l.name + "' must be the last layer");
        break;
      default:
        throw Error(std::string("train: layer '") + l.name + "' (" + layerTypeName(l.type) +
                    ") is not supported; only Flatten, Linear, Conv2d, ReLU, MaxPool2d and a "
                    "final Softmax");
    }
  }
  if (c.linearSteps.empty()) throw Error("train: the model has no Linear or Conv2d layer");
  c.pointAfter.assign(c.steps.size(), -1);
  c.pointLayers.assign(c.linearSteps.size() + 1, -1);
  for (std::size_t k = 0; k < c.steps.size(); ++k) {
    const Step& st = c.steps[k];
    if (st.kind != Kind::Linear && st.kind != Kind::Conv) continue;
    const std::size_t at = k + 1 < c.steps.size() && c.steps[k + 1].kind == Kind::ReLU ? k + 1 : k;
    c.pointAfter[at] = st.param + 1;
    c.pointLayers[static_cast<std::size_t>(st.param) + 1] = c.steps[at].layer;
  }
  if (!model.output.empty() && model.output != prev)
    throw Error("train: the graph output must be the last layer's output");
  if (model.layers.back().type != LayerType::Softmax && model.layers.back().outShape.size() != 1)
    throw Error("train: the model output must be a feature vector");
  c.outFeatures = product(model.outputShape());
  return c;
}

// im2col of one sample: cols[(c*kH + ky)*kW + kx, oy*oW + ox] = xpad[c, oy*sH + ky, ox*sW + kx].
template <class S>
void im2col(const Layer& l, const S* x, Mat<S>& cols) {
  cols.resize(l.inShape[0] * l.kernelH * l.kernelW, l.outShape[1] * l.outShape[2]);
  detail::im2colRows(l, x, l.inShape[0], S(0), cols.data());
}

// The adjoint of im2col: accumulates dcols into dx (which must be zeroed by the caller).
template <class S>
void col2im(const Layer& l, const Mat<S>& dcols, S* dx) {
  const auto C = l.inShape[0], H = l.inShape[1], Wd = l.inShape[2];
  const auto oH = l.outShape[1], oW = l.outShape[2];
  for (std::int64_t c = 0; c < C; ++c)
    for (int ky = 0; ky < l.kernelH; ++ky)
      for (int kx = 0; kx < l.kernelW; ++kx) {
        const auto row = (c * l.kernelH + ky) * l.kernelW + kx;
        for (std::int64_t oy = 0; oy < oH; ++oy) {
          const auto iy = oy * l.strideH + ky - l.padTop;
          if (iy < 0 || iy >= H) continue;
          for (std::int64_t ox = 0; ox < oW; ++ox) {
            const auto ix = ox * l.strideW + kx - l.padLeft;
            if (ix >= 0 && ix < Wd) dx[(c * H + iy) * Wd + ix] += dcols(row, oy * oW + ox);
          }
        }
      }
}

// Max pooling of a batch; `arg` receives, per output element, the input index that won (-1
// when the window held only padding or NaN, which then gets no gradient).
template <class S>
Mat<S> maxPool(const Layer& l, const Mat<S>& x, std::vector<std::int64_t>& arg) {
  const auto C = l.inShape[0], H = l.inShape[1], Wd = l.inShape[2];
  const auto oH = l.outShape[1], oW = l.outShape[2];
  Mat<S> y(x.rows(), C * oH * oW);
  arg.assign(static_cast<std::size_t>(y.size()), -1);
  for (Eigen::Index n = 0; n < x.rows(); ++n)
    for (std::int64_t c = 0; c < C; ++c)
      for (std::int64_t oy = 0; oy < oH; ++oy)
        for (std::int64_t ox = 0; ox < oW; ++ox) {
          S best = -std::numeric_limits<S>::infinity();
          std::int64_t at = -1;
          for (int ky = 0; ky < l.kernelH; ++ky) {
            const auto iy = oy * l.strideH + ky - l.padTop;
            if (iy < 0 || iy >= H) continue;
            for (int kx = 0; kx < l.kernelW; ++kx) {
              const auto ix = ox * l.strideW + kx - l.padLeft;
              if (ix < 0 || ix >= Wd) continue;
              const auto idx = (c * H + iy) * Wd + ix;
              const S v = x(n, idx);
              if (at < 0 ? !std::isnan(v) : v > best) {
                best = v;
                at = idx;
              }
            }
          }
          const auto o = (c * oH + oy) * oW + ox;
          y(n, o) = at < 0 ? S(0) : best;
          arg[static_cast<std::size_t>(n * y.cols() + o)] = at;
        }
  return y;
}

// Activation hooks exist for float32 only (quantization-aware training); the double path used by
// the gradient checks never has any.
template <class S>
void hookForward(const detail::ActivationHooks* hooks, int point, Mat<S>& a) {
  if constexpr (std::is_same_v<S, float>) {
    if (hooks && hooks->forward && point >= 0) hooks->forward(point, a);
  }
}
template <class S>
void hookBackward(const detail::ActivationHooks* hooks, int point, Mat<S>& d) {
  if constexpr (std::is_same_v<S, float>) {
    if (hooks && hooks->backward && point >= 0) hooks->backward(point, d);
  }
}

// The forward pass over one batch x [B, in]: acts[k] is the input of step k and acts.back() the
// logits; args[k] the max-pool winners of step k.
template <class S>
void runForward(const Model& model, const Chain& chain, const std::vector<const Mat<S>*>& W,
                const std::vector<const Vec<S>*>& b, const Mat<S>& x, std::vector<Mat<S>>& acts,
                std::vector<std::vector<std::int64_t>>& args,
                const detail::ActivationHooks* hooks) {
  const Eigen::Index n = x.rows();
  acts.clear();
  args.assign(chain.steps.size(), {});
  acts.reserve(chain.steps.size() + 1);
  acts.push_back(x);
  hookForward(hooks, 0, acts.back());
  Mat<S> cols;
  for (std::size_t k = 0; k < chain.steps.size(); ++k) {
    const Step& st = chain.steps[k];
    const Layer& l = model.layers[static_cast<std::size_t>(st.layer)];
    const Mat<S>& a = acts.back();
    if (st.kind == Kind::ReLU) {
      acts.push_back(a.cwiseMax(S(0)));
    } else if (st.kind == Kind::Pool) {
      acts.push_back(maxPool(l, a, args[k]));
    } else if (st.kind == Kind::Linear) {
      const auto p = static_cast<std::size_t>(st.param);
      Mat<S> z = a * W[p]->transpose();
      if (b[p]->size()) z.rowwise() += b[p]->transpose();
      acts.push_back(std::move(z));
    } else {
      const auto p = static_cast<std::size_t>(st.param);
      const auto O = l.outShape[0], P = l.outShape[1] * l.outShape[2];
      Mat<S> z(n, O * P);
      for (Eigen::Index r = 0; r < n; ++r) {
        im2col(l, a.row(r).data(), cols);
        Eigen::Map<Mat<S>> out(z.row(r).data(), O, P);
        out.noalias() = *W[p] * cols;
        if (b[p]->size()) out.colwise() += *b[p];
      }
      acts.push_back(std::move(z));
    }
    hookForward(hooks, chain.pointAfter[k], acts.back());
  }
}

// Forward + backward over one batch x [B, in]. W/b are the parameters of each Linear / Conv2d
// in order. Writes mean-loss gradients into gW/gb (same shapes) and returns the mean loss.
template <class S>
double backprop(const Model& model, const Chain& chain, const std::vector<const Mat<S>*>& W,
                const std::vector<const Vec<S>*>& b, const Mat<S>& x,
                std::span<const std::uint8_t> labels, std::vector<Mat<S>>& gW,
                std::vector<Vec<S>>& gb, const detail::ActivationHooks* hooks = nullptr) {
  const Eigen::Index n = x.rows();
  std::vector<Mat<S>> acts;
  std::vector<std::vector<std::int64_t>> args;
  runForward(model, chain, W, b, x, acts, args, hooks);
  gW.resize(W.size());
  gb.resize(W.size());
  Mat<S> cols;
  // Softmax cross-entropy: d loss / d z = (softmax(z) - onehot) / n.
  Mat<S> d = acts.back();
  double loss = 0;
  for (Eigen::Index r = 0; r < n; ++r) {
    const S m = d.row(r).maxCoeff();
    d.row(r).array() = (d.row(r).array() - m).exp();
    const S sum = d.row(r).sum();
    const int y = labels[static_cast<std::size_t>(r)];
    loss += std::log(static_cast<double>(sum)) - static_cast<double>(acts.back()(r, y) - m);
    d.row(r) /= sum;
    d(r, y) -= S(1);
  }
  d /= static_cast<S>(n);
  loss /= static_cast<double>(n);
  for (std::size_t k = chain.steps.size(); k-- > 0;) {
    const Step& st = chain.steps[k];
    const Layer& l = model.layers[static_cast<std::size_t>(st.layer)];
    const Mat<S>& in = acts[k];
    hookBackward(hooks, chain.pointAfter[k], d);
    if (st.kind == Kind::ReLU) {
      // ReLU: gradient passes where the input was positive (0 at the kink, like max(x,0)').
      d = (in.array() > S(0)).select(d.array(), S(0)).matrix().eval();
    } else if (st.kind == Kind::Pool) {
      Mat<S> dx = Mat<S>::Zero(in.rows(), in.cols());
      const auto& arg = args[k];
      for (Eigen::Index r = 0; r < d.rows(); ++r)
        for (Eigen::Index o = 0; o < d.cols(); ++o) {
          const auto at = arg[static_cast<std::size_t>(r * d.cols() + o)];
          if (at >= 0) dx(r, at) += d(r, o);
        }
      d = std::move(dx);
    } else if (st.kind == Kind::Linear) {
      const auto p = static_cast<std::size_t>(st.param);
      gW[p].noalias() = d.transpose() * in;
      gb[p] = d.colwise().sum().transpose();
      if (k > 0) d = (d * *W[p]).eval();
    } else {
      const auto p = static_cast<std::size_t>(st.param);
      const auto O = l.outShape[0], P = l.outShape[1] * l.outShape[2];
      gW[p] = Mat<S>::Zero(W[p]->rows(), W[p]->cols());
      gb[p] = Vec<S>::Zero(W[p]->rows());
      Mat<S> dx = Mat<S>::Zero(in.rows(), in.cols());
      for (Eigen::Index r = 0; r < n; ++r) {
        im2col(l, in.row(r).data(), cols);
        Eigen::Map<const Mat<S>> dout(d.row(r).data(), O, P);
        gW[p].noalias() += dout * cols.transpose();
        gb[p] += dout.rowwise().sum();
        if (k > 0) {
          const Mat<S> dcols = W[p]->transpose() * dout;
          col2im(l, dcols, dx.row(r).data());
        }
      }
      d = std::move(dx);
    }
  }
  return loss;
}

void checkData(const Model& model, const Chain& chain, const Dataset& data, const char* what) {
  const auto& s = data.images.shape;
  if (s.empty()) {
    if (!data.labels.empty()) throw Error(std::string("train: ") + what + " has no images");
    return;
  }
  std::vector<std::int64_t> want{s[0]};
  want.insert(want.end(), model.inputShape.begin(), model.inputShape.end());
  if (s != want)
    throw Error(std::string("train: ") + what + " images do not match the model input");
  if (static_cast<std::int64_t>(data.labels.size()) != s[0])
    throw Error(std::string("train: ") + what + " has a different number of images and labels");
  for (auto y : data.labels)
    if (y >= chain.outFeatures)
      throw Error(std::string("train: ") + what + " has label " + std::to_string(y) +
                  " but the model has " + std::to_string(chain.outFeatures) + " outputs");
}

}  // namespace

Model makeMlp(std::uint64_t seed, const std::vector<int>& hidden,
              const std::vector<std::int64_t>& inputShape, int classes) {
  if (classes < 1) throw Error("makeMlp: classes must be >= 1");
  Model m;
  m.inputShape = inputShape;
  std::int64_t in = 1;
  for (auto d : inputShape) {
    if (d < 1) throw Error("makeMlp: input dimensions must be >= 1");
    in *= d;
  }
  std::mt19937_64 rng(seed);
  std::string prev = m.input;
  auto add = [&](Layer l) {
    l.inputs = {prev};
    l.output = l.name;
    prev = l.output;
    m.layers.push_back(std::move(l));
  };
  if (inputShape.size() != 1) {
    Layer f;
    f.type = LayerType::Flatten;
    f.name = "flatten";
    add(std::move(f));
  }
  std::vector<int> sizes = hidden;
  sizes.push_back(classes);
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (sizes[i] < 1) throw Error("makeMlp: layer sizes must be >= 1");
    Layer l;
    l.type = LayerType::Linear;
    l.name = "fc" + std::to_string(i + 1);
    l.weight.resize(sizes[i], in);
    const double bound = std::sqrt(6.0 / static_cast<double>(in));
    for (Eigen::Index r = 0; r < l.weight.rows(); ++r)
      for (Eigen::Index c = 0; c < l.weight.cols(); ++c)
        l.weight(r, c) = static_cast<float>((2 * uniform01(rng) - 1) * bound);
    l.bias = Eigen::VectorXf::Zero(sizes[i]);
    add(std::move(l));
    in = sizes[i];
    if (i + 1 < sizes.size()) {
      Layer r;
      r.type = LayerType::ReLU;
      r.name = "relu" + std::to_string(i + 1);
      add(std::move(r));
    }
  }
  m.finalize();
  return m;
}

Model makeCnn(std::uint64_t seed, const std::array<int, 2>& channels, int hidden,
              const std::array<std::int64_t, 3>& inputShape, int classes) {
  if (channels[0] < 1 || channels[1] < 1 || hidden < 1 || classes < 1)
    throw Error("makeCnn: channel, hidden and class counts must be >= 1");
  if (inputShape[0] < 1 || inputShape[1] < 4 || inputShape[2] < 4)
    throw Error("makeCnn: the input must be [C >= 1, H >= 4, W >= 4]");
  Model m;
  m.inputShape = {inputShape[0], inputShape[1], inputShape[2]};
  std::mt19937_64 rng(seed);
  std::string prev = m.input;
  auto add = [&](Layer l) {
    l.inputs = {prev};
    l.output = l.name;
    prev = l.output;
    m.layers.push_back(std::move(l));
  };
  auto heUniform = [&](Layer& l, int out, std::int64_t fanIn) {
    l.weight.resize(out, fanIn);
    const double bound = std::sqrt(6.0 / static_cast<double>(fanIn));
    for (Eigen::Index i = 0; i < l.weight.size(); ++i)
      l.weight.data()[i] = static_cast<float>((2 * uniform01(rng) - 1) * bound);
    l.bias = Eigen::VectorXf::Zero(out);
  };
  int inC = static_cast<int>(inputShape[0]);
  for (int i = 1; i <= 2; ++i) {
    const int outC = channels[i - 1];
    Layer c;
    c.type = LayerType::Conv2d;
    c.name = "conv" + std::to_string(i);
    c.kernelH = c.kernelW = 3;
    c.padTop = c.padLeft = c.padBottom = c.padRight = 1;
    heUniform(c, outC, inC * 9);
    add(std::move(c));
    Layer r;
    r.type = LayerType::ReLU;
    r.name = "relu" + std::to_string(i);
    add(std::move(r));
    Layer p;
    p.type = LayerType::MaxPool2d;
    p.name = "pool" + std::to_string(i);
    p.kernelH = p.kernelW = p.strideH = p.strideW = 2;
    add(std::move(p));
    inC = outC;
  }
  Layer f;
  f.type = LayerType::Flatten;
  f.name = "flatten";
  add(std::move(f));
  Layer fc1;
  fc1.type = LayerType::Linear;
  fc1.name = "fc1";
  // Each MaxPool2 (stride 2, no padding) floors the size to half.
  heUniform(fc1, hidden, std::int64_t{channels[1]} * (inputShape[1] / 4) * (inputShape[2] / 4));
  add(std::move(fc1));
  Layer r;
  r.type = LayerType::ReLU;
  r.name = "relu3";
  add(std::move(r));
  Layer fc2;
  fc2.type = LayerType::Linear;
  fc2.name = "fc2";
  heUniform(fc2, classes, hidden);
  add(std::move(fc2));
  m.finalize();
  return m;
}

void detail::shuffleOrder(std::vector<std::uint32_t>& order, std::mt19937_64& rng) {
  if (order.size() < 2) return;
  for (std::size_t i = order.size() - 1; i > 0; --i) {
    const std::size_t j = static_cast<std::size_t>(rng() % (i + 1));
    std::swap(order[i], order[j]);
  }
}

TrainResult trainModel(Model model, const Dataset& trainSet, const Dataset& testSet,
                       const TrainConfig& config) {
  if (config.epochs < 0) throw Error("train: epochs must be >= 0");
  if (config.batch < 1) throw Error("train: batch must be >= 1");
  if (!(config.lr > 0) || !std::isfinite(config.lr)) throw Error("train: lr must be > 0");
  if (!(config.lrDecay > 0) || !std::isfinite(config.lrDecay))
    throw Error("train: lrDecay must be > 0");
  model.finalize();
  const Chain chain = analyse(model);
  checkData(model, chain, trainSet, "the training set");
  checkData(model, chain, testSet, "the test set");
  const std::size_t n = trainSet.labels.size();
  if (n == 0) throw Error("train: the training set is empty");

  // Missing biases become explicit zeros so every Linear has a trainable bias.
  std::vector<const Mat<float>*> W;
  std::vector<const Vec<float>*> B;
  for (int li : chain.linearSteps) {
    Layer& l = model.layers[static_cast<std::size_t>(li)];
    if (l.bias.size() == 0) l.bias = Eigen::VectorXf::Zero(l.weight.rows());
    W.push_back(&l.weight);
    B.push_back(&l.bias);
  }
  const std::size_t nl = W.size();
  std::vector<Mat<float>> gW(nl), mW(nl), vW(nl);
  std::vector<Vec<float>> gb(nl), mb(nl), vb(nl);
  for (std::size_t i = 0; i < nl; ++i) {
    mW[i] = Mat<float>::Zero(W[i]->rows(), W[i]->cols());
    vW[i] = mW[i];
    mb[i] = Vec<float>::Zero(B[i]->size());
    vb[i] = mb[i];
  }

  std::mt19937_64 rng(config.seed ^ 0x5eed5eed5eed5eedULL);
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  const std::int64_t feat = chain.inFeatures;
  const float* img = trainSet.images.data.data();
  TrainResult result;
  double lr = config.lr;
  std::int64_t step = 0;
  Mat<float> x;
  std::vector<std::uint8_t> y;
  for (int epoch = 0; epoch < config.epochs && !result.cancelled; ++epoch) {
    detail::shuffleOrder(order, rng);
    double lossSum = 0;
    int batches = 0;
    for (std::size_t start = 0; start < n; start += static_cast<std::size_t>(config.batch)) {
      const std::size_t bn = std::min(n - start, static_cast<std::size_t>(config.batch));
      x.resize(static_cast<Eigen::Index>(bn), feat);
      y.resize(bn);
      for (std::size_t r = 0; r < bn; ++r) {
        const std::size_t s = order[start + r];
        std::copy_n(img + s * static_cast<std::size_t>(feat), feat,
                    x.row(static_cast<Eigen::Index>(r)).data());
        y[r] = trainSet.labels[s];
      }
      const double loss = backprop<float>(model, chain, W, B, x, y, gW, gb);
      ++step;
      for (std::size_t i = 0; i < nl; ++i) {
        Mat<float>& w = const_cast<Mat<float>&>(*W[i]);
        Vec<float>& bb = const_cast<Vec<float>&>(*B[i]);
        if (config.optimizer == Optimizer::Sgd) {
          const float mu = static_cast<float>(config.momentum);
          mW[i] = mu * mW[i] + gW[i];
          mb[i] = mu * mb[i] + gb[i];
          w -= static_cast<float>(lr) * mW[i];
          bb -= static_cast<float>(lr) * mb[i];
        } else {
          // Same storage order for w, its gradient and moments (all Mat<float> / Vec<float>).
          const detail::AdamFactors f = detail::adamFactors(lr, step);
          detail::adamUpdate(w.data(), gW[i].data(), mW[i].data(), vW[i].data(), w.size(), f);
          detail::adamUpdate(bb.data(), gb[i].data(), mb[i].data(), vb[i].data(), bb.size(), f);
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
    if (!testSet.labels.empty()) result.testAccuracy.push_back(accuracy(model, testSet));
  }
  model.finalize();
  result.model = std::move(model);
  return result;
}

TrainResult train(const TrainConfig& config, const Dataset& trainSet, const Dataset& testSet) {
  if (config.model == "mlp") return trainModel(makeMlp(config.seed), trainSet, testSet, config);
  if (config.model == "cnn") return trainModel(makeCnn(config.seed), trainSet, testSet, config);
  throw Error("train: unknown model '" + config.model + "' (mlp or cnn)");
}

double lossAndGradients(const Model& model, const Tensor& images,
                        std::span<const std::uint8_t> labels, LinearGradients* gradients) {
  const Chain chain = analyse(model);
  if (images.shape.empty() || images.shape[0] != static_cast<std::int64_t>(labels.size()) ||
      labels.empty())
    throw Error("lossAndGradients: images and labels do not match");
  for (auto l : labels)
    if (l >= chain.outFeatures) throw Error("lossAndGradients: label out of range");
  const Eigen::Index n = images.shape[0];
  if (static_cast<std::int64_t>(images.data.size()) != n * chain.inFeatures)
    throw Error("lossAndGradients: images do not match the model input");
  Mat<double> x(n, chain.inFeatures);
  for (Eigen::Index i = 0; i < x.size(); ++i)
    x.data()[i] = images.data[static_cast<std::size_t>(i)];
  std::vector<Mat<double>> Wd, gW(chain.linearSteps.size());
  std::vector<Vec<double>> bd, gb(chain.linearSteps.size());
  for (int li : chain.linearSteps) {
    const Layer& l = model.layers[static_cast<std::size_t>(li)];
    Wd.push_back(l.weight.cast<double>());
    bd.push_back(l.bias.size() ? Vec<double>(l.bias.cast<double>())
                               : Vec<double>(Vec<double>::Zero(l.weight.rows())));
  }
  std::vector<const Mat<double>*> W;
  std::vector<const Vec<double>*> B;
  for (std::size_t i = 0; i < Wd.size(); ++i) {
    W.push_back(&Wd[i]);
    B.push_back(&bd[i]);
  }
  const double loss = backprop<double>(model, chain, W, B, x, labels, gW, gb);
  if (gradients) {
    gradients->weight.assign(gW.begin(), gW.end());
    gradients->bias.assign(gb.begin(), gb.end());
  }
  return loss;
}

double accuracy(const Model& model, const Dataset& data) {
  const std::size_t n = data.labels.size();
  if (n == 0) return 0;
  std::size_t per = 1;
  for (auto d : model.inputShape) per *= static_cast<std::size_t>(d);
  if (data.images.data.size() != n * per)
    throw Error("accuracy: images do not match the model input");
  const std::size_t chunk = 1000;
  std::size_t correct = 0;
  for (std::size_t s = 0; s < n; s += chunk) {
    const std::size_t m = std::min(chunk, n - s);
    Tensor in;
    in.name = model.input;
    in.dtype = "float32";
    in.shape = {static_cast<std::int64_t>(m)};
    in.shape.insert(in.shape.end(), model.inputShape.begin(), model.inputShape.end());
    in.data.assign(data.images.data.begin() + static_cast<std::ptrdiff_t>(s * per),
                   data.images.data.begin() + static_cast<std::ptrdiff_t>((s + m) * per));
    const Tensor out = forward(model, in);
    const std::size_t k = out.data.size() / m;
    for (std::size_t r = 0; r < m; ++r) {
      const float* row = out.data.data() + r * k;
      const std::size_t best = static_cast<std::size_t>(std::max_element(row, row + k) - row);
      if (best == data.labels[s + r]) ++correct;
    }
  }
  return static_cast<double>(correct) / static_cast<double>(n);
}

namespace detail {

std::vector<int> activationPoints(const Model& model) { return analyse(model).pointLayers; }
std::vector<int> trainableLayers(const Model& model) { return analyse(model).linearSteps; }

RowMatrix chainForward(const Model& model, const std::vector<const RowMatrix*>& weights,
                       const std::vector<const Eigen::VectorXf*>& biases, const RowMatrix& x,
                       const ActivationHooks* hooks) {
  const Chain chain = analyse(model);
  if (weights.size() != chain.linearSteps.size() || biases.size() != weights.size())
    throw Error("chainForward: one weight and bias per Linear / Conv2d layer expected");
  if (x.cols() != chain.inFeatures) throw Error("chainForward: input does not match the model");
  std::vector<Mat<float>> acts;
  std::vector<std::vector<std::int64_t>> args;
  runForward<float>(model, chain, weights, biases, x, acts, args, hooks);
  return std::move(acts.back());
}

double chainBackprop(const Model& model, const std::vector<const RowMatrix*>& weights,
                     const std::vector<const Eigen::VectorXf*>& biases, const RowMatrix& x,
                     std::span<const std::uint8_t> labels, std::vector<RowMatrix>& gW,
                     std::vector<Eigen::VectorXf>& gb, const ActivationHooks* hooks) {
  const Chain chain = analyse(model);
  if (weights.size() != chain.linearSteps.size() || biases.size() != weights.size())
    throw Error("chainBackprop: one weight and bias per Linear / Conv2d layer expected");
  if (x.cols() != chain.inFeatures || x.rows() < 1 ||
      static_cast<std::size_t>(x.rows()) != labels.size())
    throw Error("chainBackprop: input does not match the model or the labels");
  for (auto y : labels)
    if (y >= chain.outFeatures) throw Error("chainBackprop: label out of range");
  return backprop<float>(model, chain, weights, biases, x, labels, gW, gb, hooks);
}

}  // namespace detail

}  // namespace quant
