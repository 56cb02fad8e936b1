// The submission's ThreadPool as the driver sees it: the public interface
// the contract fixes, behind a virtual call. The driver is compiled once,
// ahead of time (libipclab-pool-driver*.a), against this class only; the
// student's thread_pool.hpp, whose private members differ from one
// submission to the next, is seen by bridge/student_pool.cpp alone, which
// is compiled with each submission. That makes grading a submission a
// matter of compiling its own sources, not the whole driver three times.
#ifndef IPCLAB_POOL_DRIVER_POOL_HPP_
#define IPCLAB_POOL_DRIVER_POOL_HPP_

#include <cstddef>
#include <functional>
#include <memory>

namespace pool_driver {

class Pool {
 public:
  virtual ~Pool() = default;
  virtual void schedule(std::function<void()> task) = 0;
  virtual void wait() = 0;
};

// `new ThreadPool(threads, capacity)` of the submission. Whatever the
// constructor throws propagates.
std::unique_ptr<Pool> NewPool(std::size_t threads, std::size_t capacity);

// Called by the bridge when a task starts while schedule() is still running
// on the same thread: the pool ran it inline instead of queueing it for a
// worker. Fails the scenario at once (the skeleton as shipped does this).
[[noreturn]] void TaskRanInsideSchedule();

}  // namespace pool_driver

#endif  // IPCLAB_POOL_DRIVER_POOL_HPP_
