// SPDX-License-Identifier: GPL-3.0-or-later
// IDX reading (plain and gzip) and the Fashion-MNIST loader; see dataset.h.
#include "quant/io/dataset.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <limits>

#include "quant/io/tensorio_detail.h"

namespace fs = std::filesystem;

namespace quant {

namespace {

using detail::DType;
using detail::fail;

constexpr std::size_t kInflateChunk = std::size_t{1} << 20;

// The element type of an IDX type code, or false for codes the format does not define.
bool idxType(std::uint8_t code, DType* out) {
  DType d;
  d.bigEndian = true;
  switch (code) {
    case 0x08:
      d.kind = DType::Kind::UInt, d.size = 1, d.name = "uint8";
      break;
    case 0x09:
      d.kind = DType::Kind::Int, d.size = 1, d.name = "int8";
      break;
    case 0x0B:
      d.kind = DType::Kind::Int, d.size = 2, d.name = "int16";
      break;
    case 0x0C:
      d.kind = DType::Kind::Int, d.size = 4, d.name = "int32";
      break;
    case 0x0D:
      d.kind = DType::Kind::Float, d.size = 4, d.name = "float32";
      break;
    case 0x0E:
      d.kind = DType::Kind::Float, d.size = 8, d.name = "float64";
      break;
    default:
      return false;
  }
  if (out) *out = d;
  return true;
}

std::string hexByte(std::uint8_t b) {
  static const char* const kDigits = "0123456789abcdef";
  return {kDigits[b >> 4], kDigits[b & 15]};
}

std::string shapeText(const std::vector<std::int64_t>& shape) {
  Tensor t;
  t.shape = shape;
  return t.shapeString();
}

struct IdxHeader {
  DType dtype;
  std::vector<std::int64_t> shape;
  std::int64_t numel = 0;
  std::uint64_t headerBytes = 0;
  std::uint64_t dataBytes = 0;
};

// Reads and checks the header: the data the header declares must be exactly the rest of `in`.
IdxHeader readIdxHeader(detail::RandomAccess& in, const std::string& where) {
  const std::uint64_t size = in.size();
  if (size < 4) {
    fail(where, "truncated: an IDX header needs 4 bytes but the file has " + std::to_string(size));
  }
  std::uint8_t magic[4];
  in.readAt(0, magic, 4);
  IdxHeader h;
  if (magic[0] != 0 || magic[1] != 0) {
    fail(where, "wrong magic " + hexByte(magic[0]) + " " + hexByte(magic[1]) + " " +
                    hexByte(magic[2]) + " " + hexByte(magic[3]) +
                    ": not an IDX file (expected 00 00 TYPE RANK)");
  }
  if (!idxType(magic[2], &h.dtype)) {
    fail(where, "unknown IDX type code 0x" + hexByte(magic[2]) +
                    " (known: 08 uint8, 09 int8, 0b int16, 0c int32, 0d float32, 0e float64)");
  }
  const int rank = magic[3];
  if (rank < 1 || rank > 4) {
    fail(where, "IDX rank " + std::to_string(rank) + " is not supported (1..4)");
  }
  h.headerBytes = 4 + 4 * static_cast<std::uint64_t>(rank);
  if (size < h.headerBytes) {
    fail(where, "truncated: the IDX header of rank " + std::to_string(rank) + " needs " +
                    std::to_string(h.headerBytes) + " bytes but the file has " +
                    std::to_string(size));
  }
  std::uint8_t dims[16];
  in.readAt(4, dims, static_cast<std::size_t>(4 * rank));
  for (int i = 0; i < rank; ++i) {
    const std::uint8_t* p = dims + 4 * i;
    const std::uint32_t d = (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                            (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
    h.shape.push_back(static_cast<std::int64_t>(d));
  }
  h.numel = detail::numelOrFail(h.shape, where);
  const std::uint64_t avail = size - h.headerBytes;
  const auto item = static_cast<std::uint64_t>(h.dtype.size);
  // Compare by division: numel * itemsize may exceed 2^64.
  if (static_cast<std::uint64_t>(h.numel) > avail / item) {
    fail(where, "truncated: shape " + shapeText(h.shape) + " of " + h.dtype.name + " needs " +
                    std::to_string(h.numel) + " x " + std::to_string(item) +
                    " bytes of data but only " + std::to_string(avail) + " remain");
  }
  h.dataBytes = static_cast<std::uint64_t>(h.numel) * item;
  if (avail > h.dataBytes) {
    fail(where, "trailing bytes after the " + std::to_string(h.dataBytes) +
                    " bytes of data of shape " + shapeText(h.shape) + " " + h.dtype.name +
                    " (wrong shape in the header, or not an IDX file)");
  }
  detail::checkLoadable(h.numel, where, "shape " + shapeText(h.shape));
  return h;
}

Tensor readIdx(detail::RandomAccess& in, const std::string& where) {
  const IdxHeader h = readIdxHeader(in, where);
  detail::RegionStream s(in, h.headerBytes, in.size());
  Tensor t;
  t.dtype = h.dtype.name;
  t.shape = h.shape;
  detail::readElements(s, h.numel, h.dtype, t.data, where);
  return t;
}

TensorInfo infoOf(const IdxHeader& h) { return TensorInfo{"", h.dtype.name, h.shape, h.dataBytes}; }

bool isGzip(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b;
}

// Inflates gzip/zlib data in chunks. `stopAt(out)` may lower the output size at which inflating
// stops early (returning what was produced so far); beyond `maxBytes` it fails.
std::vector<std::uint8_t> inflateImpl(
    std::span<const std::uint8_t> in, const std::string& where, std::uint64_t maxBytes,
    const std::function<std::uint64_t(const std::vector<std::uint8_t>&)>& stopAt) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) fail(where, "cannot initialise zlib");
  struct Guard {
    z_stream* z;
    ~Guard() { inflateEnd(z); }
  } guard{&zs};

  std::vector<std::uint8_t> out;
  std::size_t inPos = 0;
  auto refill = [&] {
    if (zs.avail_in == 0 && inPos < in.size()) {
      // avail_in is 32 bits: feed huge inputs in 1 GiB pieces.
      const std::size_t take = std::min<std::size_t>(in.size() - inPos, std::size_t{1} << 30);
      zs.next_in = const_cast<Bytef*>(in.data() + inPos);
      zs.avail_in = static_cast<uInt>(take);
      inPos += take;
    }
  };
  auto inputLeft = [&] { return zs.avail_in > 0 || inPos < in.size(); };
  int stalls = 0;
  for (;;) {
    if (out.size() > maxBytes) {
      fail(where, "gzip data inflates to more than " + detail::bytesText(maxBytes) +
                      ", the limit for compressed files");
    }
    refill();
    const std::size_t old = out.size();
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(kInflateChunk, maxBytes + 1 - old));
    out.resize(old + want);
    zs.next_out = out.data() + old;
    zs.avail_out = static_cast<uInt>(want);
    const uInt inBefore = zs.avail_in;
    const int ret = inflate(&zs, Z_NO_FLUSH);
    out.resize(old + (want - zs.avail_out));
    const bool progress = out.size() != old || zs.avail_in != inBefore;
    // Checked after every step, so a header declaring too much fails even when the stream is short.
    if (stopAt && out.size() >= stopAt(out)) return out;
    if (ret == Z_STREAM_END) {
      refill();
      if (!inputLeft()) break;
      // Another gzip member may follow (gzip concatenates them); anything else is garbage.
      if (zs.next_in[0] != 0x1f) {
        fail(where, "unexpected bytes after the end of the gzip data");
      }
      if (inflateReset(&zs) != Z_OK) fail(where, "cannot reset zlib");
      continue;
    }
    if (ret == Z_BUF_ERROR || (ret == Z_OK && !progress)) {
      if (!inputLeft()) {
        fail(where, "truncated gzip data (inflated " + std::to_string(out.size()) +
                        " bytes before the compressed data ended)");
      }
      if (++stalls > 4) fail(where, "corrupt gzip data (inflate makes no progress)");
      continue;
    }
    if (ret != Z_OK) {
      fail(where, std::string("corrupt gzip data: ") + (zs.msg ? zs.msg : "inflate failed"));
    }
    stalls = 0;
  }
  if (out.size() > maxBytes) {
    fail(where, "gzip data inflates to more than " + detail::bytesText(maxBytes) +
                    ", the limit for compressed files");
  }
  return out;
}

// Inflates a compressed IDX file, stopping one byte past the size its header declares (enough to
// report trailing bytes) and refusing headers that declare more than kMaxIdxInflatedBytes.
std::vector<std::uint8_t> inflateIdx(std::span<const std::uint8_t> bytes,
                                     const std::string& where) {
  constexpr std::uint64_t kNoStop = std::numeric_limits<std::uint64_t>::max();
  auto stopAt = [&](const std::vector<std::uint8_t>& out) -> std::uint64_t {
    if (out.size() < 4) return kNoStop;
    DType dt;
    if (out[0] != 0 || out[1] != 0 || !idxType(out[2], &dt) || out[3] < 1 || out[3] > 4) {
      return 4;  // a bad header: the parser explains it
    }
    const std::uint64_t headerBytes = 4 + 4 * std::uint64_t{out[3]};
    if (out.size() < headerBytes) return kNoStop;
    const std::uint64_t limit = kMaxIdxInflatedBytes - headerBytes;
    std::uint64_t bytes = static_cast<std::uint64_t>(dt.size);
    bool zero = false;
    bool tooBig = false;
    for (std::uint64_t i = 0; i < out[3]; ++i) {
      const std::uint8_t* p = out.data() + 4 + 4 * i;
      const std::uint64_t d = (std::uint64_t{p[0]} << 24) | (std::uint64_t{p[1]} << 16) |
                              (std::uint64_t{p[2]} << 8) | std::uint64_t{p[3]};
      if (d == 0) zero = true;
      if (!tooBig && d != 0 && bytes > limit / d) tooBig = true;
      if (!tooBig) bytes *= d;
    }
    if (zero) bytes = 0;
    if (tooBig && !zero) {
      std::vector<std::int64_t> shape;
      for (std::uint64_t i = 0; i < out[3]; ++i) {
        const std::uint8_t* p = out.data() + 4 + 4 * i;
        shape.push_back((std::int64_t{p[0]} << 24) | (std::int64_t{p[1]} << 16) |
                        (std::int64_t{p[2]} << 8) | std::int64_t{p[3]});
      }
      fail(where, "header declares shape " + shapeText(shape) + " of " + dt.name +
                      ", more than the " + detail::bytesText(kMaxIdxInflatedBytes) +
                      " a compressed IDX file may inflate to");
    }
    return headerBytes + bytes + 1;
  };
  return inflateImpl(bytes, where, kMaxIdxInflatedBytes, stopAt);
}

std::vector<std::uint8_t> readFileBytes(const std::string& path) {
  detail::FileInput in(path);
  // Deflate never expands data by more than a few bytes per 16 KiB block, so a compressed file
  // far larger than the inflation cap cannot be valid.
  if (in.size() > 2 * kMaxIdxInflatedBytes) {
    fail(path,
         "file of " + detail::bytesText(in.size()) + " is too large for a compressed IDX file");
  }
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(in.size()));
  in.readAt(0, bytes.data(), bytes.size());
  return bytes;
}

