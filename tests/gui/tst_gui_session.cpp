// SPDX-License-Identifier: GPL-3.0-or-later
// Session behaviour: batching, undo/redo, merge keys, tensor changes, agreement with core/ and
// error reporting.
#include <QSignalSpy>
#include <QTest>
#include <QUndoStack>
#include <cmath>

#include "quant/numeric/calibrate.h"
#include "quant/numeric/generate.h"
#include "quant/numeric/metrics.h"
#include "session.h"

using quantlab::ui::Session;

namespace {
quant::QuantSpec withBits(quant::QuantSpec s, int bits) {
  s.bits = bits;
  return s;
}
}  // namespace

class TestGuiSession : public QObject {
  Q_OBJECT
 private slots:
  void startsWithDefaultTensor();
  void batchesManyEditsIntoOneResult();
  void undoRedoRestoresSpec();
  void mergeKeys_data();
  void mergeKeys();
  void endMergeSequenceSplitsDrags_data();
  void endMergeSequenceSplitsDrags();
  void setTensorClearsUndo();
  void resultsMatchCore_data();
  void resultsMatchCore();
  void manualRangeIsUsedAndUndoable();
  void lastErrorOnBadAxis();
  void invalidSpecThrowsAndKeepsState();
};

void TestGuiSession::startsWithDefaultTensor() {
  Session s;
  s.flush();
  QCOMPARE(s.tensor().shape, (std::vector<std::int64_t>{16, 256}));
  QCOMPARE(s.tensor().data.size(), std::size_t{16 * 256});
  QVERIFY(s.lastError().isEmpty());
  QCOMPARE(s.params().scales.size(), std::size_t{1});
  QVERIFY(std::isfinite(s.metrics().sqnrDb));
  QCOMPARE(s.undoStack()->count(), 0);
}

void TestGuiSession::batchesManyEditsIntoOneResult() {
  Session s;
  s.flush();
  QSignalSpy results(&s, &Session::resultsChanged);
  QSignalSpy specs(&s, &Session::specChanged);
  for (int bits = 2; bits <= 16; ++bits) s.setSpec(withBits(s.spec(), bits), "bits");
  QCOMPARE(specs.count(), 15);   // every edit is announced...
  QCOMPARE(results.count(), 0);  // ...but nothing is recomputed within the turn
  QTRY_COMPARE(results.count(), 1);
  // Nothing else is pending: more event-loop turns emit nothing.
  for (int i = 0; i < 5; ++i) QCoreApplication::processEvents();
  QCOMPARE(results.count(), 1);
  QCOMPARE(s.params().spec.bits, 16);
}

void TestGuiSession::undoRedoRestoresSpec() {
  Session s;
  s.flush();
  const quant::QuantSpec original = s.spec();
  quant::QuantSpec a = withBits(original, 4);
  s.setSpec(a, "bits 4");
  quant::QuantSpec b = a;
  b.scheme = quant::Scheme::Asymmetric;
  b.isSigned = false;
  s.setSpec(b, "asym");
  QCOMPARE(s.undoStack()->count(), 2);
  s.undoStack()->undo();
  QCOMPARE(s.spec().bits, 4);
  QCOMPARE(s.spec().scheme, quant::Scheme::Symmetric);
  QCOMPARE(s.spec().isSigned, true);
  s.undoStack()->undo();
  QCOMPARE(s.spec().bits, original.bits);
  s.undoStack()->redo();
  s.undoStack()->redo();
  QCOMPARE(s.spec().bits, 4);
  QCOMPARE(s.spec().scheme, quant::Scheme::Asymmetric);
  QCOMPARE(s.spec().isSigned, false);
  // The results follow the restored spec.
  s.flush();
  QCOMPARE(s.params().spec.bits, 4);
  QCOMPARE(s.params().spec.scheme, quant::Scheme::Asymmetric);
}

void TestGuiSession::mergeKeys_data() {
  QTest::addColumn<int>("key");
  QTest::addColumn<int>("edits");
  QTest::addColumn<int>("expectedSteps");
  QTest::addRow("bits drag merges") << int(Session::kMergeBits) << 7 << 1;
  QTest::addRow("no key: one step each") << int(Session::kMergeNone) << 7 << 7;
  QTest::addRow("single edit") << int(Session::kMergeBits) << 1 << 1;
}

