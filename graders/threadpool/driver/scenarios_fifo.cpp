// Tasks start in the order they were scheduled. The start order is only
// the dequeue order when a single worker is free at a time (two free
// workers may take tasks 5 and 6 in order and still *begin* them in either
// order), so both checks make sure exactly one worker is free.
#include <atomic>
#include <cstddef>
#include <memory>
#include <string>

#include "counter.hpp"
#include "gate.hpp"
#include "pool_calls.hpp"
#include "report.hpp"
#include "scenarios.hpp"
#include "start_log.hpp"
#include "timing.hpp"
#include "watchdog.hpp"

namespace pool_driver {
namespace {

// Three workers, two of them held busy on gates: the free one must take
// the queued tasks oldest first. Each queued task holds the free worker on
// its own gate until the test has checked it, so the test hands the free
// worker on one task at a time.
void FifoSeveralWorkers() {
  constexpr int kWorkers = 3;
  constexpr int kQueued = 200;
  Detail(
      Format("pool of %d workers: %d tasks hold every worker on a gate, "
             "%d more are queued; then one worker at a time is let go, "
             "and each must start the oldest queued task",
             kWorkers, kWorkers, kQueued));
  Gate holders[kWorkers];
  Counter holders_started;
  std::unique_ptr<Gate[]> gates(new Gate[kQueued]);
  StartLog log;
  auto pool = MakePool(kWorkers);
  std::string schedule_stuck =
      Format("schedule() did not return within %d s on an unbounded queue",
             DeadlineSeconds());
  for (Gate& holder : holders) {
    ScheduleOrFail(
        *pool,
        [&holders_started, &holder] {
          holders_started.Increment();
          holder.Wait();
        },
        schedule_stuck);
  }
  if (!holders_started.WaitAtLeast(kWorkers, DeadlineFromNow())) {
    FailNow(
        Format("only %ld of %d tasks started within %d s on a pool of "
               "%d idle workers; all %d must run at once",
               holders_started.Value(), kWorkers, DeadlineSeconds(), kWorkers,
               kWorkers));
  }
  for (int task = 0; task < kQueued; ++task) {
    ScheduleOrFail(
        *pool,
        [&log, &gates, task] {
          log.Append(task);
          gates[task].Wait();
        },
        schedule_stuck);
  }
  holders[0].Open();
  for (int task = 0; task < kQueued; ++task) {
    if (!log.WaitSize(static_cast<std::size_t>(task) + 1, DeadlineFromNow())) {
      FailNow(
          Format("a worker was free, but queued task #%d (or any "
                 "other) did not start within %d s",
                 task, DeadlineSeconds()));
    }
    int started = log.At(static_cast<std::size_t>(task));
    if (started != task) {
      Detail(
          Format("queued tasks in the order they started: %s ...",
                 log.Excerpt(0, static_cast<std::size_t>(task) + 1).c_str()));
      FailNow(
          Format("with %d workers and only one of them free, queued task "
                 "#%d started while task #%d, scheduled earlier, was "
                 "still waiting; tasks must start in the order they "
                 "were scheduled",
                 kWorkers, started, task));
    }
    gates[task].Open();
  }
  for (Gate& holder : holders) holder.Open();
  WaitOrFail(*pool, WaitStuck("after every task had been released"));
  if (log.Size() != kQueued) {
    FailNow(
        Format("%zu queued tasks started, but %d were scheduled; each "
               "must run exactly once",
               log.Size(), kQueued));
  }
  DestroyOrFail(pool);
}

}  // namespace

void FifoOneWorker(int tasks) {
  Detail(
      Format("pool of 1 worker: task 0 holds it on a gate until tasks 1 "
             "to %d are scheduled; each task logs its number when it "
             "starts",
             tasks - 1));
  Gate gate;
  StartLog log;
  auto pool = MakePool(1);
  std::atomic<long> scheduled{0};
  {
    WatchdogScope guard(
        Format("schedule() did not return within %d s on an unbounded queue",
               DeadlineSeconds()),
        [&] {
          Detail(Format("%ld of %d tasks had been scheduled", scheduled.load(),
                        tasks));
        },
        Deadline(), &scheduled);
    pool->schedule([&log, &gate] {
      log.Append(0);
      gate.Wait();
    });
    scheduled.fetch_add(1, std::memory_order_relaxed);
    for (int task = 1; task < tasks; ++task) {
      pool->schedule([&log, task] { log.Append(task); });
      scheduled.fetch_add(1, std::memory_order_relaxed);
    }
  }
  gate.Open();
  if (!log.WaitSize(static_cast<std::size_t>(tasks), DeadlineFromNow())) {
    FailNow(
        Format("only %zu of %d tasks started within %d s after the "
               "worker was released",
               log.Size(), tasks, DeadlineSeconds()));
  }
  long wrong = log.FirstOutOfOrder();
  if (wrong >= 0) {
    std::size_t from = wrong >= 3 ? static_cast<std::size_t>(wrong) - 3 : 0;
    Detail(Format("start order from position %zu on: %s ...", from,
                  log.Excerpt(from, 8).c_str()));
    FailNow(
        Format("with 1 worker, the task that started %ld-th (counting "
               "from 0) was task %d, not task %ld; tasks must start in "
               "the order they were scheduled",
               wrong, log.At(static_cast<std::size_t>(wrong)), wrong));
  }
  WaitOrFail(*pool, WaitStuck(Format("after all %d tasks had started", tasks)));
  if (log.Size() != static_cast<std::size_t>(tasks)) {
    FailNow(
        Format("%zu tasks started, but %d were scheduled; each must run "
               "exactly once",
               log.Size(), tasks));
  }
  DestroyOrFail(pool);
}

void Fifo() {
  FifoOneWorker(1000);
  FifoSeveralWorkers();
}

}  // namespace pool_driver
