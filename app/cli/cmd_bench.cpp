// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli bench: per-layer and end-to-end latency of a model in float32 and in static int8
// (integer-only) on this CPU, with the int8 kernel (ISA) that really ran.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "args.h"
#include "common.h"
#include "quant/io/dataset.h"
#include "quant/kernels/int8gemm.h"
#include "quant/nn/bench.h"
#include "quant/nn/evaluate.h"
#include "quant/nn/int8model.h"
#include "quant/nn/model.h"
#include "quant/numeric/calibrate.h"

namespace cli {

const char* const kBenchHelp =
    "usage: quantlab-cli bench --model mlp|cnn|FILE.onnx [options]\n"
    "\n"
    "Times a model on this CPU in float32 and as a static int8 model (integer-only inference,\n"
    "activations calibrated with min-max on 256 training images): the median over the repeats\n"
    "of every layer and of the whole forward pass, GOPS (2 x MACs x batch / time; a multiply-\n"
    "accumulate counts as two operations, in int8 integer ones), the speed-up of int8, where the\n"
    "int8 time goes (quantize input, integer compute, requantize, dequantize output), the int8\n"
    "GEMM kernel that really ran and the model sizes (counted as eval --help explains).\n"
    "\n"
    "End-to-end times come from plain runs; per-layer times from separate profiled runs, in which\n"
    "int8 Linear/Conv2d layers requantize in a pass of their own instead of fused into the GEMM,\n"
    "so their parts add up to a little more than the plain run. A ReLU fused into the layer "
    "before\n"
    "it in int8 is added to that layer's float32 time. The float32 path (Eigen) does not depend "
    "on\n"
    "--isa. All float32 runs happen before the int8 runs (interleaving them lets one slow the\n"
    "other down through CPU frequency and vector-state after-effects).\n"
    "\n"
    "Input: the first N Fashion-MNIST test images when the model takes [1,28,28] or [784] and the\n"
    "data set is installed (calibration: the first 256 training images); otherwise uniform random\n"
    "values in [0, 1) from --seed (calibration: 256 more of them).\n"
    "\n"
    "options:\n"
    "  --model M              mlp, cnn (the shipped models) or an ONNX file (required)\n"
    "  --batch N              images per forward pass (default 1)\n"
    "  --threads T            split the batch over T threads (default 1)\n"
    "  --isa I                int8 kernel: auto (default; QUANTLAB_ISA or the best this CPU has)\n"
    "                         | avx512vnni | avx2 | reference; a kernel the CPU cannot run is "
    "refused\n"
    "  --repeats R            timed runs, the median is reported (default 20)\n"
    "  --warmup W             untimed runs first (default 3)\n"
    "  --seed S               seed of the random input (default 1)\n"
    "  --data DIR             Fashion-MNIST directory (default /usr/share/datasets/fashion-mnist)\n"
    "  --json                 machine-readable output\n"
    "\n"
    "examples:\n"
    "  quantlab-cli bench --model mlp --batch 64\n"
    "  quantlab-cli bench --model cnn --batch 1 --isa reference --json\n";

namespace {

double minOf(const std::vector<double>& v) {
  return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
}
double maxOf(const std::vector<double>& v) {
  return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
}

quant::Tensor randomBatch(const quant::Model& m, std::int64_t count, std::mt19937_64& rng) {
  quant::Tensor t;
  t.name = m.input;
  t.shape = {count};
  t.shape.insert(t.shape.end(), m.inputShape.begin(), m.inputShape.end());
  t.data.resize(static_cast<std::size_t>(count * quant::checkedNumel(m.inputShape)));
  // 24 random bits -> a float in [0, 1) exactly (std::*_distribution is implementation-defined).
  for (float& v : t.data) v = static_cast<float>(rng() >> 40) * 0x1p-24f;
  return t;
}

// `count` images starting at the first, wrapping around when count exceeds the data set.
quant::Tensor datasetBatch(const quant::Model& m, const quant::Tensor& images, std::int64_t count) {
  const std::int64_t have = images.shape[0];
  quant::Tensor t = quant::sampleBatch(m, images, 0, std::min(count, have));
  for (std::int64_t done = t.shape[0]; done < count;) {
    const std::int64_t c = std::min(count - done, have);
    const quant::Tensor more = quant::sampleBatch(m, images, 0, c);
    t.data.insert(t.data.end(), more.data.begin(), more.data.end());
    done += c;
  }
  t.shape[0] = count;
  return t;
}

quant::gemm::Isa parseIsa(const std::string& s) {
  using quant::gemm::Isa;
  if (s == "auto") return Isa::Auto;
  if (s == "avx512vnni") return Isa::Avx512Vnni;
  if (s == "avx2") return Isa::Avx2;
  if (s == "reference") return Isa::Reference;
  throw UsageError("--isa must be auto, avx512vnni, avx2 or reference (got '" + s + "')");
}

std::string supportedIsas() {
  using quant::gemm::Isa;
  std::string s;
  for (Isa i : {Isa::Avx512Vnni, Isa::Avx2, Isa::Reference})
    if (quant::gemm::isaSupported(i)) s += (s.empty() ? "" : ", ") + std::string(isaName(i));
  return s;
}

double gops(std::int64_t macs, std::int64_t batch, double seconds) {
  return seconds > 0 ? 2.0 * static_cast<double>(macs) * static_cast<double>(batch) / seconds / 1e9
                     : 0.0;
}

// An honest one-line reason when int8 does not pay off for a layer ("" when it does).
std::string noteFor(const quant::BenchLayer& r, std::int64_t batch, bool referenceKernel) {
  const double speedup = r.int8() > 0 ? r.fp32 / r.int8() : 0.0;
  if (r.type == "Flatten" || speedup >= 1.5) return "";
  const std::string head = speedup < 1.0 ? "slower in int8: " : "little gain: ";
  if (r.macs == 0)
    return head + (speedup < 1.0
                       ? "no multiply-accumulates for integer arithmetic to speed up, and the 4x "
                         "smaller int8 data does not make up for it here"
                       : "no multiply-accumulates; only the 4x smaller data helps");
  const std::int64_t outputs = r.k > 0 ? r.macs / r.k : 0;  // output values per image
  if (referenceKernel)
    return head + "the portable reference int8 kernel (plain loops, no SIMD) ran";
  if (r.k > 0 && r.k < 32)
    return head + "K = " + std::to_string(r.k) +
           " is too short a dot product for the int8 kernel to pay off; im2col and "
           "requantization dominate";
  if (outputs * batch < 2048)
    return head + "a small GEMM (" + std::to_string(outputs) + " outputs per image, batch " +
           std::to_string(batch) + "): call overhead and requantization dominate";
  if (r.int8Requantize > r.int8Compute)
    return head +
           "requantization, timed as its own pass in the profiled run, takes longer than the "
           "integer GEMM itself";
  return head + "the float32 GEMM is already efficient at this size";
}

}  // namespace

int runBench(const std::vector<std::string>& argv) {
  Args a(argv, {"model", "batch", "threads", "isa", "repeats", "warmup", "seed", "data"}, {"json"});
  if (!a.positional().empty()) throw UsageError("unexpected argument '" + a.positional()[0] + "'");
  const auto modelArg = a.get("model");
  if (!modelArg || modelArg->empty()) throw UsageError("missing --model mlp|cnn|FILE.onnx");
  const int batch = a.getInt("batch", 1);
  if (batch < 1 || batch > 65536) throw UsageError("--batch must be in 1..65536");
  const int threads = a.getInt("threads", 1);
  if (threads < 1 || threads > 256) throw UsageError("--threads must be in 1..256");
  const int repeats = a.getInt("repeats", 20);
  if (repeats < 1 || repeats > 100000) throw UsageError("--repeats must be in 1..100000");
  const int warmup = a.getInt("warmup", 3);
  if (warmup < 0 || warmup > 100000) throw UsageError("--warmup must be in 0..100000");
  const long long seed = a.getInt64("seed", 1);
  if (seed < 0) throw UsageError("--seed must be >= 0");
  const std::string isaArg = a.get("isa", "auto");
  const quant::gemm::Isa requested = parseIsa(isaArg);
  if (!quant::gemm::isaSupported(requested))
    throw quant::Error("--isa " + isaArg +
                       ": this CPU cannot run that kernel (supported: " + supportedIsas() + ")");
  const bool json = a.flag("json");

  std::string path;
  const quant::Model model = loadModelArg(*modelArg, &path);

  // Inputs and calibration data.
  constexpr std::int64_t kCalibImages = 256;
  quant::Tensor input, calibInputs;
  std::string source;
  bool loaded = false;
  if (isFashionMnistInput(model)) {
    const std::string dir = a.get("data", quant::kFashionMnistDir);
    try {
      const quant::Dataset test = quant::loadFashionMnist(dir, quant::Split::Test);
      const quant::Dataset train = quant::loadFashionMnist(dir, quant::Split::Train);
      input = datasetBatch(model, test.images, batch);
      calibInputs = datasetBatch(model, train.images, kCalibImages);
      loaded = true;
      source = "Fashion-MNIST";
    } catch (const quant::Error& e) {
      if (a.has("data")) throw;  // an explicit directory must hold the data set
      if (!json) std::fprintf(stderr, "note: %s; using random input\n", e.what());
    }
  }
  if (!loaded) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    input = randomBatch(model, batch, rng);
    calibInputs = randomBatch(model, kCalibImages, rng);
    source = "random";
  }

