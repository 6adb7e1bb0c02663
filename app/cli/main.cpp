// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli: the QuantLab engine from the command line. Exit codes: 0 success,
// 1 bad data or file (the message names the file and the problem), 2 usage error.
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "args.h"
#include "data.h"
#include "quant/base/tensor.h"

namespace {

const cli::Command kCommands[] = {
    {"format", "decode or encode a number in fp32/fp16/bf16/fp8/ExMy", cli::kFormatHelp,
     cli::runFormat},
    {"int", "n-bit two's complement and unsigned integers: value <-> bits", cli::kIntHelp,
     cli::runInt},
    {"list", "list the tensors in a file (.npy .npz .safetensors .csv .onnx .idx)", cli::kListHelp,
     cli::runList},
    {"quantize", "quantize values or a tensor and report the error", cli::kQuantizeHelp,
     cli::runQuantize},
    {"inspect", "statistics, calibration ranges and per-channel error of a tensor",
     cli::kInspectHelp, cli::runInspect},
    {"generate", "write a synthetic tensor (normal, laplace, ... with outliers)",
     cli::kGenerateHelp, cli::runGenerate},
    {"demo", "walk through the course's worked examples", cli::kDemoHelp, cli::runDemo},
    {"train", "train the built-in MLP or CNN on Fashion-MNIST, write ONNX", cli::kTrainHelp,
     cli::runTrain},
    {"qat", "quantization-aware fine-tuning: fp32 vs PTQ vs QAT accuracy, write ONNX",
     cli::kQatHelp, cli::runQat, true},
    {"sensitivity", "rank a model's layers by the damage quantization does to them",
     cli::kSensitivityHelp, cli::runSensitivity, true},
    {"mixed", "propose which layers stay high precision for an accuracy budget", cli::kMixedHelp,
     cli::runMixed, true},
    {"info", "a model's layers; a quantized ONNX model's per-layer scales and zero points",
     cli::kInfoHelp, cli::runInfo},
    {"eval", "accuracy, agreement, SQNR, size and time of a model in fp32 and int8",
     cli::kEvalHelp, cli::runEval, true},
    {"bench", "per-layer fp32 vs int8 latency, GOPS and speed-up of a model", cli::kBenchHelp,
     cli::runBench, true},
    {"lessons", "list, check and show the guided course's lessons", cli::kLessonsHelp,
     cli::runLessons},
};

void printUsage(std::FILE* out) {
  std::fprintf(out,
               "usage: quantlab-cli COMMAND [options]   (quantlab-cli COMMAND --help for details)\n\n"
               "commands:\n");
  for (const auto& c : kCommands) std::fprintf(out, "  %-12s %s\n", c.name, c.summary);
  std::fprintf(out,
               "\nEvery command accepts --json for machine-readable output.\n"
               "Exit status: 0 success, 1 data or file error, 2 usage error.\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    printUsage(stdout);
    return 0;
  }
  if (args[0] == "--version") {
    std::printf("quantlab-cli %s\n", QUANTLAB_VERSION);
    return 0;
  }
  for (const auto& c : kCommands) {
    if (args[0] != c.name) continue;
    std::vector<std::string> rest(args.begin() + 1, args.end());
    for (const auto& a : rest) {
      if (a == "--help" || a == "-h") {
        std::fputs(c.help, stdout);
        if (c.takesData) std::printf("\n%s", cli::kDataOptionsHelp);
        return 0;
      }
    }
    try {
      return c.run(rest);
    } catch (const cli::UsageError& e) {
      std::fprintf(stderr, "quantlab-cli %s: %s\n", c.name, e.what());
      return 2;
    } catch (const quant::Error& e) {
      std::fprintf(stderr, "quantlab-cli %s: %s\n", c.name, e.what());
      return 1;
    } catch (const std::bad_alloc&) {
      std::fprintf(stderr, "quantlab-cli %s: out of memory\n", c.name);
      return 1;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "quantlab-cli %s: internal error: %s\n", c.name, e.what());
      return 1;
    }
  }
  std::fprintf(stderr, "quantlab-cli: unknown command '%s'\n\n", args[0].c_str());
  printUsage(stderr);
  return 2;
}
