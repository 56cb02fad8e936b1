// ThreadPool implementation: workers take tasks from a deque, protected by
// one mutex, with condition variables so idle workers sleep.
#include "thread_pool.hpp"

#include <stdexcept>
#include <utility>

ThreadPool::ThreadPool(std::size_t num_threads, std::size_t queue_capacity)
    : capacity_(queue_capacity) {
  if (num_threads == 0) {
    throw std::invalid_argument("ThreadPool needs at least one thread");
  }
  for (std::size_t i = 0; i < num_threads; ++i) {
    workers_.emplace_back([this] { WorkerLoop(); });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  // Wake everyone so they see stop_. The workers finish the queue first
  // (they only return when it is empty).
  cv_.notify_all();
  for (std::thread& t : workers_) {
    t.join();
  }
}

void ThreadPool::schedule(std::function<void()> task) {
  std::unique_lock<std::mutex> lock(mutex_);
  // Bounded queue: block until a worker makes room.
  if (capacity_ != 0 && tasks_.size() >= capacity_) {
    not_full_.wait(lock);  // a worker notifies us after taking a task
  }
  tasks_.push_back(std::move(task));
  cv_.notify_one();
}

void ThreadPool::wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  // Nothing left in the queue = everything is done.
  while (!tasks_.empty()) {
    empty_cv_.wait(lock);
  }
}

void ThreadPool::WorkerLoop() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      while (tasks_.empty() && !stop_) {
        cv_.wait(lock);  // sleep until schedule() or the destructor wakes us
      }
      if (stop_ && tasks_.empty()) {
        return;
      }
      task = std::move(tasks_.front());
      tasks_.pop_front();
      not_full_.notify_one();
      if (tasks_.empty()) {
        empty_cv_.notify_all();
      }
    }
    // Run it without holding the lock so other workers can go on.
    task();
  }
}
