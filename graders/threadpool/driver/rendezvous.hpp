// A rendezvous of K tasks: each one arrives and waits for the others. If K
// tasks on a pool of K workers all get there, the pool really ran K tasks at
// once; if it runs fewer at a time, the ones waiting hold every running
// worker and the rest never start. That is a positive witness, with no
// claim about speed. One deadline for the whole rendezvous, so a pool that
// runs the tasks one after another costs 10 s, not 10 s per task.
#ifndef IPCLAB_POOL_DRIVER_RENDEZVOUS_HPP_
#define IPCLAB_POOL_DRIVER_RENDEZVOUS_HPP_

#include <condition_variable>
#include <mutex>

#include "timing.hpp"

namespace pool_driver {

class Rendezvous {
 public:
  Rendezvous(int parties, Clock::time_point deadline)
      : parties_(parties), deadline_(deadline) {}

  // True if all parties met before the deadline.
  bool Arrive() {
    std::unique_lock<std::mutex> lock(mutex_);
    ++arrived_;
    if (arrived_ > most_at_once_) most_at_once_ = arrived_;
    if (most_at_once_ >= parties_) met_ = true;
    all_here_.notify_all();
    bool met = all_here_.wait_until(lock, deadline_, [this] { return met_; });
    --arrived_;  // Leaving: no longer waiting here.
    return met;
  }

  // The most tasks that were waiting here at the same moment.
  int MostAtOnce() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return most_at_once_;
  }

 private:
  const int parties_;
  const Clock::time_point deadline_;
  mutable std::mutex mutex_;
  std::condition_variable all_here_;
  int arrived_ = 0;
  int most_at_once_ = 0;
  bool met_ = false;
};

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_RENDEZVOUS_HPP_
