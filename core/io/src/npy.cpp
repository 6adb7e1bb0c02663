// SPDX-License-Identifier: GPL-3.0-or-later
// NumPy .npy: magic "\x93NUMPY", version byte pair, header length (2 bytes LE in v1.0,
// 4 bytes LE in v2.0/v3.0), a Python dict literal padded with spaces and ended by '\n',
// then the raw array data.
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <new>

#include "quant/io/tensorio.h"
#include "quant/io/tensorio_detail.h"

namespace quant {

namespace detail {

namespace {

constexpr std::uint32_t kMaxNpyHeader = 1u << 20;  // numpy itself refuses far smaller headers
constexpr int kMaxDepth = 16;                      // nesting of the header literal

// A value of the tiny Python-literal subset used by .npy headers.
struct PyValue {
  enum class Kind { Str, Bool, Int, None, Seq, Dict };
  Kind kind = Kind::None;
  std::string str;
  bool boolean = false;
  std::int64_t integer = 0;
  std::vector<PyValue> items;     // tuple or list
  std::vector<std::string> keys;  // dict (string keys only)...
  std::vector<PyValue> values;    // ...and their values
};

class HeaderParser {
 public:
  HeaderParser(std::string_view text, const std::string& where) : s_(text), where_(where) {}

  PyValue parseTop() {
    PyValue v = value(0);
    skipSpace();
    if (pos_ != s_.size()) error("unexpected text after the dictionary");
    return v;
  }

 private:
  [[noreturn]] void error(const std::string& what) {
    fail(where_, "malformed header: " + what + " at offset " + std::to_string(pos_));
  }
  void skipSpace() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r'))
      ++pos_;
  }
  bool eat(char c) {
    skipSpace();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool word(std::string_view w) {
    if (s_.substr(pos_, w.size()) == w) {
      pos_ += w.size();
      return true;
    }
    return false;
  }

  PyValue value(int depth) {
    if (depth > kMaxDepth) error("nesting too deep");
    skipSpace();
    if (pos_ >= s_.size()) error("unexpected end");
    const char c = s_[pos_];
    PyValue v;
    if (c == '\'' || c == '"') {
      v.kind = PyValue::Kind::Str;
      v.str = string();
    } else if (c == '{') {
      ++pos_;
      v.kind = PyValue::Kind::Dict;
      while (!eat('}')) {
        skipSpace();
        if (pos_ >= s_.size() || (s_[pos_] != '\'' && s_[pos_] != '"')) error("expected a key");
        std::string key = string();
        if (!eat(':')) error("expected ':'");
        v.keys.push_back(std::move(key));
        v.values.push_back(value(depth + 1));
        if (!eat(',')) {
          if (!eat('}')) error("expected ',' or '}'");
          break;
        }
      }
    } else if (c == '(' || c == '[') {
      const char close = c == '(' ? ')' : ']';
      ++pos_;
      v.kind = PyValue::Kind::Seq;
      while (!eat(close)) {
        v.items.push_back(value(depth + 1));
        if (!eat(',')) {
          if (!eat(close)) error(std::string("expected ',' or '") + close + "'");
          break;
        }
      }
    } else if (word("True")) {
      v.kind = PyValue::Kind::Bool;
      v.boolean = true;
    } else if (word("False")) {
      v.kind = PyValue::Kind::Bool;
    } else if (word("None")) {
      v.kind = PyValue::Kind::None;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v.kind = PyValue::Kind::Int;
      v.integer = integer();
    } else {
      error(std::string("unexpected character '") + (c >= 32 && c < 127 ? c : '?') + "'");
    }
    return v;
  }

  std::string string() {
    const char quote = s_[pos_++];
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != quote) {
      if (s_[pos_] == '\\') ++pos_;  // only simple escapes matter here
      if (pos_ < s_.size()) out += s_[pos_++];
    }
    if (pos_ >= s_.size()) error("unterminated string");
    ++pos_;
    return out;
  }