  const quant::Int8Model q = quant::quantizeModel(model, calibInputs, quant::CalibrationConfig{});

  // The kernel: --isa auto leaves QUANTLAB_ISA / the CPU's best in charge; a level without a GEMM
  // kernel of its own (sse2) runs the next one below it.
  const quant::gemm::Isa used = quant::gemm::kernelIsa(requested == quant::gemm::Isa::Auto
                                                           ? quant::gemm::activeIsa()
                                                           : quant::gemm::forceIsa(requested));
  const std::string isaNote = quant::gemm::fallbackNote();

  if (!json)
    std::fprintf(stderr, "benchmarking %s: batch %d, %d thread(s), %d warm-up + %d timed runs\n",
                 modelArg->c_str(), batch, threads, warmup, repeats);
  quant::BenchConfig bc;
  bc.warmup = warmup;
  bc.repeats = repeats;
  bc.threads = threads;
  const quant::BenchReport rep = quant::bench(model, q, input, bc);
  std::vector<std::string> rowNotes;
  for (const quant::BenchLayer& r : rep.layers)
    rowNotes.push_back(noteFor(r, batch, used == quant::gemm::Isa::Reference));
  const double fpE2e = rep.fp32, qE2e = rep.int8;
  const std::int64_t macs = model.macsPerSample();

