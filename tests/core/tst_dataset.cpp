// SPDX-License-Identifier: GPL-3.0-or-later
// IDX files (plain and gzip) and the Fashion-MNIST loader: round trips of every IDX type,
// tensorio integration, hostile files (truncation, bad headers, zip bombs, mismatched files)
// and, when Debian's dataset-fashion-mnist is installed, the real test split.
#include <zlib.h>

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <random>

#include "quant/io/dataset.h"
#include "quant/io/tensorio.h"
#include "testsupport.h"

using Bytes = std::vector<std::uint8_t>;

using quantlab::testing::errorOf;

namespace {

void putBe(Bytes& b, std::uint64_t v, int size) {
  for (int i = size - 1; i >= 0; --i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

Bytes idxHeader(std::uint8_t type, const std::vector<std::uint32_t>& dims) {
  Bytes b{0, 0, type, static_cast<std::uint8_t>(dims.size())};
  for (auto d : dims) putBe(b, d, 4);
  return b;
}

Bytes ubyteIdx(const std::vector<std::uint32_t>& dims, const Bytes& values) {
  Bytes b = idxHeader(0x08, dims);
  b.insert(b.end(), values.begin(), values.end());
  return b;
}

Bytes gzip(const Bytes& in) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
    return {};
  Bytes out(deflateBound(&zs, static_cast<uLong>(in.size())) + 64);
  zs.next_in = const_cast<Bytef*>(in.data());
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = out.data();
  zs.avail_out = static_cast<uInt>(out.size());
  const int r = deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return r == Z_STREAM_END ? out : Bytes{};
}

bool writeFile(const QString& path, const Bytes& b) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return false;
  return f.write(reinterpret_cast<const char*>(b.data()), static_cast<qint64>(b.size())) ==
         static_cast<qint64>(b.size());
}

std::string str(const QString& s) { return s.toStdString(); }

// A tiny Fashion-MNIST-like directory: n images of rows x cols, labels i % 10.
void writeSplit(const QString& dir, const QString& prefix, int n, int rows, int cols, bool gz,
                Bytes* pixelsOut = nullptr) {
  Bytes pixels(static_cast<std::size_t>(n * rows * cols));
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i * 37);
  Bytes labels(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i)
    labels[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i % 10);
  Bytes img = ubyteIdx({std::uint32_t(n), std::uint32_t(rows), std::uint32_t(cols)}, pixels);
  Bytes lab = ubyteIdx({std::uint32_t(n)}, labels);
  const QString sfx = gz ? ".gz" : "";
  writeFile(dir + "/" + prefix + "-images-idx3-ubyte" + sfx, gz ? gzip(img) : img);
  writeFile(dir + "/" + prefix + "-labels-idx1-ubyte" + sfx, gz ? gzip(lab) : lab);
  if (pixelsOut) *pixelsOut = pixels;
}

}  // namespace

