// SPDX-License-Identifier: GPL-3.0-or-later
// Frame-time benchmark of the real window (offscreen): how long the GUI thread is held and how
// long until every visible view shows the new spec, per edit, on big tensors. Not a test: it
// asserts nothing and is not registered with CTest; it prints one row per edit.
//
//   bench_gui [--huge] [--sizes 1M,16M] [--1d | --2d] [--no-channels]
//   bench_gui --open FILE.npy [--stream-mib N]
//
// For each tensor (1 M and 16 M values, 1-D and 2-D; --huge adds 100 M) the window is shown at
// 1280x720 with the per-channel dock raised (--no-channels leaves the default docks) and driven
// through the widgets a user touches: Ctrl+Down style bit-width steps on the spin box, scheme
// switches, calibration methods, and a drag of the upper clipping line with the mouse (30 moves,
// one per 33 ms frame). Per edit it prints
//   stall    the longest single GUI-thread turn (the edit's own handler, or one processEvents()
//            call while waiting: event handlers, layout and painting), in wall time and in the
//            GUI thread's CPU time (on a shared machine the wall time includes waiting for a core);
//   views    time until no view is marked "updating" and the results carry the current spec;
//   all      time until the calibration markers and (if shown) the per-channel comparison are
//            those of the current spec too;
//   rss      the process's peak resident set so far, against the goal 3x tensor + 150 MB.
// The drag prints how many result updates reached the views per second of dragging.
//
// --open opens a file the way File > Open does (a .npy of 1 GiB or more, or larger than a third
// of the memory, streams through its mapping; --stream-mib lowers that size) and prints the time
// until the sampled histogram is on screen, until the exact histogram and the exact metrics are,
// the longest GUI-thread stall meanwhile and the peak RSS against 3x the tensor's float32 bytes
// + 150 MB; then the same for a few bit-width changes and a scheme switch.
#include <sys/resource.h>
#include <time.h>

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <thread>

#include "histogramview.h"
#include "mainwindow.h"
#include "perchannelview.h"
#include "quant/numeric/generate.h"
#include "session.h"
#include "settings.h"
#include "tensorloader.h"
#include "updatingbadge.h"

using namespace quantlab::ui;

namespace {

double peakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // kB on Linux
}

double msSince(const QElapsedTimer& t) { return static_cast<double>(t.nsecsElapsed()) / 1e6; }

// CPU time of the calling (GUI) thread: on a shared machine a turn's wall time includes time the
// thread waited for a core; its CPU time is the work the turn itself did.
double threadCpuMs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// One GUI-thread turn, timed in wall and CPU time.
struct Turn {
  QElapsedTimer wall;
  double cpu0 = threadCpuMs();
  Turn() { wall.start(); }
  void addTo(double& stallMs, double& cpuMs) const {
    stallMs = std::max(stallMs, msSince(wall));
    cpuMs = std::max(cpuMs, threadCpuMs() - cpu0);
  }
};

struct Timing {
  double stallMs = 0, cpuMs = 0, viewsMs = -1, allMs = -1;
};

bool viewsCurrent(MainWindow& w) {
  Session* s = w.session();
  if (s->resultsPending() || s->params().spec.describe() != s->spec().describe()) return false;
  if (s->wanted(Session::Extra::ErrorHistogram) && s->errorHistogramPending()) return false;
  for (const UpdatingBadge* b : w.findChildren<UpdatingBadge*>())
    if (b->isShowing()) return false;
  return true;
}

bool allCurrent(MainWindow& w) {
  Session* s = w.session();
  if (!viewsCurrent(w) || s->markersPending()) return false;
  return !(s->wanted(Session::Extra::Channels) && s->channelsPending() &&
           s->tensor().shape.size() >= 2);
}

// Runs `edit` (timed as a GUI-thread turn), then the event loop until everything is current.
// Between processEvents() calls the loop sleeps briefly so that it does not take a core from
// the workers on a 2-core machine; the sleeps are not stalls.
Timing measure(MainWindow& w, const std::function<void()>& edit, double timeoutMs = 120000) {
  Timing r;
  QElapsedTimer total;
  total.start();
  {
    const Turn turn;
    edit();
    turn.addTo(r.stallMs, r.cpuMs);
  }
  while (msSince(total) < timeoutMs) {
    const Turn turn;
    QCoreApplication::processEvents(QEventLoop::AllEvents);
    turn.addTo(r.stallMs, r.cpuMs);
    if (r.viewsMs < 0 && viewsCurrent(w)) r.viewsMs = msSince(total);
    if (r.viewsMs >= 0 && allCurrent(w)) {
      r.allMs = msSince(total);
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(300));
  }
  return r;
}

void printRow(const char* tensor, const QString& edit, const Timing& t, double budgetMb) {
  std::printf(
      "%-9s %-40s stall %7.1f ms (cpu %6.1f)  views %7.1f ms  all %7.1f ms  peak rss %5.0f MB "
      "(goal %.0f)\n",
      tensor, qPrintable(edit), t.stallMs, t.cpuMs, t.viewsMs, t.allMs, peakRssMb(), budgetMb);
  std::fflush(stdout);
}

