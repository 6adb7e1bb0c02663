#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the ONNX import fixtures of tst_onnx_ops: for every model, <name>.onnx exported by
# torch.onnx.export (opset 13, dynamic batch), <name>.in.npy (a batch of two seeded random inputs)
# and <name>.out.npy (PyTorch's float32 output for it). Run at development time with Debian's
# python3-torch and python3-onnx (/usr/bin/python3 generate.py); the test suite reads only the
# files it writes. Malformed variants are written as bad_<what>.onnx.
import os

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)
        self.c2 = nn.Conv2d(6, 16, 5)
        self.f1 = nn.Linear(16 * 5 * 5, 120)
        self.f2 = nn.Linear(120, 84)
        self.f3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.avg_pool2d(torch.tanh(self.c1(x)), 2)
        x = F.avg_pool2d(torch.tanh(self.c2(x)), 2)
        x = x.view(x.size(0), -1)
        return self.f3(torch.tanh(self.f2(torch.tanh(self.f1(x)))))


class SigmoidMLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.f1 = nn.Linear(784, 64)
        self.f2 = nn.Linear(64, 32)
        self.f3 = nn.Linear(32, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        return self.f3(torch.sigmoid(self.f2(torch.sigmoid(self.f1(x)))))


class PadBnLeaky(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 8, 3)
        self.b1 = nn.BatchNorm2d(8)
        self.c2 = nn.Conv2d(8, 16, 3, stride=2)
        self.b2 = nn.BatchNorm2d(16)
        self.fc = nn.Linear(16 * 14 * 14, 10)

    def forward(self, x):
        x = F.leaky_relu(self.b1(self.c1(F.pad(x, (1, 1, 1, 1)))), 0.1)
        x = F.leaky_relu(self.b2(self.c2(F.pad(x, (0, 1, 0, 1)))), 0.1)
        return self.fc(x.view(x.size(0), -1))


class MobileBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, stride=2, padding=1)
        self.bn0 = nn.BatchNorm2d(16)
        self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.bn1 = nn.BatchNorm2d(16)
        self.pw = nn.Conv2d(16, 32, 1)
        self.bn2 = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu6(self.bn0(self.stem(x)))
        x = F.hardswish(self.bn1(self.dw(x)))
        x = F.relu6(self.bn2(self.pw(x)))
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


