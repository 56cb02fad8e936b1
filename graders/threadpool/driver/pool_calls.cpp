#include "pool_calls.hpp"

#include <utility>

#include "report.hpp"
#include "watchdog.hpp"

namespace pool_driver {

std::unique_ptr<Pool> MakePool(std::size_t threads, std::size_t capacity) {
  WatchdogScope guard(
      Format("the constructor ThreadPool(%zu, %zu) did not return within %d s",
             threads, capacity, DeadlineSeconds()));
  return NewPool(threads, capacity);
}

void ScheduleOrFail(Pool& pool, std::function<void()> task,
                    const std::string& stuck, const Explain& explain,
                    Clock::duration limit) {
  WatchdogScope guard(stuck, explain, limit);
  pool.schedule(std::move(task));
}

void WaitOrFail(Pool& pool, const std::string& stuck, const Explain& explain,
                Clock::duration limit, const std::atomic<long>* progress) {
  WatchdogScope guard(stuck, explain, limit, progress);
  pool.wait();
}

void WaitForTallyOrFail(Pool& pool, const Tally& tally,
                        const std::string& situation) {
  const std::size_t tasks = tally.size();
  auto summary = [&tally, tasks, situation] {
    if (tally.Finished() >= static_cast<long>(tasks)) {
      return Format(
          "wait() did not return within %d s after all %zu tasks had "
          "finished (%s); it must return as soon as the last task is done",
          DeadlineSeconds(), tasks, situation.c_str());
    }
    return Format(
        "wait() did not return, and no task finished, for %d s (%s); "
        "%ld of %zu tasks had finished",
        DeadlineSeconds(), situation.c_str(), tally.Finished(), tasks);
  };
  WatchdogScope guard(summary, nullptr, Deadline(), tally.Progress());
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
                             DeadlineSeconds()));
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

std::string WaitStuck(const std::string& situation) {
  return Format("wait() did not return within %d s %s", DeadlineSeconds(),
                situation.c_str());
}

}  // namespace pool_driver