void TestGuiSession::mergeKeys() {
  QFETCH(int, key);
  QFETCH(int, edits);
  QFETCH(int, expectedSteps);
  Session s;
  const int start = s.spec().bits;
  for (int i = 1; i <= edits; ++i) s.setSpec(withBits(s.spec(), 2 + i), "drag", key);
  QCOMPARE(s.undoStack()->count(), expectedSteps);
  QCOMPARE(s.spec().bits, 2 + edits);
  while (s.undoStack()->canUndo()) s.undoStack()->undo();
  QCOMPARE(s.spec().bits, start);
  // Redo of a merged drag lands on its last value.
  s.undoStack()->redo();
  QCOMPARE(s.spec().bits, key == Session::kMergeNone ? 3 : 2 + edits);
}

void TestGuiSession::endMergeSequenceSplitsDrags_data() {
  QTest::addColumn<int>("key");
  QTest::addColumn<int>("drags");
  QTest::addColumn<int>("editsPerDrag");
  QTest::addRow("one bits drag") << int(Session::kMergeBits) << 1 << 5;
  QTest::addRow("two bits drags") << int(Session::kMergeBits) << 2 << 3;
  QTest::addRow("three range drags") << int(Session::kMergeRange) << 3 << 4;
  QTest::addRow("single-edit drags") << int(Session::kMergeRange) << 4 << 1;
}

void TestGuiSession::endMergeSequenceSplitsDrags() {
  QFETCH(int, key);
  QFETCH(int, drags);
  QFETCH(int, editsPerDrag);
  Session s;
  s.flush();
  std::vector<quant::Range> endOfDrag;
  std::vector<int> bitsAtEnd;
  int value = 0;
  for (int d = 0; d < drags; ++d) {
    s.endMergeSequence();  // drag starts
    for (int e = 0; e < editsPerDrag; ++e) {
      ++value;
      if (key == Session::kMergeBits)
        s.setSpec(withBits(s.spec(), 2 + value % 15), "drag", key);
      else
        s.setManualRange(quant::Range{-0.01f * value, 0.01f * value}, key);
    }
    s.endMergeSequence();  // drag ends
    bitsAtEnd.push_back(s.spec().bits);
    endOfDrag.push_back(s.manualRange().value_or(quant::Range{}));
  }
  // Exactly one undo step per drag, each restoring the state at the end of the previous one.
  QCOMPARE(s.undoStack()->count(), drags);
  for (int d = drags - 1; d >= 1; --d) {
    s.undoStack()->undo();
    QCOMPARE(s.spec().bits, bitsAtEnd[static_cast<std::size_t>(d - 1)]);
    if (key == Session::kMergeRange)
      QCOMPARE(s.manualRange()->hi, endOfDrag[static_cast<std::size_t>(d - 1)].hi);
  }
  s.undoStack()->undo();
  QCOMPARE(s.spec().bits, 8);
  QVERIFY(!s.manualRange().has_value());
  // Without endMergeSequence() the same edits merge (the key alone decides).
  Session t;
  for (int e = 0; e < drags * editsPerDrag; ++e)
    t.setManualRange(quant::Range{-0.01f * (e + 1), 0.01f * (e + 1)}, Session::kMergeRange);
  QCOMPARE(t.undoStack()->count(), 1);
}

void TestGuiSession::setTensorClearsUndo() {
  Session s;
  s.setSpec(withBits(s.spec(), 5), "bits");
  s.setManualRange(quant::Range{-0.1f, 0.1f});
  QCOMPARE(s.undoStack()->count(), 2);
  QSignalSpy tensors(&s, &Session::tensorChanged);
  quant::GeneratorSpec g;
  g.shape = {8, 32};
  g.seed = 7;
  s.setTensor(quant::generate(g), "gen");
  QCOMPARE(tensors.count(), 1);
  QCOMPARE(s.undoStack()->count(), 0);
  QVERIFY(!s.manualRange().has_value());  // a range for the old data means nothing now
  QCOMPARE(s.spec().bits, 5);             // the spec itself carries over
  QCOMPARE(s.tensorLabel(), QStringLiteral("gen"));
}