  std::int64_t integer() {
    const bool neg = s_[pos_] == '-';
    if (neg) ++pos_;
    if (pos_ >= s_.size() || s_[pos_] < '0' || s_[pos_] > '9') error("expected a digit");
    std::uint64_t v = 0;
    constexpr std::uint64_t kMax =
        static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      const unsigned d = static_cast<unsigned>(s_[pos_] - '0');
      if (v > (kMax - d) / 10) {
        fail(where_, "shape overflows: integer " + std::string(s_.substr(pos_, 24)) +
                         "... in the header is larger than 2^63");
      }
      v = v * 10 + d;
      ++pos_;
    }
    if (pos_ < s_.size() && (s_[pos_] == 'L' || s_[pos_] == 'l')) ++pos_;  // Python 2 longs
    const auto s = static_cast<std::int64_t>(v);
    return neg ? -s : s;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  const std::string& where_;
};

DType parseDescr(const std::string& d, const std::string& where) {
  if (d.empty()) fail(where, "empty dtype 'descr' in header");
  DType dt;
  std::size_t i = 0;
  char order = '=';
  if (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=') order = d[i++];
  dt.bigEndian = order == '>' || (order == '=' && std::endian::native == std::endian::big);
  const std::string rest = d.substr(i);
  auto unsupported = [&]() -> DType {
    fail(where, "unsupported dtype '" + d +
                    "' (supported: f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1, any byte order)");
  };
  if (rest == "O" || rest == "O8") {
    fail(where, "object arrays hold Python pickles; " + pickleRefusal());
  }
  if (rest == "?" || rest == "b1") {
    dt.kind = DType::Kind::Bool;
    dt.size = 1;
    dt.name = "bool";
    return dt;
  }
  if (rest.size() != 2) return unsupported();
  const char kind = rest[0];
  const int size = rest[1] - '0';
  dt.size = size;
  if (kind == 'f' && (size == 2 || size == 4 || size == 8)) {
    dt.kind = DType::Kind::Float;
    dt.name = size == 2 ? "float16" : size == 4 ? "float32" : "float64";
  } else if ((kind == 'i' || kind == 'u') && (size == 1 || size == 2 || size == 4 || size == 8)) {
    dt.kind = kind == 'i' ? DType::Kind::Int : DType::Kind::UInt;
    dt.name = std::string(kind == 'i' ? "int" : "uint") + std::to_string(size * 8);
  } else {
    return unsupported();
  }
  if (order == '|' && size != 1) fail(where, "dtype '" + d + "' lacks a byte order");
  return dt;
}

}  // namespace

NpyHeader readNpyHeader(ByteStream& in, const std::string& where) {
  {
    const auto rem = in.remaining();
    if (rem && *rem == 0) fail(where, "file is empty");
  }
  const std::vector<std::uint8_t> pre = readExact(in, 8, where, "the .npy preamble");
  static const std::uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (std::memcmp(pre.data(), kMagic, 6) != 0) {
    fail(where, "not a .npy file (wrong magic: expected \\x93NUMPY)");
  }
  const int major = pre[6], minor = pre[7];
  std::uint32_t headerLen = 0;
  if (major == 1) {
    const auto b = readExact(in, 2, where, "the header length");
    headerLen = b[0] | (static_cast<std::uint32_t>(b[1]) << 8);
  } else if (major == 2 || major == 3) {
    const auto b = readExact(in, 4, where, "the header length");
    headerLen = b[0] | (static_cast<std::uint32_t>(b[1]) << 8) |
                (static_cast<std::uint32_t>(b[2]) << 16) | (static_cast<std::uint32_t>(b[3]) << 24);
  } else {
    fail(where, "unsupported .npy format version " + std::to_string(major) + "." +
                    std::to_string(minor) + " (supported: 1.0, 2.0, 3.0)");
  }
  if (headerLen > kMaxNpyHeader) {
    fail(where, "header length " + std::to_string(headerLen) + " is larger than the 1 MiB limit");
  }
  const std::vector<std::uint8_t> hb = readExact(in, headerLen, where, "the header");
  const std::string_view text(reinterpret_cast<const char*>(hb.data()), hb.size());

  const PyValue top = HeaderParser(text, where).parseTop();
  if (top.kind != PyValue::Kind::Dict) fail(where, "malformed header: not a dictionary");
  const PyValue* descr = nullptr;
  const PyValue* fortran = nullptr;
  const PyValue* shape = nullptr;
  for (std::size_t i = 0; i < top.keys.size(); ++i) {
    if (top.keys[i] == "descr") descr = &top.values[i];
    if (top.keys[i] == "fortran_order") fortran = &top.values[i];
    if (top.keys[i] == "shape") shape = &top.values[i];
  }
  if (!descr) fail(where, "malformed header: no 'descr' key");
  if (!fortran) fail(where, "malformed header: no 'fortran_order' key");
  if (!shape) fail(where, "malformed header: no 'shape' key");
  if (descr->kind == PyValue::Kind::Seq) {
    fail(where, "structured dtypes (record arrays) are not supported");
  }
  if (descr->kind != PyValue::Kind::Str) fail(where, "malformed header: 'descr' is not a string");
  if (fortran->kind != PyValue::Kind::Bool) {
    fail(where, "malformed header: 'fortran_order' is not True/False");
  }
  if (shape->kind != PyValue::Kind::Seq) fail(where, "malformed header: 'shape' is not a tuple");

  NpyHeader h;
  h.dtype = parseDescr(descr->str, where);
  h.fortranOrder = fortran->boolean;
  for (const PyValue& d : shape->items) {
    if (d.kind != PyValue::Kind::Int) fail(where, "malformed header: 'shape' holds a non-integer");
    h.shape.push_back(d.integer);
  }
  h.numel = numelOrFail(h.shape, where);
  // numel <= 2^62 and size <= 8: compute the byte count without overflow.
  if (static_cast<std::uint64_t>(h.numel) > std::numeric_limits<std::uint64_t>::max() / 8) {
    fail(where, "shape overflows");
  }
  h.dataBytes = static_cast<std::uint64_t>(h.numel) * static_cast<std::uint64_t>(h.dtype.size);
  const auto rem = in.remaining();
  if (rem && *rem < h.dataBytes) {
    fail(where, "truncated: shape " + Tensor{"", "", h.shape, {}}.shapeString() + " of " +
                    h.dtype.name + " needs " + std::to_string(h.dataBytes) +
                    " bytes of data but only " + std::to_string(*rem) + " remain");
  }
  return h;
}

std::vector<float> fortranToRowMajor(const std::vector<float>& in,
                                     std::span<const std::int64_t> shape) {
  const std::size_t rank = shape.size();
  if (rank < 2 || in.empty()) return in;
  std::vector<std::int64_t> stride(rank);  // column-major strides
  std::int64_t s = 1;
  for (std::size_t k = 0; k < rank; ++k) {
    stride[k] = s;
    s *= shape[k];
  }
  std::vector<float> out(in.size());
  std::vector<std::int64_t> idx(rank, 0);
  std::int64_t src = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i] = in[static_cast<std::size_t>(src)];
    // Advance the row-major multi-index (last axis fastest), keeping `src` in step.
    for (std::size_t k = rank; k-- > 0;) {
      if (++idx[k] < shape[k]) {
        src += stride[k];
        break;
      }
      src -= stride[k] * (shape[k] - 1);
      idx[k] = 0;
    }
  }
  return out;
}

