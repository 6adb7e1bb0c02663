// SPDX-License-Identifier: GPL-3.0-or-later
// Shared machinery of the tensor readers and the file-level entry points of tensorio.h:
// format detection, dtype conversion, bounded reading, tensor selection.
#include "quant/io/tensorio.h"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <csetjmp>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <limits>
#include <mutex>
#include <random>

#include "quant/io/dataset.h"
#include "quant/io/tensorio_detail.h"

namespace fs = std::filesystem;

namespace quant {

namespace detail {

void fail(const std::string& where, const std::string& what) { throw Error(where + ": " + what); }

std::string bytesText(std::uint64_t n) {
  static const char* const kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (n < 1024) return std::to_string(n) + " bytes";
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024.0 && u < 6) {
    v /= 1024.0;
    ++u;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
  return std::to_string(n) + " bytes (" + buf + ")";
}

std::int64_t numelOrFail(std::span<const std::int64_t> shape, const std::string& where) {
  try {
    return checkedNumel(shape);
  } catch (const Error& e) {
    fail(where, e.what());
  }
}

void checkLoadable(std::int64_t numel, const std::string& where, const std::string& what) {
  if (numel > kMaxTensorElements) {
    fail(where, what + " has " + std::to_string(numel) +
                    " elements, more than the limit of 2^31 elements (8 GiB as float32)");
  }
  checkMemoryFor(numel, where, what);
}

// Defined in npy.cpp: the memory-mapped .npy loader.
Tensor loadNpyFile(const std::string& path, const LoadProgress& progress);
// loadTensor without the final progress(1.0) report of the non-.npy formats.
Tensor loadTensorWithoutProgress(const std::string& path, const std::string& name,
                                 const LoadProgress& progress);

namespace {

constexpr std::uint64_t kNoTestLimit = std::numeric_limits<std::uint64_t>::max();
std::atomic<std::uint64_t> gTestMemoryLimit{kNoTestLimit};

// "3.2 GB" (decimal units, as memory is sold); small amounts in MB so that they never read 0.0.
std::string gbText(double bytes) {
  char buf[48];
  if (bytes >= 1e9) {
    std::snprintf(buf, sizeof buf, "%.1f GB", bytes / 1e9);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
  }
  return buf;
}

std::optional<std::uint64_t> memAvailableFromProc() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t value = 0;
  std::string unit;
  while (in >> key >> value) {
    std::getline(in, unit);
    if (key == "MemAvailable:") {
      // The kernel reports kB (KiB); guard the multiplication anyway.
      if (value > std::numeric_limits<std::uint64_t>::max() / 1024) return std::nullopt;
      return value * 1024;
    }
  }
  return std::nullopt;
}

}  // namespace

}  // namespace detail

namespace {

// The guard of the calling thread (nullptr: outside guardMappedRead). SIGBUS from a bad page of a
// mapping is delivered to the thread that touched it, so a thread-local jump target suffices.
thread_local sigjmp_buf* tMappedReadJump = nullptr;
struct sigaction gPreviousSigbus {};
std::once_flag gSigbusInstalled;

void onSigbus(int sig, siginfo_t* info, void* ucontext) {
  if (sigjmp_buf* jump = tMappedReadJump) {
    tMappedReadJump = nullptr;
    siglongjmp(*jump, 1);
  }
  // Not a guarded read: whoever handled SIGBUS before us, or the default action (returning
  // re-executes the faulting access, which then kills the process as it always did).
  if ((gPreviousSigbus.sa_flags & SA_SIGINFO) != 0 && gPreviousSigbus.sa_sigaction != nullptr) {
    gPreviousSigbus.sa_sigaction(sig, info, ucontext);
    return;
  }
  if ((gPreviousSigbus.sa_flags & SA_SIGINFO) == 0 && gPreviousSigbus.sa_handler != SIG_DFL &&
      gPreviousSigbus.sa_handler != SIG_IGN) {
    gPreviousSigbus.sa_handler(sig);
    return;
  }
  std::signal(SIGBUS, SIG_DFL);
  if (info == nullptr || info->si_code <= 0) std::raise(SIGBUS);  // sent, not a fault
}

}  // namespace

