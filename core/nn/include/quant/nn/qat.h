// SPDX-License-Identifier: GPL-3.0-or-later
// Quantization-aware training (QAT) and the fake-quantized evaluation that measures both QAT and
// post-training quantization (PTQ) with the same code.
//
// What is fake-quantized (x_hat = s * (clamp(round(x / s) + z, qmin, qmax) - z), the division in
// float32 and the rounding ties-to-even, exactly quant::quantizeValue / dequantizeValue):
// The grids are the config's QuantRecipe (recipe.h), the same one PTQ and the sensitivity analysis
// use; QAT needs its symmetric per-channel weights and min-max activation calibration:
//   * weights of every Linear / Conv2d: symmetric, signed, per output channel, zero point 0, codes
//     in [-(2^(b-1) - 1), 2^(b-1) - 1] (narrow range). Without LSQ the scale is
//     max|W_c| / (2^(b-1) - 1), recomputed from the latent float weights at every step (so no
//     weight is ever clipped). Biases stay float32.
//   * activations, asymmetric per tensor (signed codes [-2^(b-1), 2^(b-1) - 1], zero point from
//     quant::chooseParams, so real 0 is exact): the model input and the output of every Linear /
//     Conv2d, taken after the ReLU that directly follows it (the tensors the int8 engine gives new
//     parameters). The logits (a last Linear without ReLU) stay float32 unless quantizeLogits:
//     low-bit QAT usually keeps the last layer's output wide, and at 4 bits the 16-level logits
//     tie so often that they cost the MLP ~5 points of PTQ accuracy (0.8215 vs 0.8762).
// Activation ranges: calibration (calibrateQat) takes the min and max of every point over the
// first calibrationSamples training images in the fp32 model. During QAT without LSQ an EMA
// observer (PyTorch's MovingAverageMinMaxObserver) starts from those and follows each batch's
// min / max before it is fake-quantized: m <- m + c (m_batch - m), c = averagingConstant (0.01).
//
// Backward: the straight-through estimator. d x_hat / d x = 1 where round(x / s) + z lies in
// [qmin, qmax] (PyTorch's mask) and 0 where the value was clipped.
// LSQ (Esser et al. 2020, "Learned Step Size Quantization"): the scales become trainable (per
// output channel for weights, per tensor for activations, initialised from the calibrated / max
// values; zero points stay fixed), with
//   d x_hat / d s = round(x / s) - x / s   inside,   qmin - z / qmax - z   below / above,
// multiplied by the gradient scale g = 1 / sqrt(numel * qmax) (numel: the elements one scale
// covers per sample: the channel's weights, or the tensor's features). The input's range stays
// at its calibrated value with LSQ (its gradient would need a backward pass into the image).
//
// Optimiser: Adam (beta1 0.9, beta2 0.999, eps 1e-8) on the latent float weights, biases and LSQ
// scales, learning rate multiplied by lrDecay after every epoch. Determinism as in
// quant/nn/train.h: the seed fixes the shuffling, so the same seed gives bit-identical results with
// the same build.
//
// Measured on Fashion-MNIST (test accuracy, W4A4, logits float, 2 epochs, lr 1e-4, seed 1):
//   shipped MLP  fp32 0.9002   PTQ 0.8762   QAT 0.8921
//   shipped CNN  fp32 0.9213   PTQ 0.8960   QAT 0.9137
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "quant/io/dataset.h"
#include "quant/nn/int8model.h"
#include "quant/nn/model.h"
#include "quant/nn/recipe.h"
#include "quant/numeric/quantize.h"

namespace quant {

// What qat() knows at the end of one finished epoch (see QatConfig::onEpoch).
struct QatEpochReport {
  int epoch = 0;             // from 0
  int steps = 0;             // minibatches trained so far, all epochs
  double loss = 0;           // mean minibatch loss of the epoch (QatResult::epochLoss[epoch])
  bool hasAccuracy = false;  // false when the test set is empty
  double accuracy = 0;       // fake-quantized test accuracy (QatResult::testAccuracy[epoch])
};

struct QatConfig {
  // Widths 2..16; weights symmetric per channel, activations calibrated with min-max.
  QuantRecipe recipe = QuantRecipe{}.withBits(4, 4);
  bool lsq = false;             // learned step sizes instead of max|W| scales and EMA ranges
  bool quantizeLogits = false;  // also fake-quantize the last layer's output (at actBits)
  int epochs = 2;
  int batch = 128;
  double lr = 1e-4;
  double lrDecay = 1.0;
  double averagingConstant = 0.01;  // EMA observer constant c
  int calibrationSamples = 2048;    // first N training images (fewer if the set is smaller)
  std::uint64_t seed = 1;
  // Called after every minibatch with (epoch from 0, batch index in the epoch, batch loss);
  // returning false stops training (QatResult::cancelled).
  std::function<bool(int, int, double)> progress;
  // Called at the end of every finished epoch (not for one that `progress` cancelled), after the
  // epoch's test accuracy was measured, so a caller can draw the accuracy curve while training
  // goes on. It only observes: the values it gets are the ones stored in QatResult, the report
  // is computed whether or not the callback is set, and training is bit-identical with and
  // without it.
  std::function<void(const QatEpochReport&)> onEpoch;
};

// Quantization parameters of one activation point.
struct ActivationQuant {
  int layer = -1;      // model layer whose output is quantized; -1: the model input
  std::string tensor;  // that tensor's name
  bool enabled = true;
  Range range;  // the clipping range in force: [s (qmin - z), s (qmax - z)]
  float scale = 1.0f;
  std::int32_t zeroPoint = 0;
};

// Per-output-channel weight scales of one Linear / Conv2d.
struct WeightQuant {
  int layer = -1;  // model layer index
  std::string name;
  std::vector<float> scales;
};

struct QatParams {
  QuantRecipe recipe;                        // the config's
  std::vector<WeightQuant> weights;          // one per Linear / Conv2d, model order
  std::vector<ActivationQuant> activations;  // the input first, then one per Linear / Conv2d

