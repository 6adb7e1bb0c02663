// SPDX-License-Identifier: GPL-3.0-or-later
// User data sets (quant/io/userdata.h, image.h): each source format, fitting to the model's
// input, normalisation, the calibration/evaluation splits, the unlabelled path, and a table of
// hostile files whose one-line errors must name the file.
#include <zlib.h>

#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>

#include "datafiles.h"
#include "quant/io/image.h"
#include "quant/io/userdata.h"
#include "quant/nn/evaluate.h"
#include "quant/nn/train.h"
#include "testsupport.h"

using namespace quantlab::testing;

namespace {

std::string str(const QString& s) { return s.toStdString(); }

// An IDX file: type 08 (uint8), the given dimensions, the bytes.
QByteArray idxBytes(const std::vector<int>& dims, const std::vector<unsigned char>& values) {
  QByteArray out("\0\0\x08", 3);
  out.append(char(dims.size()));
  for (int d : dims)
    for (int shift : {24, 16, 8, 0}) out.append(char((d >> shift) & 0xff));
  return out + QByteArray(reinterpret_cast<const char*>(values.data()), qsizetype(values.size()));
}

QByteArray gzipBytes(const QByteArray& raw) {
  z_stream zs{};
  deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  QByteArray out(qsizetype(deflateBound(&zs, uLong(raw.size())) + 32), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.constData()));
  zs.avail_in = uInt(raw.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = uInt(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(qsizetype(zs.total_out));
  deflateEnd(&zs);
  return out;
}

quant::DataOptions optionsFor(std::vector<std::int64_t> shape, std::int64_t classes = 10) {
  quant::DataOptions o;
  o.inputShape = std::move(shape);
  o.classes = classes;
  return o;
}

}  // namespace

class TestUserData : public QObject {
  Q_OBJECT
  QTemporaryDir dir_;
  QString path(const QString& name) const { return dir_.filePath(name); }

 private slots:
  // ---- formats ----
  void npzWithLabels() {
    std::vector<float> x(4 * 3 * 2 * 2);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float(i);
    const std::vector<long long> y{3, 0, 9, 1};
    QVERIFY(makeZip(path("set.npz"),
                    {{"x.npy", npyBytes("<f4", {4, 3, 2, 2}, rawBytes(x))},
                     {"y.npy", npyBytes("<i8", {4}, rawBytes(y))}},
                    true));
    const quant::UserData u = quant::loadUserData(str(path("set.npz")), optionsFor({3, 2, 2}));
    QCOMPARE(u.format, std::string("npz"));
    QVERIFY(u.labelled);
    QCOMPARE(u.samples.images.shape, (std::vector<std::int64_t>{4, 3, 2, 2}));
    QCOMPARE(u.samples.images.data, x);  // float data: divisor 1, no mean/std: unchanged
    QCOMPARE(u.samples.labels, (std::vector<std::uint8_t>{3, 0, 9, 1}));
    QCOMPARE(u.samples.classNames.size(), std::size_t(10));
  }

  void npyUnlabelledNhwcBytes() {
    // Two 2x2 RGB images stored [n, H, W, C] as uint8: transposed to [n, C, H, W], / 255.
    std::vector<unsigned char> x(2 * 2 * 2 * 3);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = static_cast<unsigned char>(10 * i);
    QVERIFY(writeFile(path("x.npy"), npyBytes("|u1", {2, 2, 2, 3}, rawBytes(x))));
    const quant::UserData u = quant::loadUserData(str(path("x.npy")), optionsFor({3, 2, 2}));
    QVERIFY(!u.labelled);
    QVERIFY(u.samples.labels.empty());
    QCOMPARE(u.samples.images.shape, (std::vector<std::int64_t>{2, 3, 2, 2}));
    // sample 1, channel 2, pixel (1, 0): stored at ((1 * 2 + 1) * 2 + 0) * 3 + 2 = 20.
    QCOMPARE(u.samples.images.data[((1 * 3 + 2) * 2 + 1) * 2 + 0], 200.0f / 255.0f);
  }