  std::vector<std::string> notes;
  for (std::size_t i = 0; i < rep.layers.size(); ++i)
    if (!rowNotes[i].empty()) notes.push_back(rep.layers[i].name + ": " + rowNotes[i]);
  const double parts = rep.quantizeInput + rep.compute + rep.requantize + rep.dequantizeOutput;
  if (parts > 0 && rep.quantizeInput > 0.25 * parts)
    notes.push_back(
        "quantizing the float input takes " +
        std::to_string(static_cast<int>(std::lround(100.0 * rep.quantizeInput / parts))) +
        "% of the profiled int8 time: a per-value float -> int8 pass over the input "
        "that the integer layers cannot hide");
  if (threads > 1 && batch < threads)
    notes.push_back("the batch (" + std::to_string(batch) + ") is smaller than --threads (" +
                    std::to_string(threads) + "): the extra threads idle");
  if (json) {
    nlohmann::json j;
    j["model"] = *modelArg;
    j["path"] = path;
    j["batch"] = batch;
    j["threads"] = threads;
    j["repeats"] = repeats;
    j["warmup"] = warmup;
    j["input"] = source;
    j["isa"] = quant::gemm::isaName(used);
    j["isa_requested"] = isaArg;
    j["isa_note"] = isaNote;
    j["macs_per_image"] = macs;
    nlohmann::json lr = nlohmann::json::array();
    for (std::size_t i = 0; i < rep.layers.size(); ++i) {
      const quant::BenchLayer& r = rep.layers[i];
      lr.push_back({{"name", r.name},
                    {"type", r.type},
                    {"fused_activation", r.fusedActivation},
                    {"macs_per_image", r.macs},
                    {"k", r.k},
                    {"fp32_seconds", number(r.fp32)},
                    {"int8_seconds", number(r.int8())},
                    {"int8_compute_seconds", number(r.int8Compute)},
                    {"int8_requantize_seconds", number(r.int8Requantize)},
                    {"fp32_gops", number(gops(r.macs, batch, r.fp32))},
                    {"int8_gops", number(gops(r.macs, batch, r.int8()))},
                    {"speedup", number(r.int8() > 0 ? r.fp32 / r.int8() : 0.0)},
                    {"note", rowNotes[i]}});
    }
    j["layers"] = lr;
    nlohmann::json fo = nlohmann::json::array();
    for (const auto& [name, s] : rep.fp32OnlyLayers)
      fo.push_back({{"name", name}, {"fp32_seconds", number(s)}});
    j["fp32_only_layers"] = fo;
    j["end_to_end"] = {{"fp32_seconds", number(fpE2e)},
                       {"int8_seconds", number(qE2e)},
                       {"fp32_gops", number(gops(macs, batch, fpE2e))},
                       {"int8_gops", number(gops(macs, batch, qE2e))},
                       {"speedup", number(qE2e > 0 ? fpE2e / qE2e : 0.0)},
                       {"fp32_min_seconds", number(minOf(rep.fp32Runs))},
                       {"fp32_max_seconds", number(maxOf(rep.fp32Runs))},
                       {"int8_min_seconds", number(minOf(rep.int8Runs))},
                       {"int8_max_seconds", number(maxOf(rep.int8Runs))}};
    j["int8_split"] = {{"quantize_input_seconds", number(rep.quantizeInput)},
                       {"compute_seconds", number(rep.compute)},
                       {"requantize_seconds", number(rep.requantize)},
                       {"dequantize_output_seconds", number(rep.dequantizeOutput)}};
    j["bytes"] = {{"fp32", bytesJson(rep.fp32Bytes)}, {"int8", bytesJson(rep.int8Bytes)}};
    j["recipe"] = recipeObject(q.recipe);
    j["notes"] = notes;
    printJson(j);
    return 0;
  }