QPoint pixelOf(QChartView* view, QChart* chart, QPointF value) {
  return view->mapFromScene(chart->mapToScene(chart->mapToPosition(value)));
}

void runTensor(MainWindow& w, const char* name, std::vector<std::int64_t> shape) {
  quant::GeneratorSpec g;
  g.distribution = quant::Distribution::Laplace;
  g.shape = shape;
  g.scale = 1.0;
  g.seed = 1;
  g.outlierCount = 10;
  g.outlierMagnitude = 40;
  g.name = name;
  quant::Tensor t = quant::generate(g);
  const double tensorMb = static_cast<double>(t.data.size() * sizeof(float)) / (1024.0 * 1024.0);
  const double budget = 3 * tensorMb + 150;
  Session* s = w.session();
  printRow(name, QStringLiteral("open"),
           measure(w, [&] { s->setTensor(std::move(t), QString::fromLatin1(name)); }), budget);

  auto* bits = w.findChild<QSpinBox*>(QStringLiteral("bitsSpin"));
  auto* scheme = w.findChild<QComboBox*>(QStringLiteral("schemeCombo"));
  auto* calib = w.findChild<QComboBox*>(QStringLiteral("calibrationCombo"));
  bits->setValue(8);
  measure(w, [] {});
  for (int i = 0; i < 3; ++i) {
    const QString label = QStringLiteral("bits %1 -> %2").arg(bits->value()).arg(bits->value() - 1);
    printRow(name, label, measure(w, [&] { QTest::keyClick(bits, Qt::Key_Down); }), budget);
  }
  for (int i : {1, 0}) {
    printRow(name, QStringLiteral("scheme -> %1").arg(scheme->itemText(i)),
             measure(w, [&] { scheme->setCurrentIndex(i); }), budget);
  }
  for (int i = 1; i < calib->count(); ++i) {
    printRow(name, QStringLiteral("calibration -> %1").arg(calib->itemText(i)),
             measure(w, [&] { calib->setCurrentIndex(i); }), budget);
  }
  printRow(name, QStringLiteral("calibration -> %1").arg(calib->itemText(0)),
           measure(w, [&] { calib->setCurrentIndex(0); }), budget);

  // The drag: press on the upper clipping line, 30 moves toward the centre, one per frame.
  auto* hist = qobject_cast<HistogramView*>(w.view(QStringLiteral("histogram")));
  QWidget* vp = hist->chartView()->viewport();
  const double hi0 = s->activeRange().hi, lo0 = s->activeRange().lo;
  int updates = 0;
  const auto conn = QObject::connect(s, &Session::resultsChanged, [&] { ++updates; });
  Timing drag;
  QElapsedTimer dragTime;
  dragTime.start();
  drag = measure(w, [&] {
    QTest::mousePress(vp, Qt::LeftButton, {},
                      pixelOf(hist->chartView(), hist->chart(), QPointF(hi0, hist->midY())));
  });
  double longest = drag.stallMs, longestCpu = drag.cpuMs;
  constexpr int kMoves = 30;
  for (int i = 1; i <= kMoves; ++i) {
    const double v = hi0 - (hi0 - 0.5 * (hi0 + lo0)) * 0.8 * i / kMoves;
    QElapsedTimer frame;
    frame.start();
    {
      const Turn turn;
      QTest::mouseMove(vp, pixelOf(hist->chartView(), hist->chart(), QPointF(v, hist->midY())));
      turn.addTo(longest, longestCpu);
    }
    while (msSince(frame) < 33.3) {
      const Turn turn;
      QCoreApplication::processEvents(QEventLoop::AllEvents);
      turn.addTo(longest, longestCpu);
      std::this_thread::sleep_for(std::chrono::microseconds(300));
    }
  }
  const double dragSeconds = msSince(dragTime) / 1000.0;
  const int during = updates;
  Timing release = measure(
      w, [&] { QTest::mouseRelease(vp, Qt::LeftButton, {}, vp->mapFromGlobal(QCursor::pos())); });
  QObject::disconnect(conn);
  release.stallMs = std::max(release.stallMs, longest);
  release.cpuMs = std::max(release.cpuMs, longestCpu);
  printRow(name, QStringLiteral("drag (30 moves, release)"), release, budget);
  std::printf("%-9s %-40s %.1f result updates per second while dragging\n", name, "drag rate",
              during / dragSeconds);
  // Back to automatic for the next tensor.
  measure(w, [&] { s->setManualRange(std::nullopt); });
}

