// SPDX-License-Identifier: GPL-3.0-or-later
// Reading and writing tensor files: .npy, .npz, .safetensors, numeric CSV/TSV, IDX (MNIST's
// format, plain or .gz; parsers in dataset.h), and the weights (graph initializers and Constant
// nodes) of ONNX models (read only).
//
// Every value is converted to float32 on load (Tensor::data); the dtype the tensor had in
// its file is kept in Tensor::dtype ("float16", "bfloat16", "int8", ...). Conversions:
//   - float16 / bfloat16 / float8 widen to float32 exactly (subnormals, inf and nan kept);
//   - float64 narrows with round-to-nearest-ties-to-even; values beyond the float32 range
//     become +-inf (never undefined behaviour);
//   - int32 / int64 / uint32 / uint64 convert with round-to-nearest-ties-to-even, so integers
//     above 2^24 may lose their low bits; bool becomes 0 or 1.
//
// Safety: files are untrusted. Every size in a header is checked against the bytes that are
// really there BEFORE anything is allocated, a single tensor is capped at kMaxTensorElements
// and at the memory available (checkMemoryFor), and every problem is reported as ONE
// quant::Error whose message starts with the file name ("w.npy: truncated: data needs 48 bytes
// but only 12 remain"). Python pickles (.pt, .pth, .pkl, .ckpt and PyTorch zip archives) are
// refused, because unpickling runs arbitrary code.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "quant/base/tensor.h"

