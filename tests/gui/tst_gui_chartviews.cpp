// SPDX-License-Identifier: GPL-3.0-or-later
// The chart views (histogram, per-channel, error) driven through a real Session, offscreen:
// they follow Session changes, a drag of a clipping line is one undo step, a click on a bar
// probes its value, and the numbers shown are the Session's numbers.
#include <QDir>
#include <QElapsedTimer>
#include <QHelpEvent>
#include <QSpinBox>
#include <QToolTip>
#include <QUndoStack>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QValueAxis>
#include <QtTest>
#include <cmath>
#include <limits>
#include <optional>

#include "chartstyle.h"
#include "errorview.h"
#include "histogramview.h"
#include "perchannelview.h"
#include "session.h"

using quantlab::ui::ErrorView;
using quantlab::ui::HistogramView;
using quantlab::ui::PerChannelView;
using quantlab::ui::Session;
namespace cs = quantlab::ui::chartstyle;

namespace {

// Viewport pixel of a data point of a chart shown in a chart view.
QPoint pixelOf(QChartView* view, QChart* chart, QPointF value) {
  const QPointF chartPos = chart->mapToPosition(value);
  return view->mapFromScene(chart->mapToScene(chartPos));
}

quant::Tensor makeTensor(std::vector<std::int64_t> shape, float step) {
  quant::Tensor t{std::string("synthetic"), std::string("float32"), std::move(shape), {}};
  std::int64_t n = 1;
  for (auto d : t.shape) n *= d;
  t.data.resize(static_cast<std::size_t>(n));
  // Channel c of a [C, ...] tensor spans roughly +-(c + 1): ranges that differ per channel.
  const std::int64_t inner = t.shape.empty() ? 1 : n / t.shape[0];
  for (std::int64_t i = 0; i < n; ++i) {
    const double c = static_cast<double>(i / inner + 1);
    t.data[static_cast<std::size_t>(i)] =
        static_cast<float>(c * std::sin(static_cast<double>(i) * step));
  }
  return t;
}

void showAndSettle(QWidget* w, int width, int height) {
  w->resize(width, height);
  w->show();
  QVERIFY(QTest::qWaitForWindowExposed(w));
}

}  // namespace

class TestChartViews : public QObject {
  Q_OBJECT
 private slots:
  void histogramFollowsSession();
  void markersOfAnOlderGridAreLabelled();
  void histogramLevelsThinned_data();
  void histogramLevelsThinned();
  void histogramLogToggle();
  void dragUpperLineIsOneUndoStep();
  void clickBarProbesValue();
  void perChannelBarsAndNumbers_data();
  void perChannelBarsAndNumbers();
  void perChannelAxisSpinBox();
  void errorViewMetrics();
  void degenerateTensors_data();
  void degenerateTensors();
  void updateSpeed();
  void snapshots();
};

void TestChartViews::histogramFollowsSession() {
  Session s;
  HistogramView v(&s);
  QCOMPARE(v.objectName(), QStringLiteral("HistogramView"));
  s.flush();
  QCOMPARE(v.barCount(), static_cast<int>(s.histogram().counts.size()));
  QCOMPARE(v.barCount(), 256);
  QCOMPARE(v.markerCount(), static_cast<int>(s.markers().size()));
  QVERIFY(v.markerCount() >= 4);
  QCOMPARE(v.upperLineValue(), static_cast<double>(s.activeRange().hi));
  QCOMPARE(v.lowerLineValue(), static_cast<double>(s.activeRange().lo));

  // Updates reuse the series (replace() points) instead of rebuilding the chart.
  const QList<QAbstractSeries*> seriesBefore = v.chart()->series();
  quant::QuantSpec spec = s.spec();
  spec.bits = 6;
  s.setSpec(spec, QStringLiteral("bits"));
  s.flush();
  QCOMPARE(v.chart()->series(), seriesBefore);
  QCOMPARE(v.barCount(), 256);

  // A new tensor with a different histogram: same bin count, lines follow its range.
  s.setTensor(makeTensor({4, 100}, 0.37f), QStringLiteral("sine"));
  s.flush();
  QCOMPARE(v.barCount(), static_cast<int>(s.histogram().counts.size()));
  QCOMPARE(v.upperLineValue(), static_cast<double>(s.activeRange().hi));

  // A manual range moves the lines and the clipped text follows the metrics.
  s.setManualRange(quant::Range{-1.0f, 1.0f});
  s.flush();
  QCOMPARE(v.upperLineValue(), 1.0);
  QCOMPARE(v.lowerLineValue(), -1.0);
  QVERIFY(s.metrics().clippedFraction > 0);
  QVERIFY2(v.clippedText().contains(cs::formatPercent(s.metrics().clippedFraction)),
           qPrintable(v.clippedText()));
}