void guardMappedRead(const std::string& path, void (*read)(void*), void* context) {
  // Installed once and left in place: installing per chunk would race with other threads.
  std::call_once(gSigbusInstalled, [] {
    struct sigaction sa {};
    sa.sa_sigaction = onSigbus;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, &gPreviousSigbus);
  });
  sigjmp_buf jump;
  // savemask = 1: the jump out of the handler also unblocks SIGBUS again for the next guard.
  if (sigsetjmp(jump, 1) != 0) detail::fail(path, "file changed while reading");
  tMappedReadJump = &jump;
  try {
    read(context);
  } catch (...) {
    tMappedReadJump = nullptr;
    throw;
  }
  tMappedReadJump = nullptr;
}

std::optional<std::uint64_t> availableMemory() {
  const std::uint64_t test = detail::gTestMemoryLimit.load();
  if (test != detail::kNoTestLimit) return test;
  if (auto proc = detail::memAvailableFromProc()) return proc;
#ifdef _SC_AVPHYS_PAGES
  const long pages = sysconf(_SC_AVPHYS_PAGES);
  const long pageSize = sysconf(_SC_PAGESIZE);
  if (pages > 0 && pageSize > 0) {
    const auto p = static_cast<std::uint64_t>(pages);
    const auto ps = static_cast<std::uint64_t>(pageSize);
    if (p <= std::numeric_limits<std::uint64_t>::max() / ps) return p * ps;
  }
#endif
  return std::nullopt;
}

void checkMemoryFor(std::int64_t numel, const std::string& where, const std::string& what,
                    int copies) {
  if (numel <= 0) return;
  // numel <= 2^62 (checkedNumel) and copies is small: no overflow in 64 bits for sane callers;
  // doubles keep the comparison safe for any input.
  const double needed = static_cast<double>(numel) * 4.0 * std::max(copies, 1);
  const bool testLimit = detail::gTestMemoryLimit.load() != detail::kNoTestLimit;
  if (!testLimit && needed < 16.0 * 1024 * 1024) return;
  const auto avail = availableMemory();
  if (!avail) return;
  if (needed > static_cast<double>(*avail)) {
    detail::fail(where, what + " has " + std::to_string(numel) + " elements and needs " +
                            detail::gbText(needed) + " as float32" +
                            (copies > 1 ? " (with a second buffer to reorder it)" : "") +
                            ", but only " + detail::gbText(static_cast<double>(*avail)) +
                            " of memory is available");
  }
}

void setAvailableMemoryForTests(std::optional<std::uint64_t> bytes) {
  detail::gTestMemoryLimit.store(bytes ? std::min(*bytes, detail::kNoTestLimit - 1)
                                       : detail::kNoTestLimit);
}

