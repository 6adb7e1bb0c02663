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
  job_->permille.store(static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 1000.0));
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
  poll_->setInterval(kProgressPollMs);
  connect(poll_, &QTimer::timeout, this, &BackgroundJob::pollProgress);
}

BackgroundJob::~BackgroundJob() {
  discard(std::exchange(waiting_, nullptr));
  if (running_) {
    running_->stop.store(true);
    running_->future.waitForFinished();
    discard(std::exchange(running_, nullptr));
  }
}

void BackgroundJob::submit(std::shared_ptr<detail::JobState> job) {
  publishedPermille_ = -1;  // the progress of the new request, which has none yet
  if (!running_) {
    launch(std::move(job));
    emit busyChanged(true);
    return;
  }
  running_->stop.store(true);
  discard(std::exchange(waiting_, std::move(job)));
}

void BackgroundJob::launch(std::shared_ptr<detail::JobState> job) {
  running_ = job;
  publishedPermille_ = -1;
  poll_->start();
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
  if (waiting_) {  // superseded
    discard(job);
    launch(std::exchange(waiting_, nullptr));
    return;
  }
  if (job->stop.load()) {
    discard(job);
    emit busyChanged(false);
    emit cancelled();
    return;
  }
  const int permille = job->permille.load();
  if (permille >= 0 && permille != publishedPermille_) {
    publishedPermille_ = permille;
    emit progressChanged(permille / 1000.0);
  }
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

void BackgroundJob::pollProgress() {
  if (!running_ || running_->stop.load()) return;
  const int permille = running_->permille.load();
  if (permille < 0 || permille == publishedPermille_) return;
  publishedPermille_ = permille;
  emit progressChanged(permille / 1000.0);
}

}  // namespace quantlab::ui
