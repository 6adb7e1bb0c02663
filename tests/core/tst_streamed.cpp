// SPDX-License-Identifier: GPL-3.0-or-later
// The streamed statistics (quant/numeric/streamed.h) against the in-memory ones, and the
// memory-mapped .npy source (quant/io/mappednpy.h) against the loader.
#include <unistd.h>

#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "quant/io/mappednpy.h"
#include "quant/io/tensorio.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/metrics.h"
#include "quant/numeric/streamed.h"

namespace {

// Laplace-ish values with NaN/Inf sprinkled in; n is not a multiple of the block size.
std::vector<float> values(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::exponential_distribution<float> e(20.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = (rng() & 1 ? 1.0f : -1.0f) * e(rng);
  v[17] = std::numeric_limits<float>::quiet_NaN();
  v[n / 2] = std::numeric_limits<float>::infinity();
  v[n - 1] = 3.5f;  // the maximum sits in the last, short block
  return v;
}

quant::QuantParams perTensorParams(const std::vector<float>& v, int bits) {
  quant::Tensor t;
  t.shape = {static_cast<std::int64_t>(v.size())};
  t.data = v;
  quant::QuantSpec spec;
  spec.bits = bits;
  return quant::calibrateParams(t, spec, quant::CalibrationConfig{}, std::nullopt);
}

}  // namespace

class TestStreamed : public QObject {
  Q_OBJECT
 private slots:
  void histogramEqualsInMemory_data() {
    QTest::addColumn<int>("n");
    QTest::addRow("one short block") << 1000;
    QTest::addRow("two and a half blocks") << static_cast<int>(quant::kStreamBlock * 5 / 2);
  }
  void histogramEqualsInMemory() {
    QFETCH(int, n);
    const std::vector<float> v = values(static_cast<std::size_t>(n), 7);
    const auto streamed = quant::streamedHistogram(quant::SpanSource(v), 256);
    QVERIFY(streamed);
    const quant::Histogram ref = quant::buildHistogram(v, 256);
    QCOMPARE(streamed->histogram.lo, ref.lo);
    QCOMPARE(streamed->histogram.hi, ref.hi);
    QVERIFY(streamed->histogram.counts == ref.counts);
    QCOMPARE(streamed->histogram.nonFinite, ref.nonFinite);
    QCOMPARE(streamed->histogram.below + streamed->histogram.above, ref.below + ref.above);
    const quant::MinMax mm = quant::finiteMinMax(v);
    QCOMPARE(streamed->minMax.min, mm.min);
    QCOMPARE(streamed->minMax.max, mm.max);
    QCOMPARE(streamed->minMax.finiteCount, mm.finiteCount);
  }

  // Same sums in another order: the bound is a few double roundings per block, far below 1e-12.
  void metricsEqualInMemory() {
    const std::vector<float> v = values(static_cast<std::size_t>(quant::kStreamBlock * 3 + 11), 3);
    const quant::QuantParams p = perTensorParams(v, 4);
    std::vector<float> out(v.size());
    const quant::ErrorMetrics ref = quant::fakeQuantizeMeasured(v, p, out);
    const auto m = quant::streamedMetrics(quant::SpanSource(v), p);
    QVERIFY(m);
    QCOMPARE(m->count, ref.count);
    QCOMPARE(m->nonFinite, ref.nonFinite);
    QCOMPARE(m->clipped, ref.clipped);
    QCOMPARE(m->maxAbs, ref.maxAbs);
    QVERIFY2(std::abs(m->mse - ref.mse) <= 1e-12 * ref.mse, qPrintable(QString::number(m->mse)));
    QVERIFY(std::abs(m->sqnrDb - ref.sqnrDb) <= 1e-9);
    QVERIFY(std::abs(m->cosine - ref.cosine) <= 1e-12);
    QVERIFY(std::abs(m->rmseOverScale - ref.rmseOverScale) <= 1e-12);
  }

  void perChannelParamsAreRefused() {
    quant::QuantParams p = perTensorParams(values(64, 1), 8);
    p.layout.granularity = quant::Granularity::PerChannel;
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::MeasuredBlocks{p});
  }

  void passesStopWhenTold() {
    const std::vector<float> v = values(static_cast<std::size_t>(quant::kStreamBlock * 2), 5);
    int calls = 0;
    const auto stop = [&calls](double) { return ++calls < 2; };
    QVERIFY(!quant::streamedHistogram(quant::SpanSource(v), 16, stop));
    QCOMPARE(calls, 2);
    calls = 0;
    QVERIFY(!quant::streamedMetrics(quant::SpanSource(v), perTensorParams(v, 8), stop));
    QCOMPARE(calls, 2);
  }

  void sampleIsEvenlySpacedRuns() {
    std::vector<float> v(100000);
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>(i);
    const quant::SpanSource src(v);
    const std::vector<float> small = quant::sampleValues(src, 4, 100000);
    QVERIFY(small == v);  // fits: everything
    const std::vector<float> s = quant::sampleValues(src, 5, 10);
    QCOMPARE(s.size(), std::size_t{50});
    QCOMPARE(s.front(), 0.0f);     // the first run starts at 0 ...
    QCOMPARE(s.back(), 99999.0f);  // ... and the last one ends at the last value
    QCOMPARE(s[10], static_cast<float>((100000 - 10) / 4));
    for (std::size_t r = 0; r < 5; ++r)
      for (std::size_t i = 1; i < 10; ++i) QCOMPARE(s[r * 10 + i], s[r * 10] + i);
  }

  void mappedNpyReadsWhatTheLoaderLoads() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("t.npy").toStdString();
    quant::Tensor t;
    t.shape = {3, 1000};
    t.data = values(3000, 11);
    quant::saveNpy(path, t);
    const auto m = quant::MappedNpy::open(path);
    QCOMPARE(m->size(), std::int64_t{3000});
    QVERIFY(m->shape() == t.shape);
    QCOMPARE(QString::fromStdString(m->dtype()), QStringLiteral("float32"));
    std::vector<float> got(1000);
    m->read(1500, got);
    m->release(0, 3000);  // given back, and read again from the file
    QVERIFY(std::memcmp(got.data(), t.data.data() + 1500, got.size() * sizeof(float)) == 0);
    const auto h = quant::streamedHistogram(*m, 64);
    QVERIFY(h);
    QVERIFY(h->histogram.counts == quant::buildHistogram(t.data, 64).counts);
    QVERIFY_THROWS_EXCEPTION(quant::Error, m->read(2500, got));
  }

  void mappedNpyRefusesBrokenFiles() {
    QTemporaryDir dir;
    const std::string path = dir.filePath("t.npy").toStdString();
    quant::Tensor t;
    t.shape = {1000};
    t.data = values(1000, 2);
    quant::saveNpy(path, t);
    QVERIFY(::truncate(path.c_str(), 2000) == 0);  // the header promises 4000 data bytes
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::MappedNpy::open(path));
    QVERIFY_THROWS_EXCEPTION(quant::Error,
                             quant::MappedNpy::open(dir.filePath("none.npy").toStdString()));
  }
};

QTEST_APPLESS_MAIN(TestStreamed)
#include "tst_streamed.moc"
