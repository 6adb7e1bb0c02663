// SPDX-License-Identifier: GPL-3.0-or-later
// BackgroundJob, the one "latest request wins" job runner under Session, ModelSession and
// TensorLoader: results on the owner's thread, superseded and outdated results dropped (and
// freed off the GUI thread), queue() for drags, polled progress, cancel, partial results,
// waitForIdle() and destruction while a job runs.
#include <QElapsedTimer>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

#include "backgroundjob.h"

using quantlab::ui::BackgroundJob;
using quantlab::ui::JobControl;

namespace {

constexpr int kTimeoutMs = 10000;

// Spins until the job is cancelled (or the test's patience ends, so a bug cannot hang it).
bool waitUntilCancelled(const JobControl& control) {
  QElapsedTimer t;
  t.start();
  while (!control.cancelled()) {
    if (t.elapsed() > kTimeoutMs) return false;
    QThread::msleep(1);
  }
  return true;
}

// A result that records the thread it is destroyed on (moved-from copies record nothing).
struct ThreadProbe {
  std::shared_ptr<std::atomic<QThread*>> freedOn;
  explicit ThreadProbe(std::shared_ptr<std::atomic<QThread*>> where) : freedOn(std::move(where)) {}
  ThreadProbe(ThreadProbe&& o) noexcept : freedOn(std::move(o.freedOn)) {}
  ThreadProbe& operator=(ThreadProbe&& o) noexcept {
    freedOn = std::move(o.freedOn);
    return *this;
  }
  ~ThreadProbe() {
    if (freedOn) freedOn->store(QThread::currentThread());
  }
};

}  // namespace

class TestGuiBackgroundJob : public QObject {
  Q_OBJECT
 private slots:
  void deliversOnTheOwnersThread();
  void latestRequestWins();
  void queuedRequestLetsTheRunningJobDeliver();
  void outdatedResultIsDroppedOffTheGuiThread();
  void progressArrivesAndEndsWithTheLastReport_data();
  void progressArrivesAndEndsWithTheLastReport();
  void cancelStopsTheWorkAndDropsItsResult();
  void cancelDropsTheWaitingJob();
  void postsArriveInOrderBeforeTheResult();
  void postsOfASupersededJobAreDropped();
  void waitForIdleDeliversBeforeReturning();
  void destructionWhileRunningWaitsAndDeliversNothing();
};

void TestGuiBackgroundJob::deliversOnTheOwnersThread() {
  BackgroundJob job;
  QSignalSpy busy(&job, &BackgroundJob::busyChanged);
  QThread* doneOn = nullptr;
  QThread* workedOn = nullptr;
  job.start([](const JobControl&) { return QThread::currentThread(); },
            [&](QThread* worker) {
              workedOn = worker;
              doneOn = QThread::currentThread();
            });
  QVERIFY(job.isBusy());
  QTRY_VERIFY_WITH_TIMEOUT(doneOn != nullptr, kTimeoutMs);
  QCOMPARE(doneOn, QThread::currentThread());
  QVERIFY(workedOn != QThread::currentThread());
  QVERIFY(!job.isBusy());
  QCOMPARE(busy.count(), 2);
  QCOMPARE(busy.at(0).at(0).toBool(), true);
  QCOMPARE(busy.at(1).at(0).toBool(), false);
}

void TestGuiBackgroundJob::latestRequestWins() {
  BackgroundJob job;
  QSignalSpy busy(&job, &BackgroundJob::busyChanged);
  QSignalSpy cancelled(&job, &BackgroundJob::cancelled);
  QSemaphore gate;
  std::atomic<int> running{0}, mostAtOnce{0}, ran{0};
  std::vector<int> delivered;
  auto request = [&](int id) {
    job.start(
        [&, id](const JobControl&) {
          mostAtOnce = std::max(mostAtOnce.load(), ++running);
          ++ran;
          if (id == 1) gate.tryAcquire(1, kTimeoutMs);  // the first one is slow
          --running;
          return id;
        },
        [&](int r) { delivered.push_back(r); });
  };
  request(1);
  QTRY_COMPARE_WITH_TIMEOUT(ran.load(), 1, kTimeoutMs);  // job 1 is running
  request(2);
  request(3);  // replaces job 2, which waits for job 1 and so never runs
  gate.release();
  QTRY_VERIFY_WITH_TIMEOUT(!job.isBusy(), kTimeoutMs);
  QCOMPARE(delivered, std::vector<int>{3});
  QCOMPARE(ran.load(), 2);
  QCOMPARE(mostAtOnce.load(), 1);
  QCOMPARE(busy.count(), 2);       // busy once, through all three requests
  QCOMPARE(cancelled.count(), 0);  // superseded is not cancelled
}

