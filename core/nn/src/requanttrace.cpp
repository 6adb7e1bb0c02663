// SPDX-License-Identifier: GPL-3.0-or-later
// One output value's requantization from a traced int8 run; see requanttrace.h.
#include "quant/nn/requanttrace.h"

#include <algorithm>

#include "int8internal.h"
#include "quant/kernels/int8gemm.h"
#include "quant/numeric/quantize.h"

namespace quant {

namespace {

// The int8 codes layer qi reads: the traced tensor its first input names (or the previous
// layer's output, the graph input for the first layer).
const std::vector<std::int8_t>& layerInput(const Int8Model& q, const Int8Trace& trace,
                                           std::size_t qi) {
  const Int8Layer& L = q.layers[qi];
  if (L.inputs.empty() || L.inputs[0] == q.input)
    return L.inputs.empty() && qi > 0 ? trace.layers[qi - 1].q : trace.input;
  for (std::size_t j = qi; j-- > 0;)
    if (q.layers[j].outputName == L.inputs[0]) return trace.layers[j].q;
  if (qi > 0) return trace.layers[qi - 1].q;
  throw Error("requantization trace: the input of '" + L.name + "' was not traced");
}

}  // namespace

RequantTrace traceRequantization(const Int8Model& q, std::size_t qi, const Tensor& input,
                                 int sample, int pixel, int column) {
  if (qi >= q.layers.size()) throw Error("requantization trace: no such int8 layer");
  const Int8Layer& L = q.layers[qi];
  const bool conv = L.type == LayerType::Conv2d;
  if ((L.type != LayerType::Linear && !conv) || L.packed.empty())
    throw Error("requantization trace: '" + L.name + "' is not a Linear or Conv2d layer");
  if (input.shape.empty() || input.shape[0] != 1)
    throw Error("requantization trace: one sample expected, got " + input.shapeString());
  Int8Trace trace;
  (void)runInt8(q, input, &trace);
  const std::vector<std::int8_t>& in = layerInput(q, trace, qi);

  RequantTrace r;
  r.layer = L.name;
  r.conv = conv;
  r.sample = sample;
  std::size_t group = 0, accIndex = 0;
  int gemmColumn = 0;
  if (!conv) {
    column = std::clamp(column, 0, L.packed.front().N - 1);
    r.x = in;
    gemmColumn = column;
    accIndex = static_cast<std::size_t>(column);
  } else {
    const int OC = static_cast<int>(L.outShape[0]), OH = static_cast<int>(L.outShape[1]),
              OW = static_cast<int>(L.outShape[2]);
    if (static_cast<std::int64_t>(in.size()) != L.inShape[0] * L.inShape[1] * L.inShape[2])
      throw Error("requantization trace: unexpected input size of '" + L.name + "'");
    column = std::clamp(column, 0, OC - 1);
    pixel = std::clamp(pixel, 0, OH * OW - 1);
    const int ocPerGroup = OC / std::max(1, L.groups);
    const int g = column / ocPerGroup;
    r.pixel = pixel;
    r.y = pixel / OW;
    r.x0 = pixel % OW;
    r.x.resize(static_cast<std::size_t>(L.packed[static_cast<std::size_t>(g)].K));
    r.padded = int8Im2colRow(L, in.data(), g, r.y, r.x0, r.x.data());
    group = static_cast<std::size_t>(g);
    gemmColumn = column - g * ocPerGroup;
    accIndex = static_cast<std::size_t>((column * OH + r.y) * OW + r.x0);
  }
  const gemm::PackedWeights& pw = L.packed[group];
  const int K = pw.K, N = pw.N;
  if (static_cast<int>(r.x.size()) != K)
    throw Error("requantization trace: unexpected input size of '" + L.name + "'");
  const Int8LayerTrace& lt = trace.layers[qi];
  if (accIndex >= lt.acc.size() || accIndex >= lt.q.size())
    throw Error("requantization trace: the accumulators of '" + L.name + "' were not traced");
  r.column = column;
  r.K = K;
  r.w.assign(L.weights.begin() + static_cast<std::ptrdiff_t>(column) * K,
             L.weights.begin() + static_cast<std::ptrdiff_t>(column + 1) * K);
  r.zx = L.inZero;
  // The reference kernel once with the real input zero point and once with 0: the zero-point
  // correction is their difference.
  std::vector<std::int32_t> accZ(static_cast<std::size_t>(N)), acc0(static_cast<std::size_t>(N));
  const std::span<const std::int8_t> row(r.x);
  gemm::gemmAcc(gemm::Isa::Reference, row, 1, L.inZero, pw, accZ);
  gemm::gemmAcc(gemm::Isa::Reference, row, 1, 0, pw, acc0);
  const auto gc = static_cast<std::size_t>(gemmColumn);
  r.bias = L.bias.empty() ? 0 : L.bias[static_cast<std::size_t>(column)];
  r.sumXW = acc0[gc] - r.bias;
  r.zeroCorrection = accZ[gc] - acc0[gc];
  r.acc = lt.acc[accIndex];
  r.sIn = L.inScale;
  r.sW = L.weightScales[static_cast<std::size_t>(column)];
  r.sOut = L.outScale;
  r.zOut = L.outZero;
  r.realM = L.realMultiplier[static_cast<std::size_t>(column)];
  r.qm = L.requant[static_cast<std::size_t>(column)];
  r.scaled = MultiplyByQuantizedMultiplier(r.acc, r.qm.multiplier, r.qm.shift);
  r.actMin = L.output.actMin;
  r.actMax = L.output.actMax;
  r.result = lt.q[accIndex];
  r.recomputed = gemm::requantize(r.acc, r.qm, L.output);
  r.dequantized = dequantizeValue(r.result, r.sOut, r.zOut);
  return r;
}

LutTrace traceLookupTable(const Int8Model& q, const Model& fp32, std::size_t qi, int channel) {
  if (qi >= q.layers.size()) throw Error("lookup-table trace: no such int8 layer");
  const Int8Layer& L = q.layers[qi];
  if (L.lut.empty())
    throw Error("lookup-table trace: '" + L.name + "' (" + layerTypeName(L.type) +
                ") is not a lookup-table layer");
  const auto f = std::find_if(fp32.layers.begin(), fp32.layers.end(),
                              [&](const Layer& l) { return l.name == L.name; });
  if (f == fp32.layers.end())
    throw Error("lookup-table trace: '" + L.name + "' is not in the float model");
  LutTrace t;
  t.layer = L.name;
  t.type = L.type;
  const int tables = static_cast<int>(L.lut.size() / 256);
  t.channel = std::clamp(channel, 0, tables - 1);
  t.sIn = L.inScale;
  t.zIn = L.inZero;
  t.sOut = L.outScale;
  t.zOut = L.outZero;
  t.fixedOutput =
      L.type == LayerType::Sigmoid || L.type == LayerType::HardSigmoid || L.type == LayerType::Tanh;
  const auto fn = detail::tableFunction(*f, t.channel);
  for (int c = -128; c <= 127; ++c) {
    LutRow r;
    r.code = static_cast<std::int8_t>(c);
    r.real = dequantizeValue(c, L.inScale, L.inZero);
    r.f = fn(r.real);
    r.exact = static_cast<double>(r.f) / static_cast<double>(L.outScale) + L.outZero;
    r.out = L.lut[static_cast<std::size_t>(t.channel) * 256 + static_cast<std::size_t>(c + 128)];
    t.rows.push_back(r);
  }
  return t;
}

}  // namespace quant
