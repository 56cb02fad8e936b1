// The pool's bounded queue. See connection_queue.hpp for what each function
// must do, and why the queue is bounded.
//
// The rules for every wait below: lock mutex_ with a std::unique_lock, then
// wait on a condition variable *in a loop* that re-checks the condition,
//   while (!condition) cv.wait(lock);      // or: cv.wait(lock, predicate);
// A waiting thread then sleeps without using any CPU. Never spin
// (`while (fds_.empty()) {}`) or sleep-and-retry: that burns CPU, and the
// grader measures your server's CPU time while it is idle. The loop (not an
// `if`) matters because a wake-up only means "look again": another thread may
// have taken the item first, and POSIX allows spurious wake-ups.
#include "connection_queue.hpp"

#include <unistd.h>

namespace echo {

ConnectionQueue::ConnectionQueue(std::size_t capacity) : capacity_(capacity) {}

ConnectionQueue::~ConnectionQueue() {
  for (int fd : fds_) close(fd);
}

bool ConnectionQueue::WaitForRoom() {
  // TODO(student): lock; wait on not_full_ while the queue is not closed and
  // fds_.size() >= capacity_; return !closed_.
  return false;
}

bool ConnectionQueue::Push([[maybe_unused]] int fd) {
  // TODO(student): lock; wait on not_full_ as in WaitForRoom(); if closed_,
  // return false (the caller still owns fd). Otherwise fds_.push_back(fd),
  // unlock, not_empty_.notify_one() (one new item: one worker is enough),
  // and return true.
  return false;
}

int ConnectionQueue::Pop() {
  // TODO(student): lock; wait on not_empty_ while the queue is not closed and
  // fds_ is empty. If fds_ is (still) empty, the queue is closed: return -1.
  // Otherwise take fds_.front(), pop_front(), unlock, and
  // not_full_.notify_one(): there is room now for the accepting thread.
  return -1;
}

void ConnectionQueue::Close() {
  // TODO(student): lock; closed_ = true; unlock; then notify_all() on *both*
  // condition variables, so that every waiting thread wakes and sees it.
}

}  // namespace echo
