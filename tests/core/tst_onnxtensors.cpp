// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX models as a tensor source: models built with the generated protobuf classes, written to a
// temporary directory, then listed and loaded through tensorio's public entry points. Checks
// every data layout ONNX allows against the exact scalar conversions, Constant nodes, name
// selection, and a table of malformed models that must each give one clear quant::Error.
#include <onnx/onnx_pb.h>

#include <QProcess>
#include <QtTest>
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "quant/io/tensorio.h"
#include "testsupport.h"

using quantlab::testing::errorOf;
using quantlab::testing::writeFile;

namespace {

onnx::ModelProto emptyModel() {
  onnx::ModelProto m;
  m.set_ir_version(8);
  m.set_producer_name("tst_onnxtensors");
  m.add_opset_import()->set_version(17);
  m.mutable_graph()->set_name("g");
  return m;
}

onnx::TensorProto* addInit(onnx::ModelProto& m, const std::string& name, int type,
                           std::initializer_list<std::int64_t> dims) {
  onnx::TensorProto* t = m.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(type);
  for (auto d : dims) t->add_dims(d);
  return t;
}

template <typename T>
std::string rawBytes(const std::vector<T>& v) {
  static_assert(std::endian::native == std::endian::little);
  return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

QByteArray serialise(const onnx::ModelProto& m) {
  std::string s;
  m.SerializeToString(&s);
  return QByteArray(s.data(), qsizetype(s.size()));
}

std::span<const std::uint8_t> span(const QByteArray& b) {
  return {reinterpret_cast<const std::uint8_t*>(b.constData()), std::size_t(b.size())};
}

bool sameBits(float a, float b) {
  return std::bit_cast<std::uint32_t>(a) == std::bit_cast<std::uint32_t>(b);
}

// A model with one initializer of each common layout, used by several tests.
onnx::ModelProto mixedModel() {
  onnx::ModelProto m = emptyModel();
  addInit(m, "fc1.weight", onnx::TensorProto::FLOAT, {2, 3})
      ->set_raw_data(rawBytes<float>({1.0f, -2.0f, 3.5f, 0.25f, -0.125f, 7.0f}));
  auto* b = addInit(m, "fc1.bias", onnx::TensorProto::FLOAT, {2});
  b->add_float_data(0.5f);
  b->add_float_data(-1.5f);
  auto* h = addInit(m, "half", onnx::TensorProto::FLOAT16, {3});
  for (int bits : {0x3c00, 0xc000, 0x0001}) h->add_int32_data(bits);
  addInit(m, "q", onnx::TensorProto::INT8, {4})->set_raw_data(std::string("\x01\xff\x80\x7f", 4));
  auto* n = m.mutable_graph()->add_node();
  n->set_op_type("Relu");
  n->add_input(std::string("x"));
  n->add_output(std::string("y"));
  auto* c = m.mutable_graph()->add_node();
  c->set_op_type("Constant");
  c->add_output("const0");
  auto* a = c->add_attribute();
  a->set_name("value");
  a->set_type(onnx::AttributeProto::TENSOR);
  a->mutable_t()->set_data_type(onnx::TensorProto::DOUBLE);
  a->mutable_t()->add_double_data(0.1);
  return m;
}

}  // namespace

class TestOnnxTensors : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;

  QString path(const QString& name) const { return dir_.filePath(name); }
  std::string write(const QString& name, const QByteArray& bytes) {
    const QString p = path(name);
    if (!writeFile(p, bytes)) qFatal("cannot write %s", qPrintable(p));
    return p.toStdString();
  }

 private slots:
  void initTestCase() { QVERIFY(dir_.isValid()); }

