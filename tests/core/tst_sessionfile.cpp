// SPDX-License-Identifier: GPL-3.0-or-later
// .qlab session files: round trips of every tensor source and every spec field, and one-line
// errors (never a crash, never a partial state) for broken, foreign and newer files.
#include <QtTest>
#include <limits>
#include <random>

#include "quant/base/tensor.h"
#include "quant/course/sessionfile.h"

using namespace quant;

class TestSessionFile : public QObject {
  Q_OBJECT
 private slots:
  void roundTripGenerator();
  void roundTripValuesAndFile();
  void roundTripRandomSpecs();
  void rejects_data();
  void rejects();
  void olderFieldsOptional();
  void embeddedDataModelAndViews();
  void versionOneStillOpens();
};

void TestSessionFile::roundTripGenerator() {
  SessionState s;
  s.tensor.kind = TensorSourceKind::Generator;
  s.tensor.generator.distribution = Distribution::Laplace;
  s.tensor.generator.shape = {16, 256};
  s.tensor.generator.seed = 42;
  s.tensor.generator.scale = 0.25;
  s.tensor.generator.outlierCount = 3;
  s.tensor.generator.outlierMagnitude = 7.5;
  s.spec.bits = 4;
  s.spec.scheme = Scheme::Asymmetric;
  s.spec.isSigned = false;
  s.spec.granularity = Granularity::PerGroup;
  s.spec.axis = 1;
  s.spec.groupSize = 64;
  s.calibration = parseCalibration("percentile:99.9");
  s.manualRange = Range{-0.5f, 1.25f};
  s.probe = 0.3;
  s.view = "mapping";
  s.formatView = "bf16";
  s.lesson = SessionLessonRef{"uniform-affine", "vi", 3};

  const std::string text = writeSessionFile(s);
  QVERIFY(text.find("\"quantlab-session\"") != std::string::npos);
  const SessionState r = parseSessionFile(text);
  QCOMPARE(int(r.tensor.kind), int(TensorSourceKind::Generator));
  QCOMPARE(int(r.tensor.generator.distribution), int(Distribution::Laplace));
  QVERIFY(r.tensor.generator.shape == s.tensor.generator.shape);
  QCOMPARE(r.tensor.generator.seed, quint64(42));
  QCOMPARE(r.tensor.generator.scale, 0.25);
  QCOMPARE(r.tensor.generator.outlierCount, qint64(3));
  QCOMPARE(r.tensor.generator.outlierMagnitude, 7.5);
  QCOMPARE(r.spec.bits, 4);
  QCOMPARE(int(r.spec.scheme), int(Scheme::Asymmetric));
  QCOMPARE(r.spec.isSigned, false);
  QCOMPARE(int(r.spec.granularity), int(Granularity::PerGroup));
  QCOMPARE(r.spec.axis, 1);
  QCOMPARE(r.spec.groupSize, 64);
  QCOMPARE(int(r.calibration.method), int(CalibrationMethod::Percentile));
  QCOMPARE(r.calibration.percentile, 99.9);
  QVERIFY(r.manualRange.has_value());
  QCOMPARE(r.manualRange->lo, -0.5f);
  QCOMPARE(r.manualRange->hi, 1.25f);
  QCOMPARE(r.probe, 0.3);
  QCOMPARE(r.view, std::string("mapping"));
  QCOMPARE(r.formatView, std::string("bf16"));
  QVERIFY(r.lesson.has_value());
  QCOMPARE(r.lesson->id, std::string("uniform-affine"));
  QCOMPARE(r.lesson->language, std::string("vi"));
  QCOMPARE(r.lesson->step, 3);
  // Writing the parsed state gives the same bytes: nothing is lost or reinterpreted.
  QCOMPARE(writeSessionFile(r), text);
}

