// SPDX-License-Identifier: GPL-3.0-or-later
// Core's evaluation, benchmark and requantization trace (quant/nn/evaluate.h, bench.h,
// requanttrace.h) on the shipped MLP and CNN with random images: evaluate's numbers against a
// direct computation, the benchmark's schedule (every fp32 run before every int8 run), and the
// trace of every Linear / Conv2d layer against the value the int8 kernel produced, bit for bit.
#include <QtTest>
#include <cmath>
#include <cstring>
#include <tuple>

#include "quant/base/resources.h"
#include "quant/nn/bench.h"
#include "quant/nn/evaluate.h"
#include "quant/nn/requanttrace.h"
#include "quant/numeric/metrics.h"
#include "randomimages.h"

using namespace quant;

namespace {

std::vector<int> argmaxRows(const Tensor& y) {
  const std::int64_t n = y.shape[0], c = y.numel() / n;
  std::vector<int> p;
  for (std::int64_t i = 0; i < n; ++i) {
    const float* row = y.data.data() + i * c;
    p.push_back(static_cast<int>(std::max_element(row, row + c) - row));
  }
  return p;
}

}  // namespace

class TstEvaluate : public QObject {
  Q_OBJECT

  Model mlp_, cnn_;
  Dataset data_, calib_;

 private slots:
  void initTestCase() {
    mlp_ = loadOnnxModel(resolveModelPath("mlp"));
    cnn_ = loadOnnxModel(resolveModelPath("cnn"));
    data_ = randomImages(mlp_, 300, 1);
    calib_ = randomImages(mlp_, 64, 2);
  }

  void evaluateMatchesADirectComputation() {
    EvalConfig cfg;
    cfg.calibration = calib_.images;
    cfg.chunk = 128;  // three batches, the last one short
    const EvalMode modes[] = {EvalMode::Int8Static, EvalMode::Dynamic, EvalMode::WeightOnly};
    const Evaluation ev = evaluate(mlp_, data_, modes, cfg);
    QCOMPARE(ev.images, std::int64_t{300});
    QCOMPARE(ev.modes.size(), std::size_t{4});
    QVERIFY(!ev.cancelled);

    const Tensor x = sampleBatch(mlp_, data_.images, 0, 300);
    const Int8Model q = quantizeModel(mlp_, calib_.images, QuantRecipe{});
    const Tensor ys[] = {forward(mlp_, x), runInt8(q, x), runDynamic(quantizeDynamic(mlp_), x),
                         forward(weightOnlyModel(mlp_), x)};
    const std::vector<int> ref = argmaxRows(ys[0]);
    for (std::size_t m = 0; m < 4; ++m) {
      const ModeEvaluation& r = ev.modes[m];
      QVERIFY2(r.error.empty(), r.error.c_str());
      const std::vector<int> p = argmaxRows(ys[m]);
      int correct = 0, agree = 0;
      for (std::size_t i = 0; i < p.size(); ++i) {
        correct += p[i] == data_.labels[i];
        agree += p[i] == ref[i];
      }
      if (m != 0 && m != 3) QCOMPARE(r.predictions, p);  // integer paths: batching is exact
      if (m == 1) {
        QCOMPARE(r.accuracy, correct / 300.0);
        QCOMPARE(r.agreement, agree / 300.0);
      }
      QVERIFY(r.accuracy >= 0 && r.accuracy <= 1 && r.agreement >= 0 && r.agreement <= 1);
    }
    QCOMPARE(ev.modes[0].agreement, 1.0);
    QVERIFY(std::isinf(ev.modes[0].outputSqnrDb));
    // int8 static: the SQNR of all logits against fp32's, bound: float32 summation order of the
    // fp32 reference between one batch of 300 and three batches (1e-6 relative).
    const double sqnr = computeMetrics(ys[0].data, ys[1].data).sqnrDb;
    QVERIFY2(std::abs(ev.modes[1].outputSqnrDb - sqnr) <= 1e-6 * std::abs(sqnr),
             qPrintable(QString::number(ev.modes[1].outputSqnrDb)));
    QCOMPARE(ev.modes[1].bytes, modelBytes(mlp_, uniformPlan(mlp_, 8, 8), QuantRecipe{}));
    QCOMPARE(ev.modes[2].bytes.total(), std::int64_t{237904});
    QCOMPARE(ev.modes[1].bytes.total(), std::int64_t{237936});
  }

