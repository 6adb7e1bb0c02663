// SPDX-License-Identifier: GPL-3.0-or-later
// A randomized stress run of the window: a seeded random sequence of tensor loads (some cut short
// by the next one, some failing), generated tensors, bit-width, scheme, granularity and
// calibration edits through the controls, clipping-line drags with the mouse, undo/redo, model
// jobs started and cancelled, language and presenter switches, and waits of random length.
//
//   QUANTLAB_STRESS_SECONDS=N   how long (default 10; ./test.sh runs 60 under ASan/UBSan)
//   QUANTLAB_STRESS_SEED=S      replays a run (the seed is printed at the start)
//   QUANTLAB_STRESS_TRACE=1     prints every action as it starts
//
// Checks: nothing crashes (and, under ASan, nothing leaks); a watchdog thread measures the
// GUI thread's stalls (the gaps between ticks of a 2 ms timer) and prints the longest with the
// action that ran, and aborts with the seed on a hang; and the final state equals that of a
// bare Session that replays only the state changes the run made (tensors as they landed, edits,
// merges of a drag, undo, redo), without the cancelled jobs, the language and the presenter
// switches: same tensor, spec, calibration, range, undo history and the same results bit for bit.
#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUndoStack>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <thread>
#include <variant>

#include "histogramview.h"
#include "mainwindow.h"
#include "modelsession.h"
#include "presenter.h"
#include "quant/io/tensorio.h"
#include "quant/numeric/generate.h"
#include "session.h"
#include "settings.h"
#include "tensorloader.h"
#include "translations.h"

using namespace quantlab::ui;

namespace {

// A hang (not a slow turn) ends the run: beyond this the seed is printed and the process aborts.
constexpr auto kHangLimit = std::chrono::seconds(60);

// Measures how long the GUI thread goes without returning to its event loop: a 2 ms timer ticks
// there and a thread of its own looks at the gaps, so a hang is caught while it lasts.
class Watchdog {
 public:
  explicit Watchdog(quint64 seed) : seed_(seed) {
    timer_.setTimerType(Qt::PreciseTimer);
    timer_.setInterval(2);
    QObject::connect(&timer_, &QTimer::timeout, [this] { tick(); });
    tick();
    timer_.start();
    thread_ = std::thread([this] {
      while (!stop_.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (now() - last_.load() > std::chrono::nanoseconds(kHangLimit).count()) {
          std::fprintf(stderr, "stress: GUI thread hung for over %llds in action '%s'; seed %llu\n",
                       static_cast<long long>(kHangLimit.count()), action_.load(),
                       static_cast<unsigned long long>(seed_));
          std::abort();
        }
      }
    });
  }
  ~Watchdog() {
    stop_.store(true);
    thread_.join();
  }
  // The action running now (a string literal), named in the stall report.
  void setAction(const char* what) {
    action_.store(what);
    if (trace_) std::fprintf(stderr, "stress: %s\n", what);
  }
  void pause() { timer_.stop(); }
  double longestMs() const { return longestNs_ / 1e6; }
  const char* longestAction() const { return longestAction_; }
  int over16ms() const { return over16_; }

