// SPDX-License-Identifier: GPL-3.0-or-later
// The one CPU dispatcher of the engine: which instruction sets this CPU and OS can run, and which
// one the kernels use now. Every optimized kernel family (int8 and fp32 GEMM, fake quantization,
// error sums) asks activeIsa() and runs its best kernel at or below that level, like ruy's Path: the
// GEMMs have reference / avx2 / avx512vnni kernels, fake quantization reference / sse2 / avx2, so
// QUANTLAB_ISA=avx512vnni runs the VNNI GEMM and the AVX2 fake quantization, and
// QUANTLAB_ISA=reference runs the reference (specification) kernel of every family.
//
// Detection reads the CPUID feature bits AND the register state the OS saves (XCR0 via xgetbv): a
// CPU with AVX-512 under an OS that does not save the ZMM / opmask registers cannot run AVX-512.
// The choice is, in order: forceIsa() (tests, benchmarks), the QUANTLAB_ISA environment variable
// (read once), the best supported level. A request the CPU cannot run falls back to the best
// supported level with a note (fallbackNote(), and one line on stderr for QUANTLAB_ISA).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace quant::cpu {

// Levels, each one implying the ones before it (Auto aside). Avx2 means AVX2 + FMA (every
// AVX2 CPU has both); Avx512Vnni means AVX-512 F/BW/VL + VNNI on top of Avx2.
enum class Isa { Auto, Reference, Sse2, Avx2, Avx512Vnni };

const char* isaName(Isa isa);  // "auto", "reference", "sse2", "avx2", "avx512vnni"
std::optional<Isa> isaFromName(std::string_view name);
bool isaSupported(Isa isa);  // Auto and Reference always; the others from CPUID + XCR0
Isa bestIsa();               // the highest supported level
// Every supported level except Auto, lowest first (tests iterate over it).
std::vector<Isa> supportedIsas();

// The level kernels use now: forceIsa's choice, else QUANTLAB_ISA (read once), else bestIsa().
// Never Auto.
Isa activeIsa();
// Picks the level for all later calls (Auto = bestIsa()) and returns the one actually used: an
// unsupported request falls back to bestIsa() and fallbackNote() says so. Not synchronised with
// kernels running concurrently (tests and benchmarks only).
Isa forceIsa(Isa isa);
// "" or one line explaining the last fallback (from forceIsa or QUANTLAB_ISA).
std::string fallbackNote();

// The highest of `kernels` (the levels a kernel family has, lowest first, starting with
// Reference) that is at or below `level` (Auto = activeIsa()).
Isa kernelFor(Isa level, std::initializer_list<Isa> kernels);
// The levels of `kernels` this CPU supports, in the given order.
std::vector<Isa> supportedKernels(std::initializer_list<Isa> kernels);

}  // namespace quant::cpu
