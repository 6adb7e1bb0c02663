// SPDX-License-Identifier: GPL-3.0-or-later
// quantlab-cli: the QuantLab engine from the command line.
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
    std::printf("quantlab-cli %s\n", QUANTLAB_VERSION);
    return 0;
  }
  std::printf("usage: quantlab-cli COMMAND [options]\n");
  return argc > 1 ? 2 : 0;
}