  QuantSpec weightSpec() const;      // recipe.weights.spec()
  QuantSpec activationSpec() const;  // recipe.activations.spec()
};

// PTQ parameters: weight scales max|W_c| / (2^(b-1) - 1), activation ranges the min / max over
// the first config.calibrationSamples images of `calibration` in the fp32 model. Uses
// recipe, quantizeLogits and calibrationSamples of the config. The model must be a
// chain trainModel() accepts (Flatten / Linear / Conv2d / ReLU / MaxPool2d, optional Softmax).
QatParams calibrateQat(const Model& model, const Dataset& calibration, const QatConfig& config);

// The model with every Linear / Conv2d weight replaced by its fake-quantized value under
// `params` (exactly representable as scale * integer code at weightBits).
Model fakeQuantizeWeights(const Model& model, const QatParams& params);

// Fraction of correctly classified samples (first maximum on ties) with weights and enabled
// activation points fake-quantized under `params`. 0 for an empty data set.
double fakeQuantAccuracy(const Model& model, const QatParams& params, const Dataset& data);

struct QatResult {
  Model model;                       // the fine-tuned latent float32 weights
  Model quantizedModel;              // fakeQuantizeWeights(model, params): what gets saved
  QatParams params;                  // final quantization parameters
  QatParams ptqParams;               // the calibrated starting point
  double ptqAccuracy = 0;            // fakeQuantAccuracy(fp32, ptqParams, test)
  std::vector<double> epochLoss;     // mean minibatch loss of each finished epoch
  std::vector<double> testAccuracy;  // fake-quantized, after each finished epoch
  bool cancelled = false;
};

// Fine-tunes `fp32` with fake quantization in the loop. `test` may be empty (no accuracies).
// Throws quant::Error for unsupported models, bad data or configuration.
QatResult qat(const Model& fp32, const Dataset& train, const Dataset& test,
              const QatConfig& config);

// The QAT result as an Int8Model for the int8 engine (and QDQ export, onnxqdq.h). Needs the 8-bit
// recipe (the engine runs W8A8 only; quant::Error otherwise). Weights are the codes of
// result.quantizedModel under the QAT weight scales (exact: they are fake-quantized values),
// activation tensors take the QAT scales and zero points; an activation point QAT leaves disabled
// (the logits without quantizeLogits) is calibrated on `calibration` ([N] + input shape) as
// quantizeModel calibrates it. Biases are requantized as quantizeModel does.
Int8Model qatInt8Model(const QatResult& result, const Tensor& calibration);

namespace detail {

// One fake-quantized value and its derivatives, as the trainer uses them:
//   value      s * (clamp(round(x / s) + z, qmin, qmax) - z) (quantizeValue rounding)
//   inside     round(x / s) + z lies in [qmin, qmax] (the STE passes the gradient there)
//   dScale     d value / d s: round(x / s) - x / s inside, qmin - z / qmax - z when clipped
struct FakeQuantPoint {
  float value = 0;
  bool inside = true;
  float dScale = 0;
};
FakeQuantPoint fakeQuantPoint(float x, float scale, std::int32_t zeroPoint, int qmin, int qmax);

// Fake quantization of a whole tensor (one scale and zero point) that records what its backward
// pass needs, as qat() runs it for every activation point and every weight channel.
struct FakeQuantTape {
  std::vector<std::uint8_t> inside;  // 1 where the STE passes the gradient
  std::vector<float> dScale;         // d x_hat / d s per element (only when asked for)
};
void fakeQuantForward(std::span<float> x, float scale, std::int32_t zeroPoint, int qmin, int qmax,
                      bool wantScaleGradient, FakeQuantTape& tape);
// Turns, in place, the gradient with respect to x_hat into the gradient with respect to x (the
// straight-through estimator: unchanged inside, 0 where clipped) and returns
// sum(grad * dScale), the (unscaled) gradient with respect to s; 0 without dScale.
double fakeQuantBackward(std::span<float> grad, const FakeQuantTape& tape);

}  // namespace detail

}  // namespace quant
