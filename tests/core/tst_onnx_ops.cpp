// SPDX-License-Identifier: GPL-3.0-or-later
// ONNX import of the operators small PyTorch vision models use, against PyTorch itself: the
// fixtures in tests/data/onnx were exported by torch.onnx.export (opset 13, dynamic batch) with
// their inputs and PyTorch's outputs as .npy (generate.py writes them; this test needs no Python).
// Also: export of every imported model reads back as the same model, and malformed variants are
// refused with one line naming the node.
#include <onnx/onnx_pb.h>
#ifdef QUANTLAB_HAVE_ONNX_CHECKER
#include <onnx/checker.h>
#endif

#include <QtTest>
#include <algorithm>
#include <cmath>

#include "quant/io/tensorio.h"
#include "quant/nn/model.h"

using quant::Model;
using quant::Tensor;

namespace {

const std::string kDir = std::string(QUANTLAB_TEST_DATA) + "/onnx/";

const char* const kModels[] = {
    "lenet5_tanh",    "mlp_sigmoid",   "cnn_pad_bn_leaky", "mobilenet_block", "residual_cifar",
    "two_branch_cat", "op_sigmoid",    "op_tanh",          "op_leakyrelu",    "op_elu",
    "op_hardsigmoid", "op_hardswish",  "op_prelu",         "op_clip",         "op_arith_const",
    "op_mul_tensors", "op_pad_value",  "op_maxpool_ceil",  "op_avgpool_ceil", "op_avgpool_incl",
    "op_globalmax",   "op_reducemean", "op_squeeze",       "op_softmax",      "op_logsoftmax",
    "op_gemm_scaled",
};

// The error measure of the issue: |ours - PyTorch| / max(1, |PyTorch|), worst element.
double worstRelative(const Tensor& a, const Tensor& b) {
  double worst = 0;
  for (std::size_t k = 0; k < a.data.size(); ++k) {
    const double d = std::fabs(double(a.data[k]) - double(b.data[k]));
    worst = std::max(worst, d / std::max(1.0, std::fabs(double(b.data[k]))));
  }
  return worst;
}

bool sameLayers(const Model& a, const Model& b) {
  if (a.layers.size() != b.layers.size()) return false;
  for (std::size_t k = 0; k < a.layers.size(); ++k) {
    const quant::Layer &x = a.layers[k], &y = b.layers[k];
    if (x.type != y.type || x.outShape != y.outShape || x.params != y.params ||
        x.weight != y.weight || x.bias != y.bias || x.slope != y.slope || x.scale != y.scale ||
        x.shift != y.shift || x.alpha != y.alpha || x.betaCoeff != y.betaCoeff ||
        x.padValue != y.padValue || x.padTop != y.padTop || x.padRight != y.padRight ||
        x.countIncludePad != y.countIncludePad || x.clipMin != y.clipMin ||
        x.clipMax != y.clipMax) {
      return false;
    }
  }
  return true;
}

// A graph built node by node with the generated protobuf classes.
struct Graph {
  onnx::ModelProto p;
  onnx::GraphProto* g = p.mutable_graph();
  explicit Graph(std::vector<std::int64_t> inputShape) {
    p.set_ir_version(7);
    p.add_opset_import()->set_version(13);
    auto* in = g->add_input();
    in->set_name("input");
    in->mutable_type()->mutable_tensor_type()->set_elem_type(1);
    auto* shape = in->mutable_type()->mutable_tensor_type()->mutable_shape();
    shape->add_dim()->set_dim_param("N");
    for (const std::int64_t d : inputShape) shape->add_dim()->set_dim_value(d);
  }
  void floats(const std::string& name, std::vector<std::int64_t> dims, std::vector<float> v) {
    auto* t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(1);
    for (const std::int64_t d : dims) t->add_dims(d);
    for (const float x : v) t->add_float_data(x);
  }
  void ints(const std::string& name, std::vector<std::int64_t> dims, std::vector<std::int64_t> v) {
    auto* t = g->add_initializer();
    t->set_name(name);
    t->set_data_type(7);
    for (const std::int64_t d : dims) t->add_dims(d);
    for (const std::int64_t x : v) t->add_int64_data(x);
  }
  onnx::NodeProto* node(const std::string& op, std::vector<std::string> ins,
                        const std::string& out) {
    auto* n = g->add_node();
    n->set_op_type(op);
    n->set_name(out);
    for (const std::string& s : ins) n->add_input(s);
    n->add_output(out);
    return n;
  }
  static void attr(onnx::NodeProto* n, const char* name, float v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  static void attr(onnx::NodeProto* n, const char* name, std::int64_t v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void attr(onnx::NodeProto* n, const char* name, const std::string& v) {
    auto* a = n->add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::STRING);
    a->set_s(v);
  }
  Model import(const std::string& output) {
    g->add_output()->set_name(output);
    std::string bytes;
    p.SerializeToString(&bytes);
    return quant::importOnnxModel(std::vector<std::uint8_t>(bytes.begin(), bytes.end()), "g.onnx");
  }
};

}  // namespace

class TestOnnxOps : public QObject {
  Q_OBJECT

