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
#include "data.h"
#include "quant/io/dataset.h"
#include "quant/kernels/int8gemm.h"
#include "quant/kernels/roofline.h"
#include "quant/nn/bench.h"
#include "quant/nn/evaluate.h"
#include "quant/nn/int8model.h"
#include "quant/nn/model.h"
#include "quant/nn/onnxqdq.h"
#include "quant/numeric/calibrate.h"

namespace cli {

const char* const kBenchHelp =
    "usage: quantlab-cli bench --model mlp|cnn|FILE.onnx [options]\n"
    "\n"
    "Times a model on this CPU in float32 and as a static int8 model (integer-only inference,\n"
    "activations calibrated with min-max on 256 training images): the time of every layer and\n"
    "the median time of the whole forward pass, GOPS (2 x MACs x batch / time; a multiply-\n"
    "accumulate counts as two operations, in int8 integer ones), the speed-up of int8, the int8\n"
    "GEMM kernel that really ran and the model sizes (counted as eval --help explains).\n"
    "\n"
    "End-to-end times are medians of plain runs. Per-layer times come from separate profiled runs\n"
    "of the same code with a clock read around each layer (the int8 GEMM stays fused with its\n"
    "requantization, so the two are not timed apart): those of the profiled run with the median\n"
    "total, so the rows are parts of one real run. The output says how much of the end-to-end\n"
    "time the per-layer rows add up to. A ReLU fused into the layer before it in int8 is added to\n"
    "that layer's float32 time. All float32 runs happen before the int8 runs (interleaving them\n"
    "lets one slow the other down through CPU frequency and vector-state after-effects).\n"
    "\n"
    "Roofline: after the timed runs, tiny loops measure this core's fp32 FMA peak, the peak of "
    "the\n"
    "int8 kernel's multiply-add instruction and the read bandwidth of L2, L3 and main memory.\n"
    "Every Linear/Conv2d row then shows its arithmetic intensity (operations per byte of\n"
    "compulsory memory traffic), whether the compute peak or the bandwidth of the memory level\n"
    "that holds it is the lower roof, and the share of that roof the layer reached.\n"
    "\n"
    "Input: with --data, the first N evaluation samples (calibration: 256 calibration samples);\n"
    "without, the first N Fashion-MNIST test images when the model takes [1,28,28] or [784] and\n"
    "the data set is installed (calibration: the first 256 training images); otherwise uniform\n"
    "random values in [0, 1) from --seed (calibration: 256 more of them).\n"
    "\n"
    "options:\n"
    "  --model M              mlp, cnn (the shipped models) or an ONNX file (required); a\n"
    "                         quantized one (QDQ / QOperator) runs with its own int8 scales\n"
    "  --batch N              images per forward pass (default 1)\n"
    "  --threads T            split the batch over T threads (default 1)\n"
    "  --isa I                kernel level: auto (default; QUANTLAB_ISA or the best this CPU has)\n"
    "                         | avx512vnni | avx2 | reference; a kernel the CPU cannot run is "
    "refused.\n"
    "                         It sets both sides: fp32 runs avx512f, avx2+fma or eigen-sse2\n"
    "  --repeats R            timed runs, the median is reported (default 20)\n"
    "  --warmup W             untimed runs first (default 3)\n"
    "  --seed S               seed of the random input (default 1)\n"
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

std::string percentText(double v) { return std::to_string(static_cast<int>(std::lround(v))) + "%"; }

// An honest one-line reason when int8 does not pay off for a layer ("" when it does).
std::string noteFor(const quant::BenchLayer& r, std::int64_t batch, bool referenceKernel) {
  const double speedup = r.int8 > 0 ? r.fp32 / r.int8 : 0.0;
  if (r.type == "Flatten" || speedup >= 1.5) return "";
  const std::string head = speedup < 1.0 ? "slower in int8: " : "little gain: ";
  if (r.macs == 0)
    return head + (speedup < 1.0
                       ? "no multiply-accumulates for integer arithmetic to speed up, and the 4x "
                         "smaller int8 data does not make up for it here"
                       : "no multiply-accumulates; only the 4x smaller data helps");
  const std::string roofs =
      " (int8 reached " + percentText(r.int8Roof.percent) + " of its " +
      (r.int8Roof.computeBound ? "compute" : r.int8Roof.memory + " bandwidth") + " roof, fp32 " +
      percentText(r.fp32Roof.percent) + " of its " +
      (r.fp32Roof.computeBound ? "compute" : r.fp32Roof.memory + " bandwidth") + " roof)";
  const std::int64_t outputs = r.k > 0 ? r.macs / r.k : 0;  // output values per image
  if (referenceKernel)
    return head + "the portable reference int8 kernel (plain loops, no SIMD) ran" + roofs;
  if (r.k > 0 && r.k < 32)
    return head + "K = " + std::to_string(r.k) +
           " is too short a dot product for the int8 kernel: most of each wide multiply-add "
           "works on padding, and im2col and requantization cost as much as the products" +
           roofs;
  if (outputs * batch < 2048)
    return head + "a small GEMM (" + std::to_string(outputs) + " outputs per image, batch " +
           std::to_string(batch) + "): call overhead and requantization dominate" + roofs;
  if (!r.int8Roof.computeBound)
    return head + "int8 is held by the " + r.int8Roof.memory +
           " bandwidth here, and only 4x fewer bytes help against it" + roofs;
  return head + "the float32 GEMM is already efficient at this size" + roofs;
}

nlohmann::json roofJson(const quant::BenchLayer& r, const quant::LayerRoofline& f) {
  if (r.macs == 0) return nullptr;
  return {{"gops", number(f.gops)},
          {"bytes", f.bytes},
          {"ops_per_byte", number(f.opsPerByte)},
          {"memory", f.memory},
          {"bound", f.computeBound ? "compute" : "memory"},
          {"attainable_gops", number(f.attainableGops)},
          {"percent_of_attainable", number(f.percent)}};
}

std::string roofText(const quant::BenchLayer& r, const quant::LayerRoofline& f) {
  if (r.macs == 0) return "";
  char buf[96];
  std::snprintf(buf, sizeof buf, "%8.1f %-4s %-7s %8.1f %5.0f%%", f.opsPerByte, f.memory.c_str(),
                f.computeBound ? "compute" : "memory", f.attainableGops, f.percent);
  return buf;
}

}  // namespace