class TestDataset : public QObject {
  Q_OBJECT
 private slots:
  // Every IDX type decodes big-endian values exactly, plain and gzipped.
  void everyTypeRoundTrips_data() {
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<int>("size");
    QTest::addColumn<QList<double>>("values");
    QTest::addRow("uint8") << 0x08 << "uint8" << 1 << QList<double>{0, 1, 127, 128, 255};
    QTest::addRow("int8") << 0x09 << "int8" << 1 << QList<double>{0, 1, -1, 127, -128};
    QTest::addRow("int16") << 0x0B << "int16" << 2 << QList<double>{0, 300, -300, 32767, -32768};
    QTest::addRow("int32") << 0x0C << "int32" << 4
                           << QList<double>{0, 70000, -70000, 16777216, -2147483648.0};
    QTest::addRow("float32") << 0x0D << "float32" << 4
                             << QList<double>{0.5, -1.25, 3.0e38, 1.0e-45, -0.0};
    QTest::addRow("float64") << 0x0E << "float64" << 8 << QList<double>{0.1, -2.5, 1e300, 0, 7};
  }
  void everyTypeRoundTrips() {
    QFETCH(int, type);
    QFETCH(QString, dtype);
    QFETCH(int, size);
    QFETCH(QList<double>, values);
    Bytes b =
        idxHeader(static_cast<std::uint8_t>(type), {1, static_cast<std::uint32_t>(values.size())});
    for (double v : values) {
      std::uint64_t bits = 0;
      if (type == 0x0D) {
        bits = std::bit_cast<std::uint32_t>(static_cast<float>(v));
      } else if (type == 0x0E) {
        bits = std::bit_cast<std::uint64_t>(v);
      } else {
        bits = static_cast<std::uint64_t>(static_cast<std::int64_t>(v));  // two's complement
      }
      putBe(b, bits, size);
    }
    for (bool gz : {false, true}) {
      const quant::Tensor t = quant::parseIdx(gz ? gzip(b) : b, "x.idx");
      QCOMPARE(QString::fromStdString(t.dtype), dtype);
      QCOMPARE(t.shape, (std::vector<std::int64_t>{1, values.size()}));
      QCOMPARE(t.data.size(), std::size_t(values.size()));
      for (qsizetype i = 0; i < values.size(); ++i) {
        // float64 narrows with ties-to-even, which is what a static_cast does for in-range
        // values; 1e300 overflows to +inf.
        const float want = values[i] > 3.5e38 ? INFINITY : static_cast<float>(values[i]);
        QCOMPARE(std::bit_cast<std::uint32_t>(t.data[static_cast<std::size_t>(i)]),
                 std::bit_cast<std::uint32_t>(want));
      }
      const quant::TensorInfo info = quant::inspectIdx(gz ? gzip(b) : b, "x.idx");
      QCOMPARE(info.shape, t.shape);
      QCOMPARE(info.byteSize, std::uint64_t(values.size() * size));
    }
  }

  // Random shapes of rank 1..4 with random bytes: shape and values survive, plain and gzip.
  void randomShapesRoundTrip() {
    std::mt19937 rng(20261122);
    for (int iter = 0; iter < 200; ++iter) {
      const int rank = 1 + static_cast<int>(rng() % 4);
      std::vector<std::uint32_t> dims;
      std::size_t n = 1;
      for (int r = 0; r < rank; ++r) {
        dims.push_back(rng() % 6);
        n *= dims.back();
      }
      Bytes vals(n);
      for (auto& v : vals) v = static_cast<std::uint8_t>(rng());
      const Bytes file = ubyteIdx(dims, vals);
      const quant::Tensor t = quant::parseIdx(iter % 2 ? gzip(file) : file, "r.idx");
      QCOMPARE(t.shape.size(), std::size_t(rank));
      for (int r = 0; r < rank; ++r)
        QCOMPARE(t.shape[std::size_t(r)], std::int64_t(dims[std::size_t(r)]));
      QCOMPARE(t.data.size(), n);
      for (std::size_t i = 0; i < n; ++i) QCOMPARE(t.data[i], static_cast<float>(vals[i]));
    }
  }

