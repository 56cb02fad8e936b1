// The pool mode's queue of accepted connections: a bounded FIFO of socket
// fds, shared by the accepting thread (the producer) and the workers (the
// consumers).
//
// Why bounded: the workers serve at most N clients at a time. If the
// accepting thread kept accepting into an unbounded queue, a flood of
// clients would pile up open sockets (and memory) in the server without
// limit. With a bound, once Q connections are waiting the accepting thread
// stops calling accept(), and further clients wait in the kernel's listen
// backlog instead: back-pressure.
#ifndef IPCLAB_ECHO_CONNECTION_QUEUE_HPP_
#define IPCLAB_ECHO_CONNECTION_QUEUE_HPP_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>

namespace echo {

class ConnectionQueue {
 public:
  // `capacity` is Q, at least 1.
  explicit ConnectionQueue(std::size_t capacity);
  // Closes the fds of connections still waiting.
  ~ConnectionQueue();

  ConnectionQueue(const ConnectionQueue&) = delete;
  ConnectionQueue& operator=(const ConnectionQueue&) = delete;

  // Blocks while the queue is full. Returns false once the queue is closed.
  // The accepting thread calls this *before* accept(), so that it never
  // holds an accepted connection it has no room for.
  bool WaitForRoom();

  // Adds `fd` at the back, blocking while the queue is full, and wakes one
  // waiting worker. Returns false, leaving `fd` to the caller, if the queue
  // is closed.
  bool Push(int fd);

  // Removes and returns the fd at the front, blocking while the queue is
  // empty. Returns -1 once the queue is closed and empty: the worker should
  // then return.
  int Pop();

  // Wakes everyone: Push() and WaitForRoom() fail from now on, and Pop()
  // returns -1 once the connections still waiting have been handed out.
  void Close();

 private:
  std::mutex mutex_;
  // Two condition variables, one per kind of waiter, so that each wake-up
  // goes to a thread that can make progress: a worker waits for "not empty",
  // the accepting thread for "not full".
  std::condition_variable not_empty_;
  std::condition_variable not_full_;
  std::deque<int> fds_;  // Guarded by mutex_.
  const std::size_t capacity_;
  bool closed_ = false;  // Guarded by mutex_.
};

}  // namespace echo

#endif  // IPCLAB_ECHO_CONNECTION_QUEUE_HPP_
