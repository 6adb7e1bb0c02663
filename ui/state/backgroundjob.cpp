// SPDX-License-Identifier: GPL-3.0-or-later
#include "backgroundjob.h"

#include <QMetaObject>
#include <QThreadPool>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

namespace quantlab::ui {

namespace {

// Hands a dropped job to the disposal thread: its captured inputs or its result may be big.
void discard(std::shared_ptr<detail::JobState> job) {
  if (job) disposalPool()->start([job = std::move(job)] { job->release(); });
}

}  // namespace

QThreadPool* disposalPool() {
  static QThreadPool* pool = [] {
    auto* p = new QThreadPool;  // never deleted: tasks may still run while the app exits
    p->setMaxThreadCount(1);
    return p;
  }();
  return pool;
}

bool JobControl::report(double fraction) const {
  job_->progress.store(std::clamp(fraction, 0.0, 1.0));
  if (!job_->polled && !job_->progressQueued.exchange(true)) {
    QMetaObject::invokeMethod(
        owner_,
        [owner = owner_, job = job_] {
          job->progressQueued.store(false);  // first: a report from now on sends a new notice
          if (job == owner->running_) owner->publishProgress(*job);
        },
        Qt::QueuedConnection);
  }
  return !cancelled();
}

void JobControl::post(std::function<void()> fn) const {
  // The owner outlives every worker (its destructor waits for the running one), and posted calls
  // die with it; the job is held so that a later job at the same address cannot pass the check.
  QMetaObject::invokeMethod(
      owner_,
      [owner = owner_, job = job_, fn = std::move(fn)] {
        if (job == owner->running_ && !job->stop.load()) fn();
      },
      Qt::QueuedConnection);
}

BackgroundJob::BackgroundJob(QObject* parent) : QObject(parent), poll_(new QTimer(this)) {
  connect(poll_, &QTimer::timeout, this, [this] {
    if (running_) publishProgress(*running_);
  });
}

BackgroundJob::~BackgroundJob() {
  discard(std::exchange(waiting_, nullptr));
  if (running_) {
    running_->stop.store(true);
    running_->future.waitForFinished();
    discard(std::exchange(running_, nullptr));
  }
}

void BackgroundJob::submit(std::shared_ptr<detail::JobState> job, bool stopRunning) {
  job->polled = progressIntervalMs_ > 0;
  published_ = -1.0;  // the progress of the new request, which has none yet
  if (!running_) {
    launch(std::move(job));
    emit busyChanged(true);
    return;
  }
  if (stopRunning) running_->stop.store(true);
  discard(std::exchange(waiting_, std::move(job)));
}

void BackgroundJob::launch(std::shared_ptr<detail::JobState> job) {
  running_ = job;
  published_ = -1.0;
  if (job->polled) poll_->start(progressIntervalMs_);
  job->future = QtConcurrent::run([this, job] {
    if (!job->stop.load()) job->run(JobControl(this, job));
    // Queued to this object: dropped if it is destroyed first (its destructor waits for us).
    QMetaObject::invokeMethod(
        this, [this, job] { ended(job); }, Qt::QueuedConnection);
  });
}

void BackgroundJob::cancel() {
  if (!running_) return;
  running_->stop.store(true);
  discard(std::exchange(waiting_, nullptr));
}

void BackgroundJob::ended(const std::shared_ptr<detail::JobState>& job) {
  if (job != running_) return;  // already ended in waitForIdle()
  running_.reset();
  poll_->stop();
  if (waiting_) {
    launch(std::exchange(waiting_, nullptr));
    // Superseded by start(): dropped. Followed by queue(): its result still arrives (the next
    // job is already running, so the object stays busy).
    if (job->stop.load())
      discard(job);
    else
      job->deliver();
    return;
  }
  if (job->stop.load()) {
    discard(job);
    emit busyChanged(false);
    emit cancelled();
    return;
  }
  publishProgress(*job);
  emit busyChanged(false);
  job->deliver();  // last: done() may start the next job
}

void BackgroundJob::waitForIdle() {
  while (running_) {
    const std::shared_ptr<detail::JobState> job = running_;
    job->future.waitForFinished();
    ended(job);
  }
}

void BackgroundJob::publishProgress(const detail::JobState& job) {
  if (job.stop.load()) return;
  const double f = job.progress.load();
  if (f < 0 || f == published_) return;
  published_ = f;
  emit progressChanged(f);
}

}  // namespace quantlab::ui