  std::printf("model %s (%s), %lld MACs per image; batch %d (%s input), %d thread(s)\n",
              modelArg->c_str(), path.c_str(), static_cast<long long>(macs), batch, source.c_str(),
              threads);
  std::printf("int8 kernel: %s%s%s; median of %d runs after %d warm-up runs\n",
              quant::gemm::isaName(used), isaNote.empty() ? "" : " -- ", isaNote.c_str(), repeats,
              warmup);
  std::printf("\n%-12s %-9s %5s %11s | %10s %7s | %10s %10s %10s %7s | %7s\n", "layer", "type", "K",
              "MACs/img", "fp32 us", "GOPS", "int8 us", "compute", "requant", "GOPS", "speedup");
  for (const quant::BenchLayer& r : rep.layers) {
    std::string name = r.name + (r.fusedActivation.empty() ? "" : "+" + r.fusedActivation);
    std::printf("%-12s %-9s %5s %11lld | %10.1f %7.2f | %10.1f %10.1f %10.1f %7.2f | %6.2fx\n",
                name.c_str(), r.type.c_str(), r.k ? std::to_string(r.k).c_str() : "-",
                static_cast<long long>(r.macs), 1e6 * r.fp32, gops(r.macs, batch, r.fp32),
                1e6 * r.int8(), 1e6 * r.int8Compute, 1e6 * r.int8Requantize,
                gops(r.macs, batch, r.int8()), r.int8() > 0 ? r.fp32 / r.int8() : 0.0);
  }
  for (const auto& [name, s] : rep.fp32OnlyLayers)
    std::printf("%-12s %-9s %5s %11s | %10.1f %7s | (float32 in both: part of dequantize below)\n",
                name.c_str(), "", "", "", 1e6 * s, "");
  std::printf("%-12s %-9s %5s %11lld | %10.1f %7.2f | %10.1f %10s %10s %7.2f | %6.2fx\n",
              "end-to-end", "", "", static_cast<long long>(macs), 1e6 * fpE2e,
              gops(macs, batch, fpE2e), 1e6 * qE2e, "", "", gops(macs, batch, qE2e),
              qE2e > 0 ? fpE2e / qE2e : 0.0);
  std::printf(
      "\nend-to-end runs ranged over fp32 %.1f..%.1f us, int8 %.1f..%.1f us (a wide spread means "
      "a busy machine: rerun with more --repeats)\n",
      1e6 * minOf(rep.fp32Runs), 1e6 * maxOf(rep.fp32Runs), 1e6 * minOf(rep.int8Runs),
      1e6 * maxOf(rep.int8Runs));
  std::printf(
      "int8 time split (profiled run, %.1f us in all): quantize input %.1f us, integer compute "
      "%.1f us, requantize %.1f us, dequantize output %.1f us\n",
      1e6 * parts, 1e6 * rep.quantizeInput, 1e6 * rep.compute, 1e6 * rep.requantize,
      1e6 * rep.dequantizeOutput);
  std::printf(
      "model size: fp32 %lld bytes, int8 %lld bytes (%.2fx smaller)\n",
      static_cast<long long>(rep.fp32Bytes.total()), static_cast<long long>(rep.int8Bytes.total()),
      static_cast<double>(rep.fp32Bytes.total()) / static_cast<double>(rep.int8Bytes.total()));
  if (!notes.empty()) std::printf("\nnotes:\n");
  for (const std::string& n : notes) std::printf("  %s\n", n.c_str());
  return 0;
}

}  // namespace cli
