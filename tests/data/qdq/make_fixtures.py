# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the quantized ONNX fixtures of tst_onnxqdq with Debian's python3-torch and python3-onnx
# (development time only; the tests read the committed files). Run from this folder:
#   /usr/bin/python3 make_fixtures.py
# Each model comes with its input (<name>_x.npy) and the output its producer computes
# (<name>_y.npy): torch's forward pass for the torch export, a NumPy transcription of the ONNX
# operator definitions (float rescale, round half to even, saturate) for the hand-built graphs.
import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)


def save(name, model, x, y):
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, name + ".onnx")
    np.save(name + "_x.npy", x.astype(np.float32))
    np.save(name + "_y.npy", y.astype(np.float32))


# ---- QDQ from torch.onnx.export of a fake-quantized CNN: uint8 activations, int8 weights per
# output channel with scale max|w| / 127 (codes within [-127, 127]).
class FakeQuantCnn(torch.nn.Module):
    def __init__(self):
        super().__init__()
        torch.manual_seed(3)
        self.conv = torch.nn.Conv2d(1, 4, 3, padding=1)
        self.fc = torch.nn.Linear(4 * 4 * 4, 5)
        # Scales as buffers, so the export stores them as constants.
        for name in ("conv", "fc"):
            w = getattr(self, name).weight.detach()
            self.register_buffer(name + "_scale", w.abs().reshape(w.shape[0], -1).max(1).values / 127)
            self.register_buffer(name + "_zero", torch.zeros(w.shape[0], dtype=torch.int32))

    def wq(self, name):
        return torch.fake_quantize_per_channel_affine(
            getattr(self, name).weight, getattr(self, name + "_scale"), getattr(self, name + "_zero"),
            0, -128, 127)

    def forward(self, x):
        x = torch.fake_quantize_per_tensor_affine(x, 1 / 255, 0, 0, 255)
        x = torch.nn.functional.conv2d(x, self.wq("conv"), self.conv.bias, padding=1)
        x = torch.relu(x)
        x = torch.fake_quantize_per_tensor_affine(x, 0.02, 0, 0, 255)
        x = torch.nn.functional.max_pool2d(x, 2)
        x = torch.fake_quantize_per_tensor_affine(x, 0.02, 0, 0, 255)
        x = torch.flatten(x, 1)
        x = torch.nn.functional.linear(x, self.wq("fc"), self.fc.bias)
        return torch.fake_quantize_per_tensor_affine(x, 0.05, 128, 0, 255)


net = FakeQuantCnn().eval()
x = rng.uniform(0, 1, (16, 1, 8, 8)).astype(np.float32)
torch.onnx.export(net, torch.from_numpy(x), "torch_qdq_cnn.onnx", opset_version=13,
                  input_names=["input"], output_names=["logits"],
                  dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}})
with torch.no_grad():
    y = net(torch.from_numpy(x)).numpy()
save("torch_qdq_cnn", onnx.load("torch_qdq_cnn.onnx"), x, y)


# ---- QOperator: QuantizeLinear -> QLinearConv -> MaxPool (uint8) -> Flatten -> QLinearMatMul ->
# DequantizeLinear.
def requant(acc, m, zero, lo, hi):
    return np.clip(np.rint(acc * m) + zero, lo, hi)


def quantize(x, s, z, lo, hi):
    return np.clip(np.rint(x / s) + z, lo, hi)


xs, xz = np.float32(1 / 255), 0
w = rng.integers(-127, 128, (3, 2, 3, 3)).astype(np.int8)
ws = rng.uniform(0.002, 0.01, 3).astype(np.float32)
b = rng.integers(-2000, 2000, 3).astype(np.int32)
cs, cz = np.float32(0.03), 10
w2 = rng.integers(-127, 128, (3 * 3 * 3, 4)).astype(np.int8)
w2s = np.float32(0.004)
ys, yz = np.float32(0.05), 131
init = [numpy_helper.from_array(v, n) for v, n in [
    (np.array(xs), "xs"), (np.array(xz, np.uint8), "xz"), (w, "w"), (ws, "ws"),
    (np.zeros(3, np.int8), "wz"), (np.array(cs), "cs"), (np.array(cz, np.uint8), "cz"), (b, "b"),
    (w2, "w2"), (np.array(w2s), "w2s"), (np.array(0, np.int8), "w2z"), (np.array(ys), "ys"),
    (np.array(yz, np.uint8), "yz")]]
