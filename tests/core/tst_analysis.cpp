// SPDX-License-Identifier: GPL-3.0-or-later
// The view summaries of analysis.h against straightforward reference implementations kept here
// (the whole-buffer versions they replaced): the memory-saving versions must give the same
// results bit for bit, on random shapes, channel axes, specs and data.
#include <QtTest>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "quant/numeric/analysis.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/histogram.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/quantize.h"

namespace {

// Reference: every finite error copied, then one histogram.
quant::Histogram referenceErrorHistogram(std::span<const float> x, std::span<const float> xHat,
                                         int bins) {
  std::vector<float> err;
  double m = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(xHat[i])) continue;
    const float e = x[i] - xHat[i];
    err.push_back(e);
    m = std::max(m, std::fabs(static_cast<double>(e)));
  }
  if (m == 0) m = 1e-12;
  return quant::buildHistogram(err, bins, -m, m);
}

// Reference: two full reconstructions, per-channel index lists.
quant::ChannelComparison referenceComparison(const quant::Tensor& tensor,
                                             const quant::QuantSpec& spec, int axis) {
  const int rank = static_cast<int>(tensor.shape.size());
  const int a = axis < 0 ? axis + rank : axis;
  quant::ChannelComparison c;
  c.axis = a;
  quant::QuantSpec tensorSpec = spec;
  tensorSpec.granularity = quant::Granularity::PerTensor;
  quant::QuantSpec channelSpec = spec;
  channelSpec.granularity = quant::Granularity::PerChannel;
  channelSpec.axis = a;
  const quant::CalibrationConfig minmax;
  const quant::QuantParams pt = quant::calibrateParams(tensor, tensorSpec, minmax);
  const quant::QuantParams pc = quant::calibrateParams(tensor, channelSpec, minmax);
  std::vector<float> xt(tensor.data.size()), xc(tensor.data.size());
  c.perTensorSqnrDb = quant::fakeQuantizeMeasured(tensor.data, pt, xt).sqnrDb;
  c.perChannelSqnrDb = quant::fakeQuantizeMeasured(tensor.data, pc, xc).sqnrDb;
  const auto perChannel = quant::metricsPerSlot(tensor.data, xc, pc);
  const auto perTensorByChannel = quant::metricsPerSlot(tensor.data, xt, pc);
  c.channels = pc.layout.slotCount();
  for (std::int64_t s = 0; s < c.channels; ++s) {
    std::vector<float> values;
    for (std::int64_t i : pc.layout.elementsOf(s)) values.push_back(tensor.data[std::size_t(i)]);
    const quant::MinMax mm = quant::finiteMinMax(values);
    c.channelRanges.push_back({mm.min, mm.max});
    c.channelScales.push_back(pc.scales[std::size_t(s)]);
    c.channelSqnrDb.push_back(perChannel[std::size_t(s)].sqnrDb);
    c.channelSqnrPerTensorDb.push_back(perTensorByChannel[std::size_t(s)].sqnrDb);
  }
  return c;
}

// Bitwise equality of doubles / floats (nan == nan with the same payload, -0 != +0).
bool same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}
bool same(float a, float b) {
  return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
}

// Random data of one of several shapes of distribution; `specials` adds -0, +-inf and nan.
std::vector<float> randomData(std::mt19937& rng, std::size_t n, bool specials) {
  std::vector<float> v(n);
  const int kind = int(rng() % 3);
  std::normal_distribution<float> normal(0.0f, std::ldexp(1.0f, int(rng() % 12) - 6));
  std::uniform_real_distribution<float> uni(-3.0f, 5.0f);
  for (float& x : v) {
    x = kind == 0 ? normal(rng) : kind == 1 ? uni(rng) : std::max(0.0f, normal(rng));
  }
  if (specials && n > 0) {
    const float sp[] = {-0.0f, 0.0f, std::numeric_limits<float>::infinity(),
                        -std::numeric_limits<float>::infinity(),
                        std::numeric_limits<float>::quiet_NaN()};
    for (int k = 0; k < 8; ++k) v[rng() % n] = sp[rng() % 5];
  }
  return v;
}

}  // namespace

