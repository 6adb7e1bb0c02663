// SPDX-License-Identifier: GPL-3.0-or-later
// Training of small classifiers on Fashion-MNIST: minibatch backpropagation with Eigen through
// Flatten, Linear, Conv2d (groups 1, im2col), ReLU and MaxPool2d layers (the gradient of a
// max window goes to the first maximal element), with a softmax cross-entropy loss on the last
// layer's output (a trailing Softmax layer is skipped for the loss: the loss already contains it).
//
// Arithmetic: training runs in float32 (round-to-nearest-even per operation, Eigen GEMMs whose
// summation order is Eigen's); lossAndGradients() runs the same code in double for gradient
// checks. The loss is the batch mean of -log softmax(z)[label], computed stably as
// logsumexp(z) - z[label] with the max subtracted first.
//
// Determinism: every random number comes from std::mt19937_64's raw output (whose sequence the
// C++ standard fixes), never from std::*_distribution (implementation-defined), so the same seed
// gives bit-identical weights with the same compiler and Eigen build.
//   - initialisation: He-uniform, W ~ U(-sqrt(6/fanIn), +sqrt(6/fanIn)), bias 0; a uniform
//     double u in [0,1) is (r >> 11) * 2^-53;
//   - shuffling: Fisher-Yates per epoch, index j = r mod (i+1) (the bias is < 2^-40, irrelevant).
// Optimisers: SGD with momentum (v = mu v + g; w -= lr v) and Adam (beta1 0.9, beta2 0.999,
// eps 1e-8, bias-corrected). The learning rate is multiplied by lrDecay after every epoch.
#pragma once

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "quant/io/dataset.h"
#include "quant/nn/model.h"

namespace quant {

enum class Optimizer { Sgd, Adam };

struct TrainConfig {
  std::string model = "mlp";  // "mlp" (makeMlp) or "cnn" (makeCnn)
  int epochs = 10;
  int batch = 128;
  double lr = 1e-3;
  double lrDecay = 1.0;   // lr multiplier applied after each epoch
  double momentum = 0.9;  // SGD only
  Optimizer optimizer = Optimizer::Adam;
  std::uint64_t seed = 1;
  // Called after every minibatch with (epoch from 0, batch index in the epoch, batch loss);
  // returning false stops training (TrainResult::cancelled).
  std::function<bool(int, int, double)> progress;
};

struct TrainResult {
  Model model;
  std::vector<double> epochLoss;     // mean minibatch loss of each finished epoch
  std::vector<double> testAccuracy;  // after each finished epoch (empty test set: not filled)
  bool cancelled = false;
};

// An MLP: input [inputShape] -> Flatten -> Linear(hidden[0]) -> ReLU -> ... -> Linear(classes),
// outputs logits. He-uniform initialised from `seed`; finalize()d. Layers are named "flatten",
// "fc1", "relu1", "fc2", ...
Model makeMlp(std::uint64_t seed, const std::vector<int>& hidden = {256, 128},
              const std::vector<std::int64_t>& inputShape = {1, 28, 28}, int classes = 10);

// A small CNN for [C, H, W] inputs (H, W >= 4): Conv3x3(c0, pad 1) ReLU MaxPool2 Conv3x3(c1,
// pad 1) ReLU MaxPool2 Flatten Linear(hidden) ReLU Linear(classes); He-uniform from `seed`;
// finalize()d. Layers are named conv1 relu1 pool1 conv2 relu2 pool2 flatten fc1 relu3 fc2.
Model makeCnn(std::uint64_t seed, const std::array<int, 2>& channels = {32, 64}, int hidden = 128,
              const std::array<std::int64_t, 3>& inputShape = {1, 28, 28}, int classes = 10);

// Trains `model` (a chain of Flatten / Linear / Conv2d / ReLU / MaxPool2d layers, optionally ending
// in Softmax; each layer consuming the previous one's output) in place of a copy and returns it.
// Images are [n] + model.inputShape; labels must be < the number of model outputs. `test` may be
// empty. Throws quant::Error for unsupported layers, bad shapes, labels or hyper-parameters.
TrainResult trainModel(Model model, const Dataset& train, const Dataset& test,
                       const TrainConfig& config);

// Builds the model named in config.model from config.seed and trains it.
TrainResult train(const TrainConfig& config, const Dataset& train, const Dataset& test);

// Gradients of the mean cross-entropy loss over the whole given batch, computed in double, one
// entry per Linear / Conv2d layer in model order: weight gradient [out, in] and bias gradient
// [out].
struct LinearGradients {
  std::vector<Eigen::MatrixXd> weight;
  std::vector<Eigen::VectorXd> bias;
};
double lossAndGradients(const Model& model, const Tensor& images,
                        std::span<const std::uint8_t> labels, LinearGradients* gradients);

// Fraction of samples whose arg-max output (first maximum on ties) equals the label, using the
// fp32 forward() in chunks. 0 for an empty data set.
double accuracy(const Model& model, const Dataset& data);

// Building blocks for quantization-aware training (quant/nn/qat.h); not a stable API.
namespace detail {

// The per-epoch shuffle of trainModel() and qat(): Fisher-Yates from the back, j = r mod (i+1)
// with r the generator's raw output (see the determinism note above).
void shuffleOrder(std::vector<std::uint32_t>& order, std::mt19937_64& rng);

// Activation quantization points of a trainable chain: point 0 is the model input, point 1 + i
// the output of the i-th Linear / Conv2d, taken after the ReLU that directly follows it (if any).
// activationPoints() returns, per point, the index of the model layer whose output it is (-1 for
// the input); trainableLayers() the model layer index of each Linear / Conv2d in order.
std::vector<int> activationPoints(const Model& model);
std::vector<int> trainableLayers(const Model& model);

// Called by chainForward / chainBackprop at every activation point. `forward` may replace the
// [batch, features] activation in place (fake quantization); `backward` receives the gradient of
// the loss with respect to the value `forward` produced and must turn it, in place, into the
// gradient with respect to the value it was given (straight-through estimator).
struct ActivationHooks {
  std::function<void(int point, RowMatrix& activation)> forward;
  std::function<void(int point, RowMatrix& gradient)> backward;
};

// The float32 forward pass of the trainable chain on x [batch, inFeatures] with the given
// Linear / Conv2d parameters (one per trainableLayers() entry; the model's own are ignored),
// returning the logits [batch, outFeatures] (a final Softmax is not applied).
RowMatrix chainForward(const Model& model, const std::vector<const RowMatrix*>& weights,
                       const std::vector<const Eigen::VectorXf*>& biases, const RowMatrix& x,
                       const ActivationHooks* hooks);

// Forward and backward pass over one batch, as trainModel() runs it, with the hooks in force:
// returns the mean cross-entropy loss and writes the gradients with respect to the given weights
// and biases into gW / gb (resized as needed).
double chainBackprop(const Model& model, const std::vector<const RowMatrix*>& weights,
                     const std::vector<const Eigen::VectorXf*>& biases, const RowMatrix& x,
                     std::span<const std::uint8_t> labels, std::vector<RowMatrix>& gW,
                     std::vector<Eigen::VectorXf>& gb, const ActivationHooks* hooks);

}  // namespace detail

}  // namespace quant
