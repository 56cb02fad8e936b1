// Compiled with every submission (lab.yaml: build.extra_sources): the one
// file of the grader that includes the student's thread_pool.hpp. It adapts
// ThreadPool to the driver's Pool interface (driver/pool.hpp); the rest of
// the driver is prebuilt and linked in. Destroying the Pool destroys the
// ThreadPool, so the driver still exercises the student's destructor.
#include <utility>

#include "../driver/pool.hpp"
#include "thread_pool.hpp"

namespace pool_driver {
namespace {

// Set while this thread is inside the student's schedule(). A task that
// starts while it is set was run by schedule() itself, on the caller's
// thread: not a pool. (A task that calls schedule() sets it on its worker
// only around that call, and a correct pool never runs a task there.)
thread_local bool inside_schedule = false;

class StudentPool final : public Pool {
 public:
  StudentPool(std::size_t threads, std::size_t capacity)
      : pool_(threads, capacity) {}
  void schedule(std::function<void()> task) override {
    struct Inside {
      Inside() { inside_schedule = true; }
      ~Inside() { inside_schedule = false; }
    } inside;
    pool_.schedule([task = std::move(task)] {
      if (inside_schedule) TaskRanInsideSchedule();
      task();
    });
  }
  void wait() override { pool_.wait(); }

 private:
  ThreadPool pool_;
};

}  // namespace

std::unique_ptr<Pool> NewPool(std::size_t threads, std::size_t capacity) {
  return std::make_unique<StudentPool>(threads, capacity);
}

}  // namespace pool_driver