class TestAnalysis : public QObject {
  Q_OBJECT

 private slots:
  // Random shapes (rank 1..4), every axis (positive and negative), bit widths, schemes and
  // signedness: the comparison equals the reference in every field, bit for bit.
  void channelComparisonMatchesReference() {
    std::mt19937 rng(20261123);
    for (int round = 0; round < 200; ++round) {
      quant::Tensor t;
      const int rank = 1 + int(rng() % 4);
      for (int k = 0; k < rank; ++k)
        t.shape.push_back(1 + std::int64_t(rng() % (rank == 1 ? 300 : 9)));
      t.data = randomData(rng, std::size_t(t.numel()), round % 4 == 3);
      quant::QuantSpec spec;
      spec.bits = 2 + int(rng() % 7);
      spec.isSigned = rng() % 2 == 0;
      spec.scheme = rng() % 2 == 0 ? quant::Scheme::Symmetric : quant::Scheme::Asymmetric;
      spec.narrowRange = rng() % 4 == 0;
      const int axis = int(rng() % unsigned(rank)) - (rng() % 2 == 0 ? rank : 0);
      const QByteArray what = "round " + QByteArray::number(round) + " axis " +
                              QByteArray::number(axis) + " " + spec.describe().c_str();
      quant::ChannelComparison got, want;
      QString gotError, wantError;
      try {
        got = quant::compareChannelGranularity(t, spec, axis);
      } catch (const quant::Error& e) {
        gotError = e.what();
      }
      try {
        want = referenceComparison(t, spec, axis);
      } catch (const quant::Error& e) {
        wantError = e.what();
      }
      QCOMPARE(gotError, wantError);
      if (!wantError.isEmpty()) continue;
      QVERIFY2(got.axis == want.axis && got.channels == want.channels, what.constData());
      QVERIFY2(same(got.perTensorSqnrDb, want.perTensorSqnrDb), what.constData());
      QVERIFY2(same(got.perChannelSqnrDb, want.perChannelSqnrDb), what.constData());
      QCOMPARE(got.channelRanges.size(), want.channelRanges.size());
      QCOMPARE(got.channelScales.size(), want.channelScales.size());
      QCOMPARE(got.channelSqnrDb.size(), want.channelSqnrDb.size());
      QCOMPARE(got.channelSqnrPerTensorDb.size(), want.channelSqnrPerTensorDb.size());
      for (std::size_t s = 0; s < want.channelRanges.size(); ++s) {
        QVERIFY2(same(got.channelRanges[s].lo, want.channelRanges[s].lo), what.constData());
        QVERIFY2(same(got.channelRanges[s].hi, want.channelRanges[s].hi), what.constData());
        QVERIFY2(same(got.channelScales[s], want.channelScales[s]), what.constData());
        QVERIFY2(same(got.channelSqnrDb[s], want.channelSqnrDb[s]), what.constData());
        QVERIFY2(same(got.channelSqnrPerTensorDb[s], want.channelSqnrPerTensorDb[s]),
                 what.constData());
      }
    }
  }