  // Files on disk go through tensorio: detection by magic (plain) or name (gzip).
  void tensorioReadsIdxFiles() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const Bytes file = ubyteIdx({2, 3}, {1, 2, 3, 4, 5, 255});
    const QString plain = dir.filePath("weights.bin");  // no IDX name: the magic decides
    const QString gz = dir.filePath("t10k-labels-idx1-ubyte.gz");
    const QString named = dir.filePath("x.idx");
    QVERIFY(writeFile(plain, file));
    QVERIFY(writeFile(gz, gzip(file)));
    QVERIFY(writeFile(named, file));
    for (const QString& p : {plain, gz, named}) {
      QCOMPARE(quant::detectFormat(str(p)), quant::TensorFormat::Idx);
      const auto infos = quant::listTensors(str(p));
      QCOMPARE(infos.size(), std::size_t(1));
      QCOMPARE(infos[0].shape, (std::vector<std::int64_t>{2, 3}));
      QCOMPARE(infos[0].dtype, std::string("uint8"));
      QCOMPARE(infos[0].byteSize, std::uint64_t(6));
      const quant::Tensor t = quant::loadTensor(str(p));
      QCOMPARE(t.data, (std::vector<float>{1, 2, 3, 4, 5, 255}));
      QCOMPARE(quant::loadIdx(str(p)).data, t.data);
    }
    // A gzip file without an IDX name is not claimed by IDX.
    QVERIFY(writeFile(dir.filePath("other.gz"), gzip(file)));
    QVERIFY(errorOf([&] {
              quant::detectFormat(str(dir.filePath("other.gz")));
            }).contains("unrecognised"));
    // An IDX name with a bad header gets the IDX parser's specific message.
    QVERIFY(writeFile(dir.filePath("bad-ubyte"), Bytes{'h', 'e', 'l', 'l', 'o', 0}));
    QVERIFY(errorOf([&] {
              quant::loadTensor(str(dir.filePath("bad-ubyte")));
            }).contains("wrong magic"));
    // IDX holds one tensor.
    QVERIFY(errorOf([&] { quant::loadTensor(str(plain), "w"); }).contains("single-tensor IDX"));
  }

  // Hostile headers and data: one-line quant::Error starting with the file name.
  void hostileFilesAreRefused_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("expected");
    auto qb = [](const Bytes& b) {
      return QByteArray(reinterpret_cast<const char*>(b.data()), qsizetype(b.size()));
    };
    QTest::addRow("empty") << QByteArray() << "truncated";
    QTest::addRow("short magic") << qb({0, 0, 8}) << "truncated";
    QTest::addRow("wrong magic") << qb({1, 0, 8, 1, 0, 0, 0, 0}) << "wrong magic";
    QTest::addRow("text") << QByteArray("hello world") << "wrong magic";
    QTest::addRow("type 0x0a") << qb(idxHeader(0x0A, {0})) << "unknown IDX type code 0x0a";
    QTest::addRow("type 0x07") << qb(idxHeader(0x07, {0})) << "unknown IDX type";
    QTest::addRow("rank 0") << qb({0, 0, 8, 0}) << "rank 0";
    QTest::addRow("rank 5") << qb(idxHeader(0x08, {1, 1, 1, 1, 1})) << "rank 5";
    QTest::addRow("header cut") << qb({0, 0, 8, 3, 0, 0, 0, 1, 0, 0}) << "truncated";
    QTest::addRow("dims overflow 2^62")
        << qb(idxHeader(0x0E, {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 4})) << "2^62";
    QTest::addRow("dims beyond data")
        << qb(idxHeader(0x0D, {0xFFFFFFu, 0xFFFFFFFu})) << "truncated";
    QTest::addRow("data cut") << qb(ubyteIdx({2, 2}, {1, 2, 3})) << "truncated";
    QTest::addRow("trailing bytes") << qb(ubyteIdx({2}, {1, 2, 3})) << "trailing bytes";
    QTest::addRow("gzip truncated") << qb([&] {
      Bytes g = gzip(ubyteIdx({100}, Bytes(100, 7)));
      g.resize(g.size() / 2);
      return g;
    }()) << "truncated gzip";
    QTest::addRow("gzip corrupt") << qb({0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff})
                                  << "gzip";
    QTest::addRow("gzip then garbage") << qb([&] {
      Bytes g = gzip(ubyteIdx({1}, {1}));
      g.push_back('x');
      return g;
    }()) << "after the end of the gzip data";
    QTest::addRow("gzip of a bad header") << qb(gzip(Bytes(1000, 0))) << "type code 0x00";
    QTest::addRow("gzip data cut") << qb(gzip(ubyteIdx({10, 10}, Bytes(99, 1)))) << "truncated";
    QTest::addRow("gzip trailing bytes")
        << qb(gzip(ubyteIdx({10}, Bytes(50, 1)))) << "trailing bytes";
    QTest::addRow("gzip declares 1 GiB")
        << qb(gzip(ubyteIdx({1024, 1024, 1024}, Bytes(4096, 0)))) << "may inflate to";
  }
  void hostileFilesAreRefused() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, expected);
    const std::span<const std::uint8_t> span(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                             std::size_t(bytes.size()));
    for (int inspect = 0; inspect < 2; ++inspect) {
      const QString msg = errorOf([&] {
        if (inspect) {
          quant::inspectIdx(span, "evil-ubyte");
        } else {
          quant::parseIdx(span, "evil-ubyte");
        }
      });
      QVERIFY2(msg.startsWith("evil-ubyte: "), qPrintable(msg));
      QVERIFY2(msg.contains(expected), qPrintable(msg));
      QVERIFY2(!msg.contains('\n'), qPrintable(msg));
    }
    // The same through a file on disk.
    QTemporaryDir dir;
    const QString p = dir.filePath("evil-ubyte");
    QVERIFY(writeFile(p, Bytes(span.begin(), span.end())));
    const QString msg = errorOf([&] { quant::loadIdx(str(p)); });
    QVERIFY2(msg.startsWith(p + ": ") && msg.contains(expected), qPrintable(msg));
  }

  // Every strict prefix of a valid file (plain or gzip) is refused, never misread.
  void everyTruncationIsRefused() {
    Bytes vals(60);
    for (std::size_t i = 0; i < vals.size(); ++i) vals[i] = static_cast<std::uint8_t>(i * 11);
    const Bytes plain = ubyteIdx({3, 4, 5}, vals);
    const Bytes gz = gzip(plain);
    for (const Bytes* f : {&plain, &gz}) {
      QVERIFY(!quant::parseIdx(*f, "ok").data.empty());
      for (std::size_t cut = 0; cut < f->size(); ++cut) {
        const std::span<const std::uint8_t> prefix(f->data(), cut);
        const QString msg = errorOf([&] { quant::parseIdx(prefix, "cut-ubyte"); });
        QVERIFY2(msg.startsWith("cut-ubyte: "), qPrintable(QString::number(cut) + " " + msg));
      }
    }
  }

  // Concatenated gzip members are one stream (as gzip(1) writes with cat a.gz b.gz).
  void concatenatedGzipMembers() {
    const Bytes file = ubyteIdx({4}, {9, 8, 7, 6});
    Bytes a = gzip(Bytes(file.begin(), file.begin() + 6));
    const Bytes b = gzip(Bytes(file.begin() + 6, file.end()));
    a.insert(a.end(), b.begin(), b.end());
    QCOMPARE(quant::parseIdx(a, "cat.gz").data, (std::vector<float>{9, 8, 7, 6}));
  }

  // A zip bomb stops at the cap instead of allocating what it declares.
  void inflationIsCapped() {
    const Bytes zeros(8 << 20, 0);
    const Bytes gz = gzip(zeros);
    QVERIFY(gz.size() < 64 << 10);
    QCOMPARE(quant::inflateBytes(gz, "z.gz").size(), zeros.size());
    const QString msg = errorOf([&] { quant::inflateBytes(gz, "z.gz", 1 << 20); });
    QVERIFY2(msg.startsWith("z.gz: ") && msg.contains("more than"), qPrintable(msg));
    // An IDX header that declares less than the stream holds stops inflating early.
    Bytes idx = ubyteIdx({16}, Bytes(16, 1));
    idx.resize(idx.size() + (8 << 20), 0);
    const QString trailing = errorOf([&] { quant::parseIdx(gzip(idx), "t.gz"); });
    QVERIFY2(trailing.contains("trailing bytes"), qPrintable(trailing));
  }

  // A small data set directory: shape, scaling, labels, both splits and both spellings.
  void loadsTinyDataset_data() {
    QTest::addColumn<bool>("gz");
    QTest::addColumn<bool>("dotSpelling");
    QTest::addRow("plain") << false << false;
    QTest::addRow("gzip") << true << false;
    QTest::addRow("plain .idx3-ubyte") << false << true;
  }
  void loadsTinyDataset() {
    QFETCH(bool, gz);
    QFETCH(bool, dotSpelling);
    QTemporaryDir dir;
    Bytes pixels;
    writeSplit(dir.path(), "t10k", 12, 3, 2, gz, &pixels);
    writeSplit(dir.path(), "train", 7, 4, 4, gz);
    if (dotSpelling) {
      for (const char* kind : {"images-idx3", "labels-idx1"}) {
        for (const char* split : {"t10k", "train"}) {
          QString from = dir.filePath(QString("%1-%2-ubyte").arg(split, kind));
          QString to = from;
          to.replace("-idx", ".idx");
          QVERIFY(QFile::rename(from, to));
        }
      }
    }
    const quant::Dataset test = quant::loadFashionMnist(str(dir.path()), quant::Split::Test);
    QCOMPARE(test.images.shape, (std::vector<std::int64_t>{12, 1, 3, 2}));
    QCOMPARE(test.images.data.size(), pixels.size());
    for (std::size_t i = 0; i < pixels.size(); ++i) {
      QCOMPARE(test.images.data[i], static_cast<float>(pixels[i]) / 255.0f);
      QVERIFY(test.images.data[i] >= 0.0f && test.images.data[i] <= 1.0f);
    }
    QCOMPARE(test.labels.size(), std::size_t(12));
    for (std::size_t i = 0; i < 12; ++i) QCOMPARE(int(test.labels[i]), int(i % 10));
    QCOMPARE(test.classNames.size(), std::size_t(10));
    QCOMPARE(test.classNames.front(), std::string("T-shirt/top"));
    QCOMPARE(test.classNames.back(), std::string("Ankle boot"));
    const quant::Dataset train = quant::loadFashionMnist(str(dir.path()), quant::Split::Train);
    QCOMPARE(train.images.shape, (std::vector<std::int64_t>{7, 1, 4, 4}));
  }

  void pixelScalingIsExact() {
    // p / 255 correctly rounded: the extremes are exact and the map is strictly increasing.
    Bytes all(256);
    for (int i = 0; i < 256; ++i) all[std::size_t(i)] = static_cast<std::uint8_t>(i);
    quant::Tensor img = quant::parseIdx(ubyteIdx({1, 16, 16}, all), "i");
    const quant::Dataset ds =
        quant::makeFashionMnist(img, quant::parseIdx(ubyteIdx({1}, {3}), "l"), "i", "l");
    QCOMPARE(ds.images.data.front(), 0.0f);
    QCOMPARE(ds.images.data.back(), 1.0f);
    for (int i = 1; i < 256; ++i) {
      QVERIFY(ds.images.data[std::size_t(i)] > ds.images.data[std::size_t(i - 1)]);
      QVERIFY(std::fabs(double(ds.images.data[std::size_t(i)]) - i / 255.0) <= 0.5 * 6e-8);
    }
  }

  void datasetErrors() {
    QTemporaryDir dir;
    const std::string d = str(dir.path());
    // Missing directory / files: the install hint.
    const QString missing = errorOf([&] { quant::loadFashionMnist(d + "/nowhere"); });
    QVERIFY2(missing.startsWith(QString::fromStdString("Fashion-MNIST not found in " + d +
                                                       "/nowhere: install it with `sudo apt-get "
                                                       "install dataset-fashion-mnist` or pass a "
                                                       "directory of IDX files")),
             qPrintable(missing));
    writeSplit(dir.path(), "t10k", 5, 2, 2, false);
    QVERIFY(errorOf([&] {
              quant::loadFashionMnist(d, quant::Split::Train);
            }).contains("missing train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz]"));
    const QString labels = dir.filePath("t10k-labels-idx1-ubyte");
    const QString images = dir.filePath("t10k-images-idx3-ubyte");
    // Mismatched counts.
    QVERIFY(writeFile(labels, ubyteIdx({4}, {0, 1, 2, 3})));
    QString msg = errorOf([&] { quant::loadFashionMnist(d); });
    QVERIFY2(msg.startsWith(images + ": has 5 images but " + labels + " has 4 labels"),
             qPrintable(msg));
    // A label beyond 9.
    QVERIFY(writeFile(labels, ubyteIdx({5}, {0, 1, 12, 3, 4})));
    msg = errorOf([&] { quant::loadFashionMnist(d); });
    QVERIFY2(msg.startsWith(labels + ": label 12 at index 2 is not a class"), qPrintable(msg));
    // Swapped files: the labels file holds images.
    QVERIFY(writeFile(labels, ubyteIdx({5, 2, 2}, Bytes(20, 0))));
    msg = errorOf([&] { quant::loadFashionMnist(d); });
    QVERIFY2(msg.startsWith(labels + ": expected unsigned-byte labels"), qPrintable(msg));
    // Images of another type.
    QVERIFY(writeFile(labels, ubyteIdx({5}, {0, 1, 2, 3, 4})));
    Bytes f = idxHeader(0x0B, {5, 2, 2});
    f.resize(f.size() + 40, 0);
    QVERIFY(writeFile(images, f));
    msg = errorOf([&] { quant::loadFashionMnist(d); });
    QVERIFY2(msg.startsWith(images + ": expected unsigned-byte images"), qPrintable(msg));
    // A corrupt images file names itself.
    QVERIFY(writeFile(images, Bytes{0, 0, 8, 3, 0}));
    msg = errorOf([&] { quant::loadFashionMnist(d); });
    QVERIFY2(msg.startsWith(images + ": truncated"), qPrintable(msg));
  }

  // The real data set, when Debian's package is installed.
  void realFashionMnistTestSplit() {
    if (!QDir(QString::fromUtf8(quant::kFashionMnistDir)).exists())
      QSKIP("dataset-fashion-mnist is not installed (sudo apt-get install dataset-fashion-mnist)");
    QElapsedTimer timer;
    timer.start();
    const quant::Dataset ds = quant::loadFashionMnist();
    qInfo("loaded the Fashion-MNIST test split in %lld ms",
          static_cast<long long>(timer.elapsed()));
    QCOMPARE(ds.images.shape, (std::vector<std::int64_t>{10000, 1, 28, 28}));
    QCOMPARE(ds.images.data.size(), std::size_t(10000 * 28 * 28));
    QCOMPARE(ds.labels.size(), std::size_t(10000));
    std::vector<int> hist(10, 0);
    for (auto l : ds.labels) ++hist[l];
    for (int c = 0; c < 10; ++c) QCOMPARE(hist[std::size_t(c)], 1000);
    const auto [lo, hi] = std::minmax_element(ds.images.data.begin(), ds.images.data.end());
    QCOMPARE(*lo, 0.0f);
    QCOMPARE(*hi, 1.0f);
    // Header-only listing of the training images through tensorio.
    const auto infos =
        quant::listTensors(std::string(quant::kFashionMnistDir) + "/train-images-idx3-ubyte.gz");
    QCOMPARE(infos.at(0).shape, (std::vector<std::int64_t>{60000, 28, 28}));
  }

  // quantlab-cli list works on IDX files.
  void cliListsIdx() {
    if (!QFile::exists(QStringLiteral(QUANTLAB_CLI))) QSKIP("quantlab-cli is not built");
    QTemporaryDir dir;
    const QString p = dir.filePath("w-ubyte.gz");
    QVERIFY(writeFile(p, gzip(ubyteIdx({3, 2}, {1, 2, 3, 4, 5, 6}))));
    QProcess proc;
    proc.start(QStringLiteral(QUANTLAB_CLI), {"list", p});
    QVERIFY(proc.waitForFinished(60000));
    const QByteArray out = proc.readAllStandardOutput();
    QCOMPARE(proc.exitCode(), 0);
    QVERIFY2(out.contains("uint8") && out.contains("[3, 2]"), out.constData());
  }
};

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