namespace detail {

namespace {

// Assembles an unsigned integer from `size` bytes in the file's byte order, independent of
// the host's byte order.
std::uint64_t loadUnsigned(const std::uint8_t* p, int size, bool bigEndian) {
  std::uint64_t v = 0;
  if (bigEndian) {
    for (int i = 0; i < size; ++i) v = (v << 8) | p[i];
  } else {
    for (int i = size - 1; i >= 0; --i) v = (v << 8) | p[i];
  }
  return v;
}

}  // namespace

float narrow(double d) {
  constexpr double kMax = std::numeric_limits<float>::max();
  if (d > kMax || d < -kMax) {
    // Values that round to FLT_MAX still belong to the finite range.
    const double limit = kMax + std::ldexp(1.0, 127 - 24);  // halfway to the next binade step
    if (d < limit && d > -limit)
      return d > 0 ? std::numeric_limits<float>::max() : -std::numeric_limits<float>::max();
    return d > 0 ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity();
  }
  return static_cast<float>(d);
}

void convertElements(const std::uint8_t* raw, std::size_t count, const DType& dt, float* out) {
  const int sz = dt.size;
  if (dt.kind == DType::Kind::Float && sz == 4 &&
      dt.bigEndian == (std::endian::native == std::endian::big)) {
    if (count) std::memcpy(out, raw, count * 4);  // the common case: no conversion at all
    return;
  }
  for (std::size_t i = 0; i < count; ++i, raw += sz) {
    const std::uint64_t u = loadUnsigned(raw, sz, dt.bigEndian);
    float v = 0.0f;
    switch (dt.kind) {
      case DType::Kind::Float:
        if (sz == 2) {
          v = halfToFloat(static_cast<std::uint16_t>(u));
        } else if (sz == 4) {
          v = std::bit_cast<float>(static_cast<std::uint32_t>(u));
        } else {
          v = narrow(std::bit_cast<double>(u));
        }
        break;
      case DType::Kind::BFloat:
        v = bfloat16ToFloat(static_cast<std::uint16_t>(u));
        break;
      case DType::Kind::F8E4M3:
        v = float8e4m3ToFloat(static_cast<std::uint8_t>(u));
        break;
      case DType::Kind::F8E5M2:
        v = float8e5m2ToFloat(static_cast<std::uint8_t>(u));
        break;
      case DType::Kind::Int: {
        // Sign-extend: C++20 defines unsigned->signed conversion as modular.
        const int shift = 64 - 8 * sz;
        const std::int64_t s = static_cast<std::int64_t>(u << shift) >> shift;
        v = static_cast<float>(s);
        break;
      }
      case DType::Kind::UInt:
        v = static_cast<float>(u);
        break;
      case DType::Kind::Bool:
        v = u != 0 ? 1.0f : 0.0f;
        break;
    }
    out[i] = v;
  }
}

void SpanInput::readAt(std::uint64_t offset, std::uint8_t* dst, std::size_t n) {
  if (offset > bytes_.size() || n > bytes_.size() - offset) {
    throw Error("internal error: read outside buffer");
  }
  if (n) std::memcpy(dst, bytes_.data() + offset, n);
}

FileInput::FileInput(const std::string& path) : path_(path) {
  std::error_code ec;
  const auto st = fs::status(path, ec);
  if (!fs::exists(st)) fail(path, "no such file");
  if (fs::is_directory(st)) fail(path, "is a directory, not a tensor file");
  if (!fs::is_regular_file(st)) fail(path, "is not a regular file");
  const auto sz = fs::file_size(path, ec);
  if (ec) fail(path, "cannot determine the file size: " + ec.message());
  size_ = sz;
  in_.open(path, std::ios::binary);
  if (!in_)
    fail(path, "cannot open the file for reading (" + std::string(std::strerror(errno)) + ")");
}

void FileInput::readAt(std::uint64_t offset, std::uint8_t* dst, std::size_t n) {
  if (n == 0) return;
  if (offset > size_ || n > size_ - offset) fail(path_, "internal error: read past end of file");
  in_.clear();
  in_.seekg(static_cast<std::streamoff>(offset));
  in_.read(reinterpret_cast<char*>(dst), static_cast<std::streamsize>(n));
  if (static_cast<std::size_t>(in_.gcount()) != n) {
    fail(path_, "read error at offset " + std::to_string(offset) +
                    " (the file shrank while it was being read?)");
  }
}

std::size_t RegionStream::read(std::uint8_t* dst, std::size_t n) {
  const std::uint64_t left = end_ - pos_;
  const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(n, left));
  input_.readAt(pos_, dst, k);
  pos_ += k;
  return k;
}

namespace {
constexpr std::size_t kChunk = std::size_t{1} << 20;
}

std::vector<std::uint8_t> readExact(ByteStream& in, std::uint64_t n, const std::string& where,
                                    const std::string& what) {
  const auto rem = in.remaining();
  auto truncated = [&](std::uint64_t have) {
    fail(where, "truncated: " + what + " needs " + std::to_string(n) + " bytes but only " +
                    std::to_string(have) + " remain");
  };
  if (rem && *rem < n) truncated(*rem);
  std::vector<std::uint8_t> out;
  // Trust the size only when it is exact; otherwise grow with the data actually delivered.
  if (in.exact()) out.reserve(static_cast<std::size_t>(n));
  std::uint64_t got = 0;
  while (got < n) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, n - got));
    const std::size_t old = out.size();
    out.resize(old + want);
    const std::size_t k = in.read(out.data() + old, want);
    out.resize(old + k);
    got += k;
    if (k == 0) truncated(got);
  }
  return out;
}