void TestChartViews::markersOfAnOlderGridAreLabelled() {
  // The calibration markers arrive after the results: in between, the legend names the spec
  // they belong to instead of passing them off as the new grid's.
  Session s;
  HistogramView v(&s);
  s.flush();
  QVERIFY(!v.legendText().contains(QStringLiteral("updating")));
  const QString before = QString::fromStdString(s.spec().describe());
  QString legendWithResults;
  bool pendingThen = false;
  connect(&s, &Session::resultsChanged, this, [&] {
    legendWithResults = v.legendText();  // the view's own handler has run (connected first)
    pendingThen = s.markersPending();
  });
  quant::QuantSpec spec = s.spec();
  spec.bits = 3;
  s.setSpec(spec, QStringLiteral("bits"));
  QTRY_VERIFY(!legendWithResults.isEmpty());
  QVERIFY(pendingThen);
  QVERIFY2(legendWithResults.contains(
               before.toHtmlEscaped().replace(QLatin1Char(' '), QStringLiteral("&nbsp;"))),
           qPrintable(legendWithResults));
  s.flush();
  QTRY_VERIFY(!v.legendText().contains(QStringLiteral("updating")));
  QCOMPARE(s.markersSpec().bits, 3);
}

void TestChartViews::histogramLevelsThinned_data() {
  QTest::addColumn<int>("bits");
  QTest::addColumn<bool>("thinned");
  QTest::addRow("int3: every level") << 3 << false;
  QTest::addRow("int4: every level") << 4 << false;
  QTest::addRow("int8: every k-th") << 8 << true;
  QTest::addRow("int16: every k-th") << 16 << true;
}

void TestChartViews::histogramLevelsThinned() {
  QFETCH(int, bits);
  QFETCH(bool, thinned);
  Session s;
  HistogramView v(&s);
  quant::QuantSpec spec = s.spec();
  spec.bits = bits;
  s.setSpec(spec, QStringLiteral("bits"));
  s.flush();
  QVERIFY(v.levelLinesDrawn() >= 1);
  QVERIFY2(v.levelLinesDrawn() <= HistogramView::kMaxLevelLines + 1,
           qPrintable(QString::number(v.levelLinesDrawn())));
  QCOMPARE(v.levelStride() > 1, thinned);
  if (!thinned) {
    // All codes of a small grid: at most 2^bits, and the whole grid is in view.
    QVERIFY(v.levelLinesDrawn() <= (1 << bits));
    QVERIFY(v.levelLinesDrawn() >= (1 << bits) - 2);
  } else {
    QVERIFY2(v.levelsText().contains(QString::number(v.levelStride())), qPrintable(v.levelsText()));
  }
}

void TestChartViews::histogramLogToggle() {
  Session s;
  HistogramView v(&s);
  s.flush();
  const bool initial = v.logCounts();
  v.setLogCounts(!initial);
  QCOMPARE(v.logCounts(), !initial);
  QCOMPARE(v.barCount(), 256);
  // Every series stays attached to exactly one vertical axis.
  for (QAbstractSeries* series : v.chart()->series()) QCOMPARE(series->attachedAxes().size(), 2);
  v.setLogCounts(initial);
  QCOMPARE(v.logCounts(), initial);
  for (QAbstractSeries* series : v.chart()->series()) QCOMPARE(series->attachedAxes().size(), 2);
}

