// The pool's queue of accepted connections.
#include "connection_queue.hpp"

#include <unistd.h>

namespace echo {

ConnectionQueue::ConnectionQueue(std::size_t capacity) : capacity_(capacity) {}

ConnectionQueue::~ConnectionQueue() {
  for (int fd : fds_) close(fd);
}

bool ConnectionQueue::WaitForRoom() {
  // a deque grows by itself, so there is always room; only stop once closed
  std::lock_guard<std::mutex> lock(mutex_);
  return !closed_;
}

bool ConnectionQueue::Push(int fd) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return false;
    fds_.push_back(fd);
  }
  not_empty_.notify_one();  // wake one worker
  return true;
}

int ConnectionQueue::Pop() {
  std::unique_lock<std::mutex> lock(mutex_);
  // while, not if: another worker may have taken it first
  while (!closed_ && fds_.empty()) not_empty_.wait(lock);
  if (fds_.empty()) return -1;  // closed and nothing left
  const int fd = fds_.front();
  fds_.pop_front();
  return fd;
}

void ConnectionQueue::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  not_empty_.notify_all();
  not_full_.notify_all();
}

}  // namespace echo
