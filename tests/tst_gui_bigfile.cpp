// SPDX-License-Identifier: GPL-3.0-or-later
// A 256 MB .npy (64 Mi float32) opened through the TensorLoader: the event loop keeps ticking
// while the file is loaded (memory-mapped, converted on a worker thread), real progress is
// reported, Cancel keeps the previous tensor, and a tensor too large for the available memory
// fails with a message. The timings (load, largest event-loop gap, and the Session's
// synchronous recompute after the tensor arrives) are printed.
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QTimer>
#include <QWidget>
#include <algorithm>
#include <vector>

#include "quant/tensorio.h"
#include "session.h"
#include "tensorloader.h"

using namespace quantlab::ui;

#if defined(__SANITIZE_ADDRESS__)
#define QL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QL_ASAN 1
#endif
#endif

namespace {

// 64 Mi float32 = 256 MiB. QUANTLAB_BIGFILE_MIB=2048 measures a 2 GiB file by hand (not in CI).
const qint64 kElements = [] {
  const qint64 mib = qEnvironmentVariableIntValue("QUANTLAB_BIGFILE_MIB");
  return (mib > 0 ? mib : 256) << 18;
}();

// Writes a C-order '<f4' .npy of shape (N/8192, 8192) holding i % 1000 - 500, chunk by chunk.
bool writeBigNpy(const QString& path) {
  QByteArray dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                    QByteArray::number(kElements / 8192) + ", 8192), }";
  const int total = (10 + static_cast<int>(dict.size()) + 1 + 63) / 64 * 64;
  dict.append(QByteArray(total - 10 - static_cast<int>(dict.size()) - 1, ' '));
  dict.append('\n');
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly)) return false;
  QByteArray head("\x93NUMPY\x01\x00", 8);
  head.append(static_cast<char>(dict.size() & 0xff));
  head.append(static_cast<char>(dict.size() >> 8));
  head.append(dict);
  if (f.write(head) != head.size()) return false;
  std::vector<float> chunk(std::size_t{1} << 22);
  for (qint64 done = 0; done < kElements; done += static_cast<qint64>(chunk.size())) {
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      chunk[i] = static_cast<float>((done + static_cast<qint64>(i)) % 1000) - 500.0f;
    }
    const auto bytes = static_cast<qint64>(chunk.size() * sizeof(float));
    if (f.write(reinterpret_cast<const char*>(chunk.data()), bytes) != bytes) return false;
  }
  return true;
}

quant::Tensor small() {
  quant::Tensor t;
  t.name = "previous";
  t.dtype = "float32";
  t.shape = {4, 8};
  for (int i = 0; i < 32; ++i) t.data.push_back(static_cast<float>(i) - 16.0f);
  return t;
}

// Measures the largest gap between the ticks of a 10 ms timer while `recording` is set.
class GapMeter : public QObject {
 public:
  GapMeter() {
    timer_.setInterval(10);
    timer_.setTimerType(Qt::PreciseTimer);
    QObject::connect(&timer_, &QTimer::timeout, this, [this] {
      const qint64 now = clock_.nsecsElapsed();
      if (recording && last_ >= 0) maxGapMs = std::max(maxGapMs, (now - last_) / 1e6);
      last_ = now;
    });
    clock_.start();
    timer_.start();
  }
  bool recording = false;
  double maxGapMs = 0.0;
  // Closes the current interval (the last tick before a stop may be long ago).
  void stop() {
    const qint64 now = clock_.nsecsElapsed();
    if (recording && last_ >= 0) maxGapMs = std::max(maxGapMs, (now - last_) / 1e6);
    recording = false;
  }
  void begin() {
    maxGapMs = 0.0;
    last_ = clock_.nsecsElapsed();
    recording = true;
  }

 private:
  QTimer timer_;
  QElapsedTimer clock_;
  qint64 last_ = -1;
};

}  // namespace

class TestGuiBigFile : public QObject {
  Q_OBJECT

  QTemporaryDir dir_;
  QString big_;

  struct Run {
    double loadMs = 0, maxGapMs = 0, recomputeMs = 0, recomputeGapMs = 0;
    std::vector<double> progress;
    qint64 numel = 0;
    float last = 0.0f;
  };

  // Opens the big file into a fresh session; measures until the tensor reaches the session,
  // then (separately) until the session's recompute has delivered its results.
  Run openBig() {
    Run run;
    QWidget window;
    window.resize(800, 600);
    window.show();
    Session session;
    session.setTensor(small(), QStringLiteral("previous"));
    QTest::qWait(50);  // let the recompute of the small tensor pass
    TensorLoader loader(&session, &window);
    GapMeter meter;
    QElapsedTimer clock;
    bool ready = false, results = false;
    connect(&loader, &TensorLoader::progressChanged, this,
            [&](double f) { run.progress.push_back(f); });
    connect(&session, &Session::tensorChanged, this, [&] {
      if (ready) return;
      meter.stop();  // the load ends here: the recompute is measured on its own
      run.maxGapMs = meter.maxGapMs;
      run.loadMs = clock.nsecsElapsed() / 1e6;
      ready = true;
      clock.restart();
      meter.begin();
    });
    connect(&session, &Session::resultsChanged, this, [&] {
      if (!ready || results) return;
      meter.stop();
      run.recomputeMs = clock.nsecsElapsed() / 1e6;
      run.recomputeGapMs = meter.maxGapMs;
      results = true;
    });
    clock.start();
    meter.begin();
    loader.open(big_);
    if (!QTest::qWaitFor([&] { return results; }, 120000)) qWarning("no results after 120 s");
    run.numel = static_cast<qint64>(session.tensor().data.size());
    if (run.numel > 0) run.last = session.tensor().data.back();
    return run;
  }

