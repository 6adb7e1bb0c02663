// SPDX-License-Identifier: GPL-3.0-or-later
// Values read block by block instead of held in a Tensor: a memory-mapped .npy file whose float32
// copy would not fit (or should not be made). The streamed computations in
// quant/numeric/streamed.h take one; quant/io/mappednpy.h provides the file-backed one.
#pragma once

#include <cstdint>
#include <span>

namespace quant {

class BlockSource {
 public:
  virtual ~BlockSource() = default;
  // Number of values.
  virtual std::int64_t size() const = 0;
  // Converts values [first, first + out.size()) to float32 into `out`. Callable from several
  // threads at once. Throws quant::Error when the values cannot be read (a truncated file).
  virtual void read(std::int64_t first, std::span<float> out) const = 0;
  // Values [first, end) will be read soon: a mapping starts reading their pages from disk, so
  // that scattered reads (a sample) wait for the disk once rather than once per run.
  virtual void willNeed(std::int64_t first, std::int64_t end) const {
    (void)first;
    (void)end;
  }
  // Values [first, end) will not be read again soon: a mapping gives their pages back, so that a
  // pass over a file larger than memory keeps a bounded resident set.
  virtual void release(std::int64_t first, std::int64_t end) const {
    (void)first;
    (void)end;
  }
};

// Values already in memory as a BlockSource (to compare streamed and in-memory results).
class SpanSource final : public BlockSource {
 public:
  explicit SpanSource(std::span<const float> values) : values_(values) {}
  std::int64_t size() const override { return static_cast<std::int64_t>(values_.size()); }
  void read(std::int64_t first, std::span<float> out) const override {
    const std::span<const float> from =
        values_.subspan(static_cast<std::size_t>(first), out.size());
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = from[i];
  }

 private:
  std::span<const float> values_;
};

}  // namespace quant
