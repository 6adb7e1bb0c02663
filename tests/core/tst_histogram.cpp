// SPDX-License-Identifier: GPL-3.0-or-later
#include <QElapsedTimer>
#include <QtTest>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "quant/base/tensor.h"
#include "quant/numeric/histogram.h"

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

// Straightforward reference: the bin is the last edge lo + i*w that is <= v.
quant::Histogram referenceHistogram(const std::vector<float>& x, int bins, double lo, double hi) {
  quant::Histogram h;
  h.lo = lo;
  h.hi = hi;
  h.counts.assign(bins, 0);
  const double w = (hi - lo) / bins;
  for (float v : x) {
    if (!std::isfinite(v)) {
      ++h.nonFinite;
    } else if (v < lo) {
      ++h.below;
    } else if (v > hi) {
      ++h.above;
    } else if (lo == hi) {
      ++h.counts[bins / 2];
    } else {
      int k = 0;
      while (k + 1 < bins && double(v) >= lo + (k + 1) * w) ++k;
      ++h.counts[k];
    }
  }
  return h;
}

std::vector<float> randomWithSpecials(std::mt19937& rng, std::size_t n, double specialRate) {
  std::normal_distribution<float> g(0.0f, 3.0f);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<float> x(n);
  for (auto& v : x) {
    const double r = u(rng);
    if (r < specialRate / 3) {
      v = kNaN;
    } else if (r < 2 * specialRate / 3) {
      v = kInf;
    } else if (r < specialRate) {
      v = -kInf;
    } else {
      v = g(rng);
    }
  }
  return x;
}

}  // namespace

class TestHistogram : public QObject {
  Q_OBJECT
 private slots:
  void handCounts() {
    const std::vector<float> x{0.0f, 0.5f,  1.0f, 1.999f, 2.0f, 3.5f,
                               4.0f, -0.1f, 4.1f, kNaN,   kInf, -kInf};
    const quant::Histogram h = quant::buildHistogram(x, 4, 0.0, 4.0);
    QCOMPARE(h.counts, (std::vector<std::int64_t>{2, 2, 1, 2}));
    QCOMPARE(h.below, std::int64_t{1});
    QCOMPARE(h.above, std::int64_t{1});
    QCOMPARE(h.nonFinite, std::int64_t{3});
    QCOMPARE(h.total(), std::int64_t{9});
    QCOMPARE(h.binWidth(), 1.0);
    QCOMPARE(h.binCenter(0), 0.5);
    QCOMPARE(h.binCenter(3), 3.5);
  }

  void edgesMatchReference_data() {
    QTest::addColumn<int>("bins");
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addColumn<int>("n");
    QTest::addRow("10 bins of 0.2 (inexact width)") << 10 << -1.0 << 1.0 << 5000;
    QTest::addRow("7 bins, odd range") << 7 << -0.3 << 2.9 << 5000;
    QTest::addRow("one bin") << 1 << -2.0 << 2.0 << 1000;
    QTest::addRow("2048 bins, interleaved counters") << 2048 << -5.0 << 5.0 << 200000;
  }
  void edgesMatchReference() {
    QFETCH(int, bins);
    QFETCH(double, lo);
    QFETCH(double, hi);
    QFETCH(int, n);
    std::mt19937 rng(1234);
    std::vector<float> x = randomWithSpecials(rng, n, 0.01);
    // Put every edge (rounded to float, both neighbours) into the data: they are the hard cases.
    const double w = (hi - lo) / bins;
    for (int i = 0; i <= bins && i < 3000; ++i) {
      const float e = static_cast<float>(lo + i * w);
      x.push_back(e);
      x.push_back(std::nextafter(e, -kInf));
      x.push_back(std::nextafter(e, kInf));
    }
    const quant::Histogram got = quant::buildHistogram(x, bins, lo, hi);
    const quant::Histogram want = referenceHistogram(x, bins, lo, hi);
    QCOMPARE(got.counts, want.counts);
    QCOMPARE(got.below, want.below);
    QCOMPARE(got.above, want.above);
    QCOMPARE(got.nonFinite, want.nonFinite);
    QCOMPARE(got.total() + got.nonFinite, std::int64_t(x.size()));
  }