void readElements(ByteStream& in, std::int64_t count, const DType& dt, std::vector<float>& out,
                  const std::string& where) {
  out.clear();
  const std::uint64_t total =
      static_cast<std::uint64_t>(count) * static_cast<std::uint64_t>(dt.size);
  const auto rem = in.remaining();
  if (rem && *rem < total) {
    fail(where, "truncated: data needs " + std::to_string(total) + " bytes but only " +
                    std::to_string(*rem) + " remain");
  }
  if (in.exact()) out.reserve(static_cast<std::size_t>(count));
  const std::size_t perChunk = kChunk / static_cast<std::size_t>(dt.size);
  std::vector<std::uint8_t> raw(std::min<std::uint64_t>(total, perChunk * dt.size));
  std::int64_t done = 0;
  while (done < count) {
    const std::size_t n = static_cast<std::size_t>(
        std::min<std::int64_t>(static_cast<std::int64_t>(perChunk), count - done));
    const std::size_t bytes = n * static_cast<std::size_t>(dt.size);
    std::size_t got = 0;
    while (got < bytes) {
      const std::size_t k = in.read(raw.data() + got, bytes - got);
      if (k == 0) {
        fail(where, "truncated: data needs " + std::to_string(total) + " bytes but only " +
                        std::to_string(static_cast<std::uint64_t>(done) * dt.size + got) +
                        " remain");
      }
      got += k;
    }
    const std::size_t old = out.size();
    out.resize(old + n);
    convertElements(raw.data(), n, dt, out.data() + old);
    done += static_cast<std::int64_t>(n);
  }
}

const TensorInfo& selectTensor(const std::vector<TensorInfo>& infos, const std::string& name,
                               const std::string& where) {
  auto available = [&] {
    std::string s;
    const std::size_t shown = std::min<std::size_t>(infos.size(), 20);
    for (std::size_t i = 0; i < shown; ++i) s += (i ? ", " : "") + infos[i].name;
    if (infos.size() > shown) s += ", ... and " + std::to_string(infos.size() - shown) + " more";
    return s;
  };
  if (name.empty()) {
    if (infos.size() == 1) return infos.front();
    fail(where, "holds " + std::to_string(infos.size()) +
                    " tensors; choose one with FILE:NAME (available: " + available() + ")");
  }
  for (const auto& info : infos) {
    if (info.name == name) return info;
  }
  fail(where, "no tensor named '" + name + "' (available: " + available() + ")");
}

std::string pickleRefusal() {
  return "refusing to load a Python pickle (PyTorch .pt/.pth/.ckpt/.bin or .pkl): unpickling "
         "runs arbitrary code from the file. Export the tensors instead, e.g. "
         "safetensors.torch.save_file(model.state_dict(), \"model.safetensors\") or "
         "numpy.save(\"w.npy\", t.numpy())";
}

}  // namespace detail

using namespace detail;

float halfToFloat(std::uint16_t h) {
  const std::uint32_t sign = (h >> 15) & 1u;
  const std::uint32_t exp = (h >> 10) & 0x1fu;
  const std::uint32_t mant = h & 0x3ffu;
  float v;
  if (exp == 0) {
    v = std::ldexp(static_cast<float>(mant), -24);  // zero or subnormal, exact
  } else if (exp == 31) {
    v = mant == 0 ? std::numeric_limits<float>::infinity()
                  : std::bit_cast<float>(0x7f800000u | (mant << 13));  // keep the nan payload
  } else {
    v = std::bit_cast<float>(((exp - 15 + 127) << 23) | (mant << 13));
  }
  return sign ? -v : v;
}

float bfloat16ToFloat(std::uint16_t bits) {
  return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
}

float float8e4m3ToFloat(std::uint8_t b) {
  const bool neg = (b & 0x80u) != 0;
  const unsigned exp = (b >> 3) & 0xfu;
  const unsigned mant = b & 0x7u;
  float v;
  if (exp == 0xf && mant == 0x7) {
    v = std::numeric_limits<float>::quiet_NaN();
  } else if (exp == 0) {
    v = std::ldexp(static_cast<float>(mant), -9);  // subnormal: mant/8 * 2^(1-7)
  } else {
    v = std::ldexp(static_cast<float>(8 + mant), static_cast<int>(exp) - 7 - 3);
  }
  return neg ? -v : v;
}

