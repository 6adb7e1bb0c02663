// SPDX-License-Identifier: GPL-3.0-or-later
// Evaluation of constant ONNX nodes at import (onnx_fold.h). Index-moving operators (Gather,
// Slice, Transpose, Expand, Concat, ...) are written once as a list of source positions applied to
// whichever storage the tensor has; arithmetic follows numpy broadcasting in float32 or int64.
#include "onnx_fold.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace quant::detail {

namespace {

constexpr std::int64_t kMaxFolded = std::int64_t{1} << 24;
using Fail = std::function<void(const std::string&)>;

std::int64_t product(const std::vector<std::int64_t>& d, const Fail& fail) {
  std::int64_t p = 1;
  for (const std::int64_t x : d) {
    if (x < 0 || (x > 0 && p > kMaxFolded / x)) fail("folded constant is too large");
    p *= x;
  }
  if (p > kMaxFolded) fail("folded constant is too large");
  return p;
}

std::vector<std::int64_t> stridesOf(const std::vector<std::int64_t>& d) {
  std::vector<std::int64_t> s(d.size(), 1);
  for (std::size_t k = d.size(); k-- > 1;) s[k - 1] = s[k] * d[k];
  return s;
}

// The tensor made of src's elements at positions idx, with shape dims.
ConstTensor pick(const ConstTensor& src, std::vector<std::int64_t> dims,
                 const std::vector<std::int64_t>& idx) {
  ConstTensor out;
  out.kind = src.kind;
  out.dims = std::move(dims);
  if (src.kind == ConstTensor::Kind::Float) {
    out.f.reserve(idx.size());
    for (const std::int64_t k : idx) out.f.push_back(src.f[std::size_t(k)]);
  } else {
    out.i.reserve(idx.size());
    for (const std::int64_t k : idx) out.i.push_back(src.i[std::size_t(k)]);
  }
  return out;
}

// Source positions of every element of `out` broadcast from a tensor of shape `in` (numpy rules).
std::vector<std::int64_t> broadcastIndex(const std::vector<std::int64_t>& in,
                                         const std::vector<std::int64_t>& out, const Fail& fail) {
  const std::int64_t n = product(out, fail);
  const std::size_t off = out.size() - in.size();
  const std::vector<std::int64_t> is = stridesOf(in), os = stridesOf(out);
  std::vector<std::int64_t> idx(std::size_t(n), 0);
  for (std::int64_t e = 0; e < n; ++e) {
    std::int64_t src = 0;
    for (std::size_t k = 0; k < in.size(); ++k) {
      const std::int64_t c = (e / os[k + off]) % out[k + off];
      if (in[k] != 1) src += c * is[k];
    }
    idx[std::size_t(e)] = src;
  }
  return idx;
}

std::vector<std::int64_t> broadcastShape(const std::vector<const ConstTensor*>& ts,
                                         const Fail& fail) {
  std::size_t rank = 0;
  for (const ConstTensor* t : ts) rank = std::max(rank, t->dims.size());
  std::vector<std::int64_t> out(rank, 1);
  for (const ConstTensor* t : ts) {
    const std::size_t off = rank - t->dims.size();
    for (std::size_t k = 0; k < t->dims.size(); ++k) {
      const std::int64_t d = t->dims[k];
      if (d == out[k + off] || d == 1) continue;
      if (out[k + off] != 1) fail("constant shapes do not broadcast");
      out[k + off] = d;
    }
  }
  return out;
}

std::int64_t axisOf(std::int64_t a, std::size_t rank, const Fail& fail) {
  const auto r = static_cast<std::int64_t>(rank);
  if (a < -r || a >= r) fail("axis " + std::to_string(a) + " is out of range");
  return a < 0 ? a + r : a;
}

const onnx::AttributeProto* attribute(const onnx::NodeProto& n, const char* name) {
  for (const auto& a : n.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

std::vector<std::int64_t> intsOf(const onnx::NodeProto& n, const ConstTensor* in,
                                 const char* attr) {
  if (in) return in->i;
  const onnx::AttributeProto* a = attribute(n, attr);
  return a ? std::vector<std::int64_t>(a->ints().begin(), a->ints().end())
           : std::vector<std::int64_t>{};
}

void requireInts(const ConstTensor* t, const char* what, const Fail& fail) {
  if (!t || t->kind != ConstTensor::Kind::Int) fail(std::string(what) + " must be an int tensor");
}

// Values that are the batch-size placeholder cannot enter arithmetic.
void requireKnown(const ConstTensor& t, const Fail& fail) {
  if (std::find(t.i.begin(), t.i.end(), kBatchDim) != t.i.end()) {
    fail("computes with the batch size, which is not known at load");
  }
}

ConstTensor arithmetic(const std::string& op, const ConstTensor& a, const ConstTensor& b,
                       const Fail& fail) {
  if (a.kind != b.kind || a.kind == ConstTensor::Kind::Bool) {
    fail("inputs of different or boolean types");
  }
  requireKnown(a, fail);
  requireKnown(b, fail);
  const std::vector<std::int64_t> dims = broadcastShape({&a, &b}, fail);
  const std::vector<std::int64_t> ia = broadcastIndex(a.dims, dims, fail);
  const std::vector<std::int64_t> ib = broadcastIndex(b.dims, dims, fail);
  ConstTensor out;
  out.kind = a.kind;
  out.dims = dims;
  const bool eq = op == "Equal";
  if (eq) out.kind = ConstTensor::Kind::Bool;
  for (std::size_t e = 0; e < ia.size(); ++e) {
    if (a.kind == ConstTensor::Kind::Float) {
      const float x = a.f[std::size_t(ia[e])], y = b.f[std::size_t(ib[e])];
      if (eq) {
        out.i.push_back(x == y);
        continue;
      }
      out.f.push_back(op == "Add" ? x + y : op == "Sub" ? x - y : op == "Mul" ? x * y : x / y);
    } else {
      const std::int64_t x = a.i[std::size_t(ia[e])], y = b.i[std::size_t(ib[e])];
      if (eq) {
        out.i.push_back(x == y);
        continue;
      }
      if (op == "Div" && y == 0) fail("integer division by zero");
      // Wrapping arithmetic: shape values are small, and a hostile file must not trap.
      const auto ux = static_cast<std::uint64_t>(x), uy = static_cast<std::uint64_t>(y);
      std::int64_t r = 0;
      if (op == "Add") r = static_cast<std::int64_t>(ux + uy);
      if (op == "Sub") r = static_cast<std::int64_t>(ux - uy);
      if (op == "Mul") r = static_cast<std::int64_t>(ux * uy);
      if (op == "Div") {
        if (x == INT64_MIN && y == -1) fail("integer division overflows");
        r = x / y;
        if ((x % y != 0) && ((x < 0) != (y < 0))) --r;  // ONNX integer Div floors like numpy
      }
      out.i.push_back(r);
    }
  }
  return out;
}

ConstTensor cast(const ConstTensor& x, std::int64_t to, const Fail& fail) {
  ConstTensor out;
  out.dims = x.dims;
  if (to == 1 || to == 11) {  // float, double (kept as float32)
    out.kind = ConstTensor::Kind::Float;
    if (x.kind == ConstTensor::Kind::Float) return out.f = x.f, out;
    requireKnown(x, fail);
    for (const std::int64_t v : x.i) out.f.push_back(static_cast<float>(v));
    return out;
  }
  if (to == 6 || to == 7 || to == 9) {  // int32, int64, bool
    out.kind = to == 9 ? ConstTensor::Kind::Bool : ConstTensor::Kind::Int;
    if (x.kind == ConstTensor::Kind::Float) {
      for (const float v : x.f) {
        if (!std::isfinite(v) || std::fabs(v) > 9e18f) fail("cast of a value out of range");
        out.i.push_back(to == 9 ? v != 0.0f : static_cast<std::int64_t>(v));
      }
    } else {
      for (const std::int64_t v : x.i) out.i.push_back(to == 9 && v != kBatchDim ? v != 0 : v);
    }
    return out;
  }
  fail("cast to ONNX type " + std::to_string(to) + " is not supported");
  return out;
}

ConstTensor slice(const onnx::NodeProto& n, const std::vector<const ConstTensor*>& in,
                  const Fail& fail) {
  const ConstTensor& x = *in[0];
  for (std::size_t k = 1; k < in.size(); ++k) {
    if (in[k]) requireInts(in[k], "starts, ends, axes and steps", fail);
  }
  std::vector<std::int64_t> starts = intsOf(n, in.size() > 1 ? in[1] : nullptr, "starts");
  std::vector<std::int64_t> ends = intsOf(n, in.size() > 2 ? in[2] : nullptr, "ends");
  std::vector<std::int64_t> axes = intsOf(n, in.size() > 3 ? in[3] : nullptr, "axes");
  std::vector<std::int64_t> steps = in.size() > 4 && in[4] ? in[4]->i : std::vector<std::int64_t>{};
  if (axes.empty())
    for (std::size_t k = 0; k < starts.size(); ++k) axes.push_back(std::int64_t(k));
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size()) {
    fail("starts, ends, axes and steps differ in length");
  }
  const std::size_t rank = x.dims.size();
  std::vector<std::int64_t> first(rank, 0), step(rank, 1), count(x.dims);
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const std::int64_t a = axisOf(axes[k], rank, fail), d = x.dims[std::size_t(a)];
    const std::int64_t s = steps[k];
    if (s == 0 || s == INT64_MIN) fail("slice step 0");
    auto clampIndex = [&](std::int64_t v, std::int64_t lo, std::int64_t hi) {
      if (v < 0) v = v < -d ? -1 : v + d;  // -INT64_MAX and below mean "before the start"
      return std::clamp(v, lo, hi);
    };
    const std::int64_t b = s > 0 ? clampIndex(starts[k], 0, d) : clampIndex(starts[k], -1, d - 1);
    const std::int64_t e = s > 0 ? clampIndex(ends[k], 0, d) : clampIndex(ends[k], -1, d - 1);
    const std::int64_t len = s > 0 ? std::max<std::int64_t>(0, (e - b + s - 1) / s)
                                   : std::max<std::int64_t>(0, (b - e - s - 1) / -s);
    first[std::size_t(a)] = b;
    step[std::size_t(a)] = s;
    count[std::size_t(a)] = len;
  }
  const std::int64_t total = product(count, fail);
  const std::vector<std::int64_t> xs = stridesOf(x.dims), os = stridesOf(count);
  std::vector<std::int64_t> idx;
  for (std::int64_t e = 0; e < total; ++e) {
    std::int64_t src = 0;
    for (std::size_t k = 0; k < rank; ++k) {
      src += (first[k] + ((e / os[k]) % count[k]) * step[k]) * xs[k];
    }
    idx.push_back(src);
  }
  return pick(x, count, idx);
}

ConstTensor gather(const ConstTensor& x, const ConstTensor& indices, std::int64_t axisAttr,
                   const Fail& fail) {
  requireInts(&indices, "indices", fail);
  requireKnown(indices, fail);
  if (x.dims.empty()) fail("cannot gather from a scalar");
  const std::int64_t axis = axisOf(axisAttr, x.dims.size(), fail);
  const std::int64_t d = x.dims[std::size_t(axis)];
  std::vector<std::int64_t> dims(x.dims.begin(), x.dims.begin() + axis);
  dims.insert(dims.end(), indices.dims.begin(), indices.dims.end());
  dims.insert(dims.end(), x.dims.begin() + axis + 1, x.dims.end());
  std::int64_t outer = 1, inner = 1;
  for (std::int64_t k = 0; k < axis; ++k) outer *= x.dims[std::size_t(k)];
  for (std::size_t k = std::size_t(axis) + 1; k < x.dims.size(); ++k) inner *= x.dims[k];
  product(dims, fail);
  std::vector<std::int64_t> idx;
  for (std::int64_t o = 0; o < outer; ++o) {
    for (std::int64_t j : indices.i) {
      if (j < -d || j >= d) fail("gather index " + std::to_string(j) + " is out of range");
      if (j < 0) j += d;
      for (std::int64_t r = 0; r < inner; ++r) idx.push_back((o * d + j) * inner + r);
    }
  }
  return pick(x, dims, idx);
}

std::vector<std::int64_t> identityIndex(std::int64_t n) {
  std::vector<std::int64_t> idx(static_cast<std::size_t>(n));
  for (std::int64_t k = 0; k < n; ++k) idx[std::size_t(k)] = k;
  return idx;
}

ConstTensor reshape(const ConstTensor& x, const ConstTensor& shape, bool allowZero,
                    const Fail& fail) {
  requireInts(&shape, "shape", fail);
  requireKnown(shape, fail);
  std::vector<std::int64_t> dims = shape.i;
  std::int64_t known = 1, infer = -1;
  for (std::size_t k = 0; k < dims.size(); ++k) {
    if (dims[k] == 0 && !allowZero) {
      if (k >= x.dims.size()) fail("reshape copies a dimension the input does not have");
      dims[k] = x.dims[k];
    }
    if (dims[k] == -1) {
      if (infer >= 0) fail("reshape has two -1 dimensions");
      infer = std::int64_t(k);
      continue;
    }
    if (dims[k] < 0) fail("reshape to a negative dimension");
    known = dims[k] == 0 ? 0 : known * dims[k];
    if (known > kMaxFolded) fail("folded constant is too large");
  }
  const std::int64_t n = x.numel();
  if (infer >= 0) {
    if (known == 0 || n % known != 0) fail("reshape cannot infer the -1 dimension");
    dims[std::size_t(infer)] = n / known;
  }
  if (product(dims, fail) != n) fail("reshape changes the element count");
  return pick(x, dims, identityIndex(n));
}

ConstTensor transpose(const onnx::NodeProto& n, const ConstTensor& x, const Fail& fail) {
  const std::size_t rank = x.dims.size();
  std::vector<std::int64_t> perm = intsOf(n, nullptr, "perm");
  if (perm.empty())
    for (std::size_t k = rank; k-- > 0;) perm.push_back(std::int64_t(k));
  std::vector<std::int64_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  if (sorted != identityIndex(std::int64_t(rank))) fail("perm is not a permutation of the axes");
  std::vector<std::int64_t> dims(rank);
  for (std::size_t k = 0; k < rank; ++k) dims[k] = x.dims[std::size_t(perm[k])];
  const std::vector<std::int64_t> xs = stridesOf(x.dims), os = stridesOf(dims);
  std::vector<std::int64_t> idx;
  for (std::int64_t e = 0; e < x.numel(); ++e) {
    std::int64_t src = 0;
    for (std::size_t k = 0; k < rank; ++k)
      src += ((e / os[k]) % dims[k]) * xs[std::size_t(perm[k])];
    idx.push_back(src);
  }
  return pick(x, dims, idx);
}

ConstTensor concat(const std::vector<const ConstTensor*>& in, std::int64_t axisAttr,
                   const Fail& fail) {
  const ConstTensor& a = *in[0];
  if (a.dims.empty()) fail("cannot concatenate scalars");
  const std::int64_t axis = axisOf(axisAttr, a.dims.size(), fail);
  std::vector<std::int64_t> dims = a.dims;
  dims[std::size_t(axis)] = 0;
  for (const ConstTensor* t : in) {
    if (!t || t->kind != a.kind || t->dims.size() != a.dims.size()) {
      fail("concatenated constants differ in type or rank");
    }
    for (std::size_t k = 0; k < dims.size(); ++k) {
      if (std::int64_t(k) != axis && t->dims[k] != a.dims[k]) fail("concatenated shapes differ");
    }
    dims[std::size_t(axis)] += t->dims[std::size_t(axis)];
  }
  product(dims, fail);
  ConstTensor out;
  out.kind = a.kind;
  out.dims = dims;
  std::int64_t outer = 1;
  for (std::int64_t k = 0; k < axis; ++k) outer *= a.dims[std::size_t(k)];
  for (std::int64_t o = 0; o < outer; ++o) {
    for (const ConstTensor* t : in) {
      const std::int64_t block = outer ? t->numel() / outer : 0;
      if (a.kind == ConstTensor::Kind::Float) {
        out.f.insert(out.f.end(), t->f.begin() + o * block, t->f.begin() + (o + 1) * block);
      } else {
        out.i.insert(out.i.end(), t->i.begin() + o * block, t->i.begin() + (o + 1) * block);
      }
    }
  }
  return out;
}

ConstTensor unsqueeze(const ConstTensor& x, std::vector<std::int64_t> axes, bool squeeze,
                      const Fail& fail) {
  std::vector<std::int64_t> dims = x.dims;
  if (squeeze) {
    if (axes.empty()) {
      dims.erase(std::remove(dims.begin(), dims.end(), 1), dims.end());
    } else {
      for (std::int64_t& a : axes) a = axisOf(a, x.dims.size(), fail);
      std::sort(axes.rbegin(), axes.rend());
      axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
      for (const std::int64_t a : axes) {
        if (dims[std::size_t(a)] != 1) fail("squeezes a dimension that is not 1");
        dims.erase(dims.begin() + a);
      }
    }
  } else {
    const std::size_t rank = x.dims.size() + axes.size();
    for (std::int64_t& a : axes) a = axisOf(a, rank, fail);
    std::sort(axes.begin(), axes.end());
    if (std::adjacent_find(axes.begin(), axes.end()) != axes.end()) fail("repeated axis");
    for (const std::int64_t a : axes) dims.insert(dims.begin() + a, 1);
  }
  return pick(x, dims, identityIndex(x.numel()));
}

ConstTensor scalarFrom(const ConstTensor& t, const Fail& fail) {
  if (t.numel() != 1) fail("start, limit and delta must be scalars");
  return t;
}

ConstTensor range(const std::vector<const ConstTensor*>& in, const Fail& fail) {
  const ConstTensor s = scalarFrom(*in[0], fail), l = scalarFrom(*in[1], fail),
                    d = scalarFrom(*in[2], fail);
  if (s.kind != l.kind || s.kind != d.kind || s.kind == ConstTensor::Kind::Bool) {
    fail("start, limit and delta differ in type");
  }
  ConstTensor out;
  out.kind = s.kind;
  if (s.kind == ConstTensor::Kind::Float) {
    const double a = s.f[0], b = l.f[0], step = d.f[0];
    if (!(step != 0) || !std::isfinite(a) || !std::isfinite(b)) fail("invalid range");
    const double count = std::max(0.0, std::ceil((b - a) / step));
    if (count > double(kMaxFolded)) fail("folded constant is too large");
    for (std::int64_t k = 0; k < std::int64_t(count); ++k)
      out.f.push_back(static_cast<float>(a + double(k) * step));
    out.dims = {std::int64_t(out.f.size())};
  } else {
    requireKnown(s, fail);
    requireKnown(l, fail);
    requireKnown(d, fail);
    const std::int64_t a = s.i[0], b = l.i[0], step = d.i[0];
    if (step == 0) fail("range with delta 0");
    const long double count = std::max<long double>(
        0.0L, std::ceil((static_cast<long double>(b) - a) / static_cast<long double>(step)));
    if (count > kMaxFolded) fail("folded constant is too large");
    for (std::int64_t k = 0; k < std::int64_t(count); ++k) out.i.push_back(a + k * step);
    out.dims = {std::int64_t(out.i.size())};
  }
  return out;
}

ConstTensor where(const std::vector<const ConstTensor*>& in, const Fail& fail) {
  const ConstTensor &c = *in[0], &x = *in[1], &y = *in[2];
  if (c.kind != ConstTensor::Kind::Bool || x.kind != y.kind) fail("condition must be boolean");
  const std::vector<std::int64_t> dims = broadcastShape({&c, &x, &y}, fail);
  const std::vector<std::int64_t> ic = broadcastIndex(c.dims, dims, fail),
                                  ix = broadcastIndex(x.dims, dims, fail),
                                  iy = broadcastIndex(y.dims, dims, fail);
  ConstTensor out;
  out.kind = x.kind;
  out.dims = dims;
  for (std::size_t e = 0; e < ic.size(); ++e) {
    const bool take = c.i[std::size_t(ic[e])] != 0;
    if (x.kind == ConstTensor::Kind::Float) {
      out.f.push_back(take ? x.f[std::size_t(ix[e])] : y.f[std::size_t(iy[e])]);
    } else {
      out.i.push_back(take ? x.i[std::size_t(ix[e])] : y.i[std::size_t(iy[e])]);
    }
  }
  return out;
}

ConstTensor constantOfShape(const onnx::NodeProto& n, const ConstTensor& shape, const Fail& fail) {
  requireInts(&shape, "shape", fail);
  requireKnown(shape, fail);
  ConstTensor out;
  out.dims = shape.i;
  const std::int64_t count = product(out.dims, fail);
  const onnx::AttributeProto* a = attribute(n, "value");
  if (!a) return out.f.assign(std::size_t(count), 0.0f), out;
  const onnx::TensorProto& t = a->t();
  const bool raw = t.has_raw_data();
  if (t.data_type() == 1) {
    float v = 0.0f;
    if (raw && t.raw_data().size() == 4)
      std::memcpy(&v, t.raw_data().data(), 4);
    else if (!raw && t.float_data_size() == 1)
      v = t.float_data(0);
    else
      fail("value must hold one float");
    out.f.assign(std::size_t(count), v);
  } else if (t.data_type() == 7 || t.data_type() == 6 || t.data_type() == 9) {
    std::int64_t v = 0;
    const std::size_t bytes = t.data_type() == 7 ? 8 : t.data_type() == 6 ? 4 : 1;
    if (raw && t.raw_data().size() == bytes) {
      std::uint64_t u = 0;
      for (std::size_t b = bytes; b-- > 0;) u = (u << 8) | std::uint8_t(t.raw_data()[b]);
      v = bytes == 8 ? std::int64_t(u) : bytes == 4 ? std::int32_t(std::uint32_t(u)) : u != 0;
    } else if (!raw && t.int64_data_size() == 1) {
      v = t.int64_data(0);
    } else if (!raw && t.int32_data_size() == 1) {
      v = t.int32_data(0);
    } else {
      fail("value must hold one integer");
    }
    out.kind = t.data_type() == 9 ? ConstTensor::Kind::Bool : ConstTensor::Kind::Int;
    out.i.assign(std::size_t(count), v);
  } else {
    fail("value of ONNX type " + std::to_string(t.data_type()) + " is not supported");
  }
  return out;
}

std::int64_t intAttribute(const onnx::NodeProto& n, const char* name, std::int64_t def) {
  const onnx::AttributeProto* a = attribute(n, name);
  return a ? a->i() : def;
}

}  // namespace

