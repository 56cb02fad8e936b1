#include "pool_calls.hpp"

#include <utility>

#include "report.hpp"
#include "watchdog.hpp"

namespace pool_driver {

std::unique_ptr<ThreadPool> MakePool(std::size_t threads,
                                     std::size_t capacity) {
  WatchdogScope guard(
      Format("the constructor ThreadPool(%zu, %zu) did not return within %d s",
             threads, capacity, kDeadlineSeconds));
  return std::make_unique<ThreadPool>(threads, capacity);
}

void ScheduleOrFail(ThreadPool& pool, std::function<void()> task,
                    const std::string& stuck, const Explain& explain,
                    Clock::duration limit) {
  WatchdogScope guard(stuck, explain, limit);
  pool.schedule(std::move(task));
}

void WaitOrFail(ThreadPool& pool, const std::string& stuck,
                const Explain& explain, Clock::duration limit,
                const std::atomic<long>* progress) {
  WatchdogScope guard(stuck, explain, limit, progress);
  pool.wait();
}

void DestroyOrFail(std::unique_ptr<ThreadPool>& pool, const std::string& stuck,
                   const Explain& explain) {
  WatchdogScope guard(stuck, explain);
  pool.reset();
}

void DestroyOrFail(std::unique_ptr<ThreadPool>& pool) {
  DestroyOrFail(pool, Format("the destructor did not return within %d s "
                             "after every task had finished",
                             kDeadlineSeconds));
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
