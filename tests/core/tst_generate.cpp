// SPDX-License-Identifier: GPL-3.0-or-later
// Synthetic tensors: determinism, cross-library reproducibility, distribution statistics,
// outliers and parameter validation.
#include <QtTest>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

#include "quant/numeric/generate.h"

namespace {

struct Stats {
  double mean = 0, stddev = 0, min = 0, max = 0;
  double zeroFraction = 0;
};

Stats stats(const std::vector<float>& v) {
  Stats s;
  double sum = 0;
  for (float x : v) sum += x;
  s.mean = sum / double(v.size());
  double sq = 0;
  std::size_t zeros = 0;
  for (float x : v) {
    sq += (x - s.mean) * (x - s.mean);
    zeros += x == 0.0f;
  }
  s.stddev = std::sqrt(sq / double(v.size() - 1));
  s.min = *std::min_element(v.begin(), v.end());
  s.max = *std::max_element(v.begin(), v.end());
  s.zeroFraction = double(zeros) / double(v.size());
  return s;
}

}  // namespace

class TestGenerate : public QObject {
  Q_OBJECT
 private slots:
  void mt19937_64IsTheStandardEngine() {
    // The standard fixes this value ([rand.predef]); everything else builds on raw output.
    std::mt19937_64 rng;
    rng.discard(9999);
    QCOMPARE(rng(), 9981545732273789042ULL);
  }

  void deterministic_data() {
    QTest::addColumn<QString>("distribution");
    for (const char* d : {"normal", "uniform", "laplace", "halfnormal", "relu", "bimodal"}) {
      QTest::addRow("%s", d) << QString(d);
    }
  }
  void deterministic() {
    QFETCH(QString, distribution);
    quant::GeneratorSpec spec;
    spec.distribution = quant::parseDistribution(distribution.toStdString());
    spec.shape = {3, 1000};
    spec.seed = 12345;
    spec.outlierCount = 10;
    spec.outlierMagnitude = 50;
    const quant::Tensor a = quant::generate(spec);
    const quant::Tensor b = quant::generate(spec);
    QCOMPARE(a.shape, spec.shape);
    QCOMPARE(a.data.size(), std::size_t(3000));
    QVERIFY(a.data == b.data);
    spec.seed = 12346;
    const quant::Tensor c = quant::generate(spec);
    std::size_t same = 0;
    for (std::size_t i = 0; i < a.data.size(); ++i) same += a.data[i] == c.data[i];
    // Only a relu's zeros may coincide between seeds.
    QVERIFY2(same < 2000, qPrintable(QString::number(same)));
  }

  void goldenValues() {
    // Locks the algorithm: the same values under libstdc++ and libc++ (no std::*_distribution).
    quant::GeneratorSpec spec;
    spec.shape = {4};
    spec.seed = 42;
    const quant::Tensor n = quant::generate(spec);
    spec.distribution = quant::Distribution::Uniform;
    const quant::Tensor u = quant::generate(spec);
    std::mt19937_64 rng(42);
    // Uniform is (raw >> 11) * 2^-53 mapped to [-1, 1), computed independently here.
    for (int i = 0; i < 4; ++i) {
      const double expect = -1.0 + 2.0 * (double(rng() >> 11) * 0x1.0p-53);
      QCOMPARE(u.data[std::size_t(i)], float(expect));
    }
    // Box-Muller from the first two raw outputs.
    std::mt19937_64 r2(42);
    const double u1 = (double(r2() >> 11) + 0.5) * 0x1.0p-53;
    const double u2 = (double(r2() >> 11) + 0.5) * 0x1.0p-53;
    const double rad = std::sqrt(-2.0 * std::log(u1));
    QCOMPARE(n.data[0], float(rad * std::cos(2 * std::numbers::pi * u2)));
    QCOMPARE(n.data[1], float(rad * std::sin(2 * std::numbers::pi * u2)));
  }