void TestSessionFile::roundTripValuesAndFile() {
  SessionState s;
  s.tensor.kind = TensorSourceKind::Values;
  // Values that need all 9 significant digits of a float survive the trip bit-exactly.
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1e6f, 1e6f);
  for (int i = 0; i < 600; ++i) s.tensor.values.push_back(u(rng) / 7.0f);
  s.tensor.values.push_back(1e-38f);
  s.tensor.values.push_back(-0.0f);
  s.tensor.shape = {602};
  const SessionState r = parseSessionFile(writeSessionFile(s));
  QCOMPARE(int(r.tensor.kind), int(TensorSourceKind::Values));
  QCOMPARE(r.tensor.values.size(), s.tensor.values.size());
  for (std::size_t i = 0; i < s.tensor.values.size(); ++i)
    QVERIFY2(r.tensor.values[i] == s.tensor.values[i], qPrintable(QString::number(i)));
  QVERIFY(!r.manualRange.has_value());
  QVERIFY(!r.lesson.has_value());

  SessionState f;
  f.tensor.kind = TensorSourceKind::File;
  f.tensor.path = "/data/ünïcode dir/weights.npz";
  f.tensor.tensorName = "conv1.weight";
  const SessionState rf = parseSessionFile(writeSessionFile(f));
  QCOMPARE(int(rf.tensor.kind), int(TensorSourceKind::File));
  QCOMPARE(rf.tensor.path, f.tensor.path);
  QCOMPARE(rf.tensor.tensorName, f.tensor.tensorName);
  QVERIFY(rf.tensor.values.empty());  // nothing embedded: the file is the data
}

void TestSessionFile::embeddedDataModelAndViews() {
  // A small tensor file travels inside the session (shape and values bit for bit); a larger one
  // and one with NaN (JSON has none) are saved as their path only.
  SessionState s;
  s.tensor.kind = TensorSourceKind::File;
  s.tensor.path = "weights.npz";
  s.tensor.tensorName = "conv1.weight";
  s.tensor.shape = {4, 1, 3, 3};
  for (int i = 0; i < 36; ++i) s.tensor.values.push_back(float(i - 17) / 7.0f);
  s.openViews = {"histogram", "mapping", "bench"};
  s.model = SessionModelRef{"cnn", "conv1", false};
  const std::string text = writeSessionFile(s);
  const SessionState r = parseSessionFile(text);
  QCOMPARE(int(r.tensor.kind), int(TensorSourceKind::File));
  QCOMPARE(r.tensor.shape, s.tensor.shape);
  QCOMPARE(r.tensor.values, s.tensor.values);
  QCOMPARE(r.openViews, s.openViews);
  QVERIFY(r.model.has_value());
  QCOMPARE(r.model->path, std::string("cnn"));
  QCOMPARE(r.model->layer, std::string("conv1"));
  QVERIFY(!r.model->activations);
  QCOMPARE(writeSessionFile(r), text);

  s.model->activations = true;
  QVERIFY(parseSessionFile(writeSessionFile(s)).model->activations);

  SessionState big = s;
  big.tensor.values.assign(kSessionEmbedMaxValues + 1, 0.5f);
  big.tensor.shape = {static_cast<std::int64_t>(kSessionEmbedMaxValues + 1)};
  QVERIFY(parseSessionFile(writeSessionFile(big)).tensor.values.empty());
  SessionState nan = s;
  nan.tensor.values[3] = std::numeric_limits<float>::quiet_NaN();
  const SessionState rn = parseSessionFile(writeSessionFile(nan));
  QVERIFY(rn.tensor.values.empty());
  QCOMPARE(rn.tensor.path, s.tensor.path);
}

