// wait() returns exactly when it should: not while a task scheduled before
// it is still queued or running, at once when nothing is pending, again and
// again, from several threads at once.
#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "counter.hpp"
#include "gate.hpp"
#include "observed_call.hpp"
#include "pool_calls.hpp"
#include "report.hpp"
#include "scenarios.hpp"
#include "tally.hpp"
#include "timing.hpp"

namespace pool_driver {
namespace {

// Holds `count` tasks on `gate`, one per worker of a pool with `count`
// workers, and returns once all of them are running.
void HoldWorkers(Pool& pool, int count, Gate& gate, Counter& started,
                 Counter& finished) {
  for (int i = 0; i < count; ++i) {
    ScheduleOrFail(
        pool,
        [&] {
          started.Increment();
          gate.Wait();
          finished.Increment();
        },
        Format("schedule() did not return within %d s", DeadlineSeconds()));
  }
  if (!started.WaitAtLeast(count, DeadlineFromNow())) {
    FailNow(
        Format("only %ld of %d tasks started within %d s on a pool of "
               "%d idle workers",
               started.Value(), count, DeadlineSeconds(), count));
  }
}

void ScheduleCounted(Pool& pool, int count, Counter& started,
                     Counter& finished) {
  for (int i = 0; i < count; ++i) {
    ScheduleOrFail(
        pool,
        [&] {
          started.Increment();
          finished.Increment();
        },
        Format("schedule() did not return within %d s on an unbounded queue",
               DeadlineSeconds()));
  }
}

}  // namespace

// Three stages, so that every way of returning early is witnessed: first
// with tasks queued and running, then with an empty queue but 2 tasks still
// running (the queue empties when the last tasks *start*), both for a
// wait() already asleep and for one that starts then.
void WaitNotEarly() {
  constexpr long kTasks = 12;
  Detail(
      "pool of 2 workers: tasks 0 and 1 wait on gate A, tasks 2 to 9 are "
      "queued behind them, tasks 10 and 11 (queued last) wait on gate B; "
      "another thread calls wait(), and a third calls it once only tasks "
      "10 and 11 are left");
  Gate gate_a, gate_b;
  Counter started, finished;
  auto pool = MakePool(2);
  HoldWorkers(*pool, 2, gate_a, started, finished);
  ScheduleCounted(*pool, 8, started, finished);
  for (int i = 0; i < 2; ++i) {
    ScheduleOrFail(
        *pool,
        [&] {
          started.Increment();
          gate_b.Wait();
          finished.Increment();
        },
        Format("schedule() did not return within %d s on an unbounded queue",
               DeadlineSeconds()));
  }
  std::atomic<long> finished_at_return{-1};
  ObservedCall waiter([&] {
    pool->wait();
    finished_at_return.store(finished.Value());
  });

  if (waiter.WaitUntilAsleepOrReturned() == ObservedCall::Seen::kReturned) {
    FailNow(
        Format("wait() returned while tasks 0 and 1 were still running "
               "(held on gate A) and 10 more were queued (%ld of %ld had "
               "finished); wait() must not return before every task "
               "scheduled before it has finished",
               finished_at_return.load(), kTasks));
  }
  Detail("wait() is blocked while tasks 0 and 1 run: good");
  gate_a.Open();
  if (!started.WaitAtLeast(kTasks, DeadlineFromNow())) {
    FailNow(
        Format("after gate A opened, only %ld of %ld tasks started within "
               "%d s",
               started.Value(), kTasks, DeadlineSeconds()));
  }
  if (waiter.WaitUntilAsleepOrReturned() == ObservedCall::Seen::kReturned) {
    FailNow(
        Format("wait() returned while tasks 10 and 11 were still running "
               "(held on gate B), %ld of %ld finished; the queue was empty, "
               "but a task has only finished when its function has "
               "returned, not when it leaves the queue",
               finished_at_return.load(), kTasks));
  }
  Detail(
      "wait() is still blocked while tasks 10 and 11 run, with the queue "
      "empty: good");
  // A wait() that starts now finds the queue already empty. One that looks
  // only at the queue returns at once, however the workers notify: this
  // stage catches it deterministically.
  std::atomic<long> finished_at_late_return{-1};
  ObservedCall late_waiter([&] {
    pool->wait();
    finished_at_late_return.store(finished.Value());
  });
  if (late_waiter.WaitUntilAsleepOrReturned() ==
      ObservedCall::Seen::kReturned) {
    FailNow(
        Format("a second wait(), called while tasks 10 and 11 were still "
               "running (held on gate B) and the queue was empty, returned "
               "at once (%ld of %ld tasks had finished); an empty queue is "
               "not enough: a task has only finished when its function has "
               "returned",
               finished_at_late_return.load(), kTasks));
  }
  Detail("a second wait(), called now, with the queue empty, blocks too: good");
  gate_b.Open();
  waiter.FinishOrFail(WaitStuck("after every task had been released"), [&] {
    Detail(Format("%ld of %ld tasks had finished", finished.Value(), kTasks));
  });
  late_waiter.FinishOrFail(
      WaitStuck("(the second one) after every task had been released"));
  if (finished_at_late_return.load() != kTasks) {
    FailNow(
        Format("the second wait() returned when %ld of %ld tasks had "
               "finished; it must return only once all of them have",
               finished_at_late_return.load(), kTasks));
  }
  if (finished_at_return.load() != kTasks) {
    FailNow(
        Format("wait() returned when %ld of %ld tasks had finished; it "
               "must return only once all of them have",
               finished_at_return.load(), kTasks));
  }
  DestroyOrFail(pool);
}

void WaitIdle() {
  Detail(
      "wait() on a fresh pool of 2 workers, twice; then 10 tasks, and "
      "wait() twice after they have all finished");
  auto pool = MakePool(2);
  WaitOrFail(*pool, WaitStuck("on a fresh pool with no task scheduled; with "
                              "nothing to wait for it must return at once"));
  WaitOrFail(*pool, WaitStuck("when called a second time on a pool with no "
                              "task scheduled"));
  Counter started, finished;
  ScheduleCounted(*pool, 10, started, finished);
  if (!finished.WaitAtLeast(10, DeadlineFromNow())) {
    FailNow(Format("only %ld of 10 tasks finished within %d s",
                   finished.Value(), DeadlineSeconds()));
  }
  WaitOrFail(*pool, WaitStuck("although all 10 scheduled tasks had already "
                              "finished"));
  WaitOrFail(*pool, WaitStuck("when called a second time after all 10 "
                              "tasks had finished"));
  DestroyOrFail(pool);
}

void WaitConcurrent() {
  constexpr int kWaiters = 3;
  constexpr long kTasks = 22;
  constexpr std::size_t kReuse = 100;
  Detail(
      "pool of 2 workers: 2 tasks hold both workers on a gate, 20 more "
      "are queued; 3 threads call wait() at the same time");
  Gate gate;
  Counter started, finished;
  auto pool = MakePool(2);
  HoldWorkers(*pool, 2, gate, started, finished);
  ScheduleCounted(*pool, 20, started, finished);
  std::array<std::atomic<long>, kWaiters> finished_at_return;
  std::array<std::optional<ObservedCall>, kWaiters> waiters;
  for (int i = 0; i < kWaiters; ++i) {
    finished_at_return[i].store(-1);
    waiters[i].emplace([&, i] {
      pool->wait();
      finished_at_return[i].store(finished.Value());
    });
  }
  for (int i = 0; i < kWaiters; ++i) {
    if (waiters[i]->WaitUntilAsleepOrReturned() ==
        ObservedCall::Seen::kReturned) {
      FailNow(
          Format("wait() in thread %d of %d returned while 2 tasks were "
                 "still running (held on a gate) and 20 were queued "
                 "(%ld of %ld had finished)",
                 i + 1, kWaiters, finished_at_return[i].load(), kTasks));
    }
  }
  Detail("all 3 wait() calls are blocked: good");
  gate.Open();
  for (int i = 0; i < kWaiters; ++i) {
    waiters[i]->FinishOrFail(
        Format("wait() in thread %d of %d did not return within %d s after "
               "the tasks were released; every waiting thread must be woken "
               "(notify_all)",
               i + 1, kWaiters, DeadlineSeconds()),
        [&] {
          Detail(Format("%ld of %ld tasks had finished", finished.Value(),
                        kTasks));
        });
    if (finished_at_return[i].load() != kTasks) {
      FailNow(
          Format("wait() in thread %d of %d returned when %ld of %ld "
                 "tasks had finished",
                 i + 1, kWaiters, finished_at_return[i].load(), kTasks));
    }
    waiters[i].reset();
  }
  Detail(Format("reusing the pool: %zu more tasks, then wait()", kReuse));
  Tally tally(kReuse);
  for (std::size_t i = 0; i < kReuse; ++i) {
    ScheduleOrFail(
        *pool, [&tally, i] { tally.Record(i); },
        Format("schedule() did not return within %d s on a pool that had "
               "been waited for; the pool must stay usable after wait()",
               DeadlineSeconds()));
  }
  WaitOrFail(*pool,
             WaitStuck(Format("on the reused pool (%zu new tasks)", kReuse)));
  Require(tally.CheckAfterWait(
      Format("%zu tasks scheduled after wait() had returned", kReuse)));
  DestroyOrFail(pool);
}

}  // namespace pool_driver
