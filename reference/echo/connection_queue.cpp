// The pool's bounded queue. See connection_queue.hpp.
//
// Every wait is a condition-variable wait in a while loop (here, the
// predicate form of wait()): a waiting thread uses no CPU, and a wake-up is
// only a hint to re-check, since another thread may have taken the item
// first, and POSIX allows spurious wake-ups.
#include "connection_queue.hpp"

#include <unistd.h>

namespace echo {

ConnectionQueue::ConnectionQueue(std::size_t capacity) : capacity_(capacity) {}

ConnectionQueue::~ConnectionQueue() {
  for (int fd : fds_) close(fd);
}

bool ConnectionQueue::WaitForRoom() {
  std::unique_lock<std::mutex> lock(mutex_);
  not_full_.wait(lock, [this] { return closed_ || fds_.size() < capacity_; });
  return !closed_;
}

bool ConnectionQueue::Push(int fd) {
  {
    std::unique_lock<std::mutex> lock(mutex_);
    not_full_.wait(lock, [this] { return closed_ || fds_.size() < capacity_; });
    if (closed_) return false;
    fds_.push_back(fd);
  }
  // One new item, so one worker is enough. Notifying after unlocking spares
  // the woken worker from blocking again straight away on the mutex.
  not_empty_.notify_one();
  return true;
}

int ConnectionQueue::Pop() {
  int fd = -1;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    not_empty_.wait(lock, [this] { return closed_ || !fds_.empty(); });
    if (fds_.empty()) return -1;  // Closed, and nothing left to hand out.
    fd = fds_.front();
    fds_.pop_front();
  }
  not_full_.notify_one();  // There is room again for the accepting thread.
  return fd;
}

void ConnectionQueue::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
  }
  // Everyone must re-check: every worker has to see the queue close.
  not_empty_.notify_all();
  not_full_.notify_all();
}

}  // namespace echo