 private:
  static qint64 now() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  void tick() {
    const qint64 t = now(), gap = t - last_.exchange(t) - 2000000;  // minus the interval
    if (gap > 16000000) ++over16_;
    if (gap > longestNs_) {
      longestNs_ = gap;
      longestAction_ = action_.load();
    }
  }
  quint64 seed_;
  bool trace_ = qEnvironmentVariableIsSet("QUANTLAB_STRESS_TRACE");
  QTimer timer_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<qint64> last_{now()};
  std::atomic<const char*> action_{"start"};
  qint64 longestNs_ = 0;
  const char* longestAction_ = "none";
  int over16_ = 0;
};

// One state change of the session, in the order the run made them.
struct TensorLanded {
  quant::Tensor tensor;
  QString label;
};
struct Edit {
  quant::QuantSpec spec;
  quant::CalibrationConfig calibration;
  std::optional<quant::Range> range;
  bool merged = false;  // replaced the last undo step (a drag step)
};
struct Undo {
  bool redo = false;
};
using Change = std::variant<TensorLanded, Edit, Undo>;

struct Editable {
  quant::QuantSpec spec;
  quant::CalibrationConfig calibration;
  std::optional<quant::Range> range;
};
Editable editableOf(const Session& s) { return {s.spec(), s.calibration(), s.manualRange()}; }

bool sameRange(const std::optional<quant::Range>& a, const std::optional<quant::Range>& b) {
  return a.has_value() == b.has_value() && (!a || (a->lo == b->lo && a->hi == b->hi));
}
bool sameSpec(const quant::QuantSpec& a, const quant::QuantSpec& b) {
  return a.bits == b.bits && a.isSigned == b.isSigned && a.scheme == b.scheme &&
         a.narrowRange == b.narrowRange && a.granularity == b.granularity && a.axis == b.axis &&
         a.groupSize == b.groupSize;
}
bool sameCalibration(const quant::CalibrationConfig& a, const quant::CalibrationConfig& b) {
  return quant::calibrationName(a) == quant::calibrationName(b);
}

// Makes `s` take the edit: one undoable step, like the control that made it.
void applyEdit(Session& s, const Edit& e) {
  if (e.merged) s.undoStack()->undo();
  if (!sameSpec(s.spec(), e.spec)) {
    s.setSpec(e.spec, QStringLiteral("spec"));
  } else if (!sameCalibration(s.calibration(), e.calibration)) {
    s.setCalibration(e.calibration);
  } else {
    s.setManualRange(e.range);
  }
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

quint64 seedFromEnvironment() {
  bool ok = false;
  const quint64 s = qEnvironmentVariable("QUANTLAB_STRESS_SEED").toULongLong(&ok);
  if (ok) return s;
  return static_cast<quint64>(std::chrono::steady_clock::now().time_since_epoch().count());
}

}  // namespace

class TestGuiStress : public QObject {
  Q_OBJECT
 private slots:
  void randomSequence();
};

void TestGuiStress::randomSequence() {
  const quint64 seed = seedFromEnvironment();
  bool okSeconds = false;
  int seconds = qEnvironmentVariableIntValue("QUANTLAB_STRESS_SECONDS", &okSeconds);
  if (!okSeconds || seconds <= 0) seconds = 10;
  std::printf("stress: seed %llu, %d s (replay: QUANTLAB_STRESS_SEED=%llu)\n",
              static_cast<unsigned long long>(seed), seconds,
              static_cast<unsigned long long>(seed));
  std::fflush(stdout);
  std::mt19937_64 rng(seed);
  auto pick = [&rng](int n) { return static_cast<int>(rng() % static_cast<quint64>(n)); };

  // Files: small, async-sized 1-D and 2-D ones, and one that fails to load.
  QTemporaryDir dir;
  QStringList files;
  const std::vector<std::vector<std::int64_t>> shapes = {{4096}, {200000}, {64, 3000}};
  for (std::size_t i = 0; i < shapes.size(); ++i) {
    quant::GeneratorSpec g;
    g.distribution = i == 1 ? quant::Distribution::Normal : quant::Distribution::Laplace;
    g.shape = shapes[i];
    g.seed = 100 + i;
    g.outlierCount = 3;
    g.outlierMagnitude = 9;
    const QString path = dir.filePath(QStringLiteral("t%1.npy").arg(i));
    quant::saveNpy(path.toStdString(), quant::generate(g));
    files << path;
  }
  files << dir.filePath(QStringLiteral("missing.npy"));

  MainWindow w(std::make_unique<Settings>(dir.filePath(QStringLiteral("settings.ini"))));
  w.resize(1280, 720);
  w.show();
  QVERIFY(QTest::qWaitForWindowExposed(&w));
  Session* s = w.session();
  ModelSession* model = w.modelSession();
  model->openModel(QStringLiteral("mlp"));
  model->waitForIdle();
  QCoreApplication::processEvents();
  s->flush();

  // The starting point of the replay, then every state change in order.
  const Editable start = editableOf(*s);
  std::vector<Change> log;
  log.push_back(TensorLanded{s->tensor(), s->tensorLabel()});
  s->setTensor(quant::Tensor(s->tensor()), s->tensorLabel());  // the undo history starts empty
  int undoCount = 0, undoIndex = 0;
  Editable last = editableOf(*s);
  connect(s, &Session::tensorChanged, this, [&] {
    // An edit made in the same turn, before the tensor landed and cleared the undo history, is
    // not seen by record(): log it here (the landing itself resets the range and may only make
    // the spec per-tensor, which the replay's setTensor() does again).
    const Editable now = editableOf(*s);
    if (!sameSpec(now.spec, last.spec) || !sameCalibration(now.calibration, last.calibration))
      log.push_back(Edit{now.spec, now.calibration, last.range, false});
    log.push_back(TensorLanded{s->tensor(), s->tensorLabel()});
    undoCount = undoIndex = 0;
    last = editableOf(*s);
  });
  // After every action: what it did to the undo history (one step at most: a control makes one
  // edit, a drag merges into one step).
  auto record = [&]() -> QString {
    QUndoStack* u = s->undoStack();
    const int count = u->count(), index = u->index();
    const Editable now = editableOf(*s);
    const bool changed = !sameSpec(now.spec, last.spec) ||
                         !sameCalibration(now.calibration, last.calibration) ||
                         !sameRange(now.range, last.range);
    QString error;
    if (index == undoIndex + 1 && count == index) {
      log.push_back(Edit{now.spec, now.calibration, now.range, false});
    } else if (index == undoIndex && count == undoCount && changed) {
      log.push_back(Edit{now.spec, now.calibration, now.range, true});
    } else if (index == undoIndex - 1 && count == undoCount) {
      log.push_back(Undo{false});
    } else if (index == undoIndex + 1 && count == undoCount) {
      log.push_back(Undo{true});
    } else if (index != undoIndex || count != undoCount || changed) {
      error = QStringLiteral("undo history went from %1/%2 to %3/%4")
                  .arg(undoIndex)
                  .arg(undoCount)
                  .arg(index)
                  .arg(count);
    }
    undoCount = count;
    undoIndex = index;
    last = now;
    return error;
  };

  auto* bits = w.findChild<QSpinBox*>(QStringLiteral("bitsSpin"));
  auto* scheme = w.findChild<QComboBox*>(QStringLiteral("schemeCombo"));
  auto* granularity = w.findChild<QComboBox*>(QStringLiteral("granularityCombo"));
  auto* calibration = w.findChild<QComboBox*>(QStringLiteral("calibrationCombo"));
  auto* hist = qobject_cast<HistogramView*>(w.view(QStringLiteral("histogram")));
  QVERIFY(bits && scheme && granularity && calibration && hist);
  const QStringList languages{QStringLiteral("es"), QStringLiteral("vi"), QStringLiteral("en")};
  auto waitRandom = [&](int maxMs) {
    QElapsedTimer t;
    t.start();
    const int ms = pick(maxMs + 1);
    while (t.elapsed() < ms) {
      QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };
  auto pixelOf = [&](double value) {
    QChartView* v = hist->chartView();
    return v->mapFromScene(
        hist->chart()->mapToScene(hist->chart()->mapToPosition(QPointF(value, hist->midY()))));
  };

  const bool trace = qEnvironmentVariableIsSet("QUANTLAB_STRESS_TRACE");
  int actions = 0, jobsCancelled = 0, loads = 0;
  Watchdog dog(seed);
  QElapsedTimer clock;
  clock.start();
  while (clock.elapsed() < seconds * 1000) {
    ++actions;
    switch (pick(12)) {
      case 0:  // a file (the next load may cut it short; one of them fails)
        dog.setAction("load a file");
        w.openFile(files[pick(static_cast<int>(files.size()))]);
        ++loads;
        break;
      case 1: {
        dog.setAction("generate");
        quant::GeneratorSpec g;
        g.distribution = pick(2) ? quant::Distribution::Normal : quant::Distribution::Laplace;
        g.shape = pick(2) ? std::vector<std::int64_t>{1 + pick(150000)}
                          : std::vector<std::int64_t>{1 + pick(64), 1 + pick(2000)};
        g.seed = rng();
        w.loader()->generate(g);
        ++loads;
        break;
      }
      case 2:
        dog.setAction("bit width");
        QTest::keyClick(bits, pick(2) ? Qt::Key_Up : Qt::Key_Down);
        break;
      case 3:
        dog.setAction("scheme");
        scheme->setCurrentIndex(pick(scheme->count()));
        break;
      case 4:
        dog.setAction("granularity");
        granularity->setCurrentIndex(pick(granularity->count()));
        if (trace)
          std::fprintf(stderr, "stress: granularity %s on %s\n",
                       qPrintable(granularity->currentText()), s->tensor().shapeString().c_str());
        break;
      case 5:
        dog.setAction("calibration");
        calibration->setCurrentIndex(pick(calibration->count()));
        break;
      case 6: {
        dog.setAction("drag a clipping line");
        QWidget* vp = hist->chartView()->viewport();
        const quant::Range r = s->activeRange();
        const bool upper = pick(2);
        const double from = upper ? r.hi : r.lo;
        QTest::mousePress(vp, Qt::LeftButton, {}, pixelOf(from));
        const int moves = 1 + pick(8);
        for (int i = 1; i <= moves; ++i) {
          QTest::mouseMove(vp, pixelOf(from - (from - 0.5 * (r.lo + r.hi)) * 0.1 * i));
          waitRandom(20);
        }
        QTest::mouseRelease(vp, Qt::LeftButton, {}, vp->mapFromGlobal(QCursor::pos()));
        break;
      }
      case 7:
        if (pick(2)) {
          dog.setAction("undo");
          s->undoStack()->undo();
        } else {
          dog.setAction("redo");
          s->undoStack()->redo();
        }
        break;
      case 8: {
        dog.setAction("model job, cancelled");
        switch (pick(3)) {
          case 0:
            model->runBenchmark(64, 1, 3);
            break;
          case 1:
            model->runEvaluation(500);
            break;
          default:
            model->runSensitivity(4, 200, 0.0);
            break;
        }
        waitRandom(40);
        model->cancel();
        ++jobsCancelled;
        break;
      }
      case 9:
        dog.setAction("language");
        installUiLanguage(languages[pick(3)]);
        break;
      case 10:
        dog.setAction("presenter mode");
        w.presenter()->toggle();
        break;
      default:
        dog.setAction("wait");
        waitRandom(60);
        break;
    }
    // The action's handlers, its results and repaints run here: still counted as the action's.
    QCoreApplication::processEvents();
    const QString error = record();
    QVERIFY2(
        error.isEmpty(),
        qPrintable(QStringLiteral("action %1: %2 (seed %3)").arg(actions).arg(error).arg(seed)));
  }
  // Let the last load land (or fail), then the last results arrive.
  dog.setAction("final loads");
  QTRY_VERIFY_WITH_TIMEOUT(!w.loader()->isBusy(), 60000);
  model->cancel();
  model->waitForIdle();
  QCoreApplication::processEvents();
  QVERIFY(record().isEmpty());
  s->flush();
  dog.pause();
  std::printf(
      "stress: %d actions (%d loads, %d model jobs cancelled), %zu state changes; longest "
      "GUI-thread stall %.1f ms (during '%s'), %d over 16 ms\n",
      actions, loads, jobsCancelled, log.size(), dog.longestMs(), dog.longestAction(),
      dog.over16ms());
  std::fflush(stdout);
  installUiLanguage(QStringLiteral("en"));
  w.presenter()->setActive(false);

  // The replay: the same state changes on a bare session.
  Session replay;
  replay.setSpec(start.spec, QStringLiteral("start"));
  replay.setCalibration(start.calibration);
  for (const Change& c : log) {
    if (const auto* t = std::get_if<TensorLanded>(&c)) {
      replay.setTensor(quant::Tensor(t->tensor), t->label);
    } else if (const auto* e = std::get_if<Edit>(&c)) {
      applyEdit(replay, *e);
    } else if (std::get<Undo>(c).redo) {
      replay.undoStack()->redo();
    } else {
      replay.undoStack()->undo();
    }
  }
  replay.flush();
  const QString where = QStringLiteral(" (seed %1)").arg(seed);
  QVERIFY2(sameBits(replay.tensor().data, s->tensor().data), qPrintable("tensor" + where));
  QVERIFY(replay.tensor().shape == s->tensor().shape);
  QVERIFY2(sameSpec(replay.spec(), s->spec()), qPrintable("spec" + where));
  QVERIFY2(sameCalibration(replay.calibration(), s->calibration()),
           qPrintable(QStringLiteral("calibration %1 vs %2")
                          .arg(QString::fromStdString(quant::calibrationName(replay.calibration())),
                               QString::fromStdString(quant::calibrationName(s->calibration()))) +
                      where));
  QVERIFY2(sameRange(replay.manualRange(), s->manualRange()), qPrintable("range" + where));
  QCOMPARE(replay.undoStack()->count(), s->undoStack()->count());
  QCOMPARE(replay.undoStack()->index(), s->undoStack()->index());
  QCOMPARE(replay.lastError(), s->lastError());
  QVERIFY2(replay.params().scales == s->params().scales, qPrintable("scales" + where));
  QVERIFY(replay.params().zeroPoints == s->params().zeroPoints);
  QCOMPARE(replay.metrics().mse, s->metrics().mse);
  QCOMPARE(replay.metrics().clipped, s->metrics().clipped);
  QVERIFY(replay.histogram().counts == s->histogram().counts);
  QCOMPARE(replay.markers().size(), s->markers().size());
  for (std::size_t i = 0; i < replay.markers().size(); ++i) {
    QCOMPARE(replay.markers()[i].range.lo, s->markers()[i].range.lo);
    QCOMPARE(replay.markers()[i].range.hi, s->markers()[i].range.hi);
  }
}

QTEST_MAIN(TestGuiStress)
#include "tst_gui_stress.moc"