  void listsInitializersThenConstants() {
    const std::string p = write("mixed.onnx", serialise(mixedModel()));
    QCOMPARE(quant::detectFormat(p), quant::TensorFormat::Onnx);
    const auto infos = quant::listTensors(p);
    QCOMPARE(infos.size(), std::size_t(5));
    const char* names[] = {"fc1.weight", "fc1.bias", "half", "q", "const0"};
    const char* dtypes[] = {"float32", "float32", "float16", "int8", "float64"};
    const std::vector<std::int64_t> shapes[] = {{2, 3}, {2}, {3}, {4}, {}};
    const std::uint64_t bytes[] = {24, 8, 6, 4, 8};
    for (std::size_t i = 0; i < infos.size(); ++i) {
      QCOMPARE(infos[i].name, std::string(names[i]));
      QCOMPARE(infos[i].dtype, std::string(dtypes[i]));
      QCOMPARE(infos[i].shape, shapes[i]);
      QCOMPARE(infos[i].byteSize, bytes[i]);
    }
    // The in-memory parser agrees with the file reader.
    const QByteArray b = serialise(mixedModel());
    const auto mem = quant::listOnnx(span(b), "mem.onnx");
    QCOMPARE(mem.size(), infos.size());
    for (std::size_t i = 0; i < mem.size(); ++i) QCOMPARE(mem[i].name, infos[i].name);
  }

  void loadsBySpecAndName() {
    const std::string p = write("spec.onnx", serialise(mixedModel()));
    const quant::Tensor w = quant::loadTensor(p + ":fc1.weight");
    QCOMPARE(w.name, std::string("fc1.weight"));
    QCOMPARE(w.dtype, std::string("float32"));
    QCOMPARE(w.shape, (std::vector<std::int64_t>{2, 3}));
    QCOMPARE(w.data, (std::vector<float>{1.0f, -2.0f, 3.5f, 0.25f, -0.125f, 7.0f}));
    QCOMPARE(quant::loadTensor(p, "fc1.bias").data, (std::vector<float>{0.5f, -1.5f}));
    QCOMPARE(quant::loadTensor(p + ":half").data,
             (std::vector<float>{1.0f, -2.0f, std::ldexp(1.0f, -24)}));
    QCOMPARE(quant::loadTensor(p + ":q").data, (std::vector<float>{1, -1, -128, 127}));
    const quant::Tensor c = quant::loadTensor(p + ":const0");
    QCOMPARE(c.dtype, std::string("float64"));
    QCOMPARE(c.shape, std::vector<std::int64_t>{});
    QCOMPARE(c.data, std::vector<float>{0.1f});  // nearest float to the double 0.1

    const QString many = errorOf([&] { quant::loadTensor(p); });
    QVERIFY2(many.startsWith(QString::fromStdString(p) + ": holds 5 tensors") &&
                 many.contains("fc1.weight, fc1.bias, half, q, const0"),
             qPrintable(many));
    const QString missing = errorOf([&] { quant::loadTensor(p + ":nope"); });
    QVERIFY2(missing.contains("no tensor named 'nope'"), qPrintable(missing));

    // A model with a single weight loads without a name.
    onnx::ModelProto one = emptyModel();
    addInit(one, "only", onnx::TensorProto::FLOAT, {1})->add_float_data(42.0f);
    const std::string p1 = write("one.onnx", serialise(one));
    QCOMPARE(quant::loadTensor(p1).data, std::vector<float>{42.0f});
  }

