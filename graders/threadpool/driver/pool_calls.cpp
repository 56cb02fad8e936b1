#include "pool_calls.hpp"

#include <utility>

#include "report.hpp"
#include "watchdog.hpp"

namespace pool_driver {

std::unique_ptr<Pool> MakePool(std::size_t threads,
                                     std::size_t capacity) {
  WatchdogScope guard(
      Format("the constructor ThreadPool(%zu, %zu) did not return within %d s",
             threads, capacity, kDeadlineSeconds));
  return NewPool(threads, capacity);
}

void ScheduleOrFail(Pool& pool, std::function<void()> task,
                    const std::string& stuck, const Explain& explain,
                    Clock::duration limit) {
  WatchdogScope guard(stuck, explain, limit);
  pool.schedule(std::move(task));
}

void WaitOrFail(Pool& pool, const std::string& stuck,
                const Explain& explain, Clock::duration limit,
                const std::atomic<long>* progress) {
  WatchdogScope guard(stuck, explain, limit, progress);
  pool.wait();
}

void DestroyOrFail(std::unique_ptr<Pool>& pool, const std::string& stuck,
                   const Explain& explain) {
  WatchdogScope guard(stuck, explain);
  pool.reset();
}

void DestroyOrFail(std::unique_ptr<Pool>& pool) {
  DestroyOrFail(pool, Format("the destructor did not return within %d s "
                             "after every task had finished",
                             kDeadlineSeconds));
}

void TaskRanInsideSchedule() {
  Detail(
      "schedule() must put the task in the queue and return; one of the "
      "pool's worker threads takes it from there and runs it. (The skeleton "
      "as shipped runs every task inside schedule() so that its sample "
      "works: delete that task(); line once your workers run tasks.)");
  FailNow(
      "a task ran inside schedule(), on the thread that called schedule(), "
      "before schedule() returned: the pool ran it itself instead of handing "
      "it to a worker thread");
}

std::string WaitStalled(const std::string& situation) {
  return Format("wait() did not return, and no task finished, for %d s %s",
                kDeadlineSeconds, situation.c_str());
}

std::string WaitStuck(const std::string& situation) {
  return Format("wait() did not return within %d s %s", kDeadlineSeconds,
                situation.c_str());
}

}  // namespace pool_driver
