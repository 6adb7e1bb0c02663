// SPDX-License-Identifier: GPL-3.0-or-later
// A small layer graph for image/MLP classifiers, its float32 reference forward pass, and ONNX
// import/export. This is the fp32 foundation the int8 engine is later compared against.
//
// Layouts:
//   - activations are row-major (C order) float32 with a leading batch dimension: [N, F] for
//     feature vectors, [N, C, H, W] (NCHW) for images. Shapes stored in the model are
//     per-sample, i.e. without N.
//   - Linear weights are [out, in] (PyTorch / ONNX Gemm transB=1 layout); y = x W^T + b.
//   - Conv2d weights are [outC, inC/groups, kH, kW] flattened row-major into a matrix of
//     [outC, (inC/groups)*kH*kW] rows; this is the ONNX Conv layout, so export/import is exact.
//
// What each layer computes (per sample, in float32):
//   Linear        y[o] = b[o] + sum_i W[o,i] x[i]                        input [F] only
//   Conv2d        y[o,y,x] = b[o] + sum_{c in group(o), ky, kx} W[o,c,ky,kx] *
//                            xpad[c, y*sH + ky, x*sW + kx]
//                 Padding is explicit and zero-valued: padTop/padLeft rows/columns before, and
//                 padBottom/padRight after (ONNX pads = [top, left, bottom, right]); dilation
//                 is always 1; the output size is floor((H + pT + pB - kH) / sH) + 1.
//                 groups == inC == outC is a depthwise convolution.
//   ReLU          max(x, 0)
//   Clip          min(max(x, clipMin), clipMax)   (ReLU6: clipMin 0, clipMax 6)
//   MaxPool2d     max over the window; padded positions never win (they count as -inf);
//                 output size as for Conv2d (floor, no ceil mode)
//   AvgPool2d     mean over the window; countIncludePad: padded zeros count in the divisor,
//                 otherwise the divisor is the number of real positions in the window
//   GlobalAvgPool [C, H, W] -> [C, 1, 1], the mean over H*W
//   Flatten       [d1, ..., dk] -> [d1*...*dk] (ONNX Flatten axis=1 / Reshape to [N, -1])
//   BatchNorm     y[c,...] = (x[c,...] - mean[c]) / sqrt(var[c] + epsilon) * gamma[c] + beta[c]
//                 (inference statistics); foldBatchNorms() merges it into the conv/linear
//                 before it: W' = W * s, b' = (b - mean) * s + beta with s = gamma/sqrt(var+eps)
//   Add           elementwise sum of two inputs of identical shape (residual connections)
//   Softmax       over the features of a [F] input: exp(x - max) / sum exp(x - max)
//   LogSoftmax    over the features of a [F] input: x - max - log(sum exp(x - max))
//   Sigmoid       1 / (1 + exp(-x))
//   Tanh          tanh(x)
//   HardSigmoid   max(0, min(1, alpha x + betaCoeff))   (ONNX defaults alpha 0.2, beta 0.5;
//                                                       PyTorch exports alpha 1/6)
//   HardSwish     x * max(0, min(1, x / 6 + 1/2))
//   LeakyReLU     x >= 0 ? x : alpha x
//   Elu           x >= 0 ? x : alpha (exp(x) - 1)
//   PReLU         x >= 0 ? x : slope[c] x               (one slope per channel, or one for all)
//   Affine        x * scale[c] + shift[c]               (per channel, or one for all; an empty
//                                                       vector means 1 / 0). What an Add, Sub, Mul
//                                                       or Div with a constant becomes when it
//                                                       cannot be folded into a neighbour.
//   Add/Sub/Mul   elementwise over two inputs: one has the output shape, the other the same shape,
//                 one value per channel ([C], [C, 1, 1]) or a single value ([1], [1, 1, 1]),
//                 broadcast (ONNX/numpy rules restricted to these cases; either side may be the
//                 smaller one)
//   Concat        two or more inputs joined along dimension 0 (channels of [C, H, W], features
//                 of [F]); the other dimensions must agree
//   Pad           [C, H, W] -> [C, H + padTop + padBottom, W + padLeft + padRight], new positions
//                 set to padValue (ONNX Pad, constant mode, spatial axes)
//   GlobalMaxPool [C, H, W] -> [C, 1, 1], the maximum over H*W (NaN never wins, as MaxPool2d)
// Everything is plain float32 arithmetic (round-to-nearest-even per operation); the GEMMs of
// Linear and im2col Conv2d run on the fp32 GEMM kernels the CPU dispatcher picks (fp32gemm.h:
// AVX2 + FMA or AVX-512F, one FMA chain per output, bias and a following ReLU fused into the
// output stage), or on Eigen when the level is reference or sse2 (QUANTLAB_ISA). Their summation
// order differs from the direct reference loops (which accumulate in double), so the algorithms
// agree to rounding, not bit-for-bit: tst_model requires |a - b| <= 1e-4 * max(1, |b|)
// (observed ~1e-6 relative).
// Pooling and GlobalAvgPool sums accumulate in double. NaN inputs: ReLU and MaxPool do not
// propagate them (ReLU(NaN) = 0, MaxPool skips NaN), Clip passes them through.
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "quant/base/tensor.h"