  // Property: random float tensors load bit-exactly from raw_data and from float_data, for
  // random shapes (including zero-size and scalar) and values including nan payloads.
  void floatLayoutsAreBitExact() {
    std::mt19937 rng(1234);
    for (int round = 0; round < 40; ++round) {
      const int rank = int(rng() % 4);
      std::vector<std::int64_t> dims;
      std::int64_t numel = 1;
      for (int r = 0; r < rank; ++r) {
        dims.push_back(std::int64_t(rng() % 5));
        numel *= dims.back();
      }
      std::vector<float> v(std::size_t(numel), 0.0f);
      for (float& x : v) x = std::bit_cast<float>(std::uint32_t(rng()));
      onnx::ModelProto m = emptyModel();
      auto* raw = m.mutable_graph()->add_initializer();
      raw->set_name("raw");
      raw->set_data_type(onnx::TensorProto::FLOAT);
      auto* typed = m.mutable_graph()->add_initializer();
      typed->set_name("typed");
      typed->set_data_type(onnx::TensorProto::FLOAT);
      for (auto d : dims) {
        raw->add_dims(d);
        typed->add_dims(d);
      }
      raw->set_raw_data(rawBytes(v));
      for (float x : v) typed->add_float_data(x);
      const QByteArray b = serialise(m);
      for (const char* name : {"raw", "typed"}) {
        const quant::Tensor t = quant::parseOnnx(span(b), name, "p.onnx");
        QCOMPARE(t.shape, dims);
        QCOMPARE(t.data.size(), v.size());
        for (std::size_t i = 0; i < v.size(); ++i) QVERIFY(sameBits(t.data[i], v[i]));
      }
    }
  }

  // Every 16-bit pattern of float16 and bfloat16, in int32_data and in raw_data, matches the
  // exact scalar conversions (nan payloads compared bitwise).
  void halfAndBfloat16AllPatterns() {
    for (const int type : {int(onnx::TensorProto::FLOAT16), int(onnx::TensorProto::BFLOAT16)}) {
      onnx::ModelProto m = emptyModel();
      auto* typed = addInit(m, "typed", type, {65536});
      auto* raw = addInit(m, "raw", type, {65536});
      std::vector<std::uint16_t> bits(65536);
      for (int i = 0; i < 65536; ++i) {
        bits[std::size_t(i)] = std::uint16_t(i);
        typed->add_int32_data(i);
      }
      raw->set_raw_data(rawBytes(bits));
      const QByteArray b = serialise(m);
      for (const char* name : {"typed", "raw"}) {
        const quant::Tensor t = quant::parseOnnx(span(b), name, "h.onnx");
        QCOMPARE(t.data.size(), std::size_t(65536));
        for (int i = 0; i < 65536; ++i) {
          const float want = type == onnx::TensorProto::FLOAT16
                                 ? quant::halfToFloat(std::uint16_t(i))
                                 : quant::bfloat16ToFloat(std::uint16_t(i));
          if (!sameBits(t.data[std::size_t(i)], want)) {
            QFAIL(qPrintable(QString("type %1 %2 pattern %3").arg(type).arg(name).arg(i)));
          }
        }
      }
    }
  }

  void integerTypes_data() {
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<QByteArray>("raw");       // little-endian raw_data ("" = typed field)
    QTest::addColumn<QList<qint64>>("typed");  // int32_data / int64_data / uint64_data values
    QTest::addColumn<QList<float>>("want");
    using T = onnx::TensorProto;
    QTest::addRow("int8 raw") << int(T::INT8) << "int8" << QByteArray("\x00\x01\x7f\x80\xff", 5)
                              << QList<qint64>{} << QList<float>{0, 1, 127, -128, -1};
    QTest::addRow("int8 int32_data")
        << int(T::INT8) << "int8" << QByteArray() << QList<qint64>{0, 1, 127, -128, -1}
        << QList<float>{0, 1, 127, -128, -1};
    QTest::addRow("uint8 raw") << int(T::UINT8) << "uint8" << QByteArray("\x00\x80\xff", 3)
                               << QList<qint64>{} << QList<float>{0, 128, 255};
    QTest::addRow("uint8 int32_data") << int(T::UINT8) << "uint8" << QByteArray()
                                      << QList<qint64>{0, 128, 255} << QList<float>{0, 128, 255};
    QTest::addRow("int16 int32_data")
        << int(T::INT16) << "int16" << QByteArray() << QList<qint64>{-32768, 32767}
        << QList<float>{-32768, 32767};
    QTest::addRow("uint16 raw") << int(T::UINT16) << "uint16" << QByteArray("\xff\xff", 2)
                                << QList<qint64>{} << QList<float>{65535};
    QTest::addRow("int32 int32_data")
        << int(T::INT32) << "int32" << QByteArray()
        << QList<qint64>{-2147483648LL, 2147483647LL, 16777217}
        << QList<float>{-2147483648.0f, 2147483648.0f, 16777216.0f};  // ties-to-even
    QTest::addRow("int64 int64_data")
        << int(T::INT64) << "int64" << QByteArray()
        << QList<qint64>{-1, std::numeric_limits<qint64>::min(), 16777219}
        << QList<float>{-1.0f, -9223372036854775808.0f, 16777220.0f};
    QTest::addRow("uint32 uint64_data")
        << int(T::UINT32) << "uint32" << QByteArray() << QList<qint64>{4000000000LL}
        << QList<float>{4000000000.0f};
    QTest::addRow("uint64 uint64_data (all bits)")
        << int(T::UINT64) << "uint64" << QByteArray() << QList<qint64>{-1}  // 2^64 - 1
        << QList<float>{18446744073709551616.0f};
    QTest::addRow("bool int32_data")
        << int(T::BOOL) << "bool" << QByteArray() << QList<qint64>{0, 1} << QList<float>{0, 1};
    QTest::addRow("bool raw") << int(T::BOOL) << "bool" << QByteArray("\x00\x02", 2)
                              << QList<qint64>{} << QList<float>{0, 1};
  }

