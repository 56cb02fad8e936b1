// ThreadPool: a fixed set of worker threads that run tasks in the order they
// were scheduled (reference solution of the ipclab "threadpool" lab).
//
// The public part of this class is the lab's contract: the grader compiles
// its own test program against exactly these declarations. The full handout
// is labs/threadpool/README.md.
//
//   ThreadPool pool(4);                       // 4 workers, unbounded queue
//   for (int i = 0; i < 100; ++i) {
//     pool.schedule([i] { Work(i); });
//   }
//   pool.wait();                              // all 100 have finished
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
  // What each worker thread runs, from the constructor until the pool is
  // destroyed and the queue is empty.
  void WorkerLoop();

  // Calls `task`, catching and reporting whatever it throws.
  static void RunTask(const std::function<void()>& task);

  // Set once in the constructor, read-only afterwards: no lock needed.
  const std::size_t queue_capacity_;  // 0: unbounded.

  // mutex_ guards every member below it except workers_. Each condition
  // variable below stands for one condition on that state; a thread waits
  // on it, holding mutex_, until its condition holds.
  std::mutex mutex_;
  std::condition_variable work_available_;  // !queue_.empty() || stopping_
  std::condition_variable room_in_queue_;   // size() < queue_capacity_
  std::condition_variable all_done_;        // queue_.empty() && running_ == 0

  std::deque<std::function<void()>> queue_;  // Scheduled, not started yet.
  std::size_t running_ = 0;  // Taken out of queue_, not finished yet.
  bool stopping_ = false;  // Set by the destructor: exit once queue_ is empty.

  // Only the constructor and the destructor touch this, never a worker.
  std::vector<std::thread> workers_;
};

#endif  // IPCLAB_THREADPOOL_THREAD_POOL_HPP_