  // A model quantized elsewhere (the window's) gives the numbers of one quantized here from the
  // same calibration images; --limit cuts the data set.
  void preparedModelAndLimit() {
    const Int8Model q = quantizeModel(mlp_, calib_.images, QuantRecipe{});
    EvalConfig own, given;
    own.calibration = calib_.images;
    given.prepared = &q;
    own.limit = given.limit = 100;
    const EvalMode modes[] = {EvalMode::Int8Static};
    const Evaluation a = evaluate(mlp_, data_, modes, own);
    const Evaluation b = evaluate(mlp_, data_, modes, given);
    QCOMPARE(a.images, std::int64_t{100});
    QCOMPARE(a.modes[1].predictions, b.modes[1].predictions);
    QCOMPARE(a.modes[1].accuracy, b.modes[1].accuracy);
    QCOMPARE(a.modes[1].bytes, b.modes[1].bytes);
  }

  void evaluateReportsOrRaisesModeErrors() {
    EvalConfig cfg;  // no calibration images: static int8 cannot be prepared
    const EvalMode modes[] = {EvalMode::Int8Static, EvalMode::WeightOnly};
    const Evaluation ev = evaluate(mlp_, data_, modes, cfg);
    QVERIFY(!ev.modes[1].error.empty());
    QVERIFY(ev.modes[2].error.empty());
    cfg.keepGoing = false;
    QVERIFY_THROWS_EXCEPTION(Error, evaluate(mlp_, data_, modes, cfg));
    // Cancelling leaves no partial numbers.
    const Evaluation c = evaluate(mlp_, data_, {}, EvalConfig{}, [](double) { return false; });
    QVERIFY(c.cancelled);
    QVERIFY(c.modes.empty());
  }

  void benchRunsEveryFp32RunBeforeAnyInt8Run() {
    const Int8Model q = quantizeModel(mlp_, calib_.images, QuantRecipe{});
    BenchConfig cfg;
    cfg.warmup = 2;
    cfg.repeats = 3;
    const BenchReport r = bench(mlp_, q, sampleBatch(mlp_, data_.images, 0, 8), cfg);
    using R = BenchRun;
    const std::vector<R> want{R::Fp32Warmup, R::Fp32Warmup,   R::Fp32, R::Fp32Profiled,
                              R::Fp32,       R::Fp32Profiled, R::Fp32, R::Fp32Profiled,
                              R::Int8Warmup, R::Int8Warmup,   R::Int8, R::Int8Profiled,
                              R::Int8,       R::Int8Profiled, R::Int8, R::Int8Profiled};
    QVERIFY(r.schedule == want);
    QCOMPARE(r.fp32Runs.size(), std::size_t{3});
    QCOMPARE(r.int8Runs.size(), std::size_t{3});
    QCOMPARE(r.fp32, median(r.fp32Runs));
    QCOMPARE(r.int8, median(r.int8Runs));
    QCOMPARE(r.layers.size(), q.layers.size());
    for (std::size_t i = 0; i < q.layers.size(); ++i) {
      QCOMPARE(r.layers[i].name, q.layers[i].name);
      QCOMPARE(r.layers[i].fusedActivation, q.layers[i].fusedActivation);
      QCOMPARE(r.layers[i].k, q.layers[i].packed.empty() ? 0 : q.layers[i].packed.front().K);
    }
    QCOMPARE(r.int8Bytes.total(), std::int64_t{237936});
    QCOMPARE(r.fp32Bytes.total(), std::int64_t{940584});
    QVERIFY(!r.cancelled);
    QCOMPARE(r.batch, std::int64_t{8});
    // The per-layer sums are built from every row: fp32 from its layers (all fused activations
    // and fp32-only layers included), int8 from quantize input + every layer + dequantize output.
    double fpRows = 0, qRows = 0;
    for (const BenchLayer& l : r.layers) {
      fpRows += l.fp32;
      qRows += l.int8;
    }
    for (const auto& [name, s] : r.fp32OnlyLayers) fpRows += s;
    QVERIFY(std::fabs(r.fp32LayerSum - fpRows) <= 1e-12 * (1.0 + fpRows));
    QVERIFY(std::fabs(r.int8StageSum - (r.quantizeInput + qRows + r.dequantizeOutput)) <=
            1e-12 * (1.0 + r.int8StageSum));
    QVERIFY(r.fp32Profiled > 0.0 && r.int8Profiled > 0.0);
  }

