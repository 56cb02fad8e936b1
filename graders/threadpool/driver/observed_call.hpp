// A call that should block (schedule() on a full queue, wait() with tasks
// pending, the destructor with tasks queued), run on a thread of its own so
// that the test can watch it from outside: has it returned, and is its
// thread asleep in the kernel (state S or D in /proc/self/task/TID/stat)?
//
// "Asleep" is only used to decide when the call has had its chance to
// return wrongly; the verdicts come from Returned(): a call that returns
// while the test still holds its condition false is the positive witness.
#ifndef IPCLAB_POOL_DRIVER_OBSERVED_CALL_HPP_
#define IPCLAB_POOL_DRIVER_OBSERVED_CALL_HPP_

#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "timing.hpp"

namespace pool_driver {

class ObservedCall {
 public:
  // Starts a thread that runs `call` once.
  explicit ObservedCall(std::function<void()> call);
  // Joins the thread. The call must have returned by then (use
  // FinishOrFail): joining a stuck call would hang the driver.
  ~ObservedCall();
  ObservedCall(const ObservedCall&) = delete;
  ObservedCall& operator=(const ObservedCall&) = delete;

  bool Returned() const;

  enum class Seen { kReturned, kAsleep, kStillRunning };
  // Waits until the call has returned, or its thread has been asleep for
  // several samples in a row without waking up (same voluntary switch
  // count), at most `limit`. kStillRunning means neither happened, e.g. a
  // pool that spins instead of sleeping; callers treat it like kAsleep.
  Seen WaitUntilAsleepOrReturned(Clock::duration limit = SettleLimit());

  // Waits up to Deadline() for the call to return. If it does not, runs
  // `explain`, prints "FAIL: summary" and exits.
  void FinishOrFail(const std::string& summary,
                    const std::function<void()>& explain = nullptr);

 private:
  void Run();

  std::function<void()> call_;
  std::atomic<pid_t> tid_{0};  // Set by the thread before it calls.
  mutable std::mutex mutex_;
  std::condition_variable returned_cv_;
  bool returned_ = false;
  std::thread thread_;  // Last: started once the members above exist.
};

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_OBSERVED_CALL_HPP_