nodes = [
    helper.make_node("QuantizeLinear", ["input", "xs", "xz"], ["xq"], name="quantize"),
    helper.make_node("QLinearConv", ["xq", "xs", "xz", "w", "ws", "wz", "cs", "cz", "b"], ["c"],
                     name="conv", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
    helper.make_node("MaxPool", ["c"], ["p"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Flatten", ["p"], ["f"], name="flatten", axis=1),
    helper.make_node("QLinearMatMul", ["f", "cs", "cz", "w2", "w2s", "w2z", "ys", "yz"], ["yq"],
                     name="fc"),
    helper.make_node("DequantizeLinear", ["yq", "ys", "yz"], ["logits"], name="dequantize"),
]
graph = helper.make_graph(
    nodes, "qoperator", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 2, 6, 6])],
    [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", 4])], init)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
x = rng.uniform(0, 1, (16, 2, 6, 6)).astype(np.float32)
xq = quantize(x, xs, xz, 0, 255)
pad = np.pad(xq - xz, ((0, 0), (0, 0), (1, 1), (1, 1)))
acc = np.zeros((16, 3, 6, 6))
for oy in range(6):
    for ox in range(6):
        acc[:, :, oy, ox] = np.einsum("nckl,ockl->no", pad[:, :, oy:oy + 3, ox:ox + 3], w) + b
c = requant(acc, (xs * ws / cs)[None, :, None, None], cz, 0, 255)
p = c.reshape(16, 3, 3, 2, 3, 2).max(axis=(3, 5)).reshape(16, 27)
yq = requant((p - cz) @ w2.astype(np.float64), cs * w2s / ys, yz, 0, 255)
save("qoperator", model, x, (yq - yz) * ys)


# ---- MatMulInteger with static input quantization: QuantizeLinear -> MatMulInteger -> Cast ->
# Mul (per-column scale) -> Add bias -> QuantizeLinear -> DequantizeLinear.
w3 = rng.integers(-127, 128, (6, 3)).astype(np.int8)
scale3 = rng.uniform(1e-4, 4e-4, 3).astype(np.float32)  # input scale * weight scale per column
bias3 = rng.uniform(-0.1, 0.1, 3).astype(np.float32)
os3, oz3 = np.float32(0.004), -5
init = [numpy_helper.from_array(v, n) for v, n in [
    (np.array(xs), "xs"), (np.array(-128, np.int8), "xz"), (w3, "w"), (np.array(0, np.int8), "wz"),
    (scale3, "scale"), (bias3, "bias"), (np.array(os3), "os"), (np.array(oz3, np.int8), "oz")]]
nodes = [
    helper.make_node("QuantizeLinear", ["input", "xs", "xz"], ["xq"], name="quantize"),
    helper.make_node("MatMulInteger", ["xq", "w", "xz", "wz"], ["acc"], name="fc"),
    helper.make_node("Cast", ["acc"], ["accf"], name="cast", to=TensorProto.FLOAT),
    helper.make_node("Mul", ["accf", "scale"], ["y0"], name="rescale"),
    helper.make_node("Add", ["y0", "bias"], ["y1"], name="bias_add"),
    helper.make_node("QuantizeLinear", ["y1", "os", "oz"], ["yq"], name="quantize_out"),
    helper.make_node("DequantizeLinear", ["yq", "os", "oz"], ["y"], name="dequantize_out"),
]
graph = helper.make_graph(
    nodes, "matmulinteger", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 6])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])], init)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
x = rng.uniform(0, 1, (16, 6)).astype(np.float32)
xq = quantize(x, xs, -128, -128, 127)
y1 = ((xq + 128) @ w3.astype(np.float64)).astype(np.float32) * scale3 + bias3
save("matmulinteger", model, x, (quantize(y1, os3, oz3, -128, 127) - oz3) * os3)


# ---- ConvInteger with static input quantization: QuantizeLinear -> ConvInteger -> Cast -> Mul
# (per output channel) -> Relu -> QuantizeLinear -> DequantizeLinear -> GlobalAveragePool ->
# QuantizeLinear -> DequantizeLinear -> Flatten.
w4 = rng.integers(-127, 128, (3, 2, 3, 3)).astype(np.int8)
scale4 = rng.uniform(1e-4, 3e-4, 3).astype(np.float32).reshape(1, 3, 1, 1)
os4, oz4 = np.float32(0.01), -128
init = [numpy_helper.from_array(v, n) for v, n in [
    (np.array(xs), "xs"), (np.array(-128, np.int8), "xz"), (w4, "w"), (np.array(0, np.int8), "wz"),
    (scale4, "scale"), (np.array(os4), "os"), (np.array(oz4, np.int8), "oz")]]
nodes = [
    helper.make_node("QuantizeLinear", ["input", "xs", "xz"], ["xq"], name="quantize"),
    helper.make_node("ConvInteger", ["xq", "w", "xz", "wz"], ["acc"], name="conv",
                     pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
    helper.make_node("Cast", ["acc"], ["accf"], name="cast", to=TensorProto.FLOAT),
    helper.make_node("Mul", ["accf", "scale"], ["y0"], name="rescale"),
    helper.make_node("Relu", ["y0"], ["y1"], name="relu"),
    helper.make_node("QuantizeLinear", ["y1", "os", "oz"], ["y1q"], name="quantize_relu"),
    helper.make_node("DequantizeLinear", ["y1q", "os", "oz"], ["y1d"], name="dequantize_relu"),
    helper.make_node("GlobalAveragePool", ["y1d"], ["g"], name="gap"),
    helper.make_node("QuantizeLinear", ["g", "os", "oz"], ["gq"], name="quantize_gap"),
    helper.make_node("DequantizeLinear", ["gq", "os", "oz"], ["gd"], name="dequantize_gap"),
    helper.make_node("Flatten", ["gd"], ["y"], name="flatten", axis=1),
]
graph = helper.make_graph(
    nodes, "convinteger", [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 2, 5, 5])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3])], init)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
x = rng.uniform(0, 1, (16, 2, 5, 5)).astype(np.float32)
xq = quantize(x, xs, -128, -128, 127) + 128
pad = np.pad(xq, ((0, 0), (0, 0), (1, 1), (1, 1)))
acc = np.zeros((16, 3, 5, 5))
for oy in range(5):
    for ox in range(5):
        acc[:, :, oy, ox] = np.einsum("nckl,ockl->no", pad[:, :, oy:oy + 3, ox:ox + 3], w4)
y1 = np.maximum(acc.astype(np.float32) * scale4, 0)
y1d = (quantize(y1, os4, oz4, -128, 127) - oz4) * os4
g = y1d.astype(np.float32).mean(axis=(2, 3), dtype=np.float32)
save("convinteger", model, x, (quantize(g, os4, oz4, -128, 127) - oz4) * os4)
