// Exactly-once accounting: task i bumps slot i, so after the run every slot
// must read 1. A 0 is a task that was lost (or has not finished yet), a 2 a
// task that ran twice; both are positive witnesses, and the slot number
// tells the student which task it was.
#ifndef IPCLAB_POOL_DRIVER_TALLY_HPP_
#define IPCLAB_POOL_DRIVER_TALLY_HPP_

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

#include "counter.hpp"
#include "report.hpp"
#include "timing.hpp"

namespace pool_driver {

class Tally {
 public:
  explicit Tally(std::size_t tasks);

  // Called by task `slot`, as the last thing it does.
  void Record(std::size_t slot) {
    slots_[slot].fetch_add(1, std::memory_order_relaxed);
    finished_.Increment();
  }

  std::size_t size() const { return size_; }
  long Finished() const { return finished_.Value(); }
  const std::atomic<long>* Progress() const { return finished_.Progress(); }

  // True once every task has recorded itself; false at `deadline`.
  bool WaitAllFinished(Clock::time_point deadline) {
    return finished_.WaitAtLeast(static_cast<long>(size_), deadline);
  }

  // Judges the slots as they are now: every one must be exactly 1.
  Verdict CheckNow(const std::string& what) const;

  // Judges the slots right after the pool's wait() returned. Slots still at
  // 0 are given Deadline() more to fill, which tells the two bugs apart:
  // tasks that finish later mean wait() returned too early; tasks that never
  // run were lost. `what` names the run for the messages, e.g. "100000
  // tasks on 4 workers".
  Verdict CheckAfterWait(const std::string& what);

 private:
  struct Census {
    std::size_t never = 0;  // Slots at 0.
    std::size_t twice = 0;  // Slots above 1.
    std::size_t first_never = 0;
    std::size_t first_twice = 0;
    int first_twice_runs = 0;
  };
  Census Count() const;

  std::size_t size_;
  std::unique_ptr<std::atomic<int>[]> slots_;
  Counter finished_;
};

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_TALLY_HPP_