void TestSessionFile::versionOneStillOpens() {
  // A file written before version 2 (no "data", "views" or "model") opens as it did.
  const SessionState s = parseSessionFile(
      R"({"format":"quantlab-session","version":1,)"
      R"("tensor":{"source":"file","path":"/home/teacher/w.npz","name":"fc1.weight"},)"
      R"("spec":{"bits":4,"granularity":"channel:0"},"calibration":"entropy","range":null,)"
      R"("probe":0.25,"view":"mapping","lesson":{"id":"granularity","language":"es","step":3}})");
  QCOMPARE(int(s.tensor.kind), int(TensorSourceKind::File));
  QCOMPARE(s.tensor.path, std::string("/home/teacher/w.npz"));
  QVERIFY(s.tensor.values.empty());
  QCOMPARE(s.spec.bits, 4);
  QCOMPARE(s.view, std::string("mapping"));
  QVERIFY(s.openViews.empty());
  QVERIFY(!s.model.has_value());
  QCOMPARE(s.lesson->step, 3);
}

void TestSessionFile::roundTripRandomSpecs() {
  // Property: every valid spec/calibration/range/probe combination survives write -> parse.
  std::mt19937 rng(1234);
  const char* calibs[] = {"minmax", "mse", "entropy", "percentile:99", "percentile:99.99"};
  for (int i = 0; i < 300; ++i) {
    SessionState s;
    s.spec.bits = 2 + int(rng() % 15);
    s.spec.scheme = rng() % 2 ? Scheme::Symmetric : Scheme::Asymmetric;
    s.spec.isSigned = rng() % 2;
    s.spec.narrowRange = rng() % 2;
    const int g = int(rng() % 3);
    s.spec.granularity = g == 0 ? Granularity::PerTensor
                                : (g == 1 ? Granularity::PerChannel : Granularity::PerGroup);
    s.spec.axis = int(rng() % 4);
    s.spec.groupSize = 1 + int(rng() % 256);
    try {
      s.spec.validate();
    } catch (const Error&) {
      continue;
    }
    s.calibration = parseCalibration(calibs[rng() % 5]);
    if (rng() % 2) {
      const float lo = -float(rng() % 1000) / 97.0f;
      s.manualRange = Range{lo, lo + 0.001f + float(rng() % 1000) / 13.0f};
    }
    s.probe = double(int(rng() % 20001) - 10000) / 333.0;
    const std::string text = writeSessionFile(s);
    const SessionState r = parseSessionFile(text);
    QCOMPARE(r.spec.bits, s.spec.bits);
    QCOMPARE(int(r.spec.scheme), int(s.spec.scheme));
    QCOMPARE(r.spec.isSigned, s.spec.isSigned);
    QCOMPARE(r.spec.narrowRange, s.spec.narrowRange);
    QCOMPARE(granularityText(r.spec), granularityText(s.spec));
    QCOMPARE(calibrationName(r.calibration), calibrationName(s.calibration));
    QCOMPARE(r.manualRange.has_value(), s.manualRange.has_value());
    if (s.manualRange) {
      QCOMPARE(r.manualRange->lo, s.manualRange->lo);
      QCOMPARE(r.manualRange->hi, s.manualRange->hi);
    }
    QCOMPARE(r.probe, s.probe);
    QCOMPARE(writeSessionFile(r), text);
  }
}