Tensor readNpyData(ByteStream& in, const NpyHeader& h, const std::string& where) {
  checkLoadable(h.numel, where, "the array");
  Tensor t;
  t.dtype = h.dtype.name;
  t.shape = h.shape;
  readElements(in, h.numel, h.dtype, t.data, where);
  if (h.fortranOrder) t.data = fortranToRowMajor(t.data, t.shape);
  return t;
}

namespace {

std::atomic<bool> gUseMemoryMap{true};

// 1 Mi float32 outputs per chunk: progress about every 4 MiB, cancellation within milliseconds.
constexpr std::int64_t kChunkElements = std::int64_t{1} << 20;

// Owns a read-only descriptor and (optionally) its mapping; unmapped and closed on every path,
// including cancellation and errors.
class MappedFile {
 public:
  ~MappedFile() {
    if (map_ != nullptr) munmap(map_, size_);
    if (fd_ >= 0) ::close(fd_);
  }
  // True when the whole file is mapped. Failing is not an error: the caller reads instead.
  bool map(const std::string& path) {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) return false;
    struct stat st {};
    if (fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) return false;
    if (static_cast<std::uint64_t>(st.st_size) > std::numeric_limits<std::size_t>::max()) {
      return false;
    }
    const auto n = static_cast<std::size_t>(st.st_size);
    // PROT_READ + MAP_PRIVATE: the process can never modify the file through this mapping.
    void* p = mmap(nullptr, n, PROT_READ, MAP_PRIVATE, fd_, 0);
    if (p == MAP_FAILED) return false;
    map_ = p;
    size_ = n;
    // The data is converted front to back exactly once: ask for aggressive read-ahead.
    madvise(map_, size_, MADV_SEQUENTIAL);
    return true;
  }
  std::span<const std::uint8_t> bytes() const {
    return {static_cast<const std::uint8_t*>(map_), size_};
  }
  // Drops the pages before `offset` from this mapping once they are converted, so that the
  // process does not hold the file (in its resident set) and the floats at the same time. The
  // page cache keeps them; nothing is written (the mapping is private and was never modified).
  void release(std::size_t offset) {
    static const long kPage = sysconf(_SC_PAGESIZE);
    if (kPage <= 0) return;
    const std::size_t end =
        offset / static_cast<std::size_t>(kPage) * static_cast<std::size_t>(kPage);
    if (end <= released_) return;
    madvise(static_cast<std::uint8_t*>(map_) + released_, end - released_, MADV_DONTNEED);
    released_ = end;
  }

