// SPDX-License-Identifier: GPL-3.0-or-later
// NumPy .npz: a zip archive (stored or deflated) whose members "name.npy" are tensors.
// libzip does the zip work; members are streamed, so a member that claims a huge size costs
// memory only for the bytes it really decompresses to.
#include <zip.h>

#include <algorithm>
#include <memory>

#include "quant/io/tensorio.h"
#include "quant/io/tensorio_detail.h"

namespace quant {

namespace detail {

namespace {

class ZipArchive {
 public:
  // From a file on disk.
  explicit ZipArchive(const std::string& path) : where_(path) {
    int code = 0;
    zip_ = zip_open(path.c_str(), ZIP_RDONLY, &code);
    if (!zip_) {
      zip_error_t err;
      zip_error_init_with_code(&err, code);
      const std::string msg = zip_error_strerror(&err);
      zip_error_fini(&err);
      fail(path, "not a valid zip archive (" + msg + ")");
    }
  }
  // From memory; `bytes` must outlive the archive.
  ZipArchive(std::span<const std::uint8_t> bytes, const std::string& where) : where_(where) {
    if (bytes.empty()) fail(where, "file is empty");
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (!src) {
      zip_error_fini(&err);
      fail(where, "cannot read the zip archive");
    }
    zip_ = zip_open_from_source(src, ZIP_RDONLY, &err);
    if (!zip_) {
      zip_source_free(src);
      const std::string msg = zip_error_strerror(&err);
      zip_error_fini(&err);
      fail(where, "not a valid zip archive (" + msg + ")");
    }
    zip_error_fini(&err);
  }
  ~ZipArchive() {
    if (zip_) zip_discard(zip_);
  }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  struct Member {
    zip_uint64_t index;
    std::string name;  // tensor name (member name without ".npy")
    std::string member;
    std::optional<std::uint64_t> declaredSize;
  };

  // The .npy members; refuses PyTorch archives (they contain a pickle, data.pkl).
  std::vector<Member> members() {
    const zip_int64_t n = zip_get_num_entries(zip_, 0);
    std::vector<Member> out;
    for (zip_int64_t i = 0; i < n; ++i) {
      const auto idx = static_cast<zip_uint64_t>(i);
      const char* cname = zip_get_name(zip_, idx, ZIP_FL_ENC_RAW);
      if (!cname) continue;
      const std::string name = cname;
      if (name == "data.pkl" || (name.size() > 9 && name.ends_with("/data.pkl"))) {
        fail(where_, pickleRefusal());
      }
      if (name.size() <= 4 || !name.ends_with(".npy")) continue;
      zip_stat_t st;
      zip_stat_init(&st);
      std::optional<std::uint64_t> size;
      if (zip_stat_index(zip_, idx, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) size = st.size;
      Member m{idx, name.substr(0, name.size() - 4), name, size};
      const bool dup =
          std::any_of(out.begin(), out.end(), [&](const Member& o) { return o.name == m.name; });
      if (!dup) out.push_back(std::move(m));
    }
    if (out.empty()) fail(where_, "zip archive contains no .npy members (not a .npz file)");
    return out;
  }

  zip_t* handle() { return zip_; }
  const std::string& where() const { return where_; }

 private:
  zip_t* zip_ = nullptr;
  std::string where_;
};

// One member as a stream. The declared size is only a hint (see ByteStream::exact).
class MemberStream final : public ByteStream {
 public:
  MemberStream(ZipArchive& z, const ZipArchive::Member& m, const std::string& where)
      : where_(where), left_(m.declaredSize) {
    file_ = zip_fopen_index(z.handle(), m.index, 0);
    if (!file_) fail(where, std::string("cannot open member (") + zip_strerror(z.handle()) + ")");
  }
  ~MemberStream() override {
    if (file_) zip_fclose(file_);
  }
  MemberStream(const MemberStream&) = delete;
  MemberStream& operator=(const MemberStream&) = delete;

  std::size_t read(std::uint8_t* dst, std::size_t n) override {
    if (n == 0) return 0;
    const zip_int64_t k = zip_fread(file_, dst, n);
    if (k < 0) fail(where_, std::string("corrupt zip data (") + zip_file_strerror(file_) + ")");
    const auto got = static_cast<std::uint64_t>(k);
    if (left_) *left_ = *left_ >= got ? *left_ - got : 0;
    return static_cast<std::size_t>(k);
  }
  std::optional<std::uint64_t> remaining() const override { return left_; }
  bool exact() const override { return false; }

 private:
  std::string where_;
  zip_file_t* file_ = nullptr;
  std::optional<std::uint64_t> left_;
};

std::string memberWhere(const std::string& where, const ZipArchive::Member& m) {
  return where + ": member '" + m.member + "'";
}

std::vector<TensorInfo> listArchive(ZipArchive& z) {
  std::vector<TensorInfo> out;
  for (const auto& m : z.members()) {
    MemberStream s(z, m, memberWhere(z.where(), m));
    const NpyHeader h = readNpyHeader(s, memberWhere(z.where(), m));
    out.push_back(TensorInfo{m.name, h.dtype.name, h.shape, h.dataBytes});
  }
  return out;
}

Tensor loadFromArchive(ZipArchive& z, const std::string& name) {
  const auto members = z.members();
  std::vector<TensorInfo> names;
  for (const auto& m : members) names.push_back(TensorInfo{m.name, "", {}, 0});
  const TensorInfo& chosen = selectTensor(names, name, z.where());
  const auto it = std::find_if(members.begin(), members.end(),
                               [&](const auto& m) { return m.name == chosen.name; });
  const std::string where = memberWhere(z.where(), *it);
  MemberStream s(z, *it, where);
  const NpyHeader h = readNpyHeader(s, where);
  Tensor t = readNpyData(s, h, where);
  t.name = it->name;
  return t;
}

}  // namespace

std::vector<TensorInfo> listNpzFile(const std::string& path) {
  ZipArchive z(path);
  return listArchive(z);
}

Tensor loadNpzFile(const std::string& path, const std::string& name) {
  ZipArchive z(path);
  return loadFromArchive(z, name);
}

}  // namespace detail

std::vector<TensorInfo> listNpz(std::span<const std::uint8_t> bytes, const std::string& where) {
  detail::ZipArchive z(bytes, where);
  return detail::listArchive(z);
}

Tensor parseNpz(std::span<const std::uint8_t> bytes, const std::string& name,
                const std::string& where) {
  detail::ZipArchive z(bytes, where);
  return detail::loadFromArchive(z, name);
}

}  // namespace quant