void TestChartViews::dragUpperLineIsOneUndoStep() {
  Session s;
  HistogramView v(&s);
  s.flush();
  showAndSettle(&v, 900, 520);
  QTRY_VERIFY(v.chart()->plotArea().width() > 200);
  QVERIFY(!s.manualRange().has_value());
  const double hi0 = s.activeRange().hi;
  const double lo0 = s.activeRange().lo;
  QVERIFY(hi0 > 0.5);

  QWidget* vp = v.chartView()->viewport();
  const QPoint start = pixelOf(v.chartView(), v.chart(), QPointF(hi0, v.midY()));
  const double target = 0.5 * hi0;
  const QPoint end = pixelOf(v.chartView(), v.chart(), QPointF(target, v.midY()));
  QVERIFY(start.x() - end.x() > 50);
  const int undoBefore = s.undoStack()->index();

  QTest::mousePress(vp, Qt::LeftButton, {}, start);
  for (int i = 1; i <= 5; ++i) {
    const QPoint p(start.x() + (end.x() - start.x()) * i / 5, start.y());
    QTest::mouseMove(vp, p);
    QCoreApplication::processEvents();  // let the session recompute mid-drag, as in real use
  }
  QTest::mouseRelease(vp, Qt::LeftButton, {}, end);
  QVERIFY(s.manualRange().has_value());
  // The drag ends where the pointer ends (within one pixel's worth of value).
  const double perPixel = (hi0 - target) / (start.x() - end.x());
  QVERIFY2(std::fabs(s.manualRange()->hi - target) <= 1.5 * perPixel,
           qPrintable(QStringLiteral("hi %1 target %2").arg(s.manualRange()->hi).arg(target)));
  QCOMPARE(s.manualRange()->lo, static_cast<float>(lo0));
  QCOMPARE(s.undoStack()->index(), undoBefore + 1);
  const float firstHi = s.manualRange()->hi;

  // A second drag is its own undo step.
  s.flush();
  const QPoint start2 = pixelOf(v.chartView(), v.chart(), QPointF(s.activeRange().hi, v.midY()));
  QTest::mousePress(vp, Qt::LeftButton, {}, start2);
  QTest::mouseMove(vp, start2 + QPoint(-20, 0));
  QTest::mouseRelease(vp, Qt::LeftButton, {}, start2 + QPoint(-20, 0));
  QCOMPARE(s.undoStack()->index(), undoBefore + 2);
  QVERIFY(s.manualRange()->hi < target);

  s.undoStack()->undo();
  QVERIFY(s.manualRange().has_value());
  // Back to where the first drag ended.
  QCOMPARE(s.manualRange()->hi, firstHi);
  // ONE undo step restores the range from before the first drag.
  s.undoStack()->undo();
  QVERIFY(!s.manualRange().has_value());
  s.flush();
  QCOMPARE(v.upperLineValue(), hi0);

  // Pressing and releasing a line without moving it records nothing.
  const int index = s.undoStack()->index();
  const QPoint lower = pixelOf(v.chartView(), v.chart(), QPointF(lo0, v.midY()));
  QTest::mouseClick(vp, Qt::LeftButton, {}, lower);
  QCOMPARE(s.undoStack()->index(), index);
  QVERIFY(!s.manualRange().has_value());

  // The lower line dragged past the upper one stops at it (lo <= hi), in one undo step.
  const QPoint farRight = pixelOf(v.chartView(), v.chart(), QPointF(hi0, v.midY())) + QPoint(30, 0);
  QTest::mousePress(vp, Qt::LeftButton, {}, lower);
  QTest::mouseMove(vp, (lower + farRight) / 2);
  QTest::mouseMove(vp, farRight);
  QTest::mouseRelease(vp, Qt::LeftButton, {}, farRight);
  QVERIFY(s.manualRange().has_value());
  QVERIFY(s.manualRange()->lo <= s.manualRange()->hi);
  QCOMPARE(s.manualRange()->hi, static_cast<float>(hi0));
  QCOMPARE(s.undoStack()->index(), index + 1);
  s.undoStack()->undo();
  QVERIFY(!s.manualRange().has_value());
}

