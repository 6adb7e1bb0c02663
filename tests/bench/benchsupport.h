// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the GEMM benchmarks (bench_int8gemm, bench_fp32gemm): the optional oneDNN baseline's
// set-up (single thread, one engine, the ISA it picked) and a console reporter that keeps every
// repetition's time for the summary tables.
#pragma once

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#if QUANTLAB_HAVE_DNNL
#include <dlfcn.h>

#include <oneapi/dnnl/dnnl.hpp>

namespace benchsupport {

// Debian's libdnnl uses the GNU OpenMP runtime. It is reached through dlsym so that the benchmark
// needs no OpenMP flags of its own; libgomp reads OMP_NUM_THREADS when it loads, too early for a
// setenv in main.
inline void dnnlSingleThread() {
  using SetThreads = void (*)(int);
  if (auto* f = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "omp_set_num_threads"))) f(1);
}

inline dnnl::engine& dnnlEngine() {
  static dnnl::engine e(dnnl::engine::kind::cpu, 0);
  return e;
}

inline const char* dnnlIsaName() {
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::avx2:
      return "avx2";
    case dnnl::cpu_isa::avx2_vnni:
      return "avx2_vnni";
    case dnnl::cpu_isa::avx512_core:
      return "avx512_core";
    case dnnl::cpu_isa::avx512_core_vnni:
      return "avx512_core_vnni";
    case dnnl::cpu_isa::avx512_core_bf16:
      return "avx512_core_bf16";
    case dnnl::cpu_isa::avx512_core_amx:
      return "avx512_core_amx";
    default:
      return "other";
  }
}

}  // namespace benchsupport
#endif

namespace benchsupport {

// Handles and removes our --onednn_isa=ISA flag before Google Benchmark parses the rest: it sets
// ONEDNN_MAX_CPU_ISA, which oneDNN reads at its first call.
inline void takeOnednnIsaFlag(int& argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--onednn_isa=", 13) == 0) {
      setenv("ONEDNN_MAX_CPU_ISA", argv[i] + 13, 1);
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      --i;
    }
  }
}

// The console output, plus every repetition's CPU seconds per iteration kept for the summary.
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.run_type == Run::RT_Iteration && !r.error_occurred && r.iterations > 0) {
        times_[r.run_name.function_name].push_back(r.cpu_accumulated_time / double(r.iterations));
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  // Median over repetitions of the seconds per iteration, or 0 when the case did not run.
  double medianSeconds(const std::string& name) const {
    const auto it = times_.find(name);
    if (it == times_.end() || it->second.empty()) return 0.0;
    std::vector<double> t = it->second;
    std::sort(t.begin(), t.end());
    const std::size_t n = t.size();
    return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
  }

 private:
  std::map<std::string, std::vector<double>> times_;
};

// A GEMM benchmark's main: our flag, oneDNN on one thread, the cases registerAll() adds, then the
// summary table over the collected repetitions.
inline int run(int argc, char** argv, void (*registerAll)(),
               void (*summary)(const CollectingReporter&)) {
  takeOnednnIsaFlag(argc, argv);
#if QUANTLAB_HAVE_DNNL
  dnnlSingleThread();
#endif
  registerAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  CollectingReporter rep;
  benchmark::RunSpecifiedBenchmarks(&rep);
  benchmark::Shutdown();
  summary(rep);
  return 0;
}

}  // namespace benchsupport