  void lastBinHoldsHi() {
    const std::vector<float> x{1.0f, 3.0f, 3.0f};
    const quant::Histogram h = quant::buildHistogram(x, 8);
    QCOMPARE(h.lo, 1.0);
    QCOMPARE(h.hi, 3.0);
    QCOMPARE(h.counts.front(), std::int64_t{1});
    QCOMPARE(h.counts.back(), std::int64_t{2});
    QCOMPARE(h.below + h.above, std::int64_t{0});
  }

  void singleValueRange() {
    const std::vector<float> x{2.0f, 2.0f, 2.0f, 1.0f, 3.0f, kNaN};
    const quant::Histogram h = quant::buildHistogram(x, 5, 2.0, 2.0);
    QCOMPARE(h.counts, (std::vector<std::int64_t>{0, 0, 3, 0, 0}));
    QCOMPARE(h.below, std::int64_t{1});
    QCOMPARE(h.above, std::int64_t{1});
    QCOMPARE(h.nonFinite, std::int64_t{1});
    QCOMPARE(h.binWidth(), 0.0);
    QCOMPARE(h.binCenter(4), 2.0);
  }

  void constantAndEmptyData() {
    const std::vector<float> c(100, -7.5f);
    const quant::Histogram hc = quant::buildHistogram(c, 2048);
    QCOMPARE(hc.lo, -7.5);
    QCOMPARE(hc.hi, -7.5);
    QCOMPARE(hc.counts[1024], std::int64_t{100});
    const std::vector<float> nan(10, kNaN);
    const quant::Histogram hn = quant::buildHistogram(nan, 16);
    QCOMPARE(hn.nonFinite, std::int64_t{10});
    QCOMPARE(hn.total(), std::int64_t{0});
    const quant::Histogram he = quant::buildHistogram(std::span<const float>(), 16);
    QCOMPARE(he.total(), std::int64_t{0});
    QCOMPARE(he.counts.size(), std::size_t{16});
  }

  void extremeRanges_data() {
    QTest::addColumn<double>("lo");
    QTest::addColumn<double>("hi");
    QTest::addRow("full float range") << -3.4028234663852886e38 << 3.4028234663852886e38;
    QTest::addRow("width overflows double") << -1e308 << 1e308;
    QTest::addRow("subnormal width") << 0.0 << 1e-320;
    QTest::addRow("tiny positive range") << 1e-45 << 3e-45;
  }
  void extremeRanges() {
    // Every value lands somewhere and nothing is converted out of range (UBSan checks the rest).
    QFETCH(double, lo);
    QFETCH(double, hi);
    const float fmax = std::numeric_limits<float>::max();
    const float tiny = std::numeric_limits<float>::denorm_min();
    const std::vector<float> x{-fmax, fmax, 0.0f, -0.0f, tiny, 2 * tiny, -tiny, 1.0f, kNaN};
    const quant::Histogram h = quant::buildHistogram(x, 64, lo, hi);
    QCOMPARE(h.total() + h.nonFinite, std::int64_t(x.size()));
    QCOMPARE(h.nonFinite, std::int64_t{1});
    const quant::MinMax m = quant::finiteMinMax(x);
    QCOMPARE(m.min, -fmax);
    QCOMPARE(m.max, fmax);
    const quant::Histogram full = quant::buildHistogram(x, 2048);
    QCOMPARE(full.counts.front(), std::int64_t{1});
    QCOMPARE(full.counts.back(), std::int64_t{1});
    QCOMPARE(full.below + full.above, std::int64_t{0});
  }