 private:
  int fd_ = -1;
  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::size_t released_ = 0;
};

// Allocates the float32 buffer after the limit and memory checks and fills it chunk by chunk
// through `fill(firstElement, count, out)`, reporting progress after each chunk.
template <class Fill>
Tensor convertInChunks(const NpyHeader& h, const std::string& path, const LoadProgress& progress,
                       Fill&& fill) {
  checkLoadable(h.numel, path, "the tensor");
  const bool reorder = h.fortranOrder && h.shape.size() >= 2 && h.numel > 0;
  if (reorder) checkMemoryFor(h.numel, path, "the tensor", 2);
  Tensor t;
  t.dtype = h.dtype.name;
  t.shape = h.shape;
  auto outOfMemory = [&]() {
    fail(path, "the tensor has " + std::to_string(h.numel) + " elements and needs " +
                   bytesText(static_cast<std::uint64_t>(h.numel) * 4) +
                   " as float32, but the allocation failed: not enough memory");
  };
  try {
    // Only reserved here: value-initialising the whole buffer up front would touch every page
    // before the first progress report (about 10 s for 2 GiB on a busy machine). Each chunk is
    // zeroed right before it is filled instead, while it is hot in the cache.
    t.data.reserve(static_cast<std::size_t>(h.numel));
  } catch (const std::bad_alloc&) {
    outOfMemory();
  }
  // Reordering Fortran data is a second pass: leave it the last tenth of the bar.
  const double share = reorder ? 0.9 : 1.0;
  std::int64_t done = 0;
  while (done < h.numel) {
    const std::int64_t n = std::min(kChunkElements, h.numel - done);
    t.data.resize(static_cast<std::size_t>(done + n));  // within capacity: never reallocates
    fill(done, static_cast<std::size_t>(n), t.data.data() + done);
    done += n;
    if (progress && !progress(share * static_cast<double>(done) / static_cast<double>(h.numel))) {
      fail(path, "loading cancelled");
    }
  }
  if (reorder) {
    try {
      t.data = fortranToRowMajor(t.data, t.shape);
    } catch (const std::bad_alloc&) {
      outOfMemory();
    }
    if (progress && !progress(1.0)) fail(path, "loading cancelled");
  }
  return t;
}

}  // namespace