  void statistics_data() {
    QTest::addColumn<QString>("distribution");
    QTest::addColumn<double>("p1");  // mean / low / loc
    QTest::addColumn<double>("p2");  // stddev / high / scale
    QTest::addColumn<double>("expectMean");
    QTest::addColumn<double>("expectStd");
    QTest::addColumn<double>("expectZeros");
    const double pi = std::numbers::pi;
    QTest::addRow("normal") << "normal" << 1.5 << 2.0 << 1.5 << 2.0 << 0.0;
    QTest::addRow("uniform") << "uniform" << -2.0 << 3.0 << 0.5 << 5.0 / std::sqrt(12.0) << 0.0;
    QTest::addRow("laplace") << "laplace" << 1.0 << 0.5 << 1.0 << 0.5 * std::sqrt(2.0) << 0.0;
    QTest::addRow("halfnormal") << "halfnormal" << 0.0 << 1.0 << std::sqrt(2 / pi)
                                << std::sqrt(1 - 2 / pi) << 0.0;
    QTest::addRow("relu") << "relu" << 0.0 << 1.0 << 1 / std::sqrt(2 * pi)
                          << std::sqrt(0.5 - 1 / (2 * pi)) << 0.5;
    // Modes at -/+3 with std 0.5: variance 0.25 + 9.
    QTest::addRow("bimodal") << "bimodal" << 0.0 << 0.5 << 0.0 << std::sqrt(9.25) << 0.0;
  }
  void statistics() {
    QFETCH(QString, distribution);
    QFETCH(double, p1);
    QFETCH(double, p2);
    QFETCH(double, expectMean);
    QFETCH(double, expectStd);
    QFETCH(double, expectZeros);
    quant::GeneratorSpec spec;
    spec.distribution = quant::parseDistribution(distribution.toStdString());
    spec.shape = {100000};
    spec.seed = 7;
    spec.mean = spec.low = spec.loc = p1;
    spec.stddev = spec.high = spec.scale = p2;
    const quant::Tensor t = quant::generate(spec);
    const Stats s = stats(t.data);
    // 5 standard errors of the mean; 2 % on the standard deviation.
    const double se = expectStd / std::sqrt(100000.0);
    QVERIFY2(std::abs(s.mean - expectMean) < 5 * se,
             qPrintable(QString("mean %1, expected %2").arg(s.mean).arg(expectMean)));
    QVERIFY2(std::abs(s.stddev - expectStd) < 0.02 * expectStd,
             qPrintable(QString("std %1, expected %2").arg(s.stddev).arg(expectStd)));
    QVERIFY2(std::abs(s.zeroFraction - expectZeros) < 0.01,
             qPrintable(QString("zero fraction %1").arg(s.zeroFraction)));
    if (spec.distribution == quant::Distribution::Uniform) {
      QVERIFY(s.min >= -2.0 && s.max < 3.0);
    }
    if (spec.distribution == quant::Distribution::HalfNormal ||
        spec.distribution == quant::Distribution::Relu) {
      QVERIFY(s.min >= 0.0);
    }
    for (float x : t.data) QVERIFY(std::isfinite(x));
  }

  void normalShape() {
    // Fractions within 1, 2 and 3 standard deviations (68.27 %, 95.45 %, 99.73 %).
    quant::GeneratorSpec spec;
    spec.shape = {100000};
    spec.seed = 99;
    const quant::Tensor t = quant::generate(spec);
    const double expected[] = {0.682689, 0.954500, 0.997300};
    for (int k = 1; k <= 3; ++k) {
      const auto in = std::count_if(t.data.begin(), t.data.end(),
                                    [k](float x) { return std::abs(x) < float(k); });
      QVERIFY(std::abs(double(in) / 1e5 - expected[k - 1]) < 0.005);
    }
  }

  void laplaceTails() {
    // P(|x - loc| > 3b) = exp(-3) for Laplace: heavier tails than a normal of the same std.
    quant::GeneratorSpec spec;
    spec.distribution = quant::Distribution::Laplace;
    spec.shape = {100000};
    spec.seed = 3;
    const quant::Tensor t = quant::generate(spec);
    const auto tail =
        std::count_if(t.data.begin(), t.data.end(), [](float x) { return std::abs(x) > 3.0f; });
    QVERIFY(std::abs(double(tail) / 1e5 - std::exp(-3.0)) < 0.004);
  }

