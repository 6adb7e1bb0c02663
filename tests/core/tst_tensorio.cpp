// SPDX-License-Identifier: GPL-3.0-or-later
// Tensor file I/O: exact dtype conversions, hand-built .npy/.npz/.safetensors/CSV files,
// round trips, and a table of hostile inputs that must each give one clear quant::Error.
// Over 700 lines: the hostile-input table and the byte-level file builders it needs (npy headers,
// zip members, safetensors JSON) are most of it, and they belong with the reader they attack.
#include <zip.h>

#include <QtTest>
#include <bit>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "quant/io/tensorio.h"
#include "datafiles.h"
#include "testsupport.h"

using quantlab::testing::writeFile;
using quantlab::testing::readFile;
using quantlab::testing::errorString;
using quantlab::testing::makeZip;

namespace {

// ---- byte builders ----

template <typename T>
QByteArray pack(std::initializer_list<T> values, bool bigEndian = false) {
  QByteArray out;
  for (T v : values) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    if (bigEndian != (std::endian::native == std::endian::big)) std::reverse(b, b + sizeof(T));
    out.append(b, sizeof(T));
  }
  return out;
}

// A .npy file with the given dict text; the header is padded to a 64-byte boundary.
QByteArray npyRaw(const QByteArray& dict, const QByteArray& data, int major = 1) {
  const int lenBytes = major == 1 ? 2 : 4;
  QByteArray header = dict;
  const int fixed = 8 + lenBytes;
  while ((fixed + header.size() + 1) % 64 != 0) header.append(' ');
  header.append('\n');
  QByteArray out("\x93NUMPY", 6);
  out.append(char(major)).append(char(0));
  const quint32 n = quint32(header.size());
  for (int i = 0; i < lenBytes; ++i) out.append(char((n >> (8 * i)) & 0xff));
  return out + header + data;
}

QByteArray npy(const QByteArray& descr, const QByteArray& shape, const QByteArray& data,
               bool fortran = false, int major = 1) {
  return npyRaw("{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") +
                    ", 'shape': " + shape + ", }",
                data, major);
}

QByteArray safetensors(const QByteArray& json, const QByteArray& data) {
  QByteArray out;
  const quint64 n = quint64(json.size());
  for (int i = 0; i < 8; ++i) out.append(char((n >> (8 * i)) & 0xff));
  return out + json + data;
}

QByteArray toBytes(const std::vector<std::uint8_t>& v) {
  return QByteArray(reinterpret_cast<const char*>(v.data()), qsizetype(v.size()));
}

std::span<const std::uint8_t> span(const QByteArray& b) {
  return {reinterpret_cast<const std::uint8_t*>(b.constData()), std::size_t(b.size())};
}

// Bitwise comparison (nan == nan, -0 != +0); empty string = equal.
QString diffValues(const std::vector<float>& got, const QList<float>& want) {
  if (got.size() != std::size_t(want.size())) {
    return QString("size %1 != %2").arg(got.size()).arg(want.size());
  }
  for (std::size_t i = 0; i < got.size(); ++i) {
    const float w = want[qsizetype(i)];
    const bool same = (std::isnan(got[i]) && std::isnan(w)) ||
                      std::bit_cast<std::uint32_t>(got[i]) == std::bit_cast<std::uint32_t>(w);
    if (!same) return QString("element %1: got %2, want %3").arg(i).arg(got[i]).arg(w);
  }
  return {};
}

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

}  // namespace

