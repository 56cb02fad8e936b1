// A counter that tasks bump and the test can wait on, with a deadline.
// The tests count finished tasks with it instead of trusting the pool's
// wait(): it is what tells "wait() returned too early" from "the task never
// ran", and what keeps a pool whose wait() hangs from hanging the driver.
#ifndef IPCLAB_POOL_DRIVER_COUNTER_HPP_
#define IPCLAB_POOL_DRIVER_COUNTER_HPP_

#include <atomic>
#include <condition_variable>
#include <limits>
#include <mutex>

#include "timing.hpp"

namespace pool_driver {

class Counter {
 public:
  // Lock-free unless someone waits for the value just reached: a task must
  // not serialise the pool's workers on the driver's mutex, or the driver
  // would hide the very parallelism it tests.
  void Increment() {
    long value = value_.fetch_add(1) + 1;
    if (value >= wake_at_.load()) {
      std::lock_guard<std::mutex> lock(mutex_);
      reached_.notify_all();
    }
  }

  long Value() const { return value_.load(); }

  // For the watchdog: a wait that still sees tasks finish is not stuck.
  const std::atomic<long>* Progress() const { return &value_; }

  // True once the value is at least `target`; false at `deadline`.
  bool WaitAtLeast(long target, Clock::time_point deadline) {
    std::unique_lock<std::mutex> lock(mutex_);
    // Published before the check below, under the mutex the notifier takes:
    // an Increment that reaches `target` after our check either sees
    // wake_at_ and notifies while we sleep, or we saw its value.
    ++waiters_;
    if (target < wake_at_.load()) wake_at_.store(target);
    bool reached = reached_.wait_until(lock, deadline,
                                       [&] { return value_.load() >= target; });
    // The lowest target of the waiters left would do; "notify on every
    // increment" until the last waiter leaves is simpler and still correct.
    if (--waiters_ == 0) wake_at_.store(std::numeric_limits<long>::max());
    return reached;
  }

 private:
  std::atomic<long> value_{0};
  std::atomic<long> wake_at_{std::numeric_limits<long>::max()};
  std::mutex mutex_;
  std::condition_variable reached_;
  int waiters_ = 0;  // Guarded by mutex_.
};

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_COUNTER_HPP_
