// ThreadPool: a fixed set of worker threads that run tasks in the order they
// were scheduled. Your starting point for the ipclab "threadpool" lab; the
// handout is labs/threadpool/README.md (or README.md in this folder).
//
// The public part of this class is the contract: the grader compiles its own
// test program against exactly these declarations, so do not change them.
// You may add private members and private helper functions, and more .cpp
// files in this folder.
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
  // TODO(student): add the private members your pool needs. Most pools
  // have:
  //   - std::vector<std::thread> for the workers, started in the
  //     constructor and joined in the destructor;
  //   - std::deque<std::function<void()>> for the tasks not started yet
  //     (push_back to add, front() + pop_front() to take the oldest);
  //   - one std::mutex that guards all the state the threads share;
  //   - one std::condition_variable per thing a thread can wait for:
  //     "there is work" (idle workers), "there is room in the queue"
  //     (schedule() on a full queue) and "everything is done" (wait());
  //   - counters and flags: the queue capacity, how many tasks are running
  //     right now, and a "the pool is shutting down" flag.
  // A private member function such as `void WorkerLoop();` is a good home
  // for what each worker thread runs. The comments in thread_pool.cpp call
  // these workers_, queue_, mutex_, work_available_, room_in_queue_,
  // all_done_, running_ and stopping_; any names will do.
};

#endif  // IPCLAB_THREADPOOL_THREAD_POOL_HPP_
