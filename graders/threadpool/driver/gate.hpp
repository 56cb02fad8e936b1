// A gate: tasks block on it until the test opens it. This is how the tests
// hold workers busy for exactly as long as they need to look at the pool
// (is schedule() blocked? has wait() returned?) without any sleep: the
// state being checked cannot change until the test itself opens the gate.
#ifndef IPCLAB_POOL_DRIVER_GATE_HPP_
#define IPCLAB_POOL_DRIVER_GATE_HPP_

#include <condition_variable>
#include <mutex>

#include "timing.hpp"

namespace pool_driver {

class Gate {
 public:
  void Open() {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ = true;
    opened_.notify_all();
  }

  bool IsOpen() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return open_;
  }

  // Blocks until the gate is open. Gives up after kGateLimit and returns
  // false, so that a task can never hang forever even if the test goes
  // wrong; the driver's own deadlines end the process long before.
  bool Wait() const {
    std::unique_lock<std::mutex> lock(mutex_);
    return opened_.wait_until(lock, DeadlineFromNow(kGateLimit),
                              [this] { return open_; });
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable opened_;
  bool open_ = false;
};

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_GATE_HPP_