  void idxPairGzipFitsAFlatModel() {
    std::vector<unsigned char> images(3 * 4 * 4);
    for (std::size_t i = 0; i < images.size(); ++i) images[i] = static_cast<unsigned char>(i * 5);
    QVERIFY(writeFile(path("digits-images-idx3-ubyte.gz"), gzipBytes(idxBytes({3, 4, 4}, images))));
    QVERIFY(writeFile(path("digits-labels-idx1-ubyte"), idxBytes({3}, {2, 7, 1})));
    const quant::UserData u =
        quant::loadUserData(str(path("digits-images-idx3-ubyte.gz")), optionsFor({16}));
    QCOMPARE(u.format, std::string("idx"));
    QVERIFY(u.labelled);
    QCOMPARE(u.samples.labels, (std::vector<std::uint8_t>{2, 7, 1}));
    QCOMPARE(u.samples.images.shape, (std::vector<std::int64_t>{3, 16}));
    // Division, as loadFashionMnist: p / 255 correctly rounded.
    QCOMPARE(u.samples.images.data[17], float(images[17]) / 255.0f);
  }

  void imageFolderPngAndJpeg() {
    const QString root = path("folder");
    QVERIFY(QDir().mkpath(root + "/cat") && QDir().mkpath(root + "/dog") &&
            QDir().mkpath(root + "/empty"));
    std::vector<unsigned char> rgb(8 * 8 * 3, 0);
    for (std::size_t i = 0; i < rgb.size(); i += 3) rgb[i] = 255;  // pure red
    QVERIFY(writeFile(root + "/cat/a.png", pngBytes(8, 8, 3, rgb)));
    QVERIFY(writeFile(root + "/cat/b.PNG", pngBytes(8, 8, 3, rgb)));
    const std::vector<unsigned char> grey(6 * 4, 128);
    QVERIFY(writeFile(root + "/dog/c.jpg", jpegBytes(6, 4, 1, grey)));
    QVERIFY(writeFile(root + "/dog/notes.txt", "not an image"));
    quant::DataOptions o = optionsFor({3, 4, 4});
    o.fit = quant::ImageFit::Stretch;
    const quant::UserData u = quant::loadUserData(str(root), o);
    QCOMPARE(u.format, std::string("image-folder"));
    QCOMPARE(u.samples.classNames, (std::vector<std::string>{"cat", "dog"}));
    QCOMPARE(u.samples.labels, (std::vector<std::uint8_t>{0, 0, 1}));
    QCOMPARE(u.samples.images.shape, (std::vector<std::int64_t>{3, 3, 4, 4}));
    // Red stays red after resizing (bilinear of a constant image), / 255.
    QCOMPARE(u.samples.images.data[0], 1.0f);
    QCOMPARE(u.samples.images.data[16], 0.0f);
    // Grey JPEG -> three equal channels near 128 / 255 (JPEG is lossy: within 2 levels).
    const float* dog = u.samples.images.data.data() + 2 * 48;
    QVERIFY(std::abs(dog[0] - 128.0f / 255.0f) < 2.0f / 255.0f);
    QCOMPARE(dog[0], dog[16]);
    QCOMPARE(dog[16], dog[32]);
    // Without a fit the sizes must match.
    o.fit = quant::ImageFit::Exact;
    const std::string msg = errorString([&] { quant::loadUserData(str(root), o); });
    QVERIFY2(msg.find("choose a fit") != std::string::npos, msg.c_str());
  }

  void fitImage() {
    quant::Tensor img;
    img.shape = {1, 2, 4};
    img.data = {0, 1, 2, 3, 4, 5, 6, 7};
    // Already the right shape: the very same values.
    QCOMPARE(quant::fitImage(img, 1, 2, 4, quant::ImageFit::Exact, "t").data, img.data);
    // Crop to 2x2 keeps the centre columns 1..2 (no resampling needed: scale 1).
    const quant::Tensor c = quant::fitImage(img, 1, 2, 2, quant::ImageFit::Crop, "t");
    QCOMPARE(c.data, (std::vector<float>{1, 2, 5, 6}));
    // Stretch to 1x2 samples at source centres (0.5, 1) and (0.5, 3): averages of rows.
    const quant::Tensor s = quant::fitImage(img, 1, 1, 2, quant::ImageFit::Stretch, "t");
    QCOMPARE(s.data, (std::vector<float>{2.5f, 4.5f}));
    // RGB -> grey uses BT.601 luma.
    quant::Tensor rgb;
    rgb.shape = {3, 1, 1};
    rgb.data = {100, 200, 50};
    QCOMPARE(quant::fitImage(rgb, 1, 1, 1, quant::ImageFit::Exact, "t").data[0],
             float(0.299 * 100 + 0.587 * 200 + 0.114 * 50));
  }