 private slots:
  void initTestCase() {
    QVERIFY(dir_.isValid());
    big_ = dir_.filePath(QStringLiteral("big256.npy"));
    QElapsedTimer t;
    t.start();
    QVERIFY(writeBigNpy(big_));
    qInfo("wrote %s (%.0f MB) in %lld ms", qPrintable(big_), kElements * 4 / 1e6,
          static_cast<long long>(t.elapsed()));
  }

  void loadKeepsTheEventLoopTurning() {
    Run run = openBig();
    QCOMPARE(run.numel, kElements);
    QCOMPARE(run.last, static_cast<float>((kElements - 1) % 1000) - 500.0f);
    qInfo(
        "%.0f MB load: %.0f ms, largest event-loop gap during the load %.1f ms, %zu progress "
        "reports",
        kElements * 4 / 1e6, run.loadMs, run.maxGapMs, run.progress.size());
    qInfo(
        "session recompute after the load: %.0f ms until resultsChanged, largest event-loop "
        "gap %.1f ms (synchronous, not part of the load)",
        run.recomputeMs, run.recomputeGapMs);
    // The GUI polls every 50 ms, so a fast machine may see only the final 1.0 (the core's
    // fine-grained reports are checked in tst_bigtensor).
    QVERIFY2(!run.progress.empty(), "progress values were reported");
    QVERIFY(run.progress.front() > 0.0);
    for (std::size_t i = 1; i < run.progress.size(); ++i) {
      QVERIFY(run.progress[i] >= run.progress[i - 1]);
    }
    QCOMPARE(run.progress.back(), 1.0);
#if defined(NDEBUG) && !defined(QL_ASAN)
    if (run.maxGapMs >= 100.0) {
      // One retry: a busy shared machine can deschedule the GUI thread for a moment; a loader
      // that blocks the event loop fails both times.
      qInfo("gap %.1f ms >= 100 ms, measuring once more", run.maxGapMs);
      run = openBig();
      qInfo("retry: load %.0f ms, largest gap %.1f ms", run.loadMs, run.maxGapMs);
    }
    QVERIFY2(run.maxGapMs < 100.0, qPrintable(QString::number(run.maxGapMs) + " ms"));
#else
    qInfo("timing assertion skipped (sanitizer or debug build)");
#endif
  }

  void cancelKeepsThePreviousTensor() {
    QWidget window;
    window.show();
    Session session;
    session.setTensor(small(), QStringLiteral("previous"));
    TensorLoader loader(&session, &window);
    QSignalSpy canceled(&loader, &TensorLoader::canceled);
    QSignalSpy loaded(&loader, &TensorLoader::loaded);
    QSignalSpy failed(&loader, &TensorLoader::failed);
    bool sawProgress = false;
    connect(&loader, &TensorLoader::progressChanged, this, [&](double f) {
      if (sawProgress || f >= 1.0) return;
      sawProgress = true;
      loader.cancel();
    });
    loader.open(big_);
    QTRY_VERIFY_WITH_TIMEOUT(!loader.isBusy(), 60000);
    if (!sawProgress) QSKIP("the load finished before the first progress poll");
    QCOMPARE(canceled.count(), 1);
    // The worker stops at its next chunk instead of converting the rest of the file.
    QElapsedTimer t;
    t.start();
    QVERIFY(QThreadPool::globalInstance()->waitForDone(30000));
    qInfo("worker stopped %lld ms after Cancel", static_cast<long long>(t.elapsed()));
    QTest::qWait(50);
    QCOMPARE(loaded.count(), 0);
    QCOMPARE(failed.count(), 0);  // the "cancelled" error of the abandoned job is dropped
    QCOMPARE(session.tensorLabel(), QStringLiteral("previous"));
    QCOMPARE(session.tensor().data.size(), std::size_t(32));
  }

  void tooLargeForMemoryFails() {
    Session session;
    session.setTensor(small(), QStringLiteral("previous"));
    TensorLoader loader(&session, nullptr);
    QSignalSpy failed(&loader, &TensorLoader::failed);
    quant::setAvailableMemoryForTests(std::uint64_t{100} << 20);  // 100 MiB < 256 MiB
    loader.open(big_);
    QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 30000);
    quant::setAvailableMemoryForTests(std::nullopt);
    const QString msg = failed.at(0).at(0).toString();
    QVERIFY2(msg.startsWith(big_ + QStringLiteral(": ")) &&
                 msg.contains(QString::number(kElements) + QStringLiteral(" elements")) &&
                 msg.contains(QStringLiteral("memory is available")),
             qPrintable(msg));
    QCOMPARE(session.tensorLabel(), QStringLiteral("previous"));
  }
};

QTEST_MAIN(TestGuiBigFile)
#include "tst_gui_bigfile.moc"