 private slots:
  void matchesPyTorch_data() {
    QTest::addColumn<QString>("name");
    for (const char* n : kModels) QTest::addRow("%s", n) << QString(n);
  }

  // fp32 outputs equal PyTorch's within 1e-5 relative (observed worst is printed).
  void matchesPyTorch() {
    QFETCH(QString, name);
    const std::string base = kDir + name.toStdString();
    Model m;
    try {
      m = quant::loadOnnxModel(base + ".onnx");
    } catch (const quant::Error& e) {
      QFAIL(e.what());
    }
    const Tensor x = quant::loadTensor(base + ".in.npy");
    const Tensor want = quant::loadTensor(base + ".out.npy");
    const Tensor got = quant::forward(m, x);
    QCOMPARE(got.shape, want.shape);
    const double worst = worstRelative(got, want);
    qInfo("%s: %zu layers, worst relative difference %.3g", qPrintable(name), m.layers.size(),
          worst);
    QVERIFY2(worst <= 1e-5, qPrintable(QString::number(worst)));
    // The direct reference loops agree as well.
    QVERIFY(worstRelative(quant::forward(m, x, quant::ConvAlgorithm::Direct), want) <= 1e-5);
  }

  void roundTrip_data() { matchesPyTorch_data(); }

  // import(export(m)) is m: same layers, parameters and bit-identical outputs.
  void roundTrip() {
    QFETCH(QString, name);
    const std::string base = kDir + name.toStdString();
    const Model m = quant::loadOnnxModel(base + ".onnx");
    const std::vector<std::uint8_t> bytes = quant::exportOnnxModel(m);
    const Model back = quant::importOnnxModel(bytes, "exported");
    QVERIFY(sameLayers(m, back));
    const Tensor x = quant::loadTensor(base + ".in.npy");
    QCOMPARE(quant::forward(back, x).data, quant::forward(m, x).data);
  }

  // The shape arithmetic of x.view(x.size(0), -1) and F.pad is folded away at load.
  void foldsShapeArithmetic() {
    const Model lenet = quant::loadOnnxModel(kDir + "lenet5_tanh.onnx");
    for (const quant::Layer& l : lenet.layers) QVERIFY(l.type != quant::LayerType::Pad);
    const Model padded = quant::loadOnnxModel(kDir + "cnn_pad_bn_leaky.onnx");
    // Both zero pads went into the convolutions after them, both BatchNorms into those too.
    QCOMPARE(padded.layers.size(), std::size_t(6));
    QCOMPARE(padded.layers[0].padTop, 1);
    QCOMPARE(padded.layers[2].padBottom, 1);
    QCOMPARE(padded.layers[2].padTop, 0);
    const Model value = quant::loadOnnxModel(kDir + "op_pad_value.onnx");
    QCOMPARE(value.layers.back().type, quant::LayerType::Pad);
    QCOMPARE(value.layers.back().padValue, 0.5f);
    const Model hs = quant::loadOnnxModel(kDir + "op_hardswish.onnx");
    QCOMPARE(hs.layers.back().type, quant::LayerType::HardSwish);
  }