namespace quant {

enum class LayerType {
  Linear,
  Conv2d,
  ReLU,
  Clip,
  MaxPool2d,
  AvgPool2d,
  GlobalAvgPool,
  Flatten,
  BatchNorm,
  Add,
  Softmax,
  LogSoftmax,
  Sigmoid,
  Tanh,
  HardSigmoid,
  HardSwish,
  LeakyReLU,
  Elu,
  PReLU,
  Affine,
  Sub,
  Mul,
  Concat,
  Pad,
  GlobalMaxPool,
};

// "Linear", "Conv2d", ... (for layer tables and messages).
const char* layerTypeName(LayerType t);

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Layer {
  LayerType type = LayerType::ReLU;
  std::string name;                 // unique within the model (ONNX node name on import)
  std::vector<std::string> inputs;  // tensor names; two for Add/Sub/Mul, >= 2 for Concat, else one
  std::string output;               // tensor name this layer defines

  // Linear / Conv2d parameters (layouts above). bias may be empty (= zero).
  RowMatrix weight;
  Eigen::VectorXf bias;
  // Conv2d and pooling windows.
  int kernelH = 1, kernelW = 1;
  int strideH = 1, strideW = 1;
  int padTop = 0, padLeft = 0, padBottom = 0, padRight = 0;
  int groups = 1;                // Conv2d
  bool countIncludePad = false;  // AvgPool2d
  // Clip bounds.
  float clipMin = -std::numeric_limits<float>::infinity();
  float clipMax = std::numeric_limits<float>::infinity();
  // BatchNorm statistics and affine parameters, one per channel (dimension 0 of the input).
  Eigen::VectorXf gamma, beta, mean, var;
  float epsilon = 1e-5f;
  // LeakyReLU / Elu / HardSigmoid coefficients (the formulas above; importers set the ONNX
  // defaults, hand-built layers must set them).
  float alpha = 0.0f, betaCoeff = 0.0f;
  // PReLU slopes, Affine scale and shift: one value per channel (dimension 0 of the input) or
  // a single value for all.
  Eigen::VectorXf slope, scale, shift;
  float padValue = 0.0f;  // Pad

  // Metadata, filled by Model::finalize(): per-sample shapes (inShape is input 0's, inShapes
  // every input's), the number of stored parameters (weights + biases; BatchNorm: 4 per channel)
  // and the multiply-accumulates per sample of Linear/Conv2d (other layers count 0).
  std::vector<std::int64_t> inShape, outShape;
  std::vector<std::vector<std::int64_t>> inShapes;
  std::int64_t params = 0;
  std::int64_t macs = 0;
};

// Whether t is one of the elementwise functions of one input with no per-channel data (Sigmoid,
// Tanh, HardSigmoid, HardSwish, LeakyReLU, Elu), and its value at x in float32 as the forward pass
// computes it. The int8 executor builds its lookup tables from this same function.
bool isPointwiseActivation(LayerType t);
float applyActivation(const Layer& l, float x);

struct Model {
  std::string input = "input";           // name of the graph input tensor
  std::vector<std::int64_t> inputShape;  // per-sample shape: [F] or [C, H, W]
  std::vector<Layer> layers;             // in execution order (every input defined earlier)
  std::string output;                    // graph output tensor; "" = the last layer's output