  // The roofline of every Linear row: the peaks of the active level, the compulsory traffic of
  // the batch counted by hand, intensity = operations / bytes, attainable under both roofs and
  // the percentage against it; other rows have none.
  void benchPlacesLayersUnderTheRoofline() {
    const Int8Model q = quantizeModel(mlp_, calib_.images, QuantRecipe{});
    BenchConfig cfg;
    cfg.warmup = 1;
    cfg.repeats = 3;
    const std::int64_t batch = 8;
    const BenchReport r = bench(mlp_, q, sampleBatch(mlp_, data_.images, 0, batch), cfg);
    const roofline::Peaks& pk = r.peaks;
    QCOMPARE(pk.level, cpu::activeIsa());
    QVERIFY(pk.fp32Gops > 0.0 && pk.int8Gops > 0.0);
    QVERIFY(!pk.memory.empty());
    for (const BenchLayer& l : r.layers) {
      if (l.macs == 0) {
        QCOMPARE(l.int8Roof.bytes, std::int64_t{0});
        continue;
      }
      QVERIFY(l.type == "Linear");
      const std::int64_t in = l.k, out = l.macs / l.k;
      // fp32: input, output and parameters in 4 bytes; a fused ReLU reads and writes the output.
      const std::int64_t relu = l.fusedActivation.empty() ? 0 : 2 * batch * out;
      QCOMPARE(l.fp32Roof.bytes, 4 * (batch * (in + out) + in * out + out + relu));
      // int8: codes in 1 byte, int32 bias and 8-byte multiplier per output channel.
      QCOMPARE(l.int8Roof.bytes, batch * (in + out) + in * out + 4 * out + 8 * out);
      const double ops = 2.0 * double(l.macs) * double(batch);
      for (const auto& [roof, peak, seconds] : {std::tuple{l.fp32Roof, pk.fp32Gops, l.fp32},
                                                std::tuple{l.int8Roof, pk.int8Gops, l.int8}}) {
        QCOMPARE(roof.gops, gops(l.macs, batch, seconds));
        QVERIFY(std::fabs(roof.opsPerByte - ops / double(roof.bytes)) <= 1e-12 * roof.opsPerByte);
        QCOMPARE(roof.memory, pk.levelFor(roof.bytes).name);
        QVERIFY(roof.attainableGops > 0.0 && roof.attainableGops <= peak);
        QVERIFY(roof.attainableGops <=
                roof.opsPerByte * pk.levelFor(roof.bytes).gbPerSecond * (1.0 + 1e-12));
        QCOMPARE(roof.computeBound, roof.attainableGops == peak);
        QCOMPARE(roof.percent, 100.0 * roof.gops / roof.attainableGops);
        // No layer beats the machine; the bound leaves room for a peak measured on a busy core.
        QVERIFY2(roof.percent > 0.0 && roof.percent <= 300.0,
                 qPrintable(QString::number(roof.percent)));
      }
    }
    // Cancelled in the int8 block: the fp32 block is complete, the int8 one is not.
    int calls = 0;
    const BenchReport c = bench(mlp_, q, sampleBatch(mlp_, data_.images, 0, 8), cfg,
                                [&](double) { return ++calls <= 4; });
    QVERIFY(c.cancelled);
    QCOMPARE(c.fp32Runs.size(), std::size_t{3});
    QCOMPARE(c.int8Runs.size(), std::size_t{1});
  }

