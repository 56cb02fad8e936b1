// The order in which tasks started: each task appends its number as the
// first thing it does. With a single free worker, "started" is the same as
// "taken out of the queue", so the log is the pool's dequeue order, which
// the contract says is the schedule order (FIFO).
#ifndef IPCLAB_POOL_DRIVER_START_LOG_HPP_
#define IPCLAB_POOL_DRIVER_START_LOG_HPP_

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <vector>

#include "timing.hpp"

namespace pool_driver {

class StartLog {
 public:
  void Append(int task) {
    std::lock_guard<std::mutex> lock(mutex_);
    tasks_.push_back(task);
    grew_.notify_all();
  }

  std::size_t Size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return tasks_.size();
  }

  // The task that started `position`-th (from 0); the log must be that long.
  int At(std::size_t position) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return tasks_.at(position);
  }

  // True once at least `size` tasks have started; false at `deadline`.
  bool WaitSize(std::size_t size, Clock::time_point deadline) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return grew_.wait_until(lock, deadline,
                            [&] { return tasks_.size() >= size; });
  }

  // The first position where the log differs from 0, 1, 2, ..., or -1 if
  // it matches (for as long as it is).
  long FirstOutOfOrder() const {
    std::lock_guard<std::mutex> lock(mutex_);
    for (std::size_t i = 0; i < tasks_.size(); ++i) {
      if (tasks_[i] != static_cast<int>(i)) return static_cast<long>(i);
    }
    return -1;
  }

  // "task a, task b, ..." for positions [from, from + count), for messages.
  std::string Excerpt(std::size_t from, std::size_t count) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string text;
    for (std::size_t i = from; i < tasks_.size() && i < from + count; ++i) {
      if (!text.empty()) text += ", ";
      text += std::to_string(tasks_[i]);
    }
    return text;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable grew_;
  std::vector<int> tasks_;
};

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_START_LOG_HPP_