  // ---- normalisation ----
  void normalisation() {
    quant::Tensor t;
    t.shape = {2, 2, 1, 2};
    t.data = {0, 255, 51, 102, 255, 0, 102, 51};
    quant::Normalization n;
    n.mean = {0.5f, 0.2f};
    n.std = {0.5f, 0.1f};
    quant::normalizeSamples(t, n, true, "t");
    QCOMPARE(t.data[0], (0.0f / 255.0f - 0.5f) / 0.5f);
    QCOMPARE(t.data[1], (255.0f / 255.0f - 0.5f) / 0.5f);
    QCOMPARE(t.data[2], (51.0f / 255.0f - 0.2f) / 0.1f);
    QCOMPARE(t.data[7], (51.0f / 255.0f - 0.2f) / 0.1f);
    const quant::Normalization j = quant::parseNormalizationJson(
        R"({"scale": "1/255", "mean": [0.5, 0.2], "std": [0.5, 0.1]})", "n.json");
    QCOMPARE(*j.divisor, 255.0);
    QCOMPARE(j.mean, n.mean);
    QCOMPARE(quant::parseScaleDivisor("0.5"), 2.0);
    QCOMPARE(quant::normalizationPathFor("/m/cifar.onnx"),
             std::string("/m/cifar.normalization.json"));
    // Beside the model, found by name.
    QVERIFY(writeFile(path("m.normalization.json"), R"({"mean": 0.25})"));
    QCOMPARE(quant::normalizationBeside(str(path("m.onnx"))).mean, std::vector<float>{0.25f});
    QVERIFY(!quant::normalizationBeside(str(path("other.onnx"))).divisor);
    // A mean per channel must match the channels.
    quant::Tensor three;
    three.shape = {1, 3};
    three.data = {1, 2, 3};
    const std::string msg = errorString([&] { quant::normalizeSamples(three, n, false, "d.npy"); });
    QVERIFY2(msg.starts_with("d.npy: mean has 2 values"), msg.c_str());
  }

  // ---- splits ----
  void splits_data() {
    QTest::addColumn<QString>("calib");
    QTest::addColumn<QString>("eval");
    QTest::addColumn<bool>("overlap");
    QTest::addColumn<QString>("want");  // "c0:c1 e0:e1" or "error"
    QTest::addRow("default quarter") << ""
                                     << "" << false << "0:25 25:100";
    QTest::addRow("calibration alone") << "0:10"
                                       << "" << false << "0:10 10:100";
    QTest::addRow("calibration at the end") << "90:"
                                            << "" << false << "90:100 0:90";
    QTest::addRow("evaluation alone, capped") << ""
                                              << "50:" << false << "0:40 50:100";
    QTest::addRow("both") << "0:5"
                          << "60:70" << false << "0:5 60:70";
    QTest::addRow("first N") << "7"
                             << "" << false << "0:7 7:100";
    QTest::addRow("overlap refused") << "0:50"
                                     << "40:100" << false << "error";
    QTest::addRow("overlap allowed") << "0:50"
                                     << "40:100" << true << "0:50 40:100";
    QTest::addRow("middle needs the other") << "10:20"
                                            << "" << false << "error";
    QTest::addRow("beyond the end") << "0:101"
                                    << "" << false << "error";
    QTest::addRow("not a range") << "a:b"
                                 << "" << false << "error";
  }
  void splits() {
    QFETCH(QString, calib);
    QFETCH(QString, eval);
    QFETCH(bool, overlap);
    QFETCH(QString, want);
    auto opt = [](const QString& s) {
      return s.isEmpty() ? std::nullopt : std::optional<std::string>(s.toStdString());
    };
    std::string got;
    try {
      const quant::DataSplits s = quant::chooseSplits(100, opt(calib), opt(eval), 40, overlap);
      got = quant::sampleRangeText(s.calibration) + " " + quant::sampleRangeText(s.evaluation);
    } catch (const quant::Error&) {
      got = "error";
    }
    QCOMPARE(QString::fromStdString(got), want);
  }