  void badArgumentsThrow() {
    const std::vector<float> x{1.0f};
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::buildHistogram(x, 0, 0.0, 1.0));
    QVERIFY_THROWS_EXCEPTION(quant::Error, quant::buildHistogram(x, 4, 1.0, 0.0));
    QVERIFY_THROWS_EXCEPTION(
        quant::Error, quant::buildHistogram(x, 4, 0.0, std::numeric_limits<double>::infinity()));
  }

  void finiteMinMaxHand_data() {
    QTest::addColumn<QList<float>>("x");
    QTest::addColumn<float>("mn");
    QTest::addColumn<float>("mx");
    QTest::addColumn<qint64>("count");
    QTest::addRow("empty") << QList<float>{} << 0.0f << 0.0f << qint64(0);
    QTest::addRow("all NaN") << QList<float>{kNaN, kNaN, kNaN} << 0.0f << 0.0f << qint64(0);
    QTest::addRow("only infinities") << QList<float>{kInf, -kInf} << 0.0f << 0.0f << qint64(0);
    QTest::addRow("mixed short") << QList<float>{kNaN, 3.0f, -kInf, -2.0f, kInf} << -2.0f << 3.0f
                                 << qint64(2);
    QList<float> longer;
    for (int i = 0; i < 37; ++i) longer << (i % 5 == 0 ? kNaN : float(i) - 10.0f);
    longer[0] = kInf;
    longer[36] = -kInf;  // specials in the scalar tail too
    QTest::addRow("37 values, specials in blocks and tail")
        << longer << -9.0f << 24.0f << qint64(28);
    QTest::addRow("single") << QList<float>{-0.25f} << -0.25f << -0.25f << qint64(1);
  }
  void finiteMinMaxHand() {
    QFETCH(QList<float>, x);
    QFETCH(float, mn);
    QFETCH(float, mx);
    QFETCH(qint64, count);
    const std::vector<float> v(x.begin(), x.end());
    const quant::MinMax m = quant::finiteMinMax(v);
    QCOMPARE(m.min, mn);
    QCOMPARE(m.max, mx);
    QCOMPARE(m.finiteCount, count);
  }

  void finiteMinMaxProperty() {
    std::mt19937 rng(99);
    std::uniform_int_distribution<int> len(0, 300);
    for (int trial = 0; trial < 300; ++trial) {
      const std::vector<float> x = randomWithSpecials(rng, len(rng), trial % 3 == 0 ? 0.5 : 0.05);
      float lo = kInf, hi = -kInf;
      qint64 count = 0;
      for (float v : x) {
        if (std::isfinite(v)) {
          lo = std::min(lo, v);
          hi = std::max(hi, v);
          ++count;
        }
      }
      const quant::MinMax m = quant::finiteMinMax(x);
      QCOMPARE(m.finiteCount, count);
      QCOMPARE(m.min, count ? lo : 0.0f);
      QCOMPARE(m.max, count ? hi : 0.0f);
    }
  }

  void throughput() {
    // Not a benchmark: a guard that the hot paths stay linear and cheap on a big tensor.
    std::mt19937 rng(5);
    std::vector<float> x = randomWithSpecials(rng, std::size_t{1} << 22, 0.001);
    QElapsedTimer t;
    t.start();
    const quant::MinMax m = quant::finiteMinMax(x);
    const qint64 mmNs = t.nsecsElapsed();
    t.restart();
    const quant::Histogram h = quant::buildHistogram(x, 2048, m.min, m.max);
    const qint64 hNs = t.nsecsElapsed();
    qInfo("4M floats: finiteMinMax %.2f ms, buildHistogram(2048) %.2f ms", mmNs / 1e6, hNs / 1e6);
    QCOMPARE(h.total(), m.finiteCount);
    QVERIFY2(mmNs < 2'000'000'000 && hNs < 2'000'000'000, "absurdly slow");
  }
};

QTEST_GUILESS_MAIN(TestHistogram)
#include "tst_histogram.moc"
