// SPDX-License-Identifier: GPL-3.0-or-later
// A .npy file opened through a read-only memory map and left there: the values are converted to
// float32 one block at a time when a computation reads them (quant::BlockSource), never copied
// as a whole. This is how the window opens a tensor too large to hold as float32 (or larger than
// the machine's memory): its resident set stays bounded because every pass gives the pages it
// has read back to the page cache (release()).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "quant/base/blocksource.h"

namespace quant {

class MappedNpy final : public BlockSource {
 public:
  // Maps `path` and checks its header (as loadTensor does, without the element limit and the
  // memory check: nothing is allocated). Throws quant::Error naming the file.
  static std::shared_ptr<const MappedNpy> open(const std::string& path);
  ~MappedNpy() override;
  MappedNpy(const MappedNpy&) = delete;
  MappedNpy& operator=(const MappedNpy&) = delete;

  const std::string& path() const { return path_; }
  const std::string& dtype() const { return dtype_; }  // "float32", "float16", ...
  // As stored; a Fortran-order file keeps its shape (the streamed statistics ignore the order).
  const std::vector<std::int64_t>& shape() const { return shape_; }
  bool fortranOrder() const { return fortranOrder_; }

  std::int64_t size() const override { return numel_; }
  // A page that vanished under the map (the file was truncated) becomes quant::Error.
  void read(std::int64_t first, std::span<float> out) const override;
  void willNeed(std::int64_t first, std::int64_t end) const override;
  void release(std::int64_t first, std::int64_t end) const override;

 private:
  MappedNpy() = default;
  std::string path_, dtype_;
  std::vector<std::int64_t> shape_;
  bool fortranOrder_ = false;
  std::int64_t numel_ = 0;
  int fd_ = -1;
  void* map_ = nullptr;
  std::size_t mapBytes_ = 0;
  std::size_t dataOffset_ = 0;
  struct Detail;
  std::unique_ptr<Detail> detail_;  // the parsed dtype (tensorio_detail.h stays private to io)
};

}  // namespace quant