void TestGuiBackgroundJob::queuedRequestLetsTheRunningJobDeliver() {
  // queue() (a drag): the running job is not stopped and its result arrives; of the requests
  // queued meanwhile only the latest runs, after it.
  BackgroundJob job;
  QSignalSpy busy(&job, &BackgroundJob::busyChanged);
  QSemaphore gate;
  std::atomic<int> ran{0};
  std::atomic<bool> firstSawStop{false};
  std::vector<int> delivered;
  std::vector<bool> busyWhenDelivered;
  auto request = [&](int id) {
    job.queue(
        [&, id](const JobControl& control) {
          ++ran;
          if (id == 1) {
            gate.tryAcquire(1, kTimeoutMs);
            firstSawStop = control.cancelled();
          }
          return id;
        },
        [&](int r) {
          delivered.push_back(r);
          busyWhenDelivered.push_back(job.isBusy());
        });
  };
  request(1);
  QTRY_COMPARE_WITH_TIMEOUT(ran.load(), 1, kTimeoutMs);
  request(2);
  request(3);  // replaces job 2
  gate.release();
  QTRY_VERIFY_WITH_TIMEOUT(!job.isBusy(), kTimeoutMs);
  QCOMPARE(delivered, (std::vector<int>{1, 3}));
  // Job 1's result arrives while job 3 already runs; job 3's when the object is idle.
  QCOMPARE(busyWhenDelivered, (std::vector<bool>{true, false}));
  QCOMPARE(ran.load(), 2);
  QVERIFY(!firstSawStop.load());
  QCOMPARE(busy.count(), 2);  // busy once, through both deliveries
}

void TestGuiBackgroundJob::outdatedResultIsDroppedOffTheGuiThread() {
  BackgroundJob job;
  auto freedOn = std::make_shared<std::atomic<QThread*>>(nullptr);
  std::atomic<bool> returned{false};
  int delivered = 0;
  job.start(
      [&](const JobControl&) {
        ThreadProbe p(freedOn);
        returned = true;
        return p;
      },
      [&](ThreadProbe) { ++delivered; });
  // The first job has returned, but its result has not reached this thread yet (no event is
  // processed while we wait): a new request makes it outdated all the same.
  QElapsedTimer t;
  t.start();
  while (!returned.load() && t.elapsed() < kTimeoutMs) QThread::msleep(1);
  QVERIFY(returned.load());
  int second = 0;
  job.start([](const JobControl&) { return 2; }, [&](int r) { second = r; });
  QTRY_COMPARE_WITH_TIMEOUT(second, 2, kTimeoutMs);
  QCOMPARE(delivered, 0);
  // It may hold a big buffer: it is freed on the disposal thread, never here.
  QTRY_VERIFY_WITH_TIMEOUT(freedOn->load() != nullptr, kTimeoutMs);
  QVERIFY(freedOn->load() != QThread::currentThread());
}

void TestGuiBackgroundJob::progressArrivesAndEndsWithTheLastReport_data() {
  QTest::addColumn<int>("intervalMs");
  QTest::addRow("forwarded as reported") << 0;
  QTest::addRow("polled every 50 ms") << 50;
}

void TestGuiBackgroundJob::progressArrivesAndEndsWithTheLastReport() {
  QFETCH(int, intervalMs);
  BackgroundJob job;
  job.setProgressInterval(intervalMs);
  QSignalSpy progress(&job, &BackgroundJob::progressChanged);
  constexpr int kSteps = 8;
  int progressSeenByDone = -1;
  bool done = false;
  job.start(
      [](const JobControl& control) {
        for (int i = 0; i < kSteps; ++i) {
          control.report(static_cast<double>(i) / kSteps);
          QThread::msleep(30);
        }
        control.report(1.0);
        return 0;
      },
      [&](int) {
        progressSeenByDone = static_cast<int>(progress.count());
        done = true;
      });
  QTRY_VERIFY_WITH_TIMEOUT(done, kTimeoutMs);
  // Some intermediate values, at most one signal per report, the last one (1.0) before the
  // result.
  QVERIFY2(progress.count() >= 3, qPrintable(QString::number(progress.count())));
  QVERIFY(progress.count() <= kSteps + 1);
  QCOMPARE(progressSeenByDone, static_cast<int>(progress.count()));
  double previous = -1;
  for (const QList<QVariant>& args : progress) {
    const double f = args.at(0).toDouble();
    QVERIFY(f > previous && f <= 1.0);
    previous = f;
  }
  QCOMPARE(previous, 1.0);
  QCOMPARE(job.progress(), 1.0);
}

void TestGuiBackgroundJob::cancelStopsTheWorkAndDropsItsResult() {
  BackgroundJob job;
  QSignalSpy busy(&job, &BackgroundJob::busyChanged);
  QSignalSpy cancelled(&job, &BackgroundJob::cancelled);
  std::atomic<bool> started{false}, sawCancel{false};
  int delivered = 0;
  job.start(
      [&](const JobControl& control) {
        started = true;
        sawCancel = waitUntilCancelled(control);
        return 1;
      },
      [&](int) { ++delivered; });
  QTRY_VERIFY_WITH_TIMEOUT(started.load(), kTimeoutMs);
  job.cancel();
  // Busy until the work has returned: the next job would still wait for the CPU.
  QVERIFY(job.isBusy());
  QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, kTimeoutMs);
  QVERIFY(sawCancel.load());
  QVERIFY(!job.isBusy());
  QCOMPARE(busy.count(), 2);
  QCOMPARE(busy.last().at(0).toBool(), false);
  QTest::qWait(50);
  QCOMPARE(delivered, 0);
  job.cancel();  // idle: nothing happens
  QCOMPARE(cancelled.count(), 1);
}

