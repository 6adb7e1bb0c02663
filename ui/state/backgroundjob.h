// SPDX-License-Identifier: GPL-3.0-or-later
// One background job at a time, and the latest request wins: how Session, ModelSession and
// TensorLoader run their heavy work off the GUI thread.
//
// start(work, done) runs work(control) on the global thread pool (QtConcurrent) and hands its
// result to done(result) on the thread that owns this object (the GUI thread). A start() while a
// job runs supersedes it: the running job is told to stop (control.cancelled()) and its result
// is dropped; the new job waits until the old work has returned, so at most one job holds the
// cores and its buffers at a time, and a later start() replaces the waiting job, which then never
// runs. However many requests come (a slider drag over a 256 MB tensor), done() sees the result
// of the last one only.
//
// queue(work, done) is start() for a continuous edit (a clipping line dragged over a tensor whose
// recomputation takes longer than a frame): the running job is NOT stopped, its result is
// delivered, and then the latest queued request runs (queued requests still replace each other).
// With start() every drag step would stop the previous one and nothing would arrive until the
// drag ends; with queue() results arrive as fast as the worker produces them.
//
// Progress: the work publishes it with control.report(fraction), an atomic store, and
// progressChanged() carries it to the GUI thread when it changed: as soon as the GUI thread is
// free (reports made meanwhile merge into the latest, so a fast worker cannot flood the event
// queue), or, after setProgressInterval(ms), from a timer that polls it (a modal progress dialog,
// whose setValue() processes events, is then updated a bounded number of times per second).
// Partial results (a training curve) go through control.post(fn): fn runs on the GUI thread, in
// order and before done(), unless the job has been superseded or cancelled by then.
//
// cancel() tells the running job to stop and drops its result and the waiting job; cancelled()
// follows once its work has returned (the object stays busy until then, so a new job still waits
// for the CPU). Whatever is dropped (a superseded result, a job that never ran, with the inputs it
// captured) is destroyed on disposalPool(): it may hold hundreds of MB.
//
// The work must not throw (report failures in the result): an exception leaving it calls
// std::terminate. Destroying the object cancels the job and waits for its work to return; done(),
// post() and the signals never run afterwards.
#pragma once

#include <QFuture>
#include <QObject>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

class QThreadPool;
class QTimer;

namespace quantlab::ui {

class BackgroundJob;
class JobControl;

namespace detail {

// One request: shared by the GUI thread and the worker that runs it.
struct JobState {
  std::atomic<bool> stop{false};
  std::atomic<double> progress{-1.0};       // -1: nothing reported yet
  std::atomic<bool> progressQueued{false};  // a progress notice is on its way to the GUI thread
  bool polled = false;                      // set before the job starts
  QFuture<void> future;                     // GUI thread only
  virtual ~JobState() = default;
  virtual void run(const JobControl& control) noexcept = 0;  // worker
  virtual void deliver() = 0;                                // GUI thread, once, after run()
  virtual void release() = 0;  // any thread: drops the work and the result
};

template <typename Work, typename Done>
struct Job final : JobState {
  using Result = std::invoke_result_t<Work&, const JobControl&>;
  static_assert(!std::is_void_v<Result>, "a background job returns its result");
  Job(Work w, Done d) : work(std::move(w)), done(std::move(d)) {}
  void run(const JobControl& control) noexcept override {
    result.emplace(std::invoke(*work, control));
    work.reset();  // the inputs it captured are freed here, on the worker
  }
  void deliver() override {
    Result r = std::move(*result);
    result.reset();
    done(std::move(r));
  }
  void release() override {
    work.reset();
    result.reset();
  }
  std::optional<Work> work;
  Done done;
  std::optional<Result> result;
};

}  // namespace detail

// What the work sees of its job (on the worker thread).
class JobControl {
 public:
  // True once the job has been superseded or cancelled: the work should return soon (its result
  // is dropped anyway).
  bool cancelled() const { return job_->stop.load(); }
  // Publishes progress in [0, 1]; returns !cancelled(), so a loop can write
  // `if (!control.report(f)) return ...;`. control(f) is the same, for APIs taking a callback.
  bool report(double fraction) const;
  bool operator()(double fraction) const { return report(fraction); }
  // Runs fn on the GUI thread unless the job is superseded or cancelled by the time it gets
  // there. Posts arrive in order, all before done().
  void post(std::function<void()> fn) const;
  // The flag cancelled() reads, for code that takes a std::atomic<bool>.
  std::atomic<bool>& cancelFlag() const { return job_->stop; }

 private:
  friend class BackgroundJob;
  JobControl(BackgroundJob* owner, std::shared_ptr<detail::JobState> job)
      : owner_(owner), job_(std::move(job)) {}
  BackgroundJob* owner_;
  std::shared_ptr<detail::JobState> job_;
};

class BackgroundJob : public QObject {
  Q_OBJECT
 public:
  explicit BackgroundJob(QObject* parent = nullptr);
  ~BackgroundJob() override;  // cancels, then waits for the running work to return

  // work: R(const JobControl&), run on a worker; done: void(R), run on this object's thread
  // with the result of the latest request only.
  template <typename Work, typename Done>
  void start(Work work, Done done) {
    submit(std::make_shared<detail::Job<Work, Done>>(std::move(work), std::move(done)), true);
  }
  // Like start(), but a running job finishes and delivers its result first (see above).
  template <typename Work, typename Done>
  void queue(Work work, Done done) {
    submit(std::make_shared<detail::Job<Work, Done>>(std::move(work), std::move(done)), false);
  }
  // Stops the running job and drops its result and the waiting job; cancelled() follows when
  // its work has returned. Nothing happens when idle.
  void cancel();
  // 0 (the default): progress goes to the GUI thread as it is reported; > 0: it is polled
  // every `ms` milliseconds. Applies to the jobs started afterwards.
  void setProgressInterval(int ms) { progressIntervalMs_ = ms; }
  // A job runs (or has been cancelled and not yet returned).
  bool isBusy() const { return running_ != nullptr; }
  // The last progress published for the running (or last) job, -1 before its first report.
  double progress() const { return published_; }
  // Blocks until no job runs. The latest result is delivered (done() runs) before it returns,
  // and jobs that done() starts are waited for too.
  void waitForIdle();

 signals:
  // Emitted when the first job starts and when the last one has ended (before its done()).
  void busyChanged(bool busy);
  // The running job's progress when it changed, and once more with its last report when it has
  // ended (if that one had not been sent yet), just before done() runs; isBusy() is false then.
  void progressChanged(double fraction);
  // The job cancel() stopped has returned; its result was dropped.
  void cancelled();

 private:
  friend class JobControl;
  void submit(std::shared_ptr<detail::JobState> job, bool stopRunning);
  void launch(std::shared_ptr<detail::JobState> job);
  void ended(const std::shared_ptr<detail::JobState>& job);
  // Emits progressChanged() when the job's progress changed since the last signal.
  void publishProgress(const detail::JobState& job);

  std::shared_ptr<detail::JobState> running_, waiting_;
  QTimer* poll_;
  int progressIntervalMs_ = 0;
  double published_ = -1.0;
};

// One thread that only frees memory. Freeing a big buffer unmaps it page by page (100-200 ms for
// 2 GB), which must never happen on the GUI thread; the thread is its own so that freeing never
// queues behind a long job in the global pool (the memory would stay held until that job ended).
QThreadPool* disposalPool();

}  // namespace quantlab::ui