int runBench(const std::vector<std::string>& argv) {
  Args a(argv, withDataOptions({"model", "batch", "threads", "isa", "repeats", "warmup", "seed"}),
         withDataFlags({"json"}));
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
  if (a.has("data")) {
    // Explicit data must load; its samples are the input.
    const CommandData data = loadCommandData(a, model, path, kCalibImages, 0);
    input = datasetBatch(model, data.evaluation.images, batch);
    calibInputs = datasetBatch(model, data.calibration.images, kCalibImages);
    loaded = true;
    source = data.describe;
  } else if (isFashionMnistInput(model)) {
    try {
      const quant::Dataset test = quant::loadFashionMnist(quant::kFashionMnistDir, quant::Split::Test);
      const quant::Dataset train =
          quant::loadFashionMnist(quant::kFashionMnistDir, quant::Split::Train);
      input = datasetBatch(model, test.images, batch);
      calibInputs = datasetBatch(model, train.images, kCalibImages);
      loaded = true;
      source = "Fashion-MNIST";
    } catch (const quant::Error& e) {
      if (!json) std::fprintf(stderr, "note: %s; using random input\n", e.what());
    }
  }
  if (!loaded) {
    std::mt19937_64 rng(static_cast<std::uint64_t>(seed));
    input = randomBatch(model, batch, rng);
    calibInputs = randomBatch(model, kCalibImages, rng);
    source = "random";
  }

  // A quantized ONNX file runs with its own scales and zero points.
  const quant::Int8Model q =
      quant::isQuantizedOnnxFile(path)
          ? quant::loadQuantizedOnnx(path).int8
          : quant::quantizeModel(model, calibInputs, quant::CalibrationConfig{});

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
  const std::vector<std::string> floatLayers = quant::floatLayerNotes(q);
  for (const std::string& f : floatLayers)
    notes.push_back("runs in float32 inside the int8 model (dequantize, float, quantize): " + f);
  const double layersIn8 = rep.int8StageSum - rep.quantizeInput - rep.dequantizeOutput;
  if (rep.int8StageSum > 0 && rep.quantizeInput > 0.25 * rep.int8StageSum)
    notes.push_back("quantizing the float input takes " +
                    percentText(100.0 * rep.quantizeInput / rep.int8StageSum) +
                    " of the profiled int8 time: a per-value float -> int8 pass over the input "
                    "that the integer layers cannot hide");
  const double fpShare = fpE2e > 0 ? rep.fp32LayerSum / fpE2e : 0.0;
  const double qShare = qE2e > 0 ? rep.int8StageSum / qE2e : 0.0;
  if (std::fabs(fpShare - 1.0) > 0.1 || std::fabs(qShare - 1.0) > 0.1)
    notes.push_back(
        "the per-layer rows add up to " + percentText(100.0 * fpShare) + " (fp32) and " +
        percentText(100.0 * qShare) +
        " (int8) of the end-to-end time: the rest is each forward pass's set-up outside "
        "the layers (tensor bookkeeping, which matters for a few-microsecond run) or "
        "a busy machine (rerun with more --repeats)");
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
    j["fp32_kernel"] = quant::fp32KernelName();
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
                    {"int8_seconds", number(r.int8)},
                    {"fp32_gops", number(quant::gops(r.macs, batch, r.fp32))},
                    {"int8_gops", number(quant::gops(r.macs, batch, r.int8))},
                    {"speedup", number(r.int8 > 0 ? r.fp32 / r.int8 : 0.0)},
                    {"fp32_roofline", roofJson(r, r.fp32Roof)},
                    {"int8_roofline", roofJson(r, r.int8Roof)},
                    {"note", rowNotes[i]}});
      if (!q.layers[i].floatReason.empty()) lr.back()["float_reason"] = q.layers[i].floatReason;
    }
    j["layers"] = lr;
    nlohmann::json fo = nlohmann::json::array();
    for (const auto& [name, s] : rep.fp32OnlyLayers)
      fo.push_back({{"name", name}, {"fp32_seconds", number(s)}});
    j["fp32_only_layers"] = fo;
    if (!floatLayers.empty()) j["float_layers"] = floatLayers;
    j["end_to_end"] = {{"fp32_seconds", number(fpE2e)},
                       {"int8_seconds", number(qE2e)},
                       {"fp32_gops", number(quant::gops(macs, batch, fpE2e))},
                       {"int8_gops", number(quant::gops(macs, batch, qE2e))},
                       {"speedup", number(qE2e > 0 ? fpE2e / qE2e : 0.0)},
                       {"fp32_min_seconds", number(minOf(rep.fp32Runs))},
                       {"fp32_max_seconds", number(maxOf(rep.fp32Runs))},
                       {"int8_min_seconds", number(minOf(rep.int8Runs))},
                       {"int8_max_seconds", number(maxOf(rep.int8Runs))}};
    j["int8_stages"] = {{"quantize_input_seconds", number(rep.quantizeInput)},
                        {"layers_seconds", number(layersIn8)},
                        {"dequantize_output_seconds", number(rep.dequantizeOutput)}};
    j["per_layer_sum"] = {{"fp32_seconds", number(rep.fp32LayerSum)},
                          {"fp32_share_of_end_to_end", number(fpShare)},
                          {"fp32_profiled_run_seconds", number(rep.fp32Profiled)},
                          {"int8_seconds", number(rep.int8StageSum)},
                          {"int8_share_of_end_to_end", number(qShare)},
                          {"int8_profiled_run_seconds", number(rep.int8Profiled)}};
    nlohmann::json mem = nlohmann::json::array();
    for (const quant::roofline::MemoryLevel& l : rep.peaks.memory)
      mem.push_back({{"name", l.name},
                     {"buffer_bytes", l.bufferBytes},
                     {"gb_per_second", number(l.gbPerSecond)}});
    j["roofline"] = {{"level", quant::cpu::isaName(rep.peaks.level)},
                     {"fp32_instruction", rep.peaks.fp32Instruction},
                     {"fp32_peak_gops", number(rep.peaks.fp32Gops)},
                     {"int8_instruction", rep.peaks.int8Instruction},
                     {"int8_peak_gops", number(rep.peaks.int8Gops)},
                     {"memory", mem}};
    j["bytes"] = {{"fp32", bytesJson(rep.fp32Bytes)}, {"int8", bytesJson(rep.int8Bytes)}};
    j["recipe"] = recipeObject(q.recipe);
    j["notes"] = notes;
    printJson(j);
    return 0;
  }

  std::printf("model %s (%s), %lld MACs per image; batch %d (%s input), %d thread(s)\n",
              modelArg->c_str(), path.c_str(), static_cast<long long>(macs), batch, source.c_str(),
              threads);
  std::printf("kernels: fp32 %s, int8 %s%s%s; median of %d runs after %d warm-up runs\n",
              quant::fp32KernelName(), quant::gemm::isaName(used), isaNote.empty() ? "" : " -- ",
              isaNote.c_str(), repeats, warmup);
  std::printf("\n%-12s %-9s %5s %11s | %10s %7s | %10s %7s | %7s\n", "layer", "type", "K",
              "MACs/img", "fp32 us", "GOPS", "int8 us", "GOPS", "speedup");
  for (const quant::BenchLayer& r : rep.layers) {
    std::string name = r.name + (r.fusedActivation.empty() ? "" : "+" + r.fusedActivation);
    std::printf("%-12s %-9s %5s %11lld | %10.1f %7.2f | %10.1f %7.2f | %6.2fx\n", name.c_str(),
                r.type.c_str(), r.k ? std::to_string(r.k).c_str() : "-",
                static_cast<long long>(r.macs), 1e6 * r.fp32, quant::gops(r.macs, batch, r.fp32),
                1e6 * r.int8, quant::gops(r.macs, batch, r.int8),
                r.int8 > 0 ? r.fp32 / r.int8 : 0.0);
  }
  for (const auto& [name, s] : rep.fp32OnlyLayers)
    std::printf("%-12s %-9s %5s %11s | %10.1f %7s | (float32 in both: part of dequantize below)\n",
                name.c_str(), "", "", "", 1e6 * s, "");
  std::printf("%-12s %-9s %5s %11s | %10s %7s | %10.1f %7s |\n", "quantize in", "", "", "", "-", "",
              1e6 * rep.quantizeInput, "");
  std::printf("%-12s %-9s %5s %11s | %10s %7s | %10.1f %7s |\n", "dequant out", "", "", "", "-", "",
              1e6 * rep.dequantizeOutput, "");
  std::printf("%-12s %-9s %5s %11s | %10.1f %7s | %10.1f %7s |\n", "sum of rows", "", "", "",
              1e6 * rep.fp32LayerSum, "", 1e6 * rep.int8StageSum, "");
  std::printf("%-12s %-9s %5s %11lld | %10.1f %7.2f | %10.1f %7.2f | %6.2fx\n", "end-to-end", "",
              "", static_cast<long long>(macs), 1e6 * fpE2e, quant::gops(macs, batch, fpE2e),
              1e6 * qE2e, quant::gops(macs, batch, qE2e), qE2e > 0 ? fpE2e / qE2e : 0.0);
  std::printf(
      "\nthe per-layer rows (profiled runs: a clock read around each fused layer) add up to "
      "%.0f%% of the end-to-end fp32 time and %.0f%% of the int8 time; the profiled runs took "
      "%.0f%% and %.0f%% of it\n",
      100.0 * fpShare, 100.0 * qShare, 100.0 * rep.fp32Profiled / std::max(fpE2e, 1e-12),
      100.0 * rep.int8Profiled / std::max(qE2e, 1e-12));
  std::printf(
      "end-to-end runs ranged over fp32 %.1f..%.1f us, int8 %.1f..%.1f us (a wide spread means "
      "a busy machine: rerun with more --repeats)\n",
      1e6 * minOf(rep.fp32Runs), 1e6 * maxOf(rep.fp32Runs), 1e6 * minOf(rep.int8Runs),
      1e6 * maxOf(rep.int8Runs));

  const quant::roofline::Peaks& pk = rep.peaks;
  std::printf("\nroofline of one core, measured in this run (level %s):\n",
              quant::cpu::isaName(pk.level));
  std::printf("  fp32 peak %.1f GFLOPS (%s), int8 peak %.1f GOPS (%s)\n  read bandwidth:",
              pk.fp32Gops, pk.fp32Instruction.c_str(), pk.int8Gops, pk.int8Instruction.c_str());
  for (const quant::roofline::MemoryLevel& l : pk.memory)
    std::printf(" %s %.1f GB/s%s", l.name.c_str(), l.gbPerSecond,
                &l == &pk.memory.back() ? "\n" : ",");
  std::printf("%-12s | %-8s %-4s %-7s %8s %6s | %-8s %-4s %-7s %8s %6s\n", "layer", "fp32 op/B",
              "mem", "bound", "roof", "% roof", "int8 op/B", "mem", "bound", "roof", "% roof");
  for (const quant::BenchLayer& r : rep.layers) {
    if (r.macs == 0) continue;
    const std::string name = r.name + (r.fusedActivation.empty() ? "" : "+" + r.fusedActivation);
    std::printf("%-12s | %s | %s\n", name.c_str(), roofText(r, r.fp32Roof).c_str(),
                roofText(r, r.int8Roof).c_str());
  }
  std::printf(
      "model size: fp32 %lld bytes, int8 %lld bytes (%.2fx smaller)\n",
      static_cast<long long>(rep.fp32Bytes.total()), static_cast<long long>(rep.int8Bytes.total()),
      static_cast<double>(rep.fp32Bytes.total()) / static_cast<double>(rep.int8Bytes.total()));
  if (!notes.empty()) std::printf("\nnotes:\n");
  for (const std::string& n : notes) std::printf("  %s\n", n.c_str());
  return 0;
}

}  // namespace cli