  // Validates the graph (unique names, inputs defined before use, arity, parameter shapes,
  // positive strides, non-negative pads, windows that fit) and infers every layer's shapes and
  // metadata. Sets `output` when empty. Throws quant::Error naming the offending layer.
  void finalize();

  std::int64_t parameterCount() const;  // sum over layers (after finalize())
  std::int64_t macsPerSample() const;
  // The per-sample shape of the output tensor (after finalize()).
  std::vector<std::int64_t> outputShape() const;
};

enum class ConvAlgorithm {
  Im2colGemm,  // im2col + Eigen GEMM per sample and group (the normal path)
  Direct,      // plain nested loops accumulating in double: the reference for tests
};

// Runs the model on a batch: `input.shape` must be [N] + model.inputShape with N >= 1.
// Returns the output tensor ([N] + outputShape(), named after the output). The model must
// have been finalize()d. Linear layers use the GEMM of Im2colGemm (kernels or Eigen, above), except
// with ConvAlgorithm::Direct where they use the same double-accumulating loops as the direct
// convolution.
Tensor forward(const Model& model, const Tensor& input,
               ConvAlgorithm algorithm = ConvAlgorithm::Im2colGemm);

// The float32 forward pass (Im2colGemm) with a per-layer wall-clock profile (seconds, one entry
// per model layer, in order) and the batch split into contiguous slices on `threads` >= 1
// std::threads. Results are bit-identical to forward() for any thread count.
// How: the layers run one after the other; each layer's samples are split over the threads, which
// all finish before the next layer starts, so a layer's time is the wall-clock time of that layer
// alone (thread hand-off included). forward() is this code with one thread. The fp32 GEMM kernels
// compute every output row the same way whatever the rows around it, so their layers split per
// sample like the int8 executor. Eigen's GEMM picks its kernel and blocking from the matrix sizes,
// so on the Eigen path a Linear layer always multiplies fixed blocks of 32 samples (rows [32j, 32j
// + 32) of the batch; threads get whole blocks): every row is then computed by the same GEMM call
// whatever the thread count. All other layers are per sample. A ReLU fused into the Linear /
// Conv2d before it, and a Flatten whose input is not used again, only pass the tensor on: their
// time is ~0 and the work shows in the layer before.
// `threads` is an upper bound: a layer whose estimated work is too small to gain from a split
// (detail::ThreadTeam::threadsFor) runs on fewer threads, down to the caller alone.
// threads must lie in [1, 256] (quant::Error otherwise); times may be nullptr.
struct LayerTime {
  std::string name;
  double seconds = 0.0;
};
Tensor forwardTimed(const Model& model, const Tensor& input, int threads = 1,
                    std::vector<LayerTime>* times = nullptr);

// What the float32 forward pass of Linear / Conv2d runs on at the active kernel level, for
// reports that set int8 against it: "avx512f", "avx2+fma" (the fp32 GEMM kernels) or "eigen-sse2"
// (the Eigen path, built for baseline x86-64).
const char* fp32KernelName();

namespace detail {
// A team of `threads` - 1 worker threads plus the caller, kept for the duration of one
// forwardTimed / runInt8 call so that each layer costs a wake-up, not a thread start. The workers
// start with the first run() that uses more than one thread (never, for a batch of one).
class ThreadTeam {
 public:
  explicit ThreadTeam(int threads);  // throws quant::Error outside [1, 256]
  ~ThreadTeam();
  ThreadTeam(const ThreadTeam&) = delete;
  ThreadTeam& operator=(const ThreadTeam&) = delete;
  int size() const { return threads_; }
  // Calls fn(begin, end) for the contiguous slices [units * t / T, units * (t + 1) / T) of
  // [0, units), t = 0..T-1 (empty slices skipped), on T threads (the caller runs slice 0), and
  // returns when all are done. An exception from any slice is rethrown here (the first one).
  // This overload always uses T = min(size(), units) threads.
  void run(std::int64_t units, const std::function<void(std::int64_t, std::int64_t)>& fn);
  // The same with T = threadsFor(units, nsPerUnit): work too small to pay for the hand-off runs
  // on the caller alone. nsPerUnit is the caller's estimate of one unit's single-thread time.
  void run(std::int64_t units, double nsPerUnit,
           const std::function<void(std::int64_t, std::int64_t)>& fn);
  // min(size(), units, floor(units * nsPerUnit / minSliceNanoseconds())), at least 1.
  int threadsFor(std::int64_t units, double nsPerUnit) const;