  void integerTypes() {
    QFETCH(int, type);
    QFETCH(QString, dtype);
    QFETCH(QByteArray, raw);
    QFETCH(QList<qint64>, typed);
    QFETCH(QList<float>, want);
    onnx::ModelProto m = emptyModel();
    auto* t = addInit(m, "t", type, {want.size()});
    if (!raw.isEmpty()) {
      t->set_raw_data(std::string(raw.constData(), std::size_t(raw.size())));
    } else {
      for (qint64 v : typed) {
        if (type == onnx::TensorProto::INT64) {
          t->add_int64_data(v);
        } else if (type == onnx::TensorProto::UINT32 || type == onnx::TensorProto::UINT64) {
          t->add_uint64_data(std::uint64_t(v));
        } else {
          t->add_int32_data(std::int32_t(v));
        }
      }
    }
    const std::string p =
        write(QStringLiteral("int_%1.onnx").arg(QTest::currentDataTag()), serialise(m));
    const auto infos = quant::listTensors(p);
    QCOMPARE(infos.at(0).dtype, dtype.toStdString());
    const quant::Tensor got = quant::loadTensor(p, "t");
    QCOMPARE(got.dtype, dtype.toStdString());
    QCOMPARE(got.data, std::vector<float>(want.begin(), want.end()));
  }

  void doublesNarrowLikeTheOtherReaders() {
    onnx::ModelProto m = emptyModel();
    auto* t = addInit(m, "d", onnx::TensorProto::DOUBLE, {5});
    for (double d : {1e300, -1e300, 0.1, 1.0 + std::ldexp(1.0, -24), -0.0}) t->add_double_data(d);
    const QByteArray b = serialise(m);
    const quant::Tensor got = quant::parseOnnx(span(b), "d", "d.onnx");
    const float inf = std::numeric_limits<float>::infinity();
    QCOMPARE(got.data[0], inf);
    QCOMPARE(got.data[1], -inf);
    QCOMPARE(got.data[2], 0.1f);
    QCOMPARE(got.data[3], 1.0f);  // halfway: ties to even
    QVERIFY(std::signbit(got.data[4]));
  }