// Opens `path` through the window's loader and times its stages (see the header).
int runFile(MainWindow& w, const QString& path) {
  Session* s = w.session();
  TensorLoader* loader = w.loader();
  bool failed = false;
  QObject::connect(loader, &TensorLoader::failed, [&](const QString& m) {
    std::printf("open failed: %s\n", qPrintable(m));
    failed = true;
  });
  double sampledMs = -1, exactHistMs = -1, exactMs = -1, stallMs = 0, cpuMs = 0;
  QElapsedTimer total;
  total.start();
  {
    const Turn turn;
    w.openFile(path);
    turn.addTo(stallMs, cpuMs);
  }
  bool opened = false;
  QObject::connect(loader, &TensorLoader::loaded, [&] { opened = true; });
  while (!failed && msSince(total) < 600000) {
    {
      const Turn turn;
      QCoreApplication::processEvents(QEventLoop::AllEvents);
      turn.addTo(stallMs, cpuMs);
    }
    const bool shown = opened && !s->histogram().counts.empty();
    if (sampledMs < 0 && shown) sampledMs = msSince(total);
    if (exactHistMs < 0 && shown && !s->histogramSampled()) exactHistMs = msSince(total);
    if (shown && viewsCurrent(w) && !s->metricsSampled() && !s->histogramSampled()) {
      exactMs = msSince(total);
      break;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(300));
  }
  if (failed) return 1;
  const double tensorMb = static_cast<double>(s->valueCount()) * 4.0 / (1024.0 * 1024.0);
  std::printf("%s: %lld values, %s\n", qPrintable(path), static_cast<long long>(s->valueCount()),
              s->streamed() ? "streamed through its memory mapping" : "loaded into memory");
  std::printf(
      "open: first histogram %.0f ms (%s), exact histogram %.0f ms, exact metrics %.0f ms, "
      "longest stall %.1f ms (cpu %.1f), peak rss %.0f MB (goal %.0f)\n",
      sampledMs, s->streamed() ? "sampled" : "exact", exactHistMs, exactMs, stallMs, cpuMs,
      peakRssMb(), 3 * tensorMb + 150);
  std::fflush(stdout);
  auto* bits = w.findChild<QSpinBox*>(QStringLiteral("bitsSpin"));
  auto* scheme = w.findChild<QComboBox*>(QStringLiteral("schemeCombo"));
  for (int i = 0; i < 2; ++i) {
    const QString label = QStringLiteral("bits %1 -> %2").arg(bits->value()).arg(bits->value() - 1);
    printRow("file", label, measure(w, [&] { QTest::keyClick(bits, Qt::Key_Down); }),
             3 * tensorMb + 150);
  }
  printRow("file", QStringLiteral("scheme -> %1").arg(scheme->itemText(1)),
           measure(w, [&] { scheme->setCurrentIndex(1); }), 3 * tensorMb + 150);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  const QStringList args = app.arguments();
  const bool huge = args.contains(QStringLiteral("--huge"));
  const bool channels = !args.contains(QStringLiteral("--no-channels"));
  QStringList sizes{QStringLiteral("1M"), QStringLiteral("16M")};
  const int at = static_cast<int>(args.indexOf(QStringLiteral("--sizes")));
  if (at >= 0 && at + 1 < args.size()) sizes = args[at + 1].split(QLatin1Char(','));
  if (huge) sizes << QStringLiteral("100M");

  QTemporaryDir dir;
  MainWindow w(std::make_unique<Settings>(dir.filePath(QStringLiteral("settings.ini"))));
  w.resize(1280, 720);
  w.show();
  if (!QTest::qWaitForWindowExposed(&w)) return 1;
  if (channels) {
    for (QDockWidget* d : w.findChildren<QDockWidget*>()) {
      if (d->isAncestorOf(w.view(QStringLiteral("channels")))) {
        d->show();
        d->raise();
      }
    }
  }
  QCoreApplication::processEvents();
  std::printf("bench_gui: window 1280x720 offscreen, per-channel dock %s\n",
              channels ? "raised" : "as laid out");
  const int open = static_cast<int>(args.indexOf(QStringLiteral("--open")));
  if (open >= 0 && open + 1 < args.size()) {
    const int mib = static_cast<int>(args.indexOf(QStringLiteral("--stream-mib")));
    if (mib >= 0 && mib + 1 < args.size())
      TensorLoader::setStreamBytesForTests(args[mib + 1].toULongLong() << 20);
    return runFile(w, args[open + 1]);
  }

  struct Case {
    QString size;
    const char* name;
    std::vector<std::int64_t> shape;
  };
  const std::vector<Case> cases = {
      {QStringLiteral("1M"), "1M 1-D", {1000000}},
      {QStringLiteral("1M"), "1M 2-D", {1000, 1000}},
      {QStringLiteral("16M"), "16M 1-D", {16777216}},
      {QStringLiteral("16M"), "16M 2-D", {4096, 4096}},
      {QStringLiteral("100M"), "100M 1-D", {100000000}},
      {QStringLiteral("100M"), "100M 2-D", {10000, 10000}},
  };
  const bool only1d = args.contains(QStringLiteral("--1d")),
             only2d = args.contains(QStringLiteral("--2d"));
  for (const Case& c : cases) {
    const bool is2d = c.shape.size() == 2;
    if (sizes.contains(c.size) && !(only1d && is2d) && !(only2d && !is2d))
      runTensor(w, c.name, c.shape);
  }
  return 0;
}