void TestSessionFile::rejects_data() {
  QTest::addColumn<QString>("text");
  QTest::addColumn<QString>("message");  // a substring of the one-line error
  const QString head = R"({"format":"quantlab-session","version":1,)";
  QTest::addRow("empty") << "" << "not valid JSON";
  QTest::addRow("truncated") << R"({"format":"quantlab-session","vers)" << "not valid JSON";
  QTest::addRow("array") << "[1,2]" << "not a JSON object";
  QTest::addRow("foreign") << R"({"format":"other","version":1})" << "quantlab-session";
  QTest::addRow("no version") << R"({"format":"quantlab-session"})" << "no version";
  QTest::addRow("newer") << R"({"format":"quantlab-session","version":3})"
                         << "newer";
  QTest::addRow("float version") << R"({"format":"quantlab-session","version":1.5})"
                                 << "no version";
  QTest::addRow("bits 1") << head + R"("spec":{"bits":1}})" << "spec.bits";
  QTest::addRow("bits huge") << head + R"("spec":{"bits":1e300}})" << "spec.bits";
  QTest::addRow("bits big int") << head + R"("spec":{"bits":18446744073709551615}})"
                                << "spec.bits";
  QTest::addRow("scheme") << head + R"("spec":{"scheme":"weird"}})" << "spec.scheme";
  QTest::addRow("granularity") << head + R"("spec":{"granularity":"group:0:0"}})" << "group";
  QTest::addRow("calibration") << head + R"("calibration":"magic"})" << "magic";
  QTest::addRow("range order") << head + R"("range":[1,0]})" << "lo < hi";
  QTest::addRow("range huge") << head + R"("range":[-1e39,0]})" << "float range";
  QTest::addRow("probe string") << head + R"("probe":"x"})" << "probe";
  QTest::addRow("unknown source") << head + R"("tensor":{"source":"web"}})" << "web";
  QTest::addRow("file no path") << head + R"("tensor":{"source":"file"}})" << "tensor.path";
  QTest::addRow("gen too big")
      << head + R"("tensor":{"source":"generate","distribution":"normal","shape":[65536,65536]}})"
      << "elements";
  QTest::addRow("gen zero dim")
      << head + R"("tensor":{"source":"generate","distribution":"normal","shape":[0]}})"
      << "tensor.shape";
  QTest::addRow("gen bad dist")
      << head + R"("tensor":{"source":"generate","distribution":"zipf","shape":[4]}})" << "zipf";
  QTest::addRow("values empty") << head + R"("tensor":{"source":"values","values":[]}})"
                                << "tensor.values";
  QTest::addRow("values shape")
      << head + R"("tensor":{"source":"values","values":[1,2,3],"shape":[2]}})" << "shape";
  QTest::addRow("values overflow")
      << head + R"("tensor":{"source":"values","values":[1e39]}})" << "float range";
  QTest::addRow("data not object")
      << head + R"("tensor":{"source":"file","path":"w.npy","data":[1]}})"
      << "tensor.data";
  QTest::addRow("data shape")
      << head + R"("tensor":{"source":"file","path":"w.npy","data":{"values":[1,2],"shape":[3]}}})"
      << "tensor.data.shape";
  QTest::addRow("data nan")
      << head + R"("tensor":{"source":"file","path":"w.npy","data":{"values":[NaN]}}})"
      << "not valid JSON";
  QTest::addRow("views not list") << head + R"("views":"histogram"})"
                                  << "views";
  QTest::addRow("views number") << head + R"("views":[1]})"
                                << "views";
  QTest::addRow("model no path") << head + R"("model":{"layer":"fc1"}})"
                                 << "model.path";
  QTest::addRow("model source") << head + R"("model":{"path":"cnn","layer_source":"gradients"}})"
                                << "layer_source";
  QTest::addRow("lesson step")
      << head + R"("lesson":{"id":"x","step":-1}})" << "lesson.step";
}

void TestSessionFile::rejects() {
  QFETCH(QString, text);
  QFETCH(QString, message);
  const QByteArray utf8 = text.toUtf8();
  try {
    (void)parseSessionFile(std::string_view(utf8.constData(), std::size_t(utf8.size())));
    QFAIL("parsed");
  } catch (const Error& e) {
    const QString what = QString::fromUtf8(e.what());
    QVERIFY2(what.contains(message), qPrintable(what));
    QVERIFY2(!what.contains('\n'), qPrintable(what));
  }
}

void TestSessionFile::olderFieldsOptional() {
  // The minimum file: everything else keeps its default.
  const SessionState s = parseSessionFile(R"({"format":"quantlab-session","version":1})");
  QCOMPARE(int(s.tensor.kind), int(TensorSourceKind::Default));
  QCOMPARE(s.spec.bits, QuantSpec{}.bits);
  QVERIFY(!s.manualRange);
  QVERIFY(!s.lesson);
}

QTEST_GUILESS_MAIN(TestSessionFile)
#include "tst_sessionfile.moc"
