// SPDX-License-Identifier: GPL-3.0-or-later
// The window stays responsive: no chart axis ever lays out an absurd number of ticks (a
// degenerate range followed by a wide one used to freeze the window), and the synchronous part
// of a recomputation on a 1M-element tensor is cheap (the medians are printed, not asserted
// tightly: the machines are shared). Expensive results arrive later from the background.
#include <QApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QLabel>
#include <QSpinBox>
#include <QTest>
#include <QtCharts/QChart>
#include <QtCharts/QValueAxis>
#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "chartstyle.h"
#include "histogramview.h"
#include "mainwindow.h"
#include "perchannelview.h"
#include "quant/numeric/analysis.h"
#include "quant/numeric/generate.h"
#include "session.h"
#include "settings.h"
#include "updatingbadge.h"

using namespace quantlab::ui;

namespace {
quant::Tensor zeros(std::vector<std::int64_t> shape) {
  quant::Tensor t;
  t.name = "zeros";
  t.dtype = "float32";
  t.shape = std::move(shape);
  std::int64_t n = 1;
  for (auto d : t.shape) n *= d;
  t.data.assign(static_cast<std::size_t>(n), 0.0f);
  return t;
}

quant::Tensor normal(std::vector<std::int64_t> shape, double stddev, std::uint64_t seed) {
  quant::GeneratorSpec g;
  g.distribution = quant::Distribution::Normal;
  g.shape = std::move(shape);
  g.scale = stddev;
  g.seed = seed;
  g.name = "normal";
  return quant::generate(g);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

// Every value axis of every chart under `root` has a sane tick layout.
void checkAxes(QWidget* root, const char* where) {
  int checked = 0;
  for (QChart* chart : root->findChildren<QChart*>()) {
    for (QAbstractAxis* a : chart->axes()) {
      auto* axis = qobject_cast<QValueAxis*>(a);
      if (!axis || axis->tickType() != QValueAxis::TicksDynamic) continue;
      const double ticks = (axis->max() - axis->min()) / axis->tickInterval();
      QVERIFY2(ticks <= chartstyle::kMaxTicksEver,
               qPrintable(QStringLiteral("%1: %2 ticks on [%3, %4]")
                              .arg(where)
                              .arg(ticks)
                              .arg(axis->min())
                              .arg(axis->max())));
      ++checked;
    }
  }
  Q_UNUSED(checked);
}
}  // namespace

class TestGuiResponsiveness : public QObject {
  Q_OBJECT
 private slots:
  void initTestCase();
  void axisRangeGuard();
  void degenerateThenWideTensorDoesNotHang_data();
  void degenerateThenWideTensorDoesNotHang();
  void backgroundResultsMatchCore();
  void staleBackgroundResultsAreDropped();
  void viewsShowPendingResults();
  void cheapPathTimings();
  void editOnAMillionValuesReturnsAtOnce();

