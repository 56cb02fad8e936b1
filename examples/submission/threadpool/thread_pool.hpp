// ThreadPool for the ipclab threadpool lab.
// Public interface from the skeleton (not changed).
#ifndef IPCLAB_THREADPOOL_THREAD_POOL_HPP_
#define IPCLAB_THREADPOOL_THREAD_POOL_HPP_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

class ThreadPool {
 public:
  // Starts `num_threads` worker threads; they are the only threads the pool
  // ever creates. Throws std::invalid_argument if `num_threads` is 0.
  //
  // `queue_capacity` bounds how many tasks may wait to start: 0 means no
  // bound; otherwise schedule() blocks while that many tasks are waiting.
  explicit ThreadPool(std::size_t num_threads, std::size_t queue_capacity = 0);

  // Waits for every scheduled task to finish, queued ones included, then
  // joins every worker. Calling it from inside a task is undefined.
  ~ThreadPool();

  // A pool owns threads that point back at it: copying makes no sense.
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Adds `task` to the end of the queue. Tasks start in the order they were
  // scheduled, each exactly once, on one of the workers. If the queue is
  // bounded and full, blocks until a worker takes a task out; no task is
  // ever dropped. May be called from any thread, including from a task.
  //
  // If the task throws, the exception stops at the worker: it writes one
  // line to stderr and goes on with the next task.
  void schedule(std::function<void()> task);

  // Returns once every task scheduled before the call has finished, at once
  // if there is none. May also wait for tasks scheduled during the call.
  // Can be called any number of times, from several threads at once; the
  // pool stays usable afterwards. Calling it from inside a task is undefined.
  void wait();

 private:
  void WorkerLoop();

  std::vector<std::thread> workers_;
  std::deque<std::function<void()>> tasks_;
  std::size_t capacity_;  // 0 = unbounded

  std::mutex mutex_;
  std::condition_variable cv_;        // a task was added (or stop_ was set)
  std::condition_variable not_full_;  // a task was taken out of the queue
  std::condition_variable empty_cv_;  // the queue became empty
  bool stop_ = false;
};

#endif  // IPCLAB_THREADPOOL_THREAD_POOL_HPP_