bool fileIsGzip(detail::FileInput& in) {
  if (in.size() < 2) return false;
  std::uint8_t m[2];
  in.readAt(0, m, 2);
  return m[0] == 0x1f && m[1] == 0x8b;
}

}  // namespace

std::vector<std::uint8_t> inflateBytes(std::span<const std::uint8_t> compressed,
                                       const std::string& where, std::uint64_t maxBytes) {
  return inflateImpl(compressed, where, maxBytes, nullptr);
}

Tensor parseIdx(std::span<const std::uint8_t> bytes, const std::string& where) {
  if (isGzip(bytes)) {
    const std::vector<std::uint8_t> raw = inflateIdx(bytes, where);
    detail::SpanInput in(raw);
    return readIdx(in, where);
  }
  detail::SpanInput in(bytes);
  return readIdx(in, where);
}

TensorInfo inspectIdx(std::span<const std::uint8_t> bytes, const std::string& where) {
  if (isGzip(bytes)) {
    const std::vector<std::uint8_t> raw = inflateIdx(bytes, where);
    detail::SpanInput in(raw);
    return infoOf(readIdxHeader(in, where));
  }
  detail::SpanInput in(bytes);
  return infoOf(readIdxHeader(in, where));
}

Tensor loadIdx(const std::string& path) {
  {
    detail::FileInput in(path);
    // Plain files are read in bounded chunks straight from disk.
    if (!fileIsGzip(in)) return readIdx(in, path);
  }
  return parseIdx(readFileBytes(path), path);
}

