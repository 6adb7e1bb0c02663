// SPDX-License-Identifier: GPL-3.0-or-later
// Large .npy inputs: the memory-mapped loader against the stream reader and the in-memory
// parser (bit for bit, every dtype, byte order and memory order), progress and cancellation,
// and the refusals of tensors that are not there (truncated) or do not fit into memory.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <algorithm>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "quant/io/tensorio.h"
#include "testsupport.h"

using quantlab::testing::errorString;
using quantlab::testing::writeFile;

namespace {

// A .npy v1.0 file with a free-form descr/order/shape and raw data bytes.
QByteArray npyBytes(const QByteArray& descr, bool fortran, const QByteArray& shape,
                    const QByteArray& data) {
  QByteArray dict = "{'descr': '" + descr +
                    "', 'fortran_order': " + (fortran ? QByteArray("True") : QByteArray("False")) +
                    ", 'shape': " + shape + ", }";
  const int fixed = 10;
  int total = fixed + static_cast<int>(dict.size()) + 1;
  total = (total + 63) / 64 * 64;
  dict.append(QByteArray(total - fixed - static_cast<int>(dict.size()) - 1, ' '));
  dict.append('\n');
  QByteArray out("\x93NUMPY\x01\x00", 8);
  out.append(static_cast<char>(dict.size() & 0xff));
  out.append(static_cast<char>((dict.size() >> 8) & 0xff));
  out.append(dict);
  out.append(data);
  return out;
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

// Restores the process-wide test hooks even when a QVERIFY returns early.
struct HookGuard {
  ~HookGuard() {
    quant::setMemoryMapForTests(true);
    quant::setAvailableMemoryForTests(std::nullopt);
  }
};

}  // namespace

class TestBigTensor : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString path(const QString& name) const { return dir_.filePath(name); }

