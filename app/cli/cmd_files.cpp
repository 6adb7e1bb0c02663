// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli list / generate: tensor files.
#include <cstdio>

#include "common.h"
#include "quant/io/tensorio.h"
#include "quant/numeric/generate.h"

namespace cli {

const char* const kListHelp =
    "usage: quantlab-cli list FILE [--json]\n"
    "\n"
    "Lists the tensors of a .npy, .npz, .safetensors, CSV/TSV, IDX (MNIST-style, also .gz) or\n"
    "ONNX file (its initializers)\n"
    "with name, dtype, shape and size, reading only the headers. Select one tensor elsewhere\n"
    "with FILE:NAME, e.g. quantlab-cli quantize model.onnx:fc1.weight\n"
    "Python pickles (.pt, .pth, .pkl, .ckpt) are refused: loading them runs code.\n";

int runList(const std::vector<std::string>& argv) {
  Args a(argv, {}, {"json"});
  if (a.positional().size() != 1) throw UsageError("expected one FILE");
  const std::string& path = a.positional()[0];
  const auto infos = quant::listTensors(path);
  if (a.flag("json")) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& t : infos)
      arr.push_back(
          {{"name", t.name}, {"dtype", t.dtype}, {"shape", t.shape}, {"bytes", t.byteSize}});
    printJson({{"file", path}, {"tensors", arr}});
    return 0;
  }
  std::printf("%s: %zu tensor%s\n", path.c_str(), infos.size(), infos.size() == 1 ? "" : "s");
  std::printf("  %-40s %-10s %-22s %s\n", "name", "dtype", "shape", "bytes");
  for (const auto& t : infos) {
    quant::Tensor shapeOnly;
    shapeOnly.shape = t.shape;
    std::printf("  %-40s %-10s %-22s %llu\n", t.name.empty() ? "(single tensor)" : t.name.c_str(),
                t.dtype.c_str(), shapeOnly.shapeString().c_str(),
                static_cast<unsigned long long>(t.byteSize));
  }
  return 0;
}

}  // namespace cli

namespace cli {

const char* const kGenerateHelp =
    "usage: quantlab-cli generate --dist D [--n N | --shape A,B,...] [options] -o FILE.npy\n"
    "\n"
    "Writes a reproducible synthetic tensor (the same seed gives the same numbers everywhere).\n"
    "\n"
    "distributions (--dist):\n"
    "  normal      N(mean, std^2)                       --mean M --std S\n"
    "  uniform     U[low, high)                         --low L --high H\n"
    "  laplace     Laplace(loc, scale), heavier tails   --loc L --scale B\n"
    "  halfnormal  mean + |N(0, std^2)|                 --mean M --std S\n"
    "  relu        max(0, N(mean, std^2)): half zeros   --mean M --std S\n"
    "  bimodal     two normals at mean -/+ separation   --mean M --std S --separation D\n"
    "\n"
    "options:\n"
    "  --n N                 number of values (default 4096), or\n"
    "  --shape A,B,...       a shape, e.g. 64,3,3,3 for conv weights\n"
    "  --outliers COUNT:MAG  overwrite COUNT random positions with +-MAG\n"
    "  --seed S              random seed (default 0)\n"
    "  -o, --output FILE     output .npy file (required)\n"
    "  --json                print a summary as JSON\n"
    "\n"
    "example:\n"
    "  quantlab-cli generate --dist laplace --n 100000 --outliers 10:40 --seed 1 -o w.npy\n";

int runGenerate(const std::vector<std::string>& argv) {
  Args a(argv,
         {"dist", "n", "shape", "outliers", "seed", "o", "output", "mean", "std", "low", "high",
          "loc", "scale", "separation"},
         {"json"});
  if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
  const std::string out = a.get("output", a.get("o", ""));
  if (out.empty()) throw UsageError("missing -o FILE.npy");
  if (!a.has("dist")) throw UsageError("missing --dist (normal, uniform, laplace, ...)");

  quant::GeneratorSpec g;
  g.distribution = quant::parseDistribution(*a.get("dist"));
  if (a.has("n") && a.has("shape")) throw UsageError("give --n or --shape, not both");
  if (auto shape = a.get("shape")) {
    g.shape.clear();
    for (float d : parseFloatList(*shape, "--shape")) {
      if (d != static_cast<float>(static_cast<long long>(d)))
        throw UsageError("--shape: dimensions must be integers");
      g.shape.push_back(static_cast<std::int64_t>(d));
    }
  } else {
    g.shape = {a.getInt64("n", 4096)};
  }
  g.seed = static_cast<std::uint64_t>(a.getInt64("seed", 0));
  g.mean = a.getDouble("mean", g.mean);
  g.stddev = a.getDouble("std", g.stddev);
  g.low = a.getDouble("low", g.low);
  g.high = a.getDouble("high", g.high);
  g.loc = a.getDouble("loc", g.loc);
  g.scale = a.getDouble("scale", g.scale);
  g.separation = a.getDouble("separation", g.separation);
  if (auto o = a.get("outliers")) {
    const auto colon = o->find(':');
    if (colon == std::string::npos) throw UsageError("--outliers: expected COUNT:MAGNITUDE");
    g.outlierCount = parseInt(o->substr(0, colon), "--outliers COUNT");
    g.outlierMagnitude = parseDouble(o->substr(colon + 1), "--outliers MAGNITUDE");
  }
  g.name = quant::distributionName(g.distribution);

  quant::Tensor t = quant::generate(g);
  quant::saveNpy(out, t);
  const TensorStats st = tensorStats(t.data);
  if (a.flag("json")) {
    printJson({{"file", out}, {"tensor", tensorJson(t)}, {"stats", statsJson(st)}});
  } else {
    std::printf("wrote %s: %s %s, seed %llu\n", out.c_str(), g.name.c_str(),
                t.shapeString().c_str(), static_cast<unsigned long long>(g.seed));
    printStats(st);
  }
  return 0;
}

}  // namespace cli