void TestGuiBackgroundJob::cancelDropsTheWaitingJob() {
  BackgroundJob job;
  QSignalSpy cancelled(&job, &BackgroundJob::cancelled);
  std::atomic<int> ran{0};
  int delivered = 0;
  auto request = [&] {
    job.start(
        [&](const JobControl& control) {
          ++ran;
          waitUntilCancelled(control);
          return 0;
        },
        [&](int) { ++delivered; });
  };
  request();
  QTRY_COMPARE_WITH_TIMEOUT(ran.load(), 1, kTimeoutMs);
  request();  // waits for the first
  job.cancel();
  QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, kTimeoutMs);
  QTest::qWait(50);
  QCOMPARE(ran.load(), 1);
  QCOMPARE(delivered, 0);
  QVERIFY(!job.isBusy());
}

void TestGuiBackgroundJob::postsArriveInOrderBeforeTheResult() {
  BackgroundJob job;
  std::vector<int> seen;
  job.start(
      [&seen](const JobControl& control) {
        for (int i = 1; i <= 5; ++i) control.post([&seen, i] { seen.push_back(i); });
        return 6;
      },
      [&](int r) { seen.push_back(r); });
  QTRY_COMPARE_WITH_TIMEOUT(seen.size(), std::size_t{6}, kTimeoutMs);
  QCOMPARE(seen, (std::vector<int>{1, 2, 3, 4, 5, 6}));
}

void TestGuiBackgroundJob::postsOfASupersededJobAreDropped() {
  BackgroundJob job;
  std::vector<int> seen;
  std::atomic<bool> started{false};
  job.start(
      [&](const JobControl& control) {
        control.post([&seen] { seen.push_back(1); });
        started = true;
        waitUntilCancelled(control);
        control.post([&seen] { seen.push_back(99); });  // too late: superseded
        return 0;
      },
      [&](int r) { seen.push_back(r); });
  QTRY_VERIFY_WITH_TIMEOUT(started.load(), kTimeoutMs);
  QTRY_COMPARE_WITH_TIMEOUT(seen.size(), std::size_t{1}, kTimeoutMs);  // the job still ran then
  job.start([](const JobControl&) { return 2; }, [&](int r) { seen.push_back(r); });
  QTRY_VERIFY_WITH_TIMEOUT(!job.isBusy(), kTimeoutMs);
  QTest::qWait(50);
  QCOMPARE(seen, (std::vector<int>{1, 2}));
}

void TestGuiBackgroundJob::waitForIdleDeliversBeforeReturning() {
  BackgroundJob job;
  std::vector<int> delivered;
  job.start(
      [](const JobControl&) {
        QThread::msleep(30);
        return 1;
      },
      [&](int r) {
        delivered.push_back(r);
        // A job started by a result is waited for too.
        if (r == 1)
          job.start([](const JobControl&) { return 2; }, [&](int s) { delivered.push_back(s); });
      });
  job.waitForIdle();
  QCOMPARE(delivered, (std::vector<int>{1, 2}));
  QVERIFY(!job.isBusy());
  // The workers' own "ended" notices arrive later and change nothing.
  QTest::qWait(50);
  QCOMPARE(delivered, (std::vector<int>{1, 2}));
}

void TestGuiBackgroundJob::destructionWhileRunningWaitsAndDeliversNothing() {
  auto job = std::make_unique<BackgroundJob>();
  std::atomic<bool> started{false}, returned{false};
  std::atomic<int> ran{0};
  int delivered = 0, posted = 0;
  job->start(
      [&](const JobControl& control) {
        ++ran;
        started = true;
        waitUntilCancelled(control);
        control.post([&posted] { ++posted; });
        QThread::msleep(20);  // still working while the owner is being destroyed
        returned = true;
        return 1;
      },
      [&](int) { ++delivered; });
  QTRY_VERIFY_WITH_TIMEOUT(started.load(), kTimeoutMs);
  job->start(
      [&](const JobControl&) {
        ++ran;
        return 2;
      },
      [&](int) { ++delivered; });
  job.reset();
  QVERIFY(returned.load());  // the destructor cancelled the work and waited for it
  QTest::qWait(50);
  QCOMPARE(ran.load(), 1);  // the waiting job never ran
  QCOMPARE(delivered, 0);
  QCOMPARE(posted, 0);
}

QTEST_MAIN(TestGuiBackgroundJob)
#include "tst_gui_background_job.moc"
