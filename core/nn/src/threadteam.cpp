// SPDX-License-Identifier: GPL-3.0-or-later
// detail::ThreadTeam (declared in model.h): the persistent worker threads that the fp32 forward
// pass and the int8 executor split a layer's batch over, and the threshold below which a layer
// stays on the calling thread.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "quant/nn/model.h"

namespace quant {

namespace detail {

struct ThreadTeam::State {
  std::mutex m;
  std::condition_variable wake, done;
  std::uint64_t generation = 0;
  int pending = 0;
  int used = 0;  // threads in the current split (slices are numbered by it)
  bool stop = false;
  std::int64_t units = 0;
  const std::function<void(std::int64_t, std::int64_t)>* fn = nullptr;
  std::vector<std::exception_ptr> errors;
  std::vector<std::thread> workers;
};

namespace {

void runSlice(int t, int threads, std::int64_t units,
              const std::function<void(std::int64_t, std::int64_t)>& fn) {
  const std::int64_t b = units * t / threads, e = units * (t + 1) / threads;
  if (b < e) fn(b, e);
}

// Why 100 us: handing a slice to the worker (wake it, run, wait for it) costs about 5 us median
// and 10-15 us at p90-p99 with nothing to do on a 2-core machine, and 10-20 us more than the
// single-thread time when other processes keep the cores busy; a preempted worker can make it
// worse. Splitting layers below ~200 us made the int8 MLP at batch 64 twice as slow (153 -> 326
// us), while the CNN's millisecond convolutions and pools lose < 1% to the hand-off. With at least
// 100 us per thread a split costs at most ~10-20% on a layer just above the threshold and gains up
// to ~45% on an idle core; everything below runs on the caller, as with one thread. Starting the
// worker (once per call, at its first split) costs ~28 us. What no threshold fixes: when every
// core is busy, a second thread finds no free core and even millisecond layers gain nothing.
std::atomic<double> gMinSliceNs{100e3};

}  // namespace

double setMinSliceNanoseconds(double ns) {
  if (!(ns >= 0.0)) throw Error("setMinSliceNanoseconds: needs a value >= 0");
  return gMinSliceNs.exchange(ns);
}

double minSliceNanoseconds() { return gMinSliceNs.load(); }

int ThreadTeam::threadsFor(std::int64_t units, double nsPerUnit) const {
  if (units <= 1 || threads_ == 1) return 1;
  const std::int64_t cap = std::min<std::int64_t>(threads_, units);
  const double minSlice = gMinSliceNs.load(std::memory_order_relaxed);
  const double work = static_cast<double>(units) * std::max(nsPerUnit, 0.0);
  if (!(work < minSlice * static_cast<double>(cap))) return static_cast<int>(cap);  // also NaN
  return std::max(1, static_cast<int>(work / minSlice));
}

ThreadTeam::ThreadTeam(int threads) : threads_(threads), state_(std::make_unique<State>()) {
  if (threads < 1 || threads > 256) {
    throw Error("threads must lie in [1, 256], got " + std::to_string(threads));
  }
  state_->errors.resize(static_cast<std::size_t>(threads));
  // The workers start with the first run() that has work for them, so a call whose layers all
  // have a single unit (batch 1) never pays for starting threads.
}

void ThreadTeam::startWorkers() {
  State& s = *state_;
  // Workers only answer generations announced after they exist.
  const std::uint64_t first = s.generation;
  for (int t = 1; t < threads_; ++t) {
    s.workers.emplace_back([&s, t, first] {
      std::uint64_t seen = first;
      std::unique_lock<std::mutex> lock(s.m);
      for (;;) {
        s.wake.wait(lock, [&] { return s.stop || s.generation != seen; });
        if (s.stop) return;
        seen = s.generation;
        const int used = s.used;
        if (t >= used) continue;  // not part of this split; the caller does not wait for it
        const auto* fn = s.fn;
        const std::int64_t units = s.units;
        lock.unlock();
        try {
          runSlice(t, used, units, *fn);
        } catch (...) {
          s.errors[static_cast<std::size_t>(t)] = std::current_exception();
        }
        lock.lock();
        if (--s.pending == 0) s.done.notify_one();
      }
    });
  }
}

ThreadTeam::~ThreadTeam() { stopWorkers(); }

void ThreadTeam::stopWorkers() {
  State& s = *state_;
  {
    std::lock_guard<std::mutex> lock(s.m);
    s.stop = true;
  }
  s.wake.notify_all();
  for (std::thread& w : s.workers) {
    if (w.joinable()) w.join();
  }
  s.workers.clear();
  s.stop = false;  // no worker left to see it; a later run() starts a fresh set
}

void ThreadTeam::run(std::int64_t units,
                     const std::function<void(std::int64_t, std::int64_t)>& fn) {
  if (units <= 0) return;
  runOn(static_cast<int>(std::min<std::int64_t>(threads_, units)), units, fn);
}

void ThreadTeam::run(std::int64_t units, double nsPerUnit,
                     const std::function<void(std::int64_t, std::int64_t)>& fn) {
  if (units <= 0) return;
  runOn(threadsFor(units, nsPerUnit), units, fn);
}

void ThreadTeam::runOn(int used, std::int64_t units,
                       const std::function<void(std::int64_t, std::int64_t)>& fn) {
  if (used <= 1) {
    fn(0, units);
    return;
  }
  State& s = *state_;
  if (s.workers.empty()) {
    try {
      startWorkers();
    } catch (...) {
      stopWorkers();  // a std::thread that could not start: join the ones that did
      throw;
    }
  }
  {
    std::lock_guard<std::mutex> lock(s.m);
    s.fn = &fn;
    s.units = units;
    s.used = used;
    s.pending = used - 1;
    std::fill(s.errors.begin(), s.errors.end(), nullptr);
    ++s.generation;
  }
  s.wake.notify_all();
  try {
    runSlice(0, used, units, fn);
  } catch (...) {
    s.errors[0] = std::current_exception();
  }
  std::unique_lock<std::mutex> lock(s.m);
  s.done.wait(lock, [&] { return s.pending == 0; });
  for (const std::exception_ptr& e : s.errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace detail

}  // namespace quant