void TestChartViews::clickBarProbesValue() {
  Session s;
  HistogramView v(&s);
  s.flush();
  showAndSettle(&v, 900, 520);
  QTRY_VERIFY(v.chart()->plotArea().width() > 200);
  const quant::Histogram& h = s.histogram();
  // The tallest bar (near 0, far from the clipping lines at the outliers).
  std::size_t best = 0;
  for (std::size_t i = 1; i < h.counts.size(); ++i)
    if (h.counts[i] > h.counts[best]) best = i;
  const double center = h.binCenter(best);
  QVERIFY(s.probeValue() != center);
  const QPoint p = pixelOf(v.chartView(), v.chart(), QPointF(center, 1.0));
  QSignalSpy spy(&s, &Session::probeValueChanged);
  const int undoBefore = s.undoStack()->index();
  QTest::mouseClick(v.chartView()->viewport(), Qt::LeftButton, {}, p + QPoint(0, -2));
  QCOMPARE(spy.count(), 1);
  QCOMPARE(s.probeValue(), center);
  QVERIFY(!s.manualRange().has_value());  // a click is not a drag
  QCOMPARE(s.undoStack()->index(), undoBefore);

  // Hovering a bar explains it: its count and value.
  QHelpEvent help(QEvent::ToolTip, p, v.chartView()->viewport()->mapToGlobal(p));
  QCoreApplication::sendEvent(v.chartView()->viewport(), &help);
  QTRY_VERIFY(QToolTip::isVisible());
  QVERIFY2(QToolTip::text().contains(QString::number(h.counts[best])),
           qPrintable(QToolTip::text()));
  QVERIFY2(QToolTip::text().contains(cs::formatValue(center)), qPrintable(QToolTip::text()));
  QToolTip::hideText();
}

void TestChartViews::perChannelBarsAndNumbers_data() {
  QTest::addColumn<std::vector<std::int64_t>>("shape");
  QTest::addColumn<int>("axis");
  QTest::addRow("1 channel") << std::vector<std::int64_t>{1, 64} << 0;
  QTest::addRow("3 channels") << std::vector<std::int64_t>{3, 50} << 0;
  QTest::addRow("4 channels, axis 1") << std::vector<std::int64_t>{10, 4} << 1;
  QTest::addRow("16 channels") << std::vector<std::int64_t>{16, 32} << 0;
  QTest::addRow("256 channels") << std::vector<std::int64_t>{256, 8} << 0;
  QTest::addRow("1500 channels, drawn in groups") << std::vector<std::int64_t>{1500, 4} << 0;
}

void TestChartViews::perChannelBarsAndNumbers() {
  QFETCH(std::vector<std::int64_t>, shape);
  QFETCH(int, axis);
  Session s;
  PerChannelView v(&s);
  QCOMPARE(v.objectName(), QStringLiteral("PerChannelView"));
  v.show();  // the comparison is computed for a per-channel view on screen only
  s.setTensor(makeTensor(shape, 0.11f), QStringLiteral("t"));
  s.setChannelAxis(axis);
  s.flush();
  const quant::ChannelComparison& c = s.channelComparison();
  QCOMPARE(c.channels, shape[static_cast<std::size_t>(axis)]);
  // Up to kMaxBars channels one bar each; beyond, one bar per group of k adjacent channels.
  const int n = static_cast<int>(c.channels);
  const int k = (n + PerChannelView::kMaxBars - 1) / PerChannelView::kMaxBars;
  QCOMPARE(v.barCount(), (n + k - 1) / k);
  QVERIFY(v.barCount() <= PerChannelView::kMaxBars);
  QCOMPARE(v.perTensorSqnrText(), cs::formatDb(c.perTensorSqnrDb));
  QCOMPARE(v.perChannelSqnrText(), cs::formatDb(c.perChannelSqnrDb));
  QCOMPARE(v.differenceText(), cs::formatDbDelta(c.perChannelSqnrDb - c.perTensorSqnrDb));
  QCOMPARE(v.axisSpinBox()->value(), axis);
}

void TestChartViews::perChannelAxisSpinBox() {
  Session s;  // default tensor [16, 256]
  PerChannelView v(&s);
  v.show();
  s.flush();
  QCOMPARE(v.barCount(), 16);
  QCOMPARE(v.axisSpinBox()->maximum(), 1);
  v.axisSpinBox()->setValue(1);
  QCOMPARE(s.channelAxis(), 1);
  s.flush();
  QCOMPARE(v.barCount(), 256);
  QCOMPARE(v.perChannelSqnrText(), cs::formatDb(s.channelComparison().perChannelSqnrDb));

  // A 1-D tensor has no channels (each element would be one): nothing is drawn, the note says
  // why and points to per-group.
  s.setTensor(makeTensor({40}, 0.3f), QStringLiteral("vector"));
  s.flush();
  QCOMPARE(v.axisSpinBox()->maximum(), 0);
  QCOMPARE(s.channelComparison().channels, 0);
  QCOMPARE(v.barCount(), 0);
  QVERIFY2(v.noteText().contains(QStringLiteral("1-D")), qPrintable(v.noteText()));

  // Hidden, it computes nothing: a grid change leaves the comparison pending until it is shown.
  s.setTensor(makeTensor({8, 16}, 0.3f), QStringLiteral("matrix"));
  s.flush();
  QCOMPARE(v.barCount(), 8);
  v.hide();
  quant::QuantSpec spec = s.spec();
  spec.bits = 5;
  s.setSpec(spec, QStringLiteral("bits"));
  s.flush();
  QVERIFY(s.channelsPending());
  v.show();
  s.flush();
  QVERIFY(!s.channelsPending());
  QCOMPARE(s.channelComparison().perChannelSqnrDb,
           quant::compareChannelGranularity(s.tensor(), s.spec(), 0).perChannelSqnrDb);
}

