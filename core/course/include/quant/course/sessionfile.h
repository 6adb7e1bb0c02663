// SPDX-License-Identifier: GPL-3.0-or-later
// QuantLab session files (.qlab): what the window shows, saved as JSON so a class can reopen
// exactly the tensor, quantization settings, view and lesson step a teacher prepared.
//
//   {
//     "format": "quantlab-session", "version": 2,
//     "tensor": {"source": "file", "path": "w.npz", "name": "conv1.weight",
//                "data": {"shape": [16, 3, 3, 3], "values": [...]}}   ("data" optional, see below)
//             | {"source": "generate", "distribution": "laplace", "shape": [16, 256], "seed": 1,
//                "mean": 0, "stddev": 1, "low": -1, "high": 1, "loc": 0, "scale": 1,
//                "separation": 3, "outliers": 0, "magnitude": 0}
//             | {"source": "values", "shape": [4], "values": [0.1, 0.2, -0.3, 0.4]}
//             | {"source": "default"},
//     "spec": {"bits": 8, "scheme": "symmetric", "signed": true, "narrow": false,
//              "granularity": "tensor" | "channel:AXIS" | "group:AXIS:SIZE"},
//     "calibration": "minmax" | "percentile:99.9" | ...   (quant::parseCalibration syntax),
//     "range": null | [lo, hi],
//     "probe": 0.1,
//     "view": "histogram",          (optional; "" = none: the view in front)
//     "views": ["histogram", "mapping"],   (optional; the views whose docks are open)
//     "model": null | {"path": "cnn", "layer": "conv1", "layer_source": "weights"},
//                                  (a built-in name or a path relative to the session file)
//     "format_view": "fp16",        (optional; the number format selected in the formats view)
//     "lesson": null | {"id": "uniform-affine", "language": "en", "step": 2}   (step 0-based)
//   }
//
// The parser is plain C++ (no Qt) so it can be fuzzed; every field is checked with the engine's
// own validators (QuantSpec::validate, parseGranularity, parseCalibration, the generator limits),
// so a session file cannot drive the window into an error. Errors are quant::Error with one
// line, e.g. "session file version 3 is newer than this QuantLab (2)".
//
// Sharing: a tensor file's path is written relative to the session file, and a tensor file of at
// most kSessionEmbedMaxValues values also travels inside the session ("data"), so a student who
// only received the .qlab sees the teacher's exact tensor; opening prefers the embedded copy.
// Version 1 files (no "data", "views" or "model") still open.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quant/numeric/calibrate.h"
#include "quant/numeric/generate.h"
#include "quant/numeric/quantize.h"

namespace quant {

inline constexpr int kSessionFileVersion = 2;
inline constexpr std::size_t kSessionMaxBytes = 64 * 1024 * 1024;
// Literal values stored in the file (a larger tensor should be saved as a file source).
inline constexpr std::size_t kSessionMaxValues = std::size_t{1} << 22;
// A tensor file with at most this many values is embedded (1 Mi values: 4 MiB as float32, at most
// about 16 MB of JSON, well under kSessionMaxBytes); a larger one is saved as its path only.
inline constexpr std::size_t kSessionEmbedMaxValues = std::size_t{1} << 20;
// Generated tensors: the same cap as the lesson `generate` action.
inline constexpr std::int64_t kSessionMaxGenerated = std::int64_t{1} << 24;

enum class TensorSourceKind { Default, File, Generator, Values };

struct SessionTensorSource {
  TensorSourceKind kind = TensorSourceKind::Default;
  std::string path;        // File
  std::string tensorName;  // File: "" = the file's only / first tensor
  GeneratorSpec generator; // Generator
  // Values; File: the embedded copy of the data (empty when the file was too big to embed).
  std::vector<std::int64_t> shape;  // product == values.size()
  std::vector<float> values;
};

struct SessionLessonRef {
  std::string id;
  std::string language = "en";
  int step = 0;  // 0-based
};

// The model the model views show, and the layer whose tensor the tensor views show (if any).
struct SessionModelRef {
  std::string path;          // a built-in model name ("mlp", "cnn") or an .onnx path
  std::string layer;         // "" = none selected
  bool activations = false;  // the layer's outputs rather than its weights
};

struct SessionState {
  SessionTensorSource tensor;
  QuantSpec spec;
  CalibrationConfig calibration;
  std::optional<Range> manualRange;
  double probe = 0.1;
  std::string view;         // "" = unchanged
  std::string formatView;   // "" = unchanged
  std::vector<std::string> openViews;  // empty = unchanged (a version 1 file)
  std::optional<SessionModelRef> model;
  std::optional<SessionLessonRef> lesson;
};

// Parses a session file. Throws quant::Error (one line, without a file name) when the text is
// not JSON, not a QuantLab session, from a newer version, or any field is invalid.
SessionState parseSessionFile(std::string_view text);
// Serializes (pretty-printed JSON, trailing newline). Throws quant::Error for a state that would
// not parse back (e.g. NaN values, an invalid spec).
std::string writeSessionFile(const SessionState& state);

// "tensor", "channel:AXIS", "group:AXIS:SIZE": the inverse of parseGranularity.
std::string granularityText(const QuantSpec& spec);

}  // namespace quant
