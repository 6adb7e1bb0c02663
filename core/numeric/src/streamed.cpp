// SPDX-License-Identifier: GPL-3.0-or-later
#include "quant/numeric/streamed.h"

#include <algorithm>

namespace quant {

namespace {

// Runs visit(span) over consecutive blocks of the source, reporting progress as [from, to) of the
// whole; false when told to stop. The pages of each block are given back once it is visited.
template <class Visit>
bool forEachBlock(const BlockSource& source, const StreamProgress& progress, double from, double to,
                  Visit&& visit) {
  const std::int64_t n = source.size();
  std::vector<float> block(static_cast<std::size_t>(std::min(n, kStreamBlock)));
  for (std::int64_t first = 0; first < n; first += kStreamBlock) {
    const std::int64_t count = std::min(kStreamBlock, n - first);
    const std::span<float> values(block.data(), static_cast<std::size_t>(count));
    source.read(first, values);
    visit(std::span<const float>(values));
    source.release(first, first + count);
    const double done = static_cast<double>(first + count) / static_cast<double>(n);
    if (progress && !progress(from + (to - from) * done)) return false;
  }
  return true;
}

}  // namespace

std::vector<float> sampleValues(const BlockSource& source, std::int64_t runs,
                                std::int64_t runLength) {
  const std::int64_t n = source.size();
  if (n <= runs * runLength) {
    std::vector<float> all(static_cast<std::size_t>(n));
    source.read(0, all);
    return all;
  }
  std::vector<float> sample(static_cast<std::size_t>(runs * runLength));
  // Run r starts at r * (n - runLength) / (runs - 1): the first at 0, the last at the end.
  const auto startOf = [&](std::int64_t r) {
    return runs == 1
               ? std::int64_t{0}
               : static_cast<std::int64_t>(static_cast<double>(n - runLength) *
                                           static_cast<double>(r) / static_cast<double>(runs - 1));
  };
  // A file not in the page cache: every run is asked for at once, so the disk reads them in one
  // sweep instead of one wait per run.
  for (std::int64_t r = 0; r < runs; ++r) source.willNeed(startOf(r), startOf(r) + runLength);
  for (std::int64_t r = 0; r < runs; ++r) {
    const std::int64_t start = startOf(r);
    source.read(start, std::span<float>(sample).subspan(static_cast<std::size_t>(r * runLength),
                                                        static_cast<std::size_t>(runLength)));
    source.release(start, start + runLength);
  }
  return sample;
}

std::optional<StreamedHistogram> streamedHistogram(const BlockSource& source, int bins,
                                                   const StreamProgress& progress) {
  StreamedHistogram r;
  MinMax& mm = r.minMax;
  const bool ranged = forEachBlock(source, progress, 0.0, 0.5, [&](std::span<const float> x) {
    const MinMax b = finiteMinMax(x);
    if (b.finiteCount == 0) return;
    mm.min = mm.finiteCount == 0 ? b.min : std::min(mm.min, b.min);
    mm.max = mm.finiteCount == 0 ? b.max : std::max(mm.max, b.max);
    mm.finiteCount += b.finiteCount;
  });
  if (!ranged) return std::nullopt;
  Histogram& h = r.histogram;
  // An empty source still gets the binning buildHistogram gives an empty span.
  h = buildHistogram(std::span<const float>(), bins, mm.min, mm.max);
  const bool counted = forEachBlock(source, progress, 0.5, 1.0, [&](std::span<const float> x) {
    const Histogram b = buildHistogram(x, bins, mm.min, mm.max);
    for (std::size_t i = 0; i < h.counts.size(); ++i) h.counts[i] += b.counts[i];
    h.below += b.below;
    h.above += b.above;
    h.nonFinite += b.nonFinite;
  });
  if (!counted) return std::nullopt;
  return r;
}

std::optional<ErrorMetrics> streamedMetrics(const BlockSource& source, const QuantParams& p,
                                            const StreamProgress& progress) {
  MeasuredBlocks measured(p);
  std::vector<float> out(static_cast<std::size_t>(std::min(source.size(), kStreamBlock)));
  const bool done = forEachBlock(source, progress, 0.0, 1.0, [&](std::span<const float> x) {
    measured.add(x, std::span<float>(out).first(x.size()));
  });
  if (!done) return std::nullopt;
  return measured.metrics();
}

}  // namespace quant