 private:
  void startWorkers();
  void stopWorkers();
  void runOn(int used, std::int64_t units,
             const std::function<void(std::int64_t, std::int64_t)>& fn);
  struct State;
  int threads_ = 1;
  std::unique_ptr<State> state_;
};

// The least estimated work (nanoseconds of one thread) each thread of a split must get; see
// model.cpp for the measurements behind the default. Process-wide; tests set 0 to force every
// layer with more than one unit to split. Returns the previous value; negative or NaN is refused
// (quant::Error).
double setMinSliceNanoseconds(double ns);
double minSliceNanoseconds();
}  // namespace detail

// Merges every BatchNorm into the Linear/Conv2d that produces its input and removes it (the
// BN output name is then produced by that layer). Throws quant::Error naming the BatchNorm when
// it is not foldable: its input is not a Linear/Conv2d output, or that output is also used
// elsewhere. Re-finalizes the model.
void foldBatchNorms(Model& model);
// The same, leaving every BatchNorm that cannot be folded in place (it then runs standalone).
void foldBatchNormsWherePossible(Model& model);

// ONNX import of an inference graph (opsets 11..17, default domain). Supported nodes (also
// listed in the refusal of any other): Conv (pads, auto_pad, strides, groups; dilation 1),
// Gemm (alpha, beta, transB; transA 0), MatMul with a constant [in, out] weight, Relu,
// LeakyRelu, PRelu, Elu, Sigmoid, Tanh, HardSigmoid, HardSwish (and opset 13's
// x * HardSigmoid(x) with alpha 1/6, which becomes HardSwish), Clip (inputs or attributes),
// Add/Sub/Mul/Div, Pad (constant mode, H and W), MaxPool/AveragePool (ceil_mode as extra end
// padding, count_include_pad, auto_pad), GlobalAveragePool, GlobalMaxPool, ReduceMean over H and
// W, Flatten (axis 1), Reshape/Squeeze/Unsqueeze that keep the batch first, identity Transpose,
// Concat along channels, Softmax/LogSoftmax over the features of [N, F], BatchNormalization,
// Identity, Dropout and Cast to float. Nodes whose inputs are all constant are evaluated at load
// (onnx_fold.h: Shape of an activation, Gather, Unsqueeze, Concat, ConstantOfShape, Slice, Cast,
// Range, Equal, Where, Expand, Reshape, Transpose, arithmetic), which removes the shape
// arithmetic of `x.view(x.size(0), -1)` and `F.pad`. Folds at load: an Add/Sub of a constant
// (one value or one per channel) after a Linear/Conv2d used only there goes into its bias;
// other constant arithmetic becomes an Affine layer, and consecutive ones merge into one (Div by
// c is a multiplication by 1/c, within one rounding of the division); a zero Pad goes into the
// padding of the Conv2d, or AvgPool2d counting padding, after it; a BatchNorm after a
// Linear/Conv2d used only there is folded, any other runs standalone. Weights are float32
// initializers or Constant nodes (raw_data or float_data). Exactly one graph input (besides
// initializers) of rank 2 or 4 whose only non-fixed dimension is the batch, and exactly one
// output. Refuses with a quant::Error "<where>: node '<name>' (<op>): ..." for unsupported ops
// and attributes, external data, dynamic non-batch dimensions, missing inputs, cycles and
// malformed protobuf.
Model importOnnxModel(std::span<const std::uint8_t> bytes, const std::string& where);
Model loadOnnxModel(const std::string& path);

// ONNX export of a finalize()d float32 model: opset 13 (14 when it holds a HardSwish), IR version
// 7, weights as raw_data initializers, input/output value infos with the symbolic batch dimension
// "N". BatchNorm layers that were not folded are exported as BatchNormalization nodes, Affine as
// Mul then Add, Pad with an int64 pads initializer. Importing the result gives the same layers,
// except that the importer folds an Affine that only shifts into a Linear/Conv2d before it and a
// zero Pad into a Conv2d after it.
std::vector<std::uint8_t> exportOnnxModel(const Model& model);
void saveOnnxModel(const Model& model, const std::string& path);

}  // namespace quant
