// SPDX-License-Identifier: GPL-3.0-or-later
// CPU feature detection (CPUID + XCR0) and the run-time ISA choice shared by every kernel family.
#include "quant/kernels/cpu.h"

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <mutex>
#include <utility>

#if defined(__x86_64__) || defined(__i386__)
#define QUANT_CPU_X86 1
#include <cpuid.h>
#else
#define QUANT_CPU_X86 0
#endif

namespace quant::cpu {
namespace {

// Every level but Auto, lowest first.
constexpr std::initializer_list<Isa> kLevels = {Isa::Reference, Isa::Sse2, Isa::Avx2,
                                                Isa::Avx512Vnni};

struct Features {
  bool sse2 = false, avx2 = false, avx512vnni = false;
};

#if QUANT_CPU_X86
// XCR0 (the register state the OS saves on a context switch). Only valid when CPUID reports
// OSXSAVE, which the caller checks first: xgetbv faults otherwise.
std::uint64_t readXcr0() {
  std::uint32_t lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (std::uint64_t{hi} << 32) | lo;
}
#endif

Features detect() {
  Features f;
#if QUANT_CPU_X86
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
  f.sse2 = (edx >> 26) & 1u;
  const bool fma = (ecx >> 12) & 1u;
  const bool osxsave = (ecx >> 27) & 1u;
  const bool avx = (ecx >> 28) & 1u;
  if (!osxsave || !avx) return f;
  const std::uint64_t xcr0 = readXcr0();
  // XMM (bit 1) and YMM upper halves (bit 2); AVX-512 adds opmask (5), ZMM_Hi256 (6), Hi16_ZMM (7).
  const bool osYmm = (xcr0 & 0x6u) == 0x6u;
  const bool osZmm = (xcr0 & 0xe6u) == 0xe6u;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return f;
  const bool avx2 = (ebx >> 5) & 1u;
  const bool avx512f = (ebx >> 16) & 1u, avx512bw = (ebx >> 30) & 1u, avx512vl = (ebx >> 31) & 1u;
  const bool vnni = (ecx >> 11) & 1u;
  f.avx2 = f.sse2 && osYmm && avx2 && fma;
  f.avx512vnni = f.avx2 && osZmm && avx512f && avx512bw && avx512vl && vnni;
#endif
  return f;
}

const Features& features() {
  static const Features f = detect();
  return f;
}

std::mutex gNoteMutex;
std::string gNote;
std::atomic<int> gActive{-1};  // -1: not decided yet

void setNote(std::string note) {
  std::lock_guard lock(gNoteMutex);
  gNote = std::move(note);
}

Isa resolve(Isa requested, const char* source) {
  if (requested == Isa::Auto) return bestIsa();
  if (isaSupported(requested)) return requested;
  const Isa best = bestIsa();
  setNote(std::string(source) + ": this CPU cannot run " + isaName(requested) + " kernels; using " +
          isaName(best));
  return best;
}

Isa fromEnvironment() {
  const char* env = std::getenv("QUANTLAB_ISA");
  if (env == nullptr || *env == '\0') return bestIsa();
  const std::optional<Isa> requested = isaFromName(env);
  if (requested) {
    const Isa got = resolve(*requested, "QUANTLAB_ISA");
    if (got != *requested && *requested != Isa::Auto) {
      std::fprintf(stderr, "quantlab: %s\n", fallbackNote().c_str());
    }
    return got;
  }
  setNote(std::string("QUANTLAB_ISA=") + env +
          " is not one of reference|sse2|avx2|avx512vnni|auto; using " + isaName(bestIsa()));
  std::fprintf(stderr, "quantlab: %s\n", fallbackNote().c_str());
  return bestIsa();
}

}  // namespace

const char* isaName(Isa isa) {
  switch (isa) {
    case Isa::Auto:
      return "auto";
    case Isa::Reference:
      return "reference";
    case Isa::Sse2:
      return "sse2";
    case Isa::Avx2:
      return "avx2";
    case Isa::Avx512Vnni:
      return "avx512vnni";
  }
  return "?";
}

std::optional<Isa> isaFromName(std::string_view name) {
  for (Isa isa : {Isa::Auto, Isa::Reference, Isa::Sse2, Isa::Avx2, Isa::Avx512Vnni}) {
    if (name == isaName(isa)) return isa;
  }
  return std::nullopt;
}

bool isaSupported(Isa isa) {
  switch (isa) {
    case Isa::Auto:
    case Isa::Reference:
      return true;
    case Isa::Sse2:
      return features().sse2;
    case Isa::Avx2:
      return features().avx2;
    case Isa::Avx512Vnni:
      return features().avx512vnni;
  }
  return false;
}

Isa bestIsa() {
  Isa best = Isa::Reference;
  for (Isa isa : kLevels) {
    if (isaSupported(isa)) best = isa;
  }
  return best;
}

std::vector<Isa> supportedIsas() { return supportedKernels(kLevels); }

Isa activeIsa() {
  int v = gActive.load(std::memory_order_acquire);
  if (v < 0) {
    static const Isa fromEnv = fromEnvironment();
    int expected = -1;
    gActive.compare_exchange_strong(expected, static_cast<int>(fromEnv));
    v = gActive.load(std::memory_order_acquire);
  }
  return static_cast<Isa>(v);
}

Isa forceIsa(Isa isa) {
  setNote({});
  const Isa got = resolve(isa, "forceIsa");
  gActive.store(static_cast<int>(got), std::memory_order_release);
  return got;
}

std::string fallbackNote() {
  std::lock_guard lock(gNoteMutex);
  return gNote;
}

Isa kernelFor(Isa level, std::initializer_list<Isa> kernels) {
  if (level == Isa::Auto) level = activeIsa();
  Isa got = Isa::Reference;
  for (Isa k : kernels) {
    if (static_cast<int>(k) <= static_cast<int>(level)) got = k;
  }
  return got;
}

std::vector<Isa> supportedKernels(std::initializer_list<Isa> kernels) {
  std::vector<Isa> out;
  for (Isa isa : kernels) {
    if (isaSupported(isa)) out.push_back(isa);
  }
  return out;
}

}  // namespace quant::cpu