Tensor loadNpyFile(const std::string& path, const LoadProgress& progress) {
  if (gUseMemoryMap.load()) {
    MappedFile file;
    if (file.map(path)) {
      const std::span<const std::uint8_t> bytes = file.bytes();
      SpanInput input(bytes);
      RegionStream s(input, 0, input.size());
      const NpyHeader h = readNpyHeader(s, path);  // checks the data is all there
      const std::uint8_t* data = bytes.data() + (bytes.size() - *s.remaining());
      const auto itemSize = static_cast<std::size_t>(h.dtype.size);
      const std::size_t dataOffset = static_cast<std::size_t>(data - bytes.data());
      return convertInChunks(h, path, progress, [&](std::int64_t first, std::size_t n, float* out) {
        const std::size_t at = static_cast<std::size_t>(first) * itemSize;
        // A file truncated under the mapping raises SIGBUS on the first page past its new end;
        // the guard turns that into quant::Error. It leaves with siglongjmp, so the guarded
        // code only converts into the preallocated chunk (no allocation, no destructors).
        const std::uint8_t* src = data + at;
        const DType* dtype = &h.dtype;
        guardMappedRead(path, [src, n, dtype, out]() { convertElements(src, n, *dtype, out); });
        file.release(dataOffset + at + n * itemSize);
      });
    }
  }
  // No mapping (mmap refused, empty file, tests): the same conversion over chunked reads.
  FileInput in(path);
  RegionStream s(in, 0, in.size());
  const NpyHeader h = readNpyHeader(s, path);
  const auto itemSize = static_cast<std::size_t>(h.dtype.size);
  std::vector<std::uint8_t> raw;
  return convertInChunks(h, path, progress, [&](std::int64_t, std::size_t n, float* out) {
    raw.resize(n * itemSize);
    std::size_t got = 0;
    while (got < raw.size()) {
      const std::size_t k = s.read(raw.data() + got, raw.size() - got);
      if (k == 0) fail(path, "read error (the file shrank while it was being read?)");
      got += k;
    }
    convertElements(raw.data(), n, h.dtype, out);
  });
}

}  // namespace detail

using namespace detail;

void setMemoryMapForTests(bool enabled) { gUseMemoryMap.store(enabled); }

Tensor parseNpy(std::span<const std::uint8_t> bytes, const std::string& where) {
  SpanInput input(bytes);
  RegionStream s(input, 0, input.size());
  const NpyHeader h = readNpyHeader(s, where);
  return readNpyData(s, h, where);
}

TensorInfo inspectNpy(std::span<const std::uint8_t> bytes, const std::string& where) {
  SpanInput input(bytes);
  RegionStream s(input, 0, input.size());
  const NpyHeader h = readNpyHeader(s, where);
  return TensorInfo{"", h.dtype.name, h.shape, h.dataBytes};
}

std::vector<std::uint8_t> encodeNpy(const Tensor& t) {
  const std::int64_t n = checkedNumel(t.shape);
  if (static_cast<std::uint64_t>(n) != t.data.size()) {
    throw Error("tensor data has " + std::to_string(t.data.size()) + " values but shape " +
                t.shapeString() + " needs " + std::to_string(n));
  }
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  for (std::size_t i = 0; i < t.shape.size(); ++i) {
    dict += std::to_string(t.shape[i]);
    if (i + 1 < t.shape.size() || t.shape.size() == 1) dict += ",";
    if (i + 1 < t.shape.size()) dict += " ";
  }
  dict += "), }";
  // Pad so that the data starts at a multiple of 64 bytes, as numpy does.
  const std::size_t fixed = 10;  // magic + version + 2-byte length
  std::size_t total = fixed + dict.size() + 1;
  total = (total + 63) / 64 * 64;
  dict.append(total - fixed - dict.size() - 1, ' ');
  dict += '\n';
  if (dict.size() > 0xffff) throw Error("shape too long for a version 1.0 .npy header");

  // Filled by index: GCC 12 warns falsely (-Wstringop-overflow) about vector::insert here.
  std::vector<std::uint8_t> out(total + t.data.size() * 4);
  const std::uint8_t pre[8] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  std::memcpy(out.data(), pre, 8);
  out[8] = static_cast<std::uint8_t>(dict.size() & 0xff);
  out[9] = static_cast<std::uint8_t>(dict.size() >> 8);
  std::memcpy(out.data() + fixed, dict.data(), dict.size());
  std::size_t o = total;
  if (std::endian::native == std::endian::little) {
    if (!t.data.empty()) std::memcpy(out.data() + o, t.data.data(), t.data.size() * 4);
    return out;
  }
  for (float f : t.data) {
    const auto u = std::bit_cast<std::uint32_t>(f);
    for (int k = 0; k < 4; ++k) out[o++] = static_cast<std::uint8_t>(u >> (8 * k));
  }
  return out;
}

}  // namespace quant