TensorInfo inspectIdxFile(const std::string& path) {
  {
    detail::FileInput in(path);
    if (!fileIsGzip(in)) return infoOf(readIdxHeader(in, path));
  }
  return inspectIdx(readFileBytes(path), path);
}

const std::vector<std::string>& fashionMnistClassNames() {
  static const std::vector<std::string> kNames = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                                  "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                                  "Bag",         "Ankle boot"};
  return kNames;
}

Dataset makeFashionMnist(Tensor images, const Tensor& labels, const std::string& imagesWhere,
                         const std::string& labelsWhere) {
  if (images.dtype != "uint8" || images.shape.size() != 3) {
    fail(imagesWhere,
         "expected unsigned-byte images [n, rows, cols] (IDX magic 00 00 08 03), got " +
             images.dtype + " " + images.shapeString());
  }
  if (labels.dtype != "uint8" || labels.shape.size() != 1) {
    fail(labelsWhere, "expected unsigned-byte labels [n] (IDX magic 00 00 08 01), got " +
                          labels.dtype + " " + labels.shapeString());
  }
  const std::int64_t n = images.shape[0];
  if (labels.shape[0] != n) {
    fail(imagesWhere, "has " + std::to_string(n) + " images but " + labelsWhere + " has " +
                          std::to_string(labels.shape[0]) + " labels");
  }
  if (n > 0 && (images.shape[1] == 0 || images.shape[2] == 0)) {
    fail(imagesWhere, "images of " + std::to_string(images.shape[1]) + " x " +
                          std::to_string(images.shape[2]) + " pixels are empty");
  }
  const std::size_t classes = fashionMnistClassNames().size();
  Dataset ds;
  ds.labels.resize(labels.data.size());
  for (std::size_t i = 0; i < labels.data.size(); ++i) {
    // uint8 values arrive as exact integers 0..255, so the comparison and cast are exact.
    const float v = labels.data[i];
    if (!(v >= 0.0f && v < static_cast<float>(classes))) {
      fail(labelsWhere, "label " + std::to_string(static_cast<int>(v)) + " at index " +
                            std::to_string(i) + " is not a class index (0.." +
                            std::to_string(classes - 1) + ")");
    }
    ds.labels[i] = static_cast<std::uint8_t>(v);
  }
  // Division (not multiplication by 1/255) so every pixel is the correctly rounded p / 255.
  for (float& v : images.data) v /= 255.0f;
  images.shape = {n, 1, images.shape[1], images.shape[2]};
  ds.images = std::move(images);
  ds.classNames = fashionMnistClassNames();
  return ds;
}