std::int64_t ConstTensor::numel() const {
  return kind == Kind::Float ? std::int64_t(f.size()) : std::int64_t(i.size());
}

bool isFoldableOp(const std::string& op) {
  static const char* const kOps[] = {
      "Identity", "Cast",  "Shape", "Gather", "Unsqueeze", "Squeeze",         "Concat",
      "Slice",    "Range", "Equal", "Where",  "Expand",    "Reshape",         "Transpose",
      "Add",      "Sub",   "Mul",   "Div",    "Neg",       "ConstantOfShape", "Flatten"};
  return std::any_of(std::begin(kOps), std::end(kOps), [&](const char* o) { return op == o; });
}

ConstTensor foldConstantNode(const onnx::NodeProto& n, const std::vector<const ConstTensor*>& in,
                             const Fail& fail) {
  const std::string& op = n.op_type();
  auto need = [&](std::size_t k) {
    if (in.size() < k || std::any_of(in.begin(), in.begin() + std::ptrdiff_t(k),
                                     [](const ConstTensor* t) { return !t; })) {
      fail("needs " + std::to_string(k) + " input(s)");
    }
  };
  need(1);
  const ConstTensor& x = *in[0];
  if (op == "Identity") return x;
  if (op == "Cast") return cast(x, intAttribute(n, "to", 0), fail);
  if (op == "Shape") {
    ConstTensor out;
    out.kind = ConstTensor::Kind::Int;
    out.i = x.dims;
    out.dims = {std::int64_t(x.dims.size())};
    return out;
  }
  if (op == "Neg") {
    ConstTensor zero;
    zero.kind = x.kind;
    if (x.kind == ConstTensor::Kind::Float)
      zero.f = {0.0f};
    else
      zero.i = {0};
    return arithmetic("Sub", zero, x, fail);
  }
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Equal") {
    need(2);
    return arithmetic(op, x, *in[1], fail);
  }
  if (op == "Gather") {
    need(2);
    return gather(x, *in[1], intAttribute(n, "axis", 0), fail);
  }
  if (op == "Unsqueeze" || op == "Squeeze") {
    const ConstTensor* axes = in.size() > 1 ? in[1] : nullptr;
    if (axes) requireInts(axes, "axes", fail);
    return unsqueeze(x, intsOf(n, axes, "axes"), op == "Squeeze", fail);
  }
  if (op == "Concat") {
    need(in.size());
    return concat(in, intAttribute(n, "axis", 0), fail);
  }
  if (op == "Slice") return slice(n, in, fail);
  if (op == "Range") {
    need(3);
    return range(in, fail);
  }
  if (op == "Where") {
    need(3);
    return where(in, fail);
  }
  if (op == "Expand") {
    need(2);
    requireInts(in[1], "shape", fail);
    requireKnown(*in[1], fail);
    ConstTensor target;
    target.dims = in[1]->i;
    for (const std::int64_t d : target.dims) {
      if (d < 0) fail("expand to a negative dimension");
    }
    const std::vector<std::int64_t> dims = broadcastShape({&x, &target}, fail);
    return pick(x, dims, broadcastIndex(x.dims, dims, fail));
  }
  if (op == "Reshape") {
    need(2);
    return reshape(x, *in[1], intAttribute(n, "allowzero", 0) == 1, fail);
  }
  if (op == "Flatten") {
    const std::int64_t axis = axisOf(intAttribute(n, "axis", 1), x.dims.size() + 1, fail);
    std::int64_t a = 1, b = 1;
    for (std::size_t k = 0; k < x.dims.size(); ++k) (std::int64_t(k) < axis ? a : b) *= x.dims[k];
    return pick(x, {a, b}, identityIndex(x.numel()));
  }
  if (op == "Transpose") return transpose(n, x, fail);
  if (op == "ConstantOfShape") return constantOfShape(n, x, fail);
  fail("operator '" + op + "' cannot be folded");
  return x;
}

}  // namespace quant::detail
