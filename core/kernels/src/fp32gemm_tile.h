// SPDX-License-Identifier: GPL-3.0-or-later
// The float32 GEMM's register-blocked tile and driver, written once over a vector "Ops" type that
// each ISA file supplies (fp32gemm_avx2.cpp, fp32gemm_avx512.cpp), as Eigen writes its algorithms
// over per-ISA packet types. Included only by those files, which are compiled with their own -m
// flags: everything here sits in an unnamed namespace, so each file gets its own copy and no
// instruction of one ISA can reach another file through the linker.
//
// A tile is MR rows x NV vectors of B columns; its MR * NV accumulators stay in registers over the
// whole K loop (per k: NV vector loads of B, MR broadcasts of a, MR * NV fused multiply-adds).
// Every accumulator is one FMA chain over k from 0, so the tile shape never changes a result.
// Ops provides: V, kLanes, kMr, kNv (tile limits), kPerGroup (vectors per 16-column group of B),
// zero(), load(p), broadcast(p), fma(a, b, c), add(a, b), max(a, b), store(p, v, valid lanes).
#pragma once

#include "fp32gemm_kernels.h"

namespace quant::fp32gemm::kernels {
namespace {

template <class Ops, int MR, int NV>
void tile(const Problem& p, int m0, int n0) {
  using V = typename Ops::V;
  constexpr int kLanes = Ops::kLanes, kPerGroup = Ops::kPerGroup;
  const float* a = p.a + m0 * p.lda;
  const float* b = p.b + (n0 / (kLanes * kPerGroup)) * p.bGroup;
  V acc[MR][NV];
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[i][v] = Ops::zero();
  }
  for (int k = 0; k < p.K; ++k) {
    V bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      bv[v] = Ops::load(b + (v / kPerGroup) * p.bGroup + (v % kPerGroup) * kLanes);
    }
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i) {
      const V av = Ops::broadcast(a + i * p.lda + k);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[i][v] = Ops::fma(av, bv[v], acc[i][v]);
    }
    b += p.bK;
  }
  const int cols = p.N - n0;
  V colBias[NV];
#pragma GCC unroll 4
  for (int v = 0; v < NV; ++v) {
    colBias[v] = p.colBias != nullptr ? Ops::load(p.colBias + n0 + v * kLanes) : Ops::zero();
  }
  const V zero = Ops::zero();
#pragma GCC unroll 8
  for (int i = 0; i < MR; ++i) {
    const V rowBias = p.rowBias != nullptr ? Ops::broadcast(p.rowBias + m0 + i) : zero;
    float* c = p.c + (m0 + i) * p.ldc + n0;
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) {
      V x = Ops::add(acc[i][v], p.rowBias != nullptr ? rowBias : colBias[v]);
      // max(x, 0) returns its second operand for NaN: ReLU(NaN) = 0, as the layer defines it.
      if (p.relu) x = Ops::max(x, zero);
      Ops::store(c + v * kLanes, x, cols - v * kLanes);
    }
  }
}

using TileFn = void (*)(const Problem&, int, int);

template <class Ops, int MR, int... NV>
constexpr TileFn kTileRow[] = {&tile<Ops, MR, NV + 1>...};

template <class Ops, int... NV>
constexpr const TileFn* tileRows(int mr) {
  constexpr const TileFn* rows[] = {kTileRow<Ops, 1, NV...>, kTileRow<Ops, 2, NV...>,
                                    kTileRow<Ops, 3, NV...>, kTileRow<Ops, 4, NV...>,
                                    kTileRow<Ops, 5, NV...>, kTileRow<Ops, 6, NV...>};
  return rows[mr - 1];
}

// Tiles of Ops::kMr (= 6) rows x Ops::kNv vectors, smaller at the bottom and right edges.
template <class Ops, int... NV>
void gemm(const Problem& p) {
  static_assert(Ops::kMr == 6 && sizeof...(NV) == Ops::kNv);
  constexpr int kCols = Ops::kNv * Ops::kLanes;
  for (int n0 = 0; n0 < p.N; n0 += kCols) {
    const int cols = p.N - n0 < kCols ? p.N - n0 : kCols;
    const int nv = (cols + Ops::kLanes - 1) / Ops::kLanes;
    for (int m0 = 0; m0 < p.M; m0 += Ops::kMr) {
      const int mr = p.M - m0 < Ops::kMr ? p.M - m0 : Ops::kMr;
      tileRows<Ops, NV...>(mr)[nv - 1](p, m0, n0);
    }
  }
}

}  // namespace
}  // namespace quant::fp32gemm::kernels