  void outliers_data() {
    QTest::addColumn<qint64>("count");
    QTest::addColumn<qint64>("numel");
    QTest::addRow("none") << qint64(0) << qint64(10000);
    QTest::addRow("few") << qint64(7) << qint64(10000);
    QTest::addRow("many") << qint64(5000) << qint64(10000);
    QTest::addRow("all") << qint64(64) << qint64(64);
  }
  void outliers() {
    QFETCH(qint64, count);
    QFETCH(qint64, numel);
    quant::GeneratorSpec spec;
    spec.shape = {numel};
    spec.seed = 5;
    const quant::Tensor base = quant::generate(spec);
    spec.outlierCount = count;
    spec.outlierMagnitude = -100;  // the sign of the magnitude is irrelevant
    const quant::Tensor t = quant::generate(spec);
    qint64 outliers = 0, positive = 0;
    for (std::size_t i = 0; i < t.data.size(); ++i) {
      if (std::abs(t.data[i]) == 100.0f) {
        ++outliers;
        positive += t.data[i] > 0;
      } else {
        QCOMPARE(t.data[i], base.data[i]);  // untouched positions keep the base values
      }
    }
    QCOMPARE(outliers, count);
    if (count >= 7) QVERIFY(positive > 0 && positive < count);  // both signs occur
    QVERIFY(quant::generate(spec).data == t.data);
  }

  void invalidParameters_data() {
    QTest::addColumn<int>("which");
    QTest::addColumn<QString>("keyword");
    QTest::addRow("negative stddev") << 0 << "stddev";
    QTest::addRow("uniform high <= low") << 1 << "high > low";
    QTest::addRow("laplace scale 0") << 2 << "scale";
    QTest::addRow("too many outliers") << 3 << "outlier count";
    QTest::addRow("nan mean") << 4 << "finite";
    QTest::addRow("huge shape") << 5 << "2^28";
    QTest::addRow("negative dim") << 6 << "negative";
    QTest::addRow("overflowing shape") << 7 << "2^62";
  }
  void invalidParameters() {
    QFETCH(int, which);
    QFETCH(QString, keyword);
    quant::GeneratorSpec s;
    s.shape = {10};
    switch (which) {
      case 0:
        s.stddev = -1;
        break;
      case 1:
        s.distribution = quant::Distribution::Uniform;
        s.low = s.high = 1;
        break;
      case 2:
        s.distribution = quant::Distribution::Laplace;
        s.scale = 0;
        break;
      case 3:
        s.outlierCount = 11;
        break;
      case 4:
        s.mean = std::nan("");
        break;
      case 5:
        s.shape = {1 << 20, 1 << 20};
        break;
      case 6:
        s.shape = {-3};
        break;
      case 7:
        s.shape = {std::int64_t{1} << 40, std::int64_t{1} << 40};
        break;
    }
    std::string msg = "<no exception>";
    try {
      quant::generate(s);
    } catch (const quant::Error& e) {
      msg = e.what();
    }
    QVERIFY2(msg.find(keyword.toStdString()) != std::string::npos, msg.c_str());
  }

  void parseDistributionNames() {
    using quant::Distribution;
    for (Distribution d : {Distribution::Normal, Distribution::Uniform, Distribution::Laplace,
                           Distribution::HalfNormal, Distribution::Relu, Distribution::Bimodal}) {
      QCOMPARE(quant::parseDistribution(quant::distributionName(d)), d);
    }
    QCOMPARE(quant::parseDistribution("ReLU"), Distribution::Relu);
    QCOMPARE(quant::parseDistribution("half-normal"), Distribution::HalfNormal);
    std::string msg;
    try {
      quant::parseDistribution("cauchy");
    } catch (const quant::Error& e) {
      msg = e.what();
    }
    QVERIFY2(msg.find("'cauchy'") != std::string::npos && msg.find("bimodal") != std::string::npos,
             msg.c_str());
  }
};

QTEST_GUILESS_MAIN(TestGenerate)
#include "tst_generate.moc"
