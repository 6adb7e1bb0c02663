// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/io/mappednpy.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <limits>

#include "quant/io/tensorio.h"
#include "quant/io/tensorio_detail.h"

namespace quant {

struct MappedNpy::Detail {
  detail::DType dtype;
};

std::shared_ptr<const MappedNpy> MappedNpy::open(const std::string& path) {
  std::shared_ptr<MappedNpy> m(new MappedNpy);
  m->path_ = path;
  m->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (m->fd_ < 0) throw Error(path + ": cannot open the file");
  struct stat st {};
  if (fstat(m->fd_, &st) != 0 || !S_ISREG(st.st_mode)) throw Error(path + ": not a regular file");
  if (st.st_size <= 0) throw Error(path + ": the file is empty");
  if (static_cast<std::uint64_t>(st.st_size) > std::numeric_limits<std::size_t>::max())
    throw Error(path + ": the file is too large to map");
  m->mapBytes_ = static_cast<std::size_t>(st.st_size);
  // PROT_READ + MAP_PRIVATE: the file can never be modified through the mapping.
  void* p = mmap(nullptr, m->mapBytes_, PROT_READ, MAP_PRIVATE, m->fd_, 0);
  if (p == MAP_FAILED) throw Error(path + ": the file cannot be memory-mapped");
  m->map_ = p;
  const std::span<const std::uint8_t> bytes(static_cast<const std::uint8_t*>(p), m->mapBytes_);
  detail::SpanInput input(bytes);
  detail::RegionStream s(input, 0, input.size());
  // As in loadTensor: the header is parsed from the mapping directly (it checks that the data
  // is all there).
  const detail::NpyHeader h = detail::readNpyHeader(s, path);
  // No kMaxTensorElements check: that limit is for float32 copies, and nothing is copied here.
  m->detail_ = std::make_unique<Detail>(Detail{h.dtype});
  m->dtype_ = h.dtype.name;
  m->shape_ = h.shape;
  m->fortranOrder_ = h.fortranOrder;
  m->numel_ = h.numel;
  m->dataOffset_ = m->mapBytes_ - static_cast<std::size_t>(*s.remaining());
  // Passes read front to back; the sample reads a few runs, where read-ahead costs little.
  madvise(m->map_, m->mapBytes_, MADV_SEQUENTIAL);
  return m;
}

MappedNpy::~MappedNpy() {
  if (map_ != nullptr) munmap(map_, mapBytes_);
  if (fd_ >= 0) ::close(fd_);
}

void MappedNpy::read(std::int64_t first, std::span<float> out) const {
  if (first < 0 || first > numel_ || static_cast<std::int64_t>(out.size()) > numel_ - first)
    throw Error(path_ + ": read past the end of the tensor");
  const auto itemSize = static_cast<std::size_t>(detail_->dtype.size);
  const std::uint8_t* src = static_cast<const std::uint8_t*>(map_) + dataOffset_ +
                            static_cast<std::size_t>(first) * itemSize;
  const detail::DType* dtype = &detail_->dtype;
  float* dst = out.data();
  const std::size_t n = out.size();
  // Left with siglongjmp on SIGBUS: only a conversion into memory that already exists.
  guardMappedRead(path_, [src, n, dtype, dst]() { detail::convertElements(src, n, *dtype, dst); });
}

void MappedNpy::willNeed(std::int64_t first, std::int64_t end) const {
  static const long kPage = sysconf(_SC_PAGESIZE);
  if (kPage <= 0 || end <= first) return;
  const auto page = static_cast<std::size_t>(kPage);
  const auto itemSize = static_cast<std::size_t>(detail_->dtype.size);
  // Every page the values touch, the partial ones at both ends included.
  const std::size_t from = (dataOffset_ + static_cast<std::size_t>(first) * itemSize) / page * page;
  const std::size_t to = dataOffset_ + static_cast<std::size_t>(end) * itemSize;
  madvise(static_cast<std::uint8_t*>(map_) + from, to - from, MADV_WILLNEED);
}

void MappedNpy::release(std::int64_t first, std::int64_t end) const {
  static const long kPage = sysconf(_SC_PAGESIZE);
  if (kPage <= 0 || end <= first) return;
  const auto page = static_cast<std::size_t>(kPage);
  const auto itemSize = static_cast<std::size_t>(detail_->dtype.size);
  // Whole pages inside the byte range only: a page shared with values still to be read stays.
  const std::size_t lo = dataOffset_ + static_cast<std::size_t>(first) * itemSize;
  const std::size_t hi = dataOffset_ + static_cast<std::size_t>(end) * itemSize;
  const std::size_t from = (lo + page - 1) / page * page, to = hi / page * page;
  if (to <= from) return;
  // The mapping is private and was never written: the pages go back to the page cache.
  madvise(static_cast<std::uint8_t*>(map_) + from, to - from, MADV_DONTNEED);
}

}  // namespace quant