class ResidualCifar(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.bn = nn.BatchNorm2d(16)
        self.a = nn.Conv2d(16, 16, 3, padding=1)
        self.bna = nn.BatchNorm2d(16)
        self.b = nn.Conv2d(16, 16, 3, padding=1)
        self.bnb = nn.BatchNorm2d(16)
        self.down = nn.Conv2d(16, 32, 3, stride=2, padding=1)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = F.relu(self.bn(self.stem(x)))
        y = F.relu(self.bna(self.a(x)))
        x = F.relu(x + self.bnb(self.b(y)))
        x = F.max_pool2d(F.relu(self.down(x)), 2)
        return self.fc(x.mean([2, 3]))


class TwoBranch(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(1, 8, 3, padding=1)
        self.b = nn.Conv2d(1, 4, 5, padding=2)
        self.c = nn.Conv2d(12, 16, 3, stride=2)
        self.fc = nn.Linear(16 * 6 * 6, 10)

    def forward(self, x):
        x = F.max_pool2d(x, 2)
        x = torch.cat([F.relu(self.a(x)), torch.tanh(self.b(x))], dim=1)
        x = F.relu(self.c(x))
        return F.log_softmax(self.fc(x.view(x.size(0), -1)), dim=1)


class Fn(nn.Module):
    """A one-operator model: f applied to the output of a small convolution (or linear)."""

    def __init__(self, f, image=True, ch=4):
        super().__init__()
        self.f = f
        self.pre = nn.Conv2d(ch, ch, 3, padding=1) if image else nn.Linear(ch, ch)

    def forward(self, x):
        return self.f(self.pre(x))


class PReLUModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.pre = nn.Conv2d(4, 4, 3, padding=1)
        self.p = nn.PReLU(4)

    def forward(self, x):
        return self.p(self.pre(x))


def arith(x):
    c = torch.arange(4, dtype=torch.float32).view(1, 4, 1, 1) + 0.5
    return (x * c + 1.5 - c) / 3.0 * 2.0 - 0.25


WHOLE = [
    ("lenet5_tanh", LeNet5(), (1, 28, 28)),
    ("mlp_sigmoid", SigmoidMLP(), (1, 28, 28)),
    ("cnn_pad_bn_leaky", PadBnLeaky(), (1, 28, 28)),
    ("mobilenet_block", MobileBlock(), (3, 32, 32)),
    ("residual_cifar", ResidualCifar(), (3, 32, 32)),
    ("two_branch_cat", TwoBranch(), (1, 28, 28)),
]

OPS = [
    ("op_sigmoid", Fn(torch.sigmoid), (4, 6, 6)),
    ("op_tanh", Fn(torch.tanh), (4, 6, 6)),
    ("op_leakyrelu", Fn(lambda x: F.leaky_relu(x, 0.2)), (4, 6, 6)),
    ("op_elu", Fn(lambda x: F.elu(x, 0.7)), (4, 6, 6)),
    ("op_hardsigmoid", Fn(F.hardsigmoid), (4, 6, 6)),
    ("op_hardswish", Fn(F.hardswish), (4, 6, 6)),
    ("op_prelu", PReLUModel(), (4, 6, 6)),
    ("op_clip", Fn(lambda x: torch.clamp(x, -0.3, 0.4)), (4, 6, 6)),
    ("op_arith_const", Fn(arith), (4, 6, 6)),
    ("op_mul_tensors", Fn(lambda x: x * torch.sigmoid(x) - x.mean([2, 3], keepdim=True)), (4, 6, 6)),
    ("op_pad_value", Fn(lambda x: F.pad(x, (1, 2, 0, 1), value=0.5)), (4, 6, 6)),
    ("op_maxpool_ceil", Fn(lambda x: F.max_pool2d(x, 3, 2, ceil_mode=True)), (4, 8, 8)),
    ("op_avgpool_ceil", Fn(lambda x: F.avg_pool2d(x, 3, 2, padding=1, ceil_mode=True,
                                                   count_include_pad=False)), (4, 8, 8)),
    ("op_avgpool_incl", Fn(lambda x: F.avg_pool2d(x, 3, 2, padding=1)), (4, 7, 7)),
    ("op_globalmax", Fn(lambda x: F.adaptive_max_pool2d(x, 1).flatten(1)), (4, 5, 5)),
    ("op_reducemean", Fn(lambda x: x.mean([2, 3])), (4, 5, 5)),
    ("op_squeeze", Fn(lambda x: F.adaptive_avg_pool2d(x, 1).squeeze(3).squeeze(2)), (4, 5, 5)),
    ("op_softmax", Fn(lambda x: F.softmax(x, dim=1), image=False, ch=6), (6,)),
    ("op_logsoftmax", Fn(lambda x: F.log_softmax(x, dim=-1), image=False, ch=6), (6,)),
    ("op_gemm_scaled", Fn(lambda x: torch.addmm(torch.ones(6), x, torch.ones(6, 6) * 0.1,
                                                 beta=0.5, alpha=2.0), image=False, ch=6), (6,)),
    ("op_dilated_groups", nn.Sequential(nn.Conv2d(4, 8, 3, padding=2, dilation=2, groups=2)),
     (4, 9, 9)),
]


def export(name, model, shape, seed):
    torch.manual_seed(seed)
    for p in model.parameters():
        with torch.no_grad():
            p.copy_(torch.randn_like(p) * (1.0 / max(1, p[0].numel()) ** 0.5))
    for b in model.modules():
        if isinstance(b, nn.BatchNorm2d):
            with torch.no_grad():
                b.running_mean.copy_(torch.randn_like(b.running_mean) * 0.1)
                b.running_var.copy_(torch.rand_like(b.running_var) + 0.5)
    model.eval()
    x = torch.randn(2, *shape)
    with torch.no_grad():
        y = model(x)
    path = os.path.join(HERE, name + ".onnx")
    torch.onnx.export(model, x, path, opset_version=13, input_names=["input"],
                      output_names=["output"],
                      dynamic_axes={"input": {0: "N"}, "output": {0: "N"}})
    onnx.checker.check_model(onnx.load(path), full_check=True)
    np.save(os.path.join(HERE, name + ".in.npy"), x.numpy().astype(np.float32))
    np.save(os.path.join(HERE, name + ".out.npy"), y.numpy().astype(np.float32))


def malformed():
    m = onnx.load(os.path.join(HERE, "lenet5_tanh.onnx"))
    bad = onnx.ModelProto()
    bad.CopyFrom(m)
    bad.graph.node[-1].op_type = "Einsum"
    onnx.save(bad, os.path.join(HERE, "bad_unsupported_op.onnx"))
    bad.CopyFrom(m)
    for n in bad.graph.node:
        if n.op_type == "Reshape":
            n.input[1] = "missing_shape"
    onnx.save(bad, os.path.join(HERE, "bad_missing_input.onnx"))
    m = onnx.load(os.path.join(HERE, "op_pad_value.onnx"))
    bad.CopyFrom(m)
    for n in bad.graph.node:
        if n.op_type == "Pad":
            for a in n.attribute:
                if a.name == "mode":
                    a.s = b"reflect"
    onnx.save(bad, os.path.join(HERE, "bad_pad_reflect.onnx"))
    with open(os.path.join(HERE, "bad_truncated.onnx"), "wb") as f:
        f.write(m.SerializeToString()[:200])


if __name__ == "__main__":
    for seed, (name, model, shape) in enumerate(WHOLE + OPS):
        export(name, model, shape, 1000 + seed)
    malformed()