float float8e5m2ToFloat(std::uint8_t b) {
  return halfToFloat(static_cast<std::uint16_t>(static_cast<std::uint16_t>(b) << 8));
}

namespace {

std::string lowerExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

bool isPickleExtension(const std::string& ext) {
  return ext == ".pt" || ext == ".pth" || ext == ".pkl" || ext == ".pickle" || ext == ".ckpt";
}

// Checks that `path` names a non-empty regular file; returns its first bytes.
std::vector<std::uint8_t> sniff(const std::string& path, std::uint64_t* sizeOut) {
  FileInput in(path);
  if (in.size() == 0) fail(path, "file is empty");
  std::vector<std::uint8_t> head(
      static_cast<std::size_t>(std::min<std::uint64_t>(in.size(), 4096)));
  in.readAt(0, head.data(), head.size());
  *sizeOut = in.size();
  return head;
}

// IDX file names: "train-images-idx3-ubyte", "t10k-images.idx3-ubyte", "x.idx", each also + .gz.
bool isIdxName(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  return name.ends_with("-ubyte") || name.ends_with(".idx");
}

// 00 00 TYPE RANK with a type code IDX defines and rank 1..4.
bool looksLikeIdx(const std::vector<std::uint8_t>& head) {
  if (head.size() < 4 || head[0] != 0 || head[1] != 0) return false;
  const std::uint8_t t = head[2];
  const bool type = t == 0x08 || t == 0x09 || (t >= 0x0B && t <= 0x0E);
  return type && head[3] >= 1 && head[3] <= 4;
}

std::string readWholeFile(const std::string& path) {
  FileInput in(path);
  if (in.size() > (std::uint64_t{1} << 34)) {
    fail(path, "text file of " + bytesText(in.size()) + " is too large to parse as CSV");
  }
  std::string text(static_cast<std::size_t>(in.size()), '\0');
  in.readAt(0, reinterpret_cast<std::uint8_t*>(text.data()), text.size());
  return text;
}

}  // namespace

TensorFormat detectFormat(const std::string& path) {
  std::uint64_t size = 0;
  const std::vector<std::uint8_t> head = sniff(path, &size);
  const std::string ext = lowerExtension(path);
  // Protobuf has no magic: a model's bytes may even look like another format's header.
  if (ext == ".onnx") return TensorFormat::Onnx;
  static constexpr std::array<std::uint8_t, 6> kNpyMagic{0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (head.size() >= 6 && std::equal(kNpyMagic.begin(), kNpyMagic.end(), head.begin())) {
    return TensorFormat::Npy;
  }
  if (head.size() >= 4 && head[0] == 'P' && head[1] == 'K' &&
      ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6))) {
    return TensorFormat::Npz;  // PyTorch zips are refused while listing members
  }
  if (head.size() >= 2 && head[0] == 0x80 && head[1] >= 2 && head[1] <= 5) {
    fail(path, pickleRefusal());
  }
  if (head.size() >= 9) {
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | head[static_cast<std::size_t>(i)];
    if (n >= 2 && n <= size - 8 && head[8] == '{') return TensorFormat::Safetensors;
  }
  if (looksLikeIdx(head)) return TensorFormat::Idx;
  if (head.size() >= 2 && head[0] == 0x1f && head[1] == 0x8b && isIdxName(path)) {
    return TensorFormat::Idx;
  }
  if (isPickleExtension(ext)) fail(path, pickleRefusal());
  // The magic did not match, but the parser of the format the name promises gives the most
  // specific message ("header length ... exceeds the file size", "wrong magic", ...).
  if (ext == ".npy") return TensorFormat::Npy;
  if (ext == ".npz") return TensorFormat::Npz;
  if (ext == ".safetensors") return TensorFormat::Safetensors;
  if (ext == ".csv" || ext == ".tsv" || ext == ".txt") return TensorFormat::Csv;
  if (isIdxName(path)) return TensorFormat::Idx;
  // A model starts with ir_version (tag byte 0x08), a control character no text file starts
  // with; only then is the whole file parsed.
  if (head[0] == 0x08 && looksLikeOnnx(path)) return TensorFormat::Onnx;
  const bool text = std::none_of(head.begin(), head.end(), [](std::uint8_t c) { return c == 0; });
  if (text) return TensorFormat::Csv;
  fail(path,
       "unrecognised format (wrong magic: not .npy, .npz, .safetensors, .onnx, IDX or CSV text)");
}