namespace quant {

// The largest tensor any loader produces (8 GiB of float32). Larger tensors are refused with
// a clear message instead of an allocation the machine cannot satisfy.
inline constexpr std::int64_t kMaxTensorElements = std::int64_t{1} << 31;

enum class TensorFormat { Npy, Npz, Safetensors, Csv, Onnx, Idx };

// What a file holds, without its data.
struct TensorInfo {
  std::string name;                 // "" for single-tensor files (.npy, .csv)
  std::string dtype;                // dtype in the file, e.g. "float16"
  std::vector<std::int64_t> shape;  // empty = scalar
  std::uint64_t byteSize = 0;       // numel * itemsize as stored (CSV: numel * 4, as float32)
};

// Detects the format of a file: the extension .onnx first (protobuf has no magic bytes), then
// magic bytes (\x93NUMPY, a zip "PK" signature, the safetensors length+'{' prefix, the IDX
// 00 00 TYPE RANK header, gzip 1f 8b under an IDX name), the extension (.npy, .npz,
// .safetensors, .csv, .tsv, .txt; IDX: .idx or "-ubyte", optionally + .gz; see dataset.h),
// then a file that parses as an ONNX
// ModelProto with ir_version and graph, and finally "looks like text" => CSV. Throws for
// pickles, directories, missing or empty files and unrecognised data.
TensorFormat detectFormat(const std::string& path);

// Lists every tensor of a file (one entry for .npy/.csv) without loading tensor data:
// only headers are read (CSV has no header, so CSV files are parsed).
std::vector<TensorInfo> listTensors(const std::string& path);

// Loads one tensor. `spec` is "FILE" or "FILE:NAME". The whole spec is tried as a path first,
// so paths containing ':' work; otherwise the text after the last ':' is the tensor name.
// A multi-tensor file without a name loads its tensor only if it holds exactly one; otherwise
// the error lists the available names.
Tensor loadTensor(const std::string& spec);

// Loads tensor `name` of `path` ("" = the only tensor of the file).
Tensor loadTensor(const std::string& path, const std::string& name);

// Reports how far a load is, as a fraction in (0, 1]; returning false cancels the load, which
// then throws quant::Error("<path>: loading cancelled") and keeps nothing of the tensor. Called
// on the loading thread, from the conversion loop (about every 4 MiB of output), with values
// that never decrease and end with exactly 1.0 when the load succeeds.
using LoadProgress = std::function<bool(double fraction)>;

// As above with progress and cancellation. .npy files are read through a read-only private
// memory map (mmap PROT_READ + MAP_PRIVATE; the file is never written) and converted to float32
// in chunks; when the map fails the file is read in chunks instead, with the same result bit
// for bit. The other formats report 1.0 once their tensor is complete (no finer progress).
// Before the float32 buffer is allocated, its size is compared with the memory available
// (see checkMemoryFor), so a tensor too large for the machine is refused with a message
// instead of std::bad_alloc or the OOM killer.
Tensor loadTensor(const std::string& path, const std::string& name, const LoadProgress& progress);

// The memory the system can still give this process without swapping, in bytes: MemAvailable
// from /proc/meminfo, else sysconf(_SC_AVPHYS_PAGES) * page size; nullopt when neither is
// known (the check is then skipped). A limit set by setAvailableMemoryForTests wins.
std::optional<std::uint64_t> availableMemory();

// Throws quant::Error("<where>: <what> has N elements and needs X GB as float32, but only Y GB
// of memory is available") when numel float32 values (times `copies`, for loaders that need a
// second buffer, e.g. to reorder Fortran-order data) do not fit into availableMemory(). Small
// tensors (under 16 MiB) are not checked unless a test limit is set: reading /proc per tiny
// tensor would slow the parsers (and their fuzzers) for nothing. Every loader calls this
// through its size check, after the kMaxTensorElements limit.
void checkMemoryFor(std::int64_t numel, const std::string& where, const std::string& what,
                    int copies = 1);

// FOR TESTS ONLY: pretend that only `bytes` of memory are available (nullopt = the real value
// again). Process-wide, not synchronised with loads running on other threads.
void setAvailableMemoryForTests(std::optional<std::uint64_t> bytes);
// FOR TESTS ONLY: false makes the .npy loader skip mmap and use its chunked stream reads, so
// tests can compare both paths.
void setMemoryMapForTests(bool enabled);

// Runs read(context), which reads a memory mapping of `path` on the calling thread. If the file
// shrinks under the mapping meanwhile (another process truncates or rewrites it), touching a
// page past its new end raises SIGBUS; inside the guard that becomes
// quant::Error("<path>: file changed while reading") instead of killing the process. `read` is
// left with siglongjmp, so nothing in it may need a destructor (plain loops and conversions
// into preallocated memory); guards do not nest. A SIGBUS anywhere else goes to the handler
// that was installed before the first guard (by default the process still dies).
void guardMappedRead(const std::string& path, void (*read)(void*), void* context);
template <class F>
void guardMappedRead(const std::string& path, F&& read) {
  using Fn = std::remove_reference_t<F>;
  guardMappedRead(
      path, [](void* f) { (*static_cast<Fn*>(f))(); },
      const_cast<void*>(static_cast<const void*>(&read)));
}

// Writes `t` as .npy version 1.0, '<f4', C order. The bytes go to a temporary file in the
// same directory which is then renamed over `path`, so a crash never leaves a half-written
// file. Throws quant::Error (message starts with `path`) when t.data.size() != numel or the
// file cannot be written.
void saveNpy(const std::string& path, const Tensor& t);

// The bytes saveNpy writes.
std::vector<std::uint8_t> encodeNpy(const Tensor& t);

// ---- In-memory parsers (used by the loaders above and directly by the fuzzers). ----
// `where` is the file name that starts every error message.

Tensor parseNpy(std::span<const std::uint8_t> bytes, const std::string& where);
TensorInfo inspectNpy(std::span<const std::uint8_t> bytes, const std::string& where);

std::vector<TensorInfo> listNpz(std::span<const std::uint8_t> bytes, const std::string& where);
Tensor parseNpz(std::span<const std::uint8_t> bytes, const std::string& name,
                const std::string& where);

std::vector<TensorInfo> listSafetensors(std::span<const std::uint8_t> bytes,
                                        const std::string& where);
Tensor parseSafetensors(std::span<const std::uint8_t> bytes, const std::string& name,
                        const std::string& where);

// ONNX ModelProto bytes (at most 2 GiB, protobuf's limit). Lists graph.initializer in file
// order, then the tensors of the main graph's Constant nodes (attribute value / value_float(s)
// / value_int(s)), named by the node's output; a repeated name keeps its first definition.
// Listing checks every shape and data size (raw_data = numel * itemsize little-endian bytes,
// or exactly numel entries in the typed field the ONNX spec assigns to the dtype) and lists,
// but loading refuses with a message naming the tensor: external data, strings, complex,
// float8 FNUZ variants and unknown data types. Integer bit patterns in int32_data (float16,
// bfloat16, float8, int8, ...) outside their type's range are refused.
std::vector<TensorInfo> listOnnx(std::span<const std::uint8_t> bytes, const std::string& where);
Tensor parseOnnx(std::span<const std::uint8_t> bytes, const std::string& name,
                 const std::string& where);

// Numeric CSV/TSV. The delimiter (tab, ';', ',' or runs of whitespace) is detected from the
// first data line; a first line with non-numeric fields is a header and is skipped; lines
// starting with '#' and blank lines are ignored; "nan", "inf", "-inf" (any case) are accepted;
// with ';' as delimiter a decimal comma ("1,5") is accepted. The result always has shape
// [rows, cols], even for a single column. Ragged rows are an error naming the line.
Tensor parseCsv(std::string_view text, const std::string& where);

// ---- Scalar conversions (exact; exposed for tests). ----
float halfToFloat(std::uint16_t bits);       // IEEE binary16, incl. subnormals, inf, nan
float bfloat16ToFloat(std::uint16_t bits);   // upper half of a binary32
float float8e4m3ToFloat(std::uint8_t bits);  // OCP E4M3FN: bias 7, no inf, S.1111.111 = nan
float float8e5m2ToFloat(std::uint8_t bits);  // OCP E5M2: bias 15, IEEE-like inf/nan

}  // namespace quant
