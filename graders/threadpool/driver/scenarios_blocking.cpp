// schedule() blocks on a full bounded queue and only there; the destructor
// blocks until every task, queued ones included, has run, and leaves no
// thread behind. Blocking is observed (thread state, return flags), never
// inferred from time.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include "counter.hpp"
#include "gate.hpp"
#include "observe.hpp"
#include "observed_call.hpp"
#include "pool_calls.hpp"
#include "report.hpp"
#include "scenarios.hpp"
#include "start_log.hpp"
#include "tally.hpp"
#include "timing.hpp"
#include "watchdog.hpp"

namespace pool_driver {
void BoundedQueue() {
  Detail(
      "pool of 1 worker, queue capacity 2: task 0 holds the worker on a "
      "gate, tasks 1 and 2 fill the queue, then another thread schedules "
      "task 3, which must block until the worker takes a task out");
  Gate gate;
  StartLog log;
  Tally tally(4);
  auto pool = MakePool(1, 2);
  ScheduleOrFail(
      *pool,
      [&] {
        log.Append(0);
        gate.Wait();
        tally.Record(0);
      },
      Format("schedule() of task 0 did not return within %d s; the queue "
             "was empty",
             DeadlineSeconds()));
  // Only once task 0 has left the queue is the queue known to be empty.
  if (!log.WaitSize(1, DeadlineFromNow())) {
    FailNow(
        Format("task 0 did not start within %d s although the worker "
               "was idle",
               DeadlineSeconds()));
  }
  for (int task = 1; task <= 2; ++task) {
    ScheduleOrFail(
        *pool,
        [&, task] {
          log.Append(task);
          tally.Record(static_cast<std::size_t>(task));
        },
        Format("schedule() of task %d did not return within %d s, although "
               "the queue held %d of 2 tasks (task 0 was running, and a "
               "running task does not count: the capacity bounds the tasks "
               "waiting to start)",
               task, DeadlineSeconds(), task - 1));
  }
  // What the producer saw when its schedule() returned.
  std::atomic<bool> gate_open_at_return{false};
  std::atomic<long> started_at_return{0};
  ObservedCall producer([&] {
    pool->schedule([&] {
      log.Append(3);
      tally.Record(3);
    });
    gate_open_at_return.store(gate.IsOpen());
    started_at_return.store(static_cast<long>(log.Size()));
  });
  auto fail_if_returned_early = [&] {
    if (!producer.Returned() || gate_open_at_return.load()) return;
    if (started_at_return.load() > 1) {
      FailNow(
          "task 1 started while task 0 still held the pool's only "
          "worker: the pool of 1 worker ran 2 tasks at once");
    }
    FailNow(
        "schedule() of task 3 returned while the queue already held 2 "
        "tasks (its capacity) and the only worker was busy; it must "
        "block until a worker takes a task out of the queue");
  };
  if (producer.WaitUntilAsleepOrReturned() == ObservedCall::Seen::kAsleep) {
    Detail(
        "the thread scheduling task 3 is blocked (asleep in the kernel), "
        "as it should be");
  }
  fail_if_returned_early();
  gate.Open();
  producer.FinishOrFail(
      Format("schedule() of task 3 did not return within %d s after the "
             "worker was released; when a worker takes a task out of a full "
             "queue, a blocked schedule() must go on",
             DeadlineSeconds()),
      [&] { Detail(Format("%zu of 4 tasks had started", log.Size())); });
  fail_if_returned_early();
  if (!tally.WaitAllFinished(DeadlineFromNow())) {
    FailNow(
        Format("only %ld of 4 tasks finished within %d s after the "
               "worker was released",
               tally.Finished(), DeadlineSeconds()));
  }
  WaitOrFail(*pool, WaitStuck("after all 4 tasks had finished"));
  Require(tally.CheckNow("4 tasks on a queue of capacity 2"));
  if (log.FirstOutOfOrder() >= 0) {
    FailNow("with 1 worker, the tasks started in the order " +
            log.Excerpt(0, 4) + "; they must start in the order scheduled");
  }
  DestroyOrFail(pool);
}

void UnboundedQueue() {
  constexpr std::size_t kQueued = 10000;
  Detail(
      Format("pool of 1 worker, capacity 0 (unbounded): task 0 holds the "
             "worker on a gate while this thread schedules %zu more; no "
             "schedule() may block",
             kQueued));
  Gate gate;
  Tally tally(kQueued + 1);
  Counter started;
  auto pool = MakePool(1, 0);
  ScheduleOrFail(
      *pool,
      [&] {
        started.Increment();
        gate.Wait();
        tally.Record(0);
      },
      Format("schedule() of task 0 did not return within %d s",
             DeadlineSeconds()));
  if (!started.WaitAtLeast(1, DeadlineFromNow())) {
    FailNow(
        Format("task 0 did not start within %d s although the worker "
               "was idle",
               DeadlineSeconds()));
  }
  std::atomic<long> scheduled{0};
  {
    WatchdogScope guard(
        Format("schedule() blocked for %d s on a queue of capacity 0, which "
               "means unbounded: schedule() must never block there",
               DeadlineSeconds()),
        [&] {
          Detail(
              Format("%ld of %zu tasks had been scheduled while the "
                     "worker was held",
                     scheduled.load(), kQueued));
        },
        Deadline(), &scheduled);
    for (std::size_t i = 1; i <= kQueued; ++i) {
      pool->schedule([&tally, i] { tally.Record(i); });
      scheduled.fetch_add(1, std::memory_order_relaxed);
    }
  }
  Detail(
      Format("all %zu schedule() calls returned while the worker was "
             "held",
             kQueued));
  gate.Open();
  WaitForTallyOrFail(
      *pool, tally,
      Format("the worker was released with %zu tasks queued", kQueued));
  Require(tally.CheckAfterWait(
      Format("%zu tasks queued behind a busy worker", kQueued)));
  DestroyOrFail(pool);
}

void DestructorDrains() {
  constexpr std::size_t kQueued = 50;
  constexpr std::size_t kTasks = kQueued + 2;
  Detail(
      Format("pool of 2 workers: 2 tasks hold both workers on a gate, %zu "
             "more are queued; another thread destroys the pool, which "
             "must run all %zu tasks and join its workers",
             kQueued, kTasks));
  const int threads_before = ThreadCount();
  const std::set<pid_t> ids_before = ThreadIds();
  Gate gate;
  Counter started;
  Tally tally(kTasks);
  auto pool = MakePool(2);
  for (std::size_t i = 0; i < 2; ++i) {
    ScheduleOrFail(
        *pool,
        [&, i] {
          started.Increment();
          gate.Wait();
          tally.Record(i);
        },
        Format("schedule() did not return within %d s", DeadlineSeconds()));
  }
  if (!started.WaitAtLeast(2, DeadlineFromNow())) {
    FailNow(
        Format("only %ld of 2 tasks started within %d s on a pool of 2 "
               "idle workers",
               started.Value(), DeadlineSeconds()));
  }
  for (std::size_t i = 2; i < kTasks; ++i) {
    ScheduleOrFail(
        *pool, [&tally, i] { tally.Record(i); },
        Format("schedule() did not return within %d s on an unbounded queue",
               DeadlineSeconds()));
  }
  std::atomic<long> finished_at_return{-1};
  std::atomic<bool> gate_open_at_return{false};
  std::optional<ObservedCall> destroyer;
  destroyer.emplace([&] {
    pool.reset();
    finished_at_return.store(tally.Finished());
    gate_open_at_return.store(gate.IsOpen());
  });
  auto fail_if_returned_early = [&] {
    if (!destroyer->Returned() || gate_open_at_return.load()) return;
    // The pool object is gone while its workers still run tasks: nothing
    // safe is left to do but stop.
    FailNow(
        Format("the destructor returned while 2 tasks were still "
               "running (held on a gate) and %zu were queued; it must "
               "wait until every scheduled task has finished",
               kQueued));
  };
  if (destroyer->WaitUntilAsleepOrReturned() == ObservedCall::Seen::kAsleep) {
    Detail(
        "the thread destroying the pool is blocked while tasks are "
        "pending, as it should be");
  }
  fail_if_returned_early();
  gate.Open();
  destroyer->FinishOrFail(
      Format("the destructor did not return within %d s after the 2 running "
             "tasks were released",
             DeadlineSeconds()),
      [&] {
        Detail(
            Format("%ld of %zu tasks had finished", tally.Finished(), kTasks));
      });
  fail_if_returned_early();
  destroyer.reset();  // Joined: its thread is not the pool's to count.
  if (finished_at_return.load() < static_cast<long>(kTasks)) {
    FailNow(
        Format("the destructor returned when only %ld of %zu scheduled "
               "tasks had finished; it must run every queued task "
               "before it returns",
               finished_at_return.load(), kTasks));
  }
  Require(
      tally.CheckNow(Format("%zu tasks drained by the destructor", kTasks)));

  // A thread that has been joined can stay listed in /proc for a moment
  // after join() returns (the kernel removes it a little later), so the
  // count is given time to come down; only threads still there after
  // Deadline() are a failure.
  Clock::time_point deadline = DeadlineFromNow();
  while (ThreadCount() > threads_before && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  int left = ThreadCount() - threads_before;
  if (left > 0) {
    std::string alive;
    for (pid_t tid : ThreadIds()) {
      if (ids_before.count(tid) != 0) continue;
      alive +=
          Format(" %d (state %c)", static_cast<int>(tid), ThreadState(tid));
    }
    Detail("threads that appeared with the pool and still exist:" + alive);
    FailNow(
        Format("%d thread(s) of the pool still existed %d s after the "
               "destructor returned; the destructor must join every "
               "worker",
               left, DeadlineSeconds()));
  }
  Detail(Format("all %zu tasks ran and every worker thread is gone", kTasks));
}

}  // namespace pool_driver