std::vector<TensorInfo> listTensors(const std::string& path) {
  switch (detectFormat(path)) {
    case TensorFormat::Npy: {
      FileInput in(path);
      RegionStream s(in, 0, in.size());
      const NpyHeader h = readNpyHeader(s, path);
      return {TensorInfo{"", h.dtype.name, h.shape, h.dataBytes}};
    }
    case TensorFormat::Npz:
      return listNpzFile(path);
    case TensorFormat::Safetensors: {
      FileInput in(path);
      return listSafetensors(in, path);
    }
    case TensorFormat::Csv: {
      const Tensor t = parseCsv(readWholeFile(path), path);
      return {TensorInfo{"", t.dtype, t.shape, static_cast<std::uint64_t>(t.data.size()) * 4}};
    }
    case TensorFormat::Onnx:
      return listOnnxFile(path);
    case TensorFormat::Idx:
      return {inspectIdxFile(path)};
  }
  fail(path, "internal error: unknown format");
}

Tensor loadTensor(const std::string& path, const std::string& name) {
  return loadTensor(path, name, LoadProgress());
}

Tensor loadTensor(const std::string& path, const std::string& name, const LoadProgress& progress) {
  if (!progress) return loadTensorWithoutProgress(path, name, progress);
  // Remembers whether the loader reached 1.0 itself, so that 1.0 is reported exactly once.
  double last = 0.0;
  const LoadProgress tracked = [&](double f) {
    last = f;
    return progress(f);
  };
  Tensor t = loadTensorWithoutProgress(path, name, tracked);
  if (last < 1.0 && !progress(1.0)) fail(path, "loading cancelled");
  return t;
}

namespace detail {
Tensor loadTensorWithoutProgress(const std::string& path, const std::string& name,
                                 const LoadProgress& progress) {
  const TensorFormat format = detectFormat(path);
  auto singleOnly = [&](const char* kind) {
    if (!name.empty()) {
      fail(path, std::string("is a single-tensor ") + kind + " file; it has no tensor named '" +
                     name + "'");
    }
  };
  switch (format) {
    case TensorFormat::Npy: {
      singleOnly(".npy");
      return loadNpyFile(path, progress);
    }
    case TensorFormat::Npz:
      return loadNpzFile(path, name);
    case TensorFormat::Safetensors: {
      FileInput in(path);
      return loadSafetensors(in, name, path);
    }
    case TensorFormat::Csv:
      singleOnly("CSV");
      return parseCsv(readWholeFile(path), path);
    case TensorFormat::Onnx:
      return loadOnnxFile(path, name);
    case TensorFormat::Idx:
      singleOnly("IDX");
      return loadIdx(path);
  }
  fail(path, "internal error: unknown format");
}
}  // namespace detail

Tensor loadTensor(const std::string& spec) {
  std::error_code ec;
  const std::size_t colon = spec.rfind(':');
  if (colon == std::string::npos || colon == 0 || fs::exists(spec, ec)) {
    return loadTensor(spec, "");
  }
  const std::string path = spec.substr(0, colon);
  if (!fs::exists(path, ec)) fail(spec, "no such file");
  return loadTensor(path, spec.substr(colon + 1));
}

void saveNpy(const std::string& path, const Tensor& t) {
  std::vector<std::uint8_t> bytes;
  try {
    bytes = encodeNpy(t);
  } catch (const Error& e) {
    fail(path, e.what());
  }
  const fs::path target(path);
  std::error_code ec;
  if (fs::is_directory(target, ec)) fail(path, "is a directory");
  // A unique sibling name: rename() is atomic only within one file system.
  const std::string tmp = path + ".tmp-" + std::to_string(std::random_device{}() & 0xffffffu);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) fail(path, "cannot create " + tmp + " (" + std::strerror(errno) + ")");
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      fs::remove(tmp, ec);
      fail(path, "write failed (disk full?)");
    }
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    fail(path, "cannot rename the temporary file into place: " + ec.message());
  }
}

}  // namespace quant