 private:
  QTemporaryDir dir_;
};

void TestGuiResponsiveness::initTestCase() { QVERIFY(dir_.isValid()); }

void TestGuiResponsiveness::axisRangeGuard() {
  // An axis left with a tiny dynamic interval must not lay out range / interval ticks when its
  // range widens.
  QValueAxis axis;
  axis.setRange(-1e-12, 1e-12);
  axis.setTickInterval(1e-13);
  axis.setTickType(QValueAxis::TicksDynamic);
  chartstyle::setAxisRange(&axis, -400, 400);
  QCOMPARE(axis.min(), -400.0);
  QCOMPARE(axis.max(), 400.0);
  QVERIFY(axis.tickType() == QValueAxis::TicksFixed ||
          (axis.max() - axis.min()) / axis.tickInterval() <= chartstyle::kMaxTicksEver);
  // Nice ticks never go finer than range / kMaxTicksEver, whatever maxTicks says.
  chartstyle::setNiceTicks(&axis, -400, 400, 100000);
  QVERIFY(axis.tickInterval() >= 800 / chartstyle::kMaxTicksEver);
  // Degenerate and non-finite ranges become drawable ones.
  chartstyle::setAxisRange(&axis, 3.0, 3.0);
  QVERIFY(axis.max() > axis.min());
  chartstyle::setAxisRange(&axis, std::nan(""), INFINITY);
  QVERIFY(axis.max() > axis.min());
  QVERIFY(std::isfinite(axis.min()) && std::isfinite(axis.max()));
}

void TestGuiResponsiveness::degenerateThenWideTensorDoesNotHang_data() {
  QTest::addColumn<double>("stddev");
  QTest::addRow("stddev 100") << 100.0;
  QTest::addRow("stddev 1e6") << 1e6;
  QTest::addRow("stddev 1e-3") << 1e-3;
}

void TestGuiResponsiveness::degenerateThenWideTensorDoesNotHang() {
  QFETCH(double, stddev);
  // A visible window with every view, then the sequence that used to freeze it: an all-zero
  // tensor (degenerate ranges everywhere) followed by a wide one, each shown and painted.
  MainWindow w(std::make_unique<Settings>(dir_.filePath("settings.ini")));
  w.resize(1280, 720);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QElapsedTimer timer;
  timer.start();
  w.session()->setTensor(zeros({64}), QStringLiteral("zeros"));
  w.session()->flush();
  QApplication::processEvents();
  w.grab();  // lays out and paints every chart
  checkAxes(&w, "after zeros");
  w.session()->setTensor(normal({64, 64}, stddev, 5), QStringLiteral("normal"));
  w.session()->flush();
  QApplication::processEvents();
  w.grab();
  checkAxes(&w, "after normal");
  // Back to degenerate and once more, each view across the whole dock layout.
  w.session()->setTensor(zeros({8, 8}), QStringLiteral("zeros again"));
  w.session()->flush();
  QApplication::processEvents();
  w.grab();
  checkAxes(&w, "after zeros again");
  w.session()->setTensor(normal({64, 64}, stddev, 6), QStringLiteral("normal again"));
  w.session()->flush();
  QApplication::processEvents();
  w.grab();
  checkAxes(&w, "after normal again");
  const qint64 ms = timer.elapsed();
  qInfo("zeros -> normal(%g) -> zeros -> normal with a visible window: %lld ms", stddev, ms);
  QVERIFY2(ms < 20000, qPrintable(QStringLiteral("took %1 ms").arg(ms)));
}

namespace {
// Waits (event loop running) for the next resultsChanged: the synchronous part of one
// recomputation, as a slider drag sees it. Returns its duration in ms.
double timeOneRecompute(Session& s, const std::function<void()>& change) {
  s.flush();  // nothing in flight: the timing is the recomputation, not a finishing job
  QSignalSpy results(&s, &Session::resultsChanged);
  QElapsedTimer t;
  t.start();
  change();
  while (results.count() == 0) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
  return static_cast<double>(t.nsecsElapsed()) / 1e6;
}
}  // namespace

void TestGuiResponsiveness::backgroundResultsMatchCore() {
  Session s;
  s.setTensor(normal({64, 1024}, 1.0, 11), QStringLiteral("n"));
  quant::QuantSpec spec = s.spec();
  spec.bits = 5;
  s.setSpec(spec, QStringLiteral("bits"));
  QSignalSpy markers(&s, &Session::markersChanged);
  QSignalSpy channels(&s, &Session::channelsChanged);
  QTRY_VERIFY(markers.count() >= 1 && channels.count() >= 1);
  QVERIFY(!s.markersPending());
  QVERIFY(!s.channelsPending());
  const auto expected = quant::calibrationCandidates(s.tensor().data, s.spec());
  QCOMPARE(s.markers().size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    QCOMPARE(s.markers()[i].label, expected[i].label);
    QCOMPARE(s.markers()[i].range.lo, expected[i].range.lo);
    QCOMPARE(s.markers()[i].range.hi, expected[i].range.hi);
  }
  const auto c = quant::compareChannelGranularity(s.tensor(), s.spec(), s.channelAxis());
  QCOMPARE(s.channelComparison().channels, c.channels);
  QCOMPARE(s.channelComparison().perChannelSqnrDb, c.perChannelSqnrDb);
  QCOMPARE(s.channelComparison().channelScales, c.channelScales);
  // A range change does not invalidate them (they depend on the grid only).
  s.setManualRange(quant::Range{-0.5f, 0.5f});
  s.flush();
  QVERIFY(!s.markersPending());
  QCOMPARE(s.markers().size(), expected.size());
  // Choosing percentile 99.9 moves the percentile marker to P = 99.9 (the legend used to keep
  // saying 99.99); the other methods' markers stay.
  quant::CalibrationConfig p99 = quant::parseCalibration("percentile:99.9");
  s.setCalibration(p99);
  s.flush();
  QTRY_VERIFY(!s.markersPending());
  const auto withP = quant::calibrationCandidates(s.tensor().data, s.spec(), 99.9);
  QCOMPARE(s.markers()[1].label, std::string("percentile 99.9"));
  QCOMPARE(s.markers()[1].range.hi, withP[1].range.hi);
  QCOMPARE(s.markers()[0].range.hi, expected[0].range.hi);
}

void TestGuiResponsiveness::staleBackgroundResultsAreDropped() {
  // Many grid changes in quick succession, each in its own event-loop turn so that jobs start
  // and go stale: whatever order the jobs finish in, the results in force are those of the
  // last spec, both after flush() and after simply waiting.
  for (bool useFlush : {true, false}) {
    Session s;
    s.setTensor(normal({32, 4096}, 2.0, 3), QStringLiteral("n"));
    s.flush();
    quant::QuantSpec spec = s.spec();
    for (int bits : {3, 9, 4, 12, 2, 7}) {
      spec.bits = bits;
      s.setSpec(spec, QStringLiteral("bits"));
      QCoreApplication::processEvents();
    }
    s.setChannelAxis(1);
    QCoreApplication::processEvents();
    if (useFlush)
      s.flush();
    else
      QTRY_VERIFY_WITH_TIMEOUT(!s.markersPending() && !s.channelsPending(), 30000);
    QVERIFY(!s.markersPending() && !s.channelsPending());
    const auto expected = quant::calibrationCandidates(s.tensor().data, s.spec());
    QCOMPARE(s.markers().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i)
      QCOMPARE(s.markers()[i].range.hi, expected[i].range.hi);
    const auto c = quant::compareChannelGranularity(s.tensor(), s.spec(), 1);
    QCOMPARE(s.channelComparison().axis, 1);
    QCOMPARE(s.channelComparison().channels, c.channels);
    QCOMPARE(s.channelComparison().channelSqnrDb, c.channelSqnrDb);
    // Destroying a session with a job in flight is safe.
    spec.bits = 6;
    s.setSpec(spec, QStringLiteral("bits"));
    QCoreApplication::processEvents();
  }
}

void TestGuiResponsiveness::viewsShowPendingResults() {
  // The views draw the state in which the background part is not there yet, then update.
  MainWindow w(std::make_unique<Settings>(dir_.filePath("settings2.ini")));
  w.resize(1280, 720);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  QSignalSpy results(w.session(), &Session::resultsChanged);
  QSignalSpy markers(w.session(), &Session::markersChanged);
  w.session()->setTensor(normal({256, 4096}, 1.0, 9), QStringLiteral("1M"));
  QTRY_VERIFY(results.count() >= 1);
  const bool wasPending = w.session()->markersPending();
  QVERIFY(!w.grab().isNull());
  auto* hist = qobject_cast<HistogramView*>(w.view(QStringLiteral("histogram")));
  QVERIFY(hist);
  if (wasPending && markers.count() == 0) {
    QCOMPARE(hist->markerCount(), 0);  // a new tensor's markers are not the old tensor's
    QVERIFY2(hist->legendText().contains(QStringLiteral("computing")),
             qPrintable(hist->legendText()));
  }
  QTRY_VERIFY_WITH_TIMEOUT(!w.session()->markersPending() && !w.session()->channelsPending(),
                           30000);
  QTRY_COMPARE(hist->markerCount(), static_cast<int>(w.session()->markers().size()));
  QVERIFY(hist->markerCount() >= 4);
  auto* channels = qobject_cast<PerChannelView*>(w.view(QStringLiteral("channels")));
  QVERIFY(channels);
  QTRY_COMPARE(channels->barCount(), 256);
  QVERIFY(!w.grab().isNull());
  qInfo("1M tensor shown with pending markers first: %s", wasPending ? "yes" : "no (fast machine)");
}

void TestGuiResponsiveness::cheapPathTimings() {
  Session s;
  s.setTensor(normal({1000, 1000}, 1.0, 42), QStringLiteral("1M"));
  s.flush();
  constexpr int kRuns = 20;
  std::vector<double> bits, range, full;
  quant::QuantSpec spec = s.spec();
  for (int i = 0; i < kRuns; ++i) {
    spec.bits = 4 + i % 8;
    bits.push_back(timeOneRecompute(s, [&] { s.setSpec(spec, QStringLiteral("bits")); }));
  }
  for (int i = 0; i < kRuns; ++i) {
    const float r = 1.0f + 0.1f * static_cast<float>(i);
    range.push_back(timeOneRecompute(s, [&] {
      s.setManualRange(quant::Range{-r, r}, Session::kMergeRange);
    }));
  }
  for (int i = 0; i < kRuns / 4; ++i) {
    spec.bits = 3 + i;
    QElapsedTimer t;
    t.start();
    s.setSpec(spec, QStringLiteral("bits"));
    s.flush();  // cheap part + markers + channel comparison
    full.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
  }
  quant::Tensor big = normal({1500, 3000}, 1.0, 43);
  QElapsedTimer t;
  t.start();
  s.setTensor(std::move(big), QStringLiteral("4.5M"));
  QSignalSpy results(&s, &Session::resultsChanged);
  while (results.count() == 0) QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
  const double load45 = static_cast<double>(t.nsecsElapsed()) / 1e6;
  s.flush();
  const double load45full = static_cast<double>(t.nsecsElapsed()) / 1e6;
  qInfo(
      "1M elements, median of %d: bits change %.2f ms, range change %.2f ms (synchronous); "
      "bits change incl. background markers + channels %.1f ms",
      kRuns, median(bits), median(range), median(full));
  qInfo("4.5M elements: new tensor until resultsChanged %.1f ms, until everything %.1f ms", load45,
        load45full);
  // Generous bounds: they catch hangs, not slow machines.
  QVERIFY2(median(bits) < 1000, qPrintable(QString::number(median(bits))));
  QVERIFY2(median(range) < 1000, qPrintable(QString::number(median(range))));
}

void TestGuiResponsiveness::editOnAMillionValuesReturnsAtOnce() {
  // Not a timing test: it checks the structure. A bit-width step on a 1M-value tensor returns to
  // the event loop before anything of the new spec is computed (the work is a worker's), every
  // view is marked as updating meanwhile and names the new spec, and once the results arrive
  // every view shows the same spec as the controls.
  MainWindow w(std::make_unique<Settings>(dir_.filePath("settings3.ini")));
  w.resize(1280, 720);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  Session* s = w.session();
  quant::GeneratorSpec g;
  g.distribution = quant::Distribution::Laplace;
  g.shape = {1000000};
  g.outlierCount = 10;
  g.outlierMagnitude = 40;
  g.seed = 1;
  s->setTensor(quant::generate(g), QStringLiteral("1M"));
  QVERIFY(s->resultsPending());  // even a new tensor's results come from a worker
  QTRY_VERIFY_WITH_TIMEOUT(!s->resultsPending() && !s->markersPending(), 60000);
  const QList<UpdatingBadge*> badges = w.findChildren<UpdatingBadge*>();
  QVERIFY(badges.size() >= 4);
  for (const UpdatingBadge* b : badges) QVERIFY(!b->isShowing());

  auto* bits = w.findChild<QSpinBox*>(QStringLiteral("bitsSpin"));
  QVERIFY(bits);
  const int before = bits->value();
  QTest::keyClick(bits, Qt::Key_Down);
  // Back from the key press: the control moved, nothing of the new spec has been computed on
  // this thread, and the views say they are updating for the new spec.
  QCOMPARE(bits->value(), before - 1);
  QCOMPARE(s->spec().bits, before - 1);
  QVERIFY(s->resultsPending());
  QCOMPARE(s->params().spec.bits, before);
  const QString next = QString::fromStdString(s->spec().describe());
  for (const UpdatingBadge* b : badges) {
    QVERIFY(b->isShowing());
    QVERIFY2(b->text().contains(next), qPrintable(b->text()));
  }

  QTRY_VERIFY_WITH_TIMEOUT(!s->resultsPending(), 60000);
  QCOMPARE(s->params().spec.describe(), s->spec().describe());
  for (const UpdatingBadge* b : badges) QVERIFY(!b->isShowing());
  // The number-format view titles its integer row with the spec of the params it shows.
  bool titled = false;
  for (const QLabel* l : w.findChildren<QLabel*>())
    titled = titled || l->text().startsWith(next + QLatin1Char(':'));
  QVERIFY2(titled, qPrintable(next));
  // A 1-D tensor has no channels: the comparison is not computed for a million "channels".
  QCOMPARE(s->channelComparison().channels, 0);

  // A clipping-line drag: results (with a preview error histogram) follow it, and after the
  // drag ends the error histogram is the exact one of the last range.
  s->endMergeSequence();
  for (int i = 0; i < 10; ++i) {
    const float r = 30.0f - 2.0f * static_cast<float>(i);
    s->setManualRange(quant::Range{-r, r}, Session::kMergeRange);
    QTest::qWait(5);
  }
  s->endMergeSequence();
  QTRY_VERIFY_WITH_TIMEOUT(!s->resultsPending(), 60000);
  QCOMPARE(s->errorHistogramStride(), std::size_t{1});
  QCOMPARE(s->params().ranges.front().hi, 12.0f);
  const quant::Histogram exact = quant::errorHistogram(s->tensor().data, s->reconstructed(), 101);
  QCOMPARE(s->errorHistogram().counts, exact.counts);
}

int main(int argc, char** argv) {
  // A regression would hang rather than fail: let QTest's watchdog end it in bounded time.
  if (qEnvironmentVariableIsEmpty("QTEST_FUNCTION_TIMEOUT"))
    qputenv("QTEST_FUNCTION_TIMEOUT", "120000");
  QApplication app(argc, argv);
  TestGuiResponsiveness test;
  return QTest::qExec(&test, argc, argv);
}

#include "tst_gui_responsiveness.moc"
