// The watchdog: one thread that ends the process with a FAIL line when a
// call into the pool does not return by its deadline. Every call the driver
// makes on its own thread (schedule, wait, the destructor) runs under a
// WatchdogScope, so a broken pool can never hang the driver; the grader
// gets a message saying what was stuck and what was still pending.
//
// main() starts the watchdog before any scenario, so its thread is part of
// every "threads before the pool existed" baseline.
#ifndef IPCLAB_POOL_DRIVER_WATCHDOG_HPP_
#define IPCLAB_POOL_DRIVER_WATCHDOG_HPP_

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "timing.hpp"

namespace pool_driver {

class Watchdog {
 public:
  Watchdog();
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // From now until Disarm(), if `limit` passes: runs `explain` (which may
  // print detail lines; it runs on the watchdog's thread, so it may only
  // read what is safe to read from there), prints "FAIL: summary" and
  // exits with status 1. With `progress`, the limit applies to the time
  // since *progress last changed instead: for loops of many calls, where
  // only "no call returned for 10 s" is a hang. One arming at a time.
  // `summary` is called when the limit passes, so it can say what the
  // state was then (e.g. "every task had finished" or not).
  void Arm(std::function<std::string()> summary, std::function<void()> explain,
           Clock::duration limit, const std::atomic<long>* progress);
  void Disarm();

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable changed_;
  bool armed_ = false;
  bool stopping_ = false;
  Clock::time_point deadline_;
  Clock::duration limit_{};
  const std::atomic<long>* progress_ = nullptr;
  long last_progress_ = 0;
  std::function<std::string()> summary_;
  std::function<void()> explain_;
  std::thread thread_;  // Last: started once the members above exist.
};

// Makes `watchdog` the one WatchdogScope uses; main() calls it once.
void InstallWatchdog(Watchdog* watchdog);

// Arms the installed watchdog for the lifetime of the scope:
//
//   {
//     WatchdogScope guard("wait() did not return within 10 s ...");
//     pool.wait();
//   }
class WatchdogScope {
 public:
  explicit WatchdogScope(std::string summary,
                         std::function<void()> explain = nullptr,
                         Clock::duration limit = Deadline(),
                         const std::atomic<long>* progress = nullptr);
  // The summary is made when the watchdog fires.
  WatchdogScope(std::function<std::string()> summary,
                std::function<void()> explain, Clock::duration limit,
                const std::atomic<long>* progress);
  ~WatchdogScope();
  WatchdogScope(const WatchdogScope&) = delete;
  WatchdogScope& operator=(const WatchdogScope&) = delete;
};

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_WATCHDOG_HPP_