void TestGuiSession::resultsMatchCore_data() {
  QTest::addColumn<int>("bits");
  QTest::addColumn<bool>("isSigned");
  QTest::addColumn<int>("scheme");
  QTest::addColumn<QString>("granularity");
  QTest::addColumn<QString>("calibration");
  const int sym = int(quant::Scheme::Symmetric), asym = int(quant::Scheme::Asymmetric);
  QTest::addRow("int8 sym tensor minmax") << 8 << true << sym << "tensor"
                                          << "minmax";
  QTest::addRow("uint8 asym tensor minmax") << 8 << false << asym << "tensor"
                                            << "minmax";
  QTest::addRow("int4 sym channel") << 4 << true << sym << "channel:0"
                                    << "minmax";
  QTest::addRow("int4 asym group") << 4 << true << asym << "group:1:32"
                                   << "minmax";
  QTest::addRow("int8 percentile") << 8 << true << sym << "tensor"
                                   << "percentile:99.9";
  QTest::addRow("int6 mse") << 6 << true << asym << "tensor"
                            << "mse";
  QTest::addRow("int8 entropy") << 8 << true << sym << "tensor"
                                << "entropy";
  QTest::addRow("int3 histogram") << 3 << false << asym << "channel:-1"
                                  << "histogram";
  QTest::addRow("int16 moving avg") << 16 << true << sym << "tensor"
                                    << "moving-average";
}

void TestGuiSession::resultsMatchCore() {
  QFETCH(int, bits);
  QFETCH(bool, isSigned);
  QFETCH(int, scheme);
  QFETCH(QString, granularity);
  QFETCH(QString, calibration);
  Session s;
  quant::QuantSpec spec;
  spec.bits = bits;
  spec.isSigned = isSigned;
  spec.scheme = static_cast<quant::Scheme>(scheme);
  quant::parseGranularity(granularity.toStdString(), spec);
  const quant::CalibrationConfig config = quant::parseCalibration(calibration.toStdString());
  s.setSpec(spec, "spec");
  s.setCalibration(config);
  s.flush();
  QVERIFY2(s.lastError().isEmpty(), qPrintable(s.lastError()));

  const quant::QuantParams expected = quant::calibrateParams(s.tensor(), spec, config);
  QCOMPARE(s.params().scales, expected.scales);
  QCOMPARE(s.params().zeroPoints, expected.zeroPoints);
  std::vector<float> xhat(s.tensor().data.size());
  quant::fakeQuantize(s.tensor().data, expected, xhat);
  QCOMPARE(s.reconstructed(), xhat);
  const quant::ErrorMetrics m = quant::computeMetrics(s.tensor().data, xhat);
  QVERIFY2(std::abs(s.metrics().sqnrDb - m.sqnrDb) < 1e-6,
           qPrintable(QString("%1 vs %2").arg(s.metrics().sqnrDb).arg(m.sqnrDb)));
  QCOMPARE(s.slotMetrics().size(), expected.scales.size());
  // The histogram covers every value.
  QCOMPARE(s.histogram().total(), std::int64_t(s.tensor().data.size()));
}

void TestGuiSession::manualRangeIsUsedAndUndoable() {
  Session s;
  s.flush();
  const quant::Range before = s.activeRange();
  s.setManualRange(quant::Range{0.2f, -0.2f});  // reversed bounds are swapped
  s.flush();
  QVERIFY(s.manualRange().has_value());
  QCOMPARE(s.manualRange()->lo, -0.2f);
  QCOMPARE(s.activeRange().hi, 0.2f);
  const quant::QuantParams expected =
      quant::calibrateParams(s.tensor(), s.spec(), s.calibration(), quant::Range{-0.2f, 0.2f});
  QCOMPARE(s.params().scales, expected.scales);
  QVERIFY(s.metrics().clipped > 0);  // the default tensor has outliers beyond 0.2
  s.undoStack()->undo();
  s.flush();
  QVERIFY(!s.manualRange().has_value());
  QCOMPARE(s.activeRange().lo, before.lo);
  QCOMPARE(s.activeRange().hi, before.hi);
}

void TestGuiSession::lastErrorOnBadAxis() {
  Session s;
  quant::QuantSpec spec = s.spec();
  spec.granularity = quant::Granularity::PerChannel;
  spec.axis = 5;  // the default tensor has rank 2
  s.setSpec(spec, "bad axis");
  s.flush();
  QVERIFY(!s.lastError().isEmpty());
  QVERIFY2(s.lastError().contains("axis", Qt::CaseInsensitive), qPrintable(s.lastError()));
  // Undo brings back a valid spec and clears the error.
  s.undoStack()->undo();
  s.flush();
  QVERIFY2(s.lastError().isEmpty(), qPrintable(s.lastError()));
}

void TestGuiSession::invalidSpecThrowsAndKeepsState() {
  Session s;
  quant::QuantSpec spec = s.spec();
  spec.bits = 17;
  QVERIFY_THROWS_EXCEPTION(quant::Error, s.setSpec(spec, "bad"));
  QCOMPARE(s.spec().bits, 8);
  QCOMPARE(s.undoStack()->count(), 0);
}

QTEST_MAIN(TestGuiSession)
#include "tst_gui_session.moc"
