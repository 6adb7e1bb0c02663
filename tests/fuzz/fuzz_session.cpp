// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target for the .qlab session file parser: any input either parses or throws
// quant::Error with one line; whatever parses writes back and re-parses to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "quant/base/tensor.h"
#include "quant/course/sessionfile.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  quant::SessionState state;
  try {
    state = quant::parseSessionFile(text);
  } catch (const quant::Error& e) {
    if (std::string_view(e.what()).find('\n') != std::string_view::npos) __builtin_trap();
    return 0;
  }
  std::string written;
  try {
    written = quant::writeSessionFile(state);
  } catch (const quant::Error&) {
    __builtin_trap();  // a parsed state is always valid, so it must be writable
  }
  const quant::SessionState again = quant::parseSessionFile(written);
  if (quant::writeSessionFile(again) != written) __builtin_trap();
  return 0;
}