class TestTensorIO : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString path(const QString& name) const { return dir_.filePath(name); }

 private slots:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  // ---- scalar conversions ----

  void halfValues_data() {
    QTest::addColumn<int>("bits");
    QTest::addColumn<float>("value");
    QTest::addRow("+0") << 0x0000 << 0.0f;
    QTest::addRow("-0") << 0x8000 << -0.0f;
    QTest::addRow("1") << 0x3c00 << 1.0f;
    QTest::addRow("-2") << 0xc000 << -2.0f;
    QTest::addRow("1/3") << 0x3555 << 0.333251953125f;
    QTest::addRow("max 65504") << 0x7bff << 65504.0f;
    QTest::addRow("smallest normal") << 0x0400 << std::ldexp(1.0f, -14);
    QTest::addRow("smallest subnormal") << 0x0001 << std::ldexp(1.0f, -24);
    QTest::addRow("largest subnormal") << 0x03ff << std::ldexp(1023.0f, -24);
    QTest::addRow("-subnormal") << 0x8200 << -std::ldexp(512.0f, -24);
    QTest::addRow("+inf") << 0x7c00 << kInf;
    QTest::addRow("-inf") << 0xfc00 << -kInf;
  }
  void halfValues() {
    QFETCH(int, bits);
    QFETCH(float, value);
    const float got = quant::halfToFloat(std::uint16_t(bits));
    QCOMPARE(std::bit_cast<std::uint32_t>(got), std::bit_cast<std::uint32_t>(value));
  }

  void halfProperties() {
    // Every finite positive half is strictly larger than its predecessor, negation flips
    // the sign bit only, and exactly the 2 * 1023 encodings with exponent 31 and a non-zero
    // mantissa are nan.
    int nans = 0;
    for (int h = 0; h < 0x10000; ++h) {
      const float v = quant::halfToFloat(std::uint16_t(h));
      if (std::isnan(v)) ++nans;
      if (h > 0 && h <= 0x7c00) QVERIFY(v > quant::halfToFloat(std::uint16_t(h - 1)));
      if (h < 0x8000) {
        const float n = quant::halfToFloat(std::uint16_t(h | 0x8000));
        QCOMPARE(std::bit_cast<std::uint32_t>(n), std::bit_cast<std::uint32_t>(v) ^ 0x80000000u);
      }
    }
    QCOMPARE(nans, 2 * 1023);
  }

  void smallFloatFormats() {
    QCOMPARE(quant::bfloat16ToFloat(0x3f80), 1.0f);
    QCOMPARE(quant::bfloat16ToFloat(0xc040), -3.0f);
    QCOMPARE(quant::bfloat16ToFloat(0x0001), std::ldexp(1.0f, -133));
    QCOMPARE(quant::bfloat16ToFloat(0x7f80), kInf);
    QVERIFY(std::isnan(quant::bfloat16ToFloat(0x7fc0)));
    QCOMPARE(quant::float8e4m3ToFloat(0x38), 1.0f);
    QCOMPARE(quant::float8e4m3ToFloat(0x7e), 448.0f);
    QCOMPARE(quant::float8e4m3ToFloat(0xfe), -448.0f);
    QCOMPARE(quant::float8e4m3ToFloat(0x01), std::ldexp(1.0f, -9));
    QCOMPARE(quant::float8e4m3ToFloat(0x78), 256.0f);  // E4M3FN has no inf: exponent 15 is finite
    QVERIFY(std::isnan(quant::float8e4m3ToFloat(0x7f)));
    QCOMPARE(quant::float8e5m2ToFloat(0x3c), 1.0f);
    QCOMPARE(quant::float8e5m2ToFloat(0x7b), 57344.0f);
    QCOMPARE(quant::float8e5m2ToFloat(0x7c), kInf);
    QCOMPARE(quant::float8e5m2ToFloat(0x01), std::ldexp(1.0f, -16));
  }

  // ---- .npy ----

  void npyDtypes_data() {
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<QList<float>>("values");
    const QByteArray sh3 = "(3,)";
    for (bool big : {false, true}) {
      const QByteArray o = big ? ">" : "<";
      const char* e = big ? " BE" : " LE";
      QTest::addRow("f2%s", e) << npy(o + "f2", sh3, pack<quint16>({0x3c00, 0x8001, 0x7c00}, big))
                               << "float16" << QList<float>{1.0f, -std::ldexp(1.0f, -24), kInf};
      QTest::addRow("f4%s", e) << npy(o + "f4", sh3, pack<float>({1.5f, -0.0f, kNaN}, big))
                               << "float32" << QList<float>{1.5f, -0.0f, kNaN};
      QTest::addRow("f8%s", e) << npy(o + "f8", sh3, pack<double>({0.1, 1e300, -1e-300}, big))
                               << "float64" << QList<float>{0.1f, kInf, -0.0f};
      QTest::addRow("i2%s", e) << npy(o + "i2", sh3, pack<qint16>({-32768, 32767, -1}, big))
                               << "int16" << QList<float>{-32768.0f, 32767.0f, -1.0f};
      QTest::addRow("u2%s", e) << npy(o + "u2", sh3, pack<quint16>({65535, 0, 256}, big))
                               << "uint16" << QList<float>{65535.0f, 0.0f, 256.0f};
      QTest::addRow("i4%s", e) << npy(o + "i4", sh3,
                                      pack<qint32>({std::numeric_limits<qint32>::min(), 7, -7},
                                                   big))
                               << "int32" << QList<float>{-2147483648.0f, 7.0f, -7.0f};
      QTest::addRow("u4%s", e) << npy(o + "u4", sh3, pack<quint32>({4294967295u, 1, 16777217}, big))
                               << "uint32" << QList<float>{4294967296.0f, 1.0f, 16777216.0f};
      QTest::addRow("i8%s", e)
          << npy(o + "i8", sh3,
                 pack<qint64>({std::numeric_limits<qint64>::min(), -3, (qint64(1) << 53) + 1}, big))
          << "int64" << QList<float>{-9223372036854775808.0f, -3.0f, 9007199254740992.0f};
      QTest::addRow("u8%s", e) << npy(o + "u8", sh3, pack<quint64>({~quint64(0), 0, 42}, big))
                               << "uint64" << QList<float>{18446744073709551616.0f, 0.0f, 42.0f};
    }
    QTest::addRow("i1") << npy("|i1", "(4,)", QByteArray("\x80\x7f\xff\x00", 4)) << "int8"
                        << QList<float>{-128.0f, 127.0f, -1.0f, 0.0f};
    QTest::addRow("u1") << npy("|u1", "(3,)", QByteArray("\xff\x00\x10", 3)) << "uint8"
                        << QList<float>{255.0f, 0.0f, 16.0f};
    QTest::addRow("b1") << npy("|b1", "(3,)", QByteArray("\x01\x00\x01", 3)) << "bool"
                        << QList<float>{1.0f, 0.0f, 1.0f};
    // 1 + 2^-24 and 2^128 - 2^103 lie exactly halfway: ties go to the even neighbour
    // (1 and 2^128 = inf); 3.4028235e38 is above FLT_MAX but still rounds down to it.
    QTest::addRow("f8 rounds ties-to-even")
        << npy("<f8", "(3,)",
               pack<double>({1.0 + std::ldexp(1.0, -24), 3.4028235e38, 3.4028235677973366e38}))
        << "float64" << QList<float>{1.0f, std::numeric_limits<float>::max(), kInf};
    QTest::addRow("scalar") << npy("<f4", "()", pack<float>({2.5f})) << "float32"
                            << QList<float>{2.5f};
    QTest::addRow("empty") << npy("<f4", "(0, 3)", QByteArray()) << "float32" << QList<float>{};
  }
  void npyDtypes() {
    QFETCH(QByteArray, file);
    QFETCH(QString, dtype);
    QFETCH(QList<float>, values);
    const quant::Tensor t = quant::parseNpy(span(file), "mem.npy");
    QCOMPARE(QString::fromStdString(t.dtype), dtype);
    const QString diff = diffValues(t.data, values);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
    // The same bytes through a file give the same tensor.
    const QString p = path("dtype.npy");
    QVERIFY(writeFile(p, file));
    const quant::Tensor f = quant::loadTensor(p.toStdString());
    QCOMPARE(f.shape, t.shape);
    QVERIFY(diffValues(f.data, values).isEmpty());
    const auto infos = quant::listTensors(p.toStdString());
    QCOMPARE(infos.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(infos[0].dtype), dtype);
    QCOMPARE(infos[0].shape, t.shape);
  }

  void npyFortranOrder_data() {
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addRow("2x3") << QList<qint64>{2, 3};
    QTest::addRow("2x3x4") << QList<qint64>{2, 3, 4};
    QTest::addRow("1x5") << QList<qint64>{1, 5};
    QTest::addRow("3x1x2x2") << QList<qint64>{3, 1, 2, 2};
    QTest::addRow("vector") << QList<qint64>{6};
  }
  void npyFortranOrder() {
    // Element (i0, i1, ...) has the value of its row-major index; it is stored at its
    // column-major position. Loading must give 0, 1, 2, ... in row-major order.
    QFETCH(QList<qint64>, shape);
    qint64 n = 1;
    for (qint64 d : shape) n *= d;
    std::vector<float> colMajor(std::size_t(n), -1.0f);
    for (qint64 r = 0; r < n; ++r) {
      qint64 rem = r, c = 0, stride = 1;
      std::vector<qint64> idx(std::size_t(shape.size()));
      for (qsizetype k = shape.size(); k-- > 0;) {
        idx[std::size_t(k)] = rem % shape[k];
        rem /= shape[k];
      }
      for (qsizetype k = 0; k < shape.size(); ++k) {
        c += idx[std::size_t(k)] * stride;
        stride *= shape[k];
      }
      colMajor[std::size_t(c)] = float(r);
    }
    QByteArray data(reinterpret_cast<const char*>(colMajor.data()), qsizetype(n * 4));
    QByteArray shapeText = "(";
    for (qint64 d : shape) shapeText += QByteArray::number(d) + ",";
    shapeText += ")";
    const quant::Tensor t = quant::parseNpy(span(npy("<f4", shapeText, data, true)), "f.npy");
    QCOMPARE(t.shape, std::vector<std::int64_t>(shape.begin(), shape.end()));
    for (qint64 r = 0; r < n; ++r) QCOMPARE(t.data[std::size_t(r)], float(r));
  }

  void npyHeaderVariants_data() {
    QTest::addColumn<QByteArray>("file");
    const QByteArray d = pack<float>({1, 2, 3, 4, 5, 6});
    QTest::addRow("v1.0") << npy("<f4", "(2, 3)", d, false, 1);
    QTest::addRow("v2.0") << npy("<f4", "(2, 3)", d, false, 2);
    QTest::addRow("v3.0") << npy("<f4", "(2, 3)", d, false, 3);
    QTest::addRow("keys reordered, double quotes, no trailing comma")
        << npyRaw("{\"shape\": (2,3), \"fortran_order\": False, \"descr\": \"<f4\"}", d);
    QTest::addRow("python2 long dims") << npyRaw(
        "{'descr':'<f4','fortran_order':False,"
        "'shape':(2L, 3L),}",
        d);
    QTest::addRow("list shape, extra key")
        << npyRaw("{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3], 'x': None}", d);
    QTest::addRow("native order '='") << npy("=f4", "(2, 3)", d);
  }
  void npyHeaderVariants() {
    QFETCH(QByteArray, file);
    const quant::Tensor t = quant::parseNpy(span(file), "v.npy");
    QCOMPARE(t.shape, (std::vector<std::int64_t>{2, 3}));
    QVERIFY(diffValues(t.data, {1, 2, 3, 4, 5, 6}).isEmpty());
  }

  void npyRoundTrip_data() {
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addRow("scalar") << QList<qint64>{};
    QTest::addRow("empty") << QList<qint64>{0};
    QTest::addRow("vector") << QList<qint64>{7};
    QTest::addRow("matrix") << QList<qint64>{3, 5};
    QTest::addRow("conv") << QList<qint64>{4, 3, 3, 3};
    QTest::addRow("long shape") << QList<qint64>{1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 3};
  }
  void npyRoundTrip() {
    QFETCH(QList<qint64>, shape);
    quant::Tensor t;
    t.shape.assign(shape.begin(), shape.end());
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::uint32_t> bits;
    t.data.resize(std::size_t(t.numel()));
    for (float& x : t.data) x = std::bit_cast<float>(bits(rng));  // every pattern incl. nan/inf
    const QString p = path("round.npy");
    quant::saveNpy(p.toStdString(), t);
    const QByteArray bytes = readFile(p);
    const int headerLen = quint8(bytes[8]) | (quint8(bytes[9]) << 8);
    QCOMPARE((10 + headerLen) % 64, 0);
    QCOMPARE(bytes.size(), 10 + headerLen + qsizetype(t.data.size() * 4));
    const quant::Tensor back = quant::loadTensor(p.toStdString());
    QCOMPARE(back.shape, t.shape);
    QCOMPARE(back.dtype, std::string("float32"));
    QVERIFY(t.data.empty() || std::memcmp(back.data.data(), t.data.data(), t.data.size() * 4) == 0);
    // No temporary file is left next to the target.
    QCOMPARE(QDir(dir_.path()).entryList({"round.npy*"}, QDir::Files).size(), 1);
  }

  void saveNpyRefusesInconsistentTensor() {
    quant::Tensor t;
    t.shape = {2, 2};
    t.data = {1, 2, 3};
    const std::string p = path("bad.npy").toStdString();
    const std::string msg = errorString([&] { quant::saveNpy(p, t); });
    QVERIFY2(msg.starts_with(p) && msg.find("needs 4") != std::string::npos, msg.c_str());
    QVERIFY(!QFile::exists(path("bad.npy")));
  }

  void everyTruncationIsAnError() {
    // Property: every proper prefix of valid files is refused with quant::Error, never a
    // crash or a wrong tensor.
    const QByteArray n = npy("<f4", "(2, 3)", pack<float>({1, 2, 3, 4, 5, 6}));
    for (qsizetype len = 0; len < n.size(); ++len) {
      const std::string msg = errorString([&] { quant::parseNpy(span(n.left(len)), "t.npy"); });
      QVERIFY2(msg.starts_with("t.npy: "), msg.c_str());
    }
    const QByteArray s = safetensors(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})",
                                     pack<float>({1, 2}));
    for (qsizetype len = 0; len < s.size(); ++len) {
      const std::string msg =
          errorString([&] { quant::parseSafetensors(span(s.left(len)), "", "t.safetensors"); });
      QVERIFY2(msg.starts_with("t.safetensors: "), msg.c_str());
    }
    QVERIFY(makeZip(path("trunc.npz"), {{"a.npy", n}}, true));
    const QByteArray z = readFile(path("trunc.npz"));
    for (qsizetype len = 0; len < z.size(); ++len) {
      const std::string msg = errorString([&] { quant::parseNpz(span(z.left(len)), "", "t.npz"); });
      QVERIFY2(msg.starts_with("t.npz: "), msg.c_str());
    }
  }

  void byteFlipsNeverCrash() {
    // Property: any single corrupted byte either still parses or gives quant::Error.
    const QByteArray n = npy("<f2", "(2, 2)", pack<quint16>({1, 2, 3, 4}));
    const QByteArray s = safetensors(
        R"({"a":{"dtype":"BF16","shape":[2],"data_offsets":[0,4]},"__metadata__":{"k":"v"}})",
        pack<quint16>({0x3f80, 0x4000}));
    for (const QByteArray* f : {&n, &s}) {
      for (qsizetype i = 0; i < f->size(); ++i) {
        for (int v : {0x00, 0xff, 0x7f, int('('), int('['), int('9'), int('"')}) {
          QByteArray g = *f;
          g[i] = char(v);
          errorString([&] {
            if (f == &n) {
              quant::parseNpy(span(g), "f.npy");
            } else {
              quant::parseSafetensors(span(g), "", "f.safetensors");
            }
          });
        }
      }
    }
    QVERIFY(true);
  }

  // ---- .npz ----

  void npz_data() {
    QTest::addColumn<bool>("deflate");
    QTest::addRow("stored") << false;
    QTest::addRow("deflated") << true;
  }
  void npz() {
    QFETCH(bool, deflate);
    quant::Tensor a;
    a.shape = {64, 16};
    for (int i = 0; i < 64 * 16; ++i) a.data.push_back(float(i % 17) * 0.25f);
    const QByteArray aBytes = toBytes(quant::encodeNpy(a));
    const QByteArray bBytes = npy(">f2", "(2,)", pack<quint16>({0x3c00, 0xc000}, true));
    const QString p = path(deflate ? "d.npz" : "s.npz");
    QVERIFY(
        makeZip(p, {{"weight.npy", aBytes}, {"bias.npy", bBytes}, {"README.txt", "hi"}}, deflate));
    const auto infos = quant::listTensors(p.toStdString());
    QCOMPARE(infos.size(), std::size_t(2));
    QCOMPARE(infos[0].name, std::string("weight"));
    QCOMPARE(infos[0].dtype, std::string("float32"));
    QCOMPARE(infos[0].shape, (std::vector<std::int64_t>{64, 16}));
    QCOMPARE(infos[0].byteSize, std::uint64_t(64 * 16 * 4));
    QCOMPARE(infos[1].name, std::string("bias"));
    QCOMPARE(infos[1].dtype, std::string("float16"));

    const quant::Tensor w = quant::loadTensor(p.toStdString() + ":weight");
    QCOMPARE(w.name, std::string("weight"));
    QCOMPARE(w.shape, a.shape);
    QVERIFY(w.data == a.data);
    const quant::Tensor b = quant::loadTensor(p.toStdString(), "bias");
    QVERIFY(diffValues(b.data, {1.0f, -2.0f}).isEmpty());
    // In memory, the same.
    const QByteArray bytes = readFile(p);
    QVERIFY(quant::parseNpz(span(bytes), "weight", "m.npz").data == a.data);
    QCOMPARE(quant::listNpz(span(bytes), "m.npz").size(), std::size_t(2));

    const std::string noName = errorString([&] { quant::loadTensor(p.toStdString()); });
    QVERIFY2(noName.find("weight") != std::string::npos && noName.find("bias") != std::string::npos,
             noName.c_str());
    const std::string missing = errorString([&] { quant::loadTensor(p.toStdString(), "nope"); });
    QVERIFY2(missing.find("no tensor named 'nope'") != std::string::npos, missing.c_str());
  }

  void npzWithOneTensorNeedsNoName() {
    const QString p = path("one.npz");
    QVERIFY(makeZip(p, {{"only.npy", npy("<i4", "(2,)", pack<qint32>({-5, 5}))}}, true));
    const quant::Tensor t = quant::loadTensor(p.toStdString());
    QCOMPARE(t.name, std::string("only"));
    QCOMPARE(t.dtype, std::string("int32"));
    QVERIFY(diffValues(t.data, {-5.0f, 5.0f}).isEmpty());
  }

  // ---- .safetensors ----

  void safetensorsDtypes() {
    QByteArray data;
    QByteArray json = "{\"__metadata__\":{\"format\":\"pt\"}";
    auto add = [&](const char* name, const char* dtype, const char* shape, const QByteArray& d) {
      json += QString(",\"%1\":{\"dtype\":\"%2\",\"shape\":%3,\"data_offsets\":[%4,%5]}")
                  .arg(name, dtype, shape)
                  .arg(data.size())
                  .arg(data.size() + d.size())
                  .toUtf8();
      data += d;
    };
    add("z_f32", "F32", "[2,2]", pack<float>({1, -2, 3.5f, kInf}));
    add("y_f16", "F16", "[3]", pack<quint16>({0x3c00, 0x0001, 0xfc00}));
    add("x_bf16", "BF16", "[2]", pack<quint16>({0x3f80, 0xc040}));
    add("w_f64", "F64", "[1]", pack<double>({-0.1}));
    add("v_i8", "I8", "[2]", QByteArray("\x80\x7f", 2));
    add("u_u8", "U8", "[1]", QByteArray("\xff", 1));
    add("t_i16", "I16", "[1]", pack<qint16>({-300}));
    add("s_i32", "I32", "[1]", pack<qint32>({123456}));
    add("r_i64", "I64", "[1]", pack<qint64>({-(qint64(1) << 40)}));
    add("q_bool", "BOOL", "[2]", QByteArray("\x00\x01", 2));
    add("p_f8", "F8_E4M3", "[2]", QByteArray("\x38\x7e", 2));
    add("o_empty", "F32", "[0,4]", QByteArray());
    add("n_scalar", "F32", "[]", pack<float>({9}));
    json += "}";
    const QString p = path("m.safetensors");
    QVERIFY(writeFile(p, safetensors(json, data)));

    const auto infos = quant::listTensors(p.toStdString());
    QCOMPARE(infos.size(), std::size_t(13));
    QCOMPARE(infos[0].name, std::string("z_f32"));  // file order, not JSON key order
    QCOMPARE(infos[1].name, std::string("y_f16"));
    QCOMPARE(infos[1].byteSize, std::uint64_t(6));
    QCOMPARE(infos[2].dtype, std::string("bfloat16"));

    struct Want {
      const char* name;
      const char* dtype;
      QList<float> values;
    };
    const Want wants[] = {
        {"z_f32", "float32", {1, -2, 3.5f, kInf}},
        {"y_f16", "float16", {1, std::ldexp(1.0f, -24), -kInf}},
        {"x_bf16", "bfloat16", {1, -3}},
        {"w_f64", "float64", {-0.1f}},
        {"v_i8", "int8", {-128, 127}},
        {"u_u8", "uint8", {255}},
        {"t_i16", "int16", {-300}},
        {"s_i32", "int32", {123456}},
        {"r_i64", "int64", {-1099511627776.0f}},
        {"q_bool", "bool", {0, 1}},
        {"p_f8", "float8_e4m3fn", {1, 448}},
        {"o_empty", "float32", {}},
        {"n_scalar", "float32", {9}},
    };
    for (const Want& w : wants) {
      const quant::Tensor t = quant::loadTensor(p.toStdString() + ":" + w.name);
      QCOMPARE(t.name, std::string(w.name));
      QCOMPARE(t.dtype, std::string(w.dtype));
      const QString diff = diffValues(t.data, w.values);
      QVERIFY2(diff.isEmpty(), qPrintable(QString(w.name) + ": " + diff));
    }
    QCOMPARE(quant::loadTensor(p.toStdString(), "z_f32").shape, (std::vector<std::int64_t>{2, 2}));
  }

  void specWithColonInPath() {
    QVERIFY(QDir(dir_.path()).mkpath("we:ird"));
    const QString p = path("we:ird/a:b.npy");
    QVERIFY(writeFile(p, npy("<f4", "(1,)", pack<float>({4}))));
    QCOMPARE(quant::loadTensor(p.toStdString()).data, std::vector<float>{4});
    const std::string msg = errorString([&] { quant::loadTensor(p.toStdString() + ":x"); });
    QVERIFY2(msg.find("single-tensor") != std::string::npos, msg.c_str());
  }

  // ---- CSV ----

  void csv_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addColumn<QList<float>>("values");
    QTest::addRow("comma") << QByteArray("1,2,3\n4,5,6\n") << QList<qint64>{2, 3}
                           << QList<float>{1, 2, 3, 4, 5, 6};
    QTest::addRow("tab + header") << QByteArray("a\tb\n1.5\t-2\n") << QList<qint64>{1, 2}
                                  << QList<float>{1.5f, -2};
    QTest::addRow("semicolon, decimal comma")
        << QByteArray("x;y\n1,5;2\n-0,25;3e2\n") << QList<qint64>{2, 2}
        << QList<float>{1.5f, 2, -0.25f, 300};
    QTest::addRow("whitespace") << QByteArray("  1   2\t3\n4 5 6  \n") << QList<qint64>{2, 3}
                                << QList<float>{1, 2, 3, 4, 5, 6};
    QTest::addRow("CRLF, BOM, comments, blanks")
        << QByteArray("\xEF\xBB\xBF# saved by numpy\r\n\r\n1, 2\r\n\r\n3, 4\r\n")
        << QList<qint64>{2, 2} << QList<float>{1, 2, 3, 4};
    QTest::addRow("nan/inf") << QByteArray("nan,inf,-inf,+7,NaN,-Infinity\n") << QList<qint64>{1, 6}
                             << QList<float>{kNaN, kInf, -kInf, 7, kNaN, -kInf};
    QTest::addRow("single column stays 2-D")
        << QByteArray("value\n1\n2\n3") << QList<qint64>{3, 1} << QList<float>{1, 2, 3};
    QTest::addRow("quoted header") << QByteArray("\"w 1\",\"w 2\"\n0.1,1e-50\n")
                                   << QList<qint64>{1, 2} << QList<float>{0.1f, 0.0f};
  }
  void csv() {
    QFETCH(QByteArray, text);
    QFETCH(QList<qint64>, shape);
    QFETCH(QList<float>, values);
    const quant::Tensor t =
        quant::parseCsv(std::string_view(text.constData(), std::size_t(text.size())), "m.csv");
    QCOMPARE(t.shape, std::vector<std::int64_t>(shape.begin(), shape.end()));
    const QString diff = diffValues(t.data, values);
    QVERIFY2(diff.isEmpty(), qPrintable(diff));
  }

  // ---- hostile input ----

  void hostileInputs_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("keyword");
    const QByteArray f6 = pack<float>({1, 2, 3, 4, 5, 6});
    // .npy
    QTest::addRow("npy truncated data") << "td.npy" << npy("<f4", "(10,)", f6) << "truncated";
    QTest::addRow("npy truncated header")
        << "th.npy" << npy("<f4", "(2,)", "").left(40) << "truncated";
    QTest::addRow("npy huge shape, tiny file")
        << "hs.npy" << npy("<f8", "(1073741824,)", f6) << "truncated";
    QTest::addRow("npy v2 header length 2^32-1")
        << "hl.npy" << QByteArray("\x93NUMPY\x02\x00\xff\xff\xff\xff{}", 14) << "header length";
    QTest::addRow("npy shape product overflows")
        << "ov.npy" << npy("<f4", "(4294967296, 4294967296)", f6) << "2^62";
    QTest::addRow("npy dimension beyond int64")
        << "big.npy" << npy("<f4", "(99999999999999999999,)", f6) << "overflows";
    QTest::addRow("npy negative dimension") << "neg.npy" << npy("<f4", "(-1, 6)", f6) << "negative";
    QTest::addRow("npy version 9")
        << "v9.npy" << QByteArray("\x93NUMPY\x09\x00\x04\x00{}  ", 14) << "version";
    QTest::addRow("npy complex dtype") << "c.npy" << npy("<c8", "(1,)", f6) << "unsupported dtype";
    QTest::addRow("npy object array (pickled)") << "obj.npy" << npy("|O", "(1,)", f6) << "pickle";
    QTest::addRow("npy structured dtype")
        << "st.npy"
        << npyRaw("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}", f6)
        << "structured";
    QTest::addRow("npy unterminated dict")
        << "ud.npy" << npyRaw("{'descr': '<f4'", f6) << "malformed";
    QTest::addRow("npy deep nesting")
        << "dn.npy" << npyRaw(QByteArray(400, '(') + "{", f6) << "malformed";
    QTest::addRow("npy missing shape")
        << "ms.npy" << npyRaw("{'descr': '<f4', 'fortran_order': False}", f6) << "'shape'";
    QTest::addRow("npy wrong magic")
        << "wm.npy" << QByteArray("\x93NUMPX\x01\x00\x00\x00", 10) << "magic";
    QTest::addRow("npy empty") << "e.npy" << QByteArray() << "empty";
    // .safetensors
    QTest::addRow("st header length near 2^64")
        << "hl.safetensors" << QByteArray("\xf0\xff\xff\xff\xff\xff\xff\xff{}", 10)
        << "header length";
    QTest::addRow("st shorter than 8 bytes")
        << "s.safetensors" << QByteArray("\x02\x00\x00", 3) << "truncated";
    QTest::addRow("st offsets outside data")
        << "oo.safetensors"
        << safetensors(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", "1234")
        << "outside";
    QTest::addRow("st offsets reversed")
        << "or.safetensors"
        << safetensors(R"({"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}})", f6)
        << "outside";
    QTest::addRow("st size mismatch")
        << "sm.safetensors"
        << safetensors(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", f6) << "needs";
    QTest::addRow("st shape overflows")
        << "so.safetensors"
        << safetensors(
               R"({"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", f6)
        << "2^62";
    QTest::addRow("st negative dim")
        << "nd.safetensors"
        << safetensors(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", f6)
        << "non-negative";
    QTest::addRow("st offset 2^64-1")
        << "ob.safetensors"
        << safetensors(
               R"({"a":{"dtype":"U8","shape":[1],"data_offsets":[18446744073709551615,0]}})", f6)
        << "outside";
    QTest::addRow("st bad json") << "bj.safetensors" << safetensors("{\"a\": [1, 2", f6) << "JSON";
    QTest::addRow("st unsupported dtype")
        << "ud.safetensors"
        << safetensors(R"({"a":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}})", f6)
        << "unsupported dtype";
    QTest::addRow("st no tensors")
        << "nt.safetensors" << safetensors(R"({"__metadata__":{}})", "") << "no tensors";
    // .npz and zips
    QTest::addRow("npz garbage zip")
        << "g.npz" << QByteArray("PK\x03\x04garbage-garbage", 19) << "zip";
    // pickles
    QTest::addRow("pt extension") << "model.pt" << QByteArray("anything") << "pickle";
    QTest::addRow("pkl protocol 0") << "w.pkl" << QByteArray("(lp0\nI1\na.") << "pickle";
    QTest::addRow("ckpt") << "m.ckpt" << QByteArray("\x80\x04\x95", 3) << "pickle";
    QTest::addRow("bin holding a pickle")
        << "pytorch_model.bin" << QByteArray("\x80\x02\x63\x63ollections", 14) << "pickle";
    // other
    QTest::addRow("binary of unknown kind")
        << "x.dat" << QByteArray("\x01\x00\x02\x00", 4) << "unrecognised";
    QTest::addRow("csv ragged") << "r.csv" << QByteArray("1,2\n3,4\n5\n") << "line 3";
    QTest::addRow("csv not a number") << "n.csv" << QByteArray("1,2\n3,x4\n") << "line 2, column 2";
    QTest::addRow("csv only header") << "h.csv" << QByteArray("a,b\n") << "no numeric data";
    QTest::addRow("csv out of range") << "o.csv" << QByteArray("1e999\n") << "out of range";
  }
  void hostileInputs() {
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, keyword);
    const QString p = path(name);
    QVERIFY(writeFile(p, bytes));
    const std::string ps = p.toStdString();
    for (int api = 0; api < 2; ++api) {
      const std::string msg = errorString([&] {
        if (api == 0) {
          quant::loadTensor(ps);
        } else {
          quant::listTensors(ps);
        }
      });
      QVERIFY2(msg.starts_with(ps + ": "), msg.c_str());
      QVERIFY2(msg.find(keyword.toStdString()) != std::string::npos, msg.c_str());
      QVERIFY2(msg.find('\n') == std::string::npos, msg.c_str());
    }
  }

  void hostileZips_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("member");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("keyword");
    QTest::addRow("pytorch zip") << "model.pth"
                                 << "archive/data.pkl" << QByteArray("\x80\x02.", 3) << "pickle";
    QTest::addRow("pytorch zip as .bin") << "pytorch_model.bin"
                                         << "m/data.pkl" << QByteArray("\x80\x02.", 3) << "pickle";
    QTest::addRow("no npy members") << "n.npz"
                                    << "notes.txt" << QByteArray("x") << "no .npy";
    QTest::addRow("member truncated")
        << "t.npz"
        << "a.npy" << npy("<f4", "(100,)", pack<float>({1})) << "truncated";
    QTest::addRow("member bad magic") << "m.npz"
                                      << "a.npy" << QByteArray("hello world!") << "magic";
  }
  void hostileZips() {
    QFETCH(QString, name);
    QFETCH(QString, member);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, keyword);
    const QString p = path(name);
    QVERIFY(makeZip(p, {{member.toUtf8(), bytes}}, true));
    const std::string ps = p.toStdString();
    const std::string msg = errorString([&] { quant::loadTensor(ps); });
    QVERIFY2(msg.starts_with(ps + ": "), msg.c_str());
    QVERIFY2(msg.find(keyword.toStdString()) != std::string::npos, msg.c_str());
    const std::string listed = errorString([&] { quant::listTensors(ps); });
    QVERIFY2(listed.find(keyword.toStdString()) != std::string::npos, listed.c_str());
  }

  void pickleMessageExplainsTheFix() {
    const QString p = path("weights.pt");
    QVERIFY(writeFile(p, "x"));
    const std::string msg = errorString([&] { quant::loadTensor(p.toStdString()); });
    QVERIFY2(msg.find("arbitrary code") != std::string::npos, msg.c_str());
    QVERIFY2(msg.find("safetensors.torch.save_file") != std::string::npos, msg.c_str());
    QVERIFY2(msg.find("numpy.save") != std::string::npos, msg.c_str());
  }

  void directoriesAndMissingFiles() {
    const std::string d = dir_.path().toStdString();
    std::string msg = errorString([&] { quant::loadTensor(d); });
    QVERIFY2(msg.starts_with(d + ": ") && msg.find("directory") != std::string::npos, msg.c_str());
    msg = errorString([&] { quant::listTensors(d); });
    QVERIFY2(msg.find("directory") != std::string::npos, msg.c_str());
    const std::string missing = path("missing.npy").toStdString();
    msg = errorString([&] { quant::loadTensor(missing); });
    QVERIFY2(msg.starts_with(missing + ": ") && msg.find("no such file") != std::string::npos,
             msg.c_str());
    msg = errorString([&] { quant::loadTensor(missing + ":w"); });
    QVERIFY2(msg.find("missing.npy") != std::string::npos &&
                 msg.find("no such file") != std::string::npos,
             msg.c_str());
  }

  void filesLargerThanTheLimit_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("header");
    const QByteArray n = "2147483656";  // 2^31 + 8 one-byte elements
    QTest::addRow("npy") << "big.npy" << npy("|u1", "(" + n + ",)", QByteArray());
    QTest::addRow("safetensors") << "big.safetensors"
                                 << safetensors("{\"big\":{\"dtype\":\"U8\",\"shape\":[" + n +
                                                    "],\"data_offsets\":[0," + n + "]}}",
                                                QByteArray());
  }
  void filesLargerThanTheLimit() {
    // A sparse 2 GiB file: listing reads only the header; loading refuses before allocating
    // 8 GiB of floats.
    QFETCH(QString, name);
    QFETCH(QByteArray, header);
    const QString p = path(name);
    QVERIFY(writeFile(p, header));
    {
      QFile f(p);
      QVERIFY(f.resize(header.size() + 2147483656LL));
    }
    const std::string ps = p.toStdString();
    const auto infos = quant::listTensors(ps);
    QCOMPARE(infos.size(), std::size_t(1));
    QCOMPARE(infos[0].byteSize, std::uint64_t(2147483656ULL));
    QCOMPARE(infos[0].dtype, std::string("uint8"));
    const std::string msg = errorString([&] { quant::loadTensor(ps); });
    QVERIFY2(msg.starts_with(ps + ": ") && msg.find("limit of 2^31") != std::string::npos,
             msg.c_str());
    QFile::remove(p);
  }

  void fileTruncatedWhileMappedIsAnError_data() {
    QTest::addColumn<QByteArray>("descr");
    QTest::addColumn<int>("itemSize");
    QTest::addRow("float32 (memcpy)") << QByteArray("<f4") << 4;
    QTest::addRow("float16 (conversion loop)") << QByteArray("<f2") << 2;
  }

  // Another process truncates the .npy between two chunks of a memory-mapped load: the next
  // chunk touches pages past the new end of the file (SIGBUS), which must become an error
  // naming the file, not a crash; the guard stays usable for the next load.
  void fileTruncatedWhileMappedIsAnError() {
    QFETCH(QByteArray, descr);
    QFETCH(int, itemSize);
    constexpr qsizetype kElements = qsizetype{3} << 20;  // three 1 Mi-element chunks
    QByteArray data(kElements * itemSize, '\0');
    for (qsizetype i = 0; i < data.size(); ++i) data[i] = char((i * 7) % 61);  // finite values
    const QByteArray file = npy(descr, "(" + QByteArray::number(kElements) + ",)", data);
    const QString p = path("shrinks.npy");
    QVERIFY(writeFile(p, file));
    const std::string ps = p.toStdString();
    quant::setMemoryMapForTests(true);

    int reports = 0;
    bool truncated = false;
    const std::string msg = errorString([&] {
      quant::loadTensor(ps, "", [&](double) {
        ++reports;
        if (!truncated) {
          std::filesystem::resize_file(std::filesystem::path(ps), 4096);
          truncated = true;
        }
        return true;
      });
    });
    QVERIFY(truncated);
    QCOMPARE(reports, 1);  // the fault comes in the second chunk, before its report
    QCOMPARE(QString::fromStdString(msg), p + QStringLiteral(": file changed while reading"));

    // A fresh, intact file loads through the same (mapped) path afterwards, bit for bit.
    QVERIFY(writeFile(p, file));
    const quant::Tensor t = quant::loadTensor(ps, "", [](double) { return true; });
    QCOMPARE(t.numel(), std::int64_t{kElements});
    const quant::Tensor ref = quant::parseNpy(span(file), "ref.npy");
    QVERIFY(std::memcmp(t.data.data(), ref.data.data(), t.data.size() * 4) == 0);
    QFile::remove(p);
  }

  void sizeChecksHappenBeforeAllocation() {
    // A 100-byte file claiming 2^31 float64 elements (16 GiB) is refused from the header,
    // without trying to allocate anything of that size (ASan would report it otherwise).
    const QByteArray claim = npy("<f8", "(2147483648,)", QByteArray(40, '\0'));
    const std::string msg = errorString([&] { quant::parseNpy(span(claim), "c.npy"); });
    QVERIFY2(msg.find("truncated") != std::string::npos, msg.c_str());
    QVERIFY2(msg.find("17179869184") != std::string::npos, msg.c_str());
  }
};

QTEST_GUILESS_MAIN(TestTensorIO)
#include "tst_tensorio.moc"