void TestChartViews::errorViewMetrics() {
  Session s;
  ErrorView v(&s);
  QCOMPARE(v.objectName(), QStringLiteral("ErrorView"));
  // Not shown, the error histogram is not computed; showing the view computes it.
  s.flush();
  QVERIFY(s.errorHistogramPending());
  QVERIFY(s.errorHistogram().counts.empty());
  v.show();
  s.flush();
  QVERIFY(!s.errorHistogramPending());
  QCOMPARE(s.errorHistogram().counts.size(), std::size_t{101});
  QCOMPARE(v.sqnrText(), cs::formatDb(s.metrics().sqnrDb));
  QCOMPARE(v.metricText(QStringLiteral("mse")), cs::formatValue(s.metrics().mse));
  QCOMPARE(v.metricText(QStringLiteral("clipped")), cs::formatPercent(s.metrics().clippedFraction));
  QCOMPARE(v.errorBinCount(), static_cast<int>(s.errorHistogram().counts.size()));
  QVERIFY(v.scatterPointCount() > 0);
  QVERIFY(v.scatterPointCount() <= ErrorView::kMaxScatterPoints);
  QCOMPARE(static_cast<std::size_t>(v.scatterPointCount()),
           s.tensor().data.size());  // 4096 values: all drawn

  const QString before = v.sqnrText();
  quant::QuantSpec spec = s.spec();
  spec.bits = 4;
  s.setSpec(spec, QStringLiteral("bits"));
  s.flush();
  QCOMPARE(v.sqnrText(), cs::formatDb(s.metrics().sqnrDb));
  QVERIFY(v.sqnrText() != before);

  // A large tensor is subsampled to at most kMaxScatterPoints.
  s.setTensor(makeTensor({64, 1000}, 0.013f), QStringLiteral("big"));
  s.flush();
  QVERIFY(v.scatterPointCount() <= ErrorView::kMaxScatterPoints);
  QVERIFY(v.scatterPointCount() >= ErrorView::kMaxScatterPoints / 2);
  QCOMPARE(v.sqnrText(), cs::formatDb(s.metrics().sqnrDb));
}

void TestChartViews::degenerateTensors_data() {
  QTest::addColumn<std::vector<std::int64_t>>("shape");
  QTest::addColumn<std::vector<float>>("data");
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  QTest::addRow("empty") << std::vector<std::int64_t>{0} << std::vector<float>{};
  QTest::addRow("all zero") << std::vector<std::int64_t>{2, 3} << std::vector<float>(6, 0.0f);
  QTest::addRow("constant") << std::vector<std::int64_t>{3, 2} << std::vector<float>(6, 0.25f);
  QTest::addRow("scalar") << std::vector<std::int64_t>{} << std::vector<float>{1.5f};
  QTest::addRow("non-finite") << std::vector<std::int64_t>{2, 3}
                              << std::vector<float>{1.0f, nan, -inf, inf, -0.5f, 0.25f};
  QTest::addRow("huge") << std::vector<std::int64_t>{2, 2}
                        << std::vector<float>{3e38f, -3e38f, 1e-38f, 0.0f};
  QTest::addRow("float max") << std::vector<std::int64_t>{3}
                             << std::vector<float>{std::numeric_limits<float>::max(),
                                                   -std::numeric_limits<float>::max(), 1.0f};
}

