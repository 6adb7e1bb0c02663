// SPDX-License-Identifier: GPL-3.0-or-later
// The tensor statistics the window shows, computed over a BlockSource (a memory-mapped file that
// is never copied whole) one block of kStreamBlock values at a time: memory stays at one block
// buffer whatever the tensor's size. Each pass reports progress and stops when told to.
//
// The exact results equal the in-memory ones: streamedHistogram() == buildHistogram(all, bins)
// (the same finite range, then the same binning per value), streamedMetrics() ==
// fakeQuantizeMeasured up to the order of the double sums (MeasuredBlocks).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "quant/base/blocksource.h"
#include "quant/numeric/histogram.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/quantize.h"

namespace quant {

inline constexpr std::int64_t kStreamBlock = std::int64_t{1} << 20;  // values (4 MiB as float32)

// Fraction done in [0, 1]; returning false stops the pass (its function returns nullopt).
using StreamProgress = std::function<bool(double fraction)>;

// A fixed-size sample for the first look at a big tensor: `runs` runs of `runLength`
// consecutive values, evenly spaced over the source (runs of consecutive values touch few
// pages of a file; single values spread over it would touch all of them). The whole source when
// it holds no more than runs * runLength values.
std::vector<float> sampleValues(const BlockSource& source, std::int64_t runs = 256,
                                std::int64_t runLength = 4096);

struct StreamedHistogram {
  Histogram histogram;  // over the finite range of every value
  MinMax minMax;
};
// Two passes: the finite range, then the counts.
std::optional<StreamedHistogram> streamedHistogram(const BlockSource& source, int bins,
                                                   const StreamProgress& progress = {});

// The fused fake-quantize-and-measure pass in blocks (per-tensor parameters).
std::optional<ErrorMetrics> streamedMetrics(const BlockSource& source, const QuantParams& p,
                                            const StreamProgress& progress = {});

}  // namespace quant