  void constantNodes() {
    onnx::ModelProto m = emptyModel();
    auto addConst = [&](const std::string& out, const std::string& attr,
                        const std::string& domain) {
      auto* n = m.mutable_graph()->add_node();
      n->set_op_type("Constant");
      n->set_domain(domain);
      n->add_output(out);
      auto* a = n->add_attribute();
      a->set_name(attr);
      return a;
    };
    auto* v = addConst("c_tensor", "value", "");
    v->set_type(onnx::AttributeProto::TENSOR);
    v->mutable_t()->set_name("inner_name_is_not_used");
    v->mutable_t()->set_data_type(onnx::TensorProto::INT8);
    v->mutable_t()->add_dims(2);
    v->mutable_t()->set_raw_data(std::string("\xfe\x03", 2));
    addConst("c_float", "value_float", "ai.onnx")->set_f(2.5f);
    auto* fs = addConst("c_floats", "value_floats", "");
    fs->add_floats(1.0f);
    fs->add_floats(-3.0f);
    addConst("c_int", "value_int", "")->set_i(-7);
    auto* is = addConst("c_ints", "value_ints", "");
    is->add_ints(5);
    is->add_ints(6);
    is->add_ints(7);
    addConst("c_string", "value_string", "")->set_s("not a weight");
    auto* foreign = addConst("c_foreign", "value", "com.example");
    foreign->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
    foreign->mutable_t()->add_float_data(1.0f);
    // An initializer of the same name as a Constant output wins (listing and loading agree).
    addInit(m, "c_int", onnx::TensorProto::FLOAT, {})->add_float_data(99.0f);

    const QByteArray b = serialise(m);
    const auto infos = quant::listOnnx(span(b), "c.onnx");
    std::vector<std::string> names;
    for (const auto& i : infos) names.push_back(i.name);
    QCOMPARE(names,
             (std::vector<std::string>{"c_int", "c_tensor", "c_float", "c_floats", "c_ints"}));
    auto load = [&](const char* n) { return quant::parseOnnx(span(b), n, "c.onnx"); };
    QCOMPARE(load("c_tensor").data, (std::vector<float>{-2, 3}));
    QCOMPARE(load("c_tensor").dtype, std::string("int8"));
    QCOMPARE(load("c_float").data, std::vector<float>{2.5f});
    QCOMPARE(load("c_float").shape, std::vector<std::int64_t>{});
    QCOMPARE(load("c_floats").data, (std::vector<float>{1, -3}));
    QCOMPARE(load("c_floats").shape, std::vector<std::int64_t>{2});
    QCOMPARE(load("c_ints").data, (std::vector<float>{5, 6, 7}));
    QCOMPARE(load("c_ints").dtype, std::string("int64"));
    QCOMPARE(load("c_int").data, std::vector<float>{99.0f});
  }

