// SPDX-License-Identifier: GPL-3.0-or-later
// A user's data set for a model of any input shape: loading, fitting, normalisation, splits.
//
// Sources (loadUserData):
//   FILE.npz            inputs `x` [n, ...] and optional integer labels `y` [n]
//   FILE.npy            inputs only
//   IMAGES-idx3-ubyte   an IDX pair (plain or .gz): labels from `labelsPath`, else the same name
//                       with "images" -> "labels" and "idx3" -> "idx1" when that file exists
//   DIR                 an MNIST-style directory ({train,t10k}-{images,labels}-idx*-ubyte):
//                       the training split calibrates/trains, the test split evaluates
//   DIR/<class>/*.png   a folder of PNG/JPEG images, one sub-folder per class (sorted names)
// Samples become [n] + the model's input shape. Inputs [n, F] or [n, ...] with the input's value
// count are reshaped; images ([n, H, W], [n, C, H, W] or NHWC [n, H, W, C] with C 1 or 3) are
// fitted one by one (image.h: channels, then size by ImageFit) to a [C, H, W] input.
//
// Values: x' = (x / divisor - mean[c]) / std[c], in float32 in that order, c the channel (dim 1 of
// [n, C, H, W]; for [F] inputs one mean/std for all or one per feature). The divisor defaults to
// 255 for 8-bit sources (IDX uint8, images, npy uint8) and 1 otherwise; every step is skipped
// when it is the identity, so Fashion-MNIST loads exactly as loadFashionMnist (p / 255).
//
// Normalisation file: NAME.normalization.json beside NAME.onnx, e.g.
//   {"scale": "1/255", "mean": [0.4914, 0.4822, 0.4465], "std": [0.247, 0.243, 0.261]}
// ("scale" a number or "1/D"; every key optional).
//
// Every problem is ONE quant::Error that starts with the offending file's path.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "quant/io/dataset.h"
#include "quant/io/image.h"

namespace quant {

struct Normalization {
  std::optional<double> divisor;  // none: 255 for 8-bit sources, 1 otherwise
  std::vector<float> mean, std;   // one value, or one per channel; empty: 0 and 1

  bool operator==(const Normalization&) const = default;
  std::string describe() const;  // "scale 1/255, mean [0.5, 0.5, 0.5], std [0.25, 0.25, 0.25]"
};

// "1/255" or "0.5" -> the divisor (255, 2). Throws quant::Error for non-positive or bad text.
double parseScaleDivisor(const std::string& text);
// "0.5,0.4,0.3" -> {0.5f, 0.4f, 0.3f}.
std::vector<float> parseFloatList(const std::string& text);
Normalization parseNormalizationJson(const std::string& text, const std::string& where);
Normalization loadNormalizationFile(const std::string& path);
// NAME.normalization.json for NAME.onnx (or FILE + ".normalization.json" without .onnx).
std::string normalizationPathFor(const std::string& modelPath);
// The file beside the model when it exists, else the identity (nothing set).
Normalization normalizationBeside(const std::string& modelPath);

// Applies `norm` in place to samples [n] + inputShape; `eightBit` picks the default divisor.
void normalizeSamples(Tensor& samples, const Normalization& norm, bool eightBit,
                      const std::string& where);

struct DataOptions {
  std::vector<std::int64_t> inputShape;  // the model's per-sample input ([C, H, W] or [F])
  std::int64_t classes = 0;              // the model's outputs; labels must be below
  ImageFit fit = ImageFit::Exact;
  std::string labelsPath;  // IDX labels (default: found beside the images file)
  Normalization norm;
  // Called with the fraction done (image folders, fitting); returning false cancels (throws
  // quant::Error "<path>: cancelled").
  std::function<bool(double)> progress;
};

struct UserData {
  std::string path;
  std::string format;  // "npz", "npy", "idx", "mnist-directory", "image-folder"
  Dataset samples;     // the whole set (an MNIST-style directory: its test split)
  Dataset train;       // an MNIST-style directory's training split; else empty
  bool labelled = false;
  std::vector<std::int64_t> storedShape;  // one sample as stored, before fitting
  std::string describe() const;  // "1000 samples [3, 32, 32], 10 classes, from x.npz (npz)"
};

UserData loadUserData(const std::string& path, const DataOptions& options);

// A half-open range of sample indices.
struct SampleRange {
  std::int64_t first = 0, count = 0;
  std::int64_t end() const { return first + count; }
};
// "A:B" (samples A..B-1), "A:" (A to the end), ":B" (the first B), "N" (the first N) over n.
SampleRange parseSampleRange(const std::string& text, std::int64_t n);
std::string sampleRangeText(const SampleRange& r);  // "0:250"

struct DataSplits {
  SampleRange calibration, evaluation;
};
// Chooses the calibration and evaluation splits of n samples. Without flags: the first
// min(defaultCalibration, n / 4) samples (at least 1) calibrate, the rest evaluate. A split given
// alone takes the other as its complement when that is one contiguous range (the calibration
// one at most defaultCalibration samples). Overlapping splits throw unless allowOverlap.
DataSplits chooseSplits(std::int64_t n, const std::optional<std::string>& calibration,
                        const std::optional<std::string>& evaluation,
                        std::int64_t defaultCalibration, bool allowOverlap);

}  // namespace quant
