// SPDX-License-Identifier: GPL-3.0-or-later
// Built with -mavx2 and never run: baseline_check.sh must reject this binary, which proves the
// check sees AVX code that sits outside the per-ISA kernels.
#include <cstdio>
#include <cstdlib>

__attribute__((noinline)) float sumSquares(const float* x, int n) {
  float s = 0;
  for (int i = 0; i < n; ++i) s += x[i] * x[i];
  return s;
}

int main(int argc, char** argv) {
  float v[64];
  for (int i = 0; i < 64; ++i) v[i] = float(std::atoi(argc > 1 ? argv[1] : "1") + i);
  std::printf("%f\n", double(sumSquares(v, 64)));
  return 0;
}