  // What torch.onnx.export does not write but other exporters do: auto_pad SAME, Clip's attribute
  // form, Gemm with transB 0, alpha, beta and a scalar C, and the folding of Range, Equal, Where,
  // Expand into a per-channel constant. Compared with the same model built by hand.
  void otherForms() {
    Graph gr({2, 5, 5});
    std::vector<float> w(4 * 2 * 9);
    for (std::size_t k = 0; k < w.size(); ++k) w[k] = float(int(k % 7) - 3) / 8.0f;
    gr.floats("w", {4, 2, 3, 3}, w);
    auto* conv = gr.node("Conv", {"input", "w"}, "c");
    Graph::attr(conv, "auto_pad", std::string("SAME_UPPER"));
    auto* strides = conv->add_attribute();
    strides->set_name("strides");
    strides->set_type(onnx::AttributeProto::INTS);
    strides->add_ints(2);
    strides->add_ints(2);
    auto* clip = gr.node("Clip", {"c"}, "cl");
    Graph::attr(clip, "min", -0.5f);
    Graph::attr(clip, "max", 0.75f);
    gr.ints("zero", {}, {0});
    gr.ints("four", {}, {4});
    gr.ints("one", {}, {1});
    gr.ints("two", {}, {2});
    gr.ints("shape4", {1}, {4});
    gr.ints("chw", {4}, {1, 4, 1, 1});
    gr.floats("hi", {}, {1.0f});
    gr.floats("lo", {}, {0.5f});
    gr.node("Range", {"zero", "four", "one"}, "r");
    gr.node("Equal", {"r", "two"}, "eq");
    gr.node("Expand", {"hi", "shape4"}, "his");
    gr.node("Expand", {"lo", "shape4"}, "los");
    gr.node("Where", {"eq", "his", "los"}, "sel");
    gr.node("Reshape", {"sel", "chw"}, "scale");
    gr.node("Mul", {"scale", "cl"}, "sc");
    auto* mean = gr.node("ReduceMean", {"sc"}, "pooled");
    auto* axes = mean->add_attribute();
    axes->set_name("axes");
    axes->set_type(onnx::AttributeProto::INTS);
    axes->add_ints(-1);
    axes->add_ints(-2);
    gr.node("Flatten", {"pooled"}, "f");
    gr.floats("b", {4, 3}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    gr.floats("cb", {}, {0.25f});
    auto* gemm = gr.node("Gemm", {"f", "b", "cb"}, "out");
    Graph::attr(gemm, "alpha", 0.5f);
    Graph::attr(gemm, "beta", 2.0f);
    const Model m = gr.import("out");
    QCOMPARE(m.layers.size(), std::size_t(6));

    Model ref;
    ref.inputShape = {2, 5, 5};
    quant::Layer c;
    c.type = quant::LayerType::Conv2d;
    c.name = "c";
    c.inputs = {"input"};
    c.output = "c";
    c.weight = Eigen::Map<const quant::RowMatrix>(w.data(), 4, 18);
    c.kernelH = c.kernelW = 3;
    c.strideH = c.strideW = 2;
    c.padTop = c.padLeft = c.padBottom = c.padRight = 1;  // SAME: ceil(5 / 2) = 3 outputs
    quant::Layer cl;
    cl.type = quant::LayerType::Clip;
    cl.name = "cl";
    cl.inputs = {"c"};
    cl.output = "cl";
    cl.clipMin = -0.5f;
    cl.clipMax = 0.75f;
    quant::Layer sc = cl;
    sc.type = quant::LayerType::Affine;
    sc.name = sc.output = "sc";
    sc.inputs = {"cl"};
    sc.scale = (Eigen::VectorXf(4) << 0.5f, 0.5f, 1.0f, 0.5f).finished();
    quant::Layer gap = sc;
    gap.type = quant::LayerType::GlobalAvgPool;
    gap.name = gap.output = "gap";
    gap.inputs = {"sc"};
    quant::Layer flat = gap;
    flat.type = quant::LayerType::Flatten;
    flat.name = flat.output = "f";
    flat.inputs = {"gap"};
    quant::Layer fc = flat;
    fc.type = quant::LayerType::Linear;
    fc.name = fc.output = "out";
    fc.inputs = {"f"};
    fc.weight = quant::RowMatrix(3, 4);
    fc.weight << 1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12;
    fc.weight *= 0.5f;
    fc.bias = Eigen::VectorXf::Constant(3, 0.5f);
    ref.layers = {c, cl, sc, gap, flat, fc};
    ref.finalize();
    Tensor x{"", "float32", {3, 2, 5, 5}, std::vector<float>(150)};
    for (std::size_t k = 0; k < x.data.size(); ++k) x.data[k] = std::sin(float(k));
    QCOMPARE(quant::forward(m, x).data, quant::forward(ref, x).data);
  }

#ifdef QUANTLAB_HAVE_ONNX_CHECKER
  void checkerAcceptsExports_data() { matchesPyTorch_data(); }

  // Exports of the imported models (every new layer type among them) are valid ONNX.
  void checkerAcceptsExports() {
    QFETCH(QString, name);
    const Model m = quant::loadOnnxModel(kDir + name.toStdString() + ".onnx");
    const std::vector<std::uint8_t> bytes = quant::exportOnnxModel(m);
    onnx::ModelProto p;
    QVERIFY(p.ParseFromArray(bytes.data(), int(bytes.size())));
    try {
      onnx::checker::check_model(p);
    } catch (const std::exception& e) {
      QFAIL(e.what());
    }
  }
#endif

  void refusesMalformed_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("message");
    QTest::addRow("unsupported op") << "bad_unsupported_op"
                                    << "(Einsum): operator 'Einsum' is not supported; supported "
                                       "are Conv, Gemm";
    QTest::addRow("missing input") << "bad_missing_input"
                                   << "input 'missing_shape' is not defined";
    QTest::addRow("reflect pad") << "bad_pad_reflect"
                                 << "mode reflect is not supported";
    QTest::addRow("truncated") << "bad_truncated"
                               << "protobuf parse failed";
    QTest::addRow("dilation") << "op_dilated_groups"
                              << "dilations other than 1";
  }

  void refusesMalformed() {
    QFETCH(QString, file);
    QFETCH(QString, message);
    const std::string path = kDir + file.toStdString() + ".onnx";
    try {
      quant::loadOnnxModel(path);
      QFAIL("loaded");
    } catch (const quant::Error& e) {
      const QString what = e.what();
      QVERIFY2(what.startsWith(QString::fromStdString(path) + ": "), e.what());
      QVERIFY2(what.contains(message), e.what());
      QVERIFY2(!what.contains('\n'), e.what());
    }
  }
};

QTEST_APPLESS_MAIN(TestOnnxOps)
#include "tst_onnx_ops.moc"