Dataset loadFashionMnist(const std::string& dir, Split split) {
  const std::string prefix = split == Split::Train ? "train" : "t10k";
  auto find = [&](const std::string& kind, const std::string& idx) -> std::string {
    for (const std::string& name :
         {prefix + "-" + kind + "-" + idx + "-ubyte", prefix + "-" + kind + "." + idx + "-ubyte"}) {
      for (const char* suffix : {"", ".gz"}) {
        const fs::path p = fs::path(dir) / (name + suffix);
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) return p.string();
      }
    }
    return {};
  };
  const std::string imagesPath = find("images", "idx3");
  const std::string labelsPath = find("labels", "idx1");
  if (imagesPath.empty() || labelsPath.empty()) {
    std::string missing = imagesPath.empty() ? prefix + "-images-idx3-ubyte[.gz]" : "";
    if (labelsPath.empty()) {
      missing += (missing.empty() ? "" : ", ") + prefix + "-labels-idx1-ubyte[.gz]";
    }
    throw Error("Fashion-MNIST not found in " + dir +
                ": install it with `sudo apt-get install dataset-fashion-mnist` or pass a "
                "directory of IDX files (missing " +
                missing + ")");
  }
  const Tensor labels = loadIdx(labelsPath);
  Tensor images = loadIdx(imagesPath);
  return makeFashionMnist(std::move(images), labels, imagesPath, labelsPath);
}

}  // namespace quant
