// ThreadPool (reference solution of the ipclab "threadpool" lab). See
// thread_pool.hpp for the contract.
//
// Implementation notes, true of every function below:
//
//  * One mutex guards all shared state (queue_, running_, stopping_). Each
//    condition variable stands for a condition on that state, and every wait
//    is written as
//
//        while (!condition) cv.wait(lock);
//
//    with a `while`, never an `if`. POSIX allows a wait to return although
//    nobody notified ("spurious wakeup"), and even after a real notify
//    another thread may get the mutex first and change the state back (e.g.
//    take the task we were woken for). Only re-checking the condition after
//    every wakeup is correct. (cv.wait(lock, predicate) is the same loop.)
//
//  * Whoever changes the state notifies *after* changing it, while holding
//    the mutex. A waiter checks its condition under the same mutex, so it
//    either sees the new state and does not sleep, or is already asleep
//    when the notify comes: the wakeup cannot be lost in between. Notifying
//    before the change would wake a thread that re-checks, sees nothing new
//    and sleeps again, and nobody would notify it a second time.
//
//  * A task never runs with the mutex held. Otherwise tasks would run one at
//    a time, and a task calling schedule() would deadlock on the mutex.
#include "thread_pool.hpp"

#include <cstdio>
#include <exception>
#include <stdexcept>
#include <system_error>
#include <utility>

ThreadPool::ThreadPool(std::size_t num_threads, std::size_t queue_capacity)
    : queue_capacity_(queue_capacity) {
  if (num_threads == 0) {
    throw std::invalid_argument("ThreadPool: num_threads must be at least 1");
  }
  // All workers are created here, once: a pool reuses its threads instead of
  // paying for a new thread per task, and never has more than num_threads.
  workers_.reserve(num_threads);
  try {
    for (std::size_t i = 0; i < num_threads; ++i) {
      workers_.emplace_back([this] { WorkerLoop(); });
    }
  } catch (...) {
    // Creating a thread can fail (std::system_error, e.g. EAGAIN). A
    // constructor that throws never gets its destructor run, so stop and
    // join the workers already started here; destroying a joinable
    // std::thread would call std::terminate.
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      work_available_.notify_all();
    }
    for (std::thread& worker : workers_) worker.join();
    throw;
  }
}

ThreadPool::~ThreadPool() {
  // Draining works like this: stopping_ only tells a worker to exit once the
  // queue is empty (see WorkerLoop), so the workers first run every task
  // still queued, then leave one by one. notify_all, not notify_one: every
  // idle worker is asleep on work_available_ and each must wake up to see
  // stopping_, or join() below waits forever for the ones left asleep.
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    work_available_.notify_all();
  }
  // A worker only returns when it has nothing left to run, so joining them
  // all is also what waits for the last running tasks. After the joins no
  // thread can touch the members any more, and they may be destroyed.
  for (std::thread& worker : workers_) worker.join();
}

void ThreadPool::schedule(std::function<void()> task) {
  std::unique_lock<std::mutex> lock(mutex_);
  // Back-pressure: a producer faster than the workers is slowed down to
  // their pace instead of filling memory with waiting tasks.
  while (queue_capacity_ != 0 && queue_.size() >= queue_capacity_) {
    room_in_queue_.wait(lock);
  }
  queue_.push_back(std::move(task));
  // One new task needs one worker. If the worker woken here finds the task
  // gone (another worker took it first), its while loop puts it back to
  // sleep, which is fine: the task is being run by someone.
  work_available_.notify_one();
}

void ThreadPool::wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  // "Every task has finished" is NOT "the queue is empty": a task leaves the
  // queue when it *starts*, so with an empty queue the last tasks may still
  // be running. So we count the tasks scheduled but not finished, which is
  // queue_.size() + running_, and wait for that to be zero. With nothing
  // scheduled it already is, and we return without sleeping: no notify is
  // needed for that case (a wait() that sleeps until "a task finished"
  // before checking anything would hang here).
  while (!queue_.empty() || running_ != 0) all_done_.wait(lock);
}

void ThreadPool::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (true) {
    // Sleep until there is a task or the pool is being destroyed. An idle
    // worker blocks here inside the kernel and uses no CPU at all, unlike a
    // loop that spins or polls with sleeps.
    while (queue_.empty() && !stopping_) work_available_.wait(lock);
    // Checked after the queue on purpose: tasks still queued when the
    // destructor starts must run, so stopping_ only ends an idle worker.
    if (queue_.empty()) return;

    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    // Leaving the queue and entering running_ happen under one lock, so
    // wait() can never see a task that is in neither.
    ++running_;
    // One slot freed: one blocked producer may go on.
    room_in_queue_.notify_one();

    lock.unlock();
    RunTask(task);
    // Destroy the task, and whatever its lambda captured, before counting it
    // as finished: a caller of wait() may rely on those captures being gone.
    task = nullptr;
    lock.lock();

    --running_;
    if (queue_.empty() && running_ == 0) {
      // notify_all: any number of threads may be inside wait().
      all_done_.notify_all();
    }
  }
}

void ThreadPool::RunTask(const std::function<void()>& task) {
  // An exception escaping a thread's function calls std::terminate and kills
  // the whole program, so it must stop here. One line per failed task; a
  // single fprintf to unbuffered stderr keeps lines from different workers
  // from being mixed up.
  try {
    task();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "ThreadPool: task threw an exception: %s\n",
                 error.what());
  } catch (...) {
    std::fprintf(stderr,
                 "ThreadPool: task threw an exception: (not a "
                 "std::exception)\n");
  }
}