  void refusedButListed_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::addRow("external data")
        << 0 << "weights stored outside the model file are not supported";
    QTest::addRow("strings") << 1 << "holds strings";
    QTest::addRow("complex64") << 2 << "complex64, which is not supported";
    QTest::addRow("float8 fnuz") << 3 << "float8_e4m3fnuz, which is not supported";
    QTest::addRow("undefined type") << 4 << "(UNDEFINED)";
    QTest::addRow("future type") << 5 << "data type 99, which is not supported";
  }

  void refusedButListed() {
    QFETCH(int, kind);
    QFETCH(QString, message);
    onnx::ModelProto m = emptyModel();
    addInit(m, "fine", onnx::TensorProto::FLOAT, {1})->add_float_data(1.0f);
    onnx::TensorProto* t = addInit(m, "bad", onnx::TensorProto::FLOAT, {4});
    switch (kind) {
      case 0: {
        t->set_data_location(onnx::TensorProto::EXTERNAL);
        auto* kv = t->add_external_data();
        kv->set_key("location");
        kv->set_value("weights.bin");
        break;
      }
      case 1:
        t->set_data_type(onnx::TensorProto::STRING);
        for (int i = 0; i < 4; ++i) t->add_string_data("abc");
        break;
      case 2:
        t->set_data_type(onnx::TensorProto::COMPLEX64);
        for (int i = 0; i < 8; ++i) t->add_float_data(1.0f);
        break;
      case 3:
        t->set_data_type(18);
        t->set_raw_data(std::string(4, '\x01'));
        break;
      case 4:
        t->set_data_type(0);
        break;
      case 5:
        t->set_data_type(99);
        break;
    }
    const std::string p = write(QStringLiteral("refused%1.onnx").arg(kind), serialise(m));
    const auto infos = quant::listTensors(p);
    QCOMPARE(infos.size(), std::size_t(2));
    QCOMPARE(infos[1].name, std::string("bad"));
    QCOMPARE(infos[1].shape, std::vector<std::int64_t>{4});
    if (kind == 0) QCOMPARE(infos[1].byteSize, std::uint64_t(16));
    const QString err = errorOf([&] { quant::loadTensor(p + ":bad"); });
    QVERIFY2(err.startsWith(QString::fromStdString(p) + ": tensor 'bad'"), qPrintable(err));
    QVERIFY2(err.contains(message), qPrintable(err));
    QVERIFY(!err.contains('\n'));
    QCOMPARE(quant::loadTensor(p + ":fine").data, std::vector<float>{1.0f});
  }

  void malformed_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QString>("message");
    using T = onnx::TensorProto;
    auto one = [](auto&& edit) {
      onnx::ModelProto m = emptyModel();
      onnx::TensorProto* t = addInit(m, "w", T::FLOAT, {2, 2});
      edit(*t);
      return serialise(m);
    };
    QTest::addRow("raw_data one byte short")
        << one([](T& t) { t.set_raw_data(std::string(15, '\0')); }) << "a.onnx"
        << "tensor 'w' has 15 bytes of raw_data but shape [2, 2] of float32 needs 4 x 4";
    QTest::addRow("raw_data one byte long")
        << one([](T& t) { t.set_raw_data(std::string(17, '\0')); }) << "a.onnx"
        << "17 bytes of raw_data";
    QTest::addRow("float_data count")
        << one([](T& t) {
             for (int i = 0; i < 3; ++i) t.add_float_data(1);
           })
        << "a.onnx"
        << "tensor 'w' has 3 values in float_data but shape [2, 2] needs 4";
    QTest::addRow("no data at all") << one([](T&) {}) << "a.onnx"
                                    << "has 0 values in float_data";
    QTest::addRow("wrong typed field")
        << one([](T& t) {
             for (int i = 0; i < 4; ++i) t.add_int32_data(1);
           })
        << "a.onnx"
        << "stores its values in int32_data; ONNX keeps float32 in float_data";
    QTest::addRow("raw and typed") << one([](T& t) {
      t.set_raw_data(std::string(16, '\0'));
      for (int i = 0; i < 4; ++i) t.add_float_data(1);
    }) << "a.onnx"
                                   << "has both raw_data and float_data";
    QTest::addRow("negative dim") << one([](T& t) { t.set_dims(0, -2); }) << "a.onnx"
                                  << "negative dimension -2";
    QTest::addRow("overflowing dims") << one([](T& t) {
      t.set_dims(0, std::int64_t{1} << 40);
      t.set_dims(1, std::int64_t{1} << 40);
    }) << "a.onnx"
                                      << "more than 2^62 elements";
    QTest::addRow("segment") << one([](T& t) {
      t.mutable_segment()->set_begin(0);
      t.set_raw_data(std::string(16, '\0'));
    }) << "a.onnx"
                             << "segment";
    QTest::addRow("float16 pattern out of range")
        <<
        [] {
          onnx::ModelProto m = emptyModel();
          auto* t = addInit(m, "h", T::FLOAT16, {1});
          t->add_int32_data(70000);
          return serialise(m);
        }()
        << "a.onnx"
        << "tensor 'h' has value 70000 in int32_data, outside the float16 range";
    QTest::addRow("int8 value out of range") <<
        [] {
          onnx::ModelProto m = emptyModel();
          addInit(m, "i", T::INT8, {1})->add_int32_data(-129);
          return serialise(m);
        }() << "a.onnx"
                                             << "value -129 in int32_data, outside the int8 range";
    QTest::addRow("nameless initializer") <<
        [] {
          onnx::ModelProto m = emptyModel();
          addInit(m, "", T::FLOAT, {1})->add_float_data(1);
          return serialise(m);
        }() << "a.onnx"
                                          << "initializer #0 has no name";
    QTest::addRow("no weights") << serialise(emptyModel()) << "a.onnx"
                                << "holds no weights";
    QTest::addRow("no graph") <<
        [] {
          onnx::ModelProto m;
          m.set_ir_version(8);
          return serialise(m);
        }() << "a.onnx"
                              << "not an ONNX model (no graph)";
    QTest::addRow("garbage") << QByteArray(64, '\xff') << "a.onnx"
                             << "not a valid ONNX model (protobuf parse failed)";
    QTest::addRow("truncated") << serialise(mixedModel()).left(40) << "a.onnx"
                               << "not a valid ONNX model (protobuf parse failed)";
    QTest::addRow("empty file") << QByteArray() << "a.onnx"
                                << "file is empty";
    QTest::addRow("control characters in a name") <<
        [] {
          onnx::ModelProto m = emptyModel();
          addInit(m, "a\nb", T::FLOAT, {1})->set_raw_data("xy");
          return serialise(m);
        }() << "a.onnx"
                                                  << "tensor 'a?b' has 2 bytes";
  }

  void malformed() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, fileName);
    QFETCH(QString, message);
    const std::string p = write(QStringLiteral("bad_") + QTest::currentDataTag() + fileName, bytes);
    const QString prefix = QString::fromStdString(p) + ": ";
    for (const QString& err :
         {errorOf([&] { quant::listTensors(p); }), errorOf([&] { quant::loadTensor(p, "w"); })}) {
      QVERIFY2(err.startsWith(prefix), qPrintable(err));
      QVERIFY2(err.contains(message), qPrintable(err));
      QVERIFY2(!err.contains('\n'), qPrintable(err));
    }
    const QString mem = errorOf([&] { quant::listOnnx(span(bytes), "m.onnx"); });
    QVERIFY2(mem.startsWith("m.onnx: ") && mem.contains(message), qPrintable(mem));
  }

  void directoryIsRefused() {
    QVERIFY(QDir(dir_.path()).mkpath("model.onnx"));
    const QString err = errorOf([&] { quant::listTensors(path("model.onnx").toStdString()); });
    QVERIFY2(err.contains("is a directory"), qPrintable(err));
  }

  // Protobuf cannot parse messages of 2 GiB or more; such a file is refused before it is read
  // (a sparse file: no disk space is used).
  void hugeFileRefusedBeforeReading() {
    const QString p = path("huge.onnx");
    {
      QFile f(p);
      QVERIFY(f.open(QIODevice::WriteOnly));
      QVERIFY(f.resize(qint64{1} << 31));
    }
    QElapsedTimer timer;
    timer.start();
    const QString err = errorOf([&] { quant::listTensors(p.toStdString()); });
    QVERIFY2(err.startsWith(p + ": model of 2147483648 bytes (2.0 GiB) is larger than protobuf's "
                                "2 GiB message limit"),
             qPrintable(err));
    QVERIFY(timer.elapsed() < 2000);
    QFile::remove(p);
  }

  // Every prefix of a valid model either fails with one clear error or (when the cut falls on
  // a field boundary) lists a subset of the full model's tensors.
  void everyTruncationIsSafe() {
    const QByteArray full = serialise(mixedModel());
    const auto all = quant::listOnnx(span(full), "full.onnx");
    int failures = 0;
    for (qsizetype n = 0; n < full.size(); ++n) {
      const QByteArray cut = full.left(n);
      try {
        const auto infos = quant::listOnnx(span(cut), "cut.onnx");
        for (const auto& i : infos) {
          QVERIFY(std::any_of(all.begin(), all.end(), [&](const auto& a) {
            return a.name == i.name && a.shape == i.shape && a.dtype == i.dtype;
          }));
          const quant::Tensor t = quant::parseOnnx(span(cut), i.name, "cut.onnx");
          QCOMPARE(std::int64_t(t.data.size()), t.numel());
        }
      } catch (const quant::Error& e) {
        ++failures;
        QVERIFY2(QString(e.what()).startsWith("cut.onnx: "), e.what());
      }
    }
    QVERIFY(failures > full.size() / 2);
  }

  // Random byte flips never crash and never throw anything but quant::Error.
  void mutatedModelsOnlyThrowQuantErrors() {
    const QByteArray full = serialise(mixedModel());
    std::mt19937 rng(99);
    for (int round = 0; round < 3000; ++round) {
      QByteArray b = full;
      const int flips = 1 + int(rng() % 4);
      for (int f = 0; f < flips; ++f) b[qsizetype(rng() % b.size())] = char(rng());
      try {
        for (const auto& i : quant::listOnnx(span(b), "mut.onnx")) {
          try {
            const quant::Tensor t = quant::parseOnnx(span(b), i.name, "mut.onnx");
            QCOMPARE(t.shape, i.shape);
            QCOMPARE(t.dtype, i.dtype);
          } catch (const quant::Error& e) {
            QVERIFY2(QString(e.what()).startsWith("mut.onnx: "), e.what());
          }
        }
      } catch (const quant::Error& e) {
        QVERIFY2(QString(e.what()).startsWith("mut.onnx: "), e.what());
      }
    }
  }

  void detection() {
    const QByteArray model = serialise(mixedModel());
    // Without the extension a model is recognised by parsing it.
    QCOMPARE(quant::detectFormat(write("model_without_extension", model)),
             quant::TensorFormat::Onnx);
    QCOMPARE(quant::listTensors(write("model.bin", model)).size(), std::size_t(5));
    // Text stays CSV even though almost any bytes parse as some protobuf.
    QCOMPARE(quant::detectFormat(write("numbers", "1,2\n3,4\n")), quant::TensorFormat::Csv);
    // The extension decides even when the bytes would also look like another format.
    QCOMPARE(quant::detectFormat(write("upper.ONNX", model)), quant::TensorFormat::Onnx);
  }

  void cliListsAndQuantizes() {
    if (!QFile::exists(QStringLiteral(QUANTLAB_CLI))) QSKIP("quantlab-cli not built");
    const std::string p = write("cli.onnx", serialise(mixedModel()));
    QProcess list;
    list.start(QStringLiteral(QUANTLAB_CLI), {"list", QString::fromStdString(p)});
    QVERIFY(list.waitForFinished(20000));
    QCOMPARE(list.exitCode(), 0);
    const QString out = QString::fromUtf8(list.readAllStandardOutput());
    for (const char* n : {"fc1.weight", "fc1.bias", "half", "q", "const0"}) {
      QVERIFY2(out.contains(n), qPrintable(out));
    }
    QProcess q;
    q.start(QStringLiteral(QUANTLAB_CLI), {"quantize", QString::fromStdString(p) + ":fc1.weight"});
    QVERIFY(q.waitForFinished(20000));
    QCOMPARE(q.exitCode(), 0);
    QVERIFY(q.readAllStandardOutput().contains("fc1.weight"));

    onnx::ModelProto ext = emptyModel();
    auto* t = addInit(ext, "w", onnx::TensorProto::FLOAT, {2});
    t->set_data_location(onnx::TensorProto::EXTERNAL);
    const std::string pe = write("cli_ext.onnx", serialise(ext));
    QProcess e;
    e.start(QStringLiteral(QUANTLAB_CLI), {"quantize", QString::fromStdString(pe) + ":w"});
    QVERIFY(e.waitForFinished(20000));
    QCOMPARE(e.exitCode(), 1);
    QVERIFY(e.readAllStandardError().contains("weights stored outside the model file"));
  }
};

QTEST_GUILESS_MAIN(TestOnnxTensors)
#include "tst_onnxtensors.moc"