  void medianOfEvenAndOddCounts() {
    QCOMPARE(median({}), 0.0);
    QCOMPARE(median({3.0, 1.0, 2.0}), 2.0);
    QCOMPARE(median({4.0, 1.0, 3.0, 2.0}), 2.5);
  }

  // Every output channel (and for Conv2d the corner and centre positions, where the window
  // covers padding or not) of every Linear / Conv2d layer of both models.
  void traceEqualsTheKernelBitForBit_data() {
    QTest::addColumn<bool>("cnn");
    QTest::addRow("mlp") << false;
    QTest::addRow("cnn") << true;
  }
  void traceEqualsTheKernelBitForBit() {
    QFETCH(bool, cnn);
    const Model& m = cnn ? cnn_ : mlp_;
    const Dataset d = randomImages(m, 33, 4);
    const Int8Model q = quantizeModel(m, d.images, QuantRecipe{});
    const Tensor x = sampleBatch(m, d.images, 7, 1);
    Int8Trace ref;
    const Tensor y = runInt8(q, x, &ref);
    int traced = 0, sawPadding = 0;
    for (std::size_t li = 0; li < q.layers.size(); ++li) {
      const Int8Layer& L = q.layers[li];
      if (L.type != LayerType::Linear && L.type != LayerType::Conv2d) {
        QVERIFY_THROWS_EXCEPTION(Error, traceRequantization(q, li, x, 7, 0, 0));
        continue;
      }
      const int channels = static_cast<int>(L.outShape[0]);
      const int pixels =
          L.type == LayerType::Conv2d ? static_cast<int>(L.outShape[1] * L.outShape[2]) : 1;
      for (int c = 0; c < channels; ++c)
        for (int p : {0, pixels / 2, pixels - 1}) {
          const RequantTrace r = traceRequantization(q, li, x, 7, p, c);
          const std::size_t at = static_cast<std::size_t>(c) * pixels + p;
          QCOMPARE(r.result, ref.layers[li].q[at]);
          QCOMPARE(r.acc, ref.layers[li].acc[at]);
          QCOMPARE(r.recomputed, r.result);
          QCOMPARE(std::int64_t{r.sumXW} + r.zeroCorrection + r.bias, std::int64_t{r.acc});
          // The dot product over the traced inputs, in exact integers, is the accumulator.
          std::int64_t dot = r.bias;
          for (int k = 0; k < r.K; ++k)
            dot += (std::int64_t{r.x[static_cast<std::size_t>(k)]} - r.zx) *
                   r.w[static_cast<std::size_t>(k)];
          QCOMPARE(dot, std::int64_t{r.acc});
          sawPadding += r.padded > 0;
          if (li + 1 == q.layers.size()) {
            // The last layer's code is the logit runInt8 dequantized: same bits.
            QCOMPARE(
                std::memcmp(&r.dequantized, &y.data[static_cast<std::size_t>(c)], sizeof(float)),
                0);
          }
          ++traced;
        }
    }
    QVERIFY(traced > 0);
    if (cnn) QVERIFY(sawPadding > 0);
    // Out-of-range channels and positions are clamped to the layer's.
    const RequantTrace last = traceRequantization(q, q.layers.size() - 1, x, 7, 0, 1000);
    QCOMPARE(last.column, static_cast<int>(q.layers.back().outShape[0]) - 1);
  }
};

QTEST_APPLESS_MAIN(TstEvaluate)
#include "tst_evaluate.moc"