  // ---- unlabelled data ----
  void unlabelledLabelsAreFp32Predictions() {
    const quant::Model m = quant::makeCnn(3, {2, 4}, 8, {3, 8, 8}, 5);
    std::vector<float> x(20 * 3 * 8 * 8);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = float((i * 7919) % 101) / 101.0f;
    QVERIFY(writeFile(path("u.npy"), npyBytes("<f4", {20, 3, 8, 8}, rawBytes(x))));
    quant::UserData u = quant::loadUserData(str(path("u.npy")), optionsFor({3, 8, 8}, 5));
    QVERIFY(!u.labelled);
    quant::labelWithPredictions(m, u.samples);
    QCOMPARE(u.samples.labels.size(), std::size_t(20));
    const std::vector<quant::EvalMode> modes{quant::EvalMode::WeightOnly};
    const quant::Evaluation ev = quant::evaluate(m, u.samples, modes, quant::EvalConfig{});
    // Against its own predictions fp32 is always right, and every other mode's accuracy is its
    // agreement.
    QCOMPARE(ev.modes[0].accuracy, 1.0);
    QCOMPARE(ev.modes[1].accuracy, ev.modes[1].agreement);
  }

  // ---- hostile files ----
  void hostile_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expect");
    const std::vector<float> x(2 * 4, 0.5f);
    QTest::addRow("npy of the wrong size")
        << "wrong.npy" << npyBytes("<f4", {2, 5}, rawBytes(std::vector<float>(10))) << "do not fit";
    QTest::addRow("png truncated")
        << "img/a/t.png" << pngBytes(4, 4, 3, std::vector<unsigned char>(48)).left(40)
        << "corrupt PNG";
    QTest::addRow("jpeg truncated")
        << "img/a/t.jpg" << jpegBytes(4, 4, 3, std::vector<unsigned char>(48)).left(30)
        << "corrupt JPEG";
    QTest::addRow("not an image") << "img/a/x.png" << QByteArray("GIF89a....") << "not a PNG";
    QTest::addRow("not a data set") << "text.bin" << QByteArray(5000, '\x01') << "";
  }
  void hostile() {
    QFETCH(QString, file);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expect);
    QTemporaryDir d;
    const QString p = d.filePath(file);
    QVERIFY(QDir().mkpath(QFileInfo(p).absolutePath()));
    QVERIFY(writeFile(p, bytes));
    // Image files are read through their folder.
    const QString source = file.startsWith("img/") ? d.filePath("img") : p;
    const std::string msg = errorString([&] {
      quant::loadUserData(str(source), optionsFor({1, 4, 4}));
    });
    QVERIFY2(msg.starts_with(str(file.startsWith("img/") ? p : source) + ": "), msg.c_str());
    QVERIFY2(msg.find('\n') == std::string::npos, msg.c_str());
    QVERIFY2(msg.find(str(expect)) != std::string::npos, msg.c_str());
  }

  void hostileNpz_data() {
    QTest::addColumn<QByteArray>("xName");
    QTest::addColumn<QByteArray>("y");
    QTest::addColumn<QString>("expect");
    const QByteArray f = npyBytes("<f4", {2}, rawBytes(std::vector<float>{0.5f, 1.5f}));
    QTest::addRow("no x") << QByteArray("inputs.npy") << QByteArray() << "no inputs array 'x'";
    QTest::addRow("float labels") << QByteArray("x.npy") << f << "not integers";
    QTest::addRow("label beyond the outputs")
        << QByteArray("x.npy") << npyBytes("<i8", {2}, rawBytes(std::vector<long long>{1, 10}))
        << "label 10 at index 1";
    QTest::addRow("wrong label count")
        << QByteArray("x.npy") << npyBytes("<i8", {3}, rawBytes(std::vector<long long>{1, 2, 3}))
        << "do not match the 2 samples";
  }
  void hostileNpz() {
    QFETCH(QByteArray, xName);
    QFETCH(QByteArray, y);
    QFETCH(QString, expect);
    QList<QPair<QByteArray, QByteArray>> members{
        {xName, npyBytes("<f4", {2, 1, 4, 4}, rawBytes(std::vector<float>(32, 0.25f)))}};
    if (!y.isEmpty()) members.append({"y.npy", y});
    QVERIFY(makeZip(path("h.npz"), members, false));
    const std::string msg = errorString([&] {
      quant::loadUserData(str(path("h.npz")), optionsFor({1, 4, 4}));
    });
    QVERIFY2(msg.starts_with(str(path("h.npz"))), msg.c_str());
    QVERIFY2(msg.find(str(expect)) != std::string::npos, msg.c_str());
  }
};

QTEST_GUILESS_MAIN(TestUserData)
#include "tst_userdata.moc"