void TestChartViews::degenerateTensors() {
  QFETCH(std::vector<std::int64_t>, shape);
  QFETCH(std::vector<float>, data);
  Session s;
  HistogramView h(&s);
  PerChannelView p(&s);
  ErrorView e(&s);
  quant::Tensor t{std::string("odd"), std::string("float32"), shape, data};
  s.setTensor(t, QStringLiteral("odd"));
  s.flush();
  // Whatever the engine made of it, the views show its numbers and paint without trouble.
  QCOMPARE(h.barCount(), static_cast<int>(s.histogram().counts.size()));
  QCOMPARE(e.sqnrText(), cs::formatDb(s.metrics().sqnrDb));
  QCOMPARE(p.barCount(), static_cast<int>(s.channelComparison().channels));
  for (QWidget* w : std::initializer_list<QWidget*>{&h, &p, &e}) {
    w->resize(700, 450);
    QVERIFY(!w->grab().isNull());
  }
}

void TestChartViews::updateSpeed() {
  Session s;
  HistogramView h(&s);
  PerChannelView p(&s);
  ErrorView e(&s);
  s.flush();
  // Time only the views' reaction to resultsChanged (the recomputation is the engine's).
  QElapsedTimer t;
  qint64 total = 0;
  const int rounds = 20;
  for (int i = 0; i < rounds; ++i) {
    s.setManualRange(quant::Range{-0.5f + 0.01f * static_cast<float>(i), 0.6f},
                     Session::kMergeRange);
    t.start();
    s.flush();
    total += t.nsecsElapsed();
  }
  qInfo("recompute + three views update: %.2f ms per change", total / 1e6 / rounds);
  QCOMPARE(h.barCount(), 256);
  // Painting cost at a projector-size dock (informational; no timing assertion).
  for (QWidget* w : std::initializer_list<QWidget*>{&h, &p, &e}) {
    showAndSettle(w, 1200, 700);
    w->grab();
    t.start();
    const QPixmap pix = w->grab();
    qInfo("%s paints in %.2f ms", qPrintable(w->objectName()), t.nsecsElapsed() / 1e6);
    QVERIFY(!pix.isNull());
    w->hide();
  }
}

void TestChartViews::snapshots() {
  // Renders every view at dock and full-window sizes, in a few teaching situations; the PNGs go
  // to QUANTLAB_SNAPSHOT_DIR when set (for looking at them).
  const QString dir = qEnvironmentVariable("QUANTLAB_SNAPSHOT_DIR");
  struct Scenario {
    const char* name;
    int bits;
    std::optional<quant::Range> range;
    int axis;
    std::vector<std::int64_t> shape;  // empty: the default tensor
    bool logCounts = true;
  };
  const std::vector<Scenario> scenarios{
      {"default", 8, std::nullopt, 0, {}},
      {"int4-clipped-256ch", 4, quant::Range{-0.3f, 0.25f}, 1, {}},
      {"int16-1ch", 16, std::nullopt, 0, {1, 300}},
      {"int3-4ch", 3, std::nullopt, 0, {4, 200}},
      {"int8-linear", 8, quant::Range{-0.4f, 0.4f}, 0, {}, false},
  };
  const QList<QSize> sizes{QSize(700, 450), QSize(1200, 700)};
  for (const Scenario& sc : scenarios) {
    Session s;
    if (!sc.shape.empty()) s.setTensor(makeTensor(sc.shape, 0.05f), QStringLiteral("synthetic"));
    quant::QuantSpec spec = s.spec();
    spec.bits = sc.bits;
    s.setSpec(spec, QStringLiteral("bits"));
    if (sc.range) s.setManualRange(sc.range);
    s.setChannelAxis(sc.axis);
    HistogramView h(&s);
    PerChannelView p(&s);
    ErrorView e(&s);
    h.setLogCounts(sc.logCounts);
    s.flush();
    for (QWidget* w : std::initializer_list<QWidget*>{&h, &p, &e}) {
      for (const QSize& size : sizes) {
        showAndSettle(w, size.width(), size.height());
        QCoreApplication::processEvents();
        const QPixmap pix = w->grab();
        QCOMPARE(pix.size(), size);
        QVERIFY(!pix.toImage().isNull());
        if (!dir.isEmpty())
          QVERIFY(pix.save(QDir(dir).filePath(QStringLiteral("%1-%2-%3x%4.png")
                                                  .arg(w->objectName(), QLatin1String(sc.name))
                                                  .arg(size.width())
                                                  .arg(size.height()))));
      }
      w->hide();
    }
  }
}

QTEST_MAIN(TestChartViews)
#include "tst_gui_chartviews.moc"