 private slots:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void mappedEqualsStreamed_data() {
    QTest::addColumn<QByteArray>("descr");
    QTest::addColumn<int>("itemSize");
    QTest::addColumn<bool>("fortran");
    QTest::addColumn<QByteArray>("shape");
    QTest::addColumn<int>("numel");
    const QList<QPair<QByteArray, int>> types = {{"f2", 2}, {"f4", 4}, {"f8", 8}, {"i1", 1},
                                                 {"i2", 2}, {"i4", 4}, {"i8", 8}, {"u1", 1},
                                                 {"u2", 2}, {"u4", 4}, {"u8", 8}, {"b1", 1}};
    for (const auto& [t, size] : types) {
      const QList<QByteArray> orders =
          size == 1 ? QList<QByteArray>{"|"} : QList<QByteArray>{"<", ">"};
      for (const QByteArray& o : orders) {
        for (bool fortran : {false, true}) {
          // 3x5x7 covers a reorder over three axes; 2x1300000 crosses the 1 Mi-element chunk.
          QTest::addRow("%s%s %s 3x5x7", o.constData(), t.constData(), fortran ? "F" : "C")
              << (o + t) << size << fortran << QByteArray("(3, 5, 7)") << 105;
          if (t == "f4" || t == "u1") {  // a copy and a conversion path
            QTest::addRow("%s%s %s 2x1300000", o.constData(), t.constData(), fortran ? "F" : "C")
                << (o + t) << size << fortran << QByteArray("(2, 1300000)") << 2600000;
          }
        }
      }
    }
    QTest::addRow("<f4 C empty (0,4)")
        << QByteArray("<f4") << 4 << false << QByteArray("(0, 4)") << 0;
    QTest::addRow("<f8 C scalar ()") << QByteArray("<f8") << 8 << false << QByteArray("()") << 1;
  }
  void mappedEqualsStreamed() {
    QFETCH(QByteArray, descr);
    QFETCH(int, itemSize);
    QFETCH(bool, fortran);
    QFETCH(QByteArray, shape);
    QFETCH(int, numel);
    HookGuard guard;
    // Random bytes: every bit pattern, including nan payloads, inf and subnormals.
    std::mt19937 rng(static_cast<unsigned>(numel * 131 + itemSize * 7 + (fortran ? 1 : 0)));
    QByteArray data(numel * itemSize, '\0');
    for (char& c : data) c = static_cast<char>(rng() & 0xff);
    const QByteArray file = npyBytes(descr, fortran, shape, data);
    const QString p = path("equal.npy");
    QVERIFY(writeFile(p, file));
    const std::string ps = p.toStdString();

    std::vector<double> reported;
    const quant::Tensor mapped = quant::loadTensor(ps, "", [&](double f) {
      reported.push_back(f);
      return true;
    });
    quant::setMemoryMapForTests(false);
    const quant::Tensor streamed = quant::loadTensor(ps, "", [](double) { return true; });
    const quant::Tensor plain = quant::loadTensor(ps);  // no progress: the default path
    quant::setMemoryMapForTests(true);
    const quant::Tensor parsed =
        quant::parseNpy(std::span(reinterpret_cast<const std::uint8_t*>(file.constData()),
                                  static_cast<std::size_t>(file.size())),
                        "equal.npy");

    QCOMPARE(parsed.data.size(), static_cast<std::size_t>(numel));
    QCOMPARE(mapped.shape, parsed.shape);
    QCOMPARE(mapped.dtype, parsed.dtype);
    QCOMPARE(streamed.shape, parsed.shape);
    QVERIFY2(sameBits(mapped.data, parsed.data), "mmap read differs from the in-memory parser");
    QVERIFY2(sameBits(streamed.data, parsed.data), "stream read differs from the in-memory parser");
    QVERIFY2(sameBits(plain.data, parsed.data), "default load differs from the in-memory parser");
    QVERIFY(!reported.empty());
    QCOMPARE(reported.back(), 1.0);
    // The file is opened read-only: it must be untouched.
    QFile f(p);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll() == file);
  }

  void progressOn64MiB_data() {
    QTest::addColumn<bool>("mapped");
    QTest::addRow("mmap") << true;
    QTest::addRow("stream") << false;
  }
  void progressOn64MiB() {
    QFETCH(bool, mapped);
    HookGuard guard;
    const qint64 n = qint64{16} << 20;  // 16 Mi float32 = 64 MiB
    const QString p = path("big64.npy");
    if (!QFile::exists(p)) {
      QByteArray data(static_cast<int>(n * 4), '\0');
      auto* f = reinterpret_cast<float*>(data.data());
      for (qint64 i = 0; i < n; ++i) f[i] = static_cast<float>(i % 1000) - 500.0f;
      QVERIFY(writeFile(p, npyBytes("<f4", false, "(4096, 4096)", data)));
    }
    quant::setMemoryMapForTests(mapped);
    std::vector<double> seen;
    const quant::Tensor t = quant::loadTensor(p.toStdString(), "", [&](double f) {
      seen.push_back(f);
      return true;
    });
    QCOMPARE(static_cast<qint64>(t.data.size()), n);
    QCOMPARE(t.data[0], -500.0f);
    QCOMPARE(t.data[static_cast<std::size_t>(n - 1)], static_cast<float>((n - 1) % 1000) - 500.0f);
    QVERIFY2(seen.size() >= 8, qPrintable(QString::number(seen.size())));  // real steps
    QVERIFY2(seen.front() > 0.0, "progress starts above 0");
    for (std::size_t i = 1; i < seen.size(); ++i) {
      QVERIFY2(seen[i] >= seen[i - 1], "progress never goes back");
      QVERIFY(seen[i] <= 1.0);
    }
    QCOMPARE(seen.back(), 1.0);
    QCOMPARE(std::count(seen.begin(), seen.end(), 1.0), std::ptrdiff_t(1));  // 1.0 exactly once
  }

  void cancelThrowsAndLeavesNothing_data() { progressOn64MiB_data(); }
  void cancelThrowsAndLeavesNothing() {
    QFETCH(bool, mapped);
    HookGuard guard;
    const QString p = path("cancel.npy");
    const QByteArray data(4 * (3 << 20), '\x3f');  // 3 Mi float32: several chunks
    const QByteArray file = npyBytes("<f4", false, "(3145728,)", data);
    QVERIFY(writeFile(p, file));
    const QStringList before = QDir(dir_.path()).entryList(QDir::Files);
    quant::setMemoryMapForTests(mapped);
    int calls = 0;
    const std::string ps = p.toStdString();
    const std::string msg =
        errorString([&] { quant::loadTensor(ps, "", [&](double) { return ++calls < 2; }); });
    QVERIFY2(msg.starts_with(ps + ": ") && msg.find("cancelled") != std::string::npos, msg.c_str());
    QCOMPARE(calls, 2);  // stopped at the first refusal, not at the end
    QCOMPARE(QDir(dir_.path()).entryList(QDir::Files), before);
    QFile f(p);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.readAll() == file);
    // Nothing stays locked or mapped in a broken state: the next load succeeds.
    const quant::Tensor t = quant::loadTensor(ps);
    QCOMPARE(t.data.size(), std::size_t(3) << 20);
  }

  void hugeHeaderInTinyFile() {
    // 10^12 float64 elements claimed by a 128-byte file: refused before any allocation, with
    // a message naming the file (the truncation check fires first, the limit would next).
    const QString p = path("claim.npy");
    QVERIFY(writeFile(p, npyBytes("<f8", false, "(1000000, 1000000)", QByteArray(64, '\0'))));
    const std::string ps = p.toStdString();
    for (bool mapped : {true, false}) {
      HookGuard guard;
      quant::setMemoryMapForTests(mapped);
      const std::string msg =
          errorString([&] { quant::loadTensor(ps, "", [](double) { return true; }); });
      QVERIFY2(msg.starts_with(ps + ": "), msg.c_str());
      QVERIFY2(
          msg.find("truncated") != std::string::npos || msg.find("memory") != std::string::npos,
          msg.c_str());
      QVERIFY2(msg.find("8000000000000") != std::string::npos, msg.c_str());  // bytes claimed
    }
  }

  void tensorTooLargeForMemoryIsRefused() {
    HookGuard guard;
    const QString p = path("mem.npy");
    const int n = 1 << 20;  // 4 MiB as float32
    QVERIFY(writeFile(p, npyBytes("<f2", false, "(1024, 1024)", QByteArray(n * 2, '\0'))));
    const std::string ps = p.toStdString();
    quant::setAvailableMemoryForTests(3'000'000);
    QVERIFY(quant::availableMemory() == std::optional<std::uint64_t>(3'000'000));
    for (bool mapped : {true, false}) {
      quant::setMemoryMapForTests(mapped);
      const std::string msg = errorString([&] { quant::loadTensor(ps); });
      QVERIFY2(msg.starts_with(ps + ": "), msg.c_str());
      QVERIFY2(msg.find("1048576 elements") != std::string::npos, msg.c_str());
      QVERIFY2(msg.find("needs 4.2 MB as float32") != std::string::npos, msg.c_str());
      QVERIFY2(msg.find("only 3.0 MB of memory is available") != std::string::npos, msg.c_str());
    }
    // The same file through the in-memory parser (the path .npz members take).
    QFile f(p);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    const std::string msg = errorString([&] {
      quant::parseNpy(std::span(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                static_cast<std::size_t>(bytes.size())),
                      "m.npy");
    });
    QVERIFY2(msg.starts_with("m.npy: ") && msg.find("memory is available") != std::string::npos,
             msg.c_str());
    // Just enough memory: the load goes through.
    quant::setAvailableMemoryForTests(std::uint64_t{4} << 20);
    QCOMPARE(quant::loadTensor(ps).data.size(), std::size_t(n));
    // Without the hook the real value comes back (this machine has more than 4 MiB free).
    quant::setAvailableMemoryForTests(std::nullopt);
    const auto real = quant::availableMemory();
    QVERIFY(real.has_value());
    QVERIFY(*real > (std::uint64_t{4} << 20));
  }

  void fortranNeedsTwoBuffers() {
    // Reordering Fortran data needs a second float32 buffer; the check counts it.
    HookGuard guard;
    const QString p = path("fortran.npy");
    QVERIFY(writeFile(p, npyBytes("<f4", true, "(512, 1024)", QByteArray(4 << 19, '\0'))));
    const std::string ps = p.toStdString();
    quant::setAvailableMemoryForTests(3'000'000);  // 2 MiB fits once, not twice
    const std::string msg = errorString([&] { quant::loadTensor(ps); });
    QVERIFY2(msg.starts_with(ps + ": ") && msg.find("second buffer") != std::string::npos,
             msg.c_str());
  }
};

QTEST_GUILESS_MAIN(TestBigTensor)
#include "tst_large_npy.moc"