  // The percentile marker is the user's P, labelled with it, and lands where calibrate() puts it.
  void calibrationCandidatesUseTheGivenPercentile() {
    std::vector<float> x(10000);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(i) / 100.0f - 50.0f;
    quant::QuantSpec spec;
    const auto dflt = quant::calibrationCandidates(x, spec);
    const auto mine = quant::calibrationCandidates(x, spec, 99.0);
    QCOMPARE(dflt.size(), std::size_t(4));
    QCOMPARE(dflt[1].label, std::string("percentile 99.99"));
    QCOMPARE(mine[1].label, std::string("percentile 99"));
    QCOMPARE(mine[1].config.percentile, 99.0);
    const quant::Range want =
        quant::calibrate(x, spec, quant::parseCalibration("percentile:99")).range;
    QCOMPARE(mine[1].range.lo, want.lo);
    QCOMPARE(mine[1].range.hi, want.hi);
    QVERIFY(mine[1].range.hi < dflt[1].range.hi);  // a lower P clips more
    for (std::size_t i : {0u, 2u, 3u}) QCOMPARE(mine[i].range.hi, dflt[i].range.hi);
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::calibrationCandidates(x, spec, 0.0));
  }

  void channelComparisonRejectsBadAxis() {
    quant::Tensor t;
    t.shape = {2, 3};
    t.data.assign(6, 1.0f);
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::compareChannelGranularity(t, {}, 2));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::compareChannelGranularity(t, {}, -3));
  }

  // Sizes around the internal block (65536) and far below it, bin counts 1..300, with and
  // without non-finite pairs, and exact reconstructions (the 1e-12 fallback range).
  void errorHistogramMatchesReference() {
    std::mt19937 rng(7);
    const std::size_t sizes[] = {0, 1, 5, 1000, 65535, 65536, 65537, 200003};
    for (int round = 0; round < 48; ++round) {
      const std::size_t n = sizes[std::size_t(round) % std::size(sizes)];
      const std::vector<float> x = randomData(rng, n, round % 3 == 0);
      std::vector<float> xHat(x);
      if (round % 5 != 4) {  // else exact: every error is 0
        quant::QuantSpec spec;
        spec.bits = 2 + int(rng() % 7);
        quant::Tensor t;
        t.shape = {std::int64_t(n)};
        t.data = x;
        for (float& v : t.data)
          if (!std::isfinite(v)) v = 0.0f;  // calibration on the finite part
        const quant::QuantParams p = quant::calibrateParams(t, spec, {});
        quant::fakeQuantize(t.data, p, xHat);
        if (round % 3 == 0 && n > 0) xHat[rng() % n] = std::numeric_limits<float>::quiet_NaN();
      }
      const int bins = 1 + int(rng() % 300);
      const quant::Histogram got = quant::errorHistogram(x, xHat, bins);
      const quant::Histogram want = referenceErrorHistogram(x, xHat, bins);
      const QByteArray what =
          "n " + QByteArray::number(qulonglong(n)) + " bins " + QByteArray::number(bins);
      QVERIFY2(same(got.lo, want.lo) && same(got.hi, want.hi), what.constData());
      QVERIFY2(got.counts == want.counts, what.constData());
      QCOMPARE(got.below, want.below);
      QCOMPARE(got.above, want.above);
      QCOMPARE(got.nonFinite, want.nonFinite);
    }
  }

  void errorHistogramChecksItsArguments() {
    const std::vector<float> a(3, 1.0f), b(2, 1.0f);
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::errorHistogram(a, b, 10));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::errorHistogram(a, a, 0));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::errorHistogram({}, {}, 0));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::errorHistogramStrided(a, b, 10, 2));
  }

  // The strided preview is the full histogram of the pairs 0, k, 2k, ... (odd sizes, a NaN).
  void errorHistogramStridedIsTheHistogramOfTheSample() {
    std::mt19937 rng(3);
    for (const std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{1001},
                                std::size_t{70001}}) {
      std::vector<float> x = randomData(rng, n, true), xHat(x);
      for (float& v : xHat) v = std::isfinite(v) ? std::round(v * 4.0f) / 4.0f : v;
      for (const std::size_t k : {std::size_t{1}, std::size_t{2}, std::size_t{7}}) {
        std::vector<float> xs, hs;
        for (std::size_t i = 0; i < n; i += k) {
          xs.push_back(x[i]);
          hs.push_back(xHat[i]);
        }
        const quant::Histogram got = quant::errorHistogramStrided(x, xHat, 51, k);
        const quant::Histogram want = quant::errorHistogram(xs, hs, 51);
        QVERIFY(same(got.lo, want.lo) && same(got.hi, want.hi));
        QVERIFY(got.counts == want.counts);
        QCOMPARE(got.nonFinite, want.nonFinite);
      }
    }
  }
};

QTEST_GUILESS_MAIN(TestAnalysis)
#include "tst_analysis.moc"
