// SPDX-License-Identifier: GPL-3.0-or-later
// A .npy opened as a streamed tensor (through its memory mapping, never copied): the window's
// loader picks it above the streaming size, the sampled results come first and say so, the exact
// ones equal what the in-memory path computes, and per-channel is refused with a message.
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

#include "quant/io/tensorio.h"
#include "quant/numeric/calibrate.h"
#include "quant/numeric/generate.h"
#include "quant/numeric/metrics.h"
#include "session.h"
#include "tensorloader.h"

using quantlab::ui::Session;
using quantlab::ui::TensorLoader;

namespace {

// Larger than one sample (256 runs of 4096 values) and than one streamed block.
quant::Tensor bigTensor() {
  quant::GeneratorSpec g;
  g.distribution = quant::Distribution::Laplace;
  g.shape = {3, 1000000};
  g.seed = 9;
  g.outlierCount = 3;
  g.outlierMagnitude = 30;
  return quant::generate(g);
}

struct StreamGuard {
  explicit StreamGuard(std::uint64_t bytes) { TensorLoader::setStreamBytesForTests(bytes); }
  ~StreamGuard() { TensorLoader::setStreamBytesForTests(0); }
};

}  // namespace

class TestGuiStreamed : public QObject {
  Q_OBJECT
 private slots:
  void streamedResultsEqualInMemory() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.npy"));
    const quant::Tensor t = bigTensor();
    quant::saveNpy(path.toStdString(), t);
    const StreamGuard stream(1 << 20);
    Session s;
    TensorLoader loader(&s, nullptr);
    QSignalSpy loaded(&loader, &TensorLoader::loaded);
    // The first results the views get are the sample's, and say so.
    bool sawSampled = false;
    connect(&s, &Session::resultsChanged, this, [&] {
      if (s.streamed() && s.histogramSampled() && s.metricsSampled() &&
          !s.histogram().counts.empty())
        sawSampled = true;
    });
    loader.open(path);
    QTRY_COMPARE(loaded.count(), 1);
    QVERIFY(s.streamed());
    QVERIFY(s.tensor().data.empty());  // mapped, not copied
    QCOMPARE(s.valueCount(), std::int64_t{3000000});
    QVERIFY(s.tensor().shape == t.shape);
    QCOMPARE(s.sampleSize(), std::size_t{256 * 4096});
    // Posted before the exact result, so it arrives first (flush() would skip it).
    QTRY_VERIFY(sawSampled);
    s.flush();
    QVERIFY(!s.histogramSampled());
    QVERIFY(!s.metricsSampled());
    QVERIFY2(s.lastError().isEmpty(), qPrintable(s.lastError()));

    // Min-max over every value: the in-memory path's params, histogram and metrics.
    const quant::QuantParams p =
        quant::calibrateParams(t, s.spec(), quant::CalibrationConfig{}, std::nullopt);
    QCOMPARE(s.params().scales.at(0), p.scales.at(0));
    QCOMPARE(s.params().zeroPoints.at(0), p.zeroPoints.at(0));
    QVERIFY(s.histogram().counts == quant::buildHistogram(t.data, 256).counts);
    std::vector<float> out(t.data.size());
    const quant::ErrorMetrics m = quant::fakeQuantizeMeasured(t.data, p, out);
    QCOMPARE(s.metrics().count, m.count);
    QCOMPARE(s.metrics().clipped, m.clipped);
    QVERIFY(std::abs(s.metrics().sqnrDb - m.sqnrDb) < 1e-9);

    // An edit: the exact metrics of the new spec, the histogram is not recomputed.
    quant::QuantSpec four = s.spec();
    four.bits = 4;
    s.setSpec(four, QStringLiteral("bits"));
    s.flush();
    const quant::QuantParams p4 =
        quant::calibrateParams(t, four, quant::CalibrationConfig{}, std::nullopt);
    QVERIFY(std::abs(s.metrics().mse - quant::fakeQuantizeMeasured(t.data, p4, out).mse) <=
            1e-12 * s.metrics().mse);
    QCOMPARE(s.params().spec.bits, 4);

    // Per-channel would need the channels in memory: an error, not wrong numbers.
    quant::QuantSpec perChannel = four;
    perChannel.granularity = quant::Granularity::PerChannel;
    perChannel.axis = 0;
    s.setSpec(perChannel, QStringLiteral("granularity"));
    s.flush();
    QVERIFY(!s.lastError().isEmpty());
    s.undoStack()->undo();
    s.flush();
    QVERIFY(s.lastError().isEmpty());

    // Loading an ordinary tensor leaves the streamed mode.
    s.setTensor(Session::defaultTensor(), QStringLiteral("sample"));
    s.flush();
    QVERIFY(!s.streamed());
    QCOMPARE(s.valueCount(), std::int64_t{16 * 256});
  }

  void smallFilesAreLoaded() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("small.npy"));
    quant::saveNpy(path.toStdString(), Session::defaultTensor());
    Session s;
    TensorLoader loader(&s, nullptr);
    QSignalSpy loaded(&loader, &TensorLoader::loaded);
    loader.open(path);
    QTRY_COMPARE(loaded.count(), 1);
    QVERIFY(!s.streamed());
    QCOMPARE(s.tensor().data.size(), std::size_t{16 * 256});
  }

  void stopKeepsTheSampledResults() {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("big.npy"));
    quant::saveNpy(path.toStdString(), bigTensor());
    const StreamGuard stream(1 << 20);
    Session s;
    TensorLoader loader(&s, nullptr);
    QSignalSpy loaded(&loader, &TensorLoader::loaded);
    loader.open(path);
    QTRY_COMPARE(loaded.count(), 1);
    // Stopped as soon as the sampled results are shown, with the exact pass running.
    bool stopped = false, histogramWasSampled = false;
    connect(&s, &Session::resultsChanged, this, [&] {
      if (!stopped && s.metricsSampled() && s.resultsPending()) {
        // (The sampled histogram, or the exact one when the metrics pass is running.)
        histogramWasSampled = s.histogramSampled();
        s.stopExactPass();
        stopped = true;
      }
    });
    QTRY_VERIFY(stopped);
    QVERIFY(!s.resultsPending());
    QTest::qWait(300);  // the stopped pass delivers nothing
    QVERIFY(s.metricsSampled());
    QCOMPARE(s.histogramSampled(), histogramWasSampled);
    QVERIFY(s.lastError().isEmpty());
    // The next edit computes the exact results again.
    quant::QuantSpec six = s.spec();
    six.bits = 6;
    s.setSpec(six, QStringLiteral("bits"));
    s.flush();
    QVERIFY(!s.metricsSampled());
    QVERIFY(!s.histogramSampled());
  }
};

QTEST_MAIN(TestGuiStreamed)
#include "tst_gui_streamed.moc"
